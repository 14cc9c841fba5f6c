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
use Blocklist as B;

const GMAIL: Text = text!("Google Workspace SMTP error reference (support.google.com/a/answer/3726730)");
const MICROSOFT: Text = text!("Microsoft 365 NDR reference (learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online)");
const YAHOO: Text = text!("Yahoo Sender Hub SMTP error codes (senders.yahooinc.com/smtp-error-codes)");
const SIS_GOOGLE: Text = text!("sisimai/p5-sisimai lib/Sisimai/Rhost/Google.pm");
const SIS_MS: Text = text!("sisimai/p5-sisimai lib/Sisimai/Rhost/Microsoft.pm");
const EXCH_ACK: Text =
    text!("evilashz/exchange-server-27065 Microsoft.Exchange.Transport/Exchange/Transport/AckReason.cs");
const SUPED_MS: Text = text!("https://www.suped.com/knowledge/email-deliverability/sender-reputation/what-causes-temporary-rate-limiting-due-to-ip-reputation-with-microsoft-email-servers");
const WTTW_MS: Text = text!("https://wordtothewise.com/2017/10/troubleshooting-and-codes");
const SIS_YAHOO: Text = text!("sisimai/p5-sisimai lib/Sisimai/Rhost/YahooInc.pm");
const TAMING_Y: Text = text!("https://tamingdns.com/bounce-decoder/yahoo");
const DELIV_Y: Text = text!("http://blog.deliverability.com/2008/09/a-few-days-ago.html");
const SIS_APPLE: Text = text!("sisimai/p5-sisimai lib/Sisimai/Rhost/Apple.pm");
const COMCAST: Text = text!("http://postmaster.comcast.net/mail-error-codes.html");
const COMCAST_BIZ: Text = text!("https://business.comcast.com/help-and-support/internet/email-bounce-back-messages/");
const COMCAST_SEC: Text = text!("http://security.comcast.net/get-help/Mail-Delivery-Error-Messages.aspx");
const SIS_COX: Text = text!("sisimai/go-sisimai rhost/for-cox.go");
const SIS_GODADDY: Text = text!("sisimai/go-sisimai rhost/for-godaddy.go");
const RACKSPACE: Text = text!("https://smtp.codes/rackspace");
const SIS_ORANGE: Text = text!("sisimai/go-sisimai rhost/for-franceptt.go");
const SIS_BLOCKED: Text = text!("sisimai/go-sisimai reason/why-blocked.go");
const SIS_MIMECAST: Text = text!("sisimai/p5-sisimai lib/Sisimai/Rhost/Mimecast.pm");
const SIS_MLABS: Text = text!("sisimai/go-sisimai rhost/for-messagelabs.go");
const SFM_550: Text = text!("ActiveCampaign/smtp-field-manual data/codes/550.json");
const POSTFIX: Text = text!("Debian postfix 3.7.11 binaries (smtpd, postscreen, smtp) and postconf -d");
const QMAIL_SMTPD: Text = text!("notqmail/notqmail qmail-smtpd.c");
const IONOS_IN: Text = text!("https://ionos.de/hilfe/e-mail/postmaster/smtp-fehlermeldungen-der-11-ionos-mailserver");

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
    provider(text!("gmail-badrcptdomain"), &["p=badrcptdomain"], DomainUnknown, GMAIL).flags(IN_HOST),
    provider(text!("gmail-unsolicited-message"), &["p=unsolicitedmessageerror"], SpamDetected, GMAIL).flags(IN_HOST),
    // 550 5.7.28 / 550 5.7.1 "... unusual rate of unsolicited mail ... has been blocked": the IP is
    // blocked (the 421 4.7.28 form is a rate limit).
    provider(text!("gmail-unusual-rate-blocked"), &["unusual rate"], IpReputation, SIS_GOOGLE).class(5).weight(60),
    provider(text!("gmail-same-message-id"), &["same message-id"], RateLimited, GMAIL),
    provider(text!("gmail-relay-limit"), &["smtp relay", "limit exceeded"], RateLimited, GMAIL),
    // Gmail's X.7.29 is "not sent over TLS", not the IANA ARC meaning.
    provider(text!("gmail-tls-7-29"), &["tls"], TlsRequired, GMAIL).enhanced(7, 29),
    provider(
        text!("gmail-unauthenticated-rate"),
        &["rate limited because it is unauthenticated"],
        SenderAuthFailed,
        GMAIL,
    ),
    provider(text!("gmail-ipv6-guidelines"), &["ipv6 sending guidelines"], PolicyRejected, GMAIL)
        .action(FixSenderSetup),
    // 421 4.7.0 "Try again later, closing connection." at HELO: Gmail's connection (DoS) limit.
    provider(text!("gmail-try-again-closing"), &["try again later, closing connection", "gsmtp"], TooManyConnections, GMAIL),
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
    provider(text!("microsoft-exrecipnotfound"), &["resolver.adr.exrecipnotfound"], UserUnknown, EXCH_ACK)
        .flags(IN_HOST),
    // Directory-Based Edge Blocking: the recipient is not in the tenant (a Postfix access map says
    // the same words under 5.7.1 and means a policy).
    provider(text!("microsoft-dbeb"), &["recipient address rejected: access denied"], UserUnknown, SIS_MS)
        .enhanced(4, 1),
    provider(
        text!("microsoft-recipient-access-denied"),
        &["recipient address rejected: access denied"],
        UserUnknown,
        SIS_MS,
    )
    .enhanced(7, 504),
    provider(text!("microsoft-s775"), &["s775"], IpReputation, SUPED_MS),
    provider(text!("microsoft-s3114"), &["s3114"], IpReputation, SUPED_MS),
    provider(text!("microsoft-as761"), &["as761"], RateLimited, WTTW_MS),
    provider(text!("microsoft-as843"), &["as843"], RateLimited, WTTW_MS),
    provider(text!("microsoft-access-denied-later"), &["access denied, please try again later"], IpReputation, SIS_MS)
        .class(4),
    provider(text!("microsoft-as3150"), &["as3150"], IpReputation, SIS_MS),
    provider(
        text!("microsoft-sc-001"),
        &["sc-001"],
        IpReputation,
        text!("https://foxpa.ws/e-mails-to-hotmail-bounce-550-sc-001-part-of-your-network-is-on-our-block-list"),
    ),
    provider(text!("microsoft-banned-sender"), &["banned sender"], IpReputation, SIS_MS).enhanced(7, 511),
    provider(text!("microsoft-tenant-threshold"), &["tenant has exceeded threshold"], SenderRejected, SIS_MS),
    provider(text!("microsoft-spam-abuse"), &["spam abuse detected"], SenderRejected, SIS_MS),
    // "(S3140)" also tags Spamhaus rejections: the named list decides.
    provider(
        text!("microsoft-spamhaus"),
        &["blocked using spamhaus"],
        Blocklisted,
        text!("https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online"),
    )
    .weight(60)
    .blocklist(B::Spamhaus),
    provider(text!("microsoft-s8002"), &["s8002"], Blocklisted, SFM_550).blocklist(B::SpamhausDbl),
    provider(text!("microsoft-as345"), &["as345"], ContentRejected, SIS_MS),
    provider(text!("microsoft-invalid-characters"), &["invalid characters"], ContentRejected, SIS_MS).enhanced(6, 11),
    provider(text!("microsoft-notauthorized"), &["resolver.rst.notauthorized"], PolicyRejected, EXCH_ACK)
        .flags(IN_HOST),
    provider(text!("microsoft-notauthorizedtogroup"), &["resolver.rst.notauthorizedtogroup"], PolicyRejected, EXCH_ACK)
        .flags(IN_HOST),
    // ---- Yahoo / AOL ----
    provider(text!("yahoo-dd-no-account"), &["delivery error: dd", "doesn't have a"], UserUnknown, YAHOO),
    provider(text!("yahoo-tss04"), &["[tss04]"], RateLimited, YAHOO),
    provider(text!("yahoo-ph01"), &["[ph01]"], PolicyRejected, YAHOO),
    provider(text!("yahoo-tss02"), &["[tss02]"], RateLimited, TAMING_Y),
    provider(text!("yahoo-ts01"), &["[ts01]"], RateLimited, DELIV_Y),
    provider(text!("yahoo-ts02"), &["[ts02]"], RateLimited, DELIV_Y),
    provider(text!("yahoo-ts03"), &["[ts03]"], RateLimited, DELIV_Y),
    provider(text!("yahoo-deferred-416"), &["temporarily deferred - 4.16"], RateLimited, DELIV_Y),
    provider(text!("yahoo-tss09"), &["[tss09]"], IpReputation, SIS_YAHOO),
    provider(text!("yahoo-tss11"), &["[tss11]"], IpReputation, SIS_YAHOO),
    // AOL: a permanent block of the IP for its poor reputation.
    provider(text!("aol-rtr-bl"), &["rtr:bl"], IpReputation, text!("http://postmaster.info.aol.com/errors/554rtrbl.html")),
    // ---- Apple iCloud ----
    provider(text!("icloud-cs01"), &["[cs01]"], PolicyRejected, text!("https://support.apple.com/en-us/102322")),
    provider(
        text!("icloud-hm08"),
        &["[hm08]"],
        PolicyRejected,
        text!("https://mactechnews.de/news/article/iCloud-Mail-ausgefallen-185276.html"),
    ),
    provider(text!("icloud-hme1"), &["[hme1]"], SenderAuthFailed, SIS_APPLE),
    provider(text!("icloud-not-accepting"), &["me.com", "not accepting connections"], IpReputation, SIS_APPLE)
        .flags(IN_HOST),
    // ---- Proofpoint (also on iCloud MX) ----
    provider(text!("proofpoint-ipcheck"), &["ipcheck.proofpoint.com"], IpReputation, SIS_APPLE).flags(IN_HOST),
    provider(text!("proofpoint-dnsbl-lookup"), &["proofpoint.com/dnsbl-lookup"], IpReputation, SIS_APPLE)
        .flags(IN_HOST),
    // Proofpoint's own list, not a public one.
    provider(
        text!("proofpoint-pdr"),
        &["proofpoint dynamic reputation"],
        IpReputation,
        text!("public replies quoting Proofpoint Dynamic Reputation (find_string: \"blocked using Proofpoint Dynamic Reputation\")"),
    ),
    // ---- Mimecast ----
    provider(
        text!("mimecast-spam-signature"),
        &["mcspamsignature"],
        SpamDetected,
        text!("Mimecast SMTP error codes (community.mimecast.com)"),
    )
    .flags(IN_HOST),
    // Mimecast documents 503 "User unknown" for a bad sequence (recipient before authentication).
    provider(text!("mimecast-503-user-unknown"), &["user unknown"], SyntaxError, SIS_MIMECAST).code(503),
    provider(text!("mimecast-internal-resources"), &["internal resources"], Greylisted, SIS_MIMECAST).class(4),
    provider(text!("mimecast-sender-address-blocked"), &["sender address blocked"], IpReputation, SIS_MIMECAST)
        .class(4),
    provider(
        text!("mimecast-account-service"),
        &["account service is temporarily unavailable"],
        TooManyConnections,
        SIS_MIMECAST,
    ),
    // ---- Comcast ----
    provider(text!("comcast-bl000000"), &["bl000000"], IpReputation, COMCAST).flags(IN_HOST),
    provider(text!("comcast-bl000001"), &["bl000001"], Blocklisted, COMCAST).blocklist(B::SpamhausZen),
    provider(text!("comcast-bl000010"), &["bl000010"], Blocklisted, COMCAST).blocklist(B::Cloudmark),
    provider(text!("comcast-bl000011"), &["bl000011"], Blocklisted, COMCAST).blocklist(B::SpamhausZen),
    provider(text!("comcast-bl000100"), &["bl000100"], Blocklisted, COMCAST).blocklist(B::Senderscore),
    provider(text!("comcast-bl000101"), &["bl000101"], Blocklisted, COMCAST).blocklist(B::SpamhausZen),
    provider(text!("comcast-bl000110"), &["bl000110"], Blocklisted, COMCAST).blocklist(B::Cloudmark),
    provider(text!("comcast-bl000111"), &["bl000111"], Blocklisted, COMCAST).blocklist(B::SpamhausZen),
    provider(text!("comcast-es000001"), &["es000001"], PolicyRejected, COMCAST).flags(IN_HOST),
    provider(text!("comcast-es000010"), &["es000010"], PolicyRejected, COMCAST).flags(IN_HOST),
    provider(text!("comcast-bl006"), &["bl006"], Blocklisted, COMCAST_BIZ).blocklist(B::SpamhausSbl),
    provider(text!("comcast-bl007"), &["bl007"], Blocklisted, COMCAST_BIZ).blocklist(B::Cloudmark),
    provider(text!("comcast-rl000001"), &["rl000001"], RateLimited, COMCAST_SEC).flags(IN_HOST),
    provider(text!("comcast-rl001"), &["rl001"], RateLimited, COMCAST_SEC).flags(IN_HOST),
    provider(text!("comcast-dm000001"), &["dm000001"], SenderAuthFailed, COMCAST).flags(IN_HOST),
    // ---- Cox (AUP#codes) ----
    provider(
        text!("cox-cdrbl"),
        &["cdrbl"],
        Blocklisted,
        text!("Cox email error codes (cox.com/residential/support/email-error-codes.html)"),
    )
    .flags(IN_HOST)
    .blocklist(Blocklist::Other),
    provider(text!("cox-cxbl"), &["cxbl"], IpReputation, SIS_COX).flags(IN_HOST),
    provider(text!("cox-cxdns"), &["cxdns"], PolicyRejected, SIS_COX).flags(IN_HOST).action(FixSenderSetup),
    provider(text!("cox-cxsndr"), &["cxsndr"], SenderAuthFailed, SIS_COX).flags(IN_HOST),
    provider(text!("cox-cxsmtp"), &["cxsmtp"], SyntaxError, SIS_COX).flags(IN_HOST),
    provider(text!("cox-cxcnct"), &["cxcnct"], TooManyConnections, SIS_COX).flags(IN_HOST),
    provider(text!("cox-cxmxrt"), &["cxmxrt"], RateLimited, SIS_COX).flags(IN_HOST),
    // IPBL bits: 0001 Spamhaus ZEN, 0010 Return Path (Sender Score), 0100 Invaluement ivmSIP,
    // 1000 Cloudmark CSI; a combination reports its lowest bit.
    provider(text!("cox-ipbl0001"), &["ipbl0001"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl0010"), &["ipbl0010"], Blocklisted, SIS_COX).blocklist(B::Senderscore),
    provider(text!("cox-ipbl0011"), &["ipbl0011"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl0100"), &["ipbl0100"], Blocklisted, SIS_COX).blocklist(B::Invaluement),
    provider(text!("cox-ipbl0101"), &["ipbl0101"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl0110"), &["ipbl0110"], Blocklisted, SIS_COX).blocklist(B::Senderscore),
    provider(text!("cox-ipbl0111"), &["ipbl0111"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl1000"), &["ipbl1000"], Blocklisted, SIS_COX).blocklist(B::Cloudmark),
    provider(text!("cox-ipbl1001"), &["ipbl1001"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl1010"), &["ipbl1010"], Blocklisted, SIS_COX).blocklist(B::Senderscore),
    provider(text!("cox-ipbl1011"), &["ipbl1011"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl1100"), &["ipbl1100"], Blocklisted, SIS_COX).blocklist(B::Invaluement),
    provider(text!("cox-ipbl1101"), &["ipbl1101"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    provider(text!("cox-ipbl1110"), &["ipbl1110"], Blocklisted, SIS_COX).blocklist(B::Senderscore),
    provider(text!("cox-ipbl1111"), &["ipbl1111"], Blocklisted, SIS_COX).blocklist(B::SpamhausZen),
    // URLBL: a URL in the body is on a URI list (SURBL, Spamhaus DBL, ivmURI): the content is spam.
    provider(text!("cox-urlbl011"), &["urlbl011"], SpamDetected, SIS_COX).flags(IN_HOST),
    provider(text!("cox-urlbl101"), &["urlbl101"], SpamDetected, SIS_COX).flags(IN_HOST),
    provider(text!("cox-urlbl110"), &["urlbl110"], SpamDetected, SIS_COX).flags(IN_HOST),
    provider(text!("cox-urlbl1001"), &["urlbl1001"], SpamDetected, SIS_COX).flags(IN_HOST),
    // ---- GoDaddy (Secureserver IBnnn) ----
    provider(text!("godaddy-ib401"), &["ib401"], AuthRequired, SIS_GODADDY),
    provider(text!("godaddy-ib501"), &["ib501"], ContentRejected, SIS_GODADDY),
    provider(text!("godaddy-ib502"), &["ib502"], ContentRejected, SIS_GODADDY),
    provider(text!("godaddy-ib506"), &["ib506"], SenderRejected, SIS_GODADDY),
    provider(text!("godaddy-ib508"), &["ib508"], SenderAuthFailed, SIS_GODADDY),
    provider(text!("godaddy-ib108"), &["ib108"], PolicyRejected, SIS_GODADDY).action(FixSenderSetup),
    provider(text!("godaddy-ib212"), &["ib212"], SpamDetected, SIS_GODADDY),
    provider(text!("godaddy-ib705"), &["ib705"], VirusDetected, SIS_GODADDY),
    provider(text!("godaddy-ib605"), &["ib605"], TooManyConnections, SIS_GODADDY),
    provider(text!("godaddy-ib007"), &["ib007"], TooManyConnections, SIS_GODADDY),
    provider(text!("godaddy-ib101"), &["ib101"], SystemError, SIS_GODADDY),
    // "temporarily blocked" for an hour or the day: still a block of the IP (hard).
    provider(text!("godaddy-ib110"), &["ib110"], IpReputation, SIS_GODADDY).bounce(Hard),
    provider(text!("godaddy-ib111"), &["ib111"], IpReputation, SIS_GODADDY).bounce(Hard),
    provider(text!("godaddy-ib112"), &["ib112"], IpReputation, SIS_GODADDY).bounce(Hard),
    provider(text!("godaddy-ib113"), &["ib113"], IpReputation, SIS_GODADDY).bounce(Hard),
    provider(text!("godaddy-ib504"), &["ib504"], RateLimited, SIS_GODADDY),
    provider(text!("godaddy-ib510"), &["ib510"], RateLimited, SIS_GODADDY),
    provider(text!("godaddy-ib607"), &["ib607"], RateLimited, SIS_GODADDY),
    provider(text!("godaddy-ib103"), &["ib103"], Blocklisted, SIS_GODADDY).blocklist(B::Cloudmark),
    provider(text!("godaddy-ib104"), &["ib104"], Blocklisted, SIS_GODADDY).blocklist(B::SpamhausSbl),
    provider(text!("godaddy-ib105"), &["ib105"], Blocklisted, SIS_GODADDY).blocklist(B::SpamhausXbl),
    provider(text!("godaddy-ib106"), &["ib106"], Blocklisted, SIS_GODADDY).blocklist(B::SpamhausPbl),
    // ---- Rackspace ((Gnn) codes) ----
    provider(text!("rackspace-g2"), &["(g2)"], TooManyConnections, RACKSPACE),
    provider(text!("rackspace-g1f"), &["(g1f)"], PolicyRejected, RACKSPACE).action(FixSenderSetup),
    provider(text!("rackspace-g6"), &["(g6)"], SystemError, RACKSPACE),
    provider(text!("rackspace-g30"), &["(g30)"], RateLimited, RACKSPACE),
    provider(text!("rackspace-g16"), &["(g16)"], NetworkError, RACKSPACE),
    provider(text!("rackspace-g1e"), &["(g1e)"], NetworkError, RACKSPACE),
    provider(text!("rackspace-g28"), &["(g28)"], RateLimited, RACKSPACE),
    provider(text!("rackspace-g1a"), &["(g1a)"], ContentRejected, RACKSPACE),
    // ---- Orange / Wanadoo (OFR), La Poste (LPN): the last three digits name the cause ----
    provider(text!("laposte-lpnaaa-101"), &["lpnaaa_101"], Blocklisted, SIS_ORANGE).blocklist(B::Spamhaus),
    provider(text!("orange-102"), &["_102"], IpReputation, SIS_ORANGE),
    provider(text!("laposte-lpn007-102"), &["lpn007_102"], Blocklisted, SIS_ORANGE)
        .weight(60)
        .blocklist(B::Senderscore),
    // "Service refused, please try later" under 5xx is a block, not a deferral.
    provider(text!("orange-103"), &["_103"], IpReputation, SIS_ORANGE).bounce(Hard),
    provider(text!("orange-104"), &["_104"], TooManyConnections, SIS_ORANGE),
    provider(text!("orange-505"), &["_505"], SystemError, SIS_ORANGE),
    provider(text!("orange-999"), &["_999"], IpReputation, SIS_ORANGE),
    provider(text!("orange-510"), &["_510"], IpReputation, SIS_ORANGE).bounce(Hard),
    provider(text!("orange-305"), &["_305"], AuthRequired, SIS_ORANGE),
    provider(text!("orange-401"), &["_401"], SenderAuthFailed, SIS_ORANGE),
    provider(text!("orange-402"), &["_402"], AuthRequired, SIS_ORANGE),
    provider(text!("orange-405"), &["_405"], SenderRejected, SIS_ORANGE),
    provider(text!("orange-415"), &["_415"], SenderRejected, SIS_ORANGE),
    provider(text!("orange-416"), &["_416"], UserUnknown, SIS_ORANGE),
    provider(text!("laposte-lpn416"), &["lpn416"], UserUnknown, SIS_ORANGE),
    provider(text!("orange-417"), &["_417"], MailboxFull, SIS_ORANGE),
    provider(text!("orange-420"), &["_420"], MailboxDisabled, SIS_ORANGE),
    provider(text!("orange-421"), &["_421"], SenderRejected, SIS_ORANGE),
    provider(text!("orange-426"), &["_426"], MailboxDisabled, SIS_ORANGE),
    provider(text!("orange-506"), &["_506"], SpamDetected, SIS_ORANGE),
    provider(text!("orange-514"), &["taille limite du message"], MessageTooLarge, SIS_ORANGE),
    provider(text!("orange-517"), &["_517"], SenderAuthFailed, SIS_ORANGE),
    provider(text!("orange-630"), &["_630"], PolicyRejected, SIS_ORANGE),
    // ---- Other French and US ISPs ----
    provider(text!("sfr-gu-eib"), &["gu_eib"], IpReputation, SIS_BLOCKED),
    // AT&T's own list (ATTRBL), although the text says "DNSBL".
    provider(text!("att-attrbl"), &["attrbl"], IpReputation, SIS_BLOCKED),
    // ---- United Internet (IONOS) ----
    provider(text!("ionos-policy-violations"), &["reject due to policy violations"], IpReputation, IONOS_IN),
    // ---- Barracuda ----
    provider(text!("barracuda-nsu"), &["cuda_nsu"], UserUnknown, SFM_550),
    provider(
        text!("barracuda-ess-blocked"),
        &["permanent failure for one or more recipients", "blocked"],
        PolicyRejected,
        text!("https://www.suped.com/learn/blocklists/why-are-my-emails-blocked-by-barracuda-even-when-not-listed-on-blocklists"),
    ),
    // ---- Broadcom / Symantec Email Security.cloud (MessageLabs) ----
    provider(text!("messagelabs-connection-policy"), &["connection rejected by policy"], IpReputation, SIS_MLABS),
    // ---- MTA software ----
    provider(text!("qmail-smtplf"), &["smtplf"], ContentRejected, QMAIL_SMTPD).flags(IN_HOST),
    // postscreen's after-220 tests: the client must come back (greylisting by another name).
    provider(text!("postscreen-come-back"), &["service currently unavailable"], Greylisted, POSTFIX)
        .code(450)
        .enhanced(3, 2),
];
