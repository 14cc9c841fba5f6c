//! The reply parser: bytes in, one complete reply (or "need more") out.
//!
//! The parser is resumable: [`Progress`] remembers how far it got, so a stream that receives a
//! reply one byte at a time scans every byte once. A caller that parses a whole buffer uses a fresh
//! `Progress` and never sees it.

use super::line::{decode_head, early_head_error, leading_enhanced, Head, Leading};
use super::scan::find_special;
use super::{ParseError, ParserOptions, Reply, Warnings};

/// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including the code and CRLF.
const RFC_MAX_LINE: usize = 512;

/// How far the parser got in the reply at the start of the input.
#[derive(Clone, Debug, Default)]
pub(crate) struct Progress {
    /// Where the line being read starts.
    line_start: usize,
    /// Where to resume scanning that line.
    resume: usize,
    /// Warnings found so far in that line.
    line_warnings: Warnings,
    /// Complete lines so far.
    lines: u32,
    /// The first line's code.
    code: u16,
    /// The reply's enhanced code, packed (0 = none yet).
    enhanced: u32,
    warnings: Warnings,
    /// Lines (with the reply's code) that carried an enhanced code, and lines with any text.
    enhanced_lines: u32,
    text_lines: u32,
}

/// Parses the reply at the start of `input`, resuming from `st`.
///
/// Returns `Ok(None)` when the input holds no complete reply yet (nothing is consumed; call again
/// with the same bytes and more appended), `Ok(Some(reply))` when a reply is complete (its length is
/// `reply.consumed()`, and `st` is reset for the next one), or an error. After an error `st` is
/// reset too.
pub(crate) fn parse_with<'a>(
    input: &'a [u8],
    opts: &ParserOptions,
    st: &mut Progress,
) -> Result<Option<Reply<'a>>, ParseError> {
    let r = parse_inner(input, opts, st);
    if !matches!(r, Ok(None)) {
        *st = Progress::default();
    }
    r
}

/// Parses the reply at the start of `input` from scratch. The state is a local, so the compiler
/// keeps it in registers; a caller-owned state read back right after being written costs
/// store-forwarding stalls (measured: about a third of the parse time).
pub(crate) fn parse_fresh<'a>(input: &'a [u8], opts: &ParserOptions) -> Result<Option<Reply<'a>>, ParseError> {
    let mut st = Progress::default();
    parse_inner(input, opts, &mut st)
}

#[inline(always)]
fn parse_inner<'a>(input: &'a [u8], opts: &ParserOptions, st: &mut Progress) -> Result<Option<Reply<'a>>, ParseError> {
    loop {
        let ls = st.line_start;
        let scan = find_line_end(input, ls, st.resume, st.line_warnings);
        st.line_warnings = scan.warnings;
        let lf = match scan.lf {
            Some(lf) => lf,
            None => {
                st.resume = scan.resume;
                return incomplete(input, opts, st).map(|()| None);
            }
        };
        let end = lf + 1;
        // A first line that cannot start a reply is reported as such before any cap, whether it
        // arrived whole or in pieces.
        if st.lines == 0 {
            if let Some(head) = early_head_error(&input[ls..end]) {
                return Err(head_error(head, ls));
            }
        }
        if let Some(e) = cap_error(ls, end, opts) {
            return Err(e);
        }
        let mut warn = st.line_warnings;
        if end - ls > RFC_MAX_LINE {
            warn.insert(Warnings::LONG_LINE);
        }
        let mut content = &input[ls..lf];
        if scan.crlf {
            content = &content[..content.len() - 1];
        } else {
            warn.insert(Warnings::BARE_LF);
        }
        if warn.contains(Warnings::BARE_CR) {
            // `CR CR LF`: no CR is left at the end of the text.
            while let [rest @ .., b'\r'] = content {
                content = rest;
            }
        }
        let last = match decode_head(content) {
            Head::Coded { code, last, text_at } => {
                if content[1] > b'5' {
                    warn.insert(Warnings::CODE_OUT_OF_GRAMMAR);
                }
                if st.lines == 0 {
                    st.code = code;
                } else if code != st.code {
                    warn.insert(Warnings::CODE_MISMATCH);
                }
                let text = &content[text_at..];
                if !text.is_empty() {
                    st.text_lines += 1;
                }
                match leading_enhanced(text, code) {
                    Leading::Enhanced(e, _) => {
                        let packed = e.pack();
                        if code == st.code {
                            if st.enhanced_lines == 0 {
                                st.enhanced = packed;
                            } else if st.enhanced != packed {
                                warn.insert(Warnings::ENHANCED_MISMATCH);
                            }
                        }
                        st.enhanced_lines += 1;
                    }
                    Leading::ClassMismatch => warn.insert(Warnings::ENHANCED_CLASS_MISMATCH),
                    Leading::None => {}
                }
                last
            }
            head => {
                if st.lines == 0 {
                    return Err(head_error(head, ls));
                }
                warn.insert(Warnings::MISSING_CODE);
                st.text_lines += 1;
                false
            }
        };
        if opts.strict && !warn.is_empty() {
            return Err(ParseError::Strict { warning: warn.first().unwrap_or_default(), offset: ls });
        }
        st.warnings.insert(warn);
        st.lines += 1;
        st.line_start = end;
        st.resume = end;
        st.line_warnings = Warnings::NONE;
        if last {
            if st.enhanced_lines > 0 && st.enhanced_lines < st.text_lines {
                if opts.strict {
                    return Err(ParseError::Strict { warning: Warnings::ENHANCED_PARTIAL, offset: 0 });
                }
                st.warnings.insert(Warnings::ENHANCED_PARTIAL);
            }
            return Ok(Some(Reply {
                raw: &input[..end],
                code: st.code,
                enhanced: st.enhanced,
                warnings: st.warnings,
                line_count: st.lines,
            }));
        }
    }
}

/// What scanning a line found.
struct LineScan {
    /// The LF that ends the line, if it has arrived.
    lf: Option<usize>,
    /// Whether a CR came right before that LF.
    crlf: bool,
    /// Where to resume when the line has not ended.
    resume: usize,
    /// Bare CRs, control characters and non-ASCII bytes seen in the line so far.
    warnings: Warnings,
}

/// Scans the line starting at `line_start` (resuming at `resume`) for its LF, noting bare CRs,
/// control characters and non-ASCII bytes. Takes and returns its state by value so that the
/// caller's state never has to live in memory.
#[inline(always)]
fn find_line_end(input: &[u8], line_start: usize, resume: usize, mut warnings: Warnings) -> LineScan {
    let mut i = resume.max(line_start);
    loop {
        let stop_on_high = !warnings.contains(Warnings::NON_ASCII);
        let Some(j) = find_special(input, i, stop_on_high) else {
            return LineScan { lf: None, crlf: false, resume: input.len(), warnings };
        };
        match input[j] {
            b'\n' => return LineScan { lf: Some(j), crlf: false, resume: j + 1, warnings },
            b'\t' => {}
            b'\r' => match input.get(j + 1) {
                // A CR at the end of the input: wait to see whether an LF follows.
                None => return LineScan { lf: None, crlf: false, resume: j, warnings },
                Some(b'\n') => return LineScan { lf: Some(j + 1), crlf: true, resume: j + 2, warnings },
                Some(_) => warnings.insert(Warnings::BARE_CR),
            },
            b if b >= 0x80 => warnings.insert(Warnings::NON_ASCII),
            _ => warnings.insert(Warnings::CONTROL_CHAR),
        }
        i = j + 1;
    }
}

/// No complete reply yet: enforce the caps on what has arrived, and fail early on garbage.
fn incomplete(input: &[u8], opts: &ParserOptions, st: &Progress) -> Result<(), ParseError> {
    let ls = st.line_start;
    if st.lines == 0 {
        if let Some(head) = early_head_error(&input[ls..]) {
            return Err(head_error(head, ls));
        }
    }
    match cap_error(ls, input.len(), opts) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The cap that `available` bytes of a reply (the current line starting at `line_start`) exceed,
/// if any. When both are exceeded, the one the bytes passed first is reported, so the error does
/// not depend on how the input was chunked.
#[inline(always)]
fn cap_error(line_start: usize, available: usize, opts: &ParserOptions) -> Option<ParseError> {
    let line_cap = line_start.saturating_add(opts.max_line);
    if available <= line_cap.min(opts.max_reply) {
        return None;
    }
    Some(if line_cap <= opts.max_reply {
        ParseError::LineTooLong { offset: line_start, limit: opts.max_line }
    } else {
        ParseError::ReplyTooLong { limit: opts.max_reply }
    })
}

fn head_error(head: Head, offset: usize) -> ParseError {
    match head {
        Head::BadSeparator => ParseError::InvalidSeparator { offset },
        _ => ParseError::InvalidCode { offset },
    }
}
