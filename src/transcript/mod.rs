//! Explain an SMTP conversation as users have it: a connection log pasted from a mail client, a
//! telnet session, swaks, curl or smtplib output, an Exchange protocol log, or a bounce excerpt.
//!
//! ```
//! use smtpreply::transcript::{analyse, Format, RecipientStatus};
//!
//! let log = b"S: 220 mx.example.com ESMTP\nC: EHLO client.example.org\nS: 250 mx.example.com\n\
//!             C: MAIL FROM:<alice@example.org>\nS: 250 2.1.0 Ok\nC: RCPT TO:<bob@example.com>\n\
//!             S: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\nC: QUIT\nS: 221 Bye\n";
//! let t = analyse(log).unwrap();
//! assert_eq!(t.format, Format::Rfc);
//! assert_eq!(t.recipients[0].status, RecipientStatus::Rejected);
//! assert_eq!(t.recipients[0].classification.unwrap().reason.name(), "user_unknown");
//! ```
//!
//! How it works:
//! 1. [`lines`]: the input becomes lines (any line ending, HTML entities decoded, FAQ-style `|`
//!    decoration dropped).
//! 2. [`detect`]: every format's reader scores the first lines; the best reader wins (or the one
//!    the caller names).
//! 3. The reader ([`markers`], [`tools`], [`exchange`], [`bounce`]) turns lines into utterances:
//!    who spoke (client, server, or the tool itself) and what.
//! 4. [`steps`]: utterances become steps. Reply lines join into replies, each reply is matched to
//!    the command it answers (in order, as pipelining requires), message data is gathered, AUTH
//!    credentials are masked, and protocol deviations are noted as checks.
//! 5. The outcome: per recipient and per message, and the first failure with its classification.

mod bounce;
mod detect;
mod exchange;
mod lines;
mod markers;
mod steps;
mod tools;

use crate::classify::Classification;
use crate::command::Command;
use crate::reply::EnhancedCode;
use crate::text::Text;

pub use crate::session::RecipientStatus;

/// The layout of a transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Format {
    /// Nothing recognisable as an SMTP conversation.
    Unknown = 0,
    /// `Server:` / `Client:` markers, on their own line or before the text (mail clients' logs).
    ServerClient = 1,
    /// RFC style `S:` / `C:`.
    Rfc = 2,
    /// `->` / `<-` arrows (telnet tutorials), with any prose before the arrow.
    Arrows = 3,
    /// swaks: ` -> `, `<-  `, `<** ` errors, `~>` / `<~` over TLS, `===` information.
    Swaks = 4,
    /// curl -v: `>` / `<`, `*` information.
    Curl = 5,
    /// A raw telnet session: server lines start with reply codes, the user's lines have no marker.
    Telnet = 6,
    /// Python smtplib debug output: `send: '...'`, `reply: b'...'`.
    Smtplib = 7,
    /// Microsoft Exchange / 365 SMTP protocol log (CSV with `<`, `>`, `*` events).
    Exchange = 8,
    /// A bounce or NDR excerpt: `Diagnostic-Code: smtp; ...`, `host X said: ...`.
    Bounce = 9,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Unknown,
        Format::ServerClient,
        Format::Rfc,
        Format::Arrows,
        Format::Swaks,
        Format::Curl,
        Format::Telnet,
        Format::Smtplib,
        Format::Exchange,
        Format::Bounce,
    ];

    pub fn from_u32(n: u32) -> Option<Format> {
        Format::ALL.get(n as usize).copied()
    }

    /// A short name: `"server_client"`, `"swaks"` ...
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }

    pub(crate) fn name_text(self) -> Text {
        match self {
            Format::Unknown => text!("unknown"),
            Format::ServerClient => text!("server_client"),
            Format::Rfc => text!("rfc"),
            Format::Arrows => text!("arrows"),
            Format::Swaks => text!("swaks"),
            Format::Curl => text!("curl"),
            Format::Telnet => text!("telnet"),
            Format::Smtplib => text!("smtplib"),
            Format::Exchange => text!("exchange"),
            Format::Bounce => text!("bounce"),
        }
    }

    /// Parses a name as [`Format::name`] writes it.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Who produced a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Speaker {
    Client = 1,
    Server = 2,
    /// The tool that made the log (swaks `===`, curl `*`, telnet's `Connected to`).
    Tool = 3,
}

impl Speaker {
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Speaker::Client => text!("client"),
            Speaker::Server => text!("server"),
            Speaker::Tool => text!("tool"),
        }
    }
}

/// What a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum StepKind {
    /// A client command (`command` says which; AUTH arguments are masked).
    Command = 1,
    /// A server reply (`reply` has the details; `answers` the command step it answers).
    Reply = 2,
    /// The message text sent after 354 (or with BDAT), gathered in one step.
    MessageData = 3,
    /// A client response during AUTH (masked).
    AuthResponse = 4,
    /// A note from the tool that made the log, or from a bounce report.
    Info = 5,
}

impl StepKind {
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            StepKind::Command => text!("command"),
            StepKind::Reply => text!("reply"),
            StepKind::MessageData => text!("message_data"),
            StepKind::AuthResponse => text!("auth_response"),
            StepKind::Info => text!("info"),
        }
    }
}

/// A reply, parsed and explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyInfo {
    pub code: u16,
    pub enhanced: Option<EnhancedCode>,
    /// What the classifier makes of it (success for 2xx/3xx).
    pub classification: Classification,
    /// RFC 5321 §4.3.2 (or the extension's RFC) does not list this code for the command.
    pub unexpected: bool,
}

/// One step of the conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    pub speaker: Speaker,
    /// The first input line of the step (1-based).
    pub line: usize,
    /// The text as the log has it (bytes: logs hold Latin-1, GBK ... as well as UTF-8): a command
    /// line, the reply's lines joined with `\n`, the message text, or a note. Credentials are
    /// masked (`AUTH PLAIN ****`).
    pub text: Vec<u8>,
    /// For a command: which one. For a reply: the command it answers ([`Command::Greeting`] for
    /// the greeting). [`Command::Unknown`] when not known.
    pub command: Command,
    /// For a reply: the index of the step it answers (none for the greeting, an unsolicited 421,
    /// or a reply nothing asked for).
    pub answers: Option<usize>,
    pub reply: Option<ReplyInfo>,
    /// The exchange after STARTTLS (encrypted on the wire; the log shows it decrypted).
    pub tls: bool,
}

impl Step {
    /// The text as a string (invalid UTF-8 replaced).
    pub fn text_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }
}

/// A protocol deviation found in the conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum CheckKind {
    /// A reply code the standards do not list for its command (RFC 5321 §4.3.2).
    UnexpectedReply = 1,
    /// A command out of sequence: RCPT before MAIL, MAIL before EHLO/HELO, a second MAIL inside a
    /// transaction, anything after QUIT (RFC 5321 §4.1.4, §3.3).
    OutOfSequence = 2,
    /// Message text sent before the server's 354 (RFC 5321 §3.3: no data unless 354 came).
    DataBefore354 = 3,
    /// The conversation ends without QUIT (RFC 5321 §4.1.4: the last command MUST be QUIT).
    MissingQuit = 4,
    /// An RFC 821 command that RFC 5321 removed: SEND, SOML, SAML, TURN.
    ObsoleteCommand = 5,
    /// A command that got no reply before the log ends.
    Unanswered = 6,
    /// A reply that answers no command (not the greeting, not a 421).
    UnsolicitedReply = 7,
    /// A line the client sent that is not an SMTP command.
    UnknownCommand = 8,
    /// Commands sent before the replies to earlier ones, to a server that did not offer
    /// PIPELINING (RFC 2920).
    PipeliningNotOffered = 9,
    /// Credentials sent before STARTTLS (readable by anyone on the path).
    CredentialsInClear = 10,
    /// A line longer than the explainer reads (cut short in the step).
    LineTooLong = 11,
    /// The message text never ended with a lone `.` line.
    UnterminatedData = 12,
}

impl CheckKind {
    pub const ALL: [CheckKind; 12] = [
        CheckKind::UnexpectedReply,
        CheckKind::OutOfSequence,
        CheckKind::DataBefore354,
        CheckKind::MissingQuit,
        CheckKind::ObsoleteCommand,
        CheckKind::Unanswered,
        CheckKind::UnsolicitedReply,
        CheckKind::UnknownCommand,
        CheckKind::PipeliningNotOffered,
        CheckKind::CredentialsInClear,
        CheckKind::LineTooLong,
        CheckKind::UnterminatedData,
    ];

    pub fn from_u32(n: u32) -> Option<CheckKind> {
        CheckKind::ALL.iter().copied().find(|k| *k as u32 == n)
    }

    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }

    pub(crate) fn name_text(self) -> Text {
        match self {
            CheckKind::UnexpectedReply => text!("unexpected_reply"),
            CheckKind::OutOfSequence => text!("out_of_sequence"),
            CheckKind::DataBefore354 => text!("data_before_354"),
            CheckKind::MissingQuit => text!("missing_quit"),
            CheckKind::ObsoleteCommand => text!("obsolete_command"),
            CheckKind::Unanswered => text!("unanswered"),
            CheckKind::UnsolicitedReply => text!("unsolicited_reply"),
            CheckKind::UnknownCommand => text!("unknown_command"),
            CheckKind::PipeliningNotOffered => text!("pipelining_not_offered"),
            CheckKind::CredentialsInClear => text!("credentials_in_clear"),
            CheckKind::LineTooLong => text!("line_too_long"),
            CheckKind::UnterminatedData => text!("unterminated_data"),
        }
    }
}

/// A deviation, where it is and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub kind: CheckKind,
    /// The step concerned (for [`CheckKind::MissingQuit`], the last step).
    pub step: usize,
    /// What happened and why it matters, in plain words with the RFC section.
    pub message: String,
}

/// What became of one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipientOutcome {
    pub address: String,
    /// Accepted (the server took the message for it), deferred, rejected; pending when the log
    /// does not say (the message was never completed, or the log stops).
    pub status: RecipientStatus,
    /// The RCPT step.
    pub rcpt_step: usize,
    /// The reply that decided the status (RCPT's, or the message's final reply), if any.
    pub reply_step: Option<usize>,
    /// The classification of that reply.
    pub classification: Option<Classification>,
    /// The message (transaction) this recipient belongs to.
    pub message: usize,
}

/// What became of one message (one MAIL FROM transaction).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageOutcome {
    pub sender: String,
    pub mail_step: usize,
    /// Whether the server took responsibility for it; `None` when the log does not say.
    pub accepted: Option<bool>,
    /// The reply that decided it (the final reply, or the refusal of MAIL, DATA ...).
    pub reply_step: Option<usize>,
    /// The queue id of the final 250, when it gives one.
    pub queue_id: Option<String>,
}

/// An analysed transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcript {
    pub format: Format,
    pub steps: Vec<Step>,
    pub checks: Vec<Check>,
    pub recipients: Vec<RecipientOutcome>,
    pub messages: Vec<MessageOutcome>,
    /// The first failure (a 4xx/5xx reply that is not a consequence of an earlier one, nor the
    /// normal EHLO-to-HELO fallback): the step index.
    pub first_failure: Option<usize>,
    /// STARTTLS succeeded.
    pub tls: bool,
    /// AUTH succeeded.
    pub authenticated: bool,
    /// The client sent QUIT.
    pub quit: bool,
    /// Input lines read.
    pub lines: usize,
}

impl Transcript {
    /// Whether the last message in the log was accepted (`None`: no message reached an outcome).
    pub fn message_accepted(&self) -> Option<bool> {
        self.messages.iter().rev().find_map(|m| m.accepted)
    }

    /// The queue id of the last accepted message.
    pub fn queue_id(&self) -> Option<&str> {
        self.messages.iter().rev().find(|m| m.accepted == Some(true)).and_then(|m| m.queue_id.as_deref())
    }

    /// The classification of the first failure.
    pub fn first_failure_classification(&self) -> Option<Classification> {
        self.first_failure.and_then(|i| self.steps[i].reply.as_ref()).map(|r| r.classification)
    }
}

/// How to read the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The format to read; `None` detects it.
    pub format: Option<Format>,
    /// The most input accepted, in bytes (default 64 MiB).
    pub max_input: usize,
    /// Longer lines are cut to this many bytes (default 64 KiB) with a [`CheckKind::LineTooLong`].
    pub max_line: usize,
}

impl Options {
    pub const DEFAULT_MAX_INPUT: usize = 64 << 20;
    pub const DEFAULT_MAX_LINE: usize = 64 << 10;
}

impl Default for Options {
    fn default() -> Options {
        Options { format: None, max_input: Options::DEFAULT_MAX_INPUT, max_line: Options::DEFAULT_MAX_LINE }
    }
}

/// Why a transcript could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranscriptError {
    #[error("the input is {0} bytes; the limit is {1}")]
    TooLarge(usize, usize),
    #[error("max_line must be at least 80 bytes (got {0})")]
    BadOption(usize),
}

/// Analyses a transcript, detecting its format.
pub fn analyse(input: &[u8]) -> Result<Transcript, TranscriptError> {
    analyse_with(input, &Options::default())
}

/// Analyses a transcript with options.
pub fn analyse_with(input: &[u8], options: &Options) -> Result<Transcript, TranscriptError> {
    if input.len() > options.max_input {
        return Err(TranscriptError::TooLarge(input.len(), options.max_input));
    }
    if options.max_line < 80 {
        return Err(TranscriptError::BadOption(options.max_line));
    }
    let lines = lines::split(input, options.max_line);
    let format = options.format.unwrap_or_else(|| detect::detect(&lines));
    let utterances = match format {
        Format::Unknown => Vec::new(),
        Format::ServerClient | Format::Rfc | Format::Arrows => markers::read(&lines, format),
        Format::Swaks | Format::Curl | Format::Telnet | Format::Smtplib => tools::read(&lines, format),
        Format::Exchange => exchange::read(&lines),
        Format::Bounce => Vec::new(),
    };
    let mut t = if format == Format::Bounce { bounce::analyse(&lines) } else { steps::build(&utterances, format) };
    t.lines = lines.len();
    for l in lines.iter().filter(|l| l.cut) {
        let step = t.steps.iter().position(|s| s.line >= l.number).unwrap_or(t.steps.len().saturating_sub(1));
        t.checks.push(Check {
            kind: CheckKind::LineTooLong,
            step,
            message: format!(
                "line {} is longer than {} bytes and was cut (SMTP command lines are at most 512 octets, text lines 1000: RFC 5321 §4.5.3.1)",
                l.number, options.max_line
            ),
        });
    }
    Ok(t)
}

/// A speaker-tagged line, as the readers produce them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Utterance {
    pub(crate) line: usize,
    pub(crate) speaker: Speaker,
    pub(crate) text: Vec<u8>,
    /// The tool marks this line as sent or received over TLS.
    pub(crate) tls: bool,
    /// How sure the reader is of the speaker.
    pub(crate) marked: Marked,
}

/// Whether a line carried its own marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marked {
    /// The line says who speaks (or the format leaves no doubt).
    Yes,
    /// No marker, inside a block opened by a marker on its own line: the block's speaker, unless
    /// the text says otherwise.
    InBlock,
    /// No marker where lines normally have one: a wrapped line, a missing marker, or noise from
    /// the application that wrote the log.
    No,
}

impl Utterance {
    pub(crate) fn new(line: usize, speaker: Speaker, text: &[u8]) -> Utterance {
        Utterance { line, speaker, text: text.to_vec(), tls: false, marked: Marked::Yes }
    }
}
