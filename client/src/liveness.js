/**
 * Liveness of an open connection: a socket can be half-open (the network stalled without a
 * FIN), and only silence tells. After `idleMs` without any frame from the server the client
 * sends a `ping`; when nothing at all arrives within `timeoutMs` of it, the connection is
 * declared dead (`onDead`), so the socket closes it and reconnects as after any close. A
 * {@link Liveness#probe} (on `online`, `visibilitychange` to visible, `pageshow`) pings at once
 * and allows only `probeMs`. Any frame counts as an answer: frames are answered in order, and
 * a busy server's patches prove it is alive as well as a `pong` would.
 * @module liveness
 */

import { LIVENESS } from "./constants.js";

export default class Liveness {
  /**
   * @param {object} options
   * @param {() => boolean} options.ping sends a `ping`; `false` when it could not be sent
   * @param {() => void} options.onDead the connection is dead: close it and reconnect
   * @param {number} [options.idleMs] silence before a ping
   * @param {number} [options.timeoutMs] how long a ping may go unanswered
   * @param {number} [options.probeMs] how long a probe may go unanswered
   */
  constructor({
    ping,
    onDead,
    idleMs = LIVENESS.IDLE_MS,
    timeoutMs = LIVENESS.TIMEOUT_MS,
    probeMs = LIVENESS.PROBE_TIMEOUT_MS,
  }) {
    this.ping = ping;
    this.onDead = onDead;
    this.idleMs = idleMs;
    this.timeoutMs = timeoutMs;
    this.probeMs = probeMs;
    this.running = false;
    this.idleTimer = null;
    this.deadlineTimer = null;
    /** The allowance of the pending deadline (ms), or `Infinity` when none is pending. */
    this.deadlineMs = Infinity;
  }

  /** A connection opened: watch it. */
  start() {
    this.stop();
    this.running = true;
    this.armIdle();
  }

  /** The connection is gone (or closed on purpose): stop watching. */
  stop() {
    this.running = false;
    clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.clearDeadline();
  }

  /** A frame arrived: the server is alive; start the silence count again. */
  heard() {
    if (!this.running) return;
    this.clearDeadline();
    this.armIdle();
  }

  /** Checks now that the server answers, within `probeMs` (or the current deadline if sooner). */
  probe() {
    if (!this.running) return;
    this.sendPing(this.probeMs);
  }

  armIdle() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.sendPing(this.timeoutMs);
    }, this.idleMs);
  }

  /**
   * Pings; the connection is dead unless a frame arrives within `withinMs` (a pending
   * deadline with a shorter allowance is kept).
   */
  sendPing(withinMs) {
    if (!this.ping()) return;
    if (withinMs >= this.deadlineMs) return;
    this.clearDeadline();
    this.deadlineMs = withinMs;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.deadlineMs = Infinity;
      if (!this.running) return;
      this.stop();
      this.onDead();
    }, withinMs);
  }

  clearDeadline() {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    this.deadlineMs = Infinity;
  }
}
