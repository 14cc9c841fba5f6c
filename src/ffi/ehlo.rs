//! C API: EHLO capabilities.

use super::reply::{parse_error, smtpreply_reply};
use super::smtpreply_result::*;
use super::*;
use crate::ehlo::{CapWarnings, Capabilities, EhloError, Extension, SizeLimit};

pub const SMTPREPLY_EXT_PIPELINING: u32 = 1;
pub const SMTPREPLY_EXT_SIZE: u32 = 2;
pub const SMTPREPLY_EXT_STARTTLS: u32 = 3;
pub const SMTPREPLY_EXT_AUTH: u32 = 4;
pub const SMTPREPLY_EXT_8BITMIME: u32 = 5;
pub const SMTPREPLY_EXT_SMTPUTF8: u32 = 6;
pub const SMTPREPLY_EXT_DSN: u32 = 7;
pub const SMTPREPLY_EXT_CHUNKING: u32 = 8;
pub const SMTPREPLY_EXT_BINARYMIME: u32 = 9;
pub const SMTPREPLY_EXT_ENHANCEDSTATUSCODES: u32 = 10;
pub const SMTPREPLY_EXT_REQUIRETLS: u32 = 11;
pub const SMTPREPLY_EXT_DELIVERBY: u32 = 12;
pub const SMTPREPLY_EXT_LIMITS: u32 = 13;
pub const SMTPREPLY_EXT_ETRN: u32 = 14;
pub const SMTPREPLY_EXT_ATRN: u32 = 15;
pub const SMTPREPLY_EXT_HELP: u32 = 16;
pub const SMTPREPLY_EXT_EXPN: u32 = 17;
pub const SMTPREPLY_EXT_VRFY: u32 = 18;
pub const SMTPREPLY_EXT_SEND: u32 = 19;
pub const SMTPREPLY_EXT_SOML: u32 = 20;
pub const SMTPREPLY_EXT_SAML: u32 = 21;
pub const SMTPREPLY_EXT_TURN: u32 = 22;
pub const SMTPREPLY_EXT_CHECKPOINT: u32 = 23;
pub const SMTPREPLY_EXT_NO_SOLICITING: u32 = 24;
pub const SMTPREPLY_EXT_MTRK: u32 = 25;
pub const SMTPREPLY_EXT_BURL: u32 = 26;
pub const SMTPREPLY_EXT_FUTURERELEASE: u32 = 27;
pub const SMTPREPLY_EXT_CONPERM: u32 = 28;
pub const SMTPREPLY_EXT_CONNEG: u32 = 29;
pub const SMTPREPLY_EXT_UTF8SMTP: u32 = 30;
pub const SMTPREPLY_EXT_MT_PRIORITY: u32 = 31;
pub const SMTPREPLY_EXT_RRVS: u32 = 32;
pub const SMTPREPLY_EXT_SUBMITTER: u32 = 33;
pub const SMTPREPLY_EXT_VERB: u32 = 34;
pub const SMTPREPLY_EXT_ONEX: u32 = 35;

/// A capability line that is not `keyword *(SP param)` was skipped.
pub const SMTPREPLY_CAPS_WARNING_MALFORMED_LINE: u32 = 1 << 0;
/// SIZE has a value that is not a number or does not fit in 64 bits.
pub const SMTPREPLY_CAPS_WARNING_SIZE_INVALID: u32 = 1 << 1;
/// The legacy `KEYWORD=value` form (`AUTH=PLAIN LOGIN`).
pub const SMTPREPLY_CAPS_WARNING_LEGACY_EQUALS: u32 = 1 << 2;
/// A keyword was advertised twice.
pub const SMTPREPLY_CAPS_WARNING_DUPLICATE_KEYWORD: u32 = 1 << 3;
/// Parameters where none are allowed, or a malformed parameter of a known extension.
pub const SMTPREPLY_CAPS_WARNING_BAD_PARAMETER: u32 = 1 << 4;
/// The first line does not start with a domain.
pub const SMTPREPLY_CAPS_WARNING_MISSING_DOMAIN: u32 = 1 << 5;

/// SIZE is not advertised.
pub const SMTPREPLY_SIZE_NOT_ADVERTISED: u32 = 0;
/// SIZE is advertised without a value (sizes may be declared; no maximum stated).
pub const SMTPREPLY_SIZE_UNSPECIFIED: u32 = 1;
/// `SIZE 0`: no fixed maximum.
pub const SMTPREPLY_SIZE_NO_FIXED_LIMIT: u32 = 2;
/// `SIZE n`: the limit is n octets.
pub const SMTPREPLY_SIZE_LIMIT: u32 = 3;
/// SIZE has a value that is not a number or overflows 64 bits.
pub const SMTPREPLY_SIZE_INVALID: u32 = 4;

/// One advertised keyword. Pointers point into the capabilities handle and are not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct smtpreply_capability {
    pub keyword: *const u8,
    pub keyword_len: usize,
    /// All parameters as on the line, separated by single spaces (empty when none).
    pub params: *const u8,
    pub params_len: usize,
    pub param_count: usize,
    /// `SMTPREPLY_EXT_*`, or 0 for a keyword this library does not know (X-keywords ...).
    pub extension: u32,
}

/// The capabilities of an EHLO reply (`smtpreply_capabilities_new` / `_free`). Reading from several
/// threads at once is safe; parsing into it needs exclusive access.
pub struct smtpreply_capabilities {
    inner: Option<Capabilities>,
}

impl smtpreply_capabilities {
    pub(crate) fn set(&mut self, caps: Capabilities) {
        self.inner = Some(caps);
    }

    fn get(&self) -> Result<&Capabilities, Error> {
        self.inner.as_ref().ok_or_else(|| Error::invalid("the capabilities handle holds no EHLO reply yet"))
    }
}

fn ehlo_error(e: EhloError) -> Error {
    match e {
        EhloError::Parse(p) => parse_error(p),
        EhloError::Incomplete => Error::new(SMTPREPLY_NEED_MORE, "the EHLO reply is incomplete"),
        EhloError::NotAccepted(_) => Error::invalid(e.to_string()),
    }
}

/// The two outputs of a byte string (`out_ptr`, `out_len`), checked before anything else is
/// looked at so that a NULL output is always `SMTPREPLY_NULL_PARAMETER`.
struct SliceOut(Out<*const u8>, Out<usize>);

impl SliceOut {
    unsafe fn new(ptr: *mut *const u8, len: *mut usize) -> Result<SliceOut, Error> {
        Ok(SliceOut(Out::new(ptr, "out_ptr")?, Out::new(len, "out_len")?))
    }
    fn write(self, s: &[u8]) -> FfiResult {
        self.0.write(s.as_ptr());
        self.1.write(s.len());
        Ok(SMTPREPLY_OK)
    }
}

/// Creates an empty capabilities handle. Never returns NULL.
#[no_mangle]
pub extern "C" fn smtpreply_capabilities_new() -> *mut smtpreply_capabilities {
    guard_value(std::ptr::null_mut(), || Box::into_raw(Box::new(smtpreply_capabilities { inner: None })))
}

/// Frees a capabilities handle. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_free(caps: *mut smtpreply_capabilities) {
    guard_value((), || free_box(caps))
}

/// Parses a complete EHLO reply from `data[0..len)` into `caps` (replacing what it held).
///
/// Returns `SMTPREPLY_OK`; `SMTPREPLY_NEED_MORE` when the reply is incomplete;
/// `SMTPREPLY_INVALID_INPUT` when the bytes are not a reply or the reply is not 250 (a refused EHLO
/// advertises nothing); `SMTPREPLY_LIMIT_EXCEEDED`; `SMTPREPLY_NULL_PARAMETER`. Malformed
/// capability lines do not fail the call: they are skipped and reported by
/// `smtpreply_capabilities_warnings`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_parse(
    caps: *mut smtpreply_capabilities,
    data: *const u8,
    len: usize,
) -> smtpreply_result {
    guard(|| {
        let c = mut_arg(caps, "caps")?;
        let input = bytes_arg(data, len, "data")?;
        match Capabilities::parse(input) {
            Ok(parsed) => {
                c.inner = Some(parsed);
                Ok(SMTPREPLY_OK)
            }
            Err(EhloError::Incomplete) => Ok(SMTPREPLY_NEED_MORE),
            Err(e) => Err(ehlo_error(e)),
        }
    })
}

/// Builds `caps` from a parsed reply (which must be a 250 EHLO reply).
///
/// Returns `SMTPREPLY_OK`, `SMTPREPLY_INVALID_INPUT` (not 250, or an empty reply handle),
/// `SMTPREPLY_NULL_PARAMETER`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_from_reply(
    caps: *mut smtpreply_capabilities,
    reply: *const smtpreply_reply,
) -> smtpreply_result {
    guard(|| {
        let c = mut_arg(caps, "caps")?;
        let r = ref_arg(reply, "reply")?;
        let parsed = Capabilities::from_reply(&r.raw_reply()?).map_err(ehlo_error)?;
        c.inner = Some(parsed);
        Ok(SMTPREPLY_OK)
    })
}

/// True when `keyword` (NUL-terminated, case-insensitive) was advertised. False for NULL arguments
/// or an empty handle.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_has(
    caps: *const smtpreply_capabilities,
    keyword: *const c_char,
) -> bool {
    guard_value(false, || {
        let (Ok(c), Ok(k)) = (ref_arg(caps, "caps"), cstr_arg(keyword, "keyword")) else { return false };
        c.inner.as_ref().is_some_and(|c| c.position(k).is_some())
    })
}

/// Stores in `*out_index` the index of the first capability named `keyword` (case-insensitive).
///
/// Returns `SMTPREPLY_OK` or `SMTPREPLY_NOT_FOUND`, `SMTPREPLY_NULL_PARAMETER`,
/// `SMTPREPLY_INVALID_INPUT` (empty handle).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_find(
    caps: *const smtpreply_capabilities,
    keyword: *const c_char,
    out_index: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let k = cstr_arg(keyword, "keyword")?;
        let out = Out::new(out_index, "out_index")?;
        let c = c.get()?;
        let i = c.position(k).ok_or_else(|| {
            Error::new(SMTPREPLY_NOT_FOUND, format!("{} is not advertised", String::from_utf8_lossy(k)))
        })?;
        out.write(i);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the number of capability lines that parsed in `*out_count`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_count(
    caps: *const smtpreply_capabilities,
    out_count: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = Out::new(out_count, "out_count")?;
        out.write(c.get()?.len());
        Ok(SMTPREPLY_OK)
    })
}

/// Reads capability `index` into `*out`. Returns `SMTPREPLY_OK` or `SMTPREPLY_OUT_OF_RANGE`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_get(
    caps: *const smtpreply_capabilities,
    index: usize,
    out: *mut smtpreply_capability,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = Out::new(out, "out")?;
        let c = c.get()?;
        let cap = c.at(index).ok_or_else(|| {
            Error::range(format!("capability index {index} is out of range ({} capabilities)", c.len()))
        })?;
        let (kw, params) = (cap.keyword(), cap.params_raw());
        out.write(smtpreply_capability {
            keyword: kw.as_ptr(),
            keyword_len: kw.len(),
            params: params.as_ptr(),
            params_len: params.len(),
            param_count: cap.param_count(),
            extension: cap.extension().map_or(0, |e| e as u32),
        });
        Ok(SMTPREPLY_OK)
    })
}

/// Stores parameter `param_index` of capability `index`. Returns `SMTPREPLY_OK` or
/// `SMTPREPLY_OUT_OF_RANGE`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_param(
    caps: *const smtpreply_capabilities,
    index: usize,
    param_index: usize,
    out_ptr: *mut *const u8,
    out_len: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = SliceOut::new(out_ptr, out_len)?;
        let c = c.get()?;
        let cap = c.at(index).ok_or_else(|| Error::range(format!("capability index {index} is out of range")))?;
        let p = cap.param(param_index).ok_or_else(|| {
            Error::range(format!("parameter index {param_index} is out of range ({} parameters)", cap.param_count()))
        })?;
        out.write(p)
    })
}

/// What SIZE says: `*out_status` receives `SMTPREPLY_SIZE_*`, `*out_limit` the limit in octets
/// (0 unless the status is `SMTPREPLY_SIZE_LIMIT`).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_size(
    caps: *const smtpreply_capabilities,
    out_status: *mut u32,
    out_limit: *mut u64,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let (s, l) = (Out::new(out_status, "out_status")?, Out::new(out_limit, "out_limit")?);
        let (status, limit) = match c.get()?.size() {
            SizeLimit::NotAdvertised => (SMTPREPLY_SIZE_NOT_ADVERTISED, 0),
            SizeLimit::Unspecified => (SMTPREPLY_SIZE_UNSPECIFIED, 0),
            SizeLimit::NoFixedLimit => (SMTPREPLY_SIZE_NO_FIXED_LIMIT, 0),
            SizeLimit::Limit(n) => (SMTPREPLY_SIZE_LIMIT, n),
            SizeLimit::Invalid => (SMTPREPLY_SIZE_INVALID, 0),
        };
        s.write(status);
        l.write(limit);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the number of AUTH mechanisms (from AUTH and legacy AUTH=, without duplicates).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_auth_count(
    caps: *const smtpreply_capabilities,
    out_count: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = Out::new(out_count, "out_count")?;
        out.write(c.get()?.auth_mechanisms().len());
        Ok(SMTPREPLY_OK)
    })
}

/// Stores AUTH mechanism `index`. Returns `SMTPREPLY_OK` or `SMTPREPLY_OUT_OF_RANGE`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_auth_mechanism(
    caps: *const smtpreply_capabilities,
    index: usize,
    out_ptr: *mut *const u8,
    out_len: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = SliceOut::new(out_ptr, out_len)?;
        let m = c
            .get()?
            .auth_mechanisms()
            .nth(index)
            .ok_or_else(|| Error::range(format!("AUTH mechanism index {index} is out of range")))?;
        out.write(m)
    })
}

/// True when AUTH offers `mechanism` (NUL-terminated, case-insensitive). False for NULL arguments,
/// non-UTF-8 names or an empty handle.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_supports_auth(
    caps: *const smtpreply_capabilities,
    mechanism: *const c_char,
) -> bool {
    guard_value(false, || {
        let (Ok(c), Ok(m)) = (ref_arg(caps, "caps"), str_arg(mechanism, "mechanism")) else { return false };
        c.inner.as_ref().is_some_and(|c| c.supports_auth(m))
    })
}

/// Stores the domain the server named on the first line of its EHLO reply.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_domain(
    caps: *const smtpreply_capabilities,
    out_ptr: *mut *const u8,
    out_len: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = SliceOut::new(out_ptr, out_len)?;
        out.write(c.get()?.domain())
    })
}

/// Stores the greeting text after the domain on the first line (possibly empty).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_greeting(
    caps: *const smtpreply_capabilities,
    out_ptr: *mut *const u8,
    out_len: *mut usize,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = SliceOut::new(out_ptr, out_len)?;
        out.write(c.get()?.greeting())
    })
}

/// Stores the set of known extensions advertised: bit `SMTPREPLY_EXT_x` is set for each.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_extensions(
    caps: *const smtpreply_capabilities,
    out_mask: *mut u64,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let out = Out::new(out_mask, "out_mask")?;
        out.write(c.get()?.extensions().0);
        Ok(SMTPREPLY_OK)
    })
}

/// Stores the `SMTPREPLY_CAPS_WARNING_*` bits in `*out_caps_warnings` and the reply parser's
/// `SMTPREPLY_WARNING_*` bits for the EHLO reply in `*out_reply_warnings`.
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_warnings(
    caps: *const smtpreply_capabilities,
    out_caps_warnings: *mut u32,
    out_reply_warnings: *mut u32,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let (a, b) =
            (Out::new(out_caps_warnings, "out_caps_warnings")?, Out::new(out_reply_warnings, "out_reply_warnings")?);
        let c = c.get()?;
        a.write(c.warnings().bits());
        b.write(c.reply_warnings().bits());
        Ok(SMTPREPLY_OK)
    })
}

/// Stores a LIMITS value (RFC 9422) such as "RCPTMAX". Returns `SMTPREPLY_OK` or
/// `SMTPREPLY_NOT_FOUND` (no LIMITS, no such limit, or a malformed value).
#[no_mangle]
pub unsafe extern "C" fn smtpreply_capabilities_limit(
    caps: *const smtpreply_capabilities,
    name: *const c_char,
    out_value: *mut u64,
) -> smtpreply_result {
    guard(|| {
        let c = ref_arg(caps, "caps")?;
        let raw = cstr_arg(name, "name")?;
        let out = Out::new(out_value, "out_value")?;
        let n = utf8_arg(raw, "name")?;
        let c = c.get()?;
        let v = c.limit(n).ok_or_else(|| Error::new(SMTPREPLY_NOT_FOUND, format!("no LIMITS value {n}")))?;
        out.write(v);
        Ok(SMTPREPLY_OK)
    })
}

/// The EHLO keyword of `SMTPREPLY_EXT_x` ("PIPELINING"), or NULL for an unknown number. Static.
#[no_mangle]
pub extern "C" fn smtpreply_extension_keyword(extension: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        Extension::from_u32(extension).map_or(std::ptr::null(), |e| e.keyword_text().as_ptr())
    })
}

/// The IANA description of `SMTPREPLY_EXT_x`, or NULL for an unknown number. Static.
#[no_mangle]
pub extern "C" fn smtpreply_extension_description(extension: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        Extension::from_u32(extension).map_or(std::ptr::null(), |e| e.description_text().as_ptr())
    })
}

/// The name of one `SMTPREPLY_CAPS_WARNING_*` bit ("malformed_line"), or NULL. Static.
#[no_mangle]
pub extern "C" fn smtpreply_caps_warning_name(warning: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        const NAMES: [&str; 6] = [
            "malformed_line\0",
            "size_invalid\0",
            "legacy_equals\0",
            "duplicate_keyword\0",
            "bad_parameter\0",
            "missing_domain\0",
        ];
        if warning.count_ones() != 1 || warning & !CapWarnings::MASK != 0 {
            return std::ptr::null();
        }
        NAMES[warning.trailing_zeros() as usize].as_ptr().cast()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_core() {
        let exts = [
            SMTPREPLY_EXT_PIPELINING,
            SMTPREPLY_EXT_SIZE,
            SMTPREPLY_EXT_STARTTLS,
            SMTPREPLY_EXT_AUTH,
            SMTPREPLY_EXT_8BITMIME,
            SMTPREPLY_EXT_SMTPUTF8,
            SMTPREPLY_EXT_DSN,
            SMTPREPLY_EXT_CHUNKING,
            SMTPREPLY_EXT_BINARYMIME,
            SMTPREPLY_EXT_ENHANCEDSTATUSCODES,
            SMTPREPLY_EXT_REQUIRETLS,
            SMTPREPLY_EXT_DELIVERBY,
            SMTPREPLY_EXT_LIMITS,
            SMTPREPLY_EXT_ETRN,
            SMTPREPLY_EXT_ATRN,
            SMTPREPLY_EXT_HELP,
            SMTPREPLY_EXT_EXPN,
            SMTPREPLY_EXT_VRFY,
            SMTPREPLY_EXT_SEND,
            SMTPREPLY_EXT_SOML,
            SMTPREPLY_EXT_SAML,
            SMTPREPLY_EXT_TURN,
            SMTPREPLY_EXT_CHECKPOINT,
            SMTPREPLY_EXT_NO_SOLICITING,
            SMTPREPLY_EXT_MTRK,
            SMTPREPLY_EXT_BURL,
            SMTPREPLY_EXT_FUTURERELEASE,
            SMTPREPLY_EXT_CONPERM,
            SMTPREPLY_EXT_CONNEG,
            SMTPREPLY_EXT_UTF8SMTP,
            SMTPREPLY_EXT_MT_PRIORITY,
            SMTPREPLY_EXT_RRVS,
            SMTPREPLY_EXT_SUBMITTER,
            SMTPREPLY_EXT_VERB,
            SMTPREPLY_EXT_ONEX,
        ];
        for (i, n) in exts.iter().enumerate() {
            let e = Extension::from_u32(*n).expect("known");
            assert_eq!(e as u32, i as u32 + 1);
            let kw = unsafe { std::ffi::CStr::from_ptr(smtpreply_extension_keyword(*n)) };
            assert_eq!(kw.to_str().unwrap(), e.keyword());
        }
        assert!(Extension::from_u32(exts.len() as u32 + 1).is_none());
        for (w, name) in CapWarnings::ALL {
            let got = unsafe { std::ffi::CStr::from_ptr(smtpreply_caps_warning_name(w.bits())) };
            assert_eq!(got.to_str().unwrap(), name);
        }
        assert_eq!(
            [
                SMTPREPLY_CAPS_WARNING_MALFORMED_LINE,
                SMTPREPLY_CAPS_WARNING_SIZE_INVALID,
                SMTPREPLY_CAPS_WARNING_LEGACY_EQUALS,
                SMTPREPLY_CAPS_WARNING_DUPLICATE_KEYWORD,
                SMTPREPLY_CAPS_WARNING_BAD_PARAMETER,
                SMTPREPLY_CAPS_WARNING_MISSING_DOMAIN
            ],
            CapWarnings::ALL.map(|(w, _)| w.bits())
        );
    }
}
