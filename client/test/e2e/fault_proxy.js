// A TCP fault proxy for the browser tests (plain node `net`): it forwards 127.0.0.1:<port> to
// the server and, on demand, breaks the path the way real networks do:
//
// - cut(): every open connection is reset (RST) and new ones are reset at once, until heal();
// - stall(): nothing is forwarded either way and no FIN or RST is passed on — the sockets stay
//   open, as in a partition; heal() delivers what was held (TCP retransmits after a partition),
//   then passes on the closes that happened meanwhile;
// - dropServerToClient(): bytes from the server are thrown away, the client's still go through;
// - delay(ms): every chunk waits `ms` before it is forwarded (order kept);
// - duplicateClientFrame(match): the next whole WebSocket frame from a client whose payload
//   (unmasked text) satisfies `match` is forwarded twice, byte for byte — the client→server
//   stream is parsed into frames after the HTTP upgrade for that.
import { createServer, connect } from 'node:net';

import { freePort } from './helpers.js';

/** The end of the HTTP request head (the upgrade request) in a byte stream. */
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Splits a client→server byte stream into the HTTP request head and what follows: whole
 * WebSocket frames when the head asked for a WebSocket upgrade, raw chunks otherwise.
 * `push(chunk)` returns the pieces ready to forward: `{bytes, text?}` (text: a text frame's
 * unmasked payload as UTF-8).
 */
export class ClientFrameParser {
  constructor() {
    this.pending = Buffer.alloc(0);
    /** `head` until the request head is complete, then `ws` or `raw`. */
    this.mode = 'head';
  }

  push(chunk) {
    if (this.mode === 'raw') return [{ bytes: chunk }];
    this.pending = Buffer.concat([this.pending, chunk]);
    const pieces = [];
    if (this.mode === 'head') {
      const end = this.pending.indexOf(HEAD_END);
      if (end === -1) return pieces;
      const head = this.pending.subarray(0, end + HEAD_END.length);
      pieces.push({ bytes: head });
      this.pending = this.pending.subarray(end + HEAD_END.length);
      this.mode = /^upgrade:\s*websocket\s*$/im.test(head.toString('latin1')) ? 'ws' : 'raw';
      if (this.mode === 'raw') {
        if (this.pending.length > 0) pieces.push({ bytes: this.pending });
        this.pending = Buffer.alloc(0);
        return pieces;
      }
    }
    for (let frame = this.nextFrame(); frame; frame = this.nextFrame()) pieces.push(frame);
    return pieces;
  }

  /** One whole frame from `pending`, or null when it is not all there yet. */
  nextFrame() {
    const buf = this.pending;
    if (buf.length < 2) return null;
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    let length = buf[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return null;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return null;
      length = Number(buf.readBigUInt64BE(2));
      offset = 10;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (buf.length < offset + length) return null;
    const bytes = buf.subarray(0, offset + length);
    this.pending = buf.subarray(offset + length);
    const frame = { bytes };
    if (opcode === 0x1) {
      const payload = Buffer.from(buf.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i += 1) payload[i] ^= buf[maskAt + (i % 4)];
      frame.text = payload.toString('utf8');
    }
    return frame;
  }
}

/**
 * Starts the proxy on a free port of 127.0.0.1, forwarding to `targetPort` (changeable through
 * `proxy.target` for later connections).
 */
export async function startFaultProxy(targetPort) {
  const port = await freePort();
  const connections = new Set();
  const state = { mode: 'forward', dropDown: false, delayMs: 0, duplicate: null };

  /** One client connection and its upstream. */
  function pipe(client) {
    const upstream = connect(proxy.target, '127.0.0.1');
    const conn = { client, upstream, parser: new ClientFrameParser(), held: [], closed: false };
    connections.add(conn);
    proxy.connections += 1;
    const write = (socket, bytes) => {
      if (socket.destroyed) return;
      if (state.delayMs > 0) setTimeout(() => socket.destroyed || socket.write(bytes), state.delayMs);
      else socket.write(bytes);
    };
    /** Forwards (or holds, or drops) one piece; `end` passes a close on. */
    conn.forward = (to, piece) => {
      if (state.mode === 'stall') {
        conn.held.push([to, piece]);
        return;
      }
      if (piece === 'end') {
        finish(conn);
        return;
      }
      if (to === client && state.dropDown) return;
      write(to, piece);
    };
    client.on('data', (chunk) => {
      for (const { bytes, text } of conn.parser.push(chunk)) {
        conn.forward(upstream, bytes);
        if (text !== undefined && state.duplicate?.match(text)) {
          const { resolve } = state.duplicate;
          state.duplicate = null;
          conn.forward(upstream, bytes);
          resolve(text);
        }
      }
    });
    upstream.on('data', (chunk) => conn.forward(client, chunk));
    for (const [socket, other] of [[client, upstream], [upstream, client]]) {
      socket.on('error', () => {});
      socket.on('close', () => conn.forward(other, 'end'));
    }
  }

  /** Closes both sides of a connection (after the bytes already written). */
  function finish(conn) {
    if (conn.closed) return;
    conn.closed = true;
    connections.delete(conn);
    conn.client.end();
    conn.upstream.end();
    setTimeout(() => {
      conn.client.destroy();
      conn.upstream.destroy();
    }, 100);
  }

  const server = createServer((client) => {
    if (state.mode === 'cut') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  const proxy = {
    port,
    base: `http://127.0.0.1:${port}`,
    target: targetPort,
    /** Connections accepted so far. */
    connections: 0,
    /** @returns {number} connections open now */
    get open() {
      return connections.size;
    },
    /** Resets every open connection (RST both ways) and resets new ones until {@link heal}. */
    cut() {
      state.mode = 'cut';
      for (const conn of connections) {
        conn.closed = true;
        conn.client.resetAndDestroy();
        conn.upstream.resetAndDestroy();
      }
      connections.clear();
    },
    /** Stops forwarding both ways, passing on no FIN or RST: the sockets stay open. */
    stall() {
      state.mode = 'stall';
    },
    /** Throws away what the server sends (or, with `false`, stops doing so). */
    dropServerToClient(on = true) {
      state.dropDown = on;
    },
    /** Every chunk waits `ms` before it is forwarded. */
    delay(ms) {
      state.delayMs = ms;
    },
    /**
     * The next client WebSocket text frame whose payload satisfies `match` goes to the server
     * twice. Resolves its payload once it was duplicated.
     * @param {(text: string) => boolean} match
     * @returns {Promise<string>}
     */
    duplicateClientFrame(match) {
      return new Promise((resolve) => {
        state.duplicate = { match, resolve };
      });
    },
    /** Back to forwarding: what a stall held is delivered, in order, closes included. */
    heal() {
      state.mode = 'forward';
      state.dropDown = false;
      state.delayMs = 0;
      for (const conn of [...connections]) {
        for (const [to, piece] of conn.held.splice(0)) conn.forward(to, piece);
      }
    },
    /** Closes every connection and the listener. */
    async close() {
      proxy.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
