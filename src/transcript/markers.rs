//! Readers for marker layouts: `Server:` / `Client:` (mail clients' connection logs, the FAQ's
//! two-column paste), RFC style `S:` / `C:`, and `->` / `<-` arrows (telnet tutorials).
//!
//! A marker may stand on its own line (the lines after it are that speaker's until the next
//! marker) or before the text, after any prefix a log adds (a timestamp, a thread number, or
//! tutorial prose such as `YOU SEND  ->`).

use super::lines::Line;
use super::{Format, Marked, Speaker, Utterance};

/// The marker on a line: who speaks and where the text starts.
pub(crate) fn find_marker(text: &[u8], format: Format) -> Option<(Speaker, usize)> {
    match format {
        Format::Arrows => find_arrow(text),
        Format::ServerClient => find_named(text, &[(b"server", Speaker::Server), (b"client", Speaker::Client)]),
        Format::Rfc => find_named(text, RFC5321_LETTERS),
        _ => None,
    }
}

/// RFC 5321 Appendix D writes `S:` for the server and `C:` for the client.
const RFC5321_LETTERS: &[(&[u8], Speaker)] = &[(b"s", Speaker::Server), (b"c", Speaker::Client)];
/// RFC 821 (and RFC 3030) write `S:` for the sender-SMTP (the client) and `R:` for the receiver.
const RFC821_LETTERS: &[(&[u8], Speaker)] = &[(b"s", Speaker::Client), (b"r", Speaker::Server)];

/// Whether the transcript uses RFC 821's `S:` / `R:` letters.
fn rfc821_letters(lines: &[Line]) -> bool {
    lines.iter().any(|l| find_named(&l.text, &[(b"r", Speaker::Server)]).is_some())
        && !lines.iter().any(|l| find_named(&l.text, &[(b"c", Speaker::Client)]).is_some())
}

/// For detection: RFC-style letters in either convention.
pub(crate) fn rfc_letter(text: &[u8]) -> Option<u8> {
    find_named(text, &[(b"s", Speaker::Server), (b"c", Speaker::Client), (b"r", Speaker::Tool)]).map(|(s, _)| match s {
        Speaker::Server => b's',
        Speaker::Client => b'c',
        Speaker::Tool => b'r',
    })
}

/// `->` (the user sends) or `<-` (the user receives), the first on the line; or a line that
/// starts with `> ` / `< ` (tutorials in the style of curl's trace).
fn find_arrow(text: &[u8]) -> Option<(Speaker, usize)> {
    match text {
        [b'>'] => return Some((Speaker::Client, 1)),
        [b'>', b' ', ..] => return Some((Speaker::Client, 2)),
        [b'<', b' ', ..] => return Some((Speaker::Server, 2)),
        _ => {}
    }
    let p = memchr::memmem::find(text, b"->");
    let q = memchr::memmem::find(text, b"<-");
    let (at, speaker) = match (p, q) {
        (Some(p), Some(q)) if q < p => (q, Speaker::Server),
        (Some(p), _) => (p, Speaker::Client),
        (None, Some(q)) => (q, Speaker::Server),
        (None, None) => return None,
    };
    // "<--" or "-->" are drawings, not markers.
    if text.get(at + 2) == Some(&b'-') || (at > 0 && text[at - 1] == b'-') {
        return None;
    }
    let mut start = at + 2;
    if text.get(start) == Some(&b' ') {
        start += 1;
    }
    Some((speaker, start))
}

/// `name:` (any case, spaces allowed before the colon), where what comes before is a prefix a
/// log adds and not SMTP text (so `554 Client host rejected:` is a reply, not a marker).
fn find_named(text: &[u8], names: &[(&[u8], Speaker)]) -> Option<(Speaker, usize)> {
    // Application logs put long prefixes (time, level, thread, logger) before the marker.
    for (at, &b) in text.iter().enumerate().take(240) {
        if at > 0 && text[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        for &(name, speaker) in names {
            if !b.eq_ignore_ascii_case(&name[0]) || !text[at..].iter().zip(name).all(|(a, n)| a.eq_ignore_ascii_case(n))
            {
                continue;
            }
            let mut i = at + name.len();
            while text.get(i) == Some(&b' ') {
                i += 1;
            }
            if text.get(i) != Some(&b':') || !prefix_ok(&text[..at]) {
                continue;
            }
            i += 1;
            while text.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
                i += 1;
            }
            return Some((speaker, i));
        }
    }
    None
}

/// A prefix before a marker: empty, or a timestamp/thread/prose that does not start with a reply
/// code or a command (those would make the "marker" part of SMTP text).
fn prefix_ok(prefix: &[u8]) -> bool {
    let p = prefix.trim_ascii();
    if p.is_empty() {
        return true;
    }
    let first: &[u8] = p.split(|b| *b == b' ' || *b == b':').next().unwrap_or(b"");
    let is_code = first.len() == 3 && first.iter().all(u8::is_ascii_digit) && (b'2'..=b'5').contains(&first[0]);
    !is_code && super::steps::command_of(p).is_none()
}

/// Reads a marker layout into utterances. With `Server:` / `Client:` markers, lines without a
/// marker belong to the last speaker (a marker on its own line, or a wrapped line). Arrows mark
/// every line, so an unmarked line is a note beside the conversation (a tutorial's comment).
/// Lines before any marker are the tool's.
pub(crate) fn read(lines: &[Line], format: Format) -> Vec<Utterance> {
    let letters = if format == Format::Rfc && rfc821_letters(lines) { RFC821_LETTERS } else { RFC5321_LETTERS };
    let mut out = Vec::new();
    let mut current: Option<Speaker> = None;
    let mut block = false;
    for line in lines {
        let text = line.text.as_slice();
        let marker = if format == Format::Rfc { find_named(text, letters) } else { find_marker(text, format) };
        match marker {
            Some((speaker, start)) => {
                current = Some(speaker);
                let rest = text[start..].trim_ascii_end();
                // A named marker alone opens a block; arrows carry empty message lines ("-> ").
                block = rest.is_empty() && format != Format::Arrows;
                if !block {
                    out.push(Utterance::new(line.number, speaker, rest));
                }
            }
            None => {
                let t = line.trimmed();
                if t.is_empty() {
                    continue;
                }
                let mut u = Utterance::new(line.number, current.unwrap_or(Speaker::Tool), t);
                if format == Format::Arrows || current.is_none() {
                    u.speaker = Speaker::Tool;
                } else {
                    u.marked = if block { Marked::InBlock } else { Marked::No };
                }
                out.push(u);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let m = |t: &[u8], f| find_marker(t, f).map(|(s, i)| (s, String::from_utf8_lossy(&t[i..]).into_owned()));
        assert_eq!(m(b"Server: 220 ready", Format::ServerClient), Some((Speaker::Server, "220 ready".into())));
        assert_eq!(m(b"Client:", Format::ServerClient), Some((Speaker::Client, "".into())));
        assert_eq!(m(b"[12:00:01] client : HELO x", Format::ServerClient), Some((Speaker::Client, "HELO x".into())));
        assert_eq!(m(b"554 5.7.1 Client host rejected: no", Format::ServerClient), None);
        assert_eq!(m(b"MAIL FROM:<client:x@y>", Format::ServerClient), None);
        assert_eq!(m(b"S: 250 ok", Format::Rfc), Some((Speaker::Server, "250 ok".into())));
        assert_eq!(m(b"C: RCPT TO:<a@b>", Format::Rfc), Some((Speaker::Client, "RCPT TO:<a@b>".into())));
        assert_eq!(m(b"Subject: hello", Format::Rfc), None);
        assert_eq!(m(b"YOU SEND          -> HELO x", Format::Arrows), Some((Speaker::Client, "HELO x".into())));
        assert_eq!(
            m(b"YOU RECEIVE 250 \"OK\"<- 250 mx.example", Format::Arrows),
            Some((Speaker::Server, "250 mx.example".into()))
        );
        assert_eq!(m(b"<-- drawing -->", Format::Arrows), None);
    }
}
