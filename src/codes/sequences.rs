//! Which reply codes each command may get: RFC 5321 §4.3.2 (with RFC 821 §4.3 for the obsolete
//! commands, RFC 3207 for STARTTLS, RFC 4954 for AUTH, RFC 3030 for BDAT, RFC 1985 for ETRN,
//! RFC 2645 for ATRN). The session reports a reply outside its list; the transcript explainer
//! names it as a protocol deviation.

use crate::command::Command;

/// Codes any command may get (§4.3.2: 500 unrecognised or too long, 501 syntax, 421 closing).
pub const ANY_COMMAND: [u16; 3] = [421, 500, 501];

/// The codes the standards list for `command`, besides [`ANY_COMMAND`]. Empty for
/// [`Command::Unknown`] (nothing is known, so nothing is unexpected).
pub fn replies_for(command: Command) -> &'static [u16] {
    match command {
        Command::Unknown => &[],
        // 521: RFC 7504; 421 is in ANY_COMMAND.
        Command::Greeting => &[220, 554, 521],
        Command::Ehlo | Command::Helo => &[250, 502, 504, 550],
        Command::Mail => &[250, 451, 452, 455, 503, 530, 550, 552, 553, 555, 554],
        Command::Rcpt => &[250, 251, 450, 451, 452, 455, 503, 530, 550, 551, 552, 553, 554, 555],
        Command::Data => &[354, 451, 503, 530, 554],
        Command::DataEnd => &[250, 450, 451, 452, 550, 552, 554],
        Command::Bdat => &[250, 450, 451, 452, 503, 550, 552, 554],
        Command::Auth => &[235, 334, 432, 454, 503, 504, 530, 534, 535, 538, 554],
        Command::StartTls => &[220, 454, 530, 554],
        Command::Rset | Command::Noop => &[250],
        Command::Vrfy => &[250, 251, 252, 502, 504, 550, 551, 553],
        Command::Expn => &[250, 252, 502, 504, 550],
        Command::Help => &[211, 214, 502, 504],
        Command::Quit => &[221],
        Command::Etrn => &[250, 251, 252, 253, 458, 459],
        Command::Atrn => &[250, 450, 451, 453, 502, 530],
        // RFC 821: SEND, SOML and SAML use MAIL's codes; 502 when not implemented.
        Command::Send | Command::Soml | Command::Saml => &[250, 451, 452, 502, 552],
        Command::Turn => &[250, 502, 503],
    }
}

/// Whether `code` is a reply the standards list for `command` (always true for
/// [`Command::Unknown`]).
pub fn reply_allowed(command: Command, code: u16) -> bool {
    command == Command::Unknown || ANY_COMMAND.contains(&code) || replies_for(command).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert!(reply_allowed(Command::Rcpt, 550));
        assert!(reply_allowed(Command::Rcpt, 421));
        assert!(!reply_allowed(Command::Rcpt, 354));
        assert!(reply_allowed(Command::Data, 354));
        assert!(!reply_allowed(Command::DataEnd, 354));
        assert!(!reply_allowed(Command::Quit, 250));
        assert!(reply_allowed(Command::Unknown, 999));
        for c in Command::ALL {
            assert!(replies_for(c).iter().all(|&code| (200..600).contains(&code)), "{c:?}");
        }
    }
}
