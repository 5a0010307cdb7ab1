//! A real SMTP server on loopback for the tests and the mail benchmark: the `mailin` SMTP protocol
//! engine (the one inside mailin-embedded) behind a small threaded accept loop that, unlike
//! mailin-embedded's, can be stopped and started again on the same port, and whose replies a test
//! can script (4xx/5xx, required authentication).

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder, response};

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

/// How the server answers.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Replies to the end of DATA, one per message, in order; when empty: 250 OK.
    pub data_replies: VecDeque<(u16, String)>,
    /// Reply to every RCPT TO (e.g. 550), instead of 250.
    pub rcpt_reply: Option<(u16, String)>,
    /// Require AUTH PLAIN/LOGIN with this user and password before MAIL FROM.
    pub credentials: Option<(String, String)>,
    /// Hang once, for `STALL`, at this point of a transaction; then drop the message.
    pub stall_once: Option<Stall>,
    /// Take this long to accept each message (a slow server, so a worker is caught mid-flush).
    pub accept_delay: Option<Duration>,
}

/// Where the server hangs, as if the network or the server stalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stall {
    /// At MAIL FROM: the client has not sent the message yet.
    Mail,
    /// After the whole message arrived, before the reply to it.
    DataEnd,
}

pub const STALL: Duration = Duration::from_secs(5);

#[derive(Default)]
struct State {
    behaviour: Mutex<Behaviour>,
    received: Mutex<Vec<Received>>,
    /// The Message-ID header of every message whose data arrived, accepted or not.
    data_message_ids: Mutex<Vec<String>>,
    connections: AtomicUsize,
    stalled: AtomicUsize,
    open: Mutex<Vec<TcpStream>>,
}

pub struct SmtpServer {
    pub addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// A loopback address with nothing listening on it (yet).
pub fn unused_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

impl SmtpServer {
    /// A server on a free loopback port that accepts everything.
    pub fn start() -> Self {
        Self::start_with(Behaviour::default())
    }

    pub fn start_with(behaviour: Behaviour) -> Self {
        Self::start_on(unused_addr(), behaviour)
    }

    /// A server on `addr` (e.g. the one a stopped server had).
    pub fn start_on(addr: SocketAddr, behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind(addr).expect("bind the SMTP server");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(State {
            behaviour: Mutex::new(behaviour),
            ..Default::default()
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::spawn(move || accept_loop(listener, state, stop))
        };
        Self {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// `smtp://127.0.0.1:PORT` (plain: loopback), with credentials when given.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().expect("lock").clone()
    }

    pub fn data_message_ids(&self) -> Vec<String> {
        self.state.data_message_ids.lock().expect("lock").clone()
    }

    /// How many times the server has hung (see [`Stall`]).
    pub fn stalled(&self) -> usize {
        self.state.stalled.load(Ordering::SeqCst)
    }

    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    pub fn set_behaviour(&self, behaviour: Behaviour) {
        *self.state.behaviour.lock().expect("lock") = behaviour;
    }

    /// Stop listening and drop every open connection.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for s in self.state.open.lock().expect("lock").drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn accept_loop(listener: TcpListener, state: Arc<State>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                state.connections.fetch_add(1, Ordering::SeqCst);
                if let Ok(clone) = stream.try_clone() {
                    state.open.lock().expect("lock").push(clone);
                }
                let state = Arc::clone(&state);
                let closer = stream.try_clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, peer.ip(), state);
                    // The session is over (quit, error or idle timeout): close the connection, as
                    // a real server does, so a client's pooled connection sees it gone.
                    if let Ok(c) = closer {
                        let _ = c.shutdown(Shutdown::Both);
                    }
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

fn serve(stream: TcpStream, ip: IpAddr, state: Arc<State>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut builder = SessionBuilder::new("blendscan-test");
    let auth = state.behaviour.lock().expect("lock").credentials.is_some();
    if auth {
        builder
            .enable_auth(AuthMechanism::Plain)
            .enable_auth(AuthMechanism::Login)
            .insecure_enable_plaintext_auth();
    }
    // mailin keeps a session in DATA after a negative reply to the end of data (RFC 5321 ends the
    // transaction there): the handler accepts, and the loop sends the scripted reply instead.
    let replace: Arc<Mutex<Option<Response>>> = Arc::default();
    let handler = Connection {
        state,
        replace: Arc::clone(&replace),
        authenticated: !auth,
        from: String::new(),
        to: Vec::new(),
        data: Vec::new(),
    };
    let mut session = builder.build(ip, handler);
    // One write per reply, as real servers do: mailin writes a reply in pieces, and Nagle's
    // algorithm would hold the later pieces back for a delayed ACK (40 ms per reply).
    stream.set_nodelay(true)?;
    let mut writer = std::io::BufWriter::new(stream.try_clone()?);
    let mut reader = BufReader::with_capacity(256 * 1024, stream);
    session.greeting().write_to(&mut writer)?;
    writer.flush()?;
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let mut res = session.process(&line);
        if let Some(scripted) = replace.lock().expect("lock").take() {
            res = scripted;
        }
        match res.action {
            Action::Reply => res.write_to(&mut writer)?,
            Action::Close => {
                res.write_to(&mut writer)?;
                writer.flush()?;
                return Ok(());
            }
            Action::UpgradeTls => return Ok(()),
            Action::NoReply => {}
        }
        writer.flush()?;
    }
}

struct Connection {
    state: Arc<State>,
    replace: Arc<Mutex<Option<Response>>>,
    authenticated: bool,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

fn check((user, pass): &(String, String), u: &str, p: &str) -> Response {
    if user == u && pass == p {
        response::AUTH_OK
    } else {
        response::INVALID_CREDENTIALS
    }
}

impl Handler for Connection {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        if !self.authenticated {
            return response::AUTHENTICATION_REQUIRED;
        }
        if self.stall(Stall::Mail) {
            return response::NO_SERVICE;
        }
        self.from = from.to_owned();
        self.to.clear();
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if let Some((code, text)) = self
            .state
            .behaviour
            .lock()
            .expect("lock")
            .rcpt_reply
            .clone()
        {
            return Response::custom(code, text);
        }
        self.to.push(to.to_owned());
        response::OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let data = std::mem::take(&mut self.data);
        if let Some(id) = header(&data, "message-id") {
            self.state.data_message_ids.lock().expect("lock").push(id);
        }
        if self.stall(Stall::DataEnd) {
            return response::NO_SERVICE;
        }
        let delay = self.state.behaviour.lock().expect("lock").accept_delay;
        if let Some(d) = delay {
            std::thread::sleep(d);
        }
        let reply = self
            .state
            .behaviour
            .lock()
            .expect("lock")
            .data_replies
            .pop_front();
        match reply {
            Some((code, text)) if code >= 400 => {
                *self.replace.lock().expect("lock") = Some(Response::custom(code, text));
                response::OK
            }
            _ => {
                self.state.received.lock().expect("lock").push(Received {
                    from: self.from.clone(),
                    to: self.to.clone(),
                    data,
                });
                response::OK
            }
        }
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.auth(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.auth(user, password)
    }
}

impl Connection {
    /// Hang at `at` if the behaviour asks for it (once); true when it did.
    fn stall(&mut self, at: Stall) -> bool {
        {
            let mut b = self.state.behaviour.lock().expect("lock");
            if b.stall_once != Some(at) {
                return false;
            }
            b.stall_once = None;
        }
        self.state.stalled.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(STALL);
        true
    }

    fn auth(&mut self, user: &str, password: &str) -> Response {
        let expected = self
            .state
            .behaviour
            .lock()
            .expect("lock")
            .credentials
            .clone();
        let res = match &expected {
            Some(creds) => check(creds, user, password),
            None => response::INVALID_CREDENTIALS,
        };
        self.authenticated = res.code == 235;
        res
    }
}

/// The value of a top-level header (unfolded), by lower-case name.
pub fn header(data: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    let head = text.split("\r\n\r\n").next()?;
    let mut value: Option<String> = None;
    for line in head.split("\r\n") {
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push_str(line.trim_start());
                continue;
            }
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case(name)
        {
            value = Some(v.trim().to_owned());
        }
    }
    value
}
