//! The keyed diff: from the kept tree (ids as the client has them) to a new render.
//!
//! Matched new nodes inherit the old ids; inserted subtrees get fresh ones. For each parent the
//! operations are, in order: removes of unmatched old children (descending index, runs merged),
//! then moves and inserts reaching the new order (only children outside the longest increasing
//! subsequence of old positions move; runs of new children are inserted with one operation),
//! then the changes inside matched children (attributes, text, their own children), addressed
//! by their final positions.
//!
//! Matching of the children of one parent:
//! - a keyed element (`dj-key`) matches the old element with the same key and tag;
//! - an unkeyed child matches the old child at the same offset before the same keyed sibling
//!   (or before the end of the list), if it is unkeyed too and of the same kind and tag — so the
//!   whitespace a template writes before each keyed row travels with its row, and the list's
//!   tail stays put;
//! - the unkeyed children left over match the next compatible unmatched old child, in order.
//!
//! Fast path: two matched subtrees that are the same node by node (same kinds, structure, start
//! tags, end tags and texts as written) are equal; their ids are copied over in one pass. When
//! the old tree is a parsed render (its element spans cover their subtrees), comparing the
//! subtrees' source bytes says the same.

mod children;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::entities::Unknown;
use super::html::View;
use super::patch::Patch;
use super::tokenizer::{eq_name, Attribute};
use super::tree::{
    attr_value, key_of, tag_attributes, text_value, IdAllocator, Node, Tree, F_EXPLICIT_CLOSE,
    F_RAW, F_SKIP_LF, NONE,
};

/// The result of [`diff`].
#[derive(Debug, Clone, Default)]
pub struct Diff {
    /// The operations, in application order.
    pub patches: Vec<Patch>,
    /// A changed attribute holds a character reference the server cannot decode: send the
    /// whole HTML instead of `patches`.
    pub needs_html: bool,
}

/// Diffs `new` against `old` and gives every element of `new` its id: the old one where it was
/// matched, a fresh one from `ids` where it is inserted.
pub fn diff(old: &Tree, new: &mut Tree, ids: &mut IdAllocator) -> Diff {
    diff_kept(View::of(old), true, new, ids)
}

/// [`diff`] from a kept tree read as `old`; `spans_cover`: its element spans cover their
/// subtrees (a parsed render, not an expanded [`super::kept::Compact`]).
pub(crate) fn diff_kept(
    old: View<'_>,
    spans_cover: bool,
    new: &mut Tree,
    ids: &mut IdAllocator,
) -> Diff {
    let Tree {
        src,
        nodes,
        ids: nids,
        ..
    } = new;
    let mut d = Differ {
        old,
        spans_cover,
        nsrc: src,
        nnodes: nodes,
        nids,
        alloc: ids,
        out: Diff::default(),
        s: Vec::new(),
        cur: Vec::new(),
        keys: HashMap::default(),
        abuf: (Vec::new(), Vec::new()),
        count: 0,
    };
    d.children(0, None, None);
    d.out
}

type KeyMap<'a> = HashMap<&'a str, u32, BuildHasherDefault<FxHasher>>;

struct Differ<'a> {
    old: View<'a>,
    /// The old tree's element spans cover their subtrees.
    spans_cover: bool,
    nsrc: &'a str,
    nnodes: &'a [Node],
    nids: &'a mut [u32],
    alloc: &'a mut IdAllocator,
    out: Diff,
    /// Scratch stack: each `children` call pushes its frame and truncates it on return.
    s: Vec<u32>,
    /// Scratch: the current order of children while moves are computed.
    cur: Vec<u32>,
    keys: KeyMap<'a>,
    /// Scratch: attributes of an old and a new start tag.
    abuf: (Vec<Attribute>, Vec<Attribute>),
    /// How many children the parent being reconciled has before the next remove, insert or
    /// move (what the client checks before applying it).
    count: u32,
}

/// Where a frame's arrays start in the scratch stack.
#[derive(Clone, Copy)]
struct Frame {
    /// Old children (node indices), `m` entries.
    oc: usize,
    /// New children (node indices), `n` entries.
    nc: usize,
    /// For each new child: the matched old child (local index) or `NONE`.
    nm: usize,
    /// For each old child: the matched new child (local index) or `NONE`.
    om: usize,
    /// For each old child: the next keyed old child (local index) or `NONE`.
    oa: usize,
    /// For each new child: the next keyed new child (local index) or `NONE`.
    na: usize,
    m: usize,
    n: usize,
}

impl<'a> Differ<'a> {
    fn new_view(&self) -> View<'_> {
        View {
            src: self.nsrc,
            nodes: self.nnodes,
            ids: self.nids,
        }
    }

    fn otag(&self, i: usize) -> &'a str {
        self.old.nodes[i].name(self.old.src)
    }

    fn ntag(&self, i: usize) -> &'a str {
        self.nnodes[i].name(self.nsrc)
    }

    fn okey(&self, i: usize) -> Option<&'a str> {
        key_of(self.old.src, &self.old.nodes[i])
    }

    fn nkey(&self, i: usize) -> Option<&'a str> {
        key_of(self.nsrc, &self.nnodes[i])
    }

    /// Same kind, and for elements the same tag.
    fn compatible(&self, o: usize, n: usize) -> bool {
        let (on, nn) = (&self.old.nodes[o], &self.nnodes[n]);
        match (on.is_text(), nn.is_text()) {
            (true, true) => true,
            (false, false) => eq_name(self.otag(o), self.ntag(n)),
            _ => false,
        }
    }

    /// Whether old child `j` and new child `k` (local indices) match by themselves: same key
    /// and tag, or both unkeyed, compatible and before the same keyed sibling (or the end).
    fn pair(&self, f: Frame, j: usize, k: usize) -> bool {
        let (o, n) = (self.s[f.oc + j] as usize, self.s[f.nc + k] as usize);
        match (self.okey(o), self.nkey(n)) {
            (Some(a), Some(b)) => a == b && self.compatible(o, n),
            (None, None) => self.compatible(o, n) && self.same_anchor(f, j, k),
            _ => false,
        }
    }

    /// Whether unkeyed children `j` (old) and `k` (new) come before the same keyed sibling.
    fn same_anchor(&self, f: Frame, j: usize, k: usize) -> bool {
        match (self.s[f.oa + j], self.s[f.na + k]) {
            (NONE, NONE) => true,
            (NONE, _) | (_, NONE) => false,
            (a, b) => {
                let o = self.s[f.oc + a as usize] as usize;
                let n = self.s[f.nc + b as usize] as usize;
                self.okey(o) == self.nkey(n)
            }
        }
    }

    fn link(&mut self, f: Frame, j: usize, k: usize) {
        self.s[f.nm + k] = j as u32;
        self.s[f.om + j] = k as u32;
    }

    /// Reconciles the children of old element `oparent` and new element `nparent` (`None`: the
    /// roots), whose id is `d`.
    fn children(&mut self, d: u32, oparent: Option<usize>, nparent: Option<usize>) {
        let (os, oe) = oparent.map_or((0, self.old.nodes.len()), |p| {
            (p + 1, self.old.nodes[p].next as usize)
        });
        let (ns, ne) = nparent.map_or((0, self.nnodes.len()), |p| {
            (p + 1, self.nnodes[p].next as usize)
        });
        let base = self.s.len();
        let mut i = os;
        while i < oe {
            self.s.push(i as u32);
            i = self.old.nodes[i].next as usize;
        }
        let m = self.s.len() - base;
        let mut i = ns;
        while i < ne {
            self.s.push(i as u32);
            i = self.nnodes[i].next as usize;
        }
        let n = self.s.len() - base - m;
        self.count = m as u32;
        if n == 0 {
            if m > 0 {
                self.out.patches.push(Patch::Html {
                    d,
                    html: String::new(),
                });
            }
            self.s.truncate(base);
            return;
        }
        if m == 0 {
            self.insert(d, 0, ns, ne, n as u32);
            self.s.truncate(base);
            return;
        }
        let f = Frame {
            oc: base,
            nc: base + m,
            nm: base + m + n,
            om: base + m + 2 * n,
            oa: base + 2 * m + 2 * n,
            na: base + 3 * m + 2 * n,
            m,
            n,
        };
        self.s.resize(f.na + n, NONE);
        let mut next = NONE;
        for j in (0..m).rev() {
            self.s[f.oa + j] = next;
            if self.old.nodes[self.s[f.oc + j] as usize].is_keyed() {
                next = j as u32;
            }
        }
        let mut next = NONE;
        for k in (0..n).rev() {
            self.s[f.na + k] = next;
            if self.nnodes[self.s[f.nc + k] as usize].is_keyed() {
                next = k as u32;
            }
        }
        let matched = self.match_children(f);
        if matched == 0 {
            self.assign_fresh(ns, ne);
            let mut html = String::new();
            self.new_view().write_range(ns, ne, &mut html);
            self.out.patches.push(Patch::Html { d, html });
            self.s.truncate(base);
            return;
        }
        self.removes(d, f);
        self.order(d, f, matched);
        // Changes inside matched children, in their final order.
        for k in 0..n {
            let j = self.s[f.nm + k];
            if j == NONE {
                continue;
            }
            let o = self.s[f.oc + j as usize] as usize;
            let nn = self.s[f.nc + k] as usize;
            if self.nnodes[nn].is_text() {
                self.text(d, k as u32, n as u32, o, nn);
            } else {
                self.element(o, nn);
            }
        }
        self.s.truncate(base);
    }

    /// A matched text child `k` of `d`, which has `c` children.
    fn text(&mut self, d: u32, k: u32, c: u32, o: usize, n: usize) {
        let (on, nn) = (&self.old.nodes[o], &self.nnodes[n]);
        let same_flags = (on.flags ^ nn.flags) & (F_SKIP_LF | F_RAW) == 0;
        if same_flags && on.span.of(self.old.src) == nn.span.of(self.nsrc) {
            return;
        }
        let new = text_value(self.nsrc, nn);
        if let (Ok(a), Ok(b)) = (text_value(self.old.src, on), &new) {
            if a == *b {
                return;
            }
        }
        let patch = match new {
            Ok(v) => Patch::Text {
                d,
                i: k,
                value: v.into_owned(),
                raw: false,
                c,
            },
            Err(Unknown) => {
                let mut raw = String::new();
                self.new_view().write_node(n, true, &mut raw);
                Patch::Text {
                    d,
                    i: k,
                    value: raw,
                    raw: true,
                    c,
                }
            }
        };
        self.out.patches.push(patch);
    }

    /// A matched element: id, attributes, children.
    fn element(&mut self, o: usize, n: usize) {
        let id = self.old.ids[o];
        self.nids[n] = id;
        let (on, nn) = (self.old.nodes[o], self.nnodes[n]);
        if self.same_subtree(o, n) {
            let len = (on.next as usize) - o;
            let oids = &self.old.ids[o..o + len];
            self.nids[n..n + len].copy_from_slice(oids);
            return;
        }
        let otag = &self.old.src[on.span.start as usize..on.tag_end as usize];
        let ntag = &self.nsrc[nn.span.start as usize..nn.tag_end as usize];
        if otag != ntag {
            self.attributes(id, &on, &nn);
        }
        self.children(id, Some(o), Some(n));
    }

    /// Whether old subtree `o` and new subtree `n` are the same (see the module docs).
    fn same_subtree(&self, o: usize, n: usize) -> bool {
        let (on, nn) = (&self.old.nodes[o], &self.nnodes[n]);
        let len = on.next as usize - o;
        if nn.next as usize - n != len {
            return false;
        }
        if self.spans_cover {
            return on.span.of(self.old.src) == nn.span.of(self.nsrc);
        }
        let (osrc, nsrc) = (self.old.src.as_bytes(), self.nsrc.as_bytes());
        let olds = &self.old.nodes[o..o + len];
        let news = &self.nnodes[n..n + len];
        olds.iter().zip(news).enumerate().all(|(k, (a, b))| {
            a.flags == b.flags
                && a.next as usize - (o + k) == b.next as usize - (n + k)
                && if a.is_text() {
                    osrc[a.span.start as usize..a.span.end as usize]
                        == nsrc[b.span.start as usize..b.span.end as usize]
                } else {
                    osrc[a.span.start as usize..a.tag_end as usize]
                        == nsrc[b.span.start as usize..b.tag_end as usize]
                        && close_of(self.old.src, a) == close_of(self.nsrc, b)
                }
        })
    }

    fn attributes(&mut self, d: u32, on: &Node, nn: &Node) {
        let (osrc, nsrc) = (self.old.src, self.nsrc);
        let (mut oattrs, mut nattrs) = std::mem::take(&mut self.abuf);
        tag_attributes(osrc, on, &mut oattrs);
        tag_attributes(nsrc, nn, &mut nattrs);
        // The first attribute of each name counts (as in browsers); `dj-id` is ours.
        let first = |attrs: &[Attribute], src: &str, i: usize| {
            let name = attrs[i].name.of(src);
            !eq_name(name, "dj-id") && !attrs[..i].iter().any(|a| eq_name(a.name.of(src), name))
        };
        for (i, a) in nattrs.iter().enumerate() {
            if !first(&nattrs, nsrc, i) {
                continue;
            }
            let name = a.name.of(nsrc);
            let old = oattrs.iter().find(|b| eq_name(b.name.of(osrc), name));
            let raw_new = a.value.map(|v| v.of(nsrc));
            if let Some(b) = old {
                if b.value.map(|v| v.of(osrc)) == raw_new {
                    continue;
                }
            }
            let value = match attr_value(nsrc, a) {
                Ok(v) => v,
                Err(Unknown) => {
                    self.out.needs_html = true;
                    raw_new.unwrap_or_default().into()
                }
            };
            if let Some(b) = old {
                if attr_value(osrc, b).is_ok_and(|v| v == value) {
                    continue;
                }
            }
            self.out.patches.push(Patch::Attr {
                d,
                k: dom_name(name, nn),
                v: value.into_owned(),
            });
        }
        for (i, b) in oattrs.iter().enumerate() {
            if !first(&oattrs, osrc, i) {
                continue;
            }
            let name = b.name.of(osrc);
            if !nattrs.iter().any(|a| eq_name(a.name.of(nsrc), name)) {
                self.out.patches.push(Patch::RmAttr {
                    d,
                    k: dom_name(name, on),
                });
            }
        }
        self.abuf = (oattrs, nattrs);
    }
}

/// The end tag of element `n` as written (empty when not in the source).
fn close_of<'s>(src: &'s str, n: &Node) -> &'s str {
    if n.flags & F_EXPLICIT_CLOSE != 0 {
        &src[n.close_start as usize..n.span.end as usize]
    } else {
        ""
    }
}

/// The name an attribute patch carries: on SVG/MathML elements the DOM's name (`viewBox`),
/// which `setAttribute` does not fix; on HTML elements as written (`setAttribute` lowers it).
fn dom_name(name: &str, n: &Node) -> String {
    match n.foreign() {
        None => name.to_owned(),
        foreign => super::tags::attribute_name(name, foreign).into_owned(),
    }
}

/// A fast, non-cryptographic hasher for keys (FxHash).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
