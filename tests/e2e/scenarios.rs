//! The scenarios of a liaison officer's day, through the UI only (clicks, typing, keyboard).
//! The command layer is used only to look behind the UI: to count what is stored, or to change
//! a record behind a form's back.

use crate::harness::{App, Hands, Target, User, office_day, run, wait_for, wait_until};
use fantoccini::key::Key;
use serde_json::{Value, json};

fn section(title: &str) -> String {
    format!("main section[aria-label='{title}']")
}

#[test]
fn first_run_loads_and_removes_the_sample() {
    run("first_run", |desk| async move {
        let app = desk.launch().await;
        app.wait_text("main h1", "Esta semana").await;
        app.wait_text("main", "Todavía no hay registros").await;
        app.load_sample().await;
        let overdue = "Enviar a ONU Mujeres la propuesta de calendario de talleres";
        app.wait_text(&section("Compromisos vencidos"), overdue).await;
        app.wait_text(
            &section("Instrumentos por vencer"),
            "Convenio marco de colaboración entre el IECM y ONU Mujeres",
        )
        .await;
        app.wait_text(&section("Instrumentos por vencer"), "faltan 45 d").await;
        assert!(app.counts().await.iter().all(|(_, n)| *n > 0), "every kind has sample records");

        app.nav("settings").await;
        app.click_text("main", "Quitar datos de ejemplo").await;
        app.wait("#dialog[open]").await;
        app.click_text("#dialog", "Quitar datos de ejemplo").await;
        app.wait_gone("#dialog[open]").await;
        app.wait_js("the sample gone", "!document.querySelector('main button.danger')").await;
        app.nav("home").await;
        app.wait_text("main", "Todavía no hay registros").await;
        assert!(app.counts().await.iter().all(|(_, n)| *n == 0), "{:?}", app.counts().await);
    });
}

/// Scenario 2, done by `hands`: an organization, a person with two e-mails, a meeting with two
/// commitments (one overdue), an agreement ending in 30 days; the home screen shows both, and
/// marking the commitment done takes it off.
async fn create_and_follow_up(app: &App, hands: Hands) {
    let user = User { app, hands };
    user.go("list/organization").await;
    user.press(Target::Css("main a[href='#/organization/new']")).await;
    app.wait("main form [name='nameEs']").await;
    user.fill("nameEs", 0, "Tribunal Electoral de la Ciudad de México").await;
    user.fill("nameEn", 0, "Electoral Court of Mexico City").await;
    user.fill("acronymEs", 0, "TECDMX").await;
    user.choose("kind", 0, "Órgano electoral: OPLE").await;
    user.choose("relationship", 0, "Colaboración activa").await;
    user.fill("country", 0, "MX").await;
    user.tick("themes", "genderEquality").await;
    user.tick("themes", "civicEducation").await;
    let org = user.save("organization").await;
    app.wait_text("main h1", "Tribunal Electoral de la Ciudad de México").await;
    app.wait_text("main", "Igualdad de género, Educación cívica").await;

    user.press(Target::Css(&format!("main a[href='#/contact/new/{org}']"))).await;
    app.wait("main form [name='fullName']").await;
    user.fill("honorific", 0, "Mtra.").await;
    user.fill("fullName", 0, "María José Ñúñez Gutiérrez").await;
    user.fill("post", 0, "Directora de Vinculación").await;
    user.fill("emails-label", 0, "Oficina").await;
    user.fill("emails-value", 0, "mj.nunez@tecdmx.ejemplo.mx").await;
    user.press(Target::Css("main button[aria-label='Agregar: Correos electrónicos']")).await;
    user.fill("emails-label", 1, "Personal").await;
    user.fill("emails-value", 1, "majo.nunez@correo.ejemplo.org").await;
    let person = user.save("contact").await;
    app.wait_text("main h1", "Mtra. María José Ñúñez Gutiérrez").await;
    let mails = app
        .js("return [...document.querySelectorAll('main a[href^=\"mailto:\"]')].map((a) => a.textContent);")
        .await;
    assert_eq!(mails, json!(["mj.nunez@tecdmx.ejemplo.mx", "majo.nunez@correo.ejemplo.org"]));
    let saved = app.ok("get_contact", json!({"id": person})).await;
    assert_eq!(saved["organizationId"], json!(org));

    // Back to the organization, and a meeting from there.
    user.press(Target::Text("Tribunal Electoral de la Ciudad de México")).await;
    app.wait_record_page("organization").await;
    user.press(Target::Css(&format!("main a[href='#/meeting/new/{org}']"))).await;
    app.wait("main form [name='title']").await;
    user.fill("title", 0, "Reunión de arranque con el Tribunal Electoral").await;
    user.fill("date", 0, &office_day(3)).await;
    user.fill("time", 0, "10:30").await;
    user.pick("counterpartAttendees", "maria jose", "María José Ñúñez Gutiérrez").await;
    user.fill("objective", 0, "Acordar un programa de educación cívica en escuelas.").await;
    user.press(Target::Text("Agregar: compromiso")).await;
    user.fill("description", 0, "Enviar al Tribunal la propuesta de programa.").await;
    user.fill("dueOn", 0, &office_day(-2)).await;
    user.press(Target::Text("Agregar: compromiso")).await;
    user.fill("description", 1, "Compartir el calendario escolar de la Ciudad.").await;
    user.choose("party", 1, "Contraparte").await;
    user.fill("dueOn", 1, &office_day(20)).await;
    let meeting = user.save("meeting").await;
    app.wait_text("main", "Enviar al Tribunal la propuesta de programa.").await;
    let stored = app.ok("get_meeting", json!({"id": meeting})).await;
    assert_eq!(stored["record"]["counterpartAttendees"], json!([person]));
    assert_eq!(stored["commitments"].as_array().map(Vec::len), Some(2));

    user.press(Target::Text("Tribunal Electoral de la Ciudad de México")).await;
    app.wait_record_page("organization").await;
    user.press(Target::Css(&format!("main a[href='#/agreement/new/{org}']"))).await;
    app.wait("main form [name='title']").await;
    user.choose("kind", 0, "Convenio específico de colaboración").await;
    user.fill("folio", 0, "IECM/CE/077/2026").await;
    user.fill("title", 0, "Convenio específico de educación cívica con el Tribunal Electoral").await;
    user.choose("status", 0, "Vigente").await;
    user.fill("validFrom", 0, &office_day(-335)).await;
    user.fill("validUntil", 0, &office_day(30)).await;
    user.save("agreement").await;
    app.wait_text("main", "IECM/CE/077/2026").await;

    user.go("home").await;
    let overdue = section("Compromisos vencidos");
    app.wait_text(&overdue, "Enviar al Tribunal la propuesta de programa.").await;
    app.wait_text(&overdue, "venció hace 2 d").await;
    app.wait_text(
        &section("Instrumentos por vencer"),
        "Convenio específico de educación cívica con el Tribunal Electoral",
    )
    .await;
    app.wait_text(&section("Instrumentos por vencer"), "faltan 30 d").await;
    app.wait_text(&section("Próximas reuniones"), "Reunión de arranque con el Tribunal Electoral").await;

    user.press(Target::Css(
        "main button[aria-label='Marcar cumplido: Enviar al Tribunal la propuesta de programa.']",
    ))
    .await;
    app.wait("#dialog[open] textarea").await;
    // The dialog puts the focus in its evidence field.
    app.keys("Propuesta enviada por correo el día de hoy.").await;
    user.press(Target::Css("#dialog button.primary")).await;
    app.wait_gone("#dialog[open]").await;
    app.wait_js(
        "the commitment off the overdue list",
        &format!(
            "!document.querySelector({}).textContent.includes('Enviar al Tribunal')",
            json!(section("Compromisos vencidos"))
        ),
    )
    .await;
    let done = app.ok("list_page", json!({"query": {"kind": "commitment", "limit": 500}})).await;
    let done = done["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["title"] == "Enviar al Tribunal la propuesta de programa.")
        .cloned();
    assert_eq!(done.map(|c| c["status"].clone()), Some(json!("done")));
}

#[test]
fn create_records_and_follow_up_with_the_mouse() {
    run("create_with_mouse", |desk| async move {
        let app = desk.launch().await;
        create_and_follow_up(&app, Hands::Mouse).await;
    });
}

#[test]
fn create_records_and_follow_up_with_the_keyboard_alone() {
    run("create_with_keyboard", |desk| async move {
        let app = desk.launch().await;
        create_and_follow_up(&app, Hands::Keyboard).await;
    });
}

/// Ctrl+K, type, arrows to the expected hit, Enter; returns the page's heading.
async fn search_and_open(app: &App, query: &str, expected_title: &str) -> String {
    app.open_palette().await;
    app.keys(query).await;
    app.wait_text("#palette-results", expected_title).await;
    let titles = app.js("return [...document.querySelectorAll('#palette-results li > span:first-child')].map((s) => s.textContent);").await;
    let at = titles
        .as_array()
        .and_then(|t| t.iter().position(|x| x.as_str().is_some_and(|s| s.starts_with(expected_title))))
        .unwrap_or_else(|| panic!("«{expected_title}» not among the hits for «{query}»: {titles}"));
    // Down past it and back up: the arrows move the choice both ways.
    for _ in 0..=at {
        app.keys(&Key::Down).await;
    }
    if at + 1 < titles.as_array().map_or(0, Vec::len) {
        app.keys(&Key::Up).await;
    }
    let chosen = app
        .js("return document.querySelector('#palette-results [aria-selected=\"true\"] span').textContent;")
        .await;
    assert!(chosen.as_str().is_some_and(|c| c.starts_with(expected_title)), "arrows chose {chosen}");
    app.keys(&Key::Enter).await;
    app.wait_gone("#palette[open]").await;
    // The record's page drawn for the route it opened (not the screen before it).
    app.wait_js(
        "a record page",
        "!location.hash.startsWith('#/home') && location.hash === document.querySelector('main').dataset.shown \
         && document.querySelector('main h1')",
    )
    .await;
    app.js("return document.querySelector('main h1').textContent;")
        .await
        .as_str()
        .expect("heading")
        .to_owned()
}

#[test]
fn search_from_the_keyboard_opens_the_right_record() {
    run("search_keyboard", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let unw =
            "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres";
        assert_eq!(search_and_open(&app, "igualdad genero", unw).await, unw);
        assert!(
            app.js("return location.hash;").await.as_str().is_some_and(|h| h.starts_with("#/organization/"))
        );
        assert_eq!(search_and_open(&app, "UN Women", unw).await, unw);
        assert_eq!(
            search_and_open(&app, "ana.castillo@unwomen.ejemplo.org", "Ana Sofía Castillo Reyes").await,
            "Dra. Ana Sofía Castillo Reyes"
        );
        let folio = "Convenio específico para el programa de formación en liderazgo político de mujeres";
        assert_eq!(search_and_open(&app, "IECM/CE/031/2024", folio).await, folio);
        // Esc closes the palette and leaves the page as it was.
        app.open_palette().await;
        app.keys(&Key::Escape).await;
        app.wait_gone("#palette[open]").await;
        app.wait_text("main h1", folio).await;
    });
}

/// The message shown at the field named `name` (its `.field-error`).
async fn field_error(app: &App, name: &str, nth: usize) -> String {
    let script = format!(
        "const f = document.querySelectorAll(\"main form [name='{name}']\")[{nth}].closest('.field');
         return f.querySelector('.field-error').textContent;"
    );
    app.js(&script).await.as_str().unwrap_or_default().to_owned()
}

#[test]
fn invalid_input_is_explained_at_its_field_and_nothing_is_saved() {
    run("validation", |desk| async move {
        let app = desk.launch().await;
        let user = User { app: &app, hands: Hands::Mouse };
        app.load_sample().await;
        let before = app.counts().await;

        // A person: a 5,000-character name and a malformed e-mail.
        user.go("list/contact").await;
        user.press(Target::Css("main a[href='#/contact/new']")).await;
        let long_name = "Ana ".repeat(1250);
        user.fill("fullName", 0, &long_name).await;
        user.fill("emails-value", 0, "ana(arroba)ejemplo.org").await;
        user.press(Target::Css("main form button[type='submit']")).await;
        app.wait_text("main form .form-error", "Revise los campos marcados.").await;
        assert_eq!(field_error(&app, "fullName", 0).await, "Es demasiado largo: máximo 300 caracteres.");
        assert_eq!(field_error(&app, "emails-value", 0).await, "1: No parece un correo electrónico válido.");
        assert_eq!(app.counts().await, before, "nothing saved");
        assert!(app.js("return location.hash;").await.as_str().is_some_and(|h| h.ends_with("/new")));
        user.fill("fullName", 0, "Ana López Ibarra").await;
        user.fill("emails-value", 0, "ana.lopez@ejemplo.org").await;
        user.save("contact").await;
        app.wait_text("main h1", "Ana López Ibarra").await;

        // In English now: an agreement whose validity ends before it starts.
        user.go("settings").await;
        user.choose("language", 0, "English").await;
        user.press(Target::Css("main form button[type='submit']")).await;
        app.wait_text("#nav", "This week").await;
        let before = app.counts().await;
        user.go("list/agreement").await;
        user.press(Target::Css("main a[href='#/agreement/new']")).await;
        user.fill("title", 0, "Letter of intent with UNDP on electoral technology").await;
        user.pick("counterpartIds", "pnud", "Programa de las Naciones Unidas para el Desarrollo").await;
        user.fill("validFrom", 0, "2027-03-01").await;
        user.fill("validUntil", 0, "2026-12-31").await;
        user.press(Target::Css("main form button[type='submit']")).await;
        app.wait_text("main form .form-error", "Please check the marked fields.").await;
        assert_eq!(field_error(&app, "validUntil", 0).await, "Ends before it starts.");
        assert_eq!(app.counts().await, before, "nothing saved");
        user.fill("validUntil", 0, "2028-02-29").await;
        user.save("agreement").await;
        app.wait_text("main h1", "Letter of intent with UNDP on electoral technology").await;
        app.wait_text("main", "29 Feb 2028").await;
    });
}

#[test]
fn a_record_changed_behind_the_form_is_a_conflict_not_an_overwrite() {
    run("conflict", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        app.nav("list/organization").await;
        app.click_text("main table", "Fundación Konrad Adenauer").await;
        let id = app.wait_record_page("organization").await;
        app.click_text("main .page-head", "Editar").await;
        app.wait("main form [name='city']").await;

        // Someone else saves the same record meanwhile (through the command layer).
        let mut theirs = app.ok("get_organization", json!({"id": id})).await;
        theirs["notes"] = json!("Nota escrita en otra ventana mientras el formulario estaba abierto.");
        let theirs = app.ok("save_organization", json!({"record": theirs})).await;

        app.fill("city", "Berlín").await;
        app.click("main form button[type='submit']").await;
        app.wait("#dialog[open] table.diff").await;
        app.wait_text("#dialog", "Otra persona o pantalla cambió este registro").await;
        app.wait_text("#dialog table.diff", "Nota escrita en otra ventana").await;
        app.wait_text("#dialog table.diff", "Berlín").await;
        let stored = app.ok("get_organization", json!({"id": id})).await;
        assert_eq!(stored, theirs, "the store still holds their version");

        app.click_text("#dialog", "Recargar sus datos").await;
        app.wait_gone("#dialog[open]").await;
        app.wait_js(
            "the form reloaded with their notes",
            "document.querySelector(\"main form [name='notes']\")?.value.startsWith('Nota escrita en otra ventana')",
        )
        .await;
        assert_eq!(app.ok("get_organization", json!({"id": id})).await, theirs);
        // Now the edit goes on top of their version.
        app.fill("city", "Berlín").await;
        app.click("main form button[type='submit']").await;
        app.wait_record_page("organization").await;
        let stored = app.ok("get_organization", json!({"id": id})).await;
        assert_eq!(stored["city"], "Berlín");
        assert_eq!(stored["notes"], theirs["notes"]);
        assert_eq!(stored["revision"], json!(theirs["revision"].as_u64().expect("rev") + 1));
    });
}

/// Every id any record points at exists.
async fn assert_nothing_dangles(app: &App) {
    let mut all = std::collections::HashSet::new();
    let mut records = Vec::new();
    for (kind, getter) in [
        ("organization", "get_organization"),
        ("contact", "get_contact"),
        ("meeting", "get_meeting"),
        ("agreement", "get_agreement"),
        ("activity", "get_activity"),
        ("commitment", "get_commitment"),
        ("document", "get_document"),
    ] {
        let list = app.ok("list_page", json!({"query": {"kind": kind, "limit": 500}})).await;
        for item in list["items"].as_array().expect("items") {
            let id = item["id"].as_str().expect("id").to_owned();
            let full = app.ok(getter, json!({"id": id})).await;
            all.insert(id);
            records.push(full);
        }
    }
    fn refs(v: &Value, key: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    let is_ref = k.ends_with("Id")
                        || k.ends_with("Ids")
                        || ["counterpartAttendees", "iecmDelegation"].contains(&k.as_str())
                        || (key == "source" && k == "id");
                    match x {
                        Value::String(s) if is_ref => out.push(s.clone()),
                        Value::Array(a) if is_ref => {
                            out.extend(a.iter().filter_map(|s| s.as_str().map(str::to_owned)))
                        }
                        _ => refs(x, k, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, key, out)),
            _ => {}
        }
    }
    let mut pointed = Vec::new();
    for r in &records {
        refs(r, "", &mut pointed);
    }
    assert!(!pointed.is_empty());
    let dangling: Vec<&String> = pointed.iter().filter(|id| !all.contains(*id)).collect();
    assert!(dangling.is_empty(), "dangling references: {dangling:?}");
}

#[test]
fn deleting_an_organization_with_people_asks_and_leaves_nothing_dangling() {
    run("delete_organization", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let people_of = |org: String| {
            let app = app.clone();
            async move {
                let list = app.ok("list_page", json!({"query": {"kind": "contact", "limit": 500}})).await;
                list["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .filter(|c| c["organization"]["id"] == json!(org))
                    .map(|c| c["title"].as_str().expect("title").to_owned())
                    .collect::<Vec<_>>()
            }
        };

        // Asked, and cancelled: nothing changes.
        let before = app.counts().await;
        app.nav("list/organization").await;
        app.click_text("main table", "Instituto Internacional para la Democracia y la Asistencia Electoral")
            .await;
        let idea = app.wait_record_page("organization").await;
        app.click_text("main .page-head", "Eliminar").await;
        app.wait_text("#dialog[open]", "Pasarlos a otro organismo").await;
        app.wait_text("#dialog", "Tomás Lindqvist").await;
        app.click_text("#dialog", "Cancelar").await;
        app.wait_gone("#dialog[open]").await;
        assert_eq!(app.counts().await, before);

        // Cascade: its person and what only it had go with it.
        app.click_text("main .page-head", "Eliminar").await;
        app.click("#dialog[open] #policy-cascade").await;
        app.click("#dialog button.danger").await;
        app.wait_js("the list", "location.hash === '#/list/organization'").await;
        assert!(app.invoke("get_organization", json!({"id": idea})).await.is_err());
        assert!(people_of(idea).await.is_empty());
        assert_nothing_dangles(&app).await;

        // Reassign: UN Women's people, meetings and agreements move to UNDP.
        let unw_people = {
            let hit = app.ok("search", json!({"query": "UN Women", "limit": 1})).await;
            people_of(hit["hits"][0]["id"].as_str().expect("id").to_owned()).await
        };
        assert_eq!(unw_people.len(), 2);
        app.click_text(
            "main table",
            "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres",
        )
        .await;
        app.wait_record_page("organization").await;
        app.click_text("main .page-head", "Eliminar").await;
        app.wait("#dialog[open] #policy-target").await;
        app.pick("policy-target", "program naciones", "Programa de las Naciones Unidas para el Desarrollo")
            .await;
        app.click("#dialog button.danger").await;
        app.wait_js("the list", "location.hash === '#/list/organization'").await;
        let undp = app.ok("search", json!({"query": "PNUD", "limit": 1})).await["hits"][0]["id"].clone();
        let mut moved = people_of(undp.as_str().expect("id").to_owned()).await;
        moved.sort();
        let mut expected = unw_people;
        expected.sort();
        assert_eq!(moved, expected);
        assert_nothing_dangles(&app).await;
    });
}

#[test]
fn everything_and_the_language_survive_a_restart() {
    run("restart", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let user = User { app: &app, hands: Hands::Mouse };
        user.go("list/organization").await;
        user.press(Target::Css("main a[href='#/organization/new']")).await;
        user.fill("nameEs", 0, "Universidad Autónoma de la Ciudad de México").await;
        user.fill("acronymEs", 0, "UACM").await;
        let uacm = user.save("organization").await;
        user.go("settings").await;
        user.choose("language", 0, "English").await;
        user.press(Target::Css("main form button[type='submit']")).await;
        app.wait_text("#nav", "This week").await;
        let before = app.counts().await;
        desk.close_session().await;

        let app = desk.launch().await;
        app.wait_text("main h1", "This week").await;
        app.wait(&section("Overdue commitments")).await;
        assert_eq!(app.js("return document.documentElement.lang;").await, json!("en"));
        assert_eq!(app.counts().await, before);
        app.nav("list/organization").await;
        app.click_text("main table", "Universidad Autónoma de la Ciudad de México").await;
        assert_eq!(app.wait_record_page("organization").await, uacm);
    });
}

#[test]
fn a_second_launch_focuses_the_first_window() {
    run("second_launch", |desk| async move {
        let app = desk.launch().await;
        app.nav("list/organization").await;
        // Another window has the focus when the user starts Vínculo again.
        let xdotool = |args: &[&str]| desk.xdotool(args);
        let mut other = std::process::Command::new("xmessage")
            .args(["-geometry", "400x100+0+0", "Otra ventana"])
            .env("DISPLAY", desk.display())
            .spawn()
            .expect("xmessage");
        let other_window = xdotool(&["search", "--sync", "--class", "Xmessage"]);
        xdotool(&["windowfocus", "--sync", other_window.lines().last().expect("a window")]);
        assert_eq!(xdotool(&["getwindowfocus", "getwindowname"]), "xmessage");

        let mut second = desk.app_command().spawn().expect("second launch");
        let status =
            wait_for("the second launch to hand over and exit", || second.try_wait().expect("wait")).await;
        assert!(status.success(), "the second launch exited with {status}");
        wait_until("the hand-over in the log", || {
            desk.app_log().contains("second launch: focusing the first window")
        })
        .await;
        // The first window has the keyboard focus again, and still works.
        assert_eq!(xdotool(&["getwindowfocus", "getwindowname"]), "Vínculo");
        let _ = other.kill();
        let _ = other.wait();
        app.nav("home").await;
        app.wait_text("main h1", "Esta semana").await;
    });
}

#[test]
fn see_all_opens_every_item_of_a_home_section_at_its_top() {
    run("see_all", |desk| async move {
        let app = desk.launch().await;
        app.wait_text("main h1", "Esta semana").await;
        let org = app
            .ok("save_organization", json!({"record": {"nameEs": "Organismo de prueba", "kind": "ngo"}}))
            .await;
        // More overdue commitments than the home lists, and one due in three days.
        let mut commitments: Vec<Value> = (0..30)
            .map(|i| json!({"description": format!("Compromiso vencido {i:02}"), "dueOn": office_day(-10 - i)}))
            .collect();
        commitments.push(json!({"description": "Compromiso por vencer", "dueOn": office_day(3)}));
        app.ok(
            "save_meeting",
            json!({"record": {"title": "Reunión de prueba", "date": office_day(-40), "organizationIds": [org["id"]]},
                   "commitments": commitments, "removed": []}),
        )
        .await;
        app.nav("list/organization").await;
        app.nav("home").await;
        let overdue = section("Compromisos vencidos");
        app.wait_text(&overdue, "Se muestran 25 de 30.").await;
        app.js("window.scrollTo(0, document.body.scrollHeight)").await;
        app.click_text(&overdue, "Ver todos").await;
        app.wait_shown("#/list/commitment/overdueCommitments").await;
        app.wait_text("main h1", "Compromisos vencidos").await;
        app.wait_text("main .count", "30 registros").await;
        let text = app.js("return document.querySelector('main').innerText").await;
        assert!(
            !text.as_str().unwrap_or_default().contains("Compromiso por vencer"),
            "only the overdue ones"
        );
        assert_eq!(app.js("return window.scrollY").await, json!(0), "a new screen opens at its top");
    });
}
