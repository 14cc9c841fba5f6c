//! From utterances to steps: reply lines become replies, each reply is matched to the command it
//! answers (the oldest unanswered one, as RFC 2920 pipelining requires), message text is gathered,
//! AUTH credentials are masked, the outcome of every recipient and message is followed, and
//! deviations from RFC 5321's sequences (reference §C.4) become checks.

use super::{
    Check, CheckKind, Format, Marked, MessageOutcome, RecipientOutcome, RecipientStatus, ReplyInfo, Speaker, Step,
    StepKind, Transcript, Utterance,
};
use crate::classify::classify;
use crate::codes::sequences::{replies_for, reply_allowed};
use crate::command::Command;
use crate::ehlo::{Capabilities, Extension};
use crate::reply::{parse_reply, EnhancedCode, ParserOptions};
use std::collections::VecDeque;

/// The command a client line starts with, if it is one.
pub(crate) fn command_of(text: &[u8]) -> Option<Command> {
    let t = text.trim_ascii();
    let word_len = t.iter().position(|&b| b == b' ' || b == b':' || b == b'\t').unwrap_or(t.len());
    let (word, rest) = (&t[..word_len], t[word_len..].trim_ascii_start());
    let upper = word.to_ascii_uppercase();
    let rest_upper = rest.to_ascii_uppercase();
    let alone = rest.is_empty();
    let followed_by = |kw: &[u8]| {
        let r = rest_upper.strip_prefix(b":").map_or(&rest_upper[..], |r| r.trim_ascii_start());
        r.starts_with(kw) && r[kw.len()..].trim_ascii_start().starts_with(b":")
    };
    let c = match upper.as_slice() {
        b"HELO" => Command::Helo,
        b"EHLO" => Command::Ehlo,
        b"MAIL" if followed_by(b"FROM") => Command::Mail,
        b"SEND" if followed_by(b"FROM") => Command::Send,
        b"SOML" if followed_by(b"FROM") => Command::Soml,
        b"SAML" if followed_by(b"FROM") => Command::Saml,
        b"RCPT" if followed_by(b"TO") => Command::Rcpt,
        b"DATA" if alone => Command::Data,
        b"BDAT" if rest.first().is_some_and(u8::is_ascii_digit) => Command::Bdat,
        b"AUTH" if !alone => Command::Auth,
        b"STARTTLS" if alone => Command::StartTls,
        b"RSET" if alone => Command::Rset,
        b"QUIT" if alone => Command::Quit,
        b"TURN" if alone => Command::Turn,
        b"NOOP" => Command::Noop,
        b"HELP" => Command::Help,
        b"VRFY" if !alone => Command::Vrfy,
        b"EXPN" if !alone => Command::Expn,
        b"ETRN" if !alone => Command::Etrn,
        b"ATRN" => Command::Atrn,
        _ => return None,
    };
    Some(c)
}

/// The address of `MAIL FROM:<a>` / `RCPT TO:<a>` (brackets optional, as RFC 821-era logs write
/// `MAIL FROM: a@b`).
pub(crate) fn path_of(text: &[u8]) -> String {
    let Some(colon) = text.iter().position(|&b| b == b':') else { return String::new() };
    let rest = text[colon + 1..].trim_ascii_start();
    let path = match rest.strip_prefix(b"<") {
        Some(r) => &r[..r.iter().position(|&b| b == b'>').unwrap_or(r.len())],
        None => &rest[..rest.iter().position(|&b| b == b' ').unwrap_or(rest.len())],
    };
    String::from_utf8_lossy(path).into_owned()
}

/// `AUTH PLAIN <credentials>` shown as `AUTH PLAIN ****`.
fn mask_auth(text: &[u8]) -> Vec<u8> {
    let mut words = text.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty());
    let (verb, mech) = (words.next().unwrap_or(b""), words.next().unwrap_or(b""));
    let mut out = [verb, b" ", mech].concat();
    if words.next().is_some() {
        out.extend_from_slice(b" ****");
    }
    out
}

/// Where the transaction stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mail {
    None,
    Pending,
    Accepted,
    Refused,
}

/// Where message data stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Data {
    None,
    /// DATA sent, 354 not seen yet.
    Waiting,
    /// After 354: client lines are message text until ".".
    Body,
    /// The client sent the whole message, "." included, before the 354 came.
    SentEarly,
    /// After BDAT: this many octets of chunk data follow the command.
    Chunk(usize),
}

struct Builder {
    format: Format,
    steps: Vec<Step>,
    checks: Vec<Check>,
    recipients: Vec<RecipientOutcome>,
    messages: Vec<MessageOutcome>,
    /// Recipients accepted at RCPT whose message has no outcome yet.
    provisional: Vec<usize>,
    pending: VecDeque<usize>,
    reply_lines: Vec<(usize, Vec<u8>, bool)>,
    greeted: bool,
    hello: bool,
    hello_pending: bool,
    pipelining: bool,
    tls: bool,
    authenticated: bool,
    auth_exchange: bool,
    quit: bool,
    closed: bool,
    mail: Mail,
    data: Data,
    data_step: Option<usize>,
    message: Option<usize>,
    /// Whether the current message already failed (later RCPT replies are consequences).
    message_failed: bool,
    first_failure: Option<usize>,
    warned_pipelining: bool,
    warned_early_data: bool,
    warned_clear_auth: bool,
    /// The input line of the previous utterance.
    last_line: usize,
}

/// Builds the steps and outcome of a conversation.
pub(crate) fn build(utterances: &[Utterance], format: Format) -> Transcript {
    let mut b = Builder {
        format,
        steps: Vec::new(),
        checks: Vec::new(),
        recipients: Vec::new(),
        messages: Vec::new(),
        provisional: Vec::new(),
        pending: VecDeque::new(),
        reply_lines: Vec::new(),
        greeted: false,
        hello: false,
        hello_pending: false,
        pipelining: false,
        tls: false,
        authenticated: false,
        auth_exchange: false,
        quit: false,
        closed: false,
        mail: Mail::None,
        data: Data::None,
        data_step: None,
        message: None,
        message_failed: false,
        first_failure: None,
        warned_pipelining: false,
        warned_early_data: false,
        warned_clear_auth: false,
        last_line: 0,
    };
    for u in utterances {
        let speaker = b.speaker_of(u);
        b.last_line = u.line;
        let u = &Utterance { speaker, ..u.clone() };
        match u.speaker {
            Speaker::Server => b.server_line(u),
            Speaker::Client => {
                b.flush_reply();
                b.client_line(u);
            }
            // A tool's note does not interrupt a reply (curl writes "{ [5 bytes data]" between
            // the lines of a multi-line reply over TLS).
            Speaker::Tool => b.push_info(u.line, Speaker::Tool, &u.text, u.tls),
        }
    }
    b.finish()
}

impl Builder {
    /// Who spoke a line the reader could not attribute for sure: inside message text the client;
    /// otherwise a reply code means the server and a command the client; a block keeps its
    /// speaker; a line right after another continues it (wrapped); anything else is noise from
    /// the application that wrote the log.
    fn speaker_of(&self, u: &Utterance) -> Speaker {
        let t = u.text.trim_ascii();
        match u.marked {
            Marked::Yes => u.speaker,
            Marked::InBlock => u.speaker,
            Marked::No if matches!(self.data, Data::Body | Data::Chunk(_)) => Speaker::Client,
            Marked::No if super::tools::starts_with_code(t) => Speaker::Server,
            Marked::No if command_of(t).is_some() => Speaker::Client,
            // A wrapped line continues the one before; an application's own log line (it starts
            // with a timestamp) is noise.
            Marked::No if u.line == self.last_line + 1 && super::tools::skip_timestamp(t).len() == t.len() => u.speaker,
            Marked::No => Speaker::Tool,
        }
    }

    fn push_info(&mut self, line: usize, speaker: Speaker, text: &[u8], tls: bool) {
        self.steps.push(Step {
            kind: StepKind::Info,
            speaker,
            line,
            text: text.to_vec(),
            command: Command::Unknown,
            answers: None,
            reply: None,
            tls: tls || self.tls,
        });
    }

    fn check(&mut self, kind: CheckKind, step: usize, message: String) {
        self.checks.push(Check { kind, step, message });
    }

    // ---- the server's lines ----

    fn server_line(&mut self, u: &Utterance) {
        let t = u.text.trim_ascii_end();
        if self.closed && self.reply_lines.is_empty() {
            return self.push_info(u.line, Speaker::Server, t, u.tls);
        }
        if super::tools::starts_with_code(t) {
            if let Some((_, last, _)) = self.reply_lines.last() {
                // A new reply starts when the code changes after a final line was missed.
                if last.get(..3) != t.get(..3) {
                    self.flush_reply();
                }
            }
            self.reply_lines.push((u.line, t.to_vec(), u.tls));
            if t.get(3) != Some(&b'-') {
                self.flush_reply();
            }
            return;
        }
        if t.is_empty() {
            return;
        }
        // Text without a code: a wrapped line of the reply being read, or of the one just read.
        if let Some((_, last, _)) = self.reply_lines.last_mut() {
            last.push(b' ');
            last.extend_from_slice(t.trim_ascii_start());
            return;
        }
        if let Some(last) = self.steps.last_mut() {
            if last.kind == StepKind::Reply && last.speaker == Speaker::Server && u.line <= last.line + 8 {
                last.text.push(b' ');
                last.text.extend_from_slice(t.trim_ascii_start());
                return;
            }
        }
        self.push_info(u.line, Speaker::Server, t, u.tls);
    }

    /// The reply read so far is complete.
    fn flush_reply(&mut self) {
        if self.reply_lines.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.reply_lines);
        let line = lines[0].0;
        let tls = lines.iter().any(|l| l.2);
        let mut raw = Vec::new();
        for (_, text, _) in &lines {
            raw.extend_from_slice(text);
            raw.extend_from_slice(b"\r\n");
        }
        let (code, enhanced) = match parse_reply(&raw, &ParserOptions::UNBOUNDED) {
            Ok(Some(r)) => (r.code(), r.enhanced()),
            _ => {
                let first = &lines[0].1;
                let code = first[..3].iter().fold(0u16, |a, d| a * 10 + (d - b'0') as u16);
                (code, EnhancedCode::parse_prefix(first.get(4..).unwrap_or(b"")).map(|(e, _)| e))
            }
        };
        let text = lines.iter().map(|(_, t, _)| t.as_slice()).collect::<Vec<_>>().join(&b'\n');
        self.on_reply(line, code, enhanced, &raw, text, tls);
    }

    fn on_reply(
        &mut self,
        line: usize,
        code: u16,
        enhanced: Option<EnhancedCode>,
        raw: &[u8],
        text: Vec<u8>,
        tls: bool,
    ) {
        // The log left out the end of the message text (curl, Exchange): the reply shows it ended.
        if self.data == Data::Body {
            self.end_data(line, true);
        }
        let (command, answers) = if !self.greeted && self.pending.is_empty() {
            (Command::Greeting, None)
        } else if let Some(i) = self.pending.pop_front() {
            (self.steps[i].command, Some(i))
        } else {
            (Command::Unknown, None)
        };
        // Classified as shown (lines joined with "\n"), so evidence spans index the step's text.
        let classification = classify(&text, Some(command));
        let unexpected = !reply_allowed(command, code);
        let step = self.steps.len();
        self.steps.push(Step {
            kind: StepKind::Reply,
            speaker: Speaker::Server,
            line,
            text,
            command,
            answers,
            reply: Some(ReplyInfo { code, enhanced, classification, unexpected }),
            tls: tls || self.tls,
        });
        if answers.is_none() && command != Command::Greeting && code != 421 {
            self.check(
                CheckKind::UnsolicitedReply,
                step,
                format!("the server sent {code} when no command was waiting for a reply (RFC 5321 §4.2: one reply per command)"),
            );
        }
        if unexpected {
            let listed: Vec<String> = replies_for(command).iter().map(|c| c.to_string()).collect();
            self.check(
                CheckKind::UnexpectedReply,
                step,
                format!(
                    "{code} is not among the replies RFC 5321 §4.3.2 lists for {} ({}, or 421/500/501); clients act on its first digit",
                    command.name(),
                    listed.join(", ")
                ),
            );
        }
        let fallback = matches!(command, Command::Ehlo) && matches!(code, 500 | 502 | 504);
        if code >= 400 && self.first_failure.is_none() && !fallback && !classification.consequence {
            self.first_failure = Some(step);
        }
        if code == 421 {
            if command == Command::Rcpt {
                self.on_rcpt_reply(answers, step, code);
            }
            self.fail_message(step, true);
            self.closed = true;
            return;
        }
        let ok = code / 100 == 2;
        match command {
            Command::Greeting => {
                self.greeted = true;
                if code / 100 == 4 {
                    self.closed = true;
                }
            }
            Command::Ehlo | Command::Helo => {
                self.hello_pending = false;
                if ok {
                    self.hello = true;
                    // Exchange's send logs flatten the EHLO reply into one line of keywords.
                    let flattened = !raw.contains(&b'-') || raw.iter().filter(|&&b| b == b'\n').count() == 1;
                    self.pipelining = command == Command::Ehlo
                        && (parse_reply(raw, &ParserOptions::UNBOUNDED)
                            .ok()
                            .flatten()
                            .and_then(|r| Capabilities::from_reply(&r).ok())
                            .is_some_and(|c| c.extensions().contains(Extension::Pipelining))
                            || flattened
                                && raw
                                    .split(|b| b.is_ascii_whitespace())
                                    .any(|w| w.eq_ignore_ascii_case(b"PIPELINING")));
                    self.reset_transaction();
                }
            }
            Command::StartTls if code == 220 => {
                self.tls = true;
                self.hello = false;
                self.pipelining = false;
            }
            Command::Auth => {
                self.auth_exchange = code == 334;
                self.authenticated |= code == 235;
            }
            Command::Mail | Command::Send | Command::Soml | Command::Saml => {
                if ok {
                    self.mail = Mail::Accepted;
                } else {
                    self.mail = Mail::Refused;
                    self.fail_message(step, false);
                }
            }
            Command::Rcpt => self.on_rcpt_reply(answers, step, code),
            Command::Data => {
                if code == 354 {
                    // The message may already be on the wire (sent before the 354).
                    self.data = if self.data == Data::SentEarly { Data::None } else { Data::Body };
                } else {
                    self.data = Data::None;
                    self.fail_message(step, false);
                    self.mail = Mail::None;
                }
            }
            Command::DataEnd => self.end_message(step, code, raw),
            Command::Bdat => {
                let last = answers
                    .is_some_and(|i| self.steps[i].text.split(|b| *b == b' ').any(|w| w.eq_ignore_ascii_case(b"LAST")));
                if last || !ok {
                    self.end_message(step, code, raw);
                }
            }
            Command::Rset if ok => {
                // The message in progress is abandoned: not sent.
                if let Some(m) = self.message {
                    if self.messages[m].accepted.is_none() {
                        self.messages[m].accepted = Some(false);
                    }
                }
                self.reset_transaction();
            }
            Command::Quit => self.closed = true,
            _ => {}
        }
    }

    fn on_rcpt_reply(&mut self, answers: Option<usize>, step: usize, code: u16) {
        let Some(rcpt_step) = answers else { return };
        let Some(r) = self.recipients.iter().position(|r| r.rcpt_step == rcpt_step) else { return };
        if self.message_failed && Some(self.recipients[r].message) == self.message {
            return; // a consequence of the refused MAIL
        }
        let classification = self.steps[step].reply.as_ref().map(|x| x.classification);
        let rec = &mut self.recipients[r];
        rec.reply_step = Some(step);
        rec.classification = classification;
        rec.status = match code / 100 {
            2 => {
                self.provisional.push(r);
                RecipientStatus::Accepted
            }
            4 => RecipientStatus::Deferred,
            _ => RecipientStatus::Rejected,
        };
    }

    /// The final reply to a message (or a BDAT chunk that failed).
    fn end_message(&mut self, step: usize, code: u16, raw: &[u8]) {
        if code / 100 == 2 {
            let classification = self.steps[step].reply.as_ref().map(|x| x.classification);
            for r in std::mem::take(&mut self.provisional) {
                self.recipients[r].reply_step = Some(step);
                self.recipients[r].classification = classification;
            }
            if let Some(m) = self.message {
                let text = String::from_utf8_lossy(raw);
                self.messages[m].accepted = Some(true);
                self.messages[m].reply_step = Some(step);
                self.messages[m].queue_id = crate::session::replies::queue_id(text.trim_end());
            }
        } else {
            self.fail_message(step, false);
        }
        self.mail = Mail::None;
        self.data = Data::None;
        self.message = None;
        self.message_failed = false;
    }

    /// The message failed at `step` (MAIL, DATA, the final reply, or 421): recipients accepted so
    /// far share its fate.
    fn fail_message(&mut self, step: usize, closing: bool) {
        let Some(m) = self.message else { return };
        if self.messages[m].accepted.is_some() {
            return;
        }
        let reply = self.steps[step].reply.as_ref().expect("failures are replies");
        let (code, classification) = (reply.code, reply.classification);
        let status = if code / 100 == 4 || closing { RecipientStatus::Deferred } else { RecipientStatus::Rejected };
        let mut affected: Vec<usize> = std::mem::take(&mut self.provisional);
        // A refused MAIL decides for the recipients already named after it.
        if matches!(self.steps[step].command, Command::Mail | Command::Send | Command::Soml | Command::Saml) {
            affected.extend((0..self.recipients.len()).filter(|&r| self.recipients[r].message == m));
            self.message_failed = true;
        }
        for r in affected {
            let rec = &mut self.recipients[r];
            rec.status = status;
            rec.reply_step = Some(step);
            rec.classification = Some(classification);
        }
        self.messages[m].accepted = Some(false);
        self.messages[m].reply_step = Some(step);
    }

    fn reset_transaction(&mut self) {
        self.mail = Mail::None;
        self.data = Data::None;
        self.message = None;
        self.message_failed = false;
        // Recipients accepted at RCPT of an abandoned message stay provisional: pending at the end.
    }

    // ---- the client's lines ----

    fn client_line(&mut self, u: &Utterance) {
        let t = u.text.trim_ascii_end();
        if self.closed {
            if !t.is_empty() {
                self.push_info(u.line, Speaker::Client, t, u.tls);
            }
            return;
        }
        match self.data {
            Data::Body => {
                // RFC 821's own examples write the end of data as "<CRLF>.<CRLF>".
                if t == b"." || t.eq_ignore_ascii_case(b"<CRLF>.<CRLF>") {
                    return self.end_data(u.line, false);
                }
                return self.add_data(u.line, t, u.tls);
            }
            Data::Chunk(left) => {
                self.add_data(u.line, t, u.tls);
                let left = left.saturating_sub(t.len() + 2);
                self.data = if left == 0 { Data::None } else { Data::Chunk(left) };
                return;
            }
            Data::Waiting if t == b"." && self.data_step.is_some() => {
                // The whole message went out before the 354: its end too.
                self.end_data(u.line, false);
                self.data = Data::SentEarly;
                return;
            }
            Data::Waiting if command_of(t).is_none() && !t.is_empty() => {
                if !self.warned_early_data {
                    self.warned_early_data = true;
                    let step = self.steps.len();
                    self.check(
                        CheckKind::DataBefore354,
                        step,
                        "the client sent message text before the server's 354 (RFC 5321 §3.3: no data unless 354 is received; a server may read it as commands)".into(),
                    );
                }
                return self.add_data(u.line, t, u.tls);
            }
            _ => {}
        }
        if self.auth_exchange {
            self.auth_exchange = false;
            let shown = if t == b"*" || t == b"=" { t.to_vec() } else { b"****".to_vec() };
            let step = self.steps.len();
            self.steps.push(Step {
                kind: StepKind::AuthResponse,
                speaker: Speaker::Client,
                line: u.line,
                text: shown,
                command: Command::Auth,
                answers: None,
                reply: None,
                tls: u.tls || self.tls,
            });
            self.pending.push_back(step);
            return;
        }
        if t.trim_ascii().is_empty() {
            return;
        }
        match command_of(t) {
            Some(command) => self.command(u, t, command),
            None => {
                // A long command wrapped by the paste.
                if let Some(&last) = self.pending.back() {
                    let s = &self.steps[last];
                    if s.kind == StepKind::Command
                        && s.speaker == Speaker::Client
                        && s.line + 1 == u.line
                        && last + 1 == self.steps.len()
                    {
                        let s = &mut self.steps[last];
                        s.text.push(b' ');
                        s.text.extend_from_slice(t.trim_ascii());
                        return;
                    }
                }
                if !self.greeted || self.format == Format::Telnet {
                    // What opened the connection ("telnet mx.example.com 25"), or, in a raw
                    // session, the log lines of the program around the protocol lines.
                    return self.push_info(u.line, Speaker::Client, t, u.tls);
                }
                let step = self.push_command(u, t.trim_ascii().to_vec(), Command::Unknown);
                self.check(
                    CheckKind::UnknownCommand,
                    step,
                    "not an SMTP command: servers answer it with 500 (RFC 5321 §4.2.4)".into(),
                );
            }
        }
    }

    fn push_command(&mut self, u: &Utterance, text: Vec<u8>, command: Command) -> usize {
        let step = self.steps.len();
        self.steps.push(Step {
            kind: StepKind::Command,
            speaker: Speaker::Client,
            line: u.line,
            text,
            command,
            answers: None,
            reply: None,
            tls: u.tls || self.tls,
        });
        self.pending.push_back(step);
        step
    }

    fn command(&mut self, u: &Utterance, t: &[u8], command: Command) {
        let text = if command == Command::Auth { mask_auth(t) } else { t.trim_ascii().to_vec() };
        let step = self.steps.len();
        // Sequence checks, against what the client knew when it sent the command.
        if self.quit {
            self.check(
                CheckKind::OutOfSequence,
                step,
                "a command after QUIT (RFC 5321 §4.1.1.10: QUIT ends the session)".into(),
            );
        }
        if !self.pending.is_empty() && !self.pipelining && !self.warned_pipelining && !self.hello_pending_only() {
            self.warned_pipelining = true;
            self.check(
                CheckKind::PipeliningNotOffered,
                step,
                "the client sent this before the reply to its previous command, but the server did not offer PIPELINING (RFC 2920; RFC 5321 §4.1.4 wants one reply per command first)".into(),
            );
        }
        match command {
            Command::Ehlo | Command::Helo => self.hello_pending = true,
            Command::Mail | Command::Send | Command::Soml | Command::Saml => {
                // Only when the log shows the session's start: an excerpt may begin at MAIL.
                if !self.hello && !self.hello_pending && !self.excerpt() {
                    let why = if self.tls {
                        "MAIL without a new EHLO after STARTTLS (RFC 3207 §4.2: the session starts over after the handshake)"
                    } else {
                        "MAIL before EHLO/HELO (RFC 5321 §4.1.1.1: a client MUST say hello before a mail transaction)"
                    };
                    self.check(CheckKind::OutOfSequence, step, why.into());
                }
                if matches!(self.mail, Mail::Pending | Mail::Accepted) {
                    self.check(
                        CheckKind::OutOfSequence,
                        step,
                        "a new MAIL inside an open transaction (RFC 5321 §4.1.4: finish the message or RSET first; servers answer 503)".into(),
                    );
                }
                self.mail = Mail::Pending;
                self.message_failed = false;
                self.messages.push(MessageOutcome {
                    sender: path_of(t),
                    mail_step: step,
                    accepted: None,
                    reply_step: None,
                    queue_id: None,
                });
                self.message = Some(self.messages.len() - 1);
            }
            Command::Rcpt => {
                if matches!(self.mail, Mail::None | Mail::Refused) {
                    self.check(
                        CheckKind::OutOfSequence,
                        step,
                        "RCPT without an accepted MAIL FROM (RFC 5321 §3.3: the server answers 503)".into(),
                    );
                }
                let message = match self.message {
                    Some(m) => m,
                    None => {
                        // The log starts mid-transaction, or MAIL was refused and forgotten.
                        self.messages.push(MessageOutcome {
                            sender: String::new(),
                            mail_step: step,
                            accepted: None,
                            reply_step: None,
                            queue_id: None,
                        });
                        self.message = Some(self.messages.len() - 1);
                        self.messages.len() - 1
                    }
                };
                self.recipients.push(RecipientOutcome {
                    address: path_of(t),
                    status: RecipientStatus::Pending,
                    rcpt_step: step,
                    reply_step: None,
                    classification: None,
                    message,
                });
            }
            Command::Data => {
                let any_rcpt = self.message.is_some_and(|m| self.recipients.iter().any(|r| r.message == m));
                if !any_rcpt {
                    self.check(
                        CheckKind::OutOfSequence,
                        step,
                        "DATA without any RCPT TO (RFC 5321 §3.3: the server answers 503 or 554)".into(),
                    );
                }
                self.data = Data::Waiting;
            }
            Command::Bdat => {
                let size = t[4..]
                    .trim_ascii()
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .fold(0usize, |a, d| a.saturating_mul(10).saturating_add((d - b'0') as usize));
                self.data = if size > 0 { Data::Chunk(size) } else { Data::None };
            }
            Command::StartTls if self.tls => self.check(
                CheckKind::OutOfSequence,
                step,
                "STARTTLS again on an encrypted connection (RFC 3207 §4.2: the client MUST NOT repeat it)".into(),
            ),
            Command::Auth if !self.tls && !self.warned_clear_auth => {
                self.warned_clear_auth = true;
                self.check(
                    CheckKind::CredentialsInClear,
                    step,
                    "AUTH before STARTTLS: the credentials cross the network readable by anyone on the path (RFC 4954 §4 asks for a protected channel)".into(),
                )
            }
            Command::Quit => self.quit = true,
            _ => {}
        }
        if let Some(why) = obsolete(command) {
            self.check(CheckKind::ObsoleteCommand, step, why.into());
        }
        self.push_command(u, text, command);
    }

    /// The log shows neither the greeting nor a hello: an excerpt of a session (RFC examples
    /// start at MAIL), whose start and end are elsewhere.
    fn excerpt(&self) -> bool {
        !self.greeted
            && !self.hello
            && !self.hello_pending
            && !self.steps.iter().any(|s| matches!(s.command, Command::Ehlo | Command::Helo))
    }

    /// Only an EHLO/HELO is waiting: clients commonly send nothing else then, but a few log
    /// layouts print the next command early; do not count that as pipelining.
    fn hello_pending_only(&self) -> bool {
        self.pending.iter().all(|&i| matches!(self.steps[i].command, Command::Ehlo | Command::Helo)) && !self.greeted
    }

    fn add_data(&mut self, line: usize, t: &[u8], tls: bool) {
        match self.data_step {
            Some(i) => {
                let s = &mut self.steps[i];
                s.text.push(b'\n');
                s.text.extend_from_slice(t);
            }
            None => {
                self.data_step = Some(self.steps.len());
                self.steps.push(Step {
                    kind: StepKind::MessageData,
                    speaker: Speaker::Client,
                    line,
                    text: t.to_vec(),
                    command: Command::Unknown,
                    answers: None,
                    reply: None,
                    tls: tls || self.tls,
                });
            }
        }
    }

    /// The end of message text: a "." line, or (`implied`) a reply that shows the data ended
    /// although the log does not show it.
    fn end_data(&mut self, line: usize, implied: bool) {
        self.data_step = None;
        self.data = Data::None;
        let text = if implied { ". (not shown in the log)" } else { "." };
        let u = Utterance::new(line, Speaker::Client, b"");
        self.push_command(&u, text.into(), Command::DataEnd);
    }

    fn finish(mut self) -> Transcript {
        self.flush_reply();
        let last = self.steps.len().saturating_sub(1);
        if self.data == Data::Body && self.data_step.is_some() {
            self.check(
                CheckKind::UnterminatedData,
                last,
                "the message text never ends with a line holding only \".\" (RFC 5321 §4.1.1.4): the server is still waiting".into(),
            );
        }
        for i in std::mem::take(&mut self.pending) {
            let name = self.steps[i].command.name();
            self.check(CheckKind::Unanswered, i, format!("{name} got no reply before the log ends"));
        }
        let any_command = self.steps.iter().any(|s| s.kind == StepKind::Command);
        let server_closed = self.steps.iter().any(|s| s.reply.as_ref().is_some_and(|r| r.code == 421));
        if any_command && !self.quit && !server_closed && !self.excerpt() {
            self.check(
                CheckKind::MissingQuit,
                last,
                "the client never sent QUIT (RFC 5321 §4.1.4: the last command MUST be QUIT; the server may log an aborted session)".into(),
            );
        }
        // A message that never got its final reply in a session that ended (QUIT, or the
        // server closed), or whose every recipient was refused, was not sent.
        for (i, m) in self.messages.iter_mut().enumerate() {
            let mut rcpts = self.recipients.iter().filter(|r| r.message == i).peekable();
            let all_refused = rcpts.peek().is_some()
                && rcpts.all(|r| matches!(r.status, RecipientStatus::Rejected | RecipientStatus::Deferred));
            if m.accepted.is_none() && (self.quit || self.closed || all_refused) {
                m.accepted = Some(false);
            }
        }
        // Accepted at RCPT, but the message never reached an outcome: the log does not say.
        for r in self.provisional {
            let m = self.recipients[r].message;
            if self.messages[m].accepted != Some(true) {
                self.recipients[r].status = RecipientStatus::Pending;
            }
        }
        self.checks.sort_by_key(|c| c.step);
        Transcript {
            format: self.format,
            steps: self.steps,
            checks: self.checks,
            recipients: self.recipients,
            messages: self.messages,
            first_failure: self.first_failure,
            tls: self.tls,
            authenticated: self.authenticated,
            quit: self.quit,
            lines: 0,
        }
    }
}

/// RFC 821 commands RFC 5321 dropped, and what they did.
fn obsolete(command: Command) -> Option<&'static str> {
    Some(match command {
        Command::Send => "SEND FROM is an RFC 821 command (deliver to the user's terminal) that RFC 5321 dropped; servers answer 500 or 502: use MAIL FROM",
        Command::Soml => "SOML FROM is an RFC 821 command (send to the terminal, or else the mailbox) that RFC 5321 dropped: use MAIL FROM",
        Command::Saml => "SAML FROM is an RFC 821 command (send to the terminal and the mailbox) that RFC 5321 dropped: use MAIL FROM",
        Command::Turn => "TURN (RFC 821: swap client and server roles) is deprecated for security reasons (RFC 2821 §4.1.1 note; ATRN, RFC 2645, replaced it with authentication)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(command_of(b"MAIL FROM:<a@b>"), Some(Command::Mail));
        assert_eq!(command_of(b"mail from: <a@b> SIZE=10"), Some(Command::Mail));
        assert_eq!(command_of(b"MAIL delivery failed"), None);
        assert_eq!(command_of(b"RCPT TO:<a@b>"), Some(Command::Rcpt));
        assert_eq!(command_of(b"SEND FROM:<EAK@MIT-MC.ARPA>"), Some(Command::Send));
        assert_eq!(command_of(b"DATA"), Some(Command::Data));
        assert_eq!(command_of(b"Data is here"), None);
        assert_eq!(command_of(b"BDAT 100 LAST"), Some(Command::Bdat));
        assert_eq!(command_of(b"quit"), Some(Command::Quit));
        assert_eq!(command_of(b"AUTH PLAIN AGE="), Some(Command::Auth));
        assert_eq!(command_of(b"Hello there"), None);
        assert_eq!(path_of(b"MAIL FROM:<a@b> SIZE=1"), "a@b");
        assert_eq!(path_of(b"RCPT TO: bob@example.com"), "bob@example.com");
        assert_eq!(path_of(b"MAIL FROM:<>"), "");
        assert_eq!(mask_auth(b"AUTH PLAIN AHRpbQBwdw=="), b"AUTH PLAIN ****");
        assert_eq!(mask_auth(b"AUTH LOGIN"), b"AUTH LOGIN");
    }
}
