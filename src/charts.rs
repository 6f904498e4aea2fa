//! The chart service, below HTTP: generate a chart (title and narrative from the model or the
//! data, render on the pool, store durably), a batch of them, and the chart-type previews. The
//! HTTP layer (`api::charts`, `api::catalog`) only extracts, calls and answers.

use crate::catalog;
use crate::insight::llm::{ChartText, Llm};
use crate::render_pool::{PoolError, PoolOutput, RenderPool};
use crate::spec::{self, ChartSpec, ChartType, SpecErrors};
use crate::store::{ChartRecord, Store, StoreError};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// Most charts in one batch, as the reference.
pub const MAX_BATCH: usize = 10;
/// Preview size, as the reference.
const PREVIEW_WIDTH: u32 = 400;
const PREVIEW_HEIGHT: u32 = 280;
/// From this many points up, the data title and narrative (which read every point) are worked
/// out on a blocking thread: a 10-million-point series takes far longer than a runtime worker
/// may be held.
const TEXT_OFF_RUNTIME_POINTS: usize = 100_000;

/// Why a chart was not generated.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The spec is invalid.
    #[error("{0}")]
    Spec(#[from] SpecErrors),
    /// The render pool refused or failed the render.
    #[error("{0}")]
    Render(#[from] PoolError),
    /// The chart could not be stored.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A batch body is not `{charts: [...]}` or holds too many.
    #[error("{message}")]
    Batch {
        /// `MISSING_CHARTS` or `BATCH_TOO_LARGE`, as the reference.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Something of ours failed (a task, the metadata encoding).
    #[error("{0}")]
    Internal(String),
}

/// The reference's metadata object for a stored chart (`<uuid>.json` and the API answers).
pub fn record_json(record: &ChartRecord, base: &str) -> Value {
    json!({
        "chart_id": record.id,
        "type": record.chart_type,
        "theme": record.theme,
        "format": record.format,
        "width": record.width,
        "height": record.height,
        "title": record.title,
        "narrative": record.narrative,
        "url": format!("{base}/charts/{}", record.image_name()),
        "created_at": record.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "render_ms": record.render_ms,
        "visibility": record.visibility.as_str(),
    })
}

/// A rendered and stored chart.
#[derive(Debug)]
pub struct StoredChart {
    /// Its row.
    pub record: ChartRecord,
    /// Where its image is served.
    pub url: String,
    /// The metadata object, built once: written to `<uuid>.json` and answered.
    pub metadata: Value,
    /// The image.
    pub bytes: Vec<u8>,
    /// Where the title and narrative came from (model or data).
    pub text: ChartText,
    /// The pool's answer, for the timing headers (its image moved to `bytes`).
    pub render: RenderTimes,
    /// The alt text and description (also in the metadata file and the image itself).
    pub info: crate::encode::DocInfo,
    /// Rendering's own warnings (characters no loaded font has).
    pub warnings: Vec<crate::spec::SpecWarning>,
}

/// Adds `alt_text` and `description` to a chart's metadata object.
fn add_description(value: &mut Value, info: &crate::encode::DocInfo) {
    if let Some(obj) = value.as_object_mut() {
        obj.insert("alt_text".into(), info.alt_text.clone().into());
        obj.insert("description".into(), info.description.clone().into());
    }
}

/// Where a generate's time went, as the pool measured it.
#[derive(Clone, Copy, Debug)]
pub struct RenderTimes {
    /// Layout plus rasterisation.
    pub render: Duration,
    /// Encoding.
    pub encode: Duration,
    /// Waiting for a worker.
    pub queue: Duration,
    /// Whether the render cache answered (then nothing was drawn).
    pub cached: bool,
}

impl RenderTimes {
    fn of(out: &PoolOutput) -> RenderTimes {
        RenderTimes {
            render: out.chart.layout_time + out.chart.render_time,
            encode: out.chart.encode_time,
            queue: out.queue_time,
            cached: out.cached,
        }
    }

    /// Layout, rasterisation and encoding in milliseconds (0 for a cache hit): the reference's
    /// `render_ms`.
    pub fn total_ms(&self) -> f64 {
        if self.cached {
            0.0
        } else {
            (self.render + self.encode).as_secs_f64() * 1e3
        }
    }
}

/// A chart type's preview: written to `example_<type>.png`, or why not.
#[derive(Debug)]
pub struct Preview {
    /// The type.
    pub chart_type: ChartType,
    /// The file name under `/charts/`, or why it failed.
    pub file: Result<String, ChartError>,
}

/// The chart service: the render pool, the store and the optional model.
#[derive(Clone, Debug)]
pub struct Charts {
    pool: Arc<RenderPool>,
    store: Arc<Store>,
    llm: Llm,
    rendered: Arc<AtomicU64>,
}

impl Charts {
    /// The service over a started pool and an open store; `rendered` counts the charts
    /// generated (shown by `/health`).
    pub fn new(
        pool: Arc<RenderPool>,
        store: Arc<Store>,
        llm: Llm,
        rendered: Arc<AtomicU64>,
    ) -> Charts {
        Charts {
            pool,
            store,
            llm,
            rendered,
        }
    }

    /// Fills title and narrative when asked (the model's when configured and valid, else from
    /// the data), renders on the pool, stores durably. `base` starts the returned URLs.
    pub async fn generate(
        &self,
        spec: ChartSpec,
        owner: Option<String>,
        base: &str,
    ) -> Result<StoredChart, ChartError> {
        let (mut spec, text) = self.chart_text(spec).await?;
        text.apply(&mut spec);
        let narrative = text.narrative.as_ref().map(|n| n.text.clone());
        let title = spec.options.title.clone();
        let (chart_type, theme) = (spec.chart_type, spec.options.theme);
        let visibility = spec.options.visibility;
        let out = self.pool.render(spec).await?;
        let render = RenderTimes::of(&out);
        let chart = out.chart;
        let record = ChartRecord {
            id: Uuid::new_v4(),
            chart_type,
            theme,
            format: chart.format,
            width: chart.width,
            height: chart.height,
            title,
            narrative,
            render_ms: render.total_ms().round() as u64,
            created_at: chrono::Utc::now(),
            owner,
            size_bytes: chart.bytes.len() as u64,
            visibility,
        };
        let url = format!("{base}/charts/{}", record.image_name());
        let mut metadata = record_json(&record, base);
        add_description(&mut metadata, &chart.info);
        let file = serde_json::to_vec_pretty(&metadata)
            .map_err(|e| ChartError::Internal(e.to_string()))?;
        self.store.save(&record, &chart.bytes, &file).await?;
        self.rendered.fetch_add(1, Ordering::Relaxed);
        Ok(StoredChart {
            record,
            url,
            metadata,
            bytes: chart.bytes,
            text,
            render,
            info: chart.info,
            warnings: chart.warnings,
        })
    }

    /// The title and narrative of `spec`; for a big series on a blocking thread, since the
    /// data's own title and narrative read every point.
    async fn chart_text(&self, spec: ChartSpec) -> Result<(ChartSpec, ChartText), ChartError> {
        let points: usize = spec.datasets.iter().map(|d| d.data.len()).sum();
        if points < TEXT_OFF_RUNTIME_POINTS {
            let text = self.llm.chart_text(&spec).await;
            return Ok((spec, text));
        }
        let llm = self.llm.clone();
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            // A blocking thread may wait on the runtime: the model call still runs on its I/O.
            let text = runtime.block_on(llm.chart_text(&spec));
            (spec, text)
        })
        .await
        .map_err(|e| ChartError::Internal(e.to_string()))
    }

    /// `{charts: [spec, ...]}`: up to [`MAX_BATCH`] specs rendered concurrently, each in its
    /// own `options.format` and without narrative, each with its own outcome; the error when the body is not a
    /// batch.
    pub async fn batch(
        &self,
        body: &Value,
        owner: &str,
        base: &str,
    ) -> Result<Vec<Result<StoredChart, ChartError>>, ChartError> {
        let Some(entries) = body.get("charts").and_then(Value::as_array) else {
            return Err(ChartError::Batch {
                code: "MISSING_CHARTS",
                message: "`charts` must be an array of chart specs".into(),
            });
        };
        if entries.len() > MAX_BATCH {
            return Err(ChartError::Batch {
                code: "BATCH_TOO_LARGE",
                message: format!(
                    "A batch holds at most {MAX_BATCH} charts, got {}",
                    entries.len()
                ),
            });
        }
        let mut tasks = Vec::with_capacity(entries.len());
        for entry in entries {
            let parsed = spec::from_value(entry);
            let charts = self.clone();
            let base = base.to_owned();
            let owner = owner.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut spec = parsed?;
                spec.options.ai_narrative = false;
                charts.generate(spec, Some(owner), &base).await
            }));
        }
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            results.push(
                task.await
                    .unwrap_or_else(|e| Err(ChartError::Internal(e.to_string()))),
            );
        }
        Ok(results)
    }

    /// Renders and writes the preview of `t` (`example_<type>.png`, 400×280).
    pub async fn preview(&self, t: ChartType) -> Result<String, ChartError> {
        let mut config = catalog::example_config(t);
        config["options"]["width"] = PREVIEW_WIDTH.into();
        config["options"]["height"] = PREVIEW_HEIGHT.into();
        config["options"]["format"] = "png".into();
        let spec = spec::from_value(&config)?;
        let out = self.pool.render(spec).await?;
        let name = preview_name(t);
        self.store
            .objects()
            .write_atomic(&name, &out.chart.bytes)
            .await
            .map_err(|e| ChartError::Internal(e.to_string()))?;
        Ok(name)
    }

    /// Every type's preview, rendered now.
    pub async fn previews(&self) -> Vec<Preview> {
        let mut out = Vec::with_capacity(ChartType::ALL.len());
        for t in ChartType::ALL {
            out.push(Preview {
                chart_type: t,
                file: self.preview(t).await,
            });
        }
        out
    }

    /// Renders the previews that are not on disk yet, in the background, so `/app` shows
    /// pictures.
    pub fn spawn_preview_warmup(&self) {
        let charts = self.clone();
        tokio::spawn(async move {
            for t in ChartType::ALL {
                // Unknown (storage unreachable) counts as missing: rendering it is harmless.
                let exists = charts
                    .store
                    .objects()
                    .exists(&preview_name(t))
                    .await
                    .unwrap_or(false);
                if !exists && let Err(e) = charts.preview(t).await {
                    tracing::warn!(chart_type = t.name(), error = %e, "preview failed");
                }
            }
        });
    }
}

fn preview_name(t: ChartType) -> String {
    format!("example_{}.png", t.name())
}
