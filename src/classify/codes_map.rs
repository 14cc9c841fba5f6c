//! What the codes say when no phrase does: the enhanced status code first, then the reply code
//! with the command it answered.
//!
//! Vague codes map to nothing, so that the text (or the class digit) decides: X.0.0, X.2.0, X.5.0,
//! X.7.0 say nothing specific, and 5.4.1 is used by Exchange Online for refused recipients rather
//! than for "no answer from host".

use super::reason::Reason::{self, *};
use crate::command::Command;
use crate::reply::EnhancedCode;

/// (subject, detail) -> reason, for details whose registry meaning is specific.
static ENHANCED: &[((u16, u16), Reason)] = &[
    ((1, 0), UserUnknown),
    ((1, 1), UserUnknown),
    ((1, 2), DomainUnknown),
    ((1, 3), SyntaxError),
    ((1, 4), UserUnknown),
    ((1, 6), UserUnknown),
    ((1, 7), SyntaxError),
    ((1, 8), SenderRejected),
    // IANA: null MX; Microsoft 365 uses 5.1.10 for "recipient not found", far more common.
    ((1, 10), UserUnknown),
    ((2, 1), MailboxDisabled),
    ((2, 2), MailboxFull),
    ((2, 3), MessageTooLarge),
    ((2, 4), SystemError),
    ((3, 0), SystemError),
    ((3, 1), SystemFull),
    ((3, 2), SystemError),
    ((3, 3), ContentRejected),
    ((3, 4), MessageTooLarge),
    ((3, 5), SystemError),
    ((4, 0), NetworkError),
    ((4, 2), NetworkError),
    ((4, 3), NetworkError),
    ((4, 4), NetworkError),
    ((4, 5), SystemFull),
    ((4, 6), NetworkError),
    ((4, 7), Expired),
    ((5, 1), SyntaxError),
    ((5, 2), SyntaxError),
    ((5, 3), TooManyConnections),
    ((5, 4), SyntaxError),
    ((5, 5), SyntaxError),
    ((5, 6), SyntaxError),
    ((6, 0), ContentRejected),
    ((6, 1), ContentRejected),
    ((6, 2), ContentRejected),
    ((6, 3), ContentRejected),
    ((6, 4), ContentRejected),
    ((6, 5), ContentRejected),
    ((6, 6), ContentRejected),
    ((6, 7), ContentRejected),
    ((6, 8), ContentRejected),
    ((6, 9), ContentRejected),
    ((6, 10), ContentRejected),
    // X.7.1 "Delivery not authorized, message refused" is used for every kind of block; as with
    // X.0.0 and bare 550/554, only the text can say which (classification.md): no fallback.
    ((7, 2), PolicyRejected),
    ((7, 3), PolicyRejected),
    ((7, 4), PolicyRejected),
    ((7, 5), PolicyRejected),
    ((7, 6), PolicyRejected),
    ((7, 7), PolicyRejected),
    ((7, 8), AuthRequired),
    ((7, 9), AuthRequired),
    ((7, 10), TlsRequired),
    ((7, 11), TlsRequired),
    ((7, 12), AuthRequired),
    ((7, 13), MailboxDisabled),
    ((7, 14), PolicyRejected),
    ((7, 15), PolicyRejected),
    ((7, 16), MessageTooLarge),
    ((7, 17), UserUnknown),
    ((7, 18), DomainUnknown),
    ((7, 19), PolicyRejected),
    ((7, 20), SenderAuthFailed),
    ((7, 21), SenderAuthFailed),
    ((7, 22), SenderAuthFailed),
    ((7, 23), SenderAuthFailed),
    ((7, 24), SenderAuthFailed),
    ((7, 25), PolicyRejected),
    ((7, 26), SenderAuthFailed),
    ((7, 27), SenderRejected),
    ((7, 28), RateLimited),
    ((7, 29), SenderAuthFailed),
    ((7, 30), TlsRequired),
];

/// The reason an enhanced code states, if it states one.
pub(crate) fn by_enhanced(e: EnhancedCode) -> Option<Reason> {
    // 4.4.1 is "no answer from host"; 5.4.1 is what Exchange Online sends for refused recipients.
    if (e.subject, e.detail) == (4, 1) {
        return (e.class == 4).then_some(NetworkError);
    }
    ENHANCED.iter().find(|(k, _)| *k == (e.subject, e.detail)).map(|(_, r)| *r)
}

/// The reason a reply code states after a command, if it states one (RFC 5321 §4.2.3, §4.3.2,
/// RFC 3207, RFC 4954, RFC 7504).
pub(crate) fn by_code(code: u16, command: Option<Command>) -> Option<Reason> {
    use Command as C;
    Some(match (code, command) {
        (421, _) => SystemError,
        (451, _) => SystemError,
        (452, Some(C::Rcpt)) => TooManyConnections,
        (452, _) => SystemFull,
        (454, Some(C::StartTls)) => SystemError,
        (454, Some(C::Auth)) => AuthRequired,
        (454, _) => SystemError,
        (432, _) | (530, _) | (534, _) | (535, _) | (538, _) => AuthRequired,
        (455, _) | (555, _) => SyntaxError,
        (500..=504, _) => SyntaxError,
        (521, _) | (556, _) => DomainUnknown,
        (551, _) => UserUnknown,
        (552, Some(C::Rcpt)) => MailboxFull,
        (552, _) => MessageTooLarge,
        (554, Some(C::Greeting)) => PolicyRejected,
        (553, Some(C::Mail)) => SenderRejected,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_unique_and_covers_the_specific_details() {
        let mut keys: Vec<(u16, u16)> = ENHANCED.iter().map(|(k, _)| *k).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate rows");
        let e = |c, s, d| EnhancedCode { class: c, subject: s, detail: d };
        assert_eq!(by_enhanced(e(5, 1, 1)), Some(UserUnknown));
        assert_eq!(by_enhanced(e(4, 4, 1)), Some(NetworkError));
        assert_eq!(by_enhanced(e(5, 4, 1)), None);
        assert_eq!(by_enhanced(e(5, 0, 0)), None);
        assert_eq!(by_enhanced(e(5, 7, 0)), None);
        assert_eq!(by_enhanced(e(5, 7, 1)), None);
        assert_eq!(by_enhanced(e(5, 5, 0)), None);
        assert_eq!(by_code(550, Some(Command::Rcpt)), None);
        assert_eq!(by_code(452, Some(Command::Rcpt)), Some(TooManyConnections));
        assert_eq!(by_code(554, Some(Command::Greeting)), Some(PolicyRejected));
    }
}
