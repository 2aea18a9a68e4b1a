//! Tag codes by name: a perfect hash of the names of up to 8 bytes (all but five), looked
//! up once per start tag.

use super::Tag;

/// The names of up to 8 bytes the tree builder has a rule for, in lower case.
const SHORT: [(&[u8], Tag); 115] = [
    (b"a", Tag::A),
    (b"address", Tag::Address),
    (b"applet", Tag::Applet),
    (b"area", Tag::Area),
    (b"article", Tag::Article),
    (b"aside", Tag::Aside),
    (b"b", Tag::B),
    (b"base", Tag::Base),
    (b"basefont", Tag::Basefont),
    (b"bgsound", Tag::Bgsound),
    (b"big", Tag::Big),
    (b"body", Tag::Body),
    (b"br", Tag::Br),
    (b"button", Tag::Button),
    (b"caption", Tag::Caption),
    (b"center", Tag::Center),
    (b"code", Tag::Code),
    (b"col", Tag::Col),
    (b"colgroup", Tag::Colgroup),
    (b"dd", Tag::Dd),
    (b"desc", Tag::Desc),
    (b"details", Tag::Details),
    (b"dialog", Tag::Dialog),
    (b"dir", Tag::Dir),
    (b"div", Tag::Div),
    (b"dl", Tag::Dl),
    (b"dt", Tag::Dt),
    (b"em", Tag::Em),
    (b"embed", Tag::Embed),
    (b"fieldset", Tag::Fieldset),
    (b"figure", Tag::Figure),
    (b"font", Tag::Font),
    (b"footer", Tag::Footer),
    (b"form", Tag::Form),
    (b"frame", Tag::Frame),
    (b"frameset", Tag::Frameset),
    (b"h1", Tag::Heading),
    (b"h2", Tag::Heading),
    (b"h3", Tag::Heading),
    (b"h4", Tag::Heading),
    (b"h5", Tag::Heading),
    (b"h6", Tag::Heading),
    (b"head", Tag::Head),
    (b"header", Tag::Header),
    (b"hgroup", Tag::Hgroup),
    (b"hr", Tag::Hr),
    (b"html", Tag::Html),
    (b"i", Tag::I),
    (b"iframe", Tag::Iframe),
    (b"image", Tag::Image),
    (b"img", Tag::Img),
    (b"input", Tag::Input),
    (b"keygen", Tag::Keygen),
    (b"li", Tag::Li),
    (b"link", Tag::Link),
    (b"listing", Tag::Listing),
    (b"main", Tag::Main),
    (b"marquee", Tag::Marquee),
    (b"math", Tag::Math),
    (b"menu", Tag::Menu),
    (b"meta", Tag::Meta),
    (b"mi", Tag::Mi),
    (b"mn", Tag::Mn),
    (b"mo", Tag::Mo),
    (b"ms", Tag::Ms),
    (b"mtext", Tag::Mtext),
    (b"nav", Tag::Nav),
    (b"nobr", Tag::Nobr),
    (b"noembed", Tag::Noembed),
    (b"noframes", Tag::Noframes),
    (b"noscript", Tag::Noscript),
    (b"object", Tag::Object),
    (b"ol", Tag::Ol),
    (b"optgroup", Tag::Optgroup),
    (b"option", Tag::Option),
    (b"p", Tag::P),
    (b"param", Tag::Param),
    (b"pre", Tag::Pre),
    (b"rb", Tag::Rb),
    (b"rp", Tag::Rp),
    (b"rt", Tag::Rt),
    (b"rtc", Tag::Rtc),
    (b"ruby", Tag::Ruby),
    (b"s", Tag::S),
    (b"script", Tag::Script),
    (b"search", Tag::Search),
    (b"section", Tag::Section),
    (b"select", Tag::Select),
    (b"small", Tag::Small),
    (b"source", Tag::Source),
    (b"span", Tag::Span),
    (b"strike", Tag::Strike),
    (b"strong", Tag::Strong),
    (b"style", Tag::Style),
    (b"sub", Tag::Sub),
    (b"summary", Tag::Summary),
    (b"sup", Tag::Sup),
    (b"svg", Tag::Svg),
    (b"table", Tag::Table),
    (b"tbody", Tag::Tbody),
    (b"td", Tag::Td),
    (b"template", Tag::Template),
    (b"textarea", Tag::Textarea),
    (b"tfoot", Tag::Tfoot),
    (b"th", Tag::Th),
    (b"thead", Tag::Thead),
    (b"title", Tag::Title),
    (b"tr", Tag::Tr),
    (b"track", Tag::Track),
    (b"tt", Tag::Tt),
    (b"u", Tag::U),
    (b"ul", Tag::Ul),
    (b"var", Tag::Var),
    (b"wbr", Tag::Wbr),
    (b"xmp", Tag::Xmp),
];

/// Multiplier of the hash: no two names of [`SHORT`] share a slot (checked at compile time).
const HASH_MUL: u64 = 0x28bc_f701_cb3b_495b;
const SLOT_BITS: u32 = 9;

/// Up to 8 bytes, the first in the low byte.
const fn pack(name: &[u8]) -> u64 {
    let mut key = 0;
    let mut i = 0;
    while i < name.len() {
        key |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

const fn slot(key: u64) -> usize {
    (key.wrapping_mul(HASH_MUL) >> (64 - SLOT_BITS)) as usize
}

/// A name of [`SHORT`]: its packed bytes, its length (a name may hold NUL bytes), its code.
#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    len: usize,
    tag: Tag,
}

const EMPTY: Entry = Entry {
    key: 0,
    len: usize::MAX,
    tag: Tag::Other,
};

const TABLE: [Entry; 1 << SLOT_BITS] = {
    let mut table = [EMPTY; 1 << SLOT_BITS];
    let mut i = 0;
    while i < SHORT.len() {
        let (name, tag) = SHORT[i];
        assert!(name.len() <= 8);
        let key = pack(name);
        let s = slot(key);
        assert!(
            table[s].len == usize::MAX,
            "two tag names share a slot: choose another HASH_MUL"
        );
        table[s] = Entry {
            key,
            len: name.len(),
            tag,
        };
        i += 1;
    }
    table
};

impl Tag {
    /// The code of a tag name (ASCII case-insensitive).
    pub(crate) fn of(b: &[u8]) -> Tag {
        if b.len() > 8 {
            return Self::of_long(b);
        }
        let mut key = 0;
        for (i, c) in b.iter().enumerate() {
            key |= u64::from(c.to_ascii_lowercase()) << (8 * i);
        }
        let e = TABLE[slot(key)];
        if e.key == key && e.len == b.len() {
            e.tag
        } else {
            Tag::Other
        }
    }

    /// The code of a name longer than 8 bytes.
    fn of_long(b: &[u8]) -> Tag {
        if b.len() > 14 {
            return Tag::Other;
        }
        let mut buf = [0u8; 14];
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        match &buf[..b.len()] {
            b"annotation-xml" => Tag::AnnotationXml,
            b"blockquote" => Tag::Blockquote,
            b"figcaption" => Tag::Figcaption,
            b"foreignobject" => Tag::ForeignObject,
            b"plaintext" => Tag::Plaintext,
            _ => Tag::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_only_it() {
        let long: [&[u8]; 5] = [
            b"annotation-xml",
            b"blockquote",
            b"figcaption",
            b"foreignobject",
            b"plaintext",
        ];
        let names = SHORT
            .iter()
            .map(|(n, t)| (*n, *t))
            .chain(long.map(|n| (n, Tag::of_long(n))));
        for (name, tag) in names {
            assert_ne!(tag, Tag::Other);
            assert_eq!(Tag::of(name), tag);
            assert_eq!(Tag::of(&name.to_ascii_uppercase()), tag);
            let mut longer = name.to_vec();
            longer.push(0);
            assert_eq!(Tag::of(&longer), Tag::Other, "{longer:?}");
        }
        assert_eq!(Tag::of(b""), Tag::Other);
        assert_eq!(Tag::of(b"a\0"), Tag::Other);
        assert_eq!(Tag::of(b"\0a"), Tag::Other);
        assert_eq!(Tag::of(b"h\x11"), Tag::Other);
        assert_eq!(Tag::of(b"H6"), Tag::Heading);
        assert_eq!(Tag::of(b"PlainText"), Tag::Plaintext);
    }
}
