/**
 * The WebSocket transport, and the interface every transport implements (see also `sse.js`).
 * A transport is one connection attempt: `open` it once, it reports `onopen`, every text frame
 * and exactly one `onclose` — unless `close()` ended it on purpose, which reports nothing. An SSE
 * transport may pause (`onpause`) and report `onopen` again when its stream comes back.
 * @module transport
 */

import { SOCKET_OPEN } from "./constants.js";

/**
 * What a transport reports.
 * @typedef {object} TransportHandlers
 * @property {() => void} onopen frames can be sent
 * @property {(text: string) => void} onmessage one server frame (JSON text)
 * @property {(close: {code: number, reason: string}) => void} onclose the connection ended
 * @property {() => boolean} [onpause] the connection broke but the transport reconnects by
 *   itself (SSE): `true` to wait for its next `onopen` (the views resume), `false` to have it
 *   end (`onclose`) instead
 */

/**
 * The common interface.
 * @typedef {object} Transport
 * @property {string} name `"websocket"` or `"sse"`
 * @property {(handlers: TransportHandlers, mounts: object[]) => void} open connects;
 *   `mounts` are the mount frames of the joined views
 * @property {Set<string>} premounted targets `open` already mounted (sent no frame for)
 * @property {(frame: object) => boolean} send `false` when not open (dropped)
 * @property {() => boolean} isOpen
 * @property {() => void} close ends the connection on purpose (no `onclose`)
 */

/** @implements {Transport} */
export class WebSocketTransport {
  /**
   * @param {object} options
   * @param {string} options.url `ws(s)://host/ws/live/`
   * @param {typeof WebSocket} options.WebSocket
   */
  constructor({ url, WebSocket }) {
    this.name = "websocket";
    this.url = url;
    this.WebSocket = WebSocket;
    this.ws = null;
    this.premounted = new Set();
  }

  open(handlers) {
    const ws = new this.WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => handlers.onopen();
    ws.onmessage = (message) => handlers.onmessage(message.data);
    ws.onclose = (event) => {
      if (this.ws === ws) handlers.onclose({ code: event?.code ?? 1006, reason: event?.reason ?? "" });
    };
  }

  send(frame) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  isOpen() {
    return this.ws?.readyState === SOCKET_OPEN;
  }

  close() {
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }
}
