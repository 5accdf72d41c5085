//! The Vínculo desktop shell: opens the store in `setup()`, manages it, and exposes the core
//! through one short command each. The only crate that knows Tauri or IPC JSON.

// IPC errors carry the whole contract (violations, the current record of a conflict); they are
// returned once per command, so their size does not matter.
#![allow(clippy::result_large_err)]

mod backups;
mod commands;
mod documents;
pub mod error;
mod files;
mod logging;
mod security;
mod sharing;
pub mod state;
mod tables;

use state::{AppState, Dialogs};
use std::path::PathBuf;
use tauri::{Manager, Runtime};
use vinculo_core::backup::BackupKind;

pub use commands::COMMANDS;

/// Environment variable that points the app at another data directory (tests use a fresh one
/// per run). Unset, the platform's app data directory is used.
pub const DATA_DIR_ENV: &str = "VINCULO_DATA_DIR";

/// Registers the commands and what opens the store: under `data_dir` right away when given (the
/// mock-runtime tests), else in `setup()` under `VINCULO_DATA_DIR` or the platform's app data
/// directory (the real app).
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, data_dir: Option<PathBuf>) -> tauri::Builder<R> {
    let builder = match data_dir {
        // Tests: exports land in the data directory's `exports/`, without a dialog.
        Some(dir) => builder.manage(start(&dir, Dialogs::Into(dir.join("exports")))),
        // Opened in setup, after the plugins: a second launch hands over and exits before it
        // touches the store or the log.
        None => builder.on_page_load(show_when_loaded).setup(|app| {
            let dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            app.manage(start(&dir, Dialogs::Native));
            // Should the page never load, the window shows anyway (saying what it can).
            let window = app.get_webview_window("main");
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_secs(5));
                if let Some(window) = window {
                    let _ = window.show();
                }
            });
            // The day's backup, away from the window's start, and again each hour for a
            // laptop that stays open past midnight.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                // Not before the first screen is drawn: on two cores, a backup of a big store
                // would slow the start down.
                handle.state::<AppState>().wait_until_shown(std::time::Duration::from_secs(30));
                loop {
                    backups::if_due(&handle.state::<AppState>(), BackupKind::Daily);
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
            });
            // The office's shared folder, gone over every few seconds.
            let state = app.state::<AppState>().inner().clone();
            std::thread::spawn(move || sharing::watch(state));
            Ok(())
        }),
    };
    builder.invoke_handler(tauri::generate_handler![
        commands::store_status,
        commands::retry_store,
        commands::shown,
        commands::app_info,
        commands::get_settings,
        commands::save_settings,
        commands::home,
        commands::list_page,
        commands::list_ids,
        commands::names,
        commands::search,
        commands::references,
        commands::links,
        commands::organization_overview,
        commands::source_commitments,
        commands::get_organization,
        commands::get_contact,
        commands::get_meeting,
        commands::get_agreement,
        commands::get_commitment,
        commands::get_activity,
        commands::participations,
        commands::agreement_activities,
        commands::strategy_report,
        commands::save_organization,
        commands::save_contact,
        commands::save_meeting,
        commands::save_agreement,
        commands::save_commitment,
        commands::save_activity,
        commands::delete_organization,
        commands::delete_contact,
        commands::delete_meeting,
        commands::delete_agreement,
        commands::delete_commitment,
        commands::delete_activity,
        commands::load_sample,
        commands::remove_sample,
        commands::open_external,
        commands::export_briefing,
        commands::font_licenses,
        backups::backups,
        backups::backup_now,
        backups::restore_backup,
        backups::restore_set_aside,
        backups::start_fresh,
        backups::export_all,
        backups::import_open,
        backups::import_apply,
        backups::import_cancel,
        backups::import_passphrase,
        tables::table_open,
        tables::table_offer,
        tables::table_plan,
        tables::table_import,
        security::set_passphrase,
        security::unlock,
        security::lock,
        security::change_passphrase,
        commands::audit_log,
        commands::erase_contact,
        commands::titular_report,
        files::export_vcards,
        files::export_meeting_calendar,
        files::export_calendar,
        files::export_transparency,
        files::export_report,
        files::invitation_open,
        files::invitation_import,
        documents::documents,
        documents::get_document,
        documents::attach_document,
        documents::save_document,
        documents::delete_document,
        documents::open_document,
        sharing::office_status,
        sharing::office_changes,
        sharing::create_office,
        sharing::join_office,
        sharing::invite_laptop,
        sharing::remove_laptop,
        sharing::sync_now,
        sharing::record_sharing,
        sharing::settle_conflict,
        sharing::keep_record,
    ])
}

/// Starts logging and opens the store under `dir`.
fn start(dir: &std::path::Path, dialogs: Dialogs) -> AppState {
    logging::init(&dir.join("logs"));
    log::info!("Vínculo {} starting", env!("CARGO_PKG_VERSION"));
    AppState::open(dir, dialogs)
}

/// The window opens hidden (`tauri.conf.json`) and shows once its page has loaded: shown
/// earlier, WebKit waits up to half a second for a web process still starting to paint it
/// (measured: the first screen drawn 0.94 s after start at 10,000 contacts, 0.44 s so).
fn show_when_loaded<R: Runtime>(webview: &tauri::Webview<R>, load: &tauri::webview::PageLoadPayload<'_>) {
    if matches!(load.event(), tauri::webview::PageLoadEvent::Finished) {
        let _ = webview.window().show();
    }
}

/// Keeps the window on the app's own pages: any other navigation (a link that escaped the UI's
/// handler, a redirect) is refused. Links from the records go to the system through
/// `open_external` instead.
fn navigation_guard<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let own = url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost");
            if !own {
                log::warn!("navigation to a {}: address refused", url.scheme());
            }
            own
        })
        .build()
}

/// Runs the app. A second launch hands over to the first (its window comes to the front) and
/// exits; should that hand-over fail, the store's lock still stops it and the window says so.
pub fn run() {
    state::mark_start();
    let app = builder(
        tauri::Builder::default().plugin(navigation_guard()).plugin(tauri_plugin_single_instance::init(
            |app, _argv, _cwd| {
                log::info!("second launch: focusing the first window");
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.unminimize();
                    let _ = window.show();
                    let _ = window.set_focus();
                }
            },
        )),
        None,
    )
    .build(tauri::generate_context!())
    .expect("the app's configuration is valid");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event
            && let Some(state) = handle.try_state::<AppState>()
        {
            backups::if_due(&state, BackupKind::Quit);
            state.close();
            log::info!("store closed, exiting");
        }
    });
}
