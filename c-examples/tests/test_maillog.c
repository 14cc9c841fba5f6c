/*
 * Mail server logs through the C API: smtpreply_maillog_* (Postfix and Exim delivery logs, each
 * recipient's final outcome, the summary per reason, domain and reply group).
 *
 *   normal use    a small mixed log (Postfix and Exim; a bounce, a deferral later delivered, a
 *                 deferral never settled, CRLF, junk): every final record field by field, the
 *                 summary, the reason counts, the domain table, the reply groups, the timestamps
 *   chunking      the same log fed whole, byte by byte and at every split point gives the same
 *                 records and summary
 *   bounds        a line longer than max_line (fed in pieces) is skipped and counted; the domain
 *                 table folds the rest into "other"; a full record queue drops the oldest; a
 *                 summary-only reader queues nothing; binary garbage and empty input
 *   lifetimes     a record's bytes stay valid and unchanged until the next call that moves the
 *                 handle (const calls in between do not)
 *   bad input     every NULL pointer, out-of-range reasons and indexes, unknown flags, limits out
 *                 of range, feed after finish, parse_line of several lines; outputs pre-filled with
 *                 CHECK_SENTINEL and untouched on every non-OK result
 *   single lines  smtpreply_maillog_parse_line, status and format names
 *   threads       4 threads, each with its own handle, reading the log at once
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <pthread.h>
#include <smtpreply.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* A call that must fail with `expected` and leave one output untouched. */
#define FAILS_1(call, expected, o1)                                                                             \
    do {                                                                                                        \
        check_fill(&(o1), sizeof(o1));                                                                          \
        CHECK_RESULT(call, expected);                                                                           \
        CHECK_UNTOUCHED(o1);                                                                                    \
    } while (0)

/* Ten lines: 5 Postfix delivery lines, 1 Exim, 2 message lines, 2 other lines (a connection and
 * junk). Final outcomes in order: alice delivered, bob bounced, carol delivered after a deferral,
 * frank bounced (Exim), then at finish dave still deferred. */
static const char LOG[] =
    "Mar  3 09:00:01 mx1 postfix/cleanup[2102]: 4Q9DkB1xYz: message-id=<1@shop.example>\n"
    "Mar  3 09:00:03 mx1 postfix/smtp[2110]: 4Q9DkB1xYz: to=<alice@gmail.com>, relay=gmail-smtp-in.l.google.com"
    "[142.250.102.27]:25, delay=1.9, delays=0.05/0.01/0.61/1.2, dsn=2.0.0, status=sent (250 2.0.0 OK  1709456403 - "
    "gsmtp)\n"
    "Mar  3 09:00:03 mx1 postfix/smtp[2110]: 4Q9DkB1xYz: to=<bob@example.com>, orig_to=<robert@example.com>, "
    "relay=mx.example.com[192.0.2.10]:25, delay=2, delays=0.05/0.01/0.61/1.3, dsn=5.1.1, status=bounced (host "
    "mx.example.com[192.0.2.10] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown (in "
    "reply to RCPT TO command))\n"
    "Mar  3 09:00:04 mx1 postfix/smtp[2111]: 4Q9DkB1xYz: to=<carol@greylist.example>, relay=mx.greylist.example"
    "[198.51.100.20]:25, delay=3, delays=0.05/0.01/1.5/1.4, dsn=4.2.0, status=deferred (host mx.greylist.example"
    "[198.51.100.20] said: 450 4.2.0 <carol@greylist.example>: Recipient address rejected: Greylisted, see "
    "http://postgrey.schweikert.ch/help/greylist.example.html (in reply to RCPT TO command))\n"
    "Mar  3 09:00:05 mx1 postfix/smtpd[2130]: connect from unknown[203.0.113.99]\n"
    "Mar  3 09:10:01 mx1 postfix/smtp[2175]: 4Q9DkB1xYz: to=<carol@greylist.example>, relay=mx.greylist.example"
    "[198.51.100.20]:25, delay=600, delays=599/0.01/0.4/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "
    "4TqR7s0kVGz)\n"
    "Mar  3 09:10:01 mx1 postfix/qmgr[880]: 4Q9DkB1xYz: removed\n"
    "Mar  3 09:12:00 mx1 postfix/error[2170]: 8B2C3D4E5F: to=<dave@gone.example>, relay=none, delay=600, "
    "delays=599/1/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mx.gone.example"
    "[192.0.2.77]:25: Connection refused)\r\n"
    "2024-03-07 11:00:01 1rgZ11-000AbC-T4 ** frank@big.example <sales@shop.example> R=dnslookup T=remote_smtp "
    "H=mx1.big.example [203.0.113.40]: SMTP error from remote mail server after end of data: 552 5.3.4 Message size "
    "exceeds fixed maximum message size\n"
    "junk \x01\x02\xff\n";

/* ---------------------------------------------------------------- helpers */

static int bytes_eq(const uint8_t *p, size_t n, const char *s) {
    return n == strlen(s) && (n == 0 || memcmp(p, s, n) == 0);
}

#define CHECK_FIELD(rec, field, s) CHECK_MEM((rec).field, (rec).field##_len, (s), strlen(s))

/* A record copied out of the handle, to compare runs. */
struct seen {
    uint32_t status, format, reason, command, deferrals;
    uint64_t line;
    bool has_class;
    char recipient[64], domain[64], text[512], timestamp[40];
};

static void copy_field(char *dst, size_t cap, const uint8_t *p, size_t n) {
    if (n >= cap) n = cap - 1;
    if (n) memcpy(dst, p, n);
    dst[n] = '\0';
}

static void seen_of(struct seen *s, const smtpreply_maillog_record *r) {
    memset(s, 0, sizeof *s);
    s->status = r->status;
    s->format = r->format;
    s->reason = r->has_classification ? r->classification.reason : 999;
    s->command = r->command;
    s->deferrals = r->deferrals;
    s->line = r->line;
    s->has_class = r->has_classification;
    copy_field(s->recipient, sizeof s->recipient, r->recipient, r->recipient_len);
    copy_field(s->domain, sizeof s->domain, r->domain, r->domain_len);
    copy_field(s->text, sizeof s->text, r->text, r->text_len);
    copy_field(s->timestamp, sizeof s->timestamp, r->timestamp, r->timestamp_len);
}

static int seen_eq(const struct seen *a, const struct seen *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

/* The summary fields that do not point into a handle. */
static int summary_eq(const smtpreply_maillog_summary *a, const smtpreply_maillog_summary *b) {
    return a->bytes == b->bytes && a->lines == b->lines && a->lines_too_long == b->lines_too_long &&
           a->lines_other == b->lines_other && a->postfix_lines == b->postfix_lines &&
           a->exim_lines == b->exim_lines && a->message_lines == b->message_lines && a->messages == b->messages &&
           a->deferrals == b->deferrals && a->recipients == b->recipients && a->delivered == b->delivered &&
           a->deferred == b->deferred && a->bounced == b->bounced && a->expired == b->expired && a->open == b->open &&
           a->evicted == b->evicted && a->records_dropped == b->records_dropped && a->domains == b->domains &&
           a->domains_folded == b->domains_folded && a->groups_folded == b->groups_folded &&
           a->finished == b->finished && bytes_eq(a->first_timestamp, a->first_timestamp_len, "") ==
                                             bytes_eq(b->first_timestamp, b->first_timestamp_len, "");
}

#define MAX_SEEN 16

struct run {
    struct seen records[MAX_SEEN];
    size_t n;
    smtpreply_maillog_summary summary;
    int ok;
};

/* Reads `len` bytes of `data` in pieces of `piece` bytes (0: whole), taking records after every
 * feed, then finishes. No CHECKs: usable from any thread; `ok` says whether every call worked. */
static void read_log(struct run *out, const uint8_t *data, size_t len, size_t piece, size_t split) {
    smtpreply_maillog *log = NULL;
    smtpreply_maillog_record r;
    size_t at = 0;
    memset(out, 0, sizeof *out);
    out->ok = smtpreply_maillog_new(NULL, &log) == SMTPREPLY_OK && log != NULL;
    if (!out->ok) return;
    while (at < len || (at == 0 && len == 0)) {
        size_t n = piece ? piece : len - at;
        if (split && at == 0) n = split;
        if (n > len - at) n = len - at;
        out->ok &= smtpreply_maillog_feed(log, data + at, n) == SMTPREPLY_OK;
        while (smtpreply_maillog_next_record(log, &r) == SMTPREPLY_OK && out->n < MAX_SEEN) seen_of(&out->records[out->n++], &r);
        at += n;
        if (len == 0) break;
    }
    out->ok &= smtpreply_maillog_finish(log) == SMTPREPLY_OK;
    while (smtpreply_maillog_next_record(log, &r) == SMTPREPLY_OK && out->n < MAX_SEEN) seen_of(&out->records[out->n++], &r);
    out->ok &= smtpreply_maillog_get_summary(log, &out->summary) == SMTPREPLY_OK;
    /* The timestamps point into the handle: forget them before it goes. */
    out->summary.first_timestamp = NULL;
    out->summary.last_timestamp = NULL;
    smtpreply_maillog_free(log);
}

static int runs_eq(const struct run *a, const struct run *b) {
    size_t i;
    if (!a->ok || !b->ok || a->n != b->n || !summary_eq(&a->summary, &b->summary)) return 0;
    for (i = 0; i < a->n; i++)
        if (!seen_eq(&a->records[i], &b->records[i])) return 0;
    return 1;
}

static void expect_classification_names(const smtpreply_classification *c) {
    CHECK_STR(c->reason_name, smtpreply_reason_name(c->reason));
    CHECK_STR(c->explanation, smtpreply_reason_explanation(c->reason));
    CHECK_STR(c->advice, smtpreply_reason_advice(c->reason));
    CHECK(c->rule != NULL && c->rule[0] != '\0');
}

/* ---------------------------------------------------------------- normal use */

static void records_field_by_field(void) {
    smtpreply_maillog *log = NULL;
    smtpreply_maillog_record r;
    smtpreply_maillog_summary s;
    const smtpreply_classification *c = &r.classification;

    CHECK_RESULT(smtpreply_maillog_new(NULL, &log), SMTPREPLY_OK);
    CHECK(log != NULL);
    /* Three chunks cut inside lines: the first ends in line 5, the second in line 6 (carol's
     * delivery), the third is the rest. */
    CHECK_RESULT(smtpreply_maillog_feed(log, (const uint8_t *)LOG, 1100), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, (const uint8_t *)LOG + 1100, 200), SMTPREPLY_OK);

    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_EQ_U(r.format, SMTPREPLY_MAILLOG_POSTFIX);
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_DELIVERED);
    CHECK_STR(r.status_name, "delivered");
    CHECK_STR(r.format_name, "postfix");
    CHECK_EQ_U(r.line, 2);
    CHECK_FIELD(r, timestamp, "Mar  3 09:00:03");
    CHECK_FIELD(r, host, "mx1");
    CHECK_FIELD(r, program, "postfix/smtp");
    CHECK_FIELD(r, queue_id, "4Q9DkB1xYz");
    CHECK_FIELD(r, recipient, "alice@gmail.com");
    CHECK_FIELD(r, domain, "gmail.com");
    CHECK_FIELD(r, orig_recipient, "");
    CHECK(r.orig_recipient != NULL);
    CHECK_FIELD(r, relay, "gmail-smtp-in.l.google.com[142.250.102.27]:25");
    CHECK_FIELD(r, transport, "smtp");
    CHECK_FIELD(r, delay, "1.9");
    CHECK_FIELD(r, text, "250 2.0.0 OK  1709456403 - gsmtp");
    CHECK(r.has_dsn);
    CHECK_EQ_U(r.dsn.status_class, 2);
    CHECK_EQ_U(r.command, SMTPREPLY_COMMAND_UNKNOWN);
    CHECK_EQ_U(r.deferrals, 0);
    CHECK(!r.no_attempt && !r.evicted && !r.truncated);
    CHECK(!r.has_classification);
    /* The placeholder is made of valid static strings all the same. */
    expect_classification_names(c);

    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_FIELD(r, recipient, "bob@example.com");
    CHECK_FIELD(r, orig_recipient, "robert@example.com");
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_BOUNCED);
    CHECK_EQ_U(r.line, 3);
    CHECK_EQ_U(r.command, SMTPREPLY_COMMAND_RCPT);
    CHECK(r.has_dsn);
    CHECK_EQ_U(r.dsn.status_class, 5);
    CHECK_EQ_U(r.dsn.subject, 1);
    CHECK_EQ_U(r.dsn.detail, 1);
    CHECK(r.has_classification);
    CHECK_EQ_U(c->reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK_EQ_U(c->bounce, SMTPREPLY_BOUNCE_HARD);
    CHECK_EQ_U(c->action, SMTPREPLY_ACTION_REMOVE_RECIPIENT);
    CHECK_EQ_U(c->code, 550);
    CHECK_EQ_U(c->command, SMTPREPLY_COMMAND_RCPT);
    expect_classification_names(c);
    /* The evidence span is inside the text and names the cause. */
    CHECK(c->evidence_len > 0 && c->evidence_offset + c->evidence_len <= r.text_len);
    CHECK(bytes_eq(r.text + c->evidence_offset, c->evidence_len, "User unknown"));

    /* Nothing more yet: carol is open, dave not read, frank's line is still cut. */
    check_fill(&r, sizeof r);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);
    CHECK_UNTOUCHED(r);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.open, 1);
    CHECK(!s.finished);

    CHECK_RESULT(smtpreply_maillog_feed(log, (const uint8_t *)LOG + 1300, sizeof LOG - 1 - 1300), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_FIELD(r, recipient, "carol@greylist.example");
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_DELIVERED);
    CHECK_EQ_U(r.line, 6);
    CHECK_EQ_U(r.deferrals, 1);

    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_EQ_U(r.format, SMTPREPLY_MAILLOG_EXIM);
    CHECK_STR(r.format_name, "exim");
    CHECK_FIELD(r, recipient, "frank@big.example");
    CHECK_FIELD(r, orig_recipient, "sales@shop.example");
    CHECK_FIELD(r, queue_id, "1rgZ11-000AbC-T4");
    CHECK_FIELD(r, timestamp, "2024-03-07 11:00:01");
    CHECK_FIELD(r, host, "");
    CHECK_FIELD(r, relay, "mx1.big.example [203.0.113.40]");
    CHECK_FIELD(r, transport, "remote_smtp");
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_BOUNCED);
    CHECK_EQ_U(r.command, SMTPREPLY_COMMAND_DATA_END);
    CHECK_EQ_U(c->reason, SMTPREPLY_REASON_MESSAGE_TOO_LARGE);
    CHECK(r.has_dsn);
    CHECK_EQ_U(r.dsn.subject, 3);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);

    /* Finishing settles dave as deferred, with the reason of his deferral. */
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_FIELD(r, recipient, "dave@gone.example");
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_DEFERRED);
    CHECK_EQ_U(r.line, 8);
    CHECK_EQ_U(r.deferrals, 1);
    CHECK_FIELD(r, transport, "error");
    CHECK_FIELD(r, relay, "none");
    CHECK(r.text_len > 0 && r.text[r.text_len - 1] == 'd'); /* "...Connection refused", no CR */
    CHECK_EQ_U(c->reason, SMTPREPLY_REASON_NETWORK_ERROR);
    CHECK(c->retry);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);
    /* Finishing again changes nothing. */
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);
    smtpreply_maillog_free(log);
}

static void summary_and_tables(void) {
    smtpreply_maillog *log = NULL;
    smtpreply_maillog_summary s;
    smtpreply_maillog_domain d;
    smtpreply_maillog_group g;
    uint64_t n, total = 0;
    size_t count, i;
    uint32_t reason;
    static const char *const names[] = {"big.example", "example.com", "gmail.com", "gone.example", "greylist.example"};

    CHECK_RESULT(smtpreply_maillog_new(NULL, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.bytes, sizeof LOG - 1);
    CHECK_EQ_U(s.lines, 10);
    CHECK_EQ_U(s.postfix_lines, 5);
    CHECK_EQ_U(s.exim_lines, 1);
    CHECK_EQ_U(s.message_lines, 2);
    CHECK_EQ_U(s.lines_other, 2);
    CHECK_EQ_U(s.lines_too_long, 0);
    CHECK_EQ_U(s.lines, s.lines_too_long + s.lines_other + s.postfix_lines + s.exim_lines + s.message_lines);
    CHECK_EQ_U(s.messages, 1);
    CHECK_EQ_U(s.deferrals, 2);
    CHECK_EQ_U(s.recipients, 5);
    CHECK_EQ_U(s.delivered, 2);
    CHECK_EQ_U(s.bounced, 2);
    CHECK_EQ_U(s.deferred, 1);
    CHECK_EQ_U(s.expired, 0);
    CHECK_EQ_U(s.open, 0);
    CHECK_EQ_U(s.evicted, 0);
    CHECK_EQ_U(s.records_dropped, 0);
    CHECK_EQ_U(s.domains, 5);
    CHECK_EQ_U(s.domains_folded, 0);
    CHECK(s.finished);
    CHECK_BYTES(s.first_timestamp, s.first_timestamp_len, "Mar  3 09:00:01");
    CHECK_BYTES(s.last_timestamp, s.last_timestamp_len, "2024-03-07 11:00:01");

    /* Every reason, and their sum is the recipients. */
    for (reason = 0; smtpreply_reason_name(reason) != NULL; reason++) {
        CHECK_RESULT(smtpreply_maillog_reason_count(log, reason, &n), SMTPREPLY_OK);
        total += n;
    }
    CHECK_EQ_U(reason, 26);
    CHECK_EQ_U(total, s.recipients);
    CHECK_RESULT(smtpreply_maillog_reason_count(log, SMTPREPLY_REASON_SUCCESS, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 2);
    CHECK_RESULT(smtpreply_maillog_reason_count(log, SMTPREPLY_REASON_USER_UNKNOWN, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 1);
    CHECK_RESULT(smtpreply_maillog_reason_count(log, SMTPREPLY_REASON_NETWORK_ERROR, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 1);

    /* Domains: one recipient each, so by name. */
    CHECK_RESULT(smtpreply_maillog_domain_count(log, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 5);
    for (i = 0; i < count; i++) {
        CHECK_RESULT(smtpreply_maillog_domain_at(log, i, &d), SMTPREPLY_OK);
        CHECK_MEM(d.domain, d.domain_len, names[i], strlen(names[i]));
        CHECK(!d.other);
        CHECK_EQ_U(d.recipients, 1);
        CHECK_EQ_U(d.recipients, d.delivered + d.deferred + d.bounced + d.expired);
    }
    CHECK_RESULT(smtpreply_maillog_domain_at(log, 0, &d), SMTPREPLY_OK); /* big.example: too large */
    CHECK(d.has_top_failure);
    CHECK_EQ_U(d.top_failure, SMTPREPLY_REASON_MESSAGE_TOO_LARGE);
    CHECK_EQ_U(d.top_failure_count, 1);
    CHECK_STR(d.top_failure_name, "message_too_large");
    CHECK_RESULT(smtpreply_maillog_domain_at(log, 2, &d), SMTPREPLY_OK); /* gmail.com: delivered */
    CHECK(!d.has_top_failure);
    CHECK(d.top_failure_name == NULL);
    CHECK_EQ_U(d.delivered, 1);
    CHECK_RESULT(smtpreply_maillog_domain_reason_count(log, 3, SMTPREPLY_REASON_NETWORK_ERROR, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 1);
    CHECK_RESULT(smtpreply_maillog_domain_reason_count(log, 3, SMTPREPLY_REASON_SUCCESS, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);

    /* Reply groups: three failures, one each, ordered by reason number. */
    CHECK_RESULT(smtpreply_maillog_group_count(log, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 3);
    CHECK_RESULT(smtpreply_maillog_group_at(log, 0, &g), SMTPREPLY_OK);
    CHECK_EQ_U(g.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK_EQ_U(g.code, 550);
    CHECK(g.has_enhanced);
    CHECK_EQ_U(g.enhanced.detail, 1);
    CHECK_EQ_U(g.count, 1);
    CHECK_EQ_U(g.bounced, 1);
    CHECK_STR(g.reason_name, "user_unknown");
    CHECK_STR(g.explanation, smtpreply_reason_explanation(SMTPREPLY_REASON_USER_UNKNOWN));
    CHECK_STR(g.advice, smtpreply_reason_advice(SMTPREPLY_REASON_USER_UNKNOWN));
    CHECK(g.rule != NULL && g.rule[0] != '\0');
    CHECK(g.example_len > 20 && memcmp(g.example, "host mx.example.com", 19) == 0);
    CHECK_RESULT(smtpreply_maillog_group_at(log, 1, &g), SMTPREPLY_OK);
    CHECK_EQ_U(g.reason, SMTPREPLY_REASON_MESSAGE_TOO_LARGE);
    CHECK_RESULT(smtpreply_maillog_group_at(log, 2, &g), SMTPREPLY_OK);
    CHECK_EQ_U(g.reason, SMTPREPLY_REASON_NETWORK_ERROR);
    CHECK_EQ_U(g.code, 0);
    CHECK(!g.has_enhanced);
    CHECK_EQ_U(g.deferred, 1);
    smtpreply_maillog_free(log);
}

/* ---------------------------------------------------------------- chunking */

static void chunking(void) {
    static struct run whole, other;
    size_t split;
    read_log(&whole, LIT(LOG), 0, 0);
    CHECK(whole.ok);
    CHECK_EQ_U(whole.n, 5);
    CHECK_EQ_U(whole.summary.recipients, 5);
    read_log(&other, LIT(LOG), 1, 0);
    CHECK(runs_eq(&whole, &other));
    read_log(&other, LIT(LOG), 7, 0);
    CHECK(runs_eq(&whole, &other));
    for (split = 0; split <= sizeof LOG - 1; split++) {
        read_log(&other, LIT(LOG), 0, split);
        if (!runs_eq(&whole, &other)) fprintf(stderr, "split at %lu differs\n", (unsigned long)split);
        CHECK(runs_eq(&whole, &other));
    }
}

/* ---------------------------------------------------------------- bounds */

static void bounds(void) {
    smtpreply_maillog *log = NULL;
    smtpreply_maillog_options o;
    smtpreply_maillog_summary s;
    smtpreply_maillog_record r;
    smtpreply_maillog_domain d;
    size_t i, count;
    uint8_t *big = malloc(1 << 20);
    CHECK(big != NULL);
    memset(big, 'x', 1 << 20);

    /* A 4 MiB line, fed in 1 MiB pieces, with max_line 4096: skipped and counted. */
    CHECK_RESULT(smtpreply_maillog_options_init(&o), SMTPREPLY_OK);
    o.max_line = 4096;
    CHECK_RESULT(smtpreply_maillog_new(&o, &log), SMTPREPLY_OK);
    for (i = 0; i < 4; i++) CHECK_RESULT(smtpreply_maillog_feed(log, big, 1 << 20), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT("\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.lines, 11);
    CHECK_EQ_U(s.lines_too_long, 1);
    CHECK_EQ_U(s.recipients, 5);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_EQ_U(r.line, 3); /* line numbers count the skipped line */
    smtpreply_maillog_free(log);

    /* Two domains by name, the rest in "other", last. */
    CHECK_RESULT(smtpreply_maillog_options_init(&o), SMTPREPLY_OK);
    o.max_domains = 2;
    CHECK_RESULT(smtpreply_maillog_new(&o, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.domains, 2);
    CHECK_EQ_U(s.domains_folded, 3);
    CHECK_RESULT(smtpreply_maillog_domain_count(log, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 3);
    CHECK_RESULT(smtpreply_maillog_domain_at(log, 2, &d), SMTPREPLY_OK);
    CHECK(d.other);
    CHECK_EQ_U(d.domain_len, 0);
    CHECK_EQ_U(d.recipients, 3);
    smtpreply_maillog_free(log);

    /* A queue of 2: the oldest three of five are dropped, the counts stay whole. */
    CHECK_RESULT(smtpreply_maillog_options_init(&o), SMTPREPLY_OK);
    o.max_queued = 2;
    CHECK_RESULT(smtpreply_maillog_new(&o, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.records_dropped, 3);
    CHECK_EQ_U(s.recipients, 5);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_FIELD(r, recipient, "frank@big.example");
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_FIELD(r, recipient, "dave@gone.example");
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);
    smtpreply_maillog_free(log);

    /* Summary only. */
    memset(&o, 0, sizeof o);
    o.flags = SMTPREPLY_MAILLOG_SUMMARY_ONLY;
    CHECK_RESULT(smtpreply_maillog_new(&o, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.recipients, 5);
    CHECK_EQ_U(s.records_dropped, 0);
    smtpreply_maillog_free(log);

    /* Binary garbage: counted lines, no record, no crash. */
    for (i = 0; i < (1 << 20); i++) big[i] = (uint8_t)((i * 2654435761u) >> 13);
    CHECK_RESULT(smtpreply_maillog_new(NULL, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, big, 1 << 20), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK(s.lines > 0);
    CHECK_EQ_U(s.lines, s.lines_other + s.lines_too_long);
    CHECK_EQ_U(s.recipients, 0);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_NEED_MORE);
    smtpreply_maillog_free(log);

    /* Empty input: NULL with length 0 is allowed. */
    CHECK_RESULT(smtpreply_maillog_new(NULL, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, NULL, 0), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_EQ_U(s.lines, 0);
    CHECK_EQ_U(s.bytes, 0);
    CHECK_EQ_U(s.first_timestamp_len, 0);
    CHECK(s.finished);
    CHECK_RESULT(smtpreply_maillog_domain_count(log, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 0);
    CHECK_RESULT(smtpreply_maillog_group_count(log, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 0);
    smtpreply_maillog_free(log);
    free(big);
}

/* ---------------------------------------------------------------- lifetimes */

static void lifetimes(void) {
    smtpreply_maillog *log = NULL;
    smtpreply_maillog_record r;
    smtpreply_maillog_summary s;
    uint64_t n;
    char copy[512];
    size_t len;

    CHECK_RESULT(smtpreply_maillog_new(NULL, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_next_record(log, &r), SMTPREPLY_OK);
    len = r.text_len;
    CHECK(len < sizeof copy);
    memcpy(copy, r.text, len);
    /* Const calls do not move the record. */
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_reason_count(log, 1, &n), SMTPREPLY_OK);
    CHECK_MEM(r.text, r.text_len, copy, len);
    CHECK_FIELD(r, recipient, "bob@example.com");
    /* The record outlives the line it came from: the input buffer is the caller's again. */
    {
        uint8_t *buf = malloc(sizeof LOG);
        smtpreply_maillog *l2 = NULL;
        CHECK(buf != NULL);
        memcpy(buf, LOG, sizeof LOG);
        CHECK_RESULT(smtpreply_maillog_new(NULL, &l2), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_maillog_feed(l2, buf, sizeof LOG - 1), SMTPREPLY_OK);
        memset(buf, 0, sizeof LOG);
        free(buf);
        CHECK_RESULT(smtpreply_maillog_next_record(l2, &r), SMTPREPLY_OK);
        CHECK_FIELD(r, recipient, "alice@gmail.com");
        CHECK_RESULT(smtpreply_maillog_next_record(l2, &r), SMTPREPLY_OK);
        CHECK_MEM(r.text, r.text_len, copy, len);
        smtpreply_maillog_free(l2);
    }
    smtpreply_maillog_free(log);
}

/* ---------------------------------------------------------------- bad input */

static void bad_input(void) {
    smtpreply_maillog *log = NULL, *out;
    smtpreply_maillog_options o;
    smtpreply_maillog_record r;
    smtpreply_maillog_summary s;
    smtpreply_maillog_domain d;
    smtpreply_maillog_group g;
    uint64_t n;
    size_t count;

    /* NULL everywhere. */
    CHECK_RESULT(smtpreply_maillog_options_init(NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_new(NULL, NULL), SMTPREPLY_NULL_PARAMETER);
    FAILS_1(smtpreply_maillog_feed(NULL, LIT("x\n")), SMTPREPLY_NULL_PARAMETER, n);
    CHECK_RESULT(smtpreply_maillog_finish(NULL), SMTPREPLY_NULL_PARAMETER);
    FAILS_1(smtpreply_maillog_next_record(NULL, &r), SMTPREPLY_NULL_PARAMETER, r);
    FAILS_1(smtpreply_maillog_get_summary(NULL, &s), SMTPREPLY_NULL_PARAMETER, s);
    FAILS_1(smtpreply_maillog_reason_count(NULL, 0, &n), SMTPREPLY_NULL_PARAMETER, n);
    FAILS_1(smtpreply_maillog_domain_count(NULL, &count), SMTPREPLY_NULL_PARAMETER, count);
    FAILS_1(smtpreply_maillog_domain_at(NULL, 0, &d), SMTPREPLY_NULL_PARAMETER, d);
    FAILS_1(smtpreply_maillog_domain_reason_count(NULL, 0, 0, &n), SMTPREPLY_NULL_PARAMETER, n);
    FAILS_1(smtpreply_maillog_group_count(NULL, &count), SMTPREPLY_NULL_PARAMETER, count);
    FAILS_1(smtpreply_maillog_group_at(NULL, 0, &g), SMTPREPLY_NULL_PARAMETER, g);
    smtpreply_maillog_free(NULL);

    CHECK_RESULT(smtpreply_maillog_new(NULL, &log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, NULL, 5), SMTPREPLY_NULL_PARAMETER);
    CHECK_CONTAINS(smtpreply_last_error_message(), "data is NULL");
    CHECK_RESULT(smtpreply_maillog_next_record(log, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_reason_count(log, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_domain_count(log, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_domain_at(log, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_domain_reason_count(log, 0, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_group_count(log, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_maillog_group_at(log, 0, NULL), SMTPREPLY_NULL_PARAMETER);

    /* Numbers out of range. */
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_OK);
    FAILS_1(smtpreply_maillog_reason_count(log, 26, &n), SMTPREPLY_OUT_OF_RANGE, n);
    CHECK_CONTAINS(smtpreply_last_error_message(), "26");
    FAILS_1(smtpreply_maillog_reason_count(log, UINT32_MAX, &n), SMTPREPLY_OUT_OF_RANGE, n);
    CHECK_RESULT(smtpreply_maillog_domain_count(log, &count), SMTPREPLY_OK);
    FAILS_1(smtpreply_maillog_domain_at(log, count, &d), SMTPREPLY_OUT_OF_RANGE, d);
    FAILS_1(smtpreply_maillog_domain_at(log, SIZE_MAX, &d), SMTPREPLY_OUT_OF_RANGE, d);
    FAILS_1(smtpreply_maillog_domain_reason_count(log, 0, 26, &n), SMTPREPLY_OUT_OF_RANGE, n);
    FAILS_1(smtpreply_maillog_domain_reason_count(log, count, 0, &n), SMTPREPLY_OUT_OF_RANGE, n);
    CHECK_RESULT(smtpreply_maillog_group_count(log, &count), SMTPREPLY_OK);
    FAILS_1(smtpreply_maillog_group_at(log, count, &g), SMTPREPLY_OUT_OF_RANGE, g);

    /* Feed after finish: refused, nothing read. */
    CHECK_RESULT(smtpreply_maillog_finish(log), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_get_summary(log, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_maillog_feed(log, LIT(LOG)), SMTPREPLY_WRONG_STATE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "finished");
    {
        smtpreply_maillog_summary after;
        CHECK_RESULT(smtpreply_maillog_get_summary(log, &after), SMTPREPLY_OK);
        CHECK(summary_eq(&s, &after));
    }
    smtpreply_maillog_free(log);

    /* Options: defaults, zero means default, unknown flags, limits out of range. */
    check_fill(&o, sizeof o);
    CHECK_RESULT(smtpreply_maillog_options_init(&o), SMTPREPLY_OK);
    CHECK_EQ_U(o.max_line, 65536);
    CHECK_EQ_U(o.max_open, 100000);
    CHECK_EQ_U(o.max_domains, 10000);
    CHECK_EQ_U(o.max_queued, 10000);
    CHECK_EQ_U(o.flags, 0);
    memset(&o, 0, sizeof o);
    CHECK_RESULT(smtpreply_maillog_new(&o, &log), SMTPREPLY_OK);
    smtpreply_maillog_free(log);
    o.flags = 0x80;
    FAILS_1(smtpreply_maillog_new(&o, &out), SMTPREPLY_INVALID_INPUT, out);
    CHECK_CONTAINS(smtpreply_last_error_message(), "flags");
    memset(&o, 0, sizeof o);
    o.max_line = 100;
    FAILS_1(smtpreply_maillog_new(&o, &out), SMTPREPLY_OUT_OF_RANGE, out);
    CHECK_CONTAINS(smtpreply_last_error_message(), "max_line");
    o.max_line = (size_t)16 * 1024 * 1024 + 1;
    FAILS_1(smtpreply_maillog_new(&o, &out), SMTPREPLY_OUT_OF_RANGE, out);
    memset(&o, 0, sizeof o);
    o.max_domains = 1000001;
    FAILS_1(smtpreply_maillog_new(&o, &out), SMTPREPLY_OUT_OF_RANGE, out);
    memset(&o, 0, sizeof o);
    o.max_queued = SIZE_MAX;
    FAILS_1(smtpreply_maillog_new(&o, &out), SMTPREPLY_OUT_OF_RANGE, out);
    memset(&o, 0, sizeof o);
    o.max_open = SIZE_MAX;
    FAILS_1(smtpreply_maillog_new(&o, &out), SMTPREPLY_OUT_OF_RANGE, out);
}

/* ---------------------------------------------------------------- single lines and names */

static void single_lines(void) {
    smtpreply_maillog_record r;
    static const char BOUNCE[] =
        "2024-03-03T09:00:04+01:00 mx2 postfix/smtp[4002]: 6A2B3C4D5E: to=<judy@gmx.de>, relay=mx00.emig.gmx.net"
        "[212.227.15.9]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=5.7.1, status=bounced (host mx00.emig.gmx.net"
        "[212.227.15.9] said: 554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org"
        " (in reply to RCPT TO command))\r\n";
    static const char DEFER[] = "2024-03-03 10:00:03 1rgXyZ-000Abc-Q1 == carol@greylist.example R=dnslookup "
                                "T=remote_smtp defer (-53): retry time not reached for any host for 'greylist.example'";

    CHECK_RESULT(smtpreply_maillog_parse_line(LIT(BOUNCE), &r), SMTPREPLY_OK);
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_BOUNCED);
    CHECK_EQ_U(r.line, 0);
    CHECK_FIELD(r, timestamp, "2024-03-03T09:00:04+01:00");
    CHECK_FIELD(r, recipient, "judy@gmx.de");
    /* Pointers into the caller's bytes. */
    CHECK(r.recipient > (const uint8_t *)BOUNCE && r.recipient < (const uint8_t *)BOUNCE + sizeof BOUNCE);
    CHECK(r.has_classification);
    CHECK_EQ_U(r.classification.reason, SMTPREPLY_REASON_BLOCKLISTED);
    CHECK_EQ_U(r.classification.blocklist, SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN);
    CHECK(bytes_eq(r.text + r.classification.blocklist_offset, r.classification.blocklist_len, "zen.spamhaus.org"));
    CHECK(r.text[r.text_len - 1] == ')');

    CHECK_RESULT(smtpreply_maillog_parse_line(LIT(DEFER), &r), SMTPREPLY_OK);
    CHECK_EQ_U(r.status, SMTPREPLY_MAILLOG_DEFERRED);
    CHECK(r.no_attempt);
    CHECK_EQ_U(r.format, SMTPREPLY_MAILLOG_EXIM);

    FAILS_1(smtpreply_maillog_parse_line(LIT("Mar  3 09:00:05 mx1 postfix/smtpd[2130]: connect from unknown[203.0.113.99]"), &r),
            SMTPREPLY_NOT_FOUND, r);
    FAILS_1(smtpreply_maillog_parse_line(LIT("\x00\xff\x01 not a log line"), &r), SMTPREPLY_NOT_FOUND, r);
    FAILS_1(smtpreply_maillog_parse_line(NULL, 0, &r), SMTPREPLY_NOT_FOUND, r);
    FAILS_1(smtpreply_maillog_parse_line(LIT(LOG), &r), SMTPREPLY_INVALID_INPUT, r);
    CHECK_CONTAINS(smtpreply_last_error_message(), "one line");
    FAILS_1(smtpreply_maillog_parse_line(NULL, 10, &r), SMTPREPLY_NULL_PARAMETER, r);
    CHECK_RESULT(smtpreply_maillog_parse_line(LIT(BOUNCE), NULL), SMTPREPLY_NULL_PARAMETER);

    CHECK_STR(smtpreply_maillog_status_name(SMTPREPLY_MAILLOG_DELIVERED), "delivered");
    CHECK_STR(smtpreply_maillog_status_name(SMTPREPLY_MAILLOG_DEFERRED), "deferred");
    CHECK_STR(smtpreply_maillog_status_name(SMTPREPLY_MAILLOG_BOUNCED), "bounced");
    CHECK_STR(smtpreply_maillog_status_name(SMTPREPLY_MAILLOG_EXPIRED), "expired");
    CHECK(smtpreply_maillog_status_name(0) == NULL);
    CHECK(smtpreply_maillog_status_name(5) == NULL);
    CHECK(smtpreply_maillog_status_name(UINT32_MAX) == NULL);
    CHECK_STR(smtpreply_maillog_format_name(SMTPREPLY_MAILLOG_POSTFIX), "postfix");
    CHECK_STR(smtpreply_maillog_format_name(SMTPREPLY_MAILLOG_EXIM), "exim");
    CHECK(smtpreply_maillog_format_name(0) == NULL);
    CHECK(smtpreply_maillog_format_name(3) == NULL);
}

/* ---------------------------------------------------------------- threads */

#define THREADS 4

struct job {
    struct run run;
    size_t piece;
};

static void *worker(void *arg) {
    struct job *j = (struct job *)arg;
    int i;
    for (i = 0; i < 50; i++) read_log(&j->run, LIT(LOG), j->piece, 0);
    return NULL;
}

static void threads(void) {
    static struct job jobs[THREADS];
    static struct run whole;
    pthread_t t[THREADS];
    int i;
    read_log(&whole, LIT(LOG), 0, 0);
    for (i = 0; i < THREADS; i++) {
        jobs[i].piece = (size_t)(1 + i * 13);
        CHECK(pthread_create(&t[i], NULL, worker, &jobs[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK(runs_eq(&whole, &jobs[i].run));
    }
}

int main(void) {
    records_field_by_field();
    summary_and_tables();
    chunking();
    bounds();
    lifetimes();
    bad_input();
    single_lines();
    threads();
    return check_summary("test_maillog");
}
