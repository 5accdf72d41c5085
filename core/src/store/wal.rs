//! The write-ahead log: what makes a save durable with one write and one `fdatasync`.
//!
//! sled makes its own log durable with a `sync_file_range` on a thread of its pool, in a file
//! that grows with every change: a save made durable through sled alone (its flush, then the
//! fsync it needs to be durable) waits for two device round trips and a thread hand-over
//! (measured here: 0.30 ms at the median where SQLite in WAL mode takes 0.19 ms). Instead,
//! each change is also written, exactly as it was applied to sled, to `store.wal`: a file of
//! fixed size, written with zeros when the store is made so that a write never changes its
//! size and `fdatasync` has no metadata to commit. Entries go one after the other from its
//! start. sled writes its own log in the background; when the file is full, and when the store
//! closes, sled is made durable (flush, fsync) and the log starts over from its beginning (a
//! *checkpoint*).
//!
//! Opening replays the entries after the change sled holds. Entries carry whole values and
//! deletions, so replaying one twice changes nothing. An entry is `[magic][length][change
//! number][CRC-32][zero][operations]`, padded to 8 bytes; reading stops at the first entry that
//! is torn (bad CRC) or that does not follow the one before (left from before the last
//! checkpoint).

use super::files::WAL_FILE;
use crate::fsio::write_atomically;
use std::fs::File;
use std::path::Path;

/// Its size: about 250 saves of a meeting with its commitments between checkpoints.
pub(crate) const WAL_BYTES: u64 = 512 << 10;
const MAGIC: u32 = 0x314c_5756; // "VWL1"
const HEADER: usize = 4 + 4 + 8 + 4 + 4;

/// One write of a change, as read back: a value put under a key of a tree, or a key removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    Put { tree: u8, key: Vec<u8>, value: Vec<u8> },
    Remove { tree: u8, key: Vec<u8> },
}

/// One write of a change, to log: the tree, the key, and the value (`None` to remove it).
pub(crate) type Write<'a> = (u8, &'a [u8], Option<&'a [u8]>);

impl Op {
    /// The write this operation read back as.
    pub(crate) fn as_write(&self) -> Write<'_> {
        match self {
            Op::Put { tree, key, value } => (*tree, key.as_slice(), Some(value.as_slice())),
            Op::Remove { tree, key } => (*tree, key.as_slice(), None),
        }
    }
}

/// An entry's bytes: the writes of change `seq`.
pub(crate) fn entry(seq: u64, writes: &[Write<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&(writes.len() as u32).to_le_bytes());
    for &(tree, key, value) in writes {
        body.push(tree);
        body.push(u8::from(value.is_some()));
        body.extend_from_slice(&(key.len() as u32).to_le_bytes());
        body.extend_from_slice(key);
        if let Some(value) = value {
            body.extend_from_slice(&(value.len() as u32).to_le_bytes());
            body.extend_from_slice(value);
        }
    }
    body.resize((HEADER + body.len()).next_multiple_of(8) - HEADER, 0);
    let len = HEADER + body.len();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&checksum(seq, &body).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// The CRC-32 of an entry: its change number and its body (padding included).
fn checksum(seq: u64, body: &[u8]) -> u32 {
    let mut crc = crc32fast::Hasher::new();
    crc.update(&seq.to_le_bytes());
    crc.update(body);
    crc.finalize()
}

fn read_ops(mut body: &[u8]) -> Option<Vec<Op>> {
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, rest) = body.split_at_checked(n)?;
        body = rest;
        Some(head)
    };
    let u32_at = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize;
    let count = u32_at(take(4)?);
    let mut ops = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        let head = take(2)?;
        let (tree, put) = (head[0], head[1] != 0);
        let key_len = u32_at(take(4)?);
        let key = take(key_len)?.to_vec();
        ops.push(if put {
            let value_len = u32_at(take(4)?);
            Op::Put { tree, key, value: take(value_len)?.to_vec() }
        } else {
            Op::Remove { tree, key }
        });
    }
    Some(ops)
}

/// The entries in `bytes`, from its start, each the change after the one before: stops at the
/// first that is torn, zeros, or older.
pub(crate) fn read_entries(bytes: &[u8]) -> Vec<(u64, Vec<Op>)> {
    let mut out: Vec<(u64, Vec<Op>)> = Vec::new();
    let mut at = 0;
    while let Some(header) = bytes.get(at..at + HEADER) {
        let word = |i: usize| u32::from_le_bytes(header[i..i + 4].try_into().expect("4 bytes"));
        let (magic, len) = (word(0), word(4) as usize);
        let seq = u64::from_le_bytes(header[8..16].try_into().expect("8 bytes"));
        let Some(body) = bytes.get(at + HEADER..at + len).filter(|_| magic == MAGIC && len > HEADER) else {
            break;
        };
        let follows = out.last().is_none_or(|(last, _)| seq == last + 1);
        if !follows || checksum(seq, body) != word(16) {
            break;
        }
        let Some(ops) = read_ops(body) else { break };
        out.push((seq, ops));
        at += len;
    }
    out
}

/// The log file, open, and where its next entry goes.
#[derive(Debug)]
pub(crate) struct Wal {
    file: File,
    /// Its size: [`WAL_BYTES`] unless damage changed it.
    len: u64,
    at: u64,
}

impl Wal {
    /// Opens the log beside the store under `root`, making it if it is not there. A log of
    /// another size (damage) is still read. The next entry goes at its start: the caller
    /// replays what it holds, makes sled durable, then calls [`Wal::make_whole`].
    pub fn open(root: &Path) -> std::io::Result<Wal> {
        match std::fs::OpenOptions::new().read(true).write(true).open(root.join(WAL_FILE)) {
            Ok(file) => Ok(Wal { len: file.metadata()?.len(), file, at: 0 }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Wal::make(root),
            Err(e) => Err(e),
        }
    }

    /// A new log of zeros, made whole under another name, then renamed: never a short log.
    fn make(root: &Path) -> std::io::Result<Wal> {
        let path = root.join(WAL_FILE);
        write_atomically(&path, &vec![0u8; WAL_BYTES as usize])
            .map_err(|e| std::io::Error::new(e.io_kind(), e))?;
        let file = std::fs::OpenOptions::new().read(true).write(true).open(&path)?;
        Ok(Wal { file, len: WAL_BYTES, at: 0 })
    }

    /// Once what the log held is durable in sled: a log of the wrong size is made anew.
    pub fn make_whole(&mut self, root: &Path) -> std::io::Result<()> {
        if self.len != WAL_BYTES {
            *self = Wal::make(root)?;
        }
        Ok(())
    }

    /// Every entry the log holds that follows on from its start.
    pub fn entries(&self) -> std::io::Result<Vec<(u64, Vec<Op>)>> {
        let mut bytes = vec![0u8; self.len.min(WAL_BYTES) as usize];
        read_at(&self.file, &mut bytes, 0)?;
        Ok(read_entries(&bytes))
    }

    /// Whether an entry of `len` bytes fits before the end of the file.
    pub fn fits(&self, len: usize) -> bool {
        self.at + len as u64 <= WAL_BYTES
    }

    /// Writes `entry` after the last one and waits until it is on the disk.
    pub fn append(&mut self, entry: &[u8]) -> std::io::Result<()> {
        write_at(&self.file, entry, self.at)?;
        self.file.sync_data()?;
        self.at += entry.len() as u64;
        Ok(())
    }

    /// After a checkpoint: the next entry goes at the start again.
    pub fn restart(&mut self) {
        self.at = 0;
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, at)?;
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, bytes, at)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(n: u8) -> Vec<Op> {
        vec![
            Op::Put { tree: 2, key: vec![b'k', n], value: vec![n; 300] },
            Op::Remove { tree: 4, key: vec![b'r', n] },
        ]
    }

    fn entry_of(seq: u64, ops: &[Op]) -> Vec<u8> {
        entry(seq, &ops.iter().map(Op::as_write).collect::<Vec<_>>())
    }

    #[test]
    fn entries_read_back_in_order_until_one_does_not_follow() {
        let mut log = Vec::new();
        for seq in 7..10 {
            log.extend(entry_of(seq, &ops(seq as u8)));
        }
        // Left from before a checkpoint: older, then zeros.
        log.extend(entry_of(3, &ops(3)));
        log.resize(log.len() + 64, 0);
        let read = read_entries(&log);
        assert_eq!(read.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [7, 8, 9]);
        assert_eq!(read[1].1, ops(8));
    }

    #[test]
    fn a_torn_entry_ends_the_log() {
        let first = entry_of(1, &ops(1));
        let mut log = first.clone();
        let mut second = entry_of(2, &ops(2));
        second[HEADER + 20] ^= 1;
        log.extend(second);
        log.extend(entry_of(3, &ops(3)));
        assert_eq!(read_entries(&log).len(), 1);
        // Cut short inside an entry: that entry is not read.
        let mut short = first.clone();
        short.extend(&entry_of(2, &ops(2))[..40]);
        assert_eq!(read_entries(&short).len(), 1);
        assert!(read_entries(&[0u8; 256]).is_empty());
    }
}
