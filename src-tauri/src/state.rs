//! What the app holds while it runs: the data directory, the open store (or why it could not be
//! opened), and the settings. The store sits behind a lock so it can be closed and reopened
//! without a restart.

use crate::error::IpcError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};
use vinculo_core::{AuditEvent, DataKey, Error, Event, Secret, Settings, Store};

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
    /// A file chosen for import: read, waiting for the user's choices, or protected, waiting
    /// for its passphrase.
    pending_import: Mutex<Option<PendingImport>>,
    /// Whether the UI has drawn its first screen (see `commands::shown`).
    shown: (Mutex<bool>, Condvar),
    /// The data key of the encrypted store while it is unlocked, so that it can be closed and
    /// reopened (a restore, after a storage error) without asking again. Dropped, and so
    /// wiped, when the store locks.
    key: Mutex<Option<DataKey>>,
    /// Wrong passphrases in a row, and when the next try may come.
    attempts: Mutex<Attempts>,
    /// What the passes over the office's shared folder found (see `sharing.rs`).
    sharing: Mutex<crate::sharing::Activity>,
}

/// The slow-down after wrong passphrases: the first [`FREE_ATTEMPTS`] are free, then each
/// waits twice as long as the one before (2 s, 4 s, … at most [`MAX_WAIT`]). Kept in memory:
/// restarting the app costs a start and a key derivation per try anyway.
#[derive(Debug, Default)]
struct Attempts {
    wrong: u32,
    not_before: Option<Instant>,
}

const FREE_ATTEMPTS: u32 = 3;
const MAX_WAIT: Duration = Duration::from_secs(60);

impl Attempts {
    /// How long until the next try is allowed, if it is not yet.
    fn wait(&self) -> Option<Duration> {
        self.not_before.and_then(|t| t.checked_duration_since(Instant::now())).filter(|d| !d.is_zero())
    }

    fn failed(&mut self) {
        self.wrong += 1;
        if self.wrong >= FREE_ATTEMPTS {
            let wait = Duration::from_secs(1 << (self.wrong - FREE_ATTEMPTS + 1).min(6)).min(MAX_WAIT);
            self.not_before = Some(Instant::now() + wait);
        }
    }
}

/// A file chosen for import.
#[derive(Debug)]
pub enum PendingImport {
    /// Read: what importing it would do was shown; the user's choices come next.
    Read(vinculo_core::Export),
    /// Protected with a passphrase, which the user is asked for: its path and name.
    Protected(PathBuf, String),
    /// A spreadsheet, read: its columns are being mapped. Shared, so that planning and
    /// importing it do not hold this lock (which a lock of the store takes after the store's).
    Table(Arc<vinculo_core::table::Workbook>),
    /// A calendar invitation, read: what importing it does was shown.
    Invitation(Arc<vinculo_core::calendar::Invitations>),
}

/// What protects the data: nothing yet (no store), a plain store, an encrypted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Protection {
    None,
    Plain,
    Encrypted,
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
    /// `import.<extension>` from it (the first of the kind's extensions there).
    Into(PathBuf),
}

/// A kind of file the dialogs offer: its name in the filter and its extensions (the first is
/// the one a saved file gets).
#[derive(Debug, Clone, Copy)]
pub struct FileType {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

pub const PDF: FileType = FileType { name: "PDF", extensions: &["pdf"] };
pub const JSON: FileType = FileType { name: "JSON", extensions: &["json"] };
/// Workbooks and CSV files (Excel writes `.txt` for its "Unicode text").
pub const SPREADSHEET: FileType =
    FileType { name: "Excel, LibreOffice, CSV", extensions: &["xlsx", "xls", "ods", "csv", "txt"] };
pub const VCARD: FileType = FileType { name: "vCard", extensions: &["vcf", "vcard"] };
pub const CALENDAR: FileType = FileType { name: "iCalendar", extensions: &["ics", "ical"] };
pub const XLSX: FileType = FileType { name: "Excel", extensions: &["xlsx"] };
pub const CSV: FileType = FileType { name: "CSV", extensions: &["csv"] };
/// Any file (a document to attach): no filter.
pub const ANY_FILE: FileType = FileType { name: "", extensions: &[] };

impl Dialogs {
    /// Asks where to save `proposed`; `None` when the user cancels.
    pub async fn save(&self, title: &str, proposed: &str, kind: FileType) -> Option<PathBuf> {
        match self {
            Dialogs::Into(dir) => Some(dir.join(proposed)),
            Dialogs::Native => {
                let file = rfd::AsyncFileDialog::new()
                    .set_title(title)
                    .set_file_name(proposed)
                    .add_filter(kind.name, kind.extensions)
                    .save_file()
                    .await?;
                let mut path = file.path().to_owned();
                // GTK does not add the extension a filter names.
                let extension = kind.extensions[0];
                if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case(extension)) {
                    path.as_mut_os_string().push(format!(".{extension}"));
                }
                Some(path)
            }
        }
    }

    /// Asks for a folder (the office's shared folder), starting in Syncthing's own (`~/Sync`)
    /// when there is one; `None` when the user cancels. Tests get `office/` in their
    /// directory, made if missing.
    pub async fn folder(&self, title: &str) -> Option<PathBuf> {
        match self {
            Dialogs::Into(dir) => {
                let folder = dir.join("office");
                std::fs::create_dir_all(&folder).ok()?;
                Some(folder)
            }
            Dialogs::Native => {
                let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
                if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
                    let syncthing = home.join("Sync");
                    dialog = dialog.set_directory(if syncthing.is_dir() { syncthing } else { home });
                }
                Some(dialog.pick_folder().await?.path().to_owned())
            }
        }
    }

    /// Asks which file to open; `None` when the user cancels.
    pub async fn open(&self, title: &str, kind: FileType) -> Option<PathBuf> {
        match self {
            // Any file: the first named `import` with an extension.
            Dialogs::Into(dir) if kind.extensions.is_empty() => {
                let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                    .ok()?
                    .filter_map(|e| Some(e.ok()?.path()))
                    .filter(|p| p.file_stem().is_some_and(|s| s == "import"))
                    .collect();
                found.sort();
                found.into_iter().next()
            }
            Dialogs::Into(dir) => {
                let named = |e: &&str| dir.join(format!("import.{e}"));
                let found = kind.extensions.iter().map(named).find(|p| p.exists());
                Some(found.unwrap_or_else(|| named(&kind.extensions[0])))
            }
            Dialogs::Native => {
                let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
                if !kind.extensions.is_empty() {
                    dialog = dialog.add_filter(kind.name, kind.extensions);
                }
                Some(dialog.pick_file().await?.path().to_owned())
            }
        }
    }
}

impl AppState {
    /// Opens the store and reads the settings under `data_dir`. A store that cannot be opened
    /// (another instance has it, a newer version wrote it, it is damaged) is remembered as
    /// the error every command then returns, so the window still opens and can say why.
    pub fn open(data_dir: &Path, dialogs: Dialogs) -> AppState {
        let mut settings = Settings::load(&data_dir.join("settings.json"));
        if settings.user_name.is_empty() {
            settings.user_name = system_login();
        }
        // Copies opened for viewing that an exit without closing (a crash) left behind.
        crate::documents::clear_viewing(data_dir);
        let store = open_store(data_dir, None, &settings.user_name);
        AppState(Arc::new(Shared {
            data_dir: data_dir.to_owned(),
            store: RwLock::new(store),
            settings: Mutex::new(settings),
            saving_settings: Mutex::new(()),
            dialogs,
            reopen_needed: std::sync::atomic::AtomicBool::new(false),
            pending_import: Mutex::new(None),
            shown: (Mutex::new(false), Condvar::new()),
            key: Mutex::new(None),
            attempts: Mutex::new(Attempts::default()),
            sharing: crate::sharing::new_activity(),
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

    pub fn sharing(&self) -> &Mutex<crate::sharing::Activity> {
        &self.0.sharing
    }

    pub fn dialogs(&self) -> &Dialogs {
        &self.0.dialogs
    }

    pub fn pending_import(&self) -> std::sync::MutexGuard<'_, Option<PendingImport>> {
        self.0.pending_import.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Closes the store, runs `f` on the data directory (a restore swaps the store's files
    /// there) with the store's data key, and opens the store again whatever `f` did (with the
    /// same key). Returns what `f` returned, or why the store does not open afterwards. `f`
    /// does not run while sled still holds the files.
    pub fn with_store_closed<T>(
        &self,
        f: impl FnOnce(&Path, Option<&DataKey>) -> vinculo_core::Result<T>,
    ) -> Result<T, IpcError> {
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        let key = self.key().clone();
        // Locked: nothing is swapped (a plain store would take the encrypted one's place).
        if key.is_none() && self.protection() == Protection::Encrypted {
            return Err(IpcError::from(Error::Encrypted));
        }
        let result = match close_store(&mut guard) {
            // sled has not let go of its files: moving them now could tear them.
            Err(Error::Locked) => Err(IpcError::from(Error::Locked)),
            closed => {
                // A store the disk refused to flush still lets go of its files.
                if let Err(e) = closed {
                    log::error!("closing the store: {e}");
                }
                f(&self.0.data_dir, key.as_ref()).map_err(IpcError::from)
            }
        };
        // What was opened from the store that was there goes with it.
        crate::documents::clear_viewing(&self.0.data_dir);
        *guard = open_store(&self.0.data_dir, key, &self.settings().user_name);
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
        self.with_store_closed(|_, _| Ok(()))
    }

    fn key(&self) -> std::sync::MutexGuard<'_, Option<DataKey>> {
        self.0.key.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn attempts(&self) -> std::sync::MutexGuard<'_, Attempts> {
        self.0.attempts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What protects the data under the data directory.
    pub fn protection(&self) -> Protection {
        if vinculo_core::is_encrypted(&self.0.data_dir) {
            Protection::Encrypted
        } else if vinculo_core::has_store(&self.0.data_dir) {
            Protection::Plain
        } else {
            Protection::None
        }
    }

    /// Puts `store` in place as the open store, keeping its key.
    fn install(&self, guard: &mut Result<Store, IpcError>, store: Store) {
        *self.key() = store.data_key().cloned();
        store.set_audit_user(&self.settings().user_name);
        // Plain copies a conversion left behind (it was interrupted, or a backup was copied in).
        if let Some(key) = store.data_key() {
            match vinculo_core::backup::seal_leftovers(&self.0.data_dir, key, jiff::Timestamp::now()) {
                Ok(done) if done != Default::default() => log::info!(
                    "plain copies dealt with: {} backups sealed, {} damaged removed, {} stores set aside encrypted, {} unreadable left",
                    done.backups,
                    done.damaged_backups,
                    done.set_aside,
                    done.unreadable_set_aside
                ),
                Ok(_) => {}
                Err(e) => log::error!("sealing plain copies: {e}"),
            }
        }
        *guard = Ok(store);
    }

    /// Runs `attempt` (a try of a secret) unless the slow-down says to wait, and counts it
    /// when the secret was wrong: tries are taken one at a time, so that tries made at once
    /// wait like tries made one after another.
    /// A refusal to wait is shown at `field`.
    fn attempt<T>(&self, field: &str, attempt: impl FnOnce() -> Result<T, IpcError>) -> Result<T, IpcError> {
        use vinculo_core::Code;
        let mut attempts = self.attempts();
        if let Some(wait) = attempts.wait() {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(IpcError::invalid(vec![
                vinculo_core::Violation::new(field, Code::TooManyAttempts).with("seconds", seconds),
            ]));
        }
        let result = attempt();
        match &result {
            Ok(_) => *attempts = Attempts::default(),
            Err(e)
                if e.violations
                    .iter()
                    .any(|v| matches!(v.code, Code::WrongPassphrase | Code::WrongRecoveryKey)) =>
            {
                attempts.failed();
                log::info!("a wrong secret was given");
            }
            Err(_) => {}
        }
        result
    }

    /// Opens the encrypted store with its passphrase or recovery key. After
    /// [`FREE_ATTEMPTS`] wrong ones in a row, each try waits longer for the next.
    pub fn unlock(&self, secret: &Secret<'_>) -> Result<(), IpcError> {
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        if guard.is_ok() {
            return Err(IpcError::new(crate::error::Kind::Conflict, "notLocked"));
        }
        let started = Instant::now();
        let key = self
            .attempt(secret.field(), || Ok(Store::unwrap_key(&self.0.data_dir, secret)?))
            .inspect_err(|e| {
                // The key file itself does not read: the window says so instead of asking again.
                if e.kind != crate::error::Kind::Invalid {
                    *guard = Err(e.clone());
                }
            })?;
        // Kept even if the store does not open now: a restore or a retry needs it.
        *self.key() = Some(key.clone());
        match Store::open_with_key(&self.0.data_dir, Some(key)) {
            Ok(store) => {
                log::info!("store unlocked in {} ms: {} records", started.elapsed().as_millis(), store.len());
                self.install(&mut guard, store);
                let how = match secret {
                    Secret::Passphrase(_) => "passphrase",
                    Secret::Recovery(_) => "recoveryKey",
                };
                audit_on(&guard, AuditEvent::Unlocked, Event { detail: how.into(), ..Event::default() });
                Ok(())
            }
            Err(e) => {
                let e = IpcError::from(e);
                log::error!("the unlocked store did not open: {}", e.code);
                *guard = Err(e.clone());
                Err(e)
            }
        }
    }

    /// Wraps the store's key with a new passphrase after checking the current one, which is
    /// a try of a secret like an unlock (the same slow-down).
    pub fn change_passphrase(&self, current: &str, new: &str) -> Result<(), IpcError> {
        self.attempt("current", || self.with_store(|s| s.change_passphrase(current, new)))
    }

    /// Makes the first store, encrypted with `passphrase`, or encrypts the plain store in
    /// place; returns the recovery key, to be shown once.
    pub fn protect(&self, passphrase: &str) -> Result<vinculo_core::RecoveryKey, IpcError> {
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        let params = vinculo_core::KdfParams::OFFICE;
        match self.protection() {
            Protection::Encrypted => Err(IpcError::from(Error::Encrypted)),
            Protection::None => {
                let (store, recovery) = Store::create_encrypted(&self.0.data_dir, passphrase, params)?;
                log::info!("encrypted store made");
                self.install(&mut guard, store);
                audit_on(&guard, AuditEvent::Encrypted, Event::default());
                Ok(recovery)
            }
            Protection::Plain => {
                // Refused before the store is closed, not after.
                vinculo_core::check_passphrase(passphrase)?;
                if let Err(e) = close_store(&mut guard) {
                    log::error!("closing the store: {e}");
                }
                // Copies opened from the plain store go with it.
                crate::documents::clear_viewing(&self.0.data_dir);
                let now = jiff::Timestamp::now();
                match vinculo_core::backup::encrypt_store(&self.0.data_dir, passphrase, params, now) {
                    Ok((recovery, key)) => {
                        log::info!("store encrypted in place");
                        *self.key() = Some(key.clone());
                        match Store::open_with_key(&self.0.data_dir, Some(key)) {
                            // The backups and stores set aside beside it are sealed now.
                            Ok(store) => {
                                self.install(&mut guard, store);
                                audit_on(&guard, AuditEvent::Encrypted, Event::default());
                            }
                            Err(e) => {
                                log::error!("the encrypted store did not open: {e}");
                                *guard = Err(e.into());
                            }
                        }
                        // Shown whatever happened next: the store is encrypted with it.
                        Ok(recovery)
                    }
                    Err(e) => {
                        // Interrupted before the swap: the plain store is as it was.
                        *guard = open_store(&self.0.data_dir, None, &self.settings().user_name);
                        Err(e.into())
                    }
                }
            }
        }
    }

    /// Closes the encrypted store and forgets its key: nothing of the records stays in memory
    /// (the file read for an import goes too) until it is unlocked again.
    pub fn lock(&self) -> Result<(), IpcError> {
        if self.protection() != Protection::Encrypted {
            return Err(IpcError::new(crate::error::Kind::Conflict, "notEncrypted"));
        }
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        audit_on(&guard, AuditEvent::Locked, Event::default());
        if let Err(e) = close_store(&mut guard) {
            log::error!("closing the store to lock it: {e}");
        }
        *guard = Err(IpcError::from(Error::Encrypted));
        *self.key() = None;
        *self.pending_import() = None;
        crate::documents::clear_viewing(&self.0.data_dir);
        log::info!("store locked");
        Ok(())
    }

    /// Flushes and closes the store; used when the app exits.
    pub fn close(&self) {
        let mut guard = self.0.store.write().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = close_store(&mut guard) {
            log::error!("closing the store failed: {e}");
        }
        crate::documents::clear_viewing(&self.0.data_dir);
    }

    pub fn settings(&self) -> Settings {
        self.0.settings.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Writes `settings` durably, then puts them in force. The user name is required here
    /// (a file without one still loads: the system's login stands in).
    pub fn save_settings(&self, mut settings: Settings) -> Result<Settings, IpcError> {
        let _writer = self.0.saving_settings.lock().unwrap_or_else(PoisonError::into_inner);
        if vinculo_core::text::clean_line(&settings.user_name).is_empty() {
            let mut found = vec![vinculo_core::Violation::new("userName", vinculo_core::Code::Required)];
            if let Err(Error::Invalid(more)) = settings.validate() {
                found.extend(more);
            }
            return Err(IpcError::from(Error::Invalid(found)));
        }
        settings.save(&self.0.data_dir.join("settings.json"))?;
        *self.0.settings.lock().unwrap_or_else(PoisonError::into_inner) = settings.clone();
        let _ = self.with_store(|s| {
            s.set_audit_user(&settings.user_name);
            Ok(())
        });
        Ok(settings)
    }

    /// Logs an event that changes no record in the audit log; a log that refuses it is
    /// reported in the app's log (what was done is done).
    pub fn audit(&self, event: AuditEvent, details: Event) {
        let guard = self.0.store.read().unwrap_or_else(PoisonError::into_inner);
        audit_on(&guard, event, details);
    }
}

/// [`AppState::audit`] on the store in `slot`, if it is open.
fn audit_on(slot: &Result<Store, IpcError>, event: AuditEvent, details: Event) {
    if let Ok(store) = slot
        && let Err(e) = store.log_event(event, details)
    {
        log::error!("the audit log refused an entry ({event:?}): {e}");
    }
}

/// The system's login name, what the audit log names until the settings name someone: from
/// the environment, else the home folder's name (a session started without a login shell).
fn system_login() -> String {
    let clean = |s: String| Some(vinculo_core::text::clean_line(&s)).filter(|s| !s.is_empty());
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().and_then(clean))
        .or_else(|| {
            let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
            clean(Path::new(&home).file_name()?.to_string_lossy().into_owned())
        })
        .map(|s| s.chars().take(vinculo_core::validate::MAX_NAME_CHARS).collect())
        .unwrap_or_else(|| "vinculo".into())
}

/// Takes the store out of `slot` (leaving "closed" in its place) and closes it, if it was open.
fn close_store(slot: &mut Result<Store, IpcError>) -> vinculo_core::Result<()> {
    let closed = Err(IpcError::new(crate::error::Kind::Unavailable, "storeClosed"));
    std::mem::replace(slot, closed).map_or(Ok(()), Store::close)
}

/// Opens the store under `data_dir`: with `key` when it is encrypted and unlocked, else a
/// plain one. No store yet (the first start) is `storeNotSetUp`, an encrypted one without its
/// key `storeEncrypted`: the window asks for a passphrase.
fn open_store(data_dir: &Path, key: Option<DataKey>, who: &str) -> Result<Store, IpcError> {
    let started = Instant::now();
    // A swap a crash interrupted is finished first: half done, the folder could look empty.
    if let Err(e) = vinculo_core::backup::complete_interrupted_swap(data_dir) {
        let e = IpcError::from(e);
        log::error!("an interrupted swap could not be finished: {}", e.code);
        return Err(e);
    }
    let opened = match key {
        Some(key) => Store::open_with_key(data_dir, Some(key)),
        None if !vinculo_core::has_store(data_dir) => {
            return Err(IpcError::new(crate::error::Kind::Unavailable, "storeNotSetUp"));
        }
        None => Store::open(data_dir),
    };
    match opened {
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
            store.set_audit_user(who);
            Ok(store)
        }
        Err(Error::Encrypted) => {
            log::info!("store encrypted: waiting for its passphrase");
            Err(IpcError::from(Error::Encrypted))
        }
        Err(e) => {
            let e = IpcError::from(e);
            log::error!("store not opened: {}", e.code);
            Err(e)
        }
    }
}
