//! [`DemoClock`]: the demo's one clock, which a person moves forward from any page (or a test through
//! `/api/v1/demo/clock`) to see what happens days or a year later. Only `sellerlink demo` (and tests) start the web
//! app with one; without it the bar is not shown and the routes answer 404.

use std::sync::Arc;

use futures::future::BoxFuture;
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::clock::{Clock as _, ShiftableClock};

use crate::error::HttpError;

/// The most days one move may take (ten years).
pub(crate) const MAX_ADVANCE_DAYS: i64 = 3650;

/// What runs after the clock moved, given the span: keep other clocks in step (the demo's sandbox) and run the
/// jobs that fell due, so that their effect shows at once.
type AfterAdvance = Arc<dyn Fn(SignedDuration) -> BoxFuture<'static, ()> + Send + Sync>;

/// The demo clock: the shiftable clock the app (and everything else in the process) reads, and what to do after
/// moving it. Give the same `Arc<ShiftableClock>` to `App::open`.
#[derive(Clone)]
pub struct DemoClock {
    clock: Arc<ShiftableClock>,
    after_advance: AfterAdvance,
}

impl std::fmt::Debug for DemoClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoClock")
            .field("offset", &self.clock.offset())
            .finish_non_exhaustive()
    }
}

impl DemoClock {
    /// A control over `clock`; `after_advance` runs (and is awaited) after every move.
    pub fn new(
        clock: Arc<ShiftableClock>,
        after_advance: impl Fn(SignedDuration) -> BoxFuture<'static, ()> + Send + Sync + 'static,
    ) -> Self {
        Self {
            clock,
            after_advance: Arc::new(after_advance),
        }
    }

    /// The demo's now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// How far the demo is ahead of real time.
    pub fn offset(&self) -> SignedDuration {
        self.clock.offset()
    }

    /// Moves the clock forward by `days` (already checked by [`advance_days`]) and waits for what runs after.
    pub(crate) async fn advance(&self, days: AdvanceDays) -> Timestamp {
        let by = SignedDuration::from_hours(24 * days.0);
        self.clock.advance(by);
        (self.after_advance)(by).await;
        self.now()
    }
}

/// A checked number of days to move the demo clock by: 1 to [`MAX_ADVANCE_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AdvanceDays(i64);

/// Checks the number of days a person or a test asked for, reported under `field`.
pub(crate) fn advance_days(field: &'static str, days: i64) -> Result<AdvanceDays, HttpError> {
    if (1..=MAX_ADVANCE_DAYS).contains(&days) {
        return Ok(AdvanceDays(days));
    }
    Err(HttpError::invalid(
        field,
        format!(
            "{field}: {days} days cannot be used; give a whole number of days from 1 to {MAX_ADVANCE_DAYS} (the demo clock only moves forward), e.g. 30."
        ),
        format!(
            "{field}: {days} 日は指定できません。1 から {MAX_ADVANCE_DAYS} までの日数を整数で指定してください（デモの時計は進めることしかできません）。例: 30"
        ),
    ))
}

/// Parses the number field of the page's form.
pub(crate) fn parse_advance_days(
    field: &'static str,
    text: &str,
) -> Result<AdvanceDays, HttpError> {
    match text.trim().parse::<i64>() {
        Ok(days) => advance_days(field, days),
        Err(_) => Err(HttpError::invalid(
            field,
            format!(
                "{field}: \"{}\" is not a number of days; give a whole number from 1 to {MAX_ADVANCE_DAYS}, e.g. 30.",
                text.chars().take(20).collect::<String>()
            ),
            format!(
                "{field}: 「{}」は日数ではありません。1 から {MAX_ADVANCE_DAYS} までの整数で指定してください。例: 30",
                text.chars().take(20).collect::<String>()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_forward_moves_within_ten_years_are_taken() {
        assert_eq!(advance_days("advance_days", 1).unwrap(), AdvanceDays(1));
        assert_eq!(
            advance_days("advance_days", 3650).unwrap(),
            AdvanceDays(3650)
        );
        for days in [0, -1, 3651] {
            let error = advance_days("advance_days", days).unwrap_err();
            assert_eq!(error.field, Some("advance_days"));
            assert!(error.message.contains("1 to 3650"), "{}", error.message);
            assert!(
                error.message_ja.contains("1 から 3650"),
                "{}",
                error.message_ja
            );
        }
        assert_eq!(parse_advance_days("days", " 30 ").unwrap(), AdvanceDays(30));
        let error = parse_advance_days("days", "a year").unwrap_err();
        assert!(error.message.contains("\"a year\""), "{}", error.message);
    }

    #[tokio::test]
    async fn moving_runs_what_comes_after_with_the_span() {
        let clock = Arc::new(ShiftableClock::new());
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let demo = DemoClock::new(clock.clone(), move |by| {
            let record = record.clone();
            Box::pin(async move { record.lock().unwrap().push(by) })
        });
        let now = demo.advance(AdvanceDays(7)).await;
        assert_eq!(clock.offset(), SignedDuration::from_hours(24 * 7));
        assert_eq!(
            *seen.lock().unwrap(),
            vec![SignedDuration::from_hours(24 * 7)]
        );
        assert!(now.duration_since(Timestamp::now()) > SignedDuration::from_hours(24 * 7 - 1));
    }
}
