//! Which reply codes each command may get (RFC 5321 §4.3.2, RFC 3207, RFC 4954, RFC 3030).
//!
//! A reply outside its command's list is reported (the session acts on its first digit, as
//! RFC 5321 §4.2 requires), never trusted for more.

use super::Pending;

/// Codes any command may get (§4.3.2: 500, 501, 421).
const ANY: [u16; 3] = [421, 500, 501];

pub(crate) fn allowed(command: &Pending, code: u16) -> bool {
    if ANY.contains(&code) {
        return true;
    }
    let list: &[u16] = match command {
        Pending::Ehlo | Pending::Helo => &[250, 502, 504, 550],
        Pending::StartTls => &[220, 454, 501, 530, 554],
        Pending::Auth(_) => &[235, 334, 432, 454, 500, 501, 503, 504, 530, 534, 535, 538, 554],
        Pending::Mail => &[250, 451, 452, 455, 503, 530, 550, 552, 553, 555, 554],
        Pending::Rcpt(_) => &[250, 251, 450, 451, 452, 455, 503, 530, 550, 551, 552, 553, 554, 555],
        Pending::Data => &[354, 451, 503, 530, 554],
        Pending::DataEnd => &[250, 450, 451, 452, 550, 552, 554],
        Pending::Bdat { .. } => &[250, 450, 451, 452, 503, 550, 552, 554],
        Pending::Rset | Pending::Noop => &[250],
        Pending::Quit => &[221],
    };
    list.contains(&code)
}
