//! Character references: what the browser's DOM holds for a piece of HTML text.
//!
//! Decodes numeric references and a table of named ones: every "legacy" name (those a browser
//! also accepts without `;`, i.e. the Latin-1 set plus `amp`, `lt`, `gt`, `quot` and their
//! uppercase forms) and a few dozen common others. Because every legacy name is known, text
//! without `;` decodes exactly as in a browser; a `&name;` that is not in the table is reported
//! as [`Unknown`] so the caller can let the browser decode it. Also normalizes newlines
//! (`\r\n` and `\r` become `\n`), as the browser's input stream does.

use std::borrow::Cow;

use memchr::{memchr, memchr2};

/// A `&name;` reference this table does not know (the browser may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unknown;

/// Where the text sits: attribute values treat references without `;` differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Element content.
    Text,
    /// An attribute value.
    Attribute,
}

/// Latin-1 names, U+00A0 to U+00FF, in order. All are legacy names.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// A legacy name (valid without `;`).
fn legacy(name: &str) -> Option<char> {
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "COPY" => '\u{a9}',
        "REG" => '\u{ae}',
        _ => {
            let i = LATIN1.iter().position(|n| *n == name)?;
            return char::from_u32(0xa0 + i as u32);
        }
    };
    Some(c)
}

/// Any known name (with `;`).
fn named(name: &str) -> Option<char> {
    if let Some(c) = legacy(name) {
        return Some(c);
    }
    let code = match name {
        "apos" => 0x27,
        "hellip" => 0x2026,
        "mdash" => 0x2014,
        "ndash" => 0x2013,
        "lsquo" => 0x2018,
        "rsquo" => 0x2019,
        "sbquo" => 0x201a,
        "ldquo" => 0x201c,
        "rdquo" => 0x201d,
        "bdquo" => 0x201e,
        "lsaquo" => 0x2039,
        "rsaquo" => 0x203a,
        "bull" => 0x2022,
        "dagger" => 0x2020,
        "Dagger" => 0x2021,
        "permil" => 0x2030,
        "prime" => 0x2032,
        "Prime" => 0x2033,
        "oline" => 0x203e,
        "frasl" => 0x2044,
        "euro" => 0x20ac,
        "trade" => 0x2122,
        "larr" => 0x2190,
        "uarr" => 0x2191,
        "rarr" => 0x2192,
        "darr" => 0x2193,
        "harr" => 0x2194,
        "lArr" => 0x21d0,
        "rArr" => 0x21d2,
        "hArr" => 0x21d4,
        "minus" => 0x2212,
        "radic" => 0x221a,
        "infin" => 0x221e,
        "ne" => 0x2260,
        "le" => 0x2264,
        "ge" => 0x2265,
        "asymp" => 0x2248,
        "sum" => 0x2211,
        "prod" => 0x220f,
        "part" => 0x2202,
        "forall" => 0x2200,
        "exist" => 0x2203,
        "empty" => 0x2205,
        "isin" => 0x2208,
        "notin" => 0x2209,
        "and" => 0x2227,
        "or" => 0x2228,
        "cap" => 0x2229,
        "cup" => 0x222a,
        "loz" => 0x25ca,
        "spades" => 0x2660,
        "clubs" => 0x2663,
        "hearts" => 0x2665,
        "diams" => 0x2666,
        "check" => 0x2713,
        "cross" => 0x2717,
        "star" => 0x2606,
        "starf" => 0x2605,
        "ensp" => 0x2002,
        "emsp" => 0x2003,
        "thinsp" => 0x2009,
        "zwnj" => 0x200c,
        "zwj" => 0x200d,
        "lrm" => 0x200e,
        "rlm" => 0x200f,
        "circ" => 0x2c6,
        "tilde" => 0x2dc,
        "OElig" => 0x152,
        "oelig" => 0x153,
        "Scaron" => 0x160,
        "scaron" => 0x161,
        "Yuml" => 0x178,
        "fnof" => 0x192,
        "Alpha" => 0x391,
        "Beta" => 0x392,
        "Gamma" => 0x393,
        "Delta" => 0x394,
        "Theta" => 0x398,
        "Lambda" => 0x39b,
        "Pi" => 0x3a0,
        "Sigma" => 0x3a3,
        "Phi" => 0x3a6,
        "Psi" => 0x3a8,
        "Omega" => 0x3a9,
        "alpha" => 0x3b1,
        "beta" => 0x3b2,
        "gamma" => 0x3b3,
        "delta" => 0x3b4,
        "epsilon" => 0x3b5,
        "zeta" => 0x3b6,
        "eta" => 0x3b7,
        "theta" => 0x3b8,
        "iota" => 0x3b9,
        "kappa" => 0x3ba,
        "lambda" => 0x3bb,
        "mu" => 0x3bc,
        "nu" => 0x3bd,
        "xi" => 0x3be,
        "omicron" => 0x3bf,
        "pi" => 0x3c0,
        "rho" => 0x3c1,
        "sigmaf" => 0x3c2,
        "sigma" => 0x3c3,
        "tau" => 0x3c4,
        "upsilon" => 0x3c5,
        "phi" => 0x3c6,
        "chi" => 0x3c7,
        "psi" => 0x3c8,
        "omega" => 0x3c9,
        _ => return None,
    };
    char::from_u32(code)
}

/// Windows-1252 meanings of the C1 code points a numeric reference may name.
fn c1(code: u32) -> u32 {
    const TABLE: [u32; 32] = [
        0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039,
        0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
        0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
    ];
    TABLE[(code - 0x80) as usize]
}

/// Decodes `raw` as the browser would. Borrows when there is nothing to decode.
pub fn decode(raw: &str, ctx: Context) -> Result<Cow<'_, str>, Unknown> {
    let bytes = raw.as_bytes();
    let Some(first) = memchr2(b'&', b'\r', bytes) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut p = first;
    while p < bytes.len() {
        let next = memchr2(b'&', b'\r', &bytes[p..]).map_or(bytes.len(), |i| p + i);
        out.push_str(&raw[p..next]);
        p = next;
        if p >= bytes.len() {
            break;
        }
        if bytes[p] == b'\r' {
            out.push('\n');
            p += if bytes.get(p + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            continue;
        }
        p = reference(raw, p, ctx, &mut out)?;
    }
    Ok(Cow::Owned(out))
}

/// Decodes the reference starting with the `&` at `amp`; returns where decoding continues.
fn reference(raw: &str, amp: usize, ctx: Context, out: &mut String) -> Result<usize, Unknown> {
    let bytes = raw.as_bytes();
    let p = amp + 1;
    if bytes.get(p) == Some(&b'#') {
        return Ok(numeric(bytes, amp, out));
    }
    let mut e = p;
    while e < bytes.len() && bytes[e].is_ascii_alphanumeric() {
        e += 1;
    }
    if e == p {
        out.push('&');
        return Ok(p);
    }
    let name = &raw[p..e];
    if bytes.get(e) == Some(&b';') {
        if let Some(c) = named(name) {
            out.push(c);
            return Ok(e + 1);
        }
        // Maybe a name of the full table, or a legacy prefix followed by text: let the
        // browser decide.
        return Err(Unknown);
    }
    // No `;`: only legacy names match, the longest prefix of the run.
    for len in (2..=name.len().min(6)).rev() {
        if let Some(c) = legacy(&name[..len]) {
            let whole = len == name.len();
            let literal = ctx == Context::Attribute && (!whole || bytes.get(e) == Some(&b'='));
            if literal {
                break;
            }
            out.push(c);
            return Ok(p + len);
        }
    }
    out.push('&');
    Ok(p)
}

fn numeric(bytes: &[u8], amp: usize, out: &mut String) -> usize {
    let mut p = amp + 2;
    let hex = matches!(bytes.get(p), Some(b'x' | b'X'));
    if hex {
        p += 1;
    }
    let digits = p;
    let mut code: u32 = 0;
    while p < bytes.len() {
        let d = match (hex, bytes[p]) {
            (_, b @ b'0'..=b'9') => u32::from(b - b'0'),
            (true, b @ b'a'..=b'f') => u32::from(b - b'a' + 10),
            (true, b @ b'A'..=b'F') => u32::from(b - b'A' + 10),
            _ => break,
        };
        code = code
            .saturating_mul(if hex { 16 } else { 10 })
            .saturating_add(d);
        p += 1;
    }
    if p == digits {
        // `&#` or `&#x` without digits: literal.
        out.push_str("&#");
        if hex {
            out.push(char::from(bytes[amp + 2]));
        }
        return p;
    }
    if bytes.get(p) == Some(&b';') {
        p += 1;
    }
    let code = match code {
        0 => 0xfffd,
        0x80..=0x9f => c1(code),
        0xd800..=0xdfff => 0xfffd,
        c if c > 0x10ffff => 0xfffd,
        c => c,
    };
    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
    p
}

/// Whether `raw` needs decoding at all (an `&` or a `\r`).
pub fn needs_decoding(raw: &str) -> bool {
    memchr2(b'&', b'\r', raw.as_bytes()).is_some()
}

/// Whether `raw` holds a `\r` (newline normalization only).
pub(crate) fn has_cr(raw: &str) -> bool {
    memchr(b'\r', raw.as_bytes()).is_some()
}

/// Normalizes newlines only (raw text elements: no references).
pub fn normalize_newlines(raw: &str) -> Cow<'_, str> {
    if !has_cr(raw) {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        decode(s, Context::Text).unwrap().into_owned()
    }

    fn attr(s: &str) -> String {
        decode(s, Context::Attribute).unwrap().into_owned()
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            decode("abc", Context::Text),
            Ok(Cow::Borrowed("abc"))
        ));
    }

    #[test]
    fn named_and_numeric() {
        assert_eq!(text("a &amp; b &lt;c&gt; &quot;&apos;"), "a & b <c> \"'");
        assert_eq!(text("&nbsp;&eacute;&hellip;&mdash;"), "\u{a0}é…—");
        assert_eq!(text("&#65;&#x42;&#X43;&#100"), "ABCd");
        assert_eq!(
            text("&#0;&#x110000;&#xD800;&#128;"),
            "\u{fffd}\u{fffd}\u{fffd}€"
        );
        assert_eq!(text("&#;&#x;&#X;"), "&#;&#x;&#X;");
    }

    #[test]
    fn literal_ampersands() {
        assert_eq!(text("a & b && c &; &"), "a & b && c &; &");
    }

    #[test]
    fn legacy_without_semicolon() {
        assert_eq!(text("&amp &copy2 &notit"), "& ©2 ¬it");
        assert_eq!(attr("?a=1&copy=2&ampx&amp"), "?a=1&copy=2&ampx&");
        assert_eq!(attr("?a=1&b=2"), "?a=1&b=2");
    }

    #[test]
    fn unknown_named_reference() {
        assert_eq!(decode("x &fjlig; y", Context::Text), Err(Unknown));
        assert_eq!(text("x &fjlig y"), "x &fjlig y");
    }

    #[test]
    fn newlines() {
        assert_eq!(text("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(normalize_newlines("a\r\nb"), "a\nb");
    }
}
