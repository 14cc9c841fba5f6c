/*
 * Threads: 8 threads at once, each parsing a mix of replies with its own reply, stream, batch and
 * capabilities handles and looking codes up thousands of times, verifying every result; all of
 * them reading ONE shared capabilities handle and ONE shared parsed reply at the same time; and
 * each checking that smtpreply_last_error_message() is its own (thread-local) after deliberate
 * failures while the other threads fail differently.
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

#define THREADS 8
#define ITERATIONS 10000

#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* The replies every thread parses, with what they must give. */
static const struct {
    const char *input;
    uint32_t code, ec, es, ed, warnings;
    size_t lines;
    const char *last_text;
} MIX[] = {
    { "250 OK\r\n", 250, 0, 0, 0, 0, 1, "OK" },
    { "550-5.1.1 No such user\r\n550 5.1.1 user unknown\r\n", 550, 5, 1, 1, 0, 2, "user unknown" },
    { "421 4.7.0 Try again later\n", 421, 4, 7, 0, SMTPREPLY_WARNING_BARE_LF, 1, "Try again later" },
    { "354 Start mail input; end with <CRLF>.<CRLF>\r\n", 354, 0, 0, 0, 0, 1,
      "Start mail input; end with <CRLF>.<CRLF>" },
    { "250-mx\r\n250-a\r\n251 b\r\n", 250, 0, 0, 0, SMTPREPLY_WARNING_CODE_MISMATCH, 3, "b" },
    { "200 \xc3\xbc" "ber\r\n", 200, 0, 0, 0, SMTPREPLY_WARNING_NON_ASCII, 1, "\xc3\xbc" "ber" },
    { "550 5.7.26 Unauthenticated email from example.com is not accepted\r\n", 550, 5, 7, 26, 0, 1,
      "Unauthenticated email from example.com is not accepted" },
};
#define MIX_N (sizeof MIX / sizeof MIX[0])

static const char SHARED_EHLO[] =
    "250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
    "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-SMTPUTF8\r\n"
    "250 AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n";

static const char SHARED_REPLY[] = "550-5.7.26 This mail has been blocked because the sender is\r\n"
                                   "550-5.7.26 unauthenticated. Gmail requires all senders to\r\n"
                                   "550 5.7.26 authenticate with either SPF or DKIM.\r\n";

/* The shared, read-only handles. */
static const smtpreply_capabilities *shared_caps;
static const smtpreply_reply *shared_reply;

static pthread_barrier_t start_line;

struct worker {
    int id;
    unsigned long checks;
    char *pipelined; /* every MIX reply, concatenated */
    size_t pipelined_len;
};

/* From here on the CHECK macros count into the worker's own tally. */
#undef CHECK_TALLY
#define CHECK_TALLY (t->checks)

static void check_reply(struct worker *t, const smtpreply_reply *r, size_t k) {
    smtpreply_reply_info info;
    smtpreply_line line;
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.code, MIX[k].code);
    CHECK_EQ_U(info.has_enhanced, MIX[k].ec != 0);
    CHECK_EQ_U(info.enhanced.status_class, MIX[k].ec);
    CHECK_EQ_U(info.enhanced.subject, MIX[k].es);
    CHECK_EQ_U(info.enhanced.detail, MIX[k].ed);
    CHECK_EQ_U(info.warnings, MIX[k].warnings);
    CHECK_EQ_U(info.line_count, MIX[k].lines);
    CHECK_MEM(info.raw, info.raw_len, MIX[k].input, strlen(MIX[k].input));
    CHECK_RESULT(smtpreply_reply_get_line(r, info.line_count - 1, &line), SMTPREPLY_OK);
    CHECK(line.is_last);
    CHECK_MEM(line.text, line.text_len, MIX[k].last_text, strlen(MIX[k].last_text));
}

/* Reads the shared capabilities and reply; every thread does this at the same time. */
static void read_shared(struct worker *t) {
    smtpreply_capability cap;
    smtpreply_reply_info info;
    smtpreply_line line;
    const uint8_t *p;
    size_t n, idx;
    uint32_t status, cw, rw;
    uint64_t limit, mask;

    CHECK(smtpreply_capabilities_has(shared_caps, "pipelining"));
    CHECK(!smtpreply_capabilities_has(shared_caps, "ETRN"));
    CHECK_RESULT(smtpreply_capabilities_count(shared_caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 8);
    CHECK_RESULT(smtpreply_capabilities_find(shared_caps, "AUTH", &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 7);
    CHECK_RESULT(smtpreply_capabilities_get(shared_caps, idx, &cap), SMTPREPLY_OK);
    CHECK_BYTES(cap.keyword, cap.keyword_len, "AUTH");
    CHECK_EQ_U(cap.param_count, 6);
    CHECK_EQ_U(cap.extension, SMTPREPLY_EXT_AUTH);
    CHECK_RESULT(smtpreply_capabilities_param(shared_caps, idx, 2, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "XOAUTH2");
    CHECK_RESULT(smtpreply_capabilities_size(shared_caps, &status, &limit), SMTPREPLY_OK);
    CHECK_EQ_U(status, SMTPREPLY_SIZE_LIMIT);
    CHECK_EQ_U(limit, 35882577u);
    CHECK_RESULT(smtpreply_capabilities_auth_count(shared_caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 6);
    CHECK_RESULT(smtpreply_capabilities_auth_mechanism(shared_caps, 5, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "XOAUTH");
    CHECK(smtpreply_capabilities_supports_auth(shared_caps, "oauthbearer"));
    CHECK(!smtpreply_capabilities_supports_auth(shared_caps, "CRAM-MD5"));
    CHECK_RESULT(smtpreply_capabilities_domain(shared_caps, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "smtp.gmail.com");
    CHECK_RESULT(smtpreply_capabilities_greeting(shared_caps, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "at your service, [203.0.113.5]");
    CHECK_RESULT(smtpreply_capabilities_extensions(shared_caps, &mask), SMTPREPLY_OK);
    CHECK(mask & ((uint64_t)1 << SMTPREPLY_EXT_CHUNKING));
    CHECK(!(mask & ((uint64_t)1 << SMTPREPLY_EXT_DSN)));
    CHECK_RESULT(smtpreply_capabilities_warnings(shared_caps, &cw, &rw), SMTPREPLY_OK);
    CHECK_EQ_U(cw, 0);
    CHECK_EQ_U(rw, 0);

    CHECK_RESULT(smtpreply_reply_get_info(shared_reply, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.code, 550);
    CHECK_EQ_U(info.line_count, 3);
    CHECK(info.has_enhanced && info.enhanced.status_class == 5 && info.enhanced.subject == 7 &&
          info.enhanced.detail == 26);
    CHECK_MEM(info.raw, info.raw_len, SHARED_REPLY, sizeof SHARED_REPLY - 1);
    CHECK_RESULT(smtpreply_reply_get_line(shared_reply, 1, &line), SMTPREPLY_OK);
    CHECK_BYTES(line.text, line.text_len, "unauthenticated. Gmail requires all senders to");
    CHECK_BYTES(line.content, line.content_len, "550-5.7.26 unauthenticated. Gmail requires all senders to");
    CHECK(!line.is_last);
    CHECK_RESULT(smtpreply_reply_get_line(shared_reply, 3, &line), SMTPREPLY_OUT_OF_RANGE);
}

/* A deliberate failure whose message names this thread's own number; it must be the message this
 * thread reads back, whatever the other threads are failing with at the same moment. */
static void own_error(struct worker *t, unsigned i) {
    char want[32];
    smtpreply_code_info ci;
    uint32_t bad = 1000u + (uint32_t)t->id * 1000u + (i % 1000u); /* distinct per thread */
    sprintf(want, "%lu is not", (unsigned long)bad);
    CHECK_RESULT(smtpreply_code_lookup(bad, &ci), SMTPREPLY_OUT_OF_RANGE);
    CHECK_CONTAINS(smtpreply_last_error_message(), want);
}

static void *work(void *arg) {
    struct worker *t = (struct worker *)arg;
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_batch *b = smtpreply_batch_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    unsigned i;

    /* A thread where nothing has failed yet has an empty message, whatever the others did. */
    CHECK_STR(smtpreply_last_error_message(), "");
    pthread_barrier_wait(&start_line);

    for (i = 0; i < ITERATIONS; i++) {
        size_t k = (i + (unsigned)t->id) % MIX_N, consumed;
        uint32_t code = 200u + (i * 7u + (unsigned)t->id) % 400u, u;
        smtpreply_code_info ci;
        smtpreply_enhanced_code ec;
        smtpreply_enhanced_info ei;

        /* One reply alone. */
        CHECK_RESULT(smtpreply_parse_reply((const uint8_t *)MIX[k].input, strlen(MIX[k].input), NULL, r, &consumed),
                     SMTPREPLY_OK);
        CHECK_EQ_U(consumed, strlen(MIX[k].input));
        check_reply(t, r, k);

        /* Code lookups. */
        CHECK_RESULT(smtpreply_code_lookup(code, &ci), SMTPREPLY_OK);
        CHECK_EQ_U(ci.code, code);
        CHECK_EQ_U(ci.severity, code / 100);
        CHECK(ci.text != NULL && ci.explanation != NULL && ci.advice != NULL);
        CHECK_RESULT(smtpreply_code_severity(code, &u), SMTPREPLY_OK);
        CHECK_EQ_U(u, code / 100);
        CHECK_RESULT(smtpreply_code_category(code, &u), SMTPREPLY_OK);
        CHECK_EQ_U(u, (code / 10) % 10 > 5 ? SMTPREPLY_CATEGORY_OUT_OF_GRAMMAR : (code / 10) % 10);
        CHECK_RESULT(smtpreply_code_lookup(550, &ci), SMTPREPLY_OK);
        CHECK_EQ_U(ci.status, SMTPREPLY_CODE_STATUS_STANDARD);
        CHECK_CONTAINS(ci.text, "mailbox unavailable");

        /* Enhanced code parse and lookup. */
        CHECK_RESULT(smtpreply_enhanced_parse(LIT("5.7.26"), &ec), SMTPREPLY_OK);
        CHECK(ec.status_class == 5 && ec.subject == 7 && ec.detail == 26);
        CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
        CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_REGISTERED);
        ec.detail = 100 + i % 800;
        CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
        CHECK_EQ_U(ei.code.detail, 100 + i % 800);
        CHECK_STR(ei.subject_name, "Security or Policy Status");

        if (i % 10 == 0) {
            /* The whole mix as one pipelined buffer: in a batch, and through a stream in chunks. */
            const smtpreply_batch_reply *replies;
            size_t n, j, at, chunk = 1 + (size_t)(t->id + (int)i) % 13, taken = 0;
            smtpreply_stream *s = NULL;
            CHECK_RESULT(smtpreply_parse_batch(b, (const uint8_t *)t->pipelined, t->pipelined_len, NULL, &consumed),
                         SMTPREPLY_OK);
            CHECK_EQ_U(consumed, t->pipelined_len);
            CHECK_RESULT(smtpreply_batch_replies(b, &replies, &n), SMTPREPLY_OK);
            CHECK_EQ_U(n, MIX_N);
            for (j = 0, at = 0; j < n; j++) {
                CHECK_EQ_U(replies[j].code, MIX[j].code);
                CHECK_EQ_U(replies[j].offset, at);
                CHECK_EQ_U(replies[j].warnings, MIX[j].warnings);
                at += strlen(MIX[j].input);
            }
            CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
            for (at = 0; at < t->pipelined_len; at += chunk) {
                size_t len = t->pipelined_len - at < chunk ? t->pipelined_len - at : chunk;
                uint32_t res;
                CHECK_RESULT(smtpreply_stream_feed(s, (const uint8_t *)t->pipelined + at, len), SMTPREPLY_OK);
                while ((res = smtpreply_stream_next(s, r)) == SMTPREPLY_OK) {
                    CHECK(taken < MIX_N);
                    check_reply(t, r, taken);
                    taken++;
                }
                CHECK_RESULT(res, SMTPREPLY_NEED_MORE);
            }
            CHECK_EQ_U(taken, MIX_N);
            CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);
            smtpreply_stream_free(s);

            /* Own capabilities handle. */
            {
                char ehlo[128];
                int len = sprintf(ehlo, "250-mx%d.example\r\n250-SIZE %u\r\n250 AUTH PLAIN\r\n", t->id, i);
                const uint8_t *p;
                uint32_t status;
                uint64_t limit;
                char dom[32];
                CHECK_RESULT(smtpreply_capabilities_parse(caps, (const uint8_t *)ehlo, (size_t)len), SMTPREPLY_OK);
                CHECK_RESULT(smtpreply_capabilities_size(caps, &status, &limit), SMTPREPLY_OK);
                CHECK_EQ_U(status, i == 0 ? SMTPREPLY_SIZE_NO_FIXED_LIMIT : SMTPREPLY_SIZE_LIMIT);
                CHECK_EQ_U(limit, i);
                CHECK_RESULT(smtpreply_capabilities_domain(caps, &p, &n), SMTPREPLY_OK);
                sprintf(dom, "mx%d.example", t->id);
                CHECK_MEM(p, n, dom, strlen(dom));
                CHECK(smtpreply_capabilities_supports_auth(caps, "PLAIN"));
            }
        }

        if (i % 50 == 0) read_shared(t);
        if (i % 25 == 0) own_error(t, i);
    }
    read_shared(t);
    own_error(t, 999);

    smtpreply_capabilities_free(caps);
    smtpreply_batch_free(b);
    smtpreply_reply_free(r);
    return NULL;
}

/* Back to the global tally for main. */
#undef CHECK_TALLY
#define CHECK_TALLY check_count

int main(void) {
    pthread_t tid[THREADS];
    struct worker w[THREADS];
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_reply *reply = smtpreply_reply_new();
    size_t consumed, k, total = 0, at;
    char *pipelined;
    unsigned long sum = 0;
    int i;

    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(SHARED_EHLO)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_parse_reply(LIT(SHARED_REPLY), NULL, reply, &consumed), SMTPREPLY_OK);
    shared_caps = caps;
    shared_reply = reply;

    for (k = 0; k < MIX_N; k++) total += strlen(MIX[k].input);
    pipelined = malloc(total);
    CHECK(pipelined != NULL);
    for (k = 0, at = 0; k < MIX_N; k++) {
        memcpy(pipelined + at, MIX[k].input, strlen(MIX[k].input));
        at += strlen(MIX[k].input);
    }

    /* The main thread fails first: no worker may see this message. */
    {
        smtpreply_code_info ci;
        CHECK_RESULT(smtpreply_code_lookup(777, &ci), SMTPREPLY_OUT_OF_RANGE);
    }

    CHECK(pthread_barrier_init(&start_line, NULL, THREADS) == 0);
    for (i = 0; i < THREADS; i++) {
        w[i].id = i;
        w[i].checks = 0;
        w[i].pipelined = pipelined;
        w[i].pipelined_len = total;
        CHECK(pthread_create(&tid[i], NULL, work, &w[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(tid[i], NULL) == 0);
        printf("thread %d: %lu checks passed\n", i, w[i].checks);
        CHECK(w[i].checks > (unsigned long)ITERATIONS * 30);
        sum += w[i].checks;
    }
    CHECK(pthread_barrier_destroy(&start_line) == 0);

    /* The main thread's message is still its own. */
    CHECK_CONTAINS(smtpreply_last_error_message(), "777");

    free(pipelined);
    smtpreply_reply_free(reply);
    smtpreply_capabilities_free(caps);
    printf("test_threads: %d threads, %lu checks on the workers\n", THREADS, sum);
    check_count += sum;
    return check_summary("test_threads");
}
