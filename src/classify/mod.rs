//! Classify a reply: reason, soft or hard, retry or not, what to do, and the evidence.
//!
//! ```
//! use smtpreply::classify::{classify, Action, Bounce, Reason};
//! use smtpreply::command::Command;
//!
//! let c = classify(b"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown", Some(Command::Rcpt));
//! assert_eq!(c.reason, Reason::UserUnknown);
//! assert_eq!(c.bounce, Bounce::Hard);
//! assert_eq!(c.action, Action::RemoveRecipient);
//! let c = classify(b"421-4.7.28 Our system has detected an unusual rate of unsolicited mail", None);
//! assert!(c.retry);
//! ```
//!
//! How a verdict is reached (precedence as in `shared/reference/classification.md`):
//! 1. 2xx and 3xx are success.
//! 2. The reply is cleaned (`clean.rs`): unfolded, wrappers removed, lower-cased.
//! 3. One Aho-Corasick automaton finds every rule fragment in the text at once. A provider rule
//!    (code + enhanced code + text) beats a phrase; among phrases the higher weight wins.
//! 4. Without a matching rule, the enhanced code decides, then the reply code with the command it
//!    answered, then the class digit.
//! 5. Context: an address problem in reply to MAIL FROM is the sender's; a refused greeting is a
//!    connection block; a DATA refused after every recipient was refused is a consequence.
//! 6. Bounce, retry and action follow from the reason, the class and what the text says about
//!    time ("try again later" makes a 5xx soft).

mod blocklists;
mod clean;
mod codes_map;
mod hints;
mod phrases;
mod providers;
mod reason;
mod rules;

pub use blocklists::Blocklist;
pub use reason::{Action, Bounce, Reason};
pub use rules::RuleKind;

use crate::command::Command;
use crate::reply::{EnhancedCode, Reply};
use crate::text::Text;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rules::{Rule, CONSEQUENCE, IN_HOST, PERMANENT, SENDER, TEMPORARY};
use std::sync::OnceLock;

/// What decided a classification, so a user can trust or dispute it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub kind: RuleKind,
    /// The rule's identifier (`"gmail-nosuchuser"`, `"user-unknown"`, `"enhanced-code"` ...).
    pub rule: Text,
    /// Where the rule comes from (a URL, an MTA's source, an RFC section).
    pub source: Text,
    /// Where the deciding words (or code) stand in the input, when they can be located.
    pub span: Option<(usize, usize)>,
}

/// A public blocklist named in the reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlocklistHit {
    pub list: Blocklist,
    /// Where the list's name stands in the input (`start`, `end`).
    pub span: Option<(usize, usize)>,
}

/// The verdict on one reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    pub reason: Reason,
    pub bounce: Bounce,
    pub retry: bool,
    pub action: Action,
    /// The reply code found (0 when the input held none).
    pub code: u16,
    pub enhanced: Option<EnhancedCode>,
    /// The command the reply answered: given by the caller, or named by a wrapper.
    pub command: Option<Command>,
    pub blocklist: Option<BlocklistHit>,
    /// Seconds the text asks to wait before retrying ("try again in 5 minutes").
    pub retry_after: Option<u32>,
    /// The reply only repeats an earlier failure (DATA after every RCPT was refused).
    pub consequence: bool,
    pub evidence: Evidence,
}

impl Classification {
    /// Plain-language explanation of the reason.
    pub fn explanation(&self) -> &'static str {
        self.reason.explanation()
    }
    /// What to do about it.
    pub fn advice(&self) -> &'static str {
        self.reason.advice()
    }
}

/// The most input the classifier examines: longer input is cut to this many bytes (a reply is at
/// most 64 KiB by default, and what it says comes first). The C API refuses longer input instead.
pub const MAX_INPUT: usize = 64 * 1024;

/// Classifies a reply given as bytes: a reply as received, a flattened log line, or a relayed
/// reply in its wrapper (`host X said: 550 ... (in reply to RCPT TO command)`). `command` is the
/// command the reply answered, when known. Examines at most [`MAX_INPUT`] bytes. Does not allocate
/// (the rule automaton is built once, on first use).
pub fn classify(input: &[u8], command: Option<Command>) -> Classification {
    engine().classify(&input[..input.len().min(MAX_INPUT)], command)
}

/// Classifies a parsed reply.
pub fn classify_reply(reply: &Reply<'_>, command: Option<Command>) -> Classification {
    classify(reply.raw(), command)
}

/// The most rules the engine holds (per-rule state is indexed by `u16`).
const MAX_RULES: usize = u16::MAX as usize;
/// The most distinct rules one reply can touch; more are ignored (they would be noise).
const MAX_HITS: usize = 96;

struct Engine {
    automaton: AhoCorasick,
    /// Pattern id -> (rule index, fragment index).
    patterns: Vec<(u16, u8)>,
    rules: Vec<&'static Rule>,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::build)
}

/// Every rule, providers first (the order breaks ties).
pub(crate) fn all_rules() -> impl Iterator<Item = &'static Rule> {
    providers::RULES.iter().chain(phrases::RULES).chain(blocklists::RULES)
}

#[derive(Clone, Copy)]
struct Hit {
    rule: u16,
    mask: u8,
    /// Where the first fragment matched in the cleaned text.
    pos: u32,
}

impl Engine {
    fn build() -> Engine {
        let rules: Vec<&'static Rule> = all_rules().collect();
        assert!(rules.len() < MAX_RULES, "too many classification rules");
        let mut fragments: Vec<&'static str> = Vec::new();
        let mut patterns = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            assert!(!rule.all_of.is_empty() && rule.all_of.len() <= 8, "rule {} needs 1 to 8 fragments", rule.id);
            for (fi, frag) in rule.all_of.iter().enumerate() {
                fragments.push(frag);
                patterns.push((ri as u16, fi as u8));
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&fragments)
            .expect("the rule fragments build an automaton");
        Engine { automaton, patterns, rules }
    }

    fn classify(&self, input: &[u8], given: Option<Command>) -> Classification {
        if let Some(c) = fast_success(input, given) {
            return c;
        }
        let cleaned = clean::clean(input);
        let text = cleaned.text.as_slice();
        let code = cleaned.code;
        let enhanced = cleaned.enhanced;
        let command = given.or(cleaned.command);
        // Without a reply code, an enhanced code still tells the class (RFC 3463 §3.1).
        let class = if code != 0 { code / 100 } else { enhanced.map_or(0, |e| e.class as u16) };

        if class == 2 || class == 3 {
            return success(code, enhanced, command, code_span(input, cleaned.reply_start, code));
        }

        // Every fragment of every rule, in one pass.
        let mut hits = [Hit { rule: 0, mask: 0, pos: 0 }; MAX_HITS];
        let mut n_hits = 0;
        for m in self.automaton.find_overlapping_iter(text) {
            let (ri, fi) = self.patterns[m.pattern().as_usize()];
            let rule = self.rules[ri as usize];
            if !at_word(text, m.start(), m.end(), rule.flags & IN_HOST != 0) {
                continue;
            }
            match hits[..n_hits].iter_mut().find(|h| h.rule == ri) {
                Some(h) => h.mask |= 1 << fi,
                None if n_hits < MAX_HITS => {
                    hits[n_hits] = Hit { rule: ri, mask: 1 << fi, pos: m.start() as u32 };
                    n_hits += 1;
                }
                None => {}
            }
        }

        // Which complete rules apply, which one decides, and what the modifiers add.
        let mut flags = 0u8;
        let mut best: Option<(&Rule, Hit)> = None;
        let mut list: Option<(&Rule, Hit)> = None;
        // The best rule of the blocklist table (not a provider's): it matched the list's name.
        let mut named_list: Option<(&Rule, Hit)> = None;
        for h in &hits[..n_hits] {
            let rule = self.rules[h.rule as usize];
            if h.mask.count_ones() as usize != rule.all_of.len() || !rule.applies(code, enhanced) {
                continue;
            }
            if rule.reason.is_none() {
                flags |= rule.flags;
                continue;
            }
            if rule.blocklist.is_some() && list.is_none_or(|(l, lh)| outranks(rule, *h, l, lh)) {
                list = Some((rule, *h));
            }
            if rule.blocklist.is_some()
                && rule.kind != RuleKind::Provider
                && named_list.is_none_or(|(l, lh)| outranks(rule, *h, l, lh))
            {
                named_list = Some((rule, *h));
            }
            if best.is_none_or(|(b, bh)| outranks(rule, *h, b, bh)) {
                best = Some((rule, *h));
            }
        }

        let (mut reason, mut evidence, rule_action, rule_bounce) = match best {
            Some((rule, _)) => {
                flags |= rule.flags;
                let span = find_word(input, cleaned.reply_start, rule.all_of[0].as_bytes(), rule.flags & IN_HOST != 0);
                let evidence = Evidence { kind: rule.kind, rule: rule.id, source: rule.source, span };
                (rule.reason.expect("deciding rules have a reason"), evidence, rule.action, rule.bounce)
            }
            None => self.by_codes(input, cleaned.reply_start, code, enhanced, command),
        };

        // Context: who the address belongs to, and what a refused greeting means.
        let address_reason = matches!(reason, Reason::UserUnknown | Reason::DomainUnknown | Reason::MailboxDisabled);
        if address_reason && (command == Some(Command::Mail) || flags & SENDER != 0) {
            reason = Reason::SenderRejected;
            if command == Some(Command::Mail) {
                evidence.rule = text!("context-mail-from");
                evidence.source = text!("RFC 5321 §4.1.1.2 and §4.3.2: a reply to MAIL FROM concerns the sender");
            }
        }
        // An account problem in reply to AUTH is about the login, not a mailbox (RFC 4954; X.7.13).
        if command == Some(Command::Auth) && matches!(reason, Reason::UserUnknown | Reason::MailboxDisabled) {
            reason = Reason::AuthRequired;
            evidence.rule = text!("context-auth");
            evidence.source = text!("RFC 4954 §6: replies to AUTH concern the credentials");
        }
        if command == Some(Command::Greeting) && class == 5 && matches!(reason, Reason::Unknown | Reason::SystemError) {
            reason = Reason::PolicyRejected;
            evidence = Evidence {
                kind: RuleKind::Code,
                rule: text!("context-greeting-refused"),
                source: text!("RFC 5321 §3.1: a 554 opening reply means no SMTP service for this client"),
                span: code_span(input, cleaned.reply_start, code),
            };
        }
        let consequence = flags & CONSEQUENCE != 0 || (command == Some(Command::Data) && code == 503);

        // An expired message is soft by nature (it was only ever delayed), whatever its code.
        // Without any code the input is a client's own status ("connect to X: Connection refused",
        // "TLS is required, but was not offered"): MTAs defer those (Postfix 4.4.1, 4.7.4).
        let own_status = class == 0 && matches!(reason, Reason::NetworkError | Reason::TlsRequired);
        let bounce = if reason == Reason::Expired || class == 4 {
            Bounce::Soft
        } else if let Some(b) = rule_bounce {
            b
        } else if flags & PERMANENT != 0 {
            Bounce::Hard
        } else if reason.clears_by_itself() || flags & TEMPORARY != 0 || own_status {
            Bounce::Soft
        } else {
            Bounce::Hard
        };
        let retry = bounce == Bounce::Soft && reason != Reason::Expired;
        let action = if consequence {
            Action::None
        } else {
            match (rule_action, reason.info().action, bounce) {
                (Some(a), _, _) => a,
                (None, Action::RemoveRecipient, Bounce::Soft) => Action::RetryLater,
                (None, _, Bounce::Hard) if reason == Reason::MailboxFull => Action::RemoveRecipient,
                (None, Action::RetryLater, Bounce::Hard) => Action::ContactReceiver,
                (None, Action::ContactReceiver, Bounce::Soft) if reason == Reason::Unknown => Action::RetryLater,
                (None, a, _) => a,
            }
        };

        // A provider rule that decides knows its reply: a generic mention ("blocked using",
        // "DNSBL") there names the provider's own list (Proofpoint Dynamic Reputation, AT&T's
        // ATTRBL), not a public one; if it were public, the rule would say which.
        let decider_names_no_list = best.is_some_and(|(b, _)| b.kind == RuleKind::Provider && b.blocklist.is_none());
        if decider_names_no_list && list.is_some_and(|(r, _)| r.blocklist == Some(Blocklist::Other)) {
            list = None;
        }
        let blocklist = list.map(|(rule, _)| {
            let list = rule.blocklist.expect("blocklist rules name a list");
            // The span is the list's name: where the table's rule for the same list matched, when
            // it did, rather than a provider rule's wording around it.
            let locate = match named_list {
                Some((named, _)) if named.blocklist == Some(list) => named,
                _ => rule,
            };
            let found = find_word(input, cleaned.reply_start, locate.all_of[0].as_bytes(), true);
            let span = if list == Blocklist::Other {
                found.and_then(|(_, end)| next_token(input, end))
            } else {
                found.map(|sp| widen_to_token(input, sp))
            };
            BlocklistHit { list, span }
        });
        // A named public list is the cause unless a provider rule said otherwise.
        if blocklist.is_some() && evidence.kind != RuleKind::Provider && reason != Reason::Blocklisted {
            let replaceable = matches!(
                reason,
                Reason::IpReputation
                    | Reason::PolicyRejected
                    | Reason::SpamDetected
                    | Reason::SystemError
                    | Reason::Unknown
            );
            if replaceable {
                if let Some((rule, _)) = list {
                    reason = Reason::Blocklisted;
                    evidence = Evidence {
                        kind: rule.kind,
                        rule: rule.id,
                        source: rule.source,
                        span: blocklist.and_then(|b| b.span),
                    };
                }
            }
        }

        Classification {
            reason,
            bounce,
            retry,
            action,
            code,
            enhanced,
            command,
            blocklist,
            retry_after: hints::retry_after(text),
            consequence,
            evidence,
        }
    }

    /// No rule matched: the enhanced code, then the reply code and command, then the class digit.
    fn by_codes(
        &self,
        input: &[u8],
        reply_start: usize,
        code: u16,
        enhanced: Option<EnhancedCode>,
        command: Option<Command>,
    ) -> (Reason, Evidence, Option<Action>, Option<Bounce>) {
        if let Some(e) = enhanced {
            if let Some(r) = codes_map::by_enhanced(e) {
                let info = crate::codes::enhanced_info(e);
                let source = info.entry.map_or(text!("RFC 3463 §2"), |entry| entry.reference);
                let mut buf = [0u8; 16];
                let span = find_word(input, reply_start, format_enhanced(e, &mut buf), true);
                let evidence = Evidence { kind: RuleKind::Enhanced, rule: text!("enhanced-code"), source, span };
                let action =
                    (r == Reason::PolicyRejected && (e.subject, e.detail) == (7, 25)).then_some(Action::FixSenderSetup);
                return (r, evidence, action, None);
            }
        }
        if let Some(r) = codes_map::by_code(code, command) {
            let evidence = Evidence {
                kind: RuleKind::Code,
                rule: text!("reply-code"),
                source: text!("RFC 5321 §4.2.3 and §4.3.2 (with RFC 3207, 4954, 7504)"),
                span: code_span(input, reply_start, code),
            };
            return (r, evidence, None, None);
        }
        let evidence = Evidence {
            kind: RuleKind::Class,
            rule: text!("class-digit"),
            source: text!("RFC 5321 §4.2.1: the first digit tells transient (4) from permanent (5)"),
            span: code_span(input, reply_start, code),
        };
        (Reason::Unknown, evidence, None, None)
    }
}

/// Whether rule `a` (hit `ah`) should decide rather than rule `b`: providers first, then weight,
/// then the earlier match.
fn outranks(a: &Rule, ah: Hit, b: &Rule, bh: Hit) -> bool {
    let rank = |r: &Rule| if r.kind == RuleKind::Provider { 1 } else { 0 };
    (rank(a), a.weight, std::cmp::Reverse(ah.pos)) > (rank(b), b.weight, std::cmp::Reverse(bh.pos))
}

/// Word boundaries: a fragment that starts (ends) with a letter or digit must not continue a word.
/// And a one-word match must not sit inside a host name, address or URL (`spam.example.com`,
/// `mailspamprotection.com` is already excluded by the letters around "spam"), unless the rule
/// allows it (`in_host`) or the fragment itself is such a token (`zen.spamhaus.org`).
fn at_word(text: &[u8], start: usize, end: usize, in_host: bool) -> bool {
    if text[start].is_ascii_alphanumeric() && start > 0 && text[start - 1].is_ascii_alphanumeric() {
        return false;
    }
    if text[end - 1].is_ascii_alphanumeric() && end < text.len() && text[end].is_ascii_alphanumeric() {
        return false;
    }
    let frag = &text[start..end];
    if in_host || frag.contains(&b' ') || frag.iter().any(|&b| matches!(b, b'.' | b'@' | b'/')) {
        return true;
    }
    !host_like(token_around(text, start, end))
}

/// The run of text around `[start, end)` up to white space or bracketing punctuation.
fn token_around(text: &[u8], start: usize, end: usize) -> &[u8] {
    // A colon separates ("bob@example.com:blocked") except in a URL's "://".
    let sep = |i: usize| match text[i] {
        b' ' | b'<' | b'>' | b'(' | b')' | b'[' | b']' | b',' | b';' | b'"' | b'\'' => true,
        b':' => !text[i + 1..].starts_with(b"//"),
        _ => false,
    };
    let ts = (0..start).rev().find(|&i| sep(i)).map_or(0, |p| p + 1);
    let te = (end..text.len()).find(|&i| sep(i)).unwrap_or(text.len());
    &text[ts..te]
}

/// A host name, e-mail address or URL: has `@`, `://`, or a dot followed by a letter (`spam/virus`
/// is two words, `x.org/spam` is a URL).
fn host_like(token: &[u8]) -> bool {
    token.contains(&b'@')
        || token.windows(3).any(|w| w == b"://")
        || token.windows(2).any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic())
}

/// Finds a lower-case fragment in the original input at or after `from` (where the reply starts),
/// ignoring case, treating any run of white space as one space, and with the same word and
/// host-name boundaries as matching (so the span is where the rule matched, not a `250` inside an
/// IP address or `spam` inside a host name). Returns (start, end) in the input.
fn find_word(input: &[u8], from: usize, frag: &[u8], in_host: bool) -> Option<(usize, usize)> {
    let first = *frag.first()?;
    let frag_in_host = in_host || frag.iter().any(|&b| matches!(b, b'.' | b'@' | b'/'));
    'start: for s in from.min(input.len())..input.len() {
        if input[s].to_ascii_lowercase() != first {
            continue;
        }
        let (mut i, mut j) = (s, 0);
        while j < frag.len() {
            if frag[j] == b' ' {
                if i >= input.len() || !input[i].is_ascii_whitespace() {
                    continue 'start;
                }
                while i < input.len() && input[i].is_ascii_whitespace() {
                    i += 1;
                }
            } else {
                if i >= input.len() || input[i].to_ascii_lowercase() != frag[j] {
                    continue 'start;
                }
                i += 1;
            }
            j += 1;
        }
        if at_word(input, s, i, frag_in_host) {
            return Some((s, i));
        }
    }
    None
}

/// The token after `at` (skipping spaces), without trailing punctuation: the list a generic
/// "blocked using X" names.
fn next_token(input: &[u8], at: usize) -> Option<(usize, usize)> {
    let start = at + input[at..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    let len = input[start..].iter().take_while(|b| !b.is_ascii_whitespace()).count();
    let mut end = start + len;
    while end > start && matches!(input[end - 1], b';' | b',' | b'.' | b')' | b':' | b']' | b'"' | b'\'') {
        end -= 1;
    }
    (end > start).then_some((start, end))
}

/// Widens a span to the whole token around it (`sorbs` to `dnsbl.sorbs.net`), without trailing
/// punctuation.
fn widen_to_token(input: &[u8], (start, end): (usize, usize)) -> (usize, usize) {
    let sep = |b: &u8| {
        b.is_ascii_whitespace() || matches!(b, b'<' | b'>' | b'(' | b')' | b'[' | b']' | b',' | b';' | b'"' | b'\'')
    };
    let s = input[..start].iter().rposition(sep).map_or(0, |p| p + 1);
    let mut e = input[end..].iter().position(sep).map_or(input.len(), |p| end + p);
    while e > end && matches!(input[e - 1], b'.' | b':' | b'!' | b'?') {
        e -= 1;
    }
    (s, e)
}

/// The reply code where the reply starts (not an octet of an IP address in a wrapper).
/// A reply as received that starts with a 2xx/3xx code needs no cleaning: it is a success (the
/// session classifies every 250 it gets). Wrapped or flattened input goes the long way.
fn fast_success(input: &[u8], command: Option<Command>) -> Option<Classification> {
    let d = input.get(..3)?;
    if !matches!(d[0], b'2' | b'3') || !d[1].is_ascii_digit() || !d[2].is_ascii_digit() {
        return None;
    }
    let rest = match input.get(3) {
        None => &input[3..],
        Some(b' ' | b'-') => &input[4..],
        Some(b'\r' | b'\n') => &input[3..3],
        Some(_) => return None,
    };
    // A wrapper's "(in reply to RCPT TO command)" names the command: leave that to the cleaner.
    if command.is_none() && memchr::memchr(b'(', input).is_some() {
        return None;
    }
    let code = (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16;
    let enhanced = EnhancedCode::parse_prefix(rest)
        .filter(|(e, n)| e.class == d[0] - b'0' && matches!(rest.get(*n), None | Some(b' ' | b'\r' | b'\n')))
        .map(|(e, _)| e);
    Some(success(code, enhanced, command, Some((0, 3))))
}

/// The verdict on a 2xx/3xx reply.
fn success(
    code: u16,
    enhanced: Option<EnhancedCode>,
    command: Option<Command>,
    span: Option<(usize, usize)>,
) -> Classification {
    Classification {
        reason: Reason::Success,
        bounce: Bounce::None,
        retry: false,
        action: Action::None,
        code,
        enhanced,
        command,
        blocklist: None,
        retry_after: None,
        consequence: false,
        evidence: Evidence {
            kind: RuleKind::Success,
            rule: text!("success"),
            source: text!("RFC 5321 §4.2.1: 2yz positive completion, 3yz positive intermediate"),
            span,
        },
    }
}

fn code_span(input: &[u8], reply_start: usize, code: u16) -> Option<(usize, usize)> {
    if code == 0 {
        return None;
    }
    let digits = [b'0' + (code / 100) as u8, b'0' + (code / 10 % 10) as u8, b'0' + (code % 10) as u8];
    if input.get(reply_start..reply_start + 3) == Some(&digits[..]) {
        return Some((reply_start, reply_start + 3));
    }
    find_word(input, reply_start, &digits, true)
}

fn format_enhanced(e: EnhancedCode, buf: &mut [u8; 16]) -> &[u8] {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    let _ = write!(cursor, "{}.{}.{}", e.class, e.subject, e.detail);
    let n = cursor.position() as usize;
    &buf[..n]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, frag: &str, in_host: bool) -> bool {
        let start = text.find(frag).unwrap();
        at_word(text.as_bytes(), start, start + frag.len(), in_host)
    }

    #[test]
    fn evidence_spans_point_where_the_rule_matched() {
        let span = |input: &[u8]| {
            let c = classify(input, None);
            let (s, e) = c.evidence.span.expect("located");
            String::from_utf8_lossy(&input[s..e]).into_owned()
        };
        // The code, not an octet of the IP address in the wrapper.
        let input = b"host mx.example.com[203.0.113.250] said: 250 2.0.0 Ok: queued as X";
        assert_eq!(classify(input, None).evidence.span, Some((41, 44)));
        // The word, not a host name or a longer word that contains it.
        assert_eq!(span(b"host mx.spamexperts.com[192.0.2.1] said: 550 5.7.1 Message rejected as spam"), "spam");
        let input: &[u8] = b"550 5.7.1 Message from spammer.example.org rejected as spam";
        let (s, _) = classify(input, None).evidence.span.unwrap();
        assert_eq!(s, input.len() - 4);
        assert_eq!(span(b"550 5.1.1 <bob@example.com>: Recipient address rejected: USER  UNKNOWN"), "USER  UNKNOWN");
    }

    #[test]
    fn blocklist_spans_cover_the_zone() {
        let input = b"554 5.7.1 Client host [192.0.2.1] blocked using dnsbl.sorbs.net; see http://www.sorbs.net/";
        let c = classify(input, None);
        let (s, e) = c.blocklist.unwrap().span.unwrap();
        assert_eq!(&input[s..e], b"dnsbl.sorbs.net");
        let input = b"550 5.7.1 MailFrom domain is listed in Spamhaus. To request removal";
        let (s, e) = classify(input, None).blocklist.unwrap().span.unwrap();
        assert_eq!(&input[s..e], b"Spamhaus");
        let input = b"554 5.7.1 Client host [192.0.2.1] blocked using dnsbltest.porcupine.org; DNS blocklist test";
        let c = classify(input, None);
        assert_eq!(c.blocklist.unwrap().list, Blocklist::Other);
        let (s, e) = c.blocklist.unwrap().span.unwrap();
        assert_eq!(&input[s..e], b"dnsbltest.porcupine.org");
    }

    #[test]
    fn fragments_match_as_words_not_inside_hosts() {
        assert!(words("rejected as spam.", "spam", false));
        assert!(words("spam message rejected", "spam", false));
        assert!(!words("mailspamprotection.com says no", "spam", false));
        assert!(!words("see spam.example.com", "spam", false));
        assert!(!words("see https://x.org/spam/help", "spam", false));
        assert!(!words("see x.org/spam/help", "spam", false));
        assert!(words("possible spam/virus content", "spam", false));
        assert!(!words("user@spam.org", "spam", false));
        assert!(words("not a valid rfc-5321 address", "not a valid rfc", false));
        assert!(words("blocked using zen.spamhaus.org", "zen.spamhaus.org", false));
        assert!(words("blocked using zen.spamhaus.org", "spamhaus", true));
        assert!(!words("blocked using zen.spamhaus.org", "spamhaus", false));
        assert!(!words("unknownuser", "user", false));
        assert!(words("error 5.7.1 spam", "spam", false));
    }

    #[test]
    fn every_rule_is_well_formed() {
        let mut ids = std::collections::HashSet::new();
        for rule in all_rules() {
            assert!(ids.insert(rule.id.as_str()), "duplicate rule id {}", rule.id);
            assert!(!rule.source.as_str().is_empty(), "{} has no source", rule.id);
            for f in rule.all_of {
                assert!(!f.is_empty() && f.trim() == *f && !f.contains("  "), "{}: bad fragment {f:?}", rule.id);
                assert!(!f.bytes().any(|b| b.is_ascii_uppercase()), "{}: fragments are lower case", rule.id);
            }
            assert!(rule.reason.is_some() || rule.flags != 0, "{}: a modifier must set flags", rule.id);
        }
        // The automaton builds.
        let _ = engine();
    }
}
