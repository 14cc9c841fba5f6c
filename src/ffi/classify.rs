//! C API: classification of replies.

use super::reply::{enhanced_to_c, smtpreply_enhanced_code, smtpreply_reply};
use super::smtpreply_result::*;
use super::*;
use crate::classify::{classify, Action, Blocklist, Bounce, Classification, Reason, RuleKind, MAX_INPUT};
use crate::command::Command;

pub const SMTPREPLY_REASON_SUCCESS: u32 = 0;
pub const SMTPREPLY_REASON_USER_UNKNOWN: u32 = 1;
pub const SMTPREPLY_REASON_MAILBOX_DISABLED: u32 = 2;
pub const SMTPREPLY_REASON_MAILBOX_FULL: u32 = 3;
pub const SMTPREPLY_REASON_DOMAIN_UNKNOWN: u32 = 4;
pub const SMTPREPLY_REASON_MESSAGE_TOO_LARGE: u32 = 5;
pub const SMTPREPLY_REASON_CONTENT_REJECTED: u32 = 6;
pub const SMTPREPLY_REASON_SPAM_DETECTED: u32 = 7;
pub const SMTPREPLY_REASON_VIRUS_DETECTED: u32 = 8;
pub const SMTPREPLY_REASON_IP_REPUTATION: u32 = 9;
pub const SMTPREPLY_REASON_BLOCKLISTED: u32 = 10;
pub const SMTPREPLY_REASON_POLICY_REJECTED: u32 = 11;
pub const SMTPREPLY_REASON_SENDER_AUTH_FAILED: u32 = 12;
pub const SMTPREPLY_REASON_SENDER_REJECTED: u32 = 13;
pub const SMTPREPLY_REASON_RELAY_DENIED: u32 = 14;
pub const SMTPREPLY_REASON_AUTH_REQUIRED: u32 = 15;
pub const SMTPREPLY_REASON_TLS_REQUIRED: u32 = 16;
pub const SMTPREPLY_REASON_RATE_LIMITED: u32 = 17;
pub const SMTPREPLY_REASON_TOO_MANY_CONNECTIONS: u32 = 18;
pub const SMTPREPLY_REASON_GREYLISTED: u32 = 19;
pub const SMTPREPLY_REASON_SYSTEM_ERROR: u32 = 20;
pub const SMTPREPLY_REASON_SYSTEM_FULL: u32 = 21;
pub const SMTPREPLY_REASON_NETWORK_ERROR: u32 = 22;
pub const SMTPREPLY_REASON_EXPIRED: u32 = 23;
pub const SMTPREPLY_REASON_SYNTAX_ERROR: u32 = 24;
pub const SMTPREPLY_REASON_UNKNOWN: u32 = 25;

pub const SMTPREPLY_BOUNCE_NONE: u32 = 0;
pub const SMTPREPLY_BOUNCE_SOFT: u32 = 1;
pub const SMTPREPLY_BOUNCE_HARD: u32 = 2;

/// Nothing to do (accepted, or a consequence of an earlier failure).
pub const SMTPREPLY_ACTION_NONE: u32 = 0;
/// Keep the message and try again later.
pub const SMTPREPLY_ACTION_RETRY_LATER: u32 = 1;
/// The address is bad: stop sending to it.
pub const SMTPREPLY_ACTION_REMOVE_RECIPIENT: u32 = 2;
/// Fix the sender's setup (auth, TLS, relay, SPF/DKIM/DMARC, PTR/HELO) and keep the address.
pub const SMTPREPLY_ACTION_FIX_SENDER_SETUP: u32 = 3;
/// Change the message (size, content).
pub const SMTPREPLY_ACTION_FIX_MESSAGE: u32 = 4;
/// Only the receiver can lift it (blocklist, reputation, policy).
pub const SMTPREPLY_ACTION_CONTACT_RECEIVER: u32 = 5;
/// The client program broke the protocol (syntax, sequence).
pub const SMTPREPLY_ACTION_FIX_CLIENT: u32 = 6;

pub const SMTPREPLY_RULE_SUCCESS: u32 = 0;
pub const SMTPREPLY_RULE_PROVIDER: u32 = 1;
pub const SMTPREPLY_RULE_PHRASE: u32 = 2;
pub const SMTPREPLY_RULE_ENHANCED: u32 = 3;
pub const SMTPREPLY_RULE_CODE: u32 = 4;
pub const SMTPREPLY_RULE_CLASS: u32 = 5;

/// No blocklist named.
pub const SMTPREPLY_BLOCKLIST_NONE: u32 = 0;
/// A DNS blocklist not in the table (or named only as "dnsbl").
pub const SMTPREPLY_BLOCKLIST_OTHER: u32 = 1;
pub const SMTPREPLY_BLOCKLIST_SPAMHAUS: u32 = 2;
pub const SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN: u32 = 3;
pub const SMTPREPLY_BLOCKLIST_SPAMHAUS_SBL: u32 = 4;
pub const SMTPREPLY_BLOCKLIST_SPAMHAUS_XBL: u32 = 5;
pub const SMTPREPLY_BLOCKLIST_SPAMHAUS_PBL: u32 = 6;
pub const SMTPREPLY_BLOCKLIST_SPAMHAUS_DBL: u32 = 7;
pub const SMTPREPLY_BLOCKLIST_SPAMCOP: u32 = 8;
pub const SMTPREPLY_BLOCKLIST_BARRACUDA: u32 = 9;
pub const SMTPREPLY_BLOCKLIST_SORBS: u32 = 10;
pub const SMTPREPLY_BLOCKLIST_UCEPROTECT: u32 = 11;
pub const SMTPREPLY_BLOCKLIST_PSBL: u32 = 12;
pub const SMTPREPLY_BLOCKLIST_MAILSPIKE: u32 = 13;
/// The other lists (14 to 30) are named by `smtpreply_blocklist_name`.
pub const SMTPREPLY_BLOCKLIST_CBL: u32 = 14;

/// The verdict on one reply. Strings are static; spans are byte offsets into the input that was
/// classified (for `smtpreply_classify_reply`, into the reply's raw bytes); a span of length 0
/// means "not located".
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_classification {
    /// `SMTPREPLY_REASON_*`
    pub reason: u32,
    /// `SMTPREPLY_BOUNCE_*`
    pub bounce: u32,
    /// Whether to try again later.
    pub retry: bool,
    /// `SMTPREPLY_ACTION_*`
    pub action: u32,
    /// The reply code found, 0 when the input held none.
    pub code: u32,
    pub has_enhanced: bool,
    pub enhanced: smtpreply_enhanced_code,
    /// `SMTPREPLY_COMMAND_*` the reply answered: as given, or named by a wrapper such as
    /// "(in reply to RCPT TO command)"; UNKNOWN when neither.
    pub command: u32,
    /// `SMTPREPLY_BLOCKLIST_*`: the public blocklist named in the text, or NONE.
    pub blocklist: u32,
    pub blocklist_offset: usize,
    pub blocklist_len: usize,
    pub has_retry_after: bool,
    /// Seconds the text asks to wait ("try again in 5 minutes").
    pub retry_after: u32,
    /// The reply only repeats an earlier failure (DATA refused after every RCPT was).
    pub consequence: bool,
    /// `SMTPREPLY_RULE_*`: what kind of evidence decided.
    pub rule_kind: u32,
    /// The deciding rule's identifier ("user-unknown", "gmail-nosuchuser", "enhanced-code" ...).
    pub rule: *const c_char,
    /// Where the rule comes from.
    pub rule_source: *const c_char,
    pub evidence_offset: usize,
    pub evidence_len: usize,
    pub reason_name: *const c_char,
    pub bounce_name: *const c_char,
    pub action_name: *const c_char,
    /// The blocklist's display name, or NULL.
    pub blocklist_name: *const c_char,
    /// Plain-language explanation of the reason, and what to do.
    pub explanation: *const c_char,
    pub advice: *const c_char,
}

fn span(s: Option<(usize, usize)>) -> (usize, usize) {
    s.map_or((0, 0), |(a, b)| (a, b - a))
}

/// What an output struct carries where `has_classification` is false: never to be read, but made
/// of valid static strings so that a careless reader still finds NUL-terminated text. Computed
/// once.
pub(crate) fn placeholder_classification() -> smtpreply_classification {
    static P: std::sync::OnceLock<Classification> = std::sync::OnceLock::new();
    to_c_classification(P.get_or_init(|| classify(b"250 ok", None)))
}

pub(crate) fn to_c_classification(c: &Classification) -> smtpreply_classification {
    let info = c.reason;
    let (bo, bl) = span(c.blocklist.and_then(|b| b.span));
    let (eo, el) = span(c.evidence.span);
    smtpreply_classification {
        reason: info as u32,
        bounce: c.bounce as u32,
        retry: c.retry,
        action: c.action as u32,
        code: c.code as u32,
        has_enhanced: c.enhanced.is_some(),
        enhanced: enhanced_to_c(c.enhanced),
        command: c.command.map_or(0, |x| x as u32),
        blocklist: c.blocklist.map_or(0, |b| b.list as u32),
        blocklist_offset: bo,
        blocklist_len: bl,
        has_retry_after: c.retry_after.is_some(),
        retry_after: c.retry_after.unwrap_or(0),
        consequence: c.consequence,
        rule_kind: c.evidence.kind as u32,
        rule: c.evidence.rule.as_ptr(),
        rule_source: c.evidence.source.as_ptr(),
        evidence_offset: eo,
        evidence_len: el,
        reason_name: info.name_text().as_ptr(),
        bounce_name: c.bounce.name_text().as_ptr(),
        action_name: c.action.name_text().as_ptr(),
        blocklist_name: c.blocklist.map_or(std::ptr::null(), |b| b.list.name_text().as_ptr()),
        explanation: info.explanation_text().as_ptr(),
        advice: info.advice_text().as_ptr(),
    }
}

fn command_arg(command: u32) -> Result<Option<Command>, Error> {
    match Command::from_u32(command) {
        Some(Command::Unknown) => Ok(None),
        Some(c) => Ok(Some(c)),
        None => Err(Error::invalid(format!("command {command} is not an SMTPREPLY_COMMAND_* value"))),
    }
}

fn input_arg<'a>(data: *const u8, len: usize) -> Result<&'a [u8], Error> {
    // SAFETY: pointer and length come from C; bytes_arg checks them.
    let input = unsafe { bytes_arg(data, len, "data")? };
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::invalid("the reply is empty"));
    }
    if input.len() > MAX_INPUT {
        return Err(Error::new(
            SMTPREPLY_LIMIT_EXCEEDED,
            format!("the reply is {} bytes; the classifier takes at most {MAX_INPUT}", input.len()),
        ));
    }
    Ok(input)
}

/// Classifies a reply given as bytes: as received, as one flattened log line, or relayed in its
/// wrapper (`host X said: 550 ... (in reply to RCPT TO command)`). `command` is the
/// `SMTPREPLY_COMMAND_*` it answered (`SMTPREPLY_COMMAND_UNKNOWN` when not known).
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_INVALID_INPUT` (empty or blank input, unknown command
/// number); `SMTPREPLY_LIMIT_EXCEEDED` (more than 64 KiB); `SMTPREPLY_NULL_PARAMETER`.
/// Does not allocate; thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_classify(
    data: *const u8,
    len: usize,
    command: u32,
    out: *mut smtpreply_classification,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let input = input_arg(data, len)?;
        let command = command_arg(command)?;
        out.write(to_c_classification(&classify(input, command)));
        Ok(SMTPREPLY_OK)
    })
}

/// Classifies a parsed reply (spans are offsets into its raw bytes). Returns as
/// `smtpreply_classify`, and `SMTPREPLY_INVALID_INPUT` for an empty reply handle.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_classify_reply(
    reply: *const smtpreply_reply,
    command: u32,
    out: *mut smtpreply_classification,
) -> smtpreply_result {
    guard(|| {
        let r = ref_arg(reply, "reply")?;
        let out = Out::new(out, "out")?;
        let command = command_arg(command)?;
        let parsed = r.raw_reply()?;
        out.write(to_c_classification(&classify(parsed.raw(), command)));
        Ok(SMTPREPLY_OK)
    })
}

/// Classifies `count` replies in one call: reply `i` is `data[bounds[i] .. bounds[i+1])` (so
/// `bounds` has `count + 1` entries, non-decreasing, the last at most `len`), answering
/// `commands[i]` (or `SMTPREPLY_COMMAND_UNKNOWN` for all when `commands` is NULL). Results go to
/// `out[0 .. count)`, written only when every reply classifies.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_INVALID_INPUT` when bounds are out of order or past `len`, a
/// reply is blank, or a command is unknown (the message names the index);
/// `SMTPREPLY_LIMIT_EXCEEDED` for a reply over 64 KiB; `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_classify_many(
    data: *const u8,
    len: usize,
    bounds: *const usize,
    count: usize,
    commands: *const u32,
    out: *mut smtpreply_classification,
) -> smtpreply_result {
    guard(|| {
        if count == 0 {
            return Ok(SMTPREPLY_OK);
        }
        // Pointers first (NULL, then alignment), so that a NULL is always reported as such.
        for (ptr, align, name) in [
            (bounds as usize, std::mem::align_of::<usize>(), "bounds"),
            (out as usize, std::mem::align_of::<smtpreply_classification>(), "out"),
        ] {
            if ptr == 0 {
                return Err(Error::null(name));
            }
            if ptr % align != 0 {
                return Err(Error::invalid(format!("{name} is not properly aligned")));
            }
        }
        if !commands.is_null() && !commands.is_aligned() {
            return Err(Error::invalid("commands is not properly aligned"));
        }
        if data.is_null() && len > 0 {
            return Err(Error::null("data"));
        }
        let all = bytes_arg(data, len, "data")?;
        let n_bounds = count.checked_add(1).ok_or_else(|| Error::invalid("count is too large"))?;
        if count > isize::MAX as usize / std::mem::size_of::<smtpreply_classification>() {
            return Err(Error::invalid("count is too large"));
        }
        let bounds = std::slice::from_raw_parts(bounds, n_bounds);
        let commands = if commands.is_null() { None } else { Some(std::slice::from_raw_parts(commands, count)) };
        let mut results = Vec::with_capacity(count);
        for i in 0..count {
            let (a, b) = (bounds[i], bounds[i + 1]);
            if a > b || b > all.len() {
                return Err(Error::invalid(format!(
                    "bounds[{i}]..bounds[{}] = {a}..{b} is not inside the {} bytes of data",
                    i + 1,
                    all.len()
                )));
            }
            let input = input_arg(all[a..b].as_ptr(), b - a)
                .map_err(|e| Error::new(e.code, format!("reply {i}: {}", e.message)))?;
            let command = command_arg(commands.map_or(0, |c| c[i]))
                .map_err(|e| Error::new(e.code, format!("reply {i}: {}", e.message)))?;
            results.push(to_c_classification(&classify(input, command)));
        }
        std::ptr::copy_nonoverlapping(results.as_ptr(), out, count);
        Ok(SMTPREPLY_OK)
    })
}

/// The taxonomy name of `SMTPREPLY_REASON_x` ("user_unknown"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_reason_name(reason: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Reason::from_u32(reason).map_or(std::ptr::null(), |r| r.name_text().as_ptr()))
}

/// The plain-language explanation of `SMTPREPLY_REASON_x`, or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_reason_explanation(reason: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        Reason::from_u32(reason).map_or(std::ptr::null(), |r| r.explanation_text().as_ptr())
    })
}

/// What to do about `SMTPREPLY_REASON_x`, or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_reason_advice(reason: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Reason::from_u32(reason).map_or(std::ptr::null(), |r| r.advice_text().as_ptr()))
}

/// Stores the `SMTPREPLY_REASON_*` number of a taxonomy name ("mailbox_full"). Returns
/// `SMTPREPLY_OK`, `SMTPREPLY_NOT_FOUND` or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_reason_from_name(name: *const c_char, out: *mut u32) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let n = str_arg(name, "name")?;
        let r =
            Reason::from_name(n).ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, format!("{n:?} is not a reason")))?;
        out.write(r as u32);
        Ok(SMTPREPLY_OK)
    })
}

/// "none", "soft" or "hard" for `SMTPREPLY_BOUNCE_x`, or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_bounce_name(bounce: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Bounce::from_u32(bounce).map_or(std::ptr::null(), |b| b.name_text().as_ptr()))
}

/// The name of `SMTPREPLY_ACTION_x` ("remove_recipient"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_action_name(action: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Action::from_u32(action).map_or(std::ptr::null(), |a| a.name_text().as_ptr()))
}

/// The display name of `SMTPREPLY_BLOCKLIST_x` ("Spamhaus ZEN"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_blocklist_name(blocklist: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        Blocklist::from_u32(blocklist).map_or(std::ptr::null(), |b| b.name_text().as_ptr())
    })
}

/// The name of `SMTPREPLY_RULE_x` ("provider", "phrase", "enhanced_code" ...), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_rule_kind_name(kind: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        [RuleKind::Success, RuleKind::Provider, RuleKind::Phrase, RuleKind::Enhanced, RuleKind::Code, RuleKind::Class]
            .into_iter()
            .find(|k| *k as u32 == kind)
            .map_or(std::ptr::null(), |k| k.name_text().as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_core() {
        let reasons = [
            SMTPREPLY_REASON_SUCCESS,
            SMTPREPLY_REASON_USER_UNKNOWN,
            SMTPREPLY_REASON_MAILBOX_DISABLED,
            SMTPREPLY_REASON_MAILBOX_FULL,
            SMTPREPLY_REASON_DOMAIN_UNKNOWN,
            SMTPREPLY_REASON_MESSAGE_TOO_LARGE,
            SMTPREPLY_REASON_CONTENT_REJECTED,
            SMTPREPLY_REASON_SPAM_DETECTED,
            SMTPREPLY_REASON_VIRUS_DETECTED,
            SMTPREPLY_REASON_IP_REPUTATION,
            SMTPREPLY_REASON_BLOCKLISTED,
            SMTPREPLY_REASON_POLICY_REJECTED,
            SMTPREPLY_REASON_SENDER_AUTH_FAILED,
            SMTPREPLY_REASON_SENDER_REJECTED,
            SMTPREPLY_REASON_RELAY_DENIED,
            SMTPREPLY_REASON_AUTH_REQUIRED,
            SMTPREPLY_REASON_TLS_REQUIRED,
            SMTPREPLY_REASON_RATE_LIMITED,
            SMTPREPLY_REASON_TOO_MANY_CONNECTIONS,
            SMTPREPLY_REASON_GREYLISTED,
            SMTPREPLY_REASON_SYSTEM_ERROR,
            SMTPREPLY_REASON_SYSTEM_FULL,
            SMTPREPLY_REASON_NETWORK_ERROR,
            SMTPREPLY_REASON_EXPIRED,
            SMTPREPLY_REASON_SYNTAX_ERROR,
            SMTPREPLY_REASON_UNKNOWN,
        ];
        assert_eq!(reasons.len(), Reason::ALL.len());
        for (r, k) in Reason::ALL.iter().zip(reasons) {
            assert_eq!(*r as u32, k);
        }
        for (a, k) in Action::ALL.iter().zip([
            SMTPREPLY_ACTION_NONE,
            SMTPREPLY_ACTION_RETRY_LATER,
            SMTPREPLY_ACTION_REMOVE_RECIPIENT,
            SMTPREPLY_ACTION_FIX_SENDER_SETUP,
            SMTPREPLY_ACTION_FIX_MESSAGE,
            SMTPREPLY_ACTION_CONTACT_RECEIVER,
            SMTPREPLY_ACTION_FIX_CLIENT,
        ]) {
            assert_eq!(*a as u32, k);
        }
        assert_eq!(Bounce::Hard as u32, SMTPREPLY_BOUNCE_HARD);
        assert_eq!(Blocklist::Other as u32, SMTPREPLY_BLOCKLIST_OTHER);
        assert_eq!(Blocklist::SpamhausZen as u32, SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN);
        assert_eq!(Blocklist::Mailspike as u32, SMTPREPLY_BLOCKLIST_MAILSPIKE);
        assert_eq!(Blocklist::Cbl as u32, SMTPREPLY_BLOCKLIST_CBL);
        assert_eq!(RuleKind::Class as u32, SMTPREPLY_RULE_CLASS);
        assert_eq!(RuleKind::Enhanced as u32, SMTPREPLY_RULE_ENHANCED);
    }
}
