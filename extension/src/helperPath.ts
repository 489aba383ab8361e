// Finds the gochallenge helper binary. No `vscode` import: the caller passes
// the setting and the file-system checks, so the order is tested directly.

import * as path from "node:path";

export interface HelperLookup {
  setting: string; // gochallenge.helperPath, "" when unset
  extensionRoot: string; // where the extension is installed (bundled bin/ lives there)
  workspaceFolder?: string; // a relative setting is read against it
  homeDir: string;
  envPath: string; // process.env.PATH
  platform: NodeJS.Platform;
  isExecutableFile: (file: string) => boolean;
}

export type HelperResolution =
  | { ok: true; path: string; source: "setting" | "bundled" | "PATH" }
  | { ok: false; message: string };

export function helperBinaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "gochallenge.exe" : "gochallenge";
}

function expandSetting(setting: string, lookup: HelperLookup): string {
  const pathApi = lookup.platform === "win32" ? path.win32 : path.posix;
  let expanded = setting;
  if (expanded === "~" || expanded.startsWith("~/")) expanded = pathApi.join(lookup.homeDir, expanded.slice(1));
  if (!pathApi.isAbsolute(expanded) && lookup.workspaceFolder) expanded = pathApi.resolve(lookup.workspaceFolder, expanded);
  return expanded;
}

/**
 * resolveHelperPath: the setting wins; then the binary bundled inside the
 * extension (bin/gochallenge, where `go build -o bin/gochallenge` puts it in
 * a checkout); then `gochallenge` on PATH. A setting that points nowhere is
 * an error rather than a silent fallback, so a typo is not hidden behind
 * some other binary.
 */
export function resolveHelperPath(lookup: HelperLookup): HelperResolution {
  const pathApi = lookup.platform === "win32" ? path.win32 : path.posix;
  const binary = helperBinaryName(lookup.platform);
  const setting = lookup.setting.trim();
  if (setting) {
    const configured = expandSetting(setting, lookup);
    if (lookup.isExecutableFile(configured)) return { ok: true, path: configured, source: "setting" };
    return {
      ok: false,
      message: `The setting gochallenge.helperPath points to ${configured}, which is not an executable file. Fix the path, or clear the setting to use the bundled helper or \`${binary}\` on PATH.`,
    };
  }
  const bundled = pathApi.join(lookup.extensionRoot, "bin", binary);
  if (lookup.isExecutableFile(bundled)) return { ok: true, path: bundled, source: "bundled" };
  const delimiter = lookup.platform === "win32" ? ";" : ":";
  for (const dir of lookup.envPath.split(delimiter)) {
    if (!dir) continue; // an empty PATH entry means the current folder: never trust that
    const candidate = pathApi.join(dir, binary);
    if (lookup.isExecutableFile(candidate)) return { ok: true, path: candidate, source: "PATH" };
  }
  return {
    ok: false,
    message: `The gochallenge helper was not found: not bundled with the extension (${bundled}) and no \`${binary}\` on PATH. Install it with \`go install\` or build it (\`go build -o bin/gochallenge ./server/cmd/gochallenge\` in the gochallenge repository), or set gochallenge.helperPath.`,
  };
}
