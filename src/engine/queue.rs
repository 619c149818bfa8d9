//! The future-event list.
//!
//! One step of the engine: pop the earliest entry, set the clock to its time,
//! hand the event to the model, which may schedule more. Entries are ordered
//! by `(time, priority, sequence)`: the sequence number is the insertion
//! order, so simultaneous events of equal priority run first-in first-out.
//! There is no random tie-breaking anywhere (it would hide order-dependence
//! and consume random numbers outside their streams).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::SimTime;

/// Sequence numbers use the low 56 bits of the key; 2^56 events is far beyond
/// any run.
const SEQ_BITS: u32 = 56;

struct Entry<E> {
    /// `time << 64 | priority << 56 | seq`: one integer compare orders entries.
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest key.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// A future-event list over the model's event type `E`, with the clock.
///
/// **Invariant:** time never runs backwards: scheduling before [`Engine::now`]
/// is clamped to `now` (and is a bug in debug builds).
pub struct Engine<E> {
    heap: BinaryHeap<Entry<E>>,
    now: SimTime,
    seq: u64,
    processed: u64,
}

impl<E> Default for Engine<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Engine<E> {
    /// An empty event list at time zero.
    pub fn new() -> Self {
        Engine {
            heap: BinaryHeap::with_capacity(1024),
            now: SimTime::ZERO,
            seq: 0,
            processed: 0,
        }
    }

    /// The current simulated time: the time of the event being handled.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Events handed out so far.
    pub fn events_processed(&self) -> u64 {
        self.processed
    }

    /// Events waiting in the list.
    pub fn pending(&self) -> usize {
        self.heap.len()
    }

    /// Schedules `event` at absolute time `at` with default priority 0.
    #[inline]
    pub fn schedule(&mut self, at: SimTime, event: E) {
        self.schedule_with_priority(at, 0, event);
    }

    /// Schedules `event` `delay` seconds from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: u64, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Schedules `event` at `at`; among events at the same second, lower
    /// `priority` runs first, then insertion order.
    #[inline]
    pub fn schedule_with_priority(&mut self, at: SimTime, priority: u8, event: E) {
        debug_assert!(
            at >= self.now,
            "event scheduled in the past: {at} < {}",
            self.now
        );
        let at = at.max(self.now);
        let key = ((at.0 as u128) << 64) | ((priority as u128) << SEQ_BITS) | self.seq as u128;
        self.seq += 1;
        self.heap.push(Entry { key, event });
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| SimTime((e.key >> 64) as u64))
    }

    /// Removes the earliest event, advances the clock to it and returns it.
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<(SimTime, E)> {
        let entry = self.heap.pop()?;
        self.now = SimTime((entry.key >> 64) as u64);
        self.processed += 1;
        Some((self.now, entry.event))
    }

    /// Hands every event up to and including `horizon` to `handle`, in order,
    /// then sets the clock to `horizon`. Events after the horizon stay queued.
    pub fn run_until(&mut self, horizon: SimTime, mut handle: impl FnMut(&mut Self, E)) {
        while let Some(t) = self.peek_time() {
            if t > horizon {
                break;
            }
            let Some((_, event)) = self.next() else { break };
            handle(self, event);
        }
        self.now = self.now.max(horizon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_priority_then_insertion() {
        let mut e = Engine::new();
        e.schedule(SimTime(10), 'c');
        e.schedule(SimTime(5), 'a');
        e.schedule(SimTime(10), 'd');
        e.schedule_with_priority(SimTime(10), 1, 'e');
        e.schedule(SimTime(5), 'b');
        let mut out = String::new();
        e.run_until(SimTime(100), |_, ev| out.push(ev));
        assert_eq!(out, "abcde");
        assert_eq!(e.now(), SimTime(100));
    }

    #[test]
    fn run_until_stops_at_horizon_and_keeps_later_events() {
        let mut e = Engine::new();
        e.schedule(SimTime(1), 1u32);
        let mut seen = Vec::new();
        e.run_until(SimTime(50), |eng, n| {
            seen.push((eng.now().0, n));
            eng.schedule_in(20, n + 1);
        });
        assert_eq!(seen, vec![(1, 1), (21, 2), (41, 3)]);
        assert_eq!(e.pending(), 1);
        assert_eq!(e.peek_time(), Some(SimTime(61)));
    }
}
