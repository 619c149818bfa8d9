//! The discrete-event engine: simulated time, the future-event list, calendar
//! helpers and named random streams.
//!
//! **Boundary:** the engine knows nothing of patients, health centres, staff or
//! distributions. It is generic over the model's event type `E` and offers
//! three things: a clock in integer seconds ([`SimTime`]), an ordered queue of
//! future events ([`Engine`]) and reproducible random streams ([`Stream`]).
//! A tidy test (`tests/it/tidy.rs`) fails if a file below `src/engine/` names
//! the model.
//!
//! ```
//! use vardsim::engine::{Engine, SimTime};
//! let mut engine: Engine<&str> = Engine::new();
//! engine.schedule(SimTime::from_minutes(5), "second");
//! engine.schedule(SimTime::from_minutes(1), "first");
//! let (t, e) = engine.next().unwrap();
//! assert_eq!((t, e), (SimTime::from_minutes(1), "first"));
//! ```

mod calendar;
mod queue;
mod rng;
mod time;

pub use calendar::{Calendar, Weekday};
pub use queue::Engine;
pub use rng::{PatientRng, RandomSource, Stream, StreamKey};
pub use time::SimTime;
