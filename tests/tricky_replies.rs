//! Every row of ../shared/reference/tricky-replies.md that concerns the reply parser, from Rust.
//! (The EHLO rows are in tests/ehlo.rs; the same rows run through the C boundary in
//! c-examples/tests/test_tricky.c.)

use smtpreply::reply::{parse_reply, ParseError, ParserOptions, Reply, ReplyStream, Warnings};

fn lenient() -> ParserOptions {
    ParserOptions::default()
}

fn one(input: &[u8]) -> Reply<'_> {
    parse_reply(input, &lenient()).expect("no error").expect("complete")
}

fn texts<'a>(r: &Reply<'a>) -> Vec<&'a [u8]> {
    r.lines().map(|l| l.text()).collect()
}

fn strict_err(input: &[u8]) -> ParseError {
    parse_reply(input, &ParserOptions::strict()).expect_err("strict mode must refuse")
}

#[test]
fn row01_multiline_ehlo_style() {
    let r = one(b"250-me\r\n250-8BITMIME\r\n250-SIZE 42\r\n250 AUTH PLAIN CRAM-MD5\r\n");
    assert_eq!(r.code(), 250);
    assert_eq!(r.line_count(), 4);
    assert_eq!(texts(&r), vec![&b"me"[..], b"8BITMIME", b"SIZE 42", b"AUTH PLAIN CRAM-MD5"]);
    assert!(r.warnings().is_empty());
}

#[test]
fn row02_invalid_separator() {
    assert_eq!(parse_reply(b"2506-me\r\n250 OK\r\n", &lenient()), Err(ParseError::InvalidSeparator { offset: 0 }));
}

#[test]
fn row03_incomplete_consumes_nothing() {
    assert_eq!(parse_reply(b"250-me\r\n250-AUTH PLAIN\r\n", &lenient()), Ok(None));
}

#[test]
fn row04_enhanced_on_every_line() {
    let input = b"550-5.7.25 [203.0.113.1] The IP address...\r\n550-5.7.25 PTR record...\r\n550 5.7.25 match the sending IP.\r\n";
    let r = one(input);
    assert_eq!(r.enhanced().unwrap().to_string(), "5.7.25");
    for l in r.lines() {
        assert_eq!(l.enhanced().unwrap().to_string(), "5.7.25");
    }
    assert_eq!(texts(&r), vec![&b"[203.0.113.1] The IP address..."[..], b"PTR record...", b"match the sending IP."]);
    assert!(r.warnings().is_empty());
}

#[test]
fn row05_differing_enhanced_codes() {
    let r = one(b"550-5.7.2 first line\r\n550 5.7.25 second line\r\n");
    assert_eq!(r.enhanced().unwrap().to_string(), "5.7.2");
    let per_line: Vec<String> = r.lines().map(|l| l.enhanced().unwrap().to_string()).collect();
    assert_eq!(per_line, vec!["5.7.2", "5.7.25"]);
    assert!(r.warnings().contains(Warnings::ENHANCED_MISMATCH));
    assert_eq!(texts(&r), vec![&b"first line"[..], b"second line"]);
    assert!(matches!(
        strict_err(b"550-5.7.2 first line\r\n550 5.7.25 second line\r\n"),
        ParseError::Strict { warning: Warnings::ENHANCED_MISMATCH, .. }
    ));
}

#[test]
fn row06_class_mismatch_stays_text() {
    let r = one(b"550-4.7.1 first line\r\n550 4.7.1 second line\r\n");
    assert_eq!(r.enhanced(), None);
    assert_eq!(texts(&r), vec![&b"4.7.1 first line"[..], b"4.7.1 second line"]);
    assert!(r.warnings().contains(Warnings::ENHANCED_CLASS_MISMATCH));
}

#[test]
fn row07_bare_lf() {
    let r = one(b"250 2.1.1 Originator <ned@ymir.claremont.edu> ok\n");
    assert_eq!(r.code(), 250);
    assert_eq!(r.enhanced().unwrap().to_string(), "2.1.1");
    assert_eq!(texts(&r), vec![&b"Originator <ned@ymir.claremont.edu> ok"[..]]);
    assert_eq!(r.warnings(), Warnings::BARE_LF);
    assert!(matches!(strict_err(b"250 OK\n"), ParseError::Strict { warning: Warnings::BARE_LF, offset: 0 }));
}

#[test]
fn row08_class_six_is_text() {
    let r = one(b"432-6.8.9\n432-6.8.9 Hello\n432 6.8.9 World!\n");
    assert_eq!(r.enhanced(), None);
    assert_eq!(texts(&r), vec![&b"6.8.9"[..], b"6.8.9 Hello", b"6.8.9 World!"]);
    assert_eq!(r.warnings(), Warnings::BARE_LF);
}

#[test]
fn row09_numbers_that_are_not_enhanced_codes() {
    for input in [&b"250 2address.org\r\n"[..], b"250 100.address.org\r\n", b"250 99999999999999\r\n"] {
        let r = one(input);
        assert_eq!(r.enhanced(), None, "{input:?}");
        assert!(r.warnings().is_empty());
        assert_eq!(r.lines().next().unwrap().text(), &input[4..input.len() - 2]);
    }
}

#[test]
fn row10_code_only_line_ends_the_reply() {
    let input = b"250-Missing space\n250\n250 Ignore this";
    let r = one(input);
    assert_eq!(r.line_count(), 2);
    assert_eq!(texts(&r), vec![&b"Missing space"[..], b""]);
    assert_eq!(r.consumed(), b"250-Missing space\n250\n".len());
    assert!(r.warnings().contains(Warnings::BARE_LF));
    assert_eq!(parse_reply(&input[r.consumed()..], &lenient()), Ok(None));
}

#[test]
fn row12_continuation_without_code() {
    let input = b"230-Anonymous access\r\nRead the file README.txt,\r\n230  please\r\n";
    let r = one(input);
    assert_eq!(r.code(), 230);
    assert_eq!(r.line_count(), 3);
    assert_eq!(texts(&r), vec![&b"Anonymous access"[..], b"Read the file README.txt,", b" please"]);
    assert_eq!(r.lines().nth(1).unwrap().code(), None);
    assert!(r.warnings().contains(Warnings::MISSING_CODE));
    assert!(matches!(strict_err(input), ParseError::Strict { warning: Warnings::MISSING_CODE, offset: 22 }));
}

#[test]
fn row13_plain_multiline() {
    let r = one(b"400-A\r\n400-B\r\n400 C\r\n");
    assert_eq!(texts(&r), vec![&b"A"[..], b"B", b"C"]);
}

#[test]
fn row14_multiline_greeting() {
    let r = one(b"220-Greetings, stranger\r\n220 smtp.domain.example ESMTP ready\r\n");
    assert_eq!(r.code(), 220);
    assert_eq!(r.line_count(), 2);
    assert!(r.warnings().is_empty());
}

#[test]
fn row15_code_alone() {
    for (input, lines) in [(&b"502\r\n"[..], 1), (b"334\r\n", 1), (b"500-Line one\r\n500-Line two\r\n500\r\n", 3)] {
        let r = one(input);
        assert_eq!(r.line_count(), lines);
        assert_eq!(r.lines().last().unwrap().text(), b"");
        assert!(r.warnings().is_empty(), "{input:?}");
        assert_eq!(r.consumed(), input.len());
    }
}

#[test]
fn row16_code_mismatch() {
    for input in [&b"250-smtp.domain.example\r\n220\r\n"[..], b"200-Line one\r\n500 Line two\r\n"] {
        let r = one(input);
        assert!(r.warnings().contains(Warnings::CODE_MISMATCH));
        assert_eq!(r.code(), (input[0] - b'0') as u16 * 100 + (input[1] - b'0') as u16 * 10);
        assert!(matches!(strict_err(input), ParseError::Strict { warning: Warnings::CODE_MISMATCH, .. }));
    }
}

#[test]
fn row18_empty_text_lines_kept() {
    let r = one(b"500-\r\n500 Line two\r\n");
    assert_eq!(texts(&r), vec![&b""[..], b"Line two"]);
    let r = one(b"200 \r\n");
    assert_eq!(texts(&r), vec![&b""[..]]);
}

#[test]
fn row19_not_a_reply_code() {
    for input in [&b"611\r\n"[..], b"199 x\r\n", b"20x\r\n", b"25 OK\r\n", b" 250 OK\r\n"] {
        assert_eq!(parse_reply(input, &lenient()), Err(ParseError::InvalidCode { offset: 0 }), "{input:?}");
    }
}

#[test]
fn row20_second_digit_out_of_grammar() {
    for input in [&b"280 Something\r\n"[..], b"260 x\r\n"] {
        let r = one(input);
        assert_eq!(r.warnings(), Warnings::CODE_OUT_OF_GRAMMAR);
        assert!(matches!(strict_err(input), ParseError::Strict { warning: Warnings::CODE_OUT_OF_GRAMMAR, .. }));
    }
}

#[test]
fn row21_non_ascii_bytes_kept() {
    let r = one(b"200 \xc3\xbcber\r\n");
    assert_eq!(texts(&r), vec![&b"\xc3\xbcber"[..]]);
    assert_eq!(r.warnings(), Warnings::NON_ASCII);
    let gbk = b"535 Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc\r\n";
    let r = one(gbk);
    assert_eq!(r.code(), 535);
    assert_eq!(r.lines().next().unwrap().text(), &gbk[4..gbk.len() - 2]);
    assert_eq!(r.warnings(), Warnings::NON_ASCII);
}

#[test]
fn row22_malformed_enhanced_codes() {
    for input in [&b"250 5.0.0 text\r\n"[..], b"250 2.1000.0 Text\r\n", b"250 2.0.1000 Text\r\n", b"550 5.01.1 x\r\n"] {
        let r = one(input);
        assert_eq!(r.enhanced(), None, "{input:?}");
        assert_eq!(r.lines().next().unwrap().text(), &input[4..input.len() - 2]);
    }
    assert_eq!(one(b"250 5.0.0 text\r\n").warnings(), Warnings::ENHANCED_CLASS_MISMATCH);
}

#[test]
fn row23_no_enhanced_code() {
    assert_eq!(one(b"550 Request failed; Mailbox unavailable\r\n").enhanced(), None);
    assert_eq!(one(b"354 Ok Send data\r\n").enhanced(), None);
}

#[test]
fn row24_enhanced_from_first_line() {
    let r = one(b"550-5.2.1 Request failed\r\n550 Mailbox unavailable\r\n");
    assert_eq!(r.enhanced().unwrap().to_string(), "5.2.1");
    assert!(r.warnings().contains(Warnings::ENHANCED_PARTIAL));
}

#[test]
fn row26_endless_multiline_fails_fast_with_bounded_memory() {
    let opts = ParserOptions::default();
    let mut stream = ReplyStream::new(opts).unwrap();
    let chunk = b"220-x\r\n".repeat(1000);
    let mut fed = 0usize;
    let err = loop {
        stream.feed(&chunk).expect("the stream is drained by parsing, never full");
        fed += chunk.len();
        match stream.next_reply() {
            Ok(None) => {}
            Ok(Some(_)) => panic!("no reply can complete"),
            Err(e) => break e,
        }
        assert!(fed < 10 * opts.max_reply, "the error must come soon after the cap");
    };
    assert_eq!(err, ParseError::ReplyTooLong { limit: opts.max_reply });
    assert!(stream.pending() <= opts.max_reply + chunk.len());
}

#[test]
fn row27_hash_prefixed_code_is_text() {
    let r = one(b"550 #5.1.0 Address rejected.\r\n");
    assert_eq!(r.enhanced(), None);
    assert_eq!(texts(&r), vec![&b"#5.1.0 Address rejected."[..]]);
}

#[test]
fn row29_no_cr_in_text() {
    assert_eq!(texts(&one(b"250 \r\n")), vec![&b""[..]]);
    assert_eq!(texts(&one(b"250-\r\n250 OK\r\n")), vec![&b""[..], b"OK"]);
}

#[test]
fn row30_bare_cr_inside_text() {
    let r = one(b"250 OK\rmore\r\n");
    assert_eq!(texts(&r), vec![&b"OK\rmore"[..]]);
    assert_eq!(r.warnings(), Warnings::BARE_CR);
}

#[test]
fn row31_code_mismatch_does_not_panic() {
    let r = one(b"250-a\r\n251 b\r\n");
    assert_eq!(r.code(), 250);
    assert!(r.warnings().contains(Warnings::CODE_MISMATCH));
}

#[test]
fn row32_long_line_and_cap() {
    let mut line = b"250 ".to_vec();
    line.resize(4998, b'x');
    line.extend_from_slice(b"\r\n");
    assert_eq!(line.len(), 5000);
    assert_eq!(parse_reply(&line, &lenient()), Err(ParseError::LineTooLong { offset: 0, limit: 4096 }));
    let wide = ParserOptions { max_line: 8192, ..ParserOptions::default() };
    let r = parse_reply(&line, &wide).unwrap().unwrap();
    assert_eq!(r.lines().next().unwrap().text().len(), 4994);
    assert_eq!(r.warnings(), Warnings::LONG_LINE);
    // Without its end, the cap still applies as soon as the bytes pass it.
    assert_eq!(parse_reply(&line[..4097], &lenient()), Err(ParseError::LineTooLong { offset: 0, limit: 4096 }));
    assert_eq!(parse_reply(&line[..4096], &lenient()), Ok(None));
}

#[test]
fn row34_cr_at_end_of_input() {
    assert_eq!(parse_reply(b"200\r", &lenient()), Ok(None));
    let mut s = ReplyStream::new(lenient()).unwrap();
    s.feed(b"200\r").unwrap();
    assert_eq!(s.next_reply(), Ok(None));
    assert_eq!(s.finish(), Err(ParseError::Truncated { len: 4 }));
    s.feed(b"\n").unwrap();
    assert_eq!(s.next_reply().unwrap().unwrap().code(), 200);
    assert_eq!(s.finish(), Ok(()));
}
