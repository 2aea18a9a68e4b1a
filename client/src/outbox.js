/**
 * A view's outbox: every event the user makes is kept here, numbered within its view session
 * (`seq`, from 1), until an `ack` from the server covers it. The server applies each number at
 * most once, so the client may send an event again whenever it cannot know whether it arrived
 * (after a reconnect): nothing is lost, nothing is applied twice (`docs/protocol.md`,
 * "Delivery"). Bounded in count, bytes and age; what goes over is refused, never dropped
 * silently (the view tells the page). Knows nothing of the DOM or the socket.
 * @module outbox
 */

import { OUTBOX } from "./constants.js";

/**
 * One event kept until acknowledged.
 * @typedef {object} OutboxEntry
 * @property {number | null} seq its number in the view session (`null` until a session begins)
 * @property {string} event
 * @property {object} params
 * @property {number} ref the page's `ref` of it
 * @property {number} rev the view session's revision the user saw when making it
 * @property {number} at when it was made (ms since the epoch)
 * @property {number} bytes the size of its params' JSON
 * @property {boolean} recovery made by form recovery (made again after every remount)
 * @property {boolean} noRecover made in a `dj-no-recover` field
 * @property {string | null} field the field it was made in: its key (`field_merge.fieldKey`),
 *   else its `dj-id`
 * @property {{rev: number} | null} replay set when it is sent again after a remount
 * @property {Element | null} el the element the user acted on (not kept across a reload)
 */

export default class Outbox {
  /**
   * @param {object} [options]
   * @param {number} [options.maxEvents]
   * @param {number} [options.maxBytes]
   * @param {number} [options.maxAgeMs]
   * @param {() => number} [options.now]
   */
  constructor({
    maxEvents = OUTBOX.MAX_EVENTS,
    maxBytes = OUTBOX.MAX_BYTES,
    maxAgeMs = OUTBOX.MAX_AGE_MS,
    now = () => Date.now(),
  } = {}) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.maxAgeMs = maxAgeMs;
    this.now = now;
    /** The view session's token, `null` before the first `mount` answer. */
    this.vs = null;
    /** The highest acknowledged `seq` of the view session. */
    this.ack = 0;
    this.nextSeq = 1;
    /** Unacknowledged events, oldest first. @type {OutboxEntry[]} */
    this.entries = [];
    this.bytes = 0;
    /** Called after every change (the durable store writes then). */
    this.onChange = () => {};
  }

  /** @returns {number} events kept */
  get size() {
    return this.entries.length;
  }

  /**
   * Keeps a new event, numbered when a view session is known.
   * @param {Omit<OutboxEntry, "seq" | "at" | "bytes" | "replay">} fields
   * @returns {OutboxEntry | null} `null` when it would go over the count or byte bound
   */
  add(fields) {
    const bytes = JSON.stringify(fields.params ?? {}).length;
    if (this.entries.length >= this.maxEvents || this.bytes + bytes > this.maxBytes) return null;
    const entry = { ...fields, seq: null, at: this.now(), bytes, replay: null };
    if (this.vs !== null) entry.seq = this.nextSeq++;
    this.entries.push(entry);
    this.bytes += bytes;
    this.onChange();
    return entry;
  }

  /**
   * Forgets every event the server acknowledged (`seq` ≤ `ack`).
   * @param {number} ack
   * @returns {OutboxEntry[]} the events acknowledged now
   */
  acknowledge(ack) {
    if (!Number.isInteger(ack) || ack <= this.ack) return [];
    this.ack = ack;
    return this.take((entry) => entry.seq !== null && entry.seq <= ack);
  }

  /**
   * Forgets the event with `ref`: the server answered it (applied or refused).
   * @param {number} ref
   * @returns {OutboxEntry | undefined}
   */
  answered(ref) {
    return this.take((entry) => entry.ref === ref)[0];
  }

  /**
   * Removes the events older than the age bound.
   * @returns {OutboxEntry[]} the events removed
   */
  expire() {
    const oldest = this.now() - this.maxAgeMs;
    return this.take((entry) => entry.at < oldest);
  }

  /**
   * Removes the events `predicate` selects.
   * @param {(entry: OutboxEntry) => boolean} predicate
   * @returns {OutboxEntry[]} the events removed, oldest first
   */
  take(predicate) {
    const taken = [];
    const kept = [];
    for (const entry of this.entries) (predicate(entry) ? taken : kept).push(entry);
    if (taken.length === 0) return taken;
    this.entries = kept;
    this.bytes = kept.reduce((sum, entry) => sum + entry.bytes, 0);
    this.onChange();
    return taken;
  }

  /**
   * A `mount` answer brought view session `vs` (a fresh one: its numbers start at 1): the kept
   * events are numbered in it, in order. With `replay`, the state they were made against is
   * gone, so each is flagged as a replay of the revision it was made against.
   * @param {string} vs
   * @param {{replay?: boolean}} [options]
   * @returns {OutboxEntry[]} the events to send, in order
   */
  begin(vs, { replay = false } = {}) {
    this.vs = vs;
    this.ack = 0;
    this.nextSeq = 1;
    for (const entry of this.entries) {
      entry.seq = this.nextSeq++;
      if (replay && entry.replay === null) entry.replay = { rev: entry.rev };
    }
    this.onChange();
    return [...this.entries];
  }

  /**
   * A `resumed` answer: the same view session goes on (its token may be renewed); what `ack`
   * covers is forgotten.
   * @param {string} vs
   * @param {number} ack
   * @returns {OutboxEntry[]} the unacknowledged events to send again, in order
   */
  resume(vs, ack) {
    if (typeof vs === "string") this.vs = vs;
    this.acknowledge(ack);
    return [...this.entries];
  }

  /**
   * Takes over events kept by an earlier page of this tab (a reload). With `sameSession` (this
   * page resumes the earlier page's view session) they keep their numbers; else they are
   * replays of what that page showed: before a session begins they go first, after, they are
   * numbered after the events already numbered (never renumbering those).
   * @param {object[]} kept entries as {@link Outbox#record} gave them
   * @param {() => number} nextRef a fresh `ref` of this page for each (refs are per page)
   * @param {{sameSession?: boolean}} [options]
   * @returns {OutboxEntry[]} the events taken over
   */
  adopt(kept, nextRef, { sameSession = false } = {}) {
    const adopted = kept
      .filter((entry) => entry && typeof entry.event === "string" && Number.isInteger(entry.ref))
      .filter((entry) => !sameSession || (Number.isInteger(entry.seq) && entry.seq > this.ack))
      .map((entry) => ({
        ...entry,
        seq: sameSession ? entry.seq : null,
        ref: nextRef(),
        el: null,
        bytes: JSON.stringify(entry.params ?? {}).length,
        replay: sameSession ? (entry.replay ?? null) : (entry.replay ?? { rev: entry.rev }),
      }));
    if (adopted.length === 0) return adopted;
    if (sameSession) {
      // The earlier page's view session goes on here: its events keep their numbers.
      this.entries = [...adopted, ...this.entries].sort((a, b) => a.seq - b.seq);
    } else if (this.vs === null) {
      this.entries = [...adopted, ...this.entries];
    } else {
      for (const entry of adopted) entry.seq = this.nextSeq++;
      this.entries.push(...adopted);
    }
    this.bytes = this.entries.reduce((sum, entry) => sum + entry.bytes, 0);
    this.onChange();
    return adopted;
  }

  /**
   * Goes on with a view session an earlier page of this tab had (a reload).
   * @param {{vs: string, ack: number, nextSeq: number}} session
   */
  continueSession({ vs, ack, nextSeq }) {
    this.vs = vs;
    this.ack = ack;
    this.nextSeq = nextSeq;
  }

  /** @returns {object[]} what survives a reload: the entries without their elements */
  record() {
    return this.entries.map(({ el, ...kept }) => kept);
  }
}
