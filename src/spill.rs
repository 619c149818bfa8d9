//! Bytes out of memory: fixed-size blocks in an unnamed temporary file, for
//! what a run must keep but would otherwise hold in memory as it grows with
//! the run's history (a split e-service provider's answers,
//! `model/split.rs`). The one place the simulation core reaches for
//! storage: it names no path and reports no error — a file that cannot be
//! made or written leaves the blocks in memory, which changes memory, not
//! results (`tests/it/tidy.rs`).

use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// Bytes in a block.
pub(crate) const BLOCK_BYTES: usize = 4096;

/// A block's bytes.
pub(crate) type Block = [u8; BLOCK_BYTES];

/// Numbered blocks, written and read by number from any thread: block `b`
/// at byte `b · BLOCK_BYTES` of the file (or of memory).
#[derive(Debug)]
pub(crate) struct Blocks(Mutex<Place>);

#[derive(Debug)]
struct Place {
    file: Option<std::fs::File>,
    /// The blocks, when there is no file.
    memory: Vec<u8>,
    /// Blocks numbered so far.
    numbered: u32,
}

impl Blocks {
    /// No blocks yet, in a temporary file (gone with the process, however
    /// it ends), or in memory when none can be made.
    pub(crate) fn new() -> Self {
        Self::in_file(tempfile::tempfile().ok())
    }

    /// No blocks yet, in `file`, or in memory.
    pub(crate) fn in_file(file: Option<std::fs::File>) -> Self {
        Blocks(Mutex::new(Place {
            file,
            memory: Vec::new(),
            numbered: 0,
        }))
    }

    fn place(&self) -> std::sync::MutexGuard<'_, Place> {
        // A panic in another thread leaves the blocks as they were.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new block's number (numbered before it is written, so that the
    /// block before it can name it).
    pub(crate) fn number(&self) -> u32 {
        let mut place = self.place();
        let b = place.numbered;
        place.numbered = b.checked_add(1).expect("fewer than 2³² blocks");
        b
    }

    /// Writes block `b`.
    pub(crate) fn write(&self, b: u32, block: &Block) {
        let mut place = self.place();
        let at = b as usize * BLOCK_BYTES;
        if let Some(file) = &mut place.file {
            let written = file
                .seek(SeekFrom::Start(at as u64))
                .and_then(|_| file.write_all(block));
            if written.is_ok() {
                return;
            }
            // A full disk: the blocks so far into memory, and on from there.
            place.memory = place.file_contents();
            place.file = None;
        }
        if place.memory.len() < at + BLOCK_BYTES {
            place.memory.resize(at + BLOCK_BYTES, 0);
        }
        place.memory[at..at + BLOCK_BYTES].copy_from_slice(block);
    }

    /// Reads block `b` (written before).
    pub(crate) fn read(&self, b: u32, block: &mut Block) {
        let mut place = self.place();
        let at = b as usize * BLOCK_BYTES;
        match &mut place.file {
            Some(file) => file
                .seek(SeekFrom::Start(at as u64))
                .and_then(|_| file.read_exact(block))
                .expect("a temporary file reads back what was written to it"),
            None => block.copy_from_slice(&place.memory[at..at + BLOCK_BYTES]),
        }
    }

    /// The blocks are in a file.
    #[cfg(test)]
    pub(crate) fn in_a_file(&self) -> bool {
        self.place().file.is_some()
    }
}

impl Place {
    /// The file's blocks, in memory.
    fn file_contents(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        if let Some(file) = &mut self.file {
            file.seek(SeekFrom::Start(0))
                .and_then(|_| file.read_to_end(&mut bytes))
                .expect("a temporary file reads back what was written to it");
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(x: u8) -> Block {
        std::array::from_fn(|i| x.wrapping_add(i as u8))
    }

    #[test]
    fn blocks_read_back_as_written_in_any_order_in_a_file_and_in_memory() {
        for blocks in [Blocks::new(), Blocks::in_file(None)] {
            let numbers: Vec<u32> = (0..5).map(|_| blocks.number()).collect();
            assert_eq!(numbers, [0, 1, 2, 3, 4]);
            // Written out of order, one never (a hole reads as zeros).
            for &b in &[3, 0, 4, 1] {
                blocks.write(b, &block(b as u8));
            }
            let mut got = [0u8; BLOCK_BYTES];
            for &b in &[0, 1, 3, 4] {
                blocks.read(b, &mut got);
                assert_eq!(got, block(b as u8));
            }
            blocks.read(2, &mut got);
            assert_eq!(got, [0u8; BLOCK_BYTES]);
        }
        assert!(
            Blocks::new().in_a_file(),
            "this machine has a temporary folder"
        );
    }

    #[test]
    fn a_write_that_fails_moves_the_blocks_into_memory() {
        // A file opened for reading only: every write fails.
        let path = std::env::temp_dir().join(format!("vardsim-spill-{}", std::process::id()));
        std::fs::write(&path, block(7)).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let blocks = Blocks::in_file(Some(file));
        let (first, second) = (blocks.number(), blocks.number());
        blocks.write(second, &block(9));
        assert!(!blocks.in_a_file());
        let mut got = [0u8; BLOCK_BYTES];
        // What the file held came along.
        blocks.read(first, &mut got);
        assert_eq!(got, block(7));
        blocks.read(second, &mut got);
        assert_eq!(got, block(9));
    }
}
