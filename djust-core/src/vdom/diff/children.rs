//! The children of one matched parent: matching new children to old ones, the removes of the
//! unmatched, the moves (outside the longest increasing subsequence) and inserts that reach the
//! new order.

use super::{Differ, Frame};
use crate::vdom::{
    patch::Patch,
    tree::{text_value, NONE},
};

impl<'a> Differ<'a> {
    /// Matches new children to old ones; returns how many matched.
    pub(super) fn match_children(&mut self, f: Frame) -> usize {
        let (m, n) = (f.m, f.n);
        let oc = |s: &Vec<u32>, j: usize| s[f.oc + j] as usize;
        let nc = |s: &Vec<u32>, k: usize| s[f.nc + k] as usize;
        let mut matched = 0;
        // Common prefix and suffix.
        let mut p = 0;
        while p < m.min(n) && self.pair(f, p, p) {
            self.link(f, p, p);
            p += 1;
        }
        let mut q = 0;
        while q < m.min(n) - p && self.pair(f, m - 1 - q, n - 1 - q) {
            self.link(f, m - 1 - q, n - 1 - q);
            q += 1;
        }
        matched += p + q;
        let (oend, nend) = (m - q, n - q);
        if p == oend || p == nend {
            return matched;
        }
        // Keyed children of the middle.
        self.keys.clear();
        for j in p..oend {
            if let Some(key) = self.okey(oc(&self.s, j)) {
                self.keys.entry(key).or_insert(j as u32);
            }
        }
        if !self.keys.is_empty() {
            for k in p..nend {
                let nn = nc(&self.s, k);
                let Some(key) = self.nkey(nn) else { continue };
                let Some(&j) = self.keys.get(key) else {
                    continue;
                };
                let j = j as usize;
                if self.s[f.om + j] == NONE && self.compatible(oc(&self.s, j), nn) {
                    self.link(f, j, k);
                    matched += 1;
                }
            }
        }
        // Unkeyed children: same offset before the same keyed sibling (or the end).
        let mut cursor = oend.checked_sub(1);
        for k in (p..nend).rev() {
            let nn = nc(&self.s, k);
            if self.nkey(nn).is_some() {
                let j = self.s[f.nm + k];
                cursor = if j == NONE {
                    None
                } else {
                    (j as usize).checked_sub(1)
                };
                continue;
            }
            let Some(j) = cursor else { continue };
            if j < p || self.okey(oc(&self.s, j)).is_some() {
                cursor = None;
                continue;
            }
            cursor = j.checked_sub(1);
            if self.s[f.om + j] == NONE && self.compatible(oc(&self.s, j), nn) {
                self.link(f, j, k);
                matched += 1;
            }
        }
        // Leftover unkeyed children: a compatible unmatched old child between the old
        // positions of their matched neighbours (so that no move is needed).
        let mut ptr = p;
        for k in p..nend {
            let j = self.s[f.nm + k];
            if j != NONE {
                ptr = j as usize + 1;
                continue;
            }
            let nn = nc(&self.s, k);
            if self.nkey(nn).is_some() {
                continue;
            }
            let mut j = ptr;
            while j < oend && j < ptr + 16 && self.s[f.om + j] == NONE {
                let o = oc(&self.s, j);
                if self.okey(o).is_none() && self.compatible(o, nn) {
                    self.link(f, j, k);
                    matched += 1;
                    ptr = j + 1;
                    break;
                }
                j += 1;
            }
        }
        matched
    }

    /// Removes the unmatched old children, last first, runs merged.
    pub(super) fn removes(&mut self, d: u32, f: Frame) {
        let mut j = f.m;
        while j > 0 {
            j -= 1;
            if self.s[f.om + j] != NONE {
                continue;
            }
            let end = j;
            while j > 0 && self.s[f.om + j - 1] == NONE {
                j -= 1;
            }
            let n = (end - j + 1) as u32;
            self.out.patches.push(Patch::Remove {
                d,
                i: j as u32,
                n,
                c: self.count,
            });
            self.count -= n;
        }
    }

    /// Moves and inserts from the old order (minus removed children) to the new order.
    pub(super) fn order(&mut self, d: u32, f: Frame, matched: usize) {
        let n = f.n;
        // Already in order? Then only inserts, at their final indices.
        let mut last = -1i64;
        let mut sorted = true;
        for k in 0..n {
            let j = self.s[f.nm + k];
            if j != NONE {
                if i64::from(j) < last {
                    sorted = false;
                    break;
                }
                last = i64::from(j);
            }
        }
        if sorted {
            let mut k = 0;
            while k < n {
                if self.s[f.nm + k] != NONE {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < n && self.s[f.nm + k] == NONE {
                    k += 1;
                }
                self.insert_run(d, start as u32, f, start, k);
            }
            return;
        }
        let in_lis = self.lis(f, matched);
        // `cur`: the children after the removes (new local indices), in old order.
        let mut cur = std::mem::take(&mut self.cur);
        cur.clear();
        for j in 0..f.m {
            let k = self.s[f.om + j];
            if k != NONE {
                cur.push(k);
            }
        }
        let pos = |cur: &Vec<u32>, k: usize| {
            cur.iter()
                .position(|&c| c as usize == k)
                .expect("child in current order")
        };
        let mut k = 0;
        while k < n {
            if self.s[f.nm + k] == NONE {
                let start = k;
                while k < n && self.s[f.nm + k] == NONE {
                    k += 1;
                }
                let at = if start == 0 {
                    0
                } else {
                    pos(&cur, start - 1) + 1
                };
                cur.splice(at..at, (start..k).map(|c| c as u32));
                self.insert_run(d, at as u32, f, start, k);
                continue;
            }
            if self.s[in_lis + k] == 0 {
                let from = pos(&cur, k);
                let to = match k.checked_sub(1).map(|pk| pos(&cur, pk)) {
                    None => 0,
                    Some(q) if from > q => q + 1,
                    Some(q) => q,
                };
                if from != to {
                    cur.remove(from);
                    cur.insert(to, k as u32);
                    self.out.patches.push(Patch::Move {
                        d,
                        from: from as u32,
                        to: to as u32,
                        c: self.count,
                    });
                }
            }
            k += 1;
        }
        self.cur = cur;
    }

    /// Marks the new children in a longest increasing subsequence of old positions. Returns the
    /// offset in the scratch stack of `n` flags (1 = in the subsequence).
    fn lis(&mut self, f: Frame, matched: usize) -> usize {
        let n = f.n;
        let flags = self.s.len();
        self.s.resize(flags + n, 0);
        // Patience sorting over the matched children: `tails[l]` = new index ending the best
        // subsequence of length l + 1; `prev[k]` = the previous new index in it.
        let tails = self.s.len();
        self.s.resize(tails + matched, NONE);
        let prev = self.s.len();
        self.s.resize(prev + n, NONE);
        let mut len = 0;
        for k in 0..n {
            let j = self.s[f.nm + k];
            if j == NONE {
                continue;
            }
            // First tail whose old position is >= j.
            let (mut lo, mut hi) = (0, len);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let t = self.s[tails + mid] as usize;
                if self.s[f.nm + t] < j {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if lo > 0 {
                self.s[prev + k] = self.s[tails + lo - 1];
            }
            self.s[tails + lo] = k as u32;
            if lo == len {
                len += 1;
            }
        }
        if len > 0 {
            let mut k = self.s[tails + len - 1];
            loop {
                self.s[flags + k as usize] = 1;
                k = self.s[prev + k as usize];
                if k == NONE {
                    break;
                }
            }
        }
        self.s.truncate(tails);
        flags
    }

    /// Inserts new children `start..end` (local indices, consecutive) at index `at` of `d`.
    fn insert_run(&mut self, d: u32, at: u32, f: Frame, start: usize, end: usize) {
        let from = self.s[f.nc + start] as usize;
        let last = self.s[f.nc + end - 1] as usize;
        let to = self.nnodes[last].next as usize;
        self.insert(d, at, from, to, (end - start) as u32);
    }

    /// Inserts the new nodes `from..to` (`siblings` whole sibling subtrees) at index `at` of
    /// `d`.
    pub(super) fn insert(&mut self, d: u32, at: u32, from: usize, to: usize, siblings: u32) {
        self.assign_fresh(from, to);
        let c = self.count;
        self.count += siblings;
        if to == from + 1 && self.nnodes[from].is_text() {
            if let Ok(t) = text_value(self.nsrc, &self.nnodes[from]) {
                self.out.patches.push(Patch::InsertText {
                    d,
                    i: at,
                    t: t.into_owned(),
                    c,
                });
                return;
            }
        }
        let mut html = String::new();
        self.new_view().write_range(from, to, &mut html);
        self.out.patches.push(Patch::Insert { d, i: at, html, c });
    }

    pub(super) fn assign_fresh(&mut self, from: usize, to: usize) {
        for i in from..to {
            if !self.nnodes[i].is_text() {
                self.nids[i] = self.alloc.allocate();
            }
        }
    }
}
