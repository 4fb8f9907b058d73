//! lantian-fetch
