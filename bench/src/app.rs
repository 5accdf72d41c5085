//! The app's start, measured from outside: the release binary launched on a private X server
//! (Xvfb) and D-Bus session bus with a store of the bench's data, timed from the moment it is
//! started until its log says the first screen is drawn (the UI reports it after the frame that
//! shows it, see `shown` in the shell). Each launch is killed once drawn; the first one warms
//! the page cache and is not counted.

use crate::stats::{Figure, On, Stats};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The log line the shell writes when the UI reports its first screen drawn.
pub const DRAWN: &str = "first screen drawn";

/// A child in a process group of its own, killed with all it started when dropped.
struct Proc(Child);

impl Proc {
    fn spawn(cmd: &mut Command, what: &str) -> Result<Proc> {
        use std::os::unix::process::CommandExt;
        Ok(Proc(cmd.process_group(0).spawn().map_err(|e| format!("cannot start {what}: {e}"))?))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool(name: &str) -> Result<PathBuf> {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("`{name}` is not installed (`cargo xtask bench` installs it)").into())
}

/// Starts `cmd` and reads the first line it prints (a display number, a bus address).
fn first_line(mut cmd: Command, what: &str) -> Result<(Proc, String)> {
    let mut child = Proc::spawn(cmd.stdout(Stdio::piped()).stderr(Stdio::null()), what)?;
    let stdout = child.0.stdout.take().ok_or("piped")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    if line.trim().is_empty() {
        return Err(format!("{what} did not start").into());
    }
    Ok((child, line.trim().to_owned()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// When the log under `data` first said the screen was drawn after `skip` bytes.
fn drawn_at(log: &Path, skip: usize) -> Option<jiff::Timestamp> {
    let text = std::fs::read_to_string(log).ok()?;
    text.get(skip..)?
        .lines()
        .find(|l| l.contains(DRAWN))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
}

pub fn start_to_home(app: &Path, n: usize, store_dir: &Path, work: &Path, runs: usize) -> Result<Figure> {
    let data = work.join("app-data");
    let _ = std::fs::remove_dir_all(&data);
    copy_dir(store_dir, &data)?;
    let mut xvfb = Command::new(tool("Xvfb")?);
    xvfb.args(["-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"]);
    let (_xvfb, display) = first_line(xvfb, "Xvfb")?;
    let mut dbus = Command::new(tool("dbus-daemon")?);
    dbus.args(["--session", "--nofork", "--print-address=1"]);
    let (_dbus, bus) = first_line(dbus, "dbus-daemon")?;
    let log = data.join("logs/vinculo.log");
    let mut samples = Vec::new();
    for run in 0..=runs {
        let skip = std::fs::metadata(&log).map_or(0, |m| m.len() as usize);
        let started = SystemTime::now();
        let clock = Instant::now();
        let _app = Proc::spawn(
            Command::new(app)
                .env("DISPLAY", format!(":{display}"))
                .env("DBUS_SESSION_BUS_ADDRESS", &bus)
                .env("GSETTINGS_BACKEND", "memory")
                .env("NO_AT_BRIDGE", "1")
                .env("VINCULO_DATA_DIR", &data)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
            "the app",
        )?;
        let drawn = loop {
            if let Some(at) = drawn_at(&log, skip) {
                break at;
            }
            if clock.elapsed() > Duration::from_secs(60) {
                return Err(format!(
                    "the app did not draw its first screen within 60 s (see {})",
                    log.display()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let since = jiff::Timestamp::try_from(started)?;
        let took = Duration::try_from(drawn.duration_since(since)).unwrap_or_default();
        if run > 0 {
            samples.push(took);
        }
        // `_app` is killed here, with its WebKit processes; the next launch waits for the lock.
    }
    Ok(Figure::new("start to home drawn", Some(n), "ms", Stats::millis(&samples))
        .target(On::Median, Some(600.0), None)
        .note("release binary under Xvfb, from exec to the first frame of the home screen; a warm-up launch first"))
}
