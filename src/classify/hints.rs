//! Retry hints in reply texts: "try again in 5 minutes", "please retry after 300 seconds".

/// Words right before a duration that make it a retry hint.
const ANCHORS: [&[u8]; 6] = [b"in ", b"after ", b"wait ", b"for ", b"within ", b"retry "];

/// Finds the first "ANCHOR N UNIT" in cleaned (lower-case, single-spaced) text, where the text
/// around it speaks of retrying or waiting, and returns it in seconds.
pub(crate) fn retry_after(text: &[u8]) -> Option<u32> {
    // Start from the numbers: there are few, and every hint has one.
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_ascii_digit() || (i > 0 && text[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let before = &text[..i];
        let anchored = ANCHORS.iter().any(|a| {
            before.ends_with(a)
                && (before.len() == a.len() || !before[before.len() - a.len() - 1].is_ascii_alphanumeric())
        });
        if anchored && speaks_of_retrying(before) {
            if let Some(secs) = duration(&text[i..]) {
                return Some(secs);
            }
        }
        i += 1;
    }
    None
}

/// Whether the words before a duration are about retrying ("try again in", "retry after",
/// "please wait"), within the last few words.
fn speaks_of_retrying(before: &[u8]) -> bool {
    let tail = &before[before.len().saturating_sub(40)..];
    [
        &b"again"[..],
        b"retry",
        b"wait",
        b"later",
        b"resend",
        b"reconnect",
        b"blocked",
        b"deferred",
        b"greylist",
        b"come back",
    ]
    .iter()
    .any(|w| super::clean::find(tail, w).is_some())
}

/// "N unit" or a clock "hh:mm:ss" (milter-greylist) at the start of `s`.
fn duration(s: &[u8]) -> Option<u32> {
    let number = |s: &[u8]| -> Option<(u64, usize)> {
        let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
        (1..=9).contains(&digits).then(|| (s[..digits].iter().fold(0, |acc, d| acc * 10 + (d - b'0') as u64), digits))
    };
    let (n, digits) = number(s)?;
    if s.get(digits) == Some(&b':') {
        let (m, md) = number(&s[digits + 1..]).filter(|&(m, md)| md == 2 && m < 60)?;
        let at = digits + 1 + md;
        // Only the full hh:mm:ss: "01:30" alone could be minutes and seconds as well.
        if s.get(at) != Some(&b':') {
            return None;
        }
        let (sec, sd) = number(&s[at + 1..]).filter(|&(v, d)| d == 2 && v < 60)?;
        if s.get(at + 1 + sd).is_some_and(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        return u32::try_from(n * 3600 + m * 60 + sec).ok();
    }
    let rest = &s[digits..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let word_len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let unit: u64 = match &rest[..word_len] {
        b"s" | b"sec" | b"secs" | b"second" | b"seconds" => 1,
        b"m" | b"min" | b"mins" | b"minute" | b"minutes" => 60,
        b"h" | b"hr" | b"hrs" | b"hour" | b"hours" => 3600,
        b"d" | b"day" | b"days" => 86400,
        _ => return None,
    };
    u32::try_from(n.checked_mul(unit)?).ok()
}

#[cfg(test)]
mod tests {
    use super::retry_after;

    #[test]
    fn durations() {
        assert_eq!(retry_after(b"please try again in 5 minutes"), Some(300));
        assert_eq!(retry_after(b"retry after 300 seconds"), Some(300));
        assert_eq!(retry_after(b"try again in 1 hour"), Some(3600));
        assert_eq!(retry_after(b"please wait 60s before retrying"), Some(60));
        assert_eq!(retry_after(b"greylisted, please retry in 2 mins"), Some(120));
        assert_eq!(retry_after(b"deferred, try again after 15 minutes"), Some(900));
        assert_eq!(retry_after(b"try again later"), None);
        assert_eq!(retry_after(b"rejected in 5 places"), None);
        assert_eq!(retry_after(b"message expired: unable to deliver in 840 minutes"), None);
        assert_eq!(retry_after(b"wait 99999999999 days"), None);
        assert_eq!(retry_after(b"main 5 minutes"), None);
        assert_eq!(retry_after(b""), None);
        // Greylisting wordings (postgrey, sqlgrey) and milter-greylist's clock.
        assert_eq!(retry_after(b"greylisted for 300 seconds (see http://x.org/help)"), Some(300));
        assert_eq!(retry_after(b"greylisting in action, please come back in 00:05:00"), Some(300));
        assert_eq!(retry_after(b"please come back in 01:30"), None);
        assert_eq!(retry_after(b"please come back in 01:30:00"), Some(5400));
        assert_eq!(retry_after(b"come back in 00:61:00"), None);
    }
}
