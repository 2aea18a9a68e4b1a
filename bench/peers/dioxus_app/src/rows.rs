//! The 1,000-row table (js-framework-benchmark), with the example's labels and operations.

use dioxus::prelude::*;

const ADJECTIVES: &[&str] = &[
    "pretty",
    "large",
    "big",
    "small",
    "tall",
    "short",
    "long",
    "handsome",
    "plain",
    "quaint",
    "clean",
    "elegant",
    "easy",
    "angry",
    "crazy",
    "helpful",
    "mushy",
    "odd",
    "unsightly",
    "adorable",
    "important",
    "inexpensive",
    "cheap",
    "expensive",
    "fancy",
];
const COLOURS: &[&str] = &[
    "red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black",
    "orange",
];
const NOUNS: &[&str] = &[
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger",
    "pizza", "mouse", "keyboard",
];

#[derive(Clone, PartialEq)]
struct Row {
    id: u64,
    label: String,
}

struct Table {
    rows: Vec<Row>,
    selected: Option<u64>,
    next_id: u64,
    seed: u64,
}

impl Table {
    fn random(&mut self, below: usize) -> usize {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        (self.seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
    }

    fn create(&mut self) {
        self.rows = (0..1000)
            .map(|_| {
                self.next_id += 1;
                let label = format!(
                    "{} {} {}",
                    ADJECTIVES[self.random(ADJECTIVES.len())],
                    COLOURS[self.random(COLOURS.len())],
                    NOUNS[self.random(NOUNS.len())]
                );
                Row {
                    id: self.next_id,
                    label,
                }
            })
            .collect();
    }

    fn update_every_10th(&mut self) {
        for row in self.rows.iter_mut().step_by(10) {
            match row.label.strip_suffix(" !!!") {
                Some(plain) => row.label = plain.to_owned(),
                None => row.label.push_str(" !!!"),
            }
        }
    }

    fn swap_rows(&mut self) {
        if self.rows.len() > 998 {
            self.rows.swap(1, 998);
        }
    }
}

/// The table page: buttons in the order `ws-load --protocol dioxus` finds them by.
pub(crate) fn rows() -> Element {
    let mut table = use_signal(|| Table {
        rows: Vec::new(),
        selected: None,
        next_id: 0,
        seed: 0x9e37_79b9_7f4a_7c15,
    });
    let selected = table.read().selected;
    rsx! {
        section { class: "rows",
            button { id: "create", onclick: move |_| table.write().create(), "Create 1,000 rows" }
            button { id: "update", onclick: move |_| table.write().update_every_10th(), "Update every 10th" }
            button { id: "swap", onclick: move |_| table.write().swap_rows(), "Swap rows" }
            button { id: "select", onclick: move |_| table.write().selected = Some(7), "Select row 7" }
            table { class: "table",
                tbody {
                    for row in table.read().rows.iter() {
                        tr { key: "{row.id}", class: if selected == Some(row.id) { "danger" } else { "" },
                            td { class: "col-md-1", "{row.id}" }
                            td { class: "col-md-4", a { "{row.label}" } }
                            td { class: "col-md-1", a { span { class: "glyphicon glyphicon-remove" } } }
                        }
                    }
                }
            }
        }
    }
}
