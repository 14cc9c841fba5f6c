#!/usr/bin/env python3
"""send_mail.py: send one message over SMTP with smtpreply.send_message, and say what happened to
each recipient, with the reason the library's classifier gives for every refusal.

    python3 python/examples/send_mail.py --server HOST:PORT --from ADDR --to ADDR [--to ADDR ...]
        [--helo NAME] [--starttls] [--cafile FILE] [--user U --password P] [--insecure-auth]
        [--transcript] FILE

FILE is the message with its headers ("-" for standard input); any line endings. Exit codes (as
c-examples/smtp-send): 0 every recipient accepted, 1 some accepted, 2 nothing delivered, 64 usage.
"""

import argparse
import os
import ssl
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import smtpreply  # noqa: E402

EXIT_USAGE = 64


def parse_server(value):
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError("must be HOST:PORT, not %r" % value)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, "%s: error: %s\n" % (self.prog, message))


def main(argv=None):
    p = Parser(description="Send one message over SMTP and explain the outcome per recipient.")
    p.add_argument("--server", required=True, type=parse_server, metavar="HOST:PORT")
    p.add_argument("--from", dest="sender", required=True, metavar="ADDR", help='the sender ("" for <>)')
    p.add_argument("--to", dest="recipients", action="append", required=True, metavar="ADDR")
    p.add_argument("--helo", default="localhost", metavar="NAME", help="the EHLO name (default localhost)")
    p.add_argument("--starttls", action="store_true", help="require STARTTLS (the certificate is verified)")
    p.add_argument("--cafile", metavar="FILE", help="a CA certificate to trust for STARTTLS")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--insecure-auth", action="store_true", help="allow AUTH without TLS")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each reply")
    p.add_argument("--transcript", action="store_true", help="print the SMTP conversation first")
    p.add_argument("file", metavar="FILE")
    a = p.parse_args(argv)
    if (a.user is None) != (a.password is None):
        p.error("--user and --password go together")
    try:
        if a.file == "-":
            message = sys.stdin.buffer.read()
        else:
            with open(a.file, "rb") as f:
                message = f.read()
    except OSError as e:
        print("send_mail: cannot read %s: %s" % (a.file, e.strerror), file=sys.stderr)
        return EXIT_USAGE

    context = None
    if a.starttls:
        try:
            context = ssl.create_default_context(cafile=a.cafile)
        except (OSError, ssl.SSLError) as e:
            print("send_mail: cannot load --cafile %s: %s" % (a.cafile, e), file=sys.stderr)
            return EXIT_USAGE
    host, port = a.server
    try:
        r = smtpreply.send_message(host, port, a.sender, a.recipients, message, client_name=a.helo,
                                   starttls=a.starttls, ssl_context=context, user=a.user, password=a.password,
                                   timeout=a.timeout, allow_insecure_auth=a.insecure_auth)
    except smtpreply.InvalidInput as e:  # a bad --helo
        print("send_mail: %s" % e.message, file=sys.stderr)
        return EXIT_USAGE

    if a.transcript:
        marks = {"client": "C:", "server": "S:", "info": " *"}
        for direction, data in r.transcript:
            for line in data.decode("utf-8", "replace").splitlines() or [""]:
                print("%s %s" % (marks[direction], line))
        print()

    width = max(len(x.address) for x in r.recipients)
    for x in r.recipients:
        line = "%-8s  %-*s" % (x.status, width, x.address)
        if x.code is not None:
            line += "  %d" % x.code
            if x.enhanced is not None:
                line += " %d.%d.%d" % x.enhanced
        print(line)
        if x.status != "accepted":
            c = x.classification
            if c is not None:
                print("          %s (%s bounce%s): %s" % (
                    c.reason, c.bounce, ", retry later" if c.retry else "", c.explanation))
                print("          what to do: %s" % c.advice)
            elif x.error:
                print("          not sent: %s" % x.error)
    if r.accepted:
        print("message   accepted%s" % (", queued as %s" % r.queue_id if r.queue_id else ""))
    else:
        print("message   not delivered")
    if r.error:
        print("error     %s" % r.error)
    accepted = sum(1 for x in r.recipients if x.status == "accepted")
    if r.accepted and accepted == len(r.recipients):
        return 0
    if r.accepted and accepted:
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
