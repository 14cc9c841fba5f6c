//! The transcript explainer on every format it reads, on messy pastes, and on bad input.
//!
//! Captures from real tools (swaks 20201014.0, curl 7.88, Python 3.11 smtplib) were taken against
//! an aiosmtpd server on 127.0.0.1 and are kept verbatim, as users paste them. The seeds (the FAQ
//! and the telnet tutorial this project grew from) are read from `../shared/seeds` when present.

use smtpreply::classify::Reason;
use smtpreply::command::Command;
use smtpreply::transcript::{
    analyse, analyse_with, CheckKind, Format, Options, RecipientStatus, Speaker, StepKind, Transcript, TranscriptError,
};
use std::path::Path;

fn kinds(t: &Transcript) -> Vec<CheckKind> {
    t.checks.iter().map(|c| c.kind).collect()
}

/// (address, status, reason) for every recipient.
fn outcome(t: &Transcript) -> Vec<(String, RecipientStatus, Option<Reason>)> {
    t.recipients.iter().map(|r| (r.address.clone(), r.status, r.classification.map(|c| c.reason))).collect()
}

/// The commands and reply codes in order, as "EHLO", "250", ...; info and data steps left out.
fn dialogue(t: &Transcript) -> Vec<String> {
    t.steps
        .iter()
        .filter_map(|s| match s.kind {
            StepKind::Command => Some(s.command.name().to_string()),
            StepKind::AuthResponse => Some("AUTH-RESPONSE".into()),
            StepKind::Reply => Some(s.reply.as_ref().unwrap().code.to_string()),
            _ => None,
        })
        .collect()
}

/// Every reply answers the command it follows in order (no pipelining in these logs).
fn assert_paired(t: &Transcript) {
    for (i, s) in t.steps.iter().enumerate() {
        if let Some(a) = s.answers {
            assert_eq!(s.command, t.steps[a].command, "reply {i} answers step {a}");
        }
    }
}

fn seed(name_start: &str) -> Option<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let entry =
        std::fs::read_dir(&dir).ok()?.flatten().find(|e| e.file_name().to_string_lossy().starts_with(name_start))?;
    std::fs::read(entry.path()).ok()
}

const SWAKS: &str = "=== Trying 127.0.0.1:2526...
=== Connected to 127.0.0.1.
<-  220 localhost Python SMTP 1.4.6
 -> EHLO vm
<-  250-localhost
<-  250-SIZE 33554432
<-  250-8BITMIME
<-  250-SMTPUTF8
<-  250 HELP
 -> MAIL FROM:<a@example.org>
<-  250 OK
 -> RCPT TO:<bob@example.com>
<-  250 OK
 -> RCPT TO:<nobody@example.com>
<** 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown
 -> DATA
<-  354 End data with <CR><LF>.<CR><LF>
 -> Date: Sun, 22 Nov 2026 12:00:08 +0000
 -> To: bob@example.com,nobody@example.com
 -> From: a@example.org
 -> Subject: test Sun, 22 Nov 2026 12:00:08 +0000
 -> X-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/
 -> 
 -> This is a test mailing
 -> 
 -> .
<-  250 2.0.0 Ok: queued as ABC123
 -> QUIT
<-  221 Bye
=== Connection closed with remote host.
";

#[test]
fn swaks_capture() {
    let t = analyse(SWAKS.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Swaks);
    assert_eq!(
        dialogue(&t),
        [
            "220", "EHLO", "250", "MAIL", "250", "RCPT", "250", "RCPT", "550", "DATA", "354", "DATA-END", "250",
            "QUIT", "221"
        ]
    );
    assert_paired(&t);
    assert_eq!(
        outcome(&t),
        [
            ("bob@example.com".into(), RecipientStatus::Accepted, Some(Reason::Success)),
            ("nobody@example.com".into(), RecipientStatus::Rejected, Some(Reason::UserUnknown)),
        ]
    );
    assert_eq!(t.message_accepted(), Some(true));
    assert_eq!(t.queue_id(), Some("ABC123"));
    assert!(t.checks.is_empty(), "{:?}", t.checks);
    let data = t.steps.iter().find(|s| s.kind == StepKind::MessageData).unwrap();
    assert!(data.text_lossy().starts_with("Date: ") && data.text_lossy().contains("\n\nThis is a test mailing"));
    let failure = &t.steps[t.first_failure.unwrap()];
    assert_eq!(failure.command, Command::Rcpt);
    assert_eq!(failure.line, 15);
    assert!(t.steps.iter().any(|s| s.speaker == Speaker::Tool && s.text_lossy().starts_with("Connected to")));
}

const CURL_REFUSED: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
                                 Dload  Upload   Total   Spent    Left  Speed
\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0*   Trying 127.0.0.1:2526...
* Connected to 127.0.0.1 (127.0.0.1) port 2526 (#0)
< 220 localhost Python SMTP 1.4.6\r
> EHLO hostname\r
< 250-localhost\r
< 250-SIZE 33554432\r
< 250-8BITMIME\r
< 250-SMTPUTF8\r
< 250 HELP\r
> MAIL FROM:<a@example.org> SIZE=3\r
< 250 OK\r
> RCPT TO:<bob@example.com>\r
< 250 OK\r
> RCPT TO:<nobody@example.com>\r
< 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown\r
* RCPT failed: 550
\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0
> QUIT\r
< 221 Bye\r
* Closing connection 0
curl: (55) RCPT failed: 550
";

#[test]
fn curl_capture_with_a_refused_recipient() {
    let t = analyse(CURL_REFUSED.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Curl);
    assert_eq!(dialogue(&t), ["220", "EHLO", "250", "MAIL", "250", "RCPT", "250", "RCPT", "550", "QUIT", "221"]);
    // curl gives up on the whole message when one recipient fails: bob was accepted at RCPT but
    // never got the message, which the log shows as pending.
    assert_eq!(
        outcome(&t),
        [
            ("bob@example.com".into(), RecipientStatus::Pending, Some(Reason::Success)),
            ("nobody@example.com".into(), RecipientStatus::Rejected, Some(Reason::UserUnknown)),
        ]
    );
    // The client quit without sending the message.
    assert_eq!(t.message_accepted(), Some(false));
    // curl's own notes, even after its progress meter on the same line.
    assert!(t.steps.iter().any(|s| s.speaker == Speaker::Tool && s.text_lossy().starts_with("Trying 127.0.0.1")));
}

const CURL_SENT: &str = "< 220 localhost Python SMTP 1.4.6\r
> EHLO hostname\r
< 250-localhost\r
< 250 HELP\r
> MAIL FROM:<a@example.org> SIZE=3\r
< 250 OK\r
> RCPT TO:<bob@example.com>\r
< 250 OK\r
> DATA\r
< 354 End data with <CR><LF>.<CR><LF>\r
} [3 bytes data]
* We are completely uploaded and fine
< 250 2.0.0 Ok: queued as ABC123\r
\r100     3    0     0  100     3      0   2024 --:--:-- --:--:-- --:--:--  3000
* Connection #0 to host 127.0.0.1 left intact
";

#[test]
fn curl_capture_message_sent_without_quit() {
    let t = analyse(CURL_SENT.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Curl);
    // curl does not log the message text or its end: the 250 shows the data ended.
    assert_eq!(dialogue(&t), ["220", "EHLO", "250", "MAIL", "250", "RCPT", "250", "DATA", "354", "DATA-END", "250"]);
    assert_eq!(outcome(&t), [("bob@example.com".into(), RecipientStatus::Accepted, Some(Reason::Success))]);
    assert_eq!(t.queue_id(), Some("ABC123"));
    // curl leaves the connection open and exits without QUIT: a real deviation.
    assert_eq!(kinds(&t), [CheckKind::MissingQuit]);
    assert!(!t.quit);
}

const SMTPLIB: &str = "12:06:55.001 send: 'ehlo [127.0.0.1]\\r\\n'
12:06:55.002 reply: b'250-localhost\\r\\n'
12:06:55.002 reply: b'250-PIPELINING\\r\\n'
12:06:55.002 reply: b'250 HELP\\r\\n'
12:06:55.002 reply: retcode (250); Msg: b'localhost\\nPIPELINING\\nHELP'
12:06:55.003 send: 'mail FROM:<a@example.org> size=24\\r\\n'
12:06:55.003 reply: b'250 OK\\r\\n'
12:06:55.003 reply: retcode (250); Msg: b'OK'
12:06:55.003 send: 'rcpt TO:<bob@example.com>\\r\\n'
12:06:55.004 reply: b'250 OK\\r\\n'
12:06:55.004 reply: retcode (250); Msg: b'OK'
12:06:55.004 send: 'rcpt TO:<nobody@example.com>\\r\\n'
12:06:55.004 reply: b'450 4.2.0 <nobody@example.com>: Recipient address rejected: Greylisted, try again in 5 minutes\\r\\n'
12:06:55.004 reply: retcode (450); Msg: b'4.2.0 <nobody@example.com>: Recipient address rejected: Greylisted, try again in 5 minutes'
12:06:55.005 send: 'data\\r\\n'
12:06:55.005 reply: b'354 End data with <CR><LF>.<CR><LF>\\r\\n'
12:06:55.005 reply: retcode (354); Msg: b'End data with <CR><LF>.<CR><LF>'
12:06:55.005 data: (354, b'End data with <CR><LF>.<CR><LF>')
12:06:55.006 send: b'Subject: x\\r\\n\\r\\nhi \\xc3\\xa9\\r\\n..dot\\r\\n.\\r\\n'
12:06:55.006 reply: b'250 2.0.0 Ok: queued as ABC123\\r\\n'
12:06:55.006 reply: retcode (250); Msg: b'2.0.0 Ok: queued as ABC123'
12:06:55.006 data: (250, b'2.0.0 Ok: queued as ABC123')
12:06:55.007 send: 'quit\\r\\n'
12:06:55.007 reply: b'221 Bye\\r\\n'
";

#[test]
fn smtplib_debug_output() {
    let t = analyse(SMTPLIB.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Smtplib);
    // smtplib logs nothing of the greeting (set_debuglevel comes after connect) and repeats each
    // reply as "retcode": the repeats are left out.
    assert_eq!(
        dialogue(&t),
        ["EHLO", "250", "MAIL", "250", "RCPT", "250", "RCPT", "450", "DATA", "354", "DATA-END", "250", "QUIT", "221"]
    );
    assert_paired(&t);
    assert_eq!(
        outcome(&t),
        [
            ("bob@example.com".into(), RecipientStatus::Accepted, Some(Reason::Success)),
            ("nobody@example.com".into(), RecipientStatus::Deferred, Some(Reason::Greylisted)),
        ]
    );
    let greylisted = t.recipients[1].classification.unwrap();
    assert_eq!(greylisted.retry_after, Some(300));
    let data = t.steps.iter().find(|s| s.kind == StepKind::MessageData).unwrap();
    assert_eq!(data.text_lossy(), "Subject: x\n\nhi é\n..dot");
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn rfc_style_with_pipelining_and_auth() {
    let log = "S: 220 mx.example.com ESMTP
C: EHLO client.example.org
S: 250-mx.example.com
S: 250-PIPELINING
S: 250 AUTH PLAIN LOGIN
C: STARTTLS
S: 220 2.0.0 Ready to start TLS
C: EHLO client.example.org
S: 250-mx.example.com
S: 250-PIPELINING
S: 250 AUTH PLAIN LOGIN
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dGltQGV4YW1wbGUub3Jn
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 235 2.7.0 Authentication successful
C: MAIL FROM:<tim@example.org>
C: RCPT TO:<a@example.com>
C: RCPT TO:<b@example.com>
C: DATA
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 452 4.2.2 <b@example.com>: Mailbox full
S: 354 End data with <CR><LF>.<CR><LF>
C: Subject: hi
C:
C: .
S: 250 2.0.0 Ok: queued as 4XyZ
C: QUIT
S: 221 2.0.0 Bye
";
    let t = analyse(log.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Rfc);
    assert!(t.tls && t.authenticated && t.quit);
    assert_eq!(
        outcome(&t),
        [
            ("a@example.com".into(), RecipientStatus::Accepted, Some(Reason::Success)),
            ("b@example.com".into(), RecipientStatus::Deferred, Some(Reason::MailboxFull)),
        ]
    );
    // Pipelined replies are matched in order.
    let rcpt_b = t.steps.iter().position(|s| s.text_lossy() == "RCPT TO:<b@example.com>").unwrap();
    let reply_b = t.steps.iter().find(|s| s.answers == Some(rcpt_b)).unwrap();
    assert_eq!(reply_b.reply.as_ref().unwrap().code, 452);
    // Credentials never appear; the challenges do.
    let texts: Vec<String> = t.steps.iter().map(|s| s.text_lossy().into_owned()).collect();
    assert!(!texts.iter().any(|s| s.contains("dGlt") || s.contains("c2VjcmV0")), "{texts:?}");
    assert_eq!(t.steps.iter().filter(|s| s.kind == StepKind::AuthResponse).count(), 2);
    assert!(t.steps.iter().filter(|s| s.kind == StepKind::AuthResponse).all(|s| s.text_lossy() == "****"));
    // Everything after STARTTLS is marked as encrypted; nothing deviates.
    assert!(t.steps.iter().skip_while(|s| s.text_lossy() != "220 2.0.0 Ready to start TLS").skip(1).all(|s| s.tls));
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn server_client_markers_in_front_with_timestamps_and_html() {
    let log = "2024-03-01 10:00:00.120 [4] Server: 220 smtp.example.net ESMTP\r
2024-03-01 10:00:00.121 [4] Client: HELO laptop\r
2024-03-01 10:00:00.130 [4] Server: 250 smtp.example.net\r
2024-03-01 10:00:00.131 [4] Client: MAIL FROM:&lt;me@example.org&gt;\n\
2024-03-01 10:00:00.140 [4] Server: 250 OK\n\
2024-03-01 10:00:00.141 [4] Client: RCPT TO:&lt;you@example.com&gt;\n\
2024-03-01 10:00:00.150 [4] Server: 554 5.7.1 &lt;you@example.com&gt;: Relay access denied\n\
2024-03-01 10:00:00.151 [4] Client: QUIT\n\
2024-03-01 10:00:00.160 [4] Server: 221 Bye\n";
    let t = analyse(log.as_bytes()).unwrap();
    assert_eq!(t.format, Format::ServerClient);
    assert_eq!(outcome(&t), [("you@example.com".into(), RecipientStatus::Rejected, Some(Reason::RelayDenied))]);
    assert_eq!(t.messages[0].sender, "me@example.org");
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn faq_layout_from_the_seed() {
    let Some(page) = seed("000_") else { return };
    let t = analyse(&page).unwrap();
    assert_eq!(t.format, Format::ServerClient);
    assert_eq!(
        dialogue(&t),
        ["220", "HELO", "250", "SEND", "250", "RCPT", "450", "DATA", "354", "DATA-END", "250", "QUIT", "221"]
    );
    assert_paired(&t);
    // The FAQ's own example uses RFC 821's SEND FROM.
    assert_eq!(kinds(&t), [CheckKind::ObsoleteCommand]);
    assert!(t.checks[0].message.contains("MAIL FROM"));
    assert_eq!(t.recipients[0].address, "Admin.MRC@SU-SCORE.ARPA");
    assert_eq!(t.recipients[0].status, RecipientStatus::Deferred);
    assert_eq!(t.message_accepted(), Some(true));
    // The page goes on with a code table after the conversation: notes, not replies.
    let after_quit = t.steps.iter().skip_while(|s| s.command != Command::Quit).skip(2);
    assert!(after_quit.clone().count() > 20 && after_quit.clone().all(|s| s.kind == StepKind::Info));
}

#[test]
fn telnet_tutorial_from_the_seed() {
    let Some(page) = seed("002_") else { return };
    let t = analyse(&page).unwrap();
    assert_eq!(t.format, Format::Arrows);
    assert_eq!(
        dialogue(&t),
        ["220", "HELO", "250", "MAIL", "250", "RCPT", "250", "DATA", "354", "DATA-END", "250", "QUIT"]
    );
    assert_paired(&t);
    // The tutorial stops before the server's 221.
    assert_eq!(kinds(&t), [CheckKind::Unanswered]);
    assert_eq!(t.recipients[0].status, RecipientStatus::Accepted);
    assert_eq!(t.queue_id(), Some("1056550716 qp 7338"));
    // What opened the connection is a note, not a command.
    assert!(t
        .steps
        .iter()
        .any(|s| s.kind == StepKind::Info && s.text_lossy().contains("telnet CLASSIC.ASIANET.CCO.TH 25")));
}

#[test]
fn raw_telnet_session() {
    let log = "Trying 192.0.2.25...
Connected to mx.example.com.
Escape character is '^]'.
220 mx.example.com ESMTP Postfix
HELO test
250 mx.example.com
MAIL FROM:<me@example.org>
250 2.1.0 Ok
RCPT TO:<postmaster@example.com>
250 2.1.5 Ok
DATA
354 End data with <CR><LF>.<CR><LF>
Subject: test

hello
.
250 2.0.0 Ok: queued as 3F2A1C
QUIT
221 2.0.0 Bye
Connection closed by foreign host.
";
    let t = analyse(log.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Telnet);
    assert_eq!(
        dialogue(&t),
        ["220", "HELO", "250", "MAIL", "250", "RCPT", "250", "DATA", "354", "DATA-END", "250", "QUIT", "221"]
    );
    let data = t.steps.iter().find(|s| s.kind == StepKind::MessageData).unwrap();
    assert_eq!(data.text_lossy(), "Subject: test\n\nhello");
    assert_eq!(t.queue_id(), Some("3F2A1C"));
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn exchange_protocol_log() {
    let log = "#Software: Microsoft Exchange Server
#Version: 15.0.0.0
#Log-type: SMTP Send Protocol Log
#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
2024-03-01T10:00:00.000Z,Internet,08DC3A,0,,192.0.2.25:25,*,,attempting to connect
2024-03-01T10:00:00.010Z,Internet,08DC3A,1,10.0.0.5:50123,192.0.2.25:25,+,,
2024-03-01T10:00:00.020Z,Internet,08DC3A,2,10.0.0.5:50123,192.0.2.25:25,<,220 mx.example.com ESMTP,
2024-03-01T10:00:00.030Z,Internet,08DC3A,3,10.0.0.5:50123,192.0.2.25:25,>,EHLO mail.contoso.com,
2024-03-01T10:00:00.040Z,Internet,08DC3A,4,10.0.0.5:50123,192.0.2.25:25,<,250-mx.example.com,
2024-03-01T10:00:00.041Z,Internet,08DC3A,5,10.0.0.5:50123,192.0.2.25:25,<,250-PIPELINING,
2024-03-01T10:00:00.042Z,Internet,08DC3A,6,10.0.0.5:50123,192.0.2.25:25,<,250 SIZE 52428800,
2024-03-01T10:00:00.050Z,Internet,08DC4B,0,10.0.0.5:50124,198.51.100.7:25,+,,
2024-03-01T10:00:00.060Z,Internet,08DC3A,6,10.0.0.5:50123,192.0.2.25:25,>,MAIL FROM:<alice@contoso.com> SIZE=2048,
2024-03-01T10:00:00.061Z,Internet,08DC3A,7,10.0.0.5:50123,192.0.2.25:25,>,RCPT TO:<bob@example.com>,
2024-03-01T10:00:00.070Z,Internet,08DC3A,8,10.0.0.5:50123,192.0.2.25:25,<,250 2.1.0 Sender OK,
2024-03-01T10:00:00.071Z,Internet,08DC3A,9,10.0.0.5:50123,192.0.2.25:25,<,\"550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked using Spamhaus\",
2024-03-01T10:00:00.080Z,Internet,08DC3A,10,10.0.0.5:50123,192.0.2.25:25,>,QUIT,
2024-03-01T10:00:00.090Z,Internet,08DC3A,11,10.0.0.5:50123,192.0.2.25:25,<,221 2.0.0 Bye,
2024-03-01T10:00:00.091Z,Internet,08DC3A,12,10.0.0.5:50123,192.0.2.25:25,-,,Local
";
    let t = analyse(log.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Exchange);
    assert_eq!(dialogue(&t), ["220", "EHLO", "250", "MAIL", "RCPT", "250", "550", "QUIT", "221"]);
    assert_eq!(outcome(&t), [("bob@example.com".into(), RecipientStatus::Rejected, Some(Reason::Blocklisted))]);
    // The other session is named, not mixed in.
    assert!(t.steps.iter().any(|s| s.speaker == Speaker::Tool && s.text_lossy().contains("08DC4B")));
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn bounce_excerpts() {
    let dsn = "This is the mail system at host mail.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<bob@example.com>: host mx.example.com[192.0.2.25] said: 550 5.1.1
    <bob@example.com>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

Reporting-MTA: dns; mail.example.org
Final-Recipient: rfc822; bob@example.com
Original-Recipient: rfc822;bob@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.com
Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected:
    User unknown in virtual mailbox table

Final-Recipient: rfc822; carol@example.net
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.net[198.51.100.7]:25: Connection timed out
";
    let t = analyse(dsn.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Bounce);
    assert_eq!(
        outcome(&t),
        [
            ("bob@example.com".into(), RecipientStatus::Rejected, Some(Reason::UserUnknown)),
            ("carol@example.net".into(), RecipientStatus::Deferred, None),
        ]
    );
    // The human part names the command.
    let bob = &t.steps[t.recipients[0].reply_step.unwrap()];
    assert_eq!(bob.command, Command::Rcpt);
    assert_eq!(bob.reply.as_ref().unwrap().code, 550);
    assert_eq!(t.message_accepted(), Some(false));

    let exchange = "Delivery has failed to these recipients or groups:
dave@example.com
The email address you entered couldn't be found.
Diagnostic information for administrators:
Generating server: EX01.contoso.com
dave@example.com
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
";
    let t = analyse(exchange.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Bounce);
    let reply = t.steps.iter().find(|s| s.kind == StepKind::Reply).unwrap();
    assert_eq!(
        reply.text_lossy(),
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    );
    assert_eq!(reply.reply.as_ref().unwrap().classification.reason, Reason::UserUnknown);

    let gmail = "Your message wasn't delivered to erin@example.com because the address couldn't be found.
The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.
";
    let t = analyse(gmail.as_bytes()).unwrap();
    assert_eq!(t.format, Format::Bounce);
    let reply = t.steps.iter().find(|s| s.kind == StepKind::Reply).unwrap();
    assert_eq!(reply.reply.as_ref().unwrap().code, 550);
    assert_eq!(reply.reply.as_ref().unwrap().classification.reason, Reason::UserUnknown);
}

#[test]
fn protocol_checks() {
    // Data before 354, MAIL before HELO, an unexpected code, an unknown command, pipelining the
    // server did not offer, credentials in clear, no QUIT.
    let log = "S: 220 mx.example.com
C: MAIL FROM:<a@example.org>
S: 503 5.5.1 Error: send HELO/EHLO first
C: HELO client
S: 250 mx.example.com
C: AUTH PLAIN AHRpbQBwdw==
S: 235 ok
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.com>
S: 250 ok
S: 250 ok
C: DATA
C: Subject: early
S: 354 go ahead
C: .
S: 354 again?
C: XYZZY
S: 500 5.5.2 Error: command not recognized
";
    let t = analyse(log.as_bytes()).unwrap();
    let k = kinds(&t);
    for want in [
        CheckKind::OutOfSequence,
        CheckKind::CredentialsInClear,
        CheckKind::PipeliningNotOffered,
        CheckKind::DataBefore354,
        CheckKind::UnexpectedReply,
        CheckKind::UnknownCommand,
        CheckKind::MissingQuit,
    ] {
        assert!(k.contains(&want), "{want:?} missing from {k:?}");
    }
    let mail_check = t.checks.iter().find(|c| c.kind == CheckKind::OutOfSequence).unwrap();
    assert!(mail_check.message.contains("HELO"));
    assert_eq!(t.steps[mail_check.step].command, Command::Mail);
    assert!(!t.steps.iter().any(|s| s.text_lossy().contains("AHRpbQ")), "credentials masked");
    let unexpected = t.checks.iter().find(|c| c.kind == CheckKind::UnexpectedReply).unwrap();
    assert_eq!(t.steps[unexpected.step].reply.as_ref().unwrap().code, 354);
    // The first failure is the 503 (MAIL before HELO).
    assert_eq!(t.steps[t.first_failure.unwrap()].reply.as_ref().unwrap().code, 503);
}

#[test]
fn service_closing_mid_transaction() {
    let log = "S: 220 mx.example.com
C: EHLO c
S: 250 mx.example.com
C: MAIL FROM:<a@example.org>
S: 250 ok
C: RCPT TO:<b@example.com>
S: 250 ok
C: DATA
S: 421 4.3.2 System shutting down
";
    let t = analyse(log.as_bytes()).unwrap();
    assert_eq!(outcome(&t), [("b@example.com".into(), RecipientStatus::Deferred, Some(Reason::SystemError))]);
    assert_eq!(t.message_accepted(), Some(false));
    // The server closed: no QUIT is expected.
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn refused_mail_decides_for_its_recipients() {
    let log = "S: 220 mx
C: EHLO c
S: 250-mx
S: 250 PIPELINING
C: MAIL FROM:<spammer@example.org>
C: RCPT TO:<b@example.com>
C: DATA
S: 553 5.7.1 <spammer@example.org>: Sender address rejected: not owned by user
S: 503 5.5.1 Error: need MAIL command
S: 503 5.5.1 Error: need RCPT command
C: QUIT
S: 221 bye
";
    let t = analyse(log.as_bytes()).unwrap();
    assert_eq!(outcome(&t), [("b@example.com".into(), RecipientStatus::Rejected, Some(Reason::SenderRejected))]);
    assert_eq!(t.steps[t.first_failure.unwrap()].reply.as_ref().unwrap().code, 553);
    assert!(t.checks.is_empty(), "{:?}", t.checks);
}

#[test]
fn wrapped_lines_and_line_endings() {
    let log = "S: 220 mx.example.com\r\nC: EHLO c\nS: 250 mx\rC: MAIL FROM:<a@example.org>\r\nS: 250 ok\nC: RCPT TO:<b@example.com>\nS: 550-5.7.1 This message was blocked because its content presents a\nS: 550 5.7.1 potential security issue. Please visit\nhttps://support.google.com/mail/?p=BlockedMessage to review our\nS: 221 bye\n";
    let t = analyse(log.as_bytes()).unwrap();
    let reply = t.steps.iter().find(|s| s.reply.as_ref().is_some_and(|r| r.code == 550)).unwrap();
    assert!(reply.text_lossy().ends_with("to review our"), "{:?}", reply.text);
    assert_eq!(t.lines, 10);
}

#[test]
fn bad_input() {
    for input in [&b""[..], b"\0\0\0\xff\xfe garbage \x01\x02", b"\n\n\n", b"lorem ipsum dolor sit amet"] {
        let t = analyse(input).unwrap();
        assert_eq!(t.format, Format::Unknown);
        assert!(t.steps.is_empty() && t.recipients.is_empty() && t.checks.is_empty());
        assert_eq!(t.message_accepted(), None);
    }
    // Random bytes in every forced format: no panic, consistent indices.
    let mut x = 0x2545F4914F6CDD1Du64;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            const ALPHABET: &[u8] = b"250 -<>:\r\nSC.MAIL RCPT DATA\0\xff";
            ALPHABET[(x % ALPHABET.len() as u64) as usize]
        })
        .collect();
    for f in Format::ALL {
        let t = analyse_with(&noise, &Options { format: Some(f), ..Options::default() }).unwrap();
        for s in &t.steps {
            assert!(s.answers.is_none_or(|a| a < t.steps.len()));
        }
    }
    // Too large: a clear error, not a long wait.
    let opts = Options { max_input: 1000, ..Options::default() };
    assert_eq!(analyse_with(&[b'a'; 1001], &opts), Err(TranscriptError::TooLarge(1001, 1000)));
    assert!(analyse_with(b"x", &Options { max_line: 10, ..Options::default() }).is_err());
}

#[test]
fn a_100_mb_line() {
    // Over the default 64 MiB input limit: refused with a clear error.
    let mut big = b"S: 220 mx\nC: HELO x\nS: 250 ".to_vec();
    big.resize(100 << 20, b'x');
    assert!(matches!(analyse(&big), Err(TranscriptError::TooLarge(..))));
    // With a larger limit: read, the line cut, and a check says so.
    let opts = Options { max_input: 128 << 20, ..Options::default() };
    let t = analyse_with(&big, &opts).unwrap();
    assert_eq!(t.format, Format::Rfc);
    assert!(kinds(&t).contains(&CheckKind::LineTooLong));
    let last = t.steps.iter().rfind(|s| s.kind == StepKind::Reply).unwrap();
    assert!(last.text.len() <= Options::DEFAULT_MAX_LINE);
}

/// Every fixture of tests/data/transcripts (real captures and hand-written samples, see its
/// README.md) against expected.tsv: the format detected, every recipient's final status and the
/// code of the reply that decided it, the message outcome, the queue id; and credentials masked.
#[test]
fn fixture_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/transcripts");
    let table = std::fs::read_to_string(dir.join("expected.tsv")).expect("expected.tsv");
    let mut failures = Vec::new();
    let mut rows = 0;
    for row in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        rows += 1;
        let f: Vec<&str> = row.split('\t').collect();
        let input = std::fs::read(dir.join(f[0])).unwrap_or_else(|e| panic!("{}: {e}", f[0]));
        let t = analyse(&input).unwrap();
        let mut problems = Vec::new();
        if t.format.name() != f[1] {
            problems.push(format!("format {} (expected {})", t.format.name(), f[1]));
        }
        let got: Vec<String> = t
            .recipients
            .iter()
            .map(|r| {
                let status = match r.status {
                    RecipientStatus::Accepted => "accepted",
                    RecipientStatus::Rejected => "rejected",
                    RecipientStatus::Deferred => "deferred",
                    RecipientStatus::Pending => "pending",
                };
                let code = r
                    .reply_step
                    .and_then(|s| t.steps[s].reply.as_ref())
                    .map_or("-".to_string(), |x| x.code.to_string());
                format!("{}={status}:{code}", r.address)
            })
            .collect();
        let want: Vec<String> = if f[2] == "-" { Vec::new() } else { f[2].split(' ').map(String::from).collect() };
        if got != want {
            problems.push(format!("recipients {got:?} (expected {want:?})"));
        }
        let accepted = match t.message_accepted() {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        if accepted != f[3] {
            problems.push(format!("message {accepted} (expected {})", f[3]));
        }
        if t.queue_id().unwrap_or("-") != f[4] {
            problems.push(format!("queue id {:?} (expected {})", t.queue_id(), f[4]));
        }
        for s in &t.steps {
            let masked = match s.kind {
                StepKind::AuthResponse => matches!(s.text_lossy().as_ref(), "****" | "*" | "="),
                StepKind::Command if s.command == Command::Auth => {
                    s.text_lossy().split_whitespace().count() <= 2 || s.text_lossy().ends_with("****")
                }
                _ => true,
            };
            if !masked {
                problems.push(format!("credentials shown: {:?}", s.text));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", f[0], problems.join("; ")));
        }
    }
    assert!(rows >= 50, "only {rows} fixtures");
    assert!(failures.is_empty(), "{} of {rows} fixtures wrong:\n{}", failures.len(), failures.join("\n"));
}
