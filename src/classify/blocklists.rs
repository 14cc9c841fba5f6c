//! Public DNS blocklists and how rejection texts name them.
//!
//! A list named in the text makes the reason `blocklisted` and is reported (id, name, and where the
//! name stands in the input), because the fix (delisting) is at the list, not at the receiver.

use super::reason::Reason::{Blocklisted, IpReputation};
use super::rules::{phrase, provider, Rule};
use crate::text::Text;

/// A public blocklist. Numbers are stable (`SMTPREPLY_BLOCKLIST_*` in C).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Blocklist {
    /// A DNS blocklist the text names but this library does not know, or does not name.
    Other = 1,
    Spamhaus = 2,
    SpamhausZen = 3,
    SpamhausSbl = 4,
    SpamhausXbl = 5,
    SpamhausPbl = 6,
    SpamhausDbl = 7,
    SpamCop = 8,
    Barracuda = 9,
    Sorbs = 10,
    Uceprotect = 11,
    Psbl = 12,
    Mailspike = 13,
    Cbl = 14,
    SpamRats = 15,
    DroneBl = 16,
    Invaluement = 17,
    NixSpam = 18,
    Gbudb = 19,
    Hostkarma = 20,
    ZeroSpam = 21,
    Abusix = 22,
    Lashback = 23,
    Spfbl = 24,
    Surbl = 25,
    Uribl = 26,
    Senderscore = 27,
    Backscatterer = 28,
    Dnswl = 29,
    Blocklistde = 30,
    Cloudmark = 31,
    TrendMicroErs = 32,
    SpamhausZrd = 33,
    S5h = 34,
    Wpbl = 35,
}

pub(crate) static NAMES: &[(Blocklist, Text)] = &[
    (Blocklist::Other, text!("other DNS blocklist")),
    (Blocklist::Spamhaus, text!("Spamhaus")),
    (Blocklist::SpamhausZen, text!("Spamhaus ZEN")),
    (Blocklist::SpamhausSbl, text!("Spamhaus SBL")),
    (Blocklist::SpamhausXbl, text!("Spamhaus XBL")),
    (Blocklist::SpamhausPbl, text!("Spamhaus PBL")),
    (Blocklist::SpamhausDbl, text!("Spamhaus DBL")),
    (Blocklist::SpamCop, text!("SpamCop")),
    (Blocklist::Barracuda, text!("Barracuda Reputation Block List")),
    (Blocklist::Sorbs, text!("SORBS")),
    (Blocklist::Uceprotect, text!("UCEPROTECT")),
    (Blocklist::Psbl, text!("PSBL (Passive Spam Block List)")),
    (Blocklist::Mailspike, text!("Mailspike")),
    (Blocklist::Cbl, text!("CBL (Composite Blocking List)")),
    (Blocklist::SpamRats, text!("SpamRATS")),
    (Blocklist::DroneBl, text!("DroneBL")),
    (Blocklist::Invaluement, text!("Invaluement")),
    (Blocklist::NixSpam, text!("NiX Spam")),
    (Blocklist::Gbudb, text!("GBUdb Truncate")),
    (Blocklist::Hostkarma, text!("Hostkarma (Junk Email Filter)")),
    (Blocklist::ZeroSpam, text!("0spam")),
    (Blocklist::Abusix, text!("Abusix Mail Intelligence")),
    (Blocklist::Lashback, text!("LashBack UBL")),
    (Blocklist::Spfbl, text!("SPFBL")),
    (Blocklist::Surbl, text!("SURBL")),
    (Blocklist::Uribl, text!("URIBL")),
    (Blocklist::Senderscore, text!("Validity Sender Score (RPBL)")),
    (Blocklist::Backscatterer, text!("Backscatterer")),
    (Blocklist::Dnswl, text!("DNSWL")),
    (Blocklist::Blocklistde, text!("blocklist.de")),
    (Blocklist::Cloudmark, text!("Cloudmark Sender Intelligence (CSI)")),
    (Blocklist::TrendMicroErs, text!("Trend Micro Email Reputation Service (RBL+)")),
    (Blocklist::SpamhausZrd, text!("Spamhaus ZRD")),
    (Blocklist::S5h, text!("s5h.net")),
    (Blocklist::Wpbl, text!("WPBL")),
];

impl Blocklist {
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        NAMES.iter().find(|(b, _)| *b == self).map(|(_, n)| *n).expect("every blocklist has a name")
    }
    pub fn from_u32(n: u32) -> Option<Blocklist> {
        NAMES.iter().map(|(b, _)| *b).find(|b| *b as u32 == n)
    }
}

use Blocklist as B;

/// How texts name the lists. A more specific name (a zone) outweighs the operator's name.
pub(crate) static RULES: &[Rule] = &[
    phrase(text!("bl-zen"), &["zen.spamhaus.org"], Blocklisted, 92, text!("https://www.spamhaus.org/zen/"))
        .blocklist(B::SpamhausZen),
    phrase(text!("bl-sbl-xbl"), &["sbl-xbl.spamhaus.org"], Blocklisted, 92, text!("https://www.spamhaus.org/sbl/"))
        .blocklist(B::SpamhausSbl),
    phrase(text!("bl-sbl"), &["sbl.spamhaus.org"], Blocklisted, 92, text!("https://www.spamhaus.org/sbl/"))
        .blocklist(B::SpamhausSbl),
    phrase(text!("bl-xbl"), &["xbl.spamhaus.org"], Blocklisted, 92, text!("https://www.spamhaus.org/xbl/"))
        .blocklist(B::SpamhausXbl),
    phrase(text!("bl-pbl"), &["pbl.spamhaus.org"], Blocklisted, 92, text!("https://www.spamhaus.org/pbl/"))
        .blocklist(B::SpamhausPbl),
    phrase(text!("bl-dbl"), &["dbl.spamhaus.org"], Blocklisted, 92, text!("https://www.spamhaus.org/dbl/"))
        .blocklist(B::SpamhausDbl),
    phrase(text!("bl-dbl-words"), &["spamhaus dbl"], Blocklisted, 92, text!("https://www.spamhaus.org/dbl/"))
        .blocklist(B::SpamhausDbl),
    phrase(text!("bl-spamhaus-sbl-words"), &["spamhaus sbl"], Blocklisted, 91, text!("https://www.spamhaus.org/sbl/"))
        .blocklist(B::SpamhausSbl),
    phrase(text!("bl-spamhaus-pbl-words"), &["spamhaus pbl"], Blocklisted, 91, text!("https://www.spamhaus.org/pbl/"))
        .blocklist(B::SpamhausPbl),
    phrase(text!("bl-spamhaus"), &["spamhaus"], Blocklisted, 90, text!("https://www.spamhaus.org/"))
        .blocklist(B::Spamhaus),
    phrase(text!("bl-spamcop"), &["spamcop"], Blocklisted, 90, text!("https://www.spamcop.net/bl.shtml"))
        .blocklist(B::SpamCop),
    phrase(
        text!("bl-barracudacentral"),
        &["barracudacentral"],
        Blocklisted,
        91,
        text!("https://www.barracudacentral.org/rbl"),
    )
    .blocklist(B::Barracuda),
    phrase(
        text!("bl-barracuda-rbl"),
        &["barracuda reputation"],
        Blocklisted,
        91,
        text!("https://www.barracudacentral.org/rbl"),
    )
    .blocklist(B::Barracuda),
    phrase(text!("bl-sorbs"), &["sorbs"], Blocklisted, 90, text!("http://www.sorbs.net/")).blocklist(B::Sorbs),
    phrase(text!("bl-uceprotect"), &["uceprotect"], Blocklisted, 90, text!("https://www.uceprotect.net/"))
        .blocklist(B::Uceprotect),
    phrase(text!("bl-psbl"), &["psbl.surriel.com"], Blocklisted, 91, text!("https://psbl.org/")).blocklist(B::Psbl),
    phrase(text!("bl-psbl-org"), &["psbl.org"], Blocklisted, 91, text!("https://psbl.org/")).blocklist(B::Psbl),
    phrase(text!("bl-mailspike"), &["mailspike"], Blocklisted, 90, text!("https://mailspike.org/"))
        .blocklist(B::Mailspike),
    phrase(text!("bl-cbl"), &["cbl.abuseat.org"], Blocklisted, 91, text!("https://www.abuseat.org/")).blocklist(B::Cbl),
    phrase(text!("bl-abuseat"), &["abuseat"], Blocklisted, 90, text!("https://www.abuseat.org/")).blocklist(B::Cbl),
    phrase(text!("bl-spamrats"), &["spamrats"], Blocklisted, 90, text!("https://www.spamrats.com/"))
        .blocklist(B::SpamRats),
    phrase(text!("bl-dronebl"), &["dronebl"], Blocklisted, 90, text!("https://dronebl.org/")).blocklist(B::DroneBl),
    phrase(text!("bl-invaluement"), &["invaluement"], Blocklisted, 90, text!("https://www.invaluement.com/"))
        .blocklist(B::Invaluement),
    phrase(text!("bl-nixspam"), &["ix.dnsbl.manitu.net"], Blocklisted, 91, text!("https://www.dnsbl.manitu.net/"))
        .blocklist(B::NixSpam),
    phrase(text!("bl-nixspam-words"), &["nixspam"], Blocklisted, 90, text!("https://www.dnsbl.manitu.net/"))
        .blocklist(B::NixSpam),
    phrase(text!("bl-gbudb"), &["truncate.gbudb.net"], Blocklisted, 91, text!("https://www.gbudb.com/truncate/"))
        .blocklist(B::Gbudb),
    phrase(
        text!("bl-hostkarma"),
        &["hostkarma"],
        Blocklisted,
        90,
        text!("https://wiki.junkemailfilter.com/index.php/Spam_DNS_Lists"),
    )
    .blocklist(B::Hostkarma),
    phrase(text!("bl-0spam"), &["0spam"], Blocklisted, 90, text!("https://0spam.org/")).blocklist(B::ZeroSpam),
    phrase(text!("bl-abusix"), &["abusix"], Blocklisted, 90, text!("https://abusix.com/")).blocklist(B::Abusix),
    phrase(text!("bl-lashback"), &["lashback"], Blocklisted, 90, text!("https://www.lashback.com/"))
        .blocklist(B::Lashback),
    phrase(text!("bl-spfbl"), &["spfbl"], Blocklisted, 90, text!("https://spfbl.net/")).blocklist(B::Spfbl),
    phrase(text!("bl-surbl"), &["surbl"], Blocklisted, 90, text!("https://www.surbl.org/")).blocklist(B::Surbl),
    phrase(text!("bl-uribl"), &["uribl"], Blocklisted, 90, text!("https://uribl.com/")).blocklist(B::Uribl),
    phrase(
        text!("bl-senderscore"),
        &["bl.score.senderscore.com"],
        Blocklisted,
        91,
        text!("https://www.senderscore.org/"),
    )
    .blocklist(B::Senderscore),
    phrase(text!("bl-backscatterer"), &["backscatterer"], Blocklisted, 90, text!("http://www.backscatterer.org/"))
        .blocklist(B::Backscatterer),
    phrase(text!("bl-blocklistde"), &["blocklist.de"], Blocklisted, 90, text!("https://www.blocklist.de/"))
        .blocklist(B::Blocklistde),
    phrase(text!("bl-spamhaus-zen-words"), &["spamhaus zen"], Blocklisted, 91, text!("https://www.spamhaus.org/zen/"))
        .blocklist(B::SpamhausZen),
    phrase(
        text!("bl-spamhaus-xbl-words"),
        &["spamhaus xbl"],
        Blocklisted,
        91,
        text!("sisimai/p5-sisimai lib/Sisimai/Rhost/YahooInc.pm ([BL23] ... Spamhaus XBL)"),
    )
    .blocklist(B::SpamhausXbl),
    // Spamhaus TXT answers quoted in replies: "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBLnnn".
    phrase(text!("bl-listed-by-sbl"), &["listed by sbl"], Blocklisted, 91, text!("https://www.spamhaus.org/zen/"))
        .blocklist(B::SpamhausSbl),
    phrase(text!("bl-listed-by-xbl"), &["listed by xbl"], Blocklisted, 91, text!("https://www.spamhaus.org/zen/"))
        .blocklist(B::SpamhausXbl),
    phrase(text!("bl-listed-by-pbl"), &["listed by pbl"], Blocklisted, 91, text!("https://www.spamhaus.org/zen/"))
        .blocklist(B::SpamhausPbl),
    phrase(
        text!("bl-spamhaus-sbl-url"),
        &["spamhaus.org/sbl"],
        Blocklisted,
        92,
        text!("https://www.spamhaus.org/sbl/"),
    )
    .blocklist(B::SpamhausSbl),
    phrase(text!("bl-spamhaus-sblcss"), &["sblcss"], Blocklisted, 92, text!("https://www.spamhaus.org/css/"))
        .blocklist(B::SpamhausSbl),
    phrase(
        text!("bl-spamhaus-xbl-url"),
        &["spamhaus.org/xbl"],
        Blocklisted,
        92,
        text!("https://www.spamhaus.org/xbl/"),
    )
    .blocklist(B::SpamhausXbl),
    phrase(
        text!("bl-spamhaus-pbl-url"),
        &["spamhaus.org/pbl"],
        Blocklisted,
        92,
        text!("https://www.spamhaus.org/pbl/"),
    )
    .blocklist(B::SpamhausPbl),
    phrase(
        text!("bl-spamhaus-dbl-url"),
        &["spamhaus.org/dbl"],
        Blocklisted,
        92,
        text!("https://www.spamhaus.org/dbl/"),
    )
    .blocklist(B::SpamhausDbl),
    phrase(
        text!("bl-in-the-pbl"),
        &["in the pbl"],
        Blocklisted,
        91,
        text!("sisimai/go-sisimai rhost/for-messagelabs.go (\"your IP is in the PBL\")"),
    )
    .blocklist(B::SpamhausPbl),
    phrase(
        text!("bl-zrd"),
        &["zrd.spamhaus.org"],
        Blocklisted,
        92,
        text!("https://www.spamhaus.org/faqs/dnsbl-usage/"),
    )
    .blocklist(B::SpamhausZrd),
    // Mimecast's mirror of the Spamhaus lists.
    phrase(
        text!("bl-zen-mimecast"),
        &["zen.mimecast.org"],
        Blocklisted,
        90,
        text!("public replies quoting \"zen.mimecast.org Listed by PBL\" (find_string)"),
    )
    .blocklist(B::SpamhausZen),
    phrase(text!("bl-senderscore-words"), &["senderscore"], Blocklisted, 90, text!("https://www.senderscore.org/"))
        .blocklist(B::Senderscore),
    // Cloudmark CSI is a reputation service, not a public DNS blocklist: the list is reported, the
    // reason stays ip_reputation (a provider rule, so the named-list override does not apply).
    // Below the default weight: a provider's own code that names Cloudmark (GoDaddy IB103,
    // Comcast BL000010) says more than the name.
    provider(
        text!("bl-cloudmark"),
        &["cloudmark"],
        IpReputation,
        text!("http://postmaster.comcast.net/mail-error-codes.html (Cloudmark CSI)"),
    )
    .weight(40)
    .blocklist(B::Cloudmark),
    phrase(
        text!("bl-trendmicro-ers"),
        &["trend micro email reputation"],
        Blocklisted,
        91,
        text!("https://hardwaresecrets.com/understanding-email-bounce-messages/4/"),
    )
    .blocklist(B::TrendMicroErs),
    phrase(
        text!("bl-mail-abuse-com"),
        &["mail-abuse.com"],
        Blocklisted,
        90,
        text!("https://hardwaresecrets.com/understanding-email-bounce-messages/4/"),
    )
    .blocklist(B::TrendMicroErs),
    phrase(text!("bl-mail-abuse-org"), &["mail-abuse.org"], Blocklisted, 90, text!("https://www.dnsbl.com/"))
        .blocklist(B::TrendMicroErs),
    phrase(text!("bl-s5h"), &["s5h.net"], Blocklisted, 91, text!("https://sdsc.edu/~jeff/spam/2014/bc-20140111.html"))
        .blocklist(B::S5h),
    phrase(text!("bl-wpbl"), &["wpbl"], Blocklisted, 90, text!("https://tamingdns.com/rbl")).blocklist(B::Wpbl),
    phrase(text!("bl-unsubscore"), &["unsubscore"], Blocklisted, 90, text!("https://www.dnsbl.com/"))
        .blocklist(B::Lashback),
    phrase(
        text!("bl-junkemailfilter"),
        &["junkemailfilter"],
        Blocklisted,
        90,
        text!("https://wiki.junkemailfilter.com/index.php/Spam_DNS_Lists"),
    )
    .blocklist(B::Hostkarma),
    phrase(text!("bl-ivmsip"), &["ivmsip"], Blocklisted, 90, text!("https://www.invaluement.com/"))
        .blocklist(B::Invaluement),
    phrase(text!("bl-ivmuri"), &["ivmuri"], Blocklisted, 90, text!("https://www.invaluement.com/"))
        .blocklist(B::Invaluement),
    phrase(text!("bl-gbudb-words"), &["gbudb"], Blocklisted, 90, text!("https://www.gbudb.com/truncate/"))
        .blocklist(B::Gbudb),
    // Texts that name a DNS blocklist without one of the names above.
    phrase(
        text!("bl-sendmail-blackhole-site"),
        &["refused by blackhole site"],
        Blocklisted,
        85,
        text!("Debian sendmail-cf cf/feature/rhsbl.m4: \"Mail from $&{RHS} refused by blackhole site ...\""),
    )
    .blocklist(B::Other),
    // Sendmail FEATURE(dnsbl): "Rejected: 192.0.2.1 listed at <zone>" (the zone follows "listed at").
    phrase(
        text!("bl-sendmail-listed-at"),
        &["listed at", "rejected:"],
        Blocklisted,
        80,
        text!("Debian sendmail-cf cf/feature/dnsbl.m4: \"Rejected: $&{client_addr} listed at ...\""),
    )
    .blocklist(B::Other),
    phrase(
        text!("bl-postfix-blocked-using"),
        &["blocked using"],
        Blocklisted,
        85,
        text!("Postfix smtpd_check.c: \"Client host [%s] blocked using %s\""),
    )
    .blocklist(B::Other),
    phrase(
        text!("bl-exim-black-list"),
        &["is in a black list at"],
        Blocklisted,
        85,
        text!("Exim acl dnslists: \"... is in a black list at %s\""),
    )
    .blocklist(B::Other),
    phrase(text!("bl-exim-blacklisted-at"), &["blacklisted at"], Blocklisted, 80, text!("Exim dnslists messages"))
        .blocklist(B::Other),
    phrase(text!("bl-dnsbl"), &["dnsbl"], Blocklisted, 80, text!("generic DNS blocklist mention")).blocklist(B::Other),
    phrase(text!("bl-dnsbls"), &["dnsbls"], Blocklisted, 80, text!("generic DNS blocklist mention"))
        .blocklist(B::Other),
    phrase(text!("bl-rbl-listed"), &["listed in rbl"], Blocklisted, 80, text!("generic DNS blocklist mention"))
        .blocklist(B::Other),
    phrase(text!("bl-realtime"), &["realtime blackhole list"], Blocklisted, 80, text!("generic DNS blocklist mention"))
        .blocklist(B::Other),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        for (i, (b, name)) in NAMES.iter().enumerate() {
            assert_eq!(*b as u32, i as u32 + 1);
            assert_eq!(Blocklist::from_u32(*b as u32), Some(*b));
            assert!(!name.as_str().is_empty());
        }
        assert_eq!(Blocklist::from_u32(0), None);
        for r in RULES {
            assert!(r.blocklist.is_some(), "{}", r.id);
            assert!(r.all_of.iter().all(|f| f.bytes().all(|b| !b.is_ascii_uppercase())), "{}", r.id);
        }
    }
}
