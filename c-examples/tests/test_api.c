/*
 * Normal use of every exported function family, with real assertions: replies (one, pipelined,
 * streamed, batched), capabilities, code and enhanced-code knowledge, commands, extensions,
 * warnings.
 */
#include "check.h"

#include <ctype.h>
#include <smtpreply.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* c-examples/samples/gmail-user-unknown.txt */
static const char GMAIL[] =
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456qkb.42 - gsmtp\r\n";

static const char GMAIL_EHLO[] =
    "250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
    "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-SMTPUTF8\r\n"
    "250-DSN\r\n250-REQUIRETLS\r\n250-DELIVERBY 240\r\n250-LIMITS RCPTMAX=100 MAILMAX=1000\r\n"
    "250-BINARYMIME\r\n250 AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n";

static uint64_t bit(uint32_t ext) {
    return (uint64_t)1 << ext;
}

/* ---------------------------------------------------------------- one reply */

static void one_reply(void) {
    static const char *const texts[] = {
        "The email account that you tried to reach does not exist. Please try",
        "double-checking the recipient's email address for typos or",
        "unnecessary spaces. For more information, go to",
        /* Every space after the enhanced code is skipped. */
        "https://support.google.com/mail/?p=NoSuchUser a1si123456qkb.42 - gsmtp",
    };
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_reply_info info;
    smtpreply_line line;
    size_t consumed, i, at = 0;

    CHECK(r != NULL);
    CHECK_RESULT(smtpreply_parse_reply(LIT(GMAIL), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, sizeof GMAIL - 1);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.code, 550);
    CHECK(info.has_enhanced);
    CHECK_EQ_U(info.enhanced.status_class, 5);
    CHECK_EQ_U(info.enhanced.subject, 1);
    CHECK_EQ_U(info.enhanced.detail, 1);
    CHECK_EQ_U(info.warnings, 0);
    CHECK_EQ_U(info.line_count, 4);
    CHECK_MEM(info.raw, info.raw_len, GMAIL, sizeof GMAIL - 1);
    for (i = 0; i < 4; i++) {
        size_t line_len = (size_t)(strstr(GMAIL + at, "\r\n") - (GMAIL + at));
        CHECK_RESULT(smtpreply_reply_get_line(r, i, &line), SMTPREPLY_OK);
        /* content: the raw line without CRLF (code, separator, enhanced code and text). */
        CHECK_MEM(line.content, line.content_len, GMAIL + at, line_len);
        CHECK(line.content == info.raw + at);
        CHECK_MEM(line.content, (size_t)10, i < 3 ? "550-5.1.1 " : "550 5.1.1 ", (size_t)10);
        /* text: without code, separator and enhanced code. */
        CHECK_MEM(line.text, line.text_len, texts[i], strlen(texts[i]));
        CHECK_EQ_U(line.code, 550);
        CHECK_EQ_U(line.is_last, i == 3);
        CHECK(line.has_enhanced);
        CHECK(line.enhanced.status_class == 5 && line.enhanced.subject == 1 && line.enhanced.detail == 1);
        at += line_len + 2;
    }
    CHECK_RESULT(smtpreply_reply_get_line(r, 4, &line), SMTPREPLY_OUT_OF_RANGE);

    /* The handle owns a copy: the input may be reused; re-parsing replaces the content. */
    {
        char buf[] = "250 2.0.0 Ok: queued as 4Bx\r\n";
        CHECK_RESULT(smtpreply_parse_reply((const uint8_t *)buf, strlen(buf), NULL, r, &consumed), SMTPREPLY_OK);
        memset(buf, 'Z', sizeof buf - 1);
        CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
        CHECK_EQ_U(info.code, 250);
        CHECK_EQ_U(info.line_count, 1);
        CHECK_BYTES(info.raw, info.raw_len, "250 2.0.0 Ok: queued as 4Bx\r\n");
        CHECK_RESULT(smtpreply_reply_get_line(r, 0, &line), SMTPREPLY_OK);
        CHECK_BYTES(line.text, line.text_len, "Ok: queued as 4Bx");
        CHECK_BYTES(line.content, line.content_len, "250 2.0.0 Ok: queued as 4Bx");
    }
    /* Strict mode accepts a clean reply. */
    {
        smtpreply_parser_options o;
        CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
        o.flags = SMTPREPLY_PARSE_STRICT;
        CHECK_RESULT(smtpreply_parse_reply(LIT(GMAIL), &o, r, &consumed), SMTPREPLY_OK);
        CHECK_EQ_U(consumed, sizeof GMAIL - 1);
    }
    smtpreply_reply_free(r);
}

/* ---------------------------------------------------------------- pipelining */

static const char PIPELINED[] = "250 2.1.0 Sender OK\r\n"
                                "250 2.1.5 Recipient OK\r\n"
                                "550-5.1.1 No such user\r\n550 5.1.1 here\r\n"
                                "354 Go ahead\r\n";

static void pipelined(void) {
    static const uint32_t codes[] = { 250, 250, 550, 354 };
    static const size_t offsets[] = { 0, 21, 45, 85 };
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_reply_info info;
    size_t at = 0, consumed, n = 0;
    while (at < sizeof PIPELINED - 1) {
        CHECK(n < 4);
        CHECK_EQ_U(at, offsets[n]);
        CHECK_RESULT(smtpreply_parse_reply((const uint8_t *)PIPELINED + at, sizeof PIPELINED - 1 - at, NULL, r,
                                           &consumed),
                     SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
        CHECK_EQ_U(info.code, codes[n]);
        CHECK_EQ_U(info.raw_len, consumed);
        CHECK_MEM(info.raw, info.raw_len, PIPELINED + at, consumed);
        at += consumed;
        n++;
    }
    CHECK_EQ_U(n, 4);
    CHECK_EQ_U(at, sizeof PIPELINED - 1);
    smtpreply_reply_free(r);
}

static void stream(void) {
    static const uint32_t codes[] = { 250, 250, 550, 354 };
    smtpreply_stream *s = NULL;
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_reply_info info;
    smtpreply_parser_options o;
    size_t i, n = 0, pending, skipped, fed = 0;

    CHECK_RESULT(smtpreply_parser_options_init(&o), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_new(&o, &s), SMTPREPLY_OK);
    CHECK(s != NULL);
    /* One byte at a time: a reply comes out exactly when its last LF arrives. */
    for (i = 0; i < sizeof PIPELINED - 1; i++) {
        uint32_t res;
        CHECK_RESULT(smtpreply_stream_feed(s, (const uint8_t *)PIPELINED + i, 1), SMTPREPLY_OK);
        fed++;
        res = smtpreply_stream_next(s, r);
        if (res == SMTPREPLY_OK) {
            CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
            CHECK_EQ_U(info.code, codes[n]);
            CHECK(PIPELINED[i] == '\n');
            n++;
            fed = 0;
        } else {
            CHECK_RESULT(res, SMTPREPLY_NEED_MORE);
        }
        CHECK_RESULT(smtpreply_stream_pending(s, &pending), SMTPREPLY_OK);
        CHECK_EQ_U(pending, fed);
        if (pending > 0) CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_TRUNCATED);
    }
    CHECK_EQ_U(n, 4);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);

    /* All at once: the replies come out one per call, then NEED_MORE. */
    CHECK_RESULT(smtpreply_stream_feed(s, LIT(PIPELINED)), SMTPREPLY_OK);
    for (i = 0; i < 4; i++) {
        CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
        CHECK_EQ_U(info.code, codes[i]);
    }
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_NEED_MORE);

    /* A bad line stops the stream where it is; skip_line steps over it. */
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("250 OK\r\n* junk line\r\n221 2.0.0 Bye\r\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_INVALID_INPUT);
    CHECK_RESULT(smtpreply_stream_pending(s, &pending), SMTPREPLY_OK);
    CHECK_EQ_U(pending, strlen("* junk line\r\n221 2.0.0 Bye\r\n"));
    CHECK_RESULT(smtpreply_stream_skip_line(s, &skipped), SMTPREPLY_OK);
    CHECK_EQ_U(skipped, strlen("* junk line\r\n"));
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_reply_get_info(r, &info), SMTPREPLY_OK);
    CHECK_EQ_U(info.code, 221);
    CHECK(info.has_enhanced && info.enhanced.status_class == 2);
    CHECK_RESULT(smtpreply_stream_finish(s), SMTPREPLY_OK);
    smtpreply_stream_free(s);

    /* A strict stream. */
    o.flags = SMTPREPLY_PARSE_STRICT;
    CHECK_RESULT(smtpreply_stream_new(&o, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("250 OK\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_STRICT_VIOLATION);
    smtpreply_stream_free(s);
    smtpreply_reply_free(r);
}

static void batch(void) {
    smtpreply_batch *b = smtpreply_batch_new();
    const smtpreply_batch_reply *rs;
    const smtpreply_batch_line *ls;
    size_t nr, nl, consumed, i;
    CHECK(b != NULL);
    CHECK_RESULT(smtpreply_parse_batch(b, LIT(PIPELINED), NULL, &consumed), SMTPREPLY_OK);
    CHECK_EQ_U(consumed, sizeof PIPELINED - 1);
    CHECK_RESULT(smtpreply_batch_replies(b, &rs, &nr), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_batch_lines(b, &ls, &nl), SMTPREPLY_OK);
    CHECK_EQ_U(nr, 4);
    CHECK_EQ_U(nl, 5);
    CHECK_EQ_U(rs[2].code, 550);
    CHECK_EQ_U(rs[2].offset, 45);
    CHECK_EQ_U(rs[2].length, 40);
    CHECK_EQ_U(rs[2].first_line, 2);
    CHECK_EQ_U(rs[2].line_count, 2);
    CHECK(rs[2].enhanced_class == 5 && rs[2].enhanced_subject == 1 && rs[2].enhanced_detail == 1);
    CHECK(rs[3].enhanced_class == 0 && rs[3].enhanced_subject == 0 && rs[3].enhanced_detail == 0);
    CHECK_MEM(PIPELINED + ls[3].text_offset, ls[3].text_length, "here", (size_t)4);
    CHECK_EQ_U(ls[2].is_last, 0);
    CHECK_EQ_U(ls[3].is_last, 1);
    for (i = 0; i < nr; i++) CHECK_EQ_U(rs[i].offset + rs[i].length, i + 1 < nr ? rs[i + 1].offset : consumed);
    /* Reusing the batch replaces what it held. */
    CHECK_RESULT(smtpreply_parse_batch(b, LIT("221 Bye\r\n"), NULL, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_batch_replies(b, &rs, &nr), SMTPREPLY_OK);
    CHECK_EQ_U(nr, 1);
    CHECK_EQ_U(rs[0].code, 221);
    CHECK_RESULT(smtpreply_batch_lines(b, &ls, &nl), SMTPREPLY_OK);
    CHECK_EQ_U(nl, 1);
    CHECK_EQ_U(ls[0].text_offset, 4);
    CHECK_EQ_U(ls[0].text_length, 3);
    smtpreply_batch_free(b);
}

/* ---------------------------------------------------------------- capabilities */

static void capabilities(void) {
    static const uint32_t advertised[] = {
        SMTPREPLY_EXT_SIZE,       SMTPREPLY_EXT_8BITMIME,   SMTPREPLY_EXT_STARTTLS,  SMTPREPLY_EXT_ENHANCEDSTATUSCODES,
        SMTPREPLY_EXT_PIPELINING, SMTPREPLY_EXT_CHUNKING,   SMTPREPLY_EXT_SMTPUTF8,  SMTPREPLY_EXT_DSN,
        SMTPREPLY_EXT_REQUIRETLS, SMTPREPLY_EXT_DELIVERBY,  SMTPREPLY_EXT_LIMITS,    SMTPREPLY_EXT_BINARYMIME,
        SMTPREPLY_EXT_AUTH,
    };
    static const char *const mechs[] = { "LOGIN", "PLAIN", "XOAUTH2", "PLAIN-CLIENTTOKEN", "OAUTHBEARER", "XOAUTH" };
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    smtpreply_capability cap;
    const uint8_t *p;
    size_t n, i, idx;
    uint32_t status, cw, rw;
    uint64_t limit, mask, expected_mask = 0, v;

    CHECK(caps != NULL);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT(GMAIL_EHLO)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_domain(caps, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "smtp.gmail.com");
    CHECK_RESULT(smtpreply_capabilities_greeting(caps, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "at your service, [203.0.113.5]");
    CHECK_RESULT(smtpreply_capabilities_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 13);
    CHECK_RESULT(smtpreply_capabilities_size(caps, &status, &limit), SMTPREPLY_OK);
    CHECK_EQ_U(status, SMTPREPLY_SIZE_LIMIT);
    CHECK_EQ_U(limit, 35882577u);

    CHECK_RESULT(smtpreply_capabilities_extensions(caps, &mask), SMTPREPLY_OK);
    for (i = 0; i < sizeof advertised / sizeof advertised[0]; i++) {
        const char *kw = smtpreply_extension_keyword(advertised[i]);
        char lower[32];
        size_t k;
        CHECK(mask & bit(advertised[i]));
        expected_mask |= bit(advertised[i]);
        CHECK(kw != NULL && strlen(kw) < sizeof lower);
        for (k = 0; kw[k]; k++) lower[k] = (char)tolower((unsigned char)kw[k]);
        lower[k] = '\0';
        CHECK(smtpreply_capabilities_has(caps, kw));
        CHECK(smtpreply_capabilities_has(caps, lower)); /* case-insensitive */
        CHECK_RESULT(smtpreply_capabilities_find(caps, lower, &idx), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_capabilities_get(caps, idx, &cap), SMTPREPLY_OK);
        CHECK_EQ_U(cap.extension, advertised[i]);
        CHECK_MEM(cap.keyword, cap.keyword_len, kw, strlen(kw));
    }
    CHECK_EQ_U(mask, expected_mask);
    CHECK(!(mask & bit(SMTPREPLY_EXT_ETRN)));
    CHECK(!smtpreply_capabilities_has(caps, "ETRN"));

    /* Every capability in order, with its parameters. */
    for (i = 0; i < 13; i++) {
        size_t j;
        CHECK_RESULT(smtpreply_capabilities_get(caps, i, &cap), SMTPREPLY_OK);
        for (j = 0; j < cap.param_count; j++) {
            CHECK_RESULT(smtpreply_capabilities_param(caps, i, j, &p, &n), SMTPREPLY_OK);
            /* Each parameter lies inside the params string. */
            CHECK(p >= cap.params && p + n <= cap.params + cap.params_len);
        }
        CHECK_RESULT(smtpreply_capabilities_param(caps, i, cap.param_count, &p, &n), SMTPREPLY_OUT_OF_RANGE);
    }
    CHECK_RESULT(smtpreply_capabilities_find(caps, "LIMITS", &idx), SMTPREPLY_OK);
    CHECK_EQ_U(idx, 10);
    CHECK_RESULT(smtpreply_capabilities_get(caps, idx, &cap), SMTPREPLY_OK);
    CHECK_BYTES(cap.params, cap.params_len, "RCPTMAX=100 MAILMAX=1000");
    CHECK_EQ_U(cap.param_count, 2);
    CHECK_EQ_U(cap.extension, SMTPREPLY_EXT_LIMITS);
    CHECK_RESULT(smtpreply_capabilities_param(caps, idx, 1, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "MAILMAX=1000");
    CHECK_RESULT(smtpreply_capabilities_limit(caps, "rcptmax", &v), SMTPREPLY_OK);
    CHECK_EQ_U(v, 100);
    CHECK_RESULT(smtpreply_capabilities_limit(caps, "MAILMAX", &v), SMTPREPLY_OK);
    CHECK_EQ_U(v, 1000);
    CHECK_RESULT(smtpreply_capabilities_limit(caps, "RCPTDOMAINMAX", &v), SMTPREPLY_NOT_FOUND);
    CHECK_RESULT(smtpreply_capabilities_find(caps, "DELIVERBY", &idx), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_param(caps, idx, 0, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "240");

    CHECK_RESULT(smtpreply_capabilities_auth_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 6);
    for (i = 0; i < 6; i++) {
        CHECK_RESULT(smtpreply_capabilities_auth_mechanism(caps, i, &p, &n), SMTPREPLY_OK);
        CHECK_MEM(p, n, mechs[i], strlen(mechs[i]));
        CHECK(smtpreply_capabilities_supports_auth(caps, mechs[i]));
    }
    CHECK(smtpreply_capabilities_supports_auth(caps, "xoauth2"));
    CHECK(!smtpreply_capabilities_supports_auth(caps, "CRAM-MD5"));
    CHECK(!smtpreply_capabilities_supports_auth(caps, "XOAUTH2 "));
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK_EQ_U(cw, 0);
    CHECK_EQ_U(rw, 0);

    /* SIZE in all its forms. */
    {
        static const struct {
            const char *input;
            uint32_t status;
            uint64_t limit;
            uint32_t warning;
        } sizes[] = {
            { "250-mx\r\n250 SIZE\r\n", SMTPREPLY_SIZE_UNSPECIFIED, 0, 0 },
            { "250-mx\r\n250 SIZE 0\r\n", SMTPREPLY_SIZE_NO_FIXED_LIMIT, 0, 0 },
            { "250-mx\r\n250 SIZE 123\r\n", SMTPREPLY_SIZE_LIMIT, 123, 0 },
            { "250-mx\r\n250 size 18446744073709551615\r\n", SMTPREPLY_SIZE_LIMIT, UINT64_MAX, 0 },
            { "250-mx\r\n250 SIZE 18446744073709551616\r\n", SMTPREPLY_SIZE_INVALID, 0,
              SMTPREPLY_CAPS_WARNING_SIZE_INVALID },
            { "250-mx\r\n250 SIZE -1\r\n", SMTPREPLY_SIZE_INVALID, 0, SMTPREPLY_CAPS_WARNING_SIZE_INVALID },
            { "250-mx\r\n250 8BITMIME\r\n", SMTPREPLY_SIZE_NOT_ADVERTISED, 0, 0 },
        };
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            CHECK_RESULT(smtpreply_capabilities_parse(caps, (const uint8_t *)sizes[i].input, strlen(sizes[i].input)),
                         SMTPREPLY_OK);
            CHECK_RESULT(smtpreply_capabilities_size(caps, &status, &limit), SMTPREPLY_OK);
            CHECK_EQ_U(status, sizes[i].status);
            CHECK_EQ_U(limit, sizes[i].limit);
            CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
            CHECK_EQ_U(cw, sizes[i].warning);
            CHECK_EQ_U(smtpreply_capabilities_has(caps, "SIZE"), sizes[i].status != SMTPREPLY_SIZE_NOT_ADVERTISED);
        }
    }

    /* Legacy AUTH= alone. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n250 AUTH=LOGIN PLAIN\r\n")), SMTPREPLY_OK);
    CHECK(smtpreply_capabilities_has(caps, "AUTH"));
    CHECK(smtpreply_capabilities_supports_auth(caps, "login"));
    CHECK(smtpreply_capabilities_supports_auth(caps, "PLAIN"));
    CHECK_RESULT(smtpreply_capabilities_auth_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 2);
    CHECK_RESULT(smtpreply_capabilities_extensions(caps, &mask), SMTPREPLY_OK);
    CHECK_EQ_U(mask, bit(SMTPREPLY_EXT_AUTH));
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK_EQ_U(cw, SMTPREPLY_CAPS_WARNING_LEGACY_EQUALS);

    /* One line: a domain and nothing advertised. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250 mx.example.com\r\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_domain(caps, &p, &n), SMTPREPLY_OK);
    CHECK_BYTES(p, n, "mx.example.com");
    CHECK_RESULT(smtpreply_capabilities_greeting(caps, &p, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);
    CHECK_RESULT(smtpreply_capabilities_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);
    CHECK_RESULT(smtpreply_capabilities_extensions(caps, &mask), SMTPREPLY_OK);
    CHECK_EQ_U(mask, 0);
    CHECK_RESULT(smtpreply_capabilities_auth_count(caps, &n), SMTPREPLY_OK);
    CHECK_EQ_U(n, 0);

    /* Warnings: duplicate keyword, bad parameter, missing domain, bare LF in the reply. */
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\r\n250-PIPELINING\r\n250-pipelining\r\n250 SMTPUTF8 x\r\n")),
                 SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK_EQ_U(cw, SMTPREPLY_CAPS_WARNING_DUPLICATE_KEYWORD | SMTPREPLY_CAPS_WARNING_BAD_PARAMETER);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250 \r\n")), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK_EQ_U(cw, SMTPREPLY_CAPS_WARNING_MISSING_DOMAIN);
    CHECK_RESULT(smtpreply_capabilities_parse(caps, LIT("250-mx\n250 STARTTLS\n")), SMTPREPLY_OK);
    CHECK(smtpreply_capabilities_has(caps, "STARTTLS"));
    CHECK_RESULT(smtpreply_capabilities_warnings(caps, &cw, &rw), SMTPREPLY_OK);
    CHECK_EQ_U(cw, 0);
    CHECK_EQ_U(rw, SMTPREPLY_WARNING_BARE_LF);

    /* Names of the capability warnings. */
    CHECK_STR(smtpreply_caps_warning_name(SMTPREPLY_CAPS_WARNING_MALFORMED_LINE), "malformed_line");
    CHECK_STR(smtpreply_caps_warning_name(SMTPREPLY_CAPS_WARNING_SIZE_INVALID), "size_invalid");
    CHECK_STR(smtpreply_caps_warning_name(SMTPREPLY_CAPS_WARNING_LEGACY_EQUALS), "legacy_equals");
    CHECK_STR(smtpreply_caps_warning_name(SMTPREPLY_CAPS_WARNING_DUPLICATE_KEYWORD), "duplicate_keyword");
    CHECK_STR(smtpreply_caps_warning_name(SMTPREPLY_CAPS_WARNING_BAD_PARAMETER), "bad_parameter");
    CHECK_STR(smtpreply_caps_warning_name(SMTPREPLY_CAPS_WARNING_MISSING_DOMAIN), "missing_domain");
    smtpreply_capabilities_free(caps);
}

static void capabilities_from_reply(void) {
    smtpreply_capabilities *a = smtpreply_capabilities_new(), *b = smtpreply_capabilities_new();
    smtpreply_reply *r = smtpreply_reply_new();
    smtpreply_stream *s = NULL;
    smtpreply_capability ca, cb;
    size_t consumed, na, nb, i;
    uint64_t ma, mb;
    const uint8_t *p;

    CHECK_RESULT(smtpreply_capabilities_parse(a, LIT(GMAIL_EHLO)), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_parse_reply(LIT(GMAIL_EHLO), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_from_reply(b, r), SMTPREPLY_OK);
    /* The capabilities own their copy: the reply handle can be reused at once. */
    CHECK_RESULT(smtpreply_parse_reply(LIT("221 Bye\r\n"), NULL, r, &consumed), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_count(a, &na), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_count(b, &nb), SMTPREPLY_OK);
    CHECK_EQ_U(na, nb);
    for (i = 0; i < na; i++) {
        CHECK_RESULT(smtpreply_capabilities_get(a, i, &ca), SMTPREPLY_OK);
        CHECK_RESULT(smtpreply_capabilities_get(b, i, &cb), SMTPREPLY_OK);
        CHECK_MEM(ca.keyword, ca.keyword_len, cb.keyword, cb.keyword_len);
        CHECK_MEM(ca.params, ca.params_len, cb.params, cb.params_len);
        CHECK_EQ_U(ca.extension, cb.extension);
    }
    CHECK_RESULT(smtpreply_capabilities_extensions(a, &ma), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_extensions(b, &mb), SMTPREPLY_OK);
    CHECK_EQ_U(ma, mb);
    CHECK_RESULT(smtpreply_capabilities_domain(b, &p, &nb), SMTPREPLY_OK);
    CHECK_BYTES(p, nb, "smtp.gmail.com");
    /* A 221 reply is no EHLO success; b keeps what it held. */
    CHECK_RESULT(smtpreply_capabilities_from_reply(b, r), SMTPREPLY_INVALID_INPUT);
    CHECK(smtpreply_capabilities_has(b, "CHUNKING"));

    /* From a reply taken out of a stream (the usual client path). */
    CHECK_RESULT(smtpreply_stream_new(NULL, &s), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_feed(s, LIT("250-mx.example.net\r\n250-PIPELINING\r\n250 SIZE 1000\r\n")),
                 SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_stream_next(s, r), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_capabilities_from_reply(b, r), SMTPREPLY_OK);
    CHECK(smtpreply_capabilities_has(b, "PIPELINING"));
    CHECK(!smtpreply_capabilities_has(b, "CHUNKING"));
    CHECK_RESULT(smtpreply_capabilities_domain(b, &p, &nb), SMTPREPLY_OK);
    CHECK_BYTES(p, nb, "mx.example.net");
    smtpreply_stream_free(s);

    smtpreply_reply_free(r);
    smtpreply_capabilities_free(a);
    smtpreply_capabilities_free(b);
}

/* ---------------------------------------------------------------- basic codes */

static void codes(void) {
    static const uint32_t known[] = { 211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354, 355, 421, 422, 430, 432,
                                      450, 451, 452, 453, 454, 455, 458, 459, 500, 501, 502, 503, 504, 521, 523, 524,
                                      525, 530, 533, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556 };
    smtpreply_code_info ci;
    smtpreply_code_context greeting, starttls, cc;
    uint32_t code, u;
    size_t i, registered = 0;
    int saw_greeting = 0, saw_starttls = 0;

    /* Every code from 200 to 599 succeeds, described consistently with its digits. */
    for (code = 200; code <= 599; code++) {
        int is_known = 0;
        CHECK_RESULT(smtpreply_code_lookup(code, &ci), SMTPREPLY_OK);
        CHECK_EQ_U(ci.code, code);
        CHECK_EQ_U(ci.severity, code / 100);
        CHECK_EQ_U(ci.category, (code / 10) % 10 <= 5 ? (code / 10) % 10 : SMTPREPLY_CATEGORY_OUT_OF_GRAMMAR);
        CHECK(ci.text != NULL && ci.text[0] != '\0');
        CHECK(ci.explanation != NULL && ci.explanation[0] != '\0');
        CHECK(ci.advice != NULL && ci.advice[0] != '\0');
        CHECK(ci.severity_name != NULL && ci.category_name != NULL && ci.category_description != NULL);
        CHECK_RESULT(smtpreply_code_severity(code, &u), SMTPREPLY_OK);
        CHECK_EQ_U(u, ci.severity);
        CHECK_RESULT(smtpreply_code_category(code, &u), SMTPREPLY_OK);
        CHECK_EQ_U(u, ci.category);
        for (i = 0; i < sizeof known / sizeof known[0]; i++) is_known |= known[i] == code;
        if (is_known) {
            CHECK(ci.status != SMTPREPLY_CODE_STATUS_UNREGISTERED);
            CHECK(ci.source != NULL);
            registered++;
        } else {
            CHECK_EQ_U(ci.status, SMTPREPLY_CODE_STATUS_UNREGISTERED);
            CHECK(ci.source == NULL);
            CHECK(ci.rfc821_text == NULL);
            CHECK_CONTAINS(ci.text, "Unregistered reply code");
        }
    }
    CHECK_EQ_U(registered, sizeof known / sizeof known[0]);

    CHECK_RESULT(smtpreply_code_lookup(250, &ci), SMTPREPLY_OK);
    CHECK_STR(ci.text, "Requested mail action okay, completed");
    CHECK_EQ_U(ci.status, SMTPREPLY_CODE_STATUS_STANDARD);
    CHECK_EQ_U(ci.severity, SMTPREPLY_SEVERITY_POSITIVE_COMPLETION);
    CHECK_EQ_U(ci.category, SMTPREPLY_CATEGORY_MAIL_SYSTEM);
    CHECK_STR(ci.severity_name, "Positive Completion");
    CHECK_STR(ci.category_name, "Mail system");
    CHECK_STR(ci.source, "RFC 5321 §4.2.3");
    CHECK(ci.rfc821_text == NULL);
    CHECK_RESULT(smtpreply_code_lookup(550, &ci), SMTPREPLY_OK);
    CHECK_CONTAINS(ci.text, "Requested action not taken: mailbox unavailable");
    CHECK_CONTAINS(ci.rfc821_text, "mailbox not found, no access");
    CHECK_EQ_U(ci.severity, SMTPREPLY_SEVERITY_PERMANENT_NEGATIVE);
    CHECK_STR(ci.severity_name, "Permanent Negative Completion");
    CHECK_RESULT(smtpreply_code_lookup(538, &ci), SMTPREPLY_OK);
    CHECK_EQ_U(ci.status, SMTPREPLY_CODE_STATUS_HISTORIC);
    CHECK_RESULT(smtpreply_code_lookup(355, &ci), SMTPREPLY_OK);
    CHECK_EQ_U(ci.status, SMTPREPLY_CODE_STATUS_HISTORIC);
    for (i = 0; i < 6; i++) {
        static const uint32_t nonstd[] = { 422, 430, 523, 524, 525, 533 };
        CHECK_RESULT(smtpreply_code_lookup(nonstd[i], &ci), SMTPREPLY_OK);
        CHECK_EQ_U(ci.status, SMTPREPLY_CODE_STATUS_NON_STANDARD);
    }
    CHECK_RESULT(smtpreply_code_lookup(334, &ci), SMTPREPLY_OK);
    CHECK_EQ_U(ci.severity, SMTPREPLY_SEVERITY_POSITIVE_INTERMEDIATE);
    CHECK_EQ_U(ci.category, SMTPREPLY_CATEGORY_UNSPECIFIED_3);
    CHECK_RESULT(smtpreply_code_lookup(421, &ci), SMTPREPLY_OK);
    CHECK_EQ_U(ci.severity, SMTPREPLY_SEVERITY_TRANSIENT_NEGATIVE);
    CHECK_EQ_U(ci.category, SMTPREPLY_CATEGORY_CONNECTIONS);
    CHECK_RESULT(smtpreply_code_category(214, &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_CATEGORY_INFORMATION);
    CHECK_RESULT(smtpreply_code_category(500, &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_CATEGORY_SYNTAX);
    CHECK_RESULT(smtpreply_code_category(545, &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_CATEGORY_UNSPECIFIED_4);
    CHECK_RESULT(smtpreply_code_category(280, &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_CATEGORY_OUT_OF_GRAMMAR);

    /* 220 as a greeting and after STARTTLS: two different meanings. */
    CHECK_RESULT(smtpreply_code_context_for(220, SMTPREPLY_COMMAND_GREETING, &greeting), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_code_context_for(220, SMTPREPLY_COMMAND_STARTTLS, &starttls), SMTPREPLY_OK);
    CHECK_EQ_U(greeting.code, 220);
    CHECK_EQ_U(greeting.command, SMTPREPLY_COMMAND_GREETING);
    CHECK_EQ_U(starttls.command, SMTPREPLY_COMMAND_STARTTLS);
    CHECK_STR(greeting.command_name, "GREETING");
    CHECK_STR(starttls.command_name, "STARTTLS");
    CHECK(strcmp(greeting.meaning, starttls.meaning) != 0);
    CHECK_CONTAINS(starttls.meaning, "TLS");
    CHECK_STR(starttls.source, "RFC 3207 §4");
    CHECK_RESULT(smtpreply_code_context_for(220, SMTPREPLY_COMMAND_RCPT, &cc), SMTPREPLY_NOT_FOUND);
    /* Iterating the contexts of 220 finds both, then ends with OUT_OF_RANGE. */
    for (i = 0; smtpreply_code_context_at(220, i, &cc) == SMTPREPLY_OK; i++) {
        CHECK_EQ_U(cc.code, 220);
        CHECK_STR(cc.command_name, smtpreply_command_name(cc.command));
        saw_greeting |= cc.command == SMTPREPLY_COMMAND_GREETING && strcmp(cc.meaning, greeting.meaning) == 0;
        saw_starttls |= cc.command == SMTPREPLY_COMMAND_STARTTLS && strcmp(cc.meaning, starttls.meaning) == 0;
        CHECK(i < 50);
    }
    CHECK(i >= 2);
    CHECK(saw_greeting && saw_starttls);
    CHECK_RESULT(smtpreply_code_context_at(220, i, &cc), SMTPREPLY_OUT_OF_RANGE);
    /* 550 after RCPT. */
    CHECK_RESULT(smtpreply_code_context_for(550, SMTPREPLY_COMMAND_RCPT, &cc), SMTPREPLY_OK);
    CHECK_EQ_U(cc.command, SMTPREPLY_COMMAND_RCPT);
    CHECK(cc.meaning != NULL && cc.source != NULL);
}

/* ---------------------------------------------------------------- enhanced codes */

static void enhanced(void) {
    smtpreply_enhanced_code ec;
    smtpreply_enhanced_info ei;

    CHECK_RESULT(smtpreply_enhanced_parse(LIT("5.7.26"), &ec), SMTPREPLY_OK);
    CHECK(ec.status_class == 5 && ec.subject == 7 && ec.detail == 26);
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK(ei.code.status_class == 5 && ei.code.subject == 7 && ei.code.detail == 26);
    CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_REGISTERED);
    CHECK_EQ_U(ei.usage, SMTPREPLY_USAGE_ANY);
    CHECK_STR(ei.name, "Multiple authentication checks failed");
    CHECK_STR(ei.reference, "RFC 7372");
    CHECK_STR(ei.basic_codes, "550");
    CHECK(ei.rfc1893_name == NULL);
    CHECK_STR(ei.class_name, "Permanent Failure");
    CHECK_STR(ei.subject_name, "Security or Policy Status");
    CHECK(ei.description && ei.explanation && ei.advice && ei.class_description && ei.class_explanation &&
          ei.class_advice && ei.subject_description);

    /* 5.1.99: not in the registry, described from its subject. */
    CHECK_RESULT(smtpreply_enhanced_parse(LIT("5.1.99"), &ec), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_UNREGISTERED);
    CHECK_EQ_U(ei.usage, SMTPREPLY_USAGE_ANY);
    CHECK_STR(ei.subject_name, "Addressing Status");
    CHECK_STR(ei.name, "Addressing Status");
    CHECK(ei.reference == NULL && ei.basic_codes == NULL && ei.rfc1893_name == NULL);

    /* 2.6.10: deprecated. */
    ec.status_class = 2;
    ec.subject = 6;
    ec.detail = 10;
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_DEPRECATED);
    CHECK_CONTAINS(ei.description, "X.6.8");
    CHECK_STR(ei.class_name, "Success");

    /* X.4.3: RFC 1893 named it differently. */
    ec.status_class = 4;
    ec.subject = 4;
    ec.detail = 3;
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_STR(ei.rfc1893_name, "Routing server failure");
    CHECK_STR(ei.name, "Directory server failure");
    CHECK_EQ_U(ei.usage, SMTPREPLY_USAGE_TRANSIENT_ONLY);
    CHECK_STR(ei.class_name, "Persistent Transient Failure");
    ec.status_class = 5;
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_STR(ei.rfc1893_name, "Routing server failure");

    /* A subject above 7: no subject name; the class describes it. */
    ec.subject = 9;
    ec.detail = 9;
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_UNREGISTERED);
    CHECK(ei.subject_name == NULL && ei.subject_description == NULL);
    CHECK_STR(ei.name, "Permanent Failure");

    /* 5.1.1 from a parsed reply, looked up. */
    CHECK_RESULT(smtpreply_enhanced_parse(LIT("  5.1.1\t"), &ec), SMTPREPLY_OK);
    CHECK_RESULT(smtpreply_enhanced_lookup(&ec, &ei), SMTPREPLY_OK);
    CHECK_EQ_U(ei.status, SMTPREPLY_ENHANCED_STATUS_REGISTERED);
    CHECK_STR(ei.name, "Bad destination mailbox address");
}

/* ---------------------------------------------------------------- names */

static void names(void) {
    static const char *const commands[] = { "UNKNOWN", "GREETING", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "DATA-END",
                                            "BDAT",    "AUTH",     "STARTTLS", "RSET", "VRFY", "EXPN", "HELP", "NOOP",
                                            "QUIT",    "ETRN",     "ATRN",     "SEND", "SOML", "SAML", "TURN" };
    static const char *const warnings[] = { "bare_lf",  "bare_cr",           "code_mismatch",    "code_out_of_grammar",
                                            "non_ascii", "control_char",     "long_line",        "enhanced_mismatch",
                                            "enhanced_partial", "enhanced_class_mismatch", "missing_code" };
    static const uint32_t warning_bits[] = {
        SMTPREPLY_WARNING_BARE_LF,           SMTPREPLY_WARNING_BARE_CR,      SMTPREPLY_WARNING_CODE_MISMATCH,
        SMTPREPLY_WARNING_CODE_OUT_OF_GRAMMAR, SMTPREPLY_WARNING_NON_ASCII,  SMTPREPLY_WARNING_CONTROL_CHAR,
        SMTPREPLY_WARNING_LONG_LINE,         SMTPREPLY_WARNING_ENHANCED_MISMATCH, SMTPREPLY_WARNING_ENHANCED_PARTIAL,
        SMTPREPLY_WARNING_ENHANCED_CLASS_MISMATCH, SMTPREPLY_WARNING_MISSING_CODE,
    };
    uint32_t i, u;

    /* Commands: every number has a name that maps back to it. */
    CHECK_EQ_U(SMTPREPLY_COMMAND_TURN + 1, sizeof commands / sizeof commands[0]);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        CHECK_STR(smtpreply_command_name(i), commands[i]);
        CHECK_RESULT(smtpreply_command_from_name(commands[i], &u), SMTPREPLY_OK);
        CHECK_EQ_U(u, i);
    }
    CHECK_RESULT(smtpreply_command_from_name("rcpt to", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_COMMAND_RCPT);
    CHECK_RESULT(smtpreply_command_from_name("MAIL FROM", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_COMMAND_MAIL);
    CHECK_RESULT(smtpreply_command_from_name("data-end", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_COMMAND_DATA_END);
    CHECK_RESULT(smtpreply_command_from_name(".", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_COMMAND_DATA_END);
    CHECK_RESULT(smtpreply_command_from_name(" starttls ", &u), SMTPREPLY_OK);
    CHECK_EQ_U(u, SMTPREPLY_COMMAND_STARTTLS);
    CHECK_RESULT(smtpreply_command_from_name("FROBNICATE", &u), SMTPREPLY_NOT_FOUND);

    /* Extensions 1 to 35. */
    for (i = 1; i <= SMTPREPLY_EXT_ONEX; i++) {
        const char *kw = smtpreply_extension_keyword(i), *d = smtpreply_extension_description(i);
        CHECK(kw != NULL && kw[0] != '\0');
        CHECK(d != NULL && d[0] != '\0');
        CHECK(i < 64); /* fits the extensions mask */
    }
    CHECK_STR(smtpreply_extension_keyword(SMTPREPLY_EXT_PIPELINING), "PIPELINING");
    CHECK_STR(smtpreply_extension_description(SMTPREPLY_EXT_PIPELINING), "Command pipelining");
    CHECK_STR(smtpreply_extension_keyword(SMTPREPLY_EXT_8BITMIME), "8BITMIME");
    CHECK_STR(smtpreply_extension_keyword(SMTPREPLY_EXT_MT_PRIORITY), "MT-PRIORITY");
    CHECK_STR(smtpreply_extension_keyword(SMTPREPLY_EXT_NO_SOLICITING), "NO-SOLICITING");
    CHECK_STR(smtpreply_extension_keyword(SMTPREPLY_EXT_LIMITS), "LIMITS");
    CHECK_STR(smtpreply_extension_description(SMTPREPLY_EXT_SIZE), "Message size declaration");

    /* Warnings: each bit has a name and a description. */
    for (i = 0; i < sizeof warnings / sizeof warnings[0]; i++) {
        CHECK_EQ_U(warning_bits[i], 1u << i);
        CHECK_STR(smtpreply_warning_name(warning_bits[i]), warnings[i]);
        CHECK(smtpreply_warning_description(warning_bits[i]) != NULL);
        CHECK(strlen(smtpreply_warning_description(warning_bits[i])) > 10);
    }
    CHECK_CONTAINS(smtpreply_warning_description(SMTPREPLY_WARNING_BARE_LF), "bare LF");
}

int main(void) {
    one_reply();
    pipelined();
    stream();
    batch();
    capabilities();
    capabilities_from_reply();
    codes();
    enhanced();
    names();
    return check_summary("test_api");
}
