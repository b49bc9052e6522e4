import { type Disposable, type DocumentSelector } from 'vscode';
import { type LanguageClient } from 'vscode-languageclient/node';
/**
 * A language status item, as the Python and TypeScript extensions show theirs: named, next to
 * the language in the status bar, and only while a file Session Lint reads is active, so a
 * Python workspace without Flask is not given a badge. While a scan runs it shows no count:
 * a figure from a half-read project would be wrong.
 */
export declare class StatusItem implements Disposable {
  private readonly item;
  private readonly subscriptions;
  constructor(selector: DocumentSelector);
  watch(client: LanguageClient): void;
  /** The item's text, detail and state; a command link when there is something to do. */
  private show;
  dispose(): void;
}
