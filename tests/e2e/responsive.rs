//! The window stays the user's while the app works: a command that takes seconds (deleting an
//! organization with everything of it, 150,000 people) runs off the main thread, so the window
//! still takes the user's keys meanwhile. Order, not time, is what the test asserts: what the
//! window did came before the long command ended. (Run as a sync command, on the main thread,
//! the delete made the keys wait for it, and this test failed.)

use crate::harness::run;
use serde_json::json;
use vinculo_core::{AnyRecord, Contact, Id, Organization, RecordKind};

/// People of the one organization: enough that deleting them all takes seconds, not
/// milliseconds, even on a fast machine.
const PEOPLE: usize = 150_000;

#[test]
fn the_window_answers_while_a_long_command_runs() {
    run("responsive", |desk| async move {
        // A big office, written before the app starts.
        let org_id = Id::new(RecordKind::Organization);
        let mut org = Organization { name_es: "Organismo con mucha gente".into(), ..Default::default() };
        org.id = org_id.clone();
        let mut records: Vec<AnyRecord> = vec![org.into()];
        records.extend((0..PEOPLE).map(|i| {
            let mut c = Contact { full_name: format!("Persona {i}"), ..Default::default() };
            c.id = Id::new(RecordKind::Contact);
            c.organization_id = Some(org_id.clone());
            AnyRecord::from(c)
        }));
        let store = desk.store();
        store.insert_batch(records).expect("the office");
        let revision = store.get::<Organization>(&org_id).expect("the organization").revision;
        store.close().expect("closed");

        let app = desk.launch().await;
        app.client
            .execute(
                "const [id, revision] = arguments;
             window.__long = { done: false };
             window.__TAURI__.core
               .invoke('delete_organization', { id, revision, policy: { policy: 'cascade' } })
               .then((r) => { window.__long = { done: true, deleted: r.deleted.length }; },
                     (e) => { window.__long = { done: true, error: e }; });
             return true;",
                vec![json!(org_id.as_str()), json!(revision)],
            )
            .await
            .expect("the delete started");
        // Meanwhile the keyboard works: Ctrl+K opens the search palette and the user types
        // into it (WebKit hands keys to the page through the main thread). What the palette
        // then asks the store waits for the delete; the window does not.
        app.open_palette().await;
        app.keys("Konrad").await;
        assert_eq!(
            app.js("return [document.querySelector('#palette input').value, window.__long.done];").await,
            json!(["Konrad", false]),
            "keys taken during the delete"
        );
        app.wait_js("the delete done", "window.__long.done").await;
        assert_eq!(
            app.js("return window.__long;").await,
            json!({"done": true, "deleted": PEOPLE + 1}),
            "the organization and its people are gone"
        );
    });
}
