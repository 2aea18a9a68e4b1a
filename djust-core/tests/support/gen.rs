//! Random old/new template outputs for property tests (shared by `tests/prop.rs` and
//! `examples/prop_cases.rs`). Deterministic for a seed; no external crates.
//!
//! A random tree (div/span/p/b/ul>li/table>tbody>tr>td, pre, textarea, keyed lists with or
//! without whitespace between items, text with whitespace and references, attributes,
//! comments, `<select>` options, `<svg>` with camel-case names written in any case, `<template>`,
//! near-void elements) is rendered, then mutated (text and attribute edits, keyed reorders,
//! inserts and removals, unkeyed inserts/removals, tag changes) and rendered again. Rendering
//! writes the shapes the HTML parser completes: end tags HTML lets you leave out (`</li>`,
//! `</td>`, `</tr>`, `</option>`, `</p>` before a block…) and tables without `<tbody>`.

#![allow(dead_code, unreachable_pub)]

/// splitmix64.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p` percent.
    pub fn chance(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A node of the model.
#[derive(Debug, Clone)]
enum G {
    El {
        tag: &'static str,
        attrs: Vec<(&'static str, Option<String>)>,
        key: Option<u32>,
        /// Whitespace text between children when rendered.
        ws: bool,
        children: Vec<G>,
    },
    Text(String),
    Comment,
}

const TEXTS: [&str; 18] = [
    "a",
    "hello",
    "world",
    " ",
    "\n  ",
    "&amp;",
    "&lt;x&gt;",
    "é",
    "&nbsp;",
    "&#169;",
    "x &copy y",
    "\"q\"",
    "1 < 2",
    "&fjlig;",
    "a & b",
    "&#x41;",
    "'s'",
    "long text here",
];
const CLASSES: [&str; 6] = ["a", "b c", "active", "x&amp;y", "", "row"];

/// What may go inside an element.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Flow,
    Inline,
}

struct Gen<'a> {
    rng: &'a mut Rng,
    next_key: u32,
}

impl Gen<'_> {
    fn text(&mut self) -> G {
        let n = 1 + self.rng.below(2);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(self.rng.pick::<&str>(&TEXTS));
        }
        G::Text(s)
    }

    fn attrs(&mut self) -> Vec<(&'static str, Option<String>)> {
        let mut a = Vec::new();
        if self.rng.chance(40) {
            a.push(("class", Some((*self.rng.pick(&CLASSES)).to_owned())));
        }
        if self.rng.chance(15) {
            a.push(("title", Some(format!("t{}", self.rng.below(3)))));
        }
        if self.rng.chance(10) {
            a.push(("hidden", None));
        }
        if self.rng.chance(10) {
            a.push((
                "data-x",
                Some(format!("{}&amp;{}", self.rng.below(3), self.rng.below(2))),
            ));
        }
        a
    }

    fn el(&mut self, tag: &'static str, children: Vec<G>) -> G {
        G::El {
            tag,
            attrs: self.attrs(),
            key: None,
            ws: false,
            children,
        }
    }

    fn keyed(&mut self, tag: &'static str, children: Vec<G>) -> G {
        self.next_key += 1;
        G::El {
            tag,
            attrs: self.attrs(),
            key: Some(self.next_key),
            ws: false,
            children,
        }
    }

    fn node(&mut self, ctx: Ctx, depth: u32) -> G {
        let r = self.rng.below(if depth == 0 { 3 } else { 17 });
        match (ctx, r) {
            (_, 0 | 1) => self.text(),
            (_, 2) if self.rng.chance(30) => G::Comment,
            (_, 2) => self.text(),
            (Ctx::Inline, _) => {
                let tag = *self.rng.pick(&["span", "b"]);
                let ch = self.nodes(Ctx::Inline, depth - 1, 3);
                self.el(tag, ch)
            }
            (Ctx::Flow, 3 | 4) => {
                let ch = self.nodes(Ctx::Flow, depth - 1, 4);
                self.el("div", ch)
            }
            (Ctx::Flow, 5) => {
                let ch = self.nodes(Ctx::Inline, depth - 1, 3);
                self.el("p", ch)
            }
            (Ctx::Flow, 6) => {
                let tag = *self.rng.pick(&["span", "b"]);
                let ch = self.nodes(Ctx::Inline, depth - 1, 3);
                self.el(tag, ch)
            }
            (Ctx::Flow, 7 | 8) => self.list(depth),
            (Ctx::Flow, 9) => self.table(depth),
            (Ctx::Flow, 10) => {
                let lf = if self.rng.chance(50) { "\n" } else { "" };
                let t = format!("{lf}{}", self.rng.pick(&TEXTS));
                self.el("pre", vec![G::Text(t)])
            }
            (Ctx::Flow, 11) => {
                let t = self.rng.pick(&TEXTS).to_string();
                self.el("textarea", vec![G::Text(t)])
            }
            (Ctx::Flow, 12) => {
                let t = format!("var x = {} < 2 && '</p>';", self.rng.below(5));
                self.el("script", vec![G::Text(t)])
            }
            (Ctx::Flow, 14) => self.svg(),
            (Ctx::Flow, 15) => {
                let ch = self.nodes(Ctx::Flow, depth - 1, 3);
                self.el("template", ch)
            }
            (Ctx::Flow, 16) => self.select(),
            (Ctx::Flow, _) => {
                let ch = vec![G::Text("x".into())];
                let tag = *self
                    .rng
                    .pick(&["br", "hr", "img", "wbr", "param", "source"]);
                self.el(tag, ch)
            }
        }
    }

    fn svg_attrs(&mut self) -> Vec<(&'static str, Option<String>)> {
        let name = *self.rng.pick(&["viewBox", "viewbox", "VIEWBOX"]);
        vec![(name, Some(format!("0 0 {} 10", 1 + self.rng.below(3))))]
    }

    fn svg(&mut self) -> G {
        let n = self.rng.below(4);
        let children = (0..n)
            .map(|_| {
                let tag = *self.rng.pick(&["circle", "clippath", "clipPath", "rect"]);
                G::El {
                    tag,
                    attrs: vec![("r", Some(self.rng.below(3).to_string()))],
                    key: None,
                    ws: false,
                    children: Vec::new(),
                }
            })
            .collect();
        G::El {
            tag: "svg",
            attrs: self.svg_attrs(),
            key: None,
            ws: false,
            children,
        }
    }

    fn select(&mut self) -> G {
        let n = self.rng.below(4);
        let options = (0..n)
            .map(|_| {
                let t = G::Text((*self.rng.pick(&["a", "b", "long text here"])).to_owned());
                self.el("option", vec![t])
            })
            .collect();
        self.el("select", options)
    }

    fn nodes(&mut self, ctx: Ctx, depth: u32, max: usize) -> Vec<G> {
        let n = self.rng.below(max + 1);
        let mut out: Vec<G> = Vec::new();
        for _ in 0..n {
            let g = self.node(ctx, depth);
            push_node(&mut out, g);
        }
        out
    }

    fn item(&mut self, tag: &'static str, depth: u32) -> G {
        let ch = if tag == "tr" {
            let n = 1 + self.rng.below(3);
            (0..n)
                .map(|_| {
                    let c = self.nodes(Ctx::Inline, depth.saturating_sub(1), 2);
                    self.el("td", c)
                })
                .collect()
        } else {
            self.nodes(Ctx::Flow, depth.saturating_sub(1), 2)
        };
        if self.rng.chance(85) {
            self.keyed(tag, ch)
        } else {
            self.el(tag, ch)
        }
    }

    fn list(&mut self, depth: u32) -> G {
        let n = self.rng.below(7);
        let items = (0..n).map(|_| self.item("li", depth)).collect();
        let mut ul = self.el("ul", items);
        if let G::El { ws, .. } = &mut ul {
            *ws = self.rng.chance(50);
        }
        ul
    }

    fn table(&mut self, depth: u32) -> G {
        let n = self.rng.below(6);
        let rows = (0..n).map(|_| self.item("tr", depth)).collect();
        let ws = self.rng.chance(50);
        let tbody = G::El {
            tag: "tbody",
            attrs: Vec::new(),
            key: None,
            ws,
            children: rows,
        };
        G::El {
            tag: "table",
            attrs: Vec::new(),
            key: None,
            ws,
            children: vec![tbody],
        }
    }

    /// Mutates a list of siblings in place (and recursively).
    fn mutate(&mut self, nodes: &mut Vec<G>, ctx: Ctx, depth: u32, item: Option<&'static str>) {
        if let Some(tag) = item {
            // A list: keyed moves, removals, inserts.
            if nodes.len() > 1 && self.rng.chance(30) {
                match self.rng.below(4) {
                    0 => nodes.reverse(),
                    1 => {
                        let (a, b) = (self.rng.below(nodes.len()), self.rng.below(nodes.len()));
                        nodes.swap(a, b);
                    }
                    2 => {
                        let a = self.rng.below(nodes.len());
                        let n = nodes.remove(a);
                        let b = self.rng.below(nodes.len() + 1);
                        nodes.insert(b, n);
                    }
                    _ => {
                        for i in (1..nodes.len()).rev() {
                            let j = self.rng.below(i + 1);
                            nodes.swap(i, j);
                        }
                    }
                }
            }
            if self.rng.chance(25) {
                nodes.retain(|_| self.rng.chance(70));
            }
            if self.rng.chance(5) {
                nodes.clear();
            }
            if self.rng.chance(25) {
                for _ in 0..1 + self.rng.below(3) {
                    let at = self.rng.below(nodes.len() + 1);
                    let it = self.item(tag, depth);
                    nodes.insert(at, it);
                }
            }
        } else if self.rng.chance(20) {
            match self.rng.below(3) {
                0 if !nodes.is_empty() => {
                    nodes.remove(self.rng.below(nodes.len()));
                }
                _ => {
                    let at = self.rng.below(nodes.len() + 1);
                    let g = self.node(ctx, depth);
                    nodes.insert(at, g);
                }
            }
            normalize(nodes);
        }
        for node in nodes.iter_mut() {
            match node {
                G::Text(t) => {
                    if self.rng.chance(15) {
                        *t = self.rng.pick(&TEXTS).to_string();
                    }
                }
                G::Comment => {}
                G::El {
                    tag,
                    attrs,
                    children,
                    key,
                    ..
                } => {
                    if self.rng.chance(15) {
                        *attrs = if *tag == "svg" {
                            self.svg_attrs()
                        } else {
                            self.attrs()
                        };
                    }
                    if key.is_none() && self.rng.chance(4) {
                        // Tag change (same content model).
                        *tag = match *tag {
                            "span" => "b",
                            "b" => "span",
                            "div" => "section",
                            "section" => "div",
                            t => t,
                        };
                    }
                    if self.rng.chance(3) && *tag == "li" {
                        *key = Some(self.next_key + 1);
                        self.next_key += 1;
                    }
                    let tag = *tag;
                    let (cctx, citem) = match tag {
                        "ul" => (Ctx::Flow, Some("li")),
                        "tbody" => (Ctx::Flow, Some("tr")),
                        "table" | "tr" | "pre" | "textarea" | "script" | "br" | "hr" | "img"
                        | "wbr" | "param" | "source" | "svg" | "select" => {
                            if matches!(tag, "pre" | "textarea" | "script") && self.rng.chance(30) {
                                if let Some(G::Text(t)) = children.first_mut() {
                                    t.push_str(self.rng.pick::<&str>(&TEXTS));
                                } else {
                                    children.push(G::Text("z".into()));
                                }
                            }
                            if matches!(tag, "table" | "tr") {
                                let mut c = std::mem::take(children);
                                for ch in &mut c {
                                    if let G::El {
                                        children: cc,
                                        tag: t,
                                        ..
                                    } = ch
                                    {
                                        let sub = if *t == "tbody" { Some("tr") } else { None };
                                        let ictx = if *t == "td" { Ctx::Inline } else { Ctx::Flow };
                                        if sub.is_some() {
                                            self.mutate(
                                                cc,
                                                Ctx::Flow,
                                                depth.saturating_sub(1),
                                                sub,
                                            );
                                        } else {
                                            self.mutate(cc, ictx, depth.saturating_sub(1), None);
                                        }
                                    }
                                }
                                *children = c;
                            }
                            continue;
                        }
                        "p" | "span" | "b" => (Ctx::Inline, None),
                        _ => (Ctx::Flow, None),
                    };
                    self.mutate(children, cctx, depth.saturating_sub(1), citem);
                }
            }
        }
    }
}

/// Adds a node, merging adjacent text (the tree merges it too; keeping the model honest).
fn push_node(out: &mut Vec<G>, g: G) {
    if let (Some(G::Text(a)), G::Text(b)) = (out.last_mut(), &g) {
        a.push_str(b);
        return;
    }
    out.push(g);
}

fn normalize(nodes: &mut Vec<G>) {
    let old = std::mem::take(nodes);
    for g in old {
        push_node(nodes, g);
    }
}

/// Renders `nodes`; `rng` picks which optional tags to leave out (the parser adds them back).
fn render(nodes: &[G], ws: bool, out: &mut String, rng: &mut Rng) {
    for (i, g) in nodes.iter().enumerate() {
        if ws {
            out.push_str("\n  ");
        }
        match g {
            G::Text(t) => out.push_str(t),
            G::Comment => out.push_str("<!-- c -->"),
            G::El {
                tag,
                attrs,
                key,
                ws: cws,
                children,
            } => {
                let next = nodes.get(i + 1);
                let bare = *tag == "tbody" && attrs.is_empty() && !*cws && rng.chance(40);
                if !bare {
                    out.push('<');
                    out.push_str(tag);
                    if let Some(k) = key {
                        out.push_str(&format!(" dj-key=\"k{k}\""));
                    }
                    for (n, v) in attrs {
                        out.push(' ');
                        out.push_str(n);
                        if let Some(v) = v {
                            out.push_str(&format!("=\"{v}\""));
                        }
                    }
                }
                if matches!(*tag, "circle" | "rect") {
                    out.push_str("/>");
                    continue;
                }
                if !bare {
                    out.push('>');
                }
                if matches!(*tag, "br" | "hr" | "img" | "wbr" | "param" | "source") {
                    continue;
                }
                render(children, *cws, out, rng);
                if bare || (!ws && end_optional(tag, next) && rng.chance(50)) {
                    continue;
                }
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
        }
    }
    if ws && !nodes.is_empty() {
        out.push('\n');
    }
}

/// Whether the end tag of `tag` may be left out before `next` (`None`: the parent's end).
fn end_optional(tag: &str, next: Option<&G>) -> bool {
    let next_tag = match next {
        None => return matches!(tag, "li" | "td" | "tr" | "option" | "p"),
        Some(G::El { tag, .. }) => *tag,
        Some(_) => return false,
    };
    match tag {
        "li" | "option" | "tr" => next_tag == tag,
        "td" => next_tag == "td",
        "p" => matches!(next_tag, "div" | "ul" | "table" | "pre" | "p" | "section"),
        _ => false,
    }
}

/// One random case: (before, after) template outputs.
pub fn case(seed: u64) -> (String, String) {
    let mut rng = Rng::new(seed);
    let mut g = Gen {
        rng: &mut rng,
        next_key: 0,
    };
    let mut roots = if g.rng.chance(50) {
        vec![g.list(3)]
    } else {
        g.nodes(Ctx::Flow, 3, 4)
    };
    if g.rng.chance(30) {
        let t = g.table(2);
        roots.push(t);
    }
    normalize(&mut roots);
    let mut before = String::new();
    let mut next = roots.clone();
    g.mutate(&mut next, Ctx::Flow, 3, None);
    render(&roots, false, &mut before, &mut rng);
    let mut after = String::new();
    render(&next, false, &mut after, &mut rng);
    (before, after)
}
