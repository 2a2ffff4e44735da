//! How many threads read record files: shared by the validating reader (an engine per thread)
//! and the fast reader (a set of counters per thread).

use std::path::PathBuf;

/// What the working memory of every thread beyond the first may take together.
const EXTRA: usize = 320 << 20;

/// Processors to work on: one per processor, at most four.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// How many threads read `files` when each thread beyond the first needs `each` bytes of working
/// memory of its own (filled, then added up at the end): one while the files are smaller than
/// `small` bytes together, else one per processor (at most four) as long as the extra threads'
/// memory stays within 320 MiB together (a district's roster on a long policy reads on one
/// thread, so that memory stays well under a gigabyte).
pub fn reading_threads(files: &[PathBuf], each: usize, small: u64) -> usize {
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if total < small {
        return 1;
    }
    cores().min(1 + EXTRA / each.max(1))
}
