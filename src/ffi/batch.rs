//! C API: parse every reply of a buffer in one call (for hosts where each call is expensive, such
//! as Python's ctypes at about 0.8 µs a call).

use super::reply::{options_arg, parse_error, smtpreply_parser_options};
use super::smtpreply_result::*;
use super::*;
use crate::reply::{parse_replies, EnhancedCode};

/// One reply found by `smtpreply_parse_batch`. Offsets count bytes from the start of the buffer
/// that was parsed. Enhanced fields are 0 when the reply has no enhanced code (class 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct smtpreply_batch_reply {
    pub offset: u32,
    pub length: u32,
    pub code: u32,
    pub enhanced_class: u32,
    pub enhanced_subject: u32,
    pub enhanced_detail: u32,
    /// `SMTPREPLY_WARNING_*` bits.
    pub warnings: u32,
    /// Index of the reply's first line in the batch's line array.
    pub first_line: u32,
    pub line_count: u32,
}

/// One line of a reply found by `smtpreply_parse_batch`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct smtpreply_batch_line {
    /// The line's text (without code, separator and enhanced code), as an offset into the buffer.
    pub text_offset: u32,
    pub text_length: u32,
    /// The line's code, 0 for a continuation line without one.
    pub code: u32,
    pub enhanced_class: u32,
    pub enhanced_subject: u32,
    pub enhanced_detail: u32,
    /// 1 for the final line of its reply.
    pub is_last: u32,
}

/// The replies of one buffer (`smtpreply_batch_new` / `smtpreply_batch_free`). Reusing a batch
/// reuses its storage. One thread at a time.
pub struct smtpreply_batch {
    replies: Vec<smtpreply_batch_reply>,
    lines: Vec<smtpreply_batch_line>,
}

fn enhanced_fields(e: Option<EnhancedCode>) -> (u32, u32, u32) {
    e.map_or((0, 0, 0), |e| (e.class as u32, e.subject as u32, e.detail as u32))
}

/// Creates an empty batch. Never returns NULL.
#[no_mangle]
pub extern "C" fn smtpreply_batch_new() -> *mut smtpreply_batch {
    guard_value(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(smtpreply_batch { replies: Vec::new(), lines: Vec::new() }))
    })
}

/// Frees a batch. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_batch_free(batch: *mut smtpreply_batch) {
    guard_value((), || free_box(batch))
}

/// Parses every complete reply at the start of `data[0..len)` into `batch` (replacing what it held).
///
/// - `SMTPREPLY_OK`: at least one reply; `*out_consumed` is the bytes they took. Parsing stops at
///   the first incomplete reply, or before bytes that are not a reply (the next call reports them).
/// - `SMTPREPLY_NEED_MORE`: no complete reply; nothing written, the batch is emptied.
/// - the errors of `smtpreply_parse_reply` when the very first reply is bad.
/// - `SMTPREPLY_INVALID_INPUT` when `len` is 4 GiB or more (offsets are 32-bit).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_parse_batch(
    batch: *mut smtpreply_batch,
    data: *const u8,
    len: usize,
    options: *const smtpreply_parser_options,
    out_consumed: *mut usize,
) -> smtpreply_result {
    guard(|| {
        // Pointers first: a NULL pointer is NULL_PARAMETER whatever else is wrong.
        let b = mut_arg(batch, "batch")?;
        let out = Out::new(out_consumed, "out_consumed")?;
        let input = bytes_arg(data, len, "data")?;
        let opts = options_arg(options)?;
        if u32::try_from(input.len()).is_err() {
            return Err(Error::invalid("data is 4 GiB or longer; parse it in parts"));
        }
        b.replies.clear();
        b.lines.clear();
        let base = input.as_ptr() as usize;
        let off = |s: &[u8]| (s.as_ptr() as usize - base) as u32;
        let consumed = parse_replies(input, &opts, |r| {
            let (c, s, d) = enhanced_fields(r.enhanced());
            b.replies.push(smtpreply_batch_reply {
                offset: off(r.raw()),
                length: r.raw().len() as u32,
                code: r.code() as u32,
                enhanced_class: c,
                enhanced_subject: s,
                enhanced_detail: d,
                warnings: r.warnings().bits(),
                first_line: b.lines.len() as u32,
                line_count: r.line_count() as u32,
            });
            for l in r.lines() {
                let (c, s, d) = enhanced_fields(l.enhanced());
                b.lines.push(smtpreply_batch_line {
                    text_offset: off(l.text()),
                    text_length: l.text().len() as u32,
                    code: l.code().unwrap_or(0) as u32,
                    enhanced_class: c,
                    enhanced_subject: s,
                    enhanced_detail: d,
                    is_last: l.is_last() as u32,
                });
            }
        })
        .map_err(parse_error)?;
        if b.replies.is_empty() {
            return Ok(SMTPREPLY_NEED_MORE);
        }
        out.write(consumed);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the batch's reply array and its length. The array stays valid until the batch is parsed
/// into again or freed.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_batch_replies(
    batch: *const smtpreply_batch,
    out_replies: *mut *const smtpreply_batch_reply,
    out_count: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let b = ref_arg(batch, "batch")?;
        let (p, n) = (Out::new(out_replies, "out_replies")?, Out::new(out_count, "out_count")?);
        p.write(b.replies.as_ptr());
        n.write(b.replies.len());
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the batch's line array and its length. The array stays valid until the batch is parsed
/// into again or freed.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_batch_lines(
    batch: *const smtpreply_batch,
    out_lines: *mut *const smtpreply_batch_line,
    out_count: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let b = ref_arg(batch, "batch")?;
        let (p, n) = (Out::new(out_lines, "out_lines")?, Out::new(out_count, "out_count")?);
        p.write(b.lines.as_ptr());
        n.write(b.lines.len());
        Ok(SMTPREPLY_OK)
    })
}
