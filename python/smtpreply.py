"""smtpreply: parse, explain and classify SMTP replies (ctypes binding of libsmtpreply).

One module, no compiled extension, no third-party dependency, Python 3.8+.

The shared library is looked up, in this order, at:

1. the path in the ``SMTPREPLY_LIB`` environment variable (if set, nothing else is tried);
2. ``../target/release`` and ``../target/debug`` relative to this file (a repository checkout);
3. the system (``ctypes.util.find_library("smtpreply")``).

Reply text is bytes (servers send any bytes); names and descriptions from the library's tables are
str. Errors raise :class:`Error` subclasses carrying the library's result ``code``, its ``name`` and
the library's ``message``.

Quick tour::

    >>> import smtpreply
    >>> r = smtpreply.parse_reply(b"550-5.1.1 No such user\\r\\n550 5.1.1 Bye\\r\\n")
    >>> r.code, r.enhanced, r.lines
    (550, (5, 1, 1), [b'No such user', b'Bye'])
    >>> replies, rest = smtpreply.parse_replies(b"250 2.1.0 Ok\\r\\n250 2.1.5 Ok\\r\\n354 ")
    >>> len(replies), rest
    (2, b'354 ')
    >>> smtpreply.describe_enhanced("5.7.26")
    'Multiple authentication checks failed'
    >>> c = smtpreply.classify(b"552 5.2.2 Mailbox full", "RCPT")
    >>> c.reason, c.bounce, c.retry, c.action
    ('mailbox_full', 'soft', True, 'retry_later')

Sending mail: :class:`Session` is the sans-I/O SMTP client session (feed the server's bytes with
``receive``, take :class:`Event` objects from ``events()``, write ``take_output()`` to the socket,
act with ``send_mail``, ``add_recipient``, ``start_data``, ``send_body``, ``end_body`` ...);
:func:`send_message` drives one over a blocking socket::

    >>> s = smtpreply.Session("client.example.org")
    >>> s.receive(b"220 mx.example.com ESMTP\\r\\n")
    >>> [e.kind for e in s.events()], s.take_output()
    (['reply', 'greeting'], b'EHLO client.example.org\\r\\n')
"""

import array
import collections
import ctypes
import ctypes.util
import functools
import gc
import itertools
import os
import sys
import threading
from ctypes import (
    POINTER,
    Structure,
    byref,
    c_bool,
    c_char_p,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
    sizeof,
    string_at,
)

__all__ = [
    "Error", "NullParameter", "InvalidInput", "LimitExceeded", "BufferTooSmall", "Panic", "OutOfRange",
    "NotFound", "Truncated", "StrictViolation", "WrongState", "NotSupported",
    "ParserOptions", "Reply", "Stream", "Capabilities", "CodeInfo", "CodeContext", "EnhancedInfo",
    "version", "parse_reply", "parse_replies", "capabilities",
    "describe_code", "explain_code", "advice_code", "code_info", "code_context",
    "describe_enhanced", "explain_enhanced", "advice_enhanced", "enhanced_info", "parse_enhanced",
    "command_name", "command_from_name", "warning_description", "WARNING_NAMES", "CAPS_WARNING_NAMES",
    "Classification", "classify", "classify_many", "explain_reason", "advice_reason",
    "REASON_NAMES", "BOUNCE_NAMES", "ACTION_NAMES", "RULE_KIND_NAMES", "BLOCKLIST_NAMES",
    "Session", "Event", "RecipientResult", "SendResult", "send_message", "BodyStats", "message_size",
    "EVENT_KINDS", "CLOSE_REASONS", "RECIPIENT_STATUSES",
    "LIBRARY_PATH",
]

# --------------------------------------------------------------------------------------------------
# Loading the library
# --------------------------------------------------------------------------------------------------

if sys.platform == "win32":
    _LIB_FILE = "smtpreply.dll"
elif sys.platform == "darwin":
    _LIB_FILE = "libsmtpreply.dylib"
else:
    _LIB_FILE = "libsmtpreply.so"


def _load_library():
    tried = []
    env = os.environ.get("SMTPREPLY_LIB")
    if env:
        try:
            return ctypes.CDLL(env), env
        except OSError as e:
            raise ImportError(
                "smtpreply: cannot load the library named by SMTPREPLY_LIB=%r: %s" % (env, e)
            ) from e
    tried.append("$SMTPREPLY_LIB (not set)")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for profile in ("release", "debug"):
        path = os.path.join(repo, "target", profile, _LIB_FILE)
        if os.path.exists(path):
            try:
                return ctypes.CDLL(path), path
            except OSError as e:
                tried.append("%s (exists but failed to load: %s)" % (path, e))
        else:
            tried.append("%s (not found)" % path)
    found = ctypes.util.find_library("smtpreply")
    if found:
        try:
            return ctypes.CDLL(found), found
        except OSError as e:
            tried.append("system library %s (failed to load: %s)" % (found, e))
    else:
        tried.append('the system (ctypes.util.find_library("smtpreply") found nothing)')
    raise ImportError(
        "smtpreply: cannot find the smtpreply shared library. Looked at:\n  - "
        + "\n  - ".join(tried)
        + "\nBuild it with `cargo build --release --lib` in the repository, or set SMTPREPLY_LIB "
        "to the path of %s." % _LIB_FILE
    )


_lib, LIBRARY_PATH = _load_library()

# --------------------------------------------------------------------------------------------------
# C structs (mirrors of include/smtpreply.h, field for field)
# --------------------------------------------------------------------------------------------------


class _ParserOptions(Structure):
    _fields_ = [
        ("max_line", c_size_t),
        ("max_reply", c_size_t),
        ("max_buffer", c_size_t),
        ("flags", c_uint32),
    ]


class _BatchReply(Structure):
    _fields_ = [
        ("offset", c_uint32),
        ("length", c_uint32),
        ("code", c_uint32),
        ("enhanced_class", c_uint32),
        ("enhanced_subject", c_uint32),
        ("enhanced_detail", c_uint32),
        ("warnings", c_uint32),
        ("first_line", c_uint32),
        ("line_count", c_uint32),
    ]


class _BatchLine(Structure):
    _fields_ = [
        ("text_offset", c_uint32),
        ("text_length", c_uint32),
        ("code", c_uint32),
        ("enhanced_class", c_uint32),
        ("enhanced_subject", c_uint32),
        ("enhanced_detail", c_uint32),
        ("is_last", c_uint32),
    ]


class _CodeInfo(Structure):
    _fields_ = [
        ("code", c_uint32),
        ("status", c_uint32),
        ("severity", c_uint32),
        ("category", c_uint32),
        ("text", c_char_p),
        ("rfc821_text", c_char_p),
        ("source", c_char_p),
        ("explanation", c_char_p),
        ("advice", c_char_p),
        ("severity_name", c_char_p),
        ("category_name", c_char_p),
        ("category_description", c_char_p),
    ]


class _CodeContext(Structure):
    _fields_ = [
        ("code", c_uint32),
        ("command", c_uint32),
        ("command_name", c_char_p),
        ("meaning", c_char_p),
        ("source", c_char_p),
    ]


class _EnhancedCode(Structure):
    _fields_ = [
        ("status_class", c_uint32),
        ("subject", c_uint32),
        ("detail", c_uint32),
    ]


class _EnhancedInfo(Structure):
    _fields_ = [
        ("code", _EnhancedCode),
        ("status", c_uint32),
        ("usage", c_uint32),
        ("name", c_char_p),
        ("description", c_char_p),
        ("rfc1893_name", c_char_p),
        ("basic_codes", c_char_p),
        ("reference", c_char_p),
        ("explanation", c_char_p),
        ("advice", c_char_p),
        ("class_name", c_char_p),
        ("class_description", c_char_p),
        ("class_explanation", c_char_p),
        ("class_advice", c_char_p),
        ("subject_name", c_char_p),
        ("subject_description", c_char_p),
    ]


class _Capability(Structure):
    # const uint8_t * fields (not NUL-terminated) as c_void_p: read with string_at(ptr, len).
    _fields_ = [
        ("keyword", c_void_p),
        ("keyword_len", c_size_t),
        ("params", c_void_p),
        ("params_len", c_size_t),
        ("param_count", c_size_t),
        ("extension", c_uint32),
    ]


class _ReplyInfo(Structure):
    _fields_ = [
        ("code", c_uint32),
        ("has_enhanced", c_bool),
        ("enhanced", _EnhancedCode),
        ("warnings", c_uint32),
        ("line_count", c_size_t),
        ("raw", c_void_p),
        ("raw_len", c_size_t),
    ]


class _Line(Structure):
    _fields_ = [
        ("content", c_void_p),
        ("content_len", c_size_t),
        ("text", c_void_p),
        ("text_len", c_size_t),
        ("code", c_uint32),
        ("is_last", c_bool),
        ("has_enhanced", c_bool),
        ("enhanced", _EnhancedCode),
    ]


class _Classification(Structure):
    # The const char * fields as c_void_p: they point at static strings, decoded once per address
    # (see _static_str) rather than on every read.
    _fields_ = [
        ("reason", c_uint32),
        ("bounce", c_uint32),
        ("retry", c_bool),
        ("action", c_uint32),
        ("code", c_uint32),
        ("has_enhanced", c_bool),
        ("enhanced", _EnhancedCode),
        ("command", c_uint32),
        ("blocklist", c_uint32),
        ("blocklist_offset", c_size_t),
        ("blocklist_len", c_size_t),
        ("has_retry_after", c_bool),
        ("retry_after", c_uint32),
        ("consequence", c_bool),
        ("rule_kind", c_uint32),
        ("rule", c_void_p),
        ("rule_source", c_void_p),
        ("evidence_offset", c_size_t),
        ("evidence_len", c_size_t),
        ("reason_name", c_void_p),
        ("bounce_name", c_void_p),
        ("action_name", c_void_p),
        ("blocklist_name", c_void_p),
        ("explanation", c_void_p),
        ("advice", c_void_p),
    ]


# Records are read field by field at the offsets ctypes computes (see _classifications): the widths
# used there must be those of the fields.
for _name, _ty in _Classification._fields_:
    _width = 4 if _ty is _EnhancedCode else sizeof(_ty)
    assert _width in (1, 4, 8), _name
    assert getattr(_Classification, _name).offset % _width == 0 and sizeof(_Classification) % _width == 0, _name
del _name, _ty, _width

assert sizeof(_BatchReply) == 9 * 4 and sizeof(_BatchLine) == 7 * 4 and sizeof(c_uint32) == 4


# Opaque handles: distinct c_void_p subclasses, so a stream can never be passed where a reply is due.
class _ReplyHandle(c_void_p):
    pass


class _StreamHandle(c_void_p):
    pass


class _BatchHandle(c_void_p):
    pass


class _CapsHandle(c_void_p):
    pass


# --------------------------------------------------------------------------------------------------
# Function declarations: argtypes and restype for every function used
# --------------------------------------------------------------------------------------------------

_R = c_uint32  # smtpreply_result
_P_SIZE = POINTER(c_size_t)
_P_U32 = POINTER(c_uint32)
_P_U64 = POINTER(c_uint64)
_P_VOIDP = POINTER(c_void_p)  # const uint8_t ** / const T ** outputs, read as addresses
# const uint8_t *data with an explicit length, as c_void_p: a bytes object is passed as a pointer to
# its own buffer (no copy), and an int as an address (parse_reply's offset). Callers check types
# first (c_void_p would also take a str).
_DATA = c_void_p


def _declare(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_version = _declare("smtpreply_version", c_char_p)
_result_name = _declare("smtpreply_result_name", c_char_p, c_uint32)
_last_error_message = _declare("smtpreply_last_error_message", c_char_p)

_options_init = _declare("smtpreply_parser_options_init", _R, POINTER(_ParserOptions))

_reply_new = _declare("smtpreply_reply_new", _ReplyHandle)
_reply_free = _declare("smtpreply_reply_free", None, _ReplyHandle)
_parse_reply = _declare(
    "smtpreply_parse_reply", _R, _DATA, c_size_t, POINTER(_ParserOptions), _ReplyHandle, _P_SIZE
)
_reply_get_info = _declare("smtpreply_reply_get_info", _R, _ReplyHandle, POINTER(_ReplyInfo))
_reply_get_line = _declare("smtpreply_reply_get_line", _R, _ReplyHandle, c_size_t, POINTER(_Line))
_warning_name = _declare("smtpreply_warning_name", c_char_p, c_uint32)
_warning_description = _declare("smtpreply_warning_description", c_char_p, c_uint32)

_batch_new = _declare("smtpreply_batch_new", _BatchHandle)
_batch_free = _declare("smtpreply_batch_free", None, _BatchHandle)
_parse_batch = _declare(
    "smtpreply_parse_batch", _R, _BatchHandle, _DATA, c_size_t, POINTER(_ParserOptions), _P_SIZE
)
_batch_replies = _declare("smtpreply_batch_replies", _R, _BatchHandle, _P_VOIDP, _P_SIZE)
_batch_lines = _declare("smtpreply_batch_lines", _R, _BatchHandle, _P_VOIDP, _P_SIZE)

_stream_new = _declare("smtpreply_stream_new", _R, POINTER(_ParserOptions), POINTER(_StreamHandle))
_stream_free = _declare("smtpreply_stream_free", None, _StreamHandle)
_stream_feed = _declare("smtpreply_stream_feed", _R, _StreamHandle, _DATA, c_size_t)
_stream_next = _declare("smtpreply_stream_next", _R, _StreamHandle, _ReplyHandle)
_stream_finish = _declare("smtpreply_stream_finish", _R, _StreamHandle)
_stream_pending = _declare("smtpreply_stream_pending", _R, _StreamHandle, _P_SIZE)
_stream_skip_line = _declare("smtpreply_stream_skip_line", _R, _StreamHandle, _P_SIZE)

_code_lookup = _declare("smtpreply_code_lookup", _R, c_uint32, POINTER(_CodeInfo))
_code_context_for = _declare("smtpreply_code_context_for", _R, c_uint32, c_uint32, POINTER(_CodeContext))
_code_context_at = _declare("smtpreply_code_context_at", _R, c_uint32, c_size_t, POINTER(_CodeContext))
_enhanced_parse = _declare("smtpreply_enhanced_parse", _R, _DATA, c_size_t, POINTER(_EnhancedCode))
_enhanced_lookup = _declare("smtpreply_enhanced_lookup", _R, POINTER(_EnhancedCode), POINTER(_EnhancedInfo))
_command_name = _declare("smtpreply_command_name", c_char_p, c_uint32)
_command_from_name = _declare("smtpreply_command_from_name", _R, c_char_p, _P_U32)

_classify = _declare("smtpreply_classify", _R, _DATA, c_size_t, c_uint32, POINTER(_Classification))
_classify_reply = _declare("smtpreply_classify_reply", _R, _ReplyHandle, c_uint32, POINTER(_Classification))
_classify_many = _declare(
    "smtpreply_classify_many", _R, _DATA, c_size_t, POINTER(c_size_t), c_size_t, POINTER(c_uint32),
    POINTER(_Classification),
)
_reason_name = _declare("smtpreply_reason_name", c_char_p, c_uint32)
_reason_explanation = _declare("smtpreply_reason_explanation", c_char_p, c_uint32)
_reason_advice = _declare("smtpreply_reason_advice", c_char_p, c_uint32)
_reason_from_name = _declare("smtpreply_reason_from_name", _R, c_char_p, _P_U32)
_bounce_name = _declare("smtpreply_bounce_name", c_char_p, c_uint32)
_action_name = _declare("smtpreply_action_name", c_char_p, c_uint32)
_blocklist_name = _declare("smtpreply_blocklist_name", c_char_p, c_uint32)
_rule_kind_name = _declare("smtpreply_rule_kind_name", c_char_p, c_uint32)

_caps_new = _declare("smtpreply_capabilities_new", _CapsHandle)
_caps_free = _declare("smtpreply_capabilities_free", None, _CapsHandle)
_caps_parse = _declare("smtpreply_capabilities_parse", _R, _CapsHandle, _DATA, c_size_t)
_caps_has = _declare("smtpreply_capabilities_has", c_bool, _CapsHandle, c_char_p)
_caps_find = _declare("smtpreply_capabilities_find", _R, _CapsHandle, c_char_p, _P_SIZE)
_caps_count = _declare("smtpreply_capabilities_count", _R, _CapsHandle, _P_SIZE)
_caps_get = _declare("smtpreply_capabilities_get", _R, _CapsHandle, c_size_t, POINTER(_Capability))
_caps_param = _declare("smtpreply_capabilities_param", _R, _CapsHandle, c_size_t, c_size_t, _P_VOIDP, _P_SIZE)
_caps_size = _declare("smtpreply_capabilities_size", _R, _CapsHandle, _P_U32, _P_U64)
_caps_auth_count = _declare("smtpreply_capabilities_auth_count", _R, _CapsHandle, _P_SIZE)
_caps_auth_mechanism = _declare("smtpreply_capabilities_auth_mechanism", _R, _CapsHandle, c_size_t, _P_VOIDP, _P_SIZE)
_caps_supports_auth = _declare("smtpreply_capabilities_supports_auth", c_bool, _CapsHandle, c_char_p)
_caps_domain = _declare("smtpreply_capabilities_domain", _R, _CapsHandle, _P_VOIDP, _P_SIZE)
_caps_greeting = _declare("smtpreply_capabilities_greeting", _R, _CapsHandle, _P_VOIDP, _P_SIZE)
_caps_extensions = _declare("smtpreply_capabilities_extensions", _R, _CapsHandle, _P_U64)
_caps_warnings = _declare("smtpreply_capabilities_warnings", _R, _CapsHandle, _P_U32, _P_U32)
_caps_limit = _declare("smtpreply_capabilities_limit", _R, _CapsHandle, c_char_p, _P_U64)
_extension_keyword = _declare("smtpreply_extension_keyword", c_char_p, c_uint32)
_caps_warning_name = _declare("smtpreply_caps_warning_name", c_char_p, c_uint32)

# Result codes (enum smtpreply_result; values are stable).
OK = 0
NEED_MORE = 1
_NULL_PARAMETER = 2
_INVALID_INPUT = 3
_LIMIT_EXCEEDED = 4
_BUFFER_TOO_SMALL = 5
_PANIC = 6
_OUT_OF_RANGE = 7
_NOT_FOUND = 8
_TRUNCATED = 9
_STRICT_VIOLATION = 10
_WRONG_STATE = 11
_NOT_SUPPORTED = 12

_U32_MAX = 0xFFFFFFFF
_SIZE_MAX = (1 << (8 * sizeof(c_size_t))) - 1

# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------


class Error(Exception):
    """An smtpreply error. ``code`` is the library's result number, ``name`` its name
    (``"SMTPREPLY_INVALID_INPUT"``), ``message`` the library's description of what went wrong."""

    def __init__(self, code, name, message):
        Exception.__init__(self, code, name, message)
        self.code = code
        self.name = name
        self.message = message

    def __str__(self):
        return "%s (%s)" % (self.message, self.name) if self.message else self.name

    def __repr__(self):
        return "%s(code=%d, name=%r, message=%r)" % (type(self).__name__, self.code, self.name, self.message)

    def __reduce__(self):
        return (type(self), (self.code, self.name, self.message))


class NullParameter(Error):
    """SMTPREPLY_NULL_PARAMETER: a required pointer was NULL (a bug in this binding if it happens)."""


class InvalidInput(Error, ValueError):
    """SMTPREPLY_INVALID_INPUT: bytes that cannot be a reply, a malformed enhanced code, a non-250
    EHLO reply, an unknown flag or command number ..."""


class LimitExceeded(Error):
    """SMTPREPLY_LIMIT_EXCEEDED: a line, reply or stream buffer is longer than the options allow."""


class BufferTooSmall(Error):
    """SMTPREPLY_BUFFER_TOO_SMALL."""


class Panic(Error):
    """SMTPREPLY_PANIC: an internal error of the library was caught at its boundary."""


class OutOfRange(Error, ValueError):
    """SMTPREPLY_OUT_OF_RANGE: a number outside its range (a reply code, an option, an index)."""


class NotFound(Error, LookupError):
    """SMTPREPLY_NOT_FOUND: the thing asked for is not there."""


class Truncated(Error):
    """SMTPREPLY_TRUNCATED: the input ended in the middle of a reply."""


class StrictViolation(Error, ValueError):
    """SMTPREPLY_STRICT_VIOLATION: strict mode, and the reply deviates from RFC 5321."""


class WrongState(Error):
    """SMTPREPLY_WRONG_STATE: a session action the session cannot take in its current state (a
    recipient before MAIL, QUIT inside a DATA body, AUTH in clear text without
    ``allow_insecure_auth`` ...). Nothing was changed or sent."""


class NotSupported(Error):
    """SMTPREPLY_NOT_SUPPORTED: the server does not offer the extension the action needs
    (8BITMIME, BINARYMIME, SMTPUTF8, AUTH or the mechanism asked for). Nothing was sent."""


_ERROR_CLASSES = {
    _NULL_PARAMETER: NullParameter,
    _INVALID_INPUT: InvalidInput,
    _LIMIT_EXCEEDED: LimitExceeded,
    _BUFFER_TOO_SMALL: BufferTooSmall,
    _PANIC: Panic,
    _OUT_OF_RANGE: OutOfRange,
    _NOT_FOUND: NotFound,
    _TRUNCATED: Truncated,
    _STRICT_VIOLATION: StrictViolation,
    _WRONG_STATE: WrongState,
    _NOT_SUPPORTED: NotSupported,
}


def _decode(b):
    return None if b is None else b.decode("utf-8")


def _result_name_of(code):
    name = _result_name(code)
    return name.decode("utf-8") if name is not None else "SMTPREPLY_RESULT_%d" % code


def _error(code, message=None):
    """The exception for a failing result; reads the library's message unless one is given.
    Must be called on the thread that made the failing call, before any other library call."""
    if message is None:
        message = _decode(_last_error_message()) or ""
    return _ERROR_CLASSES.get(code, Error)(code, _result_name_of(code), message)


def _check(code):
    if code != OK:
        raise _error(code)


def _py_out_of_range(message):
    """An OutOfRange raised by this binding before the value reached the library."""
    return OutOfRange(_OUT_OF_RANGE, "SMTPREPLY_OUT_OF_RANGE", message)


def _u32_arg(value, what):
    """A Python int for a uint32_t parameter, refused (never wrapped) when it does not fit."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    if not 0 <= value <= _U32_MAX:
        raise _py_out_of_range("%s %d is out of range (it must fit in 32 unsigned bits)" % (what, value))
    return value


def _bytes_arg(data, what="data"):
    """bytes, bytearray or memoryview (any contiguous buffer) as bytes; str is refused."""
    if type(data) is bytes:
        return data
    if isinstance(data, str):
        raise TypeError("%s must be bytes (or bytearray/memoryview), not str; encode it first" % what)
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if isinstance(data, memoryview):
        return data.tobytes()
    raise TypeError("%s must be bytes, bytearray or memoryview, not %s" % (what, type(data).__name__))


def _name_arg(name, what):
    """An identifier for a NUL-terminated char * parameter: str (or bytes) without NUL."""
    if isinstance(name, str):
        try:
            b = name.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("%s is not encodable as UTF-8: %r" % (what, name)) from None
    elif isinstance(name, (bytes, bytearray)):
        b = bytes(name)
    else:
        raise TypeError("%s must be str, not %s" % (what, type(name).__name__))
    if b"\0" in b:
        return None  # cannot be a keyword/name: callers treat it as "not there"
    return b


# --------------------------------------------------------------------------------------------------
# Names of flags and constants
# --------------------------------------------------------------------------------------------------


def _bit_names(name_fn):
    names = {}
    for i in range(32):
        n = name_fn(1 << i)
        if n is not None:
            names[1 << i] = n.decode("utf-8")
    return names


_WARNING_BITS = _bit_names(_warning_name)
_CAPS_WARNING_BITS = _bit_names(_caps_warning_name)
#: Names of the reply warnings, in bit order ("bare_lf", "bare_cr", ...).
WARNING_NAMES = tuple(_WARNING_BITS[b] for b in sorted(_WARNING_BITS))
#: Names of the EHLO capability warnings, in bit order ("malformed_line", ...).
CAPS_WARNING_NAMES = tuple(_CAPS_WARNING_BITS[b] for b in sorted(_CAPS_WARNING_BITS))
_WARNING_BIT_BY_NAME = {v: k for k, v in _WARNING_BITS.items()}
_EXTENSIONS = {}
for _i in range(1, 64):
    _kw = _extension_keyword(_i)
    if _kw is not None:
        _EXTENSIONS[_i] = _kw.decode("utf-8")
del _i, _kw

_warnings_cache = {0: ()}


def _warning_list(mask, table=_WARNING_BITS, cache=_warnings_cache):
    names = cache.get(mask)
    if names is None:
        names = tuple(table.get(1 << i, "unknown_%d" % i) for i in range(32) if mask >> i & 1)
        if len(cache) < 4096:
            cache[mask] = names
    return list(names)


def warning_description(name):
    """A sentence describing a reply warning, by name ("bare_lf") or bit."""
    bit = _WARNING_BIT_BY_NAME.get(name) if isinstance(name, str) else _u32_arg(name, "warning bit")
    d = _warning_description(bit) if bit is not None else None
    if d is None:
        raise _py_out_of_range("%r is not a reply warning" % (name,))
    return d.decode("utf-8")


_SEVERITIES = {2: "positive_completion", 3: "positive_intermediate", 4: "transient_negative", 5: "permanent_negative"}
_CATEGORIES = {
    0: "syntax", 1: "information", 2: "connections", 3: "unspecified_3", 4: "unspecified_4",
    5: "mail_system", 6: "out_of_grammar",
}
_CODE_STATUSES = {1: "standard", 2: "historic", 3: "non_standard", 4: "unregistered"}
_ENHANCED_STATUSES = {1: "registered", 2: "deprecated", 3: "unregistered"}
_USAGES = {
    0: "any", 1: "permanent_only", 2: "transient_only", 3: "permanent_or_transient", 4: "success_only",
    5: "success_or_permanent",
}
_SIZE_STATUSES = {0: "not_advertised", 1: "unspecified", 2: "no_fixed_limit", 3: "limit", 4: "invalid"}


def version():
    """The library's version string, e.g. "0.1.0"."""
    return _version().decode("utf-8")


# --------------------------------------------------------------------------------------------------
# Parser options
# --------------------------------------------------------------------------------------------------


class ParserOptions(object):
    """Parser limits and policy (``smtpreply_parser_options``).

    ``max_line`` (default 4096, terminator included), ``max_reply`` (default 65536) and
    ``max_buffer`` (streams only, default 1 MiB and at least max_reply): None means the library's
    default; the library accepts 5 to 2**30 and refuses other values with OutOfRange. 0 and
    negative values are refused here (OutOfRange) rather than meaning "default" as in C.
    ``strict``: every warning becomes a StrictViolation error.
    """

    __slots__ = ("max_line", "max_reply", "max_buffer", "strict", "_c")

    def __init__(self, max_line=None, max_reply=None, max_buffer=None, strict=False):
        self.max_line = max_line
        self.max_reply = max_reply
        self.max_buffer = max_buffer
        self.strict = bool(strict)
        c = _ParserOptions()
        _check(_options_init(byref(c)))
        for field in ("max_line", "max_reply", "max_buffer"):
            v = getattr(self, field)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError("%s must be an int or None, not %s" % (field, type(v).__name__))
            if v <= 0 or v > _SIZE_MAX:
                raise _py_out_of_range(
                    "options: %s=%d is out of range (a positive number of bytes; None for the default)" % (field, v)
                )
            setattr(c, field, v)
        if max_buffer is None and max_reply is not None and max_reply > c.max_buffer:
            c.max_buffer = 0  # the library's default then grows to max_reply
        c.flags = 1 if self.strict else 0
        self._c = c
        # Have the library validate the values now, so that bad options fail here and every
        # function reports them the same way.
        h = _StreamHandle()
        _check(_stream_new(byref(c), byref(h)))
        _stream_free(h)

    def __repr__(self):
        return "ParserOptions(max_line=%r, max_reply=%r, max_buffer=%r, strict=%r)" % (
            self.max_line, self.max_reply, self.max_buffer, self.strict)


_options_cache = {}


def _options(options, max_line, max_reply, strict, max_buffer=None):
    """The C options pointer for a call: None (library defaults) when nothing is set."""
    if options is not None:
        if not isinstance(options, ParserOptions):
            raise TypeError("options must be a ParserOptions, not %s" % type(options).__name__)
        if max_line is not None or max_reply is not None or strict or max_buffer is not None:
            raise TypeError("give either options= or max_line/max_reply/max_buffer/strict, not both")
        return options._c
    if max_line is None and max_reply is None and not strict and max_buffer is None:
        return None
    key = (max_line, max_reply, bool(strict), max_buffer)
    try:
        return _options_cache[key]
    except (KeyError, TypeError):
        pass
    c = ParserOptions(max_line=max_line, max_reply=max_reply, max_buffer=max_buffer, strict=strict)._c
    try:
        if len(_options_cache) < 64:
            _options_cache[key] = c
    except TypeError:
        pass
    return c


# --------------------------------------------------------------------------------------------------
# Replies
# --------------------------------------------------------------------------------------------------


class Reply(object):
    """One SMTP reply.

    - ``code``: the reply code (int, 200 to 599);
    - ``enhanced``: the enhanced status code as a tuple ``(class, subject, detail)``, or None;
    - ``lines``: the text of each line (bytes) without code, separator and enhanced code;
    - ``raw``: the reply as received, terminators included;
    - ``warnings``: names of the deviations from RFC 5321 (``"bare_lf"`` ...), empty when clean;
    - ``consumed``: the number of input bytes the reply took (``len(raw)``);
    - ``text`` (lines joined with ``b"\\n"``), ``line_codes`` (0 for a line without a code),
      ``line_enhanced`` (a tuple or None per line), ``enhanced_str`` ("5.1.1" or None).

    Lines are independent copies of the input (bytes slices). A reply from :func:`parse_replies`
    keeps a reference to the parsed buffer until ``raw`` is first read, and to the batch's line
    records (28 bytes a line) until ``line_codes`` or ``line_enhanced`` is first read.
    """

    # _src/_fl: the batch's line array and the reply's first line in it (parse_replies), read on
    # demand; _lcodes/_lenh: per-line codes once known.
    # _buf/_off: where `raw` lies in the parsed buffer; it is sliced on first use (most callers
    # never read it, and copying every reply cost a tenth of parse_replies).
    __slots__ = ("code", "enhanced", "lines", "_raw", "_buf", "_off", "warnings", "consumed", "_src", "_fl",
                 "_lcodes", "_lenh")

    def __init__(self, code, enhanced, lines, raw, warnings, consumed, line_codes=None, line_enhanced=None):
        self.code = code
        self.enhanced = enhanced
        self.lines = lines
        self._raw = raw
        self._buf = None
        self._off = 0
        self.warnings = warnings
        self.consumed = consumed
        self._src = None
        self._fl = 0
        if line_codes is None:
            line_codes = [code] * len(lines)
        if line_enhanced is None:
            line_enhanced = [enhanced] * len(lines)
        self._lcodes = line_codes
        self._lenh = line_enhanced

    @property
    def raw(self):
        r = self._raw
        if r is None:
            r = self._raw = self._buf[self._off:self._off + self.consumed]
            self._buf = None
        return r

    @property
    def text(self):
        return b"\n".join(self.lines)

    @property
    def enhanced_str(self):
        e = self.enhanced
        return None if e is None else "%d.%d.%d" % e

    def _unpack_lines(self):
        flat = self._src
        start = self._fl * 7
        codes = []
        enh = []
        for j in range(start, start + 7 * len(self.lines), 7):
            codes.append(flat[j + 2])
            c = flat[j + 3]
            enh.append((c, flat[j + 4], flat[j + 5]) if c else None)
        self._lcodes = codes
        self._lenh = enh
        self._src = None

    @property
    def line_codes(self):
        """The code of each line (0 for a continuation line without one)."""
        try:
            return self._lcodes
        except AttributeError:
            self._unpack_lines()
            return self._lcodes

    @property
    def line_enhanced(self):
        """The enhanced code of each line as a tuple, or None."""
        try:
            return self._lenh
        except AttributeError:
            self._unpack_lines()
            return self._lenh

    def __eq__(self, other):
        if not isinstance(other, Reply):
            return NotImplemented
        return (
            self.code == other.code and self.enhanced == other.enhanced and self.lines == other.lines
            and self.raw == other.raw and self.warnings == other.warnings and self.consumed == other.consumed
            and self.line_codes == other.line_codes and self.line_enhanced == other.line_enhanced
        )

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    __hash__ = None

    def __repr__(self):
        parts = ["code=%d" % self.code]
        if self.enhanced is not None:
            parts.append("enhanced=%s" % self.enhanced_str)
        parts.append("lines=%r" % (self.lines,))
        if self.warnings:
            parts.append("warnings=%r" % (self.warnings,))
        return "Reply(%s)" % ", ".join(parts)


def _reply_from_handle(h):
    """Builds a Reply from a filled reply handle (copies everything out of it)."""
    info = _ReplyInfo()
    _check(_reply_get_info(h, byref(info)))
    line = _Line()
    lp = byref(line)
    lines = []
    codes = []
    enh = []
    for i in range(info.line_count):
        _check(_reply_get_line(h, i, lp))
        lines.append(string_at(line.text, line.text_len) if line.text_len else b"")
        codes.append(line.code)
        if line.has_enhanced:
            e = line.enhanced
            enh.append((e.status_class, e.subject, e.detail))
        else:
            enh.append(None)
    if info.has_enhanced:
        e = info.enhanced
        enhanced = (e.status_class, e.subject, e.detail)
    else:
        enhanced = None
    raw = string_at(info.raw, info.raw_len) if info.raw_len else b""
    return Reply(info.code, enhanced, lines, raw, _warning_list(info.warnings), info.raw_len, codes, enh)


class _Owned(object):
    """A library handle freed exactly once: by close(), by the with-block, or by __del__."""

    __slots__ = ("h", "_free")

    def __init__(self, h, free):
        self.h = h
        self._free = free

    def close(self):
        h, self.h = self.h, None
        if h is not None and h.value:
            self._free(h)

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass


_tls = threading.local()


def _scratch_reply():
    """A reply handle owned by the calling thread, reused by parse_reply (freed with the thread)."""
    o = getattr(_tls, "reply", None)
    if o is None:
        o = _tls.reply = _Owned(_reply_new(), _reply_free)
    return o.h


def _scratch_batch():
    o = getattr(_tls, "batch", None)
    if o is None:
        o = _tls.batch = _Owned(_batch_new(), _batch_free)
    return o.h


def parse_reply(data, *, strict=False, max_line=None, max_reply=None, options=None, offset=0):
    """Parses the reply at the start of ``data`` (at ``data[offset:]`` when ``offset`` is given,
    without copying the rest of the buffer).

    Returns a :class:`Reply`, or None while ``data`` holds no complete reply (nothing is consumed;
    call again with more bytes appended). Pipelined replies: call again with
    ``offset=offset + reply.consumed``, or use :func:`parse_replies`.

    Raises InvalidInput (not a reply), LimitExceeded, StrictViolation (strict=True), OutOfRange
    (bad options), TypeError (str instead of bytes).
    """
    data = _bytes_arg(data)
    opts = _options(options, max_line, max_reply, strict)
    h = _scratch_reply()
    consumed = c_size_t()
    if offset:
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise TypeError("offset must be an int, not %s" % type(offset).__name__)
        if not 0 <= offset <= len(data):
            raise _py_out_of_range("offset %d is outside the data (%d bytes)" % (offset, len(data)))
        # data (a bytes object) stays alive for the call: its buffer address plus offset.
        rc = _parse_reply(ctypes.cast(data, c_void_p).value + offset, len(data) - offset, opts, h, byref(consumed))
    else:
        rc = _parse_reply(data, len(data), opts, h, byref(consumed))
    if rc == NEED_MORE:
        return None
    if rc != OK:
        raise _error(rc)
    return _reply_from_handle(h)


def _build_replies(buf, Rm, Lm):
    """Reply objects from the batch arrays (memoryviews of uint32: 9 per reply, 7 per line),
    slicing buf. Per-line codes stay in Lm until asked for (Reply.line_codes)."""
    texts = [buf[t:t + n] for t, n in zip(Lm[0::7].tolist(), Lm[1::7].tolist())]
    out = []
    append = out.append
    new = Reply.__new__
    wl = _warning_list
    for off, ln, code, ec, es, ed, w, fl, lc in zip(*[Rm[i::9].tolist() for i in range(9)]):
        r = new(Reply)
        r.code = code
        r.enhanced = (ec, es, ed) if ec else None
        r.lines = texts[fl:fl + lc]
        r._raw = None
        r._buf = buf
        r._off = off
        r.warnings = wl(w) if w else []
        r.consumed = ln
        r._src = Lm
        r._fl = fl
        append(r)
    return out


def parse_replies(buf, *, strict=False, max_line=None, max_reply=None, options=None):
    """Parses every complete reply at the start of ``buf`` with one parse call into the library.

    Returns ``(replies, rest)``: the list of :class:`Reply` and the bytes after the last complete
    reply (an incomplete reply, or bytes the next call will refuse). ``([], buf)`` when ``buf``
    holds no complete reply. An error in the first reply raises; bad bytes after good replies stay
    in ``rest`` (parsing ``rest`` raises). Reply and line bytes are slices of ``buf``: the library
    returns offsets, copies nothing. Same results as calling :func:`parse_reply` repeatedly.
    """
    buf = _bytes_arg(buf, "buf")
    opts = _options(options, max_line, max_reply, strict)
    b = _scratch_batch()
    consumed = c_size_t()
    rc = _parse_batch(b, buf, len(buf), opts, byref(consumed))
    if rc == NEED_MORE:
        return [], buf
    if rc != OK:
        raise _error(rc)
    ptr = c_void_p()
    n = c_size_t()
    _check(_batch_replies(b, byref(ptr), byref(n)))
    nr = n.value
    # Bulk copies of the two arrays, read as uint32 (the fastest way measured: one string_at and a
    # memoryview cast, then strided .tolist() of the fields needed now).
    Rm = memoryview(string_at(ptr.value, nr * sizeof(_BatchReply))).cast("I")
    _check(_batch_lines(b, byref(ptr), byref(n)))
    Lm = memoryview(string_at(ptr.value, n.value * sizeof(_BatchLine))).cast("I")
    # Building tens of thousands of small objects triggers the cyclic GC again and again, for
    # nothing (no cycles are made): pause it for large batches, restoring it as it was.
    pause_gc = nr > 256 and gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        out = _build_replies(buf, Rm, Lm)
    finally:
        if pause_gc:
            gc.enable()
    return out, buf[consumed.value:]


# --------------------------------------------------------------------------------------------------
# Stream
# --------------------------------------------------------------------------------------------------


class Stream(object):
    """An incremental reply parser (``smtpreply_stream_*``): feed received bytes, take replies.

    ::

        with smtpreply.Stream() as s:
            s.feed(sock.recv(4096))
            for reply in s:          # every complete reply so far
                ...
            s.finish()               # at end of input: raises Truncated mid-reply

    Options as for :func:`parse_reply`, plus ``max_buffer`` (most bytes buffered). After a parse
    error the stream stays where it is: close it, or ``skip_line()`` past the bad line. One
    thread at a time may use a stream (calls are serialised by a lock).
    """

    def __init__(self, *, strict=False, max_line=None, max_reply=None, max_buffer=None, options=None):
        opts = _options(options, max_line, max_reply, strict, max_buffer)
        h = _StreamHandle()
        _check(_stream_new(opts, byref(h)))
        self._stream = _Owned(h, _stream_free)
        self._reply = _Owned(_reply_new(), _reply_free)
        self._lock = threading.Lock()

    def _handles(self):
        s = self._stream.h
        if s is None:
            raise ValueError("the stream is closed")
        return s

    def feed(self, data):
        """Appends received bytes. Raises LimitExceeded when more than max_buffer bytes would be
        pending (nothing is appended then: take replies out first)."""
        data = _bytes_arg(data)
        with self._lock:
            _check(_stream_feed(self._handles(), data, len(data)))

    def next(self):
        """The next complete reply (removed from the stream), or None when more bytes are needed."""
        with self._lock:
            rc = _stream_next(self._handles(), self._reply.h)
            if rc == NEED_MORE:
                return None
            if rc != OK:
                raise _error(rc)
            return _reply_from_handle(self._reply.h)

    def __iter__(self):
        return self

    def __next__(self):
        r = self.next()
        if r is None:
            raise StopIteration
        return r

    def finish(self):
        """Declares the end of the input: raises Truncated when a partial reply is pending."""
        with self._lock:
            _check(_stream_finish(self._handles()))

    @property
    def pending(self):
        """Buffered bytes not yet taken as replies."""
        with self._lock:
            n = c_size_t()
            _check(_stream_pending(self._handles(), byref(n)))
            return n.value

    def skip_line(self):
        """Drops pending bytes up to and including the next LF (all if none); returns how many."""
        with self._lock:
            n = c_size_t()
            _check(_stream_skip_line(self._handles(), byref(n)))
            return n.value

    def close(self):
        """Frees the stream (idempotent)."""
        with self._lock:
            self._stream.close()
            self._reply.close()

    @property
    def closed(self):
        return self._stream.h is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        if self.closed:
            return "<smtpreply.Stream closed>"
        return "<smtpreply.Stream pending=%d>" % self.pending


# --------------------------------------------------------------------------------------------------
# EHLO capabilities
# --------------------------------------------------------------------------------------------------


def _out_slice(fn, *args):
    p = c_void_p()
    n = c_size_t()
    _check(fn(*(args + (byref(p), byref(n)))))
    return string_at(p.value, n.value) if n.value else b""


def _text(b):
    # Keywords, mechanisms and parameters are ASCII by the grammar; keep any other byte visible.
    return b.decode("utf-8", "surrogateescape")


class Capabilities(object):
    """What an EHLO reply advertises (``smtpreply_capabilities_*``). Build it with
    :func:`capabilities`.

    Attributes (read once, at construction): ``domain``, ``greeting``, ``keywords`` (in order),
    ``extensions`` (frozenset of the known keywords advertised), ``auth`` (mechanisms),
    ``size`` / ``size_status``, ``warnings`` (capability warnings), ``reply_warnings`` (the
    reply parser's). Methods ``has``, ``params``, ``limit``, ``supports_auth`` ask the library.
    The handle is freed by ``close()``, a with-block, or garbage collection.
    """

    def __init__(self, ehlo_reply):
        if isinstance(ehlo_reply, Reply):
            ehlo_reply = ehlo_reply.raw
        data = _bytes_arg(ehlo_reply, "ehlo_reply")
        self._lock = threading.Lock()
        self._caps = _Owned(_caps_new(), _caps_free)
        h = self._caps.h
        rc = _caps_parse(h, data, len(data))
        if rc == NEED_MORE:
            self._caps.close()
            raise Truncated(
                _TRUNCATED, "SMTPREPLY_TRUNCATED",
                "the EHLO reply is incomplete (%d bytes without the final line); pass the whole reply"
                % len(data),
            )
        if rc != OK:
            err = _error(rc)
            self._caps.close()
            raise err
        self._read_handle()

    @classmethod
    def _from_owned(cls, owned):
        """Capabilities over a filled handle (an _Owned), e.g. a session's copy."""
        self = cls.__new__(cls)
        self._lock = threading.Lock()
        self._caps = owned
        self._read_handle()
        return self

    def _read_handle(self):
        h = self._caps.h
        n = c_size_t()
        _check(_caps_count(h, byref(n)))
        cap = _Capability()
        entries = []
        for i in range(n.value):
            _check(_caps_get(h, i, byref(cap)))
            kw = _text(string_at(cap.keyword, cap.keyword_len))
            params = [_text(_out_slice(_caps_param, h, i, k)) for k in range(cap.param_count)]
            entries.append((kw, params, cap.extension))
        self._entries = entries
        self.keywords = [e[0] for e in entries]
        self.domain = _text(_out_slice(_caps_domain, h))
        self.greeting = _text(_out_slice(_caps_greeting, h))
        status = c_uint32()
        limit = c_uint64()
        _check(_caps_size(h, byref(status), byref(limit)))
        self.size_status = _SIZE_STATUSES.get(status.value, "unknown_%d" % status.value)
        self.size = limit.value if status.value == 3 else None
        _check(_caps_auth_count(h, byref(n)))
        self.auth = [_text(_out_slice(_caps_auth_mechanism, h, i)) for i in range(n.value)]
        mask = c_uint64()
        _check(_caps_extensions(h, byref(mask)))
        self.extensions = frozenset(kw for bit, kw in _EXTENSIONS.items() if mask.value >> bit & 1)
        cw = c_uint32()
        rw = c_uint32()
        _check(_caps_warnings(h, byref(cw), byref(rw)))
        self.warnings = _warning_list(cw.value, _CAPS_WARNING_BITS, {})
        self.reply_warnings = _warning_list(rw.value)

    def _handle(self):
        h = self._caps.h
        if h is None:
            raise ValueError("the capabilities handle is closed")
        return h

    def has(self, keyword):
        """True when ``keyword`` was advertised (case-insensitive)."""
        kw = _name_arg(keyword, "keyword")
        if kw is None:
            return False
        with self._lock:
            return bool(_caps_has(self._handle(), kw))

    __contains__ = has

    def params(self, keyword):
        """The parameters of the first capability named ``keyword`` (list of str), or None when it
        is not advertised."""
        kw = _name_arg(keyword, "keyword")
        if kw is None:
            return None
        with self._lock:
            i = c_size_t()
            rc = _caps_find(self._handle(), kw, byref(i))
            if rc == _NOT_FOUND:
                return None
            if rc != OK:
                raise _error(rc)
        return list(self._entries[i.value][1])

    def limit(self, name):
        """A LIMITS value (RFC 9422) such as "RCPTMAX", or None."""
        n = _name_arg(name, "name")
        if n is None:
            return None
        with self._lock:
            v = c_uint64()
            rc = _caps_limit(self._handle(), n, byref(v))
            if rc == _NOT_FOUND:
                return None
            if rc != OK:
                raise _error(rc)
            return v.value

    def supports_auth(self, mechanism):
        """True when AUTH offers ``mechanism`` (case-insensitive)."""
        m = _name_arg(mechanism, "mechanism")
        if m is None:
            return False
        with self._lock:
            return bool(_caps_supports_auth(self._handle(), m))

    def items(self):
        """(keyword, params) for each capability line, in order."""
        return [(kw, list(p)) for kw, p, _ in self._entries]

    def __len__(self):
        return len(self._entries)

    def __iter__(self):
        return iter(self.keywords)

    def close(self):
        with self._lock:
            self._caps.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        caps = ", ".join(" ".join([kw] + p) for kw, p, _ in self._entries)
        s = "Capabilities(domain=%r, [%s]" % (self.domain, caps)
        if self.warnings:
            s += ", warnings=%r" % (self.warnings,)
        return s + ")"


def capabilities(ehlo_reply):
    """Parses a complete 250 EHLO reply (bytes, or a :class:`Reply`) into :class:`Capabilities`.

    The reply must start at the first byte; bytes after its final line are ignored (as the
    library does): to take an EHLO reply out of a pipelined buffer, parse it with
    :func:`parse_reply` first and pass the Reply.

    Raises InvalidInput when the reply is not 250 (a refused EHLO advertises nothing; the message
    names the code) or the bytes are not a reply; Truncated when the reply is incomplete (the
    function takes a whole reply: feed partial data to a Stream first); LimitExceeded.
    """
    return Capabilities(ehlo_reply)


# --------------------------------------------------------------------------------------------------
# Knowledge: basic reply codes
# --------------------------------------------------------------------------------------------------


#: What a code means after one command: ``(command_name, meaning, source)``.
CodeContext = collections.namedtuple("CodeContext", "command_name meaning source")


def _context(c):
    return CodeContext(_decode(c.command_name), _decode(c.meaning), _decode(c.source))


class CodeInfo(object):
    """Everything the library knows about a basic reply code (``smtpreply_code_info``)."""

    __slots__ = (
        "code", "status", "severity", "category", "text", "rfc821_text", "source", "explanation", "advice",
        "severity_name", "category_name", "category_description", "contexts",
    )

    def __init__(self, **fields):
        for k in self.__slots__:
            setattr(self, k, fields[k])

    def _asdict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __eq__(self, other):
        return self._asdict() == other._asdict() if isinstance(other, CodeInfo) else NotImplemented

    __hash__ = None

    def __repr__(self):
        return "CodeInfo(code=%d, status=%r, severity=%r, category=%r, text=%r, contexts=%d)" % (
            self.code, self.status, self.severity, self.category, self.text, len(self.contexts))


def _lookup(code):
    code = _u32_arg(code, "reply code")
    info = _CodeInfo()
    _check(_code_lookup(code, byref(info)))
    return info


def describe_code(code):
    """The RFC wording for a reply code ("Requested action not taken: mailbox unavailable ...").
    Codes 200 to 599 succeed (unregistered ones are described from their digits); others raise
    OutOfRange; non-int raises TypeError."""
    return _decode(_lookup(code).text)


def explain_code(code):
    """A plain-language explanation of a reply code for an end user."""
    return _decode(_lookup(code).explanation)


def advice_code(code):
    """What to do about a reply code."""
    return _decode(_lookup(code).advice)


def code_info(code):
    """A :class:`CodeInfo` with every field of ``smtpreply_code_info`` (``status``, ``severity``
    and ``category`` as lower-case names, the library's own names in ``severity_name`` ...) and
    ``contexts``: the command-specific meanings as (command_name, meaning, source) tuples."""
    i = _lookup(code)
    contexts = []
    ctx = _CodeContext()
    k = 0
    while True:
        rc = _code_context_at(i.code, k, byref(ctx))
        if rc == _OUT_OF_RANGE:
            break
        _check(rc)
        contexts.append(_context(ctx))
        k += 1
    return CodeInfo(
        code=i.code,
        status=_CODE_STATUSES.get(i.status, "unknown_%d" % i.status),
        severity=_SEVERITIES.get(i.severity, "unknown_%d" % i.severity),
        category=_CATEGORIES.get(i.category, "unknown_%d" % i.category),
        text=_decode(i.text),
        rfc821_text=_decode(i.rfc821_text),
        source=_decode(i.source),
        explanation=_decode(i.explanation),
        advice=_decode(i.advice),
        severity_name=_decode(i.severity_name),
        category_name=_decode(i.category_name),
        category_description=_decode(i.category_description),
        contexts=contexts,
    )


def _command_arg(command):
    if isinstance(command, str):
        return command_from_name(command)
    return _u32_arg(command, "command")


def code_context(code, command):
    """What ``code`` means in reply to ``command`` (a name such as "RCPT" or a number) as a
    :class:`CodeContext`, or None when the RFCs give no command-specific meaning."""
    code = _u32_arg(code, "reply code")
    cmd = _command_arg(command)
    ctx = _CodeContext()
    rc = _code_context_for(code, cmd, byref(ctx))
    if rc == _NOT_FOUND:
        return None
    _check(rc)
    return _context(ctx)


def command_name(command):
    """The name of an SMTPREPLY_COMMAND_* number ("RCPT", "DATA-END"), or None for an unknown one."""
    command = _u32_arg(command, "command")
    return _decode(_command_name(command))


def command_from_name(name):
    """The SMTPREPLY_COMMAND_* number for a name ("RCPT", "rcpt to", "MAIL FROM", "DATA-END").
    Raises NotFound for an unknown name."""
    b = _name_arg(name, "name")
    if b is None:
        raise NotFound(_NOT_FOUND, "SMTPREPLY_NOT_FOUND", "%r is not a command name" % (name,))
    out = c_uint32()
    _check(_command_from_name(b, byref(out)))
    return out.value


# --------------------------------------------------------------------------------------------------
# Knowledge: enhanced status codes
# --------------------------------------------------------------------------------------------------


class EnhancedInfo(object):
    """Everything the library knows about an enhanced status code (``smtpreply_enhanced_info``).

    ``code`` is a tuple (class, subject, detail) and ``code_str`` the text "5.7.26"; ``status``
    ('registered' | 'deprecated' | 'unregistered') and ``usage`` are lower-case names. Fields the
    library gives as NULL (``rfc1893_name`` when RFC 1893's name does not differ, registry fields of
    an unregistered code, subject fields of a subject above 7) are None.
    """

    __slots__ = (
        "code", "status", "usage", "name", "description", "rfc1893_name", "basic_codes", "reference",
        "explanation", "advice", "class_name", "class_description", "class_explanation", "class_advice",
        "subject_name", "subject_description",
    )

    def __init__(self, **fields):
        for k in self.__slots__:
            setattr(self, k, fields[k])

    @property
    def code_str(self):
        return "%d.%d.%d" % self.code

    @property
    def registered(self):
        return self.status != "unregistered"

    def _asdict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __eq__(self, other):
        return self._asdict() == other._asdict() if isinstance(other, EnhancedInfo) else NotImplemented

    __hash__ = None

    def __repr__(self):
        return "EnhancedInfo(code=%s, status=%r, name=%r)" % (self.code_str, self.status, self.name)


def parse_enhanced(code):
    """Parses "5.7.26" (surrounding spaces allowed) into a tuple (5, 7, 26). Raises InvalidInput
    (not class.subject.detail, leading zeros) or OutOfRange (class not 2/4/5, a field above 999)."""
    if isinstance(code, str):
        try:
            b = code.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(_INVALID_INPUT, "SMTPREPLY_INVALID_INPUT",
                               "the enhanced status code %r is not valid text" % (code,)) from None
    elif isinstance(code, (bytes, bytearray, memoryview)):
        b = _bytes_arg(code, "code")
    else:
        raise TypeError("an enhanced status code must be str or bytes, not %s" % type(code).__name__)
    out = _EnhancedCode()
    _check(_enhanced_parse(b, len(b), byref(out)))
    return (out.status_class, out.subject, out.detail)


def _enhanced_lookup_raw(code):
    if isinstance(code, tuple):
        if len(code) != 3:
            raise ValueError("an enhanced status code tuple has 3 fields (class, subject, detail), not %d" % len(code))
        c = _EnhancedCode(*(_u32_arg(v, "enhanced code field") for v in code))
    else:
        c = _EnhancedCode(*parse_enhanced(code))
    info = _EnhancedInfo()
    _check(_enhanced_lookup(byref(c), byref(info)))
    return info


def describe_enhanced(code):
    """The registry name of an enhanced status code ("5.7.26" -> "Multiple authentication checks
    failed"); for an unregistered detail, the subject's (or class's) name."""
    return _decode(_enhanced_lookup_raw(code).name)


def explain_enhanced(code):
    """A plain-language explanation of an enhanced status code."""
    return _decode(_enhanced_lookup_raw(code).explanation)


def advice_enhanced(code):
    """What to do about an enhanced status code."""
    return _decode(_enhanced_lookup_raw(code).advice)


def enhanced_info(code):
    """An :class:`EnhancedInfo` for ``code`` ("5.1.1", b"5.1.1" or (5, 1, 1))."""
    i = _enhanced_lookup_raw(code)
    return EnhancedInfo(
        code=(i.code.status_class, i.code.subject, i.code.detail),
        status=_ENHANCED_STATUSES.get(i.status, "unknown_%d" % i.status),
        usage=_USAGES.get(i.usage, "unknown_%d" % i.usage),
        name=_decode(i.name),
        description=_decode(i.description),
        rfc1893_name=_decode(i.rfc1893_name),
        basic_codes=_decode(i.basic_codes),
        reference=_decode(i.reference),
        explanation=_decode(i.explanation),
        advice=_decode(i.advice),
        class_name=_decode(i.class_name),
        class_description=_decode(i.class_description),
        class_explanation=_decode(i.class_explanation),
        class_advice=_decode(i.class_advice),
        subject_name=_decode(i.subject_name),
        subject_description=_decode(i.subject_description),
    )


# --------------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------------


def _name_table(fn, limit=256):
    """The names an smtpreply_*_name function gives for 0, 1, 2 ... until the first NULL."""
    names = []
    for i in range(limit):
        n = fn(i)
        if n is None:
            break
        names.append(n.decode("utf-8"))
    return tuple(names)


#: The taxonomy names of the reasons, indexed by SMTPREPLY_REASON_* ("success", "user_unknown" ...).
REASON_NAMES = _name_table(_reason_name)
#: "none", "soft", "hard" (SMTPREPLY_BOUNCE_*).
BOUNCE_NAMES = _name_table(_bounce_name)
#: The action names, indexed by SMTPREPLY_ACTION_* ("none", "retry_later", "remove_recipient" ...).
ACTION_NAMES = _name_table(_action_name)
#: The rule kinds, indexed by SMTPREPLY_RULE_* ("success", "provider", "phrase" ...).
RULE_KIND_NAMES = _name_table(_rule_kind_name)
#: The display names of the public blocklists by SMTPREPLY_BLOCKLIST_* number (1 up; 0 is "none").
BLOCKLIST_NAMES = {}
for _i in range(1, 256):
    _n = _blocklist_name(_i)
    if _n is None:
        break
    BLOCKLIST_NAMES[_i] = _n.decode("utf-8")
del _i, _n
_REASON_EXPLANATIONS = tuple(_decode(_reason_explanation(i)) for i in range(len(REASON_NAMES)))
_REASON_ADVICE = tuple(_decode(_reason_advice(i)) for i in range(len(REASON_NAMES)))
_COMMAND_NAMES = {}
for _i in range(1, 256):
    _n = _command_name(_i)
    if _n is None:
        break
    _COMMAND_NAMES[_i] = _n.decode("utf-8")
del _i, _n

# Static strings of the library (rule ids, sources, blocklist names) by address, decoded once. A NULL
# pointer (0 from a memoryview, None from a ctypes c_void_p field) is None.
_static_strs = {0: None, None: None}


def _static_str(p):
    try:
        return _static_strs[p]
    except KeyError:
        s = _static_strs[p] = None if not p else string_at(p).decode("utf-8")
        return s


def _reason_number(name):
    b = _name_arg(name, "reason")
    if b is None:
        raise NotFound(_NOT_FOUND, "SMTPREPLY_NOT_FOUND", "%r is not a reason" % (name,))
    out = c_uint32()
    _check(_reason_from_name(b, byref(out)))
    return out.value


def explain_reason(reason):
    """The plain-language explanation of a reason, by taxonomy name ("mailbox_full"). Raises
    NotFound for an unknown name."""
    return _REASON_EXPLANATIONS[_reason_number(reason)]


def advice_reason(reason):
    """What to do about a reason, by taxonomy name. Raises NotFound for an unknown name."""
    return _REASON_ADVICE[_reason_number(reason)]


_CLASSIFICATION_FIELDS = (
    "reason", "bounce", "retry", "action", "blocklist", "blocklist_id", "blocklist_span", "retry_after",
    "rule", "rule_kind", "rule_source", "evidence_span", "explanation", "advice", "code", "enhanced",
    "command", "consequence",
)


class Classification(collections.namedtuple("Classification", _CLASSIFICATION_FIELDS)):
    """The verdict on one reply (``smtpreply_classification``). Immutable.

    - ``reason``: the taxonomy name ("user_unknown", "mailbox_full", "blocklisted" ...);
    - ``bounce``: "none", "soft" or "hard"; ``retry``: whether to try again later;
    - ``action``: what to do ("remove_recipient", "retry_later", "fix_sender_setup" ...);
    - ``blocklist``: the display name of the public blocklist the text names ("Spamhaus ZEN"), or
      None; ``blocklist_id`` its SMTPREPLY_BLOCKLIST_* number or None; ``blocklist_span``
      ``(start, end)`` of its name in the input, or None;
    - ``retry_after``: seconds the text asks to wait ("try again in 5 minutes" -> 300), or None;
    - ``rule``: the deciding rule's identifier; ``rule_kind``: "provider", "phrase",
      "enhanced_code" ...; ``rule_source``: where the rule comes from; ``evidence_span``:
      ``(start, end)`` of the deciding words in the input, or None when they cannot be located
      (for instance a phrase broken across the lines of a multi-line reply);
    - ``explanation``, ``advice``: plain-language text for the reason;
    - ``code``: the reply code found, or None; ``enhanced``: ``(class, subject, detail)`` or None;
    - ``command``: the command the reply answered ("RCPT" ...), as given or as named by a wrapper
      such as "(in reply to RCPT TO command)", or None;
    - ``consequence``: the reply only repeats an earlier failure.

    Spans are byte offsets into the bytes classified (``data[start:end]``; for :func:`classify_many`,
    into each reply). A Classification is a named tuple, but equal only to another Classification.
    """

    __slots__ = ()

    def __eq__(self, other):
        if isinstance(other, Classification):
            return tuple.__eq__(self, other)
        return False if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    __hash__ = tuple.__hash__

    def __repr__(self):
        parts = ["reason=%r" % self.reason, "bounce=%r" % self.bounce, "retry=%r" % self.retry,
                 "action=%r" % self.action]
        if self.code is not None:
            parts.append("code=%d" % self.code)
        if self.enhanced is not None:
            parts.append("enhanced=%d.%d.%d" % self.enhanced)
        if self.command is not None:
            parts.append("command=%r" % self.command)
        if self.blocklist is not None:
            parts.append("blocklist=%r" % self.blocklist)
        if self.retry_after is not None:
            parts.append("retry_after=%d" % self.retry_after)
        if self.consequence:
            parts.append("consequence=True")
        parts.append("rule=%r (%s)" % (self.rule, self.rule_kind))
        return "Classification(%s)" % ", ".join(parts)


def _classifications(raw, n):
    """Classifications from ``n`` consecutive smtpreply_classification records (bytes ``raw``).

    Each field is read for every record at once through a strided memoryview (C speed), then one
    loop builds the records with tuple.__new__. About twice as fast as reading the ctypes records
    one by one, for 10,000 records."""
    size = sizeof(_Classification)
    mv = memoryview(raw)
    views = {w: mv.cast(code) for w, code in ((1, "B"), (4, "I"), (8, "Q")) if size % w == 0}

    def col(name, delta=0):
        """Field `name` (plus `delta` bytes: the parts of `enhanced`) of every record, as ints."""
        f = getattr(_Classification, name)
        width = 4 if name == "enhanced" else f.size
        return views[width][(f.offset + delta) // width::size // width].tolist()

    rule, source, bl_name = col("rule"), col("rule_source"), col("blocklist_name")
    strs = _static_strs
    for p in set(rule).union(source, bl_name).difference(strs):
        _static_str(p)
    columns = [col(name) for name in (
        "reason", "bounce", "retry", "action", "blocklist", "blocklist_offset", "blocklist_len",
        "has_retry_after", "retry_after", "rule_kind", "evidence_offset", "evidence_len", "code",
        "has_enhanced", "command", "consequence")]
    columns[4:4] = [bl_name]
    columns[10:10] = [rule, source]
    columns += [col("enhanced"), col("enhanced", 4), col("enhanced", 8)]
    reasons, bounces, actions, kinds = REASON_NAMES, BOUNCE_NAMES, ACTION_NAMES, RULE_KIND_NAMES
    expl, advice, commands = _REASON_EXPLANATIONS, _REASON_ADVICE, _COMMAND_NAMES
    new = tuple.__new__
    cls = Classification
    out = []
    append = out.append
    for (reason, bounce, retry, action, bln, bl, bo, bll, hra, ra, rule, src, kind, eo, el, code, he, cmd, cons,
         ec, es, ed) in zip(*columns):
        append(new(cls, (
            reasons[reason], bounces[bounce], retry == 1, actions[action],
            strs[bln], bl or None, (bo, bo + bll) if bll else None, ra if hra else None,
            strs[rule], kinds[kind], strs[src], (eo, eo + el) if el else None,
            expl[reason], advice[reason], code or None, (ec, es, ed) if he else None,
            commands.get(cmd), cons == 1,
        )))
    return out


_new_classification = functools.partial(tuple.__new__, Classification)


def _classification(c):
    """A Classification from one _Classification (ctypes) record."""
    reason = c.reason
    if c.blocklist:
        bl, bl_name = c.blocklist, _static_str(c.blocklist_name)
        bl_span = (c.blocklist_offset, c.blocklist_offset + c.blocklist_len) if c.blocklist_len else None
    else:
        bl = bl_name = bl_span = None
    e = c.enhanced
    return _new_classification((
        REASON_NAMES[reason],
        BOUNCE_NAMES[c.bounce],
        bool(c.retry),
        ACTION_NAMES[c.action],
        bl_name,
        bl,
        bl_span,
        c.retry_after if c.has_retry_after else None,
        _static_str(c.rule),
        RULE_KIND_NAMES[c.rule_kind],
        _static_str(c.rule_source),
        (c.evidence_offset, c.evidence_offset + c.evidence_len) if c.evidence_len else None,
        _REASON_EXPLANATIONS[reason],
        _REASON_ADVICE[reason],
        c.code or None,
        (e.status_class, e.subject, e.detail) if c.has_enhanced else None,
        _COMMAND_NAMES.get(c.command),
        bool(c.consequence),
    ))


# Command argument -> SMTPREPLY_COMMAND_* number, for names already looked up.
_command_numbers = {}


def _classify_command(command):
    """The SMTPREPLY_COMMAND_* number for classify's ``command``: None (unknown), a name ("RCPT",
    "rcpt to", "DATA-END") or a number. An unknown name raises InvalidInput (a ValueError); a
    number is checked by the library."""
    if command is None:
        return 0
    if isinstance(command, str):
        n = _command_numbers.get(command)
        if n is None:
            try:
                n = command_from_name(command)
            except NotFound as e:
                raise InvalidInput(_INVALID_INPUT, "SMTPREPLY_INVALID_INPUT",
                                   "%r is not an SMTP command name (%s)" % (command, e.message)) from None
            except ValueError as e:  # not encodable
                raise InvalidInput(_INVALID_INPUT, "SMTPREPLY_INVALID_INPUT",
                                   "%r is not an SMTP command name (%s)" % (command, e)) from None
            if len(_command_numbers) < 1024:
                _command_numbers[command] = n
        return n
    return _u32_arg(command, "command")


def _reply_bytes(reply, what="reply"):
    if isinstance(reply, Reply):
        return reply.raw
    return _bytes_arg(reply, what)


def classify(reply, command=None):
    """Classifies one reply: why it failed (or that it succeeded), soft or hard, whether to retry,
    what to do, and the evidence. Returns a :class:`Classification`.

    ``reply``: bytes (bytearray, memoryview) as received, a flattened log line, a relayed reply in
    its wrapper ("host X said: 550 ... (in reply to RCPT TO command)"), or a :class:`Reply` (its
    raw bytes are classified). ``command``: the command it answered, as a name ("RCPT",
    "MAIL FROM", "DATA-END" ...) or an SMTPREPLY_COMMAND_* number; None when not known.

    Raises TypeError for str (encode it first); InvalidInput for an empty or blank reply or an
    unknown command; LimitExceeded for more than 64 KiB.
    """
    data = _reply_bytes(reply)
    cmd = _classify_command(command)
    out = _Classification()
    rc = _classify(data, len(data), cmd, byref(out))
    if rc != OK:
        raise _error(rc)
    return _classification(out)


# The array typecodes of size_t and uint32_t (for the bounds and commands of classify_many, filled
# without a Python loop).
_U32_CODE = next(t for t in ("I", "L") if array.array(t).itemsize == 4)
_SIZE_T_CODE = next(t for t in ("N", "L", "Q", "I") if t in array.typecodes and array.array(t).itemsize == sizeof(c_size_t))


def classify_many(replies, command=None):
    """Classifies a list of replies in one call into the library; returns a list of
    :class:`Classification`, the same as ``[classify(r, ...) for r in replies]``.

    ``replies``: a sequence of bytes (bytearray, memoryview, :class:`Reply`). ``command``: None,
    one command (name or number) for every reply, or a list with one per reply (None for unknown).
    An empty list gives []. Raises as :func:`classify`; the message of an error names the index of
    the reply at fault, and nothing is returned for the others.
    """
    if isinstance(replies, (bytes, bytearray, memoryview, str)):
        raise TypeError("classify_many takes a list of replies, not %s; use classify() for one" % type(replies).__name__)
    datas = list(replies)
    if not set(map(type, datas)) <= {bytes}:
        datas = [_reply_bytes(r, "replies[%d]" % i) for i, r in enumerate(datas)]
    n = len(datas)
    if n == 0:
        if isinstance(command, (list, tuple)) and len(command) != 0:
            raise ValueError("classify_many: %d commands for 0 replies" % len(command))
        return []
    if command is None:
        cmds = None
    else:
        if isinstance(command, (list, tuple)):
            if len(command) != n:
                raise ValueError("classify_many: %d commands for %d replies" % (len(command), n))
            if set(map(type, command)) <= {str, int, type(None)}:
                # Each distinct command once (str, int and None never compare equal across types).
                numbers = {c: _classify_command(c) for c in set(command)}
                nums = array.array(_U32_CODE, map(numbers.__getitem__, command))
            else:
                nums = array.array(_U32_CODE, map(_classify_command, command))
        else:
            nums = array.array(_U32_CODE, [_classify_command(command)]) * n
        cmds = (c_uint32 * n).from_buffer(nums)
    data = b"".join(datas)
    bounds_arr = array.array(_SIZE_T_CODE, [0])
    bounds_arr.extend(itertools.accumulate(map(len, datas)))
    bounds = (c_size_t * (n + 1)).from_buffer(bounds_arr)
    out = (_Classification * n)()
    rc = _classify_many(data, len(data), bounds, n, cmds, out)
    if rc != OK:
        raise _error(rc)
    raw = string_at(ctypes.addressof(out), n * sizeof(_Classification))
    # Building many small objects triggers the cyclic GC again and again, for nothing (they make no
    # cycles): pause it for large lists, restoring it as it was.
    pause_gc = n > 256 and gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        return _classifications(raw, n)
    finally:
        if pause_gc:
            gc.enable()


# --------------------------------------------------------------------------------------------------
# The client session (sans I/O): smtpreply_session_*
# --------------------------------------------------------------------------------------------------


class _SessionConfig(Structure):
    _fields_ = [
        ("client_name", c_char_p),
        ("tls", c_uint32),
        ("flags", c_uint32),
    ]


class _Event(Structure):
    # const uint8_t * fields as c_void_p: copied out with string_at(ptr, len) before the next call.
    _fields_ = [
        ("kind", c_uint32),
        ("command", c_uint32),
        ("unexpected", c_bool),
        ("has_reply", c_bool),
        ("code", c_uint32),
        ("has_enhanced", c_bool),
        ("enhanced", _EnhancedCode),
        ("reply", c_void_p),
        ("reply_len", c_size_t),
        ("has_classification", c_bool),
        ("classification", _Classification),
        ("recipient_index", c_size_t),
        ("address", c_void_p),
        ("address_len", c_size_t),
        ("recipient_count", c_size_t),
        ("queue_id", c_void_p),
        ("queue_id_len", c_size_t),
        ("mechanism", c_uint32),
        ("challenge", c_void_p),
        ("challenge_len", c_size_t),
        ("close_reason", c_uint32),
        ("message", c_void_p),
    ]


class _RecipientResultC(Structure):
    _fields_ = [
        ("address", c_void_p),
        ("address_len", c_size_t),
        ("status", c_uint32),
        ("has_reply", c_bool),
        ("code", c_uint32),
        ("reply", c_void_p),
        ("reply_len", c_size_t),
        ("has_classification", c_bool),
        ("classification", _Classification),
    ]


class _MailOptions(Structure):
    _fields_ = [
        ("size", c_uint64),
        ("body", c_uint32),
        ("flags", c_uint32),
        ("dsn_return", c_uint32),
        ("dsn_envid", c_char_p),
    ]


class _RcptOptions(Structure):
    _fields_ = [
        ("notify", c_uint32),
        ("orcpt", c_char_p),
    ]


class _BodyStatsC(Structure):
    _fields_ = [
        ("command", c_uint32),
        ("input_bytes", c_uint64),
        ("output_bytes", c_uint64),
        ("line_endings_fixed", c_uint64),
        ("dots_stuffed", c_uint64),
        ("long_lines", c_uint64),
    ]


#: What the session did to a message body: ``command`` ("DATA" or "BDAT"), ``input_bytes`` (taken
#: from the host), ``output_bytes`` (sent, terminator excluded), ``line_endings_fixed`` (bare CR/LF
#: made CRLF), ``dots_stuffed``, ``long_lines`` (over RFC 5321's 1000 octets, sent as they are).
BodyStats = collections.namedtuple(
    "BodyStats", "command input_bytes output_bytes line_endings_fixed dots_stuffed long_lines")


class _SessionHandle(c_void_p):
    pass


_session_new = _declare("smtpreply_session_new", _R, POINTER(_SessionConfig), POINTER(_SessionHandle))
_session_free = _declare("smtpreply_session_free", None, _SessionHandle)
_session_receive = _declare("smtpreply_session_receive", _R, _SessionHandle, _DATA, c_size_t)
_session_receive_eof = _declare("smtpreply_session_receive_eof", _R, _SessionHandle)
_session_next_event = _declare("smtpreply_session_next_event", _R, _SessionHandle, POINTER(_Event))
_session_event_recipient = _declare(
    "smtpreply_session_event_recipient", _R, _SessionHandle, c_size_t, POINTER(_RecipientResultC)
)
_session_output = _declare("smtpreply_session_output", _R, _SessionHandle, _P_VOIDP, _P_SIZE)
_session_advance_output = _declare("smtpreply_session_advance_output", _R, _SessionHandle, c_size_t)
_session_timeout_ms = _declare("smtpreply_session_timeout_ms", _R, _SessionHandle, _P_U64)
_session_is_ready = _declare("smtpreply_session_is_ready", c_bool, _SessionHandle)
_session_is_closed = _declare("smtpreply_session_is_closed", c_bool, _SessionHandle)
_session_capabilities = _declare("smtpreply_session_capabilities", _R, _SessionHandle, _CapsHandle)
_session_is_tls = _declare("smtpreply_session_is_tls", c_bool, _SessionHandle)
_session_authenticated = _declare("smtpreply_session_authenticated", _R, _SessionHandle, POINTER(c_uint32))
_session_body_stats = _declare("smtpreply_session_body_stats", _R, _SessionHandle, POINTER(_BodyStatsC))
_message_size = _declare("smtpreply_message_size", _R, _DATA, c_size_t, _P_U64)
_session_send_mail = _declare("smtpreply_session_send_mail", _R, _SessionHandle, c_char_p, POINTER(_MailOptions))
_session_add_recipient = _declare(
    "smtpreply_session_add_recipient", _R, _SessionHandle, c_char_p, POINTER(_RcptOptions), _P_SIZE
)
_session_start_data = _declare("smtpreply_session_start_data", _R, _SessionHandle)
_session_send_body = _declare("smtpreply_session_send_body", _R, _SessionHandle, _DATA, c_size_t)
_session_authenticate = _declare(
    "smtpreply_session_authenticate", _R, _SessionHandle, c_char_p, c_char_p, c_uint32
)
_session_end_body = _declare("smtpreply_session_end_body", _R, _SessionHandle)
_session_tls_established = _declare("smtpreply_session_tls_established", _R, _SessionHandle)
_session_tls_failed = _declare("smtpreply_session_tls_failed", _R, _SessionHandle)
_session_reset = _declare("smtpreply_session_reset", _R, _SessionHandle)
_session_noop = _declare("smtpreply_session_noop", _R, _SessionHandle)
_session_quit = _declare("smtpreply_session_quit", _R, _SessionHandle)
_event_name = _declare("smtpreply_event_name", c_char_p, c_uint32)
_close_reason_name = _declare("smtpreply_close_reason_name", c_char_p, c_uint32)
_recipient_status_name = _declare("smtpreply_recipient_status_name", c_char_p, c_uint32)


def _numbered_names(fn, first):
    names = {}
    i = first
    while True:
        n = fn(i)
        if n is None:
            return names
        names[i] = n.decode("utf-8")
        i += 1


#: Event kinds by SMTPREPLY_EVENT_* number ("reply", "greeting", ... "closed").
EVENT_KINDS = _numbered_names(_event_name, 1)
#: Close reasons by SMTPREPLY_CLOSE_* number ("quit", "service_closing" ...).
CLOSE_REASONS = _numbered_names(_close_reason_name, 1)
#: Recipient statuses by SMTPREPLY_RECIPIENT_* number ("pending", "accepted", "rejected", "deferred").
RECIPIENT_STATUSES = _numbered_names(_recipient_status_name, 0)

_TLS_POLICIES = {"never": 0, "opportunistic": 1, "required": 2}
_FLAG_TLS_ACTIVE, _FLAG_NO_PIPELINING, _FLAG_NO_CHUNKING, _FLAG_ALL_OR_NOTHING, _FLAG_INSECURE_AUTH = (
    1, 2, 4, 8, 16)
_BODY_TYPES = {"7bit": 0, "8bitmime": 1, "binarymime": 2}
_DSN_RETURNS = {"full": 1, "hdrs": 2, "headers": 2}
_NOTIFY_BITS = {"never": 1, "success": 2, "failure": 4, "delay": 8}
_MECHANISMS = {"auto": 0, "plain": 1, "login": 2, "xoauth2": 3}
_MECHANISM_NAMES = {1: "PLAIN", 2: "LOGIN", 3: "XOAUTH2"}
_EVENT_MESSAGE_ACCEPTED = 11
_EVENT_MESSAGE_REJECTED = 12
_ALL_COMMAND_NAMES = dict(_COMMAND_NAMES)
_ALL_COMMAND_NAMES[0] = _decode(_command_name(0)) or "UNKNOWN"


def _py_invalid(message):
    """An InvalidInput raised by this binding before the value reached the library."""
    return InvalidInput(_INVALID_INPUT, "SMTPREPLY_INVALID_INPUT", message)


def _text_arg(value, what, allow_none=False):
    """A str for a NUL-terminated UTF-8 char * parameter (addresses, names, secrets).

    None (unless allowed) and non-str raise TypeError; text with NUL (which C would silently cut)
    or that is not encodable as UTF-8 raises InvalidInput."""
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise TypeError("%s must be str, not %s" % (what, type(value).__name__))
    try:
        b = value.encode("utf-8")
    except UnicodeEncodeError:
        raise _py_invalid("%s is not encodable as UTF-8: %r" % (what, value)) from None
    if b"\0" in b:
        raise _py_invalid("%s contains a NUL character: %r" % (what, value))
    return b


def _choice_arg(value, table, what):
    """A named choice (case-insensitive str from ``table``) or a raw number (checked by the library)."""
    if isinstance(value, str):
        n = table.get(value.lower())
        if n is None:
            raise _py_invalid("%s must be one of %s, not %r" % (what, ", ".join(sorted(table)), value))
        return n
    return _u32_arg(value, what)


def _notify_arg(notify):
    if notify is None:
        return 0
    if isinstance(notify, int) and not isinstance(notify, bool):
        return _u32_arg(notify, "notify")
    if isinstance(notify, str):
        words = [w.strip() for w in notify.split(",")]
    elif isinstance(notify, (list, tuple, set, frozenset)):
        words = list(notify)
    else:
        raise TypeError("notify must be None, a str, a list of str or an int, not %s" % type(notify).__name__)
    if not words:
        raise _py_invalid("notify: give None for no NOTIFY, not an empty set")
    bits = 0
    for w in words:
        if not isinstance(w, str):
            raise TypeError("notify conditions must be str, not %s" % type(w).__name__)
        b = _NOTIFY_BITS.get(w.lower())
        if b is None:
            raise _py_invalid("notify: %r is not one of never, success, failure, delay" % (w,))
        bits |= b
    return bits


def _bytes_at(p, n):
    return string_at(p, n) if n else b""


class Event(object):
    """One session event (``smtpreply_event``), copied out of the library: it stays valid after
    any later call.

    ``kind`` is one of "reply", "greeting", "ready", "start_tls", "auth_challenge",
    "auth_succeeded", "auth_failed", "recipient_accepted", "recipient_rejected",
    "ready_for_body", "message_accepted", "message_rejected", "protocol_error", "closed".
    Fields that do not apply are None:

    - ``command`` (str: "MAIL", "RCPT", "DATA-END", "GREETING", "UNKNOWN" ...) and ``unexpected``
      (bool: RFC 5321 does not list the code for the command): "reply" events;
    - ``reply`` (the raw bytes), ``code``, ``enhanced`` (tuple): events that carry a reply
      (reply, greeting, auth_failed, recipient_rejected, message_accepted, and message_rejected
      when a reply refused the message);
    - ``classification`` (a :class:`Classification`; spans are offsets into ``reply``): reply,
      auth_failed, recipient_rejected, message_rejected;
    - ``index`` and ``address``: recipient_* events;
    - ``queue_id`` (str, or None when the reply names none) and ``recipients`` (list of
      :class:`RecipientResult`, in the order recipients were added): message_* events
      (``recipients`` is [] for the others);
    - ``mechanism`` ("PLAIN", "LOGIN", "XOAUTH2"): auth_succeeded; ``challenge`` (bytes, decoded
      from base64): auth_challenge;
    - ``close_reason`` ("quit", "service_closing", "greeting_refused", "hello_refused",
      "connection_lost", "protocol_error", "tls_unavailable", "tls_failed"): closed;
    - ``message`` (str): protocol_error.
    """

    __slots__ = ("kind", "command", "reply", "code", "enhanced", "classification", "unexpected", "index",
                 "address", "queue_id", "recipients", "mechanism", "challenge", "close_reason", "message")

    def __init__(self, kind, **fields):
        self.kind = kind
        for k in self.__slots__[1:]:
            setattr(self, k, fields.pop(k, None))
        if self.recipients is None:
            self.recipients = []
        if fields:
            raise TypeError("unknown Event fields: %s" % ", ".join(sorted(fields)))

    def _asdict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __eq__(self, other):
        return self._asdict() == other._asdict() if isinstance(other, Event) else NotImplemented

    __hash__ = None

    def __repr__(self):
        parts = [self.kind]
        if self.command is not None:
            parts.append(self.command)
        if self.code is not None:
            parts.append(str(self.code))
        if self.unexpected:
            parts.append("unexpected")
        for k in ("index", "address", "queue_id", "mechanism", "challenge", "close_reason", "message"):
            v = getattr(self, k)
            if v is not None:
                parts.append("%s=%r" % (k, v))
        if self.classification is not None:
            parts.append("reason=%r" % self.classification.reason)
        if self.recipients:
            parts.append("recipients=%r" % (self.recipients,))
        return "<Event %s>" % " ".join(parts)


_RecipientResultBase = collections.namedtuple(
    "RecipientResult", "address status code reply classification error")


class RecipientResult(_RecipientResultBase):
    """One recipient's outcome (``smtpreply_recipient_result``): ``address`` (str), ``status``
    ("accepted", "rejected", "deferred" or "pending"), ``code`` (the deciding reply's code, or
    None), ``reply`` (its raw bytes, or None), ``classification`` (a :class:`Classification` or
    None), ``error`` (:func:`send_message` only: why the library refused the address before
    sending it, else None). ``enhanced`` and ``reason`` come from the classification."""

    __slots__ = ()

    def __new__(cls, address, status, code=None, reply=None, classification=None, error=None):
        return _RecipientResultBase.__new__(cls, address, status, code, reply, classification, error)

    @property
    def enhanced(self):
        c = self.classification
        return None if c is None else c.enhanced

    @property
    def reason(self):
        c = self.classification
        return None if c is None else c.reason


def _copy_recipient(r):
    return RecipientResult(
        _bytes_at(r.address, r.address_len).decode("utf-8", "surrogateescape"),
        RECIPIENT_STATUSES.get(r.status, "unknown_%d" % r.status),
        r.code if r.has_reply else None,
        _bytes_at(r.reply, r.reply_len) if r.has_reply else None,
        _classification(r.classification) if r.has_classification else None,
    )


class Session(object):
    """A sans-I/O SMTP client session (``smtpreply_session_*``), the h11 model: it never touches
    a socket, TLS or a clock.

    The host loop::

        s = smtpreply.Session("client.example.org")
        while not s.is_closed:
            sock.sendall(s.take_output())          # or output() + advance(n) for partial sends
            data = sock.recv(65536)                # wait at most s.timeout seconds
            s.receive(data) if data else s.receive_eof()
            for ev in s.events():                  # act on each: ready -> send_mail ...
                ...

    ``tls``: "never", "opportunistic" (STARTTLS when offered) or "required" (STARTTLS or close
    with "tls_unavailable"); on a "start_tls" event do the handshake, then :meth:`tls_established`
    (or :meth:`tls_failed`). ``tls_active``: the connection is already encrypted (port 465).
    ``pipelining`` / ``chunking``: use PIPELINING / BDAT when the server offers them.
    ``all_or_nothing``: send the message only if every recipient is accepted.
    ``allow_insecure_auth``: allow AUTH over a connection that is not encrypted.

    Misuse raises :class:`WrongState` (the action is not possible now), :class:`InvalidInput`
    (bad address or option), :class:`NotSupported` (the server does not offer the extension),
    :class:`LimitExceeded` (command too long), with the library's message; nothing is sent then.
    A str where bytes are expected (and bytes or None where a str is) raises TypeError. One
    thread at a time (calls are serialised by a lock). ``close()`` (or a with-block, or garbage
    collection) frees the handle.
    """

    def __init__(self, client_name, *, tls="never", tls_active=False, pipelining=True, chunking=True,
                 all_or_nothing=False, allow_insecure_auth=False):
        name = _text_arg(client_name, "client_name")
        cfg = _SessionConfig()
        cfg.client_name = name
        cfg.tls = _choice_arg(tls, _TLS_POLICIES, "tls")
        flags = 0
        if tls_active:
            flags |= _FLAG_TLS_ACTIVE
        if not pipelining:
            flags |= _FLAG_NO_PIPELINING
        if not chunking:
            flags |= _FLAG_NO_CHUNKING
        if all_or_nothing:
            flags |= _FLAG_ALL_OR_NOTHING
        if allow_insecure_auth:
            flags |= _FLAG_INSECURE_AUTH
        cfg.flags = flags
        h = _SessionHandle()
        _check(_session_new(byref(cfg), byref(h)))
        self._session = _Owned(h, _session_free)
        self._lock = threading.Lock()
        self._ev = _Event()
        self._rr = _RecipientResultC()
        self.client_name = client_name
        self.chunking = bool(chunking)
        self.pipelining = bool(pipelining)

    def _h(self):
        h = self._session.h
        if h is None:
            raise ValueError("the session handle is freed (close() was called)")
        return h

    def _call(self, fn, *args):
        with self._lock:
            rc = fn(self._h(), *args)
            if rc != OK:
                raise _error(rc)

    # ---- input, events, output ----

    def receive(self, data):
        """Feeds bytes received from the server (bytes, bytearray, memoryview). A server that
        breaks the protocol yields a "protocol_error" event, then "closed"."""
        data = _bytes_arg(data)
        self._call(_session_receive, data, len(data))

    def receive_eof(self):
        """Reports that the server closed the connection (or that it was lost)."""
        self._call(_session_receive_eof)

    def next_event(self):
        """The next :class:`Event`, or None when there is none (feed input, or act)."""
        with self._lock:
            h = self._h()
            ev = self._ev
            rc = _session_next_event(h, byref(ev))
            if rc == NEED_MORE:
                return None
            if rc != OK:
                raise _error(rc)
            # Everything is copied now: the pointers die with the next call on the session.
            kind = ev.kind
            f = {}
            if ev.has_reply:
                f["reply"] = _bytes_at(ev.reply, ev.reply_len)
                f["code"] = ev.code
                if ev.has_enhanced:
                    e = ev.enhanced
                    f["enhanced"] = (e.status_class, e.subject, e.detail)
            if ev.has_classification:
                f["classification"] = _classification(ev.classification)
            if kind == 1:  # REPLY
                f["command"] = _ALL_COMMAND_NAMES.get(ev.command, "UNKNOWN")
                f["unexpected"] = bool(ev.unexpected)
            elif kind in (8, 9):  # RECIPIENT_*
                f["index"] = ev.recipient_index
                f["address"] = _bytes_at(ev.address, ev.address_len).decode("utf-8", "surrogateescape")
            elif kind in (_EVENT_MESSAGE_ACCEPTED, _EVENT_MESSAGE_REJECTED):
                if ev.queue_id_len:
                    f["queue_id"] = _bytes_at(ev.queue_id, ev.queue_id_len).decode("utf-8", "surrogateescape")
                recipients = []
                rr = self._rr
                for i in range(ev.recipient_count):
                    rc = _session_event_recipient(h, i, byref(rr))
                    if rc != OK:
                        raise _error(rc)
                    recipients.append(_copy_recipient(rr))
                f["recipients"] = recipients
            elif kind == 5:  # AUTH_CHALLENGE
                f["challenge"] = _bytes_at(ev.challenge, ev.challenge_len)
            elif kind == 6:  # AUTH_SUCCEEDED
                f["mechanism"] = _MECHANISM_NAMES.get(ev.mechanism, "unknown_%d" % ev.mechanism)
            elif kind == 13:  # PROTOCOL_ERROR
                f["message"] = string_at(ev.message).decode("utf-8", "replace") if ev.message else ""
            elif kind == 14:  # CLOSED
                f["close_reason"] = CLOSE_REASONS.get(ev.close_reason, "unknown_%d" % ev.close_reason)
            return Event(EVENT_KINDS.get(kind, "unknown_%d" % kind), **f)

    def events(self):
        """Yields every pending :class:`Event` (a generator: acting on an event between two
        iterations is fine; events the action causes are yielded too)."""
        while True:
            e = self.next_event()
            if e is None:
                return
            yield e

    def output(self):
        """The bytes to send to the server now (a copy; possibly b""). Report what was sent with
        :meth:`advance`."""
        with self._lock:
            p = c_void_p()
            n = c_size_t()
            rc = _session_output(self._h(), byref(p), byref(n))
            if rc != OK:
                raise _error(rc)
            return _bytes_at(p.value, n.value)

    def advance(self, n):
        """Reports that the first ``n`` bytes of :meth:`output` were sent. OutOfRange when more
        than is pending."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError("n must be an int, not %s" % type(n).__name__)
        if not 0 <= n <= _SIZE_MAX:
            raise _py_out_of_range("advance(%d): n must be between 0 and the pending output" % n)
        self._call(_session_advance_output, n)

    def take_output(self):
        """Returns every pending output byte and marks it sent."""
        with self._lock:
            h = self._h()
            p = c_void_p()
            n = c_size_t()
            rc = _session_output(h, byref(p), byref(n))
            if rc != OK:
                raise _error(rc)
            data = _bytes_at(p.value, n.value)
            if data:
                rc = _session_advance_output(h, len(data))
                if rc != OK:
                    raise _error(rc)
            return data

    # ---- state ----

    @property
    def timeout(self):
        """How long to wait for the server now, in seconds (RFC 5321 §4.5.3.2), or None when the
        session is not waiting for it."""
        with self._lock:
            ms = c_uint64()
            rc = _session_timeout_ms(self._h(), byref(ms))
            if rc == _NOT_FOUND:
                return None
            if rc != OK:
                raise _error(rc)
            return ms.value / 1000.0

    @property
    def is_ready(self):
        """True when the session is idle and a message can begin."""
        with self._lock:
            return bool(_session_is_ready(self._h()))

    @property
    def is_closed(self):
        """True when the session has ended (a "closed" event was produced)."""
        with self._lock:
            return bool(_session_is_closed(self._h()))

    @property
    def is_tls(self):
        """True when the connection is encrypted (STARTTLS done, or ``tls_active``)."""
        with self._lock:
            return bool(_session_is_tls(self._h()))

    @property
    def authenticated(self):
        """The mechanism of a successful AUTH ("PLAIN", "LOGIN", "XOAUTH2"), or None."""
        with self._lock:
            m = c_uint32()
            rc = _session_authenticated(self._h(), byref(m))
            if rc == _NOT_FOUND:
                return None
            if rc != OK:
                raise _error(rc)
            return _MECHANISM_NAMES.get(m.value, "unknown_%d" % m.value)

    def body_stats(self):
        """What the session did to the body of the current message (or of the last one once it
        is over), as a :class:`BodyStats`; None before the first message."""
        with self._lock:
            st = _BodyStatsC()
            rc = _session_body_stats(self._h(), byref(st))
            if rc == _NOT_FOUND:
                return None
            if rc != OK:
                raise _error(rc)
            return BodyStats(_ALL_COMMAND_NAMES.get(st.command, "UNKNOWN"), st.input_bytes, st.output_bytes,
                             st.line_endings_fixed, st.dots_stuffed, st.long_lines)

    def capabilities(self):
        """The server's :class:`Capabilities` from the last EHLO (empty after HELO; forgotten
        after STARTTLS until the next "ready"), or None before EHLO has succeeded."""
        caps = _Owned(_caps_new(), _caps_free)
        with self._lock:
            rc = _session_capabilities(self._h(), caps.h)
            if rc == _NOT_FOUND:
                caps.close()
                return None
            if rc != OK:
                err = _error(rc)
                caps.close()
                raise err
        return Capabilities._from_owned(caps)

    # ---- actions ----

    def send_mail(self, sender, size=None, body="7bit", smtputf8=False, dsn_return=None, dsn_envid=None):
        """Begins a message: MAIL FROM. ``sender`` without angle brackets ("" for the null
        reverse-path). ``size``: the message size for SIZE (sent when offered; None or 0: not
        declared). ``body``: "7bit", "8bitmime" or "binarymime" (the last two need the server's
        extension: NotSupported otherwise). ``smtputf8``: request SMTPUTF8 for ASCII addresses
        too (non-ASCII addresses request it by themselves). ``dsn_return``: None, "full" or
        "hdrs"; ``dsn_envid``: a str (both sent only when the server offers DSN)."""
        frm = _text_arg(sender, "sender")
        opts = _MailOptions()
        if size is not None:
            if isinstance(size, bool) or not isinstance(size, int):
                raise TypeError("size must be an int or None, not %s" % type(size).__name__)
            if not 0 <= size < 1 << 64:
                raise _py_out_of_range("size %d is out of range (0 to 2**64-1 octets)" % size)
            opts.size = size
        opts.body = _choice_arg(body, _BODY_TYPES, "body")
        opts.flags = 1 if smtputf8 else 0
        opts.dsn_return = 0 if dsn_return is None else _choice_arg(dsn_return, _DSN_RETURNS, "dsn_return")
        opts.dsn_envid = _text_arg(dsn_envid, "dsn_envid", allow_none=True)
        self._call(_session_send_mail, frm, byref(opts))

    def add_recipient(self, addr, notify=None, orcpt=None):
        """Adds a recipient (RCPT TO) and returns its index. ``notify``: None, or DSN conditions
        as a list or a comma-separated str of "never", "success", "failure", "delay" (NEVER
        alone); ``orcpt``: the original recipient (both sent only when the server offers DSN)."""
        to = _text_arg(addr, "addr")
        opts = _RcptOptions()
        opts.notify = _notify_arg(notify)
        opts.orcpt = _text_arg(orcpt, "orcpt", allow_none=True)
        index = c_size_t()
        self._call(_session_add_recipient, to, byref(opts), byref(index))
        return index.value

    def start_data(self):
        """Asks to send the body after the recipients; wait for "ready_for_body"."""
        self._call(_session_start_data)

    def send_body(self, chunk):
        """Sends a chunk of the message (bytes; any line endings: bare CR and LF become CRLF,
        lines starting with "." are stuffed). After "ready_for_body"."""
        data = _bytes_arg(chunk, "chunk")
        self._call(_session_send_body, data, len(data))

    def end_body(self):
        """Ends the body (CRLF.CRLF, or BDAT LAST)."""
        self._call(_session_end_body)

    def authenticate(self, user, secret, mechanism=None):
        """AUTH with a password (PLAIN, LOGIN) or an OAuth 2 token (XOAUTH2). ``mechanism``:
        None (PLAIN, then LOGIN, whichever the server offers), "plain", "login" or "xoauth2".
        WrongState over a clear-text connection unless ``allow_insecure_auth``."""
        u = _text_arg(user, "user")
        p = _text_arg(secret, "secret")
        m = 0 if mechanism is None else _choice_arg(mechanism, _MECHANISMS, "mechanism")
        self._call(_session_authenticate, u, p, m)

    def tls_established(self):
        """Reports a finished TLS handshake after "start_tls"; EHLO is sent again."""
        self._call(_session_tls_established)

    def tls_failed(self):
        """Reports a failed TLS handshake; the session closes ("tls_failed")."""
        self._call(_session_tls_failed)

    def reset(self):
        """Abandons the message in progress with RSET (not inside a DATA body)."""
        self._call(_session_reset)

    def noop(self):
        """Sends NOOP (when ready)."""
        self._call(_session_noop)

    def quit(self):
        """Ends the session with QUIT (not inside a DATA body, not before the greeting)."""
        self._call(_session_quit)

    # ---- lifetime ----

    def close(self):
        """Frees the library handle (idempotent). Not QUIT: see :meth:`quit`."""
        with self._lock:
            self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        if self._session.h is None:
            return "<smtpreply.Session freed>"
        state = "closed" if self.is_closed else "ready" if self.is_ready else "busy"
        return "<smtpreply.Session %s %s>" % (self.client_name, state)


# --------------------------------------------------------------------------------------------------
# send_message: a Session over a blocking Python socket
# --------------------------------------------------------------------------------------------------


class SendResult(object):
    """What :func:`send_message` did.

    - ``recipients``: a :class:`RecipientResult` per recipient, in the order given;
    - ``accepted``: the server took the message; ``code``, ``reply`` (raw bytes),
      ``classification``, ``queue_id``: the message's final reply (None when there was none);
    - ``error``: what went wrong outside the replies (connection, TLS, authentication, a refused
      address, a protocol error, a session closed early), or None;
    - ``close_reason``: how the session ended ("quit", "service_closing" ...);
    - ``transcript``: ``(direction, bytes)`` pairs in order, direction "client", "server" or
      "info"; client entries are command lines, message data is summarised
      (b"[N bytes of message data]") and credentials are masked;
    - ``tls``: the connection was encrypted with STARTTLS; ``authenticated``: the AUTH mechanism
      that succeeded, or None.
    """

    __slots__ = ("recipients", "accepted", "code", "reply", "classification", "queue_id", "error",
                 "close_reason", "transcript", "tls", "authenticated")

    def __init__(self):
        self.recipients = []
        self.accepted = False
        self.code = self.reply = self.classification = self.queue_id = None
        self.error = self.close_reason = None
        self.transcript = []
        self.tls = False
        self.authenticated = None

    @property
    def all_accepted(self):
        """The message was accepted for every recipient."""
        return self.accepted and bool(self.recipients) and all(r.status == "accepted" for r in self.recipients)

    def __repr__(self):
        return "<SendResult accepted=%r recipients=%r error=%r>" % (
            self.accepted, [(r.address, r.status, r.code) for r in self.recipients], self.error)


def message_size(message):
    """The size of ``message`` (bytes) as the session sends it, before dot-stuffing: every line
    ending made CRLF and the last line closed. This is what SIZE declares (RFC 1870), and what to
    pass as ``send_mail(size=...)``: a file with LF line endings is larger on the wire."""
    data = _bytes_arg(message, "message")
    out = c_uint64()
    rc = _message_size(data, len(data), byref(out))
    if rc != OK:
        raise _error(rc)
    return out.value


class _ClientLog(object):
    """Turns the bytes written to the server into transcript entries (command lines; message data
    summarised; AUTH credentials masked)."""

    def __init__(self, transcript):
        self.t = transcript
        self.masking = False
        self.bdat_left = 0

    def data(self, n):
        self.t.append(("client", b"[%d bytes of message data]" % n))

    def write(self, buf):
        i = 0
        n = len(buf)
        while i < n:
            if self.bdat_left:
                take = min(self.bdat_left, n - i)
                self.bdat_left -= take
                i += take
                continue
            end = buf.find(b"\n", i)
            end = n if end < 0 else end + 1
            line = buf[i:end]
            i = end
            if line[:5].upper() == b"BDAT ":
                self.t.append(("client", line))
                try:
                    size = int(line.split()[1])
                except (IndexError, ValueError):
                    size = 0
                if size:
                    self.data(size)
                self.bdat_left = size
            elif line[:5].upper() == b"AUTH ":
                parts = line.rstrip(b"\r\n").split(b" ")
                self.t.append(("client", b" ".join(parts[:2]) + (b" ****" if len(parts) > 2 else b"") + b"\r\n"))
                self.masking = True
            elif self.masking:
                self.t.append(("client", b"****\r\n"))
            else:
                self.t.append(("client", line))

    def reply(self, ev):
        if ev.command != "AUTH" or ev.code != 334:
            self.masking = False


def send_message(host, port, sender, recipients, message, client_name="localhost", starttls=False,
                 ssl_context=None, user=None, password=None, timeout=60.0, allow_insecure_auth=False,
                 mechanism=None, pipelining=True, chunking=True):
    """Sends one message over SMTP with a :class:`Session` on a blocking socket, and says what
    happened to each recipient. Returns a :class:`SendResult`; it raises only for bad arguments
    (TypeError, ValueError): connection, TLS, authentication and server failures are in the
    result (``error`` and the recipients' statuses).

    ``recipients``: a list of addresses. ``message``: the message with its headers (bytes; any
    line endings). ``starttls``: False (clear text), True (STARTTLS required: the session ends
    with "tls_unavailable" when the server does not offer it) or "opportunistic".
    ``ssl_context``: for the handshake (default ``ssl.create_default_context()``: the certificate
    must be trusted and match ``host``). ``user``/``password``: AUTH with ``mechanism`` (None:
    PLAIN, then LOGIN; "plain", "login", "xoauth2"); over a clear-text connection only with
    ``allow_insecure_auth=True``. ``timeout``: seconds to wait for the connection and for each
    reply (at most the RFC 5321 timeouts). ``pipelining``, ``chunking``: as for :class:`Session`.
    The transaction (MAIL, RCPT, DATA) is pipelined when the server offers PIPELINING, the body
    goes with BDAT when it offers CHUNKING, and one message is sent per call."""
    import socket
    import ssl as _ssl

    if isinstance(recipients, (str, bytes)):
        raise TypeError("recipients must be a list of addresses, not a single %s" % type(recipients).__name__)
    recipients = list(recipients)
    message = _bytes_arg(message, "message")
    if (user is None) != (password is None):
        raise TypeError("give both user and password, or neither")
    tls = {False: "never", True: "required"}.get(starttls, starttls) if isinstance(starttls, bool) else starttls
    s = Session(client_name, tls=tls, pipelining=pipelining, chunking=chunking,
                allow_insecure_auth=bool(allow_insecure_auth))
    result = SendResult()
    result.recipients = [RecipientResult(r if isinstance(r, str) else repr(r), "deferred") for r in recipients]
    t = result.transcript
    log = _ClientLog(t)
    index_of = {}  # session index -> position in `recipients`

    def fail(msg):
        if result.error is None:
            result.error = msg
        t.append(("info", msg.encode("utf-8", "replace")))

    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as e:
        fail("cannot connect to %s port %s: %s" % (host, port, e))
        s.close()
        return result
    started = auth_tried = False
    try:
        while True:
            for ev in s.events():
                k = ev.kind
                if k == "reply":
                    t.append(("server", ev.reply))
                    log.reply(ev)
                elif k == "start_tls":
                    if s.is_closed:  # a later reply of the same batch closed the session
                        continue
                    ctx = ssl_context if ssl_context is not None else _ssl.create_default_context()
                    try:
                        sock = ctx.wrap_socket(sock, server_hostname=host)
                    except _ssl.SSLCertVerificationError as e:
                        fail("TLS certificate not trusted: %s" % (e.verify_message or e))
                        s.tls_failed()
                    except (OSError, ValueError) as e:
                        fail("TLS handshake failed: %s" % e)
                        s.tls_failed()
                    else:
                        result.tls = True
                        t.append(("info", b"TLS established"))
                        s.tls_established()
                elif k in ("ready", "auth_succeeded"):
                    if k == "auth_succeeded":
                        result.authenticated = ev.mechanism
                    if s.is_closed:  # a later reply of the same batch closed the session
                        continue
                    if user is not None and not auth_tried:
                        auth_tried = True
                        try:
                            s.authenticate(user, password, mechanism)
                        except Error as e:
                            fail("cannot authenticate: %s" % e.message)
                            s.quit()
                        continue
                    if started or not s.is_ready:
                        continue
                    started = True
                    # A recipient with a non-ASCII address needs SMTPUTF8 on MAIL FROM, when offered
                    # (when not, add_recipient refuses that address alone).
                    caps = s.capabilities()
                    utf8 = (caps is not None and caps.has("SMTPUTF8")
                            and any(isinstance(a, str) and not a.isascii() for a in recipients))
                    try:
                        s.send_mail(sender, size=message_size(message) or None, smtputf8=utf8)
                    except Error as e:
                        fail("sender %r: %s" % (sender, e.message))
                        result.recipients = [r._replace(status="rejected") for r in result.recipients]
                        s.quit()
                        continue
                    for pos, addr in enumerate(recipients):
                        try:
                            index_of[s.add_recipient(addr)] = pos
                        except (Error, TypeError) as e:
                            msg = e.message if isinstance(e, Error) else str(e)
                            fail("recipient %r: %s" % (addr, msg))
                            result.recipients[pos] = result.recipients[pos]._replace(status="rejected", error=msg)
                    try:
                        s.start_data()
                    except WrongState:  # no recipient could be added
                        s.reset()
                        s.quit()
                elif k == "auth_failed":
                    fail("authentication failed: %s" % ev.reply.decode("utf-8", "replace").strip())
                    if not s.is_closed:
                        s.quit()
                elif k == "ready_for_body":
                    if s.is_closed:  # a later reply of the same batch closed the session
                        continue
                    caps = s.capabilities()
                    bdat = chunking and caps is not None and caps.has("CHUNKING")
                    if message:
                        s.send_body(message)
                    s.end_body()
                    out = s.take_output()
                    if bdat:
                        log.write(out)
                    else:
                        log.data(len(out))
                    sock.sendall(out)
                elif k in ("message_accepted", "message_rejected"):
                    result.accepted = k == "message_accepted"
                    result.code, result.reply = ev.code, ev.reply
                    result.classification, result.queue_id = ev.classification, ev.queue_id
                    for i, r in enumerate(ev.recipients):
                        pos = index_of.get(i)
                        if pos is not None:
                            result.recipients[pos] = r
                        if result.classification is None and r.status == "accepted":
                            # message_accepted carries none: the accepted recipients' is the reply's.
                            result.classification = r.classification
                    if not s.is_closed:
                        try:
                            s.quit()
                        except WrongState:
                            pass
                elif k == "protocol_error":
                    fail("protocol error: %s" % ev.message)
                elif k == "closed":
                    result.close_reason = ev.close_reason
                    t.append(("info", b"session closed: " + ev.close_reason.encode()))
                    if ev.close_reason != "quit":
                        fail("session closed: %s" % ev.close_reason)
            if s.is_closed:
                break
            out = s.take_output()
            if out:
                log.write(out)
                try:
                    sock.sendall(out)
                except OSError as e:
                    fail("the connection broke while sending: %s" % e)
                    s.receive_eof()
                continue
            wait = s.timeout
            if wait is None:
                fail("the session is waiting for nothing (internal error)")
                break
            sock.settimeout(min(wait, timeout) if timeout is not None else wait)
            try:
                data = sock.recv(65536)
            except socket.timeout:
                fail("the server did not answer within %g seconds" % min(wait, timeout or wait))
                s.receive_eof()
                continue
            except OSError as e:
                fail("the connection broke: %s" % e)
                s.receive_eof()
                continue
            if data:
                s.receive(data)
            else:
                s.receive_eof()
    finally:
        try:
            sock.close()
        except OSError:
            pass
        s.close()
    return result


# --------------------------------------------------------------------------------------------------
# Mail server logs (Postfix, Exim): smtpreply_maillog_*
# --------------------------------------------------------------------------------------------------


class _MailLogOptions(Structure):
    _fields_ = [
        ("max_line", c_size_t),
        ("max_open", c_size_t),
        ("max_open_bytes", c_size_t),
        ("max_domains", c_size_t),
        ("max_queued", c_size_t),
        ("flags", c_uint32),
    ]


_MAILLOG_BYTE_FIELDS = (
    "timestamp", "host", "program", "queue_id", "recipient", "domain", "orig_recipient", "relay", "transport",
    "delay", "text",
)


class _MailLogRecordC(Structure):
    _fields_ = (
        [("format", c_uint32), ("status", c_uint32), ("line", c_uint64)]
        + [f for name in _MAILLOG_BYTE_FIELDS for f in ((name, c_void_p), (name + "_len", c_size_t))]
        + [
            ("has_dsn", c_bool),
            ("dsn", _EnhancedCode),
            ("command", c_uint32),
            ("deferrals", c_uint32),
            ("no_attempt", c_bool),
            ("evicted", c_bool),
            ("truncated", c_bool),
            ("has_classification", c_bool),
            ("classification", _Classification),
            ("status_name", c_void_p),
            ("format_name", c_void_p),
        ]
    )


_MAILLOG_SUMMARY_COUNTS = (
    "bytes", "lines", "lines_too_long", "lines_other", "postfix_lines", "exim_lines", "message_lines", "messages",
    "deferrals", "recipients", "delivered", "deferred", "bounced", "expired", "open", "evicted", "records_dropped",
    "domains", "domains_folded", "groups_folded",
)


class _MailLogSummaryC(Structure):
    _fields_ = [(name, c_uint64) for name in _MAILLOG_SUMMARY_COUNTS] + [
        ("finished", c_bool),
        ("first_timestamp", c_void_p),
        ("first_timestamp_len", c_size_t),
        ("last_timestamp", c_void_p),
        ("last_timestamp_len", c_size_t),
    ]


class _MailLogDomainC(Structure):
    _fields_ = [
        ("domain", c_void_p),
        ("domain_len", c_size_t),
        ("other", c_bool),
        ("recipients", c_uint64),
        ("delivered", c_uint64),
        ("deferred", c_uint64),
        ("bounced", c_uint64),
        ("expired", c_uint64),
        ("has_top_failure", c_bool),
        ("top_failure", c_uint32),
        ("top_failure_count", c_uint64),
        ("top_failure_name", c_void_p),
    ]


class _MailLogGroupC(Structure):
    _fields_ = [
        ("reason", c_uint32),
        ("code", c_uint32),
        ("has_enhanced", c_bool),
        ("enhanced", _EnhancedCode),
        ("count", c_uint64),
        ("deferred", c_uint64),
        ("bounced", c_uint64),
        ("expired", c_uint64),
        ("example", c_void_p),
        ("example_len", c_size_t),
        ("rule", c_void_p),
        ("reason_name", c_void_p),
        ("explanation", c_void_p),
        ("advice", c_void_p),
    ]


class _MailLogHandle(c_void_p):
    pass


_maillog_options_init = _declare("smtpreply_maillog_options_init", _R, POINTER(_MailLogOptions))
_maillog_new = _declare("smtpreply_maillog_new", _R, POINTER(_MailLogOptions), POINTER(_MailLogHandle))
_maillog_free = _declare("smtpreply_maillog_free", None, _MailLogHandle)
_maillog_feed = _declare("smtpreply_maillog_feed", _R, _MailLogHandle, _DATA, c_size_t)
_maillog_finish = _declare("smtpreply_maillog_finish", _R, _MailLogHandle)
_maillog_next_record = _declare("smtpreply_maillog_next_record", _R, _MailLogHandle, POINTER(_MailLogRecordC))
_maillog_get_summary = _declare("smtpreply_maillog_get_summary", _R, _MailLogHandle, POINTER(_MailLogSummaryC))
_maillog_reason_count = _declare("smtpreply_maillog_reason_count", _R, _MailLogHandle, c_uint32, _P_U64)
_maillog_domain_count = _declare("smtpreply_maillog_domain_count", _R, _MailLogHandle, _P_SIZE)
_maillog_domain_at = _declare("smtpreply_maillog_domain_at", _R, _MailLogHandle, c_size_t, POINTER(_MailLogDomainC))
_maillog_domain_reason_count = _declare(
    "smtpreply_maillog_domain_reason_count", _R, _MailLogHandle, c_size_t, c_uint32, _P_U64
)
_maillog_group_count = _declare("smtpreply_maillog_group_count", _R, _MailLogHandle, _P_SIZE)
_maillog_group_at = _declare("smtpreply_maillog_group_at", _R, _MailLogHandle, c_size_t, POINTER(_MailLogGroupC))
_maillog_parse_line = _declare("smtpreply_maillog_parse_line", _R, _DATA, c_size_t, POINTER(_MailLogRecordC))
_maillog_status_name = _declare("smtpreply_maillog_status_name", c_char_p, c_uint32)
_maillog_format_name = _declare("smtpreply_maillog_format_name", c_char_p, c_uint32)
_MAILLOG_SUMMARY_ONLY = 1

#: The final statuses, by SMTPREPLY_MAILLOG_* number (1 up): "delivered", "deferred", "bounced", "expired".
MAILLOG_STATUSES = {i: _maillog_status_name(i).decode("utf-8") for i in range(1, 5)}
_MAILLOG_FORMATS = {i: _maillog_format_name(i).decode("utf-8") for i in range(1, 3)}


def _field(ptr, n):
    return string_at(ptr, n) if n else b""


class MailLogRecord(collections.namedtuple("MailLogRecord", (
        "format", "status", "line") + _MAILLOG_BYTE_FIELDS + (
        "dsn", "command", "classification", "deferrals", "no_attempt", "evicted", "truncated"))):
    """One recipient's final outcome in a mail log (or one line's record, from
    :func:`parse_maillog_line`). Immutable.

    - ``format``: "postfix" or "exim"; ``status``: "delivered", "deferred", "bounced" or "expired";
    - ``line``: the line number in the log (from 1; 0 for a single line);
    - bytes fields as logged: ``timestamp``, ``host``, ``program`` (syslog; empty in an Exim main
      log), ``queue_id``, ``recipient``, ``domain`` (of the recipient, or of the original recipient),
      ``orig_recipient`` (Postfix ``orig_to=``, Exim ``<parent>``), ``relay`` (Postfix ``relay=``,
      Exim ``H=``), ``transport``, ``delay``, ``text`` (the remote reply or the explanation);
    - ``dsn``: ``(class, subject, detail)`` or None; ``command``: the command the reply answered
      ("RCPT" ...) when the log says, or None;
    - ``classification``: a :class:`Classification` of ``text`` (spans are offsets into it), None
      for deliveries;
    - ``deferrals``: deferrals seen before the final outcome; ``no_attempt``: Exim's "retry time
      not reached"; ``evicted``: evicted from the bounded state while deferred; ``truncated``: a
      field was cut to fit the bounded copy.
    """

    __slots__ = ()


def _maillog_record(r):
    e = r.dsn
    return MailLogRecord(
        _MAILLOG_FORMATS.get(r.format), MAILLOG_STATUSES.get(r.status), r.line,
        *[_field(getattr(r, n), getattr(r, n + "_len")) for n in _MAILLOG_BYTE_FIELDS],
        dsn=(e.status_class, e.subject, e.detail) if r.has_dsn else None,
        command=_COMMAND_NAMES.get(r.command),
        classification=_classification(r.classification) if r.has_classification else None,
        deferrals=r.deferrals, no_attempt=bool(r.no_attempt), evicted=bool(r.evicted), truncated=bool(r.truncated),
    )


#: The totals of a :class:`MailLog`: the summary counts (see ``smtpreply_maillog_summary``), the
#: first and last timestamps (bytes, or None before any line), and ``reasons``: the final outcomes
#: per reason name, for every reason (deliveries count as "success").
MailLogSummary = collections.namedtuple(
    "MailLogSummary", _MAILLOG_SUMMARY_COUNTS + ("finished", "first_timestamp", "last_timestamp", "reasons"))

#: One recipient domain: ``domain`` (bytes, lower case; None for the "other" bucket of domains
#: beyond ``max_domains``), ``other``, the counts per final status, and the most frequent failure
#: reason (``top_failure``, a reason name or None) with its count.
MailLogDomain = collections.namedtuple(
    "MailLogDomain",
    ("domain", "other", "recipients", "delivered", "deferred", "bounced", "expired", "top_failure", "top_failure_count"))

#: Failures that share a reason, reply code, enhanced code and deciding rule: the ``count``, how
#: many were ``deferred``, ``bounced`` and ``expired``, the ``example`` text of the first one
#: (bytes), and the reason's ``explanation`` and ``advice``. ``code`` is None when the text had
#: none ("Connection refused").
MailLogGroup = collections.namedtuple(
    "MailLogGroup",
    ("reason", "code", "enhanced", "rule", "count", "deferred", "bounced", "expired", "example", "explanation",
     "advice"))

#: What :func:`maillog_summary` returns: the ``summary`` (:data:`MailLogSummary`), ``reasons`` (the
#: failure reasons with a count, largest first, as a dict), ``domains`` and ``groups`` (lists, most
#: recipients / largest first).
MailLogReport = collections.namedtuple("MailLogReport", ("summary", "reasons", "domains", "groups"))


def _size_option(value, what):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    if not 0 < value <= _SIZE_MAX:
        raise _py_out_of_range("%s %d is out of range (it must be positive)" % (what, value))
    return value


class MailLog(object):
    """A Postfix or Exim delivery log read as a stream (``smtpreply_maillog_*``): each recipient's
    final outcome and a summary per reason, per recipient domain and per reply group.

    ::

        with smtpreply.MailLog() as log:
            for chunk in iter(lambda: f.read(65536), b""):
                log.feed(chunk)
                for rec in log.records():      # final outcomes, as they become final
                    ...
            log.finish()                       # still-deferred recipients become final
            for rec in log.records():
                ...
            log.summary(), log.domains(), log.groups()

    Memory stays bounded whatever the size of the log: ``max_line`` (longest line read; longer
    ones are skipped and counted), ``max_open`` / ``max_open_bytes`` (deferred recipients
    remembered), ``max_domains`` (the rest fold into one "other" bucket), ``max_queued`` (final
    records waiting for :meth:`records`; the oldest are dropped when full, and counted).
    ``summary_only=True`` queues no records. None means the library's default; the library checks
    the ranges (OutOfRange). One thread at a time may use a log (calls are serialised by a lock).
    """

    def __init__(self, *, max_line=None, max_open=None, max_open_bytes=None, max_domains=None, max_queued=None,
                 summary_only=False):
        opts = _MailLogOptions()
        opts.max_line = _size_option(max_line, "max_line")
        opts.max_open = _size_option(max_open, "max_open")
        opts.max_open_bytes = _size_option(max_open_bytes, "max_open_bytes")
        opts.max_domains = _size_option(max_domains, "max_domains")
        opts.max_queued = _size_option(max_queued, "max_queued")
        opts.flags = _MAILLOG_SUMMARY_ONLY if summary_only else 0
        h = _MailLogHandle()
        _check(_maillog_new(byref(opts), byref(h)))
        self._log = _Owned(h, _maillog_free)
        self._rec = _MailLogRecordC()
        self._lock = threading.Lock()

    def _h(self):
        h = self._log.h
        if h is None:
            raise ValueError("the mail log is closed")
        return h

    def feed(self, data):
        """Reads a chunk of the log (bytes, bytearray or memoryview; any size, cut anywhere).
        Raises WrongState after :meth:`finish`."""
        data = _bytes_arg(data)
        with self._lock:
            _check(_maillog_feed(self._h(), data, len(data)))

    def finish(self):
        """Ends the input: a last line without a line end is read, and every recipient still
        deferred becomes final (as deferred). Calling it again does nothing."""
        with self._lock:
            _check(_maillog_finish(self._h()))

    def next_record(self):
        """The oldest final record not yet taken (a :class:`MailLogRecord`), or None."""
        with self._lock:
            rc = _maillog_next_record(self._h(), byref(self._rec))
            if rc == NEED_MORE:
                return None
            if rc != OK:
                raise _error(rc)
            return _maillog_record(self._rec)

    def records(self):
        """An iterator over the final records waiting now (take them after every feed)."""
        while True:
            r = self.next_record()
            if r is None:
                return
            yield r

    def summary(self):
        """The totals so far, as a :data:`MailLogSummary`."""
        with self._lock:
            h = self._h()
            s = _MailLogSummaryC()
            _check(_maillog_get_summary(h, byref(s)))
            reasons = {}
            n = c_uint64()
            for i, name in enumerate(REASON_NAMES):
                _check(_maillog_reason_count(h, i, byref(n)))
                reasons[name] = n.value
            return MailLogSummary(
                *[getattr(s, name) for name in _MAILLOG_SUMMARY_COUNTS],
                finished=bool(s.finished),
                first_timestamp=_field(s.first_timestamp, s.first_timestamp_len) or None,
                last_timestamp=_field(s.last_timestamp, s.last_timestamp_len) or None,
                reasons=reasons,
            )

    def reason_count(self, reason):
        """Final outcomes with this reason (a name such as "user_unknown"; deliveries count as
        "success"). Raises NotFound for an unknown name."""
        number = _reason_number(reason)
        with self._lock:
            n = c_uint64()
            _check(_maillog_reason_count(self._h(), number, byref(n)))
            return n.value

    def domains(self, limit=None):
        """The recipient domains, most recipients first (then by name), the "other" bucket last;
        at most ``limit`` of them when given."""
        with self._lock:
            h = self._h()
            count = c_size_t()
            _check(_maillog_domain_count(h, byref(count)))
            n = count.value if limit is None else min(count.value, max(0, limit))
            d = _MailLogDomainC()
            out = []
            for i in range(n):
                _check(_maillog_domain_at(h, i, byref(d)))
                out.append(MailLogDomain(
                    None if d.other else _field(d.domain, d.domain_len), bool(d.other), d.recipients, d.delivered,
                    d.deferred, d.bounced, d.expired,
                    REASON_NAMES[d.top_failure] if d.has_top_failure else None, d.top_failure_count,
                ))
            return out

    def domain_reasons(self, index):
        """The final outcomes of domain ``index`` (in :meth:`domains` order) per reason name,
        for the reasons with a count. Raises OutOfRange for an index past the end."""
        with self._lock:
            h = self._h()
            n = c_uint64()
            out = {}
            for i, name in enumerate(REASON_NAMES):
                _check(_maillog_domain_reason_count(h, _size_index(index), i, byref(n)))
                if n.value:
                    out[name] = n.value
            return out

    def groups(self, limit=None):
        """The reply groups, largest first; at most ``limit`` of them when given."""
        with self._lock:
            h = self._h()
            count = c_size_t()
            _check(_maillog_group_count(h, byref(count)))
            n = count.value if limit is None else min(count.value, max(0, limit))
            g = _MailLogGroupC()
            out = []
            for i in range(n):
                _check(_maillog_group_at(h, i, byref(g)))
                e = g.enhanced
                out.append(MailLogGroup(
                    REASON_NAMES[g.reason], g.code or None, (e.status_class, e.subject, e.detail) if g.has_enhanced else None,
                    _static_str(g.rule), g.count, g.deferred, g.bounced, g.expired, _field(g.example, g.example_len),
                    _REASON_EXPLANATIONS[g.reason], _REASON_ADVICE[g.reason],
                ))
            return out

    def close(self):
        """Frees the log (idempotent)."""
        with self._lock:
            self._log.close()

    @property
    def closed(self):
        return self._log.h is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        if self.closed:
            return "<smtpreply.MailLog closed>"
        s = self.summary()
        return "<smtpreply.MailLog lines=%d recipients=%d open=%d>" % (s.lines, s.recipients, s.open)


def _size_index(index):
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError("index must be an int, not %s" % type(index).__name__)
    if not 0 <= index <= _SIZE_MAX:
        raise _py_out_of_range("index %d is out of range" % index)
    return index


def parse_maillog_line(line):
    """Parses one delivery-status line of a Postfix or Exim log (bytes; a final line end is
    allowed) into a :class:`MailLogRecord` with its reply classified, or returns None for any other
    line. Raises InvalidInput for several lines, TypeError for str."""
    data = _bytes_arg(line, "line")
    r = _MailLogRecordC()
    rc = _maillog_parse_line(data, len(data), byref(r))
    if rc == _NOT_FOUND:
        return None
    if rc != OK:
        raise _error(rc)
    return _maillog_record(r)


def maillog_summary(source, *, chunk_size=65536, **options):
    """Reads a whole mail log and returns a :data:`MailLogReport` (summary, reasons, domains,
    groups), streaming it in chunks of ``chunk_size`` bytes: memory stays bounded whatever its
    size.

    ``source``: the log's content (bytes, bytearray, memoryview), a path (str or os.PathLike), or a
    binary file object (anything with ``read``: an open file, ``sys.stdin.buffer``, a socket's
    ``makefile("rb")``). ``options``: those of :class:`MailLog` (``max_line``, ``max_domains`` ...).
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size <= 0:
        raise ValueError("chunk_size must be a positive int")
    options.setdefault("summary_only", True)
    with MailLog(**options) as log:
        if isinstance(source, (bytes, bytearray, memoryview)):
            view = memoryview(source).cast("B")
            for at in range(0, len(view), chunk_size):
                log.feed(view[at:at + chunk_size])
        elif isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as f:
                for chunk in iter(lambda: f.read(chunk_size), b""):
                    log.feed(chunk)
        elif hasattr(source, "read"):
            while True:
                chunk = source.read(chunk_size)
                if isinstance(chunk, str):
                    raise TypeError("the file object returns str: open it in binary mode ('rb')")
                if not chunk:
                    break
                log.feed(chunk)
        else:
            raise TypeError("source must be bytes, a path or a binary file object, not %s" % type(source).__name__)
        log.finish()
        summary = log.summary()
        reasons = sorted(((n, name) for name, n in summary.reasons.items() if n and name != "success"),
                         key=lambda x: (-x[0], REASON_NAMES.index(x[1])))
        return MailLogReport(summary, {name: n for n, name in reasons}, log.domains(), log.groups())


__all__.extend([
    "MailLog", "MailLogRecord", "MailLogSummary", "MailLogDomain", "MailLogGroup", "MailLogReport",
    "maillog_summary", "parse_maillog_line", "MAILLOG_STATUSES",
])


# --------------------------------------------------------------------------------------------------
# Transcripts (pasted SMTP conversations): smtpreply_transcript_*
# --------------------------------------------------------------------------------------------------


class _TranscriptOptions(Structure):
    _fields_ = [
        ("format", c_uint32),
        ("max_input", c_size_t),
        ("max_line", c_size_t),
    ]


class _TranscriptSummary(Structure):
    _fields_ = [
        ("format", c_uint32),
        ("lines", c_size_t),
        ("step_count", c_size_t),
        ("check_count", c_size_t),
        ("recipient_count", c_size_t),
        ("message_count", c_size_t),
        ("has_message_outcome", c_bool),
        ("message_accepted", c_bool),
        ("queue_id", c_void_p),
        ("queue_id_len", c_size_t),
        ("has_first_failure", c_bool),
        ("first_failure_step", c_size_t),
        ("first_failure", _Classification),
        ("tls", c_bool),
        ("authenticated", c_bool),
        ("quit", c_bool),
    ]


class _TranscriptStep(Structure):
    _fields_ = [
        ("kind", c_uint32),
        ("speaker", c_uint32),
        ("line", c_size_t),
        ("text", c_void_p),
        ("text_len", c_size_t),
        ("command", c_uint32),
        ("has_answers", c_bool),
        ("answers", c_size_t),
        ("has_reply", c_bool),
        ("code", c_uint32),
        ("has_enhanced", c_bool),
        ("enhanced", _EnhancedCode),
        ("unexpected", c_bool),
        ("classification", _Classification),
        ("tls", c_bool),
    ]


class _TranscriptCheck(Structure):
    _fields_ = [
        ("kind", c_uint32),
        ("step", c_size_t),
        ("message", c_char_p),
    ]


class _TranscriptRecipient(Structure):
    _fields_ = [
        ("address", c_void_p),
        ("address_len", c_size_t),
        ("status", c_uint32),
        ("rcpt_step", c_size_t),
        ("has_reply_step", c_bool),
        ("reply_step", c_size_t),
        ("has_classification", c_bool),
        ("classification", _Classification),
        ("message", c_size_t),
    ]


class _TranscriptMessage(Structure):
    _fields_ = [
        ("sender", c_void_p),
        ("sender_len", c_size_t),
        ("mail_step", c_size_t),
        ("has_outcome", c_bool),
        ("accepted", c_bool),
        ("has_reply_step", c_bool),
        ("reply_step", c_size_t),
        ("queue_id", c_void_p),
        ("queue_id_len", c_size_t),
    ]


class _TranscriptHandle(c_void_p):
    pass


_transcript_options_init = _declare("smtpreply_transcript_options_init", _R, POINTER(_TranscriptOptions))
_transcript_analyse = _declare(
    "smtpreply_transcript_analyse", _R, _DATA, c_size_t, POINTER(_TranscriptOptions), POINTER(_TranscriptHandle)
)
_transcript_free = _declare("smtpreply_transcript_free", None, _TranscriptHandle)
_transcript_get_summary = _declare(
    "smtpreply_transcript_get_summary", _R, _TranscriptHandle, POINTER(_TranscriptSummary)
)
_transcript_step_at = _declare("smtpreply_transcript_step_at", _R, _TranscriptHandle, c_size_t,
                               POINTER(_TranscriptStep))
_transcript_check_at = _declare("smtpreply_transcript_check_at", _R, _TranscriptHandle, c_size_t,
                                POINTER(_TranscriptCheck))
_transcript_recipient_at = _declare("smtpreply_transcript_recipient_at", _R, _TranscriptHandle, c_size_t,
                                    POINTER(_TranscriptRecipient))
_transcript_message_at = _declare("smtpreply_transcript_message_at", _R, _TranscriptHandle, c_size_t,
                                  POINTER(_TranscriptMessage))
_format_name = _declare("smtpreply_format_name", c_char_p, c_uint32)
_step_kind_name = _declare("smtpreply_step_kind_name", c_char_p, c_uint32)
_speaker_name = _declare("smtpreply_speaker_name", c_char_p, c_uint32)
_check_kind_name = _declare("smtpreply_check_kind_name", c_char_p, c_uint32)

#: Transcript formats by SMTPREPLY_FORMAT_* number ("unknown", "server_client", "rfc", "arrows",
#: "swaks", "curl", "telnet", "smtplib", "exchange", "bounce").
TRANSCRIPT_FORMATS = _numbered_names(_format_name, 0)
_FORMAT_NUMBERS = {name: n for n, name in TRANSCRIPT_FORMATS.items()}
_STEP_KINDS = _numbered_names(_step_kind_name, 1)
_SPEAKERS = _numbered_names(_speaker_name, 1)
#: Protocol check kinds by SMTPREPLY_CHECK_* number ("unexpected_reply", "missing_quit" ...).
CHECK_KINDS = _numbered_names(_check_kind_name, 1)


class TranscriptStep(collections.namedtuple("TranscriptStep", (
        "index line kind speaker text command answers code enhanced unexpected classification tls"))):
    """One step of a conversation: ``kind`` ("command", "reply", "message_data", "auth_response",
    "info"), ``speaker`` ("client", "server", "tool"), ``line`` (1-based input line), ``text``
    (str; replies' lines joined with "\\n"; AUTH credentials masked), ``command`` (the command sent,
    or the one a reply answers: "RCPT", "GREETING" ...; None when unknown), ``answers`` (for a
    reply, the index of the step it answers), ``code``, ``enhanced`` ((class, subject, detail)),
    ``unexpected`` (RFC 5321 §4.3.2 does not list the code for the command), ``classification``
    (a :class:`Classification`, for replies), ``tls`` (after STARTTLS)."""

    __slots__ = ()


#: A protocol deviation: ``kind`` (a name of CHECK_KINDS), ``step`` (index), ``message``.
TranscriptCheck = collections.namedtuple("TranscriptCheck", "kind step message")


class TranscriptRecipient(collections.namedtuple("TranscriptRecipient", (
        "address status reason reply code classification reply_step message"))):
    """What became of one recipient: ``status`` "accepted" (the server took the message for it),
    "deferred", "rejected", or "pending" (accepted at RCPT, but the log shows no outcome for the
    message); ``reason`` (the classifier's reason name, "success" for accepted), ``reply`` (the text
    of the reply that decided it), ``code``, ``classification``, ``reply_step`` (index),
    ``message`` (index into ``Transcript.messages``)."""

    __slots__ = ()


#: One message (MAIL FROM transaction): ``sender``, ``accepted`` (True, False, or None when the log
#: does not say), ``queue_id``, ``reply_step`` (the step that decided it).
TranscriptMessage = collections.namedtuple("TranscriptMessage", "sender accepted queue_id reply_step")


class Transcript(object):
    """An explained conversation (see :func:`explain_log`).

    ``format`` (the detected or given format name), ``lines``, ``steps`` (list of
    :class:`TranscriptStep`), ``checks`` (list of :class:`TranscriptCheck`), ``recipients`` (list of
    :class:`TranscriptRecipient`), ``messages`` (list of :class:`TranscriptMessage`),
    ``message_accepted`` (bool: the last message was accepted; False also when no message reached
    an outcome), ``message_outcome_known`` (bool), ``queue_id`` (str or None), ``first_failure``
    (the failing reply step, or None), ``tls``, ``authenticated``, ``quit``.
    """

    __slots__ = ("format", "lines", "steps", "checks", "recipients", "messages", "message_accepted",
                 "message_outcome_known", "queue_id", "first_failure", "tls", "authenticated", "quit")

    def __repr__(self):
        return "<Transcript format=%s steps=%d recipients=%r message_accepted=%r queue_id=%r checks=%r>" % (
            self.format, len(self.steps), [(r.address, r.status) for r in self.recipients],
            self.message_accepted, self.queue_id, [c.kind for c in self.checks])


def _read_transcript(h):
    """Copies everything out of a transcript handle into Python objects."""
    s = _TranscriptSummary()
    _check(_transcript_get_summary(h, byref(s)))
    steps = []
    st = _TranscriptStep()
    for i in range(s.step_count):
        _check(_transcript_step_at(h, i, byref(st)))
        e = st.enhanced
        steps.append(TranscriptStep(
            i, st.line, _STEP_KINDS[st.kind], _SPEAKERS[st.speaker], _text(_bytes_at(st.text, st.text_len)),
            _ALL_COMMAND_NAMES.get(st.command) if st.command else None,
            st.answers if st.has_answers else None,
            st.code if st.has_reply else None,
            (e.status_class, e.subject, e.detail) if st.has_enhanced else None,
            bool(st.unexpected),
            _classification(st.classification) if st.has_reply else None,
            bool(st.tls),
        ))
    checks = []
    ck = _TranscriptCheck()
    for i in range(s.check_count):
        _check(_transcript_check_at(h, i, byref(ck)))
        checks.append(TranscriptCheck(CHECK_KINDS[ck.kind], ck.step, ck.message.decode("utf-8", "replace")))
    recipients = []
    rr = _TranscriptRecipient()
    for i in range(s.recipient_count):
        _check(_transcript_recipient_at(h, i, byref(rr)))
        c = _classification(rr.classification) if rr.has_classification else None
        reply = steps[rr.reply_step] if rr.has_reply_step else None
        recipients.append(TranscriptRecipient(
            _text(_bytes_at(rr.address, rr.address_len)), RECIPIENT_STATUSES[rr.status],
            c.reason if c else None, reply.text if reply else None, reply.code if reply else None, c,
            rr.reply_step if rr.has_reply_step else None, rr.message))
    messages = []
    m = _TranscriptMessage()
    for i in range(s.message_count):
        _check(_transcript_message_at(h, i, byref(m)))
        messages.append(TranscriptMessage(
            _text(_bytes_at(m.sender, m.sender_len)), bool(m.accepted) if m.has_outcome else None,
            _text(_bytes_at(m.queue_id, m.queue_id_len)) or None,
            m.reply_step if m.has_reply_step else None))
    t = Transcript()
    t.format = TRANSCRIPT_FORMATS[s.format]
    t.lines = s.lines
    t.steps, t.checks, t.recipients, t.messages = steps, checks, recipients, messages
    t.message_outcome_known = bool(s.has_message_outcome)
    t.message_accepted = bool(s.message_accepted) if s.has_message_outcome else False
    t.queue_id = _text(_bytes_at(s.queue_id, s.queue_id_len)) or None
    t.first_failure = steps[s.first_failure_step] if s.has_first_failure else None
    t.tls, t.authenticated, t.quit = bool(s.tls), bool(s.authenticated), bool(s.quit)
    return t


def explain_log(text, format=None, max_input=None, max_line=None):
    """Explains a pasted SMTP conversation and returns a :class:`Transcript`.

    ``text``: bytes (any encoding) or str (encoded as UTF-8) in any of the formats the library
    reads: a mail client's connection log (``Server:`` / ``Client:``), RFC-style ``S:`` / ``C:``,
    ``->`` / ``<-`` arrows, a raw telnet session, swaks, curl -v, Python smtplib debug output, an
    Exchange protocol log, or a bounce. ``format``: one of TRANSCRIPT_FORMATS' names to skip
    detection. ``max_input`` (default 64 MiB: more raises LimitExceeded) and ``max_line`` (default
    64 KiB, at least 80: longer lines are cut, with a "line_too_long" check).

    Input with no conversation is not an error: the transcript has format "unknown" and no steps.
    """
    if isinstance(text, str):
        data = text.encode("utf-8", "surrogateescape")
    else:
        data = _bytes_arg(text, "text")
    opts = _TranscriptOptions()
    _check(_transcript_options_init(byref(opts)))
    if format is not None:
        if not isinstance(format, str):
            raise TypeError("format must be a str (one of %s)" % ", ".join(sorted(_FORMAT_NUMBERS)))
        n = _FORMAT_NUMBERS.get(format.strip().lower())
        if n is None or n == 0:
            raise _py_invalid("format %r is not one of %s" % (format, ", ".join(
                name for name in TRANSCRIPT_FORMATS.values() if name != "unknown")))
        opts.format = n
    if max_input is not None:
        opts.max_input = _size_option(max_input, "max_input")
    if max_line is not None:
        opts.max_line = _size_option(max_line, "max_line")
    h = _TranscriptHandle()
    _check(_transcript_analyse(data, len(data), byref(opts), byref(h)))
    try:
        return _read_transcript(h)
    finally:
        _transcript_free(h)


__all__.extend([
    "explain_log", "Transcript", "TranscriptStep", "TranscriptCheck", "TranscriptRecipient", "TranscriptMessage",
    "TRANSCRIPT_FORMATS", "CHECK_KINDS",
])
