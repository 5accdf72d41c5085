//! Real Syncthing instances on loopback sharing one folder each (Debian's `syncthing`, which
//! the README test command installs): what the sharing test and the benchmark run Vínculo over.
//! Nothing leaves 127.0.0.1: discovery, relays, NAT and usage reports are off.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One Syncthing device with its shared folder.
#[derive(Debug)]
pub struct Device {
    pub home: PathBuf,
    pub folder: PathBuf,
    pub id: String,
    port: u16,
    gui: u16,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// The devices of one office, each sharing the folder `vinculo` with all the others.
#[derive(Debug)]
pub struct Cluster {
    pub devices: Vec<Device>,
}

impl Cluster {
    /// `n` devices under `root`, started and sharing.
    pub fn start(root: &Path, n: usize) -> Cluster {
        let mut devices = Vec::new();
        for i in 0..n {
            let home = root.join(format!("syncthing-{i}"));
            let folder = root.join(format!("folder-{i}"));
            std::fs::create_dir_all(folder.join(".stfolder")).expect("the folder and its marker");
            let out = Command::new("syncthing")
                .args(["generate", &format!("--home={}", home.display())])
                .output()
                .expect("`syncthing` is not installed: run `cargo xtask test`, which installs it");
            let text =
                String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            let id = text
                .lines()
                .find_map(|l| l.split("Device ID: ").nth(1))
                .map(|s| s.trim().to_owned())
                .unwrap_or_else(|| panic!("no device id from `syncthing generate`: {text}"));
            devices.push(Device { home, folder, id, port: free_port(), gui: free_port(), child: None });
        }
        let mut cluster = Cluster { devices };
        for i in 0..n {
            cluster.write_config(i);
            cluster.resume(i);
        }
        cluster
    }

    fn write_config(&self, i: usize) {
        let me = &self.devices[i];
        let members: String =
            self.devices.iter().map(|d| format!("<device id=\"{}\"></device>", d.id)).collect();
        let devices: String = self
            .devices
            .iter()
            .enumerate()
            .map(|(j, d)| {
                format!(
                    "<device id=\"{}\" name=\"laptop-{j}\" compression=\"metadata\"><address>tcp://127.0.0.1:{}</address></device>",
                    d.id, d.port
                )
            })
            .collect();
        let config = format!(
            r#"<configuration version="36">
    <folder id="vinculo" label="Vinculo" path="{folder}" type="sendreceive" rescanIntervalS="60" fsWatcherEnabled="true" fsWatcherDelayS="1">
        {members}
    </folder>
    {devices}
    <gui enabled="true" tls="false"><address>127.0.0.1:{gui}</address><apikey>vinculo-test</apikey></gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <reconnectionIntervalS>1</reconnectionIntervalS>
    </options>
</configuration>
"#,
            folder = me.folder.display(),
            gui = me.gui,
            port = me.port,
        );
        std::fs::write(me.home.join("config.xml"), config).expect("the config");
    }

    /// Starts device `i` (again).
    pub fn resume(&mut self, i: usize) {
        let d = &mut self.devices[i];
        if d.child.is_some() {
            return;
        }
        let log = std::fs::File::create(d.home.join("syncthing.log")).expect("the log");
        let child = Command::new("syncthing")
            .args([
                "serve",
                &format!("--home={}", d.home.display()),
                "--no-browser",
                "--no-restart",
                "--no-upgrade",
            ])
            .env("STNOUPGRADE", "1")
            .env("HOME", &d.home)
            .stdout(Stdio::from(log.try_clone().expect("the log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("syncthing starts");
        d.child = Some(child);
    }

    /// Stops device `i`: its laptop is offline.
    pub fn pause(&mut self, i: usize) {
        if let Some(mut child) = self.devices[i].child.take() {
            // The monitor and the syncthing it runs (which leaves its group): by their home.
            let home = format!("--home={} ", self.devices[i].home.display());
            let _ = Command::new("pkill").args(["-KILL", "-f", "--", &home]).status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn folder(&self, i: usize) -> &Path {
        &self.devices[i].folder
    }

    /// Whether device `i`'s folder holds the office and an invitation, whole (Syncthing writes
    /// a temporary file first and renames it once complete).
    pub fn has_invitation(&self, i: usize) -> bool {
        let folder = self.folder(i);
        let invitation = std::fs::read_dir(folder.join("invites")).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".json") && !name.starts_with('.') && !name.starts_with('~')
            })
        });
        invitation && ["office.json", "keys", "laptops"].iter().all(|f| folder.join(f).exists())
    }

    /// Waits until `check` holds, up to `patience`; panics with `what` otherwise.
    pub fn wait_until(what: &str, patience: Duration, mut check: impl FnMut() -> bool) -> Duration {
        let start = Instant::now();
        while !check() {
            if start.elapsed() > patience {
                panic!("waited {patience:?} in vain for {what}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        start.elapsed()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.devices.len() {
            self.pause(i);
        }
    }
}
