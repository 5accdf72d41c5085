//! One office, two laptops, through the app: the office created in the settings with its shared
//! folder chosen in the system's dialog, a colleague's laptop invited with the one-time code the
//! app shows, its changes arriving on their own, a conflict shown on the record's page with who
//! and when, and settled there for both laptops.

use crate::harness::{Answer, run, wait_for};
use vinculo_core::{KdfParams, Organization, RecordKind, Store};

const ORG: &str = "ONU Mujeres";

#[test]
fn two_laptops_share_the_directory_and_settle_a_conflict() {
    run("sharing", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        app.nav("settings").await;
        // Her name, as the audit log and her colleagues see it.
        app.fill("userName", "Laura Méndez").await;
        app.click("main form button[type=submit]").await;
        while app.ok("get_settings", serde_json::json!({})).await["userName"] != "Laura Méndez" {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        app.wait_text("#office-create", "Nombre de esta laptop").await;
        app.shot("office-set-up").await;
        // The laptop's name is required, beside its field.
        app.click("#office-create button[type=submit]").await;
        app.wait("#office-create .field-error").await;
        // Syncthing's default folder: the dialog opens in it.
        let folder = desk.home().join("Sync");
        std::fs::create_dir_all(&folder).expect("the folder Syncthing shares");
        app.fill("name", "Laptop de Laura").await;
        app.click("#office-create button[type=submit]").await;
        desk.answer_file_dialog("Elegir la carpeta compartida de la oficina", Answer::ShownFolder).await;
        app.wait_text("#office", "Laptop de Laura").await;
        let status = app.ok("office_status", serde_json::json!({})).await;
        assert_eq!(status["folder"], serde_json::json!(folder), "the office is in the folder chosen");
        assert!(folder.join("office.json").exists(), "the office is in the folder");

        // A one-time code for Diego's laptop, shown once.
        app.click("#invite-laptop").await;
        let code = app.wait("#invite-code").await.text().await.expect("the code");
        app.shot("office-invite").await;
        app.click_text("#dialog", "Cerrar").await;

        // Diego's laptop: another store, joined with the code over the same folder (the app's
        // own core, as Diego's app runs it).
        let other = tempfile::tempdir().expect("Diego's data");
        let (diego, _) = Store::create_encrypted(other.path(), "la frase de Diego", KdfParams::MINIMUM)
            .expect("Diego's store");
        diego.set_audit_user("Diego Ramírez");
        diego.join_office(&folder, &code, "Laptop de Diego").expect("Diego joins");
        // The app goes over the folder on its own: Diego's laptop shows up.
        app.wait_js(
            "Diego's laptop in the card",
            "document.querySelector('#office')?.dataset.laptops === '2'",
        )
        .await;
        app.wait_text("#office", "Laptop de Diego").await;
        let onu = diego
            .list(RecordKind::Organization)
            .into_iter()
            .find(|r| diego.get::<Organization>(&r.id).is_ok_and(|o| o.acronym_es == ORG))
            .expect("the sample reached Diego")
            .id;

        // Both change the city of ONU Mujeres while apart: Diego first, Laura later.
        let mut on_diego = diego.get::<Organization>(&onu).expect("ONU Mujeres");
        on_diego.city = "Nueva York".into();
        diego.save_organization(on_diego).expect("Diego saves");
        app.goto(&format!("#/organization/{onu}/edit")).await;
        app.fill("city", "Ginebra").await;
        app.click("main form button[type=submit]").await;
        let page = app.wait_record_page("organization").await;
        assert_eq!(page, onu.to_string());
        // Diego's laptop meets the folder: Laura's change comes in, and his goes out.
        wait_for("Laura's change in the folder", || {
            diego.sync_office().ok().filter(|r| r.applied > 0).map(|_| ())
        })
        .await;
        // The later value stands on both laptops; Diego's is on the page as a conflict.
        app.wait_text("[data-conflict='city']", "Nueva York").await;
        app.wait_text("[data-conflict='city']", "Diego Ramírez (Laptop de Diego)").await;
        app.wait_text("[data-conflict='city']", "Ginebra").await;
        app.wait_text("[data-conflict='city']", "Laura Méndez (Laptop de Laura)").await;
        assert_eq!(diego.get::<Organization>(&onu).expect("ONU Mujeres").city, "Ginebra");
        app.shot("record-conflict").await;
        // Laura takes Diego's value: settled on both laptops.
        app.click("[data-revert='city']").await;
        app.wait_gone("[data-conflict='city']").await;
        wait_for("the settling on Diego's laptop", || {
            let _ = diego.sync_office();
            let org = diego.get::<Organization>(&onu).ok()?;
            (org.city == "Nueva York" && diego.record_sharing(&onu).ok()?.conflicts.is_empty()).then_some(())
        })
        .await;
        app.wait_text("main", "Nueva York").await;

        // The settings say what came in, from whom.
        app.nav("settings").await;
        app.wait_text("#office", "cambiado por Diego Ramírez").await;
        // The card, the others folded away for the picture (again if the screen was redrawn
        // meanwhile: a colleague's change redraws it).
        let fold = "for (const s of document.querySelectorAll('section.card:not(#office)')) s.hidden = true; \
                    return document.querySelector('section.card:not([hidden])')?.id === 'office';";
        for _ in 0..5 {
            if app.js(fold).await == serde_json::json!(true) {
                app.shot("office-card").await;
                if app.js("return !!document.querySelector('section.card[hidden]');").await
                    == serde_json::json!(true)
                {
                    break;
                }
            }
        }
        drop(diego);
    });
}
