//! One module per chart type: each lays out its axes and marks inside the plot rectangle.

pub(super) mod bar;
mod boxplot;
pub(super) mod bullet;
mod cartesian;
pub(super) mod competitive_radar;
pub(super) mod funnel;
pub(super) mod heatcalendar;
pub(super) mod line;
pub(super) mod lollipop;
pub(super) mod mixed;
mod needle;
mod outlabels;
pub(super) mod pie;
pub(super) mod polar;
pub(super) mod radar;
mod rows;
pub(super) mod scatter;
pub(super) mod slope;
pub(super) mod sparkline;
pub(super) mod waterfall;
mod wheel;
