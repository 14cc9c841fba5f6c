//! The input as lines: CRLF, LF or CR endings, HTML entities decoded (logs copied from web pages
//! arrive as `&lt;bob@example.com&gt;`), the `|` decoration of table-formatted pastes dropped, and
//! over-long lines cut.

/// One input line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    /// 1-based.
    pub(crate) number: usize,
    pub(crate) text: Vec<u8>,
    /// The line was longer than the limit and was cut.
    pub(crate) cut: bool,
}

impl Line {
    pub(crate) fn trimmed(&self) -> &[u8] {
        self.text.trim_ascii()
    }
}

/// Splits `input` into lines of at most `max_line` bytes.
pub(crate) fn split(input: &[u8], max_line: usize) -> Vec<Line> {
    let html = has_entities(input);
    let mut out = Vec::new();
    let mut start = 0;
    let mut number = 0;
    while start < input.len() {
        let end = memchr::memchr2(b'\n', b'\r', &input[start..]).map_or(input.len(), |p| start + p);
        number += 1;
        let raw = &input[start..end];
        let cut = raw.len() > max_line;
        let raw = &raw[..raw.len().min(max_line)];
        let mut text = if html { unescape(raw) } else { raw.to_vec() };
        strip_decoration(&mut text);
        out.push(Line { number, text, cut });
        // CRLF is one ending; a lone CR or LF is one too.
        start = end + 1;
        if end < input.len() && input[end] == b'\r' && input.get(end + 1) == Some(&b'\n') {
            start += 1;
        }
    }
    out
}

fn has_entities(input: &[u8]) -> bool {
    memchr::memmem::find(input, b"&lt;").is_some() || memchr::memmem::find(input, b"&gt;").is_some()
}

/// Decodes the entities that matter in pasted logs.
fn unescape(s: &[u8]) -> Vec<u8> {
    const ENTITIES: [(&[u8], &[u8]); 7] = [
        (b"&lt;", b"<"),
        (b"&gt;", b">"),
        (b"&amp;", b"&"),
        (b"&quot;", b"\""),
        (b"&#39;", b"'"),
        (b"&apos;", b"'"),
        (b"&nbsp;", b" "),
    ];
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'&' {
            if let Some((from, to)) = ENTITIES.iter().find(|(from, _)| s[i..].starts_with(from)) {
                out.extend_from_slice(to);
                i += from.len();
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// Table-formatted pastes (a FAQ page's two-column layout) put `|` between cells: a line that is
/// only `|` is empty, and a trailing ` |` is not part of the text.
fn strip_decoration(text: &mut Vec<u8>) {
    let trimmed = text.trim_ascii();
    if trimmed == b"|" {
        text.clear();
        return;
    }
    if trimmed.len() >= 2 && trimmed.ends_with(b"|") && trimmed[trimmed.len() - 2].is_ascii_whitespace() {
        let bar = text.iter().rposition(|&b| b == b'|').expect("the line ends with |");
        text.truncate(bar);
        while text.last().is_some_and(|b| b.is_ascii_whitespace()) {
            text.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &[u8]) -> Vec<String> {
        split(input, 1000).iter().map(|l| String::from_utf8_lossy(&l.text).into_owned()).collect()
    }

    #[test]
    fn endings_entities_decoration() {
        assert_eq!(texts(b"a\r\nb\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(texts(b"a\r\n\r\nb"), ["a", "", "b"]);
        assert_eq!(texts(b"MAIL FROM:&lt;a@b&gt; &amp; more"), ["MAIL FROM:<a@b> & more"]);
        // Without &lt;/&gt; the text is left alone.
        assert_eq!(texts(b"AT&amp;T"), ["AT&amp;T"]);
        assert_eq!(texts(b"|\n220 ready |\nHELO x|y"), ["", "220 ready", "HELO x|y"]);
        let lines = split(b"0123456789abc\nok", 10);
        assert!(lines[0].cut && lines[0].text == b"0123456789");
        assert!(!lines[1].cut);
        assert_eq!(lines[1].number, 2);
        assert!(split(b"", 100).is_empty());
    }
}
