//! Printing results as aligned tables or JSON, and errors in English and Japanese.

use std::process::ExitCode;

use sellerlink_app::AppError;
use sellerlink_domain::lifecycle::LifecycleError;
use serde::Serialize;

/// Exit status of a command that could not be carried out (Amazon refused, not found, a conflict, …).
pub const EXIT_FAILED: u8 = 1;
/// Exit status of a command line or typed value that is malformed (clap's refusals, an identifier, a date or
/// another value that does not parse). Nothing was done.
pub const EXIT_INVALID_INPUT: u8 = 2;

/// The exit status for a failed command: [`EXIT_INVALID_INPUT`] when what was typed does not parse, else
/// [`EXIT_FAILED`].
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    let malformed = matches!(
        err.downcast_ref::<AppError>(),
        Some(
            AppError::InvalidId(_)
                | AppError::InvalidInput { .. }
                | AppError::Lifecycle(LifecycleError::NotADate { .. })
        )
    );
    ExitCode::from(if malformed {
        EXIT_INVALID_INPUT
    } else {
        EXIT_FAILED
    })
}

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints a confirmation sentence, or the value as JSON.
    pub fn done(&self, sentence: &str, value: impl Serialize) {
        if self.json {
            print_json(&value);
        } else {
            println!("{sentence}");
        }
    }

    /// Prints rows under headers, or the value as JSON.
    pub fn table(&self, headers: &[&str], rows: Vec<Vec<String>>, value: impl Serialize) {
        if self.json {
            print_json(&value);
            return;
        }
        if rows.is_empty() {
            println!("(none)");
            return;
        }
        print!("{}", render_table(headers, &rows));
    }

    /// Prints an error: the message, then the Japanese message when it differs; JSON on stdout with `--json`.
    pub fn error(&self, err: &anyhow::Error) {
        if self.json && err.downcast_ref::<AlreadyReported>().is_some() {
            return;
        }
        let app_error = err.downcast_ref::<AppError>();
        let bilingual = err.downcast_ref::<Bilingual>();
        let (code, message_ja, field) = match (app_error, bilingual) {
            (Some(app_error), _) => (
                app_error.code(),
                Some(app_error.message_ja()),
                app_error.field(),
            ),
            (None, Some(b)) => (b.code, Some(b.ja.clone()), b.field),
            (None, None) => ("error", None, None),
        };
        if self.json {
            let body = serde_json::json!({
                "error": {
                    "code": code,
                    "message": format!("{err:#}"),
                    "message_ja": message_ja,
                    "field": field,
                }
            });
            print_json(&body);
            return;
        }
        eprintln!("error: {err:#}");
        if let Some(message_ja) = message_ja {
            eprintln!("エラー: {message_ja}");
        }
    }
}

/// A refusal of the CLI itself (not of a use case), with its message in English and Japanese.
#[derive(Debug, thiserror::Error)]
#[error("{en}")]
pub struct Bilingual {
    /// A stable machine-readable code.
    pub code: &'static str,
    /// The option or setting at fault, if one is.
    pub field: Option<&'static str>,
    /// What is wrong and what to do, in English.
    pub en: String,
    /// The same in Japanese.
    pub ja: String,
}

/// A failure whose details are already in the command's (JSON) output; only the exit status is left to set.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AlreadyReported(pub String);

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("error: cannot render JSON: {err}"),
    }
}

/// Width of a cell as a terminal shows it: East Asian wide characters take two columns.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Renders an aligned table with two spaces between columns.
pub fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(display_width(cell));
        }
    }
    let mut out = String::new();
    let header_cells: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header_cells).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - display_width(cell) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_wide_characters() {
        let table = render_table(
            &["A", "B"],
            &[
                vec!["株式会社".into(), "x".into()],
                vec!["ab".into(), "y".into()],
            ],
        );
        assert_eq!(table, "A         B\n株式会社  x\nab        y\n");
    }
}
