//! `cargo xtask package`: the `.deb` a liaison office's IT installs, made by Tauri's bundler
//! (desktop entry, icons, WebKitGTK and GTK declared as dependencies; `tauri.linux.conf.json`).
//!
//! Its test, in `cargo xtask test`: a fresh Debian 12 made with debootstrap (minbase: nothing
//! but apt), the package installed in it with `apt-get install ./vinculo_*.deb` as IT would,
//! the app started from its installed path (`/usr/bin/vinculo`) on an Xvfb screen, and its home
//! screen read back from a screenshot by OCR. Every wait is on state (a window shown, words on
//! the screen), with a generous limit; nothing sleeps its way to a pass.

use crate::{
    APP_PACKAGES, Result, cargo, ensure_cargo_install, ensure_packages, say, step, target_dir, workspace_root,
};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Tauri's command-line tool, whose bundler makes the package: the 2.x line of the `tauri` crate
/// the app builds with.
const TAURI_CLI: (&str, &str) = ("tauri-cli", "2.12.4");

/// What the package test needs on this machine: debootstrap for the clean Debian, Xvfb and
/// xdotool for the screen and the window, xwd (x11-apps) and netpbm for the screenshot, and
/// tesseract to read it.
const TEST_PACKAGES: &[&str] = &["debootstrap", "xvfb", "xdotool", "x11-apps", "netpbm", "tesseract-ocr"];

/// The Debian the package is tried on, and where from.
const SUITE: &str = "bookworm";
const MIRROR: &str = "http://deb.debian.org/debian";

/// Builds the `.deb` (release, or debug for the test: the same bundle around a binary that
/// builds in a third of the time) and returns its path.
pub fn build(debug: bool) -> Result<PathBuf> {
    ensure_packages(APP_PACKAGES)?;
    ensure_cargo_install(TAURI_CLI)?;
    let mut cmd = cargo(&["tauri", "build", "--bundles", "deb", "--ci"]);
    if debug {
        cmd.arg("--debug");
    }
    cmd.args(["--", "--locked"]).current_dir(workspace_root().join("src-tauri"));
    step("package (.deb)", cmd)?;
    let dir = target_dir().join(if debug { "debug" } else { "release" }).join("bundle").join("deb");
    let deb = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.starts_with("vinculo_") && name.ends_with(".deb")
        })
        .ok_or_else(|| format!("no vinculo_*.deb in {}", dir.display()))?;
    say(&format!("package: {}", deb.display()));
    Ok(deb)
}

/// The package test (see the module's comment). Leaves the screenshot and what was read from
/// it in `target/package-test/`.
pub fn test() -> Result {
    ensure_packages(TEST_PACKAGES)?;
    let deb = build(true)?;
    // The folder as /proc/self/mounts names it (absolute, links resolved), so that no mount
    // under it goes unseen before it is deleted.
    let work = target_dir().join("package-test");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let work = std::fs::canonicalize(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    if work.to_string_lossy().contains(char::is_whitespace) {
        return Err(format!(
            "{}: a folder without spaces, please (mount tables escape them)",
            work.display()
        ));
    }
    let root = work.join(SUITE);
    unmount_under(&root);
    if mounted_under(&root).next().is_some() {
        // Deleting the folder would reach through a mount into this machine's /dev or /sys.
        return Err(format!("{} still has file systems mounted: unmount them first", root.display()));
    }
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    step("a clean Debian 12 (debootstrap)", {
        let mut cmd = Command::new("debootstrap");
        cmd.args(["--variant=minbase", SUITE]).arg(&root).arg(MIRROR).stdout(Stdio::null());
        cmd
    })?;
    // No service a package brings starts inside the clean Debian (Debian's policy-rc.d).
    let policy = root.join("usr/sbin/policy-rc.d");
    std::fs::write(&policy, "#!/bin/sh\nexit 101\n").map_err(|e| e.to_string())?;
    std::fs::set_permissions(&policy, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .map_err(|e| e.to_string())?;
    let mounts = Mounts::new(&root)?;
    let in_root = Path::new("/tmp").join(deb.file_name().ok_or("a file name")?);
    std::fs::copy(&deb, root.join(in_root.strip_prefix("/").map_err(|e| e.to_string())?))
        .map_err(|e| format!("copying the package: {e}"))?;
    step("apt-get update (in the clean Debian)", chroot(&root, &["apt-get", "update", "-q"]))?;
    step(
        "apt install ./vinculo_*.deb (in the clean Debian)",
        chroot(&root, &["apt-get", "install", "-y", "-q", &in_root.to_string_lossy()]),
    )?;
    for installed in [
        "usr/bin/vinculo",
        "usr/share/applications/vinculo.desktop",
        "usr/share/icons/hicolor/128x128/apps/vinculo.png",
    ] {
        if !root.join(installed).is_file() {
            return Err(format!("the package did not install /{installed}"));
        }
    }
    let desktop = std::fs::read_to_string(root.join("usr/share/applications/vinculo.desktop"))
        .map_err(|e| e.to_string())?;
    if !desktop.lines().any(|l| l == "Name=Vínculo") || !desktop.lines().any(|l| l == "Exec=vinculo") {
        return Err(format!("the desktop entry does not start Vínculo:\n{desktop}"));
    }

    let screen = Screen::start(&mounts)?;
    let data = root.join("root/vinculo-data");
    let _app = Spawned(
        chroot(&root, &["/usr/bin/vinculo"])
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("HOME", "/root")
            .env("DISPLAY", &screen.display)
            .env("GSETTINGS_BACKEND", "memory")
            .env("NO_AT_BRIDGE", "1")
            .env("VINCULO_DATA_DIR", "/root/vinculo-data")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(work.join("app.log")).map_err(|e| e.to_string())?)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("starting /usr/bin/vinculo: {e}"))?,
    );
    say("package: waiting for the window to show (it shows once its page has loaded)");
    wait_for("the window to show", Duration::from_secs(240), || {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "Vínculo"])
            .env("DISPLAY", &screen.display)
            .output();
        found.is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
    })?;
    // A first start: the passphrase, twice (the first field has the focus), then the recovery
    // key noted, then the home screen of an empty store: its title and the hint to load the
    // sample. Each step waits for the words of the screen it needs, read off a screenshot.
    let shot = work.join("screen.png");
    let desk = Desk { display: &screen.display, shot: &shot };
    desk.wait_words(&["Proteja los datos"])?;
    desk.xdotool(&["search", "--onlyvisible", "--name", "Vínculo", "windowfocus", "--sync"])?;
    desk.xdotool(&["type", "--delay", "30", PASSPHRASE])?;
    desk.xdotool(&["key", "Tab"])?;
    desk.xdotool(&["type", "--delay", "30", PASSPHRASE])?;
    desk.xdotool(&["key", "Return"])?;
    desk.wait_words(&["Su clave de"])?;
    // The box is ticked by its label; the button it enables follows the label (OCR does not
    // read white on teal): clicked just past the label's last word.
    desk.click_word("imprimi", &[0, 60])?;
    let read = desk.wait_words(&["Esta semana", "datos de ejemplo"])?;
    std::fs::copy(&shot, work.join("home.png")).map_err(|e| e.to_string())?;
    if !data.join("logs").is_dir() {
        return Err("the installed app did not make its data folder".into());
    }
    std::fs::write(work.join("home.txt"), &read).map_err(|e| e.to_string())?;
    say(&format!(
        "package: installed, started, set up and showed its home screen ({})",
        work.join("home.png").display()
    ));
    Ok(())
}

/// `cmd` run inside `root` (chroot), with apt's questions answered by their defaults.
fn chroot(root: &Path, cmd: &[&str]) -> Command {
    let mut c = Command::new("chroot");
    c.arg(root).args(cmd).env("DEBIAN_FRONTEND", "noninteractive");
    c
}

/// Polls `done` every half second until it holds, or fails after `limit`.
fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Result {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(format!("waited {} s for {what}", limit.as_secs()))
}

/// The passphrase the test sets up the installed app with.
const PASSPHRASE: &str = "paquete de prueba 2026";

/// The Xvfb screen the installed app runs on, read by OCR and driven with xdotool.
struct Desk<'a> {
    display: &'a str,
    shot: &'a Path,
}

impl Desk<'_> {
    fn xdotool(&self, args: &[&str]) -> Result {
        let status =
            Command::new("timeout").arg("60").arg("xdotool").args(args).env("DISPLAY", self.display).status();
        match status {
            Ok(s) if s.success() => Ok(()),
            other => Err(format!("xdotool {args:?}: {other:?}")),
        }
    }

    /// The words tesseract reads on the screen, each with the centre of its box and its half
    /// width. The screen is
    /// read at twice its size, as it is and inverted (light text on a dark button reads too).
    fn words(&self) -> Result<Vec<(String, i64, i64, i64)>> {
        let shot = Command::new("sh")
            .args(["-c", "xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > \"$1\"", "screenshot"])
            .arg(self.shot)
            .env("DISPLAY", self.display)
            .status();
        if !shot.as_ref().is_ok_and(|s| s.success()) {
            return Err(format!("a screenshot of {}: {shot:?}", self.display));
        }
        let mut words = Vec::new();
        for invert in ["", "| pnminvert"] {
            let read = Command::new("sh")
                .args([
                    "-c",
                    &format!(
                        "pngtopnm \"$1\" | pnmscale 2 {invert} | tesseract - - --psm 11 tsv 2>/dev/null"
                    ),
                    "ocr",
                ])
                .arg(self.shot)
                .output()
                .map_err(|e| format!("tesseract: {e}"))?;
            // level page block paragraph line word left top width height confidence text
            words.extend(String::from_utf8_lossy(&read.stdout).lines().skip(1).filter_map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                let n = |i: usize| cols.get(i).and_then(|c| c.parse::<i64>().ok());
                let text = cols.get(11).map(|t| t.trim()).filter(|t| !t.is_empty())?;
                Some((text.to_owned(), (n(6)? + n(8)? / 2) / 2, (n(7)? + n(9)? / 2) / 2, n(8)? / 4))
            }));
        }
        Ok(words)
    }

    /// Waits until the screen reads each of `phrases` (accents aside: OCR misreads them);
    /// returns what it read.
    fn wait_words(&self, phrases: &[&str]) -> Result<String> {
        let mut read = String::new();
        wait_for(&format!("the screen to read {phrases:?}"), Duration::from_secs(180), || {
            read = self
                .words()
                .map(|w| w.into_iter().map(|(t, ..)| t).collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            phrases.iter().all(|p| read.contains(p))
        })
        .map_err(|e| format!("{e}; last read: {read}"))?;
        Ok(read)
    }

    /// Clicks, in turn, each of `rights` pixels right of the first word on the screen that
    /// starts with `prefix`: 0 on the word itself, else past the end of the line it begins.
    /// One reading of the screen for all (a click may change how the line reads).
    fn click_word(&self, prefix: &str, rights: &[i64]) -> Result {
        let words = self.words()?;
        let (_, x, y, _) = words
            .iter()
            .find(|(t, ..)| t.starts_with(prefix))
            .ok_or_else(|| format!("no «{prefix}…» on the screen"))?;
        let line_end = words
            .iter()
            .filter(|(_, wx, wy, _)| (wy - y).abs() < 8 && wx >= x)
            .map(|(_, wx, _, half)| wx + half)
            .max()
            .unwrap_or(*x);
        for right in rights {
            let at = if *right == 0 { *x } else { line_end + right };
            self.xdotool(&["mousemove", "--sync", &at.to_string(), &y.to_string(), "click", "1"])?;
        }
        Ok(())
    }
}

/// A child process killed when dropped.
struct Spawned(Child);

impl Drop for Spawned {
    fn drop(&mut self) {
        // Its whole group when it leads one (the app and WebKit's processes).
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The file systems the clean Debian needs to run a desktop program, unmounted when dropped:
/// /proc, /sys, /dev (with /dev/pts), a fresh /dev/shm, and the X server's sockets.
struct Mounts {
    root: PathBuf,
}

impl Mounts {
    fn new(root: &Path) -> Result<Mounts> {
        let mounts = Mounts { root: root.to_owned() };
        let x11 = Path::new("/tmp/.X11-unix");
        std::fs::create_dir_all(x11).map_err(|e| e.to_string())?;
        for (what, args) in [
            ("proc", vec!["-t", "proc", "proc"]),
            ("sys", vec!["--rbind", "/sys"]),
            ("dev", vec!["--rbind", "/dev"]),
            ("dev/shm", vec!["-t", "tmpfs", "shm"]),
            ("tmp/.X11-unix", vec!["--bind", "/tmp/.X11-unix"]),
        ] {
            let at = root.join(what);
            std::fs::create_dir_all(&at).map_err(|e| e.to_string())?;
            let status =
                Command::new("mount").args(&args).arg(&at).status().map_err(|e| format!("mount: {e}"))?;
            if !status.success() {
                return Err(format!("mount {args:?} {}: {status}", at.display()));
            }
            // A bind of /dev or /sys shares its mounts with this machine's (systemd makes them
            // shared): made a slave, a mount or unmount under it stays inside.
            if args[0] == "--rbind" {
                let status = Command::new("mount")
                    .arg("--make-rslave")
                    .arg(&at)
                    .status()
                    .map_err(|e| e.to_string())?;
                if !status.success() {
                    return Err(format!("mount --make-rslave {}: {status}", at.display()));
                }
            }
        }
        Ok(mounts)
    }
}

impl Drop for Mounts {
    fn drop(&mut self) {
        unmount_under(&self.root);
    }
}

/// The mount points under `root`.
fn mounted_under(root: &Path) -> impl Iterator<Item = String> {
    let table = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let root = root.to_owned();
    table
        .lines()
        .filter_map(|l| l.split(' ').nth(1).map(str::to_owned))
        .filter(move |p| Path::new(p).starts_with(&root))
        .collect::<Vec<_>>()
        .into_iter()
}

/// Unmounts everything mounted under `root`, deepest first (a run cut short leaves mounts).
fn unmount_under(root: &Path) {
    let mut points: Vec<String> = mounted_under(root).collect();
    points.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for point in points {
        let _ = Command::new("umount").args(["-l", &point]).status();
    }
}

/// An Xvfb screen on a free display number, stopped when dropped.
struct Screen {
    display: String,
    _server: Spawned,
}

impl Screen {
    /// Starts after the mounts, so that its socket is seen inside the clean Debian.
    fn start(_mounts: &Mounts) -> Result<Screen> {
        let n = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .ok_or("no free X display")?;
        let display = format!(":{n}");
        let server = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1366x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb: {e}"))?;
        let server = Spawned(server);
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        wait_for("Xvfb to listen", Duration::from_secs(30), || socket.exists())?;
        Ok(Screen { display, _server: server })
    }
}
