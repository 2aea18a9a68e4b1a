//! No import cycle between the top-level modules of any crate of the workspace.
//!
//! Every `crate::<module>` path in a top-level module's files (its `foo.rs` or its `foo/`
//! folder) is an edge from that module to `<module>`; the graph must have no cycle. Uses inside
//! one module's folder may go both ways. `docs/architecture.md` gives the intended order.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use syn::visit::Visit;

/// Top-level module → the top-level modules its files name through `crate::`.
type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn no_crate_has_an_import_cycle_between_its_top_level_modules() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let crates = source_dirs(&workspace);
    assert!(
        crates.iter().any(|dir| dir.ends_with("djust-actix/src")),
        "no crate found under {}",
        workspace.display()
    );
    let mut failures = Vec::new();
    for src in &crates {
        let graph = graph_of(src);
        if let Some(cycle) = find_cycle(&graph) {
            failures.push(format!("{}: {}", src.display(), cycle.join(" -> ")));
        }
    }
    assert!(
        failures.is_empty(),
        "import cycles:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_cycles_and_only_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph = Graph::new();
        for (from, to) in edges {
            graph
                .entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
        }
        graph
    };
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])),
        None
    );
    let cycle = find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])).unwrap();
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4);
}

#[test]
fn paths_in_use_trees_and_code_are_edges() {
    let file: syn::File = syn::parse_str(
        "use crate::{a::X, b}; use super::c; fn f() { crate::d::g(); let _: crate::e::T; }",
    )
    .unwrap();
    let mut names = Names::default();
    names.visit_file(&file);
    let expected: BTreeSet<String> = ["a", "b", "d", "e"].map(String::from).into();
    assert_eq!(names.0, expected);
}

/// The `src` directories of the workspace's crates.
fn source_dirs(workspace: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for entry in read_dir(workspace) {
        let src = entry.join("src");
        if src.is_dir() && entry.join("Cargo.toml").is_file() {
            dirs.push(src);
        }
        for nested in read_dir(&entry) {
            let src = nested.join("src");
            if src.is_dir() && nested.join("Cargo.toml").is_file() {
                dirs.push(src);
            }
        }
    }
    dirs.sort();
    dirs
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_dir() && !path.ends_with("target") && !path.ends_with("node_modules")
        })
        .collect()
}

/// The module graph of one crate's `src`.
fn graph_of(src: &Path) -> Graph {
    let mut graph = Graph::new();
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|file| top_module(src, file))
        .collect();
    for file in &files {
        let Some(module) = top_module(src, file) else {
            continue; // the crate root re-exports everything
        };
        let text = fs::read_to_string(file).expect("source file is readable");
        let parsed = syn::parse_file(&text)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.display()));
        let mut names = Names::default();
        names.visit_file(&parsed);
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(
            names
                .0
                .into_iter()
                .filter(|name| *name != module && modules.contains(name)),
        );
    }
    graph
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source dir is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// `foo` for `src/foo.rs` and `src/foo/**`; `None` for the crate roots and `src/bin`.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "bin")).then(|| name.to_owned())
}

/// The first segments after `crate::` of every path in a file.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl<'ast> Visit<'ast> for Names {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next()) {
            if first.ident == "crate" {
                self.0.insert(second.ident.to_string());
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_use_path(&mut self, use_path: &'ast syn::UsePath) {
        if use_path.ident == "crate" {
            collect_use_roots(&use_path.tree, &mut self.0);
        }
        syn::visit::visit_use_path(self, use_path);
    }
}

fn collect_use_roots(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(path) => {
            out.insert(path.ident.to_string());
        }
        syn::UseTree::Name(name) => {
            out.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            out.insert(rename.ident.to_string());
        }
        syn::UseTree::Group(group) => {
            for item in &group.items {
                collect_use_roots(item, out);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// A cycle (`a -> b -> … -> a`) in `graph`, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Visiting) => {
                let start = stack.iter().position(|name| name == node)?;
                let mut cycle = stack[start..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Visiting);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}
