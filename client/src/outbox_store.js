/**
 * The durable half of the outbox: each view's unacknowledged events are written to IndexedDB
 * (`djust-outbox`), keyed by the tab (an id kept in `sessionStorage`, which a reload keeps and
 * another tab does not share), the page's path and the view's target. A reload of the tab —
 * or a page served while the network is down — takes them over and delivers them on its next
 * connection; a restarted service worker loses nothing, since nothing lives in it. Bounded:
 * the outbox's own bounds (count, bytes) per view, at most `MAX_RECORDS` records, and records
 * older than the age bound are deleted when a page opens the store.
 * @module outbox_store
 */

import { OUTBOX } from "./constants.js";

const DB_NAME = "djust-outbox";
const STORE = "views";
/** `sessionStorage` key of the tab's id. */
const TAB_KEY = "djust:tab";
/** `sessionStorage` key prefix of a view's session, kept when the page is hidden. */
const SESSION_PREFIX = "djust:view-session:";

/** Resolves an IndexedDB request. */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The tab's id: kept in `sessionStorage` (a reload keeps it). */
function tabId(sessionStorage) {
  let id = sessionStorage.getItem(TAB_KEY);
  if (!id) {
    id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    sessionStorage.setItem(TAB_KEY, id);
  }
  return id;
}

export class OutboxStore {
  /**
   * Opens the store, or resolves `null` where IndexedDB or `sessionStorage` is unavailable
   * (then outboxes live in page memory only).
   * @param {object} env
   * @param {IDBFactory | undefined} env.indexedDB
   * @param {Storage | undefined} env.sessionStorage
   * @param {number} [env.maxAgeMs]
   * @param {number} [env.maxRecords]
   * @returns {OutboxStore | null}
   */
  static open({ indexedDB, sessionStorage, maxAgeMs = OUTBOX.MAX_AGE_MS, maxRecords = OUTBOX.MAX_RECORDS }) {
    let tab;
    try {
      if (!indexedDB || !sessionStorage) return null;
      tab = tabId(sessionStorage);
    } catch {
      return null; // storage denied (private mode, sandboxed frame)
    }
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    return new OutboxStore(done(opening), tab, maxAgeMs, maxRecords, sessionStorage);
  }

  constructor(db, tab, maxAgeMs, maxRecords, sessionStorage) {
    this.db = db;
    this.sessionStorage = sessionStorage;
    this.tab = tab;
    this.maxAgeMs = maxAgeMs;
    this.maxRecords = maxRecords;
    /** Writes go one after the other, so the last write of a key wins. */
    this.queue = this.sweep().catch(() => {});
  }

  /** The IndexedDB key of a view of this tab. */
  keyOf(key) {
    return `${this.tab}|${key}`;
  }

  async transaction(mode, work) {
    const db = await this.db;
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  }

  /**
   * The events an earlier page of this tab kept for `key` (`[]` when none).
   * @param {string} key the page's path and the view's target
   * @returns {Promise<object[]>}
   */
  async load(key) {
    await this.queue;
    const record = await this.transaction("readonly", (store) => done(store.get(this.keyOf(key))));
    const entries = (await record)?.entries;
    return Array.isArray(entries) ? entries : [];
  }

  /**
   * Writes the events of `key` (deletes its record when there are none).
   * @param {string} key
   * @param {object[]} entries
   * @returns {Promise<void>}
   */
  save(key, entries) {
    const id = this.keyOf(key);
    this.queue = this.queue
      .then(() =>
        this.transaction("readwrite", (store) => {
          if (entries.length === 0) store.delete(id);
          else store.put({ at: Date.now(), entries }, id);
        }),
      )
      .catch((error) => console.warn("[djust] the outbox could not be written:", error));
    return this.queue;
  }

  /**
   * Keeps (synchronously: the page is going away) the view session of `key`, so that the next
   * page of the tab resumes it instead of mounting afresh.
   * @param {string} key
   * @param {{vs: string, rev: number, ack: number, nextSeq: number}} session
   */
  keepSession(key, session) {
    try {
      this.sessionStorage.setItem(SESSION_PREFIX + key, JSON.stringify({ ...session, at: Date.now() }));
    } catch {
      // full or denied: the next page mounts afresh and replays
    }
  }

  /**
   * Takes (and forgets) the view session an earlier page of the tab kept for `key`.
   * @param {string} key
   * @returns {{vs: string, rev: number, ack: number, nextSeq: number} | null}
   */
  takeSession(key) {
    try {
      const text = this.sessionStorage.getItem(SESSION_PREFIX + key);
      this.sessionStorage.removeItem(SESSION_PREFIX + key);
      const session = text ? JSON.parse(text) : null;
      const valid =
        typeof session?.vs === "string" &&
        [session.rev, session.ack, session.nextSeq].every(Number.isInteger) &&
        Date.now() - session.at < this.maxAgeMs;
      return valid ? session : null;
    } catch {
      return null;
    }
  }

  /** Deletes records older than the age bound (of any tab), then the oldest beyond the count bound. */
  sweep() {
    const oldest = Date.now() - this.maxAgeMs;
    return this.transaction("readwrite", (store) => {
      const records = [];
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (at) {
          if (!(at.value?.at >= oldest)) at.delete();
          else records.push({ key: at.key, at: at.value.at });
          at.continue();
          return;
        }
        records.sort((a, b) => a.at - b.at);
        for (const { key } of records.slice(0, Math.max(0, records.length - this.maxRecords))) store.delete(key);
      };
    });
  }
}
