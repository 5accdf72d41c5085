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

fn app_in(dir: tempfile::TempDir) -> App {
    let app = vinculo_lib::builder(mock_builder(), Some(dir.path().to_owned()))
        .build(tauri::generate_context!())
        .expect("app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    App { _app: app, webview, dir }
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
    let list = app.ok("list_records", json!({"kind": "organization"}));
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
        json!({"settings": {"language": "fr", "paper": "a4", "institution": "IECM", "area": "UTVOE"}}),
    );
    assert_eq!((e["kind"].clone(), e["field"].clone()), (json!("invalid"), json!("language")));
    app.ok(
        "save_settings",
        json!({"settings": {"language": "en", "paper": "a4", "institution": "IECM", "area": "UTVOE"}}),
    );
    let dir = app.dir;
    drop(app._app);
    let again = app_in(dir);
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

#[test]
fn the_capability_grants_exactly_the_app_commands() {
    let cap: Value = serde_json::from_str(include_str!("../capabilities/main.json")).expect("json");
    let mut granted: Vec<String> = cap["permissions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p.as_str().expect("str").to_owned())
        .collect();
    let mut expected: Vec<String> =
        vinculo_lib::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    granted.sort();
    expected.sort();
    assert_eq!(granted, expected);
    assert_eq!(cap["windows"], json!(["main"]));
}

#[test]
fn the_content_security_policy_is_strict() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).expect("json");
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP string");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert!(directives.contains(&"default-src 'self'"));
    assert!(directives.contains(&"script-src 'self'"));
    assert!(directives.contains(&"connect-src ipc: http://ipc.localhost"));
    assert!(directives.contains(&"object-src 'none'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    assert_eq!(conf["app"]["security"]["dangerousDisableAssetCspModification"], Value::Null);
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
