//! A reply stream: feed bytes as they arrive from the socket, take complete replies out.

use super::parse::{parse_with, Progress};
use super::{OptionsError, ParseError, ParserOptions, Reply};

/// Why a stream refused input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("the stream already holds {held} bytes; taking {offered} more would pass its limit of {limit} (take replies out first)")]
    BufferFull { held: usize, offered: usize, limit: usize },
}

/// An incremental reply parser that owns its buffer.
///
/// Memory stays bounded: the buffer never holds more than `max_buffer` bytes, and a reply that
/// grows past `max_reply` fails as soon as the bytes that exceed the cap arrive.
#[derive(Debug)]
pub struct ReplyStream {
    buf: Vec<u8>,
    /// Start of the bytes not yet taken.
    start: usize,
    progress: Progress,
    opts: ParserOptions,
}

impl ReplyStream {
    /// A stream with these options (checked).
    pub fn new(opts: ParserOptions) -> Result<ReplyStream, OptionsError> {
        opts.validate()?;
        Ok(ReplyStream { buf: Vec::new(), start: 0, progress: Progress::default(), opts })
    }

    /// The options in force.
    pub fn options(&self) -> &ParserOptions {
        &self.opts
    }

    /// Appends received bytes. Refuses (and keeps nothing of `data`) when the buffer would pass
    /// `max_buffer`.
    pub fn feed(&mut self, data: &[u8]) -> Result<(), StreamError> {
        let held = self.buf.len() - self.start;
        if data.len() > self.opts.max_buffer - held {
            return Err(StreamError::BufferFull { held, offered: data.len(), limit: self.opts.max_buffer });
        }
        if self.start > 0 && (self.start == self.buf.len() || self.start >= self.buf.len() / 2) {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// The next complete reply, `Ok(None)` when more bytes are needed, or the error that stops
    /// the stream at this point (call [`skip_line`](Self::skip_line) to resynchronise).
    pub fn next_reply(&mut self) -> Result<Option<Reply<'_>>, ParseError> {
        let input = &self.buf[self.start..];
        match parse_with(input, &self.opts, &mut self.progress)? {
            Some(reply) => {
                self.start += reply.consumed();
                Ok(Some(reply))
            }
            None => Ok(None),
        }
    }

    /// Declares the end of the input: an error if a reply was left unfinished.
    pub fn finish(&self) -> Result<(), ParseError> {
        match self.pending() {
            0 => Ok(()),
            len => Err(ParseError::Truncated { len }),
        }
    }

    /// Bytes held that are not part of a reply taken out yet.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.start
    }

    /// The bytes not yet taken.
    pub fn buffered(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Drops the pending bytes up to and including the next LF (all of them if there is none) and
    /// returns how many were dropped: a way past garbage after an error.
    pub fn skip_line(&mut self) -> usize {
        let pending = &self.buf[self.start..];
        let n = pending.iter().position(|&b| b == b'\n').map_or(pending.len(), |i| i + 1);
        self.start += n;
        self.progress = Progress::default();
        n
    }

    /// Forgets everything buffered.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
        self.progress = Progress::default();
    }
}
