//! The C ABI. A thin layer: check pointers, convert to slices, call the core, map results to
//! stable numbers. No logic lives only here.
//!
//! Rules every export follows (see also include/smtpreply.h):
//! - it runs behind a panic boundary: a panic becomes `SMTPREPLY_PANIC`, never unwinds into C;
//! - every pointer is checked; a NULL one is `SMTPREPLY_NULL_PARAMETER`;
//! - output parameters are written only when the call returns `SMTPREPLY_OK`;
//! - numbers from C (commands, flags, codes) are `uint32_t` and validated; no Rust enum is
//!   accepted from C;
//! - a failing call leaves a message for `smtpreply_last_error_message()` on the calling thread.

#![allow(non_camel_case_types, clippy::missing_safety_doc)]

pub mod batch;
pub mod classify;
pub mod codes;
pub mod ehlo;
pub mod maillog;
pub mod reply;
pub mod session;
pub mod stream;
pub mod transcript;

use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The result of every fallible call. Values are stable across versions.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum smtpreply_result {
    /// Success; outputs were written.
    SMTPREPLY_OK = 0,
    /// Not an error: the input holds no complete reply yet. Nothing was consumed; call again with
    /// more bytes appended.
    SMTPREPLY_NEED_MORE = 1,
    /// A required pointer argument was NULL.
    SMTPREPLY_NULL_PARAMETER = 2,
    /// The input is not valid for this call (bytes that cannot be a reply, a malformed enhanced
    /// code, an unknown flag or command number ...).
    SMTPREPLY_INVALID_INPUT = 3,
    /// A configured limit was exceeded (line, reply or buffer size).
    SMTPREPLY_LIMIT_EXCEEDED = 4,
    /// The caller's buffer is too small for the result.
    SMTPREPLY_BUFFER_TOO_SMALL = 5,
    /// An internal error (a bug in smtpreply) was caught at the boundary.
    SMTPREPLY_PANIC = 6,
    /// An index or number is outside its range.
    SMTPREPLY_OUT_OF_RANGE = 7,
    /// The thing asked for is not there (a keyword not advertised, a context not defined).
    SMTPREPLY_NOT_FOUND = 8,
    /// The input ended in the middle of a reply.
    SMTPREPLY_TRUNCATED = 9,
    /// Strict mode: the reply deviates from RFC 5321 (the message names the deviation).
    SMTPREPLY_STRICT_VIOLATION = 10,
    /// The host called a session action the session cannot take in its current state (nothing
    /// was changed or sent).
    SMTPREPLY_WRONG_STATE = 11,
    /// The server does not offer the extension the action needs (8BITMIME, SMTPUTF8, AUTH ...).
    SMTPREPLY_NOT_SUPPORTED = 12,
}

use smtpreply_result::*;

impl smtpreply_result {
    const ALL: [(smtpreply_result, &'static str); 13] = [
        (SMTPREPLY_OK, "SMTPREPLY_OK\0"),
        (SMTPREPLY_NEED_MORE, "SMTPREPLY_NEED_MORE\0"),
        (SMTPREPLY_NULL_PARAMETER, "SMTPREPLY_NULL_PARAMETER\0"),
        (SMTPREPLY_INVALID_INPUT, "SMTPREPLY_INVALID_INPUT\0"),
        (SMTPREPLY_LIMIT_EXCEEDED, "SMTPREPLY_LIMIT_EXCEEDED\0"),
        (SMTPREPLY_BUFFER_TOO_SMALL, "SMTPREPLY_BUFFER_TOO_SMALL\0"),
        (SMTPREPLY_PANIC, "SMTPREPLY_PANIC\0"),
        (SMTPREPLY_OUT_OF_RANGE, "SMTPREPLY_OUT_OF_RANGE\0"),
        (SMTPREPLY_NOT_FOUND, "SMTPREPLY_NOT_FOUND\0"),
        (SMTPREPLY_TRUNCATED, "SMTPREPLY_TRUNCATED\0"),
        (SMTPREPLY_STRICT_VIOLATION, "SMTPREPLY_STRICT_VIOLATION\0"),
        (SMTPREPLY_WRONG_STATE, "SMTPREPLY_WRONG_STATE\0"),
        (SMTPREPLY_NOT_SUPPORTED, "SMTPREPLY_NOT_SUPPORTED\0"),
    ];
}

/// An error on its way to C: a stable code and a message for `smtpreply_last_error_message`.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) code: smtpreply_result,
    pub(crate) message: String,
}

impl Error {
    pub(crate) fn new(code: smtpreply_result, message: impl Into<String>) -> Error {
        Error { code, message: message.into() }
    }
    pub(crate) fn null(name: &str) -> Error {
        Error::new(SMTPREPLY_NULL_PARAMETER, format!("{name} is NULL"))
    }
    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(SMTPREPLY_INVALID_INPUT, message)
    }
    pub(crate) fn range(message: impl Into<String>) -> Error {
        Error::new(SMTPREPLY_OUT_OF_RANGE, message)
    }
}

pub(crate) type FfiResult = Result<smtpreply_result, Error>;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    let clean: Vec<u8> = message.bytes().map(|b| if b == 0 { b'?' } else { b }).collect();
    let c = CString::new(clean).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = c);
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("internal error in smtpreply (please report it): {what}")
}

/// Runs the body of an export that returns a result code.
pub(crate) fn guard(f: impl FnOnce() -> FfiResult) -> smtpreply_result {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            set_last_error(&e.message);
            e.code
        }
        Err(payload) => {
            set_last_error(&panic_message(payload.as_ref()));
            SMTPREPLY_PANIC
        }
    }
}

/// Runs the body of an export that returns a plain value, with `fallback` on panic.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(payload) => {
            set_last_error(&panic_message(payload.as_ref()));
            fallback
        }
    }
}

/// A byte range from C. `len == 0` gives an empty slice whatever `ptr` is.
pub(crate) unsafe fn bytes_arg<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    if len > isize::MAX as usize {
        return Err(Error::invalid(format!("{name}: length {len} is larger than any object can be")));
    }
    Ok(std::slice::from_raw_parts(ptr, len))
}

/// A NUL-terminated string from C, as bytes without the NUL.
pub(crate) unsafe fn cstr_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    Ok(std::ffi::CStr::from_ptr(ptr).to_bytes())
}

/// A NUL-terminated string from C that must be UTF-8 (identifiers: keywords, mechanisms, names).
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    utf8_arg(cstr_arg(ptr, name)?, name)
}

/// The UTF-8 check of `str_arg`, for callers that NULL-check every pointer first.
pub(crate) fn utf8_arg<'a>(b: &'a [u8], name: &str) -> Result<&'a str, Error> {
    std::str::from_utf8(b).map_err(|_| Error::invalid(format!("{name} is not valid UTF-8")))
}

/// A shared reference to a handle or input struct.
pub(crate) unsafe fn ref_arg<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    if !ptr.is_aligned() {
        return Err(Error::invalid(format!("{name} is not properly aligned")));
    }
    Ok(&*ptr)
}

/// A mutable reference to a handle.
pub(crate) unsafe fn mut_arg<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Error> {
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    if !ptr.is_aligned() {
        return Err(Error::invalid(format!("{name} is not properly aligned")));
    }
    Ok(&mut *ptr)
}

/// An output location: checked up front, written at the end (only on success).
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    pub(crate) unsafe fn new(ptr: *mut T, name: &str) -> Result<Out<T>, Error> {
        if ptr.is_null() {
            return Err(Error::null(name));
        }
        if !ptr.is_aligned() {
            return Err(Error::invalid(format!("{name} is not properly aligned")));
        }
        Ok(Out(ptr))
    }
    pub(crate) fn write(self, v: T) {
        // SAFETY: checked non-null and aligned in `new`; C promised it is writable.
        unsafe { self.0.write(v) }
    }
}

/// Frees a handle made by `Box::into_raw`; NULL is a no-op.
pub(crate) unsafe fn free_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        drop(Box::from_raw(ptr));
    }
}

pub(crate) fn opt_str(t: Option<crate::text::Text>) -> *const c_char {
    t.map_or(std::ptr::null(), |t| t.as_ptr())
}

/// The library version, e.g. "0.1.0" (a static string).
///
/// It equals `SMTPREPLY_VERSION_STRING` of the header the caller compiled against when header and
/// library match. Thread-safe.
#[no_mangle]
pub extern "C" fn smtpreply_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The name of a result code ("SMTPREPLY_NEED_MORE"), or NULL for a number that is not one.
/// Static string; thread-safe.
#[no_mangle]
pub extern "C" fn smtpreply_result_name(result: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        smtpreply_result::ALL
            .iter()
            .find(|(r, _)| *r as u32 == result)
            .map_or(std::ptr::null(), |(_, name)| name.as_ptr().cast())
    })
}

/// A message describing the most recent failing call on the calling thread (an empty string if no
/// call has failed on this thread). The string stays valid until the next failing call on this
/// thread; copy it to keep it. Thread-safe: each thread has its own message.
#[no_mangle]
pub extern "C" fn smtpreply_last_error_message() -> *const c_char {
    guard_value(c"".as_ptr(), || LAST_ERROR.with(|e| e.borrow().as_ptr()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_names_match_numbers() {
        for (i, (r, name)) in smtpreply_result::ALL.iter().enumerate() {
            assert_eq!(*r as u32, i as u32);
            let got = unsafe { std::ffi::CStr::from_ptr(smtpreply_result_name(i as u32)) };
            assert_eq!(got.to_bytes_with_nul(), name.as_bytes());
            assert!(name.ends_with('\0'));
        }
        assert!(smtpreply_result_name(13).is_null());
        assert!(smtpreply_result_name(u32::MAX).is_null());
    }

    #[test]
    fn panics_become_a_result_and_a_message() {
        let r = guard(|| panic!("boom"));
        assert_eq!(r, SMTPREPLY_PANIC);
        let msg = unsafe { std::ffi::CStr::from_ptr(smtpreply_last_error_message()) };
        assert!(msg.to_str().unwrap().contains("boom"));
    }
}
