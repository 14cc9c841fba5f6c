"""Tests of smtpreply.Session (the sans-I/O SMTP client session) through ctypes.

Most tests feed the server's bytes directly and compare the exact bytes the session wants to send
and the events it gives (the Python mirror of tests/session.rs); the last group drives sessions
over real sockets against a raw scripted server on 127.0.0.1 (replies split at every byte, several
replies in one packet, 421, dropped connections, garbage).

    python3 -m unittest discover -s python/tests -t python -v
"""

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
for _p in (PYDIR, HERE):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import smtpreply  # noqa: E402
from smtpreply import (  # noqa: E402
    Classification,
    Error,
    Event,
    InvalidInput,
    LimitExceeded,
    NotSupported,
    OutOfRange,
    RecipientResult,
    Session,
    WrongState,
)
from smtpservers import ScriptedServer  # noqa: E402

CLIENT = "client.example.org"


def new(**kw):
    kw.setdefault("tls", "never")
    return Session(CLIENT, **kw)


def names(events):
    """Short names of events, as tests/session.rs writes them."""
    out = []
    for e in events:
        k = e.kind
        if k == "reply":
            out.append("reply %s %d%s" % (e.command, e.code, " unexpected" if e.unexpected else ""))
        elif k == "auth_challenge":
            out.append("challenge %s" % e.challenge.decode())
        elif k == "auth_succeeded":
            out.append("auth ok %s" % e.mechanism)
        elif k == "auth_failed":
            out.append("auth failed %d" % e.code)
        elif k == "recipient_accepted":
            out.append("rcpt %d accepted" % e.index)
        elif k == "recipient_rejected":
            out.append("rcpt %d rejected %d" % (e.index, e.code))
        elif k == "message_accepted":
            out.append("accepted %s" % (e.queue_id or ""))
        elif k == "message_rejected":
            out.append("rejected %s" % (e.code if e.code is not None else "-"))
        elif k == "closed":
            out.append("closed %s" % e.close_reason)
        else:
            out.append(k)
    return out


def ready(caps=(), **kw):
    """A session greeted and past EHLO with these capability lines."""
    s = new(**kw)
    s.receive(b"220 mx.example.com ESMTP\r\n")
    assert s.take_output() == b"EHLO client.example.org\r\n"
    if not caps:
        ehlo = b"250 mx.example.com\r\n"
    else:
        ehlo = b"250-mx.example.com\r\n" + b"".join(
            b"250%s%s\r\n" % (b" " if i + 1 == len(caps) else b"-", c.encode()) for i, c in enumerate(caps))
    s.receive(ehlo)
    evs = list(s.events())
    assert names(evs)[-1] == "ready", names(evs)
    return s


PIPELINED_REPLIES = (b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n"
                     b"450 4.2.0 Greylisted, try again in 5 minutes\r\n354 go ahead\r\n")
PIPELINED_EXPECTATION = [
    "reply MAIL 250", "reply RCPT 250", "rcpt 0 accepted", "reply RCPT 550", "rcpt 1 rejected 550",
    "reply RCPT 450", "rcpt 2 rejected 450", "reply DATA 354", "ready_for_body",
]


def pipelined_session():
    s = ready(["PIPELINING", "SIZE 1000000"])
    s.send_mail("alice@example.org")
    for i, r in enumerate(["bob@example.com", "carol@example.com", "dave@example.com"]):
        assert s.add_recipient(r) == i
    s.start_data()
    assert s.take_output() == (
        b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\n"
        b"RCPT TO:<dave@example.com>\r\nDATA\r\n")
    return s


# ------------------------------------------------------------------------------------------------
# The C structs as ctypes sees them
# ------------------------------------------------------------------------------------------------


class StructLayout(unittest.TestCase):
    """Every field of the session structs at the offset the C compiler gives it."""

    STRUCTS = {
        "smtpreply_session_config": smtpreply._SessionConfig,
        "smtpreply_event": smtpreply._Event,
        "smtpreply_recipient_result": smtpreply._RecipientResultC,
        "smtpreply_mail_options": smtpreply._MailOptions,
        "smtpreply_rcpt_options": smtpreply._RcptOptions,
        "smtpreply_body_stats": smtpreply._BodyStatsC,
    }

    def test_offsets_and_sizes_match_the_header(self):
        cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if cc is None:
            self.skipTest("no C compiler")
        lines = ["#include <stdio.h>", "#include <stddef.h>", "#include <smtpreply.h>", "int main(void) {"]
        for cname, py in self.STRUCTS.items():
            lines.append('printf("%s %%zu\\n", sizeof(%s));' % (cname, cname))
            for f, _ in py._fields_:
                lines.append('printf("%s.%s %%zu\\n", offsetof(%s, %s));' % (cname, f, cname, f))
        lines += ["return 0;", "}"]
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "layout.c")
            exe = os.path.join(d, "layout")
            with open(src, "w") as f:
                f.write("\n".join(lines))
            subprocess.run([cc, "-std=c99", "-Wall", "-Werror", "-I", os.path.join(REPO, "include"), src, "-o", exe],
                           check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out = subprocess.run([exe], check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
        c = dict(line.rsplit(" ", 1) for line in out.splitlines())
        for cname, py in self.STRUCTS.items():
            self.assertEqual(int(c[cname]), smtpreply.sizeof(py), cname)
            for f, _ in py._fields_:
                self.assertEqual(int(c["%s.%s" % (cname, f)]), getattr(py, f).offset, "%s.%s" % (cname, f))

    def test_name_tables(self):
        self.assertEqual(smtpreply.EVENT_KINDS[1], "reply")
        self.assertEqual(smtpreply.EVENT_KINDS[14], "closed")
        self.assertEqual(len(smtpreply.EVENT_KINDS), 14)
        self.assertEqual(smtpreply.CLOSE_REASONS, {
            1: "quit", 2: "service_closing", 3: "greeting_refused", 4: "hello_refused", 5: "connection_lost",
            6: "protocol_error", 7: "tls_unavailable", 8: "tls_failed"})
        self.assertEqual(smtpreply.RECIPIENT_STATUSES, {0: "pending", 1: "accepted", 2: "rejected", 3: "deferred"})

    def test_error_classes(self):
        for cls, code, name in ((WrongState, 11, "SMTPREPLY_WRONG_STATE"), (NotSupported, 12, "SMTPREPLY_NOT_SUPPORTED")):
            self.assertTrue(issubclass(cls, Error))
            self.assertIs(smtpreply._ERROR_CLASSES[code], cls)
            self.assertEqual(smtpreply._result_name_of(code), name)


# ------------------------------------------------------------------------------------------------
# Conversations fed byte for byte
# ------------------------------------------------------------------------------------------------


class Conversations(unittest.TestCase):
    def test_greeting_and_ehlo(self):
        s = new()
        self.assertFalse(s.is_ready)
        self.assertFalse(s.is_closed)
        self.assertEqual(s.timeout, 300.0)  # waiting for the greeting: 5 minutes
        self.assertIsNone(s.capabilities())
        self.assertEqual(s.output(), b"")
        s.receive(b"220 mx.example.com ESMTP Postfix\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply GREETING 220", "greeting"])
        self.assertEqual(evs[0].reply, b"220 mx.example.com ESMTP Postfix\r\n")
        self.assertEqual(evs[1].reply, evs[0].reply)
        self.assertEqual(evs[0].classification.reason, "success")
        self.assertFalse(evs[0].unexpected)
        self.assertEqual(s.take_output(), b"EHLO client.example.org\r\n")
        s.receive(b"250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply EHLO 250", "ready"])
        self.assertTrue(s.is_ready)
        self.assertIsNone(s.timeout)
        caps = s.capabilities()
        self.assertIsInstance(caps, smtpreply.Capabilities)
        self.assertEqual(caps.keywords, ["PIPELINING", "SIZE", "AUTH", "8BITMIME"])
        self.assertEqual(caps.size, 10240000)
        self.assertEqual(caps.auth, ["PLAIN", "LOGIN"])
        self.assertTrue(caps.has("pipelining"))
        self.assertEqual(caps.domain, "mx.example.com")
        self.assertIsNone(s.next_event())

    def test_one_message_without_pipelining(self):
        s = ready(["8BITMIME", "SIZE 1000000"])
        s.send_mail("alice@example.org", size=1234)
        self.assertEqual(s.add_recipient("bob@example.com"), 0)
        self.assertEqual(s.add_recipient("carol@example.com"), 1)
        s.start_data()
        self.assertEqual(s.take_output(), b"MAIL FROM:<alice@example.org> SIZE=1234\r\n")
        self.assertEqual(s.timeout, 300.0)
        s.receive(b"250 2.1.0 Ok\r\n")
        self.assertEqual(s.take_output(), b"RCPT TO:<bob@example.com>\r\n")
        s.receive(b"250 2.1.5 Ok\r\n")
        self.assertEqual(s.take_output(), b"RCPT TO:<carol@example.com>\r\n")
        s.receive(b"550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown\r\n")
        self.assertEqual(s.take_output(), b"DATA\r\n")
        self.assertEqual(s.timeout, 120.0)
        s.receive(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply MAIL 250", "reply RCPT 250", "rcpt 0 accepted", "reply RCPT 550",
                                      "rcpt 1 rejected 550", "reply DATA 354", "ready_for_body"])
        rej = evs[4]
        self.assertEqual(rej.address, "carol@example.com")
        self.assertEqual(rej.index, 1)
        self.assertEqual(rej.code, 550)
        self.assertEqual(rej.enhanced, (5, 1, 1))
        self.assertEqual(rej.reply, b"550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown\r\n")
        self.assertEqual(rej.classification.reason, "user_unknown")
        self.assertEqual(rej.classification.bounce, "hard")
        self.assertEqual(rej.classification.command, "RCPT")
        span = rej.classification.evidence_span
        self.assertIsNotNone(span)
        self.assertIn(b"nknown", rej.reply[span[0]:span[1]])  # spans index the reply bytes
        self.assertEqual(evs[2].address, "bob@example.com")
        self.assertIsNone(evs[2].code)
        s.send_body(b"Subject: hi\n\n.leading dot\nbare LF\rbare CR\r\n.")
        s.end_body()
        self.assertEqual(s.take_output(), b"Subject: hi\r\n\r\n..leading dot\r\nbare LF\r\nbare CR\r\n..\r\n.\r\n")
        self.assertEqual(s.timeout, 600.0)
        s.receive(b"250 2.0.0 Ok: queued as 4XyZ1234\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply DATA-END 250", "accepted 4XyZ1234"])
        acc = evs[1]
        self.assertEqual(acc.code, 250)
        self.assertEqual(acc.enhanced, (2, 0, 0))
        self.assertEqual([r.status for r in acc.recipients], ["accepted", "rejected"])
        self.assertEqual([r.address for r in acc.recipients], ["bob@example.com", "carol@example.com"])
        self.assertEqual([r.code for r in acc.recipients], [250, 550])
        self.assertEqual(acc.recipients[0].reply, b"250 2.0.0 Ok: queued as 4XyZ1234\r\n")
        self.assertEqual(acc.recipients[1].reason, "user_unknown")
        self.assertEqual(acc.recipients[1].enhanced, (5, 1, 1))
        self.assertIsInstance(acc.recipients[0], RecipientResult)
        self.assertIsNone(acc.recipients[0].error)
        self.assertTrue(s.is_ready)
        self.assertIsNone(s.timeout)
        s.quit()
        self.assertEqual(s.take_output(), b"QUIT\r\n")
        s.receive(b"221 2.0.0 Bye\r\n")
        self.assertEqual(names(s.events()), ["reply QUIT 221", "closed quit"])
        self.assertTrue(s.is_closed)

    def test_pipelined_replies_in_one_packet(self):
        s = pipelined_session()
        s.receive(PIPELINED_REPLIES)
        evs = list(s.events())
        self.assertEqual(names(evs), PIPELINED_EXPECTATION)
        self.assertEqual(evs[6].classification.reason, "greylisted")
        self.assertEqual(evs[6].classification.retry_after, 300)
        self.assertTrue(evs[6].classification.retry)

    def test_replies_split_at_every_byte(self):
        s = pipelined_session()
        for i in range(len(PIPELINED_REPLIES)):
            s.receive(PIPELINED_REPLIES[i:i + 1])
        self.assertEqual(names(s.events()), PIPELINED_EXPECTATION)
        for cut in range(len(PIPELINED_REPLIES)):
            s = pipelined_session()
            s.receive(PIPELINED_REPLIES[:cut])
            s.receive(PIPELINED_REPLIES[cut:])
            self.assertEqual(names(s.events()), PIPELINED_EXPECTATION, "cut at %d" % cut)

    def test_deferred_recipients_are_reported_as_deferred(self):
        s = pipelined_session()
        s.receive(PIPELINED_REPLIES)
        list(s.events())
        s.send_body(b"hello\r\n")
        s.end_body()
        s.receive(b"250 2.0.0 Ok: queued as ABC\r\n")
        evs = list(s.events())
        self.assertEqual(evs[1].kind, "message_accepted")
        self.assertEqual(evs[1].queue_id, "ABC")
        self.assertEqual([r.status for r in evs[1].recipients], ["accepted", "rejected", "deferred"])
        self.assertEqual(evs[1].recipients[2].classification.reason, "greylisted")

    def test_multiline_greeting_and_helo_fallback(self):
        s = new()
        s.receive(b"220-mx.example.com ESMTP\r\n220-No UCE\r\n220 ready\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply GREETING 220", "greeting"])
        self.assertEqual(evs[0].reply, b"220-mx.example.com ESMTP\r\n220-No UCE\r\n220 ready\r\n")
        self.assertEqual(s.take_output(), b"EHLO client.example.org\r\n")
        s.receive(b"502 5.5.1 Command not implemented\r\n")
        self.assertEqual(s.take_output(), b"HELO client.example.org\r\n")
        s.receive(b"250 mx.example.com\r\n")
        self.assertEqual(names(s.events()), ["reply EHLO 502", "reply HELO 250", "ready"])
        self.assertEqual(len(s.capabilities()), 0)

    def test_refused_greeting_quits(self):
        s = new()
        s.receive(b"554 5.7.1 No SMTP service here for you\r\n")
        self.assertEqual(s.take_output(), b"QUIT\r\n")
        s.receive(b"221 bye\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply GREETING 554", "reply QUIT 221", "closed greeting_refused"])
        self.assertEqual(evs[0].classification.reason, "policy_rejected")

    def test_service_closing_mid_transaction(self):
        s = pipelined_session()
        s.receive(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n421 4.3.2 Service shutting down\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply MAIL 250", "reply RCPT 250", "rcpt 0 accepted", "reply RCPT 421",
                                      "rejected 421", "closed service_closing"])
        self.assertTrue(evs[4].classification.retry)
        self.assertEqual([r.status for r in evs[4].recipients], ["deferred"] * 3)
        self.assertTrue(s.is_closed)
        with self.assertRaises(WrongState) as cm:
            s.send_mail("a@b.example")
        self.assertEqual(cm.exception.message, "send_mail is not possible now: the session is closed")
        self.assertEqual(cm.exception.code, 11)
        self.assertEqual(cm.exception.name, "SMTPREPLY_WRONG_STATE")

    def test_unsolicited_421_while_idle(self):
        s = ready()
        s.receive(b"421 4.4.2 mx.example.com Error: timeout exceeded\r\n")
        self.assertEqual(names(s.events()), ["reply UNKNOWN 421", "closed service_closing"])

    def test_connection_drop_mid_transaction(self):
        s = pipelined_session()
        s.receive(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n")
        s.receive_eof()
        evs = list(s.events())
        self.assertEqual(names(evs)[3:], ["rejected -", "closed connection_lost"])
        rej = evs[3]
        self.assertIsNone(rej.reply)
        self.assertIsNone(rej.code)
        self.assertEqual(rej.classification.reason, "network_error")
        self.assertTrue(rej.classification.retry)
        self.assertEqual(rej.recipients[0].status, "deferred")
        self.assertIsNone(s.timeout)

    def test_garbage_replies_end_the_session(self):
        for garbage in (b"HTTP/1.1 400 Bad Request\r\n", b"\x16\x03\x01\x00", b"250 OK\r\n250 extra\r\n",
                        b"\xff\xfe\x00garbage\r\n"):
            s = ready()
            s.noop()
            self.assertEqual(s.take_output(), b"NOOP\r\n")
            s.receive(garbage)
            evs = list(s.events())
            n = names(evs)
            self.assertIn("protocol_error", n, garbage)
            self.assertEqual(n[-1], "closed protocol_error")
            msg = [e.message for e in evs if e.kind == "protocol_error"][0]
            self.assertIsInstance(msg, str)
            self.assertTrue(msg)
            self.assertTrue(s.is_closed)

    def test_endless_reply_ends_the_session(self):
        s = ready()
        s.noop()
        chunk = b"250-x\r\n" * 1000
        for _ in range(50):
            s.receive(chunk)
            if s.is_closed:
                break
        self.assertTrue(s.is_closed)
        self.assertEqual(names(s.events())[-1], "closed protocol_error")

    def test_starttls_then_ehlo_again_with_capabilities_forgotten(self):
        s = new(tls="required")
        s.receive(b"220 mx ESMTP\r\n")
        s.take_output()
        s.receive(b"250-mx\r\n250-STARTTLS\r\n250 SIZE 10\r\n")
        self.assertEqual(s.take_output(), b"STARTTLS\r\n")
        s.receive(b"220 2.0.0 Ready to start TLS\r\n")
        self.assertEqual(names(s.events())[-2:], ["reply STARTTLS 220", "start_tls"])
        self.assertIsNone(s.timeout)
        with self.assertRaises(WrongState):
            s.send_mail("a@b.example")
        s.tls_established()
        self.assertIsNone(s.capabilities(), "old capabilities are forgotten")
        self.assertEqual(s.take_output(), b"EHLO client.example.org\r\n")
        s.receive(b"250-mx\r\n250 AUTH PLAIN\r\n")
        self.assertEqual(names(s.events()), ["reply EHLO 250", "ready"])
        self.assertTrue(s.capabilities().has("AUTH"))
        self.assertFalse(s.capabilities().has("STARTTLS"))
        with self.assertRaises(WrongState):
            s.tls_established()

    def test_clear_text_after_starttls_220_is_an_injection(self):
        s = new(tls="opportunistic")
        s.receive(b"220 mx ESMTP\r\n")
        s.receive(b"250-mx\r\n250 STARTTLS\r\n")
        s.take_output()
        s.receive(b"220 Ready to start TLS\r\n250 injected\r\n")
        evs = list(s.events())
        self.assertIn("protocol_error", names(evs))
        self.assertIn("injection", [e.message for e in evs if e.kind == "protocol_error"][0])
        self.assertTrue(s.is_closed)

    def test_required_tls_not_offered_fails_clearly(self):
        s = new(tls="required")
        s.receive(b"220 mx ESMTP\r\n")
        s.receive(b"250-mx\r\n250 SIZE 10\r\n")
        self.assertEqual(s.take_output(), b"EHLO client.example.org\r\nQUIT\r\n")
        s.receive(b"221 bye\r\n")
        self.assertEqual(names(s.events())[-1], "closed tls_unavailable")

    def test_opportunistic_tls_refused_goes_on_in_clear(self):
        s = new(tls="opportunistic")
        s.receive(b"220 mx ESMTP\r\n")
        s.receive(b"250-mx\r\n250 STARTTLS\r\n")
        s.receive(b"454 4.7.0 TLS not available due to local problem\r\n")
        self.assertEqual(names(s.events())[-1], "ready")

    def test_tls_failure_closes(self):
        s = new(tls="opportunistic")
        s.receive(b"220 mx ESMTP\r\n")
        s.receive(b"250-mx\r\n250 STARTTLS\r\n")
        s.receive(b"220 go\r\n")
        s.tls_failed()
        self.assertEqual(names(s.events())[-1], "closed tls_failed")
        with self.assertRaises(WrongState):
            s.tls_failed()

    def test_tls_active_never_starts_tls(self):
        s = new(tls="required", tls_active=True, allow_insecure_auth=False)
        s.receive(b"220 mx ESMTP\r\n")
        s.take_output()
        s.receive(b"250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
        self.assertEqual(names(s.events())[-1], "ready")
        s.authenticate("tim", "secret")  # encrypted already: no WrongState
        self.assertTrue(s.take_output().startswith(b"AUTH PLAIN "))

    def auth_session(self, mechs):
        return ready(["AUTH " + mechs], allow_insecure_auth=True)

    def test_auth_plain_login_xoauth2(self):
        s = self.auth_session("LOGIN PLAIN")
        s.authenticate("tim", "tanstaaftanstaaf")
        self.assertEqual(s.take_output(), b"AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n")
        s.receive(b"235 2.7.0 Authentication successful\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply AUTH 235", "auth ok PLAIN"])
        self.assertEqual(evs[1].mechanism, "PLAIN")
        with self.assertRaises(WrongState) as cm:
            s.authenticate("tim", "tanstaaftanstaaf")
        self.assertIn("already authenticated", cm.exception.message)

        s = self.auth_session("LOGIN")
        s.authenticate("tim", "tanstaaftanstaaf")
        self.assertEqual(s.take_output(), b"AUTH LOGIN\r\n")
        s.receive(b"334 VXNlcm5hbWU6\r\n")
        self.assertEqual(s.take_output(), b"dGlt\r\n")
        s.receive(b"334 UGFzc3dvcmQ6\r\n")
        self.assertEqual(s.take_output(), b"dGFuc3RhYWZ0YW5zdGFhZg==\r\n")
        s.receive(b"235 2.7.0 ok\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply AUTH 334", "challenge Username:", "reply AUTH 334", "challenge Password:",
                                      "reply AUTH 235", "auth ok LOGIN"])
        self.assertEqual(evs[1].challenge, b"Username:")

        s = self.auth_session("XOAUTH2 PLAIN")
        s.authenticate("tim", "tanstaaftanstaaf", mechanism="xoauth2")
        self.assertTrue(s.take_output().startswith(b"AUTH XOAUTH2 dXNlcj10aW0BYXV0aD1CZWFyZXIg"))
        s.receive(b"334 eyJzdGF0dXMiOiI0MDEifQ==\r\n")
        self.assertEqual(s.take_output(), b"\r\n")
        s.receive(b"535 5.7.8 Username and Password not accepted\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs), ["reply AUTH 334", 'challenge {"status":"401"}', "reply AUTH 535", "auth failed 535"])
        self.assertEqual(evs[3].classification.reason, "auth_required")
        self.assertEqual(evs[3].enhanced, (5, 7, 8))
        self.assertTrue(s.is_ready)

    def test_auth_misuse(self):
        s = self.auth_session("PLAIN")
        with self.assertRaises(NotSupported) as cm:
            s.authenticate("tim", "p", mechanism="login")
        self.assertEqual(cm.exception.message, "the server does not offer LOGIN")
        self.assertEqual(cm.exception.name, "SMTPREPLY_NOT_SUPPORTED")
        with self.assertRaises(InvalidInput) as cm:
            s.authenticate("a\r\nMAIL FROM:<x@y>", "p")
        self.assertIn("CR or LF", cm.exception.message)
        with self.assertRaises(InvalidInput):
            s.authenticate("tim", "")
        strict = ready(["AUTH PLAIN"])
        with self.assertRaises(WrongState) as cm:
            strict.authenticate("tim", "p")
        self.assertIn("not encrypted", cm.exception.message)
        none = ready()
        with self.assertRaises(NotSupported):
            none.authenticate("tim", "p")
        self.assertEqual(s.output() + strict.output() + none.output(), b"", "misuse sends nothing")

    def test_all_or_nothing_resets(self):
        s = ready(["PIPELINING"], all_or_nothing=True)
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.add_recipient("c@example.com")
        s.start_data()
        self.assertEqual(s.take_output(),
                         b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\n")
        s.receive(b"250 ok\r\n250 ok\r\n550 no\r\n")
        self.assertEqual(s.take_output(), b"RSET\r\n")
        evs = list(s.events())
        self.assertEqual(names(evs)[-1], "rejected -")
        self.assertEqual([r.status for r in evs[-1].recipients], ["rejected", "rejected"])
        s.receive(b"250 flushed\r\n")
        self.assertTrue(s.is_ready)

    def test_no_recipient_accepted(self):
        s = ready()
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        s.receive(b"250 ok\r\n")
        s.receive(b"550 5.1.1 no such user\r\n")
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRSET\r\n")
        evs = list(s.events())
        self.assertEqual(evs[-1].kind, "message_rejected")
        self.assertEqual(evs[-1].classification.reason, "user_unknown")
        # Pipelined: DATA was sent; a 354 gets a lone "." (RFC 2920 §3.1).
        s = pipelined_session()
        s.receive(b"250 ok\r\n550 no\r\n550 no\r\n550 no\r\n354 go\r\n")
        self.assertEqual(s.take_output(), b".\r\n")
        s.receive(b"554 5.5.1 no valid recipients\r\n")
        self.assertEqual(s.take_output(), b"RSET\r\n")
        s.receive(b"250 ok\r\n")
        self.assertTrue(s.is_ready)

    def test_mail_refused_with_pipelined_consequences(self):
        s = pipelined_session()
        s.receive(b"550 5.7.1 Sender address rejected: Access denied\r\n503 5.5.1 need MAIL\r\n503 need MAIL\r\n"
                  b"503 need MAIL\r\n503 5.5.1 need RCPT\r\n")
        n = names(s.events())
        self.assertEqual(sum(1 for x in n if x.startswith("rejected")), 1, n)
        self.assertFalse(any(x.startswith("rcpt") for x in n), n)
        self.assertEqual(s.take_output(), b"")
        self.assertTrue(s.is_ready)

    def test_bdat_chunking(self):
        s = ready(["PIPELINING", "CHUNKING"])
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n")
        s.receive(b"250 ok\r\n250 ok\r\n")
        self.assertEqual(names(s.events())[-1], "ready_for_body")
        s.send_body(b"Subject: x\n\n.dot stays\r")
        s.send_body(b"\nend")
        s.end_body()
        # The open last line is closed in the LAST chunk, as DATA would close it.
        self.assertEqual(s.take_output(), b"BDAT 24\r\nSubject: x\r\n\r\n.dot staysBDAT 5\r\n\r\nendBDAT 2 LAST\r\n\r\n")
        s.receive(b"250 2.0.0 24 octets\r\n250 2.0.0 5 octets\r\n250 2.0.0 Ok: queued as BD1\r\n")
        self.assertEqual(names(s.events())[-1], "accepted BD1")
        self.assertTrue(s.is_ready)

    def test_bdat_failure_stops_the_chunks(self):
        s = ready(["CHUNKING"])
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        s.receive(b"250 ok\r\n")
        s.receive(b"250 ok\r\n")
        s.take_output()
        list(s.events())
        s.send_body(b"part one\r\n")
        s.send_body(b"part two\r\n")
        self.assertEqual(s.take_output(), b"BDAT 10\r\npart one\r\n")
        s.receive(b"552 5.3.4 Message too big\r\n")
        self.assertEqual(names(s.events()), ["reply BDAT 552", "rejected 552"])
        s.send_body(b"part three")
        s.end_body()
        self.assertEqual(s.take_output(), b"RSET\r\n")

    def test_no_chunking_and_no_pipelining_options(self):
        s = ready(["PIPELINING", "CHUNKING"], pipelining=False, chunking=False)
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\n")
        s.receive(b"250 ok\r\n")
        self.assertEqual(s.take_output(), b"RCPT TO:<b@example.com>\r\n")
        s.receive(b"250 ok\r\n")
        self.assertEqual(s.take_output(), b"DATA\r\n")

    def test_extensions_only_when_offered_and_checked(self):
        s = ready(["DSN", "SMTPUTF8", "8BITMIME"])
        s.send_mail("jürgen@example.de", body="8bitmime", dsn_return="hdrs", dsn_envid="id+1=2", size=10)
        self.assertEqual(s.take_output(),
                         "MAIL FROM:<jürgen@example.de> BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1+3D2\r\n".encode())
        s.add_recipient("zoë@example.com", notify=["success", "failure"], orcpt="zoe@example.com")
        s.receive(b"250 ok\r\n")
        self.assertEqual(s.take_output(),
                         "RCPT TO:<zoë@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;zoe@example.com\r\n".encode())
        with self.assertRaises(InvalidInput) as cm:
            s.add_recipient("x@example.com", notify="never,delay")
        self.assertIn("NEVER alone", cm.exception.message)
        s.add_recipient("y@example.com", notify="never")
        s.receive(b"250 ok\r\n")
        self.assertEqual(s.take_output(), b"RCPT TO:<y@example.com> NOTIFY=NEVER\r\n")

        plain = ready()
        with self.assertRaises(InvalidInput) as cm:
            plain.send_mail("jürgen@example.de")
        self.assertEqual(cm.exception.message, "sender address: the address contains non-ASCII characters, "
                                               "which need the server's SMTPUTF8 extension")
        with self.assertRaises(NotSupported) as cm:
            plain.send_mail("a@example.org", body="8bitmime")
        self.assertEqual(cm.exception.message, "the server does not offer 8BITMIME")
        with self.assertRaises(NotSupported):
            plain.send_mail("a@example.org", body="binarymime")
        with self.assertRaises(NotSupported):
            plain.send_mail("a@example.org", smtputf8=True)
        plain.send_mail("a@example.org", size=5, dsn_return="full")
        self.assertEqual(plain.take_output(), b"MAIL FROM:<a@example.org>\r\n")
        small = ready(["SIZE 100"])
        with self.assertRaises(InvalidInput) as cm:
            small.send_mail("a@example.org", size=101)
        self.assertIn("at most 100", cm.exception.message)

    def test_commands_cannot_be_injected(self):
        s = ready(["PIPELINING"])
        for bad in ("a@example.org\r\nRCPT TO:<x@y.example>", "a@example.org\nDATA", "<a@example.org>",
                    "a@exa mple.org", "a@example.org\rQUIT"):
            with self.assertRaises(InvalidInput, msg=bad):
                s.send_mail(bad)
        with self.assertRaises(InvalidInput) as cm:
            s.send_mail("a\0@example.org")  # C would cut the string at the NUL: refused here
        self.assertIn("NUL", cm.exception.message)
        self.assertEqual(s.output(), b"")
        s.send_mail("")  # the null reverse-path
        self.assertEqual(s.take_output(), b"MAIL FROM:<>\r\n")
        with self.assertRaises(InvalidInput):
            s.add_recipient("")
        with self.assertRaises(InvalidInput):
            s.add_recipient("x@y.example\r\nQUIT")
        with self.assertRaises(InvalidInput):
            s.add_recipient("%s@example.com" % ("a" * 65))
        self.assertEqual(s.output(), b"")
        dsn = ready(["DSN"])
        dsn.send_mail("a@example.org", dsn_envid="e\r\nQUIT")
        dsn.add_recipient("x@y.example", orcpt="o\r\nQUIT")
        dsn.receive(b"250 ok\r\n")
        # ENVID and ORCPT are xtext: CR and LF travel as +0D+0A, never as line ends.
        self.assertEqual(dsn.take_output(), b"MAIL FROM:<a@example.org> ENVID=e+0D+0AQUIT\r\n"
                                            b"RCPT TO:<x@y.example> ORCPT=rfc822;o+0D+0AQUIT\r\n")
        for name in ("bad name\r\nQUIT", "", "a b", "under_score.example"):
            with self.assertRaises(InvalidInput, msg=name):
                Session(name)

    def test_misuse_is_refused_and_changes_nothing(self):
        s = new()
        with self.assertRaises(WrongState):
            s.send_mail("a@b.example")
        with self.assertRaises(WrongState):
            s.quit()
        with self.assertRaises(WrongState):
            s.noop()
        s.receive(b"220 mx\r\n")
        s.receive(b"250 mx\r\n")
        s.take_output()
        for action in (lambda: s.add_recipient("b@c.example"), s.start_data, lambda: s.send_body(b"x"), s.end_body,
                       s.tls_established, s.tls_failed):
            with self.assertRaises(WrongState):
                action()
        s.send_mail("a@b.example")
        with self.assertRaises(WrongState) as cm:
            s.start_data()
        self.assertEqual(cm.exception.message, "start_data is not possible now: no recipient has been added")
        s.add_recipient("b@c.example")
        s.start_data()
        with self.assertRaises(WrongState):
            s.add_recipient("late@c.example")
        s.receive(b"250 ok\r\n")
        s.receive(b"250 ok\r\n")
        s.receive(b"354 go\r\n")
        with self.assertRaises(WrongState):
            s.quit()  # QUIT inside a DATA body would be part of the message
        with self.assertRaises(WrongState):
            s.reset()
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@b.example>\r\nRCPT TO:<b@c.example>\r\nDATA\r\n")

    def test_reset_abandons_the_envelope(self):
        s = ready()
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.reset()  # the RCPT not sent yet (no pipelining) is dropped
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\n")
        s.receive(b"250 ok\r\n")
        self.assertEqual(s.take_output(), b"RSET\r\n")
        s.receive(b"250 2.0.0 Reset\r\n")
        self.assertEqual(names(s.events()), ["reply MAIL 250", "reply RSET 250"])
        self.assertTrue(s.is_ready)

    def test_quit_after_end_body_waits_for_the_outcome(self):
        s = ready(["PIPELINING", "CHUNKING"])
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        s.receive(b"250 ok\r\n250 ok\r\n")
        self.assertEqual(names(s.events())[-1], "ready_for_body")
        s.send_body(b"hi\n")
        s.end_body()
        s.quit()
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n"
                                          b"BDAT 4\r\nhi\r\nBDAT 0 LAST\r\n")
        s.receive(b"250 chunk\r\n250 2.0.0 Ok: queued as Q1\r\n")
        self.assertEqual(names(s.events()), ["reply BDAT 250", "reply BDAT 250", "accepted Q1"])
        self.assertEqual(s.take_output(), b"QUIT\r\n")
        self.assertFalse(s.is_ready)

    def test_quit_and_reset_refused_once_data_is_on_the_wire(self):
        s = pipelined_session()
        for action in (s.quit, s.reset):
            with self.assertRaises(WrongState) as cm:
                action()
            self.assertIn("DATA is on the wire", str(cm.exception))
        self.assertEqual(s.take_output(), b"")

    def test_quit_while_ehlo_is_unanswered(self):
        s = new()
        s.receive(b"220 mx.example.com ESMTP\r\n")
        s.take_output()
        s.quit()
        s.receive(b"250 mx.example.com\r\n")
        self.assertFalse(s.is_ready)
        self.assertNotIn("ready", names(s.events()))
        self.assertEqual(s.take_output(), b"QUIT\r\n")

    def test_lost_connection_defers_accepted_recipients(self):
        s = pipelined_session()
        s.receive(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n")
        s.receive_eof()
        rejected = [e for e in s.events() if e.kind == "message_rejected"][0]
        bob = rejected.recipients[0]
        self.assertEqual(bob.status, "deferred")
        self.assertIsNone(bob.code)
        self.assertTrue(bob.classification.retry)
        self.assertEqual(bob.classification.reason, "network_error")

    def test_state_accessors(self):
        s = ready(["AUTH PLAIN"], allow_insecure_auth=True)
        self.assertFalse(s.is_tls)
        self.assertIsNone(s.authenticated)
        self.assertIsNone(s.body_stats())
        s.authenticate("tim", "pw")
        s.receive(b"235 ok\r\n")
        self.assertEqual(s.authenticated, "PLAIN")
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        s.receive(b"250 ok\r\n")
        s.receive(b"250 ok\r\n")
        s.receive(b"354 go\r\n")
        s.send_body(b"a\n.b\r\n" + b"x" * 1200 + b"\n")
        s.end_body()
        s.receive(b"250 queued\r\n")
        st = s.body_stats()  # the last message's, after it is over
        self.assertEqual(st.command, "DATA")
        self.assertEqual((st.input_bytes, st.line_endings_fixed, st.dots_stuffed, st.long_lines), (1207, 2, 1, 1))
        self.assertEqual(st.output_bytes, 1207 + 2 + 1)
        self.assertTrue(new(tls_active=True).is_tls)

    def test_message_size(self):
        self.assertEqual(smtpreply.message_size(b"a\nb\n"), 6)
        self.assertEqual(smtpreply.message_size(b"a\r\nlast"), 9)
        self.assertEqual(smtpreply.message_size(b""), 0)
        self.assertEqual(smtpreply.message_size(bytearray(b"\r")), 2)
        with self.assertRaises(TypeError):
            smtpreply.message_size("text")

    def test_unexpected_codes_are_reported_and_acted_on_by_class(self):
        s = ready()
        s.send_mail("a@example.org")
        s.add_recipient("b@example.com")
        s.start_data()
        s.receive(b"250 ok\r\n")
        s.receive(b"250 ok\r\n")
        s.receive(b"250 Go on\r\n")  # DATA must get 354
        n = names(s.events())
        self.assertIn("reply DATA 250 unexpected", n)
        self.assertTrue(any(x.startswith("rejected") for x in n))
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nRSET\r\n")

    def test_several_messages_per_connection(self):
        s = ready(["PIPELINING"])
        wire = b""
        for i in range(3):
            s.send_mail("a@example.org")
            s.add_recipient("b@example.com")
            s.start_data()
            s.receive(b"250 ok\r\n250 ok\r\n354 go\r\n")
            s.send_body(b"message %d\r\n" % i)
            s.end_body()
            s.receive(b"250 queued as Q%d\r\n" % i)
            self.assertEqual(names(s.events())[-1], "accepted Q%d" % i)
            self.assertTrue(s.is_ready)
            wire += s.take_output()
        self.assertEqual(wire.count(b"MAIL FROM"), 3)
        self.assertNotIn(b"RSET", wire)

    def test_events_carry_commands_and_classifications(self):
        s = pipelined_session()
        s.receive(PIPELINED_REPLIES)
        replies = [e for e in s.events() if e.kind == "reply"]
        self.assertEqual([e.command for e in replies], ["MAIL", "RCPT", "RCPT", "RCPT", "DATA"])
        for e in replies:
            self.assertIsInstance(e.classification, Classification)
            self.assertEqual(e.classification.command, e.command)
            self.assertEqual(e.classification.code, e.code)

    def test_output_and_advance(self):
        s = new()
        s.receive(b"220 mx\r\n")
        self.assertEqual(s.output(), b"EHLO client.example.org\r\n")
        self.assertEqual(s.output(), b"EHLO client.example.org\r\n", "output() does not consume")
        s.advance(5)
        self.assertEqual(s.output(), b"client.example.org\r\n")
        with self.assertRaises(OutOfRange):
            s.advance(1000)
        s.advance(0)
        self.assertEqual(s.take_output(), b"client.example.org\r\n")
        self.assertEqual(s.output(), b"")
        self.assertEqual(s.take_output(), b"")
        s.advance(0)
        with self.assertRaises(OutOfRange):
            s.advance(1)

    def test_acting_between_events(self):
        s = new()
        s.receive(b"220 mx\r\n250 mx\r\n")  # the EHLO reply arrives early: still answers EHLO
        s.receive(b"")
        seen = []
        for e in s.events():
            seen.append(e.kind)
            if e.kind == "ready":
                s.send_mail("a@example.org")
                s.add_recipient("b@example.com")
                s.start_data()
        self.assertEqual(seen, ["reply", "greeting", "reply", "ready"])
        self.assertEqual(s.take_output(), b"EHLO client.example.org\r\nMAIL FROM:<a@example.org>\r\n")


# ------------------------------------------------------------------------------------------------
# Bad inputs, copies, lifetime
# ------------------------------------------------------------------------------------------------


class BadInputs(unittest.TestCase):
    def test_types(self):
        s = ready(["PIPELINING"])
        for call in (lambda: s.receive("220 str\r\n"), lambda: s.receive(None), lambda: s.receive(42),
                     lambda: s.send_mail(None), lambda: s.send_mail(b"a@example.org"), lambda: s.send_mail(42),
                     lambda: s.authenticate(None, "p"), lambda: s.authenticate("u", b"p"),
                     lambda: s.send_mail("a@example.org", size="10"), lambda: s.send_mail("a@example.org", size=1.5),
                     lambda: s.send_mail("a@example.org", dsn_envid=b"x"), lambda: s.advance("1"),
                     lambda: s.advance(True), lambda: Session(None), lambda: Session(b"client.example.org"),
                     lambda: s.send_mail("a@example.org", body=None)):
            with self.assertRaises(TypeError):
                call()
        s.send_mail("a@example.org")
        for call in (lambda: s.add_recipient(None), lambda: s.add_recipient(b"b@example.com"),
                     lambda: s.add_recipient("b@example.com", notify=3.0),
                     lambda: s.add_recipient("b@example.com", notify=[1]),
                     lambda: s.add_recipient("b@example.com", orcpt=b"x")):
            with self.assertRaises(TypeError):
                call()
        s.add_recipient("b@example.com")
        s.start_data()
        s.receive(b"250 ok\r\n250 ok\r\n354 go\r\n")
        list(s.events())
        for bad in ("text", None, 1, ["x"]):
            with self.assertRaises(TypeError):
                s.send_body(bad)
        s.send_body(bytearray(b"a\n"))
        s.send_body(memoryview(b"b\n"))
        s.send_body(b"")
        s.end_body()
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\na\r\nb\r\n.\r\n")

    def test_out_of_range_options(self):
        with self.assertRaises(InvalidInput):
            Session(CLIENT, tls="sometimes")
        with self.assertRaises(InvalidInput) as cm:
            Session(CLIENT, tls=3)  # checked by the library
        self.assertIn("SMTPREPLY_TLS_", cm.exception.message)
        with self.assertRaises(OutOfRange):
            Session(CLIENT, tls=-1)
        with self.assertRaises(OutOfRange):
            Session(CLIENT, tls=1 << 32)
        s = ready(["DSN", "AUTH PLAIN"], allow_insecure_auth=True)
        with self.assertRaises(InvalidInput):
            s.send_mail("a@example.org", body="9bit")
        with self.assertRaises(InvalidInput) as cm:
            s.send_mail("a@example.org", body=7)
        self.assertIn("SMTPREPLY_BODY_", cm.exception.message)
        with self.assertRaises(InvalidInput):
            s.send_mail("a@example.org", dsn_return="everything")
        with self.assertRaises(InvalidInput) as cm:
            s.send_mail("a@example.org", dsn_return=3)
        self.assertIn("SMTPREPLY_DSN_RET_", cm.exception.message)
        with self.assertRaises(OutOfRange):
            s.send_mail("a@example.org", size=-1)
        with self.assertRaises(OutOfRange):
            s.send_mail("a@example.org", size=1 << 64)
        with self.assertRaises(InvalidInput):
            s.send_mail("a@example.org", dsn_envid="")
        with self.assertRaises(InvalidInput):
            s.send_mail("a@example.org", dsn_envid="x" * 101)
        with self.assertRaises(InvalidInput):
            s.send_mail("\udcff@example.org")  # not encodable as UTF-8
        with self.assertRaises(InvalidInput):
            s.authenticate("tim", "p", mechanism="kerberos")
        with self.assertRaises(InvalidInput) as cm:
            s.authenticate("tim", "p", mechanism=9)
        self.assertIn("SMTPREPLY_AUTH_", cm.exception.message)
        self.assertEqual(s.output(), b"", "nothing sent on error")
        s.send_mail("a@example.org", size=(1 << 64) - 1)  # fits: SIZE is not offered, so not sent
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\n")
        for notify in ("sometimes", ["success", "often"], [], ""):
            with self.assertRaises(InvalidInput, msg=notify):
                s.add_recipient("b@example.com", notify=notify)
        with self.assertRaises(InvalidInput) as cm:
            s.add_recipient("b@example.com", notify=1 << 8)  # unknown bits: the library refuses
        self.assertIn("notify", cm.exception.message)
        with self.assertRaises(InvalidInput):
            s.add_recipient("b@example.com", orcpt="")
        with self.assertRaises(OutOfRange):
            s.add_recipient("b@example.com", notify=-1)
        self.assertEqual(s.add_recipient("b@example.com", notify=6), 0)
        with self.assertRaises(OutOfRange):
            s.advance(-1)
        with self.assertRaises(OutOfRange):
            s.advance(1 << 80)

    def test_non_ascii_without_smtputf8(self):
        s = ready(["PIPELINING"])
        s.send_mail("a@example.org")
        with self.assertRaises(InvalidInput) as cm:
            s.add_recipient("zoë@example.com")
        self.assertIn("SMTPUTF8", cm.exception.message)
        with self.assertRaises(InvalidInput):
            s.add_recipient("b@exämple.com")
        self.assertEqual(s.take_output(), b"MAIL FROM:<a@example.org>\r\n")

    def test_limit_exceeded_for_long_commands(self):
        s = ready(["DSN"])
        s.send_mail("a@example.org")
        s.receive(b"250 ok\r\n")
        s.take_output()
        # A 500-character ORCPT of "+" (xtext: 3 bytes each) makes a line longer than the 1012
        # octets RCPT may have with ORCPT.
        with self.assertRaises(LimitExceeded) as cm:
            s.add_recipient("b@example.com", orcpt="+" * 500)
        self.assertIn("the limit is 1012", cm.exception.message)
        self.assertEqual(s.output(), b"")

    def test_garbage_input_is_never_an_exception(self):
        for junk in (b"", b"\0" * 10, b"\r\n" * 10, bytes(range(256)), b"250" * 3000):
            s = new()
            s.receive(junk)
            s.receive_eof()
            n = names(s.events())
            self.assertEqual(n[-1].split()[0], "closed", n)
            self.assertTrue(s.is_closed)
            s.receive(b"220 late\r\n")  # after the close: ignored
            self.assertEqual(list(s.events()), [])
            s.receive_eof()


class Copies(unittest.TestCase):
    """Events are copied out of the library: their fields stay right after any later call."""

    def test_event_fields_survive_later_calls_and_free(self):
        s = pipelined_session()
        s.receive(PIPELINED_REPLIES)
        first = list(s.events())
        s.send_body(b"x" * 10000 + b"\r\n")
        s.end_body()
        s.take_output()
        s.receive(b"250 2.0.0 Ok: queued as QID42\r\n")
        second = list(s.events())
        s.quit()
        s.receive(b"221 bye\r\n")
        third = list(s.events())
        # Churn the allocator: new sessions, new events, freed handles.
        for _ in range(50):
            t = pipelined_session()
            t.receive(PIPELINED_REPLIES[::-1] + PIPELINED_REPLIES)
            list(t.events())
            t.close()
        s.close()
        gc.collect()
        self.assertEqual(names(first), PIPELINED_EXPECTATION)
        self.assertEqual(first[0].reply, b"250 2.1.0 Ok\r\n")
        self.assertEqual(first[4].address, "carol@example.com")
        self.assertEqual(first[4].reply, b"550 5.1.1 No such user\r\n")
        self.assertEqual(first[6].reply, b"450 4.2.0 Greylisted, try again in 5 minutes\r\n")
        self.assertEqual(first[6].classification.reason, "greylisted")
        acc = second[-1]
        self.assertEqual(acc.queue_id, "QID42")
        self.assertEqual(acc.reply, b"250 2.0.0 Ok: queued as QID42\r\n")
        self.assertEqual([(r.address, r.status, r.code) for r in acc.recipients],
                         [("bob@example.com", "accepted", 250), ("carol@example.com", "rejected", 550),
                          ("dave@example.com", "deferred", 450)])
        self.assertEqual(acc.recipients[1].reply, b"550 5.1.1 No such user\r\n")
        self.assertEqual(names(third), ["reply QUIT 221", "closed quit"])
        self.assertEqual(repr(first[4]).split()[0], "<Event")

    def test_equality_and_repr(self):
        a = ready()
        b = ready()
        a.noop()
        b.noop()
        a.receive(b"250 2.0.0 Ok\r\n")
        b.receive(b"250 2.0.0 Ok\r\n")
        ea, eb = list(a.events()), list(b.events())
        self.assertEqual(ea, eb)
        self.assertIsInstance(ea[0], Event)
        self.assertIn("reply", repr(ea[0]))
        self.assertIn("NOOP", repr(ea[0]))

    def test_lifetime(self):
        s = ready()
        self.assertIn("ready", repr(s))
        s.close()
        s.close()
        self.assertIn("freed", repr(s))
        for call in (lambda: s.receive(b"x"), s.receive_eof, s.next_event, s.output, s.take_output,
                     lambda: s.timeout, lambda: s.is_ready, lambda: s.is_closed, s.capabilities, s.noop, s.quit,
                     lambda: s.send_mail("a@example.org")):
            with self.assertRaises(ValueError):
                call()
        with new() as t:
            t.receive(b"220 mx\r\n")
        with self.assertRaises(ValueError):
            t.output()

    def test_threads_share_one_session_safely(self):
        s = ready(["PIPELINING"])
        errors = []

        def noops():
            try:
                for _ in range(200):
                    try:
                        s.noop()
                    except WrongState:
                        pass
                    s.take_output()
                    s.receive(b"250 ok\r\n")
                    list(s.events())
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=noops) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


# ------------------------------------------------------------------------------------------------
# Over sockets, against the raw scripted server
# ------------------------------------------------------------------------------------------------


def drive(s, sock, on_event, deadline=5.0):
    """A minimal host loop: returns every event seen."""
    seen = []
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        for e in s.events():
            seen.append(e)
            on_event(e)
        out = s.take_output()
        if out:
            sock.sendall(out)
            continue
        if s.is_closed:
            break
        sock.settimeout(max(0.05, min(s.timeout or 1.0, end - time.monotonic())))
        data = sock.recv(65536)
        if data:
            s.receive(data)
        else:
            s.receive_eof()
    return seen


GREETING = b"220-mx.example.com ESMTP\r\n220-We do not relay\r\n220 Ready\r\n"
EHLO = b"250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n250 8BITMIME\r\n"
ENVELOPE = (b"MAIL FROM:<alice@example.org> SIZE=%d\r\nRCPT TO:<bob@example.com>\r\n"
            b"RCPT TO:<nobody@example.com>\r\nDATA\r\n")
ENVELOPE_REPLIES = b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.com>: User unknown\r\n354 go\r\n"
MESSAGE = b"Subject: test\n\nline one\n.line two starts with a dot\n"
ON_WIRE = b"Subject: test\r\n\r\nline one\r\n..line two starts with a dot\r\n.\r\n"


class OverSockets(unittest.TestCase):
    def send(self, srv, recipients=("bob@example.com", "nobody@example.com"), message=MESSAGE, **kw):
        kw.setdefault("timeout", 5)
        kw.setdefault("client_name", CLIENT)
        r = smtpreply.send_message(srv.host, srv.port, "alice@example.org", list(recipients), message, **kw)
        srv.join()
        self.assertIsNone(srv.failure)
        return r

    def test_byte_by_byte_replies_and_one_packet_of_pipelined_replies(self):
        size = len(MESSAGE.replace(b"\n", b"\r\n"))  # what SIZE declares: the size with CRLF line ends
        script = [
            ("send_bytewise", GREETING),
            ("expect", b"EHLO client.example.org\r\n"),
            ("send_bytewise", EHLO),
            ("expect", ENVELOPE % size),
            ("send", ENVELOPE_REPLIES),
            ("expect", ON_WIRE),
            ("send_bytewise", b"250 2.0.0 Ok: queued as 9F8E7D\r\n"),
            ("expect", b"QUIT\r\n"),
            ("send", b"221 2.0.0 Bye\r\n"),
        ]
        with ScriptedServer(script) as srv:
            r = self.send(srv)
        self.assertIsNone(r.error)
        self.assertTrue(r.accepted)
        self.assertFalse(r.all_accepted)
        self.assertEqual(r.queue_id, "9F8E7D")
        self.assertEqual(r.code, 250)
        self.assertEqual([(x.address, x.status, x.code) for x in r.recipients],
                         [("bob@example.com", "accepted", 250), ("nobody@example.com", "rejected", 550)])
        self.assertEqual(r.recipients[1].classification.reason, "user_unknown")
        self.assertEqual(r.close_reason, "quit")
        self.assertEqual(srv.received, b"EHLO client.example.org\r\n" + ENVELOPE % size + ON_WIRE + b"QUIT\r\n")
        # The transcript: every reply whole (however it was split), commands line by line.
        self.assertEqual(r.transcript[0], ("server", GREETING))
        self.assertIn(("server", EHLO), r.transcript)
        self.assertIn(("client", b"RCPT TO:<nobody@example.com>\r\n"), r.transcript)
        self.assertIn(("client", b"[%d bytes of message data]" % len(ON_WIRE)), r.transcript)
        self.assertEqual(r.transcript[-1], ("info", b"session closed: quit"))
        for direction, data in r.transcript:
            self.assertIn(direction, ("client", "server", "info"))
            self.assertIsInstance(data, bytes)

    def test_session_driven_by_hand(self):
        script = [
            ("send", GREETING),
            ("expect", b"EHLO client.example.org\r\n"),
            ("send", b"250-mx.example.com\r\n250 PIPELINING\r\n"),
            ("expect", b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"),
            ("send_bytewise", b"250 ok\r\n250 ok\r\n354 go\r\n"),
            ("expect", b"hello\r\n.\r\n"),
            ("send", b"250 queued as X1\r\n"),
            ("expect", b"QUIT\r\n"),
            ("send", b"221 bye\r\n"),
        ]
        import socket
        with ScriptedServer(script) as srv:
            sock = socket.create_connection((srv.host, srv.port), timeout=5)
            s = new()

            def act(e):
                if e.kind == "ready":
                    s.send_mail("a@example.org")
                    s.add_recipient("b@example.com")
                    s.start_data()
                elif e.kind == "ready_for_body":
                    s.send_body(b"hello\n")
                    s.end_body()
                elif e.kind == "message_accepted":
                    s.quit()

            seen = drive(s, sock, act)
            sock.close()
            srv.join()
        self.assertIsNone(srv.failure)
        self.assertEqual([e.kind for e in seen if e.kind != "reply"],
                         ["greeting", "ready", "recipient_accepted", "ready_for_body", "message_accepted", "closed"])
        self.assertEqual(seen[-1].close_reason, "quit")

    def test_421_mid_transaction(self):
        script = [
            ("send", b"220 mx ESMTP\r\n"),
            ("expect", b"EHLO"),
            ("send", EHLO),
            ("expect", b"DATA\r\n"),
            ("send", b"250 2.1.0 Ok\r\n421 4.3.2 Service shutting down\r\n"),
            ("close",),
        ]
        with ScriptedServer(script) as srv:
            r = self.send(srv)
        self.assertFalse(r.accepted)
        self.assertEqual(r.code, 421)
        self.assertEqual([x.status for x in r.recipients], ["deferred", "deferred"])
        self.assertEqual(r.close_reason, "service_closing")
        self.assertEqual(r.error, "session closed: service_closing")
        self.assertTrue(r.classification.retry)

    def test_replies_that_close_the_session_in_the_same_packet(self):
        # The 421 arrives with the 354: by the time the host sees ready_for_body, the session is
        # closed (the library handles a whole packet at once). send_message must not act on it.
        script = [
            ("send", b"220 mx ESMTP\r\n"),
            ("expect", b"EHLO"),
            ("send", EHLO),
            ("expect", b"DATA\r\n"),
            ("send", b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n421 4.3.2 Shutting down\r\n"),
            ("close",),
        ]
        with ScriptedServer(script) as srv:
            r = self.send(srv)
        self.assertFalse(r.accepted)
        self.assertEqual([x.status for x in r.recipients], ["deferred", "deferred"])
        self.assertEqual(r.close_reason, "service_closing")
        # And the same with the greeting, EHLO and a 421 in one packet: no MAIL is attempted.
        script = [("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("send", EHLO + b"421 4.3.2 Bye\r\n"), ("close",)]
        with ScriptedServer(script) as srv:
            r = self.send(srv, user="tim", password="p", allow_insecure_auth=True)
        self.assertEqual(r.close_reason, "service_closing")
        self.assertEqual(r.error, "session closed: service_closing")
        self.assertEqual(srv.received, b"EHLO client.example.org\r\n")

    def test_connection_drop(self):
        script = [
            ("send", b"220 mx ESMTP\r\n"),
            ("expect", b"EHLO"),
            ("send", EHLO),
            ("expect", b"DATA\r\n"),
            ("send", b"250 2.1.0 Ok\r\n"),
            ("close",),
        ]
        with ScriptedServer(script) as srv:
            r = self.send(srv)
        self.assertFalse(r.accepted)
        self.assertIsNone(r.code)
        self.assertEqual(r.classification.reason, "network_error")
        self.assertEqual([x.status for x in r.recipients], ["deferred", "deferred"])
        self.assertEqual(r.close_reason, "connection_lost")

    def test_garbage_reply(self):
        script = [
            ("send", b"220 mx ESMTP\r\n"),
            ("expect", b"EHLO"),
            ("send", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
            ("drain",),
        ]
        with ScriptedServer(script) as srv:
            r = self.send(srv)
        self.assertFalse(r.accepted)
        self.assertTrue(r.error.startswith("protocol error: "), r.error)
        self.assertEqual(r.close_reason, "protocol_error")
        self.assertEqual([x.status for x in r.recipients], ["deferred", "deferred"])

    def test_refused_greeting(self):
        script = [
            ("send", b"554 5.7.1 mx.example.com: no SMTP service for you\r\n"),
            ("expect", b"QUIT\r\n"),
            ("send", b"221 bye\r\n"),
        ]
        with ScriptedServer(script) as srv:
            r = self.send(srv)
        self.assertEqual(r.close_reason, "greeting_refused")
        self.assertEqual(r.error, "session closed: greeting_refused")
        self.assertEqual(srv.received, b"QUIT\r\n")

    def test_silent_server_times_out(self):
        script = [("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("sleep", 1.0)]
        with ScriptedServer(script) as srv:
            t0 = time.monotonic()
            r = self.send(srv, timeout=0.3)
        self.assertLess(time.monotonic() - t0, 3)
        self.assertIn("did not answer within 0.3 seconds", r.error)
        self.assertEqual(r.close_reason, "connection_lost")

    def test_starttls_required_but_not_offered(self):
        script = [("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("send", EHLO),
                  ("expect", b"QUIT\r\n"), ("send", b"221 bye\r\n")]
        with ScriptedServer(script) as srv:
            r = self.send(srv, starttls=True)
        self.assertEqual(r.close_reason, "tls_unavailable")
        self.assertNotIn(b"MAIL", srv.received)

    def test_auth_in_clear_text_needs_consent(self):
        script = [("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("send", b"250-mx\r\n250 AUTH PLAIN\r\n"),
                  ("expect", b"QUIT\r\n"), ("send", b"221 bye\r\n")]
        with ScriptedServer(script) as srv:
            r = self.send(srv, user="tim", password="secret")
        self.assertIn("not encrypted", r.error)
        self.assertNotIn(b"AUTH", srv.received)

    def test_credentials_are_masked_in_the_transcript(self):
        script = [("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("send", b"250-mx\r\n250 AUTH LOGIN\r\n"),
                  ("expect", b"AUTH LOGIN\r\n"), ("send", b"334 VXNlcm5hbWU6\r\n"),
                  ("expect", b"\r\n"), ("send", b"334 UGFzc3dvcmQ6\r\n"),
                  ("expect", b"\r\n"), ("send", b"535 5.7.8 Authentication credentials invalid\r\n"),
                  ("expect", b"QUIT\r\n"), ("send", b"221 bye\r\n")]
        with ScriptedServer(script) as srv:
            r = self.send(srv, user="tim", password="secret", allow_insecure_auth=True)
        self.assertIn(b"dGlt\r\nc2VjcmV0\r\n", srv.received)  # base64 of "tim", "secret" went to the server
        text = b"".join(d for _, d in r.transcript)
        self.assertNotIn(b"dGlt", text)
        self.assertNotIn(b"c2VjcmV0", text)
        self.assertIn(("client", b"****\r\n"), r.transcript)
        self.assertTrue(r.error.startswith("authentication failed: 535"), r.error)
        self.assertEqual([x.status for x in r.recipients], ["deferred", "deferred"])

    def test_connection_refused(self):
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()  # nothing listens there now
        r = smtpreply.send_message("127.0.0.1", port, "a@example.org", ["b@example.com"], b"x", timeout=2)
        self.assertIn("cannot connect", r.error)
        self.assertFalse(r.accepted)
        self.assertEqual(r.recipients[0].status, "deferred")

    def test_bad_addresses_are_reported_per_recipient(self):
        script = [("send", b"220 mx ESMTP\r\n"), ("expect", b"EHLO"), ("send", EHLO),
                  ("expect", b"DATA\r\n"), ("send", b"250 ok\r\n250 ok\r\n354 go\r\n"),
                  ("expect", b"\r\n.\r\n"), ("send", b"250 ok\r\n"), ("expect", b"QUIT\r\n"), ("send", b"221 bye\r\n")]
        with ScriptedServer(script) as srv:
            r = self.send(srv, recipients=["bob@example.com", "evil@example.com\r\nRSET"])
        self.assertEqual(r.recipients[0].status, "accepted")
        self.assertEqual(r.recipients[1].status, "rejected")
        self.assertIsNone(r.recipients[1].code)
        self.assertIn("control character", r.recipients[1].error)
        self.assertNotIn(b"RSET", srv.received)

    def test_send_message_argument_checks(self):
        for kwargs in (dict(recipients="b@example.com"), dict(message="text"), dict(user="u")):
            args = dict(recipients=["b@example.com"], message=b"x")
            args.update(kwargs)
            with self.assertRaises(TypeError):
                smtpreply.send_message("127.0.0.1", 1, "a@example.org", args["recipients"], args["message"],
                                       user=args.get("user"))


if __name__ == "__main__":
    unittest.main()
