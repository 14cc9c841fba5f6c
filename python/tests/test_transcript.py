"""smtpreply.explain_log: pasted SMTP conversations explained.

- Live captures: an aiosmtpd server on 127.0.0.1 (started and stopped here) refuses one recipient
  and defers another; swaks, curl -v and Python smtplib (debug levels 1 and 2) talk to it, their
  output is captured as a user would paste it, and explain_log must tell what happened.
- The fixture corpus (tests/data/transcripts, 53 files) against its expected.tsv.
- The C structs as ctypes sees them; bad input.

    python3 -m unittest discover -s python/tests -t python -v
"""

import contextlib
import io
import os
import shutil
import smtplib
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
from smtpservers import Policy, SMTPServer, needs_aiosmtpd  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "data", "transcripts")
SAMPLES = os.path.join(REPO, "c-examples", "samples")
SENDER = "alice@example.org"
# bob is accepted, nobody refused (550 5.1.1), grey deferred (450 4.2.0 greylisted).
RECIPIENTS = ["bob@example.com", "nobody@example.com", "grey@example.com"]
MESSAGE = b"From: alice@example.org\r\nSubject: hello\r\n\r\nHello.\r\n.leading dot\r\n"


def outcome(t):
    return {r.address: (r.status, r.code, r.reason) for r in t.recipients}


def policy():
    return Policy(refuse_prefix="nobody", defer_prefix="grey")


class Environment(unittest.TestCase):
    def test_ci_has_the_capture_tools(self):
        if not os.environ.get("CI"):
            self.skipTest("only enforced in CI (CI=true)")
        for tool in ("swaks", "curl"):
            self.assertIsNotNone(shutil.which(tool), "%s is not installed" % tool)


@needs_aiosmtpd
class LiveCaptures(unittest.TestCase):
    """Real tools against a real server, their output explained."""

    def check_mixed(self, t, fmt):
        self.assertEqual(t.format, fmt)
        got = outcome(t)
        self.assertEqual(got["nobody@example.com"], ("rejected", 550, "user_unknown"))
        self.assertEqual(got["grey@example.com"][:3], ("deferred", 450, "greylisted"))
        return got

    def test_swaks(self):
        if shutil.which("swaks") is None:
            self.skipTest("swaks is not installed (apt-get install swaks)")
        with SMTPServer(policy()) as srv:
            out = subprocess.run(
                ["swaks", "--server", "%s:%d" % (srv.host, srv.port), "--from", SENDER, "--to", ",".join(RECIPIENTS),
                 "--helo", "client.example.org"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout
        t = smtpreply.explain_log(out)
        got = self.check_mixed(t, "swaks")
        # swaks sends the message to the accepted recipient and quits.
        self.assertEqual(got["bob@example.com"][:2], ("accepted", 250))
        self.assertTrue(t.message_accepted)
        self.assertIsNotNone(t.queue_id)
        self.assertTrue(t.quit)
        self.assertEqual(t.checks, [], t.checks)
        self.assertEqual(t.first_failure.code, 550)
        self.assertEqual(t.first_failure.command, "RCPT")

    def test_curl(self):
        if shutil.which("curl") is None:
            self.skipTest("curl is not installed")
        with tempfile.NamedTemporaryFile(suffix=".eml") as f:
            f.write(MESSAGE)
            f.flush()
            with SMTPServer(policy()) as srv:
                # --mail-rcpt-allowfails: curl sends the message to the recipients that were accepted.
                args = ["curl", "-v", "--url", "smtp://%s:%d" % (srv.host, srv.port), "--mail-from", SENDER,
                        "--upload-file", f.name]
                for r in RECIPIENTS:
                    args += ["--mail-rcpt", r]
                plain = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout
                allow = subprocess.run(args + ["--mail-rcpt-allowfails"], stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, timeout=60).stdout
        # Plain curl gives up at the first refused recipient: the message is never sent.
        t = smtpreply.explain_log(plain)
        self.assertEqual(t.format, "curl")
        got = outcome(t)
        self.assertEqual(got["bob@example.com"][:2], ("pending", 250))
        self.assertEqual(got["nobody@example.com"], ("rejected", 550, "user_unknown"))
        self.assertNotIn("grey@example.com", got)
        self.assertFalse(t.message_accepted)
        self.assertTrue(t.message_outcome_known)
        t = smtpreply.explain_log(allow)
        got = self.check_mixed(t, "curl")
        self.assertEqual(got["bob@example.com"][:2], ("accepted", 250))
        self.assertTrue(t.message_accepted)

    def smtplib_capture(self, level, recipients):
        err = io.StringIO()
        with SMTPServer(policy()) as srv:
            with contextlib.redirect_stderr(err):
                s = smtplib.SMTP(srv.host, srv.port, local_hostname="client.example.org")
                s.set_debuglevel(level)
                try:
                    s.sendmail(SENDER, recipients, MESSAGE)
                except smtplib.SMTPException:
                    pass
                s.quit()
        return err.getvalue()

    def test_smtplib_debuglevel_1_and_2(self):
        for level in (1, 2):
            with self.subTest(level=level):
                t = smtpreply.explain_log(self.smtplib_capture(level, RECIPIENTS))
                got = self.check_mixed(t, "smtplib")
                self.assertEqual(got["bob@example.com"][:2], ("accepted", 250))
                self.assertTrue(t.message_accepted)
                # The message text as sent: dot-stuffed by smtplib, shown as one step.
                data = [s for s in t.steps if s.kind == "message_data"]
                self.assertEqual(len(data), 1)
                self.assertIn("..leading dot", data[0].text)
                self.assertTrue(t.quit)

    def test_smtplib_every_recipient_refused(self):
        t = smtpreply.explain_log(self.smtplib_capture(1, ["nobody@example.com"]))
        self.assertEqual(outcome(t), {"nobody@example.com": ("rejected", 550, "user_unknown")})
        self.assertFalse(t.message_accepted)
        self.assertTrue(t.message_outcome_known)


class Fixtures(unittest.TestCase):
    def test_corpus_against_expected_tsv(self):
        with open(os.path.join(FIXTURES, "expected.tsv")) as f:
            rows = [line.rstrip("\n").split("\t") for line in f if line.strip()][1:]
        self.assertGreaterEqual(len(rows), 50)
        for name, fmt, recipients, accepted, queue_id, _notes in rows:
            with self.subTest(file=name):
                with open(os.path.join(FIXTURES, name), "rb") as f:
                    t = smtpreply.explain_log(f.read())
                self.assertEqual(t.format, fmt)
                got = ["%s=%s:%s" % (r.address, r.status, r.code if r.code is not None else "-") for r in t.recipients]
                self.assertEqual(got, [] if recipients == "-" else recipients.split(" "))
                want = {"yes": (True, True), "no": (False, True), "unknown": (False, False)}[accepted]
                self.assertEqual((t.message_accepted, t.message_outcome_known), want)
                self.assertEqual(t.queue_id or "-", queue_id)
                for s in t.steps:
                    if s.kind == "auth_response":
                        self.assertIn(s.text, ("****", "*", "="))

    def test_samples(self):
        with open(os.path.join(SAMPLES, "connection-log.txt"), "rb") as f:
            t = smtpreply.explain_log(f.read())
        self.assertEqual(t.format, "server_client")
        self.assertEqual(outcome(t), {
            "anna@example.com": ("accepted", 250, "success"),
            "old.colleague@example.com": ("rejected", 550, "user_unknown"),
            "ben@example.com": ("deferred", 452, "mailbox_full"),
        })
        self.assertEqual(t.queue_id, "4XyZ7Q1kLmz")
        rcpt = t.steps[t.first_failure.answers]
        self.assertEqual((rcpt.kind, rcpt.command, rcpt.text), ("command", "RCPT", "RCPT TO:<old.colleague@example.com>"))
        with open(os.path.join(SAMPLES, "telnet-session.txt"), encoding="utf-8") as f:
            t = smtpreply.explain_log(f.read())  # str works too
        self.assertEqual(t.format, "arrows")
        self.assertEqual(outcome(t)["friend@example.net"], ("rejected", 550, "relay_denied"))


class Steps(unittest.TestCase):
    LOG = (b"S: 220 mx.example.com\nC: EHLO c\nS: 250-mx.example.com\nS: 250 AUTH PLAIN\n"
           b"C: AUTH PLAIN AHRpbQBwdw==\nS: 235 ok\nC: SEND FROM:<a@example.org>\nS: 502 5.5.1 not implemented\n"
           b"C: QUIT\nS: 221 bye\n")

    def test_fields(self):
        t = smtpreply.explain_log(self.LOG)
        self.assertEqual(t.format, "rfc")
        self.assertEqual([s.kind for s in t.steps][:4], ["reply", "command", "reply", "command"])
        greeting = t.steps[0]
        self.assertEqual((greeting.command, greeting.answers, greeting.code, greeting.line), ("GREETING", None, 220, 1))
        ehlo_reply = t.steps[2]
        self.assertEqual((ehlo_reply.command, ehlo_reply.answers, ehlo_reply.speaker), ("EHLO", 1, "server"))
        self.assertEqual(ehlo_reply.text, "250-mx.example.com\n250 AUTH PLAIN")
        self.assertEqual(ehlo_reply.classification.reason, "success")
        self.assertEqual(t.steps[3].text, "AUTH PLAIN ****")
        self.assertTrue(t.authenticated)
        self.assertEqual([c.kind for c in t.checks], ["credentials_in_clear", "obsolete_command"])
        self.assertIn("MAIL FROM", t.checks[1].message)
        refused = t.steps[t.checks[1].step + 1]
        self.assertEqual((refused.code, refused.command, refused.enhanced), (502, "SEND", (5, 5, 1)))
        self.assertFalse(refused.unexpected)
        self.assertIn("missing_quit", smtpreply.CHECK_KINDS.values())
        self.assertEqual(smtpreply.TRANSCRIPT_FORMATS[9], "bounce")

    def test_forced_format(self):
        t = smtpreply.explain_log(self.LOG, format="telnet")
        self.assertEqual(t.format, "telnet")
        self.assertEqual(smtpreply.explain_log(self.LOG, format=" RFC ").format, "rfc")


class BadInput(unittest.TestCase):
    def test_nothing_recognisable(self):
        for text in (b"", b"\x00\x01\xff\xfe\x80 binary", "lorem ipsum", b"\n\n\n"):
            t = smtpreply.explain_log(text)
            self.assertEqual((t.format, t.steps, t.recipients, t.queue_id), ("unknown", [], [], None))
            self.assertFalse(t.message_accepted or t.message_outcome_known)

    def test_types_and_options(self):
        for bad in (None, 42, ["S: 220"]):
            with self.assertRaises(TypeError):
                smtpreply.explain_log(bad)
        with self.assertRaises(smtpreply.InvalidInput):
            smtpreply.explain_log(b"x", format="thunderbird")
        with self.assertRaises(smtpreply.InvalidInput):
            smtpreply.explain_log(b"x", format="unknown")
        with self.assertRaises(TypeError):
            smtpreply.explain_log(b"x", format=3)
        with self.assertRaises(smtpreply.InvalidInput) as cm:
            smtpreply.explain_log(b"x", max_line=79)
        self.assertIn("max_line", str(cm.exception))
        with self.assertRaises(smtpreply.LimitExceeded):
            smtpreply.explain_log(b"S: 220 x\n" * 100, max_input=100)
        with self.assertRaises(TypeError):
            smtpreply.explain_log(b"x", max_input="big")
        with self.assertRaises(smtpreply.OutOfRange):
            smtpreply.explain_log(b"x", max_line=-1)

    def test_long_line_is_cut_and_reported(self):
        t = smtpreply.explain_log(b"S: 220 mx\nC: HELO a\nS: 250 " + b"x" * 5000 + b"\n", max_line=200)
        self.assertIn("line_too_long", [c.kind for c in t.checks])
        self.assertLessEqual(len(t.steps[-1].text), 200)

    def test_non_utf8_is_kept(self):
        t = smtpreply.explain_log(b"S: 220 mx\nC: HELO a\nS: 250 caf\xe9\nC: QUIT\nS: 221 bye\n")
        self.assertEqual(t.steps[2].text.encode("utf-8", "surrogateescape"), b"250 caf\xe9")


class StructLayout(unittest.TestCase):
    """Every field of the transcript structs at the offset the C compiler gives it."""

    STRUCTS = {
        "smtpreply_transcript_options": smtpreply._TranscriptOptions,
        "smtpreply_transcript_summary": smtpreply._TranscriptSummary,
        "smtpreply_transcript_step": smtpreply._TranscriptStep,
        "smtpreply_transcript_check": smtpreply._TranscriptCheck,
        "smtpreply_transcript_recipient": smtpreply._TranscriptRecipient,
        "smtpreply_transcript_message": smtpreply._TranscriptMessage,
    }

    def test_offsets_and_sizes_match_the_header(self):
        cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if cc is None:
            self.skipTest("no C compiler")
        lines = ["#include <stdio.h>", "#include <stddef.h>", "#include <smtpreply.h>", "int main(void) {"]
        for cname, cls in self.STRUCTS.items():
            lines.append('printf("%s %%zu\\n", sizeof(%s));' % (cname, cname))
            for f, _ in cls._fields_:
                lines.append('printf("%s.%s %%zu\\n", offsetof(%s, %s));' % (cname, f, cname, f))
        lines += ["return 0;", "}"]
        with tempfile.TemporaryDirectory() as d:
            src, exe = os.path.join(d, "layout.c"), os.path.join(d, "layout")
            with open(src, "w") as f:
                f.write("\n".join(lines))
            subprocess.run([cc, "-I", os.path.join(REPO, "include"), src, "-o", exe], check=True)
            out = subprocess.run([exe], stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout
        c = dict(line.split() for line in out.splitlines())
        for cname, cls in self.STRUCTS.items():
            self.assertEqual(int(c[cname]), smtpreply.sizeof(cls), cname)
            for f, _ in cls._fields_:
                self.assertEqual(int(c["%s.%s" % (cname, f)]), getattr(cls, f).offset, "%s.%s" % (cname, f))


if __name__ == "__main__":
    unittest.main()
