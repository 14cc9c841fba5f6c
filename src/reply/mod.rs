//! SMTP replies: parsing (single- and multi-line, incremental, zero-copy) and their parts.

mod enhanced;

pub use enhanced::EnhancedCode;
