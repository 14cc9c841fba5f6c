//! Generates include/smtpreply.h with cbindgen and sets the shared library's soname.
//!
//! The header is committed. In CI (`CI` set) or with `SMTPREPLY_CHECK_HEADER=1` the build does not
//! touch include/: the test `header_is_fresh` then compares the committed header with the one
//! generated here, so a stale header fails the tests.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=SMTPREPLY_CHECK_HEADER");

    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap();
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap();
    let patch = env::var("CARGO_PKG_VERSION_PATCH").unwrap();
    let version = env::var("CARGO_PKG_VERSION").unwrap();

    // The shared library is libsmtpreply.so.MAJOR while MAJOR > 0, libsmtpreply.so.0 before 1.0.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsmtpreply.so.{major}");
    }

    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    if let Some(after) = config.after_includes.as_mut() {
        *after = after
            .replace("@MAJOR@", &major)
            .replace("@MINOR@", &minor)
            .replace("@PATCH@", &patch)
            .replace("@VERSION@", &version);
    }
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let generated = out_dir.join("smtpreply.h");
    bindings.write_to_file(&generated);
    println!("cargo:rustc-env=SMTPREPLY_GENERATED_HEADER={}", generated.display());

    let check_only = env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
        || env::var_os("SMTPREPLY_CHECK_HEADER").is_some_and(|v| v == "1");
    let committed = crate_dir.join("include").join("smtpreply.h");
    if !check_only {
        let new = fs::read(&generated).unwrap();
        if fs::read(&committed).ok().as_deref() != Some(&new[..]) {
            fs::create_dir_all(committed.parent().unwrap()).unwrap();
            fs::write(&committed, new).unwrap();
        }
    }
}
