import {
  languages,
  LanguageStatusSeverity,
  type Disposable,
  type DocumentSelector,
  type LanguageStatusItem,
  l10n,
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
    this.item.name = l10n.t('Session Lint');
    this.show(l10n.t('Session Lint'), l10n.t('starting'), true);
  }

  watch(client: LanguageClient): void {
    this.subscriptions.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Stopped)
          this.show(
            l10n.t('Session Lint: stopped'),
            l10n.t('run "Session Lint: Restart server"'),
            false,
            LanguageStatusSeverity.Error,
            'sessionlint.restartServer',
            l10n.t('Restart'),
          );
        if (e.newState === State.Starting) this.show(l10n.t('Session Lint'), l10n.t('starting'), true);
      }),
      client.onNotification(
        'sessionlint/status',
        (p: { state: 'scanning' | 'ready'; findings: number; files: number }) => {
          if (p.state === 'scanning') this.show(l10n.t('Session Lint'), l10n.t('scanning the workspace'), true);
          else
            this.show(
              p.findings === 1 ? l10n.t('Session Lint: 1 problem') : l10n.t('Session Lint: {0} problems', p.findings),
              p.files === 1 ? l10n.t('1 file read') : l10n.t('{0} files read', p.files),
              false,
              LanguageStatusSeverity.Information,
              'workbench.actions.view.problems',
              l10n.t('Show problems'),
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
