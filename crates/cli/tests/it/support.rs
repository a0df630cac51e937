use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const TOKEN: &str = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeac0ffee1";
pub const SELLER: &str = "A1B2C3D4E5F6G7";
pub const JAPAN: &str = "A1VC38T7YXB528";

/// An isolated sellerlink home (database + key file) in a temp dir.
pub struct Home {
    pub dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.status.success(),
            "command failed\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }
}

impl Home {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            env: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Extra environment for every command (e.g. MWS settings pointing at a sandbox).
    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sellerlink"));
        command.args(args);
        self.environment(&mut command);
        command
    }

    /// `sellerlink ARGS` run by a wrapper (e.g. `unshare --pid --fork`), with this home's environment.
    pub fn command_via(&self, wrapper: &[&str], args: &[&str]) -> Command {
        let mut command = Command::new(wrapper[0]);
        command
            .args(&wrapper[1..])
            .arg(env!("CARGO_BIN_EXE_sellerlink"))
            .args(args);
        self.environment(&mut command);
        command
    }

    fn environment(&self, command: &mut Command) {
        command
            .env("SELLERLINK_HOME", self.path())
            .env_remove("SELLERLINK_DATABASE_URL")
            .env_remove("SELLERLINK_MASTER_KEY")
            .env_remove("SELLERLINK_PREVIOUS_MASTER_KEYS")
            .env_remove("SELLERLINK_MWS_AUTH_TOKEN")
            .env_remove("SELLERLINK_MWS_ENDPOINT")
            .env_remove("SELLERLINK_MWS_ACCESS_KEY_ID")
            .env_remove("SELLERLINK_MWS_SECRET_KEY")
            .env_remove("SELLERLINK_MWS_CA_FILE")
            .env_remove("SELLERLINK_SPAPI_APPLICATION_ID")
            .env_remove("SELLERLINK_LWA_CLIENT_ID")
            .env_remove("SELLERLINK_LWA_CLIENT_SECRET")
            .env_remove("SELLERLINK_LWA_CLIENT_SECRET_EXPIRES_ON")
            .env_remove("SELLERLINK_SPAPI_REDIRECT_URI")
            .env_remove("SELLERLINK_LWA_ENDPOINT")
            .env_remove("SELLERLINK_SPAPI_ENDPOINT")
            .env_remove("SELLERLINK_SPAPI_CA_FILE")
            .env("SELLERLINK_LOG", "trace");
        for (key, value) in &self.env {
            command.env(key, value);
        }
    }

    /// Starts a long-running command (stdout piped, stderr discarded); killed when the child is dropped by the
    /// caller's [`Running`].
    pub fn spawn(&self, args: &[&str]) -> Running {
        let child = self
            .command(args)
            .env("SELLERLINK_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Running(child)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            status,
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    /// Adds the demo merchant and one connection; returns the connection id.
    pub fn merchant_with_connection(&self) -> String {
        self.run(&["merchant", "add", "--name", "株式会社たくみ"])
            .assert_ok();
        let added = self.run_with_stdin(
            &[
                "--json",
                "connection",
                "add",
                "--no-verify",
                "--merchant",
                "株式会社たくみ",
                "--seller-id",
                SELLER,
                "--marketplace-id",
                JAPAN,
            ],
            &format!("{TOKEN}\n"),
        );
        added.assert_ok();
        added.json()["id"].as_str().unwrap().to_owned()
    }

    /// Every file under the home, as bytes (database, WAL, key file…).
    pub fn all_file_bytes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        files
    }
}

/// A command running in the background; killed on drop.
pub struct Running(pub std::process::Child);

impl Running {
    /// Reads stdout until a line contains `marker` (or the command exits); returns everything read.
    pub fn read_until(&mut self, marker: &str) -> String {
        use std::io::BufRead as _;
        let stdout = self.0.stdout.as_mut().expect("stdout is piped");
        let mut reader = std::io::BufReader::new(stdout);
        let mut text = String::new();
        loop {
            let mut line = String::new();
            let read = reader.read_line(&mut line).unwrap();
            text.push_str(&line);
            if read == 0 || line.contains(marker) {
                return text;
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
