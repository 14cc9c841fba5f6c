//! The C entry points for parsing, called as C would, with arbitrary bytes and options.
//! Checks that results are consistent across the one-shot, batch and stream paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::ffi::batch::*;
use smtpreply::ffi::reply::*;
use smtpreply::ffi::smtpreply_result::{self, *};
use smtpreply::ffi::stream::*;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, input)) = data.split_first() else { return };
    let opts = smtpreply_parser_options {
        max_line: [0, 8, 100, 70000][(ctl & 3) as usize],
        max_reply: [0, 8, 300, 70000][((ctl >> 2) & 3) as usize],
        max_buffer: 0,
        flags: ((ctl >> 4) & 3) as u32, // bit 1 is unknown: must be refused
    };
    unsafe {
        let reply = smtpreply_reply_new();
        let mut consumed = usize::MAX;
        let r = smtpreply_parse_reply(input.as_ptr(), input.len(), &opts, reply, &mut consumed);
        let one: Option<(smtpreply_result, usize)> = Some((r, consumed));
        if r == SMTPREPLY_OK {
            assert!(consumed > 0 && consumed <= input.len());
            let mut info = std::mem::MaybeUninit::<smtpreply_reply_info>::uninit();
            assert_eq!(smtpreply_reply_get_info(reply, info.as_mut_ptr()), SMTPREPLY_OK);
            let info = info.assume_init();
            assert_eq!(info.raw_len, consumed);
            for i in 0..info.line_count {
                let mut line = std::mem::MaybeUninit::<smtpreply_line>::uninit();
                assert_eq!(smtpreply_reply_get_line(reply, i, line.as_mut_ptr()), SMTPREPLY_OK);
            }
            let mut line = std::mem::MaybeUninit::<smtpreply_line>::uninit();
            assert_eq!(smtpreply_reply_get_line(reply, info.line_count, line.as_mut_ptr()), SMTPREPLY_OUT_OF_RANGE);
        } else {
            assert_eq!(consumed, usize::MAX, "outputs are written only on success");
        }

        // The batch must agree with the one-shot call on the first reply.
        let batch = smtpreply_batch_new();
        let mut batch_consumed = usize::MAX;
        let b = smtpreply_parse_batch(batch, input.as_ptr(), input.len(), &opts, &mut batch_consumed);
        if let Some((r1, c1)) = one {
            assert_eq!(b == SMTPREPLY_OK, r1 == SMTPREPLY_OK);
            if b == SMTPREPLY_OK {
                let mut p = std::ptr::null();
                let mut n = 0usize;
                assert_eq!(smtpreply_batch_replies(batch, &mut p, &mut n), SMTPREPLY_OK);
                assert!(n >= 1);
                let first = &*p;
                assert_eq!(first.offset, 0);
                assert_eq!(first.length as usize, c1);
                assert!(batch_consumed <= input.len());
            } else {
                assert_eq!(b, r1);
                assert_eq!(batch_consumed, usize::MAX);
            }
        }

        // A stream fed byte by byte finds the same first reply.
        let mut stream = std::ptr::null_mut();
        if smtpreply_stream_new(&opts, &mut stream) == SMTPREPLY_OK {
            let mut got = None;
            for (i, byte) in input.iter().enumerate() {
                assert_eq!(smtpreply_stream_feed(stream, byte, 1), SMTPREPLY_OK);
                match smtpreply_stream_next(stream, reply) {
                    SMTPREPLY_NEED_MORE => {}
                    other => {
                        got = Some((other, i + 1));
                        break;
                    }
                }
            }
            if let Some((r1, c1)) = one {
                match got {
                    Some((SMTPREPLY_OK, fed)) => {
                        assert_eq!(r1, SMTPREPLY_OK);
                        assert_eq!(fed, c1);
                    }
                    Some((err, _)) => assert_eq!(err, r1),
                    None => assert_eq!(r1, SMTPREPLY_NEED_MORE),
                }
            }
            smtpreply_stream_free(stream);
        } else {
            assert_ne!(r, SMTPREPLY_OK);
        }
        smtpreply_batch_free(batch);
        smtpreply_reply_free(reply);
    }
});
