//! The outcome vocabulary: why a reply failed (reason), how bad it is (bounce), what to do (action).
//!
//! The 26 reasons are those of `shared/reference/classification.md`; their numbers are stable (C sees
//! them as `SMTPREPLY_REASON_*`).

use crate::text::Text;

/// Why a reply did not (or did) succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Reason {
    Success = 0,
    UserUnknown = 1,
    MailboxDisabled = 2,
    MailboxFull = 3,
    DomainUnknown = 4,
    MessageTooLarge = 5,
    ContentRejected = 6,
    SpamDetected = 7,
    VirusDetected = 8,
    IpReputation = 9,
    Blocklisted = 10,
    PolicyRejected = 11,
    SenderAuthFailed = 12,
    SenderRejected = 13,
    RelayDenied = 14,
    AuthRequired = 15,
    TlsRequired = 16,
    RateLimited = 17,
    TooManyConnections = 18,
    Greylisted = 19,
    SystemError = 20,
    SystemFull = 21,
    NetworkError = 22,
    Expired = 23,
    SyntaxError = 24,
    Unknown = 25,
}

/// How a failure counts for the address: not at all, for now, or for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Bounce {
    None = 0,
    Soft = 1,
    Hard = 2,
}

/// What the sending side should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Action {
    /// Nothing: accepted, or a consequence of another failure.
    None = 0,
    /// Keep the message and try again later.
    RetryLater = 1,
    /// The address is bad: stop sending to it.
    RemoveRecipient = 2,
    /// The sender's setup is at fault (authentication, TLS, relay, SPF/DKIM/DMARC, PTR/HELO): fix it
    /// and keep the address.
    FixSenderSetup = 3,
    /// The message itself is refused (size, content): change it.
    FixMessage = 4,
    /// Only the receiving side can lift it (blocklist, reputation, policy): contact them.
    ContactReceiver = 5,
    /// The client program broke the protocol (syntax, sequence): fix the program.
    FixClient = 6,
}

pub(crate) struct ReasonInfo {
    /// The row's reason (the table is indexed by it; a test checks the order).
    pub(crate) reason: Reason,
    pub(crate) name: Text,
    /// Conditions that clear by themselves: soft even when the server said 5xx.
    pub(crate) clears_by_itself: bool,
    pub(crate) action: Action,
    pub(crate) explanation: Text,
    pub(crate) advice: Text,
}

macro_rules! reasons {
    ($( $r:ident, $name:literal, $clears:literal, $action:ident, $expl:literal, $advice:literal; )*) => {
        pub(crate) static REASONS: &[ReasonInfo] = &[$(ReasonInfo {
            reason: Reason::$r,
            name: text!($name),
            clears_by_itself: $clears,
            action: Action::$action,
            explanation: text!($expl),
            advice: text!($advice),
        }),*];
    };
}

reasons! {
    Success, "success", false, None,
        "The server accepted the command or the message.",
        "Nothing to do.";
    UserUnknown, "user_unknown", false, RemoveRecipient,
        "The recipient's mailbox does not exist at the receiving server: the address is misspelt, the account was closed, or the person has moved without a forwarding address.",
        "Check the address for typos. If it is right, it is no longer valid: remove it from your list and ask the person for a current address.";
    MailboxDisabled, "mailbox_disabled", false, RemoveRecipient,
        "The mailbox exists but does not take mail: it has been disabled, suspended, locked or left inactive by its owner or provider.",
        "Stop sending to this address for now; if it is a contact you need, reach the person another way. Remove it from bulk lists.";
    MailboxFull, "mailbox_full", true, RetryLater,
        "The recipient's mailbox is over its storage quota, so new mail cannot be stored until the owner makes room.",
        "Let your program retry later. If it keeps bouncing for days, the mailbox is probably abandoned: remove the address.";
    DomainUnknown, "domain_unknown", false, RemoveRecipient,
        "The part of the address after the @ is not a domain that receives mail: it does not exist, has no mail server, or declares that it accepts no mail.",
        "Check the domain for typos (gmial.com, hotmial.com). If it is right, the address cannot receive mail: remove it.";
    MessageTooLarge, "message_too_large", false, FixMessage,
        "The message is larger than the receiving server or the recipient's mailbox allows.",
        "Send a smaller message: compress or remove attachments, or share large files by link.";
    ContentRejected, "content_rejected", false, FixMessage,
        "The receiving server refused the message because of how it is built: malformed or duplicate headers, missing From, non-standard encoding, over-long lines, or a forbidden kind of attachment.",
        "Fix the message: make the headers standard (one From, one Subject, valid dates), encode 8-bit text properly, and avoid executable or blocked attachment types.";
    SpamDetected, "spam_detected", false, FixMessage,
        "A spam filter at the receiving server judged the message to be spam, bulk or phishing.",
        "Review the content and links (URL shorteners, misleading text, image-only mail), make sure recipients asked for the mail, and authenticate your domain with SPF, DKIM and DMARC before resending.";
    VirusDetected, "virus_detected", false, FixMessage,
        "The receiving server found malware, or an attachment it treats as dangerous, in the message.",
        "Scan the sending computer and the attachment for malware; send documents in a safe format or by link.";
    IpReputation, "ip_reputation", false, ContactReceiver,
        "The receiving server refuses mail from the sending server's IP address or domain because of its own reputation data or blocklist (not a public blocklist).",
        "Contact the receiving provider through its postmaster or delisting page; check the sending server for compromised accounts or open relays; ask your provider or ISP if you share its servers.";
    Blocklisted, "blocklisted", false, ContactReceiver,
        "The sending server's IP address or domain is listed on a public blocklist (such as Spamhaus, SpamCop or Barracuda), and the receiving server checks that list.",
        "Look up the address on the named list's website, fix the cause (compromised account, open relay, missing PTR), and request removal; until then send through another server.";
    PolicyRejected, "policy_rejected", false, ContactReceiver,
        "The receiving server refused the mail under a local policy: reverse DNS or HELO name checks, client access rules, countries or networks it does not accept, or a generic policy block.",
        "Read the reply for the policy named. For reverse DNS (PTR) or HELO problems, fix the sending server's DNS and host name; for other policies, contact the receiving postmaster.";
    SenderAuthFailed, "sender_auth_failed", false, FixSenderSetup,
        "The message failed the checks that prove it comes from the sending domain (SPF, DKIM, DMARC or ARC), or was treated as spoofing.",
        "Publish SPF and DKIM records that cover every server sending for your domain, sign with DKIM, and align them with the From domain under your DMARC policy.";
    SenderRejected, "sender_rejected", false, FixSenderSetup,
        "The receiving server refused the envelope sender (MAIL FROM): its domain does not exist, sender verification failed, or that sender is not allowed.",
        "Send from an address in a real, mail-receiving domain that your server is allowed to use; check the configured sender and bounce address.";
    RelayDenied, "relay_denied", false, FixSenderSetup,
        "The server will not pass the message on: it is not responsible for the recipient's domain and does not know you as a sender it relays for.",
        "Send through your own provider's outgoing server with authentication, or check that the recipient domain is hosted where you think it is.";
    AuthRequired, "auth_required", false, FixSenderSetup,
        "The server requires SMTP authentication, or refused the credentials given.",
        "Turn on SMTP authentication in the mail program and check the user name and password (or app password); too many failures may lock the account for a while.";
    TlsRequired, "tls_required", false, FixSenderSetup,
        "The server requires an encrypted (TLS) connection, or the TLS negotiation failed.",
        "Enable STARTTLS or SSL/TLS in the mail program's server settings, on the port the provider documents.";
    RateLimited, "rate_limited", true, RetryLater,
        "The receiving side is throttling: too much mail from this sender, to this recipient, or in too short a time.",
        "Slow down and let the program retry later; spread bulk sending over time and stay within the provider's published limits.";
    TooManyConnections, "too_many_connections", true, RetryLater,
        "The server is limiting connections, concurrent sessions or recipients per message from this sender.",
        "Open fewer connections at once, send fewer recipients per message, and let the program retry later.";
    Greylisted, "greylisted", true, RetryLater,
        "The server is greylisting: it turns away a first attempt from an unknown sender on purpose and accepts the retry after a delay.",
        "Nothing is wrong: a proper mail server retries automatically, usually within minutes.";
    SystemError, "system_error", false, RetryLater,
        "The receiving server had an internal problem or is not available at the moment.",
        "Let the program retry later. If a permanent error repeats, contact the receiving postmaster.";
    SystemFull, "system_full", true, RetryLater,
        "The receiving server is out of storage or other resources.",
        "Let the program retry later; the condition usually clears when the receiver fixes its system.";
    NetworkError, "network_error", false, RetryLater,
        "A network or routing problem: DNS lookups failing, connections timing out or refused, or the message looping between servers.",
        "Let the program retry later. For a mail loop, check forwarding rules and MX records on both sides.";
    Expired, "expired", true, ContactReceiver,
        "The message stayed undelivered for too long and the sending system gave up retrying.",
        "The earlier attempts failed temporarily until time ran out: check whether the receiving server is reachable and accepting mail, then resend.";
    SyntaxError, "syntax_error", false, FixClient,
        "The client program sent a command the server did not understand, with bad parameters, or in the wrong order.",
        "This is a bug or misconfiguration of the sending program, not of the address: update or reconfigure it.";
    Unknown, "unknown", false, ContactReceiver,
        "The reply does not say why the message was refused.",
        "If the code starts with 4, let the program retry. If it starts with 5, contact the receiving postmaster with the full reply before resending.";
}

impl Reason {
    /// Every reason, in numeric order.
    pub const ALL: [Reason; 26] = [
        Reason::Success,
        Reason::UserUnknown,
        Reason::MailboxDisabled,
        Reason::MailboxFull,
        Reason::DomainUnknown,
        Reason::MessageTooLarge,
        Reason::ContentRejected,
        Reason::SpamDetected,
        Reason::VirusDetected,
        Reason::IpReputation,
        Reason::Blocklisted,
        Reason::PolicyRejected,
        Reason::SenderAuthFailed,
        Reason::SenderRejected,
        Reason::RelayDenied,
        Reason::AuthRequired,
        Reason::TlsRequired,
        Reason::RateLimited,
        Reason::TooManyConnections,
        Reason::Greylisted,
        Reason::SystemError,
        Reason::SystemFull,
        Reason::NetworkError,
        Reason::Expired,
        Reason::SyntaxError,
        Reason::Unknown,
    ];

    pub(crate) fn info(self) -> &'static ReasonInfo {
        let info = &REASONS[self as usize];
        debug_assert_eq!(info.reason, self);
        info
    }
    /// The taxonomy name, e.g. `"user_unknown"`.
    pub fn name(self) -> &'static str {
        self.info().name.as_str()
    }
    /// The reason with this number.
    pub fn from_u32(n: u32) -> Option<Reason> {
        Reason::ALL.get(n as usize).copied()
    }
    /// The reason with this taxonomy name.
    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.iter().copied().find(|r| r.name() == name)
    }
    /// Plain-language explanation.
    pub fn explanation(self) -> &'static str {
        self.info().explanation.as_str()
    }
    /// What to do.
    pub fn advice(self) -> &'static str {
        self.info().advice.as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        self.info().name
    }
    pub(crate) fn explanation_text(self) -> Text {
        self.info().explanation
    }
    pub(crate) fn advice_text(self) -> Text {
        self.info().advice
    }
    /// Whether the condition clears by itself (soft even for a 5xx reply).
    pub fn clears_by_itself(self) -> bool {
        self.info().clears_by_itself
    }
}

impl Bounce {
    pub const ALL: [Bounce; 3] = [Bounce::None, Bounce::Soft, Bounce::Hard];
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Bounce::None => text!("none"),
            Bounce::Soft => text!("soft"),
            Bounce::Hard => text!("hard"),
        }
    }
    pub fn from_u32(n: u32) -> Option<Bounce> {
        Bounce::ALL.get(n as usize).copied()
    }
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::None,
        Action::RetryLater,
        Action::RemoveRecipient,
        Action::FixSenderSetup,
        Action::FixMessage,
        Action::ContactReceiver,
        Action::FixClient,
    ];
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Action::None => text!("none"),
            Action::RetryLater => text!("retry_later"),
            Action::RemoveRecipient => text!("remove_recipient"),
            Action::FixSenderSetup => text!("fix_sender_setup"),
            Action::FixMessage => text!("fix_message"),
            Action::ContactReceiver => text!("contact_receiver"),
            Action::FixClient => text!("fix_client"),
        }
    }
    pub fn from_u32(n: u32) -> Option<Action> {
        Action::ALL.get(n as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_the_enum_and_the_taxonomy() {
        assert_eq!(REASONS.len(), 26);
        for (i, info) in REASONS.iter().enumerate() {
            assert_eq!(info.reason as usize, i);
            assert_eq!(Reason::from_u32(i as u32), Some(info.reason));
            assert_eq!(Reason::from_name(info.name.as_str()), Some(info.reason));
            assert_ne!(info.explanation, info.advice);
        }
        // The reasons that classification.md says are soft even as 5xx.
        let soft: Vec<Reason> = Reason::ALL.iter().copied().filter(|r| r.clears_by_itself()).collect();
        assert_eq!(
            soft,
            vec![
                Reason::MailboxFull,
                Reason::RateLimited,
                Reason::TooManyConnections,
                Reason::Greylisted,
                Reason::SystemFull,
                Reason::Expired
            ]
        );
        assert_eq!(Reason::from_u32(26), None);
        assert_eq!(Reason::from_name("nonsense"), None);
    }
}
