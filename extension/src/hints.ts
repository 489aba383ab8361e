// Turns a gochallenge/hint answer into what the learner is told. No
// `vscode` import; extension.ts shows `message` and, when `offerEarly`,
// a button that asks again with early: true (the helper records that).

import type { HintLocked } from "./helperProtocol";

export type HintPresentation =
  | { kind: "hint"; title: string; message: string; offerEarly: false }
  | { kind: "locked"; title: string; message: string; offerEarly: true; level: number }
  | { kind: "invalid"; title: string; message: string; offerEarly: false };

export const showEarlyButton = "Show it now";

function plural(n: number, word: string): string {
  return `${n} more ${word}${n === 1 ? "" : "s"}`;
}

function lockedConditions(locked: HintLocked): string {
  const runs = Number(locked.FailedRuns);
  const minutes = Number(locked.Minutes);
  const parts: string[] = [];
  if (runs > 0) parts.push(plural(runs, "failed run"));
  if (minutes > 0) parts.push(plural(minutes, "minute") + " on the challenge");
  return parts.join(" or ");
}

export function presentHintResponse(challengeId: string, response: unknown): HintPresentation {
  const body = typeof response === "object" && response !== null ? (response as Record<string, unknown>) : {};
  const hint = body.hint as Record<string, unknown> | undefined;
  if (hint && typeof hint.text === "string") {
    const level = Number(hint.level) || 1;
    const of = Number(hint.of) || level;
    const challenge = typeof hint.challenge === "string" && hint.challenge ? hint.challenge : challengeId;
    const early = hint.early === true ? " (asked early)" : "";
    return {
      kind: "hint",
      title: `Hint ${level} of ${of} for ${challenge}${early}`,
      message: hint.text,
      offerEarly: false,
    };
  }
  const locked = body.locked as HintLocked | undefined;
  if (locked && typeof locked === "object") {
    const level = Number(locked.Level) || 1;
    const conditions = lockedConditions(locked);
    return {
      kind: "locked",
      title: `Hint ${level} for ${challengeId} is locked`,
      message: conditions
        ? `Hint ${level} unlocks after ${conditions}. You can see it now; asking early is recorded in your progress.`
        : `Hint ${level} is still locked. You can see it now; asking early is recorded in your progress.`,
      offerEarly: true,
      level,
    };
  }
  return {
    kind: "invalid",
    title: `No hint for ${challengeId}`,
    message: "The helper answered without a hint or a lock; is the helper older than the extension?",
    offerEarly: false,
  };
}
