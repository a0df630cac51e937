//! Injectable time: production code reads [`SystemClock`], tests drive a [`ManualClock`], and the demo runs on a
//! [`ShiftableClock`] that a person moves forward to show what happens weeks or a year later.

use std::fmt::Debug;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// A source of the current instant.
pub trait Clock: Send + Sync + Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The machine's real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// The system clock shifted by a fixed offset, e.g. to read a sandbox's running clock from another process.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock(pub SignedDuration);

impl Clock for OffsetClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
            .saturating_add(self.0)
            .unwrap_or(Timestamp::MAX)
    }
}

/// The system clock plus an offset that can be moved forward while the clock is shared (`Arc<ShiftableClock>`):
/// the demo's one clock for itself and its sandbox. Reading and moving it are lock-free.
#[derive(Debug, Default)]
pub struct ShiftableClock {
    /// The offset in nanoseconds (an `i64` of nanoseconds spans ±292 years).
    offset_nanos: AtomicI64,
}

impl ShiftableClock {
    /// A clock reading the system time (offset zero) until moved.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock by `by` (negative moves it back); the offset saturates at ±292 years.
    pub fn advance(&self, by: SignedDuration) {
        let by = i64::try_from(by.as_nanos()).unwrap_or(if by.is_negative() {
            i64::MIN
        } else {
            i64::MAX
        });
        // `fetch_update` with a closure that always answers `Some` cannot fail.
        let _ = self
            .offset_nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |offset| {
                Some(offset.saturating_add(by))
            });
    }

    /// How far the clock is ahead of the system time.
    pub fn offset(&self) -> SignedDuration {
        SignedDuration::from_nanos(self.offset_nanos.load(Ordering::SeqCst))
    }
}

impl Clock for ShiftableClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
            .saturating_add(self.offset())
            .unwrap_or(Timestamp::MAX)
    }
}

/// A clock that only moves when told to; for tests and simulations.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    /// A clock standing still at `start`.
    pub fn new(start: Timestamp) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock to `instant` (backwards is allowed).
    pub fn set(&self, instant: Timestamp) {
        *self.lock() = instant;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.lock();
        *now = now
            .saturating_add(by)
            .expect("a clock advanced past the year 9999");
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Timestamp> {
        // A poisoned clock still holds a valid instant.
        self.now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shiftable_clock_reads_system_time_plus_what_it_was_moved() {
        let clock = ShiftableClock::new();
        assert_eq!(clock.offset(), SignedDuration::ZERO);
        let before = Timestamp::now();
        assert!(clock.now().duration_since(before).abs() < SignedDuration::from_secs(5));
        clock.advance(SignedDuration::from_hours(24 * 340));
        clock.advance(SignedDuration::from_hours(24));
        assert_eq!(clock.offset(), SignedDuration::from_hours(24 * 341));
        let ahead = clock.now().duration_since(Timestamp::now());
        let expected = SignedDuration::from_hours(24 * 341);
        assert!(
            (ahead - expected).abs() < SignedDuration::from_secs(5),
            "{ahead:?}"
        );
        clock.advance(SignedDuration::from_hours(-24));
        assert_eq!(clock.offset(), SignedDuration::from_hours(24 * 340));
    }

    #[test]
    fn moving_a_shared_clock_from_several_threads_adds_every_move() {
        let clock = std::sync::Arc::new(ShiftableClock::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let clock = clock.clone();
                std::thread::spawn(move || {
                    for _ in 0..250 {
                        clock.advance(SignedDuration::from_secs(1));
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(clock.offset(), SignedDuration::from_secs(1000));
    }

    #[test]
    fn the_offset_saturates_instead_of_wrapping() {
        let clock = ShiftableClock::new();
        clock.advance(SignedDuration::MAX);
        clock.advance(SignedDuration::from_secs(1));
        assert_eq!(clock.offset(), SignedDuration::from_nanos(i64::MAX));
        assert!(clock.now() > "2300-01-01T00:00:00Z".parse().unwrap());
    }
}
