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
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

/// Largest request head, and the read buffer of a connection: 64 KiB is 8× nginx's default
/// header buffer, and 4,096 connections sending half a head hold 256 MiB, not hyper's 400 KiB
/// each.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// File descriptors kept free of connections: the database, chart files, the listener.
const FD_RESERVE: u64 = 128;
/// Connections being closed to make room that may still count against the cap.
const EVICTION_SLACK: usize = 64;
/// The longest a watch sleeps before looking at its connection again.
const WATCH_TICK: Duration = Duration::from_secs(1);
/// How long the accept loop pauses after an accept error (e.g. out of file descriptors), so
/// that it does not spin while connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// What a client over the cap reads before its connection closes.
const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 80\r\n\r\n\
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

/// The idle and head deadlines every watch applies, and the clock's zero.
#[derive(Debug)]
struct WatchLimits {
    idle: Duration,
    head: Duration,
    epoch: Instant,
}

impl WatchLimits {
    /// Milliseconds since `epoch`, plus one so that zero can mean "never".
    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(1)
    }
}

/// What a connection's task, its I/O and its requests share.
#[derive(Debug)]
struct ConnState {
    /// Requests whose response has not been fully sent.
    in_flight: AtomicUsize,
    /// When the last request ended (or the connection opened), in [`WatchLimits::now_ms`].
    idle_since: AtomicU64,
    /// When the first byte after `idle_since` arrived; 0 while none has.
    head_since: AtomicU64,
    /// Set to close the connection at once (evicted to make room).
    close: Notify,
}

impl ConnState {
    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }
}

/// A connection's place in the [`Registry`]; leaving it frees the slot.
struct Slot {
    id: u64,
    ip: IpAddr,
    state: Arc<ConnState>,
    registry: Arc<Registry>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.remove(self.id, self.ip);
    }
}

#[derive(Debug)]
struct Entry {
    ip: IpAddr,
    state: Arc<ConnState>,
    evicting: bool,
}

/// Open connections, oldest first, with counts per address; evicting ones no longer count.
#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    conns: BTreeMap<u64, Entry>,
    per_ip: HashMap<IpAddr, usize>,
    counted: usize,
}

/// The caps on open connections.
#[derive(Debug)]
struct Registry {
    max_total: usize,
    max_per_ip: usize,
    inner: Mutex<Inner>,
}

impl Registry {
    fn new(max_total: usize, max_per_ip: usize) -> Registry {
        Registry {
            max_total,
            max_per_ip,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// A slot for a new connection from `ip`, closing the oldest connection with no request in
    /// flight when a cap is reached; `None` when every connection in the way is busy.
    fn admit(self: &Arc<Self>, ip: IpAddr, limits: &WatchLimits) -> Option<Slot> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.conns.len() >= self.max_total + EVICTION_SLACK {
            return None;
        }
        let from_ip = inner.per_ip.get(&ip).copied().unwrap_or(0);
        let victim_of = if from_ip >= self.max_per_ip {
            Some(Some(ip))
        } else if inner.counted >= self.max_total {
            Some(None)
        } else {
            None
        };
        if let Some(only) = victim_of {
            let victim = inner
                .conns
                .iter()
                .find(|(_, e)| {
                    !e.evicting && !e.state.busy() && only.is_none_or(|ip| e.ip == ip)
                })
                .map(|(id, _)| *id)?;
            let Inner {
                conns,
                per_ip,
                counted,
                ..
            } = &mut *inner;
            if let Some(e) = conns.get_mut(&victim) {
                e.evicting = true;
                e.state.close.notify_one();
                *counted -= 1;
                if let Some(n) = per_ip.get_mut(&e.ip) {
                    *n -= 1;
                }
            }
        }
        let now = limits.now_ms();
        let state = Arc::new(ConnState {
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now),
            head_since: AtomicU64::new(0),
            close: Notify::new(),
        });
        let id = inner.next_id;
        inner.next_id += 1;
        inner.conns.insert(
            id,
            Entry {
                ip,
                state: state.clone(),
                evicting: false,
            },
        );
        *inner.per_ip.entry(ip).or_default() += 1;
        inner.counted += 1;
        Some(Slot {
            id,
            ip,
            state,
            registry: self.clone(),
        })
    }

    fn remove(&self, id: u64, ip: IpAddr) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = inner.conns.remove(&id) else {
            return;
        };
        if entry.evicting {
            return;
        }
        inner.counted -= 1;
        if let Some(n) = inner.per_ip.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                inner.per_ip.remove(&ip);
            }
        }
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
                async move {
                    let response = app.oneshot(req).await?;
                    // The request counts as in flight until its body is sent: the guard goes
                    // with the body, which hyper drops once it is written (or the client left).
                    Ok::<_, std::convert::Infallible>(response.map(|body| {
                        axum::body::Body::new(body.map_frame(move |frame| {
                            let _ = &guard;
                            frame
                        }))
                    }))
                }
            })
        };
        let conn = builder.serve_connection(io, service);
        tokio::pin!(conn);
        let mut draining = *stop.borrow();
        if draining {
            conn.as_mut().graceful_shutdown();
        }
        loop {
            let wait = if draining {
                Duration::from_millis(50)
            } else {
                next_check(&state, &limits)
            };
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
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
                    conn.as_mut().graceful_shutdown();
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
        drop(slot);
    }
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
    use super::*;

    fn limits() -> WatchLimits {
        WatchLimits {
            idle: Duration::from_secs(5),
            head: Duration::from_secs(10),
            epoch: Instant::now(),
        }
    }

    #[test]
    fn a_cap_evicts_the_oldest_idle_connection_of_that_address() {
        let r = Arc::new(Registry::new(100, 2));
        let l = limits();
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = r.admit(a, &l).unwrap();
        let second = r.admit(a, &l).unwrap();
        let other = r.admit(b, &l).unwrap();
        // Busy connections are never evicted.
        second.state.in_flight.store(1, Ordering::Release);
        let third = r.admit(a, &l).unwrap();
        assert!(r.inner.lock().unwrap().conns[&first.id].evicting);
        assert!(!r.inner.lock().unwrap().conns[&other.id].evicting);
        // Now both of `a`'s counted connections are busy: refused.
        third.state.in_flight.store(1, Ordering::Release);
        assert!(r.admit(a, &l).is_none());
        drop(first);
        drop(second);
        assert!(r.admit(a, &l).is_some());
        assert_eq!(r.inner.lock().unwrap().per_ip[&b], 1);
    }

    #[test]
    fn the_total_cap_evicts_across_addresses() {
        let r = Arc::new(Registry::new(2, 10));
        let l = limits();
        let a = r.admit([10, 0, 0, 1].into(), &l).unwrap();
        let _b = r.admit([10, 0, 0, 2].into(), &l).unwrap();
        let _c = r.admit([10, 0, 0, 3].into(), &l).unwrap();
        let inner = r.inner.lock().unwrap();
        assert!(inner.conns[&a.id].evicting);
        assert_eq!(inner.counted, 2);
    }
}
