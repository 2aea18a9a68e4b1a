//! Event parameters: the JSON object a client event carries, and typed extraction from it.
//!
//! Values from `dj-value-*` attributes and form fields arrive as strings. A handler parameter
//! of a non-string type is first deserialized from the value as sent and, when that fails and the
//! value is a string, from the string read as JSON (so `"3"` fills an `i64` and `"true"` a `bool`).
//! A missing parameter is read as `null`, so `Option<T>` parameters may be left out.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::EventError;

/// The parameters of one event: a JSON object.
pub type Params = serde_json::Map<String, Value>;

/// Where a parameter comes from; kept for error messages of generated code.
#[derive(Debug, Clone, Copy)]
pub struct ParamSource {
    /// The event name.
    pub event: &'static str,
    /// The parameter name.
    pub param: &'static str,
}

/// Reads parameter `source.param` of `params` as a `T`.
pub fn extract_param<T: DeserializeOwned>(
    params: &Params,
    source: ParamSource,
) -> Result<T, EventError> {
    let Some(value) = params.get(source.param) else {
        return T::deserialize(Value::Null).map_err(|_| EventError::MissingParam {
            event: source.event.to_owned(),
            param: source.param.to_owned(),
        });
    };
    match T::deserialize(value) {
        Ok(typed) => Ok(typed),
        Err(first) => match value {
            Value::String(text) => serde_json::from_str(text.trim()).map_err(|_| first),
            _ => Err(first),
        }
        .map_err(|error| EventError::InvalidParam {
            event: source.event.to_owned(),
            param: source.param.to_owned(),
            reason: error.to_string(),
        }),
    }
}

/// Splits a query string into decoded `(name, value)` pairs (`+` is a space).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(index + 1)), hex(bytes.get(index + 2))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    index += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: Option<&u8>) -> Option<u8> {
    match byte? {
        digit @ b'0'..=b'9' => Some(digit - b'0'),
        letter @ b'a'..=b'f' => Some(letter - b'a' + 10),
        letter @ b'A'..=b'F' => Some(letter - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(value: Value) -> Params {
        value.as_object().cloned().unwrap_or_default()
    }

    const STEP: ParamSource = ParamSource {
        event: "inc",
        param: "step",
    };

    #[test]
    fn reads_numbers_sent_as_strings() {
        let got: i64 = extract_param(&params(json!({"step": " 3"})), STEP).unwrap();
        assert_eq!(got, 3);
        let got: i64 = extract_param(&params(json!({"step": 4})), STEP).unwrap();
        assert_eq!(got, 4);
    }

    #[test]
    fn keeps_strings_that_look_like_numbers() {
        let got: String = extract_param(&params(json!({"step": "3"})), STEP).unwrap();
        assert_eq!(got, "3");
    }

    #[test]
    fn missing_required_names_event_and_param() {
        let err = extract_param::<i64>(&Params::new(), STEP).unwrap_err();
        assert_eq!(
            err,
            EventError::MissingParam {
                event: "inc".into(),
                param: "step".into()
            }
        );
    }

    #[test]
    fn missing_optional_is_none() {
        let got: Option<i64> = extract_param(&Params::new(), STEP).unwrap();
        assert_eq!(got, None);
    }

    #[test]
    fn ill_typed_names_event_and_param() {
        let err = extract_param::<i64>(&params(json!({"step": "abc"})), STEP).unwrap_err();
        assert_eq!(err.code(), "invalid_param");
        assert_eq!(err.event(), "inc");
        assert_eq!(err.param(), Some("step"));
        assert!(err.to_string().contains("`step`"), "{err}");
    }

    #[test]
    fn decodes_query_strings() {
        assert_eq!(
            parse_query("a=1&b=x+y&c=%C3%A9&d&&e=%zz"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "é".into()),
                ("d".into(), String::new()),
                ("e".into(), "%zz".into()),
            ]
        );
    }
}
