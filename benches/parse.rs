//! Reply parsing: smtpreply against smtp-proto 0.2 and lettre 0.11, in one process, on the same
//! realistic ~1 MB stream (single-line replies, 10-line EHLO replies, 4-line Gmail-style
//! rejections), plus EHLO capability parsing. Counts heap allocations per reply with a counting
//! global allocator.
//!
//! Run: `cargo bench --bench parse` (add `-- --quick` for a fast look).
//!
//! How each peer is driven:
//! - smtpreply: `parse_reply` walks the buffer (pipelining by `consumed()`); the "+lines" variant
//!   also visits every line's text, which is what a caller does with the reply.
//! - smtp-proto: `ResponseReceiver::parse` over the buffer's byte iterator, `reset()` after each
//!   reply (its documented use); each reply is a `Response<String>` (code, enhanced code, text).
//! - lettre: `Response::from_str` is its only public parser and ignores bytes after the first
//!   reply, so it cannot walk a stream: it gets the replies pre-split (an advantage).

use criterion::{criterion_group, Criterion, Throughput};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SINGLE: &[&str] = &[
    "250 2.1.0 Ok\r\n",
    "250 2.1.5 Ok\r\n",
    "354 End data with <CR><LF>.<CR><LF>\r\n",
    "250 2.0.0 Ok: queued as 4XyZ1234abc\r\n",
    "221 2.0.0 Bye\r\n",
    "220 mx.example.com ESMTP Postfix (Debian/GNU)\r\n",
    "451 4.7.1 Service unavailable - try again later\r\n",
    "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table\r\n",
];

const EHLO: &str = "250-mx.google.com at your service, [203.0.113.7]\r\n250-SIZE 157286400\r\n\
250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n\
250-SMTPUTF8\r\n250-DSN\r\n250 AUTH LOGIN PLAIN XOAUTH2\r\n";

const GMAIL: &str = "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n\
550-5.1.1 double-checking the recipient's email address for typos or\r\n\
550-5.1.1 unnecessary spaces. For more information, go to\r\n\
550 5.1.1  https://support.google.com/mail/?p=NoSuchUser d2si1234567qkb.42 - gsmtp\r\n";

/// About 1 MB: for every 10 replies, 8 single-line, 1 EHLO, 1 Gmail rejection.
fn stream() -> (Vec<u8>, Vec<&'static str>) {
    let mut buf = Vec::new();
    let mut replies = Vec::new();
    let mut i = 0;
    while buf.len() < 1_000_000 {
        let r = match i % 10 {
            3 => EHLO,
            7 => GMAIL,
            k => SINGLE[(k + i / 10) % SINGLE.len()],
        };
        buf.extend_from_slice(r.as_bytes());
        replies.push(r);
        i += 1;
    }
    (buf, replies)
}

fn run_smtpreply(buf: &[u8]) -> u64 {
    let opts = smtpreply::reply::ParserOptions::default();
    let mut at = 0;
    let mut sum = 0u64;
    while let Ok(Some(r)) = smtpreply::reply::parse_reply(&buf[at..], &opts) {
        at += r.consumed();
        sum += r.code() as u64 + r.enhanced().map_or(0, |e| e.detail as u64);
    }
    sum
}

fn run_smtpreply_lines(buf: &[u8]) -> u64 {
    let opts = smtpreply::reply::ParserOptions::default();
    let mut at = 0;
    let mut sum = 0u64;
    while let Ok(Some(r)) = smtpreply::reply::parse_reply(&buf[at..], &opts) {
        at += r.consumed();
        sum += r.code() as u64 + r.enhanced().map_or(0, |e| e.detail as u64);
        for line in r.lines() {
            sum += line.text().len() as u64;
        }
    }
    sum
}

fn run_smtp_proto(buf: &[u8]) -> u64 {
    let mut rx = smtp_proto::response::parser::ResponseReceiver::default();
    let mut it = buf.iter();
    let mut sum = 0u64;
    while let Ok(r) = rx.parse(&mut it) {
        sum += r.code as u64 + r.esc[2] as u64 + r.message.len() as u64;
        rx.reset();
    }
    sum
}

fn run_lettre(replies: &[&str]) -> u64 {
    let mut sum = 0u64;
    for s in replies {
        let r = lettre::transport::smtp::response::Response::from_str(s).expect("lettre parses it");
        sum += r.message().map(|m| m.len() as u64).sum::<u64>() + r.code().severity as u64;
    }
    sum
}

fn count_replies(buf: &[u8]) -> usize {
    let mut n = 0;
    smtpreply::reply::parse_replies(buf, &Default::default(), |_| n += 1).unwrap();
    n
}

/// Heap allocations per reply for one pass, outside the timing.
fn allocations_per_reply(n: usize, f: impl FnOnce() -> u64) -> f64 {
    let before = ALLOCS.load(Ordering::Relaxed);
    black_box(f());
    (ALLOCS.load(Ordering::Relaxed) - before) as f64 / n as f64
}

fn bench_parse(c: &mut Criterion) {
    let (buf, replies) = stream();
    let n = count_replies(&buf);
    assert_eq!(n, replies.len());
    // Every parser must see the same replies, or the comparison means nothing.
    assert!(run_smtp_proto(&buf) > 0 && run_lettre(&replies) > 0);
    let mut check_proto = smtp_proto::response::parser::ResponseReceiver::default();
    let mut it = buf.iter();
    let mut proto_n = 0;
    while check_proto.parse(&mut it).is_ok() {
        check_proto.reset();
        proto_n += 1;
    }
    assert_eq!(proto_n, n, "smtp-proto must find the same replies");

    println!(
        "stream: {} bytes, {} replies; allocations per reply: smtpreply {:.3}, smtpreply+lines {:.3}, smtp-proto {:.3}, lettre {:.3}",
        buf.len(),
        n,
        allocations_per_reply(n, || run_smtpreply(&buf)),
        allocations_per_reply(n, || run_smtpreply_lines(&buf)),
        allocations_per_reply(n, || run_smtp_proto(&buf)),
        allocations_per_reply(n, || run_lettre(&replies)),
    );

    let mut g = c.benchmark_group("parse_stream");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("smtpreply", |b| b.iter(|| run_smtpreply(black_box(&buf))));
    g.bench_function("smtpreply+lines", |b| b.iter(|| run_smtpreply_lines(black_box(&buf))));
    g.bench_function("smtp-proto", |b| b.iter(|| run_smtp_proto(black_box(&buf))));
    g.bench_function("lettre (pre-split)", |b| b.iter(|| run_lettre(black_box(&replies))));
    g.finish();
}

fn bench_ehlo(c: &mut Criterion) {
    let mut g = c.benchmark_group("ehlo");
    g.throughput(Throughput::Elements(1));
    g.bench_function("smtpreply Capabilities::parse", |b| {
        b.iter(|| smtpreply::ehlo::Capabilities::parse(black_box(EHLO.as_bytes())).unwrap().len())
    });
    g.bench_function("smtp-proto EhloResponse::parse", |b| {
        b.iter(|| {
            let mut it = black_box(EHLO.as_bytes()).iter();
            smtp_proto::EhloResponse::<String>::parse(&mut it).unwrap().capabilities
        })
    });
    g.finish();
}

criterion_group!(benches, bench_parse, bench_ehlo);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
