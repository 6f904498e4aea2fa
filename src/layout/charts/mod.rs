//! One module per chart type: each lays out its axes and marks inside the plot rectangle.

pub(super) mod bar;
mod cartesian;
pub(super) mod line;
pub(super) mod pie;
pub(super) mod scatter;
