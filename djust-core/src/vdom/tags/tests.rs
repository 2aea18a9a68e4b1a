//! Tag codes and categories against their names and the tokenizer.
use super::*;

#[test]
fn codes_and_categories() {
    assert_eq!(Tag::of(b"DIV"), Tag::Div);
    assert_eq!(Tag::of(b"h4"), Tag::Heading);
    assert_eq!(Tag::of(b"foreignObject"), Tag::ForeignObject);
    assert_eq!(Tag::of(b"custom-element"), Tag::Other);
    assert!(Tag::Param.is_void() && !Tag::Div.is_void());
    assert!(Tag::Div.is_special_html() && !Tag::Span.is_special_html());
    assert!(Tag::Noscript.is_special_html());
    assert!(Tag::Table.closes_p() && !Tag::Span.closes_p());
}

#[test]
fn raw_text_tags_are_the_tokenizers() {
    use crate::vdom::tokenizer::{text_mode, TextMode};
    let names = [
        "script",
        "STYLE",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "textarea",
        "title",
        "div",
        "a",
        "span",
        "custom-x",
        "plaintext",
        "noscript",
    ];
    for name in names {
        let raw = text_mode(name) == TextMode::RawText;
        assert_eq!(Tag::of(name.as_bytes()).is_raw_text(), raw, "{name}");
    }
}

#[test]
fn foreign_names() {
    assert_eq!(local_name("clippath", true), "clipPath");
    assert_eq!(local_name("clippath", false), "clippath");
    assert_eq!(local_name("DIV", false), "div");
    assert_eq!(attribute_name("viewbox", Some(true)), "viewBox");
    assert_eq!(
        attribute_name("DefinitionUrl", Some(false)),
        "definitionURL"
    );
    assert_eq!(attribute_name("CLASS", None), "class");
}
