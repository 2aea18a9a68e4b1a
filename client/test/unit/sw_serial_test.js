// The worker's one operation queue (`sw/serial.js`): operations run one after the other in
// the order they were queued, a failure reaches its caller without stopping the queue, and
// two queues do not wait for each other.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../sw/serial.js");

/** `self.djustSerial` of a fresh load of the script. */
function newQueueFactory() {
  const scope = {};
  new Function("self", fs.readFileSync(file, "utf8"))(scope);
  return scope.djustSerial;
}

/** A promise and its resolver. */
function gate() {
  let open;
  const promise = new Promise((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

test("operations run one at a time, in order, each with its own result", async () => {
  const serial = newQueueFactory()();
  const log = [];
  const first = gate();
  const a = serial(async () => {
    log.push("a start");
    await first.promise;
    log.push("a end");
    return "A";
  });
  const b = serial(() => {
    log.push("b");
    return "B";
  });
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(log, ["a start"], "b waits for a");
  first.open();
  assert.deepEqual(await Promise.all([a, b]), ["A", "B"]);
  assert.deepEqual(log, ["a start", "a end", "b"]);
});

test("a failed operation rejects its caller and the next one still runs", async () => {
  const serial = newQueueFactory()();
  const failed = serial(async () => {
    throw new Error("quota");
  });
  const next = serial(async () => "ran");
  await assert.rejects(failed, /quota/);
  assert.equal(await next, "ran");
});

test("two queues are independent", async () => {
  const newQueue = newQueueFactory();
  const [one, two] = [newQueue(), newQueue()];
  const held = gate();
  const blocked = one(() => held.promise);
  assert.equal(await two(async () => "free"), "free");
  held.open("done");
  assert.equal(await blocked, "done");
});
