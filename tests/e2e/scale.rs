//! The screens at 100,000 people and 5,000 organizations: the people's list drawn a window at
//! a time, scrolled to its end and filtered; an organization found in a picker and chosen; and
//! the webview's memory meanwhile.

use crate::harness::*;
use vinculo_core::{AnyRecord, Contact, Id, Organization, RecordKind};

const PEOPLE: usize = 100_000;
const ORGS: usize = 5_000;
/// Given names and family names the people are made of (ten of each).
const GIVEN: &str = "María José Lucía Juan Ana Luis Sofía Carlos Elena Jorge";
const FAMILY: &str = "García Hernández López Martínez González Pérez Rodríguez Sánchez Ramírez Cruz";

/// The store the app opens: the organizations, then the people in batches (one durable
/// change each), two of them with names no other record has.
fn fill(desk: &Desk) {
    let store = desk.store();
    let orgs: Vec<Organization> = (0..ORGS)
        .map(|i| Organization {
            id: Id::new(RecordKind::Organization),
            name_es: if i == 4_321 {
                "Comisión Binacional Quetzal".into()
            } else {
                format!("Organismo {i:04} de prueba")
            },
            acronym_es: format!("ORG{i:04}"),
            ..Organization::default()
        })
        .collect();
    store
        .insert_batch(orgs.iter().cloned().map(AnyRecord::Organization).collect())
        .expect("the organizations");
    let (given, family): (Vec<&str>, Vec<&str>) = (GIVEN.split(' ').collect(), FAMILY.split(' ').collect());
    for chunk in (0..PEOPLE).collect::<Vec<_>>().chunks(20_000) {
        let people = chunk
            .iter()
            .map(|&i| {
                let full_name = if i == 77_777 {
                    "Zoila Quintanilla Ybarra".to_owned()
                } else {
                    format!("{} {} {i:06}", given[i % 10], family[(i / 10) % 10])
                };
                let organization_id = Some(orgs[i % ORGS].id.clone());
                AnyRecord::Contact(Contact { full_name, organization_id, ..Contact::default() })
            })
            .collect();
        store.insert_batch(people).expect("the people");
    }
    store.close().expect("closed");
}

/// The resident memory of the app's web content process, in MB.
fn webview_mb() -> u64 {
    let mut kb = 0;
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let status = std::fs::read_to_string(entry.path().join("status")).unwrap_or_default();
        if status.lines().next().is_some_and(|l| l.contains("WebKitWebProces")) {
            kb += status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    assert!(kb > 0, "no web content process found");
    kb / 1024
}

#[test]
fn a_hundred_thousand_people_are_listed_scrolled_filtered_and_picked_from() {
    run("scale", |desk| async move {
        let started = std::time::Instant::now();
        fill(&desk);
        eprintln!(
            "e2e scale: {PEOPLE} people and {ORGS} organizations stored in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let app = desk.launch().await;
        let at_home = webview_mb();
        let drawn = "return document.querySelectorAll('main table.list tbody tr[data-row]').length;";

        // The list counts every person and draws a window of them.
        app.nav("list/contact").await;
        app.wait_js(
            "every person counted",
            "document.querySelector('main table.list')?.getAttribute('aria-rowcount') === '100001'",
        )
        .await;
        app.wait_text("main .count", "100,000 registros").await;
        let rows = app.js(drawn).await.as_u64().expect("rows");
        assert!((20..=200).contains(&rows), "{rows} rows drawn");
        let opened = webview_mb();

        // Its end: the last person drawn, still a window of rows.
        app.js("window.scrollTo(0, document.body.scrollHeight); return true;").await;
        app.wait_js(
            "the last person drawn",
            "document.querySelector(\"main table.list tbody tr[aria-rowindex='100001']:not(.loading)\")",
        )
        .await;
        let rows = app.js(drawn).await.as_u64().expect("rows");
        assert!(rows <= 200, "{rows} rows drawn at the end");
        app.shot("end-of-list").await;
        let at_end = webview_mb();

        // A filter typed: one person, who opens.
        app.js("window.scrollTo(0, 0); return true;").await;
        app.wait("#list-filter").await.send_keys("zoila quin").await.expect("typed");
        app.wait_js(
            "one person",
            "document.querySelector('main table.list')?.getAttribute('aria-rowcount') === '2'",
        )
        .await;
        app.click_text("main table", "Zoila Quintanilla Ybarra").await;
        app.wait_record_page("contact").await;

        // A new person at one organization of 5,000, found by typing.
        app.goto("#/contact/new").await;
        app.fill("fullName", "Persona de la prueba de escala").await;
        app.pick("organizationId", "quetzal", "Comisión Binacional Quetzal").await;
        app.click("main form button[type='submit']").await;
        app.wait_record_page("contact").await;
        app.wait_text("main", "Comisión Binacional Quetzal").await;
        let at_last = webview_mb();
        eprintln!(
            "e2e scale: webview memory {at_home} MB at home, {opened} MB with the list open, {at_end} MB at its end, {at_last} MB after the picker"
        );
        assert!(at_end < opened + 100, "the list's end holds a window, not the list: {opened} → {at_end} MB");
    });
}
