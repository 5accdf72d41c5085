//! Exporting a briefing note through the real app: the button on a meeting's page, the
//! system's save dialog (GTK, driven with xdotool as a user types into it), the file written
//! where the user chose under the proposed name, and opened when asked.

use crate::harness::{Answer, App, run, tool, wait_for, wait_until};
use std::path::PathBuf;

/// The PDF saved in `folder`, once it is there.
pub async fn wait_for_file(folder: &std::path::Path) -> PathBuf {
    wait_for(&format!("a PDF in {}", folder.display()), || {
        std::fs::read_dir(folder)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "pdf"))
    })
    .await
}

async fn open_meeting(app: &App, title: &str) {
    app.nav("list/meeting").await;
    app.click_text("main table", title).await;
    app.wait_record_page("meeting").await;
}

#[test]
fn a_briefing_note_exports_through_the_save_dialog_and_opens() {
    run("export_briefing", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let title = "Segunda sesión de trabajo: programa de capacitación 2027";
        open_meeting(&app, title).await;
        assert_eq!(app.js("return document.getElementById('export-open-after').checked;").await, true);

        let folder = desk.scratch().join("notas");
        std::fs::create_dir_all(&folder).expect("folder");
        app.click("#export-briefing").await;
        desk.answer_file_dialog("Guardar nota informativa (PDF)", Answer::SaveIn(&folder)).await;
        let pdf = wait_for_file(&folder).await;
        let name = pdf.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.ends_with("_ONU-Mujeres_nota-informativa.pdf"), "the proposed name was kept: {name}");
        app.told(&format!("Archivo guardado: {name}")).await;
        let bytes = std::fs::read(&pdf).expect("the note");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = std::process::Command::new(tool("pdftotext"))
            .args([pdf.to_str().expect("path"), "-"])
            .output()
            .expect("pdftotext");
        assert!(text.status.success(), "pdftotext: {}", String::from_utf8_lossy(&text.stderr));
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("NOTA INFORMATIVA") && text.contains(title), "{text}");
        // «Abrir al terminar» handed the file to the system's viewer.
        wait_until("the note handed to the viewer", || {
            desk.opened().iter().any(|o| o == pdf.to_str().expect("path"))
        })
        .await;

        // The organization's ficha, not opened this time, and a cancelled dialog saves nothing.
        app.nav("list/organization").await;
        app.click_text(
            "main table",
            "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres",
        )
        .await;
        app.wait_record_page("organization").await;
        app.wait_text("#export-briefing", "Exportar ficha informativa").await;
        app.click("#export-open-after").await;
        let cancelled = desk.scratch().join("cancelado");
        std::fs::create_dir_all(&cancelled).expect("folder");
        app.click("#export-briefing").await;
        desk.answer_file_dialog("Guardar nota informativa (PDF)", Answer::Cancel).await;
        app.wait_text("#export-briefing", "Exportar ficha informativa").await;
        assert_eq!(std::fs::read_dir(&cancelled).expect("dir").count(), 0);
        let opened = desk.opened().len();
        app.click("#export-briefing").await;
        desk.answer_file_dialog("Guardar nota informativa (PDF)", Answer::SaveIn(&cancelled)).await;
        let ficha = wait_for_file(&cancelled).await;
        assert!(std::fs::read(&ficha).expect("ficha").starts_with(b"%PDF-"));
        let ficha_name = ficha.file_name().expect("name").to_string_lossy().into_owned();
        app.told(&format!("Archivo guardado: {ficha_name}")).await;
        // The app says what it did with the note once it is written: it did not start the viewer.
        wait_until("the export in the log", || desk.app_log().matches("exported:").count() == 2).await;
        assert!(desk.app_log().contains("not opened (setting)"), "the log says the viewer was not asked");
        assert_eq!(desk.opened().len(), opened, "not opened when unticked");
        // The choice is remembered.
        open_meeting(&app, title).await;
        assert_eq!(app.js("return document.getElementById('export-open-after').checked;").await, false);
        assert!(
            desk.app_log().contains("pages,") && !desk.app_log().contains(&name),
            "the log names no file"
        );
    });
}
