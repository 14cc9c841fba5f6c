//! Static text that is both a Rust `&str` and a NUL-terminated C string.
//!
//! Knowledge tables hold thousands of descriptions that C reads through `const char *` without
//! copying or freeing. Storing each one once, with its NUL, serves both sides: `as_str` drops the
//! NUL in O(1), `as_ptr` hands the same bytes to C.

use std::ffi::c_char;

/// A `'static` string stored with a trailing NUL and no interior NUL.
///
/// Build it with the [`text!`](crate::text!) macro; the constructor checks the invariant at
/// compile time for every table row.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text(&'static str);

impl Text {
    /// Wraps a string that ends in exactly one NUL. Panics (at compile time in a `const`) otherwise.
    pub const fn new(with_nul: &'static str) -> Text {
        let bytes = with_nul.as_bytes();
        assert!(!bytes.is_empty() && bytes[bytes.len() - 1] == 0, "Text must end with NUL");
        let mut i = 0;
        while i + 1 < bytes.len() {
            assert!(bytes[i] != 0, "Text must not contain an interior NUL");
            i += 1;
        }
        Text(with_nul)
    }

    /// The text without its NUL.
    pub const fn as_str(&self) -> &'static str {
        let (text, _nul) = self.0.as_bytes().split_at(self.0.len() - 1);
        // SAFETY: removing the final ASCII NUL from valid UTF-8 leaves valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(text) }
    }

    /// The same bytes as a NUL-terminated C string with static lifetime.
    pub const fn as_ptr(&self) -> *const c_char {
        self.0.as_ptr().cast()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `text!("...")`: a [`Text`] checked at compile time.
#[macro_export]
macro_rules! text {
    ($s:expr) => {{
        const T: $crate::text::Text = $crate::text::Text::new(concat!($s, "\0"));
        T
    }};
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_to_str_and_c() {
        let t = text!("Mailbox full");
        assert_eq!(t.as_str(), "Mailbox full");
        let c = unsafe { std::ffi::CStr::from_ptr(t.as_ptr()) };
        assert_eq!(c.to_str().unwrap(), "Mailbox full");
    }
}
