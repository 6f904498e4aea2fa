//! SVG straight from the [`Figure`]: every shape a `<rect>`, `<circle>` or `<path>`, strokes and
//! clips as the figure has them, in the same pixel coordinates as the PNG (the SVG's user unit
//! is one canvas pixel), so the geometry is the PNG's.
//!
//! Text, by [`SvgText`]:
//! - `Paths` (the default): each used glyph's outline is written once in `<defs>` (font units)
//!   and placed with `<use>`, so the picture is the PNG's on every viewer with no font
//!   installed, and repeated glyphs cost a few bytes. An invisible `<text>` layer on top carries
//!   the characters, so the text can still be selected, searched and read by screen readers.
//! - `Text`: visible `<text>` elements, each character at the x the shaper gave it, in the font
//!   family the run was shaped with (no font embedded: small and editable, but the viewer's
//!   copy of the font draws it).
//!
//! Every id starts with a per-document prefix, so several charts inlined in one HTML page never
//! clash. The root is `role="img"` with `<title>` and `<desc>` from the chart's
//! [`DocInfo`].

use super::doc_info::DocInfo;
use super::glyphs::{self, FontKey};
use crate::figure::{Figure, Item, Shape, Text};
use crate::spec::SvgText;
use kurbo::{Affine, BezPath, Cap, Join, PathEl, Stroke};
use peniko::Color;
use std::collections::HashMap;
use std::fmt::Write as _;

/// How an SVG document is written.
#[derive(Clone, Debug)]
pub struct SvgOptions {
    /// How text is drawn.
    pub text: SvgText,
    /// Prefix of every id in the document (letters, digits, `-`, `_`), unique per chart.
    pub id_prefix: String,
}

impl SvgOptions {
    /// Options with a fresh random id prefix (`cc` and 10 hex digits).
    pub fn new(text: SvgText) -> SvgOptions {
        SvgOptions {
            text,
            id_prefix: format!("cc{:010x}", rand::random::<u64>() >> 24),
        }
    }
}

/// Writes `figure` as an SVG document.
pub fn svg(figure: &Figure, info: &DocInfo, options: &SvgOptions) -> Vec<u8> {
    let mut w = Writer {
        p: sanitize_prefix(&options.id_prefix),
        defs: String::new(),
        body: String::new(),
        glyph_ids: HashMap::new(),
        fonts: HashMap::new(),
        clips: 0,
        mode: options.text,
    };
    w.background(figure);
    let mut open_clips = 0usize;
    for item in &figure.items {
        match item {
            Item::Fill { shape, color } => w.shape(shape, &fill_attrs(*color)),
            Item::Stroke {
                shape,
                color,
                style,
            } => w.shape(shape, &stroke_attrs(*color, style)),
            Item::Text(t) => w.text(t),
            Item::PushClip(shape) => {
                w.push_clip(shape);
                open_clips += 1;
            }
            Item::PopClip => {
                if open_clips > 0 {
                    w.body.push_str("</g>");
                    open_clips -= 1;
                }
            }
        }
    }
    for _ in 0..open_clips {
        w.body.push_str("</g>");
    }
    w.finish(figure, info).into_bytes()
}

struct Writer {
    /// The id prefix.
    p: String,
    defs: String,
    body: String,
    /// (font, glyph) → its `<path>` id in defs (`None`: no outline, a space).
    glyph_ids: HashMap<(FontKey, u32), Option<usize>>,
    /// Fonts seen, numbered in order, with their units per em.
    fonts: HashMap<FontKey, (usize, f32)>,
    clips: usize,
    mode: SvgText,
}

impl Writer {
    fn background(&mut self, figure: &Figure) {
        if figure.background.components[3] > 0.0 {
            let _ = write!(
                self.body,
                "<rect width=\"{}\" height=\"{}\"{}/>",
                figure.width,
                figure.height,
                fill_attrs(figure.background)
            );
        }
    }

    fn shape(&mut self, shape: &Shape, attrs: &str) {
        let b = &mut self.body;
        match shape {
            Shape::Rect(r) => {
                let _ = write!(
                    b,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{attrs}/>",
                    num(r.x0.min(r.x1)),
                    num(r.y0.min(r.y1)),
                    num(r.width().abs()),
                    num(r.height().abs())
                );
            }
            Shape::Circle(c) => {
                let _ = write!(
                    b,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{attrs}/>",
                    num(c.center.x),
                    num(c.center.y),
                    num(c.radius)
                );
            }
            Shape::RoundedRect(_) | Shape::Path(_) => {
                b.push_str("<path d=\"");
                path_data(b, &shape.to_path(), 100.0);
                let _ = write!(b, "\"{attrs}/>");
            }
        }
    }

    fn push_clip(&mut self, shape: &Shape) {
        let id = format!("{}-clip{}", self.p, self.clips);
        self.clips += 1;
        let _ = write!(self.defs, "<clipPath id=\"{id}\"><path d=\"");
        path_data(&mut self.defs, &shape.to_path(), 100.0);
        self.defs.push_str("\"/></clipPath>");
        let _ = write!(self.body, "<g clip-path=\"url(#{id})\">");
    }

    fn font(&mut self, t: &Text) -> (usize, f32) {
        let key = glyphs::font_key(&t.run.font);
        let n = self.fonts.len();
        *self
            .fonts
            .entry(key)
            .or_insert_with(|| (n, glyphs::units_per_em(&t.run.font)))
    }

    fn text(&mut self, t: &Text) {
        if t.run.glyphs.is_empty() {
            return;
        }
        let (text, ranges) = glyphs::run_text(&t.run);
        match self.mode {
            SvgText::Paths => {
                self.glyph_outlines(t);
                self.text_layer(t, &text, &ranges, None);
            }
            SvgText::Text => {
                let family = glyphs::family_name(&t.run.font);
                self.text_layer(t, &text, &ranges, Some(family.as_deref().unwrap_or("")));
            }
        }
    }

    /// The run's glyphs as `<use>`s of outlines defined once in defs.
    fn glyph_outlines(&mut self, t: &Text) {
        let (font_no, upem) = self.font(t);
        let key = glyphs::font_key(&t.run.font);
        let s = f64::from(t.run.size) / f64::from(upem);
        let transform = t.transform * Affine::scale_non_uniform(s, -s);
        let _ = write!(self.body, "<g transform=\"{}\"", matrix(transform));
        self.body.push_str(&fill_attrs(t.color));
        self.body.push('>');
        for g in &t.run.glyphs {
            let next = self.glyph_ids.len();
            let id = *self.glyph_ids.entry((key, g.id)).or_insert_with(|| {
                let path = glyphs::outline(&t.run.font, g.id)?;
                let _ = write!(
                    self.defs,
                    "<path id=\"{}-f{font_no}g{}\" d=\"",
                    self.p, g.id
                );
                // Font units: whole units are finer than a pixel at any chart text size.
                path_data(&mut self.defs, &path, 1.0);
                self.defs.push_str("\"/>");
                Some(next)
            });
            if id.is_none() {
                continue;
            }
            let _ = write!(self.body, "<use href=\"#{}-f{font_no}g{}\"", self.p, g.id);
            let (x, y) = (f64::from(g.x) / s, -f64::from(g.y) / s);
            if x != 0.0 {
                let _ = write!(self.body, " x=\"{}\"", num_in(x, 1.0));
            }
            if y != 0.0 {
                let _ = write!(self.body, " y=\"{}\"", num_in(y, 1.0));
            }
            self.body.push_str("/>");
        }
        self.body.push_str("</g>");
    }

    /// A `<text>` with each character at its glyph's x: visible in the run's `family`, or, for
    /// `None`, transparent over the outlines (selection and search only).
    fn text_layer(
        &mut self,
        t: &Text,
        text: &str,
        ranges: &[std::ops::Range<usize>],
        family: Option<&str>,
    ) {
        let mut xs = String::new();
        let mut chars = String::new();
        for (g, r) in t.run.glyphs.iter().zip(ranges) {
            for c in text[r.clone()].chars() {
                if !xs.is_empty() {
                    xs.push(' ');
                }
                xs.push_str(&num(f64::from(g.x)));
                escape_into(&mut chars, c.encode_utf8(&mut [0; 4]));
            }
        }
        if chars.trim().is_empty() {
            return;
        }
        let _ = write!(
            self.body,
            "<text transform=\"{}\" x=\"{xs}\" font-size=\"{}\" xml:space=\"preserve\"",
            matrix(t.transform),
            num(f64::from(t.run.size))
        );
        match family {
            None => self
                .body
                .push_str(" fill-opacity=\"0\" font-family=\"sans-serif\""),
            Some(family) => {
                self.body.push_str(" font-family=\"");
                if !family.is_empty() {
                    escape_into(&mut self.body, family);
                    self.body.push_str(", ");
                }
                self.body
                    .push_str("sans-serif\" font-feature-settings=\"'tnum' 1\"");
                self.body.push_str(&fill_attrs(t.color));
            }
        }
        let _ = write!(self.body, ">{chars}</text>");
    }

    fn finish(self, figure: &Figure, info: &DocInfo) -> String {
        let p = &self.p;
        let mut out = String::with_capacity(self.body.len() + self.defs.len() + 512);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{p}-title\" \
             aria-describedby=\"{p}-desc\">",
            w = figure.width,
            h = figure.height,
        );
        let _ = write!(out, "<title id=\"{p}-title\">");
        escape_into(&mut out, info.title_or_alt());
        let _ = write!(out, "</title><desc id=\"{p}-desc\">");
        // The description holds everything the alt text says, spelled out.
        let desc = if info.description.is_empty() {
            &info.alt_text
        } else {
            &info.description
        };
        escape_into(&mut out, desc);
        out.push_str("</desc>");
        if !self.defs.is_empty() {
            let _ = write!(out, "<defs>{}</defs>", self.defs);
        }
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// Keeps the characters that are safe in an XML id and a URL fragment.
fn sanitize_prefix(p: &str) -> String {
    let clean: String = p
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if clean.starts_with(|c: char| c.is_ascii_alphabetic()) {
        clean
    } else {
        format!("c{clean}")
    }
}

fn fill_attrs(color: Color) -> String {
    let (hex, alpha) = rgb_hex(color);
    let mut s = format!(" fill=\"{hex}\"");
    if alpha < 1.0 {
        let _ = write!(s, " fill-opacity=\"{}\"", num_in(f64::from(alpha), 1000.0));
    }
    s
}

fn stroke_attrs(color: Color, style: &Stroke) -> String {
    let (hex, alpha) = rgb_hex(color);
    let mut s = format!(
        " fill=\"none\" stroke=\"{hex}\" stroke-width=\"{}\"",
        num(style.width)
    );
    if alpha < 1.0 {
        let _ = write!(
            s,
            " stroke-opacity=\"{}\"",
            num_in(f64::from(alpha), 1000.0)
        );
    }
    match style.join {
        Join::Miter => {
            if (style.miter_limit - 4.0).abs() > 1e-9 {
                let _ = write!(s, " stroke-miterlimit=\"{}\"", num(style.miter_limit));
            }
        }
        Join::Round => s.push_str(" stroke-linejoin=\"round\""),
        Join::Bevel => s.push_str(" stroke-linejoin=\"bevel\""),
    }
    // SVG has one cap for both ends; the figure uses the same at both.
    match style.start_cap {
        Cap::Butt => {}
        Cap::Round => s.push_str(" stroke-linecap=\"round\""),
        Cap::Square => s.push_str(" stroke-linecap=\"square\""),
    }
    if !style.dash_pattern.is_empty() {
        let dashes: Vec<String> = style.dash_pattern.iter().map(|d| num(*d)).collect();
        let _ = write!(s, " stroke-dasharray=\"{}\"", dashes.join(" "));
        if style.dash_offset != 0.0 {
            let _ = write!(s, " stroke-dashoffset=\"{}\"", num(style.dash_offset));
        }
    }
    s
}

/// `#rrggbb` and the alpha (0–1) of a colour.
fn rgb_hex(color: Color) -> (String, f32) {
    let c = color.to_rgba8();
    (
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b),
        f32::from(c.a) / 255.0,
    )
}

fn matrix(a: Affine) -> String {
    let [xx, yx, xy, yy, x, y] = a.as_coeffs();
    format!(
        "matrix({} {} {} {} {} {})",
        num_in(xx, 1e6),
        num_in(yx, 1e6),
        num_in(xy, 1e6),
        num_in(yy, 1e6),
        num(x),
        num(y)
    )
}

/// A pixel coordinate: 1/100 px is far below what anyone sees.
fn num(v: f64) -> String {
    num_in(v, 100.0)
}

/// `v` rounded to `1/scale`, without trailing zeros.
fn num_in(v: f64, scale: f64) -> String {
    let r = (v * scale).round() / scale;
    let r = if r == 0.0 { 0.0 } else { r };
    let mut s = format!("{r}");
    if s.contains('e') {
        s = format!("{r:.6}");
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    s
}

/// Appends path data for `path`, coordinates rounded to `1/scale`.
fn path_data(out: &mut String, path: &BezPath, scale: f64) {
    let p = |pt: kurbo::Point| format!("{} {}", num_in(pt.x, scale), num_in(pt.y, scale));
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(a) => {
                let _ = write!(out, "M{}", p(a));
            }
            PathEl::LineTo(a) => {
                let _ = write!(out, "L{}", p(a));
            }
            PathEl::QuadTo(a, b) => {
                let _ = write!(out, "Q{} {}", p(a), p(b));
            }
            PathEl::CurveTo(a, b, c) => {
                let _ = write!(out, "C{} {} {}", p(a), p(b), p(c));
            }
            PathEl::ClosePath => out.push('Z'),
        }
    }
}

/// Appends `s` escaped for XML text and attribute values.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::Rect;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.23456), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num_in(1e-7, 1e6), "0");
    }

    #[test]
    fn shapes_clips_and_escaping() {
        let mut fig = Figure::new(40, 30, Color::WHITE);
        fig.push_clip(Shape::Rect(Rect::new(0.0, 0.0, 20.0, 20.0)));
        fig.fill(
            Shape::Rect(Rect::new(1.0, 2.0, 11.0, 7.5)),
            Color::from_rgba8(255, 0, 0, 128),
        );
        fig.pop_clip();
        let info = DocInfo {
            title: Some("A < B & \"C\"".into()),
            alt_text: "alt".into(),
            description: String::new(),
        };
        let opts = SvgOptions {
            text: SvgText::Paths,
            id_prefix: "t1".into(),
        };
        let s = String::from_utf8(svg(&fig, &info, &opts)).unwrap();
        assert!(s.contains("<title id=\"t1-title\">A &lt; B &amp; &quot;C&quot;</title>"));
        assert!(s.contains("<clipPath id=\"t1-clip0\">"));
        assert!(s.contains("<g clip-path=\"url(#t1-clip0)\"><rect x=\"1\" y=\"2\" width=\"10\" height=\"5.5\" fill=\"#ff0000\" fill-opacity=\"0.502\"/></g>"));
        assert!(s.contains("role=\"img\""));
    }
}
