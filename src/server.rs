//! The connection layer under the router: an accept loop with caps on open connections (in
//! all and per client address), hyper HTTP/1.1 connections with a header read timeout, a
//! keep-alive idle timeout, and a graceful shutdown with a deadline.
//!
//! `axum::serve` offers none of these, and without them one client holds the server: slowloris
//! connections stay open forever, idle connections exhaust the file descriptors, and SIGTERM
//! waits on a half-sent request. Here every connection is watched by its own task:
//!
//! - **between requests** it may stay idle for `keep_alive_timeout`, and once a byte of the next
//!   request head has arrived the head must be complete within `header_read_timeout` (hyper
//!   enforces the same; the watch also covers the time before the first byte);
//! - **at a cap** the oldest connection with no request in flight is closed to make room (an
//!   idle or half-sent connection costs its client nothing to reopen, while refusing the new one
//!   would let a flood of idle connections lock everyone out, `/health` included); only when
//!   every connection is busy is the new one answered `503` and closed;
//! - **on shutdown** connections with no request in flight close at once, the others get
//!   `shutdown_grace` to finish and are then cut.
//!
//! Request bodies (their deadline and size) are the router's business: `api::admission`.

use crate::config::LimitsConfig;
use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use registry::{ConnState, Registry, Slot, WatchLimits};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt as _;

mod registry;

/// Largest request head, and the read buffer of a connection: 96 KiB takes a 64 KiB token in a
/// cookie with the rest of a head (the credentials tests send one and expect 401, not 431),
/// and 4,096 connections sending half a head hold 384 MiB, not hyper's 400 KiB each.
const MAX_HEAD_BYTES: usize = 96 * 1024;
/// File descriptors kept free of connections: the database, chart files, the listener.
const FD_RESERVE: u64 = 128;
/// The longest a watch sleeps before looking at its connection again.
const WATCH_TICK: Duration = Duration::from_secs(1);
/// How long the accept loop pauses after an accept error (e.g. out of file descriptors), so
/// that it does not spin while connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// The longest a closing connection reads what its client still sends (see [`linger`]).
const LINGER: Duration = Duration::from_secs(2);
/// What a client over the cap reads before its connection closes.
const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 82\r\n\r\n\
{\"error\":\"Too many open connections; retry shortly\",\"code\":\"TOO_MANY_CONNECTIONS\"}";

/// Serves `app` on `listener` until `shutdown` resolves, with the caps and timeouts of
/// `limits`; returns when every connection has closed or been cut at the shutdown deadline.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &LimitsConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let max_total = effective_max_connections(limits.max_connections);
    let registry = Arc::new(Registry::new(max_total, limits.max_connections_per_address));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    let watch_limits = Arc::new(WatchLimits {
        idle: limits.keep_alive_timeout,
        head: limits.header_read_timeout,
        epoch: Instant::now(),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let Some(slot) = registry.admit(peer.ip(), &watch_limits) else {
                    // Best effort: the socket buffer takes this at once or not at all.
                    let _ = stream.try_write(REFUSED);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let conn = Conn {
                    stream,
                    peer,
                    slot,
                    app: app.clone(),
                    builder: builder.clone(),
                    limits: watch_limits.clone(),
                    stop: stop_rx.clone(),
                };
                tasks.spawn(conn.run());
            }
            // Reap finished connection tasks so the set does not grow with every connection.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = tasks.len(),
            grace_ms = limits.shutdown_grace.as_millis() as u64,
            "shutdown deadline passed: closing the remaining connections"
        );
        tasks.shutdown().await;
    }
    Ok(())
}

/// `wanted`, at most the file-descriptor limit less [`FD_RESERVE`].
fn effective_max_connections(wanted: usize) -> usize {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    match limit {
        Some(fds) => {
            let room = fds.saturating_sub(FD_RESERVE).max(16);
            let room = usize::try_from(room).unwrap_or(usize::MAX);
            if room < wanted {
                tracing::warn!(
                    max_connections = wanted,
                    fd_limit = fds,
                    using = room,
                    "MAX_CONNECTIONS is above the file-descriptor limit; lowered"
                );
            }
            wanted.min(room)
        }
        None => wanted,
    }
}

/// One accepted connection and what serving it needs.
struct Conn {
    stream: TcpStream,
    peer: SocketAddr,
    slot: Slot,
    app: Router,
    builder: http1::Builder,
    limits: Arc<WatchLimits>,
    stop: watch::Receiver<bool>,
}

impl Conn {
    async fn run(self) {
        let Conn {
            stream,
            peer,
            slot,
            app,
            builder,
            limits,
            mut stop,
        } = self;
        let state = slot.state.clone();
        let io = TokioIo::new(Watched {
            inner: stream,
            state: state.clone(),
            limits: limits.clone(),
        });
        let service = {
            let state = state.clone();
            let limits = limits.clone();
            hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let guard = InFlight::start(state.clone(), limits.clone());
                let app = app.clone();
                Box::pin(async move {
                    let response = app.oneshot(req).await?;
                    // The request counts as in flight until its body is sent: the guard goes
                    // with the body, which hyper drops once it is written (or the client left).
                    Ok::<_, std::convert::Infallible>(response.map(|body| {
                        axum::body::Body::new(body.map_frame(move |frame| {
                            let _ = &guard;
                            frame
                        }))
                    }))
                })
            })
        };
        let mut conn = builder.serve_connection(io, service);
        let mut draining = *stop.borrow();
        if draining {
            Pin::new(&mut conn).graceful_shutdown();
        }
        let mut finished = false;
        loop {
            let wait = if draining {
                Duration::from_millis(50)
            } else {
                next_check(&state, &limits)
            };
            tokio::select! {
                result = std::future::poll_fn(|cx| conn.poll_without_shutdown(cx)) => {
                    match result {
                        Ok(()) => finished = true,
                        Err(e) => tracing::debug!(%peer, error = %e, "connection ended with an error"),
                    }
                    break;
                }
                () = state.close.notified() => {
                    tracing::debug!(%peer, "connection closed to make room for a new one");
                    break;
                }
                changed = stop.changed(), if !draining => {
                    // A closed channel means the server is gone: drain as well.
                    let _ = changed;
                    draining = true;
                    Pin::new(&mut conn).graceful_shutdown();
                }
                () = tokio::time::sleep(wait) => {}
            }
            if state.busy() {
                continue;
            }
            if draining {
                break;
            }
            let now = limits.now_ms();
            let head = state.head_since.load(Ordering::Acquire);
            let expired = if head != 0 {
                now.saturating_sub(head) >= duration_ms(limits.head)
            } else {
                now.saturating_sub(state.idle_since.load(Ordering::Acquire))
                    >= duration_ms(limits.idle)
            };
            if expired {
                tracing::debug!(%peer, head_started = head != 0, "idle connection closed");
                break;
            }
        }
        if finished && !draining {
            linger(conn.into_parts().io.into_inner().inner).await;
        }
        drop(slot);
    }
}

/// Closes a connection whose last response said `Connection: close` the way nginx's lingering
/// close does: send FIN, then read and discard what the client still sends for up to
/// [`LINGER`]. Closing at once with unread bytes (a body refused before it was read: 413 or
/// 503) sends a reset, and the client loses the answer it has not read yet.
async fn linger(mut stream: TcpStream) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    if stream.shutdown().await.is_err() {
        return;
    }
    let mut sink = vec![0u8; 64 * 1024];
    let _ = tokio::time::timeout(LINGER, async {
        while let Ok(n) = stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}

/// How long the watch may sleep before its connection could have expired.
fn next_check(state: &ConnState, limits: &WatchLimits) -> Duration {
    if state.busy() {
        return WATCH_TICK;
    }
    let now = limits.now_ms();
    let head = state.head_since.load(Ordering::Acquire);
    let deadline = if head != 0 {
        head.saturating_add(duration_ms(limits.head))
    } else {
        state
            .idle_since
            .load(Ordering::Acquire)
            .saturating_add(duration_ms(limits.idle))
    };
    Duration::from_millis(deadline.saturating_sub(now)).clamp(Duration::from_millis(10), WATCH_TICK)
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Marks a request in flight for as long as it lives.
struct InFlight {
    state: Arc<ConnState>,
    limits: Arc<WatchLimits>,
}

impl InFlight {
    fn start(state: Arc<ConnState>, limits: Arc<WatchLimits>) -> InFlight {
        state.in_flight.fetch_add(1, Ordering::AcqRel);
        // The head is in: the next one's clock starts when this request ends.
        state.head_since.store(0, Ordering::Release);
        InFlight { state, limits }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.state
            .idle_since
            .store(self.limits.now_ms(), Ordering::Release);
        self.state.head_since.store(0, Ordering::Release);
        self.state.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A TCP stream that notes when the first byte of a request head arrives.
struct Watched {
    inner: TcpStream,
    state: Arc<ConnState>,
    limits: Arc<WatchLimits>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before
            && !self.state.busy()
            && self.state.head_since.load(Ordering::Acquire) == 0
        {
            let now = self.limits.now_ms();
            self.state.head_since.store(now, Ordering::Release);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_refusal_declares_its_body_length() {
        let text = std::str::from_utf8(super::REFUSED).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{text}"
        );
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["code"], "TOO_MANY_CONNECTIONS");
    }
}
