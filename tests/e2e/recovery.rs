//! Nothing lost, through the real app: a backup made from Settings, the store damaged behind
//! the app's back, the recovery screen on the next start, the backup restored, the data seen.

use crate::harness::{Answer, run, wait_for};
use serde_json::json;

#[test]
fn a_damaged_store_is_recovered_from_a_backup_through_the_app() {
    run("recovery", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let before = app.counts().await;
        app.nav("settings").await;
        app.click("#backup-now").await;
        app.wait_text("#backups", "manual").await;
        app.told("Copia hecha y comprobada").await;
        desk.close_session().await;

        // The laptop's disk damages the store while Vínculo is closed.
        desk.damage_store();

        let app = desk.launch().await;
        app.wait_text("main h1", "Los datos no se pueden abrir").await;
        app.wait_text("main", "Nada se ha borrado").await;
        app.shot("recovery-screen").await;
        app.click("#restore-newest").await;
        app.wait_text("#dialog[open]", "Los datos actuales se guardan aparte").await;
        app.click("#dialog button.danger").await;
        app.wait_text(
            "main section[aria-label='Compromisos vencidos']",
            "Enviar a ONU Mujeres la propuesta de calendario de talleres",
        )
        .await;
        assert_eq!(app.counts().await, before, "every record is back");
        app.told("Copia restaurada").await;
        // The damaged files are kept aside, and Settings offers to go back to them.
        let aside = desk.data_dir().join("set-aside");
        let kept: Vec<_> = std::fs::read_dir(&aside).expect("set-aside").filter_map(|e| e.ok()).collect();
        assert_eq!(kept.len(), 1);
        assert!(kept[0].path().join("store/db").exists());
        app.nav("settings").await;
        app.wait_text("main", "Versiones apartadas").await;
        app.js("document.getElementById('backups').scrollIntoView(); return true;").await;
        app.shot("settings-after-restore").await;
        assert!(app.ok("backups", json!({})).await["setAside"].as_array().is_some_and(|a| a.len() == 1));
        assert!(desk.app_log().contains("backup restored"));
    });
}

#[test]
fn everything_exported_imports_back_with_duplicates_offered_to_merge() {
    run("export_import", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let before = app.counts().await;
        let total: usize = before.iter().map(|(_, n)| n).sum();
        app.nav("settings").await;
        let folder = desk.scratch().join("traspaso");
        std::fs::create_dir_all(&folder).expect("folder");
        // Protected by default: a passphrase first, twice, then where to save.
        app.click("#export-all").await;
        app.wait("#dialog[open] #export-protect:checked").await;
        app.fill("passphrase", "la frase del traspaso").await;
        app.fill("confirmation", "no es la misma").await;
        app.click("#dialog button.primary").await;
        app.wait_text("#dialog[open]", "Las dos contraseñas no coinciden").await;
        app.fill("confirmation", "la frase del traspaso").await;
        app.shot("export-passphrase").await;
        app.click("#dialog button.primary").await;
        desk.answer_file_dialog("Exportar todos los datos de Vínculo", Answer::SaveIn(&folder)).await;
        let file = wait_for("the exported file", || {
            // The finished file, not the temporary one it is written to first.
            std::fs::read_dir(&folder)
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with("_vinculo.json")))
        })
        .await;
        app.told(&format!("Exportados {total} registros")).await;
        app.told("protegido con contraseña").await;
        let bytes = std::fs::read(&file).expect("the file");
        assert!(!bytes.windows(11).any(|w| w == b"ONU Mujeres"), "nothing readable in the file");

        // Another laptop, empty but for its own KAS, typed in by hand.
        app.click_text("main", "Quitar datos de ejemplo").await;
        app.click("#dialog button.danger").await;
        app.wait_js("an empty store", "!document.querySelector('main button.danger')").await;
        let kas = app.ok("save_organization", json!({"record": {"nameEs": "Fundación Konrad Adenauer (oficina México)", "acronymEs": "KAS"}})).await;
        app.nav("settings").await;
        app.click("#import-file").await;
        desk.answer_file_dialog("Importar datos de Vínculo", Answer::Open(&file)).await;
        // The file asks for its passphrase; a wrong one is told at the field.
        app.wait_text("#dialog[open]", "protegido con una contraseña").await;
        app.fill("passphrase", "otra frase cualquiera").await;
        app.click("#dialog button.primary").await;
        app.wait_text("#dialog[open] .field-error", "La contraseña no es correcta").await;
        app.fill("passphrase", "la frase del traspaso").await;
        app.click("#dialog button.primary").await;
        app.wait_text("#dialog[open]", &format!("El archivo tiene {total} registros")).await;
        app.wait_text("#dialog", "mismo acrónimo").await;
        app.shot("import-preview").await;
        app.click("#dialog input[id^='merge-org_']").await;
        app.click_text("#dialog", "Importar").await;
        // The same number of each kind: KAS merged into the one here.
        app.wait_counts(&before).await;
        // What the user is told is the result, whatever progress came late from the import.
        app.told(&format!("Importación terminada: {} nuevos", total - 1)).await;
        app.told("1 fusionados").await;
        let list = app.ok("list_page", json!({"query": {"kind": "organization", "limit": 500}})).await;
        let kas_here =
            list["items"].as_array().expect("items").iter().filter(|o| o["acronym"] == "KAS").count();
        assert_eq!(kas_here, 1);
        assert!(
            app.ok("get_organization", json!({"id": kas["id"]})).await["nameEs"]
                .as_str()
                .is_some_and(|n| n.contains("oficina México"))
        );
    });
}
