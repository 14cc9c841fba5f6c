//! Mail server logs (`smtpreply::maillog`): the sample Postfix and Exim logs of
//! `tests/data/maillog/` read line by line by hand (every final outcome, its reason and the
//! counts checked), generated logs checked against their ground truth, chunking at every offset
//! and at random sizes, the bounds (domain table, deferred-recipient state, record queue, line
//! length), and bad input: a 100 MB line, binary garbage, empty input.

use smtpreply::classify::Reason;
use smtpreply::command::Command;
use smtpreply::maillog::{parse_line, Format, MailLog, Options, Status, Summary, UsageError};
use std::path::Path;

#[path = "support/maillog_gen.rs"]
mod maillog_gen;

fn data(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/maillog").join(name)).unwrap()
}

/// A final record, owned, with what the tests compare.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    line: u64,
    format: Format,
    status: Status,
    queue_id: String,
    recipient: String,
    domain: String,
    orig: String,
    relay: String,
    transport: String,
    timestamp: String,
    text: String,
    dsn: Option<String>,
    command: Option<Command>,
    reason: Option<Reason>,
    code: Option<u16>,
    deferrals: u32,
    evicted: bool,
}

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn take(m: &mut MailLog, out: &mut Vec<Seen>) {
    while let Some(r) = m.next_record() {
        out.push(Seen {
            line: r.line,
            format: r.format,
            status: r.status,
            queue_id: s(r.queue_id),
            recipient: s(r.recipient),
            domain: s(r.domain),
            orig: s(r.orig_recipient),
            relay: s(r.relay),
            transport: s(r.transport),
            timestamp: s(r.timestamp),
            text: s(r.text),
            dsn: r.dsn.map(|e| e.to_string()),
            command: r.command,
            reason: r.classification.map(|c| c.reason),
            code: r.classification.map(|c| c.code),
            deferrals: r.deferrals,
            evicted: r.evicted,
        });
    }
}

/// Reads `chunks` in order (records taken after each), finishes, returns records and summary.
fn read_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>, options: Options) -> (Vec<Seen>, Summary) {
    let mut m = MailLog::with_options(options).unwrap();
    let mut out = Vec::new();
    for c in chunks {
        m.feed(c).unwrap();
        take(&mut m, &mut out);
    }
    m.finish();
    take(&mut m, &mut out);
    (out, m.summary())
}

fn read(input: &[u8]) -> (Vec<Seen>, Summary) {
    read_chunks([input], Options::default())
}

fn find<'a>(records: &'a [Seen], rcpt: &str) -> &'a Seen {
    let mut it = records.iter().filter(|r| r.recipient == rcpt);
    let r = it.next().unwrap_or_else(|| panic!("no record for {rcpt}"));
    assert!(it.next().is_none(), "{rcpt} has more than one final record");
    r
}

/// The invariants every summary satisfies.
fn check_sums(s: &Summary, records: usize) {
    assert_eq!(s.lines, s.lines_too_long + s.lines_other + s.postfix_lines + s.exim_lines + s.message_lines, "{s:?}");
    assert_eq!(s.recipients(), s.reasons.iter().sum::<u64>(), "{s:?}");
    assert_eq!(s.recipients(), records as u64 + s.records_dropped, "{s:?}");
    if s.finished {
        assert_eq!(s.open, 0);
    }
}

#[test]
fn postfix_sample() {
    let (records, sum) = read(&data("postfix.log"));
    check_sums(&sum, records.len());
    assert_eq!((sum.lines, sum.postfix_lines, sum.message_lines, sum.lines_other), (33, 13, 8, 12));
    assert_eq!((sum.messages, sum.deferrals), (3, 4));
    assert_eq!((sum.delivered, sum.deferred, sum.bounced, sum.expired), (4, 1, 5, 1));
    assert_eq!((sum.domains, sum.domains_folded, sum.evicted, sum.records_dropped), (8, 0, 0, 0));

    let alice = find(&records, "alice@gmail.com");
    assert_eq!((alice.status, alice.line, alice.reason, alice.deferrals), (Status::Delivered, 7, None, 0));
    assert_eq!(alice.relay, "gmail-smtp-in.l.google.com[142.250.102.27]:25");
    assert_eq!(alice.text, "250 2.0.0 OK  1709456403 a640c23a62f3a-a44b3c1b2d5si1234567ejc.321 - gsmtp");
    assert_eq!(
        (alice.queue_id.as_str(), alice.timestamp.as_str(), alice.transport.as_str()),
        ("4Q9DkB1xYz", "Mar  3 09:00:03", "smtp")
    );

    let gone = find(&records, "no.such.user@gmail.com");
    assert_eq!(
        (gone.status, gone.reason, gone.code, gone.command),
        (Status::Bounced, Some(Reason::UserUnknown), Some(550), Some(Command::Rcpt))
    );
    assert_eq!(gone.dsn.as_deref(), Some("5.1.1"));

    // Greylisted, then delivered ten minutes later: one final record, the delivery.
    let bob = find(&records, "bob@greylist.example");
    assert_eq!((bob.status, bob.line, bob.deferrals, bob.reason), (Status::Delivered, 23, 1, None));

    let local = find(&records, "orders@shop.example");
    assert_eq!((local.status, local.transport.as_str(), local.relay.as_str()), (Status::Delivered, "local", "local"));
    let virt = find(&records, "Support@Shop.Example");
    assert_eq!((virt.orig.as_str(), virt.domain.as_str()), ("help@shop.example", "Shop.Example"));

    let carol = find(&records, "carol@outlook.com");
    assert_eq!((carol.status, carol.reason), (Status::Bounced, Some(Reason::UserUnknown)));

    // Deferred (connection refused), then the whole message expired: the cause is kept.
    let dave = find(&records, "dave@gone.example");
    assert_eq!((dave.status, dave.line, dave.deferrals), (Status::Expired, 28, 1));
    assert_eq!((dave.reason, dave.timestamp.as_str()), (Some(Reason::NetworkError), "Mar  8 09:05:01"));
    assert!(dave.text.ends_with("Connection refused"), "{}", dave.text);
    assert_eq!((dave.transport.as_str(), dave.dsn.as_deref()), ("error", Some("4.4.1")));

    // Deferred twice by Yahoo, never settled: final at finish, with the latest reply.
    let erin = find(&records, "erin@yahoo.com");
    assert_eq!((erin.status, erin.line, erin.deferrals), (Status::Deferred, 27, 2));
    assert_eq!((erin.reason, erin.command), (Some(Reason::RateLimited), Some(Command::Mail)));
    assert!(erin.relay.starts_with("mta5.am0.yahoodns.net"));

    assert_eq!(find(&records, "frank@blocked.example").reason, Some(Reason::Blocklisted));
    assert_eq!(find(&records, "grace@nxdomain.example").reason, Some(Reason::DomainUnknown));
    let heidi = find(&records, "heidi@shop.example");
    assert_eq!(
        (heidi.reason, heidi.command, heidi.transport.as_str()),
        (Some(Reason::MailboxFull), Some(Command::DataEnd), "lmtp")
    );

    // Final records come out as they become final.
    let order: Vec<&str> = records.iter().map(|r| r.recipient.as_str()).collect();
    assert_eq!(
        order,
        [
            "alice@gmail.com",
            "no.such.user@gmail.com",
            "orders@shop.example",
            "Support@Shop.Example",
            "carol@outlook.com",
            "bob@greylist.example",
            "dave@gone.example",
            "frank@blocked.example",
            "grace@nxdomain.example",
            "heidi@shop.example",
            "erin@yahoo.com",
        ]
    );
}

#[test]
fn postfix_sample_tables() {
    let mut m = MailLog::new();
    m.feed(&data("postfix.log")).unwrap();
    m.finish();
    assert_eq!(m.reason_count(Reason::Success), 4);
    assert_eq!(m.reason_count(Reason::UserUnknown), 2);
    assert_eq!(m.reason_count(Reason::NetworkError), 1);
    assert_eq!(m.reason_count(Reason::RateLimited), 1);
    let d = m.domains();
    // Case folded, most recipients first, then by name.
    let names: Vec<String> = d.iter().map(|x| s(x.domain)).collect();
    assert_eq!(
        names,
        [
            "shop.example",
            "gmail.com",
            "blocked.example",
            "gone.example",
            "greylist.example",
            "nxdomain.example",
            "outlook.com",
            "yahoo.com"
        ]
    );
    assert_eq!((d[0].recipients(), d[0].delivered, d[0].bounced), (3, 2, 1));
    assert_eq!(d[0].top_failure(), Some((Reason::MailboxFull, 1)));
    assert_eq!((d[1].delivered, d[1].bounced, d[1].top_failure()), (1, 1, Some((Reason::UserUnknown, 1))));
    assert_eq!(d[4].top_failure(), None);
    assert!(d.iter().all(|x| !x.other));
    let g = m.reply_groups();
    assert_eq!(g.len(), 7);
    assert!(g.iter().all(|x| x.count == 1));
    assert_eq!(g.iter().map(|x| x.count).sum::<u64>(), 7);
    assert_eq!((g[0].reason, g[0].code), (Reason::UserUnknown, 550));
    assert_eq!(m.timestamps(), (&b"Mar  3 09:00:01"[..], &b"Mar  8 09:06:02"[..]));
}

#[test]
fn postfix_iso_timestamps_rfc5424_and_crlf() {
    let input = data("postfix-iso.log");
    assert!(input.ends_with(b"removed\r\n"));
    let (records, sum) = read(&input);
    check_sums(&sum, records.len());
    assert_eq!((sum.lines, sum.postfix_lines, sum.message_lines, sum.lines_other), (6, 4, 1, 1));
    let ivan = find(&records, "ivan@web.de");
    assert_eq!((ivan.status, ivan.timestamp.as_str()), (Status::Delivered, "2024-03-03T09:00:03.123456+01:00"));
    // No CR in any field.
    assert!(records.iter().all(|r| !r.text.contains('\r')));
    let judy = find(&records, "judy@gmx.de");
    assert_eq!((judy.status, judy.reason), (Status::Bounced, Some(Reason::PolicyRejected)));
    assert_eq!(judy.timestamp, "2024-03-03T09:00:04+0100");
    // The deferral came as RFC 5424, the delivery as RFC 3339: one recipient.
    let mallory = find(&records, "mallory@example.net");
    assert_eq!((mallory.status, mallory.deferrals, mallory.line), (Status::Delivered, 1, 5));
    assert_eq!((sum.delivered, sum.bounced, sum.deferred), (2, 1, 0));
}

#[test]
fn exim_sample() {
    let (records, sum) = read(&data("exim_mainlog"));
    check_sums(&sum, records.len());
    assert_eq!((sum.lines, sum.exim_lines, sum.message_lines, sum.lines_other), (23, 13, 7, 3));
    assert_eq!((sum.messages, sum.deferrals), (4, 5));
    assert_eq!((sum.delivered, sum.deferred, sum.bounced, sum.expired), (4, 1, 3, 1));

    let alice = find(&records, "alice@gmail.com");
    assert_eq!(
        (alice.format, alice.status, alice.transport.as_str()),
        (Format::Exim, Status::Delivered, "remote_smtp")
    );
    assert_eq!(alice.relay, "gmail-smtp-in.l.google.com [142.250.102.27]");
    assert!(alice.text.starts_with("250 2.0.0 OK  1709460002"));
    assert_eq!(alice.dsn.as_deref(), Some("2.0.0"));
    assert_eq!(find(&records, "alice.work@gmail.com").status, Status::Delivered);

    let bob = find(&records, "bob@example.org");
    assert_eq!(
        (bob.status, bob.reason, bob.command, bob.dsn.as_deref()),
        (Status::Bounced, Some(Reason::UserUnknown), Some(Command::Rcpt), Some("5.1.1"))
    );
    assert!(bob.text.starts_with("SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 5.1.1"));

    // Greylisted, a skipped retry, then delivered.
    let carol = find(&records, "carol@greylist.example");
    assert_eq!((carol.status, carol.deferrals, carol.line), (Status::Delivered, 2, 15));

    // A local delivery: the local part, its original address and that address's domain.
    let news = find(&records, "news");
    assert_eq!(
        (news.orig.as_str(), news.domain.as_str(), news.transport.as_str()),
        ("news@shop.example", "shop.example", "mail_spool")
    );

    // Timed out, a skipped retry, then "retry timeout exceeded": expired, and the cause is the
    // timeout (the skipped retry says nothing).
    let erin = find(&records, "erin@slow.example");
    assert_eq!((erin.status, erin.deferrals, erin.reason), (Status::Expired, 2, Some(Reason::NetworkError)));
    assert_eq!((erin.text.as_str(), erin.timestamp.as_str()), ("Connection timed out", "2024-03-07 10:05:02"));

    let frank = find(&records, "frank@big.example");
    assert_eq!(
        (frank.orig.as_str(), frank.reason, frank.command),
        ("sales-team@shop.example", Some(Reason::MessageTooLarge), Some(Command::DataEnd))
    );
    assert_eq!(
        (frank.queue_id.as_str(), frank.timestamp.as_str()),
        ("1rgZ11-0000000AbCd-T4xy", "2024-03-07 11:00:01 -0000")
    );

    let grace = find(&records, "grace@relay.example");
    assert_eq!(
        (grace.status, grace.reason, grace.command),
        (Status::Deferred, Some(Reason::MailboxFull), Some(Command::Rcpt))
    );
    assert_eq!(find(&records, "dave@nxdomain.example").status, Status::Bounced);
}

#[test]
fn postfix_and_exim_mixed_in_one_stream() {
    let mut all = data("postfix.log");
    all.extend_from_slice(&data("exim_mainlog"));
    all.extend_from_slice(&data("postfix-iso.log"));
    let (records, sum) = read(&all);
    check_sums(&sum, records.len());
    assert_eq!((sum.postfix_lines, sum.exim_lines), (17, 13));
    assert_eq!(sum.recipients(), 11 + 9 + 3);
    assert_eq!(records.iter().filter(|r| r.format == Format::Exim).count(), 9);
}

#[test]
fn every_split_point_gives_the_same_result() {
    for name in ["postfix.log", "postfix-iso.log", "exim_mainlog"] {
        let input = data(name);
        let whole = read(&input);
        for cut in 0..=input.len() {
            let (a, b) = input.split_at(cut);
            assert_eq!(read_chunks([a, b], Options::default()), whole, "{name} cut at {cut}");
        }
        // Byte by byte.
        assert_eq!(read_chunks(input.chunks(1), Options::default()), whole, "{name} byte by byte");
    }
}

#[test]
fn random_chunk_sizes_give_the_same_result() {
    let (log, _) = maillog_gen::postfix_log(600_000, 11);
    let (exim, _) = maillog_gen::exim_log(600_000, 12);
    let mut rng = 0x1234_5678_9abc_def1u64;
    for input in [&log, &exim] {
        let whole = read(input);
        for round in 0..8 {
            let mut chunks = Vec::new();
            let mut at = 0;
            while at < input.len() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let max = [3, 40, 700, 9000, 70_000, 300_000, 1_000_000, 5][round];
                let n = 1 + (rng % max) as usize;
                let end = (at + n).min(input.len());
                chunks.push(&input[at..end]);
                at = end;
            }
            assert_eq!(read_chunks(chunks.iter().copied(), Options::default()), whole, "round {round}");
        }
    }
}

#[test]
fn generated_logs_match_their_ground_truth() {
    for seed in [1, 2, 3] {
        for (log, truth) in [maillog_gen::postfix_log(1_500_000, seed), maillog_gen::exim_log(1_500_000, seed)] {
            let (records, s) = read(&log);
            check_sums(&s, records.len());
            assert_eq!(s.lines, truth.lines);
            assert_eq!(s.lines_too_long, 0);
            assert_eq!(s.messages, truth.messages);
            assert_eq!(s.deferrals, truth.deferrals);
            assert_eq!(
                (s.delivered, s.deferred, s.bounced, s.expired),
                (truth.delivered, truth.deferred, truth.bounced, truth.expired),
                "seed {seed}"
            );
            assert_eq!((s.evicted, s.records_dropped), (0, 0));
            // Every failure is classified and counted in a reply group.
            let failures: Vec<&Seen> = records.iter().filter(|r| r.status != Status::Delivered).collect();
            assert!(failures.iter().all(|r| r.reason.is_some()));
            assert!(records.iter().filter(|r| r.status == Status::Delivered).all(|r| r.reason.is_none()));
            // The domain table adds up to the recipients.
            let mut m = MailLog::new();
            m.feed(&log).unwrap();
            m.finish();
            let domains = m.domains();
            assert_eq!(domains.iter().map(|d| d.recipients()).sum::<u64>(), s.recipients());
            assert_eq!(m.reply_groups().iter().map(|g| g.count).sum::<u64>(), failures.len() as u64);
            for w in domains.windows(2) {
                assert!(
                    w[0].recipients() > w[1].recipients()
                        || (w[0].recipients() == w[1].recipients() && w[0].domain < w[1].domain)
                );
            }
        }
    }
}

#[test]
fn the_domain_table_is_capped() {
    let (log, truth) = maillog_gen::postfix_log(1_000_000, 5);
    let mut m = MailLog::with_options(Options { max_domains: 5, ..Options::default() }).unwrap();
    m.feed(&log).unwrap();
    m.finish();
    let s = m.summary();
    let d = m.domains();
    assert_eq!(s.domains, 5);
    assert_eq!(d.len(), 6);
    let other = d.last().unwrap();
    assert!(other.other && other.domain.is_empty());
    assert_eq!(other.recipients(), s.domains_folded);
    assert!(s.domains_folded > 0);
    assert_eq!(
        d.iter().map(|x| x.recipients()).sum::<u64>(),
        truth.delivered + truth.deferred + truth.bounced + truth.expired
    );
    // The first five domains seen are kept by name (not the largest: the table never reorders).
    assert!(d[..5].iter().all(|x| !x.other));
}

#[test]
fn the_deferred_state_is_capped_and_evicts_the_oldest() {
    let (log, truth) = maillog_gen::postfix_log(1_000_000, 6);
    let mut m = MailLog::with_options(Options { max_open: 10, ..Options::default() }).unwrap();
    let mut records = Vec::new();
    for chunk in log.chunks(4096) {
        m.feed(chunk).unwrap();
        assert!(m.summary().open <= 10);
        take(&mut m, &mut records);
    }
    m.finish();
    take(&mut m, &mut records);
    let s = m.summary();
    check_sums(&s, records.len());
    assert!(s.evicted > 0, "{s:?}");
    assert_eq!(records.iter().filter(|r| r.evicted).count() as u64, s.evicted);
    assert!(records.iter().filter(|r| r.evicted).all(|r| r.status == Status::Deferred));
    // An evicted recipient settled later is counted again: never fewer outcomes than the truth.
    let truth_total = truth.delivered + truth.deferred + truth.bounced + truth.expired;
    assert!(s.recipients() >= truth_total && s.recipients() <= truth_total + s.evicted);
    assert_eq!(s.delivered + s.bounced, truth.delivered + truth.bounced);

    // The byte budget holds after every chunk.
    let budget = 32 * 1024;
    let mut m = MailLog::with_options(Options { max_open_bytes: budget, max_queued: 0, ..Options::default() }).unwrap();
    for chunk in log.chunks(4096) {
        m.feed(chunk).unwrap();
        assert!(m.open_memory() <= budget);
    }
    assert!(m.summary().evicted > 0);
}

#[test]
fn a_full_record_queue_drops_the_oldest_but_counts_everything() {
    let input = data("postfix.log");
    let (all, whole) = read(&input);
    let mut m = MailLog::with_options(Options { max_queued: 3, ..Options::default() }).unwrap();
    m.feed(&input).unwrap();
    m.finish();
    let mut kept = Vec::new();
    take(&mut m, &mut kept);
    let s = m.summary();
    assert_eq!((kept.len(), s.records_dropped), (3, 8));
    assert_eq!(kept[..], all[8..]);
    assert_eq!(Summary { records_dropped: 0, ..s }, whole);
    // Summary only: nothing queued, the same counts.
    let (none, s) = read_chunks([&input[..]], Options { max_queued: 0, ..Options::default() });
    assert!(none.is_empty());
    assert_eq!(s, whole);
}

#[test]
fn a_100_mb_line_is_skipped_in_bounded_memory() {
    let good = "Mar  3 09:00:03 mx1 postfix/smtp[2110]: 4Q9D: to=<a@b.example>, relay=none, delay=1, dsn=5.1.1, \
                status=bounced (host b said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n";
    let mut m = MailLog::new();
    m.feed(good.as_bytes()).unwrap();
    let mut chunk = vec![b'x'; 1 << 20];
    chunk[..good.len() - 1].copy_from_slice(&good.as_bytes()[..good.len() - 1]); // looks like a record
    for _ in 0..100 {
        m.feed(&chunk).unwrap();
        assert!(m.pending() <= m.options().max_line);
    }
    m.feed(b"\n").unwrap();
    m.feed(good.as_bytes()).unwrap();
    // And the same 100 MB handed over in one piece.
    let big = vec![b'y'; 100 << 20];
    m.feed(&big).unwrap();
    assert!(m.pending() <= m.options().max_line);
    m.feed(b"\r\n").unwrap();
    m.finish();
    let s = m.summary();
    assert_eq!((s.lines, s.lines_too_long, s.postfix_lines, s.bounced), (4, 2, 2, 2));
    assert_eq!(s.bytes, (good.len() * 2 + 200 * (1 << 20) + 3) as u64);
    let mut r = Vec::new();
    take(&mut m, &mut r);
    assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);

    // A line exactly at the limit is read; one byte more is not.
    let opts = Options { max_line: 256, ..Options::default() };
    let mut line = good.trim_end().to_string();
    line.push_str(&" ".repeat(256 - line.len()));
    let (r, s) = read_chunks([format!("{line}\n{line} \n").as_bytes()], opts);
    assert_eq!((r.len(), s.lines_too_long), (1, 1));
}

#[test]
fn binary_garbage_is_counted_not_fatal() {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut garbage = Vec::with_capacity(2 << 20);
    while garbage.len() < 2 << 20 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        garbage.extend_from_slice(&rng.to_le_bytes());
    }
    let (records, s) = read(&garbage);
    check_sums(&s, records.len());
    assert!(records.is_empty());
    assert_eq!(
        s.lines,
        garbage.iter().filter(|&&b| b == b'\n').count() as u64 + u64::from(*garbage.last().unwrap() != b'\n')
    );
    assert_eq!(s.lines, s.lines_other + s.lines_too_long);
    assert_eq!(s.recipients(), 0);

    // Real lines among the garbage (NULs, invalid UTF-8, a lone CR) are still read.
    let mut mixed = b"\x00\x01\xff\xfe garbage\r\n\x1b[31m\n".to_vec();
    mixed.extend_from_slice(&data("postfix.log"));
    mixed.extend_from_slice(b"\x00\x00\x00\n\xc3\x28 Mar  3 09:00:03 mx1 postfix/smtp[1]: X: to=<a@b>\r\n");
    mixed.extend_from_slice(&garbage[..4096]);
    let (records, s) = read(&mixed);
    check_sums(&s, records.len());
    assert_eq!(s.recipients(), 11);
    // Non-UTF-8 bytes inside a record are kept as they are.
    let line = b"Mar  3 09:00:03 mx1 postfix/smtp[1]: X: to=<\xe9l\xe8ve@\xe9cole.example>, relay=none, delay=1, dsn=5.1.1, status=bounced (550 5.1.1 Utilisateur inconnu \xff)";
    let r = parse_line(line).unwrap();
    assert_eq!((r.recipient, r.domain), (&b"\xe9l\xe8ve@\xe9cole.example"[..], &b"\xe9cole.example"[..]));
    assert!(r.text.ends_with(b"\xff"));
}

#[test]
fn empty_input() {
    let (records, s) = read(b"");
    assert!(records.is_empty());
    assert_eq!(s, Summary { finished: true, ..Summary::default() });
    let (records, s) = read_chunks([&b""[..], b"", b"\n", b""], Options::default());
    assert!(records.is_empty());
    assert_eq!((s.lines, s.lines_other, s.bytes), (1, 1, 1));
    let mut m = MailLog::new();
    assert!(m.next_record().is_none());
    assert_eq!(m.timestamps(), (&b""[..], &b""[..]));
    m.finish();
    assert_eq!(m.feed(b""), Err(UsageError::Finished));
}

#[test]
fn a_last_line_without_a_line_end_is_read_at_finish() {
    let input = data("postfix-iso.log");
    let trimmed = input.strip_suffix(b"\r\n").unwrap();
    let mut m = MailLog::new();
    m.feed(trimmed).unwrap();
    assert_eq!(m.summary().lines, 5);
    assert_eq!(m.summary().open, 0);
    m.finish();
    assert_eq!(m.summary().lines, 6);
    assert_eq!(m.summary().message_lines, 1);
}

#[test]
fn single_lines() {
    for line in std::str::from_utf8(&data("postfix.log")).unwrap().lines() {
        let expect = line.contains(": to=<");
        assert_eq!(parse_line(line.as_bytes()).is_some(), expect, "{line}");
    }
    for line in std::str::from_utf8(&data("exim_mainlog")).unwrap().lines() {
        let expect = [" => ", " -> ", " ** ", " == "].iter().any(|f| line.contains(f));
        assert_eq!(parse_line(line.as_bytes()).is_some(), expect, "{line}");
    }
    let r = parse_line(b"Mar  3 09:00:03 mx1 postfix/smtp[1]: X: to=<a@b>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to b[192.0.2.1]:25: Connection refused)\n").unwrap();
    assert_eq!((r.line, r.deferrals, r.status), (0, 0, Status::Deferred));
    assert_eq!(r.classification.unwrap().reason, Reason::NetworkError);
}
