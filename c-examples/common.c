/* signal() with SIGPIPE is POSIX. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <signal.h>

#include <smtpreply.h>
#include <stdlib.h>
#include <string.h>

int read_all(FILE *f, size_t limit, uint8_t **out, size_t *out_len) {
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) return -1;
    for (;;) {
        size_t n;
        if (len == cap) {
            uint8_t *bigger;
            if (cap > limit) { free(buf); return -2; }
            cap *= 2;
            bigger = realloc(buf, cap);
            if (bigger == NULL) { free(buf); return -1; }
            buf = bigger;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > limit) { free(buf); return -2; }
        if (n == 0) {
            if (ferror(f)) { free(buf); return -1; }
            break;
        }
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), or 0 if the bytes are not one. */
static size_t utf8_len(const uint8_t *p, size_t n) {
    size_t need, i;
    uint32_t cp;
    if (p[0] < 0x80) return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf) { need = 2; cp = p[0] & 0x1f; }
    else if (p[0] >= 0xe0 && p[0] <= 0xef) { need = 3; cp = p[0] & 0x0f; }
    else if (p[0] >= 0xf0 && p[0] <= 0xf4) { need = 4; cp = p[0] & 0x07; }
    else return 0;
    if (n < need) return 0;
    for (i = 1; i < need; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return need;
}

void print_bytes(FILE *f, const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_len(p + i, n - i);
        if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f) && p[i] != '\t') {
            fprintf(f, "\\x%02x", p[i]);
        } else if (k == 0) {
            fprintf(f, "\\x%02x", p[i]);
            k = 1;
        } else {
            fwrite(p + i, 1, k, f);
        }
        i += k;
    }
}

void json_bytes(FILE *f, const uint8_t *p, size_t n) {
    size_t i = 0;
    fputc('"', f);
    while (i < n) {
        size_t k = utf8_len(p + i, n - i);
        uint8_t c = p[i];
        if (k == 1) {
            if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
            else if (c == '\n') fputs("\\n", f);
            else if (c == '\r') fputs("\\r", f);
            else if (c == '\t') fputs("\\t", f);
            else if (c < 0x20 || c == 0x7f) fprintf(f, "\\u%04x", c);
            else fputc(c, f);
        } else if (k == 0) {
            fprintf(f, "\\u%04x", c);
            k = 1;
        } else {
            fwrite(p + i, 1, k, f);
        }
        i += k;
    }
    fputc('"', f);
}

void json_str(FILE *f, const char *s) {
    if (s == NULL) fputs("null", f);
    else json_bytes(f, (const uint8_t *)s, strlen(s));
}

void report_error(const char *what, uint32_t result) {
    const char *name = smtpreply_result_name(result);
    fprintf(stderr, "smtp-explain: %s: %s (%s)\n", what, smtpreply_last_error_message(), name ? name : "unknown result");
}

void signal_ignore_pipe(void) {
    /* A server that closes the connection must not kill the program (OpenSSL writes with write()). */
    signal(SIGPIPE, SIG_IGN);
}

void print_wrapped(const char *s, int indent) {
    int col = 0, width = 78 - indent;
    while (*s) {
        size_t word = strcspn(s, " ");
        if (col > 0 && col + 1 + (int)word > width) {
            printf("\n");
            col = 0;
        }
        if (col == 0) printf("%*s", indent, "");
        else { putchar(' '); col++; }
        fwrite(s, 1, word, stdout);
        col += (int)word;
        s += word;
        while (*s == ' ') s++;
    }
    if (col > 0) printf("\n");
}

const char *code_meaning(uint32_t code, uint32_t command) {
    smtpreply_code_context ctx; /* its strings are static */
    smtpreply_code_info info;
    if (smtpreply_code_context_for(code, command, &ctx) == SMTPREPLY_OK) return ctx.meaning;
    if (smtpreply_code_lookup(code, &info) == SMTPREPLY_OK) return info.text;
    return "";
}
