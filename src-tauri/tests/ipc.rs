//! The shell through real IPC on the mock runtime: commands, their JSON shapes, the error
//! contract, the capability that grants them, and the security settings of the webview.

use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;

struct App {
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
    dir: tempfile::TempDir,
}

/// The passphrase the tests' stores are protected with.
const PASSPHRASE: &str = "la frase de las pruebas";

/// The app on the data directory `dir`, as it starts: nothing unlocked yet.
fn app_raw(dir: tempfile::TempDir) -> App {
    let app = vinculo_lib::builder(mock_builder(), Some(dir.path().to_owned()))
        .build(tauri::generate_context!())
        .expect("app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    App { _app: app, webview, dir }
}

/// The app on `dir`, past its first screen as a user gets past it: a passphrase set on the
/// first start, the store unlocked on later ones.
fn app_in(dir: tempfile::TempDir) -> App {
    let app = app_raw(dir);
    match app.ok("store_status", json!({}))["error"]["code"].as_str() {
        Some("storeNotSetUp") => {
            app.ok("set_passphrase", json!({"passphrase": PASSPHRASE, "confirmation": PASSPHRASE}));
        }
        Some("storeEncrypted") => {
            app.ok("unlock", json!({"passphrase": PASSPHRASE}));
        }
        _ => {}
    }
    app
}

fn app() -> App {
    app_in(tempfile::tempdir().expect("tmp"))
}

impl App {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| body.deserialize::<Value>().expect("json"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, got {v}"),
            Err(e) => e,
        }
    }
}

#[test]
fn a_record_goes_in_and_comes_back_through_ipc() {
    let app = app();
    let saved = app.ok(
        "save_organization",
        json!({"record": {"nameEs": "Fundación Konrad Adenauer", "acronymEs": "KAS", "kind": "foundation"}}),
    );
    assert_eq!(saved["revision"], 1);
    let id = saved["id"].as_str().expect("id").to_owned();
    assert!(id.starts_with("org_"));
    let loaded = app.ok("get_organization", json!({"id": id}));
    assert_eq!(loaded, saved);
    let list = app.ok("list_page", json!({"query": {"kind": "organization", "limit": 500}}));
    assert_eq!(list["kind"], "organization");
    assert_eq!(list["items"][0]["acronym"], "KAS");
    let hits = app.ok("search", json!({"query": "konrad"}));
    assert_eq!(hits["hits"][0]["id"], id);
    assert_eq!(hits["hits"][0]["matchedField"], "nameEs");
}

#[test]
fn validation_errors_cross_as_kind_code_field_params() {
    let app = app();
    let e = app.err(
        "save_contact",
        json!({"record": {"fullName": "Ana", "emails": [{"label": "Oficina", "value": "ana(at)x"}]}}),
    );
    assert_eq!(e["kind"], "invalid");
    assert_eq!(e["code"], "invalidEmail");
    assert_eq!(e["field"], "emails[0].value");
    assert_eq!(e["violations"][0]["field"], "emails[0].value");
    let e = app.err("save_contact", json!({"record": {"fullName": "x".repeat(5000)}}));
    assert_eq!(
        (e["code"].clone(), e["params"].clone()),
        (json!("tooLong"), json!({"max": 300, "unit": "chars"}))
    );
    let e = app.err("get_contact", json!({"id": "Ana López"}));
    assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("invalid"), json!("id")));
}

#[test]
fn a_list_crosses_one_window_at_a_time_and_a_bad_query_is_refused_at_its_field() {
    let app = app();
    app.ok("load_sample", json!({}));
    let all = app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}}));
    let total = all["total"].as_u64().expect("total");
    assert!(total > 3, "{all}");
    let window = app.ok("list_page", json!({"query": {"kind": "contact", "offset": 1, "limit": 2}}));
    assert_eq!((window["total"].as_u64(), window["offset"].as_u64()), (Some(total), Some(1)));
    assert_eq!(window["items"], json!([all["items"][1], all["items"][2]]));
    let unw = app.ok("search", json!({"query": "UN Women", "limit": 1}))["hits"][0]["id"].clone();
    let filtered = app.ok(
        "list_page",
        json!({"query": {"kind": "contact", "filters": {"organizationId": unw}, "sort": "updated", "limit": 10}}),
    );
    assert_eq!(filtered["total"], 2, "{filtered}");
    let ids = app.ok("list_ids", json!({"query": {"kind": "contact", "text": "onu mujeres", "limit": 1}}));
    assert_eq!(ids.as_array().map(Vec::len), Some(2), "every row's id, not the window's");
    let names = app.ok("names", json!({"ids": [unw]}));
    assert_eq!(
        names[0]["title"],
        "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres"
    );

    let e = app.err("list_page", json!({"query": {"kind": "contact", "limit": 501, "sort": "due"}}));
    let fields: Vec<&str> =
        e["violations"].as_array().expect("violations").iter().filter_map(|v| v["field"].as_str()).collect();
    assert_eq!(fields, ["limit", "sort"]);
    let e = app
        .err("list_page", json!({"query": {"kind": "agreement", "filters": {"status": "lost"}, "limit": 5}}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("invalidChoice"), json!("filters.status")));
    assert!(e["params"]["allowed"].as_array().is_some_and(|a| a.contains(&json!("inForce"))), "{e}");
    let e = app.err("list_page", json!({"query": {"kind": "contact", "limit": 5, "everything": true}}));
    assert!(e.as_str().is_some_and(|text| text.contains("unknown field `everything`")), "{e}");
    let e = app.err("names", json!({"ids": ["not an id"]}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("invalidId"), json!("id")));
}

#[test]
fn a_stale_save_is_a_conflict_with_the_current_record() {
    let app = app();
    let first = app.ok("save_organization", json!({"record": {"nameEs": "PNUD"}}));
    let mut newer = first.clone();
    newer["notes"] = json!("cambio");
    app.ok("save_organization", json!({"record": newer}));
    let e = app.err("save_organization", json!({"record": first}));
    assert_eq!(e["kind"], "conflict");
    assert_eq!(e["current"]["record"]["notes"], "cambio");
    assert_eq!(e["current"]["record"]["revision"], 2);
}

#[test]
fn meetings_with_commitments_home_and_overview() {
    let app = app();
    assert_eq!(app.ok("load_sample", json!({})).as_u64().map(|n| n > 20), Some(true));
    let home = app.ok("home", json!({}));
    assert_eq!(home["overdueCommitments"].as_array().map(Vec::len), Some(1));
    assert_eq!(home["expiringAgreements"].as_array().map(Vec::len), Some(1));
    let overdue = app.ok(
        "list_page",
        json!({"query": {"kind": "commitment", "section": "overdueCommitments", "limit": 500}}),
    );
    assert_eq!(overdue["kind"], "commitment");
    assert_eq!(overdue["items"], home["overdueCommitments"]);
    let unw = app.ok("search", json!({"query": "UN Women", "limit": 1}))["hits"][0]["id"].clone();
    let overview = app.ok("organization_overview", json!({"id": unw}));
    assert_eq!(overview["organization"]["acronymEn"], "UN Women");
    assert_eq!(overview["people"].as_array().map(Vec::len), Some(2));

    let saved = app.ok(
        "save_meeting",
        json!({"record": {"title": "Reunión", "date": "2026-12-01", "organizationIds": [unw]},
               "commitments": [{"description": "Enviar propuesta", "dueOn": "2026-12-10"}],
               "removed": []}),
    );
    assert_eq!(saved["commitments"][0]["source"]["kind"], "meeting");
    let items = app.ok("source_commitments", json!({"id": saved["record"]["id"]}));
    assert_eq!(items[0]["title"], "Enviar propuesta");
    assert_eq!(items[0]["organizations"][0]["title"], "ONU Mujeres");
    let refused =
        app.err("delete_organization", json!({"id": unw, "revision": 1, "policy": {"policy": "refuse"}}));
    assert_eq!(refused["kind"], "referenced");
    assert!(refused["references"].as_array().is_some_and(|r| r.len() > 3));
    let removed = app.ok("remove_sample", json!({}));
    assert!(removed["deleted"].as_array().is_some_and(|d| !d.is_empty()));
}

#[test]
fn settings_are_validated_and_persist() {
    let app = app();
    assert_eq!(app.ok("get_settings", json!({}))["language"], "es");
    let e = app.err(
        "save_settings",
        json!({"settings": {"language": "fr", "paper": "a4", "institution": "IECM", "area": "UTVOE", "openAfterExport": false, "lockAfterMinutes": 5, "userName": "rmartinez", "noteMeetings": 5, "noteAgreements": 20}}),
    );
    assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("invalid"), json!("language")));
    app.ok(
        "save_settings",
        json!({"settings": {"language": "en", "paper": "a4", "institution": "IECM", "area": "UTVOE", "openAfterExport": false, "lockAfterMinutes": 5, "userName": "rmartinez", "noteMeetings": 5, "noteAgreements": 20}}),
    );
    let dir = app.dir;
    drop(app._app);
    let again = app_raw(dir);
    assert_eq!(again.ok("get_settings", json!({}))["language"], "en");
}

#[test]
fn a_store_held_by_another_process_is_a_clear_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("tmp");
    let holder = vinculo_core::Store::open(dir.path()).expect("first opener");
    let app = app_in(dir);
    let status = app.ok("store_status", json!({}));
    assert_eq!(status["ready"], false);
    assert_eq!(status["error"]["code"], "storeLocked");
    let e = app.err("home", json!({}));
    assert_eq!((e["kind"].clone(), e["code"].clone()), (json!("unavailable"), json!("storeLocked")));
    drop(holder);
    app.ok("retry_store", json!({}));
    assert_eq!(app.ok("store_status", json!({}))["ready"], true);
}

#[test]
fn every_command_is_registered_and_granted() {
    let app = app();
    for cmd in vinculo_lib::COMMANDS {
        // Called without arguments: a command that needs some fails on them, never on
        // being unknown or not allowed.
        if let Err(e) = app.call(cmd, json!({})) {
            // Either the contract's error or Tauri's complaint about the missing arguments.
            let text = e.to_string();
            assert!(e.get("kind").is_some() || text.contains("missing required key"), "{cmd}: {text}");
        }
    }
    assert!(app.call("no_such_command", json!({})).is_err());
}

/// Tauri runs a command that is not `async` on the main thread, which draws the window: such
/// a command must not touch the store or the disk. (The end-to-end test
/// `the_window_answers_while_a_long_command_runs` shows the window free meanwhile.)
#[test]
fn only_commands_that_read_memory_run_on_the_main_thread() {
    const ON_MAIN_THREAD: [&str; 5] =
        ["app_info", "get_settings", "font_licenses", "import_cancel", "office_changes"];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen = Vec::new();
    for file in
        ["commands.rs", "backups.rs", "security.rs", "tables.rs", "files.rs", "documents.rs", "sharing.rs"]
    {
        let text = std::fs::read_to_string(dir.join(file)).expect("read");
        assert!(!text.contains("#[tauri::command(async)]"), "{file}: say `async fn` and use off_main");
        for (at, attribute) in text.match_indices("#[tauri::command]\n") {
            let rest = &text[at + attribute.len()..];
            let signature = rest.lines().find(|l| l.starts_with("pub ")).expect("a command's signature");
            let name = signature.split(['(', '<']).next().and_then(|s| s.split_whitespace().last());
            let name = name.expect("a command's name").to_owned();
            let is_async = signature.starts_with("pub async fn");
            assert_eq!(is_async, !ON_MAIN_THREAD.contains(&name.as_str()), "{file}: {signature}");
            seen.push(name);
        }
    }
    seen.sort();
    let mut all: Vec<String> = vinculo_lib::COMMANDS.iter().map(|c| (*c).to_owned()).collect();
    all.sort();
    assert_eq!(seen, all, "every command was looked at");
}

#[test]
fn the_capabilities_grant_exactly_the_app_commands_to_the_main_window() {
    // The allowlist: the app's own commands, nothing from Tauri's core or any plugin.
    let mut allowed: Vec<String> =
        vinculo_lib::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    allowed.sort();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("capabilities dir") {
        let path = entry.expect("entry").path();
        let cap: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read"))
            .unwrap_or_else(|e| panic!("{}: capabilities are JSON here: {e}", path.display()));
        let mut granted: Vec<String> = cap["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| {
                p.as_str().unwrap_or_else(|| panic!("{}: a scoped permission {p}", path.display())).to_owned()
            })
            .collect();
        granted.sort();
        assert_eq!(granted, allowed, "{}", path.display());
        assert_eq!(cap["windows"], json!(["main"]), "{}", path.display());
        assert!(
            cap.get("webviews").is_none() && cap.get("remote").is_none(),
            "{}: no remote pages",
            path.display()
        );
        files += 1;
    }
    assert_eq!(files, 1, "one capability file");
}

#[test]
fn the_content_security_policy_is_strict() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).expect("json");
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP string");
    let directives: std::collections::BTreeMap<&str, Vec<&str>> = csp
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            Some((words.next()?, words.collect()))
        })
        .collect();
    assert_eq!(directives["default-src"], ["'self'"]);
    assert_eq!(directives["script-src"], ["'self'"]);
    assert_eq!(directives["style-src"], ["'self'"]);
    assert_eq!(directives["connect-src"], ["ipc:", "http://ipc.localhost"]);
    assert_eq!(directives["object-src"], ["'none'"]);
    assert_eq!(directives["frame-ancestors"], ["'none'"]);
    // No inline or eval'd code, and nothing from anywhere but the app itself and IPC.
    for (name, sources) in &directives {
        for source in sources {
            assert!(
                ["'self'", "'none'", "data:", "ipc:", "http://ipc.localhost"].contains(source),
                "{name} allows {source}"
            );
        }
        assert!(!sources.contains(&"data:") || *name == "img-src", "{name} allows data:");
    }
    for key in ["dangerousDisableAssetCspModification", "devCsp", "dangerousRemoteDomainIpcAccess"] {
        assert_eq!(conf["app"]["security"][key], Value::Null, "{key}");
    }
    assert_eq!(conf["build"]["devUrl"], Value::Null, "the app is its own files, never a server");
}

#[test]
fn the_ui_never_puts_markup_from_strings_into_the_page() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    let mut stack = vec![ui];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("ui dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "js" || e == "html") {
                let text = std::fs::read_to_string(&path).expect("read");
                for banned in [
                    "innerHTML",
                    "outerHTML",
                    "insertAdjacentHTML",
                    "document.write",
                    "eval(",
                    "new Function",
                ] {
                    assert!(!text.contains(banned), "{} uses {banned}", path.display());
                }
                if path.extension().is_some_and(|e| e == "html") {
                    assert!(
                        !text.contains("<script>") && !text.contains(" style="),
                        "{}: inline script or style",
                        path.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 5, "the UI files were found");
}

/// Values a well-behaved UI never sends where each argument goes: wrong JSON types, numbers
/// out of every range, a megabyte of text, prototype-pollution bait.
fn hostile_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(18_446_744_073_709_551_615u64),
        json!([]),
        json!([null]),
        json!({}),
        json!({"__proto__": {"polluted": true}}),
        json!("x".repeat(1 << 20)),
    ]
}

/// Everything the commands can show of the store and the settings, to prove nothing moved.
fn snapshot(app: &App) -> Value {
    let mut all = serde_json::Map::new();
    for kind in ["organization", "contact", "meeting", "agreement", "commitment"] {
        all.insert(
            kind.into(),
            app.ok("list_page", json!({"query": {"kind": kind, "limit": 500}}))["items"].clone(),
        );
    }
    all.insert("settings".into(), app.ok("get_settings", json!({})));
    Value::Object(all)
}

/// An error the UI can show: the contract's `{kind, code}` with a kind it knows, or Tauri's own
/// complaint about arguments that do not deserialize, which `ui/api.js` turns into `badInput`.
fn assert_showable(what: &str, e: &Value) {
    if let Some(kind) = e["kind"].as_str() {
        assert!(
            ["invalid", "notFound", "conflict", "referenced", "unavailable", "storage", "system"]
                .contains(&kind),
            "{what}: kind {kind}"
        );
        assert!(e["code"].as_str().is_some_and(|c| !c.is_empty()), "{what}: no code in {e}");
    } else {
        let text = e.as_str().unwrap_or_default();
        let tauri_args = [
            "invalid args",
            "invalid type",
            "missing field",
            "missing required key",
            "unknown variant",
            "invalid channel value",
        ];
        assert!(tauri_args.iter().any(|p| text.contains(p)), "{what}: {}", &text[..text.len().min(300)]);
    }
}

#[test]
fn hostile_arguments_get_errors_and_change_nothing() {
    let app = app();
    app.ok("load_sample", json!({}));
    app.ok(
        "save_settings",
        json!({"settings": {"language": "en", "paper": "a4", "institution": "IECM", "area": "UTVOE", "openAfterExport": true, "lockAfterMinutes": 15, "userName": "rmartinez", "noteMeetings": 5, "noteAgreements": 20}}),
    );
    let first = |kind: &str| {
        app.ok("list_page", json!({"query": {"kind": kind, "limit": 500}}))["items"][0]["id"].clone()
    };
    let (org, person, meeting, agreement, commitment) =
        (first("organization"), first("contact"), first("meeting"), first("agreement"), first("commitment"));
    let activity = first("activity");
    // A stored record whose revision is off: no change can go through with it.
    let stale = |getter: &str, id: &Value| {
        let mut full = app.ok(getter, json!({"id": id}));
        let pointer = if full.get("record").is_some() { "/record/revision" } else { "/revision" };
        let revision = full.pointer(pointer).and_then(Value::as_u64).expect("revision");
        *full.pointer_mut(pointer).expect("revision") = json!(revision + 7);
        full
    };
    let stale_meeting = stale("get_meeting", &meeting);
    let stale_agreement = stale("get_agreement", &agreement);
    let stale_activity = stale("get_activity", &activity);
    // A document, attached from the file the test's dialog offers.
    let exports = app.dir.path().join("exports");
    std::fs::create_dir_all(&exports).expect("a folder");
    std::fs::write(exports.join("import.pdf"), b"%PDF-1.4 minuta").expect("a file");
    let document = app.ok("attach_document", json!({"id": agreement, "dialogTitle": "x"}))["id"].clone();
    let revision_of = |getter: &str, id: &Value| app.ok(getter, json!({"id": id}))["revision"].clone();
    // The store shares with an office (in `exports/office/`): a second one is refused.
    app.ok("create_office", json!({"name": "Laptop de prueba", "dialogTitle": "x"}));
    let templates: Vec<(&str, Value)> = vec![
        ("create_office", json!({"name": "Otra laptop", "dialogTitle": "x"})),
        (
            "join_office",
            json!({"code": "0000-0000-0000-0000-0000-0000-0000-0000", "name": "Otra laptop", "dialogTitle": "x"}),
        ),
        ("remove_laptop", json!({"laptop": "0123456789abcdef"})),
        ("record_sharing", json!({"id": org})),
        ("settle_conflict", json!({"id": org, "revision": 99, "field": "nameEs", "revert": null})),
        ("keep_record", json!({"id": org})),
        ("save_settings", json!({"settings": app.ok("get_settings", json!({}))})),
        (
            "list_page",
            json!({"query": {"kind": "meeting", "text": "onu", "filters": {"modality": "virtual"}, "sort": "title", "offset": 0, "limit": 50}}),
        ),
        (
            "list_page",
            json!({"query": {"kind": "commitment", "section": "overdueCommitments", "limit": 500}}),
        ),
        ("list_ids", json!({"query": {"kind": "contact", "filters": {"organizationId": org}}})),
        ("names", json!({"ids": [org, person, meeting]})),
        ("search", json!({"query": "onu", "limit": 5})),
        ("references", json!({"id": org})),
        ("links", json!({"id": meeting})),
        ("organization_overview", json!({"id": org})),
        ("source_commitments", json!({"id": meeting})),
        ("get_organization", json!({"id": org})),
        ("get_contact", json!({"id": person})),
        ("get_meeting", json!({"id": meeting})),
        ("get_agreement", json!({"id": agreement})),
        ("get_commitment", json!({"id": commitment})),
        ("get_activity", json!({"id": activity})),
        ("participations", json!({"id": person})),
        // A person carries out no instrument.
        ("agreement_activities", json!({"id": person})),
        ("strategy_report", json!({"period": {"from": "2026-01-01", "until": "2031-12-31"}})),
        ("documents", json!({"id": agreement})),
        ("get_document", json!({"id": document})),
        // A document takes no documents: whatever the dialog's title, nothing is attached.
        ("attach_document", json!({"id": document, "dialogTitle": "x"})),
        ("save_document", json!({"record": stale("get_document", &document)})),
        ("delete_document", json!({"id": document, "revision": 99})),
        ("open_document", json!({"id": document})),
        ("save_organization", json!({"record": stale("get_organization", &org)})),
        ("save_contact", json!({"record": stale("get_contact", &person)})),
        ("save_commitment", json!({"record": stale("get_commitment", &commitment)})),
        (
            "save_meeting",
            json!({"record": stale_meeting["record"], "commitments": stale_meeting["commitments"], "removed": []}),
        ),
        (
            "save_agreement",
            json!({"record": stale_agreement["record"], "commitments": stale_agreement["commitments"], "removed": []}),
        ),
        (
            "save_activity",
            json!({"record": stale_activity["record"], "commitments": stale_activity["commitments"], "removed": []}),
        ),
        (
            "delete_organization",
            json!({"id": org, "revision": revision_of("get_organization", &org), "policy": {"policy": "refuse"}}),
        ),
        ("delete_contact", json!({"id": person, "revision": 99})),
        ("delete_meeting", json!({"id": meeting, "revision": 99})),
        ("delete_agreement", json!({"id": agreement, "revision": 99})),
        ("delete_commitment", json!({"id": commitment, "revision": 99})),
        ("delete_activity", json!({"id": activity, "revision": 99})),
        // Erasing for good goes through the delete first: a stale revision stops it there.
        ("erase_contact", json!({"id": person, "revision": 99})),
        // An agreement is not a person: no informe del titular.
        ("titular_report", json!({"id": agreement, "dialogTitle": "x"})),
        ("open_external", json!({"url": "javascript:alert(1)"})),
        // An agreement is neither a meeting nor an organization: no note, nothing written.
        ("export_briefing", json!({"id": agreement, "dialogTitle": "x"})),
        ("restore_backup", json!({"name": "vinculo-20261125T000000Z-manual-1-1.json.gz"})),
        ("restore_set_aside", json!({"name": "20261125T000000Z"})),
        (
            "export_all",
            json!({"dialogTitle": "x", "passphrase": "una frase larga", "confirmation": "otra frase"}),
        ),
        ("import_passphrase", json!({"passphrase": "una frase larga"})),
        ("import_open", json!({"dialogTitle": "x"})),
        // No spreadsheet was read: nothing to map, plan or import.
        ("table_open", json!({"dialogTitle": "x", "vcard": false})),
        ("table_offer", json!({"sheet": 0, "target": "agreement", "headers": true, "start": 1})),
        (
            "table_plan",
            json!({"request": {"sheet": 0, "target": "agreement", "headers": true, "mapping": ["title"]}}),
        ),
        (
            "table_import",
            json!({"request": {"sheet": 0, "target": "agreement", "headers": true, "mapping": ["title"]}, "onProgress": "__CHANNEL__:1"}),
        ),
        (
            "import_apply",
            json!({"choices": {"merge": [], "takeIncoming": []}, "onProgress": "__CHANNEL__:1"}),
        ),
        // An agreement is not a person, nor a meeting; a period that ends before it starts; a
        // year the format does not report; no invitation file there to read.
        ("export_vcards", json!({"ids": [agreement], "version": "4.0", "dialogTitle": "x"})),
        ("export_meeting_calendar", json!({"id": agreement, "dialogTitle": "x"})),
        (
            "export_calendar",
            json!({"request": {"from": "2026-12-31", "until": "2026-01-01", "meetings": true, "commitments": true, "agreements": true}, "dialogTitle": "x"}),
        ),
        (
            "export_transparency",
            json!({"request": {"year": 1999, "quarter": 2}, "format": "xlsx", "dialogTitle": "x"}),
        ),
        ("invitation_open", json!({"dialogTitle": "x"})),
        // A period that ends before it starts.
        (
            "export_report",
            json!({"period": {"from": "2026-12-31", "until": "2026-01-01"}, "format": "pdf", "dialogTitle": "x"}),
        ),
        // The store is encrypted and open: no second passphrase, no unlocking it again, and a
        // change of passphrase only with the current one.
        (
            "set_passphrase",
            json!({"passphrase": "una frase bastante larga", "confirmation": "otra frase larga"}),
        ),
        (
            "unlock",
            json!({"passphrase": PASSPHRASE, "recoveryKey": "0000-0000-0000-0000-0000-0000-0000-0000"}),
        ),
        (
            "change_passphrase",
            json!({"current": "no es la frase", "newPassphrase": "una frase nueva y larga", "confirmation": "una frase nueva y larga"}),
        ),
    ];
    let with_args: Vec<&str> = templates.iter().map(|(c, _)| *c).collect();
    let without: Vec<&&str> = vinculo_lib::COMMANDS.iter().filter(|c| !with_args.contains(c)).collect();
    assert_eq!(
        without,
        [
            &"store_status",
            &"retry_store",
            &"shown",
            &"app_info",
            &"get_settings",
            &"home",
            &"load_sample",
            &"remove_sample",
            &"font_licenses",
            &"backups",
            &"backup_now",
            &"start_fresh",
            &"import_cancel",
            &"lock",
            // Every part of its filter may be left out: attacked in its own test.
            &"audit_log",
            &"invitation_import",
            &"office_status",
            &"office_changes",
            &"invite_laptop",
            &"sync_now",
        ],
        "every command that takes arguments is attacked here"
    );

    // Per argument, what else it must refuse besides the hostile values.
    let bad_id =
        [json!(""), json!("org_x"), json!("../../etc/passwd"), json!("per_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f")];
    let extra = |key: &str| -> Vec<Value> {
        match key {
            "id" => bad_id.to_vec(),
            "name" => vec![json!("../store/db"), json!("/etc/passwd"), json!(""), json!("vinculo-x.json.gz")],
            "kind" => vec![json!("nope"), json!("Organization")],
            "url" => vec![
                json!("file:///etc/passwd"),
                json!("tauri://localhost/index.html"),
                json!("data:text/html,x"),
            ],
            "query" => vec![json!("onu ".repeat(200))],
            "limit" => vec![json!(0), json!(51), json!(4_294_967_296u64)],
            "policy" => vec![
                json!({"policy": "nuke"}),
                json!({"policy": "reassign"}),
                json!({"policy": "reassign", "to": "org_x"}),
                json!({"policy": "reassign", "to": org}),
                json!({"policy": "reassign", "to": person}),
            ],
            _ => vec![],
        }
    };
    let before = snapshot(&app);
    let mut calls = 0;
    let mut check = |cmd: &str, args: Value, what: String| {
        calls += 1;
        match app.call(cmd, args) {
            Ok(v) => panic!("{what}: accepted, answered {}", &v.to_string()[..v.to_string().len().min(200)]),
            Err(e) => assert_showable(&what, &e),
        }
    };
    for (cmd, template) in &templates {
        let object = template.as_object().expect("args object");
        for (key, value) in object {
            // Optional arguments may be left out; everything else is required.
            if !((*cmd == "search" && key == "limit") || (*cmd == "table_offer" && key == "start")) {
                let mut args = object.clone();
                args.remove(key);
                check(cmd, Value::Object(args), format!("{cmd} without {key}"));
            }
            for bad in hostile_values().into_iter().chain(extra(key)) {
                if ((*cmd == "search" && key == "limit") || (*cmd == "table_offer" && key == "start"))
                    && bad.is_null()
                {
                    continue;
                }
                let mut args = object.clone();
                args.insert(key.clone(), bad.clone());
                check(cmd, Value::Object(args), format!("{cmd} with {key} = {}", short(&bad)));
            }
            // Inside a record or the settings: every field, every hostile value.
            if let Value::Object(fields) = value {
                for field in fields.keys() {
                    // (A value equal to the field's own, `true` for a flag that is on, is no attack;
                    // nor is a list's query without a section or an order, or with no filters.)
                    let list = cmd.starts_with("list_");
                    let harmless = |bad: &Value| {
                        Some(bad) == fields.get(field)
                            || (list && ["section", "sort"].contains(&field.as_str()) && bad.is_null())
                            || (list && field == "filters" && bad == &json!({}))
                    };
                    for bad in hostile_values().into_iter().filter(|bad| !harmless(bad)) {
                        let mut inner = fields.clone();
                        inner.insert(field.clone(), bad.clone());
                        let mut args = object.clone();
                        args.insert(key.clone(), Value::Object(inner));
                        check(
                            cmd,
                            Value::Object(args),
                            format!("{cmd} with {key}.{field} = {}", short(&bad)),
                        );
                    }
                }
            }
        }
    }
    assert!(calls > 1000, "{calls} calls");
    eprintln!("hostile arguments: {calls} calls, every one refused, store unchanged");
    assert_eq!(snapshot(&app), before, "the store and the settings are as they were");
    let written: Vec<String> = std::fs::read_dir(&exports)
        .expect("the folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "office")
        .collect();
    assert_eq!(written, ["import.pdf"], "no export was written");
    assert!(!app.dir.path().join(".viewing").exists(), "no document was opened");
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 40 { format!("{}…", &s[..40]) } else { s }
}

#[test]
fn a_briefing_note_is_exported_where_the_dialog_says_and_reads_as_a_pdf() {
    let app = app();
    app.ok("load_sample", json!({}));
    // Not opened afterwards: no viewer is launched from a test.
    let mut settings = app.ok("get_settings", json!({}));
    settings["openAfterExport"] = json!(false);
    app.ok("save_settings", json!({"settings": settings}));
    let unw = app.ok("search", json!({"query": "UN Women", "limit": 1}))["hits"][0]["id"].clone();
    let meeting = app.ok("organization_overview", json!({"id": unw}))["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["title"].as_str().is_some_and(|t| t.starts_with("Segunda sesión")))
        .expect("the next meeting")["id"]
        .clone();
    let done = app.ok("export_briefing", json!({"id": meeting, "dialogTitle": "Guardar"}));
    let name = done["fileName"].as_str().expect("a file name");
    assert!(name.ends_with("_ONU-Mujeres_nota-informativa.pdf"), "{name}");
    assert!(done["pages"].as_u64().is_some_and(|p| p >= 2));
    assert_eq!(done["openFailed"], false);
    let path = app.dir.path().join("exports").join(name);
    let bytes = std::fs::read(&path).expect("the note is written");
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() as u64 == done["bytes"].as_u64().expect("bytes"));
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
    // The organization's ficha too; a contact has no note.
    let ficha = app.ok("export_briefing", json!({"id": unw, "dialogTitle": "Guardar"}));
    assert!(ficha["fileName"].as_str().is_some_and(|n| n.ends_with("_ONU-Mujeres_nota-informativa.pdf")));
    let person =
        app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}}))["items"][0]["id"].clone();
    let e = app.err("export_briefing", json!({"id": person, "dialogTitle": "Guardar"}));
    assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("invalid"), json!("id")));
    let fonts = app.ok("font_licenses", json!({}));
    assert_eq!(fonts[0]["name"], "Noto Sans");
    assert!(fonts[0]["text"].as_str().is_some_and(|t| t.contains("SIL OPEN FONT LICENSE")));
}

#[test]
fn everything_goes_out_to_one_file_and_comes_back_in_with_a_plan_first() {
    let app = app();
    app.ok("load_sample", json!({}));
    let total = app.ok("store_status", json!({}))["records"].as_u64().expect("records");
    let out = app.ok("export_all", json!({"dialogTitle": "Exportar"}));
    assert_eq!(out["records"], total);
    let file = app.dir.path().join("exports").join(out["fileName"].as_str().expect("name"));
    let bytes = std::fs::read(&file).expect("written");
    let parsed: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!((parsed["format"].clone(), parsed["version"].clone()), (json!("vinculo-export"), json!(3)));

    // Into another laptop: the file is read, the plan shown, then applied with progress.
    let other = app_in(tempfile::tempdir().expect("tmp"));
    std::fs::create_dir_all(other.dir.path().join("exports")).expect("dir");
    std::fs::copy(&file, other.dir.path().join("exports/import.json")).expect("copy");
    let preview = other.ok("import_open", json!({"dialogTitle": "Importar"}));
    assert_eq!(preview["plan"]["added"], total);
    assert_eq!(other.ok("store_status", json!({}))["records"], 0, "nothing written by the preview");
    let report = other.ok(
        "import_apply",
        json!({"choices": {"merge": [], "takeIncoming": []}, "onProgress": "__CHANNEL__:7"}),
    );
    assert_eq!(report["added"], total);
    assert_eq!(other.ok("store_status", json!({}))["records"], total);
    // Applying again without reading a file first is refused.
    let e = other.err("import_apply", json!({"choices": {}, "onProgress": "__CHANNEL__:7"}));
    assert_eq!(e["kind"], "invalid");

    // A file that is not an export is refused with its reason and nothing changes.
    std::fs::write(other.dir.path().join("exports/import.json"), b"%PDF-1.7 not json").expect("write");
    let e = other.err("import_open", json!({"dialogTitle": "Importar"}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("foreignFile"), json!("file")));
}

#[test]
fn a_spreadsheet_is_read_mapped_planned_and_imported_once() {
    let app = app();
    let exports = app.dir.path().join("exports");
    std::fs::create_dir_all(&exports).expect("dir");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/tables/instrumentos.xlsx");
    std::fs::copy(fixture, exports.join("import.xlsx")).expect("copy");
    let file = app.ok("table_open", json!({"dialogTitle": "Importar hoja de cálculo", "vcard": false}));
    assert_eq!((file["fileName"].clone(), file["format"].clone()), (json!("import.xlsx"), json!("xlsx")));
    assert_eq!(file["sheets"][0]["rows"], 8, "the headers and seven instruments, the title skipped");
    assert_eq!(file["sheets"][0]["target"], "agreement", "a list of instruments is taken for one");
    assert_eq!(file["targets"], json!(["agreement", "organization", "contact"]));
    let offer = app.ok("table_offer", json!({"sheet": 0, "target": "agreement", "headers": true}));
    assert_eq!(offer["mapping"][1], "folio");
    let e = app.err("table_offer", json!({"sheet": 3, "target": "agreement", "headers": true}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("outOfRange"), json!("sheet")));
    let request = json!({"sheet": 0, "target": "agreement", "headers": true, "mapping": offer["mapping"]});
    let plan = app.ok("table_plan", json!({"request": request}));
    assert_eq!(
        (plan["created"].clone(), plan["merged"].clone(), plan["refused"].clone()),
        (json!(3), json!(1), json!(3))
    );
    assert_eq!(app.ok("store_status", json!({}))["records"], 0, "nothing written by the plan");
    // A mapping that names no title is refused at its field.
    let e = app.err(
        "table_plan",
        json!({"request": {"sheet": 0, "target": "agreement", "headers": true, "mapping": [null, "folio"]}}),
    );
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("required"), json!("mapping")));

    let done = app.ok("table_import", json!({"request": request, "onProgress": "__CHANNEL__:7"}));
    assert_eq!(done, plan, "the import did what the plan said");
    assert_eq!(
        app.ok("list_page", json!({"query": {"kind": "agreement", "limit": 500}}))["items"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    assert_eq!(
        app.ok("store_status", json!({}))["records"],
        3 + 3,
        "three instruments and their counterparts"
    );
    let log = app.ok("audit_log", json!({"filter": {"events": ["imported"]}}));
    assert_eq!(log["rows"][0]["detail"], "xlsx", "{log}");
    assert_eq!(log["rows"][0]["count"], 3 + 3, "records written: a merged row's record once");
    // Imported: the file is forgotten, and its columns are remembered for next time.
    let e = app.err("table_import", json!({"request": request, "onProgress": "__CHANNEL__:7"}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("required"), json!("file")));
    let remembered: Value = serde_json::from_slice(
        &std::fs::read(app.dir.path().join("import-columns.json")).expect("remembered"),
    )
    .expect("json");
    assert_eq!(remembered["version"], 1);
    assert_eq!(remembered["columns"]["agreement"]["folio"], "folio");

    // A file that is no spreadsheet is refused with its reason.
    std::fs::write(exports.join("import.xlsx"), b"PK\x03\x04 not a zip").expect("write");
    let e = app.err("table_open", json!({"dialogTitle": "Importar", "vcard": false}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("malformedFile"), json!("file")));
}

#[test]
fn the_office_files_go_out_and_come_back_in() {
    let app = app();
    let exports = app.dir.path().join("exports");
    std::fs::create_dir_all(&exports).expect("dir");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures");
    app.ok("load_sample", json!({}));
    let before = app.ok("store_status", json!({}))["records"].as_u64().expect("records");

    // Contacts from Outlook: one card, a person and her organization made.
    std::fs::copy(format!("{fixtures}/vcard/Outlook v2.vcf"), exports.join("import.vcf")).expect("copy");
    let file = app.ok("table_open", json!({"dialogTitle": "Contactos", "vcard": true}));
    assert_eq!((file["format"].clone(), file["targets"].clone()), (json!("vcard"), json!(["contact"])));
    assert_eq!(file["skipped"], json!([]));
    let offer = app.ok("table_offer", json!({"sheet": 0, "target": "contact", "headers": true}));
    let request = json!({"sheet": 0, "target": "contact", "headers": true, "mapping": offer["mapping"]});
    let done = app.ok("table_import", json!({"request": request, "onProgress": "__CHANNEL__:7"}));
    assert_eq!((done["created"].clone(), done["written"].clone()), (json!(1), json!(2)), "{done}");
    assert!(!app.dir.path().join("import-columns.json").exists(), "a vCard's columns are not remembered");
    let people = app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}}))["items"].clone();
    let max = people.as_array().expect("people").iter().find(|p| p["title"] == "Max Anderer Mustermann sen.");
    let max = max.expect("the card's person")["id"].clone();

    // Out as vCard 3.0, and back in: the same person, nothing written.
    let saved = app.ok("export_vcards", json!({"ids": [max], "version": "3.0", "dialogTitle": "vCard"}));
    assert_eq!(saved["count"], 1);
    let name = saved["fileName"].as_str().expect("name").to_owned();
    assert!(
        name.ends_with(&format!("_{}.vcf", max.as_str().expect("id"))),
        "{name}: the date and the id, no name"
    );
    let card = std::fs::read_to_string(exports.join(&name)).expect("written");
    assert!(
        card.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n") && card.contains("FN:Max Anderer Mustermann sen."),
        "{card}"
    );
    std::fs::copy(exports.join(&name), exports.join("import.vcf")).expect("copy");
    app.ok("table_open", json!({"dialogTitle": "Contactos", "vcard": true}));
    let again = app.ok("table_plan", json!({"request": request}));
    assert_eq!((again["unchanged"].clone(), again["written"].clone()), (json!(1), json!(0)), "{again}");

    // A meeting, a period, the transparency format: files written, each export logged.
    let meeting =
        app.ok("list_page", json!({"query": {"kind": "meeting", "limit": 500}}))["items"][0]["id"].clone();
    let ics = app.ok("export_meeting_calendar", json!({"id": meeting, "dialogTitle": "ics"}));
    let text = std::fs::read_to_string(exports.join(ics["fileName"].as_str().expect("name"))).expect("ics");
    assert!(text.contains(&format!("UID:{}@vinculo.iecm.mx", meeting.as_str().expect("id"))), "{text}");
    let today = vinculo_core::office_today(jiff::Timestamp::now());
    let period = json!({"from": today.to_string(), "until": (today + jiff::ToSpan::days(365)).to_string(), "meetings": true, "commitments": true, "agreements": true});
    let all = app.ok("export_calendar", json!({"request": period, "dialogTitle": "ics"}));
    assert!(all["count"].as_u64().expect("events") >= 3, "the sample's coming meetings and deadlines: {all}");
    for format in ["xlsx", "csv"] {
        let year = today.year();
        let file = app.ok(
            "export_transparency",
            json!({"request": {"year": year, "quarter": null}, "format": format, "dialogTitle": "t"}),
        );
        assert_eq!(file["fileName"], format!("{year}_transparencia-convenios.{format}"));
        assert!(exports.join(format!("{year}_transparencia-convenios.{format}")).exists());
    }
    // The strategy's report for the year, as a PDF and as a workbook (not opened afterwards:
    // no viewer is launched from a test).
    let mut settings = app.ok("get_settings", json!({}));
    settings["openAfterExport"] = json!(false);
    app.ok("save_settings", json!({"settings": settings}));
    let year = json!({"from": format!("{}-01-01", today.year()), "until": format!("{}-12-31", today.year())});
    for (format, extension, count) in [("pdf", "pdf", None), ("xlsx", "xlsx", Some(8))] {
        let file = app.ok("export_report", json!({"period": year, "format": format, "dialogTitle": "r"}));
        let name = format!("{}-01-01_{}-12-31_informe-estrategia.{extension}", today.year(), today.year());
        assert_eq!(file["fileName"], name);
        assert_eq!(file["openFailed"], false);
        if let Some(sheets) = count {
            assert_eq!(file["count"], sheets);
        }
        let bytes = std::fs::read(exports.join(&name)).expect("written");
        assert!(bytes.starts_with(if format == "pdf" { b"%PDF" } else { b"PK\x03\x04" }), "{format}");
    }
    let log = app.ok("audit_log", json!({"filter": {"events": ["exported"]}}));
    let details: Vec<&str> =
        log["rows"].as_array().expect("rows").iter().filter_map(|r| r["detail"].as_str()).collect();
    assert_eq!(
        details,
        ["report-xlsx", "report-pdf", "sipot-csv", "sipot-xlsx", "ics", "ics", "vcf"],
        "{log}"
    );

    // An Outlook invitation: a meeting made, and the same invitation again changes nothing.
    std::fs::copy(format!("{fixtures}/ical/outlook-2010.ics"), exports.join("import.ics")).expect("copy");
    let file = app.ok("invitation_open", json!({"dialogTitle": "Invitación"}));
    assert_eq!(file["plan"]["rows"][0]["action"], "create", "{file}");
    assert_eq!(
        file["plan"]["rows"][0]["timeZone"], "America/New_York",
        "Outlook's Windows zone, by its IANA name"
    );
    let done = app.ok("invitation_import", json!({}));
    assert_eq!(done["written"], 1);
    let id = done["rows"][0]["id"].clone();
    assert_eq!(app.ok("get_meeting", json!({"id": id}))["record"]["title"], "Team Meeting");
    assert_eq!(
        app.err("invitation_import", json!({}))["field"],
        "file",
        "the file is forgotten once imported"
    );
    let again = app.ok("invitation_open", json!({"dialogTitle": "Invitación"}));
    assert_eq!(
        (again["plan"]["rows"][0]["action"].clone(), again["plan"]["written"].clone()),
        (json!("unchanged"), json!(0))
    );
    let records = app.ok("store_status", json!({}))["records"].as_u64().expect("records");
    assert_eq!(records, before + 2 + 1, "the person, her organization and the meeting");
}

#[test]
fn an_export_protected_by_a_passphrase_imports_only_with_it() {
    let app = app();
    app.ok("load_sample", json!({}));
    let total = app.ok("store_status", json!({}))["records"].clone();
    let export = |p: &str, c: &str| {
        app.call("export_all", json!({"dialogTitle": "Exportar", "passphrase": p, "confirmation": c}))
    };
    assert_eq!(
        code_at(&export("corta", "corta").expect_err("weak")),
        ("passphrase".into(), "weakPassphrase".into())
    );
    assert_eq!(
        code_at(&export("la frase del archivo", "otra").expect_err("mismatch")),
        ("confirmation".into(), "passphraseMismatch".into())
    );
    assert!(!app.dir.path().join("exports").exists(), "nothing written by a refusal");
    let out = export("la frase del archivo", "la frase del archivo").expect("exported");
    assert_eq!(out["records"], total);
    let exports = app.dir.path().join("exports");
    assert_eq!(raw_hits(&exports, "ONU Mujeres"), Vec::<String>::new(), "nothing readable in the file");
    let file = exports.join(out["fileName"].as_str().expect("name"));

    let other = app_in(tempfile::tempdir().expect("tmp"));
    std::fs::create_dir_all(other.dir.path().join("exports")).expect("dir");
    std::fs::copy(&file, other.dir.path().join("exports/import.json")).expect("copy");
    let e = other.err("import_open", json!({"dialogTitle": "Importar"}));
    assert_eq!(code_at(&e), ("passphrase".into(), "passphraseNeeded".into()));
    let e = other.err("import_passphrase", json!({"passphrase": "no es esta"}));
    assert_eq!(code_at(&e), ("passphrase".into(), "wrongPassphrase".into()));
    let preview = other.ok("import_passphrase", json!({"passphrase": "la frase del archivo"}));
    assert_eq!(preview["plan"]["added"], total);
    other.ok(
        "import_apply",
        json!({"choices": {"merge": [], "takeIncoming": []}, "onProgress": "__CHANNEL__:7"}),
    );
    assert_eq!(other.ok("store_status", json!({}))["records"], total);
    assert_eq!(
        other.err("import_passphrase", json!({"passphrase": "la frase del archivo"}))["code"],
        "required",
        "no file chosen"
    );
}

#[test]
fn a_backup_restores_in_place_and_the_replaced_store_can_be_put_back() {
    let app = app();
    app.ok("load_sample", json!({}));
    let taken = app.ok("backup_now", json!({}));
    let status = app.ok("backups", json!({}));
    assert_eq!(status["backups"][0]["name"], taken["name"]);
    assert_eq!(status["changedSince"], false);
    let before = app.ok("store_status", json!({}))["records"].clone();
    app.ok("save_organization", json!({"record": {"nameEs": "Después de la copia"}}));
    assert_eq!(app.ok("backups", json!({}))["changedSince"], true);
    let aside = app.ok("restore_backup", json!({"name": taken["name"]}));
    assert!(aside.as_str().is_some());
    assert_eq!(
        app.ok("store_status", json!({}))["records"],
        before,
        "the running app uses the restored store"
    );
    let status = app.ok("backups", json!({}));
    assert_eq!(status["setAside"][0]["name"], aside);
    app.ok("restore_set_aside", json!({"name": aside}));
    assert_eq!(
        app.ok("store_status", json!({}))["records"],
        json!(before.as_u64().expect("n") + 1),
        "back to the version with the later record"
    );
}

#[test]
fn a_damaged_backup_or_set_aside_store_is_refused_and_the_open_store_stays() {
    let app = app();
    app.ok("load_sample", json!({}));
    let records = app.ok("store_status", json!({}))["records"].clone();
    let backups = app.dir.path().join("backups");
    std::fs::create_dir_all(&backups).expect("dir");
    let bad = "vinculo-20261124T000000Z-daily-3-1.json.gz";
    std::fs::write(backups.join(bad), b"\x1f\x8b damaged").expect("write");
    let e = app.err("restore_backup", json!({"name": bad}));
    assert_eq!((e["code"].clone(), e["field"].clone()), (json!("damagedBackup"), json!("backup")));
    // A set-aside store with a damaged file.
    let taken = app.ok("backup_now", json!({}));
    let aside = app.ok("restore_backup", json!({"name": taken["name"]}));
    let place = app.dir.path().join("set-aside").join(aside.as_str().expect("a name"));
    std::fs::write(place.join("store.version"), "{ damaged").expect("write");
    let e = app.err("restore_set_aside", json!({"name": aside}));
    assert_eq!(e["kind"], "unavailable", "{e}");
    assert_eq!(app.ok("backups", json!({}))["setAside"][0]["name"], aside, "still there to try again");
    assert_eq!(app.ok("store_status", json!({}))["records"], records, "the open store is untouched");
    app.ok("save_organization", json!({"record": {"nameEs": "Sigue guardando"}}));
}

/// A tmpfs of `size` (CI runs as root, which mounting needs), unmounted when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn new(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().expect("tmp");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(mounted, "cannot mount a tmpfs: this test runs as root (CI does)");
        Tmpfs(dir)
    }

    fn remount(&self, options: &str) {
        let ok = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.0.path())
            .status();
        assert!(ok.is_ok_and(|s| s.success()), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_app_saves_again_once_space_returns() {
    let disk = Tmpfs::new("2m");
    let data = tempfile::tempdir_in(disk.0.path()).expect("data dir");
    let app = app_in(data);
    let mut saved = Vec::new();
    let refusal = loop {
        let record =
            json!({"record": {"nameEs": format!("Organismo {}", saved.len()), "notes": "x".repeat(2000)}});
        match app.call("save_organization", record) {
            Ok(v) => saved.push(v["id"].clone()),
            Err(e) => break e,
        }
        assert!(saved.len() < 5000, "the disk never filled");
    };
    assert_eq!((refusal["kind"].clone(), refusal["code"].clone()), (json!("storage"), json!("diskFull")));
    // Still full: still a clear error, and the app has not crashed.
    assert_eq!(app.err("save_organization", json!({"record": {"nameEs": "Otra vez"}}))["code"], "diskFull");
    disk.remount("size=64m");
    let after = app.ok("save_organization", json!({"record": {"nameEs": "Con espacio otra vez"}}));
    saved.push(after["id"].clone());
    for id in &saved {
        app.ok("get_organization", json!({"id": id}));
    }
}

/// Every file under `root`, and whether any holds `needle` as it is, raw.
fn raw_hits(root: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if std::fs::read(&path)
                .expect("read")
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

fn code_at(e: &Value) -> (String, String) {
    (e["field"].as_str().unwrap_or_default().to_owned(), e["code"].as_str().unwrap_or_default().to_owned())
}

#[test]
fn the_first_start_sets_a_passphrase_and_the_store_locks_and_unlocks() {
    let app = app_raw(tempfile::tempdir().expect("tmp"));
    let status = app.ok("store_status", json!({}));
    assert_eq!((status["ready"].clone(), status["protection"].clone()), (json!(false), json!("none")));
    assert_eq!(app.err("home", json!({}))["code"], "storeNotSetUp");
    let set = |p: &str, c: &str| app.call("set_passphrase", json!({"passphrase": p, "confirmation": c}));
    let e = set("corta", "corta").expect_err("weak");
    assert_eq!(
        (code_at(&e), e["params"]["min"].clone()),
        (("passphrase".into(), "weakPassphrase".into()), json!(10))
    );
    assert_eq!(
        code_at(&set(PASSPHRASE, "otra cosa").expect_err("mismatch")),
        ("confirmation".into(), "passphraseMismatch".into())
    );
    assert!(!vinculo_core::has_store(app.dir.path()), "nothing made by a refusal");
    let recovery =
        set(PASSPHRASE, PASSPHRASE).expect("protected")["recoveryKey"].as_str().expect("a key").to_owned();
    assert_eq!((recovery.len(), recovery.matches('-').count()), (39, 7), "{recovery}");
    assert_eq!(app.ok("store_status", json!({}))["protection"], "encrypted");
    app.ok("load_sample", json!({}));
    let before = snapshot(&app);
    assert_eq!(raw_hits(app.dir.path(), "ONU Mujeres"), Vec::<String>::new(), "nothing readable on the disk");

    app.ok("lock", json!({}));
    let e = app.err("home", json!({}));
    assert_eq!((e["kind"].clone(), e["code"].clone()), (json!("unavailable"), json!("storeEncrypted")));
    // Locked, nothing is swapped in: no fresh (plain) store, no restore.
    assert_eq!(app.err("start_fresh", json!({}))["code"], "storeEncrypted");
    assert_eq!(
        app.err("restore_backup", json!({"name": "vinculo-20261125T000000Z-manual-1-1.json.gz"}))["code"],
        "storeEncrypted"
    );
    assert!(app.ok("backups", json!({}))["setAside"].as_array().is_some_and(Vec::is_empty));
    // Three wrong passphrases are answered as such; then each try waits longer.
    for _ in 0..3 {
        let e = app.err("unlock", json!({"passphrase": "no es la frase"}));
        assert_eq!(code_at(&e), ("passphrase".into(), "wrongPassphrase".into()));
    }
    let e = app.err("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(code_at(&e), ("passphrase".into(), "tooManyAttempts".into()));
    assert!(e["params"]["seconds"].as_u64().is_some_and(|s| (1..=2).contains(&s)), "{e}");
    assert_eq!(
        code_at(&app.err("unlock", json!({"recoveryKey": "not a key"}))),
        ("recoveryKey".into(), "malformedRecoveryKey".into())
    );
    // The slow-down is a time: the first try after it passes opens the store.
    let started = std::time::Instant::now();
    loop {
        match app.call("unlock", json!({"recoveryKey": recovery.to_lowercase()})) {
            Ok(_) => break,
            Err(e) if e["code"] == "tooManyAttempts" && started.elapsed().as_secs() < 10 => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => panic!("the recovery key did not unlock: {e}"),
        }
    }
    assert!(started.elapsed().as_millis() >= 1000, "the slow-down held");
    assert_eq!(snapshot(&app), before, "nothing lost");
    assert_eq!(app.err("unlock", json!({"passphrase": PASSPHRASE}))["code"], "notLocked");

    let change = |current: &str, new: &str, again: &str| {
        app.call(
            "change_passphrase",
            json!({"current": current, "newPassphrase": new, "confirmation": again}),
        )
    };
    assert_eq!(
        code_at(&change("mal", "una frase nueva larga", "una frase nueva larga").expect_err("wrong")),
        ("current".into(), "wrongPassphrase".into())
    );
    assert_eq!(
        code_at(&change(PASSPHRASE, "nueva", "nueva").expect_err("weak")),
        ("newPassphrase".into(), "weakPassphrase".into())
    );
    assert_eq!(
        code_at(&change(PASSPHRASE, "una frase nueva larga", "otra").expect_err("mismatch")),
        ("confirmation".into(), "passphraseMismatch".into())
    );
    change(PASSPHRASE, "una frase nueva larga", "una frase nueva larga").expect("changed");
    // Locking closes the store (sled lets go of its files): another app can start on them.
    app.ok("lock", json!({}));
    let dir = app.dir;
    drop(app._app);
    let again = app_raw(dir);
    assert_eq!(again.ok("store_status", json!({}))["error"]["code"], "storeEncrypted");
    assert_eq!(
        code_at(&again.err("unlock", json!({"passphrase": PASSPHRASE}))),
        ("passphrase".into(), "wrongPassphrase".into())
    );
    again.ok("unlock", json!({"passphrase": "una frase nueva larga"}));
    assert_eq!(snapshot(&again), before);
}

#[test]
fn a_plain_store_from_before_is_encrypted_in_place_from_the_settings() {
    let dir = tempfile::tempdir().expect("tmp");
    let plain = vinculo_core::Store::open(dir.path()).expect("a plain store, as earlier versions made");
    plain.load_sample(jiff::Timestamp::now()).expect("sample");
    plain.backup(vinculo_core::backup::BackupKind::Manual, jiff::Timestamp::now()).expect("a plain backup");
    plain.close().expect("closed");
    assert!(!raw_hits(dir.path(), "ONU Mujeres").is_empty());
    let app = app_raw(dir);
    let status = app.ok("store_status", json!({}));
    assert_eq!((status["ready"].clone(), status["protection"].clone()), (json!(true), json!("plain")));
    assert_eq!(app.err("lock", json!({}))["code"], "notEncrypted");
    let before = snapshot(&app);
    app.ok("set_passphrase", json!({"passphrase": PASSPHRASE, "confirmation": PASSPHRASE}));
    assert_eq!(app.ok("store_status", json!({}))["protection"], "encrypted");
    assert_eq!(snapshot(&app), before, "every record, encrypted");
    assert_eq!(raw_hits(app.dir.path(), "ONU Mujeres"), Vec::<String>::new(), "no plain copy left");
    let backups = app.ok("backups", json!({}));
    assert_eq!(backups["backups"].as_array().map(Vec::len), Some(1), "the backup, sealed");
    assert_eq!(backups["setAside"], json!([]), "the plain store set aside is gone");
    app.ok("restore_backup", json!({"name": backups["backups"][0]["name"]}));
    assert_eq!(snapshot(&app), before, "the sealed backup restores");
}

#[test]
fn the_audit_log_says_who_did_what_and_a_person_is_reported_on_and_erased_for_good() {
    let app = app();
    let mut settings = app.ok("get_settings", json!({}));
    settings["openAfterExport"] = json!(false);
    settings["userName"] = json!("  ");
    let e = app.err("save_settings", json!({"settings": settings}));
    assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("invalid"), json!("userName")));
    settings["userName"] = json!("Rosa Martínez");
    app.ok("save_settings", json!({"settings": settings}));
    app.ok("load_sample", json!({}));
    let person_id =
        app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}}))["items"][0]["id"].clone();
    let mut person = app.ok("get_contact", json!({"id": person_id}));
    person["post"] = json!("Coordinadora de Proyectos");
    app.ok("save_contact", json!({"record": person}));
    let name = person["fullName"].as_str().expect("a name").to_owned();

    let report = app.ok("titular_report", json!({"id": person_id, "dialogTitle": "Guardar"}));
    let file = report["fileName"].as_str().expect("a file name");
    assert!(
        file.contains(person_id.as_str().expect("id")) && file.ends_with("_informe-titular.pdf"),
        "{file}"
    );
    assert!(!file.contains(&name) && !file.contains(name.split(' ').next().expect("a word")), "{file}");
    let bytes = std::fs::read(app.dir.path().join("exports").join(file)).expect("written");
    assert!(bytes.starts_with(b"%PDF-"));

    let log = app.ok("audit_log", json!({"filter": {"record": person_id}}));
    let rows = log["rows"].as_array().expect("rows");
    let events: Vec<&str> = rows.iter().map(|r| r["event"].as_str().expect("event")).collect();
    assert_eq!(events, ["titularReport", "updated"]);
    // The new post, and the old one moved to the history.
    assert_eq!(rows[1]["fields"], json!(["post", "postHistory", "postSince"]));
    assert!(rows.iter().all(|r| r["who"] == "Rosa Martínez"));
    assert_eq!(rows[1]["record"]["title"], json!(name));
    assert_eq!(log["verification"]["intact"], true);
    let all = app.ok("audit_log", json!({"filter": {}}));
    let sample = all["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["event"] == "sampleLoaded")
        .expect("the sample");
    assert!(sample["count"].as_u64().is_some_and(|n| n > 10));
    // The log copies no value: neither the new post nor the name.
    assert!(!all.to_string().contains("Coordinadora"));

    for (filter, field) in [
        (json!({"from": "2026-13-01"}), "from"),
        (json!({"to": "ayer"}), "to"),
        (json!({"from": "2026-12-04", "to": "2026-12-01"}), "to"),
        (json!({"record": "../../etc/passwd"}), "record"),
    ] {
        let e = app.err("audit_log", json!({"filter": filter}));
        assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("invalid"), json!(field)), "{filter}");
    }
    for filter in [json!({"events": ["nuke"]}), json!({"whatever": 1}), json!("all"), json!(null)] {
        let e = app.err("audit_log", json!({"filter": filter}));
        assert_showable(&format!("audit_log with {filter}"), &e);
    }

    app.ok("backup_now", json!({}));
    let revision = app.ok("get_contact", json!({"id": person_id}))["revision"].clone();
    let erased = app.ok("erase_contact", json!({"id": person_id, "revision": revision}));
    assert!(erased["erased"]["backupsRewritten"].as_u64().is_some_and(|n| n >= 1), "{erased}");
    assert!(erased["deleted"]["deleted"].as_array().is_some_and(|d| d.iter().any(|r| r["id"] == person_id)));
    let e = app.err("get_contact", json!({"id": person_id}));
    assert_eq!(e["kind"], "notFound");
    let log = app.ok("audit_log", json!({"filter": {"events": ["erased", "deleted", "backupTaken"]}}));
    let events: Vec<&str> =
        log["rows"].as_array().expect("rows").iter().map(|r| r["event"].as_str().expect("event")).collect();
    assert_eq!(events[..3], ["erased", "deleted", "backupTaken"]);
    assert_eq!(log["rows"][0]["record"]["title"], Value::Null, "gone: named by kind only");
    assert_eq!(log["rows"][1]["erased"], true, "its deletion is marked erased");
    assert_eq!(log["verification"]["intact"], true);

    // A person deleted earlier is erased when she asks, from the audit log; a living one is not.
    let other =
        app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}}))["items"][0]["id"].clone();
    let e = app.err("erase_contact", json!({"id": other, "revision": null}));
    assert_eq!((e["kind"].clone(), e["code"].clone()), (json!("conflict"), json!("notDeleted")));
    let revision = app.ok("get_contact", json!({"id": other}))["revision"].clone();
    app.ok("delete_contact", json!({"id": other, "revision": revision}));
    let deleted = app.ok("audit_log", json!({"filter": {"record": other, "events": ["deleted"]}}));
    assert_eq!(deleted["rows"][0]["erased"], false);
    let erased = app.ok("erase_contact", json!({"id": other, "revision": null}));
    assert_eq!(erased["deleted"], Value::Null);
    assert!(erased["erased"]["backupsRewritten"].as_u64().is_some_and(|n| n >= 1), "{erased}");
    let deleted = app.ok("audit_log", json!({"filter": {"record": other, "events": ["deleted"]}}));
    assert_eq!(deleted["rows"][0]["erased"], true);
}

#[test]
fn a_document_is_attached_opened_from_a_private_copy_and_goes_with_its_record() {
    let app = app();
    app.ok("load_sample", json!({}));
    let agreement =
        app.ok("list_page", json!({"query": {"kind": "agreement", "limit": 500}}))["items"][0]["id"].clone();
    let exports = app.dir.path().join("exports");
    std::fs::create_dir_all(&exports).expect("a folder");
    let bytes = b"%PDF-1.4 convenio firmado y escaneado".to_vec();
    let files = || std::fs::read_dir(app.dir.path().join("documents")).map(|d| d.count()).unwrap_or(0);
    // The sample's own signed agreement.
    assert_eq!(files(), 1);
    std::fs::write(exports.join("import.pdf"), &bytes).expect("a file");
    let d = app.ok("attach_document", json!({"id": agreement, "dialogTitle": "Adjuntar"}));
    assert_eq!((d["name"].clone(), d["size"].clone()), (json!("import.pdf"), json!(bytes.len())));
    let listed = app.ok("documents", json!({"id": agreement}));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], d["id"]);
    // Kept encrypted: no file of the data folder but the one picked holds its words.
    let found: Vec<String> =
        raw_hits(app.dir.path(), "convenio firmado").into_iter().filter(|p| !p.contains("exports")).collect();
    assert_eq!(found, Vec::<String>::new());

    // Opened: a copy in the clear only the user can read, logged in the audit log.
    let id = d["id"].as_str().expect("id").to_owned();
    app.ok("open_document", json!({"id": id}));
    let copy = app.dir.path().join(".viewing").join(&id).join("import.pdf");
    assert_eq!(std::fs::read(&copy).expect("the copy"), bytes);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).expect("copy").permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    let log = app.ok("audit_log", json!({"filter": {"events": ["documentOpened"]}}));
    assert_eq!(log["rows"][0]["record"]["id"], json!(id), "{log}");
    // Locking deletes the copy.
    app.ok("lock", json!({}));
    assert!(!app.dir.path().join(".viewing").exists());
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    app.ok("open_document", json!({"id": id}));
    assert!(copy.exists());

    // A file over the limit is refused from its size, at the field of the file.
    std::fs::OpenOptions::new()
        .write(true)
        .open(exports.join("import.pdf"))
        .and_then(|f| f.set_len(25 * 1024 * 1024 + 1))
        .expect("a big file");
    let e = app.err("attach_document", json!({"id": agreement, "dialogTitle": "Adjuntar"}));
    assert_eq!(code_at(&e), ("file".to_owned(), "fileTooLarge".to_owned()));
    assert_eq!(e["params"]["max"], json!(25 * 1024 * 1024));

    // Deleting the instrument deletes the document and its file.
    let revision = app.ok("get_agreement", json!({"id": agreement}))["record"]["revision"].clone();
    let report = app.ok("delete_agreement", json!({"id": agreement, "revision": revision}));
    assert!(report["deleted"].as_array().expect("deleted").iter().any(|r| r["id"] == json!(id)), "{report}");
    assert_eq!(app.err("get_document", json!({"id": id}))["code"], json!("notFound"));
    assert!(!copy.exists(), "a deleted document leaves no copy in the clear");
    assert_eq!(files(), 1, "its file went, the sample's stays");
}
