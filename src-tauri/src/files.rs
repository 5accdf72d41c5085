//! The office's files out, and invitations in: people as vCard, meetings and deadlines as
//! iCalendar, the signed instruments as the transparency format (core: `exchange/vcard.rs`,
//! `calendar.rs`, `transparency.rs`); a calendar invitation read and imported as a meeting.
//! Every file is made off the main thread, saved where the system's dialog says, written
//! atomically and logged in the audit log; its proposed name carries no one's name.

use crate::commands::off_main;
use crate::error::IpcError;
use crate::state::{AppState, CALENDAR, FileType, PendingImport, VCARD};
use jiff::Timestamp;
use serde::Serialize;
use std::sync::Arc;
use tauri::State;
use vinculo_core::briefing::Lang;
use vinculo_core::calendar::{CalendarRequest, InvitationPlan, Invitations};
use vinculo_core::report::{self, ReportFormat};
use vinculo_core::transparency::{TransparencyFormat, TransparencyRequest};
use vinculo_core::vcard::VcardVersion;
use vinculo_core::{AuditEvent, Code, Event, Id, RecordKind, ReportPeriod, Violation};

type Result<T> = std::result::Result<T, IpcError>;

/// The most people one vCard export names.
const MAX_PEOPLE: usize = 200_000;
/// The largest invitation read: an invitation is a few KB; a whole calendar, a few MB.
const MAX_CALENDAR_BYTES: u64 = 20 * 1024 * 1024;

/// What an export wrote, for the UI to tell the user.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    /// The file's name (not its folder).
    pub file_name: String,
    /// How many people, events or instruments it holds (a report: its pages or sheets).
    pub count: usize,
    /// It was to be opened with the system's viewer, and the system could not.
    pub open_failed: bool,
}

/// Asks where to save `bytes` (proposing `proposed`), writes them atomically, logs the export
/// and, when `open_after`, hands the file to the system's viewer. `None` when the user cancels.
#[allow(clippy::too_many_arguments)]
async fn save(
    state: &AppState,
    title: String,
    proposed: String,
    kind: FileType,
    bytes: Vec<u8>,
    count: usize,
    event: Event,
    open_after: bool,
) -> Result<Option<SavedFile>> {
    let Some(path) = state.dialogs().save(&title, &proposed, kind).await else {
        log::info!("{} export cancelled", event.detail);
        return Ok(None);
    };
    off_main(state, move |state| {
        vinculo_core::write_atomically(&path, &bytes)?;
        log::info!("{} exported: {count} entries, {} bytes", event.detail, bytes.len());
        state.audit(AuditEvent::Exported, Event { count: Some(count as u64), ..event });
        let open_failed = open_after && !crate::commands::hand_to_viewer(&path);
        let file_name = crate::commands::file_name(&path);
        Ok(Some(SavedFile { file_name, count, open_failed }))
    })
    .await
}

fn today() -> jiff::civil::Date {
    vinculo_core::office_today(Timestamp::now())
}

/// People as one vCard file, 4.0 or 3.0 (what Outlook reads best). The name proposed is
/// `AAAA-MM-DD_<id>.vcf` for one person, `AAAA-MM-DD_contactos.vcf` for several.
#[tauri::command]
pub async fn export_vcards(
    state: State<'_, AppState>,
    ids: Vec<String>,
    version: VcardVersion,
    dialog_title: String,
) -> Result<Option<SavedFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    if ids.is_empty() || ids.len() > MAX_PEOPLE {
        let v = Violation::new("ids", if ids.is_empty() { Code::Required } else { Code::TooMany });
        return Err(IpcError::invalid(vec![v.with("max", MAX_PEOPLE)]));
    }
    let ids = ids
        .iter()
        .map(|raw| crate::commands::id(raw, Some(RecordKind::Contact)))
        .collect::<Result<Vec<Id>>>()?;
    let (text, lang) = off_main(&state, {
        let ids = ids.clone();
        move |state| Ok((state.with_store(|s| s.vcards(&ids, version))?, state.settings().lang()))
    })
    .await?;
    let proposed = match ids.as_slice() {
        [one] => format!("{}_{one}.vcf", today()),
        _ => format!("{}_{}.vcf", today(), if lang == Lang::En { "contacts" } else { "contactos" }),
    };
    let record = (ids.len() == 1).then(|| ids[0].clone());
    let event = Event { record, detail: "vcf".into(), ..Event::default() };
    save(&state, title, proposed, VCARD, text.into_bytes(), ids.len(), event, false).await
}

/// One meeting as an iCalendar file (`AAAA-MM-DD_reunion.ics`, its date).
#[tauri::command]
pub async fn export_meeting_calendar(
    state: State<'_, AppState>,
    id: String,
    dialog_title: String,
) -> Result<Option<SavedFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    let id = crate::commands::id(&id, Some(RecordKind::Meeting))?;
    let (file, date, lang) = off_main(&state, {
        let id = id.clone();
        move |state| {
            let lang = state.settings().lang();
            state.with_store(|s| {
                let date = s.get::<vinculo_core::Meeting>(&id)?.date;
                Ok((s.meeting_calendar(&id, lang, Timestamp::now())?, date, lang))
            })
        }
    })
    .await?;
    let proposed = format!("{date}_{}.ics", if lang == Lang::En { "meeting" } else { "reunion" });
    let event = Event { record: Some(id), detail: "ics".into(), ..Event::default() };
    save(&state, title, proposed, CALENDAR, file.text.into_bytes(), file.events, event, false).await
}

/// The meetings and deadlines of a period as an iCalendar file
/// (`AAAA-MM-DD_AAAA-MM-DD_calendario.ics`).
#[tauri::command]
pub async fn export_calendar(
    state: State<'_, AppState>,
    request: CalendarRequest,
    dialog_title: String,
) -> Result<Option<SavedFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    let (file, lang) = off_main(&state, {
        let request = request.clone();
        move |state| {
            let lang = state.settings().lang();
            Ok((state.with_store(|s| s.calendar(&request, lang, Timestamp::now()))?, lang))
        }
    })
    .await?;
    let word = if lang == Lang::En { "calendar" } else { "calendario" };
    let proposed = format!("{}_{}_{word}.ics", request.from.trim(), request.until.trim());
    let event = Event { detail: "ics".into(), ..Event::default() };
    save(&state, title, proposed, CALENDAR, file.text.into_bytes(), file.events, event, false).await
}

/// The instruments signed in a period as the transparency format, as a workbook or CSV
/// (`AAAA_T1_transparencia-convenios.xlsx`, `AAAA_transparencia-convenios.csv`).
#[tauri::command]
pub async fn export_transparency(
    state: State<'_, AppState>,
    request: TransparencyRequest,
    format: TransparencyFormat,
    dialog_title: String,
) -> Result<Option<SavedFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    request.period()?;
    let file = off_main(&state, move |state| {
        let area = state.settings().area;
        state.with_store(|s| s.transparency(&request, format, &area, today()))
    })
    .await?;
    let (kind, extension) = match format {
        TransparencyFormat::Xlsx => (crate::state::XLSX, "xlsx"),
        TransparencyFormat::Csv => (crate::state::CSV, "csv"),
    };
    let period =
        request.quarter.map_or_else(|| request.year.to_string(), |q| format!("{}_T{q}", request.year));
    let proposed = format!("{period}_transparencia-convenios.{extension}");
    let event = Event { detail: format!("sipot-{extension}"), ..Event::default() };
    save(&state, title, proposed, kind, file.bytes, file.rows, event, false).await
}

/// The strategy's report to the Commission for a period, as a PDF (opened when the settings
/// say so, like a briefing note) or as a workbook, named by its period.
#[tauri::command]
pub async fn export_report(
    state: State<'_, AppState>,
    period: ReportPeriod,
    format: ReportFormat,
    dialog_title: String,
) -> Result<Option<SavedFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    // The period is checked by the core, which makes the report from it.
    let (bytes, proposed, count, open_after) = off_main(&state, move |state| {
        let (now, settings) = (Timestamp::now(), state.settings());
        match format {
            ReportFormat::Pdf => {
                let note = state.with_store(|s| s.report_note(&period, now, &settings))?;
                let rendered = vinculo_core::briefing::render(&note)?;
                Ok((rendered.bytes, note.file_name, rendered.pages, settings.open_after_export))
            }
            ReportFormat::Xlsx => {
                let bytes = state.with_store(|s| s.report_workbook(&period, now, settings.lang()))?;
                Ok((bytes, period.file_name(settings.lang(), "xlsx"), report::SHEETS, false))
            }
        }
    })
    .await?;
    let (kind, detail) = match format {
        ReportFormat::Pdf => (crate::state::PDF, "report-pdf"),
        ReportFormat::Xlsx => (crate::state::XLSX, "report-xlsx"),
    };
    let event = Event { detail: detail.into(), ..Event::default() };
    save(&state, title, proposed, kind, bytes, count, event, open_after).await
}

/// An invitation read, and what importing it would do.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationFile {
    pub file_name: String,
    pub plan: InvitationPlan,
}

/// Asks for an invitation (`.ics`), reads it and returns what importing it would do: each
/// event a meeting to create or to update, its attendees matched to the directory's people by
/// e-mail. Nothing is written; the file is kept for `invitation_import`.
#[tauri::command]
pub async fn invitation_open(
    state: State<'_, AppState>,
    dialog_title: String,
) -> Result<Option<InvitationFile>> {
    let title = crate::commands::dialog_title(&dialog_title)?;
    let Some(path) = state.dialogs().open(&title, CALENDAR).await else {
        return Ok(None);
    };
    off_main(&state, move |state| {
        let file_name = crate::commands::file_name(&path);
        let bytes = crate::tables::read_capped(&path, MAX_CALENDAR_BYTES)?;
        let lang = state.settings().lang();
        let invitations = vinculo_core::calendar::read_invitations(&bytes, lang)?;
        // Kept while the store is held: a lock (which forgets the file) waits for it.
        let plan = state.with_store(|s| {
            let plan = s.plan_invitations(&invitations, lang)?;
            *state.pending_import() = Some(PendingImport::Invitation(Arc::new(invitations)));
            Ok(plan)
        })?;
        log::info!("invitation read for import: {} events, {} left out", plan.rows.len(), plan.skipped.len());
        Ok(Some(InvitationFile { file_name, plan }))
    })
    .await
}

/// Imports the invitation `invitation_open` read, as planned again now, in one change.
#[tauri::command]
pub async fn invitation_import(state: State<'_, AppState>) -> Result<InvitationPlan> {
    off_main(&state, move |state| {
        let invitations: Arc<Invitations> = match &*state.pending_import() {
            Some(PendingImport::Invitation(i)) => Arc::clone(i),
            _ => return Err(IpcError::invalid(vec![Violation::new("file", Code::Required)])),
        };
        let lang = state.settings().lang();
        let plan = state.with_store(|s| s.import_invitations(&invitations, lang))?;
        {
            let mut pending = state.pending_import();
            if matches!(&*pending, Some(PendingImport::Invitation(i)) if Arc::ptr_eq(i, &invitations)) {
                *pending = None;
            }
        }
        log::info!("invitation imported: {} meetings written", plan.written);
        let event = Event { count: Some(plan.written as u64), detail: "ics".into(), ..Event::default() };
        state.audit(AuditEvent::Imported, event);
        Ok(plan)
    })
    .await
}
