// The Progress dashboard as one self-contained HTML document, built from a
// gochallenge/progress answer. No `vscode` import: dashboardPanel.ts puts the
// page in a webview, the unit tests read it as a string.
//
// The webview runs under a nonce-only CSP, so the page has no style=
// attributes and no remote or local resources: colours come from classes in
// the one nonce'd <style> block, and those use VS Code's theme variables.

import { KnownStatuses } from "./helperProtocol";
import { describeStatus, formatDuration } from "./treeModel";
import { isObject, num } from "./helperJson";

export interface DashboardOptions {
  nonce: string;
  cspSource: string;
  now: Date;
}

export type DashboardMessage = { command: "openChallenge"; challenge: string };

// ---------------------------------------------------------------------------
// Reading the untrusted answer

interface Challenge {
  id: string;
  label: string;
  section: string;
  title: string;
  status: string;
  timeOnTask: number;
}

interface Day {
  date: string;
  solved: string[];
  runs: number;
  active: number; // nanoseconds
}

interface BenchPoint {
  time: string;
  nsPerOp: number;
  allocsPerOp: number | undefined;
}

interface BenchSeries {
  challenge: string;
  name: string;
  target: string;
  bestNsPerOp: number;
  points: BenchPoint[];
}

interface Progress {
  readable: boolean;
  challenges: Challenge[];
  today: string;
  done: number;
  total: number;
  streak: number;
  longestStreak: number;
  days: Day[];
  benchmarks: BenchSeries[];
}

function optionalNum(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function readChallenge(c: Record<string, unknown>): Challenge | undefined {
  const id = text(c.id);
  if (!id) return undefined;
  return {
    id,
    label: text(c.label) || id,
    section: text(c.section) || "Other",
    title: text(c.title),
    status: text(c.status) || "not-started",
    timeOnTask: num(c.timeOnTask),
  };
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function readDay(d: Record<string, unknown>): Day | undefined {
  const date = text(d.date);
  if (!datePattern.test(date) || civilDayFromDate(date) === undefined) return undefined;
  const solved = Array.isArray(d.solved) ? d.solved.filter((s): s is string => typeof s === "string" && s !== "") : [];
  return { date, solved, runs: Math.max(0, num(d.runs)), active: Math.max(0, num(d.active)) };
}

function readBenchSeries(b: Record<string, unknown>): BenchSeries | undefined {
  const points = objects(b.points)
    .map((p) => ({ time: text(p.time), nsPerOp: optionalNum(p.nsPerOp), allocsPerOp: optionalNum(p.allocsPerOp) }))
    .filter((p): p is BenchPoint => p.nsPerOp !== undefined && p.nsPerOp >= 0);
  const name = text(b.name);
  if (!name || points.length === 0) return undefined;
  const bestFromHelper = isObject(b.best) ? optionalNum(b.best.nsPerOp) : undefined;
  return {
    challenge: text(b.challenge),
    name,
    target: text(b.target),
    // The helper's best may predate a trimmed history; a newer point may beat it.
    bestNsPerOp: Math.min(bestFromHelper ?? Infinity, ...points.map((p) => p.nsPerOp)),
    points,
  };
}

function readProgress(value: unknown): Progress {
  const p = isObject(value) ? value : {};
  const challenges = objects(p.challenges).map(readChallenge).filter((c): c is Challenge => c !== undefined);
  return {
    readable: isObject(value),
    challenges,
    today: text(p.today),
    done: num(p.done) || challenges.filter((c) => c.status === "done").length,
    total: num(p.total) || challenges.length,
    streak: num(p.streak),
    longestStreak: num(p.longestStreak),
    days: objects(p.days).map(readDay).filter((d): d is Day => d !== undefined),
    benchmarks: objects(p.benchmarks).map(readBenchSeries).filter((b): b is BenchSeries => b !== undefined),
  };
}

// ---------------------------------------------------------------------------
// Small formatting helpers

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// 1210.4 -> "1,210"; small values keep one decimal so 0.5 ns/op is not "1".
function formatNumber(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : String(Math.round(n * 10) / 10);
}

// Keeps SVG coordinates short and free of exponent notation.
function coord(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

// "2026-12-03 11:25" in local time, like the helper's day dates.
function localDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339 || "unknown time";
  return `${localDate(date)} ${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

function challengeName(c: Challenge): string {
  return c.title ? `${c.label} · ${c.title}` : c.label;
}

function openButton(id: string, label: string): string {
  return `<button type="button" class="link" data-challenge="${escapeHtml(id)}">${escapeHtml(label)}</button>`;
}

// ---------------------------------------------------------------------------
// Calendar arithmetic on civil days (days since 1970-01-01 of the calendar,
// not of UTC instants), so daylight-saving changes never shift a cell.

const msPerDay = 86_400_000;

function civilDay(year: number, monthIndex: number, day: number): number {
  return Math.round(Date.UTC(year, monthIndex, day) / msPerDay);
}

function civilDayFromDate(date: string): number | undefined {
  const [year, month, day] = date.split("-").map(Number);
  const n = civilDay(year, month - 1, day);
  return civilDate(n) === date ? n : undefined; // rejects 2026-02-31
}

function civilDate(n: number): string {
  const d = new Date(n * msPerDay);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function mondayFirstWeekday(n: number): number {
  return (new Date(n * msPerDay).getUTCDay() + 6) % 7;
}

function mondayOf(n: number): number {
  return n - mondayFirstWeekday(n);
}

// ---------------------------------------------------------------------------
// Heatmap

// A day's level is the higher of its run level and its time level, so a long
// think with few saves shows up as much as a burst of quick saves. The steps
// follow a typical challenge: 10-30 saves over 30-90 minutes.
//   level 1: any activity
//   level 2: >= 5 runs or >= 15 min
//   level 3: >= 15 runs or >= 45 min
//   level 4: >= 30 runs or >= 90 min
const runSteps = [1, 5, 15, 30];
const minuteSteps = [15, 45, 90];

export function activityLevel(runs: number, activeNanoseconds: number): number {
  const minutes = activeNanoseconds / 60e9;
  const byRuns = runSteps.filter((step) => runs >= step).length;
  const byTime = minutes > 0 ? 1 + minuteSteps.filter((step) => minutes >= step).length : 0;
  return Math.max(byRuns, byTime);
}

const defaultWeeks = 26;
const maxWeeks = 53;
const cellSize = 12;
const cellStep = 15;
const gridLeft = 30;
const gridTop = 16;
const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function mergeDays(days: Day[]): Map<string, Day> {
  const byDate = new Map<string, Day>();
  for (const day of days) {
    const seen = byDate.get(day.date);
    if (!seen) byDate.set(day.date, { ...day, solved: [...day.solved] });
    else byDate.set(day.date, { ...seen, runs: seen.runs + day.runs, active: seen.active + day.active, solved: [...seen.solved, ...day.solved] });
  }
  return byDate;
}

// The grid ends with today's week and shows 26 weeks, more (up to 53) when the
// learner's history starts earlier.
function heatmapWeeks(today: number, days: Day[]): number {
  const earliest = Math.min(today, ...days.map((d) => civilDayFromDate(d.date) ?? today));
  const weeksSinceEarliest = (mondayOf(today) - mondayOf(earliest)) / 7 + 1;
  return Math.min(maxWeeks, Math.max(defaultWeeks, weeksSinceEarliest));
}

function dayTooltip(date: string, day: Day | undefined): string {
  if (!day || (day.runs === 0 && day.active === 0 && day.solved.length === 0)) return `${date}: no activity`;
  const parts = [plural(day.runs, "run"), formatDuration(day.active)];
  if (day.solved.length > 0) parts.push(`solved ${day.solved.join(", ")}`);
  return `${date}: ${parts.join(", ")}`;
}

function dayCell(n: number, column: number, day: Day | undefined): string {
  const date = civilDate(n);
  const level = day ? activityLevel(day.runs, day.active) : 0;
  const solved = day && day.solved.length > 0 ? " solved" : "";
  const x = gridLeft + column * cellStep;
  const y = gridTop + mondayFirstWeekday(n) * cellStep;
  return `<rect class="day lvl${level}${solved}" data-date="${date}" x="${x}" y="${y}" width="${cellSize}" height="${cellSize}" rx="2"><title>${escapeHtml(dayTooltip(date, day))}</title></rect>`;
}

// A month is named above the first column whose Monday falls in it, unless
// that would crowd the previous name.
function monthLabels(firstMonday: number, weeks: number): string {
  const labels: string[] = [];
  let lastColumn = -3;
  let lastMonth = -1;
  for (let column = 0; column < weeks; column++) {
    const month = new Date((firstMonday + column * 7) * msPerDay).getUTCMonth();
    if (month === lastMonth) continue;
    lastMonth = month;
    if (column - lastColumn < 3) continue;
    labels.push(`<text class="axis" x="${gridLeft + column * cellStep}" y="${gridTop - 5}">${monthNames[month]}</text>`);
    lastColumn = column;
  }
  return labels.join("");
}

function weekdayLabels(): string {
  return [
    [0, "Mon"],
    [2, "Wed"],
    [4, "Fri"],
  ]
    .map(([row, name]) => `<text class="axis" x="0" y="${gridTop + Number(row) * cellStep + cellSize - 2}">${name}</text>`)
    .join("");
}

function heatmapLegend(): string {
  const cells = [0, 1, 2, 3, 4]
    .map((level) => `<rect class="legend lvl${level}" x="${32 + level * cellStep}" y="1" width="${cellSize}" height="${cellSize}" rx="2"><title>level ${level}</title></rect>`)
    .join("");
  return `<svg class="legend-chart" width="140" height="14" viewBox="0 0 140 14" role="img" aria-label="Activity scale from less to more"><text class="axis" x="0" y="11">less</text>${cells}<text class="axis" x="${36 + 5 * cellStep}" y="11">more</text></svg>`;
}

function renderHeatmap(progress: Progress, now: Date): string {
  const today = civilDay(now.getFullYear(), now.getMonth(), now.getDate());
  const weeks = heatmapWeeks(today, progress.days);
  const firstMonday = mondayOf(today) - (weeks - 1) * 7;
  const byDate = mergeDays(progress.days);
  const cells: string[] = [];
  for (let n = firstMonday; n <= today; n++) cells.push(dayCell(n, Math.floor((n - firstMonday) / 7), byDate.get(civilDate(n))));
  const width = gridLeft + weeks * cellStep;
  const height = gridTop + 7 * cellStep;
  const activeDays = progress.days.filter((d) => d.runs > 0 || d.active > 0 || d.solved.length > 0).length;
  const note =
    activeDays === 0
      ? `<p class="muted">No activity yet: save a challenge file to run its tests, and each day you work shows up here.</p>`
      : `<p class="muted">${plural(activeDays, "active day")} · a ringed cell is a day you finished a challenge.</p>`;
  return `<section aria-labelledby="activity-heading">
<h2 id="activity-heading">Activity</h2>
<div class="heatmap"><svg class="heatmap-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Daily activity over the last ${weeks} weeks">${monthLabels(firstMonday, weeks)}${weekdayLabels()}${cells.join("")}</svg></div>
<div class="legend-row">${heatmapLegend()}</div>
${note}
</section>`;
}

// ---------------------------------------------------------------------------
// Header totals

function stat(name: string, value: string, detail = ""): string {
  return `<div class="stat"><div class="stat-name">${escapeHtml(name)}</div><div class="stat-value">${value}</div>${detail ? `<div class="stat-detail">${detail}</div>` : ""}</div>`;
}

function renderTodayStat(progress: Progress): string {
  if (!progress.today) {
    const allDone = progress.total > 0 && progress.done >= progress.total;
    return stat("Today", allDone ? "All done" : "—", allDone ? "every challenge is done" : "");
  }
  const challenge = progress.challenges.find((c) => c.id === progress.today);
  const label = challenge?.label ?? progress.today;
  return stat("Today", openButton(progress.today, label), challenge?.title ? escapeHtml(challenge.title) : "");
}

function renderTotals(progress: Progress): string {
  const timeOnTask = progress.challenges.reduce((sum, c) => sum + Math.max(0, c.timeOnTask), 0);
  return `<section class="stats" aria-label="Totals">
${stat("Done", `${progress.done}<span class="of">/${progress.total}</span>`, "challenges")}
${stat("Current streak", String(progress.streak), progress.streak === 1 ? "day" : "days")}
${stat("Longest streak", String(progress.longestStreak), progress.longestStreak === 1 ? "day" : "days")}
${stat("Time on task", escapeHtml(formatDuration(timeOnTask)), "all challenges")}
${renderTodayStat(progress)}
</section>`;
}

// ---------------------------------------------------------------------------
// Per-week completion

const knownStatuses: ReadonlySet<string> = new Set(KnownStatuses);

function groupBySection(challenges: Challenge[]): Map<string, Challenge[]> {
  const sections = new Map<string, Challenge[]>();
  for (const c of challenges) sections.set(c.section, [...(sections.get(c.section) ?? []), c]);
  return sections;
}

const barWidth = 160;

function completionBar(done: number, total: number): string {
  const filled = total > 0 ? (barWidth * Math.min(done, total)) / total : 0;
  return `<svg class="bar" width="${barWidth}" height="8" viewBox="0 0 ${barWidth} 8" aria-hidden="true"><rect class="track" x="0" y="0" width="${barWidth}" height="8" rx="4"/><rect class="fill" x="0" y="0" width="${coord(filled)}" height="8" rx="4"/></svg>`;
}

function statusMarker(c: Challenge, today: string): string {
  const status = knownStatuses.has(c.status) ? c.status : "unknown";
  const tooltip = `${challengeName(c)} — ${describeStatus(c.status)}${c.id === today ? " (today)" : ""}`;
  const todayClass = c.id === today ? " today" : "";
  return `<button type="button" class="chip st-${status}${todayClass}" data-challenge="${escapeHtml(c.id)}" title="${escapeHtml(tooltip)}" aria-label="${escapeHtml(tooltip)}"><span class="dot"></span>${escapeHtml(c.label)}</button>`;
}

function renderSections(progress: Progress): string {
  const sections = groupBySection(progress.challenges);
  const rows = [...sections].map(([name, challenges]) => {
    const done = challenges.filter((c) => c.status === "done").length;
    return `<div class="week-row"><div class="week-name">${escapeHtml(name)}</div><div class="week-count">${done}/${challenges.length} done</div>${completionBar(done, challenges.length)}<div class="chips">${challenges.map((c) => statusMarker(c, progress.today)).join("")}</div></div>`;
  });
  const body = rows.length > 0 ? `<div class="weeks">${rows.join("\n")}</div>` : `<p class="muted">No challenges yet: open a challenge workspace to see them here.</p>`;
  return `<section aria-labelledby="weeks-heading">
<h2 id="weeks-heading">Completion by week</h2>
${body}
${rows.length > 0 ? statusLegend() : ""}
</section>`;
}

function statusLegend(): string {
  const items = [...knownStatuses].map((s) => `<span class="status-key st-${s}"><span class="dot"></span>${escapeHtml(describeStatus(s))}</span>`);
  return `<div class="status-legend muted">${items.join("")}</div>`;
}

// ---------------------------------------------------------------------------
// Benchmark history

const sparkWidth = 240;
const sparkHeight = 48;
const sparkPad = 5;

function sparkline(series: BenchSeries): string {
  const values = series.points.map((p) => p.nsPerOp);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const xStep = values.length > 1 ? (sparkWidth - 2 * sparkPad) / (values.length - 1) : 0;
  const x = (i: number) => (values.length > 1 ? sparkPad + i * xStep : sparkWidth / 2);
  const y = (v: number) => (max > min ? sparkPad + ((max - v) / (max - min)) * (sparkHeight - 2 * sparkPad) : sparkHeight / 2);
  const line = values.length > 1 ? `<polyline class="spark" points="${values.map((v, i) => `${coord(x(i))},${coord(y(v))}`).join(" ")}"/>` : "";
  const bestIndex = values.indexOf(min);
  const dots = series.points
    .map((p, i) => {
      const tooltip = `${localDateTime(p.time)}: ${formatNumber(p.nsPerOp)} ns/op`;
      return `<circle class="pt${i === bestIndex ? " best" : ""}" cx="${coord(x(i))}" cy="${coord(y(p.nsPerOp))}" r="${i === bestIndex ? 3.5 : 2.5}"><title>${escapeHtml(tooltip)}</title></circle>`;
    })
    .join("");
  return `<svg class="sparkline" width="${sparkWidth}" height="${sparkHeight}" viewBox="0 0 ${sparkWidth} ${sparkHeight}" role="img" aria-label="${escapeHtml(`${series.name}: ${plural(values.length, "run")}, ns/op over time`)}"><line class="baseline" x1="0" y1="${sparkHeight - 0.5}" x2="${sparkWidth}" y2="${sparkHeight - 0.5}"/>${line}${dots}</svg>`;
}

function versusBest(latest: number, best: number): string {
  if (latest <= best) return " (your best)";
  return best > 0 ? ` (+${formatNumber(((latest - best) / best) * 100)}% vs best)` : "";
}

function benchmarkCard(series: BenchSeries): string {
  const latest = series.points[series.points.length - 1];
  const allocs = latest.allocsPerOp === undefined ? "" : ` · ${formatNumber(latest.allocsPerOp)} allocs/op`;
  const target = series.target ? `<div class="target">Target: ${escapeHtml(series.target)}</div>` : "";
  return `<article class="bench" data-benchmark="${escapeHtml(series.name)}">
<div class="bench-name">${escapeHtml(series.name)}</div>
${sparkline(series)}
<div class="bench-stats"><span>best <strong>${formatNumber(series.bestNsPerOp)}</strong> ns/op</span> · <span>latest <strong>${formatNumber(latest.nsPerOp)}</strong> ns/op${versusBest(latest.nsPerOp, series.bestNsPerOp)}${allocs}</span></div>
<div class="muted">${plural(series.points.length, "run")}</div>
${target}
</article>`;
}

function renderBenchmarks(progress: Progress): string {
  const intro = `<section aria-labelledby="bench-heading">
<h2 id="bench-heading">Benchmark history</h2>`;
  if (progress.benchmarks.length === 0) {
    return `${intro}
<p class="muted">No benchmarks yet. Run a benchmark from the "run benchmark" code lens above a Benchmark function to start your history.</p>
</section>`;
  }
  const groups = new Map<string, BenchSeries[]>();
  for (const series of progress.benchmarks) groups.set(series.challenge, [...(groups.get(series.challenge) ?? []), series]);
  const blocks = [...groups].map(([id, list]) => {
    const challenge = progress.challenges.find((c) => c.id === id);
    const heading = id ? openButton(id, challenge ? challengeName(challenge) : id) : "Other benchmarks";
    return `<div class="bench-group"><h3>${heading}</h3><div class="bench-grid">${list.map(benchmarkCard).join("\n")}</div></div>`;
  });
  return `${intro}
<p class="muted">Lower is better. Each dot is one run; the highlighted dot is your best.</p>
${blocks.join("\n")}
</section>`;
}

// ---------------------------------------------------------------------------
// The page

const styles = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); margin: 0; padding: 8px 24px 32px; max-width: 1000px; }
h1 { font-size: 1.6em; font-weight: 600; margin: 12px 0 16px; }
h2 { font-size: 1.15em; font-weight: 600; margin: 28px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--vscode-panel-border); }
h3 { font-size: 1em; font-weight: 600; margin: 16px 0 8px; }
p { margin: 8px 0; }
.muted { color: var(--vscode-descriptionForeground); }
.notice { margin: 0 0 14px; padding: 8px 12px; border-left: 3px solid var(--vscode-charts-yellow); background: color-mix(in srgb, var(--vscode-charts-yellow) 10%, transparent); }
button { font: inherit; color: inherit; }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
.link { background: none; border: none; padding: 0; cursor: pointer; color: var(--vscode-textLink-foreground); text-align: left; }
.link:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
.stat { border: 1px solid var(--vscode-panel-border); border-radius: 6px; padding: 10px 14px; min-width: 0; }
.stat-name { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.stat-value { font-size: 1.7em; font-weight: 600; line-height: 1.3; overflow-wrap: anywhere; }
.stat-value .link { font-weight: 600; }
.stat-value .of { color: var(--vscode-descriptionForeground); font-weight: 400; }
.stat-detail { color: var(--vscode-descriptionForeground); font-size: 0.9em; overflow-wrap: anywhere; }
.heatmap { overflow-x: auto; padding-bottom: 4px; }
svg text.axis { fill: var(--vscode-descriptionForeground); font-size: 10px; font-family: var(--vscode-font-family); }
.lvl0 { fill: color-mix(in srgb, var(--vscode-foreground) 9%, transparent); }
.lvl1 { fill: color-mix(in srgb, var(--vscode-charts-green) 35%, transparent); }
.lvl2 { fill: color-mix(in srgb, var(--vscode-charts-green) 55%, transparent); }
.lvl3 { fill: color-mix(in srgb, var(--vscode-charts-green) 78%, transparent); }
.lvl4 { fill: var(--vscode-charts-green); }
.day.solved { stroke: var(--vscode-foreground); stroke-width: 1.5; }
.legend-row { margin-top: 4px; }
.weeks { display: grid; grid-template-columns: max-content max-content max-content 1fr; gap: 10px 16px; align-items: center; }
.week-row { display: contents; }
.week-name { font-weight: 600; }
.week-count { color: var(--vscode-descriptionForeground); font-variant-numeric: tabular-nums; }
.track { fill: color-mix(in srgb, var(--vscode-foreground) 12%, transparent); }
.fill { fill: var(--vscode-charts-green); }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { white-space: nowrap; display: inline-flex; align-items: center; gap: 5px; padding: 1px 8px; border-radius: 10px; cursor: pointer; background: color-mix(in srgb, var(--vscode-foreground) 6%, transparent); border: 1px solid transparent; font-size: 0.9em; }
.chip:hover { background: color-mix(in srgb, var(--vscode-foreground) 14%, transparent); }
.chip.today { border-color: var(--vscode-focusBorder); }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--status-color, transparent); border: 1px solid var(--status-color, var(--vscode-descriptionForeground)); }
.st-done { --status-color: var(--vscode-charts-green); }
.st-passing { --status-color: var(--vscode-charts-blue); }
.st-racy { --status-color: var(--vscode-charts-yellow); }
.st-failing { --status-color: var(--vscode-charts-orange); }
.st-compile-error { --status-color: var(--vscode-charts-red); }
.st-unknown { --status-color: var(--vscode-charts-purple); }
@media (max-width: 760px) {
  .weeks { grid-template-columns: max-content max-content 1fr; }
  .chips { grid-column: 1 / -1; margin-bottom: 8px; }
}
.status-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 14px; font-size: 0.9em; }
.status-key { display: inline-flex; align-items: center; gap: 5px; }
.bench-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 10px; }
.bench { border: 1px solid var(--vscode-panel-border); border-radius: 6px; padding: 10px 12px; }
.bench-name { font-family: var(--vscode-editor-font-family); font-weight: 600; margin-bottom: 6px; overflow-wrap: anywhere; }
.sparkline { display: block; margin: 4px 0 6px; max-width: 100%; height: auto; }
.baseline { stroke: var(--vscode-panel-border); stroke-width: 1; }
.spark { fill: none; stroke: var(--vscode-charts-blue); stroke-width: 1.5; stroke-linejoin: round; }
.pt { fill: var(--vscode-charts-blue); }
.pt.best { fill: var(--vscode-charts-green); stroke: var(--vscode-editor-background); stroke-width: 1; }
.bench-stats { font-variant-numeric: tabular-nums; }
.target { margin-top: 4px; font-size: 0.9em; color: var(--vscode-descriptionForeground); overflow-wrap: anywhere; }
body.vscode-high-contrast .day, body.vscode-high-contrast .legend, body.vscode-high-contrast .track { stroke: var(--vscode-contrastBorder, var(--vscode-foreground)); stroke-width: 1; }
body.vscode-high-contrast .day.solved { stroke: var(--vscode-contrastActiveBorder, var(--vscode-foreground)); stroke-width: 2.5; }
body.vscode-high-contrast .chip { border-color: var(--vscode-contrastBorder, var(--vscode-foreground)); }
body.vscode-high-contrast .chip.today { border-color: var(--vscode-contrastActiveBorder, var(--vscode-focusBorder)); border-width: 2px; }
`;

// Buttons and SVG alike carry data-challenge; the extension validates what
// arrives (isDashboardMessage) before acting on it.
const script = `
const vscode = acquireVsCodeApi();
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-challenge]") : null;
  if (target) vscode.postMessage({ command: "openChallenge", challenge: target.getAttribute("data-challenge") });
});
`;

function unreadableNotice(progress: Progress): string {
  if (progress.readable && (progress.challenges.length > 0 || progress.days.length > 0)) return "";
  return `<p class="notice">No progress yet${progress.readable ? "" : ": the helper sent nothing readable"}. Open a challenge and save it to start.</p>`;
}

export function renderDashboard(progress: unknown, options: DashboardOptions): string {
  const data = readProgress(progress);
  const nonce = escapeHtml(options.nonce);
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${escapeHtml(options.cspSource)} data:;`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Go Challenges: Progress</title>
<style nonce="${nonce}">${styles}</style>
</head>
<body>
<h1>Progress</h1>
${unreadableNotice(data)}
${renderTotals(data)}
${renderHeatmap(data, options.now)}
${renderSections(data)}
${renderBenchmarks(data)}
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}

export function isDashboardMessage(value: unknown): value is DashboardMessage {
  return isObject(value) && value.command === "openChallenge" && typeof value.challenge === "string" && value.challenge !== "";
}
