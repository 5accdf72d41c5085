//! Backups, restores, and the whole store exported to a file and imported from one.

use crate::commands::off_main;
use crate::error::IpcError;
use crate::state::{AppState, JSON, PendingImport};
use jiff::Timestamp;
use serde::Serialize;
use std::path::PathBuf;
use tauri::State;
use vinculo_core::backup::{self, Backup, BackupKind, SetAside};
use vinculo_core::{
    AuditEvent, Code, Event, Export, ImportChoices, ImportPlan, ImportReport, ImportStep, Violation,
};

type Result<T> = std::result::Result<T, IpcError>;

/// What the settings screen and the recovery screen show about backups.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    /// Where they are.
    pub dir: String,
    /// How many days, and then weeks, of backups the rotation keeps.
    pub keep_days: usize,
    pub keep_weeks: usize,
    /// Whether the open store holds changes no backup has (never, for an empty one).
    pub changed_since: bool,
    /// Newest first.
    pub backups: Vec<Backup>,
    /// Stores set aside by restores, newest first: each can be put back.
    pub set_aside: Vec<SetAside>,
    /// How many records the open store holds (none when it cannot be opened).
    pub records: Option<usize>,
}

/// Backups and stores set aside; answers even when the store cannot be opened.
#[tauri::command]
pub async fn backups(state: State<'_, AppState>) -> Result<BackupStatus> {
    off_main(&state, |state| {
        let open = state.with_store(|s| Ok((!s.is_empty() && s.changed_since_backup(), s.len()))).ok();
        Ok(BackupStatus {
            dir: backup::backup_dir(state.data_dir()).display().to_string(),
            keep_days: backup::KEEP_DAYS,
            keep_weeks: backup::KEEP_WEEKS,
            changed_since: open.is_some_and(|o| o.0),
            backups: backup::list_backups(state.data_dir()),
            set_aside: backup::list_set_aside(state.data_dir()),
            records: open.map(|o| o.1),
        })
    })
    .await
}

fn take_backup(state: &AppState, kind: BackupKind) -> Result<Backup> {
    let taken = state.with_store(|s| s.backup(kind, Timestamp::now()))?;
    match backup::prune(state.data_dir()) {
        Ok(deleted) if !deleted.is_empty() => log::info!("backups rotated: {} removed", deleted.len()),
        Ok(_) => {}
        Err(e) => log::error!("rotating backups: {e}"),
    }
    log::info!("backup taken ({:?}): {} records, {} bytes", kind, taken.records, taken.bytes);
    let count = Some(taken.records as u64);
    state.audit(AuditEvent::BackupTaken, Event { count, detail: taken.name.clone(), ..Event::default() });
    Ok(taken)
}

/// A backup now (verified before it is listed).
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<Backup> {
    off_main(&state, |state| take_backup(state, BackupKind::Manual)).await
}

/// A backup of `kind` when one is due (see [`vinculo_core::Store::backup_due`]): the day's, at
/// start and then hourly; on quit, one of what changed since the last.
pub fn if_due(state: &AppState, kind: BackupKind) {
    let due = state.with_store(|s| Ok(s.backup_due(kind, Timestamp::now()))).unwrap_or(false);
    if due && let Err(e) = take_backup(state, kind) {
        log::error!("the {kind:?} backup failed: {}", e.code);
    }
}

/// Puts the backup `name` in place of the store (which is set aside first, and can be put
/// back), and opens it, without a restart. Returns the name the old store was set aside as.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, name: String) -> Result<Option<String>> {
    off_main(&state, move |state| {
        let aside = state
            .with_store_closed(|root, key| backup::restore_backup(root, &name, Timestamp::now(), key))?;
        log::info!("backup restored; the previous store was set aside");
        state.audit(AuditEvent::Restored, Event { detail: name, ..Event::default() });
        Ok(aside)
    })
    .await
}

/// Puts back a store set aside by an earlier restore (the current one is set aside in turn).
#[tauri::command]
pub async fn restore_set_aside(state: State<'_, AppState>, name: String) -> Result<Option<String>> {
    off_main(&state, move |state| {
        let aside = state
            .with_store_closed(|root, key| backup::restore_set_aside(root, &name, Timestamp::now(), key))?;
        log::info!("a set-aside store was put back");
        state.audit(AuditEvent::Restored, Event { detail: name, ..Event::default() });
        Ok(aside)
    })
    .await
}

/// Sets the store aside (a damaged one, from the recovery screen) and starts an empty one.
#[tauri::command]
pub async fn start_fresh(state: State<'_, AppState>) -> Result<Option<String>> {
    off_main(&state, |state| {
        let aside = state.with_store_closed(|root, key| backup::set_aside(root, Timestamp::now(), key))?;
        log::info!("the store was set aside for an empty one");
        state.audit(
            AuditEvent::StartedAfresh,
            Event { detail: aside.clone().unwrap_or_default(), ..Event::default() },
        );
        Ok(aside)
    })
    .await
}

/// What an export wrote.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    pub file_name: String,
    pub records: usize,
}

/// Everything to one JSON file the user chooses (`AAAA-MM-DD_vinculo.json` proposed),
/// protected by `passphrase` when one is given (the file leaves the laptop: the UI asks for
/// one by default).
#[tauri::command]
pub async fn export_all(
    state: State<'_, AppState>,
    dialog_title: String,
    passphrase: Option<String>,
    confirmation: Option<String>,
) -> Result<Option<ExportedFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    // A confirmation without a passphrase confirms nothing: refused like a mismatch.
    if passphrase.is_some() || confirmation.is_some() {
        let passphrase = passphrase.as_deref().unwrap_or_default();
        vinculo_core::check_passphrase(passphrase)?;
        crate::security::confirmed(passphrase, confirmation.as_deref().unwrap_or_default())?;
    }
    let now = Timestamp::now();
    let export = off_main(&state, move |state| state.with_store(|s| s.export(now))).await?;
    let proposed = format!("{}_vinculo.json", vinculo_core::office_today(now));
    let Some(path) = state.dialogs().save(&title, &proposed, JSON).await else {
        return Ok(None);
    };
    off_main(&state, move |state| {
        let bytes = match &passphrase {
            Some(p) => export.to_sealed_json(p, vinculo_core::KdfParams::OFFICE)?,
            None => export.to_json(),
        };
        vinculo_core::write_atomically(&path, &bytes)?;
        let how = if passphrase.is_some() { "protected" } else { "plain" };
        log::info!("exported {} records ({how})", export.len());
        let count = Some(export.len() as u64);
        state.audit(AuditEvent::Exported, Event { count, detail: how.into(), ..Event::default() });
        let file_name = crate::commands::file_name(&path);
        Ok(Some(ExportedFile { file_name, records: export.len() }))
    })
    .await
}

/// A file read for import and what importing it would do.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub file_name: String,
    pub exported_at: Timestamp,
    pub plan: ImportPlan,
}

/// Asks for a file, reads it and returns what importing it would do; nothing is written. A
/// file that is not a Vínculo export (or is damaged) is refused with the reason; a protected
/// one is `passphraseNeeded`, and `import_passphrase` reads it.
#[tauri::command]
pub async fn import_open(state: State<'_, AppState>, dialog_title: String) -> Result<Option<ImportPreview>> {
    let Some(path) = state.dialogs().open(&crate::commands::dialog_title(&dialog_title)?, JSON).await else {
        return Ok(None);
    };
    off_main(&state, move |state| {
        let file_name = crate::commands::file_name(&path);
        read_for_import(state, path, file_name, None).map(Some)
    })
    .await
}

/// Reads the protected file `import_open` chose with its passphrase, and returns what
/// importing it would do. A wrong passphrase leaves the file chosen, to try again.
#[tauri::command]
pub async fn import_passphrase(state: State<'_, AppState>, passphrase: String) -> Result<ImportPreview> {
    off_main(&state, move |state| {
        let Some(PendingImport::Protected(path, file_name)) = state.pending_import().take() else {
            return Err(IpcError::invalid(vec![Violation::new("file", Code::Required)]));
        };
        read_for_import(state, path, file_name, Some(&passphrase))
    })
    .await
}

/// Reads the file at `path` for import (with `passphrase` when it is protected), plans the
/// import and keeps the file for `import_apply`.
fn read_for_import(
    state: &AppState,
    path: PathBuf,
    file_name: String,
    passphrase: Option<&str>,
) -> Result<ImportPreview> {
    let bytes = std::fs::read(&path).map_err(|e| IpcError::from(vinculo_core::Error::from(e)))?;
    let file = match Export::read(&bytes, passphrase) {
        Ok(file) => file,
        Err(e) => {
            let e = IpcError::from(e);
            if e.field.as_deref() == Some("passphrase") {
                *state.pending_import() = Some(PendingImport::Protected(path, file_name));
            }
            return Err(e);
        }
    };
    let exported_at = file.exported_at;
    // Kept while the store is held: a lock (which forgets the file) waits for it.
    let plan = state.with_store(|s| {
        let plan = s.plan_import(&file)?;
        *state.pending_import() = Some(PendingImport::Read(file));
        Ok(plan)
    })?;
    Ok(ImportPreview { file_name, exported_at, plan })
}

/// Progress of an import, sent to the caller's channel.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub step: ImportStep,
    pub done: usize,
    pub of: usize,
}

/// Imports the file read by `import_open` as chosen, all at once or not at all. Progress goes
/// to the caller's channel; its last message may arrive after this command's answer (a
/// channel and the answer take different ways), so the answer is what says it is over.
#[tauri::command]
pub async fn import_apply(
    state: State<'_, AppState>,
    choices: ImportChoices,
    on_progress: tauri::ipc::Channel<Progress>,
) -> Result<ImportReport> {
    off_main(&state, move |state| {
        let Some(PendingImport::Read(file)) = state.pending_import().take() else {
            return Err(IpcError::invalid(vec![Violation::new("file", Code::Required)]));
        };
        let report = state.with_store(|s| {
            s.import(&file, &choices, &mut |step, done, of| {
                let _ = on_progress.send(Progress { step, done, of });
            })
        })?;
        log::info!(
            "imported: {} added, {} updated, {} merged, {} kept",
            report.added,
            report.updated,
            report.merged,
            report.kept
        );
        Ok(report)
    })
    .await
}

/// Forgets a file read for import. Memory only: answered on the main thread.
#[tauri::command]
pub fn import_cancel(state: State<'_, AppState>) {
    *state.pending_import() = None;
}
