#!/usr/bin/env python3
"""Classify about 10,000 replies: smtpreply.classify_many (one call into the library) against a
Python loop of smtpreply.classify (one call per reply).

    python3 python/bench_classify.py [--count N] [--repeat N]

The replies are a fixed mix of what a mail sender sees: user unknown, mailbox full, greylisting, a
Spamhaus block, too many connections, DMARC/authentication failures, STARTTLS required, Postfix
log lines with their "host X said: ... (in reply to RCPT TO command)" wrapper, Gmail's 4-line
550-5.1.1, successes; half of them with the command they answered. Timings: time.perf_counter,
best of N (default 5). Runs in a few seconds.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import smtpreply  # noqa: E402

MIX = [
    (b"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table", "RCPT"),
    (b"552 5.2.2 Mailbox full", "RCPT"),
    (b"450 4.2.0 Greylisted, see http://postgrey.schweikert.ch/help/example.com.html", "RCPT"),
    (b"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "RCPT"),
    (b"421 4.7.0 Too many connections, try again in 5 minutes", None),
    (b"550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all "
     b"senders to authenticate with either SPF or DKIM.", "DATA-END"),
    (b"530 5.7.0 Must issue a STARTTLS command first", "MAIL"),
    (b"250 2.0.0 Ok: queued as ABC123", "DATA-END"),
    (b"host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b.c>: Recipient address rejected: User unknown "
     b"(in reply to RCPT TO command)", None),
    (b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
     b"550-5.1.1 double-checking the recipient's email address for typos or\r\n"
     b"550-5.1.1 unnecessary spaces. For more information, go to\r\n"
     b"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567qkb.123 - gsmtp\r\n", "RCPT"),
    (b"451 4.7.1 Please try again in 1 hour", None),
    (b"552 5.3.4 Message size exceeds fixed limit", "DATA-END"),
]


def build(count):
    replies = []
    commands = []
    for i in range(count):
        data, cmd = MIX[i % len(MIX)]
        replies.append(data)
        commands.append(cmd if i % 2 == 0 else None)
    return replies, commands


def loop(replies, commands):
    classify = smtpreply.classify
    return [classify(r, c) for r, c in zip(replies, commands)]


def many(replies, commands):
    return smtpreply.classify_many(replies, commands)


def best_of(fn, repeat, *args):
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000, help="replies to classify")
    ap.add_argument("--repeat", type=int, default=5, help="runs per variant (best is kept)")
    args = ap.parse_args()

    replies, commands = build(args.count)
    nbytes = sum(map(len, replies))
    print("smtpreply %s (%s)" % (smtpreply.version(), smtpreply.LIBRARY_PATH))
    print("Python %s" % sys.version.split()[0])
    print("%d replies, %d bytes; best of %d" % (len(replies), nbytes, args.repeat))

    smtpreply.classify(replies[0])  # builds the rule automaton once, outside the timings
    t_many, r_many = best_of(many, args.repeat, replies, commands)
    t_loop, r_loop = best_of(loop, args.repeat, replies, commands)
    if r_many != r_loop:
        raise SystemExit("classify_many and the classify loop disagree")
    for name, t in (("(a) smtpreply.classify_many", t_many), ("(b) loop of smtpreply.classify", t_loop)):
        print("%-32s %8.2f ms  %10.0f replies/s  %6.2f us/reply" % (name, t * 1e3, len(replies) / t,
                                                                    t / len(replies) * 1e6))
    print("ratio: classify_many is %.2fx the speed of the classify loop" % (t_loop / t_many))


if __name__ == "__main__":
    main()
