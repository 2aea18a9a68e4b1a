//! Property tests (proptest) of what parses client input: the WebSocket frame guard, the client
//! frame parser, the HTML tokenizer and event parameter extraction. Hostile input never panics
//! and is refused exactly where a whole-input reference says.

use djust_core::{
    frame_guard::{FrameGuard, Refusal, Violation, MAX_CONTROL_PAYLOAD},
    params::{extract_param, ParamSource},
    protocol::parse_client_frame,
    vdom::tokenizer::{Span, Token, Tokenizer},
    EventError, Params,
};
use proptest::prelude::*;
use serde_json::{json, Value};

// ---- frame guard ----

/// One frame header: FIN, opcode (any nibble), declared length.
#[derive(Debug, Clone)]
struct Head {
    fin: bool,
    opcode: u8,
    length: u64,
}

fn encode(head: &Head, masked: bool) -> Vec<u8> {
    let mut bytes = vec![if head.fin { 0x80 } else { 0 } | head.opcode];
    let mask = if masked { 0x80 } else { 0 };
    match head.length {
        0..=125 => bytes.push(mask | head.length as u8),
        126..=0xffff => {
            bytes.push(mask | 126);
            bytes.extend_from_slice(&(head.length as u16).to_be_bytes());
        }
        _ => {
            bytes.push(mask | 127);
            bytes.extend_from_slice(&head.length.to_be_bytes());
        }
    }
    if masked {
        bytes.extend_from_slice(&[1, 2, 3, 4]);
    }
    bytes
}

/// The whole-stream reference: the offset of the first header the rules refuse.
fn reference(stream: &[u8], max: u64) -> Option<(usize, Violation)> {
    reference_header(stream, max).map(|(at, _, violation)| (at, violation))
}

/// [`reference`], with the refused header's end.
fn reference_header(stream: &[u8], max: u64) -> Option<(usize, usize, Violation)> {
    let (mut at, mut fragments) = (0_usize, None::<u64>);
    while at + 2 <= stream.len() {
        let (first, second) = (stream[at], stream[at + 1]);
        let (extra, short) = match second & 0x7f {
            126 => (2, None),
            127 => (8, None),
            n => (0, Some(u64::from(n))),
        };
        let header = 2 + extra + if second & 0x80 != 0 { 4 } else { 0 };
        if at + header > stream.len() {
            return None;
        }
        let length = short.unwrap_or_else(|| {
            let mut value = 0_u64;
            for &byte in &stream[at + 2..at + 2 + extra] {
                value = value << 8 | u64::from(byte);
            }
            value
        });
        let (fin, opcode) = (first & 0x80 != 0, first & 0x0f);
        let verdict = if length > i64::MAX as u64 {
            Err(Violation::TooLarge)
        } else if opcode >= 8 {
            if fin && length <= MAX_CONTROL_PAYLOAD {
                Ok(())
            } else {
                Err(Violation::BadControlFrame)
            }
        } else {
            let total = if opcode == 0 {
                fragments.unwrap_or(0)
            } else {
                0
            } + length;
            if total > max {
                Err(Violation::TooLarge)
            } else {
                fragments = (!fin).then_some(total);
                Ok(())
            }
        };
        if let Err(violation) = verdict {
            return Some((at, at + header, violation));
        }
        let end = (at + header) as u64 + length;
        if end > stream.len() as u64 {
            return None;
        }
        at = end as usize;
    }
    None
}

/// The ends of the chunks `cuts` makes of `stream`, in order.
fn chunk_ends(stream: &[u8], cuts: &[usize]) -> Vec<usize> {
    let mut ends: Vec<usize> = cuts.iter().map(|cut| cut % (stream.len() + 1)).collect();
    ends.push(stream.len());
    ends.sort_unstable();
    ends
}

/// Where the guard must cut `stream` when it arrives in chunks ending at `ends`.
fn expected_cut(stream: &[u8], ends: &[usize], max: u64) -> Option<(usize, Violation)> {
    let (at, header_end, violation) = reference_header(stream, max)?;
    // The chunk in which the header's last byte arrives.
    let chunk_start = ends
        .iter()
        .copied()
        .filter(|&end| end < header_end)
        .max()
        .unwrap_or(0);
    Some((at.max(chunk_start), violation))
}

/// Scans `stream` cut at `cuts`; where the stream was cut off, if it was: the refused header's
/// offset, or the start of its last chunk when the header began in an earlier chunk (those
/// first bytes were passed on: an incomplete header, never acted on).
fn incremental(stream: &[u8], cuts: &[usize], max: usize) -> Option<(usize, Violation)> {
    let mut guard = FrameGuard::new(max);
    let mut start = 0;
    for end in chunk_ends(stream, cuts) {
        if let Err(Refusal {
            accepted,
            violation,
        }) = guard.scan(&stream[start..end])
        {
            return Some((start + accepted, violation));
        }
        start = end;
    }
    None
}

fn head() -> impl Strategy<Value = Head> {
    let length = prop_oneof![
        8 => 0_u64..300,
        1 => Just(1_u64 << 40),
        1 => Just(u64::MAX),
        1 => 65_530_u64..65_545,
    ];
    (
        any::<bool>(),
        prop_oneof![4 => 0_u8..3, 1 => 0_u8..16],
        length,
    )
        .prop_map(|(fin, opcode, length)| Head {
            fin,
            opcode,
            length,
        })
}

/// Frames whose payload is written out when short (a long one ends the stream mid-payload).
fn stream_of(heads: &[Head], masked: bool, tail: &[u8]) -> Vec<u8> {
    let mut stream = Vec::new();
    for head in heads {
        stream.extend(encode(head, masked));
        if head.length >= 300 {
            stream.extend_from_slice(tail);
            return stream;
        }
        stream.extend(std::iter::repeat_n(b'p', head.length as usize));
    }
    stream.extend_from_slice(tail);
    stream
}

proptest! {
    #[test]
    fn the_guard_refuses_exactly_where_the_reference_does(
        heads in prop::collection::vec(head(), 0..12),
        masked in any::<bool>(),
        tail in prop::collection::vec(any::<u8>(), 0..20),
        cuts in prop::collection::vec(any::<usize>(), 0..10),
        max in 0_usize..400,
    ) {
        let stream = stream_of(&heads, masked, &tail);
        let expected = expected_cut(&stream, &chunk_ends(&stream, &cuts), max as u64);
        prop_assert_eq!(incremental(&stream, &cuts, max), expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_agree_with_the_reference(
        stream in prop::collection::vec(any::<u8>(), 0..400),
        cuts in prop::collection::vec(any::<usize>(), 0..10),
        max in 0_usize..70_000,
    ) {
        let expected = expected_cut(&stream, &chunk_ends(&stream, &cuts), max as u64);
        prop_assert_eq!(incremental(&stream, &cuts, max), expected);
    }

    #[test]
    fn in_one_chunk_the_cut_is_the_refused_header(
        heads in prop::collection::vec(head(), 0..12),
        max in 0_usize..400,
    ) {
        let stream = stream_of(&heads, true, &[]);
        prop_assert_eq!(incremental(&stream, &[], max), reference(&stream, max as u64));
    }
}

// ---- client frames ----

/// JSON-like text: a mix of frame keys, values and punctuation.
fn jsonish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just(r#""type""#.to_owned()),
        Just(r#""mount""#.to_owned()),
        Just(r#""event""#.to_owned()),
        Just(r#""mount_batch""#.to_owned()),
        Just(r#""views""#.to_owned()),
        Just(r#""params""#.to_owned()),
        Just(r#""ref""#.to_owned()),
        Just(r#""\ud800""#.to_owned()),
        Just("1e999".to_owned()),
        Just("-0".to_owned()),
        Just("null".to_owned()),
        "[a-z\"\\\\]{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn client_frames_parse_or_fail_with_a_documented_code(text in prop_oneof![jsonish(), any::<String>()]) {
        if let Err(error) = parse_client_frame(&text) {
            prop_assert!(
                ["malformed_frame", "unknown_type", "bad_frame"].contains(&error.code()),
                "{}", error.code()
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash(depth in 0_usize..5_000) {
        let text = format!(
            r#"{{"type":"event","target":"t","event":"e","params":{{"p":{}{}}}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let _ = parse_client_frame(&text);
    }
}

// ---- tokenizer ----

fn htmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("</".to_owned()),
        Just("/>".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("<!".to_owned()),
        Just("<?".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("]]>".to_owned()),
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<textarea>".to_owned()),
        Just("<div class=\"a>b\"".to_owned()),
        Just("='".to_owned()),
        Just("\"".to_owned()),
        Just("&amp;".to_owned()),
        Just("é".to_owned()),
        "[a-z =]{0,5}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn outer(token: &Token) -> Span {
    match *token {
        Token::StartTag { span, .. }
        | Token::EndTag { span, .. }
        | Token::Cdata { span, .. }
        | Token::Text(span)
        | Token::Comment(span)
        | Token::Doctype(span) => span,
    }
}

proptest! {
    #[test]
    fn tokens_are_in_order_within_the_source_and_on_char_boundaries(
        src in prop_oneof![htmlish(), any::<String>()],
        cdata in any::<bool>(),
    ) {
        let mut tokenizer = Tokenizer::new(&src);
        tokenizer.set_cdata_allowed(cdata);
        let mut end = 0;
        let mut count = 0;
        while let Some(token) = tokenizer.next_token() {
            let range = outer(&token).range();
            prop_assert!(range.start >= end && range.start <= range.end && range.end <= src.len());
            prop_assert!(src.is_char_boundary(range.start) && src.is_char_boundary(range.end));
            let _ = outer(&token).of(&src);
            for attribute in tokenizer.attributes() {
                let _ = attribute.name.of(&src);
            }
            end = range.end;
            count += 1;
            prop_assert!(count <= src.len() + 1, "the tokenizer makes progress");
        }
    }
}

// ---- parameters ----

const SOURCE: ParamSource = ParamSource {
    event: "e",
    param: "n",
};

fn params(value: Option<Value>) -> Params {
    let mut params = Params::new();
    if let Some(value) = value {
        params.insert("n".into(), value);
    }
    params
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{0,3}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn integers_arrive_as_numbers_or_strings(n in any::<i64>(), padded in any::<bool>()) {
        let text = if padded { format!(" {n} ") } else { n.to_string() };
        prop_assert_eq!(extract_param::<i64>(&params(Some(json!(n))), SOURCE).ok(), Some(n));
        prop_assert_eq!(extract_param::<i64>(&params(Some(json!(text))), SOURCE).ok(), Some(n));
    }

    #[test]
    fn any_value_is_taken_or_refused_naming_the_parameter(value in any_json()) {
        let given = params(Some(value));
        for result in [
            extract_param::<i64>(&given, SOURCE).map(drop),
            extract_param::<u8>(&given, SOURCE).map(drop),
            extract_param::<String>(&given, SOURCE).map(drop),
            extract_param::<Vec<u32>>(&given, SOURCE).map(drop),
            extract_param::<Option<bool>>(&given, SOURCE).map(drop),
        ] {
            match result {
                Ok(()) => {}
                Err(EventError::InvalidParam { param, .. } | EventError::MissingParam { param, .. }) => {
                    prop_assert_eq!(param, "n");
                }
                Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            }
        }
    }

    #[test]
    fn a_missing_parameter_is_none_or_missing(_unused in 0..1_u8) {
        prop_assert_eq!(extract_param::<Option<i64>>(&params(None), SOURCE).ok(), Some(None));
        let missing = extract_param::<i64>(&params(None), SOURCE);
        prop_assert!(matches!(missing, Err(EventError::MissingParam { .. })), "{missing:?}");
    }
}
