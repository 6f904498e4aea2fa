//! The shapes of the answers that handlers build as JSON values (`json!`), described for the
//! OpenAPI document (`GET /api/openapi.json`, see [`super::openapi`]). Request bodies and the
//! domain types (users, keys, statistics, catalog entries) carry their own `ToSchema` derive
//! where they are defined; the types here are never built, only described, and
//! `tests/schemathesis/run.sh` checks every answer of the running server against them.

#![allow(
    dead_code,
    reason = "schema-only types: described for the document, never built"
)]

use crate::accounts::{ApiKey, Stats, User, UserSummary};
use crate::catalog::CatalogEntry;
use crate::insight::recommend::Recommendation;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The body of every error answer (4xx and 5xx), whatever the route.
#[derive(Serialize, ToSchema)]
pub(crate) struct Error {
    /// What went wrong, in words.
    error: String,
    /// Machine-readable code, e.g. `NOT_FOUND`, `VALIDATION_ERROR`, `RATE_LIMIT`,
    /// `PAYLOAD_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE`, `METHOD_NOT_ALLOWED`, `OVERLOADED`,
    /// `STORE_UNAVAILABLE`, `INTERNAL_ERROR`.
    code: String,
    /// Structured details, when the error has any (see `ValidationError`).
    #[schema(value_type = Option<Object>)]
    details: Option<Value>,
    /// Where to sign in (401 answers only).
    login_url: Option<String>,
}

/// A 400: the generic error body; a chart spec's validation puts every problem found in
/// `details.errors`, the URL API names the bad parameter in `details.param`, and the
/// recommender the JSON pointer in `details.path`.
#[derive(Serialize, ToSchema)]
pub(crate) struct ValidationError {
    /// What went wrong (the first problem, for a spec).
    error: String,
    /// `VALIDATION_ERROR` or a spec rule's code (`MISSING_TYPE`, `INVALID_DATA`, …),
    /// `MISSING_COLUMNS`, `MISSING_CHARTS`, `BATCH_TOO_LARGE`, `INVALID_JSON`.
    code: String,
    /// What is known about the problem.
    details: Option<ValidationDetails>,
}

/// The details of a 400.
#[derive(Serialize, ToSchema)]
pub(crate) struct ValidationDetails {
    /// Every problem of a chart spec, each at its JSON path.
    errors: Option<Vec<SpecIssue>>,
    /// The URL API's offending parameter.
    param: Option<String>,
    /// The JSON pointer of the recommender's offending value.
    path: Option<String>,
    /// Where a body that is not JSON stopped parsing.
    line: Option<u64>,
    /// The column of that line.
    column: Option<u64>,
}

/// One problem of a chart spec.
#[derive(Serialize, ToSchema)]
pub(crate) struct SpecIssue {
    /// The rule that failed.
    code: String,
    /// JSON pointer (RFC 6901) of the offending value; `""` is the root.
    path: String,
    /// What is wrong.
    message: String,
    /// How to fix it.
    hint: Option<String>,
}

/// A 401: sign in at `login_url`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Unauthorized {
    /// `Authentication required`.
    error: String,
    /// `UNAUTHORIZED`.
    code: String,
    /// Where browsers sign in (`LOGIN_URL`).
    login_url: String,
}

/// A chart spec: the CloviCharts body or a Chart.js config (`docs/chart-options.md`). Every
/// problem is answered in one 400 with its JSON path.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "type": "bar",
    "data": {
        "labels": ["Q1", "Q2", "Q3", "Q4"],
        "datasets": [{ "label": "Revenue", "data": [120, 190, 150, 220] }]
    },
    "options": { "width": 800, "height": 500, "title": "Quarterly Revenue" }
}))]
pub(crate) struct ChartSpec {
    /// The chart type: `bar`, `line`, `pie`, `donut`, `scatter`, `radar`, `polar`,
    /// `sparkline`, `competitive_radar`, `funnel`, `bullet`, `slope`, `heatcalendar`,
    /// `lollipop`, `waterfall` (and Chart.js's names).
    #[schema(rename = "type")]
    chart_type: String,
    /// `labels` and `datasets`.
    #[schema(value_type = Object)]
    data: Value,
    /// Size, theme, format, title, visibility, scales, …
    #[schema(value_type = Option<Object>)]
    options: Option<Value>,
}

/// `POST /api/charts/batch`.
#[derive(Serialize, ToSchema)]
pub(crate) struct BatchRequest {
    /// Up to 10 chart specs, each rendered in its own `options.format`.
    charts: Vec<ChartSpec>,
}

/// One column descriptor for the recommender.
#[derive(Serialize, ToSchema)]
pub(crate) struct Column {
    /// Column name (≤ 200 characters).
    name: String,
    /// `number`, `date`, `category`, `text`, …
    #[schema(rename = "type")]
    column_type: String,
}

/// `POST /api/charts/recommend`.
#[derive(Serialize, ToSchema)]
pub(crate) struct RecommendRequest {
    /// 1 to 100 columns.
    columns: Vec<Column>,
    /// Optional sample rows.
    #[schema(value_type = Option<Vec<Object>>)]
    rows: Option<Value>,
}

/// The recommender's answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct RecommendAnswer {
    #[serde(flatten)]
    recommendation: Recommendation,
    /// `rules` or `model`.
    source: String,
}

/// A stored chart's metadata (also served as `/charts/<id>.json`).
#[derive(Serialize, ToSchema)]
pub(crate) struct ChartMetadata {
    /// The chart's id.
    chart_id: uuid::Uuid,
    /// Chart type (wire name).
    #[schema(rename = "type")]
    chart_type: String,
    /// Theme.
    theme: String,
    /// `png`, `webp`, `svg`, `pdf` or `jpeg`.
    format: String,
    /// Pixels.
    width: u32,
    /// Pixels.
    height: u32,
    /// Title, if any.
    title: Option<String>,
    /// Narrative, if any.
    narrative: Option<String>,
    /// Where the image is served.
    url: String,
    /// RFC 3339, milliseconds.
    created_at: String,
    /// Render and encode time.
    render_ms: u64,
    /// `public`, `unlisted` or `private`.
    visibility: String,
    /// Alt text (metadata files and `generate` only).
    alt_text: Option<String>,
    /// Longer description (metadata files and `generate` only).
    description: Option<String>,
}

/// A spec key that had no effect.
#[derive(Serialize, ToSchema)]
pub(crate) struct Warning {
    /// JSON pointer of the key or value.
    path: String,
    /// What was done about it.
    message: String,
}

/// `POST /api/charts/generate`: the stored chart's metadata (without `type`), plus what the
/// request asked for.
#[derive(Serialize, ToSchema)]
pub(crate) struct Generated {
    /// The chart's id.
    chart_id: uuid::Uuid,
    /// Theme.
    theme: String,
    /// Format.
    format: String,
    /// Pixels.
    width: u32,
    /// Pixels.
    height: u32,
    /// Title, if any.
    title: Option<String>,
    /// Narrative, if any.
    narrative: Option<String>,
    /// Where the image is served.
    url: String,
    /// RFC 3339.
    created_at: String,
    /// Render and encode time.
    render_ms: u64,
    /// Visibility.
    visibility: String,
    /// Alt text.
    alt_text: String,
    /// Description.
    description: String,
    /// Keys that had no effect.
    warnings: Option<Vec<Warning>>,
    /// `data` or `model`, when a title was generated.
    title_source: Option<String>,
    /// `data` or `model`, when a narrative was generated.
    narrative_source: Option<String>,
    /// The image, with `options.base64`.
    base64: Option<String>,
}

/// A page of charts.
#[derive(Serialize, ToSchema)]
pub(crate) struct ChartPage {
    /// Newest first.
    charts: Vec<ChartMetadata>,
    /// Charts in the whole listing.
    total: u64,
    /// Page size.
    limit: u32,
    /// Rows skipped.
    offset: u32,
}

/// One entry of a batch answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct BatchEntry {
    /// `ok` or `error`.
    status: String,
    /// The chart (ok).
    chart_id: Option<uuid::Uuid>,
    /// Its image (ok).
    url: Option<String>,
    /// Its format (ok).
    format: Option<String>,
    /// Render time (ok).
    render_ms: Option<u64>,
    /// Alt text (ok).
    alt_text: Option<String>,
    /// Description (ok).
    description: Option<String>,
    /// Why it failed (error).
    error: Option<String>,
    /// The error's code (error).
    code: Option<String>,
}

/// `POST /api/charts/batch`.
#[derive(Serialize, ToSchema)]
pub(crate) struct BatchAnswer {
    /// One entry per spec, in order.
    charts: Vec<BatchEntry>,
    /// Specs sent.
    total: u64,
    /// Entries with `status: error`.
    failed: u64,
}

/// A deletion.
#[derive(Serialize, ToSchema)]
pub(crate) struct Deleted {
    /// Always `true`.
    deleted: bool,
    /// What was deleted.
    id: String,
}

/// `GET /api/chart-types`.
#[derive(Serialize, ToSchema)]
pub(crate) struct ChartTypes {
    /// Server version.
    version: String,
    /// Renderer.
    engine: String,
    /// Types listed.
    total: u64,
    /// Every type with an example.
    chart_types: Vec<CatalogEntry>,
}

/// One rendered preview.
#[derive(Serialize, ToSchema)]
pub(crate) struct Example {
    /// Chart type.
    #[schema(rename = "type")]
    chart_type: String,
    /// Human name.
    label: String,
    /// The preview image, when it rendered.
    url: Option<String>,
    /// Why it did not.
    error: Option<String>,
}

/// `GET /api/chart-types/examples`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Examples {
    /// One per type.
    examples: Vec<Example>,
}

/// Register, login and refresh.
#[derive(Serialize, ToSchema)]
pub(crate) struct SignedIn {
    /// Always `true`.
    ok: bool,
    /// The account.
    user: User,
    /// The access JWT (also set as the `cc_token` cookie).
    access_token: String,
    /// Spend it at `/api/auth/refresh` for a new pair.
    refresh_token: String,
    /// `Bearer`.
    token_type: String,
    /// Seconds the access token lives.
    expires_in: u64,
}

/// `{ok: true}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Done {
    /// Always `true`.
    ok: bool,
}

/// The caller as the credential names it.
#[derive(Serialize, ToSchema)]
pub(crate) struct Profile {
    /// A number or a string (`usr_…` for local accounts).
    id: Value,
    /// E-mail, when known.
    email: Option<String>,
    /// Role.
    role: String,
    /// Display name, when known.
    name: Option<String>,
    /// `session`, `token`, `api_key` or `internal` (`/api/me` only).
    via: Option<String>,
    /// An API key's scopes (`/api/me` only).
    scopes: Option<Vec<String>>,
}

/// `GET /api/auth/me` and `GET /api/me`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Me {
    /// Always `true`.
    ok: bool,
    /// The caller.
    user: Profile,
}

/// An API key with its status.
#[derive(Serialize, ToSchema)]
pub(crate) struct Key {
    #[serde(flatten)]
    key: ApiKey,
    /// `active`, `revoked` or `expired`.
    status: String,
}

/// A new API key: the raw `key` is shown this once.
#[derive(Serialize, ToSchema)]
pub(crate) struct NewKey {
    #[serde(flatten)]
    key: ApiKey,
    /// `active`.
    status: String,
    /// The raw key, `cc_live_…`.
    #[schema(rename = "key")]
    raw: String,
}

/// `GET /api/keys`.
#[derive(Serialize, ToSchema)]
pub(crate) struct KeyList {
    /// Newest first.
    keys: Vec<Key>,
    /// Keys listed.
    total: u64,
}

/// `POST /api/keys/{id}/revoke`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Revoked {
    /// Always `true`.
    ok: bool,
    /// The key, now revoked.
    key: Key,
}

/// A page of users.
#[derive(Serialize, ToSchema)]
pub(crate) struct UserPage {
    /// Users.
    users: Vec<UserSummary>,
    /// Matching users.
    total: u64,
    /// Page size.
    limit: u32,
    /// Rows skipped.
    offset: u32,
}

/// A user as admins see it.
#[derive(Serialize, ToSchema)]
pub(crate) struct AdminUser {
    #[serde(flatten)]
    user: User,
    /// API keys the user holds.
    key_count: u64,
}

/// `GET /api/admin/users/{id}` and the updates.
#[derive(Serialize, ToSchema)]
pub(crate) struct AdminUserAnswer {
    /// The user.
    user: AdminUser,
}

/// `GET /api/admin/stats`.
#[derive(Serialize, ToSchema)]
pub(crate) struct StatsAnswer {
    #[serde(flatten)]
    stats: Stats,
}

/// `POST /chart/create`.
#[derive(Serialize, ToSchema)]
pub(crate) struct ShortUrl {
    /// Always `true`.
    success: bool,
    /// `…/chart/render/<id>`.
    url: String,
    /// RFC 3339.
    expires_at: String,
}

/// `POST /chart` and `POST /chart/create`: QuickChart's body.
#[derive(Serialize, ToSchema)]
pub(crate) struct UrlChart {
    /// A Chart.js config as an object, or as a string (JavaScript object literal).
    #[schema(value_type = Object)]
    chart: Value,
    /// Pixels.
    width: Option<u32>,
    /// Pixels.
    height: Option<u32>,
    /// Background colour.
    #[schema(rename = "backgroundColor")]
    background_color: Option<String>,
    /// Pixel density.
    #[schema(rename = "devicePixelRatio")]
    device_pixel_ratio: Option<f64>,
    /// `png`, `webp`, `svg`, `pdf` or `jpg`.
    format: Option<String>,
    /// An API key.
    key: Option<String>,
}

/// `GET /livez`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Alive {
    /// `alive`.
    status: String,
}

/// `GET /readyz`: every check, and when any fails the error fields too.
#[derive(Serialize, ToSchema)]
pub(crate) struct Readiness {
    /// `ready` or `unavailable`.
    status: String,
    /// `render`, `store`, `disk`, `database`: `{ok, ms, detail | error}`.
    #[schema(value_type = Object)]
    checks: Value,
    /// The failing checks, in words (503 only).
    error: Option<String>,
    /// `NOT_READY` (503 only).
    code: Option<String>,
    /// `{failing: [...]}` (503 only).
    #[schema(value_type = Option<Object>)]
    details: Option<Value>,
}

/// `GET /health`.
#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok` or `unavailable`.
    status: String,
    /// As `/readyz`.
    #[schema(value_type = Object)]
    checks: Value,
    /// `CloviCharts`.
    service: String,
    /// Server version.
    version: String,
    /// The configured port.
    port: u16,
    /// Charts stored (or rendered since start without a store).
    charts_rendered: u64,
    /// Seconds since start.
    uptime_seconds: u64,
    /// Chart types.
    supported_types: u64,
    /// Where charts are written.
    output_dir: String,
    /// `{backend, adapter, workers}`.
    #[schema(value_type = Object)]
    renderer: Value,
    /// `{kind, healthy}`.
    #[schema(value_type = Object)]
    store: Value,
    /// `{provider, model, healthy}`.
    #[schema(value_type = Object)]
    llm: Value,
}

/// `?limit=&offset=&type=` of a chart listing.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ChartPageParams {
    /// Page size, 1 to 100 (larger is clamped; default 20).
    limit: Option<u32>,
    /// Rows to skip (default 0).
    offset: Option<u32>,
    /// Only charts of this type.
    #[serde(rename = "type")]
    chart_type: Option<String>,
}

/// `?search=&limit=&offset=` of the user listing.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct UserPageParams {
    /// Case-insensitive part of the e-mail or name.
    search: Option<String>,
    /// Page size, 1 to 200 (larger is clamped; default 50).
    limit: Option<u32>,
    /// Rows to skip (default 0).
    offset: Option<u32>,
}
