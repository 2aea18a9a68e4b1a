//! Embeds the browser client (`../client`) into the crate.
//!
//! Walks `../client`, keeps the files a browser loads (scripts, styles, images; not tests,
//! tooling, `node_modules` or `package*.json`), and writes `$OUT_DIR/assets.rs`: a table of
//! `include_bytes!` entries with per-file ETags, plus one short hash of all of them that names
//! the asset URL (`/static/djust/<hash>/client.js`). Every embedded file and directory is
//! watched, so editing, adding or removing a client file rebuilds the table.

use std::{
    env,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

/// Directories never served to browsers.
const SKIP_DIRS: &[&str] = &["node_modules", "test", "tests", "e2e", "coverage"];
/// Extensions of files browsers load.
const SERVED: &[&str] = &[
    "js",
    "mjs",
    "css",
    "map",
    "svg",
    "png",
    "ico",
    "webmanifest",
    "wasm",
    "woff2",
];

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let client = manifest.join("../client");
    println!("cargo:rerun-if-changed={}", client.display());

    let mut files = Vec::new();
    if client.is_dir() {
        collect(&client, &client, &mut files);
    } else {
        println!(
            "cargo:warning=djust-actix: {} not found; no client assets embedded",
            client.display()
        );
    }
    files.sort();

    let mut all = Sha256::new();
    let mut table = String::new();
    for (path, absolute) in &files {
        let bytes = fs::read(absolute).expect("client file is readable");
        all.update(path.as_bytes());
        all.update([0]);
        all.update((bytes.len() as u64).to_le_bytes());
        all.update(&bytes);
        let etag = &hex(&Sha256::digest(&bytes))[..16];
        let _ = writeln!(
            table,
            "    Asset {{ path: {path:?}, etag: \"\\\"{etag}\\\"\", body: include_bytes!({:?}) }},",
            absolute.display().to_string(),
        );
    }
    let hash = &hex(&all.finalize())[..12];

    let generated = format!(
        "/// Short hash of every embedded client file (names the asset URLs).\n\
         pub(crate) const ASSETS_HASH: &str = {hash:?};\n\n\
         /// The embedded client files, sorted by path.\n\
         pub(crate) static ASSETS: &[Asset] = &[\n{table}];\n"
    );
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("assets.rs");
    fs::write(out, generated).expect("OUT_DIR is writable");
}

/// Adds the served files under `dir` to `files` as (path relative to `root`, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("client directory is readable")
        .map(|entry| entry.expect("client directory entry is readable").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if !SKIP_DIRS.contains(&name) {
                println!("cargo:rerun-if-changed={}", path.display());
                collect(root, &path, files);
            }
        } else if is_served(name) {
            println!("cargo:rerun-if-changed={}", path.display());
            let relative = path.strip_prefix(root).expect("path is under root");
            let relative = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((
                relative,
                fs::canonicalize(&path).expect("client file exists"),
            ));
        }
    }
}

/// `true` for files a browser loads; not configs (`*.config.js`) nor tests (`*.test.js`).
fn is_served(name: &str) -> bool {
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    SERVED.contains(&extension)
        && ![".config.", ".test.", ".spec."]
            .iter()
            .any(|marker| name.contains(marker))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}
