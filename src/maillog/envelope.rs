//! The envelope of a log line: its timestamp, the host and program that logged it, and the
//! program's message.
//!
//! Mail logs reach us in a few shapes:
//!
//! - BSD syslog (RFC 3164), what `/var/log/maillog` and journald's `short` format look like:
//!   `Jan  1 10:00:00 mx1 postfix/smtp[123]: MESSAGE`;
//! - the same with an ISO 8601 / RFC 3339 timestamp (rsyslog's high-precision template,
//!   journald's `short-iso` and `short-iso-precise`):
//!   `2024-01-01T10:00:00.123456+01:00 mx1 postfix/smtp[123]: MESSAGE`;
//! - RFC 5424 with its priority and version: `<22>1 2024-01-01T10:00:00Z mx1 postfix/smtp 123 - -
//!   MESSAGE` (structured data `-` or `[...]`);
//! - Exim's own main log: `2024-01-01 10:00:00[.mmm][ +zzzz] [[pid] ]MESSAGE-ID ...`, where the
//!   timestamp is followed by the message without host or program.
//!
//! Parsing is byte-level and allocation-free; a line in none of these shapes gives `None`.

/// A line taken apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Envelope<'a> {
    /// A syslog line: `program` is the tag without its `[pid]`.
    Syslog { timestamp: &'a [u8], host: &'a [u8], program: &'a [u8], message: &'a [u8] },
    /// An Exim main-log line: the timestamp (with milliseconds and zone when logged) and what
    /// follows it.
    Exim { timestamp: &'a [u8], rest: &'a [u8] },
}

#[inline]
fn digits(s: &[u8], at: usize, n: usize) -> bool {
    s.len() >= at + n && s[at..at + n].iter().all(u8::is_ascii_digit)
}

/// `hh:mm:ss` at `at`.
#[inline]
fn clock(s: &[u8], at: usize) -> bool {
    digits(s, at, 2)
        && s.get(at + 2) == Some(&b':')
        && digits(s, at + 3, 2)
        && s.get(at + 5) == Some(&b':')
        && digits(s, at + 6, 2)
}

/// A BSD syslog timestamp `Mmm dd hh:mm:ss` at the start (the day padded with a space or a zero,
/// or not padded at all, as some relays write it); returns its length.
fn bsd_timestamp(s: &[u8]) -> Option<usize> {
    if s.len() < 14 || !s[0].is_ascii_uppercase() || !s[1].is_ascii_lowercase() || !s[2].is_ascii_lowercase() {
        return None;
    }
    if s[3] != b' ' {
        return None;
    }
    if (s[4] == b' ' || s[4].is_ascii_digit()) && s[5].is_ascii_digit() && s[6] == b' ' && clock(s, 7) {
        return Some(15);
    }
    (s[4].is_ascii_digit() && s[5] == b' ' && clock(s, 6)).then_some(14)
}

/// Fraction `.ddd` at `at`: returns the position after it.
fn fraction(s: &[u8], mut at: usize) -> usize {
    if s.get(at) == Some(&b'.') && s.get(at + 1).is_some_and(u8::is_ascii_digit) {
        at += 1;
        while s.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
    }
    at
}

/// A zone right after the time: `Z`, `+hh:mm` or `+hhmm`. Returns the position after it.
fn zone(s: &[u8], at: usize) -> usize {
    match s.get(at) {
        Some(b'Z') => at + 1,
        Some(b'+' | b'-') if digits(s, at + 1, 2) => {
            if s.get(at + 3) == Some(&b':') && digits(s, at + 4, 2) {
                at + 6
            } else if digits(s, at + 3, 2) {
                at + 5
            } else {
                at
            }
        }
        _ => at,
    }
}

/// `YYYY-MM-DD` then `T` or a space then `hh:mm:ss` at the start. Returns (length so far, the
/// separator).
#[inline]
fn iso_date_time(s: &[u8]) -> Option<(usize, u8)> {
    let ok = digits(s, 0, 4)
        && s.get(4) == Some(&b'-')
        && digits(s, 5, 2)
        && s.get(7) == Some(&b'-')
        && digits(s, 8, 2)
        && matches!(s.get(10), Some(b'T' | b' '))
        && clock(s, 11);
    ok.then(|| (19, s[10]))
}

/// Splits the token at the start of `s` (up to a space): (token, rest after the space).
#[inline]
fn token(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = memchr::memchr(b' ', s)?;
    (end > 0).then(|| (&s[..end], &s[end + 1..]))
}

/// `host program[pid]: message` after a syslog timestamp.
fn syslog_tail<'a>(timestamp: &'a [u8], s: &'a [u8]) -> Option<Envelope<'a>> {
    let (host, rest) = token(s)?;
    // The tag ends at ": " (or at "[pid]: "). It never holds a space.
    let colon = memchr::memchr2(b':', b' ', rest)?;
    if rest[colon] != b':' || rest.get(colon + 1).is_some_and(|&b| b != b' ') {
        return None;
    }
    let tag = &rest[..colon];
    let program = match memchr::memchr(b'[', tag) {
        Some(b) if tag.ends_with(b"]") => &tag[..b],
        Some(_) => return None,
        None => tag,
    };
    if program.is_empty() {
        return None;
    }
    let message = rest.get(colon + 2..).unwrap_or(&[]);
    Some(Envelope::Syslog { timestamp, host, program, message })
}

/// RFC 5424 after `<PRI>1 `: `TIMESTAMP HOST APP PROCID MSGID SD MSG`.
fn rfc5424(s: &[u8]) -> Option<Envelope<'_>> {
    let (timestamp, rest) = token(s)?;
    let (host, rest) = token(rest)?;
    let (program, rest) = token(rest)?;
    let (_procid, rest) = token(rest)?;
    let (_msgid, rest) = token(rest)?;
    // Structured data: "-" or one or more [id param="value" ...] elements; values may hold
    // spaces and escaped quotes or brackets.
    let message = if let Some(r) = rest.strip_prefix(b"-") {
        r.strip_prefix(b" ").unwrap_or(r)
    } else if rest.first() == Some(&b'[') {
        let mut i = 0;
        let mut quoted = false;
        loop {
            match rest.get(i)? {
                b'\\' if quoted => i += 1,
                b'"' => quoted = !quoted,
                b']' if !quoted && rest.get(i + 1) != Some(&b'[') => break,
                _ => {}
            }
            i += 1;
        }
        let r = &rest[i + 1..];
        r.strip_prefix(b" ").unwrap_or(r)
    } else {
        return None;
    };
    // An optional UTF-8 byte order mark before the message.
    let message = message.strip_prefix(b"\xef\xbb\xbf").unwrap_or(message);
    Some(Envelope::Syslog { timestamp, host, program, message })
}

/// An Exim main-log timestamp at the start: `YYYY-MM-DD hh:mm:ss`, with `.mmm` (log_selector
/// `+millisec`) and ` +zzzz` (`log_timezone`) when logged. Returns its length.
pub(crate) fn exim_timestamp(s: &[u8]) -> Option<usize> {
    match iso_date_time(s)? {
        (n, b' ') => {
            let mut at = fraction(s, n);
            if s.get(at) == Some(&b' ') && matches!(s.get(at + 1), Some(b'+' | b'-')) && digits(s, at + 2, 4) {
                at += 6;
            }
            Some(at)
        }
        _ => None,
    }
}

/// Takes a line (without its line end) apart. `None` when it has no recognisable envelope.
pub(crate) fn parse(line: &[u8]) -> Option<Envelope<'_>> {
    let first = *line.first()?;
    if first == b'<' {
        // <PRI> before a syslog line, RFC 5424 when the version "1 " follows.
        let close = line.iter().take(5).position(|&b| b == b'>')?;
        if close < 2 || !line[1..close].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let rest = &line[close + 1..];
        if let Some(r) = rest.strip_prefix(b"1 ") {
            return rfc5424(r);
        }
        return parse(rest).filter(|e| matches!(e, Envelope::Syslog { .. }));
    }
    if first.is_ascii_uppercase() {
        let n = bsd_timestamp(line)?;
        return syslog_tail(&line[..n], line.get(n + 1..).filter(|_| line[n] == b' ')?);
    }
    if !first.is_ascii_digit() {
        return None;
    }
    let (n, sep) = iso_date_time(line)?;
    if sep == b' ' {
        // Exim writes "YYYY-MM-DD hh:mm:ss"; a syslog template with a space-separated date is
        // told apart by what follows (Exim: a message id or "[pid]"; syslog: "host program:").
        let end = exim_timestamp(line)?;
        let rest = line.get(end + 1..).filter(|_| line[end] == b' ')?;
        if looks_like_exim_body(rest) {
            return Some(Envelope::Exim { timestamp: &line[..end], rest });
        }
        return syslog_tail(&line[..end], rest);
    }
    let end = zone(line, fraction(line, n));
    syslog_tail(&line[..end], line.get(end + 1..).filter(|_| line.get(end) == Some(&b' '))?)
}

/// Whether `s` starts like the body of an Exim main-log line rather than `host program:`: with
/// `[pid]`, or with a word that is not followed by a program tag. Exim lines without a message id
/// ("Start queue run", "SMTP connection from ...") count as Exim: their second word is never a
/// program tag ending in ':'.
fn looks_like_exim_body(s: &[u8]) -> bool {
    if s.first() == Some(&b'[') {
        return true;
    }
    match token(s) {
        Some((_, rest)) => {
            let tag_end = memchr::memchr2(b':', b' ', rest);
            !matches!(tag_end, Some(p) if rest[p] == b':' && p > 0 && rest.get(p + 1).is_none_or(|&b| b == b' '))
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syslog(line: &str) -> (String, String, String, String) {
        match parse(line.as_bytes()) {
            Some(Envelope::Syslog { timestamp, host, program, message }) => (
                String::from_utf8_lossy(timestamp).into(),
                String::from_utf8_lossy(host).into(),
                String::from_utf8_lossy(program).into(),
                String::from_utf8_lossy(message).into(),
            ),
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn bsd_syslog() {
        let (t, h, p, m) = syslog("Jan  1 10:00:00 mx1 postfix/smtp[123]: 4F1: to=<a@b>");
        assert_eq!(
            (t.as_str(), h.as_str(), p.as_str(), m.as_str()),
            ("Jan  1 10:00:00", "mx1", "postfix/smtp", "4F1: to=<a@b>")
        );
        let (t, _, p, _) = syslog("Dec 31 23:59:59 mx1 postfix-out/submission/smtpd[9]: x");
        assert_eq!((t.as_str(), p.as_str()), ("Dec 31 23:59:59", "postfix-out/submission/smtpd"));
        let (_, _, p, m) = syslog("Mar 08 10:29:42 mx3 exim: 2011-03-08 10:29:42 x");
        assert_eq!((p.as_str(), m.as_str()), ("exim", "2011-03-08 10:29:42 x"));
        let (_, _, p, _) = syslog("<22>Jan  1 10:00:00 mx1 postfix/qmgr[7]: x");
        assert_eq!(p, "postfix/qmgr");
        let (t, h, ..) = syslog("Jan 1 10:00:00 mx1 postfix/qmgr[7]: x");
        assert_eq!((t.as_str(), h.as_str()), ("Jan 1 10:00:00", "mx1"));
    }

    #[test]
    fn iso_syslog_and_rfc5424() {
        let (t, h, p, m) = syslog("2024-01-01T10:00:00.123456+01:00 mx1 postfix/smtp[123]: hello");
        assert_eq!(
            (t.as_str(), h.as_str(), p.as_str(), m.as_str()),
            ("2024-01-01T10:00:00.123456+01:00", "mx1", "postfix/smtp", "hello")
        );
        let (t, ..) = syslog("2024-01-01T10:00:00+0100 mx1 postfix/smtp[1]: x");
        assert_eq!(t, "2024-01-01T10:00:00+0100");
        let (t, ..) = syslog("2024-01-01T10:00:00Z mx1 postfix/smtp[1]: x");
        assert_eq!(t, "2024-01-01T10:00:00Z");
        let (t, h, p, m) = syslog("<22>1 2024-01-01T10:00:00.000Z mx1 postfix/smtp 123 - - 4F1: to=<a@b>");
        assert_eq!(
            (t.as_str(), h.as_str(), p.as_str(), m.as_str()),
            ("2024-01-01T10:00:00.000Z", "mx1", "postfix/smtp", "4F1: to=<a@b>")
        );
        let (_, _, _, m) = syslog("<22>1 2024-01-01T10:00:00Z mx1 postfix/smtp 123 ID47 [x@1 a=\"b ] c\"][y@2] msg");
        assert_eq!(m, "msg");
        // A space-separated date from a custom template, followed by host and program.
        let (t, h, p, _) = syslog("2024-01-01 10:00:00 mx1 postfix/smtp[5]: x");
        assert_eq!((t.as_str(), h.as_str(), p.as_str()), ("2024-01-01 10:00:00", "mx1", "postfix/smtp"));
    }

    #[test]
    fn exim_main_log() {
        for (line, ts) in [
            ("2024-01-01 10:00:00 1rABcD-000123-Xy ** x", "2024-01-01 10:00:00"),
            ("2024-01-01 10:00:00.123 1rABcD-000123-Xy ** x", "2024-01-01 10:00:00.123"),
            ("2024-01-01 10:00:00 -0000 1rABcD-000123-Xy ** x", "2024-01-01 10:00:00 -0000"),
            ("2024-01-01 10:00:00.5 +0100 [1234] 1rABcD-000123-Xy ** x", "2024-01-01 10:00:00.5 +0100"),
            ("2024-01-01 10:00:00 Start queue run: pid=1", "2024-01-01 10:00:00"),
        ] {
            match parse(line.as_bytes()) {
                Some(Envelope::Exim { timestamp, .. }) => assert_eq!(timestamp, ts.as_bytes(), "{line}"),
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn not_an_envelope() {
        for line in [
            "",
            "hello world",
            "Jan  1 10:00:00",
            "Jan  1 10:00:00 mx1",
            "Jan  1 10:00:00 mx1 no colon here",
            "Jan  1 10:00:00 mx1 prog[12: x",
            "Jan 1 10:00 mx1 prog: x",
            "2024-13-01",
            "<>1 x",
            "<999999> x",
            "<22>1 2024-01-01T10:00:00Z mx1 postfix/smtp 123 - [unterminated",
            "\x00\x01\x02",
        ] {
            assert_eq!(parse(line.as_bytes()), None, "{line:?}");
        }
    }
}
