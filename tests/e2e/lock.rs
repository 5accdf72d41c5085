//! The passphrase through the real app: set on the first start, the recovery key shown once,
//! the window locked by Ctrl+L and after the idle minutes, a wrong passphrase and the
//! slow-down after it, the recovery key, and nothing of the records in a locked page.

use crate::harness::{PASSPHRASE, run};
use fantoccini::key::Key;
use serde_json::json;
use std::time::{Duration, Instant};

const SAMPLE_NAME: &str = "ONU Mujeres";

#[test]
fn the_first_start_protects_the_data_and_the_window_locks_and_unlocks() {
    run("lock", |desk| async move {
        let app = desk.launch_locked().await;
        app.wait_text("main h1", "Proteja los datos de Vínculo").await;
        assert!(
            app.js("return getComputedStyle(document.getElementById('nav')).display;").await == json!("none")
        );
        // A short passphrase, then two that differ: each refused at its field.
        app.fill("passphrase", "corta").await;
        app.fill("confirmation", "corta").await;
        app.click("#setup-form button[type=submit]").await;
        app.wait_text("#setup-form .field-error", "al menos 10 caracteres").await;
        app.fill("passphrase", PASSPHRASE).await;
        app.fill("confirmation", "otra frase distinta").await;
        app.click("#setup-form button[type=submit]").await;
        app.wait_text("#setup-form", "Las dos contraseñas no coinciden").await;
        app.shot("setup-refused").await;
        assert!(!vinculo_core::has_store(&desk.data_dir()), "nothing written yet");
        app.fill("confirmation", PASSPHRASE).await;
        app.click("#setup-form button[type=submit]").await;
        // The recovery key, once; continuing needs the box ticked.
        let key = app.wait("#recovery-key").await.text().await.expect("the key");
        assert_eq!((key.len(), key.matches('-').count()), (39, 7), "{key}");
        assert_eq!(
            app.js("return document.getElementById('recovery-continue').disabled;").await,
            json!(true)
        );
        app.shot("recovery-key").await;
        app.click("#recovery-noted").await;
        app.click("#recovery-continue").await;
        app.wait_text("main h1", "Esta semana").await;
        app.load_sample().await;
        assert!(vinculo_core::is_encrypted(&desk.data_dir()));

        // Ctrl+L: the page holds nothing of the records; the store is closed.
        app.click("main h1").await;
        app.keys(&format!("{}l{}", Key::Control, Key::Null)).await;
        app.wait("#unlock-form").await;
        app.wait_text("main h1", "Vínculo está bloqueado").await;
        let page = app.js("return document.body.innerText + document.title;").await;
        assert!(!page.as_str().unwrap_or_default().contains(SAMPLE_NAME), "a locked page: {page}");
        assert_eq!(
            app.invoke("home", json!({})).await.err().map(|e| e["code"].clone()),
            Some(json!("storeEncrypted"))
        );
        // Wrong three times; the fourth try is told to wait.
        for _ in 0..3 {
            app.fill("passphrase", "no es la frase").await;
            app.click("#unlock-form button[type=submit]").await;
            app.wait_text("#unlock-form .field-error", "La contraseña no es correcta").await;
            app.js("document.querySelector('#unlock-form .field-error').textContent = ''; return true;")
                .await;
        }
        app.fill("passphrase", PASSPHRASE).await;
        app.click("#unlock-form button[type=submit]").await;
        app.wait_text("#unlock-form .field-error", "Demasiados intentos fallidos").await;
        app.shot("unlock-slowed").await;
        // With the recovery key instead, once the wait is over (each early try is told again).
        app.click("#use-recovery").await;
        app.fill("recoveryKey", &key.to_lowercase()).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        let answer = "document.querySelector('#recovery-form .field-error')";
        loop {
            app.js(&format!("{answer}.textContent = ''; return true;")).await;
            app.click("#recovery-form button[type=submit]").await;
            app.wait_js(
                "an answer",
                &format!("!document.body.classList.contains('locked') || {answer}?.textContent"),
            )
            .await;
            if app.js("return document.body.classList.contains('locked');").await == json!(false) {
                break;
            }
            let told = app.js(&format!("return {answer}.textContent;")).await;
            assert!(told.as_str().is_some_and(|t| t.contains("Demasiados intentos")), "{told}");
            assert!(Instant::now() < deadline, "the recovery key never unlocked");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        app.wait_text("main section[aria-label='Compromisos vencidos']", SAMPLE_NAME).await;

        // The lock after the idle minutes the settings give (one, the least).
        app.nav("settings").await;
        app.fill("lockAfterMinutes", "1").await;
        app.click("main form.record button[type=submit]").await;
        app.told("Ajustes guardados").await;
        app.js("document.getElementById('security')?.scrollIntoView(); return true;").await;
        app.shot("settings-security").await;
        let idle_from = Instant::now();
        let deadline = idle_from + Duration::from_secs(150);
        while app.js("return document.body.classList.contains('locked');").await != json!(true) {
            assert!(Instant::now() < deadline, "the window never locked when idle");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert!(
            idle_from.elapsed() >= Duration::from_secs(55),
            "locked too early: {:?}",
            idle_from.elapsed()
        );
        app.wait("#unlock-form").await;
        app.fill("passphrase", PASSPHRASE).await;
        app.click("#unlock-form button[type=submit]").await;
        app.wait_js("unlocked", "!document.body.classList.contains('locked')").await;
        app.wait_text("main h1", "Ajustes").await;
        assert!(desk.app_log().contains("store locked"));

        // In English too: locked from the settings' button, a wrong passphrase told in English.
        app.js("document.querySelector('main form [name=language]').value = 'en'; return true;").await;
        app.click("main form.record button[type=submit]").await;
        app.wait_text("main h1", "Settings").await;
        app.click("#lock-now").await;
        app.wait_text("main h1", "Vínculo is locked").await;
        app.fill("passphrase", "not the passphrase").await;
        app.click("#unlock-form button[type=submit]").await;
        app.wait_text("#unlock-form .field-error", "The passphrase is not correct").await;
        assert_eq!(
            app.js("return document.getElementById('toast').classList.contains('show');").await,
            json!(false),
            "no message left from before the lock"
        );
        app.shot("unlock-english").await;
        app.fill("passphrase", PASSPHRASE).await;
        app.click("#unlock-form button[type=submit]").await;
        app.wait_text("main h1", "Settings").await;
    });
}
