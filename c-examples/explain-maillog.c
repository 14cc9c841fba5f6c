/*
 * smtp-explain --maillog: a Postfix or Exim delivery log of any size, streamed through the library,
 * summarised: the final outcome of every recipient, counts per status, per reason (with what it
 * means and what to do), per recipient domain, and the most frequent failure replies.
 */
#include "explain-maillog.h"

#include "common.h"

#include <smtpreply.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, uint32_t result) {
    report_error(what, result);
    return 2;
}


#define MAILLOG_CHUNK (64u * 1024u)
/* Rows of the text report; JSON lists every domain and group. */
#define TOP_REASONS 5
#define TOP_DOMAINS 10
#define TOP_GROUPS 5

struct reason_row {
    uint32_t reason;
    uint64_t count;
};

/* Failure reasons by count (descending), then by number; SUCCESS left out. Returns how many. */
static size_t failure_reasons(const smtpreply_maillog *log, struct reason_row rows[], size_t cap) {
    size_t n = 0, i;
    uint32_t r;
    uint64_t c;
    for (r = 1; smtpreply_reason_name(r) != NULL && n < cap; r++) {
        if (smtpreply_maillog_reason_count(log, r, &c) != SMTPREPLY_OK || c == 0) continue;
        for (i = n; i > 0 && rows[i - 1].count < c; i--) rows[i] = rows[i - 1];
        rows[i].reason = r;
        rows[i].count = c;
        n++;
    }
    return n;
}

static double percent(uint64_t part, uint64_t whole) {
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void json_u64(const char *key, uint64_t v, int first) {
    printf("%s\"%s\":%llu", first ? "" : ",", key, (unsigned long long)v);
}

static void maillog_json(smtpreply_maillog *log, const char *path, const smtpreply_maillog_summary *s) {
    struct reason_row rows[32];
    size_t n = failure_reasons(log, rows, 32), count = 0, i;
    smtpreply_maillog_domain d;
    smtpreply_maillog_group g;

    printf("{\"kind\":\"maillog\",\"file\":");
    json_str(stdout, strcmp(path, "-") == 0 ? NULL : path);
    printf(",\"summary\":{");
    json_u64("bytes", s->bytes, 1);
    json_u64("lines", s->lines, 0);
    json_u64("lines_too_long", s->lines_too_long, 0);
    json_u64("lines_other", s->lines_other, 0);
    json_u64("postfix_lines", s->postfix_lines, 0);
    json_u64("exim_lines", s->exim_lines, 0);
    json_u64("message_lines", s->message_lines, 0);
    json_u64("messages", s->messages, 0);
    json_u64("deferrals", s->deferrals, 0);
    json_u64("recipients", s->recipients, 0);
    json_u64("delivered", s->delivered, 0);
    json_u64("deferred", s->deferred, 0);
    json_u64("bounced", s->bounced, 0);
    json_u64("expired", s->expired, 0);
    json_u64("evicted", s->evicted, 0);
    json_u64("domains", s->domains, 0);
    json_u64("domains_folded", s->domains_folded, 0);
    printf(",\"first_timestamp\":");
    if (s->first_timestamp_len) json_bytes(stdout, s->first_timestamp, s->first_timestamp_len);
    else printf("null");
    printf(",\"last_timestamp\":");
    if (s->last_timestamp_len) json_bytes(stdout, s->last_timestamp, s->last_timestamp_len);
    else printf("null");
    printf("},\"reasons\":[");
    for (i = 0; i < n; i++) {
        printf("%s{\"reason\":", i ? "," : "");
        json_str(stdout, smtpreply_reason_name(rows[i].reason));
        printf(",\"count\":%llu,\"explanation\":", (unsigned long long)rows[i].count);
        json_str(stdout, smtpreply_reason_explanation(rows[i].reason));
        printf(",\"advice\":");
        json_str(stdout, smtpreply_reason_advice(rows[i].reason));
        printf("}");
    }
    printf("],\"domains\":[");
    (void)smtpreply_maillog_domain_count(log, &count);
    for (i = 0; i < count && smtpreply_maillog_domain_at(log, i, &d) == SMTPREPLY_OK; i++) {
        printf("%s{\"domain\":", i ? "," : "");
        if (d.other) printf("null");
        else json_bytes(stdout, d.domain, d.domain_len);
        printf(",\"other\":%s", d.other ? "true" : "false");
        json_u64("recipients", d.recipients, 0);
        json_u64("delivered", d.delivered, 0);
        json_u64("deferred", d.deferred, 0);
        json_u64("bounced", d.bounced, 0);
        json_u64("expired", d.expired, 0);
        printf(",\"top_failure\":");
        json_str(stdout, d.top_failure_name);
        json_u64("top_failure_count", d.top_failure_count, 0);
        printf("}");
    }
    printf("],\"groups\":[");
    count = 0;
    (void)smtpreply_maillog_group_count(log, &count);
    for (i = 0; i < count && smtpreply_maillog_group_at(log, i, &g) == SMTPREPLY_OK; i++) {
        printf("%s{\"reason\":", i ? "," : "");
        json_str(stdout, g.reason_name);
        printf(",\"code\":");
        if (g.code) printf("%u", g.code);
        else printf("null");
        printf(",\"enhanced\":");
        if (g.has_enhanced) printf("\"%u.%u.%u\"", g.enhanced.status_class, g.enhanced.subject, g.enhanced.detail);
        else printf("null");
        printf(",\"rule\":");
        json_str(stdout, g.rule);
        json_u64("count", g.count, 0);
        json_u64("deferred", g.deferred, 0);
        json_u64("bounced", g.bounced, 0);
        json_u64("expired", g.expired, 0);
        printf(",\"example\":");
        json_bytes(stdout, g.example, g.example_len);
        printf("}");
    }
    printf("]}\n");
}

static void maillog_text(smtpreply_maillog *log, const char *path, const smtpreply_maillog_summary *s) {
    struct reason_row rows[32];
    size_t n = failure_reasons(log, rows, 32), count = 0, i;
    uint64_t failed = s->deferred + s->bounced + s->expired;
    smtpreply_maillog_domain d;
    smtpreply_maillog_group g;

    printf("Mail log %s\n", strcmp(path, "-") == 0 ? "(standard input)" : path);
    printf("  %llu lines: %llu Postfix and %llu Exim delivery lines, %llu message lines, %llu other",
           (unsigned long long)s->lines, (unsigned long long)s->postfix_lines, (unsigned long long)s->exim_lines,
           (unsigned long long)s->message_lines, (unsigned long long)s->lines_other);
    if (s->lines_too_long) printf(", %llu too long (skipped)", (unsigned long long)s->lines_too_long);
    printf("\n");
    if (s->first_timestamp_len) {
        printf("  from ");
        print_bytes(stdout, s->first_timestamp, s->first_timestamp_len);
        printf(" to ");
        print_bytes(stdout, s->last_timestamp, s->last_timestamp_len);
        printf("\n");
    }
    printf("  %llu messages arrived, %llu deferral lines\n", (unsigned long long)s->messages,
           (unsigned long long)s->deferrals);

    printf("\nRecipients, by final outcome: %llu\n", (unsigned long long)s->recipients);
    printf("  delivered  %10llu  %5.1f%%\n", (unsigned long long)s->delivered, percent(s->delivered, s->recipients));
    printf("  bounced    %10llu  %5.1f%%\n", (unsigned long long)s->bounced, percent(s->bounced, s->recipients));
    printf("  expired    %10llu  %5.1f%%\n", (unsigned long long)s->expired, percent(s->expired, s->recipients));
    printf("  deferred   %10llu  %5.1f%%  (still deferred when the log ends)\n", (unsigned long long)s->deferred,
           percent(s->deferred, s->recipients));
    if (s->evicted)
        printf("  (%llu deferred recipients were evicted from the bounded state and counted as deferred)\n",
               (unsigned long long)s->evicted);

    if (n > 0) {
        printf("\nWhy mail was not delivered (%llu recipients):\n", (unsigned long long)failed);
        for (i = 0; i < n; i++)
            printf("  %-22s %10llu  %5.1f%%\n", smtpreply_reason_name(rows[i].reason), (unsigned long long)rows[i].count,
                   percent(rows[i].count, failed));
        for (i = 0; i < n && i < TOP_REASONS; i++) {
            printf("\n  %s (%llu):\n", smtpreply_reason_name(rows[i].reason), (unsigned long long)rows[i].count);
            print_wrapped(smtpreply_reason_explanation(rows[i].reason), 4);
            printf("    What to do:\n");
            print_wrapped(smtpreply_reason_advice(rows[i].reason), 6);
        }
    }

    (void)smtpreply_maillog_domain_count(log, &count);
    if (count > 0) {
        printf("\nRecipient domains (%llu", (unsigned long long)s->domains);
        if (s->domains_folded) printf(" and %llu recipients of further domains in \"other\"", (unsigned long long)s->domains_folded);
        printf("), the %u with most recipients:\n", (unsigned)(count < TOP_DOMAINS ? count : TOP_DOMAINS));
        printf("  %-28s %10s %10s %9s %8s %8s  %s\n", "domain", "recipients", "delivered", "deferred", "bounced",
               "expired", "most frequent failure");
        for (i = 0; i < count && i < TOP_DOMAINS && smtpreply_maillog_domain_at(log, i, &d) == SMTPREPLY_OK; i++) {
            printf("  ");
            if (d.other) printf("%-28s", "(other domains)");
            else if (d.domain_len == 0) printf("%-28s", "(no domain)");
            else {
                print_bytes(stdout, d.domain, d.domain_len);
                if (d.domain_len < 28) printf("%*s", (int)(28 - d.domain_len), "");
            }
            printf(" %10llu %10llu %9llu %8llu %8llu  ", (unsigned long long)d.recipients,
                   (unsigned long long)d.delivered, (unsigned long long)d.deferred, (unsigned long long)d.bounced,
                   (unsigned long long)d.expired);
            if (d.has_top_failure) printf("%s (%llu)\n", d.top_failure_name, (unsigned long long)d.top_failure_count);
            else printf("-\n");
        }
    }

    count = 0;
    (void)smtpreply_maillog_group_count(log, &count);
    if (count > 0) {
        printf("\nMost frequent failure replies:\n");
        for (i = 0; i < count && i < TOP_GROUPS && smtpreply_maillog_group_at(log, i, &g) == SMTPREPLY_OK; i++) {
            printf("  %llu x %s", (unsigned long long)g.count, g.reason_name);
            if (g.code) printf(", %u", g.code);
            if (g.has_enhanced) printf(" %u.%u.%u", g.enhanced.status_class, g.enhanced.subject, g.enhanced.detail);
            printf(" (rule %s; %llu bounced, %llu expired, %llu deferred)\n", g.rule, (unsigned long long)g.bounced,
                   (unsigned long long)g.expired, (unsigned long long)g.deferred);
            printf("      e.g. ");
            print_bytes(stdout, g.example, g.example_len);
            printf("\n");
        }
    }
}

/* Streams a log file (or standard input for "-") through the library in chunks: memory stays
 * bounded whatever the size of the file. */
int explain_maillog(const char *path, int json) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    smtpreply_maillog_options o;
    smtpreply_maillog *log = NULL;
    smtpreply_maillog_summary s;
    uint8_t *buf;
    size_t n;
    uint32_t r;
    int rc = 0;

    if (f == NULL) {
        fprintf(stderr, "smtp-explain: cannot open %s\n", path);
        return 2;
    }
    buf = malloc(MAILLOG_CHUNK);
    smtpreply_maillog_options_init(&o);
    o.flags = SMTPREPLY_MAILLOG_SUMMARY_ONLY;
    if (buf == NULL || (r = smtpreply_maillog_new(&o, &log)) != SMTPREPLY_OK) {
        rc = buf == NULL ? (fprintf(stderr, "smtp-explain: out of memory\n"), 2) : fail("cannot read the log", r);
        goto out;
    }
    while ((n = fread(buf, 1, MAILLOG_CHUNK, f)) > 0) {
        if ((r = smtpreply_maillog_feed(log, buf, n)) != SMTPREPLY_OK) {
            rc = fail("reading the log", r);
            goto out;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "smtp-explain: cannot read %s\n", path);
        rc = 2;
        goto out;
    }
    smtpreply_maillog_finish(log);
    if ((r = smtpreply_maillog_get_summary(log, &s)) != SMTPREPLY_OK) {
        rc = fail("reading the summary", r);
        goto out;
    }
    if (s.postfix_lines + s.exim_lines + s.message_lines == 0) {
        fprintf(stderr,
                "smtp-explain: no Postfix or Exim delivery lines in %s (%llu lines read, %llu of them too long)\n",
                strcmp(path, "-") == 0 ? "standard input" : path, (unsigned long long)s.lines,
                (unsigned long long)s.lines_too_long);
        rc = 2;
        goto out;
    }
    if (json) maillog_json(log, path, &s);
    else maillog_text(log, path, &s);
out:
    smtpreply_maillog_free(log);
    free(buf);
    if (f != stdin) fclose(f);
    return rc;
}

