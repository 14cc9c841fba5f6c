/*
 * smtp-explain: what does an SMTP reply mean, why, and what to do?
 *
 *   smtp-explain 550
 *   smtp-explain 5.7.26
 *   smtp-explain '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown'
 *   smtp-explain < reply.txt          (one or more replies, multi-line allowed)
 *   smtp-explain --json ...           (the same as one JSON object)
 *   smtp-explain --log FILE|-         (a pasted SMTP conversation explained step by step)
 *   smtp-explain --maillog FILE|-     (a Postfix or Exim log: final outcome per recipient, summary)
 *
 * Exit codes: 0 explained, 2 bad input or usage.
 */
#include "common.h"
#include "explain-log.h"
#include "explain-maillog.h"

#include <ctype.h>
#include <smtpreply.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (16u * 1024u * 1024u)
#define MAX_REPLIES 4096

static int json_mode = 0;
static uint32_t command = SMTPREPLY_COMMAND_UNKNOWN;

static void usage(FILE *f) {
    fputs("usage: smtp-explain [--json] [--strict] [--command CMD] CODE | ENHANCED-CODE | 'REPLY TEXT'\n"
          "       smtp-explain [--json] [--strict] [--command CMD] < replies.txt\n"
          "       smtp-explain [--json] [--format NAME] --log FILE   (FILE may be - for standard input)\n"
          "       smtp-explain [--json] --maillog FILE               (FILE may be - for standard input)\n"
          "\n"
          "Explains an SMTP reply code (550), an enhanced status code (5.7.26) or whole server\n"
          "replies (single- or multi-line): what they mean, in RFC words and in plain words, why the\n"
          "reply failed (reason, soft or hard bounce, retry or not) and what to do. --command names\n"
          "the command the reply answered (GREETING, EHLO, MAIL, RCPT, DATA, DATA-END, AUTH ...).\n"
          "--json prints one JSON object. --strict refuses replies that deviate from RFC 5321.\n"
          "--log explains a pasted SMTP conversation step by step: a mail client's connection log\n"
          "(Server:/Client:), RFC-style S:/C:, telnet tutorials (-> <-), a raw telnet session, swaks,\n"
          "curl -v, Python smtplib debug output, an Exchange protocol log or a bounce; what each\n"
          "reply answers and means, protocol deviations, and the outcome per recipient. The format\n"
          "is detected; --format names it (server_client, rfc, arrows, swaks, curl, telnet, smtplib,\n"
          "exchange, bounce). AUTH credentials are masked.\n"
          "--maillog reads a Postfix or Exim delivery log of any size (streamed) and summarises the\n"
          "final outcome of every recipient: counts per status, per reason (with what it means and\n"
          "what to do), per recipient domain, and the most frequent failure replies.\n"
          "Exit code 2 on bad input.\n",
          f);
}

static int fail(const char *what, uint32_t result) {
    report_error(what, result);
    return 2;
}

/* ---- names for the numbers of the C API ---- */

static const char *status_key(uint32_t s) {
    switch (s) {
    case SMTPREPLY_CODE_STATUS_STANDARD: return "standard";
    case SMTPREPLY_CODE_STATUS_HISTORIC: return "historic";
    case SMTPREPLY_CODE_STATUS_NON_STANDARD: return "non_standard";
    default: return "unregistered";
    }
}

static const char *enhanced_status_key(uint32_t s) {
    switch (s) {
    case SMTPREPLY_ENHANCED_STATUS_REGISTERED: return "registered";
    case SMTPREPLY_ENHANCED_STATUS_DEPRECATED: return "deprecated";
    default: return "unregistered";
    }
}

static const char *severity_key(uint32_t s) {
    switch (s) {
    case SMTPREPLY_SEVERITY_POSITIVE_COMPLETION: return "positive_completion";
    case SMTPREPLY_SEVERITY_POSITIVE_INTERMEDIATE: return "positive_intermediate";
    case SMTPREPLY_SEVERITY_TRANSIENT_NEGATIVE: return "transient_negative";
    default: return "permanent_negative";
    }
}

/* ---- text output ---- */

/* Prints `s` wrapped at 78 columns, every line indented by `indent` spaces. */

static void text_code(const smtpreply_code_info *c, int with_contexts) {
    smtpreply_code_context ctx;
    size_t i;
    printf("  %u  %s\n", c->code, c->text);
    if (c->source) printf("       (%s)\n", c->source);
    printf("       %s, %s: %s\n", c->severity_name, c->category_name, c->category_description);
    if (c->rfc821_text) printf("       RFC 821 words it: %s\n", c->rfc821_text);
    if (c->status == SMTPREPLY_CODE_STATUS_NON_STANDARD)
        printf("       Not defined by any SMTP RFC; listed only in the IANA enhanced status code registry.\n");
    if (c->status == SMTPREPLY_CODE_STATUS_HISTORIC) printf("       Historic or experimental.\n");
    if (with_contexts) {
        for (i = 0; smtpreply_code_context_at(c->code, i, &ctx) == SMTPREPLY_OK; i++) {
            if (i == 0) printf("\n  After particular commands:\n");
            printf("    %-9s %s (%s)\n", ctx.command_name, ctx.meaning, ctx.source);
        }
    }
}

static void text_enhanced(const smtpreply_enhanced_info *e) {
    printf("  %u.%u.%u  %s\n", e->code.status_class, e->code.subject, e->code.detail, e->name);
    if (e->reference) printf("       (%s; registry basic codes: %s)\n", e->reference, e->basic_codes);
    if (e->status == SMTPREPLY_ENHANCED_STATUS_UNREGISTERED)
        printf("       Not in the IANA registry: described from its class and subject.\n");
    if (e->status == SMTPREPLY_ENHANCED_STATUS_DEPRECATED) printf("       Deprecated by the registry.\n");
    print_wrapped(e->description, 7);
    printf("       Class %u: %s. Subject %u: %s.\n", e->code.status_class, e->class_name, e->code.subject,
           e->subject_name ? e->subject_name : "not defined by RFC 3463");
    if (e->rfc1893_name) printf("       RFC 1893 calls it: %s\n", e->rfc1893_name);
}

/* ---- JSON output ---- */

static void json_code(const smtpreply_code_info *c) {
    smtpreply_code_context ctx;
    size_t i;
    printf("{\"code\":%u,\"status\":\"%s\",\"severity\":\"%s\",\"severity_name\":", c->code, status_key(c->status),
           severity_key(c->severity));
    json_str(stdout, c->severity_name);
    printf(",\"category\":%u,\"category_name\":", c->category);
    json_str(stdout, c->category_name);
    printf(",\"text\":");
    json_str(stdout, c->text);
    printf(",\"rfc821_text\":");
    json_str(stdout, c->rfc821_text);
    printf(",\"source\":");
    json_str(stdout, c->source);
    printf(",\"explanation\":");
    json_str(stdout, c->explanation);
    printf(",\"advice\":");
    json_str(stdout, c->advice);
    printf(",\"contexts\":[");
    for (i = 0; smtpreply_code_context_at(c->code, i, &ctx) == SMTPREPLY_OK; i++) {
        printf("%s{\"command\":", i ? "," : "");
        json_str(stdout, ctx.command_name);
        printf(",\"meaning\":");
        json_str(stdout, ctx.meaning);
        printf(",\"source\":");
        json_str(stdout, ctx.source);
        printf("}");
    }
    printf("]}");
}

static void json_enhanced(const smtpreply_enhanced_info *e) {
    printf("{\"code\":\"%u.%u.%u\",\"status\":\"%s\",\"name\":", e->code.status_class, e->code.subject, e->code.detail,
           enhanced_status_key(e->status));
    json_str(stdout, e->name);
    printf(",\"description\":");
    json_str(stdout, e->description);
    printf(",\"rfc1893_name\":");
    json_str(stdout, e->rfc1893_name);
    printf(",\"basic_codes\":");
    json_str(stdout, e->basic_codes);
    printf(",\"reference\":");
    json_str(stdout, e->reference);
    printf(",\"class_name\":");
    json_str(stdout, e->class_name);
    printf(",\"subject_name\":");
    json_str(stdout, e->subject_name);
    printf(",\"explanation\":");
    json_str(stdout, e->explanation);
    printf(",\"advice\":");
    json_str(stdout, e->advice);
    printf("}");
}

/* ---- classification ---- */

static void text_classification(const smtpreply_classification *k, const uint8_t *input) {
    printf("\nVerdict:\n");
    printf("  reason      %s\n", k->reason_name);
    printf("  bounce      %s%s\n", k->bounce_name,
           k->bounce == SMTPREPLY_BOUNCE_NONE ? "" : (k->retry ? " (retry later)" : " (do not retry)"));
    printf("  action      %s%s\n", k->action_name, k->consequence ? " (this reply only repeats an earlier failure)" : "");
    if (k->blocklist != SMTPREPLY_BLOCKLIST_NONE) {
        printf("  blocklist   %s", k->blocklist_name);
        if (k->blocklist_len) {
            printf(" (\"");
            print_bytes(stdout, input + k->blocklist_offset, k->blocklist_len);
            printf("\")");
        }
        printf("\n");
    }
    if (k->has_retry_after) printf("  retry after %u seconds\n", k->retry_after);
    printf("  decided by  %s rule %s", smtpreply_rule_kind_name(k->rule_kind), k->rule);
    if (k->evidence_len) {
        printf(": \"");
        print_bytes(stdout, input + k->evidence_offset, k->evidence_len);
        printf("\"");
    }
    printf("\n              source: %s\n", k->rule_source);
    if (k->reason != SMTPREPLY_REASON_SUCCESS) {
        printf("\n");
        print_wrapped(k->explanation, 2);
        print_wrapped(k->advice, 2);
    }
}

static void json_span(const uint8_t *input, size_t offset, size_t len) {
    if (len == 0) {
        printf("null");
        return;
    }
    printf("{\"start\":%lu,\"end\":%lu,\"text\":", (unsigned long)offset, (unsigned long)(offset + len));
    json_bytes(stdout, input + offset, len);
    printf("}");
}

static void json_classification(const smtpreply_classification *k, const uint8_t *input) {
    printf("{\"reason\":");
    json_str(stdout, k->reason_name);
    printf(",\"bounce\":");
    json_str(stdout, k->bounce_name);
    printf(",\"retry\":%s,\"action\":", k->retry ? "true" : "false");
    json_str(stdout, k->action_name);
    printf(",\"command\":");
    json_str(stdout, k->command == SMTPREPLY_COMMAND_UNKNOWN ? NULL : smtpreply_command_name(k->command));
    printf(",\"blocklist\":");
    json_str(stdout, k->blocklist_name);
    printf(",\"blocklist_span\":");
    json_span(input, k->blocklist_offset, k->blocklist_len);
    printf(",\"retry_after\":");
    if (k->has_retry_after) printf("%u", k->retry_after);
    else printf("null");
    printf(",\"consequence\":%s,\"rule_kind\":", k->consequence ? "true" : "false");
    json_str(stdout, smtpreply_rule_kind_name(k->rule_kind));
    printf(",\"rule\":");
    json_str(stdout, k->rule);
    printf(",\"rule_source\":");
    json_str(stdout, k->rule_source);
    printf(",\"evidence\":");
    json_span(input, k->evidence_offset, k->evidence_len);
    printf(",\"explanation\":");
    json_str(stdout, k->explanation);
    printf(",\"advice\":");
    json_str(stdout, k->advice);
    printf("}");
}

/* ---- the three kinds of input ---- */

static int explain_code(uint32_t code) {
    smtpreply_code_info c;
    uint32_t r = smtpreply_code_lookup(code, &c);
    if (r != SMTPREPLY_OK) return fail("not a reply code", r);
    if (json_mode) {
        printf("{\"kind\":\"code\",\"code\":");
        json_code(&c);
        printf(",\"explanation\":");
        json_str(stdout, c.explanation);
        printf(",\"advice\":");
        json_str(stdout, c.advice);
        printf("}\n");
        return 0;
    }
    printf("Reply code %u\n\n", code);
    text_code(&c, 1);
    printf("\nWhat it means:\n");
    print_wrapped(c.explanation, 2);
    printf("\nWhat to do:\n");
    print_wrapped(c.advice, 2);
    return 0;
}

static int explain_enhanced(const char *arg) {
    smtpreply_enhanced_code code;
    smtpreply_enhanced_info e;
    uint32_t r = smtpreply_enhanced_parse((const uint8_t *)arg, strlen(arg), &code);
    if (r != SMTPREPLY_OK) return fail("not an enhanced status code", r);
    r = smtpreply_enhanced_lookup(&code, &e);
    if (r != SMTPREPLY_OK) return fail("enhanced status code lookup", r);
    if (json_mode) {
        printf("{\"kind\":\"enhanced\",\"enhanced\":");
        json_enhanced(&e);
        printf(",\"explanation\":");
        json_str(stdout, e.explanation);
        printf(",\"advice\":");
        json_str(stdout, e.advice);
        printf("}\n");
        return 0;
    }
    printf("Enhanced status code %u.%u.%u\n\n", code.status_class, code.subject, code.detail);
    text_enhanced(&e);
    printf("\nWhat it means:\n");
    print_wrapped(e.explanation, 2);
    print_wrapped(e.class_explanation, 2);
    printf("\nWhat to do:\n");
    print_wrapped(e.advice, 2);
    return 0;
}

/* Explains one parsed reply. `first` is false for the second and later replies of a JSON list. */
static int explain_reply(const smtpreply_reply *reply, int first) {
    smtpreply_reply_info info;
    smtpreply_code_info c;
    smtpreply_enhanced_info e;
    smtpreply_line line;
    smtpreply_classification k;
    uint32_t r, bit;
    size_t i;
    int warned = 0, specific;
    const char *advice, *explanation;

    if ((r = smtpreply_reply_get_info(reply, &info)) != SMTPREPLY_OK) return fail("reading the reply", r);
    if ((r = smtpreply_code_lookup(info.code, &c)) != SMTPREPLY_OK) return fail("code lookup", r);
    if (info.has_enhanced && (r = smtpreply_enhanced_lookup(&info.enhanced, &e)) != SMTPREPLY_OK)
        return fail("enhanced status code lookup", r);
    if ((r = smtpreply_classify_reply(reply, command, &k)) != SMTPREPLY_OK) return fail("classifying the reply", r);
    /* The enhanced code is the more specific of the two, when the registry knows it. */
    specific = info.has_enhanced && e.status != SMTPREPLY_ENHANCED_STATUS_UNREGISTERED;
    advice = specific ? e.advice : c.advice;
    explanation = specific ? e.explanation : c.explanation;

    if (json_mode) {
        printf("%s{\"kind\":\"reply\",\"reply\":{\"code\":%u,\"enhanced\":", first ? "" : ",", info.code);
        if (info.has_enhanced)
            printf("\"%u.%u.%u\"", info.enhanced.status_class, info.enhanced.subject, info.enhanced.detail);
        else
            printf("null");
        printf(",\"warnings\":[");
        for (bit = 1; bit != 0; bit <<= 1) {
            if (info.warnings & bit) {
                printf("%s", warned++ ? "," : "");
                json_str(stdout, smtpreply_warning_name(bit));
            }
        }
        printf("],\"lines\":[");
        for (i = 0; i < info.line_count; i++) {
            if (smtpreply_reply_get_line(reply, i, &line) != SMTPREPLY_OK) return fail("reading a line", r);
            printf("%s", i ? "," : "");
            json_bytes(stdout, line.text, line.text_len);
        }
        printf("],\"raw\":");
        json_bytes(stdout, info.raw, info.raw_len);
        printf("},\"code\":");
        json_code(&c);
        printf(",\"enhanced\":");
        if (info.has_enhanced) json_enhanced(&e);
        else printf("null");
        printf(",\"classification\":");
        json_classification(&k, info.raw);
        printf(",\"explanation\":");
        json_str(stdout, explanation);
        printf(",\"advice\":");
        json_str(stdout, advice);
        printf("}");
        return 0;
    }

    printf("%sReply:\n", first ? "" : "\n\n");
    for (i = 0; i < info.line_count; i++) {
        if ((r = smtpreply_reply_get_line(reply, i, &line)) != SMTPREPLY_OK) return fail("reading a line", r);
        printf("  | ");
        print_bytes(stdout, line.content, line.content_len);
        printf("\n");
    }
    printf("\n");
    text_code(&c, 0);
    if (info.has_enhanced) text_enhanced(&e);
    printf("\nWhat it means:\n");
    print_wrapped(explanation, 2);
    printf("\nWhat to do:\n");
    print_wrapped(advice, 2);
    text_classification(&k, info.raw);
    if (info.warnings) {
        printf("\nDeviations from RFC 5321 in this reply:\n");
        for (bit = 1; bit != 0; bit <<= 1)
            if (info.warnings & bit) printf("  - %s (%s)\n", smtpreply_warning_description(bit), smtpreply_warning_name(bit));
    }
    return 0;
}

/* Where a reply relayed inside a log or bounce line starts ("host mx said: 550 ...",
 * "Diagnostic-Code: smtp; 550 ..."): the first reply code after a marker on the line at `at`.
 * Returns `at` when there is none. */
static size_t embedded_reply(const uint8_t *data, size_t len, size_t at) {
    static const char *const markers[] = {"said:", "smtp;", "Diagnostic-Code:", "reply:", "response:"};
    size_t end = at, i, m;
    while (end < len && data[end] != '\n') end++;
    for (m = 0; m < sizeof markers / sizeof markers[0]; m++) {
        size_t n = strlen(markers[m]);
        for (i = at; i + n <= end; i++) {
            size_t j, k;
            for (k = 0; k < n && tolower(data[i + k]) == tolower((unsigned char)markers[m][k]); k++)
                ;
            if (k < n) continue;
            for (j = i + n; j < end && (data[j] == ' ' || data[j] == '\t'); j++)
                ;
            if (j + 3 <= end && data[j] >= '2' && data[j] <= '5' && isdigit(data[j + 1]) && isdigit(data[j + 2]) &&
                (j + 3 == end || data[j + 3] == ' ' || data[j + 3] == '-' || data[j + 3] == '\r'))
                return j;
        }
    }
    return at;
}

/* Parses every reply in `data` first (so that bad input prints nothing), then explains each. */
static int explain_replies(const uint8_t *data, size_t len, const smtpreply_parser_options *opts) {
    size_t offsets[MAX_REPLIES], count = 0, at = 0, consumed, i;
    smtpreply_reply *reply = smtpreply_reply_new();
    uint32_t r;
    int rc = 0;

    while (at < len) {
        /* Blank lines between pasted replies are not replies. */
        while (at < len && (data[at] == '\r' || data[at] == '\n' || data[at] == ' ' || data[at] == '\t')) at++;
        if (at == len) break;
        r = smtpreply_parse_reply(data + at, len - at, opts, reply, &consumed);
        if (r == SMTPREPLY_INVALID_INPUT && embedded_reply(data, len, at) != at) {
            at = embedded_reply(data, len, at);
            r = smtpreply_parse_reply(data + at, len - at, opts, reply, &consumed);
        }
        if (r == SMTPREPLY_NEED_MORE) {
            fprintf(stderr, "smtp-explain: the input ends in the middle of a reply (a multi-line reply needs a last line \"CODE text\")\n");
            rc = 2;
            goto out;
        }
        if (r != SMTPREPLY_OK) {
            rc = fail("not an SMTP reply", r);
            goto out;
        }
        if (count == MAX_REPLIES) {
            fprintf(stderr, "smtp-explain: more than %u replies in the input\n", MAX_REPLIES);
            rc = 2;
            goto out;
        }
        offsets[count++] = at;
        at += consumed;
    }
    if (count == 0) {
        fprintf(stderr, "smtp-explain: no reply in the input\n");
        rc = 2;
        goto out;
    }
    if (json_mode && count > 1) printf("{\"kind\":\"replies\",\"replies\":[");
    for (i = 0; i < count && rc == 0; i++) {
        r = smtpreply_parse_reply(data + offsets[i], len - offsets[i], opts, reply, &consumed);
        rc = r == SMTPREPLY_OK ? explain_reply(reply, i == 0) : fail("not an SMTP reply", r);
    }
    if (json_mode) printf(count > 1 ? "]}\n" : "\n");
out:
    smtpreply_reply_free(reply);
    return rc;
}

static int all_digits(const char *s) {
    if (*s == '\0') return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

static int digits_and_dots(const char *s) {
    int dots = 0;
    for (; *s; s++) {
        if (*s == '.') dots++;
        else if (!isdigit((unsigned char)*s)) return 0;
    }
    return dots > 0;
}

int main(int argc, char **argv) {
    const char *arg = NULL, *maillog_path = NULL, *log_path = NULL, *format = NULL;
    smtpreply_parser_options opts;
    int i, rc;

    smtpreply_parser_options_init(&opts);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json_mode = 1;
        else if (strcmp(argv[i], "--strict") == 0) opts.flags |= SMTPREPLY_PARSE_STRICT;
        else if (strcmp(argv[i], "--command") == 0) {
            if (i + 1 == argc) { fprintf(stderr, "smtp-explain: --command needs a command name (RCPT, MAIL, DATA-END ...)\n"); return 2; }
            if (smtpreply_command_from_name(argv[++i], &command) != SMTPREPLY_OK) {
                fprintf(stderr, "smtp-explain: unknown command %s (use GREETING, EHLO, MAIL, RCPT, DATA, DATA-END, AUTH ...)\n", argv[i]);
                return 2;
            }
        }
        else if (strcmp(argv[i], "--log") == 0) {
            if (i + 1 == argc) { fprintf(stderr, "smtp-explain: --log needs a file name (or - for standard input)\n"); return 2; }
            log_path = argv[++i];
        }
        else if (strcmp(argv[i], "--format") == 0) {
            if (i + 1 == argc) { fprintf(stderr, "smtp-explain: --format needs a format name (swaks, curl, rfc ...)\n"); return 2; }
            format = argv[++i];
        }
        else if (strcmp(argv[i], "--maillog") == 0) {
            if (i + 1 == argc) { fprintf(stderr, "smtp-explain: --maillog needs a file name (or - for standard input)\n"); return 2; }
            maillog_path = argv[++i];
        }
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { usage(stdout); return 0; }
        else if (strcmp(argv[i], "--version") == 0) { printf("smtp-explain (smtpreply %s)\n", smtpreply_version()); return 0; }
        else if (argv[i][0] == '-' && argv[i][1] == '-') { fprintf(stderr, "smtp-explain: unknown option %s\n", argv[i]); usage(stderr); return 2; }
        else if (arg != NULL) { fprintf(stderr, "smtp-explain: give one code or reply (quote a reply with spaces)\n"); usage(stderr); return 2; }
        else arg = argv[i];
    }

    if (format != NULL && log_path == NULL) { fprintf(stderr, "smtp-explain: --format goes with --log\n"); return 2; }
    if (log_path != NULL) {
        if (arg != NULL || maillog_path != NULL) { fprintf(stderr, "smtp-explain: --log takes a file, and nothing else\n"); usage(stderr); return 2; }
        return explain_log(log_path, format, json_mode);
    }
    if (maillog_path != NULL) {
        if (arg != NULL) { fprintf(stderr, "smtp-explain: --maillog takes a file, not a reply as well\n"); usage(stderr); return 2; }
        return explain_maillog(maillog_path, json_mode);
    }
    if (arg == NULL) {
        uint8_t *data;
        size_t len;
        int got = read_all(stdin, MAX_INPUT, &data, &len);
        if (got == -2) { fprintf(stderr, "smtp-explain: the input is larger than %u bytes\n", MAX_INPUT); return 2; }
        if (got != 0) { fprintf(stderr, "smtp-explain: cannot read standard input\n"); return 2; }
        if (len > 0 && data[len - 1] != '\n') {
            /* A pasted reply often lacks its final line end. */
            uint8_t *more = realloc(data, len + 2);
            if (more == NULL) { free(data); return 2; }
            data = more;
            data[len++] = '\r';
            data[len++] = '\n';
        }
        rc = explain_replies(data, len, &opts);
        free(data);
        return rc;
    }
    while (*arg == ' ' || *arg == '\t') arg++;
    if (all_digits(arg)) {
        if (strlen(arg) != 3) { fprintf(stderr, "smtp-explain: %s is not an SMTP reply code (three digits, 200 to 599)\n", arg); return 2; }
        return explain_code((uint32_t)atoi(arg));
    }
    if (digits_and_dots(arg)) return explain_enhanced(arg);
    {
        size_t n = strlen(arg);
        char *line = malloc(n + 3);
        if (line == NULL) return 2;
        memcpy(line, arg, n);
        if (n == 0 || line[n - 1] != '\n') { line[n++] = '\r'; line[n++] = '\n'; }
        rc = explain_replies((const uint8_t *)line, n, &opts);
        free(line);
        return rc;
    }
}
