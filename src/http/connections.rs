//! Connection limits, below the HTTP layer. A flood of connections that never send a request (or
//! never finish one) must not lock everyone out:
//!
//! - a connection that sends nothing within the first-byte timeout after it opened is closed;
//! - at most `max_connections` are served at once; a new one beyond that closes the oldest, so the
//!   newest — a health check, a real user — always gets through, and the process never runs out of
//!   file descriptors on idle sockets;
//! - an `accept` that fails (too many open files, say) is retried after a pause instead of spinning.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::sync::futures::OwnedNotified;
use tokio::time::Sleep;

/// The listener of the service, with the limits of the module docs.
pub struct GuardedListener {
    inner: TcpListener,
    registry: Arc<Registry>,
    first_byte: Duration,
}

impl GuardedListener {
    pub fn new(inner: TcpListener, max_connections: usize, first_byte: Duration) -> Self {
        Self {
            inner,
            registry: Arc::new(Registry {
                max: max_connections.max(1),
                open: Mutex::default(),
                next_id: AtomicU64::new(0),
                evicted: AtomicUsize::new(0),
            }),
            first_byte,
        }
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Connections closed to make room for newer ones, so far.
    pub fn evicted(&self) -> usize {
        self.registry.evicted.load(Ordering::Relaxed)
    }
}

impl axum::serve::Listener for GuardedListener {
    type Io = GuardedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (GuardedStream, SocketAddr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (self.registry.admit(stream, self.first_byte), addr);
                }
                Err(e) => {
                    // Out of file descriptors or memory: wait for connections to close. Anything
                    // else (a reset before accept) is the client's and passes.
                    let pause = match e.raw_os_error() {
                        Some(23 | 24) => Duration::from_millis(50), // ENFILE, EMFILE
                        _ => Duration::from_millis(1),
                    };
                    tracing::warn!(error = %e, "accept failed; trying again");
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// The connections being served, oldest first, each with the signal that closes it.
struct Registry {
    max: usize,
    open: Mutex<VecDeque<(u64, Arc<Notify>)>>,
    next_id: AtomicU64,
    evicted: AtomicUsize,
}

impl Registry {
    fn admit(self: &Arc<Self>, stream: TcpStream, first_byte: Duration) -> GuardedStream {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        if let Ok(mut open) = self.open.lock() {
            while open.len() >= self.max {
                if let Some((_, oldest)) = open.pop_front() {
                    // Stored as a permit when the connection is not waiting right now.
                    oldest.notify_one();
                    self.evicted.fetch_add(1, Ordering::Relaxed);
                }
            }
            open.push_back((id, Arc::clone(&close)));
        }
        GuardedStream {
            inner: stream,
            id,
            closed: Box::pin(close.notified_owned()),
            first_byte: Some(Box::pin(tokio::time::sleep(first_byte))),
            registry: Arc::clone(self),
        }
    }

    fn remove(&self, id: u64) {
        if let Ok(mut open) = self.open.lock()
            && let Some(i) = open.iter().position(|(x, _)| *x == id)
        {
            open.remove(i);
        }
    }
}

/// A connection under the limits.
pub struct GuardedStream {
    inner: TcpStream,
    id: u64,
    /// Completes when the connection is closed to make room.
    closed: Pin<Box<OwnedNotified>>,
    /// Until the first byte arrives.
    first_byte: Option<Pin<Box<Sleep>>>,
    registry: Arc<Registry>,
}

impl Drop for GuardedStream {
    fn drop(&mut self) {
        self.registry.remove(self.id);
    }
}

impl GuardedStream {
    fn evicted(&mut self, cx: &mut Context<'_>) -> bool {
        self.closed.as_mut().poll(cx).is_ready()
    }
}

fn closed() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "closed for a newer connection",
    )
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.evicted(cx) {
            return Poll::Ready(Err(closed()));
        }
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.first_byte = None;
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => {
                if let Some(timer) = self.first_byte.as_mut()
                    && timer.as_mut().poll(cx).is_ready()
                {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "no request within the first-byte timeout",
                    )));
                }
                Poll::Pending
            }
            other => other,
        }
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.evicted(cx) {
            return Poll::Ready(Err(closed()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The client's address, as handlers read it (`ConnectInfo<PeerAddr>`).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, GuardedListener>>
    for PeerAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, GuardedListener>) -> Self {
        PeerAddr(*stream.remote_addr())
    }
}
