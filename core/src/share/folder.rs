//! The office's shared folder as Vínculo lays it out (`docs/sharing.md`): what lies where, the
//! files of changes each laptop appends to (one writer per file), and the files a sync engine
//! makes beside ours, which are never read as changes.

use crate::error::Result;
use crate::fsio::sync_dir;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub(super) const OFFICE_FILE: &str = "office.json";
pub(super) const LAPTOPS_DIR: &str = "laptops";
pub(super) const KEYS_DIR: &str = "keys";
pub(super) const INVITES_DIR: &str = "invites";
pub(super) const CHANGES_DIR: &str = "changes";

/// The first bytes of a file of changes, and its version.
const MAGIC: &[u8; 8] = b"VNCSHR01";
/// A laptop starts a new file once its current one is this large, so that a sync engine
/// copies small files rather than rehashing one that only grows.
const FILE_BYTES: u64 = 8 << 20;

/// What the name of a file in the folder says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Name {
    /// One of ours: `000001.vnc`, or `<laptop>.json` and the like.
    Ours,
    /// Syncthing's copy of a file two devices changed at once (`x.sync-conflict-….vnc`), or
    /// another engine's (Dropbox's "conflicted copy", OneDrive's "-PC-name"): reported.
    ConflictCopy,
    /// A file being received (`.syncthing.x.tmp`, `~syncthing~x.tmp`, `.partial`…): not yet
    /// there, skipped without a word.
    Temporary,
    /// Anything else: left alone.
    Other,
}

pub(super) fn classify(name: &str) -> Name {
    let lower = name.to_lowercase();
    if lower.starts_with(".syncthing.")
        || lower.starts_with("~syncthing~")
        || lower.ends_with(".tmp")
        || lower.ends_with(".partial")
        || lower.ends_with(".part")
        || lower.starts_with(".~")
    {
        Name::Temporary
    } else if lower.contains(".sync-conflict-") || lower.contains("conflicted copy") {
        Name::ConflictCopy
    } else if lower.ends_with(".vnc") || lower.ends_with(".json") {
        Name::Ours
    } else {
        Name::Other
    }
}

/// The number of a file of changes from its name (`000042.vnc` is 42).
fn file_number(name: &str) -> Option<u32> {
    let digits = name.strip_suffix(".vnc")?;
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok())?
}

pub(super) fn changes_dir(folder: &Path, laptop: &str) -> PathBuf {
    folder.join(CHANGES_DIR).join(laptop)
}

fn file_path(folder: &Path, laptop: &str, number: u32) -> PathBuf {
    changes_dir(folder, laptop).join(format!("{number:06}.vnc"))
}

/// The files of changes of `laptop`, by number, and the conflict copies found beside them.
pub(super) fn change_files(folder: &Path, laptop: &str) -> Result<(Vec<u32>, Vec<String>)> {
    let mut numbers = Vec::new();
    let mut copies = Vec::new();
    let dir = changes_dir(folder, laptop);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((numbers, copies)),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        match classify(&name) {
            Name::ConflictCopy => copies.push(format!("{CHANGES_DIR}/{laptop}/{name}")),
            Name::Ours => numbers.extend(file_number(&name)),
            Name::Temporary | Name::Other => {}
        }
    }
    numbers.sort_unstable();
    copies.sort();
    Ok((numbers, copies))
}

/// One change as its file holds it: its number in clear (to resume without opening), the key
/// it is sealed with, and the sealed frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawFrame {
    pub seq: u64,
    pub key_id: String,
    pub sealed: Vec<u8>,
    /// Where the next one starts.
    pub next: (u32, u64),
}

/// Reads the frames of `laptop` from `at` (file, offset) on, at most `limit`. A frame cut off
/// at the end of a file (still being copied) ends the reading there; the next file is read
/// once this one is whole.
pub(super) fn read_frames(
    folder: &Path,
    laptop: &str,
    at: (u32, u64),
    limit: usize,
) -> Result<Vec<RawFrame>> {
    let (numbers, _) = change_files(folder, laptop)?;
    let mut out = Vec::new();
    let (mut file_no, mut offset) = at;
    if file_no == 0 {
        file_no = 1;
        offset = 0;
    }
    loop {
        if !numbers.contains(&file_no) {
            return Ok(out);
        }
        let mut bytes = Vec::new();
        match File::open(file_path(folder, laptop, file_no)) {
            Ok(mut f) => {
                f.seek(SeekFrom::Start(offset))?;
                f.read_to_end(&mut bytes)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e.into()),
        }
        let mut at = 0usize;
        if offset == 0 {
            if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
                return Ok(out);
            }
            at = MAGIC.len();
        }
        while let Some((frame, used)) = parse_frame(&bytes[at..]) {
            at += used;
            out.push(RawFrame { next: (file_no, offset + at as u64), ..frame });
            if out.len() >= limit {
                return Ok(out);
            }
        }
        // Whole up to here; the next file only once this one ends on a frame.
        if at == bytes.len() && numbers.contains(&(file_no + 1)) {
            file_no += 1;
            offset = 0;
        } else {
            return Ok(out);
        }
    }
}

fn parse_frame(bytes: &[u8]) -> Option<(RawFrame, usize)> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let body = bytes.get(4..4 + len)?;
    let seq = u64::from_le_bytes(body.get(..8)?.try_into().ok()?);
    let id_len = *body.get(8)? as usize;
    let key_id = String::from_utf8(body.get(9..9 + id_len)?.to_vec()).ok()?;
    let sealed = body.get(9 + id_len..)?.to_vec();
    Some((RawFrame { seq, key_id, sealed, next: (0, 0) }, 4 + len))
}

/// Appends frames (seq, key id, sealed) to this laptop's file of changes, starting a new file
/// when the last is full, and makes them durable.
pub(super) fn append_frames(folder: &Path, laptop: &str, frames: &[(u64, String, Vec<u8>)]) -> Result<()> {
    let dir = changes_dir(folder, laptop);
    std::fs::create_dir_all(&dir)?;
    let (numbers, _) = change_files(folder, laptop)?;
    let mut number = numbers.last().copied().unwrap_or(1);
    let mut path = file_path(folder, laptop, number);
    if path.metadata().map(|m| m.len()).unwrap_or(0) >= FILE_BYTES {
        number += 1;
        path = file_path(folder, laptop, number);
    }
    // A frame this laptop began and never finished (a full disk, a power cut) is cut off
    // first: what follows must start where the last whole frame ends.
    let whole = match read_frames(folder, laptop, (number, 0), usize::MAX)?.last() {
        Some(frame) if frame.next.0 == number => frame.next.1,
        _ => std::fs::read(&path).ok().filter(|b| b.starts_with(MAGIC)).map_or(0, |_| MAGIC.len() as u64),
    };
    let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
    if file.metadata()?.len() > whole {
        file.set_len(whole)?;
    }
    let mut bytes = Vec::new();
    if whole == 0 {
        bytes.extend_from_slice(MAGIC);
    }
    for (seq, key_id, sealed) in frames {
        let len = 8 + 1 + key_id.len() + sealed.len();
        bytes.extend_from_slice(&(len as u32).to_le_bytes());
        bytes.extend_from_slice(&seq.to_le_bytes());
        bytes.push(key_id.len() as u8);
        bytes.extend_from_slice(key_id.as_bytes());
        bytes.extend_from_slice(sealed);
    }
    file.write_all(&bytes)?;
    file.sync_all()?;
    sync_dir(&dir)?;
    Ok(())
}

/// The number of the last frame in this laptop's files (0 when none).
pub(super) fn last_seq(folder: &Path, laptop: &str) -> Result<u64> {
    let (numbers, _) = change_files(folder, laptop)?;
    let Some(&last) = numbers.last() else { return Ok(0) };
    let frames = read_frames(folder, laptop, (last, 0), usize::MAX)?;
    if let Some(f) = frames.last() {
        return Ok(f.seq);
    }
    // A new file with no frame yet: the one before ends where it left off.
    if last > 1 {
        return Ok(read_frames(folder, laptop, (last - 1, 0), usize::MAX)?.last().map_or(0, |f| f.seq));
    }
    Ok(0)
}

/// The names of the files in `dir` that are ours (`.json`), and the conflict copies there.
pub(super) fn json_files(folder: &Path, dir: &str) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let mut files = Vec::new();
    let mut copies = Vec::new();
    let entries = match std::fs::read_dir(folder.join(dir)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((files, copies)),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match classify(&name) {
            Name::Ours if name.ends_with(".json") => files.push(entry.path()),
            Name::ConflictCopy => copies.push(format!("{dir}/{name}")),
            _ => {}
        }
    }
    files.sort();
    Ok((files, copies))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncthing_files_are_told_apart_from_ours() {
        assert_eq!(classify("000001.vnc"), Name::Ours);
        assert_eq!(classify("000001.sync-conflict-20261206-101010-ABCDEFG.vnc"), Name::ConflictCopy);
        assert_eq!(classify(".syncthing.000001.vnc.tmp"), Name::Temporary);
        assert_eq!(classify("~syncthing~000001.vnc.tmp"), Name::Temporary);
        assert_eq!(classify("notes.txt"), Name::Other);
        assert_eq!(file_number("000042.vnc"), Some(42));
        assert_eq!(file_number("42.vnc"), None);
    }

    #[test]
    fn frames_cut_off_are_left_for_later_and_files_follow_one_another() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path();
        append_frames(folder, "L1", &[(1, "k".into(), vec![1, 2, 3]), (2, "k".into(), vec![4])])
            .expect("written");
        let path = file_path(folder, "L1", 1);
        let whole = std::fs::read(&path).expect("read");
        // Half of the second frame has arrived.
        std::fs::write(&path, &whole[..whole.len() - 2]).expect("cut");
        let frames = read_frames(folder, "L1", (0, 0), 10).expect("read");
        assert_eq!(frames.iter().map(|f| f.seq).collect::<Vec<_>>(), vec![1]);
        std::fs::write(&path, &whole).expect("whole");
        let rest = read_frames(folder, "L1", frames[0].next, 10).expect("read");
        assert_eq!(rest.iter().map(|f| (f.seq, f.sealed.clone())).collect::<Vec<_>>(), vec![(2, vec![4])]);
        assert_eq!(last_seq(folder, "L1").expect("last"), 2);
        // A frame of our own cut off (a full disk): the next append starts where the last whole
        // frame ends, and every frame reads back.
        std::fs::write(&path, &whole[..whole.len() - 2]).expect("cut");
        append_frames(folder, "L1", &[(2, "k".into(), vec![5])]).expect("written again");
        let all = read_frames(folder, "L1", (0, 0), 10).expect("read");
        assert_eq!(
            all.iter().map(|f| (f.seq, f.sealed.clone())).collect::<Vec<_>>(),
            vec![(1, vec![1, 2, 3]), (2, vec![5])]
        );
    }
}
