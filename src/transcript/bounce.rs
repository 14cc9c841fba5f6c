//! Bounce and NDR excerpts: the delivery status notification fields of RFC 3464
//! (`Final-Recipient:`, `Action:`, `Status:`, `Diagnostic-Code: smtp; 550 ...`) and the human
//! parts MTAs write (`<bob@example.com>: host mx[192.0.2.1] said: 550 ... (in reply to RCPT TO
//! command)`, Exchange's `Remote server returned '550 5.1.1 ...'`, Gmail's `The response from the
//! remote server was:` followed by the reply, Exim's `SMTP error from remote mail server after
//! RCPT TO:<...>: 550 ...`).
//!
//! There is no conversation to replay: each reply found becomes a step, classified with the
//! command the report names, and the recipients come from the report.

use super::lines::Line;
use super::{MessageOutcome, RecipientOutcome, RecipientStatus, ReplyInfo, Speaker, Step, StepKind, Transcript};
use crate::classify::classify;
use crate::command::Command;
use crate::reply::EnhancedCode;

/// Phrases after which the reply follows, in the human part of bounces.
const REPLY_MARKERS: [&[u8]; 6] = [
    b"said:",
    b"remote server returned",
    b"response from the remote server was",
    b"smtp error from remote mail server",
    b"diagnostic-code:",
    b"remote host said:",
];

/// Whether a line looks like part of a bounce report (for format detection).
pub(crate) fn is_bounce_line(text: &[u8]) -> bool {
    let lower = text.to_ascii_lowercase();
    REPLY_MARKERS.iter().any(|m| memchr::memmem::find(&lower, m).is_some())
        || [&b"final-recipient:"[..], b"original-recipient:", b"remote-mta:", b"reporting-mta:"]
            .iter()
            .any(|m| lower.starts_with(m))
        || exchange2010_reply(text).is_some()
        || maillog_status(text).is_some()
}

/// Exchange 2010's NDR line `host #550 5.1.1 <a@b>... User unknown ##`: where the reply starts
/// and ends.
fn exchange2010_reply(text: &[u8]) -> Option<(usize, usize)> {
    let t = text.trim_ascii_end();
    let end = t.len().checked_sub(2).filter(|_| t.ends_with(b"##"))?;
    let hash = memchr::memmem::find(&t[..end], b" #")? + 2;
    super::tools::starts_with_code(&t[hash..]).then_some((hash, end))
}

/// A Postfix delivery log line: `to=<a@b>, ... status=bounced (...)`. The recipient and the
/// status word.
fn maillog_status(text: &[u8]) -> Option<(String, &[u8])> {
    let to = memchr::memmem::find(text, b" to=<")? + 5;
    let end = text[to..].iter().position(|&b| b == b'>')?;
    let st = memchr::memmem::find(text, b" status=")? + 8;
    let word_len = text[st..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
    Some((String::from_utf8_lossy(&text[to..to + end]).into_owned(), &text[st..st + word_len]))
}

/// Folded lines (a line starting with white space continues the one before) joined, with the
/// first line's number.
fn logical_lines(lines: &[Line]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for line in lines {
        let t = line.text.as_slice();
        if t.trim_ascii().is_empty() {
            out.push((line.number, Vec::new()));
            continue;
        }
        let folded = t[0] == b' ' || t[0] == b'\t';
        match out.last_mut() {
            Some((_, prev)) if folded && !prev.is_empty() => {
                prev.push(b' ');
                prev.extend_from_slice(t.trim_ascii());
            }
            _ => out.push((line.number, t.trim_ascii().to_vec())),
        }
    }
    out
}

/// The value of a `Name: type; value` field, when the line is that field.
fn field<'a>(text: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    if text.len() < name.len() || !text[..name.len()].eq_ignore_ascii_case(name) {
        return None;
    }
    let v = text[name.len()..].trim_ascii();
    Some(match v.iter().position(|&b| b == b';') {
        Some(p) if name != b"action:" && name != b"status:" => v[p + 1..].trim_ascii(),
        _ => v,
    })
}

/// The first reply code in `text` at or after `from` (at a token start).
fn code_at_or_after(text: &[u8], from: usize) -> Option<usize> {
    (from..text.len().saturating_sub(2)).find(|&p| {
        (p == 0 || !text[p - 1].is_ascii_alphanumeric())
            && super::tools::starts_with_code(&text[p..])
            && !(p > 0 && text[p - 1] == b'.')
    })
}

/// An address written `<a@b>` or bare `a@b` at the start of `text` (the Postfix human part
/// starts with the recipient).
fn leading_address(text: &[u8]) -> Option<String> {
    let t = text.trim_ascii();
    let t = t.strip_prefix(b"<").unwrap_or(t);
    let end = t.iter().position(|&b| b == b'>' || b == b':' || b == b' ').unwrap_or(t.len());
    let addr = &t[..end];
    (addr.contains(&b'@') && !addr.contains(&b'[')).then(|| String::from_utf8_lossy(addr).into_owned())
}

struct Record {
    address: String,
    action: Option<Vec<u8>>,
    reply_step: Option<usize>,
}

pub(crate) fn analyse(lines: &[Line]) -> Transcript {
    let logical = logical_lines(lines);
    let mut steps: Vec<Step> = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    let mut human: Vec<(String, usize)> = Vec::new();
    // From mail-server log lines: (recipient, status word, reply step).
    let mut logged_recipients: Vec<(String, Vec<u8>, usize)> = Vec::new();
    let mut i = 0;
    while i < logical.len() {
        let (number, text) = (&logical[i].0, logical[i].1.as_slice());
        i += 1;
        if text.is_empty() {
            continue;
        }
        if let Some(addr) = field(text, b"final-recipient:") {
            records.push(Record {
                address: String::from_utf8_lossy(addr).into_owned(),
                action: None,
                reply_step: None,
            });
            continue;
        }
        if let Some(action) = field(text, b"action:") {
            if let Some(r) = records.last_mut() {
                r.action = Some(action.to_ascii_lowercase());
            }
            continue;
        }
        let lower = text.to_ascii_lowercase();
        let logged = maillog_status(text);
        let mut marker =
            REPLY_MARKERS.iter().filter_map(|m| memchr::memmem::find(&lower, m).map(|p| p + m.len())).min();
        if let Some((start, _)) = exchange2010_reply(text) {
            marker = marker.or(Some(start));
        }
        if let (None, Some((_, status))) = (marker, &logged) {
            // "status=sent (250 2.0.0 Ok: queued as X)": the reply is in the parentheses.
            marker = memchr::memmem::find(text, b" status=").map(|p| p + 8 + status.len());
        }
        let Some(after) = marker else {
            if [&b"remote-mta:"[..], b"reporting-mta:", b"status:", b"original-recipient:"]
                .iter()
                .any(|m| lower.starts_with(m))
            {
                steps.push(info(*number, text));
            }
            continue;
        };
        // The reply is on this line after the marker, or (Gmail, Exim) on the next non-blank
        // line.
        let next = (i..logical.len().min(i + 3)).find(|&j| !logical[j].1.is_empty());
        let (whole, start) = match code_at_or_after(text, after) {
            Some(p) => (text.to_vec(), p),
            None => match next.map(|j| (j, logical[j].1.as_slice())).filter(|(_, n)| code_at_or_after(n, 0) == Some(0))
            {
                Some((j, next)) => {
                    i = j + 1;
                    let mut joined = text.to_vec();
                    joined.push(b' ');
                    let start = joined.len();
                    joined.extend_from_slice(next);
                    (joined, start)
                }
                None => {
                    steps.push(info(*number, text));
                    continue;
                }
            },
        };
        let reply_end = exchange2010_reply(&whole).map_or(whole.len(), |(_, e)| e);
        let mut reply_text = trim_quotes(&whole[start..reply_end.max(start)]);
        if logged.is_some() {
            // The log closes the parentheses it opened before the reply.
            reply_text = reply_text.strip_suffix(b")").unwrap_or(reply_text);
        }
        // The wrapper names the command ("(in reply to RCPT TO command)"): the whole line tells
        // it, then the reply is classified as shown, so evidence spans index the step's text.
        let named = classify(&whole, None).command;
        let mut classification = classify(reply_text, named);
        classification.command = classification.command.or(named);
        let code = classification.code;
        let command = classification.command.unwrap_or(Command::Unknown);
        steps.push(Step {
            kind: StepKind::Reply,
            speaker: Speaker::Server,
            line: *number,
            text: reply_text.to_vec(),
            command,
            answers: None,
            reply: Some(ReplyInfo {
                code,
                enhanced: classification.enhanced.or_else(|| EnhancedCode::parse_prefix(reply_text).map(|(e, _)| e)),
                classification,
                unexpected: !crate::codes::sequences::reply_allowed(command, code),
            }),
            tls: false,
        });
        let step = steps.len() - 1;
        if lower.starts_with(b"diagnostic-code:") {
            if let Some(r) = records.last_mut().filter(|r| r.reply_step.is_none()) {
                r.reply_step = Some(step);
            }
        } else if let Some((addr, status)) = logged {
            logged_recipients.push((addr, status.to_ascii_lowercase(), step));
        } else if let Some(addr) = leading_address(text)
            .or_else(|| rcpt_address(text))
            .or_else(|| previous_address(&logical, i.saturating_sub(2)))
            .or_else(|| bracketed_address(reply_text))
        {
            human.push((addr, step));
        }
    }

    let status_of = |action: Option<&[u8]>, step: Option<usize>, steps: &[Step]| -> RecipientStatus {
        match action {
            Some(a) if a.starts_with(b"failed") => RecipientStatus::Rejected,
            Some(a) if a.starts_with(b"delayed") => RecipientStatus::Deferred,
            Some(a) if a.starts_with(b"delivered") || a.starts_with(b"relayed") || a.starts_with(b"expanded") => {
                RecipientStatus::Accepted
            }
            _ => match step.and_then(|s| steps[s].reply.as_ref()).map(|r| r.code / 100) {
                Some(5) => RecipientStatus::Rejected,
                Some(4) => RecipientStatus::Deferred,
                Some(2) => RecipientStatus::Accepted,
                _ => RecipientStatus::Pending,
            },
        }
    };
    let mut recipients: Vec<RecipientOutcome> = Vec::new();
    let found: Vec<(String, Option<Vec<u8>>, Option<usize>)> = if !logged_recipients.is_empty() {
        // Postfix's words for the outcome, in DSN terms.
        logged_recipients
            .into_iter()
            .map(|(a, status, s)| {
                let action: &[u8] = match status.as_slice() {
                    b"sent" | b"delivered" => b"delivered",
                    b"deferred" => b"delayed",
                    _ => b"failed",
                };
                (a, Some(action.to_vec()), Some(s))
            })
            .collect()
    } else if records.is_empty() {
        human.into_iter().map(|(a, s)| (a, None, Some(s))).collect()
    } else {
        records
            .into_iter()
            .map(|r| {
                // The human part often says more (the command, the whole text) than the field.
                let better = human.iter().find(|(a, _)| a.eq_ignore_ascii_case(&r.address)).map(|(_, s)| *s);
                (r.address, r.action, better.or(r.reply_step))
            })
            .collect()
    };
    for (address, action, step) in found {
        if recipients.iter().any(|r| r.address.eq_ignore_ascii_case(&address)) {
            continue;
        }
        let status = status_of(action.as_deref(), step, &steps);
        recipients.push(RecipientOutcome {
            address,
            status,
            rcpt_step: step.unwrap_or(0),
            reply_step: step,
            classification: step.and_then(|s| steps[s].reply.as_ref()).map(|r| r.classification),
            message: 0,
        });
    }
    let first_failure = steps.iter().position(|s| s.reply.as_ref().is_some_and(|r| r.code >= 400));
    // The message reached some recipient (a report of mixed outcomes), failed for good for some,
    // or is only delayed (no outcome yet).
    let status_any = |st: RecipientStatus| recipients.iter().any(|r| r.status == st);
    let accepted = if status_any(RecipientStatus::Accepted) {
        Some(true)
    } else if status_any(RecipientStatus::Rejected) {
        Some(false)
    } else {
        None
    };
    let delivered = recipients.iter().find(|r| r.status == RecipientStatus::Accepted).and_then(|r| r.reply_step);
    let queue_id = delivered.and_then(|s| crate::session::replies::queue_id(&steps[s].text_lossy()));
    let messages = if steps.is_empty() && recipients.is_empty() {
        Vec::new()
    } else {
        vec![MessageOutcome {
            sender: String::new(),
            mail_step: 0,
            accepted,
            reply_step: if accepted == Some(true) { delivered } else { first_failure },
            queue_id,
        }]
    };
    Transcript {
        format: super::Format::Bounce,
        steps,
        checks: Vec::new(),
        recipients,
        messages,
        first_failure,
        tls: false,
        authenticated: false,
        quit: false,
        lines: 0,
    }
}

fn info(line: usize, text: &[u8]) -> Step {
    Step {
        kind: StepKind::Info,
        speaker: Speaker::Tool,
        line,
        text: text.to_vec(),
        command: Command::Unknown,
        answers: None,
        reply: None,
        tls: false,
    }
}

/// Exchange quotes the reply: `'550 5.1.1 ...'`.
fn trim_quotes(t: &[u8]) -> &[u8] {
    let t = t.trim_ascii();
    let t = t.strip_suffix(b"'").unwrap_or(t);
    t.strip_suffix(b">").filter(|_| t.starts_with(b"<")).unwrap_or(t).trim_ascii()
}

/// A line before `at` (up to three back) that holds only an address (Exchange's NDR names the
/// recipient on the line above the reply).
fn previous_address(logical: &[(usize, Vec<u8>)], at: usize) -> Option<String> {
    logical[at.saturating_sub(3)..=at.min(logical.len().saturating_sub(1))]
        .iter()
        .rev()
        .map(|(_, t)| t.trim_ascii())
        .find(|t| !t.is_empty() && !t.contains(&b' ') && t.contains(&b'@'))
        .map(|t| {
            let t = t.strip_prefix(b"<").unwrap_or(t);
            String::from_utf8_lossy(t.strip_suffix(b">").unwrap_or(t)).into_owned()
        })
}

/// The first `<a@b>` in a reply's text (`550 5.1.1 <a@b>: Recipient address rejected`).
fn bracketed_address(reply: &[u8]) -> Option<String> {
    let open = reply.iter().position(|&b| b == b'<')? + 1;
    let len = reply[open..].iter().position(|&b| b == b'>')?;
    let addr = &reply[open..open + len];
    (addr.contains(&b'@') && !addr.contains(&b' ')).then(|| String::from_utf8_lossy(addr).into_owned())
}

/// `RCPT TO:<a@b>` in an Exim-style line.
fn rcpt_address(text: &[u8]) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let p = memchr::memmem::find(&lower, b"rcpt to:<")? + 9;
    let e = text[p..].iter().position(|&b| b == b'>')?;
    Some(String::from_utf8_lossy(&text[p..p + e]).into_owned())
}
