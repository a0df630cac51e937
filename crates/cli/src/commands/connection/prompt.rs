//! Reading a secret that must not be typed as an option: the first line of stdin when it is piped, or a prompt on
//! the terminal that does not echo what is typed (the terminal's echo is switched off with `stty` and restored
//! afterwards, also when Ctrl-C interrupts the command).

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::{Command, Stdio};

use secrecy::SecretString;

/// The first line of stdin (a pipe), or what is typed at a hidden prompt showing `label` (a terminal).
pub async fn read_secret(label: &str) -> anyhow::Result<SecretString> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        return Ok(SecretString::from(line));
    }
    let echo_off = EchoOff::switch()?;
    let saved = echo_off.saved.clone();
    // While the command runs, Ctrl-C gives the terminal its echo back before the process ends.
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = stty(&[&saved]);
            eprintln!();
            std::process::exit(130);
        }
    });
    eprint!("{label}: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    let read = tokio::task::block_in_place(|| stdin.lock().read_line(&mut line));
    drop(echo_off);
    eprintln!();
    // The handler stays installed (tokio keeps it), so Ctrl-C during the rest of the command still exits.
    drop(interrupt);
    read?;
    Ok(SecretString::from(line))
}

/// The terminal with its echo off; dropping it restores the saved settings.
struct EchoOff {
    saved: String,
}

impl EchoOff {
    fn switch() -> anyhow::Result<Self> {
        let cannot = |error: anyhow::Error| {
            anyhow::anyhow!(
                "cannot hide what is typed on this terminal ({error}); pipe the secret on stdin instead, \
                 e.g. `… < token.txt` (入力を非表示にできません。標準入力から渡してください)"
            )
        };
        let saved = stty(&["-g"]).map_err(cannot)?;
        stty(&["-echo"]).map_err(cannot)?;
        Ok(Self {
            saved: saved.trim().to_owned(),
        })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if stty(&[&self.saved]).is_err() {
            let _ = stty(&["echo"]);
        }
    }
}

/// Runs `stty` on the terminal that is stdin; its output on success.
fn stty(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("stty")
        .args(args)
        .stdin(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()?;
    if !output.status.success() {
        anyhow::bail!(
            "stty {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
