//! What every SMTP reply code and enhanced status code means.
//!
//! - [`basic`]: the three-digit reply codes (RFC 821, 5321 and the extension RFCs), with the
//!   meanings they take after particular commands.
//! - [`enhanced`]: the IANA registry of enhanced status codes (RFC 3463 and successors), with the
//!   class and subject tables that describe codes outside the registry.
//! - [`sequences`]: which reply codes each command may get (RFC 5321 §4.3.2 and extensions).
//!
//! Every table is a `static` array of plain structs; lookups do not allocate and every string is a
//! [`Text`] that C reads as a static NUL-terminated string.

pub mod basic;
pub mod enhanced;
pub mod sequences;

use crate::command::Command;
use crate::reply::EnhancedCode;
use crate::text::Text;

/// Where a basic reply code comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum CodeStatus {
    /// Defined by RFC 5321 or a standards-track extension.
    Standard = 1,
    /// Defined only for historical purposes or by an obsolete/experimental extension (538, 355).
    Historic = 2,
    /// Listed only as an "associated basic status code" in the IANA enhanced-code registry, defined
    /// by no SMTP RFC, but seen in the wild (422, 430, 523, 524, 525, 533).
    NonStandard = 3,
    /// Not in any table: described from its digits alone.
    Unregistered = 4,
}

/// One three-digit reply code as the RFCs define it.
#[derive(Clone, Copy, Debug)]
pub struct BasicCode {
    pub code: u16,
    pub status: CodeStatus,
    /// The reply text as the defining RFC words it (RFC 5321 where it defines the code).
    pub text: Text,
    /// RFC 821's wording, where RFC 821 defines the code and words it differently.
    pub rfc821_text: Option<Text>,
    /// The defining RFC and section, e.g. `"RFC 5321 §4.2.3"`.
    pub source: Text,
    /// What happened, in plain words, for an end user who just saw "Error #550".
    pub explanation: Text,
    /// What to do about it.
    pub advice: Text,
}

/// A meaning a code takes in reply to one particular command (220 after STARTTLS, 334 in AUTH).
#[derive(Clone, Copy, Debug)]
pub struct CodeContext {
    pub code: u16,
    /// The command the reply answers; [`Command::Unknown`] for a situation not tied to one command.
    pub command: Command,
    /// What the code means there.
    pub meaning: Text,
    /// The RFC and section that says so.
    pub source: Text,
}

/// The class of a reply, from its first digit (RFC 5321 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Severity {
    /// 2yz: the action completed.
    PositiveCompletion = 2,
    /// 3yz: accepted, more information needed (354 after DATA, 334 in AUTH).
    PositiveIntermediate = 3,
    /// 4yz: not done this time; the condition is temporary, try again later.
    TransientNegative = 4,
    /// 5yz: not done; repeating the same request will fail again.
    PermanentNegative = 5,
}

/// The category of a reply, from its second digit (RFC 5321 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Category {
    /// x0z
    Syntax = 0,
    /// x1z
    Information = 1,
    /// x2z
    Connections = 2,
    /// x3z (used by AUTH in practice)
    Unspecified3 = 3,
    /// x4z
    Unspecified4 = 4,
    /// x5z
    MailSystem = 5,
    /// x6z to x9z: outside the RFC 5321 grammar.
    OutOfGrammar = 6,
}

/// Everything known about a basic reply code, whether or not it is in the table.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    pub code: u16,
    pub status: CodeStatus,
    pub severity: Severity,
    pub category: Category,
    /// The table row, if the code is registered.
    pub entry: Option<&'static BasicCode>,
}

impl CodeInfo {
    /// The RFC wording, or a description built from the digits for a code outside the table.
    pub fn text(&self) -> &'static str {
        self.text_text().as_str()
    }
    pub(crate) fn text_text(&self) -> Text {
        match self.entry {
            Some(e) => e.text,
            None => self.severity.unregistered_text(),
        }
    }
    /// Plain-language explanation for an end user.
    pub fn explanation(&self) -> &'static str {
        self.explanation_text().as_str()
    }
    pub(crate) fn explanation_text(&self) -> Text {
        match self.entry {
            Some(e) => e.explanation,
            None => self.severity.explanation(),
        }
    }
    /// What to do about it.
    pub fn advice(&self) -> &'static str {
        self.advice_text().as_str()
    }
    pub(crate) fn advice_text(&self) -> Text {
        match self.entry {
            Some(e) => e.advice,
            None => self.severity.advice(),
        }
    }
    /// RFC 821's different wording, if any.
    pub fn rfc821_text(&self) -> Option<&'static str> {
        self.entry.and_then(|e| e.rfc821_text).map(|t| t.as_str())
    }
    /// The defining RFC, or `None` for an unregistered code.
    pub fn source(&self) -> Option<&'static str> {
        self.entry.map(|e| e.source.as_str())
    }
    /// The meanings this code takes after particular commands.
    pub fn contexts(&self) -> impl Iterator<Item = &'static CodeContext> {
        let code = self.code;
        basic::CODE_CONTEXTS.iter().filter(move |c| c.code == code)
    }
    /// The meaning after `command`, if the RFCs give one.
    pub fn meaning_after(&self, command: Command) -> Option<&'static CodeContext> {
        self.contexts().find(|c| c.command == command)
    }
}

impl Severity {
    pub(crate) fn from_digit(d: u16) -> Option<Severity> {
        Some(match d {
            2 => Severity::PositiveCompletion,
            3 => Severity::PositiveIntermediate,
            4 => Severity::TransientNegative,
            5 => Severity::PermanentNegative,
            _ => return None,
        })
    }
    /// The RFC 5321 §4.2.1 name of this class.
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Severity::PositiveCompletion => text!("Positive Completion"),
            Severity::PositiveIntermediate => text!("Positive Intermediate"),
            Severity::TransientNegative => text!("Transient Negative Completion"),
            Severity::PermanentNegative => text!("Permanent Negative Completion"),
        }
    }
    fn unregistered_text(self) -> Text {
        match self {
            Severity::PositiveCompletion => {
                text!("Unregistered reply code: positive completion (the requested action completed)")
            }
            Severity::PositiveIntermediate => {
                text!("Unregistered reply code: positive intermediate (accepted, more information needed)")
            }
            Severity::TransientNegative => {
                text!("Unregistered reply code: transient negative completion (not done; the condition is temporary)")
            }
            Severity::PermanentNegative => {
                text!("Unregistered reply code: permanent negative completion (not done; repeating it will fail)")
            }
        }
    }
    fn explanation(self) -> Text {
        match self {
            Severity::PositiveCompletion => text!(
                "The server did what was asked. This particular code is not defined by any SMTP standard, but its first digit 2 means success."
            ),
            Severity::PositiveIntermediate => text!(
                "The server accepted the command and is waiting for more from the client. The code itself is not defined by any SMTP standard; its first digit 3 means \"go on\"."
            ),
            Severity::TransientNegative => text!(
                "The server did not do what was asked, but says the problem is temporary. The code itself is not defined by any SMTP standard; its first digit 4 means \"try again later\"."
            ),
            Severity::PermanentNegative => text!(
                "The server refused the request and says trying the same thing again will not help. The code itself is not defined by any SMTP standard; its first digit 5 means a permanent failure. Read the text after the code: it usually says why."
            ),
        }
    }
    fn advice(self) -> Text {
        match self {
            Severity::PositiveCompletion | Severity::PositiveIntermediate => {
                text!("Nothing to do.")
            }
            Severity::TransientNegative => text!(
                "Let your mail program retry later; it will do so on its own. If the same error persists for more than a day, contact the receiving server's administrator with the full text of the reply."
            ),
            Severity::PermanentNegative => text!(
                "Do not resend unchanged. Read the text of the reply for the reason; if it is unclear, contact the receiving server's administrator (postmaster) with the full text of the reply."
            ),
        }
    }
}

impl Category {
    fn from_digit(d: u16) -> Category {
        match d {
            0 => Category::Syntax,
            1 => Category::Information,
            2 => Category::Connections,
            3 => Category::Unspecified3,
            4 => Category::Unspecified4,
            5 => Category::MailSystem,
            _ => Category::OutOfGrammar,
        }
    }
    /// The RFC 5321 §4.2.1 name of this category.
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> Text {
        match self {
            Category::Syntax => text!("Syntax"),
            Category::Information => text!("Information"),
            Category::Connections => text!("Connections"),
            Category::Unspecified3 | Category::Unspecified4 => text!("Unspecified"),
            Category::MailSystem => text!("Mail system"),
            Category::OutOfGrammar => text!("Outside the RFC 5321 grammar"),
        }
    }
    /// What replies of this category are about.
    pub fn description(self) -> &'static str {
        self.description_text().as_str()
    }
    pub(crate) fn description_text(self) -> Text {
        match self {
            Category::Syntax => text!(
                "syntax errors, commands that fit no other category, and unimplemented or superfluous commands"
            ),
            Category::Information => text!("replies to requests for information, such as status or help"),
            Category::Connections => text!("replies about the transmission channel (the connection)"),
            Category::Unspecified3 => {
                text!("not assigned by RFC 5321; used in practice by authentication (AUTH) replies")
            }
            Category::Unspecified4 => text!("not assigned by RFC 5321"),
            Category::MailSystem => text!("the status of the receiver's mail system"),
            Category::OutOfGrammar => text!(
                "a second digit above 5 is outside the RFC 5321 reply-code grammar; only the first digit can be relied on"
            ),
        }
    }
}

/// An error from a knowledge-base lookup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("{0} is not an SMTP reply code: it must be a three-digit number from 200 to 599")]
    CodeOutOfRange(u32),
    #[error("{0:?} is not an enhanced status code: expected class.subject.detail such as 5.1.1")]
    BadEnhancedSyntax(String),
    #[error("enhanced status code class {0} is not 2, 4 or 5")]
    BadEnhancedClass(u32),
    #[error("enhanced status code subject or detail {0} is out of range (0 to 999)")]
    EnhancedFieldOutOfRange(u32),
}

/// Looks up a basic reply code. Codes 200 to 599 always succeed (codes outside the table are
/// described from their digits and marked [`CodeStatus::Unregistered`]).
pub fn code_info(code: u32) -> Result<CodeInfo, LookupError> {
    if !(200..=599).contains(&code) {
        return Err(LookupError::CodeOutOfRange(code));
    }
    let code = code as u16;
    let severity = Severity::from_digit(code / 100).expect("range checked");
    let category = Category::from_digit((code / 10) % 10);
    let entry = basic::BASIC_CODES.binary_search_by_key(&code, |e| e.code).ok().map(|i| &basic::BASIC_CODES[i]);
    let status = entry.map_or(CodeStatus::Unregistered, |e| e.status);
    Ok(CodeInfo { code, status, severity, category, entry })
}

/// Where an enhanced status code's description comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum EnhancedStatus {
    /// In the IANA registry.
    Registered = 1,
    /// In the registry, but deprecated (X.6.10, a duplicate of X.6.8).
    Deprecated = 2,
    /// Not in the registry: described from its class and subject.
    Unregistered = 3,
}

/// Everything known about an enhanced status code.
#[derive(Clone, Copy, Debug)]
pub struct EnhancedInfo {
    pub code: EnhancedCode,
    pub status: EnhancedStatus,
    pub class: &'static enhanced::EnhancedClass,
    /// `None` when the subject is outside 0 to 7.
    pub subject: Option<&'static enhanced::EnhancedSubject>,
    /// The registry row (for X.6.10, the X.6.10 row itself; see `replaced_by`).
    pub entry: Option<&'static enhanced::EnhancedEntry>,
}

impl EnhancedInfo {
    /// The registry's name, or a name built from class and subject.
    pub fn name(&self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(&self) -> Text {
        match (self.entry, self.subject) {
            (Some(e), _) => e.name,
            (None, Some(s)) => s.name,
            (None, None) => self.class.name,
        }
    }
    /// The registry description, or the subject's description for an unregistered detail.
    pub fn description(&self) -> &'static str {
        self.description_text().as_str()
    }
    pub(crate) fn description_text(&self) -> Text {
        match (self.entry, self.subject) {
            (Some(e), _) => e.description,
            (None, Some(s)) => s.description,
            (None, None) => self.class.description,
        }
    }
    /// Plain-language explanation.
    pub fn explanation(&self) -> &'static str {
        self.explanation_text().as_str()
    }
    pub(crate) fn explanation_text(&self) -> Text {
        match (self.entry, self.subject) {
            (Some(e), _) => e.explanation,
            (None, Some(s)) => s.explanation,
            (None, None) => self.class.explanation,
        }
    }
    /// What to do about it.
    pub fn advice(&self) -> &'static str {
        self.advice_text().as_str()
    }
    pub(crate) fn advice_text(&self) -> Text {
        match (self.entry, self.subject) {
            (Some(e), _) => e.advice,
            (None, Some(s)) => s.advice,
            (None, None) => self.class.advice,
        }
    }
    /// The RFC 1893 name, where it differs from the registry's.
    pub fn rfc1893_name(&self) -> Option<&'static str> {
        self.entry.and_then(|e| e.rfc1893_name).map(|t| t.as_str())
    }
}

/// Looks up an enhanced status code. Any syntactically valid code succeeds; codes outside the
/// registry are described from their class and subject.
pub fn enhanced_info(code: EnhancedCode) -> EnhancedInfo {
    let class =
        enhanced::CLASSES.iter().find(|c| c.class == code.class).expect("EnhancedCode only holds classes 2, 4 and 5");
    let subject = enhanced::SUBJECTS.iter().find(|s| s.subject == code.subject);
    let entry = enhanced::ENHANCED_CODES
        .binary_search_by_key(&(code.subject, code.detail), |e| (e.subject, e.detail))
        .ok()
        .map(|i| &enhanced::ENHANCED_CODES[i]);
    let status = match entry {
        None => EnhancedStatus::Unregistered,
        Some(e) if e.deprecated => EnhancedStatus::Deprecated,
        Some(_) => EnhancedStatus::Registered,
    };
    EnhancedInfo { code, status, class, subject, entry }
}

/// Parses and looks up an enhanced status code written as text (`"5.7.26"`). Surrounding
/// whitespace is ignored.
pub fn enhanced_info_str(s: &str) -> Result<EnhancedInfo, LookupError> {
    let code = EnhancedCode::parse_str(s)?;
    Ok(enhanced_info(code))
}
