//! The reply parser: any bytes, any chunking, any limits.
//!
//! Checks, besides "no panic": parsing the whole buffer and feeding it to a stream in chunks give
//! the same replies and the same error; every reply's lines put back together are its raw bytes;
//! texts never hold a line terminator; codes and enhanced codes obey their grammar; the stream
//! never holds more than its limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::reply::{parse_reply, ParseError, ParserOptions, Reply, ReplyStream};

#[derive(Debug, PartialEq)]
struct Seen {
    raw: Vec<u8>,
    code: u16,
    enhanced: Option<(u8, u16, u16)>,
    warnings: u32,
}

fn check(r: &Reply<'_>) -> Seen {
    assert!(r.consumed() > 0);
    assert!((200..=599).contains(&r.code()));
    assert_eq!(*r.raw().last().unwrap(), b'\n');
    let mut joined = Vec::new();
    let mut n = 0;
    for (i, line) in r.lines().enumerate() {
        joined.extend_from_slice(line.raw());
        assert!(!line.text().contains(&b'\n'));
        assert!(!line.text().ends_with(b"\r"));
        assert!(line.content().len() <= line.raw().len());
        if i == 0 {
            assert_eq!(line.code(), Some(r.code()));
        }
        if let (Some(e), Some(code)) = (line.enhanced(), line.code()) {
            assert_eq!(e.class as u16, code / 100);
        }
        assert_eq!(line.is_last(), i + 1 == r.line_count());
        n += 1;
    }
    assert_eq!(n, r.line_count());
    assert_eq!(joined, r.raw());
    if let Some(e) = r.enhanced() {
        assert_eq!(e.class as u16, r.code() / 100);
    }
    Seen {
        raw: r.raw().to_vec(),
        code: r.code(),
        enhanced: r.enhanced().map(|e| (e.class, e.subject, e.detail)),
        warnings: r.warnings().bits(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, input)) = data.split_first() else { return };
    let opts = ParserOptions {
        max_line: [4096, 16, 64, 600][(ctl & 3) as usize],
        max_reply: [65536, 48, 256, 2000][((ctl >> 2) & 3) as usize],
        max_buffer: 1 << 20,
        strict: ctl & 0x10 != 0,
    };
    let chunk = 1 + (ctl >> 5) as usize * 3;

    // Whole buffer, reply after reply.
    let mut whole = Vec::new();
    let mut at = 0;
    let whole_end: Result<(), ParseError> = loop {
        match parse_reply(&input[at..], &opts) {
            Ok(Some(r)) => {
                at += r.consumed();
                whole.push(check(&r));
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };

    // The same bytes through a stream, in chunks.
    let mut stream = ReplyStream::new(opts).unwrap();
    let mut streamed = Vec::new();
    let mut stream_end = Ok(());
    'feed: for piece in input.chunks(chunk) {
        stream.feed(piece).expect("the stream is drained after every chunk");
        loop {
            match stream.next_reply() {
                Ok(Some(r)) => streamed.push(check(&r)),
                Ok(None) => break,
                Err(e) => {
                    stream_end = Err(e);
                    break 'feed;
                }
            }
        }
        assert!(stream.pending() <= opts.max_reply.max(opts.max_line) + chunk);
    }
    assert_eq!(whole, streamed);
    // A cap may be hit earlier by the stream (it sees a partial line) only as the same error.
    match (&whole_end, &stream_end) {
        (Ok(()), Ok(())) => {}
        (Err(a), Err(b)) => assert_eq!(a, b),
        (Ok(()), Err(e)) | (Err(e), Ok(())) => panic!("whole and stream disagree: {e:?}"),
    }
});
