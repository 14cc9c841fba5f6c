//! Classification speed: typical replies one at a time, and allocations per classification.
//!
//! Run: `cargo bench --bench classify`.

use criterion::{criterion_group, Criterion, Throughput};
use smtpreply::classify::classify;
use smtpreply::command::Command;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
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
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A mix of what bulk mailers see: unknown users, Gmail and Microsoft blocks, greylisting, rate
/// limits, relayed replies in their Postfix wrapper.
const REPLIES: &[&[u8]] = &[
    b"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
    b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient's email address for typos or\r\n550-5.1.1 unnecessary spaces. Learn more at\r\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567qkb.42 - gsmtp\r\n",
    b"450 4.2.0 <bob@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html",
    b"421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating\r\n421 4.7.28 from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.\r\n",
    b"550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    b"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1",
    b"host mx.example.org[203.0.113.5] said: 552 5.2.2 <carol@example.org>: Mailbox full (in reply to RCPT TO command)",
    b"550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
];

fn bench(c: &mut Criterion) {
    // Build the automaton outside the measurement.
    let _ = classify(REPLIES[0], None);
    let before = ALLOCS.load(Ordering::Relaxed);
    for r in REPLIES {
        black_box(classify(r, Some(Command::Rcpt)));
    }
    let per = (ALLOCS.load(Ordering::Relaxed) - before) as f64 / REPLIES.len() as f64;
    println!("classify: {} replies, {per:.3} allocations per classification", REPLIES.len());

    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(REPLIES.len() as u64));
    g.bench_function("mixed replies", |b| {
        b.iter(|| {
            for r in REPLIES {
                black_box(classify(black_box(r), Some(Command::Rcpt)));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("classify_one");
    g.throughput(Throughput::Elements(1));
    g.bench_function("postfix user unknown", |b| b.iter(|| classify(black_box(REPLIES[0]), None)));
    g.bench_function("gmail 4-line rejection", |b| b.iter(|| classify(black_box(REPLIES[1]), None)));
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
