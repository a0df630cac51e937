//! `GET/POST /_sandbox/clock`: read, advance, set, freeze.

use axum::Json;
use axum::extract::State;
use jiff::{SignedDuration, Span, Timestamp};

use crate::AppState;
use crate::control::{ControlError, ControlResult};
use crate::world::{World, lock};

/// The clock as the control API shows it.
#[derive(Debug, serde::Serialize)]
pub struct ClockView {
    /// Sandbox now, RFC 3339 UTC.
    pub now: String,
    /// Sandbox now in JST, `2018-04-17 10:26:33 JST`.
    pub now_jst: String,
    /// Whether the clock is frozen.
    pub frozen: bool,
}

/// An advance: seconds (may be fractional or negative) or a span (`"P1Y"`, `"PT2H"`, `"1 day"`).
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum Advance {
    /// Seconds.
    Seconds(f64),
    /// An ISO 8601 or friendly span, applied in JST calendar terms.
    Span(String),
}

/// A clock change; fields apply in the order set, advance, freeze.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockChange {
    /// Move to this instant (RFC 3339); `now` is accepted as another name.
    #[serde(alias = "now")]
    pub set: Option<String>,
    /// Move by this much.
    pub advance: Option<Advance>,
    /// Freeze (`true`) or let run (`false`).
    pub freeze: Option<bool>,
}

fn view(world: &World) -> ClockView {
    let now = world.now();
    ClockView {
        now: now.to_string(),
        now_jst: crate::jst::format_date_time(now),
        frozen: world.clock.is_frozen(),
    }
}

pub(crate) async fn get_clock(State(state): State<AppState>) -> Json<ClockView> {
    let mut world = lock(&state.world);
    world.settle();
    Json(view(&world))
}

fn delta(now: Timestamp, advance: &Advance) -> Result<SignedDuration, ControlError> {
    match advance {
        Advance::Seconds(secs) => SignedDuration::try_from_secs_f64(*secs).map_err(|e| {
            ControlError::bad_request(format!(
                "advance {secs} is not a usable number of seconds: {e}"
            ))
        }),
        Advance::Span(text) => {
            let span: Span = text.parse().map_err(|e| {
                ControlError::bad_request(format!(
                    "advance '{text}' is not a span like P1Y, PT2H or \"3 days\": {e}"
                ))
            })?;
            let later = now
                .to_zoned_datetime(crate::jst::zone())
                .checked_add(span)
                .map_err(|e| {
                    ControlError::bad_request(format!(
                        "advance '{text}' leaves the supported time range: {e}"
                    ))
                })?;
            Ok(later.timestamp().duration_since(now))
        }
    }
}

pub(crate) async fn post_clock(
    State(state): State<AppState>,
    Json(change): Json<ClockChange>,
) -> ControlResult<ClockView> {
    let mut world = lock(&state.world);
    world.settle();
    if let Some(text) = &change.set {
        let instant: Timestamp = crate::timefmt::parse(text).ok_or_else(|| {
            ControlError::bad_request(format!(
                "set '{text}' is not an RFC 3339 instant like 2024-01-01T00:00:00Z"
            ))
        })?;
        world.clock_mut().set(instant);
    }
    if let Some(advance) = &change.advance {
        let by = delta(world.now(), advance)?;
        world.clock_mut().advance(by);
    }
    match change.freeze {
        Some(true) => world.clock_mut().freeze(),
        Some(false) => world.clock_mut().unfreeze(),
        None => {}
    }
    world.settle();
    Ok(Json(view(&world)))
}
