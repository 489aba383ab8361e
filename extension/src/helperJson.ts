// Readers for the helper's answers, which arrive as unknown JSON: a newer
// or older helper may send other shapes, and a garbled answer must render
// as "nothing yet", never throw. No `vscode` import.

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// finiteNumber is the value when it is a finite number, else undefined.
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

// num is the value when it is a finite number, else 0.
export function num(value: unknown): number {
  return finiteNumber(value) ?? 0;
}
