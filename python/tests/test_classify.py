"""Tests of the classification API of the Python binding: classify, classify_many, Classification.

Run from the repository root:

    python3 -m unittest discover -s python/tests -t python -v

The same cases as c-examples/tests/test_classify.c: one clear reply per reason family, the command's
effect, a Postfix-wrapped reply, a parsed multi-line Gmail reply, classify_many against classify one
by one, and bad input. The rule tables are being edited: the replies are unambiguous ones, and rule
identifiers are only checked to be non-empty.
"""

import os
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)

import smtpreply  # noqa: E402
from smtpreply import Classification, Error, InvalidInput, LimitExceeded, NotFound, OutOfRange  # noqa: E402

MAX_INPUT = 64 * 1024

# (input, command, reason, bounce, retry, action, code, enhanced, a word of the evidence,
#  blocklist display name, blocklist name in the input, retry_after)
FAMILIES = [
    (b"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table", None,
     "user_unknown", "hard", False, "remove_recipient", 550, (5, 1, 1), b"unknown", None, None, None),
    (b"552 5.2.2 Mailbox full", None, "mailbox_full", "soft", True, "retry_later", 552, (5, 2, 2), b"full",
     None, None, None),
    (b"450 4.2.0 Greylisted, see http://postgrey.schweikert.ch/help/example.com.html", "RCPT", "greylisted",
     "soft", True, "retry_later", 450, (4, 2, 0), b"greylist", None, None, None),
    (b"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "RCPT",
     "blocklisted", "hard", False, "contact_receiver", 554, (5, 7, 1), b"spamhaus", "Spamhaus ZEN",
     b"zen.spamhaus.org", None),
    (b"421 4.7.0 Too many connections, try again in 5 minutes", None, "too_many_connections", "soft", True,
     "retry_later", 421, (4, 7, 0), b"connections", None, None, 300),
    (b"550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all "
     b"senders to authenticate with either SPF or DKIM.", "DATA-END", "sender_auth_failed", "hard", False,
     "fix_sender_setup", 550, (5, 7, 26), b"unauthenticated", None, None, None),
    (b"530 5.7.0 Must issue a STARTTLS command first", "MAIL", "tls_required", "hard", False, "fix_sender_setup",
     530, (5, 7, 0), b"starttls", None, None, None),
    (b"250 2.0.0 Ok: queued as ABC123", "DATA-END", "success", "none", False, "none", 250, (2, 0, 0), b"250",
     None, None, None),
    (b"552 5.3.4 Message size exceeds fixed limit", "DATA-END", "message_too_large", "hard", False, "fix_message",
     552, (5, 3, 4), b"size", None, None, None),
    (b"550 5.7.1 Relaying denied", "RCPT", "relay_denied", "hard", False, "fix_sender_setup", 550, (5, 7, 1),
     b"relay", None, None, None),
    (b"452 4.3.1 Insufficient system storage", "MAIL", "system_full", "soft", True, "retry_later", 452, (4, 3, 1),
     b"storage", None, None, None),
    (b"500 5.5.1 Command unrecognized", None, "syntax_error", "hard", False, "fix_client", 500, (5, 5, 1),
     b"unrecognized", None, None, None),
]

GMAIL_550 = (
    b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    b"550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    b"550-5.1.1 unnecessary spaces. For more information, go to\r\n"
    b"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567qkb.123 - gsmtp\r\n"
)
POSTFIX_WRAPPED = (b"host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b.c>: Recipient address rejected: "
                   b"User unknown (in reply to RCPT TO command)")

FIELDS = ("reason", "bounce", "retry", "action", "blocklist", "blocklist_id", "blocklist_span", "retry_after",
          "rule", "rule_kind", "rule_source", "evidence_span", "explanation", "advice", "code", "enhanced",
          "command", "consequence")


class ClassificationAssertions(unittest.TestCase):
    def assertWellFormed(self, c, data):
        """What every classification satisfies, whatever the reply."""
        self.assertIsInstance(c, Classification)
        self.assertIn(c.reason, smtpreply.REASON_NAMES)
        self.assertIn(c.bounce, ("none", "soft", "hard"))
        self.assertIn(c.action, smtpreply.ACTION_NAMES)
        self.assertIn(c.rule_kind, smtpreply.RULE_KIND_NAMES)
        self.assertIsInstance(c.retry, bool)
        self.assertIsInstance(c.consequence, bool)
        self.assertEqual(c.retry, c.bounce == "soft" and c.reason != "expired")
        for s in (c.rule, c.rule_source, c.explanation, c.advice):
            self.assertIsInstance(s, str)
            self.assertTrue(s)
        self.assertEqual(c.explanation, smtpreply.explain_reason(c.reason))
        self.assertEqual(c.advice, smtpreply.advice_reason(c.reason))
        for span in (c.evidence_span, c.blocklist_span):
            if span is not None:
                start, end = span
                self.assertTrue(0 <= start < end <= len(data), (span, len(data)))
        if c.blocklist is None:
            self.assertIsNone(c.blocklist_id)
            self.assertIsNone(c.blocklist_span)
        else:
            self.assertEqual(c.blocklist, smtpreply.BLOCKLIST_NAMES[c.blocklist_id])
        if c.code is not None:
            self.assertTrue(100 <= c.code <= 599)
        if c.enhanced is not None:
            self.assertEqual(len(c.enhanced), 3)
        if c.retry_after is not None:
            self.assertIsInstance(c.retry_after, int)

    def assertFamily(self, c, row):
        data, command, reason, bounce, retry, action, code, enhanced, word, bl, bl_text, retry_after = row
        self.assertWellFormed(c, data)
        got = (c.reason, c.bounce, c.retry, c.action, c.code, c.enhanced, c.blocklist, c.retry_after, c.consequence)
        self.assertEqual(got, (reason, bounce, retry, action, code, enhanced, bl, retry_after, False), data)
        if isinstance(command, str):
            self.assertEqual(c.command, smtpreply.command_name(smtpreply.command_from_name(command)))
        else:
            self.assertIsNone(c.command)
        self.assertIsNotNone(c.evidence_span, data)
        start, end = c.evidence_span
        self.assertIn(word, data[start:end].lower(), (data, c.evidence_span, c.rule))
        if bl_text is None:
            self.assertIsNone(c.blocklist_span)
        else:
            start, end = c.blocklist_span
            self.assertEqual(data[start:end], bl_text)
            self.assertEqual(c.blocklist_span, (data.index(bl_text), data.index(bl_text) + len(bl_text)))


# ------------------------------------------------------------------------------------------------
# Normal use
# ------------------------------------------------------------------------------------------------


class Families(ClassificationAssertions):
    def test_each_family(self):
        for row in FAMILIES:
            with self.subTest(reply=row[0][:40]):
                self.assertFamily(smtpreply.classify(row[0], row[1]), row)

    def test_blocklist(self):
        data = b"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"
        c = smtpreply.classify(data, "RCPT")
        self.assertEqual(c.reason, "blocklisted")
        self.assertEqual(c.blocklist, "Spamhaus ZEN")
        self.assertEqual(c.blocklist_id, 3)
        self.assertEqual(c.blocklist_span, (len(data) - 16, len(data)))
        self.assertEqual(data[slice(*c.blocklist_span)], b"zen.spamhaus.org")
        c = smtpreply.classify(b"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net")
        self.assertEqual((c.reason, c.blocklist, c.blocklist_id), ("blocklisted", "SpamCop", 8))
        c = smtpreply.classify(b"552 5.2.2 Mailbox full")
        self.assertEqual((c.blocklist, c.blocklist_id, c.blocklist_span), (None, None, None))

    def test_retry_after(self):
        self.assertEqual(smtpreply.classify(b"421 4.7.0 Too many connections, try again in 5 minutes").retry_after, 300)
        self.assertEqual(smtpreply.classify(b"451 4.7.1 Please try again in 1 hour", "RCPT").retry_after, 3600)
        self.assertIsNone(smtpreply.classify(b"552 5.2.2 Mailbox full").retry_after)

    def test_success(self):
        c = smtpreply.classify(b"250 2.0.0 Ok: queued as ABC123", "DATA-END")
        self.assertEqual((c.reason, c.bounce, c.retry, c.action, c.rule_kind), ("success", "none", False, "none", "success"))
        self.assertEqual(c.evidence_span, (0, 3))
        self.assertEqual(c.command, "DATA-END")
        c = smtpreply.classify(b"354 End data with <CR><LF>.<CR><LF>", "DATA")
        self.assertEqual((c.reason, c.code, c.enhanced), ("success", 354, None))

    def test_repr_is_readable(self):
        c = smtpreply.classify(b"421 4.7.0 Too many connections, try again in 5 minutes", "RCPT")
        r = repr(c)
        self.assertTrue(r.startswith("Classification(reason='too_many_connections', bounce='soft', retry=True, "
                                     "action='retry_later'"), r)
        for part in ("code=421", "enhanced=4.7.0", "command='RCPT'", "retry_after=300", c.rule):
            self.assertIn(part, r)
        self.assertLess(len(r), 300)  # explanation and advice are left out
        c = smtpreply.classify(b"554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org")
        self.assertIn("blocklist='Spamhaus ZEN'", repr(c))

    def test_equality_and_asdict(self):
        a = smtpreply.classify(b"552 5.2.2 Mailbox full")
        b = smtpreply.classify(bytearray(b"552 5.2.2 Mailbox full"))
        self.assertEqual(a, b)
        self.assertFalse(a != b)
        self.assertNotEqual(a, smtpreply.classify(b"552 5.2.2 Mailbox full", "RCPT"))
        self.assertNotEqual(a, "mailbox_full")
        d = a._asdict()
        self.assertEqual(tuple(d), FIELDS)
        self.assertEqual(d["reason"], "mailbox_full")
        self.assertEqual(Classification._fields, FIELDS)
        # Immutable and hashable; equal only to another Classification.
        self.assertEqual(hash(a), hash(b))
        self.assertEqual(len({a, b}), 1)
        with self.assertRaises(AttributeError):
            a.reason = "success"
        self.assertNotEqual(a, tuple(a))
        self.assertNotEqual(tuple(a), a)
        self.assertFalse(a == tuple(a))
        self.assertEqual(a._replace(reason="success").reason, "success")


class Commands(ClassificationAssertions):
    def test_mail_from_makes_an_address_problem_the_senders(self):
        c = smtpreply.classify(b"550 5.1.1 User unknown", "RCPT")
        self.assertEqual((c.reason, c.action, c.command), ("user_unknown", "remove_recipient", "RCPT"))
        for cmd in ("MAIL", "mail from", "MAIL FROM", smtpreply.command_from_name("MAIL")):
            c = smtpreply.classify(b"550 5.1.1 User unknown", cmd)
            self.assertEqual((c.reason, c.bounce, c.retry, c.action, c.command),
                             ("sender_rejected", "hard", False, "fix_sender_setup", "MAIL"), cmd)

    def test_command_names_and_numbers(self):
        data = b"552 5.2.2 Mailbox full"
        for cmd, name in (("RCPT", "RCPT"), ("rcpt to", "RCPT"), ("RCPT TO", "RCPT"), ("MAIL FROM", "MAIL"),
                          ("DATA-END", "DATA-END"), ("data", "DATA"), (5, "RCPT"), (0, None), (None, None),
                          ("GREETING", "GREETING")):
            self.assertEqual(smtpreply.classify(data, cmd).command, name, cmd)
        # Every number the library knows.
        for n in range(23):
            self.assertEqual(smtpreply.classify(data, n).command, smtpreply.command_name(n) if n else None)

    def test_bad_commands(self):
        data = b"552 5.2.2 Mailbox full"
        for bad in ("FOO", "", "RCPT\0", "RCPTX", "r\u00e9pt"):
            with self.assertRaises(InvalidInput) as cm:
                smtpreply.classify(data, bad)
            self.assertIsInstance(cm.exception, ValueError)
            self.assertIsInstance(cm.exception, Error)
            self.assertEqual(cm.exception.name, "SMTPREPLY_INVALID_INPUT")
        with self.assertRaises(InvalidInput) as cm:
            smtpreply.classify(data, 23)
        self.assertIn("23", cm.exception.message)
        with self.assertRaises(InvalidInput):
            smtpreply.classify(data, 0xFFFFFFFF)
        for bad in (-1, 1 << 32):
            with self.assertRaises(OutOfRange) as cm:
                smtpreply.classify(data, bad)
            self.assertIsInstance(cm.exception, ValueError)
        for bad in (True, 5.0, b"RCPT", ["RCPT"]):
            with self.assertRaises(TypeError):
                smtpreply.classify(data, bad)

    def test_postfix_wrapper_names_the_command(self):
        c = smtpreply.classify(POSTFIX_WRAPPED)
        self.assertEqual((c.reason, c.command, c.code, c.enhanced), ("user_unknown", "RCPT", 550, (5, 1, 1)))
        self.assertEqual(c.action, "remove_recipient")
        start, end = c.evidence_span
        self.assertGreater(start, POSTFIX_WRAPPED.index(b"said:"))
        self.assertIn(b"unknown", POSTFIX_WRAPPED[start:end].lower())
        c = smtpreply.classify(b"host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b.c>: User unknown "
                               b"(in reply to MAIL FROM command)")
        self.assertEqual((c.reason, c.command), ("sender_rejected", "MAIL"))
        # A command given wins over the wrapper's.
        c = smtpreply.classify(POSTFIX_WRAPPED, "MAIL")
        self.assertEqual((c.reason, c.command), ("sender_rejected", "MAIL"))


class Inputs(ClassificationAssertions):
    def test_parsed_reply(self):
        r = smtpreply.parse_reply(GMAIL_550)
        c = smtpreply.classify(r, "RCPT")
        self.assertWellFormed(c, r.raw)
        self.assertEqual((c.reason, c.bounce, c.retry, c.action, c.code, c.enhanced, c.command),
                         ("user_unknown", "hard", False, "remove_recipient", 550, (5, 1, 1), "RCPT"))
        self.assertEqual(c, smtpreply.classify(r.raw, "RCPT"))
        self.assertEqual(c, smtpreply.classify(GMAIL_550, "RCPT"))
        self.assertIsNotNone(c.evidence_span)
        # Replies from parse_replies (raw sliced lazily) classify the same.
        replies, rest = smtpreply.parse_replies(b"250 2.1.0 Ok\r\n" + GMAIL_550 + b"250 2.1.5 Ok\r\n")
        self.assertEqual(rest, b"")
        self.assertEqual(smtpreply.classify(replies[1], "RCPT"), c)
        self.assertEqual(smtpreply.classify(replies[0]).reason, "success")

    def test_bytes_like(self):
        data = b"552 5.2.2 Mailbox full"
        c = smtpreply.classify(data)
        self.assertEqual(smtpreply.classify(bytearray(data)), c)
        self.assertEqual(smtpreply.classify(memoryview(data)), c)
        self.assertEqual(smtpreply.classify(memoryview(b"xx" + data)[2:]), c)

    def test_str_and_other_types_are_refused(self):
        for bad in ("552 5.2.2 Mailbox full", None, 552, ["552 5.2.2 Mailbox full"]):
            with self.assertRaises(TypeError):
                smtpreply.classify(bad)

    def test_empty_and_blank(self):
        for bad in (b"", b" ", b"\r\n", b" \t\r\n  \r\n", bytearray()):
            with self.assertRaises(InvalidInput) as cm:
                smtpreply.classify(bad)
            self.assertIn("empty", cm.exception.message)
            self.assertEqual(cm.exception.code, 3)

    def test_limit(self):
        data = b"550 5.1.1 User unknown ".ljust(MAX_INPUT, b"x")
        self.assertEqual(smtpreply.classify(data).reason, "user_unknown")
        with self.assertRaises(LimitExceeded) as cm:
            smtpreply.classify(data + b"x")
        self.assertIn(str(MAX_INPUT + 1), cm.exception.message)
        self.assertEqual(cm.exception.name, "SMTPREPLY_LIMIT_EXCEEDED")

    def test_odd_bytes(self):
        data = b"550 5.1.1 \xff\xfe\x80 User unknown \xc0\xaf"
        c = smtpreply.classify(data, "RCPT")
        self.assertWellFormed(c, data)
        self.assertEqual(c.reason, "user_unknown")
        c = smtpreply.classify(b"552 5.2.2 Mailbox\0 full\0\0")
        self.assertEqual((c.code, c.bounce), (552, "soft"))
        self.assertEqual(smtpreply.classify(b"552 5.2.2 Mailbox full\0").reason, "mailbox_full")
        c = smtpreply.classify(b"\0")  # a NUL is not white space
        self.assertWellFormed(c, b"\0")
        self.assertIsNone(c.code)
        c = smtpreply.classify(b"hello")
        self.assertEqual((c.code, c.enhanced), (None, None))

    def test_strings_outlive_the_input(self):
        data = bytearray(b"421 4.7.0 Too many connections, try again in 5 minutes")
        c = smtpreply.classify(data)
        data[:] = b"\0" * len(data)
        del data
        self.assertEqual(c.reason, "too_many_connections")
        self.assertTrue(c.rule and c.rule_source and c.explanation and c.advice)


# ------------------------------------------------------------------------------------------------
# classify_many
# ------------------------------------------------------------------------------------------------


class Many(ClassificationAssertions):
    def test_three_with_and_without_commands(self):
        replies = [FAMILIES[0][0], FAMILIES[4][0], FAMILIES[3][0]]
        self.assertEqual(smtpreply.classify_many(replies), [smtpreply.classify(r) for r in replies])
        commands = ["MAIL", "GREETING", 5]
        many = smtpreply.classify_many(replies, commands)
        self.assertEqual(many, [smtpreply.classify(r, c) for r, c in zip(replies, commands)])
        self.assertEqual(many[0].reason, "sender_rejected")
        self.assertEqual(many[1].command, "GREETING")
        # Spans are relative to each reply.
        self.assertEqual(replies[2][slice(*many[2].blocklist_span)], b"zen.spamhaus.org")
        # One command for all.
        self.assertEqual(smtpreply.classify_many(replies, "RCPT"), [smtpreply.classify(r, "RCPT") for r in replies])
        self.assertEqual(smtpreply.classify_many(replies, 5), [smtpreply.classify(r, 5) for r in replies])

    def test_families(self):
        many = smtpreply.classify_many([row[0] for row in FAMILIES], [row[1] for row in FAMILIES])
        self.assertEqual(len(many), len(FAMILIES))
        for c, row in zip(many, FAMILIES):
            self.assertFamily(c, row)

    def test_thousand(self):
        pool = [row[0] for row in FAMILIES] + [GMAIL_550, POSTFIX_WRAPPED, b"\xff\0 odd", b"hello"]
        replies = [pool[(i * 7) % len(pool)] + (b" #%d" % i if i % 3 else b"") for i in range(1000)]
        names = [None, "RCPT", "MAIL", "DATA-END", 0, 5]
        commands = [names[i % len(names)] for i in range(1000)]
        self.assertEqual(smtpreply.classify_many(replies), [smtpreply.classify(r) for r in replies])
        self.assertEqual(smtpreply.classify_many(replies, commands),
                         [smtpreply.classify(r, c) for r, c in zip(replies, commands)])

    def test_inputs(self):
        r = smtpreply.parse_reply(GMAIL_550)
        replies = [b"552 5.2.2 Mailbox full", bytearray(b"250 2.1.5 Ok"), memoryview(b"550 5.7.1 Relaying denied"), r]
        expected = [smtpreply.classify(x) for x in replies]
        self.assertEqual(smtpreply.classify_many(replies), expected)
        self.assertEqual(smtpreply.classify_many(tuple(replies)), expected)
        self.assertEqual(smtpreply.classify_many(iter(replies)), expected)
        self.assertEqual(smtpreply.classify_many([]), [])
        self.assertEqual(smtpreply.classify_many([], "RCPT"), [])
        self.assertEqual(smtpreply.classify_many([], []), [])

    def test_bad_input(self):
        good = b"552 5.2.2 Mailbox full"
        with self.assertRaises(InvalidInput) as cm:
            smtpreply.classify_many([good, b"  \r\n", good])
        self.assertIn("reply 1", cm.exception.message)
        with self.assertRaises(InvalidInput) as cm:
            smtpreply.classify_many([good, good, b""])
        self.assertIn("reply 2", cm.exception.message)
        with self.assertRaises(LimitExceeded) as cm:
            smtpreply.classify_many([good, b"x" * (MAX_INPUT + 1)])
        self.assertIn("reply 1", cm.exception.message)
        self.assertEqual(len(smtpreply.classify_many([good, b"x" * MAX_INPUT])), 2)
        with self.assertRaises(InvalidInput) as cm:
            smtpreply.classify_many([good, good], [5, 23])
        self.assertIn("reply 1", cm.exception.message)
        with self.assertRaises(InvalidInput):
            smtpreply.classify_many([good, good], ["RCPT", "NOPE"])
        with self.assertRaises(InvalidInput):
            smtpreply.classify_many([good], "NOPE")
        with self.assertRaises(ValueError):
            smtpreply.classify_many([good, good], ["RCPT"])
        with self.assertRaises(ValueError):
            smtpreply.classify_many([], ["RCPT"])
        for bad in ([good, "552 5.2.2 Mailbox full"], [None], [552]):
            with self.assertRaises(TypeError):
                smtpreply.classify_many(bad)
        for bad in (good, "552 5.2.2 Mailbox full", bytearray(good), None, 5):
            with self.assertRaises(TypeError):
                smtpreply.classify_many(bad)

    def test_one_ffi_call(self):
        """classify_many calls smtpreply_classify_many once, and never smtpreply_classify."""
        calls = []
        real_many = smtpreply._classify_many
        real_one = smtpreply._classify

        def counting_many(*args):
            calls.append(args[3])  # count
            return real_many(*args)

        def forbidden(*args):
            raise AssertionError("classify_many called smtpreply_classify")

        smtpreply._classify_many = counting_many
        smtpreply._classify = forbidden
        try:
            replies = [row[0] for row in FAMILIES] * 100
            out = smtpreply.classify_many(replies, "RCPT")
            self.assertEqual(calls, [len(replies)])
            smtpreply.classify_many([])
            self.assertEqual(calls, [len(replies)])  # no call for an empty list
        finally:
            smtpreply._classify_many = real_many
            smtpreply._classify = real_one
        self.assertEqual(out, [smtpreply.classify(r, "RCPT") for r in replies])


# ------------------------------------------------------------------------------------------------
# Names
# ------------------------------------------------------------------------------------------------


class Names(unittest.TestCase):
    def test_tables(self):
        self.assertEqual(len(smtpreply.REASON_NAMES), 26)
        self.assertEqual(smtpreply.REASON_NAMES[:4], ("success", "user_unknown", "mailbox_disabled", "mailbox_full"))
        self.assertEqual(smtpreply.REASON_NAMES[-1], "unknown")
        self.assertEqual(smtpreply.BOUNCE_NAMES, ("none", "soft", "hard"))
        self.assertEqual(smtpreply.ACTION_NAMES, ("none", "retry_later", "remove_recipient", "fix_sender_setup",
                                                  "fix_message", "contact_receiver", "fix_client"))
        self.assertEqual(smtpreply.RULE_KIND_NAMES,
                         ("success", "provider", "phrase", "enhanced_code", "reply_code", "class_digit"))
        self.assertEqual(smtpreply.BLOCKLIST_NAMES[1], "other DNS blocklist")
        self.assertEqual(smtpreply.BLOCKLIST_NAMES[3], "Spamhaus ZEN")
        # 1 up to the last list, at least 30 (the table grows), all distinct.
        n = len(smtpreply.BLOCKLIST_NAMES)
        self.assertGreaterEqual(n, 30)
        self.assertEqual(sorted(smtpreply.BLOCKLIST_NAMES), list(range(1, n + 1)))
        self.assertEqual(len(set(smtpreply.BLOCKLIST_NAMES.values())), n)
        self.assertTrue(all(smtpreply.BLOCKLIST_NAMES.values()))

    def test_reason_names_round_trip(self):
        for i, name in enumerate(smtpreply.REASON_NAMES):
            self.assertEqual(smtpreply._reason_number(name), i)
            self.assertTrue(smtpreply.explain_reason(name))
            self.assertTrue(smtpreply.advice_reason(name))
            self.assertNotEqual(smtpreply.explain_reason(name), smtpreply.advice_reason(name))
        for bad in ("nonsense", "", "USER_UNKNOWN", "user_unknown ", "a\0b"):
            with self.assertRaises(NotFound):
                smtpreply.explain_reason(bad)
        with self.assertRaises(TypeError):
            smtpreply.explain_reason(1)


# ------------------------------------------------------------------------------------------------
# Threads
# ------------------------------------------------------------------------------------------------


class Threads(ClassificationAssertions):
    def test_classify_from_8_threads(self):
        expected = [smtpreply.classify(row[0], row[1]) for row in FAMILIES]
        inputs = [row[0] for row in FAMILIES]
        commands = [row[1] for row in FAMILIES]
        errors = []

        def work(k):
            try:
                for it in range(200):
                    i = (it + k) % len(FAMILIES)
                    if smtpreply.classify(inputs[i], commands[i]) != expected[i]:
                        errors.append((k, i))
                    if it % 20 == 0 and smtpreply.classify_many(inputs, commands) != expected:
                        errors.append((k, "many"))
            except Exception as e:  # pragma: no cover - reported below
                errors.append((k, repr(e)))

        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


# ------------------------------------------------------------------------------------------------
# Regressions: bugs these tests found, fixed (see c-examples/tests/test_classify.c regressions)
# ------------------------------------------------------------------------------------------------


class Regressions(unittest.TestCase):
    """The evidence span used to be the first case-insensitive occurrence of the rule's first
    fragment (or of the code's digits) anywhere in the input, not where the rule matched."""

    def test_evidence_of_a_wrapped_250_is_not_in_the_ip_address(self):
        data = (b"host mx.example.com[203.0.113.250] said: 250 2.0.0 Ok: queued as ABC123 "
                b"(in reply to end of DATA command)")
        c = smtpreply.classify(data)
        self.assertEqual(c.reason, "success")
        at = data.index(b"said: 250") + 6
        self.assertEqual(c.evidence_span, (at, at + 3))

    def test_evidence_of_spam_is_not_in_the_host_name(self):
        data = (b"host mx.spamexperts.com[192.0.2.1] said: 550 5.7.1 Message rejected as spam "
                b"(in reply to end of DATA command)")
        c = smtpreply.classify(data)
        self.assertEqual(c.reason, "spam_detected")
        self.assertGreater(c.evidence_span[0], data.index(b"said:"))


if __name__ == "__main__":
    unittest.main()
