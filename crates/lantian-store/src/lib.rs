//! lantian-store
