//! Cleaning a reply before matching: find the reply inside whatever wraps it, unfold it, and
//! normalise its text.
//!
//! Replies reach the classifier as the server sent them, as one flattened log line
//! (`550-5.7.1 ... 550 5.7.1 ...`), or wrapped by the relaying MTA (`host mx.example.com[192.0.2.1]
//! said: 550 5.1.1 ... (in reply to RCPT TO command)`, `Diagnostic-Code: smtp; 550 ...`, Exim's
//! `SMTP error from remote mail server after RCPT TO:<x>: 550 ...`). Cleaning finds the code and the
//! enhanced code, infers the command from the wrapper, and leaves lower-case text with single
//! spaces and without wrappers or repeated codes, in a fixed buffer (no allocation).

use crate::command::Command;
use crate::reply::{parse_reply, EnhancedCode, ParserOptions};
use std::mem::MaybeUninit;

/// Longest normalised text kept; replies say why early, and longer text is cut.
pub(crate) const MAX_TEXT: usize = 4096;

/// Normalised text in a fixed buffer: bytes below `len` are initialised.
///
/// The buffer stays uninitialised: zeroing 4 KiB per call was a third of classification time. It
/// is the last field (`repr(C)`, here and in `Cleaned`) because LLVM otherwise merges the zero
/// stores around it with the undefined bytes into one memset.
#[repr(C)]
pub(crate) struct TextBuf {
    len: usize,
    buf: MaybeUninit<[u8; MAX_TEXT]>,
}

impl TextBuf {
    pub(crate) fn new() -> TextBuf {
        TextBuf { len: 0, buf: MaybeUninit::uninit() }
    }
    pub(crate) fn as_slice(&self) -> &[u8] {
        // SAFETY: the first `len` bytes were written (push is the only way `len` grows).
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr().cast::<u8>(), self.len) }
    }
    fn ptr(&mut self) -> *mut u8 {
        self.buf.as_mut_ptr().cast::<u8>()
    }
    fn last(&self) -> Option<u8> {
        self.as_slice().last().copied()
    }
    fn push(&mut self, b: u8) {
        if self.len < MAX_TEXT {
            // SAFETY: len < MAX_TEXT, inside the buffer.
            unsafe { self.ptr().add(self.len).write(b) };
            self.len += 1;
        }
    }
    /// Appends bytes normalised: ASCII lower case, controls and runs of white space as one space.
    fn push_normalised(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let b = match b {
                b'A'..=b'Z' => b + 32,
                0..=0x20 | 0x7f => b' ',
                _ => b,
            };
            if b == b' ' && matches!(self.last(), None | Some(b' ')) {
                continue;
            }
            self.push(b);
        }
    }
    fn separate(&mut self) {
        if !matches!(self.last(), None | Some(b' ')) {
            self.push(b' ');
        }
    }
    fn trim_end(&mut self) {
        while self.last() == Some(b' ') {
            self.len -= 1;
        }
    }
    /// Removes the bytes in `[from, to)`, joining what is left with one space.
    fn cut(&mut self, from: usize, to: usize) {
        let to = to.min(self.len);
        if from >= to {
            return;
        }
        let n = to - from;
        // SAFETY: both ranges lie below `len`, inside the buffer; `copy` allows overlap.
        unsafe { std::ptr::copy(self.ptr().add(to), self.ptr().add(from), self.len - to) };
        self.len -= n;
        // Collapse the spaces that may now meet.
        if from > 0 && from < self.len && self.as_slice()[from - 1] == b' ' && self.as_slice()[from] == b' ' {
            self.cut(from, from + 1);
        }
    }
}

/// What cleaning found.
#[repr(C)]
pub(crate) struct Cleaned {
    /// The reply code, 0 when the input holds none.
    pub(crate) code: u16,
    pub(crate) enhanced: Option<EnhancedCode>,
    /// The command named by a wrapper such as `(in reply to RCPT TO command)`.
    pub(crate) command: Option<Command>,
    /// Where the reply starts in the input (after any wrapper); evidence is looked for from here.
    pub(crate) reply_start: usize,
    /// Last: see `TextBuf`.
    pub(crate) text: TextBuf,
}

/// Markers after which the relayed reply starts, in log lines and bounce reports.
const REPLY_MARKERS: [&[u8]; 6] = [b"said:", b"smtp;", b"diagnostic-code:", b"response:", b"reply:", b"error:"];

/// Wrapper phrases that name the command the reply answered (lower case).
const COMMAND_HINTS: [(&[u8], Command); 22] = [
    (b"in reply to rcpt to command", Command::Rcpt),
    (b"in reply to mail from command", Command::Mail),
    (b"in reply to end of data command", Command::DataEnd),
    (b"in reply to data command", Command::Data),
    (b"in reply to ehlo command", Command::Ehlo),
    (b"in reply to helo command", Command::Helo),
    (b"in reply to starttls command", Command::StartTls),
    (b"in reply to auth", Command::Auth),
    (b"in reply to quit command", Command::Quit),
    (b"in reply to rset command", Command::Rset),
    // Exim: "SMTP error from remote mail server after pipelined RCPT TO:<x>: 550 ...".
    (b"after pipelined rcpt to", Command::Rcpt),
    (b"after pipelined mail from", Command::Mail),
    (b"after pipelined data", Command::Data),
    (b"after rcpt to", Command::Rcpt),
    (b"after mail from", Command::Mail),
    (b"after end of data", Command::DataEnd),
    (b"after initial connection", Command::Greeting),
    (b"after ehlo", Command::Ehlo),
    (b"after helo", Command::Helo),
    (b"after starttls", Command::StartTls),
    (b"after auth", Command::Auth),
    // Postfix: "host X refused to talk to me: 554 ..." (the greeting was a refusal).
    (b"refused to talk to me", Command::Greeting),
];

/// The first occurrence of `needle` in `hay`: looks for its first byte, then compares.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let p = from + hay[from..=hay.len() - needle.len()].iter().position(|&b| b == first)?;
        if &hay[p + 1..p + needle.len()] == rest {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle.first()?.to_ascii_lowercase();
    (0..(hay.len() + 1).saturating_sub(needle.len()))
        .filter(|&p| hay[p].to_ascii_lowercase() == first)
        .find(|&p| hay[p..p + needle.len()].eq_ignore_ascii_case(needle))
}

/// A reply code at `p`: `[2-5]DD` followed by space, `-` or the end, not inside a longer token.
fn code_at(s: &[u8], p: usize) -> Option<u16> {
    let d = s.get(p..p + 3)?;
    if !(b'2'..=b'5').contains(&d[0]) || !d[1].is_ascii_digit() || !d[2].is_ascii_digit() {
        return None;
    }
    if !matches!(s.get(p + 3), None | Some(b' ' | b'-' | b'\r' | b'\n')) {
        return None;
    }
    if p > 0 && !matches!(s[p - 1], b' ' | b'\t' | b'\r' | b'\n' | b';' | b':' | b'(' | b'"' | b'\'' | b'<' | b'>') {
        return None;
    }
    Some((d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16)
}

fn first_code(s: &[u8], from: usize) -> Option<(usize, u16)> {
    (from..s.len()).find_map(|p| code_at(s, p).map(|c| (p, c)))
}

/// Cleans `input`.
pub(crate) fn clean(input: &[u8]) -> Cleaned {
    let mut out = Cleaned { code: 0, enhanced: None, command: None, reply_start: 0, text: TextBuf::new() };
    let trimmed_start = input.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(input.len());
    let s = &input[trimmed_start..];

    // Where the reply starts: at the beginning, or after a wrapper such as "host X said:".
    // Where a wrapper's marker ends ("said:", "smtp;" ...): looked for only when the input does
    // not start with a code (each marker is a scan of the whole input).
    let head_code = code_at(s, 0).is_some();
    let after_marker =
        if head_code { None } else { REPLY_MARKERS.iter().filter_map(|m| find_ci(s, m).map(|p| p + m.len())).min() };
    let start = if head_code {
        Some(0)
    } else {
        // Right after a marker ("said: 550"), or else the first 4xx/5xx anywhere (a wrapper
        // without a marker). Not a 2xx/3xx inside text: "greylisted for 300 seconds" holds no code.
        let at_marker = after_marker.map(|m| m + s[m..].iter().take_while(|b| b.is_ascii_whitespace()).count());
        at_marker
            .filter(|&p| code_at(s, p).is_some())
            .or_else(|| first_code(s, 0).filter(|&(_, c)| c >= 400).map(|(p, _)| p))
    };
    let Some(start) = start else {
        // No reply code: classify the text alone, with an enhanced code where the reply would
        // start ("4.2.0 <bob@...>: Recipient address rejected", "smtp; 5.1.0 - Unknown address").
        let from = after_marker.unwrap_or(0);
        let from = from + s[from..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        if let Some((e, n)) = EnhancedCode::parse_prefix(&s[from..]) {
            if matches!(e.class, 2 | 4 | 5) && matches!(s.get(from + n), None | Some(b' ' | b'\t' | b'-' | b':')) {
                out.enhanced = Some(e);
                out.reply_start = trimmed_start + from;
            }
        }
        out.text.push_normalised(s);
        finish(&mut out);
        return out;
    };
    let wrapper = &s[..start];
    let body = &s[start..];
    out.reply_start = trimmed_start + start;
    match parse_reply(body, &ParserOptions::UNBOUNDED).ok().flatten() {
        Some(reply) => {
            out.code = reply.code();
            out.enhanced = reply.enhanced();
            for line in reply.lines() {
                out.text.separate();
                out.text.push_normalised(line.text());
            }
            // Anything after the reply (a wrapper's tail, or pipelined replies) still informs.
            let rest = &body[reply.consumed()..];
            if !rest.is_empty() {
                out.text.separate();
                out.text.push_normalised(rest);
            }
        }
        _ => {
            // One unterminated line (or text the parser refuses): take the code and enhanced code
            // from its start and the rest as text.
            out.code = code_at(body, 0).unwrap_or(0);
            let mut text = &body[3.min(body.len())..];
            if matches!(text.first(), Some(b' ' | b'-')) {
                text = &text[1..];
            }
            if let Some((e, n)) = EnhancedCode::parse_prefix(text) {
                if (n == text.len() || text[n] == b' ') && e.class as u16 == out.code / 100 {
                    out.enhanced = Some(e);
                    text = &text[n..];
                }
            }
            out.text.push_normalised(text);
        }
    }
    // The wrapper names the command, but its words (host names ...) are not the reply's: look at
    // it in the buffer's spare room, then drop it again.
    if !wrapper.is_empty() {
        let text_len = out.text.len;
        out.text.push(b' ');
        out.text.push_normalised(wrapper);
        out.command = command_hint(&out.text.as_slice()[text_len..]);
        out.text.len = text_len;
    }
    finish(&mut out);
    out
}

fn command_hint(text: &[u8]) -> Option<Command> {
    // Every hint contains "in reply to", "after" or "talk to": find those first.
    if find(text, b"in reply to").is_none() && find(text, b"after ").is_none() && find(text, b"talk to").is_none() {
        return None;
    }
    COMMAND_HINTS.iter().find(|(needle, _)| find(text, needle).is_some()).map(|(_, c)| *c)
}

/// Common tail: command hints and wrapper removal inside the text, repeated codes, trimming.
fn finish(out: &mut Cleaned) {
    // "(in reply to RCPT TO command)" inside the text: note the command, drop the wrapper.
    if out.command.is_none() {
        out.command = command_hint(out.text.as_slice());
    }
    while let Some(p) = find(out.text.as_slice(), b"(in reply to ") {
        let end = out.text.as_slice()[p..].iter().position(|&b| b == b')').map_or(out.text.len, |e| p + e + 1);
        out.text.cut(p, end);
    }
    if out.enhanced.is_none() {
        out.enhanced =
            qmail_enhanced(out.text.as_slice()).filter(|e| out.code == 0 || e.class as u16 == out.code / 100);
    }
    remove_repeated_codes(out);
    out.text.trim_end();
    while out.text.as_slice().first() == Some(&b' ') {
        out.text.cut(0, 1);
    }
}

/// qmail and vpopmail put the enhanced code at the end, as `(#5.1.1)`.
fn qmail_enhanced(text: &[u8]) -> Option<EnhancedCode> {
    let p = find(text, b"(#")? + 2;
    let (e, n) = EnhancedCode::parse_prefix(&text[p..])?;
    (text.get(p + n) == Some(&b')') && matches!(e.class, 2 | 4 | 5)).then_some(e)
}

/// Drops the codes that flattened multi-line replies repeat (`550-5.7.1 `, `550 5.7.1 `) and
/// standalone copies of the enhanced code.
fn remove_repeated_codes(out: &mut Cleaned) {
    if out.code == 0 {
        return;
    }
    let mut i = 0;
    while i < out.text.len {
        let t = out.text.as_slice();
        let at_token = i == 0 || t[i - 1] == b' ';
        if at_token && code_at(t, i) == Some(out.code) {
            let mut end = i + 3;
            if matches!(t.get(end), Some(b'-' | b' ')) {
                end += 1;
            }
            if let Some((e, n)) = EnhancedCode::parse_prefix(&t[end..]) {
                if e.class as u16 == out.code / 100 && matches!(t.get(end + n), None | Some(b' ')) {
                    end += n;
                }
            }
            while t.get(end) == Some(&b' ') {
                end += 1;
            }
            out.text.cut(i, end);
            continue;
        }
        if at_token {
            if let (Some(e), Some((found, n))) = (out.enhanced, EnhancedCode::parse_prefix(&t[i..])) {
                if e == found && matches!(t.get(i + n), None | Some(b' ')) {
                    out.text.cut(i, i + n);
                    continue;
                }
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> (String, u16, Option<String>, Option<Command>) {
        let out = clean(s.as_bytes());
        (
            String::from_utf8(out.text.as_slice().to_vec()).unwrap(),
            out.code,
            out.enhanced.map(|e| e.to_string()),
            out.command,
        )
    }

    #[test]
    fn plain_and_multiline_replies() {
        assert_eq!(
            c("550 5.1.1 <a@b.c>: User Unknown\r\n"),
            ("<a@b.c>: user unknown".into(), 550, Some("5.1.1".into()), None)
        );
        assert_eq!(c("550-5.7.1 First  line\r\n550 5.7.1 Second\tline\r\n").0, "first line second line");
        assert_eq!(c("550 User unknown").0, "user unknown");
    }

    #[test]
    fn flattened_replies_lose_their_repeated_codes() {
        let (t, code, e, _) =
            c("550-5.7.1 This message is not RFC 5322 compliant. 550-5.7.1 There are multiple 550 5.7.1 headers.");
        assert_eq!(t, "this message is not rfc 5322 compliant. there are multiple headers.");
        assert_eq!((code, e.as_deref()), (550, Some("5.7.1")));
    }

    #[test]
    fn wrappers_are_stripped_and_name_the_command() {
        let (t, code, e, cmd) = c("host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)");
        assert_eq!(t, "<bob@example.com>: recipient address rejected: user unknown");
        assert_eq!((code, e.as_deref(), cmd), (550, Some("5.1.1"), Some(Command::Rcpt)));
        let (t, code, _, cmd) = c("SMTP error from remote mail server after MAIL FROM:<x@y> SIZE=1234: 553 sorry, your envelope sender is in my badmailfrom list");
        assert_eq!(
            (t.as_str(), code, cmd),
            ("sorry, your envelope sender is in my badmailfrom list", 553, Some(Command::Mail))
        );
        let (t, code, e, _) = c("Diagnostic-Code: smtp; 552 5.2.2 Mailbox full");
        assert_eq!((t.as_str(), code, e.as_deref()), ("mailbox full", 552, Some("5.2.2")));
    }

    #[test]
    fn text_without_a_code() {
        assert_eq!(c("Mailbox is full"), ("mailbox is full".into(), 0, None, None));
        assert_eq!(c("").1, 0);
        // An IP address is not a reply code.
        assert_eq!(c("blocked [203.0.113.2] for spam").1, 0);
    }

    #[test]
    fn long_input_is_cut_not_overflowed() {
        let long = format!("550 {}", "x ".repeat(10_000));
        let out = clean(long.as_bytes());
        assert!(out.text.as_slice().len() <= MAX_TEXT);
        assert_eq!(out.code, 550);
    }
}
