import * as path from 'node:path';
import { commands, workspace, window, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { PROJECT_FILE_GLOBS } from '../../server/src/core/files';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/node-flags';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Files the server's project model reads: synced when open, watched when not. */
const WATCHED = `{${PROJECT_FILE_GLOBS.join(',')}}`;

let client: LanguageClient | undefined;

// The thin client: start the bundled server, forward file events, offer two commands.
export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('Session Lint', { log: true });
  context.subscriptions.push(
    output,
    commands.registerCommand('sessionlint.restartServer', async () => {
      await client?.stop();
      client = createClient(context, output);
      await client.start();
    }),
    commands.registerCommand('sessionlint.showOutput', () => output.show(true)),
  );
  client = createClient(context, output);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function createClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'dotenv' },
      { scheme: 'file', pattern: WATCHED },
    ],
    synchronize: { fileEvents: workspace.createFileSystemWatcher(WATCHED) },
    outputChannel: output,
  };
  return new LanguageClient('sessionlint', 'Session Lint', serverOptions, clientOptions);
}
