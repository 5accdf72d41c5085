//! Nothing stored in Vínculo can run in its webview: hostile text saved into every text field of
//! every kind of record shows as text on every screen, links leave only for the web, e-mail
//! and phone, the window never navigates away, and the commands refuse what the UI never sends.

use crate::harness::{App, office_day, run, wait_until};
use fantoccini::key::Key;
use serde_json::{Value, json};

/// Markup, script, attribute breakouts, dangerous URLs and template syntax. Each would run
/// something (set `window.__pwned`, open an alert) or add an element if it were ever parsed.
pub const PAYLOADS: &[&str] = &[
    "<img src=x onerror=\"window.__pwned='img';alert(1)\">",
    "<script>window.__pwned='script';alert(2)</script>",
    "\"><svg onload=\"window.__pwned='svg'\"><b data-injected>",
    "' onfocus='window.__pwned=1' autofocus x='",
    "javascript:window.__pwned='js-url';alert(3)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==",
    "</script><script>window.__pwned='close'</script>",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${window.__pwned='tpl'}#{7*7}<%= 7*7 %>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<a href=\"javascript:window.__pwned='link'\" data-injected>clic</a>",
    "&lt;b&gt;entidad&lt;/b&gt; &amp; <!-- comentario --> ]]>",
    "<style>*{display:none}</style><math><mi xlink:href=\"javascript:alert(5)\">x</mi></math>",
    "<form action=\"javascript:alert(6)\"><button>enviar</button></form>",
];

/// URLs that pass validation yet carry markup: shown and opened, never parsed.
const HOSTILE_URL: &str = "https://ejemplo.org/?q=\"><img/src=x/onerror=alert(7)>&r=javascript:alert(8)";

/// The payload for the `n`th text field, one that fits `max` characters.
fn payload(n: usize, max: usize) -> String {
    let fitting: Vec<&&str> = PAYLOADS.iter().filter(|p| p.chars().count() <= max).collect();
    fitting[n % fitting.len()].to_string()
}

/// What a screen must never show: a script that ran, an element that came from the data, a
/// link to anything but the app, the web, e-mail or a phone.
async fn assert_inert(app: &App, screen: &str) {
    assert!(app.client.get_alert_text().await.is_err(), "{screen}: an alert is open");
    let found = app
        .js(
            "return {
               pwned: window.__pwned ?? null,
               sentinel: window.__sentinel ?? null,
               injected: [...document.querySelectorAll(
                 '[data-injected], img[src=\"x\"], svg, iframe, math, main script, main style, main form form, ' +
                 '[onerror], [onload], [onfocus], [autofocus], [srcdoc]')].map((e) => e.outerHTML.slice(0, 80)),
               badLinks: [...document.querySelectorAll('a[href], [action], [formaction]')]
                 .map((a) => a.getAttribute('href') ?? a.getAttribute('action') ?? a.getAttribute('formaction'))
                 .filter((h) => !/^(#|mailto:|tel:|https?:\\/\\/)/i.test(h)),
               protocol: location.protocol,
             };",
        )
        .await;
    assert_eq!(found["pwned"], Value::Null, "{screen}: a script from the data ran");
    assert_eq!(found["sentinel"], json!("intact"), "{screen}: the page was replaced");
    assert_eq!(found["injected"], json!([]), "{screen}: elements from the data");
    assert_eq!(found["badLinks"], json!([]), "{screen}: links to elsewhere");
    assert_eq!(found["protocol"], json!("tauri:"), "{screen}: the window left the app");
}

/// Every value in `texts` appears, as text, in the screen's main area.
async fn assert_shown(app: &App, screen: &str, texts: &[String]) {
    let shown = app.js("return document.querySelector('main').textContent;").await;
    let shown = shown.as_str().unwrap_or_default();
    for text in texts {
        assert!(shown.contains(text.as_str()), "{screen}: «{text}» not shown as text");
    }
}

/// The hostile records: every text field of every kind holds a payload (as validation allows).
async fn save_hostile_records(app: &App) -> (Value, Value, Value, Value) {
    let mut n = 0;
    let mut next = |max: usize| {
        n += 1;
        payload(n, max)
    };
    let org = app
        .ok(
            "save_organization",
            json!({"record": {
                "nameEs": format!("Hostil {}", next(290)), "nameEn": next(300),
                "acronymEs": next(80), "acronymEn": next(80), "city": next(300),
                "country": "MX", "website": HOSTILE_URL, "notes": next(10_000),
                "tags": [next(80), next(80)], "kind": "ngo", "themes": ["humanRights"],
            }}),
        )
        .await;
    let person = app
        .ok(
            "save_contact",
            json!({"record": {
                "fullName": format!("Hostil {}", next(290)), "honorific": next(80), "post": next(300),
                "organizationId": org["id"],
                "emails": [{"label": next(80), "value": "hostil@ejemplo.org"}],
                "phones": [{"label": next(80), "value": "+52 55 5000 1234"}],
                "languages": ["es"], "notes": next(10_000), "tags": [next(80)],
            }}),
        )
        .await;
    // A new post: the post history keeps the old, hostile one.
    let mut moved = person.clone();
    moved["post"] = json!(next(300));
    let person = app.ok("save_contact", json!({"record": moved})).await;
    let meeting = app
        .ok(
            "save_meeting",
            json!({"record": {
                "title": format!("Hostil {}", next(290)), "date": office_day(2), "time": "10:00",
                "place": next(300), "link": HOSTILE_URL, "organizationIds": [org["id"]],
                "counterpartAttendees": [person["id"]], "objective": next(10_000), "agenda": next(10_000),
                "talkingPoints": next(10_000), "sensitiveTopics": next(10_000), "minutes": next(10_000),
            }, "commitments": [{
                "description": format!("Hostil {}", next(10_000)), "evidence": next(10_000),
                "dueOn": office_day(-1), "ownerId": person["id"],
            }], "removed": []}),
        )
        .await;
    let agreement = app
        .ok(
            "save_agreement",
            json!({"record": {
                "title": format!("Hostil {}", next(290)), "folio": next(80), "purpose": next(10_000),
                "counterpartIds": [org["id"]], "iecmArea": next(300), "notes": next(10_000),
                "documentRefs": ["javascript:alert(9)", next(300), HOSTILE_URL],
                "status": "inForce", "validFrom": office_day(-300),
                "validUntil": office_day(20),
            }, "commitments": [{"description": format!("Hostil {}", next(10_000)), "party": "counterpart"}],
               "removed": []}),
        )
        .await;
    app.ok(
        "save_settings",
        json!({"settings": {"language": "es", "paper": "letter", "institution": next(300), "area": next(300), "openAfterExport": true, "lockAfterMinutes": 10, "userName": "rmartinez", "noteMeetings": 5, "noteAgreements": 20}}),
    )
    .await;
    assert!(n >= PAYLOADS.len(), "every payload is stored somewhere");
    (org, person, meeting, agreement)
}

/// The texts of `values` (strings, or lists of them). Each was saved with a payload, so an empty
/// or missing one means a save lost it: that fails here rather than going unchecked.
fn strings(values: &[&Value]) -> Vec<String> {
    let text = |v: &Value| -> String {
        v.as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("a saved value was lost: {v}"))
    };
    values
        .iter()
        .flat_map(|v| match v {
            Value::Array(items) if !items.is_empty() => items.iter().map(text).collect(),
            other => vec![text(other)],
        })
        .collect()
}

#[test]
fn nothing_stored_runs_in_the_webview() {
    run("security_hostile_records", |desk| async move {
        let app = desk.launch().await;
        app.js("window.__sentinel = 'intact'; return true;").await;
        let (org, person, meeting, agreement) = save_hostile_records(&app).await;
        let meeting_record = &meeting["record"];
        let agreement_record = &agreement["record"];

        let mut screens = 0;
        for route in [
            "#/home",
            "#/list/organization",
            "#/list/contact",
            "#/list/meeting",
            "#/list/agreement",
            "#/list/commitment",
        ] {
            app.goto(route).await;
            assert_inert(&app, route).await;
            screens += 1;
        }
        app.goto("#/list/commitment").await;
        assert_shown(&app, "commitment list", &strings(&[&meeting["commitments"][0]["description"]])).await;

        // Each record's page, the values its page shows, and those shown on the page only (the
        // rest are in its form too).
        let page_of = |kind: &str, record: &Value| format!("#/{kind}/{}", record["id"].as_str().expect("id"));
        let commitment = &meeting["commitments"][0];
        let pages: Vec<(String, Vec<String>, Vec<String>)> = vec![
            (
                page_of("organization", &org),
                strings(&[
                    &org["nameEs"],
                    &org["nameEn"],
                    &org["acronymEs"],
                    &org["acronymEn"],
                    &org["city"],
                    &org["website"],
                    &org["notes"],
                    &org["tags"],
                ]),
                vec![],
            ),
            (
                page_of("contact", &person),
                strings(&[
                    &person["fullName"],
                    &person["honorific"],
                    &person["post"],
                    &person["emails"][0]["label"],
                    &person["phones"][0]["label"],
                    &person["notes"],
                    &person["tags"],
                ]),
                strings(&[&person["postHistory"][0]["post"]]),
            ),
            (
                page_of("meeting", meeting_record),
                strings(&[
                    &meeting_record["title"],
                    &meeting_record["place"],
                    &meeting_record["link"],
                    &meeting_record["objective"],
                    &meeting_record["agenda"],
                    &meeting_record["talkingPoints"],
                    &meeting_record["sensitiveTopics"],
                    &meeting_record["minutes"],
                    &commitment["description"],
                ]),
                vec![],
            ),
            (
                page_of("agreement", agreement_record),
                strings(&[
                    &agreement_record["title"],
                    &agreement_record["folio"],
                    &agreement_record["purpose"],
                    &agreement_record["iecmArea"],
                    &agreement_record["notes"],
                    &agreement_record["documentRefs"],
                    &agreement["commitments"][0]["description"],
                ]),
                vec![],
            ),
            (
                page_of("commitment", commitment),
                strings(&[&commitment["description"], &commitment["evidence"]]),
                vec![],
            ),
        ];
        for (page, in_form, page_only) in &pages {
            app.goto(page).await;
            assert_inert(&app, page).await;
            assert_shown(&app, page, &[in_form.clone(), page_only.clone()].concat()).await;
            // Its form holds the same values, as values.
            let edit = format!("{page}/edit");
            app.goto(&edit).await;
            assert_inert(&app, &edit).await;
            let values = app.js("return [...document.querySelectorAll('main form input, main form textarea')].map((e) => e.value);").await;
            let values: Vec<&str> =
                values.as_array().expect("values").iter().filter_map(Value::as_str).collect();
            for text in in_form {
                let held =
                    values.iter().any(|v| v == text || v.split([',', '\n']).any(|part| part.trim() == text));
                assert!(held, "{edit}: «{text}» not a value in the form");
            }
            // Leave the form without saving (nothing was edited, so nothing is asked).
            app.goto("#/home").await;
            screens += 2;
        }

        // Settings show the institution and area as values of their fields.
        let settings = app.ok("get_settings", json!({})).await;
        app.goto("#/settings").await;
        assert_inert(&app, "#/settings").await;
        for key in ["institution", "area"] {
            let shown =
                app.js(&format!("return document.querySelector(\"main form [name='{key}']\").value;")).await;
            assert_eq!(shown, settings[key], "settings: {key}");
        }
        app.goto("#/about").await;
        assert_inert(&app, "#/about").await;
        screens += 2;

        // The search palette lists them, as text.
        app.goto("#/home").await;
        app.open_palette().await;
        app.keys("hostil").await;
        app.wait_text("#palette-results", "Hostil").await;
        let hits = app.js("return document.getElementById('palette-results').textContent;").await;
        for title in
            [&org["nameEs"], &person["fullName"], &meeting_record["title"], &agreement_record["title"]]
        {
            let title = title.as_str().expect("title");
            assert!(hits.as_str().is_some_and(|h| h.contains(title)), "search results: «{title}» not shown");
        }
        assert_inert(&app, "search results").await;
        app.keys(&Key::Escape).await;
        app.wait_gone("#palette[open]").await;
        screens += 1;
        eprintln!("security: {} payloads, {screens} screens inert", PAYLOADS.len());
    });
}

#[test]
fn links_leave_only_for_the_system_and_the_window_stays_home() {
    run("security_links", |desk| async move {
        let app = desk.launch().await;
        app.js("window.__sentinel = 'intact'; return true;").await;
        let (org, person, meeting, agreement) = save_hostile_records(&app).await;

        // The website: a link, opened by the system, the window stays.
        app.goto(&format!("#/organization/{}", org["id"].as_str().expect("id"))).await;
        app.wait("main a.external").await;
        let href = app.js("return document.querySelector('main a.external').getAttribute('href');").await;
        assert_eq!(href, org["website"]);
        app.click("main a.external").await;
        // E-mail and phone on the person's page.
        app.goto(&format!("#/contact/{}", person["id"].as_str().expect("id"))).await;
        app.click("main a[href^='mailto:']").await;
        app.click("main a[href^='tel:']").await;
        // The meeting link.
        app.goto(&format!("#/meeting/{}", meeting["record"]["id"].as_str().expect("id"))).await;
        app.click("main a.external").await;
        // What the system gets is the URL as the URL standard writes it (percent-encoded).
        let website =
            tauri::Url::parse(org["website"].as_str().expect("website")).expect("a URL").to_string();
        let expected = [website.as_str(), "mailto:hostil@ejemplo.org", "tel:+525550001234", website.as_str()];
        wait_until("every link handed to the system", || desk.opened().len() >= expected.len()).await;
        assert_eq!(desk.opened(), expected);
        assert_inert(&app, "after the links").await;

        // A document reference that is a javascript: URL is text, not a link.
        app.goto(&format!("#/agreement/{}", agreement["record"]["id"].as_str().expect("id"))).await;
        assert_shown(&app, "agreement", &["javascript:alert(9)".to_owned()]).await;
        let links = app.js("return [...document.querySelectorAll('main a.external')].map((a) => a.getAttribute('href'));").await;
        assert_eq!(links, json!([org["website"]]));
        assert_inert(&app, "agreement").await;

        // A navigation from script, a new window, a link the UI did not build: all refused.
        app.js("location.href = 'https://ejemplo.org/'; return true;").await;
        app.js("window.open('https://ejemplo.org/', '_blank'); return true;").await;
        app.js("const a = document.createElement('a'); a.href = 'file:///etc/passwd'; a.textContent = 'x';
             document.querySelector('main').append(a); a.click(); a.remove(); return true;")
            .await;
        wait_until("the guard's refusal in the log", || {
            desk.app_log().contains("navigation to a https: address refused")
        })
        .await;
        // The guard has answered; a window, had one been let through, would be there by now.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(app.client.windows().await.expect("windows").len(), 1, "no second window");
        assert_inert(&app, "after navigation attempts").await;
        assert_eq!(desk.opened().len(), expected.len(), "nothing else went to the system");
        app.nav("home").await;
        app.wait_text("main h1", "Esta semana").await;
    });
}

#[test]
fn malformed_calls_through_the_real_ipc_become_errors_the_ui_can_show() {
    run("security_commands", |desk| async move {
        let app = desk.launch().await;
        app.load_sample().await;
        let before = app.counts().await;
        let org = app.ok("list_page", json!({"query": {"kind": "organization", "limit": 500}})).await["items"][0]["id"].clone();
        let calls = [
            ("get_organization", json!({"id": 42})),
            ("get_organization", json!({"id": "per_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f"})),
            ("list_page", json!({"query": {"kind": "everything", "limit": 500}})),
            ("search", json!({"query": "onu", "limit": -1})),
            ("search", json!({"query": "x".repeat(10_000)})),
            ("save_contact", json!({"record": {"fullName": ["Ana"]}})),
            (
                "save_contact",
                json!({"record": {"fullName": "Ana", "emails": [{"label": "x", "value": "no"}]}}),
            ),
            (
                "save_meeting",
                json!({"record": {"title": "x", "date": "2026-13-45"}, "commitments": [], "removed": []}),
            ),
            ("delete_organization", json!({"id": org, "revision": 1e300, "policy": {"policy": "cascade"}})),
            (
                "delete_organization",
                json!({"id": org, "revision": 1, "policy": {"policy": "reassign", "to": org}}),
            ),
            ("delete_contact", json!({"id": "../../etc/passwd", "revision": 1})),
            ("open_external", json!({"url": "file:///etc/passwd"})),
            ("save_settings", json!({"settings": {"language": "fr"}})),
        ];
        for (cmd, args) in calls {
            // Through the UI's own error handling: what would the user be told?
            let shown = app
                .client
                .execute_async(
                    "const [cmd, args, done] = arguments;
                     Promise.all([import('./api.js'), import('./i18n.js')]).then(([api, i18n]) =>
                       window.__TAURI__.core.invoke(cmd, args).then(
                         () => done({accepted: true}),
                         (raw) => {
                           const e = api.toAppError(raw);
                           done({kind: e.kind, code: e.code, message: i18n.message(e.code, e.params)});
                         }));",
                    vec![json!(cmd), args.clone()],
                )
                .await
                .unwrap_or_else(|e| panic!("{cmd}: {e}"));
            assert_eq!(shown.get("accepted"), None, "{cmd} {args} was accepted");
            assert_ne!(shown["kind"], json!("internal"), "{cmd} {args}: {shown}");
            let message = shown["message"].as_str().unwrap_or_default();
            assert!(!message.is_empty() && message != "Ocurrió un error inesperado.", "{cmd}: {shown}");
        }
        assert_eq!(app.counts().await, before, "the store is as it was");
        assert_eq!(app.ok("get_settings", json!({})).await["language"], "es");
        app.nav("list/organization").await;
        app.wait("main table").await;
    });
}
