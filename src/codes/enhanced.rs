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

pub static CLASSES: &[EnhancedClass] = &[];

pub static SUBJECTS: &[EnhancedSubject] = &[];

/// The registry, sorted by (subject, detail).
pub static ENHANCED_CODES: &[EnhancedEntry] = &[];
