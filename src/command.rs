//! The SMTP commands a reply can answer.
//!
//! Replies mean different things after different commands (220 as a greeting and after STARTTLS,
//! 550 to MAIL FROM versus RCPT TO). The knowledge base, the classifier and the session all speak
//! of commands through this one type; C sees the same numbers as `SMTPREPLY_COMMAND_*`.

/// A command (or the connection opening) that a reply answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Command {
    /// Not known, or a command not listed here.
    Unknown = 0,
    /// The connection-opening reply (no command was sent).
    Greeting = 1,
    Ehlo = 2,
    Helo = 3,
    Mail = 4,
    Rcpt = 5,
    /// The DATA command itself (its reply is normally 354).
    Data = 6,
    /// The end of the message data (`<CRLF>.<CRLF>`).
    DataEnd = 7,
    Bdat = 8,
    /// AUTH and the client's responses to 334 challenges.
    Auth = 9,
    StartTls = 10,
    Rset = 11,
    Vrfy = 12,
    Expn = 13,
    Help = 14,
    Noop = 15,
    Quit = 16,
    Etrn = 17,
    Atrn = 18,
    /// RFC 821 SEND FROM (obsolete).
    Send = 19,
    /// RFC 821 SOML FROM (obsolete).
    Soml = 20,
    /// RFC 821 SAML FROM (obsolete).
    Saml = 21,
    /// RFC 821 TURN (obsolete).
    Turn = 22,
}

impl Command {
    /// Every command, in numeric order.
    pub const ALL: [Command; 23] = [
        Command::Unknown,
        Command::Greeting,
        Command::Ehlo,
        Command::Helo,
        Command::Mail,
        Command::Rcpt,
        Command::Data,
        Command::DataEnd,
        Command::Bdat,
        Command::Auth,
        Command::StartTls,
        Command::Rset,
        Command::Vrfy,
        Command::Expn,
        Command::Help,
        Command::Noop,
        Command::Quit,
        Command::Etrn,
        Command::Atrn,
        Command::Send,
        Command::Soml,
        Command::Saml,
        Command::Turn,
    ];

    /// The command with this number, if there is one (numbers come from C and are validated).
    pub fn from_u32(n: u32) -> Option<Command> {
        Command::ALL.get(n as usize).copied()
    }

    /// A short upper-case name: `"RCPT"`, `"DATA-END"`, `"GREETING"`.
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }

    pub(crate) fn name_text(self) -> crate::text::Text {
        match self {
            Command::Unknown => text!("UNKNOWN"),
            Command::Greeting => text!("GREETING"),
            Command::Ehlo => text!("EHLO"),
            Command::Helo => text!("HELO"),
            Command::Mail => text!("MAIL"),
            Command::Rcpt => text!("RCPT"),
            Command::Data => text!("DATA"),
            Command::DataEnd => text!("DATA-END"),
            Command::Bdat => text!("BDAT"),
            Command::Auth => text!("AUTH"),
            Command::StartTls => text!("STARTTLS"),
            Command::Rset => text!("RSET"),
            Command::Vrfy => text!("VRFY"),
            Command::Expn => text!("EXPN"),
            Command::Help => text!("HELP"),
            Command::Noop => text!("NOOP"),
            Command::Quit => text!("QUIT"),
            Command::Etrn => text!("ETRN"),
            Command::Atrn => text!("ATRN"),
            Command::Send => text!("SEND"),
            Command::Soml => text!("SOML"),
            Command::Saml => text!("SAML"),
            Command::Turn => text!("TURN"),
        }
    }

    /// Parses a name as [`Command::name`] writes it, case-insensitively; also accepts the
    /// spellings users meet in logs (`"MAIL FROM"`, `"RCPT TO"`, `"END-OF-DATA"`, `"."`).
    pub fn from_name(name: &str) -> Option<Command> {
        let n = name.trim();
        let alias = [
            ("MAIL FROM", Command::Mail),
            ("RCPT TO", Command::Rcpt),
            ("END-OF-DATA", Command::DataEnd),
            ("END OF DATA", Command::DataEnd),
            ("DATA_END", Command::DataEnd),
            ("DATAEND", Command::DataEnd),
            (".", Command::DataEnd),
            ("CONNECT", Command::Greeting),
            ("BANNER", Command::Greeting),
            ("OTHER", Command::Unknown),
        ];
        Command::ALL
            .iter()
            .map(|c| (c.name(), *c))
            .chain(alias)
            .find(|(s, _)| s.eq_ignore_ascii_case(n))
            .map(|(_, c)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_round_trip() {
        for (i, c) in Command::ALL.iter().enumerate() {
            assert_eq!(*c as u32, i as u32);
            assert_eq!(Command::from_u32(i as u32), Some(*c));
            assert_eq!(Command::from_name(c.name()), Some(*c));
        }
        assert_eq!(Command::from_u32(23), None);
        assert_eq!(Command::from_u32(u32::MAX), None);
        assert_eq!(Command::from_name("rcpt to"), Some(Command::Rcpt));
        assert_eq!(Command::from_name("nonsense"), None);
    }
}
