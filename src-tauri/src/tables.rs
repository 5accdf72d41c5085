//! The office's spreadsheets in: a workbook or CSV file chosen, its sheets shown, the columns
//! the user maps, the plan of each row, and the import (core: `exchange/table/`).

use crate::backups::Progress;
use crate::commands::off_main;
use crate::error::IpcError;
use crate::state::{AppState, PendingImport, SPREADSHEET, VCARD};
use serde::Serialize;
use std::sync::Arc;
use tauri::State;
use vinculo_core::table::{
    MappingOffer, RememberedColumns, SheetPreview, TableFormat, TablePlan, TableRequest, TableTarget,
    Workbook,
};
use vinculo_core::{AuditEvent, Code, Event, Violation};

type Result<T> = std::result::Result<T, IpcError>;

/// The largest file read: a workbook of the office's 853 instruments is some 100 KB, and a
/// file is held in memory while it is mapped.
const MAX_TABLE_BYTES: u64 = 50 * 1024 * 1024;

/// Where the mapped columns are remembered (`docs/spreadsheet-import.md`).
const REMEMBERED: &str = "import-columns.json";

/// A spreadsheet read for import.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableFile {
    pub file_name: String,
    pub format: TableFormat,
    pub sheets: Vec<SheetPreview>,
    /// What the rows can become, in the order to offer them.
    pub targets: Vec<TableTarget>,
    /// The parts of the file that could not be read, and why: the rest is imported.
    pub skipped: Vec<Violation>,
}

/// The bytes of the file at `path`, refused when over `max` bytes.
pub(crate) fn read_capped(path: &std::path::Path, max: u64) -> Result<Vec<u8>> {
    read_within(path, max, Violation::new("file", Code::TooLong).with("max", max).with("unit", "bytes"))
}

/// [`read_capped`], refusing a larger file with `too_big`.
pub(crate) fn read_within(path: &std::path::Path, max: u64, too_big: Violation) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(|e| IpcError::from(vinculo_core::Error::from(e)))?.len();
    if size > max {
        return Err(IpcError::invalid(vec![too_big]));
    }
    std::fs::read(path).map_err(|e| IpcError::from(vinculo_core::Error::from(e)))
}

/// Asks for a workbook or CSV file (or, with `vcard`, a vCard file of contacts) and reads it:
/// its sheets and their first rows. Nothing is written; the file is kept for mapping until
/// imported or cancelled (or the store locks).
#[tauri::command]
pub async fn table_open(
    state: State<'_, AppState>,
    dialog_title: String,
    vcard: bool,
) -> Result<Option<TableFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    let Some(path) = state.dialogs().open(&title, if vcard { VCARD } else { SPREADSHEET }).await else {
        return Ok(None);
    };
    off_main(&state, move |state| {
        let file_name = crate::commands::file_name(&path);
        let bytes = read_capped(&path, MAX_TABLE_BYTES)?;
        let book = Workbook::open(&bytes, state.settings().lang())?;
        let remembered = RememberedColumns::load(&state.data_dir().join(REMEMBERED));
        let file = TableFile {
            file_name,
            format: book.format,
            sheets: book.preview(&remembered),
            targets: book.targets(),
            skipped: book.skipped.clone(),
        };
        // Kept while the store is held: a lock (which forgets the file) waits for it.
        state.with_store(|_| {
            *state.pending_import() = Some(PendingImport::Table(Arc::new(book)));
            Ok(())
        })?;
        log::info!("spreadsheet read for import: {:?}, {} sheets", file.format, file.sheets.len());
        Ok(Some(file))
    })
    .await
}

/// The spreadsheet `table_open` read; refused when none is.
fn table(state: &AppState) -> Result<Arc<Workbook>> {
    match &*state.pending_import() {
        Some(PendingImport::Table(book)) => Ok(Arc::clone(book)),
        _ => Err(IpcError::invalid(vec![Violation::new("file", Code::Required)])),
    }
}

/// The fields `sheet`'s columns most likely fill as `target` (remembered from an earlier
/// import of the same headers, else guessed from them), every field they can fill, and the
/// sheet's first rows from `start` (where its table most likely begins when not given).
#[tauri::command]
pub async fn table_offer(
    state: State<'_, AppState>,
    sheet: usize,
    target: TableTarget,
    headers: bool,
    start: Option<usize>,
) -> Result<MappingOffer> {
    off_main(&state, move |state| {
        let book = table(state)?;
        let remembered = RememberedColumns::load(&state.data_dir().join(REMEMBERED));
        Ok(remembered.offer(book.sheet(sheet)?, target, headers, start)?)
    })
    .await
}

/// What importing the sheet as `request` maps it would do, row by row. Reads only.
#[tauri::command]
pub async fn table_plan(state: State<'_, AppState>, request: TableRequest) -> Result<TablePlan> {
    off_main(&state, move |state| {
        let book = table(state)?;
        state.with_store(|s| s.plan_table(&book, &request))
    })
    .await
}

/// Imports the sheet as `request` maps it, in one atomic change, with progress on the
/// caller's channel (the answer, not the channel, says it is over). The mapping is remembered
/// for the next file with these headers; the file is forgotten.
#[tauri::command]
pub async fn table_import(
    state: State<'_, AppState>,
    request: TableRequest,
    on_progress: tauri::ipc::Channel<Progress>,
) -> Result<TablePlan> {
    off_main(&state, move |state| {
        let book = table(state)?;
        let plan = state.with_store(|s| {
            s.import_table(&book, &request, &mut |step, done, of| {
                let _ = on_progress.send(Progress { step, done, of });
            })
        })?;
        {
            // Forgotten once imported (unless another file was chosen meanwhile).
            let mut pending = state.pending_import();
            if matches!(&*pending, Some(PendingImport::Table(b)) if Arc::ptr_eq(b, &book)) {
                *pending = None;
            }
        }
        log::info!(
            "spreadsheet imported: {} created, {} merged, {} unchanged, {} refused, {} organizations made",
            plan.created,
            plan.merged,
            plan.unchanged,
            plan.refused,
            plan.new_organizations.len()
        );
        let count = Some(plan.written as u64);
        state.audit(
            AuditEvent::Imported,
            Event { count, detail: book.format.extension().into(), ..Event::default() },
        );
        // Remembering is a convenience: failing to write it does not undo the import. A
        // file whose columns are its own (a vCard file) teaches nothing.
        let path = state.data_dir().join(REMEMBERED);
        if let Some(sheet) = book.sheets.get(request.sheet).filter(|s| s.mapping.is_none())
            && let Ok(start) = sheet.start(request.start)
            && let Err(e) = RememberedColumns::load(&path).remember(
                &path,
                request.target,
                &sheet.headers(start, request.headers),
                &request.mapping,
            )
        {
            log::warn!("could not remember the import's columns: {e}");
        }
        Ok(plan)
    })
    .await
}
