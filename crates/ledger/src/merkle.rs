//! The append-only Merkle log of Certificate Transparency (RFC 6962 §2.1,
//! RFC 9162 §2.1): leaf and node hashes with domain separation, the tree
//! head of any prefix of the log, and the audit paths that let a delegation
//! check offline that an event is in the log (inclusion) and that a later
//! log extends an earlier one without rewriting it (consistency).

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash of the empty tree: SHA-256 of no bytes.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// A leaf's hash: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// An interior node's hash: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two below `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// The tree head MTH of `leaves` (leaf hashes), RFC 9162 §2.1.1.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The tree head of a growing log, kept as its compact range: the roots
/// of the perfect subtrees its size decomposes into (largest first), so
/// that appending a leaf costs O(log n) hashes amortised and the head
/// O(log n), instead of rehashing every leaf (RFC 9162 §2.1.1's MTH,
/// folded from the right).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    /// (leaves covered, subtree root), sizes strictly decreasing powers
    /// of two.
    subtrees: Vec<(u64, Hash)>,
}

impl Frontier {
    /// Append a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        self.subtrees.push((1, leaf));
        while let [.., (a, l), (b, r)] = self.subtrees[..] {
            if a != b {
                break;
            }
            self.subtrees.truncate(self.subtrees.len() - 2);
            self.subtrees.push((a + b, node_hash(&l, &r)));
        }
    }

    /// The tree head of the leaves pushed so far.
    pub fn root(&self) -> Hash {
        let mut it = self.subtrees.iter().rev();
        let Some(&(_, mut h)) = it.next() else {
            return empty_root();
        };
        for (_, left) in it {
            h = node_hash(left, &h);
        }
        h
    }
}

/// The inclusion proof (audit path) of leaf `index` in the tree of
/// `leaves`, RFC 9162 §2.1.3.1; `None` if `index` is not in the tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    fn path(m: usize, d: &[Hash], out: &mut Vec<Hash>) {
        let n = d.len();
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            path(m, &d[..k], out);
            out.push(root(&d[k..]));
        } else {
            path(m - k, &d[k..], out);
            out.push(root(&d[..k]));
        }
    }
    if index >= leaves.len() {
        return None;
    }
    let mut out = Vec::new();
    path(index, leaves, &mut out);
    Some(out)
}

/// Check an inclusion proof, RFC 9162 §2.1.3.2.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// The consistency proof between the tree of the first `first` leaves
/// and the tree of all `leaves`, RFC 9162 §2.1.4.1; `None` unless
/// 0 < first ≤ leaves.len().
pub fn consistency_proof(leaves: &[Hash], first: usize) -> Option<Vec<Hash>> {
    fn sub(m: usize, d: &[Hash], whole: bool, out: &mut Vec<Hash>) {
        let n = d.len();
        if m == n {
            if !whole {
                out.push(root(d));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            sub(m, &d[..k], whole, out);
            out.push(root(&d[k..]));
        } else {
            sub(m - k, &d[k..], false, out);
            out.push(root(&d[..k]));
        }
    }
    if first == 0 || first > leaves.len() {
        return None;
    }
    let mut out = Vec::new();
    sub(first, leaves, true, &mut out);
    Some(out)
}

/// Check a consistency proof, RFC 9162 §2.1.4.2: the tree of `second`
/// leaves with head `second_root` extends the tree of `first` leaves with
/// head `first_root`.
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> bool {
    if first == 0 || first > second {
        return false;
    }
    if first == second {
        return proof.is_empty() && first_root == second_root;
    }
    if proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *first_root && sr == *second_root && s == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_gives_the_tree_head_of_every_size() {
        let leaves: Vec<Hash> = (0..300u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut f = Frontier::default();
        assert_eq!(f.root(), empty_root());
        for n in 1..=leaves.len() {
            f.push(leaves[n - 1]);
            assert_eq!(f.root(), root(&leaves[..n]), "size {n}");
        }
    }

    fn h(s: &str) -> Hash {
        let v = hex::decode(s).unwrap();
        v.try_into().unwrap()
    }

    /// The Certificate Transparency reference leaves and the tree heads
    /// of their prefixes (published with RFC 6962's reference
    /// implementations).
    fn ct_leaves() -> Vec<Hash> {
        [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ]
        .iter()
        .map(|x| leaf_hash(&hex::decode(x).unwrap()))
        .collect()
    }

    const CT_ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn tree_heads_match_the_reference() {
        let leaves = ct_leaves();
        for n in 0..=8 {
            assert_eq!(root(&leaves[..n]), h(CT_ROOTS[n]), "size {n}");
        }
    }

    #[test]
    fn audit_paths_match_the_reference() {
        let leaves = ct_leaves();
        assert_eq!(
            inclusion_proof(&leaves, 0).unwrap(),
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ]
        );
        assert_eq!(
            inclusion_proof(&leaves, 5).unwrap(),
            vec![
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ]
        );
    }

    /// Every leaf of every tree up to 40 leaves proves its inclusion, and
    /// any change — another leaf, another index, a flipped bit in the
    /// path, another size — fails.
    #[test]
    fn inclusion_proofs_verify_and_tampering_fails() {
        let leaves: Vec<Hash> = (0..40u8)
            .map(|i| leaf_hash(&[i, i.wrapping_mul(7)]))
            .collect();
        for n in 1..=leaves.len() {
            let d = &leaves[..n];
            let r = root(d);
            for i in 0..n {
                let p = inclusion_proof(d, i).unwrap();
                assert!(
                    verify_inclusion(i as u64, n as u64, &d[i], &p, &r),
                    "{i} of {n}"
                );
                let other = (i + 1) % n;
                if other != i {
                    assert!(!verify_inclusion(i as u64, n as u64, &d[other], &p, &r));
                }
                assert!(!verify_inclusion(
                    i as u64 + n as u64,
                    n as u64,
                    &d[i],
                    &p,
                    &r
                ));
                for k in 0..p.len() {
                    let mut bad = p.clone();
                    bad[k][7] ^= 1;
                    assert!(!verify_inclusion(i as u64, n as u64, &d[i], &bad, &r));
                }
            }
            assert!(inclusion_proof(d, n).is_none());
        }
    }

    /// Every earlier tree up to 40 leaves is consistent with every later
    /// one; a flipped bit, a different earlier head or a reordered leaf is
    /// caught.
    #[test]
    fn consistency_proofs_verify_and_tampering_fails() {
        let leaves: Vec<Hash> = (0..40u8).map(|i| leaf_hash(&[i])).collect();
        for n in 1..=leaves.len() {
            let rn = root(&leaves[..n]);
            for m in 1..=n {
                let rm = root(&leaves[..m]);
                let p = consistency_proof(&leaves[..n], m).unwrap();
                assert!(
                    verify_consistency(m as u64, n as u64, &rm, &rn, &p),
                    "{m} → {n}"
                );
                for k in 0..p.len() {
                    let mut bad = p.clone();
                    bad[k][0] ^= 0x80;
                    assert!(!verify_consistency(m as u64, n as u64, &rm, &rn, &bad));
                }
                if m < n {
                    // A rewritten history: the first leaf swapped with the
                    // last.
                    let mut forged = leaves[..n].to_vec();
                    forged.swap(0, n - 1);
                    let rf = root(&forged);
                    assert!(!verify_consistency(m as u64, n as u64, &rm, &rf, &p));
                    let wrong = root(&leaves[1..m + 1]);
                    assert!(!verify_consistency(m as u64, n as u64, &wrong, &rn, &p));
                }
            }
        }
    }
}
