//! Mail log reading speed: a realistic ~100 MB Postfix log and a ~100 MB Exim log (generated in
//! memory by `tests/support/maillog_gen.rs`: deliveries, deferrals later delivered or expired,
//! bounces with provider replies, thousands of domains, connection/TLS/warning noise), fed in
//! 64 KiB chunks as a file reader would.
//!
//! Run: `cargo bench --bench maillog` (add `-- --quick` for a fast look). Besides criterion's
//! figures (throughput in bytes), it prints a one-shot timing of a 1 GB run (the 100 MB Postfix log
//! fed ten times to one reader), the allocations per line, and the peak memory the reader held.
//!
//! Variants: `summary` (records not queued: `max_queued = 0`, what `smtp-explain --maillog`
//! does) and `records` (every final record taken with `next_record` after each chunk).

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use smtpreply::maillog::{MailLog, Options};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[path = "../tests/support/maillog_gen.rs"]
mod maillog_gen;

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

const CHUNK: usize = 64 * 1024;
const SIZE: usize = 100 << 20;

fn summary_only() -> Options {
    Options { max_queued: 0, ..Options::default() }
}

/// Reads a whole log in chunks; returns (final recipients, records taken).
fn read(log: &[u8], options: Options, take_records: bool) -> (u64, u64) {
    let mut m = MailLog::with_options(options).unwrap();
    let mut taken = 0u64;
    for chunk in log.chunks(CHUNK) {
        m.feed(chunk).unwrap();
        if take_records {
            while let Some(r) = m.next_record() {
                black_box(&r);
                taken += 1;
            }
        }
    }
    m.finish();
    if take_records {
        while let Some(r) = m.next_record() {
            black_box(&r);
            taken += 1;
        }
    }
    (m.summary().recipients(), taken)
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}

fn one_shot_report(name: &str, log: &[u8]) {
    let lines = log.iter().filter(|&&b| b == b'\n').count();
    // Warm the classifier's automaton outside the measurement.
    read(&log[..CHUNK.min(log.len())], summary_only(), false);
    let a0 = ALLOCS.load(Ordering::Relaxed);
    let t = Instant::now();
    let mut m = MailLog::with_options(summary_only()).unwrap();
    for chunk in log.chunks(CHUNK) {
        m.feed(chunk).unwrap();
    }
    m.finish();
    let secs = t.elapsed().as_secs_f64();
    let allocs = ALLOCS.load(Ordering::Relaxed) - a0;
    let s = m.summary();
    println!(
        "{name}: {:.1} MB, {lines} lines, {} recipients ({} delivered, {} deferred, {} bounced, {} expired), \
         {} domains: {:.3} s = {:.0} MB/s; {:.4} allocations per line",
        log.len() as f64 / 1e6,
        s.recipients(),
        s.delivered,
        s.deferred,
        s.bounced,
        s.expired,
        s.domains,
        secs,
        mb_per_s(log.len(), secs),
        allocs as f64 / lines as f64
    );
}

fn gigabyte_run(log: &[u8]) {
    // The 100 MB log ten times: queue ids repeat, which changes nothing for the reader's speed
    // (each message's recipients are settled before the log repeats, or stay open, bounded).
    let mut m = MailLog::with_options(summary_only()).unwrap();
    let t = Instant::now();
    let mut peak_open = 0;
    for _ in 0..10 {
        for chunk in log.chunks(CHUNK) {
            m.feed(chunk).unwrap();
        }
        peak_open = peak_open.max(m.open_memory());
    }
    m.finish();
    let secs = t.elapsed().as_secs_f64();
    let total = log.len() * 10;
    println!(
        "1 GB run (the Postfix log x10, one reader, 64 KiB chunks): {:.2} GB in {:.2} s = {:.0} MB/s; \
         {} recipients; deferred-recipient state peaked at {:.1} MB",
        total as f64 / 1e9,
        secs,
        mb_per_s(total, secs),
        m.summary().recipients(),
        peak_open as f64 / 1e6
    );
}

fn bench(c: &mut Criterion) {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this once as a smoke test, on
    // small logs and without the 1 GB run.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let size = if benchmarking { SIZE } else { 1 << 20 };
    let t = Instant::now();
    let (postfix, _) = maillog_gen::postfix_log(size, 0x5eed);
    let (exim, _) = maillog_gen::exim_log(size, 0x5eed);
    println!(
        "generated {:.0} MB of logs in {:.1} s",
        (postfix.len() + exim.len()) as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    one_shot_report("postfix", &postfix);
    one_shot_report("exim", &exim);
    if benchmarking {
        gigabyte_run(&postfix);
    }

    let mut g = c.benchmark_group("maillog");
    g.sample_size(10);
    for (name, log) in [("postfix", &postfix), ("exim", &exim)] {
        g.throughput(Throughput::Bytes(log.len() as u64));
        g.bench_function(format!("{name} summary"), |b| {
            b.iter_batched(|| (), |_| black_box(read(log, summary_only(), false)), BatchSize::PerIteration)
        });
        g.bench_function(format!("{name} records"), |b| {
            b.iter_batched(|| (), |_| black_box(read(log, Options::default(), true)), BatchSize::PerIteration)
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
