/*
 * The transcript explainer through the C API: smtpreply_transcript_analyse and its accessors.
 *
 *   normal use    an RFC-style conversation with pipelining, AUTH and a refused recipient: the
 *                 summary, every step (kinds, speakers, commands, which step a reply answers,
 *                 codes, classifications), checks, recipients, messages; a forced format
 *   bad input     NULL pointers, zero length, a bad format number, max_line under 80, input over
 *                 max_input, binary garbage, non-UTF-8 bytes, out-of-range indexes; outputs
 *                 untouched on every non-OK result
 *   names         format, step kind, speaker and check kind names; format_from_name
 *   threads       4 threads analysing at once and reading one shared handle
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <pthread.h>
#include <smtpreply.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

static const char LOG[] = "S: 220 mx.example.com ESMTP\r\n"
                          "C: EHLO client.example.org\r\n"
                          "S: 250-mx.example.com\r\n"
                          "S: 250-PIPELINING\r\n"
                          "S: 250 AUTH PLAIN\r\n"
                          "C: AUTH PLAIN AHRpbQBzZWNyZXQ=\r\n"
                          "S: 235 2.7.0 ok\r\n"
                          "C: MAIL FROM:<tim@example.org>\r\n"
                          "C: RCPT TO:<ann@example.com>\r\n"
                          "C: RCPT TO:<nobody@example.com>\r\n"
                          "C: DATA\r\n"
                          "S: 250 2.1.0 Ok\r\n"
                          "S: 250 2.1.5 Ok\r\n"
                          "S: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown\r\n"
                          "S: 354 go ahead\r\n"
                          "C: Subject: hi\r\n"
                          "C: .\r\n"
                          "S: 250 2.0.0 Ok: queued as Q42\r\n";

/* Whether p[0..n) equals the C string s. */
static int eq(const uint8_t *p, size_t n, const char *s) {
    return n == strlen(s) && memcmp(p, s, n) == 0;
}

/* Whether p[0..n) contains the C string s. */
static int contains(const uint8_t *p, size_t n, const char *s) {
    size_t m = strlen(s), i;
    for (i = 0; i + m <= n; i++)
        if (memcmp(p + i, s, m) == 0) return 1;
    return 0;
}

static smtpreply_transcript *analyse(const char *text, size_t len, const smtpreply_transcript_options *opts) {
    smtpreply_transcript *t = NULL;
    CHECK_RESULT(smtpreply_transcript_analyse((const uint8_t *)text, len, opts, &t), SMTPREPLY_OK);
    CHECK(t != NULL);
    return t;
}

static void normal_use(void) {
    smtpreply_transcript *t = analyse(LOG, sizeof LOG - 1, NULL);
    smtpreply_transcript_summary sum;
    smtpreply_transcript_step st;
    smtpreply_transcript_recipient rr;
    smtpreply_transcript_message m;
    smtpreply_transcript_check ck;
    size_t i, replies = 0, data_steps = 0;

    CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
    CHECK_EQ_U(sum.format, SMTPREPLY_FORMAT_RFC);
    CHECK_EQ_U(sum.lines, 18);
    CHECK_EQ_U(sum.recipient_count, 2);
    CHECK_EQ_U(sum.message_count, 1);
    CHECK(sum.has_message_outcome && sum.message_accepted);
    CHECK(eq(sum.queue_id, sum.queue_id_len, "Q42"));
    CHECK(sum.authenticated && !sum.tls && !sum.quit);
    CHECK(sum.has_first_failure);
    CHECK_EQ_U(sum.first_failure.reason, SMTPREPLY_REASON_USER_UNKNOWN);

    for (i = 0; i < sum.step_count; i++) {
        CHECK_RESULT(smtpreply_transcript_step_at(t, i, &st), SMTPREPLY_OK);
        CHECK(st.line >= 1 && st.line <= sum.lines);
        /* Credentials never come out. */
        CHECK(!contains(st.text, st.text_len, "AHRpbQ"));
        if (st.kind == SMTPREPLY_STEP_REPLY) {
            smtpreply_transcript_step cmd;
            replies++;
            CHECK(st.has_reply && st.speaker == SMTPREPLY_SPEAKER_SERVER);
            if (st.has_answers) {
                CHECK(st.answers < i);
                CHECK_RESULT(smtpreply_transcript_step_at(t, st.answers, &cmd), SMTPREPLY_OK);
                CHECK_EQ_U(cmd.command, st.command);
            } else {
                CHECK_EQ_U(st.command, SMTPREPLY_COMMAND_GREETING);
            }
            if (st.code == 550) {
                CHECK_EQ_U(st.command, SMTPREPLY_COMMAND_RCPT);
                CHECK(st.has_enhanced && st.enhanced.status_class == 5 && st.enhanced.subject == 1 && st.enhanced.detail == 1);
                CHECK_EQ_U(st.classification.reason, SMTPREPLY_REASON_USER_UNKNOWN);
                CHECK(!st.unexpected);
                CHECK_EQ_U(i, sum.first_failure_step);
            }
        } else {
            CHECK(!st.has_reply && !st.has_answers);
        }
        if (st.kind == SMTPREPLY_STEP_COMMAND && st.command == SMTPREPLY_COMMAND_AUTH)
            CHECK(eq(st.text, st.text_len, "AUTH PLAIN ****"));
        if (st.kind == SMTPREPLY_STEP_MESSAGE_DATA) {
            data_steps++;
            CHECK(eq(st.text, st.text_len, "Subject: hi"));
        }
    }
    CHECK_EQ_U(replies, 8);
    CHECK_EQ_U(data_steps, 1);

    CHECK_RESULT(smtpreply_transcript_recipient_at(t, 0, &rr), SMTPREPLY_OK);
    CHECK(eq(rr.address, rr.address_len, "ann@example.com"));
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_ACCEPTED);
    CHECK(rr.has_reply_step && rr.has_classification);
    CHECK_EQ_U(rr.classification.reason, SMTPREPLY_REASON_SUCCESS);
    CHECK_RESULT(smtpreply_transcript_step_at(t, rr.reply_step, &st), SMTPREPLY_OK);
    CHECK_EQ_U(st.command, SMTPREPLY_COMMAND_DATA_END); /* decided by the message's final reply */
    CHECK_RESULT(smtpreply_transcript_recipient_at(t, 1, &rr), SMTPREPLY_OK);
    CHECK(eq(rr.address, rr.address_len, "nobody@example.com"));
    CHECK_EQ_U(rr.status, SMTPREPLY_RECIPIENT_REJECTED);
    CHECK_EQ_U(rr.classification.reason, SMTPREPLY_REASON_USER_UNKNOWN);
    CHECK(!rr.classification.retry);
    CHECK_EQ_U(rr.message, 0);

    CHECK_RESULT(smtpreply_transcript_message_at(t, 0, &m), SMTPREPLY_OK);
    CHECK(eq(m.sender, m.sender_len, "tim@example.org"));
    CHECK(m.has_outcome && m.accepted && m.has_reply_step);
    CHECK(eq(m.queue_id, m.queue_id_len, "Q42"));

    /* The only deviations: AUTH before STARTTLS, and no QUIT. */
    CHECK_EQ_U(sum.check_count, 2);
    CHECK_RESULT(smtpreply_transcript_check_at(t, 0, &ck), SMTPREPLY_OK);
    CHECK_EQ_U(ck.kind, SMTPREPLY_CHECK_CREDENTIALS_IN_CLEAR);
    CHECK(ck.message != NULL && strstr(ck.message, "STARTTLS") != NULL);
    CHECK_RESULT(smtpreply_transcript_check_at(t, 1, &ck), SMTPREPLY_OK);
    CHECK_EQ_U(ck.kind, SMTPREPLY_CHECK_MISSING_QUIT);
    CHECK_STR(smtpreply_check_kind_name(ck.kind), "missing_quit");

    /* Out of range: OUT_OF_RANGE, output untouched. */
    check_fill(&st, sizeof st);
    CHECK_RESULT(smtpreply_transcript_step_at(t, sum.step_count, &st), SMTPREPLY_OUT_OF_RANGE);
    CHECK_UNTOUCHED(st);
    CHECK_CONTAINS(smtpreply_last_error_message(), "out of range");
    CHECK_RESULT(smtpreply_transcript_step_at(t, SIZE_MAX, &st), SMTPREPLY_OUT_OF_RANGE);
    check_fill(&rr, sizeof rr);
    CHECK_RESULT(smtpreply_transcript_recipient_at(t, 2, &rr), SMTPREPLY_OUT_OF_RANGE);
    CHECK_UNTOUCHED(rr);
    check_fill(&m, sizeof m);
    CHECK_RESULT(smtpreply_transcript_message_at(t, 1, &m), SMTPREPLY_OUT_OF_RANGE);
    CHECK_UNTOUCHED(m);
    check_fill(&ck, sizeof ck);
    CHECK_RESULT(smtpreply_transcript_check_at(t, 2, &ck), SMTPREPLY_OUT_OF_RANGE);
    CHECK_UNTOUCHED(ck);
    smtpreply_transcript_free(t);
}

static void formats_and_options(void) {
    smtpreply_transcript_options o;
    smtpreply_transcript_summary sum;
    smtpreply_transcript *t;
    static const char swaks[] = "=== Trying 127.0.0.1:25...\n<-  220 mx ESMTP\n -> EHLO x\n<-  250 mx\n -> QUIT\n<-  221 bye\n";
    static const char bounce[] = "Final-Recipient: rfc822; bob@example.com\nAction: failed\n"
                                 "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: User unknown\n";
    check_fill(&o, sizeof o);
    CHECK_RESULT(smtpreply_transcript_options_init(&o), SMTPREPLY_OK);
    CHECK_EQ_U(o.format, SMTPREPLY_FORMAT_UNKNOWN);
    CHECK(o.max_input == 64u << 20 && o.max_line == 64u << 10);

    t = analyse(swaks, sizeof swaks - 1, &o);
    CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
    CHECK_EQ_U(sum.format, SMTPREPLY_FORMAT_SWAKS);
    CHECK(sum.quit && !sum.has_message_outcome && sum.check_count == 0);
    smtpreply_transcript_free(t);

    t = analyse(bounce, sizeof bounce - 1, NULL);
    CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
    CHECK_EQ_U(sum.format, SMTPREPLY_FORMAT_BOUNCE);
    CHECK_EQ_U(sum.recipient_count, 1);
    CHECK(sum.has_message_outcome && !sum.message_accepted);
    smtpreply_transcript_free(t);

    /* Forcing a format reads the input that way, even when another would fit better. */
    o.format = SMTPREPLY_FORMAT_TELNET;
    t = analyse(swaks, sizeof swaks - 1, &o);
    CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
    CHECK_EQ_U(sum.format, SMTPREPLY_FORMAT_TELNET);
    smtpreply_transcript_free(t);

    /* A cut line is reported. */
    smtpreply_transcript_options_init(&o);
    o.max_line = 80;
    {
        char longlog[400];
        memset(longlog, 'x', sizeof longlog);
        memcpy(longlog, "S: 220 mx\nC: HELO a\nS: 250 ", 27);
        t = analyse(longlog, sizeof longlog, &o);
        CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
        CHECK(sum.check_count >= 1);
        {
            smtpreply_transcript_check ck;
            size_t i;
            int found = 0;
            for (i = 0; i < sum.check_count; i++) {
                CHECK_RESULT(smtpreply_transcript_check_at(t, i, &ck), SMTPREPLY_OK);
                found |= ck.kind == SMTPREPLY_CHECK_LINE_TOO_LONG;
            }
            CHECK(found);
        }
        smtpreply_transcript_free(t);
    }
}

static void bad_input(void) {
    smtpreply_transcript_options o;
    smtpreply_transcript_summary sum;
    smtpreply_transcript *t, *sentinel = (smtpreply_transcript *)(uintptr_t)0x1234;
    static const uint8_t garbage[] = { 0x00, 0xff, 0xfe, 0x01, '2', '5', '0', 0x00, '\n', 0xc3, 0x28, 0x80, '\r' };

    t = sentinel;
    CHECK_RESULT(smtpreply_transcript_analyse(NULL, 5, NULL, &t), SMTPREPLY_NULL_PARAMETER);
    CHECK_CONTAINS(smtpreply_last_error_message(), "data is NULL");
    CHECK(t == sentinel);
    CHECK_RESULT(smtpreply_transcript_analyse(LIT("x"), NULL, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_CONTAINS(smtpreply_last_error_message(), "out is NULL");
    CHECK_RESULT(smtpreply_transcript_options_init(NULL), SMTPREPLY_NULL_PARAMETER);

    /* Empty input: a transcript with nothing in it. */
    CHECK_RESULT(smtpreply_transcript_analyse(NULL, 0, NULL, &t), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
    CHECK(sum.format == SMTPREPLY_FORMAT_UNKNOWN && sum.step_count == 0 && sum.lines == 0);
    CHECK(!sum.has_message_outcome && !sum.has_first_failure && sum.queue_id_len == 0);
    smtpreply_transcript_free(t);

    /* Binary garbage and broken UTF-8: no conversation, no crash. */
    t = analyse((const char *)garbage, sizeof garbage, NULL);
    CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
    CHECK_EQ_U(sum.format, SMTPREPLY_FORMAT_UNKNOWN);
    CHECK_EQ_U(sum.step_count, 0);
    smtpreply_transcript_free(t);

    /* Non-UTF-8 text in a real conversation is kept (lossily) and still explained. */
    {
        static const char latin1[] = "S: 220 mx\nC: HELO a\nS: 250 mx\nC: MAIL FROM:<a@b.example>\n"
                                     "S: 550 5.7.1 Absender abgelehnt: \xe4\xf6\xfc\nC: QUIT\nS: 221 bye\n";
        t = analyse(latin1, sizeof latin1 - 1, NULL);
        CHECK_RESULT(smtpreply_transcript_get_summary(t, &sum), SMTPREPLY_OK);
        CHECK(sum.has_first_failure && sum.step_count == 7);
        smtpreply_transcript_free(t);
    }

    /* Bad options: INVALID_INPUT or LIMIT_EXCEEDED, nothing written. */
    smtpreply_transcript_options_init(&o);
    o.format = 10;
    t = sentinel;
    CHECK_RESULT(smtpreply_transcript_analyse(LIT(LOG), &o, &t), SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "SMTPREPLY_FORMAT_");
    CHECK(t == sentinel);
    o.format = UINT32_MAX;
    CHECK_RESULT(smtpreply_transcript_analyse(LIT(LOG), &o, &t), SMTPREPLY_INVALID_INPUT);
    smtpreply_transcript_options_init(&o);
    o.max_line = 79;
    CHECK_RESULT(smtpreply_transcript_analyse(LIT(LOG), &o, &t), SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "max_line");
    smtpreply_transcript_options_init(&o);
    o.max_input = 100;
    CHECK_RESULT(smtpreply_transcript_analyse(LIT(LOG), &o, &t), SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "limit is 100");
    CHECK(t == sentinel);

    /* NULL handles and outputs. */
    t = analyse(LOG, sizeof LOG - 1, NULL);
    check_fill(&sum, sizeof sum);
    CHECK_RESULT(smtpreply_transcript_get_summary(NULL, &sum), SMTPREPLY_NULL_PARAMETER);
    CHECK_UNTOUCHED(sum);
    CHECK_RESULT(smtpreply_transcript_get_summary(t, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_transcript_step_at(NULL, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_transcript_step_at(t, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_transcript_check_at(t, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_transcript_recipient_at(NULL, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_transcript_message_at(t, 0, NULL), SMTPREPLY_NULL_PARAMETER);
    smtpreply_transcript_free(t);
    smtpreply_transcript_free(NULL);
}

static void names(void) {
    static const char *const formats[] = { "unknown", "server_client", "rfc", "arrows", "swaks",
                                           "curl", "telnet", "smtplib", "exchange", "bounce" };
    uint32_t i, n;
    for (i = 0; i < 10; i++) {
        CHECK_STR(smtpreply_format_name(i), formats[i]);
        n = 99;
        CHECK_RESULT(smtpreply_format_from_name(formats[i], &n), SMTPREPLY_OK);
        CHECK_EQ_U(n, i);
    }
    CHECK(smtpreply_format_name(10) == NULL && smtpreply_format_name(UINT32_MAX) == NULL);
    n = 99;
    CHECK_RESULT(smtpreply_format_from_name("SWAKS", &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, SMTPREPLY_FORMAT_SWAKS);
    n = 99;
    CHECK_RESULT(smtpreply_format_from_name("thunderbird", &n), SMTPREPLY_NOT_FOUND);
    CHECK_EQ_U(n, 99);
    CHECK_RESULT(smtpreply_format_from_name(NULL, &n), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_format_from_name("rfc", NULL), SMTPREPLY_NULL_PARAMETER);
    CHECK_RESULT(smtpreply_format_from_name("\xff\xfe", &n), SMTPREPLY_INVALID_INPUT);
    CHECK_STR(smtpreply_step_kind_name(SMTPREPLY_STEP_COMMAND), "command");
    CHECK_STR(smtpreply_step_kind_name(SMTPREPLY_STEP_AUTH_RESPONSE), "auth_response");
    CHECK(smtpreply_step_kind_name(0) == NULL && smtpreply_step_kind_name(6) == NULL);
    CHECK_STR(smtpreply_speaker_name(SMTPREPLY_SPEAKER_TOOL), "tool");
    CHECK(smtpreply_speaker_name(0) == NULL && smtpreply_speaker_name(4) == NULL);
    for (i = 1; i <= 12; i++) CHECK(smtpreply_check_kind_name(i) != NULL);
    CHECK(smtpreply_check_kind_name(0) == NULL && smtpreply_check_kind_name(13) == NULL);
}

/* ---------------------------------------------------------------- threads */

struct worker {
    const smtpreply_transcript *shared;
    int ok;
};

/* Analyses its own copy and reads the shared handle; no CHECK macros (not thread-safe). */
static void *work(void *arg) {
    struct worker *w = arg;
    int round;
    w->ok = 1;
    for (round = 0; round < 200; round++) {
        smtpreply_transcript *t = NULL;
        smtpreply_transcript_summary a, b;
        smtpreply_transcript_step st;
        if (smtpreply_transcript_analyse((const uint8_t *)LOG, sizeof LOG - 1, NULL, &t) != SMTPREPLY_OK) w->ok = 0;
        if (smtpreply_transcript_get_summary(t, &a) != SMTPREPLY_OK) w->ok = 0;
        if (smtpreply_transcript_get_summary(w->shared, &b) != SMTPREPLY_OK) w->ok = 0;
        if (a.step_count != b.step_count || a.recipient_count != 2 || !a.message_accepted) w->ok = 0;
        if (smtpreply_transcript_step_at(w->shared, (size_t)round % b.step_count, &st) != SMTPREPLY_OK) w->ok = 0;
        if (smtpreply_transcript_step_at(w->shared, b.step_count, &st) != SMTPREPLY_OUT_OF_RANGE) w->ok = 0;
        smtpreply_transcript_free(t);
    }
    return NULL;
}

static void threads(void) {
    pthread_t tid[4];
    struct worker w[4];
    smtpreply_transcript *shared = analyse(LOG, sizeof LOG - 1, NULL);
    int i;
    for (i = 0; i < 4; i++) {
        w[i].shared = shared;
        CHECK(pthread_create(&tid[i], NULL, work, &w[i]) == 0);
    }
    for (i = 0; i < 4; i++) {
        CHECK(pthread_join(tid[i], NULL) == 0);
        CHECK(w[i].ok);
    }
    smtpreply_transcript_free(shared);
}

int main(void) {
    normal_use();
    formats_and_options();
    bad_input();
    names();
    threads();
    return check_summary("test_transcript");
}
