//! A whole SMTP conversation through the sans-I/O session, against an in-memory scripted server:
//! greeting, EHLO (multi-line capabilities), MAIL FROM, 10 RCPT TO (one refused with 550 5.1.1),
//! the message (~4 KiB, LF line endings, lines starting with "."), the final 250 with a queue id,
//! QUIT and 221. One iteration is one connection: `Session::new` to `Event::Closed`.
//!
//! Run: `cargo bench --bench session` (add `-- --quick` for a fast look).
//!
//! Variants (the server's EHLO reply decides; the session uses its default configuration):
//! - `pipelining`: PIPELINING without CHUNKING. MAIL, the RCPTs and DATA go out in one write and
//!   their 12 replies come back in one read; then the body, then QUIT.
//! - `no-pipelining`: neither. One command per write, one reply per read (15 round trips after
//!   the greeting).
//! - `bdat`: PIPELINING and CHUNKING. The envelope is pipelined; the body goes as `BDAT n` plus
//!   `BDAT 0 LAST` in one write.
//!
//! How the script is made: a small rule-based server (`Server`) answers whatever the session
//! sends, command by command (DATA bodies and BDAT chunks included), and checks the message it
//! receives against the canonical message. One recorded run gives the script: (bytes the client
//! writes, bytes the server answers) per round trip. The checks below assert the exact commands,
//! the events, every recipient's outcome and the queue id outside the timed loop. The timed loop
//! replays the script and still compares every client write with the recorded one (a memcmp of
//! 4.7 KB, under 1% of the time), so a session that changes what it sends fails the benchmark
//! instead of measuring a broken conversation.
//!
//! Allocations and bytes are counted with a counting global allocator over one whole conversation,
//! outside the timing (the allocator counts only while asked to, so the timed loop does not pay
//! for the counting). It also prints where the allocations of the pipelined conversation happen.
//!
//! The STARTTLS-free EHLO reply stands for a server already on TLS or a local relay; the session
//! would otherwise ask the host for a handshake, which a benchmark cannot do.

use criterion::{criterion_group, Criterion, Throughput};
use smtpreply::session::{
    message_size, CloseReason, Event, MailOptions, RcptOptions, RecipientStatus, Session, SessionConfig,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Counts only while `COUNTING` is set, so the timed loop pays for a relaxed load per
/// allocation, not for two atomic additions (about 8% of a conversation when always on).
struct Counting;
static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(l.size() as u64, Ordering::Relaxed);
        }
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            // Count what the allocator had to find: the growth.
            BYTES.fetch_add(n.saturating_sub(l.size()) as u64, Ordering::Relaxed);
        }
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes allocated while `f` runs.
fn count<T>(f: impl FnOnce() -> T) -> (T, u64, u64) {
    let (a0, b0) = (ALLOCS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    COUNTING.store(true, Ordering::SeqCst);
    let r = f();
    COUNTING.store(false, Ordering::SeqCst);
    (r, ALLOCS.load(Ordering::Relaxed) - a0, BYTES.load(Ordering::Relaxed) - b0)
}

// ---- the conversation ----

const GREETING: &[u8] = b"220 mx.example.com ESMTP Postfix (Debian/GNU)\r\n";
const CLIENT: &str = "client.example.org";
const FROM: &str = "alice@example.org";
const RECIPIENTS: [&str; 10] = [
    "bob@example.com",
    "carol@example.com",
    "dave.old@example.com",
    "erin@example.com",
    "frank@example.com",
    "grace@example.com",
    "heidi@example.com",
    "ivan@example.com",
    "judy@example.com",
    "mallory@example.com",
];
/// The recipient the server refuses.
const REFUSED: &str = "dave.old@example.com";
const REFUSAL: &str =
    "550 5.1.1 <dave.old@example.com>: Recipient address rejected: User unknown in virtual mailbox table\r\n";
const QUEUE_ID: &str = "4XbK2n1Vq7z3Lp";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    Pipelining,
    NoPipelining,
    Bdat,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Pipelining => "pipelining",
            Variant::NoPipelining => "no-pipelining",
            Variant::Bdat => "bdat",
        }
    }
    /// The EHLO reply: Postfix-like, with or without PIPELINING and CHUNKING.
    fn ehlo_reply(self) -> Vec<u8> {
        let mut caps = vec!["mx.example.com"];
        if self != Variant::NoPipelining {
            caps.push("PIPELINING");
        }
        caps.extend(["SIZE 52428800", "VRFY", "ETRN", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8"]);
        if self == Variant::Bdat {
            caps.push("CHUNKING");
        }
        let mut out = Vec::new();
        for (i, c) in caps.iter().enumerate() {
            let sep = if i + 1 == caps.len() { ' ' } else { '-' };
            out.extend_from_slice(format!("250{sep}{c}\r\n").as_bytes());
        }
        out
    }
}

/// A ~4 KiB plain-text message with LF line endings (as a host reads it from a file), with lines
/// that start with "." (one of them a lone "."), which DATA must stuff.
fn message() -> Vec<u8> {
    let mut m = String::new();
    m.push_str("From: Alice Example <alice@example.org>\n");
    m.push_str("To: bob@example.com, carol@example.com, dave.old@example.com, erin@example.com,\n");
    m.push_str(" frank@example.com, grace@example.com, heidi@example.com, ivan@example.com,\n");
    m.push_str(" judy@example.com, mallory@example.com\n");
    m.push_str("Subject: Minutes of the November planning meeting\n");
    m.push_str("Date: Sat, 21 Nov 2026 10:00:00 +0000\n");
    m.push_str("Message-ID: <20261121100000.4711@client.example.org>\n");
    m.push_str("MIME-Version: 1.0\n");
    m.push_str("Content-Type: text/plain; charset=us-ascii\n");
    m.push_str("Content-Transfer-Encoding: 7bit\n\n");
    m.push_str("Hello all,\n\nhere are the minutes of Thursday's meeting.\n\n");
    let para = "The team reviewed the delivery figures for the quarter and agreed to move the \
                relay to the new hosts before the end of the month; the old ones stay as backup.";
    let mut i = 0;
    while m.len() < 4000 {
        i += 1;
        m.push_str(&format!("{i}. Item {i}\n"));
        // Wrap the paragraph at 72 columns.
        let mut line = String::new();
        for w in para.split(' ') {
            if line.len() + w.len() + 1 > 72 {
                m.push_str(&line);
                m.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        m.push_str(&line);
        m.push('\n');
        match i % 4 {
            0 => m.push_str(".hidden line that starts with a dot\n"),
            1 => m.push_str("..two dots\n"),
            2 => m.push_str(".\n"),
            _ => m.push_str(". a sentence after a stray full stop\n"),
        }
        m.push('\n');
    }
    m.push_str("-- \nAlice\n");
    m.into_bytes()
}

/// The message as it must arrive: CRLF line endings.
fn canonical(msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(msg.len() + msg.len() / 32);
    for &b in msg {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

// ---- the scripted server ----

/// Answers what the client sends, like a Postfix that refuses one recipient. With PIPELINING
/// it answers everything in one client write in one batch; without it, every client write must
/// hold exactly one command (or the message body).
struct Server {
    variant: Variant,
    in_data: bool,
    body: Vec<u8>,
    bdat: Vec<u8>,
    messages: Vec<Vec<u8>>,
    commands: Vec<String>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl Server {
    fn new(variant: Variant) -> Server {
        Server { variant, in_data: false, body: Vec::new(), bdat: Vec::new(), messages: Vec::new(), commands: vec![] }
    }

    fn respond(&mut self, mut input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut commands_in_write = 0;
        while !input.is_empty() {
            let end = find(input, b"\r\n").expect("every client line ends in CRLF");
            let line = &input[..end];
            input = &input[end + 2..];
            if self.in_data {
                if line == b"." {
                    self.in_data = false;
                    self.messages.push(std::mem::take(&mut self.body));
                    out.extend_from_slice(format!("250 2.0.0 Ok: queued as {QUEUE_ID}\r\n").as_bytes());
                } else {
                    // Undo the dot-stuffing (RFC 5321 §4.5.2).
                    let line = if line.first() == Some(&b'.') { &line[1..] } else { line };
                    self.body.extend_from_slice(line);
                    self.body.extend_from_slice(b"\r\n");
                }
                continue;
            }
            let text = String::from_utf8(line.to_vec()).expect("commands are ASCII");
            self.commands.push(text.clone());
            commands_in_write += 1;
            let upper = text.to_ascii_uppercase();
            if upper.starts_with("EHLO ") {
                out.extend_from_slice(&self.variant.ehlo_reply());
            } else if upper.starts_with("MAIL FROM:") {
                out.extend_from_slice(b"250 2.1.0 Ok\r\n");
            } else if upper.starts_with("RCPT TO:") {
                if text.contains(&format!("<{REFUSED}>")) {
                    out.extend_from_slice(REFUSAL.as_bytes());
                } else {
                    out.extend_from_slice(b"250 2.1.5 Ok\r\n");
                }
            } else if upper == "DATA" {
                self.in_data = true;
                out.extend_from_slice(b"354 End data with <CR><LF>.<CR><LF>\r\n");
            } else if let Some(args) = upper.strip_prefix("BDAT ") {
                assert_eq!(self.variant, Variant::Bdat, "BDAT without CHUNKING");
                let mut words = args.split(' ');
                let n: usize = words.next().unwrap().parse().expect("BDAT size");
                let last = words.next() == Some("LAST");
                self.bdat.extend_from_slice(&input[..n]);
                input = &input[n..];
                if last {
                    self.messages.push(std::mem::take(&mut self.bdat));
                    out.extend_from_slice(format!("250 2.0.0 Ok: queued as {QUEUE_ID}\r\n").as_bytes());
                } else {
                    out.extend_from_slice(format!("250 2.0.0 Ok: {n} bytes\r\n").as_bytes());
                }
            } else if upper == "RSET" {
                out.extend_from_slice(b"250 2.0.0 Ok\r\n");
            } else if upper == "QUIT" {
                out.extend_from_slice(b"221 2.0.0 Bye\r\n");
            } else {
                out.extend_from_slice(b"502 5.5.2 Error: command not recognized\r\n");
            }
        }
        if self.variant == Variant::NoPipelining {
            assert!(commands_in_write <= 1, "the client pipelined without PIPELINING");
        }
        out
    }
}

// ---- the host ----

/// A recipient's outcome as the host saw it: address, status, code of the deciding reply.
type Outcome = (String, RecipientStatus, Option<u16>);

/// What a mail host does on each event: one message to 10 recipients, then QUIT.
#[derive(Default)]
struct Host {
    /// Event names, when recording.
    log: Option<Vec<String>>,
    /// The queue id and the recipients of MessageAccepted.
    accepted: Option<(Option<String>, Vec<Outcome>)>,
    closed: Option<CloseReason>,
}

impl Host {
    fn react(&mut self, s: &mut Session, msg: &[u8], size: u64) {
        while let Some(e) = s.next_event() {
            if let Some(log) = self.log.as_mut() {
                log.push(match &e {
                    Event::Reply { command, reply, unexpected, .. } => {
                        format!("reply {} {}{}", command.name(), reply.code(), if *unexpected { "!" } else { "" })
                    }
                    Event::RecipientAccepted { index, .. } => format!("rcpt {index} ok"),
                    Event::RecipientRejected { index, reply, .. } => format!("rcpt {index} {}", reply.code()),
                    other => format!("{other:?}").split([' ', '{', '(']).next().unwrap_or("").to_string(),
                });
            }
            match e {
                Event::Ready => {
                    s.send_mail(FROM, &MailOptions { size: Some(size), ..Default::default() }).unwrap();
                    for r in RECIPIENTS {
                        s.add_recipient(r, &RcptOptions::default()).unwrap();
                    }
                    s.start_data().unwrap();
                }
                Event::ReadyForBody => {
                    s.send_body(msg).unwrap();
                    s.end_body().unwrap();
                }
                Event::MessageAccepted { queue_id, recipients, .. } => {
                    let r = recipients.into_iter().map(|r| (r.address, r.status, r.reply.map(|x| x.code()))).collect();
                    self.accepted = Some((queue_id, r));
                    s.quit().unwrap();
                }
                Event::MessageRejected { reply, .. } => {
                    panic!("message rejected: {:?}", reply.map(|r| String::from_utf8_lossy(r.raw()).into_owned()))
                }
                Event::ProtocolError { message } => panic!("protocol error: {message}"),
                Event::Closed { reason } => self.closed = Some(reason),
                _ => {}
            }
        }
    }
}

fn config() -> SessionConfig {
    // The defaults: opportunistic TLS (the server offers no STARTTLS here), pipelining and
    // chunking when offered.
    SessionConfig::new(CLIENT)
}

/// One round trip: what the client wrote, what the server answered.
struct Step {
    client: Vec<u8>,
    server: Vec<u8>,
}

/// Runs the conversation against the rule-based server and records it.
fn record(variant: Variant, msg: &[u8]) -> (Vec<Step>, Server, Host) {
    let size = message_size(msg);
    let mut server = Server::new(variant);
    let mut host = Host { log: Some(Vec::new()), ..Default::default() };
    let mut s = Session::new(config()).unwrap();
    let mut steps = Vec::new();
    s.receive(GREETING);
    loop {
        host.react(&mut s, msg, size);
        if s.is_closed() {
            break;
        }
        let client = s.pending_output().to_vec();
        assert!(!client.is_empty(), "the session waits for nothing and sends nothing");
        s.advance_output(client.len());
        let answer = server.respond(&client);
        s.receive(&answer);
        steps.push(Step { client, server: answer });
        assert!(steps.len() < 100, "runaway conversation");
    }
    assert!(s.pending_output().is_empty());
    (steps, server, host)
}

/// The timed path: replays the script, comparing every client write with the recorded one.
fn replay(steps: &[Step], msg: &[u8], size: u64) -> usize {
    let mut host = Host::default();
    let mut s = Session::new(config()).unwrap();
    s.receive(GREETING);
    for step in steps {
        host.react(&mut s, msg, size);
        let out = s.pending_output();
        assert!(out == step.client.as_slice(), "the session sent something else than recorded");
        let n = out.len();
        s.advance_output(n);
        s.receive(&step.server);
    }
    host.react(&mut s, msg, size);
    assert_eq!(host.closed, Some(CloseReason::Quit));
    host.accepted.map_or(0, |(_, r)| r.len())
}

/// Everything a correct conversation must show; panics otherwise.
fn check(variant: Variant, msg: &[u8], steps: &[Step], server: &Server, host: &Host) {
    let size = message_size(msg);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut envelope = format!("MAIL FROM:<{FROM}> SIZE={size}\r\n");
    for r in RECIPIENTS {
        envelope.push_str(&format!("RCPT TO:<{r}>\r\n"));
    }
    assert_eq!(text(&steps[0].client), format!("EHLO {CLIENT}\r\n"));
    let body_wire = match variant {
        Variant::Pipelining => {
            assert_eq!(steps.len(), 4, "EHLO, envelope+DATA, body, QUIT");
            assert_eq!(text(&steps[1].client), format!("{envelope}DATA\r\n"));
            let replies = text(&steps[1].server);
            assert_eq!(replies.matches("\r\n").count(), 12, "12 replies in one batch: {replies}");
            assert!(replies.ends_with("354 End data with <CR><LF>.<CR><LF>\r\n"));
            &steps[2].client
        }
        Variant::NoPipelining => {
            assert_eq!(steps.len(), 15, "EHLO, MAIL, 10 RCPT, DATA, body, QUIT");
            let mut cmds = String::new();
            for st in &steps[1..12] {
                cmds.push_str(&text(&st.client));
            }
            assert_eq!(cmds, envelope);
            assert_eq!(text(&steps[12].client), "DATA\r\n");
            assert_eq!(text(&steps[4].server), REFUSAL);
            &steps[13].client
        }
        Variant::Bdat => {
            assert_eq!(steps.len(), 4, "EHLO, envelope, BDAT chunks, QUIT");
            assert_eq!(text(&steps[1].client), envelope, "the session waits for the RCPT replies before BDAT");
            &steps[2].client
        }
    };
    let canonical = canonical(msg);
    match variant {
        Variant::Bdat => {
            let head = format!("BDAT {}\r\n", canonical.len());
            assert!(body_wire.starts_with(head.as_bytes()), "{}", text(&body_wire[..40]));
            assert!(body_wire.ends_with(b"BDAT 0 LAST\r\n"));
            assert_eq!(body_wire.len(), head.len() + canonical.len() + b"BDAT 0 LAST\r\n".len());
        }
        _ => {
            // Stuffed, CRLF only, one terminator at the end.
            assert!(body_wire.ends_with(b"\r\n.\r\n"));
            assert_eq!(body_wire.windows(5).filter(|w| w == b"\r\n.\r\n").count(), 1);
            assert!(find(body_wire, b"\r\n..\r\n").is_some(), "the lone '.' line is stuffed");
            for (i, &b) in body_wire.iter().enumerate() {
                assert!(b != b'\n' || body_wire[i - 1] == b'\r', "bare LF on the wire");
            }
        }
    }
    assert_eq!(server.messages, vec![canonical], "the server received the message intact");
    assert_eq!(text(&steps.last().unwrap().client), "QUIT\r\n");
    assert_eq!(text(&steps.last().unwrap().server), "221 2.0.0 Bye\r\n");

    let (queue_id, recipients) = host.accepted.as_ref().expect("the message was accepted");
    assert_eq!(queue_id.as_deref(), Some(QUEUE_ID));
    assert_eq!(recipients.len(), 10);
    for (addr, status, code) in recipients {
        if addr == REFUSED {
            assert_eq!((*status, *code), (RecipientStatus::Rejected, Some(550)), "{addr}");
        } else {
            assert_eq!((*status, *code), (RecipientStatus::Accepted, Some(250)), "{addr}");
        }
    }
    assert_eq!(host.closed, Some(CloseReason::Quit));
    let log = host.log.as_ref().unwrap();
    assert!(!log.iter().any(|e| e.ends_with('!')), "a reply the RFC does not list: {log:?}");
    let must = ["Greeting", "Ready", "rcpt 2 550", "ReadyForBody", "MessageAccepted", "reply QUIT 221", "Closed"];
    let mut at = 0;
    for m in must {
        at += log[at..].iter().position(|e| e == m).unwrap_or_else(|| panic!("no {m:?} in order in {log:?}"));
    }
    assert_eq!(log.iter().filter(|e| e.ends_with(" ok")).count(), 9);
}

fn bench(c: &mut Criterion) {
    let msg = message();
    let size = message_size(&msg);
    println!(
        "message: {} bytes with LF endings, {} on the wire as CRLF (SIZE={size}), {} lines starting with '.'",
        msg.len(),
        canonical(&msg).len(),
        msg.split(|&b| b == b'\n').filter(|l| l.first() == Some(&b'.')).count()
    );
    println!(
        "size of an Event: {} bytes (of a Classification: {})",
        std::mem::size_of::<Event>(),
        std::mem::size_of::<smtpreply::classify::Classification>()
    );
    let variants = [Variant::Pipelining, Variant::NoPipelining, Variant::Bdat];
    let mut scripts = Vec::new();
    for v in variants {
        let (steps, server, host) = record(v, &msg);
        check(v, &msg, &steps, &server, &host);
        assert_eq!(replay(&steps, &msg, size), 10);
        // Allocations of one whole conversation (warm: the replay above ran once already).
        let (n, allocs, bytes) = count(|| replay(&steps, &msg, size));
        assert_eq!(n, 10);
        let written: usize = steps.iter().map(|s| s.client.len()).sum();
        let read: usize = GREETING.len() + steps.iter().map(|s| s.server.len()).sum::<usize>();
        println!(
            "{:>13}: {} round trips after the greeting, client wrote {written} bytes, server {read}; \
             per conversation: {} allocations, {} bytes allocated",
            v.name(),
            steps.len(),
            allocs,
            bytes,
        );
        scripts.push((v, steps));
    }
    allocation_breakdown(&scripts[0].1, &msg, size);

    let mut g = c.benchmark_group("session_transaction");
    g.throughput(Throughput::Elements(1));
    for (v, steps) in &scripts {
        g.bench_function(v.name(), |b| b.iter(|| replay(black_box(steps), black_box(&msg), size)));
    }
    g.finish();
}

/// Where the allocations of the pipelined conversation happen, round trip by round trip.
fn allocation_breakdown(steps: &[Step], msg: &[u8], size: u64) {
    let mut host = Host::default();
    let (mut s, n, _) = count(|| Session::new(config()).unwrap());
    let mut line = format!("pipelining, allocations by stage: Session::new {n}");
    let stage = |name: &str, f: &mut dyn FnMut()| format!(", {name} {}", count(f).1);
    line += &stage("greeting", &mut || {
        s.receive(GREETING);
        host.react(&mut s, msg, size);
    });
    let names = ["EHLO reply + MAIL/RCPT/DATA", "12 replies + body", "250 + QUIT", "221 + close"];
    for (i, step) in steps.iter().enumerate() {
        line += &stage(names[i], &mut || {
            let n = s.pending_output().len();
            s.advance_output(n);
            s.receive(&step.server);
            host.react(&mut s, msg, size);
        });
    }
    println!("{line}");
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
