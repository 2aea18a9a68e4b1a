//! The one-handler view the telemetry tests click.

use djust_actix::prelude::*;

/// A paragraph counting its clicks, next to enough unchanged markup that a patch is shorter
/// than the HTML.
#[live_view(inline = r#"<p dj-click="click">{{ count }}</p><p>{{ filler }}</p>"#)]
pub(crate) struct Clicks {
    count: u32,
    filler: String,
}

#[events]
impl Clicks {
    fn mount(_ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self {
            count: 0,
            filler: "static text ".repeat(20),
        })
    }

    #[event]
    fn click(&mut self) {
        self.count += 1;
    }
}
