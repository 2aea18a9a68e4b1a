//! Issue 13, item 5: one connection's expensive handler must not stall the others. The
//! server runs one worker thread; a view's handler blocks on a gate the test holds closed, and
//! an innocent client on another connection must be answered (ping and event) while it is
//! still blocked. No clock is involved: the innocent answers must arrive before the gate opens.

mod common;

use std::sync::{Arc, Condvar, Mutex};

use common::{config, container, Client, TestServer};
use djust_actix::{prelude::*, Djust};
use serde_json::{json, Value};

/// A gate the test opens; the handler of [`Held`] waits at it.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    /// Handlers that reached the gate.
    entered: u32,
    /// Handlers that passed it.
    passed: u32,
    open: bool,
}

impl Gate {
    fn wait_open(&self) {
        let mut state = self.state.lock().expect("gate");
        state.entered += 1;
        self.changed.notify_all();
        while !state.open {
            state = self.changed.wait(state).expect("gate");
        }
        state.passed += 1;
    }

    fn wait_entered(&self, count: u32) {
        let mut state = self.state.lock().expect("gate");
        while state.entered < count {
            state = self.changed.wait(state).expect("gate");
        }
    }

    fn passed(&self) -> u32 {
        self.state.lock().expect("gate").passed
    }

    fn open(&self) {
        self.state.lock().expect("gate").open = true;
        self.changed.notify_all();
    }
}

/// Opens the gate when the test ends, however it ends, so the server can stop.
struct OpenOnDrop(Arc<Gate>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.open();
    }
}

/// A view whose `hold` handler stands for an expensive one: it returns when the gate opens.
#[live_view(inline = r#"<p>held {{ held }}</p><button dj-click="hold">hold</button>"#)]
struct Held {
    gate: Arc<Gate>,
    held: u32,
}

#[events]
impl Held {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let gate = ctx
            .data::<Arc<Gate>>()
            .ok_or_else(|| MountError::new("no gate"))?;
        Ok(Self {
            gate: Arc::clone(gate),
            held: 0,
        })
    }

    #[event]
    fn hold(&mut self) {
        self.gate.wait_open();
        self.held += 1;
    }
}

fn server(gate: &Arc<Gate>) -> TestServer {
    let djust = Djust::new(config().data(Arc::clone(gate)))
        .view::<Held>("/held/")
        .view::<common::views::Counter>("/counter/");
    TestServer::start(djust)
}

async fn mounted(server: &TestServer, path: &str) -> (Client, String) {
    let page = container(server.addr, path);
    let mut client = Client::connect(server).await;
    let mount = client.mount(&page, path).await;
    assert_eq!(mount["type"], "mount", "{mount}");
    (client, page.target)
}

async fn html_of(client: &mut Client, target: &str) -> String {
    client
        .send(json!({"type": "request_html", "target": target}))
        .await;
    let recovery = client.recv().await;
    assert_eq!(recovery["type"], "html_recovery", "{recovery}");
    recovery["html"].as_str().expect("html").to_owned()
}

fn is_update(frame: &Value) -> bool {
    matches!(frame["type"].as_str(), Some("patch" | "html_update"))
}

#[tokio::test]
async fn an_innocent_client_is_served_while_another_connections_handler_runs() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(Arc::clone(&gate));
    let server = server(&gate);
    let (mut attacker, held) = mounted(&server, "/held/").await;
    attacker
        .send(json!({"type": "event", "target": held, "event": "hold", "ref": 1}))
        .await;
    // The attacker's next frame waits behind its own handler: order per connection.
    attacker.send(json!({"type": "ping"})).await;
    let entered = Arc::clone(&gate);
    tokio::task::spawn_blocking(move || entered.wait_entered(1))
        .await
        .expect("the handler started");

    // While the handler is held: a new client loads its page, connects, mounts, and is
    // answered a ping and an event.
    let (mut innocent, counter) = mounted(&server, "/counter/").await;
    innocent.send(json!({"type": "ping"})).await;
    assert_eq!(innocent.recv().await["type"], "pong");
    let answer = innocent.event(&counter, "increment", json!({}), 7).await;
    assert!(is_update(&answer), "{answer}");
    assert_eq!(answer["ref"], 7);
    assert_eq!(
        gate.passed(),
        0,
        "all of it while the handler was still held"
    );

    gate.open();
    let held_answer = attacker.recv().await;
    assert!(is_update(&held_answer), "{held_answer}");
    assert_eq!(held_answer["ref"], 1);
    assert_eq!(
        attacker.recv().await["type"],
        "pong",
        "after its event's answer"
    );

    // Convergence: each view shows its events applied exactly once.
    assert!(html_of(&mut attacker, &held).await.contains("held 1"));
    assert!(html_of(&mut innocent, &counter).await.contains("Count: 1"));
    assert_eq!(gate.passed(), 1);
    server.stop();
}

#[tokio::test]
async fn held_handlers_on_many_connections_leave_the_server_serving() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(Arc::clone(&gate));
    let server = server(&gate);
    let mut attackers = Vec::new();
    for n in 0..8 {
        let (mut attacker, held) = mounted(&server, "/held/").await;
        attacker
            .send(json!({"type": "event", "target": held, "event": "hold", "ref": n}))
            .await;
        attackers.push((attacker, held));
    }
    let entered = Arc::clone(&gate);
    tokio::task::spawn_blocking(move || entered.wait_entered(8))
        .await
        .expect("every handler started");
    let (mut innocent, counter) = mounted(&server, "/counter/").await;
    for reference in 1..=3 {
        let answer = innocent
            .event(&counter, "increment", json!({}), reference)
            .await;
        assert!(is_update(&answer), "{answer}");
    }
    assert_eq!(gate.passed(), 0, "served while all eight were held");
    gate.open();
    for (attacker, held) in &mut attackers {
        assert!(is_update(&attacker.recv().await));
        assert!(html_of(attacker, held).await.contains("held 1"));
    }
    assert!(html_of(&mut innocent, &counter).await.contains("Count: 3"));
    server.stop();
}
