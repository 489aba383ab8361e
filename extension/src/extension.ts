// The VS Code shell around the gochallenge helper. Everything the learner
// sees comes from the helper (`gochallenge serve`): diagnostics and code
// lenses through plain LSP, the tree, hints, statements and progress through
// its custom methods (server/internal/lsp/PROTOCOL.md). Decisions about
// content live in the helper or in the vscode-free modules beside this file.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import { LanguageClient, State, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

import {
  Methods,
  ServerCommands,
  type CheckResponse,
  type ResetResponse,
  type RunningParams,
  type StatementResponse,
  type StatusChangedParams,
} from "./helperProtocol";
import { DashboardPanel } from "./dashboardPanel";
import { environmentProblem } from "./environment";
import { diffTitle, presentSolutionResponse, revealAnywayButton, solutionDocumentPath, solutionScheme } from "./solution";
import { resolveHelperPath, type HelperResolution } from "./helperPath";
import { summarizeBenchmark } from "./benchmarkReport";
import { presentHintResponse, showEarlyButton } from "./hints";
import { progressReport, statusBarContent } from "./progressReport";
import { buildTreeModel, challengeForFile, nextChallenge, type ChallengeNode, type SectionNode, type TreeModel } from "./treeModel";

const viewId = "gochallenge.challenges";
const activeContextKey = "gochallenge.active";

type Node = SectionNode | ChallengeNode;

class ChallengeTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  model: TreeModel = buildTreeModel(undefined);

  show(model: TreeModel): void {
    this.model = model;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.model.sections;
    return node.kind === "section" ? node.challenges : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === "section") {
      const item = new vscode.TreeItem(
        node.name,
        node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.description = node.description;
      item.contextValue = "section";
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.colorId ? new vscode.ThemeColor(node.icon.colorId) : undefined);
    item.contextValue = "challenge";
    item.command = { command: "gochallenge.openStatement", title: "Open Statement", arguments: [node] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

class GoChallengeExtension implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private client: LanguageClient | undefined;
  private readonly tree = new ChallengeTreeProvider();
  private readonly view: vscode.TreeView<Node>;
  private readonly statusBar = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private readonly output = vscode.window.createOutputChannel("Go Challenges");
  private readonly running = new Set<string>();
  // Reference solutions shown this session, by virtual document URI.
  private readonly solutions = new Map<string, string>();
  private readonly solutionChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.solutionChanged.event;
  private lastTreeResponse: unknown;
  private readonly dashboard = new DashboardPanel(
    // Quiet: a refresh from a notification must not warn when the helper is down.
    async () => (this.client?.isRunning() ? this.client.sendRequest(Methods.progress, {}) : undefined),
    (id) => void this.openStatement(id),
  );
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this.tree, showCollapseAll: true });
    this.statusBar.command = "workbench.view.extension.gochallenge";
    this.disposables.push(this.tree, this.view, this.statusBar, this.output, this.solutionChanged, this.dashboard);
  }

  async start(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      // Limited support: the helper runs learner code (go test) on every
      // save, so in an untrusted folder it is not started at all.
      this.view.message =
        "This folder is not trusted, so Go Challenges runs nothing here: no tests, no race checks, no benchmarks. Trust the folder (Workspace Trust: Manage Workspace Trust) to start.";
      this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.start()));
      return;
    }
    const helper = this.resolveHelper();
    if (!helper.ok) {
      this.view.message = helper.message;
      void vscode.window.showErrorMessage(helper.message);
      return;
    }
    this.view.message = undefined;
    const serverOptions: ServerOptions = { command: helper.path, args: ["serve"] };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: "file", language: "go", pattern: "**/*.go" }],
      outputChannel: this.output,
      // The helper reads these at initialize; a settings change restarts
      // the client (see below), so they always match what the user chose.
      initializationOptions: this.initializationOptions(),
    };
    const client = new LanguageClient("gochallenge", "Go Challenges", serverOptions, clientOptions);
    this.client = client;
    // A benchmark run from a code lens reports here: a notification with
    // the gated result, and every benchmark in the output channel.
    client.onNotification(Methods.benchmarkResult, (result: unknown) => this.showBenchmark(result));
    client.onNotification(Methods.statusChanged, (_change: StatusChangedParams) => void this.refresh());
    // Saves, lenses and commands all announce their runs: the tree spins.
    client.onNotification(Methods.running, (run: RunningParams) => {
      if (run.running) this.running.add(run.challenge);
      else this.running.delete(run.challenge);
      this.tree.show(buildTreeModel(this.lastTreeResponse, this.running));
    });
    // vscode-languageclient restarts a crashed helper by itself; when it is
    // running again, the tree is fetched afresh.
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) void this.refresh();
    });
    try {
      await client.start();
    } catch (error) {
      this.view.message = `The gochallenge helper (${helper.path}) did not start: ${String(error)}`;
      return;
    }
    await vscode.commands.executeCommand("setContext", activeContextKey, true);
    await this.checkEnvironment(client);
  }

  // The helper says a missing or old Go once, as a notification; the tree
  // keeps saying it, because every run would fail until it is fixed.
  private async checkEnvironment(client: LanguageClient): Promise<void> {
    try {
      const problem = environmentProblem(await client.sendRequest(Methods.environment, null));
      if (problem) this.view.message = problem;
    } catch (error) {
      this.output.appendLine(`toolchain check: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop().catch(() => undefined);
    await vscode.commands.executeCommand("setContext", activeContextKey, false);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private initializationOptions() {
    const config = vscode.workspace.getConfiguration("gochallenge");
    return {
      raceOnSave: config.get<boolean>("raceOnSave", true),
      debounceMs: config.get<number>("debounceMs", 50),
      timeoutSeconds: config.get<number>("timeoutSeconds", 0),
    };
  }

  private resolveHelper(): HelperResolution {
    return resolveHelperPath({
      setting: vscode.workspace.getConfiguration("gochallenge").get<string>("helperPath", ""),
      extensionRoot: this.context.extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      homeDir: os.homedir(),
      envPath: process.env.PATH ?? "",
      platform: process.platform,
      isExecutableFile: (file) => {
        try {
          fs.accessSync(file, fs.constants.X_OK);
          return fs.statSync(file).isFile();
        } catch {
          return false;
        }
      },
    });
  }

  private async request<T>(method: string, params: unknown): Promise<T | undefined> {
    if (!this.client || !this.client.isRunning()) {
      void vscode.window.showWarningMessage(
        vscode.workspace.isTrusted ? "The gochallenge helper is not running." : "Go Challenges runs nothing in an untrusted folder.",
      );
      return undefined;
    }
    try {
      return await this.client.sendRequest<T>(method, params);
    } catch (error) {
      void vscode.window.showErrorMessage(`Go Challenges: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async refresh(): Promise<void> {
    if (!this.client?.isRunning()) return;
    try {
      this.lastTreeResponse = await this.client.sendRequest(Methods.tree, {});
      this.tree.show(buildTreeModel(this.lastTreeResponse, this.running));
      const progress = await this.client.sendRequest(Methods.progress, {});
      const content = statusBarContent(progress);
      this.statusBar.text = content.text;
      this.statusBar.tooltip = content.tooltip;
      this.statusBar.show();
      void this.dashboard.refresh(progress);
    } catch (error) {
      // -32803: no challenge workspace among the open folders.
      this.view.message = `The helper has no challenge tree here: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // A command from a tree item gets the node; from the palette, the
  // challenge of the active editor, else today's.
  private currentChallenge(node?: ChallengeNode): string | undefined {
    if (node?.kind === "challenge") return node.id;
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    return (file && challengeForFile(this.tree.model, file)) || this.tree.model.today;
  }

  async openStatement(node?: ChallengeNode | string): Promise<void> {
    const id = typeof node === "string" ? node : this.currentChallenge(node);
    if (!id) return;
    const statement = await this.request<StatementResponse>(Methods.statement, { challenge: id });
    if (!statement) return;
    await vscode.window.showTextDocument(vscode.Uri.file(statement.mainFile), { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand("markdown.showPreviewToSide", vscode.Uri.file(statement.readme));
  }

  async showHint(node?: ChallengeNode): Promise<void> {
    const id = this.currentChallenge(node);
    if (!id) return;
    const response = await this.request(Methods.hint, { challenge: id });
    if (response === undefined) return; // request() has told the learner why
    const presented = presentHintResponse(id, response);
    if (!presented.offerEarly) {
      this.output.appendLine(`${presented.title}\n${presented.message}\n`);
      await vscode.window.showInformationMessage(presented.title, { modal: true, detail: presented.message });
      return;
    }
    const choice = await vscode.window.showInformationMessage(presented.title, { modal: true, detail: presented.message }, showEarlyButton);
    if (choice !== showEarlyButton) return;
    const earlyResponse = await this.request(Methods.hint, { challenge: id, level: presented.level, early: true });
    if (earlyResponse === undefined) return;
    const early = presentHintResponse(id, earlyResponse);
    this.output.appendLine(`${early.title}\n${early.message}\n`);
    await vscode.window.showInformationMessage(early.title, { modal: true, detail: early.message });
  }

  runTests(node?: ChallengeNode): Promise<void> {
    return this.runCheck(ServerCommands.check, node);
  }

  // A race check runs the race detector with the tests repeated, even when
  // "race on save" is off or the challenge does not ask for one.
  runRaceCheck(node?: ChallengeNode): Promise<void> {
    return this.runCheck(ServerCommands.raceCheck, node);
  }

  private async runCheck(command: string, node?: ChallengeNode): Promise<void> {
    const id = this.currentChallenge(node);
    if (!id) return;
    const result = await this.request<CheckResponse>("workspace/executeCommand", { command, arguments: [id] });
    if (result?.status) {
      const why = result.why ? `: ${result.why}` : "";
      const show = result.status === "done" || result.status === "passing" ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void show(`${result.challenge}: ${result.status}${why}`);
    }
    await this.refresh();
  }

  // revealSolution shows the reference solution as a diff against the
  // learner's files, once the helper allows it (after passing, or after
  // every hint and a confirmation it records).
  async revealSolution(node?: ChallengeNode): Promise<void> {
    const id = this.currentChallenge(node);
    if (!id) return;
    let presented = presentSolutionResponse(id, await this.request(Methods.solution, { challenge: id }));
    if (presented.kind === "locked" && presented.canConfirm) {
      const choice = await vscode.window.showWarningMessage(
        `Reveal the reference solution of ${id}?`,
        { modal: true, detail: `${presented.message}\n\nSeeing it before your own solution passes is recorded in your progress.` },
        revealAnywayButton,
      );
      if (choice !== revealAnywayButton) return;
      presented = presentSolutionResponse(id, await this.request(Methods.solution, { challenge: id, confirm: true }));
    }
    if (presented.kind !== "files") {
      void vscode.window.showInformationMessage(presented.message, { modal: true });
      return;
    }
    // The main file last, so its diff is the active tab.
    for (const file of [...presented.files].reverse()) {
      const reference = vscode.Uri.from({ scheme: solutionScheme, path: solutionDocumentPath(presented.challenge, file) });
      this.solutions.set(reference.toString(), file.reference);
      this.solutionChanged.fire(reference);
      const yours = vscode.Uri.file(file.path);
      const exists = await vscode.workspace.fs.stat(yours).then(
        () => true,
        () => false,
      );
      if (exists) await vscode.commands.executeCommand("vscode.diff", reference, yours, diffTitle(file), { preview: false });
      else await vscode.window.showTextDocument(reference, { preview: false });
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.solutions.get(uri.toString()) ?? "// Reveal the reference solution again (Go Challenges: Reveal Reference Solution) to see it.\n";
  }

  showBenchmark(result: unknown): void {
    void this.dashboard.refresh();
    const summary = summarizeBenchmark(result);
    for (const line of summary.lines) this.output.appendLine(line);
    const show = summary.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(summary.headline, "Show Output").then((choice) => {
      if (choice) this.output.show(true);
    });
  }

  // runBenchmark offers the active file's "run benchmark" code lenses (the
  // server's, so the names and targets are the helper's) and runs the pick.
  async runBenchmark(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage("Open a challenge's benchmark file (bench_test.go) to pick a benchmark.");
      return;
    }
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", editor.document.uri, 10)) ?? [];
    const benchmarks = lenses.filter((l) => l.command?.command === ServerCommands.runBenchmark);
    if (benchmarks.length === 0) {
      void vscode.window.showInformationMessage("No benchmarks in this file: open the challenge's bench_test.go.");
      return;
    }
    const pick = await vscode.window.showQuickPick(
      benchmarks.map((l) => ({ label: String(l.command?.arguments?.[1] ?? "benchmark"), description: l.command?.title, lens: l })),
      { placeHolder: "Run which benchmark?" },
    );
    if (!pick?.lens.command) return;
    await vscode.commands.executeCommand(pick.lens.command.command, ...(pick.lens.command.arguments ?? []));
  }

  async resetChallenge(node?: ChallengeNode): Promise<void> {
    const id = this.currentChallenge(node);
    if (!id) return;
    const confirm = "Reset";
    const choice = await vscode.window.showWarningMessage(
      `Reset ${id} to its starting files?`,
      { modal: true, detail: "Your current files are moved to a backup folder first (.gochallenge/backups/)." },
      confirm,
    );
    if (choice !== confirm) return;
    const result = await this.request<ResetResponse>(Methods.reset, { challenge: id });
    if (result) void vscode.window.showInformationMessage(`${id} is reset. Your previous files are in ${result.backup}.`);
  }

  async nextChallenge(): Promise<void> {
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    const current = file ? challengeForFile(this.tree.model, file) : undefined;
    const next = nextChallenge(this.tree.model, current);
    if (!next) {
      void vscode.window.showInformationMessage("Every challenge is done.");
      return;
    }
    await this.openStatement(next);
  }

  // showProgress opens the dashboard; the text report goes to the output
  // channel too, for screen readers and copying.
  async showProgress(): Promise<void> {
    const progress = await this.request(Methods.progress, {});
    if (progress === undefined) return;
    this.output.appendLine(progressReport(progress));
    await this.dashboard.show(progress);
  }

  async createWorkspace(): Promise<void> {
    const helper = this.resolveHelper();
    if (!helper.ok) {
      void vscode.window.showErrorMessage(helper.message);
      return;
    }
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: "Create challenge workspace here",
      title: "Choose an empty folder for the challenges",
    });
    const folder = picked?.[0];
    if (!folder) return;
    // `init` only copies the embedded curriculum; it runs no learner code,
    // so it is allowed in an untrusted window too.
    const failure = await new Promise<string | undefined>((resolve) =>
      execFile(helper.path, ["init", folder.fsPath], (error, _stdout, stderr) => resolve(error ? stderr || error.message : undefined)),
    );
    if (failure) {
      void vscode.window.showErrorMessage(`gochallenge init failed: ${failure}`);
      return;
    }
    await vscode.commands.executeCommand("vscode.openFolder", folder, { forceNewWindow: false });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

let extension: GoChallengeExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const instance = new GoChallengeExtension(context);
  extension = instance;
  context.subscriptions.push(
    instance,
    vscode.commands.registerCommand("gochallenge.openStatement", (node?: ChallengeNode) => instance.openStatement(node)),
    vscode.commands.registerCommand("gochallenge.showHint", (node?: ChallengeNode) => instance.showHint(node)),
    vscode.commands.registerCommand("gochallenge.runTests", (node?: ChallengeNode) => instance.runTests(node)),
    vscode.commands.registerCommand("gochallenge.runRaceCheck", (node?: ChallengeNode) => instance.runRaceCheck(node)),
    vscode.commands.registerCommand("gochallenge.revealSolution", (node?: ChallengeNode) => instance.revealSolution(node)),
    vscode.workspace.registerTextDocumentContentProvider(solutionScheme, instance),
    vscode.commands.registerCommand("gochallenge.resetChallenge", (node?: ChallengeNode) => instance.resetChallenge(node)),
    vscode.commands.registerCommand("gochallenge.nextChallenge", () => instance.nextChallenge()),
    vscode.commands.registerCommand("gochallenge.showProgress", () => instance.showProgress()),
    vscode.commands.registerCommand("gochallenge.runBenchmarkPick", () => instance.runBenchmark()),
    vscode.commands.registerCommand("gochallenge.createWorkspace", () => instance.createWorkspace()),
    vscode.commands.registerCommand("gochallenge.refreshTree", () => instance.refresh()),
    // The settings go to the helper at initialize, so a change means a restart.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("gochallenge")) void instance.restart();
    }),
  );
  await instance.start();
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}
