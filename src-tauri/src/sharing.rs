//! Sharing the directory with the office through a shared folder (`docs/sharing.md`): the
//! folder chosen in the system's dialog, the one-time code that lets a laptop join, the
//! office's laptops and what came from them, and each record's conflicts. A thread goes over
//! the folder every few seconds while the store is open (see [`watch`]); offline, it waits.

use crate::commands::{dialog_title, id, off_main, on_store};
use crate::error::IpcError;
use crate::state::AppState;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tauri::State;
use vinculo_core::share::{Incoming, OfficeStatus, RecordSharing, SyncReport};
use vinculo_core::{AnyRecord, Code, Error, Id};

type Result<T> = std::result::Result<T, IpcError>;

/// How often the folder is gone over.
pub const EVERY: Duration = Duration::from_secs(2);
/// How many of the latest changes that came in the status lists.
const RECENT: usize = 30;

/// What the passes over the folder found since the app started.
#[derive(Debug, Default)]
pub struct Activity {
    /// When the folder was last gone over without an error.
    last_pass: Option<jiff::Timestamp>,
    /// Why the last pass failed (the folder out of reach…), as an error code.
    error: Option<IpcError>,
    /// Colleagues' changes applied since the app started.
    applied: u64,
    /// The office's laptops known (a new one shows up before it sends anything).
    laptops: usize,
    recent: VecDeque<IncomingLine>,
    /// The last pass's findings that last until fixed.
    refused: usize,
    waiting: usize,
    missing_key: bool,
    conflict_copies: Vec<String>,
    damaged: Vec<String>,
}

/// A record that came in, as the status lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncomingLine {
    #[serde(flatten)]
    pub incoming: Incoming,
    /// Its title now (empty when deleted).
    pub title: String,
}

impl Activity {
    fn record(&mut self, report: &SyncReport, titles: Vec<String>) {
        self.last_pass = Some(jiff::Timestamp::now());
        self.error = None;
        self.applied += report.applied as u64;
        self.laptops = report.laptops;
        for (incoming, title) in report.incoming.iter().zip(titles) {
            self.recent.push_front(IncomingLine { incoming: incoming.clone(), title });
        }
        self.recent.truncate(RECENT);
        self.refused += report.refused;
        self.waiting = report.waiting;
        self.missing_key = report.missing_key;
        self.conflict_copies.clone_from(&report.conflict_copies);
        self.damaged.clone_from(&report.damaged);
    }
}

pub fn new_activity() -> Mutex<Activity> {
    Mutex::new(Activity::default())
}

/// The office as the settings' card shows it; `None` when this laptop does not share.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficeView {
    #[serde(flatten)]
    pub status: OfficeStatus,
    pub last_pass: Option<jiff::Timestamp>,
    pub error: Option<IpcError>,
    pub applied: u64,
    pub recent: Vec<IncomingLine>,
    pub refused: usize,
    pub waiting_in: usize,
    pub missing_key: bool,
    pub conflict_copies: Vec<String>,
    pub damaged: Vec<String>,
}

/// One pass over the folder, its findings kept for the status.
fn pass(state: &AppState) -> Result<SyncReport> {
    let report = state.with_store(|s| {
        if !s.is_sharing()? {
            return Ok(None);
        }
        let report = s.sync_office()?;
        let titles = report
            .incoming
            .iter()
            .map(|i| s.get_any(&i.id).map(|r: AnyRecord| r.title()).unwrap_or_default())
            .collect::<Vec<_>>();
        Ok(Some((report, titles)))
    });
    let mut activity = state.sharing().lock().unwrap_or_else(PoisonError::into_inner);
    match report {
        Ok(Some((report, titles))) => {
            if report.applied > 0 || report.sent > 0 {
                log::info!("office: {} changes sent, {} applied", report.sent, report.applied);
            }
            activity.record(&report, titles);
            Ok(report)
        }
        Ok(None) => Ok(SyncReport::default()),
        // No store open yet (the first start, a locked window): nothing to go over, nothing
        // to say every two seconds.
        Err(e) if matches!(e.code.as_str(), "storeNotSetUp" | "storeEncrypted" | "storeLocked") => {
            Ok(SyncReport::default())
        }
        Err(e) => {
            activity.error = Some(e.clone());
            Err(e)
        }
    }
}

/// Goes over the folder every [`EVERY`] while the app runs (from the first screen on).
pub fn watch(state: AppState) {
    state.wait_until_shown(Duration::from_secs(30));
    loop {
        if let Err(e) = pass(&state) {
            log::warn!("office: the pass failed: {}", e.code);
        }
        std::thread::sleep(EVERY);
    }
}

#[tauri::command]
pub async fn office_status(state: State<'_, AppState>) -> Result<Option<OfficeView>> {
    off_main(&state, |state| {
        let status =
            state.with_store(|s| if s.is_sharing()? { s.office_status().map(Some) } else { Ok(None) })?;
        let Some(status) = status else { return Ok(None) };
        let a = state.sharing().lock().unwrap_or_else(PoisonError::into_inner);
        Ok(Some(OfficeView {
            status,
            last_pass: a.last_pass,
            error: a.error.clone(),
            applied: a.applied,
            recent: a.recent.iter().cloned().collect(),
            refused: a.refused,
            waiting_in: a.waiting,
            missing_key: a.missing_key,
            conflict_copies: a.conflict_copies.clone(),
            damaged: a.damaged.clone(),
        }))
    })
    .await
}

/// A number that moves when a colleague's change is applied or a laptop joins the office: the
/// UI polls it, cheaply, and redraws the screen when it moves. Memory only.
#[tauri::command]
pub fn office_changes(state: State<'_, AppState>) -> u64 {
    let activity = state.sharing().lock().unwrap_or_else(PoisonError::into_inner);
    activity.applied + activity.laptops as u64
}

/// Checked before the folder is asked for: a name refused is said beside its field first.
fn laptop_name(name: &str) -> Result<String> {
    Ok(vinculo_core::share::laptop_name(name)?)
}

/// Makes a folder chosen in the system's dialog the office's shared folder, this laptop its
/// first member (`None`: the user cancelled).
#[tauri::command]
pub async fn create_office(
    state: State<'_, AppState>,
    name: String,
    dialog_title: String,
) -> Result<Option<OfficeStatus>> {
    let name = laptop_name(&name)?;
    let title = self::dialog_title(&dialog_title)?;
    let Some(folder) = state.dialogs().folder(&title).await else { return Ok(None) };
    let status = on_store(&state, move |s| s.create_office(&folder, &name))
        .await
        .inspect_err(|e| log::warn!("creating the office failed: {}", e.code))?;
    log::info!("office created; this laptop is {}", status.laptop);
    Ok(Some(status))
}

/// Joins the office whose shared folder (already brought by the sync engine) is chosen in the
/// system's dialog, with the one-time code a colleague's laptop showed.
#[tauri::command]
pub async fn join_office(
    state: State<'_, AppState>,
    code: String,
    name: String,
    dialog_title: String,
) -> Result<Option<OfficeStatus>> {
    let name = laptop_name(&name)?;
    if vinculo_core::RecoveryKey::parse(&code).is_none() {
        return Err(Error::invalid("code", Code::MalformedInviteCode).into());
    }
    let title = self::dialog_title(&dialog_title)?;
    let Some(folder) = state.dialogs().folder(&title).await else { return Ok(None) };
    let status = on_store(&state, move |s| s.join_office(&folder, &code, &name))
        .await
        .inspect_err(|e| log::warn!("joining the office failed: {}", e.code))?;
    log::info!("joined the office as {}", status.laptop);
    Ok(Some(status))
}

/// A one-time code for a new laptop (valid seven days), to be said or written, never sent
/// through the shared folder.
#[tauri::command]
pub async fn invite_laptop(state: State<'_, AppState>) -> Result<String> {
    on_store(&state, |s| s.invite_laptop().map(|code| code.display().to_string())).await
}

/// Removes a laptop from the office (a new key for everyone else).
#[tauri::command]
pub async fn remove_laptop(state: State<'_, AppState>, laptop: String) -> Result<OfficeStatus> {
    if laptop.len() != 16 || !laptop.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid("laptop", Code::UnknownLaptop).into());
    }
    let status = on_store(&state, move |s| s.remove_laptop(&laptop)).await?;
    log::info!("a laptop was removed from the office");
    Ok(status)
}

/// Goes over the folder now.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncReport> {
    off_main(&state, pass).await
}

/// A record's conflicts and a colleague's delete waiting for confirmation.
#[tauri::command]
pub async fn record_sharing(state: State<'_, AppState>, id: String) -> Result<RecordSharing> {
    let id = self::id(&id, None)?;
    on_store(&state, move |s| s.record_sharing(&id)).await
}

/// Settles a conflict: keeps the record's value, or takes the colleague's (`revert`: the
/// conflict's clock as the record's page was given it).
#[tauri::command]
pub async fn settle_conflict(
    state: State<'_, AppState>,
    id: String,
    revision: u64,
    field: String,
    revert: Option<String>,
) -> Result<AnyRecord> {
    let id = self::id(&id, None)?;
    if field.is_empty() || field.len() > 64 || !field.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid("field", Code::NoConflict).into());
    }
    if revert.as_ref().is_some_and(|h| h.len() > 64) {
        return Err(Error::invalid("field", Code::NoConflict).into());
    }
    on_store(&state, move |s| s.settle_conflict(&id, revision, &field, revert.as_deref())).await
}

/// Keeps a record a colleague deleted without having seen every change to it.
#[tauri::command]
pub async fn keep_record(state: State<'_, AppState>, id: String) -> Result<()> {
    let id: Id = self::id(&id, None)?;
    on_store(&state, move |s| s.keep_record(&id)).await
}
