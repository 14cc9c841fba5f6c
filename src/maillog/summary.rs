//! Counting final outcomes: totals, per reason, per recipient domain, per reply group.
//!
//! Every table is bounded. Domains: at most `max_domains` are kept by name (compared without ASCII
//! case); outcomes of any further domain are counted in one "other" bucket. Reply groups (failures
//! grouped by reason, reply code, enhanced code and the classifier's deciding rule): at most
//! [`MAX_GROUPS`], the rest counted as folded. Outputs are sorted deterministically: by count
//! (descending), then by name or key.

use super::{Record, Status};
use crate::classify::Reason;
use crate::reply::EnhancedCode;
use crate::text::Text;
use std::collections::HashMap;

/// The most reply groups kept.
pub const MAX_GROUPS: usize = 1024;
/// The most bytes of a reply group's example text.
const EXAMPLE_BYTES: usize = 256;
/// Domains longer than this (no real domain is) count as "other".
const MAX_DOMAIN: usize = 255;

const REASONS: usize = Reason::ALL.len();

/// The totals of a [`MailLog`](super::MailLog).
///
/// Lines: `lines == lines_too_long + lines_other + postfix_lines + exim_lines + message_lines`.
/// Recipients (final outcomes): `delivered + deferred + bounced + expired`, also the sum of
/// `reasons` (a delivery counts as [`Reason::Success`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Bytes fed.
    pub bytes: u64,
    /// Lines read (a last line without a line end counts once the log is finished).
    pub lines: u64,
    /// Lines longer than `max_line`, skipped.
    pub lines_too_long: u64,
    /// Lines that are not delivery-status or message lines (connections, warnings, junk ...).
    pub lines_other: u64,
    /// Postfix delivery-status lines.
    pub postfix_lines: u64,
    /// Exim delivery-status lines.
    pub exim_lines: u64,
    /// Message lines: arrivals, whole-message expiries, messages leaving the queue.
    pub message_lines: u64,
    /// Messages that arrived (Exim `<=`, Postfix cleanup's `message-id=`).
    pub messages: u64,
    /// Deferral lines (every attempt, and Exim's skipped retries).
    pub deferrals: u64,
    /// Recipients whose final outcome is a delivery.
    pub delivered: u64,
    /// Recipients still deferred at their end (message removed, evicted, or the log finished).
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    /// Recipients deferred and not yet final (0 once the log is finished).
    pub open: u64,
    /// Open recipients evicted by the caps (counted as deferred).
    pub evicted: u64,
    /// Final records dropped from the full queue before the host took them (counted all the same).
    pub records_dropped: u64,
    /// Distinct domains kept by name.
    pub domains: u64,
    /// Final outcomes counted in the "other" domain bucket.
    pub domains_folded: u64,
    /// Failures counted in no reply group (the table was full).
    pub groups_folded: u64,
    /// Final outcomes per reason, indexed by `Reason as usize`.
    pub reasons: [u64; REASONS],
    /// The log was finished.
    pub finished: bool,
}

impl Summary {
    /// Recipients with a final outcome.
    pub fn recipients(&self) -> u64 {
        self.delivered + self.deferred + self.bounced + self.expired
    }
    /// Final outcomes with this reason.
    pub fn reason(&self, r: Reason) -> u64 {
        self.reasons[r as usize]
    }
}

#[derive(Debug, Clone)]
struct DomainEntry {
    name: Box<[u8]>,
    by_status: [u64; 4],
    reasons: [u64; REASONS],
}

impl DomainEntry {
    fn new(name: &[u8]) -> DomainEntry {
        DomainEntry { name: name.into(), by_status: [0; 4], reasons: [0; REASONS] }
    }
}

/// What happened to the recipients of one domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DomainStats<'a> {
    /// The domain in lower case; empty for the "other" bucket (and for recipients without a
    /// domain, with `other` false).
    pub domain: &'a [u8],
    /// The bucket of the domains beyond `max_domains`.
    pub other: bool,
    pub delivered: u64,
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    reasons: &'a [u64; REASONS],
}

impl DomainStats<'_> {
    pub fn recipients(&self) -> u64 {
        self.delivered + self.deferred + self.bounced + self.expired
    }
    /// Final outcomes of this domain with this reason.
    pub fn reason_count(&self, r: Reason) -> u64 {
        self.reasons[r as usize]
    }
    /// The most frequent reason among failures (not [`Reason::Success`]), with its count; the
    /// lower reason number wins a tie. `None` when nothing failed.
    pub fn top_failure(&self) -> Option<(Reason, u64)> {
        Reason::ALL[1..].iter().map(|&r| (r, self.reasons[r as usize])).filter(|&(_, n)| n > 0).fold(
            None,
            |best: Option<(Reason, u64)>, (r, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((r, n)),
            },
        )
    }
}

#[derive(Debug)]
pub(crate) struct Domains {
    map: HashMap<Box<[u8]>, u32>,
    entries: Vec<DomainEntry>,
    other: DomainEntry,
    max: usize,
    folded: u64,
}

impl Domains {
    pub(crate) fn new(max: usize) -> Domains {
        Domains { map: HashMap::new(), entries: Vec::new(), other: DomainEntry::new(b""), max, folded: 0 }
    }

    fn entry(&mut self, domain: &[u8]) -> &mut DomainEntry {
        if domain.len() > MAX_DOMAIN {
            self.folded += 1;
            return &mut self.other;
        }
        let mut buf = [0u8; MAX_DOMAIN];
        let key = &mut buf[..domain.len()];
        key.copy_from_slice(domain);
        key.make_ascii_lowercase();
        if let Some(&i) = self.map.get(&*key) {
            return &mut self.entries[i as usize];
        }
        if self.entries.len() >= self.max {
            self.folded += 1;
            return &mut self.other;
        }
        self.map.insert(key.into(), self.entries.len() as u32);
        self.entries.push(DomainEntry::new(key));
        self.entries.last_mut().expect("just pushed")
    }

    fn stats<'a>(e: &'a DomainEntry, other: bool) -> DomainStats<'a> {
        DomainStats {
            domain: &e.name,
            other,
            delivered: e.by_status[0],
            deferred: e.by_status[1],
            bounced: e.by_status[2],
            expired: e.by_status[3],
            reasons: &e.reasons,
        }
    }

    /// Every domain, most recipients first (then by name), the "other" bucket last when used.
    pub(crate) fn sorted(&self) -> Vec<DomainStats<'_>> {
        let mut v: Vec<DomainStats<'_>> = self.entries.iter().map(|e| Self::stats(e, false)).collect();
        v.sort_unstable_by(|a, b| b.recipients().cmp(&a.recipients()).then_with(|| a.domain.cmp(b.domain)));
        if self.folded > 0 {
            v.push(Self::stats(&self.other, true));
        }
        v
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Failures that share a reason, reply code, enhanced code and deciding rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplyGroup<'a> {
    pub reason: Reason,
    /// The reply code (0 when the text had none: "Connection refused").
    pub code: u16,
    pub enhanced: Option<EnhancedCode>,
    /// The classifier's deciding rule (`"user-unknown"`, `"gmail-nosuchuser"` ...).
    pub rule: Text,
    /// Final outcomes in the group, and how many of each failure status.
    pub count: u64,
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    /// The text of the first outcome seen (at most 256 bytes).
    pub example: &'a [u8],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct GroupKey {
    reason: Reason,
    code: u16,
    enhanced: Option<EnhancedCode>,
    rule: Text,
}

#[derive(Debug)]
struct GroupEntry {
    key: GroupKey,
    by_status: [u64; 3],
    example: Box<[u8]>,
}

#[derive(Debug, Default)]
pub(crate) struct Groups {
    map: HashMap<GroupKey, u32>,
    entries: Vec<GroupEntry>,
    folded: u64,
}

impl Groups {
    fn add(&mut self, r: &Record<'_>) {
        let Some(c) = r.classification else { return };
        let key = GroupKey { reason: c.reason, code: c.code, enhanced: c.enhanced, rule: c.evidence.rule };
        let i = match self.map.get(&key) {
            Some(&i) => i as usize,
            None if self.entries.len() < MAX_GROUPS => {
                let example = &r.text[..r.text.len().min(EXAMPLE_BYTES)];
                self.map.insert(key, self.entries.len() as u32);
                self.entries.push(GroupEntry { key, by_status: [0; 3], example: example.into() });
                self.entries.len() - 1
            }
            None => {
                self.folded += 1;
                return;
            }
        };
        let s = match r.status {
            Status::Deferred => 0,
            Status::Bounced => 1,
            _ => 2,
        };
        self.entries[i].by_status[s] += 1;
    }

    /// Every group, largest first (then by reason, code, enhanced code and rule).
    pub(crate) fn sorted(&self) -> Vec<ReplyGroup<'_>> {
        let mut v: Vec<ReplyGroup<'_>> = self
            .entries
            .iter()
            .map(|e| ReplyGroup {
                reason: e.key.reason,
                code: e.key.code,
                enhanced: e.key.enhanced,
                rule: e.key.rule,
                count: e.by_status.iter().sum(),
                deferred: e.by_status[0],
                bounced: e.by_status[1],
                expired: e.by_status[2],
                example: &e.example,
            })
            .collect();
        v.sort_unstable_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| (a.reason as u32).cmp(&(b.reason as u32)))
                .then_with(|| a.code.cmp(&b.code))
                .then_with(|| a.enhanced.cmp(&b.enhanced))
                .then_with(|| a.rule.as_str().cmp(b.rule.as_str()))
        });
        v
    }
}

/// Where final outcomes are counted.
#[derive(Debug)]
pub(crate) struct Tally {
    pub(crate) summary: Summary,
    pub(crate) domains: Domains,
    pub(crate) groups: Groups,
}

impl Tally {
    pub(crate) fn new(max_domains: usize) -> Tally {
        Tally { summary: Summary::default(), domains: Domains::new(max_domains), groups: Groups::default() }
    }

    /// The reason a final outcome counts under.
    pub(crate) fn reason_of(r: &Record<'_>) -> Reason {
        match r.status {
            Status::Delivered => Reason::Success,
            _ => r.classification.map_or(Reason::Unknown, |c| c.reason),
        }
    }

    pub(crate) fn count(&mut self, r: &Record<'_>) {
        let s = &mut self.summary;
        let status = r.status as usize - 1;
        match r.status {
            Status::Delivered => s.delivered += 1,
            Status::Deferred => s.deferred += 1,
            Status::Bounced => s.bounced += 1,
            Status::Expired => s.expired += 1,
        }
        let reason = Self::reason_of(r) as usize;
        s.reasons[reason] += 1;
        let d = self.domains.entry(r.domain);
        d.by_status[status] += 1;
        d.reasons[reason] += 1;
        if r.status != Status::Delivered {
            self.groups.add(r);
        }
    }

    /// The summary with the table sizes filled in.
    pub(crate) fn summary(&self) -> Summary {
        Summary {
            domains: self.domains.len() as u64,
            domains_folded: self.domains.folded,
            groups_folded: self.groups.folded,
            ..self.summary
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_line;
    use super::*;

    fn line(domain: &str, status: &str, reply: &str) -> String {
        format!(
            "Jan  5 06:25:13 mx1 postfix/smtp[1]: Q1: to=<u@{domain}>, relay=none, delay=1, dsn=5.0.0, status={status} ({reply})"
        )
    }

    fn count(t: &mut Tally, domain: &str, status: &str, reply: &str) {
        let l = line(domain, status, reply);
        t.count(&parse_line(l.as_bytes()).unwrap());
    }

    #[test]
    fn domains_fold_and_sort() {
        let mut t = Tally::new(2);
        count(&mut t, "b.example", "sent", "250 ok");
        count(&mut t, "A.EXAMPLE", "bounced", "550 5.1.1 User unknown");
        count(&mut t, "a.example", "bounced", "550 5.1.1 User unknown");
        count(&mut t, "a.example", "deferred", "452 4.2.2 Mailbox full");
        count(&mut t, "c.example", "sent", "250 ok");
        count(&mut t, "d.example", "bounced", "550 5.1.1 User unknown");
        let d = t.domains.sorted();
        let names: Vec<&[u8]> = d.iter().map(|x| x.domain).collect();
        assert_eq!(names, [&b"a.example"[..], b"b.example", b""]);
        assert_eq!((d[0].recipients(), d[0].bounced, d[0].deferred), (3, 2, 1));
        assert_eq!(d[0].top_failure(), Some((Reason::UserUnknown, 2)));
        assert_eq!(d[1].top_failure(), None);
        assert!(d[2].other && d[2].recipients() == 2);
        let s = t.summary();
        assert_eq!((s.domains, s.domains_folded), (2, 2));
        assert_eq!(s.recipients(), 6);
        assert_eq!(s.reasons.iter().sum::<u64>(), 6);
        assert_eq!(
            (s.reason(Reason::Success), s.reason(Reason::UserUnknown), s.reason(Reason::MailboxFull)),
            (2, 3, 1)
        );
        let g = t.groups.sorted();
        assert_eq!((g[0].reason, g[0].count, g[0].bounced, g[0].code), (Reason::UserUnknown, 3, 3, 550));
        assert_eq!(g[0].example, b"550 5.1.1 User unknown");
        assert_eq!((g[1].reason, g[1].deferred), (Reason::MailboxFull, 1));
    }

    #[test]
    fn ties_break_on_the_lower_reason_and_names() {
        let mut t = Tally::new(10);
        count(&mut t, "x.example", "bounced", "552 5.2.2 Mailbox full");
        count(&mut t, "x.example", "bounced", "550 5.1.1 User unknown");
        assert_eq!(t.domains.sorted()[0].top_failure(), Some((Reason::UserUnknown, 1)));
        let g = t.groups.sorted();
        assert_eq!((g[0].reason, g[1].reason), (Reason::UserUnknown, Reason::MailboxFull));
        let mut t = Tally::new(0);
        count(&mut t, &"x".repeat(300), "sent", "250 ok");
        assert_eq!(t.summary().domains_folded, 1);
    }
}
