//! The passphrase, the recovery key and the lock: making the encrypted store (or encrypting
//! a plain one), unlocking it, locking it, changing the passphrase.

use crate::commands::off_main;
use crate::error::IpcError;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use vinculo_core::{Code, RecoveryKey, Secret, Violation};

type Result<T> = std::result::Result<T, IpcError>;

/// A new passphrase and its second entry, which must agree (checked before any work).
pub(crate) fn confirmed(passphrase: &str, confirmation: &str) -> Result<()> {
    if passphrase != confirmation {
        return Err(IpcError::invalid(vec![Violation::new("confirmation", Code::PassphraseMismatch)]));
    }
    Ok(())
}

/// What the user is shown once, after the store is protected.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Protected {
    /// Eight groups of four characters.
    pub recovery_key: String,
}

/// Sets the passphrase: on the first start it makes the encrypted store; with a plain store it
/// encrypts it in place (the plain copies beside it are sealed or deleted). Returns the
/// recovery key, which is not kept anywhere in the clear.
#[tauri::command]
pub async fn set_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
    confirmation: String,
) -> Result<Protected> {
    off_main(&state, move |state| {
        confirmed(&passphrase, &confirmation)?;
        let recovery = state.protect(&passphrase)?;
        Ok(Protected { recovery_key: recovery.display().to_string() })
    })
    .await
}

/// Unlocks the encrypted store with the passphrase, or with the recovery key when one is given.
#[tauri::command]
pub async fn unlock(
    state: State<'_, AppState>,
    passphrase: Option<String>,
    recovery_key: Option<String>,
) -> Result<()> {
    off_main(&state, move |state| match (recovery_key, passphrase) {
        (Some(text), _) => {
            let key = RecoveryKey::parse(&text).ok_or_else(|| {
                IpcError::invalid(vec![Violation::new("recoveryKey", Code::MalformedRecoveryKey)])
            })?;
            state.unlock(&Secret::Recovery(&key))
        }
        (None, Some(passphrase)) => {
            if passphrase.is_empty() {
                return Err(IpcError::invalid(vec![Violation::new("passphrase", Code::Required)]));
            }
            state.unlock(&Secret::Passphrase(&passphrase))
        }
        (None, None) => Err(IpcError::invalid(vec![Violation::new("passphrase", Code::Required)])),
    })
    .await
}

/// Locks the window's store: closed, its key forgotten, until unlocked. Changes since the last
/// backup are backed up first, as on quitting (the app may be closed while locked).
#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Result<()> {
    off_main(&state, |state| {
        crate::backups::if_due(state, vinculo_core::backup::BackupKind::Quit);
        state.lock()
    })
    .await
}

/// Wraps the store's key with a new passphrase, after checking the current one.
#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    new_passphrase: String,
    confirmation: String,
) -> Result<()> {
    off_main(&state, move |state| {
        if current.is_empty() {
            return Err(IpcError::invalid(vec![Violation::new("current", Code::Required)]));
        }
        confirmed(&new_passphrase, &confirmation)?;
        state.change_passphrase(&current, &new_passphrase)?;
        log::info!("passphrase changed");
        state.audit(vinculo_core::AuditEvent::PassphraseChanged, vinculo_core::Event::default());
        Ok(())
    })
    .await
}
