//! Safe writing: atomic files (a temporary file beside the target, then a
//! rename), output folders that are proven to stay inside the folder the
//! user chose, a lock per output folder, and whole folders written under a
//! temporary name and swapped in with renames, so a run folder is either the
//! previous complete run or the new complete run, never a mixture.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::ReportError;
use crate::scenario::source::{NAME_HINT, check_file_name};

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let err = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(err)?;
    }
    fault::before_write().map_err(err)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Fault injection for tests of all-or-nothing output: in debug builds,
/// `VARDSIM_FAIL_AFTER_WRITES=N` makes every file write after the first `N`
/// of the process fail. Release builds have no hook.
mod fault {
    #[cfg(debug_assertions)]
    pub(super) fn before_write() -> std::io::Result<()> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static WRITES: AtomicUsize = AtomicUsize::new(0);
        let Some(limit) = std::env::var("VARDSIM_FAIL_AFTER_WRITES")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        else {
            return Ok(());
        };
        if WRITES.fetch_add(1, Ordering::SeqCst) >= limit {
            return Err(std::io::Error::other(
                "injected failure (VARDSIM_FAIL_AFTER_WRITES)",
            ));
        }
        Ok(())
    }

    #[cfg(not(debug_assertions))]
    pub(super) fn before_write() -> std::io::Result<()> {
        Ok(())
    }
}

/// `out/name`, once `name` is proven to be one safe folder name, so that
/// the result is a direct child of `out` (the one function every writer and
/// deleter of output folders goes through). An existing symbolic link there
/// is refused: writing through it would write outside `out`.
pub fn output_folder(out: &Path, name: &str) -> Result<PathBuf, ReportError> {
    let refuse = |reason: String| ReportError::UnsafeName {
        name: name.to_string(),
        reason,
    };
    check_file_name(name).map_err(|e| refuse(format!("{e}\n  hint: {NAME_HINT}")))?;
    let folder = out.join(name);
    // Proof, not only hope: exactly one more normal component than `out`.
    let child = folder.strip_prefix(out).ok().map(|rest| {
        let parts: Vec<Component> = rest.components().collect();
        matches!(parts.as_slice(), [Component::Normal(_)])
    });
    if child != Some(true) {
        return Err(refuse(format!(
            "`{}` is not a folder directly inside `{}`",
            folder.display(),
            out.display()
        )));
    }
    if fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse(format!(
            "`{}` is a symbolic link; vardsim writes only real folders inside the output folder",
            folder.display()
        )));
    }
    // A file in the folder's place would be moved aside by the swap and
    // then fail to be deleted as a folder: refused, whatever `--force` says.
    if fs::symlink_metadata(&folder).is_ok_and(|m| !m.is_dir()) {
        return Err(refuse(format!(
            "`{}` is a file, not a folder, and vardsim never replaces a file\n  hint: give the results another --name (or --out), or move the file",
            folder.display()
        )));
    }
    Ok(folder)
}

/// `dir/sub`, refused when it is a symbolic link: vardsim writes into (and
/// deletes its own files from) the `points` and `charts` folders of an
/// existing results folder, and through a link those would be files
/// outside the output folder.
pub fn real_subfolder(dir: &Path, sub: &str) -> Result<PathBuf, ReportError> {
    let path = dir.join(sub);
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(ReportError::UnsafeName {
            name: sub.to_string(),
            reason: format!(
                "`{}` is a symbolic link; vardsim writes only real folders inside the output folder\n  hint: delete the link (what it points to is not touched), or give the results another --name (or --out)",
                path.display()
            ),
        });
    }
    Ok(path)
}

/// Why `out` could not be created: a file where it (or a folder above it)
/// should be is named with a hint, not left as the system's "File exists"
/// or "Not a directory".
fn out_error(out: &Path, source: std::io::Error) -> ReportError {
    let file = out
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| fs::metadata(a).is_ok_and(|m| !m.is_dir()));
    match file {
        Some(file) => ReportError::OutNotFolder {
            out: out.to_path_buf(),
            file: file.to_path_buf(),
        },
        None => ReportError::Write {
            path: out.to_path_buf(),
            source,
        },
    }
}

/// `.<name>.<what>-<pid>` beside the folder `out/name`.
fn sibling(out: &Path, name: &str, what: &str, pid: u32) -> PathBuf {
    out.join(format!(".{name}.{what}-{pid}"))
}

/// A lock on the output folder `out/name`: the file `out/.<name>.lock`,
/// held with an exclusive advisory lock of the operating system and holding
/// the writer's process id. A second writer of the same folder fails with a
/// clear message instead of mixing files. The operating system releases the
/// lock when its holder dies, so a writer killed outright never blocks the
/// next one, and there is no "is that process still alive?" guess that two
/// newcomers could both win. Removed when dropped.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    /// Open for as long as the lock is held: closing it releases the lock.
    file: fs::File,
}

impl FolderLock {
    /// Takes the lock of `out/name` (`name` must already be checked by
    /// [`output_folder`]). Creates `out` if needed. A writer that died
    /// holding it left its process id in the file: its unfinished folder is
    /// removed and a previous run it had moved aside is put back.
    pub fn take(out: &Path, name: &str) -> Result<FolderLock, ReportError> {
        fs::create_dir_all(out).map_err(|source| out_error(out, source))?;
        let path = out.join(format!(".{name}.lock"));
        let write_err = |source| ReportError::Write {
            path: path.clone(),
            source,
        };
        // A holder removes the file as it lets go, so the file just locked
        // may already be unlinked: then try again with the new one.
        for _ in 0..100 {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(write_err)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(ReportError::Locked {
                        folder: out.join(name),
                        lock: path.clone(),
                        holder: recorded_pid(&mut file),
                    });
                }
                Err(fs::TryLockError::Error(source)) => return Err(write_err(source)),
            }
            if !is_same_file(&file, &path) {
                continue;
            }
            if let Some(dead) = recorded_pid(&mut file) {
                recover(out, name, dead);
            }
            let stamp = (|| {
                use std::io::Seek;
                file.set_len(0)?;
                file.seek(std::io::SeekFrom::Start(0))?;
                write!(file, "{}", std::process::id())
            })();
            stamp.map_err(write_err)?;
            return Ok(FolderLock { path, file });
        }
        Err(ReportError::Locked {
            folder: out.join(name),
            lock: path,
            holder: None,
        })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Unlinked while still locked, so that a newcomer either waits for
        // this file or creates a fresh one, never locks a stale copy.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The process id a lock file holds, if any.
fn recorded_pid(file: &mut fs::File) -> Option<u32> {
    use std::io::{Read, Seek};
    let mut text = String::new();
    file.seek(std::io::SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// Whether the open `file` is still the file at `path` (not unlinked or
/// replaced since it was opened).
fn is_same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Windows does not unlink a file that is open, so it is the same.
        let _ = (file, path);
        true
    }
}

/// Cleans up after a writer `pid` of `out/name` that died: its unfinished
/// new folder goes, and a previous run it had moved aside comes back.
fn recover(out: &Path, name: &str, pid: u32) {
    let _ = fs::remove_dir_all(sibling(out, name, "tmp", pid));
    let old = sibling(out, name, "old", pid);
    if old.is_dir() {
        let folder = out.join(name);
        if folder.exists() {
            let _ = fs::remove_dir_all(&old);
        } else {
            let _ = fs::rename(&old, &folder);
        }
    }
}

/// A run folder being written: files go to a temporary sibling
/// (`out/.<name>.tmp-<pid>`), and [`StagedFolder::commit`] swaps it in for
/// `out/name` with renames, so the previous complete run stays until the new
/// one is complete. Dropped without commit, the temporary folder is removed
/// and the previous run is untouched.
#[derive(Debug)]
pub struct StagedFolder {
    out: PathBuf,
    name: String,
    tmp: PathBuf,
    committed: bool,
    _lock: FolderLock,
}

impl StagedFolder {
    /// Locks `out/name` and creates its temporary sibling. Fails on an
    /// unsafe `name` before touching anything.
    pub fn begin(out: &Path, name: &str) -> Result<StagedFolder, ReportError> {
        output_folder(out, name)?;
        let lock = FolderLock::take(out, name)?;
        let tmp = sibling(out, name, "tmp", std::process::id());
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).map_err(|source| ReportError::Write {
            path: tmp.clone(),
            source,
        })?;
        Ok(StagedFolder {
            out: out.to_path_buf(),
            name: name.to_string(),
            tmp,
            committed: false,
            _lock: lock,
        })
    }

    /// Where to write the files now.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Where the folder will be once committed.
    pub fn target(&self) -> PathBuf {
        self.out.join(&self.name)
    }

    /// Swaps the finished folder in: the previous run (if any) is renamed
    /// aside, the new one renamed into place, then the previous one deleted.
    pub fn commit(mut self) -> Result<PathBuf, ReportError> {
        let target = output_folder(&self.out, &self.name)?;
        let old = sibling(&self.out, &self.name, "old", std::process::id());
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ReportError::Write { path, source }
        };
        let _ = fs::remove_dir_all(&old);
        let had_previous = match fs::rename(&target, &old) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(err(&target)(e)),
        };
        if let Err(e) = fs::rename(&self.tmp, &target) {
            if had_previous {
                let _ = fs::rename(&old, &target);
            }
            return Err(err(&target)(e));
        }
        self.committed = true;
        if had_previous {
            fs::remove_dir_all(&old).map_err(err(&old))?;
        }
        Ok(target)
    }
}

impl Drop for StagedFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vardsim-atomic-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn output_folders_stay_inside_the_output_folder() {
        let out = Path::new("some/out");
        assert_eq!(output_folder(out, "run").unwrap(), out.join("run"));
        for bad in ["..", ".", "../x", "a/b", "", "x\ny", "/abs"] {
            let e = output_folder(out, bad).unwrap_err().to_string();
            assert!(e.contains("hint"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn a_staged_folder_replaces_the_previous_only_when_committed() {
        let out = scratch("staged");
        let stage = StagedFolder::begin(&out, "run").unwrap();
        write_atomic(&stage.path().join("a.txt"), b"one").unwrap();
        stage.commit().unwrap();
        assert_eq!(fs::read(out.join("run/a.txt")).unwrap(), b"one");
        // Abandoned: the previous run stays, nothing is left behind.
        let stage = StagedFolder::begin(&out, "run").unwrap();
        write_atomic(&stage.path().join("a.txt"), b"two").unwrap();
        drop(stage);
        assert_eq!(fs::read(out.join("run/a.txt")).unwrap(), b"one");
        let left: Vec<_> = fs::read_dir(&out).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        // Committed: the new one replaces it whole.
        let stage = StagedFolder::begin(&out, "run").unwrap();
        write_atomic(&stage.path().join("b.txt"), b"two").unwrap();
        stage.commit().unwrap();
        assert!(!out.join("run/a.txt").exists());
        assert_eq!(fs::read(out.join("run/b.txt")).unwrap(), b"two");
        let _ = fs::remove_dir_all(&out);
    }

    #[test]
    fn a_second_writer_of_the_same_folder_is_refused_while_the_first_writes() {
        let out = scratch("lock");
        let first = StagedFolder::begin(&out, "run").unwrap();
        let e = StagedFolder::begin(&out, "run").unwrap_err().to_string();
        assert!(e.contains("being written"), "{e}");
        drop(first);
        StagedFolder::begin(&out, "run").unwrap();
        let _ = fs::remove_dir_all(&out);
    }

    #[test]
    fn a_lock_left_by_a_dead_process_is_taken_over_and_its_previous_run_restored() {
        let out = scratch("stale");
        fs::create_dir_all(out.join(".run.old-999999999")).unwrap();
        fs::write(out.join(".run.old-999999999/a.txt"), b"previous").unwrap();
        fs::create_dir_all(out.join(".run.tmp-999999999")).unwrap();
        fs::write(out.join(".run.lock"), b"999999999").unwrap();
        let lock = FolderLock::take(&out, "run").unwrap();
        assert_eq!(fs::read(out.join("run/a.txt")).unwrap(), b"previous");
        assert!(!out.join(".run.tmp-999999999").exists());
        drop(lock);
        let _ = fs::remove_dir_all(&out);
    }

    /// Reproduces the takeover race of a pid-file lock: several writers
    /// find the same stale lock at once, each removes it and creates its
    /// own, and two of them write the folder together. Exactly one may win.
    #[test]
    fn of_writers_racing_for_a_stale_lock_exactly_one_wins() {
        use std::sync::{Arc, Barrier};
        let out = scratch("race");
        fs::create_dir_all(&out).unwrap();
        for round in 0..40 {
            fs::write(out.join(".run.lock"), b"999999999").unwrap();
            let writers = 4;
            let start = Arc::new(Barrier::new(writers));
            let held = Arc::new(Barrier::new(writers));
            let threads: Vec<_> = (0..writers)
                .map(|_| {
                    let (out, start, held) = (out.clone(), start.clone(), held.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        let lock = FolderLock::take(&out, "run");
                        // Everyone has tried before anyone lets go.
                        held.wait();
                        lock.is_ok()
                    })
                })
                .collect();
            let winners = threads
                .into_iter()
                .map(|t| t.join().unwrap())
                .filter(|&won| won)
                .count();
            assert_eq!(winners, 1, "round {round}: {winners} writers hold the lock");
        }
        let _ = fs::remove_dir_all(&out);
    }
}
