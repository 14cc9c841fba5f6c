/*
 * The reply classifier through the C API: smtpreply_classify, smtpreply_classify_reply,
 * smtpreply_classify_many and the name functions.
 *
 *   normal use    one clear reply per reason family (reason, bounce, retry, action, code, enhanced
 *                 code, evidence span, blocklist id/name/span, retry_after, static strings); the
 *                 command's effect (MAIL FROM); a Postfix-wrapped reply; a parsed multi-line
 *                 Gmail reply; classify_many equals classifying one by one
 *   bad input     NULL pointers, empty, blank, oversized, non-UTF-8 and NUL bytes, bad command
 *                 numbers, empty reply handles, bad bounds; outputs untouched on every non-OK
 *                 result (pre-filled with CHECK_SENTINEL and compared)
 *   names         every name function, out-of-range numbers, reason name round trips
 *   threads       8 threads classifying at once (from a cold start: they race to build the rule
 *                 automaton), thousands of times each, every result verified
 *   regressions   library bugs these tests found (evidence spans in host names and IP addresses,
 *                 classify_many pointer checks), fixed; their checks stay as ordinary checks.
 *
 * The classifier's rule tables are being edited; the replies here are unambiguous ones whose
 * verdict does not depend on any one rule, and rule identifiers are only checked to be non-empty.
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
#define MAX_INPUT (64 * 1024)

/* A call that must fail with `expected` and leave one output untouched. */
#define FAILS_1(call, expected, o1)                                                                             \
    do {                                                                                                        \
        check_fill(&(o1), sizeof(o1));                                                                          \
        CHECK_RESULT(call, expected);                                                                           \
        CHECK_UNTOUCHED(o1);                                                                                    \
    } while (0)

/* ---------------------------------------------------------------- helpers (no CHECKs: thread-safe) */

static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_alnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether p[0..n) contains `needle`, ignoring ASCII case. */
static int ci_contains(const uint8_t *p, size_t n, const char *needle) {
    size_t m = strlen(needle), i, j;
    if (m > n) return 0;
    for (i = 0; i + m <= n; i++) {
        for (j = 0; j < m && lower(p[i + j]) == lower((unsigned char)needle[j]); j++) {
        }
        if (j == m) return 1;
    }
    return 0;
}

/* The offset of `needle` in the NUL-terminated `hay` (which must contain it). */
static size_t offset_of(const char *hay, const char *needle) {
    const char *p = strstr(hay, needle);
    return p ? (size_t)(p - hay) : (size_t)-1;
}

/* Every field of two classifications (the struct has padding: no memcmp). Strings are static, so
 * equal strings are the same pointers. */
static int same_classification(const smtpreply_classification *a, const smtpreply_classification *b) {
    return a->reason == b->reason && a->bounce == b->bounce && a->retry == b->retry && a->action == b->action &&
           a->code == b->code && a->has_enhanced == b->has_enhanced &&
           a->enhanced.status_class == b->enhanced.status_class && a->enhanced.subject == b->enhanced.subject &&
           a->enhanced.detail == b->enhanced.detail && a->command == b->command && a->blocklist == b->blocklist &&
           a->blocklist_offset == b->blocklist_offset && a->blocklist_len == b->blocklist_len &&
           a->has_retry_after == b->has_retry_after && a->retry_after == b->retry_after &&
           a->consequence == b->consequence && a->rule_kind == b->rule_kind && a->rule == b->rule &&
           a->rule_source == b->rule_source && a->evidence_offset == b->evidence_offset &&
           a->evidence_len == b->evidence_len && a->reason_name == b->reason_name &&
           a->bounce_name == b->bounce_name && a->action_name == b->action_name &&
           a->blocklist_name == b->blocklist_name && a->explanation == b->explanation && a->advice == b->advice;
}

static int nonempty(const char *s) {
    return s != NULL && s[0] != '\0';
}

/* ---------------------------------------------------------------- the reason families */

struct family {
    const char *input;
    uint32_t command;
    uint32_t reason, bounce;
    bool retry;
    uint32_t action;
    uint32_t code, ec, es, ed;
    /* A word the evidence span must contain (ignoring case). */
    const char *evidence_word;
    uint32_t blocklist;
    /* Where the blocklist name stands (a substring of input), or NULL. */
    const char *blocklist_text;
    /* 0: no retry hint. */
    uint32_t retry_after;
};

static const struct family FAMILIES[] = {
    { "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
      SMTPREPLY_COMMAND_UNKNOWN, SMTPREPLY_REASON_USER_UNKNOWN, SMTPREPLY_BOUNCE_HARD, false,
      SMTPREPLY_ACTION_REMOVE_RECIPIENT, 550, 5, 1, 1, "unknown", SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "552 5.2.2 Mailbox full", SMTPREPLY_COMMAND_UNKNOWN, SMTPREPLY_REASON_MAILBOX_FULL, SMTPREPLY_BOUNCE_SOFT, true,
      SMTPREPLY_ACTION_RETRY_LATER, 552, 5, 2, 2, "full", SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "450 4.2.0 Greylisted, see http://postgrey.schweikert.ch/help/example.com.html", SMTPREPLY_COMMAND_RCPT,
      SMTPREPLY_REASON_GREYLISTED, SMTPREPLY_BOUNCE_SOFT, true, SMTPREPLY_ACTION_RETRY_LATER, 450, 4, 2, 0,
      "greylist", SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
      SMTPREPLY_COMMAND_RCPT, SMTPREPLY_REASON_BLOCKLISTED, SMTPREPLY_BOUNCE_HARD, false,
      SMTPREPLY_ACTION_CONTACT_RECEIVER, 554, 5, 7, 1, "spamhaus", SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN,
      "zen.spamhaus.org", 0 },
    { "421 4.7.0 Too many connections, try again in 5 minutes", SMTPREPLY_COMMAND_UNKNOWN,
      SMTPREPLY_REASON_TOO_MANY_CONNECTIONS, SMTPREPLY_BOUNCE_SOFT, true, SMTPREPLY_ACTION_RETRY_LATER, 421, 4, 7,
      0, "connections", SMTPREPLY_BLOCKLIST_NONE, NULL, 300 },
    { "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders "
      "to authenticate with either SPF or DKIM.",
      SMTPREPLY_COMMAND_DATA_END, SMTPREPLY_REASON_SENDER_AUTH_FAILED, SMTPREPLY_BOUNCE_HARD, false,
      SMTPREPLY_ACTION_FIX_SENDER_SETUP, 550, 5, 7, 26, "unauthenticated", SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "530 5.7.0 Must issue a STARTTLS command first", SMTPREPLY_COMMAND_MAIL, SMTPREPLY_REASON_TLS_REQUIRED,
      SMTPREPLY_BOUNCE_HARD, false, SMTPREPLY_ACTION_FIX_SENDER_SETUP, 530, 5, 7, 0, "starttls",
      SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "250 2.0.0 Ok: queued as ABC123", SMTPREPLY_COMMAND_DATA_END, SMTPREPLY_REASON_SUCCESS, SMTPREPLY_BOUNCE_NONE,
      false, SMTPREPLY_ACTION_NONE, 250, 2, 0, 0, "250", SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "552 5.3.4 Message size exceeds fixed limit", SMTPREPLY_COMMAND_DATA_END, SMTPREPLY_REASON_MESSAGE_TOO_LARGE,
      SMTPREPLY_BOUNCE_HARD, false, SMTPREPLY_ACTION_FIX_MESSAGE, 552, 5, 3, 4, "size", SMTPREPLY_BLOCKLIST_NONE,
      NULL, 0 },
    { "550 5.7.1 Relaying denied", SMTPREPLY_COMMAND_RCPT, SMTPREPLY_REASON_RELAY_DENIED, SMTPREPLY_BOUNCE_HARD,
      false, SMTPREPLY_ACTION_FIX_SENDER_SETUP, 550, 5, 7, 1, "relay", SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
    { "452 4.3.1 Insufficient system storage", SMTPREPLY_COMMAND_MAIL, SMTPREPLY_REASON_SYSTEM_FULL,
      SMTPREPLY_BOUNCE_SOFT, true, SMTPREPLY_ACTION_RETRY_LATER, 452, 4, 3, 1, "storage", SMTPREPLY_BLOCKLIST_NONE,
      NULL, 0 },
    { "500 5.5.1 Command unrecognized", SMTPREPLY_COMMAND_UNKNOWN, SMTPREPLY_REASON_SYNTAX_ERROR,
      SMTPREPLY_BOUNCE_HARD, false, SMTPREPLY_ACTION_FIX_CLIENT, 500, 5, 5, 1, "unrecognized",
      SMTPREPLY_BLOCKLIST_NONE, NULL, 0 },
};
#define FAMILIES_N (sizeof FAMILIES / sizeof FAMILIES[0])

/* What every classification must satisfy, whatever the reply: the numbers are in range, the
 * strings are the static names of those numbers, the spans lie inside the input. Returns 1 when
 * all hold (no CHECKs: usable from any thread). */
static int well_formed(const smtpreply_classification *c, size_t input_len) {
    if (!nonempty(c->rule) || !nonempty(c->rule_source)) return 0;
    if (smtpreply_reason_name(c->reason) == NULL || c->reason_name != smtpreply_reason_name(c->reason)) return 0;
    if (c->explanation != smtpreply_reason_explanation(c->reason) || !nonempty(c->explanation)) return 0;
    if (c->advice != smtpreply_reason_advice(c->reason) || !nonempty(c->advice)) return 0;
    if (c->bounce_name != smtpreply_bounce_name(c->bounce) || c->bounce_name == NULL) return 0;
    if (c->action_name != smtpreply_action_name(c->action) || c->action_name == NULL) return 0;
    if (smtpreply_rule_kind_name(c->rule_kind) == NULL) return 0;
    if (smtpreply_command_name(c->command) == NULL) return 0;
    if (c->retry != (c->bounce == SMTPREPLY_BOUNCE_SOFT && c->reason != SMTPREPLY_REASON_EXPIRED)) return 0;
    if (c->blocklist == SMTPREPLY_BLOCKLIST_NONE) {
        if (c->blocklist_name != NULL || c->blocklist_offset != 0 || c->blocklist_len != 0) return 0;
    } else if (c->blocklist_name == NULL || c->blocklist_name != smtpreply_blocklist_name(c->blocklist)) {
        return 0;
    }
    if (c->blocklist_offset > input_len || c->blocklist_len > input_len - c->blocklist_offset) return 0;
    if (c->evidence_offset > input_len || c->evidence_len > input_len - c->evidence_offset) return 0;
    if (!c->has_retry_after && c->retry_after != 0) return 0;
    return 1;
}

/* The expectations of one family, on a classification of its input. */
static int meets(const smtpreply_classification *c, const struct family *f) {
    const uint8_t *in = (const uint8_t *)f->input;
    size_t len = strlen(f->input);
    if (!well_formed(c, len)) return 0;
    if (c->reason != f->reason || c->bounce != f->bounce || c->retry != f->retry || c->action != f->action)
        return 0;
    if (c->code != f->code || !c->has_enhanced || c->enhanced.status_class != f->ec || c->enhanced.subject != f->es ||
        c->enhanced.detail != f->ed)
        return 0;
    if (c->command != f->command || c->consequence) return 0;
    if (c->evidence_len == 0 || !ci_contains(in + c->evidence_offset, c->evidence_len, f->evidence_word)) return 0;
    if (c->blocklist != f->blocklist) return 0;
    if (f->blocklist_text != NULL &&
        (c->blocklist_offset != offset_of(f->input, f->blocklist_text) || c->blocklist_len != strlen(f->blocklist_text)))
        return 0;
    if (c->has_retry_after != (f->retry_after != 0) || c->retry_after != f->retry_after) return 0;
    return 1;
}

static void classify_ok(const char *input, uint32_t command, smtpreply_classification *out) {
    check_fill(out, sizeof *out);
    CHECK_RESULT(smtpreply_classify((const uint8_t *)input, strlen(input), command, out), SMTPREPLY_OK);
    CHECK(well_formed(out, strlen(input)));
}

/* ---------------------------------------------------------------- normal use */

static void families(void) {
    size_t i;
    for (i = 0; i < FAMILIES_N; i++) {
        const struct family *f = &FAMILIES[i];
        const uint8_t *in = (const uint8_t *)f->input;
        smtpreply_classification c, again;
        classify_ok(f->input, f->command, &c);
        /* Field by field first, so that a failure says which. */
        CHECK_STR(c.reason_name, smtpreply_reason_name(f->reason));
        CHECK_EQ_U(c.reason, f->reason);
        CHECK_EQ_U(c.bounce, f->bounce);
        CHECK_EQ_U(c.retry, f->retry);
        CHECK_EQ_U(c.action, f->action);
        CHECK_EQ_U(c.code, f->code);
        CHECK(c.has_enhanced);
        CHECK_EQ_U(c.enhanced.status_class, f->ec);
        CHECK_EQ_U(c.enhanced.subject, f->es);
        CHECK_EQ_U(c.enhanced.detail, f->ed);
        CHECK_EQ_U(c.command, f->command);
        CHECK(!c.consequence);
        CHECK_EQ_U(c.blocklist, f->blocklist);
        CHECK_EQ_U(c.has_retry_after, f->retry_after != 0);
        CHECK_EQ_U(c.retry_after, f->retry_after);
        /* The evidence span points at the deciding words in the input. */
        CHECK(c.evidence_len > 0);
        CHECK(c.evidence_offset + c.evidence_len <= strlen(f->input));
        if (!ci_contains(in + c.evidence_offset, c.evidence_len, f->evidence_word)) {
            fprintf(stderr, "evidence of \"%s\": ", f->input);
            check_print_bytes(in + c.evidence_offset, c.evidence_len);
            fprintf(stderr, " (rule %s)\n", c.rule);
        }
        CHECK(ci_contains(in + c.evidence_offset, c.evidence_len, f->evidence_word));
        /* The names are those of the numbers, and static. */
        CHECK_STR(c.bounce_name, smtpreply_bounce_name(f->bounce));
        CHECK_STR(c.action_name, smtpreply_action_name(f->action));
        CHECK(nonempty(c.rule));
        CHECK(nonempty(c.rule_source));
        CHECK(nonempty(c.explanation));
        CHECK(nonempty(c.advice));
        CHECK(strcmp(c.explanation, c.advice) != 0);
        CHECK(meets(&c, f));
        /* The same input gives the same verdict, with the same static pointers. */
        classify_ok(f->input, f->command, &again);
        CHECK(same_classification(&c, &again));
        /* The command given is reported as given; UNKNOWN is reported as UNKNOWN. */
        if (f->command != SMTPREPLY_COMMAND_UNKNOWN) {
            classify_ok(f->input, SMTPREPLY_COMMAND_UNKNOWN, &again);
            CHECK_EQ_U(again.command, SMTPREPLY_COMMAND_UNKNOWN);
            CHECK_EQ_U(again.reason, f->reason);
        }
    }
}

static void success_and_names(void) {
    smtpreply_classification c;
    classify_ok("250 2.0.0 Ok: queued as ABC123", SMTPREPLY_COMMAND_DATA_END, &c);
    CHECK_STR(c.reason_name, "success");
    CHECK_STR(c.bounce_name, "none");
    CHECK_STR(c.action_name, "none");
    CHECK_EQ_U(c.rule_kind, SMTPREPLY_RULE_SUCCESS);
    CHECK_EQ_U(c.evidence_offset, 0);
    CHECK_EQ_U(c.evidence_len, 3);
    classify_ok("354 End data with <CR><LF>.<CR><LF>", SMTPREPLY_COMMAND_DATA, &c);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SUCCESS);
    CHECK(!c.has_enhanced);
    classify_ok("552 5.2.2 Mailbox full", 0, &c);
    CHECK_STR(c.reason_name, "mailbox_full");
    CHECK_STR(c.bounce_name, "soft");
    CHECK_STR(c.action_name, "retry_later");
    classify_ok("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table", 0,
                &c);
    CHECK_STR(c.reason_name, "user_unknown");
    CHECK_STR(c.bounce_name, "hard");
    CHECK_STR(c.action_name, "remove_recipient");
}

static void blocklist_span(void) {
    static const char in[] = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org";
    smtpreply_classification c;
    classify_ok(in, SMTPREPLY_COMMAND_RCPT, &c);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_BLOCKLISTED);
    CHECK_EQ_U(c.blocklist, SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN);
    CHECK_STR(c.blocklist_name, "Spamhaus ZEN");
    CHECK_STR(c.blocklist_name, smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN));
    CHECK_EQ_U(c.blocklist_offset, sizeof in - 1 - strlen("zen.spamhaus.org"));
    CHECK_EQ_U(c.blocklist_len, strlen("zen.spamhaus.org"));
    CHECK_BYTES((const uint8_t *)in + c.blocklist_offset, c.blocklist_len, "zen.spamhaus.org");
    /* The blocklist is the cause: the evidence is the list's name too. */
    CHECK(ci_contains((const uint8_t *)in + c.evidence_offset, c.evidence_len, "spamhaus"));
    /* The same reply from SpamCop. */
    classify_ok("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net", 0, &c);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_BLOCKLISTED);
    CHECK_EQ_U(c.blocklist, SMTPREPLY_BLOCKLIST_SPAMCOP);
    CHECK_STR(c.blocklist_name, "SpamCop");
    /* No list named: no blocklist fields. */
    classify_ok("552 5.2.2 Mailbox full", 0, &c);
    CHECK_EQ_U(c.blocklist, SMTPREPLY_BLOCKLIST_NONE);
    CHECK(c.blocklist_name == NULL);
    CHECK_EQ_U(c.blocklist_offset, 0);
    CHECK_EQ_U(c.blocklist_len, 0);
}

static void retry_after(void) {
    smtpreply_classification c;
    classify_ok("421 4.7.0 Too many connections, try again in 5 minutes", 0, &c);
    CHECK(c.has_retry_after);
    CHECK_EQ_U(c.retry_after, 300);
    classify_ok("450 4.7.1 Greylisted, please retry after 120 seconds", SMTPREPLY_COMMAND_RCPT, &c);
    CHECK(c.has_retry_after);
    CHECK_EQ_U(c.retry_after, 120);
    classify_ok("451 4.7.1 Please try again in 1 hour", SMTPREPLY_COMMAND_RCPT, &c);
    CHECK(c.has_retry_after);
    CHECK_EQ_U(c.retry_after, 3600);
    CHECK(c.retry);
    classify_ok("552 5.2.2 Mailbox full", 0, &c);
    CHECK(!c.has_retry_after);
    CHECK_EQ_U(c.retry_after, 0);
}

static void command_context(void) {
    smtpreply_classification c;
    /* The same text: a recipient problem after RCPT, the sender's after MAIL FROM. */
    classify_ok("550 5.1.1 User unknown", SMTPREPLY_COMMAND_RCPT, &c);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK_EQ_U(c.action, SMTPREPLY_ACTION_REMOVE_RECIPIENT);
    CHECK_EQ_U(c.command, SMTPREPLY_COMMAND_RCPT);
    classify_ok("550 5.1.1 User unknown", SMTPREPLY_COMMAND_MAIL, &c);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SENDER_REJECTED);
    CHECK_STR(c.reason_name, "sender_rejected");
    CHECK_EQ_U(c.bounce, SMTPREPLY_BOUNCE_HARD);
    CHECK(!c.retry);
    CHECK_EQ_U(c.action, SMTPREPLY_ACTION_FIX_SENDER_SETUP);
    CHECK_EQ_U(c.command, SMTPREPLY_COMMAND_MAIL);
    CHECK_EQ_U(c.code, 550);
    /* Every valid command number is accepted. */
    {
        uint32_t k;
        for (k = 0; k <= SMTPREPLY_COMMAND_TURN; k++) {
            classify_ok("550 5.1.1 User unknown", k, &c);
            CHECK_EQ_U(c.command, k);
        }
    }
}

static void postfix_wrapper(void) {
    static const char in[] = "host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b.c>: Recipient address "
                             "rejected: User unknown (in reply to RCPT TO command)";
    smtpreply_classification c;
    classify_ok(in, SMTPREPLY_COMMAND_UNKNOWN, &c);
    CHECK_EQ_U(c.command, SMTPREPLY_COMMAND_RCPT);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK_EQ_U(c.bounce, SMTPREPLY_BOUNCE_HARD);
    CHECK_EQ_U(c.action, SMTPREPLY_ACTION_REMOVE_RECIPIENT);
    CHECK_EQ_U(c.code, 550);
    CHECK(c.has_enhanced);
    CHECK_EQ_U(c.enhanced.detail, 1);
    CHECK(c.evidence_len > 0);
    CHECK(c.evidence_offset > offset_of(in, "said:"));
    CHECK(ci_contains((const uint8_t *)in + c.evidence_offset, c.evidence_len, "unknown"));
    /* The wrapper names MAIL FROM: the address is the sender's. */
    classify_ok("host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b.c>: User unknown (in reply to MAIL FROM command)",
                SMTPREPLY_COMMAND_UNKNOWN, &c);
    CHECK_EQ_U(c.command, SMTPREPLY_COMMAND_MAIL);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SENDER_REJECTED);
    /* A command given by the caller wins over the wrapper's. */
    classify_ok(in, SMTPREPLY_COMMAND_MAIL, &c);
    CHECK_EQ_U(c.command, SMTPREPLY_COMMAND_MAIL);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SENDER_REJECTED);
}

static const char GMAIL_550[] =
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567qkb.123 - gsmtp\r\n";

static void parsed_reply(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_reply_info info;
    smtpreply_classification c, direct;
    size_t consumed;
    static const char pipelined[] = "552-5.2.2 The recipient's mailbox is full\r\n552 5.2.2 Mailbox full\r\n"
                                    "250 2.1.5 Ok\r\n";

    CHECK(r != NULL);
    CHECK_RESULT(smtpreply_parse_reply(LIT(GMAIL_550), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, sizeof GMAIL_550 - 1);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    check_fill(&c, sizeof c);
    CHECK_RESULT(smtpreply_classify_reply(r, SMTPREPLY_COMMAND_RCPT, &c), SMTPREPLY_OK);
    CHECK(well_formed(&c, info.raw_len));
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK_EQ_U(c.bounce, SMTPREPLY_BOUNCE_HARD);
    CHECK(!c.retry);
    CHECK_EQ_U(c.action, SMTPREPLY_ACTION_REMOVE_RECIPIENT);
    CHECK_EQ_U(c.code, 550);
    CHECK(c.has_enhanced);
    CHECK_EQ_U(c.enhanced.status_class, 5);
    CHECK_EQ_U(c.enhanced.subject, 1);
    CHECK_EQ_U(c.enhanced.detail, 1);
    CHECK_EQ_U(c.command, SMTPREPLY_COMMAND_RCPT);
    /* The span is an offset into the reply's raw bytes. */
    CHECK(c.evidence_len > 0);
    CHECK(c.evidence_offset + c.evidence_len <= info.raw_len);
    /* Classifying the raw bytes directly gives the same verdict. */
    CHECK_RESULT(smtpreply_classify(info.raw, info.raw_len, SMTPREPLY_COMMAND_RCPT, &direct), SMTPREPLY_OK);
    CHECK(same_classification(&c, &direct));
    CHECK_RESULT(smtpreply_classify(LIT(GMAIL_550), SMTPREPLY_COMMAND_RCPT, &direct), SMTPREPLY_OK);
    CHECK(same_classification(&c, &direct));

    /* A reply taken from a pipelined buffer: only its own bytes are classified. */
    CHECK_RESULT(smtpreply_parse_reply(LIT(pipelined), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_classify_reply(r, SMTPREPLY_COMMAND_RCPT, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_MAILBOX_FULL);
    CHECK_EQ_U(c.code, 552);
    CHECK(c.evidence_offset + c.evidence_len <= consumed);
    CHECK_RESULT(smtpreply_classify((const uint8_t *)pipelined, consumed, SMTPREPLY_COMMAND_RCPT, &direct),
                 SMTPREPLY_OK);
    CHECK(same_classification(&c, &direct));
    /* Bad command numbers with a good handle. */
    FAILS_1(smtpreply_classify_reply(r, 23, &c), SMTPREPLY_INVALID_INPUT, c);
    smtpreply_reply_free(r);
}

/* The strings are static: they stay valid after the input is gone. */
static void strings_outlive_input(void) {
    static const char text[] = "421 4.7.0 Too many connections, try again in 5 minutes";
    smtpreply_classification c;
    uint8_t *copy = malloc(sizeof text - 1);
    CHECK(copy != NULL);
    memcpy(copy, text, sizeof text - 1);
    CHECK_RESULT(smtpreply_classify(copy, sizeof text - 1, 0, &c), SMTPREPLY_OK);
    memset(copy, 0, sizeof text - 1);
    free(copy);
    CHECK(strlen(c.rule) > 0 && strlen(c.rule_source) > 0 && strlen(c.explanation) > 0 && strlen(c.advice) > 0);
    CHECK_STR(c.reason_name, "too_many_connections");
    CHECK_STR(c.bounce_name, "soft");
    CHECK_STR(c.action_name, "retry_later");
}

static void many_equals_one_by_one(void) {
    static const char *const texts[3] = {
        "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        "421 4.7.0 Too many connections, try again in 5 minutes",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    };
    static const uint32_t commands[3] = { SMTPREPLY_COMMAND_MAIL, SMTPREPLY_COMMAND_GREETING, SMTPREPLY_COMMAND_RCPT };
    uint8_t data[512];
    size_t bounds[4], pos = 0, i;
    smtpreply_classification many[3], one;
    int with_commands;

    bounds[0] = 0;
    for (i = 0; i < 3; i++) {
        memcpy(data + pos, texts[i], strlen(texts[i]));
        pos += strlen(texts[i]);
        bounds[i + 1] = pos;
    }
    for (with_commands = 0; with_commands < 2; with_commands++) {
        const uint32_t *cmds = with_commands ? commands : NULL;
        check_fill(many, sizeof many);
        CHECK_RESULT(smtpreply_classify_many(data, pos, bounds, 3, cmds, many), SMTPREPLY_OK);
        for (i = 0; i < 3; i++) {
            CHECK_RESULT(smtpreply_classify((const uint8_t *)texts[i], strlen(texts[i]), cmds ? cmds[i] : 0, &one),
                         SMTPREPLY_OK);
            /* Spans are relative to each reply, as when classified alone. */
            CHECK(same_classification(&many[i], &one));
            CHECK(well_formed(&many[i], strlen(texts[i])));
        }
        CHECK_EQ_U(many[2].blocklist, SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN);
        CHECK_BYTES(data + bounds[2] + many[2].blocklist_offset, many[2].blocklist_len, "zen.spamhaus.org");
        CHECK_EQ_U(many[1].retry_after, 300);
    }
    CHECK_EQ_U(many[0].reason, SMTPREPLY_REASON_SENDER_REJECTED); /* commands[0] is MAIL */
    CHECK_EQ_U(many[1].command, SMTPREPLY_COMMAND_GREETING);

    /* bounds[0] need not be 0: a prefix of data is skipped. */
    {
        static const char d[] = "XXXX552 5.2.2 Mailbox full250 2.1.5 Ok";
        size_t b[3] = { 4, 26, sizeof d - 1 };
        CHECK_RESULT(smtpreply_classify_many(LIT(d), b, 2, NULL, many), SMTPREPLY_OK);
        CHECK_EQ_U(many[0].reason, SMTPREPLY_REASON_MAILBOX_FULL);
        CHECK_EQ_U(many[1].reason, SMTPREPLY_REASON_SUCCESS);
        CHECK_EQ_U(many[1].code, 250);
        /* The last bound may stop before len. */
        b[2] = 30;
        CHECK_RESULT(smtpreply_classify_many(LIT(d), b, 2, NULL, many), SMTPREPLY_OK);
        CHECK_EQ_U(many[1].code, 250);
    }

    /* Every family at once, each with its own command. */
    {
        uint8_t *all = malloc(8192);
        size_t fb[FAMILIES_N + 1];
        uint32_t fc[FAMILIES_N];
        smtpreply_classification fo[FAMILIES_N];
        CHECK(all != NULL);
        fb[0] = 0;
        for (i = 0; i < FAMILIES_N; i++) {
            size_t n = strlen(FAMILIES[i].input);
            memcpy(all + fb[i], FAMILIES[i].input, n);
            fb[i + 1] = fb[i] + n;
            fc[i] = FAMILIES[i].command;
        }
        CHECK_RESULT(smtpreply_classify_many(all, fb[FAMILIES_N], fb, FAMILIES_N, fc, fo), SMTPREPLY_OK);
        for (i = 0; i < FAMILIES_N; i++) CHECK(meets(&fo[i], &FAMILIES[i]));
        free(all);
    }
}

/* ---------------------------------------------------------------- bad input */

static void bad_classify(void) {
    static const uint8_t one[1] = { '5' };
    smtpreply_classification c;
    uint8_t *big;

    /* NULL pointers. */
    FAILS_1(smtpreply_classify(NULL, 22, 0, &c), SMTPREPLY_NULL_PARAMETER, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "data is NULL");
    FAILS_1(smtpreply_classify(NULL, 22, 23, &c), SMTPREPLY_NULL_PARAMETER, c); /* NULL first */
    CHECK_RESULT(smtpreply_classify(LIT("552 5.2.2 Mailbox full"), 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_CONTAINS(smtpreply_last_error_message(), "out is NULL");
    CHECK_RESULT(smtpreply_classify(LIT(""), 23, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_classify(one, SIZE_MAX, 0, NULL), SMTPREPLY_NULL_PARAMETER);

    /* Empty and blank input. */
    FAILS_1(smtpreply_classify(NULL, 0, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "empty");
    FAILS_1(smtpreply_classify(one, 0, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify(LIT(" "), 0, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify(LIT(" \t\r\n  \r\n"), SMTPREPLY_COMMAND_RCPT, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "empty");
    FAILS_1(smtpreply_classify(LIT("\r\n"), 0, &c), SMTPREPLY_INVALID_INPUT, c);
    /* A length no object can have. */
    FAILS_1(smtpreply_classify(one, SIZE_MAX, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "length");

    /* 64 KiB is the limit: exactly 64 KiB is classified, one byte more is refused. */
    big = malloc(MAX_INPUT + 1);
    CHECK(big != NULL);
    memset(big, 'x', MAX_INPUT + 1);
    memcpy(big, "550 5.1.1 User unknown ", 23);
    check_fill(&c, sizeof c);
    CHECK_RESULT(smtpreply_classify(big, MAX_INPUT, 0, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    FAILS_1(smtpreply_classify(big, MAX_INPUT + 1, 0, &c), SMTPREPLY_LIMIT_EXCEEDED, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "65537");
    free(big);

    /* Non-UTF-8 and NUL bytes inside a reply are just bytes. */
    {
        static const char odd[] = "550 5.1.1 \xff\xfe\x80 User unknown \xc0\xaf";
        check_fill(&c, sizeof c);
        CHECK_RESULT(smtpreply_classify(LIT(odd), SMTPREPLY_COMMAND_RCPT, &c), SMTPREPLY_OK);
        CHECK_EQ_U(c.reason, SMTPREPLY_REASON_USER_UNKNOWN);
        CHECK(well_formed(&c, sizeof odd - 1));
        CHECK(ci_contains((const uint8_t *)odd + c.evidence_offset, c.evidence_len, "unknown"));
    }
    CHECK_RESULT(smtpreply_classify(LIT("552 5.2.2 Mailbox\0 full\0\0"), 0, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.code, 552);
    CHECK_EQ_U(c.bounce, SMTPREPLY_BOUNCE_SOFT);
    CHECK_RESULT(smtpreply_classify(LIT("552 5.2.2 Mailbox full\0"), 0, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_MAILBOX_FULL);
    CHECK_RESULT(smtpreply_classify(LIT("\0"), 0, &c), SMTPREPLY_OK); /* not blank: a NUL is not white space */
    CHECK_EQ_U(c.code, 0);
    CHECK(well_formed(&c, 1));
    {
        static const char bom[] = "\xef\xbb\xbf" "550 5.7.1 Relaying denied";
        CHECK_RESULT(smtpreply_classify(LIT(bom), 0, &c), SMTPREPLY_OK);
        CHECK(well_formed(&c, sizeof bom - 1));
    }
    /* No reply code at all. */
    CHECK_RESULT(smtpreply_classify(LIT("hello"), 0, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.code, 0);
    CHECK(!c.has_enhanced);
    CHECK(well_formed(&c, 5));

    /* Command numbers. */
    FAILS_1(smtpreply_classify(LIT("552 5.2.2 Mailbox full"), 23, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "23");
    FAILS_1(smtpreply_classify(LIT("552 5.2.2 Mailbox full"), UINT32_MAX, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "4294967295");
    FAILS_1(smtpreply_classify(LIT("552 5.2.2 Mailbox full"), 0x80000000u, &c), SMTPREPLY_INVALID_INPUT, c);
    /* A blank reply and a bad command: refused either way. */
    FAILS_1(smtpreply_classify(LIT("  "), 23, &c), SMTPREPLY_INVALID_INPUT, c);
}

static void bad_classify_reply(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_classification c;
    size_t consumed;

    FAILS_1(smtpreply_classify_reply(r, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "no parsed reply");
    FAILS_1(smtpreply_classify_reply(r, 23, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify_reply(NULL, 0, &c), SMTPREPLY_NULL_PARAMETER, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "reply is NULL");
    CHECK_RESULT(smtpreply_classify_reply(r, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_CONTAINS(smtpreply_last_error_message(), "out is NULL");
    /* A failed or incomplete parse leaves the handle empty. */
    FAILS_1(smtpreply_parse_reply(LIT("HELLO\r\n"), NULL, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    FAILS_1(smtpreply_parse_reply(LIT("550-5.1.1 x\r\n"), NULL, r, &consumed), SMTPREPLY_NEED_MORE, consumed);
    FAILS_1(smtpreply_classify_reply(r, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    /* Once filled it classifies; a later failed parse keeps the handle's reply (as get_info does). */
    CHECK_RESULT(smtpreply_parse_reply(LIT("552 5.2.2 Mailbox full\r\n"), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_classify_reply(r, 0, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_MAILBOX_FULL);
    smtpreply_reply_free(r);
}

static void bad_classify_many(void) {
    static const char d[] = "552 5.2.2 Mailbox full" /* 0..22 */
                            "   \r\n"                /* 22..27: blank */
                            "250 2.1.5 Ok";          /* 27..39 */
    const uint8_t *data = (const uint8_t *)d;
    const size_t len = sizeof d - 1;
    smtpreply_classification out[3];
    size_t good[4] = { 0, 22, 22, 39 };
    uint32_t cmds[3] = { SMTPREPLY_COMMAND_RCPT, SMTPREPLY_COMMAND_RCPT, SMTPREPLY_COMMAND_RCPT };

    /* count 0: nothing to do, nothing read or written, whatever the pointers. */
    FAILS_1(smtpreply_classify_many(data, len, good, 0, NULL, out), SMTPREPLY_OK, out);
    CHECK_RESULT(smtpreply_classify_many(NULL, 0, NULL, 0, NULL, NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_classify_many(NULL, 5, NULL, 0, NULL, NULL), SMTPREPLY_OK);

    /* One blank reply among good ones: the message names its index; nothing is written. */
    {
        size_t b[4] = { 0, 22, 27, 39 };
        FAILS_1(smtpreply_classify_many(data, len, b, 3, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "reply 1");
        CHECK_CONTAINS(smtpreply_last_error_message(), "empty");
        FAILS_1(smtpreply_classify_many(data, len, b, 3, cmds, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "reply 1");
        /* An empty reply (two equal bounds) is blank too. */
        FAILS_1(smtpreply_classify_many(data, len, good, 3, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "reply 1");
        /* Control: the good ones alone. */
        b[1] = 27;
        b[2] = 39;
        CHECK_RESULT(smtpreply_classify_many(data, len, b + 1, 1, NULL, out), SMTPREPLY_OK);
        CHECK_EQ_U(out[0].reason, SMTPREPLY_REASON_SUCCESS);
        b[1] = 22;
        CHECK_RESULT(smtpreply_classify_many(data, len, b, 1, NULL, out), SMTPREPLY_OK);
        CHECK_EQ_U(out[0].reason, SMTPREPLY_REASON_MAILBOX_FULL);
    }
    /* Bounds out of order, past len. */
    {
        size_t back[4] = { 0, 27, 22, 39 };
        size_t past[3] = { 0, 22, 40 };
        size_t start_past[2] = { 40, 41 };
        size_t huge[3] = { 0, 22, SIZE_MAX };
        FAILS_1(smtpreply_classify_many(data, len, back, 3, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "bounds[1]");
        FAILS_1(smtpreply_classify_many(data, len, past, 2, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "bounds[1]");
        FAILS_1(smtpreply_classify_many(data, len, start_past, 1, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "bounds[0]");
        FAILS_1(smtpreply_classify_many(data, len, huge, 2, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        /* The same bounds are fine when len covers them. */
        past[2] = 39;
        CHECK_RESULT(smtpreply_classify_many(data, len, past, 2, NULL, out), SMTPREPLY_OK);
        /* ... and past len by one byte is refused even though the byte exists. */
        FAILS_1(smtpreply_classify_many(data, len - 1, past, 2, NULL, out), SMTPREPLY_INVALID_INPUT, out);
    }
    /* NULL pointers. */
    {
        size_t b[3] = { 0, 22, 39 };
        FAILS_1(smtpreply_classify_many(NULL, len, b, 2, NULL, out), SMTPREPLY_NULL_PARAMETER, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "data is NULL");
        FAILS_1(smtpreply_classify_many(data, len, NULL, 2, NULL, out), SMTPREPLY_NULL_PARAMETER, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "bounds is NULL");
        CHECK_RESULT(smtpreply_classify_many(data, len, b, 2, NULL, NULL), SMTPREPLY_NULL_PARAMETER);
        CHECK_CONTAINS(smtpreply_last_error_message(), "out is NULL");
        CHECK_RESULT(smtpreply_classify_many(data, len, NULL, 2, NULL, NULL), SMTPREPLY_NULL_PARAMETER);
        /* NULL data with len 0: every reply is empty. */
        {
            size_t z[2] = { 0, 0 };
            FAILS_1(smtpreply_classify_many(NULL, 0, z, 1, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        }
    }
    /* Command numbers: the message names the reply. */
    {
        size_t b[3] = { 0, 22, 39 };
        uint32_t bad[2] = { SMTPREPLY_COMMAND_RCPT, 23 };
        b[1] = 27;
        FAILS_1(smtpreply_classify_many(data, len, b, 2, bad, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "reply 1");
        CHECK_CONTAINS(smtpreply_last_error_message(), "23");
        bad[0] = UINT32_MAX;
        bad[1] = SMTPREPLY_COMMAND_RCPT;
        FAILS_1(smtpreply_classify_many(data, len, b, 2, bad, out), SMTPREPLY_INVALID_INPUT, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "reply 0");
    }
    /* A count no array can have. */
    {
        size_t b[2] = { 0, 22 };
        FAILS_1(smtpreply_classify_many(data, len, b, SIZE_MAX, NULL, out), SMTPREPLY_INVALID_INPUT, out);
        FAILS_1(smtpreply_classify_many(data, len, b, SIZE_MAX / 2, NULL, out), SMTPREPLY_INVALID_INPUT, out);
    }
    /* Over 64 KiB in one reply, among good ones: LIMIT_EXCEEDED naming the reply. */
    {
        uint8_t *big = malloc(MAX_INPUT + 100);
        size_t b[4];
        CHECK(big != NULL);
        memset(big, 'x', MAX_INPUT + 100);
        memcpy(big, "552 5.2.2 Mailbox full", 22);
        memcpy(big + 22, "550 5.1.1 User unknown ", 23);
        b[0] = 0;
        b[1] = 22;
        b[2] = 22 + MAX_INPUT + 1;
        b[3] = MAX_INPUT + 100;
        FAILS_1(smtpreply_classify_many(big, MAX_INPUT + 100, b, 3, NULL, out), SMTPREPLY_LIMIT_EXCEEDED, out);
        CHECK_CONTAINS(smtpreply_last_error_message(), "reply 1");
        b[2] = 22 + MAX_INPUT; /* exactly 64 KiB */
        CHECK_RESULT(smtpreply_classify_many(big, MAX_INPUT + 100, b, 3, NULL, out), SMTPREPLY_OK);
        CHECK_EQ_U(out[1].reason, SMTPREPLY_REASON_USER_UNKNOWN);
        free(big);
    }
}

/* ---------------------------------------------------------------- names */

static void names(void) {
    static const char *const reasons[] = {
        "success",           "user_unknown",       "mailbox_disabled",     "mailbox_full",   "domain_unknown",
        "message_too_large", "content_rejected",   "spam_detected",        "virus_detected", "ip_reputation",
        "blocklisted",       "policy_rejected",    "sender_auth_failed",   "sender_rejected", "relay_denied",
        "auth_required",     "tls_required",       "rate_limited",         "too_many_connections",
        "greylisted",        "system_error",       "system_full",          "network_error",  "expired",
        "syntax_error",      "unknown",
    };
    static const char *const actions[] = { "none",         "retry_later",      "remove_recipient", "fix_sender_setup",
                                           "fix_message", "contact_receiver", "fix_client" };
    static const char *const rule_kinds[] = { "success", "provider", "phrase", "enhanced_code", "reply_code",
                                              "class_digit" };
    uint32_t i, u;

    CHECK_EQ_U(sizeof reasons / sizeof reasons[0], SMTPREPLY_REASON_UNKNOWN + 1);
    for (i = 0; i <= SMTPREPLY_REASON_UNKNOWN; i++) {
        CHECK_STR(smtpreply_reason_name(i), reasons[i]);
        CHECK(nonempty(smtpreply_reason_explanation(i)));
        CHECK(nonempty(smtpreply_reason_advice(i)));
        CHECK(strcmp(smtpreply_reason_explanation(i), smtpreply_reason_advice(i)) != 0);
        /* Static: the same pointer every time. */
        CHECK(smtpreply_reason_name(i) == smtpreply_reason_name(i));
        /* Round trip through the name. */
        check_fill(&u, sizeof u);
        CHECK_RESULT(smtpreply_reason_from_name(smtpreply_reason_name(i), &u), SMTPREPLY_OK);
        CHECK_EQ_U(u, i);
    }
    CHECK_EQ_U(SMTPREPLY_REASON_USER_UNKNOWN, 1);
    CHECK_EQ_U(SMTPREPLY_REASON_GREYLISTED, 19);
    CHECK(smtpreply_reason_name(26) == NULL);
    CHECK(smtpreply_reason_name(UINT32_MAX) == NULL);
    CHECK(smtpreply_reason_explanation(26) == NULL);
    CHECK(smtpreply_reason_explanation(UINT32_MAX) == NULL);
    CHECK(smtpreply_reason_advice(26) == NULL);
    CHECK(smtpreply_reason_advice(0x80000000u) == NULL);

    FAILS_1(smtpreply_reason_from_name("nonsense", &u), SMTPREPLY_NOT_FOUND, u);
    CHECK_CONTAINS(smtpreply_last_error_message(), "nonsense");
    FAILS_1(smtpreply_reason_from_name("", &u), SMTPREPLY_NOT_FOUND, u);
    FAILS_1(smtpreply_reason_from_name("USER_UNKNOWN", &u), SMTPREPLY_NOT_FOUND, u); /* names are exact */
    FAILS_1(smtpreply_reason_from_name("user_unknown ", &u), SMTPREPLY_NOT_FOUND, u);
    FAILS_1(smtpreply_reason_from_name("user\xff", &u), SMTPREPLY_INVALID_INPUT, u);
    FAILS_1(smtpreply_reason_from_name(NULL, &u), SMTPREPLY_NULL_PARAMETER, u);
    CHECK_RESULT(smtpreply_reason_from_name("mailbox_full", NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_reason_from_name("mailbox_full", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_REASON_MAILBOX_FULL);

    CHECK_STR(smtpreply_bounce_name(SMTPREPLY_BOUNCE_NONE), "none");
    CHECK_STR(smtpreply_bounce_name(SMTPREPLY_BOUNCE_SOFT), "soft");
    CHECK_STR(smtpreply_bounce_name(SMTPREPLY_BOUNCE_HARD), "hard");
    CHECK(smtpreply_bounce_name(3) == NULL);
    CHECK(smtpreply_bounce_name(UINT32_MAX) == NULL);

    for (i = 0; i <= SMTPREPLY_ACTION_FIX_CLIENT; i++) CHECK_STR(smtpreply_action_name(i), actions[i]);
    CHECK(smtpreply_action_name(7) == NULL);
    CHECK(smtpreply_action_name(UINT32_MAX) == NULL);

    for (i = 0; i <= SMTPREPLY_RULE_CLASS; i++) CHECK_STR(smtpreply_rule_kind_name(i), rule_kinds[i]);
    CHECK(smtpreply_rule_kind_name(6) == NULL);
    CHECK(smtpreply_rule_kind_name(UINT32_MAX) == NULL);

    /* Blocklists: NONE has no name; 1 up to the last list (at least 30: the table grows) have
     * distinct ones; then NULL, and nothing after the first NULL. */
    CHECK(smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_NONE) == NULL);
    CHECK_STR(smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_OTHER), "other DNS blocklist");
    CHECK_STR(smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_SPAMHAUS_ZEN), "Spamhaus ZEN");
    CHECK_STR(smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_SPAMCOP), "SpamCop");
    CHECK_STR(smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_CBL), "CBL (Composite Blocking List)");
    {
        uint32_t last = SMTPREPLY_BLOCKLIST_OTHER;
        while (smtpreply_blocklist_name(last + 1) != NULL) last++;
        CHECK(last >= 30);
        CHECK(last < 1000);
        for (i = SMTPREPLY_BLOCKLIST_OTHER; i <= last; i++) {
            uint32_t k;
            CHECK(nonempty(smtpreply_blocklist_name(i)));
            for (k = SMTPREPLY_BLOCKLIST_OTHER; k < i; k++)
                CHECK(strcmp(smtpreply_blocklist_name(i), smtpreply_blocklist_name(k)) != 0);
        }
        for (i = last + 1; i < last + 100; i++) CHECK(smtpreply_blocklist_name(i) == NULL);
    }
    CHECK(smtpreply_blocklist_name(0x80000000u) == NULL);
    CHECK(smtpreply_blocklist_name(UINT32_MAX) == NULL);
}

/* ---------------------------------------------------------------- threads */

#define THREADS 8
#define ITERATIONS 5000

static pthread_barrier_t start_line;

struct worker {
    int id;
    unsigned long checks;
    /* The thread's first classification of every family, compared with main's after the join. */
    smtpreply_classification first[FAMILIES_N];
    uint8_t *all;
    size_t bounds[FAMILIES_N + 1];
    uint32_t commands[FAMILIES_N];
};

#undef CHECK_TALLY
#define CHECK_TALLY (t->checks)

static void *work(void *arg) {
    struct worker *t = (struct worker *)arg;
    smtpreply_classification c, many[FAMILIES_N];
    char msg[64];
    int it;
    size_t i;

    /* Everyone starts at once: the first calls race to build the rule automaton. */
    pthread_barrier_wait(&start_line);
    for (it = 0; it < ITERATIONS; it++) {
        for (i = 0; i < FAMILIES_N; i++) {
            /* Each thread walks the table from a different place. */
            size_t k = (i + (size_t)t->id) % FAMILIES_N;
            const struct family *f = &FAMILIES[k];
            CHECK_RESULT(smtpreply_classify((const uint8_t *)f->input, strlen(f->input), f->command, &c), SMTPREPLY_OK);
            CHECK(meets(&c, f));
            if (it == 0) t->first[k] = c;
            else CHECK(same_classification(&c, &t->first[k]));
        }
        if (it % 16 == 0) {
            CHECK_RESULT(smtpreply_classify_many(t->all, t->bounds[FAMILIES_N], t->bounds, FAMILIES_N, t->commands, many),
                         SMTPREPLY_OK);
            for (i = 0; i < FAMILIES_N; i++) CHECK(same_classification(&many[i], &t->first[i]));
        }
        if (it % 64 == 0) {
            /* A failure of this thread's own: the message is this thread's. */
            uint32_t bad = 100 + (uint32_t)t->id;
            CHECK_RESULT(smtpreply_classify(LIT("552 5.2.2 Mailbox full"), bad, &c), SMTPREPLY_INVALID_INPUT);
            snprintf(msg, sizeof msg, "command %u ", (unsigned)bad);
            CHECK_CONTAINS(smtpreply_last_error_message(), msg);
        }
    }
    return NULL;
}

#undef CHECK_TALLY
#define CHECK_TALLY check_count

static void threads(void) {
    pthread_t tid[THREADS];
    static struct worker w[THREADS];
    smtpreply_classification main_c;
    size_t i;
    int k;

    CHECK(pthread_barrier_init(&start_line, NULL, THREADS) == 0);
    for (k = 0; k < THREADS; k++) {
        w[k].id = k;
        w[k].checks = 0;
        w[k].all = malloc(8192);
        CHECK(w[k].all != NULL);
        w[k].bounds[0] = 0;
        for (i = 0; i < FAMILIES_N; i++) {
            size_t n = strlen(FAMILIES[i].input);
            memcpy(w[k].all + w[k].bounds[i], FAMILIES[i].input, n);
            w[k].bounds[i + 1] = w[k].bounds[i] + n;
            w[k].commands[i] = FAMILIES[i].command;
        }
    }
    for (k = 0; k < THREADS; k++) CHECK(pthread_create(&tid[k], NULL, work, &w[k]) == 0);
    for (k = 0; k < THREADS; k++) CHECK(pthread_join(tid[k], NULL) == 0);
    CHECK(pthread_barrier_destroy(&start_line) == 0);
    /* Every thread saw what the main thread sees. */
    for (i = 0; i < FAMILIES_N; i++) {
        CHECK_RESULT(smtpreply_classify((const uint8_t *)FAMILIES[i].input, strlen(FAMILIES[i].input),
                                        FAMILIES[i].command, &main_c),
                     SMTPREPLY_OK);
        for (k = 0; k < THREADS; k++) CHECK(same_classification(&main_c, &w[k].first[i]));
    }
    for (k = 0; k < THREADS; k++) {
        CHECK(w[k].checks > (unsigned long)ITERATIONS * FAMILIES_N);
        check_count += w[k].checks;
        free(w[k].all);
    }
}

/* ------------------------------------------------- regressions: bugs found by these tests, fixed */

/* `correct` is whether the library behaves as it should; `what` says what went wrong before. */
static void regression_at(const char *file, int line, int correct, const char *what) {
    check_count += (unsigned long)check_true_at(file, line, correct, what);
}
#define REGRESSION(correct, what) regression_at(__FILE__, __LINE__, (correct) ? 1 : 0, what)

static int span_at_word(const char *in, size_t off, size_t len) {
    size_t n = strlen(in);
    if (len == 0 || off + len > n) return 0;
    if (off > 0 && is_alnum((unsigned char)in[off - 1]) && is_alnum((unsigned char)in[off])) return 0;
    if (off + len < n && is_alnum((unsigned char)in[off + len]) && is_alnum((unsigned char)in[off + len - 1])) return 0;
    return 1;
}

static void regressions(void) {
    smtpreply_classification c;

    /* 1. (Fixed) The evidence span was the FIRST case-insensitive occurrence of the rule's first fragment
     *    (or of the reply code's digits) anywhere in the input (find_in_input / code_span in
     *    src/classify/mod.rs), not the place where the rule matched. When the same letters occur
     *    earlier, in a host name, an address or an IP address, the span points there. */
    {
        /* The reply code 250 also stands in the relay's IP address (203.0.113.250). */
        static const char in[] = "host mx.example.com[203.0.113.250] said: 250 2.0.0 Ok: queued as ABC123 "
                                 "(in reply to end of DATA command)";
        CHECK_RESULT(smtpreply_classify(LIT(in), 0, &c), SMTPREPLY_OK);
        CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SUCCESS);
        REGRESSION(c.evidence_offset == offset_of(in, "said: 250") + 6 && c.evidence_len == 3,
                  "evidence span of a wrapped 250 reply points at '250' inside the IP address [203.0.113.250]");
    }
    {
        /* "spam" stands first in the relay's host name. */
        static const char in[] = "host mx.spamexperts.com[192.0.2.1] said: 550 5.7.1 Message rejected as spam "
                                 "(in reply to end of DATA command)";
        CHECK_RESULT(smtpreply_classify(LIT(in), 0, &c), SMTPREPLY_OK);
        CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SPAM_DETECTED);
        REGRESSION(c.evidence_offset > offset_of(in, "said:") && span_at_word(in, c.evidence_offset, c.evidence_len),
                  "evidence span of 'rejected as spam' points at 'spam' inside the host name mx.spamexperts.com");
    }
    {
        static const char in[] = "550 5.7.1 Message from spammer.example.org rejected as spam";
        CHECK_RESULT(smtpreply_classify(LIT(in), 0, &c), SMTPREPLY_OK);
        CHECK_EQ_U(c.reason, SMTPREPLY_REASON_SPAM_DETECTED);
        REGRESSION(span_at_word(in, c.evidence_offset, c.evidence_len),
                  "evidence span points at 'spam' inside the word 'spammer', not at the word 'spam' that matched");
    }

    /* 2. (Fixed) smtpreply_classify_many did not check the alignment of out, bounds and commands (every
     *    other function refuses a misaligned pointer with INVALID_INPUT, see test_bad_inputs.c
     *    misaligned_pointers): it builds slices from them and copy_nonoverlapping()s the results
     *    through a misaligned out, which is undefined behaviour in Rust. */
    {
        union {
            uint64_t force_alignment;
            unsigned char bytes[2 * sizeof(smtpreply_classification) + 16];
        } buf;
        union {
            uint64_t force_alignment;
            unsigned char bytes[64];
        } in;
        static const char d[] = "552 5.2.2 Mailbox full250 2.1.5 Ok";
        size_t bounds[3] = { 0, 22, 34 };
        uint32_t cmds[2] = { SMTPREPLY_COMMAND_RCPT, SMTPREPLY_COMMAND_RCPT };
        smtpreply_classification out[2];
        uint32_t r;

        check_fill(&buf, sizeof buf);
        r = smtpreply_classify_many(LIT(d), bounds, 2, NULL, (smtpreply_classification *)(void *)(buf.bytes + 1));
        REGRESSION(r == SMTPREPLY_INVALID_INPUT && buf.bytes[1] == CHECK_SENTINEL,
                  "smtpreply_classify_many accepts a misaligned out and writes through it");
        memcpy(in.bytes + 1, bounds, sizeof bounds);
        check_fill(&out, sizeof out);
        r = smtpreply_classify_many(LIT(d), (const size_t *)(void *)(in.bytes + 1), 2, NULL, out);
        REGRESSION(r == SMTPREPLY_INVALID_INPUT, "smtpreply_classify_many accepts a misaligned bounds");
        memcpy(in.bytes + 1, cmds, sizeof cmds);
        r = smtpreply_classify_many(LIT(d), bounds, 2, (const uint32_t *)(void *)(in.bytes + 1), out);
        REGRESSION(r == SMTPREPLY_INVALID_INPUT, "smtpreply_classify_many accepts a misaligned commands");
        /* smtpreply_classify itself refuses a misaligned out (control). */
        check_fill(&buf, sizeof buf);
        CHECK_RESULT(smtpreply_classify(LIT("552 5.2.2 Mailbox full"), 0,
                                        (smtpreply_classification *)(void *)(buf.bytes + 1)),
                     SMTPREPLY_INVALID_INPUT);
        CHECK_CONTAINS(smtpreply_last_error_message(), "aligned");
        CHECK_UNTOUCHED(buf);
    }

    /* 3. (Fixed) "A NULL pointer is NULL_PARAMETER whatever else is wrong" (test_bad_inputs.c) held for
     *    smtpreply_classify but not for smtpreply_classify_many, which checks data's length and
     *    count before the NULL out / bounds. */
    {
        static const uint8_t one[1] = { '5' };
        size_t b[2] = { 0, 1 };
        smtpreply_classification out;
        REGRESSION(smtpreply_classify_many(one, SIZE_MAX, b, 1, NULL, NULL) == SMTPREPLY_NULL_PARAMETER,
                  "classify_many(len = SIZE_MAX, out = NULL) gives INVALID_INPUT, not NULL_PARAMETER");
        REGRESSION(smtpreply_classify_many(one, 1, NULL, SIZE_MAX, NULL, &out) == SMTPREPLY_NULL_PARAMETER,
                  "classify_many(bounds = NULL, count = SIZE_MAX) gives INVALID_INPUT, not NULL_PARAMETER");
    }
}

int main(void) {

    /* Threads first, while the rule automaton is not built yet. */
    threads();
    families();
    success_and_names();
    blocklist_span();
    retry_after();
    command_context();
    postfix_wrapper();
    parsed_reply();
    strings_outlive_input();
    many_equals_one_by_one();
    bad_classify();
    bad_classify_reply();
    bad_classify_many();
    names();
    regressions();
    return check_summary("test_classify");
}
