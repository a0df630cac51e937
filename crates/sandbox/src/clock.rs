//! The sandbox clock: real time plus an offset that tests can move.
//!
//! A sandbox nobody touches runs in real time, like Amazon. The control API can advance the
//! clock (adds to the offset), set it to an instant, or freeze it so that a test sees an exact,
//! unmoving "now". Everything time-based in the sandbox reads this clock.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

/// The sandbox's notion of "now": `anchor + (real time elapsed since start) + offset`.
#[derive(Debug, Clone)]
pub struct SandboxClock {
    anchor: Timestamp,
    started: Instant,
    offset: SignedDuration,
    frozen_at: Option<Timestamp>,
}

impl SandboxClock {
    /// A clock that reads `start` now and then moves with real time.
    pub fn starting_at(start: Timestamp) -> Self {
        Self {
            anchor: start,
            started: Instant::now(),
            offset: SignedDuration::ZERO,
            frozen_at: None,
        }
    }

    /// The current sandbox instant.
    pub fn now(&self) -> Timestamp {
        if let Some(frozen) = self.frozen_at {
            return frozen;
        }
        let elapsed =
            SignedDuration::try_from(self.started.elapsed()).unwrap_or(SignedDuration::MAX);
        self.anchor
            .saturating_add(elapsed.saturating_add(self.offset))
            .unwrap_or(Timestamp::MAX)
    }

    /// Moves the clock by `by` (negative moves it back). A frozen clock stays frozen, moved.
    pub fn advance(&mut self, by: SignedDuration) {
        match self.frozen_at {
            Some(frozen) => {
                self.frozen_at = Some(frozen.saturating_add(by).unwrap_or(Timestamp::MAX))
            }
            None => self.offset = self.offset.saturating_add(by),
        }
    }

    /// Makes the clock read `instant` now (it keeps running from there unless frozen).
    pub fn set(&mut self, instant: Timestamp) {
        match self.frozen_at {
            Some(_) => self.frozen_at = Some(instant),
            None => {
                let current = self.now();
                self.offset = self.offset.saturating_add(instant.duration_since(current));
            }
        }
    }

    /// Stops the clock at its current reading; only `advance`/`set` move it until [`Self::unfreeze`].
    pub fn freeze(&mut self) {
        if self.frozen_at.is_none() {
            self.frozen_at = Some(self.now());
        }
    }

    /// Lets a frozen clock run with real time again, from the instant it was frozen at.
    pub fn unfreeze(&mut self) {
        if let Some(frozen) = self.frozen_at.take() {
            self.set(frozen);
        }
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_and_set_move_the_reading() {
        let start: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let mut clock = SandboxClock::starting_at(start);
        clock.freeze();
        let frozen = clock.now();
        assert!(frozen >= start && frozen.duration_since(start) < SignedDuration::from_secs(5));
        clock.advance(SignedDuration::from_secs(3600));
        assert_eq!(clock.now(), frozen + SignedDuration::from_secs(3600));
        let target: Timestamp = "2025-06-01T12:00:00Z".parse().unwrap();
        clock.set(target);
        assert_eq!(clock.now(), target);
        clock.unfreeze();
        assert!(!clock.is_frozen());
        let running = clock.now();
        assert!(running >= target && running.duration_since(target) < SignedDuration::from_secs(5));
        clock.advance(SignedDuration::from_secs(-86_400));
        assert!(clock.now() < target);
    }
}
