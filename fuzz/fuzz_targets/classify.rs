//! The classifier on arbitrary bytes and commands.
//!
//! Checks: no panic; spans lie inside the input; success exactly when bounce is none; retry only
//! for soft bounces; the same input gives the same verdict; the C entry point agrees.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::classify::{classify, Bounce, Reason};
use smtpreply::command::Command;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, input)) = data.split_first() else { return };
    let command = Command::from_u32((ctl % 24) as u32).filter(|c| *c != Command::Unknown);
    let c = classify(input, command);
    let inside = |s: Option<(usize, usize)>| s.is_none_or(|(a, b)| a <= b && b <= input.len());
    assert!(inside(c.evidence.span), "{:?}", c.evidence);
    assert!(inside(c.blocklist.and_then(|b| b.span)));
    assert_eq!(c.reason == Reason::Success, c.bounce == Bounce::None, "{c:?}");
    assert!(!c.retry || c.bounce == Bounce::Soft);
    if let Some(e) = c.enhanced {
        assert!(matches!(e.class, 2 | 4 | 5));
    }
    assert!(c.code == 0 || (200..=599).contains(&c.code));
    assert_eq!(classify(input, command), c, "classification must be deterministic");
    if command.is_some() {
        assert_eq!(c.command, command);
    }

    // The C entry point gives the same verdict (or refuses blank input).
    let mut out = std::mem::MaybeUninit::uninit();
    let cmd = command.map_or(0, |c| c as u32);
    let r = unsafe { smtpreply::ffi::classify::smtpreply_classify(input.as_ptr(), input.len(), cmd, out.as_mut_ptr()) };
    if input.iter().all(|b| b.is_ascii_whitespace()) {
        assert_eq!(r, smtpreply::ffi::smtpreply_result::SMTPREPLY_INVALID_INPUT);
    } else {
        assert_eq!(r, smtpreply::ffi::smtpreply_result::SMTPREPLY_OK);
        let out = unsafe { out.assume_init() };
        assert_eq!(out.reason, c.reason as u32);
        assert_eq!(out.bounce, c.bounce as u32);
        assert_eq!(out.retry, c.retry);
    }
});
