// Text for the status bar and the Show Progress report, from a
// gochallenge/progress answer. No `vscode` import.

import { formatDuration } from "./treeModel";
import { isObject, num } from "./helperJson";

export interface StatusBarContent {
  text: string; // may hold $(codicon) references
  tooltip: string;
}

interface ChallengeLabel {
  id: string;
  label: string;
  title: string;
}

function todaysChallenge(progress: Record<string, unknown>): ChallengeLabel | undefined {
  const today = typeof progress.today === "string" ? progress.today : "";
  if (!today) return undefined;
  const challenges = Array.isArray(progress.challenges) ? progress.challenges : [];
  const found = challenges.find((c) => isObject(c) && c.id === today) as Record<string, unknown> | undefined;
  return {
    id: today,
    label: typeof found?.label === "string" ? found.label : today,
    title: typeof found?.title === "string" ? found.title : "",
  };
}

export function statusBarContent(progress: unknown): StatusBarContent {
  if (!isObject(progress)) return { text: "$(mortar-board) Go Challenges", tooltip: "Open the Go Challenges view" };
  const streak = num(progress.streak);
  const today = todaysChallenge(progress);
  const todayText = today ? ` · ${today.label}` : " · all done";
  return {
    text: `$(flame) ${streak}${todayText}`,
    tooltip: [
      `Streak: ${streak} day${streak === 1 ? "" : "s"} (longest ${num(progress.longestStreak)})`,
      `${num(progress.done)}/${num(progress.total)} challenges done`,
      today ? `Today: ${today.label}${today.title ? ` · ${today.title}` : ""}` : "Every challenge is done",
      "Click to open the Go Challenges view",
    ].join("\n"),
  };
}

/** progressReport is the plain-text summary Show Progress prints (until the dashboard webview exists). */
export function progressReport(progress: unknown, recentDays = 14): string {
  if (!isObject(progress)) return "No progress yet: the helper sent nothing readable.";
  const lines = [
    `Done: ${num(progress.done)}/${num(progress.total)} challenges`,
    `Streak: ${num(progress.streak)} (longest ${num(progress.longestStreak)})`,
  ];
  const today = todaysChallenge(progress);
  if (today) lines.push(`Today: ${today.id}${today.title ? ` · ${today.title}` : ""}`);
  const days = (Array.isArray(progress.days) ? progress.days : []).filter(isObject);
  if (days.length > 0) {
    lines.push("", `Last ${Math.min(recentDays, days.length)} active days:`);
    for (const day of days.slice(-recentDays)) {
      const solved = Array.isArray(day.solved) && day.solved.length > 0 ? ` · solved ${day.solved.join(", ")}` : "";
      lines.push(`  ${String(day.date)}  ${num(day.runs)} runs · ${formatDuration(num(day.active))}${solved}`);
    }
  }
  return lines.join("\n");
}
