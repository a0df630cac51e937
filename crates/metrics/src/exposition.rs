//! The Prometheus text exposition format 0.0.4: per metric a `# HELP` and a `# TYPE` line, then its samples,
//! `name{label="value",…} number`, one per line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::gauges::Gauge;

/// The `Content-Type` of the text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The text being written.
#[derive(Debug, Default)]
pub(crate) struct Exposition {
    text: String,
}

impl Exposition {
    /// A counter family: its header and one sample per label set.
    pub(crate) fn counter(
        &mut self,
        name: &'static str,
        help: &'static str,
        samples: &[(Vec<(&'static str, &'static str)>, u64)],
    ) {
        self.header(name, help, "counter");
        for (labels, value) in samples {
            self.sample(
                name,
                labels.iter().map(|(k, v)| (*k, *v)),
                &value.to_string(),
            );
        }
    }

    /// Gauges, grouped by name (the format wants one family's samples together), families in name order.
    pub(crate) fn gauges(&mut self, gauges: Vec<Gauge>) {
        let mut families: BTreeMap<&'static str, Vec<Gauge>> = BTreeMap::new();
        for gauge in gauges {
            families.entry(gauge.name).or_default().push(gauge);
        }
        for (name, samples) in families {
            self.header(name, samples[0].help, "gauge");
            for sample in &samples {
                let labels = sample.labels.iter().map(|(k, v)| (*k, v.as_str()));
                self.sample(name, labels, &number(sample.value));
            }
        }
    }

    pub(crate) fn finish(self) -> String {
        self.text
    }

    fn header(&mut self, name: &str, help: &str, kind: &str) {
        debug_assert!(is_metric_name(name), "{name:?} is not a metric name");
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    fn sample<'a>(
        &mut self,
        name: &str,
        labels: impl Iterator<Item = (&'a str, &'a str)>,
        value: &str,
    ) {
        self.text.push_str(name);
        let mut first = true;
        for (key, value) in labels {
            debug_assert!(
                is_metric_name(key) && !key.contains(':'),
                "{key:?} is not a label name"
            );
            self.text.push(if first { '{' } else { ',' });
            first = false;
            let _ = write!(self.text, "{key}=\"{}\"", escape_label_value(value));
        }
        if !first {
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {value}");
    }
}

/// A label value as the format writes it between quotes: `\`, `"` and line feeds escaped.
pub fn escape_label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A sample value: integers without a fraction, `NaN`, `+Inf` and `-Inf` as the format spells them.
fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned()
    } else {
        value.to_string()
    }
}

fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped_and_numbers_spelled_as_the_format_wants() {
        assert_eq!(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(f64::INFINITY), "+Inf");
        assert_eq!(number(f64::NEG_INFINITY), "-Inf");
        assert_eq!(number(f64::NAN), "NaN");
        assert!(is_metric_name("sellerlink_x:y_1"));
        assert!(!is_metric_name("1x"));
        assert!(!is_metric_name("a-b"));
    }
}
