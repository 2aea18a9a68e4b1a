// The fault proxy itself, between a plain TCP client and a TCP server that records what it
// gets: forwarding, cut (reset, new connections reset), stall (held, no FIN, delivered on heal),
// the server→client direction dropped, delay (order kept), a client WebSocket frame duplicated.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';

import { ClientFrameParser, startFaultProxy } from './fault_proxy.js';

/** Every connection starts with an HTTP request head, as a browser's do. */
const HTTP_HEAD = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
const WS_HEAD = 'GET /ws/live/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n';

/**
 * A server that records every connection's bytes after its request head and answers
 * `pong:<chunk>` to each chunk of them.
 */
let server;
const received = [];
before(async () => {
  server = createServer((socket) => {
    const record = { all: Buffer.alloc(0), bytes: Buffer.alloc(0), ended: false };
    received.push(record);
    socket.on('data', (chunk) => {
      record.all = Buffer.concat([record.all, chunk]);
      const end = record.all.indexOf('\r\n\r\n');
      if (end === -1) return;
      const before = record.bytes.length;
      record.bytes = record.all.subarray(end + 4);
      const fresh = record.bytes.subarray(before);
      if (fresh.length > 0 && !record.all.includes('Upgrade')) socket.write(`pong:${fresh}`);
    });
    socket.on('end', () => {
      record.ended = true;
      socket.end();
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
after(() => server.close());

/** A client connection through `proxy` (its request head sent): `said` is what it received. */
async function client(proxy, head = HTTP_HEAD) {
  const socket = connect(proxy.port, '127.0.0.1');
  socket.write(head);
  const conn = { socket, said: '', closed: false, error: null };
  socket.on('data', (chunk) => (conn.said += chunk));
  socket.on('error', (error) => (conn.error = error));
  socket.on('close', () => (conn.closed = true));
  await once(socket, 'connect');
  return conn;
}

/** Waits until `check()` holds (polling; the test fails by its own timeout otherwise). */
async function until(check) {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A brief wait, to show that something does not happen. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 150));

/** A masked client text frame. */
function maskedFrame(text) {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  const head = payload.length < 126
    ? Buffer.from([0x81, 0x80 | payload.length])
    : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, mask, masked]);
}

test('forwards both ways', async () => {
  const proxy = await startFaultProxy(server.address().port);
  const conn = await client(proxy);
  conn.socket.write('hello');
  await until(() => conn.said === 'pong:hello');
  assert.equal(received.at(-1).bytes.toString(), 'hello');
  await proxy.close();
});

test('cut resets open connections and new ones until healed', async () => {
  const proxy = await startFaultProxy(server.address().port);
  const conn = await client(proxy);
  conn.socket.write('a');
  await until(() => conn.said === 'pong:a');
  proxy.cut();
  await until(() => conn.closed);
  assert.equal(conn.error?.code, 'ECONNRESET');
  const refused = connect(proxy.port, '127.0.0.1');
  refused.write(HTTP_HEAD);
  const [error] = await once(refused, 'error');
  assert.equal(error.code, 'ECONNRESET');
  proxy.heal();
  const again = await client(proxy);
  again.socket.write('b');
  await until(() => again.said === 'pong:b');
  await proxy.close();
});

test('stall holds everything, passes no FIN, and delivers it on heal', async () => {
  const proxy = await startFaultProxy(server.address().port);
  const conn = await client(proxy);
  conn.socket.write('before');
  await until(() => conn.said === 'pong:before');
  const record = received.at(-1);
  proxy.stall();
  conn.socket.write('during');
  conn.socket.end();
  await quiet();
  assert.equal(record.bytes.toString(), 'before', 'nothing reached the server');
  assert.equal(record.ended, false, 'no FIN passed on');
  assert.equal(proxy.open, 1);
  proxy.heal();
  await until(() => record.ended);
  assert.equal(record.bytes.toString(), 'beforeduring', 'held bytes delivered in order, then the close');
  await proxy.close();
});

test('dropping server→client: the client speaks, hears nothing', async () => {
  const proxy = await startFaultProxy(server.address().port);
  const conn = await client(proxy);
  proxy.dropServerToClient();
  conn.socket.write('x');
  await until(() => received.at(-1).bytes.toString() === 'x');
  await quiet();
  assert.equal(conn.said, '');
  proxy.heal();
  conn.socket.write('y');
  await until(() => conn.said === 'pong:y');
  await proxy.close();
});

test('delay keeps the order', async () => {
  const proxy = await startFaultProxy(server.address().port);
  const conn = await client(proxy);
  proxy.delay(50);
  conn.socket.write('1');
  await until(() => conn.said === 'pong:1');
  conn.socket.write('2');
  await until(() => conn.said === 'pong:1pong:2');
  await proxy.close();
});

test('the client frame parser splits the upgrade head and whole frames, across chunks', () => {
  const parser = new ClientFrameParser();
  const head = WS_HEAD;
  const long = JSON.stringify({ type: 'event', params: { text: 'x'.repeat(300) } });
  const stream = Buffer.concat([Buffer.from(head), maskedFrame('{"type":"ping"}'), maskedFrame(long)]);
  const pieces = [];
  for (let i = 0; i < stream.length; i += 7) pieces.push(...parser.push(stream.subarray(i, i + 7)));
  assert.deepEqual(pieces.map((piece) => piece.text), [undefined, '{"type":"ping"}', long]);
  assert.deepEqual(Buffer.concat(pieces.map((piece) => piece.bytes)), stream);
  const plain = new ClientFrameParser();
  const request = Buffer.from(`${HTTP_HEAD}body bytes`);
  assert.deepEqual(plain.push(request).map((piece) => piece.bytes.toString()), [HTTP_HEAD, 'body bytes']);
  assert.deepEqual(plain.push(Buffer.from('more')).map((piece) => piece.bytes.toString()), ['more'], 'not WebSocket: raw');
});

test('a matching client WebSocket frame is forwarded twice, byte for byte', async () => {
  const proxy = await startFaultProxy(server.address().port);
  const duplicated = proxy.duplicateClientFrame((text) => text.includes('"seq":2'));
  const conn = await client(proxy, WS_HEAD);
  const first = maskedFrame('{"type":"event","seq":1}');
  const second = maskedFrame('{"type":"event","seq":2}');
  conn.socket.write(Buffer.concat([first, second]));
  assert.equal(await duplicated, '{"type":"event","seq":2}');
  const record = received.at(-1);
  const expected = Buffer.concat([first, second, second]);
  await until(() => record.bytes.length >= expected.length);
  assert.deepEqual(record.bytes, expected);
  await proxy.close();
});
