//! Provider and MTA signatures: a reply code, an enhanced code and text that together identify
//! what a particular provider means. These win over generic phrases.
//!
//! Each row names its source. Fragments are lower case and matched after cleaning.

use super::blocklists::Blocklist;
use super::reason::Action::*;
use super::reason::Bounce::Hard;
use super::reason::Reason::*;
use super::rules::{provider, Rule, IN_HOST};
use crate::text::Text;

const GMAIL: Text = text!("Google Workspace SMTP error reference (support.google.com/a/answer/3726730)");
const MICROSOFT: Text = text!("Microsoft 365 NDR reference (learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online)");
const YAHOO: Text = text!("Yahoo Sender Hub SMTP error codes (senders.yahooinc.com/smtp-error-codes)");

pub(crate) static RULES: &[Rule] = &[
    // ---- Gmail / Google Workspace ----
    provider(text!("gmail-nosuchuser"), &["p=nosuchuser"], UserUnknown, GMAIL).flags(IN_HOST),
    provider(text!("gmail-disableduser"), &["p=disableduser"], MailboxDisabled, GMAIL).flags(IN_HOST),
    provider(text!("gmail-overquotatemp"), &["p=overquotatemp"], MailboxFull, GMAIL).flags(IN_HOST),
    provider(text!("gmail-overquotaperm"), &["overquotaperm"], MailboxFull, GMAIL)
        .flags(IN_HOST)
        .bounce(Hard)
        .action(RemoveRecipient),
    provider(text!("gmail-unusual-rate"), &["unusual rate"], RateLimited, GMAIL).enhanced(7, 28),
    provider(text!("gmail-receiving-rate"), &["receiving mail at a rate"], RateLimited, GMAIL),
    // ---- Microsoft 365 / Outlook.com / Exchange ----
    provider(text!("microsoft-s3150"), &["s3150"], IpReputation, MICROSOFT),
    provider(text!("microsoft-s3140"), &["s3140"], IpReputation, MICROSOFT),
    provider(text!("microsoft-recipnotfound"), &["resolver.adr.recipnotfound"], UserUnknown, MICROSOFT).flags(IN_HOST),
    provider(text!("microsoft-recipientnotfound"), &["resolver.adr.recipientnotfound"], UserUnknown, MICROSOFT)
        .flags(IN_HOST),
    provider(text!("microsoft-recipsizelimit"), &["resolver.rst.recipsizelimit"], MessageTooLarge, MICROSOFT)
        .flags(IN_HOST),
    provider(text!("microsoft-authrequired"), &["resolver.rst.authrequired"], AuthRequired, MICROSOFT).flags(IN_HOST),
    provider(text!("microsoft-banned-ip"), &["banned sending ip"], IpReputation, MICROSOFT).enhanced(7, 606),
    provider(text!("microsoft-dmarc-reject"), &["dmarc"], SenderAuthFailed, MICROSOFT).enhanced(7, 509),
    provider(text!("microsoft-auth-level"), &["authentication"], SenderAuthFailed, MICROSOFT).enhanced(7, 515),
    provider(text!("microsoft-recipient-rate"), &["number of messages"], RateLimited, MICROSOFT).enhanced(2, 122),
    provider(text!("microsoft-queue-expired"), &["queue.expired"], Expired, MICROSOFT).flags(IN_HOST),
    // ---- Yahoo / AOL ----
    provider(text!("yahoo-dd-no-account"), &["delivery error: dd", "doesn't have a"], UserUnknown, YAHOO),
    provider(text!("yahoo-tss04"), &["[tss04]"], RateLimited, YAHOO),
    provider(text!("yahoo-ph01"), &["[ph01]"], PolicyRejected, YAHOO),
    // ---- Mimecast ----
    provider(
        text!("mimecast-spam-signature"),
        &["mcspamsignature"],
        SpamDetected,
        text!("Mimecast SMTP error codes (community.mimecast.com)"),
    )
    .flags(IN_HOST),
    // ---- Cox ----
    provider(
        text!("cox-cdrbl"),
        &["cdrbl"],
        Blocklisted,
        text!("Cox email error codes (cox.com/residential/support/email-error-codes.html)"),
    )
    .flags(IN_HOST)
    .blocklist(Blocklist::Other),
];
