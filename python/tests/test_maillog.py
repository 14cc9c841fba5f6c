"""Tests of the mail log API of the Python binding: MailLog, maillog_summary, parse_maillog_line.

Run from the repository root:

    python3 -m unittest discover -s python/tests -t python -v

The sample logs are those of tests/data/maillog/ (the Rust tests read them line by line by hand):
every final outcome and its reason, the summary, domains, reply groups; the sources
maillog_summary takes (bytes, paths, binary files); chunking; the bounds; bad input.
"""

import io
import os
import pathlib
import random
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)

import smtpreply  # noqa: E402
from smtpreply import InvalidInput, MailLog, NotFound, OutOfRange, WrongState  # noqa: E402

DATA = os.path.join(os.path.dirname(PYDIR), "tests", "data", "maillog")


def sample(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


POSTFIX = sample("postfix.log")
POSTFIX_ISO = sample("postfix-iso.log")
EXIM = sample("exim_mainlog")


def read_all(data, chunks=None, **options):
    """Feeds `data` (whole, or cut at the sizes in `chunks`), takes records after every feed."""
    records = []
    with MailLog(**options) as log:
        at = 0
        sizes = iter(chunks or [len(data) or 1])
        while at < len(data):
            n = next(sizes, len(data))
            log.feed(data[at:at + n])
            records.extend(log.records())
            at += n
        log.finish()
        records.extend(log.records())
        return records, log.summary()


def by_recipient(records):
    out = {}
    for r in records:
        assert r.recipient not in out, r.recipient
        out[r.recipient] = r
    return out


class PostfixSample(unittest.TestCase):
    def setUp(self):
        self.records, self.summary = read_all(POSTFIX)
        self.rec = by_recipient(self.records)

    def test_summary(self):
        s = self.summary
        self.assertEqual((s.lines, s.postfix_lines, s.message_lines, s.lines_other, s.lines_too_long), (33, 13, 8, 12, 0))
        self.assertEqual((s.recipients, s.delivered, s.bounced, s.expired, s.deferred), (11, 4, 5, 1, 1))
        self.assertEqual((s.messages, s.deferrals, s.domains, s.open, s.evicted), (3, 4, 8, 0, 0))
        self.assertTrue(s.finished)
        self.assertEqual((s.first_timestamp, s.last_timestamp), (b"Mar  3 09:00:01", b"Mar  8 09:06:02"))
        self.assertEqual(sum(s.reasons.values()), s.recipients)
        self.assertEqual(s.reasons["success"], 4)
        self.assertEqual(s.reasons["user_unknown"], 2)
        self.assertEqual(set(s.reasons), set(smtpreply.REASON_NAMES))
        self.assertEqual(s.lines, s.lines_too_long + s.lines_other + s.postfix_lines + s.exim_lines + s.message_lines)

    def test_records(self):
        r = self.rec[b"alice@gmail.com"]
        self.assertEqual((r.format, r.status, r.line, r.deferrals), ("postfix", "delivered", 7, 0))
        self.assertEqual((r.host, r.program, r.transport, r.queue_id), (b"mx1", b"postfix/smtp", b"smtp", b"4Q9DkB1xYz"))
        self.assertEqual(r.relay, b"gmail-smtp-in.l.google.com[142.250.102.27]:25")
        self.assertEqual(r.dsn, (2, 0, 0))
        self.assertIsNone(r.classification)
        r = self.rec[b"no.such.user@gmail.com"]
        self.assertEqual((r.status, r.command, r.dsn), ("bounced", "RCPT", (5, 1, 1)))
        c = r.classification
        self.assertIsInstance(c, smtpreply.Classification)
        self.assertEqual((c.reason, c.bounce, c.code), ("user_unknown", "hard", 550))
        start, end = c.evidence_span
        self.assertTrue(r.text[start:end])
        # Deferred, then delivered: one final record.
        r = self.rec[b"bob@greylist.example"]
        self.assertEqual((r.status, r.deferrals, r.line), ("delivered", 1, 23))
        # Deferred, then the message expired: the cause is kept.
        r = self.rec[b"dave@gone.example"]
        self.assertEqual((r.status, r.classification.reason, r.timestamp), ("expired", "network_error", b"Mar  8 09:05:01"))
        self.assertTrue(r.text.endswith(b"Connection refused"))
        # Deferred twice, never settled.
        r = self.rec[b"erin@yahoo.com"]
        self.assertEqual((r.status, r.deferrals, r.classification.reason, r.command), ("deferred", 2, "rate_limited", "MAIL"))
        self.assertEqual(self.rec[b"Support@Shop.Example"].orig_recipient, b"help@shop.example")
        self.assertEqual(self.rec[b"heidi@shop.example"].classification.reason, "mailbox_full")
        self.assertEqual(len(self.records), 11)

    def test_tables(self):
        with MailLog() as log:
            log.feed(POSTFIX)
            log.finish()
            domains = log.domains()
            self.assertEqual([d.domain for d in domains[:3]], [b"shop.example", b"gmail.com", b"blocked.example"])
            self.assertEqual(domains[0][2:], (3, 2, 0, 1, 0, "mailbox_full", 1))
            self.assertEqual(sum(d.recipients for d in domains), 11)
            self.assertEqual(len(log.domains(limit=2)), 2)
            self.assertEqual(log.domain_reasons(1), {"success": 1, "user_unknown": 1})
            with self.assertRaises(OutOfRange):
                log.domain_reasons(len(domains))
            groups = log.groups()
            self.assertEqual(len(groups), 7)
            self.assertEqual((groups[0].reason, groups[0].code, groups[0].enhanced, groups[0].bounced), ("user_unknown", 550, (5, 1, 1), 1))
            self.assertTrue(all(g.example and g.explanation and g.advice and g.rule for g in groups))
            network = [g for g in groups if g.reason == "network_error"][0]
            self.assertEqual((network.code, network.enhanced, network.expired), (None, None, 1))
            self.assertEqual(log.reason_count("blocklisted"), 1)
            with self.assertRaises(NotFound):
                log.reason_count("nonsense")


class EximAndOthers(unittest.TestCase):
    def test_exim(self):
        records, s = read_all(EXIM)
        rec = by_recipient(records)
        self.assertEqual((s.exim_lines, s.recipients, s.delivered, s.bounced, s.expired, s.deferred), (13, 9, 4, 3, 1, 1))
        self.assertEqual(rec[b"alice.work@gmail.com"].status, "delivered")
        self.assertEqual(rec[b"carol@greylist.example"].deferrals, 2)
        erin = rec[b"erin@slow.example"]
        self.assertEqual((erin.status, erin.text, erin.classification.reason), ("expired", b"Connection timed out", "network_error"))
        news = rec[b"news"]
        self.assertEqual((news.orig_recipient, news.domain, news.format), (b"news@shop.example", b"shop.example", "exim"))

    def test_iso_and_crlf(self):
        records, s = read_all(POSTFIX_ISO)
        rec = by_recipient(records)
        self.assertEqual(rec[b"ivan@web.de"].timestamp, b"2024-03-03T09:00:03.123456+01:00")
        self.assertEqual(rec[b"mallory@example.net"].deferrals, 1)
        self.assertFalse(any(b"\r" in r.text for r in records))

    def test_chunking_does_not_matter(self):
        whole = read_all(POSTFIX + EXIM)
        rng = random.Random(7)
        for _ in range(20):
            sizes = [rng.randint(1, 300) for _ in range(200)]
            self.assertEqual(read_all(POSTFIX + EXIM, sizes), whole)
        self.assertEqual(read_all(POSTFIX + EXIM, [1] * (len(POSTFIX) + len(EXIM))), whole)


class Summary(unittest.TestCase):
    def test_sources(self):
        expected = smtpreply.maillog_summary(POSTFIX)
        self.assertEqual(expected.summary.recipients, 11)
        self.assertEqual(list(expected.reasons.items())[0], ("user_unknown", 2))
        self.assertNotIn("success", expected.reasons)
        path = os.path.join(DATA, "postfix.log")
        self.assertEqual(smtpreply.maillog_summary(path), expected)
        self.assertEqual(smtpreply.maillog_summary(pathlib.Path(path)), expected)
        self.assertEqual(smtpreply.maillog_summary(bytearray(POSTFIX), chunk_size=7), expected)
        self.assertEqual(smtpreply.maillog_summary(memoryview(POSTFIX)), expected)
        self.assertEqual(smtpreply.maillog_summary(io.BytesIO(POSTFIX), chunk_size=100), expected)
        with open(path, "rb") as f:
            self.assertEqual(smtpreply.maillog_summary(f), expected)

    def test_bad_sources(self):
        with self.assertRaises(TypeError):
            smtpreply.maillog_summary(io.StringIO(POSTFIX.decode()))
        with self.assertRaises(TypeError):
            smtpreply.maillog_summary(42)
        with self.assertRaises(FileNotFoundError):
            smtpreply.maillog_summary(os.path.join(DATA, "does-not-exist.log"))
        with self.assertRaises(ValueError):
            smtpreply.maillog_summary(POSTFIX, chunk_size=0)

    def test_options(self):
        # The first two domains to have a final outcome are kept (gmail.com, shop.example).
        r = smtpreply.maillog_summary(POSTFIX, max_domains=2)
        self.assertEqual((r.summary.domains, r.summary.domains_folded), (2, 6))
        self.assertEqual([d.domain for d in r.domains], [b"shop.example", b"gmail.com", None])
        self.assertTrue(r.domains[-1].other)
        self.assertEqual(r.domains[-1].recipients, 6)
        with self.assertRaises(OutOfRange):
            MailLog(max_line=100)
        with self.assertRaises(OutOfRange):
            MailLog(max_domains=0)
        with self.assertRaises(TypeError):
            MailLog(max_open="10")
        records, s = read_all(POSTFIX, summary_only=True)
        self.assertEqual((records, s.recipients), ([], 11))
        # Ten records become final while the whole log is fed: two are kept; one more at finish.
        records, s = read_all(POSTFIX, max_queued=2)
        self.assertEqual((len(records), s.records_dropped, s.recipients), (3, 8, 11))
        self.assertEqual([r.recipient for r in records], [b"grace@nxdomain.example", b"heidi@shop.example", b"erin@yahoo.com"])
        records, s = read_all(POSTFIX, max_open=1)
        self.assertEqual(s.open, 0)

    def test_large_line_garbage_and_empty(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "long.log")
            with open(path, "wb") as f:
                f.write(b"x" * (5 << 20))
                f.write(b"\n")
                f.write(POSTFIX)
            r = smtpreply.maillog_summary(path, max_line=4096)
            self.assertEqual((r.summary.lines, r.summary.lines_too_long, r.summary.recipients), (34, 1, 11))
        garbage = bytes(random.Random(3).getrandbits(8) for _ in range(200000))
        r = smtpreply.maillog_summary(garbage)
        self.assertEqual(r.summary.recipients, 0)
        self.assertEqual(r.summary.lines, r.summary.lines_other + r.summary.lines_too_long)
        self.assertGreater(r.summary.lines, 0)
        r = smtpreply.maillog_summary(b"")
        self.assertEqual((r.summary.lines, r.summary.bytes, r.domains, r.groups, r.reasons), (0, 0, [], [], {}))
        self.assertIsNone(r.summary.first_timestamp)


class Handles(unittest.TestCase):
    def test_misuse(self):
        log = MailLog()
        with self.assertRaises(TypeError):
            log.feed(POSTFIX.decode())
        log.feed(POSTFIX)
        log.finish()
        log.finish()
        with self.assertRaises(WrongState):
            log.feed(b"x")
        self.assertIn("recipients=11", repr(log))
        log.close()
        log.close()
        self.assertTrue(log.closed)
        self.assertEqual(repr(log), "<smtpreply.MailLog closed>")
        with self.assertRaises(ValueError):
            log.feed(b"x")
        with self.assertRaises(ValueError):
            log.summary()

    def test_parse_line(self):
        line = POSTFIX.splitlines()[7]
        r = smtpreply.parse_maillog_line(line)
        self.assertEqual((r.recipient, r.status, r.line, r.classification.reason), (b"no.such.user@gmail.com", "bounced", 0, "user_unknown"))
        self.assertEqual(smtpreply.parse_maillog_line(line + b"\r\n"), r)
        self.assertIsNone(smtpreply.parse_maillog_line(POSTFIX.splitlines()[0]))
        self.assertIsNone(smtpreply.parse_maillog_line(b""))
        self.assertIsNone(smtpreply.parse_maillog_line(b"\x00\xff garbage"))
        with self.assertRaises(InvalidInput):
            smtpreply.parse_maillog_line(POSTFIX)
        with self.assertRaises(TypeError):
            smtpreply.parse_maillog_line(line.decode())
        self.assertEqual(smtpreply.MAILLOG_STATUSES, {1: "delivered", 2: "deferred", 3: "bounced", 4: "expired"})


if __name__ == "__main__":
    unittest.main()
