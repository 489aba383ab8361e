import assert from "node:assert/strict";
import { test } from "node:test";

import { resolveHelperPath, type HelperLookup } from "../src/helperPath";

function lookup(existing: string[], overrides: Partial<HelperLookup> = {}): HelperLookup {
  const files = new Set(existing);
  return {
    setting: "",
    extensionRoot: "/ext",
    workspaceFolder: "/ws",
    homeDir: "/home/learner",
    envPath: "/usr/local/bin:/usr/bin",
    platform: "linux",
    isExecutableFile: (file) => files.has(file),
    ...overrides,
  };
}

test("the setting wins over the bundled binary and PATH", () => {
  const all = ["/opt/gc", "/ext/bin/gochallenge", "/usr/bin/gochallenge"];
  assert.deepEqual(resolveHelperPath(lookup(all, { setting: "/opt/gc" })), { ok: true, path: "/opt/gc", source: "setting" });
});

test("the setting expands ~ and resolves against the workspace folder", () => {
  assert.deepEqual(resolveHelperPath(lookup(["/home/learner/go/bin/gochallenge"], { setting: "~/go/bin/gochallenge" })), {
    ok: true,
    path: "/home/learner/go/bin/gochallenge",
    source: "setting",
  });
  assert.deepEqual(resolveHelperPath(lookup(["/ws/bin/gochallenge"], { setting: "bin/gochallenge" })), {
    ok: true,
    path: "/ws/bin/gochallenge",
    source: "setting",
  });
});

test("a setting that points nowhere is an error, not a silent fallback", () => {
  const result = resolveHelperPath(lookup(["/ext/bin/gochallenge"], { setting: "/typo/gochallenge" }));
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : "", /gochallenge\.helperPath points to \/typo\/gochallenge/);
});

test("without a setting: bundled, then the first PATH entry that has it", () => {
  assert.deepEqual(resolveHelperPath(lookup(["/ext/bin/gochallenge", "/usr/bin/gochallenge"])), {
    ok: true,
    path: "/ext/bin/gochallenge",
    source: "bundled",
  });
  assert.deepEqual(resolveHelperPath(lookup(["/usr/bin/gochallenge", "/usr/local/bin/gochallenge"], { setting: "   " })), {
    ok: true,
    path: "/usr/local/bin/gochallenge",
    source: "PATH",
  });
});

test("an empty PATH entry (the current folder) is never searched", () => {
  const result = resolveHelperPath(lookup(["gochallenge"], { envPath: ":/usr/bin" }));
  assert.equal(result.ok, false);
});

test("Windows looks for gochallenge.exe on a ;-separated PATH", () => {
  const result = resolveHelperPath(
    lookup(["C:\\tools\\gochallenge.exe"], { platform: "win32", extensionRoot: "C:\\ext", envPath: "C:\\Windows;C:\\tools" }),
  );
  assert.deepEqual(result, { ok: true, path: "C:\\tools\\gochallenge.exe", source: "PATH" });
});

test("nothing found: one message saying where it looked and what to do", () => {
  const result = resolveHelperPath(lookup([]));
  assert.equal(result.ok, false);
  const message = !result.ok ? result.message : "";
  assert.match(message, /\/ext\/bin\/gochallenge/);
  assert.match(message, /PATH/);
  assert.match(message, /gochallenge\.helperPath/);
});
