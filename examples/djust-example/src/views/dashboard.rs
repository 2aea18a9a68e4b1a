//! `/dashboard/`: six lazy widgets (`dj-lazy`), mounted together with one `mount_batch` frame
//! once visible; the sixth fails on mount on purpose and shows its error.

use djust_actix::prelude::*;

/// The dashboard's own view: a heading (the widgets are lazy views of the same page).
#[live_view(template = "dashboard.html", title = "Dashboard")]
#[derive(Debug, Default)]
pub struct Dashboard {}

#[events]
impl Dashboard {}

/// Defines a widget view: a title, a number, a refresh button.
macro_rules! widget {
    ($(#[$doc:meta])* $name:ident, $title:literal, $value:expr) => {
        $(#[$doc])*
        #[live_view(template = "widget.html")]
        #[derive(Debug)]
        pub struct $name {
            /// The widget's heading.
            pub title: &'static str,
            /// Its figure.
            pub value: u64,
            /// How many times it was refreshed.
            pub refreshes: u32,
        }

        #[events]
        impl $name {
            fn mount() -> Self {
                Self { title: $title, value: $value, refreshes: 0 }
            }

            #[event]
            fn refresh(&mut self) {
                self.refreshes += 1;
                self.value += 1;
            }
        }
    };
}

widget!(
    /// Visitors today.
    Visitors,
    "Visitors",
    1_204
);
widget!(
    /// Sales today.
    Sales,
    "Sales",
    87
);
widget!(
    /// New accounts today.
    Signups,
    "Signups",
    31
);
widget!(
    /// Median response time.
    Latency,
    "Latency (ms)",
    42
);
widget!(
    /// Errors logged today.
    Errors,
    "Errors",
    3
);

/// A widget whose data source is down: its mount fails, on purpose.
#[live_view(template = "widget.html")]
#[derive(Debug)]
pub struct Reports {
    /// The widget's heading.
    pub title: &'static str,
    /// Its figure.
    pub value: u64,
    /// How many times it was refreshed.
    pub refreshes: u32,
}

#[events]
impl Reports {
    fn mount() -> Result<Self, MountError> {
        Err(MountError::new(
            "Reports: the reporting service is unavailable",
        ))
    }

    #[event]
    fn refresh(&mut self) {}
}
