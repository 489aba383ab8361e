// What the tree says when the helper found the machine cannot run the
// challenges (no go, too old a Go, no C compiler for the race detector).
// The helper also says it once as a notification; the tree keeps saying it
// until the problem is fixed and the window reloaded. No `vscode` import.

import type { ToolchainCheck } from "./helperProtocol";

function isCheck(value: unknown): value is ToolchainCheck {
  return typeof value === "object" && value !== null && typeof (value as ToolchainCheck).name === "string";
}

// environmentProblem returns the tree's message, or undefined when the
// machine is ready (or the answer is unreadable: a wrong warning is worse
// than none, and runs report their own errors).
export function environmentProblem(response: unknown): string | undefined {
  if (typeof response !== "object" || response === null) return undefined;
  const { ready, checks } = response as { ready?: unknown; checks?: unknown };
  if (ready !== false) return undefined;
  const fatal = (Array.isArray(checks) ? checks : []).filter(isCheck).filter((c) => !c.ok && !c.warn);
  const lines = fatal.map((c) => `${c.name}: ${c.info}${c.fix ? `. Fix: ${c.fix}` : ""}`);
  return [
    "Go Challenges cannot run tests on this machine.",
    ...(lines.length > 0 ? lines : ["The helper's toolchain check failed; run `gochallenge doctor` in a terminal for details."]),
    "Then run “Developer: Reload Window”.",
  ].join("\n");
}
