//! The user's settings: interface language, paper size of briefing notes and how much of a
//! partner's history they show, the institution
//! and area printed on them, and when the window locks. Kept in a small JSON file the caller names, written atomically.

use crate::error::{Code, Error, Result, Violation};
use crate::text::clean_line;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const LANGUAGES: [&str; 2] = ["es", "en"];
pub const PAPER_SIZES: [&str; 2] = ["letter", "a4"];

/// Every field is required when deserialized: a caller that leaves one out gets an error, not a
/// silent default. A settings file missing a key (written by an older version) still loads:
/// [`Settings::load`] fills it from the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// `es` or `en`.
    pub language: String,
    /// `letter` (Carta) or `a4`.
    pub paper: String,
    pub institution: String,
    pub area: String,
    /// Open a briefing note in the system's viewer once it is exported.
    pub open_after_export: bool,
    /// Lock the window after this many minutes without a key or pointer event
    /// ([`LOCK_AFTER_MINUTES`]).
    pub lock_after_minutes: u32,
    /// Who the audit log names for what is done on this laptop (empty until set: the app
    /// then names the system's login).
    pub user_name: String,
    /// How many earlier meetings a briefing note recounts (the most recent; the rest are
    /// counted), within [`NOTE_LIMIT`].
    pub note_meetings: u32,
    /// How many instruments a briefing note lists (those in force first; the rest are
    /// counted), within [`NOTE_LIMIT`].
    pub note_agreements: u32,
}

/// How many meetings or instruments a note may be asked to show: a partner's whole history
/// fits, and a note stays a note.
pub const NOTE_LIMIT: std::ops::RangeInclusive<u32> = 1..=500;

/// The idle minutes after which the window may lock: at least one, at most a working day.
pub const LOCK_AFTER_MINUTES: std::ops::RangeInclusive<u32> = 1..=480;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            language: "es".into(),
            paper: "letter".into(),
            institution: "Instituto Electoral de la Ciudad de México".into(),
            area: "Unidad Técnica de Vinculación con Organismos Externos".into(),
            open_after_export: true,
            lock_after_minutes: 10,
            user_name: String::new(),
            note_meetings: 5,
            note_agreements: 20,
        }
    }
}

impl Settings {
    /// The language of the interface, for what the app writes in it (files, notes).
    pub fn lang(&self) -> crate::labels::Lang {
        crate::labels::Lang::from_code(&self.language)
    }

    /// Cleans the values and checks them; every broken rule is reported.
    pub fn validate(&mut self) -> Result<()> {
        let mut found = Vec::new();
        for (field, value, allowed) in
            [("language", &mut self.language, &LANGUAGES[..]), ("paper", &mut self.paper, &PAPER_SIZES[..])]
        {
            *value = clean_line(value).to_ascii_lowercase();
            if !allowed.contains(&value.as_str()) {
                found.push(Violation::new(field, Code::InvalidChoice).with("allowed", allowed.to_vec()));
            }
        }
        for (field, value) in [("institution", &mut self.institution), ("area", &mut self.area)] {
            *value = clean_line(value);
            if value.is_empty() {
                found.push(Violation::new(field, Code::Required));
            } else if value.chars().count() > crate::validate::MAX_NAME_CHARS {
                found.push(
                    Violation::new(field, Code::TooLong)
                        .with("max", crate::validate::MAX_NAME_CHARS)
                        .with("unit", "chars"),
                );
            }
        }
        self.user_name = clean_line(&self.user_name);
        if self.user_name.chars().count() > crate::validate::MAX_NAME_CHARS {
            found.push(
                Violation::new("userName", Code::TooLong)
                    .with("max", crate::validate::MAX_NAME_CHARS)
                    .with("unit", "chars"),
            );
        }
        for (field, value, range) in [
            ("lockAfterMinutes", self.lock_after_minutes, &LOCK_AFTER_MINUTES),
            ("noteMeetings", self.note_meetings, &NOTE_LIMIT),
            ("noteAgreements", self.note_agreements, &NOTE_LIMIT),
        ] {
            if !range.contains(&value) {
                found.push(
                    Violation::new(field, Code::OutOfRange)
                        .with("min", *range.start())
                        .with("max", *range.end()),
                );
            }
        }
        if found.is_empty() { Ok(()) } else { Err(Error::Invalid(found)) }
    }

    /// Reads settings from `path`; defaults when the file does not exist. A damaged file gives
    /// the defaults too (settings are not worth refusing to start over).
    pub fn load(path: &Path) -> Settings {
        let Ok(bytes) = std::fs::read(path) else { return Settings::default() };
        let mut merged = serde_json::to_value(Settings::default()).expect("plain strings serialize");
        if let (Some(into), Ok(serde_json::Value::Object(found))) =
            (merged.as_object_mut(), serde_json::from_slice::<serde_json::Value>(&bytes))
        {
            into.extend(found);
        }
        let mut settings: Settings = serde_json::from_value(merged).unwrap_or_default();
        match settings.validate() {
            Ok(()) => settings,
            Err(_) => Settings::default(),
        }
    }

    /// Validates and writes atomically (temporary file, fsync, rename, fsync of the directory).
    pub fn save(&mut self, path: &Path) -> Result<()> {
        self.validate()?;
        let body = serde_json::to_vec_pretty(self).expect("plain strings serialize");
        crate::fsio::write_atomically(path, &body)
    }
}
