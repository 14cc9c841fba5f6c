//! The three-digit SMTP reply codes: RFC 821, RFC 5321 and the extension RFCs (reference §A).
//!
//! `text` quotes the defining RFC. `rfc821_text` is set only where RFC 821 defines the code with
//! different content: differences only in bracket style, letter case or RFC 5321's own section
//! cross-references ("(See Section 3.4)") do not count. The test module checks this rule against
//! the complete RFC 821 §4.2.2 list.

use super::{BasicCode, CodeContext, CodeStatus};
use crate::command::Command;

/// Every registered basic reply code, sorted by code.
pub static BASIC_CODES: &[BasicCode] = &[
    BasicCode {
        code: 211,
        status: CodeStatus::Standard,
        text: text!("System status, or system help reply"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server is answering a request for status or help information, usually the HELP command."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 214,
        status: CodeStatus::Standard,
        text: text!(
            "Help message (Information on how to use the receiver or the meaning of a particular non-standard command; this reply is useful only to the human user)"
        ),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server sent help text in reply to a HELP command; the text is meant for a person reading the session, not for the mail program."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 220,
        status: CodeStatus::Standard,
        text: text!("<domain> Service ready"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server accepted the connection and is ready for commands. In reply to STARTTLS the same code means the server is ready to switch the connection to encryption."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 221,
        status: CodeStatus::Standard,
        text: text!("<domain> Service closing transmission channel"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server is ending the session and closing the connection, normally because the mail program sent QUIT when it had finished."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 235,
        status: CodeStatus::Standard,
        text: text!("Authentication Succeeded"),
        rfc821_text: None,
        source: text!("RFC 4954 §6"),
        explanation: text!(
            "This is not an error. The server accepted the login (user name and password or other credentials), so the mail program is now signed in and may send mail."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 250,
        status: CodeStatus::Standard,
        text: text!("Requested mail action okay, completed"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server carried out the last command. After the end of a message it means the server accepted the message and is now responsible for delivering it."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 251,
        status: CodeStatus::Standard,
        text: text!("User not local; will forward to <forward-path> (See Section 3.4)"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The recipient has no mailbox on this server, but the server knows where to reach them and will forward the message; the text of the reply gives the new address."
        ),
        advice: text!(
            "Nothing to do. If the reply shows a new address, you may want to update your address book."
        ),
    },
    BasicCode {
        code: 252,
        status: CodeStatus::Standard,
        text: text!(
            "Cannot VRFY user, but will accept message and attempt delivery (See Section 3.5.3)"
        ),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server will not confirm whether the address exists (many servers refuse to reveal this, for privacy), but it will accept a message for it and try to deliver it."
        ),
        advice: text!(
            "Nothing to do. The only way to find out whether the address works is to send the message and watch for a bounce."
        ),
    },
    BasicCode {
        code: 253,
        status: CodeStatus::Standard,
        text: text!("OK, <n> pending messages for node <x> started"),
        rfc821_text: None,
        source: text!("RFC 1985"),
        explanation: text!(
            "This is not an error. In reply to an ETRN request, the server has started sending the mail it was holding for your domain; the text says how many messages are waiting."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 334,
        status: CodeStatus::Standard,
        text: text!(
            "A server challenge is sent as a 334 reply with the text part containing the [BASE64] encoded string supplied by the SASL mechanism."
        ),
        rfc821_text: None,
        source: text!("RFC 4954 §4"),
        explanation: text!(
            "This is not an error. During login the server is asking the mail program for the next piece of login information, such as the user name or the password, in encoded form."
        ),
        advice: text!(
            "Nothing to do; the mail program answers on its own. If the login then fails, check the user name and password in the account settings."
        ),
    },
    BasicCode {
        code: 354,
        status: CodeStatus::Standard,
        text: text!("Start mail input; end with <CRLF>.<CRLF>"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "This is not an error. The server has accepted the sender and the recipients and is waiting for the message itself, which the mail program sends next."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 355,
        status: CodeStatus::Historic,
        text: text!("Octet-offset is the transaction offset"),
        rfc821_text: None,
        source: text!("RFC 1845"),
        explanation: text!(
            "This is not an error. It belongs to CHECKPOINT, an old experimental extension that lets an interrupted transfer resume where it stopped: the server reports how much of the message it already holds. Almost no server uses it."
        ),
        advice: text!("Nothing to do."),
    },
    BasicCode {
        code: 421,
        status: CodeStatus::Standard,
        text: text!(
            "<domain> Service not available, closing transmission channel (This may be a reply to any command if the service knows it must shut down)"
        ),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server is temporarily unable to serve you and is closing the connection. Common causes are maintenance or overload, too many connections or messages from your address in a short time, or a temporary block."
        ),
        advice: text!(
            "Wait and let your mail program retry; it does so on its own. If the error lasts for hours, read the text for a reason such as a rate limit and contact your provider or the receiving server's postmaster."
        ),
    },
    BasicCode {
        code: 422,
        status: CodeStatus::NonStandard,
        text: text!("A password transition is needed"),
        rfc821_text: None,
        source: text!("IANA SMTP Enhanced Status Codes registry, X.7.12 (RFC 5248)"),
        explanation: text!(
            "No SMTP standard defines this code; the enhanced status code registry only lists it beside 4.7.12, a temporary request to change the login method or password. Servers that send it give their own reason in the text after the code, and the 4 means the refusal is temporary."
        ),
        advice: text!(
            "Let your mail program retry. If it persists, sign in on your provider's website to see whether a password change is required, or ask your provider."
        ),
    },
    BasicCode {
        code: 430,
        status: CodeStatus::NonStandard,
        text: text!("Invalid command"),
        rfc821_text: None,
        source: text!("IANA SMTP Enhanced Status Codes registry, X.5.1 (RFC 5248)"),
        explanation: text!(
            "No SMTP standard defines this code; the enhanced status code registry only lists it beside 4.5.1, a command that was out of sequence or not supported. Servers that send it give their own reason in the text after the code, and the 4 means the refusal is temporary."
        ),
        advice: text!(
            "Let your mail program retry. If it keeps failing, send the full text of the reply to your provider or to the receiving server's administrator."
        ),
    },
    BasicCode {
        code: 432,
        status: CodeStatus::Standard,
        text: text!("A password transition is needed"),
        rfc821_text: None,
        source: text!("RFC 4954 §6"),
        explanation: text!(
            "The server wants the account to move to a different login method, which usually requires logging in once with the plain password method so the server can set up the new one. Nothing has been sent yet."
        ),
        advice: text!(
            "Check the authentication method in the account settings (try the normal password setting), or ask your provider which login method to use."
        ),
    },
    BasicCode {
        code: 450,
        status: CodeStatus::Standard,
        text: text!(
            "Requested mail action not taken: mailbox unavailable (e.g., mailbox busy or temporarily blocked for policy reasons)"
        ),
        rfc821_text: Some(text!(
            "Requested mail action not taken: mailbox unavailable [E.g., mailbox busy]"
        )),
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server could not accept mail for this recipient right now. Usual causes are greylisting (a spam defence that makes unknown senders try again later), a mailbox that is temporarily locked or busy, or a temporary policy block."
        ),
        advice: text!(
            "Wait and let your mail program retry; greylisted mail normally goes through on a later attempt. If it still fails after a day, contact the recipient another way or write to the receiving server's postmaster."
        ),
    },
    BasicCode {
        code: 451,
        status: CodeStatus::Standard,
        text: text!("Requested action aborted: local error in processing"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server ran into a problem on its own side while handling the message, such as a failed lookup, an unavailable filter or database, or overload. Some spam filters also use it to delay unknown senders."
        ),
        advice: text!(
            "Wait and let your mail program retry. If the error lasts more than a day, contact the receiving server's postmaster with the full text of the reply."
        ),
    },
    BasicCode {
        code: 452,
        status: CodeStatus::Standard,
        text: text!("Requested action not taken: insufficient system storage"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server is temporarily short of storage, or the message has more recipients than it takes in one delivery; in that case it keeps the first recipients and asks for the rest later. With a declared message size it can also mean there is no room for a message that large at the moment."
        ),
        advice: text!(
            "Let your mail program retry; it sends the remaining recipients in a later attempt. If you write to very many recipients at once, split them into smaller groups."
        ),
    },
    BasicCode {
        code: 453,
        status: CodeStatus::Standard,
        text: text!("You have no mail"),
        rfc821_text: None,
        source: text!("RFC 2645"),
        explanation: text!(
            "A reply to ATRN, the command a small site uses to collect its queued mail from its provider. It says that no mail is waiting; nothing is broken."
        ),
        advice: text!("Nothing to fix; ask again later when mail is expected."),
    },
    BasicCode {
        code: 454,
        status: CodeStatus::Standard,
        text: text!("TLS not available due to temporary reason"),
        rfc821_text: None,
        source: text!("RFC 3207 §4"),
        explanation: text!(
            "The server could not start an encrypted connection, or could not check the login, because of a temporary problem on its side (RFC 4954 uses 454 for \"Temporary authentication failure\"). Some servers also use it to refuse relaying for senders who have not logged in."
        ),
        advice: text!(
            "Let your mail program retry later. If it persists, check that the outgoing server settings use the port, encryption and login your provider specifies, and contact the provider."
        ),
    },
    BasicCode {
        code: 455,
        status: CodeStatus::Standard,
        text: text!("Server unable to accommodate parameters"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server cannot handle, for the moment, one of the options the mail program attached to the sender or recipient address, such as a declared size or a delivery notification request."
        ),
        advice: text!(
            "Let your mail program retry later. If it keeps happening, contact the receiving server's administrator."
        ),
    },
    BasicCode {
        code: 458,
        status: CodeStatus::Standard,
        text: text!("Unable to queue messages for node <x>"),
        rfc821_text: None,
        source: text!("RFC 1985"),
        explanation: text!(
            "A reply to ETRN: the server could not start sending the mail it holds for the named domain at the moment."
        ),
        advice: text!(
            "Repeat the request later. If it keeps failing, contact the provider that holds your mail."
        ),
    },
    BasicCode {
        code: 459,
        status: CodeStatus::Standard,
        text: text!("Node <x> not allowed: <reason>"),
        rfc821_text: None,
        source: text!("RFC 1985"),
        explanation: text!(
            "A reply to ETRN: the server refuses to release queued mail for the named domain, for the reason given in the text, for example because this connection may not ask for that domain."
        ),
        advice: text!(
            "Check the domain name in the request and that you connect from an address your provider allows; otherwise contact the provider."
        ),
    },
    BasicCode {
        code: 500,
        status: CodeStatus::Standard,
        text: text!(
            "Syntax error, command unrecognized (This may include errors such as command line too long)"
        ),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server did not understand a command from the mail program, or the command line was too long. This usually points to a setting that connects to the wrong kind of server or port, or to a firewall or antivirus tool that interferes with the connection."
        ),
        advice: text!(
            "Check the outgoing server name and port in the account settings and turn off any mail scanning that sits between the program and the server. If it persists, update the mail program or report the full reply to its vendor."
        ),
    },
    BasicCode {
        code: 501,
        status: CodeStatus::Standard,
        text: text!("Syntax error in parameters or arguments"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server understood the command but not what came with it, most often an e-mail address that is badly formed (spaces, missing or extra characters) or an invalid computer name announced at the start of the session."
        ),
        advice: text!(
            "Check the sender and recipient addresses for typos, spaces and stray characters. If they are correct, check the computer or domain name the program announces, or ask the program's vendor."
        ),
    },
    BasicCode {
        code: 502,
        status: CodeStatus::Standard,
        text: text!("Command not implemented (see Section 4.2.4)"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server knows the command but does not support it. Typical cases are VRFY or EXPN switched off for privacy, or an old server that does not support EHLO."
        ),
        advice: text!(
            "Usually nothing; mail programs work around it. If sending fails, check that the account uses the right outgoing server and port, and contact the server's administrator."
        ),
    },
    BasicCode {
        code: 503,
        status: CodeStatus::Standard,
        text: text!("Bad sequence of commands"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The mail program sent commands in an order the server does not accept, for example a recipient before the sender. In practice it often means the server expects you to log in before sending, and the program did not."
        ),
        advice: text!(
            "Enable authentication for the outgoing (SMTP) server in the account settings and check the port. If it persists, report the full reply to your provider."
        ),
    },
    BasicCode {
        code: 504,
        status: CodeStatus::Standard,
        text: text!("Command parameter not implemented"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server does not support an option the mail program asked for, most often a login (authentication) method it does not offer."
        ),
        advice: text!(
            "Choose a different authentication method in the account settings (for example normal password), or ask your provider which methods the server supports."
        ),
    },
    BasicCode {
        code: 521,
        status: CodeStatus::Standard,
        text: text!("Server does not accept mail"),
        rfc821_text: None,
        source: text!("RFC 7504"),
        explanation: text!(
            "The machine your mail was sent to never accepts e-mail; it runs no mail service for anyone. The message cannot be delivered there."
        ),
        advice: text!(
            "Check the part of the address after the @ for typos. If it is correct, that domain does not receive mail at this host; reach the recipient another way."
        ),
    },
    BasicCode {
        code: 523,
        status: CodeStatus::NonStandard,
        text: text!("Encryption Needed"),
        rfc821_text: None,
        source: text!("IANA SMTP Enhanced Status Codes registry, X.7.10 (RFC 5248)"),
        explanation: text!(
            "No SMTP standard defines this code; the enhanced status code registry lists it beside 5.7.10, which means the chosen login method needs an encrypted connection. The 5 means the refusal stays until something changes."
        ),
        advice: text!(
            "Turn on SSL/TLS or STARTTLS for the outgoing server in the account settings, with the port your provider specifies."
        ),
    },
    BasicCode {
        code: 524,
        status: CodeStatus::NonStandard,
        text: text!("Encryption required for requested authentication mechanism"),
        rfc821_text: None,
        source: text!("IANA SMTP Enhanced Status Codes registry, X.7.11 (RFC 5248)"),
        explanation: text!(
            "No SMTP standard defines this code; the enhanced status code registry lists it beside 5.7.11, which means the chosen login method may only be used over an encrypted connection."
        ),
        advice: text!(
            "Turn on SSL/TLS or STARTTLS for the outgoing server in the account settings, with the port your provider specifies."
        ),
    },
    BasicCode {
        code: 525,
        status: CodeStatus::NonStandard,
        text: text!("User Account Disabled"),
        rfc821_text: None,
        source: text!("IANA SMTP Enhanced Status Codes registry, X.7.13 (RFC 5248)"),
        explanation: text!(
            "No SMTP standard defines this code; the enhanced status code registry lists it beside 5.7.13: the account used to log in has been disabled by its administrator, for example for non-payment, abuse or a suspected break-in."
        ),
        advice: text!(
            "Contact your provider or administrator to have the account enabled again; changing settings in the mail program will not help."
        ),
    },
    BasicCode {
        code: 530,
        status: CodeStatus::Standard,
        text: text!("Authentication required"),
        rfc821_text: None,
        source: text!("RFC 4954 §6"),
        explanation: text!(
            "The server requires you to log in before it accepts this command, or (with the text \"Must issue a STARTTLS command first\") to switch the connection to encryption first. The mail program tried to go ahead without doing so."
        ),
        advice: text!(
            "In the account settings, enable authentication for the outgoing (SMTP) server with your user name and password, and enable SSL/TLS or STARTTLS as your provider specifies."
        ),
    },
    BasicCode {
        code: 533,
        status: CodeStatus::NonStandard,
        text: text!("Delivery not authorized, message refused"),
        rfc821_text: None,
        source: text!("IANA SMTP Enhanced Status Codes registry, X.7.1 (RFC 5248)"),
        explanation: text!(
            "No SMTP standard defines this code; the enhanced status code registry lists it beside 5.7.1: the sender is not allowed to send to this destination, usually a policy or spam-filter decision."
        ),
        advice: text!(
            "Read the text after the code for the reason. If you think the block is a mistake, contact the recipient's postmaster or your own provider."
        ),
    },
    BasicCode {
        code: 534,
        status: CodeStatus::Standard,
        text: text!("Authentication mechanism is too weak"),
        rfc821_text: None,
        source: text!("RFC 4954 §6"),
        explanation: text!(
            "The server refuses the login method the mail program used because it is less secure than the server allows for this account. Some providers also send it when they require an app password or a sign-in through their website first."
        ),
        advice: text!(
            "Choose a more secure authentication method and enable encryption in the account settings. If the text asks for an app password or a web sign-in, follow your provider's instructions."
        ),
    },
    BasicCode {
        code: 535,
        status: CodeStatus::Standard,
        text: text!("Authentication credentials invalid"),
        rfc821_text: None,
        source: text!("RFC 4954 §6"),
        explanation: text!(
            "The server rejected the login: the user name or password is wrong, or the account may not log in this way. Some providers also return it when they require an app password."
        ),
        advice: text!(
            "Check the user name (often the full e-mail address) and the password in the outgoing server settings. If they are right, sign in on the provider's website to check the account, or ask the provider about app passwords."
        ),
    },
    BasicCode {
        code: 538,
        status: CodeStatus::Historic,
        text: text!("Encryption required for requested authentication mechanism"),
        rfc821_text: None,
        source: text!("RFC 4954 §6"),
        explanation: text!(
            "The login method the mail program chose may only be used over an encrypted connection, and this connection was not encrypted. RFC 4954 keeps this code for historical purposes only."
        ),
        advice: text!(
            "Enable SSL/TLS or STARTTLS for the outgoing server in the account settings."
        ),
    },
    BasicCode {
        code: 550,
        status: CodeStatus::Standard,
        text: text!(
            "Requested action not taken: mailbox unavailable (e.g., mailbox not found, no access, or command rejected for policy reasons)"
        ),
        rfc821_text: Some(text!(
            "Requested action not taken: mailbox unavailable [E.g., mailbox not found, no access]"
        )),
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server permanently refused the message for this address. Usually the recipient address does not exist (a typo or a closed account), or the server rejected the sender or the message for policy or spam reasons; the text after the code says which."
        ),
        advice: text!(
            "Check the recipient address for typos. If the address is right, read the text of the reply: for a policy or spam block, contact your provider or the recipient's postmaster rather than resending."
        ),
    },
    BasicCode {
        code: 551,
        status: CodeStatus::Standard,
        text: text!("User not local; please try <forward-path> (See Section 3.4)"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The recipient has no mailbox on this server and the server will not pass the message on; the text often gives the address where the person can be reached now. Some servers use it to refuse relaying mail for other domains."
        ),
        advice: text!(
            "Check the address. If the reply gives a new address, send the message there; otherwise ask the recipient for a current address."
        ),
    },
    BasicCode {
        code: 552,
        status: CodeStatus::Standard,
        text: text!("Requested mail action aborted: exceeded storage allocation"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The message was refused because of size: either the recipient's mailbox is full, or the message with its attachments is larger than the server accepts."
        ),
        advice: text!(
            "Make the message smaller, for example by removing or compressing attachments or sharing large files through a link. If the recipient's mailbox is full, tell them another way and resend later."
        ),
    },
    BasicCode {
        code: 553,
        status: CodeStatus::Standard,
        text: text!(
            "Requested action not taken: mailbox name not allowed (e.g., mailbox syntax incorrect)"
        ),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server refused an address as invalid or not permitted. It may be badly formed or contain characters the server does not accept, or the sender address may be one you are not allowed to send from through this server."
        ),
        advice: text!(
            "Check the recipient address for typos and stray characters, and check that the sender address in the account settings belongs to the account you send through."
        ),
    },
    BasicCode {
        code: 554,
        status: CodeStatus::Standard,
        text: text!(
            "Transaction failed (Or, in the case of a connection-opening response, \"No SMTP service here\")"
        ),
        rfc821_text: Some(text!("Transaction failed")),
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server permanently refused the message or the whole connection. Common causes are a spam or content filter, the sending server's address being on a blocklist, or no valid recipients; at the very start of a connection it means the server will not accept mail from you at all."
        ),
        advice: text!(
            "Read the text of the reply for the reason. If it mentions a blocklist or spam, contact your provider or the recipient's postmaster; do not resend the same message unchanged."
        ),
    },
    BasicCode {
        code: 555,
        status: CodeStatus::Standard,
        text: text!("MAIL FROM/RCPT TO parameters not recognized or not implemented"),
        rfc821_text: None,
        source: text!("RFC 5321 §4.2.3"),
        explanation: text!(
            "The server does not recognise or support an option the mail program attached to the sender or recipient address, such as a size declaration or a request for delivery notifications."
        ),
        advice: text!(
            "Turn off optional features such as delivery receipts and resend, or report the reply to the mail program's vendor."
        ),
    },
    BasicCode {
        code: 556,
        status: CodeStatus::Standard,
        text: text!("Domain does not accept mail"),
        rfc821_text: None,
        source: text!("RFC 7504"),
        explanation: text!(
            "The recipient's domain (the part of the address after the @) has declared that it receives no e-mail at all, usually with a \"null MX\" record in the DNS. No address at that domain can receive the message."
        ),
        advice: text!(
            "Check the domain part of the address for typos. If it is correct, contact the recipient another way and ask for an address that receives mail."
        ),
    },
];

/// Meanings that codes take after particular commands, grouped by code.
pub static CODE_CONTEXTS: &[CodeContext] = &[
    // 211
    CodeContext {
        code: 211,
        command: Command::Help,
        meaning: text!("System status, or system help reply: the answer to HELP"),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 214
    CodeContext {
        code: 214,
        command: Command::Help,
        meaning: text!("Help message: text for the human user, in answer to HELP"),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 220
    CodeContext {
        code: 220,
        command: Command::Greeting,
        meaning: text!(
            "<domain> Service ready: the connection-opening greeting; the client may now send EHLO"
        ),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 220,
        command: Command::StartTls,
        meaning: text!(
            "Ready to start TLS: the client must start the TLS handshake at once; afterwards the session restarts and the client should send EHLO again"
        ),
        source: text!("RFC 3207 §4"),
    },
    // 221
    CodeContext {
        code: 221,
        command: Command::Quit,
        meaning: text!(
            "<domain> Service closing transmission channel: QUIT acknowledged; the server closes the connection"
        ),
        source: text!("RFC 5321 §4.1.1.10"),
    },
    // 235
    CodeContext {
        code: 235,
        command: Command::Auth,
        meaning: text!("Authentication Succeeded: the client is now authenticated (2.7.0)"),
        source: text!("RFC 4954 §6"),
    },
    // 250
    CodeContext {
        code: 250,
        command: Command::Ehlo,
        meaning: text!(
            "Greeting accepted; the lines after the first list the service extensions the server supports"
        ),
        source: text!("RFC 5321 §4.1.1.1"),
    },
    CodeContext {
        code: 250,
        command: Command::Helo,
        meaning: text!("Greeting accepted (HELO: no list of extensions)"),
        source: text!("RFC 5321 §4.1.1.1"),
    },
    CodeContext {
        code: 250,
        command: Command::Mail,
        meaning: text!("Sender (reverse-path) accepted; the mail transaction has begun"),
        source: text!("RFC 5321 §4.1.1.2"),
    },
    CodeContext {
        code: 250,
        command: Command::Rcpt,
        meaning: text!("Recipient accepted"),
        source: text!("RFC 5321 §4.1.1.3"),
    },
    CodeContext {
        code: 250,
        command: Command::DataEnd,
        meaning: text!(
            "Message accepted: the server has stored it and is now responsible for delivering it"
        ),
        source: text!("RFC 5321 §4.1.1.4"),
    },
    CodeContext {
        code: 250,
        command: Command::Bdat,
        meaning: text!(
            "Chunk received (one 250 per chunk); after BDAT with LAST, the whole message is accepted"
        ),
        source: text!("RFC 3030 §2"),
    },
    CodeContext {
        code: 250,
        command: Command::Rset,
        meaning: text!("Transaction aborted: sender, recipients and data discarded"),
        source: text!("RFC 5321 §4.1.1.5"),
    },
    CodeContext {
        code: 250,
        command: Command::Vrfy,
        meaning: text!("The address is valid; the reply gives the full mailbox"),
        source: text!("RFC 5321 §3.5.2"),
    },
    CodeContext {
        code: 250,
        command: Command::Expn,
        meaning: text!("Mailing list expanded: one member per reply line"),
        source: text!("RFC 5321 §3.5"),
    },
    CodeContext {
        code: 250,
        command: Command::Noop,
        meaning: text!("OK: no action taken; the connection is alive"),
        source: text!("RFC 5321 §4.1.1.9"),
    },
    CodeContext {
        code: 250,
        command: Command::Etrn,
        meaning: text!("OK, queuing for node <x> started"),
        source: text!("RFC 1985"),
    },
    CodeContext {
        code: 250,
        command: Command::Atrn,
        meaning: text!(
            "OK, turnaround: the roles reverse and the server now delivers the queued mail to the client"
        ),
        source: text!("RFC 2645"),
    },
    CodeContext {
        code: 250,
        command: Command::Send,
        meaning: text!(
            "Obsolete SEND accepted: the transaction begins, for delivery to the user's terminal"
        ),
        source: text!("RFC 821 §4.3"),
    },
    CodeContext {
        code: 250,
        command: Command::Soml,
        meaning: text!(
            "Obsolete SOML accepted: the transaction begins, for the user's terminal or else the mailbox"
        ),
        source: text!("RFC 821 §4.3"),
    },
    CodeContext {
        code: 250,
        command: Command::Saml,
        meaning: text!(
            "Obsolete SAML accepted: the transaction begins, for the user's terminal and the mailbox"
        ),
        source: text!("RFC 821 §4.3"),
    },
    CodeContext {
        code: 250,
        command: Command::Turn,
        meaning: text!("Obsolete TURN accepted: client and server swap roles"),
        source: text!("RFC 821 §4.3"),
    },
    // 251
    CodeContext {
        code: 251,
        command: Command::Rcpt,
        meaning: text!(
            "User not local; will forward to <forward-path>: recipient accepted, and the server forwards the message to the path in the text"
        ),
        source: text!("RFC 5321 §3.4"),
    },
    CodeContext {
        code: 251,
        command: Command::Vrfy,
        meaning: text!("User not local; the text gives the forward-path"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 251,
        command: Command::Etrn,
        meaning: text!("OK, no messages waiting for node <x>"),
        source: text!("RFC 1985"),
    },
    // 252
    CodeContext {
        code: 252,
        command: Command::Vrfy,
        meaning: text!(
            "Cannot VRFY user, but will accept message and attempt delivery; with SMTPUTF8, also a reply that would need UTF-8 the client did not request (X.6.8)"
        ),
        source: text!("RFC 5321 §3.5.3; RFC 6531 §3.7.4.2"),
    },
    CodeContext {
        code: 252,
        command: Command::Expn,
        meaning: text!(
            "The server will not expand the list but will accept mail for it; with SMTPUTF8, also a reply that would need UTF-8 the client did not request (X.6.8)"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 6531 §3.7.4.2"),
    },
    CodeContext {
        code: 252,
        command: Command::Etrn,
        meaning: text!("OK, pending messages for node <x> started"),
        source: text!("RFC 1985"),
    },
    // 253
    CodeContext {
        code: 253,
        command: Command::Etrn,
        meaning: text!("OK, <n> pending messages for node <x> started"),
        source: text!("RFC 1985"),
    },
    // 334
    CodeContext {
        code: 334,
        command: Command::Auth,
        meaning: text!(
            "Server challenge: the text is a base64 string (possibly empty); the client answers with one base64 line, or \"*\" to cancel"
        ),
        source: text!("RFC 4954 §4"),
    },
    // 354
    CodeContext {
        code: 354,
        command: Command::Data,
        meaning: text!(
            "Start mail input; end with <CRLF>.<CRLF>: the client now sends the message"
        ),
        source: text!("RFC 5321 §4.1.1.4"),
    },
    // 421
    CodeContext {
        code: 421,
        command: Command::Greeting,
        meaning: text!(
            "Service not available: the server refuses the connection at the greeting (RFC 821's greeting failure; RFC 5321 uses 554)"
        ),
        source: text!("RFC 821 §4.3"),
    },
    CodeContext {
        code: 421,
        command: Command::Unknown,
        meaning: text!(
            "Service not available, closing transmission channel: may answer any command, or arrive unasked, when the server must shut down; the connection ends"
        ),
        source: text!("RFC 5321 §3.8"),
    },
    // 432
    CodeContext {
        code: 432,
        command: Command::Auth,
        meaning: text!("A password transition is needed (4.7.12)"),
        source: text!("RFC 4954 §6"),
    },
    // 450
    CodeContext {
        code: 450,
        command: Command::Rcpt,
        meaning: text!(
            "Mailbox unavailable for now (busy, or temporarily blocked for policy reasons, e.g. greylisting)"
        ),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 450,
        command: Command::DataEnd,
        meaning: text!("Message refused for now, for policy reasons"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 450,
        command: Command::Atrn,
        meaning: text!("ATRN request refused"),
        source: text!("RFC 2645"),
    },
    // 451
    CodeContext {
        code: 451,
        command: Command::Mail,
        meaning: text!("Local error in processing: the sender could not be handled now"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 451,
        command: Command::Rcpt,
        meaning: text!("Local error in processing: the recipient could not be handled now"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 451,
        command: Command::Data,
        meaning: text!("RFC 821: the server cannot accept message data now"),
        source: text!("RFC 821 §4.3"),
    },
    CodeContext {
        code: 451,
        command: Command::DataEnd,
        meaning: text!("Local error in processing: the message was not accepted; retry later"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 451,
        command: Command::Atrn,
        meaning: text!("Unable to process ATRN request now"),
        source: text!("RFC 2645"),
    },
    CodeContext {
        code: 451,
        command: Command::Unknown,
        meaning: text!(
            "Connection lost or reset: the client treats the open transaction as if 451 had been received"
        ),
        source: text!("RFC 5321 §3.8"),
    },
    // 452
    CodeContext {
        code: 452,
        command: Command::Mail,
        meaning: text!(
            "Insufficient system storage; with SIZE, no room now for a message of the declared size"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 1870 §6.1"),
    },
    CodeContext {
        code: 452,
        command: Command::Rcpt,
        meaning: text!(
            "Too many recipients for this transaction (send the rest later), insufficient storage, or (SIZE) not now for this recipient"
        ),
        source: text!("RFC 5321 §4.5.3.1.10; RFC 1870 §6.4"),
    },
    CodeContext {
        code: 452,
        command: Command::DataEnd,
        meaning: text!("Insufficient system storage: the message could not be stored now"),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 453
    CodeContext {
        code: 453,
        command: Command::Atrn,
        meaning: text!("You have no mail"),
        source: text!("RFC 2645"),
    },
    // 454
    CodeContext {
        code: 454,
        command: Command::StartTls,
        meaning: text!("TLS not available due to temporary reason"),
        source: text!("RFC 3207 §4"),
    },
    CodeContext {
        code: 454,
        command: Command::Auth,
        meaning: text!("Temporary authentication failure (4.7.0)"),
        source: text!("RFC 4954 §6"),
    },
    // 455
    CodeContext {
        code: 455,
        command: Command::Mail,
        meaning: text!("Server unable to accommodate the MAIL FROM parameters for now"),
        source: text!("RFC 5321 §4.1.1.11"),
    },
    CodeContext {
        code: 455,
        command: Command::Rcpt,
        meaning: text!("Server unable to accommodate the RCPT TO parameters for now"),
        source: text!("RFC 5321 §4.1.1.11"),
    },
    // 458
    CodeContext {
        code: 458,
        command: Command::Etrn,
        meaning: text!("Unable to queue messages for node <x>"),
        source: text!("RFC 1985"),
    },
    // 459
    CodeContext {
        code: 459,
        command: Command::Etrn,
        meaning: text!("Node <x> not allowed: <reason>"),
        source: text!("RFC 1985"),
    },
    // 500
    CodeContext {
        code: 500,
        command: Command::Ehlo,
        meaning: text!(
            "EHLO not recognized (an old server): the client should fall back to HELO"
        ),
        source: text!("RFC 5321 §3.2"),
    },
    CodeContext {
        code: 500,
        command: Command::Auth,
        meaning: text!("Authentication Exchange line is too long (5.5.6)"),
        source: text!("RFC 4954 §6"),
    },
    CodeContext {
        code: 500,
        command: Command::Unknown,
        meaning: text!(
            "Command not recognized, or command line too long: any command may get this reply"
        ),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 501
    CodeContext {
        code: 501,
        command: Command::Ehlo,
        meaning: text!(
            "EHLO not acceptable (e.g. an invalid domain argument); the server state is unchanged"
        ),
        source: text!("RFC 5321 §4.1.4"),
    },
    CodeContext {
        code: 501,
        command: Command::Auth,
        meaning: text!(
            "Exchange cancelled by the client with \"*\", undecodable base64 (5.5.2), or an initial response given to a mechanism where the server speaks first (5.7.0)"
        ),
        source: text!("RFC 4954 §4"),
    },
    CodeContext {
        code: 501,
        command: Command::StartTls,
        meaning: text!("Syntax error (no parameters allowed)"),
        source: text!("RFC 3207 §4"),
    },
    CodeContext {
        code: 501,
        command: Command::Unknown,
        meaning: text!(
            "Syntax error in command or arguments, including arguments given to DATA, RSET or QUIT: any command may get this reply"
        ),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 502
    CodeContext {
        code: 502,
        command: Command::Ehlo,
        meaning: text!("EHLO not implemented (an old server): the client should fall back to HELO"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 502,
        command: Command::Vrfy,
        meaning: text!("VRFY not implemented or disabled"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 502,
        command: Command::Expn,
        meaning: text!("EXPN not implemented or disabled"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 502,
        command: Command::Turn,
        meaning: text!("Obsolete TURN refused"),
        source: text!("RFC 821 §4.3"),
    },
    CodeContext {
        code: 502,
        command: Command::Unknown,
        meaning: text!(
            "Command recognized but not implemented; a server must not advertise in EHLO an extension it answers this way"
        ),
        source: text!("RFC 5321 §4.2.4"),
    },
    // 503
    CodeContext {
        code: 503,
        command: Command::Mail,
        meaning: text!(
            "MAIL out of sequence: no EHLO/HELO yet, or a mail transaction is already open"
        ),
        source: text!("RFC 5321 §4.1.4"),
    },
    CodeContext {
        code: 503,
        command: Command::Rcpt,
        meaning: text!("RCPT without a previous successful MAIL"),
        source: text!("RFC 5321 §3.3"),
    },
    CodeContext {
        code: 503,
        command: Command::Data,
        meaning: text!(
            "DATA out of sequence: no sender or no accepted recipient, DATA after BDAT in the same transaction, or DATA with BODY=BINARYMIME"
        ),
        source: text!("RFC 5321 §3.3; RFC 3030 §2, §3"),
    },
    CodeContext {
        code: 503,
        command: Command::Bdat,
        meaning: text!(
            "BDAT after the LAST chunk was already sent; the state is then unclear and RSET is required"
        ),
        source: text!("RFC 3030 §2"),
    },
    CodeContext {
        code: 503,
        command: Command::Auth,
        meaning: text!("AUTH after a successful AUTH, or during a mail transaction"),
        source: text!("RFC 4954 §4"),
    },
    CodeContext {
        code: 503,
        command: Command::Unknown,
        meaning: text!(
            "Bad sequence of commands; after a 554 greeting, the reply to every command except QUIT"
        ),
        source: text!("RFC 5321 §4.2.3, §3.1"),
    },
    // 504
    CodeContext {
        code: 504,
        command: Command::Auth,
        meaning: text!("Authentication mechanism not supported (5.5.4)"),
        source: text!("RFC 4954 §4"),
    },
    CodeContext {
        code: 504,
        command: Command::Unknown,
        meaning: text!("Command parameter not implemented"),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 521
    CodeContext {
        code: 521,
        command: Command::Greeting,
        meaning: text!(
            "This host never accepts mail: the connection-opening reply of a server with no mail service"
        ),
        source: text!("RFC 7504"),
    },
    // 530
    CodeContext {
        code: 530,
        command: Command::Atrn,
        meaning: text!("Authentication required before ATRN"),
        source: text!("RFC 2645"),
    },
    CodeContext {
        code: 530,
        command: Command::Unknown,
        meaning: text!(
            "Authentication required (5.7.0), to commands other than AUTH, EHLO, HELO, NOOP, RSET, QUIT; or Must issue a STARTTLS command first (5.7.0), to commands other than NOOP, EHLO, STARTTLS, QUIT"
        ),
        source: text!("RFC 4954 §6; RFC 3207 §4"),
    },
    // 534
    CodeContext {
        code: 534,
        command: Command::Auth,
        meaning: text!("Authentication mechanism is too weak (5.7.9)"),
        source: text!("RFC 4954 §6"),
    },
    // 535
    CodeContext {
        code: 535,
        command: Command::Auth,
        meaning: text!("Authentication credentials invalid (5.7.8)"),
        source: text!("RFC 4954 §6"),
    },
    // 538
    CodeContext {
        code: 538,
        command: Command::Auth,
        meaning: text!("Encryption required for requested authentication mechanism (5.7.11)"),
        source: text!("RFC 4954 §6"),
    },
    // 550
    CodeContext {
        code: 550,
        command: Command::Ehlo,
        meaning: text!("EHLO not acceptable; the server state is unchanged"),
        source: text!("RFC 5321 §4.1.4"),
    },
    CodeContext {
        code: 550,
        command: Command::Mail,
        meaning: text!(
            "Sender refused (mailbox unavailable or policy); with SMTPUTF8, the MAIL command requires an ASCII address (X.6.7)"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 6531 §3.5"),
    },
    CodeContext {
        code: 550,
        command: Command::Rcpt,
        meaning: text!(
            "Mailbox unavailable: the recipient does not exist, access is denied, or the command was rejected for policy reasons"
        ),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 550,
        command: Command::DataEnd,
        meaning: text!("Message rejected for policy reasons"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 550,
        command: Command::Vrfy,
        meaning: text!(
            "No such user; with SMTPUTF8, also a reply that would need UTF-8 the client did not request (X.6.8)"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 6531 §3.7.4.2"),
    },
    CodeContext {
        code: 550,
        command: Command::Expn,
        meaning: text!(
            "No such list; with SMTPUTF8, also a reply that would need UTF-8 the client did not request (X.6.8)"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 6531 §3.7.4.2"),
    },
    // 551
    CodeContext {
        code: 551,
        command: Command::Rcpt,
        meaning: text!(
            "User not local; please try <forward-path>: the server refuses; the sender must redirect to the path in the text or return an error"
        ),
        source: text!("RFC 5321 §3.4"),
    },
    CodeContext {
        code: 551,
        command: Command::Vrfy,
        meaning: text!("User not local; the text may give the forward-path to try"),
        source: text!("RFC 5321 §4.3.2"),
    },
    // 552
    CodeContext {
        code: 552,
        command: Command::Mail,
        meaning: text!(
            "Exceeded storage allocation; with SIZE, the declared size exceeds the fixed maximum message size"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 1870 §6.1"),
    },
    CodeContext {
        code: 552,
        command: Command::Rcpt,
        meaning: text!(
            "Exceeded storage allocation for this recipient, or (SIZE) the message is too large for this recipient; RFC 821 also used 552 for too many recipients, which clients should treat as 452"
        ),
        source: text!("RFC 1870 §6.4; RFC 5321 §4.5.3.1.10"),
    },
    CodeContext {
        code: 552,
        command: Command::DataEnd,
        meaning: text!(
            "Message too large: exceeded storage allocation, or larger than the size declared with SIZE"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 1870 §6.3"),
    },
    // 553
    CodeContext {
        code: 553,
        command: Command::Mail,
        meaning: text!("Sender mailbox name not allowed (e.g., syntax incorrect)"),
        source: text!("RFC 5321 §4.3.2"),
    },
    CodeContext {
        code: 553,
        command: Command::Rcpt,
        meaning: text!(
            "Mailbox name not allowed (e.g., syntax incorrect); with SMTPUTF8, the RCPT command requires an ASCII address (X.6.7)"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 6531 §3.5"),
    },
    // 554
    CodeContext {
        code: 554,
        command: Command::Greeting,
        meaning: text!(
            "No SMTP service here: the session is refused; the server waits for QUIT and answers other commands with 503"
        ),
        source: text!("RFC 5321 §3.1"),
    },
    CodeContext {
        code: 554,
        command: Command::Data,
        meaning: text!("No valid recipients: the client must not send the message data"),
        source: text!("RFC 5321 §3.3"),
    },
    CodeContext {
        code: 554,
        command: Command::DataEnd,
        meaning: text!(
            "Transaction failed: the message was refused; with SMTPUTF8, a recipient cannot accept UTF-8 header fields (X.6.9)"
        ),
        source: text!("RFC 5321 §4.3.2; RFC 6531 §3.5"),
    },
    CodeContext {
        code: 554,
        command: Command::Unknown,
        meaning: text!(
            "Command refused due to lack of security: after a STARTTLS handshake the server found insufficient, the reply to every command except QUIT"
        ),
        source: text!("RFC 3207 §4.1"),
    },
    // 555
    CodeContext {
        code: 555,
        command: Command::Mail,
        meaning: text!("MAIL FROM parameters not recognized or not implemented"),
        source: text!("RFC 5321 §4.1.1.11"),
    },
    CodeContext {
        code: 555,
        command: Command::Rcpt,
        meaning: text!("RCPT TO parameters not recognized or not implemented"),
        source: text!("RFC 5321 §4.1.1.11"),
    },
    // 556
    CodeContext {
        code: 556,
        command: Command::Rcpt,
        meaning: text!(
            "Domain does not accept mail: the recipient's domain announces that it takes no mail (e.g., null MX)"
        ),
        source: text!("RFC 7504; RFC 7505"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::code_info;

    /// Every code the table must hold, with its status.
    const EXPECTED: &[(u16, CodeStatus)] = &[
        (211, CodeStatus::Standard),
        (214, CodeStatus::Standard),
        (220, CodeStatus::Standard),
        (221, CodeStatus::Standard),
        (235, CodeStatus::Standard),
        (250, CodeStatus::Standard),
        (251, CodeStatus::Standard),
        (252, CodeStatus::Standard),
        (253, CodeStatus::Standard),
        (334, CodeStatus::Standard),
        (354, CodeStatus::Standard),
        (355, CodeStatus::Historic),
        (421, CodeStatus::Standard),
        (422, CodeStatus::NonStandard),
        (430, CodeStatus::NonStandard),
        (432, CodeStatus::Standard),
        (450, CodeStatus::Standard),
        (451, CodeStatus::Standard),
        (452, CodeStatus::Standard),
        (453, CodeStatus::Standard),
        (454, CodeStatus::Standard),
        (455, CodeStatus::Standard),
        (458, CodeStatus::Standard),
        (459, CodeStatus::Standard),
        (500, CodeStatus::Standard),
        (501, CodeStatus::Standard),
        (502, CodeStatus::Standard),
        (503, CodeStatus::Standard),
        (504, CodeStatus::Standard),
        (521, CodeStatus::Standard),
        (523, CodeStatus::NonStandard),
        (524, CodeStatus::NonStandard),
        (525, CodeStatus::NonStandard),
        (530, CodeStatus::Standard),
        (533, CodeStatus::NonStandard),
        (534, CodeStatus::Standard),
        (535, CodeStatus::Standard),
        (538, CodeStatus::Historic),
        (550, CodeStatus::Standard),
        (551, CodeStatus::Standard),
        (552, CodeStatus::Standard),
        (553, CodeStatus::Standard),
        (554, CodeStatus::Standard),
        (555, CodeStatus::Standard),
        (556, CodeStatus::Standard),
    ];

    /// RFC 821 §4.2.2 ("Numeric order list of reply codes"), verbatim, line breaks joined.
    const RFC821: &[(u16, &str)] = &[
        (211, "System status, or system help reply"),
        (
            214,
            "Help message [Information on how to use the receiver or the meaning of a particular non-standard command; this reply is useful only to the human user]",
        ),
        (220, "<domain> Service ready"),
        (221, "<domain> Service closing transmission channel"),
        (250, "Requested mail action okay, completed"),
        (251, "User not local; will forward to <forward-path>"),
        (354, "Start mail input; end with <CRLF>.<CRLF>"),
        (
            421,
            "<domain> Service not available, closing transmission channel [This may be a reply to any command if the service knows it must shut down]",
        ),
        (450, "Requested mail action not taken: mailbox unavailable [E.g., mailbox busy]"),
        (451, "Requested action aborted: local error in processing"),
        (452, "Requested action not taken: insufficient system storage"),
        (
            500,
            "Syntax error, command unrecognized [This may include errors such as command line too long]",
        ),
        (501, "Syntax error in parameters or arguments"),
        (502, "Command not implemented"),
        (503, "Bad sequence of commands"),
        (504, "Command parameter not implemented"),
        (
            550,
            "Requested action not taken: mailbox unavailable [E.g., mailbox not found, no access]",
        ),
        (551, "User not local; please try <forward-path>"),
        (552, "Requested mail action aborted: exceeded storage allocation"),
        (553, "Requested action not taken: mailbox name not allowed [E.g., mailbox syntax incorrect]"),
        (554, "Transaction failed"),
    ];

    /// Wording with typography removed: lower case, brackets as parentheses, and RFC 5321's
    /// "(See Section n.n)" cross-references dropped.
    fn normalize(s: &str) -> String {
        let mut t = s.to_ascii_lowercase().replace('[', "(").replace(']', ")");
        while let Some(start) = t.find(" (see section ") {
            let end = start + t[start..].find(')').expect("closing parenthesis") + 1;
            t.replace_range(start..end, "");
        }
        t
    }

    fn row(code: u16) -> &'static BasicCode {
        BASIC_CODES.iter().find(|e| e.code == code).unwrap_or_else(|| panic!("{code} missing from BASIC_CODES"))
    }

    #[test]
    fn codes_sorted_unique_and_in_range() {
        for pair in BASIC_CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "BASIC_CODES not strictly ascending at {} then {}",
                pair[0].code,
                pair[1].code
            );
        }
        for e in BASIC_CODES {
            assert!((200..=599).contains(&e.code), "{} out of range", e.code);
            assert!((e.code / 10) % 10 <= 5, "{}: second digit outside RFC 5321 grammar", e.code);
        }
    }

    #[test]
    fn exactly_the_expected_codes_with_their_status() {
        assert_eq!(BASIC_CODES.len(), EXPECTED.len());
        for &(code, status) in EXPECTED {
            assert_eq!(row(code).status, status, "status of {code}");
        }
        let unregistered = BASIC_CODES.iter().filter(|e| e.status == CodeStatus::Unregistered);
        assert_eq!(unregistered.count(), 0);
    }

    #[test]
    fn no_empty_strings_and_plain_language_differs_from_rfc_text() {
        for e in BASIC_CODES {
            let c = e.code;
            for (name, s) in [
                ("text", e.text.as_str()),
                ("source", e.source.as_str()),
                ("explanation", e.explanation.as_str()),
                ("advice", e.advice.as_str()),
            ] {
                assert!(!s.trim().is_empty(), "{c}: empty {name}");
                assert_eq!(s, s.trim(), "{c}: {name} has surrounding whitespace");
            }
            if let Some(t) = e.rfc821_text {
                assert!(!t.as_str().trim().is_empty(), "{c}: empty rfc821_text");
            }
            assert_ne!(e.explanation.as_str(), e.text.as_str(), "{c}: explanation repeats text");
            assert_ne!(e.advice.as_str(), e.text.as_str(), "{c}: advice repeats text");
            assert_ne!(e.advice.as_str(), e.explanation.as_str(), "{c}: advice repeats explanation");
            for s in [e.explanation.as_str(), e.advice.as_str()] {
                assert!(!s.contains('!'), "{c}: exclamation mark in {s:?}");
                assert!(s.ends_with('.'), "{c}: not a full sentence: {s:?}");
            }
        }
    }

    #[test]
    fn sources_name_an_rfc_or_the_registry() {
        for e in BASIC_CODES {
            let s = e.source.as_str();
            match e.status {
                CodeStatus::NonStandard => {
                    assert!(s.starts_with("IANA SMTP Enhanced Status Codes registry"), "{}: {s}", e.code)
                }
                _ => assert!(s.starts_with("RFC "), "{}: {s}", e.code),
            }
        }
        for c in CODE_CONTEXTS {
            assert!(c.source.as_str().starts_with("RFC "), "{} {:?}: {}", c.code, c.command, c.source);
        }
    }

    #[test]
    fn success_and_intermediate_codes_say_so() {
        for e in BASIC_CODES.iter().filter(|e| e.code < 400) {
            assert!(e.explanation.as_str().starts_with("This is not an error."), "{}: {}", e.code, e.explanation);
            assert!(e.advice.as_str().starts_with("Nothing to do"), "{}: {}", e.code, e.advice);
        }
        for e in BASIC_CODES.iter().filter(|e| e.code >= 400) {
            assert!(!e.explanation.as_str().contains("not an error"), "{}", e.code);
            assert!(!e.advice.as_str().starts_with("Nothing to do"), "{}", e.code);
        }
    }

    #[test]
    fn rfc821_wording_set_exactly_where_rfc821_differs() {
        for &(code, rfc821) in RFC821 {
            let e = row(code);
            let same = normalize(rfc821) == normalize(e.text.as_str());
            match e.rfc821_text {
                Some(t) => {
                    assert_eq!(t.as_str(), rfc821, "{code}: rfc821_text is not RFC 821's wording");
                    assert!(!same, "{code}: rfc821_text set, but RFC 821 says the same");
                }
                None => assert!(same, "{code}: RFC 821 words it differently: {rfc821:?}"),
            }
        }
        for e in BASIC_CODES {
            if !RFC821.iter().any(|&(c, _)| c == e.code) {
                assert!(e.rfc821_text.is_none(), "{}: not an RFC 821 code", e.code);
            }
        }
        let differing: Vec<u16> = BASIC_CODES.iter().filter(|e| e.rfc821_text.is_some()).map(|e| e.code).collect();
        assert_eq!(differing, [450, 550, 554]);
    }

    #[test]
    fn rfc5321_wording_is_quoted() {
        assert_eq!(row(451).text.as_str(), "Requested action aborted: local error in processing");
        assert_eq!(
            row(550).text.as_str(),
            "Requested action not taken: mailbox unavailable (e.g., mailbox not found, no access, or command rejected for policy reasons)"
        );
        assert_eq!(row(235).text.as_str(), "Authentication Succeeded");
        assert_eq!(row(235).source.as_str(), "RFC 4954 §6");
        assert_eq!(row(500).source.as_str(), "RFC 5321 §4.2.3");
    }

    #[test]
    fn contexts_sorted_known_and_non_empty() {
        for pair in CODE_CONTEXTS.windows(2) {
            assert!(
                pair[0].code <= pair[1].code,
                "CODE_CONTEXTS not grouped by code at {} then {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CODE_CONTEXTS {
            assert!(
                BASIC_CODES.binary_search_by_key(&c.code, |e| e.code).is_ok(),
                "context code {} not in BASIC_CODES",
                c.code
            );
            assert!(!c.meaning.as_str().trim().is_empty(), "{} {:?}: empty meaning", c.code, c.command);
            assert!(!c.source.as_str().trim().is_empty(), "{} {:?}: empty source", c.code, c.command);
        }
        for (i, a) in CODE_CONTEXTS.iter().enumerate() {
            for b in &CODE_CONTEXTS[i + 1..] {
                assert!(!(a.code == b.code && a.command == b.command), "duplicate context {} {:?}", a.code, a.command);
            }
        }
    }

    #[test]
    fn key_contexts_present() {
        let has = |code: u16, cmd: Command| CODE_CONTEXTS.iter().any(|c| c.code == code && c.command == cmd);
        assert!(has(220, Command::Greeting));
        assert!(has(220, Command::StartTls));
        assert!(has(334, Command::Auth));
        assert!(has(354, Command::Data));
        assert!(has(221, Command::Quit));
        assert!(has(554, Command::Greeting));
        assert!(has(421, Command::Unknown));
        for cmd in [
            Command::Ehlo,
            Command::Helo,
            Command::Mail,
            Command::Rcpt,
            Command::DataEnd,
            Command::Rset,
            Command::Noop,
            Command::Vrfy,
            Command::Bdat,
            Command::Etrn,
            Command::Atrn,
        ] {
            assert!(has(250, cmd), "250 after {cmd:?}");
        }
        assert!(!has(354, Command::Auth));
        assert!(!has(220, Command::Rcpt));
    }

    #[test]
    fn lookups_through_code_info() {
        let info = code_info(220).unwrap();
        assert_eq!(info.status, CodeStatus::Standard);
        let tls = info.meaning_after(Command::StartTls).expect("220 after STARTTLS");
        assert!(tls.meaning.as_str().starts_with("Ready to start TLS"));
        assert_eq!(tls.source.as_str(), "RFC 3207 §4");
        assert!(info.meaning_after(Command::Greeting).is_some());

        let info = code_info(550).unwrap();
        assert_eq!(
            info.rfc821_text(),
            Some("Requested action not taken: mailbox unavailable [E.g., mailbox not found, no access]")
        );
        assert_eq!(info.source(), Some("RFC 5321 §4.2.3"));
        assert!(info.contexts().count() >= 3);

        assert_eq!(code_info(538).unwrap().status, CodeStatus::Historic);
        assert_eq!(code_info(525).unwrap().status, CodeStatus::NonStandard);
        assert_eq!(code_info(220).unwrap().rfc821_text(), None);
        assert_eq!(code_info(599).unwrap().status, CodeStatus::Unregistered);
        assert_eq!(code_info(599).unwrap().entry.map(|e| e.code), None);
    }
}
