/**
 * Exactly-once delivery of one view's events (`docs/protocol.md`, "Delivery"): every event goes
 * into the view's outbox (`outbox.js`) and is sent, numbered in its view session, once the view
 * is mounted on an open connection; it stays there until an `ack` (or its answer) covers it.
 * After a reconnect the view's `mount` names its view session (`resume`); on `resumed` the
 * unacknowledged events are sent again in order before any new one, on a `mount` that
 * `remounted` they are sent as replays in the new view session. What cannot be delivered is
 * reported on the container (`dj:event-not-applied`).
 * @module delivery
 */

import { ATTR, DOM_EVENT, ERROR_CODE, FRAME, OUTBOX, WIRE } from "./constants.js";
import { fieldKey } from "./field_merge.js";
import Outbox from "./outbox.js";

export default class Delivery {
  /**
   * @param {object} view
   * @param {Element} view.container
   * @param {string} view.target
   * @param {{send: (frame: object) => boolean, isOpen: () => boolean, nextRef: () => number}} view.socket
   * @param {(ref: number, el: Element) => void} view.inFlight shows an event as in flight
   * @param {object} [options]
   * @param {import("./outbox_store.js").OutboxStore | null} [options.store] keeps the outbox
   *   across reloads of the tab
   * @param {ConstructorParameters<typeof Outbox>[0]} [options.bounds]
   */
  constructor(view, { store = null, bounds = {} } = {}) {
    this.view = view;
    this.outbox = new Outbox(bounds);
    /** The revision of the view session the DOM shows. */
    this.rev = 0;
    /** Whether events go out as they are made (mounted on an open connection). */
    this.live = false;
    this.store = store;
    this.key = null;
    /** Settles once the events an earlier page of this tab kept are taken over. */
    this.loaded = Promise.resolve();
    /** Whether that load is under way (sending waits for it, to keep the order). */
    this.loading = false;
    /** What to do once it is done (go live after a `mount` or `resumed` answer). */
    this.afterLoad = null;
    /**
     * The DOM is not the view session's at `rev`: this page was loaded afresh (a reload) and
     * resumes the view session the earlier page had; its `resumed` answer is replaced by the
     * whole HTML (`request_html`).
     */
    this.stale = false;
    if (store) this.keep(store);
  }

  /**
   * Takes over what an earlier page of this tab kept for this view (its view session, its
   * unacknowledged events), and writes every change of the outbox.
   */
  keep(store) {
    const { pathname } = this.view.container.ownerDocument.location;
    this.key = `${pathname}#${this.view.target}`;
    const session = store.takeSession(this.key);
    if (session) {
      this.outbox.continueSession(session);
      this.rev = session.rev;
      this.stale = true;
    }
    this.loading = true;
    this.loaded = store
      .load(this.key)
      .catch(() => [])
      .then((kept) => {
        // Changes made in one task (an ack covering several events) are written once.
        let scheduled = false;
        this.outbox.onChange = () => {
          if (scheduled) return;
          scheduled = true;
          queueMicrotask(() => {
            scheduled = false;
            store.save(this.key, this.outbox.record());
          });
        };
        this.outbox.adopt(kept ?? [], () => this.view.socket.nextRef(), { sameSession: session !== null });
        this.notifyExpired();
        this.loading = false;
        const start = this.afterLoad;
        this.afterLoad = null;
        start?.();
      });
  }

  /** The page is going away (`pagehide`): the next page of the tab may resume the session. */
  hide() {
    if (!this.store || this.outbox.vs === null) return;
    const { vs, ack, nextSeq } = this.outbox;
    this.store.keepSession(this.key, { vs, rev: this.rev, ack, nextSeq });
  }

  /** Runs `start` now, or once the earlier page's events are taken over. */
  whenLoaded(start) {
    if (this.loading) this.afterLoad = start;
    else start();
  }

  /**
   * Keeps a new event and sends it now when the view is live.
   * @param {string} event
   * @param {object} params
   * @param {Element} el the element the user acted on
   * @param {{recovery?: boolean}} [options] `recovery`: made by form recovery
   * @returns {number | null} its `ref`, or `null` when the outbox is full (reported)
   */
  push(event, params, el, { recovery = false } = {}) {
    this.notifyExpired();
    const ref = this.view.socket.nextRef();
    const entry = this.outbox.add({
      event,
      params,
      ref,
      rev: this.rev,
      recovery,
      noRecover: el.closest(`[${ATTR.NO_RECOVER}]`) !== null,
      // Its field by form, name and row key (a remount's HTML may number it otherwise).
      field: fieldKey(el, this.view.container) ?? el.getAttribute(ATTR.ID),
      el,
    });
    if (!entry) {
      this.notify({ event, params }, OUTBOX.REASON.FULL);
      return null;
    }
    if (this.live) this.send(entry);
    return ref;
  }

  /** @returns {object | null} the `resume` of the next `mount` frame, `null` before any session */
  resumeField() {
    if (this.outbox.vs === null) return null;
    return { [WIRE.VS]: this.outbox.vs, [WIRE.REV]: this.rev };
  }

  /**
   * Notes what any frame for the view says about delivery: its `ack`, its `rev`, the answer to
   * an event (`ref`). `mount` and `resumed` are handled by {@link mounted} / {@link resumed}.
   * @param {object} frame
   */
  received(frame) {
    const type = frame[WIRE.TYPE];
    if (typeof frame[WIRE.REV] === "number" && type !== FRAME.MOUNT && type !== FRAME.RESUMED) {
      this.rev = frame[WIRE.REV];
    }
    if (type === FRAME.MOUNT || type === FRAME.RESUMED) return;
    // The answer first: an `ack` covering a refused event must not hide the refusal.
    const entry = frame[WIRE.REF] === undefined ? undefined : this.outbox.answered(frame[WIRE.REF]);
    if (entry && type === FRAME.ERROR && frame[WIRE.CODE] === ERROR_CODE.NOT_APPLIED) {
      this.notify(entry, OUTBOX.REASON.NOT_APPLIED);
    }
    this.outbox.acknowledge(frame[WIRE.ACK]);
  }

  /**
   * A `mount` frame was applied: a view session begins (a fresh one, or one that replaced a
   * session the server no longer has). The kept events are numbered in it and sent; after a
   * remount as replays of the revision they were made against, except events of form
   * recovery (recovery runs again) and of `dj-no-recover` fields (reported).
   * @param {object} frame
   * @param {{reconnect: boolean}} options whether the mount answers a reconnection
   * @returns {{remounted: boolean, replayedFields: Set<string>}} whether the state was lost,
   *   and the fields whose events were replayed (form recovery leaves them alone)
   */
  mounted(frame, { reconnect }) {
    const vs = typeof frame[WIRE.VS] === "string" ? frame[WIRE.VS] : null;
    const previous = this.outbox.vs;
    const remounted = reconnect && (previous === null || vs !== previous);
    // The kept events were made against a state that is gone: they go as replays.
    const replay = remounted || (previous !== null && vs !== previous);
    const fromEarlierPage = this.stale;
    this.stale = false;
    this.rev = typeof frame[WIRE.REV] === "number" ? frame[WIRE.REV] : 0;
    if (remounted) this.outbox.take((entry) => entry.recovery);
    const replayedFields = new Set(this.outbox.entries.map((entry) => entry.field).filter((field) => field !== null));
    if (frame[WIRE.REMOUNTED] !== undefined) {
      console.warn(`[djust] ${this.view.target}: view session not resumed (${frame[WIRE.REMOUNTED]}); mounted afresh`);
    }
    this.live = false;
    this.whenLoaded(() => {
      if (reconnect || fromEarlierPage) this.dropNoRecover();
      this.goLive(vs === null ? [...this.outbox.entries] : this.outbox.begin(vs, { replay }));
    });
    return { remounted, replayedFields };
  }

  /**
   * A `resumed` frame was applied: the view session goes on; the events it has not
   * acknowledged are sent again, in order, before any new one.
   * @param {object} frame
   */
  resumed(frame) {
    if (typeof frame[WIRE.REV] === "number") this.rev = frame[WIRE.REV];
    this.stale = false;
    this.live = false;
    this.whenLoaded(() => {
      this.dropNoRecover();
      this.goLive(this.outbox.resume(frame[WIRE.VS], frame[WIRE.ACK]));
    });
  }

  /**
   * The page navigated away from the view (the server dropped it): what the outbox still holds
   * will never be applied; reported, and forgotten here and in the store.
   */
  left() {
    this.live = false;
    for (const entry of this.outbox.take(() => true)) this.notify(entry, OUTBOX.REASON.LEFT);
  }

  /** The connection closed: events wait in the outbox for the next one. */
  disconnected() {
    this.live = false;
  }

  goLive(entries) {
    this.live = true;
    this.notifyExpired();
    for (const entry of entries) if (!this.send(entry)) break;
  }

  /** Sends one kept event; `false` when the connection is not open. */
  send(entry) {
    const frame = {
      [WIRE.TYPE]: FRAME.EVENT,
      [WIRE.TARGET]: this.view.target,
      [WIRE.EVENT]: entry.event,
      [WIRE.PARAMS]: entry.params,
      [WIRE.REF]: entry.ref,
    };
    if (entry.seq !== null) frame[WIRE.SEQ] = entry.seq;
    if (entry.replay) frame[WIRE.REPLAY] = entry.replay;
    if (!this.view.socket.send(frame)) {
      this.live = false;
      return false;
    }
    const el = entry.el?.isConnected ? entry.el : this.view.container;
    this.view.inFlight(entry.ref, el);
    return true;
  }

  /** Events of `dj-no-recover` fields are not sent after a reconnect: dropped, reported. */
  dropNoRecover() {
    for (const entry of this.outbox.take((kept) => kept.noRecover)) this.notify(entry, OUTBOX.REASON.NO_RECOVER);
  }

  notifyExpired() {
    for (const entry of this.outbox.expire()) this.notify(entry, OUTBOX.REASON.TOO_OLD);
  }

  /**
   * Tells the page that an event will not be applied: `dj:event-not-applied` on the container.
   * @param {{event: string, params: object}} entry
   * @param {string} reason one of `OUTBOX.REASON`
   */
  notify({ event, params }, reason) {
    console.warn(`[djust] ${this.view.target}: event \`${event}\` not applied (${reason})`);
    const { CustomEvent } = this.view.container.ownerDocument.defaultView;
    const detail = { event, params, reason };
    this.view.container.dispatchEvent(new CustomEvent(DOM_EVENT.NOT_APPLIED, { detail, bubbles: true }));
  }
}
