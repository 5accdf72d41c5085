//! What the app holds while it runs: the data directory, the open store (or why it could not be
//! opened), and the settings. The store sits behind a lock so it can be closed and reopened
//! without a restart.

use crate::error::IpcError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};
use vinculo_core::{Settings, Store};

/// Cheap to clone: every clone is the same state, so a command can hand it to a thread of
/// its own (see `commands::off_main`).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    data_dir: PathBuf,
    store: RwLock<Result<Store, IpcError>>,
    /// The settings in force. Held only to read or replace them, never across a disk write,
    /// so `get_settings` (on the main thread) never waits for the disk.
    settings: Mutex<Settings>,
    /// Held by a save of the settings while it writes: one writer at a time, in order.
    saving_settings: Mutex<()>,
    dialogs: Dialogs,
    /// A store error from the disk (full, read-only): sled refuses every write after one until
    /// reopened, so the next command reopens it first.
    reopen_needed: std::sync::atomic::AtomicBool,
    /// A file read for import, waiting for the user's choices.
    pending_import: Mutex<Option<vinculo_core::Export>>,
    /// Whether the UI has drawn its first screen (see `commands::shown`).
    shown: (Mutex<bool>, Condvar),
}

/// When the process started (as near as `run` can tell): what the start is timed from.
static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

pub fn mark_start() {
    START.get_or_init(Instant::now);
}

/// How files are chosen. The app asks the user with the system's dialogs; tests built on the
/// mock runtime use a directory of theirs instead: a seam no user of the app can reach, since
/// the app binary always asks.
#[derive(Debug, Clone)]
pub enum Dialogs {
    Native,
    /// No dialog: saving uses the proposed name inside this directory, opening takes
    /// `import.json` from it.
    Into(PathBuf),
}

/// A kind of file the dialogs offer: its name in the filter and its extension.
#[derive(Debug, Clone, Copy)]
pub struct FileType {
    pub name: &'static str,
    pub extension: &'static str,
}

pub const PDF: FileType = FileType { name: "PDF", extension: "pdf" };
pub const JSON: FileType = FileType { name: "JSON", extension: "json" };

impl Dialogs {
    /// Asks where to save `proposed`; `None` when the user cancels.
    pub async fn save(&self, title: &str, proposed: &str, kind: FileType) -> Option<PathBuf> {
        match self {
            Dialogs::Into(dir) => Some(dir.join(proposed)),
            Dialogs::Native => {
                let file = rfd::AsyncFileDialog::new()
                    .set_title(title)
                    .set_file_name(proposed)
                    .add_filter(kind.name, &[kind.extension])
                    .save_file()
                    .await?;
                let mut path = file.path().to_owned();
                // GTK does not add the extension a filter names.
                if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case(kind.extension)) {
                    path.as_mut_os_string().push(format!(".{}", kind.extension));
                }
                Some(path)
            }
        }
    }

    /// Asks which file to open; `None` when the user cancels.
    pub async fn open(&self, title: &str, kind: FileType) -> Option<PathBuf> {
        match self {
            Dialogs::Into(dir) => Some(dir.join(format!("import.{}", kind.extension))),
            Dialogs::Native => {
                let file = rfd::AsyncFileDialog::new()
                    .set_title(title)
                    .add_filter(kind.name, &[kind.extension])
                    .pick_file()
                    .await?;
                Some(file.path().to_owned())
            }
        }
    }
}

impl AppState {
    /// Opens the store and reads the settings under `data_dir`. A store that cannot be opened
    /// (another instance has it, a newer version wrote it, it is damaged) is remembered as
    /// the error every command then returns, so the window still opens and can say why.
    pub fn open(data_dir: &Path, dialogs: Dialogs) -> AppState {
        let store = open_store(data_dir);
        let settings = Settings::load(&data_dir.join("settings.json"));
        AppState(Arc::new(Shared {
            data_dir: data_dir.to_owned(),
            store: RwLock::new(store),
            settings: Mutex::new(settings),
            saving_settings: Mutex::new(()),
            dialogs,
            reopen_needed: std::sync::atomic::AtomicBool::new(false),
            pending_import: Mutex::new(None),
            shown: (Mutex::new(false), Condvar::new()),
        }))
    }

    /// The first screen is drawn: logs how long the start took (once) and wakes whoever waits.
    pub fn mark_shown(&self) {
        let mut shown = self.0.shown.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !*shown {
            *shown = true;
            let since = START.get().map_or(0, |t| t.elapsed().as_millis());
            // The benchmark times the start by this line (`DRAWN` in bench/src/app.rs).
            log::info!("first screen drawn {since} ms after start");
            self.0.shown.1.notify_all();
        }
    }

    /// Waits until the first screen is drawn, or `patience` has passed (a window that never
    /// draws must not hold the day's backup back for good).
    pub fn wait_until_shown(&self, patience: Duration) {
        let shown = self.0.shown.0.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = self.0.shown.1.wait_timeout_while(shown, patience, |shown| !*shown);
    }

    pub fn dialogs(&self) -> &Dialogs {
        &self.0.dialogs
    }

    pub fn pending_import(&self) -> std::sync::MutexGuard<'_, Option<vinculo_core::Export>> {
        self.0.pending_import.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Closes the store, runs `f` on the data directory (a restore swaps the store's files
    /// there), and opens the store again whatever `f` did. Returns what `f` returned, or why
    /// the store does not open afterwards. `f` does not run while sled still holds the files.
    pub fn with_store_closed<T>(
        &self,
        f: impl FnOnce(&Path) -> vinculo_core::Result<T>,
    ) -> Result<T, IpcError> {
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        let result = match close_store(&mut guard) {
            // sled has not let go of its files: moving them now could tear them.
            Err(vinculo_core::Error::Locked) => Err(IpcError::from(vinculo_core::Error::Locked)),
            closed => {
                // A store the disk refused to flush still lets go of its files.
                if let Err(e) = closed {
                    log::error!("closing the store: {e}");
                }
                f(&self.0.data_dir).map_err(IpcError::from)
            }
        };
        *guard = open_store(&self.0.data_dir);
        self.0.reopen_needed.store(false, std::sync::atomic::Ordering::SeqCst);
        match &*guard {
            Err(e) if result.is_ok() => Err(e.clone()),
            _ => result,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.0.data_dir
    }

    /// Runs `f` on the open store. After the disk refused a write (full, read-only) the
    /// store is reopened first: sled refuses everything after such an error until then.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> vinculo_core::Result<T>) -> Result<T, IpcError> {
        use std::sync::atomic::Ordering;
        if self.0.reopen_needed.swap(false, Ordering::SeqCst) {
            log::info!("reopening the store after a storage error");
            if let Err(e) = self.reopen() {
                log::error!("the store did not reopen: {}", e.code);
            }
        }
        let guard = self.0.store.read().unwrap_or_else(PoisonError::into_inner);
        let result = match &*guard {
            Ok(store) => f(store).map_err(IpcError::from),
            Err(e) => Err(e.clone()),
        };
        if result.as_ref().is_err_and(|e| e.kind == crate::error::Kind::Storage) {
            self.0.reopen_needed.store(true, Ordering::SeqCst);
        }
        result
    }

    /// Why the store is not open, if it is not.
    pub fn store_error(&self) -> Option<IpcError> {
        self.0.store.read().unwrap_or_else(PoisonError::into_inner).as_ref().err().cloned()
    }

    /// Closes the store (flushing it) and opens it again: to retry after another instance let
    /// go of it, or after the disk refused a write.
    pub fn reopen(&self) -> Result<(), IpcError> {
        self.with_store_closed(|_| Ok(()))
    }

    /// Flushes and closes the store; used when the app exits.
    pub fn close(&self) {
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = close_store(&mut guard) {
            log::error!("closing the store failed: {e}");
        }
    }

    pub fn settings(&self) -> Settings {
        self.0.settings.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Writes `settings` durably, then puts them in force.
    pub fn save_settings(&self, mut settings: Settings) -> Result<Settings, IpcError> {
        let _writer = self.0.saving_settings.lock().unwrap_or_else(PoisonError::into_inner);
        settings.save(&self.0.data_dir.join("settings.json"))?;
        *self.0.settings.lock().unwrap_or_else(PoisonError::into_inner) = settings.clone();
        Ok(settings)
    }
}

/// Takes the store out of `slot` (leaving "closed" in its place) and closes it, if it was open.
fn close_store(slot: &mut Result<Store, IpcError>) -> vinculo_core::Result<()> {
    let closed = Err(IpcError::new(crate::error::Kind::Unavailable, "storeClosed"));
    std::mem::replace(slot, closed).map_or(Ok(()), Store::close)
}

fn open_store(data_dir: &Path) -> Result<Store, IpcError> {
    let started = Instant::now();
    match Store::open(data_dir) {
        Ok(store) => {
            let how = match store.opened() {
                vinculo_core::Opened::Saved { replayed } => {
                    format!("from its saved state, {replayed} changes replayed")
                }
                vinculo_core::Opened::Rebuilt { why } => format!("rebuilt ({why})"),
            };
            log::info!(
                "store opened: {} records in {} ms, {how}",
                store.len(),
                started.elapsed().as_millis()
            );
            Ok(store)
        }
        Err(e) => {
            let e = IpcError::from(e);
            log::error!("store not opened: {}", e.code);
            Err(e)
        }
    }
}
