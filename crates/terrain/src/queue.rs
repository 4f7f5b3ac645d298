//! The priority queue entry shared by the least-cost searches (breaching,
//! the thalweg): a cost and a cell, popped cheapest first, ties by cell.

use std::cmp::Ordering;

/// A cell and its cost; `BinaryHeap<Cheapest>` pops the lowest cost.
#[derive(Debug, PartialEq)]
pub(crate) struct Cheapest(pub f64, pub usize);

impl Eq for Cheapest {}

impl PartialOrd for Cheapest {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Cheapest {
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
    }
}
