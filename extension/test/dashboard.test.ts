import assert from "node:assert/strict";
import { test } from "node:test";

import { activityLevel, escapeHtml, isDashboardMessage, renderDashboard } from "../src/dashboard";
import realProgress from "./fixtures/progress-dashboard.json";

const nonce = "bm9uY2UrL3Rlc3Q9";
// The fixture was captured on this (local) day.
const captureDay = new Date(2026, 11, 3, 18, 30);

function render(progress: unknown, now = captureDay): string {
  return renderDashboard(progress, { nonce, cspSource: "https://*.vscode-cdn.net", now });
}

function copyOfFixture(): typeof realProgress {
  return structuredClone(realProgress);
}

function dayCells(html: string): string[] {
  return html.match(/<rect class="day [^"]*"[^>]*>/g) ?? [];
}

function dayCell(html: string, date: string): string {
  const match = html.match(new RegExp(`<rect class="day [^"]*" data-date="${date}"[^>]*><title>[^<]*</title>`));
  assert.ok(match, `no cell for ${date}`);
  return match[0];
}

function benchmarkCard(html: string, name: string): string {
  const match = html.match(new RegExp(`<article class="bench" data-benchmark="${name}">[\\s\\S]*?</article>`));
  assert.ok(match, `no card for ${name}`);
  return match[0];
}

test("the page carries a nonce-only CSP that blocks everything else", () => {
  const html = render(realProgress);
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  assert.ok(csp, "no CSP meta");
  assert.equal(
    csp[1],
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src https://*.vscode-cdn.net data:;`,
  );
  assert.ok(html.indexOf(csp[0]) < html.indexOf("<style"), "the CSP must come before any style or script");
});

test("the page loads nothing: no URLs, links, external sources or inline style attributes", () => {
  const body = render(realProgress).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  assert.doesNotMatch(body, /https?:/i);
  assert.doesNotMatch(body, /<link|<img|<iframe|@import|url\(/i);
  assert.doesNotMatch(body, /\ssrc\s*=/i);
  assert.doesNotMatch(body, /\sstyle\s*=/i); // blocked by the nonce CSP in the webview
  assert.doesNotMatch(body, /\son[a-z]+\s*=/i); // inline handlers are blocked too
});

test("every script and style element carries the nonce", () => {
  const html = render(realProgress);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  const styles = html.match(/<style\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.equal(styles.length, 1);
  for (const tag of [...scripts, ...styles]) assert.match(tag, new RegExp(`^<(script|style) nonce="${nonce}">$`));
});

test("escapeHtml neutralises markup and attribute quotes", () => {
  assert.equal(escapeHtml(`<script>alert(1)</script>`), "&#60;script&#62;alert(1)&#60;/script&#62;");
  assert.equal(escapeHtml(`a "b" & 'c'`), "a &#34;b&#34; &#38; &#39;c&#39;");
  assert.equal(escapeHtml("Context managers → resource lifetimes"), "Context managers → resource lifetimes");
});

test("strings from the helper are escaped wherever they appear", () => {
  const hostile = copyOfFixture();
  const attack = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
  hostile.challenges[0].title = attack;
  hostile.challenges[0].label = attack;
  hostile.challenges[1].section = attack;
  hostile.challenges[2].id = attack;
  hostile.days[0].solved = [attack];
  hostile.benchmarks[0].name = attack;
  hostile.benchmarks[0].target = attack;
  hostile.benchmarks[0].points[0].time = attack;
  const html = render(hostile);
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(html, /"><img/);
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
});

test("the heatmap covers 26 weeks ending today, Monday-first", () => {
  // 2026-12-03 is a Thursday: 25 full weeks plus Monday..Thursday.
  const cells = dayCells(render(realProgress));
  assert.equal(cells.length, 25 * 7 + 4);
  assert.match(cells[0], /data-date="2026-06-08"/); // a Monday
  assert.match(cells[cells.length - 1], /data-date="2026-12-03"/);
  assert.equal(dayCells(render(realProgress, new Date(2026, 11, 6, 23, 59))).length, 26 * 7); // Sunday
  assert.equal(dayCells(render(realProgress, new Date(2026, 11, 7, 0, 1))).length, 25 * 7 + 1); // Monday
});

test("the heatmap grows to reach older history, up to 53 weeks", () => {
  const older = copyOfFixture();
  older.days.unshift({ date: "2026-01-07", solved: [], runs: 3, active: 0 }); // the week of Monday 2026-01-05
  const cells = dayCells(render(older));
  assert.equal(cells.length, 47 * 7 + 4);
  assert.match(cells[0], /data-date="2026-01-05"/);
  assert.match(dayCell(render(older), "2026-01-07"), /class="day lvl1"/);

  const ancient = copyOfFixture();
  ancient.days.unshift({ date: "2020-01-01", solved: [], runs: 3, active: 0 });
  assert.equal(dayCells(render(ancient)).length, 52 * 7 + 4);
});

test("today's cell carries its level, the solved ring and a tooltip", () => {
  const today = dayCell(render(realProgress), "2026-12-03");
  // 1 run and 46 s of work: level 1.
  assert.match(today, /class="day lvl1 solved"/);
  assert.match(today, /<title>2026-12-03: 1 run, 1 min, solved d01-lru-cache<\/title>/);
  assert.match(dayCell(render(realProgress), "2026-12-02"), /class="day lvl0".*<title>2026-12-02: no activity<\/title>/);

  const busy = copyOfFixture();
  busy.days[0].runs = 20;
  assert.match(dayCell(render(busy), "2026-12-03"), /class="day lvl3 solved"/);
});

test("month labels run along the top of the heatmap", () => {
  const heatmap = render(realProgress).match(/<svg class="heatmap-chart"[\s\S]*?<\/svg>/)?.[0] ?? "";
  const labels = [...heatmap.matchAll(/<text class="axis"[^>]*>([A-Za-z]+)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(labels, ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Mon", "Wed", "Fri"]);
  assert.match(render(realProgress), /less<\/text>[\s\S]*lvl4[\s\S]*more<\/text>/);
});

test("the activity scale: the higher of a run level and a time level", () => {
  const minutes = (m: number) => m * 60e9;
  assert.equal(activityLevel(0, 0), 0);
  assert.equal(activityLevel(1, 0), 1);
  assert.equal(activityLevel(0, minutes(0.5)), 1);
  assert.equal(activityLevel(5, 0), 2);
  assert.equal(activityLevel(0, minutes(15)), 2);
  assert.equal(activityLevel(15, minutes(1)), 3);
  assert.equal(activityLevel(2, minutes(45)), 3);
  assert.equal(activityLevel(30, 0), 4);
  assert.equal(activityLevel(0, minutes(90)), 4);
  assert.equal(activityLevel(500, minutes(600)), 4);
});

test("completion is shown per section in the helper's order", () => {
  const html = render(realProgress);
  const rows = [...html.matchAll(/<div class="week-name">([^<]*)<\/div><div class="week-count">([^<]*)<\/div>/g)].map((m) => `${m[1]}: ${m[2]}`);
  assert.deepEqual(rows, ["Week 1: 1/7 done", "Week 2: 0/7 done", "Concurrency drills: 0/1 done"]);
  assert.match(html, /<button type="button" class="chip st-done" data-challenge="d01-lru-cache" title="Day 1 · LRU cache with Redis-backed persistence — done"/);
  assert.match(html, /class="chip st-not-started today" data-challenge="d02-json-parser"/);
  // 1 of 7 on a 160px bar
  assert.match(html, /<rect class="fill" x="0" y="0" width="22.9" height="8"/);
});

test("the header totals the challenges and links today's", () => {
  const html = render(realProgress);
  assert.match(html, /<div class="stat-name">Done<\/div><div class="stat-value">1<span class="of">\/15<\/span>/);
  assert.match(html, /<div class="stat-name">Current streak<\/div><div class="stat-value">1<\/div><div class="stat-detail">day<\/div>/);
  assert.match(html, /<div class="stat-name">Time on task<\/div><div class="stat-value">1 min<\/div>/);
  assert.match(html, /<div class="stat-name">Today<\/div><div class="stat-value"><button type="button" class="link" data-challenge="d02-json-parser">Day 2<\/button>/);
});

test("each benchmark gets a sparkline with a dot per run, best, latest and target", () => {
  const html = render(realProgress);
  assert.match(html, /<h3><button type="button" class="link" data-challenge="d01-lru-cache">Day 1 · LRU cache with Redis-backed persistence<\/button><\/h3>/);
  const card = benchmarkCard(html, "BenchmarkGetHit");
  assert.equal((card.match(/<circle class="pt/g) ?? []).length, 2);
  assert.match(card, /<polyline class="spark" points="5,43 235,5"\/>/); // slower second run: higher
  assert.match(card, /<circle class="pt best" cx="5"/);
  assert.match(card, /best <strong>18.6<\/strong> ns\/op/);
  assert.match(card, /latest <strong>19.2<\/strong> ns\/op \(\+3.5% vs best\) · 0 allocs\/op/);
  assert.match(card, /<title>2026-12-0\d \d\d:\d\d: 18.6 ns\/op<\/title>/);
  assert.match(card, /Target: &#60;= 0 allocs\/op, &#60;= 2x BenchmarkMutexMapGet, &#60;= 60 ns\/op/);
  assert.doesNotMatch(benchmarkCard(html, "BenchmarkPutEvict"), /Target:/);
  assert.match(benchmarkCard(html, "BenchmarkPutEvict"), /· 1 allocs\/op/);
});

test("a benchmark with one run is a single dot", () => {
  const single = copyOfFixture();
  single.benchmarks[0].points = single.benchmarks[0].points.slice(0, 1);
  const card = benchmarkCard(render(single), "BenchmarkGetHit");
  assert.equal((card.match(/<circle class="pt/g) ?? []).length, 1);
  assert.doesNotMatch(card, /<polyline/);
  assert.match(card, /latest <strong>18.6<\/strong> ns\/op \(your best\)/);
});

test("garbled or empty answers render a page that says there is nothing yet", () => {
  const garbage: unknown[] = [
    undefined,
    null,
    42,
    "progress",
    [],
    {},
    { days: "x", benchmarks: [null] },
    {
      challenges: [null, { id: 7 }, "x"],
      days: [null, { date: "2026-02-31", runs: 4 }, { date: "yesterday", runs: 2 }],
      benchmarks: [{ name: "BenchmarkX", points: [{ nsPerOp: "fast" }, null] }, { points: [{ nsPerOp: 3 }] }],
      streak: Number.NaN,
      done: "all",
    },
  ];
  for (const input of garbage) {
    const html = render(input);
    const label = JSON.stringify(input) ?? String(input);
    assert.match(html, /No activity yet/, label);
    assert.match(html, /No benchmarks yet\. Run a benchmark from the "run benchmark" code lens above a Benchmark function to start your history\./, label);
    assert.match(html, /No challenges yet/, label);
    assert.match(html, /No progress yet/, label);
    assert.doesNotMatch(html, /NaN|undefined|\[object/, label);
    const cells = dayCells(html);
    assert.equal(cells.length, 25 * 7 + 4, label);
    assert.ok(cells.every((cell) => cell.startsWith('<rect class="day lvl0"')), label);
  }
});

test("the page's script posts openChallenge for elements with data-challenge", () => {
  const script = render(realProgress).match(/<script nonce="[^"]*">([\s\S]*?)<\/script>/)?.[1] ?? "";
  assert.match(script, /acquireVsCodeApi\(\)/);
  assert.match(script, /closest\("\[data-challenge\]"\)/);
  assert.match(script, /postMessage\(\{ command: "openChallenge", challenge: target\.getAttribute\("data-challenge"\) \}\)/);
});

test("only well-formed openChallenge messages are accepted from the webview", () => {
  assert.equal(isDashboardMessage({ command: "openChallenge", challenge: "d01-lru-cache" }), true);
  assert.equal(isDashboardMessage({ command: "openChallenge", challenge: "" }), false);
  assert.equal(isDashboardMessage({ command: "openChallenge", challenge: 1 }), false);
  assert.equal(isDashboardMessage({ command: "openChallenge" }), false);
  assert.equal(isDashboardMessage({ command: "runShell", challenge: "d01" }), false);
  assert.equal(isDashboardMessage(["openChallenge", "d01"]), false);
  assert.equal(isDashboardMessage(null), false);
  assert.equal(isDashboardMessage("openChallenge"), false);
});
