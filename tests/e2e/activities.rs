//! The strategy's work through the UI: a joint activity created from the instrument it carries
//! out, with the staff it trained, its resources, a follow-up commitment and a document
//! attached; where it then shows.

use crate::harness::{Answer, Hands, Target, User, office_day, run, saved, wait_until};
use serde_json::json;

#[test]
fn an_activity_made_from_an_instrument_records_who_was_trained() {
    run("activity_from_instrument", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let user = User { app: &app, hands: Hands::Mouse };

        // From the instrument's page: the new activity carries it out, with its counterpart.
        user.go("list/agreement").await;
        user.press(Target::Text("Convenio marco de colaboración entre el IECM y ONU Mujeres")).await;
        let agreement = app.wait_record_page("agreement").await;
        user.press(Target::Css("#agreement-new-activity")).await;
        app.wait("main form [name='title']").await;
        app.wait_text("main form", "Entidad de las Naciones Unidas").await;
        user.fill("title", 0, "Diplomado en observación electoral con perspectiva de género").await;
        user.choose("kind", 0, "Curso").await;
        user.choose("status", 0, "En curso").await;
        user.fill("startsOn", 0, &office_day(-3)).await;
        user.fill("endsOn", 0, &office_day(40)).await;
        user.tick("themes", "genderEquality").await;
        user.tick("beneficiaries", "electoralStaff").await;
        user.fill("womenReached", 0, "21").await;
        user.fill("menReached", 0, "9").await;
        user.press(Target::Text("Agregar: participante")).await;
        user.pick("contactId", "laura", "Laura Méndez Ortiz").await;
        user.fill("hours", 0, "7,5").await;
        user.fill("certificate", 0, "Constancia DIP-2026-001").await;
        user.press(Target::Text("Agregar: recurso")).await;
        user.choose("party", 0, "Contraparte").await;
        user.choose("kind", 1, "Recursos económicos").await;
        user.fill("description", 1, "Becas para el personal").await;
        user.fill("amount", 0, "45,000.00").await;
        user.press(Target::Text("Agregar: compromiso")).await;
        user.fill("description", 2, "Enviar la lista de personas inscritas.").await;
        user.fill("dueOn", 0, &office_day(7)).await;

        // Hours written with a decimal comma are refused at their field before anything is sent.
        user.press(Target::Css("main form button[type='submit']")).await;
        app.wait_text("main form .sub-row", "Escriba un número con punto decimal").await;
        app.shot("form").await;
        user.fill("hours", 0, "7.5").await;
        app.click("main form input[name='completed']").await;
        let activity = user.save("activity").await;

        app.wait_text("main h1", "Diplomado en observación electoral").await;
        app.wait_text("main", "30 (21 mujeres, 9 hombres)").await;
        app.wait_text("main", "Laura Méndez Ortiz — 7.5 h · Concluida · Constancia DIP-2026-001").await;
        app.wait_text("main", "Contraparte · Recursos económicos: Becas para el personal ($45,000.00)").await;
        app.wait_text("main", "Enviar la lista de personas inscritas.").await;
        app.shot("page").await;
        let stored = app.ok("get_activity", json!({"id": activity})).await;
        assert_eq!(stored["record"]["agreementId"], json!(agreement));
        assert_eq!(stored["record"]["peopleReached"], json!(null), "counted from women and men, not stored");
        assert_eq!(stored["reached"], json!(30), "counted by the core");
        assert_eq!(
            (stored["record"]["womenReached"].clone(), stored["record"]["menReached"].clone()),
            (json!(21), json!(9))
        );
        assert_eq!(stored["record"]["participants"][0]["hours"], json!(7.5));
        assert_eq!(stored["record"]["participants"][0]["completed"], json!(true));
        assert_eq!(stored["record"]["resources"][0]["amount"].as_f64(), Some(45000.0));
        assert_eq!(stored["commitments"].as_array().map(Vec::len), Some(1));

        // The attendance list attached through the system's dialog, listed, and opened in the
        // system's viewer from a copy in the clear; a file over the limit refused beside the
        // button, from its size.
        let scans = desk.scratch().join("escaneos");
        std::fs::create_dir_all(&scans).expect("a folder");
        let list = scans.join("Lista de asistencia.pdf");
        let bytes = b"%PDF-1.4 lista de asistencia firmada".repeat(100);
        std::fs::write(&list, &bytes).expect("a file");
        let documents = "main section[aria-label='Documentos']";
        app.wait_text(documents, "Ningún documento adjunto.").await;
        user.press(Target::Css("#attach-document")).await;
        desk.answer_file_dialog("Adjuntar un documento", Answer::Open(&list)).await;
        app.wait_text(documents, "Lista de asistencia.pdf").await;
        app.wait_text(documents, "3.5 KB").await;
        app.told("«Lista de asistencia.pdf» adjuntado y guardado.").await;
        let attached = app.ok("documents", json!({"id": activity})).await;
        let document = attached[0]["id"].as_str().expect("an id").to_owned();
        assert_eq!(attached[0]["size"], json!(bytes.len()));
        let video = scans.join("grabacion.mp4");
        std::fs::File::create(&video).and_then(|f| f.set_len(26 * 1024 * 1024)).expect("a big file");
        user.press(Target::Css("#attach-document")).await;
        desk.answer_file_dialog("Adjuntar un documento", Answer::Open(&video)).await;
        app.wait_text("#document-error", "pasa del límite de 25 MB").await;
        assert_eq!(app.ok("documents", json!({"id": activity})).await.as_array().map(Vec::len), Some(1));
        app.js("document.querySelector(\"main section[aria-label='Documentos']\").scrollIntoView(); return true;")
            .await;
        app.shot("documents").await;
        user.press(Target::Css(&format!("button[data-document='{document}']"))).await;
        let copy = desk.data_dir().join(".viewing").join(&document).join("Lista de asistencia.pdf");
        let copy_path = copy.to_string_lossy().into_owned();
        wait_until("the document handed to the viewer", || desk.opened().contains(&copy_path)).await;
        assert_eq!(std::fs::read(&copy).expect("the copy"), bytes);
        // Every document, with the record it belongs to.
        user.go("list/document").await;
        app.wait_text("main table", "Lista de asistencia.pdf").await;
        app.wait_text("main table", "Diplomado en observación electoral").await;
        app.shot("document-list").await;
        user.press(Target::Text("Lista de asistencia.pdf")).await;
        app.wait_record_page("document").await;
        app.wait_text("main", "Adjunto a").await;
        let page = app.js("return document.querySelector('main').textContent;").await;
        assert!(!page.as_str().unwrap_or_default().contains("null"), "{page}");
        app.shot("document-page").await;
        // Renamed, with a note: found by either.
        user.press(Target::Text("Renombrar")).await;
        app.wait("main form [name='note']").await;
        user.fill("name", 0, "Lista de asistencia firmada.pdf").await;
        user.fill("note", 0, "Firmada por las 30 personas inscritas").await;
        assert_eq!(user.save("document").await, document);
        app.wait_text("main h1", "Lista de asistencia firmada.pdf").await;
        app.wait_text("main", "Firmada por las 30 personas inscritas").await;
        let hits = app.ok("search", json!({"query": "inscritas firmada", "limit": 10})).await;
        assert_eq!(hits["hits"][0]["id"], json!(document), "{hits}");
        user.press(Target::Text("Diplomado en observación electoral con perspectiva de género")).await;
        app.wait_record_page("activity").await;

        // The instrument lists what carries it out; the person's page, her training.
        user.press(Target::Text("Convenio marco de colaboración entre el IECM y ONU Mujeres")).await;
        app.wait_record_page("agreement").await;
        app.wait_text("main section[aria-label='Actividades que lo ejecutan']", "Diplomado en observación")
            .await;
        app.js("document.querySelector(\"main section[aria-label='Actividades que lo ejecutan']\").scrollIntoView(); return true;")
            .await;
        app.shot("instrument").await;
        user.press(Target::Text("Laura Méndez Ortiz")).await;
        app.wait_record_page("contact").await;
        let training = "main section[aria-label='Formación y actividades']";
        app.wait_text(training, "Diplomado en observación electoral").await;
        app.wait_text(training, "7.5 h · Concluida · Constancia DIP-2026-001").await;
        app.wait_text(training, "19.5 h de formación; 3 concluidas.").await;
        app.shot("person").await;

        // Under way, so on the home view.
        user.go("home").await;
        app.wait_text(
            "main section[aria-label='Actividades en curso y próximas']",
            "Diplomado en observación",
        )
        .await;
        app.shot("home").await;
        user.go("list/activity").await;
        app.wait_text("main table", "Diplomado en observación").await;
        app.shot("list").await;

        // The report to the Commission over those days: the activity and its people counted on
        // screen, then the PDF saved where the dialog says and handed to the viewer.
        user.go("report").await;
        app.wait("#report-figures section").await;
        user.fill("from", 0, &office_day(-10)).await;
        user.fill("until", 0, &office_day(60)).await;
        user.press(Target::Css("main form button[type='submit']")).await;
        app.wait_text("#report-figures", "Diplomado en observación electoral").await;
        app.wait_text("#report-figures section[aria-label='Formación del personal']", "Laura Méndez Ortiz")
            .await;
        app.shot("report").await;
        app.js("document.querySelector(\"#report-figures section[aria-label='Formación del personal']\").scrollIntoView(); return true;")
            .await;
        app.shot("report-training").await;
        let folder = desk.scratch().join("informes");
        std::fs::create_dir_all(&folder).expect("a folder");
        app.click("#report-pdf").await;
        desk.answer_file_dialog("Guardar el informe", Answer::SaveIn(&folder)).await;
        let pdf = saved(&folder, "pdf").await;
        let name = pdf.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.ends_with("_informe-estrategia.pdf"), "{name}");
        app.told(&format!("Informe guardado: {name}")).await;
        let path = pdf.to_string_lossy().into_owned();
        wait_until("the report handed to the viewer", || desk.opened().contains(&path)).await;
    });
}
