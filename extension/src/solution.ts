// Turns a gochallenge/solution answer into what the learner sees: the
// reason it stays closed (with a confirm button once every hint was seen),
// or the files to show as diffs against the learner's own. No `vscode`
// import; extension.ts opens the diffs through a read-only document
// provider for `solutionScheme`.

import type { SolutionFile } from "./helperProtocol";
import { isObject } from "./helperJson";

export const solutionScheme = "gochallenge-solution";
export const revealAnywayButton = "Reveal it";

export type SolutionPresentation =
  | { kind: "locked"; message: string; canConfirm: boolean }
  | { kind: "files"; challenge: string; files: SolutionFile[]; beforePass: boolean }
  | { kind: "invalid"; message: string };

function isSolutionFile(value: unknown): value is SolutionFile {
  return isObject(value) && typeof value.name === "string" && value.name !== "" && typeof value.path === "string" && typeof value.reference === "string";
}

export function presentSolutionResponse(challengeId: string, response: unknown): SolutionPresentation {
  const body = isObject(response) ? response : {};
  if (isObject(body.solution)) {
    const files = Array.isArray(body.solution.files) ? body.solution.files.filter(isSolutionFile) : [];
    if (files.length > 0) {
      const challenge = typeof body.solution.challenge === "string" && body.solution.challenge ? body.solution.challenge : challengeId;
      return { kind: "files", challenge, files, beforePass: body.solution.beforePass === true };
    }
  }
  if (isObject(body.locked)) {
    const reason = typeof body.locked.reason === "string" && body.locked.reason ? body.locked.reason : `The reference solution of ${challengeId} is still closed.`;
    const sentence = reason.charAt(0).toUpperCase() + reason.slice(1) + (/[.!?]$/.test(reason) ? "" : ".");
    return { kind: "locked", message: sentence, canConfirm: body.locked.needsConfirm === true };
  }
  return { kind: "invalid", message: `The helper sent no solution for ${challengeId}; is it older than the extension?` };
}

// The path of a reference file's virtual document: one per challenge and
// file name, so a second reveal shows the same (read-only) tab.
export function solutionDocumentPath(challenge: string, file: SolutionFile): string {
  return `/${encodeURIComponent(challenge)}/${encodeURIComponent(file.name)}`;
}

export function diffTitle(file: SolutionFile): string {
  return `${file.name}: reference solution ↔ yours`;
}
