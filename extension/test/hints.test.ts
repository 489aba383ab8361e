import assert from "node:assert/strict";
import { test } from "node:test";

import { presentHintResponse } from "../src/hints";
import earlyHint from "./fixtures/hint-early.json";
import lockedHint from "./fixtures/hint-locked.json";

test("a locked hint says what unlocks it and offers to show it early", () => {
  const presented = presentHintResponse("d02-json-parser", lockedHint);
  assert.equal(presented.kind, "locked");
  assert.equal(presented.offerEarly, true);
  assert.equal(presented.title, "Hint 1 for d02-json-parser is locked");
  assert.equal(
    presented.message,
    "Hint 1 unlocks after 2 more failed runs or 20 more minutes on the challenge. You can see it now; asking early is recorded in your progress.",
  );
  assert.equal(presented.kind === "locked" && presented.level, 1);
});

test("singulars and a missing condition read naturally", () => {
  const one = presentHintResponse("d01", { locked: { Level: 2, FailedRuns: 1, Minutes: 0 } });
  assert.match(one.message, /^Hint 2 unlocks after 1 more failed run\. /);
  const none = presentHintResponse("d01", { locked: { Level: 3, FailedRuns: 0, Minutes: 0 } });
  assert.match(none.message, /^Hint 3 is still locked\./);
});

test("a hint shows its level and text; an early one says so", () => {
  const presented = presentHintResponse("d02", earlyHint);
  assert.equal(presented.kind, "hint");
  assert.equal(presented.offerEarly, false);
  assert.equal(presented.title, "Hint 1 of 3 for d02-json-parser (asked early)");
  assert.equal(presented.message, earlyHint.hint.text);
  const plain = presentHintResponse("d01", { hint: { challenge: "d01-lru-cache", level: 2, of: 3, text: "Use a sentinel." } });
  assert.equal(plain.title, "Hint 2 of 3 for d01-lru-cache");
});

test("an answer with neither hint nor lock is reported, not shown as a hint", () => {
  for (const bad of [undefined, null, {}, "hint", { hint: { level: 1 } }]) {
    const presented = presentHintResponse("d01", bad);
    assert.equal(presented.kind, "invalid", JSON.stringify(bad));
    assert.equal(presented.offerEarly, false);
  }
});
