//! The example's signing secret: `DJUST_SECRET`; else, in a debug build, a random development
//! secret generated on first run into a git-ignored file, so that restarts keep it (pages
//! reconnect instead of needing a reload). A release build refuses to start without
//! `DJUST_SECRET`: a secret in a file next to the source is for development only.

use std::{
    fs,
    io::{self, Write as _},
    path::{Path, PathBuf},
};

/// The development secret's file (`DJUST_SECRET_FILE` overrides; `.gitignore` lists it).
fn dev_secret_path() -> PathBuf {
    std::env::var_os("DJUST_SECRET_FILE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(".dev-secret"),
        PathBuf::from,
    )
}

/// The signing secret, or why there is none.
pub(crate) fn load() -> io::Result<String> {
    if let Ok(secret) = std::env::var("DJUST_SECRET") {
        return Ok(secret);
    }
    if !cfg!(debug_assertions) {
        return Err(io::Error::other(
            "DJUST_SECRET is not set: a release build needs a secret of at least 32 bytes \
             (e.g. `openssl rand -hex 32`)",
        ));
    }
    let path = dev_secret_path();
    let secret = read_or_create(&path)?;
    log::info!("signing with the development secret in {}", path.display());
    Ok(secret)
}

/// The secret in `path`, created (32 random bytes, hex) when the file does not exist. Several
/// processes starting at once agree: the file appears whole (a hard link to a written
/// temporary file), and only the first link wins.
fn read_or_create(path: &Path) -> io::Result<String> {
    if let Some(secret) = read(path)? {
        return Ok(secret);
    }
    let mut bytes = [0_u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|error| io::Error::other(error.to_string()))?;
    let secret: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = private_file(&temporary)?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()?;
    let linked = fs::hard_link(&temporary, path);
    fs::remove_file(&temporary)?;
    match linked {
        Ok(()) => Ok(secret),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            read(path)?.ok_or_else(|| io::Error::other(format!("{} is empty", path.display())))
        }
        Err(error) => Err(error),
    }
}

fn read(path: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(secret) if secret.trim().len() >= 32 => Ok(Some(secret.trim().to_owned())),
        Ok(_) => Err(io::Error::other(format!(
            "{} holds less than 32 bytes: delete it to generate a new secret",
            path.display()
        ))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// A new file only its owner can read.
fn private_file(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_run_creates_a_secret_that_later_runs_read() {
        let dir = std::env::temp_dir().join(format!("djust-secret-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(".dev-secret");
        let _ = fs::remove_file(&path);
        let first = read_or_create(&path).expect("created");
        assert_eq!(first.len(), 64);
        assert_eq!(read_or_create(&path).expect("read"), first);
        let other = dir.join(".other");
        let _ = fs::remove_file(&other);
        assert_ne!(read_or_create(&other).expect("created"), first, "random");
        fs::remove_dir_all(&dir).expect("clean up");
    }
}
