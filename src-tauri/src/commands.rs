//! One short function per command, over the core. Arguments arrive as JSON (camelCase names);
//! ids are checked here, everything else by the core's validation.

use crate::error::IpcError;
use crate::state::AppState;
use jiff::Timestamp;
use serde::Serialize;
use tauri::State;
use vinculo_core::briefing;
use vinculo_core::{
    Activity, ActivityItem, ActivityPage, Agreement, AuditEvent, AuditQuery, AuditView, Code, Commitment,
    CommitmentItem, Contact, DeleteReport, Event, HomeView, Id, ListPage, ListQuery, Meeting, OrgDeletion,
    Organization, OrganizationOverview, RecordKind, RecordRef, Removal, ReportPeriod, SearchResults,
    Settings, StrategyReport, Training, Violation, WithCommitments,
};

type Result<T> = std::result::Result<T, IpcError>;

/// Runs `work` on a thread of the blocking pool and awaits it: a command that touches the store
/// or the disk never runs on the main thread, which draws the window and takes its input (a
/// durable save, a list of 300,000 items, a backup or a restore would freeze it meanwhile).
pub(crate) async fn off_main<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || work(&state)).await.unwrap_or_else(|e| {
        log::error!("a command's work did not finish: {e}");
        Err(IpcError::new(crate::error::Kind::Internal, "internal"))
    })
}

/// [`off_main`] for work on the open store.
pub(crate) async fn on_store<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&vinculo_core::Store) -> vinculo_core::Result<T> + Send + 'static,
) -> Result<T> {
    off_main(state, move |state| state.with_store(work)).await
}

/// An id from the UI, checked for shape and, when given, kind.
pub(crate) fn id(raw: &str, kind: Option<RecordKind>) -> Result<Id> {
    Id::parse(raw)
        .filter(|id| kind.is_none() || id.kind() == kind)
        .ok_or_else(|| IpcError::invalid(vec![Violation::new("id", Code::InvalidId)]))
}

/// Whether the store is open, and if not, why; plus where the data lives.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreStatus {
    pub ready: bool,
    pub error: Option<IpcError>,
    pub records: usize,
    /// Whether the data is encrypted (`plain`: a store from before, to be converted).
    pub protection: crate::state::Protection,
}

#[tauri::command]
pub async fn store_status(state: State<'_, AppState>) -> Result<StoreStatus> {
    off_main(&state, |state| {
        let error = state.store_error();
        let records = state.with_store(|s| Ok(s.len())).unwrap_or(0);
        Ok(StoreStatus { ready: error.is_none(), error, records, protection: state.protection() })
    })
    .await
}

#[tauri::command]
pub async fn retry_store(state: State<'_, AppState>) -> Result<()> {
    off_main(&state, AppState::reopen).await
}

/// The UI's first screen is on the glass: the start is over. Logged with how long it took
/// (what a slow start is diagnosed by), and the work kept off the start (the day's backup)
/// may begin.
#[tauri::command]
pub async fn shown(state: State<'_, AppState>) -> Result<()> {
    off_main(&state, |state| {
        state.mark_shown();
        Ok(())
    })
    .await
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub office: Office,
}

/// The office's rules the core owns and the screens show: the UI takes them from here rather
/// than keeping copies of its own.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Office {
    /// The office's time zone: every "today" and every instant shown is reckoned in it.
    pub time_zone: &'static str,
    /// Commitments due within this many days are due soon; meetings within it, upcoming.
    pub horizon_days: i32,
    /// An agreement's notice window when it sets none.
    pub default_notice_days: u32,
}

/// Memory only: answered on the main thread.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().display().to_string(),
        office: Office {
            time_zone: vinculo_core::DEFAULT_TIME_ZONE,
            horizon_days: vinculo_core::HORIZON_DAYS,
            default_notice_days: vinculo_core::DEFAULT_NOTICE_DAYS,
        },
    }
}

/// Memory only: answered on the main thread.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    off_main(&state, |state| {
        let saved = state.save_settings(settings)?;
        log::info!("settings saved (language {}, paper {})", saved.language, saved.paper);
        Ok(saved)
    })
    .await
}

#[tauri::command]
pub async fn home(state: State<'_, AppState>) -> Result<HomeView> {
    on_store(&state, |s| Ok(s.home(Timestamp::now()))).await
}

/// One window of a list screen's rows (of a kind, or of a home section's «Ver todos»), with
/// its filters, order and count, or a picker's choices as the user types.
#[tauri::command]
pub async fn list_page(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage> {
    on_store(&state, move |s| s.list_page(&query, Timestamp::now())).await
}

/// The ids of every row of a list as filtered (what «Exportar vCard» of a list takes).
#[tauri::command]
pub async fn list_ids(state: State<'_, AppState>, query: ListQuery) -> Result<Vec<Id>> {
    on_store(&state, move |s| s.list_ids(&query, Timestamp::now())).await
}

/// The most records one form names: its references and its commitments' owners (each list of
/// a record holds at most 200).
const MAX_NAMED: usize = 5_000;

/// The names of the records `ids` that exist: what a form's pickers show chosen.
#[tauri::command]
pub async fn names(state: State<'_, AppState>, ids: Vec<String>) -> Result<Vec<RecordRef>> {
    if ids.is_empty() || ids.len() > MAX_NAMED {
        let v = Violation::new("ids", if ids.is_empty() { Code::Required } else { Code::TooMany });
        return Err(IpcError::invalid(vec![v.with("max", MAX_NAMED)]));
    }
    let ids = ids.iter().map(|raw| id(raw, None)).collect::<Result<Vec<Id>>>()?;
    on_store(&state, move |s| Ok(s.named(&ids))).await
}

/// The longest query searched: far more than anyone types, far less than a pasted document.
pub const MAX_QUERY_CHARS: usize = 500;

#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> Result<SearchResults> {
    use vinculo_core::MAX_HITS;
    if query.chars().count() > MAX_QUERY_CHARS {
        let too_long =
            Violation::new("query", Code::TooLong).with("max", MAX_QUERY_CHARS).with("unit", "chars");
        return Err(IpcError::invalid(vec![too_long]));
    }
    let limit = limit.unwrap_or(MAX_HITS);
    if !(1..=MAX_HITS).contains(&limit) {
        let range = Violation::new("limit", Code::OutOfRange).with("min", 1).with("max", MAX_HITS);
        return Err(IpcError::invalid(vec![range]));
    }
    on_store(&state, move |s| Ok(s.search(&query, limit))).await
}

#[tauri::command]
pub async fn references(state: State<'_, AppState>, id: String) -> Result<Vec<RecordRef>> {
    let id = self::id(&id, None)?;
    on_store(&state, move |s| s.references(&id)).await
}

#[tauri::command]
pub async fn links(state: State<'_, AppState>, id: String) -> Result<Vec<RecordRef>> {
    let id = self::id(&id, None)?;
    on_store(&state, move |s| s.links(&id)).await
}

#[tauri::command]
pub async fn organization_overview(state: State<'_, AppState>, id: String) -> Result<OrganizationOverview> {
    let id = self::id(&id, Some(RecordKind::Organization))?;
    on_store(&state, move |s| s.organization_overview(&id, Timestamp::now())).await
}

/// The commitments of a meeting or agreement with owner and days left, for its page.
#[tauri::command]
pub async fn source_commitments(state: State<'_, AppState>, id: String) -> Result<Vec<CommitmentItem>> {
    let id = self::id(&id, None)?;
    on_store(&state, move |s| s.commitment_items(&id, Timestamp::now())).await
}

#[tauri::command]
pub async fn get_organization(state: State<'_, AppState>, id: String) -> Result<Organization> {
    let id = self::id(&id, Some(RecordKind::Organization))?;
    on_store(&state, move |s| s.get(&id)).await
}

#[tauri::command]
pub async fn get_contact(state: State<'_, AppState>, id: String) -> Result<Contact> {
    let id = self::id(&id, Some(RecordKind::Contact))?;
    on_store(&state, move |s| s.get(&id)).await
}

#[tauri::command]
pub async fn get_meeting(state: State<'_, AppState>, id: String) -> Result<WithCommitments<Meeting>> {
    let id = self::id(&id, Some(RecordKind::Meeting))?;
    on_store(&state, move |s| s.get_meeting(&id)).await
}

#[tauri::command]
pub async fn get_agreement(state: State<'_, AppState>, id: String) -> Result<WithCommitments<Agreement>> {
    let id = self::id(&id, Some(RecordKind::Agreement))?;
    on_store(&state, move |s| s.get_agreement(&id)).await
}

/// An activity with its commitments and the people it reached (counted by the core).
#[tauri::command]
pub async fn get_activity(state: State<'_, AppState>, id: String) -> Result<ActivityPage> {
    let id = self::id(&id, Some(RecordKind::Activity))?;
    on_store(&state, move |s| s.activity_page(&id)).await
}

/// The figures of the strategy's report for a period, for its screen.
#[tauri::command]
pub async fn strategy_report(state: State<'_, AppState>, period: ReportPeriod) -> Result<StrategyReport> {
    on_store(&state, move |s| s.strategy_report(&period, Timestamp::now())).await
}

/// The activities that carry out an instrument, for its page.
#[tauri::command]
pub async fn agreement_activities(state: State<'_, AppState>, id: String) -> Result<Vec<ActivityItem>> {
    let id = self::id(&id, Some(RecordKind::Agreement))?;
    on_store(&state, move |s| s.activities_of_agreement(&id)).await
}

/// The activities a person took part in, with their training, for their page.
#[tauri::command]
pub async fn participations(state: State<'_, AppState>, id: String) -> Result<Training> {
    let id = self::id(&id, Some(RecordKind::Contact))?;
    on_store(&state, move |s| s.participations(&id)).await
}

#[tauri::command]
pub async fn get_commitment(state: State<'_, AppState>, id: String) -> Result<Commitment> {
    let id = self::id(&id, Some(RecordKind::Commitment))?;
    on_store(&state, move |s| s.get(&id)).await
}

/// A save on the store, off the main thread, its outcome logged with the record's id only.
pub(crate) async fn save<T: Send + 'static>(
    state: &AppState,
    what: &'static str,
    work: impl FnOnce(&vinculo_core::Store) -> vinculo_core::Result<T> + Send + 'static,
    id_of: impl Fn(&T) -> &Id,
) -> Result<T> {
    let result = on_store(state, work).await;
    match &result {
        Ok(v) => log::info!("{what}: {}", id_of(v)),
        Err(e) => log::info!("{what} refused: {:?} {}", e.kind, e.code),
    }
    result
}

#[tauri::command]
pub async fn save_organization(state: State<'_, AppState>, record: Organization) -> Result<Organization> {
    save(&state, "save organization", |s| s.save_organization(record), |r| &r.id).await
}

#[tauri::command]
pub async fn save_contact(state: State<'_, AppState>, record: Contact) -> Result<Contact> {
    save(&state, "save contact", |s| s.save_contact(record), |r| &r.id).await
}

#[tauri::command]
pub async fn save_meeting(
    state: State<'_, AppState>,
    record: Meeting,
    commitments: Vec<Commitment>,
    removed: Vec<Removal>,
) -> Result<WithCommitments<Meeting>> {
    let record = WithCommitments { record, commitments };
    save(&state, "save meeting", move |s| s.save_meeting(record, &removed), |r| &r.record.id).await
}

#[tauri::command]
pub async fn save_agreement(
    state: State<'_, AppState>,
    record: Agreement,
    commitments: Vec<Commitment>,
    removed: Vec<Removal>,
) -> Result<WithCommitments<Agreement>> {
    let record = WithCommitments { record, commitments };
    save(&state, "save agreement", move |s| s.save_agreement(record, &removed), |r| &r.record.id).await
}

#[tauri::command]
pub async fn save_activity(
    state: State<'_, AppState>,
    record: Activity,
    commitments: Vec<Commitment>,
    removed: Vec<Removal>,
) -> Result<WithCommitments<Activity>> {
    let record = WithCommitments { record, commitments };
    save(&state, "save activity", move |s| s.save_activity(record, &removed), |r| &r.record.id).await
}

#[tauri::command]
pub async fn save_commitment(state: State<'_, AppState>, record: Commitment) -> Result<Commitment> {
    save(&state, "save commitment", |s| s.save_commitment(record), |r| &r.id).await
}

/// A delete: the id checked for shape and kind, the work off the main thread, the outcome
/// logged with ids and counts only.
pub(crate) async fn delete(
    state: &AppState,
    raw_id: &str,
    kind: RecordKind,
    op: impl FnOnce(&vinculo_core::Store, &Id) -> vinculo_core::Result<DeleteReport> + Send + 'static,
) -> Result<DeleteReport> {
    let id = id(raw_id, Some(kind))?;
    let logged = id.clone();
    let result = on_store(state, move |s| op(s, &id)).await;
    match &result {
        Ok(r) => {
            for gone in r.deleted.iter().filter(|r| r.kind == RecordKind::Document) {
                crate::documents::forget_copy(state.data_dir(), &gone.id);
            }
            log::info!("delete {logged}: {} deleted, {} updated", r.deleted.len(), r.updated.len())
        }
        Err(e) => log::info!("delete {logged} refused: {:?} {}", e.kind, e.code),
    }
    result
}

#[tauri::command]
pub async fn delete_organization(
    state: State<'_, AppState>,
    id: String,
    revision: u64,
    policy: OrgDeletion,
) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Organization, move |s, id| s.delete_organization(id, revision, &policy))
        .await
}

#[tauri::command]
pub async fn delete_contact(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Contact, move |s, id| s.delete_contact(id, revision)).await
}

#[tauri::command]
pub async fn delete_meeting(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Meeting, move |s, id| s.delete_meeting(id, revision)).await
}

#[tauri::command]
pub async fn delete_agreement(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Agreement, move |s, id| s.delete_agreement(id, revision)).await
}

#[tauri::command]
pub async fn delete_activity(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Activity, move |s, id| s.delete_activity(id, revision)).await
}

#[tauri::command]
pub async fn delete_commitment(
    state: State<'_, AppState>,
    id: String,
    revision: u64,
) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Commitment, move |s, id| s.delete_commitment(id, revision)).await
}

/// The audit log, newest first, as `filter` narrows it, and whether its chain holds.
#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>, filter: AuditQuery) -> Result<AuditView> {
    let filter = filter.filter()?;
    on_store(&state, move |s| s.audit_view(&filter)).await
}

/// What deleting a person for good did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErasedPerson {
    /// `None` when the person had been deleted before.
    pub deleted: Option<DeleteReport>,
    pub erased: vinculo_core::backup::Erased,
}

/// Deletes a person and erases them for good (ARCO *cancelación*): the delete is made durable
/// first, then the store is rebuilt without them, every backup holding them rewritten, every
/// store set aside holding them deleted (see `vinculo_core::backup::erase`). Without a
/// revision, a person deleted before (or an erasure cut short) is erased from the copies.
#[tauri::command]
pub async fn erase_contact(
    state: State<'_, AppState>,
    id: String,
    revision: Option<u64>,
) -> Result<ErasedPerson> {
    let id = self::id(&id, Some(RecordKind::Contact))?;
    off_main(&state, move |state| {
        let deleted = match revision {
            Some(revision) => Some(state.with_store(|s| s.delete_contact(&id, revision))?),
            None if state.with_store(|s| Ok(s.get_any(&id).is_ok()))? => {
                return Err(IpcError::new(crate::error::Kind::Conflict, "notDeleted"));
            }
            None => None,
        };
        // While sharing, the delete goes to the office before the store is rebuilt (which
        // leaves the office: see ARCHITECTURE.md's known limits); a folder out of reach
        // refuses the erasure, so that the delete is never lost.
        state.with_store(|s| if s.is_sharing()? { s.sync_office().map(|_| ()) } else { Ok(()) })?;
        let erased = state
            .with_store_closed(|root, key| vinculo_core::backup::erase(root, &id, Timestamp::now(), key))?;
        log::info!(
            "{id} erased: {} backups rewritten, {} unreadable removed, {} set-aside stores removed",
            erased.backups_rewritten,
            erased.backups_removed,
            erased.set_aside_removed
        );
        let count = Some((erased.backups_rewritten + erased.backups_removed) as u64);
        state.audit(AuditEvent::Erased, Event { record: Some(id), count, ..Event::default() });
        Ok(ErasedPerson { deleted, erased })
    })
    .await
}

/// Opens a link from the records (a website, a meeting link, an e-mail, a phone) with the
/// system's program for it, never inside the app window. Only `https:`, `http:`, `mailto:` and
/// `tel:` are opened; anything else is refused as an invalid link.
#[tauri::command]
pub async fn open_external(state: State<'_, AppState>, url: String) -> Result<()> {
    let Some(url) = external_url(&url) else {
        return Err(IpcError::invalid(vec![Violation::new("url", Code::InvalidUrl)]));
    };
    // Starting a program is the system's work, not the window's.
    off_main(&state, move |_| {
        // The scheme only: the rest may be a person's address.
        let scheme = url.scheme().to_owned();
        match open::that_detached(url.as_str()) {
            Ok(()) => {
                log::info!("opened a {scheme}: link with the system");
                Ok(())
            }
            Err(e) => {
                log::error!("the system could not open a {scheme}: link: {}", e.kind());
                Err(IpcError::new(crate::error::Kind::System, "openFailed"))
            }
        }
    })
    .await
}

/// A link the system may open: web pages with a host, e-mail addresses, phone numbers.
pub fn external_url(raw: &str) -> Option<tauri::Url> {
    if raw.len() > 4096 || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let url = tauri::Url::parse(raw).ok()?;
    let ok = match url.scheme() {
        // The host as written: the URL parser would make `https:///x` into `https://x/`.
        "https" | "http" => raw.split_once("://").is_some_and(|(_, rest)| !rest.starts_with('/')),
        "mailto" => url.path().contains('@'),
        "tel" => url.path().trim_start_matches('+').chars().next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    ok.then_some(url)
}

/// The longest title a file dialog is given.
const MAX_TITLE_CHARS: usize = 200;

/// A file dialog's title from the UI: control characters dropped, refused when absurdly long.
pub fn dialog_title(raw: &str) -> Result<String> {
    if raw.chars().count() > MAX_TITLE_CHARS {
        let v =
            Violation::new("dialogTitle", Code::TooLong).with("max", MAX_TITLE_CHARS).with("unit", "chars");
        return Err(IpcError::invalid(vec![v]));
    }
    Ok(raw.chars().filter(|c| !c.is_control()).collect())
}

/// A file's name without its folder (which may name the user's), for the UI to tell the user.
pub(crate) fn file_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// What an export wrote, for the UI to tell the user.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedNote {
    /// The file's name (not its folder).
    pub file_name: String,
    pub pages: usize,
    pub bytes: usize,
    /// Asked to open it, the system could not (the file is saved all the same).
    pub open_failed: bool,
}

/// Exports the briefing note of a meeting, or the *ficha* of an organization, as a PDF: the
/// system's save dialog proposes `AAAA-MM-DD_<acronym>_nota-informativa.pdf`, the file is
/// written atomically, and with the "open after export" setting the system's viewer opens it.
/// `None` when the user cancels the dialog. The note is made and written off the main thread,
/// and the dialog is awaited: neither blocks the window.
#[tauri::command]
pub async fn export_briefing(
    state: State<'_, AppState>,
    id: String,
    dialog_title: String,
) -> Result<Option<ExportedNote>> {
    let id = self::id(&id, None)?;
    if !matches!(id.kind(), Some(RecordKind::Meeting | RecordKind::Organization)) {
        return Err(IpcError::invalid(vec![Violation::new("id", Code::InvalidId)]));
    }
    let title = self::dialog_title(&dialog_title)?;
    export_note(&state, title, id, AuditEvent::BriefingExported, |s, id, now, settings| match id.kind() {
        Some(RecordKind::Meeting) => s.meeting_note(id, now, settings),
        _ => s.organization_note(id, now, settings),
    })
    .await
}

/// Exports the *informe del titular* of a person (ARCO access request) as a PDF, like a
/// briefing note: save dialog (the proposed name carries the date and the record's id, not
/// the person's name), atomic write, the viewer when the settings say so; logged in the audit
/// log.
#[tauri::command]
pub async fn titular_report(
    state: State<'_, AppState>,
    id: String,
    dialog_title: String,
) -> Result<Option<ExportedNote>> {
    let id = self::id(&id, Some(RecordKind::Contact))?;
    let title = self::dialog_title(&dialog_title)?;
    export_note(&state, title, id, AuditEvent::TitularReport, |s, id, now, settings| {
        s.titular_report(id, now, settings)
    })
    .await
}

/// Hands an exported file to the system's program for it (the PDF viewer); whether it could.
pub(crate) fn hand_to_viewer(path: &std::path::Path) -> bool {
    open::that_detached(path)
        .inspect_err(|e| log::error!("the system could not open the exported file: {}", e.kind()))
        .is_ok()
}

/// Makes the note `make` gives for `id` and renders it off the main thread, asks where to save
/// it (`None` when the user cancels), writes it atomically, opens it when the settings say so,
/// and logs `event` in the audit log.
async fn export_note(
    state: &AppState,
    title: String,
    id: Id,
    event: AuditEvent,
    make: impl FnOnce(&vinculo_core::Store, &Id, Timestamp, &Settings) -> vinculo_core::Result<briefing::Note>
    + Send
    + 'static,
) -> Result<Option<ExportedNote>> {
    let logged = id.clone();
    let (note, rendered, render_ms, open_after) = off_main(state, move |state| {
        let (now, settings) = (Timestamp::now(), state.settings());
        let note = state.with_store(|s| make(s, &id, now, &settings))?;
        let started = std::time::Instant::now();
        let rendered = briefing::render(&note)?;
        Ok((note, rendered, started.elapsed().as_millis(), settings.open_after_export))
    })
    .await?;
    let Some(path) = state.dialogs().save(&title, &note.file_name, crate::state::PDF).await else {
        log::info!("export of {logged} cancelled");
        return Ok(None);
    };
    let (pages, bytes) = (rendered.pages, rendered.bytes.len());
    off_main(state, move |state| {
        vinculo_core::write_atomically(&path, &rendered.bytes)?;
        let record = Some(logged.clone());
        state.audit(event, Event { record, count: Some(pages as u64), ..Event::default() });
        let open_failed = open_after && !hand_to_viewer(&path);
        // Ids and sizes only: the path may name the user's folders.
        let viewer = if open_after { "handed to the viewer" } else { "not opened (setting)" };
        log::info!(
            "{event:?} of {logged} exported: {pages} pages, {bytes} bytes, rendered in {render_ms} ms, {viewer}"
        );
        let file_name = file_name(&path);
        Ok(Some(ExportedNote { file_name, pages, bytes, open_failed }))
    })
    .await
}

/// The typefaces embedded in the briefing notes and their licences, for the About screen.
/// Embedded in the program: answered on the main thread.
#[tauri::command]
pub fn font_licenses() -> Vec<briefing::FontLicense> {
    briefing::font_licenses()
}

#[tauri::command]
pub async fn load_sample(state: State<'_, AppState>) -> Result<usize> {
    let n = on_store(&state, |s| s.load_sample(Timestamp::now())).await?;
    log::info!("sample loaded: {n} records");
    Ok(n)
}

#[tauri::command]
pub async fn remove_sample(state: State<'_, AppState>) -> Result<DeleteReport> {
    let report = on_store(&state, |s| s.remove_sample()).await?;
    log::info!("sample removed: {} deleted, {} kept", report.deleted.len(), report.updated.len());
    Ok(report)
}

// Every command the app exposes (shared with build.rs).
include!("command_names.rs");

#[cfg(test)]
mod tests {
    use super::external_url;

    #[test]
    fn only_web_mail_and_phone_links_go_to_the_system() {
        for ok in [
            "https://www.unwomen.org/es",
            "http://ejemplo.org/a?b=c",
            "mailto:ana@ejemplo.org",
            "tel:+525554833800;ext=123",
        ] {
            assert!(external_url(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "tauri://localhost/index.html",
            "ipc://localhost/save_contact",
            "https:///sin-host",
            "https://ejemplo.org/a b",
            "mailto:nadie",
            "tel:abc",
            "",
            "/relative",
        ] {
            assert!(external_url(bad).is_none(), "{bad}");
        }
        assert!(
            external_url(&format!("https://ejemplo.org/{}", "a".repeat(5000))).is_none(),
            "absurdly long"
        );
    }
}
