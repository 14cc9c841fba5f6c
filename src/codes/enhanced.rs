//! The enhanced status codes (RFC 3463; IANA "SMTP Enhanced Status Codes" registry, X.0.0 to
//! X.7.30), with the class and subject tables that describe codes outside the registry.

use crate::text::Text;

/// How the RFC text says a code may be used (RFC 3463 §3; reference §B.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Usage {
    /// No restriction stated.
    Any = 0,
    /// "useful only as a permanent error".
    PermanentOnly = 1,
    /// "useful only as a persistent transient error".
    TransientOnly = 2,
    /// Permanent or persistent transient.
    PermanentOrTransient = 3,
    /// Positive delivery reports only (X.1.5).
    SuccessOnly = 4,
    /// Success (as a warning) or permanent (X.6.4).
    SuccessOrPermanent = 5,
}

/// A class (first field) of enhanced status codes.
#[derive(Clone, Copy, Debug)]
pub struct EnhancedClass {
    pub class: u8,
    /// Registry name: "Success", "Persistent Transient Failure", "Permanent Failure".
    pub name: Text,
    pub description: Text,
    pub explanation: Text,
    pub advice: Text,
}

/// A subject (second field) of enhanced status codes.
#[derive(Clone, Copy, Debug)]
pub struct EnhancedSubject {
    pub subject: u16,
    /// Registry name, e.g. "Addressing Status".
    pub name: Text,
    pub description: Text,
    pub explanation: Text,
    pub advice: Text,
}

/// One row of the enhanced status code registry (class-independent: X.subject.detail).
#[derive(Clone, Copy, Debug)]
pub struct EnhancedEntry {
    pub subject: u16,
    pub detail: u16,
    /// The registry's sample text (RFC 3463 §3 heading), e.g. "Bad destination mailbox address".
    pub name: Text,
    /// The registry's description.
    pub description: Text,
    /// The name in RFC 1893 / RFC 3463 Appendix A, where it differs from `name`.
    pub rfc1893_name: Option<Text>,
    /// The associated basic status codes, as the registry lists them.
    pub basic_codes: Text,
    /// Defining document and section, e.g. "RFC 3463 §3.2".
    pub reference: Text,
    pub usage: Usage,
    /// Deprecated by the registry (X.6.10).
    pub deprecated: bool,
    /// Plain-language explanation for an end user.
    pub explanation: Text,
    /// What to do about it.
    pub advice: Text,
}

pub static CLASSES: &[EnhancedClass] = &[
    EnhancedClass {
        class: 2,
        name: text!("Success"),
        description: text!("Success specifies that the DSN is reporting a positive delivery action. Detail sub-codes may provide notification of transformations required for delivery."),
        explanation: text!("The message was accepted or delivered. The rest of the code can add a detail, for example that the message had to be converted on the way."),
        advice: text!("Nothing to do."),
    },
    EnhancedClass {
        class: 4,
        name: text!("Persistent Transient Failure"),
        description: text!("A persistent transient failure is one in which the message as sent is valid, but persistence of some temporary condition has caused abandonment or delay of attempts to send the message. If this code accompanies a delivery failure report, sending in the future may be successful."),
        explanation: text!("The message has not been delivered, but nothing is wrong with the message itself: a temporary condition stood in the way. Mail servers keep such messages in their queue and try again later, and a later attempt may succeed."),
        advice: text!("Usually nothing: the sending server retries on its own, often for several days. If you receive a final failure report, or the delay goes on, contact the recipient's mail administrator with the full text of the reply."),
    },
    EnhancedClass {
        class: 5,
        name: text!("Permanent Failure"),
        description: text!("A permanent failure is one which is not likely to be resolved by resending the message in the current form. Some change to the message or the destination must be made for successful delivery."),
        explanation: text!("The message was refused or could not be delivered, and sending it again unchanged will fail the same way. Something about the address, the message or the sender has to change first."),
        advice: text!("Do not simply resend. Read the rest of the code and the text of the reply for the reason, correct the address or the message, and if the cause is unclear contact the recipient's mail administrator (postmaster) with the full reply."),
    },
];

pub static SUBJECTS: &[EnhancedSubject] = &[
    EnhancedSubject {
        subject: 0,
        name: text!("Other or Undefined Status"),
        description: text!("There is no additional subject information available."),
        explanation: text!("The code says nothing about what kind of problem occurred; the text after the code is the only guide."),
        advice: text!("Read the text of the reply. If it does not explain the problem, contact the receiving server's administrator with the full reply."),
    },
    EnhancedSubject {
        subject: 1,
        name: text!("Addressing Status"),
        description: text!("The address status reports on the originator or destination address. It may include address syntax or validity. These errors can generally be corrected by the sender and retried."),
        explanation: text!("The problem concerns an address on the message, the recipient's or the sender's, for example its spelling, its form or whether it exists. Such problems can usually be fixed on the sending side."),
        advice: text!("Check the recipient and sender addresses for typos and completeness, then send again."),
    },
    EnhancedSubject {
        subject: 2,
        name: text!("Mailbox Status"),
        description: text!("Mailbox status indicates that something having to do with the mailbox has caused this DSN. Mailbox issues are assumed to be under the general control of the recipient."),
        explanation: text!("The problem concerns the recipient's mailbox, for example a full or disabled mailbox. Such issues are generally in the recipient's hands."),
        advice: text!("Let the recipient know by another channel that mail to their address is failing, and quote the reply."),
    },
    EnhancedSubject {
        subject: 3,
        name: text!("Mail System Status"),
        description: text!("Mail system status indicates that something having to do with the destination system has caused this DSN. System issues are assumed to be under the general control of the destination system administrator."),
        explanation: text!("The problem lies in the receiving mail system as a whole, for example its storage, its size limits or its configuration. It is generally for that system's administrator to fix."),
        advice: text!("Check the size of the message; otherwise let the sending server retry, or contact the receiving system's administrator with the full reply."),
    },
    EnhancedSubject {
        subject: 4,
        name: text!("Network and Routing Status"),
        description: text!("The networking or routing codes report status about the delivery system itself. These system components include any necessary infrastructure such as directory and routing services. Network issues are assumed to be under the control of the destination or intermediate system administrator."),
        explanation: text!("The problem concerns the network between the mail servers: DNS lookups, connections, routing or the time allowed for delivery."),
        advice: text!("Check the recipient's domain for typos. Otherwise such problems are for the administrators of the servers involved: let the sending program retry and report failures that persist."),
    },
    EnhancedSubject {
        subject: 5,
        name: text!("Mail Delivery Protocol Status"),
        description: text!("The mail delivery protocol status codes report failures involving the message delivery protocol. These failures include the full range of problems resulting from implementation errors or an unreliable connection. Mail delivery protocol issues may be controlled by many parties including the originating system, destination system, or intermediate system administrators."),
        explanation: text!("The problem concerns the exchange between the two mail systems, such as commands the server did not understand or accept. It usually indicates a software fault, an incompatible setting or an unreliable connection."),
        advice: text!("Check the sending program's server settings (port, encryption, login) and report the full reply to the administrator or developer of the sending software."),
    },
    EnhancedSubject {
        subject: 6,
        name: text!("Message Content or Media Status"),
        description: text!("The message content or media status codes report failures involving the content of the message. These codes report failures due to translation, transcoding, or otherwise unsupported message media."),
        explanation: text!("The problem concerns the content of the message: its format, its encoding or its attachments, or a conversion it needed on the way."),
        advice: text!("Try sending the content in a simpler, common format, such as plain text with standard attachments, or without the attachment."),
    },
    EnhancedSubject {
        subject: 7,
        name: text!("Security or Policy Status"),
        description: text!("The security or policy status codes report failures involving policies such as per-recipient or per-host filtering and cryptographic operations. Security and policy status issues are assumed to be under the control of either or both the sender and recipient."),
        explanation: text!("The problem concerns security or policy: login, encryption, spam filtering, sender reputation, or rules about who may send to whom."),
        advice: text!("Read the text of the reply for the specific policy. Check your mail program's login settings and, if you run the sending domain, its SPF, DKIM and DMARC records; contact the recipient's postmaster if the cause is unclear."),
    },
];

/// The registry, sorted by (subject, detail).
pub static ENHANCED_CODES: &[EnhancedEntry] = &[
    // X.0: Other or Undefined Status
    // X.0.0
    // RFC 1893 / RFC 3463 Appendix A do not list X.0.0 in the collected list.
    EnhancedEntry {
        subject: 0,
        detail: 0,
        name: text!("Other undefined Status"),
        description: text!("Other undefined status is the only undefined error code."),
        rfc1893_name: None,
        basic_codes: text!("Any"),
        reference: text!("RFC 3463 §3.1"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The server gave no specific reason in the code itself: X.0.0 is the catch-all used when nothing more precise applies. The text that follows the code usually says what actually happened."),
        advice: text!("Read the text after the code. If it does not explain the problem, contact the receiving server's administrator (postmaster) and include the full reply."),
    },
    // X.1: Addressing Status
    // X.1.0
    EnhancedEntry {
        subject: 1,
        detail: 0,
        name: text!("Other address status"),
        description: text!("Something about the address specified in the message caused this DSN."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("Something about one of the addresses on the message, the sender's or a recipient's, caused the problem, but the server did not say exactly what."),
        advice: text!("Check the sender and recipient addresses for typos and make sure they are complete. The text of the reply often names the address that was refused."),
    },
    // X.1.1
    // The registry lists 451 although RFC 3463 calls X.1.1 useful only for permanent failures.
    EnhancedEntry {
        subject: 1,
        detail: 1,
        name: text!("Bad destination mailbox address"),
        description: text!("The mailbox specified in the address does not exist."),
        rfc1893_name: None,
        basic_codes: text!("451, 550"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The receiving server says the recipient's mailbox does not exist: the part of the address before the @ is unknown there. The usual causes are a typo, an account that has been closed, or an old address that is no longer in use."),
        advice: text!("Check the spelling of the recipient address, especially the part before the @. If it is correct, ask the recipient by other means for their current address."),
    },
    // X.1.2
    EnhancedEntry {
        subject: 1,
        detail: 2,
        name: text!("Bad destination system address"),
        description: text!("The destination system specified in the address does not exist or is incapable of accepting mail."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The domain of the recipient address, the part after the @, does not exist or does not accept mail. Typical causes are a misspelled domain such as gmial.com, or a domain that has expired or has no mail service set up."),
        advice: text!("Check the spelling of the domain after the @. If it is right, the recipient's organisation has to fix the mail (MX) records of its domain; let them know by other means."),
    },
    // X.1.3
    EnhancedEntry {
        subject: 1,
        detail: 3,
        name: text!("Bad destination mailbox address syntax"),
        description: text!("The destination address was syntactically invalid."),
        rfc1893_name: None,
        basic_codes: text!("501"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The recipient address is not written in a valid form, so the server cannot interpret it at all. Common causes are spaces, a missing or doubled @, stray punctuation, or a display name pasted into the address."),
        advice: text!("Write the recipient address in the plain form name@example.com, without extra characters, and send again."),
    },
    // X.1.4
    EnhancedEntry {
        subject: 1,
        detail: 4,
        name: text!("Destination mailbox address ambiguous"),
        description: text!("The mailbox address as specified matches one or more recipients on the destination system."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The recipient address matches more than one mailbox on the receiving system, so the server cannot tell which person is meant. This happens on systems that try to match incomplete or approximate names."),
        advice: text!("Use the recipient's full, exact address rather than a shortened or partial one; ask the recipient for it if necessary."),
    },
    // X.1.5
    EnhancedEntry {
        subject: 1,
        detail: 5,
        name: text!("Destination address valid"),
        description: text!("This mailbox address as specified was valid."),
        rfc1893_name: Some(text!("Destination mailbox address valid")),
        basic_codes: text!("250"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::SuccessOnly,
        deprecated: false,
        explanation: text!("This is a positive report: the recipient address was checked and found valid. It appears in successful replies and delivery reports, not in errors."),
        advice: text!("Nothing to do."),
    },
    // X.1.6
    EnhancedEntry {
        subject: 1,
        detail: 6,
        name: text!("Destination mailbox has moved, No forwarding address"),
        description: text!("The mailbox address provided was at one time valid, but mail is no longer being accepted for that address."),
        rfc1893_name: Some(text!("Mailbox has moved")),
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The recipient address used to work, but the mailbox no longer accepts mail and the server knows no new address to forward it to. This is typical after someone leaves an organisation or changes provider."),
        advice: text!("Find out the recipient's new address by other means and update your address book. Sending again to the old address will not help."),
    },
    // X.1.7
    EnhancedEntry {
        subject: 1,
        detail: 7,
        name: text!("Bad sender's mailbox address syntax"),
        description: text!("The sender's address was syntactically invalid."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The sender address of the message, yours or the one your program puts on outgoing mail, is not in a valid form. It usually comes from a misconfigured mail program or a script that sends with a malformed sender or return address."),
        advice: text!("Check the sender address set in your mail program or application and correct it to a plain, valid address. If you did not set it yourself, tell whoever runs the sending system."),
    },
    // X.1.8
    EnhancedEntry {
        subject: 1,
        detail: 8,
        name: text!("Bad sender's system address"),
        description: text!("The sender's system specified in the address does not exist or is incapable of accepting return mail."),
        rfc1893_name: None,
        basic_codes: text!("451, 501"),
        reference: text!("RFC 3463 §3.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The domain of the sender address does not exist or cannot receive mail, so the receiving server will not accept messages from it. Servers check this because replies and bounce messages could never reach such a sender."),
        advice: text!("Send from an address whose domain is registered and has working mail (MX or address) records in DNS. Made-up or internal domain names, such as example.local, are refused by most servers."),
    },
    // X.1.9
    EnhancedEntry {
        subject: 1,
        detail: 9,
        name: text!("Message relayed to non-compliant mailer"),
        description: text!("The mailbox address specified was valid, but the message has been relayed to a system that does not speak this protocol; no further information can be provided."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3886"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The recipient address was valid and the message was passed on, but to a system that does not report back on delivery. No further confirmation can be given."),
        advice: text!("Nothing needs to be done. If you need to know that the message arrived, ask the recipient."),
    },
    // X.1.10
    EnhancedEntry {
        subject: 1,
        detail: 10,
        name: text!("Recipient address has null MX"),
        description: text!("This status code is returned when the associated address is marked as invalid using a null MX."),
        rfc1893_name: None,
        basic_codes: text!("556"),
        reference: text!("RFC 7505; RFC 7504"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The recipient's domain publishes a \"null MX\" record in DNS, an explicit statement that the domain never receives email. No address at that domain can be delivered to."),
        advice: text!("Check the domain of the recipient address for typos. If it is correct, reach the recipient another way: their domain does not accept email at all."),
    },
    // X.2: Mailbox Status
    // X.2.0
    EnhancedEntry {
        subject: 2,
        detail: 0,
        name: text!("Other or undefined mailbox status"),
        description: text!("The mailbox exists, but something about the destination mailbox has caused the sending of this DSN."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.3"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The recipient's mailbox exists, but something about it prevented delivery; the server did not say exactly what."),
        advice: text!("Read the text after the code for details. If it does not help, let the recipient know by other means that mail to them is failing."),
    },
    // X.2.1
    EnhancedEntry {
        subject: 2,
        detail: 1,
        name: text!("Mailbox disabled, not accepting messages"),
        description: text!("The mailbox exists, but is not accepting messages."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.3"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("The recipient's mailbox exists but has been switched off for incoming mail, for example because the account is suspended, inactive or being closed."),
        advice: text!("Contact the recipient by another channel and ask whether the address is still in use. Sending again only helps once their mailbox has been re-enabled."),
    },
    // X.2.2
    EnhancedEntry {
        subject: 2,
        detail: 2,
        name: text!("Mailbox full"),
        description: text!("The mailbox is full because the user has exceeded a per-mailbox administrative quota or physical capacity."),
        rfc1893_name: None,
        basic_codes: text!("552"),
        reference: text!("RFC 3463 §3.3"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("The recipient's mailbox has reached its storage limit (quota), so there is no room for new messages. Only the recipient, or their provider, can fix this by deleting mail or adding space."),
        advice: text!("Tell the recipient by other means that their mailbox is full, and send again once they have made room. If the code starts with 4, the sending server keeps retrying on its own for a while."),
    },
    // X.2.3
    EnhancedEntry {
        subject: 2,
        detail: 3,
        name: text!("Message length exceeds administrative limit"),
        description: text!("A per-mailbox administrative message length limit has been exceeded."),
        rfc1893_name: Some(text!("Message length exceeds administrative limit.")),
        basic_codes: text!("552"),
        reference: text!("RFC 3463 §3.3"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The message is larger than the recipient's mailbox is allowed to accept. Large attachments are the usual cause; the limit is set per mailbox by the recipient's provider."),
        advice: text!("Reduce the size of the message, for example by compressing attachments or sending a link to a file-sharing service instead, and send again."),
    },
    // X.2.4
    EnhancedEntry {
        subject: 2,
        detail: 4,
        name: text!("Mailing list expansion problem"),
        description: text!("The mailbox is a mailing list address and the mailing list was unable to be expanded."),
        rfc1893_name: None,
        basic_codes: text!("450, 452"),
        reference: text!("RFC 3463 §3.3"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("The address belongs to a mailing list, and the list server could not work out or reach the list of members. The problem lies with the list, not with the message."),
        advice: text!("Contact the owner of the mailing list, often reachable at the list's -owner or -request address, and tell them which list failed and what the reply said."),
    },
    // X.3: Mail System Status
    // X.3.0
    EnhancedEntry {
        subject: 3,
        detail: 0,
        name: text!("Other or undefined mail system status"),
        description: text!("The destination system exists and normally accepts mail, but something about the system has caused the generation of this DSN."),
        rfc1893_name: None,
        basic_codes: text!("221, 250, 421, 451, 550, 554"),
        reference: text!("RFC 3463 §3.4"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The receiving mail system normally accepts mail, but a problem on that system got in the way and the code does not say what. Causes range from a disk or software fault to a server shutting down or restarting."),
        advice: text!("Read the text of the reply for details. If the failure repeats, contact the receiving server's administrator with the full reply."),
    },
    // X.3.1
    EnhancedEntry {
        subject: 3,
        detail: 1,
        name: text!("Mail system full"),
        description: text!("Mail system storage has been exceeded."),
        rfc1893_name: None,
        basic_codes: text!("452"),
        reference: text!("RFC 3463 §3.4"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("The receiving server has run out of storage for mail as a whole, not just for one mailbox. The recipient cannot fix this alone; the server's administrators have to free space."),
        advice: text!("Let the sending server retry later. If the problem lasts, tell the recipient or their mail administrator by other means."),
    },
    // X.3.2
    // RFC 7504 adds basic code 521. 453 is the ATRN reply (RFC 2645, "You have no mail").
    EnhancedEntry {
        subject: 3,
        detail: 2,
        name: text!("System not accepting network messages"),
        description: text!("The host on which the mailbox is resident is not accepting messages."),
        rfc1893_name: None,
        basic_codes: text!("453, 521"),
        reference: text!("RFC 3463 §3.4; RFC 7504"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("The server that holds the recipient's mailbox is not accepting mail, for example during maintenance, a shutdown or overload, or because the host is set up never to receive mail (RFC 7504's 521 reply)."),
        advice: text!("If the code starts with 4, let your mail program retry later. If it continues, check that you are sending to the right domain and contact the recipient's mail administrator."),
    },
    // X.3.3
    EnhancedEntry {
        subject: 3,
        detail: 3,
        name: text!("System not capable of selected features"),
        description: text!("Selected features specified for the message are not supported by the destination system."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.4"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message asked for a feature that the receiving system does not support, such as a particular delivery option or extension. It mostly happens at gateways between different kinds of mail systems."),
        advice: text!("Send the message again without special delivery options such as delivery notifications or priority settings. If an application sends the mail, ask its administrator which feature it requested."),
    },
    // X.3.4
    EnhancedEntry {
        subject: 3,
        detail: 4,
        name: text!("Message too big for system"),
        description: text!("The message is larger than per-message size limit."),
        rfc1893_name: None,
        basic_codes: text!("552, 554"),
        reference: text!("RFC 3463 §3.4"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The message is larger than the receiving server accepts for any single message. Attachments are the usual reason: many servers accept 10 to 50 MB, and encoding for email makes attachments about a third larger than the original files."),
        advice: text!("Make the message smaller by compressing or removing attachments, or share large files through a download link, then send again."),
    },
    // X.3.5
    // Absent from the RFC 1893 / RFC 3463 Appendix A collected list.
    EnhancedEntry {
        subject: 3,
        detail: 5,
        name: text!("System incorrectly configured"),
        description: text!("The system is not configured in a manner that will permit it to accept this message."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.4"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The receiving system is set up in a way that does not let it accept this message. The fault is in that system's configuration, not in the message."),
        advice: text!("Contact the recipient's mail administrator (postmaster) with the full text of the reply; only they can correct the configuration."),
    },
    // X.3.6
    EnhancedEntry {
        subject: 3,
        detail: 6,
        name: text!("Requested priority was changed"),
        description: text!("The message was accepted for relay/delivery, but the requested priority (possibly the implied default) was not honoured."),
        rfc1893_name: None,
        basic_codes: text!("250 or 251"),
        reference: text!("RFC 6710"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message was accepted, but the server did not honour the priority that was requested for it, or the default priority it implied. It is handled with a different priority."),
        advice: text!("Nothing is required. If priority handling matters, check the priority settings of the sending program or agree on them with the receiving organisation."),
    },
    // X.4: Network and Routing Status
    // X.4.0
    EnhancedEntry {
        subject: 4,
        detail: 0,
        name: text!("Other or undefined network or routing status"),
        description: text!("Something went wrong with the networking, but it is not clear what the problem is, or the problem cannot be well expressed with any of the other provided detail codes."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("Something went wrong on the network path between the mail servers, and the server could not say exactly what. Connection trouble, DNS problems and routing errors are typical causes."),
        advice: text!("Let your mail program retry. If the error keeps coming back, give the full reply to your mail administrator or provider so they can examine the connection."),
    },
    // X.4.1
    EnhancedEntry {
        subject: 4,
        detail: 1,
        name: text!("No answer from host"),
        description: text!("The outbound connection attempt was not answered, because either the remote system was busy, or was unable to take a call."),
        rfc1893_name: None,
        basic_codes: text!("451"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("The sending server tried to connect to the next mail server and got no answer, because that server was busy, down or unreachable. A firewall that blocks mail traffic (port 25) has the same effect."),
        advice: text!("Usually nothing: the sending server retries automatically. If delivery never succeeds, ask the recipient's administrator to check that their mail server is reachable, or check your own outgoing firewall."),
    },
    // X.4.2
    EnhancedEntry {
        subject: 4,
        detail: 2,
        name: text!("Bad connection"),
        description: text!("The outbound connection was established, but was unable to complete the message transaction, either because of time-out, or inadequate connection quality."),
        rfc1893_name: None,
        basic_codes: text!("421"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("A connection to the next server was made but broke off or timed out before the message was fully transferred. Unstable networks, overloaded servers and large messages on slow links are common causes."),
        advice: text!("Let the sending program retry. If it keeps failing, try a smaller message and report the problem, with the full reply, to your mail provider."),
    },
    // X.4.3
    EnhancedEntry {
        subject: 4,
        detail: 3,
        name: text!("Directory server failure"),
        description: text!("The network system was unable to forward the message, because a directory server was unavailable."),
        rfc1893_name: Some(text!("Routing server failure")),
        basic_codes: text!("451, 550"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("The mail system could not pass the message on because a directory service it depends on, most often a DNS server, was unavailable. Without it the server cannot find out where to deliver."),
        advice: text!("Let the mail program retry; such failures usually clear up by themselves. If they persist, the administrator of the server that reported it should check its DNS resolver."),
    },
    // X.4.4
    EnhancedEntry {
        subject: 4,
        detail: 4,
        name: text!("Unable to route"),
        description: text!("The mail system was unable to determine the next hop for the message because the necessary routing information was unavailable from the directory server."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("The mail system could not work out where to send the message next because the routing information for the recipient's domain is missing. Typically the domain has no usable MX or address records in DNS."),
        advice: text!("Check the domain of the recipient address for typos. If it is correct, the recipient's organisation has to fix its domain's DNS mail records; tell them by other means."),
    },
    // X.4.5
    EnhancedEntry {
        subject: 4,
        detail: 5,
        name: text!("Mail system congestion"),
        description: text!("The mail system was unable to deliver the message because the mail system was congested."),
        rfc1893_name: Some(text!("Network congestion")),
        basic_codes: text!("451"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("The mail system was too busy to handle the message, for example because of high load or too many simultaneous connections. Servers also use it to slow down senders that send a lot of mail in a short time."),
        advice: text!("Let the sending server retry later. Bulk senders should lower their sending rate and the number of parallel connections."),
    },
    // X.4.6
    // The reference's "user- forwarding" (a line-break artefact of the RFC text) is written
    // "user-forwarding".
    EnhancedEntry {
        subject: 4,
        detail: 6,
        name: text!("Routing loop detected"),
        description: text!("A routing loop caused the message to be forwarded too many times, either because of incorrect routing tables or a user-forwarding loop."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::TransientOnly,
        deprecated: false,
        explanation: text!("The message was passed between servers too many times and was stopped to prevent an endless loop. Forwarding rules that point back at each other and misconfigured routing between servers are the usual causes."),
        advice: text!("Check for forwarding rules that send mail in a circle, for example two addresses that forward to each other. If none are yours, send the full bounce to the recipient's mail administrator."),
    },
    // X.4.7
    // RFC 1893 restricted X.4.7 to persistent transient failures; RFC 3463 Appendix B removed that
    // restriction.
    EnhancedEntry {
        subject: 4,
        detail: 7,
        name: text!("Delivery time expired"),
        description: text!("The message was considered too old by the rejecting system, either because it remained on that host too long or because the time-to-live value specified by the sender of the message was exceeded."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.5"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message could not be delivered within the allowed time and was given up, either because it waited too long in a queue or because the lifetime set for it ran out. Often the real cause is that the recipient's server was unreachable for days."),
        advice: text!("Check that the recipient address and domain are correct, then send again. If it happens repeatedly, contact the recipient's mail administrator, as their server may be unreachable."),
    },
    // X.5: Mail Delivery Protocol Status
    // X.5.0
    EnhancedEntry {
        subject: 5,
        detail: 0,
        name: text!("Other or undefined protocol status"),
        description: text!("Something was wrong with the protocol necessary to deliver the message to the next hop and the problem cannot be well expressed with any of the other provided detail codes."),
        rfc1893_name: None,
        basic_codes: text!("220, 250, 251, 252, 253, 451, 452, 454, 458, 459, 501, 502, 503, 554"),
        reference: text!("RFC 3463 §3.6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("Something went wrong in the exchange between the two mail systems, and no more specific code fits. It points to a technical problem in the software or the connection rather than to the content of the message."),
        advice: text!("Read the text of the reply. If the problem repeats, pass the full reply to the administrator of the sending program or server."),
    },
    // X.5.1
    EnhancedEntry {
        subject: 5,
        detail: 1,
        name: text!("Invalid command"),
        description: text!("A mail transaction protocol command was issued which was either out of sequence or unsupported."),
        rfc1893_name: None,
        basic_codes: text!("430, 500, 501, 503, 530, 550, 554, 555"),
        reference: text!("RFC 3463 §3.6"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The sending program issued a command that was out of order or that the server does not support. This is a fault or misconfiguration of the sending software; some servers also use it when the program should have logged in first."),
        advice: text!("If you use a mail program, check its outgoing server settings, including whether it must log in (authenticate) and use encryption. Otherwise report the full reply to the developer or administrator of the sending software."),
    },
    // X.5.2
    EnhancedEntry {
        subject: 5,
        detail: 2,
        name: text!("Syntax error"),
        description: text!("A mail transaction protocol command was issued which could not be interpreted, either because the syntax was wrong or the command is unrecognized."),
        rfc1893_name: None,
        basic_codes: text!("500, 501, 502, 550, 555"),
        reference: text!("RFC 3463 §3.6"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The server could not interpret a command it received, because the command was malformed or unknown. This usually means a bug or a wrong setting in the sending software, or a device between the two systems that alters the traffic."),
        advice: text!("Update or reconfigure the sending program and report the full reply to its developer or administrator. Sending again with the same software gives the same result."),
    },
    // X.5.3
    EnhancedEntry {
        subject: 5,
        detail: 3,
        name: text!("Too many recipients"),
        description: text!("More recipients were specified for the message than could have been delivered by the protocol."),
        rfc1893_name: None,
        basic_codes: text!("451"),
        reference: text!("RFC 3463 §3.6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message was addressed to more recipients than the server accepts at once. Many servers limit the number of recipients per message, often to 50 or 100."),
        advice: text!("Split the recipient list into smaller groups and send the message in several batches, or use a mailing-list service for large distributions."),
    },
    // X.5.4
    EnhancedEntry {
        subject: 5,
        detail: 4,
        name: text!("Invalid command arguments"),
        description: text!("A valid mail transaction protocol command was issued with invalid arguments, either because the arguments were out of range or represented unrecognized features."),
        rfc1893_name: None,
        basic_codes: text!("451, 501, 502, 503, 504, 550, 555"),
        reference: text!("RFC 3463 §3.6"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("A valid command was sent with parameters the server does not accept, for example an unsupported option, an unknown login method or a value out of range. It is usually caused by a setting of the sending software that the server does not support."),
        advice: text!("Check the settings of the sending program, such as the login method and delivery options, and report the full reply to its developer or administrator."),
    },
    // X.5.5
    EnhancedEntry {
        subject: 5,
        detail: 5,
        name: text!("Wrong protocol version"),
        description: text!("A protocol version mis-match existed which could not be automatically resolved by the communicating parties."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The two mail systems use incompatible versions of the protocol and could not agree on one that both support."),
        advice: text!("Report the full reply to the administrator of the sending system; updating the sending or the receiving software usually resolves it."),
    },
    // X.5.6
    EnhancedEntry {
        subject: 5,
        detail: 6,
        name: text!("Authentication Exchange line is too long"),
        description: text!("This enhanced status code SHOULD be returned when the server fails the AUTH command due to the client sending a [BASE64] response which is longer than the maximum buffer size available for the currently selected SASL mechanism."),
        rfc1893_name: None,
        basic_codes: text!("500"),
        reference: text!("RFC 4954 §6"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("While logging in, the mail program sent an authentication response longer than the server accepts for the chosen login method. A very long access token or a bug in the program is the usual cause."),
        advice: text!("Choose a different authentication method in the mail program's settings, or update the program. If it continues, report it to the program's vendor or to the server's administrator."),
    },
    // X.6: Message Content or Media Status
    // X.6.0
    EnhancedEntry {
        subject: 6,
        detail: 0,
        name: text!("Other or undefined media error"),
        description: text!("Something about the content of a message caused it to be considered undeliverable and the problem cannot be well expressed with any of the other provided detail codes."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.7"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("Something in the content of the message made it undeliverable, but the server did not say exactly what. Content filters that block certain attachments or formats often use this code."),
        advice: text!("Read the text of the reply for the reason. Try sending without attachments, or with attachments in common formats, and ask the recipient's administrator whether a filter is involved."),
    },
    // X.6.1
    EnhancedEntry {
        subject: 6,
        detail: 1,
        name: text!("Media not supported"),
        description: text!("The media of the message is not supported by either the delivery protocol or the next system in the forwarding path."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.7"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The message contains a kind of content that the delivery protocol or the next server does not support. Gateways to other messaging systems and strict attachment filters are typical sources."),
        advice: text!("Send the content in a different, widely supported form, for example as a PDF or as plain text, or leave out the attachment that causes the problem."),
    },
    // X.6.2
    // Same name in RFC 3463 §3.7 and Appendix A; the wording "Required Conversion is Prohibited"
    // seen elsewhere matches neither.
    EnhancedEntry {
        subject: 6,
        detail: 2,
        name: text!("Conversion required and prohibited"),
        description: text!("The content of the message must be converted before it can be delivered and such conversion is not permitted."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.7"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message would have to be converted into another format to be delivered, but conversion is not allowed, either by a setting in the message itself or by the policy of a server on the way."),
        advice: text!("Send the message in a simpler form, such as plain text with standard attachments, or allow conversion in the sending program if it offers that option."),
    },
    // X.6.3
    EnhancedEntry {
        subject: 6,
        detail: 3,
        name: text!("Conversion required but not supported"),
        description: text!("The message content must be converted in order to be forwarded but such conversion is not possible or is not practical by a host in the forwarding path."),
        rfc1893_name: None,
        basic_codes: text!("554"),
        reference: text!("RFC 3463 §3.7"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message would have to be converted to travel further, for example from 8-bit to 7-bit encoding, but a server on the path cannot perform that conversion."),
        advice: text!("Set the sending program to encode messages in a standard way, for example quoted-printable or base64 for non-ASCII text, or simplify the content, and send again."),
    },
    // X.6.4
    // "delivery was successfully" is the RFC's and the registry's wording.
    EnhancedEntry {
        subject: 6,
        detail: 4,
        name: text!("Conversion with loss performed"),
        description: text!("This is a warning sent to the sender when message delivery was successfully but when the delivery required a conversion in which some data was lost."),
        rfc1893_name: None,
        basic_codes: text!("250"),
        reference: text!("RFC 3463 §3.7"),
        usage: Usage::SuccessOrPermanent,
        deprecated: false,
        explanation: text!("The message had to be converted on the way and some information was lost in the conversion. With class 2 it is a warning that the delivered copy differs from what was sent; with class 5 it reports that delivery was refused because a lossy conversion was not allowed."),
        advice: text!("Check with the recipient that the message arrived in usable form. Where details matter, send the important content again in a simpler format, such as plain text or a PDF attachment."),
    },
    // X.6.5
    EnhancedEntry {
        subject: 6,
        detail: 5,
        name: text!("Conversion Failed"),
        description: text!("A conversion was required but was unsuccessful."),
        rfc1893_name: Some(text!("Conversion failed")),
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.7"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("The message had to be converted into another format for delivery, and the conversion did not work. Damaged attachments and unusual encodings are common causes."),
        advice: text!("Check the attachments and send them in common formats, or send the content in a simpler form. If it keeps failing, give the full reply to the recipient's administrator."),
    },
    // X.6.6
    EnhancedEntry {
        subject: 6,
        detail: 6,
        name: text!("Message content not available"),
        description: text!("The message content could not be fetched from a remote system."),
        rfc1893_name: None,
        basic_codes: text!("554"),
        reference: text!("RFC 4468"),
        usage: Usage::PermanentOrTransient,
        deprecated: false,
        explanation: text!("The message content was to be fetched from another system, for example a mail program asking the submission server to pick up a stored draft by reference (BURL), and it could not be retrieved."),
        advice: text!("Check that the referenced message still exists and that the mail server may access it, then try again. If you did not set this up yourself, report it to the mail program's support."),
    },
    // X.6.7
    // The registry description has no final period.
    EnhancedEntry {
        subject: 6,
        detail: 7,
        name: text!("Non-ASCII addresses not permitted for that sender/recipient"),
        description: text!("This indicates the reception of a MAIL or RCPT command that non-ASCII addresses are not permitted"),
        rfc1893_name: None,
        basic_codes: text!("553, 550"),
        reference: text!("RFC 6531 §4.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message uses an email address containing characters outside ASCII, such as accented letters or non-Latin script, and the server does not accept such addresses for this sender or recipient."),
        advice: text!("Use an address written only in ASCII characters, if the person has one, or ask the recipient's provider whether internationalised addresses are supported."),
    },
    // X.6.8
    EnhancedEntry {
        subject: 6,
        detail: 8,
        name: text!("UTF-8 string reply is required, but not permitted by the SMTP client"),
        description: text!("This indicates that a reply containing a UTF-8 string is required to show the mailbox name, but that form of response is not permitted by the SMTP client."),
        rfc1893_name: None,
        basic_codes: text!("252, 553, 550"),
        reference: text!("RFC 6531 §4.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The server would have to answer with a mailbox name containing non-ASCII (UTF-8) characters, but the sending program did not say it can handle such answers. It concerns internationalised email addresses."),
        advice: text!("Use a mail program that supports internationalised email (SMTPUTF8), or use an ASCII-only address for the recipient."),
    },
    // X.6.9
    // RFC 6531 §3.5 uses basic code 554 with X.6.9; the registry lists 550. Both occur.
    EnhancedEntry {
        subject: 6,
        detail: 9,
        name: text!("UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected"),
        description: text!("This indicates that transaction failed after the final \".\" of the DATA command."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 6531 §4.2"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message has non-ASCII (UTF-8) text in its headers, such as an internationalised address, and could not be passed on to at least one recipient whose system does not support that. The failure came after the whole message had been transferred."),
        advice: text!("Send to such recipients from and to ASCII-only addresses, or ask their provider about support for internationalised email (SMTPUTF8)."),
    },
    // X.6.10
    // The registry gives X.6.10 no sample text and no basic codes; the name here is descriptive, not
    // registry text.
    EnhancedEntry {
        subject: 6,
        detail: 10,
        name: text!("Deprecated duplicate of X.6.8"),
        description: text!("This is a duplicate of X.6.8 and is thus deprecated."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 6531 §4.2"),
        usage: Usage::Any,
        deprecated: true,
        explanation: text!("This code is a deprecated duplicate of X.6.8: a reply containing a non-ASCII (UTF-8) mailbox name was needed, but the sending program could not accept one. Current software sends X.6.8 instead."),
        advice: text!("Treat it like X.6.8: use a mail program that supports internationalised email (SMTPUTF8), or an ASCII-only address. The server that sent it should be updated to send X.6.8."),
    },
    // X.7: Security or Policy Status
    // X.7.0
    EnhancedEntry {
        subject: 7,
        detail: 0,
        name: text!("Other or undefined security status"),
        description: text!("Something related to security caused the message to be returned, and the problem cannot be well expressed with any of the other provided detail codes."),
        rfc1893_name: None,
        basic_codes: text!("220, 235, 450, 454, 500, 501, 503, 504, 530, 535, 550"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message was refused or held back for a security or policy reason that no more specific code describes. Servers use it widely: for sender reputation, spam filtering, a required login or encryption, or sending limits."),
        advice: text!("Read the text of the reply; it usually names the reason or links to an explanation. If you run the sending server, check its reputation on blocklists and its authentication and encryption settings; otherwise contact your mail provider with the full reply."),
    },
    // X.7.1
    EnhancedEntry {
        subject: 7,
        detail: 1,
        name: text!("Delivery not authorized, message refused"),
        description: text!("The sender is not authorized to send to the destination."),
        rfc1893_name: None,
        basic_codes: text!("451, 454, 502, 503, 533, 550, 551"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The receiving server refused the message from this sender because of its policy. Common reasons are spam filtering, a blocklisted sending IP address, a recipient who only accepts mail from certain senders, or a server that will not relay mail to outside domains."),
        advice: text!("Read the text of the reply for the specific reason. Check whether your sending IP address or domain is on a blocklist and that your mail program logs in to its outgoing server; if the cause stays unclear, contact the recipient's postmaster with the full reply."),
    },
    // X.7.2
    EnhancedEntry {
        subject: 7,
        detail: 2,
        name: text!("Mailing list expansion prohibited"),
        description: text!("The sender is not authorized to send a message to the intended mailing list."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The sender is not allowed to post to the mailing list, for example because the list accepts messages only from its members or from moderators."),
        advice: text!("Subscribe to the list with the address you send from, or ask the list owner for permission to post."),
    },
    // X.7.3
    EnhancedEntry {
        subject: 7,
        detail: 3,
        name: text!("Security conversion required but not possible"),
        description: text!("A conversion from one secure messaging protocol to another was required for delivery and such conversion was not possible."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("Delivery would have required converting the message from one secure messaging format to another, for example between two encryption or signing systems, and that conversion was not possible."),
        advice: text!("Send the message without that security format, or in one the recipient's system supports. If encryption is needed, agree on a common method with the recipient's administrator."),
    },
    // X.7.4
    EnhancedEntry {
        subject: 7,
        detail: 4,
        name: text!("Security features not supported"),
        description: text!("A message contained security features such as secure authentication that could not be supported on the delivery protocol."),
        rfc1893_name: None,
        basic_codes: text!("504"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::PermanentOnly,
        deprecated: false,
        explanation: text!("The message or the session asked for a security feature, such as a particular secure login method, that the delivery path does not support."),
        advice: text!("Change the security or authentication settings of the sending program to a method the server supports, or ask the server's administrator which methods are available."),
    },
    // X.7.5
    EnhancedEntry {
        subject: 7,
        detail: 5,
        name: text!("Cryptographic failure"),
        description: text!("A transport system otherwise authorized to validate or decrypt a message in transport was unable to do so because necessary information such as key was not available or such information was invalid."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("A system that is entitled to check or decrypt the message could not do so, because a key or certificate it needed was missing or invalid."),
        advice: text!("Check that the encryption or signing keys and certificates are current and available to the systems that need them. Contact the recipient's administrator if their side lacks the key."),
    },
    // X.7.6
    EnhancedEntry {
        subject: 7,
        detail: 6,
        name: text!("Cryptographic algorithm not supported"),
        description: text!("A transport system otherwise authorized to validate or decrypt a message was unable to do so because the necessary algorithm was not supported."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("A system that is entitled to check or decrypt the message could not do so because it does not support the cryptographic algorithm that was used."),
        advice: text!("Use a more widely supported algorithm in the signing or encryption settings, or agree on one with the recipient's administrator."),
    },
    // X.7.7
    // RFC 3463 allows X.7.7 as a permanent, persistent transient or success code, hence Usage::Any.
    EnhancedEntry {
        subject: 7,
        detail: 7,
        name: text!("Message integrity failure"),
        description: text!("A transport system otherwise authorized to validate a message was unable to do so because the message was corrupted or altered."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("RFC 3463 §3.8"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("A system that is entitled to verify the message found that it had been damaged or altered on the way, so its integrity check failed."),
        advice: text!("Send the message again. If the failure repeats, a system on the path may be modifying messages, for example by adding a footer; report it with the full reply to the administrators involved."),
    },
    // X.7.8
    EnhancedEntry {
        subject: 7,
        detail: 8,
        name: text!("Authentication credentials invalid"),
        description: text!("This response to the AUTH command indicates that the authentication failed due to invalid or insufficient authentication credentials."),
        rfc1893_name: None,
        basic_codes: text!("535, 554"),
        reference: text!("RFC 4954 §6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The server rejected the mail program's login: the user name, password or token was wrong or not sufficient. It typically follows a password change or a typo, or happens when the provider requires an app password or a modern sign-in method."),
        advice: text!("Check the user name and password in the outgoing server settings of the mail program. If your provider requires an app password or OAuth sign-in, set that up, and make sure the account is not locked."),
    },
    // X.7.9
    EnhancedEntry {
        subject: 7,
        detail: 9,
        name: text!("Authentication mechanism is too weak"),
        description: text!("This response to the AUTH command indicates that the selected authentication mechanism is weaker than server policy permits for that user."),
        rfc1893_name: None,
        basic_codes: text!("534"),
        reference: text!("RFC 4954 §6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The login method chosen by the mail program is weaker than the server allows for this user, for example a plain password where the server demands a stronger method."),
        advice: text!("Select a stronger authentication method in the mail program's settings, or turn on encryption (TLS) for the connection, and try again."),
    },
    // X.7.10
    // Registered by RFC 5248 (BCP); RFC 8689 §4.2.1 also uses 5.7.10 when no TLS session could be
    // established.
    EnhancedEntry {
        subject: 7,
        detail: 10,
        name: text!("Encryption Needed"),
        description: text!("This indicates that external strong privacy layer is needed in order to use the requested authentication mechanism."),
        rfc1893_name: None,
        basic_codes: text!("523"),
        reference: text!("RFC 5248"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The requested action, usually logging in with the chosen method, is only allowed over an encrypted connection, and the connection was not encrypted. REQUIRETLS delivery reports also use it when no encrypted connection could be set up."),
        advice: text!("Turn on SSL/TLS or STARTTLS in the mail program's server settings and try again."),
    },
    // X.7.11
    EnhancedEntry {
        subject: 7,
        detail: 11,
        name: text!("Encryption required for requested authentication mechanism"),
        description: text!("This response to the AUTH command indicates that the selected authentication mechanism may only be used when the underlying SMTP connection is encrypted."),
        rfc1893_name: None,
        basic_codes: text!("524, 538"),
        reference: text!("RFC 4954 §6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The login method the mail program chose may only be used over an encrypted connection, and the connection was not encrypted."),
        advice: text!("Turn on encryption (SSL/TLS or STARTTLS) for the outgoing server in the mail program, or choose a different login method."),
    },
    // X.7.12
    EnhancedEntry {
        subject: 7,
        detail: 12,
        name: text!("A password transition is needed"),
        description: text!("This response to the AUTH command indicates that the user needs to transition to the selected authentication mechanism."),
        rfc1893_name: None,
        basic_codes: text!("422, 432"),
        reference: text!("RFC 4954 §6"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The server has to convert the account to the login method the mail program selected before that method can be used. This is normally done by logging in once with a plain password method, after which the selected method works."),
        advice: text!("Log in once with the plain password method over an encrypted connection, then switch back to the preferred method. If that is not possible, contact your provider's support."),
    },
    // X.7.13
    EnhancedEntry {
        subject: 7,
        detail: 13,
        name: text!("User Account Disabled"),
        description: text!("Sometimes a system administrator will have to disable a user's account (e.g., due to lack of payment, abuse, evidence of a break-in attempt, etc)."),
        rfc1893_name: None,
        basic_codes: text!("525"),
        reference: text!("RFC 5248"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The account used to send has been disabled by its administrator, for example because of non-payment, abuse or a suspected break-in."),
        advice: text!("Contact your mail provider or administrator to find out why the account was disabled and how to restore it."),
    },
    // X.7.14
    // RFC 4468 originally used X.7.8 for this; its errata (EID 895, 896) correct it to X.7.14.
    EnhancedEntry {
        subject: 7,
        detail: 14,
        name: text!("Trust relationship required"),
        description: text!("The submission server requires a configured trust relationship with a third-party server in order to access the message content."),
        rfc1893_name: None,
        basic_codes: text!("535, 554"),
        reference: text!("RFC 5248"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The submission server was asked to fetch the message content from another server, and it needs a configured trust relationship with that server to do so, which does not exist."),
        advice: text!("Ask the administrators of the submission server and of the message store to set up the required trust, or send the message content directly rather than by reference."),
    },
    // X.7.15
    EnhancedEntry {
        subject: 7,
        detail: 15,
        name: text!("Priority Level is too low"),
        description: text!("The specified priority level is below the lowest priority acceptable for the receiving SMTP server."),
        rfc1893_name: None,
        basic_codes: text!("450, 550 (other 4XX or 5XX codes are allowed)"),
        reference: text!("RFC 6710"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The priority given to the message is below the lowest priority the receiving server accepts."),
        advice: text!("Send the message with a higher or the default priority, or agree on priority levels with the receiving organisation."),
    },
    // X.7.16
    EnhancedEntry {
        subject: 7,
        detail: 16,
        name: text!("Message is too big for the specified priority"),
        description: text!("The message is too big for the specified priority."),
        rfc1893_name: None,
        basic_codes: text!("552 (other 4XX or 5XX codes are allowed)"),
        reference: text!("RFC 6710"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message is larger than the receiving server allows for the priority it was sent with; servers may set lower size limits for higher priorities."),
        advice: text!("Reduce the size of the message, or send it with a lower or the default priority."),
    },
    // X.7.17
    EnhancedEntry {
        subject: 7,
        detail: 17,
        name: text!("Mailbox owner has changed"),
        description: text!("This status code is returned when a message is received with a Require-Recipient-Valid-Since field or RRVS extension and the receiving system is able to determine that the intended recipient mailbox has not been under continuous ownership since the specified date-time."),
        rfc1893_name: None,
        basic_codes: text!("5XX"),
        reference: text!("RFC 7293"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message asked the receiving server to confirm that the recipient mailbox has had the same owner since a given date (RRVS), and the mailbox has changed hands since then. Delivery was stopped so that the mail does not reach a different person."),
        advice: text!("Check with the intended recipient, by other means, whether the address is still theirs, and update your records before sending again."),
    },
    // X.7.18
    EnhancedEntry {
        subject: 7,
        detail: 18,
        name: text!("Domain owner has changed"),
        description: text!("This status code is returned when a message is received with a Require-Recipient-Valid-Since field or RRVS extension and the receiving system wishes to disclose that the owner of the domain name of the recipient has changed since the specified date-time."),
        rfc1893_name: None,
        basic_codes: text!("5XX"),
        reference: text!("RFC 7293"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message asked the receiving server to confirm that the recipient address has had the same owner since a given date (RRVS), and the server reports that the recipient's domain itself has changed owner since then."),
        advice: text!("Confirm the recipient's current address by other means, since the domain may now belong to someone else, and update your records before sending again."),
    },
    // X.7.19
    EnhancedEntry {
        subject: 7,
        detail: 19,
        name: text!("RRVS test cannot be completed"),
        description: text!("This status code is returned when a message is received with a Require-Recipient-Valid-Since field or RRVS extension and the receiving system cannot complete the requested evaluation because the required timestamp was not recorded."),
        rfc1893_name: None,
        basic_codes: text!("5XX"),
        reference: text!("RFC 7293"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message asked the receiving server to confirm that the recipient mailbox has had the same owner since a given date (RRVS), but the server has no record of when the mailbox was set up and cannot do the check."),
        advice: text!("Send the message without the Require-Recipient-Valid-Since condition if that is acceptable, or confirm the recipient's address by other means."),
    },
    // X.7.20
    EnhancedEntry {
        subject: 7,
        detail: 20,
        name: text!("No passing DKIM signature found"),
        description: text!("This status code is returned when a message did not contain any passing DKIM signatures."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7372; RFC 6376"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The receiving server requires a valid DKIM signature, a cryptographic signature showing which domain sent the message, and the message had none that verified. Often the sending system does not sign its mail, or the message was changed after signing."),
        advice: text!("Set up DKIM signing for your sending domain with your mail provider and publish the public key in DNS. If you already sign, make sure nothing, such as a footer added by a gateway, changes messages after signing."),
    },
    // X.7.21
    EnhancedEntry {
        subject: 7,
        detail: 21,
        name: text!("No acceptable DKIM signature found"),
        description: text!("This status code is returned when a message contains one or more passing DKIM signatures, but none are acceptable."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7372; RFC 6376"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message had at least one valid DKIM signature, but none that the receiving server accepts under its policy, for example because the signing domain is not one it accepts or the key is too weak."),
        advice: text!("Sign messages with a DKIM key of your own domain, using a strong key (2048-bit RSA is common) and a current algorithm. If it is unclear which signatures are required, ask the recipient's administrator."),
    },
    // X.7.22
    EnhancedEntry {
        subject: 7,
        detail: 22,
        name: text!("No valid author-matched DKIM signature found"),
        description: text!("This status code is returned when a message contains one or more passing DKIM signatures, but none are acceptable because none have an identifier(s) that matches the author address(es) found in the From header field."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7372; RFC 6376"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message had valid DKIM signatures, but none from the domain in its From address, and the receiver requires that match. It is typical of mail sent through a third-party service that signs with its own domain."),
        advice: text!("Configure DKIM so that messages are signed with the same domain as the From address; most sending services offer DKIM for a custom domain for this purpose."),
    },
    // X.7.23
    EnhancedEntry {
        subject: 7,
        detail: 23,
        name: text!("SPF validation failed"),
        description: text!("This status code is returned when a message completed an SPF check that produced a \"fail\" result, contrary to local policy requirements."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7372; RFC 7208"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The sending domain's SPF record, a DNS entry listing the servers allowed to send its mail, does not include the server that sent this message, and the receiver refuses such mail. A mail service never added to the SPF record, and forwarding, are the common causes."),
        advice: text!("Add every service that sends mail for your domain to the domain's SPF record in DNS. If the message was forwarded, the forwarding server should rewrite the sender address (SRS), or the recipient should change how mail is forwarded."),
    },
    // X.7.24
    EnhancedEntry {
        subject: 7,
        detail: 24,
        name: text!("SPF validation error"),
        description: text!("This status code is returned when evaluation of SPF relative to an arriving message resulted in an error."),
        rfc1893_name: None,
        basic_codes: text!("451, 550"),
        reference: text!("RFC 7372; RFC 7208"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The receiving server tried to check the sending domain's SPF record and the check itself ended in an error, for example because of a DNS failure, a syntax error in the record, or a record that needs too many DNS lookups."),
        advice: text!("Check your domain's SPF record with an SPF validator: there must be exactly one, it must be syntactically correct, and it may need at most 10 DNS lookups. If the record is fine, the error may come from a passing DNS outage and a later attempt can succeed."),
    },
    // X.7.25
    // The registry reference was updated from RFC 7001 to RFC 7601.
    EnhancedEntry {
        subject: 7,
        detail: 25,
        name: text!("Reverse DNS validation failed"),
        description: text!("This status code is returned when an SMTP client's IP address failed a reverse DNS validation check, contrary to local policy requirements."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7372; RFC 7601"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The IP address of the sending server failed a reverse DNS check: it has no host name, or its host name does not lead back to the same address. Many receivers refuse mail from such servers."),
        advice: text!("Whoever runs the sending server should have the owner of the IP address, usually the hosting or internet provider, set a PTR record whose host name resolves back to the same address. Home and dynamic connections should send through their provider's mail server instead."),
    },
    // X.7.26
    EnhancedEntry {
        subject: 7,
        detail: 26,
        name: text!("Multiple authentication checks failed"),
        description: text!("This status code is returned when a message failed more than one message authentication check, contrary to local policy requirements."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7372"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message failed several of the checks that show where mail comes from, such as SPF and DKIM, typically because the sending domain's DNS records do not authorise the server that sent it and the message carries no valid DKIM signature. Gmail and other large providers use this code for unauthenticated mail."),
        advice: text!("Set up SPF and DKIM for your sending domain and publish a DMARC record, making sure every service that sends on your behalf is covered. If you use a mail provider, follow its guide for authenticating a custom domain."),
    },
    // X.7.27
    EnhancedEntry {
        subject: 7,
        detail: 27,
        name: text!("Sender address has null MX"),
        description: text!("This status code is returned when the associated sender address has a null MX, and the SMTP receiver is configured to reject mail from such sender (e.g., because it could not return a DSN)."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 7505"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The domain of the sender address publishes a \"null MX\" record, which says it never receives email. The receiver refuses the message because replies and bounces could never reach that sender."),
        advice: text!("Send from an address whose domain can receive mail, or, if the domain should receive mail, replace the null MX record with proper MX records."),
    },
    // X.7.28
    // Registry quirk: the description column is empty and this sentence sits in the
    // associated-basic-code column; it is used as the description here and the basic codes are given
    // as "Not given". The wording ("similar abusive message") is the registry's.
    EnhancedEntry {
        subject: 7,
        detail: 28,
        name: text!("Mail flood detected"),
        description: text!("The message appears to be part of a mail flood of similar abusive message."),
        rfc1893_name: None,
        basic_codes: text!("Not given"),
        reference: text!("draft-levine-mailbomb-header"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The receiving server believes the message is part of a flood of similar abusive messages, such as a mail bomb or a burst of identical unsolicited mail."),
        advice: text!("If you send legitimately, lower the volume and rate of similar messages and make sure the recipients asked for them. Contact the recipient's postmaster if you believe the block is a mistake."),
    },
    // X.7.29
    // RFC 8617 §5.2.2 names 5.7.29; the basic code 550 is not verified against the registry.
    EnhancedEntry {
        subject: 7,
        detail: 29,
        name: text!("ARC validation failure"),
        description: text!("Returned when a message fails ARC validation."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 8617"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message failed ARC validation. ARC is a chain of signatures that forwarding services and mailing lists add to vouch for the authentication results a message had before they handled it; the chain on this message was broken or invalid."),
        advice: text!("If the message passed through a forwarding service or mailing list, report the failure to its operator, whose ARC signing may be faulty. Senders can reduce their reliance on ARC by making sure their mail passes SPF, DKIM and DMARC on its own."),
    },
    // X.7.30
    EnhancedEntry {
        subject: 7,
        detail: 30,
        name: text!("REQUIRETLS support required"),
        description: text!("This indicates that the message was not able to be forwarded because it was received with a REQUIRETLS requirement and none of the SMTP servers to which the message should be forwarded provide this support."),
        rfc1893_name: None,
        basic_codes: text!("550"),
        reference: text!("RFC 8689 §7"),
        usage: Usage::Any,
        deprecated: false,
        explanation: text!("The message was sent with the REQUIRETLS option, which demands encrypted, verified connections all the way to the recipient, and none of the next servers supports it. To respect that demand, the message was not passed on."),
        advice: text!("Send the message without REQUIRETLS if unencrypted transfer on part of the path is acceptable, or ask the recipient's provider to support REQUIRETLS."),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(subject: u16, detail: u16) -> &'static EnhancedEntry {
        let i = ENHANCED_CODES
            .binary_search_by_key(&(subject, detail), |e| (e.subject, e.detail))
            .unwrap_or_else(|_| panic!("X.{subject}.{detail} missing"));
        &ENHANCED_CODES[i]
    }

    #[test]
    fn registry_is_sorted_and_unique() {
        for pair in ENHANCED_CODES.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                (a.subject, a.detail) < (b.subject, b.detail),
                "X.{}.{} must come before X.{}.{}",
                a.subject,
                a.detail,
                b.subject,
                b.detail
            );
        }
    }

    #[test]
    fn registry_has_every_detail_of_every_subject() {
        // Highest registered detail per subject, X.0.0 to X.7.30.
        let last_detail: [u16; 8] = [0, 10, 4, 6, 7, 6, 10, 30];
        for (subject, &last) in last_detail.iter().enumerate() {
            let details: Vec<u16> =
                ENHANCED_CODES.iter().filter(|e| usize::from(e.subject) == subject).map(|e| e.detail).collect();
            let expected: Vec<u16> = (0..=last).collect();
            assert_eq!(details, expected, "details of subject {subject}");
        }
        assert!(ENHANCED_CODES.iter().all(|e| e.subject <= 7));
        assert_eq!(ENHANCED_CODES.len(), 81);
    }

    #[test]
    fn classes_are_2_4_5() {
        let classes: Vec<u8> = CLASSES.iter().map(|c| c.class).collect();
        assert_eq!(classes, [2, 4, 5]);
        let names: Vec<&str> = CLASSES.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Success", "Persistent Transient Failure", "Permanent Failure"]);
    }

    #[test]
    fn subjects_are_0_to_7_in_order() {
        let subjects: Vec<u16> = SUBJECTS.iter().map(|s| s.subject).collect();
        assert_eq!(subjects, (0..=7).collect::<Vec<u16>>());
        assert_eq!(SUBJECTS[1].name.as_str(), "Addressing Status");
        assert_eq!(SUBJECTS[7].name.as_str(), "Security or Policy Status");
    }

    #[test]
    fn only_x_6_10_is_deprecated() {
        let deprecated: Vec<(u16, u16)> =
            ENHANCED_CODES.iter().filter(|e| e.deprecated).map(|e| (e.subject, e.detail)).collect();
        assert_eq!(deprecated, [(6, 10)]);
        assert!(entry(6, 10).description.as_str().contains("duplicate of X.6.8"));
    }

    #[test]
    fn rfc1893_names_only_where_they_differ() {
        assert_eq!(entry(4, 3).rfc1893_name.map(|t| t.as_str()), Some("Routing server failure"));
        let with_old_name: Vec<(u16, u16)> =
            ENHANCED_CODES.iter().filter(|e| e.rfc1893_name.is_some()).map(|e| (e.subject, e.detail)).collect();
        assert_eq!(with_old_name, [(1, 5), (1, 6), (2, 3), (4, 3), (4, 5), (6, 5)]);
        for e in ENHANCED_CODES {
            if let Some(old) = e.rfc1893_name {
                assert_ne!(old.as_str(), e.name.as_str(), "X.{}.{}", e.subject, e.detail);
            }
        }
    }

    #[test]
    fn registry_facts() {
        assert_eq!(entry(1, 1).name.as_str(), "Bad destination mailbox address");
        assert_eq!(entry(1, 1).basic_codes.as_str(), "451, 550");
        assert_eq!(entry(1, 1).usage, Usage::PermanentOnly);
        assert_eq!(entry(1, 5).usage, Usage::SuccessOnly);
        assert_eq!(entry(2, 2).usage, Usage::TransientOnly);
        assert_eq!(entry(6, 4).usage, Usage::SuccessOrPermanent);
        assert_eq!(entry(7, 7).usage, Usage::Any);
        assert_eq!(entry(4, 7).usage, Usage::Any);
        assert_eq!(entry(0, 0).name.as_str(), "Other undefined Status");
        assert_eq!(entry(7, 26).name.as_str(), "Multiple authentication checks failed");
        assert_eq!(entry(7, 28).basic_codes.as_str(), "Not given");
        assert_eq!(entry(7, 30).reference.as_str(), "RFC 8689 §7");
        assert_eq!(entry(5, 6).reference.as_str(), "RFC 4954 §6");
    }

    #[test]
    fn no_empty_strings() {
        for c in CLASSES {
            for t in [c.name, c.description, c.explanation, c.advice] {
                assert!(!t.as_str().trim().is_empty(), "class {}", c.class);
            }
        }
        for s in SUBJECTS {
            for t in [s.name, s.description, s.explanation, s.advice] {
                assert!(!t.as_str().trim().is_empty(), "subject {}", s.subject);
            }
        }
        for e in ENHANCED_CODES {
            let mut all = vec![e.name, e.description, e.basic_codes, e.reference, e.explanation, e.advice];
            all.extend(e.rfc1893_name);
            for t in all {
                assert!(!t.as_str().trim().is_empty(), "X.{}.{}", e.subject, e.detail);
            }
        }
    }

    #[test]
    fn explanations_are_not_the_registry_text() {
        for c in CLASSES {
            assert_ne!(c.explanation.as_str(), c.description.as_str(), "class {}", c.class);
        }
        for s in SUBJECTS {
            assert_ne!(s.explanation.as_str(), s.description.as_str(), "subject {}", s.subject);
        }
        for e in ENHANCED_CODES {
            assert_ne!(e.explanation.as_str(), e.description.as_str(), "X.{}.{}", e.subject, e.detail);
            assert_ne!(e.advice.as_str(), e.explanation.as_str(), "X.{}.{}", e.subject, e.detail);
        }
    }

    #[test]
    fn row_wording_is_class_neutral_and_calm() {
        // The same row serves 4.x.x and 5.x.x, so it must not claim either.
        let rows = ENHANCED_CODES.iter().map(|e| (e.subject, e.detail, e.explanation, e.advice));
        let subjects = SUBJECTS.iter().map(|s| (s.subject, 999, s.explanation, s.advice));
        for (subject, detail, explanation, advice) in rows.chain(subjects) {
            for t in [explanation, advice] {
                let lower = t.as_str().to_lowercase();
                assert!(!lower.contains("permanent") && !lower.contains("temporar"), "X.{subject}.{detail}: {t}");
                assert!(!t.as_str().contains('!'), "X.{subject}.{detail}: {t}");
            }
        }
    }
}
