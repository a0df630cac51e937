//! Fault injection per operation (or `*` for all): 500 InternalError, 503 ServiceUnavailable,
//! slow responses, dropped connections and truncated bodies.
//!
//! Whether a request is faulted is a pure function of the world seed, the request's sequence
//! number and the configured rates, so a run with the same seed and the same requests faults the
//! same requests. Faults are decided after authentication and before any state change; a
//! truncated body is only ever applied to read-only operations, after the answer is computed.

use std::collections::BTreeMap;

/// The fault rates of one rule; each rate is a probability in `[0, 1]`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRates {
    /// Answer 500 InternalError.
    pub internal_error: f64,
    /// Answer 503 ServiceUnavailable.
    pub service_unavailable: f64,
    /// Close the connection without any response.
    pub drop_connection: f64,
    /// Send a prefix of the real response with the full Content-Length, then close.
    pub truncate_body: f64,
    /// Delay the response by `slow_ms`.
    pub slow: f64,
    /// The delay of a slow response, in milliseconds.
    pub slow_ms: u64,
    /// Stop after injecting this many faults (the rule then removes itself); `None` = forever.
    pub limit: Option<u64>,
}

impl FaultRates {
    /// Checks every rate is within `[0, 1]` and the error rates add up to at most 1.
    pub fn validate(&self) -> Result<(), String> {
        let rates = [
            ("internal_error", self.internal_error),
            ("service_unavailable", self.service_unavailable),
            ("drop_connection", self.drop_connection),
            ("truncate_body", self.truncate_body),
            ("slow", self.slow),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "{name} must be a probability between 0 and 1, got {rate}"
                ));
            }
        }
        let sum = self.internal_error
            + self.service_unavailable
            + self.drop_connection
            + self.truncate_body;
        if sum > 1.0 + 1e-9 {
            return Err(format!(
                "internal_error + service_unavailable + drop_connection + truncate_body must be at most 1, got {sum}"
            ));
        }
        if self.slow > 0.0 && self.slow_ms == 0 {
            return Err("slow needs slow_ms > 0".into());
        }
        if self.slow_ms > 120_000 {
            return Err("slow_ms must be at most 120000".into());
        }
        Ok(())
    }
}

/// The fault chosen for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 500 InternalError.
    InternalError,
    /// 503 ServiceUnavailable.
    ServiceUnavailable,
    /// Close without a response.
    DropConnection,
    /// Send a prefix of the body, then close.
    TruncateBody,
}

impl FaultKind {
    /// The snake_case name used in the request log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InternalError => "internal_error",
            Self::ServiceUnavailable => "service_unavailable",
            Self::DropConnection => "drop_connection",
            Self::TruncateBody => "truncate_body",
        }
    }
}

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaultPlan {
    /// The fault, if any.
    pub kind: Option<FaultKind>,
    /// Extra delay in milliseconds (0 = none).
    pub delay_ms: u64,
}

/// The configured rules by operation name (`ListOrders`, …) or `*`.
#[derive(Debug, Default)]
pub struct FaultTable {
    rules: BTreeMap<String, FaultRates>,
}

/// SplitMix64: a well-mixed 64-bit hash of the input.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A uniform number in `[0, 1)` from (seed, request number, salt).
fn roll(seed: u64, request: u64, salt: u64) -> f64 {
    (mix(seed ^ mix(request ^ mix(salt))) >> 11) as f64 / (1u64 << 53) as f64
}

impl FaultTable {
    /// Sets the rule of `operation` (`*` = every operation without its own rule).
    pub fn set(&mut self, operation: &str, rates: FaultRates) -> Result<(), String> {
        rates.validate()?;
        self.rules.insert(operation.to_owned(), rates);
        Ok(())
    }

    /// Removes one rule; returns whether it existed.
    pub fn remove(&mut self, operation: &str) -> bool {
        self.rules.remove(operation).is_some()
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules.
    pub fn rules(&self) -> &BTreeMap<String, FaultRates> {
        &self.rules
    }

    /// Decides the fault for request number `request` to `operation`. `read_only` operations may
    /// be truncated; others never are.
    pub fn plan(&mut self, operation: &str, read_only: bool, seed: u64, request: u64) -> FaultPlan {
        let key = if self.rules.contains_key(operation) {
            operation.to_owned()
        } else {
            "*".to_owned()
        };
        let Some(rates) = self.rules.get_mut(&key) else {
            return FaultPlan::default();
        };
        let r = roll(seed, request, 1);
        let mut threshold = 0.0;
        let mut kind = None;
        for (rate, k) in [
            (rates.internal_error, FaultKind::InternalError),
            (rates.service_unavailable, FaultKind::ServiceUnavailable),
            (rates.drop_connection, FaultKind::DropConnection),
            (rates.truncate_body, FaultKind::TruncateBody),
        ] {
            threshold += rate;
            if r < threshold {
                kind = Some(k);
                break;
            }
        }
        if kind == Some(FaultKind::TruncateBody) && !read_only {
            kind = None;
        }
        let delay_ms = if rates.slow > 0.0 && roll(seed, request, 2) < rates.slow {
            rates.slow_ms
        } else {
            0
        };
        if (kind.is_some() || delay_ms > 0)
            && let Some(limit) = rates.limit.as_mut()
        {
            *limit = limit.saturating_sub(1);
            if *limit == 0 {
                self.rules.remove(&key);
            }
        }
        FaultPlan { kind, delay_ms }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_deterministic_and_roughly_right() {
        let mut table = FaultTable::default();
        table
            .set(
                "*",
                FaultRates {
                    internal_error: 0.25,
                    ..FaultRates::default()
                },
            )
            .unwrap();
        let plans: Vec<FaultPlan> = (0..2000)
            .map(|n| table.plan("ListOrders", true, 9, n))
            .collect();
        let again: Vec<FaultPlan> = (0..2000)
            .map(|n| table.plan("ListOrders", true, 9, n))
            .collect();
        assert_eq!(plans, again);
        let faulted = plans
            .iter()
            .filter(|p| p.kind == Some(FaultKind::InternalError))
            .count();
        assert!((400..600).contains(&faulted), "{faulted}");
    }

    #[test]
    fn limits_truncation_and_validation() {
        let mut table = FaultTable::default();
        table
            .set(
                "SubmitFeed",
                FaultRates {
                    truncate_body: 1.0,
                    ..FaultRates::default()
                },
            )
            .unwrap();
        assert_eq!(table.plan("SubmitFeed", false, 1, 1).kind, None);
        table
            .set(
                "GetOrder",
                FaultRates {
                    service_unavailable: 1.0,
                    limit: Some(2),
                    ..FaultRates::default()
                },
            )
            .unwrap();
        assert_eq!(
            table.plan("GetOrder", true, 1, 1).kind,
            Some(FaultKind::ServiceUnavailable)
        );
        assert_eq!(
            table.plan("GetOrder", true, 1, 2).kind,
            Some(FaultKind::ServiceUnavailable)
        );
        assert_eq!(table.plan("GetOrder", true, 1, 3).kind, None);
        assert!(
            table
                .set(
                    "*",
                    FaultRates {
                        internal_error: 0.7,
                        drop_connection: 0.7,
                        ..FaultRates::default()
                    }
                )
                .is_err()
        );
        assert!(
            table
                .set(
                    "*",
                    FaultRates {
                        slow: 0.5,
                        ..FaultRates::default()
                    }
                )
                .is_err()
        );
    }
}
