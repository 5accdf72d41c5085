//! A small rotating log file in the app data directory: `logs/vinculo.log`, rolled over at
//! 1 MiB, three old files kept. Only ids, command names and error kinds are logged, never names
//! or other record contents.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAX_BYTES: u64 = 1024 * 1024;
const KEEP: usize = 3;

struct FileLogger {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

impl FileLogger {
    fn rotate_if_needed(&self, slot: &mut Option<File>) {
        let big = slot.as_ref().and_then(|f| f.metadata().ok()).is_some_and(|m| m.len() >= MAX_BYTES);
        if big {
            *slot = None;
            for i in (1..KEEP).rev() {
                let _ = std::fs::rename(numbered(&self.path, i), numbered(&self.path, i + 1));
            }
            let _ = std::fs::rename(&self.path, numbered(&self.path, 1));
        }
        if slot.is_none() {
            *slot = OpenOptions::new().create(true).append(true).open(&self.path).ok();
        }
    }
}

fn numbered(path: &Path, n: usize) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{n}"));
    path.with_file_name(name)
}

impl log::Log for FileLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let mut slot = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.rotate_if_needed(&mut slot);
        if let Some(f) = slot.as_mut() {
            let _ = writeln!(f, "{} {:<5} {}", jiff::Timestamp::now(), record.level(), record.args());
        }
    }

    fn flush(&self) {
        if let Some(f) = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_mut() {
            let _ = f.flush();
        }
    }
}

/// Starts logging to `dir/vinculo.log`. A second call (tests) keeps the first logger.
pub fn init(dir: &Path) {
    let _ = std::fs::create_dir_all(dir);
    let logger = FileLogger { path: dir.join("vinculo.log"), file: Mutex::new(None) };
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use log::Log;

    #[test]
    fn rolls_over_and_keeps_three() {
        let dir = tempfile::tempdir().expect("tmp");
        let logger = FileLogger { path: dir.path().join("vinculo.log"), file: Mutex::new(None) };
        let line = "x".repeat(1000);
        for _ in 0..5000 {
            logger.log(&log::Record::builder().args(format_args!("{line}")).level(log::Level::Info).build());
        }
        logger.flush();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["vinculo.log", "vinculo.log.1", "vinculo.log.2", "vinculo.log.3"]);
        for name in &names {
            assert!(std::fs::metadata(dir.path().join(name)).expect("meta").len() <= MAX_BYTES + 1100);
        }
    }
}
