//! `cargo xtask <command>`: the project's own automation, in Rust so it runs wherever cargo does.
//!
//! - `cargo xtask run`: installs what the app needs to build on Debian/Ubuntu, builds it and
//!   launches it.
//! - `cargo xtask test`: installs what the tests need, then runs formatting, lints and every
//!   test of the workspace and the UI. What CI runs.
//! - `cargo xtask bench`: installs what the benchmark needs, builds the app and the benchmark
//!   in release mode and runs it (its figures beside its peers', printed and as JSON).
//! - `cargo xtask licenses`: regenerates `ui/licenses.js`, the list the About screen shows.
//! - `cargo xtask package`: the `.deb`, with Tauri's bundler (`package.rs`); `--test` runs its
//!   test alone (install in a clean Debian 12, start, home screen).

mod package;

use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("run") => run_app(),
        Some("licenses") => write_licenses(),
        Some("bench") => bench(&args[1..]),
        Some("package") if args.get(1).is_some_and(|a| a == "--test") => package::test(),
        Some("package") => package::build(false).map(|_| ()),
        _ => {
            eprintln!(
                "usage: cargo xtask test | run | bench [--sizes 1000,10000,100000] | licenses | package"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

/// Debian packages the app needs to build and run (WebKitGTK and its friends).
const APP_PACKAGES: &[&str] = &["libwebkit2gtk-4.1-dev", "build-essential", "pkg-config"];

/// What the end-to-end tests run the app with: a private X server and D-Bus session bus per
/// test, WebKitGTK's WebDriver, xdotool and xmessage (x11-utils) to take the focus away and ask X
/// which window has it, and kill (procps) to end each test's process group.
const E2E_PACKAGES: &[&str] = &["xvfb", "dbus-daemon", "webkit2gtk-driver", "xdotool", "x11-utils", "procps"];

/// What reads the briefing notes back in `tests/pdf`: pdftotext, pdffonts, pdfinfo, pdftoppm
/// and qpdf; and the system faces a note finds for the scripts its embedded ones lack, as a
/// liaison office's Debian has them: Noto CJK (Chinese, Japanese, Korean), Symbola (emoji in
/// outlines) and Noto Color Emoji (bitmaps, which a PDF cannot draw: it must be passed over).
const PDF_PACKAGES: &[&str] =
    &["poppler-utils", "qpdf", "fonts-noto-cjk", "fonts-symbola", "fonts-noto-color-emoji"];

/// The benchmark's peer for the briefing note (Debian's Chromium, printing to PDF headless).
const BENCH_PACKAGES: &[&str] = &["chromium"];

/// The sync engine the office's laptops share their folder with: two instances on loopback in
/// `core/tests/syncthing` and in the benchmark (pkill, from procps, stops one).
const SYNC_PACKAGES: &[&str] = &["syncthing", "procps"];

/// The independent parsers our .ics and .vcf must satisfy (`tests/interop`), from PyPI, pinned,
/// into a virtual environment under the target directory (never system-wide).
const INTEROP_PYPI: &[&str] = &["icalendar==7.3.2", "vobject==0.9.9"];

/// The WebDriver server in front of WebKitWebDriver, from the crates registry.
const TAURI_DRIVER: (&str, &str) = ("tauri-driver", "2.1.0");

/// Runs every check and test, in order from cheapest to dearest.
fn test() -> Result {
    let started = Instant::now();
    // Node runs the UI module tests and npm fetches axe-core for the accessibility audit;
    // Debian's packages only when the machine has none.
    let node_missing = !succeeds(Command::new("node").arg("--version"));
    let npm_missing = !succeeds(Command::new("npm").arg("--version"));
    ensure_packages(
        &[
            APP_PACKAGES,
            E2E_PACKAGES,
            PDF_PACKAGES,
            BENCH_PACKAGES,
            SYNC_PACKAGES,
            if node_missing { &["nodejs"] } else { &[] },
            if npm_missing { &["npm"] } else { &[] },
        ]
        .concat(),
    )?;
    ensure_cargo_component("rustfmt", &["fmt", "--version"])?;
    ensure_cargo_component("clippy", &["clippy", "--version"])?;
    ensure_cargo_install(TAURI_DRIVER)?;
    ensure_e2e_node_modules()?;
    ensure_interop_venv()?;
    step("formatting", cargo(&["fmt", "--all", "--check"]))?;
    check_licenses()?;
    step("lints", cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]))?;
    let mut counts = cargo_tests("tests", &["test", "--workspace", "--locked"])?;
    // A tiny run of the benchmark, every figure and peer of it, so that it cannot rot; on the
    // debug app binary the tests above built.
    let smoke = target_dir().join("bench-smoke");
    let app = target_dir().join("debug").join("vinculo");
    step("benchmark smoke run", {
        let mut cmd = cargo(&["run", "--quiet", "--locked", "--package", "vinculo-bench", "--", "--smoke"]);
        cmd.arg("--app").arg(&app).arg("--work").arg(&smoke);
        cmd
    })?;
    let ui = node_tests()?;
    counts.passed += ui.passed;
    counts.failed += ui.failed;
    // The .deb: installed in a clean Debian 12, started, its home screen read back.
    package::test()?;
    counts.passed += 1;
    say(&format!("all checks passed in {:.0} s", started.elapsed().as_secs_f64()));
    // The closing line CI reads: every test binary's counts added up.
    #[allow(clippy::print_stdout)]
    {
        println!("tests: {} passed, {} failed", counts.passed, counts.failed);
    }
    Ok(())
}

#[derive(Debug, Default)]
struct Counts {
    passed: u64,
    failed: u64,
}

/// Runs `cargo test …`, echoing its output, and adds up its `test result:` lines.
fn cargo_tests(name: &str, args: &[&str]) -> Result<Counts> {
    use std::io::{BufRead, BufReader, Write};
    let mut cmd = cargo(args);
    say(&format!("{name}: {cmd:?}"));
    let started = Instant::now();
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{name}: cannot run {cmd:?}: {e}"))?;
    let mut counts = Counts::default();
    let stdout = child.stdout.take().expect("piped above");
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("{name}: reading output: {e}"))?;
        if let Some(rest) = line.strip_prefix("test result: ") {
            let number = |label: &str| {
                rest.split(';')
                    .find_map(|part| part.trim().strip_suffix(label))
                    .and_then(|n| {
                        n.trim()
                            .trim_start_matches("ok.")
                            .trim_start_matches("FAILED.")
                            .trim()
                            .parse::<u64>()
                            .ok()
                    })
                    .unwrap_or(0)
            };
            counts.passed += number(" passed");
            counts.failed += number(" failed");
        }
        let _ = writeln!(out, "{line}");
    }
    drop(out);
    let status = child.wait().map_err(|e| format!("{name}: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    if status.success() && counts.failed == 0 {
        say(&format!("{name}: {} passed in {secs:.0} s", counts.passed));
        Ok(counts)
    } else {
        Err(format!("{name} failed ({status}): {} passed, {} failed", counts.passed, counts.failed))
    }
}

fn say(message: &str) {
    eprintln!("==> {message}");
}

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args);
    cmd
}

/// Runs one step, saying what it is and how long it took.
fn step(name: &str, mut cmd: Command) -> Result {
    say(&format!("{name}: {cmd:?}"));
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("{name}: cannot run {cmd:?}: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    if status.success() {
        say(&format!("{name}: ok in {secs:.0} s"));
        Ok(())
    } else {
        Err(format!("{name} failed ({status}) after {secs:.0} s"))
    }
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure a rustup component (rustfmt, clippy) is there, adding it with rustup if not.
fn ensure_cargo_component(component: &str, probe: &[&str]) -> Result {
    if succeeds(&mut cargo(probe)) {
        return Ok(());
    }
    say(&format!("{component} is missing: installing it with rustup"));
    step(&format!("install {component}"), {
        let mut cmd = Command::new("rustup");
        cmd.args(["component", "add", component]);
        cmd
    })
}

/// Installs a binary crate at an exact version with `cargo install --locked`, unless there.
fn ensure_cargo_install((name, version): (&str, &str)) -> Result {
    let listed = cargo(&["install", "--list"]).output().map_err(|e| format!("cargo install --list: {e}"))?;
    if String::from_utf8_lossy(&listed.stdout).lines().any(|l| l.starts_with(&format!("{name} v{version}:")))
    {
        return Ok(());
    }
    say(&format!("{name} {version} is missing: installing it with cargo"));
    step(&format!("install {name}"), cargo(&["install", name, "--version", version, "--locked"]))
}

/// axe-core for the accessibility audit, at the version `tests/e2e/package-lock.json` pins,
/// into `tests/e2e/node_modules` (never into `ui/`).
fn ensure_e2e_node_modules() -> Result {
    let dir = workspace_root().join("tests/e2e");
    let version_in = |path: std::path::PathBuf, pointer: &str| -> Option<String> {
        let text = std::fs::read_to_string(path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json.pointer(pointer)?.as_str().map(str::to_owned)
    };
    let locked = version_in(dir.join("package-lock.json"), "/packages/node_modules~1axe-core/version");
    let installed = version_in(dir.join("node_modules/axe-core/package.json"), "/version");
    if locked.is_some() && locked == installed {
        return Ok(());
    }
    step("npm ci (axe-core for the end-to-end tests)", {
        let mut cmd = Command::new("npm");
        cmd.args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"]).current_dir(&dir);
        cmd
    })
}

/// Python's icalendar and vobject at the versions `INTEROP_PYPI` pins, in
/// `<target>/interop-venv` (where `tests/interop` looks for them). Debian's python3-venv when
/// the machine's Python cannot make one.
fn ensure_interop_venv() -> Result {
    let venv = target_dir().join("interop-venv");
    let python = venv.join("bin/python");
    let installed = |python: &std::path::Path| {
        let mut cmd = Command::new(python);
        cmd.args(["-m", "pip", "freeze"]);
        cmd.output().is_ok_and(|o| {
            let frozen = String::from_utf8_lossy(&o.stdout).to_lowercase();
            INTEROP_PYPI.iter().all(|p| frozen.lines().any(|l| l == *p))
        })
    };
    if installed(&python) {
        return Ok(());
    }
    let make = |python3: &str| {
        let mut cmd = Command::new(python3);
        cmd.args(["-m", "venv", "--clear"]).arg(&venv);
        cmd
    };
    if step("python virtual environment (tests/interop)", make("python3")).is_err() {
        ensure_packages(&["python3", "python3-venv"])?;
        step("python virtual environment (tests/interop)", make("/usr/bin/python3"))?;
    }
    step("pip install (tests/interop)", {
        let mut cmd = Command::new(&python);
        cmd.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]).args(INTEROP_PYPI);
        cmd
    })
}

/// Where cargo builds: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace_root().join("target"), std::path::PathBuf::from)
}

/// Builds the app and the benchmark in release mode and runs the benchmark on them; `args`
/// go to the benchmark (`--sizes`, `--keep`…).
fn bench(args: &[String]) -> Result {
    ensure_packages(&[APP_PACKAGES, E2E_PACKAGES, BENCH_PACKAGES, SYNC_PACKAGES].concat())?;
    step(
        "release build",
        cargo(&["build", "--release", "--locked", "--package", "vinculo", "--package", "vinculo-bench"]),
    )?;
    let release = target_dir().join("release");
    step("benchmark", {
        let mut cmd = Command::new(release.join("vinculo-bench"));
        cmd.arg("--app")
            .arg(release.join("vinculo"))
            .arg("--work")
            .arg(target_dir().join("bench"))
            .args(args);
        cmd
    })
}

/// Builds and launches the desktop app (debug build), installing what it needs first.
fn run_app() -> Result {
    ensure_packages(APP_PACKAGES)?;
    step("build and run", cargo(&["run", "--package", "vinculo", "--locked"]))
}

/// Runs `node --test` on the UI module tests, counting its results.
fn node_tests() -> Result<Counts> {
    let root = workspace_root();
    let mut cmd = Command::new("node");
    cmd.arg("--test").arg("--test-reporter=tap").current_dir(&root).arg("tests/ui/");
    say(&format!("ui tests: {cmd:?}"));
    let output = cmd.output().map_err(|e| format!("ui tests: cannot run node: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut counts = Counts::default();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("# pass ") {
            counts.passed = n.trim().parse().unwrap_or(0);
        }
        if let Some(n) = line.strip_prefix("# fail ") {
            counts.failed = n.trim().parse().unwrap_or(0);
        }
    }
    if !output.status.success() || counts.failed > 0 || counts.passed == 0 {
        eprintln!("{text}{}", String::from_utf8_lossy(&output.stderr));
        return Err(format!("ui tests failed: {} passed, {} failed", counts.passed, counts.failed));
    }
    say(&format!("ui tests: {} passed", counts.passed));
    Ok(counts)
}

fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// Installs the Debian packages that are missing (with sudo when not root), saying which.
fn ensure_packages(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if Command::new("apt-get").arg("--version").output().is_err() {
        return Err(format!(
            "missing {missing:?} and no apt-get here: install them with your package manager"
        ));
    }
    say(&format!("installing missing Debian packages: {}", missing.join(" ")));
    let root =
        Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = |args: &[&str]| {
        let mut cmd = if root { Command::new("apt-get") } else { Command::new("sudo") };
        if !root {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    step("apt-get update", apt(&["update", "-q"]))?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    step("apt-get install", apt(&install))
}

/// The licences of every crate the app ships, from `cargo metadata`, as a JS module.
fn licenses_module() -> Result<String> {
    let out = cargo(&["metadata", "--format-version", "1", "--locked"])
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let packages: std::collections::HashMap<&str, &serde_json::Value> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: std::collections::HashMap<&str, &serde_json::Value> = meta["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let root = packages
        .values()
        .find(|p| p["name"] == "vinculo")
        .and_then(|p| p["id"].as_str())
        .ok_or("no vinculo package in the workspace")?;
    // Everything reachable from the app through normal (shipped) dependencies.
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.get(id) else { continue };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let normal = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
            if let (true, Some(pkg)) = (normal, dep["pkg"].as_str())
                && seen.insert(pkg)
            {
                stack.push(pkg);
            }
        }
    }
    let mut rows: Vec<(String, String, String)> = seen
        .iter()
        .filter_map(|id| packages.get(id))
        .filter(|p| p["source"].is_string())
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or("").to_owned();
            (
                s("name"),
                s("version"),
                if s("license").is_empty() { "see its repository".into() } else { s("license") },
            )
        })
        .collect();
    rows.sort();
    rows.dedup();
    let mut js = String::from(
        "// Generated by `cargo xtask licenses` from Cargo.lock: the crates the app ships and their licences.\n\
         // Do not edit; `cargo xtask test` fails when it is out of date.\nexport default [\n",
    );
    for (name, version, license) in rows {
        js.push_str(&format!(
            "  {{ name: {}, version: {}, license: {} }},\n",
            serde_json::Value::from(name),
            serde_json::Value::from(version),
            serde_json::Value::from(license)
        ));
    }
    js.push_str("];\n");
    Ok(js)
}

fn write_licenses() -> Result {
    let path = workspace_root().join("ui/licenses.js");
    std::fs::write(&path, licenses_module()?).map_err(|e| format!("{}: {e}", path.display()))?;
    say(&format!("wrote {}", path.display()));
    Ok(())
}

fn check_licenses() -> Result {
    let path = workspace_root().join("ui/licenses.js");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != licenses_module()? {
        return Err("ui/licenses.js is out of date with Cargo.lock: run `cargo xtask licenses`".into());
    }
    say("licences list: up to date");
    Ok(())
}
