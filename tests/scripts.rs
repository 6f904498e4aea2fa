//! Text in every script we ship fonts for: a golden per script (title, axis titles, category
//! labels, legend and data labels all in that script), a test that each script's glyphs are
//! real (two orders of the same characters draw differently, which tofu boxes would not), the
//! missing-glyph warning, `font.family`, and user fonts from a directory (`FONT_DIRS`).
//!
//! `UPDATE_GOLDEN=1 cargo test --test scripts` rewrites the goldens; look at them first.

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

mod common;

use clovicharts::render::CpuRenderer;
use clovicharts::text::{FontSet, TextShaper, Weight};
use serde_json::{Value, json};

/// One script's sample chart text.
struct Sample {
    name: &'static str,
    title: &'static str,
    labels: [&'static str; 4],
    series: [&'static str; 2],
    x_title: &'static str,
    y_title: &'static str,
    suffix: &'static str,
}

const SAMPLES: &[Sample] = &[
    Sample {
        name: "cjk",
        title: "季度销售额 · 東京與臺北",
        labels: ["北京", "上海", "東京", "臺北"],
        series: ["收入", "成本"],
        x_title: "城市",
        y_title: "金额（万元）",
        suffix: "万",
    },
    Sample {
        name: "hangul",
        title: "분기별 매출 한국",
        labels: ["서울", "부산", "인천", "대구"],
        series: ["매출", "비용"],
        x_title: "도시",
        y_title: "금액",
        suffix: "억",
    },
    Sample {
        name: "kana",
        title: "しはんきのうりあげ カタカナ",
        labels: ["とうきょう", "オオサカ", "なごや", "サッポロ"],
        series: ["うりあげ", "コスト"],
        x_title: "としのなまえ",
        y_title: "きんがく",
        suffix: "円",
    },
    Sample {
        name: "arabic",
        title: "مرحبا: المبيعات الفصلية",
        labels: ["الربع الأول", "الربع الثاني", "الربع الثالث", "الربع الرابع"],
        series: ["الإيرادات", "التكاليف"],
        x_title: "الفصل",
        y_title: "المبلغ",
        suffix: " ر.س",
    },
    Sample {
        name: "hebrew",
        title: "שלום: מכירות רבעוניות",
        labels: ["רבעון א", "רבעון ב", "רבעון ג", "רבעון ד"],
        series: ["הכנסות", "הוצאות"],
        x_title: "רבעון",
        y_title: "סכום",
        suffix: " ₪",
    },
    Sample {
        name: "mixed_rtl",
        title: "Sales מכירות 2024 مبيعات",
        labels: ["Q1 רבעון", "عربي Q2", "Tel Aviv תל אביב", "دبي Dubai"],
        series: ["Revenue הכנסות", "الإيرادات Cost"],
        x_title: "Quarter רבעון",
        y_title: "Amount المبلغ",
        suffix: " k",
    },
    Sample {
        name: "devanagari",
        title: "नमस्ते: तिमाही बिक्री",
        labels: ["दिल्ली", "मुंबई", "कोलकाता", "चेन्नई"],
        series: ["राजस्व", "लागत"],
        x_title: "शहर",
        y_title: "राशि",
        suffix: " करोड़",
    },
    Sample {
        name: "thai",
        title: "สวัสดี ยอดขายรายไตรมาส",
        labels: ["กรุงเทพ", "เชียงใหม่", "ภูเก็ต", "ขอนแก่น"],
        series: ["รายได้", "ต้นทุน"],
        x_title: "เมือง",
        y_title: "จำนวนเงิน",
        suffix: " ล้าน",
    },
    Sample {
        name: "emoji",
        title: "🚀 launch metrics 🎉",
        labels: ["🚀 launch", "📈 growth", "🎉 party", "🔥 hot"],
        series: ["✅ done", "⏳ pending"],
        x_title: "phase 🗓️",
        y_title: "users 👥",
        suffix: " 👍",
    },
];

/// A two-series bar chart with every text in `s`'s script: title, axis titles, category
/// labels, legend, and data labels (the tick suffix).
fn spec(s: &Sample) -> Value {
    json!({
        "type": "bar",
        "data": {
            "labels": s.labels,
            "datasets": [
                { "label": s.series[0], "data": [120, 190, 150, 220] },
                { "label": s.series[1], "data": [80, 110, 95, 140] }
            ]
        },
        "options": {
            "width": 800, "height": 500, "theme": "light",
            "title": s.title,
            "plugins": { "datalabels": { "display": true } },
            "scales": {
                "x": { "title": { "display": true, "text": s.x_title } },
                "y": {
                    "title": { "display": true, "text": s.y_title },
                    "ticks": { "format": { "suffix": s.suffix } }
                }
            }
        }
    })
}

#[test]
fn a_golden_per_script() {
    let failures: Vec<String> = SAMPLES
        .iter()
        .filter_map(|s| {
            common::check_golden(&format!("script_{}", s.name), &common::render(&spec(s))).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_sample_shapes_without_missing_glyphs() {
    let mut shaper = TextShaper::new();
    for s in SAMPLES {
        let texts = [s.title, s.x_title, s.y_title, s.suffix]
            .into_iter()
            .chain(s.labels)
            .chain(s.series);
        for text in texts {
            for weight in [Weight::Regular, Weight::Medium, Weight::SemiBold] {
                let shaped = shaper.shape(text, 14.0, weight);
                assert!(
                    shaped.missing.is_empty(),
                    "{}: {text:?} {:?}",
                    s.name,
                    shaped.missing
                );
                let notdef = shaped
                    .runs
                    .iter()
                    .flat_map(|r| &r.glyphs)
                    .any(|g| g.id == 0);
                assert!(!notdef, "{}: {text:?} has a .notdef glyph", s.name);
            }
        }
    }
    assert!(shaper.take_missing().is_empty());
}

/// Two words of each script; drawn as tofu, either order is the same row of boxes.
const PAIRS: &[(&str, &str)] = &[
    ("东京", "北京"),
    ("臺灣", "香港"),
    ("ひらがな", "カタカナ"),
    ("한국", "서울"),
    ("مرحبا", "سلام"),
    ("שלום", "עולם"),
    ("नमस्ते", "दुनिया"),
    ("สวัสดี", "โลก"),
    ("বাংলা", "ভাষা"),
    ("தமிழ்", "மொழி"),
    ("🚀", "🎉"),
];

#[test]
fn each_script_draws_differently_in_two_orders() {
    let mut same = Vec::new();
    for (a, b) in PAIRS {
        let chart = |title: String| {
            json!({
                "type": "bar",
                "data": { "labels": ["1"], "datasets": [{ "data": [1] }] },
                "options": { "width": 320, "height": 200, "title": title }
            })
        };
        let one = common::render(&chart(format!("{a} {b}")));
        let other = common::render(&chart(format!("{b} {a}")));
        if one.data == other.data {
            same.push(format!("{a} {b}"));
        }
    }
    assert!(
        same.is_empty(),
        "drawn the same either way round (tofu?): {same:?}"
    );
}

#[test]
fn a_character_no_font_has_renders_with_a_warning() {
    // Cuneiform: no embedded font covers it.
    let value = json!({
        "type": "bar",
        "data": {
            "labels": ["Q1", "𒀀 Ur", "Q3"],
            "datasets": [{ "label": "Sales", "data": [1, 2, 3] }]
        },
        "options": { "title": "Quarterly" }
    });
    let spec = clovicharts::spec::from_value(&value).unwrap();
    let out =
        clovicharts::render_spec(&spec, &mut TextShaper::new(), &mut CpuRenderer::new()).unwrap();
    assert!(!out.bytes.is_empty());
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    let w = &out.warnings[0];
    assert_eq!(w.path, "/data/labels/1");
    assert!(w.message.contains("U+12000"), "{}", w.message);
    assert!(w.message.contains("FONT_DIRS"), "{}", w.message);

    // Supported scripts give no warning.
    let spec = clovicharts::spec::from_value(&spec_value_ok()).unwrap();
    let out =
        clovicharts::render_spec(&spec, &mut TextShaper::new(), &mut CpuRenderer::new()).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

fn spec_value_ok() -> Value {
    spec(&SAMPLES[0])
}

#[test]
fn font_family_picks_a_loaded_family_and_falls_back_per_glyph() {
    let mut shaper = TextShaper::new();
    shaper.begin_chart(None);
    let inter = shaper.measure("Revenue 2024", 14.0, Weight::Regular);
    // Noto Sans Arabic has digits (its own shapes and widths) but no Latin letters.
    shaper.begin_chart(Some("'Noto Sans Arabic', sans-serif"));
    let arabic = shaper.measure("Revenue 2024", 14.0, Weight::Regular);
    assert!(
        (inter - arabic).abs() > 0.5,
        "Inter {inter} vs Arabic {arabic}"
    );
    let runs = shaper
        .shape("Revenue 2024", 14.0, Weight::Regular)
        .runs
        .len();
    assert!(
        runs >= 2,
        "letters from Inter, digits from Noto Sans Arabic: {runs} runs"
    );
    // Hebrew is not in the Arabic font: it still comes from the Hebrew fallback.
    let hebrew = shaper.shape("שלום", 14.0, Weight::Regular);
    assert!(hebrew.missing.is_empty());
    // An unknown family is skipped: Inter as before.
    shaper.begin_chart(Some("No Such Font"));
    let unknown = shaper.measure("Revenue 2024", 14.0, Weight::Regular);
    assert_eq!(unknown, inter);

    // Through the spec: a figure with `font.family` differs from one without.
    let with = |family: Option<&str>| {
        let mut v = json!({
            "type": "bar",
            "data": { "labels": ["2023", "2024"], "datasets": [{ "data": [1, 2] }] },
            "options": { "width": 320, "height": 200, "title": "Revenue 2024" }
        });
        if let Some(f) = family {
            v["options"]["font"] = json!({ "family": f });
        }
        common::render(&v)
    };
    assert_ne!(with(None).data, with(Some("Noto Sans Arabic")).data);
    assert_eq!(with(None).data, with(Some("Missing Family")).data);
}

#[test]
fn font_family_must_be_a_string() {
    let v = json!({
        "type": "bar",
        "data": { "labels": ["a"], "datasets": [{ "data": [1] }] },
        "options": { "font": { "family": 12 } }
    });
    let err = clovicharts::spec::from_value(&v).unwrap_err();
    assert!(err.to_string().contains("font.family"), "{err}");
}

#[test]
fn user_fonts_from_a_directory_are_selectable() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts");
    let set = FontSet::with_dirs(&[dir]).unwrap();
    assert_eq!(set.user_files().count(), 1);
    let mut shaper = TextShaper::with_fonts(&set);
    assert!(shaper.has_family("Clovi Test Hebrew"));
    assert!(!TextShaper::new().has_family("Clovi Test Hebrew"));
    shaper.begin_chart(Some("Clovi Test Hebrew"));
    let t = shaper.shape("שלום Sales", 14.0, Weight::Regular);
    assert!(t.missing.is_empty(), "{:?}", t.missing);
    // The Hebrew run comes from the user's file, the Latin one from Inter.
    assert!(t.runs.len() >= 2, "{}", t.runs.len());

    let not_fonts = common::temp_dir("not-fonts");
    std::fs::write(not_fonts.join("broken.ttf"), b"not a font").unwrap();
    assert!(FontSet::with_dirs(&[not_fonts]).is_err());
}

#[test]
fn wide_and_rtl_labels_measure_and_ellipsize() {
    let mut shaper = TextShaper::new();
    // CJK glyphs are about one em wide.
    let w = shaper.measure("東京都庁", 12.0, Weight::Regular);
    assert!((44.0..=52.0).contains(&w), "4 CJK glyphs at 12 px: {w}");
    for text in [
        "東京都庁舎の展望室からの眺め",
        "المبيعات الفصلية في المملكة",
        "מכירות רבעוניות בישראל",
    ] {
        let full = shaper.measure(text, 12.0, Weight::Regular);
        let fit = shaper.fit(text, 12.0, Weight::Regular, full / 2.0);
        assert!(
            fit.width <= full / 2.0 && fit.width > full / 4.0,
            "{text}: {}",
            fit.width
        );
        assert!(fit.missing.is_empty());
    }
}

#[test]
fn crowded_cjk_and_rtl_labels_are_rotated_or_thinned() {
    for label in ["東京都庁舎前", "المبيعات الفصلية"] {
        let labels: Vec<String> = (0..24).map(|i| format!("{label}{i}")).collect();
        let v = json!({
            "type": "bar",
            "data": { "labels": labels, "datasets": [{ "data": vec![1; 24] }] },
            "options": { "width": 480, "height": 300 }
        });
        let figure = common::figure(&v);
        let texts: Vec<&clovicharts::figure::Text> = figure
            .items
            .iter()
            .filter_map(|i| match i {
                clovicharts::figure::Item::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        let rotated = texts.iter().any(|t| t.transform.as_coeffs()[1] != 0.0);
        // Fewer than 24 label runs (plus ticks) means some labels were thinned out.
        assert!(
            rotated || texts.len() < 24 + 4,
            "{label}: {} texts, none rotated",
            texts.len()
        );
    }
}

#[test]
fn the_cli_prints_missing_glyph_warnings_and_takes_font_dirs() {
    let dir = common::temp_dir("cli-fonts");
    let spec = dir.join("spec.json");
    let spec_json = r#"{"type":"bar","data":{"labels":["𒀀","שלום"],"datasets":[{"data":[1,2]}]},
        "options":{"font":{"family":"Clovi Test Hebrew"}}}"#;
    std::fs::write(&spec, spec_json).unwrap();
    let fonts = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fonts");
    let run = |font_dir: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_clovicharts"))
            .env("CLOVICHARTS_BACKEND", "cpu")
            .env("RUST_LOG", "warn")
            .env_remove("FONT_DIRS")
            .args(["render"])
            .arg(&spec)
            .arg("-o")
            .arg(dir.join("out.png"))
            .args(["--font-dir", font_dir])
            .output()
            .unwrap()
    };
    let o = run(fonts);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("warning: /data/labels/0"), "{stderr}");
    assert!(stderr.contains("U+12000"), "{stderr}");
    assert!(!stderr.contains("/data/labels/1"), "{stderr}");
    assert!(std::fs::metadata(dir.join("out.png")).unwrap().len() > 0);

    let o = run("/nonexistent/font/dir");
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/font/dir"));
}

/// For `text` (Arabic letters and the digits "2024"): the digit glyphs' ids in visual order, and
/// whether the digits sit left of the Arabic letters.
fn digits_and_side(shaper: &mut TextShaper, text: &str) -> (Vec<u32>, bool) {
    let alone = shaper.shape("2024", 14.0, Weight::Regular);
    let inter = alone.runs[0].font.clone();
    let digit_ids: Vec<u32> = alone.runs[0].glyphs.iter().map(|g| g.id).collect();
    let shaped = shaper.shape(text, 14.0, Weight::Regular);
    let mut digits: Vec<(f32, u32)> = Vec::new();
    let mut letters_x = f32::MAX;
    for run in &shaped.runs {
        for g in &run.glyphs {
            if run.font == inter && digit_ids.contains(&g.id) {
                digits.push((g.x, g.id));
            } else if run.font != inter {
                letters_x = letters_x.min(g.x);
            }
        }
    }
    digits.sort_by(|a, b| a.0.total_cmp(&b.0));
    let left = digits.first().is_some_and(|d| d.0 < letters_x);
    (digits.into_iter().map(|d| d.1).collect(), left)
}

#[test]
fn mixed_direction_labels_are_in_bidi_order() {
    let mut shaper = TextShaper::new();
    let in_order: Vec<u32> = shaper.shape("2024", 14.0, Weight::Regular).runs[0]
        .glyphs
        .iter()
        .map(|g| g.id)
        .collect();
    // A right-to-left line (its first strong letter is Arabic): the number written after the
    // word is drawn to its left, and still reads 2024, not 4202.
    let (digits, left) = digits_and_side(&mut shaper, "مبيعات 2024");
    assert_eq!(digits, in_order);
    assert!(
        left,
        "the number follows the Arabic word, so it is on its left"
    );
    let (digits, left) = digits_and_side(&mut shaper, "2024 مبيعات");
    assert_eq!(digits, in_order);
    assert!(
        !left,
        "the number comes first in a right-to-left line: rightmost"
    );
    // A left-to-right line (Latin first): the Arabic word stays after the number.
    let (_, left) = digits_and_side(&mut shaper, "Q 2024 مبيعات");
    assert!(left, "left-to-right line: the number, then the Arabic word");
}
