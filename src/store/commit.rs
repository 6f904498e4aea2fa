//! Group commit: saves that arrive while a commit is in flight share the next one, so a burst of
//! charts costs one directory fsync and one database transaction (one WAL fsync), not one each.
//!
//! Each save writes and fsyncs its own files (or `PUT`s its S3 objects) first, in parallel with
//! other saves, then hands its row to the one committer task and waits. The committer takes
//! every row queued so far (up to [`MAX_BATCH`]), fsyncs the chart directory once (making all
//! their directory entries durable; nothing to do for S3), inserts
//! the rows in one transaction, and only then answers each waiter. Nothing is acknowledged before
//! its files and row are durable. No timer: a batch is whatever queued during the previous
//! commit, so a lone save is never delayed.

use std::io;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::{ChartIndex, ChartRecord, Objects, StoreError};

/// Most rows in one transaction: bounds how long the first save of a batch waits for the last.
const MAX_BATCH: usize = 256;

/// A row waiting for the next commit, and where to send the outcome.
struct Pending {
    record: ChartRecord,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// The handle to the committer task; dropping it ends the task once the queue drains.
pub(super) struct GroupCommit {
    queue: mpsc::Sender<Pending>,
}

impl GroupCommit {
    /// Spawns the committer on the current tokio runtime.
    pub(super) fn start(index: Arc<dyn ChartIndex>, objects: Objects) -> GroupCommit {
        let (queue, rx) = mpsc::channel(MAX_BATCH);
        tokio::spawn(run(index, objects, rx));
        GroupCommit { queue }
    }

    /// Makes `record`'s renamed files and its row durable; returns once both are.
    pub(super) async fn commit(&self, record: ChartRecord) -> Result<(), StoreError> {
        let (done, outcome) = oneshot::channel();
        self.queue
            .send(Pending { record, done })
            .await
            .map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    io::Error::other("the store's committer has stopped").into()
}

async fn run(index: Arc<dyn ChartIndex>, objects: Objects, mut rx: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (records, waiters): (Vec<_>, Vec<_>) =
            batch.drain(..).map(|p| (p.record, p.done)).unzip();
        metrics::histogram!(crate::metrics::STORE_BATCH).record(records.len() as f64);
        let outcomes = commit_batch(index.as_ref(), &objects, &records).await;
        for (done, outcome) in waiters.into_iter().zip(outcomes) {
            // The saver may have gone away (its request was dropped); the chart is stored anyway.
            let _ = done.send(outcome);
        }
    }
}

/// One directory fsync (files; nothing for S3, whose objects are durable once written), then
/// one transaction for all rows; one outcome per record.
async fn commit_batch(
    index: &dyn ChartIndex,
    objects: &Objects,
    records: &[ChartRecord],
) -> Vec<Result<(), StoreError>> {
    if let Err(err) = objects.sync().await {
        let message = err.to_string();
        return records
            .iter()
            .map(|_| Err(io::Error::other(message.clone()).into()))
            .collect();
    }
    match index.insert_all(records).await {
        Ok(()) => records.iter().map(|_| Ok(())).collect(),
        Err(err) if records.len() == 1 => vec![Err(err)],
        // The transaction rolled back as a whole; one bad row (a duplicate id) must not fail the
        // others, so retry row by row and report each outcome.
        Err(_) => {
            let mut outcomes = Vec::with_capacity(records.len());
            for record in records {
                outcomes.push(index.insert(record).await);
            }
            outcomes
        }
    }
}
