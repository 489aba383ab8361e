// Turns the helper's gochallenge/tree answer into what the sidebar shows.
// Kept free of `vscode` so it is tested under plain node; extension.ts maps
// these nodes onto TreeItems one to one.

import type { ChallengeSummary } from "./helperProtocol";
import { isObject } from "./helperJson";

export interface StatusIcon {
  id: string; // a codicon / theme icon id
  colorId?: string; // a theme colour id, so the icon follows the theme
}

export interface ChallengeNode {
  kind: "challenge";
  id: string;
  label: string; // "Day 3 · Concurrent web crawler"
  description: string; // "today", or empty
  tooltip: string;
  icon: StatusIcon;
  status: string;
  today: boolean;
}

export interface SectionNode {
  kind: "section";
  name: string;
  description: string; // "5/7 done"
  expanded: boolean; // the section holding today's challenge starts open
  challenges: ChallengeNode[];
}

export interface TreeModel {
  workspace: string;
  today: string | undefined;
  sections: SectionNode[];
}

// "running" is not a status: the helper announces runs separately
// (gochallenge/running), for saves, lenses and commands alike.
const iconsByStatus: Record<string, StatusIcon> = {
  "not-started": { id: "circle-large-outline" },
  "compile-error": { id: "error", colorId: "problemsErrorIcon.foreground" },
  failing: { id: "close", colorId: "testing.iconFailed" },
  racy: { id: "bug", colorId: "problemsWarningIcon.foreground" },
  passing: { id: "pass", colorId: "testing.iconPassed" },
  done: { id: "pass-filled", colorId: "testing.iconPassed" },
  running: { id: "loading~spin" },
};

// A status this extension does not know (a newer helper) still gets an icon
// rather than breaking the tree.
const unknownStatusIcon: StatusIcon = { id: "question" };

export function statusIcon(status: string): StatusIcon {
  return Object.hasOwn(iconsByStatus, status) ? iconsByStatus[status] : unknownStatusIcon;
}

const statusWords: Record<string, string> = {
  "not-started": "not started",
  "compile-error": "does not compile",
  failing: "tests failing",
  racy: "data race found",
  passing: "tests pass, finishing checks pending",
  done: "done",
  running: "running...",
};

export function describeStatus(status: string): string {
  return Object.hasOwn(statusWords, status) ? statusWords[status] : status || "unknown status";
}

// Go's time.Duration arrives as nanoseconds.
export function formatDuration(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds) || nanoseconds <= 0) return "0 min";
  const minutes = Math.round(nanoseconds / 60e9);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function challengeTooltip(c: ChallengeSummary, status: string): string {
  const lines = [`${c.label} · ${c.title}`];
  if (c.twist) lines.push(`Twist: ${c.twist}`);
  const facts = [describeStatus(status)];
  if (c.attempts > 0) facts.push(`${c.attempts} run${c.attempts === 1 ? "" : "s"}`);
  if (c.timeOnTask > 0) facts.push(formatDuration(c.timeOnTask));
  if (c.hintsOf > 0) facts.push(`hints ${c.hintsUsed}/${c.hintsOf}`);
  if (c.difficulty > 0) facts.push(`difficulty ${c.difficulty}/5`);
  lines.push(facts.join(" · "));
  return lines.join("\n");
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

// Reads one challenge defensively: the tree must survive a malformed entry
// (it is skipped) instead of the whole view failing.
function readChallenge(raw: unknown): ChallengeSummary | undefined {
  if (!isObject(raw) || typeof raw.id !== "string" || raw.id === "") return undefined;
  return {
    id: raw.id,
    label: text(raw.label) || raw.id,
    section: text(raw.section),
    title: text(raw.title),
    twist: text(raw.twist),
    difficulty: count(raw.difficulty),
    status: text(raw.status) || "not-started",
    today: raw.today === true,
    attempts: count(raw.attempts),
    timeOnTask: count(raw.timeOnTask),
    hintsUsed: count(raw.hintsUsed),
    hintsOf: count(raw.hintsOf),
  };
}

/**
 * buildTreeModel reads a gochallenge/tree result. `running` holds the ids
 * of challenges whose check the extension is waiting for (shown as a
 * spinner instead of their last status).
 */
export function buildTreeModel(response: unknown, running: ReadonlySet<string> = new Set()): TreeModel {
  if (!isObject(response)) return { workspace: "", today: undefined, sections: [] };
  const today = text(response.today) || undefined;
  const rawSections = Array.isArray(response.sections) ? response.sections : [];
  const sections: SectionNode[] = [];
  for (const rawSection of rawSections) {
    if (!isObject(rawSection)) continue;
    const summaries = (Array.isArray(rawSection.challenges) ? rawSection.challenges : [])
      .map(readChallenge)
      .filter((c): c is ChallengeSummary => c !== undefined);
    const challenges = summaries.map((c): ChallengeNode => {
      const isToday = c.today === true || c.id === today;
      const status = running.has(c.id) ? "running" : c.status;
      return {
        kind: "challenge",
        id: c.id,
        label: c.title ? `${c.label} · ${c.title}` : c.label,
        description: isToday ? "today" : "",
        tooltip: challengeTooltip(c, status),
        icon: statusIcon(status),
        status,
        today: isToday,
      };
    });
    // Count from the challenges when the helper's numbers are missing, so
    // "x/y done" never contradicts the icons below it.
    const total = typeof rawSection.total === "number" ? rawSection.total : summaries.length;
    const done = typeof rawSection.done === "number" ? rawSection.done : summaries.filter((c) => c.status === "done").length;
    sections.push({
      kind: "section",
      name: text(rawSection.name) || "Challenges",
      description: `${done}/${total} done`,
      expanded: challenges.some((c) => c.today),
      challenges,
    });
  }
  return { workspace: text(response.workspace), today, sections };
}

function allChallenges(model: TreeModel): ChallengeNode[] {
  return model.sections.flatMap((s) => s.challenges);
}

/**
 * challengeForFile finds the challenge a file belongs to: challenges live
 * in <workspace>/<id>/ (workspace.Dir in the helper).
 */
export function challengeForFile(model: TreeModel, filePath: string): string | undefined {
  if (!model.workspace) return undefined;
  const normalized = filePath.replaceAll("\\", "/");
  const root = model.workspace.replaceAll("\\", "/").replace(/\/+$/, "");
  if (!normalized.startsWith(root + "/")) return undefined;
  const firstSegment = normalized.slice(root.length + 1).split("/")[0];
  return allChallenges(model).find((c) => c.id === firstSegment)?.id;
}

/**
 * nextChallenge picks what "Next Challenge" opens: the first unfinished
 * challenge after the current one in course order; without a current one
 * (or when everything after it is done), the helper's suggestion for today;
 * then the first unfinished one anywhere.
 */
export function nextChallenge(model: TreeModel, currentId?: string): string | undefined {
  const all = allChallenges(model);
  const unfinished = (c: ChallengeNode) => c.status !== "done";
  if (currentId) {
    const index = all.findIndex((c) => c.id === currentId);
    if (index >= 0) {
      const after = all.slice(index + 1).find(unfinished);
      if (after) return after.id;
    }
  }
  if (model.today && model.today !== currentId && all.some((c) => c.id === model.today)) return model.today;
  return all.find((c) => unfinished(c) && c.id !== currentId)?.id;
}
