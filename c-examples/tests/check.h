/*
 * check.h: a tiny assertion helper for the C tests of smtpreply (C99, no extensions).
 *
 *   CHECK(cond)                       any condition
 *   CHECK_EQ_U(a, b)                  two unsigned numbers (printed on failure)
 *   CHECK_RESULT(call, expected)      a smtpreply_result; on failure prints both result names and
 *                                     smtpreply_last_error_message(); for an expected error (not OK,
 *                                     not NEED_MORE) also checks that the message is not empty
 *   CHECK_BYTES(ptr, len, "literal")  bytes equal a string literal (length and memcmp)
 *   CHECK_MEM(p, n, q, m)             two byte ranges are equal
 *   CHECK_STR(a, b)                   two NUL-terminated strings (NULL-safe)
 *   CHECK_CONTAINS(haystack, needle)  a NUL-terminated string contains another
 *   CHECK_UNTOUCHED(obj)              every byte of obj still holds CHECK_SENTINEL
 *   check_fill(&obj, sizeof obj)      fills obj with CHECK_SENTINEL bytes
 *   return check_summary("name");     prints "name: N checks passed" and returns 0
 *
 * The first failed check prints file:line, the expression and the values to stderr and ends the
 * process with exit status 1 (via _Exit: the sanitizers' leak report would only bury the message).
 *
 * Counting: the macros add to CHECK_TALLY, by default the global check_count. That global is not
 * thread-safe; code running on other threads redefines CHECK_TALLY to a counter of its own
 * (see test_threads.c). The check_*_at functions themselves are safe to call from any thread.
 */
#ifndef SMTPREPLY_TEST_CHECK_H
#define SMTPREPLY_TEST_CHECK_H

#include <smtpreply.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_SENTINEL 0xA5

#ifndef CHECK_TALLY
#define CHECK_TALLY check_count
#endif

static unsigned long check_count = 0;

static inline void check_print_bytes(const void *ptr, size_t n) {
    const unsigned char *p = (const unsigned char *)ptr;
    size_t i, shown = n > 200 ? 200 : n;
    if (p == NULL) {
        fputs("(NULL)", stderr);
        return;
    }
    fputc('"', stderr);
    for (i = 0; i < shown; i++) {
        if (p[i] == '\\' || p[i] == '"') fprintf(stderr, "\\%c", p[i]);
        else if (p[i] >= 0x20 && p[i] < 0x7f) fputc(p[i], stderr);
        else if (p[i] == '\r') fputs("\\r", stderr);
        else if (p[i] == '\n') fputs("\\n", stderr);
        else fprintf(stderr, "\\x%02x", p[i]);
    }
    fputc('"', stderr);
    if (shown < n) fprintf(stderr, "... (%lu bytes in all)", (unsigned long)n);
    else fprintf(stderr, " (%lu bytes)", (unsigned long)n);
}

static inline const char *check_result_text(uint32_t r) {
    const char *name = smtpreply_result_name(r);
    return name ? name : "(not a smtpreply_result)";
}

static inline void check_fail_head(const char *file, int line, const char *what, const char *expr) {
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, what, expr);
}

static inline void check_fail_end(void) {
    const char *msg = smtpreply_last_error_message();
    fprintf(stderr, "  last error message on this thread: \"%s\"\n", msg ? msg : "(NULL)");
    fprintf(stderr, "FAILED after %lu passed checks on the main thread\n", check_count);
    fflush(stderr);
    _Exit(1);
}

static inline int check_true_at(const char *file, int line, int ok, const char *expr) {
    if (ok) return 1;
    check_fail_head(file, line, "CHECK", expr);
    check_fail_end();
    return 0;
}

static inline int check_eq_u_at(const char *file, int line, unsigned long long a, unsigned long long b,
                                const char *ea, const char *eb) {
    if (a == b) return 1;
    check_fail_head(file, line, "CHECK_EQ_U", ea);
    fprintf(stderr, "  %s = %llu (0x%llx)\n  %s = %llu (0x%llx)\n", ea, a, a, eb, b, b);
    check_fail_end();
    return 0;
}

static inline int check_result_at(const char *file, int line, uint32_t got, uint32_t expected, const char *expr) {
    if (got == expected) {
        const char *msg;
        if (expected == SMTPREPLY_OK || expected == SMTPREPLY_NEED_MORE) return 1;
        msg = smtpreply_last_error_message();
        if (msg != NULL && msg[0] != '\0') return 1;
        check_fail_head(file, line, "CHECK_RESULT", expr);
        fprintf(stderr, "  got %s as expected, but smtpreply_last_error_message() is empty\n",
                check_result_text(got));
        check_fail_end();
        return 0;
    }
    check_fail_head(file, line, "CHECK_RESULT", expr);
    fprintf(stderr, "  got      %s (%lu)\n  expected %s (%lu)\n", check_result_text(got), (unsigned long)got,
            check_result_text(expected), (unsigned long)expected);
    check_fail_end();
    return 0;
}

static inline int check_mem_at(const char *file, int line, const void *p, size_t n, const void *q, size_t m,
                               const char *ep, const char *eq) {
    if (n == m && (n == 0 || (p != NULL && q != NULL && memcmp(p, q, n) == 0))) return 1;
    check_fail_head(file, line, "CHECK_BYTES", ep);
    fputs("  got      ", stderr);
    check_print_bytes(p, n);
    fprintf(stderr, "\n  expected ");
    check_print_bytes(q, m);
    fprintf(stderr, "  (%s)\n", eq);
    check_fail_end();
    return 0;
}

static inline int check_str_at(const char *file, int line, const char *a, const char *b, const char *ea,
                               const char *eb) {
    if ((a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0)) return 1;
    check_fail_head(file, line, "CHECK_STR", ea);
    fprintf(stderr, "  %s = %s%s%s\n", ea, a ? "\"" : "", a ? a : "NULL", a ? "\"" : "");
    fprintf(stderr, "  %s = %s%s%s\n", eb, b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
    check_fail_end();
    return 0;
}

static inline int check_contains_at(const char *file, int line, const char *hay, const char *needle,
                                    const char *eh) {
    if (hay != NULL && needle != NULL && strstr(hay, needle) != NULL) return 1;
    check_fail_head(file, line, "CHECK_CONTAINS", eh);
    fprintf(stderr, "  \"%s\"\n  does not contain \"%s\"\n", hay ? hay : "(NULL)", needle ? needle : "(NULL)");
    check_fail_end();
    return 0;
}

static inline void check_fill(void *obj, size_t n) {
    memset(obj, CHECK_SENTINEL, n);
}

static inline int check_untouched_at(const char *file, int line, const void *obj, size_t n, const char *expr) {
    const unsigned char *p = (const unsigned char *)obj;
    size_t i;
    for (i = 0; i < n; i++) {
        if (p[i] != CHECK_SENTINEL) {
            check_fail_head(file, line, "CHECK_UNTOUCHED (outputs are written only on success)", expr);
            fprintf(stderr, "  byte %lu of %lu was overwritten: 0x%02x\n", (unsigned long)i, (unsigned long)n, p[i]);
            check_fail_end();
            return 0;
        }
    }
    return 1;
}

static inline int check_summary(const char *name) {
    printf("%s: %lu checks passed\n", name, check_count);
    fflush(stdout);
    return 0;
}

#define CHECK(cond) ((void)(CHECK_TALLY += (unsigned long)check_true_at(__FILE__, __LINE__, (cond) ? 1 : 0, #cond)))
#define CHECK_EQ_U(a, b)                                                                                      \
    ((void)(CHECK_TALLY += (unsigned long)check_eq_u_at(__FILE__, __LINE__, (unsigned long long)(a),          \
                                                        (unsigned long long)(b), #a, #b)))
#define CHECK_RESULT(call, expected)                                                                          \
    ((void)(CHECK_TALLY += (unsigned long)check_result_at(__FILE__, __LINE__, (uint32_t)(call),               \
                                                          (uint32_t)(expected), #call)))
#define CHECK_MEM(p, n, q, m)                                                                                 \
    ((void)(CHECK_TALLY += (unsigned long)check_mem_at(__FILE__, __LINE__, (p), (n), (q), (m), #p, #q)))
#define CHECK_BYTES(p, n, lit) CHECK_MEM((p), (n), (lit), sizeof(lit) - 1)
#define CHECK_STR(a, b) ((void)(CHECK_TALLY += (unsigned long)check_str_at(__FILE__, __LINE__, (a), (b), #a, #b)))
#define CHECK_CONTAINS(hay, needle)                                                                           \
    ((void)(CHECK_TALLY += (unsigned long)check_contains_at(__FILE__, __LINE__, (hay), (needle), #hay)))
#define CHECK_UNTOUCHED(obj)                                                                                  \
    ((void)(CHECK_TALLY += (unsigned long)check_untouched_at(__FILE__, __LINE__, &(obj), sizeof(obj), #obj)))

#endif
