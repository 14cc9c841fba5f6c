//! Microsoft Exchange / Exchange Online SMTP protocol logs: CSV rows
//! `date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context`
//! where the event is `+` (connect), `-` (disconnect), `>` (sent), `<` (received) or `*`
//! (information). Exchange is the client on Send connectors and the server on Receive connectors:
//! whichever side sends the 220 greeting is the server.
//!
//! One log interleaves many sessions; the first session is explained and the others are named in
//! a note (analyse them one at a time by filtering on the session id).

use super::lines::Line;
use super::{Speaker, Utterance};

/// Splits one CSV row (RFC 4180 quoting: `"a,b"` and `""` inside quotes).
pub(crate) fn csv_fields(line: &[u8]) -> Vec<Vec<u8>> {
    let mut fields = Vec::new();
    let mut cur = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if quoted {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    cur.push(b'"');
                    i += 1;
                } else {
                    quoted = false;
                }
            } else {
                cur.push(b);
            }
        } else if b == b'"' && cur.is_empty() {
            quoted = true;
        } else if b == b',' {
            fields.push(std::mem::take(&mut cur));
        } else {
            cur.push(b);
        }
        i += 1;
    }
    fields.push(cur);
    fields
}

/// The column positions, from a `#Fields:` header or Exchange's default order.
struct Columns {
    session: usize,
    event: usize,
    data: usize,
}

impl Columns {
    const DEFAULT: Columns = Columns { session: 2, event: 6, data: 7 };

    fn from_header(text: &[u8]) -> Option<Columns> {
        let rest = text.strip_prefix(b"#Fields:")?;
        let names: Vec<Vec<u8>> = csv_fields(rest.trim_ascii()).into_iter().map(|f| f.trim_ascii().to_vec()).collect();
        let at = |n: &[u8]| names.iter().position(|f| f.eq_ignore_ascii_case(n));
        Some(Columns { session: at(b"session-id")?, event: at(b"event")?, data: at(b"data")? })
    }
}

/// A data row: (session id, event, data).
fn row<'a>(fields: &'a [Vec<u8>], c: &Columns) -> Option<(&'a [u8], u8, &'a [u8])> {
    let event = fields.get(c.event)?;
    let [e] = event.as_slice() else { return None };
    if !b"+-<>*".contains(e) {
        return None;
    }
    Some((fields.get(c.session)?, *e, fields.get(c.data).map_or(&b""[..], |d| d.as_slice())))
}

/// Whether a line is a protocol-log row (for format detection).
pub(crate) fn is_row(text: &[u8]) -> bool {
    if text.starts_with(b"#Fields:") && memchr::memmem::find(text, b"event").is_some() {
        return true;
    }
    text.iter().filter(|&&b| b == b',').count() >= 7 && row(&csv_fields(text), &Columns::DEFAULT).is_some()
}

pub(crate) fn read(lines: &[Line]) -> Vec<Utterance> {
    let mut columns = Columns::DEFAULT;
    let mut rows = Vec::new();
    for line in lines {
        let text = line.trimmed();
        if text.starts_with(b"#") {
            if let Some(c) = Columns::from_header(text) {
                columns = c;
            }
            continue;
        }
        let fields = csv_fields(text);
        if let Some((session, event, data)) = row(&fields, &columns) {
            rows.push((line.number, session.to_vec(), event, data.to_vec()));
        }
    }
    let Some(first) = rows.first().map(|r| r.1.clone()) else { return Vec::new() };
    // Which event carries the server's words: the one with the greeting.
    let server_event = rows
        .iter()
        .filter(|r| r.1 == first && matches!(r.2, b'<' | b'>'))
        .find(|r| super::tools::starts_with_code(&r.3))
        .map_or(b'<', |r| r.2);
    let mut out = Vec::new();
    let mut others: Vec<&[u8]> = Vec::new();
    for (number, session, event, data) in &rows {
        if *session != first {
            if !others.contains(&session.as_slice()) {
                others.push(session);
            }
            continue;
        }
        let speaker = match event {
            b'<' | b'>' if *event == server_event => Speaker::Server,
            b'<' | b'>' => Speaker::Client,
            _ => Speaker::Tool,
        };
        let text: Vec<u8> = match event {
            b'+' => b"connected".to_vec(),
            b'-' => b"disconnected".to_vec(),
            _ => data.clone(),
        };
        if speaker != Speaker::Tool || !text.is_empty() {
            out.push(Utterance { line: *number, speaker, text, tls: false, marked: super::Marked::Yes });
        }
    }
    if !others.is_empty() {
        let note = format!(
            "the log holds {} more session(s) ({}{}); this explains session {}",
            others.len(),
            String::from_utf8_lossy(others[0]),
            if others.len() > 1 { ", ..." } else { "" },
            String::from_utf8_lossy(&first)
        );
        out.push(Utterance {
            line: rows.last().map_or(0, |r| r.0),
            speaker: Speaker::Tool,
            text: note.into_bytes(),
            tls: false,
            marked: super::Marked::Yes,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv() {
        assert_eq!(
            csv_fields(b"a,\"b,c\",\"say \"\"hi\"\"\",,"),
            vec![b"a".to_vec(), b"b,c".to_vec(), b"say \"hi\"".to_vec(), b"".to_vec(), b"".to_vec()]
        );
        assert!(is_row(b"2024-01-01T10:00:00.000Z,Outbound,08DC1,3,10.0.0.1:2525,192.0.2.1:25,<,220 mx ready,"));
        assert!(!is_row(b"a,b,c"));
    }
}
