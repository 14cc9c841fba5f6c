//! SMTP replies: parsing (single- and multi-line, incremental, zero-copy) and their parts.
//!
//! ```
//! use smtpreply::reply::{parse_reply, ParserOptions};
//!
//! let input = b"550-5.1.1 The email account that you tried to reach does not exist.\r\n\
//!               550 5.1.1 Please try double-checking the recipient's address.\r\n250 OK\r\n";
//! let reply = parse_reply(input, &ParserOptions::default()).unwrap().unwrap();
//! assert_eq!(reply.code(), 550);
//! assert_eq!(reply.enhanced().unwrap().to_string(), "5.1.1");
//! assert_eq!(reply.lines().count(), 2);
//! assert!(reply.warnings().is_empty());
//! // The next reply starts where this one ended.
//! let next = parse_reply(&input[reply.consumed()..], &ParserOptions::default()).unwrap().unwrap();
//! assert_eq!(next.code(), 250);
//! ```

mod enhanced;
mod line;
mod parse;
mod scan;
mod stream;
mod warnings;

pub use enhanced::EnhancedCode;
pub use line::{Line, Lines};
pub use stream::{ReplyStream, StreamError};
pub use warnings::Warnings;

use crate::codes::Severity;

/// Limits and policy for the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParserOptions {
    /// Longest line accepted, in bytes including the terminator. Default 4096.
    pub max_line: usize,
    /// Longest reply accepted, in bytes. Default 65536.
    pub max_reply: usize,
    /// Most bytes a [`ReplyStream`] holds before it refuses more input. Default 1 MiB.
    pub max_buffer: usize,
    /// Turn every warning into an error.
    pub strict: bool,
}

impl ParserOptions {
    pub const DEFAULT_MAX_LINE: usize = 4096;
    pub const DEFAULT_MAX_REPLY: usize = 64 * 1024;
    pub const DEFAULT_MAX_BUFFER: usize = 1024 * 1024;
    /// The smallest cap that admits a reply (`250\r\n`).
    pub const MIN_LIMIT: usize = 5;
    /// The largest cap accepted (1 GiB).
    pub const MAX_LIMIT: usize = 1 << 30;

    /// No practical limits, lenient: for replies whose input is already bounded (a stored reply,
    /// a line of a log or transcript being read again).
    pub const UNBOUNDED: ParserOptions = ParserOptions {
        max_line: Self::MAX_LIMIT,
        max_reply: Self::MAX_LIMIT,
        max_buffer: Self::MAX_LIMIT,
        strict: false,
    };

    /// The defaults with strict mode on.
    pub fn strict() -> ParserOptions {
        ParserOptions { strict: true, ..ParserOptions::default() }
    }

    /// Checks that the caps are usable: each from [`MIN_LIMIT`](Self::MIN_LIMIT) to
    /// [`MAX_LIMIT`](Self::MAX_LIMIT), and the stream buffer at least one reply.
    pub fn validate(&self) -> Result<(), OptionsError> {
        for (name, v) in [("max_line", self.max_line), ("max_reply", self.max_reply), ("max_buffer", self.max_buffer)] {
            if !(Self::MIN_LIMIT..=Self::MAX_LIMIT).contains(&v) {
                return Err(OptionsError::OutOfRange { name, value: v });
            }
        }
        if self.max_buffer < self.max_reply {
            return Err(OptionsError::BufferSmallerThanReply);
        }
        Ok(())
    }
}

impl Default for ParserOptions {
    fn default() -> ParserOptions {
        ParserOptions {
            max_line: Self::DEFAULT_MAX_LINE,
            max_reply: Self::DEFAULT_MAX_REPLY,
            max_buffer: Self::DEFAULT_MAX_BUFFER,
            strict: false,
        }
    }
}

/// Options that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    #[error("{name} = {value} is out of range ({min} to {max})", min = ParserOptions::MIN_LIMIT, max = ParserOptions::MAX_LIMIT)]
    OutOfRange { name: &'static str, value: usize },
    #[error("max_buffer must be at least max_reply")]
    BufferSmallerThanReply,
}

/// Why bytes are not a reply. Offsets count from the start of the reply being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the line at byte {offset} does not start with a reply code (three digits, the first 2 to 5)")]
    InvalidCode { offset: usize },
    #[error(
        "the reply code at byte {offset} is followed by something other than a space, a hyphen or the end of the line"
    )]
    InvalidSeparator { offset: usize },
    #[error("the line at byte {offset} is longer than the limit of {limit} bytes")]
    LineTooLong { offset: usize, limit: usize },
    #[error("the reply is longer than the limit of {limit} bytes")]
    ReplyTooLong { limit: usize },
    #[error("the input ended in the middle of a reply ({len} bytes pending)")]
    Truncated { len: usize },
    #[error("strict mode: {} at byte {offset}", warning.description().unwrap_or("a deviation from RFC 5321"))]
    Strict { warning: Warnings, offset: usize },
}

/// A complete reply, borrowing the bytes it was parsed from.
///
/// It holds a summary (code, enhanced code, warnings, line count) and the raw bytes; [`lines`]
/// walks the lines without allocating.
///
/// [`lines`]: Reply::lines
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reply<'a> {
    raw: &'a [u8],
    code: u16,
    /// Packed (see `EnhancedCode::pack`); 0 when there is none.
    enhanced: u32,
    warnings: Warnings,
    line_count: u32,
}

impl<'a> Reply<'a> {
    /// The reply code (of the first line; see [`Warnings::CODE_MISMATCH`] for replies whose lines
    /// disagree).
    pub fn code(&self) -> u16 {
        self.code
    }
    /// The enhanced status code of the first line that carries one.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        EnhancedCode::unpack(self.enhanced)
    }
    /// The deviations from RFC 5321 the parser accepted.
    pub fn warnings(&self) -> Warnings {
        self.warnings
    }
    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_count as usize
    }
    /// True when the reply has more than one line.
    pub fn is_multiline(&self) -> bool {
        self.line_count > 1
    }
    /// The whole reply as received, terminators included.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }
    /// Bytes this reply took from the input; the next reply starts there.
    pub fn consumed(&self) -> usize {
        self.raw.len()
    }
    /// The lines, in order.
    pub fn lines(&self) -> Lines<'a> {
        // A line can carry an enhanced code only if the reply has one, or if some line's code
        // or enhanced code differs from the first line's (the parser flags both).
        let possible =
            self.enhanced != 0 || self.warnings.0 & (Warnings::CODE_MISMATCH.0 | Warnings::ENHANCED_MISMATCH.0) != 0;
        Lines::new(self.raw, possible)
    }
    /// The class of the reply from its first digit.
    pub fn severity(&self) -> Severity {
        Severity::from_digit(self.code / 100).expect("the parser accepts only first digits 2 to 5")
    }
    /// The text of every line joined with `\n` (allocates; decoded as UTF-8 with replacement
    /// characters for other encodings).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&String::from_utf8_lossy(line.text()));
        }
        out
    }
}

/// Parses the reply at the start of `input`.
///
/// - `Ok(Some(reply))`: a complete reply; `reply.consumed()` bytes belong to it and the next reply
///   (pipelining) starts right after.
/// - `Ok(None)`: the input holds no complete reply yet; nothing is consumed.
/// - `Err(_)`: the bytes cannot be a reply, a cap was exceeded, or (strict mode) a warning.
///
/// Never allocates.
pub fn parse_reply<'a>(input: &'a [u8], opts: &ParserOptions) -> Result<Option<Reply<'a>>, ParseError> {
    parse::parse_fresh(input, opts)
}

/// Parses every complete reply at the start of `input`, calling `each` for each one, and returns
/// the number of bytes they took. Stops at the first incomplete reply; an error is returned only if
/// it occurs before any reply was complete, otherwise parsing stops there and the error will meet
/// the caller at the next call.
pub fn parse_replies<'a>(
    input: &'a [u8],
    opts: &ParserOptions,
    mut each: impl FnMut(Reply<'a>),
) -> Result<usize, ParseError> {
    let mut at = 0;
    loop {
        match parse::parse_fresh(&input[at..], opts) {
            Ok(Some(reply)) => {
                at += reply.consumed();
                each(reply);
            }
            Ok(None) => return Ok(at),
            Err(e) if at == 0 => return Err(e),
            Err(_) => return Ok(at),
        }
    }
}
