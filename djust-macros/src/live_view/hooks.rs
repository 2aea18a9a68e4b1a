//! The `dj-hook` check: a hooked element needs an `id`, the client finds its hook again by it
//! after every patch and whole-HTML update.

/// Elements whose content is text, not markup (`if (a<b)` in a script is no tag).
const RAW_TEXT: &[&str] = &["script", "style"];

/// One message per element in `source` (comments already blanked) that has `dj-hook` and no
/// `id`; `place` names the template ("template `chart.html`").
///
/// Askama `{{ .. }}` and `{% .. %}` are skipped whatever they hold, in text and in tags, so an
/// `id="{{ x }}"` is an id and `{{ "id" }}` is not.
pub(crate) fn missing_ids(source: &str, place: &str) -> Vec<String> {
    let bytes = source.as_bytes();
    let mut problems = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(end) = askama_block_end(source, at) {
            at = end;
            continue;
        }
        let is_start_tag =
            bytes[at] == b'<' && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic);
        if !is_start_tag {
            at += 1;
            continue;
        }
        let tag = StartTag::parse(source, at + 1);
        if let Some(problem) = tag.missing_id(source, at, place) {
            problems.push(problem);
        }
        at = tag.end;
        if RAW_TEXT
            .iter()
            .any(|raw| tag.name.eq_ignore_ascii_case(raw))
        {
            at = source[at..]
                .find("</")
                .map_or(bytes.len(), |close| at + close);
        }
    }
    problems
}

/// The offset past the `{{ .. }}` or `{% .. %}` starting at `at`, if one does.
fn askama_block_end(source: &str, at: usize) -> Option<usize> {
    let close = match source.as_bytes().get(at..at + 2)? {
        b"{{" => "}}",
        b"{%" => "%}",
        _ => return None,
    };
    Some(
        source[at + 2..]
            .find(close)
            .map_or(source.len(), |end| at + 2 + end + close.len()),
    )
}

/// A start tag: its name, its attributes (with their values when given) and where it ends.
struct StartTag<'s> {
    name: &'s str,
    attributes: Vec<(&'s str, Option<&'s str>)>,
    /// The offset just past the tag's `>`.
    end: usize,
}

impl<'s> StartTag<'s> {
    /// The tag whose name starts at `from` (just after `<`).
    fn parse(source: &'s str, from: usize) -> Self {
        let bytes = source.as_bytes();
        let name_end = word_end(source, from);
        let mut tag = Self {
            name: &source[from..name_end],
            attributes: Vec::new(),
            end: bytes.len(),
        };
        let mut at = name_end;
        while at < bytes.len() {
            if let Some(end) = askama_block_end(source, at) {
                at = end;
                continue;
            }
            match bytes[at] {
                b'>' => {
                    tag.end = at + 1;
                    break;
                }
                byte if byte.is_ascii_whitespace() || byte == b'/' => at += 1,
                _ => {
                    let name_end = word_end(source, at).max(at + 1);
                    let (value, value_end) = attribute_value(source, name_end);
                    tag.attributes.push((&source[at..name_end], value));
                    at = value_end;
                }
            }
        }
        tag
    }

    /// The message when the tag has `dj-hook` and no `id`; `start` is where its `<` is.
    fn missing_id(&self, source: &str, start: usize, place: &str) -> Option<String> {
        let (_, hook) = self
            .attributes
            .iter()
            .find(|(name, _)| *name == "dj-hook")?;
        if self
            .attributes
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("id"))
        {
            return None;
        }
        let name = self.name;
        let line = source[..start].matches('\n').count() + 1;
        let hook = hook.map_or_else(
            || "dj-hook".to_owned(),
            |value| format!("dj-hook=\"{value}\""),
        );
        Some(format!(
            "`<{name} {hook}>` ({place}, line {line}) has no `id`: the client finds an element's \
             hook again by its id after every update; give it one, `<{name} id=\"...\" {hook}>`"
        ))
    }
}

/// The end of the tag or attribute name starting at `from`.
fn word_end(source: &str, from: usize) -> usize {
    source[from..]
        .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/' | '{'))
        .map_or(source.len(), |end| from + end)
}

/// The value after an attribute name ending at `name_end` (`="x"`, `='x'` or `=x`) and the
/// offset past it; an attribute without a value (`disabled`) ends at `name_end`.
fn attribute_value(source: &str, name_end: usize) -> (Option<&str>, usize) {
    let Some(value) = source[name_end..].trim_start().strip_prefix('=') else {
        return (None, name_end);
    };
    let value_at = source.len() - value.trim_start().len();
    let value = &source[value_at..];
    match value.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => match value[1..].find(char::from(quote)) {
            Some(end) => (Some(&value[1..=end]), value_at + end + 2),
            None => (Some(&value[1..]), source.len()),
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
            <span data-x="<b dj-hook='x'>" title="a > b">
            {{ a<b }} {% if x<y %}é<i dj-hook="I" id="i">{% endif %}"#;
        assert_eq!(missing_ids(source, "t"), Vec::<String>::new());
    }

    #[test]
    fn attributes_in_values_and_expressions_do_not_count() {
        let source = r#"<p title="id" {{ "id" }} data-id="1" dj-hook="Note">
            <x-widget dj-hook {% if a > b %}hidden{% endif %}/>"#;
        let problems = missing_ids(source, "t");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("`<p dj-hook=\"Note\">` (t, line 1)"));
        assert!(problems[1].starts_with("`<x-widget dj-hook>` (t, line 2)"));
    }

    #[test]
    fn text_and_closing_tags_are_not_elements() {
        let source = "a < b dj-hook=\"x\" </div dj-hook=\"y\"> <!doctype html> 1<2 \
                      <script>if (a<b dj-hook=\"z\">c) {}</script>";
        assert_eq!(missing_ids(source, "t"), Vec::<String>::new());
    }
}
