//! Exim main-log lines (after the timestamp, or after the syslog envelope).
//!
//! ```text
//! [[pid] ]MESSAGE-ID FLAG ADDRESS[ <ORIGINAL>] FIELDS[: ERROR]
//! ```
//!
//! The message id is `XXXXXX-XXXXXX-XX` (Exim 4.97 and later: `XXXXXX-XXXXXXXXXXX-XXXX`). Flags
//! (Exim specification, "Log files"): `<=` arrival, `=>` normal delivery, `->` an additional
//! address of the same delivery, `>>` cut-through delivery, `*>` delivery suppressed by `-N`, `**`
//! delivery failed (the address bounced), `==` delivery deferred. Fields are `KEY=value` tokens:
//! `R=` router, `T=` transport, `H=host [ip]:port`, `X=` TLS, `C="..."` the server's confirmation,
//! `QT=`/`DT=` times, quoted values such as `DN="..."`. Following Exim's `deliver.c`, a failure ends
//! with `: strerror: message`, and a deferral reads `... defer (ERRNO)[: strerror][ H=host [ip]][:
//! message]`. `Completed` ends a message.

use super::{command_at, domain_of, Event, Format, Record, Status};
use crate::reply::EnhancedCode;
use memchr::memmem;

/// An Exim message id at the start of `s`, followed by a space: (id, rest).
fn message_id(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let run =
        |from: usize| s.get(from..).map_or(0, |t| t.iter().take(12).take_while(|b| b.is_ascii_alphanumeric()).count());
    if run(0) != 6 || s.get(6) != Some(&b'-') {
        return None;
    }
    let mid = run(7);
    if !(mid == 6 || mid == 11) || s.get(7 + mid) != Some(&b'-') {
        return None;
    }
    let at = 8 + mid;
    let last = run(at);
    if !(last == 2 || last == 4) || s.get(at + last) != Some(&b' ') {
        return None;
    }
    Some((&s[..at + last], &s[at + last + 1..]))
}

pub(crate) fn parse<'a>(timestamp: &'a [u8], host: &'a [u8], program: &'a [u8], rest: &'a [u8]) -> Event<'a> {
    let mut s = rest;
    if s.first() == Some(&b'[') {
        // log_selector +pid: "[1234] ".
        match memmem::find(s, b"] ") {
            Some(p) if p > 1 && s[1..p].iter().all(u8::is_ascii_digit) => s = &s[p + 2..],
            _ => return Event::Other,
        }
    }
    let Some((id, body)) = message_id(s) else { return Event::Other };
    let status = match body.get(..3) {
        Some(b"=> " | b"-> " | b">> ") => Status::Delivered,
        Some(b"** ") => Status::Bounced,
        Some(b"== ") => Status::Deferred,
        Some(b"<= ") => return Event::Arrival { timestamp },
        _ => {
            if body.starts_with(b"Completed") && body.get(9).is_none_or(|&b| b == b' ') {
                return Event::MessageDone { queue_id: id, timestamp };
            }
            return Event::Other;
        }
    };
    let Some(mut r) = delivery(status, &body[3..]) else { return Event::Other };
    r.timestamp = timestamp;
    r.host = host;
    r.program = program;
    r.queue_id = id;
    Event::Delivery(r)
}

/// Whether a field key: 1 to 4 upper-case letters or digits, starting with a letter.
fn is_key(k: &[u8]) -> bool {
    (1..=4).contains(&k.len())
        && k[0].is_ascii_uppercase()
        && k.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Where a quoted value that starts at `s[0] == '"'` ends: the index of its closing quote.
fn closing_quote(s: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The end of a plain token at `s[i..]`: the next space, or the end.
fn token_end(s: &[u8], i: usize) -> usize {
    memchr::memchr(b' ', &s[i..]).map_or(s.len(), |p| i + p)
}

/// A host value `name [ip]:port` (or `[ip]`) starting at `i`; returns its end.
fn host_end(s: &[u8], i: usize) -> usize {
    let first = token_end(s, i);
    if s.get(i) != Some(&b'[') && s.get(first + 1) == Some(&b'[') && !s[i..first].ends_with(b":") {
        return token_end(s, first + 1);
    }
    first
}

/// If the token `s[from..end]` ends with ':' and a space (or the end) follows, the message
/// starts after it: returns (token without ':', message).
fn ends_with_separator(s: &[u8], from: usize, end: usize) -> Option<(&[u8], &[u8])> {
    if end > from && s[end - 1] == b':' {
        let msg = s.get(end + 1..).unwrap_or(b"");
        return Some((&s[from..end - 1], msg));
    }
    None
}

/// Everything after the flag.
fn delivery(status: Status, s: &[u8]) -> Option<Record<'_>> {
    let mut r = Record {
        format: Format::Exim,
        line: 0,
        timestamp: b"",
        host: b"",
        program: b"",
        queue_id: b"",
        recipient: b"",
        domain: b"",
        orig_recipient: b"",
        relay: b"",
        transport: b"",
        delay: b"",
        dsn: None,
        status,
        text: b"",
        command: None,
        classification: None,
        deferrals: 0,
        no_attempt: false,
        evicted: false,
        truncated: false,
    };
    let mut message: Option<&[u8]> = None;

    // The address: a pipe command may hold spaces; it ends where the original address or the
    // fields begin.
    let mut i;
    if s.first() == Some(&b'|') {
        let end = [&b" <"[..], b" (", b" R=", b" T=", b": "]
            .iter()
            .filter_map(|m| memmem::find(s, m))
            .min()
            .unwrap_or(s.len());
        r.recipient = &s[..end];
        i = end;
    } else {
        let end = token_end(s, 0);
        match ends_with_separator(s, 0, end).filter(|_| s.first() != Some(&b':')) {
            Some((addr, msg)) => {
                r.recipient = addr;
                message = Some(msg);
                i = s.len();
            }
            None => {
                r.recipient = &s[..end];
                i = end;
            }
        }
    }
    if r.recipient.is_empty() {
        return None;
    }
    // "(generated from x)" / "(alias)" after pipes and files, then "<original>".
    while message.is_none() && i < s.len() {
        let j = i + 1;
        match s.get(j) {
            Some(b'(') => {
                let close = memchr::memchr(b')', &s[j..])? + j;
                i = close + 1;
                if let Some((_, msg)) = ends_with_separator(s, j, token_end(s, close)) {
                    message = Some(msg);
                    i = s.len();
                }
            }
            Some(b'<') => {
                let close = memchr::memchr(b'>', &s[j..])? + j;
                r.orig_recipient = &s[j + 1..close];
                i = close + 1;
                if s.get(i) == Some(&b':') {
                    message = Some(s.get(i + 2..).unwrap_or(b""));
                    i = s.len();
                }
                break;
            }
            _ => break,
        }
    }

    // Fields, up to the message.
    let (mut router, mut transport, mut qt, mut dt, mut confirmation) = (&b""[..], &b""[..], &b""[..], &b""[..], None);
    while message.is_none() && i < s.len() {
        if s[i] == b' ' {
            i += 1;
            continue;
        }
        if s[i..].starts_with(b"defer (") {
            let close = memchr::memchr(b')', &s[i..])? + i;
            let errno = &s[i + 7..close];
            if errno == b"-52" || errno == b"-53" {
                r.no_attempt = true;
            }
            i = close + 1;
            if s[i..].starts_with(b": ") {
                message = Some(&s[i + 2..]);
            }
            continue;
        }
        let end = token_end(s, i);
        let tok = &s[i..end];
        match memchr::memchr(b'=', tok).filter(|&eq| is_key(&tok[..eq])) {
            Some(eq) => {
                let key = &tok[..eq];
                let v = i + eq + 1;
                if s.get(v) == Some(&b'"') {
                    let close = closing_quote(&s[v..])? + v;
                    if key == b"C" {
                        confirmation = Some(&s[v + 1..close]);
                    }
                    i = close + 1;
                    if s[i..].starts_with(b": ") {
                        message = Some(&s[i + 2..]);
                    }
                    continue;
                }
                let vend = if key == b"H" { host_end(s, v) } else { end };
                let (value, msg) = match ends_with_separator(s, v, vend) {
                    Some((value, msg)) => (value, Some(msg)),
                    None => (&s[v..vend], None),
                };
                match key {
                    b"R" => router = value,
                    b"T" => transport = value,
                    b"H" => r.relay = value,
                    b"QT" => qt = value,
                    b"DT" => dt = value,
                    _ => {}
                }
                message = msg;
                i = vend;
            }
            None => {
                if let Some((_, msg)) = ends_with_separator(s, i, end) {
                    message = Some(msg);
                }
                i = end;
            }
        }
    }

    r.transport = if transport.is_empty() { router } else { transport };
    r.delay = if qt.is_empty() { dt } else { qt };
    r.domain = domain_of(r.recipient).or_else(|| domain_of(r.orig_recipient)).unwrap_or(b"");
    match (status, message) {
        (Status::Delivered, _) => {
            r.text = confirmation.unwrap_or(b"");
            r.dsn = reply_enhanced(r.text);
        }
        (_, Some(msg)) => {
            let msg = msg.trim_ascii_end();
            // A deferral's "strerror H=host [ip]: message": the host is a field, the message the
            // text (the strerror alone when there is no message).
            r.text = match memmem::find(msg, b" H=") {
                Some(p) if r.relay.is_empty() && !msg[..p].windows(2).any(|w| w == b": ") => {
                    let hend = host_end(msg, p + 3);
                    match ends_with_separator(msg, p + 3, hend) {
                        Some((host, rest)) => {
                            r.relay = host;
                            rest
                        }
                        None => {
                            r.relay = &msg[p + 3..hend];
                            &msg[..p]
                        }
                    }
                }
                _ => msg,
            };
            if r.relay.is_empty() {
                r.relay = old_style_host(r.text);
            }
            r.command = command_of(r.text);
            if status == Status::Bounced && expired(r.text) {
                r.status = Status::Expired;
            }
            if status == Status::Deferred && contains_ci(r.text, b"retry time not") {
                r.no_attempt = true;
            }
        }
        (_, None) => {}
    }
    Some(r)
}

/// Exim's words for a message that stayed in the queue too long.
fn expired(text: &[u8]) -> bool {
    contains_ci(text, b"retry timeout exceeded") || contains_ci(text, b"have been failing for a long time")
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// The enhanced status code of a reply that starts with its code (`250 2.0.0 OK`).
fn reply_enhanced(text: &[u8]) -> Option<EnhancedCode> {
    let after = text.get(4..).filter(|_| text[..3].iter().all(u8::is_ascii_digit) && text[3] == b' ')?;
    let (e, n) = EnhancedCode::parse_prefix(after)?;
    (after.get(n).is_none_or(|&b| b == b' ') && e.class == text[0] - b'0').then_some(e)
}

/// Older Exim versions name the host inside the message: `...: host mx.example.com [192.0.2.1]:
/// 550 ...`.
fn old_style_host(text: &[u8]) -> &[u8] {
    let Some(p) = memmem::find(text, b": host ") else { return b"" };
    let start = p + 7;
    match memmem::find(&text[start..], b"]:") {
        Some(q) if !text[start..start + q].contains(&b':') || text[start..start + q].contains(&b'[') => {
            &text[start..start + q + 1]
        }
        _ => b"",
    }
}

/// The command an error names: `SMTP error from remote mail server after [pipelined] RCPT
/// TO:<x>:`, `SMTP timeout after end of data`, `... closed connection in response to MAIL FROM`.
fn command_of(text: &[u8]) -> Option<crate::command::Command> {
    for marker in
        [&b"remote mail server after "[..], b"remote mailer after ", b"SMTP timeout after ", b"in response to "]
    {
        if let Some(p) = memmem::find(text, marker) {
            let rest = &text[p + marker.len()..];
            let rest = rest.strip_prefix(b"pipelined ").unwrap_or(rest);
            return command_at(rest);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::{event, parse_line};
    use super::*;
    use crate::classify::Reason;
    use crate::command::Command;

    fn rec(line: &str) -> Record<'_> {
        parse_line(line.as_bytes()).unwrap_or_else(|| panic!("not a record: {line}"))
    }

    #[test]
    fn failed_after_rcpt() {
        let r = rec("2024-01-01 10:00:00 1rABcD-000123-Xy ** bob@example.com R=dnslookup T=remote_smtp \
                     H=mx.example.com [192.0.2.1] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote \
                     mail server after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com>: Recipient address \
                     rejected: User unknown");
        assert_eq!((r.format, r.status), (Format::Exim, Status::Bounced));
        assert_eq!((r.timestamp, r.queue_id), (&b"2024-01-01 10:00:00"[..], &b"1rABcD-000123-Xy"[..]));
        assert_eq!((r.recipient, r.domain), (&b"bob@example.com"[..], &b"example.com"[..]));
        assert_eq!((r.transport, r.relay), (&b"remote_smtp"[..], &b"mx.example.com [192.0.2.1]"[..]));
        assert!(r.text.starts_with(b"SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1"));
        assert_eq!(r.command, Some(Command::Rcpt));
        let c = r.classification.unwrap();
        assert_eq!(c.reason, Reason::UserUnknown);
        assert_eq!(r.dsn, Some(EnhancedCode { class: 5, subject: 1, detail: 1 }));
    }

    #[test]
    fn deferrals() {
        let r = rec("2024-01-01 10:00:00 1rABcD-000123-Xy == carol@example.org R=dnslookup T=remote_smtp defer (-44) \
                     H=mx.example.org [198.51.100.2]: SMTP error from remote mail server after RCPT TO:<carol@example.org>: \
                     451 4.7.1 Greylisted, please try again later");
        assert_eq!((r.status, r.no_attempt), (Status::Deferred, false));
        assert_eq!(r.relay, b"mx.example.org [198.51.100.2]");
        assert!(r.text.starts_with(b"SMTP error"));
        assert_eq!(r.classification.unwrap().reason, Reason::Greylisted);
        let r = rec("2024-01-01 10:00:00 1rABcD-000123-Xy == dave@example.net R=dnslookup T=remote_smtp defer (-53): \
                     retry time not reached for any host for 'example.net'");
        assert!(r.no_attempt);
        assert_eq!(r.text, b"retry time not reached for any host for 'example.net'");
        let r = rec("2014-08-05 07:44:14 1XEPof-0001p2-Oi == www-data@108 R=local_user T=mail_spool defer (-52): Retry time not yet reached");
        assert!(r.no_attempt);
        let r = rec("2024-01-01 10:00:00 1rABcD-000123-Xy == e@example.net R=dnslookup T=remote_smtp defer (111): Connection refused");
        assert_eq!((r.text, r.no_attempt), (&b"Connection refused"[..], false));
        assert_eq!(r.classification.unwrap().reason, Reason::NetworkError);
        // strerror, then the host, then the message.
        let r = rec("2024-01-01 10:00:00 1rABcD-000123-Xy == f@example.net R=dnslookup T=remote_smtp defer (110): \
                     Connection timed out H=mx.example.net [192.0.2.9]: SMTP timeout after end of data (123 bytes written)");
        assert_eq!(r.relay, b"mx.example.net [192.0.2.9]");
        assert_eq!(r.text, b"SMTP timeout after end of data (123 bytes written)");
        assert_eq!(r.command, Some(Command::DataEnd));
        // Old style: the host inside the message.
        let r = rec(
            "1999-03-02 09:44:33 10HmaX-0005vi-00 == userx@x.y R=r1 T=t1 defer (-45): SMTP error from remote mail \
                     server after MAIL FROM:<CALLER@myhost.test.ex>: host 127.0.0.1 [127.0.0.1]: 450 DELAY",
        );
        assert_eq!((r.relay, r.command), (&b"127.0.0.1 [127.0.0.1]"[..], Some(Command::Mail)));
        let r = rec("2024-01-01 10:00:00 1rABcD-000123-Xy == x@y.example routing defer (-51): retry time not reached");
        assert!(r.no_attempt);
        assert_eq!(r.transport, b"");
    }

    #[test]
    fn deliveries_and_addresses() {
        let r =
            rec("2024-01-01 10:00:02.345 +0100 [4242] 1rABcD-000123-Xy => bob@example.com R=dnslookup T=remote_smtp \
                     H=gmail-smtp-in.l.google.com [142.250.1.26]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes \
                     DN=\"CN=mx.google.com\" C=\"250 2.0.0 OK  1704103202 a1-2002 - gsmtp\" QT=3s DT=1s");
        assert_eq!((r.status, r.relay), (Status::Delivered, &b"gmail-smtp-in.l.google.com [142.250.1.26]:25"[..]));
        assert_eq!((r.text, r.delay), (&b"250 2.0.0 OK  1704103202 a1-2002 - gsmtp"[..], &b"3s"[..]));
        assert_eq!(r.timestamp, b"2024-01-01 10:00:02.345 +0100");
        assert_eq!(r.dsn, Some(EnhancedCode { class: 2, subject: 0, detail: 0 }));
        assert_eq!(r.classification, None);
        let r = rec("2009-07-25 09:00:11 1MUhnF-0000JZ-OX => daniel <root@core2duo.example> R=local_user T=mail_spool");
        assert_eq!(
            (r.recipient, r.orig_recipient, r.domain),
            (&b"daniel"[..], &b"root@core2duo.example"[..], &b"core2duo.example"[..])
        );
        let r = rec("2009-07-25 09:00:11 1MUhnF-0000JZ-OX -> jo@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1] C=\"250 ok\"");
        assert_eq!((r.status, r.recipient), (Status::Delivered, &b"jo@example.com"[..]));
        let r = rec("1999-03-02 09:44:33 10HmaY-000000005vi-0000 => :blackhole: <CALLER@myhost.test.ex> R=r0");
        assert_eq!(
            (r.recipient, r.orig_recipient, r.transport),
            (&b":blackhole:"[..], &b"CALLER@myhost.test.ex"[..], &b"r0"[..])
        );
        let r = rec("2013-02-13 10:09:16 1U5dxU-0001YS-R5 ** |/home/x/mailReader.php (alerts@example.com) <alerts@example.com> \
                     R=virtual_aliases_nostar T=virtual_address_pipe: Child process of virtual_address_pipe transport returned 127");
        assert_eq!((r.recipient, r.orig_recipient), (&b"|/home/x/mailReader.php"[..], &b"alerts@example.com"[..]));
        assert_eq!(r.text, b"Child process of virtual_address_pipe transport returned 127");
        let r = rec("2014-08-05 07:44:15 1XEZPr-0000T9-Hk ** postmaster@108: Unrouteable address");
        assert_eq!((r.recipient, r.text, r.domain), (&b"postmaster@108"[..], &b"Unrouteable address"[..], &b"108"[..]));
        let r = rec("2011-05-31 17:08:25 1QRQYT-00033F-G2 ** dan@mrmoss.example <em@fsg.example> F=<apache@c.example> R=lookuphost \
                     T=remote_smtp: SMTP error from remote mail server after RCPT TO:<dan@mrmoss.example>: host mrmoss.example \
                     [192.0.2.3]: 550-Verification failed\\n550 Sender verify failed");
        assert_eq!((r.orig_recipient, r.relay), (&b"em@fsg.example"[..], &b"mrmoss.example [192.0.2.3]"[..]));
        assert_eq!(r.command, Some(Command::Rcpt));
    }

    #[test]
    fn expiry_and_message_lines() {
        let r = rec("1999-03-02 09:44:33 10HmaX-0005vi-00 ** userx@x.y: retry timeout exceeded");
        assert_eq!(r.status, Status::Expired);
        assert_eq!(r.classification.unwrap().reason, Reason::Expired);
        assert_eq!(
            event(b"2009-07-25 09:00:11 1MUhnF-0000JZ-OX Completed"),
            Event::MessageDone { queue_id: b"1MUhnF-0000JZ-OX", timestamp: b"2009-07-25 09:00:11" }
        );
        assert_eq!(
            event(b"2009-07-25 09:00:11 1MUhnF-0000JZ-OX Completed QT=1s"),
            Event::MessageDone { queue_id: b"1MUhnF-0000JZ-OX", timestamp: b"2009-07-25 09:00:11" }
        );
        assert_eq!(
            event(b"2009-07-25 09:00:11 1MUhnF-0000JZ-OX <= root@core2duo U=root P=local S=620"),
            Event::Arrival { timestamp: b"2009-07-25 09:00:11" }
        );
        // Through syslog, with and without Exim's own timestamp.
        let r =
            rec("Mar  8 10:29:44 mx3 exim[11721]: 2011-03-08 10:29:44 1Pwzn4-000333-1Y ** a@b.example R=r T=t: 550 no");
        assert_eq!((r.timestamp, r.host, r.program), (&b"2011-03-08 10:29:44"[..], &b"mx3"[..], &b"exim"[..]));
        let r = rec("Mar  8 10:29:44 mx3 exim4[11721]: 1Pwzn4-000333-1Y == a@b.example R=r T=t defer (-44): 451 later");
        assert_eq!((r.timestamp, r.status), (&b"Mar  8 10:29:44"[..], Status::Deferred));
        for other in [
            "2024-01-01 10:00:00 Start queue run: pid=1",
            "2024-01-01 10:00:00 1rABcD-000123-Xy *> bob@example.com R=dnslookup T=remote_smtp",
            "2024-01-01 10:00:00 1rABcD-000123-Xy Frozen",
            "2024-01-01 10:00:00 1rABcD-000123-X ** bob@example.com: x",
            "2024-01-01 10:00:00 1rABcD-000123-Xy ** ",
            "2024-01-01 10:00:00 [12x] 1rABcD-000123-Xy ** a@b: x",
            "2024-01-01 10:00:00 SMTP connection from [192.0.2.1]:1234 (TCP/IP connection count = 1)",
            "2024-01-01 10:00:00 1rABcD-000123-Xy == a@b R=r T=t defer (-44",
        ] {
            assert_eq!(parse_line(other.as_bytes()), None, "{other}");
        }
    }
}
