//! A small, fast hash for the analyzer's and the matcher's per-thread tables.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (as in rustc): fast on short keys, which is all the analyzer and the matcher hash. Not resistant
/// to crafted collisions; the tables it serves are built from the lexicon, and the per-thread
/// resolution cache is bounded.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// A `HashMap` with the Fx hash.
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Longest key a [`PackedKey`] holds; longer keys are not cached.
pub(crate) const PACKED_KEY: usize = 16;

/// A short key packed into two words, zero-padded, with its hash: what the per-thread caches of
/// the analyzer and the matcher are keyed by, so that a probe compares two words instead of
/// following a pointer to a heap string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PackedKey {
    key: [u64; 2],
    hash: u32,
    len: u8,
}

impl PackedKey {
    /// The packed key, or `None` when `key` is longer than [`PACKED_KEY`] bytes (or empty).
    #[inline]
    pub(crate) fn new(key: &str) -> Option<PackedKey> {
        let bytes = key.as_bytes();
        if bytes.is_empty() || bytes.len() > PACKED_KEY {
            return None;
        }
        let [lo, hi] = load_padded(bytes);
        let mut h = FxHasher::default();
        h.add(lo);
        h.add(hi ^ bytes.len() as u64);
        Some(PackedKey {
            key: [lo, hi],
            hash: h.finish() as u32,
            len: bytes.len() as u8,
        })
    }
}

/// `bytes` (1 to 16 of them) as two little-endian words, zero-padded, read with overlapping
/// unaligned loads rather than through a copy into a buffer (which costs a store-forwarding stall
/// on every key).
#[inline]
fn load_padded(b: &[u8]) -> [u64; 2] {
    let n = b.len();
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes")));
    if n >= 8 {
        let hi = if n > 8 {
            u64_at(n - 8) >> (8 * (16 - n))
        } else {
            0
        };
        [u64_at(0), hi]
    } else if n >= 4 {
        [u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))), 0]
    } else {
        let (first, mid, last) = (u64::from(b[0]), u64::from(b[n / 2]), u64::from(b[n - 1]));
        [first | (mid << (8 * (n / 2))) | (last << (8 * (n - 1))), 0]
    }
}

/// One slot of an [`InlineMap`]; `len == 0` marks it empty (packed keys are never empty).
#[derive(Debug, Clone, Copy)]
struct Slot<V> {
    key: [u64; 2],
    hash: u32,
    len: u8,
    value: V,
}

/// A bounded per-thread map from [`PackedKey`]s to small `Copy` values: open addressing with the
/// key stored inline, at most half full, and emptied when it reaches its limit (a cache, so losing
/// its entries only costs recomputing them).
#[derive(Debug, Clone)]
pub(crate) struct InlineMap<V> {
    slots: Vec<Slot<V>>,
    len: usize,
    limit: usize,
}

impl<V: Copy + Default> InlineMap<V> {
    const FIRST_CAPACITY: usize = 1 << 10;

    /// An empty map that grows to at most `limit` slots (a power of two).
    pub(crate) fn with_limit(limit: usize) -> InlineMap<V> {
        debug_assert!(limit.is_power_of_two() && limit >= Self::FIRST_CAPACITY);
        InlineMap {
            slots: Vec::new(),
            len: 0,
            limit,
        }
    }

    /// The value stored for `key`.
    #[inline]
    pub(crate) fn get(&self, key: &PackedKey) -> Option<V> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = key.hash as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.len == 0 {
                return None;
            }
            if slot.hash == key.hash && slot.len == key.len && slot.key == key.key {
                return Some(slot.value);
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `value` for `key`, which must not be in the map.
    pub(crate) fn insert(&mut self, key: &PackedKey, value: V) {
        if (self.len + 1) * 2 > self.slots.len() {
            if self.slots.len() >= self.limit {
                self.clear();
            } else {
                let capacity = (self.slots.len() * 2).max(Self::FIRST_CAPACITY);
                let empty = Slot {
                    key: [0; 2],
                    hash: 0,
                    len: 0,
                    value: V::default(),
                };
                let old = std::mem::replace(&mut self.slots, vec![empty; capacity]);
                self.len = 0;
                for slot in old.into_iter().filter(|s| s.len > 0) {
                    self.place(slot);
                }
            }
        }
        self.place(Slot {
            key: key.key,
            hash: key.hash,
            len: key.len,
            value,
        });
    }

    fn place(&mut self, slot: Slot<V>) {
        let mask = self.slots.len() - 1;
        let mut i = slot.hash as usize & mask;
        while self.slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
        self.len += 1;
    }

    /// Forgets every entry, keeping the capacity.
    pub(crate) fn clear(&mut self) {
        for slot in &mut self.slots {
            slot.len = 0;
        }
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_map_keeps_what_fits_and_forgets_at_its_limit() {
        let mut map = InlineMap::<u32>::with_limit(1 << 10);
        let keys: Vec<String> = (0..600).map(|i| format!("word{i}")).collect();
        for (i, k) in keys.iter().enumerate().take(400) {
            let p = PackedKey::new(k).expect("short key");
            assert_eq!(map.get(&p), None);
            map.insert(&p, i as u32);
        }
        for (i, k) in keys.iter().enumerate().take(400) {
            assert_eq!(map.get(&PackedKey::new(k).unwrap()), Some(i as u32), "{k}");
        }
        // Past half of the limit the map starts over instead of growing.
        for k in &keys[400..] {
            map.insert(&PackedKey::new(k).unwrap(), 7);
        }
        assert!(map.len <= 512);
        assert_eq!(map.get(&PackedKey::new("word599").unwrap()), Some(7));
        assert_eq!(map.get(&PackedKey::new("word0").unwrap()), None);
    }

    #[test]
    fn loads_equal_a_zero_padded_copy() {
        let text = b"abcdefghijklmnop";
        for n in 1..=16 {
            let mut buf = [0u8; 16];
            buf[..n].copy_from_slice(&text[..n]);
            let want = [
                u64::from_le_bytes(buf[..8].try_into().unwrap()),
                u64::from_le_bytes(buf[8..].try_into().unwrap()),
            ];
            assert_eq!(load_padded(&text[..n]), want, "{n} bytes");
        }
    }

    #[test]
    fn packed_keys_tell_lengths_and_long_keys_apart() {
        assert_ne!(PackedKey::new("ab"), PackedKey::new("ab\0"));
        assert!(PackedKey::new("").is_none());
        assert!(PackedKey::new("abcdefghijklmnop").is_some());
        assert!(PackedKey::new("abcdefghijklmnopq").is_none());
        assert!(PackedKey::new("שלום").is_some());
    }
}
