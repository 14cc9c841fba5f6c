//! Any chunking of the input gives the same replies as parsing it whole.

use smtpreply::reply::{parse_replies, ParseError, ParserOptions, ReplyStream};

#[derive(Debug, PartialEq)]
struct Seen {
    raw: Vec<u8>,
    code: u16,
    enhanced: Option<String>,
    warnings: u32,
    texts: Vec<Vec<u8>>,
}

fn seen(r: &smtpreply::reply::Reply<'_>) -> Seen {
    Seen {
        raw: r.raw().to_vec(),
        code: r.code(),
        enhanced: r.enhanced().map(|e| e.to_string()),
        warnings: r.warnings().bits(),
        texts: r.lines().map(|l| l.text().to_vec()).collect(),
    }
}

const STREAM: &[u8] = b"220-mx.example.com ESMTP\r\n220 ready\r\n\
250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250 AUTH PLAIN LOGIN\r\n\
250 2.1.0 Ok\r\n\
550-5.7.1 [192.0.2.1] Our system has detected\r\n550-5.7.1 an unusual rate of\r\n550 5.7.1 unsolicited mail.\r\n\
250 OK\rmore\r\n\
230-Anonymous\r\nno code here\r\n230 done\r\n\
200 \xc3\xbcber\n\
354 Start mail input; end with <CRLF>.<CRLF>\r\n\
250 2.0.0 Ok: queued as 4Xy\r\r\n\
221 2.0.0 Bye\r\n";

fn whole(input: &[u8], opts: &ParserOptions) -> (Vec<Seen>, usize) {
    let mut out = Vec::new();
    let used = parse_replies(input, opts, |r| out.push(seen(&r))).unwrap();
    (out, used)
}

fn chunked(input: &[u8], cuts: &[usize], opts: &ParserOptions) -> Vec<Seen> {
    let mut s = ReplyStream::new(*opts).unwrap();
    let mut out = Vec::new();
    let mut prev = 0;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        s.feed(&input[prev..cut]).unwrap();
        prev = cut;
        while let Some(r) = s.next_reply().unwrap() {
            out.push(seen(&r));
        }
    }
    s.finish().unwrap();
    out
}

#[test]
fn whole_buffer_parses_all_replies() {
    let (replies, used) = whole(STREAM, &ParserOptions::default());
    assert_eq!(used, STREAM.len());
    let codes: Vec<u16> = replies.iter().map(|r| r.code).collect();
    assert_eq!(codes, vec![220, 250, 250, 550, 250, 230, 200, 354, 250, 221]);
}

#[test]
fn every_single_split_point() {
    let opts = ParserOptions::default();
    let (want, _) = whole(STREAM, &opts);
    for cut in 0..=STREAM.len() {
        assert_eq!(chunked(STREAM, &[cut], &opts), want, "split at {cut}");
    }
}

#[test]
fn byte_at_a_time_and_pseudo_random_chunks() {
    let opts = ParserOptions::default();
    let (want, _) = whole(STREAM, &opts);
    let every: Vec<usize> = (1..STREAM.len()).collect();
    assert_eq!(chunked(STREAM, &every, &opts), want);
    let mut x = 7u32;
    for _ in 0..300 {
        let mut cuts = Vec::new();
        let mut at = 0;
        loop {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            at += 1 + (x >> 16) as usize % 40;
            if at >= STREAM.len() {
                break;
            }
            cuts.push(at);
        }
        assert_eq!(chunked(STREAM, &cuts, &opts), want);
    }
}

#[test]
fn errors_are_the_same_whatever_the_chunking() {
    let opts = ParserOptions::default();
    for bad in [&b"250 OK\r\n2506-me\r\n"[..], b"250 OK\r\nHTTP/1.1 400 Bad\r\n"] {
        let mut s = ReplyStream::new(opts).unwrap();
        for b in bad {
            s.feed(&[*b]).unwrap();
            match s.next_reply() {
                Ok(_) => {}
                Err(e) => {
                    assert!(matches!(
                        e,
                        ParseError::InvalidSeparator { offset: 0 } | ParseError::InvalidCode { offset: 0 }
                    ));
                    // The error repeats until the caller skips the bad line.
                    assert_eq!(s.next_reply(), Err(e));
                    s.skip_line();
                    break;
                }
            }
        }
    }
}

#[test]
fn stream_refuses_input_past_its_buffer_limit() {
    let opts = ParserOptions { max_buffer: 1000, max_reply: 1000, ..ParserOptions::default() };
    let mut s = ReplyStream::new(opts).unwrap();
    s.feed(&b"250 OK\r\n".repeat(100)).unwrap();
    let err = s.feed(&b"250 OK\r\n".repeat(100)).unwrap_err();
    assert!(err.to_string().contains("limit of 1000"));
    assert_eq!(s.pending(), 800, "a refused feed keeps nothing");
    let mut n = 0;
    while s.next_reply().unwrap().is_some() {
        n += 1;
    }
    assert_eq!(n, 100);
    s.feed(&b"250 OK\r\n".repeat(100)).unwrap();
}

#[test]
fn options_are_validated() {
    assert!(ReplyStream::new(ParserOptions { max_line: 0, ..Default::default() }).is_err());
    assert!(ReplyStream::new(ParserOptions { max_reply: 1 << 31, ..Default::default() }).is_err());
    assert!(ReplyStream::new(ParserOptions { max_buffer: 100, ..Default::default() }).is_err());
    assert!(ReplyStream::new(ParserOptions::strict()).is_ok());
}
