//! (Being written: until then this lesson shows the generic resources panel.)

use super::PanelCtx;
use ratatui::Frame;
use ratatui::layout::Rect;

pub(crate) fn height(ctx: &PanelCtx, width: usize) -> usize {
    crate::tui::view::resources::height(ctx.app, width, ctx.compact)
}

pub(crate) fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    crate::tui::view::resources::render(ctx.app, frame, area, ctx.compact);
}
