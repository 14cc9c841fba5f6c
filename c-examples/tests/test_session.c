/*
 * The sans-I/O client session through the C API, driven by a scripted fake server: server bytes go
 * in with smtpreply_session_receive, events come out with smtpreply_session_next_event (drained
 * until SMTPREPLY_NEED_MORE), and the bytes to send are read with smtpreply_session_output and
 * consumed with smtpreply_session_advance_output. Every script asserts the exact bytes sent and
 * the exact event sequence.
 *
 *   1. one transaction without pipelining (SIZE, a rejected RCPT, DATA with dot-stuffing and bare
 *      CR/LF repair, queue id, per-recipient results, QUIT) and the RFC 5321 timeouts
 *   2. PIPELINING: one write for the envelope; replies in one packet, byte by byte, split anywhere
 *   3. STARTTLS (required, not offered, refused, clear text after the 220, handshake failure)
 *   4. AUTH LOGIN / PLAIN, insecure AUTH refused, mechanism not offered, 535
 *   5. 421 mid-envelope, connection lost mid-transaction, garbage, refused greeting / hello
 *   6. CHUNKING (BDAT framing, BDAT 0 LAST, a failed chunk)
 *   7. bad input at the boundary (outputs pre-filled with a sentinel and untouched on failure;
 *      nothing appended to the output by a refused action), wrong-state actions, name functions
 *   8. 8 threads running full scripted transactions on their own sessions at once
 *   9. event pointer lifetime: event bytes stay valid and unchanged until the next next_event
 *  10. known library bugs (run last; see the comments there)
 *
 * Check counting: every helper counts into `*tally`. On the main thread `tally` is the file-scope
 * pointer to check.h's global counter; the thread workers and the helpers they share take a
 * parameter of the same name, which shadows it (the global counter is not thread-safe).
 */
#define _POSIX_C_SOURCE 200809L

#define CHECK_TALLY (*tally)
#include "check.h"

#include <pthread.h>
#include <smtpreply.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long *tally = &check_count;

#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

#define CLIENT "client.example.org"
#define GREETING "220 mx.example.com ESMTP\r\n"
#define EHLO_LINE "EHLO " CLIENT "\r\n"

/* ================================================================ scripted-server helpers */

static smtpreply_session *open_at(unsigned long *tally, uint32_t tls, uint32_t flags, const char *file, int line) {
    smtpreply_session_config c;
    smtpreply_session *s = NULL;
    c.client_name = CLIENT;
    c.tls = tls;
    c.flags = flags;
    *tally += check_result_at(file, line, smtpreply_session_new(&c, &s), SMTPREPLY_OK, "smtpreply_session_new");
    *tally += check_true_at(file, line, s != NULL, "session != NULL");
    return s;
}

static void feed_at(unsigned long *tally, smtpreply_session *s, const char *data, size_t len, const char *file,
                    int line) {
    *tally += check_result_at(file, line, smtpreply_session_receive(s, (const uint8_t *)data, len), SMTPREPLY_OK,
                              "smtpreply_session_receive");
}

/* The pending output equals `want` exactly; then all of it is reported as sent. */
static void expect_out_at(unsigned long *tally, smtpreply_session *s, const char *want, size_t want_len,
                          const char *file, int line) {
    const uint8_t *p = NULL;
    size_t n = 0;
    *tally += check_result_at(file, line, smtpreply_session_output(s, &p, &n), SMTPREPLY_OK, "output");
    *tally += check_mem_at(file, line, p, n, want, want_len, "pending output", want);
    *tally += check_result_at(file, line, smtpreply_session_advance_output(s, n), SMTPREPLY_OK, "advance_output");
    *tally += check_result_at(file, line, smtpreply_session_output(s, &p, &n), SMTPREPLY_OK, "output");
    *tally += check_eq_u_at(file, line, n, 0, "pending after advance", "0");
}

static const char *mech_name(uint32_t m) {
    switch (m) {
    case SMTPREPLY_AUTH_PLAIN: return "PLAIN";
    case SMTPREPLY_AUTH_LOGIN: return "LOGIN";
    case SMTPREPLY_AUTH_XOAUTH2: return "XOAUTH2";
    default: return "?";
    }
}

/* Checks what must hold for every event of any kind, and appends a short description of it:
 *   "reply MAIL 250[ unexpected]", "greeting 220", "ready", "start_tls", "auth_challenge TEXT",
 *   "auth_succeeded LOGIN", "auth_failed 535", "recipient_accepted 0 ADDR",
 *   "recipient_rejected 1 ADDR 550", "ready_for_body", "message_accepted QID status,status",
 *   "message_rejected CODE|- status,status", "protocol_error", "closed REASON". */
static void describe_at(unsigned long *tally, const smtpreply_session *s, const smtpreply_event *ev, char *buf,
                        size_t size, const char *file, int line) {
    const char *name = smtpreply_event_name(ev->kind);
    char statuses[256];
    size_t i;
    bool reply_expected = false, class_expected = false;

    *tally += check_true_at(file, line, name != NULL, "smtpreply_event_name(ev.kind) != NULL");
    if (name == NULL) name = "?";
    /* message: only for PROTOCOL_ERROR, and then a non-empty sentence. */
    if (ev->kind == SMTPREPLY_EVENT_PROTOCOL_ERROR) {
        *tally += check_true_at(file, line, ev->message != NULL && ev->message[0] != '\0',
                                "PROTOCOL_ERROR has a message");
    } else {
        *tally += check_true_at(file, line, ev->message == NULL, "ev.message == NULL outside PROTOCOL_ERROR");
    }
    switch (ev->kind) {
    case SMTPREPLY_EVENT_REPLY:
    case SMTPREPLY_EVENT_AUTH_FAILED:
    case SMTPREPLY_EVENT_RECIPIENT_REJECTED: reply_expected = class_expected = true; break;
    case SMTPREPLY_EVENT_GREETING:
    case SMTPREPLY_EVENT_MESSAGE_ACCEPTED: reply_expected = true; break;
    case SMTPREPLY_EVENT_MESSAGE_REJECTED: class_expected = true; break;
    default: break;
    }
    if (reply_expected) *tally += check_true_at(file, line, ev->has_reply, "event has a reply");
    if (class_expected) *tally += check_true_at(file, line, ev->has_classification, "event has a classification");
    if (ev->has_reply) {
        /* The raw reply: starts with the code, ends with LF. */
        char code[4];
        sprintf(code, "%03u", (unsigned)(ev->code % 1000));
        *tally += check_true_at(file, line,
                                ev->reply != NULL && ev->reply_len >= 4 && memcmp(ev->reply, code, 3) == 0 &&
                                    ev->reply[ev->reply_len - 1] == '\n',
                                "ev.reply holds the raw reply");
        if (ev->has_enhanced)
            *tally += check_eq_u_at(file, line, ev->enhanced.status_class, ev->code / 100, "enhanced class",
                                    "code / 100");
        if (ev->has_classification)
            *tally += check_eq_u_at(file, line, ev->classification.code, ev->code, "classification.code", "ev.code");
    } else {
        *tally += check_true_at(file, line, ev->reply == NULL && ev->reply_len == 0 && ev->code == 0,
                                "no reply: NULL, 0, 0");
    }
    if (ev->has_classification)
        *tally += check_true_at(file, line,
                                ev->classification.reason_name != NULL && ev->classification.explanation != NULL,
                                "classification strings");

    switch (ev->kind) {
    case SMTPREPLY_EVENT_REPLY:
        snprintf(buf, size, "reply %s %u%s",
                 smtpreply_command_name(ev->command) ? smtpreply_command_name(ev->command) : "?",
                 (unsigned)ev->code, ev->unexpected ? " unexpected" : "");
        break;
    case SMTPREPLY_EVENT_GREETING: snprintf(buf, size, "greeting %u", (unsigned)ev->code); break;
    case SMTPREPLY_EVENT_AUTH_CHALLENGE:
        *tally += check_true_at(file, line, ev->challenge != NULL || ev->challenge_len == 0, "challenge pointer");
        snprintf(buf, size, "auth_challenge %.*s", (int)ev->challenge_len, (const char *)ev->challenge);
        break;
    case SMTPREPLY_EVENT_AUTH_SUCCEEDED: snprintf(buf, size, "auth_succeeded %s", mech_name(ev->mechanism)); break;
    case SMTPREPLY_EVENT_AUTH_FAILED: snprintf(buf, size, "auth_failed %u", (unsigned)ev->code); break;
    case SMTPREPLY_EVENT_RECIPIENT_ACCEPTED:
    case SMTPREPLY_EVENT_RECIPIENT_REJECTED:
        *tally += check_true_at(file, line, ev->address != NULL && ev->address_len > 0, "recipient address");
        if (ev->kind == SMTPREPLY_EVENT_RECIPIENT_ACCEPTED)
            snprintf(buf, size, "%s %lu %.*s", name, (unsigned long)ev->recipient_index, (int)ev->address_len,
                     (const char *)ev->address);
        else
            snprintf(buf, size, "%s %lu %.*s %u", name, (unsigned long)ev->recipient_index, (int)ev->address_len,
                     (const char *)ev->address, (unsigned)ev->code);
        break;
    case SMTPREPLY_EVENT_MESSAGE_ACCEPTED:
    case SMTPREPLY_EVENT_MESSAGE_REJECTED: {
        smtpreply_recipient_result r;
        statuses[0] = '\0';
        for (i = 0; i < ev->recipient_count; i++) {
            const char *st;
            *tally += check_result_at(file, line, smtpreply_session_event_recipient(s, i, &r), SMTPREPLY_OK,
                                      "event_recipient(i < recipient_count)");
            st = smtpreply_recipient_status_name(r.status);
            *tally += check_true_at(file, line, st != NULL && r.status != SMTPREPLY_RECIPIENT_PENDING,
                                    "a decided recipient status");
            *tally += check_true_at(file, line, r.address != NULL && r.address_len > 0, "result address");
            if (r.has_reply)
                *tally += check_true_at(file, line, r.reply != NULL && r.reply_len >= 4 && r.code >= 200,
                                        "result reply");
            else
                *tally += check_true_at(file, line, r.reply == NULL && r.reply_len == 0, "result without reply");
            if (strlen(statuses) + 16 < sizeof statuses) {
                if (i > 0) strcat(statuses, ",");
                strcat(statuses, st ? st : "?");
            }
        }
        check_fill(&r, sizeof r);
        *tally += check_result_at(file, line, smtpreply_session_event_recipient(s, ev->recipient_count, &r),
                                  SMTPREPLY_OUT_OF_RANGE, "event_recipient(recipient_count)");
        *tally += check_untouched_at(file, line, &r, sizeof r, "recipient result after OUT_OF_RANGE");
        if (ev->kind == SMTPREPLY_EVENT_MESSAGE_ACCEPTED) {
            snprintf(buf, size, "message_accepted %.*s %s", (int)ev->queue_id_len,
                     ev->queue_id ? (const char *)ev->queue_id : "", statuses);
        } else if (ev->has_reply) {
            snprintf(buf, size, "message_rejected %u %s", (unsigned)ev->code, statuses);
        } else {
            snprintf(buf, size, "message_rejected - %s", statuses);
        }
        break;
    }
    case SMTPREPLY_EVENT_CLOSED: {
        const char *why = smtpreply_close_reason_name(ev->close_reason);
        *tally += check_true_at(file, line, why != NULL, "close reason has a name");
        snprintf(buf, size, "closed %s", why ? why : "?");
        break;
    }
    default: snprintf(buf, size, "%s", name); break;
    }
}

/* Drains the events until NEED_MORE and compares their descriptions, joined with "|", to `want`. */
static void expect_events_at(unsigned long *tally, smtpreply_session *s, const char *want, const char *file,
                             int line) {
    char got[4096], one[512];
    smtpreply_event ev;
    uint32_t r;
    got[0] = '\0';
    for (;;) {
        check_fill(&ev, sizeof ev);
        r = smtpreply_session_next_event(s, &ev);
        if (r != SMTPREPLY_OK) break;
        describe_at(tally, s, &ev, one, sizeof one, file, line);
        if (strlen(got) + strlen(one) + 2 < sizeof got) {
            if (got[0] != '\0') strcat(got, "|");
            strcat(got, one);
        }
    }
    *tally += check_result_at(file, line, r, SMTPREPLY_NEED_MORE, "next_event at the end");
    *tally += check_untouched_at(file, line, &ev, sizeof ev, "event after NEED_MORE");
    *tally += check_str_at(file, line, got, want, "events", want);
}

/* Takes exactly one event (it must exist). */
static void take_at(unsigned long *tally, smtpreply_session *s, smtpreply_event *ev, uint32_t kind, const char *file,
                    int line) {
    char one[512];
    *tally += check_result_at(file, line, smtpreply_session_next_event(s, ev), SMTPREPLY_OK, "next_event");
    *tally += check_eq_u_at(file, line, ev->kind, kind, "ev.kind", "expected kind");
    describe_at(tally, s, ev, one, sizeof one, file, line);
}

/* ms == 0 means "not waiting": SMTPREPLY_NOT_FOUND with the output untouched. */
static void expect_timeout_at(unsigned long *tally, const smtpreply_session *s, uint64_t ms, const char *file,
                              int line) {
    uint64_t got;
    check_fill(&got, sizeof got);
    if (ms == 0) {
        *tally += check_result_at(file, line, smtpreply_session_timeout_ms(s, &got), SMTPREPLY_NOT_FOUND,
                                  "timeout_ms (not waiting)");
        *tally += check_untouched_at(file, line, &got, sizeof got, "timeout after NOT_FOUND");
    } else {
        *tally += check_result_at(file, line, smtpreply_session_timeout_ms(s, &got), SMTPREPLY_OK, "timeout_ms");
        *tally += check_eq_u_at(file, line, got, ms, "timeout_ms", "expected ms");
    }
}

/* Every CR is followed by LF and every LF preceded by CR. */
static int crlf_only(const uint8_t *p, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        if (p[i] == '\r' && (i + 1 >= n || p[i + 1] != '\n')) return 0;
        if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) return 0;
    }
    return 1;
}

#define OPEN(tls, flags) open_at(tally, (tls), (flags), __FILE__, __LINE__)
#define FEED(s, str) feed_at(tally, (s), (str), strlen(str), __FILE__, __LINE__)
#define OUT(s, want) expect_out_at(tally, (s), (want), strlen(want), __FILE__, __LINE__)
#define NO_OUT(s) expect_out_at(tally, (s), "", 0, __FILE__, __LINE__)
#define EVENTS(s, want) expect_events_at(tally, (s), (want), __FILE__, __LINE__)
#define TAKE(s, ev, kind) take_at(tally, (s), (ev), (kind), __FILE__, __LINE__)
#define TIMEOUT(s, ms) expect_timeout_at(tally, (s), (ms), __FILE__, __LINE__)

/* A session greeted and past EHLO (answered with `ehlo`), READY. */
static smtpreply_session *ready_at(unsigned long *tally, uint32_t tls, uint32_t flags, const char *ehlo,
                                   const char *file, int line) {
    smtpreply_session *s = open_at(tally, tls, flags, file, line);
    feed_at(tally, s, GREETING, strlen(GREETING), file, line);
    expect_out_at(tally, s, EHLO_LINE, strlen(EHLO_LINE), file, line);
    feed_at(tally, s, ehlo, strlen(ehlo), file, line);
    expect_events_at(tally, s, "reply GREETING 220|greeting 220|reply EHLO 250|ready", file, line);
    *tally += check_true_at(file, line, smtpreply_session_is_ready(s), "is_ready after READY");
    return s;
}
#define READY(tls, flags, ehlo) ready_at(tally, (tls), (flags), (ehlo), __FILE__, __LINE__)

/* Sends QUIT, answers 221 and frees the session. */
static void quit_at(unsigned long *tally, smtpreply_session *s, const char *file, int line) {
    *tally += check_result_at(file, line, smtpreply_session_quit(s), SMTPREPLY_OK, "quit");
    expect_out_at(tally, s, "QUIT\r\n", 6, file, line);
    feed_at(tally, s, "221 2.0.0 Bye\r\n", 15, file, line);
    expect_events_at(tally, s, "reply QUIT 221|closed quit", file, line);
    *tally += check_true_at(file, line, smtpreply_session_is_closed(s), "is_closed after QUIT");
    smtpreply_session_free(s);
}
#define QUIT_AND_FREE(s) quit_at(tally, (s), __FILE__, __LINE__)

/* ================================================================ 1. one transaction, no pipelining */

static const char REJECT_CAROL[] = "550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown\r\n";
static const char QUEUED_X[] = "250 2.0.0 Ok: queued as X\r\n";

static void full_transaction(void) {
    smtpreply_session *s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_mail_options mo;
    smtpreply_recipient_result rr;
    smtpreply_event ev;
    const uint8_t *p;
    size_t n, idx;

    /* Before the greeting: waiting 5 minutes for it, nothing to send, not ready, not closed. */
    TIMEOUT(s, 300000);
    NO_OUT(s);
    CHECK(!smtpreply_session_is_ready(s));
    CHECK(!smtpreply_session_is_closed(s));
    CHECK_RESULT(smtpreply_session_capabilities(s, caps), SMTPREPLY_NOT_FOUND);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);

    FEED(s, GREETING);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_GREETING);
    CHECK_EQ_U(ev.code, 220);
    CHECK(!ev.unexpected);
    CHECK_BYTES(ev.reply, ev.reply_len, GREETING);
    CHECK(ev.has_classification);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_SUCCESS);
    TAKE(s, &ev, SMTPREPLY_EVENT_GREETING);
    CHECK_EQ_U(ev.code, 220);
    CHECK_BYTES(ev.reply, ev.reply_len, GREETING);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    /* Partial sends: advance a few bytes, the rest stays pending. */
    CHECK_RESULT(smtpreply_session_output(s, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, EHLO_LINE);
    CHECK_RESULT(smtpreply_session_advance_output(s, 5), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_output(s, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, CLIENT "\r\n");
    CHECK_RESULT(smtpreply_session_advance_output(s, 0), SMTPREPLY_OK);
    OUT(s, CLIENT "\r\n");
    TIMEOUT(s, 300000);

    FEED(s, "250-mx.example.com Hello\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n");
    EVENTS(s, "reply EHLO 250|ready");
    CHECK(smtpreply_session_is_ready(s));
    TIMEOUT(s, 0);
    CHECK_RESULT(smtpreply_session_capabilities(s, caps), SMTPREPLY_OK);
    CHECK(smtpreply_capabilities_has(caps, "SIZE"));
    CHECK(smtpreply_capabilities_has(caps, "8bitmime"));
    CHECK(!smtpreply_capabilities_has(caps, "PIPELINING"));

    memset(&mo, 0, sizeof mo);
    mo.size = 1234;
    CHECK_RESULT(smtpreply_session_send_mail(s, "alice@example.org", &mo), SMTPREPLY_OK);
    CHECK(!smtpreply_session_is_ready(s));
    idx = 99;
    CHECK_RESULT(smtpreply_session_add_recipient(s, "bob@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 0);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "carol@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 1);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    /* Without PIPELINING: one command at a time. */
    OUT(s, "MAIL FROM:<alice@example.org> SIZE=1234\r\n");
    TIMEOUT(s, 300000);
    FEED(s, "250 2.1.0 Ok\r\n");
    OUT(s, "RCPT TO:<bob@example.com>\r\n");
    TIMEOUT(s, 300000);
    FEED(s, "250 2.1.5 Ok\r\n");
    OUT(s, "RCPT TO:<carol@example.com>\r\n");
    FEED(s, REJECT_CAROL);
    OUT(s, "DATA\r\n");
    TIMEOUT(s, 120000);
    FEED(s, "354 End data with <CR><LF>.<CR><LF>\r\n");

    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_MAIL);
    CHECK_BYTES(ev.reply, ev.reply_len, "250 2.1.0 Ok\r\n");
    CHECK(ev.has_enhanced && ev.enhanced.status_class == 2 && ev.enhanced.subject == 1 && ev.enhanced.detail == 0);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_RCPT);
    TAKE(s, &ev, SMTPREPLY_EVENT_RECIPIENT_ACCEPTED);
    CHECK_EQ_U(ev.recipient_index, 0);
    CHECK_BYTES(ev.address, ev.address_len, "bob@example.com");
    CHECK(!ev.has_reply);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_RCPT);
    CHECK_EQ_U(ev.code, 550);
    CHECK(!ev.unexpected);
    TAKE(s, &ev, SMTPREPLY_EVENT_RECIPIENT_REJECTED);
    CHECK_EQ_U(ev.recipient_index, 1);
    CHECK_BYTES(ev.address, ev.address_len, "carol@example.com");
    CHECK_EQ_U(ev.code, 550);
    CHECK(ev.has_enhanced && ev.enhanced.status_class == 5 && ev.enhanced.subject == 1 && ev.enhanced.detail == 1);
    CHECK_MEM(ev.reply, ev.reply_len, REJECT_CAROL, sizeof REJECT_CAROL - 1);
    CHECK(ev.has_classification);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK_STR(ev.classification.reason_name, "user_unknown");
    CHECK(!ev.classification.retry);
    CHECK_EQ_U(ev.classification.command, SMTPREPLY_COMMAND_RCPT);
    /* Not a message event: no recipient results. */
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_WRONG_STATE);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_DATA);
    CHECK_EQ_U(ev.code, 354);
    TAKE(s, &ev, SMTPREPLY_EVENT_READY_FOR_BODY);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    /* While the host sends the body: the data-block timeout (RFC 5321 §4.5.3.2.5). */
    TIMEOUT(s, 180000);

    /* A leading dot, bare LF, bare CR (one of them split across two chunks), a final lone dot. */
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("Subject: hi\n\n.leading dot\nbare LF\r")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("bare CR\r")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_send_body(s, NULL, 0), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("\n.")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_output(s, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "Subject: hi\r\n\r\n..leading dot\r\nbare LF\r\nbare CR\r\n..\r\n.\r\n");
    CHECK(crlf_only(p, n));
    OUT(s, "Subject: hi\r\n\r\n..leading dot\r\nbare LF\r\nbare CR\r\n..\r\n.\r\n");
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_WRONG_STATE); /* the terminator goes once */
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("late")), SMTPREPLY_WRONG_STATE);
    NO_OUT(s);
    TIMEOUT(s, 600000);

    FEED(s, QUEUED_X);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_DATA_END);
    CHECK_EQ_U(ev.code, 250);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_ACCEPTED);
    CHECK_BYTES(ev.queue_id, ev.queue_id_len, "X");
    CHECK_EQ_U(ev.recipient_count, 2);
    CHECK_EQ_U(ev.code, 250);
    CHECK_BYTES(ev.reply, ev.reply_len, QUEUED_X);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_OK);
    CHECK_BYTES(rr.address, rr.address_len, "bob@example.com");
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_ACCEPTED);
    CHECK(rr.has_reply);
    CHECK_EQ_U(rr.code, 250);
    CHECK_BYTES(rr.reply, rr.reply_len, QUEUED_X);
    CHECK(rr.has_classification);
    CHECK_EQ_U(rr.classification.reason, SMTPREPLY_REASON_SUCCESS);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 1, &rr), SMTPREPLY_OK);
    CHECK_BYTES(rr.address, rr.address_len, "carol@example.com");
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_REJECTED);
    CHECK(rr.has_reply);
    CHECK_EQ_U(rr.code, 550);
    CHECK_MEM(rr.reply, rr.reply_len, REJECT_CAROL, sizeof REJECT_CAROL - 1);
    CHECK(rr.has_classification);
    CHECK_EQ_U(rr.classification.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    check_fill(&rr, sizeof rr);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 2, &rr), SMTPREPLY_OUT_OF_RANGE);
    CHECK_UNTOUCHED(rr);
    CHECK_CONTAINS(smtpreply_last_error_message(), "out of range");
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    /* Delivered: no RSET, idle, not waiting. */
    NO_OUT(s);
    CHECK(smtpreply_session_is_ready(s));
    TIMEOUT(s, 0);

    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    CHECK(!smtpreply_session_is_ready(s));
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE); /* only once */
    OUT(s, "QUIT\r\n");
    TIMEOUT(s, 300000);
    FEED(s, "221 2.0.0 Bye\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_QUIT);
    CHECK_EQ_U(ev.code, 221);
    TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
    CHECK_EQ_U(ev.close_reason, SMTPREPLY_CLOSE_QUIT);
    CHECK(!ev.has_reply);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_session_is_closed(s));
    CHECK(!smtpreply_session_is_ready(s));
    TIMEOUT(s, 0);
    /* A closed session ignores input and refuses actions. */
    FEED(s, "250 late\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    EVENTS(s, "");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "closed");
    CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_WRONG_STATE);
    NO_OUT(s);
    smtpreply_capabilities_free(caps);
    smtpreply_session_free(s);
}

/* Other single-connection paths: several messages, NOOP, RSET, HELO fallback, null sender. */
static void more_transactions(void) {
    smtpreply_session *s;
    size_t idx;
    int i;

    /* Three messages on one connection; the null reverse-path; NOOP and RSET. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    for (i = 0; i < 3; i++) {
        char qid[64], want[256];
        CHECK_RESULT(smtpreply_session_send_mail(s, i == 1 ? "" : "a@example.org", NULL), SMTPREPLY_OK);
        OUT(s, i == 1 ? "MAIL FROM:<>\r\n" : "MAIL FROM:<a@example.org>\r\n");
        CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
        FEED(s, "250 ok\r\n");
        OUT(s, "RCPT TO:<b@example.com>\r\n");
        FEED(s, "250 ok\r\n");
        OUT(s, "DATA\r\n");
        FEED(s, "354 go\r\n");
        CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK); /* an empty message */
        OUT(s, ".\r\n");
        sprintf(qid, "250 OK id=1rAB-%d-Xy\r\n", i);
        FEED(s, qid);
        sprintf(want,
                "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply DATA 354|ready_for_body|"
                "reply DATA-END 250|message_accepted 1rAB-%d-Xy accepted",
                i);
        EVENTS(s, want);
        CHECK(smtpreply_session_is_ready(s));
    }
    CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_OK);
    OUT(s, "NOOP\r\n");
    CHECK(!smtpreply_session_is_ready(s));
    TIMEOUT(s, 300000);
    FEED(s, "250 2.0.0 Ok\r\n");
    EVENTS(s, "reply NOOP 250");
    CHECK(smtpreply_session_is_ready(s));
    /* RSET abandons an envelope in progress (no message event: the host asked for it). */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_reset(s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_WRONG_STATE);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "RSET\r\n");
    FEED(s, "250 flushed\r\n");
    EVENTS(s, "reply MAIL 250|reply RSET 250");
    CHECK(smtpreply_session_is_ready(s));
    /* A refused MAIL ends the message (no RSET needed); later envelope actions are refused. (With
     * recipients already queued, see BUG 4 at the end.) */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    FEED(s, "553 5.7.1 Sender address rejected: not owned by user\r\n");
    EVENTS(s, "reply MAIL 553|message_rejected 553 ");
    NO_OUT(s);
    CHECK(smtpreply_session_is_ready(s));
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_WRONG_STATE);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_WRONG_STATE);
    /* No recipient accepted (no pipelining): RSET instead of DATA, MESSAGE_REJECTED without reply. */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "nobody@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "RCPT TO:<nobody@example.com>\r\n");
    FEED(s, "550 5.1.1 no such user\r\n");
    OUT(s, "RSET\r\n");
    FEED(s, "250 ok\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 550|recipient_rejected 0 nobody@example.com 550|"
              "message_rejected - rejected|reply RSET 250");
    QUIT_AND_FREE(s);

    /* EHLO refused with 502: HELO; capabilities are then empty. */
    s = OPEN(SMTPREPLY_TLS_OPPORTUNISTIC, 0);
    FEED(s, "220-mx.example.com ESMTP\r\n220-No UCE\r\n220 ready\r\n");
    OUT(s, EHLO_LINE);
    FEED(s, "502 5.5.1 Command not implemented\r\n");
    OUT(s, "HELO " CLIENT "\r\n");
    FEED(s, "250 mx.example.com\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 502|reply HELO 250|ready");
    {
        smtpreply_capabilities *caps = smtpreply_capabilities_new();
        size_t count = 99;
        CHECK_RESULT(smtpreply_session_capabilities(s, caps), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_capabilities_count(caps, &count), SMTPREPLY_OK);
        CHECK_EQ_U(count, 0);
        smtpreply_capabilities_free(caps);
    }
    QUIT_AND_FREE(s);

    /* A DATA reply that is not 354 (unexpected code): no body, RSET. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n");
    FEED(s, "250 ok\r\n");
    FEED(s, "250 Go on\r\n");
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nRSET\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply DATA 250 unexpected|"
              "message_rejected 250 rejected");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("x")), SMTPREPLY_WRONG_STATE);
    FEED(s, "250 ok\r\n");
    EVENTS(s, "reply RSET 250");
    QUIT_AND_FREE(s);
}

/* ================================================================ 2. PIPELINING */

static const char PIPE_EHLO[] = "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 1000000\r\n";
static const char PIPE_REPLIES[] = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n"
                                   "450 4.2.0 Greylisted, try again in 5 minutes\r\n354 go ahead\r\n";
static const char PIPE_EVENTS[] = "reply MAIL 250|reply RCPT 250|recipient_accepted 0 bob@example.com|"
                                  "reply RCPT 550|recipient_rejected 1 carol@example.com 550|"
                                  "reply RCPT 450|recipient_rejected 2 dave@example.com 450|"
                                  "reply DATA 354|ready_for_body";

static smtpreply_session *pipelined_envelope_at(unsigned long *tally, const char *file, int line) {
    smtpreply_session *s = ready_at(tally, SMTPREPLY_TLS_NEVER, 0, PIPE_EHLO, file, line);
    static const char *const rcpts[] = { "bob@example.com", "carol@example.com", "dave@example.com" };
    static const char want[] = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\n"
                               "RCPT TO:<carol@example.com>\r\nRCPT TO:<dave@example.com>\r\nDATA\r\n";
    size_t i, idx;
    *tally += check_result_at(file, line, smtpreply_session_send_mail(s, "alice@example.org", NULL), SMTPREPLY_OK,
                              "send_mail");
    for (i = 0; i < 3; i++) {
        *tally += check_result_at(file, line, smtpreply_session_add_recipient(s, rcpts[i], NULL, &idx),
                                  SMTPREPLY_OK, "add_recipient");
        *tally += check_eq_u_at(file, line, idx, i, "recipient index", "i");
    }
    *tally += check_result_at(file, line, smtpreply_session_start_data(s), SMTPREPLY_OK, "start_data");
    /* MAIL, every RCPT and DATA in one write (RFC 2920). */
    expect_out_at(tally, s, want, sizeof want - 1, file, line);
    return s;
}
#define PIPELINED_ENVELOPE() pipelined_envelope_at(tally, __FILE__, __LINE__)

static void pipelining(void) {
    smtpreply_session *s;
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    size_t i, cut;

    /* All replies in one packet. */
    s = PIPELINED_ENVELOPE();
    TIMEOUT(s, 300000);
    FEED(s, PIPE_REPLIES);
    EVENTS(s, PIPE_EVENTS);
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("hello\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "hello\r\n.\r\n");
    FEED(s, "250 2.0.0 Ok: queued as ABC\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_ACCEPTED);
    CHECK_EQ_U(ev.recipient_count, 3);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_ACCEPTED);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 1, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_REJECTED);
    CHECK_EQ_U(rr.code, 550);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 2, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
    CHECK_EQ_U(rr.code, 450);
    CHECK_BYTES(rr.reply, rr.reply_len, "450 4.2.0 Greylisted, try again in 5 minutes\r\n");
    CHECK(rr.has_classification);
    CHECK_EQ_U(rr.classification.reason, SMTPREPLY_REASON_GREYLISTED);
    CHECK(rr.classification.retry);
    CHECK(rr.classification.has_retry_after);
    CHECK_EQ_U(rr.classification.retry_after, 300);
    EVENTS(s, "");
    QUIT_AND_FREE(s);

    /* The same replies one byte at a time: the same events, and none before a reply is complete. */
    s = PIPELINED_ENVELOPE();
    for (i = 0; i < sizeof PIPE_REPLIES - 1; i++) {
        CHECK_RESULT(smtpreply_session_receive(s, (const uint8_t *)PIPE_REPLIES + i, 1), SMTPREPLY_OK);
        if (i == 0) CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    }
    EVENTS(s, PIPE_EVENTS);
    smtpreply_session_free(s);

    /* Split in two at every point. */
    for (cut = 0; cut <= sizeof PIPE_REPLIES - 1; cut++) {
        s = PIPELINED_ENVELOPE();
        CHECK_RESULT(smtpreply_session_receive(s, (const uint8_t *)PIPE_REPLIES, cut), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_receive(s, (const uint8_t *)PIPE_REPLIES + cut, sizeof PIPE_REPLIES - 1 - cut),
                     SMTPREPLY_OK);
        EVENTS(s, PIPE_EVENTS);
        smtpreply_session_free(s);
    }

    /* Every recipient refused after a pipelined DATA: the 354 gets a lone "." and then RSET. */
    s = PIPELINED_ENVELOPE();
    FEED(s, "250 ok\r\n550 no\r\n550 no\r\n550 no\r\n354 go\r\n");
    OUT(s, ".\r\n");
    FEED(s, "554 5.5.1 no valid recipients\r\n");
    OUT(s, "RSET\r\n");
    FEED(s, "250 ok\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 550|recipient_rejected 0 bob@example.com 550|"
              "reply RCPT 550|recipient_rejected 1 carol@example.com 550|"
              "reply RCPT 550|recipient_rejected 2 dave@example.com 550|reply DATA 354|"
              "message_rejected - rejected,rejected,rejected|reply DATA-END 554|reply RSET 250");
    CHECK(smtpreply_session_is_ready(s));
    QUIT_AND_FREE(s);

    /* NO_PIPELINING: one command at a time even though the server offers it. */
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_NO_PIPELINING, PIPE_EHLO);
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &i), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "RCPT TO:<b@example.com>\r\n");
    smtpreply_session_free(s);

    /* ALL_OR_NOTHING: DATA is held back; one refusal means RSET and MESSAGE_REJECTED. */
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALL_OR_NOTHING, PIPE_EHLO);
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &i), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "c@example.com", NULL, &i), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\n");
    FEED(s, "250 ok\r\n250 ok\r\n550 5.1.1 no\r\n");
    OUT(s, "RSET\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply RCPT 550|"
              "recipient_rejected 1 c@example.com 550|message_rejected - rejected,rejected");
    FEED(s, "250 flushed\r\n");
    EVENTS(s, "reply RSET 250");
    QUIT_AND_FREE(s);
}

/* ================================================================ 3. STARTTLS */

static void starttls(void) {
    smtpreply_session *s;
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_event ev;

    /* Required and offered: STARTTLS, START_TLS, handshake, EHLO again, READY. */
    s = OPEN(SMTPREPLY_TLS_REQUIRED, 0);
    FEED(s, GREETING);
    OUT(s, EHLO_LINE);
    FEED(s, "250-mx.example.com\r\n250-STARTTLS\r\n250 SIZE 10\r\n");
    OUT(s, "STARTTLS\r\n");
    CHECK(!smtpreply_session_is_ready(s));
    TIMEOUT(s, 300000);
    FEED(s, "220 2.0.0 Ready to start TLS\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply STARTTLS 220|start_tls");
    /* During the handshake: not waiting for the server, no actions. */
    TIMEOUT(s, 0);
    CHECK(!smtpreply_session_is_ready(s));
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "TLS handshake");
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE);
    CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_WRONG_STATE);
    NO_OUT(s);
    CHECK_RESULT(smtpreply_session_tls_established(s), SMTPREPLY_OK);
    /* Capabilities are forgotten until the new EHLO. */
    CHECK_RESULT(smtpreply_session_capabilities(s, caps), SMTPREPLY_NOT_FOUND);
    CHECK_RESULT(smtpreply_session_tls_established(s), SMTPREPLY_WRONG_STATE);
    CHECK_RESULT(smtpreply_session_tls_failed(s), SMTPREPLY_WRONG_STATE);
    OUT(s, EHLO_LINE);
    TIMEOUT(s, 300000);
    FEED(s, "250-mx.example.com\r\n250 AUTH PLAIN\r\n");
    EVENTS(s, "reply EHLO 250|ready");
    CHECK(smtpreply_session_is_ready(s));
    CHECK_RESULT(smtpreply_session_capabilities(s, caps), SMTPREPLY_OK);
    CHECK(smtpreply_capabilities_has(caps, "AUTH"));
    CHECK(!smtpreply_capabilities_has(caps, "STARTTLS"));
    /* Encrypted now: AUTH needs no insecure flag. */
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "tanstaaftanstaaf", SMTPREPLY_AUTH_AUTO), SMTPREPLY_OK);
    OUT(s, "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
    FEED(s, "235 2.7.0 Authentication successful\r\n");
    EVENTS(s, "reply AUTH 235|auth_succeeded PLAIN");
    QUIT_AND_FREE(s);

    /* Required but not offered: QUIT, CLOSED tls_unavailable (no READY). */
    s = OPEN(SMTPREPLY_TLS_REQUIRED, 0);
    FEED(s, GREETING);
    OUT(s, EHLO_LINE);
    FEED(s, "250-mx.example.com\r\n250 SIZE 10\r\n");
    OUT(s, "QUIT\r\n");
    CHECK(!smtpreply_session_is_ready(s));
    FEED(s, "221 2.0.0 Bye\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply QUIT 221|closed tls_unavailable");
    CHECK(smtpreply_session_is_closed(s));
    smtpreply_session_free(s);

    /* Required and refused (454): QUIT, tls_unavailable; and the server closing instead of 221. */
    s = OPEN(SMTPREPLY_TLS_REQUIRED, 0);
    FEED(s, GREETING);
    FEED(s, "250-mx.example.com\r\n250 STARTTLS\r\n");
    OUT(s, EHLO_LINE "STARTTLS\r\n");
    FEED(s, "454 4.7.0 TLS not available due to temporary reason\r\n");
    OUT(s, "QUIT\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply STARTTLS 454|closed tls_unavailable");
    smtpreply_session_free(s);

    /* Opportunistic and refused: go on in clear text. */
    s = OPEN(SMTPREPLY_TLS_OPPORTUNISTIC, 0);
    FEED(s, GREETING);
    FEED(s, "250-mx.example.com\r\n250 STARTTLS\r\n");
    FEED(s, "454 4.7.0 TLS not available\r\n");
    OUT(s, EHLO_LINE "STARTTLS\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply STARTTLS 454|ready");
    CHECK(smtpreply_session_is_ready(s));
    QUIT_AND_FREE(s);

    /* Never, and TLS_ACTIVE (implicit TLS): no STARTTLS even when offered. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250 STARTTLS\r\n");
    NO_OUT(s);
    QUIT_AND_FREE(s);
    s = READY(SMTPREPLY_TLS_REQUIRED, SMTPREPLY_SESSION_TLS_ACTIVE, "250-mx.example.com\r\n250 STARTTLS\r\n");
    NO_OUT(s);
    QUIT_AND_FREE(s);

    /* Clear text after the 220, in the same packet: no START_TLS (no handshake is asked for),
     * PROTOCOL_ERROR, CLOSED protocol_error. */
    s = OPEN(SMTPREPLY_TLS_OPPORTUNISTIC, 0);
    FEED(s, GREETING);
    FEED(s, "250-mx.example.com\r\n250 STARTTLS\r\n");
    OUT(s, EHLO_LINE "STARTTLS\r\n");
    FEED(s, "220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 AUTH PLAIN\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_GREETING);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_STARTTLS);
    TAKE(s, &ev, SMTPREPLY_EVENT_PROTOCOL_ERROR);
    CHECK(ev.message != NULL);
    CHECK_CONTAINS(ev.message, "STARTTLS");
    TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
    CHECK_EQ_U(ev.close_reason, SMTPREPLY_CLOSE_PROTOCOL_ERROR);
    CHECK(ev.message == NULL);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_session_is_closed(s));
    CHECK_RESULT(smtpreply_session_tls_established(s), SMTPREPLY_WRONG_STATE);
    NO_OUT(s);
    smtpreply_session_free(s);

    /* Clear text after the 220, in a later packet (before the host reports the handshake). */
    s = OPEN(SMTPREPLY_TLS_REQUIRED, 0);
    FEED(s, GREETING);
    FEED(s, "250-mx.example.com\r\n250 STARTTLS\r\n");
    FEED(s, "220 go ahead\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply STARTTLS 220|start_tls");
    FEED(s, "250 ok\r\n");
    EVENTS(s, "protocol_error|closed protocol_error");
    smtpreply_session_free(s);

    /* The handshake fails: CLOSED tls_failed, nothing sent. */
    s = OPEN(SMTPREPLY_TLS_OPPORTUNISTIC, 0);
    FEED(s, GREETING);
    FEED(s, "250-mx.example.com\r\n250 STARTTLS\r\n");
    FEED(s, "220 go ahead\r\n");
    OUT(s, EHLO_LINE "STARTTLS\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply STARTTLS 220|start_tls");
    CHECK_RESULT(smtpreply_session_tls_failed(s), SMTPREPLY_OK);
    EVENTS(s, "closed tls_failed");
    NO_OUT(s);
    CHECK(smtpreply_session_is_closed(s));
    smtpreply_session_free(s);
    smtpreply_capabilities_free(caps);
}

/* ================================================================ 4. AUTH */

static void auth(void) {
    smtpreply_session *s;
    smtpreply_event ev;

    /* LOGIN over a clear connection with the insecure flag: base64 lines and decoded challenges. */
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250-mx.example.com\r\n250 AUTH LOGIN\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "tanstaaftanstaaf", SMTPREPLY_AUTH_LOGIN), SMTPREPLY_OK);
    CHECK(!smtpreply_session_is_ready(s));
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE);
    OUT(s, "AUTH LOGIN\r\n");
    FEED(s, "334 VXNlcm5hbWU6\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_AUTH);
    CHECK_EQ_U(ev.code, 334);
    TAKE(s, &ev, SMTPREPLY_EVENT_AUTH_CHALLENGE);
    CHECK_BYTES(ev.challenge, ev.challenge_len, "Username:");
    OUT(s, "dGlt\r\n");
    FEED(s, "334 UGFzc3dvcmQ6\r\n");
    OUT(s, "dGFuc3RhYWZ0YW5zdGFhZg==\r\n");
    FEED(s, "235 2.7.0 Authentication successful\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_AUTH_CHALLENGE);
    CHECK_BYTES(ev.challenge, ev.challenge_len, "Password:");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.code, 235);
    TAKE(s, &ev, SMTPREPLY_EVENT_AUTH_SUCCEEDED);
    CHECK_EQ_U(ev.mechanism, SMTPREPLY_AUTH_LOGIN);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_session_is_ready(s));
    /* Only once. */
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "x", SMTPREPLY_AUTH_LOGIN), SMTPREPLY_WRONG_STATE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "already authenticated");
    NO_OUT(s);
    QUIT_AND_FREE(s);

    /* The same exchange with the challenge split across packets. */
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250-mx.example.com\r\n250 AUTH LOGIN\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "tanstaaftanstaaf", SMTPREPLY_AUTH_AUTO), SMTPREPLY_OK);
    OUT(s, "AUTH LOGIN\r\n");
    FEED(s, "334 VXNlcm");
    NO_OUT(s);
    FEED(s, "5hbWU6\r\n");
    OUT(s, "dGlt\r\n");
    FEED(s, "334 UGFzc3dvcmQ6\r\n235 ok\r\n");
    OUT(s, "dGFuc3RhYWZ0YW5zdGFhZg==\r\n");
    EVENTS(s, "reply AUTH 334|auth_challenge Username:|reply AUTH 334|auth_challenge Password:|reply AUTH 235|"
              "auth_succeeded LOGIN");
    smtpreply_session_free(s);

    /* Without the flag, on a clear connection: WRONG_STATE, nothing sent. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250 AUTH PLAIN LOGIN\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "secret", SMTPREPLY_AUTH_AUTO), SMTPREPLY_WRONG_STATE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "not encrypted");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "secret", SMTPREPLY_AUTH_LOGIN), SMTPREPLY_WRONG_STATE);
    NO_OUT(s);
    CHECK(smtpreply_session_is_ready(s));
    smtpreply_session_free(s);

    /* Mechanism not offered; AUTH not offered: NOT_SUPPORTED. */
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250-mx.example.com\r\n250 AUTH PLAIN\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "secret", SMTPREPLY_AUTH_LOGIN), SMTPREPLY_NOT_SUPPORTED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "LOGIN");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "secret", SMTPREPLY_AUTH_XOAUTH2), SMTPREPLY_NOT_SUPPORTED);
    /* Bad credentials: INVALID_INPUT. */
    CHECK_RESULT(smtpreply_session_authenticate(s, "a\r\nMAIL FROM:<x@y.example>", "p", SMTPREPLY_AUTH_PLAIN),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_session_authenticate(s, "", "p", SMTPREPLY_AUTH_PLAIN), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "", SMTPREPLY_AUTH_PLAIN), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "\xff\xfe", SMTPREPLY_AUTH_PLAIN), SMTPREPLY_INVALID_INPUT);
    NO_OUT(s);
    CHECK(smtpreply_session_is_ready(s));
    /* 535: AUTH_FAILED, classified AUTH_REQUIRED; ready again, and AUTH may be tried again. */
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "wrong", SMTPREPLY_AUTH_PLAIN), SMTPREPLY_OK);
    OUT(s, "AUTH PLAIN AHRpbQB3cm9uZw==\r\n");
    FEED(s, "535 5.7.8 Username and Password not accepted\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.code, 535);
    CHECK(!ev.unexpected);
    TAKE(s, &ev, SMTPREPLY_EVENT_AUTH_FAILED);
    CHECK_EQ_U(ev.code, 535);
    CHECK_BYTES(ev.reply, ev.reply_len, "535 5.7.8 Username and Password not accepted\r\n");
    CHECK(ev.has_classification);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_AUTH_REQUIRED);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_session_is_ready(s));
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "right", SMTPREPLY_AUTH_AUTO), SMTPREPLY_OK);
    OUT(s, "AUTH PLAIN AHRpbQByaWdodA==\r\n");
    FEED(s, "235 ok\r\n");
    EVENTS(s, "reply AUTH 235|auth_succeeded PLAIN");
    QUIT_AND_FREE(s);

    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250 mx.example.com\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "secret", SMTPREPLY_AUTH_AUTO), SMTPREPLY_NOT_SUPPORTED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "AUTH");
    NO_OUT(s);
    smtpreply_session_free(s);
}

/* ================================================================ 5. 421, lost connection, garbage */

static void failures(void) {
    smtpreply_session *s;
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    size_t i, k;

    /* 421 in the middle of the pipelined envelope. */
    s = PIPELINED_ENVELOPE();
    FEED(s, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n421 4.3.2 Service shutting down\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_RECIPIENT_ACCEPTED);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_RCPT);
    CHECK_EQ_U(ev.code, 421);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK(ev.has_reply);
    CHECK_EQ_U(ev.code, 421);
    CHECK_BYTES(ev.reply, ev.reply_len, "421 4.3.2 Service shutting down\r\n");
    CHECK(ev.classification.retry);
    CHECK_EQ_U(ev.recipient_count, 3);
    for (i = 0; i < 3; i++) {
        CHECK_RESULT(smtpreply_session_event_recipient(s, i, &rr), SMTPREPLY_OK);
        CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
        CHECK_EQ_U(rr.code, 421);
        CHECK(rr.has_classification && rr.classification.retry);
    }
    TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
    CHECK_EQ_U(ev.close_reason, SMTPREPLY_CLOSE_SERVICE_CLOSING);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_session_is_closed(s));
    NO_OUT(s);
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "send_mail is not possible now: the session is closed");
    smtpreply_session_free(s);

    /* 421 without pipelining, after MAIL: the queued RCPTs are never sent. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &i), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    FEED(s, "421 4.7.0 Too many errors\r\n");
    NO_OUT(s);
    EVENTS(s, "reply MAIL 421|message_rejected 421 deferred|closed service_closing");
    smtpreply_session_free(s);

    /* Unsolicited 421 while idle; a 421 greeting. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    TIMEOUT(s, 0);
    FEED(s, "421 4.4.2 mx.example.com Error: timeout exceeded\r\n");
    EVENTS(s, "reply UNKNOWN 421|closed service_closing");
    smtpreply_session_free(s);
    s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    FEED(s, "421 4.3.2 Service not available\r\n");
    EVENTS(s, "reply GREETING 421|closed service_closing");
    NO_OUT(s);
    smtpreply_session_free(s);

    /* A refused greeting (554): QUIT, greeting_refused; a refused EHLO and HELO: hello_refused. */
    s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    FEED(s, "554 5.7.1 No SMTP service here for you\r\n");
    OUT(s, "QUIT\r\n");
    FEED(s, "221 bye\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_POLICY_REJECTED);
    EVENTS(s, "reply QUIT 221|closed greeting_refused");
    smtpreply_session_free(s);
    s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    FEED(s, GREETING);
    FEED(s, "550 5.7.1 go away\r\n");
    OUT(s, EHLO_LINE "QUIT\r\n");
    FEED(s, "221 bye\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 550|reply QUIT 221|closed hello_refused");
    smtpreply_session_free(s);

    /* The connection drops mid-transaction: MESSAGE_REJECTED without a reply, CONNECTION_LOST. */
    s = PIPELINED_ENVELOPE();
    FEED(s, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_RECIPIENT_ACCEPTED);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK(!ev.has_reply);
    CHECK(ev.reply == NULL);
    CHECK_EQ_U(ev.reply_len, 0);
    CHECK(ev.has_classification);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_NETWORK_ERROR);
    CHECK(ev.classification.retry);
    CHECK_EQ_U(ev.recipient_count, 3);
    for (i = 0; i < 3; i++) {
        CHECK_RESULT(smtpreply_session_event_recipient(s, i, &rr), SMTPREPLY_OK);
        CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
    }
    TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
    CHECK_EQ_U(ev.close_reason, SMTPREPLY_CLOSE_CONNECTION_LOST);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_session_is_closed(s));
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK); /* again: nothing new */
    EVENTS(s, "");
    smtpreply_session_free(s);

    /* Dropped in the middle of a reply, and while idle; EOF after QUIT is a normal end. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_OK);
    OUT(s, "NOOP\r\n");
    FEED(s, "250-partial");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    EVENTS(s, "closed connection_lost");
    smtpreply_session_free(s);
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    OUT(s, "QUIT\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    EVENTS(s, "closed quit");
    smtpreply_session_free(s);

    /* Garbage: PROTOCOL_ERROR then CLOSED protocol_error. */
    {
        static const struct {
            const char *bytes;
            size_t len;
        } garbage[] = {
            { "HTTP/1.1 400 Bad Request\r\n", 26 },
            { "\x16\x03\x01\x00\x05", 5 },
            { "250 OK\r\n250 extra\r\n", 19 },
            { "\0\0\0\r\n", 5 },
            { "2500 x\r\n", 8 },
        };
        for (k = 0; k < sizeof garbage / sizeof garbage[0]; k++) {
            s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
            CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_OK);
            OUT(s, "NOOP\r\n");
            CHECK_RESULT(smtpreply_session_receive(s, (const uint8_t *)garbage[k].bytes, garbage[k].len),
                         SMTPREPLY_OK);
            if (k == 2) {
                TAKE(s, &ev, SMTPREPLY_EVENT_REPLY); /* the first 250 answers NOOP */
            }
            TAKE(s, &ev, SMTPREPLY_EVENT_PROTOCOL_ERROR);
            CHECK(ev.message != NULL && strlen(ev.message) > 10);
            TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
            CHECK_EQ_U(ev.close_reason, SMTPREPLY_CLOSE_PROTOCOL_ERROR);
            CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
            CHECK(smtpreply_session_is_closed(s));
            NO_OUT(s);
            smtpreply_session_free(s);
        }
    }
    /* Garbage mid-transaction: the message is reported before the error. */
    s = PIPELINED_ENVELOPE();
    FEED(s, "250 ok\r\nSSH-2.0-OpenSSH_9.6\r\n");
    EVENTS(s, "reply MAIL 250|message_rejected - deferred,deferred,deferred|protocol_error|closed protocol_error");
    smtpreply_session_free(s);

    /* A reply that never ends: closed with bounded memory. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_OK);
    for (i = 0; i < 300000 && !smtpreply_session_is_closed(s); i++)
        FEED(s, "250-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n");
    CHECK(smtpreply_session_is_closed(s));
    EVENTS(s, "protocol_error|closed protocol_error");
    smtpreply_session_free(s);
}

/* ================================================================ 6. CHUNKING */

static void chunking(void) {
    smtpreply_session *s;
    smtpreply_mail_options mo;
    smtpreply_event ev;
    size_t idx;

    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    /* No DATA with BDAT: READY_FOR_BODY once the envelope is answered. */
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n");
    FEED(s, "250 ok\r\n250 ok\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body");
    /* Canonical line endings, no dot-stuffing; a trailing CR waits for the next chunk. */
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("Subject: x\n\n.dot stays\r")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("\nend")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_send_body(s, NULL, 0), SMTPREPLY_OK); /* no empty BDAT */
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "BDAT 24\r\nSubject: x\r\n\r\n.dot staysBDAT 5\r\n\r\nendBDAT 2 LAST\r\n\r\n");  /* the open last line is closed, as DATA does */
    TIMEOUT(s, 180000);
    FEED(s, "250 2.0.0 24 octets received\r\n");
    FEED(s, "250 2.0.0 5 octets received\r\n");
    TIMEOUT(s, 600000);
    FEED(s, "250 2.0.0 Ok: queued as BD1\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_EQ_U(ev.command, SMTPREPLY_COMMAND_BDAT);
    EVENTS(s, "reply BDAT 250|reply BDAT 250|message_accepted BD1 accepted");
    CHECK(smtpreply_session_is_ready(s));
    NO_OUT(s);
    /* An empty message: BDAT 0 LAST alone; a body ending in CR gets its LF in the last chunk. */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n250 ok\r\n");
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 0 LAST\r\n");
    FEED(s, "250 2.0.0 Ok: queued as BD2\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body|"
              "reply BDAT 250|message_accepted BD2 accepted");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n250 ok\r\n");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("x\r")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 1\r\nxBDAT 2 LAST\r\n\r\n");
    FEED(s, "250 ok\r\n250 queued as BD3\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body|"
              "reply BDAT 250|reply BDAT 250|message_accepted BD3 accepted");
    QUIT_AND_FREE(s);

    /* NO_CHUNKING: DATA even though CHUNKING is offered. */
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_NO_CHUNKING,
              "250-mx.example.com\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
    smtpreply_session_free(s);

    /* BINARYMIME: BODY=BINARYMIME, bytes unchanged. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250-BINARYMIME\r\n250 CHUNKING\r\n");
    memset(&mo, 0, sizeof mo);
    mo.body = SMTPREPLY_BODY_BINARYMIME;
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org> BODY=BINARYMIME\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "RCPT TO:<b@example.com>\r\n");
    FEED(s, "250 ok\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("a\nb\r\0.")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    expect_out_at(tally, s, "BDAT 6\r\na\nb\r\0.", 14, __FILE__, __LINE__);
    FEED(s, "250 ok\r\n");
    OUT(s, "BDAT 0 LAST\r\n");
    FEED(s, "250 queued as BIN1\r\n");
    EVENTS(s, "reply BDAT 250|reply BDAT 250|message_accepted BIN1 accepted");
    QUIT_AND_FREE(s);

    /* A refused chunk: no more chunks; later chunks dropped; RSET at the end of the body. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250 CHUNKING\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("part one\r\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("part two\r\n")), SMTPREPLY_OK);
    OUT(s, "BDAT 10\r\npart one\r\n");
    FEED(s, "552 5.3.4 Message too big\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK_EQ_U(ev.code, 552);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_MESSAGE_TOO_LARGE);
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("part three")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "RSET\r\n");
    FEED(s, "250 ok\r\n");
    EVENTS(s, "reply RSET 250");
    CHECK(smtpreply_session_is_ready(s));
    QUIT_AND_FREE(s);
}

/* ================================================================ 7. bad input at the boundary */

/* Leaves an unrelated message as the thread's last error, so that the next check proves the message
 * it reads was written by the call under test. */
static void mark(void) {
    smtpreply_code_info ci;
    CHECK_RESULT(smtpreply_code_lookup(1, &ci), SMTPREPLY_OUT_OF_RANGE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "1 is not");
}

/* The message read after a failing call was written by that call (not left over from mark()). */
#define FRESH_MESSAGE() CHECK(strstr(smtpreply_last_error_message(), "SMTP reply code") == NULL)

/* A NULL argument named `pname`: NULL_PARAMETER and a message naming the argument. */
#define NULL_ARG(call, pname)                                                                                   \
    do {                                                                                                        \
        mark();                                                                                                 \
        CHECK_RESULT(call, SMTPREPLY_NULL_PARAMETER);                                                           \
        CHECK_CONTAINS(smtpreply_last_error_message(), pname " is NULL");                                       \
    } while (0)

/* A call that must fail with `expected` (message containing `text`) and leave `o1` untouched. */
#define FAILS_1(call, expected, text, o1)                                                                       \
    do {                                                                                                        \
        mark();                                                                                                 \
        check_fill(&(o1), sizeof(o1));                                                                          \
        CHECK_RESULT(call, expected);                                                                           \
        CHECK_UNTOUCHED(o1);                                                                                    \
        CHECK_CONTAINS(smtpreply_last_error_message(), text);                                                   \
        FRESH_MESSAGE();                                                                                        \
    } while (0)

/* A call that must fail and send nothing (the output stays empty), with the message naming why. */
#define REFUSED(s, call, expected, text)                                                                        \
    do {                                                                                                        \
        mark();                                                                                                 \
        CHECK_RESULT(call, expected);                                                                           \
        CHECK_CONTAINS(smtpreply_last_error_message(), text);                                                   \
        FRESH_MESSAGE();                                                                                        \
        NO_OUT(s);                                                                                              \
    } while (0)

static void null_pointers(void) {
    smtpreply_session_config c;
    smtpreply_session *s, *out;
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    const uint8_t *p;
    size_t n, idx;
    uint64_t ms;

    c.client_name = CLIENT;
    c.tls = SMTPREPLY_TLS_NEVER;
    c.flags = 0;
    FAILS_1(smtpreply_session_new(NULL, &out), SMTPREPLY_NULL_PARAMETER, "config is NULL", out);
    NULL_ARG(smtpreply_session_new(&c, NULL), "out");
    c.client_name = NULL;
    FAILS_1(smtpreply_session_new(&c, &out), SMTPREPLY_NULL_PARAMETER, "config.client_name is NULL", out);
    c.client_name = CLIENT;
    smtpreply_session_free(NULL);

    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    NULL_ARG(smtpreply_session_receive(NULL, LIT("250 ok\r\n")), "session");
    NULL_ARG(smtpreply_session_receive(s, NULL, 5), "data");
    CHECK_RESULT(smtpreply_session_receive(s, NULL, 0), SMTPREPLY_OK); /* nothing to read */
    NULL_ARG(smtpreply_session_receive_eof(NULL), "session");
    FAILS_1(smtpreply_session_next_event(NULL, &ev), SMTPREPLY_NULL_PARAMETER, "session", ev);
    NULL_ARG(smtpreply_session_next_event(s, NULL), "out");
    FAILS_1(smtpreply_session_event_recipient(NULL, 0, &rr), SMTPREPLY_NULL_PARAMETER, "session", rr);
    NULL_ARG(smtpreply_session_event_recipient(s, 0, NULL), "out");
    check_fill(&p, sizeof p);
    check_fill(&n, sizeof n);
    mark();
    CHECK_RESULT(smtpreply_session_output(NULL, &p, &n), SMTPREPLY_NULL_PARAMETER);
    CHECK_UNTOUCHED(p);
    CHECK_UNTOUCHED(n);
    FAILS_1(smtpreply_session_output(s, NULL, &n), SMTPREPLY_NULL_PARAMETER, "out_ptr", n);
    FAILS_1(smtpreply_session_output(s, &p, NULL), SMTPREPLY_NULL_PARAMETER, "out_len", p);
    NULL_ARG(smtpreply_session_advance_output(NULL, 0), "session");
    FAILS_1(smtpreply_session_timeout_ms(NULL, &ms), SMTPREPLY_NULL_PARAMETER, "session", ms);
    NULL_ARG(smtpreply_session_timeout_ms(s, NULL), "out_ms");
    CHECK(!smtpreply_session_is_ready(NULL));
    CHECK(smtpreply_session_is_closed(NULL));
    NULL_ARG(smtpreply_session_capabilities(NULL, caps), "session");
    NULL_ARG(smtpreply_session_capabilities(s, NULL), "caps");
    NULL_ARG(smtpreply_session_send_mail(NULL, "a@example.org", NULL), "session");
    NULL_ARG(smtpreply_session_send_mail(s, NULL, NULL), "from");
    FAILS_1(smtpreply_session_add_recipient(NULL, "b@example.com", NULL, &idx), SMTPREPLY_NULL_PARAMETER, "session",
            idx);
    FAILS_1(smtpreply_session_add_recipient(s, NULL, NULL, &idx), SMTPREPLY_NULL_PARAMETER, "to", idx);
    NULL_ARG(smtpreply_session_start_data(NULL), "session");
    NULL_ARG(smtpreply_session_send_body(NULL, LIT("x")), "session");
    NULL_ARG(smtpreply_session_authenticate(NULL, "u", "p", 0), "session");
    NULL_ARG(smtpreply_session_authenticate(s, NULL, "p", 0), "user");
    NULL_ARG(smtpreply_session_authenticate(s, "u", NULL, 0), "secret");
    NULL_ARG(smtpreply_session_end_body(NULL), "session");
    NULL_ARG(smtpreply_session_tls_established(NULL), "session");
    NULL_ARG(smtpreply_session_tls_failed(NULL), "session");
    NULL_ARG(smtpreply_session_reset(NULL), "session");
    NULL_ARG(smtpreply_session_noop(NULL), "session");
    NULL_ARG(smtpreply_session_quit(NULL), "session");
    /* None of that changed the session: still ready, nothing to send. */
    NO_OUT(s);
    CHECK(smtpreply_session_is_ready(s));
    EVENTS(s, "");
    /* A NULL out_index with a valid recipient: refused before anything is sent. */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    NULL_ARG(smtpreply_session_add_recipient(s, "b@example.com", NULL, NULL), "out_index");
    NO_OUT(s);
    NULL_ARG(smtpreply_session_send_body(s, NULL, 1), "data");
    /* The refused recipient was not added: the next one is recipient 0. */
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 0);
    smtpreply_session_free(s);
    smtpreply_capabilities_free(caps);
}

static void bad_config(void) {
    static const char *const bad_names[] = { "bad name", "", "a\r\nQUIT", "\xff.example", "under_score.example",
                                             "-bad.example", "[300.0.0.1]", "a..b" };
    static const uint32_t bad_flags[] = { 1u << 5, 1u << 31, 0xffffffffu };
    static const uint32_t bad_tls[] = { 3, 4, 0x7fffffffu, UINT32_MAX };
    smtpreply_session_config c;
    smtpreply_session *out;
    size_t i;

    c.client_name = CLIENT;
    c.tls = SMTPREPLY_TLS_NEVER;
    for (i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        c.flags = bad_flags[i];
        FAILS_1(smtpreply_session_new(&c, &out), SMTPREPLY_INVALID_INPUT, "unknown bits", out);
    }
    c.flags = 0;
    for (i = 0; i < sizeof bad_tls / sizeof bad_tls[0]; i++) {
        c.tls = bad_tls[i];
        FAILS_1(smtpreply_session_new(&c, &out), SMTPREPLY_INVALID_INPUT, "SMTPREPLY_TLS_", out);
    }
    c.tls = SMTPREPLY_TLS_NEVER;
    for (i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        c.client_name = bad_names[i];
        FAILS_1(smtpreply_session_new(&c, &out), SMTPREPLY_INVALID_INPUT, "client", out);
    }
    /* Good names: a domain, an IPv4 and an IPv6 literal; every flag at once. */
    {
        static const char *const good[] = { "localhost", "[192.0.2.1]", "[IPv6:2001:db8::1]" };
        for (i = 0; i < 3; i++) {
            smtpreply_session *s = NULL;
            char want[64];
            c.client_name = good[i];
            c.tls = SMTPREPLY_TLS_REQUIRED;
            c.flags = SMTPREPLY_SESSION_TLS_ACTIVE | SMTPREPLY_SESSION_NO_PIPELINING | SMTPREPLY_SESSION_NO_CHUNKING |
                      SMTPREPLY_SESSION_ALL_OR_NOTHING | SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH;
            CHECK_RESULT(smtpreply_session_new(&c, &s), SMTPREPLY_OK);
            FEED(s, GREETING);
            sprintf(want, "EHLO %s\r\n", good[i]);
            OUT(s, want);
            smtpreply_session_free(s);
        }
    }
}

static const char *const BAD_ADDRESSES[] = {
    "a@example.org\r\nRCPT TO:<x@y.example>",
    "a@example.org\nDATA",
    "a@example.org\r",
    "a\tb@example.org",
    "a\0@example.org", /* C sees "a": no @ */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com", /* 65-byte local part */
    "\xff@example.com",
    "a\xc3@example.com",
    "j\xc3\xbcrgen@example.de", /* UTF-8 without SMTPUTF8 */
    "<a@example.org>",
    "a@exa mple.org",
    "a@",
    "@example.org",
    "a..b@example.org",
    "a@example..org",
};
#define N_BAD_ADDRESSES (sizeof BAD_ADDRESSES / sizeof BAD_ADDRESSES[0])

static void bad_envelopes(void) {
    smtpreply_session *s;
    smtpreply_mail_options mo;
    smtpreply_rcpt_options ro;
    size_t i, idx;

    CHECK_EQ_U(strlen(BAD_ADDRESSES[5]), 65 + 12);
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250-PIPELINING\r\n250-DSN\r\n250 SIZE 1000\r\n");
    /* Mail options. */
    memset(&mo, 0, sizeof mo);
    mo.body = 3;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "options.body 3");
    mo.body = UINT32_MAX;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "options.body");
    mo.body = 0;
    mo.dsn_return = 3;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "dsn_return");
    mo.dsn_return = 0;
    mo.flags = 2;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "unknown bits");
    mo.flags = 0x80000001u;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "unknown bits");
    mo.flags = 0;
    mo.dsn_envid = "\xff";
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "dsn_envid");
    mo.dsn_envid = "";
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "ENVID");
    mo.dsn_envid = NULL;
    mo.size = 1001; /* over the server's SIZE */
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_INVALID_INPUT, "at most 1000");
    mo.size = 0;
    mo.body = SMTPREPLY_BODY_8BITMIME;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_NOT_SUPPORTED, "8BITMIME");
    mo.body = SMTPREPLY_BODY_BINARYMIME;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_NOT_SUPPORTED, "BINARYMIME");
    mo.body = 0;
    mo.flags = SMTPREPLY_MAIL_SMTPUTF8;
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", &mo), SMTPREPLY_NOT_SUPPORTED, "SMTPUTF8");
    mo.flags = 0;
    /* A command too long for 512 octets. */
    {
        char from[260], envid[101];
        memset(from, 'a', 64);
        from[64] = '@';
        for (i = 65; i < 250; i += 2) {
            from[i] = 'b';
            from[i + 1] = '.';
        }
        from[249] = 'c';
        from[250] = '\0';
        memset(envid, '+', 100);
        envid[100] = '\0';
        mo.dsn_return = SMTPREPLY_DSN_RET_FULL;
        mo.dsn_envid = envid;
        REFUSED(s, smtpreply_session_send_mail(s, from, &mo), SMTPREPLY_LIMIT_EXCEEDED, "limit");
        mo.dsn_envid = NULL;
        CHECK_RESULT(smtpreply_session_send_mail(s, from, &mo), SMTPREPLY_OK); /* the address alone fits */
        CHECK_RESULT(smtpreply_session_reset(s), SMTPREPLY_OK);
        FEED(s, "250 ok\r\n250 ok\r\n");
        {
            char want[400];
            sprintf(want, "MAIL FROM:<%s> RET=FULL\r\nRSET\r\n", from);
            OUT(s, want);
        }
        EVENTS(s, "reply MAIL 250|reply RSET 250");
        mo.dsn_return = 0;
    }
    /* Bad senders: INVALID_INPUT, nothing appended, still ready. */
    for (i = 0; i < N_BAD_ADDRESSES; i++) {
        REFUSED(s, smtpreply_session_send_mail(s, BAD_ADDRESSES[i], NULL), SMTPREPLY_INVALID_INPUT, "");
        CHECK(smtpreply_session_is_ready(s));
    }
    REFUSED(s, smtpreply_session_send_mail(s, BAD_ADDRESSES[0], NULL), SMTPREPLY_INVALID_INPUT, "control character");
    REFUSED(s, smtpreply_session_send_mail(s, BAD_ADDRESSES[5], NULL), SMTPREPLY_INVALID_INPUT, "65 bytes");
    REFUSED(s, smtpreply_session_send_mail(s, BAD_ADDRESSES[6], NULL), SMTPREPLY_INVALID_INPUT, "not valid UTF-8");
    REFUSED(s, smtpreply_session_send_mail(s, BAD_ADDRESSES[8], NULL), SMTPREPLY_INVALID_INPUT, "SMTPUTF8");

    /* Bad recipients and rcpt options: INVALID_INPUT, out_index untouched, nothing appended. */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    for (i = 0; i < N_BAD_ADDRESSES; i++) {
        check_fill(&idx, sizeof idx);
        REFUSED(s, smtpreply_session_add_recipient(s, BAD_ADDRESSES[i], NULL, &idx), SMTPREPLY_INVALID_INPUT, "");
        CHECK_UNTOUCHED(idx);
    }
    check_fill(&idx, sizeof idx);
    REFUSED(s, smtpreply_session_add_recipient(s, "", NULL, &idx), SMTPREPLY_INVALID_INPUT, "empty");
    CHECK_UNTOUCHED(idx);
    memset(&ro, 0, sizeof ro);
    ro.notify = 16;
    REFUSED(s, smtpreply_session_add_recipient(s, "b@example.com", &ro, &idx), SMTPREPLY_INVALID_INPUT,
            "unknown bits");
    ro.notify = 0xffffffffu;
    REFUSED(s, smtpreply_session_add_recipient(s, "b@example.com", &ro, &idx), SMTPREPLY_INVALID_INPUT,
            "unknown bits");
    ro.notify = SMTPREPLY_NOTIFY_NEVER | SMTPREPLY_NOTIFY_DELAY; /* NEVER must be alone */
    REFUSED(s, smtpreply_session_add_recipient(s, "b@example.com", &ro, &idx), SMTPREPLY_INVALID_INPUT, "NEVER");
    ro.notify = 0;
    ro.orcpt = "";
    REFUSED(s, smtpreply_session_add_recipient(s, "b@example.com", &ro, &idx), SMTPREPLY_INVALID_INPUT, "ORCPT");
    ro.orcpt = "\xc3";
    REFUSED(s, smtpreply_session_add_recipient(s, "b@example.com", &ro, &idx), SMTPREPLY_INVALID_INPUT, "orcpt");
    ro.orcpt = NULL;
    /* After all that, the transaction goes on normally with index 0. */
    ro.notify = SMTPREPLY_NOTIFY_SUCCESS | SMTPREPLY_NOTIFY_FAILURE;
    ro.orcpt = "b+1@example.com";
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", &ro, &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 0);
    OUT(s, "RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2B1@example.com\r\n");
    FEED(s, "250 ok\r\n250 ok\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com");
    smtpreply_session_free(s);

    /* With SMTPUTF8 offered, UTF-8 addresses are fine (and SMTPUTF8 is requested); bad UTF-8 is not. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250 SMTPUTF8\r\n");
    REFUSED(s, smtpreply_session_send_mail(s, "\xff@example.com", NULL), SMTPREPLY_INVALID_INPUT, "UTF-8");
    CHECK_RESULT(smtpreply_session_send_mail(s, "j\xc3\xbcrgen@example.de", NULL), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<j\xc3\xbcrgen@example.de> SMTPUTF8\r\n");
    CHECK_RESULT(smtpreply_session_add_recipient(s, "zo\xc3\xab@example.com", NULL, &idx), SMTPREPLY_OK);
    REFUSED(s, smtpreply_session_add_recipient(s, "\xc3\x28@example.com", NULL, &idx), SMTPREPLY_INVALID_INPUT,
            "UTF-8");
    FEED(s, "250 ok\r\n");
    OUT(s, "RCPT TO:<zo\xc3\xab@example.com>\r\n");
    smtpreply_session_free(s);
    /* Without SMTPUTF8 on MAIL, a UTF-8 recipient is refused. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250 SMTPUTF8\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    REFUSED(s, smtpreply_session_add_recipient(s, "zo\xc3\xab@example.com", NULL, &idx), SMTPREPLY_INVALID_INPUT,
            "SMTPUTF8");
    smtpreply_session_free(s);
}

static void wrong_states(void) {
    smtpreply_session *s;
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    const uint8_t *p;
    size_t n, idx;

    /* Before the greeting. */
    s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE,
            "send_mail is not possible now: the server has not greeted yet");
    REFUSED(s, smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE, "quit");
    REFUSED(s, smtpreply_session_noop(s), SMTPREPLY_WRONG_STATE, "noop");
    REFUSED(s, smtpreply_session_reset(s), SMTPREPLY_WRONG_STATE, "reset");
    REFUSED(s, smtpreply_session_authenticate(s, "u", "p", 0), SMTPREPLY_WRONG_STATE, "authenticate");
    FAILS_1(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_WRONG_STATE, "add_recipient",
            idx);
    REFUSED(s, smtpreply_session_start_data(s), SMTPREPLY_WRONG_STATE, "start_data");
    REFUSED(s, smtpreply_session_send_body(s, LIT("x")), SMTPREPLY_WRONG_STATE, "send_body");
    REFUSED(s, smtpreply_session_end_body(s), SMTPREPLY_WRONG_STATE, "end_body");
    REFUSED(s, smtpreply_session_tls_established(s), SMTPREPLY_WRONG_STATE, "tls_established");
    REFUSED(s, smtpreply_session_tls_failed(s), SMTPREPLY_WRONG_STATE, "tls_failed");
    /* No event yet: event_recipient has nothing to read. */
    FAILS_1(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_WRONG_STATE, "not a message", rr);
    /* The capabilities handle keeps what it held when the call fails. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-other.example\r\n250 ETRN\r\n")), SMTPREPLY_OK);
    REFUSED(s, smtpreply_session_capabilities(s, caps), SMTPREPLY_NOT_FOUND, "EHLO");
    CHECK(smtpreply_capabilities_has(caps, "ETRN"));

    FEED(s, GREETING);
    /* While EHLO is in flight. */
    OUT(s, EHLO_LINE);
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE, "saying hello");
    REFUSED(s, smtpreply_session_noop(s), SMTPREPLY_WRONG_STATE, "noop");
    FEED(s, "250 mx.example.com\r\n");
    /* Ready: no message in progress. */
    FAILS_1(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_WRONG_STATE, "add_recipient",
            idx);
    REFUSED(s, smtpreply_session_start_data(s), SMTPREPLY_WRONG_STATE, "start_data");
    REFUSED(s, smtpreply_session_send_body(s, LIT("x")), SMTPREPLY_WRONG_STATE, "send_body");
    REFUSED(s, smtpreply_session_end_body(s), SMTPREPLY_WRONG_STATE, "end_body");
    REFUSED(s, smtpreply_session_tls_established(s), SMTPREPLY_WRONG_STATE, "tls_established");
    REFUSED(s, smtpreply_session_tls_failed(s), SMTPREPLY_WRONG_STATE, "tls_failed");
    /* Events: REPLY is not a message event; out of range index on a message event. */
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    FAILS_1(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_WRONG_STATE, "not a message", rr);
    EVENTS(s, "greeting 220|reply EHLO 250|ready");
    CHECK(smtpreply_session_is_ready(s));
    /* Envelope. */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE, "envelope");
    REFUSED(s, smtpreply_session_start_data(s), SMTPREPLY_WRONG_STATE, "no recipient");
    REFUSED(s, smtpreply_session_send_body(s, LIT("x")), SMTPREPLY_WRONG_STATE, "send_body");
    REFUSED(s, smtpreply_session_noop(s), SMTPREPLY_WRONG_STATE, "noop");
    REFUSED(s, smtpreply_session_authenticate(s, "u", "p", 0), SMTPREPLY_WRONG_STATE, "authenticate");
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    REFUSED(s, smtpreply_session_start_data(s), SMTPREPLY_WRONG_STATE, "start_data");
    FAILS_1(smtpreply_session_add_recipient(s, "late@example.com", NULL, &idx), SMTPREPLY_WRONG_STATE,
            "add_recipient", idx);
    /* Before READY_FOR_BODY. */
    REFUSED(s, smtpreply_session_send_body(s, LIT("too early")), SMTPREPLY_WRONG_STATE, "send_body");
    REFUSED(s, smtpreply_session_end_body(s), SMTPREPLY_WRONG_STATE, "end_body");
    FEED(s, "250 ok\r\n");
    OUT(s, "RCPT TO:<b@example.com>\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "DATA\r\n");
    FEED(s, "354 go\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply DATA 354|ready_for_body");
    /* Inside a DATA body, QUIT and RSET would become part of the message. */
    REFUSED(s, smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE, "quit");
    REFUSED(s, smtpreply_session_reset(s), SMTPREPLY_WRONG_STATE, "reset");
    REFUSED(s, smtpreply_session_noop(s), SMTPREPLY_WRONG_STATE, "noop");
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE, "send_mail");
    REFUSED(s, smtpreply_session_tls_established(s), SMTPREPLY_WRONG_STATE, "tls_established");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("QUIT\r\n")), SMTPREPLY_OK);
    /* advance_output past the pending length: OUT_OF_RANGE, nothing consumed. */
    CHECK_RESULT(smtpreply_session_output(s, &p, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 6);
    mark();
    CHECK_RESULT(smtpreply_session_advance_output(s, 7), SMTPREPLY_OUT_OF_RANGE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "7 bytes");
    CHECK_RESULT(smtpreply_session_advance_output(s, SIZE_MAX), SMTPREPLY_OUT_OF_RANGE);
    OUT(s, "QUIT\r\n");
    CHECK_RESULT(smtpreply_session_advance_output(s, 1), SMTPREPLY_OUT_OF_RANGE);
    CHECK_RESULT(smtpreply_session_advance_output(s, 0), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, ".\r\n");
    /* After the body, waiting for the final reply: no RSET, body, message (QUIT is allowed and
     * waits for the final reply: see quit_after_end_body). */
    REFUSED(s, smtpreply_session_reset(s), SMTPREPLY_WRONG_STATE, "reset");
    REFUSED(s, smtpreply_session_send_body(s, LIT("x")), SMTPREPLY_WRONG_STATE, "send_body");
    REFUSED(s, smtpreply_session_end_body(s), SMTPREPLY_WRONG_STATE, "end_body");
    REFUSED(s, smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE, "send_mail");
    FEED(s, "250 2.0.0 Ok: queued as W1\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_ACCEPTED);
    FAILS_1(smtpreply_session_event_recipient(s, 1, &rr), SMTPREPLY_OUT_OF_RANGE, "out of range", rr);
    FAILS_1(smtpreply_session_event_recipient(s, SIZE_MAX, &rr), SMTPREPLY_OUT_OF_RANGE, "out of range", rr);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_ACCEPTED);
    /* authenticate with a mechanism number that is not one: INVALID_INPUT before anything else. */
    REFUSED(s, smtpreply_session_authenticate(s, "u", "p", 4), SMTPREPLY_INVALID_INPUT, "4 is not");
    REFUSED(s, smtpreply_session_authenticate(s, "u", "p", UINT32_MAX), SMTPREPLY_INVALID_INPUT, "SMTPREPLY_AUTH_");
    smtpreply_session_free(s);

    /* reset is allowed in a BDAT body (chunks are counted, not terminated), and quit too. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250-mx.example.com\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n250 ok\r\n");
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("abc")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_reset(s), SMTPREPLY_OK);
    OUT(s, "BDAT 3\r\nabcRSET\r\n");
    REFUSED(s, smtpreply_session_send_body(s, LIT("x")), SMTPREPLY_WRONG_STATE, "send_body");
    FEED(s, "250 ok\r\n250 ok\r\n");
    EVENTS(s, "reply BDAT 250|reply RSET 250");
    CHECK(smtpreply_session_is_ready(s));
    QUIT_AND_FREE(s);
    smtpreply_capabilities_free(caps);
}

static void name_functions(void) {
    static const char *const events[] = { "reply", "greeting", "ready", "start_tls", "auth_challenge",
                                          "auth_succeeded", "auth_failed", "recipient_accepted",
                                          "recipient_rejected", "ready_for_body", "message_accepted",
                                          "message_rejected", "protocol_error", "closed" };
    static const char *const reasons[] = { "quit", "service_closing", "greeting_refused", "hello_refused",
                                           "connection_lost", "protocol_error", "tls_unavailable", "tls_failed" };
    static const char *const statuses[] = { "pending", "accepted", "rejected", "deferred" };
    static const uint32_t out_of_range[] = { 15, 16, 100, 0x80000000u, UINT32_MAX };
    uint32_t k;
    size_t i;

    CHECK_EQ_U(SMTPREPLY_EVENT_REPLY, 1);
    CHECK_EQ_U(SMTPREPLY_EVENT_CLOSED, 14);
    for (k = SMTPREPLY_EVENT_REPLY; k <= SMTPREPLY_EVENT_CLOSED; k++) CHECK_STR(smtpreply_event_name(k), events[k - 1]);
    CHECK_STR(smtpreply_event_name(SMTPREPLY_EVENT_MESSAGE_ACCEPTED), "message_accepted");
    CHECK(smtpreply_event_name(0) == NULL);
    for (k = SMTPREPLY_CLOSE_QUIT; k <= SMTPREPLY_CLOSE_TLS_FAILED; k++)
        CHECK_STR(smtpreply_close_reason_name(k), reasons[k - 1]);
    CHECK_STR(smtpreply_close_reason_name(SMTPREPLY_CLOSE_SERVICE_CLOSING), "service_closing");
    CHECK(smtpreply_close_reason_name(0) == NULL);
    CHECK(smtpreply_close_reason_name(9) == NULL);
    for (k = SMTPREPLY_RECIPIENT_PENDING; k <= SMTPREPLY_RECIPIENT_DEFERRED; k++)
        CHECK_STR(smtpreply_recipient_status_name(k), statuses[k]);
    CHECK(smtpreply_recipient_status_name(4) == NULL);
    for (i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        CHECK(smtpreply_event_name(out_of_range[i]) == NULL);
        CHECK(smtpreply_close_reason_name(out_of_range[i]) == NULL);
        CHECK(smtpreply_recipient_status_name(out_of_range[i]) == NULL);
    }
    /* The new result codes have names too. */
    CHECK_STR(smtpreply_result_name(SMTPREPLY_WRONG_STATE), "SMTPREPLY_WRONG_STATE");
    CHECK_STR(smtpreply_result_name(SMTPREPLY_NOT_SUPPORTED), "SMTPREPLY_NOT_SUPPORTED");
    CHECK_EQ_U(SMTPREPLY_WRONG_STATE, 11);
    CHECK_EQ_U(SMTPREPLY_NOT_SUPPORTED, 12);
}

/* ================================================================ 9. event pointer lifetime */

static void lifetime(void) {
    smtpreply_session *s;
    smtpreply_event held, ev;
    smtpreply_recipient_result rr, rr2;
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    uint8_t copy[256], rcopy[256], acopy[64];
    char mcopy[512];
    size_t n, rn, an, idx;
    int i;
    uint64_t ms;
    const uint8_t *p;

    /* A REPLY event's bytes survive output/advance/timeout/capabilities/event_recipient, more input
     * (which queues further events) and a few hundred further replies (the event queue grows). */
    s = OPEN(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH);
    FEED(s, GREETING);
    TAKE(s, &held, SMTPREPLY_EVENT_REPLY);
    n = held.reply_len;
    CHECK(n < sizeof copy);
    memcpy(copy, held.reply, n);
    CHECK_RESULT(smtpreply_session_output(s, &p, &rn), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_advance_output(s, 3), SMTPREPLY_OK);
    OUT(s, "O " CLIENT "\r\n");
    CHECK_RESULT(smtpreply_session_timeout_ms(s, &ms), SMTPREPLY_OK);
    CHECK(!smtpreply_session_is_ready(s));
    CHECK(!smtpreply_session_is_closed(s));
    CHECK_RESULT(smtpreply_session_capabilities(s, caps), SMTPREPLY_NOT_FOUND);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_WRONG_STATE);
    CHECK_MEM(held.reply, held.reply_len, copy, n);
    CHECK_STR(held.classification.reason_name, "success");
    FEED(s, "250-mx.example.com\r\n250-PIPELINING\r\n250 AUTH LOGIN\r\n");
    CHECK_MEM(held.reply, held.reply_len, copy, n);
    for (i = 0; i < 200; i++) {
        CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_OK);
        OUT(s, "NOOP\r\n");
        FEED(s, "250 2.0.0 Ok, and a reply long enough to need storage of its own\r\n");
    }
    CHECK_MEM(held.reply, held.reply_len, copy, n);
    CHECK_BYTES(held.reply, held.reply_len, GREETING);
    TAKE(s, &ev, SMTPREPLY_EVENT_GREETING);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_READY);
    for (i = 0; i < 200; i++) TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);

    /* An AUTH_CHALLENGE's decoded bytes survive the reply to it and the next challenge's arrival. */
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "tanstaaftanstaaf", SMTPREPLY_AUTH_LOGIN), SMTPREPLY_OK);
    OUT(s, "AUTH LOGIN\r\n");
    FEED(s, "334 VXNlcm5hbWU6\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &held, SMTPREPLY_EVENT_AUTH_CHALLENGE);
    OUT(s, "dGlt\r\n");
    FEED(s, "334 UGFzc3dvcmQ6\r\n");
    OUT(s, "dGFuc3RhYWZ0YW5zdGFhZg==\r\n");
    CHECK_BYTES(held.challenge, held.challenge_len, "Username:");
    FEED(s, "235 ok\r\n");
    CHECK_BYTES(held.challenge, held.challenge_len, "Username:");
    EVENTS(s, "reply AUTH 334|auth_challenge Password:|reply AUTH 235|auth_succeeded LOGIN");

    /* A MESSAGE_ACCEPTED event: queue id, reply and recipient results survive QUIT, its reply and EOF. */
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "c@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n250 ok\r\n452 4.2.2 mailbox full\r\n354 go\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply RCPT 452|"
              "recipient_rejected 1 c@example.com 452|reply DATA 354|ready_for_body");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("hi")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\nhi\r\n.\r\n");
    FEED(s, "250 2.0.0 Ok: queued as LIFE1\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &held, SMTPREPLY_EVENT_MESSAGE_ACCEPTED);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 1, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
    rn = rr.reply_len;
    an = rr.address_len;
    CHECK(rn < sizeof rcopy && an < sizeof acopy);
    memcpy(rcopy, rr.reply, rn);
    memcpy(acopy, rr.address, an);
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    OUT(s, "QUIT\r\n");
    FEED(s, "221 2.0.0 Bye\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    CHECK(smtpreply_session_is_closed(s));
    TIMEOUT(s, 0);
    CHECK_BYTES(held.queue_id, held.queue_id_len, "LIFE1");
    CHECK_BYTES(held.reply, held.reply_len, "250 2.0.0 Ok: queued as LIFE1\r\n");
    CHECK_MEM(rr.reply, rr.reply_len, rcopy, rn);
    CHECK_BYTES(rr.reply, rr.reply_len, "452 4.2.2 mailbox full\r\n");
    CHECK_MEM(rr.address, rr.address_len, acopy, an);
    CHECK_BYTES(rr.address, rr.address_len, "c@example.com");
    CHECK_STR(rr.classification.reason_name, "mailbox_full");
    /* Asking again gives the same bytes. */
    CHECK_RESULT(smtpreply_session_event_recipient(s, 1, &rr2), SMTPREPLY_OK);
    CHECK_MEM(rr2.reply, rr2.reply_len, rcopy, rn);
    CHECK_MEM(rr.reply, rr.reply_len, rr2.reply, rr2.reply_len);
    EVENTS(s, "reply QUIT 221|closed quit");
    smtpreply_session_free(s);

    /* A PROTOCOL_ERROR message survives later input, EOF and other calls. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    CHECK_RESULT(smtpreply_session_noop(s), SMTPREPLY_OK);
    OUT(s, "NOOP\r\n");
    FEED(s, "HTTP/1.1 400 Bad Request\r\n");
    TAKE(s, &held, SMTPREPLY_EVENT_PROTOCOL_ERROR);
    CHECK(held.message != NULL && strlen(held.message) < sizeof mcopy);
    strcpy(mcopy, held.message);
    FEED(s, "250 more\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    NO_OUT(s);
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_WRONG_STATE);
    CHECK_STR(held.message, mcopy);
    CHECK_CONTAINS(held.message, "not a reply");
    EVENTS(s, "closed protocol_error");
    smtpreply_session_free(s);
    smtpreply_capabilities_free(caps);
}

/* ================================================================ 8. threads */

#define THREADS 8
#define ITERATIONS 300

static pthread_barrier_t start_line;

struct worker {
    int id;
    unsigned long checks;
};

/* One complete scripted transaction on a session of this thread's own; `variant` 0: one command at a
 * time, 1: pipelined (replies in one packet, or byte by byte), 2: BDAT. */
static void thread_transaction(unsigned long *tally, int id, unsigned i) {
    static const char *const ehlo[3] = {
        "250-mx.example.com\r\n250 SIZE 1000000\r\n",
        "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 1000000\r\n",
        "250-mx.example.com\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SIZE 1000000\r\n",
    };
    static const char ENVELOPE_REPLIES[] = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 no such user\r\n";
    unsigned variant = (i + (unsigned)id) % 3;
    char from[64], rcpt[64], body[128], wire[160], want[1024], final[64], line[256];
    smtpreply_mail_options mo;
    smtpreply_session *s;
    size_t idx, k, body_len;

    sprintf(from, "t%d@example.org", id);
    sprintf(rcpt, "r%u.t%d@example.com", i, id);
    sprintf(body, "Subject: t%d i%u\n.dot %u\nend\r", id, i, i);
    sprintf(wire, "Subject: t%d i%u\r\n..dot %u\r\nend\r\n", id, i, i);
    sprintf(final, "250 2.0.0 Ok: queued as Q%dx%u\r\n", id, i);
    body_len = strlen(body);
    memset(&mo, 0, sizeof mo);
    mo.size = body_len;

    s = READY(SMTPREPLY_TLS_NEVER, 0, ehlo[variant]);
    CHECK_RESULT(smtpreply_session_send_mail(s, from, &mo), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, rcpt, NULL, &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 0);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "nobody@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 1);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    sprintf(line, "MAIL FROM:<%s> SIZE=%lu\r\n", from, (unsigned long)body_len);
    if (variant == 0) {
        OUT(s, line);
        FEED(s, "250 2.1.0 Ok\r\n");
        sprintf(line, "RCPT TO:<%s>\r\n", rcpt);
        OUT(s, line);
        FEED(s, "250 2.1.5 Ok\r\n");
        OUT(s, "RCPT TO:<nobody@example.com>\r\n");
        FEED(s, "550 5.1.1 no such user\r\n");
        OUT(s, "DATA\r\n");
        FEED(s, "354 go\r\n");
    } else {
        sprintf(want, "%sRCPT TO:<%s>\r\nRCPT TO:<nobody@example.com>\r\n%s", line, rcpt,
                variant == 1 ? "DATA\r\n" : "");
        OUT(s, want);
        if (i % 4 == 1) {
            for (k = 0; k < sizeof ENVELOPE_REPLIES - 1; k++)
                CHECK_RESULT(smtpreply_session_receive(s, (const uint8_t *)ENVELOPE_REPLIES + k, 1), SMTPREPLY_OK);
        } else {
            FEED(s, ENVELOPE_REPLIES);
        }
        if (variant == 1) FEED(s, "354 go\r\n");
    }
    sprintf(want,
            "reply MAIL 250|reply RCPT 250|recipient_accepted 0 %s|reply RCPT 550|"
            "recipient_rejected 1 nobody@example.com 550|%sready_for_body",
            rcpt, variant == 2 ? "" : "reply DATA 354|");
    EVENTS(s, want);
    CHECK_RESULT(smtpreply_session_send_body(s, (const uint8_t *)body, body_len), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    if (variant == 2) {
        /* No dot-stuffing with BDAT; the final CR waits for the next chunk. */
        sprintf(wire, "Subject: t%d i%u\r\n.dot %u\r\nend", id, i, i);
        sprintf(want, "BDAT %lu\r\n%sBDAT 2 LAST\r\n\r\n", (unsigned long)strlen(wire), wire);
        OUT(s, want);
        FEED(s, "250 2.0.0 chunk ok\r\n");
    } else {
        sprintf(want, "%s.\r\n", wire);
        OUT(s, want);
    }
    TIMEOUT(s, 600000);
    FEED(s, final);
    sprintf(want, "%s|message_accepted Q%dx%u accepted,rejected",
            variant == 2 ? "reply BDAT 250|reply BDAT 250" : "reply DATA-END 250", id, i);
    EVENTS(s, want);
    CHECK(smtpreply_session_is_ready(s));
    QUIT_AND_FREE(s);
}

static void *work(void *arg) {
    struct worker *t = (struct worker *)arg;
    unsigned long *tally = &t->checks;
    unsigned i;

    pthread_barrier_wait(&start_line);
    for (i = 0; i < ITERATIONS; i++) {
        thread_transaction(tally, t->id, i);
        if (i % 10 == 0) {
            /* This thread's own failure message, whatever the others fail with at the same time. */
            smtpreply_session_config c;
            smtpreply_session *out;
            char want[64];
            c.client_name = CLIENT;
            c.flags = 0;
            c.tls = 1000u + (uint32_t)t->id * 100u + i % 100u;
            sprintf(want, "config.tls %lu is not", (unsigned long)c.tls);
            check_fill(&out, sizeof out);
            CHECK_RESULT(smtpreply_session_new(&c, &out), SMTPREPLY_INVALID_INPUT);
            CHECK_UNTOUCHED(out);
            CHECK_CONTAINS(smtpreply_last_error_message(), want);
        }
    }
    return NULL;
}

static void threads(void) {
    pthread_t th[THREADS];
    struct worker w[THREADS];
    int i;
    CHECK(pthread_barrier_init(&start_line, NULL, THREADS) == 0);
    for (i = 0; i < THREADS; i++) {
        w[i].id = i;
        w[i].checks = 0;
        CHECK(pthread_create(&th[i], NULL, work, &w[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(th[i], NULL) == 0);
        /* Every worker ran every check of every iteration (a failed check ends the process). */
        CHECK(w[i].checks > (unsigned long)ITERATIONS * 50);
        check_count += w[i].checks;
    }
    CHECK(pthread_barrier_destroy(&start_line) == 0);
}

/* ================================================================ 10. regressions
 *
 * Each of these was a library bug found by this file (quit/reset at awkward moments, outcomes of
 * synthetic failures, queued commands after a refused MAIL).
 */

/* A pipelined envelope with one recipient and DATA already written. */
static smtpreply_session *one_rcpt_pipelined_at(unsigned long *tally, const char *caps, const char *file, int line) {
    smtpreply_session *s = ready_at(tally, SMTPREPLY_TLS_NEVER, 0, caps, file, line);
    size_t idx;
    *tally += check_result_at(file, line, smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK,
                              "send_mail");
    *tally += check_result_at(file, line, smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx),
                              SMTPREPLY_OK, "add_recipient");
    *tally += check_result_at(file, line, smtpreply_session_start_data(s), SMTPREPLY_OK, "start_data");
    return s;
}
#define ONE_RCPT_PIPELINED(caps) one_rcpt_pipelined_at(tally, (caps), __FILE__, __LINE__)

/* quit() after end_body waits for the final reply, reports the outcome, then sends QUIT: with BDAT
 * (pipelined chunks) and with DATA. It used to drop the outcome and never send QUIT. */
static void quit_after_end_body(void) {
    smtpreply_session *s = ONE_RCPT_PIPELINED("250-mx.example.com\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    FEED(s, "250 ok\r\n250 ok\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|ready_for_body");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("hi\r\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 4\r\nhi\r\nBDAT 0 LAST\r\n");
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE);
    CHECK_RESULT(smtpreply_session_reset(s), SMTPREPLY_WRONG_STATE);
    NO_OUT(s); /* QUIT waits for the replies */
    FEED(s, "250 2.0.0 chunk ok\r\n");
    EVENTS(s, "reply BDAT 250");
    NO_OUT(s);
    FEED(s, "250 2.0.0 Ok: queued as BUG1\r\n");
    EVENTS(s, "reply BDAT 250|message_accepted BUG1 accepted");
    OUT(s, "QUIT\r\n");
    CHECK(!smtpreply_session_is_ready(s));
    FEED(s, "221 bye\r\n");
    EVENTS(s, "reply QUIT 221|closed quit");
    smtpreply_session_free(s);

    /* DATA: the same, and a lost connection before the final reply defers the recipient. */
    s = ONE_RCPT_PIPELINED("250-mx.example.com\r\n250 PIPELINING\r\n");
    FEED(s, "250 ok\r\n250 ok\r\n354 go\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply DATA 354|ready_for_body");
    CHECK_RESULT(smtpreply_session_send_body(s, LIT("hi")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nhi\r\n.\r\n");
    TIMEOUT(s, 600000);
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK(!ev.has_reply);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_NETWORK_ERROR);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
    CHECK(!rr.has_reply);
    CHECK(rr.classification.retry);
    /* QUIT was never sent: the connection was lost, not closed as asked. */
    TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
    CHECK_EQ_U(ev.close_reason, SMTPREPLY_CLOSE_CONNECTION_LOST);
    smtpreply_session_free(s);
}

/* quit() while EHLO or AUTH is unanswered: QUIT follows the reply, the session never becomes ready
 * again. A 334 challenge meanwhile is cancelled with "*" so that QUIT is read as a command. */
static void quit_during_hello_and_auth(void) {
    smtpreply_session *s;
    s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    FEED(s, GREETING);
    OUT(s, EHLO_LINE);
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    NO_OUT(s);
    FEED(s, "250 mx.example.com\r\n");
    CHECK(!smtpreply_session_is_ready(s));
    OUT(s, "QUIT\r\n");
    FEED(s, "221 bye\r\n");
    EVENTS(s, "reply GREETING 220|greeting 220|reply EHLO 250|reply QUIT 221|closed quit");
    smtpreply_session_free(s);

    /* EHLO refused with 502: no HELO fallback once quitting. */
    s = OPEN(SMTPREPLY_TLS_NEVER, 0);
    FEED(s, GREETING);
    OUT(s, EHLO_LINE);
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    FEED(s, "502 no EHLO here\r\n");
    OUT(s, "QUIT\r\n");
    smtpreply_session_free(s);

    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250-mx.example.com\r\n250 AUTH PLAIN\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "pw", SMTPREPLY_AUTH_PLAIN), SMTPREPLY_OK);
    OUT(s, "AUTH PLAIN AHRpbQBwdw==\r\n");
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    FEED(s, "235 2.7.0 ok\r\n");
    EVENTS(s, "reply AUTH 235");
    CHECK(!smtpreply_session_is_ready(s));
    OUT(s, "QUIT\r\n");
    smtpreply_session_free(s);

    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250-mx.example.com\r\n250 AUTH LOGIN\r\n");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "pw", SMTPREPLY_AUTH_LOGIN), SMTPREPLY_OK);
    OUT(s, "AUTH LOGIN\r\n");
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    FEED(s, "334 VXNlcm5hbWU6\r\n");
    OUT(s, "*\r\n");
    FEED(s, "501 5.7.0 cancelled\r\n");
    OUT(s, "QUIT\r\n");
    EVENTS(s, "reply AUTH 334|reply AUTH 501");
    smtpreply_session_free(s);

    /* STARTTLS unanswered: QUIT would land in the TLS handshake. */
    s = OPEN(SMTPREPLY_TLS_OPPORTUNISTIC, 0);
    FEED(s, GREETING);
    OUT(s, EHLO_LINE);
    FEED(s, "250-mx.example.com\r\n250 STARTTLS\r\n");
    OUT(s, "STARTTLS\r\n");
    REFUSED(s, smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE, "STARTTLS");
    smtpreply_session_free(s);
}

/* A lost connection (or a protocol error) in the middle of a transaction: accepted recipients are
 * deferred for that reason, not left with their RCPT 250 and a "success" classification. */
static void synthetic_failures_defer_accepted_recipients(void) {
    smtpreply_session *s;
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    s = PIPELINED_ENVELOPE();
    FEED(s, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
    CHECK_RESULT(smtpreply_session_receive_eof(s), SMTPREPLY_OK);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_RECIPIENT_ACCEPTED);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK_EQ_U(ev.classification.reason, SMTPREPLY_REASON_NETWORK_ERROR);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
    CHECK(!rr.has_reply);
    CHECK(rr.has_classification);
    CHECK(rr.classification.retry);
    CHECK_EQ_U(rr.classification.reason, SMTPREPLY_REASON_NETWORK_ERROR);
    /* Past the events, the recipient accessor has nothing to describe. */
    TAKE(s, &ev, SMTPREPLY_EVENT_CLOSED);
    CHECK_RESULT(smtpreply_session_next_event(s, &ev), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_WRONG_STATE);
    smtpreply_session_free(s);

    s = PIPELINED_ENVELOPE();
    FEED(s, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\nthis is not a reply\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_RECIPIENT_ACCEPTED);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 0, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_DEFERRED);
    CHECK(rr.classification.retry);
    CHECK(rr.classification.reason != SMTPREPLY_REASON_SUCCESS);
    smtpreply_session_free(s);
}

/* Without PIPELINING a refused MAIL ends the transaction: the queued RCPTs and DATA are never sent
 * (a real server would answer each with 503) and the session is ready at once. */
static void refused_mail_drops_queued_commands(void) {
    smtpreply_session *s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    smtpreply_event ev;
    smtpreply_recipient_result rr;
    size_t idx;
    CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_add_recipient(s, "c@example.com", NULL, &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    OUT(s, "MAIL FROM:<a@example.org>\r\n");
    FEED(s, "553 5.7.1 Sender address rejected: not owned by user\r\n");
    TAKE(s, &ev, SMTPREPLY_EVENT_REPLY);
    TAKE(s, &ev, SMTPREPLY_EVENT_MESSAGE_REJECTED);
    CHECK_EQ_U(ev.code, 553);
    CHECK_EQ_U(ev.recipient_count, 2);
    CHECK_RESULT(smtpreply_session_event_recipient(s, 1, &rr), SMTPREPLY_OK);
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_REJECTED);
    CHECK_EQ_U(rr.code, 553);
    NO_OUT(s);
    CHECK(smtpreply_session_is_ready(s));
    QUIT_AND_FREE(s);
}

/* Once DATA is on the wire (pipelined, 354 not in yet) quit() and reset() are refused: after the
 * 354 the server reads everything as the message (an empty message, or "RSET" as its text). */
static void no_quit_or_reset_once_data_is_sent(void) {
    smtpreply_session *s = ONE_RCPT_PIPELINED("250-mx.example.com\r\n250 PIPELINING\r\n");
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
    REFUSED(s, smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE, "DATA is on the wire");
    REFUSED(s, smtpreply_session_reset(s), SMTPREPLY_WRONG_STATE, "DATA is on the wire");
    NO_OUT(s);
    /* When DATA fails (no 354), both are possible again. */
    FEED(s, "250 ok\r\n250 ok\r\n554 5.5.1 no valid recipients\r\n");
    EVENTS(s, "reply MAIL 250|reply RCPT 250|recipient_accepted 0 b@example.com|reply DATA 554|message_rejected 554 rejected");
    OUT(s, "RSET\r\n");
    CHECK_RESULT(smtpreply_session_quit(s), SMTPREPLY_OK);
    FEED(s, "250 ok\r\n");
    OUT(s, "QUIT\r\n");
    smtpreply_session_free(s);

    /* Without pipelining, DATA goes out after the RCPT reply: the same from then on. */
    s = READY(SMTPREPLY_TLS_NEVER, 0, "250 mx.example.com\r\n");
    {
        size_t idx;
        CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
    }
    FEED(s, "250 ok\r\n");
    FEED(s, "250 ok\r\n");
    OUT(s, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
    REFUSED(s, smtpreply_session_quit(s), SMTPREPLY_WRONG_STATE, "DATA is on the wire");
    smtpreply_session_free(s);
}

/* Version-proof struct initialisers, message_size, is_tls, authenticated, body_stats. */
static void helpers(void) {
    smtpreply_session_config config;
    smtpreply_mail_options mo;
    smtpreply_rcpt_options ro;
    smtpreply_body_stats st;
    smtpreply_session *s;
    uint64_t size;
    uint32_t mech;
    memset(&config, 0xAB, sizeof config);
    CHECK_RESULT(smtpreply_session_config_init(&config), SMTPREPLY_OK);
    CHECK(config.client_name == NULL);
    CHECK_EQ_U(config.tls, SMTPREPLY_TLS_OPPORTUNISTIC);
    CHECK_EQ_U(config.flags, 0);
    NULL_ARG(smtpreply_session_config_init(NULL), "config");
    memset(&mo, 0xAB, sizeof mo);
    CHECK_RESULT(smtpreply_mail_options_init(&mo), SMTPREPLY_OK);
    CHECK(mo.size == 0 && mo.body == SMTPREPLY_BODY_7BIT && mo.flags == 0 && mo.dsn_envid == NULL);
    NULL_ARG(smtpreply_mail_options_init(NULL), "options");
    memset(&ro, 0xAB, sizeof ro);
    CHECK_RESULT(smtpreply_rcpt_options_init(&ro), SMTPREPLY_OK);
    CHECK(ro.notify == 0 && ro.orcpt == NULL);
    NULL_ARG(smtpreply_rcpt_options_init(NULL), "options");
    /* A config from init needs only the client name. */
    config.client_name = "client.example.org";
    CHECK_RESULT(smtpreply_session_new(&config, &s), SMTPREPLY_OK);
    smtpreply_session_free(s);

    /* message_size: CRLF line endings and a closed last line, as the session sends it. */
    CHECK_RESULT(smtpreply_message_size(LIT("a\nb\n"), &size), SMTPREPLY_OK);
    CHECK_EQ_U(size, 6);
    CHECK_RESULT(smtpreply_message_size(LIT("a\r\nlast"), &size), SMTPREPLY_OK);
    CHECK_EQ_U(size, 9);
    CHECK_RESULT(smtpreply_message_size(NULL, 0, &size), SMTPREPLY_OK);
    CHECK_EQ_U(size, 0);
    size = 77;
    NULL_ARG(smtpreply_message_size(NULL, 1, &size), "data");
    CHECK_EQ_U(size, 77);
    NULL_ARG(smtpreply_message_size(LIT("x"), NULL), "out_size");

    /* is_tls / authenticated / body_stats on a session. */
    CHECK(!smtpreply_session_is_tls(NULL));
    NULL_ARG(smtpreply_session_authenticated(NULL, &mech), "session");
    NULL_ARG(smtpreply_session_body_stats(NULL, &st), "session");
    s = READY(SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH, "250-mx.example.com\r\n250 AUTH PLAIN\r\n");
    CHECK(!smtpreply_session_is_tls(s));
    mech = 99;
    CHECK_RESULT(smtpreply_session_authenticated(s, &mech), SMTPREPLY_NOT_FOUND);
    CHECK_EQ_U(mech, 99);
    NULL_ARG(smtpreply_session_authenticated(s, NULL), "out_mechanism");
    CHECK_RESULT(smtpreply_session_body_stats(s, &st), SMTPREPLY_NOT_FOUND);
    NULL_ARG(smtpreply_session_body_stats(s, NULL), "out");
    CHECK_RESULT(smtpreply_session_authenticate(s, "tim", "pw", SMTPREPLY_AUTH_AUTO), SMTPREPLY_OK);
    FEED(s, "235 ok\r\n");
    CHECK_RESULT(smtpreply_session_authenticated(s, &mech), SMTPREPLY_OK);
    CHECK_EQ_U(mech, SMTPREPLY_AUTH_PLAIN);
    {
        size_t idx;
        smtpreply_event ev;
        CHECK_RESULT(smtpreply_session_send_mail(s, "a@example.org", NULL), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_add_recipient(s, "b@example.com", NULL, &idx), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_start_data(s), SMTPREPLY_OK);
        FEED(s, "250 ok\r\n");
        FEED(s, "250 ok\r\n");
        FEED(s, "354 go\r\n");
        CHECK_RESULT(smtpreply_session_send_body(s, LIT("a\n.b\nc")), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_session_body_stats(s, &st), SMTPREPLY_OK);
        CHECK_EQ_U(st.command, SMTPREPLY_COMMAND_DATA);
        CHECK_EQ_U(st.input_bytes, 6);
        CHECK_EQ_U(st.dots_stuffed, 1);
        CHECK_EQ_U(st.line_endings_fixed, 2);
        CHECK_RESULT(smtpreply_session_end_body(s), SMTPREPLY_OK);
        FEED(s, "250 queued\r\n");
        while (smtpreply_session_next_event(s, &ev) == SMTPREPLY_OK) {
        }
        /* After the message: the last message's figures. */
        CHECK(smtpreply_session_is_ready(s));
        CHECK_RESULT(smtpreply_session_body_stats(s, &st), SMTPREPLY_OK);
        CHECK_EQ_U(st.input_bytes, 6);
        CHECK_EQ_U(st.output_bytes, 11); /* "a\r\n..b\r\nc\r\n" */
    }
    smtpreply_session_free(s);
    {
        smtpreply_session_config c = { "client.example.org", SMTPREPLY_TLS_NEVER, SMTPREPLY_SESSION_TLS_ACTIVE };
        CHECK_RESULT(smtpreply_session_new(&c, &s), SMTPREPLY_OK);
        CHECK(smtpreply_session_is_tls(s));
        smtpreply_session_free(s);
    }
}

int main(void) {
    full_transaction();
    more_transactions();
    pipelining();
    starttls();
    auth();
    failures();
    chunking();
    null_pointers();
    bad_config();
    bad_envelopes();
    wrong_states();
    name_functions();
    lifetime();
    threads();
    quit_after_end_body();
    quit_during_hello_and_auth();
    synthetic_failures_defer_accepted_recipients();
    refused_mail_drops_queued_commands();
    no_quit_or_reset_once_data_is_sent();
    helpers();
    return check_summary("test_session");
}
