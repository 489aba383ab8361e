// Turns a gochallenge/benchmarkResult notification (or the runBenchmark
// command's answer) into the one-line summary a notification shows and the
// fuller lines for the output channel. No `vscode` import.

import { isObject, finiteNumber } from "./helperJson";

export interface BenchmarkSummary {
  ok: boolean; // every gate held (or nothing was gated)
  headline: string; // for the notification
  lines: string[]; // for the output channel
}

// 1210.4 -> "1,210"; small values keep one decimal so 0.5 ns/op is not "1".
function formatNumber(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : String(Math.round(n * 10) / 10);
}

function verdictLine(v: Record<string, unknown>): { line: string; ok: boolean } {
  const name = typeof v.name === "string" ? v.name.replace(/^Benchmark/, "") : "?";
  const ns = finiteNumber(v.nsPerOp);
  const allocs = finiteNumber(v.allocsPerOp);
  const parts = [`${name}: ${ns === undefined ? "?" : formatNumber(ns)} ns/op`];
  if (v.hasMem === true && allocs !== undefined) parts.push(`${formatNumber(allocs)} allocs/op`);
  const gate = isObject(v.gate) ? v.gate : undefined;
  const targets: string[] = [];
  let ok = true;
  if (gate) {
    const maxAllocs = finiteNumber(gate.maxAllocsPerOp);
    if (maxAllocs !== undefined) {
      targets.push(`<= ${formatNumber(maxAllocs)} allocs/op`);
      ok &&= v.allocsOK === true;
    }
    const maxRatio = finiteNumber(gate.maxRatio);
    const ratio = finiteNumber(v.ratio);
    if (maxRatio !== undefined && typeof gate.baseline === "string") {
      targets.push(`<= ${maxRatio}x ${gate.baseline.replace(/^Benchmark/, "")}${ratio !== undefined ? ` (now ${ratio.toFixed(2)}x)` : ""}`);
      ok &&= v.ratioOK === true;
    }
    const target = finiteNumber(gate.targetNsPerOp);
    if (target !== undefined) targets.push(`advisory <= ${formatNumber(target)} ns/op`);
  }
  let line = parts.join(", ");
  if (targets.length > 0) line += ` · target ${targets.join(", ")}`;
  const best = isObject(v.previousBest) ? finiteNumber(v.previousBest.nsPerOp) : undefined;
  if (best !== undefined && ns !== undefined) {
    line += ns < best ? ` · new best (was ${formatNumber(best)})` : ` · your best ${formatNumber(best)}`;
  }
  if (gate) line += ok ? " · met" : " · MISSED";
  return { line, ok };
}

export function summarizeBenchmark(result: unknown): BenchmarkSummary {
  if (!isObject(result)) return { ok: false, headline: "The benchmark sent no readable result.", lines: [] };
  const challenge = typeof result.challenge === "string" ? result.challenge : "?";
  if (typeof result.status === "string" && result.status === "compile-error") {
    const why = typeof result.why === "string" ? result.why : "the benchmarks do not build";
    return { ok: false, headline: `${challenge}: ${why} (see Problems)`, lines: [`${challenge}: ${why}`] };
  }
  const verdicts = (Array.isArray(result.verdicts) ? result.verdicts : []).filter(isObject);
  if (verdicts.length === 0) return { ok: false, headline: `${challenge}: no benchmark results`, lines: [] };
  const judged = verdicts.map(verdictLine);
  const ok = judged.every((j) => j.ok);
  // The gated benchmark (or the first) leads the notification.
  const lead = judged[verdicts.findIndex((v) => isObject(v.gate))] ?? judged[0];
  return { ok, headline: `${challenge} · ${lead.line}`, lines: judged.map((j) => `${challenge} · ${j.line}`) };
}
