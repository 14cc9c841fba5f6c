//! C API: explain a pasted SMTP conversation (connection log, telnet, swaks, curl, smtplib,
//! Exchange protocol log, bounce).
//!
//! ```c
//! smtpreply_transcript *t;
//! if (smtpreply_transcript_analyse(buf, len, NULL, &t) == SMTPREPLY_OK) {
//!     smtpreply_transcript_summary sum; smtpreply_transcript_get_summary(t, &sum);
//!     for (size_t i = 0; i < sum.step_count; i++) { smtpreply_transcript_step st; smtpreply_transcript_step_at(t, i, &st); ... }
//!     smtpreply_transcript_free(t);
//! }
//! ```

use super::classify::{placeholder_classification, smtpreply_classification, to_c_classification};
use super::reply::{enhanced_to_c, smtpreply_enhanced_code};
use super::smtpreply_result::*;
use super::*;
use crate::transcript::{analyse_with, CheckKind, Format, Options, Speaker, StepKind, Transcript, TranscriptError};
use std::ffi::CString;

/// Format numbers (`smtpreply_transcript_summary.format`, `smtpreply_transcript_options.format`).
/// In the options, `SMTPREPLY_FORMAT_UNKNOWN` (0) means "detect".
pub const SMTPREPLY_FORMAT_UNKNOWN: u32 = 0;
/// `Server:` / `Client:` markers (mail clients' connection logs).
pub const SMTPREPLY_FORMAT_SERVER_CLIENT: u32 = 1;
/// RFC style `S:` / `C:`.
pub const SMTPREPLY_FORMAT_RFC: u32 = 2;
/// `->` / `<-` arrows (telnet tutorials).
pub const SMTPREPLY_FORMAT_ARROWS: u32 = 3;
pub const SMTPREPLY_FORMAT_SWAKS: u32 = 4;
/// curl -v.
pub const SMTPREPLY_FORMAT_CURL: u32 = 5;
/// A raw telnet session.
pub const SMTPREPLY_FORMAT_TELNET: u32 = 6;
/// Python smtplib debug output.
pub const SMTPREPLY_FORMAT_SMTPLIB: u32 = 7;
/// Exchange / Microsoft 365 SMTP protocol log (CSV).
pub const SMTPREPLY_FORMAT_EXCHANGE: u32 = 8;
/// A bounce or NDR excerpt.
pub const SMTPREPLY_FORMAT_BOUNCE: u32 = 9;

pub const SMTPREPLY_SPEAKER_CLIENT: u32 = 1;
pub const SMTPREPLY_SPEAKER_SERVER: u32 = 2;
/// The tool that made the log (swaks `===`, curl `*`, telnet notes).
pub const SMTPREPLY_SPEAKER_TOOL: u32 = 3;

pub const SMTPREPLY_STEP_COMMAND: u32 = 1;
pub const SMTPREPLY_STEP_REPLY: u32 = 2;
/// The message text, gathered in one step.
pub const SMTPREPLY_STEP_MESSAGE_DATA: u32 = 3;
/// A client response during AUTH (masked).
pub const SMTPREPLY_STEP_AUTH_RESPONSE: u32 = 4;
pub const SMTPREPLY_STEP_INFO: u32 = 5;

pub const SMTPREPLY_CHECK_UNEXPECTED_REPLY: u32 = 1;
pub const SMTPREPLY_CHECK_OUT_OF_SEQUENCE: u32 = 2;
pub const SMTPREPLY_CHECK_DATA_BEFORE_354: u32 = 3;
pub const SMTPREPLY_CHECK_MISSING_QUIT: u32 = 4;
pub const SMTPREPLY_CHECK_OBSOLETE_COMMAND: u32 = 5;
pub const SMTPREPLY_CHECK_UNANSWERED: u32 = 6;
pub const SMTPREPLY_CHECK_UNSOLICITED_REPLY: u32 = 7;
pub const SMTPREPLY_CHECK_UNKNOWN_COMMAND: u32 = 8;
pub const SMTPREPLY_CHECK_PIPELINING_NOT_OFFERED: u32 = 9;
pub const SMTPREPLY_CHECK_CREDENTIALS_IN_CLEAR: u32 = 10;
pub const SMTPREPLY_CHECK_LINE_TOO_LONG: u32 = 11;
pub const SMTPREPLY_CHECK_UNTERMINATED_DATA: u32 = 12;

/// How to read a transcript. Zero `max_input` / `max_line` mean the defaults (64 MiB, 64 KiB).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_transcript_options {
    /// `SMTPREPLY_FORMAT_*`; `SMTPREPLY_FORMAT_UNKNOWN` detects the format.
    pub format: u32,
    /// The most input accepted; more is `SMTPREPLY_LIMIT_EXCEEDED`.
    pub max_input: usize,
    /// Longer lines are cut (with a LINE_TOO_LONG check); at least 80.
    pub max_line: usize,
}

/// The outcome of a transcript. Pointers live as long as the transcript handle.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_transcript_summary {
    /// `SMTPREPLY_FORMAT_*` (UNKNOWN: nothing recognisable; the counts are then 0).
    pub format: u32,
    /// Input lines read.
    pub lines: usize,
    pub step_count: usize,
    pub check_count: usize,
    pub recipient_count: usize,
    pub message_count: usize,
    /// Whether the last message reached an outcome; then `message_accepted` says which.
    pub has_message_outcome: bool,
    pub message_accepted: bool,
    /// The queue id of the last accepted message (length 0: none given).
    pub queue_id: *const u8,
    pub queue_id_len: usize,
    /// The first failure: a step index and its classification.
    pub has_first_failure: bool,
    pub first_failure_step: usize,
    pub first_failure: smtpreply_classification,
    /// STARTTLS succeeded / AUTH succeeded / the client sent QUIT.
    pub tls: bool,
    pub authenticated: bool,
    pub quit: bool,
}

/// One step. `text` is not NUL-terminated; it lives as long as the transcript handle.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_transcript_step {
    /// `SMTPREPLY_STEP_*`
    pub kind: u32,
    /// `SMTPREPLY_SPEAKER_*`
    pub speaker: u32,
    /// The first input line of the step (1-based).
    pub line: usize,
    /// The command line, the reply (lines joined with "\n"), the message text or a note;
    /// credentials masked.
    pub text: *const u8,
    pub text_len: usize,
    /// `SMTPREPLY_COMMAND_*`: the command sent, or the one a reply answers.
    pub command: u32,
    /// For a reply: the step it answers.
    pub has_answers: bool,
    pub answers: usize,
    /// For a reply: its code, enhanced code, and whether RFC 5321 §4.3.2 lists the code for the
    /// command.
    pub has_reply: bool,
    pub code: u32,
    pub has_enhanced: bool,
    pub enhanced: smtpreply_enhanced_code,
    pub unexpected: bool,
    pub classification: smtpreply_classification,
    /// After STARTTLS.
    pub tls: bool,
}

/// One protocol deviation. `message` is NUL-terminated and lives as long as the handle.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_transcript_check {
    /// `SMTPREPLY_CHECK_*`
    pub kind: u32,
    pub step: usize,
    pub message: *const c_char,
}

/// One recipient's outcome. `address` is not NUL-terminated; it lives as long as the handle.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_transcript_recipient {
    pub address: *const u8,
    pub address_len: usize,
    /// `SMTPREPLY_RECIPIENT_*` (PENDING: the log does not say).
    pub status: u32,
    pub rcpt_step: usize,
    /// The reply that decided the status.
    pub has_reply_step: bool,
    pub reply_step: usize,
    pub has_classification: bool,
    pub classification: smtpreply_classification,
    /// The message it belongs to (index for smtpreply_transcript_message_at).
    pub message: usize,
}

/// One message (MAIL FROM transaction). Pointers live as long as the handle.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_transcript_message {
    pub sender: *const u8,
    pub sender_len: usize,
    pub mail_step: usize,
    pub has_outcome: bool,
    pub accepted: bool,
    pub has_reply_step: bool,
    pub reply_step: usize,
    pub queue_id: *const u8,
    pub queue_id_len: usize,
}

/// An analysed transcript (`smtpreply_transcript_analyse` / `smtpreply_transcript_free`).
/// Read-only after creation: it may be read from several threads at once.
pub struct smtpreply_transcript {
    inner: Transcript,
    check_messages: Vec<CString>,
}

/// Fills `*options` with the defaults: detect the format, 64 MiB input, 64 KiB lines.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_options_init(
    options: *mut smtpreply_transcript_options,
) -> smtpreply_result {
    guard(|| {
        Out::new(options, "options")?.write(smtpreply_transcript_options {
            format: SMTPREPLY_FORMAT_UNKNOWN,
            max_input: Options::DEFAULT_MAX_INPUT,
            max_line: Options::DEFAULT_MAX_LINE,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Analyses a transcript of `len` bytes (any encoding; `data` may be NULL when `len` is 0) and
/// stores a new handle in `*out`. `options` may be NULL (defaults).
///
/// Input that holds no conversation is not an error: the summary says format UNKNOWN with no
/// steps. Returns `SMTPREPLY_OK`; `SMTPREPLY_NULL_PARAMETER`; `SMTPREPLY_LIMIT_EXCEEDED` (input
/// over `max_input`); `SMTPREPLY_INVALID_INPUT` (a format number that is not one, `max_line`
/// under 80). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_analyse(
    data: *const u8,
    len: usize,
    options: *const smtpreply_transcript_options,
    out: *mut *mut smtpreply_transcript,
) -> smtpreply_result {
    guard(|| {
        let input = bytes_arg(data, len, "data")?;
        let out = Out::new(out, "out")?;
        let mut opts = Options::default();
        if !options.is_null() {
            let o = ref_arg(options, "options")?;
            opts.format =
                match o.format {
                    SMTPREPLY_FORMAT_UNKNOWN => None,
                    n => Some(Format::from_u32(n).ok_or_else(|| {
                        Error::invalid(format!("options.format {n} is not an SMTPREPLY_FORMAT_* value"))
                    })?),
                };
            if o.max_input != 0 {
                opts.max_input = o.max_input;
            }
            if o.max_line != 0 {
                opts.max_line = o.max_line;
            }
        }
        let inner = analyse_with(input, &opts).map_err(|e| match e {
            TranscriptError::TooLarge(..) => Error::new(SMTPREPLY_LIMIT_EXCEEDED, e.to_string()),
            TranscriptError::BadOption(_) => Error::invalid(format!("options.{e}")),
        })?;
        let check_messages =
            inner.checks.iter().map(|c| CString::new(c.message.replace('\0', "?")).unwrap_or_default()).collect();
        out.write(Box::into_raw(Box::new(smtpreply_transcript { inner, check_messages })));
        Ok(SMTPREPLY_OK)
    })
}

/// Frees a transcript. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_free(transcript: *mut smtpreply_transcript) {
    guard_value((), || free_box(transcript))
}

/// Stores the outcome in `*out`. `SMTPREPLY_OK` or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_get_summary(
    transcript: *const smtpreply_transcript,
    out: *mut smtpreply_transcript_summary,
) -> smtpreply_result {
    guard(|| {
        let t = &ref_arg(transcript, "transcript")?.inner;
        let out = Out::new(out, "out")?;
        let accepted = t.message_accepted();
        let queue = t.queue_id().unwrap_or("");
        let failure = t.first_failure_classification();
        out.write(smtpreply_transcript_summary {
            format: t.format as u32,
            lines: t.lines,
            step_count: t.steps.len(),
            check_count: t.checks.len(),
            recipient_count: t.recipients.len(),
            message_count: t.messages.len(),
            has_message_outcome: accepted.is_some(),
            message_accepted: accepted == Some(true),
            queue_id: queue.as_ptr(),
            queue_id_len: queue.len(),
            has_first_failure: failure.is_some(),
            first_failure_step: t.first_failure.unwrap_or(0),
            first_failure: failure.as_ref().map_or_else(placeholder_classification, to_c_classification),
            tls: t.tls,
            authenticated: t.authenticated,
            quit: t.quit,
        });
        Ok(SMTPREPLY_OK)
    })
}

fn index<'a, T>(items: &'a [T], i: usize, what: &str) -> Result<&'a T, Error> {
    items.get(i).ok_or_else(|| Error::range(format!("{what} {i} is out of range ({} {what}s)", items.len())))
}

/// Stores step `index` in `*out`. `SMTPREPLY_OUT_OF_RANGE` past the last step.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_step_at(
    transcript: *const smtpreply_transcript,
    index_: usize,
    out: *mut smtpreply_transcript_step,
) -> smtpreply_result {
    guard(|| {
        let t = &ref_arg(transcript, "transcript")?.inner;
        let out = Out::new(out, "out")?;
        let s = index(&t.steps, index_, "step")?;
        let r = s.reply.as_ref();
        out.write(smtpreply_transcript_step {
            kind: s.kind as u32,
            speaker: s.speaker as u32,
            line: s.line,
            text: s.text.as_ptr(),
            text_len: s.text.len(),
            command: s.command as u32,
            has_answers: s.answers.is_some(),
            answers: s.answers.unwrap_or(0),
            has_reply: r.is_some(),
            code: r.map_or(0, |r| r.code as u32),
            has_enhanced: r.is_some_and(|r| r.enhanced.is_some()),
            enhanced: enhanced_to_c(r.and_then(|r| r.enhanced)),
            unexpected: r.is_some_and(|r| r.unexpected),
            classification: r.map_or_else(placeholder_classification, |r| to_c_classification(&r.classification)),
            tls: s.tls,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores check `index` in `*out`. `SMTPREPLY_OUT_OF_RANGE` past the last check.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_check_at(
    transcript: *const smtpreply_transcript,
    index_: usize,
    out: *mut smtpreply_transcript_check,
) -> smtpreply_result {
    guard(|| {
        let h = ref_arg(transcript, "transcript")?;
        let out = Out::new(out, "out")?;
        let c = index(&h.inner.checks, index_, "check")?;
        out.write(smtpreply_transcript_check {
            kind: c.kind as u32,
            step: c.step,
            message: h.check_messages[index_].as_ptr(),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores recipient `index` in `*out`. `SMTPREPLY_OUT_OF_RANGE` past the last recipient.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_recipient_at(
    transcript: *const smtpreply_transcript,
    index_: usize,
    out: *mut smtpreply_transcript_recipient,
) -> smtpreply_result {
    guard(|| {
        let t = &ref_arg(transcript, "transcript")?.inner;
        let out = Out::new(out, "out")?;
        let r = index(&t.recipients, index_, "recipient")?;
        out.write(smtpreply_transcript_recipient {
            address: r.address.as_ptr(),
            address_len: r.address.len(),
            status: r.status as u32,
            rcpt_step: r.rcpt_step,
            has_reply_step: r.reply_step.is_some(),
            reply_step: r.reply_step.unwrap_or(0),
            has_classification: r.classification.is_some(),
            classification: r.classification.as_ref().map_or_else(placeholder_classification, to_c_classification),
            message: r.message,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores message `index` in `*out`. `SMTPREPLY_OUT_OF_RANGE` past the last message.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_transcript_message_at(
    transcript: *const smtpreply_transcript,
    index_: usize,
    out: *mut smtpreply_transcript_message,
) -> smtpreply_result {
    guard(|| {
        let t = &ref_arg(transcript, "transcript")?.inner;
        let out = Out::new(out, "out")?;
        let m = index(&t.messages, index_, "message")?;
        let queue = m.queue_id.as_deref().unwrap_or("");
        out.write(smtpreply_transcript_message {
            sender: m.sender.as_ptr(),
            sender_len: m.sender.len(),
            mail_step: m.mail_step,
            has_outcome: m.accepted.is_some(),
            accepted: m.accepted == Some(true),
            has_reply_step: m.reply_step.is_some(),
            reply_step: m.reply_step.unwrap_or(0),
            queue_id: queue.as_ptr(),
            queue_id_len: queue.len(),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// The name of `SMTPREPLY_FORMAT_x` ("swaks"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_format_name(format: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Format::from_u32(format).map_or(std::ptr::null(), |f| f.name_text().as_ptr()))
}

/// The `SMTPREPLY_FORMAT_*` number of a format name (as smtpreply_format_name writes it) in
/// `*out_format`. `SMTPREPLY_NOT_FOUND` for a name that is not one.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_format_from_name(name: *const c_char, out_format: *mut u32) -> smtpreply_result {
    guard(|| {
        let name = str_arg(name, "name")?;
        let out = Out::new(out_format, "out_format")?;
        let f = Format::from_name(name)
            .ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, format!("{name:?} is not a transcript format")))?;
        out.write(f as u32);
        Ok(SMTPREPLY_OK)
    })
}

/// The name of `SMTPREPLY_STEP_x` ("reply"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_step_kind_name(kind: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        [StepKind::Command, StepKind::Reply, StepKind::MessageData, StepKind::AuthResponse, StepKind::Info]
            .into_iter()
            .find(|k| *k as u32 == kind)
            .map_or(std::ptr::null(), |k| k.name_text().as_ptr())
    })
}

/// The name of `SMTPREPLY_SPEAKER_x` ("server"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_speaker_name(speaker: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        [Speaker::Client, Speaker::Server, Speaker::Tool]
            .into_iter()
            .find(|s| *s as u32 == speaker)
            .map_or(std::ptr::null(), |s| s.name_text().as_ptr())
    })
}

/// The name of `SMTPREPLY_CHECK_x` ("missing_quit"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_check_kind_name(kind: u32) -> *const c_char {
    guard_value(std::ptr::null(), || CheckKind::from_u32(kind).map_or(std::ptr::null(), |k| k.name_text().as_ptr()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_the_core() {
        for f in Format::ALL {
            let name = unsafe { std::ffi::CStr::from_ptr(smtpreply_format_name(f as u32)) };
            assert_eq!(name.to_str().unwrap(), f.name());
        }
        assert!(smtpreply_format_name(10).is_null());
        for k in CheckKind::ALL {
            assert!(!smtpreply_check_kind_name(k as u32).is_null());
        }
        assert!(smtpreply_check_kind_name(0).is_null() && smtpreply_check_kind_name(13).is_null());
        assert_eq!(SMTPREPLY_CHECK_UNTERMINATED_DATA, CheckKind::UnterminatedData as u32);
        assert_eq!(SMTPREPLY_FORMAT_BOUNCE, Format::Bounce as u32);
        assert_eq!(SMTPREPLY_STEP_INFO, StepKind::Info as u32);
        assert_eq!(SMTPREPLY_SPEAKER_TOOL, Speaker::Tool as u32);
    }
}
