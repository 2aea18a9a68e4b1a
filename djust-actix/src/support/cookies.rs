//! Reading one cookie out of `Cookie` header values.

/// The value of cookie `name` among `Cookie` header values (the first one wins).
pub(crate) fn cookie_value<'a>(
    headers: impl IntoIterator<Item = &'a str>,
    name: &str,
) -> Option<&'a str> {
    headers
        .into_iter()
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::cookie_value;

    #[test]
    fn finds_a_cookie_among_headers() {
        assert_eq!(cookie_value(["a=1; b=2", "c=3"], "c"), Some("3"));
        assert_eq!(cookie_value(["a=1; b=2"], "b"), Some("2"));
        assert_eq!(cookie_value(["xb=2"], "b"), None);
        assert_eq!(cookie_value(["b="], "b"), Some(""));
        assert_eq!(cookie_value([], "b"), None);
    }
}
