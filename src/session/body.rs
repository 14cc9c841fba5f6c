//! Message bodies on the wire.
//!
//! DATA (RFC 5321 §4.5.2, §2.3.8): a line starting with "." gets one more "."; every line ends in
//! CRLF, so a bare CR or bare LF from the host becomes CRLF and can never reach the server. That
//! is the client's half of the SMTP smuggling defence: no `<LF>.<LF>` or `<CR>.<CR>` the server
//! might take for the end of data. The terminator `<CRLF>.<CRLF>` is written exactly once.
//!
//! BDAT (RFC 3030): no stuffing and no terminator; text is made canonical (CRLF) as well, except
//! for BINARYMIME bodies, which go through unchanged.
//!
//! Both encoders take the body in chunks of any size; a CR at the end of one chunk waits to see
//! whether the next chunk starts with LF.

use crate::command::Command;

/// Counts of what the encoder changed, for the host's information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyStats {
    /// How the body travels: [`Command::Data`] or [`Command::Bdat`].
    pub command: Command,
    /// Bytes of body taken from the host.
    pub input_bytes: u64,
    /// Bytes written to the wire for the body (stuffing and CRs included, terminator excluded).
    pub output_bytes: u64,
    /// Bare LFs and bare CRs turned into CRLF.
    pub line_endings_fixed: u64,
    /// Lines that started with "." and were stuffed.
    pub dots_stuffed: u64,
    /// Lines longer than the 1000 octets RFC 5321 §4.5.3.1.6 allows (sent as they are).
    pub long_lines: u64,
}

impl BodyStats {
    fn new(command: Command) -> BodyStats {
        BodyStats { command, input_bytes: 0, output_bytes: 0, line_endings_fixed: 0, dots_stuffed: 0, long_lines: 0 }
    }
}

/// Streaming encoder for DATA bodies.
#[derive(Clone, Debug)]
pub(crate) struct DataEncoder {
    at_line_start: bool,
    pending_cr: bool,
    line_len: usize,
    pub(crate) stats: BodyStats,
}

impl DataEncoder {
    pub(crate) fn new() -> DataEncoder {
        DataEncoder { at_line_start: true, pending_cr: false, line_len: 0, stats: BodyStats::new(Command::Data) }
    }

    fn end_line(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\r\n");
        self.stats.output_bytes += 2;
        if self.line_len + 2 > 1000 {
            self.stats.long_lines += 1;
        }
        self.line_len = 0;
        self.at_line_start = true;
    }

    /// Encodes a chunk of body, appending to `out`. Runs of ordinary bytes are copied whole
    /// (memchr finds the next CR or LF); only line ends and line starts are looked at one by one.
    pub(crate) fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        self.stats.input_bytes += chunk.len() as u64;
        out.reserve(chunk.len() + chunk.len() / 64 + 4);
        let mut i = 0;
        while i < chunk.len() {
            if self.pending_cr {
                self.pending_cr = false;
                self.end_line(out);
                if chunk[i] == b'\n' {
                    i += 1;
                    continue;
                }
                self.stats.line_endings_fixed += 1; // the CR was bare
            }
            if self.at_line_start && chunk[i] == b'.' {
                out.push(b'.');
                self.stats.dots_stuffed += 1;
                self.stats.output_bytes += 1;
            }
            let end = memchr::memchr2(b'\r', b'\n', &chunk[i..]).map_or(chunk.len(), |p| i + p);
            if end > i {
                out.extend_from_slice(&chunk[i..end]);
                self.stats.output_bytes += (end - i) as u64;
                self.line_len += end - i;
                self.at_line_start = false;
            }
            let Some(&b) = chunk.get(end) else { break };
            if b == b'\r' {
                self.pending_cr = true;
            } else {
                self.stats.line_endings_fixed += 1; // bare LF
                self.end_line(out);
            }
            i = end + 1;
        }
    }

    /// Ends the body: closes an open line and writes the terminator.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        if self.pending_cr {
            self.pending_cr = false;
            self.stats.line_endings_fixed += 1;
            self.end_line(out);
        } else if !self.at_line_start {
            self.end_line(out);
        }
        out.extend_from_slice(b".\r\n");
    }
}

/// The size of a message once its line endings are CRLF and its last line is closed: what the
/// session sends (before dot-stuffing), and what SIZE declares (RFC 1870 §2: lines end in CRLF,
/// stuffing is not counted).
pub fn message_size(body: &[u8]) -> u64 {
    let mut size = body.len() as u64;
    let mut prev = b'\n';
    for (i, &b) in body.iter().enumerate() {
        match b {
            // A bare LF gains a CR; a bare CR gains an LF.
            b'\n' if prev != b'\r' => size += 1,
            b'\r' if body.get(i + 1) != Some(&b'\n') => size += 1,
            _ => {}
        }
        prev = b;
    }
    if prev != b'\n' && prev != b'\r' {
        size += 2; // the last line is closed
    }
    size
}

/// Streaming canonicaliser for BDAT chunks (CRLF line endings, no stuffing).
#[derive(Clone, Debug)]
pub(crate) struct BdatEncoder {
    canonical: bool,
    pending_cr: bool,
    /// The last byte written does not end a line.
    open_line: bool,
    pub(crate) stats: BodyStats,
}

impl BdatEncoder {
    /// `canonical`: turn bare CR and LF into CRLF (false for BINARYMIME).
    pub(crate) fn new(canonical: bool) -> BdatEncoder {
        BdatEncoder { canonical, pending_cr: false, open_line: false, stats: BodyStats::new(Command::Bdat) }
    }

    /// Encodes a chunk; returns the bytes of this BDAT chunk (possibly empty).
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        self.stats.input_bytes += chunk.len() as u64;
        if !self.canonical {
            self.stats.output_bytes += chunk.len() as u64;
            return chunk.to_vec();
        }
        let mut out = Vec::with_capacity(chunk.len() + chunk.len() / 64 + 8);
        let mut i = 0;
        while i < chunk.len() {
            if self.pending_cr {
                self.pending_cr = false;
                out.extend_from_slice(b"\r\n");
                if chunk[i] == b'\n' {
                    i += 1;
                    continue;
                }
                self.stats.line_endings_fixed += 1;
            }
            // Whole runs up to the next CR or LF at once.
            let end = memchr::memchr2(b'\r', b'\n', &chunk[i..]).map_or(chunk.len(), |p| i + p);
            out.extend_from_slice(&chunk[i..end]);
            let Some(&b) = chunk.get(end) else { break };
            if b == b'\r' {
                self.pending_cr = true;
            } else {
                self.stats.line_endings_fixed += 1;
                out.extend_from_slice(b"\r\n");
            }
            i = end + 1;
        }
        if let Some(&last) = out.last() {
            self.open_line = last != b'\n';
        }
        self.stats.output_bytes += out.len() as u64;
        out
    }

    /// The end of a canonical message: a trailing CR completed as CRLF, an open last line closed
    /// (as DATA does, so both deliver the same message).
    pub(crate) fn finish(&mut self) -> Vec<u8> {
        if !self.canonical {
            return Vec::new();
        }
        if self.pending_cr {
            self.stats.line_endings_fixed += 1;
        } else if !self.open_line {
            return Vec::new();
        }
        self.pending_cr = false;
        self.open_line = false;
        self.stats.output_bytes += 2;
        b"\r\n".to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(chunks: &[&[u8]]) -> (Vec<u8>, BodyStats) {
        let mut e = DataEncoder::new();
        let mut out = Vec::new();
        for c in chunks {
            e.push(c, &mut out);
        }
        e.finish(&mut out);
        (out, e.stats)
    }

    #[test]
    fn dot_stuffing_and_terminator() {
        assert_eq!(data(&[b"Hello\r\n.hidden\r\n..two\r\n"]).0, b"Hello\r\n..hidden\r\n...two\r\n.\r\n");
        assert_eq!(data(&[b".\r\n"]).0, b"..\r\n.\r\n");
        assert_eq!(data(&[b""]).0, b".\r\n");
        assert_eq!(data(&[b"no newline at end"]).0, b"no newline at end\r\n.\r\n");
        assert_eq!(data(&[b"mid.dot\r\n"]).0, b"mid.dot\r\n.\r\n");
    }

    #[test]
    fn bare_line_endings_never_reach_the_wire() {
        // The SMTP smuggling shapes: <LF>.<LF>, <LF>.<CR><LF>, <CR>.<CR>.
        let (out, stats) = data(&[b"a\n.\nMAIL FROM:<x@y>\nb\r.\rc\n.\r\nd"]);
        assert_eq!(out, b"a\r\n..\r\nMAIL FROM:<x@y>\r\nb\r\n..\r\nc\r\n..\r\nd\r\n.\r\n");
        assert_eq!(stats.line_endings_fixed, 6);
        // Only CRLF pairs remain, and exactly one line is a lone ".".
        for (i, &b) in out.iter().enumerate() {
            if b == b'\n' {
                assert_eq!(out[i - 1], b'\r');
            }
            if b == b'\r' {
                assert_eq!(out[i + 1], b'\n');
            }
        }
        assert_eq!(out.windows(5).filter(|w| w == b"\r\n.\r\n").count(), 1);
    }

    #[test]
    fn chunk_boundaries_do_not_matter() {
        let body: &[u8] = b"line1\r\n.dot\r\nbare\nlf\rcr\r\n\r\n.\r\nend\r";
        let (whole, _) = data(&[body]);
        for cut in 0..=body.len() {
            assert_eq!(data(&[&body[..cut], &body[cut..]]).0, whole, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(data(&bytes).0, whole);
    }

    #[test]
    fn long_lines_are_counted() {
        let long = vec![b'x'; 1500];
        assert_eq!(data(&[&long, b"\r\nshort\r\n"]).1.long_lines, 1);
    }

    #[test]
    fn bdat_canonicalises_without_stuffing() {
        let mut e = BdatEncoder::new(true);
        let mut out = e.push(b"a\n.b\r");
        out.extend(e.push(b"\nc\r"));
        out.extend(e.finish());
        assert_eq!(out, b"a\r\n.b\r\nc\r\n");
        // An unfinished last line is closed, as DATA closes it.
        let mut e = BdatEncoder::new(true);
        let mut out = e.push(b"a\r\nlast");
        out.extend(e.finish());
        assert_eq!(out, b"a\r\nlast\r\n");
        let mut e = BdatEncoder::new(true);
        assert!(e.push(b"").is_empty() && e.finish().is_empty());
        let mut raw = BdatEncoder::new(false);
        assert_eq!(raw.push(b"a\nb\r"), b"a\nb\r");
        assert!(raw.finish().is_empty());
    }

    #[test]
    fn message_size_is_the_canonical_length() {
        let samples: [&[u8]; 10] =
            [b"", b"a", b"a\n", b"a\r", b"a\r\n", b"\r\r\n\n", b"x\ny\rz", b".\r\n", b"\n\n", b"end\r"];
        let mut inputs: Vec<Vec<u8>> = samples.iter().map(|s| s.to_vec()).collect();
        // And every 4-byte string over the alphabet that matters.
        for n in 0..4usize.pow(4) {
            inputs.push((0..4).map(|i| b"a\r\n."[(n >> (2 * i)) & 3]).collect());
        }
        for input in inputs {
            let mut e = BdatEncoder::new(true);
            let mut out = e.push(&input);
            out.extend(e.finish());
            assert_eq!(message_size(&input), out.len() as u64, "{input:?}");
            // DATA sends the same lines, stuffed, plus the terminator.
            let (data_out, stats) = data(&[&input]);
            assert_eq!(data_out.len() as u64, message_size(&input) + stats.dots_stuffed + 3, "{input:?}");
        }
    }
}
