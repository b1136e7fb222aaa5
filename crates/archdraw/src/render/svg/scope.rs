//! The root's scope class, and the stable hash it and the font family names are derived from.

use crate::layout::Layout;

/// The root's scope class: the caller's prefix made safe for a class name and a CSS selector,
/// or one derived from the layout.
#[cfg(test)]
pub(super) fn scope_class(layout: &Layout, prefix: Option<&str>) -> String {
    scope_class_for(prefix, || content_hash(layout))
}

/// The scope class for `prefix`, or `ad-` and eight hex digits of the layout's hash.
pub(super) fn scope_class_for(prefix: Option<&str>, hash: impl FnOnce() -> u64) -> String {
    let given: String = prefix
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    match given.chars().next() {
        None => format!("ad-{:08x}", hash() & 0xffff_ffff),
        Some(c) if c.is_ascii_alphabetic() => given,
        Some(_) => format!("ad-{given}"),
    }
}

/// 64-bit FNV-1a over the layout's JSON form: stable across runs, platforms and Rust versions,
/// unlike `std`'s hashers.
pub(super) fn content_hash(layout: &Layout) -> u64 {
    let mut hasher = Fnv1a::new();
    // Serialising plain structs into a writer that never fails cannot fail; were it to, the hash
    // of what was written is still deterministic.
    // Buffered, so the hasher gets large slices rather than one call per JSON token.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut hasher);
    let _ = serde_json::to_writer(&mut buffered, layout);
    let _ = std::io::Write::flush(&mut buffered);
    drop(buffered);
    hasher.0
}

/// The 64-bit FNV-1a hash of the bytes written into it.
#[derive(Debug)]
pub(super) struct Fnv1a(pub(super) u64);

impl Fnv1a {
    pub(super) const fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    pub(super) fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl std::io::Write for Fnv1a {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.feed(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
