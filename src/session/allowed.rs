//! Which reply codes each command may get: the table lives in [`crate::codes::sequences`].
//!
//! A reply outside its command's list is reported (the session acts on its first digit, as
//! RFC 5321 §4.2 requires), never trusted for more.

use super::Pending;

pub(crate) fn allowed(command: &Pending, code: u16) -> bool {
    crate::codes::sequences::reply_allowed(command.command(), code)
}
