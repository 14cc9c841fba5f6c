#!/usr/bin/env python3
"""Capture real SMTP client output for the transcript explainer's fixtures.

Starts aiosmtpd servers on 127.0.0.1 (the recording test server of python/tests/smtpservers.py,
imported, not copied) with policies that refuse some recipients (550 5.1.1), defer one
(450 4.2.0 greylisted), require AUTH or STARTTLS, refuse the message or close with 421, plus a
raw scripted server for greetings aiosmtpd cannot give (554, 421). Then it runs the client tools
and saves what they print, verbatim, one file per case:

- swaks (stdout and stderr interleaved, as a terminal shows them);
- curl -v (its verbose output and progress meter go to stderr: captured as is, with curl's own
  mix of CRLF protocol lines and LF info lines);
- Python smtplib with set_debuglevel(1) and (2) (stderr of a small script run as a user would
  run it, traceback included when it fails);
- telnet, typed into through a pseudo-terminal. A pty adds a CR before every LF on output, so
  the server's CRLF arrives as CR CR LF; the file keeps what the screen shows and a copy gives:
  lines ending in LF.

Usage:
    python3 tests/data/transcripts/capture.py --out DIR [--only NAME ...] [--list]

Every case gets a new server, so queue ids (TESTQ0001 ...) are deterministic; ports, dates,
Message-Ids and TLS details differ from run to run. A case whose tool is missing is skipped with
a message. After capturing, each file is checked against its expectation (the reply codes and
queue id listed in expected.tsv must appear), and the capture rows of DIR/expected.tsv are
rewritten (other rows are kept), so README.md and expected.tsv stay true to what was captured.
"""

import argparse
import os
import pty
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "..", "python", "tests")))

from smtpservers import (  # noqa: E402
    GOOD_PASSWORD, GOOD_USER, HAVE_AIOSMTPD, AIOSMTPD_MISSING, Certificate, Policy, ScriptedServer, SMTPServer,
)

FROM = "alice@example.org"
HELO = "client.example.org"
GOOD = "bob@example.com"
REFUSED = "nobody@example.com"
DEFERRED = "grey@example.com"
REFUSE_REPLY = "550 5.1.1 <{addr}>: Recipient address rejected: User unknown in virtual mailbox table"
DEFER_REPLY = ("450 4.2.0 <{addr}>: Recipient address rejected: Greylisted, see "
               "http://postgrey.schweikert.ch/help/example.com.html")
# A Gmail-style multi-line refusal (four lines, the same enhanced code on each).
GMAIL_REPLY = ("550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
               "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
               "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
               "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser x12si3456789qkb.7 - gsmtp")
SPAM_REPLY = "554 5.7.1 Message rejected: content looks like spam (score 12.3)"

MESSAGE = (
    "From: Alice Example <alice@example.org>\n"
    "To: Bob Example <bob@example.com>\n"
    "Subject: Quarterly figures\n"
    "Message-ID: <capture-1@client.example.org>\n"
    "\n"
    "Hello Bob,\n"
    "\n"
    "the figures are attached below.\n"
    ".hidden line starting with a dot\n"
    "\n"
    "Alice\n"
)

CAPTURE_ROWS = []  # filled by @case


def case(name, fmt, recipients, accepted, queue_id, notes, needs=()):
    """Registers a capture: file name, format, expected outcome (see README.md)."""

    def wrap(fn):
        CAPTURE_ROWS.append(dict(file=name, format=fmt, recipients=recipients, accepted=accepted,
                                 queue_id=queue_id, notes=notes, fn=fn, needs=needs))
        return fn

    return wrap


def policy(**kw):
    kw.setdefault("refuse_prefix", "nobody")
    kw.setdefault("defer_prefix", "grey")
    kw.setdefault("refuse_reply", REFUSE_REPLY)
    kw.setdefault("defer_reply", DEFER_REPLY)
    return Policy(**kw)


def server(pol=None, **kw):
    kw.setdefault("hostname", "mx.example.com")
    return SMTPServer(pol if pol is not None else policy(), **kw)


def run(cmd, **kw):
    """Runs a client; returns stdout and stderr interleaved as bytes (one pipe, as a terminal)."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60, **kw)
    return r.stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def swaks(srv_host, srv_port, *args):
    return run(["swaks", "--server", srv_host, "--port", str(srv_port), "--from", FROM, "--helo", HELO] + list(args))


# ------------------------------------------------------------------------------------------------
# swaks
# ------------------------------------------------------------------------------------------------


@case("swaks_plain.txt", "swaks", "bob@example.com=accepted:250", "yes", "TESTQ0001",
      "swaks plain delivery, one recipient", needs=("swaks",))
def _(ctx):
    with server() as srv:
        return swaks(srv.host, srv.port, "--to", GOOD)


@case("swaks_mixed_recipients.txt", "swaks",
      "bob@example.com=accepted:250 nobody@example.com=rejected:550 grey@example.com=deferred:450", "yes",
      "TESTQ0001", "one accepted, one refused (<** 550 5.1.1), one greylisted (<** 450 4.2.0); swaks goes on to DATA",
      needs=("swaks",))
def _(ctx):
    with server() as srv:
        return swaks(srv.host, srv.port, "--to", ",".join([GOOD, REFUSED, DEFERRED]))


@case("swaks_all_refused.txt", "swaks", "nobody@example.com=rejected:550", "no", "-",
      "the only recipient refused: swaks sends QUIT, exit code 24", needs=("swaks",))
def _(ctx):
    with server() as srv:
        return swaks(srv.host, srv.port, "--to", REFUSED)


@case("swaks_multiline_refusal.txt", "swaks", "bob@example.com=accepted:250 nobody@example.com=rejected:550", "yes",
      "TESTQ0001", "a 4-line Gmail-style 550 5.1.1: swaks prints every line with <**", needs=("swaks",))
def _(ctx):
    with server(policy(refuse_reply=GMAIL_REPLY)) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD + "," + REFUSED)


@case("swaks_pipeline.txt", "swaks", "bob@example.com=accepted:250 nobody@example.com=rejected:550", "yes",
      "TESTQ0001", "--pipeline: MAIL, both RCPTs and DATA sent together, then the four replies", needs=("swaks",))
def _(ctx):
    with server(pipelining=True) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD + "," + REFUSED, "--pipeline")


@case("swaks_auth_plain.txt", "swaks", "bob@example.com=accepted:250", "yes", "TESTQ0001",
      "AUTH PLAIN with the initial response in base64 (user tim, password tanstaaftanstaaf: to be masked)",
      needs=("swaks",))
def _(ctx):
    with server(auth=True) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD, "--auth", "PLAIN", "--auth-user", GOOD_USER,
                     "--auth-password", GOOD_PASSWORD)


@case("swaks_auth_login.txt", "swaks", "bob@example.com=accepted:250", "yes", "TESTQ0001",
      "AUTH LOGIN: 334 VXNlcm5hbWU6 / 334 UGFzc3dvcmQ6 challenges, user and password in base64 (to be masked)",
      needs=("swaks",))
def _(ctx):
    with server(auth=True) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD, "--auth", "LOGIN", "--auth-user", GOOD_USER,
                     "--auth-password", GOOD_PASSWORD)


@case("swaks_auth_failed.txt", "swaks", "-", "unknown", "-",
      "AUTH PLAIN with a wrong password: <** 535 5.7.8, swaks quits (exit code 28)", needs=("swaks",))
def _(ctx):
    with server(auth=True) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD, "--auth", "PLAIN", "--auth-user", GOOD_USER,
                     "--auth-password", "wrong-password")


@case("swaks_auth_required.txt", "swaks", "-", "no", "-",
      "no AUTH against a server that requires it: MAIL FROM gets <** 530 5.7.0", needs=("swaks",))
def _(ctx):
    with server(auth=True) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD)


@case("swaks_starttls.txt", "swaks", "bob@example.com=accepted:250 nobody@example.com=rejected:550", "yes",
      "TESTQ0001", "-tls with a self-signed certificate: === TLS started ..., then <~ / ~> lines",
      needs=("swaks", "openssl"))
def _(ctx):
    with server(tls_context=ctx.cert().server_context()) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD + "," + REFUSED, "-tls")


@case("swaks_greeting_554.txt", "swaks", "-", "unknown", "-",
      "the greeting is a 554 refusal; swaks quits", needs=("swaks",))
def _(ctx):
    script = [("send", b"554 5.7.1 mx.example.com ESMTP not accepting mail from 127.0.0.1: listed at "
                       b"zen.spamhaus.org\r\n"),
              ("expect", b"QUIT\r\n"), ("send", b"221 2.0.0 mx.example.com closing connection\r\n"), ("close",)]
    with ScriptedServer(script) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD)


@case("swaks_greeting_421.txt", "swaks", "-", "unknown", "-",
      "the greeting is 421 and the server closes at once", needs=("swaks",))
def _(ctx):
    script = [("send", b"421 4.3.2 mx.example.com Service not available, closing transmission channel\r\n"),
              ("sleep", 0.3), ("close",)]
    with ScriptedServer(script) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD)


@case("swaks_421_at_rcpt.txt", "swaks", "bob@example.com=deferred:421", "no", "-",
      "the server answers RCPT with 421 and closes the connection", needs=("swaks",))
def _(ctx):
    with server(close_on_rcpt=1) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD)


@case("swaks_data_rejected.txt", "swaks", "bob@example.com=rejected:554", "no", "-",
      "recipient accepted, the message refused after the body: <** 554 5.7.1", needs=("swaks",))
def _(ctx):
    with server(policy(data_reply=SPAM_REPLY)) as srv:
        return swaks(srv.host, srv.port, "--to", GOOD)


@case("swaks_connection_refused.txt", "swaks", "-", "unknown", "-",
      "nothing listens on the port: *** Error connecting ... Connection refused", needs=("swaks",))
def _(ctx):
    return swaks("127.0.0.1", free_port(), "--to", GOOD)


# ------------------------------------------------------------------------------------------------
# curl
# ------------------------------------------------------------------------------------------------


def curl(ctx, url, rcpts, *extra):
    cmd = ["curl", "-v", "--url", url, "--mail-from", FROM]
    for r in rcpts:
        cmd += ["--mail-rcpt", r]
    cmd += ["--upload-file", ctx.message_file()] + list(extra)
    return run(cmd, cwd=ctx.tmp)


@case("curl_plain.txt", "curl", "bob@example.com=accepted:250", "yes", "TESTQ0001",
      "curl -v with the progress meter (stderr not a terminal); the URL has no path, so curl says "
      "EHLO message.txt (the upload file's name); no QUIT (the connection is left intact)", needs=("curl",))
def _(ctx):
    with server() as srv:
        return curl(ctx, "smtp://%s:%d" % (srv.host, srv.port), [GOOD])


@case("curl_refused_recipient.txt", "curl", "bob@example.com=pending:250 nobody@example.com=rejected:550", "no", "-",
      "curl -sv gives up at the first refused RCPT: * RCPT failed: 550, QUIT, curl: (55)", needs=("curl",))
def _(ctx):
    with server() as srv:
        return curl(ctx, "smtp://%s:%d/%s" % (srv.host, srv.port, HELO), [GOOD, REFUSED], "-s")


@case("curl_rcpt_allowfails.txt", "curl",
      "bob@example.com=accepted:250 nobody@example.com=rejected:550 grey@example.com=deferred:450", "yes",
      "TESTQ0001", "curl -sv --mail-rcpt-allowfails goes on to DATA with the accepted recipient", needs=("curl",))
def _(ctx):
    with server() as srv:
        return curl(ctx, "smtp://%s:%d/%s" % (srv.host, srv.port, HELO), [GOOD, REFUSED, DEFERRED], "-s",
                    "--mail-rcpt-allowfails")


@case("curl_starttls_auth.txt", "curl", "bob@example.com=accepted:250", "yes", "TESTQ0001",
      "curl -sv --ssl-reqd -k --user tim:...: STARTTLS with * TLSv1.3 lines, EHLO again, AUTH PLAIN "
      "with base64 credentials (to be masked)", needs=("curl", "openssl"))
def _(ctx):
    with server(tls_context=ctx.cert().server_context(), auth=True) as srv:
        return curl(ctx, "smtp://%s:%d/%s" % (srv.host, srv.port, HELO), [GOOD], "-s", "--ssl-reqd", "-k",
                    "--user", "%s:%s" % (GOOD_USER, GOOD_PASSWORD))


@case("curl_connection_refused.txt", "curl", "-", "unknown", "-",
      "nothing listens on the port: curl: (7) Failed to connect", needs=("curl",))
def _(ctx):
    return curl(ctx, "smtp://127.0.0.1:%d/%s" % (free_port(), HELO), [GOOD], "-s")


# ------------------------------------------------------------------------------------------------
# Python smtplib
# ------------------------------------------------------------------------------------------------

SMTPLIB_CLIENT = '''\
import smtplib
import sys

host, port, level = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rcpts = sys.argv[4].split(",")
login = sys.argv[5] if len(sys.argv) > 5 else ""
message = open("message.txt", "rb").read()

server = smtplib.SMTP(host, port, local_hostname="client.example.org")
server.set_debuglevel(level)
server.ehlo()
if login:
    user, password = login.split(":", 1)
    server.login(user, password)
refused = server.sendmail("alice@example.org", rcpts, message)
server.quit()
'''


def smtplib_client(ctx, srv, level, rcpts, login=""):
    path = os.path.join(ctx.tmp, "send_report.py")
    with open(path, "w") as f:
        f.write(SMTPLIB_CLIENT)
    ctx.message_file()
    args = [sys.executable, "send_report.py", srv.host, str(srv.port), str(level), ",".join(rcpts)]
    if login:
        args.append(login)
    return run(args, cwd=ctx.tmp)


@case("smtplib_debug1_ok.txt", "smtplib",
      "bob@example.com=accepted:250 nobody@example.com=rejected:550 grey@example.com=deferred:450", "yes",
      "TESTQ0001", "set_debuglevel(1): send: '...' / reply: b'...' / reply: retcode (...); Msg: b'...'; sendmail() "
      "succeeds and returns the refused recipients (not printed)", needs=())
def _(ctx):
    with server() as srv:
        return smtplib_client(ctx, srv, 1, [GOOD, REFUSED, DEFERRED])


@case("smtplib_debug2_auth_ok.txt", "smtplib", "bob@example.com=accepted:250", "yes", "TESTQ0001",
      "set_debuglevel(2): every line starts with a HH:MM:SS.ffffff timestamp; login() uses AUTH PLAIN with "
      "base64 credentials (to be masked); the body appears as one send: b'...' repr", needs=())
def _(ctx):
    with server(auth=True) as srv:
        return smtplib_client(ctx, srv, 2, [GOOD], login="%s:%s" % (GOOD_USER, GOOD_PASSWORD))


@case("smtplib_debug1_all_refused.txt", "smtplib",
      "nobody@example.com=rejected:550 grey@example.com=deferred:450", "no", "-",
      "every recipient refused: smtplib sends RSET and raises SMTPRecipientsRefused (traceback)", needs=())
def _(ctx):
    with server() as srv:
        return smtplib_client(ctx, srv, 1, [REFUSED, DEFERRED])


@case("smtplib_debug2_data_rejected.txt", "smtplib", "bob@example.com=rejected:554", "no", "-",
      "set_debuglevel(2); the message refused after the body with 554 5.7.1: SMTPDataError (traceback)",
      needs=())
def _(ctx):
    with server(policy(data_reply=SPAM_REPLY)) as srv:
        return smtplib_client(ctx, srv, 2, [GOOD])


# ------------------------------------------------------------------------------------------------
# telnet, typed through a pseudo-terminal
# ------------------------------------------------------------------------------------------------

REPLY_END = re.compile(rb"(?:^|\n)\d{3} [^\n]*\n", re.S)


def telnet(host, port, lines):
    """Types `lines` into telnet; a line ending in '!' waits for the server's reply first (the
    '!' is not typed). Returns what the terminal showed, with LF line endings."""
    master, slave = pty.openpty()
    p = subprocess.Popen(["telnet", host, str(port)], stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out = bytearray()

    def read_until(pred, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                out.extend(data)
                if pred():
                    return
            elif p.poll() is not None:
                return

    def replies():
        return len(REPLY_END.findall(bytes(out).replace(b"\r", b"")))

    read_until(lambda: replies() >= 1)
    for line in lines:
        wait = line.endswith("!")
        line = line.rstrip("!")
        before = replies()
        os.write(master, line.encode() + b"\n")
        if wait:
            read_until(lambda: replies() > before)
        else:
            time.sleep(0.05)
    read_until(lambda: False, timeout=1.5)  # "Connection closed by foreign host."
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    os.close(master)
    text = bytes(out).replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n")
    return text


@case("telnet_session.txt", "telnet",
      "bob@example.com=accepted:250 nobody@example.com=rejected:550 grey@example.com=deferred:450", "yes",
      "TESTQ0001", "a real telnet session typed through a pty: Trying/Connected/Escape character lines, typed "
      "lines without marker (lower-case commands too), server lines with codes; ends with "
      "'Connection closed by foreign host.'", needs=("telnet",))
def _(ctx):
    with server() as srv:
        return telnet(srv.host, srv.port, [
            "EHLO client.example.org!", "mail from:<alice@example.org>!", "rcpt to:<bob@example.com>!",
            "rcpt to:<nobody@example.com>!", "RCPT TO:<grey@example.com>!", "DATA!",
            "Subject: test from telnet", "", "Hello Bob, this is a test.", ".!", "QUIT!",
        ])


# ------------------------------------------------------------------------------------------------


class Context(object):
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="smtpreply-capture-")
        self._cert = None

    def cert(self):
        if self._cert is None:
            self._cert = Certificate()
        return self._cert

    def message_file(self):
        path = os.path.join(self.tmp, "message.txt")
        with open(path, "w") as f:
            f.write(MESSAGE)
        return path

    def cleanup(self):
        if self._cert is not None:
            self._cert.cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)


def check(row, data):
    """The expected codes and queue id must appear in the capture: a wrong expectation fails."""
    text = data.decode("utf-8", "replace")
    problems = []
    for item in row["recipients"].split():
        if item == "-":
            continue
        addr, outcome = item.split("=")
        status, code = outcome.split(":")
        if code != "-" and not re.search(r"(^|\D)%s[ -]" % code, text):
            problems.append("no %s reply for %s" % (code, addr))
    if row["queue_id"] != "-" and row["queue_id"] not in text:
        problems.append("no queue id %s" % row["queue_id"])
    return problems


def check_all(out_dir):
    """Checks every row of out_dir/expected.tsv (hand-written ones too) against its file."""
    formats = {"server_client", "rfc", "arrows", "swaks", "curl", "telnet", "smtplib", "exchange", "bounce"}
    with open(os.path.join(out_dir, "expected.tsv")) as f:
        lines = f.read().splitlines()
    assert lines[0].split("\t") == COLUMNS, lines[0]
    bad = 0
    listed = set()
    for line in lines[1:]:
        cols = line.split("\t")
        row = dict(zip(["file", "format", "recipients", "accepted", "queue_id", "notes"], cols))
        listed.add(row["file"])
        problems = []
        if len(cols) != len(COLUMNS):
            problems.append("%d columns" % len(cols))
        if row["format"] not in formats:
            problems.append("unknown format %r" % row["format"])
        if row["accepted"] not in ("yes", "no", "unknown"):
            problems.append("message_accepted %r" % row["accepted"])
        for item in row["recipients"].split():
            if item != "-" and not re.match(r"^[^=\s]+=(accepted|rejected|deferred|pending):(\d{3}|-)$", item):
                problems.append("recipient %r" % item)
        path = os.path.join(out_dir, row["file"])
        if not os.path.exists(path):
            problems.append("missing file")
        else:
            with open(path, "rb") as f:
                problems += check(row, f.read())
        if problems:
            bad += 1
            print("FAIL %s: %s" % (row["file"], "; ".join(problems)))
    unlisted = sorted(n for n in os.listdir(out_dir) if n.endswith(".txt") and n not in listed)
    for n in unlisted:
        bad += 1
        print("FAIL %s: not in expected.tsv" % n)
    print("%d rows checked, %d with problems" % (len(lines) - 1, bad))
    return 1 if bad else 0


COLUMNS = ["file", "format", "recipients", "message_accepted", "queue_id", "notes"]


def write_rows(out_dir, rows):
    """Replaces the capture rows of out_dir/expected.tsv, keeping every other row."""
    path = os.path.join(out_dir, "expected.tsv")
    kept = []
    names = {r["file"] for r in CAPTURE_ROWS}
    if os.path.exists(path):
        with open(path) as f:
            lines = f.read().splitlines()
        kept = [l for l in lines[1:] if l and l.split("\t")[0] not in names]
    new = ["\t".join([r["file"], r["format"], r["recipients"], r["accepted"], r["queue_id"], r["notes"]])
           for r in rows]
    with open(path, "w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for l in new + kept:
            f.write(l + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=HERE, help="where to write the captures (default: beside this script)")
    ap.add_argument("--only", nargs="*", help="capture only these files")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--no-tsv", action="store_true", help="do not touch OUT/expected.tsv")
    ap.add_argument("--check", action="store_true",
                    help="capture nothing: check every row of OUT/expected.tsv against its file and exit")
    args = ap.parse_args()
    if args.check:
        return check_all(args.out)
    if args.list:
        for r in CAPTURE_ROWS:
            print("%-34s %-8s %s" % (r["file"], r["format"], r["notes"]))
        return 0
    if not HAVE_AIOSMTPD:
        print(AIOSMTPD_MISSING, file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    ctx = Context()
    failed = 0
    done = []
    try:
        for row in CAPTURE_ROWS:
            if args.only and row["file"] not in args.only:
                continue
            missing = [t for t in row["needs"] if shutil.which(t) is None]
            if missing:
                print("skip %s: %s not installed" % (row["file"], ", ".join(missing)), file=sys.stderr)
                continue
            data = row["fn"](ctx)
            with open(os.path.join(args.out, row["file"]), "wb") as f:
                f.write(data)
            problems = check(row, data)
            if problems:
                failed += 1
                print("FAIL %s: %s" % (row["file"], "; ".join(problems)), file=sys.stderr)
            else:
                print("ok   %s (%d bytes)" % (row["file"], len(data)))
            done.append(row)
    finally:
        ctx.cleanup()
    if not args.no_tsv and not args.only:
        write_rows(args.out, done)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
