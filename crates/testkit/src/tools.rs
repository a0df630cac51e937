//! The outside tools some tests need — Chromium and chromedriver, a Python with third-party Amazon clients — found
//! or refused with the exact command that installs them. A test never skips and passes when a tool is missing.
//!
//! `./scripts/test` installs all of them (Debian packages where it can, the Python packages into a virtual
//! environment under `target/test-python`), so running the README's test command is enough.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Debian packages the browser suite needs.
pub const BROWSER_PACKAGES: &str = "chromium chromium-driver fonts-ipafont-gothic";

/// The Python packages the third-party client checks need, pinned to the versions measured.
pub const PYTHON_PACKAGES: &str = "mws==0.8.15 python-amazon-sp-api==2.1.35";

/// The repository's root (two levels above this crate).
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The virtual environment `./scripts/test` creates for the third-party Python clients.
pub fn python_venv() -> PathBuf {
    repository_root().join("target/test-python")
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

/// Chromium's and chromedriver's paths; panics with the install command when either is missing.
pub fn chromium() -> (PathBuf, PathBuf) {
    let driver = on_path("chromedriver");
    let browser = on_path("chromium").or_else(|| on_path("chromium-browser"));
    match (browser, driver) {
        (Some(browser), Some(driver)) => (browser, driver),
        (browser, driver) => panic!(
            "the browser suite needs Chromium and chromedriver on PATH (chromium: {}, chromedriver: {}). \
             Install them with: sudo apt-get install -y {BROWSER_PACKAGES}   (./scripts/test does this itself \
             when it runs as root)",
            if browser.is_some() {
                "found"
            } else {
                "missing"
            },
            if driver.is_some() { "found" } else { "missing" },
        ),
    }
}

/// A Python interpreter that can import every module of `modules`: `SELLERLINK_TEST_PYTHON` when set (the README's
/// test command sets it), else the virtual environment's. Panics with the command that provides it.
pub fn python_with(modules: &[&str]) -> PathBuf {
    let python = std::env::var_os("SELLERLINK_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| python_venv().join("bin/python"));
    let imports = modules
        .iter()
        .map(|module| format!("import {module}"))
        .collect::<Vec<_>>()
        .join("; ");
    let works = Command::new(&python)
        .args(["-c", &imports])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        works,
        "{} cannot `{imports}`: run ./scripts/test (it creates the environment), or: python3 -m venv {venv} && \
         {venv}/bin/pip install {PYTHON_PACKAGES}",
        python.display(),
        venv = python_venv().display(),
    );
    python
}
