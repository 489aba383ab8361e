import assert from "node:assert/strict";
import { test } from "node:test";

import { progressReport, statusBarContent } from "../src/progressReport";
import realProgress from "./fixtures/progress.json";

test("the status bar shows the streak and today's challenge", () => {
  const content = statusBarContent(realProgress);
  assert.equal(content.text, "$(flame) 1 · Day 2");
  assert.match(content.tooltip, /^Streak: 1 day \(longest 1\)\n0\/15 challenges done\nToday: Day 2 · Custom JSON parser/);
});

test("with everything done or nothing readable the status bar still says something true", () => {
  assert.equal(statusBarContent({ streak: 4, longestStreak: 9, done: 15, total: 15 }).text, "$(flame) 4 · all done");
  assert.equal(statusBarContent(undefined).text, "$(mortar-board) Go Challenges");
  assert.equal(statusBarContent({ today: "d07" }).text, "$(flame) 0 · d07"); // id when the summary is missing
});

test("the progress report lists totals and the active days", () => {
  assert.equal(
    progressReport(realProgress),
    [
      "Done: 0/15 challenges",
      "Streak: 1 (longest 1)",
      "Today: d02-json-parser · Custom JSON parser (nested objects and arrays)",
      "",
      "Last 1 active days:",
      `  ${realProgress.days[0].date}  1 runs · 0 min`,
    ].join("\n"),
  );
  assert.match(progressReport(null), /nothing readable/);
  assert.equal(progressReport({ done: 1, total: 2, days: [] }), "Done: 1/2 challenges\nStreak: 0 (longest 0)");
});
