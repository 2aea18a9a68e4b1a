//! Reading a view's template (and the templates it includes) to find the handlers it names
//! and the mistakes in its markup.

use std::{
    fs,
    path::{Path, PathBuf},
};

use super::{attr::Template, hooks};

/// The attributes whose value names an `#[event]` handler.
const EVENT_ATTRS: &[&str] = &[
    "dj-click",
    "dj-submit",
    "dj-change",
    "dj-input",
    "dj-keydown",
    "dj-keyup",
    "dj-blur",
    "dj-focus",
    "dj-window-keydown",
    "dj-window-keyup",
];

/// The tags that pull another template file in.
const FILE_TAGS: &[&str] = &["include", "extends", "import"];

/// A handler named by a template: `dj-click="increment"`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HandlerUse {
    /// The attribute (`dj-click`).
    pub(crate) attr: &'static str,
    /// The handler name (`increment`).
    pub(crate) name: String,
    /// The template it appears in: "template `counter.html`" or "the inline template".
    pub(crate) place: String,
}

/// What a template and the files it includes use.
#[derive(Debug)]
pub(crate) struct Scan {
    /// The absolute path of the view's own template file (`None` for an inline template).
    pub(crate) root: Option<PathBuf>,
    /// Every template file read, for rebuild tracking.
    pub(crate) files: Vec<PathBuf>,
    /// Every static handler name, first use only.
    pub(crate) handlers: Vec<HandlerUse>,
    /// Mistakes in the markup, one message each (file and line included).
    pub(crate) problems: Vec<String>,
}

/// Reads the view's template (the file `template` names in `dir`, or the inline source) and
/// every file it includes, extends or imports.
///
/// Errors only when the view's own template file cannot be read; an include that cannot be
/// found is left for askama to report.
pub(crate) fn scan(dir: &Path, template: &Template) -> Result<Scan, String> {
    let (root, source) = match template {
        Template::File(path) => {
            let path = path.value();
            let file = dir.join(&path);
            let source = read_root(dir, &path, &file)?;
            (Some(file), source)
        }
        Template::Inline(source) => (None, source.value()),
    };
    let shape_root = root
        .clone()
        .unwrap_or_else(|| dir.join("(inline template)"));
    if let Some(message) = super::html_shape::check(dir, &shape_root, &source) {
        let place = root.as_deref().map_or_else(
            || "the inline template".to_owned(),
            |path| format!("template `{}`", display_name(dir, path)),
        );
        return Err(format!("{place}: {message}"));
    }
    let mut scan = Scan {
        root: root.clone(),
        files: Vec::new(),
        handlers: Vec::new(),
        problems: Vec::new(),
    };
    let mut queue = vec![(root, source)];
    while let Some((path, source)) = queue.pop() {
        let source = strip_comments(&source);
        let place = path.as_deref().map_or_else(
            || "the inline template".to_owned(),
            |path| format!("template `{}`", display_name(dir, path)),
        );
        for (attr, name) in handler_uses(&source) {
            if !scan.handlers.iter().any(|used| used.name == name) {
                scan.handlers.push(HandlerUse {
                    attr,
                    name,
                    place: place.clone(),
                });
            }
        }
        scan.problems.extend(hooks::missing_ids(&source, &place));
        scan.files.extend(path.clone());
        for included in included_files(&source) {
            let Some(found) = resolve(dir, path.as_deref(), &included) else {
                continue;
            };
            if scan.files.contains(&found)
                || queue
                    .iter()
                    .any(|(queued, _)| queued.as_ref() == Some(&found))
            {
                continue;
            }
            if let Ok(source) = fs::read_to_string(&found) {
                queue.push((Some(found), source));
            }
        }
    }
    Ok(scan)
}

/// The source of the view's own template file `path` (`file` in `dir`).
fn read_root(dir: &Path, path: &str, file: &Path) -> Result<String, String> {
    fs::read_to_string(file).map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            format!("template `{path}` not found in {}", dir.display())
        } else {
            format!("cannot read template `{path}`: {error}")
        }
    })
}

/// Finds `name` next to `from` first (an inline template has no file), then in `dir`
/// (askama's order).
fn resolve(dir: &Path, from: Option<&Path>, name: &str) -> Option<PathBuf> {
    from.map(|from| from.with_file_name(name))
        .into_iter()
        .chain([dir.join(name)])
        .find(|candidate| candidate.is_file())
}

fn display_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Blanks out `{# askama #}` and `<!-- HTML -->` comments, keeping byte offsets.
pub(crate) fn strip_comments(source: &str) -> String {
    let mut out = source.to_owned();
    for (open, close) in [("{#", "#}"), ("<!--", "-->")] {
        let mut from = 0;
        while let Some(start) = out[from..].find(open).map(|at| from + at) {
            let end = out[start + open.len()..]
                .find(close)
                .map_or(out.len(), |at| start + open.len() + at + close.len());
            let blank: String = out[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            out.replace_range(start..end, &blank);
            from = start + blank.len();
        }
    }
    out
}

/// Every `dj-<event>="name"` with a static value, in order.
fn handler_uses(source: &str) -> Vec<(&'static str, String)> {
    let bytes = source.as_bytes();
    let mut uses = Vec::new();
    let mut from = 0;
    while let Some(start) = source[from..].find("dj-").map(|at| from + at) {
        from = start + 3;
        if start > 0 && is_name_byte(bytes[start - 1]) {
            continue;
        }
        let name_end = source[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(source.len(), |at| start + at);
        let Some(attr) = EVENT_ATTRS
            .iter()
            .find(|attr| **attr == &source[start..name_end])
        else {
            continue;
        };
        let Some(value) = attribute_value(&source[name_end..]) else {
            continue;
        };
        let value = value.trim();
        if !value.is_empty() && !value.contains("{{") && !value.contains("{%") {
            uses.push((*attr, value.to_owned()));
        }
    }
    uses
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

/// The value of an attribute whose name has just been read: `="x"`, `='x'` or `=x`.
fn attribute_value(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].find(quote).map(|end| &rest[1..=end]),
        _ => Some(
            &rest[..rest
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(rest.len())],
        ),
    }
}

/// The file names of `{% include "..." %}`, `{% extends "..." %}` and `{% import "..." %}`.
fn included_files(source: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("{%") {
        rest = &rest[at + 2..];
        let tag = rest.trim_start_matches(['-', '+', '~']).trim_start();
        let Some(after_keyword) = FILE_TAGS.iter().find_map(|keyword| {
            tag.strip_prefix(keyword)
                .filter(|after| after.starts_with(char::is_whitespace))
        }) else {
            continue;
        };
        let Some(literal) = after_keyword.trim_start().strip_prefix('"') else {
            continue;
        };
        if let Some(end) = literal.find('"') {
            files.push(literal[..end].to_owned());
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_static_handlers() {
        let uses = handler_uses(
            r#"<button dj-click="increment">+</button>
               <form dj-submit = 'save'><input dj-keyup=search dj-key="Enter"></form>
               <a data-dj-click="no" dj-click-away="no" dj-click="{{ dynamic }}" dj-blur=" ">"#,
        );
        assert_eq!(
            uses,
            vec![
                ("dj-click", "increment".to_owned()),
                ("dj-submit", "save".to_owned()),
                ("dj-keyup", "search".to_owned()),
            ]
        );
    }

    #[test]
    fn skips_comments() {
        let source = strip_comments("{# dj-click=\"a\" #}<!-- dj-click=\"b\" -->dj-click=\"c\"");
        assert_eq!(handler_uses(&source), vec![("dj-click", "c".to_owned())]);
    }

    #[test]
    fn finds_included_files() {
        assert_eq!(
            included_files(
                r#"{% extends "base.html" %}{%- include "row.html" -%}{% import "m.html" as m %}{% includes "x" %}"#
            ),
            vec!["base.html", "row.html", "m.html"]
        );
    }
}
