//! Putting one store in the place of another, so that a crash never leaves half of each: the
//! current store's files go aside under `set-aside/<UTC time>/`, the incoming store's take
//! their place, behind a marker file ([`complete_interrupted_swap`] finishes the job after a
//! crash; [`Store::open`] runs it before anything else).

use super::Store;
use super::files::{ASIDE_DIR, BUILDING_DIR, STORE_FILES, SWAP_MARKER, remembered_seq, time_label};
use crate::error::{Error, Result};
use crate::fsio::{sync_dir, write_atomically};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize)]
struct SwapMarker {
    /// Where the incoming store is, relative to the root: the building directory, or the
    /// place a set-aside store lies.
    from: String,
    /// Where the store being replaced goes (empty when there is none).
    aside: String,
    /// The files the incoming store has.
    incoming: Vec<String>,
}

/// A single, visible path component (a name from a list, never a path).
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.')
}

/// An empty building directory under `root`, for a store to be swapped in.
pub(crate) fn fresh_building_dir(root: &Path) -> Result<PathBuf> {
    let building = root.join(BUILDING_DIR);
    if building.exists() {
        std::fs::remove_dir_all(&building)?;
    }
    Ok(building)
}

/// Sets the current store aside and moves `store`, open at `from` (relative to `root`), into
/// its place, closed, with its change number above everything remembered beside `root` (so it
/// is never mistaken for one that lost changes). Returns the name the current store was set
/// aside under. The marker written first lets [`complete_interrupted_swap`] finish the job
/// after a crash.
pub(crate) fn swap_in(root: &Path, store: Store, from: &str, now: Timestamp) -> Result<Option<String>> {
    store.raise_seq(remembered_seq(root).unwrap_or(0) + 1)?;
    store.close()?;
    let incoming = root.join(from);
    let has_current = STORE_FILES.iter().any(|f| root.join(f).exists());
    let aside = if has_current { Some(unique_aside_name(root, now)) } else { None };
    let marker = SwapMarker {
        from: from.to_owned(),
        aside: aside.clone().unwrap_or_default(),
        incoming: STORE_FILES.iter().filter(|f| incoming.join(f).exists()).map(|f| f.to_string()).collect(),
    };
    write_atomically(&root.join(SWAP_MARKER), &serde_json::to_vec(&marker).expect("serializes"))?;
    complete_interrupted_swap(root)?;
    Ok(aside)
}

fn unique_aside_name(root: &Path, now: Timestamp) -> String {
    let base = time_label(now);
    let mut name = base.clone();
    let mut n = 1;
    while root.join(ASIDE_DIR).join(&name).exists() {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

/// Finishes a swap a crash interrupted (nothing to do without the marker). File by file: the
/// current one goes aside and the incoming one takes its place; a file already moved is not
/// moved again, so running this any number of times ends in the same place.
pub fn complete_interrupted_swap(root: &Path) -> Result<()> {
    let marker_path = root.join(SWAP_MARKER);
    let Ok(bytes) = std::fs::read(&marker_path) else { return Ok(()) };
    let marker: SwapMarker = serde_json::from_slice(&bytes)
        .map_err(|_| Error::Corrupt { detail: "the swap marker is unreadable".into() })?;
    let from_ok = marker.from == BUILDING_DIR
        || marker.from.strip_prefix(&format!("{ASIDE_DIR}/")).is_some_and(is_plain_name);
    if !from_ok || !(marker.aside.is_empty() || is_plain_name(&marker.aside)) {
        return Err(Error::Corrupt { detail: "the swap marker names a place outside the store".into() });
    }
    let incoming = root.join(&marker.from);
    let aside = root.join(ASIDE_DIR).join(&marker.aside);
    let set_aside = |f: &str| -> Result<()> {
        if marker.aside.is_empty() {
            return Err(Error::Corrupt { detail: "a swap with no place to set the store aside".into() });
        }
        std::fs::create_dir_all(&aside)?;
        std::fs::rename(root.join(f), aside.join(f))?;
        Ok(())
    };
    for f in STORE_FILES {
        if marker.incoming.iter().any(|i| i == f) {
            // Not swapped yet while the incoming file is still waiting.
            if incoming.join(f).exists() {
                if root.join(f).exists() {
                    set_aside(f)?;
                }
                std::fs::rename(incoming.join(f), root.join(f))?;
            }
        } else if root.join(f).exists() {
            set_aside(f)?;
        }
    }
    if !marker.aside.is_empty() && aside.exists() {
        sync_dir(&aside)?;
    }
    sync_dir(root)?;
    std::fs::remove_file(&marker_path)?;
    if incoming.exists() {
        std::fs::remove_dir_all(&incoming)?;
    }
    sync_dir(root)?;
    Ok(())
}
