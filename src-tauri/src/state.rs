//! What the app holds while it runs: the data directory, the open store (or why it could not be
//! opened), and the settings. The store sits behind a lock so it can be closed and reopened
//! without a restart.

use crate::error::IpcError;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock};
use vinculo_core::{Settings, Store};

#[derive(Debug)]
pub struct AppState {
    data_dir: PathBuf,
    store: RwLock<Result<Store, IpcError>>,
    settings: Mutex<Settings>,
    save_dialog: SaveDialog,
}

/// Where an export goes. The app asks the user with the system's save dialog; tests built on
/// the mock runtime write into a directory of theirs instead: a seam no user of the app can
/// reach, since the app binary always asks.
#[derive(Debug, Clone)]
pub enum SaveDialog {
    Native,
    /// The dialog is skipped and the proposed name is used inside this directory.
    Into(PathBuf),
}

impl SaveDialog {
    /// Asks where to save `proposed` (a PDF); `None` when the user cancels.
    pub async fn choose(&self, title: &str, proposed: &str) -> Option<PathBuf> {
        match self {
            SaveDialog::Into(dir) => Some(dir.join(proposed)),
            SaveDialog::Native => {
                let file = rfd::AsyncFileDialog::new()
                    .set_title(title)
                    .set_file_name(proposed)
                    .add_filter("PDF", &["pdf"])
                    .save_file()
                    .await?;
                let mut path = file.path().to_owned();
                // GTK does not add the extension a filter names.
                if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
                    path.as_mut_os_string().push(".pdf");
                }
                Some(path)
            }
        }
    }
}

impl AppState {
    /// Opens the store and reads the settings under `data_dir`. A store that cannot be opened
    /// (another instance has it, a newer version wrote it, it is damaged) is remembered as
    /// the error every command then returns, so the window still opens and can say why.
    pub fn open(data_dir: &Path, save_dialog: SaveDialog) -> AppState {
        let store = open_store(data_dir);
        let settings = Settings::load(&data_dir.join("settings.json"));
        AppState {
            data_dir: data_dir.to_owned(),
            store: RwLock::new(store),
            settings: Mutex::new(settings),
            save_dialog,
        }
    }

    pub fn save_dialog(&self) -> &SaveDialog {
        &self.save_dialog
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Runs `f` on the open store.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> vinculo_core::Result<T>) -> Result<T, IpcError> {
        let guard = self.store.read().unwrap_or_else(PoisonError::into_inner);
        match &*guard {
            Ok(store) => f(store).map_err(IpcError::from),
            Err(e) => Err(e.clone()),
        }
    }

    /// Why the store is not open, if it is not.
    pub fn store_error(&self) -> Option<IpcError> {
        self.store.read().unwrap_or_else(PoisonError::into_inner).as_ref().err().cloned()
    }

    /// Closes the store (flushing it) and opens it again: after a restore, or to retry after
    /// another instance let go of it.
    pub fn reopen(&self) -> Result<(), IpcError> {
        let mut guard = self.store.write().unwrap_or_else(PoisonError::into_inner);
        let previous = std::mem::replace(
            &mut *guard,
            Err(IpcError::new(crate::error::Kind::Unavailable, "storeClosed")),
        );
        if let Ok(store) = previous {
            store.close().map_err(IpcError::from)?;
        }
        *guard = open_store(&self.data_dir);
        guard.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    /// Flushes and closes the store; used when the app exits.
    pub fn close(&self) {
        let mut guard = self.store.write().unwrap_or_else(PoisonError::into_inner);
        let previous = std::mem::replace(
            &mut *guard,
            Err(IpcError::new(crate::error::Kind::Unavailable, "storeClosed")),
        );
        if let Ok(store) = previous
            && let Err(e) = store.close()
        {
            log::error!("closing the store failed: {e}");
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn save_settings(&self, mut settings: Settings) -> Result<Settings, IpcError> {
        let mut guard = self.settings.lock().unwrap_or_else(PoisonError::into_inner);
        settings.save(&self.data_dir.join("settings.json"))?;
        *guard = settings.clone();
        Ok(settings)
    }
}

fn open_store(data_dir: &Path) -> Result<Store, IpcError> {
    let started = std::time::Instant::now();
    match Store::open(data_dir) {
        Ok(store) => {
            log::info!("store opened: {} records in {} ms", store.len(), started.elapsed().as_millis());
            Ok(store)
        }
        Err(e) => {
            let e = IpcError::from(e);
            log::error!("store not opened: {}", e.code);
            Err(e)
        }
    }
}
