import assert from "node:assert/strict";
import { test } from "node:test";

import { diffTitle, presentSolutionResponse, solutionDocumentPath } from "../src/solution";
import locked from "./fixtures/solution-locked.json";
import revealed from "./fixtures/solution.json";

test("a closed solution says why and offers no way around it while hints are left", () => {
  const presented = presentSolutionResponse("d02", locked);
  assert.equal(presented.kind, "locked");
  assert.equal(presented.kind === "locked" && presented.canConfirm, false);
  assert.match(presented.kind === "locked" ? presented.message : "", /^The reference solution of d02-json-parser opens once your tests pass, or after all 3 hints .*first\.$/);
});

test("after every hint the learner is asked to confirm", () => {
  const presented = presentSolutionResponse("d02", { locked: { needsConfirm: true, hintsLeft: 0, reason: "d02 has not passed yet" } });
  assert.deepEqual(presented, { kind: "locked", message: "D02 has not passed yet.", canConfirm: true });
});

test("a revealed solution lists each reference file beside the learner's file, main file first", () => {
  const presented = presentSolutionResponse("d01", revealed);
  assert.equal(presented.kind, "files");
  if (presented.kind !== "files") return;
  assert.equal(presented.challenge, "d01-lru-cache");
  assert.equal(presented.beforePass, false);
  assert.equal(presented.files[0].name, "lru.go");
  assert.equal(presented.files[0].path, "/tmp/gcws/d01-lru-cache/lru.go");
  assert.match(presented.files[0].reference, /^\/\/ Package lru /);
  assert.equal(solutionDocumentPath(presented.challenge, presented.files[0]), "/d01-lru-cache/lru.go");
  assert.equal(diffTitle(presented.files[0]), "lru.go: reference solution ↔ yours");
});

test("answers without usable files are not shown as an empty diff", () => {
  assert.equal(presentSolutionResponse("d01", { solution: { files: [{ name: "" }] } }).kind, "invalid");
  assert.equal(presentSolutionResponse("d01", undefined).kind, "invalid");
  assert.equal(presentSolutionResponse("d01", { solution: { files: "x" } }).kind, "invalid");
});
