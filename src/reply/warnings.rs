//! Deviations from RFC 5321 that the lenient parser accepts and reports.

use crate::text::Text;

/// A set of warnings, one bit each. The bit values are stable: C sees them as
/// `SMTPREPLY_WARNING_*`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Warnings(pub u32);

macro_rules! warnings {
    ($( $(#[$doc:meta])* $name:ident = $bit:expr, $key:literal, $desc:literal; )*) => {
        impl Warnings {
            $( $(#[$doc])* pub const $name: Warnings = Warnings(1 << $bit); )*
            /// Every defined warning, in bit order.
            pub const ALL: &'static [Warnings] = &[$(Warnings::$name),*];
            /// All defined bits.
            pub const MASK: u32 = 0 $(| (1 << $bit))*;
            const TABLE: &'static [(u32, Text, Text)] = &[$(((1 << $bit), text!($key), text!($desc))),*];
        }
    };
}

warnings! {
    /// A line ended in LF without CR (RFC 5321 §2.3.8).
    BARE_LF = 0, "bare_lf", "a line ends in a bare LF instead of CRLF";
    /// A CR not followed by LF inside a line.
    BARE_CR = 1, "bare_cr", "a bare CR appears inside a line";
    /// The lines of a multi-line reply carry different codes (RFC 5321 §4.2.1).
    CODE_MISMATCH = 2, "code_mismatch", "the lines of the reply carry different reply codes";
    /// A reply code's second digit is 6 to 9 (outside the RFC 5321 grammar).
    CODE_OUT_OF_GRAMMAR = 3, "code_out_of_grammar", "a reply code's second digit is outside 0 to 5";
    /// Text bytes of 0x80 or above (not US-ASCII; UTF-8, Latin-1, GBK ...).
    NON_ASCII = 4, "non_ascii", "the text contains bytes outside US-ASCII";
    /// Control characters other than HT in the text (NUL, ESC, DEL ...).
    CONTROL_CHAR = 5, "control_char", "the text contains control characters";
    /// A line longer than 512 octets including CRLF (RFC 5321 §4.5.3.1.5).
    LONG_LINE = 6, "long_line", "a line is longer than the 512 octets RFC 5321 allows";
    /// Lines carry different enhanced status codes (RFC 2034 §4).
    ENHANCED_MISMATCH = 7, "enhanced_mismatch", "the lines carry different enhanced status codes";
    /// Some lines carry an enhanced status code and others do not (RFC 2034 §4).
    ENHANCED_PARTIAL = 8, "enhanced_partial", "only some lines carry the enhanced status code";
    /// A well-formed enhanced code whose class differs from the reply code's first digit
    /// (RFC 2034 §4); it is kept as text.
    ENHANCED_CLASS_MISMATCH = 9, "enhanced_class_mismatch", "an enhanced status code's class differs from the reply code's first digit";
    /// A continuation line without a reply code; kept as text.
    MISSING_CODE = 10, "missing_code", "a line of a multi-line reply has no reply code";
}

impl Warnings {
    /// No warnings.
    pub const NONE: Warnings = Warnings(0);

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn contains(self, other: Warnings) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }
    pub fn insert(&mut self, other: Warnings) {
        self.0 |= other.0;
    }
    pub fn bits(self) -> u32 {
        self.0
    }
    /// The lowest set warning, if any.
    pub fn first(self) -> Option<Warnings> {
        (self.0 != 0).then(|| Warnings(1 << self.0.trailing_zeros()))
    }
    /// The single warnings in this set, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Warnings> {
        Warnings::ALL.iter().copied().filter(move |w| self.contains(*w))
    }
    fn entry(self) -> Option<&'static (u32, Text, Text)> {
        Warnings::TABLE.iter().find(|(bit, _, _)| *bit == self.0)
    }
    /// The stable snake_case name of a single warning (`"bare_lf"`); `None` for sets of several
    /// warnings and for unknown bits.
    pub fn name(self) -> Option<&'static str> {
        self.name_text().map(|t| t.as_str())
    }
    pub(crate) fn name_text(self) -> Option<Text> {
        self.entry().map(|e| e.1)
    }
    /// A sentence describing a single warning.
    pub fn description(self) -> Option<&'static str> {
        self.description_text().map(|t| t.as_str())
    }
    pub(crate) fn description_text(self) -> Option<Text> {
        self.entry().map(|e| e.2)
    }
}

impl std::ops::BitOr for Warnings {
    type Output = Warnings;
    fn bitor(self, rhs: Warnings) -> Warnings {
        Warnings(self.0 | rhs.0)
    }
}

impl std::fmt::Debug for Warnings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter().map(|w| w.name().unwrap_or("?"))).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_single_bit() {
        let mut seen = std::collections::HashSet::new();
        for w in Warnings::ALL {
            assert_eq!(w.0.count_ones(), 1);
            assert!(seen.insert(w.name().unwrap()));
            assert!(w.description().is_some());
        }
        assert_eq!((Warnings::BARE_LF | Warnings::BARE_CR).name(), None);
        assert_eq!(Warnings(1 << 31).name(), None);
        let set = Warnings::NON_ASCII | Warnings::BARE_LF;
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![Warnings::BARE_LF, Warnings::NON_ASCII]);
        assert_eq!(set.first(), Some(Warnings::BARE_LF));
        assert_eq!(format!("{set:?}"), "{\"bare_lf\", \"non_ascii\"}");
    }
}
