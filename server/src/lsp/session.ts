import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Connection, InitializeParams, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { CONFIG_FILES, effectiveKind, fileKindOf } from '../core/files';
import { isNodeScript } from '../core/project';
import { ensureNodeParsers } from '../node/parser';
import type { Parsers } from '../core/parse/parsers';
import { basename } from '../core/paths';
import { VERSION } from '../version';
import type { EditorSettings } from '../core/settings';
import type { Content } from '../core/text';
import type { TextChange } from '../core/types';
import { corePathToUri, toCorePath, toFsPath, uriToCorePath } from '../node/paths';
import { DEFAULT_MAX_FILE_SIZE, formatSize, readSourceFile } from '../node/read';
import { DEFAULT_EXCLUDES } from '../node/walk';
import { toDiagnostic, type EditSupport } from './convert';
import { DocumentText } from './document-text';
import { DEFAULT_EDITOR_SETTINGS, Workspace } from './workspace';

/** How long configuration events are gathered before one rescan. */
const RELOAD_DELAY_MS = 150;
/** How long typing pauses before a document with a syntax error is parsed whole (see settle()). */
const SETTLE_DELAY_MS = 300;
/** Edit times the stats request reports (a benchmark replays 400 edits per document). */
const EDIT_TIMES_KEPT = 2000;

/** An open editor document: its text is what the user sees, not what is on disk. */
interface OpenDocument {
  uri: string;
  path: string;
  version: number;
  /** The editor's copy, changed by each edit. */
  content: DocumentText;
  /** The current version, as the model is given it. */
  text: Content;
}

/** All server state, passed to every handler; nothing lives at module level. */
export class Session {
  readonly workspaces = new Map<string, Workspace>();
  readonly documents = new Map<string, OpenDocument>();
  /** Files already reported as skipped, so the log says it once. */
  private readonly noted = new Set<string>();
  /** Open documents the parser refuses, with the note already logged for each. */
  private readonly refused = new Map<string, string>();
  /** The JavaScript grammars' load, started by the first script opened (see loadGrammarsThenLint). */
  private grammarsLoading?: Promise<void>;
  /** Whole parses waiting for typing to pause, per document URI. */
  private readonly settling = new Map<string, ReturnType<typeof setTimeout>>();
  /** Last published diagnostics per URI, to publish only what changed. */
  private readonly published = new Map<string, string>();
  /** The last status sent: a keystroke that changes no count sends none. */
  private lastStatus = '';
  /** The server's own time for each of the last edits (change and re-lint), for the benchmark. */
  readonly editMs: number[] = [];
  editSupport: EditSupport = { documentChanges: false, createFiles: false };
  relatedInformation = false;
  configurationRequests = false;
  workspaceFolderEvents = false;
  initSettings: Partial<EditorSettings> | undefined;
  /** The client runs `sessionlint.explainRule` (the VS Code extension says so). */
  explainCommand = false;

  constructor(
    readonly connection: Connection,
    readonly parsers: Parsers,
  ) {}

  initialize(params: InitializeParams): void {
    this.log(`Session Lint ${VERSION}, Node ${process.version}`);
    const caps = params.capabilities;
    this.editSupport = {
      documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
      createFiles: caps.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
    };
    this.relatedInformation = caps.textDocument?.publishDiagnostics?.relatedInformation === true;
    this.configurationRequests = caps.workspace?.configuration === true;
    this.workspaceFolderEvents = caps.workspace?.workspaceFolders === true;
    const options = params.initializationOptions as
      | { settings?: Partial<EditorSettings>; explainCommand?: boolean }
      | null
      | undefined;
    this.initSettings = options?.settings;
    this.explainCommand = options?.explainCommand === true;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    for (const f of folders) this.addFolder(f.uri);
  }

  /** Shows a configuration problem once per folder until it is fixed and comes back. */
  private warnOnce(ws: Workspace, message: string): void {
    if (ws.warned.has(message)) return;
    ws.warned.add(message);
    this.log(`Configuration problem in ${ws.root}: ${message}`);
    void this.connection.window.showWarningMessage(`Session Lint: ${message}`);
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  addFolder(uri: string): Workspace | undefined {
    const root = uriToCorePath(uri);
    if (!root) {
      this.log(`Not linting workspace folder ${uri}: it has no local path.`);
      return undefined;
    }
    if (isSystemRoot(root)) {
      // Walking all of / would read the whole machine.
      this.log(`Not linting workspace folder ${root}: it is the file system's root; open a project folder instead.`);
      void this.connection.window.showWarningMessage(
        `Session Lint: not linting ${root}, the root of the file system. Open a project folder instead.`,
      );
      return undefined;
    }
    if (this.workspaces.has(root)) return undefined;
    const ws = new Workspace(root, this.parsers);
    this.workspaces.set(root, ws);
    return ws;
  }

  removeFolder(uri: string): void {
    const root = uriToCorePath(uri);
    const ws = root ? this.workspaces.get(root) : undefined;
    if (!root || !ws) return;
    this.workspaces.delete(root);
    for (const path of ws.findings.keys()) this.publish(corePathToUri(path), []);
    ws.dispose();
  }

  /** The folder a file belongs to (the deepest), or an ad-hoc one for a file outside them all. */
  workspaceFor(corePath: string): Workspace {
    let best: Workspace | undefined;
    for (const ws of this.workspaces.values()) {
      if (!ws.adHoc && ws.contains(corePath) && (!best || ws.root.length > best.root.length)) best = ws;
    }
    if (best) return best;
    const dir = path.posix.dirname(corePath);
    let adHoc = this.workspaces.get(dir);
    if (!adHoc) {
      adHoc = new Workspace(dir, this.parsers, true);
      adHoc.setEditorSettings({ ...DEFAULT_EDITOR_SETTINGS, ...this.initSettings });
      this.workspaces.set(dir, adHoc);
    }
    return adHoc;
  }

  async loadWorkspace(ws: Workspace): Promise<void> {
    const started = Date.now();
    await ws.load();
    if ([...this.documents.values()].some((doc) => isNodeScript(effectiveKind(doc.path, doc.text))))
      await ensureNodeParsers(this.parsers);
    for (const doc of this.documents.values()) {
      if (this.workspaceFor(doc.path) === ws && this.analysable(ws, doc.path, doc.text))
        this.setDocument(ws, doc.path, doc.text);
    }
    for (const err of [...ws.config.errors, ...ws.settings.errors]) this.warnOnce(ws, err);
    for (const s of ws.skipped) this.log(`Skipped ${ws.project.relative(s.path)}: ${s.reason}`);
    this.log(`Loaded ${ws.project.size} files from ${ws.root} in ${Date.now() - started} ms`);
    const config = ws.config.source ? ws.project.relative(toCorePath(ws.config.source)) : 'none, defaults apply';
    this.log(`Configuration: ${config}; rules selected: ${[...ws.settings.enabled].sort().join(', ') || 'none'}`);
  }

  /** Reads every folder from disk again and publishes, with the status shown meanwhile. */
  async scanAll(): Promise<void> {
    this.sendStatus('scanning');
    for (const ws of this.workspaces.values()) {
      await this.loadWorkspace(ws);
      this.lintAndPublish(ws);
    }
    this.sendStatus('ready');
  }

  /** Reads every folder's settings; returns the folders whose configuration file changed. */
  async refreshSettings(): Promise<Workspace[]> {
    const reload: Workspace[] = [];
    for (const ws of this.workspaces.values()) {
      let settings: Partial<EditorSettings> | null = null;
      if (this.configurationRequests && !ws.adHoc) {
        try {
          settings = await this.connection.workspace.getConfiguration({
            scopeUri: corePathToUri(ws.root),
            section: 'sessionlint',
          });
        } catch (e) {
          this.log(`Could not read settings: ${(e as Error).message}`);
        }
      }
      // eglot answers null: defaults apply.
      if (ws.setEditorSettings(normalizeSettings({ ...this.initSettings, ...(settings ?? {}) }))) reload.push(ws);
      for (const err of ws.settings.errors) this.warnOnce(ws, err);
    }
    return reload;
  }

  open(uri: string, version: number, text: string): { ws: Workspace; path: string } | undefined {
    const path = uriToCorePath(uri);
    if (!path || !fileKindOf(path)) return undefined;
    this.documents.set(uri, { uri, path, version, text, content: new DocumentText(text) });
    const ws = this.workspaceFor(path);
    // Not analysable: still answered, with an empty publish that clears anything stale.
    if (this.waitsForGrammars(path, text)) this.loadGrammarsThenLint(ws);
    else if (this.analysable(ws, path, text)) this.setDocument(ws, path, text);
    return { ws, path };
  }

  /** A script opened before the JavaScript grammars are loaded (a Python-only folder until now). */
  private waitsForGrammars(path: string, text: Content): boolean {
    return !this.parsers.node && isNodeScript(effectiveKind(path, text));
  }

  /**
   * Loads the grammars, then gives the project every open script's current text and
   * publishes: edits made meanwhile only updated the document, so nothing is lost or reordered.
   */
  private loadGrammarsThenLint(ws: Workspace): void {
    this.grammarsLoading ??= ensureNodeParsers(this.parsers).then(() => {
      const scripts: string[] = [];
      for (const doc of this.documents.values()) {
        const home = this.workspaceFor(doc.path);
        if (!isNodeScript(effectiveKind(doc.path, doc.text))) continue;
        if (home === ws) scripts.push(doc.path);
        if (this.analysable(home, doc.path, doc.text)) this.setDocument(home, doc.path, doc.text);
      }
      // Every open script gets its diagnostics for its current version, even an empty list.
      this.lintAndPublish(ws, ...scripts);
    });
  }

  /** Applies the editor's edits to a document. Returns the workspace to re-lint. */
  change(uri: string, version: number, edits: readonly TextDocumentContentChangeEvent[]): Workspace | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const changes: TextChange[] = [];
    let incremental = true;
    for (const edit of edits) {
      if ('range' in edit) {
        // A range given end first means the same text as in order, as VS Code's documents read it.
        const [start, oldEnd] = [doc.content.offsetAt(edit.range.start), doc.content.offsetAt(edit.range.end)].sort(
          (a, b) => a - b,
        );
        changes.push({ start, oldEnd, newText: edit.text });
        doc.content.apply(start, oldEnd, edit.text);
      } else {
        incremental = false;
        doc.content = new DocumentText(edit.text);
      }
    }
    doc.version = version;
    doc.text = doc.content.snapshot();
    const text = doc.text;
    const ws = this.workspaceFor(doc.path);
    if (this.waitsForGrammars(doc.path, text) || !this.analysable(ws, doc.path, text)) return ws;
    this.setDocument(ws, doc.path, text, incremental ? changes : undefined);
    this.scheduleSettle(ws, doc);
    return ws;
  }

  /**
   * A keystroke reparses only its part of a document (see ChunkedTree); when that part no
   * longer parses, the whole document is parsed once typing pauses, and re-linted if the
   * parts had read it wrong.
   */
  private scheduleSettle(ws: Workspace, doc: OpenDocument): void {
    clearTimeout(this.settling.get(doc.uri));
    this.settling.delete(doc.uri);
    if (!ws.project.unsettled(doc.path)) return;
    const timer = setTimeout(() => {
      this.settling.delete(doc.uri);
      if (this.documents.get(doc.uri) !== doc || this.workspaceFor(doc.path) !== ws) return;
      try {
        if (ws.project.settle(doc.path) && ws.editor.run === 'onType') this.lintAndPublish(ws, doc.path);
      } catch (e) {
        this.connection.console.error(`Parsing ${doc.path} whole failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    }, SETTLE_DELAY_MS);
    this.settling.set(doc.uri, timer);
  }

  /**
   * Gives the project an open document's text, its syntax tree kept for the next change. A text
   * the parser refuses (see parse-budget.ts) is noted once, until the document parses again.
   */
  private setDocument(ws: Workspace, path: string, text: Content, changes?: TextChange[]): void {
    ws.project.setFile(path, text, { keepTree: true, changes });
    const problem = ws.project.get(path)?.problem;
    const note = `Skipped ${path}: not analysed: ${problem}`;
    if (!problem) this.refused.delete(path);
    else if (this.refused.get(path) !== note) {
      this.refused.set(path, note);
      this.log(note);
    }
  }

  /** Excluded and oversized documents are not analysed (and leave the model), noted once. */
  private analysable(ws: Workspace, path: string, text: Content): boolean {
    if (ws.isExcluded(path)) return false;
    if (text.length <= DEFAULT_MAX_FILE_SIZE) return true;
    if (!this.noted.has(path)) this.log(`Skipped ${path}: larger than ${formatSize(DEFAULT_MAX_FILE_SIZE)}`);
    this.noted.add(path);
    ws.project.removeFile(path);
    return false;
  }

  /** On close the file on disk counts again (it may differ from the discarded buffer). */
  async close(uri: string): Promise<Workspace | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    this.documents.delete(uri);
    this.refused.delete(doc.path);
    clearTimeout(this.settling.get(uri));
    this.settling.delete(uri);
    const ws = this.workspaceFor(doc.path);
    ws.project.releaseTree(doc.path);
    await this.reloadFromDisk(ws, doc.path);
    if (ws.adHoc) this.publish(uri, []);
    return ws;
  }

  /** A watched file changed on disk. Returns the workspace to re-lint. */
  async fileChanged(uri: string): Promise<Workspace | undefined> {
    const path = uriToCorePath(uri);
    if (!path) return undefined;
    const ws = this.workspaceFor(path);
    if ((CONFIG_FILES as readonly string[]).includes(basename(path)) && path === `${ws.root}/${basename(path)}`) {
      this.scheduleReload(ws);
      return undefined;
    }
    if (this.documents.has(uri) || !fileKindOf(path)) return undefined;
    // `npm install` or `pip install` rewrites thousands of watched files the walk never reads.
    if (
      ws.project
        .relative(path)
        .split('/')
        .some((part) => DEFAULT_EXCLUDES.has(part))
    )
      return undefined;
    await this.reloadFromDisk(ws, path);
    return ws;
  }

  /**
   * Re-reads a folder once its configuration has stopped changing: a burst of events (a
   * branch switch, a formatter rewriting pyproject.toml) costs one rescan, not one each.
   */
  scheduleReload(ws: Workspace): Promise<void> {
    if (ws.pendingReload) return ws.pendingReload;
    ws.pendingReload = new Promise<void>((resolve) => {
      setTimeout(() => {
        ws.pendingReload = undefined;
        if (this.workspaces.get(ws.root) !== ws) return resolve();
        this.sendStatus('scanning');
        this.loadWorkspace(ws)
          .then(() => this.lintAndPublish(ws))
          .catch((e: unknown) =>
            this.connection.console.error(`Rescan of ${ws.root} failed: ${(e as Error)?.stack ?? String(e)}`),
          )
          .finally(resolve);
      }, RELOAD_DELAY_MS);
    });
    return ws.pendingReload;
  }

  private async reloadFromDisk(ws: Workspace, path: string): Promise<void> {
    if (ws.adHoc || ws.isExcluded(path) || !insideRealFolder(ws.root, path)) {
      ws.project.removeFile(path);
      return;
    }
    const read = readSourceFile(toFsPath(path), DEFAULT_MAX_FILE_SIZE);
    if (!('text' in read)) ws.project.removeFile(path);
    else {
      if (isNodeScript(effectiveKind(path, read.text))) await ensureNodeParsers(this.parsers);
      ws.project.setFile(path, read.text);
    }
  }

  /** Lints a workspace and publishes every file whose diagnostics changed (and `always`). */
  lintAndPublish(ws: Workspace, ...always: string[]): void {
    const before = new Set(ws.findings.keys());
    const findings = ws.lint((m) => this.connection.console.error(m));
    const linesOf = (p: string) => ws.project.lines(p);
    const paths = new Set([...before, ...findings.keys()]);
    for (const path of always) paths.add(path);
    for (const path of paths) {
      const list = findings.get(path) ?? [];
      const uri = corePathToUri(path);
      const diagnostics = list.map((f) => toDiagnostic(f, linesOf, this.relatedInformation));
      if (!always.includes(path) && this.published.get(uri) === JSON.stringify(diagnostics)) continue;
      this.publish(uri, diagnostics);
    }
    this.sendStatus();
  }

  /** Every publish goes through here, so the record of what the client holds stays true. */
  publish(uri: string, diagnostics: ReturnType<typeof toDiagnostic>[]): void {
    this.published.set(uri, JSON.stringify(diagnostics));
    const version = this.documents.get(uri)?.version;
    void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  }

  sendStatus(state: 'scanning' | 'ready' = 'ready'): void {
    let findings = 0;
    let files = 0;
    for (const ws of this.workspaces.values()) {
      files += ws.project.size;
      for (const list of ws.findings.values()) findings += list.length;
    }
    const status = { state, findings, files };
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification('sessionlint/status', status);
  }

  /** Records an edit's time, keeping the last EDIT_TIMES_KEPT. */
  recordEdit(ms: number): void {
    this.editMs.push(ms);
    if (this.editMs.length > EDIT_TIMES_KEPT) this.editMs.splice(0, this.editMs.length - EDIT_TIMES_KEPT);
  }

  versionOf(uri: string): number | null {
    return this.documents.get(uri)?.version ?? null;
  }

  dispose(): void {
    for (const timer of this.settling.values()) clearTimeout(timer);
    for (const ws of this.workspaces.values()) ws.dispose();
  }
}

function normalizeSettings(raw: Partial<EditorSettings>): EditorSettings {
  return {
    enable: raw.enable !== false,
    rules: raw.rules && typeof raw.rules === 'object' ? raw.rules : {},
    secretEnvVar:
      typeof raw.secretEnvVar === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.secretEnvVar)
        ? raw.secretEnvVar
        : undefined,
    run: raw.run === 'onSave' ? 'onSave' : 'onType',
    configuration:
      typeof raw.configuration === 'string' && raw.configuration.trim() !== '' ? raw.configuration.trim() : undefined,
  };
}

/** `/` or a drive root (`C:/`): never a project, and walking it would read the whole machine. */
function isSystemRoot(corePath: string): boolean {
  return corePath === '/' || /^[A-Za-z]:\/?$/.test(corePath);
}

/**
 * Whether a file's folder really lies inside the workspace folder: a watched-file event can
 * name a path through a symbolic link to a folder elsewhere, which the walk never follows.
 */
function insideRealFolder(root: string, corePath: string): boolean {
  try {
    const realRoot = realpathSync(toFsPath(root));
    const realDir = realpathSync(path.dirname(toFsPath(corePath)));
    return realDir === realRoot || realDir.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}
