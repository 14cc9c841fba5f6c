//! Which layout a transcript is in: every reader scores the first lines (how many lines it
//! recognises); the best score wins, ties going to the more specific layout.

use super::lines::Line;
use super::{bounce, exchange, markers, steps, tools, Format, Speaker};

/// Lines looked at.
const SAMPLE: usize = 400;

/// From most to least specific: on a tie the first wins.
const ORDER: [Format; 9] = [
    Format::Exchange,
    Format::Smtplib,
    Format::Swaks,
    Format::Curl,
    Format::ServerClient,
    Format::Rfc,
    Format::Arrows,
    Format::Bounce,
    Format::Telnet,
];

pub(crate) fn detect(lines: &[Line]) -> Format {
    let sample = &lines[..lines.len().min(SAMPLE)];
    let mut best = (Format::Unknown, 0usize);
    for format in ORDER {
        // A raw telnet session has no markers at all: lines that merely start with a code or a
        // command (a code table beside a marked conversation) weigh less than explicit markers.
        let weight = if format == Format::Telnet { 1 } else { 3 };
        let s = score(sample, format) * weight;
        if s > best.1 {
            best = (format, s);
        }
    }
    best.0
}

/// How many lines `format`'s reader recognises as its own (0 when the layout's tell-tale signs
/// are missing).
pub(crate) fn score(lines: &[Line], format: Format) -> usize {
    let texts = lines.iter().map(|l| l.text.as_slice()).filter(|t| !t.trim_ascii().is_empty());
    match format {
        Format::Exchange => texts.filter(|t| exchange::is_row(t)).count(),
        Format::Smtplib => texts.filter(|t| tools::smtplib_line(t).is_some()).count(),
        Format::Swaks => {
            let (mut n, mut own) = (0, false);
            for t in texts {
                if let Some((speaker, tls, _)) = tools::swaks_line(t) {
                    n += 1;
                    // Only swaks writes "===", "<**", "<-  " (two spaces) or the TLS arrows.
                    own |= speaker == Speaker::Tool || tls || t.starts_with(b"<** ") || t.starts_with(b"<-  ");
                }
            }
            if own {
                n
            } else {
                0
            }
        }
        Format::Curl => {
            let (mut n, mut sent, mut got, mut notes, mut error) = (0, false, false, false, false);
            for t in texts {
                if let Some((speaker, _)) = tools::curl_line(t) {
                    n += 1;
                    sent |= speaker == Speaker::Client;
                    got |= speaker == Speaker::Server;
                    notes |= speaker == Speaker::Tool;
                }
                error |= t.starts_with(b"curl: (")
                    || [&b"* Trying "[..], b"*   Trying ", b"* Connected to ", b"* Failed to connect"]
                        .iter()
                        .any(|m| t.starts_with(m));
            }
            // curl always writes its own "*" notes; a conversation, or at least its connection
            // notes or error line.
            if notes && ((sent && got) || error) {
                n + error as usize
            } else {
                0
            }
        }
        Format::Rfc => {
            let (mut n, mut seen) = (0, [false; 3]);
            for t in texts {
                if let Some(letter) = markers::rfc_letter(t) {
                    n += 1;
                    seen[match letter {
                        b's' => 0,
                        b'c' => 1,
                        _ => 2,
                    }] = true;
                }
            }
            // Two speakers: S and C (RFC 5321) or S and R (RFC 821).
            if seen[0] && (seen[1] || seen[2]) {
                n
            } else {
                0
            }
        }
        Format::ServerClient | Format::Arrows => {
            let (mut n, mut server, mut client) = (0, false, false);
            for t in texts {
                if let Some((speaker, _)) = markers::find_marker(t, format) {
                    n += 1;
                    server |= speaker == Speaker::Server;
                    client |= speaker == Speaker::Client;
                }
            }
            if server && client {
                n
            } else {
                0
            }
        }
        Format::Bounce => texts.filter(|t| bounce::is_bounce_line(t)).count(),
        Format::Telnet => {
            let (mut codes, mut commands) = (0, 0);
            for t in texts {
                let t = tools::skip_timestamp(t);
                if tools::starts_with_code(t) {
                    codes += 1;
                } else if steps::command_of(t).is_some() {
                    commands += 1;
                }
            }
            if codes > 0 && commands > 0 {
                codes + commands
            } else {
                0
            }
        }
        Format::Unknown => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::lines::split;

    fn d(s: &str) -> Format {
        detect(&split(s.as_bytes(), 4096))
    }

    #[test]
    fn formats() {
        assert_eq!(d("Server: 220 x\nClient: HELO y\nServer: 250 x"), Format::ServerClient);
        assert_eq!(d("Server:\n|\n220 x |\nClient:\nHELO y |"), Format::ServerClient);
        assert_eq!(d("S: 220 x\nC: HELO y\nS: 250 x"), Format::Rfc);
        assert_eq!(d("-> HELO y\n<- 250 x"), Format::Arrows);
        assert_eq!(d("=== Trying\n<-  220 x\n -> EHLO y\n<-  250 x"), Format::Swaks);
        assert_eq!(d("* Connected\n< 220 x\n> EHLO y\n< 250 x"), Format::Curl);
        assert_eq!(d("220 x\nHELO y\n250 x\nQUIT\n221 bye"), Format::Telnet);
        assert_eq!(d("send: 'ehlo y\\r\\n'\nreply: b'250 x\\r\\n'"), Format::Smtplib);
        assert_eq!(d("Diagnostic-Code: smtp; 550 5.1.1 no such user"), Format::Bounce);
        assert_eq!(d(""), Format::Unknown);
        assert_eq!(d("lorem ipsum\ndolor sit amet"), Format::Unknown);
        assert_eq!(d("\u{0}\u{1}\u{2}garbage\u{ff}"), Format::Unknown);
    }
}
