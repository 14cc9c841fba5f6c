//! EHLO capabilities, including the EHLO rows of tricky-replies.md (11, 17, 25, 28, 33).

use smtpreply::ehlo::{CapWarnings, Capabilities, EhloError, Extension, SizeLimit};

fn params(caps: &Capabilities, kw: &str) -> Vec<Vec<u8>> {
    caps.get(kw).expect(kw).params().map(|p| p.to_vec()).collect()
}

#[test]
fn full_reply_of_a_real_server() {
    let caps = Capabilities::parse(
        b"250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n\
250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-SMTPUTF8\r\n\
250-DSN\r\n250-REQUIRETLS\r\n250-DELIVERBY 240\r\n250-LIMITS RCPTMAX=100 MAILMAX=1000\r\n\
250-BINARYMIME\r\n250 AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n",
    )
    .unwrap();
    assert_eq!(caps.domain(), b"smtp.gmail.com");
    assert_eq!(caps.greeting(), b"at your service, [203.0.113.5]");
    assert_eq!(caps.len(), 13);
    assert_eq!(caps.size(), SizeLimit::Limit(35882577));
    for e in [
        Extension::Size,
        Extension::EightBitMime,
        Extension::StartTls,
        Extension::EnhancedStatusCodes,
        Extension::Pipelining,
        Extension::Chunking,
        Extension::SmtpUtf8,
        Extension::Dsn,
        Extension::RequireTls,
        Extension::DeliverBy,
        Extension::Limits,
        Extension::BinaryMime,
        Extension::Auth,
    ] {
        assert!(caps.extensions().contains(e), "{e:?}");
        assert!(caps.has(&e.keyword().to_lowercase()));
    }
    assert!(!caps.extensions().contains(Extension::Etrn));
    let mechs: Vec<&[u8]> = caps.auth_mechanisms().collect();
    assert_eq!(mechs, vec![&b"LOGIN"[..], b"PLAIN", b"XOAUTH2", b"PLAIN-CLIENTTOKEN", b"OAUTHBEARER", b"XOAUTH"]);
    assert!(caps.supports_auth("xoauth2"));
    assert!(!caps.supports_auth("CRAM-MD5"));
    assert_eq!(caps.limit("rcptmax"), Some(100));
    assert_eq!(caps.limit("MAILMAX"), Some(1000));
    assert_eq!(caps.limit("RCPTDOMAINMAX"), None);
    assert_eq!(caps.deliver_by_min(), Some(240));
    assert!(caps.warnings().is_empty());
    assert_eq!(caps.get("LIMITS").unwrap().params_raw(), b"RCPTMAX=100 MAILMAX=1000");
}

#[test]
fn row11_error_reply_is_not_capabilities() {
    let err = Capabilities::parse(b"523-Massive\r\n523-Error\r\n523 Message\r\n").unwrap_err();
    assert_eq!(err, EhloError::NotAccepted(523));
    assert!(err.to_string().contains("523"));
    assert!(matches!(Capabilities::parse(b"250-mx\r\n250-SIZE"), Err(EhloError::Incomplete)));
    assert!(matches!(Capabilities::parse(b"HTTP/1.1 200 OK\r\n"), Err(EhloError::Parse(_))));
}

#[test]
fn row17_malformed_lines_skipped_and_flagged() {
    for bad in ["KEY:WORD", "KEYWORD ", "KEYWORD para\tmeter"] {
        let input = format!("250-mx.example.com\r\n250-PIPELINING\r\n250-{bad}\r\n250 8BITMIME\r\n");
        let caps = Capabilities::parse(input.as_bytes()).unwrap();
        assert!(caps.warnings().contains(CapWarnings::MALFORMED_LINE), "{bad}");
        assert_eq!(caps.len(), 2, "{bad}: the other lines still parse");
        assert!(caps.has("PIPELINING") && caps.has("8BITMIME"));
        assert!(!caps.has("KEYWORD") && !caps.has("KEY"));
    }
}

#[test]
fn row25_legacy_equals_form() {
    let caps =
        Capabilities::parse(b"250-mx\r\n250-XVERP=Courier\r\n250-AUTH=PLAIN LOGIN\r\n250 AUTH LOGIN CRAM-MD5\r\n")
            .unwrap();
    assert_eq!(params(&caps, "XVERP"), vec![b"Courier".to_vec()]);
    assert_eq!(caps.get("XVERP").unwrap().extension(), None);
    let mechs: Vec<&[u8]> = caps.auth_mechanisms().collect();
    assert_eq!(mechs, vec![&b"PLAIN"[..], b"LOGIN", b"CRAM-MD5"]);
    assert!(caps.warnings().contains(CapWarnings::LEGACY_EQUALS));
    assert!(!caps.warnings().contains(CapWarnings::DUPLICATE_KEYWORD), "AUTH beside AUTH= is normal");
}

#[test]
fn row28_blank_capability_line() {
    let caps = Capabilities::parse(b"250-mx\r\n250- \r\n250 OK\r\n").unwrap();
    assert_eq!(caps.len(), 1);
    assert!(caps.has("OK"));
    assert!(caps.warnings().contains(CapWarnings::MALFORMED_LINE));
}

#[test]
fn row33_size_overflow_flagged_not_truncated() {
    let caps = Capabilities::parse(b"250-mx\r\n250 SIZE 99999999999999999999999\r\n").unwrap();
    assert!(caps.has("SIZE"));
    assert_eq!(caps.size(), SizeLimit::Invalid);
    assert!(caps.warnings().contains(CapWarnings::SIZE_INVALID));
    assert_eq!(params(&caps, "SIZE"), vec![b"99999999999999999999999".to_vec()]);
}

#[test]
fn size_forms() {
    let size = |line: &str| Capabilities::parse(format!("250-mx\r\n250 {line}\r\n").as_bytes()).unwrap().size();
    assert_eq!(size("SIZE"), SizeLimit::Unspecified);
    assert_eq!(size("SIZE 0"), SizeLimit::NoFixedLimit);
    assert_eq!(size("size 18446744073709551615"), SizeLimit::Limit(u64::MAX));
    assert_eq!(size("SIZE 18446744073709551616"), SizeLimit::Invalid);
    assert_eq!(size("SIZE -1"), SizeLimit::Invalid);
    assert_eq!(size("8BITMIME"), SizeLimit::NotAdvertised);
}

#[test]
fn single_line_reply_and_odd_cases() {
    let caps = Capabilities::parse(b"250 mx.example.com\r\n").unwrap();
    assert_eq!(caps.domain(), b"mx.example.com");
    assert!(caps.is_empty());
    let caps = Capabilities::parse(b"250-mx\r\n250-PIPELINING\r\n250-pipelining\r\n250 SMTPUTF8 x\r\n").unwrap();
    assert!(caps.warnings().contains(CapWarnings::DUPLICATE_KEYWORD));
    assert!(caps.warnings().contains(CapWarnings::BAD_PARAMETER));
    let caps = Capabilities::parse(b"250 \r\n").unwrap();
    assert!(caps.warnings().contains(CapWarnings::MISSING_DOMAIN));
    let caps = Capabilities::parse(b"250-mx\n250 STARTTLS\n").unwrap();
    assert!(caps.has("STARTTLS"));
    assert!(!caps.reply_warnings().is_empty(), "bare LF is remembered from the reply");
}
