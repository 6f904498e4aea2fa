//! Titles, narratives and chart recommendations computed from the data (`clovicharts::insight`).

#![allow(clippy::unwrap_used, reason = "in tests a panic is the failure report")]

use clovicharts::insight::recommend::MAX_COLUMNS;
use clovicharts::insight::{
    Column, ColumnKind, Recommendation, data_narrative, data_title, parse_request, recommend,
    recommend_request, recommend_with_sample, sample_rows,
};
use clovicharts::spec::{ChartOptions, ChartSpec, ChartType, DataPoint, Dataset, parse_spec};
use proptest::prelude::*;
use serde_json::{Value, json};

fn spec(json: &str) -> ChartSpec {
    parse_spec(json.as_bytes()).unwrap()
}

/// A spec of any type (the validator only accepts the rendered ones).
fn raw_spec(chart_type: ChartType, labels: &[&str], data: &[Option<f64>]) -> ChartSpec {
    ChartSpec {
        chart_type,
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        datasets: vec![Dataset {
            label: Some("Value".to_owned()),
            data: data
                .iter()
                .map(|v| v.map_or(DataPoint::Missing, DataPoint::Value))
                .collect(),
            bullets: Vec::new(),
            samples: None,
            background_color: None,
            border_color: None,
            border_width: None,
            fill: None,
            style: Default::default(),
        }],
        options: ChartOptions::default(),
        warnings: Vec::new(),
    }
}

fn narrative(json: &str) -> String {
    let text = data_narrative(&spec(json)).unwrap();
    assert_sentence(&text);
    text
}

/// One sentence: ends with '.', no line breaks, no sentence break inside, ≤ 200 chars.
fn assert_sentence(text: &str) {
    assert!(text.chars().count() <= 200, "too long: {text}");
    assert!(text.ends_with('.'), "no final period: {text}");
    assert!(!text.contains('\n'), "line break: {text}");
    let inner = &text[..text.len() - 1];
    assert!(
        !inner.contains(". ") && !inner.ends_with('.'),
        "more than one sentence: {text}"
    );
    // Capitalised, except names like "iPhone".
    let mut chars = text.chars();
    let (first, second) = (chars.next().unwrap(), chars.next().unwrap());
    assert!(
        !first.is_lowercase() || second.is_uppercase(),
        "lower-case start: {text}"
    );
}

fn assert_title(title: &str) {
    let words = title.split_whitespace().count();
    assert!((1..=6).contains(&words), "{words} words: {title}");
}

// ---- narrative -------------------------------------------------------------------------------

#[test]
fn reference_example() {
    let text = narrative(
        r#"{"type":"bar","data":{"labels":["Q1","Q2","Q3","Q4"],
            "datasets":[{"label":"Revenue","data":[120,190,150,220]}]}}"#,
    );
    assert_eq!(text, "Revenue peaked in Q4 at 220, up 83% from Q1.");
}

#[test]
fn falling_series() {
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Q1","Q2","Q3","Q4"],
            "datasets":[{"label":"Churn","data":[220,240,180,120]}]}}"#,
    );
    assert_eq!(
        text,
        "Churn fell to 120 in Q4, down 45% from Q1 (peak 240 in Q2)."
    );
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Jan","Feb","Mar"],
            "datasets":[{"label":"Stock","data":[300,200,100]}]}}"#,
    );
    assert_eq!(text, "Stock fell to 100 in Mar, down 67% from Jan.");
}

#[test]
fn rising_after_peak_and_falling_after_low() {
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Q1","Q2","Q3","Q4"],
            "datasets":[{"label":"Sales","data":[100,300,250,150]}]}}"#,
    );
    assert_eq!(
        text,
        "Sales rose to 150 in Q4, up 50% from Q1, after peaking at 300 in Q2."
    );
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Q1","Q2","Q3","Q4"],
            "datasets":[{"label":"Sales","data":[300,100,150,200]}]}}"#,
    );
    assert_eq!(
        text,
        "Sales slipped to 200 in Q4, down 33% from Q1, after a low of 100 in Q2."
    );
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Q1","Q2","Q3"],
            "datasets":[{"label":"Sales","data":[100,140,100]}]}}"#,
    );
    assert_eq!(
        text,
        "Sales ended level with Q1 at 100 in Q3, after peaking at 140 in Q2."
    );
}

#[test]
fn flat_series() {
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Mon","Tue","Wed"],
            "datasets":[{"label":"Uptime","data":[99.9,99.9,99.9]}]}}"#,
    );
    assert_eq!(text, "Uptime held steady at 99.9 from Mon to Wed.");
}

#[test]
fn nulls_are_skipped() {
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Q1","Q2","Q3","Q4","Q5"],
            "datasets":[{"label":"Revenue","data":[null,120,null,220,null]}]}}"#,
    );
    assert_eq!(text, "Revenue peaked in Q4 at 220, up 83% from Q2.");
    let all_null =
        spec(r#"{"type":"line","data":{"labels":["a","b"],"datasets":[{"data":[null,null]}]}}"#);
    assert_eq!(data_narrative(&all_null), None);
}

#[test]
fn negative_values_and_zero_start() {
    let text = narrative(
        r#"{"type":"bar","data":{"labels":["2021","2022","2023"],
            "datasets":[{"label":"Profit","data":[-40,-10,25]}]}}"#,
    );
    assert_eq!(
        text,
        "Profit peaked in 2023 at 25, up from \u{2212}40 in 2021."
    );
    let text = narrative(
        r#"{"type":"line","data":{"labels":["2021","2022","2023"],
            "datasets":[{"label":"Loss","data":[-40,-10,-80]}]}}"#,
    );
    assert_eq!(
        text,
        "Loss fell to \u{2212}80 in 2023, down 100% from 2021 (peak \u{2212}10 in 2022)."
    );
    let text = narrative(
        r#"{"type":"line","data":{"labels":["W1","W2"],"datasets":[{"label":"Users","data":[0,12500]}]}}"#,
    );
    assert_eq!(text, "Users peaked in W2 at 12.5k, up from 0 in W1.");
}

#[test]
fn single_value_has_no_narrative() {
    let one = spec(r#"{"type":"bar","data":{"labels":["Q1"],"datasets":[{"data":[5]}]}}"#);
    assert_eq!(data_narrative(&one), None);
    let empty = spec(r#"{"type":"bar","data":{"datasets":[{"data":[]}]}}"#);
    assert_eq!(data_narrative(&empty), None);
    // One slice is enough for a pie.
    let pie = spec(r#"{"type":"pie","data":{"labels":["All"],"datasets":[{"data":[5]}]}}"#);
    assert_eq!(
        data_narrative(&pie).unwrap(),
        "All accounts for 100% of the total."
    );
}

#[test]
fn missing_labels_use_positions() {
    let text = narrative(r#"{"type":"line","data":{"datasets":[{"data":[3,1,7]}]}}"#);
    assert_eq!(text, "Value peaked at point 3 at 7, up 133% from point 1.");
}

#[test]
fn unordered_categories_are_ranked() {
    let text = narrative(
        r#"{"type":"bar","data":{"labels":["Chrome","Safari","Edge"],
            "datasets":[{"label":"Visits","data":[220,90,20]}]}}"#,
    );
    assert_eq!(
        text,
        "Visits is highest for Chrome at 220 and lowest for Edge at 20."
    );
}

#[test]
fn pie_narrative() {
    let text = narrative(
        r#"{"type":"pie","data":{"labels":["Chrome","Safari","Firefox","Edge"],
            "datasets":[{"data":[45,25,20,10]}]}}"#,
    );
    assert_eq!(
        text,
        "Chrome leads with 45% of the total, ahead of Safari at 25%."
    );
    let text = narrative(
        r#"{"type":"donut","data":{"labels":["A","B","C"],"datasets":[{"data":[3,3,1]}]}}"#,
    );
    assert_eq!(text, "A and B share the lead with 43% each.");
    let text = narrative(r#"{"type":"pie","data":{"datasets":[{"data":[1,2,97]}]}}"#);
    assert_eq!(
        text,
        "Slice 3 leads with 97% of the total, ahead of slice 2 at 2%."
    );
    let zeros = spec(r#"{"type":"pie","data":{"datasets":[{"data":[0,0,-3]}]}}"#);
    assert_eq!(data_narrative(&zeros), None);
}

#[test]
fn scatter_correlation() {
    let strong = narrative(
        r#"{"type":"scatter","data":{"datasets":[{"label":"Cohort A","data":[
            {"x":1,"y":2},{"x":2,"y":4.1},{"x":3,"y":5.9},{"x":4,"y":8.2},{"x":5,"y":9.9}]}]}}"#,
    );
    assert_eq!(
        strong,
        "Cohort A shows a strong positive relationship between x and y (r = 1.00)."
    );
    let negative = narrative(
        r#"{"type":"scatter","data":{"datasets":[{"label":"B","data":[
            {"x":1,"y":5},{"x":2,"y":3},{"x":3,"y":4},{"x":4,"y":1}]}]}}"#,
    );
    assert!(negative.contains("negative relationship"), "{negative}");
    assert!(negative.contains("r = \u{2212}0.8"), "{negative}");
    let none = narrative(
        r#"{"type":"scatter","data":{"datasets":[{"label":"Noise","data":[
            {"x":1,"y":1},{"x":2,"y":-1},{"x":3,"y":-1},{"x":4,"y":1},{"x":5,"y":0}]}]}}"#,
    );
    assert_eq!(
        none,
        "Noise shows no clear relationship between x and y (r = 0.00)."
    );
    let vertical = narrative(
        r#"{"type":"scatter","data":{"datasets":[{"data":[{"x":1,"y":1},{"x":1,"y":2}]}]}}"#,
    );
    assert_eq!(
        vertical,
        "The data shows no clear relationship between x and y."
    );
}

#[test]
fn several_datasets_are_counted() {
    let text = narrative(
        r#"{"type":"line","data":{"labels":["Q1","Q2"],"datasets":[
            {"label":"Visitors","data":[1,2]},{"label":"Signups","data":[1,1]},
            {"label":"Trials","data":[0,1]}]}}"#,
    );
    assert_eq!(
        text,
        "Visitors peaked in Q2 at 2, up 100% from Q1 (first of 3 series)."
    );
}

#[test]
fn other_chart_types() {
    let waterfall = raw_spec(
        ChartType::Waterfall,
        &["Start", "Sales", "Costs", "Tax"],
        &[Some(100.0), Some(90.0), Some(-50.0), Some(-20.0)],
    );
    assert_eq!(
        data_narrative(&waterfall).unwrap(),
        "Value nets 120 across 4 steps, led by a rise of 100 in Start."
    );
    let calendar = raw_spec(
        ChartType::Heatcalendar,
        &["2024-03-04", "2024-03-05", "2024-03-06"],
        &[Some(3.0), Some(17.0), None],
    );
    assert_eq!(
        data_narrative(&calendar).unwrap(),
        "Value totals 20 across 2 days, peaking at 17 on 2024-03-05."
    );
    let funnel = raw_spec(
        ChartType::Funnel,
        &["Visit", "Cart", "Buy"],
        &[Some(1000.0), Some(300.0), Some(120.0)],
    );
    assert_eq!(
        data_narrative(&funnel).unwrap(),
        "Value fell to 120 in Buy, down 88% from Visit."
    );
    for t in ChartType::ALL {
        let s = raw_spec(t, &["a", "b", "c"], &[Some(1.0), Some(-2.0), Some(3.0)]);
        assert_sentence(&data_narrative(&s).unwrap());
        if let Some(title) = data_title(&s) {
            assert_title(&title);
        }
    }
}

#[test]
fn extreme_values_never_panic() {
    for values in [
        [f64::MAX, -f64::MAX, f64::MAX],
        [f64::MIN_POSITIVE, 1e-300, 1e300],
        [0.0, 0.0, 1e-320],
        [-0.0, 0.0, -0.0],
        [1e15, 1e16, 1e17],
    ] {
        for t in ChartType::ALL {
            let s = raw_spec(t, &["Q1", "Q2", "Q3"], &values.map(Some));
            if let Some(text) = data_narrative(&s) {
                assert_sentence(&text);
            }
        }
    }
    // No datasets at all (not valid, but the model allows it).
    let mut empty = raw_spec(ChartType::Bar, &[], &[]);
    empty.datasets.clear();
    assert_eq!(data_narrative(&empty), None);
    assert_eq!(data_title(&empty), None);
}

#[test]
fn long_labels_are_cut() {
    let long = "A remarkably long category label that never ends";
    let json = format!(
        r#"{{"type":"line","data":{{"labels":["{long} 1","{long} 2","{long} 3"],
            "datasets":[{{"label":"{long}","data":[5,1,3]}},{{"data":[1]}}]}}}}"#
    );
    let text = narrative(&json);
    assert!(text.contains('…'), "{text}");
    assert!(text.chars().count() <= 200);
    let title = data_title(&spec(&json)).unwrap();
    assert_title(&title);
}

// ---- titles ----------------------------------------------------------------------------------

#[test]
fn titles() {
    let one = spec(
        r#"{"type":"bar","data":{"labels":["Q1","Q2","Q3","Q4"],
            "datasets":[{"label":"Revenue ($k)","data":[120,190,150,220]}]}}"#,
    );
    assert_eq!(data_title(&one).unwrap(), "Revenue ($k) by quarter");
    let three = spec(
        r#"{"type":"line","data":{"labels":["Jan","Feb"],"datasets":[
            {"label":"Visitors","data":[1,2]},{"label":"Signups","data":[1,1]},
            {"label":"Trials","data":[0,1]}]}}"#,
    );
    assert_eq!(
        data_title(&three).unwrap(),
        "Visitors, Signups and Trials by month"
    );
    let four = spec(
        r#"{"type":"line","data":{"labels":["Jan","Feb"],"datasets":[
            {"label":"Visitors","data":[1,2]},{"label":"Signups","data":[1,1]},
            {"label":"Trials","data":[0,1]},{"label":"Paid","data":[0,1]}]}}"#,
    );
    assert_eq!(data_title(&four).unwrap(), "Visitors, Signups and 2 more");
    let pie = spec(
        r#"{"type":"pie","data":{"labels":["Chrome","Safari"],"datasets":[{"data":[60,40]}]}}"#,
    );
    assert_eq!(data_title(&pie).unwrap(), "Share by category");
    let named_pie = spec(
        r#"{"type":"donut","data":{"labels":["Chrome","Safari"],
            "datasets":[{"label":"Market share","data":[60,40]}]}}"#,
    );
    assert_eq!(data_title(&named_pie).unwrap(), "Market share by category");
    let two = spec(
        r#"{"type":"bar","data":{"labels":["2023","2024"],"datasets":[
            {"label":"revenue","data":[1,2]},{"label":"costs","data":[1,1]}]}}"#,
    );
    assert_eq!(data_title(&two).unwrap(), "Revenue and costs by year");
    let scatter = spec(
        r#"{"type":"scatter","data":{"datasets":[{"label":"Cohort A","data":[{"x":1,"y":2}]}]}}"#,
    );
    assert_eq!(data_title(&scatter).unwrap(), "Cohort A: x vs y");
    let unnamed =
        spec(r#"{"type":"line","data":{"labels":["Q1","Q2"],"datasets":[{"data":[1,2]}]}}"#);
    assert_eq!(data_title(&unnamed).unwrap(), "Values by quarter");
    let nothing = spec(r#"{"type":"bar","data":{"datasets":[{"data":[1,2]}]}}"#);
    assert_eq!(data_title(&nothing), None);
    let wordy = spec(
        r#"{"type":"line","data":{"labels":["Q1"],"datasets":[
            {"label":"a b c d e f g h i j k l","data":[1]}]}}"#,
    );
    assert_title(&data_title(&wordy).unwrap());
}

// ---- limits over random input ----------------------------------------------------------------

fn any_label() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(String::new())),
        3 => "[A-Za-z][A-Za-z0-9 ]{0,40}".prop_map(Some),
        1 => "Q[1-4]".prop_map(Some),
        1 => "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(Some),
        1 => "[0-9]{1,5}".prop_map(Some),
    ]
}

fn any_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        1 => Just(None),
        4 => (-1e6f64..1e6).prop_map(Some),
        2 => (-1000i32..1000).prop_map(|v| Some(f64::from(v))),
        1 => prop::num::f64::NORMAL.prop_map(Some),
        1 => Just(Some(0.0)),
    ]
}

fn any_spec() -> impl Strategy<Value = ChartSpec> {
    (
        prop::sample::select(ChartType::ALL.to_vec()),
        prop::collection::vec(any_label(), 0..12),
        prop::collection::vec(
            (
                any_label(),
                prop::collection::vec(any_value(), 0..20),
                any::<bool>(),
            ),
            1..5,
        ),
    )
        .prop_map(|(chart_type, labels, datasets)| ChartSpec {
            chart_type,
            labels: labels.into_iter().map(Option::unwrap_or_default).collect(),
            datasets: datasets
                .into_iter()
                .map(|(label, values, points)| Dataset {
                    label,
                    data: values
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| match v {
                            None => DataPoint::Missing,
                            Some(y) if points => DataPoint::Point {
                                x: i as f64 * y.abs().sqrt(),
                                y,
                            },
                            Some(y) => DataPoint::Value(y),
                        })
                        .collect(),
                    bullets: Vec::new(),
                    samples: None,
                    background_color: None,
                    border_color: None,
                    border_width: None,
                    fill: None,
                    style: Default::default(),
                })
                .collect(),
            options: ChartOptions::default(),
            warnings: Vec::new(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn limits_hold(spec in any_spec()) {
        if let Some(title) = data_title(&spec) {
            let words = title.split_whitespace().count();
            prop_assert!((1..=6).contains(&words), "{title}");
        }
        let text = data_narrative(&spec);
        let numeric = spec.datasets[0].data.iter().filter(|p| p.y().is_some()).count();
        let pie = matches!(spec.chart_type, ChartType::Pie | ChartType::Donut);
        if numeric < if pie { 1 } else { 2 } {
            prop_assert!(text.is_none());
        }
        if let Some(text) = text {
            assert_sentence(&text);
            // Deterministic.
            prop_assert_eq!(data_narrative(&spec), Some(text));
        }
    }
}

// ---- recommend -------------------------------------------------------------------------------

fn cols(spec: &[(&str, &str)]) -> Vec<Column> {
    spec.iter()
        .map(|(name, kind)| Column {
            name: (*name).to_owned(),
            kind: ColumnKind::from_type_name(kind),
        })
        .collect()
}

fn assert_valid(rec: &Recommendation) {
    let names: Vec<&str> = ChartType::ALL.iter().map(|t| t.name()).collect();
    assert!(names.contains(&rec.recommended.as_str()), "{rec:?}");
    assert!((1..=3).contains(&rec.alternatives.len()), "{rec:?}");
    for (i, alt) in rec.alternatives.iter().enumerate() {
        assert!(names.contains(&alt.as_str()), "{rec:?}");
        assert_ne!(alt, &rec.recommended, "{rec:?}");
        assert!(!rec.alternatives[..i].contains(alt), "{rec:?}");
    }
    assert!(rec.reason.ends_with('.'), "{rec:?}");
    assert!(!rec.reason.is_empty());
}

/// Recommends for `(name, type)` columns and checks the answer.
fn rec(spec: &[(&str, &str)]) -> Recommendation {
    let r = recommend(&cols(spec));
    assert_valid(&r);
    // Deterministic.
    assert_eq!(recommend(&cols(spec)), r);
    r
}

#[test]
fn reference_example_recommends_line() {
    let r = rec(&[
        ("month", "string"),
        ("revenue", "number"),
        ("expenses", "number"),
    ]);
    assert_eq!(r.recommended, "line");
    assert_eq!(r.alternatives, ["bar", "scatter"]);
    assert!(
        r.reason.contains("revenue") && r.reason.contains("month"),
        "{}",
        r.reason
    );
    let r = rec(&[("month", "string"), ("revenue", "number")]);
    assert_eq!(r.recommended, "line");
}

#[test]
fn time_columns() {
    assert_eq!(
        rec(&[("created", "datetime"), ("orders", "integer")]).recommended,
        "line"
    );
    assert_eq!(
        rec(&[("year", "integer"), ("sales", "float")]).recommended,
        "line"
    );
    assert_eq!(
        rec(&[("orderDate", "string"), ("sales", "float")]).recommended,
        "line"
    );
    assert_eq!(
        rec(&[("created_at", "text"), ("sales", "float")]).recommended,
        "line"
    );
    // A measure whose name mentions time is still a measure.
    assert_eq!(
        rec(&[("region", "string"), ("response_time", "number")]).recommended,
        "bar"
    );
    let commits = rec(&[("date", "date"), ("commits", "integer")]);
    assert_eq!(commits.recommended, "line");
    assert_eq!(commits.alternatives[0], "heatcalendar");
    let grouped = rec(&[("week", "string"), ("team", "string"), ("points", "number")]);
    assert_eq!(grouped.recommended, "line");
    assert!(
        grouped.reason.contains("one line per team"),
        "{}",
        grouped.reason
    );
    let many = rec(&[
        ("quarter", "string"),
        ("a", "number"),
        ("b", "number"),
        ("c", "number"),
    ]);
    assert_eq!(many.recommended, "line");
}

#[test]
fn category_rules() {
    let bar = rec(&[("region", "string"), ("revenue", "number")]);
    assert_eq!(bar.recommended, "bar");
    assert!(bar.reason.contains("revenue per region"), "{}", bar.reason);
    let pie = rec(&[("browser", "string"), ("market_share", "percent")]);
    assert_eq!(pie.recommended, "pie");
    assert_eq!(pie.alternatives, ["donut", "bar"]);
    assert_eq!(
        rec(&[("segment", "category"), ("users", "int")]).recommended,
        "pie"
    );
    let grouped = rec(&[
        ("product", "string"),
        ("q1", "number"),
        ("q2", "number"),
        ("q3", "number"),
    ]);
    assert_eq!(grouped.recommended, "bar");
    assert_eq!(grouped.alternatives, ["line", "radar"]);
    let counts = rec(&[("city", "string"), ("country", "string")]);
    assert_eq!(counts.recommended, "bar");
    assert!(
        counts.reason.contains("counts per city"),
        "{}",
        counts.reason
    );
    let flags = rec(&[("active", "boolean"), ("spend", "currency")]);
    assert_eq!(flags.recommended, "bar");
}

#[test]
fn numeric_only_rules() {
    let one = rec(&[("latency", "number")]);
    assert_eq!(one.recommended, "sparkline");
    assert_eq!(one.alternatives, ["line", "bullet"]);
    let two = rec(&[("height", "number"), ("weight", "number")]);
    assert_eq!(two.recommended, "scatter");
    assert!(two.reason.contains("height and weight"), "{}", two.reason);
    assert_eq!(
        rec(&[("a", "number"), ("b", "number"), ("c", "number")]).recommended,
        "line"
    );
}

#[test]
fn named_roles() {
    assert_eq!(
        rec(&[
            ("rep", "string"),
            ("actual", "number"),
            ("target", "number")
        ])
        .recommended,
        "bullet"
    );
    assert_eq!(
        rec(&[("kpi", "string"), ("goal", "number")]).recommended,
        "bullet"
    );
    assert_eq!(
        rec(&[("stage", "string"), ("users", "number")]).recommended,
        "funnel"
    );
    assert_eq!(
        rec(&[("funnel_step", "string"), ("count", "number")]).recommended,
        "funnel"
    );
    let slope = rec(&[
        ("team", "string"),
        ("before", "number"),
        ("after", "number"),
    ]);
    assert_eq!(slope.recommended, "slope");
    assert_eq!(
        rec(&[
            ("school", "string"),
            ("score_start", "number"),
            ("score_end", "number")
        ])
        .recommended,
        "slope"
    );
    assert_eq!(
        rec(&[("item", "string"), ("delta", "number")]).recommended,
        "waterfall"
    );
    assert_eq!(
        rec(&[("month", "string"), ("net_change", "number")]).recommended,
        "waterfall"
    );
    assert_eq!(
        rec(&[
            ("competitor", "string"),
            ("price", "number"),
            ("quality", "number"),
            ("support", "number")
        ])
        .recommended,
        "competitive_radar"
    );
}

#[test]
fn unknown_types_are_kept() {
    let r = rec(&[("thing", "blob"), ("amount", "number")]);
    assert_eq!(r.recommended, "bar");
    assert!(r.reason.contains("per thing"), "{}", r.reason);
    assert_valid(&recommend(&[]));
    assert_valid(&rec(&[("x", "weird")]));
}

#[test]
fn sample_rows_refine() {
    let columns = cols(&[("browser", "string"), ("users", "number")]);
    // Parts summing to 100 → pie.
    let sample = vec![
        json!({"browser": "Chrome", "users": 60}),
        json!({"browser": "Safari", "users": 30}),
        json!({"browser": "Edge", "users": "10"}),
        json!("not a row"),
        json!({"browser": null}),
    ];
    let r = recommend_with_sample(&columns, &sample);
    assert_valid(&r);
    assert_eq!(r.recommended, "pie");
    // Few categories → pie first among the alternatives.
    let sample = vec![
        json!({"browser": "Chrome", "users": 600}),
        json!({"browser": "Safari", "users": 300}),
    ];
    let r = recommend_with_sample(&columns, &sample);
    assert_eq!(r.recommended, "bar");
    assert_eq!(r.alternatives[0], "pie");
    // Many categories → no slices.
    let many: Vec<Value> = (0..30)
        .map(|i| json!({"browser": format!("B{i}"), "users": i}))
        .collect();
    let r = recommend_with_sample(&columns, &many);
    assert_valid(&r);
    assert_eq!(r.recommended, "bar");
    assert!(
        !r.alternatives.iter().any(|a| a == "pie" || a == "donut"),
        "{r:?}"
    );
    assert!(r.reason.contains("30 categories"), "{}", r.reason);
    // Negative values rule out a pie even for a share-like name.
    let share = cols(&[("segment", "string"), ("share", "number")]);
    let r = recommend_with_sample(&share, &[json!({"segment": "a", "share": -5})]);
    assert_eq!(r.recommended, "bar");
    // Dates in a generic text column make it the time axis.
    let generic = cols(&[("label", "string"), ("value", "number")]);
    let dated = vec![
        json!({"label": "2024-01-01", "value": 1}),
        json!({"label": "2024-01-02", "value": 2}),
    ];
    assert_eq!(recommend_with_sample(&generic, &dated).recommended, "line");
    // No usable rows: the same as without a sample.
    assert_eq!(recommend_with_sample(&columns, &[]), recommend(&columns));
    assert_eq!(
        recommend_with_sample(&columns, &[json!(1), json!([])]),
        recommend(&columns)
    );
}

#[test]
fn parse_request_errors() {
    let code = |body: Value| parse_request(&body).unwrap_err();
    for body in [
        json!({}),
        json!({"columns": null}),
        json!({"columns": "month"}),
        json!({"columns": {}}),
    ] {
        let e = code(body);
        assert_eq!((e.code, e.path.as_str()), ("MISSING_COLUMNS", "/columns"));
    }
    assert_eq!(code(json!({"columns": []})).code, "MISSING_COLUMNS");
    let e = code(json!([1]));
    assert_eq!((e.code, e.path.as_str()), ("VALIDATION_ERROR", ""));
    let cases = [
        (json!([{"name": "a", "type": "number"}, 5]), "/columns/1"),
        (json!([{"type": "number"}]), "/columns/0/name"),
        (json!([{"name": "", "type": "number"}]), "/columns/0/name"),
        (json!([{"name": 3, "type": "number"}]), "/columns/0/name"),
        (
            json!([{"name": "x".repeat(201), "type": "number"}]),
            "/columns/0/name",
        ),
        (
            json!([{"name": "a", "type": "number"}, {"name": "b", "type": "number"}, {"name": "c", "type": "number"}, {"name": "d"}]),
            "/columns/3/type",
        ),
        (json!([{"name": "a", "type": 1}]), "/columns/0/type"),
    ];
    for (columns, path) in cases {
        let e = code(json!({ "columns": columns }));
        assert_eq!(
            (e.code, e.path.as_str()),
            ("VALIDATION_ERROR", path),
            "{e:?}"
        );
        assert!(!e.message.is_empty());
    }
    let too_many: Vec<Value> = (0..=MAX_COLUMNS)
        .map(|i| json!({"name": format!("c{i}"), "type": "number"}))
        .collect();
    let e = code(json!({ "columns": too_many }));
    assert_eq!((e.code, e.path.as_str()), ("VALIDATION_ERROR", "/columns"));
    // 200 characters and unknown types are fine.
    let ok =
        parse_request(&json!({"columns": [{"name": "x".repeat(200), "type": "geo"}]})).unwrap();
    assert_eq!(ok[0].kind, ColumnKind::Unknown);
}

#[test]
fn whole_requests() {
    let body = json!({
        "columns": [{"name": "month", "type": "string"}, {"name": "revenue", "type": "number"}],
        "sample": [{"month": "Jan", "revenue": 10}]
    });
    assert_eq!(sample_rows(&body).len(), 1);
    assert_eq!(sample_rows(&json!({"sample": 3})).len(), 0);
    let r = recommend_request(&body).unwrap();
    assert_eq!(r.recommended, "line");
    let wire = serde_json::to_value(&r).unwrap();
    assert_eq!(wire["recommended"], "line");
    assert!(wire["alternatives"].is_array() && wire["reason"].is_string());
}

#[test]
fn every_recommendation_is_valid() {
    let kinds = ["string", "number", "date", "boolean", "mystery"];
    let names = [
        "month",
        "revenue",
        "share",
        "stage",
        "target",
        "before",
        "after",
        "delta",
        "region",
        "competitor",
        "commits",
        "x",
    ];
    for a in names {
        for b in names {
            for ka in kinds {
                for kb in kinds {
                    rec(&[(a, ka), (b, kb)]);
                    rec(&[(a, ka), (b, kb), ("value", "number")]);
                }
            }
        }
    }
}
