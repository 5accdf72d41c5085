//! `cargo xtask <command>`: the project's own automation, in Rust so it runs wherever cargo does.
//!
//! - `cargo xtask test`: checks the tools every test needs (installing what can be installed),
//!   then runs formatting, lints and every test of the workspace. What CI runs.

use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        _ => {
            eprintln!("usage: cargo xtask test");
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

/// Runs every check and test, in order from cheapest to dearest.
fn test() -> Result {
    let started = Instant::now();
    ensure_cargo_component("rustfmt", &["fmt", "--version"])?;
    ensure_cargo_component("clippy", &["clippy", "--version"])?;
    step("formatting", cargo(&["fmt", "--all", "--check"]))?;
    step("lints", cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]))?;
    let counts = cargo_tests("tests", &["test", "--workspace", "--locked"])?;
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
