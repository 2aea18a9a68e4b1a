/**
 * Reconnection backoff with full jitter (AWS): attempt n waits a uniformly random delay between
 * the floor and min(base·2^(n−1), cap). Spreading the delays this way is what lets a server
 * that restarts absorb every client reconnecting at once.
 * @module backoff
 */

import { RECONNECT } from "./constants.js";

/**
 * The delay before attempt `attempt` (1, 2, …).
 * @param {number} attempt
 * @param {object} [options]
 * @param {() => number} [options.random] a number in [0, 1) (`Math.random`)
 * @param {number} [options.min] the floor, ms
 * @param {number} [options.base] the ceiling of attempt 1, ms
 * @param {number} [options.max] the largest ceiling, ms
 * @returns {number} milliseconds
 */
export function fullJitterDelay(
  attempt,
  {
    random = Math.random,
    min = RECONNECT.MIN_DELAY_MS,
    base = RECONNECT.BASE_DELAY_MS,
    max = RECONNECT.MAX_DELAY_MS,
  } = {},
) {
  const ceiling = Math.max(min, Math.min(base * 2 ** (attempt - 1), max));
  return min + random() * (ceiling - min);
}

/** Counts attempts and says how long to wait before the next one, until there are none left. */
export class Backoff {
  /**
   * @param {object} [options]
   * @param {number} [options.maxAttempts]
   * @param {(attempt: number) => number} [options.delay] the delay of attempt n
   */
  constructor({ maxAttempts = RECONNECT.MAX_ATTEMPTS, delay = (n) => fullJitterDelay(n) } = {}) {
    this.maxAttempts = maxAttempts;
    this.delay = delay;
    this.attempts = 0;
  }

  /**
   * Takes the next attempt.
   * @returns {{attempt: number, delay: number} | null} `null` when every attempt is used
   */
  next() {
    if (this.attempts >= this.maxAttempts) return null;
    this.attempts += 1;
    return { attempt: this.attempts, delay: this.delay(this.attempts) };
  }

  /** A connection opened: the next loss starts again at attempt 1. */
  reset() {
    this.attempts = 0;
  }
}
