//! Readers for the output of tools: swaks, curl -v, a raw telnet session, Python smtplib's debug
//! output.

use super::lines::Line;
use super::{Format, Speaker, Utterance};

/// swaks' line markers (its "transaction" output): what each means.
const SWAKS: [(&[u8], Speaker, bool); 8] = [
    (b"<~* ", Speaker::Server, true),
    (b"<** ", Speaker::Server, false),
    (b"<~ ", Speaker::Server, true),
    (b"<- ", Speaker::Server, false),
    (b"~> ", Speaker::Client, true),
    (b"-> ", Speaker::Client, false),
    (b"=== ", Speaker::Tool, false),
    (b"*** ", Speaker::Tool, false),
];

/// A swaks line: (speaker, over TLS, text).
pub(crate) fn swaks_line(text: &[u8]) -> Option<(Speaker, bool, &[u8])> {
    // swaks indents client lines by one space (" -> "); pastes often lose it.
    let t = text.strip_prefix(b" ").unwrap_or(text);
    for (marker, speaker, tls) in SWAKS {
        // A client line of an empty message line is " ->" with nothing after it.
        let bare = &marker[..marker.len() - 1];
        if t.starts_with(marker) || t == bare {
            let rest = t.get(marker.len()..).unwrap_or(b"");
            // swaks pads server markers to four columns ("<-  250").
            let rest = if speaker == Speaker::Server { rest.strip_prefix(b" ").unwrap_or(rest) } else { rest };
            return Some((speaker, tls, rest));
        }
    }
    None
}

/// A curl -v line: `> ` sent, `< ` received, `* ` curl's own notes.
pub(crate) fn curl_line(text: &[u8]) -> Option<(Speaker, &[u8])> {
    match text {
        [b'>', b' ', rest @ ..] => Some((Speaker::Client, rest)),
        [b'>'] => Some((Speaker::Client, b"")),
        [b'<', b' ', rest @ ..] => Some((Speaker::Server, rest)),
        [b'*', b' ', rest @ ..] => Some((Speaker::Tool, rest.trim_ascii_start())),
        [b'{', b' ', b'[', ..] | [b'}', b' ', b'[', ..] => Some((Speaker::Tool, text)),
        _ => None,
    }
}

/// curl's progress meter, which lands between its -v lines.
fn curl_meter(text: &[u8]) -> bool {
    memchr::memmem::find(text, b"--:--:--").is_some()
        || memchr::memmem::find(text, b"% Total").is_some()
        || memchr::memmem::find(text, b"Dload").is_some()
}

/// The lines telnet itself prints.
const TELNET_NOTES: [&[u8]; 6] = [
    b"Trying ",
    b"Connected to ",
    b"Escape character is",
    b"Connection closed by foreign host",
    b"Connection closed.",
    b"telnet>",
];

/// A timestamp some logs put before each line (`2024-01-01 10:00:00.123`, `[10:00:00]`,
/// `Jan  1 10:00:00`): skipped when there is one with at least a time of day in it.
pub(crate) fn skip_timestamp(text: &[u8]) -> &[u8] {
    let t = text.trim_ascii_start();
    if let Some(rest) = t.strip_prefix(b"[") {
        if let Some(e) = rest.iter().position(|&b| b == b']') {
            if is_time_token(&rest[..e]) || rest[..e].split(|&b| b == b' ').any(is_time_token) {
                return rest[e + 1..].trim_ascii_start();
            }
        }
        return t;
    }
    const MONTHS: [&[u8]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let mut i = 0;
    let mut saw_time = false;
    let mut end = 0;
    while i < t.len() {
        let len = t[i..].iter().position(|&b| b == b' ').unwrap_or(t.len() - i);
        let token = &t[i..i + len];
        let date_like = !token.is_empty()
            && token.iter().all(|&b| b.is_ascii_digit() || b"-:./TZ+,".contains(&b))
            && token.iter().any(|b| b"-:./+".contains(b));
        let day = token.len() <= 2 && !token.is_empty() && token.iter().all(u8::is_ascii_digit) && end > 0;
        if !(date_like || day || MONTHS.contains(&token)) {
            break;
        }
        saw_time |= is_time_token(token);
        i += len;
        while t.get(i) == Some(&b' ') {
            i += 1;
        }
        end = i;
    }
    if saw_time {
        &t[end..]
    } else {
        t
    }
}

/// `hh:mm` with optional seconds and fractions, or an ISO date-time containing one.
fn is_time_token(token: &[u8]) -> bool {
    let digits = token.iter().filter(|b| b.is_ascii_digit()).count();
    digits >= 4 && token.contains(&b':') && token.iter().all(|&b| b.is_ascii_digit() || b"-:./TZ+,".contains(&b))
}

/// A reply code at the start: `[2-5]DD` then space, `-` or the end.
pub(crate) fn starts_with_code(t: &[u8]) -> bool {
    t.len() >= 3
        && (b'2'..=b'5').contains(&t[0])
        && t[1].is_ascii_digit()
        && t[2].is_ascii_digit()
        && matches!(t.get(3), None | Some(b' ' | b'-'))
}

/// A telnet line: server lines start with a code, telnet's own notes are the tool's, the rest is
/// what the user typed.
pub(crate) fn telnet_line(text: &[u8]) -> (Speaker, &[u8]) {
    let t = skip_timestamp(text);
    if starts_with_code(t) {
        (Speaker::Server, t)
    } else if TELNET_NOTES.iter().any(|n| t.starts_with(n)) {
        (Speaker::Tool, t)
    } else {
        (Speaker::Client, t)
    }
}

/// A smtplib debug line: `send: '...'`/`send: b'...'` (what was written, possibly several lines),
/// `reply: b'...'` (one reply line). `reply: retcode ...` and `data: (...)` repeat what the reply
/// lines said and are left out.
pub(crate) fn smtplib_line(text: &[u8]) -> Option<(Speaker, Vec<u8>)> {
    for (marker, speaker) in [(&b"send: "[..], Speaker::Client), (b"reply: ", Speaker::Server)] {
        if let Some(p) = memchr::memmem::find(text, marker) {
            let rest = &text[p + marker.len()..];
            if let Some(decoded) = python_literal(rest) {
                return Some((speaker, decoded));
            }
        }
    }
    None
}

/// Decodes a Python str or bytes literal (`'...'`, `b'...'`, `"..."`), as repr() writes them.
pub(crate) fn python_literal(s: &[u8]) -> Option<Vec<u8>> {
    let s = s.trim_ascii();
    let s = s.strip_prefix(b"b").unwrap_or(s);
    let quote = *s.first()?;
    if (quote != b'\'' && quote != b'"') || s.len() < 2 || s[s.len() - 1] != quote {
        return None;
    }
    let body = &s[1..s.len() - 1];
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'\\' || i + 1 >= body.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let e = body[i + 1];
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0' => out.push(0),
            b'\\' | b'\'' | b'"' => out.push(e),
            b'x' => match (body.get(i).and_then(|&h| hex(h)), body.get(i + 1).and_then(|&l| hex(l))) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.extend_from_slice(b"\\x"),
            },
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Reads tool output into utterances.
pub(crate) fn read(lines: &[Line], format: Format) -> Vec<Utterance> {
    let mut out = Vec::new();
    for line in lines {
        let text = line.text.as_slice();
        match format {
            Format::Swaks => match swaks_line(text) {
                Some((speaker, tls, rest)) => {
                    let mut u = Utterance::new(line.number, speaker, rest.trim_ascii_end());
                    u.tls = tls;
                    out.push(u);
                }
                None if !line.trimmed().is_empty() => {
                    out.push(Utterance::new(line.number, Speaker::Tool, line.trimmed()))
                }
                None => {}
            },
            Format::Curl => {
                if let Some((speaker, rest)) = curl_line(text) {
                    out.push(Utterance::new(line.number, speaker, rest.trim_ascii_end()));
                } else if curl_meter(text) {
                    // curl prints its own notes right after the meter on the same line.
                    if let Some(p) = memchr::memmem::find(text, b"* ") {
                        out.push(Utterance::new(line.number, Speaker::Tool, text[p + 2..].trim_ascii()));
                    }
                } else if !line.trimmed().is_empty() {
                    out.push(Utterance::new(line.number, Speaker::Tool, line.trimmed()));
                }
            }
            Format::Telnet => {
                let (speaker, rest) = telnet_line(text);
                // Blank lines count inside a message; the steps ignore them elsewhere.
                out.push(Utterance::new(line.number, speaker, rest.trim_ascii_end()));
            }
            Format::Smtplib => match smtplib_line(text) {
                Some((speaker, decoded)) => {
                    // One write can hold several lines (the whole message after DATA).
                    let mut parts: Vec<&[u8]> = decoded.split(|&b| b == b'\n').collect();
                    if parts.len() > 1 && parts.last() == Some(&&b""[..]) {
                        parts.pop();
                    }
                    for part in parts {
                        let part = part.strip_suffix(b"\r").unwrap_or(part);
                        out.push(Utterance::new(line.number, speaker, part));
                    }
                }
                None => {
                    let t = line.trimmed();
                    let repeat = memchr::memmem::find(t, b"reply: retcode").is_some() || t.starts_with(b"data: (");
                    if !t.is_empty() && !repeat {
                        out.push(Utterance::new(line.number, Speaker::Tool, t));
                    }
                }
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaks_markers() {
        assert_eq!(swaks_line(b"<-  250 ok"), Some((Speaker::Server, false, &b"250 ok"[..])));
        assert_eq!(swaks_line(b" -> MAIL FROM:<a@b>"), Some((Speaker::Client, false, &b"MAIL FROM:<a@b>"[..])));
        assert_eq!(swaks_line(b"<** 550 no"), Some((Speaker::Server, false, &b"550 no"[..])));
        assert_eq!(swaks_line(b"<~  250 ok"), Some((Speaker::Server, true, &b"250 ok"[..])));
        assert_eq!(swaks_line(b" ~> QUIT"), Some((Speaker::Client, true, &b"QUIT"[..])));
        assert_eq!(swaks_line(b"=== Trying"), Some((Speaker::Tool, false, &b"Trying"[..])));
        assert_eq!(swaks_line(b" -> "), Some((Speaker::Client, false, &b""[..])));
        assert_eq!(swaks_line(b" ->"), Some((Speaker::Client, false, &b""[..])));
        assert_eq!(swaks_line(b"hello"), None);
    }

    #[test]
    fn python_literals() {
        assert_eq!(python_literal(b"'ehlo x\\r\\n'").unwrap(), b"ehlo x\r\n");
        assert_eq!(python_literal(b"b'250 ok\\r\\n'").unwrap(), b"250 ok\r\n");
        assert_eq!(python_literal(b"b\"it's\"").unwrap(), b"it's");
        assert_eq!(python_literal(b"b'\\xc3\\xa9 \\\\ \\''").unwrap(), "é \\ '".as_bytes());
        assert_eq!(python_literal(b"'unterminated"), None);
        assert_eq!(python_literal(b"b'\\xZZ'").unwrap(), b"\\xZZ");
        assert_eq!(
            smtplib_line(b"12:00:00.123456 send: 'QUIT\\r\\n'").unwrap(),
            (Speaker::Client, b"QUIT\r\n".to_vec())
        );
        assert!(smtplib_line(b"reply: retcode (250); Msg: b'OK'").is_none());
    }

    #[test]
    fn telnet_and_timestamps() {
        assert_eq!(telnet_line(b"220 mx ESMTP").0, Speaker::Server);
        assert_eq!(telnet_line(b"HELO me").0, Speaker::Client);
        assert_eq!(telnet_line(b"Trying 192.0.2.1...").0, Speaker::Tool);
        assert_eq!(telnet_line(b"[2024-01-01 10:00:00] 250 ok"), (Speaker::Server, &b"250 ok"[..]));
        assert_eq!(skip_timestamp(b"10:00:00.123 250 ok"), b"250 ok");
        assert_eq!(skip_timestamp(b"250 ok"), b"250 ok");
        assert_eq!(skip_timestamp(b"2024-01-01 10:00:00.123 250 ok"), b"250 ok");
        assert_eq!(skip_timestamp(b"Jan  1 10:00:00 250 ok"), b"250 ok");
        assert_eq!(skip_timestamp(b"2024-01-01 250 ok"), b"2024-01-01 250 ok");
        assert_eq!(skip_timestamp(b"[thread 1] 250 ok"), b"[thread 1] 250 ok");
        assert!(starts_with_code(b"250-x") && !starts_with_code(b"2500") && !starts_with_code(b"650 x"));
    }
}
