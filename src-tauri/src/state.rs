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
}

impl AppState {
    /// Opens the store and reads the settings under `data_dir`. A store that cannot be opened
    /// (another instance has it, a newer version wrote it, it is damaged) is remembered as
    /// the error every command then returns, so the window still opens and can say why.
    pub fn open(data_dir: &Path) -> AppState {
        let store = open_store(data_dir);
        let settings = Settings::load(&data_dir.join("settings.json"));
        AppState { data_dir: data_dir.to_owned(), store: RwLock::new(store), settings: Mutex::new(settings) }
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
