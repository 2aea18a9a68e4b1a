//! Compile-time behaviour of the macros: `pass/` must build, `fail/` must fail with the
//! `.stderr` next to it. Regenerate with `TRYBUILD=overwrite cargo test -p djust-macros --test ui`
//! on the workspace's toolchain (Rust 1.95) and review every changed `.stderr`.
#![cfg(unix)]

use std::path::{Path, PathBuf};

#[test]
fn ui() {
    link_templates();
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}

/// trybuild compiles the cases as a crate in `target/tests/trybuild/djust-macros/`, so its
/// `CARGO_MANIFEST_DIR` has no `templates/`: link ours there (askama's UI tests do the same).
fn link_templates() {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let project = target_dir().join("tests/trybuild/djust-macros");
    std::fs::create_dir_all(&project).expect("create the trybuild project directory");
    let link = project.join("templates");
    if std::fs::read_link(&link).is_ok_and(|target| target == templates) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&templates, &link).expect("link the templates directory");
}

/// The target directory: this test binary is `<target>/<profile>/deps/ui-<hash>` (not so with
/// `--target <triple>`, which adds a level; trybuild itself asks `cargo metadata`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.ancestors()
        .nth(3)
        .expect("test binary inside a target directory")
        .to_owned()
}
