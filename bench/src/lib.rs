//! Shared inputs of the benchmarks.
//!
//! [`rows_html`] renders the js-framework-benchmark table used to compare VDOM costs with djust
//! (`perf-plan.md`, Appendix B; rows keyed with `dj-key` instead of `data-key`), so that the
//! criterion benches and the WebSocket load tools send the same pages.

use std::fmt::Write as _;

pub mod views;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its id (also its key).
    pub id: usize,
    /// Its label (`row <id>` at first).
    pub label: String,
}

/// Rows `0..n` labelled `row <i>`.
pub fn rows(n: usize) -> Vec<Row> {
    (0..n)
        .map(|id| Row {
            id,
            label: format!("row {id}"),
        })
        .collect()
}

/// The rows with `suffix` appended to the label of every `every`-th row (`i % every == 0`).
pub fn update_every(rows: &[Row], every: usize, suffix: &str) -> Vec<Row> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| Row {
            id: r.id,
            label: if i % every == 0 {
                format!("{}{suffix}", r.label)
            } else {
                r.label.clone()
            },
        })
        .collect()
}

/// The table's HTML (about 210 bytes per row), with `class="danger"` on the row whose id is
/// `selected`.
pub fn rows_html(rows: &[Row], selected: Option<usize>) -> String {
    let mut out = String::with_capacity(64 + rows.len() * 220);
    out.push_str("<main><table class=\"table\"><tbody>");
    for r in rows {
        let class = if selected == Some(r.id) {
            " class=\"danger\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<tr dj-key=\"{id}\"{class}><td class=\"col-md-1\">{id}</td><td class=\"col-md-4\"><a dj-click=\"select\">{label}</a></td><td class=\"col-md-1\"><a dj-click=\"remove\"><span class=\"glyphicon glyphicon-remove\"></span></a></td></tr>",
            id = r.id,
            label = r.label,
        );
    }
    out.push_str("</tbody></table></main>");
    out
}

/// The benchmark operations on a 1,000-row table: `(name, old html, new html)`.
pub fn row_ops() -> Vec<(&'static str, String, String)> {
    let base = rows(1000);
    let html = rows_html(&base, None);
    let mut swapped = base.clone();
    swapped.swap(1, 998);
    let mut removed = base.clone();
    removed.remove(500);
    vec![
        ("create 1k", rows_html(&[], None), html.clone()),
        (
            "update every 10th",
            html.clone(),
            rows_html(&update_every(&base, 10, " !!!"), None),
        ),
        ("swap rows", html.clone(), rows_html(&swapped, None)),
        ("select row", html.clone(), rows_html(&base, Some(7))),
        ("remove row", html.clone(), rows_html(&removed, None)),
        ("clear 1k", html.clone(), rows_html(&[], None)),
        (
            "no change (reparse)",
            html.clone(),
            format!("{html}<!-- -->"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        let html = rows_html(&rows(2), Some(1));
        assert_eq!(
            html,
            "<main><table class=\"table\"><tbody><tr dj-key=\"0\"><td class=\"col-md-1\">0</td><td class=\"col-md-4\"><a dj-click=\"select\">row 0</a></td><td class=\"col-md-1\"><a dj-click=\"remove\"><span class=\"glyphicon glyphicon-remove\"></span></a></td></tr><tr dj-key=\"1\" class=\"danger\"><td class=\"col-md-1\">1</td><td class=\"col-md-4\"><a dj-click=\"select\">row 1</a></td><td class=\"col-md-1\"><a dj-click=\"remove\"><span class=\"glyphicon glyphicon-remove\"></span></a></td></tr></tbody></table></main>"
        );
        assert_eq!(row_ops().len(), 7);
    }
}
