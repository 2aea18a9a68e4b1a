// Test helpers: a jsdom page, a canonical serialization of DOM trees, a fake WebSocket.

import { JSDOM } from "jsdom";

import Socket from "../../src/socket.js";
import View from "../../src/view.js";

export const PAGE_URL = "http://localhost/items/?page=2";

/** A fresh jsdom page with `body` as its body's HTML. */
export function makeDocument(body = "") {
  return new JSDOM(`<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`, {
    url: PAGE_URL,
  }).window.document;
}

/** A detached view container holding `html` parsed the way the client parses HTML. */
export function containerFrom(doc, html) {
  const container = doc.createElement("div");
  const template = doc.createElement("template");
  template.innerHTML = html;
  container.append(template.content);
  return container;
}

/**
 * A canonical text form of a node's children: node types, tag names (with namespace when not
 * HTML), attributes sorted by name, text data. Two trees are equal iff their forms are.
 */
export function canonical(node, depth = 0) {
  return [...node.childNodes].map((child) => canonicalNode(child, depth)).join("");
}

function canonicalNode(node, depth) {
  const pad = "  ".repeat(depth);
  if (node.nodeType === node.TEXT_NODE) return `${pad}#text ${JSON.stringify(node.data)}\n`;
  if (node.nodeType === node.COMMENT_NODE) return `${pad}#comment ${JSON.stringify(node.data)}\n`;
  const ns = node.namespaceURI === "http://www.w3.org/1999/xhtml" ? "" : `${node.namespaceURI} `;
  const attrs = [...node.attributes]
    .map((attr) => ` ${attr.name}=${JSON.stringify(attr.value)}`)
    .sort()
    .join("");
  const content = node.localName === "template" ? node.content : node;
  return `${pad}<${ns}${node.localName}${attrs}>\n${canonical(content, depth + 1)}`;
}

/** A WebSocket stand-in: records sent frames; the test opens, feeds and drops it. */
export class FakeWebSocket {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.instances.push(this);
  }

  send(data) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    this.readyState = 3;
  }

  /** The server accepted the connection. */
  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  /** A frame from the server. */
  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection broke (or the server closed it with `code`). */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: "" });
  }

  /** Sent frames of one type. */
  sentOf(type) {
    return this.sent.filter((frame) => frame.type === type);
  }
}

const openPages = new Set();

/** Disconnects every page {@link livePage} made (its ping timer would keep node running). */
export function closePages() {
  for (const socket of openPages) socket.disconnect();
  openPages.clear();
}

/**
 * A page with `body`, a Socket on a FakeWebSocket, a View joined for every `[dj-view]`. The
 * socket is connected and open unless `open` is false. Events wait for the answer to their
 * view's `mount`; unless `live` is false, the views send them at once after the open (tests of
 * other features need no mount answer). Call {@link closePages} after each test.
 */
export function livePage(body, { open = true, live = true, socketOptions = {}, store = null } = {}) {
  const doc = makeDocument(body);
  const instances = [];
  class WebSocket extends FakeWebSocket {
    constructor(url) {
      super(url);
      instances.push(this);
    }
  }
  const socket = new Socket({ url: "ws://localhost/ws/live/", document: doc, WebSocket, ...socketOptions });
  socket.outboxStore = store;
  const views = [...doc.querySelectorAll("[dj-view]")].map((container) => {
    const view = new View(container, socket);
    socket.join(view);
    return view;
  });
  socket.connect();
  openPages.add(socket);
  if (open) instances[0].open();
  if (open && live) for (const view of views) view.delivery.goLive([]);
  return { doc, socket, views, instances, ws: () => instances.at(-1) };
}
