/* smtp-explain --log: explains a pasted SMTP conversation (see explain-log.c). */
#ifndef SMTPREPLY_EXAMPLES_EXPLAIN_LOG_H
#define SMTPREPLY_EXAMPLES_EXPLAIN_LOG_H

/* Reads the transcript at `path` ("-" for standard input), in `format` (a format name, or NULL to
 * detect it), and prints the story, or JSON when `json` is set. Returns the exit code: 0 explained
 * (even when no conversation was found: it says so), 2 unreadable input or a bad format name. */
int explain_log(const char *path, const char *format, int json);

#endif
