//! Documents attached to records: the file picked in the system's dialog and kept by the
//! store, listed on the record's page, opened in the system's program for it from a copy in
//! the clear that lives only while the app is unlocked.

use crate::commands::{delete, dialog_title, file_name, hand_to_viewer, id, off_main, on_store, save};
use crate::error::IpcError;
use crate::state::{ANY_FILE, AppState};
use crate::tables::read_within;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::State;
use vinculo_core::{
    AuditEvent, Code, DeleteReport, Document, DocumentItem, Event, Id, MAX_DOCUMENT_BYTES, RecordKind,
    Violation,
};

type Result<T> = std::result::Result<T, IpcError>;

/// Where the copies opened in other programs are written, under the data folder; emptied
/// when the app starts, locks and exits.
const VIEWING_DIR: &str = ".viewing";

/// The documents attached to the record `id`, newest first.
#[tauri::command]
pub async fn documents(state: State<'_, AppState>, id: String) -> Result<Vec<DocumentItem>> {
    let id = self::id(&id, None)?;
    on_store(&state, move |s| s.documents_of(&id)).await
}

#[tauri::command]
pub async fn get_document(state: State<'_, AppState>, id: String) -> Result<Document> {
    let id = self::id(&id, Some(RecordKind::Document))?;
    on_store(&state, move |s| s.get::<Document>(&id)).await
}

/// Asks for a file in the system's dialog and attaches it to the record `id`: `None` when
/// the user cancels. A file over the limit is refused from its size, before it is read.
#[tauri::command]
pub async fn attach_document(
    state: State<'_, AppState>,
    id: String,
    dialog_title: String,
) -> Result<Option<Document>> {
    let id = self::id(&id, None)?;
    let title = self::dialog_title(&dialog_title)?;
    let Some(path) = state.dialogs().open(&title, ANY_FILE).await else {
        return Ok(None);
    };
    let name = file_name(&path);
    // Read before the store is asked (a file on a slow drive holds nothing up; an error of the
    // user's file is not the store's), refused from its size when over the limit.
    let too_big = Violation::new("file", Code::FileTooLarge).with("max", MAX_DOCUMENT_BYTES);
    let bytes = off_main(&state, move |_| read_within(&path, MAX_DOCUMENT_BYTES, too_big)).await?;
    let attached =
        save(&state, "attach document", move |s| s.attach_document(&id, &name, &bytes), |d| &d.id).await?;
    Ok(Some(attached))
}

/// Renames a document or changes its note.
#[tauri::command]
pub async fn save_document(state: State<'_, AppState>, record: Document) -> Result<Document> {
    save(&state, "save document", |s| s.save_document(record), |r| &r.id).await
}

#[tauri::command]
pub async fn delete_document(state: State<'_, AppState>, id: String, revision: u64) -> Result<DeleteReport> {
    delete(&state, &id, RecordKind::Document, move |s, id| s.delete_document(id, revision)).await
}

/// What opening a document did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    /// The system had no program for it (the copy is there all the same, until the app exits).
    pub open_failed: bool,
}

/// Opens the document `id` in the system's program for it: its bytes, checked, are written
/// in the clear to `<data>/.viewing/<id>/<its name>` (only the user can read it) and handed
/// to the system; logged in the audit log.
#[tauri::command]
pub async fn open_document(state: State<'_, AppState>, id: String) -> Result<Opened> {
    let id = self::id(&id, Some(RecordKind::Document))?;
    off_main(&state, move |state| {
        let (document, bytes) = state.with_store(|s| s.document_file(&id))?;
        let path = viewing_path(state.data_dir(), &document);
        write_private(&path, &bytes).map_err(|e| IpcError::from(vinculo_core::Error::from(e)))?;
        state.audit(AuditEvent::DocumentOpened, Event { record: Some(id.clone()), ..Event::default() });
        let open_failed = !hand_to_viewer(&path);
        log::info!(
            "document {id} opened ({} bytes){}",
            bytes.len(),
            if open_failed { ", no viewer" } else { "" }
        );
        Ok(Opened { open_failed })
    })
    .await
}

/// Where the copy of `document` is written: a folder per document, so two of the same name do
/// not meet, and the name as the user knows it, so the viewer shows it and knows its type.
fn viewing_path(data_dir: &Path, document: &Document) -> PathBuf {
    data_dir.join(VIEWING_DIR).join(document.id.as_str()).join(safe_name(&document.name))
}

/// A document's name as a file name: no folders, no control characters, not hidden, at most
/// 200 bytes (what every file system takes) with its extension kept, and not a name Windows
/// keeps for devices (`CON`, `COM1`…).
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().count() <= 10 => (stem, Some(ext)),
        _ => (cleaned, None),
    };
    let room = 200 - extension.map_or(0, |e| e.len() + 1);
    let mut stem: String =
        stem.char_indices().take_while(|(at, c)| at + c.len_utf8() <= room).map(|(_, c)| c).collect();
    if stem.trim().is_empty() {
        stem = "documento".to_owned();
    }
    let device = stem.split('.').next().unwrap_or_default().trim().to_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        stem.insert(0, '_');
    }
    match extension {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

/// Writes `bytes` to `path` readable by the user only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(path);
    std::fs::create_dir_all(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        if let Some(root) = dir.parent() {
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    options.open(path)?.write_all(bytes)
}

/// Deletes the copy of the document `id` opened in another program, if any: a document
/// deleted leaves nothing of it in the clear.
pub fn forget_copy(data_dir: &Path, id: &Id) {
    let dir = data_dir.join(VIEWING_DIR).join(id.as_str());
    if let Err(e) = std::fs::remove_dir_all(&dir)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        log::error!("the copy of {id} opened for viewing could not be deleted: {}", e.kind());
    }
}

/// Deletes the copies opened in other programs (a program that still shows one keeps its
/// own handle to it).
pub fn clear_viewing(data_dir: &Path) {
    let dir = data_dir.join(VIEWING_DIR);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => log::info!("copies of documents opened for viewing deleted"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            log::error!("the copies of documents opened for viewing could not be deleted: {}", e.kind())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn a_name_becomes_a_file_name_that_stays_in_its_folder() {
        assert_eq!(safe_name("Convenio firmado.pdf"), "Convenio firmado.pdf");
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name(".bashrc"), "bashrc");
        assert_eq!(safe_name("  "), "documento");
        assert_eq!(safe_name("a\u{0}b\nc.pdf"), "a_b_c.pdf");
        let long = format!("{}.pdf", "x".repeat(300));
        assert_eq!(safe_name(&long), format!("{}.pdf", "x".repeat(196)));
        let wide = format!("{}.pdf", "語".repeat(100));
        assert_eq!(
            safe_name(&wide),
            format!("{}.pdf", "語".repeat(65)),
            "200 bytes at most, whole characters"
        );
        assert_eq!(safe_name("con.pdf"), "_con.pdf");
        assert_eq!(safe_name("COM1.txt"), "_COM1.txt");
        assert_eq!(safe_name("Comité.pdf"), "Comité.pdf");
    }
}
