import assert from "node:assert/strict";
import { test } from "node:test";

import { summarizeBenchmark } from "../src/benchmarkReport";

// Shaped like the server's commandResult{challenge, verdicts: []engine.BenchVerdict}.
const result = {
  challenge: "d01-lru-cache",
  verdicts: [
    {
      name: "BenchmarkGetHit", procs: 2, iterations: 1000000, nsPerOp: 21.34, bytesPerOp: 0, allocsPerOp: 0, hasMem: true,
      runs: 6, gate: { name: "BenchmarkGetHit", baseline: "BenchmarkMutexMapGet", maxRatio: 2, maxAllocsPerOp: 0, targetNsPerOp: 60 },
      ratio: 1.31, ratioOK: true, allocsOK: true, previousBest: { name: "BenchmarkGetHit", nsPerOp: 30, bytesPerOp: 0, allocsPerOp: 0 },
    },
    { name: "BenchmarkMutexMapGet", procs: 2, iterations: 1000000, nsPerOp: 16.2, bytesPerOp: 0, allocsPerOp: 0, hasMem: true, runs: 6, ratioOK: true, allocsOK: true },
  ],
};

test("the gated benchmark leads, with its targets, the ratio and the learner's best", () => {
  const s = summarizeBenchmark(result);
  assert.equal(s.ok, true);
  assert.equal(
    s.headline,
    "d01-lru-cache · GetHit: 21.3 ns/op, 0 allocs/op · target <= 0 allocs/op, <= 2x MutexMapGet (now 1.31x), advisory <= 60 ns/op · new best (was 30) · met",
  );
  assert.equal(s.lines.length, 2);
  assert.equal(s.lines[1], "d01-lru-cache · MutexMapGet: 16.2 ns/op, 0 allocs/op");
});

test("a missed allocation gate is MISSED and not ok", () => {
  const missed = structuredClone(result);
  missed.verdicts[0].allocsPerOp = 3;
  missed.verdicts[0].allocsOK = false;
  missed.verdicts[0].nsPerOp = 1210.4;
  const s = summarizeBenchmark(missed);
  assert.equal(s.ok, false);
  assert.match(s.headline, /GetHit: 1,210 ns\/op, 3 allocs\/op .* · your best 30 · MISSED$/);
});

test("a build failure and bad input are reported plainly", () => {
  assert.equal(summarizeBenchmark({ challenge: "d02", status: "compile-error", why: "the benchmarks do not build" }).headline,
    "d02: the benchmarks do not build (see Problems)");
  for (const bad of [undefined, null, "x", { challenge: "d03" }, { challenge: "d03", verdicts: [null, 7] }]) {
    const s = summarizeBenchmark(bad);
    assert.equal(s.ok, false, JSON.stringify(bad));
  }
});
