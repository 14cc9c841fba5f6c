//! The three-digit SMTP reply codes: RFC 821, RFC 5321 and the extension RFCs (reference §A).

use super::{BasicCode, CodeContext, CodeStatus};
use crate::command::Command;

/// Every registered basic reply code, sorted by code.
pub static BASIC_CODES: &[BasicCode] = &[];

/// Meanings that codes take after particular commands, grouped by code.
pub static CODE_CONTEXTS: &[CodeContext] = &[];
