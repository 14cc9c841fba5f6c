//! Recipients whose fate is open: deferred, not yet delivered, bounced or expired.
//!
//! Kept per message (queue id), each message holding its deferred recipients with their latest
//! deferral. Messages sit on a recency list (most recently deferred last). Two caps bound the
//! state: the number of recipients and the bytes they hold (each record is a bounded copy, see
//! `owned.rs`). When either is passed, the least recently deferred message is evicted: its
//! recipients are handed back to be finalised as deferred, marked `evicted`, and counted.
//!
//! The list is intrusive (indexes into a slab of slots), so moving a message to the end and
//! evicting the oldest are O(1). Queue ids are stored inline (Postfix ids are at most 32 bytes,
//! Exim's 23), freed slots keep their recipient vectors, and settled records go back to a small
//! pool: once warm, deferring and settling recipients allocates nothing.

use super::owned::OwnedRecord;
use super::Record;
use std::collections::HashMap;

const NIL: u32 = u32::MAX;
/// The longest queue id stored (longer ones are never produced by the parsers).
const MAX_QID: usize = 32;
/// Settled records kept for reuse.
const POOL: usize = 64;

/// A queue id stored inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Qid {
    len: u8,
    bytes: [u8; MAX_QID],
}

impl Qid {
    fn new(id: &[u8]) -> Option<Qid> {
        let mut bytes = [0; MAX_QID];
        bytes.get_mut(..id.len())?.copy_from_slice(id);
        Some(Qid { len: id.len() as u8, bytes })
    }
}

#[derive(Debug)]
struct Slot {
    live: bool,
    qid: Qid,
    rcpts: Vec<OwnedRecord>,
    prev: u32,
    next: u32,
    memory: usize,
}

impl Slot {
    fn measure(&mut self) -> usize {
        self.memory = std::mem::size_of::<Slot>()
            + std::mem::size_of::<(Qid, u32)>() // the map entry
            + self.rcpts.iter().map(OwnedRecord::memory).sum::<usize>();
        self.memory
    }
}

#[derive(Debug)]
pub(crate) struct OpenSet {
    map: HashMap<Qid, u32>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    pool: Vec<OwnedRecord>,
    /// Least recently deferred message.
    head: u32,
    /// Most recently deferred message.
    tail: u32,
    count: usize,
    memory: usize,
    max_count: usize,
    max_memory: usize,
    pub(crate) evicted: u64,
}

impl OpenSet {
    pub(crate) fn new(max_count: usize, max_memory: usize) -> OpenSet {
        OpenSet {
            map: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            pool: Vec::new(),
            head: NIL,
            tail: NIL,
            count: 0,
            memory: 0,
            max_count,
            max_memory,
            evicted: 0,
        }
    }

    /// Open recipients.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Bytes held (an estimate that counts every buffer's capacity).
    pub(crate) fn memory(&self) -> usize {
        self.memory
    }

    fn unlink(&mut self, i: u32) {
        let (prev, next) = (self.slots[i as usize].prev, self.slots[i as usize].next);
        if prev == NIL {
            self.head = next;
        } else {
            self.slots[prev as usize].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.slots[next as usize].prev = prev;
        }
    }

    fn push_back(&mut self, i: u32) {
        let tail = self.tail;
        self.slots[i as usize].prev = tail;
        self.slots[i as usize].next = NIL;
        if tail == NIL {
            self.head = i;
        } else {
            self.slots[tail as usize].next = i;
        }
        self.tail = i;
    }

    /// Gives a record back for reuse.
    pub(crate) fn recycle(&mut self, o: OwnedRecord) {
        if self.pool.len() < POOL {
            self.pool.push(o);
        }
    }

    fn owned(&mut self, r: &Record<'_>) -> OwnedRecord {
        match self.pool.pop() {
            Some(mut o) => {
                o.replace(r);
                o
            }
            None => OwnedRecord::new(r),
        }
    }

    /// Removes a whole message, handing its recipients to `out` in the order they were first
    /// deferred; the slot keeps its vector for the next message.
    fn remove_slot(&mut self, i: u32, mut out: impl FnMut(&mut OwnedRecord)) {
        self.unlink(i);
        let slot = &mut self.slots[i as usize];
        slot.live = false;
        let mut rcpts = std::mem::take(&mut slot.rcpts);
        let (qid, memory) = (slot.qid, slot.memory);
        self.map.remove(&qid);
        self.free.push(i);
        self.count -= rcpts.len();
        self.memory -= memory;
        for mut o in rcpts.drain(..) {
            out(&mut o);
            self.recycle(o);
        }
        self.slots[i as usize].rcpts = rcpts;
    }

    /// Records a deferral of `r` (its classification already made). A deferral that was no
    /// delivery attempt (`no_attempt`) of a recipient already open only counts: the earlier reply
    /// says more. Then evicts while a cap is passed, handing the evicted recipients to `out`.
    pub(crate) fn defer(&mut self, r: &Record<'_>, mut out: impl FnMut(&mut OwnedRecord)) {
        let Some(qid) = Qid::new(r.queue_id) else {
            // Cannot be remembered: final at once, as if evicted.
            let mut o = self.owned(r);
            o.meta.deferrals = 1;
            o.meta.evicted = true;
            self.evicted += 1;
            out(&mut o);
            self.recycle(o);
            return;
        };
        let i = match self.map.get(&qid) {
            Some(&i) => {
                self.unlink(i);
                i
            }
            None => {
                let i = match self.free.pop() {
                    Some(i) => i,
                    None => {
                        self.slots.push(Slot { live: false, qid, rcpts: Vec::new(), prev: NIL, next: NIL, memory: 0 });
                        (self.slots.len() - 1) as u32
                    }
                };
                let slot = &mut self.slots[i as usize];
                slot.live = true;
                slot.qid = qid;
                slot.memory = 0;
                self.map.insert(qid, i);
                i
            }
        };
        self.push_back(i);
        let pos = self.slots[i as usize].rcpts.iter().position(|o| o.recipient() == r.recipient);
        match pos {
            Some(p) => {
                let o = &mut self.slots[i as usize].rcpts[p];
                let deferrals = o.meta.deferrals.saturating_add(1);
                if !r.no_attempt {
                    o.replace(r);
                }
                o.meta.deferrals = deferrals;
            }
            None => {
                let mut o = self.owned(r);
                o.meta.deferrals = 1;
                self.slots[i as usize].rcpts.push(o);
                self.count += 1;
            }
        }
        let slot = &mut self.slots[i as usize];
        let before = slot.memory;
        let after = slot.measure();
        self.memory = self.memory - before + after;
        while (self.count > self.max_count || self.memory > self.max_memory) && self.head != NIL {
            let oldest = self.head;
            let mut n = 0;
            self.remove_slot(oldest, |o| {
                o.meta.evicted = true;
                n += 1;
                out(o);
            });
            self.evicted += n;
        }
    }

    fn find(&self, qid: &[u8], rcpt: &[u8]) -> Option<(u32, usize)> {
        if self.map.is_empty() {
            return None;
        }
        let i = *self.map.get(&Qid::new(qid)?)?;
        let pos = self.slots[i as usize].rcpts.iter().position(|o| o.recipient() == rcpt)?;
        Some((i, pos))
    }

    /// Whether a recipient of a message is open.
    pub(crate) fn contains(&self, qid: &[u8], rcpt: &[u8]) -> bool {
        self.find(qid, rcpt).is_some()
    }

    /// Takes a recipient out (its fate is settled). Give it back with [`recycle`](Self::recycle)
    /// once used.
    pub(crate) fn take(&mut self, qid: &[u8], rcpt: &[u8]) -> Option<OwnedRecord> {
        let (i, pos) = self.find(qid, rcpt)?;
        let slot = &mut self.slots[i as usize];
        let before = slot.memory;
        let o = slot.rcpts.remove(pos);
        self.count -= 1;
        if slot.rcpts.is_empty() {
            self.remove_slot(i, |_| {});
        } else {
            let after = slot.measure();
            self.memory = self.memory - before + after;
        }
        Some(o)
    }

    /// Takes every open recipient of a message out, in the order they were first deferred.
    pub(crate) fn take_message(&mut self, qid: &[u8], out: impl FnMut(&mut OwnedRecord)) {
        if let Some(&i) = Qid::new(qid).as_ref().and_then(|q| self.map.get(q)) {
            self.remove_slot(i, out);
        }
    }

    /// Takes everything out, least recently deferred message first, and frees the memory.
    pub(crate) fn drain(&mut self, mut out: impl FnMut(&mut OwnedRecord)) {
        while self.head != NIL {
            let i = self.head;
            self.remove_slot(i, &mut out);
        }
        debug_assert_eq!((self.count, self.memory), (0, 0));
        debug_assert!(self.slots.iter().all(|s| !s.live));
        *self = OpenSet { evicted: self.evicted, ..OpenSet::new(self.max_count, self.max_memory) };
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_line, Status};
    use super::*;

    fn deferral(qid: &str, rcpt: &str) -> String {
        format!(
            "Jan  5 06:25:13 mx1 postfix/smtp[1]: {qid}: to=<{rcpt}>, relay=none, delay=1, dsn=4.4.1, status=deferred \
             (connect to mx.example.com[192.0.2.1]:25: Connection refused)"
        )
    }

    fn defer(set: &mut OpenSet, qid: &str, rcpt: &str) -> Vec<(String, String)> {
        let line = deferral(qid, rcpt);
        let r = parse_line(line.as_bytes()).unwrap();
        let mut out = Vec::new();
        set.defer(&r, |o: &mut OwnedRecord| {
            let r = o.record();
            assert!(r.evicted && r.status == Status::Deferred);
            out.push((String::from_utf8_lossy(r.queue_id).into(), String::from_utf8_lossy(r.recipient).into()))
        });
        out
    }

    #[test]
    fn latest_deferral_per_recipient() {
        let mut s = OpenSet::new(100, usize::MAX);
        assert!(defer(&mut s, "Q1", "a@x").is_empty());
        assert!(defer(&mut s, "Q1", "b@x").is_empty());
        assert!(defer(&mut s, "Q1", "a@x").is_empty());
        assert_eq!(s.len(), 2);
        assert!(s.contains(b"Q1", b"a@x") && !s.contains(b"Q2", b"a@x") && !s.contains(b"Q1", b"c@x"));
        let a = s.take(b"Q1", b"a@x").unwrap();
        assert_eq!(a.meta.deferrals, 2);
        assert_eq!(s.len(), 1);
        assert!(s.take(b"Q1", b"a@x").is_none());
        let mut left = Vec::new();
        s.take_message(b"Q1", |o| left.push(o.recipient().to_vec()));
        assert_eq!(left, [b"b@x".to_vec()]);
        assert_eq!((s.len(), s.memory()), (0, 0));
    }

    #[test]
    fn the_least_recently_deferred_message_is_evicted() {
        let mut s = OpenSet::new(3, usize::MAX);
        defer(&mut s, "Q1", "a@x");
        defer(&mut s, "Q2", "b@x");
        defer(&mut s, "Q3", "c@x");
        defer(&mut s, "Q1", "a@x"); // Q1 is now the most recent
        assert_eq!(defer(&mut s, "Q4", "d@x"), vec![("Q2".to_string(), "b@x".to_string())]);
        assert_eq!(s.evicted, 1);
        assert_eq!(s.len(), 3);
        let mut order = Vec::new();
        s.drain(|o| order.push(String::from_utf8_lossy(o.record().queue_id).into_owned()));
        assert_eq!((s.len(), s.memory(), s.evicted), (0, 0, 1));
        assert_eq!(order, ["Q3", "Q1", "Q4"]);
        // A byte budget evicts too; a budget below one record evicts at once.
        let mut s = OpenSet::new(usize::MAX, 1);
        assert_eq!(defer(&mut s, "Q1", "a@x").len(), 1);
        assert_eq!((s.len(), s.memory()), (0, 0));
        // Nothing remembered at all.
        let mut s = OpenSet::new(0, usize::MAX);
        assert_eq!(defer(&mut s, "Q1", "a@x").len(), 1);
    }

    #[test]
    fn memory_stays_under_the_budget() {
        let budget = 256 * 1024;
        let mut s = OpenSet::new(usize::MAX, budget);
        for i in 0..10_000 {
            defer(&mut s, &format!("Q{}", i % 5000), &format!("user{i}@example.com"));
            assert!(s.memory() <= budget);
        }
        assert!(s.evicted > 0 && s.len() > 100);
    }
}
