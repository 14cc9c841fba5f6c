//! The session's reply side: each reply answers the oldest command in flight (RFC 2920 §3.1:
//! replies are matched by counting), and moves the machine on.

use super::auth::{base64_decode, base64_encode};
use super::{
    allowed, AuthStep, BodyMode, CloseReason, Event, Mechanism, OwnedReply, Pending, Phase, RecipientResult,
    RecipientStatus, Session, TlsPolicy,
};
use crate::classify::{classify, Classification};
use crate::command::Command;
use crate::ehlo::{Capabilities, Extension};

impl Session {
    pub(crate) fn handle_reply(&mut self, reply: OwnedReply) {
        let code = reply.code();
        if self.phase == Phase::Greeting {
            return self.on_greeting(reply);
        }
        let Some(pending) = self.in_flight.pop_front() else {
            if code == 421 {
                // RFC 5321 §3.8: 421 may come at any time, unasked.
                let classification = classify(reply.raw(), None);
                self.emit(Event::Reply { command: Command::Unknown, reply, classification, unexpected: false });
                self.fail_transaction_synthetic(b"421 4.3.2 The server closed the transmission channel");
                return self.close(CloseReason::ServiceClosing);
            }
            return self.protocol_error(&format!("the server sent a {code} reply that answers no command"));
        };
        let command = pending.command();
        let classification = classify(reply.raw(), Some(command));
        let unexpected = !allowed::allowed(&pending, code);
        self.emit(Event::Reply { command, reply: reply.clone(), classification, unexpected });
        if code == 421 && pending != Pending::Quit {
            self.fail_transaction_with(&reply, classification);
            return self.close(CloseReason::ServiceClosing);
        }
        if self.phase == Phase::Quitting {
            return self.on_reply_while_quitting(pending, reply, classification);
        }
        match pending {
            Pending::Ehlo => self.on_ehlo(reply),
            Pending::Helo => self.on_helo(reply),
            Pending::StartTls => self.on_starttls(reply),
            Pending::Auth(step) => self.on_auth(step, reply, classification),
            Pending::Mail => self.on_mail(reply, classification),
            Pending::Rcpt(i) => self.on_rcpt(i, reply, classification),
            Pending::Data => self.on_data(reply, classification),
            Pending::DataEnd => self.on_message_end(reply, classification),
            Pending::Bdat { last } => self.on_bdat(last, reply, classification),
            Pending::Rset | Pending::Noop => {
                if self.in_flight.is_empty() && self.txn.is_none() {
                    self.phase = Phase::Ready;
                }
                self.pump();
            }
            // QUIT is only ever sent in the Quitting phase, handled above.
            Pending::Quit => self.close(self.close_after_quit),
        }
    }

    /// QUIT is queued behind what was in flight: only a message's final reply still matters
    /// (its outcome is reported); a pending AUTH challenge is cancelled so QUIT is read as a
    /// command; everything else was abandoned.
    fn on_reply_while_quitting(&mut self, pending: Pending, reply: OwnedReply, classification: Classification) {
        match pending {
            Pending::Quit => {
                let reason = self.close_after_quit;
                return self.close(reason);
            }
            Pending::DataEnd => self.on_message_end(reply, classification),
            Pending::Bdat { last } => self.on_bdat(last, reply, classification),
            Pending::Auth(_) if reply.code() == 334 => {
                // RFC 4954 §4: "*" cancels the exchange; it goes out before the queued QUIT.
                self.outbox.push_front((Pending::Auth(AuthStep::Final), b"*\r\n".to_vec()));
            }
            _ => {}
        }
        self.pump();
    }

    fn on_greeting(&mut self, reply: OwnedReply) {
        let classification = classify(reply.raw(), Some(Command::Greeting));
        let code = reply.code();
        let unexpected = !matches!(code, 220 | 421 | 554 | 521);
        self.emit(Event::Reply { command: Command::Greeting, reply: reply.clone(), classification, unexpected });
        match code / 100 {
            2 => {
                self.emit(Event::Greeting { reply });
                self.phase = Phase::Hello;
                let line = format!("EHLO {}", self.config.client_name).into_bytes();
                self.send_command(Pending::Ehlo, line);
            }
            4 => self.close(CloseReason::ServiceClosing),
            5 => {
                // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT.
                self.close_after_quit = CloseReason::GreetingRefused;
                self.phase = Phase::Quitting;
                self.send_command(Pending::Quit, b"QUIT".to_vec());
            }
            _ => self.protocol_error(&format!("the greeting is {code}, not 220, 421 or 554")),
        }
    }

    fn refuse_hello(&mut self) {
        self.close_after_quit = CloseReason::HelloRefused;
        self.phase = Phase::Quitting;
        self.send_command(Pending::Quit, b"QUIT".to_vec());
    }

    fn on_ehlo(&mut self, reply: OwnedReply) {
        match reply.code() {
            250 => {
                let caps = match Capabilities::from_reply(&reply.reply()) {
                    Ok(c) => c,
                    Err(e) => return self.protocol_error(&format!("the EHLO reply cannot be read: {e}")),
                };
                self.capabilities = Some(caps);
                self.after_hello();
            }
            // RFC 5321 §3.2: a server without EHLO answers 500 or 502; fall back to HELO.
            500 | 502 => {
                let line = format!("HELO {}", self.config.client_name).into_bytes();
                self.send_command(Pending::Helo, line);
            }
            _ => self.refuse_hello(),
        }
    }

    fn on_helo(&mut self, reply: OwnedReply) {
        if reply.code() / 100 == 2 {
            self.capabilities = Some(Capabilities::empty());
            self.after_hello();
        } else {
            self.refuse_hello();
        }
    }

    /// EHLO/HELO done: STARTTLS when wanted and offered, else ready.
    fn after_hello(&mut self) {
        let wants_tls = self.config.tls != TlsPolicy::Never && !self.tls_active;
        if wants_tls && self.offered(Extension::StartTls) {
            self.send_command(Pending::StartTls, b"STARTTLS".to_vec());
            return;
        }
        if self.config.tls == TlsPolicy::Required && !self.tls_active {
            return self.tls_unavailable();
        }
        self.phase = Phase::Ready;
        self.emit(Event::Ready);
    }

    fn tls_unavailable(&mut self) {
        self.close_after_quit = CloseReason::TlsUnavailable;
        self.phase = Phase::Quitting;
        self.send_command(Pending::Quit, b"QUIT".to_vec());
    }

    fn on_starttls(&mut self, reply: OwnedReply) {
        if reply.code() == 220 {
            if self.stream.pending() > 0 {
                // RFC 3207 §4: after 220 the next bytes must be the TLS handshake. Clear text
                // already buffered is an injection attempt (CVE-2011-0411 class): it is never
                // read, and no handshake is asked for.
                return self.protocol_error(
                    "the server sent clear-text data after agreeing to STARTTLS (a command injection attempt?)",
                );
            }
            self.phase = Phase::TlsHandshake;
            self.emit(Event::StartTls);
        } else if self.config.tls == TlsPolicy::Required {
            self.tls_unavailable();
        } else {
            // Opportunistic: go on in clear text with what EHLO said.
            self.phase = Phase::Ready;
            self.emit(Event::Ready);
        }
    }

    fn on_auth(&mut self, step: AuthStep, reply: OwnedReply, classification: Classification) {
        let creds = self.credentials.clone().expect("AUTH is sent with credentials");
        let mechanism = creds.mechanism.expect("the mechanism is chosen when AUTH is sent");
        match reply.code() {
            235 => {
                self.authenticated = Some(mechanism);
                self.credentials = None;
                self.phase = Phase::Ready;
                self.emit(Event::AuthSucceeded { mechanism });
            }
            334 => {
                let text = reply.reply().lines().last().map(|l| l.after_code().to_vec()).unwrap_or_default();
                let challenge = base64_decode(text.trim_ascii()).unwrap_or(text);
                self.emit(Event::AuthChallenge { challenge: challenge.clone() });
                let (next, line) = match (mechanism, step) {
                    (Mechanism::Login, AuthStep::Start) => (AuthStep::LoginUser, base64_encode(creds.user.as_bytes())),
                    (Mechanism::Login, AuthStep::LoginUser) => {
                        (AuthStep::LoginPassword, base64_encode(creds.secret.as_bytes()))
                    }
                    // PLAIN: an empty challenge asks for the response (server did not take the
                    // initial one).
                    (Mechanism::Plain, AuthStep::Start) => {
                        (AuthStep::Final, super::auth::plain_response(&creds.user, &creds.secret))
                    }
                    // XOAUTH2: a 334 carries an error description; an empty line ends the exchange
                    // (the server then sends 535).
                    (Mechanism::XOAuth2, _) => (AuthStep::Final, String::new()),
                    _ => {
                        // An unexpected further challenge: cancel (RFC 4954 §4).
                        (AuthStep::Final, "*".to_string())
                    }
                };
                self.send_command(Pending::Auth(next), line.into_bytes());
            }
            _ => {
                self.credentials = None;
                self.phase = Phase::Ready;
                self.emit(Event::AuthFailed { reply, classification });
            }
        }
    }

    fn on_mail(&mut self, reply: OwnedReply, classification: Classification) {
        let Some(txn) = self.txn.as_mut() else { return self.pump() };
        if reply.code() / 100 == 2 {
            txn.mail_ok = Some(true);
            txn.needs_rset = true;
        } else {
            txn.mail_ok = Some(false);
            // Pipelined RCPTs and DATA will get 503s; they are consequences of this one.
            self.fail_transaction_with(&reply, classification);
        }
        self.after_reply_in_transaction();
    }

    fn on_rcpt(&mut self, index: usize, reply: OwnedReply, classification: Classification) {
        let Some(txn) = self.txn.as_mut() else { return self.pump() };
        let finished = txn.finished;
        let Some(r) = txn.recipients.get_mut(index) else { return self.pump() };
        let address = r.address.clone();
        r.reply = Some(reply.clone());
        r.classification = Some(classification);
        if reply.code() / 100 == 2 {
            r.status = RecipientStatus::Accepted;
            if !finished {
                self.emit(Event::RecipientAccepted { index, address });
            }
        } else {
            r.status = if reply.code() / 100 == 4 { RecipientStatus::Deferred } else { RecipientStatus::Rejected };
            if !finished {
                self.emit(Event::RecipientRejected { index, address, reply, classification });
            }
        }
        self.after_reply_in_transaction();
    }

    fn on_data(&mut self, reply: OwnedReply, classification: Classification) {
        let Some(txn) = self.txn.as_mut() else { return self.pump() };
        let accepted = txn.recipients.iter().any(|r| r.status == RecipientStatus::Accepted);
        if reply.code() == 354 {
            if txn.finished || !accepted {
                // RFC 2920 §3.1: DATA was pipelined but no recipient is left: send an empty
                // message (a lone ".") so the server leaves the data state.
                self.out.extend_from_slice(b".\r\n");
                self.in_flight.push_back(Pending::DataEnd);
                if !txn.finished {
                    self.fail_no_recipients();
                }
                return;
            }
            self.phase = Phase::Body;
            self.emit(Event::ReadyForBody);
        } else {
            if !txn.finished {
                if accepted {
                    self.fail_transaction_with(&reply, classification);
                } else {
                    self.fail_no_recipients();
                }
            }
            self.after_reply_in_transaction();
        }
    }

    fn on_bdat(&mut self, last: bool, reply: OwnedReply, classification: Classification) {
        if reply.code() / 100 != 2 {
            // RFC 3030 §2: after a failed chunk, send no more; RSET is required.
            self.outbox.retain(|(p, _)| !matches!(p, Pending::Bdat { .. }));
            if self.txn.as_ref().is_some_and(|t| !t.finished) {
                self.fail_transaction_with(&reply, classification);
            }
        } else if last {
            return self.on_message_end(reply, classification);
        }
        let chunks_left = self.in_flight.iter().any(|p| matches!(p, Pending::Bdat { .. }));
        if self.txn.as_ref().is_some_and(|t| t.finished) && !chunks_left && self.phase != Phase::Body {
            self.after_transaction();
        }
        self.pump();
    }

    /// The final reply to the message (after `<CRLF>.<CRLF>` or `BDAT LAST`).
    fn on_message_end(&mut self, reply: OwnedReply, classification: Classification) {
        let Some(txn) = self.txn.as_mut() else { return self.pump() };
        if !txn.finished {
            txn.finished = true;
            let code = reply.code();
            let status = match code / 100 {
                2 => RecipientStatus::Accepted,
                4 => RecipientStatus::Deferred,
                _ => RecipientStatus::Rejected,
            };
            let recipients = txn
                .recipients
                .iter()
                .map(|r| {
                    if r.status == RecipientStatus::Accepted {
                        RecipientResult {
                            address: r.address.clone(),
                            status,
                            reply: Some(reply.clone()),
                            classification: Some(classification),
                        }
                    } else {
                        RecipientResult {
                            address: r.address.clone(),
                            status: r.status,
                            reply: r.reply.clone(),
                            classification: r.classification,
                        }
                    }
                })
                .collect();
            if code / 100 == 2 {
                txn.needs_rset = false;
                let queue_id = queue_id(&reply.text());
                self.emit(Event::MessageAccepted { reply, queue_id, recipients });
            } else {
                self.emit(Event::MessageRejected { reply: Some(reply), classification, recipients });
            }
        }
        self.after_transaction();
    }

    /// After a reply inside the envelope: when every reply is in, decide what comes next.
    fn after_reply_in_transaction(&mut self) {
        let Some(txn) = self.txn.as_ref() else { return self.pump() };
        if txn.finished {
            if self.in_flight.is_empty() && self.outbox.is_empty() && self.phase != Phase::Body {
                self.after_transaction();
            }
            return self.pump();
        }
        self.maybe_proceed_to_body();
        self.pump();
    }

    /// Once MAIL and every RCPT are answered and the host asked for the body: DATA (if not
    /// pipelined), BDAT (ready for body), or RSET when no recipient (or not all, when all or
    /// nothing) was accepted.
    pub(crate) fn maybe_proceed_to_body(&mut self) {
        let all_or_nothing = self.config.all_or_nothing;
        let Some(txn) = self.txn.as_ref() else { return };
        let waiting = txn.mail_ok.is_none() || txn.recipients.iter().any(|r| r.status == RecipientStatus::Pending);
        if !txn.data_requested || waiting || txn.data_sent || txn.finished {
            return;
        }
        let accepted = txn.recipients.iter().filter(|r| r.status == RecipientStatus::Accepted).count();
        if accepted == 0 {
            self.fail_no_recipients();
            return self.after_transaction();
        }
        if all_or_nothing && accepted < txn.recipients.len() {
            let text: &[u8] = b"550 5.0.0 Not every recipient was accepted (all-or-nothing); the message was not sent";
            let classification = classify(text, Some(Command::Rcpt));
            let recipients = self.recipient_results(RecipientStatus::Rejected);
            self.txn.as_mut().expect("checked").finished = true;
            self.emit(Event::MessageRejected { reply: None, classification, recipients });
            return self.after_transaction();
        }
        match txn.mode {
            BodyMode::Data => {
                self.txn.as_mut().expect("checked").data_sent = true;
                self.send_command(Pending::Data, b"DATA".to_vec());
            }
            BodyMode::Bdat => {
                self.phase = Phase::Body;
                self.emit(Event::ReadyForBody);
            }
        }
    }

    /// Every recipient as it stands; accepted ones get `accepted_becomes`.
    fn recipient_results(&self, accepted_becomes: RecipientStatus) -> Vec<RecipientResult> {
        let Some(txn) = self.txn.as_ref() else { return Vec::new() };
        txn.recipients
            .iter()
            .map(|r| RecipientResult {
                address: r.address.clone(),
                status: if r.status == RecipientStatus::Accepted { accepted_becomes } else { r.status },
                reply: r.reply.clone(),
                classification: r.classification,
            })
            .collect()
    }

    fn fail_no_recipients(&mut self) {
        let Some(txn) = self.txn.as_mut() else { return };
        if txn.finished {
            return;
        }
        txn.finished = true;
        // The message fails for the reasons the recipients failed; the first one stands for all.
        let first = txn.recipients.iter().find_map(|r| r.classification);
        let classification = first.unwrap_or_else(|| classify(b"554 5.5.1 No valid recipients", Some(Command::Data)));
        let recipients = self.recipient_results(RecipientStatus::Rejected);
        self.emit(Event::MessageRejected { reply: None, classification, recipients });
    }

    /// Reports the message as refused by `reply` (MAIL, DATA, a chunk, or 421).
    pub(crate) fn fail_transaction_with(&mut self, reply: &OwnedReply, classification: Classification) {
        let Some(txn) = self.txn.as_mut() else { return };
        if txn.finished {
            return;
        }
        txn.finished = true;
        // Commands of this transaction that were not sent yet (no pipelining) never will be.
        self.outbox.retain(|(p, _)| !matches!(p, Pending::Rcpt(_) | Pending::Data | Pending::Bdat { .. }));
        let becomes = if reply.code() / 100 == 4 { RecipientStatus::Deferred } else { RecipientStatus::Rejected };
        let recipients = self
            .txn
            .as_ref()
            .expect("checked")
            .recipients
            .iter()
            .map(|r| RecipientResult {
                address: r.address.clone(),
                status: match r.status {
                    RecipientStatus::Accepted | RecipientStatus::Pending => becomes,
                    s => s,
                },
                reply: if matches!(r.status, RecipientStatus::Accepted | RecipientStatus::Pending) {
                    Some(reply.clone())
                } else {
                    r.reply.clone()
                },
                classification: if matches!(r.status, RecipientStatus::Accepted | RecipientStatus::Pending) {
                    Some(classification)
                } else {
                    r.classification
                },
            })
            .collect();
        self.emit(Event::MessageRejected { reply: Some(reply.clone()), classification, recipients });
    }

    /// The transaction is over: RSET if the server may still hold it, then ready.
    pub(crate) fn after_transaction(&mut self) {
        if self.phase == Phase::Closed || self.phase == Phase::Quitting {
            return;
        }
        if !self.in_flight.is_empty()
            && self
                .in_flight
                .iter()
                .any(|p| matches!(p, Pending::Rcpt(_) | Pending::Data | Pending::Bdat { .. } | Pending::DataEnd))
        {
            return; // consequences still to come
        }
        // MAIL was accepted and no message was delivered: the server still holds a transaction.
        let needs_rset = self.txn.as_ref().is_some_and(|t| t.needs_rset);
        self.drop_transaction();
        self.phase = Phase::Ready;
        if needs_rset {
            self.send_command(Pending::Rset, b"RSET".to_vec());
        }
        self.pump();
    }
}

/// The queue id a 250 to the message reports, in the forms common MTAs use.
pub(crate) fn queue_id(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let token_after = |marker: &str| -> Option<String> {
        let p = lower.find(marker)? + marker.len();
        let tok: String =
            text[p..].trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || "-._@<>".contains(*c)).collect();
        let tok = tok.trim_matches(|c| c == '<' || c == '>' || c == '.').to_string();
        (!tok.is_empty()).then_some(tok)
    };
    // Postfix "queued as X", Exim "id=X", Exchange "InternalId=X", Gmail/others "... id X".
    for marker in ["queued as", "id=", "internalid=", "message-id:", "queued with id", "accepted, id"] {
        if let Some(t) = token_after(marker) {
            return Some(t);
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // Sendmail: "2.0.0 <id> Message accepted for delivery".
    if let Some(i) = lower.split_whitespace().collect::<Vec<_>>().iter().position(|w| *w == "message") {
        if lower.contains("message accepted for delivery") && i > 0 {
            let cand = words[i - 1].trim_matches(|c| c == '<' || c == '>');
            if cand.len() >= 6 && cand.chars().any(|c| c.is_ascii_digit()) && !cand.contains('.') {
                return Some(cand.to_string());
            }
        }
    }
    // qmail: "ok 1056550716 qp 7338".
    if let Some(i) = words.iter().position(|w| w.eq_ignore_ascii_case("qp")) {
        if i >= 1 && i + 1 < words.len() {
            return Some(format!("{} qp {}", words[i - 1], words[i + 1]));
        }
    }
    // Gmail: "OK 1700000000 a1si123.42 - gsmtp": the token before "- gsmtp".
    if lower.contains("gsmtp") {
        if let Some(i) = words.iter().position(|w| *w == "-") {
            if i >= 1 {
                return Some(words[i - 1].to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::queue_id;

    #[test]
    fn queue_ids() {
        assert_eq!(queue_id("2.0.0 Ok: queued as 4XyZ1234abc").as_deref(), Some("4XyZ1234abc"));
        assert_eq!(queue_id("OK id=1rABcD-000123-Xy").as_deref(), Some("1rABcD-000123-Xy"));
        assert_eq!(queue_id("2.0.0 q7JI1cHx012345 Message accepted for delivery").as_deref(), Some("q7JI1cHx012345"));
        assert_eq!(queue_id("ok 1056550716 qp 7338").as_deref(), Some("1056550716 qp 7338"));
        assert_eq!(queue_id("2.0.0 OK  1700000000 a1si1234567qkb.42 - gsmtp").as_deref(), Some("a1si1234567qkb.42"));
        assert_eq!(
            queue_id("2.6.0 <x@y> [InternalId=12345678, Hostname=AM0PR] Queued mail for delivery").as_deref(),
            Some("12345678")
        );
        assert_eq!(queue_id("Message accepted for delivery"), None);
        assert_eq!(queue_id("OK"), None);
    }
}
