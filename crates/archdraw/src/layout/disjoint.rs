//! Disjoint sets (union–find), for the phases that group nodes or nets into connected parts.

/// Disjoint sets over `0..n`. A set's root is always its smallest member, so numbering by
/// root is deterministic and follows input order.
#[derive(Debug, Clone)]
pub(super) struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    /// `n` sets of one element each.
    pub fn new(n: usize) -> Self {
        Self { parent: (0..n).collect() }
    }

    /// The root (smallest member) of `v`'s set.
    pub fn find(&mut self, mut v: usize) -> usize {
        while self.parent[v] != v {
            self.parent[v] = self.parent[self.parent[v]];
            v = self.parent[v];
        }
        v
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_named_by_its_smallest_member() {
        let mut s = DisjointSets::new(5);
        s.union(4, 2);
        s.union(2, 3);
        assert_eq!((s.find(3), s.find(4), s.find(2)), (2, 2, 2));
        assert_eq!((s.find(0), s.find(1)), (0, 1));
    }
}
