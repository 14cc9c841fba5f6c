/* Helpers shared by the example programs: reading input, printing text and JSON safely. */
#ifndef SMTPREPLY_EXAMPLES_COMMON_H
#define SMTPREPLY_EXAMPLES_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Reads all of `f` (at most `limit` bytes) into a malloc'd buffer. Returns 0 on success, -1 on a
 * read error, -2 when the input is larger than `limit`. */
int read_all(FILE *f, size_t limit, uint8_t **out, size_t *out_len);

/* Prints bytes as text: printable ASCII and valid UTF-8 as they are, other bytes as \xNN. */
void print_bytes(FILE *f, const uint8_t *p, size_t n);

/* Prints bytes as a JSON string (with quotes). Valid UTF-8 is kept; other bytes are written as
 * \u00NN (their Latin-1 reading), so the output is always valid JSON. */
void json_bytes(FILE *f, const uint8_t *p, size_t n);

/* Prints a NUL-terminated string as a JSON string, or null for NULL. */
void json_str(FILE *f, const char *s);

/* Ignores SIGPIPE, so that writing to a closed connection is an error, not death. */
void signal_ignore_pipe(void);

/* Prints a NUL-terminated text wrapped at 78 columns, each line indented by `indent` spaces. */
void print_wrapped(const char *s, int indent);

/* What reply `code` means after `command` (SMTPREPLY_COMMAND_*), or in general; "" when unknown.
 * A static string. */
const char *code_meaning(uint32_t code, uint32_t command);

/* Prints the result name and the library's last error message to stderr. */
void report_error(const char *what, uint32_t result);

#endif
