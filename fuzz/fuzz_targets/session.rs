//! The client session against an arbitrary server, with the host's actions also driven by the
//! input.
//!
//! Checks: no panic; no bare CR or LF ever reaches the wire (every LF follows a CR, every CR comes
//! before an LF, outside BDAT chunks); nothing is sent or reported after Closed; the session never
//! buffers more than its limit; misuse always returns an error instead of breaking the machine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::session::*;

fn check_wire(out: &[u8], bdat: bool) {
    if bdat {
        return; // BDAT chunks are counted, not framed; their text is checked by unit tests.
    }
    for (i, &b) in out.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && out[i - 1] == b'\r', "bare LF on the wire: {:?}", String::from_utf8_lossy(out));
        }
        if b == b'\r' {
            assert!(out.get(i + 1) == Some(&b'\n'), "bare CR on the wire: {:?}", String::from_utf8_lossy(out));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (script, server) = data.split_at(data.len().min(8));
    let mut cfg = SessionConfig::new("client.example.org");
    cfg.tls = match script[0] % 3 {
        0 => TlsPolicy::Never,
        1 => TlsPolicy::Opportunistic,
        _ => TlsPolicy::Required,
    };
    cfg.pipelining = script[0] & 4 == 0;
    cfg.chunking = script[0] & 8 == 0;
    cfg.all_or_nothing = script[0] & 16 != 0;
    cfg.auth_requires_tls = script[0] & 32 == 0;
    let mut s = Session::new(cfg).unwrap();
    let chunk = 1 + (script[1] as usize % 17);
    let body: &[u8] = b"Subject: x\n\n.dot\nbare LF\rbare CR\r\n.\r\nend";
    let mut sent_mail = false;
    let mut closed = false;
    let mut step = 0usize;
    for piece in server.chunks(chunk) {
        s.receive(piece);
        while let Some(e) = s.next_event() {
            assert!(!closed, "an event after Closed: {e:?}");
            match e {
                Event::Ready | Event::AuthSucceeded { .. } | Event::AuthFailed { .. } if !sent_mail => {
                    if script[2] & 1 == 1 && s.authenticated().is_none() {
                        let creds = Credentials { user: "u".into(), secret: "p".into(), mechanism: None };
                        if s.authenticate(creds).is_ok() {
                            continue;
                        }
                    }
                    sent_mail = true;
                    if s.send_mail("a@example.org", &MailOptions { size: Some(40), ..Default::default() }).is_ok() {
                        let n = 1 + script[3] as usize % 4;
                        for i in 0..n {
                            let _ = s.add_recipient(&format!("r{i}@example.com"), &RcptOptions::default());
                        }
                        let _ = s.start_data();
                    }
                }
                Event::StartTls => {
                    // The session may already have closed (a later event in this batch says so).
                    if script[2] & 2 == 0 {
                        let _ = s.tls_established();
                    } else {
                        let _ = s.tls_failed();
                    }
                }
                Event::ReadyForBody => {
                    // Refused only when a later reply of this batch closed the session.
                    let mut ok = true;
                    for part in body.chunks(1 + script[4] as usize % 7) {
                        ok &= s.send_body(part).is_ok();
                    }
                    ok &= s.end_body().is_ok();
                    assert!(ok || s.is_closed(), "the body was refused by a session that is not closed");
                }
                Event::Closed { .. } => closed = true,
                _ => {}
            }
        }
        // Random misuse between feeds must be refused or accepted, never panic.
        step += 1;
        match (script[5] as usize + step) % 9 {
            0 => drop(s.noop()),
            1 => drop(s.reset()),
            2 => drop(s.add_recipient("late@example.com", &RcptOptions::default())),
            3 => drop(s.send_body(b"stray\n")),
            4 => drop(s.end_body()),
            5 if script[6] & 1 == 1 => drop(s.quit()),
            6 => drop(s.tls_established()),
            _ => {}
        }
        let bdat = s.capabilities().is_some_and(|c| c.has("CHUNKING"));
        check_wire(s.pending_output(), bdat);
        let n = s.pending_output().len();
        if closed {
            assert_eq!(n, 0, "output after Closed");
        }
        s.advance_output(n);
        let _ = s.timeout();
    }
    s.receive_eof();
    while s.next_event().is_some() {}
    assert!(s.is_closed());
});
