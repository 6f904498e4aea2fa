//! Chart objects in a bucket of an S3-compatible store (`STORAGE_URL=s3://…`), through the
//! `object_store` crate: the same flat names as the file backend (`<uuid>.<ext>`, previews),
//! under an optional key prefix.
//!
//! A `PUT` is durable when S3 answers it, so the store's order holds as with files: a chart's
//! objects are written (and answered) before its row commits. New charts are written with
//! `If-None-Match: *` ([`PutMode::Create`]): an existing object is never replaced by a save, as
//! `create_new` does for files. Every request is bounded by `STORAGE_TIMEOUT_MS`, retries
//! included, so an unreachable store is a prompt `503 STORE_UNAVAILABLE`, never a hang.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as Key;
use object_store::{
    BackoffConfig, ClientOptions, ObjectMeta, ObjectStore as _, ObjectStoreExt as _, PutMode,
    PutOptions, PutPayload, RetryConfig,
};

use super::StoreError;
use super::names;
use crate::config::S3Location;

/// Retries of one request (connection refused, 5xx, timeouts) within `STORAGE_TIMEOUT_MS`.
const MAX_RETRIES: usize = 2;
/// Longest a connection attempt may take, however long `STORAGE_TIMEOUT_MS` is.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// A bucket (and key prefix) of chart objects.
#[derive(Clone)]
pub struct S3Objects {
    store: Arc<AmazonS3>,
    /// The key prefix, `None` for the bucket's top level.
    prefix: Option<Key>,
    /// `s3://bucket/prefix`, for logs and `/health` (never the options).
    label: String,
}

impl fmt::Debug for S3Objects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Objects")
            .field("location", &self.label)
            .finish_non_exhaustive()
    }
}

/// An object of a listing: its name (without the prefix) and when it was written.
pub(super) type Listed = (String, SystemTime);

impl S3Objects {
    /// The client for `location`; contacts nothing yet. An option the builder refuses (a bad
    /// endpoint, say) is a [`StoreError::Setup`] naming `STORAGE_URL`.
    pub fn open(location: &S3Location, timeout: Duration) -> Result<S3Objects, StoreError> {
        let setup =
            |e: &dyn fmt::Display| StoreError::Setup(format!("{}: {e}", location.display()));
        let mut options = Vec::with_capacity(location.options.len());
        let mut http_endpoint = false;
        for (name, value) in &location.options {
            let key: AmazonS3ConfigKey = name.parse().map_err(|e| setup(&e))?;
            if matches!(
                key,
                AmazonS3ConfigKey::Endpoint | AmazonS3ConfigKey::S3Endpoint
            ) {
                http_endpoint = value.expose().starts_with("http://");
            }
            options.push((key, value.expose()));
        }
        let client = ClientOptions::new()
            .with_timeout(timeout)
            .with_connect_timeout(timeout.min(MAX_CONNECT_TIMEOUT))
            .with_allow_http(http_endpoint);
        let retry = RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(50),
                max_backoff: Duration::from_millis(500),
                base: 2.0,
            },
            max_retries: MAX_RETRIES,
            retry_timeout: timeout,
        };
        let mut builder = AmazonS3Builder::new()
            .with_client_options(client)
            .with_retry(retry);
        for (key, value) in options {
            builder = builder.with_config(key, value);
        }
        let store = builder
            .with_bucket_name(&location.bucket)
            .build()
            .map_err(|e| setup(&e))?;
        let prefix = match location.prefix.as_str() {
            "" => None,
            p => Some(Key::parse(p).map_err(|e| setup(&e))?),
        };
        Ok(S3Objects {
            store: Arc::new(store),
            prefix,
            label: location.display(),
        })
    }

    /// `s3://bucket/prefix`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The key of `name` under the prefix; `None` when [`names::safe_name`] rejects it.
    fn key(&self, name: &str) -> Option<Key> {
        names::safe_name(name).and_then(|n| self.raw_key(n).ok())
    }

    /// The key of a name the store makes itself (temp and probe names, which the gate refuses).
    fn raw_key(&self, name: &str) -> Result<Key, StoreError> {
        let key = match &self.prefix {
            Some(p) => format!("{p}/{name}"),
            None => name.to_owned(),
        };
        Key::parse(key).map_err(|e| StoreError::Object(e.into()))
    }

    fn checked_key(&self, name: &str) -> Result<Key, StoreError> {
        self.key(name).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe chart file name {name:?}"),
            )
            .into()
        })
    }

    /// Writes objects that must not exist yet (a new chart's), all at once; each is durable
    /// when this returns. An existing name is an [`io::ErrorKind::AlreadyExists`] error, and
    /// on any error the objects this call created are removed.
    pub async fn write_new(&self, files: Vec<(String, Vec<u8>)>) -> Result<(), StoreError> {
        let mut puts = tokio::task::JoinSet::new();
        for (name, bytes) in files {
            let key = self.checked_key(&name)?;
            let store = self.store.clone();
            puts.spawn(async move {
                let payload = PutPayload::from(bytes);
                let opts = PutOptions {
                    mode: PutMode::Create,
                    ..PutOptions::default()
                };
                let put = match store.put_opts(&key, payload.clone(), opts).await {
                    // `conditional_put=disabled` in STORAGE_URL, for stores without
                    // `If-None-Match: *`: a plain PUT (ids are random, so nothing is replaced).
                    Err(object_store::Error::NotImplemented { .. }) => {
                        store.put(&key, payload).await
                    }
                    put => put,
                };
                (key, put.map(drop).map_err(StoreError::from))
            });
        }
        let mut created = Vec::new();
        let mut failure = None;
        while let Some(joined) = puts.join_next().await {
            match joined {
                Ok((key, Ok(()))) => created.push(key),
                Ok((_, Err(e))) => failure = failure.or(Some(e)),
                Err(e) => failure = failure.or(Some(io::Error::other(e).into())),
            }
        }
        let Some(failure) = failure else {
            return Ok(());
        };
        for key in created {
            if let Err(e) = self.store.delete(&key).await {
                tracing::warn!(object = %key, error = %e, "could not remove object of failed save");
            }
        }
        Err(failure)
    }

    /// Writes (or replaces) `name`; a reader sees the old object or the new one, never a part.
    pub async fn write(&self, name: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        let key = self.checked_key(name)?;
        self.store.put(&key, PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// The bytes of `name`; `None` if it does not exist or the gate rejects it.
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(key) = self.key(name) else {
            return Ok(None);
        };
        match self.store.get(&key).await {
            Ok(got) => Ok(Some(Vec::from(got.bytes().await?))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The object's `ETag` and, unless `not_modified` says the client has it, its bytes; one
    /// request (the body of a not-modified object is never read). `None` if it does not exist.
    pub async fn fetch(
        &self,
        name: &str,
        not_modified: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Option<(String, Option<Vec<u8>>)>, StoreError> {
        let Some(key) = self.key(name) else {
            return Ok(None);
        };
        let got = match self.store.get(&key).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let etag = etag(&got.meta);
        if not_modified(&etag) {
            return Ok(Some((etag, None)));
        }
        let bytes = Vec::from(got.bytes().await?);
        Ok(Some((etag, Some(bytes))))
    }

    /// Whether `name` exists.
    pub async fn exists(&self, name: &str) -> Result<bool, StoreError> {
        let Some(key) = self.key(name) else {
            return Ok(false);
        };
        match self.store.head(&key).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes `name`; `true` if it existed (S3's `DELETE` does not say, so a `HEAD` asks first).
    pub async fn remove(&self, name: &str) -> Result<bool, StoreError> {
        if !self.exists(name).await? {
            return Ok(false);
        }
        self.remove_quietly(name).await?;
        Ok(true)
    }

    /// Removes `name` without asking whether it existed (one request).
    pub async fn remove_quietly(&self, name: &str) -> Result<(), StoreError> {
        let Some(key) = self.key(name) else {
            return Ok(());
        };
        self.remove_key(&key).await
    }

    /// Removes a temp object by name (the gate refuses those names).
    pub async fn remove_temp(&self, name: &str) -> Result<(), StoreError> {
        let key = self.raw_key(name)?;
        self.remove_key(&key).await
    }

    async fn remove_key(&self, key: &Key) -> Result<(), StoreError> {
        match self.store.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every object directly under the prefix (temp objects included) and when it was
    /// written; objects in deeper "folders" are not the store's and are left out.
    pub async fn list(&self) -> Result<Vec<Listed>, StoreError> {
        let listing = self.store.list_with_delimiter(self.prefix.as_ref()).await?;
        Ok(listing
            .objects
            .into_iter()
            .filter_map(|meta| {
                let name = meta.location.filename()?.to_owned();
                Some((name, SystemTime::from(meta.last_modified)))
            })
            .collect())
    }

    /// Writes and removes a small temp object: whether the bucket takes writes now.
    pub async fn probe(&self) -> Result<String, StoreError> {
        let name = names::temp_name("readyz");
        let key = self.raw_key(&name)?;
        self.store
            .put(&key, PutPayload::from(vec![0u8; 64]))
            .await?;
        self.remove_key(&key).await?;
        Ok(format!("{} writable", self.label))
    }
}

/// The store's `ETag` when it gives one (quoted, as S3 sends it), else size and time.
fn etag(meta: &ObjectMeta) -> String {
    match &meta.e_tag {
        Some(tag) if tag.starts_with('"') || tag.starts_with("W/\"") => tag.clone(),
        Some(tag) => format!("\"{tag}\""),
        None => format!(
            "\"{:x}-{:x}\"",
            meta.size,
            meta.last_modified.timestamp_nanos_opt().unwrap_or_default()
        ),
    }
}
