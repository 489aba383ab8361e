import assert from "node:assert/strict";
import { test } from "node:test";

import { environmentProblem } from "../src/environment";
import ready from "./fixtures/environment.json";

test("a ready machine gets no message", () => {
  assert.equal(environmentProblem(ready), undefined);
});

test("a machine without go is told what to install and to reload", () => {
  const message = environmentProblem({
    ready: false,
    checks: [{ name: "go command", ok: false, info: "the go command was not found on PATH", fix: "install Go 1.26 or newer from https://go.dev/dl/" }],
  });
  assert.equal(
    message,
    "Go Challenges cannot run tests on this machine.\ngo command: the go command was not found on PATH. Fix: install Go 1.26 or newer from https://go.dev/dl/\nThen run “Developer: Reload Window”.",
  );
});

test("warnings alone and unreadable answers say nothing", () => {
  assert.equal(environmentProblem({ ready: true, checks: [{ name: "module downloads", ok: false, warn: true, info: "offline" }] }), undefined);
  assert.equal(environmentProblem("garbage"), undefined);
  assert.match(environmentProblem({ ready: false }) ?? "", /gochallenge doctor/);
});
