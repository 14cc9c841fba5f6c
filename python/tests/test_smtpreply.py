"""Tests of the Python binding (python/smtpreply.py) through ctypes.

Run from the repository root:

    python3 -m unittest discover -s python/tests -t python -v

Every row of shared/reference/tricky-replies.md is here, with the values tests/tricky_replies.rs and
tests/ehlo.rs assert on the Rust side, plus bad inputs, streams, batches, capabilities and the code
tables. The library is found as the module finds it (SMTPREPLY_LIB, then target/release ...).
"""

import gc
import os
import re
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)

import smtpreply  # noqa: E402
from smtpreply import (  # noqa: E402
    Error,
    InvalidInput,
    LimitExceeded,
    NotFound,
    OutOfRange,
    StrictViolation,
    Truncated,
)


def one(data, **opts):
    """A complete reply (the test fails when there is none), checked against parse_replies."""
    r = smtpreply.parse_reply(data, **opts)
    if r is None:
        raise AssertionError("no complete reply in %r" % (data,))
    replies, _ = smtpreply.parse_replies(data, **opts)
    assert replies[0] == r, (replies[0], r)
    return r


class ReplyAssertions(unittest.TestCase):
    def assertReply(self, r, code, lines, enhanced=None, warnings=(), consumed=None):
        self.assertEqual(r.code, code)
        self.assertEqual(r.lines, list(lines))
        self.assertEqual(r.enhanced, enhanced)
        self.assertEqual(r.warnings, list(warnings))
        if consumed is not None:
            self.assertEqual(r.consumed, consumed)
            self.assertEqual(len(r.raw), consumed)


# ------------------------------------------------------------------------------------------------
# Every row of tricky-replies.md
# ------------------------------------------------------------------------------------------------


class TrickyRows(ReplyAssertions):
    def test_row01_multiline_ehlo_style(self):
        data = b"250-me\r\n250-8BITMIME\r\n250-SIZE 42\r\n250 AUTH PLAIN CRAM-MD5\r\n"
        r = one(data)
        self.assertReply(r, 250, [b"me", b"8BITMIME", b"SIZE 42", b"AUTH PLAIN CRAM-MD5"], consumed=len(data))
        self.assertEqual(r.raw, data)
        self.assertEqual(r.line_codes, [250] * 4)
        self.assertEqual(r.text, b"me\n8BITMIME\nSIZE 42\nAUTH PLAIN CRAM-MD5")

    def test_row02_invalid_separator(self):
        with self.assertRaises(InvalidInput) as cm:
            smtpreply.parse_reply(b"2506-me\r\n250 OK\r\n")
        e = cm.exception
        self.assertEqual(e.code, 3)
        self.assertEqual(e.name, "SMTPREPLY_INVALID_INPUT")
        self.assertIn("byte 0", e.message)
        self.assertIn("hyphen", e.message)
        with self.assertRaises(InvalidInput):
            smtpreply.parse_replies(b"2506-me\r\n250 OK\r\n")

    def test_row03_incomplete_consumes_nothing(self):
        data = b"250-me\r\n250-AUTH PLAIN\r\n"
        self.assertIsNone(smtpreply.parse_reply(data))
        self.assertEqual(smtpreply.parse_replies(data), ([], data))

    def test_row04_enhanced_on_every_line(self):
        r = one(b"550-5.7.25 [203.0.113.1] The IP address...\r\n550-5.7.25 PTR record...\r\n"
                b"550 5.7.25 match the sending IP.\r\n")
        self.assertReply(r, 550, [b"[203.0.113.1] The IP address...", b"PTR record...", b"match the sending IP."],
                         enhanced=(5, 7, 25))
        self.assertEqual(r.enhanced_str, "5.7.25")
        self.assertEqual(r.line_enhanced, [(5, 7, 25)] * 3)

    def test_row05_differing_enhanced_codes(self):
        data = b"550-5.7.2 first line\r\n550 5.7.25 second line\r\n"
        r = one(data)
        self.assertEqual(r.enhanced, (5, 7, 2))
        self.assertEqual(r.line_enhanced, [(5, 7, 2), (5, 7, 25)])
        self.assertIn("enhanced_mismatch", r.warnings)
        self.assertEqual(r.lines, [b"first line", b"second line"])
        with self.assertRaises(StrictViolation) as cm:
            smtpreply.parse_reply(data, strict=True)
        self.assertEqual(cm.exception.code, 10)

    def test_row06_class_mismatch_stays_text(self):
        r = one(b"550-4.7.1 first line\r\n550 4.7.1 second line\r\n")
        self.assertIsNone(r.enhanced)
        self.assertEqual(r.lines, [b"4.7.1 first line", b"4.7.1 second line"])
        self.assertIn("enhanced_class_mismatch", r.warnings)
        self.assertEqual(r.line_enhanced, [None, None])

    def test_row07_bare_lf(self):
        r = one(b"250 2.1.1 Originator <ned@ymir.claremont.edu> ok\n")
        self.assertReply(r, 250, [b"Originator <ned@ymir.claremont.edu> ok"], enhanced=(2, 1, 1),
                         warnings=["bare_lf"])
        with self.assertRaises(StrictViolation) as cm:
            smtpreply.parse_reply(b"250 OK\n", strict=True)
        self.assertIn("bare LF", cm.exception.message)

    def test_row08_class_six_is_text(self):
        r = one(b"432-6.8.9\n432-6.8.9 Hello\n432 6.8.9 World!\n")
        self.assertReply(r, 432, [b"6.8.9", b"6.8.9 Hello", b"6.8.9 World!"], warnings=["bare_lf"])

    def test_row09_numbers_that_are_not_enhanced_codes(self):
        for data in (b"250 2address.org\r\n", b"250 100.address.org\r\n", b"250 99999999999999\r\n"):
            with self.subTest(data=data):
                self.assertReply(one(data), 250, [data[4:-2]])

    def test_row10_code_only_line_ends_the_reply(self):
        data = b"250-Missing space\n250\n250 Ignore this"
        r = one(data)
        self.assertEqual(r.lines, [b"Missing space", b""])
        self.assertEqual(r.consumed, len(b"250-Missing space\n250\n"))
        self.assertIn("bare_lf", r.warnings)
        self.assertIsNone(smtpreply.parse_reply(data, offset=r.consumed))
        self.assertIsNone(smtpreply.parse_reply(data[r.consumed:]))
        replies, rest = smtpreply.parse_replies(data)
        self.assertEqual(len(replies), 1)
        self.assertEqual(rest, b"250 Ignore this")

    def test_row11_error_reply_is_not_capabilities(self):
        data = b"523-Massive\r\n523-Error\r\n523 Message\r\n"
        self.assertReply(one(data), 523, [b"Massive", b"Error", b"Message"])  # a reply ...
        with self.assertRaises(InvalidInput) as cm:  # ... but no EHLO success
            smtpreply.capabilities(data)
        self.assertIn("523", cm.exception.message)
        self.assertEqual(cm.exception.name, "SMTPREPLY_INVALID_INPUT")
        with self.assertRaises(Truncated):
            smtpreply.capabilities(b"250-mx\r\n250-SIZE")
        with self.assertRaises(InvalidInput):
            smtpreply.capabilities(b"HTTP/1.1 200 OK\r\n")

    def test_row12_continuation_without_code(self):
        data = b"230-Anonymous access\r\nRead the file README.txt,\r\n230  please\r\n"
        r = one(data)
        self.assertEqual(r.code, 230)
        self.assertEqual(r.lines, [b"Anonymous access", b"Read the file README.txt,", b" please"])
        self.assertEqual(r.line_codes, [230, 0, 230])
        self.assertIn("missing_code", r.warnings)
        with self.assertRaises(StrictViolation) as cm:
            smtpreply.parse_reply(data, strict=True)
        self.assertIn("byte 22", cm.exception.message)

    def test_row13_plain_multiline(self):
        self.assertReply(one(b"400-A\r\n400-B\r\n400 C\r\n"), 400, [b"A", b"B", b"C"])

    def test_row14_multiline_greeting(self):
        r = one(b"220-Greetings, stranger\r\n220 smtp.domain.example ESMTP ready\r\n")
        self.assertReply(r, 220, [b"Greetings, stranger", b"smtp.domain.example ESMTP ready"])

    def test_row15_code_alone(self):
        for data, n in ((b"502\r\n", 1), (b"334\r\n", 1), (b"500-Line one\r\n500-Line two\r\n500\r\n", 3)):
            with self.subTest(data=data):
                r = one(data)
                self.assertEqual(len(r.lines), n)
                self.assertEqual(r.lines[-1], b"")
                self.assertEqual(r.warnings, [])
                self.assertEqual(r.consumed, len(data))

    def test_row16_code_mismatch(self):
        for data, code in ((b"250-smtp.domain.example\r\n220\r\n", 250), (b"200-Line one\r\n500 Line two\r\n", 200)):
            with self.subTest(data=data):
                r = one(data)
                self.assertEqual(r.code, code)
                self.assertIn("code_mismatch", r.warnings)
                with self.assertRaises(StrictViolation):
                    smtpreply.parse_reply(data, strict=True)

    def test_row17_malformed_ehlo_lines_skipped(self):
        for bad in ("KEY:WORD", "KEYWORD ", "KEYWORD para\tmeter"):
            with self.subTest(bad=bad):
                data = ("250-mx.example.com\r\n250-PIPELINING\r\n250-%s\r\n250 8BITMIME\r\n" % bad).encode()
                caps = smtpreply.capabilities(data)
                self.assertIn("malformed_line", caps.warnings)
                self.assertEqual(caps.keywords, ["PIPELINING", "8BITMIME"])
                self.assertEqual(len(caps), 2)
                self.assertTrue(caps.has("PIPELINING") and caps.has("8bitmime"))
                self.assertFalse(caps.has("KEYWORD") or caps.has("KEY"))

    def test_row18_empty_text_lines_kept(self):
        self.assertEqual(one(b"500-\r\n500 Line two\r\n").lines, [b"", b"Line two"])
        self.assertEqual(one(b"200 \r\n").lines, [b""])

    def test_row19_not_a_reply_code(self):
        for data in (b"611\r\n", b"199 x\r\n", b"20x\r\n", b"25 OK\r\n", b" 250 OK\r\n"):
            with self.subTest(data=data):
                with self.assertRaises(InvalidInput) as cm:
                    smtpreply.parse_reply(data)
                self.assertIn("does not start with a reply code", cm.exception.message)
                with self.assertRaises(InvalidInput):
                    smtpreply.parse_replies(data)

    def test_row20_second_digit_out_of_grammar(self):
        for data in (b"280 Something\r\n", b"260 x\r\n"):
            with self.subTest(data=data):
                self.assertEqual(one(data).warnings, ["code_out_of_grammar"])
                with self.assertRaises(StrictViolation):
                    smtpreply.parse_reply(data, strict=True)

    def test_row21_non_ascii_bytes_kept(self):
        self.assertReply(one(b"200 \xc3\xbcber\r\n"), 200, [b"\xc3\xbcber"], warnings=["non_ascii"])
        gbk = b"535 Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc\r\n"
        r = one(gbk)
        self.assertReply(r, 535, [gbk[4:-2]], warnings=["non_ascii"])
        self.assertEqual(r.raw, gbk)

    def test_row22_malformed_enhanced_codes(self):
        for data in (b"250 5.0.0 text\r\n", b"250 2.1000.0 Text\r\n", b"250 2.0.1000 Text\r\n", b"550 5.01.1 x\r\n"):
            with self.subTest(data=data):
                r = one(data)
                self.assertIsNone(r.enhanced)
                self.assertEqual(r.lines, [data[4:-2]])
        self.assertEqual(one(b"250 5.0.0 text\r\n").warnings, ["enhanced_class_mismatch"])

    def test_row23_no_enhanced_code(self):
        self.assertIsNone(one(b"550 Request failed; Mailbox unavailable\r\n").enhanced)
        self.assertIsNone(one(b"354 Ok Send data\r\n").enhanced)

    def test_row24_enhanced_from_first_line(self):
        r = one(b"550-5.2.1 Request failed\r\n550 Mailbox unavailable\r\n")
        self.assertEqual(r.enhanced, (5, 2, 1))
        self.assertIn("enhanced_partial", r.warnings)
        self.assertEqual(r.line_enhanced, [(5, 2, 1), None])

    def test_row25_legacy_equals(self):
        caps = smtpreply.capabilities(
            b"250-mx\r\n250-XVERP=Courier\r\n250-AUTH=PLAIN LOGIN\r\n250 AUTH LOGIN CRAM-MD5\r\n")
        self.assertEqual(caps.params("XVERP"), ["Courier"])
        self.assertEqual(caps.params("xverp"), ["Courier"])
        self.assertNotIn("XVERP", caps.extensions)
        self.assertEqual(caps.auth, ["PLAIN", "LOGIN", "CRAM-MD5"])
        self.assertTrue(caps.supports_auth("cram-md5"))
        self.assertIn("legacy_equals", caps.warnings)
        self.assertNotIn("duplicate_keyword", caps.warnings)

    def test_row26_endless_multiline_fails_fast_with_bounded_memory(self):
        max_reply = 65536
        chunk = b"220-x\r\n" * 1000
        with smtpreply.Stream() as s:
            fed = 0
            with self.assertRaises(LimitExceeded) as cm:
                while True:
                    s.feed(chunk)  # never full: parsing drains it
                    fed += len(chunk)
                    self.assertIsNone(s.next())
                    self.assertLess(fed, 10 * max_reply, "the error must come soon after the cap")
            self.assertIn("65536", cm.exception.message)
            self.assertLessEqual(s.pending, max_reply + len(chunk))
            self.assertGreater(s.pending, max_reply - len(chunk))
        # A smaller cap, a single parse call, and a batch.
        data = b"220-x\r\n" * 100
        with self.assertRaises(LimitExceeded):
            smtpreply.parse_reply(data, max_reply=100)
        with self.assertRaises(LimitExceeded):
            smtpreply.parse_replies(data, max_reply=100)
        self.assertIsNone(smtpreply.parse_reply(data))  # under the default cap: still incomplete

    def test_row27_hash_prefixed_code_is_text(self):
        self.assertReply(one(b"550 #5.1.0 Address rejected.\r\n"), 550, [b"#5.1.0 Address rejected."])

    def test_row28_blank_capability_line(self):
        caps = smtpreply.capabilities(b"250-mx\r\n250- \r\n250 OK\r\n")
        self.assertEqual(caps.keywords, ["OK"])
        self.assertTrue(caps.has("ok"))
        self.assertIn("malformed_line", caps.warnings)

    def test_row29_no_cr_in_text(self):
        self.assertEqual(one(b"250 \r\n").lines, [b""])
        self.assertEqual(one(b"250-\r\n250 OK\r\n").lines, [b"", b"OK"])

    def test_row30_bare_cr_inside_text(self):
        self.assertReply(one(b"250 OK\rmore\r\n"), 250, [b"OK\rmore"], warnings=["bare_cr"])

    def test_row31_code_mismatch_does_not_panic(self):
        r = one(b"250-a\r\n251 b\r\n")
        self.assertEqual(r.code, 250)
        self.assertEqual(r.line_codes, [250, 251])
        self.assertIn("code_mismatch", r.warnings)

    def test_row32_long_line_and_cap(self):
        line = b"250 " + b"x" * 4994 + b"\r\n"
        self.assertEqual(len(line), 5000)
        with self.assertRaises(LimitExceeded) as cm:
            smtpreply.parse_reply(line)
        self.assertIn("4096", cm.exception.message)
        r = one(line, max_line=8192)
        self.assertEqual(len(r.lines[0]), 4994)
        self.assertEqual(r.warnings, ["long_line"])
        with self.assertRaises(LimitExceeded):
            smtpreply.parse_reply(line[:4097])
        self.assertIsNone(smtpreply.parse_reply(line[:4096]))

    def test_row33_size_overflow_flagged_not_truncated(self):
        caps = smtpreply.capabilities(b"250-mx\r\n250 SIZE 99999999999999999999999\r\n")
        self.assertTrue(caps.has("SIZE"))
        self.assertIsNone(caps.size)
        self.assertEqual(caps.size_status, "invalid")
        self.assertIn("size_invalid", caps.warnings)
        self.assertEqual(caps.params("SIZE"), ["99999999999999999999999"])

    def test_row34_cr_at_end_of_input(self):
        self.assertIsNone(smtpreply.parse_reply(b"200\r"))
        self.assertEqual(smtpreply.parse_replies(b"200\r"), ([], b"200\r"))
        with smtpreply.Stream() as s:
            s.feed(b"200\r")
            self.assertIsNone(s.next())
            with self.assertRaises(Truncated) as cm:
                s.finish()
            self.assertEqual(cm.exception.code, 9)
            self.assertIn("4 bytes", cm.exception.message)
            s.feed(b"\n")
            self.assertReply(s.next(), 200, [b""], consumed=5)
            s.finish()  # nothing pending: no error


# ------------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------------


class BadInputs(ReplyAssertions):
    def test_str_instead_of_bytes(self):
        for call in (
            lambda: smtpreply.parse_reply("250 OK\r\n"),
            lambda: smtpreply.parse_replies("250 OK\r\n"),
            lambda: smtpreply.Stream().feed("250 OK\r\n"),
            lambda: smtpreply.capabilities("250 mx\r\n"),
            lambda: smtpreply.parse_reply(None),
            lambda: smtpreply.parse_reply(250),
            lambda: smtpreply.parse_replies([b"250 OK\r\n"]),
        ):
            with self.assertRaises(TypeError):
                call()

    def test_bytearray_and_memoryview_accepted(self):
        data = b"250-a\r\n250 2.0.0 b\r\n221 Bye\r\n"
        expected = smtpreply.parse_replies(data)
        for buf in (bytearray(data), memoryview(data), memoryview(b"xx" + data)[2:]):
            with self.subTest(type=type(buf).__name__):
                self.assertEqual(smtpreply.parse_reply(buf), expected[0][0])
                replies, rest = smtpreply.parse_replies(buf)
                self.assertEqual(replies, expected[0])
                self.assertIs(type(rest), bytes)
                self.assertIs(type(replies[0].lines[0]), bytes)
                with smtpreply.Stream() as s:
                    s.feed(buf)
                    self.assertEqual(list(s), expected[0])
        caps = smtpreply.capabilities(bytearray(b"250-mx\r\n250 STARTTLS\r\n"))
        self.assertEqual(caps.keywords, ["STARTTLS"])

    def test_empty_input(self):
        self.assertIsNone(smtpreply.parse_reply(b""))
        self.assertEqual(smtpreply.parse_replies(b""), ([], b""))
        with smtpreply.Stream() as s:
            s.feed(b"")
            self.assertIsNone(s.next())
            self.assertEqual(s.pending, 0)
            s.finish()
        with self.assertRaises(Truncated):
            smtpreply.capabilities(b"")

    def test_truncated_input(self):
        full = b"550-5.1.1 No such user\r\n550 5.1.1 Bye\r\n"
        for n in range(len(full)):
            with self.subTest(n=n):
                self.assertIsNone(smtpreply.parse_reply(full[:n]))
                self.assertEqual(smtpreply.parse_replies(full[:n]), ([], full[:n]))
        with smtpreply.Stream() as s:
            s.feed(full[:-1])
            self.assertIsNone(s.next())
            self.assertEqual(s.pending, len(full) - 1)
            with self.assertRaises(Truncated):
                s.finish()

    def test_oversized(self):
        huge = b"250 " + b"x" * 100000 + b"\r\n"
        with self.assertRaises(LimitExceeded) as cm:
            smtpreply.parse_reply(huge)
        self.assertEqual(cm.exception.name, "SMTPREPLY_LIMIT_EXCEEDED")
        self.assertIn("line", cm.exception.message)
        with self.assertRaises(LimitExceeded):
            smtpreply.parse_replies(huge)
        with self.assertRaises(LimitExceeded):  # even without its end
            smtpreply.parse_reply(huge[:50000])
        # Accepted with limits wide enough.
        r = smtpreply.parse_reply(huge, max_line=200000, max_reply=200000)
        self.assertEqual(len(r.lines[0]), 100000)
        self.assertEqual(r.warnings, ["long_line"])
        # A reply over max_reply made of short lines.
        multi = b"250-" + b"y" * 40 + b"\r\n"
        with self.assertRaises(LimitExceeded) as cm:
            smtpreply.parse_reply(multi * 3 + b"250 end\r\n", max_reply=100)
        self.assertIn("reply is longer than the limit of 100", cm.exception.message)
        # The exact boundary: a reply of max_reply bytes is accepted, one more byte is not.
        r52 = b"250-" + b"x" * 20 + b"\r\n" + b"250 " + b"y" * 20 + b"\r\n"
        self.assertEqual(len(r52), 52)
        self.assertEqual(smtpreply.parse_reply(r52, max_reply=52).consumed, 52)
        with self.assertRaises(LimitExceeded):
            smtpreply.parse_reply(r52, max_reply=51)

    def test_stream_buffer_limit(self):
        with smtpreply.Stream(max_reply=50, max_buffer=100) as s:
            with self.assertRaises(LimitExceeded) as cm:
                s.feed(b"x" * 101)
            self.assertIn("100", cm.exception.message)
            self.assertEqual(s.pending, 0)  # nothing was appended
            s.feed(b"250 ok\r\n" * 12)
            self.assertEqual(len(list(s)), 12)

    def test_non_utf8_bytes_kept(self):
        data = b"550 5.1.1 \xff\xfe\x80 unknown \xc3\r\n"
        r = one(data)
        self.assertReply(r, 550, [b"\xff\xfe\x80 unknown \xc3"], enhanced=(5, 1, 1), warnings=["non_ascii"])
        with self.assertRaises(StrictViolation):
            smtpreply.parse_reply(data, strict=True)

    def test_nul_bytes(self):
        r = one(b"250 a\x00b\r\n")
        self.assertReply(r, 250, [b"a\x00b"], warnings=["control_char"], consumed=9)
        r = one(b"250-\x00\x00\r\n250 ok\r\n")
        self.assertEqual(r.lines, [b"\x00\x00", b"ok"])
        self.assertEqual(r.warnings, ["control_char"])
        with self.assertRaises(StrictViolation) as cm:
            smtpreply.parse_reply(b"250 a\x00b\r\n", strict=True)
        self.assertIn("control", cm.exception.message)
        with self.assertRaises(InvalidInput):
            smtpreply.parse_reply(b"\x00250 ok\r\n")

    def test_invalid_option_values(self):
        for kw in ({"max_line": 1}, {"max_line": 4}, {"max_reply": 4}, {"max_line": 2 ** 30 + 1}):
            with self.subTest(**kw):
                with self.assertRaises(OutOfRange) as cm:
                    smtpreply.parse_reply(b"250 ok\r\n", **kw)
                self.assertIn("out of range (5 to 1073741824)", cm.exception.message)
                self.assertEqual(cm.exception.code, 7)
                with self.assertRaises(OutOfRange):
                    smtpreply.parse_replies(b"250 ok\r\n", **kw)
                with self.assertRaises(OutOfRange):
                    smtpreply.Stream(**kw)
        # Refused here before any conversion to size_t (no wrap-around): negative, zero, > 64 bits.
        for kw in ({"max_line": -1}, {"max_reply": -4096}, {"max_line": 0}, {"max_reply": 2 ** 64},
                   {"max_line": 2 ** 64 + 4096}):
            with self.subTest(**kw):
                with self.assertRaises(OutOfRange) as cm:
                    smtpreply.parse_reply(b"250 ok\r\n", **kw)
                self.assertIsInstance(cm.exception, ValueError)
        for kw in ({"max_line": "4096"}, {"max_line": 4096.0}, {"max_reply": True}):
            with self.subTest(**kw):
                with self.assertRaises(TypeError):
                    smtpreply.parse_reply(b"250 ok\r\n", **kw)
        with self.assertRaises(OutOfRange) as cm:
            smtpreply.Stream(max_reply=1000, max_buffer=999)
        self.assertIn("max_buffer must be at least max_reply", cm.exception.message)
        # Limits at the edges of the range work.
        self.assertEqual(smtpreply.parse_reply(b"250\r\n", max_line=5).code, 250)
        self.assertEqual(smtpreply.parse_reply(b"250 ok\r\n", max_line=2 ** 30, max_reply=2 ** 30).lines, [b"ok"])
        # A max_reply above the default buffer size gives a stream whose buffer grows with it.
        with smtpreply.Stream(max_reply=2 ** 21, max_line=2 ** 21) as s:
            s.feed(b"250 " + b"z" * (2 ** 20 + 10) + b"\r\n")
            self.assertEqual(len(s.next().lines[0]), 2 ** 20 + 10)

    def test_parser_options_object(self):
        opts = smtpreply.ParserOptions(max_line=8192, strict=True)
        self.assertIn("max_line=8192", repr(opts))
        line = b"250 " + b"x" * 4994 + b"\r\n"
        with self.assertRaises(StrictViolation):  # long_line is a warning: an error in strict mode
            smtpreply.parse_reply(line, options=opts)
        self.assertEqual(smtpreply.parse_reply(b"250 ok\r\n", options=opts).lines, [b"ok"])
        with self.assertRaises(OutOfRange):
            smtpreply.ParserOptions(max_line=1)
        with self.assertRaises(TypeError):
            smtpreply.parse_reply(b"250 ok\r\n", options=opts, strict=True)
        with self.assertRaises(TypeError):
            smtpreply.parse_reply(b"250 ok\r\n", options={"strict": True})
        with smtpreply.Stream(options=smtpreply.ParserOptions(max_reply=64, max_buffer=64)) as s:
            with self.assertRaises(LimitExceeded):
                s.feed(b"x" * 65)

    def test_parse_reply_offset(self):
        data = b"250 a\r\n251 b\r\n"
        self.assertEqual(smtpreply.parse_reply(data, offset=7).code, 251)
        self.assertIsNone(smtpreply.parse_reply(data, offset=len(data)))
        with self.assertRaises(OutOfRange):
            smtpreply.parse_reply(data, offset=len(data) + 1)
        with self.assertRaises(OutOfRange):
            smtpreply.parse_reply(data, offset=-1)
        with self.assertRaises(TypeError):
            smtpreply.parse_reply(data, offset="7")

    def test_out_of_range_codes(self):
        for code in (99, 199, 600, 611, 1000, 0):
            with self.subTest(code=code):
                with self.assertRaises(OutOfRange) as cm:
                    smtpreply.describe_code(code)
                self.assertIn("%d is not an SMTP reply code" % code, cm.exception.message)
                for fn in (smtpreply.explain_code, smtpreply.advice_code, smtpreply.code_info):
                    with self.assertRaises(OutOfRange):
                        fn(code)
        # Values that do not fit in uint32_t are refused before conversion: 2**32 + 250 would
        # otherwise wrap around to 250 and succeed.
        for code in (-1, -250, 2 ** 32, 2 ** 32 + 250, 2 ** 40, 2 ** 64 + 550):
            with self.subTest(code=code):
                with self.assertRaises(OutOfRange) as cm:
                    smtpreply.describe_code(code)
                self.assertIsInstance(cm.exception, ValueError)
                with self.assertRaises(OutOfRange):
                    smtpreply.code_info(code)
                with self.assertRaises(OutOfRange):
                    smtpreply.command_name(code)
        for code in ("250", 250.0, None, True):
            with self.subTest(code=code):
                with self.assertRaises(TypeError):
                    smtpreply.describe_code(code)

    def test_bad_enhanced_codes(self):
        for text in ("5.01.1", "hello", "", "5.1", "5.1.1.1", "05.1.1", "5.1.1x", "+5.1.1", "\u0665.1.1"):
            with self.subTest(text=text):
                with self.assertRaises(InvalidInput) as cm:
                    smtpreply.describe_enhanced(text)
                self.assertIn("is not an enhanced status code", cm.exception.message)
                for fn in (smtpreply.explain_enhanced, smtpreply.advice_enhanced, smtpreply.enhanced_info,
                           smtpreply.parse_enhanced):
                    with self.assertRaises(InvalidInput):
                        fn(text)
        for text, what in (("6.1.1", "class 6"), ("5.1.1000", "1000"), ("3.0.0", "class 3"), ("4.1000.1", "1000")):
            with self.subTest(text=text):
                with self.assertRaises(OutOfRange) as cm:
                    smtpreply.enhanced_info(text)
                self.assertIn(what, cm.exception.message)
        for code in ((6, 1, 1), (5, 1000, 1), (5, -1, 1), (5, 1, 2 ** 32 + 1), (2 ** 32 + 5, 1, 1)):
            with self.subTest(code=code):
                with self.assertRaises(OutOfRange):
                    smtpreply.enhanced_info(code)
        with self.assertRaises(ValueError):
            smtpreply.enhanced_info((5, 1))
        with self.assertRaises(TypeError):
            smtpreply.enhanced_info(5.1)
        with self.assertRaises(TypeError):
            smtpreply.enhanced_info((5, "1", 1))
        with self.assertRaises(InvalidInput):
            smtpreply.enhanced_info(b"\xff.1.1")
        with self.assertRaises(InvalidInput):
            smtpreply.enhanced_info("5.1.1\x00")
        with self.assertRaises(InvalidInput):
            smtpreply.enhanced_info("5.1.\udc80")
        self.assertEqual(smtpreply.parse_enhanced(" 5.1.1 "), (5, 1, 1))
        self.assertEqual(smtpreply.parse_enhanced(b"4.7.999"), (4, 7, 999))


# ------------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------------


class Errors(unittest.TestCase):
    def test_hierarchy_and_attributes(self):
        classes = {
            2: smtpreply.NullParameter, 3: smtpreply.InvalidInput, 4: smtpreply.LimitExceeded,
            5: smtpreply.BufferTooSmall, 6: smtpreply.Panic, 7: smtpreply.OutOfRange, 8: smtpreply.NotFound,
            9: smtpreply.Truncated, 10: smtpreply.StrictViolation,
        }
        for code, cls in classes.items():
            self.assertTrue(issubclass(cls, Error))
            self.assertIs(smtpreply._ERROR_CLASSES[code], cls)
            self.assertEqual(smtpreply._result_name_of(code), "SMTPREPLY_" + re.sub(
                r"(?<!^)(?=[A-Z])", "_", cls.__name__).upper())
        self.assertTrue(issubclass(InvalidInput, ValueError))
        self.assertTrue(issubclass(OutOfRange, ValueError))
        self.assertTrue(issubclass(NotFound, LookupError))
        try:
            smtpreply.parse_reply(b"x")
        except Error as e:
            self.assertEqual((e.code, e.name), (3, "SMTPREPLY_INVALID_INPUT"))
            self.assertTrue(e.message)
            self.assertIn(e.message, str(e))
            self.assertIn("SMTPREPLY_INVALID_INPUT", str(e))
            self.assertIn("InvalidInput(code=3", repr(e))
        else:
            self.fail("no error")

    def test_pickle_round_trip(self):
        import pickle
        try:
            smtpreply.describe_code(611)
        except OutOfRange as e:
            e2 = pickle.loads(pickle.dumps(e))
            self.assertIs(type(e2), OutOfRange)
            self.assertEqual((e2.code, e2.name, e2.message), (e.code, e.name, e.message))

    def test_messages_are_per_thread(self):
        failures = []

        def worker(data, fragment):
            for _ in range(300):
                try:
                    smtpreply.parse_reply(data)
                    failures.append("no error")
                except Error as e:
                    if fragment not in e.message:
                        failures.append(e.message)

        threads = [threading.Thread(target=worker, args=(b"2506 x\r\n", "hyphen")),
                   threading.Thread(target=worker, args=(b"x50 x\r\n", "does not start with a reply code")),
                   threading.Thread(target=worker, args=(b"250 " + b"x" * 5000, "longer than the limit"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])


# ------------------------------------------------------------------------------------------------
# Batches and pipelining
# ------------------------------------------------------------------------------------------------

PIPELINED = (
    b"250 2.1.0 Ok\r\n"
    b"250 2.1.5 Ok\r\n"
    b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    b"550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    b"550-5.1.1 unnecessary spaces. Learn more at\r\n"
    b"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1 - gsmtp\r\n"
    b"354 End data with <CR><LF>.<CR><LF>\n"
    b"230-Anonymous\r\nno code here\r\n230 done\r\n"
    b"250-a\r\n251 b\r\n"
    b"200 \xc3\xbcber\r\n"
    b"502\r\n"
)
PARTIAL = b"250-mx.example.com\r\n250-PIPEL"


def replies_one_by_one(data, **opts):
    out = []
    pos = 0
    while True:
        r = smtpreply.parse_reply(data, offset=pos, **opts)
        if r is None:
            return out, data[pos:]
        out.append(r)
        pos += r.consumed


class Batches(ReplyAssertions):
    def test_pipelined_with_partial(self):
        buf = PIPELINED + PARTIAL
        replies, rest = smtpreply.parse_replies(buf)
        self.assertEqual(len(replies), 8)
        self.assertEqual(rest, PARTIAL)
        self.assertEqual([r.code for r in replies], [250, 250, 550, 354, 230, 250, 200, 502])
        self.assertEqual(b"".join(r.raw for r in replies), PIPELINED)
        self.assertEqual(sum(r.consumed for r in replies), len(PIPELINED))
        self.assertEqual((replies, rest), replies_one_by_one(buf))
        gmail = replies[2]
        self.assertEqual(gmail.enhanced, (5, 1, 1))
        self.assertEqual(len(gmail.lines), 4)
        # All the spaces after the enhanced code go with it (RFC 2034: code SP text).
        self.assertEqual(gmail.lines[3], b"https://support.google.com/mail/?p=NoSuchUser a1si1 - gsmtp")
        self.assertEqual(replies[3].warnings, ["bare_lf"])
        self.assertEqual(replies[4].line_codes, [230, 0, 230])
        self.assertEqual(replies[5].warnings, ["code_mismatch"])
        self.assertEqual(replies[6].warnings, ["non_ascii"])
        self.assertEqual(replies[7].lines, [b""])
        self.assertEqual(replies[7].raw, b"502\r\n")
        # Without the partial reply, nothing is left.
        self.assertEqual(smtpreply.parse_replies(PIPELINED), (replies, b""))

    def test_bad_bytes_after_good_replies_stay_in_rest(self):
        buf = b"250 ok\r\n251 fine\r\nHTTP/1.1 400\r\n250 never\r\n"
        replies, rest = smtpreply.parse_replies(buf)
        self.assertEqual([r.code for r in replies], [250, 251])
        self.assertEqual(rest, b"HTTP/1.1 400\r\n250 never\r\n")
        with self.assertRaises(InvalidInput):
            smtpreply.parse_replies(rest)
        # The same in strict mode: a deviation after the first reply stops the batch there.
        replies, rest = smtpreply.parse_replies(b"250 ok\r\n250 bare\n250 x\r\n", strict=True)
        self.assertEqual(len(replies), 1)
        self.assertEqual(rest, b"250 bare\n250 x\r\n")
        with self.assertRaises(StrictViolation):
            smtpreply.parse_replies(rest, strict=True)

    def test_same_as_parse_reply_on_every_tricky_input(self):
        inputs = [
            b"250-Missing space\n250\n250 Ignore this", b"550-5.7.2 first line\r\n550 5.7.25 second line\r\n",
            b"550-4.7.1 first line\r\n550 4.7.1 second line\r\n", b"432-6.8.9\n432-6.8.9 Hello\n432 6.8.9 World!\n",
            b"250 OK\rmore\r\n", b"500-\r\n500 Line two\r\n", b"250 5.0.0 text\r\n", b"280 Something\r\n",
            b"550-5.2.1 Request failed\r\n550 Mailbox unavailable\r\n", b"250 2.0.0\r\n", b"250 a\x00b\r\n",
        ]
        buf = b"".join(inputs)
        batch = smtpreply.parse_replies(buf)
        self.assertEqual(batch, replies_one_by_one(buf))
        self.assertEqual(len(batch[0]), len(inputs) + 1)  # row 10 holds two replies
        for strict in (False, True):
            for max_line in (None, 8, 30):
                with self.subTest(strict=strict, max_line=max_line):
                    try:
                        got = smtpreply.parse_replies(buf, strict=strict, max_line=max_line)
                    except Error as e:
                        with self.assertRaises(type(e)):
                            smtpreply.parse_reply(buf, strict=strict, max_line=max_line)
                        continue
                    self.assertEqual(got[0], replies_one_by_one(buf[:len(buf) - len(got[1])],
                                                                strict=strict, max_line=max_line)[0])

    def test_large_batch_and_gc_state(self):
        unit = b"250 2.1.5 Ok\r\n" + b"550-5.1.1 a\r\n550-5.1.1 b\r\n550 5.1.1 c\r\n"
        buf = unit * 2000 + b"25"
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            try:
                replies, rest = smtpreply.parse_replies(buf)
                self.assertEqual(gc.isenabled(), enabled, "parse_replies must leave the GC as it found it")
            finally:
                gc.enable()
            self.assertEqual(len(replies), 4000)
            self.assertEqual(rest, b"25")
            self.assertEqual(replies[3999].lines, [b"a", b"b", b"c"])
            self.assertEqual(replies[3999].line_enhanced, [(5, 1, 1)] * 3)
            self.assertEqual(replies[3998].enhanced, (2, 1, 5))
        # Reply objects do not depend on the buffer they came from staying the same.
        mutable = bytearray(unit)
        replies, _ = smtpreply.parse_replies(mutable)
        mutable[:] = b"X" * len(mutable)
        self.assertEqual(replies[0].lines, [b"Ok"])
        self.assertEqual(replies[1].line_codes, [550, 550, 550])

    def test_repr_and_text(self):
        r = smtpreply.parse_reply(b"550-5.1.1 No such user\r\n550 5.1.1 Bye\n")
        self.assertEqual(repr(r), "Reply(code=550, enhanced=5.1.1, lines=[b'No such user', b'Bye'], "
                                  "warnings=['bare_lf'])")
        self.assertEqual(r.text, b"No such user\nBye")
        self.assertEqual(repr(smtpreply.parse_reply(b"221 Bye\r\n")), "Reply(code=221, lines=[b'Bye'])")
        with self.assertRaises(TypeError):
            hash(r)
        self.assertNotEqual(r, smtpreply.parse_reply(b"550-5.1.1 No such user\r\n550 5.1.1 Bye\r\n"))


# ------------------------------------------------------------------------------------------------
# Stream
# ------------------------------------------------------------------------------------------------


class Streams(ReplyAssertions):
    def test_byte_at_a_time_equals_parse_replies(self):
        buf = PIPELINED + PARTIAL
        expected, rest = smtpreply.parse_replies(buf)
        got = []
        with smtpreply.Stream() as s:
            for i in range(len(buf)):
                s.feed(buf[i:i + 1])
                got.extend(s)
            self.assertEqual(got, expected)
            self.assertEqual(s.pending, len(rest))
            with self.assertRaises(Truncated):
                s.finish()

    def test_chunks_of_every_size(self):
        buf = PIPELINED
        expected, _ = smtpreply.parse_replies(buf)
        for size in (2, 3, 7, 64, len(buf)):
            with self.subTest(size=size):
                with smtpreply.Stream() as s:
                    got = []
                    for i in range(0, len(buf), size):
                        s.feed(buf[i:i + size])
                        r = s.next()
                        while r is not None:
                            got.append(r)
                            r = s.next()
                    s.finish()
                    self.assertEqual(got, expected)

    def test_error_then_skip_line(self):
        with smtpreply.Stream() as s:
            s.feed(b"250 ok\r\ngarbage here\r\n251 fine\r\n")
            self.assertEqual(s.next().code, 250)
            with self.assertRaises(InvalidInput):
                s.next()
            with self.assertRaises(InvalidInput):  # the stream stays where it is
                s.next()
            self.assertEqual(s.skip_line(), len(b"garbage here\r\n"))
            self.assertReply(s.next(), 251, [b"fine"])
            self.assertIsNone(s.next())
            self.assertEqual(s.skip_line(), 0)

    def test_strict_stream(self):
        with smtpreply.Stream(strict=True) as s:
            s.feed(b"250 fine\r\n250 bare\n")
            self.assertEqual(s.next().lines, [b"fine"])
            with self.assertRaises(StrictViolation):
                s.next()

    def test_close(self):
        s = smtpreply.Stream()
        self.assertIn("pending=0", repr(s))
        s.close()
        s.close()  # idempotent
        self.assertTrue(s.closed)
        self.assertIn("closed", repr(s))
        for call in (lambda: s.feed(b"x"), s.next, s.finish, lambda: s.pending, s.skip_line):
            with self.assertRaises(ValueError):
                call()
        with smtpreply.Stream() as s2:
            pass
        self.assertTrue(s2.closed)
        del s2  # __del__ after close is harmless
        s3 = smtpreply.Stream()
        s3.feed(b"250 ")
        del s3  # freed by __del__
        gc.collect()


# ------------------------------------------------------------------------------------------------
# EHLO capabilities
# ------------------------------------------------------------------------------------------------

GMAIL_EHLO = (
    b"250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
    b"250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-SMTPUTF8\r\n"
    b"250-DSN\r\n250-REQUIRETLS\r\n250-DELIVERBY 240\r\n250-LIMITS RCPTMAX=100 MAILMAX=1000\r\n"
    b"250-BINARYMIME\r\n250 AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
)


class CapabilitiesTests(unittest.TestCase):
    def test_full_reply_of_a_real_server(self):
        caps = smtpreply.capabilities(GMAIL_EHLO)
        self.assertEqual(caps.domain, "smtp.gmail.com")
        self.assertEqual(caps.greeting, "at your service, [203.0.113.5]")
        self.assertEqual(len(caps), 13)
        self.assertEqual(caps.keywords, [
            "SIZE", "8BITMIME", "STARTTLS", "ENHANCEDSTATUSCODES", "PIPELINING", "CHUNKING", "SMTPUTF8", "DSN",
            "REQUIRETLS", "DELIVERBY", "LIMITS", "BINARYMIME", "AUTH"])
        self.assertEqual(caps.size, 35882577)
        self.assertEqual(caps.size_status, "limit")
        self.assertEqual(caps.extensions, set(caps.keywords))
        for kw in caps.keywords:
            self.assertTrue(caps.has(kw.lower()), kw)
            self.assertIn(kw, caps)
        self.assertFalse(caps.has("ETRN"))
        self.assertEqual(caps.auth, ["LOGIN", "PLAIN", "XOAUTH2", "PLAIN-CLIENTTOKEN", "OAUTHBEARER", "XOAUTH"])
        self.assertTrue(caps.supports_auth("xoauth2"))
        self.assertFalse(caps.supports_auth("CRAM-MD5"))
        self.assertEqual(caps.limit("rcptmax"), 100)
        self.assertEqual(caps.limit("MAILMAX"), 1000)
        self.assertIsNone(caps.limit("RCPTDOMAINMAX"))
        self.assertEqual(caps.params("LIMITS"), ["RCPTMAX=100", "MAILMAX=1000"])
        self.assertEqual(caps.params("deliverby"), ["240"])
        self.assertEqual(caps.params("8BITMIME"), [])
        self.assertIsNone(caps.params("VRFY"))
        self.assertEqual(caps.warnings, [])
        self.assertEqual(caps.reply_warnings, [])
        text = repr(caps)
        for kw in caps.keywords:
            self.assertIn(kw, text)
        for p in ("SIZE 35882577", "LIMITS RCPTMAX=100 MAILMAX=1000", "AUTH LOGIN PLAIN XOAUTH2", "smtp.gmail.com"):
            self.assertIn(p, text)
        self.assertEqual(caps.items()[0], ("SIZE", ["35882577"]))

    def test_size_forms(self):
        def size(line):
            c = smtpreply.capabilities(("250-mx\r\n250 %s\r\n" % line).encode())
            return c.size_status, c.size
        self.assertEqual(size("SIZE"), ("unspecified", None))
        self.assertEqual(size("SIZE 0"), ("no_fixed_limit", None))
        self.assertEqual(size("size 18446744073709551615"), ("limit", 2 ** 64 - 1))
        self.assertEqual(size("SIZE 18446744073709551616"), ("invalid", None))
        self.assertEqual(size("SIZE -1"), ("invalid", None))
        self.assertEqual(size("8BITMIME"), ("not_advertised", None))

    def test_odd_cases(self):
        caps = smtpreply.capabilities(b"250 mx.example.com\r\n")
        self.assertEqual((caps.domain, caps.keywords, caps.greeting), ("mx.example.com", [], ""))
        caps = smtpreply.capabilities(b"250-mx\r\n250-PIPELINING\r\n250-pipelining\r\n250 SMTPUTF8 x\r\n")
        self.assertEqual(caps.warnings, ["duplicate_keyword", "bad_parameter"])
        self.assertEqual(smtpreply.capabilities(b"250 \r\n").warnings, ["missing_domain"])
        caps = smtpreply.capabilities(b"250-mx\n250 STARTTLS\n")
        self.assertTrue(caps.has("starttls"))
        self.assertEqual(caps.reply_warnings, ["bare_lf"])
        # Keywords that cannot be advertised.
        self.assertFalse(caps.has("START\x00TLS"))
        self.assertIsNone(caps.params("STARTTLS\x00"))
        self.assertIsNone(caps.limit("\x00"))
        self.assertFalse(caps.has(""))
        with self.assertRaises(TypeError):
            caps.has(None)
        # Non-ASCII bytes on a capability line do not break the others.
        caps = smtpreply.capabilities(b"250-mx\r\n250-X-\xff\xfeKW a\r\n250 LIMITS RCPTMAX=abc MAILMAX=5\r\n")
        self.assertEqual(caps.keywords, ["LIMITS"])
        self.assertIsNone(caps.limit("RCPTMAX"))
        self.assertEqual(caps.limit("MAILMAX"), 5)
        self.assertIn("non_ascii", caps.reply_warnings)

    def test_from_a_reply_and_trailing_bytes(self):
        buf = GMAIL_EHLO + b"250 2.1.0 Ok\r\n"
        r = smtpreply.parse_reply(buf)
        self.assertEqual(smtpreply.capabilities(r).keywords, smtpreply.capabilities(GMAIL_EHLO).keywords)
        # Bytes after the EHLO reply are ignored (src/ehlo Capabilities::parse says so; the header not).
        self.assertEqual(smtpreply.capabilities(buf).size, 35882577)

    def test_errors(self):
        with self.assertRaises(InvalidInput) as cm:
            smtpreply.capabilities(b"550 5.7.1 go away\r\n")
        self.assertIn("550", cm.exception.message)
        with self.assertRaises(Truncated) as cm:
            smtpreply.capabilities(b"250-mx\r\n")
        self.assertEqual(cm.exception.name, "SMTPREPLY_TRUNCATED")
        self.assertIn("incomplete", cm.exception.message)
        with self.assertRaises(LimitExceeded):
            smtpreply.capabilities(b"250-mx\r\n" + b"250-X" + b"y" * 5000 + b"\r\n250 OK\r\n")
        with self.assertRaises(TypeError):
            smtpreply.capabilities("250 mx\r\n")

    def test_close(self):
        with smtpreply.capabilities(GMAIL_EHLO) as caps:
            self.assertTrue(caps.has("AUTH"))
        with self.assertRaises(ValueError):
            caps.has("AUTH")
        with self.assertRaises(ValueError):
            caps.limit("RCPTMAX")
        self.assertEqual(caps.keywords[0], "SIZE")  # what was read stays readable
        caps.close()  # idempotent


# ------------------------------------------------------------------------------------------------
# Knowledge tables
# ------------------------------------------------------------------------------------------------


class Knowledge(unittest.TestCase):
    def test_version_matches_cargo_toml(self):
        with open(os.path.join(REPO, "Cargo.toml")) as f:
            m = re.search(r'^\[package\][^\[]*?^version\s*=\s*"([^"]+)"', f.read(), re.M | re.S)
        self.assertIsNotNone(m)
        self.assertEqual(smtpreply.version(), m.group(1))
        self.assertRegex(smtpreply.version(), r"^\d+\.\d+\.\d+")

    def test_describe_code(self):
        self.assertIn("mailbox unavailable", smtpreply.describe_code(550))
        self.assertEqual(smtpreply.describe_code(250), "Requested mail action okay, completed")
        self.assertIn("Unregistered reply code", smtpreply.describe_code(599))
        self.assertNotEqual(smtpreply.explain_code(550), smtpreply.describe_code(550))
        self.assertTrue(smtpreply.advice_code(550))
        self.assertNotEqual(smtpreply.advice_code(550), smtpreply.explain_code(550))

    def test_code_info(self):
        i = smtpreply.code_info(250)
        self.assertEqual(i.code, 250)
        self.assertEqual(i.severity, "positive_completion")
        self.assertEqual(i.severity_name, "Positive Completion")
        self.assertEqual(i.category, "mail_system")
        self.assertEqual(i.status, "standard")
        self.assertEqual(i.source, "RFC 5321 §4.2.3")
        self.assertIsNone(i.rfc821_text)
        self.assertEqual(i.text, smtpreply.describe_code(250))
        self.assertIn(("RCPT", "Recipient accepted", "RFC 5321 §4.1.1.3"), i.contexts)
        self.assertEqual(i.contexts[0].command_name, "EHLO")
        self.assertIn("code=250", repr(i))
        i = smtpreply.code_info(421)
        self.assertEqual((i.severity, i.category), ("transient_negative", "connections"))
        i = smtpreply.code_info(280)
        self.assertEqual((i.status, i.category, i.source), ("unregistered", "out_of_grammar", None))
        self.assertEqual(smtpreply.code_info(354).severity, "positive_intermediate")
        self.assertEqual(smtpreply.code_info(500).category, "syntax")
        self.assertEqual(smtpreply.code_info(538).status, "historic")
        self.assertEqual(smtpreply.code_info(523).status, "non_standard")

    def test_every_code_is_consistent(self):
        severities = {2: "positive_completion", 3: "positive_intermediate", 4: "transient_negative",
                      5: "permanent_negative"}
        categories = ["syntax", "information", "connections", "unspecified_3", "unspecified_4", "mail_system"]
        for code in range(200, 600):
            i = smtpreply.code_info(code)
            self.assertEqual(i.severity, severities[code // 100], code)
            d = code // 10 % 10
            self.assertEqual(i.category, categories[d] if d <= 5 else "out_of_grammar", code)
            self.assertEqual(i.source is None, i.status == "unregistered", code)
            for ctx in i.contexts:
                self.assertEqual(smtpreply.code_context(code, ctx.command_name), ctx, code)

    def test_code_context_and_commands(self):
        ctx = smtpreply.code_context(550, "RCPT")
        self.assertIn("recipient does not exist", ctx.meaning)
        self.assertEqual(smtpreply.code_context(550, 5), ctx)
        self.assertIsNone(smtpreply.code_context(250, 0))
        with self.assertRaises(InvalidInput):
            smtpreply.code_context(250, 99)
        with self.assertRaises(NotFound):
            smtpreply.code_context(250, "BOGUS")
        self.assertEqual(smtpreply.command_name(5), "RCPT")
        self.assertEqual(smtpreply.command_name(7), "DATA-END")
        self.assertIsNone(smtpreply.command_name(23))
        self.assertEqual(smtpreply.command_from_name("rcpt to"), 5)
        self.assertEqual(smtpreply.command_from_name("MAIL FROM"), 4)
        for bad in ("BOGUS", "", "RC\x00PT"):
            with self.assertRaises(NotFound):
                smtpreply.command_from_name(bad)
        for n in range(23):
            self.assertEqual(smtpreply.command_from_name(smtpreply.command_name(n)), n)

    def test_enhanced(self):
        self.assertEqual(smtpreply.describe_enhanced("5.7.26"), "Multiple authentication checks failed")
        self.assertEqual(smtpreply.describe_enhanced((5, 7, 26)), "Multiple authentication checks failed")
        self.assertEqual(smtpreply.describe_enhanced(" 5.1.1 "), "Bad destination mailbox address")
        self.assertTrue(smtpreply.explain_enhanced("5.7.26"))
        self.assertNotEqual(smtpreply.explain_enhanced("5.7.26"), smtpreply.advice_enhanced("5.7.26"))

        e = smtpreply.enhanced_info("5.1.99")
        self.assertEqual(e.status, "unregistered")
        self.assertFalse(e.registered)
        self.assertEqual(e.name, "Addressing Status")
        self.assertEqual(e.subject_name, "Addressing Status")
        self.assertEqual(e.usage, "any")
        self.assertIsNone(e.reference)
        self.assertIsNone(e.basic_codes)
        self.assertEqual(e.class_name, "Permanent Failure")
        self.assertEqual(e.code, (5, 1, 99))

        e = smtpreply.enhanced_info("4.4.3")
        self.assertEqual(e.name, "Directory server failure")
        self.assertEqual(e.rfc1893_name, "Routing server failure")  # RFC 1893's name, where it differs
        self.assertEqual(e.usage, "transient_only")
        self.assertEqual(e.basic_codes, "451, 550")
        self.assertEqual(e.reference, "RFC 3463 §3.5")
        self.assertEqual(e.class_name, "Persistent Transient Failure")
        self.assertEqual(e.subject_name, "Network and Routing Status")
        self.assertEqual(e.code_str, "4.4.3")
        self.assertIn("4.4.3", repr(e))
        self.assertIsNone(smtpreply.enhanced_info("5.1.1").rfc1893_name)  # NULL where the names agree
        self.assertEqual(smtpreply.enhanced_info("5.1.1"), smtpreply.enhanced_info((5, 1, 1)))
        self.assertEqual(smtpreply.enhanced_info("5.6.10").status, "deprecated")
        e = smtpreply.enhanced_info("5.8.0")  # subject above 7: described from the class
        self.assertIsNone(e.subject_name)
        self.assertEqual(e.name, "Permanent Failure")

    def test_warning_names_and_descriptions(self):
        self.assertEqual(smtpreply.WARNING_NAMES, (
            "bare_lf", "bare_cr", "code_mismatch", "code_out_of_grammar", "non_ascii", "control_char", "long_line",
            "enhanced_mismatch", "enhanced_partial", "enhanced_class_mismatch", "missing_code"))
        self.assertEqual(smtpreply.CAPS_WARNING_NAMES, (
            "malformed_line", "size_invalid", "legacy_equals", "duplicate_keyword", "bad_parameter",
            "missing_domain"))
        self.assertIn("LF", smtpreply.warning_description("bare_lf"))
        self.assertEqual(smtpreply.warning_description(1), smtpreply.warning_description("bare_lf"))
        with self.assertRaises(OutOfRange):
            smtpreply.warning_description("nope")
        with self.assertRaises(OutOfRange):
            smtpreply.warning_description(3)


# ------------------------------------------------------------------------------------------------
# Loading the library
# ------------------------------------------------------------------------------------------------


def run_python(code, env_changes, cwd):
    env = dict(os.environ)
    env.pop("SMTPREPLY_LIB", None)
    env.update(env_changes)
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)


class Loading(unittest.TestCase):
    def test_library_path(self):
        self.assertTrue(os.path.exists(smtpreply.LIBRARY_PATH), smtpreply.LIBRARY_PATH)
        if os.environ.get("SMTPREPLY_LIB"):
            self.assertEqual(smtpreply.LIBRARY_PATH, os.environ["SMTPREPLY_LIB"])

    def test_smtpreply_lib_variable(self):
        lib = os.path.abspath(smtpreply.LIBRARY_PATH)
        with tempfile.TemporaryDirectory() as tmp:
            code = "import sys; sys.path.insert(0, %r); import smtpreply; print(smtpreply.LIBRARY_PATH)" % PYDIR
            p = run_python(code, {"SMTPREPLY_LIB": lib}, tmp)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout.strip(), lib)
            missing = os.path.join(tmp, "nowhere", "libsmtpreply.so")
            p = run_python(code, {"SMTPREPLY_LIB": missing}, tmp)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("ImportError", p.stderr)
            self.assertIn("SMTPREPLY_LIB", p.stderr)
            self.assertIn(missing, p.stderr)

    def test_clear_error_when_nothing_is_found(self):
        import ctypes.util
        if ctypes.util.find_library("smtpreply"):
            self.skipTest("a system-wide libsmtpreply is installed")
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, "python"))
            with open(os.path.join(PYDIR, "smtpreply.py")) as src, \
                    open(os.path.join(tmp, "python", "smtpreply.py"), "w") as dst:
                dst.write(src.read())
            code = "import sys; sys.path.insert(0, 'python'); import smtpreply"
            p = run_python(code, {}, tmp)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("ImportError: smtpreply: cannot find the smtpreply shared library", p.stderr)
            self.assertIn(os.path.join(tmp, "target", "release"), p.stderr)
            self.assertIn(os.path.join(tmp, "target", "debug"), p.stderr)
            self.assertIn("SMTPREPLY_LIB", p.stderr)
            self.assertIn("find_library", p.stderr)


class StructLayout(unittest.TestCase):
    """The ctypes mirrors have the field names, offsets and sizes of the header's structs."""

    STRUCTS = {
        "smtpreply_parser_options": "_ParserOptions",
        "smtpreply_batch_reply": "_BatchReply",
        "smtpreply_batch_line": "_BatchLine",
        "smtpreply_code_info": "_CodeInfo",
        "smtpreply_code_context": "_CodeContext",
        "smtpreply_enhanced_code": "_EnhancedCode",
        "smtpreply_enhanced_info": "_EnhancedInfo",
        "smtpreply_capability": "_Capability",
        "smtpreply_reply_info": "_ReplyInfo",
        "smtpreply_line": "_Line",
    }

    def header_fields(self, header, name):
        """Field names of `typedef struct { ... } name;` in the header, in order."""
        m = re.search(r"typedef struct \{([^{}]*)\} %s;" % name, header)
        self.assertIsNotNone(m, name)
        body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
        return re.findall(r"(\w+)\s*;", body)

    def test_field_names_match_the_header(self):
        with open(os.path.join(REPO, "include", "smtpreply.h")) as f:
            header = f.read()
        for c_name, py_name in self.STRUCTS.items():
            py = getattr(smtpreply, py_name)
            self.assertEqual([f[0] for f in py._fields_], self.header_fields(header, c_name), c_name)

    def test_offsets_and_sizes_match_a_c_compiler(self):
        import shutil
        cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")
        if not cc:
            self.skipTest("no C compiler")
        with open(os.path.join(REPO, "include", "smtpreply.h")) as f:
            header = f.read()
        lines = ["#include <stdio.h>", "#include <stddef.h>", '#include "smtpreply.h"', "int main(void) {"]
        for c_name in self.STRUCTS:
            lines.append('printf("%s sizeof %%zu\\n", sizeof(%s));' % (c_name, c_name))
            for field in self.header_fields(header, c_name):
                lines.append('printf("%s %s %%zu %%zu\\n", offsetof(%s, %s), sizeof(((%s *)0)->%s));'
                             % (c_name, field, c_name, field, c_name, field))
        lines += ["return 0;", "}"]
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "layout.c")
            exe = os.path.join(tmp, "layout")
            with open(src, "w") as f:
                f.write("\n".join(lines))
            subprocess.run([cc, "-std=c99", "-Wall", "-Werror", "-I", os.path.join(REPO, "include"), src, "-o", exe],
                           check=True, timeout=120)
            out = subprocess.run([exe], check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
        import ctypes
        checked = 0
        for line in out.splitlines():
            c_name, field, value = line.split()[:3]
            py = getattr(smtpreply, self.STRUCTS[c_name])
            if field == "sizeof":
                self.assertEqual(ctypes.sizeof(py), int(value), c_name)
            else:
                where = "%s.%s" % (c_name, field)
                self.assertEqual(getattr(py, field).offset, int(value), where)
                self.assertEqual(getattr(py, field).size, int(line.split()[3]), where)
                checked += 1
        self.assertGreater(checked, 60)


# ------------------------------------------------------------------------------------------------
# Threads
# ------------------------------------------------------------------------------------------------


class Threads(unittest.TestCase):
    def test_parsing_from_many_threads(self):
        buf = PIPELINED * 50
        expected = smtpreply.parse_replies(buf)
        errors = []

        def worker():
            try:
                for _ in range(20):
                    if smtpreply.parse_replies(buf) != expected:
                        errors.append("batch differs")
                    if smtpreply.parse_reply(buf) != expected[0][0]:
                        errors.append("reply differs")
            except Exception as e:  # pragma: no cover - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


# ------------------------------------------------------------------------------------------------
# Real replies (shared/corpus), when the file is there
# ------------------------------------------------------------------------------------------------

CORPUS = os.path.join(os.path.dirname(REPO), "shared", "corpus", "replies-dev.tsv")


class Corpus(unittest.TestCase):
    @unittest.skipUnless(os.path.exists(CORPUS), "shared/corpus/replies-dev.tsv is not beside the repository")
    def test_every_corpus_reply_parses_the_same_way_everywhere(self):
        with open(CORPUS, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        self.assertGreater(len(rows), 100)
        buf = b""
        complete = 0
        for row in rows:
            data = row[2].replace("\\r\\n", "\r\n").encode("utf-8") + b"\r\n"
            r = smtpreply.parse_reply(data)
            if r is None:
                # A multi-line reply that a relaying MTA flattened onto one "550-..." line never
                # ends: incomplete is the right answer for those bytes.
                self.assertRegex(row[2], r"^[2-5]\d\d-", row[0])
                self.assertNotIn("\\r\\n", row[2], row[0])
                continue
            self.assertEqual(r.code, int(row[2][:3]), row[0])
            self.assertEqual(r.consumed, len(data), row[0])
            complete += 1
            buf += data
        self.assertGreater(complete, len(rows) - 20)
        replies, rest = smtpreply.parse_replies(buf)
        self.assertEqual(rest, b"")
        self.assertEqual(len(replies), complete)
        self.assertEqual((replies, rest), replies_one_by_one(buf))
        with smtpreply.Stream() as s:
            s.feed(buf)
            self.assertEqual(list(s), replies)


if __name__ == "__main__":
    unittest.main()
