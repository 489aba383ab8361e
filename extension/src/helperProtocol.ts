// The JSON the helper (`gochallenge serve`) exchanges for its custom
// methods. Mirrors server/internal/lsp/gochallenge_methods.go, commands.go
// and engine.ChallengeSummary / engine.Overview; PROTOCOL.md documents them.
// No `vscode` import here, so the logic modules and their tests can share it.

export const Methods = {
  tree: "gochallenge/tree",
  progress: "gochallenge/progress",
  hint: "gochallenge/hint",
  reset: "gochallenge/reset",
  statement: "gochallenge/statement",
  statusChanged: "gochallenge/statusChanged",
  benchmarkResult: "gochallenge/benchmarkResult",
  running: "gochallenge/running",
  solution: "gochallenge/solution",
  environment: "gochallenge/environment",
} as const;

// The server's executeCommand names. vscode-languageclient registers them
// as VS Code commands itself (they are in executeCommandProvider), so the
// extension's own command ids must never reuse them.
export const ServerCommands = {
  check: "gochallenge.check",
  runTest: "gochallenge.runTest",
  runBenchmark: "gochallenge.runBenchmark",
  raceCheck: "gochallenge.raceCheck",
} as const;

export const KnownStatuses = ["not-started", "compile-error", "failing", "racy", "passing", "done"] as const;
export type ChallengeStatus = (typeof KnownStatuses)[number];

export interface ChallengeSummary {
  id: string;
  label: string; // "Day 3", "Drill 1"
  section: string; // "Week 1", "Concurrency drills"
  title: string;
  twist: string;
  difficulty: number;
  status: string; // a ChallengeStatus, but a newer helper may send others
  today?: boolean;
  attempts: number;
  timeOnTask: number; // Go time.Duration: nanoseconds
  hintsUsed: number;
  hintsOf: number;
  firstPass?: string;
  doneAt?: string;
  solutionSeen?: string;
}

export interface TreeSection {
  name: string;
  done: number;
  total: number;
  challenges: ChallengeSummary[];
}

export interface TreeResponse {
  workspace: string;
  today?: string;
  sections: TreeSection[];
}

export interface ProgressDay {
  date: string; // "2006-01-02"
  solved: string[];
  runs: number;
  active: number; // nanoseconds
}

export interface ProgressResponse {
  challenges: ChallengeSummary[];
  today?: string;
  done: number;
  total: number;
  streak: number;
  longestStreak: number;
  days: ProgressDay[];
}

export interface Hint {
  challenge: string;
  level: number;
  of: number;
  text: string;
  early?: boolean;
}

// engine.HintLocked has no json tags, so its fields arrive capitalised.
export interface HintLocked {
  Level: number;
  FailedRuns: number; // still needed
  Minutes: number; // still needed
}

export interface HintResponse {
  hint?: Hint;
  locked?: HintLocked;
}

export interface StatementResponse {
  challenge: string;
  title: string;
  readme: string; // absolute path
  mainFile: string; // absolute path
}

export interface ResetResponse {
  backup: string;
}

export interface CheckResponse {
  challenge: string;
  status?: string;
  why?: string;
}

export interface StatusChangedParams {
  workspace: string;
  challenge: string;
  status: string;
  why?: string;
}

export interface RunningParams {
  workspace: string;
  challenge: string;
  running: boolean;
}

export interface SolutionFile {
  name: string; // lru.go
  path: string; // the learner's file it replaces (absolute; may not exist)
  reference: string;
}

export interface SolutionResponse {
  solution?: { challenge: string; beforePass?: boolean; files: SolutionFile[] };
  locked?: { needsConfirm: boolean; hintsLeft: number; reason: string };
}

export interface ToolchainCheck {
  name: string;
  ok: boolean;
  warn?: boolean;
  info: string;
  fix?: string;
}

export interface EnvironmentResponse {
  ready: boolean;
  checks: ToolchainCheck[];
}
