//! smtpreply: understand and drive SMTP from any language.

#[macro_use]
pub mod text;
pub mod codes;
pub mod command;
pub mod ehlo;
pub mod reply;
