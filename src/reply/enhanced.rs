//! Enhanced status codes (RFC 3463 §2, RFC 2034 §4): `class.subject.detail`.

use crate::codes::LookupError;

/// An enhanced status code such as `5.1.1`.
///
/// Invariant: `class` is 2, 4 or 5; `subject` and `detail` are 0 to 999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnhancedCode {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl EnhancedCode {
    /// Builds a code from numbers, checking the ranges.
    pub fn new(class: u32, subject: u32, detail: u32) -> Result<EnhancedCode, LookupError> {
        if !matches!(class, 2 | 4 | 5) {
            return Err(LookupError::BadEnhancedClass(class));
        }
        for v in [subject, detail] {
            if v > 999 {
                return Err(LookupError::EnhancedFieldOutOfRange(v));
            }
        }
        Ok(EnhancedCode { class: class as u8, subject: subject as u16, detail: detail as u16 })
    }

    /// Parses `class.subject.detail` at the start of `text` under the RFC 3463 syntax: class 2, 4 or
    /// 5; subject and detail of 1 to 3 digits without leading zeros. Returns the code and its length
    /// in bytes. The caller checks what follows (a space or the end of the line).
    #[inline(always)]
    pub fn parse_prefix(text: &[u8]) -> Option<(EnhancedCode, usize)> {
        let class = match text.first()? {
            c @ (b'2' | b'4' | b'5') => c - b'0',
            _ => return None,
        };
        if text.get(1) != Some(&b'.') {
            return None;
        }
        let (subject, n1) = parse_field(&text[2..])?;
        let at = 2 + n1;
        if text.get(at) != Some(&b'.') {
            return None;
        }
        let (detail, n2) = parse_field(&text[at + 1..])?;
        Some((EnhancedCode { class, subject, detail }, at + 1 + n2))
    }

    /// The code in one `u32` (class, subject, detail in 8, 12 and 12 bits; never 0). The parser keeps
    /// codes in this form: one register-sized value is compared and copied without the
    /// store-forwarding stalls that a struct of mixed-width fields costs in the hot loop.
    #[inline(always)]
    pub(crate) fn pack(self) -> u32 {
        (self.class as u32) << 24 | (self.subject as u32) << 12 | self.detail as u32
    }

    /// The inverse of [`pack`](Self::pack); 0 is no code.
    #[inline(always)]
    pub(crate) fn unpack(packed: u32) -> Option<EnhancedCode> {
        (packed != 0).then_some(EnhancedCode {
            class: (packed >> 24) as u8,
            subject: ((packed >> 12) & 0xfff) as u16,
            detail: (packed & 0xfff) as u16,
        })
    }

    /// Parses a whole string such as `"5.7.26"` (surrounding whitespace allowed).
    pub fn parse_str(s: &str) -> Result<EnhancedCode, LookupError> {
        let t = s.trim();
        match EnhancedCode::parse_prefix(t.as_bytes()) {
            Some((code, n)) if n == t.len() => Ok(code),
            _ => {
                // Say which part is wrong when the shape is right but a number is not.
                let parts: Vec<&str> = t.split('.').collect();
                if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
                    if let Ok(c) = parts[0].parse::<u32>() {
                        if !matches!(c, 2 | 4 | 5) {
                            return Err(LookupError::BadEnhancedClass(c));
                        }
                    }
                    for p in &parts[1..] {
                        match p.parse::<u32>() {
                            Ok(v) if v > 999 => return Err(LookupError::EnhancedFieldOutOfRange(v)),
                            Err(_) => return Err(LookupError::EnhancedFieldOutOfRange(u32::MAX)),
                            _ => {}
                        }
                    }
                }
                Err(LookupError::BadEnhancedSyntax(truncate_for_message(t)))
            }
        }
    }
}

fn truncate_for_message(s: &str) -> String {
    let mut end = s.len().min(40);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// A subject or detail: `0`, or 1 to 3 digits not starting with `0`.
#[inline(always)]
fn parse_field(b: &[u8]) -> Option<(u16, usize)> {
    let d0 = *b.first()?;
    if !d0.is_ascii_digit() {
        return None;
    }
    if d0 == b'0' {
        return match b.get(1) {
            Some(d) if d.is_ascii_digit() => None, // leading zero
            _ => Some((0, 1)),
        };
    }
    let mut v = (d0 - b'0') as u16;
    let mut n = 1;
    while let Some(&d) = b.get(n) {
        if !d.is_ascii_digit() {
            break;
        }
        if n == 3 {
            return None; // four digits
        }
        v = v * 10 + (d - b'0') as u16;
        n += 1;
    }
    Some((v, n))
}

impl std::fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(EnhancedCode, usize)> {
        EnhancedCode::parse_prefix(s.as_bytes())
    }

    #[test]
    fn parses_valid_codes() {
        assert_eq!(p("5.1.1 x"), Some((EnhancedCode { class: 5, subject: 1, detail: 1 }, 5)));
        assert_eq!(p("4.7.28"), Some((EnhancedCode { class: 4, subject: 7, detail: 28 }, 6)));
        assert_eq!(p("2.0.0"), Some((EnhancedCode { class: 2, subject: 0, detail: 0 }, 5)));
        assert_eq!(p("5.999.100"), Some((EnhancedCode { class: 5, subject: 999, detail: 100 }, 9)));
    }

    #[test]
    fn rejects_invalid_codes() {
        for s in ["6.8.9", "3.0.0", "5.01.1", "2.1000.0", "2.0.1000", "5.1", "5..1", "5.1.", "#5.1.0", "5.1.01", ""] {
            assert_eq!(p(s), None, "{s}");
        }
    }

    #[test]
    fn parse_str_reports_the_problem() {
        assert_eq!(EnhancedCode::parse_str(" 5.7.26 ").unwrap().to_string(), "5.7.26");
        assert_eq!(EnhancedCode::parse_str("6.1.1"), Err(LookupError::BadEnhancedClass(6)));
        assert_eq!(EnhancedCode::parse_str("5.1.1000"), Err(LookupError::EnhancedFieldOutOfRange(1000)));
        assert!(matches!(EnhancedCode::parse_str("5.1.1x"), Err(LookupError::BadEnhancedSyntax(_))));
        assert!(matches!(EnhancedCode::parse_str("hello"), Err(LookupError::BadEnhancedSyntax(_))));
    }

    #[test]
    fn packs_and_unpacks() {
        for (c, s, d) in [(2, 0, 0), (5, 7, 26), (4, 999, 999), (5, 1, 0)] {
            let e = EnhancedCode { class: c, subject: s, detail: d };
            assert_ne!(e.pack(), 0);
            assert_eq!(EnhancedCode::unpack(e.pack()), Some(e));
        }
        assert_eq!(EnhancedCode::unpack(0), None);
    }

    #[test]
    fn new_checks_ranges() {
        assert!(EnhancedCode::new(5, 7, 26).is_ok());
        assert_eq!(EnhancedCode::new(3, 0, 0), Err(LookupError::BadEnhancedClass(3)));
        assert_eq!(EnhancedCode::new(5, 1000, 0), Err(LookupError::EnhancedFieldOutOfRange(1000)));
    }
}
