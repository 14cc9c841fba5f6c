//! Mail server logs: the final outcome of every recipient in Postfix and Exim delivery logs, and
//! a summary per reason and per recipient domain.
//!
//! ```
//! use smtpreply::maillog::{MailLog, Status};
//! use smtpreply::classify::Reason;
//!
//! let log = b"Jan  1 10:00:00 mx1 postfix/smtp[123]: 4F1A2B3C4D: to=<bob@example.com>, \
//! relay=mx.example.com[192.0.2.1]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced \
//! (host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: \
//! User unknown (in reply to RCPT TO command))\n";
//! let mut m = MailLog::new();
//! m.feed(log).unwrap();
//! m.finish();
//! let r = m.next_record().unwrap();
//! assert_eq!((r.status, r.recipient, r.domain), (Status::Bounced, &b"bob@example.com"[..], &b"example.com"[..]));
//! assert_eq!(r.classification.unwrap().reason, Reason::UserUnknown);
//! assert_eq!(m.summary().bounced, 1);
//! assert_eq!(m.reason_count(Reason::UserUnknown), 1);
//! ```
//!
//! How it works:
//! - [`MailLog::feed`] takes byte chunks of any size; lines may be cut anywhere. A line is read in
//!   place when it lies inside one chunk; only a line cut by a chunk boundary is copied, and a line
//!   longer than [`Options::max_line`] is skipped and counted, never buffered whole. LF or CRLF;
//!   any bytes.
//! - Every line is taken apart without allocating ([`parse_line`] does the same for one line):
//!   the syslog or Exim envelope (`envelope.rs`), then Postfix (`postfix.rs`) or Exim (`exim.rs`)
//!   delivery-status lines. Other lines are counted.
//! - A recipient may be deferred many times and later delivered, bounced or expired. Deferred
//!   recipients are remembered per (queue id, recipient) with their latest reply, under hard caps
//!   (`open.rs`: the oldest message is evicted, and counted, when a cap is reached). A recipient's
//!   outcome is final when it is delivered, bounced or expired; when its message leaves the queue
//!   (Postfix `removed`, Exim `Completed`) while it is still deferred; when it is evicted; or at
//!   [`MailLog::finish`]. Final outcomes are counted in the [`Summary`] and queued for
//!   [`MailLog::next_record`] (bounded: `owned.rs`).
//! - The summary (`summary.rs`) counts lines, recipients per final status, final outcomes per
//!   classification reason, per recipient domain (bounded; the rest folds into one "other"
//!   bucket) and per reply group (failures by reason, code, enhanced code and deciding rule).

mod envelope;
mod exim;
mod lines;
mod log;
mod open;
mod owned;
mod postfix;
mod summary;

pub use log::{MailLog, Options, OptionsError, UsageError};
pub use owned::MAX_RECORD_BYTES;
pub use summary::{DomainStats, ReplyGroup, Summary, MAX_GROUPS};

use crate::classify::{classify, Classification};
use crate::command::Command;
use crate::reply::EnhancedCode;
use crate::text::Text;

/// Which MTA wrote a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Format {
    Postfix = 1,
    Exim = 2,
}

impl Format {
    /// `"postfix"` or `"exim"`.
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Format::Postfix => text!("postfix"),
            Format::Exim => text!("exim"),
        }
    }
    /// The format with this number (1 or 2).
    pub fn from_u32(n: u32) -> Option<Format> {
        [Format::Postfix, Format::Exim].into_iter().find(|f| *f as u32 == n)
    }
}

/// What a delivery-status line says happened to a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum Status {
    /// Postfix `status=sent`; Exim `=>`, `->` (another address of the same delivery), `>>`
    /// (cut-through).
    Delivered = 1,
    /// Postfix `status=deferred` (and `SOFTBOUNCE`); Exim `==`. Not final: a later line may
    /// deliver, bounce or expire the recipient.
    Deferred = 2,
    /// Postfix `status=bounced`; Exim `**`.
    Bounced = 3,
    /// The message stayed in the queue too long: Postfix `status=expired` (qmgr's `status=expired,
    /// returned to sender` for the whole message); Exim `**` with `retry timeout exceeded`.
    Expired = 4,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: [Status; 4] = [Status::Delivered, Status::Deferred, Status::Bounced, Status::Expired];
    /// `"delivered"`, `"deferred"`, `"bounced"` or `"expired"`.
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Status::Delivered => text!("delivered"),
            Status::Deferred => text!("deferred"),
            Status::Bounced => text!("bounced"),
            Status::Expired => text!("expired"),
        }
    }
    /// The status with this number (1 to 4).
    pub fn from_u32(n: u32) -> Option<Status> {
        Status::ALL.into_iter().find(|s| *s as u32 == n)
    }
}

/// One recipient's delivery-status line, as slices of the line (no copy).
///
/// From [`parse_line`] a record describes its own line. From [`MailLog::next_record`] it is a
/// recipient's final outcome: then `deferrals` counts the deferrals seen before, and a deferred or
/// expired recipient carries its last deferral's reply (the cause) when its own line has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub format: Format,
    /// The line number (from 1) in the input of a [`MailLog`]; 0 from [`parse_line`].
    pub line: u64,
    /// The timestamp as logged (`Jan  1 10:00:00`, `2024-01-01T10:00:00+01:00`, Exim's
    /// `2024-01-01 10:00:00`).
    pub timestamp: &'a [u8],
    /// The syslog host name; empty in an Exim main log.
    pub host: &'a [u8],
    /// The syslog program (`postfix/smtp`, `postfix-out/lmtp`, `exim`); empty in an Exim main log.
    pub program: &'a [u8],
    /// Postfix queue id or Exim message id.
    pub queue_id: &'a [u8],
    /// The recipient as logged (Exim: the delivered address, e.g. a local part, a pipe or a file
    /// for local deliveries).
    pub recipient: &'a [u8],
    /// The domain of the recipient (of the original recipient when the recipient has none); empty
    /// when neither has one.
    pub domain: &'a [u8],
    /// The original recipient: Postfix `orig_to=`, Exim's `<parent>`; empty when not logged.
    pub orig_recipient: &'a [u8],
    /// The host delivered to: Postfix `relay=` (`mx.example.com[192.0.2.1]:25`, `local`, `none`);
    /// Exim `H=` (`mx.example.com [192.0.2.1]`); empty when not logged.
    pub relay: &'a [u8],
    /// Postfix: the delivery agent (`smtp`, `lmtp`, `local`, `virtual`, `error` ...); Exim: the
    /// transport (`T=`), or the router (`R=`) when no transport ran.
    pub transport: &'a [u8],
    /// Postfix `delay=` (seconds); Exim `QT=` (queue time), or `DT=` when only that is logged.
    pub delay: &'a [u8],
    /// Postfix `dsn=`; Exim: the enhanced status code of the reply, when it has one.
    pub dsn: Option<EnhancedCode>,
    pub status: Status,
    /// The remote reply or the explanation: Postfix's parenthesised text (`host X said: 550 ...
    /// (in reply to RCPT TO command)`, `connect to X: Connection refused`); Exim's error message,
    /// or the `C="..."` confirmation of a delivery.
    pub text: &'a [u8],
    /// The command the reply answered when the log says (`in reply to RCPT TO command`, `after
    /// RCPT TO:<x>:`, `refused to talk to me`).
    pub command: Option<Command>,
    /// Why it failed, for every status but delivered (spans are offsets into `text`).
    pub classification: Option<Classification>,
    /// Deferrals of this recipient seen before the final outcome, this one included if it is a
    /// deferral (0 from [`parse_line`]).
    pub deferrals: u32,
    /// Exim `retry time not reached`: a retry skipped, not a delivery attempt.
    pub no_attempt: bool,
    /// The recipient was evicted from the bounded state while still deferred (its outcome may
    /// be counted again if a later line settles it).
    pub evicted: bool,
    /// A field was cut to fit the bounded copy the log keeps (see [`Options`]).
    pub truncated: bool,
}

/// What one line of a mail log is. Built on the stack for every line: boxing the large variant
/// would cost an allocation per line.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    /// A delivery-status line (no classification yet).
    Delivery(Record<'a>),
    /// A message arrived (Exim `<=`, Postfix cleanup's `message-id=`).
    Arrival { timestamp: &'a [u8] },
    /// Postfix qmgr: the whole message expired (`from=<x>, status=expired, returned to sender`).
    MessageExpired { queue_id: &'a [u8], timestamp: &'a [u8] },
    /// The message left the queue (Postfix `removed`, Exim `Completed` or `removed by`).
    MessageDone { queue_id: &'a [u8], timestamp: &'a [u8] },
    /// Anything else.
    Other,
}

/// Reads one line (its line end, LF or CRLF, is allowed).
pub(crate) fn event(line: &[u8]) -> Event<'_> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match envelope::parse(line) {
        Some(envelope::Envelope::Exim { timestamp, rest }) => exim::parse(timestamp, b"", b"", rest),
        Some(envelope::Envelope::Syslog { timestamp, host, program, message }) => {
            if program.starts_with(b"exim") {
                // Exim through syslog: its own timestamp follows unless syslog_timestamp is off.
                match envelope::exim_timestamp(message) {
                    Some(n) if message.get(n) == Some(&b' ') => {
                        exim::parse(&message[..n], host, program, &message[n + 1..])
                    }
                    _ => exim::parse(timestamp, host, program, message),
                }
            } else {
                postfix::parse(timestamp, host, program, message)
            }
        }
        None => Event::Other,
    }
}

/// Parses one delivery-status line of a Postfix or Exim log (a trailing LF or CRLF is allowed)
/// and classifies its reply (not for deliveries). Returns `None` for any other line. Does not
/// allocate.
pub fn parse_line(line: &[u8]) -> Option<Record<'_>> {
    match event(line) {
        Event::Delivery(mut r) => {
            classify_record(&mut r);
            Some(r)
        }
        _ => None,
    }
}

/// Classifies a record's reply (not for deliveries); an Exim record takes its DSN from the reply.
pub(crate) fn classify_record(r: &mut Record<'_>) {
    if r.status != Status::Delivered {
        let c = classify(r.text, r.command);
        if r.dsn.is_none() && r.format == Format::Exim {
            r.dsn = c.enhanced;
        }
        r.classification = Some(c);
    }
}

/// The domain of an address: after its last `@` (`None` without one, or when nothing follows).
pub(crate) fn domain_of(address: &[u8]) -> Option<&[u8]> {
    let at = memchr::memrchr(b'@', address)?;
    let d = &address[at + 1..];
    (!d.is_empty()).then_some(d)
}

/// The command named by a word sequence as logs write it (`RCPT TO`, `MAIL FROM`, `end of DATA`,
/// `end of data`, `DATA`, `EHLO`, `initial connection` ...), at the start of `s`.
pub(crate) fn command_at(s: &[u8]) -> Option<Command> {
    const NAMES: [(&[u8], Command); 14] = [
        (b"rcpt to", Command::Rcpt),
        (b"mail from", Command::Mail),
        (b"end of data", Command::DataEnd),
        (b"data", Command::Data),
        (b"bdat", Command::Bdat),
        (b"ehlo", Command::Ehlo),
        (b"helo", Command::Helo),
        (b"lhlo", Command::Ehlo),
        (b"starttls", Command::StartTls),
        (b"auth", Command::Auth),
        (b"quit", Command::Quit),
        (b"rset", Command::Rset),
        (b"initial connection", Command::Greeting),
        (b"connect", Command::Greeting),
    ];
    NAMES.iter().find_map(|(name, c)| {
        let head = s.get(..name.len())?;
        let boundary = s.get(name.len()).is_none_or(|b| !b.is_ascii_alphanumeric());
        (head.eq_ignore_ascii_case(name) && boundary).then_some(*c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        for (i, s) in Status::ALL.iter().enumerate() {
            assert_eq!(*s as u32, i as u32 + 1);
            assert_eq!(Status::from_u32(i as u32 + 1), Some(*s));
        }
        assert_eq!(Status::from_u32(0), None);
        assert_eq!(Status::from_u32(5), None);
        assert_eq!(Status::Bounced.name(), "bounced");
        assert_eq!(Format::from_u32(1), Some(Format::Postfix));
        assert_eq!(Format::from_u32(2).map(Format::name), Some("exim"));
        assert_eq!(Format::from_u32(3), None);
    }

    #[test]
    fn commands_as_logs_write_them() {
        assert_eq!(command_at(b"RCPT TO:<a@b>"), Some(Command::Rcpt));
        assert_eq!(command_at(b"end of DATA command"), Some(Command::DataEnd));
        assert_eq!(command_at(b"DATA command"), Some(Command::Data));
        assert_eq!(command_at(b"MAIL FROM:<a@b> SIZE=10"), Some(Command::Mail));
        assert_eq!(command_at(b"initial connection"), Some(Command::Greeting));
        assert_eq!(command_at(b"database"), None);
        assert_eq!(command_at(b"XFORWARD command"), None);
    }

    #[test]
    fn domains() {
        assert_eq!(domain_of(b"bob@example.com"), Some(&b"example.com"[..]));
        assert_eq!(domain_of(b"\"a@b\"@example.org"), Some(&b"example.org"[..]));
        assert_eq!(domain_of(b"bob"), None);
        assert_eq!(domain_of(b"bob@"), None);
    }
}
