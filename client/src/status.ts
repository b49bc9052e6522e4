import { StatusBarAlignment, window, type Disposable, type StatusBarItem } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

/** The status bar item: the server's state and the number of findings; opens Problems. */
export class StatusItem implements Disposable {
  private readonly item: StatusBarItem = window.createStatusBarItem('sessionlint.status', StatusBarAlignment.Left, 10);
  private readonly subscriptions: Disposable[] = [];

  constructor() {
    this.item.name = 'Session Lint';
    this.item.command = 'workbench.actions.view.problems';
    this.show('$(sync~spin) Session Lint', 'Starting');
  }

  watch(client: LanguageClient): void {
    this.subscriptions.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Stopped) this.show('$(error) Session Lint', 'The server stopped: run "Session Lint: Restart server"');
        if (e.newState === State.Starting) this.show('$(sync~spin) Session Lint', 'Starting');
      }),
      client.onNotification('sessionlint/status', (p: { state: 'scanning' | 'ready'; findings: number; files: number }) => {
        if (p.state === 'scanning') this.show('$(sync~spin) Session Lint', 'Scanning the workspace');
        else this.show(`$(shield) ${p.findings}`, `Session Lint: ${p.findings} finding${p.findings === 1 ? '' : 's'} in ${p.files} files read. Click to open Problems.`);
      }),
    );
  }

  private show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
