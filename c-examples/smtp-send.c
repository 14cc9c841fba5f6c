/*
 * smtp-send: send one message over SMTP with the smtpreply session, and say what happened.
 *
 *   smtp-send --server HOST:PORT --from ADDR --to ADDR [--to ADDR ...] [--helo NAME]
 *             [--user U --password P] [--starttls] [--cafile FILE] [--insecure] [--json] FILE
 *
 * FILE is the message with its headers ("-" for standard input); bare LF line ends are fine (the
 * session sends CRLF only). Prints the transcript with every reply explained, then the outcome per
 * recipient. --json prints one JSON object instead.
 *
 * Exit codes: 0 every recipient accepted; 1 some accepted and the message accepted; 2 nothing
 * delivered; 64 bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <smtpreply.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RCPT 100
#define MAX_MESSAGE (64u * 1024u * 1024u)
#define EXIT_USAGE 64

/* ---- command line ---- */

struct options {
    const char *host, *port, *from, *helo, *user, *password, *cafile, *file;
    const char *to[MAX_RCPT];
    int n_to, starttls, insecure, json;
};

static void usage(FILE *f) {
    fputs("usage: smtp-send --server HOST:PORT --from ADDR --to ADDR [--to ADDR ...] [--helo NAME]\n"
          "                 [--user U --password P] [--starttls] [--cafile FILE] [--insecure] [--json] FILE\n"
          "\n"
          "Sends FILE (a message with headers; \"-\" for standard input) and prints the SMTP transcript\n"
          "with every reply explained, then the outcome per recipient (--json: one JSON object).\n"
          "--starttls requires TLS (the certificate is verified; --cafile adds a trusted CA, --insecure\n"
          "skips verification). Exit: 0 all accepted, 1 some accepted, 2 nothing delivered, 64 usage.\n",
          f);
}

static int bad_usage(const char *msg, const char *arg) {
    fprintf(stderr, "smtp-send: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    usage(stderr);
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct options *o) {
    static char host[256];
    int i;
    memset(o, 0, sizeof *o);
    o->helo = "localhost";
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
#define VALUE(field)                                                 \
    do {                                                             \
        if (!has_value) return bad_usage("missing value after", a); \
        o->field = argv[++i];                                        \
    } while (0)
        if (strcmp(a, "--server") == 0) {
            const char *colon;
            size_t n;
            if (!has_value) return bad_usage("missing value after", a);
            a = argv[++i];
            colon = strrchr(a, ':');
            if (colon == NULL || colon == a || colon[1] == '\0') return bad_usage("--server must be HOST:PORT, not", a);
            n = (size_t)(colon - a);
            if (n >= sizeof host) return bad_usage("host name too long:", a);
            memcpy(host, a, n);
            host[n] = '\0';
            if (host[0] == '[' && n > 2 && host[n - 1] == ']') { /* [IPv6]:port */
                memmove(host, host + 1, n - 2);
                host[n - 2] = '\0';
            }
            o->host = host;
            o->port = colon + 1;
        } else if (strcmp(a, "--from") == 0) VALUE(from);
        else if (strcmp(a, "--helo") == 0) VALUE(helo);
        else if (strcmp(a, "--user") == 0) VALUE(user);
        else if (strcmp(a, "--password") == 0) VALUE(password);
        else if (strcmp(a, "--cafile") == 0) VALUE(cafile);
        else if (strcmp(a, "--to") == 0) {
            if (!has_value) return bad_usage("missing value after", a);
            if (o->n_to == MAX_RCPT) return bad_usage("too many --to (at most 100)", NULL);
            o->to[o->n_to++] = argv[++i];
        } else if (strcmp(a, "--starttls") == 0) o->starttls = 1;
        else if (strcmp(a, "--insecure") == 0) o->insecure = 1;
        else if (strcmp(a, "--json") == 0) o->json = 1;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (a[0] == '-' && a[1] != '\0') return bad_usage("unknown option", a);
        else if (o->file != NULL) return bad_usage("more than one message file:", a);
        else o->file = a;
#undef VALUE
    }
    if (o->host == NULL) return bad_usage("--server HOST:PORT is required", NULL);
    if (o->from == NULL) return bad_usage("--from is required (use \"\" for the null sender)", NULL);
    if (o->n_to == 0) return bad_usage("at least one --to is required", NULL);
    if (o->file == NULL) return bad_usage("the message FILE is required", NULL);
    if ((o->user == NULL) != (o->password == NULL)) return bad_usage("--user and --password go together", NULL);
    return 0;
}

/* ---- the connection: a socket, and TLS after STARTTLS ---- */

struct conn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
};

static int tcp_connect(const char *host, const char *port, char *err, size_t errlen) {
    struct addrinfo hints, *res, *ai;
    int fd = -1, rc;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        struct pollfd p;
        int soerr = 0;
        socklen_t len = sizeof soerr;
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        fcntl(fd, F_SETFL, O_NONBLOCK);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        if (errno == EINPROGRESS) {
            p.fd = fd;
            p.events = POLLOUT;
            if (poll(&p, 1, 30000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0) break;
            errno = soerr ? soerr : ETIMEDOUT;
        }
        snprintf(err, errlen, "cannot connect to %s port %s: %s", host, port, strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd >= 0) fcntl(fd, F_SETFL, 0); /* blocking again; reads wait in poll() */
    return fd;
}

/* Writes all of buf; returns 0 or -1. */
static int conn_write(struct conn *c, const uint8_t *buf, size_t len) {
    while (len > 0) {
        long n;
        if (c->ssl != NULL) {
            n = SSL_write(c->ssl, buf, len > 0x40000000u ? 0x40000000 : (int)len);
            if (n <= 0) return -1;
        } else {
            n = (long)send(c->fd, buf, len, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads what is there within timeout_ms: >0 bytes, 0 end of stream, -1 error, -2 timeout. */
static long conn_read(struct conn *c, uint8_t *buf, size_t cap, int timeout_ms) {
    struct pollfd p;
    long n;
    if (c->ssl == NULL || SSL_pending(c->ssl) == 0) {
        int r;
        p.fd = c->fd;
        p.events = POLLIN;
        r = poll(&p, 1, timeout_ms);
        if (r == 0) return -2;
        if (r < 0) return -1;
    }
    if (c->ssl != NULL) {
        n = SSL_read(c->ssl, buf, (int)cap);
        if (n > 0) return n;
        return SSL_get_error(c->ssl, (int)n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    }
    do n = (long)recv(c->fd, buf, cap, 0);
    while (n < 0 && errno == EINTR);
    return n;
}

static int is_ip_literal(const char *host) {
    unsigned char buf[16];
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST;
    (void)buf;
    if (getaddrinfo(host, NULL, &hints, &res) != 0) return 0;
    freeaddrinfo(res);
    return 1;
}

/* The TLS handshake after the server's 220 to STARTTLS. Returns 0 or -1 (err filled). */
static int tls_start(struct conn *c, const struct options *o, char *err, size_t errlen) {
    c->ctx = SSL_CTX_new(TLS_client_method());
    if (c->ctx == NULL) goto fail;
    SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
    if (o->insecure) {
        SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
    } else {
        SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
        if (SSL_CTX_set_default_verify_paths(c->ctx) != 1) goto fail;
        if (o->cafile != NULL && SSL_CTX_load_verify_locations(c->ctx, o->cafile, NULL) != 1) goto fail;
    }
    c->ssl = SSL_new(c->ctx);
    if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) goto fail;
    if (is_ip_literal(o->host)) {
        if (!o->insecure && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), o->host) != 1) goto fail;
    } else {
        SSL_set_tlsext_host_name(c->ssl, o->host);
        if (!o->insecure && SSL_set1_host(c->ssl, o->host) != 1) goto fail;
    }
    if (SSL_connect(c->ssl) != 1) goto fail;
    return 0;
fail:
    snprintf(err, errlen, "TLS handshake failed: %s", ERR_reason_error_string(ERR_peek_last_error()) ? ERR_reason_error_string(ERR_get_error()) : "unknown error");
    if (c->ssl != NULL && SSL_get_verify_result(c->ssl) != X509_V_OK)
        snprintf(err, errlen, "TLS certificate not trusted: %s", X509_verify_cert_error_string(SSL_get_verify_result(c->ssl)));
    return -1;
}

static void conn_close(struct conn *c) {
    if (c->ssl != NULL) {
        SSL_shutdown(c->ssl);
        SSL_free(c->ssl);
    }
    if (c->ctx != NULL) SSL_CTX_free(c->ctx);
    if (c->fd >= 0) close(c->fd);
}

/* ---- the transcript ---- */

struct entry {
    char dir;          /* 'C' client, 'S' server, 'I' information */
    char *text;        /* the line(s), already masked */
    uint32_t code;     /* server entries */
    const char *command, *reason, *bounce, *meaning;
    int unexpected;
};

struct transcript {
    struct entry *e;
    size_t n, cap;
};

static char *dup_bytes(const uint8_t *p, size_t n) {
    char *s = malloc(n + 1);
    if (s == NULL) exit(2);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static struct entry *add_entry(struct transcript *t, char dir, char *text) {
    struct entry *e;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct entry *more = realloc(t->e, cap * sizeof *more);
        if (more == NULL) exit(2);
        t->e = more;
        t->cap = cap;
    }
    e = &t->e[t->n++];
    memset(e, 0, sizeof *e);
    e->dir = dir;
    e->text = text;
    return e;
}

/* Splits client output into command lines for the transcript; message bytes are summarised and
 * credentials masked. `in_body` tells that the bytes are message data (DATA body). */
static void log_client(struct transcript *t, const uint8_t *p, size_t n, int in_body, int *masking) {
    size_t i = 0;
    char summary[96];
    if (in_body) {
        snprintf(summary, sizeof summary, "[%lu bytes of message data]", (unsigned long)n);
        add_entry(t, 'C', dup_bytes((const uint8_t *)summary, strlen(summary)));
        return;
    }
    while (i < n) {
        size_t end = i;
        while (end < n && p[end] != '\n') end++;
        if (end > i && strncmp((const char *)p + i, "BDAT ", 5) == 0) {
            /* BDAT n [LAST] and then n bytes of data. */
            unsigned long size = strtoul((const char *)p + i + 5, NULL, 10);
            size_t line_end = end;
            add_entry(t, 'C', dup_bytes(p + i, (line_end > i && p[line_end - 1] == '\r') ? line_end - i - 1 : line_end - i));
            if (size > 0) {
                snprintf(summary, sizeof summary, "[%lu bytes of message data]", size);
                add_entry(t, 'C', dup_bytes((const uint8_t *)summary, strlen(summary)));
            }
            i = end + 1 + size;
            continue;
        }
        {
            size_t len = (end > i && p[end - 1] == '\r') ? end - i - 1 : end - i;
            if (len >= 5 && strncmp((const char *)p + i, "AUTH ", 5) == 0) {
                const char *sp = memchr(p + i + 5, ' ', len - 5);
                size_t keep = sp ? (size_t)((const uint8_t *)sp - (p + i)) : len;
                char *masked = malloc(keep + 6);
                if (masked == NULL) exit(2);
                memcpy(masked, p + i, keep);
                strcpy(masked + keep, sp ? " ****" : "");
                add_entry(t, 'C', masked);
                *masking = 1; /* the exchange lines that follow carry credentials */
            } else if (*masking) {
                add_entry(t, 'C', dup_bytes((const uint8_t *)"****", 4));
            } else {
                add_entry(t, 'C', dup_bytes(p + i, len));
            }
        }
        i = end + 1;
    }
}

/* ---- sending ---- */

struct outcome {
    uint32_t status[MAX_RCPT]; /* SMTPREPLY_RECIPIENT_* */
    uint32_t code[MAX_RCPT];
    char enhanced[MAX_RCPT][16];
    const char *reason[MAX_RCPT];
    int message_done, message_accepted;
    uint32_t message_code;
    char *queue_id;
    char *error;
    size_t rcpt_index[MAX_RCPT]; /* session index -> option order */
};

static void set_error(struct outcome *r, const char *msg) {
    if (r->error == NULL) r->error = dup_bytes((const uint8_t *)msg, strlen(msg));
}

static void enhanced_str(char *buf, size_t n, bool has, smtpreply_enhanced_code e) {
    if (has) snprintf(buf, n, "%u.%u.%u", e.status_class, e.subject, e.detail);
    else buf[0] = '\0';
}

/* Whether any --to has a non-ASCII byte (an internationalised address). */
static int any_utf8(const struct options *o) {
    int i;
    const unsigned char *p;
    for (i = 0; i < o->n_to; i++)
        for (p = (const unsigned char *)o->to[i]; *p; p++)
            if (*p >= 0x80) return 1;
    return 0;
}

/* Whether the server's last EHLO offered `keyword`. */
static int server_offers(const smtpreply_session *s, const char *keyword) {
    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    int yes = caps != NULL && smtpreply_session_capabilities(s, caps) == SMTPREPLY_OK &&
              smtpreply_capabilities_has(caps, keyword);
    smtpreply_capabilities_free(caps);
    return yes;
}

static int run(const struct options *o, const uint8_t *msg, size_t msg_len, struct transcript *t, struct outcome *r) {
    struct conn c = {-1, NULL, NULL};
    smtpreply_session_config cfg;
    smtpreply_session *s = NULL;
    char err[512];
    uint8_t buf[16384];
    int started = 0, auth_tried = 0, masking = 0, i;
    /* The body: not yet asked for, being streamed, or ended (end_body called). */
    enum { BODY_WAIT, BODY_STREAM, BODY_ENDED } body = BODY_WAIT;
    int body_is_data = 0; /* DATA (the output is message text) rather than BDAT (framed chunks) */
    size_t sent_body = 0;

    memset(&cfg, 0, sizeof cfg);
    cfg.client_name = o->helo;
    cfg.tls = o->starttls ? SMTPREPLY_TLS_REQUIRED : SMTPREPLY_TLS_NEVER;
    if (o->user != NULL && !o->starttls) cfg.flags |= SMTPREPLY_SESSION_ALLOW_INSECURE_AUTH;
    if (smtpreply_session_new(&cfg, &s) != SMTPREPLY_OK) {
        snprintf(err, sizeof err, "bad --helo %s: %s", o->helo, smtpreply_last_error_message());
        set_error(r, err);
        return -1;
    }
    c.fd = tcp_connect(o->host, o->port, err, sizeof err);
    if (c.fd < 0) {
        set_error(r, err);
        smtpreply_session_free(s);
        return -1;
    }
    if (o->user != NULL && !o->starttls)
        add_entry(t, 'I', dup_bytes((const uint8_t *)"warning: credentials go over an unencrypted connection", 55));

    for (;;) {
        smtpreply_event ev;
        const uint8_t *out;
        size_t out_len;
        uint64_t timeout_ms;
        long got;

        /* Act on every event. */
        while (smtpreply_session_next_event(s, &ev) == SMTPREPLY_OK) {
            if (ev.kind == SMTPREPLY_EVENT_REPLY) {
                struct entry *e = add_entry(t, 'S', dup_bytes(ev.reply, ev.reply_len));
                e->code = ev.code;
                e->command = smtpreply_command_name(ev.command);
                e->reason = ev.classification.reason_name;
                e->bounce = ev.classification.bounce_name;
                e->meaning = code_meaning(ev.code, ev.command);
                e->unexpected = ev.unexpected;
                if (ev.command != SMTPREPLY_COMMAND_AUTH) masking = 0;
                if (ev.command == SMTPREPLY_COMMAND_AUTH && ev.code != 334) masking = 0;
            } else if (ev.kind == SMTPREPLY_EVENT_START_TLS) {
                if (tls_start(&c, o, err, sizeof err) == 0) {
                    add_entry(t, 'I', dup_bytes((const uint8_t *)"TLS established", 15));
                    smtpreply_session_tls_established(s);
                } else {
                    set_error(r, err);
                    add_entry(t, 'I', dup_bytes((const uint8_t *)err, strlen(err)));
                    smtpreply_session_tls_failed(s);
                }
            } else if (ev.kind == SMTPREPLY_EVENT_READY || ev.kind == SMTPREPLY_EVENT_AUTH_SUCCEEDED) {
                if (o->user != NULL && !auth_tried) {
                    auth_tried = 1;
                    if (smtpreply_session_authenticate(s, o->user, o->password, SMTPREPLY_AUTH_AUTO) != SMTPREPLY_OK) {
                        set_error(r, smtpreply_last_error_message());
                        smtpreply_session_quit(s);
                    }
                    continue;
                }
                if (!started && smtpreply_session_is_ready(s)) {
                    smtpreply_mail_options mo;
                    uint64_t size;
                    smtpreply_mail_options_init(&mo);
                    /* SIZE counts the message as sent: CRLF line endings (RFC 1870). */
                    if (smtpreply_message_size(msg, msg_len, &size) == SMTPREPLY_OK) mo.size = size;
                    /* UTF-8 recipients need SMTPUTF8 on MAIL FROM (RFC 6531); without the
                     * extension the session refuses them, which the outcome reports. */
                    if (any_utf8(o) && server_offers(s, "SMTPUTF8")) mo.flags |= SMTPREPLY_MAIL_SMTPUTF8;
                    started = 1;
                    if (smtpreply_session_send_mail(s, o->from, &mo) != SMTPREPLY_OK) {
                        snprintf(err, sizeof err, "--from %s: %s", o->from, smtpreply_last_error_message());
                        set_error(r, err);
                        smtpreply_session_quit(s);
                        continue;
                    }
                    for (i = 0; i < o->n_to; i++) {
                        size_t idx;
                        if (smtpreply_session_add_recipient(s, o->to[i], NULL, &idx) != SMTPREPLY_OK) {
                            snprintf(err, sizeof err, "--to %s: %s", o->to[i], smtpreply_last_error_message());
                            set_error(r, err);
                            r->status[i] = SMTPREPLY_RECIPIENT_REJECTED;
                            r->reason[i] = "invalid_address";
                            continue;
                        }
                        r->rcpt_index[idx] = (size_t)i;
                    }
                    if (smtpreply_session_start_data(s) != SMTPREPLY_OK) {
                        smtpreply_session_reset(s);
                        smtpreply_session_quit(s);
                    }
                }
            } else if (ev.kind == SMTPREPLY_EVENT_AUTH_FAILED) {
                set_error(r, "authentication failed");
                smtpreply_session_quit(s);
            } else if (ev.kind == SMTPREPLY_EVENT_READY_FOR_BODY) {
                smtpreply_body_stats st;
                body = BODY_STREAM;
                body_is_data = smtpreply_session_body_stats(s, &st) == SMTPREPLY_OK && st.command == SMTPREPLY_COMMAND_DATA;
            } else if (ev.kind == SMTPREPLY_EVENT_MESSAGE_ACCEPTED || ev.kind == SMTPREPLY_EVENT_MESSAGE_REJECTED) {
                size_t k;
                r->message_done = 1;
                r->message_accepted = ev.kind == SMTPREPLY_EVENT_MESSAGE_ACCEPTED;
                r->message_code = ev.has_reply ? ev.code : 0;
                if (ev.queue_id_len) r->queue_id = dup_bytes(ev.queue_id, ev.queue_id_len);
                for (k = 0; k < ev.recipient_count; k++) {
                    smtpreply_recipient_result rr;
                    size_t opt;
                    if (smtpreply_session_event_recipient(s, k, &rr) != SMTPREPLY_OK) continue;
                    opt = r->rcpt_index[k];
                    r->status[opt] = rr.status;
                    r->code[opt] = rr.code;
                    if (rr.has_classification) {
                        r->reason[opt] = rr.classification.reason_name;
                        enhanced_str(r->enhanced[opt], sizeof r->enhanced[opt], rr.classification.has_enhanced,
                                     rr.classification.enhanced);
                    }
                }
                body = BODY_ENDED;
                smtpreply_session_quit(s);
            } else if (ev.kind == SMTPREPLY_EVENT_PROTOCOL_ERROR) {
                snprintf(err, sizeof err, "protocol error: %s", ev.message);
                set_error(r, err);
                add_entry(t, 'I', dup_bytes((const uint8_t *)err, strlen(err)));
            } else if (ev.kind == SMTPREPLY_EVENT_CLOSED) {
                const char *why = smtpreply_close_reason_name(ev.close_reason);
                snprintf(err, sizeof err, "session closed: %s", why);
                add_entry(t, 'I', dup_bytes((const uint8_t *)err, strlen(err)));
                if (ev.close_reason != SMTPREPLY_CLOSE_QUIT) set_error(r, err);
            }
        }

        /* Stream the body when the session asks for it, 64 KiB at a time, flushing as we go. */
        if (body == BODY_STREAM) {
            size_t n = msg_len - sent_body > 65536 ? 65536 : msg_len - sent_body;
            if (n > 0) smtpreply_session_send_body(s, msg + sent_body, n);
            sent_body += n;
            if (sent_body == msg_len) {
                smtpreply_session_end_body(s);
                body = BODY_ENDED;
            }
        }

        smtpreply_session_output(s, &out, &out_len);
        if (out_len > 0) {
            /* DATA: everything after the 354 is message text until the final reply. */
            log_client(t, out, out_len, body_is_data && sent_body > 0 && !r->message_done, &masking);
            if (conn_write(&c, out, out_len) != 0) {
                set_error(r, "the connection broke while sending");
                smtpreply_session_receive_eof(s);
                continue;
            }
            smtpreply_session_advance_output(s, out_len);
            continue; /* more events or body may follow */
        }
        if (smtpreply_session_is_closed(s)) break;
        /* Without PIPELINING, BDAT chunks wait in the session for their turn: keep handing it
         * the body (it queues), and read once the body is complete. */
        if (body == BODY_STREAM) continue;

        if (smtpreply_session_timeout_ms(s, &timeout_ms) != SMTPREPLY_OK) timeout_ms = 300000;
        got = conn_read(&c, buf, sizeof buf, (int)timeout_ms);
        if (got == -2) {
            set_error(r, "the server did not answer in time (RFC 5321 timeout)");
            smtpreply_session_receive_eof(s);
        } else if (got <= 0) {
            smtpreply_session_receive_eof(s);
        } else {
            smtpreply_session_receive(s, buf, (size_t)got);
        }
    }
    conn_close(&c);
    smtpreply_session_free(s);
    return 0;
}

/* ---- output ---- */

static const char *status_name(uint32_t s) {
    return s == SMTPREPLY_RECIPIENT_ACCEPTED ? "accepted" : s == SMTPREPLY_RECIPIENT_REJECTED ? "rejected" : "deferred";
}

static void print_text(const struct options *o, const struct transcript *t, const struct outcome *r) {
    size_t i;
    int k;
    for (i = 0; i < t->n; i++) {
        const struct entry *e = &t->e[i];
        if (e->dir == 'I') {
            printf("   * %s\n", e->text);
        } else if (e->dir == 'C') {
            printf("C: %s\n", e->text);
        } else {
            const char *line = e->text;
            while (*line) {
                size_t n = strcspn(line, "\r\n");
                printf("S: ");
                print_bytes(stdout, (const uint8_t *)line, n);
                printf("\n");
                line += n;
                while (*line == '\r' || *line == '\n') line++;
            }
            printf("   -> %u to %s: %s", e->code, e->command, e->meaning);
            if (e->code >= 400) printf(" [%s, %s bounce]", e->reason, e->bounce);
            if (e->unexpected) printf(" (unexpected for this command)");
            printf("\n");
        }
    }
    printf("\nOutcome:\n");
    for (k = 0; k < o->n_to; k++) {
        printf("  %-10s %s", status_name(r->status[k]), o->to[k]);
        if (r->code[k]) printf("  %u%s%s", r->code[k], r->enhanced[k][0] ? " " : "", r->enhanced[k]);
        if (r->reason[k] && r->status[k] != SMTPREPLY_RECIPIENT_ACCEPTED) printf("  (%s)", r->reason[k]);
        printf("\n");
    }
    printf("  message    %s", r->message_accepted ? "accepted" : "not delivered");
    if (r->queue_id) printf(", queued as %s", r->queue_id);
    printf("\n");
    if (r->error) printf("  error      %s\n", r->error);
}

static void print_json(const struct options *o, const struct transcript *t, const struct outcome *r) {
    size_t i;
    int k;
    printf("{\"recipients\":[");
    for (k = 0; k < o->n_to; k++) {
        printf("%s{\"address\":", k ? "," : "");
        json_str(stdout, o->to[k]);
        printf(",\"status\":\"%s\",\"code\":", status_name(r->status[k]));
        if (r->code[k]) printf("%u", r->code[k]);
        else printf("null");
        printf(",\"enhanced\":");
        json_str(stdout, r->enhanced[k][0] ? r->enhanced[k] : NULL);
        printf(",\"reason\":");
        json_str(stdout, r->reason[k]);
        printf("}");
    }
    printf("],\"message\":{\"accepted\":%s,\"code\":", r->message_accepted ? "true" : "false");
    if (r->message_code) printf("%u", r->message_code);
    else printf("null");
    printf(",\"queue_id\":");
    json_str(stdout, r->queue_id);
    printf("},\"error\":");
    json_str(stdout, r->error);
    printf(",\"transcript\":[");
    for (i = 0; i < t->n; i++) {
        const struct entry *e = &t->e[i];
        printf("%s{\"from\":\"%s\",\"text\":", i ? "," : "", e->dir == 'C' ? "client" : e->dir == 'S' ? "server" : "info");
        json_str(stdout, e->text);
        if (e->dir == 'S') {
            printf(",\"code\":%u,\"command\":", e->code);
            json_str(stdout, e->command);
            printf(",\"meaning\":");
            json_str(stdout, e->meaning);
            printf(",\"reason\":");
            json_str(stdout, e->reason);
            printf(",\"bounce\":");
            json_str(stdout, e->bounce);
            printf(",\"unexpected\":%s", e->unexpected ? "true" : "false");
        }
        printf("}");
    }
    printf("]}\n");
}

int main(int argc, char **argv) {
    struct options o;
    struct transcript t = {NULL, 0, 0};
    struct outcome r;
    uint8_t *msg;
    size_t msg_len, i;
    int rc, k, accepted = 0;
    FILE *f;

    rc = parse_args(argc, argv, &o);
    if (rc != 0) return rc;
    f = strcmp(o.file, "-") == 0 ? stdin : fopen(o.file, "rb");
    if (f == NULL) {
        fprintf(stderr, "smtp-send: cannot open %s: %s\n", o.file, strerror(errno));
        return EXIT_USAGE;
    }
    rc = read_all(f, MAX_MESSAGE, &msg, &msg_len);
    if (f != stdin) fclose(f);
    if (rc != 0) {
        fprintf(stderr, "smtp-send: cannot read %s%s\n", o.file, rc == -2 ? ": larger than 64 MiB" : "");
        return EXIT_USAGE;
    }
    memset(&r, 0, sizeof r);
    for (k = 0; k < o.n_to; k++) r.status[k] = SMTPREPLY_RECIPIENT_DEFERRED;
    signal_ignore_pipe();
    run(&o, msg, msg_len, &t, &r);
    if (o.json) print_json(&o, &t, &r);
    else print_text(&o, &t, &r);
    if (r.error && !o.json) fprintf(stderr, "smtp-send: %s\n", r.error);

    for (k = 0; k < o.n_to; k++) accepted += r.status[k] == SMTPREPLY_RECIPIENT_ACCEPTED;
    for (i = 0; i < t.n; i++) free(t.e[i].text);
    free(t.e);
    free(msg);
    free(r.queue_id);
    free(r.error);
    if (r.message_accepted && accepted == o.n_to) return 0;
    if (r.message_accepted && accepted > 0) return 1;
    return 2;
}
