//! Patch operations and their JSON encoding (see `docs/protocol.md`, "Patches").
//!
//! Operations are applied in order, each seeing the DOM the previous ones left. `d` is the
//! `dj-id` of the element concerned (0 = the view container); child indices count every child
//! node (elements and text; a `<template>`'s are those of its content). Ops addressed by index
//! carry `c`, the number of children `d` has before the op: a client whose DOM disagrees
//! refuses the patch instead of changing the wrong node.

/// One patch operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patch {
    /// `{"op":"text","d","i","v"}`: set the text of text child `i` of `d`; with `raw` the value
    /// is HTML text the client decodes (`"h"` instead of `"v"`).
    Text {
        /// Parent element.
        d: u32,
        /// Child index.
        i: u32,
        /// The new text.
        value: String,
        /// `value` is raw HTML text (a character reference the server does not know).
        raw: bool,
        /// The number of children of `d`.
        c: u32,
    },
    /// `{"op":"attr","d","k","v"}`: set attribute `k` of `d`.
    Attr {
        /// Element.
        d: u32,
        /// Attribute name.
        k: String,
        /// Decoded value.
        v: String,
    },
    /// `{"op":"rmattr","d","k"}`: remove attribute `k` of `d`.
    RmAttr {
        /// Element.
        d: u32,
        /// Attribute name.
        k: String,
    },
    /// `{"op":"insert","d","i","html"}`: parse `html` and insert its nodes at child index `i`.
    Insert {
        /// Parent element.
        d: u32,
        /// Index of the first inserted node.
        i: u32,
        /// One or more sibling nodes, ids stamped.
        html: String,
        /// The number of children of `d` before the insert.
        c: u32,
    },
    /// `{"op":"insert","d","i","t"}`: insert one text node at child index `i`.
    InsertText {
        /// Parent element.
        d: u32,
        /// Index of the new node.
        i: u32,
        /// Its (decoded) text.
        t: String,
        /// The number of children of `d` before the insert.
        c: u32,
    },
    /// `{"op":"remove","d","i","n"}`: remove `n` children starting at index `i`.
    Remove {
        /// Parent element.
        d: u32,
        /// First removed index.
        i: u32,
        /// How many.
        n: u32,
        /// The number of children of `d` before the remove.
        c: u32,
    },
    /// `{"op":"move","d","from","to"}`: take child `from` out, then insert it at `to`.
    Move {
        /// Parent element.
        d: u32,
        /// Index before the move.
        from: u32,
        /// Index after the move (counted without the moved node).
        to: u32,
        /// The number of children of `d`.
        c: u32,
    },
    /// `{"op":"html","d","html"}`: replace all children of `d`.
    Html {
        /// Element.
        d: u32,
        /// The new children, ids stamped.
        html: String,
    },
}

/// Encodes patches as a compact JSON array.
pub fn encode(patches: &[Patch]) -> String {
    let mut out = String::with_capacity(2 + patches.len() * 48);
    out.push('[');
    for (n, p) in patches.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        encode_one(p, &mut out);
    }
    out.push(']');
    out
}

fn encode_one(p: &Patch, out: &mut String) {
    match p {
        Patch::Text {
            d,
            i,
            value,
            raw,
            c,
        } => {
            head(out, "text", *d);
            num(out, "i", *i);
            string(out, if *raw { "h" } else { "v" }, value);
            num(out, "c", *c);
        }
        Patch::Attr { d, k, v } => {
            head(out, "attr", *d);
            string(out, "k", k);
            string(out, "v", v);
        }
        Patch::RmAttr { d, k } => {
            head(out, "rmattr", *d);
            string(out, "k", k);
        }
        Patch::Insert { d, i, html, c } => {
            head(out, "insert", *d);
            num(out, "i", *i);
            string(out, "html", html);
            num(out, "c", *c);
        }
        Patch::InsertText { d, i, t, c } => {
            head(out, "insert", *d);
            num(out, "i", *i);
            string(out, "t", t);
            num(out, "c", *c);
        }
        Patch::Remove { d, i, n, c } => {
            head(out, "remove", *d);
            num(out, "i", *i);
            num(out, "n", *n);
            num(out, "c", *c);
        }
        Patch::Move { d, from, to, c } => {
            head(out, "move", *d);
            num(out, "from", *from);
            num(out, "to", *to);
            num(out, "c", *c);
        }
        Patch::Html { d, html } => {
            head(out, "html", *d);
            string(out, "html", html);
        }
    }
    out.push('}');
}

fn head(out: &mut String, op: &str, d: u32) {
    out.push_str("{\"op\":\"");
    out.push_str(op);
    out.push('"');
    num(out, "d", d);
}

fn num(out: &mut String, key: &str, v: u32) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    let mut buf = [0u8; 10];
    out.push_str(super::html::itoa(v, &mut buf));
}

fn string(out: &mut String, key: &str, v: &str) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    escape_into(v, out);
}

/// Writes `s` as a JSON string literal.
pub(crate) fn escape_into(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_op() {
        let patches = [
            Patch::Text {
                d: 3,
                i: 0,
                value: "a\"b\\c\n\u{1}é".into(),
                raw: false,
                c: 2,
            },
            Patch::Text {
                d: 3,
                i: 1,
                value: "&fjlig;".into(),
                raw: true,
                c: 2,
            },
            Patch::Attr {
                d: 3,
                k: "class".into(),
                v: "active".into(),
            },
            Patch::RmAttr {
                d: 3,
                k: "disabled".into(),
            },
            Patch::Insert {
                d: 3,
                i: 2,
                html: "<li dj-id=\"9\">x</li>".into(),
                c: 2,
            },
            Patch::InsertText {
                d: 3,
                i: 2,
                t: "plain".into(),
                c: 3,
            },
            Patch::Remove {
                d: 3,
                i: 2,
                n: 1,
                c: 4,
            },
            Patch::Move {
                d: 3,
                from: 5,
                to: 1,
                c: 6,
            },
            Patch::Html {
                d: 0,
                html: String::new(),
            },
        ];
        let json = encode(&patches);
        assert_eq!(
            json,
            concat!(
                r#"[{"op":"text","d":3,"i":0,"v":"a\"b\\c\n\u0001é","c":2},"#,
                r#"{"op":"text","d":3,"i":1,"h":"&fjlig;","c":2},"#,
                r#"{"op":"attr","d":3,"k":"class","v":"active"},"#,
                r#"{"op":"rmattr","d":3,"k":"disabled"},"#,
                r#"{"op":"insert","d":3,"i":2,"html":"<li dj-id=\"9\">x</li>","c":2},"#,
                r#"{"op":"insert","d":3,"i":2,"t":"plain","c":3},"#,
                r#"{"op":"remove","d":3,"i":2,"n":1,"c":4},"#,
                r#"{"op":"move","d":3,"from":5,"to":1,"c":6},"#,
                r#"{"op":"html","d":0,"html":""}]"#
            )
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["v"], "a\"b\\c\n\u{1}é");
        assert_eq!(encode(&[]), "[]");
    }
}
