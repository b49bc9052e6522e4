import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  PublishDiagnosticsParams,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { DIST } from './paths';

export interface ClientOptions {
  /** Answer to workspace/configuration (null imitates eglot). */
  settings?: unknown;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
}

/** A language client over the server's real stdio, as Neovim or eglot would drive it. */
export class LspClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  settings: unknown;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    this.child = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onNotification('window/showMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.listen();
  }

  async initialize(folders: string[], options: ClientOptions = {}): Promise<void> {
    const capabilities: ClientCapabilities = options.capabilities ?? {
      workspace: {
        configuration: true,
        workspaceFolders: true,
        workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        didChangeConfiguration: { dynamicRegistration: true },
      },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
      },
    };
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      workspaceFolders: folders.map((f) => ({ uri: uri(f), name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
    });
    const ready = this.waitForNotification('sessionlint/status', (p: { state: string }) => p.state === 'ready');
    await this.connection.sendNotification('initialized', {});
    await ready;
  }

  waitForNotification<T>(method: string, predicate: (p: T) => boolean, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} within ${timeoutMs} ms; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      const disposable = this.connection.onNotification(method, (p: T) => {
        if (!predicate(p)) return;
        clearTimeout(timer);
        disposable.dispose();
        resolve(p);
      });
    });
  }

  /** Polls until the file's diagnostics satisfy `predicate` (never a fixed sleep). */
  async waitForDiagnostics(
    file: string,
    predicate: (d: Diagnostic[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri(file))?.diagnostics;
      if (current && predicate(current)) return current;
      if (Date.now() > deadline)
        throw new Error(
          `diagnostics of ${file} never matched; last: ${JSON.stringify(current)}; stderr: ${this.stderr}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  open(file: string, text: string, languageId = 'python', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(file), languageId, version, text },
    });
  }

  change(file: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(file), version },
      contentChanges: changes,
    });
  }

  codeActions(file: string, range: Diagnostic['range'], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(file) },
      range,
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });
  }

  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    return new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  kill(): void {
    this.child.kill();
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).href;
}

export type { WorkspaceEdit };
