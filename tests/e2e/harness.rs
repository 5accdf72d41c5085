//! The machinery under the end-to-end tests: for each test a private X server (Xvfb), a D-Bus
//! session bus, `tauri-driver` in front of WebKitWebDriver, and a fresh data directory; a
//! WebDriver session launches the real app binary in it. When a test fails, a screenshot and
//! the app's log are saved beside the test output and their paths printed.

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The app binary cargo built for this test run (the same build `cargo test` makes).
pub const APP: &str = env!("CARGO_BIN_EXE_vinculo");

/// The passphrase every test's data is protected with (set on the first launch).
pub const PASSPHRASE: &str = "frase de prueba de la oficina";

/// How long any wait lasts before the test fails. Every wait ends as soon as what it waits for
/// is there, so a long patience costs a passing test nothing; it is long because a fresh,
/// busy two-core machine (a build on the other core, WebKit starting cold) is slow.
const PATIENCE: Duration = Duration::from_secs(60);

/// Waits until `check` gives a value (a file appeared, a line reached the log), for at most
/// [`PATIENCE`]; fails the test with `what` and the last state `check` saw otherwise.
pub async fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "waited in vain for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// [`wait_for`] a condition.
/// The file with `extension` saved in `folder` (through a save dialog), once it is there.
pub async fn saved(folder: &Path, extension: &str) -> PathBuf {
    wait_for(&format!("a .{extension} in {}", folder.display()), || {
        std::fs::read_dir(folder).ok()?.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
            p.extension().is_some_and(|e| e == extension) && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
        })
    })
    .await
}

pub async fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    wait_for(what, || check().then_some(())).await
}

/// The office's calendar day (America/Mexico_City), `offset` days from today, as `YYYY-MM-DD`.
pub fn office_day(offset: i64) -> String {
    let today = vinculo_core::office_today(jiff::Timestamp::now());
    today.checked_add(jiff::Span::new().days(offset)).expect("a date").to_string()
}

/// One test at a time: each runs a whole desktop (X server, bus, driver, WebKit, the app), and
/// two of them at once on a 2-core machine only make both slow.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs one end-to-end test: sets up its private desktop, hands `body` a [`Desk`], and on
/// failure saves a screenshot and the logs under `target/tmp/e2e/<name>/` and says where.
///
/// Under Xvfb WebKit draws with Mesa's software GL, whose rasterizer now and then crashes
/// WebKit's compositor or Skia's GPU thread on a busy machine (a segfault in `swrast_dri.so`
/// in the kernel's log; the page is gone and the test fails wherever it was). A test that
/// fails while the kernel logs such a crash runs once more on a new desktop, and says so;
/// any other failure fails at once.
pub fn run<F, Fut>(name: &str, body: F)
where
    F: Fn(Desk) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    for attempt in 1..=2 {
        let crashes = renderer_crashes();
        let desk = Desk::start(name);
        let started = Instant::now();
        let outcome = runtime.block_on(async {
            let task = tokio::spawn(body(desk.clone()));
            task.await
        });
        match outcome {
            Ok(()) => {
                eprintln!("e2e {name}: passed in {:.1} s", started.elapsed().as_secs_f64());
                runtime.block_on(desk.close_session());
                return;
            }
            Err(e) => {
                runtime.block_on(desk.save_artifacts());
                if attempt == 1 && renderer_crashes() > crashes {
                    eprintln!(
                        "e2e {name}: WebKit's renderer crashed in Mesa's software GL (the kernel's log has the segfault), not the app: running the test again on a new desktop"
                    );
                    // Dropping the desk kills the app and its web processes.
                    continue;
                }
                runtime.block_on(desk.close_session());
                match e.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(e) => panic!("e2e {name}: {e}"),
                }
            }
        }
    }
}

/// How many segfaults of WebKit's threads, or in Mesa's software rasterizer, the kernel has
/// logged (0 when its log cannot be read).
fn renderer_crashes() -> usize {
    Command::new("dmesg")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter(|l| {
                    l.contains("segfault")
                        && ["swrast_dri", "SkiaGPUWorker", "WebKit"].iter().any(|w| l.contains(w))
                })
                .count()
        })
        .unwrap_or(0)
}

/// Finds a program the tests need: on the PATH, or in cargo's bin directory for the ones
/// `cargo install` puts there. Missing means the test fails: `cargo xtask test` installs them.
pub fn tool(name: &str) -> PathBuf {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|c| c.join("bin"));
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_bin)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not installed: run `cargo xtask test`, which installs it"))
}

/// The app's environment on the desk under `root`: its display and bus, its data directory,
/// and the stand-in system opener first on its PATH.
fn app_env<'c>(cmd: &'c mut Command, root: &Path, display: &str, bus: &str) -> &'c mut Command {
    let path = std::env::join_paths(std::iter::once(root.join("bin")).chain(
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default(),
    ))
    .expect("PATH");
    cmd.env("DISPLAY", display)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("GSETTINGS_BACKEND", "memory")
        .env("NO_AT_BRIDGE", "1")
        // Skia paints on the CPU: under Xvfb its GPU thread would run on Mesa's software
        // rasterizer, where it crashes now and then (see `run`).
        .env("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1")
        .env("VINCULO_DATA_DIR", root.join("data"))
        .env("VINCULO_E2E_OPENED", root.join("opened.txt"))
        // A home of its own: no recent files or folders of other runs in the dialogs.
        .env("HOME", root.join("home"))
        .env("PATH", path)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free local port").port()
}

/// A child process, started in a process group of its own, killed with everything it started
/// (WebKitWebDriver, the app) when the test is over.
#[derive(Debug)]
struct Proc(Child);

impl Proc {
    fn spawn(cmd: &mut Command, what: &str) -> Proc {
        use std::os::unix::process::CommandExt;
        Proc(cmd.process_group(0).spawn().unwrap_or_else(|e| panic!("cannot start {what}: {e}")))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cmd` and reads the first line it prints (a display number, a bus address).
fn start_reading_line(mut cmd: Command, what: &str) -> (Proc, String) {
    let mut child = Proc::spawn(cmd.stdout(Stdio::piped()).stderr(Stdio::null()), what);
    let stdout = child.0.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(!line.trim().is_empty(), "{what} did not start");
    (child, line.trim().to_owned())
}

/// How a test answers a file dialog.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    /// Save under the proposed name in this folder.
    SaveIn(&'a Path),
    /// Open this file.
    Open(&'a Path),
    /// Choose the folder the dialog opened in.
    ShownFolder,
    Cancel,
}

/// One test's private desktop and the app session running on it.
#[derive(Debug, Clone)]
pub struct Desk(Arc<DeskInner>);

#[derive(Debug)]
struct DeskInner {
    name: String,
    root: tempfile::TempDir,
    display: String,
    bus: String,
    driver_port: u16,
    session: tokio::sync::Mutex<Option<Client>>,
    // Killed in reverse order of start when the last handle goes.
    _procs: Vec<Proc>,
}

impl Desk {
    fn start(name: &str) -> Desk {
        let root = tempfile::Builder::new().prefix("vinculo-e2e-").tempdir().expect("a temporary directory");
        let mut xvfb = Command::new(tool("Xvfb"));
        // `-r`: no key autorepeat. xdotool presses and releases a key with XTEST; on a loaded
        // machine the release can come late enough for the server to repeat the key, and a
        // repeated Escape cancels the next dialog before the test sees it.
        xvfb.args(["-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp", "-r"]);
        let (xvfb, display) = start_reading_line(xvfb, "Xvfb");
        let display = format!(":{display}");
        let mut dbus = Command::new(tool("dbus-daemon"));
        dbus.args(["--session", "--nofork", "--print-address=1"]);
        let (dbus, bus) = start_reading_line(dbus, "dbus-daemon");

        // The system opener the app hands links to: a stand-in that writes down what it was
        // asked to open, first on the app's PATH (see `app_env`). Only a test can put it there.
        let bin = root.path().join("bin");
        std::fs::create_dir_all(&bin).expect("bin dir");
        let opener = bin.join("xdg-open");
        std::fs::write(&opener, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$VINCULO_E2E_OPENED\"\n")
            .expect("opener");
        std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");

        let (driver_port, native_port) = (free_port(), free_port());
        let log = std::fs::File::create(root.path().join("tauri-driver.log")).expect("driver log");
        let mut driver = Command::new(tool("tauri-driver"));
        driver
            .args(["--port", &driver_port.to_string(), "--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(tool("WebKitWebDriver"))
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        // tauri-driver hands its environment on to the app it launches.
        let driver = Proc::spawn(app_env(&mut driver, root.path(), &display, &bus), "tauri-driver");
        // tauri-driver forwards a session's requests to WebKitWebDriver, which it starts: both
        // must listen before the first request, or it fails ("tcp connect error").
        let deadline = Instant::now() + PATIENCE;
        for (port, who) in [(driver_port, "tauri-driver"), (native_port, "WebKitWebDriver")] {
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(Instant::now() < deadline, "{who} did not listen on {port}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Desk(Arc::new(DeskInner {
            name: name.to_owned(),
            root,
            display,
            bus,
            driver_port,
            session: tokio::sync::Mutex::new(None),
            _procs: vec![driver, dbus, xvfb],
        }))
    }

    /// Damages the store as a failing disk would, while the app is closed: the used part of
    /// sled's log cut in half, and the write-ahead log blanked.
    pub fn damage_store(&self) {
        let db = self.data_dir().join("store/db");
        let bytes = std::fs::read(&db).expect("the store's log");
        let used = bytes.iter().rposition(|&b| b != 0).map_or(bytes.len(), |p| p + 1);
        std::fs::write(&db, &bytes[..used / 2]).expect("cut the log");
        // The write-ahead log would give back what sled lost: blanked too.
        let wal = self.data_dir().join("store.wal");
        let len = std::fs::metadata(&wal).expect("the write-ahead log").len();
        std::fs::write(&wal, vec![0u8; len as usize]).expect("blank the write-ahead log");
    }

    /// The app's home folder (made on first use).
    pub fn home(&self) -> PathBuf {
        let dir = self.0.root.path().join("home");
        std::fs::create_dir_all(&dir).expect("home dir");
        dir
    }

    /// A directory of this test's own, outside the app's data (where a user saves files).
    pub fn scratch(&self) -> PathBuf {
        let dir = self.0.root.path().join("scratch");
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    /// Runs xdotool on this desk's display and returns what it printed.
    pub fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new(tool("xdotool"))
            .args(args)
            .env("DISPLAY", &self.0.display)
            .output()
            .expect("xdotool");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Answers the system's file dialog titled `title` as a user types into it.
    pub async fn answer_file_dialog(&self, title: &str, answer: Answer<'_>) {
        let deadline = Instant::now() + PATIENCE;
        // xdotool takes a regular expression.
        let pattern: String = title
            .chars()
            .flat_map(|c| if "()[].*+?^$|\\".contains(c) { vec!['\\', c] } else { vec![c] })
            .collect();
        let shown = || self.xdotool(&["search", "--onlyvisible", "--name", &format!("^{pattern}$")]);
        let window = loop {
            if let Some(w) = shown().lines().last() {
                break w.to_owned();
            }
            if Instant::now() > deadline {
                let all = self.xdotool(&["search", "--name", "."]);
                let names: Vec<String> = all.lines().map(|w| self.xdotool(&["getwindowname", w])).collect();
                panic!("no «{title}» dialog; windows: {names:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        self.xdotool(&["windowfocus", "--sync", &window]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        match answer {
            // GTK selects the proposed name without its extension: Home keeps it and puts the
            // folder first.
            Answer::SaveIn(folder) => {
                assert!(
                    folder.to_string_lossy().is_ascii(),
                    "a path typed into a dialog is ASCII: {}",
                    folder.display()
                );
                self.xdotool(&["key", "--window", &window, "Home"]);
                self.xdotool(&[
                    "type",
                    "--window",
                    &window,
                    "--delay",
                    "5",
                    &format!("{}/", folder.display()),
                ]);
                self.xdotool(&["key", "--window", &window, "Return"]);
            }
            // Ctrl+L opens GTK's location field: the whole path, then Enter. xdotool types a
            // character missing from the keymap (ó) by remapping a spare key for it, which a
            // loaded machine can race into another character: paths typed are ASCII.
            Answer::Open(file) => {
                assert!(
                    file.to_string_lossy().is_ascii(),
                    "a path typed into a dialog is ASCII: {}",
                    file.display()
                );
                self.xdotool(&["key", "--window", &window, "ctrl+l"]);
                tokio::time::sleep(Duration::from_millis(300)).await;
                self.xdotool(&["type", "--window", &window, "--delay", "5", &file.display().to_string()]);
                tokio::time::sleep(Duration::from_millis(300)).await;
                self.xdotool(&["key", "--window", &window, "Return"]);
            }
            // The dialog opened in the folder: Enter with nothing selected chooses it.
            Answer::ShownFolder => {
                self.xdotool(&["key", "--window", &window, "Return"]);
            }
            Answer::Cancel => {
                self.xdotool(&["key", "--window", &window, "Escape"]);
            }
        }
        // Answered when the dialog has gone. On a loaded machine the last key can be spent
        // before it ends the dialog (the location field's completion, still being drawn,
        // takes a Return): then that key (Return or Escape) is pressed again, never another.
        let last = if matches!(answer, Answer::Cancel) { "Escape" } else { "Return" };
        let mut pressed = Instant::now();
        while !shown().is_empty() {
            assert!(Instant::now() < deadline + PATIENCE, "the «{title}» dialog stayed open");
            if pressed.elapsed() > Duration::from_secs(10) {
                self.xdotool(&["key", "--window", &window, last]);
                pressed = Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The app's data directory (the same across launches of one test).
    pub fn data_dir(&self) -> PathBuf {
        self.0.root.path().join("data")
    }

    /// Launches the app and gets past its passphrase screen as its user does: on the first
    /// launch the passphrase is set (and the recovery key acknowledged), on later ones typed
    /// in. Returns once the screen behind it is drawn.
    pub async fn launch(&self) -> App {
        let app = self.launch_locked().await;
        let gate = app
            .js("return document.getElementById('setup-form') ? 'setup' : document.getElementById('unlock-form') ? 'unlock' : '';")
            .await;
        match gate.as_str() {
            Some("setup") => {
                app.fill("passphrase", PASSPHRASE).await;
                app.fill("confirmation", PASSPHRASE).await;
                app.click("#setup-form button[type=submit]").await;
                app.wait("#recovery-key").await;
                app.click("#recovery-noted").await;
                app.click("#recovery-continue").await;
            }
            Some("unlock") => {
                app.fill("passphrase", PASSPHRASE).await;
                app.click("#unlock-form button[type=submit]").await;
            }
            _ => return app,
        }
        app.wait_js(
            "the screen behind the passphrase",
            "!document.body.classList.contains('locked') && document.querySelector('main#main h1')",
        )
        .await;
        app
    }

    /// The store under the data directory, as the app protects it: made with [`PASSPHRASE`]
    /// when there is none yet, else unlocked with it (to write records behind the app's back,
    /// or to hold the store as another process would).
    pub fn store(&self) -> vinculo_core::Store {
        let dir = self.data_dir();
        if vinculo_core::has_store(&dir) {
            vinculo_core::Store::unlock(&dir, &vinculo_core::Secret::Passphrase(PASSPHRASE))
                .expect("the store unlocks")
        } else {
            vinculo_core::Store::create_encrypted(&dir, PASSPHRASE, vinculo_core::KdfParams::OFFICE)
                .expect("the store")
                .0
        }
    }

    /// Launches the app in a new WebDriver session and waits for its first screen, which is
    /// the passphrase's (set it, or type it) unless the store cannot be opened at all.
    pub async fn launch_locked(&self) -> App {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({"application": APP, "args": []}));
        let url = format!("http://127.0.0.1:{}", self.0.driver_port);
        // WebKitWebDriver waits for an app that died at start for ever: a limit turns that
        // into a failure that names the driver's log.
        let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        let connect = builder.capabilities(caps).connect(&url);
        let client = tokio::time::timeout(PATIENCE * 2, connect)
            .await
            .unwrap_or_else(|_| {
                let log =
                    std::fs::read_to_string(self.0.root.path().join("tauri-driver.log")).unwrap_or_default();
                panic!(
                    "no WebDriver session after {} s: the app did not start?\n{log}",
                    (PATIENCE * 2).as_secs()
                )
            })
            .unwrap_or_else(|e| panic!("no WebDriver session: {e}"));
        *self.0.session.lock().await = Some(client.clone());
        let app = App { client, desk: self.clone() };
        app.wait("main#main h1").await;
        app
    }

    /// Ends the app's session: WebKitWebDriver closes the app. Returns once the app has let go
    /// of its D-Bus name (a launch meanwhile would hand over to the closing app, which dies
    /// without answering) and of its store.
    pub async fn close_session(&self) {
        if let Some(client) = self.0.session.lock().await.take() {
            let _ = client.close().await;
        }
        let deadline = Instant::now() + PATIENCE;
        while self.single_instance_running() {
            assert!(Instant::now() < deadline, "the app did not leave the session bus");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The store's lock (sled's, on its `db` file) goes with the app's process: a relaunch
        // waits for it.
        let deadline = Instant::now() + PATIENCE;
        let Ok(db) = std::fs::File::open(self.data_dir().join("store/db")) else { return };
        loop {
            match db.try_lock() {
                Ok(()) => {
                    db.unlock().expect("unlock");
                    return;
                }
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(std::fs::TryLockError::WouldBlock) => panic!("the app did not let go of its store"),
                Err(std::fs::TryLockError::Error(e)) => panic!("the store's lock: {e}"),
            }
        }
    }

    /// Whether an app holds its single-instance name on this desk's session bus.
    fn single_instance_running(&self) -> bool {
        let names = Command::new(tool("dbus-send"))
            .args([
                "--session",
                "--dest=org.freedesktop.DBus",
                "--type=method_call",
                "--print-reply",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.ListNames",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.0.bus)
            .output()
            .expect("dbus-send (dbus-bin)");
        assert!(names.status.success(), "dbus-send: {}", String::from_utf8_lossy(&names.stderr));
        String::from_utf8_lossy(&names.stdout).contains("mx.iecm.vinculo.SingleInstance")
    }

    /// What the app handed to the system to open (web, e-mail and phone links), in order.
    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(self.0.root.path().join("opened.txt"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The app with its environment on this desk, to start a second instance by hand.
    pub fn app_command(&self) -> Command {
        let mut cmd = Command::new(APP);
        app_env(&mut cmd, self.0.root.path(), &self.0.display, &self.0.bus);
        cmd
    }

    pub fn display(&self) -> &str {
        &self.0.display
    }

    /// The app's log so far.
    pub fn app_log(&self) -> String {
        std::fs::read_to_string(self.data_dir().join("logs/vinculo.log")).unwrap_or_default()
    }

    /// Where this test's screenshots and logs go: `target/tmp/e2e/<test>/`.
    pub fn artifacts(&self) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e").join(&self.0.name);
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        dir
    }

    async fn save_artifacts(&self) {
        let dir = self.artifacts();
        if let Some(client) = self.0.session.lock().await.as_ref() {
            match client.screenshot().await {
                Ok(png) => {
                    let _ = std::fs::write(dir.join("failure.png"), png);
                }
                Err(e) => eprintln!("e2e {}: no screenshot: {e}", self.0.name),
            }
        }
        let _ = std::fs::write(dir.join("vinculo.log"), self.app_log());
        let _ = std::fs::copy(self.0.root.path().join("tauri-driver.log"), dir.join("tauri-driver.log"));
        eprintln!("e2e {}: FAILED; screenshot and logs in {}", self.0.name, dir.display());
    }
}

/// The app in a WebDriver session, with the few moves the tests are written in.
#[derive(Debug, Clone)]
pub struct App {
    pub client: Client,
    desk: Desk,
}

impl App {
    /// Waits for an element matching `css` to be there.
    pub async fn wait(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` on screen: {e}"))
    }

    /// Waits until `check` (a JS expression) is true in the page.
    pub async fn wait_js(&self, what: &str, check: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.js(&format!("return Boolean({check});")).await == json!(true) {
                return;
            }
            assert!(Instant::now() < deadline, "waited in vain for {what} ({check})");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element matching `css` has `needle` in its text.
    pub async fn wait_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "`{css}` never said «{needle}»; last: «{last}»");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the last message the app showed the user (the toast's text, which stays in
    /// the page after the toast fades, until the next message) has `needle` in it. Call it
    /// once the state the message reports is reached: it says what the user was told.
    pub async fn told(&self, needle: &str) {
        let needle_json = json!(needle);
        self.wait_js(
            &format!("the message «{needle}»"),
            &format!("document.getElementById('toast').textContent.includes({needle_json})"),
        )
        .await;
    }

    /// Waits until no element matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        let css_json = serde_json::to_string(css).expect("json");
        self.wait_js(&format!("`{css}` gone"), &format!("!document.querySelector({css_json})")).await;
    }

    /// Clicks the element `css` names once it is there. A screen drawn again between finding
    /// the element and clicking it (a late refresh) leaves a stale element: it is found again.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let el = self.wait(css).await;
            match self.click_el(&el).await {
                Ok(()) => return,
                Err(e) if e.is_stale_element_reference() && Instant::now() < deadline => continue,
                Err(e) => panic!("cannot click `{css}`: {e}"),
            }
        }
    }

    /// Scrolls `el` to the middle of the window, as a user does before clicking, then clicks
    /// it. (WebDriver clicks the visible sliver of a half-hidden element, which can miss.)
    pub async fn click_el(&self, el: &Element) -> Result<(), fantoccini::error::CmdError> {
        self.reveal(el).await?;
        el.click().await
    }

    async fn reveal(&self, el: &Element) -> Result<(), fantoccini::error::CmdError> {
        let el = serde_json::to_value(el).expect("an element reference");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", vec![el])
            .await
            .map(drop)
    }

    /// Clicks the button, link or option whose whole visible text is `text` (inside `scope`).
    pub async fn click_text(&self, scope: &str, text: &str) {
        let xpath = format!(
            "//*[self::button or self::a or self::li or self::label][normalize-space(.)={}]",
            xpath_literal(text)
        );
        let deadline = Instant::now() + PATIENCE;
        loop {
            let scoped = self.wait(scope).await;
            if let Ok(found) = scoped.find_all(Locator::XPath(&format!(".{xpath}"))).await {
                for el in found {
                    if el.is_displayed().await.unwrap_or(false) {
                        match self.click_el(&el).await {
                            Ok(()) => return,
                            // Drawn again since it was found: look again.
                            Err(e) if e.is_stale_element_reference() => break,
                            Err(e) => panic!("cannot click «{text}»: {e}"),
                        }
                    }
                }
            }
            assert!(Instant::now() < deadline, "no «{text}» to click in `{scope}`");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Goes straight to the screen at `hash` (as a bookmark would) and waits until it is drawn.
    pub async fn goto(&self, hash: &str) {
        self.js(&format!("location.hash = {}; return true;", json!(hash))).await;
        self.wait_shown(hash).await;
    }

    /// Opens the search palette from the keyboard (Ctrl+K) and waits for its input to have focus.
    pub async fn open_palette(&self) {
        self.click("main h1").await;
        self.keys(&format!("{}k{}", Key::Control, Key::Null)).await;
        self.wait("#palette[open] input:focus").await;
    }

    /// Loads the sample data from the empty home screen, as a first-time user does.
    pub async fn load_sample(&self) {
        self.click_text("main", "Cargar datos de ejemplo").await;
        self.wait("main section[aria-label='Compromisos vencidos']").await;
    }

    /// Goes to a screen from the sidebar, as a user does.
    pub async fn nav(&self, route: &str) {
        self.click(&format!("#nav a[href='#/{route}']")).await;
        self.wait_shown(&format!("#/{route}")).await;
    }

    /// The form control named `name` (the first, or the one inside `scope`).
    /// The field `name` of the open dialog, when a dialog is open and has one (wait for the
    /// dialog first), else of the screen's form.
    pub async fn field(&self, name: &str) -> Element {
        match self.client.find(Locator::Css(&format!("#dialog[open] [name='{name}']"))).await {
            Ok(field) => field,
            Err(_) => self.wait(&format!("main form [name='{name}']")).await,
        }
    }

    /// Replaces a text field's value by typing.
    pub async fn fill(&self, name: &str, value: &str) {
        let field = self.field(name).await;
        self.reveal(&field).await.expect("scroll into view");
        field.clear().await.unwrap_or_else(|e| panic!("cannot clear {name}: {e}"));
        field.send_keys(value).await.unwrap_or_else(|e| panic!("cannot type in {name}: {e}"));
    }

    /// Types `query` into a record picker and takes the option whose text starts with `title`.
    pub async fn pick(&self, name: &str, query: &str, title: &str) {
        let field = self.field(name).await;
        self.click_el(&field).await.expect("focus the picker");
        field.send_keys(query).await.expect("type in the picker");
        let list = field.attr("aria-controls").await.expect("attr").expect("a picker");
        let xpath = format!(
            "//ul[@id={}]/li[starts-with(normalize-space(.), {})]",
            xpath_literal(&list),
            xpath_literal(title)
        );
        let option = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("«{title}» not offered in {name}: {e}"));
        self.click_el(&option).await.expect("choose");
    }

    /// Presses keys in whatever has the focus (WebDriver key codes from `fantoccini::key::Key`).
    /// The focused element can be replaced between finding it and typing (a screen drawn
    /// again): then nothing was typed, and the keys go to what has the focus now.
    pub async fn keys(&self, keys: &str) {
        let mut last = None;
        for _ in 0..20 {
            let active = self.client.active_element().await.expect("a focused element");
            match active.send_keys(keys).await {
                Ok(()) => return,
                Err(e) if is_stale(&e) => last = Some(e),
                Err(e) => panic!("keys refused: {e}"),
            }
        }
        panic!("keys refused: the focused element kept going away: {last:?}");
    }

    /// Moves the focus with Tab (Shift+Tab when `back`) until it is on `target`, as a keyboard
    /// user does; fails when it cannot get there.
    pub async fn tab_to(&self, target: Target<'_>, back: bool) {
        self.tab_to_js(&target.predicate(), back).await;
    }

    async fn tab_to_js(&self, predicate: &str, back: bool) {
        let check = format!("const el = document.activeElement; return Boolean(el && ({predicate}));");
        let key =
            if back { format!("{}{}{}", Key::Shift, Key::Tab, Key::Null) } else { Key::Tab.to_string() };
        for _ in 0..200 {
            if self.js(&check).await == json!(true) {
                return;
            }
            self.keys(&key).await;
        }
        panic!("Tab never reached {predicate}");
    }

    /// Waits until the screen for `hash` is drawn.
    pub async fn wait_shown(&self, hash: &str) {
        let hash = json!(hash);
        self.wait_js(
            &format!("the screen {hash}"),
            &format!("document.querySelector('main').dataset.shown === {hash}"),
        )
        .await;
    }

    /// Waits for the page of a record of `kind` and returns the record's id.
    pub async fn wait_record_page(&self, kind: &str) -> String {
        let prefix = format!("#/{kind}/");
        let page = format!(
            "location.hash === document.querySelector('main').dataset.shown && location.hash.startsWith({}) \
             && !location.hash.split('/').some((w) => w === 'new' || w === 'edit')",
            json!(prefix)
        );
        self.wait_js(&format!("a {kind} page"), &page).await;
        let hash = self.js("return location.hash;").await;
        hash.as_str().expect("hash").trim_start_matches(&prefix).to_owned()
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Calls a command the way the UI does, through the webview's IPC (the command layer):
    /// `Ok(result)` or `Err(the error as it crossed)`.
    pub async fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let out = self
            .client
            .execute_async(
                "const [cmd, args, done] = arguments;
                 window.__TAURI__.core.invoke(cmd, args)
                   .then((ok) => done({ok: ok === undefined ? null : ok}), (err) => done({err}));",
                vec![json!(cmd), args],
            )
            .await
            .unwrap_or_else(|e| panic!("invoke {cmd}: {e}"));
        match out.get("err") {
            Some(err) => Err(err.clone()),
            None => Ok(out["ok"].clone()),
        }
    }

    pub async fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args.clone()).await.unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Saves a screenshot as `<name>.png` in this test's artifacts directory.
    pub async fn shot(&self, name: &str) -> PathBuf {
        let path = self.desk.artifacts().join(format!("{name}.png"));
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Waits until the store holds `expected` records of each kind (see [`App::counts`]).
    pub async fn wait_counts(&self, expected: &[(String, usize)]) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let counts = self.counts().await;
            if counts == expected {
                return;
            }
            assert!(Instant::now() < deadline, "the store holds {counts:?}, not {expected:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The number of records of each kind in the store, read through the commands.
    pub async fn counts(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for kind in ["organization", "contact", "meeting", "agreement", "activity", "commitment", "document"]
        {
            let list = self.ok("list_page", json!({"query": {"kind": kind, "limit": 1}})).await;
            out.push((kind.to_owned(), list["total"].as_u64().expect("a count") as usize));
        }
        out
    }
}

/// Something on screen to act on: a CSS selector, or the whole visible text of a button or link.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Css(&'a str),
    Text(&'a str),
}

impl Target<'_> {
    /// A JS test of `el` for this target.
    fn predicate(&self) -> String {
        match self {
            Target::Css(css) => format!("el.matches({})", json!(css)),
            Target::Text(text) => {
                format!("['A', 'BUTTON'].includes(el.tagName) && el.textContent.trim() === {}", json!(text))
            }
        }
    }
}

/// How the user works the app: with the mouse (and typing), or with the keyboard alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hands {
    Mouse,
    Keyboard,
}

/// The app as a user of the given [`Hands`] works it: the same steps, done by clicking or by
/// Tab, arrows, Space and Enter only.
#[derive(Debug, Clone, Copy)]
pub struct User<'a> {
    pub app: &'a App,
    pub hands: Hands,
}

impl User<'_> {
    /// Opens a screen of the sidebar.
    pub async fn go(&self, route: &str) {
        match self.hands {
            Hands::Mouse => self.app.nav(route).await,
            Hands::Keyboard => {
                self.app.tab_to(Target::Css(&format!("#nav a[href='#/{route}']")), true).await;
                self.app.keys(&Key::Enter).await;
                self.app.wait_shown(&format!("#/{route}")).await;
            }
        }
    }

    /// Activates a button or link.
    pub async fn press(&self, target: Target<'_>) {
        match (self.hands, target) {
            (Hands::Mouse, Target::Css(css)) => self.app.click(css).await,
            (Hands::Mouse, Target::Text(text)) => self.app.click_text("body", text).await,
            (Hands::Keyboard, target) => {
                self.app.tab_to(target, false).await;
                self.app.keys(&Key::Enter).await;
            }
        }
    }

    /// Types `value` into the `nth` form field named `name` (empty before).
    pub async fn fill(&self, name: &str, nth: usize, value: &str) {
        let css = format!("main form [name='{name}']");
        match self.hands {
            Hands::Mouse => {
                let fields = self.app.client.find_all(Locator::Css(&css)).await.expect("fields");
                let field = fields.get(nth).unwrap_or_else(|| panic!("no field {name} #{nth}"));
                self.app.reveal(field).await.expect("scroll into view");
                field.clear().await.expect("clear");
                field.send_keys(value).await.unwrap_or_else(|e| panic!("cannot type in {name}: {e}"));
            }
            Hands::Keyboard => {
                self.tab_to_nth(&css, nth).await;
                self.app.keys(value).await;
            }
        }
    }

    /// Sets the `nth` select named `name` to the option labelled `label`.
    pub async fn choose(&self, name: &str, nth: usize, label: &str) {
        let css = format!("main form select[name='{name}']");
        match self.hands {
            Hands::Mouse => {
                let fields = self.app.client.find_all(Locator::Css(&css)).await.expect("selects");
                let field = fields.get(nth).unwrap_or_else(|| panic!("no select {name} #{nth}"));
                field.select_by_label(label).await.unwrap_or_else(|e| panic!("no «{label}» in {name}: {e}"));
            }
            Hands::Keyboard => {
                // Arrows move a closed select through its options, one change at a time.
                self.tab_to_nth(&css, nth).await;
                let is_chosen =
                    format!("document.activeElement.selectedOptions[0]?.text === {}", json!(label));
                for key in [Key::Home, Key::Down].into_iter().chain(std::iter::repeat_n(Key::Down, 40)) {
                    if self.app.js(&format!("return {is_chosen};")).await == json!(true) {
                        return;
                    }
                    self.app.keys(&key).await;
                }
                panic!("«{label}» not reached with the arrows in {name}");
            }
        }
    }

    /// Ticks the checkbox named `name` with value `value`.
    pub async fn tick(&self, name: &str, value: &str) {
        let css = format!("main form input[name='{name}'][value='{value}']");
        match self.hands {
            Hands::Mouse => self.app.click(&css).await,
            Hands::Keyboard => {
                self.app.tab_to(Target::Css(&css), false).await;
                self.app.keys(" ").await;
            }
        }
    }

    /// Chooses a record in the picker named `name`: types `query`, takes the option starting
    /// with `title`.
    pub async fn pick(&self, name: &str, query: &str, title: &str) {
        match self.hands {
            Hands::Mouse => self.app.pick(name, query, title).await,
            Hands::Keyboard => {
                self.app.tab_to(Target::Css(&format!("main form input[name='{name}']")), false).await;
                self.app.keys(query).await;
                // The core's answer comes back after the keys: the options are shown then.
                self.app
                    .wait_js(
                        "the picker's options",
                        &format!(
                            "[...(document.getElementById(document.activeElement.getAttribute('aria-controls'))?.children ?? [])].some((li) => li.textContent.startsWith({}))",
                            json!(title)
                        ),
                    )
                    .await;
                let active = format!(
                    "document.getElementById(document.activeElement.getAttribute('aria-activedescendant') || '-')?.textContent.startsWith({})",
                    json!(title)
                );
                for _ in 0..8 {
                    if self.app.js(&format!("return Boolean({active});")).await == json!(true) {
                        self.app.keys(&Key::Enter).await;
                        return;
                    }
                    self.app.keys(&Key::Down).await;
                }
                panic!("«{title}» not reached with the arrows in {name}");
            }
        }
    }

    /// Saves the form on screen and waits for the record's page; returns its id.
    pub async fn save(&self, kind: &str) -> String {
        self.press(Target::Css("main form button[type='submit']")).await;
        self.app.wait_record_page(kind).await
    }

    async fn tab_to_nth(&self, css: &str, nth: usize) {
        let pick = format!("document.querySelectorAll({})[{nth}]", json!(css));
        self.app.tab_to_js(&format!("el === {pick}"), false).await;
    }
}

/// `text` as an XPath string literal, whatever quotes it holds.
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        format!("concat('{}')", text.split('\'').collect::<Vec<_>>().join("', \"'\", '"))
    }
}

/// Whether WebDriver refused because an element it was given is no longer in the page.
fn is_stale(e: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    matches!(e, CmdError::Standard(w) if matches!(w.error, ErrorStatus::NoSuchElement | ErrorStatus::StaleElementReference))
}
