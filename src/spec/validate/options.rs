//! `options`: size, theme, format, WebP mode, text and flags.
//!
//! Unknown keys are ignored: Chart.js clients send many (`responsive`, `scales`, …). Where the
//! reference has a plain key (`title`, `legend`) the Chart.js shapes are accepted too
//! (`options.plugins.title.text`, `options.title = {display, text}`), the plain key winning.

use super::{child, closest, invalid, json_kind as kind, present, quote, thousands};
use crate::spec::{
    ChartOptions, DEFAULT_HEIGHT, DEFAULT_WIDTH, ErrorCode, Format, MAX_HEIGHT, MAX_PIXELS,
    MAX_WIDTH, MIN_SIDE, SpecError, ThemeName, WebpMode,
};
use crate::spec::{SortOrder, SvgText, Visibility};
use serde_json::{Map, Value};

/// Longest title in characters; a longer one cannot fit above any chart.
const MAX_TITLE_CHARS: usize = 200;
/// Longest subtitle in characters (room for a one-sentence narrative).
const MAX_SUBTITLE_CHARS: usize = 300;
/// Lowest and highest WebP `quality`, libwebp's range.
const QUALITY_RANGE: std::ops::RangeInclusive<f64> = 1.0..=100.0;

/// `options`: an optional object; problems are recorded and the defaults kept.
pub(super) fn options(
    value: Option<&Value>,
    errors: &mut Vec<SpecError>,
) -> (ChartOptions, super::chartjs::Scales) {
    let mut out = ChartOptions::default();
    let Some(value) = value else {
        return (out, Default::default());
    };
    let Some(o) = value.as_object() else {
        errors.push(invalid(
            "/options",
            format!("`options` must be an object, got {}", kind(value)),
        ));
        return (out, Default::default());
    };
    if let Some(plugins) = present(o, "plugins")
        && !plugins.is_object()
    {
        errors.push(invalid(
            "/options/plugins",
            format!("`plugins` must be an object, got {}", kind(plugins)),
        ));
    }

    size(o, &mut out, errors);
    if let Some(theme) = theme(o, errors) {
        out.theme = theme;
    }
    if let Some(format) = format(o, errors) {
        out.format = format;
    }
    if let Some(webp) = webp_mode(o, errors) {
        out.webp = webp;
    }
    out.svg_text = choice(
        o,
        "svgText",
        &[("paths", SvgText::Paths), ("text", SvgText::Text)],
        errors,
    )
    .unwrap_or_default();
    out.title = text_setting(o, "title", MAX_TITLE_CHARS, errors);
    out.subtitle = text_setting(o, "subtitle", MAX_SUBTITLE_CHARS, errors);
    out.font_family = font_family(o, errors);
    out.legend = legend(o, errors);
    let mut scales = super::chartjs::scales(o, errors);
    out.x_axis = std::mem::take(&mut scales.x);
    out.y_axis = std::mem::take(&mut scales.y);
    out.r_axis = std::mem::take(&mut scales.r);
    out.horizontal = choice(o, "indexAxis", &[("x", false), ("y", true)], errors).unwrap_or(false);
    out.sort = choice(
        o,
        "sort",
        &[
            ("asc", Some(SortOrder::Ascending)),
            ("desc", Some(SortOrder::Descending)),
            ("none", None),
        ],
        errors,
    )
    .flatten();
    out.ai_narrative = flag(o, "ai_narrative", errors);
    out.ai_title = flag(o, "ai_title", errors);
    out.base64 = flag(o, "base64", errors);
    out.visibility = choice(
        o,
        "visibility",
        &[
            ("public", Visibility::Public),
            ("unlisted", Visibility::Unlisted),
            ("private", Visibility::Private),
        ],
        errors,
    )
    .unwrap_or_default();
    (out, scales)
}

/// A string option that must be one of `allowed` (case-insensitive); `None` when absent.
fn choice<T: Copy>(
    o: &Map<String, Value>,
    key: &'static str,
    allowed: &[(&str, T)],
    errors: &mut Vec<SpecError>,
) -> Option<T> {
    let value = present(o, key)?;
    let path = child("/options", key);
    let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
    match value.as_str() {
        Some(s) => {
            let found = allowed
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(s.trim()))
                .map(|(_, v)| *v);
            if found.is_none() {
                errors.push(invalid(
                    path,
                    format!(
                        "`{key}` must be one of {}, got {}",
                        names.join(", "),
                        quote(s)
                    ),
                ));
            }
            found
        }
        None => {
            errors.push(invalid(
                path,
                format!(
                    "`{key}` must be one of {}, got {}",
                    names.join(", "),
                    kind(value)
                ),
            ));
            None
        }
    }
}

/// `width` and `height`, each within its bounds and together within [`MAX_PIXELS`].
fn size(o: &Map<String, Value>, out: &mut ChartOptions, errors: &mut Vec<SpecError>) {
    let width = side(o, "width", MAX_WIDTH, errors);
    let height = side(o, "height", MAX_HEIGHT, errors);
    let (Ok(width), Ok(height)) = (width, height) else {
        return;
    };
    let (width, height) = (
        width.unwrap_or(DEFAULT_WIDTH),
        height.unwrap_or(DEFAULT_HEIGHT),
    );
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        errors.push(
            SpecError::new(
                ErrorCode::ChartTooLarge,
                "/options",
                format!(
                    "{width} × {height} is {} pixels, more than the limit of {}",
                    thousands(pixels),
                    thousands(MAX_PIXELS)
                ),
            )
            .with_hint(format!("at most {MAX_WIDTH} × {MAX_HEIGHT}")),
        );
        return;
    }
    out.width = width;
    out.height = height;
}

/// One side: `Ok(None)` when absent, `Err(())` when a problem was recorded.
fn side(
    o: &Map<String, Value>,
    name: &'static str,
    max: u32,
    errors: &mut Vec<SpecError>,
) -> Result<Option<u32>, ()> {
    let Some(value) = present(o, name) else {
        return Ok(None);
    };
    let path = child("/options", name);
    let rule = format!("{name} must be a positive whole number of pixels");
    let n = match value {
        Value::Number(n) => n,
        Value::String(s) => {
            let mut error = invalid(&path, format!("{rule}, got the string `\"{}\"`", quote(s)));
            if s.trim().parse::<u32>().is_ok() {
                error =
                    error.with_hint(format!("send it as a number, without quotes: {}", s.trim()));
            }
            errors.push(error);
            return Err(());
        }
        other => {
            errors.push(invalid(&path, format!("{rule}, got {}", kind(other))));
            return Err(());
        }
    };
    let Some(x) = n
        .as_f64()
        .filter(|x| x.is_finite() && *x > 0.0 && x.fract() == 0.0)
    else {
        errors.push(invalid(&path, format!("{rule}, got {n}")));
        return Err(());
    };
    if x < f64::from(MIN_SIDE) {
        errors.push(invalid(
            &path,
            format!("{name} must be at least {MIN_SIDE} px, got {n}"),
        ));
        return Err(());
    }
    if x > f64::from(max) {
        errors.push(SpecError::new(
            ErrorCode::ChartTooLarge,
            &path,
            format!("{name} {n} is larger than the maximum of {max} px"),
        ));
        return Err(());
    }
    // In MIN_SIDE..=max and whole, so the conversion is exact.
    Ok(Some(x as u32))
}

/// `theme`: one of the theme names, any ASCII case.
fn theme(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Option<ThemeName> {
    let value = present(o, "theme")?;
    let names = ThemeName::ALL.map(ThemeName::name);
    let Some(s) = value.as_str() else {
        errors.push(invalid(
            "/options/theme",
            format!(
                "`theme` must be a string ({}), got {}",
                names.join(", "),
                kind(value)
            ),
        ));
        return None;
    };
    let theme = ThemeName::parse(s).or_else(|| ThemeName::parse(&s.trim().to_ascii_lowercase()));
    if theme.is_none() {
        let mut error = invalid(
            "/options/theme",
            format!(
                "`{}` is not a theme; themes: {}",
                quote(s),
                names.join(", ")
            ),
        );
        if let Some(best) = closest(s, names) {
            error = error.with_hint(format!("did you mean `{best}`?"));
        }
        errors.push(error);
    }
    theme
}

/// `format`: `png`, `webp`, `svg`, `pdf` or `jpeg` (`jpg`).
fn format(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Option<Format> {
    let value = present(o, "format")?;
    let format = value.as_str().and_then(|s| Format::parse(s.trim()));
    if format.is_none() {
        let got = match value {
            Value::String(s) => format!("`{}`", quote(s)),
            other => kind(other).to_owned(),
        };
        errors.push(invalid(
            "/options/format",
            format!(
                "`format` must be one of {}, got {got}",
                Format::ALL.map(|f| format!("\"{}\"", f.name())).join(", ")
            ),
        ));
    }
    format
}

/// `quality` (1–100, lossy WebP) and `lossless` (true wins).
fn webp_mode(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Option<WebpMode> {
    let mut mode = None;
    if let Some(value) = present(o, "quality") {
        match value.as_f64().filter(|q| QUALITY_RANGE.contains(q)) {
            Some(q) => mode = Some(WebpMode::Lossy(q as f32)),
            None => {
                let got = match value {
                    Value::Number(n) => n.to_string(),
                    other => kind(other).to_owned(),
                };
                errors.push(invalid(
                    "/options/quality",
                    format!("`quality` must be a number from 1 to 100, got {got}"),
                ));
            }
        }
    }
    match present(o, "lossless") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => mode = Some(WebpMode::Lossless),
        Some(other) => errors.push(invalid(
            "/options/lossless",
            format!("`lossless` must be true or false, got {}", kind(other)),
        )),
    }
    mode
}

/// Longest `font.family` list in characters.
const MAX_FONT_FAMILY_CHARS: usize = 200;

/// `options.font.family` (Chart.js `Chart.defaults.font`): a CSS family list; the other
/// `font` keys (size, weight, …) are the theme's.
fn font_family(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Option<String> {
    let font = present(o, "font")?;
    let Some(font) = font.as_object() else {
        errors.push(invalid(
            "/options/font",
            format!("`font` must be an object, got {}", kind(font)),
        ));
        return None;
    };
    let family = present(font, "family")?;
    match family.as_str().map(str::trim) {
        Some(f) if f.chars().count() > MAX_FONT_FAMILY_CHARS => {
            errors.push(invalid(
                "/options/font/family",
                format!("`font.family` is longer than {MAX_FONT_FAMILY_CHARS} characters"),
            ));
            None
        }
        Some("") => None,
        Some(f) => Some(f.to_owned()),
        None => {
            errors.push(invalid(
                "/options/font/family",
                format!("`font.family` must be a string, got {}", kind(family)),
            ));
            None
        }
    }
}

/// A text option (`title`, `subtitle`): `options.<key>`, else `options.plugins.<key>`.
fn text_setting(
    o: &Map<String, Value>,
    key: &'static str,
    max_chars: usize,
    errors: &mut Vec<SpecError>,
) -> Option<String> {
    if let Some(value) = present(o, key) {
        return text_option(value, &child("/options", key), key, max_chars, errors);
    }
    let value = present(o, "plugins")?
        .as_object()
        .and_then(|p| present(p, key))?;
    text_option(
        value,
        &child("/options/plugins", key),
        key,
        max_chars,
        errors,
    )
}

/// A text option's value: a string, an array of lines, or a Chart.js `{display, text}` object.
/// Trimmed; empty means none.
fn text_option(
    value: &Value,
    path: &str,
    key: &str,
    max_chars: usize,
    errors: &mut Vec<SpecError>,
) -> Option<String> {
    let (text, path) = match value {
        Value::Object(obj) => {
            if !displayed(obj, path, errors) {
                return None;
            }
            let text = present(obj, "text")?;
            let path = child(path, "text");
            (text_value(text, &path, key, errors)?, path)
        }
        other => (text_value(other, path, key, errors)?, path.to_owned()),
    };
    let text = text.trim();
    let chars = text.chars().count();
    if chars > max_chars {
        errors.push(
            invalid(
                path,
                format!("`{key}` is {chars} characters long, more than the limit of {max_chars}"),
            )
            .with_hint("shorten it; long text cannot fit above the chart"),
        );
        return None;
    }
    (!text.is_empty()).then(|| text.to_owned())
}

/// A string, or an array of strings (Chart.js lines) joined with spaces.
fn text_value(value: &Value, path: &str, key: &str, errors: &mut Vec<SpecError>) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(lines) => {
            let mut parts = Vec::with_capacity(lines.len());
            let mut ok = true;
            for (i, line) in lines.iter().enumerate() {
                match line.as_str() {
                    Some(s) => parts.push(s),
                    None => {
                        ok = false;
                        errors.push(invalid(
                            super::at(path, i),
                            format!("each line of `{key}` must be a string, got {}", kind(line)),
                        ));
                    }
                }
            }
            ok.then(|| parts.join(" "))
        }
        other => {
            errors.push(invalid(
                path,
                format!("`{key}` must be a string, got {}", kind(other)),
            ));
            None
        }
    }
}

/// A Chart.js object's `display`: absent or `true` shows it.
fn displayed(obj: &Map<String, Value>, path: &str, errors: &mut Vec<SpecError>) -> bool {
    super::flag(obj, "display", true, path, errors)
}

/// `legend`: a boolean, or Chart.js `{display}` under `options` or `options.plugins`.
fn legend(o: &Map<String, Value>, errors: &mut Vec<SpecError>) -> Option<bool> {
    let (value, path) = match present(o, "legend") {
        Some(value) => (value, "/options/legend"),
        None => (
            present(o, "plugins")?
                .as_object()
                .and_then(|p| present(p, "legend"))?,
            "/options/plugins/legend",
        ),
    };
    match value {
        Value::Bool(b) => Some(*b),
        Value::Object(obj) => match present(obj, "display")? {
            Value::Bool(b) => Some(*b),
            other => {
                errors.push(invalid(
                    child(path, "display"),
                    format!("`display` must be true or false, got {}", kind(other)),
                ));
                None
            }
        },
        other => {
            errors.push(invalid(
                path,
                format!(
                    "`legend` must be true, false or an object with `display`, got {}",
                    kind(other)
                ),
            ));
            None
        }
    }
}

/// A boolean flag; absent or `null` is false.
fn flag(o: &Map<String, Value>, key: &str, errors: &mut Vec<SpecError>) -> bool {
    match present(o, key) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(invalid(
                child("/options", key),
                format!("`{key}` must be true or false, got {}", kind(other)),
            ));
            false
        }
    }
}

/// Longest `locale` tag read.
const MAX_LOCALE_CHARS: usize = 35;

/// `options.locale`: a BCP 47 tag. A tag whose language has no number rule here writes numbers
/// as `en-US`, with a warning; text that is not a tag is an error.
pub(super) fn locale(
    options: Option<&Value>,
    errors: &mut Vec<SpecError>,
    warnings: &mut Vec<crate::spec::SpecWarning>,
) -> crate::numfmt::Locale {
    const PATH: &str = "/options/locale";
    let Some(value) = options
        .and_then(Value::as_object)
        .and_then(|o| present(o, "locale"))
    else {
        return crate::numfmt::Locale::default();
    };
    let tag = value.as_str().filter(|s| s.len() <= MAX_LOCALE_CHARS);
    match tag.map(crate::numfmt::Locale::parse) {
        Some(Ok(Some(locale))) => locale,
        Some(Ok(None)) => {
            warnings.push(crate::spec::SpecWarning {
                path: PATH.to_owned(),
                message: format!(
                    "numbers are written as en-US: no number format is known for `{}`",
                    quote(tag.unwrap_or_default())
                ),
            });
            crate::numfmt::Locale::default()
        }
        _ => {
            errors.push(
                invalid(
                    PATH,
                    format!(
                        "`locale` must be a language tag, got {}",
                        match value {
                            Value::String(s) => format!("\"{}\"", quote(s)),
                            other => kind(other).to_owned(),
                        }
                    ),
                )
                .with_hint(r#"e.g. "de-DE", "fr-FR", "en-IN" or "ja-JP""#),
            );
            crate::numfmt::Locale::default()
        }
    }
}
