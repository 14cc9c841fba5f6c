//! [`MailLog`]: a mail log read as a stream, each recipient's final outcome, and the summary.

use super::lines::{Lines, Piece};
use super::open::OpenSet;
use super::owned::Queue;
use super::summary::Tally;
use super::{classify_record, event, DomainStats, Event, Format, Record, ReplyGroup, Status, Summary};
use crate::classify::Reason;

/// Limits of a [`MailLog`]. Memory stays bounded whatever the input: about `max_line` for a line
/// cut by a chunk boundary, `max_open_bytes` for the deferred recipients, `max_queued` records of
/// at most 7 KiB each for the queue, and `max_domains` small table rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The longest line read, in bytes before the LF (default 64 KiB; 256 to 16 MiB). Longer lines
    /// are skipped and counted.
    pub max_line: usize,
    /// The most deferred recipients remembered (default 100,000; at most 10,000,000; 0 remembers
    /// none, so every deferral is final at once).
    pub max_open: usize,
    /// The most bytes the deferred recipients may hold (default 64 MiB; at least 0).
    pub max_open_bytes: usize,
    /// The most domains counted by name (default 10,000; at most 1,000,000); the rest are counted
    /// together as "other".
    pub max_domains: usize,
    /// The most final records waiting for [`MailLog::next_record`] (default 10,000; at most
    /// 1,000,000; 0 queues none: a summary-only reader). When the queue is full the oldest record
    /// is dropped and counted in [`Summary::records_dropped`]; take records after every feed.
    pub max_queued: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_line: 64 * 1024,
            max_open: 100_000,
            max_open_bytes: 64 << 20,
            max_domains: 10_000,
            max_queued: 10_000,
        }
    }
}

/// An option outside its range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    #[error("max_line is {0}; it must be 256 to 16777216")]
    MaxLine(usize),
    #[error("max_open is {0}; it must be at most 10000000")]
    MaxOpen(usize),
    #[error("max_domains is {0}; it must be at most 1000000")]
    MaxDomains(usize),
    #[error("max_queued is {0}; it must be at most 1000000")]
    MaxQueued(usize),
}

impl Options {
    pub const MIN_LINE: usize = 256;
    pub const MAX_LINE: usize = 16 << 20;

    pub fn validate(&self) -> Result<(), OptionsError> {
        if !(Self::MIN_LINE..=Self::MAX_LINE).contains(&self.max_line) {
            return Err(OptionsError::MaxLine(self.max_line));
        }
        if self.max_open > 10_000_000 {
            return Err(OptionsError::MaxOpen(self.max_open));
        }
        if self.max_domains > 1_000_000 {
            return Err(OptionsError::MaxDomains(self.max_domains));
        }
        if self.max_queued > 1_000_000 {
            return Err(OptionsError::MaxQueued(self.max_queued));
        }
        Ok(())
    }
}

/// The host used the log the wrong way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("the log was finished: no more input can be fed")]
    Finished,
}

/// The longest timestamp kept for [`MailLog::timestamps`].
const MAX_TIMESTAMP: usize = 64;

/// Everything but the line splitter (so that the splitter can hand lines to it).
#[derive(Debug)]
struct Engine {
    line_no: u64,
    open: OpenSet,
    tally: Tally,
    queue: Queue,
    first_ts: Vec<u8>,
    last_ts: Vec<u8>,
}

/// A mail server log (Postfix, Exim, or both mixed) read as a stream. See the
/// [module documentation](super).
///
/// Sans I/O: the host feeds bytes, takes final records, and reads the summary at any time. One
/// thread at a time; a `MailLog` is `Send`.
#[derive(Debug)]
pub struct MailLog {
    options: Options,
    lines: Lines,
    engine: Engine,
    finished: bool,
    generation: u64,
}

impl Default for MailLog {
    fn default() -> MailLog {
        MailLog::new()
    }
}

impl MailLog {
    /// A log with the default [`Options`].
    pub fn new() -> MailLog {
        MailLog::with_options(Options::default()).expect("the default options are valid")
    }

    pub fn with_options(options: Options) -> Result<MailLog, OptionsError> {
        options.validate()?;
        Ok(MailLog {
            options,
            lines: Lines::new(options.max_line),
            engine: Engine {
                line_no: 0,
                open: OpenSet::new(options.max_open, options.max_open_bytes),
                tally: Tally::new(options.max_domains),
                queue: Queue::new(options.max_queued),
                first_ts: Vec::new(),
                last_ts: Vec::new(),
            },
            finished: false,
            generation: 0,
        })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Reads a chunk of the log (any size, cut anywhere). Every complete line is handled now;
    /// records that become final are queued. Fails only after [`finish`](Self::finish).
    pub fn feed(&mut self, data: &[u8]) -> Result<(), UsageError> {
        if self.finished {
            return Err(UsageError::Finished);
        }
        self.engine.queue.release();
        self.generation += 1;
        self.engine.tally.summary.bytes += data.len() as u64;
        let engine = &mut self.engine;
        self.lines.feed(data, |p| engine.piece(p));
        Ok(())
    }

    /// Ends the input: a last line without a line end is read, and every recipient still
    /// deferred becomes final (as deferred), least recently deferred first. Idempotent.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.engine.queue.release();
        self.generation += 1;
        let engine = &mut self.engine;
        self.lines.finish(|p| engine.piece(p));
        let Engine { open, tally, queue, .. } = &mut self.engine;
        open.drain(|o| {
            let r = o.record();
            tally.count(&r);
            queue.push(&r);
        });
        self.finished = true;
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The oldest final record not yet taken, or `None`. It borrows the log: take what you need
    /// before the next call.
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        self.engine.queue.pop()
    }

    /// Final records waiting.
    pub fn queued(&self) -> usize {
        self.engine.queue.len()
    }

    /// The totals so far.
    pub fn summary(&self) -> Summary {
        Summary {
            open: self.engine.open.len() as u64,
            evicted: self.engine.open.evicted,
            records_dropped: self.engine.queue.dropped,
            finished: self.finished,
            ..self.engine.tally.summary()
        }
    }

    /// Final outcomes with this reason (deliveries count as [`Reason::Success`]).
    pub fn reason_count(&self, r: Reason) -> u64 {
        self.engine.tally.summary.reason(r)
    }

    /// Per-domain counts, most recipients first (then by name); the "other" bucket last, when
    /// any domain was folded into it.
    pub fn domains(&self) -> Vec<DomainStats<'_>> {
        self.engine.tally.domains.sorted()
    }

    /// Failures grouped by reason, code, enhanced code and deciding rule, largest first.
    pub fn reply_groups(&self) -> Vec<ReplyGroup<'_>> {
        self.engine.tally.groups.sorted()
    }

    /// The timestamps of the first and last delivery or message line read (as logged, at most
    /// 64 bytes each); empty before any.
    pub fn timestamps(&self) -> (&[u8], &[u8]) {
        (&self.engine.first_ts, &self.engine.last_ts)
    }

    /// Bytes held for deferred recipients (an estimate counting buffer capacities).
    pub fn open_memory(&self) -> usize {
        self.engine.open.memory()
    }

    /// Bytes of a line cut by the last chunk boundary, waiting for its end.
    pub fn pending(&self) -> usize {
        self.lines.pending()
    }

    /// A number that changes whenever the log does (feed, finish): lets a host cache what it
    /// derived from [`domains`](Self::domains) or [`reply_groups`](Self::reply_groups).
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

impl Engine {
    fn piece(&mut self, p: Piece<'_>) {
        self.line_no += 1;
        self.tally.summary.lines += 1;
        match p {
            Piece::TooLong => self.tally.summary.lines_too_long += 1,
            Piece::Line(l) => self.line(l),
        }
    }

    fn note_time(&mut self, ts: &[u8]) {
        let ts = &ts[..ts.len().min(MAX_TIMESTAMP)];
        if self.first_ts.is_empty() {
            self.first_ts.extend_from_slice(ts);
        }
        self.last_ts.clear();
        self.last_ts.extend_from_slice(ts);
    }

    fn line(&mut self, line: &[u8]) {
        let line_no = self.line_no;
        match event(line) {
            Event::Delivery(mut r) => {
                r.line = line_no;
                match r.format {
                    Format::Postfix => self.tally.summary.postfix_lines += 1,
                    Format::Exim => self.tally.summary.exim_lines += 1,
                }
                self.note_time(r.timestamp);
                self.delivery(r);
            }
            Event::Arrival { timestamp } => {
                self.tally.summary.message_lines += 1;
                self.tally.summary.messages += 1;
                self.note_time(timestamp);
            }
            Event::MessageExpired { queue_id, timestamp } => {
                self.tally.summary.message_lines += 1;
                self.note_time(timestamp);
                let Engine { open, tally, queue, .. } = self;
                open.take_message(queue_id, |o| {
                    o.expire(line_no, timestamp);
                    let r = o.record();
                    tally.count(&r);
                    queue.push(&r);
                });
            }
            Event::MessageDone { queue_id, timestamp } => {
                self.tally.summary.message_lines += 1;
                self.note_time(timestamp);
                let Engine { open, tally, queue, .. } = self;
                open.take_message(queue_id, |o| {
                    let r = o.record();
                    tally.count(&r);
                    queue.push(&r);
                });
            }
            Event::Other => self.tally.summary.lines_other += 1,
        }
    }

    fn finalise(&mut self, r: &Record<'_>) {
        self.tally.count(r);
        self.queue.push(r);
    }

    fn delivery(&mut self, mut r: Record<'_>) {
        if r.status == Status::Deferred {
            self.tally.summary.deferrals += 1;
            // A skipped retry of a recipient already open changes nothing but its count: no need
            // to classify it.
            if !(r.no_attempt && self.open.contains(r.queue_id, r.recipient)) {
                classify_record(&mut r);
            }
            let Engine { open, tally, queue, .. } = self;
            open.defer(&r, |o| {
                let r = o.record();
                tally.count(&r);
                queue.push(&r);
            });
            return;
        }
        match self.open.take(r.queue_id, r.recipient) {
            // Expired after deferrals: the last deferral's reply is why.
            Some(mut prior) if r.status == Status::Expired => {
                prior.expire(r.line, r.timestamp);
                let p = prior.record();
                self.tally.count(&p);
                self.queue.push(&p);
                self.open.recycle(prior);
            }
            Some(prior) => {
                r.deferrals = prior.meta.deferrals;
                self.open.recycle(prior);
                classify_record(&mut r);
                self.finalise(&r);
            }
            None => {
                classify_record(&mut r);
                self.finalise(&r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
Jan  5 06:00:00 mx1 postfix/cleanup[10]: AAA111: message-id=<1@example.org>
Jan  5 06:00:01 mx1 postfix/smtp[11]: AAA111: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=4.7.1, status=deferred (host mx.example.com[192.0.2.1] said: 450 4.7.1 Greylisted, try again in 5 minutes (in reply to RCPT TO command))
Jan  5 06:00:01 mx1 postfix/smtp[11]: AAA111: to=<b@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)
Jan  5 06:10:01 mx1 postfix/smtp[12]: AAA111: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=601, delays=600/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X2)
Jan  5 06:10:01 mx1 postfix/qmgr[9]: AAA111: removed
Jan  5 06:11:00 mx1 postfix/smtp[13]: BBB222: to=<c@gone.example>, relay=none, delay=5, delays=5/0/0/0, dsn=4.4.1, status=deferred (connect to gone.example[198.51.100.1]:25: Connection refused)
Jan 10 06:11:00 mx1 postfix/qmgr[9]: BBB222: from=<s@example.org>, status=expired, returned to sender
Jan 10 06:11:00 mx1 postfix/qmgr[9]: BBB222: removed
Jan 10 06:12:00 mx1 postfix/smtp[14]: CCC333: to=<d@example.net>, relay=none, delay=5, delays=5/0/0/0, dsn=4.4.1, status=deferred (connect to example.net[203.0.113.1]:25: Connection timed out)
junk line
";

    fn records(m: &mut MailLog) -> Vec<(String, Status, u32, u64)> {
        let mut out = Vec::new();
        while let Some(r) = m.next_record() {
            out.push((String::from_utf8_lossy(r.recipient).into_owned(), r.status, r.deferrals, r.line));
        }
        out
    }

    #[test]
    fn final_outcomes() {
        let mut m = MailLog::new();
        m.feed(LOG.as_bytes()).unwrap();
        assert_eq!(
            records(&mut m),
            [
                ("b@example.com".to_string(), Status::Delivered, 0, 3),
                ("a@example.com".to_string(), Status::Delivered, 1, 4),
                ("c@gone.example".to_string(), Status::Expired, 1, 7),
            ]
        );
        assert_eq!(m.summary().open, 1);
        m.finish();
        let rest = records(&mut m);
        assert_eq!(rest, [("d@example.net".to_string(), Status::Deferred, 1, 9)]);
        let s = m.summary();
        assert_eq!((s.lines, s.postfix_lines, s.message_lines, s.lines_other, s.messages), (10, 5, 4, 1, 1));
        assert_eq!((s.delivered, s.deferred, s.bounced, s.expired, s.deferrals, s.open), (2, 1, 0, 1, 3, 0));
        // The expired recipient is counted under the reason of its last deferral.
        assert_eq!((m.reason_count(Reason::Success), m.reason_count(Reason::NetworkError)), (2, 2));
        assert_eq!(m.timestamps(), (&b"Jan  5 06:00:00"[..], &b"Jan 10 06:12:00"[..]));
        assert_eq!(m.feed(b"x"), Err(UsageError::Finished));
        m.finish();
        assert!(m.is_finished());
    }

    #[test]
    fn expired_carries_its_cause() {
        let mut m = MailLog::new();
        m.feed(LOG.as_bytes()).unwrap();
        let mut found = false;
        while let Some(r) = m.next_record() {
            if r.status == Status::Expired {
                assert_eq!(r.timestamp, b"Jan 10 06:11:00");
                assert!(r.text.ends_with(b"Connection refused"));
                assert_eq!(r.classification.unwrap().reason, Reason::NetworkError);
                found = true;
            }
        }
        assert!(found);
    }

    #[test]
    fn a_log_can_move_between_threads() {
        fn send<T: Send>(_: &T) {}
        let mut m = MailLog::new();
        send(&m);
        m.feed(LOG.as_bytes()).unwrap();
        let h = std::thread::spawn(move || {
            m.finish();
            m.summary().recipients()
        });
        assert_eq!(h.join().unwrap(), 4);
    }

    #[test]
    fn options_are_checked() {
        for (o, e) in [
            (Options { max_line: 255, ..Options::default() }, OptionsError::MaxLine(255)),
            (Options { max_line: (16 << 20) + 1, ..Options::default() }, OptionsError::MaxLine((16 << 20) + 1)),
            (Options { max_open: 10_000_001, ..Options::default() }, OptionsError::MaxOpen(10_000_001)),
            (Options { max_domains: 1_000_001, ..Options::default() }, OptionsError::MaxDomains(1_000_001)),
            (Options { max_queued: 1_000_001, ..Options::default() }, OptionsError::MaxQueued(1_000_001)),
        ] {
            assert_eq!(MailLog::with_options(o).unwrap_err(), e);
        }
        assert!(
            MailLog::with_options(Options { max_open: 0, max_domains: 0, max_queued: 0, ..Options::default() }).is_ok()
        );
    }
}
