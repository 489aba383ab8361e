// The webview panel that shows the Progress dashboard (dashboard.ts builds
// the page). One panel at most: a second Show Progress reveals it.

import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

import { isDashboardMessage, renderDashboard } from "./dashboard";

export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = "gochallenge.dashboard";

  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private hasContent = false;
  // Renders overlap when a refresh arrives during a slow fetch; only the
  // newest may write the page, or an older answer would replace a newer one.
  private renderGeneration = 0;

  constructor(
    private readonly fetchProgress: () => Promise<unknown | undefined>,
    private readonly openChallenge: (id: string) => void,
  ) {}

  /** Creates or reveals the panel; pass the progress answer when the caller already has it. */
  async show(progress?: unknown): Promise<void> {
    if (this.panel) this.panel.reveal(vscode.ViewColumn.Active);
    else this.panel = this.createPanel();
    await this.render(progress !== undefined ? progress : this.fetchQuietly());
  }

  /** Re-renders an open panel; pass the progress answer when the caller already has it. */
  async refresh(progress?: unknown): Promise<void> {
    if (!this.panel) return;
    await this.render(progress !== undefined ? progress : this.fetchQuietly());
  }

  dispose(): void {
    this.panel?.dispose(); // onDidDispose releases the rest
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, "Go Challenges: Progress", vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.iconPath = new vscode.ThemeIcon("mortar-board");
    panel.webview.onDidReceiveMessage(
      (message: unknown) => {
        if (isDashboardMessage(message)) this.openChallenge(message.challenge);
      },
      undefined,
      this.panelDisposables,
    );
    panel.onDidDispose(() => this.forgetPanel(), undefined, this.panelDisposables);
    return panel;
  }

  private forgetPanel(): void {
    this.panel = undefined;
    this.hasContent = false;
    for (const disposable of this.panelDisposables) disposable.dispose();
    this.panelDisposables = [];
  }

  // A refresh comes from notifications; a failed fetch there must not become
  // an unhandled rejection.
  private async fetchQuietly(): Promise<unknown | undefined> {
    try {
      return await this.fetchProgress();
    } catch {
      return undefined;
    }
  }

  private async render(progress: unknown | Promise<unknown | undefined>): Promise<void> {
    const generation = ++this.renderGeneration;
    const answer = await progress;
    const panel = this.panel;
    if (!panel || generation !== this.renderGeneration) return;
    // With the helper briefly unreachable, the last good page beats an empty one.
    if (answer === undefined && this.hasContent) return;
    const nonce = randomBytes(16).toString("base64");
    panel.webview.html = renderDashboard(answer, { nonce, cspSource: panel.webview.cspSource, now: new Date() });
    this.hasContent = true;
  }
}
