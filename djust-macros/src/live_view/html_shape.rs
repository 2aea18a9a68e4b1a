//! Refusing, at compile time, templates whose HTML the browser would not build as written.
//!
//! The template (with its includes inlined) is rendered into a few variants: askama
//! expressions become the text `x` (opaque text), each `{% if %}`/`{% match %}` takes its first,
//! second… branch in turn (the missing `else` is an empty branch), each `{% for %}` runs twice,
//! never and once. Each variant goes through djust-core's tree builder in strict mode
//! ([`djust_core::vdom::check_shape`]); what it reports is mapped back to the template line.

use std::{
    fs,
    path::{Path, PathBuf},
};

use djust_core::vdom::check_shape;

/// How deep includes may nest.
const MAX_INCLUDE_DEPTH: usize = 8;
/// How many problems one error message lists.
const MAX_REPORTED: usize = 5;

/// A piece of a template.
#[derive(Debug)]
enum Seg {
    /// Literal HTML, at byte `at` of file `file`.
    Html {
        text: String,
        file: usize,
        at: usize,
    },
    /// `{{ … }}`: opaque text.
    Expr { file: usize, at: usize },
    /// `{% if %}` / `{% match %}`: the branches.
    Branches(Vec<Vec<Seg>>),
    /// `{% for %}`: the body, and the `{% else %}` for no iteration.
    Loop(Vec<Seg>, Vec<Seg>),
}

/// The template files read (for line numbers).
struct Files {
    dir: PathBuf,
    names: Vec<String>,
    sources: Vec<String>,
}

/// Checks the template at `root` (in `dir`, comments already in `source` or not); returns the
/// problems as one message, or `None` when the HTML is built as written.
pub(crate) fn check(dir: &Path, root: &Path, source: &str) -> Option<String> {
    let mut files = Files {
        dir: dir.to_owned(),
        names: Vec::new(),
        sources: Vec::new(),
    };
    let segs = files.parse_file(root, source.to_owned(), 0);
    let branches = max_branches(&segs).max(3);
    let mut problems: Vec<String> = Vec::new();
    for variant in 0..branches {
        let mut out = Output::default();
        render(&segs, variant, &mut out);
        for error in check_shape(&out.html) {
            let (file, line) = out.locate(&files, error.at);
            let problem = format!("`{file}` line {line}: {}", error.message);
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
    }
    if problems.is_empty() {
        return None;
    }
    let more = problems.len().saturating_sub(MAX_REPORTED);
    problems.truncate(MAX_REPORTED);
    let mut message = format!(
        "the browser would not build this template's HTML as written (djust patches the tree it \
         builds from it; see docs/templates.md):\n  {}",
        problems.join("\n  ")
    );
    if more > 0 {
        message.push_str(&format!("\n  … and {more} more"));
    }
    Some(message)
}

impl Files {
    fn parse_file(&mut self, path: &Path, source: String, depth: usize) -> Vec<Seg> {
        let file = self.names.len();
        let name = path
            .strip_prefix(&self.dir)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        self.names.push(name);
        let source = super::template_scan::strip_comments(&source);
        self.sources.push(source.clone());
        let mut parser = Parser {
            src: &source,
            pos: 0,
            file,
        };
        let (segs, _) = parser.block(self, path, depth, &[]);
        segs
    }

    fn include(&mut self, from: &Path, name: &str, depth: usize) -> Vec<Seg> {
        if depth >= MAX_INCLUDE_DEPTH {
            return Vec::new();
        }
        let found = [from.with_file_name(name), self.dir.join(name)]
            .into_iter()
            .find(|candidate| candidate.is_file());
        let Some(path) = found else {
            return Vec::new(); // askama reports it
        };
        match fs::read_to_string(&path) {
            Ok(source) => self.parse_file(&path, source, depth + 1),
            Err(_) => Vec::new(),
        }
    }
}

struct Parser<'s> {
    src: &'s str,
    pos: usize,
    file: usize,
}

impl Parser<'_> {
    /// Reads segments until one of the block tags in `ends` (returned) or the end.
    fn block(
        &mut self,
        files: &mut Files,
        path: &Path,
        depth: usize,
        ends: &[&str],
    ) -> (Vec<Seg>, Option<String>) {
        let mut segs = Vec::new();
        loop {
            let rest = &self.src[self.pos..];
            let next = [rest.find("{{"), rest.find("{%")]
                .into_iter()
                .flatten()
                .min();
            let Some(at) = next else {
                self.html(&mut segs, self.src.len());
                return (segs, None);
            };
            let start = self.pos + at;
            self.html(&mut segs, start);
            let expr = rest[at..].starts_with("{{");
            let close = if expr { "}}" } else { "%}" };
            let end = self.src[start + 2..]
                .find(close)
                .map_or(self.src.len(), |p| start + 2 + p + 2);
            self.pos = end;
            if expr {
                segs.push(Seg::Expr {
                    file: self.file,
                    at: start,
                });
                continue;
            }
            let inner = self.src[start + 2..end.saturating_sub(2).max(start + 2)]
                .trim_matches(|c: char| c == '-' || c == '+' || c == '~' || c.is_whitespace());
            let keyword = inner.split_whitespace().next().unwrap_or("");
            if ends.contains(&keyword) {
                return (segs, Some(inner.to_owned()));
            }
            match keyword {
                "if" => {
                    let mut branches = Vec::new();
                    let mut has_else = false;
                    loop {
                        let (body, end) =
                            self.block(files, path, depth, &["elif", "else", "endif"]);
                        branches.push(body);
                        match end
                            .as_deref()
                            .map(|e| e.split_whitespace().next().unwrap_or(""))
                        {
                            Some("elif") => {}
                            Some("else") => {
                                has_else = !end.as_deref().is_some_and(|e| e.contains(" if "));
                            }
                            _ => break,
                        }
                    }
                    if !has_else {
                        branches.push(Vec::new());
                    }
                    segs.push(Seg::Branches(branches));
                }
                "match" => {
                    let (_, mut end) =
                        self.block(files, path, depth, &["when", "else", "endmatch"]);
                    let mut branches = Vec::new();
                    while end.as_deref().is_some_and(|e| !e.starts_with("endmatch")) {
                        let (body, next) =
                            self.block(files, path, depth, &["when", "else", "endmatch"]);
                        branches.push(body);
                        end = next;
                    }
                    segs.push(Seg::Branches(branches));
                }
                "for" => {
                    let (body, end) = self.block(files, path, depth, &["else", "endfor"]);
                    let empty = if end.as_deref().is_some_and(|e| e.starts_with("else")) {
                        self.block(files, path, depth, &["endfor"]).0
                    } else {
                        Vec::new()
                    };
                    segs.push(Seg::Loop(body, empty));
                }
                "block" | "filter" => {
                    let end = if keyword == "block" {
                        "endblock"
                    } else {
                        "endfilter"
                    };
                    let (body, _) = self.block(files, path, depth, &[end]);
                    segs.extend(body);
                }
                // Not rendered where written (macro bodies, `call` blocks and raw text are
                // opaque here).
                "macro" | "call" | "raw" => {
                    let end = format!("end{keyword}");
                    let (_, _) = self.block(files, path, depth, &[end.as_str()]);
                    segs.push(Seg::Expr {
                        file: self.file,
                        at: start,
                    });
                }
                "include" => {
                    if let Some(name) = quoted(inner) {
                        segs.extend(files.include(path, &name, depth));
                    }
                }
                _ => {} // let, set, extends, import…: no output here
            }
        }
    }

    fn html(&mut self, segs: &mut Vec<Seg>, end: usize) {
        if end > self.pos {
            segs.push(Seg::Html {
                text: self.src[self.pos..end].to_owned(),
                file: self.file,
                at: self.pos,
            });
        }
        self.pos = end;
    }
}

fn quoted(tag: &str) -> Option<String> {
    let start = tag.find('"')? + 1;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_owned())
}

fn max_branches(segs: &[Seg]) -> usize {
    segs.iter()
        .map(|s| match s {
            Seg::Branches(b) => b
                .len()
                .max(b.iter().map(|b| max_branches(b)).max().unwrap_or(0)),
            Seg::Loop(body, empty) => max_branches(body).max(max_branches(empty)),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// A rendered variant and where each piece came from.
#[derive(Default)]
struct Output {
    html: String,
    /// (offset in `html`, file, offset in the file)
    origins: Vec<(usize, usize, usize)>,
}

impl Output {
    fn locate(&self, files: &Files, at: usize) -> (String, usize) {
        let k = self
            .origins
            .partition_point(|o| o.0 <= at)
            .saturating_sub(1);
        let Some(&(out, file, file_at)) = self.origins.get(k) else {
            return (files.names.first().cloned().unwrap_or_default(), 1);
        };
        let source = &files.sources[file];
        let pos = (file_at + (at - out)).min(source.len());
        let line = source.as_bytes()[..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        (files.names[file].clone(), line)
    }
}

fn render(segs: &[Seg], variant: usize, out: &mut Output) {
    for seg in segs {
        match seg {
            Seg::Html { text, file, at } => {
                out.origins.push((out.html.len(), *file, *at));
                out.html.push_str(text);
            }
            Seg::Expr { file, at } => {
                out.origins.push((out.html.len(), *file, *at));
                out.html.push('x');
            }
            Seg::Branches(branches) if !branches.is_empty() => {
                render(&branches[variant % branches.len()], variant, out);
            }
            Seg::Branches(_) => {}
            Seg::Loop(body, empty) => match variant % 3 {
                0 => {
                    render(body, variant, out);
                    render(body, variant, out);
                }
                1 => render(empty, variant, out),
                _ => render(body, variant, out),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(source: &str) -> Option<String> {
        let dir = std::env::temp_dir();
        check(&dir, &dir.join("t.html"), source)
    }

    #[test]
    fn well_formed_templates_pass() {
        assert_eq!(
            problems("<ul>{% for i in items %}<li>{{ i }}{% endfor %}</ul>"),
            None
        );
        assert_eq!(
            problems("<table><tr><td>{{ a }}</td></tr></table><p>a<p>b"),
            None
        );
        assert_eq!(
            problems("{% if a %}<div class=\"x\">{% else %}<div>{% endif %}y</div>"),
            None
        );
        assert_eq!(
            problems("<input {% if c %}checked{% endif %} value=\"{{ v }}\">"),
            None
        );
    }

    #[test]
    fn both_branches_are_checked_and_lines_reported() {
        let p = problems("<table>\n{% if a %}\n<tr><td>1</td></tr>\n{% else %}\n{{ none }}\n{% endif %}\n</table>")
            .expect("refused");
        assert!(
            p.contains("`t.html` line 5: text directly in a table"),
            "{p}"
        );
        let p = problems("<p>\n{% for x in xs %}<div>{{ x }}</div>{% endfor %}\n</p>")
            .expect("refused");
        assert!(p.contains("line 3: </p> without an open <p>"), "{p}");
    }
}
