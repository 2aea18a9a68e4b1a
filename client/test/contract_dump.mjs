// Prints the client's contract names as JSON, for `djust-core/tests/contract.rs`, which checks
// them against the Rust side: every table of `src/constants.js` (regular expressions as their
// source) and the service worker's `sw/constants.js`.
//
//   node client/test/contract_dump.mjs

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as page from "../src/constants.js";

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scope = {};
new Function("self", fs.readFileSync(path.join(clientDir, "sw/constants.js"), "utf8"))(scope);

const json = JSON.stringify({ page, worker: scope.djustConstants }, (_, value) =>
  value instanceof RegExp ? value.source : value,
);
process.stdout.write(`${json}\n`);
