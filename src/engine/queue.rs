//! The future-event list.
//!
//! One step of the engine: pop the earliest entry, set the clock to its time,
//! hand the event to the model, which may schedule more. Entries are ordered
//! by `(time, priority, emitter, sequence)`: the *emitter* is a number the
//! caller gives (the model: the unit whose state the scheduling call
//! belongs to), and the sequence counts insertions, so simultaneous events
//! of equal priority run by emitter, then first-in first-out within one
//! emitter. The order of two emitters' events never
//! depends on which was inserted first: a run of some emitters' events
//! alone orders them as a run of all of them does (what lets a region's
//! units run apart, `model/linked.rs`). With one emitter this is plain
//! insertion order. There is no random tie-breaking anywhere (it would hide
//! order-dependence and consume random numbers outside their streams).

use super::SimTime;

/// Sequence numbers use the low 40 bits of the order word (2^40 ≈ 10^12
/// events is far beyond any run), emitters the 16 above them
/// (a unit id is a `u16`), the priority the top 8.
const SEQ_BITS: u32 = 40;
const EMITTER_SHIFT: u32 = SEQ_BITS;
const PRIORITY_SHIFT: u32 = 56;

/// Two `u64`s rather than one `u128`: 8-byte alignment keeps entries small.
#[derive(Clone, Copy)]
struct Entry<E> {
    /// Simulated time, seconds.
    time: u64,
    /// `priority << 56 | emitter << 40 | seq` ([`Engine::schedule_from`]).
    order: u64,
    event: E,
}

impl<E: Copy> Entry<E> {
    /// `(time, order)` as one number: the same order as the pair's
    /// (lexicographic on two `u64`s), compared without a branch.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.time) << 64) | u128::from(self.order)
    }

    #[inline]
    fn before(&self, other: &Self) -> bool {
        self.key() < other.key()
    }
}

/// A binary min-heap that moves entries with the "hole" technique: each
/// level costs one copy (events are `Copy`), and no slot is written and then
/// re-read at once.
/// (`std::collections::BinaryHeap::pop` swaps the last entry into the root and
/// reads it straight back, a store-forwarding stall that cost a sixth of the
/// engine's time on the M/M/c benchmark.)
#[derive(Clone)]
struct MinHeap<E> {
    v: Vec<Entry<E>>,
}

impl<E: Copy> MinHeap<E> {
    #[inline]
    fn push(&mut self, entry: Entry<E>) {
        let hole = self.v.len();
        self.v.push(entry);
        self.sift_up(hole, entry);
    }

    /// Puts `entry` at `hole` or above it: shifts parents down until the
    /// entry's place is found.
    #[inline]
    fn sift_up(&mut self, mut hole: usize, entry: Entry<E>) {
        while hole > 0 {
            let parent = (hole - 1) / 2;
            if !entry.before(&self.v[parent]) {
                break;
            }
            self.v[hole] = self.v[parent];
            hole = parent;
        }
        self.v[hole] = entry;
    }

    #[inline]
    fn peek(&self) -> Option<&Entry<E>> {
        self.v.first()
    }

    /// Takes the root out: its hole goes down to a leaf along the earlier
    /// child of each level (one comparison a level, whose result picks the
    /// child without a branch), and the last entry goes up from there to
    /// its place — near the bottom, as a heap's last entry is among its
    /// latest. (The classic pop compares the last entry with the earlier
    /// child at every level too, and that branch is a coin toss the
    /// predictor misses about every other level: the regional line's group,
    /// whose quarter-hour heap held hundreds of events, ran ≈ 8 % faster an
    /// event with this pop; docs/performance-history.md, thirty-fourth pass.)
    #[inline]
    fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.v.pop()?;
        let Some(&root) = self.v.first() else {
            return Some(last);
        };
        let v = self.v.as_mut_slice();
        let mut hole = 0;
        let mut child = 1;
        // Both children present: move the earlier one up.
        while let Some([left, right]) = v.get(child..child + 2) {
            child += usize::from(right.before(left));
            v[hole] = v[child];
            hole = child;
            child = 2 * hole + 1;
        }
        // A lone left child at the bottom.
        if let Some(&left) = v.get(child) {
            v[hole] = left;
            hole = child;
        }
        self.sift_up(hole, last);
        Some(root)
    }

    fn len(&self) -> usize {
        self.v.len()
    }
}

/// Puts `entry` at its place in `run`, sorted latest first (small mode's
/// list, [`SMALL_MAX`]): the entries earlier than it, at the end, move up
/// by one. Taking the earliest is then a `pop` of the last entry, where a
/// heap's pop walked its levels.
#[inline(always)]
fn insert_sorted<E: Copy>(run: &mut Vec<Entry<E>>, entry: Entry<E>) {
    run.push(entry);
    let v = run.as_mut_slice();
    let mut i = v.len() - 1;
    while i > 0 && v[i - 1].before(&entry) {
        v[i] = v[i - 1];
        i -= 1;
    }
    v[i] = entry;
}

/// Width of a bucket: a quarter of an hour. A region's day holds tens of
/// thousands of events; the heap holds one period's. An hour's heap grew
/// with the region (≈8 000 events at 200 units: a pop's sift-down was 13
/// levels, the lower ones missing the L1 cache), and `run_until`'s
/// instructions per event rose by a fifth from 25 to 100 units; a quarter's
/// is a quarter of that (docs/performance-history.md, fifth pass).
const PERIOD_S: u64 = 900;

/// Periods the bucket ring reaches ahead of the heap's (≈ 85 days, beyond
/// how far the model books): events further ahead wait in one heap of their
/// own, the far heap, and move into their buckets as the ring comes near,
/// so the ring's size does not grow with the horizon (an event scheduled at
/// the run's end made it a bucket per quarter hour of the whole run:
/// 7.8 MB at ten years).
const RING_PERIODS: u64 = 1 << 13;

/// Periods from which events never move into a bucket (29 years, beyond
/// any horizon; only a "never" time): they wait in the far heap and come
/// out one by one once nothing earlier waits.
const BUCKET_PERIODS: u64 = 1 << 20;

/// A list of at most this many events keeps them all in the engine's run,
/// sorted (small mode): a few events minutes to hours apart (an M/M/3
/// queue holds four) each took a bucket's chunk, a refill and a sort of
/// one, and one list of a few is cheaper than that (M/M/3 ≈ 13 % faster
/// end to end with a heap of a few). Near a dozen waiting the two cost the
/// same, and by 25 the buckets win (an M/M/30 queue took 21 % longer in
/// one heap of 64): docs/performance-history.md, thirty-seventh pass. The
/// few are kept sorted rather than in a heap since the forty-second pass:
/// an insertion moves the few entries earlier than the new one, and taking
/// the earliest is a `pop` (M/M/3's `run_in` −12 % instructions), and the
/// bound went from 16 to 32: an M/M/12 queue (≈ 13 waiting, spilling
/// often at 16) ran 8 % faster, M/M/30 (≈ 31) alike. Past it the events
/// go into their buckets again ([`Later::spill`]).
const SMALL_MAX: usize = 32;

/// A list that falls to this many events in bucket mode (checked when a
/// period's events are all handled) goes back to small mode: far below
/// [`SMALL_MAX`], so that a list hovering near either bound does not move
/// its events back and forth.
const SMALL_MIN: usize = 4;

/// The last second of the periods events can be bucketed in: in small
/// mode, every event up to it goes to the heap.
const SMALL_LAST_S: u64 = BUCKET_PERIODS * PERIOD_S - 1;

/// Entries per chunk of [`Chunks`].
const CHUNK: usize = 32;

/// No chunk.
const NIL: u32 = u32::MAX;

/// Fixed-size chunks of entries, each bucket a list of them, emptied
/// chunks reused: a bucket grows without allocating (a `Vec` per bucket
/// reallocated at 4, 8, 16, … entries: an allocation every few events), and
/// a bucket hours ahead holding a few events holds one chunk, not an hour's
/// capacity.
#[derive(Clone)]
struct Chunks<E> {
    /// Chunk `c` is `store[c * CHUNK..][..CHUNK]`.
    store: Vec<Entry<E>>,
    /// The chunk after chunk `c` in its bucket, or in the free list.
    next: Vec<u32>,
    /// First free chunk.
    free: u32,
}

/// A bucket: its chunks, first to last, and its number of entries (the
/// last chunk holds `len - (chunks - 1) * CHUNK` of them).
#[derive(Clone, Copy)]
struct Bucket {
    first: u32,
    last: u32,
    len: u32,
}

impl Bucket {
    const EMPTY: Bucket = Bucket {
        first: NIL,
        last: NIL,
        len: 0,
    };
}

impl<E: Copy> Chunks<E> {
    /// A free chunk (new ones start as copies of `fill`).
    #[inline]
    fn take(&mut self, fill: Entry<E>) -> u32 {
        if self.free != NIL {
            let c = self.free;
            self.free = self.next[c as usize];
            self.next[c as usize] = NIL;
            return c;
        }
        let c = self.next.len() as u32;
        self.store.resize(self.store.len() + CHUNK, fill);
        self.next.push(NIL);
        c
    }

    #[inline]
    fn push(&mut self, b: &mut Bucket, entry: Entry<E>) {
        let at = b.len as usize % CHUNK;
        if at == 0 {
            let c = self.take(entry);
            if b.first == NIL {
                b.first = c;
            } else {
                self.next[b.last as usize] = c;
            }
            b.last = c;
        }
        self.store[b.last as usize * CHUNK + at] = entry;
        b.len += 1;
    }

    /// The entries of `b`, chunk by chunk.
    fn slices<'a>(&'a self, b: &Bucket) -> impl Iterator<Item = &'a [Entry<E>]> + 'a {
        let mut c = b.first;
        let mut left = b.len as usize;
        std::iter::from_fn(move || {
            if c == NIL || left == 0 {
                return None;
            }
            let n = left.min(CHUNK);
            let s = &self.store[c as usize * CHUNK..][..n];
            left -= n;
            c = self.next[c as usize];
            Some(s)
        })
    }

    /// Appends the entries of `b` to `out` and frees its chunks.
    fn drain_into(&mut self, b: Bucket, out: &mut Vec<Entry<E>>) {
        for s in self.slices(&b) {
            out.extend_from_slice(s);
        }
        self.release(b);
    }

    /// Puts the chunks of `b` (read already) on the free list.
    fn release(&mut self, b: Bucket) {
        if b.first != NIL {
            self.next[b.last as usize] = self.free;
            self.free = b.first;
        }
    }
}

/// Events of later periods (quarter hours), kept out of the heap until
/// their period comes: a region's year holds hundreds of thousands of
/// visits booked weeks ahead, and a heap that large misses the caches at
/// every level. Each period's events wait unordered in that period's bucket
/// and are sorted into the engine's run when the period comes (the run and
/// the heap both empty), so the run holds one period's events and the heap
/// those scheduled into the period while it runs. The buckets reach a bounded span ahead
/// ([`RING_PERIODS`]); events beyond it wait in the far heap and move into
/// their buckets as the ring advances. The order of
/// events is unchanged: every event in the run and the heap is of a period no later than
/// `heap_period`, every event in a bucket of a later one before `ring_end`,
/// every event in the far heap of `ring_end` or later, and
/// `(time, priority, emitter, sequence)` is unique. In small mode the run
/// holds every event before [`SMALL_LAST_S`], sorted, and the heap and the
/// buckets are empty (the same invariant with `heap_period` the last
/// bucketed period).
#[derive(Clone)]
struct Later<E> {
    /// Small mode ([`SMALL_MAX`]): every event but "never" ones in the run.
    small: bool,
    /// The last period whose events go straight to the heap.
    heap_period: u64,
    /// Its last second: an event at or before it goes to the heap.
    heap_last_s: u64,
    /// `buckets[p % RING_PERIODS]`: events of period `p`, unordered, for
    /// the periods after `heap_period` and before `ring_end` (a ring of
    /// fixed size: a passed period's bucket is the one of the period
    /// `RING_PERIODS` later).
    buckets: Vec<Bucket>,
    /// The first period whose events wait in `beyond` (at most
    /// `RING_PERIODS` after the heap's).
    ring_end: u64,
    /// The buckets' entries.
    chunks: Chunks<E>,
    /// Events of periods from `ring_end` on: the far heap.
    beyond: MinHeap<E>,
    /// Events in `buckets`.
    count: usize,
}

impl<E: Copy> Later<E> {
    /// [`Self::hold`] for the event at `time` with `order`. Out of line:
    /// the heap's path is inlined into every caller of
    /// [`Engine::schedule_with_priority`]. The entry's parts come in
    /// registers: an entry passed whole is built in memory, and the
    /// heap's path then copied it from there in one 16-byte load over two
    /// 8-byte stores, which the processor cannot forward (a stall that
    /// was ≈ 7 % of M/M/3's time; thirty-seventh pass).
    #[inline(never)]
    fn hold_at(&mut self, time: u64, order: u64, event: E) {
        self.hold(time / PERIOD_S, Entry { time, order, event });
    }

    /// Puts an event of a later period than the heap's (`period >
    /// heap_period`) in its bucket, or in the far heap.
    #[inline]
    fn hold(&mut self, period: u64, entry: Entry<E>) {
        debug_assert!(period > self.heap_period);
        if period >= self.ring_end {
            self.beyond.push(entry);
            return;
        }
        let slot = (period % RING_PERIODS) as usize;
        self.chunks.push(&mut self.buckets[slot], entry);
        self.count += 1;
    }

    /// Moves the next period's events into the (empty) run, sorted latest
    /// first; or, once few wait, every event into the (empty) heap (small
    /// mode); or, once only "never" times wait, the first of them into the
    /// heap. False if none wait.
    fn refill(&mut self, run: &mut Vec<Entry<E>>) -> bool {
        debug_assert!(run.is_empty());
        if !self.small && self.count + self.beyond.len() <= SMALL_MIN {
            self.gather(run);
        }
        loop {
            if self.count == 0 {
                let Some(first) = self.beyond.peek() else {
                    return !run.is_empty();
                };
                let period = first.time / PERIOD_S;
                if period >= BUCKET_PERIODS {
                    // Only "never" times wait: the first goes to the run,
                    // where what is scheduled before it comes out first.
                    if run.is_empty() {
                        run.push(self.beyond.pop().expect("peeked"));
                    }
                    self.go_small();
                    return true;
                }
                if self.small {
                    return !run.is_empty();
                }
                // The ring is empty: skip to the period before the far
                // heap's first (`period >= ring_end > heap_period`).
                self.heap_period = period - 1;
                self.heap_last_s = period * PERIOD_S - 1;
            }
            // Half the ring passed: reach ahead again, moving the far
            // events that come into reach into their buckets (the far
            // heap hands them out earliest first).
            if self.ring_end <= self.heap_period + RING_PERIODS / 2 {
                self.ring_end = (self.heap_period + 1 + RING_PERIODS).min(BUCKET_PERIODS);
                while let Some(&entry) = self.beyond.peek() {
                    let period = entry.time / PERIOD_S;
                    if period >= self.ring_end {
                        break;
                    }
                    self.beyond.pop();
                    self.hold(period, entry);
                }
            }
            self.heap_period += 1;
            let slot = (self.heap_period % RING_PERIODS) as usize;
            let bucket = std::mem::replace(&mut self.buckets[slot], Bucket::EMPTY);
            self.heap_last_s += PERIOD_S;
            if bucket.len == 0 {
                continue;
            }
            self.count -= bucket.len as usize;
            // The run keeps its capacity from period to period. Sorted
            // once rather than heapified and popped level by level: a pop's
            // levels are a chain of dependent loads, a sort's comparisons
            // are not, and a linked group's quarter hour holds hundreds of
            // events (docs/performance-history.md, thirty-fifth pass).
            self.chunks.drain_into(bucket, run);
            run.sort_unstable_by_key(|e| std::cmp::Reverse(e.key()));
            return true;
        }
    }

    /// Small mode: every event before [`SMALL_LAST_S`] goes to the run.
    fn go_small(&mut self) {
        self.small = true;
        self.heap_period = BUCKET_PERIODS - 1;
        self.heap_last_s = SMALL_LAST_S;
        self.ring_end = BUCKET_PERIODS;
    }

    /// Goes to small mode with every bucketed event and every far event
    /// before [`SMALL_LAST_S`] in the (empty) run, sorted: the few that wait
    /// ([`SMALL_MIN`]). The buckets are visited from the next period on
    /// until all their events are found.
    #[cold]
    #[inline(never)]
    fn gather(&mut self, run: &mut Vec<Entry<E>>) {
        let mut left = self.count;
        let mut p = self.heap_period + 1;
        while left > 0 {
            let slot = (p % RING_PERIODS) as usize;
            let bucket = std::mem::replace(&mut self.buckets[slot], Bucket::EMPTY);
            for s in self.chunks.slices(&bucket) {
                run.extend_from_slice(s);
            }
            left -= bucket.len as usize;
            self.chunks.release(bucket);
            p += 1;
        }
        self.count = 0;
        while let Some(first) = self.beyond.peek().filter(|e| e.time <= SMALL_LAST_S) {
            run.push(*first);
            self.beyond.pop();
        }
        run.sort_unstable_by_key(|e| std::cmp::Reverse(e.key()));
        self.go_small();
    }

    /// Leaves small mode (the run grown past [`SMALL_MAX`] at `now`): the
    /// run keeps the events of `now`'s period, the later ones go into
    /// their buckets, or the far heap.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, now: u64, run: &mut Vec<Entry<E>>) {
        let period = now / PERIOD_S;
        if period + 1 >= BUCKET_PERIODS {
            return; // at "never" times there is nothing to bucket
        }
        self.small = false;
        self.heap_period = period;
        self.heap_last_s = period * PERIOD_S + PERIOD_S - 1;
        self.ring_end = (period + 1 + RING_PERIODS).min(BUCKET_PERIODS);
        // Latest first: the later periods' events lead the run, and the
        // period's own end it, in their order still.
        let last_s = self.heap_last_s;
        let later = run.iter().take_while(|e| e.time > last_s).count();
        for e in run.drain(..later) {
            self.hold(e.time / PERIOD_S, e);
        }
    }

    /// The earliest waiting time (the heap being empty).
    fn peek_time(&self) -> Option<u64> {
        if self.count > 0 {
            let bucket = (self.heap_period + 1..self.ring_end)
                .map(|p| &self.buckets[(p % RING_PERIODS) as usize])
                .find(|b| b.len > 0)?;
            return self
                .chunks
                .slices(bucket)
                .flatten()
                .min_by_key(|e| (e.time, e.order))
                .map(|e| e.time);
        }
        self.beyond.peek().map(|e| e.time)
    }
}

/// Which of the current period's two holders has the earliest event.
#[derive(Clone, Copy)]
enum Head {
    Run,
    Heap,
}

/// A future-event list over the model's event type `E`, with the clock.
///
/// **Invariant:** time never runs backwards: scheduling before [`Engine::now`]
/// is clamped to `now` (and is a bug in debug builds).
#[derive(Clone)]
pub struct Engine<E> {
    /// The current period's events that came out of its bucket, sorted
    /// latest first (the earliest is the last: popped in O(1)); in small
    /// mode every waiting event (but "never" ones).
    run: Vec<Entry<E>>,
    /// The current period's events scheduled while it runs.
    heap: MinHeap<E>,
    later: Later<E>,
    now: SimTime,
    /// The next sequence number. One count for all emitters: only the
    /// order of one emitter's numbers matters (events of two emitters are
    /// ordered by the emitter first), and one counter keeps that order as
    /// one per emitter would, without a lookup per event.
    seq: u64,
    /// Which emitters have scheduled ([`Engine::emitters_used`]): kept in
    /// builds with debug assertions (the tests) only, as a lookup per event
    /// in a linked group's run costs more than the counter saves.
    #[cfg(debug_assertions)]
    emitters_seen: Vec<bool>,
    /// The order word of the event being handled.
    handled: u64,
    processed: u64,
}

impl<E: Copy> std::fmt::Debug for Engine<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("now", &self.now)
            .field("pending", &self.pending())
            .field("processed", &self.processed)
            .finish_non_exhaustive()
    }
}

impl<E: Copy> Default for Engine<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Engine<E> {
    /// An empty event list at time zero.
    pub fn new() -> Self {
        Engine {
            run: Vec::with_capacity(1024),
            heap: MinHeap {
                v: Vec::with_capacity(256),
            },
            later: Later {
                small: true,
                heap_period: BUCKET_PERIODS - 1,
                heap_last_s: SMALL_LAST_S,
                buckets: vec![Bucket::EMPTY; RING_PERIODS as usize],
                ring_end: BUCKET_PERIODS,
                chunks: Chunks {
                    store: Vec::new(),
                    next: Vec::new(),
                    free: NIL,
                },
                beyond: MinHeap { v: Vec::new() },
                count: 0,
            },
            now: SimTime::ZERO,
            seq: 0,
            #[cfg(debug_assertions)]
            emitters_seen: Vec::new(),
            handled: 0,
            processed: 0,
        }
    }

    /// Empties the event list and sets the clock to zero, as [`Engine::new`]
    /// would, keeping the buffers: a worker's next replication then does not
    /// grow the heap, the bucket ring and the chunk store again (≈ 0.9 M
    /// instructions of reallocation in a default year). The order of events
    /// depends on their times, priorities, emitters and insertion order
    /// only, so a cleared engine runs exactly as a new one.
    pub fn clear(&mut self) {
        self.run.clear();
        self.heap.v.clear();
        let later = &mut self.later;
        later.go_small();
        later.buckets.fill(Bucket::EMPTY);
        later.beyond.v.clear();
        later.count = 0;
        // Every chunk free, in order; a taken chunk's entries are written
        // before they are read.
        let chunks = &mut later.chunks;
        let n = chunks.next.len() as u32;
        for (c, next) in (0..n).zip(chunks.next.iter_mut()) {
            *next = if c + 1 < n { c + 1 } else { NIL };
        }
        chunks.free = if n > 0 { 0 } else { NIL };
        self.now = SimTime::ZERO;
        self.seq = 0;
        #[cfg(debug_assertions)]
        self.emitters_seen.fill(false);
        self.handled = 0;
        self.processed = 0;
    }

    /// The current simulated time: the time of the event being handled.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The event expected `ahead` events after the one being handled (1:
    /// the next), read from the current quarter's sorted run without
    /// taking it: a hint for the caller to prefetch what that event will
    /// read (at a region's scale a booked patient's state has left the
    /// caches by their visit). Events scheduled while the quarter runs, or
    /// in later quarters, are not seen, so the hint may name an event that
    /// comes later than said, or none.
    #[inline]
    pub fn upcoming(&self, ahead: usize) -> Option<&E> {
        let n = self.run.len();
        n.checked_sub(ahead).map(|i| &self.run[i].event)
    }

    /// Events handed out so far.
    pub fn events_processed(&self) -> u64 {
        self.processed
    }

    /// The emitters that have scheduled an event since the engine was made
    /// or cleared ([`Engine::schedule_from`]).
    #[cfg(debug_assertions)]
    pub fn emitters_used(&self) -> usize {
        self.emitters_seen.iter().filter(|&&seen| seen).count()
    }

    /// Events waiting in the list.
    pub fn pending(&self) -> usize {
        self.run.len() + self.heap.len() + self.later.count + self.later.beyond.len()
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

    /// Schedules `event` at `at` from emitter 0; among events at the same
    /// second, lower `priority` runs first, then insertion order (see
    /// [`Engine::schedule_from`]).
    #[inline(always)]
    pub fn schedule_with_priority(&mut self, at: SimTime, priority: u8, event: E) {
        self.schedule_from(at, priority, 0, event);
    }

    /// Schedules `event` at `at` from `emitter`; among events at the same
    /// second, lower `priority` runs first, then the lower emitter, then
    /// insertion order. Inlined into its callers, with the
    /// heap's path (a call cost ≈ 18 instructions of prologue and epilogue
    /// per event); later periods' go out of line.
    #[inline(always)]
    pub fn schedule_from(&mut self, at: SimTime, priority: u8, emitter: u16, event: E) {
        debug_assert!(
            at >= self.now,
            "event scheduled in the past: {at} < {}",
            self.now
        );
        let at = at.max(self.now);
        #[cfg(debug_assertions)]
        self.note_emitter(emitter);
        let seq = self.seq;
        debug_assert!(seq < 1 << SEQ_BITS, "sequence overflow");
        self.seq = seq + 1;
        let order =
            ((priority as u64) << PRIORITY_SHIFT) | ((emitter as u64) << EMITTER_SHIFT) | seq;
        self.insert(at, order, event);
    }

    #[cfg(debug_assertions)]
    fn note_emitter(&mut self, emitter: u16) {
        let e = usize::from(emitter);
        if e >= self.emitters_seen.len() {
            self.emitters_seen.resize(e + 1, false);
        }
        self.emitters_seen[e] = true;
    }

    /// Puts `event` at `at` (not before now) with `order` in the heap (in
    /// small mode: at its place in the run), or in a later period's bucket.
    #[inline(always)]
    fn insert(&mut self, at: SimTime, order: u64, event: E) {
        if at.0 > self.later.heap_last_s {
            self.later.hold_at(at.0, order, event);
            return;
        }
        let entry = Entry {
            time: at.0,
            order,
            event,
        };
        if self.later.small {
            insert_sorted(&mut self.run, entry);
            if self.run.len() > SMALL_MAX {
                self.later.spill(self.now.0, &mut self.run);
            }
        } else {
            self.heap.push(entry);
        }
    }

    /// The order word (priority, emitter, sequence) of the event being
    /// handled: with its time, its place among all events. Another engine
    /// may [`Engine::schedule_ordered`] an event in that place.
    #[inline]
    pub fn handled_order(&self) -> u64 {
        self.handled
    }

    /// Schedules `event` at `at` with the order word `order` taken from
    /// another engine's [`Engine::handled_order`], advancing no sequence:
    /// an event that engine handled runs here in the same place among
    /// this engine's events (its emitter must schedule nothing here, so
    /// that `(time, order)` stays unique).
    pub fn schedule_ordered(&mut self, at: SimTime, order: u64, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past");
        self.insert(at.max(self.now), order, event);
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        match (self.run.last(), self.heap.peek()) {
            (Some(r), Some(h)) => Some(SimTime(r.time.min(h.time))),
            (Some(e), None) | (None, Some(e)) => Some(SimTime(e.time)),
            (None, None) => self.later.peek_time().map(SimTime),
        }
    }

    /// Where the earliest waiting event is, and its time: the run's last
    /// entry or the heap's root, refilling the run from a later period when
    /// both are empty.
    #[inline]
    fn head(&mut self) -> Option<(Head, u64)> {
        if self.run.is_empty() && self.heap.len() == 0 && !self.later.refill(&mut self.run) {
            return None;
        }
        match (self.run.last(), self.heap.peek()) {
            (Some(r), Some(h)) if h.before(r) => Some((Head::Heap, h.time)),
            (Some(r), _) => Some((Head::Run, r.time)),
            (None, h) => h.map(|h| (Head::Heap, h.time)),
        }
    }

    /// Takes the earliest event out of `head` ([`Engine::head`]) and
    /// advances the clock to it.
    #[inline]
    fn take(&mut self, head: Head) -> Option<E> {
        let entry = match head {
            Head::Run => self.run.pop(),
            Head::Heap => self.heap.pop(),
        }?;
        self.now = SimTime(entry.time);
        self.handled = entry.order;
        self.processed += 1;
        Some(entry.event)
    }

    /// Removes the earliest event, advances the clock to it and returns it.
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<(SimTime, E)> {
        let (head, _) = self.head()?;
        let event = self.take(head)?;
        Some((self.now, event))
    }

    /// Hands every event up to and including `horizon` to `handle`, in order,
    /// then sets the clock to `horizon`. Events after the horizon stay queued.
    pub fn run_until(&mut self, horizon: SimTime, mut handle: impl FnMut(&mut Self, E)) {
        while let Some((head, time)) = self.head() {
            if time > horizon.0 {
                break;
            }
            let Some(event) = self.take(head) else { break };
            handle(self, event);
        }
        self.now = self.now.max(horizon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed xorshift stream of draws below `n`: test workloads that do
    /// not depend on the `rand` crate's algorithms.
    fn draws(mut x: u64) -> impl FnMut(u64) -> u64 {
        move |n| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        }
    }

    /// The look-ahead names the events that do come next when nothing is
    /// scheduled into the running quarter (in small mode and past it), and
    /// none rather than a wrong one at a quarter's end; when events are
    /// scheduled meanwhile, it names one still to come.
    #[test]
    fn upcoming_names_events_still_to_come() {
        for (n, reschedule) in [(20u32, false), (500, false), (20, true), (500, true)] {
            let mut draw = draws(0x5eed_0000 + u64::from(n));
            let mut e = Engine::new();
            // From the second quarter on: none waits in the heap at first.
            for i in 0..n {
                e.schedule(SimTime(PERIOD_S + draw(6 * PERIOD_S)), i);
            }
            let (mut handed, mut hints) = (Vec::new(), Vec::new());
            e.run_until(SimTime::NEVER, |eng, ev| {
                handed.push(ev);
                hints.push([eng.upcoming(1).copied(), eng.upcoming(2).copied()]);
                if reschedule && ev < n && handed.len() % 3 == 0 {
                    eng.schedule_in(draw(PERIOD_S), ev + n);
                }
            });
            let mut named = 0;
            for (i, hint) in hints.iter().enumerate() {
                for (ahead, h) in hint.iter().enumerate() {
                    let Some(h) = h else { continue };
                    named += 1;
                    let at = handed.iter().position(|x| x == h).expect("handed out");
                    if reschedule {
                        assert!(at > i, "n {n}, event {i}: hint {h} was handed out at {at}");
                    } else {
                        assert_eq!(at, i + ahead + 1, "n {n}, event {i}");
                    }
                }
            }
            // Most events have a successor in their own quarter.
            assert!(named > n, "n {n}: only {named} hints");
        }
    }

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

    /// Ties of two emitters' events (same second, same priority) come out
    /// by emitter, then each emitter's insertion order — however the two
    /// emitters' insertions interleave, in the heap or in a later period's
    /// bucket, and whether the other emitter's events are there at all.
    #[test]
    fn ties_do_not_depend_on_how_two_emitters_insertions_interleave() {
        let mut draw = draws(0x0123_4567_89ab_cdef);
        // Each emitter's events in its own insertion order: (time, emitter, i).
        let times = [7, 7, 3 * PERIOD_S, 7, 3 * PERIOD_S, 7];
        let of = |emitter: u16| -> Vec<(u64, u16, usize)> {
            times
                .iter()
                .enumerate()
                .map(|(i, &t)| (t, emitter, i))
                .collect()
        };
        let run = |order: &[(u64, u16, usize)]| -> Vec<(u16, usize)> {
            let mut e = Engine::new();
            for &(t, emitter, i) in order {
                e.schedule_from(SimTime(t), 1, emitter, (emitter, i));
            }
            let mut out = Vec::new();
            e.run_until(SimTime(4 * PERIOD_S), |_, ev| out.push(ev));
            out
        };
        let mut want: Vec<(u64, u16, usize)> = of(3).into_iter().chain(of(9)).collect();
        want.sort();
        let want: Vec<(u16, usize)> = want.into_iter().map(|(_, em, i)| (em, i)).collect();
        for _ in 0..50 {
            // A random interleaving that keeps each emitter's own order.
            let (mut a, mut b) = (of(9).into_iter().peekable(), of(3).into_iter().peekable());
            let mut order = Vec::new();
            while a.peek().is_some() || b.peek().is_some() {
                let from_a = b.peek().is_none() || (a.peek().is_some() && draw(2) == 0);
                order.extend(if from_a { a.next() } else { b.next() });
            }
            assert_eq!(run(&order), want);
        }
        // One emitter alone: its events in the order they have beside the other's.
        let alone: Vec<(u16, usize)> = want.iter().copied().filter(|&(em, _)| em == 9).collect();
        assert_eq!(run(&of(9)), alone);
        // A cleared engine forgets the emitters it saw.
        let mut e = Engine::new();
        e.schedule_from(SimTime(1), 1, 9, 'a');
        e.clear();
        e.schedule_from(SimTime(1), 1, 9, 'b');
        e.schedule_from(SimTime(1), 1, 2, 'c');
        #[cfg(debug_assertions)]
        assert_eq!(e.emitters_used(), 2);
        let mut out = String::new();
        e.run_until(SimTime(2), |_, ev| out.push(ev));
        assert_eq!(out, "cb");
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

    /// The heap alone, at every size up to a few levels (so that a pop
    /// meets each bottom shape: a full last pair, a lone left child, none)
    /// and with pushes between pops: entries come out in key order.
    #[test]
    fn the_heap_pops_in_key_order_at_every_size() {
        let mut draw = draws(0x2545_f491_4f6c_dd1d);
        for n in 0..70u64 {
            let mut heap = MinHeap { v: Vec::new() };
            let mut want = std::collections::BTreeSet::new();
            let mut push = |heap: &mut MinHeap<u64>, time: u64, order: u64| {
                heap.push(Entry {
                    time,
                    order,
                    event: order,
                });
                want.insert((time, order));
            };
            for i in 0..n {
                // Equal times on purpose: the order word breaks the tie.
                push(&mut heap, draw(8), i);
            }
            let mut seen = Vec::new();
            let mut next = n;
            while let Some(e) = heap.pop() {
                seen.push((e.time, e.order));
                // Now and then a later entry joins (as a handled event
                // schedules one in the heap's own period).
                if next < 2 * n && draw(3) == 0 {
                    push(&mut heap, e.time + draw(4), next);
                    next += 1;
                }
            }
            let want: Vec<_> = want.into_iter().collect();
            assert_eq!(seen, want, "{n} entries");
        }
    }

    /// Many events an hour (buckets of several chunks, chunks reused hour
    /// after hour), with handled events scheduling more, come out in the
    /// order of one sorted set of `(time, priority, insertion)`.
    #[test]
    fn full_buckets_keep_the_order_of_one_sorted_set() {
        let mut draw = draws(0x9e37_79b9_7f4a_7c15);
        let mut e = Engine::new();
        let mut want = std::collections::BTreeSet::new();
        let mut seq = 0u32;
        for _ in 0..5_000 {
            let (t, prio) = (draw(30 * SimTime::HOUR), draw(2) as u8);
            e.schedule_with_priority(SimTime(t), prio, seq);
            want.insert((t, prio, seq));
            seq += 1;
        }
        let mut seen = Vec::new();
        e.run_until(SimTime(40 * SimTime::HOUR), |eng, i| {
            seen.push(i);
            if seq < 9_000 && draw(2) == 0 {
                let (t, prio) = (eng.now().0 + 1 + draw(5 * SimTime::HOUR), draw(2) as u8);
                eng.schedule_with_priority(SimTime(t), prio, seq);
                want.insert((t, prio, seq));
                seq += 1;
            }
        });
        // New events are strictly later than the one handled, so one sorted
        // set orders them all.
        let want: Vec<u32> = want.into_iter().map(|(_, _, i)| i).collect();
        assert_eq!(seen.len(), want.len());
        assert_eq!(seen, want);
        assert_eq!(e.pending(), 0);
    }

    /// A cleared engine — left with events in its heap, its buckets and its
    /// "never" heap, chunks in use and on the free list — hands out the same
    /// events at the same times, and counts them the same, as a new one.
    #[test]
    fn a_cleared_engine_runs_as_a_new_one() {
        fn workload(e: &mut Engine<u32>, horizon: u64) -> (Vec<(u64, u32)>, u64, usize) {
            let mut draw = draws(0x2545_f491_4f6c_dd1d);
            for i in 0..3_000 {
                let t = draw(20 * SimTime::HOUR);
                e.schedule_with_priority(SimTime(t), draw(2) as u8, i);
            }
            e.schedule(SimTime(u64::MAX - 1), u32::MAX);
            let mut seen = Vec::new();
            let mut n = 3_000;
            e.run_until(SimTime(horizon), |eng, i| {
                seen.push((eng.now().0, i));
                if n < 6_000 && draw(3) == 0 {
                    eng.schedule_in(1 + draw(4 * SimTime::HOUR), n);
                    n += 1;
                }
            });
            (seen, e.events_processed(), e.pending())
        }
        let mut used = Engine::new();
        // Stop mid-run: events left in the heap, in buckets and beyond.
        workload(&mut used, 7 * SimTime::HOUR);
        assert!(used.pending() > 0);
        used.clear();
        assert_eq!((used.now(), used.pending()), (SimTime::ZERO, 0));
        let want = workload(&mut Engine::new(), 30 * SimTime::HOUR);
        assert_eq!(workload(&mut used, 30 * SimTime::HOUR), want);
        // Again, from an engine cleared after a whole run.
        used.clear();
        assert_eq!(workload(&mut used, 30 * SimTime::HOUR), want);
    }

    /// A period's bucket comes out sorted (the run); events scheduled into
    /// the period while it runs wait in the heap beside it. Many ties (a
    /// few distinct seconds, two priorities, three emitters) and new events
    /// both before and after the run's next entry.
    #[test]
    fn a_periods_sorted_run_and_its_new_events_interleave_as_one_sorted_set() {
        let mut draw = draws(0x2545_f491_4f6c_dd1d);
        let mut e = Engine::new();
        let mut want = std::collections::BTreeSet::new();
        let key = |t: u64, prio: u8, emitter: u16, i: u32| (t, prio, emitter, i);
        let mut next = 0u32;
        let period = 3 * PERIOD_S;
        for _ in 0..2_000 {
            let t = period + 60 * draw(15);
            let (prio, emitter) = (draw(2) as u8, draw(3) as u16);
            e.schedule_from(SimTime(t), prio, emitter, next);
            want.insert(key(t, prio, emitter, next));
            next += 1;
        }
        let mut seen = Vec::new();
        e.run_until(SimTime(period + PERIOD_S), |eng, i| {
            seen.push(i);
            if next < 4_000 {
                // Now, or a few seconds to minutes on, within the period.
                let now = eng.now().0;
                let t = (now + [0, 1, 60, 300][draw(4) as usize]).min(period + PERIOD_S - 1);
                // At `now`, after every key handled so far (the engine
                // cannot go back): the top priority and emitter.
                let (prio, emitter) = if t == now {
                    (3, 3)
                } else {
                    (1 + draw(2) as u8, draw(3) as u16)
                };
                eng.schedule_from(SimTime(t), prio, emitter, next);
                want.insert(key(t, prio, emitter, next));
                next += 1;
            }
        });
        // Emitters' sequences follow insertion, as `i` does here: the key
        // orders the events as the engine must.
        let want: Vec<u32> = want.into_iter().map(|(.., i)| i).collect();
        assert_eq!(seen.len(), want.len());
        assert_eq!(seen, want);
        assert_eq!(e.pending(), 0);
    }

    /// Events on both sides of a period's last second (the heap's side
    /// or a bucket's, `heap_last_s`), scheduled before the run and by
    /// handled events, come out by time, then priority, then insertion.
    #[test]
    fn period_edges_keep_the_order_of_one_sorted_set() {
        let p = PERIOD_S;
        let times = [p, p - 1, 2 * p, 0, 2 * p - 1, p + 1, p - 1, 3 * p, 2 * p];
        let mut e = Engine::new();
        let mut want = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            let prio = (i % 2) as u8;
            e.schedule_with_priority(SimTime(t), prio, i);
            want.push((t, prio, i));
        }
        let mut next = times.len();
        let mut seen = Vec::new();
        e.run_until(SimTime(4 * p), |eng, i| {
            seen.push(i);
            // The rest of this period, its last second, the next one's first.
            if i < times.len() {
                let now = eng.now().0;
                let end = (now / p + 1) * p;
                for t in [now, end - 1, end] {
                    eng.schedule_with_priority(SimTime(t), 1, next);
                    want.push((t, 1, next));
                    next += 1;
                }
            }
        });
        want.sort();
        let want: Vec<usize> = want.into_iter().map(|(_, _, i)| i).collect();
        assert_eq!(seen, want);
        assert_eq!(e.pending(), 0);
    }

    /// Small mode's sorted list: a few events at a handful of seconds (many
    /// ties of time, priority and emitter), each handled event scheduling
    /// zero to three more, come out by (time, priority, emitter, insertion)
    /// as from one sorted set; the list stays small throughout.
    #[test]
    fn a_few_events_with_many_ties_keep_the_order_of_one_sorted_set() {
        let mut draw = draws(0x2545_f491_4f6c_dd1d);
        let mut e = Engine::new();
        let mut waiting = std::collections::BTreeSet::new();
        let mut seq = 0u64;
        let mut schedule = |eng: &mut Engine<u64>,
                            waiting: &mut std::collections::BTreeSet<(u64, u8, u16, u64)>,
                            draw: &mut dyn FnMut(u64) -> u64| {
            let at = eng.now().0 + draw(4);
            let (priority, emitter) = (draw(2) as u8, draw(3) as u16);
            eng.schedule_from(SimTime(at), priority, emitter, seq);
            waiting.insert((at, priority, emitter, seq));
            seq += 1;
        };
        for _ in 0..8 {
            schedule(&mut e, &mut waiting, &mut draw);
        }
        let (mut handled, mut most) = (0, 0);
        while let Some((now, i)) = e.next() {
            let first = waiting.pop_first().expect("one waits");
            assert_eq!((first.0, first.3), (now.0, i), "event {handled}");
            handled += 1;
            if handled < 20_000 {
                let more = if waiting.len() < 6 {
                    1 + draw(3)
                } else {
                    draw(2)
                };
                for _ in 0..more {
                    schedule(&mut e, &mut waiting, &mut draw);
                }
            }
            most = most.max(waiting.len());
            assert_eq!(e.pending(), waiting.len());
        }
        assert!(waiting.is_empty() && handled >= 20_000);
        assert!(most <= SMALL_MAX, "the list left small mode: {most} waited");
    }

    /// Events days and years ahead (and at "never") come out in the same
    /// order as from one heap: by time, then priority, then insertion.
    #[test]
    fn later_days_keep_the_order_of_one_heap() {
        let day = SimTime::DAY;
        let times = [
            5 * day + 3,
            2,
            5 * day + 3,
            400 * day,
            u64::MAX,
            day,
            5 * day,
            2,
            70_000 * day,
            day - 1,
            400 * day,
        ];
        let mut e = Engine::new();
        for (i, &t) in times.iter().enumerate() {
            e.schedule_with_priority(SimTime(t), (i % 2) as u8, i);
        }
        assert_eq!(e.pending(), times.len());
        assert_eq!(e.peek_time(), Some(SimTime(2)));
        let mut expect: Vec<usize> = (0..times.len()).collect();
        expect.sort_by_key(|&i| (times[i], i % 2, i));
        let mut seen = Vec::new();
        // Handled events schedule more on the same day and on later days.
        e.run_until(SimTime(5 * day + 3), |eng, i| {
            seen.push(i);
            if i == 5 {
                eng.schedule_in(0, 100);
                eng.schedule_in(3 * day, 101);
            }
        });
        let mut more: Vec<usize> = expect
            .iter()
            .copied()
            .filter(|&i| times[i] <= 5 * day + 3)
            .collect();
        let at = more.iter().position(|&i| i == 5).unwrap();
        more.insert(at + 1, 100);
        let at = more.iter().position(|&i| i == 6).unwrap();
        more.insert(at, 101); // day 4, before event 6 of day 5
        assert_eq!(seen, more);
        assert_eq!(e.peek_time(), Some(SimTime(400 * day)));
        let mut rest = Vec::new();
        while let Some((_, i)) = e.next() {
            rest.push(i);
        }
        assert_eq!(rest, vec![10, 3, 8, 4]); // priority before insertion
        assert_eq!(e.pending(), 0);
    }

    /// A list that swings between a few events and hundreds, again and
    /// again (small mode, spilled into the buckets, gathered back), with
    /// "never" times waiting throughout and events at period edges, hands
    /// them out in the order of one sorted set of `(time, priority,
    /// insertion)`; both modes are used, and switched often. While an
    /// event is handled, before and after each event it schedules, the
    /// list counts and peeks what still waits.
    #[test]
    fn swinging_between_few_and_many_events_keeps_the_order_of_one_sorted_set() {
        let mut draw = draws(0x5851_f42d_4c95_7f2d);
        let mut e = Engine::new();
        let mut want = std::collections::BTreeSet::new();
        let mut seq = 0u32;
        for t in [u64::MAX, 0, u64::MAX - 1] {
            e.schedule(SimTime(t), seq);
            want.insert((t, 0, seq));
            seq += 1;
        }
        let (mut seen, mut switches, mut was_small) = (Vec::new(), 0, true);
        let mut grow = true;
        let mut waiting = want.clone();
        let check = |eng: &Engine<u32>, waiting: &std::collections::BTreeSet<(u64, u8, u32)>| {
            assert_eq!(eng.pending(), waiting.len());
            let first = waiting.first().map(|&(t, ..)| SimTime(t));
            assert_eq!(eng.peek_time(), first);
        };
        e.run_until(SimTime(400 * SimTime::DAY), |eng, i| {
            seen.push(i);
            let handled = *waiting.first().expect("one waits");
            assert_eq!(handled.2, i);
            waiting.remove(&handled);
            check(eng, &waiting);
            if eng.later.small != was_small {
                switches += 1;
                was_small = eng.later.small;
            }
            // Grow to a few hundred waiting, then drain to none, and again.
            let pending = eng.pending();
            if pending > 300 {
                grow = false;
            } else if pending <= 3 {
                grow = true;
            }
            let new = if grow { 1 + draw(3) } else { draw(2) };
            for _ in 0..new {
                let now = eng.now().0;
                // At least a second on: an event now of an earlier priority
                // than the handled one's would come after it in the engine
                // (which cannot go back) but before it in the sorted set.
                let ahead = match draw(4) {
                    0 => 1 + draw(60),                          // within a minute
                    1 => (now / PERIOD_S + 1) * PERIOD_S - now, // the next period's first second
                    2 => 1 + draw(6 * SimTime::HOUR),
                    _ => 1 + draw(3 * SimTime::DAY),
                };
                let (t, prio) = (now + ahead, 1 + draw(2) as u8);
                eng.schedule_with_priority(SimTime(t), prio, seq);
                want.insert((t, prio, seq));
                waiting.insert((t, prio, seq));
                check(eng, &waiting);
                seq += 1;
            }
        });
        let mut rest = Vec::new();
        while let Some((_, i)) = e.next() {
            rest.push(i);
        }
        seen.extend(rest);
        let want: Vec<u32> = want.into_iter().map(|(_, _, i)| i).collect();
        assert_eq!(seen.len(), want.len());
        assert_eq!(seen, want);
        assert!(switches >= 10, "modes switched {switches} times");
        assert_eq!(e.pending(), 0);
    }

    /// Events further ahead than the bucket ring reaches (in the far heap,
    /// moving into buckets as the ring advances, or skipped to when the
    /// ring is empty), scheduled before the run and by handled events, in
    /// random workloads over years, come out in the order of one sorted set
    /// of `(time, priority, insertion)` — from a new engine and a cleared one.
    #[test]
    fn far_events_move_into_the_ring_in_order() {
        let ring_s = RING_PERIODS * PERIOD_S;
        let mut used = Engine::new();
        for seed in 1..=12u64 {
            let mut draw = draws(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            // Spans from within the ring to several rings; some workloads
            // sparse (the ring runs empty before the far heap's next).
            let span = [ring_s / 3, 2 * ring_s, 9 * ring_s][seed as usize % 3];
            let sparse = seed % 4 == 0;
            let n = if sparse { 40 } else { 2_000 };
            let when = |d: &mut dyn FnMut(u64) -> u64| match d(4) {
                0 => ring_s - PERIOD_S + d(2 * PERIOD_S), // at the ring's edge
                1 => d(span) / PERIOD_S * PERIOD_S,       // a period's first second
                _ => d(span),
            };
            let engine = &mut used;
            engine.clear();
            let mut want = std::collections::BTreeSet::new();
            let mut seq = 0u32;
            for _ in 0..n {
                let (t, prio) = (when(&mut draw), draw(2) as u8);
                engine.schedule_with_priority(SimTime(t), prio, seq);
                want.insert((t, prio, seq));
                seq += 1;
            }
            let mut seen = Vec::new();
            engine.run_until(SimTime(u64::MAX / 2), |eng, i| {
                seen.push(i);
                // The ring reaches a bounded span, however far events do.
                let later = &eng.later;
                assert!(later.ring_end <= later.heap_period + 1 + RING_PERIODS);
                if seq < 2 * n && draw(2) == 0 {
                    let ahead = 1 + when(&mut draw);
                    let (t, prio) = (eng.now().0 + ahead, draw(2) as u8);
                    eng.schedule_with_priority(SimTime(t), prio, seq);
                    want.insert((t, prio, seq));
                    seq += 1;
                }
            });
            let want: Vec<u32> = want.into_iter().map(|(_, _, i)| i).collect();
            assert_eq!(seen, want, "workload {seed}");
            assert_eq!(engine.pending(), 0);
            // The next workload's engine is cleared with events in the
            // heap, the ring and the far heap.
            engine.clear();
            for t in [1, 3 * PERIOD_S, 3 * ring_s] {
                engine.schedule(SimTime(t), 0);
            }
            engine.run_until(SimTime(2), |_, _| {});
        }
    }
}
