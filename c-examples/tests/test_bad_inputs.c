/*
 * Bad input through the C boundary: NULL for every pointer argument of every export, zero and huge
 * lengths, empty, truncated and oversized input, non-UTF-8 and NUL bytes, out-of-range numbers,
 * invalid enhanced codes, empty handles, _free(NULL), result names, the last-error message,
 * misaligned pointers, and the same for the classification functions.
 *
 * The rule checked throughout: outputs are written only on success. Every output is pre-filled with
 * a sentinel pattern (CHECK_SENTINEL bytes) and must still hold it after every non-OK result.
 */
#include "check.h"

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

/* The same with two outputs. */
#define FAILS_2(call, expected, o1, o2)                                                                         \
    do {                                                                                                        \
        check_fill(&(o1), sizeof(o1));                                                                          \
        check_fill(&(o2), sizeof(o2));                                                                          \
        CHECK_RESULT(call, expected);                                                                           \
        CHECK_UNTOUCHED(o1);                                                                                    \
        CHECK_UNTOUCHED(o2);                                                                                    \
    } while (0)

/* Leaves an unrelated message as the thread's last error, so that the next check proves the message
 * it reads was written by the call under test. */
static void mark(void) {
    smtpreply_code_info ci;
    CHECK_RESULT(smtpreply_code_lookup(1, &ci), SMTPREPLY_OUT_OF_RANGE);
    CHECK_CONTAINS(smtpreply_last_error_message(), "1 is not an SMTP reply code");
}

/* A NULL argument named `pname`: NULL_PARAMETER and a message naming the argument. */
#define NULL_ARG(call, pname)                                                                                   \
    do {                                                                                                        \
        mark();                                                                                                 \
        CHECK_RESULT(call, SMTPREPLY_NULL_PARAMETER);                                                           \
        CHECK_CONTAINS(smtpreply_last_error_message(), pname " is NULL");                                     \
    } while (0)

static const char EHLO[] = "250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
                           "250-LIMITS RCPTMAX=10\r\n250 AUTH PLAIN LOGIN\r\n";

/* ---------------------------------------------------------------- result names, messages */

static void result_names(void) {
    static const char *const names[] = {
        "SMTPREPLY_OK",           "SMTPREPLY_NEED_MORE",      "SMTPREPLY_NULL_PARAMETER",
        "SMTPREPLY_INVALID_INPUT", "SMTPREPLY_LIMIT_EXCEEDED", "SMTPREPLY_BUFFER_TOO_SMALL",
        "SMTPREPLY_PANIC",        "SMTPREPLY_OUT_OF_RANGE",   "SMTPREPLY_NOT_FOUND",
        "SMTPREPLY_TRUNCATED",    "SMTPREPLY_STRICT_VIOLATION", "SMTPREPLY_WRONG_STATE",
        "SMTPREPLY_NOT_SUPPORTED",
    };
    uint32_t i;
    CHECK_EQ_U(SMTPREPLY_OK, 0);
    CHECK_EQ_U(SMTPREPLY_NEED_MORE, 1);
    CHECK_EQ_U(SMTPREPLY_NULL_PARAMETER, 2);
    CHECK_EQ_U(SMTPREPLY_INVALID_INPUT, 3);
    CHECK_EQ_U(SMTPREPLY_LIMIT_EXCEEDED, 4);
    CHECK_EQ_U(SMTPREPLY_BUFFER_TOO_SMALL, 5);
    CHECK_EQ_U(SMTPREPLY_PANIC, 6);
    CHECK_EQ_U(SMTPREPLY_OUT_OF_RANGE, 7);
    CHECK_EQ_U(SMTPREPLY_NOT_FOUND, 8);
    CHECK_EQ_U(SMTPREPLY_TRUNCATED, 9);
    CHECK_EQ_U(SMTPREPLY_STRICT_VIOLATION, 10);
    CHECK_EQ_U(SMTPREPLY_WRONG_STATE, 11);
    CHECK_EQ_U(SMTPREPLY_NOT_SUPPORTED, 12);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) CHECK_STR(smtpreply_result_name(i), names[i]);
    CHECK(smtpreply_result_name(13) == NULL);
    CHECK(smtpreply_result_name(14) == NULL);
    CHECK(smtpreply_result_name(0x80000000u) == NULL);
    CHECK(smtpreply_result_name(UINT32_MAX) == NULL);
}

static void last_error_messages(void) {
    smtpreply_code_info ci;
    smtpreply_enhanced_code ec;
    smtpreply_reply *r = smtpreply_reply_new();
    size_t consumed;
    const char *m;
    /* Each failure replaces the message with one about itself. */
    FAILS_1(smtpreply_code_lookup(600, &ci), SMTPREPLY_OUT_OF_RANGE, ci);
    CHECK_CONTAINS(smtpreply_last_error_message(), "600");
    FAILS_1(smtpreply_enhanced_parse(LIT("hello"), &ec), SMTPREPLY_INVALID_INPUT, ec);
    CHECK_CONTAINS(smtpreply_last_error_message(), "hello");
    FAILS_1(smtpreply_parse_reply(LIT("HELLO\r\n"), NULL, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    CHECK_CONTAINS(smtpreply_last_error_message(), "reply code");
    /* A successful call leaves the message of the last failure in place (it is only replaced by the
     * next failure). */
    m = smtpreply_last_error_message();
    CHECK(m != NULL && m[0] != '\0');
    CHECK_RESULT(smtpreply_code_lookup(250, &ci), SMTPREPLY_OK);
    CHECK_CONTAINS(smtpreply_last_error_message(), "reply code");
    smtpreply_reply_free(r);
}

/* ---------------------------------------------------------------- NULL for every pointer */

static void null_reply_functions(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_reply_info info;
    smtpreply_line line;
    smtpreply_parser_options opts;
    size_t consumed;

    NULL_ARG(smtpreply_parser_options_init(NULL), "options");

    check_fill(&consumed, sizeof consumed);
    NULL_ARG(smtpreply_parse_reply(NULL, 8, NULL, r, &consumed), "data");
    CHECK_UNTOUCHED(consumed);
    NULL_ARG(smtpreply_parse_reply(LIT("250 OK\r\n"), NULL, NULL, &consumed), "reply");
    CHECK_UNTOUCHED(consumed);
    NULL_ARG(smtpreply_parse_reply(LIT("250 OK\r\n"), NULL, r, NULL), "out_consumed");
    /* The reply handle was not filled by the refused call. */
    FAILS_1(smtpreply_reply_get_info(r, &info), SMTPREPLY_INVALID_INPUT, info);
    /* options == NULL means the defaults. */
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 OK\r\n"), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 8);
    CHECK_RESULT(smtpreply_parser_options_init(&opts), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 OK\r\n"), &opts, r, &consumed), SMTPREPLY_OK);

    /* A NULL pointer is NULL_PARAMETER whatever else is wrong: bad input, bad options, a length no
     * object can have. */
    NULL_ARG(smtpreply_parse_reply(LIT("HELLO\r\n"), NULL, r, NULL), "out_consumed");
    CHECK_RESULT(smtpreply_parser_options_init(&opts), SMTPREPLY_OK);
    opts.flags = 0x40;
    NULL_ARG(smtpreply_parse_reply(LIT("250 OK\r\n"), &opts, r, NULL), "out_consumed");
    NULL_ARG(smtpreply_parse_reply(LIT("250 OK\r\n"), &opts, NULL, &consumed), "reply");
    opts.flags = 0;
    opts.max_line = 1;
    NULL_ARG(smtpreply_parse_reply(LIT("250 OK\r\n"), &opts, r, NULL), "out_consumed");
    NULL_ARG(smtpreply_parse_reply((const uint8_t *)"250 OK\r\n", SIZE_MAX, NULL, r, NULL), "out_consumed");

    NULL_ARG(smtpreply_reply_get_info(NULL, &info), "reply");
    CHECK_UNTOUCHED(info);
    NULL_ARG(smtpreply_reply_get_info(r, NULL), "out");

    check_fill(&line, sizeof line);
    NULL_ARG(smtpreply_reply_get_line(NULL, 0, &line), "reply");
    CHECK_UNTOUCHED(line);
    NULL_ARG(smtpreply_reply_get_line(r, 0, NULL), "out");
    smtpreply_reply_free(r);
}

static void null_stream_functions(void) {
    smtpreply_stream *s = NULL, *untouched;
    smtpreply_reply *r = smtpreply_reply_new();
    size_t n;

    NULL_ARG(smtpreply_stream_new(NULL, NULL), "out");
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK(s != NULL);

    NULL_ARG(smtpreply_stream_feed(NULL, LIT("250 OK\r\n")), "stream");
    NULL_ARG(smtpreply_stream_feed(s, NULL, 8), "data");
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0); /* nothing appended */

    CHECK_RESULT(smtpreply_stream_feed(s, LIT("250 OK\r\n")), SMTPREPLY_OK);
    NULL_ARG(smtpreply_stream_next(NULL, r), "stream");
    NULL_ARG(smtpreply_stream_next(s, NULL), "reply");
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 8); /* the refused call took nothing out */

    NULL_ARG(smtpreply_stream_finish(NULL), "stream");

    check_fill(&n, sizeof n);
    NULL_ARG(smtpreply_stream_pending(NULL, &n), "stream");
    CHECK_UNTOUCHED(n);
    NULL_ARG(smtpreply_stream_pending(s, NULL), "out_pending");

    NULL_ARG(smtpreply_stream_skip_line(NULL, &n), "stream");
    CHECK_UNTOUCHED(n);
    NULL_ARG(smtpreply_stream_skip_line(s, NULL), "out_skipped");
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 8); /* nothing skipped */

    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);

    /* Bad options: nothing is stored in *out. */
    {
        smtpreply_parser_options o;
        CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
        o.flags = 2;
        FAILS_1(smtpreply_stream_new(&o, &untouched), SMTPREPLY_INVALID_INPUT, untouched);
        o.flags = 0;
        o.max_line = 1;
        FAILS_1(smtpreply_stream_new(&o, &untouched), SMTPREPLY_OUT_OF_RANGE, untouched);
    }
    smtpreply_stream_free(s);
    smtpreply_reply_free(r);
}

static void null_batch_functions(void) {
    smtpreply_batch *b = smtpreply_batch_new();
    const smtpreply_batch_reply *replies;
    const smtpreply_batch_line *lines;
    size_t consumed, count;

    check_fill(&consumed, sizeof consumed);
    NULL_ARG(smtpreply_parse_batch(NULL, LIT("250 OK\r\n"), NULL, &consumed), "batch");
    NULL_ARG(smtpreply_parse_batch(b, NULL, 8, NULL, &consumed), "data");
    CHECK_UNTOUCHED(consumed);
    NULL_ARG(smtpreply_parse_batch(b, LIT("250 OK\r\n"), NULL, NULL), "out_consumed");
    {
        smtpreply_parser_options bad;
        CHECK_RESULT(smtpreply_parser_options_init(&bad), SMTPREPLY_OK);
        bad.max_reply = 3;
        NULL_ARG(smtpreply_parse_batch(b, LIT("250 OK\r\n"), &bad, NULL), "out_consumed");
        NULL_ARG(smtpreply_parse_batch(NULL, LIT("HELLO\r\n"), &bad, &consumed), "batch");
        CHECK_UNTOUCHED(consumed);
    }

    check_fill(&replies, sizeof replies);
    check_fill(&count, sizeof count);
    NULL_ARG(smtpreply_batch_replies(NULL, &replies, &count), "batch");
    NULL_ARG(smtpreply_batch_replies(b, NULL, &count), "out_replies");
    CHECK_UNTOUCHED(count);
    NULL_ARG(smtpreply_batch_replies(b, &replies, NULL), "out_count");
    CHECK_UNTOUCHED(replies);

    check_fill(&lines, sizeof lines);
    NULL_ARG(smtpreply_batch_lines(NULL, &lines, &count), "batch");
    NULL_ARG(smtpreply_batch_lines(b, NULL, &count), "out_lines");
    CHECK_UNTOUCHED(count);
    NULL_ARG(smtpreply_batch_lines(b, &lines, NULL), "out_count");
    CHECK_UNTOUCHED(lines);

    /* A fresh batch holds no replies: that is not an error. */
    CHECK_RESULT(smtpreply_batch_replies(b, &replies, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 0);
    CHECK_RESULT(smtpreply_batch_lines(b, &lines, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 0);
    smtpreply_batch_free(b);
}

static void null_code_functions(void) {
    smtpreply_code_info ci;
    smtpreply_code_context cc;
    smtpreply_enhanced_code ec = { 5, 7, 26 };
    smtpreply_enhanced_info ei;
    uint32_t u;

    NULL_ARG(smtpreply_code_lookup(250, NULL), "out");
    NULL_ARG(smtpreply_code_lookup(600, NULL), "out");
    NULL_ARG(smtpreply_code_context_for(220, SMTPREPLY_COMMAND_GREETING, NULL), "out");
    NULL_ARG(smtpreply_code_context_for(0, 99, NULL), "out");
    NULL_ARG(smtpreply_code_context_at(220, 0, NULL), "out");
    NULL_ARG(smtpreply_code_severity(250, NULL), "out");
    NULL_ARG(smtpreply_code_category(250, NULL), "out");

    check_fill(&ec, sizeof ec);
    NULL_ARG(smtpreply_enhanced_parse(NULL, 6, &ec), "text");
    CHECK_UNTOUCHED(ec);
    NULL_ARG(smtpreply_enhanced_parse(LIT("5.7.26"), NULL), "out");

    ec.status_class = 5;
    ec.subject = 7;
    ec.detail = 26;
    check_fill(&ei, sizeof ei);
    NULL_ARG(smtpreply_enhanced_lookup(NULL, &ei), "code");
    CHECK_UNTOUCHED(ei);
    NULL_ARG(smtpreply_enhanced_lookup(&ec, NULL), "out");

    check_fill(&u, sizeof u);
    NULL_ARG(smtpreply_command_from_name(NULL, &u), "name");
    CHECK_UNTOUCHED(u);
    NULL_ARG(smtpreply_command_from_name("RCPT", NULL), "out");
    NULL_ARG(smtpreply_command_from_name("RC\xffPT", NULL), "out"); /* before the UTF-8 check */
    NULL_ARG(smtpreply_code_context_for(1000, UINT32_MAX, NULL), "out");
    NULL_ARG(smtpreply_code_context_at(0, SIZE_MAX, NULL), "out");
    NULL_ARG(smtpreply_code_severity(0, NULL), "out");
    NULL_ARG(smtpreply_code_category(UINT32_MAX, NULL), "out");
    NULL_ARG(smtpreply_enhanced_parse(LIT("junk"), NULL), "out");
    ec.status_class = 9;
    NULL_ARG(smtpreply_enhanced_lookup(&ec, NULL), "out");
    ec.status_class = 5;

    /* Control: the same calls with real pointers succeed. */
    CHECK_RESULT(smtpreply_code_lookup(250, &ci), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_code_context_for(220, SMTPREPLY_COMMAND_GREETING, &cc), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_command_from_name("RCPT", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_COMMAND_RCPT);
}

/* Every capabilities function with NULL in each pointer position, on a parsed handle and (for the
 * outputs) on an empty one: a NULL pointer is always NULL_PARAMETER. */
static void null_capabilities_functions(void) {
    smtpreply_capabilities *caps = smtpreply_capabilities_new(), *empty = smtpreply_capabilities_new();
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_capability cap;
    const uint8_t *p;
    size_t n, consumed;
    uint32_t a, b;
    uint64_t v;
    int round;

    NULL_ARG(smtpreply_capabilities_parse(NULL, LIT(EHLO)), "caps");
    NULL_ARG(smtpreply_capabilities_parse(caps, NULL, 10), "data");
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(EHLO)), SMTPREPLY_OK);

    CHECK_RESULT(smtpreply_parse_reply(LIT(EHLO), NULL, r, &consumed), SMTPREPLY_OK);
    NULL_ARG(smtpreply_capabilities_from_reply(NULL, r), "caps");
    NULL_ARG(smtpreply_capabilities_from_reply(caps, NULL), "reply");

    CHECK(!smtpreply_capabilities_has(NULL, "SIZE"));
    CHECK(!smtpreply_capabilities_has(caps, NULL));
    CHECK(smtpreply_capabilities_has(caps, "SIZE"));
    CHECK(!smtpreply_capabilities_supports_auth(NULL, "PLAIN"));
    CHECK(!smtpreply_capabilities_supports_auth(caps, NULL));
    CHECK(smtpreply_capabilities_supports_auth(caps, "PLAIN"));

    for (round = 0; round < 2; round++) {
        /* round 0: a parsed handle; round 1: an empty one. */
        smtpreply_capabilities *c = round == 0 ? caps : empty;

        check_fill(&n, sizeof n);
        NULL_ARG(smtpreply_capabilities_find(NULL, "SIZE", &n), "caps");
        NULL_ARG(smtpreply_capabilities_find(c, NULL, &n), "keyword");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_find(c, "SIZE", NULL), "out_index");

        NULL_ARG(smtpreply_capabilities_count(NULL, &n), "caps");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_count(c, NULL), "out_count");

        check_fill(&cap, sizeof cap);
        NULL_ARG(smtpreply_capabilities_get(NULL, 0, &cap), "caps");
        CHECK_UNTOUCHED(cap);
        NULL_ARG(smtpreply_capabilities_get(c, 0, NULL), "out");

        check_fill(&p, sizeof p);
        NULL_ARG(smtpreply_capabilities_param(NULL, 1, 0, &p, &n), "caps");
        NULL_ARG(smtpreply_capabilities_param(c, 1, 0, NULL, &n), "out_ptr");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_param(c, 1, 0, &p, NULL), "out_len");
        CHECK_UNTOUCHED(p);

        check_fill(&a, sizeof a);
        check_fill(&v, sizeof v);
        NULL_ARG(smtpreply_capabilities_size(NULL, &a, &v), "caps");
        NULL_ARG(smtpreply_capabilities_size(c, NULL, &v), "out_status");
        CHECK_UNTOUCHED(v);
        NULL_ARG(smtpreply_capabilities_size(c, &a, NULL), "out_limit");
        CHECK_UNTOUCHED(a);

        NULL_ARG(smtpreply_capabilities_auth_count(NULL, &n), "caps");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_auth_count(c, NULL), "out_count");

        NULL_ARG(smtpreply_capabilities_auth_mechanism(NULL, 0, &p, &n), "caps");
        NULL_ARG(smtpreply_capabilities_auth_mechanism(c, 0, NULL, &n), "out_ptr");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_auth_mechanism(c, 0, &p, NULL), "out_len");
        CHECK_UNTOUCHED(p);

        NULL_ARG(smtpreply_capabilities_domain(NULL, &p, &n), "caps");
        NULL_ARG(smtpreply_capabilities_domain(c, NULL, &n), "out_ptr");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_domain(c, &p, NULL), "out_len");
        CHECK_UNTOUCHED(p);

        NULL_ARG(smtpreply_capabilities_greeting(NULL, &p, &n), "caps");
        NULL_ARG(smtpreply_capabilities_greeting(c, NULL, &n), "out_ptr");
        CHECK_UNTOUCHED(n);
        NULL_ARG(smtpreply_capabilities_greeting(c, &p, NULL), "out_len");
        CHECK_UNTOUCHED(p);

        check_fill(&v, sizeof v);
        NULL_ARG(smtpreply_capabilities_extensions(NULL, &v), "caps");
        CHECK_UNTOUCHED(v);
        NULL_ARG(smtpreply_capabilities_extensions(c, NULL), "out_mask");

        check_fill(&a, sizeof a);
        check_fill(&b, sizeof b);
        NULL_ARG(smtpreply_capabilities_warnings(NULL, &a, &b), "caps");
        NULL_ARG(smtpreply_capabilities_warnings(c, NULL, &b), "out_caps_warnings");
        CHECK_UNTOUCHED(b);
        NULL_ARG(smtpreply_capabilities_warnings(c, &a, NULL), "out_reply_warnings");
        CHECK_UNTOUCHED(a);

        NULL_ARG(smtpreply_capabilities_limit(NULL, "RCPTMAX", &v), "caps");
        NULL_ARG(smtpreply_capabilities_limit(c, NULL, &v), "name");
        CHECK_UNTOUCHED(v);
        NULL_ARG(smtpreply_capabilities_limit(c, "RCPTMAX", NULL), "out_value");
        NULL_ARG(smtpreply_capabilities_limit(c, "RCPT\xff", NULL), "out_value");
        /* NULL outputs with an index out of range. */
        NULL_ARG(smtpreply_capabilities_get(c, SIZE_MAX, NULL), "out");
        NULL_ARG(smtpreply_capabilities_param(c, SIZE_MAX, SIZE_MAX, NULL, &n), "out_ptr");
        NULL_ARG(smtpreply_capabilities_auth_mechanism(c, SIZE_MAX, &p, NULL), "out_len");
    }

    /* Control: the parsed handle answers every call. */
    CHECK_RESULT(smtpreply_capabilities_find(caps, "SIZE", &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 1);
    CHECK_RESULT(smtpreply_capabilities_param(caps, 1, 0, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "1000");
    CHECK_RESULT(smtpreply_capabilities_limit(caps, "RCPTMAX", &v), SMTPREPLY_OK);
    CHECK_EQ_U(v, 10);
    CHECK_RESULT(smtpreply_capabilities_from_reply(caps, r), SMTPREPLY_OK);

    smtpreply_capabilities_free(caps);
    smtpreply_capabilities_free(empty);
    smtpreply_reply_free(r);
}

static void free_null(void) {
    smtpreply_reply_free(NULL);
    smtpreply_batch_free(NULL);
    smtpreply_capabilities_free(NULL);
    smtpreply_stream_free(NULL);
    CHECK(1); /* still alive */
}

/* ---------------------------------------------------------------- lengths */

static void zero_and_huge_lengths(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_batch *b = smtpreply_batch_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_stream *s = NULL;
    smtpreply_enhanced_code ec;
    static const uint8_t one[1] = { '2' };
    size_t consumed, n;

    /* data == NULL with len == 0 is the empty input. */
    FAILS_1(smtpreply_parse_reply(NULL, 0, NULL, r, &consumed), SMTPREPLY_NEED_MORE, consumed);
    FAILS_1(smtpreply_parse_batch(b, NULL, 0, NULL, &consumed), SMTPREPLY_NEED_MORE, consumed);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, NULL, 0), SMTPREPLY_NEED_MORE);
    FAILS_1(smtpreply_enhanced_parse(NULL, 0, &ec), SMTPREPLY_INVALID_INPUT, ec);
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, NULL, 0), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);

    /* A real pointer with len == 0: also empty. */
    FAILS_1(smtpreply_parse_reply(one, 0, NULL, r, &consumed), SMTPREPLY_NEED_MORE, consumed);
    FAILS_1(smtpreply_parse_batch(b, one, 0, NULL, &consumed), SMTPREPLY_NEED_MORE, consumed);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, one, 0), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_stream_feed(s, one, 0), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);

    /* Lengths no object can have are refused before the pointer is used. */
    FAILS_1(smtpreply_parse_reply(one, SIZE_MAX, NULL, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    CHECK_CONTAINS(smtpreply_last_error_message(), "length");
    FAILS_1(smtpreply_parse_batch(b, one, SIZE_MAX, NULL, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, one, SIZE_MAX), SMTPREPLY_INVALID_INPUT);
    FAILS_1(smtpreply_enhanced_parse(one, SIZE_MAX, &ec), SMTPREPLY_INVALID_INPUT, ec);
    CHECK_RESULT(smtpreply_stream_feed(s, one, SIZE_MAX), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_stream_feed(s, one, SIZE_MAX / 2 + 1), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);

    smtpreply_stream_free(s);
    smtpreply_capabilities_free(caps);
    smtpreply_batch_free(b);
    smtpreply_reply_free(r);
}

static void truncated_input(void) {
    static const char *const partial[] = { "2", "25", "250", "250 ", "250 OK", "250 OK\r", "250-x\r\n",
                                           "250-first\r\n250 sec", "250-first\r\n250-second\r\n" };
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_batch *b = smtpreply_batch_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    size_t i, consumed, n;
    for (i = 0; i < sizeof partial / sizeof partial[0]; i++) {
        const uint8_t *d = (const uint8_t *)partial[i];
        size_t len = strlen(partial[i]);
        smtpreply_stream *s = NULL;
        FAILS_1(smtpreply_parse_reply(d, len, NULL, r, &consumed), SMTPREPLY_NEED_MORE, consumed);
        FAILS_1(smtpreply_parse_batch(b, d, len, NULL, &consumed), SMTPREPLY_NEED_MORE, consumed);
        CHECK_RESULT(smtpreply_capabilities_parse(caps, d, len), SMTPREPLY_NEED_MORE);
        CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_stream_feed(s, d, len), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_NEED_MORE);
        CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_TRUNCATED);
        CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
        CHECK_EQ_U(n, len);
        smtpreply_stream_free(s);
    }
    /* The reply handle never received anything. */
    {
        smtpreply_reply_info info;
        FAILS_1(smtpreply_reply_get_info(r, &info), SMTPREPLY_INVALID_INPUT, info);
    }
    smtpreply_capabilities_free(caps);
    smtpreply_batch_free(b);
    smtpreply_reply_free(r);
}

static void oversized_input(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_batch *b = smtpreply_batch_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_parser_options o;
    smtpreply_reply_info info;
    smtpreply_line line;
    smtpreply_stream *s = NULL;
    size_t consumed, n, big = 1024 * 1024, i;
    uint8_t *mb, *feed;

    /* A reply above max_reply (each line within max_line). */
    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    o.max_reply = 100;
    {
        static const char three[] = "250-0123456789012345678901234567890123456789\r\n"
                                    "250-0123456789012345678901234567890123456789\r\n"
                                    "250 0123456789012345678901234567890123456789\r\n";
        FAILS_1(smtpreply_parse_reply(LIT(three), &o, r, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
        CHECK_CONTAINS(smtpreply_last_error_message(), "100");
        FAILS_1(smtpreply_parse_batch(b, LIT(three), &o, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
        o.max_reply = 0; /* 0 = the default: it fits */
        CHECK_RESULT(smtpreply_parse_reply(LIT(three), &o, r, &consumed), SMTPREPLY_OK);
        CHECK_EQ_U(consumed, sizeof three - 1);
    }
    /* A line above max_line. */
    o.max_line = 10;
    FAILS_1(smtpreply_parse_reply(LIT("250 0123456789\r\n"), &o, r, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
    FAILS_1(smtpreply_parse_reply(LIT("250 01234\r\n"), &o, r, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 0123\r\n"), &o, r, &consumed), SMTPREPLY_OK); /* 10 bytes */
    CHECK_EQ_U(consumed, 10);

    /* A 1 MB line: refused by the defaults (also when it has not ended yet), accepted when the caps
     * allow it. */
    mb = malloc(big + 6);
    CHECK(mb != NULL);
    memcpy(mb, "250 ", 4);
    memset(mb + 4, 'x', big);
    memcpy(mb + 4 + big, "\r\n", 2);
    FAILS_1(smtpreply_parse_reply(mb, big + 6, NULL, r, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
    FAILS_1(smtpreply_parse_reply(mb, big, NULL, r, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
    FAILS_1(smtpreply_parse_batch(b, mb, big + 6, NULL, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, mb, big + 6), SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    o.max_line = 2 * big;
    o.max_reply = 2 * big;
    o.max_buffer = 2 * big;
    CHECK_RESULT(smtpreply_parse_reply(mb, big + 6, &o, r, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, big + 6);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.warnings, SMTPREPLY_WARNING_LONG_LINE);
    CHECK_EQ_U(info.raw_len, big + 6);
    CHECK_RESULT(smtpreply_reply_get_line(r, 0, &line), SMTPREPLY_OK);
    CHECK_EQ_U(line.text_len, big);
    CHECK(line.text[0] == 'x' && line.text[big - 1] == 'x');

    /* A stream refuses to buffer past max_buffer and appends nothing of the refused chunk. */
    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    o.max_reply = 100;
    o.max_buffer = 200;
    CHECK_RESULT(smtpreply_stream_new(&o, &s), SMTPREPLY_OK);
    feed = malloc(300);
    CHECK(feed != NULL);
    for (i = 0; i < 300; i += 10) memcpy(feed + i, "250 abcd\r\n", 10);
    CHECK_RESULT(smtpreply_stream_feed(s, feed, 150), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, feed, 60), SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "200");
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 150);
    CHECK_RESULT(smtpreply_stream_feed(s, feed, 50), SMTPREPLY_OK); /* exactly full */
    CHECK_RESULT(smtpreply_stream_feed(s, feed, 1), SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 200);
    /* Taking replies out makes room again. */
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, feed, 10), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 200);
    smtpreply_stream_free(s);
    /* The default stream refuses a chunk above 1 MiB at once. */
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, mb, big + 6), SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);
    /* ... and an endless line fed within the buffer fails at the line cap. */
    CHECK_RESULT(smtpreply_stream_feed(s, mb, 8192), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_LIMIT_EXCEEDED);
    smtpreply_stream_free(s);

    free(feed);
    free(mb);
    smtpreply_capabilities_free(caps);
    smtpreply_batch_free(b);
    smtpreply_reply_free(r);
}

/* ---------------------------------------------------------------- odd bytes */

static void odd_bytes(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_parser_options strict;
    smtpreply_reply_info info;
    smtpreply_line line;
    size_t consumed, n;
    uint32_t cw, rw, u;
    uint64_t v;

    CHECK_RESULT(smtpreply_parser_options_init(&strict), SMTPREPLY_OK);
    strict.flags = SMTPREPLY_PARSE_STRICT;

    /* NUL inside the text: kept, flagged as a control character. */
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 a\0b\r\n"), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 9);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.warnings, SMTPREPLY_WARNING_CONTROL_CHAR);
    CHECK_BYTES(info.raw, info.raw_len, "250 a\0b\r\n");
    CHECK_RESULT(smtpreply_reply_get_line(r, 0, &line), SMTPREPLY_OK);
    CHECK_BYTES(line.text, line.text_len, "a\0b");
    FAILS_1(smtpreply_parse_reply(LIT("250 a\0b\r\n"), &strict, r, &consumed), SMTPREPLY_STRICT_VIOLATION, consumed);
    CHECK_CONTAINS(smtpreply_last_error_message(), "control characters");

    /* Bytes that are not UTF-8: kept, flagged. */
    CHECK_RESULT(smtpreply_parse_reply(LIT("550-\xff\xfe\x80\r\n550 5.1.1 \xc0\xaf\r\n"), NULL, r, &consumed),
                 SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.warnings, SMTPREPLY_WARNING_NON_ASCII | SMTPREPLY_WARNING_ENHANCED_PARTIAL);
    CHECK(info.has_enhanced);
    CHECK_RESULT(smtpreply_reply_get_line(r, 0, &line), SMTPREPLY_OK);
    CHECK_BYTES(line.text, line.text_len, "\xff\xfe\x80");
    CHECK_RESULT(smtpreply_reply_get_line(r, 1, &line), SMTPREPLY_OK);
    CHECK_BYTES(line.text, line.text_len, "\xc0\xaf");
    FAILS_1(smtpreply_parse_reply(LIT("250 \xff\r\n"), &strict, r, &consumed), SMTPREPLY_STRICT_VIOLATION, consumed);

    /* NUL, escape and DEL in one line, and a NUL right after the code. */
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 \x1b[0m\x7f\r\n"), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.warnings, SMTPREPLY_WARNING_CONTROL_CHAR);
    FAILS_1(smtpreply_parse_reply(LIT("250\0OK\r\n"), NULL, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    FAILS_1(smtpreply_parse_reply(LIT("2\0" "50 OK\r\n"), NULL, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    FAILS_1(smtpreply_parse_reply(LIT("\0\0\0\0\0\0"), NULL, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
    FAILS_1(smtpreply_parse_reply(LIT("\xef\xbb\xbf" "250 OK\r\n"), NULL, r, &consumed), SMTPREPLY_INVALID_INPUT,
            consumed); /* a BOM is not a reply code */

    /* EHLO: a line with a NUL or non-UTF-8 bytes is malformed and skipped; the rest parses. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\xff\r\n250-SIZE\0001\r\n250-X \xc3\xbc\r\n"
                                                        "250 8BITMIME\r\n")),
                 SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 1);
    CHECK(smtpreply_capabilities_has(caps, "8BITMIME"));
    CHECK(!smtpreply_capabilities_has(caps, "SIZE"));
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK(cw & SMTPREPLY_CAPS_WARNING_MALFORMED_LINE);
    CHECK_EQ_U(rw, SMTPREPLY_WARNING_NON_ASCII | SMTPREPLY_WARNING_CONTROL_CHAR);
    /* Non-UTF-8 identifiers from C: no match, or INVALID_INPUT where a result code is returned. */
    CHECK(!smtpreply_capabilities_has(caps, "8BIT\xff"));
    CHECK(!smtpreply_capabilities_supports_auth(caps, "PL\xff" "AIN"));
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n250 LIMITS RCPTMAX=5\r\n")), SMTPREPLY_OK);
    FAILS_1(smtpreply_capabilities_limit(caps, "RCPT\xff", &v), SMTPREPLY_INVALID_INPUT, v);
    FAILS_1(smtpreply_capabilities_limit(caps, "MAILMAX", &v), SMTPREPLY_NOT_FOUND, v);
    FAILS_1(smtpreply_capabilities_limit(caps, "", &v), SMTPREPLY_NOT_FOUND, v);
    FAILS_1(smtpreply_capabilities_find(caps, "SIZE", &n), SMTPREPLY_NOT_FOUND, n);
    FAILS_1(smtpreply_capabilities_find(caps, "", &n), SMTPREPLY_NOT_FOUND, n);
    FAILS_1(smtpreply_command_from_name("RC\xffPT", &u), SMTPREPLY_INVALID_INPUT, u);
    FAILS_1(smtpreply_command_from_name("", &u), SMTPREPLY_NOT_FOUND, u);
    FAILS_1(smtpreply_command_from_name("RCPTX", &u), SMTPREPLY_NOT_FOUND, u);

    smtpreply_capabilities_free(caps);
    smtpreply_reply_free(r);
}

/* ---------------------------------------------------------------- numbers from C */

static void out_of_range_numbers(void) {
    static const uint32_t bad_codes[] = { 0, 1, 99, 199, 600, 999, 1000, 2500, 0x80000000u, UINT32_MAX };
    smtpreply_code_info ci;
    smtpreply_code_context cc;
    smtpreply_enhanced_code ec;
    smtpreply_enhanced_info ei;
    uint32_t u;
    size_t i;

    for (i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
        uint32_t c = bad_codes[i];
        FAILS_1(smtpreply_code_lookup(c, &ci), SMTPREPLY_OUT_OF_RANGE, ci);
        FAILS_1(smtpreply_code_severity(c, &u), SMTPREPLY_OUT_OF_RANGE, u);
        FAILS_1(smtpreply_code_category(c, &u), SMTPREPLY_OUT_OF_RANGE, u);
        FAILS_1(smtpreply_code_context_at(c, 0, &cc), SMTPREPLY_OUT_OF_RANGE, cc);
        FAILS_1(smtpreply_code_context_for(c, SMTPREPLY_COMMAND_RCPT, &cc), SMTPREPLY_OUT_OF_RANGE, cc);
    }
    /* The edges are accepted. */
    CHECK_RESULT(smtpreply_code_lookup(200, &ci), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_code_lookup(599, &ci), SMTPREPLY_OK);

    /* Command numbers. */
    FAILS_1(smtpreply_code_context_for(220, 23, &cc), SMTPREPLY_INVALID_INPUT, cc);
    CHECK_CONTAINS(smtpreply_last_error_message(), "23");
    FAILS_1(smtpreply_code_context_for(220, UINT32_MAX, &cc), SMTPREPLY_INVALID_INPUT, cc);
    FAILS_1(smtpreply_code_context_for(220, 0x80000000u, &cc), SMTPREPLY_INVALID_INPUT, cc);
    CHECK(smtpreply_command_name(23) == NULL);
    CHECK(smtpreply_command_name(UINT32_MAX) == NULL);
    CHECK_STR(smtpreply_command_name(22), "TURN");
    CHECK_STR(smtpreply_command_name(0), "UNKNOWN");
    /* A valid command with no specific meaning is NOT_FOUND, not an error about the number. */
    FAILS_1(smtpreply_code_context_for(220, SMTPREPLY_COMMAND_TURN, &cc), SMTPREPLY_NOT_FOUND, cc);

    /* Context index. */
    FAILS_1(smtpreply_code_context_at(220, SIZE_MAX, &cc), SMTPREPLY_OUT_OF_RANGE, cc);
    FAILS_1(smtpreply_code_context_at(299, 0, &cc), SMTPREPLY_OUT_OF_RANGE, cc); /* a code without contexts */

    /* Enhanced codes from numbers. */
    {
        static const uint32_t bad[][3] = { { 0, 0, 0 },    { 1, 1, 1 },    { 3, 1, 1 },          { 6, 1, 1 },
                                           { 5, 1000, 0 }, { 5, 0, 1000 }, { 2, UINT32_MAX, 0 }, { UINT32_MAX, 1, 1 },
                                           { 4, 7, UINT32_MAX } };
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            ec.status_class = bad[i][0];
            ec.subject = bad[i][1];
            ec.detail = bad[i][2];
            FAILS_1(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OUT_OF_RANGE, ei);
        }
        ec.status_class = 5;
        ec.subject = 999;
        ec.detail = 999;
        CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
        CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_UNREGISTERED);
        CHECK(ei.subject_name == NULL);
    }

    /* Names of numbers that are not defined. */
    CHECK(smtpreply_extension_keyword(0) == NULL);
    CHECK(smtpreply_extension_keyword(36) == NULL);
    CHECK(smtpreply_extension_keyword(64) == NULL);
    CHECK(smtpreply_extension_keyword(UINT32_MAX) == NULL);
    CHECK(smtpreply_extension_description(0) == NULL);
    CHECK(smtpreply_extension_description(36) == NULL);
    CHECK(smtpreply_extension_description(UINT32_MAX) == NULL);
    CHECK(smtpreply_warning_name(0) == NULL);
    CHECK(smtpreply_warning_name(1u << 11) == NULL);
    CHECK(smtpreply_warning_name(SMTPREPLY_WARNING_BARE_LF | SMTPREPLY_WARNING_BARE_CR) == NULL);
    CHECK(smtpreply_warning_name(UINT32_MAX) == NULL);
    CHECK(smtpreply_warning_description(0) == NULL);
    CHECK(smtpreply_warning_description(1u << 31) == NULL);
    CHECK(smtpreply_warning_description(3) == NULL);
    CHECK(smtpreply_caps_warning_name(0) == NULL);
    CHECK(smtpreply_caps_warning_name(1u << 6) == NULL);
    CHECK(smtpreply_caps_warning_name(3) == NULL);
    CHECK(smtpreply_caps_warning_name(UINT32_MAX) == NULL);
}

static void bad_options(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_batch *b = smtpreply_batch_new();
    smtpreply_stream *s;
    smtpreply_parser_options o;
    size_t consumed;
    static const uint32_t bad_flags[] = { 2, 3, 0x100, 0x80000000u, UINT32_MAX };
    static const size_t bad_sizes[] = { 1, 2, 4, ((size_t)1 << 30) + 1, (size_t)1 << 31, SIZE_MAX };
    size_t i;

    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    CHECK_EQ_U(o.max_line, 4096);
    CHECK_EQ_U(o.max_reply, 65536);
    CHECK_EQ_U(o.max_buffer, 1048576);
    CHECK_EQ_U(o.flags, 0);

    for (i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
        o.flags = bad_flags[i];
        FAILS_1(smtpreply_parse_reply(LIT("250 OK\r\n"), &o, r, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
        CHECK_CONTAINS(smtpreply_last_error_message(), "flags");
        FAILS_1(smtpreply_parse_batch(b, LIT("250 OK\r\n"), &o, &consumed), SMTPREPLY_INVALID_INPUT, consumed);
        FAILS_1(smtpreply_stream_new(&o, &s), SMTPREPLY_INVALID_INPUT, s);
    }
    for (i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        int field;
        for (field = 0; field < 3; field++) {
            CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
            if (field == 0) o.max_line = bad_sizes[i];
            if (field == 1) o.max_reply = bad_sizes[i];
            if (field == 2) o.max_buffer = bad_sizes[i];
            FAILS_1(smtpreply_parse_reply(LIT("250 OK\r\n"), &o, r, &consumed), SMTPREPLY_OUT_OF_RANGE, consumed);
            FAILS_1(smtpreply_parse_batch(b, LIT("250 OK\r\n"), &o, &consumed), SMTPREPLY_OUT_OF_RANGE, consumed);
            FAILS_1(smtpreply_stream_new(&o, &s), SMTPREPLY_OUT_OF_RANGE, s);
        }
    }
    /* max_buffer below max_reply. */
    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    o.max_reply = 1000;
    o.max_buffer = 999;
    FAILS_1(smtpreply_stream_new(&o, &s), SMTPREPLY_OUT_OF_RANGE, s);
    CHECK_CONTAINS(smtpreply_last_error_message(), "max_buffer");
    /* The limits themselves are accepted: 5 and 2^30. */
    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    o.max_line = 5;
    CHECK_RESULT(smtpreply_parse_reply(LIT("250\r\n"), &o, r, &consumed), SMTPREPLY_OK);
    FAILS_1(smtpreply_parse_reply(LIT("250 \r\n"), &o, r, &consumed), SMTPREPLY_LIMIT_EXCEEDED, consumed);
    o.max_line = (size_t)1 << 30;
    o.max_reply = (size_t)1 << 30;
    o.max_buffer = (size_t)1 << 30;
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 OK\r\n"), &o, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_new(&o, &s), SMTPREPLY_OK);
    smtpreply_stream_free(s);
    /* Zero fields mean the defaults. */
    memset(&o, 0, sizeof o);
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 OK\r\n"), &o, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_new(&o, &s), SMTPREPLY_OK);
    smtpreply_stream_free(s);

    smtpreply_batch_free(b);
    smtpreply_reply_free(r);
}

static void bad_indexes(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_line line;
    smtpreply_capability cap;
    const uint8_t *p;
    size_t consumed, n, count;

    CHECK_RESULT(smtpreply_parse_reply(LIT("250-a\r\n250 b\r\n"), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_reply_get_line(r, 1, &line), SMTPREPLY_OK);
    FAILS_1(smtpreply_reply_get_line(r, 2, &line), SMTPREPLY_OUT_OF_RANGE, line);
    CHECK_CONTAINS(smtpreply_last_error_message(), "2");
    FAILS_1(smtpreply_reply_get_line(r, SIZE_MAX, &line), SMTPREPLY_OUT_OF_RANGE, line);

    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(EHLO)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_count(caps, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 4);
    CHECK_RESULT(smtpreply_capabilities_get(caps, count - 1, &cap), SMTPREPLY_OK);
    FAILS_1(smtpreply_capabilities_get(caps, count, &cap), SMTPREPLY_OUT_OF_RANGE, cap);
    FAILS_1(smtpreply_capabilities_get(caps, SIZE_MAX, &cap), SMTPREPLY_OUT_OF_RANGE, cap);
    FAILS_2(smtpreply_capabilities_param(caps, count, 0, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n);
    FAILS_2(smtpreply_capabilities_param(caps, SIZE_MAX, 0, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n);
    FAILS_2(smtpreply_capabilities_param(caps, 0, 0, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n); /* no params */
    FAILS_2(smtpreply_capabilities_param(caps, 1, 1, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n);
    FAILS_2(smtpreply_capabilities_param(caps, 1, SIZE_MAX, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n);
    FAILS_2(smtpreply_capabilities_auth_mechanism(caps, 2, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n);
    FAILS_2(smtpreply_capabilities_auth_mechanism(caps, SIZE_MAX, &p, &n), SMTPREPLY_OUT_OF_RANGE, p, n);

    smtpreply_capabilities_free(caps);
    smtpreply_reply_free(r);
}

static void bad_enhanced_strings(void) {
    static const struct {
        const char *s;
        size_t len;
        uint32_t expected;
    } bad[] = {
        { "5.01.1", 6, SMTPREPLY_INVALID_INPUT },   { "", 0, SMTPREPLY_INVALID_INPUT },
        { "5.1", 3, SMTPREPLY_INVALID_INPUT },      { "a.b.c", 5, SMTPREPLY_INVALID_INPUT },
        { "\xff.1.1", 5, SMTPREPLY_INVALID_INPUT }, { "5.1.1\xff", 6, SMTPREPLY_INVALID_INPUT },
        { "5.1.1\0", 6, SMTPREPLY_INVALID_INPUT },  { "5\0.1.1", 6, SMTPREPLY_INVALID_INPUT },
        { "5.1.1x", 6, SMTPREPLY_INVALID_INPUT },   { "5..1", 4, SMTPREPLY_INVALID_INPUT },
        { "5.1.", 4, SMTPREPLY_INVALID_INPUT },     { ".5.1.1", 6, SMTPREPLY_INVALID_INPUT },
        { "5.1.1.1", 7, SMTPREPLY_INVALID_INPUT },  { "#5.1.1", 6, SMTPREPLY_INVALID_INPUT },
        { "-5.1.1", 6, SMTPREPLY_INVALID_INPUT },   { "5.1.01", 6, SMTPREPLY_INVALID_INPUT },
        { "   ", 3, SMTPREPLY_INVALID_INPUT },      { "5.1.1000", 8, SMTPREPLY_OUT_OF_RANGE },
        { "5.1000.1", 8, SMTPREPLY_OUT_OF_RANGE },  { "6.1.1", 5, SMTPREPLY_OUT_OF_RANGE },
        { "3.0.0", 5, SMTPREPLY_OUT_OF_RANGE },     { "0.0.0", 5, SMTPREPLY_OUT_OF_RANGE },
        { "5.1.99999999999999999999", 24, SMTPREPLY_OUT_OF_RANGE },
    };
    smtpreply_enhanced_code ec;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        check_fill(&ec, sizeof ec);
        if (smtpreply_enhanced_parse((const uint8_t *)bad[i].s, bad[i].len, &ec) != bad[i].expected) {
            fprintf(stderr, "enhanced string #%lu: ", (unsigned long)i);
            check_print_bytes(bad[i].s, bad[i].len);
            fprintf(stderr, "\n");
        }
        CHECK_RESULT(smtpreply_enhanced_parse((const uint8_t *)bad[i].s, bad[i].len, &ec), bad[i].expected);
        CHECK_UNTOUCHED(ec);
    }
    /* Surrounding spaces are allowed. */
    CHECK_RESULT(smtpreply_enhanced_parse(LIT(" 5.7.26 "), &ec), SMTPREPLY_OK);
    CHECK_EQ_U(ec.status_class, 5);
    CHECK_EQ_U(ec.subject, 7);
    CHECK_EQ_U(ec.detail, 26);
    /* The length is what counts, not a NUL: "5.7.26" followed by garbage the length excludes. */
    CHECK_RESULT(smtpreply_enhanced_parse((const uint8_t *)"5.7.26junk", 6, &ec), SMTPREPLY_OK);
    CHECK_EQ_U(ec.detail, 26);
}

/* ---------------------------------------------------------------- empty handles */

static void empty_handles(void) {
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_stream *s = NULL;
    smtpreply_reply_info info;
    smtpreply_line line;
    smtpreply_capability cap;
    const uint8_t *p;
    size_t n;
    uint32_t a, b;
    uint64_t v;

    CHECK(r != NULL && caps != NULL);
    FAILS_1(smtpreply_reply_get_info(r, &info), SMTPREPLY_INVALID_INPUT, info);
    CHECK_CONTAINS(smtpreply_last_error_message(), "no parsed reply");
    FAILS_1(smtpreply_reply_get_line(r, 0, &line), SMTPREPLY_INVALID_INPUT, line);
    CHECK_RESULT(smtpreply_capabilities_from_reply(caps, r), SMTPREPLY_INVALID_INPUT);

    CHECK(!smtpreply_capabilities_has(caps, "SIZE"));
    CHECK(!smtpreply_capabilities_supports_auth(caps, "PLAIN"));
    FAILS_1(smtpreply_capabilities_find(caps, "SIZE", &n), SMTPREPLY_INVALID_INPUT, n);
    CHECK_CONTAINS(smtpreply_last_error_message(), "no EHLO reply");
    FAILS_1(smtpreply_capabilities_count(caps, &n), SMTPREPLY_INVALID_INPUT, n);
    FAILS_1(smtpreply_capabilities_get(caps, 0, &cap), SMTPREPLY_INVALID_INPUT, cap);
    FAILS_2(smtpreply_capabilities_param(caps, 0, 0, &p, &n), SMTPREPLY_INVALID_INPUT, p, n);
    FAILS_2(smtpreply_capabilities_size(caps, &a, &v), SMTPREPLY_INVALID_INPUT, a, v);
    FAILS_1(smtpreply_capabilities_auth_count(caps, &n), SMTPREPLY_INVALID_INPUT, n);
    FAILS_2(smtpreply_capabilities_auth_mechanism(caps, 0, &p, &n), SMTPREPLY_INVALID_INPUT, p, n);
    FAILS_2(smtpreply_capabilities_domain(caps, &p, &n), SMTPREPLY_INVALID_INPUT, p, n);
    FAILS_2(smtpreply_capabilities_greeting(caps, &p, &n), SMTPREPLY_INVALID_INPUT, p, n);
    FAILS_1(smtpreply_capabilities_extensions(caps, &v), SMTPREPLY_INVALID_INPUT, v);
    FAILS_2(smtpreply_capabilities_warnings(caps, &a, &b), SMTPREPLY_INVALID_INPUT, a, b);
    FAILS_1(smtpreply_capabilities_limit(caps, "RCPTMAX", &v), SMTPREPLY_INVALID_INPUT, v);

    /* A failed parse into a handle that held capabilities keeps the old ones. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(EHLO)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("554 go away\r\n")), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n")), SMTPREPLY_NEED_MORE);
    CHECK(smtpreply_capabilities_has(caps, "PIPELINING"));

    /* A fresh stream: nothing pending, nothing to take, finishing is fine. */
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_skip_line(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);
    FAILS_1(smtpreply_reply_get_info(r, &info), SMTPREPLY_INVALID_INPUT, info);
    smtpreply_stream_free(s);

    smtpreply_capabilities_free(caps);
    smtpreply_reply_free(r);
}

/* A stream that meets garbage stays at it until the caller skips the line. */
static void stream_garbage(void) {
    smtpreply_stream *s = NULL;
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_reply_info info;
    size_t n;
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n250 OK\r\n")),
                 SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_INVALID_INPUT);
    FAILS_1(smtpreply_reply_get_info(r, &info), SMTPREPLY_INVALID_INPUT, info);
    CHECK_RESULT(smtpreply_stream_skip_line(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 13);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.code, 250);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);
    /* skip_line without an LF drops everything pending. */
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("garbage")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_skip_line(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 7);
    CHECK_RESULT(smtpreply_stream_pending(s, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);
    smtpreply_stream_free(s);
    smtpreply_reply_free(r);
}

/* ---------------------------------------------------------------- misaligned pointers */

/* A pointer one byte past an aligned one. C cannot make a misaligned pointer portably; the integer
 * round trip is implementation-defined and does what is meant with GCC and Clang. The library must
 * refuse it (INVALID_INPUT) without writing through it. */
static void *misaligned(void *p) {
    return (void *)((uintptr_t)p + 1);
}

static void misaligned_pointers(void) {
    /* Storage aligned for any output type, with room for one byte of offset. */
    union {
        uint64_t force_alignment;
        unsigned char bytes[sizeof(smtpreply_enhanced_info) + 16];
    } buf;
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_parser_options o;
    smtpreply_reply_info info;
    smtpreply_enhanced_code ec = { 5, 1, 1 };
    size_t consumed;

    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(EHLO)), SMTPREPLY_OK);

    check_fill(&buf, sizeof buf);
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 OK\r\n"), NULL, r, (size_t *)misaligned(buf.bytes)),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "aligned");
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_reply_get_info(r, (smtpreply_reply_info *)misaligned(buf.bytes)), SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_code_lookup(250, (smtpreply_code_info *)misaligned(buf.bytes)), SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, (smtpreply_enhanced_info *)misaligned(buf.bytes)),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_enhanced_parse(LIT("5.1.1"), (smtpreply_enhanced_code *)misaligned(buf.bytes)),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_capabilities_size(caps, (uint32_t *)misaligned(buf.bytes), (uint64_t *)(void *)buf.bytes),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_capabilities_extensions(caps, (uint64_t *)misaligned(buf.bytes)), SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    /* Misaligned inputs: options and handles. */
    memcpy(buf.bytes + 1, &o, sizeof o);
    CHECK_RESULT(smtpreply_parse_reply(LIT("250 OK\r\n"), (const smtpreply_parser_options *)misaligned(buf.bytes), r,
                                       &consumed),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_reply_get_info((const smtpreply_reply *)misaligned(r), &info), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_capabilities_count((const smtpreply_capabilities *)misaligned(caps), &consumed),
                 SMTPREPLY_INVALID_INPUT);

    smtpreply_capabilities_free(caps);
    smtpreply_reply_free(r);
}

/* ---------------------------------------------------------------- classification */

/* NULL for every pointer of the classification functions, lengths no object can have, numbers out
 * of range, misaligned pointers. (test_classify.c covers blank, oversized and odd input.) */
static void classify_functions(void) {
    static const char text[] = "552 5.2.2 Mailbox full";
    static const uint8_t one[1] = { '5' };
    smtpreply_reply *r = smtpreply_reply_new(), *empty = smtpreply_reply_new();
    smtpreply_classification c, many[2];
    size_t bounds[3] = { 0, 22, 22 };
    size_t consumed;
    uint32_t u;
    union {
        uint64_t force_alignment;
        unsigned char bytes[sizeof(smtpreply_classification) + 16];
    } buf;

    CHECK_RESULT(smtpreply_parse_reply(LIT("552 5.2.2 Mailbox full\r\n"), NULL, r, &consumed), SMTPREPLY_OK);

    check_fill(&c, sizeof c);
    NULL_ARG(smtpreply_classify(NULL, 22, 0, &c), "data");
    CHECK_UNTOUCHED(c);
    NULL_ARG(smtpreply_classify(LIT(text), 0, NULL), "out");
    /* NULL wins over every other fault: blank input, bad command, impossible length. */
    NULL_ARG(smtpreply_classify(LIT("   "), 0, NULL), "out");
    NULL_ARG(smtpreply_classify(LIT(text), 23, NULL), "out");
    NULL_ARG(smtpreply_classify(one, SIZE_MAX, UINT32_MAX, NULL), "out");
    NULL_ARG(smtpreply_classify(NULL, 22, 23, &c), "data");
    CHECK_UNTOUCHED(c);

    NULL_ARG(smtpreply_classify_reply(NULL, 0, &c), "reply");
    CHECK_UNTOUCHED(c);
    NULL_ARG(smtpreply_classify_reply(r, 0, NULL), "out");
    NULL_ARG(smtpreply_classify_reply(empty, 23, NULL), "out");
    NULL_ARG(smtpreply_classify_reply(NULL, 23, &c), "reply");
    CHECK_UNTOUCHED(c);

    check_fill(&many, sizeof many);
    bounds[2] = 22;
    NULL_ARG(smtpreply_classify_many(NULL, 22, bounds, 1, NULL, many), "data");
    NULL_ARG(smtpreply_classify_many(LIT(text), NULL, 1, NULL, many), "bounds");
    NULL_ARG(smtpreply_classify_many(LIT(text), bounds, 1, NULL, NULL), "out");
    CHECK_UNTOUCHED(many);
    /* count == 0: nothing is read or written, NULL pointers included. */
    CHECK_RESULT(smtpreply_classify_many(NULL, 0, NULL, 0, NULL, NULL), SMTPREPLY_OK);

    check_fill(&u, sizeof u);
    NULL_ARG(smtpreply_reason_from_name(NULL, &u), "name");
    CHECK_UNTOUCHED(u);
    NULL_ARG(smtpreply_reason_from_name("mailbox_full", NULL), "out");
    NULL_ARG(smtpreply_reason_from_name("nonsense", NULL), "out");
    NULL_ARG(smtpreply_reason_from_name("\xff", NULL), "out");

    /* Lengths no object can have. */
    FAILS_1(smtpreply_classify(one, SIZE_MAX, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "length");
    FAILS_1(smtpreply_classify(one, SIZE_MAX / 2 + 1, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify_many(one, SIZE_MAX, bounds, 1, NULL, many), SMTPREPLY_INVALID_INPUT, many);
    FAILS_1(smtpreply_classify_many(LIT(text), bounds, SIZE_MAX, NULL, many), SMTPREPLY_INVALID_INPUT, many);
    /* Empty input: a real pointer or NULL with len 0. */
    FAILS_1(smtpreply_classify(NULL, 0, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify(one, 0, 0, &c), SMTPREPLY_INVALID_INPUT, c);

    /* Numbers out of range. */
    FAILS_1(smtpreply_classify(LIT(text), 23, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify(LIT(text), UINT32_MAX, &c), SMTPREPLY_INVALID_INPUT, c);
    FAILS_1(smtpreply_classify_reply(r, 0x80000000u, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK(smtpreply_reason_name(26) == NULL);
    CHECK(smtpreply_reason_name(UINT32_MAX) == NULL);
    CHECK(smtpreply_reason_explanation(26) == NULL);
    CHECK(smtpreply_reason_advice(UINT32_MAX) == NULL);
    CHECK(smtpreply_bounce_name(3) == NULL);
    CHECK(smtpreply_bounce_name(UINT32_MAX) == NULL);
    CHECK(smtpreply_action_name(7) == NULL);
    CHECK(smtpreply_action_name(UINT32_MAX) == NULL);
    CHECK(smtpreply_blocklist_name(SMTPREPLY_BLOCKLIST_NONE) == NULL);
    CHECK(smtpreply_blocklist_name(1000) == NULL);
    CHECK(smtpreply_blocklist_name(0x80000000u) == NULL);
    CHECK(smtpreply_blocklist_name(UINT32_MAX) == NULL);
    CHECK(smtpreply_rule_kind_name(6) == NULL);
    CHECK(smtpreply_rule_kind_name(UINT32_MAX) == NULL);
    FAILS_1(smtpreply_reason_from_name("nonsense", &u), SMTPREPLY_NOT_FOUND, u);
    FAILS_1(smtpreply_reason_from_name("", &u), SMTPREPLY_NOT_FOUND, u);
    FAILS_1(smtpreply_reason_from_name("mailbox\xff", &u), SMTPREPLY_INVALID_INPUT, u);

    /* Empty handle. */
    FAILS_1(smtpreply_classify_reply(empty, 0, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_CONTAINS(smtpreply_last_error_message(), "no parsed reply");

    /* Misaligned pointers: refused, nothing written (smtpreply_classify_many too: see
     * test_classify.c regressions). */
    check_fill(&buf, sizeof buf);
    CHECK_RESULT(smtpreply_classify(LIT(text), 0, (smtpreply_classification *)misaligned(buf.bytes)),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "aligned");
    CHECK_UNTOUCHED(buf);
    CHECK_RESULT(smtpreply_classify_reply(r, 0, (smtpreply_classification *)misaligned(buf.bytes)),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);
    FAILS_1(smtpreply_classify_reply((const smtpreply_reply *)misaligned(r), 0, &c), SMTPREPLY_INVALID_INPUT, c);
    CHECK_RESULT(smtpreply_reason_from_name("mailbox_full", (uint32_t *)misaligned(buf.bytes)),
                 SMTPREPLY_INVALID_INPUT);
    CHECK_UNTOUCHED(buf);

    /* Control: the same calls with good arguments. */
    CHECK_RESULT(smtpreply_classify(LIT(text), SMTPREPLY_COMMAND_RCPT, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_MAILBOX_FULL);
    CHECK_RESULT(smtpreply_classify_reply(r, SMTPREPLY_COMMAND_RCPT, &c), SMTPREPLY_OK);
    CHECK_EQ_U(c.reason, SMTPREPLY_REASON_MAILBOX_FULL);
    CHECK_RESULT(smtpreply_classify_many(LIT(text), bounds, 1, NULL, many), SMTPREPLY_OK);
    CHECK_EQ_U(many[0].reason, SMTPREPLY_REASON_MAILBOX_FULL);
    CHECK_RESULT(smtpreply_reason_from_name("mailbox_full", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_REASON_MAILBOX_FULL);

    smtpreply_reply_free(empty);
    smtpreply_reply_free(r);
}

int main(void) {
    /* No call has failed on this thread yet: the message is empty, not NULL. */
    CHECK(smtpreply_last_error_message() != NULL);
    CHECK_STR(smtpreply_last_error_message(), "");

    result_names();
    last_error_messages();
    null_reply_functions();
    null_stream_functions();
    null_batch_functions();
    null_code_functions();
    null_capabilities_functions();
    free_null();
    zero_and_huge_lengths();
    truncated_input();
    oversized_input();
    odd_bytes();
    out_of_range_numbers();
    bad_options();
    bad_indexes();
    bad_enhanced_strings();
    empty_handles();
    stream_garbage();
    misaligned_pointers();
    classify_functions();
    return check_summary("test_bad_inputs");
}
