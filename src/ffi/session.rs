//! C API: the sans-I/O client session.
//!
//! The host loop in C:
//! ```c
//! smtpreply_session *s; smtpreply_session_new(&config, &s);
//! for (;;) {
//!     const uint8_t *out; size_t n;
//!     smtpreply_session_output(s, &out, &n);          // write these bytes to the socket,
//!     smtpreply_session_advance_output(s, written);   // then say how many went out
//!     smtpreply_event ev;
//!     while (smtpreply_session_next_event(s, &ev) == SMTPREPLY_OK) { ... act on ev.kind ... }
//!     ... read from the socket (timeout: smtpreply_session_timeout_ms) ...
//!     smtpreply_session_receive(s, buf, got);         // or smtpreply_session_receive_eof(s)
//! }
//! ```

use super::classify::{placeholder_classification, smtpreply_classification, to_c_classification};
use super::ehlo::smtpreply_capabilities;
use super::reply::{enhanced_to_c, smtpreply_enhanced_code};
use super::smtpreply_result::*;
use super::*;
use crate::session::{
    BodyType, Credentials, DsnNotify, DsnReturn, Event, MailOptions, Mechanism, OwnedReply, RcptOptions,
    RecipientResult, Session, SessionConfig, TlsPolicy, UsageError,
};
use std::ffi::CString;

pub const SMTPREPLY_TLS_NEVER: u32 = 0;
/// STARTTLS when offered; go on in clear text otherwise.
pub const SMTPREPLY_TLS_OPPORTUNISTIC: u32 = 1;
/// STARTTLS or fail (close reason SMTPREPLY_CLOSE_TLS_UNAVAILABLE).
pub const SMTPREPLY_TLS_REQUIRED: u32 = 2;

/// The connection is already encrypted (implicit TLS, port 465): no STARTTLS.
pub const SMTPREPLY_SESSION_TLS_ACTIVE: u32 = 1 << 0;
/// Do not pipeline even when the server offers PIPELINING.
pub const SMTPREPLY_SESSION_NO_PIPELINING: u32 = 1 << 1;
/// Do not use BDAT even when the server offers CHUNKING.
pub const SMTPREPLY_SESSION_NO_CHUNKING: u32 = 1 << 2;
/// Send the message only if every recipient is accepted (otherwise RSET).
pub const SMTPREPLY_SESSION_ALL_OR_NOTHING: u32 = 1 << 3;
/// Allow AUTH over a connection that is not encrypted (tests, local relays).
pub const SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH: u32 = 1 << 4;

pub const SMTPREPLY_BODY_7BIT: u32 = 0;
pub const SMTPREPLY_BODY_8BITMIME: u32 = 1;
pub const SMTPREPLY_BODY_BINARYMIME: u32 = 2;

/// `smtpreply_mail_options.flags`: request SMTPUTF8 even for ASCII addresses.
pub const SMTPREPLY_MAIL_SMTPUTF8: u32 = 1;

pub const SMTPREPLY_DSN_RET_NONE: u32 = 0;
pub const SMTPREPLY_DSN_RET_FULL: u32 = 1;
pub const SMTPREPLY_DSN_RET_HDRS: u32 = 2;

pub const SMTPREPLY_NOTIFY_NEVER: u32 = 1;
pub const SMTPREPLY_NOTIFY_SUCCESS: u32 = 2;
pub const SMTPREPLY_NOTIFY_FAILURE: u32 = 4;
pub const SMTPREPLY_NOTIFY_DELAY: u32 = 8;

/// Choose the mechanism (PLAIN, then LOGIN).
pub const SMTPREPLY_AUTH_AUTO: u32 = 0;
pub const SMTPREPLY_AUTH_PLAIN: u32 = 1;
pub const SMTPREPLY_AUTH_LOGIN: u32 = 2;
pub const SMTPREPLY_AUTH_XOAUTH2: u32 = 3;

/// A reply arrived (every reply gives one): `command`, the reply, its classification, `unexpected`.
pub const SMTPREPLY_EVENT_REPLY: u32 = 1;
/// The server's 220 greeting.
pub const SMTPREPLY_EVENT_GREETING: u32 = 2;
/// EHLO/HELO succeeded (again after STARTTLS): capabilities are known.
pub const SMTPREPLY_EVENT_READY: u32 = 3;
/// Do the TLS handshake now, then call smtpreply_session_tls_established (or _tls_failed).
pub const SMTPREPLY_EVENT_START_TLS: u32 = 4;
/// A 334 challenge during AUTH (`challenge`).
pub const SMTPREPLY_EVENT_AUTH_CHALLENGE: u32 = 5;
pub const SMTPREPLY_EVENT_AUTH_SUCCEEDED: u32 = 6;
/// AUTH failed: the reply and its classification.
pub const SMTPREPLY_EVENT_AUTH_FAILED: u32 = 7;
/// `recipient_index` / `address` accepted.
pub const SMTPREPLY_EVENT_RECIPIENT_ACCEPTED: u32 = 8;
/// `recipient_index` / `address` refused: the reply and its classification.
pub const SMTPREPLY_EVENT_RECIPIENT_REJECTED: u32 = 9;
/// Send the body now (smtpreply_session_send_body, then _end_body).
pub const SMTPREPLY_EVENT_READY_FOR_BODY: u32 = 10;
/// The server took the message: `queue_id`, and `recipient_count` results.
pub const SMTPREPLY_EVENT_MESSAGE_ACCEPTED: u32 = 11;
/// The message was not sent: the reply (if any), the classification, `recipient_count` results.
pub const SMTPREPLY_EVENT_MESSAGE_REJECTED: u32 = 12;
/// The server broke the protocol (`message`); a CLOSED event follows.
pub const SMTPREPLY_EVENT_PROTOCOL_ERROR: u32 = 13;
/// The session is over (`close_reason`).
pub const SMTPREPLY_EVENT_CLOSED: u32 = 14;

pub const SMTPREPLY_CLOSE_QUIT: u32 = 1;
pub const SMTPREPLY_CLOSE_SERVICE_CLOSING: u32 = 2;
pub const SMTPREPLY_CLOSE_GREETING_REFUSED: u32 = 3;
pub const SMTPREPLY_CLOSE_HELLO_REFUSED: u32 = 4;
pub const SMTPREPLY_CLOSE_CONNECTION_LOST: u32 = 5;
pub const SMTPREPLY_CLOSE_PROTOCOL_ERROR: u32 = 6;
pub const SMTPREPLY_CLOSE_TLS_UNAVAILABLE: u32 = 7;
pub const SMTPREPLY_CLOSE_TLS_FAILED: u32 = 8;

pub const SMTPREPLY_RECIPIENT_PENDING: u32 = 0;
pub const SMTPREPLY_RECIPIENT_ACCEPTED: u32 = 1;
pub const SMTPREPLY_RECIPIENT_REJECTED: u32 = 2;
pub const SMTPREPLY_RECIPIENT_DEFERRED: u32 = 3;

/// Session settings. `client_name` (the EHLO argument: a domain or an address literal) is required.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_session_config {
    pub client_name: *const c_char,
    /// `SMTPREPLY_TLS_*`
    pub tls: u32,
    /// `SMTPREPLY_SESSION_*` flags; unknown bits are refused.
    pub flags: u32,
}

/// MAIL FROM options. Zero everywhere means none.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_mail_options {
    /// Message size in octets for SIZE (0: not declared).
    pub size: u64,
    /// `SMTPREPLY_BODY_*`
    pub body: u32,
    /// `SMTPREPLY_MAIL_*` flags.
    pub flags: u32,
    /// `SMTPREPLY_DSN_RET_*`
    pub dsn_return: u32,
    /// DSN envelope id, or NULL.
    pub dsn_envid: *const c_char,
}

/// RCPT TO options. Zero/NULL means none.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_rcpt_options {
    /// `SMTPREPLY_NOTIFY_*` bits (NEVER alone, or any of the others).
    pub notify: u32,
    /// Original recipient for ORCPT, or NULL.
    pub orcpt: *const c_char,
}

/// One event. Pointers point into the session and stay valid until the next
/// smtpreply_session_next_event call on it (or smtpreply_session_free); byte fields are not
/// NUL-terminated unless said so.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_event {
    /// `SMTPREPLY_EVENT_*`
    pub kind: u32,
    /// For REPLY: the `SMTPREPLY_COMMAND_*` the reply answers.
    pub command: u32,
    /// For REPLY: RFC 5321 §4.3.2 does not list this code for the command.
    pub unexpected: bool,
    /// Whether `code`, `enhanced`, `reply` describe a reply (REPLY, GREETING, AUTH_FAILED,
    /// RECIPIENT_REJECTED, MESSAGE_ACCEPTED, and MESSAGE_REJECTED when a reply refused it).
    pub has_reply: bool,
    pub code: u32,
    pub has_enhanced: bool,
    pub enhanced: smtpreply_enhanced_code,
    pub reply: *const u8,
    pub reply_len: usize,
    pub has_classification: bool,
    /// Spans are offsets into `reply`.
    pub classification: smtpreply_classification,
    /// RECIPIENT_*: the recipient's index (order of smtpreply_session_add_recipient) and address.
    pub recipient_index: usize,
    pub address: *const u8,
    pub address_len: usize,
    /// MESSAGE_*: how many recipient results smtpreply_session_event_recipient gives.
    pub recipient_count: usize,
    /// MESSAGE_ACCEPTED: the queue id from the reply (length 0 when none was found).
    pub queue_id: *const u8,
    pub queue_id_len: usize,
    /// AUTH_*: `SMTPREPLY_AUTH_*`
    pub mechanism: u32,
    /// AUTH_CHALLENGE: the challenge, decoded from base64.
    pub challenge: *const u8,
    pub challenge_len: usize,
    /// CLOSED: `SMTPREPLY_CLOSE_*`
    pub close_reason: u32,
    /// PROTOCOL_ERROR: what the server did wrong (NUL-terminated); NULL otherwise.
    pub message: *const c_char,
}

/// One recipient's outcome in a MESSAGE_* event.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_recipient_result {
    pub address: *const u8,
    pub address_len: usize,
    /// `SMTPREPLY_RECIPIENT_*`
    pub status: u32,
    pub has_reply: bool,
    pub code: u32,
    pub reply: *const u8,
    pub reply_len: usize,
    pub has_classification: bool,
    pub classification: smtpreply_classification,
}

/// What the session did to the message body (smtpreply_session_body_stats).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct smtpreply_body_stats {
    /// How the body travels: `SMTPREPLY_COMMAND_DATA` or `SMTPREPLY_COMMAND_BDAT` (CHUNKING).
    pub command: u32,
    /// Bytes of body taken from the host.
    pub input_bytes: u64,
    /// Bytes written for the body (CRs added and dots stuffed; the terminator is not counted).
    pub output_bytes: u64,
    /// Bare LFs and bare CRs turned into CRLF (a bare one is never sent: SMTP smuggling).
    pub line_endings_fixed: u64,
    /// Lines starting with "." that were stuffed (DATA only).
    pub dots_stuffed: u64,
    /// Lines longer than the 1000 octets RFC 5321 §4.5.3.1.6 allows (sent as they are).
    pub long_lines: u64,
}

/// A client session (`smtpreply_session_new` / `smtpreply_session_free`). One thread at a time.
pub struct smtpreply_session {
    inner: Session,
    /// The event last handed out, kept alive for its pointers.
    current: Option<Event>,
    current_message: Option<CString>,
}

fn usage(e: UsageError) -> Error {
    let code = match e {
        UsageError::WrongState { .. } => SMTPREPLY_WRONG_STATE,
        UsageError::NotOffered(_) => SMTPREPLY_NOT_SUPPORTED,
        UsageError::CommandTooLong(..) => SMTPREPLY_LIMIT_EXCEEDED,
        UsageError::NotEncrypted => SMTPREPLY_WRONG_STATE,
        _ => SMTPREPLY_INVALID_INPUT,
    };
    Error::new(code, e.to_string())
}

unsafe fn opt_str_arg(ptr: *const c_char, name: &str) -> Result<Option<String>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    Ok(Some(str_arg(ptr, name)?.to_string()))
}

fn reply_fields(ev: &mut smtpreply_event, reply: &OwnedReply) {
    ev.has_reply = true;
    ev.code = reply.code() as u32;
    ev.has_enhanced = reply.enhanced().is_some();
    ev.enhanced = enhanced_to_c(reply.enhanced());
    ev.reply = reply.raw().as_ptr();
    ev.reply_len = reply.raw().len();
}

fn event_to_c(e: &Event, message: Option<&CString>) -> smtpreply_event {
    let mut ev = smtpreply_event {
        kind: 0,
        command: 0,
        unexpected: false,
        has_reply: false,
        code: 0,
        has_enhanced: false,
        enhanced: smtpreply_enhanced_code::default(),
        reply: std::ptr::null(),
        reply_len: 0,
        has_classification: false,
        classification: placeholder_classification(),
        recipient_index: 0,
        address: std::ptr::null(),
        address_len: 0,
        recipient_count: 0,
        queue_id: std::ptr::null(),
        queue_id_len: 0,
        mechanism: 0,
        challenge: std::ptr::null(),
        challenge_len: 0,
        close_reason: 0,
        message: message.map_or(std::ptr::null(), |m| m.as_ptr()),
    };
    match e {
        Event::Reply { command, reply, classification, unexpected } => {
            ev.kind = SMTPREPLY_EVENT_REPLY;
            ev.command = *command as u32;
            ev.unexpected = *unexpected;
            reply_fields(&mut ev, reply);
            ev.has_classification = true;
            ev.classification = to_c_classification(classification);
        }
        Event::Greeting { reply } => {
            ev.kind = SMTPREPLY_EVENT_GREETING;
            reply_fields(&mut ev, reply);
        }
        Event::Ready => ev.kind = SMTPREPLY_EVENT_READY,
        Event::StartTls => ev.kind = SMTPREPLY_EVENT_START_TLS,
        Event::AuthChallenge { challenge } => {
            ev.kind = SMTPREPLY_EVENT_AUTH_CHALLENGE;
            ev.challenge = challenge.as_ptr();
            ev.challenge_len = challenge.len();
        }
        Event::AuthSucceeded { mechanism } => {
            ev.kind = SMTPREPLY_EVENT_AUTH_SUCCEEDED;
            ev.mechanism = *mechanism as u32;
        }
        Event::AuthFailed { reply, classification } => {
            ev.kind = SMTPREPLY_EVENT_AUTH_FAILED;
            reply_fields(&mut ev, reply);
            ev.has_classification = true;
            ev.classification = to_c_classification(classification);
        }
        Event::RecipientAccepted { index, address } => {
            ev.kind = SMTPREPLY_EVENT_RECIPIENT_ACCEPTED;
            ev.recipient_index = *index;
            ev.address = address.as_ptr();
            ev.address_len = address.len();
        }
        Event::RecipientRejected { index, address, reply, classification } => {
            ev.kind = SMTPREPLY_EVENT_RECIPIENT_REJECTED;
            ev.recipient_index = *index;
            ev.address = address.as_ptr();
            ev.address_len = address.len();
            reply_fields(&mut ev, reply);
            ev.has_classification = true;
            ev.classification = to_c_classification(classification);
        }
        Event::ReadyForBody => ev.kind = SMTPREPLY_EVENT_READY_FOR_BODY,
        Event::MessageAccepted { reply, queue_id, recipients } => {
            ev.kind = SMTPREPLY_EVENT_MESSAGE_ACCEPTED;
            reply_fields(&mut ev, reply);
            ev.recipient_count = recipients.len();
            if let Some(q) = queue_id {
                ev.queue_id = q.as_ptr();
                ev.queue_id_len = q.len();
            }
        }
        Event::MessageRejected { reply, classification, recipients } => {
            ev.kind = SMTPREPLY_EVENT_MESSAGE_REJECTED;
            if let Some(r) = reply {
                reply_fields(&mut ev, r);
            }
            ev.has_classification = true;
            ev.classification = to_c_classification(classification);
            ev.recipient_count = recipients.len();
        }
        Event::ProtocolError { .. } => ev.kind = SMTPREPLY_EVENT_PROTOCOL_ERROR,
        Event::Closed { reason } => {
            ev.kind = SMTPREPLY_EVENT_CLOSED;
            ev.close_reason = *reason as u32;
        }
    }
    ev
}

/// Fills `*config` with the recommended settings: opportunistic STARTTLS, pipelining and
/// chunking when offered, credentials only over TLS. `client_name` is set to NULL: set it before
/// smtpreply_session_new. (A zeroed struct is valid too; it means TLS never.)
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_config_init(config: *mut smtpreply_session_config) -> smtpreply_result {
    guard(|| {
        Out::new(config, "config")?.write(smtpreply_session_config {
            client_name: std::ptr::null(),
            tls: SMTPREPLY_TLS_OPPORTUNISTIC,
            flags: 0,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Fills `*options` with "no options" (7bit body, no SIZE, no DSN), the same as passing NULL.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_mail_options_init(options: *mut smtpreply_mail_options) -> smtpreply_result {
    guard(|| {
        Out::new(options, "options")?.write(smtpreply_mail_options {
            size: 0,
            body: SMTPREPLY_BODY_7BIT,
            flags: 0,
            dsn_return: SMTPREPLY_DSN_RET_NONE,
            dsn_envid: std::ptr::null(),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Fills `*options` with "no options" (no NOTIFY, no ORCPT), the same as passing NULL.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_rcpt_options_init(options: *mut smtpreply_rcpt_options) -> smtpreply_result {
    guard(|| {
        Out::new(options, "options")?.write(smtpreply_rcpt_options { notify: 0, orcpt: std::ptr::null() });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out_size` the size of a message once its line endings are CRLF and its last line
/// is closed: what the session sends before dot-stuffing, and the value for
/// `smtpreply_mail_options.size` (RFC 1870 counts CRLF line endings; a file with LF endings is
/// larger on the wire than on disk). `data` may be NULL when `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_message_size(data: *const u8, len: usize, out_size: *mut u64) -> smtpreply_result {
    guard(|| {
        let body = bytes_arg(data, len, "data")?;
        Out::new(out_size, "out_size")?.write(crate::session::message_size(body));
        Ok(SMTPREPLY_OK)
    })
}

/// Creates a session that waits for the server's greeting.
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_NULL_PARAMETER`, `SMTPREPLY_INVALID_INPUT` (client name not a
/// domain or address literal, unknown flags or TLS policy).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_new(
    config: *const smtpreply_session_config,
    out: *mut *mut smtpreply_session,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let c = ref_arg(config, "config")?;
        let name = str_arg(c.client_name, "config.client_name")?;
        let known = SMTPREPLY_SESSION_TLS_ACTIVE
            | SMTPREPLY_SESSION_NO_PIPELINING
            | SMTPREPLY_SESSION_NO_CHUNKING
            | SMTPREPLY_SESSION_ALL_OR_NOTHING
            | SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH;
        if c.flags & !known != 0 {
            return Err(Error::invalid(format!("config.flags has unknown bits 0x{:x}", c.flags & !known)));
        }
        let tls = match c.tls {
            SMTPREPLY_TLS_NEVER => TlsPolicy::Never,
            SMTPREPLY_TLS_OPPORTUNISTIC => TlsPolicy::Opportunistic,
            SMTPREPLY_TLS_REQUIRED => TlsPolicy::Required,
            n => return Err(Error::invalid(format!("config.tls {n} is not an SMTPREPLY_TLS_* value"))),
        };
        let mut cfg = SessionConfig::new(name);
        cfg.tls = tls;
        cfg.tls_active = c.flags & SMTPREPLY_SESSION_TLS_ACTIVE != 0;
        cfg.pipelining = c.flags & SMTPREPLY_SESSION_NO_PIPELINING == 0;
        cfg.chunking = c.flags & SMTPREPLY_SESSION_NO_CHUNKING == 0;
        cfg.all_or_nothing = c.flags & SMTPREPLY_SESSION_ALL_OR_NOTHING != 0;
        cfg.auth_requires_tls = c.flags & SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH == 0;
        let inner = Session::new(cfg).map_err(usage)?;
        out.write(Box::into_raw(Box::new(smtpreply_session { inner, current: None, current_message: None })));
        Ok(SMTPREPLY_OK)
    })
}

/// Frees a session. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_free(session: *mut smtpreply_session) {
    guard_value((), || free_box(session))
}

/// Feeds bytes received from the server; events follow. Returns `SMTPREPLY_OK` or
/// `SMTPREPLY_NULL_PARAMETER`. A server that breaks the protocol yields a PROTOCOL_ERROR event.
///
/// Every complete reply in the bytes is handled at once: an action taken for an early event can
/// return `SMTPREPLY_WRONG_STATE` when a later reply of the same batch closed the session (the
/// CLOSED event later in the batch says why).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_receive(
    session: *mut smtpreply_session,
    data: *const u8,
    len: usize,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let input = bytes_arg(data, len, "data")?;
        s.inner.receive(input);
        Ok(SMTPREPLY_OK)
    })
}

/// Reports that the server closed the connection.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_receive_eof(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.receive_eof();
        Ok(SMTPREPLY_OK)
    })
}

/// Takes the next event into `*out`. Returns `SMTPREPLY_OK`, or `SMTPREPLY_NEED_MORE` when there
/// is none (feed input, or act). The previous event's pointers become invalid.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_next_event(
    session: *mut smtpreply_session,
    out: *mut smtpreply_event,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let out = Out::new(out, "out")?;
        let Some(e) = s.inner.next_event() else {
            // The previous event is over either way (smtpreply_session_event_recipient now
            // answers WRONG_STATE rather than describe an event the host has moved past).
            s.current = None;
            s.current_message = None;
            return Ok(SMTPREPLY_NEED_MORE);
        };
        s.current_message = match &e {
            Event::ProtocolError { message } => Some(CString::new(message.replace('\0', "?")).unwrap_or_default()),
            _ => None,
        };
        s.current = Some(e);
        out.write(event_to_c(s.current.as_ref().expect("just set"), s.current_message.as_ref()));
        Ok(SMTPREPLY_OK)
    })
}

/// Reads recipient result `index` of the current MESSAGE_ACCEPTED / MESSAGE_REJECTED event.
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_OUT_OF_RANGE`, `SMTPREPLY_WRONG_STATE` (the current event is
/// not a message event), `SMTPREPLY_NULL_PARAMETER`. Pointers live as long as the event.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_event_recipient(
    session: *const smtpreply_session,
    index: usize,
    out: *mut smtpreply_recipient_result,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(session, "session")?;
        let out = Out::new(out, "out")?;
        let recipients: &[RecipientResult] = match &s.current {
            Some(Event::MessageAccepted { recipients, .. }) | Some(Event::MessageRejected { recipients, .. }) => {
                recipients
            }
            _ => return Err(Error::new(SMTPREPLY_WRONG_STATE, "the current event is not a message outcome")),
        };
        let r = recipients.get(index).ok_or_else(|| {
            Error::range(format!("recipient {index} is out of range ({} recipients)", recipients.len()))
        })?;
        out.write(smtpreply_recipient_result {
            address: r.address.as_ptr(),
            address_len: r.address.len(),
            status: r.status as u32,
            has_reply: r.reply.is_some(),
            code: r.reply.as_ref().map_or(0, |x| x.code() as u32),
            reply: r.reply.as_ref().map_or(std::ptr::null(), |x| x.raw().as_ptr()),
            reply_len: r.reply.as_ref().map_or(0, |x| x.raw().len()),
            has_classification: r.classification.is_some(),
            classification: r.classification.as_ref().map_or_else(placeholder_classification, to_c_classification),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the bytes to send to the server (possibly none). They stay valid until the next call
/// that changes the session.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_output(
    session: *const smtpreply_session,
    out_ptr: *mut *const u8,
    out_len: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(session, "session")?;
        let (p, n) = (Out::new(out_ptr, "out_ptr")?, Out::new(out_len, "out_len")?);
        let o = s.inner.pending_output();
        p.write(o.as_ptr());
        n.write(o.len());
        Ok(SMTPREPLY_OK)
    })
}

/// Reports that `n` bytes of the output were sent. `SMTPREPLY_OUT_OF_RANGE` if `n` is more than
/// is pending.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_advance_output(
    session: *mut smtpreply_session,
    n: usize,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let pending = s.inner.pending_output().len();
        if n > pending {
            return Err(Error::range(format!("advancing by {n} bytes, but only {pending} are pending")));
        }
        s.inner.advance_output(n);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out_ms` how long to wait for the server now, in milliseconds (RFC 5321
/// §4.5.3.2): 300000 for the greeting and most replies, 120000 for the 354 to DATA, 600000 for
/// the final reply to a message (and to BDAT LAST), 180000 for other BDAT chunks. While the host
/// streams a body (after READY_FOR_BODY) it is 180000, the limit for each write of the body to
/// complete rather than a wait for a reply. Returns `SMTPREPLY_NOT_FOUND` when the session is not
/// waiting for the server (idle and ready, during the TLS handshake, or closed).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_timeout_ms(
    session: *const smtpreply_session,
    out_ms: *mut u64,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(session, "session")?;
        let out = Out::new(out_ms, "out_ms")?;
        let t = s
            .inner
            .timeout()
            .ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, "the session is not waiting for the server"))?;
        out.write(t.as_millis() as u64);
        Ok(SMTPREPLY_OK)
    })
}

/// True when the session is idle and a message can begin. False for NULL.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_is_ready(session: *const smtpreply_session) -> bool {
    guard_value(false, || ref_arg(session, "session").is_ok_and(|s| s.inner.is_ready()))
}

/// True when the session has ended (or for NULL).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_is_closed(session: *const smtpreply_session) -> bool {
    guard_value(true, || ref_arg(session, "session").map_or(true, |s| s.inner.is_closed()))
}

/// True when the connection is encrypted: STARTTLS completed (smtpreply_session_tls_established),
/// or the session was created with SMTPREPLY_SESSION_TLS_ACTIVE. False for NULL.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_is_tls(session: *const smtpreply_session) -> bool {
    guard_value(false, || ref_arg(session, "session").is_ok_and(|s| s.inner.is_tls()))
}

/// Stores the `SMTPREPLY_AUTH_*` mechanism of a successful AUTH in `*out_mechanism`.
/// `SMTPREPLY_NOT_FOUND` when the session has not authenticated.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_authenticated(
    session: *const smtpreply_session,
    out_mechanism: *mut u32,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(session, "session")?;
        let out = Out::new(out_mechanism, "out_mechanism")?;
        let m = s
            .inner
            .authenticated()
            .ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, "the session has not authenticated"))?;
        out.write(m as u32);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores what the session did to the body of the current message (or of the last one, once it
/// is over) in `*out`. `SMTPREPLY_NOT_FOUND` before the first message.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_body_stats(
    session: *const smtpreply_session,
    out: *mut smtpreply_body_stats,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(session, "session")?;
        let out = Out::new(out, "out")?;
        let st = s.inner.body_stats().ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, "no message has begun yet"))?;
        out.write(smtpreply_body_stats {
            command: st.command as u32,
            input_bytes: st.input_bytes,
            output_bytes: st.output_bytes,
            line_endings_fixed: st.line_endings_fixed,
            dots_stuffed: st.dots_stuffed,
            long_lines: st.long_lines,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Copies the server's capabilities (from the last EHLO) into `caps`. `SMTPREPLY_NOT_FOUND`
/// before EHLO has succeeded.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_capabilities(
    session: *const smtpreply_session,
    caps: *mut smtpreply_capabilities,
) -> smtpreply_result {
    guard(|| {
        let s = ref_arg(session, "session")?;
        let c = mut_arg(caps, "caps")?;
        let found =
            s.inner.capabilities().ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, "no EHLO has succeeded yet"))?;
        c.set(found.clone());
        Ok(SMTPREPLY_OK)
    })
}

/// Begins a message with MAIL FROM. `from` is the sender without angle brackets ("" for the null
/// reverse-path). `options` may be NULL.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_WRONG_STATE` (not ready); `SMTPREPLY_INVALID_INPUT` (bad
/// address: syntax, length, control characters, UTF-8 without SMTPUTF8; bad options);
/// `SMTPREPLY_NOT_SUPPORTED` (8BITMIME, BINARYMIME or SMTPUTF8 not offered);
/// `SMTPREPLY_LIMIT_EXCEEDED` (command line too long). Nothing is sent on error.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_send_mail(
    session: *mut smtpreply_session,
    from: *const c_char,
    options: *const smtpreply_mail_options,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let from = str_arg(from, "from")?;
        let mut opts = MailOptions::default();
        if !options.is_null() {
            let o = ref_arg(options, "options")?;
            opts.size = (o.size != 0).then_some(o.size);
            opts.body = match o.body {
                SMTPREPLY_BODY_7BIT => BodyType::SevenBit,
                SMTPREPLY_BODY_8BITMIME => BodyType::EightBitMime,
                SMTPREPLY_BODY_BINARYMIME => BodyType::BinaryMime,
                n => return Err(Error::invalid(format!("options.body {n} is not an SMTPREPLY_BODY_* value"))),
            };
            if o.flags & !SMTPREPLY_MAIL_SMTPUTF8 != 0 {
                return Err(Error::invalid("options.flags has unknown bits"));
            }
            opts.smtputf8 = o.flags & SMTPREPLY_MAIL_SMTPUTF8 != 0;
            opts.dsn_return = match o.dsn_return {
                SMTPREPLY_DSN_RET_NONE => None,
                SMTPREPLY_DSN_RET_FULL => Some(DsnReturn::Full),
                SMTPREPLY_DSN_RET_HDRS => Some(DsnReturn::Headers),
                n => return Err(Error::invalid(format!("options.dsn_return {n} is not an SMTPREPLY_DSN_RET_* value"))),
            };
            opts.dsn_envid = opt_str_arg(o.dsn_envid, "options.dsn_envid")?;
        }
        s.inner.send_mail(from, &opts).map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Adds a recipient (RCPT TO) and stores its index in `*out_index`. `options` may be NULL.
/// Returns as smtpreply_session_send_mail.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_add_recipient(
    session: *mut smtpreply_session,
    to: *const c_char,
    options: *const smtpreply_rcpt_options,
    out_index: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let to = str_arg(to, "to")?;
        let out = Out::new(out_index, "out_index")?;
        let mut opts = RcptOptions::default();
        if !options.is_null() {
            let o = ref_arg(options, "options")?;
            let all =
                SMTPREPLY_NOTIFY_NEVER | SMTPREPLY_NOTIFY_SUCCESS | SMTPREPLY_NOTIFY_FAILURE | SMTPREPLY_NOTIFY_DELAY;
            if o.notify & !all != 0 {
                return Err(Error::invalid("options.notify has unknown bits"));
            }
            if o.notify != 0 {
                opts.notify = Some(DsnNotify {
                    never: o.notify & SMTPREPLY_NOTIFY_NEVER != 0,
                    success: o.notify & SMTPREPLY_NOTIFY_SUCCESS != 0,
                    failure: o.notify & SMTPREPLY_NOTIFY_FAILURE != 0,
                    delay: o.notify & SMTPREPLY_NOTIFY_DELAY != 0,
                });
            }
            opts.orcpt = opt_str_arg(o.orcpt, "options.orcpt")?;
        }
        let i = s.inner.add_recipient(to, &opts).map_err(usage)?;
        out.write(i);
        Ok(SMTPREPLY_OK)
    })
}

/// Asks to send the body after the recipients (DATA, pipelined when allowed, or BDAT); wait for
/// READY_FOR_BODY. Returns `SMTPREPLY_OK` or `SMTPREPLY_WRONG_STATE`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_start_data(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.start_data().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Sends a chunk of the message (any line endings: bare CR and LF become CRLF, lines starting
/// with "." are stuffed). Returns `SMTPREPLY_OK` or `SMTPREPLY_WRONG_STATE`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_send_body(
    session: *mut smtpreply_session,
    data: *const u8,
    len: usize,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let chunk = bytes_arg(data, len, "data")?;
        s.inner.send_body(chunk).map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Authenticates (AUTH) with a password (PLAIN, LOGIN) or an OAuth 2 token (XOAUTH2).
/// `mechanism` is `SMTPREPLY_AUTH_*` (AUTO picks PLAIN, then LOGIN).
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_WRONG_STATE` (not ready, already authenticated, or the
/// connection is not encrypted and insecure AUTH was not allowed); `SMTPREPLY_NOT_SUPPORTED` (AUTH
/// or the mechanism not offered); `SMTPREPLY_INVALID_INPUT`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_authenticate(
    session: *mut smtpreply_session,
    user: *const c_char,
    secret: *const c_char,
    mechanism: u32,
) -> smtpreply_result {
    guard(|| {
        let s = mut_arg(session, "session")?;
        let user = str_arg(user, "user")?.to_string();
        let secret = str_arg(secret, "secret")?.to_string();
        let mechanism = match mechanism {
            SMTPREPLY_AUTH_AUTO => None,
            n => Some(
                Mechanism::from_u32(n)
                    .ok_or_else(|| Error::invalid(format!("{n} is not an SMTPREPLY_AUTH_* value")))?,
            ),
        };
        s.inner.authenticate(Credentials { user, secret, mechanism }).map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Ends the body (the terminating CRLF.CRLF, or BDAT LAST). `SMTPREPLY_WRONG_STATE` outside a body.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_end_body(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.end_body().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Reports a finished TLS handshake after START_TLS; the session sends EHLO again (capabilities
/// are forgotten until READY). `SMTPREPLY_WRONG_STATE` when no handshake was asked for.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_tls_established(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.tls_established().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Reports a failed TLS handshake; the session closes (CLOSED with TLS_FAILED).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_tls_failed(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.tls_failed().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Abandons the message in progress with RSET (no outcome event). `SMTPREPLY_WRONG_STATE` when
/// no message can be reset: inside a DATA body, once DATA is on the wire, after end_body, or
/// outside a ready session. (RSET is allowed between BDAT chunks, RFC 3030.)
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_reset(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.reset().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Sends NOOP (when ready). `SMTPREPLY_WRONG_STATE` otherwise.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_noop(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.noop().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// Ends the session with QUIT. After smtpreply_session_end_body, QUIT follows the message's
/// final reply (its MESSAGE_* event still comes); any other message in progress is abandoned
/// without an outcome event. `SMTPREPLY_WRONG_STATE` before the greeting, during the TLS
/// handshake or an unanswered STARTTLS, inside a DATA body, or once DATA is on the wire (the
/// server will read whatever follows as the message: send it, or close the connection).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_session_quit(session: *mut smtpreply_session) -> smtpreply_result {
    guard(|| {
        mut_arg(session, "session")?.inner.quit().map_err(usage)?;
        Ok(SMTPREPLY_OK)
    })
}

/// The name of `SMTPREPLY_EVENT_x` ("message_accepted"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_event_name(kind: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        const NAMES: [&str; 14] = [
            "reply\0",
            "greeting\0",
            "ready\0",
            "start_tls\0",
            "auth_challenge\0",
            "auth_succeeded\0",
            "auth_failed\0",
            "recipient_accepted\0",
            "recipient_rejected\0",
            "ready_for_body\0",
            "message_accepted\0",
            "message_rejected\0",
            "protocol_error\0",
            "closed\0",
        ];
        kind.checked_sub(1).and_then(|i| NAMES.get(i as usize)).map_or(std::ptr::null(), |n| n.as_ptr().cast())
    })
}

/// The name of `SMTPREPLY_CLOSE_x` ("service_closing"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_close_reason_name(reason: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        const NAMES: [&str; 8] = [
            "quit\0",
            "service_closing\0",
            "greeting_refused\0",
            "hello_refused\0",
            "connection_lost\0",
            "protocol_error\0",
            "tls_unavailable\0",
            "tls_failed\0",
        ];
        reason.checked_sub(1).and_then(|i| NAMES.get(i as usize)).map_or(std::ptr::null(), |n| n.as_ptr().cast())
    })
}

/// The name of `SMTPREPLY_RECIPIENT_x` ("accepted", "rejected", "deferred", "pending"), or NULL.
#[no_mangle]
pub extern "C" fn smtpreply_recipient_status_name(status: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        const NAMES: [&str; 4] = ["pending\0", "accepted\0", "rejected\0", "deferred\0"];
        NAMES.get(status as usize).map_or(std::ptr::null(), |n| n.as_ptr().cast())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{CloseReason, RecipientStatus};

    #[test]
    fn constants_match_the_core() {
        for (r, n) in [
            (CloseReason::Quit, SMTPREPLY_CLOSE_QUIT),
            (CloseReason::ServiceClosing, SMTPREPLY_CLOSE_SERVICE_CLOSING),
            (CloseReason::GreetingRefused, SMTPREPLY_CLOSE_GREETING_REFUSED),
            (CloseReason::HelloRefused, SMTPREPLY_CLOSE_HELLO_REFUSED),
            (CloseReason::ConnectionLost, SMTPREPLY_CLOSE_CONNECTION_LOST),
            (CloseReason::ProtocolError, SMTPREPLY_CLOSE_PROTOCOL_ERROR),
            (CloseReason::TlsUnavailable, SMTPREPLY_CLOSE_TLS_UNAVAILABLE),
            (CloseReason::TlsFailed, SMTPREPLY_CLOSE_TLS_FAILED),
        ] {
            assert_eq!(r as u32, n);
            let name = unsafe { std::ffi::CStr::from_ptr(smtpreply_close_reason_name(n)) };
            assert_eq!(name.to_str().unwrap(), r.name());
        }
        assert_eq!(RecipientStatus::Deferred as u32, SMTPREPLY_RECIPIENT_DEFERRED);
        assert_eq!(RecipientStatus::Accepted as u32, SMTPREPLY_RECIPIENT_ACCEPTED);
        assert_eq!(Mechanism::XOAuth2 as u32, SMTPREPLY_AUTH_XOAUTH2);
        assert_eq!(TlsPolicy::Required as u32, SMTPREPLY_TLS_REQUIRED);
        assert_eq!(BodyType::BinaryMime as u32, SMTPREPLY_BODY_BINARYMIME);
        assert!(smtpreply_event_name(0).is_null() && smtpreply_event_name(15).is_null());
        assert!(smtpreply_close_reason_name(0).is_null() && smtpreply_close_reason_name(9).is_null());
    }
}
