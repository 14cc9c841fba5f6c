/* smtp-explain --maillog: summarises a Postfix or Exim delivery log (see explain-maillog.c). */
#ifndef SMTPREPLY_EXAMPLES_EXPLAIN_MAILLOG_H
#define SMTPREPLY_EXAMPLES_EXPLAIN_MAILLOG_H

/* Streams the log at `path` ("-" for standard input) and prints the summary, or JSON when `json`
 * is set. Returns the exit code: 0 explained, 2 unreadable input or no delivery lines in it. */
int explain_maillog(const char *path, int json);

#endif
