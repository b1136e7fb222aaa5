//! Baselines kept in a committed file: what dot and Graph::Easy measured for an input, keyed by
//! a hash of that input, so the benchmark can run without rerunning them (dot needs minutes at
//! 10,000 boxes) and without them installed.
//!
//! The file holds one JSON object a line, sorted by name and key, so a refresh shows as a
//! readable diff. An entry whose input no longer occurs (a spec changed) is dropped when the
//! whole benchmark runs. The key covers the input text and [`METHOD`], not the tool's version:
//! the version is recorded in the entry, and the benchmark says when the installed tool
//! differs; `--refresh` reruns the tools.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Bumped whenever the way a baseline is produced or measured changes (the DOT or Graph::Easy
/// generators, the crossing count), so old entries stop matching.
pub const METHOD: &str = "quality-1";

/// One remembered measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry<T> {
    /// The input's hash ([`key`]).
    pub key: String,
    /// What the input was (a spec file's name, `generated-1000`), for people reading the file.
    pub name: String,
    /// The tool's version that measured it.
    pub version: String,
    pub value: T,
}

/// A cache file of entries with values of type `T`.
#[derive(Debug)]
pub struct Cache<T> {
    path: PathBuf,
    entries: BTreeMap<String, Entry<T>>,
    used: BTreeSet<String>,
    changed: bool,
}

impl<T: Serialize + DeserializeOwned + Clone> Cache<T> {
    /// Loads `path`; a missing file is an empty cache.
    ///
    /// # Errors
    ///
    /// A file that cannot be read or a line that is not an entry.
    pub fn load(path: &Path) -> Result<Self, String> {
        let mut entries = BTreeMap::new();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let entry: Entry<T> = serde_json::from_str(line)
                        .map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
                    entries.insert(entry.key.clone(), entry);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
        Ok(Cache { path: path.to_owned(), entries, used: BTreeSet::new(), changed: false })
    }

    /// The entry for `key`, marked as used.
    pub fn get(&mut self, key: &str) -> Option<&Entry<T>> {
        self.used.insert(key.to_owned());
        self.entries.get(key)
    }

    /// Remembers a new measurement.
    pub fn insert(&mut self, key: &str, name: &str, version: &str, value: T) {
        self.used.insert(key.to_owned());
        let entry = Entry { key: key.into(), name: name.into(), version: version.into(), value };
        self.entries.insert(key.to_owned(), entry);
        self.changed = true;
    }

    /// Writes the file if anything changed; with `prune`, entries not used in this run go.
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn save(&mut self, prune: bool) -> Result<(), String> {
        if prune {
            let before = self.entries.len();
            self.entries.retain(|k, _| self.used.contains(k));
            self.changed |= self.entries.len() != before;
        }
        if !self.changed {
            return Ok(());
        }
        let mut sorted: Vec<&Entry<T>> = self.entries.values().collect();
        sorted.sort_by(|a, b| (&a.name, &a.key).cmp(&(&b.name, &b.key)));
        let mut text = String::new();
        for e in sorted {
            text.push_str(&serde_json::to_string(e).map_err(|e| e.to_string())?);
            text.push('\n');
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        // Write a sibling, then rename: an interrupted run never leaves half a file.
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| format!("{}: {e}", self.path.display()))?;
        self.changed = false;
        Ok(())
    }
}

/// The cache key of an input: FNV-1a (64 bits) over [`METHOD`] and the input, in hex. Not a
/// cryptographic hash; it only has to tell the benchmark's own inputs apart.
pub fn key(input: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in METHOD.bytes().chain([0]).chain(input.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_input_and_are_stable() {
        assert_eq!(key("digraph G {}"), key("digraph G {}"));
        assert_ne!(key("digraph G {}"), key("digraph G { }"));
        assert_eq!(key("").len(), 16);
    }

    #[test]
    fn entries_survive_a_save_and_unused_ones_are_pruned() {
        let dir = std::env::temp_dir().join(format!("quality-cache-test-{}", std::process::id()));
        let path = dir.join("cache.jsonl");
        let mut cache: Cache<usize> = Cache::load(&path).unwrap();
        cache.insert("k1", "one", "1.0", 1);
        cache.insert("k2", "two", "1.0", 2);
        cache.save(false).unwrap();

        let mut again: Cache<usize> = Cache::load(&path).unwrap();
        assert_eq!(again.get("k1").map(|e| e.value), Some(1));
        again.save(true).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "{\"key\":\"k1\",\"name\":\"one\",\"version\":\"1.0\",\"value\":1}\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
