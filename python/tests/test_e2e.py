"""End-to-end: smtpreply.send_message (Python) and c-examples/build/smtp-send (C) against real SMTP
servers (aiosmtpd) on 127.0.0.1, checked from both sides: what the client reports, and what the
server received, byte for byte.

aiosmtpd is optional: without it these tests are skipped (CI installs it). smtp-send is built by
`make -C c-examples` (the smtp-send tests are skipped with a message when it is not built).

    python3 -m unittest discover -s python/tests -t python -v
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
for _p in (PYDIR, HERE):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import smtpreply  # noqa: E402
import smtpservers  # noqa: E402
from smtpservers import (  # noqa: E402
    GOOD_PASSWORD,
    GOOD_USER,
    Certificate,
    Policy,
    SMTPServer,
    needs_aiosmtpd,
)

# SMTP_SEND in the environment runs another build of it (e.g. a sanitizer build).
SMTP_SEND = os.environ.get("SMTP_SEND") or os.path.join(REPO, "c-examples", "build", "smtp-send")
SEND_MAIL = os.path.join(PYDIR, "examples", "send_mail.py")
HAVE_SMTP_SEND = os.access(SMTP_SEND, os.X_OK)
needs_smtp_send = unittest.skipUnless(
    HAVE_SMTP_SEND, "c-examples/build/smtp-send is not built (make -C c-examples)")

SENDER = "alice@example.org"
MESSAGE = b"From: alice@example.org\nTo: bob@example.com\nSubject: hello\n\nHello Bob.\n"
CANONICAL = MESSAGE.replace(b"\n", b"\r\n")

# Bodies that test the byte-exact path: leading dots, bare line ends, and SMTP smuggling.
DOTS = b"Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nlast line\r\n."
DOTS_CONTENT = b"Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nlast line\r\n.\r\n"
BARE = b"Subject: bare\r\n\r\ncr\rlf\ncrlf\r\nlflf\n\ncrcr\r\rend\r"
BARE_CONTENT = b"Subject: bare\r\n\r\ncr\r\nlf\r\ncrlf\r\nlflf\r\n\r\ncrcr\r\n\r\nend\r\n"
SMUGGLE = (b"Subject: smuggling\r\n\r\nhello\n.\nMAIL FROM:<evil@x>\nRCPT TO:<victim@example.com>\nDATA\n"
           b"\nevil\n.\r\nMAIL FROM:<evil2@x>\r\n\r.\rQUIT\r\n")
SMUGGLE_CONTENT = (b"Subject: smuggling\r\n\r\nhello\r\n.\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<victim@example.com>\r\n"
                   b"DATA\r\n\r\nevil\r\n.\r\nMAIL FROM:<evil2@x>\r\n\r\n.\r\nQUIT\r\n")


def no_bare_line_ends(data):
    """True when every CR in ``data`` is followed by LF and every LF preceded by CR."""
    return data.count(b"\r") == data.count(b"\n") == data.count(b"\r\n")


class Environment(unittest.TestCase):
    """In CI nothing may be skipped for want of a tool: a missing install step must fail."""

    def test_ci_has_every_end_to_end_tool(self):
        if not os.environ.get("CI"):
            self.skipTest("only enforced in CI (CI=true)")
        self.assertTrue(smtpservers.HAVE_AIOSMTPD, smtpservers.AIOSMTPD_MISSING)
        self.assertTrue(HAVE_SMTP_SEND, "%s is not built" % SMTP_SEND)
        self.assertEqual(subprocess.call(["openssl", "version"], stdout=subprocess.DEVNULL), 0)


class E2E(unittest.TestCase):
    """Helpers: run the Python client and the C client against a server."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def write(self, data, name="message.eml"):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def py(self, srv, recipients, message=MESSAGE, **kw):
        kw.setdefault("timeout", 10)
        return smtpreply.send_message(srv.host, srv.port, SENDER, recipients, message, **kw)

    def c(self, srv, recipients, message=MESSAGE, args=(), json_output=True, timeout=20):
        """Runs smtp-send; returns (exit code, the JSON object or the text, stderr)."""
        if not HAVE_SMTP_SEND:
            self.skipTest("c-examples/build/smtp-send is not built (make -C c-examples)")
        cmd = [SMTP_SEND, "--server", "%s:%d" % (srv.host, srv.port), "--from", SENDER]
        for r in recipients:
            cmd += ["--to", r]
        cmd += list(args)
        if json_output:
            cmd.append("--json")
        cmd.append(self.write(message))
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        if json_output:
            try:
                out = json.loads(out)
            except ValueError:
                self.fail("smtp-send printed no JSON (exit %d): %r / %r" % (p.returncode, out, p.stderr))
            self.check_json_shape(out)
        return p.returncode, out, p.stderr.decode("utf-8", "replace")

    def check_json_shape(self, j):
        self.assertEqual(set(j), {"recipients", "message", "error", "transcript"})
        for r in j["recipients"]:
            self.assertEqual(set(r), {"address", "status", "code", "enhanced", "reason"})
            self.assertIn(r["status"], ("accepted", "rejected", "deferred"))
        self.assertEqual(set(j["message"]), {"accepted", "code", "queue_id"})
        self.assertTrue(j["transcript"], "the transcript is present")
        for e in j["transcript"]:
            self.assertIn(e["from"], ("client", "server", "info"))
            if e["from"] == "server":
                self.assertTrue(e["meaning"], e)
                self.assertIn("reason", e)
                self.assertIn("bounce", e)

    def status(self, j):
        return [(r["address"], r["status"], r["code"], r["enhanced"], r["reason"]) for r in j["recipients"]]

    def commands(self, srv):
        return [c for conn in srv.connections for c in conn.commands]


@needs_aiosmtpd
class Delivery(E2E):
    def test_all_accepted_python(self):
        with SMTPServer() as srv:
            r = self.py(srv, ["bob@example.com", "carol@example.com"])
            msgs = srv.messages
        self.assertIsNone(r.error)
        self.assertTrue(r.all_accepted)
        self.assertEqual(r.queue_id, "TESTQ0001")
        self.assertEqual(r.code, 250)
        self.assertEqual(r.classification.reason, "success")
        self.assertEqual([(x.status, x.code, x.enhanced) for x in r.recipients], [("accepted", 250, (2, 0, 0))] * 2)
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0].mail_from, SENDER)
        self.assertEqual(msgs[0].rcpt_tos, ["bob@example.com", "carol@example.com"])
        self.assertEqual(msgs[0].content, CANONICAL)
        self.assertEqual(msgs[0].via, "DATA")
        self.assertEqual(msgs[0].mail_options, ["SIZE=%d" % len(CANONICAL)])

    def test_all_accepted_c(self):
        with SMTPServer() as srv:
            rc, j, err = self.c(srv, ["bob@example.com", "carol@example.com"])
            msgs = srv.messages
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.status(j), [("bob@example.com", "accepted", 250, "2.0.0", "success"),
                                          ("carol@example.com", "accepted", 250, "2.0.0", "success")])
        self.assertEqual(j["message"], {"accepted": True, "code": 250, "queue_id": "TESTQ0001"})
        self.assertIsNone(j["error"])
        froms = [e["from"] for e in j["transcript"]]
        self.assertIn("client", froms)
        self.assertIn("server", froms)
        self.assertEqual(j["transcript"][0]["command"], "GREETING")
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0].content, CANONICAL)

    def test_all_accepted_c_text(self):
        with SMTPServer() as srv:
            rc, text, err = self.c(srv, ["bob@example.com"], json_output=False)
        self.assertEqual(rc, 0, err)
        self.assertIn("C: MAIL FROM:<alice@example.org>", text)
        self.assertIn("-> 250 to RCPT: Recipient accepted", text)
        self.assertIn("message    accepted, queued as TESTQ0001", text)

    def test_mixed_recipients(self):
        rcpts = ["bob@example.com", "nobody@example.com", "carol@example.com"]
        with SMTPServer(Policy(refuse_prefix="nobody")) as srv:
            r = self.py(srv, rcpts)
            rc, j, err = self.c(srv, rcpts)
            rc_text, text, err_text = self.c(srv, rcpts, json_output=False)
            msgs = srv.messages
        self.assertTrue(r.accepted)
        self.assertFalse(r.all_accepted)
        self.assertEqual([x.status for x in r.recipients], ["accepted", "rejected", "accepted"])
        nobody = r.recipients[1]
        self.assertEqual((nobody.code, nobody.enhanced, nobody.reason), (550, (5, 1, 1), "user_unknown"))
        self.assertEqual(nobody.classification.bounce, "hard")
        self.assertEqual(nobody.classification.action, "remove_recipient")
        self.assertIn(b"User unknown", nobody.reply)
        self.assertEqual(rc, 1, err)
        self.assertEqual(self.status(j)[1], ("nobody@example.com", "rejected", 550, "5.1.1", "user_unknown"))
        self.assertEqual([s[1] for s in self.status(j)], ["accepted", "rejected", "accepted"])
        self.assertTrue(j["message"]["accepted"])
        self.assertEqual(rc_text, 1, err_text)
        # The text output explains: the meaning of the code and the classifier's reason.
        self.assertIn("-> 550 to RCPT: Mailbox unavailable", text)
        self.assertIn("[user_unknown, hard bounce]", text)
        self.assertRegex(text, r"rejected\s+nobody@example.com\s+550 5\.1\.1\s+\(user_unknown\)")
        self.assertEqual([m.rcpt_tos for m in msgs], [["bob@example.com", "carol@example.com"]] * 3)

    def test_deferred_recipients(self):
        for reply in ("450 4.2.0 <{addr}>: Recipient address rejected: Greylisted, see http://postgrey.example/",
                      "451 4.7.1 <{addr}>: Please try again later"):
            with self.subTest(reply=reply[:3]):
                expected = smtpreply.classify(reply.format(addr="later@example.com").encode(), "RCPT")
                with SMTPServer(Policy(defer_prefix="later", defer_reply=reply)) as srv:
                    r = self.py(srv, ["bob@example.com", "later@example.com"])
                    rc, j, err = self.c(srv, ["bob@example.com", "later@example.com"])
                    rc_all, j_all, _ = self.c(srv, ["later@example.com"])
                later = r.recipients[1]
                self.assertEqual(later.status, "deferred")
                self.assertEqual(later.code, int(reply[:3]))
                self.assertEqual(later.reason, expected.reason)
                self.assertTrue(later.classification.retry)
                self.assertEqual(later.classification.bounce, "soft")
                self.assertEqual(rc, 1, err)
                self.assertEqual(self.status(j)[1], ("later@example.com", "deferred", int(reply[:3]),
                                                     reply[4:9], expected.reason))
                self.assertEqual(rc_all, 2)
                self.assertEqual(self.status(j_all)[0][1], "deferred")
                self.assertFalse(j_all["message"]["accepted"])

    def test_data_refused_after_the_body(self):
        with SMTPServer(Policy(data_reply="554 5.6.0 Message content rejected")) as srv:
            r = self.py(srv, ["bob@example.com"])
            rc, j, err = self.c(srv, ["bob@example.com"])
        self.assertFalse(r.accepted)
        self.assertEqual(r.code, 554)
        self.assertEqual(r.recipients[0].status, "rejected")
        self.assertEqual(r.recipients[0].code, 554)
        self.assertEqual(r.recipients[0].enhanced, (5, 6, 0))
        self.assertEqual(r.close_reason, "quit")
        self.assertEqual(rc, 2, err)
        self.assertEqual(j["message"], {"accepted": False, "code": 554, "queue_id": None})
        self.assertEqual(self.status(j)[0][:4], ("bob@example.com", "rejected", 554, "5.6.0"))

    def test_data_command_refused(self):
        with SMTPServer(data_command_reply="554 5.7.1 Delivery not authorized, message refused") as srv:
            r = self.py(srv, ["bob@example.com"])
            rc, j, err = self.c(srv, ["bob@example.com"])
            msgs = srv.messages
        self.assertFalse(r.accepted)
        self.assertEqual(r.code, 554)
        self.assertEqual(r.recipients[0].status, "rejected")
        self.assertEqual(rc, 2, err)
        self.assertEqual(self.status(j)[0][1:3], ("rejected", 554))
        self.assertEqual(msgs, [])

    def test_421_mid_transaction(self):
        for pipelining in (False, True):
            with self.subTest(pipelining=pipelining):
                with SMTPServer(close_on_rcpt=2, pipelining=pipelining) as srv:
                    r = self.py(srv, ["bob@example.com", "carol@example.com"])
                    rc, j, err = self.c(srv, ["bob@example.com", "carol@example.com"])
                    msgs = srv.messages
                self.assertFalse(r.accepted)
                self.assertEqual([x.status for x in r.recipients], ["deferred", "deferred"])
                self.assertEqual(r.code, 421)
                self.assertTrue(r.classification.retry)
                self.assertEqual(r.close_reason, "service_closing")
                self.assertEqual(r.error, "session closed: service_closing")
                self.assertEqual(rc, 2, err)
                self.assertEqual([s[1] for s in self.status(j)], ["deferred", "deferred"])
                self.assertIn("service_closing", j["error"])
                self.assertEqual(msgs, [])

    def test_many_recipients_pipelined(self):
        rcpts = ["user%02d@example.com" % i for i in range(40)] + ["nobody%d@example.com" % i for i in range(5)]
        with SMTPServer(Policy(refuse_prefix="nobody"), pipelining=True) as srv:
            r = self.py(srv, rcpts)
            rc, j, err = self.c(srv, rcpts)
            msgs = srv.messages
        self.assertEqual([x.status for x in r.recipients], ["accepted"] * 40 + ["rejected"] * 5)
        self.assertEqual(rc, 1, err)
        self.assertEqual([s[1] for s in self.status(j)], ["accepted"] * 40 + ["rejected"] * 5)
        self.assertEqual(msgs[0].rcpt_tos, rcpts[:40])


@needs_aiosmtpd
class Authentication(E2E):
    def test_good_credentials(self):
        with SMTPServer(auth=True) as srv:
            r = self.py(srv, ["bob@example.com"], user=GOOD_USER, password=GOOD_PASSWORD, allow_insecure_auth=True)
            r_login = self.py(srv, ["bob@example.com"], user=GOOD_USER, password=GOOD_PASSWORD,
                              allow_insecure_auth=True, mechanism="login")
            rc, j, err = self.c(srv, ["bob@example.com"], args=["--user", GOOD_USER, "--password", GOOD_PASSWORD])
            auth = list(srv.recorder.auth)
            msgs = srv.messages
        self.assertTrue(r.all_accepted, r)
        self.assertEqual(r.authenticated, "PLAIN")
        self.assertTrue(r_login.all_accepted, r_login)
        self.assertEqual(r_login.authenticated, "LOGIN")
        self.assertEqual(rc, 0, err)
        self.assertEqual([(m, ok) for m, _, ok in auth], [("PLAIN", True), ("LOGIN", True), ("PLAIN", True)])
        self.assertEqual(len(msgs), 3)
        # Credentials never appear in the transcripts.
        secret = smtpservers.b64("\0%s\0%s" % (GOOD_USER, GOOD_PASSWORD)).encode()
        self.assertNotIn(secret, b"".join(d for _, d in r.transcript))
        self.assertNotIn(secret.decode(), json.dumps(j))
        self.assertIn("warning: credentials go over an unencrypted connection", [e["text"] for e in j["transcript"]])

    def test_wrong_password(self):
        with SMTPServer(auth=True) as srv:
            r = self.py(srv, ["bob@example.com"], user=GOOD_USER, password="wrong", allow_insecure_auth=True)
            rc, j, err = self.c(srv, ["bob@example.com"], args=["--user", GOOD_USER, "--password", "wrong"])
            msgs = srv.messages
        self.assertFalse(r.accepted)
        self.assertTrue(r.error.startswith("authentication failed: 535"), r.error)
        self.assertIsNone(r.authenticated)
        self.assertEqual(r.recipients[0].status, "deferred")
        self.assertEqual(rc, 2, err)
        self.assertEqual(j["error"], "authentication failed")
        self.assertFalse(j["message"]["accepted"])
        auth_replies = [e for e in j["transcript"] if e.get("command") == "AUTH"]
        self.assertEqual(auth_replies[-1]["code"], 535)
        self.assertEqual(auth_replies[-1]["reason"], "auth_required")
        self.assertEqual(msgs, [])

    def test_no_credentials_for_a_server_that_requires_them(self):
        with SMTPServer(auth=True) as srv:
            r = self.py(srv, ["bob@example.com"])
            rc, j, err = self.c(srv, ["bob@example.com"])
        self.assertFalse(r.accepted)
        self.assertEqual(r.code, 530)
        self.assertEqual(r.classification.reason, "auth_required")
        self.assertEqual(r.recipients[0].status, "rejected")
        self.assertEqual(rc, 2, err)
        self.assertEqual(self.status(j)[0][1:3], ("rejected", 530))
        self.assertEqual(self.status(j)[0][4], "auth_required")


@needs_aiosmtpd
class Pipelining(E2E):
    def test_pipelined_when_advertised(self):
        with SMTPServer(pipelining=True) as srv:
            r = self.py(srv, ["bob@example.com", "carol@example.com"])
            rc, j, err = self.c(srv, ["bob@example.com", "carol@example.com"])
            conns = srv.connections
        self.assertTrue(r.all_accepted)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(conns), 2)
        for conn in conns:
            self.assertIn(b"250-PIPELINING", conn.replies)
            mail = conn.replies_before(b"MAIL FROM:")
            self.assertIsNotNone(mail)
            # MAIL, both RCPTs and DATA were all read before the server answered MAIL.
            self.assertEqual(conn.replies_before(b"RCPT TO:<carol@example.com>\r\n"), mail)
            self.assertEqual(conn.replies_before(b"DATA\r\n"), mail)
            self.assertRegex(conn.received, rb"MAIL FROM:<alice@example.org> SIZE=\d+\r\nRCPT TO:<bob@example.com>\r\n"
                                            rb"RCPT TO:<carol@example.com>\r\nDATA\r\n")

    def test_size_declares_the_size_with_crlf(self):
        # RFC 1870 §3: SIZE counts the octets sent after 354, CR-LF pairs included. MESSAGE has LF
        # line ends: each becomes CRLF on the wire.
        with SMTPServer(pipelining=True) as srv:
            self.assertTrue(self.py(srv, ["bob@example.com"]).all_accepted)
            rc, j, err = self.c(srv, ["bob@example.com"])
            self.assertEqual(rc, 0, err)
            msgs = srv.messages
        self.assertEqual(len(msgs), 2)
        self.assertEqual(msgs[0].mail_options, ["SIZE=%d" % len(CANONICAL)], "Python")
        self.assertEqual(msgs[1].mail_options, ["SIZE=%d" % len(CANONICAL)],
                         "smtp-send declares the file's size (%d), not the size on the wire (%d)"
                         % (len(MESSAGE), len(CANONICAL)))

    def test_lock_step_when_not_advertised(self):
        with SMTPServer(pipelining=False) as srv:
            r = self.py(srv, ["bob@example.com", "carol@example.com"])
            rc, j, err = self.c(srv, ["bob@example.com", "carol@example.com"])
            conns = srv.connections
        self.assertTrue(r.all_accepted)
        self.assertEqual(rc, 0, err)
        for conn in conns:
            self.assertNotIn(b"250-PIPELINING", conn.replies)
            mail = conn.replies_before(b"MAIL FROM:")
            rcpt1 = conn.replies_before(b"RCPT TO:<bob@example.com>")
            rcpt2 = conn.replies_before(b"RCPT TO:<carol@example.com>")
            data = conn.replies_before(b"DATA\r\n")
            self.assertTrue(mail < rcpt1 < rcpt2 < data, (mail, rcpt1, rcpt2, data))

    def test_python_can_turn_pipelining_off(self):
        with SMTPServer(pipelining=True) as srv:
            r = self.py(srv, ["bob@example.com"], pipelining=False)
            conn = srv.connections[0]
        self.assertTrue(r.all_accepted)
        self.assertLess(conn.replies_before(b"MAIL FROM:"), conn.replies_before(b"RCPT TO:"))


@needs_aiosmtpd
class Chunking(E2E):
    def check_bdat(self, srv, content):
        msgs = srv.messages
        self.assertEqual([m.via for m in msgs], ["BDAT"] * len(msgs))
        for m in msgs:
            self.assertEqual(m.content, content)
            self.assertEqual(m.raw, content, "BDAT carries the message as it is: no dot-stuffing")
        for conn in srv.connections:
            self.assertNotIn(b"DATA\r\n", conn.received)
            self.assertIn(b"BDAT", conn.received)

    def test_bdat_used_and_message_intact(self):
        # BDAT sends the message as it is (line ends made CRLF): no dot-stuffing. An unfinished last
        # line is closed, as DATA closes it, so the server stores the same message either way.
        for pipelining in (False, True):
            with self.subTest(pipelining=pipelining):
                with SMTPServer(chunking=True, pipelining=pipelining) as srv:
                    r = self.py(srv, ["bob@example.com"], message=DOTS)
                    rc, j, err = self.c(srv, ["bob@example.com"], message=DOTS)
                    self.check_bdat(srv, DOTS_CONTENT)
                self.assertTrue(r.all_accepted, r)
                self.assertIn(("client", b"BDAT %d\r\n" % len(DOTS)), r.transcript)
                self.assertEqual(rc, 0, err)
                self.assertTrue(j["message"]["accepted"])

    def test_bare_line_ends_are_canonical_in_bdat(self):
        with SMTPServer(chunking=True, pipelining=True) as srv:
            self.assertTrue(self.py(srv, ["bob@example.com"], message=BARE).all_accepted)
            rc, j, err = self.c(srv, ["bob@example.com"], message=BARE)
            self.assertEqual(rc, 0, err)
            self.check_bdat(srv, BARE_CONTENT)
            for conn in srv.connections:
                self.assertTrue(no_bare_line_ends(conn.received))

    def test_c_transcript_shows_the_bdat_commands(self):
        # The transcript should show each BDAT command line, with only the chunk summarised.
        for pipelining in (False, True):
            with self.subTest(pipelining=pipelining):
                with SMTPServer(chunking=True, pipelining=pipelining) as srv:
                    rc, j, err = self.c(srv, ["bob@example.com"])
                self.assertEqual(rc, 0, err)
                client = [e["text"] for e in j["transcript"] if e["from"] == "client"]
                self.assertIn("BDAT %d" % len(CANONICAL), client)
                self.assertIn("[%d bytes of message data]" % len(CANONICAL), client)

    def test_large_message_python(self):
        big = b"Subject: big\n\n" + b"".join(b"line %06d %s\n" % (i, b"x" * 60) for i in range(3000))
        with SMTPServer(chunking=True) as srv:
            r = self.py(srv, ["bob@example.com"], message=big)
            msgs = srv.messages
        self.assertTrue(r.all_accepted, r)
        self.assertEqual(msgs[0].content, big.replace(b"\n", b"\r\n"))

    def test_large_message_c_with_chunking_without_pipelining(self):
        # smtp-send feeds the body in 64 KiB pieces; without PIPELINING the BDAT chunks after the
        # first wait in the session's queue, and smtp-send must keep reading replies meanwhile.
        big = b"Subject: big\n\n" + b"".join(b"line %06d %s\n" % (i, b"x" * 60) for i in range(3000))
        with SMTPServer(chunking=True) as srv:
            try:
                rc, j, err = self.c(srv, ["bob@example.com"], message=big, timeout=5)
            except subprocess.TimeoutExpired:
                self.fail("smtp-send hung: a message over 64 KiB to a server with CHUNKING but without "
                          "PIPELINING never completes (commands the server saw: %r)" % (self.commands(srv),))
            msgs = srv.messages
        self.assertEqual(rc, 0, err)
        self.assertEqual(msgs[0].content, big.replace(b"\n", b"\r\n"))

    def test_large_message_c_with_chunking_and_pipelining(self):
        big = b"Subject: big\n\n" + b"".join(b"line %06d %s\n" % (i, b"x" * 60) for i in range(3000))
        with SMTPServer(chunking=True, pipelining=True) as srv:
            rc, j, err = self.c(srv, ["bob@example.com"], message=big)
            msgs = srv.messages
        self.assertEqual(rc, 0, err)
        self.assertEqual(msgs[0].content, big.replace(b"\n", b"\r\n"))


@needs_aiosmtpd
class StartTLS(E2E):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = Certificate()

    @classmethod
    def tearDownClass(cls):
        cls.cert.cleanup()
        super().tearDownClass()

    def server(self, **kw):
        return SMTPServer(tls_context=self.cert.server_context(), **kw)

    def test_delivered_over_tls(self):
        with self.server() as srv:
            r = self.py(srv, ["bob@example.com"], starttls=True, ssl_context=self.cert.client_context())
            rc, j, err = self.c(srv, ["bob@example.com"], args=["--starttls", "--cafile", self.cert.cert])
            msgs = srv.messages
            conns = srv.connections
        self.assertTrue(r.all_accepted, r)
        self.assertTrue(r.tls)
        self.assertIn(("info", b"TLS established"), r.transcript)
        self.assertEqual(rc, 0, err)
        self.assertIn("TLS established", [e["text"] for e in j["transcript"]])
        self.assertEqual([m.content for m in msgs], [CANONICAL, CANONICAL])
        for conn in conns:
            self.assertEqual(conn.commands.count("EHLO"), 2, "EHLO again after STARTTLS")
            self.assertIn(b"250-STARTTLS", conn.replies)
        # Python's transcript: STARTTLS, then EHLO again.
        client = [d for k, d in r.transcript if k == "client"]
        self.assertEqual(client[:3], [b"EHLO localhost\r\n", b"STARTTLS\r\n", b"EHLO localhost\r\n"])

    def test_untrusted_certificate(self):
        with self.server() as srv:
            r = self.py(srv, ["bob@example.com"], starttls=True)  # the system's CAs only
            rc, j, err = self.c(srv, ["bob@example.com"], args=["--starttls"])
            rc_text, text, err_text = self.c(srv, ["bob@example.com"], args=["--starttls"], json_output=False)
            msgs = srv.messages
        self.assertFalse(r.accepted)
        self.assertFalse(r.tls)
        self.assertTrue(r.error.startswith("TLS certificate not trusted"), r.error)
        self.assertIn("self-signed", r.error)
        self.assertEqual(r.close_reason, "tls_failed")
        self.assertEqual(rc, 2)
        self.assertTrue(j["error"].startswith("TLS certificate not trusted"), j["error"])
        self.assertIn("self-signed", j["error"])
        self.assertFalse(j["message"]["accepted"])
        self.assertEqual(rc_text, 2)
        self.assertIn("smtp-send: TLS certificate not trusted", err_text)
        self.assertEqual(msgs, [])

    def test_clear_text_client_is_refused(self):
        with self.server() as srv:
            r = self.py(srv, ["bob@example.com"])
            rc, j, err = self.c(srv, ["bob@example.com"])
        self.assertFalse(r.accepted)
        self.assertEqual(r.code, 530)
        self.assertEqual(rc, 2, err)

    def test_auth_over_tls(self):
        with self.server(authenticator=smtpservers.authenticator_for(smtpservers.Recorder()), auth_required=True) as srv:
            r = self.py(srv, ["bob@example.com"], starttls=True, ssl_context=self.cert.client_context(),
                        user=GOOD_USER, password=GOOD_PASSWORD)  # no allow_insecure_auth needed
            rc, j, err = self.c(srv, ["bob@example.com"], args=["--starttls", "--cafile", self.cert.cert, "--user",
                                                                GOOD_USER, "--password", GOOD_PASSWORD])
        self.assertTrue(r.all_accepted, r)
        self.assertEqual(r.authenticated, "PLAIN")
        self.assertEqual(rc, 0, err)


@needs_aiosmtpd
class WireBytes(E2E):
    """What the server received, byte for byte."""

    def deliver_both(self, body, **server):
        with SMTPServer(**server) as srv:
            r = self.py(srv, ["bob@example.com"], message=body)
            rc, j, err = self.c(srv, ["bob@example.com"], message=body)
            msgs = srv.messages
            conns = srv.connections
        self.assertTrue(r.all_accepted, r)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(msgs), 2, "one message per client, no more")
        return msgs, conns

    def test_leading_dots_survive(self):
        msgs, _ = self.deliver_both(DOTS)
        for m in msgs:
            self.assertEqual(m.content, DOTS_CONTENT)
            self.assertEqual(m.raw, b"Subject: dots\r\n\r\n..hidden\r\n...two\r\n..\r\nlast line\r\n..\r\n.\r\n")

    def test_bare_cr_and_lf_become_crlf(self):
        msgs, conns = self.deliver_both(BARE)
        for m in msgs:
            self.assertEqual(m.content, BARE_CONTENT)
            self.assertTrue(no_bare_line_ends(m.raw), m.raw)
        for conn in conns:
            self.assertTrue(no_bare_line_ends(conn.received))

    def test_smtp_smuggling_body_stays_message_text(self):
        for server in (dict(), dict(pipelining=True), dict(chunking=True)):
            with self.subTest(**server):
                msgs, conns = self.deliver_both(SMUGGLE, **server)
                for m in msgs:
                    self.assertEqual(m.content, SMUGGLE_CONTENT)
                    self.assertEqual(m.mail_from, SENDER)
                    self.assertEqual(m.rcpt_tos, ["bob@example.com"])
                    self.assertTrue(no_bare_line_ends(m.raw))
                    if m.via == "DATA":
                        # The only line that is a lone "." is the last one.
                        self.assertEqual(m.raw.count(b"\r\n.\r\n"), 1)
                        self.assertTrue(m.raw.endswith(b"\r\n.\r\n"))
                for conn in conns:
                    self.assertTrue(no_bare_line_ends(conn.received))
                    self.assertEqual(conn.commands.count("MAIL"), 1, conn.commands)
                    self.assertNotIn("QUIT", conn.commands[:-1])

    def test_empty_and_unterminated_bodies(self):
        for body, content in ((b"", b""), (b"no newline at the end", b"no newline at the end\r\n")):
            with self.subTest(body=body):
                with SMTPServer() as srv:
                    r = self.py(srv, ["bob@example.com"], message=body)
                    rc, j, err = self.c(srv, ["bob@example.com"], message=body)
                    msgs = srv.messages
                self.assertTrue(r.all_accepted, r)
                self.assertEqual(rc, 0, err)
                self.assertEqual([m.content for m in msgs], [content, content])

    def test_smtputf8_addresses(self):
        rcpts = ["zo\u00eb@example.com", "\u7528\u6237@\u4f8b\u5b50.example"]
        with SMTPServer(enable_SMTPUTF8=True) as srv:
            r_utf8_sender = smtpreply.send_message(srv.host, srv.port, "j\u00fcrgen@example.de", rcpts, MESSAGE,
                                                   timeout=10)
            r = self.py(srv, rcpts)  # an ASCII sender: the recipients alone ask for SMTPUTF8
            msgs = srv.messages
            conns = srv.connections
        self.assertTrue(r_utf8_sender.all_accepted, r_utf8_sender)
        self.assertTrue(r.all_accepted, r)
        self.assertEqual([m.rcpt_tos for m in msgs], [rcpts, rcpts])
        self.assertEqual([m.mail_from for m in msgs], ["j\u00fcrgen@example.de", SENDER])
        for m in msgs:
            self.assertIn("SMTPUTF8", m.mail_options)
        self.assertIn("RCPT TO:<zo\u00eb@example.com>\r\n".encode(), conns[0].received)

    def test_smtputf8_addresses_c(self):
        # smtp-send with an ASCII --from and a non-ASCII --to: it must ask for SMTPUTF8 on MAIL
        # FROM (SMTPREPLY_MAIL_SMTPUTF8) when the server offers it, or the session refuses the
        # recipient.
        rcpts = ["zo\u00eb@example.com", "bob@example.com"]
        with SMTPServer(enable_SMTPUTF8=True) as srv:
            rc, j, err = self.c(srv, rcpts)
            msgs = srv.messages
        self.assertEqual(self.status(j)[0][:2], ("zo\u00eb@example.com", "accepted"), j["error"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(msgs[0].rcpt_tos, rcpts)

    def test_non_ascii_address_without_smtputf8(self):
        with SMTPServer() as srv:
            r = smtpreply.send_message(srv.host, srv.port, SENDER, ["zo\u00eb@example.com", "bob@example.com"],
                                       MESSAGE, timeout=10)
            msgs = srv.messages
        self.assertEqual(r.recipients[0].status, "rejected")
        self.assertIn("SMTPUTF8", r.recipients[0].error)
        self.assertEqual(r.recipients[1].status, "accepted")
        self.assertEqual(msgs[0].rcpt_tos, ["bob@example.com"])

    def test_eight_bit_body_passes_unchanged(self):
        body = "Subject: caf\u00e9\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nna\u00efve \u2713\r\n".encode()
        msgs, _ = self.deliver_both(body)
        for m in msgs:
            self.assertEqual(m.content, body)


class SmtpSendScripted(E2E):
    """smtp-send against the raw scripted server (no aiosmtpd needed): exact bytes both ways."""

    EHLO = b"250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n"

    def run_script(self, script, recipients=("bob@example.com", "nobody@example.com")):
        with smtpservers.ScriptedServer(script) as srv:
            rc, j, err = self.c(srv, list(recipients))
            srv.join()
        self.assertIsNone(srv.failure)
        return rc, j, srv.received

    def test_replies_split_at_every_byte(self):
        wire = MESSAGE.replace(b"\n", b"\r\n") + b".\r\n"
        rc, j, received = self.run_script([
            ("send_bytewise", b"220-mx.example.com ESMTP\r\n220 Ready\r\n"),
            ("expect", b"EHLO localhost\r\n"),
            ("send_bytewise", self.EHLO),
            ("expect", b"DATA\r\n"),
            ("send_bytewise", b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.com>: User unknown\r\n"
                              b"354 go\r\n"),
            ("expect", wire),
            ("send_bytewise", b"250 2.0.0 Ok: queued as 5A6B7C\r\n"),
            ("expect", b"QUIT\r\n"),
            ("send", b"221 Bye\r\n"),
        ])
        self.assertEqual(rc, 1)
        self.assertEqual(self.status(j), [("bob@example.com", "accepted", 250, "2.0.0", "success"),
                                          ("nobody@example.com", "rejected", 550, "5.1.1", "user_unknown")])
        self.assertEqual(j["message"], {"accepted": True, "code": 250, "queue_id": "5A6B7C"})
        self.assertTrue(received.endswith(wire + b"QUIT\r\n"))
        self.assertTrue(no_bare_line_ends(received))

    def test_421_in_the_same_packet_as_354(self):
        rc, j, received = self.run_script([
            ("send", b"220 mx ESMTP\r\n"),
            ("expect", b"EHLO"),
            ("send", self.EHLO),
            ("expect", b"DATA\r\n"),
            ("send", b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n421 4.3.2 Shutting down\r\n"),
            ("close",),
        ])
        self.assertEqual(rc, 2)
        self.assertEqual([r["status"] for r in j["recipients"]], ["deferred", "deferred"])
        self.assertIn("service_closing", j["error"])

    def test_greeting_421(self):
        rc, j, received = self.run_script([("send", b"421 4.3.2 mx.example.com Service not available\r\n"),
                                           ("close",)])
        self.assertEqual(rc, 2)
        self.assertEqual(received, b"")
        self.assertEqual([r["status"] for r in j["recipients"]], ["deferred", "deferred"])
        self.assertEqual(j["error"], "session closed: service_closing")

    def test_connection_dropped_after_mail(self):
        rc, j, received = self.run_script([
            ("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("send", self.EHLO), ("expect", b"DATA\r\n"),
            ("send", b"250 2.1.0 Ok\r\n"), ("close",)])
        self.assertEqual(rc, 2)
        self.assertEqual([r["status"] for r in j["recipients"]], ["deferred", "deferred"])
        self.assertEqual([r["reason"] for r in j["recipients"]], ["network_error", "network_error"])
        self.assertEqual(j["error"], "session closed: connection_lost")


class SmtpSendUsage(unittest.TestCase):
    """smtp-send's usage errors (exit 64); no server needed."""

    def run_send(self, *args):
        if not HAVE_SMTP_SEND:
            self.skipTest("c-examples/build/smtp-send is not built (make -C c-examples)")
        p = subprocess.run([SMTP_SEND] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
        return p.returncode, p.stderr.decode("utf-8", "replace")

    def test_usage_errors(self):
        with tempfile.NamedTemporaryFile() as f:
            cases = [
                (["--server", "127.0.0.1:25", "--from", "a@example.org", f.name], "--to"),
                (["--server", "localhost", "--from", "a@example.org", "--to", "b@example.com", f.name], "HOST:PORT"),
                (["--server", ":25", "--from", "a@example.org", "--to", "b@example.com", f.name], "HOST:PORT"),
                (["--server", "127.0.0.1:", "--from", "a@example.org", "--to", "b@example.com", f.name], "HOST:PORT"),
                (["--from", "a@example.org", "--to", "b@example.com", f.name], "--server"),
                (["--server", "127.0.0.1:25", "--to", "b@example.com", f.name], "--from"),
                (["--server", "127.0.0.1:25", "--from", "a@example.org", "--to", "b@example.com"], "FILE"),
                (["--server", "127.0.0.1:25", "--from", "a@example.org", "--to", "b@example.com", "--user", "u",
                  f.name], "--password"),
                (["--server", "127.0.0.1:25", "--from", "a@example.org", "--to", "b@example.com", "--bogus", f.name],
                 "unknown option"),
                (["--server", "127.0.0.1:25", "--from", "a@example.org", "--to", "b@example.com",
                  "/nonexistent/message.eml"], "cannot open"),
                (["--server"], "missing value"),
            ]
            for args, says in cases:
                with self.subTest(args=args):
                    rc, err = self.run_send(*args)
                    self.assertEqual(rc, 64, err)
                    self.assertIn(says, err)

    def test_unreadable_file(self):
        if os.geteuid() == 0:
            # root reads any file: a directory stands for an unreadable one.
            path = tempfile.mkdtemp()
            try:
                rc, err = self.run_send("--server", "127.0.0.1:25", "--from", "a@example.org", "--to",
                                        "b@example.com", path)
            finally:
                os.rmdir(path)
        else:
            with tempfile.NamedTemporaryFile() as f:
                os.chmod(f.name, 0)
                rc, err = self.run_send("--server", "127.0.0.1:25", "--from", "a@example.org", "--to",
                                        "b@example.com", f.name)
        self.assertEqual(rc, 64, err)
        self.assertIn("smtp-send: cannot", err)

    def test_help(self):
        if not HAVE_SMTP_SEND:
            self.skipTest("c-examples/build/smtp-send is not built (make -C c-examples)")
        p = subprocess.run([SMTP_SEND, "--help"], stdout=subprocess.PIPE, timeout=10)
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"usage: smtp-send", p.stdout)


@needs_aiosmtpd
class Example(E2E):
    """python/examples/send_mail.py."""

    def run_example(self, srv, *args, message=MESSAGE):
        cmd = [sys.executable, SEND_MAIL]
        if srv is not None:
            cmd += ["--server", "%s:%d" % (srv.host, srv.port)]
        cmd += list(args) + [self.write(message, "example.eml")]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        return p.returncode, p.stdout.decode(), p.stderr.decode()

    def test_outcome_with_reasons(self):
        with SMTPServer(Policy(refuse_prefix="nobody", defer_prefix="later"), pipelining=True) as srv:
            rc, out, err = self.run_example(srv, "--from", SENDER, "--to", "bob@example.com", "--to",
                                            "nobody@example.com", "--to", "later@example.com", "--transcript")
        self.assertEqual(rc, 1, err)
        self.assertRegex(out, r"accepted\s+bob@example\.com\s+250 2\.0\.0")
        self.assertRegex(out, r"rejected\s+nobody@example\.com\s+550 5\.1\.1")
        self.assertIn("user_unknown (hard bounce): " + smtpreply.explain_reason("user_unknown"), out)
        self.assertRegex(out, r"deferred\s+later@example\.com\s+450 4\.2\.0")
        self.assertIn("greylisted (soft bounce, retry later)", out)
        self.assertIn("message   accepted, queued as TESTQ0001", out)
        self.assertIn("C: MAIL FROM:<alice@example.org>", out)
        self.assertIn("S: 354 End data", out)

    def test_exit_codes(self):
        with SMTPServer(Policy(refuse_prefix="nobody")) as srv:
            self.assertEqual(self.run_example(srv, "--from", SENDER, "--to", "bob@example.com")[0], 0)
            rc, out, _ = self.run_example(srv, "--from", SENDER, "--to", "nobody@example.com")
            self.assertEqual(rc, 2)
            self.assertIn("message   not delivered", out)
        rc, _, err = self.run_example(None, "--from", SENDER, "--to", "b@example.com")
        self.assertEqual(rc, 64)
        self.assertIn("--server", err)
        rc, _, err = self.run_example(None, "--server", "nocolon", "--from", SENDER, "--to", "b@example.com")
        self.assertEqual(rc, 64)
        self.assertIn("HOST:PORT", err)


if __name__ == "__main__":
    unittest.main()
