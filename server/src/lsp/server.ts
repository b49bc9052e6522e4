import { chainsOf } from './chain';
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { createParsers } from '../node/parser';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { RULES } from '../core/rules/index';
import { generateSecretEdit } from './generate-secret';
import { hover } from './hover';
import { Session } from './session';
import { VERSION } from '../version';

/**
 * Wires the LSP methods to a Session. Handlers never throw at the client: a failure is
 * logged and answered with an empty result. Diagnostics are pushed (every client supports
 * that, Neovim and eglot included), for open documents and unopened files alike.
 */
export function startServer(connection: Connection): void {
  let session: Session | undefined;
  const guard =
    <A extends unknown[], R>(name: string, fallback: R, fn: (s: Session, ...a: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (!session) return fallback;
      try {
        return await fn(session, ...args);
      } catch (e) {
        connection.console.error(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
        return fallback;
      }
    };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    session = new Session(connection, await createParsers());
    session.initialize(params);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'sessionlint', version: VERSION },
    };
  });

  connection.onInitialized(
    guard('initialized', undefined, async (s) => {
      if (s.configurationRequests)
        void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
      if (s.workspaceFolderEvents) connection.workspace.onDidChangeWorkspaceFolders(folderHandler);
      await s.refreshSettings();
      await s.scanAll();
    }),
  );

  const folderHandler = guard('didChangeWorkspaceFolders', undefined, async (s, e: WorkspaceFoldersChangeEvent) => {
    for (const f of e.removed) s.removeFolder(f.uri);
    const added = e.added.map((f) => s.addFolder(f.uri)).filter((ws) => ws !== undefined);
    await s.refreshSettings();
    for (const ws of added) {
      await s.loadWorkspace(ws);
      s.lintAndPublish(ws);
    }
  });

  connection.onDidOpenTextDocument(
    guard('didOpen', undefined, (s, p) => {
      const opened = s.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
      if (opened) s.lintAndPublish(opened.ws, opened.path);
    }),
  );

  connection.onDidChangeTextDocument(
    guard('didChange', undefined, (s, p) => {
      const doc = s.documents.get(p.textDocument.uri);
      if (!doc) return;
      const started = performance.now();
      const ws = s.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
      // With `sessionlint.run` set to onSave the model follows every edit, but lints on save.
      if (ws && ws.editor.run === 'onType') s.lintAndPublish(ws, doc.path);
      s.recordEdit(performance.now() - started);
    }),
  );

  connection.onDidSaveTextDocument(
    guard('didSave', undefined, (s, p) => {
      const doc = s.documents.get(p.textDocument.uri);
      const ws = doc && s.workspaceFor(doc.path);
      if (doc && ws?.editor.run === 'onSave') s.lintAndPublish(ws, doc.path);
    }),
  );

  connection.onDidCloseTextDocument(
    guard('didClose', undefined, async (s, p) => {
      const ws = await s.close(p.textDocument.uri);
      if (ws) s.lintAndPublish(ws);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', undefined, async (s, p) => {
      const touched = new Set<ReturnType<Session['workspaceFor']>>();
      for (const change of p.changes) {
        const ws = await s.fileChanged(change.uri);
        if (ws) touched.add(ws);
      }
      for (const ws of touched) s.lintAndPublish(ws);
    }),
  );

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, async (s, p) => {
      if (!s.configurationRequests) {
        const settings = (p.settings as { sessionlint?: object } | null)?.sessionlint;
        if (settings) s.initSettings = settings;
      }
      // Another configuration file is read from disk first; other settings only re-lint.
      for (const ws of await s.refreshSettings()) await s.loadWorkspace(ws);
      for (const ws of s.workspaces.values()) s.lintAndPublish(ws);
    }),
  );

  connection.onCodeAction(guard('codeAction', [], (s, p) => codeActions(s, p)));
  connection.onHover(guard('hover', null, (s, p) => hover(s, p)));

  // Extensions of the protocol used by the VS Code client's commands.
  connection.onRequest(
    'sessionlint/scanWorkspace',
    guard('scanWorkspace', null, async (s) => {
      await s.scanAll();
      return { files: [...s.workspaces.values()].reduce((n, ws) => n + ws.project.size, 0) };
    }),
  );
  connection.onRequest(
    'sessionlint/rules',
    guard('rules', [], () => RULES.map((r) => ({ id: r.id, name: r.name, summary: r.summary }))),
  );
  connection.onRequest(
    'sessionlint/generateSecret',
    guard('generateSecret', null, (s, p: { folderUri: string; variable?: string }) =>
      generateSecretEdit(s, p.folderUri, p.variable),
    ),
  );

  // The Session chain view: each app's request path, from the current model and findings.
  connection.onRequest(
    'sessionlint/chain',
    guard('chain', { apps: [] }, (s) => chainsOf(s)),
  );

  // Figures for the benchmark and for bug reports: no file contents, no secrets.
  connection.onRequest(
    'sessionlint/stats',
    guard('stats', null, (s) => ({
      files: [...s.workspaces.values()].reduce((n, ws) => n + ws.project.size, 0),
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      rssMB: process.memoryUsage().rss / 1024 / 1024,
      heapUsedMB: process.memoryUsage().heapUsed / 1024 / 1024,
      editMs: s.editMs,
    })),
  );

  connection.onShutdown(() => session?.dispose());
  connection.listen();
}
