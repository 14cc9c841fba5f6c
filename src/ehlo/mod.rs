//! EHLO replies as capabilities (RFC 5321 §4.1.1.1 and the extension RFCs).
//!
//! ```
//! use smtpreply::ehlo::{Capabilities, Extension, SizeLimit};
//!
//! let caps = Capabilities::parse(b"250-mx.example.com Hello\r\n250-PIPELINING\r\n\
//!                                 250-SIZE 35882577\r\n250 AUTH PLAIN LOGIN\r\n").unwrap();
//! assert_eq!(caps.domain(), b"mx.example.com");
//! assert!(caps.has("pipelining"));
//! assert_eq!(caps.size(), SizeLimit::Limit(35882577));
//! assert!(caps.supports_auth("login"));
//! assert!(caps.extensions().contains(Extension::Pipelining));
//! ```

mod extensions;

pub use extensions::{Extension, ExtensionSet};

use crate::reply::{parse_reply, ParseError, ParserOptions, Reply, Warnings};
use std::ops::Range;

/// Deviations found in the capability lines (bit values stable: `SMTPREPLY_CAPS_WARNING_*`).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Debug)]
pub struct CapWarnings(pub u32);

impl CapWarnings {
    /// A line that is not `keyword *(SP param)`: skipped.
    pub const MALFORMED_LINE: CapWarnings = CapWarnings(1 << 0);
    /// SIZE with a value that is not a number or does not fit in 64 bits.
    pub const SIZE_INVALID: CapWarnings = CapWarnings(1 << 1);
    /// The pre-standard `KEYWORD=value` form (`AUTH=PLAIN LOGIN`, `XVERP=Courier`).
    pub const LEGACY_EQUALS: CapWarnings = CapWarnings(1 << 2);
    /// A keyword advertised twice.
    pub const DUPLICATE_KEYWORD: CapWarnings = CapWarnings(1 << 3);
    /// Parameters where the extension allows none (SMTPUTF8), or a malformed parameter of a known
    /// extension (LIMITS, DELIVERBY, AUTH without mechanisms).
    pub const BAD_PARAMETER: CapWarnings = CapWarnings(1 << 4);
    /// The first line does not start with a domain.
    pub const MISSING_DOMAIN: CapWarnings = CapWarnings(1 << 5);

    pub const ALL: [(CapWarnings, &'static str); 6] = [
        (CapWarnings::MALFORMED_LINE, "malformed_line"),
        (CapWarnings::SIZE_INVALID, "size_invalid"),
        (CapWarnings::LEGACY_EQUALS, "legacy_equals"),
        (CapWarnings::DUPLICATE_KEYWORD, "duplicate_keyword"),
        (CapWarnings::BAD_PARAMETER, "bad_parameter"),
        (CapWarnings::MISSING_DOMAIN, "missing_domain"),
    ];
    pub const MASK: u32 = 0b11_1111;

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn contains(self, w: CapWarnings) -> bool {
        self.0 & w.0 == w.0 && w.0 != 0
    }
    fn insert(&mut self, w: CapWarnings) {
        self.0 |= w.0;
    }
    pub fn bits(self) -> u32 {
        self.0
    }
    /// Names of the warnings in this set.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        CapWarnings::ALL.into_iter().filter(move |(w, _)| self.contains(*w)).map(|(_, n)| n)
    }
}

/// What the SIZE keyword says (RFC 1870 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeLimit {
    /// No SIZE keyword.
    NotAdvertised,
    /// SIZE without a value: the server declares sizes but states no maximum.
    Unspecified,
    /// `SIZE 0`: no fixed maximum.
    NoFixedLimit,
    /// `SIZE n`: messages up to n octets.
    Limit(u64),
    /// A value that is not a number or overflows 64 bits (flagged [`CapWarnings::SIZE_INVALID`]).
    Invalid,
}

/// Why an EHLO reply gave no capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EhloError {
    #[error("the EHLO reply is {0}, not 250: the server did not accept EHLO, so it advertised no capabilities")]
    NotAccepted(u16),
    #[error("the EHLO reply is incomplete")]
    Incomplete,
    #[error(transparent)]
    Parse(#[from] ParseError),
}

#[derive(Clone, Debug)]
struct Entry {
    keyword: Range<u32>,
    /// Index range into `Capabilities::params`.
    params: Range<u32>,
    extension: Option<Extension>,
}

/// The capabilities a server advertised in its EHLO reply. Owns a copy of the reply.
#[derive(Clone, Debug)]
pub struct Capabilities {
    raw: Vec<u8>,
    domain: Range<u32>,
    greeting: Range<u32>,
    entries: Vec<Entry>,
    params: Vec<Range<u32>>,
    auth: Vec<Range<u32>>,
    size: SizeLimit,
    extensions: ExtensionSet,
    warnings: CapWarnings,
    reply_warnings: Warnings,
}

/// One advertised keyword with its parameters.
#[derive(Clone, Copy, Debug)]
pub struct Capability<'a> {
    caps: &'a Capabilities,
    entry: &'a Entry,
}

impl<'a> Capability<'a> {
    /// The keyword as the server wrote it.
    pub fn keyword(&self) -> &'a [u8] {
        self.caps.slice(&self.entry.keyword)
    }
    /// The known extension, if the keyword is one.
    pub fn extension(&self) -> Option<Extension> {
        self.entry.extension
    }
    /// Number of parameters.
    pub fn param_count(&self) -> usize {
        self.entry.params.len()
    }
    /// The parameters, in order.
    pub fn params(&self) -> impl ExactSizeIterator<Item = &'a [u8]> + 'a {
        let caps = self.caps;
        caps.params[self.entry.params.start as usize..self.entry.params.end as usize].iter().map(move |r| caps.slice(r))
    }
    /// The parameter at `i`.
    pub fn param(&self, i: usize) -> Option<&'a [u8]> {
        self.params().nth(i)
    }
    /// All parameters as they appear on the line, separated by spaces (empty when none).
    pub fn params_raw(&self) -> &'a [u8] {
        let ps = &self.caps.params[self.entry.params.start as usize..self.entry.params.end as usize];
        match (ps.first(), ps.last()) {
            (Some(a), Some(b)) => &self.caps.raw[a.start as usize..b.end as usize],
            _ => b"",
        }
    }
}

fn range(base: &[u8], part: &[u8]) -> Range<u32> {
    let start = part.as_ptr() as usize - base.as_ptr() as usize;
    start as u32..(start + part.len()) as u32
}

fn is_keyword_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

fn is_param_byte(b: u8) -> bool {
    (33..=126).contains(&b)
}

/// An ehlo-line split into keyword and parameter text: `KEYWORD`, `KEYWORD SP params` or the legacy
/// `KEYWORD=params`.
struct SplitLine<'a> {
    keyword: &'a [u8],
    /// The parameters, separated by single spaces (empty when there are none).
    params: &'a [u8],
    legacy: bool,
}

impl<'a> SplitLine<'a> {
    fn params(&self) -> impl Iterator<Item = &'a [u8]> {
        let p = self.params;
        p.split(|&b| b == b' ').filter(move |_| !p.is_empty())
    }
}

/// Splits an ehlo-line; `None` if it is malformed (bad keyword, empty or invalid parameter).
fn split_line(line: &[u8]) -> Option<SplitLine<'_>> {
    let kw_len = line.iter().take_while(|&&b| is_keyword_byte(b)).count();
    if kw_len == 0 || !line[0].is_ascii_alphanumeric() {
        return None;
    }
    let (keyword, rest) = line.split_at(kw_len);
    let (legacy, params) = match rest.first() {
        None => return Some(SplitLine { keyword, params: b"", legacy: false }),
        Some(b' ') => (false, &rest[1..]),
        Some(b'=') => (true, &rest[1..]),
        Some(_) => return None,
    };
    // 1*(%d33-126) separated by single spaces: no empty parameter, no space at either end.
    let mut prev = b' ';
    for &b in params {
        if !(is_param_byte(b) || (b == b' ' && prev != b' ')) {
            return None;
        }
        prev = b;
    }
    (prev != b' ').then_some(SplitLine { keyword, params, legacy })
}

impl Capabilities {
    /// Parses a complete EHLO reply (it must be the whole reply; trailing bytes are ignored).
    pub fn parse(input: &[u8]) -> Result<Capabilities, EhloError> {
        match parse_reply(input, &ParserOptions::default())? {
            Some(reply) => Capabilities::from_reply(&reply),
            None => Err(EhloError::Incomplete),
        }
    }

    /// No capabilities (the server answered HELO, not EHLO).
    pub fn empty() -> Capabilities {
        Capabilities {
            raw: Vec::new(),
            domain: 0..0,
            greeting: 0..0,
            entries: Vec::new(),
            params: Vec::new(),
            auth: Vec::new(),
            size: SizeLimit::NotAdvertised,
            extensions: ExtensionSet::default(),
            warnings: CapWarnings::default(),
            reply_warnings: Warnings::NONE,
        }
    }

    /// Builds the capabilities from a parsed EHLO reply (code 250).
    pub fn from_reply(reply: &Reply<'_>) -> Result<Capabilities, EhloError> {
        if reply.code() != 250 {
            return Err(EhloError::NotAccepted(reply.code()));
        }
        let raw = reply.raw().to_vec();
        let base = reply.raw();
        let mut caps = Capabilities {
            raw: Vec::new(),
            domain: 0..0,
            greeting: 0..0,
            entries: Vec::with_capacity(reply.line_count()),
            params: Vec::with_capacity(reply.line_count() * 2),
            auth: Vec::new(),
            size: SizeLimit::NotAdvertised,
            extensions: ExtensionSet::default(),
            warnings: CapWarnings::default(),
            reply_warnings: reply.warnings(),
        };
        let mut lines = reply.lines();
        if let Some(first) = lines.next() {
            let t = first.after_code();
            let dlen = t.iter().position(|&b| b == b' ').unwrap_or(t.len());
            caps.domain = range(base, &t[..dlen]);
            caps.greeting = range(base, &t[(dlen + 1).min(t.len())..]);
            if dlen == 0 {
                caps.warnings.insert(CapWarnings::MISSING_DOMAIN);
            }
        }
        for line in lines {
            caps.add_line(base, line.after_code());
        }
        caps.raw = raw;
        Ok(caps)
    }

    fn add_line(&mut self, base: &[u8], line: &[u8]) {
        let Some(split) = split_line(line) else {
            self.warnings.insert(CapWarnings::MALFORMED_LINE);
            return;
        };
        if split.legacy {
            self.warnings.insert(CapWarnings::LEGACY_EQUALS);
        }
        let keyword = split.keyword;
        let extension = Extension::from_keyword(keyword);
        let duplicate = match extension {
            // `AUTH` beside `AUTH=` is the usual legacy pair, not a duplicate.
            Some(Extension::Auth) => false,
            Some(e) => self.extensions.contains(e),
            None => self
                .entries
                .iter()
                .any(|e| base[e.keyword.start as usize..e.keyword.end as usize].eq_ignore_ascii_case(keyword)),
        };
        if duplicate {
            self.warnings.insert(CapWarnings::DUPLICATE_KEYWORD);
        }
        let first_param = self.params.len() as u32;
        self.params.extend(split.params().map(|p| range(base, p)));
        let param_count = self.params.len() - first_param as usize;
        self.entries.push(Entry {
            keyword: range(base, keyword),
            params: first_param..self.params.len() as u32,
            extension,
        });
        let Some(ext) = extension else { return };
        let first_time = !self.extensions.contains(ext);
        self.extensions.insert(ext);
        match ext {
            Extension::Size if first_time => {
                self.size = match split.params().next() {
                    None => SizeLimit::Unspecified,
                    Some(v) => match parse_u64(v) {
                        Some(0) => SizeLimit::NoFixedLimit,
                        Some(n) => SizeLimit::Limit(n),
                        None => {
                            self.warnings.insert(CapWarnings::SIZE_INVALID);
                            SizeLimit::Invalid
                        }
                    },
                };
                if param_count > 1 {
                    self.warnings.insert(CapWarnings::BAD_PARAMETER);
                }
            }
            Extension::Auth => {
                if param_count == 0 {
                    self.warnings.insert(CapWarnings::BAD_PARAMETER);
                }
                for p in split.params() {
                    let known =
                        self.auth.iter().any(|r| base[r.start as usize..r.end as usize].eq_ignore_ascii_case(p));
                    if !known {
                        self.auth.push(range(base, p));
                    }
                }
            }
            Extension::SmtpUtf8 | Extension::Pipelining | Extension::StartTls | Extension::Chunking
                if param_count > 0 =>
            {
                self.warnings.insert(CapWarnings::BAD_PARAMETER);
            }
            Extension::DeliverBy
                if param_count > 1 || split.params().next().is_some_and(|p| parse_u64(p).is_none()) =>
            {
                self.warnings.insert(CapWarnings::BAD_PARAMETER);
            }
            Extension::Limits if split.params().any(|p| split_limit(p).is_none()) => {
                self.warnings.insert(CapWarnings::BAD_PARAMETER);
            }
            _ => {}
        }
    }

    fn slice(&self, r: &Range<u32>) -> &[u8] {
        &self.raw[r.start as usize..r.end as usize]
    }

    /// The domain the server named on the first line.
    pub fn domain(&self) -> &[u8] {
        self.slice(&self.domain)
    }
    /// The rest of the first line after the domain (the greeting), possibly empty.
    pub fn greeting(&self) -> &[u8] {
        self.slice(&self.greeting)
    }
    /// The EHLO reply as received.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }
    /// Whether the keyword was advertised (case-insensitive; `AUTH=` counts as `AUTH`).
    pub fn has(&self, keyword: &str) -> bool {
        self.get(keyword).is_some()
    }
    /// The first capability with this keyword.
    pub fn get(&self, keyword: &str) -> Option<Capability<'_>> {
        self.iter().find(|c| c.keyword().eq_ignore_ascii_case(keyword.as_bytes()))
    }
    /// The index of the first capability with this keyword.
    pub fn position(&self, keyword: &[u8]) -> Option<usize> {
        self.entries.iter().position(|e| self.slice(&e.keyword).eq_ignore_ascii_case(keyword))
    }
    /// Every capability line that parsed, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Capability<'_>> {
        self.entries.iter().map(move |entry| Capability { caps: self, entry })
    }
    /// The capability at `i`.
    pub fn at(&self, i: usize) -> Option<Capability<'_>> {
        self.entries.get(i).map(|entry| Capability { caps: self, entry })
    }
    /// Number of capability lines that parsed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// The known extensions advertised.
    pub fn extensions(&self) -> ExtensionSet {
        self.extensions
    }
    /// What SIZE says.
    pub fn size(&self) -> SizeLimit {
        self.size
    }
    /// The SASL mechanisms of AUTH and legacy AUTH=, in order, without duplicates.
    pub fn auth_mechanisms(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.auth.iter().map(move |r| self.slice(r))
    }
    /// Whether AUTH offers this mechanism (case-insensitive).
    pub fn supports_auth(&self, mechanism: &str) -> bool {
        self.auth_mechanisms().any(|m| m.eq_ignore_ascii_case(mechanism.as_bytes()))
    }
    /// A LIMITS value (RFC 9422), e.g. `limit("RCPTMAX")`; `None` if absent or malformed.
    pub fn limit(&self, name: &str) -> Option<u64> {
        let limits = self.iter().find(|c| c.extension() == Some(Extension::Limits))?;
        let found = limits.params().filter_map(split_limit).find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()));
        found.and_then(|(_, v)| parse_u64(v))
    }
    /// The DELIVERBY minimum time in seconds, when given.
    pub fn deliver_by_min(&self) -> Option<u64> {
        self.iter().find(|c| c.extension() == Some(Extension::DeliverBy))?.param(0).and_then(parse_u64)
    }
    /// Deviations in the capability lines.
    pub fn warnings(&self) -> CapWarnings {
        self.warnings
    }
    /// The reply parser's warnings for the EHLO reply.
    pub fn reply_warnings(&self) -> Warnings {
        self.reply_warnings
    }
}

fn split_limit(p: &[u8]) -> Option<(&[u8], &[u8])> {
    let eq = p.iter().position(|&b| b == b'=')?;
    let (name, value) = (&p[..eq], &p[eq + 1..]);
    (!name.is_empty() && parse_u64(value).is_some()).then_some((name, value))
}

/// A decimal number that fits in 64 bits.
fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0u64, |acc, &d| acc.checked_mul(10)?.checked_add((d - b'0') as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_u64(b"35882577"), Some(35882577));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"12a"), None);
    }

    type Split<'a> = (&'a [u8], Vec<&'a [u8]>, bool);

    fn split(line: &[u8]) -> Option<Split<'_>> {
        split_line(line).map(|s| (s.keyword, s.params().collect(), s.legacy))
    }

    #[test]
    fn line_splitting() {
        assert_eq!(split(b"SIZE 42"), Some((&b"SIZE"[..], vec![&b"42"[..]], false)));
        assert_eq!(split(b"AUTH=PLAIN LOGIN"), Some((&b"AUTH"[..], vec![&b"PLAIN"[..], b"LOGIN"], true)));
        assert_eq!(split(b"8BITMIME"), Some((&b"8BITMIME"[..], vec![], false)));
        for bad in [
            &b"KEY:WORD"[..],
            b"KEYWORD ",
            b"KEYWORD para\tmeter",
            b" ",
            b"",
            b"-X",
            b"A  B",
            b"AUTH=",
            b"X \xc3\xbc",
            b"A B ",
        ] {
            assert!(split_line(bad).is_none(), "{bad:?}");
        }
    }
}
