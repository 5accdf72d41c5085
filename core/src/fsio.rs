//! Files written so that a crash leaves the old version or the new one, never half of either:
//! a temporary file beside the target, `fsync`, rename, `fsync` of the directory.

use crate::error::{Error, Result};
use std::fs::File;
use std::path::Path;

/// Replaces `path` with `body` so that a crash leaves the old file or the new one, never half:
/// temporary file, fsync, rename, fsync of the directory. On failure (a full disk) the
/// temporary file is removed and the old file, if any, is untouched.
pub fn write_atomically(path: &Path, body: &[u8]) -> Result<()> {
    write_atomically_checked(path, body, |_| Ok(()))
}

/// [`write_atomically`], running `check` on the temporary file (written and synced) before it
/// takes the name; when `check` fails the temporary file goes and the old file stays.
pub(crate) fn write_atomically_checked(
    path: &Path,
    body: &[u8],
    check: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().ok_or_else(|| Error::Io(std::io::ErrorKind::InvalidInput.into()))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(path.file_name().unwrap_or_default());
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let written = File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(body)?;
            f.sync_all()
        })
        .map_err(Error::from)
        .and_then(|()| check(&tmp))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(Error::from));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Makes a directory's entries durable (a file created, renamed or removed in it).
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
