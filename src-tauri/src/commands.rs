//! One short function per command, over the core. Arguments arrive as JSON (camelCase names);
//! ids are checked here, everything else by the core's validation.

use crate::error::IpcError;
use crate::state::AppState;
use jiff::Timestamp;
use serde::Serialize;
use tauri::State;
use vinculo_core::briefing;
use vinculo_core::{
    Agreement, Code, Commitment, CommitmentItem, Contact, DeleteReport, HomeSection, HomeView, Id, Meeting,
    OrgDeletion, Organization, OrganizationOverview, RecordKind, RecordList, RecordRef, Removal,
    SearchResults, Settings, Violation, WithCommitments,
};

type Result<T> = std::result::Result<T, IpcError>;

/// An id from the UI, checked for shape and, when given, kind.
fn id(raw: &str, kind: Option<RecordKind>) -> Result<Id> {
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
}

#[tauri::command]
pub fn store_status(state: State<'_, AppState>) -> StoreStatus {
    let error = state.store_error();
    let records = state.with_store(|s| Ok(s.len())).unwrap_or(0);
    StoreStatus { ready: error.is_none(), error, records }
}

#[tauri::command]
pub fn retry_store(state: State<'_, AppState>) -> Result<()> {
    state.reopen()
}

/// The UI's first screen is on the glass: the start is over. Logged with how long it took
/// (what a slow start is diagnosed by), and the work kept off the start (the day's backup)
/// may begin.
#[tauri::command]
pub fn shown(state: State<'_, AppState>) {
    state.mark_shown();
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo { version: env!("CARGO_PKG_VERSION"), data_dir: state.data_dir().display().to_string() }
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    let saved = state.save_settings(settings)?;
    log::info!("settings saved (language {}, paper {})", saved.language, saved.paper);
    Ok(saved)
}

#[tauri::command]
pub fn home(state: State<'_, AppState>) -> Result<HomeView> {
    state.with_store(|s| Ok(s.home(Timestamp::now())))
}

/// Every item of one section of the home view: what its «Ver todos» opens.
#[tauri::command]
pub fn home_section(state: State<'_, AppState>, section: HomeSection) -> Result<RecordList> {
    state.with_store(|s| Ok(s.home_section(section, Timestamp::now())))
}

#[tauri::command]
pub fn list_records(state: State<'_, AppState>, kind: RecordKind) -> Result<RecordList> {
    state.with_store(|s| Ok(s.list_items(kind, Timestamp::now())))
}

/// The longest query searched: far more than anyone types, far less than a pasted document.
pub const MAX_QUERY_CHARS: usize = 500;

#[tauri::command]
pub fn search(state: State<'_, AppState>, query: String, limit: Option<usize>) -> Result<SearchResults> {
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
    state.with_store(|s| Ok(s.search(&query, limit)))
}

#[tauri::command]
pub fn references(state: State<'_, AppState>, id: String) -> Result<Vec<RecordRef>> {
    let id = self::id(&id, None)?;
    state.with_store(|s| s.references(&id))
}

#[tauri::command]
pub fn links(state: State<'_, AppState>, id: String) -> Result<Vec<RecordRef>> {
    let id = self::id(&id, None)?;
    state.with_store(|s| s.links(&id))
}

#[tauri::command]
pub fn organization_overview(state: State<'_, AppState>, id: String) -> Result<OrganizationOverview> {
    let id = self::id(&id, Some(RecordKind::Organization))?;
    state.with_store(|s| s.organization_overview(&id, Timestamp::now()))
}

/// The commitments of a meeting or agreement with owner and days left, for its page.
#[tauri::command]
pub fn source_commitments(state: State<'_, AppState>, id: String) -> Result<Vec<CommitmentItem>> {
    let id = self::id(&id, None)?;
    state.with_store(|s| s.commitment_items(&id, Timestamp::now()))
}

#[tauri::command]
pub fn get_organization(state: State<'_, AppState>, id: String) -> Result<Organization> {
    let id = self::id(&id, Some(RecordKind::Organization))?;
    state.with_store(|s| s.get(&id))
}

#[tauri::command]
pub fn get_contact(state: State<'_, AppState>, id: String) -> Result<Contact> {
    let id = self::id(&id, Some(RecordKind::Contact))?;
    state.with_store(|s| s.get(&id))
}

#[tauri::command]
pub fn get_meeting(state: State<'_, AppState>, id: String) -> Result<WithCommitments<Meeting>> {
    let id = self::id(&id, Some(RecordKind::Meeting))?;
    state.with_store(|s| s.get_meeting(&id))
}

#[tauri::command]
pub fn get_agreement(state: State<'_, AppState>, id: String) -> Result<WithCommitments<Agreement>> {
    let id = self::id(&id, Some(RecordKind::Agreement))?;
    state.with_store(|s| s.get_agreement(&id))
}

#[tauri::command]
pub fn get_commitment(state: State<'_, AppState>, id: String) -> Result<Commitment> {
    let id = self::id(&id, Some(RecordKind::Commitment))?;
    state.with_store(|s| s.get(&id))
}

fn logged<T>(what: &str, result: Result<T>, id_of: impl Fn(&T) -> &Id) -> Result<T> {
    match &result {
        Ok(v) => log::info!("{what}: {}", id_of(v)),
        Err(e) => log::info!("{what} refused: {:?} {}", e.kind, e.code),
    }
    result
}

#[tauri::command]
pub fn save_organization(state: State<'_, AppState>, record: Organization) -> Result<Organization> {
    logged("save organization", state.with_store(|s| s.save_organization(record)), |r| &r.id)
}

#[tauri::command]
pub fn save_contact(state: State<'_, AppState>, record: Contact) -> Result<Contact> {
    logged("save contact", state.with_store(|s| s.save_contact(record)), |r| &r.id)
}

#[tauri::command]
pub fn save_meeting(
    state: State<'_, AppState>,
    record: Meeting,
    commitments: Vec<Commitment>,
    removed: Vec<Removal>,
) -> Result<WithCommitments<Meeting>> {
    let save = WithCommitments { record, commitments };
    logged("save meeting", state.with_store(|s| s.save_meeting(save, &removed)), |r| &r.record.id)
}

#[tauri::command]
pub fn save_agreement(
    state: State<'_, AppState>,
    record: Agreement,
    commitments: Vec<Commitment>,
    removed: Vec<Removal>,
) -> Result<WithCommitments<Agreement>> {
    let save = WithCommitments { record, commitments };
    logged("save agreement", state.with_store(|s| s.save_agreement(save, &removed)), |r| &r.record.id)
}

#[tauri::command]
pub fn save_commitment(state: State<'_, AppState>, record: Commitment) -> Result<Commitment> {
    logged("save commitment", state.with_store(|s| s.save_commitment(record)), |r| &r.id)
}

/// A delete: the id checked for shape and kind, the outcome logged with ids and counts only.
fn delete(
    state: State<'_, AppState>,
    raw_id: &str,
    kind: RecordKind,
    op: impl FnOnce(&vinculo_core::Store, &Id) -> vinculo_core::Result<DeleteReport>,
) -> Result<DeleteReport> {
    let id = id(raw_id, Some(kind))?;
    let result = state.with_store(|s| op(s, &id));
    match &result {
        Ok(r) => log::info!("delete {id}: {} deleted, {} updated", r.deleted.len(), r.updated.len()),
        Err(e) => log::info!("delete {id} refused: {:?} {}", e.kind, e.code),
    }
    result
}

#[tauri::command]
pub fn delete_organization(
    state: State<'_, AppState>,
    id: String,
    revision: u64,
    policy: OrgDeletion,
) -> Result<DeleteReport> {
    delete(state, &id, RecordKind::Organization, |s, id| s.delete_organization(id, revision, &policy))
}

#[tauri::command]
pub fn delete_contact(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(state, &id, RecordKind::Contact, |s, id| s.delete_contact(id, revision))
}

#[tauri::command]
pub fn delete_meeting(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(state, &id, RecordKind::Meeting, |s, id| s.delete_meeting(id, revision))
}

#[tauri::command]
pub fn delete_agreement(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(state, &id, RecordKind::Agreement, |s, id| s.delete_agreement(id, revision))
}

#[tauri::command]
pub fn delete_commitment(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(state, &id, RecordKind::Commitment, |s, id| s.delete_commitment(id, revision))
}

/// Opens a link from the records (a website, a meeting link, an e-mail, a phone) with the
/// system's program for it, never inside the app window. Only `https:`, `http:`, `mailto:` and
/// `tel:` are opened; anything else is refused as an invalid link.
#[tauri::command]
pub fn open_external(url: String) -> Result<()> {
    let Some(url) = external_url(&url) else {
        return Err(IpcError::invalid(vec![Violation::new("url", Code::InvalidUrl)]));
    };
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
/// written atomically, and with the "open after export" setting the system's viewer opens it. `None` when the
/// user cancels the dialog. Async, so the dialog never blocks the main thread.
#[tauri::command]
pub async fn export_briefing(
    state: State<'_, AppState>,
    id: String,
    dialog_title: String,
) -> Result<Option<ExportedNote>> {
    let id = self::id(&id, None)?;
    let now = Timestamp::now();
    let settings = state.settings();
    let note = match id.kind() {
        Some(RecordKind::Meeting) => state.with_store(|s| s.meeting_note(&id, now, &settings))?,
        Some(RecordKind::Organization) => state.with_store(|s| s.organization_note(&id, now, &settings))?,
        _ => return Err(IpcError::invalid(vec![Violation::new("id", Code::InvalidId)])),
    };
    let started = std::time::Instant::now();
    let rendered = briefing::render(&note)?;
    let render_ms = started.elapsed().as_millis();
    let title = self::dialog_title(&dialog_title)?;
    let Some(path) = state.dialogs().save(&title, &note.file_name, crate::state::PDF).await else {
        log::info!("briefing export of {id} cancelled");
        return Ok(None);
    };
    vinculo_core::write_atomically(&path, &rendered.bytes)?;
    // Ids and sizes only: the path may name the user's folders.
    log::info!(
        "briefing of {id} exported: {} pages, {} bytes, rendered in {render_ms} ms",
        rendered.pages,
        rendered.bytes.len()
    );
    let open_failed = settings.open_after_export
        && open::that_detached(&path)
            .inspect_err(|e| log::error!("the system could not open the note: {}", e.kind()))
            .is_err();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some(ExportedNote { file_name, pages: rendered.pages, bytes: rendered.bytes.len(), open_failed }))
}

/// The typefaces embedded in the briefing notes and their licences, for the About screen.
#[tauri::command]
pub fn font_licenses() -> Vec<briefing::FontLicense> {
    briefing::font_licenses()
}

#[tauri::command]
pub fn load_sample(state: State<'_, AppState>) -> Result<usize> {
    let n = state.with_store(|s| s.load_sample(Timestamp::now()))?;
    log::info!("sample loaded: {n} records");
    Ok(n)
}

#[tauri::command]
pub fn remove_sample(state: State<'_, AppState>) -> Result<DeleteReport> {
    let report = state.with_store(|s| s.remove_sample())?;
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
