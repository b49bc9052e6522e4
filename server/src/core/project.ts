import {
  extractAppJsonFacts,
  extractFlyFacts,
  extractKubernetesFacts,
  extractRenderFacts,
} from './facts/platform-files';
import { extractApacheFacts } from './facts/apache-facts';
import { extractCaddyFacts } from './facts/caddy-facts';
import { extractTraefikStaticFacts, extractTraefikTomlFacts } from './facts/traefik';
import { extractUwsgiYamlFacts } from './facts/uwsgi-yaml';
import { extractDotenvFacts, type DotenvFacts } from './facts/dotenv';
import { extractPythonFacts, type ModulePart, type PartMemo } from './facts/python';
import type { PythonFacts } from './facts/python-model';
import { parseSuppressions, type Suppressions } from './facts/suppressions';
import {
  extractDockerfileFacts,
  extractPasteFacts,
  extractProcfileFacts,
  extractShellFacts,
  extractSupervisorFacts,
  extractSystemdFacts,
} from './facts/command-files';
import { extractComposeFacts } from './facts/compose';
import { extractDataConfig } from './facts/data-config';
import { emptyDeployFacts, type DeployFacts } from './facts/deploy-model';
import { extractNginxFacts } from './facts/nginx-facts';
import type { ConfigSite } from './facts/python-model';
import {
  versionsFromPipfileLock,
  versionsFromPoetryLock,
  versionsFromPyproject,
  versionsFromRequirements,
  versionsFromSetupCfg,
} from './facts/versions-files';
import { fileKindOf, isServerScriptPath, kindByContent, mightMatter, pythonRelevance, type FileKind } from './files';
import { extractJsFacts, type JsPartMemo } from './facts/js/extract';
import type { JsFacts } from './facts/js/model';
import { extractNpmLockFacts, extractPackageJsonFacts } from './facts/package-json';
import { parseIni } from './parse/ini';
import { InputRefusedError } from './parse/nesting';
import { extractNodeConfig, type NodeConfigFacts } from './facts/node-config';
import { parseToml } from './parse/toml';
import type { Parsers } from './parse/parsers';
import { ChunkedTree } from './parse/chunked-tree';
import { DocumentLines } from './document-lines';
import { continuesJsStatement } from './parse/js-continuation';
import type { SyntaxParser, SyntaxTree } from './parse/tree-sitter';
import { basename, relativePath } from './paths';
import { applyEdits, type Content, LineIndex } from './text';
import type { FileChange, SourceText, TextChange } from './types';

/** One file of the project with the facts extracted from its current text. */
export interface ProjectFile {
  path: string;
  kind: FileKind;
  text: string;
  /** Test code (`tests/`, `test_*.py`, `conftest.py`): never a finding. */
  isTest: boolean;
  python?: PythonFacts;
  /** JavaScript and TypeScript (Express apps, their configuration modules, pm2 ecosystem files). */
  js?: JsFacts;
  dotenv?: DotenvFacts;
  /** Servers, versions, proxies and literal secrets of deployment files. */
  deploy?: DeployFacts;
  /** String settings of a node-config file (`config/default.json`). */
  nodeConfig?: NodeConfigFacts;
  /** Settings of a TOML or JSON file an app may load with `config.from_file()`. */
  dataSettings?: ConfigSite[];
  suppressions: Suppressions;
  /** Why no facts could be read from this text (a one-line reason, no value from the file). */
  problem?: string;
}

/** Python without syntax errors, nginx without parse errors, compose that parses. */
export function fileParses(file: ProjectFile): boolean {
  if (file.problem) return false;
  if (file.python) return !file.python.hasSyntaxErrors;
  if (file.js) return !file.js.hasSyntaxErrors;
  if (file.kind === 'nginx') return file.deploy?.nginx?.errors === 0;
  if (file.kind === 'compose') return !!file.deploy?.compose;
  return true;
}

/** What git says about the project, read by the host (the core reads no disk). */
export interface GitContext {
  repoRoot: string;
  /** `.gitignore` files of the folders above the project, up to the repository root. */
  outerIgnores: { dir: string; text: string }[];
  /** Dotenv files the index tracks: committed, whatever .gitignore says now. */
  tracked: Set<string>;
}

/** Deployment facts of any file, Python included. */
export function deployOf(file: ProjectFile): DeployFacts | undefined {
  return file.python?.deploy ?? file.deploy;
}

export interface SetFileOptions {
  /** Keep the syntax tree, in chunks, for incremental reparsing (open editor documents). */
  keepTree?: boolean;
  /** The changes from the previous text, when the caller knows them. */
  changes?: readonly TextChange[];
  /** A trial version (see trial()): parsed afresh, leaving any kept tree alone. */
  scratch?: boolean;
}

/** What an extractor keeps with an open document's chunk (the document's language's). */
type ChunkMemo = PartMemo & JsPartMemo;

const TEST_PATH =
  /(^|\/)(tests?|testing|__tests__|spec|e2e|cypress)\/|(^|\/)test_[^/]*\.py$|_tests?\.py$|(^|\/)conftest\.py$|\.(test|spec)\.(c|m)?[jt]s$/;

/** Whether a file kind is JavaScript or TypeScript, parsed with grammars the host loads on demand. */
export function isNodeScript(kind: FileKind | undefined): boolean {
  return kind === 'javascript' || kind === 'typescript';
}

/**
 * All facts of one workspace folder. Facts are extracted once per file version; rules query
 * the model and never read the disk, so a rule may span any number of files.
 */
export class Project {
  private readonly files = new Map<string, ProjectFile>();
  /** Open documents, kept in chunks so that a keystroke reparses only its own. */
  private readonly chunkedTrees = new Map<string, { document: ChunkedTree<ChunkMemo>; parser: SyntaxParser }>();
  private readonly derived = new Map<string, unknown>();
  /** Open documents' lines, read from their chunks (see DocumentLines). */
  private readonly documentLines = new WeakMap<ProjectFile, DocumentLines>();
  /** Line tables per file version, built on first use (diagnostics, suppressions, output). */
  private readonly lineIndexes = new Map<string, LineIndex>();
  private modules?: Map<string, string>;
  /** Files that import Flask: while there are none, settings-only modules wait in `deferred`. */
  private readonly flaskFiles = new Set<string>();
  private readonly deferred = new Map<string, string>();
  /** Python files read and dropped as holding nothing a rule reads: known to exist, not kept. */
  private readonly inert = new Set<string>();
  /** Text re-parsed by fix trials per file version (see confirmFixes): a new version starts afresh. */
  readonly trialsSpent = new WeakMap<ProjectFile, number>();
  /** Set by the host when the project lies in a git repository. */
  git?: GitContext;

  constructor(
    /** Absolute folder, forward slashes. */
    readonly root: string,
    private readonly parsers: Parsers,
  ) {}

  /** Adds or replaces a file; returns false for a file kind the model does not read. */
  setFile(path: string, content: Content, options: SetFileOptions = {}): boolean {
    const byPath = fileKindOf(path);
    if (!byPath) return false;
    // An open document comes in pieces: only what reads it whole joins it (see PiecedText).
    const text = () => content.toString();
    const kind = byPath === 'config-candidate' ? kindByContent(text()) : byPath;
    if (!kind) {
      // A `.conf` that is neither nginx nor supervisor: nothing to read, but known.
      this.removeFile(path);
      return true;
    }
    if (kind === 'python' && !options.keepTree && !options.scratch) {
      const relevance = pythonRelevance(text(), path);
      // A Python file that cannot matter is not kept at all (most of a large tree): it has no
      // facts, so no rule could use it, and keeping its text costs memory and collection time.
      if (relevance === 'none') {
        this.markInert(path);
        return true;
      }
      // Cookie settings alone matter only to a Flask app: wait until the project has one.
      if (relevance === 'setting' && this.flaskFiles.size === 0) {
        this.removeFile(path);
        this.deferred.set(path, text());
        return true;
      }
    }
    const relative = this.relative(path);
    if (
      isNodeScript(kind) &&
      (!isServerScriptPath(relative) || (!options.keepTree && !options.scratch && !mightMatter(kind, text(), path)))
    ) {
      this.removeFile(path);
      return true;
    }
    this.deferred.delete(path);
    this.lineIndexes.delete(path);
    let suppressions: Suppressions | undefined;
    let documentLines: DocumentLines | undefined;
    const file: ProjectFile = {
      path,
      kind,
      get text() {
        return text();
      },
      isTest: TEST_PATH.test(relative),
      // Read when a finding is reported in the file, so a keystroke elsewhere never scans it.
      get suppressions() {
        suppressions ??= documentLines?.suppressions() ?? parseSuppressions(text());
        return suppressions;
      },
    };
    try {
      if (kind === 'python') file.python = this.pythonFacts(path, content, options);
      else if (isNodeScript(kind)) file.js = this.jsFacts(path, content, kind as 'javascript' | 'typescript', options);
      else if (kind === 'dotenv') file.dotenv = extractDotenvFacts(text());
      else if (kind === 'node-config') {
        if (mightMatter(kind, text(), path)) file.nodeConfig = extractNodeConfig(text());
      } else if (kind === 'toml-config' || kind === 'json-config') {
        if (mightMatter(kind, text(), path)) file.dataSettings = extractDataConfig(kind, text(), this.parsers.toml);
      } else if (kind !== 'gitignore' && mightMatter(kind, text(), path))
        file.deploy = deployFactsOf(kind, text(), path, this.parsers);
    } catch (e) {
      // Input a parser refuses (too deeply nested) leaves the file in the model without facts.
      if (!(e instanceof InputRefusedError)) throw e;
      file.problem = e.message;
    }
    const kept = options.keepTree && !options.scratch ? this.chunkedTrees.get(path) : undefined;
    if (kept) {
      documentLines = new DocumentLines(kept.document.chunks, content);
      this.documentLines.set(file, documentLines);
    }
    this.files.set(path, file);
    this.invalidate();
    if (file.python?.importsFlask) {
      const first = this.flaskFiles.size === 0;
      this.flaskFiles.add(path);
      if (first)
        for (const [deferredPath, deferredText] of [...this.deferred]) this.setFile(deferredPath, deferredText);
    } else this.flaskFiles.delete(path);
    return true;
  }

  removeFile(path: string): void {
    if (this.inert.delete(path)) this.invalidate();
    this.lineIndexes.delete(path);
    this.releaseTree(path);
    this.deferred.delete(path);
    this.flaskFiles.delete(path);
    if (this.files.delete(path)) this.invalidate();
  }

  /**
   * Applies file changes to the model, runs `check`, then restores every file as it was. Fixes
   * are confirmed this way before they are offered. Undefined when the changes do not fit the
   * model (an edit to a file it does not hold, or a file to create that it already holds).
   */
  trial<T>(changes: readonly FileChange[], check: () => T): T | undefined {
    const after = new Map<string, string>();
    for (const c of changes) {
      const current = after.get(c.path) ?? this.files.get(c.path)?.text;
      if (c.create ? current !== undefined && !after.has(c.path) : current === undefined) return undefined;
      after.set(c.path, applyEdits(current ?? '', c.edits));
    }
    // The files as they are, to put back unchanged: restoring costs nothing, and the syntax
    // trees kept for open documents are never touched.
    const saved = [...after.keys()].map((path) => ({
      path,
      file: this.files.get(path),
      flask: this.flaskFiles.has(path),
      deferred: this.deferred.get(path),
    }));
    const deferredBefore = new Map(this.deferred);
    try {
      for (const [path, text] of after) this.setFile(path, text, { scratch: true });
      return check();
    } finally {
      for (const { path, file, flask, deferred } of saved) {
        this.lineIndexes.delete(path);
        if (file) this.files.set(path, file);
        else this.files.delete(path);
        if (flask) this.flaskFiles.add(path);
        else this.flaskFiles.delete(path);
        if (deferred !== undefined) this.deferred.set(path, deferred);
        else this.deferred.delete(path);
      }
      // Settings-only modules a trial Flask import brought in wait again.
      for (const [path, text] of deferredBefore) {
        if (!this.deferred.has(path)) {
          this.files.delete(path);
          this.lineIndexes.delete(path);
          this.deferred.set(path, text);
        }
      }
      this.invalidate();
    }
  }

  /**
   * Whether an open document's facts may differ from a whole parse's: a chunk has a syntax
   * error, which a construct spanning several chunks (a block turned into one string) can
   * cause in a file that parses. settle() finds out.
   */
  unsettled(path: string): boolean {
    return this.chunkedTrees.get(path)?.document.hasError === true;
  }

  /**
   * Parses an unsettled document whole. When the whole parse has no error, the chunks were
   * wrong: they are cut again from it and the facts extracted afresh (true). A file with an
   * error of its own keeps its chunks, whose facts hold everywhere the error does not reach.
   */
  settle(path: string): boolean {
    const file = this.files.get(path);
    const kept = this.chunkedTrees.get(path);
    if (!file || !kept || !this.unsettled(path)) return false;
    let whole: SyntaxTree;
    try {
      whole = kept.parser.parse(file.text);
    } catch (e) {
      // Errors too dense to parse whole: the chunks, each parsed within its own bound, stay.
      if (e instanceof InputRefusedError) return false;
      throw e;
    }
    const parses = !whole.rootNode.hasError;
    whole.delete();
    if (parses) {
      this.releaseTree(path);
      this.setFile(path, file.text, { keepTree: true });
    }
    return parses;
  }

  /** Frees the syntax tree kept for an open document. */
  releaseTree(path: string): void {
    this.chunkedTrees.get(path)?.document.delete();
    this.chunkedTrees.delete(path);
  }

  dispose(): void {
    for (const path of [...this.chunkedTrees.keys()]) this.releaseTree(path);
  }

  get(path: string): ProjectFile | undefined {
    return this.files.get(path);
  }

  /** The line table of a file's current text (empty for a file the model does not hold). */
  lines(path: string): LineIndex {
    let index = this.lineIndexes.get(path);
    if (!index) {
      const file = this.files.get(path);
      const documentLines = file && this.documentLines.get(file);
      index = documentLines?.index() ?? new LineIndex(file?.text ?? '');
      if (file) this.lineIndexes.set(path, index);
    }
    return index;
  }

  all(): IterableIterator<ProjectFile> {
    return this.files.values();
  }

  get size(): number {
    return this.files.size;
  }

  relative(path: string): string {
    return relativePath(this.root, path);
  }

  /**
   * A Python file that exists but holds nothing a rule reads (the host may find that from its
   * bytes without handing the text over): not kept, but a configuration load that names it is
   * known to load nothing.
   */
  markInert(path: string): void {
    this.removeFile(path);
    this.inert.add(path);
    this.invalidate();
  }

  /** Whether a Python file exists that was read and holds nothing a rule reads (see markInert). */
  holdsNothing(path: string): boolean {
    return this.inert.has(path);
  }

  /** The file that defines a dotted module (`app.config`), exact or as a suffix (src layouts). */
  findModule(name: string): ProjectFile | undefined {
    if (!this.modules) {
      this.modules = new Map();
      for (const file of this.files.values()) if (file.python) this.modules.set(file.python.module, file.path);
    }
    const exact = this.modules.get(name);
    if (exact) return this.files.get(exact);
    for (const [module, path] of this.modules) if (module.endsWith(`.${name}`)) return this.files.get(path);
    return undefined;
  }

  /** A value computed from the whole model, cached until any file changes. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

  private invalidate(): void {
    this.derived.clear();
    this.modules = undefined;
  }

  /** JavaScript and TypeScript facts, from kept chunks for open documents as for Python. */
  private jsFacts(
    path: string,
    content: Content,
    language: 'javascript' | 'typescript',
    options: SetFileOptions,
  ): JsFacts {
    const parsers = this.parsers.node;
    // The host loads the grammars before it gives the project a script (see isNodeScript).
    if (!parsers) throw new Error('JavaScript grammars are not loaded');
    return this.withParts(path, content, options, parsers[language], continuesJsStatement, (parts, source) =>
      extractJsFacts(parts, source, path, language),
    );
  }

  private pythonFacts(path: string, content: Content, options: SetFileOptions): PythonFacts {
    const { module, isPackage } = moduleName(this.relative(path));
    return this.withParts(path, content, options, this.parsers.python, undefined, (parts, source) =>
      extractPythonFacts(parts, source, module, isPackage, path),
    );
  }

  /**
   * Parses `text` and extracts its facts. An open document's chunks are kept and reparsed from
   * the changes; any other tree is freed at once (WebAssembly memory never shrinks). A scratch
   * parse (a fix trial) leaves the kept chunks alone.
   */
  private withParts<T>(
    path: string,
    content: Content,
    options: SetFileOptions,
    parser: SyntaxParser,
    continuesAbove: ((firstCharacter: string) => boolean) | undefined,
    extract: (parts: readonly ModulePart[], source: SourceText) => T,
  ): T {
    if (options.keepTree && !options.scratch) {
      const document = this.chunked(path, content, options, parser, continuesAbove);
      return extract(document.chunks, document);
    }
    if (!options.scratch) this.releaseTree(path);
    const text = content.toString();
    const tree = parser.parse(text);
    try {
      return extract([{ tree }], text);
    } finally {
      tree.delete();
    }
  }

  /** An open document's chunks, updated from the changes or parsed afresh. */
  private chunked(
    path: string,
    content: Content,
    options: SetFileOptions,
    parser: SyntaxParser,
    continuesAbove?: (firstCharacter: string) => boolean,
  ): ChunkedTree<ChunkMemo> {
    const kept = this.chunkedTrees.get(path);
    try {
      if (kept && kept.parser === parser && options.changes) {
        kept.document.update(parser, options.changes, content.length);
        return kept.document;
      }
      this.releaseTree(path);
      const document = ChunkedTree.parse<ChunkMemo>(parser, content.toString(), continuesAbove);
      this.chunkedTrees.set(path, { document, parser });
      return document;
    } catch (e) {
      // A document edited toward a text it never parsed: the next change cannot build on it.
      this.releaseTree(path);
      throw e;
    }
  }
}

function deployFactsOf(kind: FileKind, text: string, path: string, parsers: Parsers): DeployFacts {
  const facts = emptyDeployFacts();
  switch (kind) {
    case 'requirements':
      facts.versions = versionsFromRequirements(text);
      break;
    case 'pyproject':
      facts.versions = versionsFromPyproject(parseToml(parsers.toml, text));
      break;
    case 'poetry-lock':
      facts.versions = versionsFromPoetryLock(parseToml(parsers.toml, text));
      break;
    case 'pipfile-lock':
      facts.versions = versionsFromPipfileLock(text);
      break;
    case 'setup-cfg':
      facts.versions = versionsFromSetupCfg(parseIni(text), text);
      break;
    case 'nginx':
      facts.nginx = extractNginxFacts(text);
      break;
    case 'caddyfile':
      facts.front = extractCaddyFacts(text);
      break;
    case 'traefik':
      facts.front = path.endsWith('.toml')
        ? extractTraefikTomlFacts(text, parsers.toml)
        : extractTraefikStaticFacts(text);
      break;
    case 'uwsgi-yaml':
      extractUwsgiYamlFacts(text, facts);
      break;
    case 'fly-toml':
      extractFlyFacts(text, facts, parsers.toml);
      break;
    case 'render-yaml':
      extractRenderFacts(text, facts);
      break;
    case 'app-json':
      extractAppJsonFacts(text, facts);
      break;
    case 'kubernetes':
      extractKubernetesFacts(text, facts);
      break;
    case 'apache':
      facts.front = extractApacheFacts(text);
      break;
    case 'compose':
      extractComposeFacts(text, facts);
      break;
    case 'dockerfile':
      extractDockerfileFacts(text, facts);
      break;
    case 'procfile':
      extractProcfileFacts(text, facts);
      break;
    case 'systemd':
      extractSystemdFacts(text, facts);
      break;
    case 'supervisor':
      extractSupervisorFacts(text, facts);
      break;
    case 'shell':
      extractShellFacts(text, facts);
      break;
    case 'paste-ini':
      extractPasteFacts(text, facts);
      break;
    case 'package-json':
      extractPackageJsonFacts(text, facts);
      break;
    case 'npm-lock':
      extractNpmLockFacts(text, basename(path), facts);
      break;
  }
  return facts;
}

/** `pkg/config.py` -> `pkg.config`; `pkg/__init__.py` -> `pkg` (a package). */
export function moduleName(relative: string): { module: string; isPackage: boolean } {
  const parts = relative.replace(/\.py$/, '').split('/');
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  return { module: parts.join('.'), isPackage };
}
