//! Lines out of byte chunks cut anywhere, in bounded memory.
//!
//! A line that lies inside one chunk is handed out in place. Only the part of a line that a chunk
//! boundary cuts is kept (at most `max_line` bytes); a longer line is dropped as it arrives and
//! reported once, at its end, as too long. The length of a line is the number of bytes before its
//! LF (a CR before the LF counts), so the verdict does not depend on where the chunks are cut.

/// What the splitter hands out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// A line without its LF (a CR before the LF is still there).
    Line(&'a [u8]),
    /// A line longer than the limit, skipped.
    TooLong,
}

#[derive(Debug)]
pub(crate) struct Lines {
    /// The start of a line cut by the end of the last chunk.
    carry: Vec<u8>,
    /// Inside a line already known to be too long: drop bytes until its LF.
    skipping: bool,
    max_line: usize,
}

impl Lines {
    pub(crate) fn new(max_line: usize) -> Lines {
        Lines { carry: Vec::new(), skipping: false, max_line }
    }

    /// Bytes of a partial line held.
    pub(crate) fn pending(&self) -> usize {
        self.carry.len()
    }

    fn extend(&mut self, part: &[u8]) {
        if self.skipping {
            return;
        }
        if self.carry.len() + part.len() > self.max_line {
            self.carry.clear();
            // Give the memory back: a burst of long lines must not leave max_line bytes behind.
            self.carry.shrink_to(4096);
            self.skipping = true;
        } else {
            self.carry.extend_from_slice(part);
        }
    }

    fn emit_carry(&mut self, f: &mut impl FnMut(Piece<'_>)) {
        if self.skipping {
            self.skipping = false;
            f(Piece::TooLong);
        } else {
            f(Piece::Line(&self.carry));
        }
        self.carry.clear();
    }

    /// Splits `data`, calling `f` for every line it completes.
    pub(crate) fn feed(&mut self, data: &[u8], mut f: impl FnMut(Piece<'_>)) {
        let mut start = 0;
        if self.skipping || !self.carry.is_empty() {
            match memchr::memchr(b'\n', data) {
                None => {
                    self.extend(data);
                    return;
                }
                Some(p) => {
                    self.extend(&data[..p]);
                    self.emit_carry(&mut f);
                    start = p + 1;
                }
            }
        }
        let rest = &data[start..];
        let mut from = 0;
        for p in memchr::memchr_iter(b'\n', rest) {
            let line = &rest[from..p];
            f(if line.len() > self.max_line { Piece::TooLong } else { Piece::Line(line) });
            from = p + 1;
        }
        self.extend(&rest[from..]);
    }

    /// The end of the input: a last line without LF is handed out.
    pub(crate) fn finish(&mut self, mut f: impl FnMut(Piece<'_>)) {
        if self.skipping || !self.carry.is_empty() {
            self.emit_carry(&mut f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<Option<Vec<u8>>> {
        let mut l = Lines::new(max);
        let mut out = Vec::new();
        let mut take = |p: Piece<'_>| {
            out.push(match p {
                Piece::Line(x) => Some(x.to_vec()),
                Piece::TooLong => None,
            })
        };
        for c in chunks {
            l.feed(c, &mut take);
        }
        l.finish(&mut take);
        out
    }

    #[test]
    fn any_chunking_gives_the_same_lines() {
        let input: &[u8] = b"one\r\ntwo\n\nthis line is too long\nfour\r\nlast";
        let whole = split(&[input], 10);
        assert_eq!(
            whole,
            vec![
                Some(b"one\r".to_vec()),
                Some(b"two".to_vec()),
                Some(b"".to_vec()),
                None,
                Some(b"four\r".to_vec()),
                Some(b"last".to_vec())
            ]
        );
        for a in 0..=input.len() {
            for b in a..=input.len() {
                assert_eq!(split(&[&input[..a], &input[a..b], &input[b..]], 10), whole, "cut at {a}, {b}");
            }
        }
        // A line of exactly the limit is kept; one more byte is too long.
        assert_eq!(split(&[b"0123456789\n01234567890\n"], 10), vec![Some(b"0123456789".to_vec()), None]);
        assert_eq!(split(&[b"0123456789", b"0\n"], 10), vec![None]);
        assert_eq!(split(&[], 10), Vec::<Option<Vec<u8>>>::new());
        assert_eq!(split(&[b"", b"\n"], 10), vec![Some(b"".to_vec())]);
    }

    #[test]
    fn memory_stays_bounded_by_the_limit() {
        let mut l = Lines::new(100);
        let mut n = 0;
        for _ in 0..10_000 {
            l.feed(&[b'x'; 1000], |_| n += 1);
            assert!(l.pending() <= 100);
        }
        l.feed(b"\nok\n", |p| {
            n += 1;
            if n == 2 {
                assert_eq!(p, Piece::Line(b"ok"));
            } else {
                assert_eq!(p, Piece::TooLong);
            }
        });
        assert_eq!(n, 2);
    }
}
