//! lantian-ingest
