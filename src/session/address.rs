//! Envelope addresses, checked before they go into a command (RFC 5321 §4.1.2, §4.5.3.1).
//!
//! A command built from an unchecked address is an injection hole: a CR or LF in it starts a new
//! command. Every address passes here first: syntax, lengths, no control characters, and UTF-8
//! only where SMTPUTF8 allows it (RFC 6531).

/// Why an address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the address is empty")]
    Empty,
    #[error("the address contains a control character (CR, LF, NUL, TAB ...) at byte {0}; it could inject commands")]
    ControlCharacter(usize),
    #[error("the address has no @ between local part and domain")]
    MissingAt,
    #[error("the local part (before the @) is empty")]
    EmptyLocalPart,
    #[error("the local part is {0} bytes long; RFC 5321 §4.5.3.1.1 allows 64")]
    LocalPartTooLong(usize),
    #[error("the domain is {0} bytes long; RFC 5321 §4.5.3.1.2 allows 255")]
    DomainTooLong(usize),
    #[error("the address is {0} bytes long; RFC 5321 §4.5.3.1.3 allows 254 (256 with the angle brackets)")]
    PathTooLong(usize),
    #[error("the local part is not valid: {0}")]
    BadLocalPart(&'static str),
    #[error("the domain is not valid: {0}")]
    BadDomain(&'static str),
    #[error("the address contains non-ASCII characters, which need the server's SMTPUTF8 extension")]
    NeedsSmtpUtf8,
    #[error("the address is not valid UTF-8")]
    InvalidUtf8,
    #[error("the null reverse-path <> is only allowed as the sender")]
    NullNotAllowed,
}

/// Whether the address has bytes outside US-ASCII (and so needs SMTPUTF8).
pub(crate) fn is_ascii(addr: &[u8]) -> bool {
    addr.is_ascii()
}

fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b) || b >= 0x80
}

/// Checks a mailbox (`local@domain`, without angle brackets). `utf8_ok` allows non-ASCII (UTF-8)
/// local parts and domains, as SMTPUTF8 does.
pub fn check_mailbox(addr: &[u8], utf8_ok: bool) -> Result<(), AddressError> {
    if addr.is_empty() {
        return Err(AddressError::Empty);
    }
    if let Some(i) = addr.iter().position(|&b| b < 0x20 || b == 0x7f) {
        return Err(AddressError::ControlCharacter(i));
    }
    if !addr.is_ascii() {
        if std::str::from_utf8(addr).is_err() {
            return Err(AddressError::InvalidUtf8);
        }
        if !utf8_ok {
            return Err(AddressError::NeedsSmtpUtf8);
        }
    }
    if addr.len() > 254 {
        return Err(AddressError::PathTooLong(addr.len()));
    }
    let at = addr.iter().rposition(|&b| b == b'@').ok_or(AddressError::MissingAt)?;
    let (local, domain) = (&addr[..at], &addr[at + 1..]);
    check_local(local)?;
    check_domain(domain)
}

fn check_local(local: &[u8]) -> Result<(), AddressError> {
    if local.is_empty() {
        return Err(AddressError::EmptyLocalPart);
    }
    if local.len() > 64 {
        return Err(AddressError::LocalPartTooLong(local.len()));
    }
    if local[0] == b'"' {
        // Quoted-string: qtextSMTP and quoted-pairSMTP between DQUOTEs.
        if local.len() < 2 || local[local.len() - 1] != b'"' {
            return Err(AddressError::BadLocalPart("a quoted local part must end with a quote"));
        }
        let inner = &local[1..local.len() - 1];
        let mut i = 0;
        while i < inner.len() {
            match inner[i] {
                b'\\' => {
                    if i + 1 >= inner.len() || !(32..=126).contains(&inner[i + 1]) {
                        return Err(AddressError::BadLocalPart("a backslash must quote a printable character"));
                    }
                    i += 2;
                }
                b'"' => return Err(AddressError::BadLocalPart("an unescaped quote inside a quoted local part")),
                _ => i += 1,
            }
        }
        return Ok(());
    }
    // Dot-string: atoms separated by single dots.
    if local[0] == b'.' || local[local.len() - 1] == b'.' || local.windows(2).any(|w| w == b"..") {
        return Err(AddressError::BadLocalPart("dots must separate words (no leading, trailing or double dot)"));
    }
    if !local.iter().all(|&b| b == b'.' || is_atext(b)) {
        return Err(AddressError::BadLocalPart(
            "only letters, digits and !#$%&'*+-/=?^_`{|}~ are allowed outside quotes",
        ));
    }
    Ok(())
}

fn check_domain(domain: &[u8]) -> Result<(), AddressError> {
    if domain.is_empty() {
        return Err(AddressError::BadDomain("it is empty"));
    }
    if domain.len() > 255 {
        return Err(AddressError::DomainTooLong(domain.len()));
    }
    if domain[0] == b'[' {
        return check_address_literal(domain);
    }
    for label in domain.split(|&b| b == b'.') {
        if label.is_empty() {
            return Err(AddressError::BadDomain("empty label (leading, trailing or double dot)"));
        }
        if label.len() > 63 {
            return Err(AddressError::BadDomain("a label is longer than 63 bytes"));
        }
        if label[0] == b'-' || label[label.len() - 1] == b'-' {
            return Err(AddressError::BadDomain("a label starts or ends with a hyphen"));
        }
        // Letters, digits, hyphens (RFC 5321 §4.1.2; the underscore is excluded); UTF-8 labels are
        // checked for being UTF-8 above.
        if !label.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b >= 0x80) {
            return Err(AddressError::BadDomain("only letters, digits and hyphens are allowed in labels"));
        }
    }
    Ok(())
}

fn check_address_literal(lit: &[u8]) -> Result<(), AddressError> {
    if lit.len() < 3 || lit[lit.len() - 1] != b']' {
        return Err(AddressError::BadDomain("an address literal must be [address]"));
    }
    let inner =
        std::str::from_utf8(&lit[1..lit.len() - 1]).map_err(|_| AddressError::BadDomain("bad address literal"))?;
    if let Some(v6) = inner.strip_prefix("IPv6:").or_else(|| inner.strip_prefix("ipv6:")) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| AddressError::BadDomain("not an IPv6 address"));
    }
    inner.parse::<std::net::Ipv4Addr>().map(|_| ()).map_err(|_| AddressError::BadDomain("not an IPv4 address literal"))
}

/// Encodes a value as xtext (RFC 3461 §4): `+XX` for `+`, `=` and bytes outside `!`..`~`.
pub fn xtext(value: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value {
        if (33..=126).contains(&b) && b != b'+' && b != b'=' {
            out.push(b as char);
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(a: &str) -> bool {
        check_mailbox(a.as_bytes(), false).is_ok()
    }

    #[test]
    fn valid_addresses() {
        for a in [
            "bob@example.com",
            "first.last+tag@sub.example.co.uk",
            "\"john doe\"@example.com",
            "\"a\\\"b\"@example.com",
            "x@[192.0.2.1]",
            "x@[IPv6:2001:db8::1]",
            "o'brien@example.ie",
            "postmaster@localhost",
        ] {
            assert!(ok(a), "{a}");
        }
        assert!(check_mailbox("jürgen@müller.de".as_bytes(), true).is_ok());
    }

    #[test]
    fn invalid_addresses() {
        let cases: [(&[u8], AddressError); 12] = [
            (b"", AddressError::Empty),
            (b"bob@example.com\r\nRCPT TO:<x@y>", AddressError::ControlCharacter(15)),
            (b"bob\0@example.com", AddressError::ControlCharacter(3)),
            (b"bob", AddressError::MissingAt),
            (b"@example.com", AddressError::EmptyLocalPart),
            (b"bob@", AddressError::BadDomain("it is empty")),
            (
                b"a..b@example.com",
                AddressError::BadLocalPart("dots must separate words (no leading, trailing or double dot)"),
            ),
            (b"bob@exa_mple.com", AddressError::BadDomain("only letters, digits and hyphens are allowed in labels")),
            (b"bob@-example.com", AddressError::BadDomain("a label starts or ends with a hyphen")),
            (b"bob@example..com", AddressError::BadDomain("empty label (leading, trailing or double dot)")),
            ("jürgen@example.de".as_bytes(), AddressError::NeedsSmtpUtf8),
            (b"\xff@example.com", AddressError::InvalidUtf8),
        ];
        for (a, e) in cases {
            assert_eq!(check_mailbox(a, false), Err(e.clone()), "{}", String::from_utf8_lossy(a));
            assert!(!e.to_string().is_empty());
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(check_mailbox(long_local.as_bytes(), false), Err(AddressError::LocalPartTooLong(65)));
        let long = format!("a@{}.com", "b.".repeat(130));
        assert!(matches!(check_mailbox(long.as_bytes(), false), Err(AddressError::PathTooLong(_))));
        assert!(matches!(check_mailbox(b"x@[300.1.1.1]", false), Err(AddressError::BadDomain(_))));
        assert!(matches!(check_mailbox(b"a b@example.com", false), Err(AddressError::BadLocalPart(_))));
    }

    #[test]
    fn xtext_encoding() {
        assert_eq!(xtext(b"abc"), "abc");
        assert_eq!(xtext(b"a+b=c d"), "a+2Bb+3Dc+20d");
        assert_eq!(xtext(b"rfc822;bob@example.com"), "rfc822;bob@example.com");
    }
}
