//! The session against a scripted server: exact bytes out, exact events in, for the protocol's
//! edge cases (multi-line greetings, replies split at every byte, pipelined replies in one packet,
//! 421 mid-transaction, dropped connections, garbage, STARTTLS, AUTH, BDAT, host misuse).

use smtpreply::classify::Reason;
use smtpreply::command::Command;
use smtpreply::session::*;

fn session(config: SessionConfig) -> Session {
    Session::new(config).unwrap()
}

fn cfg() -> SessionConfig {
    let mut c = SessionConfig::new("client.example.org");
    c.tls = TlsPolicy::Never;
    c
}

/// Everything the session wants to send, marked as sent.
fn out(s: &mut Session) -> String {
    let o = String::from_utf8_lossy(s.pending_output()).into_owned();
    let n = s.pending_output().len();
    s.advance_output(n);
    o
}

fn events(s: &mut Session) -> Vec<Event> {
    std::iter::from_fn(|| s.next_event()).collect()
}

/// Short names of events, for compact assertions.
fn names(evs: &[Event]) -> Vec<String> {
    evs.iter()
        .map(|e| match e {
            Event::Reply { command, reply, unexpected, .. } => {
                format!("reply {} {}{}", command.name(), reply.code(), if *unexpected { " unexpected" } else { "" })
            }
            Event::Greeting { .. } => "greeting".into(),
            Event::Ready => "ready".into(),
            Event::StartTls => "starttls".into(),
            Event::AuthChallenge { challenge } => format!("challenge {}", String::from_utf8_lossy(challenge)),
            Event::AuthSucceeded { mechanism } => format!("auth ok {}", mechanism.name()),
            Event::AuthFailed { reply, .. } => format!("auth failed {}", reply.code()),
            Event::RecipientAccepted { index, .. } => format!("rcpt {index} accepted"),
            Event::RecipientRejected { index, reply, .. } => format!("rcpt {index} rejected {}", reply.code()),
            Event::ReadyForBody => "body".into(),
            Event::MessageAccepted { queue_id, .. } => format!("accepted {}", queue_id.clone().unwrap_or_default()),
            Event::MessageRejected { reply, .. } => {
                format!("rejected {}", reply.as_ref().map_or("-".to_string(), |r| r.code().to_string()))
            }
            Event::ProtocolError { .. } => "protocol error".into(),
            Event::Closed { reason } => format!("closed {}", reason.name()),
        })
        .collect()
}

/// Greets and answers EHLO with the given capability lines; returns the session ready.
fn ready(config: SessionConfig, caps: &[&str]) -> Session {
    let mut s = session(config);
    s.receive(b"220 mx.example.com ESMTP\r\n");
    assert_eq!(out(&mut s), "EHLO client.example.org\r\n");
    let mut ehlo = String::from(if caps.is_empty() { "250 mx.example.com\r\n" } else { "250-mx.example.com\r\n" });
    for (i, c) in caps.iter().enumerate() {
        ehlo.push_str(&format!("250{}{c}\r\n", if i + 1 == caps.len() { " " } else { "-" }));
    }
    s.receive(ehlo.as_bytes());
    let evs = events(&mut s);
    assert_eq!(names(&evs).last().unwrap(), "ready", "{:?}", names(&evs));
    s
}

#[test]
fn one_message_without_pipelining() {
    let mut s = ready(cfg(), &["8BITMIME", "SIZE 1000000"]);
    s.send_mail("alice@example.org", &MailOptions { size: Some(1234), ..Default::default() }).unwrap();
    assert_eq!(s.add_recipient("bob@example.com", &RcptOptions::default()).unwrap(), 0);
    assert_eq!(s.add_recipient("carol@example.com", &RcptOptions::default()).unwrap(), 1);
    s.start_data().unwrap();
    // One command at a time: only MAIL so far.
    assert_eq!(out(&mut s), "MAIL FROM:<alice@example.org> SIZE=1234\r\n");
    assert_eq!(s.timeout(), Some(std::time::Duration::from_secs(300)));
    s.receive(b"250 2.1.0 Ok\r\n");
    assert_eq!(out(&mut s), "RCPT TO:<bob@example.com>\r\n");
    s.receive(b"250 2.1.5 Ok\r\n");
    assert_eq!(out(&mut s), "RCPT TO:<carol@example.com>\r\n");
    s.receive(b"550 5.1.1 <carol@example.com>: Recipient address rejected: User unknown\r\n");
    assert_eq!(out(&mut s), "DATA\r\n");
    assert_eq!(s.timeout(), Some(std::time::Duration::from_secs(120)));
    s.receive(b"354 End data with <CR><LF>.<CR><LF>\r\n");
    let evs = events(&mut s);
    assert_eq!(
        names(&evs),
        [
            "reply MAIL 250",
            "reply RCPT 250",
            "rcpt 0 accepted",
            "reply RCPT 550",
            "rcpt 1 rejected 550",
            "reply DATA 354",
            "body"
        ]
    );
    if let Event::RecipientRejected { classification, address, .. } = &evs[4] {
        assert_eq!(classification.reason, Reason::UserUnknown);
        assert_eq!(address, "carol@example.com");
    } else {
        panic!("expected a rejection");
    }
    s.send_body(b"Subject: hi\n\n.leading dot\nbare LF\rbare CR\r\n.").unwrap();
    s.end_body().unwrap();
    assert_eq!(out(&mut s), "Subject: hi\r\n\r\n..leading dot\r\nbare LF\r\nbare CR\r\n..\r\n.\r\n");
    assert_eq!(s.body_stats().unwrap().dots_stuffed, 2);
    assert_eq!(s.timeout(), Some(std::time::Duration::from_secs(600)));
    s.receive(b"250 2.0.0 Ok: queued as 4XyZ1234\r\n");
    let evs = events(&mut s);
    assert_eq!(names(&evs), ["reply DATA-END 250", "accepted 4XyZ1234"]);
    if let Event::MessageAccepted { recipients, .. } = &evs[1] {
        let st: Vec<RecipientStatus> = recipients.iter().map(|r| r.status).collect();
        assert_eq!(st, [RecipientStatus::Accepted, RecipientStatus::Rejected]);
    }
    assert!(s.is_ready());
    assert_eq!(s.timeout(), None);
    s.quit().unwrap();
    assert_eq!(out(&mut s), "QUIT\r\n");
    s.receive(b"221 2.0.0 Bye\r\n");
    assert_eq!(names(&events(&mut s)), ["reply QUIT 221", "closed quit"]);
    assert!(s.is_closed());
}

fn pipelined_session() -> Session {
    let mut s = ready(cfg(), &["PIPELINING", "SIZE 1000000"]);
    s.send_mail("alice@example.org", &MailOptions::default()).unwrap();
    for r in ["bob@example.com", "carol@example.com", "dave@example.com"] {
        s.add_recipient(r, &RcptOptions::default()).unwrap();
    }
    s.start_data().unwrap();
    // MAIL, every RCPT and DATA in one write (RFC 2920).
    assert_eq!(
        out(&mut s),
        "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\nRCPT TO:<dave@example.com>\r\nDATA\r\n"
    );
    s
}

const PIPELINED_REPLIES: &[u8] =
    b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n450 4.2.0 Greylisted, try again in 5 minutes\r\n354 go ahead\r\n";

fn pipelined_expectation() -> Vec<&'static str> {
    vec![
        "reply MAIL 250",
        "reply RCPT 250",
        "rcpt 0 accepted",
        "reply RCPT 550",
        "rcpt 1 rejected 550",
        "reply RCPT 450",
        "rcpt 2 rejected 450",
        "reply DATA 354",
        "body",
    ]
}

#[test]
fn pipelined_replies_in_one_packet() {
    let mut s = pipelined_session();
    s.receive(PIPELINED_REPLIES);
    let evs = events(&mut s);
    assert_eq!(names(&evs), pipelined_expectation());
    if let Event::RecipientRejected { classification, .. } = &evs[6] {
        assert_eq!(classification.reason, Reason::Greylisted);
        assert_eq!(classification.retry_after, Some(300));
    }
}

#[test]
fn replies_split_at_every_byte() {
    let mut s = pipelined_session();
    for b in PIPELINED_REPLIES {
        s.receive(std::slice::from_ref(b));
    }
    assert_eq!(names(&events(&mut s)), pipelined_expectation());
    for cut in 0..PIPELINED_REPLIES.len() {
        let mut s = pipelined_session();
        s.receive(&PIPELINED_REPLIES[..cut]);
        s.receive(&PIPELINED_REPLIES[cut..]);
        assert_eq!(names(&events(&mut s)), pipelined_expectation(), "cut at {cut}");
    }
}

#[test]
fn deferred_recipients_are_reported_as_deferred() {
    let mut s = pipelined_session();
    s.receive(PIPELINED_REPLIES);
    events(&mut s);
    s.send_body(b"hello\r\n").unwrap();
    s.end_body().unwrap();
    s.receive(b"250 2.0.0 Ok: queued as ABC\r\n");
    let evs = events(&mut s);
    let Event::MessageAccepted { recipients, .. } = &evs[1] else { panic!("{:?}", names(&evs)) };
    let st: Vec<RecipientStatus> = recipients.iter().map(|r| r.status).collect();
    assert_eq!(st, [RecipientStatus::Accepted, RecipientStatus::Rejected, RecipientStatus::Deferred]);
}

#[test]
fn multiline_greeting_and_helo_fallback() {
    let mut s = session(cfg());
    s.receive(b"220-mx.example.com ESMTP\r\n220-No UCE\r\n220 ready\r\n");
    assert_eq!(names(&events(&mut s)), ["reply GREETING 220", "greeting"]);
    assert_eq!(out(&mut s), "EHLO client.example.org\r\n");
    s.receive(b"502 5.5.1 Command not implemented\r\n");
    assert_eq!(out(&mut s), "HELO client.example.org\r\n");
    s.receive(b"250 mx.example.com\r\n");
    assert_eq!(names(&events(&mut s)), ["reply EHLO 502", "reply HELO 250", "ready"]);
    assert!(s.capabilities().unwrap().is_empty());
}

#[test]
fn refused_greeting_quits() {
    let mut s = session(cfg());
    s.receive(b"554 5.7.1 No SMTP service here for you\r\n");
    assert_eq!(out(&mut s), "QUIT\r\n");
    s.receive(b"221 bye\r\n");
    let evs = events(&mut s);
    assert_eq!(names(&evs), ["reply GREETING 554", "reply QUIT 221", "closed greeting_refused"]);
    if let Event::Reply { classification, .. } = &evs[0] {
        assert_eq!(classification.reason, Reason::PolicyRejected);
    }
}

#[test]
fn service_closing_mid_transaction() {
    let mut s = pipelined_session();
    s.receive(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n421 4.3.2 Service shutting down\r\n");
    let evs = events(&mut s);
    assert_eq!(
        names(&evs),
        [
            "reply MAIL 250",
            "reply RCPT 250",
            "rcpt 0 accepted",
            "reply RCPT 421",
            "rejected 421",
            "closed service_closing"
        ]
    );
    let Event::MessageRejected { recipients, classification, .. } = &evs[4] else { panic!() };
    assert!(classification.retry);
    assert!(recipients.iter().all(|r| r.status == RecipientStatus::Deferred));
    assert!(s.is_closed());
    assert_eq!(
        s.send_mail("a@b.example", &MailOptions::default()).unwrap_err().to_string(),
        "send_mail is not possible now: the session is closed"
    );
}

#[test]
fn unsolicited_421_while_idle() {
    let mut s = ready(cfg(), &[]);
    s.receive(b"421 4.4.2 mx.example.com Error: timeout exceeded\r\n");
    assert_eq!(names(&events(&mut s)), ["reply UNKNOWN 421", "closed service_closing"]);
}

#[test]
fn connection_drop_mid_transaction() {
    let mut s = pipelined_session();
    s.receive(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
    s.receive_eof();
    let evs = events(&mut s);
    assert_eq!(names(&evs)[3..], ["rejected -", "closed connection_lost"]);
    let Event::MessageRejected { classification, recipients, .. } = &evs[3] else { panic!() };
    assert_eq!(classification.reason, Reason::NetworkError);
    assert!(classification.retry);
    assert_eq!(recipients[0].status, RecipientStatus::Deferred);
}

#[test]
fn garbage_replies_end_the_session() {
    for garbage in [&b"HTTP/1.1 400 Bad Request\r\n"[..], b"\x16\x03\x01\x00", b"250 OK\r\n250 extra\r\n"] {
        let mut s = ready(cfg(), &[]);
        s.noop().unwrap();
        out(&mut s);
        s.receive(garbage);
        let n = names(&events(&mut s));
        assert!(n.contains(&"protocol error".to_string()), "{n:?}");
        assert_eq!(n.last().unwrap(), "closed protocol_error");
    }
}

#[test]
fn nothing_is_sent_after_closed() {
    let mut s = session(cfg());
    s.receive(b"220 mx ESMTP\r\n");
    assert!(!s.pending_output().is_empty(), "EHLO waits to be sent");
    s.receive(b"\xd550 garbage\r\n");
    assert!(s.is_closed());
    assert!(s.pending_output().is_empty());
}

#[test]
fn endless_reply_ends_the_session_with_bounded_memory() {
    let mut s = ready(cfg(), &[]);
    s.noop().unwrap();
    for _ in 0..20_000 {
        s.receive(b"250-x\r\n");
        if s.is_closed() {
            break;
        }
    }
    assert!(s.is_closed());
    assert_eq!(names(&events(&mut s)).last().unwrap(), "closed protocol_error");
}

#[test]
fn starttls_then_ehlo_again_with_capabilities_forgotten() {
    let mut c = cfg();
    c.tls = TlsPolicy::Required;
    let mut s = session(c);
    s.receive(b"220 mx ESMTP\r\n");
    out(&mut s);
    s.receive(b"250-mx\r\n250-STARTTLS\r\n250 SIZE 10\r\n");
    assert_eq!(out(&mut s), "STARTTLS\r\n");
    s.receive(b"220 2.0.0 Ready to start TLS\r\n");
    assert!(names(&events(&mut s)).ends_with(&["reply STARTTLS 220".to_string(), "starttls".to_string()]));
    assert_eq!(s.timeout(), None);
    assert!(s.send_mail("a@b.example", &MailOptions::default()).is_err());
    s.tls_established().unwrap();
    assert!(s.is_tls());
    assert!(s.capabilities().is_none(), "old capabilities are forgotten");
    assert_eq!(out(&mut s), "EHLO client.example.org\r\n");
    s.receive(b"250-mx\r\n250 AUTH PLAIN\r\n");
    assert_eq!(names(&events(&mut s)), ["reply EHLO 250", "ready"]);
    assert!(s.capabilities().unwrap().has("AUTH"));
    assert!(!s.capabilities().unwrap().has("STARTTLS"));
}

#[test]
fn clear_text_after_starttls_220_is_an_injection() {
    let mut c = cfg();
    c.tls = TlsPolicy::Opportunistic;
    let mut s = session(c);
    s.receive(b"220 mx ESMTP\r\n");
    s.receive(b"250-mx\r\n250 STARTTLS\r\n");
    out(&mut s);
    s.receive(b"220 Ready to start TLS\r\n250 injected\r\n");
    let n = names(&events(&mut s));
    assert!(n.contains(&"protocol error".to_string()), "{n:?}");
    assert!(!n.contains(&"starttls".to_string()), "no handshake is asked for: {n:?}");
    assert!(s.is_closed());
    // Injected bytes arriving after the 220 but before the handshake are refused too.
    let mut c = cfg();
    c.tls = TlsPolicy::Opportunistic;
    let mut s = session(c);
    s.receive(b"220 mx ESMTP\r\n");
    s.receive(b"250-mx\r\n250 STARTTLS\r\n");
    s.receive(b"220 Ready to start TLS\r\n");
    s.receive(b"250 injected\r\n");
    let n = names(&events(&mut s));
    assert_eq!(n[n.len() - 2..], ["protocol error", "closed protocol_error"]);
    assert!(s.tls_established().is_err(), "the host learns the session closed");
}

#[test]
fn required_tls_not_offered_fails_clearly() {
    let mut c = cfg();
    c.tls = TlsPolicy::Required;
    let mut s = session(c);
    s.receive(b"220 mx ESMTP\r\n");
    s.receive(b"250-mx\r\n250 SIZE 10\r\n");
    assert_eq!(out(&mut s), "EHLO client.example.org\r\nQUIT\r\n");
    s.receive(b"221 bye\r\n");
    assert_eq!(names(&events(&mut s)).last().unwrap(), "closed tls_unavailable");
}

#[test]
fn opportunistic_tls_refused_goes_on_in_clear() {
    let mut c = cfg();
    c.tls = TlsPolicy::Opportunistic;
    let mut s = session(c);
    s.receive(b"220 mx ESMTP\r\n");
    s.receive(b"250-mx\r\n250 STARTTLS\r\n");
    s.receive(b"454 4.7.0 TLS not available due to local problem\r\n");
    assert_eq!(names(&events(&mut s)).last().unwrap(), "ready");
    assert!(!s.is_tls());
}

#[test]
fn tls_failure_closes() {
    let mut c = cfg();
    c.tls = TlsPolicy::Opportunistic;
    let mut s = session(c);
    s.receive(b"220 mx ESMTP\r\n");
    s.receive(b"250-mx\r\n250 STARTTLS\r\n");
    s.receive(b"220 go\r\n");
    s.tls_failed().unwrap();
    assert_eq!(names(&events(&mut s)).last().unwrap(), "closed tls_failed");
}

fn auth_session(mechs: &str) -> Session {
    let mut c = cfg();
    c.auth_requires_tls = false;
    ready(c, &[&format!("AUTH {mechs}")])
}

fn creds(m: Option<Mechanism>) -> Credentials {
    Credentials { user: "tim".into(), secret: "tanstaaftanstaaf".into(), mechanism: m }
}

#[test]
fn auth_plain_login_xoauth2() {
    let mut s = auth_session("LOGIN PLAIN");
    s.authenticate(creds(None)).unwrap();
    assert_eq!(out(&mut s), "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
    s.receive(b"235 2.7.0 Authentication successful\r\n");
    assert_eq!(names(&events(&mut s)), ["reply AUTH 235", "auth ok PLAIN"]);
    assert_eq!(s.authenticated(), Some(Mechanism::Plain));
    assert!(s.authenticate(creds(None)).is_err(), "only once");

    let mut s = auth_session("LOGIN");
    s.authenticate(creds(None)).unwrap();
    assert_eq!(out(&mut s), "AUTH LOGIN\r\n");
    s.receive(b"334 VXNlcm5hbWU6\r\n");
    assert_eq!(out(&mut s), "dGlt\r\n");
    s.receive(b"334 UGFzc3dvcmQ6\r\n");
    assert_eq!(out(&mut s), "dGFuc3RhYWZ0YW5zdGFhZg==\r\n");
    s.receive(b"235 2.7.0 ok\r\n");
    assert_eq!(
        names(&events(&mut s)),
        [
            "reply AUTH 334",
            "challenge Username:",
            "reply AUTH 334",
            "challenge Password:",
            "reply AUTH 235",
            "auth ok LOGIN"
        ]
    );

    let mut s = auth_session("XOAUTH2 PLAIN");
    s.authenticate(creds(Some(Mechanism::XOAuth2))).unwrap();
    assert!(out(&mut s).starts_with("AUTH XOAUTH2 dXNlcj10aW0BYXV0aD1CZWFyZXIg"));
    s.receive(b"334 eyJzdGF0dXMiOiI0MDEifQ==\r\n");
    assert_eq!(out(&mut s), "\r\n");
    s.receive(b"535 5.7.8 Username and Password not accepted\r\n");
    let evs = events(&mut s);
    assert_eq!(names(&evs), ["reply AUTH 334", "challenge {\"status\":\"401\"}", "reply AUTH 535", "auth failed 535"]);
    let Event::AuthFailed { classification, .. } = &evs[3] else { panic!() };
    assert_eq!(classification.reason, Reason::AuthRequired);
    assert!(s.is_ready());
}

#[test]
fn auth_misuse() {
    let mut s = auth_session("PLAIN");
    assert_eq!(s.authenticate(creds(Some(Mechanism::Login))).unwrap_err(), UsageError::NotOffered("LOGIN"));
    let bad = Credentials { user: "a\r\nMAIL FROM:<x@y>".into(), secret: "p".into(), mechanism: None };
    assert!(matches!(s.authenticate(bad).unwrap_err(), UsageError::BadParameter(_)));
    let mut strict = ready(cfg(), &["AUTH PLAIN"]);
    assert_eq!(strict.authenticate(creds(None)).unwrap_err(), UsageError::NotEncrypted);
    let mut none = ready(cfg(), &[]);
    assert_eq!(none.authenticate(creds(None)).unwrap_err(), UsageError::NotOffered("AUTH"));
    assert!(out(&mut s).is_empty() && out(&mut strict).is_empty(), "misuse sends nothing");
}

#[test]
fn all_or_nothing_resets() {
    let mut c = cfg();
    c.all_or_nothing = true;
    let mut s = ready(c, &["PIPELINING"]);
    s.send_mail("a@example.org", &MailOptions::default()).unwrap();
    s.add_recipient("b@example.com", &RcptOptions::default()).unwrap();
    s.add_recipient("c@example.com", &RcptOptions::default()).unwrap();
    s.start_data().unwrap();
    // DATA is held back: after a 354 there is no way to take the message back.
    assert_eq!(out(&mut s), "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\n");
    s.receive(b"250 ok\r\n250 ok\r\n550 no\r\n");
    assert_eq!(out(&mut s), "RSET\r\n");
    let n = names(&events(&mut s));
    assert_eq!(n.last().unwrap(), "rejected -");
    s.receive(b"250 flushed\r\n");
    assert!(s.is_ready());
}

#[test]
fn no_recipient_accepted() {
    // Without pipelining: no DATA, RSET instead.
    let mut s = ready(cfg(), &[]);
    s.send_mail("a@example.org", &MailOptions::default()).unwrap();
    s.add_recipient("b@example.com", &RcptOptions::default()).unwrap();
    s.start_data().unwrap();
    s.receive(b"250 ok\r\n");
    s.receive(b"550 5.1.1 no such user\r\n");
    assert_eq!(out(&mut s), "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRSET\r\n");
    let evs = events(&mut s);
    let Event::MessageRejected { classification, .. } = evs.last().unwrap() else { panic!("{:?}", names(&evs)) };
    assert_eq!(classification.reason, Reason::UserUnknown);
    // With pipelining, DATA was sent; a 354 gets a lone "." (RFC 2920 §3.1).
    let mut s = pipelined_session();
    s.receive(b"250 ok\r\n550 no\r\n550 no\r\n550 no\r\n354 go\r\n");
    assert_eq!(out(&mut s), ".\r\n");
    s.receive(b"554 5.5.1 no valid recipients\r\n");
    assert_eq!(out(&mut s), "RSET\r\n");
    s.receive(b"250 ok\r\n");
    assert!(s.is_ready());
}

#[test]
fn mail_refused_with_pipelined_consequences() {
    let mut s = pipelined_session();
    s.receive(b"550 5.7.1 Sender address rejected: Access denied\r\n503 5.5.1 need MAIL\r\n503 need MAIL\r\n503 need MAIL\r\n503 5.5.1 need RCPT\r\n");
    let evs = events(&mut s);
    let n = names(&evs);
    assert_eq!(n.iter().filter(|x| x.starts_with("rejected")).count(), 1, "{n:?}");
    assert!(!n.iter().any(|x| x.starts_with("rcpt")), "consequences are not recipient outcomes: {n:?}");
    assert_eq!(out(&mut s), "", "no RSET after a refused MAIL");
    assert!(s.is_ready());
}

#[test]
fn bdat_chunking() {
    let mut s = ready(cfg(), &["PIPELINING", "CHUNKING"]);
    s.send_mail("a@example.org", &MailOptions::default()).unwrap();
    s.add_recipient("b@example.com", &RcptOptions::default()).unwrap();
    s.start_data().unwrap();
    assert_eq!(out(&mut s), "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n");
    s.receive(b"250 ok\r\n250 ok\r\n");
    assert_eq!(names(&events(&mut s)).last().unwrap(), "body");
    s.send_body(b"Subject: x\n\n.dot stays\r").unwrap();
    s.send_body(b"\nend").unwrap();
    s.end_body().unwrap();
    // The CR that ends the first chunk waits for the next chunk's LF: no bare CR is ever sent.
    // The open last line is closed, as DATA closes it, so both deliver the same message.
    assert_eq!(out(&mut s), "BDAT 24\r\nSubject: x\r\n\r\n.dot staysBDAT 5\r\n\r\nendBDAT 2 LAST\r\n\r\n");
    s.receive(b"250 2.0.0 24 octets\r\n250 2.0.0 5 octets\r\n250 2.0.0 Ok: queued as BD1\r\n");
    assert_eq!(names(&events(&mut s)).last().unwrap(), "accepted BD1");
    assert!(s.is_ready());
}

#[test]
fn bdat_failure_stops_the_chunks() {
    let mut s = ready(cfg(), &["CHUNKING"]);
    s.send_mail("a@example.org", &MailOptions::default()).unwrap();
    s.add_recipient("b@example.com", &RcptOptions::default()).unwrap();
    s.start_data().unwrap();
    s.receive(b"250 ok\r\n");
    s.receive(b"250 ok\r\n");
    out(&mut s);
    events(&mut s);
    s.send_body(b"part one\r\n").unwrap();
    s.send_body(b"part two\r\n").unwrap(); // queued: no pipelining
    assert_eq!(out(&mut s), "BDAT 10\r\npart one\r\n");
    s.receive(b"552 5.3.4 Message too big\r\n");
    assert_eq!(names(&events(&mut s)), ["reply BDAT 552", "rejected 552"]);
    s.send_body(b"part three").unwrap(); // dropped
    s.end_body().unwrap();
    assert_eq!(out(&mut s), "RSET\r\n");
}

#[test]
fn extensions_only_when_offered_and_checked() {
    let mut s = ready(cfg(), &["DSN", "SMTPUTF8", "8BITMIME"]);
    let opts = MailOptions {
        body: BodyType::EightBitMime,
        dsn_return: Some(DsnReturn::Headers),
        dsn_envid: Some("id+1=2".into()),
        size: Some(10),
        ..Default::default()
    };
    s.send_mail("jürgen@example.de", &opts).unwrap();
    assert_eq!(out(&mut s), "MAIL FROM:<jürgen@example.de> BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1+3D2\r\n");
    let n = DsnNotify { success: true, failure: true, ..Default::default() };
    s.add_recipient("zoë@example.com", &RcptOptions { notify: Some(n), orcpt: Some("zoe@example.com".into()) })
        .unwrap();
    // One command at a time: the RCPT waits for MAIL's reply.
    s.receive(b"250 ok\r\n");
    assert_eq!(out(&mut s), "RCPT TO:<zoë@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;zoe@example.com\r\n");
    let bad = RcptOptions { notify: Some(DsnNotify { never: true, delay: true, ..Default::default() }), orcpt: None };
    assert!(matches!(s.add_recipient("x@example.com", &bad), Err(UsageError::BadParameter(_))));

    let mut plain = ready(cfg(), &[]);
    assert_eq!(
        plain.send_mail("jürgen@example.de", &MailOptions::default()).unwrap_err().to_string(),
        "sender address: the address contains non-ASCII characters, which need the server's SMTPUTF8 extension"
    );
    assert_eq!(
        plain
            .send_mail("a@example.org", &MailOptions { body: BodyType::EightBitMime, ..Default::default() })
            .unwrap_err(),
        UsageError::NotOffered("8BITMIME")
    );
    assert_eq!(
        plain
            .send_mail("a@example.org", &MailOptions { body: BodyType::BinaryMime, ..Default::default() })
            .unwrap_err(),
        UsageError::NotOffered("BINARYMIME with CHUNKING")
    );
    // DSN and SIZE are simply left out when not offered.
    plain
        .send_mail(
            "a@example.org",
            &MailOptions { size: Some(5), dsn_return: Some(DsnReturn::Full), ..Default::default() },
        )
        .unwrap();
    assert_eq!(out(&mut plain), "MAIL FROM:<a@example.org>\r\n");
    let mut small = ready(cfg(), &["SIZE 100"]);
    assert!(small.send_mail("a@example.org", &MailOptions { size: Some(101), ..Default::default() }).is_err());
}

#[test]
fn commands_cannot_be_injected() {
    let mut s = ready(cfg(), &["PIPELINING"]);
    for bad in [
        "a@example.org\r\nRCPT TO:<x@y.example>",
        "a@example.org\nDATA",
        "a\0@example.org",
        "<a@example.org>",
        "a@exa mple.org",
    ] {
        assert!(s.send_mail(bad, &MailOptions::default()).is_err(), "{bad:?}");
    }
    s.send_mail("", &MailOptions::default()).unwrap(); // the null reverse-path
    assert_eq!(out(&mut s), "MAIL FROM:<>\r\n");
    assert!(s.add_recipient("", &RcptOptions::default()).is_err(), "<> is only a sender");
    assert!(s.add_recipient("x@y.example\r\nQUIT", &RcptOptions::default()).is_err());
    let long = format!("{}@example.com", "a".repeat(65));
    assert!(matches!(s.add_recipient(&long, &RcptOptions::default()), Err(UsageError::Address { .. })));
    assert!(Session::new(SessionConfig::new("bad name\r\nQUIT")).is_err());
}

#[test]
fn misuse_is_refused_and_changes_nothing() {
    let mut s = session(cfg());
    assert!(matches!(s.send_mail("a@b.example", &MailOptions::default()), Err(UsageError::WrongState { .. })));
    assert!(s.quit().is_err());
    s.receive(b"220 mx\r\n");
    s.receive(b"250 mx\r\n");
    out(&mut s);
    assert!(s.add_recipient("b@c.example", &RcptOptions::default()).is_err());
    assert!(s.start_data().is_err());
    assert!(s.send_body(b"x").is_err());
    assert!(s.end_body().is_err());
    assert!(s.tls_established().is_err());
    s.send_mail("a@b.example", &MailOptions::default()).unwrap();
    assert_eq!(s.start_data().unwrap_err().to_string(), "start_data is not possible now: no recipient has been added");
    s.add_recipient("b@c.example", &RcptOptions::default()).unwrap();
    s.start_data().unwrap();
    assert!(s.add_recipient("late@c.example", &RcptOptions::default()).is_err());
    s.receive(b"250 ok\r\n");
    s.receive(b"250 ok\r\n");
    s.receive(b"354 go\r\n");
    assert!(s.quit().is_err(), "QUIT inside a DATA body would be part of the message");
    assert!(s.reset().is_err(), "so would RSET");
    assert_eq!(out(&mut s), "MAIL FROM:<a@b.example>\r\nRCPT TO:<b@c.example>\r\nDATA\r\n");
}

#[test]
fn unexpected_codes_are_reported_and_acted_on_by_class() {
    let mut s = ready(cfg(), &[]);
    s.send_mail("a@example.org", &MailOptions::default()).unwrap();
    s.add_recipient("b@example.com", &RcptOptions::default()).unwrap();
    s.start_data().unwrap();
    s.receive(b"250 ok\r\n");
    s.receive(b"250 ok\r\n");
    s.receive(b"250 Go on\r\n"); // DATA must get 354
    let n = names(&events(&mut s));
    assert!(n.contains(&"reply DATA 250 unexpected".to_string()), "{n:?}");
    assert!(n.iter().any(|x| x.starts_with("rejected")), "no body is sent without 354: {n:?}");
    assert_eq!(out(&mut s), "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nRSET\r\n");
}

#[test]
fn several_messages_per_connection() {
    let mut s = ready(cfg(), &["PIPELINING"]);
    for i in 0..3 {
        s.send_mail("a@example.org", &MailOptions::default()).unwrap();
        s.add_recipient("b@example.com", &RcptOptions::default()).unwrap();
        s.start_data().unwrap();
        s.receive(b"250 ok\r\n250 ok\r\n354 go\r\n");
        s.send_body(format!("message {i}\r\n").as_bytes()).unwrap();
        s.end_body().unwrap();
        s.receive(format!("250 queued as Q{i}\r\n").as_bytes());
        assert_eq!(names(&events(&mut s)).last().unwrap(), &format!("accepted Q{i}"));
        assert!(s.is_ready());
    }
    let wire = out(&mut s);
    assert_eq!(wire.matches("MAIL FROM").count(), 3);
    assert!(!wire.contains("RSET"), "no RSET after delivered messages");
}

#[test]
fn events_carry_commands_and_classifications() {
    let mut s = pipelined_session();
    s.receive(PIPELINED_REPLIES);
    for e in events(&mut s) {
        if let Event::Reply { command, classification, .. } = e {
            assert_ne!(command, Command::Unknown);
            assert_eq!(classification.command, Some(command));
        }
    }
}
