//! The shape of a classification rule. Provider rules, phrases, modifiers and blocklist mentions are
//! all `Rule`s: a set of fragments that must all appear in the cleaned text, optional constraints
//! on the code and the enhanced code, and what follows when they hold. (The command a reply
//! answered acts through the engine's context rules, not through rule constraints.)
//!
//! The tables (`providers.rs`, `phrases.rs`, `blocklists.rs`) are plain data built with the `const`
//! helpers below, so a maintainer adds a row without touching the engine.

use super::reason::{Action, Bounce, Reason};
use crate::text::Text;

/// What kind of evidence decided a classification, from strongest to weakest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum RuleKind {
    /// 2xx/3xx: accepted.
    Success = 0,
    /// A provider- or MTA-specific signature (code + enhanced code + text).
    Provider = 1,
    /// A phrase that names the cause.
    Phrase = 2,
    /// The enhanced status code.
    Enhanced = 3,
    /// The reply code together with the command it answered.
    Code = 4,
    /// Only the class digit.
    Class = 5,
}

impl RuleKind {
    pub fn name(self) -> &'static str {
        self.name_text().as_str()
    }
    pub(crate) fn name_text(self) -> crate::text::Text {
        match self {
            RuleKind::Success => text!("success"),
            RuleKind::Provider => text!("provider"),
            RuleKind::Phrase => text!("phrase"),
            RuleKind::Enhanced => text!("enhanced_code"),
            RuleKind::Code => text!("reply_code"),
            RuleKind::Class => text!("class_digit"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CodeMatch {
    Any,
    /// The first digit.
    Class(u8),
    Exact(u16),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnhancedMatch {
    Any,
    /// subject.detail of any class.
    Exact(u16, u16),
}

/// The text says the condition is temporary ("try again later"): soft even for 5xx.
pub(crate) const TEMPORARY: u8 = 1;
/// The text says the condition is permanent: hard even for reasons that usually clear.
pub(crate) const PERMANENT: u8 = 2;
/// The fragments may sit inside host names and URLs (`zen.spamhaus.org`); other fragments must
/// stand as words.
pub(crate) const IN_HOST: u8 = 4;
/// The rule concerns the envelope sender (so an address problem is the sender's).
pub(crate) const SENDER: u8 = 8;
/// The reply is a consequence of earlier failures (DATA refused after every RCPT was): no action.
pub(crate) const CONSEQUENCE: u8 = 16;

/// One rule. Build with [`provider`], [`phrase`], [`modifier`] and the chained setters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rule {
    /// Stable identifier, e.g. `"gmail-nosuchuser"`, shown as evidence.
    pub(crate) id: Text,
    pub(crate) kind: RuleKind,
    /// Lower-case fragments that must all appear (as words, unless `IN_HOST`).
    pub(crate) all_of: &'static [&'static str],
    pub(crate) code: CodeMatch,
    pub(crate) enhanced: EnhancedMatch,
    /// `None` for modifiers, which only set flags.
    pub(crate) reason: Option<Reason>,
    /// Among rules of the same kind, the higher weight wins.
    pub(crate) weight: u8,
    pub(crate) flags: u8,
    pub(crate) action: Option<Action>,
    pub(crate) bounce: Option<Bounce>,
    /// The public blocklist this rule recognises, if any.
    pub(crate) blocklist: Option<super::blocklists::Blocklist>,
    /// Where the rule comes from: a URL, a source file, an RFC.
    pub(crate) source: Text,
}

const fn base(id: Text, kind: RuleKind, all_of: &'static [&'static str], source: Text) -> Rule {
    Rule {
        id,
        kind,
        all_of,
        code: CodeMatch::Any,
        enhanced: EnhancedMatch::Any,
        reason: None,
        weight: 50,
        flags: 0,
        action: None,
        bounce: None,
        blocklist: None,
        source,
    }
}

/// A provider- or MTA-specific rule.
pub(crate) const fn provider(id: Text, all_of: &'static [&'static str], reason: Reason, source: Text) -> Rule {
    let mut r = base(id, RuleKind::Provider, all_of, source);
    r.reason = Some(reason);
    r
}

/// A phrase that names a cause, with its weight among phrases.
pub(crate) const fn phrase(
    id: Text,
    all_of: &'static [&'static str],
    reason: Reason,
    weight: u8,
    source: Text,
) -> Rule {
    let mut r = base(id, RuleKind::Phrase, all_of, source);
    r.reason = Some(reason);
    r.weight = weight;
    r
}

/// A phrase that only sets flags (`TEMPORARY`, `PERMANENT`, `SENDER`).
pub(crate) const fn modifier(id: Text, all_of: &'static [&'static str], flags: u8, source: Text) -> Rule {
    let mut r = base(id, RuleKind::Phrase, all_of, source);
    r.flags = flags;
    r
}

impl Rule {
    pub(crate) const fn code(mut self, code: u16) -> Rule {
        self.code = CodeMatch::Exact(code);
        self
    }
    pub(crate) const fn class(mut self, digit: u8) -> Rule {
        self.code = CodeMatch::Class(digit);
        self
    }
    pub(crate) const fn enhanced(mut self, subject: u16, detail: u16) -> Rule {
        self.enhanced = EnhancedMatch::Exact(subject, detail);
        self
    }
    pub(crate) const fn flags(mut self, flags: u8) -> Rule {
        self.flags |= flags;
        self
    }
    pub(crate) const fn action(mut self, action: Action) -> Rule {
        self.action = Some(action);
        self
    }
    pub(crate) const fn bounce(mut self, bounce: Bounce) -> Rule {
        self.bounce = Some(bounce);
        self
    }
    pub(crate) const fn weight(mut self, weight: u8) -> Rule {
        self.weight = weight;
        self
    }
    pub(crate) const fn blocklist(mut self, list: super::blocklists::Blocklist) -> Rule {
        self.blocklist = Some(list);
        self.flags |= IN_HOST;
        self
    }

    /// Whether the code and enhanced code constraints hold.
    pub(crate) fn applies(&self, code: u16, enhanced: Option<crate::reply::EnhancedCode>) -> bool {
        let code_ok = match self.code {
            CodeMatch::Any => true,
            CodeMatch::Class(d) => code / 100 == d as u16,
            CodeMatch::Exact(c) => code == c,
        };
        let enhanced_ok = match self.enhanced {
            EnhancedMatch::Any => true,
            EnhancedMatch::Exact(s, d) => enhanced.is_some_and(|e| e.subject == s && e.detail == d),
        };
        code_ok && enhanced_ok
    }
}
