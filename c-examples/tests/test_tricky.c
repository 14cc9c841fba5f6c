/*
 * Every row of shared/reference/tricky-replies.md through the C boundary, with the expectations of
 * tests/tricky_replies.rs and tests/ehlo.rs (the same rows from Rust). Plus smtpreply_parse_batch on
 * a pipelined buffer.
 */
#include "check.h"

#include <smtpreply.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal as pointer + length (embedded NULs and all). */
#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* What one line of a parsed reply must look like. */
typedef struct {
    const char *text;
    size_t text_len;
    uint32_t code;
    int is_last;
    uint32_t ec, es, ed; /* enhanced code, class 0 for none */
} exp_line;

#define L(text, code, last, ec, es, ed) { (text), sizeof(text) - 1, (code), (last), (ec), (es), (ed) }

static smtpreply_reply *reply;
static smtpreply_parser_options strict;
static smtpreply_parser_options lenient;

/* Parses data as one reply and checks it succeeds; returns the consumed count. */
static size_t parse_ok_at(const char *file, int line, const uint8_t *data, size_t len,
                          const smtpreply_parser_options *opts) {
    size_t consumed = (size_t)-1;
    check_count += (unsigned long)check_result_at(file, line, smtpreply_parse_reply(data, len, opts, reply, &consumed),
                                                  SMTPREPLY_OK, "smtpreply_parse_reply(...) == OK");
    check_count += (unsigned long)check_true_at(file, line, consumed > 0 && consumed <= len, "0 < consumed <= len");
    return consumed;
}
#define PARSE_OK(lit) parse_ok_at(__FILE__, __LINE__, LIT(lit), NULL)

/* Checks that parsing data gives `expected` and writes nothing. */
static void parse_fails_at(const char *file, int line, const uint8_t *data, size_t len,
                           const smtpreply_parser_options *opts, uint32_t expected) {
    size_t consumed;
    check_fill(&consumed, sizeof consumed);
    check_count += (unsigned long)check_result_at(file, line, smtpreply_parse_reply(data, len, opts, reply, &consumed),
                                                  expected, "smtpreply_parse_reply(...) fails as expected");
    check_count += (unsigned long)check_untouched_at(file, line, &consumed, sizeof consumed, "out_consumed");
}
#define PARSE_FAILS(lit, opts, expected) parse_fails_at(__FILE__, __LINE__, LIT(lit), (opts), (expected))

/* Checks the reply in `reply` against the expectations. */
static void expect_reply_at(const char *file, int line, uint32_t code, uint32_t ec, uint32_t es, uint32_t ed,
                            uint32_t warnings, size_t nlines, const exp_line *lines) {
    smtpreply_reply_info info;
    smtpreply_line l;
    size_t i;
    check_count += (unsigned long)check_result_at(file, line, smtpreply_reply_get_info(reply, &info), SMTPREPLY_OK,
                                                  "smtpreply_reply_get_info");
    check_count += (unsigned long)check_eq_u_at(file, line, info.code, code, "info.code", "expected code");
    check_count += (unsigned long)check_eq_u_at(file, line, info.has_enhanced, ec != 0, "info.has_enhanced",
                                                "expected has_enhanced");
    check_count += (unsigned long)check_eq_u_at(file, line, info.enhanced.status_class, ec,
                                                "info.enhanced.status_class", "expected class");
    check_count += (unsigned long)check_eq_u_at(file, line, info.enhanced.subject, es, "info.enhanced.subject",
                                                "expected subject");
    check_count += (unsigned long)check_eq_u_at(file, line, info.enhanced.detail, ed, "info.enhanced.detail",
                                                "expected detail");
    check_count += (unsigned long)check_eq_u_at(file, line, info.warnings, warnings, "info.warnings",
                                                "expected warnings");
    check_count += (unsigned long)check_eq_u_at(file, line, info.line_count, nlines, "info.line_count",
                                                "expected line count");
    for (i = 0; i < nlines; i++) {
        check_count += (unsigned long)check_result_at(file, line, smtpreply_reply_get_line(reply, i, &l), SMTPREPLY_OK,
                                                      "smtpreply_reply_get_line");
        check_count += (unsigned long)check_mem_at(file, line, l.text, l.text_len, lines[i].text, lines[i].text_len,
                                                   "line.text", "expected text");
        check_count += (unsigned long)check_eq_u_at(file, line, l.code, lines[i].code, "line.code", "expected code");
        check_count += (unsigned long)check_eq_u_at(file, line, l.is_last, lines[i].is_last, "line.is_last",
                                                    "expected is_last");
        check_count += (unsigned long)check_eq_u_at(file, line, l.has_enhanced, lines[i].ec != 0, "line.has_enhanced",
                                                    "expected");
        check_count += (unsigned long)check_eq_u_at(file, line, l.enhanced.status_class, lines[i].ec,
                                                    "line.enhanced.status_class", "expected");
        check_count += (unsigned long)check_eq_u_at(file, line, l.enhanced.subject, lines[i].es,
                                                    "line.enhanced.subject", "expected");
        check_count += (unsigned long)check_eq_u_at(file, line, l.enhanced.detail, lines[i].ed, "line.enhanced.detail",
                                                    "expected");
        /* The text lies inside the content, which lies inside the raw reply, and no CR or LF leaks
         * into the text at its end. */
        check_count += (unsigned long)check_true_at(
            file, line, l.content >= info.raw && l.content + l.content_len <= info.raw + info.raw_len,
            "line.content lies inside info.raw");
        check_count += (unsigned long)check_true_at(
            file, line, l.text >= l.content && l.text + l.text_len <= l.content + l.content_len,
            "line.text lies inside line.content");
        check_count += (unsigned long)check_true_at(
            file, line, l.text_len == 0 || (l.text[l.text_len - 1] != '\n' && l.text[l.text_len - 1] != '\r'),
            "no CR/LF at the end of line.text");
    }
    check_count += (unsigned long)check_result_at(file, line, smtpreply_reply_get_line(reply, nlines, &l),
                                                  SMTPREPLY_OUT_OF_RANGE, "smtpreply_reply_get_line(line_count)");
}
#define EXPECT_REPLY(code, ec, es, ed, warnings, lines)                                                        \
    expect_reply_at(__FILE__, __LINE__, (code), (ec), (es), (ed), (warnings), sizeof(lines) / sizeof((lines)[0]), \
                    (lines))

/* Checks that line i's content (code, separator, text) equals the literal. */
#define EXPECT_CONTENT(i, lit)                                                                                 \
    do {                                                                                                       \
        smtpreply_line l_;                                                                                     \
        CHECK_RESULT(smtpreply_reply_get_line(reply, (i), &l_), SMTPREPLY_OK);                                 \
        CHECK_BYTES(l_.content, l_.content_len, lit);                                                          \
    } while (0)

static void expect_raw(const uint8_t *data, size_t len) {
    smtpreply_reply_info info;
    CHECK_RESULT(smtpreply_reply_get_info(reply, &info), SMTPREPLY_OK);
    CHECK_MEM(info.raw, info.raw_len, data, len);
}

static void row01(void) {
    static const char in[] = "250-me\r\n250-8BITMIME\r\n250-SIZE 42\r\n250 AUTH PLAIN CRAM-MD5\r\n";
    const exp_line lines[] = {
        L("me", 250, 0, 0, 0, 0),
        L("8BITMIME", 250, 0, 0, 0, 0),
        L("SIZE 42", 250, 0, 0, 0, 0),
        L("AUTH PLAIN CRAM-MD5", 250, 1, 0, 0, 0),
    };
    CHECK_EQ_U(PARSE_OK(in), sizeof in - 1);
    EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    EXPECT_CONTENT(0, "250-me");
    EXPECT_CONTENT(3, "250 AUTH PLAIN CRAM-MD5");
    expect_raw(LIT(in));
}

static void row02(void) {
    PARSE_FAILS("2506-me\r\n250 OK\r\n", NULL, SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "followed by something other than a space");
    PARSE_FAILS("2506-me\r\n250 OK\r\n", &strict, SMTPREPLY_INVALID_INPUT);
}

static void row03(void) {
    /* The handle keeps what it held: NEED_MORE writes nothing. */
    PARSE_OK("221 bye\r\n");
    PARSE_FAILS("250-me\r\n250-AUTH PLAIN\r\n", NULL, SMTPREPLY_NEED_MORE);
    {
        const exp_line lines[] = { L("bye", 221, 1, 0, 0, 0) };
        EXPECT_REPLY(221, 0, 0, 0, 0, lines);
    }
}

static void row04(void) {
    static const char in[] = "550-5.7.25 [203.0.113.1] The IP address...\r\n550-5.7.25 PTR record...\r\n"
                             "550 5.7.25 match the sending IP.\r\n";
    const exp_line lines[] = {
        L("[203.0.113.1] The IP address...", 550, 0, 5, 7, 25),
        L("PTR record...", 550, 0, 5, 7, 25),
        L("match the sending IP.", 550, 1, 5, 7, 25),
    };
    CHECK_EQ_U(PARSE_OK(in), sizeof in - 1);
    EXPECT_REPLY(550, 5, 7, 25, 0, lines);
    EXPECT_CONTENT(1, "550-5.7.25 PTR record...");
}

static void row05(void) {
    static const char in[] = "550-5.7.2 first line\r\n550 5.7.25 second line\r\n";
    const exp_line lines[] = { L("first line", 550, 0, 5, 7, 2), L("second line", 550, 1, 5, 7, 25) };
    PARSE_OK(in);
    EXPECT_REPLY(550, 5, 7, 2, SMTPREPLY_WARNING_ENHANCED_MISMATCH, lines);
    PARSE_FAILS(in, &strict, SMTPREPLY_STRICT_VIOLATION);
    CHECK_CONTAINS(smtpreply_last_error_message(), "different enhanced status codes");
}

static void row06(void) {
    static const char in[] = "550-4.7.1 first line\r\n550 4.7.1 second line\r\n";
    const exp_line lines[] = { L("4.7.1 first line", 550, 0, 0, 0, 0), L("4.7.1 second line", 550, 1, 0, 0, 0) };
    PARSE_OK(in);
    EXPECT_REPLY(550, 0, 0, 0, SMTPREPLY_WARNING_ENHANCED_CLASS_MISMATCH, lines);
    PARSE_FAILS(in, &strict, SMTPREPLY_STRICT_VIOLATION);
}

static void row07(void) {
    static const char in[] = "250 2.1.1 Originator <ned@ymir.claremont.edu> ok\n";
    const exp_line lines[] = { L("Originator <ned@ymir.claremont.edu> ok", 250, 1, 2, 1, 1) };
    CHECK_EQ_U(PARSE_OK(in), sizeof in - 1);
    EXPECT_REPLY(250, 2, 1, 1, SMTPREPLY_WARNING_BARE_LF, lines);
    PARSE_FAILS("250 OK\n", &strict, SMTPREPLY_STRICT_VIOLATION);
    CHECK_CONTAINS(smtpreply_last_error_message(), "bare LF");
    CHECK_CONTAINS(smtpreply_last_error_message(), "at byte 0");
}

static void row08(void) {
    const exp_line lines[] = {
        L("6.8.9", 432, 0, 0, 0, 0),
        L("6.8.9 Hello", 432, 0, 0, 0, 0),
        L("6.8.9 World!", 432, 1, 0, 0, 0),
    };
    PARSE_OK("432-6.8.9\n432-6.8.9 Hello\n432 6.8.9 World!\n");
    EXPECT_REPLY(432, 0, 0, 0, SMTPREPLY_WARNING_BARE_LF, lines);
}

static void row09(void) {
    {
        const exp_line lines[] = { L("2address.org", 250, 1, 0, 0, 0) };
        PARSE_OK("250 2address.org\r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("100.address.org", 250, 1, 0, 0, 0) };
        PARSE_OK("250 100.address.org\r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("99999999999999", 250, 1, 0, 0, 0) };
        PARSE_OK("250 99999999999999\r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    }
}

static void row10(void) {
    static const char in[] = "250-Missing space\n250\n250 Ignore this";
    const exp_line lines[] = { L("Missing space", 250, 0, 0, 0, 0), L("", 250, 1, 0, 0, 0) };
    size_t consumed = PARSE_OK(in);
    CHECK_EQ_U(consumed, strlen("250-Missing space\n250\n"));
    EXPECT_REPLY(250, 0, 0, 0, SMTPREPLY_WARNING_BARE_LF, lines);
    parse_fails_at(__FILE__, __LINE__, (const uint8_t *)in + consumed, sizeof in - 1 - consumed, NULL,
                   SMTPREPLY_NEED_MORE);
}

static void row11(void) {
    static const char in[] = "523-Massive\r\n523-Error\r\n523 Message\r\n";
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    size_t count;
    const exp_line lines[] = { L("Massive", 523, 0, 0, 0, 0), L("Error", 523, 0, 0, 0, 0),
                               L("Message", 523, 1, 0, 0, 0) };
    CHECK(caps != NULL);
    /* A reply ... */
    PARSE_OK(in);
    EXPECT_REPLY(523, 0, 0, 0, 0, lines);
    /* ... but not an EHLO success: no capabilities. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(in)), SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "523");
    CHECK_RESULT(smtpreply_capabilities_from_reply(caps, reply), SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "523");
    CHECK_RESULT(smtpreply_capabilities_count(caps, &count), SMTPREPLY_INVALID_INPUT);
    CHECK(!smtpreply_capabilities_has(caps, "Massive"));
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n250-SIZE")), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("HTTP/1.1 200 OK\r\n")), SMTPREPLY_INVALID_INPUT);
    smtpreply_capabilities_free(caps);
}

static void row12(void) {
    static const char in[] = "230-Anonymous access\r\nRead the file README.txt,\r\n230  please\r\n";
    const exp_line lines[] = {
        L("Anonymous access", 230, 0, 0, 0, 0),
        L("Read the file README.txt,", 0, 0, 0, 0, 0),
        L(" please", 230, 1, 0, 0, 0),
    };
    PARSE_OK(in);
    EXPECT_REPLY(230, 0, 0, 0, SMTPREPLY_WARNING_MISSING_CODE, lines);
    EXPECT_CONTENT(1, "Read the file README.txt,");
    PARSE_FAILS(in, &strict, SMTPREPLY_STRICT_VIOLATION);
    CHECK_CONTAINS(smtpreply_last_error_message(), "no reply code");
    CHECK_CONTAINS(smtpreply_last_error_message(), "at byte 22");
}

static void row13(void) {
    const exp_line lines[] = { L("A", 400, 0, 0, 0, 0), L("B", 400, 0, 0, 0, 0), L("C", 400, 1, 0, 0, 0) };
    PARSE_OK("400-A\r\n400-B\r\n400 C\r\n");
    EXPECT_REPLY(400, 0, 0, 0, 0, lines);
}

static void row14(void) {
    static const char in[] = "220-Greetings, stranger\r\n220 smtp.domain.example ESMTP ready\r\n";
    const exp_line lines[] = { L("Greetings, stranger", 220, 0, 0, 0, 0),
                               L("smtp.domain.example ESMTP ready", 220, 1, 0, 0, 0) };
    CHECK_EQ_U(PARSE_OK(in), sizeof in - 1);
    EXPECT_REPLY(220, 0, 0, 0, 0, lines);
    /* Valid in strict mode too. */
    CHECK_EQ_U(parse_ok_at(__FILE__, __LINE__, LIT(in), &strict), sizeof in - 1);
}

static void row15(void) {
    {
        const exp_line lines[] = { L("", 502, 1, 0, 0, 0) };
        CHECK_EQ_U(PARSE_OK("502\r\n"), 5);
        EXPECT_REPLY(502, 0, 0, 0, 0, lines);
        EXPECT_CONTENT(0, "502");
    }
    {
        const exp_line lines[] = { L("", 334, 1, 0, 0, 0) };
        CHECK_EQ_U(PARSE_OK("334\r\n"), 5);
        EXPECT_REPLY(334, 0, 0, 0, 0, lines);
    }
    {
        static const char in[] = "500-Line one\r\n500-Line two\r\n500\r\n";
        const exp_line lines[] = { L("Line one", 500, 0, 0, 0, 0), L("Line two", 500, 0, 0, 0, 0),
                                   L("", 500, 1, 0, 0, 0) };
        CHECK_EQ_U(PARSE_OK(in), sizeof in - 1);
        EXPECT_REPLY(500, 0, 0, 0, 0, lines);
        CHECK_EQ_U(parse_ok_at(__FILE__, __LINE__, LIT(in), &strict), sizeof in - 1);
    }
}

static void row16(void) {
    {
        const exp_line lines[] = { L("smtp.domain.example", 250, 0, 0, 0, 0), L("", 220, 1, 0, 0, 0) };
        PARSE_OK("250-smtp.domain.example\r\n220\r\n");
        EXPECT_REPLY(250, 0, 0, 0, SMTPREPLY_WARNING_CODE_MISMATCH, lines);
        PARSE_FAILS("250-smtp.domain.example\r\n220\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
        CHECK_CONTAINS(smtpreply_last_error_message(), "different reply codes");
    }
    {
        const exp_line lines[] = { L("Line one", 200, 0, 0, 0, 0), L("Line two", 500, 1, 0, 0, 0) };
        PARSE_OK("200-Line one\r\n500 Line two\r\n");
        EXPECT_REPLY(200, 0, 0, 0, SMTPREPLY_WARNING_CODE_MISMATCH, lines);
        PARSE_FAILS("200-Line one\r\n500 Line two\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
    }
}

static void row17(void) {
    static const char *const bad[] = { "KEY:WORD", "KEYWORD ", "KEYWORD para\tmeter" };
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    size_t i, count, idx;
    uint32_t cw, rw;
    char input[128];
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int n = sprintf(input, "250-mx.example.com\r\n250-PIPELINING\r\n250-%s\r\n250 8BITMIME\r\n", bad[i]);
        CHECK(n > 0);
        CHECK_RESULT(smtpreply_capabilities_parse(caps, (const uint8_t *)input, (size_t)n), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
        CHECK(cw & SMTPREPLY_CAPS_WARNING_MALFORMED_LINE);
        CHECK_EQ_U(rw, 0);
        CHECK_RESULT(smtpreply_capabilities_count(caps, &count), SMTPREPLY_OK);
        CHECK_EQ_U(count, 2); /* the other lines still parse */
        CHECK(smtpreply_capabilities_has(caps, "PIPELINING"));
        CHECK(smtpreply_capabilities_has(caps, "8BITMIME"));
        CHECK(!smtpreply_capabilities_has(caps, "KEYWORD"));
        CHECK(!smtpreply_capabilities_has(caps, "KEY"));
        CHECK_RESULT(smtpreply_capabilities_find(caps, "8bitmime", &idx), SMTPREPLY_OK);
        CHECK_EQ_U(idx, 1);
    }
    smtpreply_capabilities_free(caps);
}

static void row18(void) {
    {
        const exp_line lines[] = { L("", 500, 0, 0, 0, 0), L("Line two", 500, 1, 0, 0, 0) };
        PARSE_OK("500-\r\n500 Line two\r\n");
        EXPECT_REPLY(500, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("", 200, 1, 0, 0, 0) };
        PARSE_OK("200 \r\n");
        EXPECT_REPLY(200, 0, 0, 0, 0, lines);
        EXPECT_CONTENT(0, "200 ");
    }
}

static void row19(void) {
    PARSE_FAILS("611\r\n", NULL, SMTPREPLY_INVALID_INPUT);
    CHECK_CONTAINS(smtpreply_last_error_message(), "does not start with a reply code");
    PARSE_FAILS("199 x\r\n", NULL, SMTPREPLY_INVALID_INPUT);
    PARSE_FAILS("20x\r\n", NULL, SMTPREPLY_INVALID_INPUT);
    PARSE_FAILS("25 OK\r\n", NULL, SMTPREPLY_INVALID_INPUT);
    PARSE_FAILS(" 250 OK\r\n", NULL, SMTPREPLY_INVALID_INPUT);
    PARSE_FAILS(" 250 OK\r\n", &strict, SMTPREPLY_INVALID_INPUT);
    /* Garbage fails at once, before its line ends. */
    PARSE_FAILS("HTTP/1.1", NULL, SMTPREPLY_INVALID_INPUT);
}

static void row20(void) {
    {
        const exp_line lines[] = { L("Something", 280, 1, 0, 0, 0) };
        PARSE_OK("280 Something\r\n");
        EXPECT_REPLY(280, 0, 0, 0, SMTPREPLY_WARNING_CODE_OUT_OF_GRAMMAR, lines);
        PARSE_FAILS("280 Something\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
    }
    {
        const exp_line lines[] = { L("x", 260, 1, 0, 0, 0) };
        PARSE_OK("260 x\r\n");
        EXPECT_REPLY(260, 0, 0, 0, SMTPREPLY_WARNING_CODE_OUT_OF_GRAMMAR, lines);
        PARSE_FAILS("260 x\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
    }
}

static void row21(void) {
    {
        const exp_line lines[] = { L("\xc3\xbc" "ber", 200, 1, 0, 0, 0) };
        PARSE_OK("200 \xc3\xbc" "ber\r\n");
        EXPECT_REPLY(200, 0, 0, 0, SMTPREPLY_WARNING_NON_ASCII, lines);
    }
    {
        static const char gbk[] = "535 Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc\r\n";
        const exp_line lines[] = { L("Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc", 535, 1,
                                     0, 0, 0) };
        CHECK_EQ_U(PARSE_OK(gbk), sizeof gbk - 1);
        EXPECT_REPLY(535, 0, 0, 0, SMTPREPLY_WARNING_NON_ASCII, lines);
        expect_raw(LIT(gbk));
        PARSE_FAILS(gbk, &strict, SMTPREPLY_STRICT_VIOLATION);
    }
}

static void row22(void) {
    {
        const exp_line lines[] = { L("5.0.0 text", 250, 1, 0, 0, 0) };
        PARSE_OK("250 5.0.0 text\r\n");
        EXPECT_REPLY(250, 0, 0, 0, SMTPREPLY_WARNING_ENHANCED_CLASS_MISMATCH, lines);
    }
    {
        const exp_line lines[] = { L("2.1000.0 Text", 250, 1, 0, 0, 0) };
        PARSE_OK("250 2.1000.0 Text\r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("2.0.1000 Text", 250, 1, 0, 0, 0) };
        PARSE_OK("250 2.0.1000 Text\r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("5.01.1 x", 550, 1, 0, 0, 0) };
        PARSE_OK("550 5.01.1 x\r\n");
        EXPECT_REPLY(550, 0, 0, 0, 0, lines);
    }
}

static void row23(void) {
    {
        const exp_line lines[] = { L("Request failed; Mailbox unavailable", 550, 1, 0, 0, 0) };
        PARSE_OK("550 Request failed; Mailbox unavailable\r\n");
        EXPECT_REPLY(550, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("Ok Send data", 354, 1, 0, 0, 0) };
        PARSE_OK("354 Ok Send data\r\n");
        EXPECT_REPLY(354, 0, 0, 0, 0, lines);
    }
}

static void row24(void) {
    const exp_line lines[] = { L("Request failed", 550, 0, 5, 2, 1), L("Mailbox unavailable", 550, 1, 0, 0, 0) };
    PARSE_OK("550-5.2.1 Request failed\r\n550 Mailbox unavailable\r\n");
    EXPECT_REPLY(550, 5, 2, 1, SMTPREPLY_WARNING_ENHANCED_PARTIAL, lines);
    PARSE_FAILS("550-5.2.1 Request failed\r\n550 Mailbox unavailable\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
}

static void row25(void) {
    static const char in[] = "250-mx\r\n250-XVERP=Courier\r\n250-AUTH=PLAIN LOGIN\r\n250 AUTH LOGIN CRAM-MD5\r\n";
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_capability cap;
    size_t idx, n;
    const uint8_t *p;
    uint32_t cw, rw;
    uint64_t mask;
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(in)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_find(caps, "XVERP", &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 0);
    CHECK_RESULT(smtpreply_capabilities_get(caps, idx, &cap), SMTPREPLY_OK);
    CHECK_BYTES(cap.keyword, cap.keyword_len, "XVERP");
    CHECK_BYTES(cap.params, cap.params_len, "Courier");
    CHECK_EQ_U(cap.param_count, 1);
    CHECK_EQ_U(cap.extension, 0);
    CHECK_RESULT(smtpreply_capabilities_param(caps, idx, 0, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "Courier");
    CHECK_RESULT(smtpreply_capabilities_param(caps, idx, 1, &p, &n), SMTPREPLY_OUT_OF_RANGE);
    /* AUTH= is the legacy AUTH: PLAIN, LOGIN, then CRAM-MD5 from AUTH (LOGIN not twice). */
    CHECK_RESULT(smtpreply_capabilities_auth_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 3);
    CHECK_RESULT(smtpreply_capabilities_auth_mechanism(caps, 0, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "PLAIN");
    CHECK_RESULT(smtpreply_capabilities_auth_mechanism(caps, 1, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "LOGIN");
    CHECK_RESULT(smtpreply_capabilities_auth_mechanism(caps, 2, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "CRAM-MD5");
    CHECK_RESULT(smtpreply_capabilities_auth_mechanism(caps, 3, &p, &n), SMTPREPLY_OUT_OF_RANGE);
    CHECK(smtpreply_capabilities_supports_auth(caps, "plain"));
    CHECK(smtpreply_capabilities_supports_auth(caps, "cram-md5"));
    CHECK(!smtpreply_capabilities_supports_auth(caps, "XOAUTH2"));
    CHECK(smtpreply_capabilities_has(caps, "AUTH"));
    CHECK_RESULT(smtpreply_capabilities_extensions(caps, &mask), SMTPREPLY_OK);
    CHECK_EQ_U(mask, (uint64_t)1 << SMTPREPLY_EXT_AUTH);
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK(cw & SMTPREPLY_CAPS_WARNING_LEGACY_EQUALS);
    CHECK(!(cw & SMTPREPLY_CAPS_WARNING_DUPLICATE_KEYWORD)); /* AUTH beside AUTH= is normal */
    CHECK_EQ_U(rw, 0);
    smtpreply_capabilities_free(caps);
}

static void row26(void) {
    /* "220-x\r\n" without end, fed in chunks through a stream: the error comes soon after the
     * per-reply cap and memory stays bounded. */
    smtpreply_stream *s = NULL;
    smtpreply_parser_options opts;
    uint8_t *chunk;
    size_t chunk_len = 7 * 1000, i, fed = 0, pending, rounds = 0;
    uint32_t r;
    CHECK_RESULT(smtpreply_parser_options_init(&opts), SMTPREPLY_OK);
    CHECK_EQ_U(opts.max_reply, 65536);
    CHECK_RESULT(smtpreply_stream_new(&opts, &s), SMTPREPLY_OK);
    CHECK(s != NULL);
    chunk = malloc(chunk_len);
    CHECK(chunk != NULL);
    for (i = 0; i < chunk_len; i += 7) memcpy(chunk + i, "220-x\r\n", 7);
    for (;;) {
        CHECK_RESULT(smtpreply_stream_feed(s, chunk, chunk_len), SMTPREPLY_OK);
        fed += chunk_len;
        rounds++;
        r = smtpreply_stream_next(s, reply);
        if (r != SMTPREPLY_NEED_MORE) break;
        CHECK(fed < 10 * opts.max_reply); /* the error must come soon after the cap */
    }
    CHECK_RESULT(r, SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "65536");
    CHECK(fed < 10 * opts.max_reply);
    CHECK(fed <= opts.max_reply + chunk_len);
    CHECK_RESULT(smtpreply_stream_pending(s, &pending), SMTPREPLY_OK);
    CHECK(pending <= opts.max_reply + chunk_len);
    CHECK_EQ_U(pending, fed); /* nothing was taken out */
    /* The stream stays at the error: asking again gives it again. */
    CHECK_RESULT(smtpreply_stream_next(s, reply), SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_TRUNCATED);
    printf("row 26: error after %lu bytes in %lu chunks (max_reply %lu)\n", (unsigned long)fed,
           (unsigned long)rounds, (unsigned long)opts.max_reply);
    free(chunk);
    smtpreply_stream_free(s);

    /* The same through smtpreply_parse_reply on a buffer longer than the cap. */
    {
        size_t big = 70000 - 70000 % 7;
        uint8_t *buf = malloc(big);
        CHECK(buf != NULL);
        for (i = 0; i < big; i += 7) memcpy(buf + i, "220-x\r\n", 7);
        parse_fails_at(__FILE__, __LINE__, buf, big, NULL, SMTPREPLY_LIMIT_EXCEEDED);
        free(buf);
    }
}

static void row27(void) {
    const exp_line lines[] = { L("#5.1.0 Address rejected.", 550, 1, 0, 0, 0) };
    PARSE_OK("550 #5.1.0 Address rejected.\r\n");
    EXPECT_REPLY(550, 0, 0, 0, 0, lines);
}

static void row28(void) {
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    size_t count;
    uint32_t cw, rw;
    smtpreply_capability cap;
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n250- \r\n250 OK\r\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_count(caps, &count), SMTPREPLY_OK);
    CHECK_EQ_U(count, 1);
    CHECK(smtpreply_capabilities_has(caps, "OK"));
    CHECK_RESULT(smtpreply_capabilities_get(caps, 0, &cap), SMTPREPLY_OK);
    CHECK_BYTES(cap.keyword, cap.keyword_len, "OK");
    CHECK_EQ_U(cap.params_len, 0);
    CHECK_EQ_U(cap.param_count, 0);
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK(cw & SMTPREPLY_CAPS_WARNING_MALFORMED_LINE);
    smtpreply_capabilities_free(caps);
}

static void row29(void) {
    {
        const exp_line lines[] = { L("", 250, 1, 0, 0, 0) };
        PARSE_OK("250 \r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
    }
    {
        const exp_line lines[] = { L("", 250, 0, 0, 0, 0), L("OK", 250, 1, 0, 0, 0) };
        PARSE_OK("250-\r\n250 OK\r\n");
        EXPECT_REPLY(250, 0, 0, 0, 0, lines);
        EXPECT_CONTENT(0, "250-");
        EXPECT_CONTENT(1, "250 OK");
    }
}

static void row30(void) {
    const exp_line lines[] = { L("OK\rmore", 250, 1, 0, 0, 0) };
    PARSE_OK("250 OK\rmore\r\n");
    EXPECT_REPLY(250, 0, 0, 0, SMTPREPLY_WARNING_BARE_CR, lines);
    PARSE_FAILS("250 OK\rmore\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
}

static void row31(void) {
    const exp_line lines[] = { L("a", 250, 0, 0, 0, 0), L("b", 251, 1, 0, 0, 0) };
    PARSE_OK("250-a\r\n251 b\r\n");
    EXPECT_REPLY(250, 0, 0, 0, SMTPREPLY_WARNING_CODE_MISMATCH, lines);
    PARSE_FAILS("250-a\r\n251 b\r\n", &strict, SMTPREPLY_STRICT_VIOLATION);
}

static void row32(void) {
    uint8_t line[5000];
    smtpreply_parser_options wide;
    smtpreply_reply_info info;
    smtpreply_line l;
    size_t consumed;
    memcpy(line, "250 ", 4);
    memset(line + 4, 'x', 4994);
    memcpy(line + 4998, "\r\n", 2);
    parse_fails_at(__FILE__, __LINE__, line, sizeof line, NULL, SMTPREPLY_LIMIT_EXCEEDED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "4096");
    CHECK_RESULT(smtpreply_parser_options_init(&wide), SMTPREPLY_OK);
    wide.max_line = 8192;
    CHECK_RESULT(smtpreply_parse_reply(line, sizeof line, &wide, reply, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 5000);
    CHECK_RESULT(smtpreply_reply_get_info(reply, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.warnings, SMTPREPLY_WARNING_LONG_LINE);
    CHECK_EQ_U(info.line_count, 1);
    CHECK_RESULT(smtpreply_reply_get_line(reply, 0, &l), SMTPREPLY_OK);
    CHECK_EQ_U(l.text_len, 4994);
    CHECK_MEM(l.text, l.text_len, line + 4, (size_t)4994);
    /* Without its end, the cap still applies as soon as the bytes pass it. */
    parse_fails_at(__FILE__, __LINE__, line, 4097, NULL, SMTPREPLY_LIMIT_EXCEEDED);
    parse_fails_at(__FILE__, __LINE__, line, 4096, NULL, SMTPREPLY_NEED_MORE);
    /* Strict mode refuses the long line even when the cap allows it. */
    wide.flags = SMTPREPLY_PARSE_STRICT;
    parse_fails_at(__FILE__, __LINE__, line, sizeof line, &wide, SMTPREPLY_STRICT_VIOLATION);
}

static void row33(void) {
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    uint32_t status, cw, rw;
    uint64_t limit;
    size_t idx, n;
    const uint8_t *p;
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n250 SIZE 99999999999999999999999\r\n")),
                 SMTPREPLY_OK);
    CHECK(smtpreply_capabilities_has(caps, "SIZE"));
    CHECK_RESULT(smtpreply_capabilities_size(caps, &status, &limit), SMTPREPLY_OK);
    CHECK_EQ_U(status, SMTPREPLY_SIZE_INVALID);
    CHECK_EQ_U(limit, 0);
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK(cw & SMTPREPLY_CAPS_WARNING_SIZE_INVALID);
    CHECK_RESULT(smtpreply_capabilities_find(caps, "size", &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_param(caps, idx, 0, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "99999999999999999999999"); /* not truncated */
    smtpreply_capabilities_free(caps);
}

static void row34(void) {
    smtpreply_stream *s = NULL;
    smtpreply_reply_info info;
    size_t pending;
    PARSE_FAILS("200\r", NULL, SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("200\r")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, reply), SMTPREPLY_NEED_MORE);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_TRUNCATED);
    CHECK_CONTAINS(smtpreply_last_error_message(), "4 bytes pending");
    CHECK_RESULT(smtpreply_stream_pending(s, &pending), SMTPREPLY_OK);
    CHECK_EQ_U(pending, 4);
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, reply), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_reply_get_info(reply, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.code, 200);
    CHECK_EQ_U(info.warnings, 0);
    CHECK_BYTES(info.raw, info.raw_len, "200\r\n");
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_pending(s, &pending), SMTPREPLY_OK);
    CHECK_EQ_U(pending, 0);
    smtpreply_stream_free(s);
}

/* smtpreply_parse_batch on a pipelined buffer: replies and lines, with offsets into the buffer. */
static void batch(void) {
    static const char buf[] = "250-me\r\n250 PIPELINING\r\n"                         /* 0, 24 bytes */
                              "550-5.1.1 No such user\r\n550 5.1.1 try again\r\n"    /* 24, 45 bytes */
                              "354 Go ahead\r\n"                                     /* 69, 14 bytes */
                              "250 2.0.0 Ok: qu";                                     /* incomplete */
    static const struct {
        uint32_t offset, length, code, ec, es, ed, first_line, line_count;
    } want[] = {
        { 0, 24, 250, 0, 0, 0, 0, 2 },
        { 24, 45, 550, 5, 1, 1, 2, 2 },
        { 69, 14, 354, 0, 0, 0, 4, 1 },
    };
    static const struct {
        const char *text;
        uint32_t code, ec, es, ed, is_last;
    } want_lines[] = {
        { "me", 250, 0, 0, 0, 0 },         { "PIPELINING", 250, 0, 0, 0, 1 }, { "No such user", 550, 5, 1, 1, 0 },
        { "try again", 550, 5, 1, 1, 1 }, { "Go ahead", 354, 0, 0, 0, 1 },
    };
    smtpreply_batch *b = smtpreply_batch_new();
    const smtpreply_batch_reply *replies = NULL;
    const smtpreply_batch_line *lines = NULL;
    size_t nreplies, nlines, consumed, i;
    CHECK(b != NULL);
    CHECK_RESULT(smtpreply_parse_batch(b, LIT(buf), NULL, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 83);
    CHECK_RESULT(smtpreply_batch_replies(b, &replies, &nreplies), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_batch_lines(b, &lines, &nlines), SMTPREPLY_OK);
    CHECK_EQ_U(nreplies, 3);
    CHECK_EQ_U(nlines, 5);
    for (i = 0; i < nreplies; i++) {
        CHECK_EQ_U(replies[i].offset, want[i].offset);
        CHECK_EQ_U(replies[i].length, want[i].length);
        CHECK_EQ_U(replies[i].code, want[i].code);
        CHECK_EQ_U(replies[i].enhanced_class, want[i].ec);
        CHECK_EQ_U(replies[i].enhanced_subject, want[i].es);
        CHECK_EQ_U(replies[i].enhanced_detail, want[i].ed);
        CHECK_EQ_U(replies[i].warnings, 0);
        CHECK_EQ_U(replies[i].first_line, want[i].first_line);
        CHECK_EQ_U(replies[i].line_count, want[i].line_count);
        /* Each reply, parsed alone at its offset, takes exactly its length. */
        CHECK_EQ_U(parse_ok_at(__FILE__, __LINE__, (const uint8_t *)buf + replies[i].offset,
                               sizeof buf - 1 - replies[i].offset, NULL),
                   replies[i].length);
    }
    for (i = 0; i < nlines; i++) {
        CHECK(lines[i].text_offset + lines[i].text_length <= consumed);
        CHECK_MEM(buf + lines[i].text_offset, lines[i].text_length, want_lines[i].text, strlen(want_lines[i].text));
        CHECK_EQ_U(lines[i].code, want_lines[i].code);
        CHECK_EQ_U(lines[i].enhanced_class, want_lines[i].ec);
        CHECK_EQ_U(lines[i].enhanced_subject, want_lines[i].es);
        CHECK_EQ_U(lines[i].enhanced_detail, want_lines[i].ed);
        CHECK_EQ_U(lines[i].is_last, want_lines[i].is_last);
    }
    /* The rest is incomplete: NEED_MORE, out_consumed untouched, the batch emptied. */
    check_fill(&consumed, sizeof consumed);
    CHECK_RESULT(smtpreply_parse_batch(b, (const uint8_t *)buf + 83, sizeof buf - 1 - 83, NULL, &consumed),
                 SMTPREPLY_NEED_MORE);
    CHECK_UNTOUCHED(consumed);
    CHECK_RESULT(smtpreply_batch_replies(b, &replies, &nreplies), SMTPREPLY_OK);
    CHECK_EQ_U(nreplies, 0);
    CHECK_RESULT(smtpreply_batch_lines(b, &lines, &nlines), SMTPREPLY_OK);
    CHECK_EQ_U(nlines, 0);

    /* Parsing stops before bytes that are not a reply; the next call reports them. */
    CHECK_RESULT(smtpreply_parse_batch(b, LIT("250 OK\r\nHELLO\r\n250 OK\r\n"), NULL, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 8);
    CHECK_RESULT(smtpreply_batch_replies(b, &replies, &nreplies), SMTPREPLY_OK);
    CHECK_EQ_U(nreplies, 1);
    CHECK_RESULT(smtpreply_parse_batch(b, LIT("HELLO\r\n250 OK\r\n"), NULL, &consumed), SMTPREPLY_INVALID_INPUT);

    /* Batch with strict options: the first reply violating is an error; a later one stops it. */
    CHECK_RESULT(smtpreply_parse_batch(b, LIT("250 OK\n"), &strict, &consumed), SMTPREPLY_STRICT_VIOLATION);
    CHECK_RESULT(smtpreply_parse_batch(b, LIT("250 OK\r\n250 OK\n"), &strict, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 8);

    /* Every row of the table that is a reply parses the same way in a batch: row 10 gives one
     * reply of two lines and stops before the incomplete one. */
    CHECK_RESULT(smtpreply_parse_batch(b, LIT("250-Missing space\n250\n250 Ignore this"), NULL, &consumed),
                 SMTPREPLY_OK);
    CHECK_EQ_U(consumed, 22);
    CHECK_RESULT(smtpreply_batch_replies(b, &replies, &nreplies), SMTPREPLY_OK);
    CHECK_EQ_U(nreplies, 1);
    CHECK_EQ_U(replies[0].line_count, 2);
    CHECK_EQ_U(replies[0].warnings, SMTPREPLY_WARNING_BARE_LF);
    smtpreply_batch_free(b);
}

int main(void) {
    reply = smtpreply_reply_new();
    CHECK(reply != NULL);
    CHECK_RESULT(smtpreply_parser_options_init(&lenient), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_parser_options_init(&strict), SMTPREPLY_OK);
    strict.flags = SMTPREPLY_PARSE_STRICT;

    row01();
    row02();
    row03();
    row04();
    row05();
    row06();
    row07();
    row08();
    row09();
    row10();
    row11();
    row12();
    row13();
    row14();
    row15();
    row16();
    row17();
    row18();
    row19();
    row20();
    row21();
    row22();
    row23();
    row24();
    row25();
    row26();
    row27();
    row28();
    row29();
    row30();
    row31();
    row32();
    row33();
    row34();
    batch();

    smtpreply_reply_free(reply);
    return check_summary("test_tricky");
}
