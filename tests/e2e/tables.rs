//! The office's spreadsheet in, through the real app: the workbook chosen in the system's
//! dialog, its columns guessed, a column mapped by hand, the rows reviewed (the refused ones
//! with their reasons), imported once, and the same file again changing nothing.

use crate::harness::{Answer, run};
use serde_json::json;

#[test]
fn the_instruments_workbook_is_mapped_reviewed_and_imported_once() {
    run("table_import", |desk| async move {
        let app = desk.launch().await;
        let workbook = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../core/tests/fixtures/tables/instrumentos.xlsx")
            .canonicalize()
            .expect("the fixture");
        for round in 0..2 {
            app.nav("settings").await;
            if round == 0 {
                // The card that leads here, as the settings screen shows it.
                app.wait_shown("#/settings").await;
                app.wait("#import-table").await;
                app.js(
                    "document.getElementById('import-table').scrollIntoView({block: 'center'}); return true;",
                )
                .await;
                app.shot("settings-transfer").await;
            }
            app.click("#import-table").await;
            app.wait_shown("#/import").await;
            app.click("#table-choose").await;
            desk.answer_file_dialog("Importar hoja de cálculo", Answer::Open(&workbook)).await;
            // The headers are guessed: the rows are instruments, the folio column is the folio.
            app.wait_js("the columns offered", "document.getElementById('table-col-1')?.value === 'folio'")
                .await;
            app.wait_js("instruments", "document.getElementById('table-target').value === 'agreement'").await;
            app.wait_text("main table.mapping", "IECM/CONV/001/2024").await;
            if round == 0 {
                // "Observaciones" not imported: the merged row then changes nothing.
                app.js("const s = document.getElementById('table-col-10'); s.value = ''; s.dispatchEvent(new Event('change')); return true;").await;
                app.shot("table-import-mapping").await;
            }
            app.click("#table-plan").await;
            app.wait("#table-counts").await;
            if round == 0 {
                app.wait_text("#table-counts", "Nuevos: 3").await;
                app.wait_text("#table-counts", "No se importan: 3").await;
                app.wait_text("#table-counts", "Organismos que se crearán").await;
                app.wait_text("main table.plan", "Quién sabe").await;
                app.wait_text("main table.plan", "la fila 4").await;
                app.shot("table-import-plan").await;
                app.click("#table-import").await;
                app.wait_shown("#/list/agreement").await;
                app.told("Importado instrumentos.xlsx: 3 nuevos").await;
                let agreements =
                    app.ok("list_page", json!({"query": {"kind": "agreement", "limit": 500}})).await;
                assert_eq!(agreements["items"].as_array().map(Vec::len), Some(3));
            } else {
                // The same file again: nothing new, nothing to write.
                app.wait_text("#table-counts", "Nuevos: 0").await;
                app.wait_js("nothing to write", "document.getElementById('table-import').disabled").await;
            }
        }
        assert_eq!(
            app.ok("list_page", json!({"query": {"kind": "organization", "limit": 500}})).await["items"]
                .as_array()
                .map(Vec::len),
            Some(3)
        );
        assert!(desk.app_log().contains("spreadsheet imported: 3 created"));
        assert!(desk.data_dir().join("import-columns.json").exists(), "the columns are remembered");
    });
}
