/**
 * Where the client keeps the signed state snapshots the server hands it when a page is left
 * (`navigate.left`), keyed by the URL left: on back/forward to that URL the snapshot goes back
 * with the view's `mount`. The blobs are opaque and signed; the server verifies them.
 *
 * A store is `{put(url, view, blob), get(url)}`, both returning promises, so that the service
 * worker's store can replace this one. {@link SessionSnapshotStore} keeps them in the tab's
 * `sessionStorage` (in memory when that is unavailable).
 * @module snapshot
 */

import { SNAPSHOT } from "./constants.js";

/**
 * @typedef {object} SnapshotStore
 * @property {(url: string, view: string, blob: string) => Promise<void>} put
 * @property {(url: string) => Promise<{view: string, blob: string} | null>} get
 */

export class SessionSnapshotStore {
  /** @param {Storage | null} [storage] the tab's `sessionStorage` */
  constructor(storage = null) {
    this.storage = storage;
    /** Fallback without storage. @type {Map<string, string>} */
    this.memory = new Map();
  }

  /**
   * Keeps `blob` of `view` under `url`; one per URL, the oldest dropped beyond the cap.
   * Oversized blobs are not kept.
   */
  async put(url, view, blob) {
    if (typeof blob !== "string" || blob.length > SNAPSHOT.MAX_CHARS) return;
    const key = SNAPSHOT.STORAGE_PREFIX + url;
    const entry = JSON.stringify({ view, blob, at: Date.now() });
    this.remove(key);
    try {
      if (!this.storage) throw new Error("no storage");
      this.storage.setItem(key, entry);
    } catch {
      this.memory.set(key, entry);
    }
    this.trim();
  }

  /** The snapshot kept for `url`, or `null`. */
  async get(url) {
    const key = SNAPSHOT.STORAGE_PREFIX + url;
    const raw = this.memory.get(key) ?? safeGet(this.storage, key);
    if (!raw) return null;
    try {
      const { view, blob } = JSON.parse(raw);
      return typeof view === "string" && typeof blob === "string" ? { view, blob } : null;
    } catch {
      return null;
    }
  }

  remove(key) {
    this.memory.delete(key);
    try {
      this.storage?.removeItem(key);
    } catch {
      // storage unavailable: nothing to remove there
    }
  }

  /** Drops the oldest entries beyond {@link SNAPSHOT.MAX_ENTRIES}. */
  trim() {
    const entries = [...this.keys()].map((key) => {
      const raw = this.memory.get(key) ?? safeGet(this.storage, key);
      let at = 0;
      try {
        at = JSON.parse(raw).at ?? 0;
      } catch {
        // unreadable: oldest
      }
      return { key, at };
    });
    entries.sort((a, b) => a.at - b.at);
    for (const { key } of entries.slice(0, Math.max(0, entries.length - SNAPSHOT.MAX_ENTRIES))) {
      this.remove(key);
    }
  }

  *keys() {
    yield* this.memory.keys();
    if (!this.storage) return;
    for (let i = 0; i < this.storage.length; i += 1) {
      const key = this.storage.key(i);
      if (key?.startsWith(SNAPSHOT.STORAGE_PREFIX) && !this.memory.has(key)) yield key;
    }
  }
}

function safeGet(storage, key) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}
