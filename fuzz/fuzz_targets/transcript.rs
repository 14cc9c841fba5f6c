//! The transcript explainer (format detection, every reader, the step builder) on arbitrary bytes.
//!
//! Checks: no panic; every index a step, check, recipient or message holds points inside the
//! transcript and at the right kind of step; replies answer earlier commands; AUTH responses stay
//! masked; the same input gives the same result; the C entry point agrees on the counts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::ffi::transcript::*;
use smtpreply::transcript::{analyse_with, Format, Options, StepKind};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, input)) = data.split_first() else { return };
    // Half the runs detect the format, the others force one (every reader meets every input).
    let format = if ctl & 1 == 0 { None } else { Format::from_u32(((ctl >> 1) % 10) as u32) };
    let opts = Options { format, max_line: 80 + (ctl as usize) * 4, ..Options::default() };
    let t = analyse_with(input, &opts).expect("inputs under the limit are analysed");
    let n = t.steps.len();
    for (i, s) in t.steps.iter().enumerate() {
        assert!(s.line <= t.lines, "step {i} at line {} of {}", s.line, t.lines);
        if let Some(a) = s.answers {
            assert!(a < i, "reply {i} answers a later step {a}");
            assert!(matches!(t.steps[a].kind, StepKind::Command | StepKind::AuthResponse));
            assert_eq!(s.kind, StepKind::Reply);
        }
        if s.kind == StepKind::AuthResponse {
            assert!(matches!(s.text.as_slice(), b"****" | b"*" | b"="), "unmasked AUTH response {:?}", s.text_lossy());
        }
        if let Some(r) = &s.reply {
            assert!(r.code == 0 || (200..=599).contains(&r.code));
            assert_eq!(s.kind, StepKind::Reply);
            // Evidence spans index the step's own text.
            let inside = |sp: Option<(usize, usize)>| sp.is_none_or(|(a, b)| a <= b && b <= s.text.len());
            assert!(inside(r.classification.evidence.span), "{:?} in {:?}", r.classification.evidence, s.text);
            assert!(inside(r.classification.blocklist.and_then(|b| b.span)));
        }
    }
    for c in &t.checks {
        assert!(c.step < n.max(1), "check {c:?} past {n} steps");
        assert!(!c.message.is_empty());
    }
    for r in &t.recipients {
        assert!(n == 0 || r.rcpt_step < n);
        assert!(r.reply_step.is_none_or(|s| s < n && t.steps[s].kind == StepKind::Reply));
        assert!(r.message < t.messages.len());
    }
    for m in &t.messages {
        assert!(n == 0 || m.mail_step < n);
        assert!(m.reply_step.is_none_or(|s| s < n && t.steps[s].kind == StepKind::Reply));
    }
    if let Some(f) = t.first_failure {
        assert!(t.steps[f].reply.as_ref().is_some_and(|r| r.code >= 400));
    }
    assert_eq!(analyse_with(input, &opts).unwrap(), t, "analysis must be deterministic");

    // The C API sees the same transcript.
    let c_opts = smtpreply_transcript_options {
        format: format.map_or(SMTPREPLY_FORMAT_UNKNOWN, |f| f as u32),
        max_input: 0,
        max_line: opts.max_line,
    };
    let mut h = std::ptr::null_mut();
    let rc = unsafe { smtpreply_transcript_analyse(input.as_ptr(), input.len(), &c_opts, &mut h) };
    if format == Some(Format::Unknown) {
        // Forcing "unknown" through C means "detect": compare counts only when both detect.
        unsafe { smtpreply_transcript_free(h) };
        return;
    }
    assert_eq!(rc as u32, 0);
    let mut sum = std::mem::MaybeUninit::uninit();
    assert_eq!(unsafe { smtpreply_transcript_get_summary(h, sum.as_mut_ptr()) } as u32, 0);
    let sum = unsafe { sum.assume_init() };
    assert_eq!((sum.step_count, sum.check_count, sum.recipient_count), (n, t.checks.len(), t.recipients.len()));
    unsafe { smtpreply_transcript_free(h) };
});
