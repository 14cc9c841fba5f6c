//! The EHLO keywords this library knows (IANA "SMTP Service Extensions"; reference §E).

use crate::text::Text;

/// A known SMTP service extension. The numbers are stable (`SMTPREPLY_EXT_*` in C) and are bit
/// positions in [`ExtensionSet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Extension {
    Pipelining = 1,
    Size = 2,
    StartTls = 3,
    Auth = 4,
    EightBitMime = 5,
    SmtpUtf8 = 6,
    Dsn = 7,
    Chunking = 8,
    BinaryMime = 9,
    EnhancedStatusCodes = 10,
    RequireTls = 11,
    DeliverBy = 12,
    Limits = 13,
    Etrn = 14,
    Atrn = 15,
    Help = 16,
    Expn = 17,
    Vrfy = 18,
    Send = 19,
    Soml = 20,
    Saml = 21,
    Turn = 22,
    Checkpoint = 23,
    NoSoliciting = 24,
    Mtrk = 25,
    Burl = 26,
    FutureRelease = 27,
    Conperm = 28,
    Conneg = 29,
    Utf8Smtp = 30,
    MtPriority = 31,
    Rrvs = 32,
    Submitter = 33,
    Verb = 34,
    Onex = 35,
}

/// Keyword, extension, description, defining document.
pub(crate) static EXTENSIONS: &[(Extension, Text, Text, Text)] = &[
    (Extension::Pipelining, text!("PIPELINING"), text!("Command pipelining"), text!("RFC 2920")),
    (Extension::Size, text!("SIZE"), text!("Message size declaration"), text!("RFC 1870")),
    (Extension::StartTls, text!("STARTTLS"), text!("Start TLS"), text!("RFC 3207")),
    (Extension::Auth, text!("AUTH"), text!("Authentication"), text!("RFC 4954")),
    (Extension::EightBitMime, text!("8BITMIME"), text!("8bit MIME transport"), text!("RFC 6152")),
    (Extension::SmtpUtf8, text!("SMTPUTF8"), text!("Internationalized email address"), text!("RFC 6531")),
    (Extension::Dsn, text!("DSN"), text!("Delivery Status Notification"), text!("RFC 3461")),
    (Extension::Chunking, text!("CHUNKING"), text!("Chunking (BDAT)"), text!("RFC 3030")),
    (Extension::BinaryMime, text!("BINARYMIME"), text!("Binary MIME"), text!("RFC 3030")),
    (Extension::EnhancedStatusCodes, text!("ENHANCEDSTATUSCODES"), text!("Enhanced Status Codes"), text!("RFC 2034")),
    (Extension::RequireTls, text!("REQUIRETLS"), text!("Require TLS"), text!("RFC 8689")),
    (Extension::DeliverBy, text!("DELIVERBY"), text!("Deliver By"), text!("RFC 2852")),
    (Extension::Limits, text!("LIMITS"), text!("Server limits"), text!("RFC 9422")),
    (Extension::Etrn, text!("ETRN"), text!("Extended Turn"), text!("RFC 1985")),
    (Extension::Atrn, text!("ATRN"), text!("Authenticated TURN"), text!("RFC 2645")),
    (Extension::Help, text!("HELP"), text!("Supply helpful information"), text!("RFC 5321")),
    (Extension::Expn, text!("EXPN"), text!("Expand the mailing list"), text!("RFC 5321")),
    (Extension::Vrfy, text!("VRFY"), text!("Verify a user name"), text!("RFC 5321")),
    (Extension::Send, text!("SEND"), text!("Send to terminal (obsolete)"), text!("RFC 821")),
    (Extension::Soml, text!("SOML"), text!("Send as mail or to terminal (obsolete)"), text!("RFC 821")),
    (Extension::Saml, text!("SAML"), text!("Send as mail and to terminal (obsolete)"), text!("RFC 821")),
    (Extension::Turn, text!("TURN"), text!("Turn the roles of client and server (obsolete)"), text!("RFC 821")),
    (Extension::Checkpoint, text!("CHECKPOINT"), text!("Checkpoint/Restart"), text!("RFC 1845")),
    (Extension::NoSoliciting, text!("NO-SOLICITING"), text!("Notification of no soliciting"), text!("RFC 3865")),
    (Extension::Mtrk, text!("MTRK"), text!("Message Tracking"), text!("RFC 3885")),
    (Extension::Burl, text!("BURL"), text!("Remote content"), text!("RFC 4468")),
    (Extension::FutureRelease, text!("FUTURERELEASE"), text!("Future message release"), text!("RFC 4865")),
    (Extension::Conperm, text!("CONPERM"), text!("Content conversion permission"), text!("RFC 4141")),
    (Extension::Conneg, text!("CONNEG"), text!("Content conversion negotiation"), text!("RFC 4141")),
    (
        Extension::Utf8Smtp,
        text!("UTF8SMTP"),
        text!("Internationalized email address (experimental, deprecated)"),
        text!("RFC 5336"),
    ),
    (Extension::MtPriority, text!("MT-PRIORITY"), text!("Priority message handling"), text!("RFC 6710")),
    (Extension::Rrvs, text!("RRVS"), text!("Require Recipient Valid Since"), text!("RFC 7293")),
    (Extension::Submitter, text!("SUBMITTER"), text!("Responsible submitter (historic)"), text!("RFC 4405")),
    (Extension::Verb, text!("VERB"), text!("Verbose"), text!("IANA (sendmail)")),
    (Extension::Onex, text!("ONEX"), text!("One message transaction only"), text!("IANA (sendmail)")),
];

impl Extension {
    /// The extension with this number, if any.
    pub fn from_u32(n: u32) -> Option<Extension> {
        EXTENSIONS.iter().map(|e| e.0).find(|e| *e as u32 == n)
    }
    /// The extension named by an EHLO keyword (case-insensitive).
    pub fn from_keyword(keyword: &[u8]) -> Option<Extension> {
        // Upper-case into a small buffer and let `match` build the decision tree: this runs for
        // every line of every EHLO reply.
        let mut buf = [0u8; 20];
        let upper = buf.get_mut(..keyword.len())?;
        for (d, s) in upper.iter_mut().zip(keyword) {
            *d = s.to_ascii_uppercase();
        }
        use Extension::*;
        Some(match &*upper {
            b"PIPELINING" => Pipelining,
            b"SIZE" => Size,
            b"STARTTLS" => StartTls,
            b"AUTH" => Auth,
            b"8BITMIME" => EightBitMime,
            b"SMTPUTF8" => SmtpUtf8,
            b"DSN" => Dsn,
            b"CHUNKING" => Chunking,
            b"BINARYMIME" => BinaryMime,
            b"ENHANCEDSTATUSCODES" => EnhancedStatusCodes,
            b"REQUIRETLS" => RequireTls,
            b"DELIVERBY" => DeliverBy,
            b"LIMITS" => Limits,
            b"ETRN" => Etrn,
            b"ATRN" => Atrn,
            b"HELP" => Help,
            b"EXPN" => Expn,
            b"VRFY" => Vrfy,
            b"SEND" => Send,
            b"SOML" => Soml,
            b"SAML" => Saml,
            b"TURN" => Turn,
            b"CHECKPOINT" => Checkpoint,
            b"NO-SOLICITING" => NoSoliciting,
            b"MTRK" => Mtrk,
            b"BURL" => Burl,
            b"FUTURERELEASE" => FutureRelease,
            b"CONPERM" => Conperm,
            b"CONNEG" => Conneg,
            b"UTF8SMTP" => Utf8Smtp,
            b"MT-PRIORITY" => MtPriority,
            b"RRVS" => Rrvs,
            b"SUBMITTER" => Submitter,
            b"VERB" => Verb,
            b"ONEX" => Onex,
            _ => return None,
        })
    }
    fn row(self) -> &'static (Extension, Text, Text, Text) {
        EXTENSIONS.iter().find(|e| e.0 == self).expect("every extension has a row")
    }
    /// The EHLO keyword, upper case.
    pub fn keyword(self) -> &'static str {
        self.row().1.as_str()
    }
    pub(crate) fn keyword_text(self) -> Text {
        self.row().1
    }
    /// The IANA description.
    pub fn description(self) -> &'static str {
        self.row().2.as_str()
    }
    pub(crate) fn description_text(self) -> Text {
        self.row().2
    }
    /// The defining document.
    pub fn reference(self) -> &'static str {
        self.row().3.as_str()
    }
}

/// A set of known extensions, one bit each at the extension's number.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ExtensionSet(pub u64);

impl ExtensionSet {
    pub fn contains(self, e: Extension) -> bool {
        self.0 & (1u64 << e as u32) != 0
    }
    pub(crate) fn insert(&mut self, e: Extension) {
        self.0 |= 1u64 << e as u32;
    }
    pub fn iter(self) -> impl Iterator<Item = Extension> {
        EXTENSIONS.iter().map(|e| e.0).filter(move |e| self.contains(*e))
    }
}

impl std::fmt::Debug for ExtensionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter().map(|e| e.keyword())).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_numbered() {
        for (i, row) in EXTENSIONS.iter().enumerate() {
            assert_eq!(row.0 as u32, i as u32 + 1, "numbers follow table order");
            assert_eq!(Extension::from_u32(row.0 as u32), Some(row.0));
            assert_eq!(Extension::from_keyword(row.1.as_str().to_lowercase().as_bytes()), Some(row.0));
            assert_eq!(Extension::from_keyword(row.1.as_str().as_bytes()), Some(row.0));
        }
        assert!(EXTENSIONS.len() < 64);
        assert_eq!(Extension::from_u32(0), None);
        assert_eq!(Extension::from_keyword(b"XVERP"), None);
        assert_eq!(Extension::from_keyword(b"ENHANCEDSTATUSCODESX"), None);
        assert_eq!(Extension::from_keyword(b"AVERYLONGKEYWORDTHATISNOTKNOWN"), None);
        assert_eq!(Extension::from_keyword(b""), None);
    }
}
