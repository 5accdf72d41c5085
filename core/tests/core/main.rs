#![allow(clippy::unwrap_used)]

//! The core's one integration-test binary: every rule of the core, through its public API, on
//! real temporary stores.

mod activities;
mod audit;
mod backup;
mod briefing;
mod calendar;
mod documents;
mod encryption;
mod erase;
mod exchange;
mod fixtures;
mod migration;
mod report;
mod search;
mod sharing;
mod state;
mod store;
mod table;
mod tidy;
mod transparency;
mod validation;
mod vcard;
mod views;
