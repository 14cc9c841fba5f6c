/*
 * smtp-explain --log: a pasted SMTP conversation (a mail client's connection log, a telnet session,
 * swaks, curl -v, smtplib, an Exchange protocol log, a bounce) explained step by step, with the
 * outcome per recipient and the protocol deviations it shows.
 */
#include "explain-log.h"

#include "common.h"

#include <errno.h>
#include <smtpreply.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *enhanced_name(const smtpreply_transcript_step *st) {
    smtpreply_enhanced_info info; /* its strings are static */
    if (!st->has_enhanced || smtpreply_enhanced_lookup(&st->enhanced, &info) != SMTPREPLY_OK) return NULL;
    return info.name;
}


/* The first line of a step's text, and how many more lines it has. */
static size_t first_line(const smtpreply_transcript_step *st, size_t *more) {
    size_t n = 0, i;
    *more = 0;
    while (n < st->text_len && st->text[n] != '\n') n++;
    for (i = n; i < st->text_len; i++)
        if (st->text[i] == '\n') (*more)++;
    return n;
}

static const char *who(uint32_t speaker) {
    return speaker == SMTPREPLY_SPEAKER_CLIENT ? "client" : speaker == SMTPREPLY_SPEAKER_SERVER ? "server" : "note";
}

static void text_step(const smtpreply_transcript *t, const smtpreply_transcript_step *st) {
    size_t more, n = first_line(st, &more);
    if (st->kind == SMTPREPLY_STEP_MESSAGE_DATA) {
        printf("%6lu  client  [message text: %lu line%s, %lu bytes]\n", (unsigned long)st->line,
               (unsigned long)(more + 1), more ? "s" : "", (unsigned long)st->text_len);
        return;
    }
    printf("%6lu  %-6s  ", (unsigned long)st->line, who(st->speaker));
    if (st->kind == SMTPREPLY_STEP_INFO) printf("# ");
    print_bytes(stdout, st->text, n);
    if (more) printf("  (+%lu line%s)", (unsigned long)more, more > 1 ? "s" : "");
    printf("%s\n", st->tls && st->kind != SMTPREPLY_STEP_INFO ? "  [TLS]" : "");
    if (st->kind != SMTPREPLY_STEP_REPLY) return;

    /* What the reply answers and means. */
    {
        const char *e = enhanced_name(st);
        if (st->command == SMTPREPLY_COMMAND_GREETING) {
            printf("                the greeting: %s\n", code_meaning(st->code, st->command));
        } else if (st->has_answers) {
            smtpreply_transcript_step cmd;
            size_t cn, cm;
            smtpreply_transcript_step_at(t, st->answers, &cmd);
            cn = first_line(&cmd, &cm);
            printf("                answers ");
            if (cmd.command == SMTPREPLY_COMMAND_DATA_END) printf("the end of the message");
            else if (cmd.kind == SMTPREPLY_STEP_AUTH_RESPONSE) printf("an AUTH response");
            else print_bytes(stdout, cmd.text, cn > 60 ? 60 : cn);
            printf(" (line %lu): %s\n", (unsigned long)cmd.line, code_meaning(st->code, st->command));
        } else if (st->command != SMTPREPLY_COMMAND_UNKNOWN) {
            /* A bounce report names the command the reply answered. */
            printf("                in reply to %s: %s\n", smtpreply_command_name(st->command),
                   code_meaning(st->code, st->command));
        } else {
            printf("                answers no command: %s\n", code_meaning(st->code, SMTPREPLY_COMMAND_UNKNOWN));
        }
        if (e != NULL && st->code >= 400) {
            printf("                %u.%u.%u: %s\n", st->enhanced.status_class, st->enhanced.subject, st->enhanced.detail, e);
        }
    }
    if (st->classification.reason != SMTPREPLY_REASON_SUCCESS) {
        const smtpreply_classification *k = &st->classification;
        printf("                verdict: %s, %s bounce, %s", k->reason_name, k->bounce_name,
               k->retry ? "retry later" : "do not retry");
        if (k->has_retry_after) printf(" (after %u s)", k->retry_after);
        printf("%s\n", k->consequence ? "; only repeats an earlier failure" : "");
        if (!k->consequence) {
            print_wrapped(k->explanation, 16);
            printf("%16sWhat to do:\n", "");
            print_wrapped(k->advice, 18);
        }
    }
}

static const char *status_word(uint32_t s) {
    return s == SMTPREPLY_RECIPIENT_ACCEPTED   ? "accepted"
           : s == SMTPREPLY_RECIPIENT_REJECTED ? "rejected"
           : s == SMTPREPLY_RECIPIENT_DEFERRED ? "deferred"
                                               : "pending";
}

static void text_transcript(const smtpreply_transcript *t, const char *name) {
    smtpreply_transcript_summary s;
    size_t i;
    smtpreply_transcript_get_summary(t, &s);
    printf("Transcript %s: %s, %lu lines, %lu steps\n\n", name, smtpreply_format_name(s.format),
           (unsigned long)s.lines, (unsigned long)s.step_count);
    if (s.format == SMTPREPLY_FORMAT_UNKNOWN) {
        printf("No SMTP conversation found: no Server:/Client: or S:/C: markers, arrows, reply codes\n"
               "with commands, tool output (swaks, curl -v, smtplib), protocol log or bounce report.\n");
        return;
    }
    printf("  line  who     what\n");
    for (i = 0; i < s.step_count; i++) {
        smtpreply_transcript_step st;
        smtpreply_transcript_step_at(t, i, &st);
        text_step(t, &st);
    }

    if (s.format == SMTPREPLY_FORMAT_BOUNCE) printf("\nProtocol checks: none (a bounce report shows replies, not the conversation)\n");
    else printf("\nProtocol checks:%s\n", s.check_count ? "" : " none (the conversation follows RFC 5321)");
    for (i = 0; i < s.check_count; i++) {
        smtpreply_transcript_check c;
        smtpreply_transcript_step st;
        smtpreply_transcript_check_at(t, i, &c);
        smtpreply_transcript_step_at(t, c.step, &st);
        printf("  line %lu, %s:\n", (unsigned long)st.line, smtpreply_check_kind_name(c.kind));
        print_wrapped(c.message, 4);
    }

    printf("\nRecipients:%s\n", s.recipient_count ? "" : " none named");
    for (i = 0; i < s.recipient_count; i++) {
        smtpreply_transcript_recipient r;
        smtpreply_transcript_recipient_at(t, i, &r);
        printf("  ");
        print_bytes(stdout, r.address, r.address_len);
        printf("%*s %-9s", r.address_len < 32 ? (int)(32 - r.address_len) : 1, "", status_word(r.status));
        if (r.has_reply_step) {
            smtpreply_transcript_step st;
            smtpreply_transcript_step_at(t, r.reply_step, &st);
            printf(" %u", st.code);
            if (st.has_enhanced) printf(" %u.%u.%u", st.enhanced.status_class, st.enhanced.subject, st.enhanced.detail);
            printf(" (line %lu)", (unsigned long)st.line);
        }
        if (r.status == SMTPREPLY_RECIPIENT_PENDING) printf(" accepted at RCPT, but the message was not completed");
        else if (r.has_classification && r.classification.reason != SMTPREPLY_REASON_SUCCESS)
            printf(" %s", r.classification.reason_name);
        printf("\n");
    }

    for (i = 0; i < s.message_count; i++) {
        smtpreply_transcript_message m;
        smtpreply_transcript_message_at(t, i, &m);
        printf("\nMessage");
        if (m.sender_len) {
            printf(" from ");
            print_bytes(stdout, m.sender, m.sender_len);
        }
        printf(": %s", !m.has_outcome ? "no outcome in the log" : m.accepted ? "accepted" : "not accepted");
        if (m.queue_id_len) {
            printf(", queue id ");
            print_bytes(stdout, m.queue_id, m.queue_id_len);
        }
        printf("\n");
    }

    if (s.has_first_failure) {
        smtpreply_transcript_step st;
        smtpreply_transcript_step_at(t, s.first_failure_step, &st);
        printf("\nFirst failure: line %lu, %u to %s: %s (%s bounce, %s)\n", (unsigned long)st.line, st.code,
               smtpreply_command_name(st.command), s.first_failure.reason_name, s.first_failure.bounce_name,
               s.first_failure.retry ? "retry later" : "do not retry");
        print_wrapped(s.first_failure.advice, 2);
    } else {
        printf("\nNo failure.\n");
    }
}

static void json_classification_short(const smtpreply_classification *k) {
    printf("{\"reason\":");
    json_str(stdout, k->reason_name);
    printf(",\"bounce\":");
    json_str(stdout, k->bounce_name);
    printf(",\"retry\":%s,\"action\":", k->retry ? "true" : "false");
    json_str(stdout, k->action_name);
    printf(",\"retry_after\":");
    if (k->has_retry_after) printf("%u", k->retry_after);
    else printf("null");
    printf(",\"consequence\":%s,\"rule\":", k->consequence ? "true" : "false");
    json_str(stdout, k->rule);
    printf(",\"explanation\":");
    json_str(stdout, k->explanation);
    printf(",\"advice\":");
    json_str(stdout, k->advice);
    printf("}");
}

static void json_transcript(const smtpreply_transcript *t, const char *name) {
    smtpreply_transcript_summary s;
    size_t i;
    smtpreply_transcript_get_summary(t, &s);
    printf("{\"input\":");
    json_str(stdout, name);
    printf(",\"format\":");
    json_str(stdout, smtpreply_format_name(s.format));
    printf(",\"lines\":%lu,\"steps\":[", (unsigned long)s.lines);
    for (i = 0; i < s.step_count; i++) {
        smtpreply_transcript_step st;
        smtpreply_transcript_step_at(t, i, &st);
        printf("%s{\"line\":%lu,\"kind\":", i ? "," : "", (unsigned long)st.line);
        json_str(stdout, smtpreply_step_kind_name(st.kind));
        printf(",\"speaker\":");
        json_str(stdout, smtpreply_speaker_name(st.speaker));
        printf(",\"text\":");
        json_bytes(stdout, st.text, st.text_len);
        printf(",\"command\":");
        json_str(stdout, st.command == SMTPREPLY_COMMAND_UNKNOWN ? NULL : smtpreply_command_name(st.command));
        printf(",\"tls\":%s", st.tls ? "true" : "false");
        if (st.has_reply) {
            const char *e = enhanced_name(&st);
            printf(",\"answers\":");
            if (st.has_answers) printf("%lu", (unsigned long)st.answers);
            else printf("null");
            printf(",\"code\":%u,\"enhanced\":", st.code);
            if (st.has_enhanced) printf("\"%u.%u.%u\"", st.enhanced.status_class, st.enhanced.subject, st.enhanced.detail);
            else printf("null");
            printf(",\"meaning\":");
            json_str(stdout, code_meaning(st.code, st.command));
            printf(",\"enhanced_meaning\":");
            json_str(stdout, e);
            printf(",\"unexpected\":%s,\"classification\":", st.unexpected ? "true" : "false");
            json_classification_short(&st.classification);
        }
        printf("}");
    }
    printf("],\"checks\":[");
    for (i = 0; i < s.check_count; i++) {
        smtpreply_transcript_check c;
        smtpreply_transcript_check_at(t, i, &c);
        printf("%s{\"kind\":", i ? "," : "");
        json_str(stdout, smtpreply_check_kind_name(c.kind));
        printf(",\"step\":%lu,\"message\":", (unsigned long)c.step);
        json_str(stdout, c.message);
        printf("}");
    }
    printf("],\"recipients\":[");
    for (i = 0; i < s.recipient_count; i++) {
        smtpreply_transcript_recipient r;
        smtpreply_transcript_recipient_at(t, i, &r);
        printf("%s{\"address\":", i ? "," : "");
        json_bytes(stdout, r.address, r.address_len);
        printf(",\"status\":\"%s\",\"message\":%lu,\"reply_step\":", status_word(r.status), (unsigned long)r.message);
        if (r.has_reply_step) printf("%lu", (unsigned long)r.reply_step);
        else printf("null");
        printf(",\"classification\":");
        if (r.has_classification) json_classification_short(&r.classification);
        else printf("null");
        printf("}");
    }
    printf("],\"messages\":[");
    for (i = 0; i < s.message_count; i++) {
        smtpreply_transcript_message m;
        smtpreply_transcript_message_at(t, i, &m);
        printf("%s{\"sender\":", i ? "," : "");
        json_bytes(stdout, m.sender, m.sender_len);
        printf(",\"accepted\":%s,\"queue_id\":", !m.has_outcome ? "null" : m.accepted ? "true" : "false");
        if (m.queue_id_len) json_bytes(stdout, m.queue_id, m.queue_id_len);
        else printf("null");
        printf("}");
    }
    printf("],\"message_accepted\":%s,\"queue_id\":",
           !s.has_message_outcome ? "null" : s.message_accepted ? "true" : "false");
    if (s.queue_id_len) json_bytes(stdout, s.queue_id, s.queue_id_len);
    else printf("null");
    printf(",\"first_failure\":");
    if (s.has_first_failure) {
        printf("{\"step\":%lu,\"classification\":", (unsigned long)s.first_failure_step);
        json_classification_short(&s.first_failure);
        printf("}");
    } else {
        printf("null");
    }
    printf(",\"tls\":%s,\"authenticated\":%s,\"quit\":%s}\n", s.tls ? "true" : "false",
           s.authenticated ? "true" : "false", s.quit ? "true" : "false");
}

int explain_log(const char *path, const char *format, int json) {
    smtpreply_transcript_options opts;
    smtpreply_transcript *t = NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    uint32_t r;
    int rr;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "smtp-explain: cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    smtpreply_transcript_options_init(&opts);
    if (format != NULL && smtpreply_format_from_name(format, &opts.format) != SMTPREPLY_OK) {
        fprintf(stderr, "smtp-explain: --format %s is not one of server_client, rfc, arrows, swaks, curl, telnet, "
                        "smtplib, exchange, bounce\n", format);
        if (f != stdin) fclose(f);
        return 2;
    }
    rr = read_all(f, opts.max_input, &data, &len);
    if (f != stdin) fclose(f);
    if (rr != 0) {
        fprintf(stderr, "smtp-explain: %s: %s\n", path,
                rr == -2 ? "larger than the 64 MiB a transcript may have" : "read error");
        free(data);
        return 2;
    }
    r = smtpreply_transcript_analyse(data, len, &opts, &t);
    if (r != SMTPREPLY_OK) {
        report_error("smtpreply_transcript_analyse", r);
        free(data);
        return 2;
    }
    if (json) json_transcript(t, path);
    else text_transcript(t, path);
    smtpreply_transcript_free(t);
    free(data);
    return 0;
}
