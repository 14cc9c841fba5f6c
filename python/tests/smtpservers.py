"""SMTP servers on 127.0.0.1 for the session tests: aiosmtpd-based servers that record what they
receive byte for byte, and a raw scripted TCP server for exact edge cases.

aiosmtpd (PyPI) is optional: ``HAVE_AIOSMTPD`` says whether it can be imported, and
``needs_aiosmtpd`` skips a test (or class) with a clear message when it cannot. The scripted
server and the certificate helper need only the standard library (and the ``openssl`` command).

Every server listens on a free port chosen by the system, runs in a thread of its own, and stops
when its with-block ends::

    with SMTPServer(Policy(refuse_prefix="nobody"), pipelining=True) as srv:
        smtpreply.send_message(srv.host, srv.port, ...)
        srv.messages[0].raw        # the bytes after DATA, dot-stuffing and all
"""

import asyncio
import base64
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import warnings

try:
    import aiosmtpd.smtp as _aiosmtp
    from aiosmtpd.smtp import SMTP as _AioSMTP, AuthResult, LoginPassword
    HAVE_AIOSMTPD = True
    AIOSMTPD_MISSING = None
except ImportError as _e:  # pragma: no cover - depends on the environment
    HAVE_AIOSMTPD = False
    AIOSMTPD_MISSING = "aiosmtpd is not installed (pip install aiosmtpd): %s" % _e
    _AioSMTP = object

needs_aiosmtpd = unittest.skipUnless(
    HAVE_AIOSMTPD,
    "end-to-end SMTP test skipped: aiosmtpd is not importable (pip install aiosmtpd)",
)

HOST = "127.0.0.1"
SERVER_NAME = "mx.test.example"
GOOD_USER = "tim"
GOOD_PASSWORD = "tanstaaftanstaaf"

# aiosmtpd logs every connection at INFO and warns about AUTH without TLS (which the tests want);
# keep errors (handler exceptions) visible.
# A client that gives up during the TLS handshake (an untrusted certificate, as some tests want)
# is logged with a traceback: drop those.
_log = logging.getLogger("mail.log")
_log.setLevel(logging.ERROR)


def _not_a_tls_abort(record):
    exc = record.exc_info[1] if record.exc_info else None
    return not (exc is not None and type(exc).__name__ == "TLSSetupException")


_log.addFilter(_not_a_tls_abort)


# ------------------------------------------------------------------------------------------------
# What a server saw
# ------------------------------------------------------------------------------------------------


class Message(object):
    """One message a server received: ``mail_from``, ``rcpt_tos``, ``mail_options``, ``via``
    ("DATA" or "BDAT"), ``content`` (after unstuffing: what aiosmtpd hands its handler),
    ``raw`` (the bytes on the wire after the DATA command up to and including the final
    ``.<CRLF>``, before any unstuffing; for BDAT, the chunks' bytes concatenated)."""

    def __init__(self, mail_from, rcpt_tos, mail_options, via, content, raw):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.mail_options = list(mail_options)
        self.via = via
        self.content = content
        self.raw = raw

    def __repr__(self):
        return "<Message from=%r to=%r via %s, %d bytes>" % (self.mail_from, self.rcpt_tos, self.via, len(self.content))


class Connection(object):
    """What one connection carried: ``reads`` is a list of ``(replies_sent_before, bytes)`` for
    every chunk the server read from the (plain-text) stream, ``replies`` the replies sent, in
    order; ``commands`` the command lines the server handled."""

    def __init__(self):
        self.reads = []
        self.replies = []
        self.commands = []

    @property
    def received(self):
        return b"".join(chunk for _, chunk in self.reads)

    def replies_before(self, marker, start=0):
        """How many replies the server had sent when the read holding the end of ``marker`` (the
        first at or after byte ``start``) arrived; None when it never did."""
        data = self.received
        i = data.find(marker, start)
        if i < 0:
            return None
        end = i + len(marker)
        pos = 0
        for sent, chunk in self.reads:
            pos += len(chunk)
            if pos >= end:
                return sent
        return None


class Recorder(object):
    """Shared by every connection of one server (the server's thread writes, the test reads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connections = []
        self.messages = []
        self.auth = []  # (mechanism, login, success)

    def new_connection(self):
        c = Connection()
        with self.lock:
            self.connections.append(c)
        return c


# ------------------------------------------------------------------------------------------------
# aiosmtpd: handler (policy) and protocol (wire recording, PIPELINING, CHUNKING, 421)
# ------------------------------------------------------------------------------------------------


class Policy(object):
    """The aiosmtpd handler: accepts everything, except as configured.

    ``refuse_prefix``: RCPT addresses starting with it get ``refuse_reply`` (550 5.1.1 ...);
    ``defer_prefix``: get ``defer_reply`` (450 4.2.0 greylisted ...); ``data_reply``: the reply
    after the body (default 250 with a queue id), e.g. "554 5.6.0 ..."."""

    def __init__(self, refuse_prefix=None, defer_prefix=None,
                 refuse_reply="550 5.1.1 <{addr}>: Recipient address rejected: User unknown in virtual mailbox table",
                 defer_reply="450 4.2.0 <{addr}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/test.example.html",
                 data_reply=None):
        self.refuse_prefix = refuse_prefix
        self.defer_prefix = defer_prefix
        self.refuse_reply = refuse_reply
        self.defer_reply = defer_reply
        self.data_reply = data_reply
        self.recorder = None  # set by the server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if self.refuse_prefix and local.startswith(self.refuse_prefix):
            return self.refuse_reply.format(addr=address)
        if self.defer_prefix and local.startswith(self.defer_prefix):
            return self.defer_reply.format(addr=address)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        raw = server.raw_data()
        with self.recorder.lock:
            self.recorder.messages.append(Message(
                envelope.mail_from, envelope.rcpt_tos, envelope.mail_options, server.data_via,
                envelope.original_content, raw))
            n = len(self.recorder.messages)
        if self.data_reply is not None:
            return self.data_reply
        return "250 2.0.0 Ok: queued as TESTQ%04d" % n


def authenticator_for(recorder, user=GOOD_USER, password=GOOD_PASSWORD):
    """An aiosmtpd authenticator with one good user (PLAIN and LOGIN)."""

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        with recorder.lock:
            recorder.auth.append((mechanism, getattr(auth_data, "login", None), ok))
        return AuthResult(success=ok, handled=False)

    return authenticate


class RecordingSMTP(_AioSMTP):
    """aiosmtpd's SMTP protocol, plus:

    - every plain-text read recorded with the number of replies sent before it (``Connection``),
      so tests can tell pipelined commands from lock-step ones;
    - the raw bytes of each message body, before unstuffing (``raw_data``);
    - ``pipelining``: advertise PIPELINING (aiosmtpd reads pipelined commands fine, but does not
      say so); ``chunking``: advertise CHUNKING and implement BDAT (RFC 3030);
    - ``close_on_rcpt``: answer that RCPT (1-based) with 421 and close the connection;
    - ``data_command_reply``: refuse the DATA command itself with this reply.
    """

    pipelining = False
    chunking = False
    close_on_rcpt = None
    data_command_reply = None
    recorder = None

    def connection_made(self, transport):
        if getattr(self, "conn", None) is None:
            self.conn = self.recorder.new_connection()
            self._consumed = bytearray()
            self._data_mark = 0
            self._bdat = None
            self._in_ehlo = False
            self._rcpt_count = 0
            self.data_via = "DATA"
        super().connection_made(transport)

    def data_received(self, data):
        # Plain text both before STARTTLS (from the socket) and after (from the TLS layer).
        self.conn.reads.append((len(self.conn.replies), bytes(data)))
        super().data_received(data)

    def _cb_client_connected(self, reader, writer):
        super()._cb_client_connected(reader, writer)
        consumed = self._consumed

        def wrap(name):
            orig = getattr(reader, name)

            async def recording(*args, **kwargs):
                data = await orig(*args, **kwargs)
                consumed.extend(data)
                return data

            setattr(reader, name, recording)

        for name in ("readuntil", "readexactly", "read", "readline"):
            wrap(name)

    async def push(self, status):
        line = status if isinstance(status, bytes) else status.encode("utf-8")
        if self._in_ehlo and line.startswith(b"250 "):
            extra = []
            if self.pipelining:
                extra.append(b"250-PIPELINING")
            if self.chunking:
                extra.append(b"250-CHUNKING")
            self._in_ehlo = False
            for e in extra:
                await self.push(e)
        self.conn.replies.append(line)
        await super().push(status)

    async def smtp_EHLO(self, hostname):
        self.conn.commands.append("EHLO")
        self._in_ehlo = True
        try:
            await super().smtp_EHLO(hostname)
        finally:
            self._in_ehlo = False

    async def smtp_MAIL(self, arg):
        self.conn.commands.append("MAIL")
        await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        self.conn.commands.append("RCPT")
        self._rcpt_count += 1
        if self.close_on_rcpt is not None and self._rcpt_count == self.close_on_rcpt:
            await self.push("421 4.3.2 %s Service shutting down, closing transmission channel" % SERVER_NAME)
            self.transport.close()
            return
        await super().smtp_RCPT(arg)

    async def smtp_RSET(self, arg):
        self.conn.commands.append("RSET")
        self._bdat = None
        await super().smtp_RSET(arg)

    async def smtp_DATA(self, arg):
        self.conn.commands.append("DATA")
        if self.data_command_reply is not None:
            await self.push(self.data_command_reply)
            return
        self._data_mark = len(self._consumed)
        self.data_via = "DATA"
        await super().smtp_DATA(arg)

    def raw_data(self):
        """The bytes read since the body began (DATA: after the command line; BDAT: the
        chunks)."""
        if self.data_via == "BDAT":
            return bytes(self._bdat_raw)
        return bytes(self._consumed[self._data_mark:])

    async def smtp_BDAT(self, arg):
        self.conn.commands.append("BDAT")
        if not self.chunking:
            await self.push('500 Error: command "BDAT" not recognized')
            return
        parts = (arg or "").split()
        if not parts or not parts[0].isdigit() or len(parts) > 2 or (len(parts) == 2 and parts[1].upper() != "LAST"):
            await self.push("501 5.5.4 Syntax: BDAT chunk-size [LAST]")
            return
        size = int(parts[0])
        last = len(parts) == 2
        # The chunk follows the command line whatever the state: read it first (RFC 3030 §2).
        chunk = await self._reader.readexactly(size) if size else b""
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("BDAT"):
            return
        if not self.envelope.rcpt_tos:
            await self.push("503 5.5.1 Error: need RCPT command")
            return
        if self._bdat is None:
            self._bdat = bytearray()
            self._bdat_raw = bytearray()
        self._bdat.extend(chunk)
        self._bdat_raw.extend(chunk)
        if not last:
            await self.push("250 2.0.0 %d octets received" % size)
            return
        content = bytes(self._bdat)
        self._bdat = None
        self.envelope.content = content
        self.envelope.original_content = content
        self.data_via = "BDAT"
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is _aiosmtp.MISSING else status)


class SMTPServer(object):
    """An aiosmtpd server on 127.0.0.1 (a free port) in a thread of its own.

    ``handler``: a :class:`Policy` (default: accept everything). ``pipelining``, ``chunking``,
    ``close_on_rcpt``, ``data_command_reply``: see :class:`RecordingSMTP`. ``auth``: require AUTH
    (PLAIN and LOGIN, one good user, allowed without TLS). ``tls_context``: offer STARTTLS and
    require it (``require_starttls``). Other keywords go to aiosmtpd's SMTP.
    """

    def __init__(self, handler=None, *, pipelining=False, chunking=False, close_on_rcpt=None,
                 data_command_reply=None, auth=False, tls_context=None, **smtp_kwargs):
        self.handler = handler if handler is not None else Policy()
        self.recorder = Recorder()
        self.handler.recorder = self.recorder
        self.options = dict(pipelining=pipelining, chunking=chunking, close_on_rcpt=close_on_rcpt,
                            data_command_reply=data_command_reply)
        kw = dict(hostname=SERVER_NAME, ident="ESMTP smtpreply test server", timeout=30)
        if auth:
            kw.update(authenticator=authenticator_for(self.recorder), auth_required=True, auth_require_tls=False)
        if tls_context is not None:
            kw.update(tls_context=tls_context, require_starttls=True)
        kw.update(smtp_kwargs)
        self.smtp_kwargs = kw
        self.host = HOST
        self.port = None
        self.loop = None
        self._thread = None
        self._protocols = []
        self._error = None

    def _factory(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Requiring AUTH while not requiring TLS ..."
            p = RecordingSMTP(self.handler, loop=self.loop, **self.smtp_kwargs)
        p.recorder = self.recorder
        for k, v in self.options.items():
            setattr(p, k, v)
        self._protocols.append(p)
        return p

    def start(self):
        ready = threading.Event()

        def run():
            loop = self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(loop.create_server(self._factory, HOST, 0))
                self.port = self._server.sockets[0].getsockname()[1]
            except Exception as e:  # pragma: no cover
                self._error = e
                ready.set()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                self._server.close()
                for p in self._protocols:
                    t = getattr(p, "transport", None)
                    if t is not None:
                        t.close()
                tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for t in tasks:
                    t.cancel()
                if tasks:
                    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
                loop.run_until_complete(asyncio.sleep(0))
                loop.close()

        self._thread = threading.Thread(target=run, name="smtp-test-server", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._error is not None:
            raise RuntimeError("the test SMTP server did not start: %r" % (self._error,))
        return self

    def stop(self):
        if self._thread is None:
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def address(self):
        return "%s:%d" % (self.host, self.port)

    @property
    def messages(self):
        with self.recorder.lock:
            return list(self.recorder.messages)

    @property
    def connections(self):
        with self.recorder.lock:
            return list(self.recorder.connections)


# ------------------------------------------------------------------------------------------------
# TLS: a self-signed certificate for 127.0.0.1 / localhost
# ------------------------------------------------------------------------------------------------


class Certificate(object):
    """A self-signed certificate (SAN IP:127.0.0.1, DNS:localhost) made with the ``openssl``
    command in a temporary directory: ``cert`` and ``key`` are PEM file paths. ``cleanup()``
    removes them."""

    def __init__(self):
        openssl = shutil.which("openssl")
        if openssl is None:
            raise unittest.SkipTest("the openssl command is not installed: cannot make a test certificate")
        self.dir = tempfile.mkdtemp(prefix="smtpreply-tls-")
        self.cert = os.path.join(self.dir, "cert.pem")
        self.key = os.path.join(self.dir, "key.pem")
        cmd = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", self.key, "-out", self.cert, "-days", "2", "-subj", "/CN=localhost",
               "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
               "-addext", "keyUsage=critical,digitalSignature,keyCertSign"]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        if r.returncode != 0:
            self.cleanup()
            raise RuntimeError("openssl could not make a test certificate: %s" % r.stderr.decode("utf-8", "replace"))

    def server_context(self):
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx

    def client_context(self):
        import ssl
        return ssl.create_default_context(cafile=self.cert)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# A raw scripted server
# ------------------------------------------------------------------------------------------------


class ScriptedServer(object):
    """A TCP server on 127.0.0.1 that plays a script to the first client, byte for byte.

    Steps (tuples):

    - ``("send", data)``: write the bytes in one write;
    - ``("send_bytewise", data)``: write them one byte per write, with a tiny pause between;
    - ``("expect", marker)``: read until the bytes received since the last expect contain
      ``marker`` (consumed up to its end); a 5-second wait without it fails the script;
    - ``("sleep", seconds)``;
    - ``("close",)``: close the connection (the end of the script closes it too);
    - ``("drain",)``: read until the client closes.

    ``received`` holds everything the client sent; ``failure`` says what went wrong (None when
    the script ran to its end).
    """

    def __init__(self, script, timeout=5.0):
        self.script = list(script)
        self.timeout = timeout
        self.received = b""
        self.failure = None
        self.finished = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(1)
        self.host = HOST
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name="smtp-scripted-server", daemon=True)

    def _run(self):
        conn = None
        cursor = 0
        try:
            self._listener.settimeout(self.timeout)
            conn, _ = self._listener.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(self.timeout)
            for step in self.script:
                op = step[0]
                if op == "send":
                    conn.sendall(step[1])
                elif op == "send_bytewise":
                    for i in range(len(step[1])):
                        conn.sendall(step[1][i:i + 1])
                        time.sleep(0.0005)
                elif op == "expect":
                    marker = step[1]
                    deadline = time.monotonic() + self.timeout
                    while True:
                        i = self.received.find(marker, cursor)
                        if i >= 0:
                            cursor = i + len(marker)
                            break
                        if time.monotonic() > deadline:
                            raise AssertionError("the client never sent %r (got %r)" % (marker, self.received[cursor:]))
                        data = conn.recv(65536)
                        if not data:
                            raise AssertionError("the client closed before sending %r (got %r)"
                                                 % (marker, self.received[cursor:]))
                        self.received += data
                elif op == "sleep":
                    time.sleep(step[1])
                elif op == "close":
                    break
                elif op == "drain":
                    while True:
                        data = conn.recv(65536)
                        if not data:
                            break
                        self.received += data
                else:
                    raise ValueError("unknown script step %r" % (step,))
        except Exception as e:
            self.failure = "%s: %s" % (type(e).__name__, e)
        finally:
            if conn is not None:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._listener.close()
            self.finished.set()

    def start(self):
        self._thread.start()
        return self

    def join(self, timeout=10):
        self._thread.join(timeout)

    def stop(self):
        try:
            self._listener.close()
        except OSError:
            pass
        self.join()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def b64(s):
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()
