//! The committed header is what build.rs generates, and its version macros match Cargo.toml.

use std::path::Path;

fn committed() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/smtpreply.h")).unwrap()
}

#[test]
fn header_is_fresh() {
    let generated = std::fs::read_to_string(env!("SMTPREPLY_GENERATED_HEADER")).unwrap();
    assert!(
        generated == committed(),
        "include/smtpreply.h is stale: build outside CI (cargo build) to regenerate it, then commit it"
    );
}

fn macro_value(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("{name} missing")).trim().to_string()
}

#[test]
fn version_macros_match_cargo_toml() {
    let h = committed();
    assert_eq!(macro_value(&h, "SMTPREPLY_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MAJOR"));
    assert_eq!(macro_value(&h, "SMTPREPLY_VERSION_MINOR"), env!("CARGO_PKG_VERSION_MINOR"));
    assert_eq!(macro_value(&h, "SMTPREPLY_VERSION_PATCH"), env!("CARGO_PKG_VERSION_PATCH"));
    assert_eq!(macro_value(&h, "SMTPREPLY_VERSION_STRING"), format!("\"{}\"", env!("CARGO_PKG_VERSION")));
    let v = unsafe { std::ffi::CStr::from_ptr(smtpreply::ffi::smtpreply_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn every_c_name_has_the_prefix() {
    let h = committed();
    for line in h.lines() {
        let names: Vec<&str> = if let Some(rest) = line.strip_prefix("#define ") {
            vec![rest.split_whitespace().next().unwrap()]
        } else if let Some(rest) = line.strip_prefix("typedef struct ").filter(|r| !r.starts_with('{')) {
            rest.trim_end_matches(';').split_whitespace().collect()
        } else if let Some(rest) = line.strip_prefix("} ").and_then(|r| r.strip_suffix(';')) {
            vec![rest.trim()]
        } else if line.contains('(') && !line.starts_with([' ', '*', '/', '#']) {
            // A function declaration: the name is the identifier before '('.
            let before = &line[..line.find('(').unwrap()];
            vec![before.rsplit([' ', '*']).next().unwrap()]
        } else {
            vec![]
        };
        for n in names {
            if n == "SMTPREPLY_H" || n.is_empty() {
                continue;
            }
            assert!(n.starts_with("smtpreply_") || n.starts_with("SMTPREPLY_"), "{n} in: {line}");
        }
    }
}
