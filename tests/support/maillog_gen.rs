//! Realistic Postfix and Exim delivery logs, generated with their ground truth.
//!
//! Shared by `tests/maillog.rs` and `benches/maillog.rs` (through `#[path]`). Deterministic for a
//! seed. Each message arrives, is handed to the queue manager, and each of its 1 to 3 recipients
//! meets a fate drawn from a realistic mix: delivered at once (remote or local), bounced with a
//! provider's reply, deferred one to three times (greylisting, timeouts, rate limits, full
//! mailboxes) and later delivered or bounced, deferred until the message expires, or still
//! deferred when the log ends. Later attempts are interleaved with other messages' lines, and
//! connection, TLS, warning and statistics lines surround them, as in a real log.

#![allow(dead_code)]

use std::collections::BTreeMap;

/// What the generator wrote: recipients per final status, messages, lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Truth {
    pub delivered: u64,
    pub deferred: u64,
    pub bounced: u64,
    pub expired: u64,
    /// Deferral lines.
    pub deferrals: u64,
    pub messages: u64,
    pub lines: u64,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
    /// Percent chance.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

const PROVIDERS: &[(&str, &str, &str)] = &[
    ("gmail.com", "gmail-smtp-in.l.google.com", "142.250.102.27"),
    ("yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72"),
    ("outlook.com", "outlook-com.olc.protection.outlook.com", "52.101.8.44"),
    ("hotmail.com", "hotmail-com.olc.protection.outlook.com", "52.101.40.1"),
    ("icloud.com", "mx01.mail.icloud.com", "17.57.154.6"),
    ("aol.com", "mx-aol.mail.gm0.yahoodns.net", "67.195.228.106"),
    ("gmx.de", "mx00.emig.gmx.net", "212.227.15.9"),
    ("web.de", "mx-ha03.web.de", "212.227.17.8"),
    ("orange.fr", "smtp-in.orange.fr", "80.12.24.83"),
    ("comcast.net", "mx1a1.comcast.net", "96.103.145.165"),
];

const USERS: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia",
    "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe",
];

/// A recipient not among `taken` (the message's others): (address, domain, MX host, MX address).
fn recipient(rng: &mut Rng, taken: &mut Vec<String>) -> (String, String, String, String) {
    loop {
        let r = any_recipient(rng);
        if !taken.contains(&r.0) {
            taken.push(r.0.clone());
            return r;
        }
    }
}

fn any_recipient(rng: &mut Rng) -> (String, String, String, String) {
    let user = format!("{}.{}", rng.pick(USERS), rng.below(5000));
    if rng.chance(60) {
        let (d, mx, ip) = rng.pick(PROVIDERS);
        (format!("{user}@{d}"), d.to_string(), mx.to_string(), ip.to_string())
    } else {
        // A long tail of small domains, a few of them large.
        let k = (rng.below(1000) * rng.below(1000) * 3) / 1000;
        let d = format!("d{k}.example");
        (format!("{user}@{d}"), d.clone(), format!("mx.{d}"), format!("192.0.2.{}", k % 250 + 1))
    }
}

fn bounce_reply(rng: &mut Rng, rcpt: &str, domain: &str, mx: &str, ip: &str) -> (String, &'static str) {
    match rng.below(9) {
        0 if domain == "gmail.com" => (format!("host {mx}[{ip}] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567qkb.42 - gsmtp (in reply to RCPT TO command)"), "5.1.1"),
        1 => (format!("host {mx}[{ip}] said: 550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). (in reply to RCPT TO command)"), "5.5.0"),
        2 => (format!("host {mx}[{ip}] said: 554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.7 (in reply to RCPT TO command)"), "5.7.1"),
        3 => (format!("host {mx}[{ip}] said: 552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox full (in reply to RCPT TO command)"), "5.2.2"),
        4 => (format!("host {mx}[{ip}] said: 552 5.3.4 Message size exceeds fixed limit (in reply to end of DATA command)"), "5.3.4"),
        5 => (format!("Host or domain name not found. Name service error for name={domain} type=MX: Host not found"), "5.4.4"),
        6 => (format!("host {mx}[{ip}] said: 550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. (in reply to end of DATA command)"), "5.7.26"),
        _ => (format!("host {mx}[{ip}] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"), "5.1.1"),
    }
}

fn defer_reply(rng: &mut Rng, rcpt: &str, domain: &str, mx: &str, ip: &str) -> (String, &'static str) {
    match rng.below(7) {
        0 => (format!("host {mx}[{ip}] said: 450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{domain}.html (in reply to RCPT TO command)"), "4.2.0"),
        1 => (format!("connect to {mx}[{ip}]:25: Connection timed out"), "4.4.1"),
        2 => (format!("connect to {mx}[{ip}]:25: Connection refused"), "4.4.1"),
        3 => (format!("host {mx}[{ip}] said: 421-4.7.28 [203.0.113.7] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421 4.7.28 users from spam, mail sent from your IP address has been temporarily rate limited. (in reply to end of DATA command)"), "4.7.28"),
        4 => (format!("host {mx}[{ip}] said: 421 4.7.0 [TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)"), "4.7.0"),
        5 => (format!("lost connection with {mx}[{ip}] while receiving the initial server greeting"), "4.4.2"),
        _ => (format!("host {mx}[{ip}] said: 452 4.2.2 <{rcpt}>: Mailbox full (in reply to RCPT TO command)"), "4.2.2"),
    }
}

fn sent_reply(rng: &mut Rng, domain: &str) -> String {
    match (domain, rng.below(3)) {
        ("gmail.com", _) => {
            format!("250 2.0.0 OK  17041{:05} a1si{}qkb.42 - gsmtp", rng.below(100_000), rng.below(10_000_000))
        }
        (_, 0) => format!("250 2.0.0 Ok: queued as 4T{:08X}", rng.below(1 << 32)),
        (_, 1) => "250 2.6.0 <20240105@sender.example> [InternalId=1234567] Queued mail for delivery".to_string(),
        _ => "250 ok dirdel".to_string(),
    }
}

/// A month-day clock from seconds since the start.
fn syslog_time(t: u64) -> String {
    let day = 1 + (t / 86_400) % 28;
    let s = t % 86_400;
    format!("Jan {day:>2} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn iso_time(t: u64) -> String {
    let day = 1 + (t / 86_400) % 28;
    let s = t % 86_400;
    format!("2024-01-{day:02} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Sent,
    Local,
    Bounced,
    DeferredThenSent,
    DeferredThenBounced,
    Expired,
    StillDeferred,
}

fn fate(rng: &mut Rng) -> Fate {
    match rng.below(100) {
        0..=66 => Fate::Sent,
        67..=71 => Fate::Local,
        72..=81 => Fate::Bounced,
        82..=89 => Fate::DeferredThenSent,
        90..=92 => Fate::DeferredThenBounced,
        93..=96 => Fate::Expired,
        _ => Fate::StillDeferred,
    }
}

/// Lines scheduled by message number (later attempts land among later messages).
struct Timeline {
    slots: BTreeMap<u64, Vec<String>>,
    out: Vec<u8>,
    lines: u64,
}

impl Timeline {
    fn at(&mut self, slot: u64, line: String) {
        self.slots.entry(slot).or_default().push(line);
    }
    fn flush_until(&mut self, slot: u64) {
        while let Some((&k, _)) = self.slots.first_key_value() {
            if k > slot {
                break;
            }
            for l in self.slots.remove(&k).unwrap() {
                self.out.extend_from_slice(l.as_bytes());
                self.out.push(b'\n');
                self.lines += 1;
            }
        }
    }
}

/// A Postfix log of about `target` bytes.
pub fn postfix_log(target: usize, seed: u64) -> (Vec<u8>, Truth) {
    let mut rng = Rng(seed | 1);
    let mut tl = Timeline { slots: BTreeMap::new(), out: Vec::with_capacity(target + 4096), lines: 0 };
    let mut truth = Truth::default();
    let host = "mx1";
    let mut msg = 0u64;
    while tl.out.len() < target {
        msg += 1;
        let slot = msg * 10;
        let qid = format!("{:010X}", (msg.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 24) & 0xFF_FFFF_FFFF);
        let ts = |t: u64| syslog_time(t / 10 * 2);
        let pid = 1000 + rng.below(30000);
        if rng.chance(30) {
            tl.at(
                slot,
                format!(
                    "{} {host} postfix/smtpd[{pid}]: connect from app{}.internal.example[10.0.0.{}]",
                    ts(slot),
                    rng.below(9),
                    rng.below(250)
                ),
            );
            tl.at(
                slot,
                format!("{} {host} postfix/smtpd[{pid}]: {qid}: client=app.internal.example[10.0.0.5]", ts(slot)),
            );
        } else {
            tl.at(
                slot,
                format!("{} {host} postfix/pickup[{pid}]: {qid}: uid=1000 from=<newsletter@sender.example>", ts(slot)),
            );
        }
        tl.at(
            slot,
            format!(
                "{} {host} postfix/cleanup[{}]: {qid}: message-id=<{msg}.{seed}@sender.example>",
                ts(slot),
                pid + 1
            ),
        );
        truth.messages += 1;
        let nrcpt = 1 + (rng.below(10) / 7);
        tl.at(slot, format!("{} {host} postfix/qmgr[900]: {qid}: from=<newsletter@sender.example>, size={}, nrcpt={nrcpt} (queue active)", ts(slot), 2000 + rng.below(50_000)));
        let mut last = slot + 1;
        let mut removed = true;
        let mut expired = false;
        let mut n_expired = 0;
        let mut taken = Vec::new();
        for _ in 0..nrcpt {
            let (rcpt, domain, mx, ip) = recipient(&mut rng, &mut taken);
            let f = fate(&mut rng);
            let mut t = slot + 1;
            let spid = 2000 + rng.below(30000);
            let deferrals = match f {
                Fate::DeferredThenSent | Fate::DeferredThenBounced | Fate::StillDeferred => 1 + rng.below(3),
                Fate::Expired => 1 + rng.below(2),
                _ => 0,
            };
            for k in 0..deferrals {
                let (reply, dsn) = defer_reply(&mut rng, &rcpt, &domain, &mx, &ip);
                let relay = if reply.starts_with("host ") { format!("{mx}[{ip}]:25") } else { "none".to_string() };
                tl.at(t, format!("{} {host} postfix/smtp[{spid}]: {qid}: to=<{rcpt}>, relay={relay}, delay={}, delays=0.1/0/{}/0, dsn={dsn}, status=deferred ({reply})", ts(t), (t - slot) / 5, k));
                truth.deferrals += 1;
                t += 50 + rng.below(400);
            }
            match f {
                Fate::Sent | Fate::DeferredThenSent => {
                    if rng.chance(40) {
                        tl.at(t, format!("{} {host} postfix/smtp[{spid}]: Trusted TLS connection established to {mx}[{ip}]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)", ts(t)));
                    }
                    let reply = sent_reply(&mut rng, &domain);
                    tl.at(t, format!("{} {host} postfix/smtp[{spid}]: {qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, delay={}, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent ({reply})", ts(t), (t - slot) / 5));
                    truth.delivered += 1;
                }
                Fate::Local => {
                    let user = rcpt.split('@').next().unwrap();
                    tl.at(t, format!("{} {host} postfix/local[{spid}]: {qid}: to=<{user}@mx1.sender.example>, orig_to=<{user}>, relay=local, delay=0.1, delays=0.05/0/0/0.05, dsn=2.0.0, status=sent (delivered to mailbox)", ts(t)));
                    truth.delivered += 1;
                }
                Fate::Bounced | Fate::DeferredThenBounced => {
                    let (reply, dsn) = bounce_reply(&mut rng, &rcpt, &domain, &mx, &ip);
                    let relay = if reply.starts_with("host ") { format!("{mx}[{ip}]:25") } else { "none".to_string() };
                    tl.at(t, format!("{} {host} postfix/smtp[{spid}]: {qid}: to=<{rcpt}>, relay={relay}, delay={}, delays=0.1/0/0.2/0.3, dsn={dsn}, status=bounced ({reply})", ts(t), (t - slot) / 5));
                    truth.bounced += 1;
                }
                Fate::Expired => {
                    expired = true;
                    n_expired += 1;
                    truth.expired += 1;
                }
                Fate::StillDeferred => {
                    removed = false;
                    truth.deferred += 1;
                }
            }
            last = last.max(t);
        }
        if expired && removed {
            let t = last + 100;
            tl.at(t, format!("{} {host} postfix/qmgr[900]: {qid}: from=<newsletter@sender.example>, status=expired, returned to sender", ts(t)));
            tl.at(
                t,
                format!(
                    "{} {host} postfix/bounce[{}]: {qid}: sender non-delivery notification: 9{qid}",
                    ts(t),
                    pid + 7
                ),
            );
            last = t;
        } else if expired {
            // Expired recipients of a message that also has a still-deferred one: the log ends
            // before the message expires, so they end deferred.
            truth.expired -= n_expired;
            truth.deferred += n_expired;
        }
        if removed {
            tl.at(last, format!("{} {host} postfix/qmgr[900]: {qid}: removed", ts(last)));
        }
        if rng.chance(5) {
            tl.at(slot, format!("{} {host} postfix/smtp[{}]: warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading", ts(slot), pid));
        }
        if rng.chance(3) {
            tl.at(
                slot,
                format!(
                    "{} {host} postfix/anvil[77]: statistics: max connection rate 3/60s for (smtp:10.0.0.5) at {}",
                    ts(slot),
                    ts(slot)
                ),
            );
        }
        tl.flush_until(slot);
    }
    tl.flush_until(u64::MAX);
    truth.lines = tl.lines;
    (tl.out, truth)
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62(mut n: u64, width: usize) -> String {
    let mut s = vec![b'0'; width];
    for i in (0..width).rev() {
        s[i] = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(s).unwrap()
}

/// An Exim main log of about `target` bytes.
pub fn exim_log(target: usize, seed: u64) -> (Vec<u8>, Truth) {
    let mut rng = Rng(seed | 1);
    let mut tl = Timeline { slots: BTreeMap::new(), out: Vec::with_capacity(target + 4096), lines: 0 };
    let mut truth = Truth::default();
    let mut msg = 0u64;
    while tl.out.len() < target {
        msg += 1;
        let slot = msg * 10;
        let id = format!("{}-{}-{}", base62(1_700_000_000 + msg, 6), base62(msg * 7919, 6), base62(msg % 3844, 2));
        let ts = |t: u64| iso_time(t / 10 * 2);
        if rng.chance(20) {
            tl.at(
                slot,
                format!(
                    "{} SMTP connection from app.internal.example [10.0.0.5]:{} (TCP/IP connection count = 1)",
                    ts(slot),
                    30000 + rng.below(30000)
                ),
            );
        }
        tl.at(slot, format!("{} {id} <= newsletter@sender.example H=app.internal.example [10.0.0.5] P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S={} id={msg}@sender.example", ts(slot), 2000 + rng.below(50_000)));
        truth.messages += 1;
        let nrcpt = 1 + (rng.below(10) / 7);
        let mut last = slot + 1;
        let mut completed = true;
        let mut first_delivery = true;
        let mut taken = Vec::new();
        for _ in 0..nrcpt {
            let (rcpt, domain, mx, ip) = recipient(&mut rng, &mut taken);
            let f = fate(&mut rng);
            let mut t = slot + 1;
            let deferrals = match f {
                Fate::DeferredThenSent | Fate::DeferredThenBounced | Fate::StillDeferred | Fate::Expired => {
                    1 + rng.below(3)
                }
                _ => 0,
            };
            for _ in 0..deferrals {
                let line = match rng.below(4) {
                    0 => format!("{} {id} == {rcpt} R=dnslookup T=remote_smtp defer (110): Connection timed out", ts(t)),
                    1 => format!("{} {id} == {rcpt} R=dnslookup T=remote_smtp defer (-44) H={mx} [{ip}]: SMTP error from remote mail server after RCPT TO:<{rcpt}>: 451 4.7.1 Greylisted, please try again later", ts(t)),
                    2 => format!("{} {id} == {rcpt} R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for '{domain}'", ts(t)),
                    _ => format!("{} {id} == {rcpt} R=dnslookup T=remote_smtp defer (-46) H={mx} [{ip}]: SMTP error from remote mail server after end of data: 421 4.7.0 Try again later, closing connection.", ts(t)),
                };
                tl.at(t, line);
                truth.deferrals += 1;
                t += 50 + rng.below(400);
            }
            match f {
                Fate::Sent | Fate::DeferredThenSent => {
                    let flag = if first_delivery || f != Fate::Sent { "=>" } else { "->" };
                    first_delivery = false;
                    let reply = sent_reply(&mut rng, &domain);
                    tl.at(t, format!("{} {id} {flag} {rcpt} R=dnslookup T=remote_smtp H={mx} [{ip}] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"{reply}\" QT={}s DT=1s", ts(t), (t - slot) / 5));
                    truth.delivered += 1;
                }
                Fate::Local => {
                    let user = rcpt.split('@').next().unwrap();
                    tl.at(t, format!("{} {id} => {user} <{user}@sender.example> R=local_user T=mail_spool", ts(t)));
                    truth.delivered += 1;
                }
                Fate::Bounced | Fate::DeferredThenBounced => {
                    let line = match rng.below(4) {
                        0 => format!("{} {id} ** {rcpt}: Unrouteable address", ts(t)),
                        1 => format!("{} {id} ** {rcpt} R=dnslookup T=remote_smtp H={mx} [{ip}]: SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds fixed limit", ts(t)),
                        2 => format!("{} {id} ** {rcpt} R=dnslookup T=remote_smtp H={mx} [{ip}] X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes: SMTP error from remote mail server after pipelined RCPT TO:<{rcpt}>: 550 5.7.1 <{rcpt}>: Relay access denied", ts(t)),
                        _ => format!("{} {id} ** {rcpt} R=dnslookup T=remote_smtp H={mx} [{ip}]: SMTP error from remote mail server after RCPT TO:<{rcpt}>: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown", ts(t)),
                    };
                    tl.at(t, line);
                    truth.bounced += 1;
                }
                Fate::Expired => {
                    tl.at(t, format!("{} {id} ** {rcpt} R=dnslookup T=remote_smtp: retry timeout exceeded", ts(t)));
                    truth.expired += 1;
                }
                Fate::StillDeferred => {
                    completed = false;
                    truth.deferred += 1;
                }
            }
            last = last.max(t);
        }
        if completed {
            tl.at(last, format!("{} {id} Completed", ts(last)));
        }
        if rng.chance(4) {
            tl.at(slot, format!("{} Start queue run: pid={}", ts(slot), 1000 + rng.below(30000)));
        }
        tl.flush_until(slot);
    }
    tl.flush_until(u64::MAX);
    truth.lines = tl.lines;
    (tl.out, truth)
}
