//! The tree builder against what Chromium builds (each expectation was read from Chromium 148's
//! parse of the same HTML in a `<div>`), and the whole-HTML fallback of `LiveDom`.

use djust_core::vdom::{LiveDom, NodeIndex, Tree, Update};

/// `ns:name[children]` with text as JSON strings (the e2e test's format, without ids).
fn dump(html: &str) -> String {
    fn node(t: &Tree, i: NodeIndex, out: &mut String) {
        if t.is_text(i) {
            out.push_str(&serde_json::to_string(&t.text(i).unwrap()).unwrap());
            return;
        }
        if t.namespace(i) != "html" {
            out.push_str(t.namespace(i));
            out.push(':');
        }
        out.push_str(&t.local_name(i));
        out.push('[');
        for c in t.children(i) {
            node(t, c, out);
        }
        out.push(']');
    }
    let t = Tree::parse(html.to_owned());
    assert_eq!(t.divergence(), None, "{html}");
    let mut out = String::new();
    for r in t.roots() {
        node(&t, r, &mut out);
    }
    out
}

#[test]
fn implied_end_tags() {
    assert_eq!(
        dump("<ul><li>a<li>b<ul><li>c</ul><li>d</ul>"),
        r#"ul[li["a"]li["b"ul[li["c"]]]li["d"]]"#
    );
    assert_eq!(
        dump("<dl><dt>a<dd>b<dt>c</dl>"),
        r#"dl[dt["a"]dd["b"]dt["c"]]"#
    );
    assert_eq!(
        dump("<select><option>a<option>b</select>"),
        r#"select[option["a"]option["b"]]"#
    );
    assert_eq!(
        dump("<select><optgroup><option>a<optgroup><option>b</select>"),
        r#"select[optgroup[option["a"]]optgroup[option["b"]]]"#
    );
    assert_eq!(
        dump("<div><option>a<p>b<option>c</div>"),
        r#"div[option["a"p["b"option["c"]]]]"#
    );
    assert_eq!(dump("<h1>a<h2>b</h1>c"), r#"h1["a"]h2["b"]"c""#);
    assert_eq!(dump("<button>1<button>2"), r#"button["1"]button["2"]"#);
    assert_eq!(dump("<span><div></span>x</div>"), r#"span[div["x"]]"#);
}

#[test]
fn tables() {
    assert_eq!(
        dump("<table><td>a<td>b<tr><td>c</table>"),
        r#"table[tbody[tr[td["a"]td["b"]]tr[td["c"]]]]"#
    );
    assert_eq!(
        dump("<table><col><col></table>"),
        "table[colgroup[col[]col[]]]"
    );
    assert_eq!(
        dump("<table><caption>x<tr><td>y</table>"),
        r#"table[caption["x"]tbody[tr[td["y"]]]]"#
    );
    assert_eq!(
        dump("<table><tbody><tr><td>1</td></tr></tbody><tr><td>2</td></tr></table>"),
        r#"table[tbody[tr[td["1"]]]tbody[tr[td["2"]]]]"#
    );
    assert_eq!(
        dump("<template><tr><td>a</template>"),
        r#"template[tr[td["a"]]]"#
    );
    // Written out with their ids, implied elements parse back the same.
    let mut live = LiveDom::new("<table><tr><td>a</table>".into());
    assert_eq!(
        live.html(),
        r#"<table dj-id="1"><tbody dj-id="2"><tr dj-id="3"><td dj-id="4">a</td></tr></tbody></table>"#
    );
    let Update::Patches(p) = live.update("<table><tr><td>a<tr><td>b</table>".into()) else {
        panic!("patches expected")
    };
    assert_eq!(
        p,
        r#"[{"op":"insert","d":2,"i":1,"html":"<tr dj-id=\"5\"><td dj-id=\"6\">b</td></tr>","c":1}]"#
    );
}

#[test]
fn blocks_close_paragraphs() {
    assert_eq!(dump("<p>a<div>b</div>c"), r#"p["a"]div["b"]"c""#);
    assert_eq!(dump("<p>a<table></table>"), r#"p["a"]table[]"#);
    assert_eq!(dump("<button><p>a</button>b"), r#"button[p["a"]]"b""#);
}

#[test]
fn void_and_foreign() {
    assert_eq!(
        dump("<param><keygen>x</keygen><source>"),
        r#"param[]keygen[]"x"source[]"#
    );
    assert_eq!(
        dump("<svg viewbox=1><foreignobject><b>x</b></foreignobject><clippath/></svg>"),
        r#"svg:svg[svg:foreignObject[b["x"]]svg:clipPath[]]"#
    );
    assert_eq!(dump("<svg><b>x</b></svg>"), r#"svg:svg[]b["x"]"#);
    assert_eq!(
        dump("<math><mi><b>x</b></mi></math><svg><desc><b>d</b></desc></svg>"),
        r#"math:math[math:mi[b["x"]]]svg:svg[svg:desc[b["d"]]]"#
    );
}

#[test]
fn what_the_builder_does_not_follow_is_recorded() {
    for (html, what) in [
        ("<table>x<tr><td>1</table>", "text directly in a table"),
        (
            "<table><div>x</div></table>",
            "an element directly in a table",
        ),
        ("<p><b>x<div>y</div></b>", "formatting element"),
        ("<a href=1>x<a href=2>y</a></a>", "<a> inside an <a>"),
        ("<p>a</p></p>", "</p> without"),
    ] {
        let d = Tree::parse(html.into()).divergence().expect(html);
        assert!(d.what.contains(what), "{html}: {}", d.what);
    }
}

#[test]
fn a_diverged_tree_is_updated_with_html_and_noticed_once() {
    let mut live = LiveDom::new("<table>x<tr><td>1</table>".into());
    let notice = live.take_notice().expect("a notice");
    assert!(
        notice.contains("line 1") && notice.contains("table"),
        "{notice}"
    );
    assert!(live.html_only());
    assert!(matches!(
        live.update("<table>x<tr><td>2</table>".into()),
        Update::Html(_)
    ));
    assert_eq!(live.take_notice(), None);
    // Fixed template: patches again.
    assert!(matches!(
        live.update("<table><tr><td>2</table>".into()),
        Update::Html(_)
    ));
    assert!(matches!(
        live.update("<table><tr><td>3</table>".into()),
        Update::Patches(_)
    ));
}

#[test]
fn a_refusal_switches_to_html_for_a_while_then_twice_as_long() {
    let render = |n: u32| format!("<p>{n}</p><p class=\"filler\">{}</p>", "x".repeat(200));
    let mut live = LiveDom::new(render(0));
    live.refused(Some("patch_refused"));
    assert!(live
        .take_notice()
        .is_some_and(|n| n.contains("patch_refused")));
    let mut n = 1;
    let mut count = |live: &mut LiveDom| {
        let mut html = 0;
        while matches!(live.update(render(n)), Update::Html(_)) {
            n += 1;
            html += 1;
        }
        n += 1;
        html
    };
    assert_eq!(count(&mut live), 16);
    live.refused(None);
    assert_eq!(live.take_notice(), None, "noticed once per view");
    assert_eq!(count(&mut live), 32);
}
