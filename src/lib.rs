//! smtpreply: understand and drive SMTP from any language.
//!
//! - [`reply`]: parse server replies from bytes (single- and multi-line, incremental, zero-copy).
//! - [`ehlo`]: EHLO replies as capabilities.
//! - [`codes`]: what every reply code and enhanced status code means, in RFC wording and plain words.
//! - [`classify`]: why a reply failed, soft or hard, retry or not, and what to do.
//! - [`command`]: the commands replies answer.
//! - [`session`]: the client side of the conversation, sans I/O.
//! - [`transcript`]: explain a pasted conversation (connection logs, telnet, swaks, curl, smtplib,
//!   Exchange protocol logs, bounces) step by step, with the outcome per recipient.
//! - [`ffi`]: the C ABI (see `include/smtpreply.h`).
//!
//! The core modules know nothing of C; cbindgen reads only [`ffi`].

#[macro_use]
/// cbindgen:ignore
pub mod text;
/// cbindgen:ignore
pub mod classify;
/// cbindgen:ignore
pub mod codes;
/// cbindgen:ignore
pub mod command;
/// cbindgen:ignore
pub mod ehlo;
pub mod ffi;
/// cbindgen:ignore
pub mod maillog;
/// cbindgen:ignore
pub mod reply;
/// cbindgen:ignore
pub mod session;
/// cbindgen:ignore
pub mod transcript;
