import assert from "node:assert/strict";
import { test } from "node:test";

import { buildTreeModel, challengeForFile, formatDuration, nextChallenge, statusIcon } from "../src/treeModel";
import { KnownStatuses } from "../src/helperProtocol";
import realTree from "./fixtures/tree.json";

test("the helper's tree becomes weeks of 'Day N · title' with x/y done", () => {
  const model = buildTreeModel(realTree);
  assert.equal(model.workspace, "/tmp/gcws");
  assert.equal(model.today, "d01-lru-cache");
  assert.deepEqual(
    model.sections.map((s) => [s.name, s.description, s.challenges.length]),
    [
      ["Week 1", "0/7 done", 7],
      ["Week 2", "0/7 done", 7],
      ["Concurrency drills", "0/1 done", 1],
    ],
  );
  const first = model.sections[0].challenges[0];
  assert.equal(first.label, "Day 1 · LRU cache with Redis-backed persistence");
  assert.equal(first.status, "failing");
  assert.deepEqual(first.icon, { id: "close", colorId: "testing.iconFailed" });
  assert.equal(model.sections[2].challenges[0].label, "Drill 1 · Concurrent file download manager");
});

test("today's challenge is marked and its week starts expanded", () => {
  const model = buildTreeModel(realTree);
  const marked = model.sections.flatMap((s) => s.challenges).filter((c) => c.today);
  assert.deepEqual(marked.map((c) => [c.id, c.description]), [["d01-lru-cache", "today"]]);
  assert.deepEqual(model.sections.map((s) => s.expanded), [true, false, false]);
});

test("the tooltip carries the twist and the numbers", () => {
  const d01 = buildTreeModel(realTree).sections[0].challenges[0];
  assert.equal(
    d01.tooltip,
    "Day 1 · LRU cache with Redis-backed persistence\n" +
      "Twist: Write-through vs write-behind persistence to Redis (go-redis v9 against miniredis in tests)\n" +
      "tests failing · 1 run · hints 0/3 · difficulty 3/5",
  );
});

test("every status the helper knows has its own icon; unknown ones get a question mark", () => {
  const ids = KnownStatuses.map((s) => statusIcon(s).id);
  assert.equal(new Set(ids).size, KnownStatuses.length);
  assert.ok(!ids.includes("question"));
  assert.deepEqual(statusIcon("exploded"), { id: "question" });
  assert.deepEqual(statusIcon("toString"), { id: "question" }); // not an Object.prototype lookup
  const model = buildTreeModel({ workspace: "/w", sections: [{ name: "Week 9", done: 0, total: 1, challenges: [{ id: "d99", label: "Day 99", title: "t", status: "exploded" }] }] });
  const node = model.sections[0].challenges[0];
  assert.equal(node.icon.id, "question");
  assert.match(node.tooltip, /exploded/);
});

test("a challenge whose check is in flight shows a spinner", () => {
  const model = buildTreeModel(realTree, new Set(["d02-json-parser"]));
  const d02 = model.sections[0].challenges[1];
  assert.equal(d02.icon.id, "loading~spin");
  assert.match(d02.tooltip, /running/);
});

test("empty and malformed answers give an empty tree, not an exception", () => {
  for (const bad of [undefined, null, "tree", 42, [], {}, { sections: "nope" }]) {
    assert.deepEqual(buildTreeModel(bad).sections, [], `input ${JSON.stringify(bad)}`);
  }
  assert.deepEqual(buildTreeModel({ workspace: "/w", sections: [] }), { workspace: "/w", today: undefined, sections: [] });
});

test("malformed entries are skipped and missing counts are computed", () => {
  const model = buildTreeModel({
    workspace: "/w",
    sections: [null, { name: "Week 1", challenges: [{ id: "" }, 7, { id: "d01", status: "done" }, { id: "d02" }] }],
  });
  assert.equal(model.sections.length, 1);
  const [section] = model.sections;
  assert.equal(section.description, "1/2 done");
  assert.deepEqual(section.challenges.map((c) => [c.id, c.label, c.status]), [
    ["d01", "d01", "done"],
    ["d02", "d02", "not-started"],
  ]);
});

test("a file maps to the challenge folder it is in", () => {
  const model = buildTreeModel(realTree);
  assert.equal(challengeForFile(model, "/tmp/gcws/d01-lru-cache/lru.go"), "d01-lru-cache");
  assert.equal(challengeForFile(model, "/tmp/gcws/d09-concurrent-cache/sub/x_test.go"), "d09-concurrent-cache");
  assert.equal(challengeForFile(model, "/tmp/gcws/README.md"), undefined);
  assert.equal(challengeForFile(model, "/tmp/gcws-other/d01-lru-cache/lru.go"), undefined);
  assert.equal(challengeForFile(model, "/tmp/gcws/not-a-challenge/x.go"), undefined);
  assert.equal(challengeForFile(buildTreeModel(undefined), "/tmp/gcws/d01-lru-cache/lru.go"), undefined);
});

test("next challenge: the first unfinished one after the current, else today's", () => {
  const tree = {
    workspace: "/w",
    today: "d02",
    sections: [
      { name: "Week 1", done: 2, total: 4, challenges: [
        { id: "d01", status: "done" },
        { id: "d02", status: "failing" },
        { id: "d03", status: "done" },
        { id: "d04", status: "not-started" },
      ] },
    ],
  };
  const model = buildTreeModel(tree);
  assert.equal(nextChallenge(model, "d02"), "d04"); // skips the done d03
  assert.equal(nextChallenge(model, "d04"), "d02"); // nothing after: today's
  assert.equal(nextChallenge(model, undefined), "d02");
  assert.equal(nextChallenge(model, "unknown"), "d02");
  const allDone = buildTreeModel({ workspace: "/w", sections: [{ name: "W", challenges: [{ id: "d01", status: "done" }] }] });
  assert.equal(nextChallenge(allDone, "d01"), undefined);
  assert.equal(nextChallenge(buildTreeModel({}), undefined), undefined);
});

test("durations arrive as Go nanoseconds", () => {
  assert.equal(formatDuration(0), "0 min");
  assert.equal(formatDuration(-5), "0 min");
  assert.equal(formatDuration(Number.NaN), "0 min");
  assert.equal(formatDuration(12 * 60e9), "12 min");
  assert.equal(formatDuration(90 * 60e9), "1 h 30 min");
  assert.equal(formatDuration(120 * 60e9), "2 h");
});
