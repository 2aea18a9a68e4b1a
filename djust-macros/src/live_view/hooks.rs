//! The `dj-hook` check: a hooked element needs an `id`, the client finds its hook again by it
//! after every patch and whole-HTML update.

/// Elements whose content is text, not markup (`if (a<b)` in a script is no tag).
const RAW_TEXT: &[&str] = &["script", "style"];

/// One message per element in `source` (comments already blanked) that has `dj-hook` and no
/// `id`; `place` names the template ("template `chart.html`").
pub(crate) fn missing_ids(source: &str, place: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut from = 0;
    while let Some(start) = source[from..].find('<').map(|at| from + at) {
        from = start + 1;
        let rest = &source[from..];
        let tag_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if tag_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let tag = &rest[..tag_len];
        let (names, end) = attribute_names(&rest[tag_len..]);
        from += tag_len + end;
        if RAW_TEXT.iter().any(|raw| tag.eq_ignore_ascii_case(raw)) {
            from = source[from..]
                .find("</")
                .map_or(source.len(), |at| from + at);
        }
        let Some(hook) = names.iter().find(|(name, _)| *name == "dj-hook") else {
            continue;
        };
        if names
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("id"))
        {
            continue;
        }
        let line = source[..start].matches('\n').count() + 1;
        let value = hook.1.unwrap_or("Name");
        problems.push(format!(
            "`<{tag} dj-hook=\"{value}\">` ({place}, line {line}) has no `id`: the client finds \
             an element's hook again by its id after every update; give it one, \
             `<{tag} id=\"...\" dj-hook=\"{value}\">`"
        ));
    }
    problems
}

/// The attributes of a start tag (`rest` follows the tag name) with their values when quoted
/// or bare, and the offset just past the tag's `>`. Askama `{{ .. }}` and `{% .. %}` inside
/// the tag are skipped, whatever they hold.
fn attribute_names(rest: &str) -> (Vec<(&str, Option<&str>)>, usize) {
    let bytes = rest.as_bytes();
    let mut names = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'>' => return (names, at + 1),
            b'{' if matches!(bytes.get(at + 1), Some(b'{' | b'%')) => {
                let close = if bytes[at + 1] == b'{' { "}}" } else { "%}" };
                at = rest[at + 2..]
                    .find(close)
                    .map_or(bytes.len(), |end| at + 2 + end + 2);
            }
            byte if byte.is_ascii_whitespace() || byte == b'/' => at += 1,
            _ => {
                let name_end = rest[at..]
                    .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
                    .map_or(bytes.len(), |end| at + end);
                let name = &rest[at..name_end];
                let (value, value_end) = attribute_value(rest, name_end);
                names.push((name, value));
                at = value_end.max(at + 1);
            }
        }
    }
    (names, bytes.len())
}

/// The value after an attribute name ending at `name_end`, and the offset past it; no value
/// (`<input disabled>`) returns `name_end`.
fn attribute_value(rest: &str, name_end: usize) -> (Option<&str>, usize) {
    let after = &rest[name_end..];
    let trimmed = after.trim_start();
    let Some(value) = trimmed.strip_prefix('=') else {
        return (None, name_end);
    };
    let value_at = rest.len() - value.trim_start().len();
    let value = &rest[value_at..];
    match value.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => match value[1..].find(char::from(quote)) {
            Some(end) => (Some(&value[1..=end]), value_at + end + 2),
            None => (Some(&value[1..]), rest.len()),
        },
        _ => {
            let end = value
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(value.len());
            (Some(&value[..end]), value_at + end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hook_without_id_is_reported_with_its_line() {
        let problems = missing_ids(
            "<main>\n  <div class=\"x\" dj-hook=\"Chart\"></div>\n</main>",
            "template `chart.html`",
        );
        assert_eq!(
            problems,
            vec![
                "`<div dj-hook=\"Chart\">` (template `chart.html`, line 2) has no `id`: the \
                 client finds an element's hook again by its id after every update; give it \
                 one, `<div id=\"...\" dj-hook=\"Chart\">`"
                    .to_owned()
            ]
        );
    }

    #[test]
    fn static_and_dynamic_ids_count() {
        let source = r#"<div id="chart" dj-hook="Chart"></div>
            <canvas dj-hook=Plot id={{ plot_id }}>
            <li {% if first %}class="a"{% endif %} dj-hook="Row" ID="row-{{ n }}">
            <span data-x="<b dj-hook='x'>" title="a > b">"#;
        assert_eq!(missing_ids(source, "t"), Vec::<String>::new());
    }

    #[test]
    fn attributes_in_values_and_expressions_do_not_count() {
        let source = r#"<p title="id" {{ "id" }} data-id="1" dj-hook="Note">
            <x-widget dj-hook='W' {% if a > b %}hidden{% endif %}/>"#;
        let problems = missing_ids(source, "t");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("`<p dj-hook=\"Note\">` (t, line 1)"));
        assert!(problems[1].starts_with("`<x-widget dj-hook=\"W\">` (t, line 2)"));
    }

    #[test]
    fn text_and_closing_tags_are_not_elements() {
        let source = "a < b dj-hook=\"x\" </div dj-hook=\"y\"> <!doctype html> 1<2 \
                      <script>if (a<b dj-hook=\"z\">c) {}</script>";
        assert_eq!(missing_ids(source, "t"), Vec::<String>::new());
    }
}
