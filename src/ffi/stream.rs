//! C API: the streaming parser (feed bytes, take replies).

use super::reply::{options_arg, parse_error, smtpreply_parser_options, smtpreply_reply};
use super::smtpreply_result::*;
use super::*;
use crate::reply::ReplyStream;

/// An incremental reply parser that buffers what it is fed
/// (`smtpreply_stream_new` / `smtpreply_stream_free`). One thread at a time.
pub struct smtpreply_stream {
    inner: ReplyStream,
}

/// Creates a stream with `options` (NULL for the defaults) and stores it in `*out`.
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_NULL_PARAMETER` (out), `SMTPREPLY_INVALID_INPUT` (unknown
/// flags) or `SMTPREPLY_OUT_OF_RANGE` (limits).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_new(
    options: *const smtpreply_parser_options,
    out: *mut *mut smtpreply_stream,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let opts = options_arg(options)?;
        let inner = ReplyStream::new(opts).map_err(|e| Error::range(format!("options: {e}")))?;
        out.write(Box::into_raw(Box::new(smtpreply_stream { inner })));
        Ok(SMTPREPLY_OK)
    })
}

/// Frees a stream. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_free(stream: *mut smtpreply_stream) {
    guard_value((), || free_box(stream))
}

/// Appends received bytes (copied).
///
/// Returns `SMTPREPLY_OK`, or `SMTPREPLY_LIMIT_EXCEEDED` when the stream would hold more than
/// `max_buffer` bytes (nothing is appended; take replies out first), or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_feed(
    stream: *mut smtpreply_stream,
    data: *const u8,
    len: usize,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(stream, "stream")?;
        let input = bytes_arg(data, len, "data")?;
        s.inner.feed(input).map_err(|e| Error::new(SMTPREPLY_LIMIT_EXCEEDED, e.to_string()))?;
        Ok(SMTPREPLY_OK)
    })
}

/// Takes the next complete reply into `reply`.
///
/// Returns `SMTPREPLY_OK` (the reply is removed from the stream), `SMTPREPLY_NEED_MORE` (feed more
/// bytes), or the parse errors of `smtpreply_parse_reply`; after an error the stream stays where it
/// is: close the connection, or call `smtpreply_stream_skip_line` to step over the bad line.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_next(
    stream: *mut smtpreply_stream,
    reply: *mut smtpreply_reply,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(stream, "stream")?;
        let handle = mut_arg(reply, "reply")?;
        match s.inner.next_reply().map_err(parse_error)? {
            Some(r) => {
                handle.fill(&r);
                Ok(SMTPREPLY_OK)
            }
            None => Ok(SMTPREPLY_NEED_MORE),
        }
    })
}

/// Declares the end of the input (the connection closed).
///
/// Returns `SMTPREPLY_OK` when no partial reply is pending, `SMTPREPLY_TRUNCATED` when the
/// input ended in the middle of a reply, or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_finish(stream: *const smtpreply_stream) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(stream, "stream")?;
        s.inner.finish().map_err(parse_error)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out_pending` the number of buffered bytes not yet taken as replies.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_pending(
    stream: *const smtpreply_stream,
    out_pending: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(stream, "stream")?;
        Out::new(out_pending, "out_pending")?.write(s.inner.pending());
        Ok(SMTPREPLY_OK)
    })
}

/// Drops the pending bytes up to and including the next LF (all of them if there is none) and
/// stores how many in `*out_skipped`: the way past a line the parser refused.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_stream_skip_line(
    stream: *mut smtpreply_stream,
    out_skipped: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(stream, "stream")?;
        let out = Out::new(out_skipped, "out_skipped")?;
        out.write(s.inner.skip_line());
        Ok(SMTPREPLY_OK)
    })
}
