//! The mail log reader: any bytes, any chunking, small limits.
//!
//! The first bytes choose the limits (so eviction, domain folding, queue overflow and long lines
//! happen) and a chunking seed; the rest is the log. Checks, besides "no panic":
//! - feeding the log whole and in chunks gives the same records and the same summary;
//! - the counts add up (lines by kind; recipients by status = by reason = records + dropped);
//! - the bounds hold after every chunk (open recipients and their bytes, the pending partial
//!   line);
//! - every record is sane: fields come from its line (or are cut copies), the domain comes from
//!   an address, spans lie inside the text, deliveries carry no classification;
//! - `parse_line` on every line, and the C entry point, agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::maillog::{parse_line, MailLog, Options, Record, Status, Summary};

#[derive(Debug, PartialEq)]
struct Seen {
    line: u64,
    status: Status,
    fields: Vec<Vec<u8>>,
    reason: Option<u32>,
    deferrals: u32,
    evicted: bool,
}

fn check(r: &Record<'_>) -> Seen {
    if let Some(c) = r.classification {
        let inside = |s: Option<(usize, usize)>| s.is_none_or(|(a, b)| a <= b && b <= r.text.len());
        assert!(inside(c.evidence.span), "{r:?}");
        assert!(inside(c.blocklist.and_then(|b| b.span)), "{r:?}");
    }
    assert_eq!(r.classification.is_none(), r.status == Status::Delivered, "{r:?}");
    if !r.domain.is_empty() && !r.truncated {
        let from =
            |a: &[u8]| a.len() > r.domain.len() && a.ends_with(r.domain) && a[a.len() - r.domain.len() - 1] == b'@';
        assert!(from(r.recipient) || from(r.orig_recipient), "{r:?}");
    }
    assert!(!r.queue_id.is_empty() && !r.recipient.is_empty(), "{r:?}");
    assert!(!r.evicted || r.status == Status::Deferred);
    Seen {
        line: r.line,
        status: r.status,
        fields: [
            r.timestamp,
            r.host,
            r.program,
            r.queue_id,
            r.recipient,
            r.domain,
            r.orig_recipient,
            r.relay,
            r.transport,
            r.delay,
            r.text,
        ]
        .iter()
        .map(|f| f.to_vec())
        .collect(),
        reason: r.classification.map(|c| c.reason as u32),
        deferrals: r.deferrals,
        evicted: r.evicted,
    }
}

fn sums(s: &Summary, records: usize) {
    assert_eq!(s.lines, s.lines_too_long + s.lines_other + s.postfix_lines + s.exim_lines + s.message_lines, "{s:?}");
    assert_eq!(s.recipients(), s.reasons.iter().sum::<u64>(), "{s:?}");
    assert_eq!(s.recipients(), records as u64 + s.records_dropped, "{s:?}");
    // Every recipient final as deferred was deferred by some line.
    assert!(s.deferred <= s.deferrals, "{s:?}");
}

fn run(input: &[u8], opts: Options, cuts: &[usize]) -> (Vec<Seen>, Summary) {
    let mut m = MailLog::with_options(opts).unwrap();
    let mut out = Vec::new();
    let mut at: usize = 0;
    for &n in cuts.iter().chain(std::iter::once(&usize::MAX)) {
        let end = at.saturating_add(n).min(input.len());
        m.feed(&input[at..end]).unwrap();
        assert!(m.pending() <= opts.max_line);
        let s = m.summary();
        assert!(s.open <= opts.max_open as u64, "{s:?}");
        assert!(m.open_memory() <= opts.max_open_bytes);
        while let Some(r) = m.next_record() {
            out.push(check(&r));
        }
        at = end;
        if at == input.len() {
            break;
        }
    }
    m.finish();
    while let Some(r) = m.next_record() {
        out.push(check(&r));
    }
    let s = m.summary();
    assert!(s.finished && s.open == 0);
    sums(&s, out.len());
    // Every domain row adds up to the recipients.
    assert_eq!(m.domains().iter().map(|d| d.recipients()).sum::<u64>(), s.recipients());
    assert_eq!(m.reply_groups().iter().map(|g| g.count).sum::<u64>() + s.groups_folded, s.recipients() - s.delivered);
    (out, s)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (ctl, input) = data.split_at(4);
    let opts = Options {
        max_line: 256 + (ctl[0] as usize) * 64,
        max_open: (ctl[1] % 16) as usize,
        max_open_bytes: if ctl[1] & 0x80 != 0 { 8 * 1024 } else { 1 << 20 },
        max_domains: (ctl[2] % 8) as usize,
        max_queued: 1 + (ctl[2] >> 3) as usize,
    };
    // Chunk sizes from a small generator seeded by the last control byte.
    let mut seed = ctl[3] as u32 | 1;
    let cuts: Vec<usize> = (0..64)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed % 97) as usize
        })
        .collect();

    // The queue is drained after every feed in the chunked run but only at the end of the whole
    // run: compare them with a queue large enough for both.
    let roomy = Options { max_queued: 1_000_000, ..opts };
    let whole = run(input, roomy, &[]);
    let chunked = run(input, roomy, &cuts);
    assert_eq!(whole, chunked, "chunking changed the result");
    // Small queues only drop, never change what is counted.
    let (_, small) = run(input, opts, &cuts);
    assert_eq!(Summary { records_dropped: 0, ..small }, whole.1);

    for line in input.split(|&b| b == b'\n') {
        let one = parse_line(line);
        if let Some(r) = &one {
            check(r);
            for f in [r.timestamp, r.queue_id, r.recipient, r.text, r.relay] {
                let inside = f.is_empty() || {
                    let (p, l) = (f.as_ptr() as usize, line.as_ptr() as usize);
                    p >= l && p + f.len() <= l + line.len()
                };
                assert!(inside, "a field that is not a slice of its line");
            }
        }
        // The C entry point agrees.
        let mut out = std::mem::MaybeUninit::uninit();
        let rc = unsafe {
            smtpreply::ffi::maillog::smtpreply_maillog_parse_line(line.as_ptr(), line.len(), out.as_mut_ptr())
        };
        match one {
            Some(r) => {
                assert_eq!(rc, smtpreply::ffi::smtpreply_result::SMTPREPLY_OK);
                let c = unsafe { out.assume_init() };
                assert_eq!((c.status, c.recipient_len, c.text_len), (r.status as u32, r.recipient.len(), r.text.len()));
                assert_eq!(c.has_classification, r.classification.is_some());
            }
            None => assert_eq!(rc, smtpreply::ffi::smtpreply_result::SMTPREPLY_NOT_FOUND),
        }
    }
});
