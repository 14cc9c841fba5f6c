//! C API: what reply codes and enhanced status codes mean.

use super::reply::smtpreply_enhanced_code;
use super::smtpreply_result::*;
use super::*;
use crate::codes::{code_info, enhanced_info, LookupError};
use crate::command::Command;
use crate::reply::EnhancedCode;

pub const SMTPREPLY_COMMAND_UNKNOWN: u32 = 0;
pub const SMTPREPLY_COMMAND_GREETING: u32 = 1;
pub const SMTPREPLY_COMMAND_EHLO: u32 = 2;
pub const SMTPREPLY_COMMAND_HELO: u32 = 3;
pub const SMTPREPLY_COMMAND_MAIL: u32 = 4;
pub const SMTPREPLY_COMMAND_RCPT: u32 = 5;
pub const SMTPREPLY_COMMAND_DATA: u32 = 6;
pub const SMTPREPLY_COMMAND_DATA_END: u32 = 7;
pub const SMTPREPLY_COMMAND_BDAT: u32 = 8;
pub const SMTPREPLY_COMMAND_AUTH: u32 = 9;
pub const SMTPREPLY_COMMAND_STARTTLS: u32 = 10;
pub const SMTPREPLY_COMMAND_RSET: u32 = 11;
pub const SMTPREPLY_COMMAND_VRFY: u32 = 12;
pub const SMTPREPLY_COMMAND_EXPN: u32 = 13;
pub const SMTPREPLY_COMMAND_HELP: u32 = 14;
pub const SMTPREPLY_COMMAND_NOOP: u32 = 15;
pub const SMTPREPLY_COMMAND_QUIT: u32 = 16;
pub const SMTPREPLY_COMMAND_ETRN: u32 = 17;
pub const SMTPREPLY_COMMAND_ATRN: u32 = 18;
pub const SMTPREPLY_COMMAND_SEND: u32 = 19;
pub const SMTPREPLY_COMMAND_SOML: u32 = 20;
pub const SMTPREPLY_COMMAND_SAML: u32 = 21;
pub const SMTPREPLY_COMMAND_TURN: u32 = 22;

/// 2yz: the requested action completed.
pub const SMTPREPLY_SEVERITY_POSITIVE_COMPLETION: u32 = 2;
/// 3yz: accepted, more information needed.
pub const SMTPREPLY_SEVERITY_POSITIVE_INTERMEDIATE: u32 = 3;
/// 4yz: not done; the condition is temporary.
pub const SMTPREPLY_SEVERITY_TRANSIENT_NEGATIVE: u32 = 4;
/// 5yz: not done; repeating the request will fail.
pub const SMTPREPLY_SEVERITY_PERMANENT_NEGATIVE: u32 = 5;

/// x0z
pub const SMTPREPLY_CATEGORY_SYNTAX: u32 = 0;
/// x1z
pub const SMTPREPLY_CATEGORY_INFORMATION: u32 = 1;
/// x2z
pub const SMTPREPLY_CATEGORY_CONNECTIONS: u32 = 2;
/// x3z
pub const SMTPREPLY_CATEGORY_UNSPECIFIED_3: u32 = 3;
/// x4z
pub const SMTPREPLY_CATEGORY_UNSPECIFIED_4: u32 = 4;
/// x5z
pub const SMTPREPLY_CATEGORY_MAIL_SYSTEM: u32 = 5;
/// x6z to x9z (outside the RFC 5321 grammar)
pub const SMTPREPLY_CATEGORY_OUT_OF_GRAMMAR: u32 = 6;

/// Defined by RFC 5321 or a standards-track extension.
pub const SMTPREPLY_CODE_STATUS_STANDARD: u32 = 1;
/// Historic or experimental (538, 355).
pub const SMTPREPLY_CODE_STATUS_HISTORIC: u32 = 2;
/// Only in the IANA enhanced-code registry, seen in the wild (422, 430, 523, 524, 525, 533).
pub const SMTPREPLY_CODE_STATUS_NON_STANDARD: u32 = 3;
/// In no table: described from its digits.
pub const SMTPREPLY_CODE_STATUS_UNREGISTERED: u32 = 4;

/// In the IANA registry.
pub const SMTPREPLY_ENHANCED_STATUS_REGISTERED: u32 = 1;
/// In the registry but deprecated (X.6.10).
pub const SMTPREPLY_ENHANCED_STATUS_DEPRECATED: u32 = 2;
/// Not in the registry: described from class and subject.
pub const SMTPREPLY_ENHANCED_STATUS_UNREGISTERED: u32 = 3;

pub const SMTPREPLY_USAGE_ANY: u32 = 0;
pub const SMTPREPLY_USAGE_PERMANENT_ONLY: u32 = 1;
pub const SMTPREPLY_USAGE_TRANSIENT_ONLY: u32 = 2;
pub const SMTPREPLY_USAGE_PERMANENT_OR_TRANSIENT: u32 = 3;
pub const SMTPREPLY_USAGE_SUCCESS_ONLY: u32 = 4;
pub const SMTPREPLY_USAGE_SUCCESS_OR_PERMANENT: u32 = 5;

/// What a basic reply code means. Every string is static and NUL-terminated (never freed).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_code_info {
    pub code: u32,
    /// `SMTPREPLY_CODE_STATUS_*`
    pub status: u32,
    /// `SMTPREPLY_SEVERITY_*` (the first digit)
    pub severity: u32,
    /// `SMTPREPLY_CATEGORY_*` (from the second digit)
    pub category: u32,
    /// The RFC wording, or a description built from the digits for an unregistered code.
    pub text: *const c_char,
    /// RFC 821's wording where it differs, else NULL.
    pub rfc821_text: *const c_char,
    /// The defining RFC and section, or NULL for an unregistered code.
    pub source: *const c_char,
    /// Plain-language explanation for an end user.
    pub explanation: *const c_char,
    /// What to do.
    pub advice: *const c_char,
    pub severity_name: *const c_char,
    pub category_name: *const c_char,
    pub category_description: *const c_char,
}

/// The meaning a code takes after one command. Strings are static.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_code_context {
    pub code: u32,
    /// `SMTPREPLY_COMMAND_*` (UNKNOWN for a situation not tied to one command).
    pub command: u32,
    pub command_name: *const c_char,
    pub meaning: *const c_char,
    pub source: *const c_char,
}

/// What an enhanced status code means. Strings are static; those marked "or NULL" are NULL for a
/// code outside the registry.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_enhanced_info {
    pub code: smtpreply_enhanced_code,
    /// `SMTPREPLY_ENHANCED_STATUS_*`
    pub status: u32,
    /// `SMTPREPLY_USAGE_*` (ANY for unregistered codes)
    pub usage: u32,
    /// Registry name, or the subject's (class's) name for an unregistered code.
    pub name: *const c_char,
    pub description: *const c_char,
    /// RFC 1893's name where it differs, else NULL.
    pub rfc1893_name: *const c_char,
    /// Associated basic codes as the registry lists them, or NULL.
    pub basic_codes: *const c_char,
    /// Defining document, or NULL.
    pub reference: *const c_char,
    pub explanation: *const c_char,
    pub advice: *const c_char,
    pub class_name: *const c_char,
    pub class_description: *const c_char,
    pub class_explanation: *const c_char,
    pub class_advice: *const c_char,
    /// The subject's name and description, or NULL for a subject above 7.
    pub subject_name: *const c_char,
    pub subject_description: *const c_char,
}

fn lookup_error(e: LookupError) -> Error {
    match e {
        LookupError::CodeOutOfRange(_) | LookupError::BadEnhancedClass(_) | LookupError::EnhancedFieldOutOfRange(_) => {
            Error::range(e.to_string())
        }
        LookupError::BadEnhancedSyntax(_) => Error::invalid(e.to_string()),
    }
}

fn command_arg(command: u32) -> Result<Command, Error> {
    Command::from_u32(command).ok_or_else(|| Error::invalid(format!("{command} is not an SMTPREPLY_COMMAND_* value")))
}

fn context_to_c(c: &crate::codes::CodeContext) -> smtpreply_code_context {
    smtpreply_code_context {
        code: c.code as u32,
        command: c.command as u32,
        command_name: c.command.name_text().as_ptr(),
        meaning: c.meaning.as_ptr(),
        source: c.source.as_ptr(),
    }
}

/// Describes the basic reply code `code` into `*out`.
///
/// Every code from 200 to 599 succeeds; codes outside the tables are described from their digits
/// with status `SMTPREPLY_CODE_STATUS_UNREGISTERED`. Returns `SMTPREPLY_OK`,
/// `SMTPREPLY_OUT_OF_RANGE` (not 200 to 599) or `SMTPREPLY_NULL_PARAMETER`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_code_lookup(code: u32, out: *mut smtpreply_code_info) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let i = code_info(code).map_err(lookup_error)?;
        out.write(smtpreply_code_info {
            code,
            status: i.status as u32,
            severity: i.severity as u32,
            category: i.category as u32,
            text: i.text_text().as_ptr(),
            rfc821_text: opt_str(i.entry.and_then(|e| e.rfc821_text)),
            source: opt_str(i.entry.map(|e| e.source)),
            explanation: i.explanation_text().as_ptr(),
            advice: i.advice_text().as_ptr(),
            severity_name: i.severity.name_text().as_ptr(),
            category_name: i.category.name_text().as_ptr(),
            category_description: i.category.description_text().as_ptr(),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores in `*out` what `code` means in reply to `command` (`SMTPREPLY_COMMAND_*`).
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_NOT_FOUND` (the RFCs give no meaning specific to that
/// command: use `smtpreply_code_lookup`), `SMTPREPLY_OUT_OF_RANGE` (code), `SMTPREPLY_INVALID_INPUT`
/// (command) or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_code_context_for(
    code: u32,
    command: u32,
    out: *mut smtpreply_code_context,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let cmd = command_arg(command)?;
        let info = code_info(code).map_err(lookup_error)?;
        let c = info.meaning_after(cmd).ok_or_else(|| {
            Error::new(SMTPREPLY_NOT_FOUND, format!("no meaning of {code} specific to {} is defined", cmd.name()))
        })?;
        out.write(context_to_c(c));
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the `index`-th command-specific meaning of `code` (0-based) in `*out`; iterate from 0
/// until `SMTPREPLY_OUT_OF_RANGE`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_code_context_at(
    code: u32,
    index: usize,
    out: *mut smtpreply_code_context,
) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        let info = code_info(code).map_err(lookup_error)?;
        let c = info.contexts().nth(index).ok_or_else(|| Error::range(format!("{code} has no context {index}")))?;
        out.write(context_to_c(c));
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the severity (`SMTPREPLY_SEVERITY_*`) of `code` (200 to 599).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_code_severity(code: u32, out: *mut u32) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        out.write(code_info(code).map_err(lookup_error)?.severity as u32);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the category (`SMTPREPLY_CATEGORY_*`) of `code` (200 to 599).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_code_category(code: u32, out: *mut u32) -> smtpreply_result {
    guard(|| {
        let out = Out::new(out, "out")?;
        out.write(code_info(code).map_err(lookup_error)?.category as u32);
        Ok(SMTPREPLY_OK)
    })
}

/// Parses an enhanced status code written as text ("5.7.26"; surrounding spaces allowed) from
/// `text[0..len)`.
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_INVALID_INPUT` (not class.subject.detail, leading zeros,
/// non-UTF-8), `SMTPREPLY_OUT_OF_RANGE` (class not 2/4/5, subject or detail above 999) or
/// `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_enhanced_parse(
    text: *const u8,
    len: usize,
    out: *mut smtpreply_enhanced_code,
) -> smtpreply_result {
    guard(|| {
        let t = bytes_arg(text, len, "text")?;
        let out = Out::new(out, "out")?;
        let s = std::str::from_utf8(t).map_err(|_| Error::invalid("the enhanced status code is not valid UTF-8"))?;
        let e = EnhancedCode::parse_str(s).map_err(lookup_error)?;
        out.write(super::reply::enhanced_to_c(Some(e)));
        Ok(SMTPREPLY_OK)
    })
}

/// Describes an enhanced status code into `*out`. Any valid code succeeds (unregistered details are
/// described from class and subject).
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_OUT_OF_RANGE` (class not 2/4/5, subject or detail above 999)
/// or `SMTPREPLY_NULL_PARAMETER`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_enhanced_lookup(
    code: *const smtpreply_enhanced_code,
    out: *mut smtpreply_enhanced_info,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(code, "code")?;
        let out = Out::new(out, "out")?;
        let e = EnhancedCode::new(c.status_class, c.subject, c.detail).map_err(lookup_error)?;
        let i = enhanced_info(e);
        out.write(smtpreply_enhanced_info {
            code: *c,
            status: i.status as u32,
            usage: i.entry.map_or(0, |e| e.usage as u32),
            name: i.name_text().as_ptr(),
            description: i.description_text().as_ptr(),
            rfc1893_name: opt_str(i.entry.and_then(|e| e.rfc1893_name)),
            basic_codes: opt_str(i.entry.map(|e| e.basic_codes)),
            reference: opt_str(i.entry.map(|e| e.reference)),
            explanation: i.explanation_text().as_ptr(),
            advice: i.advice_text().as_ptr(),
            class_name: i.class.name.as_ptr(),
            class_description: i.class.description.as_ptr(),
            class_explanation: i.class.explanation.as_ptr(),
            class_advice: i.class.advice.as_ptr(),
            subject_name: opt_str(i.subject.map(|s| s.name)),
            subject_description: opt_str(i.subject.map(|s| s.description)),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// The name of `SMTPREPLY_COMMAND_x` ("RCPT", "DATA-END"), or NULL for an unknown number. Static.
#[no_mangle]
pub extern "C" fn smtpreply_command_name(command: u32) -> *const c_char {
    guard_value(std::ptr::null(), || Command::from_u32(command).map_or(std::ptr::null(), |c| c.name_text().as_ptr()))
}

/// Stores the `SMTPREPLY_COMMAND_*` number for a name ("RCPT", "rcpt to", "MAIL FROM", "DATA-END",
/// case-insensitive). Returns `SMTPREPLY_OK`, `SMTPREPLY_NOT_FOUND` or `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_command_from_name(name: *const c_char, out: *mut u32) -> smtpreply_result {
    guard(|| {
        let raw = cstr_arg(name, "name")?;
        let out = Out::new(out, "out")?;
        let n = utf8_arg(raw, "name")?;
        let c = Command::from_name(n)
            .ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, format!("{n:?} is not a known command")))?;
        out.write(c as u32);
        Ok(SMTPREPLY_OK)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Category, CodeStatus, EnhancedStatus, Severity};

    #[test]
    fn constants_match_the_core() {
        let cmds = [
            SMTPREPLY_COMMAND_UNKNOWN,
            SMTPREPLY_COMMAND_GREETING,
            SMTPREPLY_COMMAND_EHLO,
            SMTPREPLY_COMMAND_HELO,
            SMTPREPLY_COMMAND_MAIL,
            SMTPREPLY_COMMAND_RCPT,
            SMTPREPLY_COMMAND_DATA,
            SMTPREPLY_COMMAND_DATA_END,
            SMTPREPLY_COMMAND_BDAT,
            SMTPREPLY_COMMAND_AUTH,
            SMTPREPLY_COMMAND_STARTTLS,
            SMTPREPLY_COMMAND_RSET,
            SMTPREPLY_COMMAND_VRFY,
            SMTPREPLY_COMMAND_EXPN,
            SMTPREPLY_COMMAND_HELP,
            SMTPREPLY_COMMAND_NOOP,
            SMTPREPLY_COMMAND_QUIT,
            SMTPREPLY_COMMAND_ETRN,
            SMTPREPLY_COMMAND_ATRN,
            SMTPREPLY_COMMAND_SEND,
            SMTPREPLY_COMMAND_SOML,
            SMTPREPLY_COMMAND_SAML,
            SMTPREPLY_COMMAND_TURN,
        ];
        assert_eq!(cmds.len(), Command::ALL.len());
        for (c, n) in Command::ALL.iter().zip(cmds) {
            assert_eq!(*c as u32, n);
        }
        assert_eq!(Severity::PositiveCompletion as u32, SMTPREPLY_SEVERITY_POSITIVE_COMPLETION);
        assert_eq!(Severity::PositiveIntermediate as u32, SMTPREPLY_SEVERITY_POSITIVE_INTERMEDIATE);
        assert_eq!(Severity::TransientNegative as u32, SMTPREPLY_SEVERITY_TRANSIENT_NEGATIVE);
        assert_eq!(Severity::PermanentNegative as u32, SMTPREPLY_SEVERITY_PERMANENT_NEGATIVE);
        assert_eq!(Category::Syntax as u32, SMTPREPLY_CATEGORY_SYNTAX);
        assert_eq!(Category::Information as u32, SMTPREPLY_CATEGORY_INFORMATION);
        assert_eq!(Category::Connections as u32, SMTPREPLY_CATEGORY_CONNECTIONS);
        assert_eq!(Category::Unspecified3 as u32, SMTPREPLY_CATEGORY_UNSPECIFIED_3);
        assert_eq!(Category::Unspecified4 as u32, SMTPREPLY_CATEGORY_UNSPECIFIED_4);
        assert_eq!(Category::MailSystem as u32, SMTPREPLY_CATEGORY_MAIL_SYSTEM);
        assert_eq!(Category::OutOfGrammar as u32, SMTPREPLY_CATEGORY_OUT_OF_GRAMMAR);
        assert_eq!(CodeStatus::Standard as u32, SMTPREPLY_CODE_STATUS_STANDARD);
        assert_eq!(CodeStatus::Historic as u32, SMTPREPLY_CODE_STATUS_HISTORIC);
        assert_eq!(CodeStatus::NonStandard as u32, SMTPREPLY_CODE_STATUS_NON_STANDARD);
        assert_eq!(CodeStatus::Unregistered as u32, SMTPREPLY_CODE_STATUS_UNREGISTERED);
        assert_eq!(EnhancedStatus::Registered as u32, SMTPREPLY_ENHANCED_STATUS_REGISTERED);
        assert_eq!(EnhancedStatus::Deprecated as u32, SMTPREPLY_ENHANCED_STATUS_DEPRECATED);
        assert_eq!(EnhancedStatus::Unregistered as u32, SMTPREPLY_ENHANCED_STATUS_UNREGISTERED);
        use crate::codes::enhanced::Usage;
        assert_eq!(Usage::Any as u32, SMTPREPLY_USAGE_ANY);
        assert_eq!(Usage::PermanentOnly as u32, SMTPREPLY_USAGE_PERMANENT_ONLY);
        assert_eq!(Usage::TransientOnly as u32, SMTPREPLY_USAGE_TRANSIENT_ONLY);
        assert_eq!(Usage::PermanentOrTransient as u32, SMTPREPLY_USAGE_PERMANENT_OR_TRANSIENT);
        assert_eq!(Usage::SuccessOnly as u32, SMTPREPLY_USAGE_SUCCESS_ONLY);
        assert_eq!(Usage::SuccessOrPermanent as u32, SMTPREPLY_USAGE_SUCCESS_OR_PERMANENT);
    }
}
