//! The office's files through the real app: contacts from a vCard file and a meeting from an
//! Outlook invitation, each chosen in the system's open dialog and reviewed before it is
//! imported; and a meeting, a period's calendar, people as vCard and the transparency report,
//! each saved through the system's save dialog and read back.

use crate::harness::{Answer, App, office_day, run, saved};
use serde_json::json;
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures")
        .join(path)
        .canonicalize()
        .expect("the fixture")
}

/// Settings, the card of the office's files in view.
async fn files_card(app: &App) {
    app.nav("settings").await;
    app.wait_shown("#/settings").await;
    app.wait("#export-calendar").await;
    app.js("document.getElementById('export-calendar').scrollIntoView({block: 'center'}); return true;")
        .await;
}

#[test]
fn contacts_and_an_invitation_come_in_through_the_open_dialog() {
    run("files_in", |desk| async move {
        let app = desk.launch().await;
        files_card(&app).await;
        app.shot("settings-files").await;

        // Google's export of three contacts: reviewed card by card, imported, listed.
        app.click("#import-vcard").await;
        app.wait_shown("#/import/vcard").await;
        app.click("#table-choose").await;
        desk.answer_file_dialog("Importar contactos (vCard)", Answer::Open(&fixture("vcard/gmail-list.vcf")))
            .await;
        app.wait_text("main table.mapping", "chrisy55d@yahoo.com").await;
        app.click("#table-plan").await;
        app.wait_text("#table-counts", "Nuevos: 3").await;
        app.wait_text("main table.plan thead", "Tarjeta").await;
        app.shot("vcard-import-plan").await;
        app.click("#table-import").await;
        app.wait_shown("#/list/contact").await;
        app.wait_text("main table", "Doug White").await;
        app.told("Importado gmail-list.vcf: 3 nuevos").await;

        // Outlook's invitation: one meeting, its attendees not in the directory noted.
        files_card(&app).await;
        app.click("#import-invitation").await;
        app.wait_shown("#/invitation").await;
        app.click("#invitation-choose").await;
        desk.answer_file_dialog(
            "Importar invitación de calendario",
            Answer::Open(&fixture("ical/outlook-2010.ics")),
        )
        .await;
        app.wait_text("#invitation-plan", "Team Meeting").await;
        app.wait_text("#invitation-plan", "America/New_York").await;
        app.wait_text("#invitation-plan", "Smith, Bob, Doe, John, Doe, Jane").await;
        app.shot("invitation-plan").await;
        app.click("#invitation-import").await;
        let id = app.wait_record_page("meeting").await;
        app.wait_text("main h1", "Team Meeting").await;
        let meeting = app.ok("get_meeting", json!({"id": id})).await;
        assert_eq!(meeting["record"]["timeZone"], "America/New_York");
        assert_eq!(meeting["record"]["place"], "Auditorium 16");
        app.shot("invitation-meeting").await;
        assert!(desk.app_log().contains("invitation imported: 1 meetings written"));
        assert!(!desk.app_log().contains("janedoe"), "the log names no one");
    });
}

#[test]
fn meetings_people_and_the_transparency_report_go_out_through_the_save_dialog() {
    run("files_out", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let folder = desk.scratch().join("salidas");
        std::fs::create_dir_all(&folder).expect("folder");

        // A meeting, from its page.
        app.nav("list/meeting").await;
        app.click_text("main table", "Segunda sesión de trabajo: programa de capacitación 2027").await;
        let meeting = app.wait_record_page("meeting").await;
        app.click("#export-ics").await;
        desk.answer_file_dialog("Exportar la reunión al calendario", Answer::SaveIn(&folder)).await;
        let ics = saved(&folder, "ics").await;
        let text = std::fs::read_to_string(&ics).expect("the calendar");
        assert!(text.contains(&format!("UID:{meeting}@vinculo.iecm.mx")), "{text}");
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:America/Mexico_City"), "{text}");
        app.told(&format!("Reunión exportada a {}", ics.file_name().expect("name").to_string_lossy())).await;
        std::fs::remove_file(&ics).expect("remove");

        // The next three months of meetings and deadlines, from the settings.
        files_card(&app).await;
        app.click("#export-calendar").await;
        app.wait("#dialog[open] input[name=from]").await;
        app.shot("calendar-dialog").await;
        app.click_text("#dialog", "Exportar").await;
        desk.answer_file_dialog("Exportar calendario", Answer::SaveIn(&folder)).await;
        let period = saved(&folder, "ics").await;
        let text = std::fs::read_to_string(&period).expect("the calendar");
        assert!(text.matches("BEGIN:VEVENT").count() >= 3, "{text}");
        assert!(text.contains("SUMMARY:Vence compromiso:"), "{text}");

        // The transparency report of the year the sample's convenio específico was signed in
        // (500 days ago), as a workbook.
        files_card(&app).await;
        app.click("#export-transparency").await;
        app.wait("#dialog[open] select[name=fileFormat]").await;
        let year = office_day(-500)[..4].to_owned();
        let field = app.wait("#dialog[open] input[name=year]").await;
        field.clear().await.expect("cleared");
        field.send_keys(&year).await.expect("typed");
        app.shot("transparency-dialog").await;
        app.click_text("#dialog", "Exportar").await;
        desk.answer_file_dialog("Exportar convenios para transparencia", Answer::SaveIn(&folder)).await;
        let xlsx = saved(&folder, "xlsx").await;
        assert!(xlsx.file_name().expect("name").to_string_lossy().ends_with("_transparencia-convenios.xlsx"));
        assert!(std::fs::read(&xlsx).expect("the workbook").starts_with(b"PK\x03\x04"));
        assert!(xlsx.file_name().expect("name").to_string_lossy().starts_with(&year));

        // The people of a filtered list, as vCard 3.0 for Outlook.
        app.nav("list/contact").await;
        let all = app.js("return document.querySelectorAll('main table.list tbody tr:not(.spacer):not(.loading)').length;").await;
        let all = all.as_u64().expect("rows");
        app.wait("#list-filter").await.send_keys("onu").await.expect("typed");
        app.wait_js(
            "the list filtered",
            &format!("document.querySelectorAll('main table.list tbody tr:not(.spacer):not(.loading)').length < {all}"),
        )
        .await;
        app.click("#export-vcard").await;
        app.wait("#dialog[open] select[name=vcardVersion]").await;
        app.js("const s = document.querySelector('#dialog select[name=vcardVersion]'); s.value = '3.0'; return true;").await;
        app.wait_js(
            "the version chosen",
            "document.querySelector('#dialog[open] select[name=vcardVersion]')?.value === '3.0'",
        )
        .await;
        app.shot("vcard-dialog").await;
        app.click_text("#dialog", "Exportar").await;
        desk.answer_file_dialog("Exportar contactos como vCard", Answer::SaveIn(&folder)).await;
        let vcf = saved(&folder, "vcf").await;
        let cards = std::fs::read_to_string(&vcf).expect("the cards");
        assert!(vcf.file_name().expect("name").to_string_lossy().ends_with("_contactos.vcf"));
        let shown = app.js("return document.querySelectorAll('main table.list tbody tr:not(.spacer):not(.loading)').length;").await;
        assert_eq!(
            cards.matches("VERSION:3.0").count() as u64,
            shown.as_u64().expect("rows"),
            "the filtered list"
        );
        let log = app.ok("audit_log", json!({"filter": {"events": ["exported"]}})).await;
        let details: Vec<&str> =
            log["rows"].as_array().expect("rows").iter().filter_map(|r| r["detail"].as_str()).collect();
        assert_eq!(details, ["vcf", "sipot-xlsx", "ics", "ics"], "{log}");
        assert_eq!(log["rows"][1]["count"], 1, "the sample's convenio específico: {log}");
    });
}
