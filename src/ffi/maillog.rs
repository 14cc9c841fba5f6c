//! C API: mail server logs (Postfix, Exim): each recipient's final outcome and a summary.
//!
//! The host loop in C:
//! ```c
//! smtpreply_maillog *log; smtpreply_maillog_new(NULL, &log);
//! while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
//!     smtpreply_maillog_feed(log, buf, n);
//!     smtpreply_maillog_record r;
//!     while (smtpreply_maillog_next_record(log, &r) == SMTPREPLY_OK) { ... r.status, r.recipient ... }
//! }
//! smtpreply_maillog_finish(log);   // then take the last records the same way
//! smtpreply_maillog_summary s; smtpreply_maillog_get_summary(log, &s);
//! smtpreply_maillog_free(log);
//! ```

use super::classify::{placeholder_classification, smtpreply_classification, to_c_classification};
use super::reply::{enhanced_to_c, smtpreply_enhanced_code};
use super::smtpreply_result::*;
use super::*;
use crate::classify::Reason;
use crate::maillog::{parse_line, Format, MailLog, Options, Record, Status};

/// `smtpreply_maillog_record.format`: a Postfix line.
pub const SMTPREPLY_MAILLOG_POSTFIX: u32 = 1;
/// `smtpreply_maillog_record.format`: an Exim line.
pub const SMTPREPLY_MAILLOG_EXIM: u32 = 2;

/// Delivered (Postfix `status=sent`; Exim `=>`, `->`, `>>`).
pub const SMTPREPLY_MAILLOG_DELIVERED: u32 = 1;
/// Deferred (Postfix `status=deferred`; Exim `==`): as a final outcome, still deferred when its
/// message left the queue, when it was evicted, or when the log was finished.
pub const SMTPREPLY_MAILLOG_DEFERRED: u32 = 2;
/// Bounced (Postfix `status=bounced`; Exim `**`).
pub const SMTPREPLY_MAILLOG_BOUNCED: u32 = 3;
/// Expired: the message stayed in the queue too long.
pub const SMTPREPLY_MAILLOG_EXPIRED: u32 = 4;

/// `smtpreply_maillog_options.flags`: do not queue final records (a summary-only reader:
/// smtpreply_maillog_next_record always answers SMTPREPLY_NEED_MORE).
pub const SMTPREPLY_MAILLOG_SUMMARY_ONLY: u32 = 1;

/// Limits of a mail log reader. A zero field means its default, so a zeroed struct (or NULL) is
/// the defaults; smtpreply_maillog_options_init writes the defaults out.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_maillog_options {
    /// The longest line read, in bytes before its LF (default 65536; 256 to 16777216). Longer
    /// lines are skipped and counted.
    pub max_line: usize,
    /// The most deferred recipients remembered (default 100000; at most 10000000). When passed,
    /// the least recently deferred message is evicted: its recipients become final, as deferred.
    pub max_open: usize,
    /// The most bytes the deferred recipients may hold (default 64 MiB).
    pub max_open_bytes: usize,
    /// The most domains counted by name (default 10000; at most 1000000); the rest are counted in
    /// one "other" bucket.
    pub max_domains: usize,
    /// The most final records waiting for smtpreply_maillog_next_record (default 10000; at most
    /// 1000000). When full, the oldest is dropped (and counted in `records_dropped`).
    pub max_queued: usize,
    /// `SMTPREPLY_MAILLOG_*` flags; unknown bits are refused.
    pub flags: u32,
}

/// One recipient's final outcome (from smtpreply_maillog_next_record) or one line's record (from
/// smtpreply_maillog_parse_line). Byte fields are pointer + length, not NUL-terminated; a field
/// not in the log has length 0 (its pointer is not NULL, but must not be read). They point into the handle (or into the line given to
/// smtpreply_maillog_parse_line) and stay valid until the next smtpreply_maillog_next_record,
/// _feed, _finish or _free on the handle.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_maillog_record {
    /// `SMTPREPLY_MAILLOG_POSTFIX` or `SMTPREPLY_MAILLOG_EXIM`.
    pub format: u32,
    /// `SMTPREPLY_MAILLOG_DELIVERED`, `_DEFERRED`, `_BOUNCED` or `_EXPIRED`.
    pub status: u32,
    /// Line number in the log (from 1); 0 from smtpreply_maillog_parse_line.
    pub line: u64,
    /// The timestamp as logged.
    pub timestamp: *const u8,
    pub timestamp_len: usize,
    /// The syslog host name (empty in an Exim main log).
    pub host: *const u8,
    pub host_len: usize,
    /// The syslog program ("postfix/smtp"; empty in an Exim main log).
    pub program: *const u8,
    pub program_len: usize,
    /// Postfix queue id or Exim message id.
    pub queue_id: *const u8,
    pub queue_id_len: usize,
    pub recipient: *const u8,
    pub recipient_len: usize,
    /// The recipient's domain (the original recipient's when the recipient has none).
    pub domain: *const u8,
    pub domain_len: usize,
    /// Postfix `orig_to=`, Exim's `<parent address>`.
    pub orig_recipient: *const u8,
    pub orig_recipient_len: usize,
    /// Postfix relay=, Exim H=.
    pub relay: *const u8,
    pub relay_len: usize,
    /// Postfix delivery agent ("smtp", "local" ...), Exim transport (or router).
    pub transport: *const u8,
    pub transport_len: usize,
    /// Postfix delay=, Exim QT= (or DT=).
    pub delay: *const u8,
    pub delay_len: usize,
    /// The remote reply or the explanation (Exim: the C="..." confirmation of a delivery).
    pub text: *const u8,
    pub text_len: usize,
    /// Postfix dsn=; Exim: the reply's enhanced status code.
    pub has_dsn: bool,
    pub dsn: smtpreply_enhanced_code,
    /// `SMTPREPLY_COMMAND_*` the reply answered when the log says; UNKNOWN otherwise.
    pub command: u32,
    /// Deferrals of this recipient seen before its final outcome (this one included when it is
    /// one).
    pub deferrals: u32,
    /// Exim "retry time not reached": a retry skipped, not an attempt.
    pub no_attempt: bool,
    /// Evicted from the bounded state while deferred.
    pub evicted: bool,
    /// A field was cut to fit the bounded copy the handle keeps.
    pub truncated: bool,
    /// False for deliveries; `classification` is then a placeholder (valid static strings).
    pub has_classification: bool,
    /// Why it failed; spans are offsets into `text`.
    pub classification: smtpreply_classification,
    /// "delivered", "deferred", "bounced", "expired" (static).
    pub status_name: *const c_char,
    /// "postfix" or "exim" (static).
    pub format_name: *const c_char,
}

/// The totals of a reader. Lines: `lines == lines_too_long + lines_other + postfix_lines +
/// exim_lines + message_lines`. Recipients: `recipients == delivered + deferred + bounced +
/// expired`, also the sum of smtpreply_maillog_reason_count over every reason.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_maillog_summary {
    pub bytes: u64,
    pub lines: u64,
    /// Lines longer than max_line, skipped.
    pub lines_too_long: u64,
    /// Lines that are neither delivery-status nor message lines.
    pub lines_other: u64,
    pub postfix_lines: u64,
    pub exim_lines: u64,
    /// Arrivals, whole-message expiries, messages leaving the queue.
    pub message_lines: u64,
    /// Messages that arrived (Exim <=, Postfix cleanup message-id=).
    pub messages: u64,
    /// Deferral lines.
    pub deferrals: u64,
    /// Recipients with a final outcome.
    pub recipients: u64,
    pub delivered: u64,
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    /// Deferred recipients not yet final (0 once finished).
    pub open: u64,
    /// Deferred recipients evicted by the caps (counted as deferred).
    pub evicted: u64,
    /// Final records dropped from the full queue (counted all the same).
    pub records_dropped: u64,
    /// Domains counted by name.
    pub domains: u64,
    /// Final outcomes counted in the "other" domain bucket.
    pub domains_folded: u64,
    /// Failures counted in no reply group (the group table was full).
    pub groups_folded: u64,
    pub finished: bool,
    /// The first and last timestamps of delivery or message lines (as logged; length 0 before
    /// any). They point into the handle: valid until the next _feed, _finish or _free.
    pub first_timestamp: *const u8,
    pub first_timestamp_len: usize,
    pub last_timestamp: *const u8,
    pub last_timestamp_len: usize,
}

/// What happened to the recipients of one domain. `domain` points into the handle: valid until
/// the next _feed, _finish or _free.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_maillog_domain {
    /// The domain in lower case (length 0 for the "other" bucket, and for recipients without a
    /// domain).
    pub domain: *const u8,
    pub domain_len: usize,
    /// The bucket of the domains beyond max_domains (always the last entry when present).
    pub other: bool,
    pub recipients: u64,
    pub delivered: u64,
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    /// The most frequent failure reason (`SMTPREPLY_REASON_*`, never SUCCESS) and its count;
    /// `has_top_failure` is false when nothing failed.
    pub has_top_failure: bool,
    pub top_failure: u32,
    pub top_failure_count: u64,
    /// The reason's name, or NULL (static).
    pub top_failure_name: *const c_char,
}

/// Failures that share a reason, reply code, enhanced code and deciding rule. `example` points
/// into the handle: valid until the next _feed, _finish or _free.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_maillog_group {
    /// `SMTPREPLY_REASON_*`
    pub reason: u32,
    /// The reply code, 0 when the text had none ("Connection refused").
    pub code: u32,
    pub has_enhanced: bool,
    pub enhanced: smtpreply_enhanced_code,
    /// Final outcomes in the group, and how many were deferred, bounced and expired.
    pub count: u64,
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    /// The text of the first outcome seen (at most 256 bytes).
    pub example: *const u8,
    pub example_len: usize,
    /// The classifier's deciding rule and the reason's name, explanation and advice (static).
    pub rule: *const c_char,
    pub reason_name: *const c_char,
    pub explanation: *const c_char,
    pub advice: *const c_char,
}

/// A domain row kept for index access (the table is sorted once per change of the log).
struct DomainRow {
    name: (usize, usize),
    other: bool,
    counts: [u64; 4],
    reasons: [u64; Reason::ALL.len()],
    top: Option<(Reason, u64)>,
}

struct GroupRow {
    group: smtpreply_maillog_group,
    example: (usize, usize),
}

/// Sorted copies of the domain and group tables, for a given generation of the log.
#[derive(Default)]
struct Tables {
    generation: u64,
    domains: Vec<DomainRow>,
    groups: Vec<GroupRow>,
    /// Domain names and group examples.
    bytes: Vec<u8>,
}

/// A mail log reader (`smtpreply_maillog_new` / `smtpreply_maillog_free`). One thread at a time.
pub struct smtpreply_maillog {
    inner: MailLog,
    tables: Option<Tables>,
}

impl smtpreply_maillog {
    fn tables(&mut self) -> &Tables {
        let generation = self.inner.generation();
        if self.tables.as_ref().is_none_or(|t| t.generation != generation) {
            let mut t = Tables { generation, ..Tables::default() };
            for d in self.inner.domains() {
                let start = t.bytes.len();
                t.bytes.extend_from_slice(d.domain);
                t.domains.push(DomainRow {
                    name: (start, d.domain.len()),
                    other: d.other,
                    counts: [d.delivered, d.deferred, d.bounced, d.expired],
                    reasons: Reason::ALL.map(|r| d.reason_count(r)),
                    top: d.top_failure(),
                });
            }
            for g in self.inner.reply_groups() {
                let start = t.bytes.len();
                t.bytes.extend_from_slice(g.example);
                let info = g.reason;
                t.groups.push(GroupRow {
                    group: smtpreply_maillog_group {
                        reason: g.reason as u32,
                        code: g.code as u32,
                        has_enhanced: g.enhanced.is_some(),
                        enhanced: enhanced_to_c(g.enhanced),
                        count: g.count,
                        deferred: g.deferred,
                        bounced: g.bounced,
                        expired: g.expired,
                        example: std::ptr::null(),
                        example_len: 0,
                        rule: g.rule.as_ptr(),
                        reason_name: info.name_text().as_ptr(),
                        explanation: info.explanation_text().as_ptr(),
                        advice: info.advice_text().as_ptr(),
                    },
                    example: (start, g.example.len()),
                });
            }
            self.tables = Some(t);
        }
        self.tables.as_ref().expect("just built")
    }
}

/// A byte field for C. An empty field keeps a non-NULL pointer (never to be read), so that C code
/// may pass it to memcmp or fwrite with its length 0.
fn ptr_len(s: &[u8]) -> (*const u8, usize) {
    (s.as_ptr(), s.len())
}

fn record_to_c(r: &Record<'_>) -> smtpreply_maillog_record {
    let (timestamp, timestamp_len) = ptr_len(r.timestamp);
    let (host, host_len) = ptr_len(r.host);
    let (program, program_len) = ptr_len(r.program);
    let (queue_id, queue_id_len) = ptr_len(r.queue_id);
    let (recipient, recipient_len) = ptr_len(r.recipient);
    let (domain, domain_len) = ptr_len(r.domain);
    let (orig_recipient, orig_recipient_len) = ptr_len(r.orig_recipient);
    let (relay, relay_len) = ptr_len(r.relay);
    let (transport, transport_len) = ptr_len(r.transport);
    let (delay, delay_len) = ptr_len(r.delay);
    let (text, text_len) = ptr_len(r.text);
    smtpreply_maillog_record {
        format: r.format as u32,
        status: r.status as u32,
        line: r.line,
        timestamp,
        timestamp_len,
        host,
        host_len,
        program,
        program_len,
        queue_id,
        queue_id_len,
        recipient,
        recipient_len,
        domain,
        domain_len,
        orig_recipient,
        orig_recipient_len,
        relay,
        relay_len,
        transport,
        transport_len,
        delay,
        delay_len,
        text,
        text_len,
        has_dsn: r.dsn.is_some(),
        dsn: enhanced_to_c(r.dsn),
        command: r.command.map_or(0, |c| c as u32),
        deferrals: r.deferrals,
        no_attempt: r.no_attempt,
        evicted: r.evicted,
        truncated: r.truncated,
        has_classification: r.classification.is_some(),
        classification: r.classification.as_ref().map_or_else(placeholder_classification, to_c_classification),
        status_name: r.status.name_text().as_ptr(),
        format_name: r.format.name_text().as_ptr(),
    }
}

fn reason_arg(reason: u32) -> Result<Reason, Error> {
    Reason::from_u32(reason).ok_or_else(|| {
        Error::range(format!("reason {reason} is not an SMTPREPLY_REASON_* value (0 to {})", Reason::ALL.len() - 1))
    })
}

unsafe fn options_arg(ptr: *const smtpreply_maillog_options) -> Result<(Options, u32), Error> {
    let mut o = Options::default();
    if ptr.is_null() {
        return Ok((o, 0));
    }
    let c = ref_arg(ptr, "options")?;
    if c.flags & !SMTPREPLY_MAILLOG_SUMMARY_ONLY != 0 {
        return Err(Error::invalid(format!(
            "options.flags has unknown bits 0x{:x}",
            c.flags & !SMTPREPLY_MAILLOG_SUMMARY_ONLY
        )));
    }
    for (field, value) in [
        (&mut o.max_line, c.max_line),
        (&mut o.max_open, c.max_open),
        (&mut o.max_open_bytes, c.max_open_bytes),
        (&mut o.max_domains, c.max_domains),
        (&mut o.max_queued, c.max_queued),
    ] {
        if value != 0 {
            *field = value;
        }
    }
    if c.flags & SMTPREPLY_MAILLOG_SUMMARY_ONLY != 0 {
        o.max_queued = 0;
    }
    o.validate().map_err(|e| Error::range(format!("options: {e}")))?;
    Ok((o, c.flags))
}

/// Fills `*options` with the defaults (the same as passing NULL to smtpreply_maillog_new).
/// Returns `SMTPREPLY_OK` or `SMTPREPLY_NULL_PARAMETER`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_options_init(options: *mut smtpreply_maillog_options) -> smtpreply_result {
    guard(|| {
        let d = Options::default();
        Out::new(options, "options")?.write(smtpreply_maillog_options {
            max_line: d.max_line,
            max_open: d.max_open,
            max_open_bytes: d.max_open_bytes,
            max_domains: d.max_domains,
            max_queued: d.max_queued,
            flags: 0,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Creates a mail log reader with `options` (NULL for the defaults) and stores it in `*out`; free
/// it with smtpreply_maillog_free.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_NULL_PARAMETER` (out); `SMTPREPLY_INVALID_INPUT` (unknown
/// flags); `SMTPREPLY_OUT_OF_RANGE` (a limit outside its range; the message names it).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_new(
    options: *const smtpreply_maillog_options,
    out: *mut *mut smtpreply_maillog,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let (opts, _) = options_arg(options)?;
        let inner = MailLog::with_options(opts).map_err(|e| Error::range(format!("options: {e}")))?;
        out.write(Box::into_raw(Box::new(smtpreply_maillog { inner, tables: None })));
        Ok(SMTPREPLY_OK)
    })
}

/// Frees a reader and everything it holds (records, tables, the pointers they gave out). NULL is a
/// no-op. No other thread may use the handle at the same time, or afterwards.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_free(log: *mut smtpreply_maillog) {
    guard_value((), || free_box(log))
}

/// Reads a chunk of the log: any size, cut anywhere (lines may span chunks); bytes are copied
/// only for a line cut by the chunk's end. Records that become final are queued for
/// smtpreply_maillog_next_record: take them after every feed. `data` may be NULL when `len` is 0.
/// Any bytes are accepted: lines that are not delivery lines are counted, lines longer than
/// max_line are skipped and counted.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_WRONG_STATE` after smtpreply_maillog_finish (nothing is
/// read); `SMTPREPLY_NULL_PARAMETER`. Invalidates the previous record's pointers. The bytes are not
/// kept after the call. Changes the handle: one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_feed(
    log: *mut smtpreply_maillog,
    data: *const u8,
    len: usize,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let input = bytes_arg(data, len, "data")?;
        l.inner.feed(input).map_err(|e| Error::new(SMTPREPLY_WRONG_STATE, e.to_string()))?;
        Ok(SMTPREPLY_OK)
    })
}

/// Ends the input: a last line without a line end is read, and every recipient still deferred
/// becomes final (as deferred). Take the last records with smtpreply_maillog_next_record. Calling
/// it again does nothing.
///
/// Returns `SMTPREPLY_OK` or `SMTPREPLY_NULL_PARAMETER`. Changes the handle: one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_finish(log: *mut smtpreply_maillog) -> smtpreply_result {
    guard(|| {
        mut_arg(log, "log")?.inner.finish();
        Ok(SMTPREPLY_OK)
    })
}

/// Takes the oldest final record not yet taken into `*out`. Its pointers point into the handle and
/// stay valid until the next smtpreply_maillog_next_record, _feed, _finish or _free.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_NEED_MORE` when none is waiting (not an error: feed more,
/// or finish; `*out` is not written); `SMTPREPLY_NULL_PARAMETER`. Changes the handle: one thread
/// at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_next_record(
    log: *mut smtpreply_maillog,
    out: *mut smtpreply_maillog_record,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        match l.inner.next_record() {
            Some(r) => {
                out.write(record_to_c(&r));
                Ok(SMTPREPLY_OK)
            }
            None => Ok(SMTPREPLY_NEED_MORE),
        }
    })
}

/// Stores the totals so far in `*out` (the timestamps point into the handle: valid until the next
/// _feed, _finish or _free). Returns `SMTPREPLY_OK` or `SMTPREPLY_NULL_PARAMETER`. Does not change
/// the handle: may be called from several threads at once while no thread changes it.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_get_summary(
    log: *const smtpreply_maillog,
    out: *mut smtpreply_maillog_summary,
) -> smtpreply_result {
    guard(|| {
        let l = ref_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        let s = l.inner.summary();
        let (first, last) = l.inner.timestamps();
        let (first_timestamp, first_timestamp_len) = ptr_len(first);
        let (last_timestamp, last_timestamp_len) = ptr_len(last);
        out.write(smtpreply_maillog_summary {
            bytes: s.bytes,
            lines: s.lines,
            lines_too_long: s.lines_too_long,
            lines_other: s.lines_other,
            postfix_lines: s.postfix_lines,
            exim_lines: s.exim_lines,
            message_lines: s.message_lines,
            messages: s.messages,
            deferrals: s.deferrals,
            recipients: s.recipients(),
            delivered: s.delivered,
            deferred: s.deferred,
            bounced: s.bounced,
            expired: s.expired,
            open: s.open,
            evicted: s.evicted,
            records_dropped: s.records_dropped,
            domains: s.domains,
            domains_folded: s.domains_folded,
            groups_folded: s.groups_folded,
            finished: s.finished,
            first_timestamp,
            first_timestamp_len,
            last_timestamp,
            last_timestamp_len,
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out` the number of final outcomes with reason `reason` (`SMTPREPLY_REASON_*`;
/// deliveries count as SUCCESS, an expired recipient under the reason of its last deferral).
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_OUT_OF_RANGE` for a number that is not a reason;
/// `SMTPREPLY_NULL_PARAMETER`. Does not change the handle: may be called from several threads at
/// once while no thread changes it.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_reason_count(
    log: *const smtpreply_maillog,
    reason: u32,
    out: *mut u64,
) -> smtpreply_result {
    guard(|| {
        let l = ref_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        let r = reason_arg(reason)?;
        out.write(l.inner.reason_count(r));
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out` the number of entries smtpreply_maillog_domain_at gives: the domains counted by
/// name, plus the "other" bucket when any outcome was folded into it.
///
/// Returns `SMTPREPLY_OK` or `SMTPREPLY_NULL_PARAMETER`. Sorts the table after a change of the log
/// (and keeps the sorted copy in the handle), hence the non-const handle: one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_domain_count(
    log: *mut smtpreply_maillog,
    out: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        out.write(l.tables().domains.len());
        Ok(SMTPREPLY_OK)
    })
}

/// Reads domain entry `index` into `*out`: most recipients first, then by name; the "other" bucket
/// last. `domain` points into the handle (valid until the next _feed, _finish or _free).
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_OUT_OF_RANGE` for an index past the count;
/// `SMTPREPLY_NULL_PARAMETER`. May sort (see smtpreply_maillog_domain_count): one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_domain_at(
    log: *mut smtpreply_maillog,
    index: usize,
    out: *mut smtpreply_maillog_domain,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        let t = l.tables();
        let d = t
            .domains
            .get(index)
            .ok_or_else(|| Error::range(format!("domain index {index} is not below the count {}", t.domains.len())))?;
        let (domain, domain_len) = ptr_len(&t.bytes[d.name.0..d.name.0 + d.name.1]);
        out.write(smtpreply_maillog_domain {
            domain,
            domain_len,
            other: d.other,
            recipients: d.counts.iter().sum(),
            delivered: d.counts[0],
            deferred: d.counts[1],
            bounced: d.counts[2],
            expired: d.counts[3],
            has_top_failure: d.top.is_some(),
            top_failure: d.top.map_or(0, |(r, _)| r as u32),
            top_failure_count: d.top.map_or(0, |(_, n)| n),
            top_failure_name: d.top.map_or(std::ptr::null(), |(r, _)| r.name_text().as_ptr()),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out` the number of final outcomes of domain entry `index` with reason `reason`.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_OUT_OF_RANGE` for an index past the count or a number that is
/// not a reason; `SMTPREPLY_NULL_PARAMETER`. May sort: one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_domain_reason_count(
    log: *mut smtpreply_maillog,
    index: usize,
    reason: u32,
    out: *mut u64,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        let r = reason_arg(reason)?;
        let t = l.tables();
        let d = t
            .domains
            .get(index)
            .ok_or_else(|| Error::range(format!("domain index {index} is not below the count {}", t.domains.len())))?;
        out.write(d.reasons[r as usize]);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out` the number of reply groups (failures grouped by reason, reply code, enhanced
/// code and deciding rule; at most 1024).
///
/// Returns `SMTPREPLY_OK` or `SMTPREPLY_NULL_PARAMETER`. Sorts after a change of the log, hence the
/// non-const handle: one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_group_count(
    log: *mut smtpreply_maillog,
    out: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        out.write(l.tables().groups.len());
        Ok(SMTPREPLY_OK)
    })
}

/// Reads reply group `index` into `*out`: largest first (then by reason, code, enhanced code,
/// rule). `example` points into the handle (valid until the next _feed, _finish or _free); the
/// strings are static.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_OUT_OF_RANGE` for an index past the count;
/// `SMTPREPLY_NULL_PARAMETER`. May sort: one thread at a time.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_group_at(
    log: *mut smtpreply_maillog,
    index: usize,
    out: *mut smtpreply_maillog_group,
) -> smtpreply_result {
    guard(|| {
        let l = mut_arg(log, "log")?;
        let out = Out::new(out, "out")?;
        let t = l.tables();
        let g = t
            .groups
            .get(index)
            .ok_or_else(|| Error::range(format!("group index {index} is not below the count {}", t.groups.len())))?;
        let (example, example_len) = ptr_len(&t.bytes[g.example.0..g.example.0 + g.example.1]);
        out.write(smtpreply_maillog_group { example, example_len, ..g.group });
        Ok(SMTPREPLY_OK)
    })
}

/// Parses one delivery-status line of a Postfix or Exim log (a final LF or CRLF is allowed) into
/// `*out`, with the classification of its reply (none for a delivery). Pointers point into `data`.
/// Without a handle there is no history: `line` and `deferrals` are 0.
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_NOT_FOUND` when the line is not a delivery-status line (an
/// ordinary answer for most lines of a log); `SMTPREPLY_INVALID_INPUT` when `data` holds a line
/// end before its end (more than one line); `SMTPREPLY_LIMIT_EXCEEDED` for more than 16 MiB;
/// `SMTPREPLY_NULL_PARAMETER`. Does not allocate; thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_maillog_parse_line(
    data: *const u8,
    len: usize,
    out: *mut smtpreply_maillog_record,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let line = bytes_arg(data, len, "data")?;
        if line.len() > Options::MAX_LINE {
            return Err(Error::new(
                SMTPREPLY_LIMIT_EXCEEDED,
                format!("the line is {} bytes; at most {} are read", line.len(), Options::MAX_LINE),
            ));
        }
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        if let Some(p) = memchr::memchr(b'\n', body) {
            return Err(Error::invalid(format!("data holds a line end at byte {p}: give one line")));
        }
        let r = parse_line(line)
            .ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, "not a Postfix or Exim delivery-status line"))?;
        out.write(record_to_c(&r));
        Ok(SMTPREPLY_OK)
    })
}

/// "delivered", "deferred", "bounced" or "expired" for `SMTPREPLY_MAILLOG_<STATUS>`, or NULL.
/// Static; thread-safe.
#[no_mangle]
pub extern "C" fn smtpreply_maillog_status_name(status: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Status::from_u32(status).map_or(std::ptr::null(), |s| s.name_text().as_ptr()))
}

/// "postfix" or "exim" for `SMTPREPLY_MAILLOG_POSTFIX` / `_EXIM`, or NULL. Static; thread-safe.
#[no_mangle]
pub extern "C" fn smtpreply_maillog_format_name(format: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Format::from_u32(format).map_or(std::ptr::null(), |f| f.name_text().as_ptr()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_core() {
        assert_eq!(Format::Postfix as u32, SMTPREPLY_MAILLOG_POSTFIX);
        assert_eq!(Format::Exim as u32, SMTPREPLY_MAILLOG_EXIM);
        assert_eq!(Status::Delivered as u32, SMTPREPLY_MAILLOG_DELIVERED);
        assert_eq!(Status::Deferred as u32, SMTPREPLY_MAILLOG_DEFERRED);
        assert_eq!(Status::Bounced as u32, SMTPREPLY_MAILLOG_BOUNCED);
        assert_eq!(Status::Expired as u32, SMTPREPLY_MAILLOG_EXPIRED);
    }

    #[test]
    fn options_zero_means_default() {
        let zero = smtpreply_maillog_options {
            max_line: 0,
            max_open: 0,
            max_open_bytes: 0,
            max_domains: 0,
            max_queued: 0,
            flags: 0,
        };
        let (o, _) = unsafe { options_arg(&zero) }.unwrap();
        assert_eq!(o, Options::default());
        let (o, _) =
            unsafe { options_arg(&smtpreply_maillog_options { flags: SMTPREPLY_MAILLOG_SUMMARY_ONLY, ..zero }) }
                .unwrap();
        assert_eq!(o.max_queued, 0);
        let e = unsafe { options_arg(&smtpreply_maillog_options { flags: 2, ..zero }) }.unwrap_err();
        assert_eq!(e.code, SMTPREPLY_INVALID_INPUT);
        let e = unsafe { options_arg(&smtpreply_maillog_options { max_line: 10, ..zero }) }.unwrap_err();
        assert_eq!(e.code, SMTPREPLY_OUT_OF_RANGE);
        assert!(e.message.contains("max_line"));
    }
}
