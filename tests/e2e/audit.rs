//! The audit log (bitácora) and the ARCO rights through the real app: the name the log gives
//! the user set in the settings, a change to a person shown in her record's history and in the
//! log (whose chain verifies), the log's filters with a bad date explained at its field, the
//! informe del titular saved through the save dialog, and the person erased for good with what
//! was rewritten told.

use crate::briefing::wait_for_file;
use crate::harness::{Answer, Hands, User, run, tool};
use serde_json::json;

const PERSON: &str = "Diego Hernández Ruiz";

#[test]
fn the_audit_log_says_who_changed_what_and_a_person_is_reported_on_and_erased() {
    run("audit_arco", |desk| async move {
        let app = desk.launch().await;
        let user = User { app: &app, hands: Hands::Mouse };
        app.nav("settings").await;
        app.fill("userName", "Rosa Martínez").await;
        app.shot("settings-user-name").await;
        app.click("main form.record button[type=submit]").await;
        app.told("Ajustes guardados").await;
        app.nav("home").await;
        app.load_sample().await;

        // A change to a person, through her form.
        app.nav("list/contact").await;
        app.click_text("main table", PERSON).await;
        let id = app.wait_record_page("contact").await;
        app.goto(&format!("#/contact/{id}/edit")).await;
        app.fill("post", "Director de Cooperación Internacional").await;
        user.save("contact").await;
        let history = "main section[aria-label='Historial']";
        app.wait_text(history, "Modificado").await;
        app.wait_text(history, "Rosa Martínez").await;
        app.wait_text(history, "Cargo").await;
        app.js(&format!("document.querySelector(\"{history}\").scrollIntoView(); return true;")).await;
        app.shot("record-history").await;

        // The log: every entry, its chain verified; filtered by kind of event; a bad day refused.
        app.nav("audit").await;
        app.wait("[data-chain='intact']").await;
        app.wait_text("main", "Datos de ejemplo cargados").await;
        app.shot("audit-log").await;
        user.choose("event", 0, "Eliminado").await;
        app.click("main form button[type=submit]").await;
        app.wait_js("no deletion yet", "document.querySelector('[data-matched]')?.dataset.matched === '0'")
            .await;
        app.fill("from", "2026-13-45").await;
        app.click("main form button[type=submit]").await;
        app.wait_text("main form", "No es una fecha válida.").await;

        // The informe del titular, through the save dialog.
        app.goto(&format!("#/contact/{id}")).await;
        app.wait_record_page("contact").await;
        app.wait_text("#export-briefing", "Informe del titular").await;
        let folder = desk.scratch().join("arco");
        std::fs::create_dir_all(&folder).expect("folder");
        app.click("#export-briefing").await;
        desk.answer_file_dialog("Guardar informe del titular (PDF)", Answer::SaveIn(&folder)).await;
        let pdf = wait_for_file(&folder).await;
        let name = pdf.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.contains(&id) && !name.contains("Diego"), "{name}");
        let text =
            std::process::Command::new(tool("pdftotext")).args([pdf.to_str().expect("path"), "-"]).output();
        let text = String::from_utf8_lossy(&text.expect("pdftotext").stdout).into_owned();
        for expected in
            ["INFORME DEL TITULAR", PERSON, "Director de Cooperación Internacional", "Rosa Martínez"]
        {
            assert!(text.contains(expected), "«{expected}» not in the report: {text}");
        }

        // Erased for good, with a backup that holds him rewritten; his name typed into another
        // record's notes is pointed out, not silently kept.
        let note = json!({"nameEs": "Organismo de prueba", "kind": "ngo", "notes": format!("Contacto previo con {PERSON}.")});
        app.ok("save_organization", json!({"record": note})).await;
        app.ok("backup_now", json!({})).await;
        app.click_text("main .page-head", "Eliminar").await;
        app.wait("#dialog[open] #erase-for-good").await;
        app.shot("erase-dialog").await;
        app.click("#erase-for-good").await;
        app.click_text("#dialog", "Eliminar").await;
        app.wait_text("#dialog[open]", "Borrado definitivo").await;
        app.wait_text("#dialog[open]", "Copias de seguridad reescritas sin sus datos: 1").await;
        app.wait_text("#dialog[open]", "Organismo: Organismo de prueba").await;
        app.shot("erased").await;
        app.click_text("#dialog", "Cerrar").await;
        app.wait_shown("#/list/contact").await;
        let gone = app.invoke("get_contact", json!({"id": id})).await.expect_err("deleted");
        assert_eq!(gone["kind"], "notFound");
        app.nav("audit").await;
        app.wait_text("main", "Borrado definitivo").await;
        app.wait_text("main", "Persona (registro eliminado)").await;
        app.wait("[data-chain='intact']").await;
        app.shot("audit-after-erase").await;

        // Someone deleted without erasing, who then asks for cancellation: erased from the log.
        let other = app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}})).await["items"]
            [0]["id"]
            .clone();
        let revision = app.ok("get_contact", json!({"id": other})).await["revision"].clone();
        app.ok("delete_contact", json!({"id": other, "revision": revision})).await;
        app.nav("home").await;
        app.nav("audit").await;
        app.wait_text("main", "Borrar de las copias").await;
        app.shot("audit-erase-later").await;
        app.click_text("main", "Borrar de las copias").await;
        app.wait("#dialog[open]").await;
        app.click_text("#dialog", "Borrar de las copias").await;
        app.wait_text("#dialog[open]", "La persona se borró de las copias de seguridad").await;
        app.click_text("#dialog", "Cerrar").await;
        app.wait_gone("#dialog[open]").await;
        app.wait_js("no one left to erase", "![...document.querySelectorAll('main button.danger')].some((b) => b.textContent === 'Borrar de las copias')").await;
        let log = app.ok("audit_log", json!({"filter": {"record": other}})).await;
        assert_eq!(log["rows"][0]["event"], "erased");
    });
}
