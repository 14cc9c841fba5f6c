//! Records that outlive their line: bounded copies.
//!
//! Two places keep records after their line is gone: the open (deferred) recipients, and the
//! queue of final records waiting for [`MailLog::next_record`](super::MailLog::next_record). Both
//! store a record as [`Meta`] (the scalar fields and byte ranges) over a byte buffer. Every field
//! is cut to a fixed cap (the reply text to 4 KiB, an address to 512 bytes ...), so a record costs
//! at most [`MAX_RECORD_BYTES`] bytes of text however long its line was; a cut sets `truncated`.
//!
//! The queue keeps all its records in one byte arena: pushing appends, taking advances, and the
//! arena is emptied (keeping its capacity) whenever the queue drains, so a host that takes the
//! records after every feed causes no allocation at all.

use super::{Format, Record, Status};
use crate::classify::Classification;
use crate::command::Command;
use crate::reply::EnhancedCode;
use std::collections::VecDeque;

const TIMESTAMP: usize = 0;
const HOST: usize = 1;
const PROGRAM: usize = 2;
const QUEUE_ID: usize = 3;
const RECIPIENT: usize = 4;
const DOMAIN: usize = 5;
const ORIG: usize = 6;
const RELAY: usize = 7;
const TRANSPORT: usize = 8;
const DELAY: usize = 9;
const TEXT: usize = 10;
const FIELDS: usize = 11;

/// The most bytes kept of each field.
const CAPS: [usize; FIELDS] = [64, 256, 128, 64, 512, 256, 512, 512, 128, 32, 4096];

/// The most bytes of text one kept record (queued or open) holds, whatever its line held.
pub const MAX_RECORD_BYTES: usize = {
    let mut sum = 0;
    let mut i = 0;
    while i < FIELDS {
        sum += CAPS[i];
        i += 1;
    }
    sum
};

#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: u32,
    len: u32,
}

/// A record's scalar fields and where its byte fields are in a buffer (offsets from `base`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Meta {
    base: usize,
    size: usize,
    spans: [Span; FIELDS],
    format: Format,
    pub(crate) status: Status,
    pub(crate) line: u64,
    dsn: Option<EnhancedCode>,
    command: Option<Command>,
    classification: Option<Classification>,
    pub(crate) deferrals: u32,
    no_attempt: bool,
    pub(crate) evicted: bool,
    truncated: bool,
}

/// Spans of a classification are offsets into the text: drop those the cut text no longer holds.
fn clamp(mut c: Classification, len: usize) -> Classification {
    let inside = |s: Option<(usize, usize)>| s.filter(|&(_, e)| e <= len);
    c.evidence.span = inside(c.evidence.span);
    if let Some(b) = c.blocklist.as_mut() {
        b.span = inside(b.span);
    }
    c
}

impl Meta {
    /// Appends the record's fields to `buf`, each cut to its cap.
    fn write(buf: &mut Vec<u8>, r: &Record<'_>) -> Meta {
        let base = buf.len();
        let fields: [&[u8]; FIELDS] = [
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
        ];
        let mut spans = [Span::default(); FIELDS];
        let mut truncated = r.truncated;
        for (i, f) in fields.iter().enumerate() {
            let kept = &f[..f.len().min(CAPS[i])];
            truncated |= kept.len() < f.len();
            spans[i] = Span { start: (buf.len() - base) as u32, len: kept.len() as u32 };
            buf.extend_from_slice(kept);
        }
        let text_len = spans[TEXT].len as usize;
        Meta {
            base,
            size: buf.len() - base,
            spans,
            format: r.format,
            status: r.status,
            line: r.line,
            dsn: r.dsn,
            command: r.command,
            classification: r.classification.map(|c| clamp(c, text_len)),
            deferrals: r.deferrals,
            no_attempt: r.no_attempt,
            evicted: r.evicted,
            truncated,
        }
    }

    fn view<'a>(&self, buf: &'a [u8]) -> Record<'a> {
        let field = |i: usize| {
            let s = self.spans[i];
            let start = self.base + s.start as usize;
            &buf[start..start + s.len as usize]
        };
        Record {
            format: self.format,
            line: self.line,
            timestamp: field(TIMESTAMP),
            host: field(HOST),
            program: field(PROGRAM),
            queue_id: field(QUEUE_ID),
            recipient: field(RECIPIENT),
            domain: field(DOMAIN),
            orig_recipient: field(ORIG),
            relay: field(RELAY),
            transport: field(TRANSPORT),
            delay: field(DELAY),
            dsn: self.dsn,
            status: self.status,
            text: field(TEXT),
            command: self.command,
            classification: self.classification,
            deferrals: self.deferrals,
            no_attempt: self.no_attempt,
            evicted: self.evicted,
            truncated: self.truncated,
        }
    }
}

/// One record in a buffer of its own (an open recipient).
#[derive(Debug)]
pub(crate) struct OwnedRecord {
    buf: Vec<u8>,
    pub(crate) meta: Meta,
}

impl OwnedRecord {
    pub(crate) fn new(r: &Record<'_>) -> OwnedRecord {
        // Room for an expiry's timestamp; a reused buffer grows when it must.
        let mut buf = Vec::with_capacity(r_len(r) + CAPS[TIMESTAMP]);
        let meta = Meta::write(&mut buf, r);
        OwnedRecord { buf, meta }
    }

    /// Replaces the content, reusing the buffer.
    pub(crate) fn replace(&mut self, r: &Record<'_>) {
        // Grown to the size needed, not doubled: open records are many, and each is kept whole.
        self.buf.clear();
        self.buf.reserve_exact(r_len(r) + CAPS[TIMESTAMP]);
        self.meta = Meta::write(&mut self.buf, r);
    }

    pub(crate) fn record(&self) -> Record<'_> {
        self.meta.view(&self.buf)
    }

    pub(crate) fn recipient(&self) -> &[u8] {
        let s = self.meta.spans[RECIPIENT];
        &self.buf[s.start as usize..(s.start + s.len) as usize]
    }

    /// Makes this (a deferral) the outcome of an expiry at `line`, `timestamp`.
    pub(crate) fn expire(&mut self, line: u64, timestamp: &[u8]) {
        let kept = &timestamp[..timestamp.len().min(CAPS[TIMESTAMP])];
        self.meta.truncated |= kept.len() < timestamp.len();
        self.meta.spans[TIMESTAMP] = Span { start: self.buf.len() as u32, len: kept.len() as u32 };
        self.buf.extend_from_slice(kept);
        self.meta.size = self.buf.len();
        self.meta.status = Status::Expired;
        self.meta.line = line;
    }

    /// Heap bytes this record holds (for the open state's budget).
    pub(crate) fn memory(&self) -> usize {
        self.buf.capacity() + std::mem::size_of::<OwnedRecord>()
    }
}

/// The bytes a record will take once cut.
fn r_len(r: &Record<'_>) -> usize {
    [
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
    .zip(CAPS)
    .map(|(f, cap)| f.len().min(cap))
    .sum()
}

/// Final records waiting for the host, oldest first, in one arena.
#[derive(Debug)]
pub(crate) struct Queue {
    bytes: Vec<u8>,
    metas: VecDeque<Meta>,
    /// The record last handed out: its bytes stay in place until the next call.
    current: Option<Meta>,
    cap: usize,
    pub(crate) dropped: u64,
}

impl Queue {
    pub(crate) fn new(cap: usize) -> Queue {
        Queue { bytes: Vec::new(), metas: VecDeque::new(), current: None, cap, dropped: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.metas.len()
    }

    /// Ends the life of the record last handed out; reclaims space.
    pub(crate) fn release(&mut self) {
        self.current = None;
        match self.metas.front() {
            None => {
                self.bytes.clear();
                if self.bytes.capacity() > 8 << 20 {
                    self.bytes.shrink_to(1 << 20);
                }
                if self.metas.capacity() > 4096 {
                    self.metas.shrink_to(1024);
                }
            }
            Some(front) => {
                let dead = front.base;
                if dead > 4096 && dead >= self.bytes.len() / 2 {
                    self.bytes.drain(..dead);
                    for m in self.metas.iter_mut() {
                        m.base -= dead;
                    }
                }
            }
        }
    }

    /// Queues a final record; when the queue is full the oldest is dropped (and counted).
    pub(crate) fn push(&mut self, r: &Record<'_>) {
        if self.cap == 0 {
            return;
        }
        if self.metas.len() >= self.cap {
            self.metas.pop_front();
            self.dropped += 1;
            if self.current.is_none() {
                self.release();
            }
        }
        let m = Meta::write(&mut self.bytes, r);
        debug_assert_eq!(m.base + m.size, self.bytes.len());
        self.metas.push_back(m);
    }

    /// The oldest waiting record, valid until the next call on the queue.
    pub(crate) fn pop(&mut self) -> Option<Record<'_>> {
        self.release();
        self.current = self.metas.pop_front();
        self.current.as_ref().map(|m| m.view(&self.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_line;
    use super::*;

    const LINE: &[u8] = b"Jan  5 06:25:13 mx1 postfix/smtp[31337]: 4F2B81C0D4: to=<bob@example.com>, \
        relay=mx.example.com[192.0.2.10]:25, delay=1.4, delays=0.1/0/0.5/0.8, dsn=5.1.1, status=bounced (host \
        mx.example.com[192.0.2.10] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown (in \
        reply to RCPT TO command))";

    #[test]
    fn copies_are_the_record() {
        let r = parse_line(LINE).unwrap();
        let o = OwnedRecord::new(&r);
        assert_eq!(o.record(), r);
        assert_eq!(o.recipient(), b"bob@example.com");
        let mut q = Queue::new(10);
        q.push(&r);
        q.push(&r);
        assert_eq!(q.pop(), Some(r));
        assert_eq!(q.pop(), Some(r));
        assert_eq!(q.pop(), None);
        assert!(q.bytes.is_empty());
    }

    #[test]
    fn long_fields_are_cut_and_spans_kept_inside() {
        let long_text = format!("550 5.1.1 User unknown {}", "x".repeat(10_000));
        let line = format!(
            "Jan  5 06:25:13 mx1 postfix/smtp[1]: 4F2B: to=<{}@example.com>, relay=none, delay=1, dsn=5.1.1, status=bounced ({long_text})",
            "a".repeat(2000)
        );
        let r = parse_line(line.as_bytes()).unwrap();
        assert!(!r.truncated);
        let o = OwnedRecord::new(&r);
        let k = o.record();
        assert!(k.truncated);
        assert_eq!(k.text.len(), CAPS[TEXT]);
        assert_eq!(k.recipient.len(), CAPS[RECIPIENT]);
        assert_eq!(k.domain, b"example.com");
        let c = k.classification.unwrap();
        let (_, e) = c.evidence.span.unwrap();
        assert!(e <= k.text.len());
        // A new buffer holds the record and room for a second timestamp, nothing more.
        assert!(o.memory() <= MAX_RECORD_BYTES + CAPS[TIMESTAMP] + std::mem::size_of::<OwnedRecord>());
        assert_eq!(MAX_RECORD_BYTES, 6560);
    }

    #[test]
    fn a_full_queue_drops_the_oldest() {
        let r = parse_line(LINE).unwrap();
        let mut q = Queue::new(3);
        for line in 1..=5 {
            q.push(&Record { line, ..r });
        }
        assert_eq!((q.len(), q.dropped), (3, 2));
        let lines: Vec<u64> = std::iter::from_fn(|| q.pop().map(|r| r.line)).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        // Interleaved pushes and pops reuse the arena.
        for i in 0..10_000u64 {
            q.push(&Record { line: i, ..r });
            assert_eq!(q.pop().map(|r| r.line), Some(i));
        }
        assert!(q.bytes.capacity() < 64 * 1024);
        let mut q = Queue::new(0);
        q.push(&r);
        assert_eq!(q.pop(), None);
        assert_eq!(q.dropped, 0);
    }
}
