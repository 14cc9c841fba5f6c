//! C API: parsing one reply, reading its fields and lines.

use super::smtpreply_result::*;
use super::*;
use crate::reply::{parse_reply, EnhancedCode, Line, OptionsError, ParseError, ParserOptions, Reply, Warnings};

/// A line ended in a bare LF instead of CRLF.
pub const SMTPREPLY_WARNING_BARE_LF: u32 = 1 << 0;
/// A bare CR appears inside a line.
pub const SMTPREPLY_WARNING_BARE_CR: u32 = 1 << 1;
/// The lines of a multi-line reply carry different codes.
pub const SMTPREPLY_WARNING_CODE_MISMATCH: u32 = 1 << 2;
/// A reply code's second digit is 6 to 9.
pub const SMTPREPLY_WARNING_CODE_OUT_OF_GRAMMAR: u32 = 1 << 3;
/// The text contains bytes outside US-ASCII.
pub const SMTPREPLY_WARNING_NON_ASCII: u32 = 1 << 4;
/// The text contains control characters other than HT.
pub const SMTPREPLY_WARNING_CONTROL_CHAR: u32 = 1 << 5;
/// A line is longer than 512 octets.
pub const SMTPREPLY_WARNING_LONG_LINE: u32 = 1 << 6;
/// The lines carry different enhanced status codes.
pub const SMTPREPLY_WARNING_ENHANCED_MISMATCH: u32 = 1 << 7;
/// Only some lines carry the enhanced status code.
pub const SMTPREPLY_WARNING_ENHANCED_PARTIAL: u32 = 1 << 8;
/// An enhanced code's class differs from the reply code's first digit (kept as text).
pub const SMTPREPLY_WARNING_ENHANCED_CLASS_MISMATCH: u32 = 1 << 9;
/// A continuation line without a reply code (kept as text).
pub const SMTPREPLY_WARNING_MISSING_CODE: u32 = 1 << 10;

/// Flag for `smtpreply_parser_options.flags`: every warning becomes an error
/// (`SMTPREPLY_STRICT_VIOLATION`).
pub const SMTPREPLY_PARSE_STRICT: u32 = 1;

/// Parser limits and policy. Zero in a size field means "the default". Initialise with
/// `smtpreply_parser_options_init`; passing NULL instead of options means all defaults.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_parser_options {
    /// Longest line in bytes, terminator included (default 4096; 5 to 2^30).
    pub max_line: usize,
    /// Longest reply in bytes (default 65536; 5 to 2^30).
    pub max_reply: usize,
    /// Most bytes a stream buffers (default 1 MiB; at least max_reply).
    pub max_buffer: usize,
    /// `SMTPREPLY_PARSE_*` flags; unknown bits are refused.
    pub flags: u32,
}

/// An enhanced status code, e.g. 5.1.1. Class is 2, 4 or 5; subject and detail 0 to 999.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct smtpreply_enhanced_code {
    pub status_class: u32,
    pub subject: u32,
    pub detail: u32,
}

/// The summary of a parsed reply. `raw` points into the reply handle and stays valid until the
/// handle is parsed into again or freed.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_reply_info {
    /// The reply code (200 to 599).
    pub code: u32,
    /// Whether `enhanced` holds the enhanced status code of the reply.
    pub has_enhanced: bool,
    pub enhanced: smtpreply_enhanced_code,
    /// `SMTPREPLY_WARNING_*` bits.
    pub warnings: u32,
    pub line_count: usize,
    /// The whole reply as received, terminators included (not NUL-terminated).
    pub raw: *const u8,
    pub raw_len: usize,
}

/// One line of a parsed reply. Pointers point into the reply handle (valid until it is parsed into
/// again or freed); they are not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_line {
    /// The line without its terminator (code, separator and text).
    pub content: *const u8,
    pub content_len: usize,
    /// The text without code, separator and enhanced status code; may be empty.
    pub text: *const u8,
    pub text_len: usize,
    /// The line's reply code, or 0 for a continuation line that had none.
    pub code: u32,
    /// True for the final line.
    pub is_last: bool,
    pub has_enhanced: bool,
    pub enhanced: smtpreply_enhanced_code,
}

#[derive(Clone, Debug)]
struct LineRecord {
    content: (usize, usize),
    text: (usize, usize),
    code: u16,
    last: bool,
    enhanced: Option<EnhancedCode>,
}

#[derive(Clone, Copy, Debug)]
struct Summary {
    code: u16,
    enhanced: Option<EnhancedCode>,
    warnings: Warnings,
}

/// A parsed reply, owned by the caller (`smtpreply_reply_new` / `smtpreply_reply_free`).
///
/// A handle can be parsed into again and again; it keeps its storage, so parsing does not allocate
/// once the handle has held a reply of the same size. One thread at a time may modify a handle;
/// reading it (`_get_*`) from several threads at once is safe.
pub struct smtpreply_reply {
    raw: Vec<u8>,
    lines: Vec<LineRecord>,
    summary: Option<Summary>,
}

impl smtpreply_reply {
    fn empty() -> smtpreply_reply {
        smtpreply_reply { raw: Vec::new(), lines: Vec::new(), summary: None }
    }

    /// Copies a parsed reply in, reusing the storage.
    pub(crate) fn fill(&mut self, reply: &Reply<'_>) {
        self.raw.clear();
        self.raw.extend_from_slice(reply.raw());
        self.lines.clear();
        let base = reply.raw().as_ptr() as usize;
        let span = |s: &[u8]| {
            let start = s.as_ptr() as usize - base;
            (start, start + s.len())
        };
        self.lines.extend(reply.lines().map(|l: Line<'_>| LineRecord {
            content: span(l.content()),
            text: span(l.text()),
            code: l.code().unwrap_or(0),
            last: l.is_last(),
            enhanced: l.enhanced(),
        }));
        self.summary = Some(Summary { code: reply.code(), enhanced: reply.enhanced(), warnings: reply.warnings() });
    }

    fn summary(&self) -> Result<Summary, Error> {
        self.summary.ok_or_else(|| Error::invalid("the reply handle holds no parsed reply yet"))
    }

    /// The raw bytes, for callers that re-parse them (capabilities).
    pub(crate) fn raw_reply(&self) -> Result<Reply<'_>, Error> {
        self.summary()?;
        parse_reply(&self.raw, &ParserOptions { max_line: usize::MAX, max_reply: usize::MAX, ..Default::default() })
            .ok()
            .flatten()
            .ok_or_else(|| Error::new(SMTPREPLY_PANIC, "internal error: a stored reply did not re-parse"))
    }
}

pub(crate) fn enhanced_to_c(e: Option<EnhancedCode>) -> smtpreply_enhanced_code {
    e.map_or_else(smtpreply_enhanced_code::default, |e| smtpreply_enhanced_code {
        status_class: e.class as u32,
        subject: e.subject as u32,
        detail: e.detail as u32,
    })
}

/// Options from C: NULL means defaults; zero fields mean defaults; unknown flags are refused.
pub(crate) unsafe fn options_arg(ptr: *const smtpreply_parser_options) -> Result<ParserOptions, Error> {
    let mut opts = ParserOptions::default();
    if ptr.is_null() {
        return Ok(opts);
    }
    let o = ref_arg(ptr, "options")?;
    if o.flags & !SMTPREPLY_PARSE_STRICT != 0 {
        return Err(Error::invalid(format!(
            "options.flags has unknown bits 0x{:x}",
            o.flags & !SMTPREPLY_PARSE_STRICT
        )));
    }
    let pick = |v: usize, d: usize| if v == 0 { d } else { v };
    opts.max_line = pick(o.max_line, opts.max_line);
    opts.max_reply = pick(o.max_reply, opts.max_reply);
    opts.max_buffer = pick(o.max_buffer, opts.max_buffer.max(opts.max_reply));
    opts.strict = o.flags & SMTPREPLY_PARSE_STRICT != 0;
    opts.validate().map_err(|e: OptionsError| Error::new(SMTPREPLY_OUT_OF_RANGE, format!("options: {e}")))?;
    Ok(opts)
}

/// Maps a parser error to its result code and message.
pub(crate) fn parse_error(e: ParseError) -> Error {
    let code = match e {
        ParseError::InvalidCode { .. } | ParseError::InvalidSeparator { .. } => SMTPREPLY_INVALID_INPUT,
        ParseError::LineTooLong { .. } | ParseError::ReplyTooLong { .. } => SMTPREPLY_LIMIT_EXCEEDED,
        ParseError::Truncated { .. } => SMTPREPLY_TRUNCATED,
        ParseError::Strict { .. } => SMTPREPLY_STRICT_VIOLATION,
    };
    Error::new(code, e.to_string())
}

/// Fills `options` with the defaults (max_line 4096, max_reply 65536, max_buffer 1 MiB, lenient).
///
/// Returns `SMTPREPLY_OK`, or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_parser_options_init(options: *mut smtpreply_parser_options) -> smtpreply_result {
    guard(|| {
        let out = Out::new(options, "options")?;
        let d = ParserOptions::default();
        out.write(smtpreply_parser_options {
            max_line: d.max_line,
            max_reply: d.max_reply,
            max_buffer: d.max_buffer,
            flags: 0,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Creates an empty reply handle. Free it with `smtpreply_reply_free`. Never returns NULL (the
/// process aborts if memory runs out, as Rust does).
#[no_mangle]
pub extern "C" fn smtpreply_reply_new() -> *mut smtpreply_reply {
    guard_value(std::ptr::null_mut(), || Box::into_raw(Box::new(smtpreply_reply::empty())))
}

/// Frees a reply handle. NULL is a no-op. Pointers obtained from the handle become invalid.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_reply_free(reply: *mut smtpreply_reply) {
    guard_value((), || free_box(reply))
}

/// Parses the reply at the start of `data[0..len)` into `reply`.
///
/// - `SMTPREPLY_OK`: `reply` holds the reply (a copy; `data` may be reused) and `*out_consumed` the
///   number of bytes it took. Pipelined replies: call again at `data + *out_consumed`.
/// - `SMTPREPLY_NEED_MORE`: no complete reply yet; nothing consumed, nothing written.
/// - `SMTPREPLY_INVALID_INPUT`: the bytes cannot be a reply (no three-digit code 2xx-5xx, or a bad
///   separator after the code).
/// - `SMTPREPLY_LIMIT_EXCEEDED`: a line or the reply is longer than the options allow.
/// - `SMTPREPLY_STRICT_VIOLATION`: strict mode and the reply deviates from RFC 5321.
/// - `SMTPREPLY_NULL_PARAMETER`, `SMTPREPLY_OUT_OF_RANGE` (bad options).
///
/// `options` may be NULL for the defaults. `data` may be NULL when `len` is 0. Thread-safe for
/// distinct `reply` handles.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_parse_reply(
    data: *const u8,
    len: usize,
    options: *const smtpreply_parser_options,
    reply: *mut smtpreply_reply,
    out_consumed: *mut usize,
) -> smtpreply_result {
    guard(|| {
        // Pointers first: a NULL pointer is NULL_PARAMETER whatever else is wrong.
        let handle = mut_arg(reply, "reply")?;
        let consumed = Out::new(out_consumed, "out_consumed")?;
        let input = bytes_arg(data, len, "data")?;
        let opts = options_arg(options)?;
        match parse_reply(input, &opts).map_err(parse_error)? {
            None => Ok(SMTPREPLY_NEED_MORE),
            Some(r) => {
                handle.fill(&r);
                consumed.write(r.consumed());
                Ok(SMTPREPLY_OK)
            }
        }
    })
}

/// Reads the summary of a parsed reply into `*out`.
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_NULL_PARAMETER`, or `SMTPREPLY_INVALID_INPUT` when the handle
/// holds no reply yet.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_reply_get_info(
    reply: *const smtpreply_reply,
    out: *mut smtpreply_reply_info,
) -> smtpreply_result {
    guard(|| {
        let r = ref_arg(reply, "reply")?;
        let out = Out::new(out, "out")?;
        let s = r.summary()?;
        out.write(smtpreply_reply_info {
            code: s.code as u32,
            has_enhanced: s.enhanced.is_some(),
            enhanced: enhanced_to_c(s.enhanced),
            warnings: s.warnings.bits(),
            line_count: r.lines.len(),
            raw: r.raw.as_ptr(),
            raw_len: r.raw.len(),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Reads line `index` (0-based) of a parsed reply into `*out`.
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_OUT_OF_RANGE` when `index >= line_count`,
/// `SMTPREPLY_NULL_PARAMETER`, or `SMTPREPLY_INVALID_INPUT` when the handle holds no reply.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_reply_get_line(
    reply: *const smtpreply_reply,
    index: usize,
    out: *mut smtpreply_line,
) -> smtpreply_result {
    guard(|| {
        let r = ref_arg(reply, "reply")?;
        let out = Out::new(out, "out")?;
        r.summary()?;
        let l = r.lines.get(index).ok_or_else(|| {
            Error::range(format!("line index {index} is out of range (the reply has {} lines)", r.lines.len()))
        })?;
        let base = r.raw.as_ptr();
        out.write(smtpreply_line {
            content: base.add(l.content.0),
            content_len: l.content.1 - l.content.0,
            text: base.add(l.text.0),
            text_len: l.text.1 - l.text.0,
            code: l.code as u32,
            is_last: l.last,
            has_enhanced: l.enhanced.is_some(),
            enhanced: enhanced_to_c(l.enhanced),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// The stable name of one warning bit ("bare_lf"), or NULL when `warning` is not exactly one known
/// `SMTPREPLY_WARNING_*` bit. Static string; thread-safe.
#[no_mangle]
pub extern "C" fn smtpreply_warning_name(warning: u32) -> *const c_char {
    guard_value(std::ptr::null(), || opt_str(Warnings(warning).name_text()))
}

/// A sentence describing one warning bit, or NULL when `warning` is not exactly one known bit.
/// Static string; thread-safe.
#[no_mangle]
pub extern "C" fn smtpreply_warning_description(warning: u32) -> *const c_char {
    guard_value(std::ptr::null(), || opt_str(Warnings(warning).description_text()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_constants_match_the_core() {
        let c = [
            (SMTPREPLY_WARNING_BARE_LF, Warnings::BARE_LF),
            (SMTPREPLY_WARNING_BARE_CR, Warnings::BARE_CR),
            (SMTPREPLY_WARNING_CODE_MISMATCH, Warnings::CODE_MISMATCH),
            (SMTPREPLY_WARNING_CODE_OUT_OF_GRAMMAR, Warnings::CODE_OUT_OF_GRAMMAR),
            (SMTPREPLY_WARNING_NON_ASCII, Warnings::NON_ASCII),
            (SMTPREPLY_WARNING_CONTROL_CHAR, Warnings::CONTROL_CHAR),
            (SMTPREPLY_WARNING_LONG_LINE, Warnings::LONG_LINE),
            (SMTPREPLY_WARNING_ENHANCED_MISMATCH, Warnings::ENHANCED_MISMATCH),
            (SMTPREPLY_WARNING_ENHANCED_PARTIAL, Warnings::ENHANCED_PARTIAL),
            (SMTPREPLY_WARNING_ENHANCED_CLASS_MISMATCH, Warnings::ENHANCED_CLASS_MISMATCH),
            (SMTPREPLY_WARNING_MISSING_CODE, Warnings::MISSING_CODE),
        ];
        assert_eq!(c.len(), Warnings::ALL.len());
        for (k, w) in c {
            assert_eq!(k, w.bits());
        }
    }
}
