/**
 * One queue of asynchronous operations: each runs after every operation queued before it has
 * settled (a failure does not stop the queue). The instant shell, the offline pages store and
 * each store of the page cache keep one, so a read never sees half of a write.
 *
 * A classic script (the worker loads it with `importScripts`): it defines `self.djustSerial`,
 * which makes a new queue: `const serial = self.djustSerial(); serial(async () => …)`.
 */
(function (scope) {
  "use strict";

  /** A new queue: a function that runs `op` once the queue is free and resolves its result. */
  function newQueue() {
    let queue = Promise.resolve();
    return function serial(op) {
      const result = queue.then(op, op);
      queue = result.catch(() => undefined);
      return result;
    };
  }

  scope.djustSerial = newQueue;
})(typeof self !== "undefined" ? self : globalThis);
