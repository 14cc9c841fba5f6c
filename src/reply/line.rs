//! One line of a reply: how its head (code and separator) and its enhanced status code decode.
//!
//! The parser and the line iterator share these functions, so the lines a caller walks are the
//! lines the parser validated.

use super::scan::find_lf;
use super::EnhancedCode;

/// How the content of a line (the line without its terminator) begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Head {
    /// `DDD`, `DDD text` or `DDD-text`.
    Coded { code: u16, last: bool, text_at: usize },
    /// Not three digits with a first digit of 2 to 5.
    NoCode,
    /// A valid code followed by something other than SP, `-` or the end of the line.
    BadSeparator,
}

#[inline(always)]
pub(crate) fn decode_head(content: &[u8]) -> Head {
    match content {
        [c0 @ b'2'..=b'5', c1 @ b'0'..=b'9', c2 @ b'0'..=b'9', rest @ ..] => {
            let code = (c0 - b'0') as u16 * 100 + (c1 - b'0') as u16 * 10 + (c2 - b'0') as u16;
            match rest.first() {
                None => Head::Coded { code, last: true, text_at: 3 },
                Some(b' ') => Head::Coded { code, last: true, text_at: 4 },
                Some(b'-') => Head::Coded { code, last: false, text_at: 4 },
                Some(_) => Head::BadSeparator,
            }
        }
        _ => Head::NoCode,
    }
}

/// Checks the first bytes of a line that has not ended yet, so that garbage fails at once instead
/// of after a whole line arrived. `None` when nothing is wrong so far.
#[inline]
pub(crate) fn early_head_error(partial: &[u8]) -> Option<Head> {
    for (k, &b) in partial.iter().take(4).enumerate() {
        let ok = match k {
            0 => (b'2'..=b'5').contains(&b),
            1 | 2 => b.is_ascii_digit(),
            _ => matches!(b, b' ' | b'-' | b'\r' | b'\n'),
        };
        if !ok {
            return Some(if k < 3 { Head::NoCode } else { Head::BadSeparator });
        }
    }
    None
}

/// What the text of a coded line starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leading {
    /// A valid enhanced code for this line; `rest` starts after it and the spaces that follow.
    Enhanced(EnhancedCode, usize),
    /// A well-formed enhanced code whose class is not the reply code's first digit.
    ClassMismatch,
    None,
}

/// Looks for an enhanced status code at the start of a line's text (RFC 2034 §4): the first token,
/// followed by a space or the end of the line, of the line code's class.
#[inline(always)]
pub(crate) fn leading_enhanced(text: &[u8], code: u16) -> Leading {
    match EnhancedCode::parse_prefix(text) {
        Some((e, n)) if n == text.len() || text[n] == b' ' => {
            if e.class as u16 == code / 100 {
                let rest = n + text[n..].iter().take_while(|&&b| b == b' ').count();
                Leading::Enhanced(e, rest)
            } else {
                Leading::ClassMismatch
            }
        }
        _ => Leading::None,
    }
}

/// The end of a line's content: the LF and any CRs before it removed.
#[inline(always)]
pub(crate) fn content_end(line: &[u8]) -> usize {
    let mut c = line;
    if let [rest @ .., b'\n'] = c {
        c = rest;
    }
    while let [rest @ .., b'\r'] = c {
        c = rest;
    }
    c.len()
}

/// One line of a parsed reply, borrowing from the input.
///
/// Compact on purpose (the line's bytes plus offsets): walking a reply's lines builds one per
/// line, and the accessors slice on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    raw: &'a [u8],
    /// Length of the line without its terminator.
    content_len: u32,
    /// Where the text after code and separator starts (0 for a line without a code).
    after_at: u32,
    /// Where the text without the enhanced code starts.
    text_at: u32,
    /// The line's code, 0 when it has none.
    code: u16,
    last: bool,
    /// Packed enhanced code (0 = none).
    enhanced: u32,
}

impl<'a> Line<'a> {
    /// Decodes one line (with its terminator, if any).
    #[cfg(test)]
    pub(crate) fn decode(raw: &'a [u8]) -> Line<'a> {
        Line::decode_with(raw, true)
    }

    /// Decodes one line; `enhanced_possible` is false when the reply is known to carry no enhanced
    /// code on any line, which saves looking for one.
    #[inline(always)]
    fn decode_with(raw: &'a [u8], enhanced_possible: bool) -> Line<'a> {
        let content_len = match raw {
            [.., b'\r', b'\n'] if !raw[..raw.len() - 2].ends_with(b"\r") => raw.len() - 2,
            _ => content_end(raw),
        };
        let content = &raw[..content_len];
        match decode_head(content) {
            Head::Coded { code, last, text_at } => {
                let (enhanced, text) = match enhanced_possible {
                    true => match leading_enhanced(&content[text_at..], code) {
                        Leading::Enhanced(e, rest) => (e.pack(), text_at + rest),
                        _ => (0, text_at),
                    },
                    false => (0, text_at),
                };
                Line {
                    raw,
                    content_len: content_len as u32,
                    after_at: text_at as u32,
                    text_at: text as u32,
                    code,
                    last,
                    enhanced,
                }
            }
            Head::NoCode | Head::BadSeparator => Line {
                raw,
                content_len: content_len as u32,
                after_at: 0,
                text_at: 0,
                code: 0,
                last: false,
                enhanced: 0,
            },
        }
    }

    /// The whole line as received, with its terminator.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }
    /// The line without its terminator (code, separator and text).
    pub fn content(&self) -> &'a [u8] {
        &self.raw[..self.content_len as usize]
    }
    /// The line's reply code; `None` for a continuation line that had none (a warning).
    pub fn code(&self) -> Option<u16> {
        (self.code != 0).then_some(self.code)
    }
    /// True for the final line of the reply (code followed by a space or the end of the line).
    pub fn is_last(&self) -> bool {
        self.last
    }
    /// The enhanced status code at the start of this line's text, if it has a valid one.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        EnhancedCode::unpack(self.enhanced)
    }
    /// Everything after the code and its separator, enhanced status code included (for a line
    /// without a code, the whole content).
    pub fn after_code(&self) -> &'a [u8] {
        &self.raw[self.after_at as usize..self.content_len as usize]
    }
    /// The text without code, separator and enhanced status code. May be empty. Never contains the
    /// line terminator.
    #[inline]
    pub fn text(&self) -> &'a [u8] {
        &self.raw[self.text_at as usize..self.content_len as usize]
    }
}

/// Iterator over the lines of a reply.
#[derive(Clone, Debug)]
pub struct Lines<'a> {
    raw: &'a [u8],
    at: usize,
    enhanced_possible: bool,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(raw: &'a [u8], enhanced_possible: bool) -> Lines<'a> {
        Lines { raw, at: 0, enhanced_possible }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    #[inline]
    fn next(&mut self) -> Option<Line<'a>> {
        if self.at >= self.raw.len() {
            return None;
        }
        // Searching the whole reply (not the rest of it) lets the vector search finish short last
        // lines with one overlapping load instead of a byte loop.
        let end = find_lf(self.raw, self.at).map_or(self.raw.len(), |i| i + 1);
        let line = &self.raw[self.at..end];
        self.at = end;
        Some(Line::decode_with(line, self.enhanced_possible))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads() {
        assert_eq!(decode_head(b"250"), Head::Coded { code: 250, last: true, text_at: 3 });
        assert_eq!(decode_head(b"250 OK"), Head::Coded { code: 250, last: true, text_at: 4 });
        assert_eq!(decode_head(b"421-x"), Head::Coded { code: 421, last: false, text_at: 4 });
        assert_eq!(decode_head(b"2506-me"), Head::BadSeparator);
        assert_eq!(decode_head(b"250\tOK"), Head::BadSeparator);
        for bad in [&b"611"[..], b"199 x", b"20x", b"25 OK", b" 250 OK", b"", b"25"] {
            assert_eq!(decode_head(bad), Head::NoCode, "{bad:?}");
        }
    }

    #[test]
    fn early_errors() {
        assert_eq!(early_head_error(b""), None);
        assert_eq!(early_head_error(b"2"), None);
        assert_eq!(early_head_error(b"25"), None);
        assert_eq!(early_head_error(b"250"), None);
        assert_eq!(early_head_error(b"250\r"), None);
        assert_eq!(early_head_error(b"H"), Some(Head::NoCode));
        assert_eq!(early_head_error(b"2x"), Some(Head::NoCode));
        assert_eq!(early_head_error(b"2506"), Some(Head::BadSeparator));
    }

    #[test]
    fn enhanced_leading() {
        let e = |c, s, d| EnhancedCode { class: c, subject: s, detail: d };
        assert_eq!(leading_enhanced(b"5.1.1 User unknown", 550), Leading::Enhanced(e(5, 1, 1), 6));
        assert_eq!(leading_enhanced(b"5.1.1   x", 550), Leading::Enhanced(e(5, 1, 1), 8));
        assert_eq!(leading_enhanced(b"2.0.0", 250), Leading::Enhanced(e(2, 0, 0), 5));
        assert_eq!(leading_enhanced(b"4.7.1 x", 550), Leading::ClassMismatch);
        assert_eq!(leading_enhanced(b"5.1.1;x", 550), Leading::None);
        assert_eq!(leading_enhanced(b"5.1.1\tx", 550), Leading::None);
        assert_eq!(leading_enhanced(b"2address.org", 250), Leading::None);
    }

    #[test]
    fn line_decoding() {
        let l = Line::decode(b"550-5.7.25 PTR record\r\n");
        assert_eq!(l.code(), Some(550));
        assert!(!l.is_last());
        assert_eq!(l.text(), b"PTR record");
        assert_eq!(l.content(), b"550-5.7.25 PTR record");
        let l = Line::decode(b"Read the file\r\n");
        assert_eq!(l.code(), None);
        assert_eq!(l.text(), b"Read the file");
        let l = Line::decode(b"250 OK\r\r\n");
        assert_eq!(l.text(), b"OK");
    }
}
