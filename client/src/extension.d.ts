import { type ExtensionContext } from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { ChainView } from './chain-view';
/** What the commands need: the running client, replaced on restart. */
export interface ClientHolder {
  client?: LanguageClient;
  context: ExtensionContext;
}
/** What the extension gives other extensions and its own tests. */
export interface SessionLintApi {
  chainView: ChainView;
}
export declare function activate(context: ExtensionContext): Promise<SessionLintApi>;
export declare function deactivate(): Promise<void>;
