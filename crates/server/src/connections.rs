//! How many connections the service holds open, per address and in all:
//! a client that opens connections and never finishes a request cannot
//! take every slot.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open connections by address.
pub struct Connections {
    per_address: usize,
    total: usize,
    open: Arc<Mutex<(HashMap<IpAddr, usize>, usize)>>,
}

/// One open connection; its slot is given back when dropped.
pub struct Slot {
    ip: IpAddr,
    open: Arc<Mutex<(HashMap<IpAddr, usize>, usize)>>,
}

impl Connections {
    /// At most `per_address` from one address, `total` in all.
    pub fn new(per_address: usize, total: usize) -> Connections {
        Connections {
            per_address,
            total,
            open: Arc::new(Mutex::new((HashMap::new(), 0))),
        }
    }

    /// A slot for a connection from `ip`, or None when it would go over.
    pub fn take(&self, ip: IpAddr) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.1 >= self.total {
            return None;
        }
        let n = open.0.entry(ip).or_insert(0);
        if *n >= self.per_address {
            return None;
        }
        *n += 1;
        open.1 += 1;
        Some(Slot {
            ip,
            open: self.open.clone(),
        })
    }

    /// Connections open now.
    pub fn len(&self) -> usize {
        self.open.lock().map(|o| o.1).unwrap_or(0)
    }

    /// Whether none is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.0.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.0.remove(&self.ip);
            }
        }
        open.1 = open.1.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_per_address_and_in_all_are_given_back() {
        let c = Connections::new(2, 3);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let s1 = c.take(a).unwrap();
        let _s2 = c.take(a).unwrap();
        assert!(c.take(a).is_none(), "per address");
        let _s3 = c.take(b).unwrap();
        assert!(c.take(b).is_none(), "in all");
        drop(s1);
        assert!(c.take(a).is_some());
        assert_eq!(c.len(), 2);
    }
}
