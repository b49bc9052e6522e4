import {
  languages,
  LanguageStatusSeverity,
  type Disposable,
  type DocumentSelector,
  type LanguageStatusItem,
} from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

/**
 * A language status item, as the Python and TypeScript extensions show theirs: named, next to
 * the language in the status bar, and only while a file Session Lint reads is active, so a
 * Python workspace without Flask is not given a badge. While a scan runs it shows no count:
 * a figure from a half-read project would be wrong.
 */
export class StatusItem implements Disposable {
  private readonly item: LanguageStatusItem;
  private readonly subscriptions: Disposable[] = [];

  constructor(selector: DocumentSelector) {
    this.item = languages.createLanguageStatusItem('sessionlint.status', selector);
    this.item.name = 'Session Lint';
    this.show('Session Lint', 'starting', true);
  }

  watch(client: LanguageClient): void {
    this.subscriptions.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Stopped)
          this.show(
            'Session Lint: stopped',
            'run "Session Lint: Restart server"',
            false,
            LanguageStatusSeverity.Error,
            'sessionlint.restartServer',
            'Restart',
          );
        if (e.newState === State.Starting) this.show('Session Lint', 'starting', true);
      }),
      client.onNotification(
        'sessionlint/status',
        (p: { state: 'scanning' | 'ready'; findings: number; files: number }) => {
          if (p.state === 'scanning') this.show('Session Lint', 'scanning the workspace', true);
          else
            this.show(
              `Session Lint: ${p.findings} problem${p.findings === 1 ? '' : 's'}`,
              `${p.files} file${p.files === 1 ? '' : 's'} read`,
              false,
              LanguageStatusSeverity.Information,
              'workbench.actions.view.problems',
              'Show problems',
            );
        },
      ),
    );
  }

  /** The item's text, detail and state; a command link when there is something to do. */
  private show(
    text: string,
    detail: string,
    busy: boolean,
    severity = LanguageStatusSeverity.Information,
    command?: string,
    title?: string,
  ): void {
    this.item.text = text;
    this.item.detail = detail;
    this.item.busy = busy;
    this.item.severity = severity;
    this.item.command = command && title ? { command, title } : undefined;
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
