//! Colour helpers shared by the chart modules.

use peniko::Color;

/// Relative luminance above which dark text reads better than white on a fill.
const LIGHT_FILL: f32 = 0.55;

/// Dark or white text, whichever reads better on `fill`.
pub(crate) fn text_on(fill: Color) -> Color {
    let [r, g, b, _] = fill.components;
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    if luminance > LIGHT_FILL {
        Color::from_rgb8(0x11, 0x18, 0x27)
    } else {
        Color::WHITE
    }
}

/// `a` blended toward `b` by `t` (0 = `a`, 1 = `b`), opaque.
pub(crate) fn blend(a: Color, b: Color, t: f32) -> Color {
    let [ar, ag, ab, _] = a.components;
    let [br, bg, bb, _] = b.components;
    let mix = |x: f32, y: f32| x + (y - x) * t;
    Color::new([mix(ar, br), mix(ag, bg), mix(ab, bb), 1.0])
}

/// The point at `t` (0 = low end, 1 = high end) of the theme's sequential scale, mixed in
/// Oklab: lightness moves evenly while colourfulness comes early (√t), so low steps read as
/// tints of the high colour rather than greys.
pub(crate) fn sequential(theme: &crate::theme::Theme, t: f32) -> Color {
    use peniko::color::{AlphaColor, Oklab, Srgb};
    let (low, high) = theme.sequential;
    let a = low.convert::<Oklab>().components;
    let b = high.convert::<Oklab>().components;
    let mix = |i: usize, t: f32| a[i] + (b[i] - a[i]) * t;
    let c = t.sqrt();
    AlphaColor::<Oklab>::new([mix(0, t), mix(1, c), mix(2, c), 1.0])
        .convert::<Srgb>()
        .map(|r, g, b, _| [r.clamp(0.0, 1.0), g.clamp(0.0, 1.0), b.clamp(0.0, 1.0), 1.0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_and_blend() {
        assert_eq!(text_on(Color::WHITE), Color::from_rgb8(0x11, 0x18, 0x27));
        assert_eq!(text_on(Color::BLACK), Color::WHITE);
        let mid = blend(Color::BLACK, Color::WHITE, 0.5);
        assert!((mid.components[0] - 0.5).abs() < 1e-6);
    }
}
