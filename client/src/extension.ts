import * as path from 'node:path';
import {
  commands,
  Uri,
  workspace,
  window,
  type Diagnostic,
  type ExtensionContext,
  type LogOutputChannel,
  l10n,
} from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { PROJECT_FILE_GLOBS } from '../../server/src/core/files';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/node-flags';
import { ChainView } from './chain-view';
import { explainRule, fixAll, fixApplied, generateSecretKey, scanWorkspace, type FixApplied } from './commands';
import { registerNginxHighlighting } from './nginx-highlighting';
import { StatusItem } from './status';

/** Files the server's project model reads: synced when open, watched when not. */
const WATCHED = `{${PROJECT_FILE_GLOBS.join(',')}}`;

/** The documents the server lints: every file kind the project model reads. */
const SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', language: 'dotenv' },
  { scheme: 'file', pattern: WATCHED },
];

/** What the commands need: the running client, replaced on restart. */
export interface ClientHolder {
  client?: LanguageClient;
  context: ExtensionContext;
}

/** What the extension gives other extensions and its own tests. */
export interface SessionLintApi {
  chainView: ChainView;
}

// The thin client: start the bundled server, forward file events, a status item, commands and the chain view.
export async function activate(context: ExtensionContext): Promise<SessionLintApi> {
  const output = window.createOutputChannel(l10n.t('Session Lint'), { log: true });
  const status = new StatusItem(SELECTOR);
  const holder: ClientHolder = { context };
  const start = async () => {
    holder.client = createClient(context, output);
    status.watch(holder.client);
    await holder.client.start();
  };
  context.subscriptions.push(
    output,
    status,
    commands.registerCommand('sessionlint.restartServer', async () => {
      await holder.client?.stop();
      await start();
    }),
    commands.registerCommand('sessionlint.showOutput', () => output.show(true)),
    commands.registerCommand('sessionlint.scanWorkspace', () => scanWorkspace(holder)),
    commands.registerCommand('sessionlint.generateSecretKey', (preset?: Parameters<typeof generateSecretKey>[1]) =>
      generateSecretKey(holder, preset),
    ),
    commands.registerCommand('sessionlint.explainRule', (ruleId?: string) => explainRule(holder, ruleId)),
    commands.registerCommand('sessionlint.fixAll', fixAll),
    commands.registerCommand('sessionlint.fixApplied', (notice: FixApplied) => fixApplied(notice)),
    { dispose: () => void holder.client?.stop() },
  );
  await start();
  const chainView = new ChainView(holder);
  context.subscriptions.push(
    chainView,
    commands.registerCommand('sessionlint.showChain', async () => {
      await commands.executeCommand('sessionlint.chain.focus');
      await chainView.refresh();
    }),
    commands.registerCommand('sessionlint.refreshChain', () => chainView.refresh()),
  );
  const nginx = await registerNginxHighlighting();
  if (nginx) context.subscriptions.push(nginx);
  return { chainView };
}

export async function deactivate(): Promise<void> {
  // The subscription above stops the client.
}

/**
 * The server links each diagnostic to its rule's page shipped as Markdown; opened as a file
 * it would be an editable source tab. In VS Code the link runs "Explain rule", which renders
 * it, from Problems and from hover alike.
 */
function renderedDocsLink(diagnostic: Diagnostic): Diagnostic {
  const code = diagnostic.code;
  if (typeof code !== 'object' || code.target.scheme !== 'file' || !/^SL\d{3}$/.test(String(code.value)))
    return diagnostic;
  diagnostic.code = {
    value: code.value,
    target: Uri.parse(`command:sessionlint.explainRule?${encodeURIComponent(JSON.stringify([code.value]))}`),
  };
  return diagnostic;
}

function createClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    synchronize: { fileEvents: workspace.createFileSystemWatcher(WATCHED) },
    initializationOptions: { explainCommand: true },
    outputChannel: output,
    middleware: { handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(renderedDocsLink)) },
  };
  return new LanguageClient('sessionlint', l10n.t('Session Lint'), serverOptions, clientOptions);
}
