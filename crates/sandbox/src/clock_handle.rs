//! [`ClockHandle`]: the sandbox clock for code that runs beside a started sandbox and needs its time without an
//! HTTP round trip (a `Clock` adapter for a client under test, a demo that moves two clocks together).

use jiff::{SignedDuration, Timestamp};

use crate::world::{SharedWorld, lock};

/// Reads and moves the clock of one started sandbox; cheap to clone, shareable between threads. Each move works
/// like the control API's `POST /_sandbox/clock`: what fell due by the old time is processed first (feeds), then
/// the clock moves, then what fell due by the new time is processed.
#[derive(Debug, Clone)]
pub struct ClockHandle {
    world: SharedWorld,
}

impl ClockHandle {
    pub(crate) fn new(world: SharedWorld) -> Self {
        Self { world }
    }

    /// The sandbox's now.
    pub fn now(&self) -> Timestamp {
        lock(&self.world).now()
    }

    /// Moves the clock by `by` (negative moves it back).
    pub fn advance(&self, by: SignedDuration) {
        self.change(|world| world.clock_mut().advance(by));
    }

    /// Makes the clock read `at` (it keeps running from there unless frozen).
    pub fn set(&self, at: Timestamp) {
        self.change(|world| world.clock_mut().set(at));
    }

    /// Stops the clock where it is: it moves only when told to.
    pub fn freeze(&self) {
        self.change(|world| world.clock_mut().freeze());
    }

    fn change(&self, apply: impl FnOnce(&mut crate::world::World)) {
        let mut world = lock(&self.world);
        world.settle();
        apply(&mut world);
        world.settle();
    }
}
