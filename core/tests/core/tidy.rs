//! The core's structure, checked from its sources: each module uses only modules of lower
//! layers (the layers are the ones ARCHITECTURE.md lists), only the store names sled, only
//! the PDF renderer names printpdf, and the code map names every source file.
//!
//! Unit tests inside a module (a `#[cfg(test)] mod … { … }` block) may use anything: they
//! build their fixtures as they need.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MARKER: &str = "<!-- tidy: core layers, highest first -->";

/// The layers of `core/src` as ARCHITECTURE.md lists them, lowest first, each a set of
/// top-level modules.
fn layers(architecture: &str) -> Vec<Vec<String>> {
    let at = architecture.find(MARKER).expect("ARCHITECTURE.md marks the core's layers");
    let block = &architecture[at + MARKER.len()..];
    let start = block.find("```text\n").expect("a text block after the marker") + "```text\n".len();
    let end = block[start..].find("```").expect("the block ends");
    let mut layers: Vec<Vec<String>> = block[start..start + end]
        .lines()
        .map(|line| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|layer| !layer.is_empty())
        .collect();
    layers.reverse();
    layers
}

/// Every `.rs` file under `dir`, with its path relative to it (`store/commit.rs`).
fn sources(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under the root");
                let name = relative.to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read_to_string(&path).expect("a source file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The module a file belongs to: `store` for `store/commit.rs` and for `store/mod.rs`,
/// `clock` for `clock.rs`; `None` for the crate root.
fn module_of(file: &str) -> Option<&str> {
    match file.split_once('/') {
        Some((dir, _)) => Some(dir),
        None if file == "lib.rs" => None,
        None => file.strip_suffix(".rs"),
    }
}

/// The code of a file without its comments, its string literals and its unit tests (each
/// `#[cfg(test)] mod … { … }` block; another item marked `#[cfg(test)]` stays code).
fn code_of(text: &str) -> String {
    without_test_modules(without_literals(text))
}

/// `code` (comments and literals gone, so braces count true) without its inline test modules.
fn without_test_modules(mut code: String) -> String {
    const ATTR: &str = "#[cfg(test)]";
    let mut from = 0;
    while let Some(at) = code[from..].find(ATTR).map(|at| at + from) {
        let item = at + ATTR.len();
        let rest = code[item..].trim_start();
        let body = rest.find(['{', ';']).filter(|&b| rest.starts_with("mod ") && rest[b..].starts_with('{'));
        let Some(body) = body else {
            from = item;
            continue;
        };
        let open = code.len() - rest.len() + body;
        let close = open + block_len(&code[open..]);
        code.replace_range(at..close, "");
        from = at;
    }
    code
}

/// The length of the braced block `code` starts with, its closing brace included (all of
/// `code` when it never closes). Comments and literals must be gone, so that braces count true.
fn block_len(code: &str) -> usize {
    let mut depth = 0;
    for (i, c) in code.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return i + c.len_utf8();
        }
    }
    code.len()
}

/// `text` with its comments gone and its string and char literals emptied.
fn without_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                // A string's contents are not code (a URL's `//`, a word like `crate::`).
                skip_quoted(&mut chars, '"');
                out.push_str("\"\"");
            }
            // A char literal (`'"'`) would look like a string's start; a lifetime (`'a`) passes.
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') || rest.chars().nth(1) == Some('\'') {
                    skip_quoted(&mut chars, '\'');
                    out.push_str("' '");
                } else {
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Moves past a literal up to its closing `quote`, escapes included.
fn skip_quoted(chars: &mut impl Iterator<Item = char>, quote: char) {
    let mut escaped = false;
    for c in chars {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == quote && !escaped => break,
            _ => escaped = false,
        }
    }
}

/// The first segment of every path that starts at the crate root (`crate::store::Store`,
/// and each item of `crate::{error::Result, model::Id}`).
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let macro_crate = rest[..at].ends_with('$');
        rest = &rest[at + "crate::".len()..];
        if macro_crate {
            continue;
        }
        if rest.starts_with('{') {
            let block = &rest[1..block_len(rest)];
            let group = block.strip_suffix('}').unwrap_or(block);
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let head = item.trim().split("::").next().unwrap_or("").trim().to_owned();
                        if !head.is_empty() {
                            out.push(head);
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out
}

/// What breaks the core's structure in `sources` (paths relative to `core/src`), given the
/// layers and the code map of `architecture`.
fn violations(sources: &[(String, String)], architecture: &str) -> Vec<String> {
    let layers = layers(architecture);
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(rank, layer)| layer.iter().map(move |m| (m.as_str(), rank)))
        .collect();
    let mut found = Vec::new();
    let modules: std::collections::BTreeSet<&str> =
        sources.iter().filter_map(|(file, _)| module_of(file)).collect();
    for module in &modules {
        if !rank.contains_key(module) {
            found.push(format!("module `{module}` is in no layer of ARCHITECTURE.md"));
        }
    }
    for module in rank.keys() {
        if !modules.contains(module) {
            found.push(format!("ARCHITECTURE.md layers a module `{module}` the core does not have"));
        }
    }
    for (file, text) in sources {
        if !mapped(architecture, file) {
            found.push(format!("`{file}` is missing from the code map"));
        }
        let Some(module) = module_of(file) else { continue };
        let Some(&own) = rank.get(module) else { continue };
        let code = code_of(text);
        for used in crate_paths(&code) {
            if used == module {
                continue;
            }
            match rank.get(used.as_str()) {
                Some(&theirs) if theirs < own => {}
                Some(_) => {
                    found.push(format!("{file}: `{module}` uses `crate::{used}`, not in a lower layer"))
                }
                None => {
                    found.push(format!("{file}: `crate::{used}` is not a module: name the module it is in"))
                }
            }
        }
        // `super` is the crate root in a top-level file and in a folder's `mod.rs`.
        let outer_super =
            if file.contains('/') && !file.ends_with("/mod.rs") { "super::super" } else { "super::" };
        if code.contains(outer_super) {
            found.push(format!("{file}: `{outer_super}` reaches out of its module: name it from `crate`"));
        }
        if code.contains("crate as ") || code.contains("crate self as") {
            found.push(format!("{file}: `crate` renamed hides what is used: name each module from `crate`"));
        }
        if module != "store" && code.contains("sled::") {
            found.push(format!("{file}: names sled outside the store"));
        }
        if file != "briefing/pdf.rs" && code.contains("printpdf") {
            found.push(format!("{file}: names printpdf outside the PDF renderer"));
        }
    }
    found
}

/// Whether the core's code map names `file`: a file of its own has an entry
/// (`` - `clock.rs` ``), a file in a folder is named in its folder's entry (`` `commit.rs` ``
/// under `` - `store/` ``; a folder's `mod.rs` is the folder). Only the core's section counts:
/// the shell has files of the same names (`error.rs`).
fn mapped(architecture: &str, file: &str) -> bool {
    let start = architecture.find("\n### `core/`").expect("the core's section of the code map");
    let architecture = &architecture[start..];
    let architecture =
        &architecture[..architecture[1..].find("\n### ").map_or(architecture.len(), |e| e + 1)];
    let entry = |head: &str| -> Option<&str> {
        let at = architecture.find(&format!("\n- `{head}`"))? + 1;
        let rest = &architecture[at..];
        let end = rest[1..].find("\n- ").map_or(rest.len(), |e| e + 1);
        Some(&rest[..end])
    };
    match file.split_once('/') {
        None => entry(file).is_some(),
        Some((dir, name)) => {
            entry(&format!("{dir}/")).is_some_and(|e| name == "mod.rs" || e.contains(&format!("`{name}`")))
        }
    }
}

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn architecture() -> String {
    std::fs::read_to_string(core_dir().join("../ARCHITECTURE.md")).expect("ARCHITECTURE.md")
}

#[test]
fn each_core_module_uses_only_lower_layers_and_the_code_map_names_every_file() {
    let sources = sources(&core_dir().join("src"));
    assert!(sources.len() > 30, "the sources were found");
    let found = violations(&sources, &architecture());
    assert!(found.is_empty(), "the core's structure is broken:\n{}", found.join("\n"));
}

#[test]
fn planted_upward_imports_a_stray_sled_and_unmapped_files_are_caught() {
    let mut sources = sources(&core_dir().join("src"));
    let mut plant = |file: &str, code: &str| {
        let (_, text) = sources.iter_mut().find(|(f, _)| f == file).expect("a source file");
        text.insert_str(0, code);
    };
    plant("index/catalog.rs", "use crate::{model::Id, backup::{Backup, list_backups}};\n");
    plant("views/home.rs", "fn peek(db: &sled::Db) -> usize { crate::edit::sample::COUNT + db.len() }\n");
    // `super` at the top is the crate root; a renamed `crate` hides the path; an item marked
    // `#[cfg(test)]`, a test module kept in a file of its own, a test module in the middle of
    // a file and one in a comment hide none of the code after them.
    plant("settings.rs", "use super::store::Store;\nuse crate as core;\n");
    plant(
        "clock.rs",
        "#[cfg(test)]\nfn fixture() {}\n#[cfg(test)]\nmod more;\n#[cfg(test)]\nmod t { fn f() { if x { use \
         crate::backup::Backup; } } }\n// #[cfg(test)] mod hidden {\nuse crate::views::home;\n",
    );
    plant("fsio.rs", "extern crate self as vinculo;\n");
    sources.push(("store/stray.rs".into(), "// `crate::views` in a comment is no import\n".into()));
    // The shell's code map has a `logging.rs`; the core's has none.
    sources.push(("logging.rs".into(), String::new()));
    let mut found = violations(&sources, &architecture());
    found.sort();
    assert_eq!(
        found,
        [
            "`logging.rs` is missing from the code map",
            "`store/stray.rs` is missing from the code map",
            "clock.rs: `clock` uses `crate::views`, not in a lower layer",
            "fsio.rs: `crate` renamed hides what is used: name each module from `crate`",
            "index/catalog.rs: `index` uses `crate::backup`, not in a lower layer",
            "module `logging` is in no layer of ARCHITECTURE.md",
            "settings.rs: `crate` renamed hides what is used: name each module from `crate`",
            "settings.rs: `super::` reaches out of its module: name it from `crate`",
            "views/home.rs: `views` uses `crate::edit`, not in a lower layer",
            "views/home.rs: names sled outside the store",
        ],
        "{found:#?}"
    );
}

#[test]
fn strings_comments_and_test_modules_are_not_code() {
    let code = code_of(
        "let url = \"https://crate::views\"; // crate::backup\nlet c = '\"'; let s = crate::text::fold(x);\n\
         #[cfg(test)]\nmod tests { fn f() { let b = '{'; use crate::backup::Backup; } }\nuse crate::model::Id;",
    );
    assert_eq!(crate_paths(&code), ["text", "model"]);
}
