use super::*;

/// Tokens as readable strings.
fn toks(src: &str) -> Vec<String> {
    let mut t = Tokenizer::new(src);
    let mut out = Vec::new();
    while let Some(tok) = t.next_token() {
        out.push(match tok {
            Token::StartTag {
                name, self_closing, ..
            } => {
                let mut s = format!("<{}", name.of(src));
                for a in t.attributes() {
                    s.push(' ');
                    s.push_str(a.name.of(src));
                    if let Some(v) = a.value {
                        s.push_str(&format!("={{{}}}", v.of(src)));
                    }
                }
                s.push_str(if self_closing { "/>" } else { ">" });
                s
            }
            Token::EndTag { name, .. } => format!("</{}>", name.of(src)),
            Token::Text(s) => format!("T({})", s.of(src)),
            Token::Comment(s) => format!("C({})", s.of(src)),
            Token::Cdata { inner, .. } => format!("D({})", inner.of(src)),
            Token::Doctype(s) => format!("DT({})", s.of(src)),
        });
    }
    out
}

#[test]
fn tags_text_and_spans() {
    let src = "<p class=\"a\">hi</p>";
    let mut t = Tokenizer::new(src);
    assert_eq!(
        t.next_token(),
        Some(Token::StartTag {
            span: Span::new(0, 13),
            name: Span::new(1, 2),
            self_closing: false
        })
    );
    assert_eq!(t.next_token(), Some(Token::Text(Span::new(13, 15))));
    assert_eq!(
        t.next_token(),
        Some(Token::EndTag {
            span: Span::new(15, 19),
            name: Span::new(17, 18)
        })
    );
    assert_eq!(t.next_token(), None);
}

#[test]
fn comments() {
    assert_eq!(
        toks("a<!-- <b> -- -->c<!---->d<!-->e<!--->f"),
        [
            "T(a)",
            "C(<!-- <b> -- -->)",
            "T(c)",
            "C(<!---->)",
            "T(d)",
            "C(<!-->)",
            "T(e)",
            "C(<!--->)",
            "T(f)"
        ]
    );
    assert_eq!(toks("<!--unclosed <b>"), ["C(<!--unclosed <b>)"]);
    assert_eq!(
        toks("<?xml x?><!x></ x>y"),
        ["C(<?xml x?>)", "C(<!x>)", "C(</ x>)", "T(y)"]
    );
    assert_eq!(toks("<!DOCTYPE html><p>"), ["DT(<!DOCTYPE html>)", "<p>"]);
}

#[test]
fn cdata() {
    // In HTML content a CDATA section is a bogus comment up to the first `>`.
    assert_eq!(toks("<![CDATA[a>b]]>"), ["C(<![CDATA[a>)", "T(b]]>)"]);
    let src = "<![CDATA[<main>x</main>]]>y";
    let mut t = Tokenizer::new(src);
    t.set_cdata_allowed(true);
    assert!(
        matches!(t.next_token(), Some(Token::Cdata { inner, .. }) if inner.of(src) == "<main>x</main>")
    );
    assert_eq!(t.next_token(), Some(Token::Text(Span::new(26, 27))));
}

#[test]
fn raw_text_elements() {
    assert_eq!(
        toks("<script>if (a<b && c>d) x = '</p>'</script><p>"),
        [
            "<script>",
            "T(if (a<b && c>d) x = '</p>')",
            "</script>",
            "<p>"
        ]
    );
    assert_eq!(
        toks("<STYLE>a>b{}</style ><textarea><b>&amp;</b></TEXTAREA>"),
        [
            "<STYLE>",
            "T(a>b{})",
            "</style>",
            "<textarea>",
            "T(<b>&amp;</b>)",
            "</TEXTAREA>"
        ]
    );
    assert_eq!(toks("<title></title>"), ["<title>", "</title>"]);
    assert_eq!(
        toks("<script>a</scripty>b"),
        ["<script>", "T(a</scripty>b)"]
    );
    // Cancelled (e.g. inside <svg>): ordinary content.
    let src = "<title><b>x</b></title>";
    let mut t = Tokenizer::new(src);
    t.next_token();
    t.cancel_raw_text();
    assert!(matches!(t.next_token(), Some(Token::StartTag { .. })));
}

#[test]
fn attributes() {
    assert_eq!(
        toks(r#"<a href="x>y" title='<b>' data-x=1 checked DISABLED v = "s p" e="">"#),
        [r#"<a href={x>y} title={<b>} data-x={1} checked DISABLED v={s p} e={}>"#]
    );
    assert_eq!(toks("<input value=a/b/>"), ["<input value={a/b/}>"]);
    assert_eq!(toks("<br/><img src=x />"), ["<br/>", "<img src={x}/>"]);
    assert_eq!(toks("<a/b>"), ["<a b>"]);
    assert_eq!(toks("<a x=>"), ["<a x={}>"]);
    let src = r#"<a x="1" y>"#;
    let mut t = Tokenizer::new(src);
    t.next_token();
    let a = t.attributes();
    assert_eq!(a[0].span.of(src), r#"x="1""#);
    assert_eq!(a[1].span.of(src), "y");
    assert_eq!(a[1].value, None);
}

#[test]
fn text_with_lone_brackets_and_entities() {
    assert_eq!(
        toks("a < b > c &amp; <3 </>d"),
        ["T(a < b > c &amp; <3 )", "T(d)"]
    );
    assert_eq!(toks("x<"), ["T(x<)"]);
    assert_eq!(toks("x</"), ["T(x</)"]);
}

#[test]
fn uppercase_and_cut_off_tags() {
    assert_eq!(toks("<DIV Class=a></Div>"), ["<DIV Class={a}>", "</Div>"]);
    assert!(eq_name("DIV", "div"));
    assert_eq!(toks("a<div class=\"x"), ["T(a)"]);
}

#[test]
fn void_names() {
    for v in ["br", "IMG", "input", "wbr", "source"] {
        assert!(is_void(v));
    }
    for v in ["div", "p", "script", "brr"] {
        assert!(!is_void(v));
    }
}
