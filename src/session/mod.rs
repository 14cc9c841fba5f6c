//! The client side of an SMTP conversation, sans I/O (the h11 model).
//!
//! The session never touches a socket, a thread, TLS or a clock. The host:
//! 1. feeds what it reads from the server into [`Session::receive`] (and [`Session::receive_eof`]
//!    when the connection closes);
//! 2. pulls [`Event`]s out with [`Session::next_event`] until there are none;
//! 3. writes [`Session::pending_output`] to the server and reports it with
//!    [`Session::advance_output`];
//! 4. calls actions: [`Session::send_mail`], [`Session::add_recipient`], [`Session::start_data`],
//!    [`Session::send_body`], [`Session::end_body`], [`Session::authenticate`],
//!    [`Session::tls_established`] / [`Session::tls_failed`], [`Session::reset`],
//!    [`Session::noop`], [`Session::quit`];
//! 5. runs the clock: [`Session::timeout`] says how long to wait for the server now
//!    (RFC 5321 §4.5.3.2).
//!
//! Two kinds of errors are kept apart: the host misusing the API gets a [`UsageError`] from the
//! action (nothing changes), the server breaking the protocol yields [`Event::ProtocolError`] and
//! closes the session.
//!
//! All replies in one `receive` are handled at once, so when the server sends several replies
//! together the events come together too. An action taken in response to an early event can then
//! meet a session that a later reply in the same batch has closed: it returns
//! [`UsageError::WrongState`], and the [`Event::Closed`] further on in the batch says why.
//!
//! ```
//! use smtpreply::session::{Event, Session, SessionConfig};
//!
//! let mut s = Session::new(SessionConfig::new("client.example.org")).unwrap();
//! s.receive(b"220 mx.example.com ESMTP\r\n");
//! assert!(matches!(s.next_event(), Some(Event::Reply { .. })));
//! assert!(matches!(s.next_event(), Some(Event::Greeting { .. })));
//! assert_eq!(s.pending_output(), b"EHLO client.example.org\r\n");
//! ```

pub mod address;
mod allowed;
pub mod auth;
mod body;
pub(crate) mod replies;

pub use auth::{Credentials, Mechanism};
pub use body::{message_size, BodyStats};

use crate::classify::{classify, Classification};
use crate::command::Command;
use crate::ehlo::{Capabilities, Extension, SizeLimit};
use crate::reply::{parse_reply, EnhancedCode, ParserOptions, Reply, ReplyStream, Warnings};
use address::{check_mailbox, xtext, AddressError};
use body::{BdatEncoder, DataEncoder};
use std::collections::VecDeque;
use std::time::Duration;

/// When to use STARTTLS (RFC 3207).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TlsPolicy {
    /// Never start TLS.
    Never = 0,
    /// Start TLS when the server offers it; go on in clear text when it does not.
    Opportunistic = 1,
    /// Start TLS or give up: a server that does not offer it (or refuses it) fails the session.
    Required = 2,
}

/// How the session behaves.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// The client's name for EHLO/HELO: a domain name, or an address literal such as
    /// `[192.0.2.1]`.
    pub client_name: String,
    pub tls: TlsPolicy,
    /// The connection is already encrypted (implicit TLS, port 465): no STARTTLS.
    pub tls_active: bool,
    /// Pipeline commands when the server offers PIPELINING (RFC 2920).
    pub pipelining: bool,
    /// Send bodies with BDAT when the server offers CHUNKING (RFC 3030).
    pub chunking: bool,
    /// Send the message only if every recipient is accepted (otherwise RSET).
    pub all_or_nothing: bool,
    /// Refuse to send credentials over a connection that is not encrypted.
    pub auth_requires_tls: bool,
    /// Limits for parsing the server's replies.
    pub parser: ParserOptions,
}

impl SessionConfig {
    /// The defaults with this client name: opportunistic TLS, pipelining and chunking when
    /// offered, credentials only over TLS.
    pub fn new(client_name: &str) -> SessionConfig {
        SessionConfig {
            client_name: client_name.to_string(),
            tls: TlsPolicy::Opportunistic,
            tls_active: false,
            pipelining: true,
            chunking: true,
            all_or_nothing: false,
            auth_requires_tls: true,
            parser: ParserOptions::default(),
        }
    }
}

/// The body's encoding, declared with MAIL FROM (RFC 6152, RFC 3030).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u32)]
pub enum BodyType {
    /// US-ASCII text: no BODY parameter.
    #[default]
    SevenBit = 0,
    /// 8-bit text: `BODY=8BITMIME` (the server must offer 8BITMIME).
    EightBitMime = 1,
    /// Binary: `BODY=BINARYMIME`, sent with BDAT (the server must offer BINARYMIME and CHUNKING).
    BinaryMime = 2,
}

/// DSN return option (RFC 3461 §4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum DsnReturn {
    Full = 1,
    Headers = 2,
}

/// Options of MAIL FROM. Parameters are sent only when the server offers the extension; for the
/// body type and SMTPUTF8, a server that does not offer them is an error (the message would be
/// damaged otherwise).
#[derive(Clone, Debug, Default)]
pub struct MailOptions {
    /// The message size in octets, declared when the server offers SIZE (RFC 1870).
    pub size: Option<u64>,
    pub body: BodyType,
    /// Request SMTPUTF8 even with ASCII addresses (UTF-8 headers). Non-ASCII addresses request it
    /// by themselves.
    pub smtputf8: bool,
    pub dsn_return: Option<DsnReturn>,
    /// DSN envelope identifier (sent as xtext, at most 100 characters).
    pub dsn_envid: Option<String>,
}

/// DSN notification conditions (RFC 3461 §4.1): `NEVER` alone, or any of the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DsnNotify {
    pub never: bool,
    pub success: bool,
    pub failure: bool,
    pub delay: bool,
}

/// Options of RCPT TO.
#[derive(Clone, Debug, Default)]
pub struct RcptOptions {
    pub notify: Option<DsnNotify>,
    /// The original recipient, sent as `ORCPT=rfc822;<xtext>` (at most 500 characters).
    pub orcpt: Option<String>,
}

/// A reply kept by the session (owned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedReply {
    raw: Vec<u8>,
    code: u16,
    enhanced: Option<EnhancedCode>,
    warnings: Warnings,
}

impl OwnedReply {
    pub(crate) fn from_reply(r: &Reply<'_>) -> OwnedReply {
        OwnedReply { raw: r.raw().to_vec(), code: r.code(), enhanced: r.enhanced(), warnings: r.warnings() }
    }
    pub fn code(&self) -> u16 {
        self.code
    }
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        self.enhanced
    }
    pub fn warnings(&self) -> Warnings {
        self.warnings
    }
    /// The reply as received.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }
    /// The reply, parsed again (lines, texts).
    pub fn reply(&self) -> Reply<'_> {
        parse_reply(&self.raw, &ParserOptions::UNBOUNDED).ok().flatten().expect("a stored reply parses")
    }
    /// The text of every line joined with `\n` (lossy UTF-8).
    pub fn text(&self) -> String {
        self.reply().text()
    }
}

/// Where a recipient stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum RecipientStatus {
    /// No answer yet.
    Pending = 0,
    /// Accepted (at RCPT; after the message, delivered to the server).
    Accepted = 1,
    /// Refused for good (5xx), or the message was refused for good.
    Rejected = 2,
    /// Refused for now (4xx, connection lost): try again later.
    Deferred = 3,
}

/// One recipient's outcome.
#[derive(Clone, Debug)]
pub struct RecipientResult {
    pub address: String,
    pub status: RecipientStatus,
    /// The reply that decided it (RCPT, or the end of the message for accepted recipients).
    pub reply: Option<OwnedReply>,
    pub classification: Option<Classification>,
}

/// Why the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum CloseReason {
    /// QUIT was answered (or the server closed after QUIT).
    Quit = 1,
    /// The server sent 421: it is shutting the channel down.
    ServiceClosing = 2,
    /// The greeting was a refusal (554, 521).
    GreetingRefused = 3,
    /// The server refused EHLO and HELO.
    HelloRefused = 4,
    /// The connection ended without QUIT.
    ConnectionLost = 5,
    /// The server broke the protocol (see the ProtocolError event before).
    ProtocolError = 6,
    /// TLS is required but the server does not offer it, or refused STARTTLS.
    TlsUnavailable = 7,
    /// The host reported that the TLS handshake failed.
    TlsFailed = 8,
}

impl CloseReason {
    pub fn name(self) -> &'static str {
        match self {
            CloseReason::Quit => "quit",
            CloseReason::ServiceClosing => "service_closing",
            CloseReason::GreetingRefused => "greeting_refused",
            CloseReason::HelloRefused => "hello_refused",
            CloseReason::ConnectionLost => "connection_lost",
            CloseReason::ProtocolError => "protocol_error",
            CloseReason::TlsUnavailable => "tls_unavailable",
            CloseReason::TlsFailed => "tls_failed",
        }
    }
}

/// What happened; pull them with [`Session::next_event`].
#[derive(Clone, Debug)]
pub enum Event {
    /// A reply arrived, answering `command` (every reply gives one, before any other event it
    /// causes). `unexpected` is true when RFC 5321 §4.3.2 does not list the code for the command.
    Reply {
        command: Command,
        reply: OwnedReply,
        classification: Classification,
        unexpected: bool,
    },
    /// The server's greeting (220).
    Greeting {
        reply: OwnedReply,
    },
    /// EHLO (or HELO) succeeded; the capabilities are in [`Session::capabilities`]. Comes again
    /// after STARTTLS.
    Ready,
    /// The server said 220 to STARTTLS: do the TLS handshake now, then call
    /// [`Session::tls_established`] (or [`Session::tls_failed`]).
    StartTls,
    /// A 334 challenge during AUTH (decoded from base64 when it is base64).
    AuthChallenge {
        challenge: Vec<u8>,
    },
    AuthSucceeded {
        mechanism: Mechanism,
    },
    AuthFailed {
        reply: OwnedReply,
        classification: Classification,
    },
    RecipientAccepted {
        index: usize,
        address: String,
    },
    RecipientRejected {
        index: usize,
        address: String,
        reply: OwnedReply,
        classification: Classification,
    },
    /// Send the body now ([`Session::send_body`], then [`Session::end_body`]).
    ReadyForBody,
    /// The server took responsibility for the message.
    MessageAccepted {
        reply: OwnedReply,
        queue_id: Option<String>,
        recipients: Vec<RecipientResult>,
    },
    /// The message was not sent. `reply` is the reply that refused it (None when no recipient
    /// was accepted, or the connection was lost); `classification` says why.
    MessageRejected {
        reply: Option<OwnedReply>,
        classification: Classification,
        recipients: Vec<RecipientResult>,
    },
    /// The server broke the protocol; the session closes.
    ProtocolError {
        message: String,
    },
    /// The session is over.
    Closed {
        reason: CloseReason,
    },
}

/// The host called an action the session cannot take now, or with bad arguments. Nothing was
/// changed or sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("{action} is not possible now: {state}")]
    WrongState { action: &'static str, state: &'static str },
    #[error("{which} address: {error}")]
    Address { which: &'static str, error: AddressError },
    #[error("the server does not offer {0}")]
    NotOffered(&'static str),
    #[error("the client name {0:?} is not a domain name or an address literal")]
    BadClientName(String),
    #[error("{0}")]
    BadParameter(String),
    #[error("the command would be {0} bytes long; the limit is {1}")]
    CommandTooLong(usize, usize),
    #[error("refusing to send credentials over a connection that is not encrypted (set auth_requires_tls to false to allow it)")]
    NotEncrypted,
}

/// A command waiting for its reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Pending {
    Ehlo,
    Helo,
    StartTls,
    Auth(AuthStep),
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    Bdat { last: bool },
    Rset,
    Noop,
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthStep {
    /// AUTH PLAIN/XOAUTH2 with the initial response, or AUTH LOGIN: waiting for 235 or 334.
    Start,
    /// LOGIN: user name sent.
    LoginUser,
    /// LOGIN: password sent.
    LoginPassword,
    /// PLAIN sent without initial response after an empty 334; or XOAUTH2 error acknowledged.
    Final,
}

impl Pending {
    pub(crate) fn command(&self) -> Command {
        match self {
            Pending::Ehlo => Command::Ehlo,
            Pending::Helo => Command::Helo,
            Pending::StartTls => Command::StartTls,
            Pending::Auth(_) => Command::Auth,
            Pending::Mail => Command::Mail,
            Pending::Rcpt(_) => Command::Rcpt,
            Pending::Data => Command::Data,
            Pending::DataEnd => Command::DataEnd,
            Pending::Bdat { .. } => Command::Bdat,
            Pending::Rset => Command::Rset,
            Pending::Noop => Command::Noop,
            Pending::Quit => Command::Quit,
        }
    }
    /// RFC 2920 §3.1 (and RFC 3207, 4954): commands after which nothing may be pipelined.
    fn ends_group(&self) -> bool {
        !matches!(self, Pending::Mail | Pending::Rcpt(_) | Pending::Rset | Pending::Bdat { .. })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Greeting,
    /// EHLO, HELO or STARTTLS in flight.
    Hello,
    TlsHandshake,
    Ready,
    Auth,
    /// MAIL, RCPT and DATA (or the first BDAT) in flight or being added.
    Envelope,
    /// The host is streaming the body.
    Body,
    /// The body is complete; waiting for the final reply.
    DataEnd,
    Quitting,
    Closed,
}

impl Phase {
    fn describe(self) -> &'static str {
        match self {
            Phase::Greeting => "the server has not greeted yet",
            Phase::Hello => "the session is still saying hello (EHLO/HELO/STARTTLS)",
            Phase::TlsHandshake => "the TLS handshake is in progress",
            Phase::Ready => "no message is in progress",
            Phase::Auth => "authentication is in progress",
            Phase::Envelope => "a message envelope is in progress",
            Phase::Body => "the message body is being sent",
            Phase::DataEnd => "the message is waiting for its final reply",
            Phase::Quitting => "the session is quitting",
            Phase::Closed => "the session is closed",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Recipient {
    address: String,
    status: RecipientStatus,
    reply: Option<OwnedReply>,
    classification: Option<Classification>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyMode {
    Data,
    Bdat,
}

#[derive(Debug)]
pub(crate) struct Transaction {
    recipients: Vec<Recipient>,
    mode: BodyMode,
    /// MAIL accepted (None: no reply yet).
    mail_ok: Option<bool>,
    /// The host called start_data.
    data_requested: bool,
    /// DATA has been sent (DATA mode).
    data_sent: bool,
    /// The outcome was reported (MessageAccepted/MessageRejected); later replies are consequences.
    finished: bool,
    /// The server may hold transaction state: RSET when the transaction ends without a message.
    needs_rset: bool,
    smtputf8: bool,
    data: DataEncoder,
    bdat: BdatEncoder,
}

impl Transaction {
    fn body_stats(&self) -> BodyStats {
        match self.mode {
            BodyMode::Data => self.data.stats,
            BodyMode::Bdat => self.bdat.stats,
        }
    }
}

/// A sans-I/O SMTP client session.
pub struct Session {
    config: SessionConfig,
    phase: Phase,
    stream: ReplyStream,
    out: Vec<u8>,
    out_start: usize,
    /// Commands sent and waiting for replies, oldest first.
    in_flight: VecDeque<Pending>,
    /// Commands waiting to be sent (when pipelining does not allow them yet).
    outbox: VecDeque<(Pending, Vec<u8>)>,
    events: VecDeque<Event>,
    capabilities: Option<Capabilities>,
    tls_active: bool,
    authenticated: Option<Mechanism>,
    credentials: Option<Credentials>,
    txn: Option<Transaction>,
    /// Why the session will close once QUIT is answered.
    close_after_quit: CloseReason,
    /// Body statistics of the last transaction, once it is gone.
    last_body_stats: Option<BodyStats>,
}

fn check_client_name(name: &str) -> Result<(), UsageError> {
    let bad = || UsageError::BadClientName(name.to_string());
    if name.is_empty() || name.len() > 255 || name.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad());
    }
    // A domain or an address literal: reuse the mailbox checker's domain rules.
    check_mailbox(format!("x@{name}").as_bytes(), false).map_err(|_| bad())
}

impl Session {
    /// A session that waits for the server's greeting.
    pub fn new(config: SessionConfig) -> Result<Session, UsageError> {
        check_client_name(&config.client_name)?;
        let stream =
            ReplyStream::new(config.parser).map_err(|e| UsageError::BadParameter(format!("parser options: {e}")))?;
        Ok(Session {
            tls_active: config.tls_active,
            config,
            phase: Phase::Greeting,
            stream,
            out: Vec::new(),
            out_start: 0,
            in_flight: VecDeque::new(),
            outbox: VecDeque::new(),
            events: VecDeque::new(),
            capabilities: None,
            authenticated: None,
            credentials: None,
            txn: None,
            close_after_quit: CloseReason::Quit,
            last_body_stats: None,
        })
    }

    // ---- input and output ----

    /// Feeds bytes received from the server. Events come out of [`next_event`](Self::next_event).
    pub fn receive(&mut self, data: &[u8]) {
        if self.phase == Phase::Closed {
            return;
        }
        if self.phase == Phase::TlsHandshake {
            // Nothing may arrive between the 220 to STARTTLS and the handshake.
            self.protocol_error(
                "the server sent clear-text data after agreeing to STARTTLS (a command injection attempt?)",
            );
            return;
        }
        if let Err(e) = self.stream.feed(data) {
            self.protocol_error(&format!("the server sent too much without completing a reply ({e})"));
            return;
        }
        loop {
            let reply = match self.stream.next_reply() {
                Ok(Some(r)) => OwnedReply::from_reply(&r),
                Ok(None) => break,
                Err(e) => {
                    self.protocol_error(&format!("the server sent something that is not a reply: {e}"));
                    return;
                }
            };
            self.handle_reply(reply);
            if self.phase == Phase::Closed {
                return;
            }
        }
    }

    /// The connection was closed by the server (or lost).
    pub fn receive_eof(&mut self) {
        match self.phase {
            Phase::Closed => {}
            // The server closed after QUIT was sent: the end we asked for.
            Phase::Quitting if self.in_flight.front() == Some(&Pending::Quit) => self.close(self.close_after_quit),
            _ => {
                // RFC 5321 §3.8: treat a lost connection as a 451 for what was in progress.
                self.fail_transaction_synthetic(b"451 4.4.2 The connection was lost before the server replied");
                self.close(CloseReason::ConnectionLost);
            }
        }
    }

    /// The next event, if any.
    pub fn next_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Bytes to send to the server.
    pub fn pending_output(&self) -> &[u8] {
        &self.out[self.out_start..]
    }

    /// Reports that the first `n` bytes of [`pending_output`](Self::pending_output) were sent.
    pub fn advance_output(&mut self, n: usize) {
        self.out_start = (self.out_start + n).min(self.out.len());
        if self.out_start == self.out.len() {
            self.out.clear();
            self.out_start = 0;
        }
    }

    /// How long to wait for the server now (RFC 5321 §4.5.3.2), or `None` when the session is
    /// not waiting for it.
    pub fn timeout(&self) -> Option<Duration> {
        let minutes = |m: u64| Some(Duration::from_secs(60 * m));
        match self.phase {
            Phase::Closed | Phase::TlsHandshake => None,
            Phase::Greeting => minutes(5),
            Phase::Body => minutes(3),
            _ => match self.in_flight.front() {
                None => None,
                Some(Pending::Data) => minutes(2),
                Some(Pending::DataEnd) | Some(Pending::Bdat { last: true }) => minutes(10),
                Some(Pending::Bdat { last: false }) => minutes(3),
                Some(_) => minutes(5),
            },
        }
    }

    /// The capabilities of the last successful EHLO (empty after HELO); `None` before.
    pub fn capabilities(&self) -> Option<&Capabilities> {
        self.capabilities.as_ref()
    }

    /// Whether the connection is encrypted (as reported by the host).
    pub fn is_tls(&self) -> bool {
        self.tls_active
    }

    /// The mechanism of a successful AUTH.
    pub fn authenticated(&self) -> Option<Mechanism> {
        self.authenticated
    }

    /// Whether the session has ended.
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// Whether the session is idle and ready for a new message.
    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Ready && self.in_flight.is_empty()
    }

    /// What the body encoder did for the current message, or for the last one once it is over;
    /// `None` before the first message.
    pub fn body_stats(&self) -> Option<BodyStats> {
        self.txn.as_ref().map(Transaction::body_stats).or(self.last_body_stats)
    }

    // ---- actions ----

    fn wrong(&self, action: &'static str) -> UsageError {
        UsageError::WrongState { action, state: self.phase.describe() }
    }

    fn offered(&self, e: Extension) -> bool {
        self.capabilities.as_ref().is_some_and(|c| c.extensions().contains(e))
    }

    fn pipelining(&self) -> bool {
        self.config.pipelining && self.offered(Extension::Pipelining)
    }

    /// The host finished the TLS handshake after [`Event::StartTls`]: EHLO again, with the old
    /// capabilities forgotten (RFC 3207 §4.2).
    pub fn tls_established(&mut self) -> Result<(), UsageError> {
        if self.phase != Phase::TlsHandshake {
            return Err(self.wrong("tls_established"));
        }
        self.tls_active = true;
        self.capabilities = None;
        self.stream.clear();
        self.phase = Phase::Hello;
        self.send_command(Pending::Ehlo, format!("EHLO {}", self.config.client_name).into_bytes());
        Ok(())
    }

    /// The host's TLS handshake failed: the session is over (the connection is in an unknown
    /// state; close it).
    pub fn tls_failed(&mut self) -> Result<(), UsageError> {
        if self.phase != Phase::TlsHandshake {
            return Err(self.wrong("tls_failed"));
        }
        self.close(CloseReason::TlsFailed);
        Ok(())
    }

    /// Authenticates with AUTH (RFC 4954), when ready. The mechanism is the one asked for, or the
    /// best the server offers (PLAIN, then LOGIN).
    pub fn authenticate(&mut self, credentials: Credentials) -> Result<(), UsageError> {
        if !self.is_ready() {
            return Err(self.wrong("authenticate"));
        }
        if self.authenticated.is_some() {
            return Err(UsageError::WrongState {
                action: "authenticate",
                state: "the session is already authenticated",
            });
        }
        let caps = self.capabilities.as_ref().ok_or(UsageError::NotOffered("AUTH"))?;
        if !caps.extensions().contains(Extension::Auth) {
            return Err(UsageError::NotOffered("AUTH"));
        }
        if self.config.auth_requires_tls && !self.tls_active {
            return Err(UsageError::NotEncrypted);
        }
        for (what, v) in [("user name", &credentials.user), ("secret", &credentials.secret)] {
            if v.is_empty() || v.bytes().any(|b| b == 0 || b == b'\r' || b == b'\n') {
                return Err(UsageError::BadParameter(format!("the {what} is empty or contains NUL, CR or LF")));
            }
        }
        let mechanism = match credentials.mechanism {
            Some(m) if caps.supports_auth(m.name()) => m,
            Some(m) => return Err(UsageError::NotOffered(m.name())),
            None if caps.supports_auth("PLAIN") => Mechanism::Plain,
            None if caps.supports_auth("LOGIN") => Mechanism::Login,
            None => return Err(UsageError::NotOffered("AUTH PLAIN or LOGIN")),
        };
        let line = match mechanism {
            Mechanism::Plain => format!("AUTH PLAIN {}", auth::plain_response(&credentials.user, &credentials.secret)),
            Mechanism::Login => "AUTH LOGIN".to_string(),
            Mechanism::XOAuth2 => {
                format!("AUTH XOAUTH2 {}", auth::xoauth2_response(&credentials.user, &credentials.secret))
            }
        };
        // RFC 4954 §4: AUTH lines may be far longer than 512 octets; 12288 is enough.
        if line.len() + 2 > 12288 {
            return Err(UsageError::CommandTooLong(line.len() + 2, 12288));
        }
        self.credentials = Some(Credentials { mechanism: Some(mechanism), ..credentials });
        self.phase = Phase::Auth;
        self.send_command(Pending::Auth(AuthStep::Start), line.into_bytes());
        Ok(())
    }

    /// Begins a message: MAIL FROM with its parameters. `from` is the sender without angle
    /// brackets, or empty for the null reverse-path `<>` (bounces).
    pub fn send_mail(&mut self, from: &str, options: &MailOptions) -> Result<(), UsageError> {
        if !self.is_ready() {
            return Err(self.wrong("send_mail"));
        }
        let needs_utf8 = !address::is_ascii(from.as_bytes()) || options.smtputf8;
        if needs_utf8 && !self.offered(Extension::SmtpUtf8) {
            if from.is_ascii() {
                return Err(UsageError::NotOffered("SMTPUTF8"));
            }
            return Err(UsageError::Address { which: "sender", error: AddressError::NeedsSmtpUtf8 });
        }
        if !from.is_empty() {
            check_mailbox(from.as_bytes(), needs_utf8)
                .map_err(|error| UsageError::Address { which: "sender", error })?;
        }
        let mut line = format!("MAIL FROM:<{from}>");
        let mut limit = 512;
        if let (Some(size), true) = (options.size, self.offered(Extension::Size)) {
            if let Some(SizeLimit::Limit(max)) = self.capabilities.as_ref().map(|c| c.size()) {
                if size > max {
                    return Err(UsageError::BadParameter(format!(
                        "the message is {size} octets; the server accepts at most {max} (SIZE)"
                    )));
                }
            }
            line.push_str(&format!(" SIZE={size}"));
            limit += 26;
        }
        let mode = match options.body {
            BodyType::SevenBit => BodyMode::Data,
            BodyType::EightBitMime => {
                if !self.offered(Extension::EightBitMime) {
                    return Err(UsageError::NotOffered("8BITMIME"));
                }
                line.push_str(" BODY=8BITMIME");
                BodyMode::Data
            }
            BodyType::BinaryMime => {
                if !self.offered(Extension::BinaryMime) || !self.offered(Extension::Chunking) {
                    return Err(UsageError::NotOffered("BINARYMIME with CHUNKING"));
                }
                line.push_str(" BODY=BINARYMIME");
                limit += 16;
                BodyMode::Bdat
            }
        };
        let mode = if mode == BodyMode::Data && self.config.chunking && self.offered(Extension::Chunking) {
            BodyMode::Bdat
        } else {
            mode
        };
        if needs_utf8 {
            line.push_str(" SMTPUTF8");
            limit += 10;
        }
        // DSN options are checked whether or not the server offers DSN: a bad value is the
        // host's mistake either way.
        if let Some(envid) = &options.dsn_envid {
            if envid.is_empty() || envid.chars().count() > 100 {
                return Err(UsageError::BadParameter("ENVID must be 1 to 100 characters (RFC 3461 §4.4)".into()));
            }
        }
        if self.offered(Extension::Dsn) {
            if let Some(ret) = options.dsn_return {
                line.push_str(if ret == DsnReturn::Full { " RET=FULL" } else { " RET=HDRS" });
            }
            if let Some(envid) = &options.dsn_envid {
                line.push_str(&format!(" ENVID={}", xtext(envid.as_bytes())));
            }
        }
        if line.len() + 2 > limit {
            return Err(UsageError::CommandTooLong(line.len() + 2, limit));
        }
        let canonical = options.body != BodyType::BinaryMime;
        self.txn = Some(Transaction {
            recipients: Vec::new(),
            mode,
            mail_ok: None,
            data_requested: false,
            data_sent: false,
            finished: false,
            needs_rset: false,
            smtputf8: needs_utf8,
            data: DataEncoder::new(),
            bdat: BdatEncoder::new(canonical),
        });
        self.phase = Phase::Envelope;
        self.send_command(Pending::Mail, line.into_bytes());
        Ok(())
    }

    /// Adds a recipient (RCPT TO). Returns its index in the message's recipient list.
    pub fn add_recipient(&mut self, to: &str, options: &RcptOptions) -> Result<usize, UsageError> {
        let utf8 = match &self.txn {
            Some(t) if self.phase == Phase::Envelope && !t.data_requested && !t.finished => t.smtputf8,
            _ => return Err(self.wrong("add_recipient")),
        };
        if !address::is_ascii(to.as_bytes()) && !utf8 {
            // UTF-8 recipients need SMTPUTF8 on MAIL FROM (MailOptions::smtputf8).
            return Err(UsageError::Address { which: "recipient", error: AddressError::NeedsSmtpUtf8 });
        }
        check_mailbox(to.as_bytes(), utf8).map_err(|error| UsageError::Address { which: "recipient", error })?;
        let mut line = format!("RCPT TO:<{to}>");
        let mut limit = 512;
        // Checked whether or not the server offers DSN (see send_mail).
        let notify = match options.notify {
            None => None,
            Some(n) => {
                let words: Vec<&str> = [(n.success, "SUCCESS"), (n.failure, "FAILURE"), (n.delay, "DELAY")]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, w)| *w)
                    .collect();
                match (n.never, words.is_empty()) {
                    (true, true) => Some("NEVER".to_string()),
                    (false, false) => Some(words.join(",")),
                    _ => {
                        return Err(UsageError::BadParameter(
                            "NOTIFY is NEVER alone, or a non-empty set of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1)"
                                .into(),
                        ))
                    }
                }
            }
        };
        if let Some(orcpt) = &options.orcpt {
            if orcpt.is_empty() || orcpt.chars().count() > 500 {
                return Err(UsageError::BadParameter("ORCPT must be 1 to 500 characters (RFC 3461 §4.2)".into()));
            }
        }
        if self.offered(Extension::Dsn) {
            if let Some(value) = notify {
                line.push_str(&format!(" NOTIFY={value}"));
            }
            if let Some(orcpt) = &options.orcpt {
                line.push_str(&format!(" ORCPT=rfc822;{}", xtext(orcpt.as_bytes())));
                limit += 500;
            }
        }
        if line.len() + 2 > limit {
            return Err(UsageError::CommandTooLong(line.len() + 2, limit));
        }
        let txn = self.txn.as_mut().expect("checked above");
        let index = txn.recipients.len();
        txn.recipients.push(Recipient {
            address: to.to_string(),
            status: RecipientStatus::Pending,
            reply: None,
            classification: None,
        });
        self.send_command(Pending::Rcpt(index), line.into_bytes());
        Ok(index)
    }

    /// Asks to send the body after the recipients: DATA (pipelined with them when the server
    /// allows), or BDAT. [`Event::ReadyForBody`] says when to start.
    pub fn start_data(&mut self) -> Result<(), UsageError> {
        let pipelining = self.pipelining();
        let all_or_nothing = self.config.all_or_nothing;
        let txn = match &mut self.txn {
            Some(t) if self.phase == Phase::Envelope && !t.data_requested && !t.finished => t,
            _ => return Err(self.wrong("start_data")),
        };
        if txn.recipients.is_empty() {
            return Err(UsageError::WrongState { action: "start_data", state: "no recipient has been added" });
        }
        txn.data_requested = true;
        if txn.mode == BodyMode::Data && pipelining && !all_or_nothing {
            txn.data_sent = true;
            self.send_command(Pending::Data, b"DATA".to_vec());
        } else {
            self.maybe_proceed_to_body();
        }
        Ok(())
    }

    /// Sends a chunk of the message (headers and body, any line endings) after
    /// [`Event::ReadyForBody`]. After the message failed, chunks are dropped.
    pub fn send_body(&mut self, chunk: &[u8]) -> Result<(), UsageError> {
        if self.phase != Phase::Body {
            return Err(self.wrong("send_body"));
        }
        let txn = self.txn.as_mut().expect("a body belongs to a transaction");
        if txn.finished {
            return Ok(());
        }
        match txn.mode {
            BodyMode::Data => txn.data.push(chunk, &mut self.out),
            BodyMode::Bdat => {
                let bytes = txn.bdat.push(chunk);
                if !bytes.is_empty() {
                    let mut cmd = format!("BDAT {}\r\n", bytes.len()).into_bytes();
                    cmd.extend_from_slice(&bytes);
                    self.send_raw_command(Pending::Bdat { last: false }, cmd);
                }
            }
        }
        Ok(())
    }

    /// Ends the body: the terminating `<CRLF>.<CRLF>` (exactly once), or `BDAT n LAST`.
    pub fn end_body(&mut self) -> Result<(), UsageError> {
        if self.phase != Phase::Body {
            return Err(self.wrong("end_body"));
        }
        let txn = self.txn.as_mut().expect("a body belongs to a transaction");
        self.phase = Phase::DataEnd;
        if txn.finished {
            self.after_transaction();
            return Ok(());
        }
        match txn.mode {
            BodyMode::Data => {
                txn.data.finish(&mut self.out);
                self.in_flight.push_back(Pending::DataEnd);
            }
            BodyMode::Bdat => {
                let rest = txn.bdat.finish();
                let mut cmd = format!("BDAT {} LAST\r\n", rest.len()).into_bytes();
                cmd.extend_from_slice(&rest);
                self.send_raw_command(Pending::Bdat { last: true }, cmd);
            }
        }
        Ok(())
    }

    /// Abandons the message in progress with RSET (not possible in the middle of a DATA body,
    /// where RSET would be part of the message).
    pub fn reset(&mut self) -> Result<(), UsageError> {
        match self.phase {
            Phase::Ready | Phase::Envelope | Phase::Body => self.check_not_in_data("reset")?,
            _ => return Err(self.wrong("reset")),
        }
        if let Some(t) = self.txn.as_mut() {
            t.finished = true;
        }
        self.outbox.retain(|(p, _)| !matches!(p, Pending::Bdat { .. } | Pending::Rcpt(_) | Pending::Data));
        self.drop_transaction();
        self.phase = Phase::Ready;
        self.send_command(Pending::Rset, b"RSET".to_vec());
        Ok(())
    }

    /// Sends NOOP (keeps an idle connection alive).
    pub fn noop(&mut self) -> Result<(), UsageError> {
        if !self.is_ready() {
            return Err(self.wrong("noop"));
        }
        self.send_command(Pending::Noop, b"NOOP".to_vec());
        Ok(())
    }

    /// Ends the session with QUIT.
    ///
    /// After [`end_body`](Self::end_body) the message is not abandoned: QUIT follows its final
    /// reply, whose outcome is reported as usual. Any other message in progress is abandoned
    /// without an outcome event (as with [`reset`](Self::reset)). Refused inside a DATA body, once
    /// DATA is on the wire (the server will expect the message: send it, or close the
    /// connection), while STARTTLS is unanswered and before the greeting.
    pub fn quit(&mut self) -> Result<(), UsageError> {
        match self.phase {
            Phase::Closed | Phase::Quitting | Phase::Greeting | Phase::TlsHandshake => return Err(self.wrong("quit")),
            _ => self.check_not_in_data("quit")?,
        }
        if self.in_flight.contains(&Pending::StartTls) {
            return Err(UsageError::WrongState { action: "quit", state: "STARTTLS is waiting for its reply" });
        }
        if self.phase != Phase::DataEnd {
            // Abandon what was not sent yet; the body of a finished message still goes out.
            self.outbox.clear();
            if let Some(t) = self.txn.as_mut() {
                t.finished = true;
            }
        }
        self.phase = Phase::Quitting;
        self.send_command(Pending::Quit, b"QUIT".to_vec());
        Ok(())
    }

    /// RSET and QUIT would be read as message text inside a DATA body, or once DATA is on the
    /// wire (its 354 turns everything that follows into the message).
    fn check_not_in_data(&self, action: &'static str) -> Result<(), UsageError> {
        let Some(t) = self.txn.as_ref() else { return Ok(()) };
        if t.mode == BodyMode::Data && self.phase == Phase::Body {
            return Err(UsageError::WrongState { action, state: "a DATA body is being sent (end it first)" });
        }
        if t.data_sent && self.phase == Phase::Envelope && !t.finished {
            return Err(UsageError::WrongState {
                action,
                state: "DATA is on the wire and the server will expect the message (send it, or close the connection)",
            });
        }
        Ok(())
    }

    // ---- internals shared with replies.rs ----

    /// Queues a command line (CRLF added) and sends what pipelining allows.
    pub(crate) fn send_command(&mut self, pending: Pending, mut line: Vec<u8>) {
        debug_assert!(
            !line.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0),
            "commands are validated before they are built"
        );
        line.extend_from_slice(b"\r\n");
        self.send_raw_command(pending, line);
    }

    /// Queues a command whose bytes are complete (BDAT with its chunk).
    pub(crate) fn send_raw_command(&mut self, pending: Pending, bytes: Vec<u8>) {
        self.outbox.push_back((pending, bytes));
        self.pump();
    }

    /// Moves queued commands to the output as RFC 2920 allows: with PIPELINING, anything that
    /// does not follow a group-ending command still unanswered; without it, one at a time.
    pub(crate) fn pump(&mut self) {
        let pipelining = self.pipelining();
        while let Some((pending, _)) = self.outbox.front() {
            let may_send = self.in_flight.is_empty()
                || (pipelining && !self.in_flight.iter().any(Pending::ends_group) && !matches!(pending, Pending::Quit));
            if !may_send {
                break;
            }
            let (pending, bytes) = self.outbox.pop_front().expect("front exists");
            self.out.extend_from_slice(&bytes);
            self.in_flight.push_back(pending);
        }
    }

    /// Forgets the transaction, keeping its body statistics for [`Session::body_stats`].
    pub(crate) fn drop_transaction(&mut self) {
        if let Some(t) = self.txn.take() {
            self.last_body_stats = Some(t.body_stats());
        }
    }

    pub(crate) fn emit(&mut self, e: Event) {
        self.events.push_back(e);
    }

    pub(crate) fn protocol_error(&mut self, message: &str) {
        self.fail_transaction_synthetic(b"451 4.5.0 The server broke the SMTP protocol");
        self.emit(Event::ProtocolError { message: message.to_string() });
        self.close(CloseReason::ProtocolError);
    }

    pub(crate) fn close(&mut self, reason: CloseReason) {
        if self.phase == Phase::Closed {
            return;
        }
        self.phase = Phase::Closed;
        self.in_flight.clear();
        self.outbox.clear();
        // Nothing is sent after the end: unsent commands would only meet a closed connection.
        self.out.clear();
        self.out_start = 0;
        self.emit(Event::Closed { reason });
    }

    /// Reports an open transaction as deferred with a synthetic reply (connection lost, 421,
    /// protocol error: RFC 5321 §3.8 treats them as 451).
    pub(crate) fn fail_transaction_synthetic(&mut self, text: &[u8]) {
        let Some(txn) = self.txn.as_mut() else { return };
        if txn.finished {
            return;
        }
        txn.finished = true;
        let classification = classify(text, Some(Command::DataEnd));
        // Accepted and unanswered recipients share the message's fate: deferred, for the
        // synthetic reason (their own 250, if any, no longer decides anything).
        let recipients = txn
            .recipients
            .iter()
            .map(|r| match r.status {
                RecipientStatus::Rejected | RecipientStatus::Deferred => RecipientResult {
                    address: r.address.clone(),
                    status: r.status,
                    reply: r.reply.clone(),
                    classification: r.classification,
                },
                RecipientStatus::Accepted | RecipientStatus::Pending => RecipientResult {
                    address: r.address.clone(),
                    status: RecipientStatus::Deferred,
                    reply: None,
                    classification: Some(classification),
                },
            })
            .collect();
        self.emit(Event::MessageRejected { reply: None, classification, recipients });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_names() {
        for ok in ["client.example.org", "localhost", "[192.0.2.1]", "[IPv6:2001:db8::1]"] {
            assert!(check_client_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "x\r\nMAIL FROM:<a@b>", "under_score.example", "-bad.example", "[300.0.0.1]"] {
            assert!(check_client_name(bad).is_err(), "{bad:?}");
        }
    }
}
