//! End-to-end tests: the real app binary under Xvfb, driven over WebDriver the way a liaison
//! officer uses it (clicks, typing, keyboard), plus accessibility and webview-security checks.
//! Needs Xvfb, dbus-daemon, tauri-driver and WebKitWebDriver: `cargo xtask test` installs them.

mod a11y;
mod activities;
mod audit;
mod briefing;
mod files;
mod harness;
mod lock;
mod recovery;
mod responsive;
mod scale;
mod scenarios;
mod security;
mod sharing;
mod tables;
