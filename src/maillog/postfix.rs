//! Postfix log lines (the message after the syslog envelope).
//!
//! Delivery agents (smtp, lmtp, local, virtual, pipe, error, retry, discard) log one line per
//! recipient and attempt, written by Postfix's `log_adhoc()`:
//!
//! ```text
//! QUEUEID: to=<rcpt>[, orig_to=<orig>], relay=R[, conn_use=N], delay=D, delays=a/b/c/d, dsn=X.Y.Z, status=S (TEXT)
//! ```
//!
//! with `S` one of `sent`, `deferred`, `bounced`, `expired` (`SOFTBOUNCE` when `soft_bounce = yes`
//! turns a bounce into a deferral; `deliverable`/`undeliverable` for address-verification probes,
//! which are not deliveries). Fields are read by name, so fields added by other versions are
//! skipped. The queue manager logs `QUEUEID: from=<sender>, status=expired, returned to sender`
//! when a message expires, and `QUEUEID: removed` when it leaves the queue; the cleanup server logs
//! `QUEUEID: message-id=<...>` once per message. The program name is not checked (multi-instance
//! setups log as `postfix-out/smtp`, `postfix/submission/smtpd` ...): the message shape is
//! specific enough.

use super::{command_at, domain_of, Event, Format, Record, Status};
use crate::command::Command;
use crate::reply::EnhancedCode;
use memchr::memmem;

/// A Postfix queue id (short hexadecimal or long base-52 form) and the rest after `": "`.
fn queue_id(message: &[u8]) -> Option<(&[u8], &[u8])> {
    let n = message.iter().take(33).take_while(|b| b.is_ascii_alphanumeric()).count();
    if n == 0 || n > 32 || message.get(n..n + 2) != Some(b": ") {
        return None;
    }
    Some((&message[..n], &message[n + 2..]))
}

pub(crate) fn parse<'a>(timestamp: &'a [u8], host: &'a [u8], program: &'a [u8], message: &'a [u8]) -> Event<'a> {
    let Some((qid, rest)) = queue_id(message) else { return Event::Other };
    if let Some(after) = rest.strip_prefix(b"to=<") {
        return match delivery(after) {
            Some(mut r) => {
                r.timestamp = timestamp;
                r.host = host;
                r.program = program;
                r.queue_id = qid;
                r.transport = program.rsplit(|&b| b == b'/').next().unwrap_or(program);
                Event::Delivery(r)
            }
            None => Event::Other,
        };
    }
    if rest == b"removed" {
        return Event::MessageDone { queue_id: qid, timestamp };
    }
    if rest.starts_with(b"from=<") && rest.ends_with(b">, status=expired, returned to sender") {
        return Event::MessageExpired { queue_id: qid, timestamp };
    }
    if rest.starts_with(b"message-id=") && program.ends_with(b"cleanup") {
        return Event::Arrival { timestamp };
    }
    Event::Other
}

/// The fields after `to=<`.
fn delivery(s: &[u8]) -> Option<Record<'_>> {
    // The recipient ends at ">, " (an address may hold '>' only inside quotes, rarely).
    let end = memmem::find(s, b">, ")?;
    let recipient = &s[..end];
    if recipient.is_empty() {
        return None;
    }
    let mut rest = &s[end + 3..];
    let mut r = Record {
        format: Format::Postfix,
        line: 0,
        timestamp: b"",
        host: b"",
        program: b"",
        queue_id: b"",
        recipient,
        domain: b"",
        orig_recipient: b"",
        relay: b"",
        transport: b"",
        delay: b"",
        dsn: None,
        status: Status::Delivered,
        text: b"",
        command: None,
        classification: None,
        deferrals: 0,
        no_attempt: false,
        evicted: false,
        truncated: false,
    };
    loop {
        if let Some(st) = rest.strip_prefix(b"status=") {
            let word_len = st.iter().position(|&b| b == b' ' || b == b',').unwrap_or(st.len());
            r.status = match &st[..word_len] {
                b"sent" => Status::Delivered,
                b"deferred" | b"SOFTBOUNCE" => Status::Deferred,
                b"bounced" => Status::Bounced,
                b"expired" => Status::Expired,
                // deliverable / undeliverable (verification probes) and anything unknown.
                _ => return None,
            };
            r.text = status_text(&st[word_len..]);
            break;
        }
        let eq = memchr::memchr(b'=', rest)?;
        let key = &rest[..eq];
        let value_and_more = &rest[eq + 1..];
        let (value, next) = match memmem::find(value_and_more, b", ") {
            Some(p) => (&value_and_more[..p], &value_and_more[p + 2..]),
            None => return None, // no status= follows
        };
        match key {
            b"orig_to" => {
                r.orig_recipient = value.strip_prefix(b"<").and_then(|v| v.strip_suffix(b">")).unwrap_or(value)
            }
            b"relay" => r.relay = value,
            b"delay" => r.delay = value,
            b"dsn" => r.dsn = EnhancedCode::parse_prefix(value).filter(|&(_, n)| n == value.len()).map(|(e, _)| e),
            _ => {}
        }
        rest = next;
    }
    r.domain = domain_of(r.recipient).or_else(|| domain_of(r.orig_recipient)).unwrap_or(b"");
    r.command = command_of(r.text);
    Some(r)
}

/// The text after the status word: ` (TEXT)` as Postfix writes it, `, returned to sender`, or
/// whatever else follows.
fn status_text(s: &[u8]) -> &[u8] {
    let s = s.trim_ascii_end();
    if let Some(inner) = s.strip_prefix(b" (").and_then(|t| t.strip_suffix(b")")) {
        return inner;
    }
    let s = s.strip_prefix(b",").unwrap_or(s);
    s.trim_ascii_start()
}

/// The command a relayed reply answered: `(in reply to X command)`, or the greeting for `refused
/// to talk to me`.
fn command_of(text: &[u8]) -> Option<Command> {
    if let Some(p) = memmem::rfind(text, b"(in reply to ") {
        return command_at(&text[p + 13..]);
    }
    memmem::find(text, b" refused to talk to me").map(|_| Command::Greeting)
}

#[cfg(test)]
mod tests {
    use super::super::{event, parse_line};
    use super::*;
    use crate::classify::Reason;

    fn rec(line: &str) -> Record<'_> {
        parse_line(line.as_bytes()).unwrap_or_else(|| panic!("not a record: {line}"))
    }

    #[test]
    fn bounced_with_a_relayed_reply() {
        let line = "Jan  5 06:25:13 mx1 postfix/smtp[31337]: 4F2B81C0D4: to=<bob@example.com>, \
                    orig_to=<bobby@example.org>, relay=mx.example.com[192.0.2.10]:25, conn_use=2, delay=1.4, \
                    delays=0.1/0/0.5/0.8, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.10] said: 550 \
                    5.1.1 <bob@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))";
        let r = rec(line);
        assert_eq!(r.format, Format::Postfix);
        assert_eq!(r.timestamp, b"Jan  5 06:25:13");
        assert_eq!((r.host, r.program, r.transport), (&b"mx1"[..], &b"postfix/smtp"[..], &b"smtp"[..]));
        assert_eq!(r.queue_id, b"4F2B81C0D4");
        assert_eq!(
            (r.recipient, r.domain, r.orig_recipient),
            (&b"bob@example.com"[..], &b"example.com"[..], &b"bobby@example.org"[..])
        );
        assert_eq!((r.relay, r.delay), (&b"mx.example.com[192.0.2.10]:25"[..], &b"1.4"[..]));
        assert_eq!(r.dsn, Some(EnhancedCode { class: 5, subject: 1, detail: 1 }));
        assert_eq!(r.status, Status::Bounced);
        assert!(r.text.starts_with(b"host mx.example.com[192.0.2.10] said: 550"));
        assert!(r.text.ends_with(b"(in reply to RCPT TO command)"));
        assert_eq!(r.command, Some(Command::Rcpt));
        let c = r.classification.unwrap();
        assert_eq!((c.reason, c.code, c.command), (Reason::UserUnknown, 550, Some(Command::Rcpt)));
        let (s, e) = c.evidence.span.unwrap();
        assert!(r.text[s..e].eq_ignore_ascii_case(b"user unknown"));
    }

    #[test]
    fn statuses_and_agents() {
        let r = rec(
            "2024-03-01T08:00:00.123+01:00 mx1 postfix/smtp[9]: ABC123: to=<a@x.org>, relay=mx.x.org[203.0.113.1]:25, \
                     delay=0.31, delays=0.01/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 99XYZ)",
        );
        assert_eq!(
            (r.status, r.text, r.classification),
            (Status::Delivered, &b"250 2.0.0 Ok: queued as 99XYZ"[..], None)
        );
        assert_eq!(r.timestamp, b"2024-03-01T08:00:00.123+01:00");
        let r = rec("Jan  1 00:00:01 h postfix/local[2]: D1: to=<root@h.example>, orig_to=<postmaster>, relay=local, \
                     delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)");
        assert_eq!((r.transport, r.relay, r.orig_recipient), (&b"local"[..], &b"local"[..], &b"postmaster"[..]));
        let r = rec("Jan  1 00:00:01 h postfix/error[3]: D2: to=<x@gone.example>, relay=none, delay=345600, \
                     delays=345600/0/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to \
                     gone.example[198.51.100.7]:25: Connection refused)");
        assert_eq!((r.status, r.transport), (Status::Deferred, &b"error"[..]));
        assert_eq!(r.classification.unwrap().reason, Reason::NetworkError);
        let r = rec("Jan  1 00:00:01 h postfix/smtp[3]: D3: to=<x@y.example>, relay=none, delay=1, delays=1/0/0/0, \
                     dsn=4.7.1, status=SOFTBOUNCE (host y said: 550 5.7.1 no)");
        assert_eq!(r.status, Status::Deferred);
        let r = rec("Jan  1 00:00:01 h postfix/qmgr[3]: D4: to=<x@y.example>, relay=none, delay=432000, \
                     delays=432000/0/0/0, dsn=4.4.7, status=expired, returned to sender");
        assert_eq!((r.status, r.text), (Status::Expired, &b"returned to sender"[..]));
        let r = rec("Jan  1 00:00:01 h postfix-out/lmtp[3]: 4Ln4Vx0xqvz9vNr: to=<u@v.example>, relay=mail.v.example[private/dovecot-lmtp], \
                     delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <u@v.example> Saved)");
        assert_eq!(
            (r.program, r.transport, r.queue_id),
            (&b"postfix-out/lmtp"[..], &b"lmtp"[..], &b"4Ln4Vx0xqvz9vNr"[..])
        );
        // CRLF and LF endings are allowed.
        let r = rec(
            "Jan  1 00:00:01 h postfix/smtp[3]: D5: to=<x@y.example>, relay=y[192.0.2.1]:25, delay=1, delays=1/0/0/0, \
                     dsn=4.0.0, status=deferred (host y[192.0.2.1] refused to talk to me: 421 4.7.0 Try later)\r\n",
        );
        assert_eq!(r.command, Some(Command::Greeting));
        assert!(r.text.ends_with(b"Try later"));
    }

    #[test]
    fn message_level_lines() {
        assert_eq!(
            event(b"Jan  1 00:00:01 h postfix/qmgr[3]: C93CEB08A046: from=<ina@example.com>, status=expired, returned to sender"),
            Event::MessageExpired { queue_id: b"C93CEB08A046", timestamp: b"Jan  1 00:00:01" }
        );
        assert_eq!(
            event(b"Jan  1 00:00:01 h postfix/qmgr[3]: C93CEB08A046: removed"),
            Event::MessageDone { queue_id: b"C93CEB08A046", timestamp: b"Jan  1 00:00:01" }
        );
        assert_eq!(
            event(b"Jan  1 00:00:01 h postfix/cleanup[3]: C93CEB08A046: message-id=<x@y>"),
            Event::Arrival { timestamp: b"Jan  1 00:00:01" }
        );
        for other in [
            "Jan  1 00:00:01 h postfix/smtpd[3]: connect from unknown[192.0.2.1]",
            "Jan  1 00:00:01 h postfix/smtpd[3]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.1 no; from=<a@b> to=<c@d> proto=ESMTP helo=<x>",
            "Jan  1 00:00:01 h postfix/qmgr[3]: C93: from=<a@b>, size=1234, nrcpt=1 (queue active)",
            "Jan  1 00:00:01 h postfix/smtp[3]: C93: to=<a@b>, relay=none, delay=1, dsn=2.1.5, status=deliverable (address verified)",
            "Jan  1 00:00:01 h postfix/smtp[3]: C93: to=<a@b>, relay=none, delay=1",
            "Jan  1 00:00:01 h postfix/smtp[3]: C93: to=<a@b",
            "Jan  1 00:00:01 h postfix/smtp[3]: C93: to=<>, relay=none, delay=1, dsn=5.0.0, status=bounced (x)",
            "Jan  1 00:00:01 h sendmail[3]: x1: to=<a@b>, delay=00:00:01, mailer=esmtp, stat=Sent (ok)",
            "Jan  1 00:00:01 h postfix/pickup[3]: C93: uid=0 from=<root>",
        ] {
            assert_eq!(event(other.as_bytes()), Event::Other, "{other}");
            assert_eq!(parse_line(other.as_bytes()), None, "{other}");
        }
    }
}
