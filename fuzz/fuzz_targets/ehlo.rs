//! EHLO capabilities and enhanced-code parsing from arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpreply::ehlo::{Capabilities, SizeLimit};
use smtpreply::reply::EnhancedCode;

fuzz_target!(|data: &[u8]| {
    if let Ok(caps) = Capabilities::parse(data) {
        assert!(caps.raw().len() <= data.len());
        for cap in caps.iter() {
            assert!(!cap.keyword().is_empty());
            assert!(cap.keyword()[0].is_ascii_alphanumeric());
            assert_eq!(cap.params().count(), cap.param_count());
            for p in cap.params() {
                assert!(!p.is_empty() && p.iter().all(|b| (33..=126).contains(b)));
            }
            assert!(caps.has(std::str::from_utf8(cap.keyword()).unwrap()));
        }
        if let SizeLimit::Limit(n) = caps.size() {
            assert!(n > 0);
        }
        let _ = caps.limit("RCPTMAX");
        let _ = caps.deliver_by_min();
        for m in caps.auth_mechanisms() {
            assert!(caps.supports_auth(std::str::from_utf8(m).unwrap()));
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(code) = EnhancedCode::parse_str(s) {
            assert_eq!(EnhancedCode::parse_str(&code.to_string()), Ok(code));
            let info = smtpreply::codes::enhanced_info(code);
            assert!(!info.name().is_empty());
        }
    }
});
