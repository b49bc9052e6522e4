import { extractDotenvFacts, type DotenvFacts } from './facts/dotenv';
import { extractPythonFacts } from './facts/python';
import type { PythonFacts } from './facts/python-model';
import { parseSuppressions, type Suppressions } from './facts/suppressions';
import { fileKindOf, pythonMightMatter, type FileKind } from './files';
import type { Parsers } from './parse/parsers';
import type { PyTree } from './parse/tree-sitter';
import { relativePath } from './paths';
import type { TextChange } from './types';

/** One file of the project with the facts extracted from its current text. */
export interface ProjectFile {
  path: string;
  kind: FileKind;
  text: string;
  /** Test code (`tests/`, `test_*.py`, `conftest.py`): never a finding. */
  isTest: boolean;
  python?: PythonFacts;
  dotenv?: DotenvFacts;
  suppressions: Suppressions;
}

export interface SetFileOptions {
  /** Keep the syntax tree for incremental reparsing (open editor documents). */
  keepTree?: boolean;
  /** The changes from the previous text, when the caller knows them. */
  changes?: readonly TextChange[];
}

const TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)test_[^/]*\.py$|_tests?\.py$|(^|\/)conftest\.py$/;

/**
 * All facts of one workspace folder. Facts are extracted once per file version; rules query
 * the model and never read the disk, so a rule may span any number of files.
 */
export class Project {
  private readonly files = new Map<string, ProjectFile>();
  private readonly trees = new Map<string, { tree: PyTree; text: string }>();
  private readonly derived = new Map<string, unknown>();
  private modules?: Map<string, string>;

  constructor(
    /** Absolute folder, forward slashes. */
    readonly root: string,
    private readonly parsers: Parsers,
  ) {}

  /** Adds or replaces a file; returns false for a file kind the model does not read. */
  setFile(path: string, text: string, options: SetFileOptions = {}): boolean {
    const kind = fileKindOf(path);
    if (!kind) return false;
    const relative = this.relative(path);
    const file: ProjectFile = { path, kind, text, isTest: TEST_PATH.test(relative), suppressions: parseSuppressions(text) };
    if (kind === 'python') file.python = this.pythonFacts(path, text, options);
    if (kind === 'dotenv') file.dotenv = extractDotenvFacts(text);
    this.files.set(path, file);
    this.invalidate();
    return true;
  }

  removeFile(path: string): void {
    this.releaseTree(path);
    if (this.files.delete(path)) this.invalidate();
  }

  /** Frees the syntax tree kept for an open document. */
  releaseTree(path: string): void {
    this.trees.get(path)?.tree.delete();
    this.trees.delete(path);
  }

  dispose(): void {
    for (const path of [...this.trees.keys()]) this.releaseTree(path);
  }

  get(path: string): ProjectFile | undefined {
    return this.files.get(path);
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

  private pythonFacts(path: string, text: string, options: SetFileOptions): PythonFacts | undefined {
    const kept = this.trees.get(path);
    if (!options.keepTree) this.releaseTree(path);
    if (!options.keepTree && !pythonMightMatter(text)) return undefined;
    const incremental = options.keepTree && kept && options.changes ? { ...kept, changes: options.changes } : undefined;
    if (options.keepTree && kept && !incremental) this.releaseTree(path);
    const tree = this.parsers.python.parse(text, incremental);
    try {
      const { module, isPackage } = moduleName(this.relative(path));
      return extractPythonFacts(tree, text, module, isPackage);
    } finally {
      if (options.keepTree) {
        if (incremental && kept!.tree !== tree) kept!.tree.delete();
        this.trees.set(path, { tree, text });
      } else tree.delete();
    }
  }
}

/** `pkg/config.py` -> `pkg.config`; `pkg/__init__.py` -> `pkg` (a package). */
export function moduleName(relative: string): { module: string; isPackage: boolean } {
  const parts = relative.replace(/\.py$/, '').split('/');
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  return { module: parts.join('.'), isPackage };
}
