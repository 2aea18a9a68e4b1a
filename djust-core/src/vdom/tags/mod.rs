//! The element categories of the HTML tree builder (WHATWG "tree construction"), as small
//! codes computed once per tag so that the builder's rules are integer comparisons.

/// A tag the tree builder has a rule for; [`Tag::Other`] for every other name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Tag {
    Other,
    A,
    Address,
    AnnotationXml,
    Applet,
    Area,
    Article,
    Aside,
    B,
    Base,
    Basefont,
    Bgsound,
    Big,
    Blockquote,
    Body,
    Br,
    Button,
    Caption,
    Center,
    Code,
    Col,
    Colgroup,
    Dd,
    Desc,
    Details,
    Dialog,
    Dir,
    Div,
    Dl,
    Dt,
    Em,
    Embed,
    Fieldset,
    Figcaption,
    Figure,
    Font,
    Footer,
    ForeignObject,
    Form,
    Frame,
    Frameset,
    Head,
    Header,
    Heading,
    Hgroup,
    Hr,
    Html,
    I,
    Iframe,
    Image,
    Img,
    Input,
    Keygen,
    Li,
    Link,
    Listing,
    Main,
    Marquee,
    Math,
    Menu,
    Meta,
    Mi,
    Mn,
    Mo,
    Ms,
    Mtext,
    Nav,
    Nobr,
    Noembed,
    Noframes,
    Noscript,
    Object,
    Ol,
    Optgroup,
    Option,
    P,
    Param,
    Plaintext,
    Pre,
    Rb,
    Rp,
    Rt,
    Rtc,
    Ruby,
    S,
    Script,
    Search,
    Section,
    Select,
    Small,
    Source,
    Span,
    Strike,
    Strong,
    Style,
    Sub,
    Summary,
    Sup,
    Svg,
    Table,
    Tbody,
    Td,
    Template,
    Textarea,
    Tfoot,
    Th,
    Thead,
    Title,
    Tr,
    Track,
    Tt,
    U,
    Ul,
    Var,
    Wbr,
    Xmp,
}

impl Tag {
    /// An HTML element with no content: its start tag is also its end.
    pub(crate) fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Area | Base
                | Basefont
                | Bgsound
                | Br
                | Col
                | Embed
                | Hr
                | Img
                | Input
                | Keygen
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
        )
    }

    /// An HTML element whose content is raw text (no markup, no entities): the tags for
    /// which the tokenizer's `text_mode` is `RawText`.
    pub(crate) fn is_raw_text(self) -> bool {
        use Tag::*;
        matches!(self, Script | Style | Xmp | Iframe | Noembed | Noframes)
    }

    /// A start tag that closes an open `<p>` (in button scope) before it is inserted.
    pub(crate) fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Center
                | Details
                | Dialog
                | Dir
                | Div
                | Dl
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Header
                | Hgroup
                | Main
                | Menu
                | Nav
                | Ol
                | P
                | Search
                | Section
                | Summary
                | Ul
                | Heading
                | Pre
                | Listing
                | Form
                | Table
                | Hr
                | Xmp
                | Plaintext
                | Li
                | Dd
                | Dt
        )
    }

    /// An element whose end tag may be left out (the "generate implied end tags" set).
    pub(crate) fn implied_end(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Dd | Dt | Li | Optgroup | Option | P | Rb | Rp | Rt | Rtc
        )
    }

    /// A formatting element: the tree builder reopens it after a misnested close.
    pub(crate) fn is_formatting(self) -> bool {
        use Tag::*;
        matches!(
            self,
            A | B | Big | Code | Em | Font | I | Nobr | S | Small | Strike | Strong | Tt | U
        )
    }

    /// An element that ends the list of active formatting elements' reach (a "marker").
    pub(crate) fn is_marker(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Applet | Object | Marquee | Template | Td | Th | Caption
        )
    }

    /// An HTML element of the "special" category.
    pub(crate) fn is_special_html(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Applet
                | Area
                | Article
                | Aside
                | Base
                | Basefont
                | Bgsound
                | Blockquote
                | Body
                | Br
                | Button
                | Caption
                | Center
                | Col
                | Colgroup
                | Dd
                | Details
                | Dir
                | Div
                | Dl
                | Dt
                | Embed
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Form
                | Frame
                | Frameset
                | Heading
                | Head
                | Header
                | Hgroup
                | Hr
                | Html
                | Iframe
                | Img
                | Input
                | Keygen
                | Li
                | Link
                | Listing
                | Main
                | Marquee
                | Menu
                | Meta
                | Nav
                | Noembed
                | Noframes
                | Noscript
                | Object
                | Ol
                | P
                | Param
                | Plaintext
                | Pre
                | Script
                | Search
                | Section
                | Select
                | Source
                | Style
                | Summary
                | Table
                | Tbody
                | Td
                | Template
                | Textarea
                | Tfoot
                | Th
                | Thead
                | Title
                | Tr
                | Track
                | Ul
                | Wbr
                | Xmp
        )
    }

    /// A foreign element where HTML content starts again (HTML or MathML text integration
    /// point); also "special" and a scope boundary.
    pub(crate) fn is_integration_point(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Mi | Mo | Mn | Ms | Mtext | AnnotationXml | ForeignObject | Desc | Title
        )
    }

    /// A start tag that leaves `<svg>`/`<math>` content (the parser closes the foreign
    /// elements first). `<font>` only with `color`, `face` or `size`.
    pub(crate) fn breaks_out_of_foreign(self) -> bool {
        use Tag::*;
        matches!(
            self,
            B | Big
                | Blockquote
                | Body
                | Br
                | Center
                | Code
                | Dd
                | Div
                | Dl
                | Dt
                | Em
                | Embed
                | Heading
                | Head
                | Hr
                | I
                | Img
                | Li
                | Listing
                | Menu
                | Meta
                | Nobr
                | Ol
                | P
                | Pre
                | Ruby
                | S
                | Small
                | Span
                | Strong
                | Strike
                | Sub
                | Sup
                | Table
                | Tt
                | U
                | Ul
                | Var
        )
    }

    /// A boundary of "has an element in scope" (HTML elements).
    pub(crate) fn bounds_scope(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Applet | Caption | Html | Table | Td | Th | Marquee | Object | Template
        )
    }

    /// A part of a table's structure (what may go directly in `<table>`, `<tbody>`, `<tr>`).
    pub(crate) fn is_table_part(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Caption | Col | Colgroup | Tbody | Thead | Tfoot | Tr | Td | Th
        )
    }
}

/// SVG tag names the parser writes in camel case, by their lower-case form.
const SVG_TAGS: [&str; 37] = [
    "altGlyph",
    "altGlyphDef",
    "altGlyphItem",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "clipPath",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "foreignObject",
    "glyphRef",
    "linearGradient",
    "radialGradient",
    "textPath",
];

/// SVG attribute names the parser writes in camel case.
const SVG_ATTRS: [&str; 58] = [
    "attributeName",
    "attributeType",
    "baseFrequency",
    "baseProfile",
    "calcMode",
    "clipPathUnits",
    "diffuseConstant",
    "edgeMode",
    "filterUnits",
    "glyphRef",
    "gradientTransform",
    "gradientUnits",
    "kernelMatrix",
    "kernelUnitLength",
    "keyPoints",
    "keySplines",
    "keyTimes",
    "lengthAdjust",
    "limitingConeAngle",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "maskContentUnits",
    "maskUnits",
    "numOctaves",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "refX",
    "refY",
    "repeatCount",
    "repeatDur",
    "requiredExtensions",
    "requiredFeatures",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "textLength",
    "viewBox",
    "viewTarget",
    "xChannelSelector",
    "yChannelSelector",
    "zoomAndPan",
];

/// The DOM's local name of an element named `name` as written: lower case, except the SVG
/// names the parser writes in camel case (`clipPath`, `foreignObject`…).
pub(crate) fn local_name(name: &str, svg: bool) -> std::borrow::Cow<'_, str> {
    if svg {
        if let Some(n) = SVG_TAGS.iter().find(|n| n.eq_ignore_ascii_case(name)) {
            return (*n).into();
        }
    }
    lower(name)
}

/// The DOM's name of an attribute written `name` on a foreign element (`svg`: SVG, else
/// MathML): `viewBox`, `definitionURL`, `xlink:href`…; on HTML elements, lower case.
pub(crate) fn attribute_name(name: &str, foreign: Option<bool>) -> std::borrow::Cow<'_, str> {
    match foreign {
        Some(true) => {
            if let Some(n) = SVG_ATTRS.iter().find(|n| n.eq_ignore_ascii_case(name)) {
                return (*n).into();
            }
        }
        Some(false) if name.eq_ignore_ascii_case("definitionurl") => {
            return "definitionURL".into();
        }
        _ => {}
    }
    lower(name)
}

fn lower(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    }
}

mod names;
#[cfg(test)]
mod tests;
