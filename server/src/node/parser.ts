import { existsSync } from 'node:fs';
import path from 'node:path';
import sea from 'node:sea';
import { Language, Parser } from 'web-tree-sitter';
import { ORDINARY_SAMPLES } from '../core/parse/parse-budget';
import type { Parsers } from '../core/parse/parsers';
import { SyntaxParser } from '../core/parse/tree-sitter';

/**
 * Finds a .wasm file: inside the standalone executable (a single executable application's
 * asset), next to the bundle (dist/, the installed extension) or, when running from compiled
 * sources in tests, in its npm package.
 */
function locate(file: string, pkg: string): string | Uint8Array {
  if (sea.isSea()) return new Uint8Array(sea.getAsset(file));
  const beside = path.join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(`${pkg}/${file}`);
}

/**
 * This process's CPU time in milliseconds: the clock a parse's pace is judged by, so that a parse
 * the scheduler set aside on a busy machine is not taken for a slow one.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

let languages: Promise<{ python: Language; toml: Language }> | undefined;
let nodeLanguages: Promise<{ javascript: Language; typescript: Language }> | undefined;

/** Loads the runtime and the grammars once per process; each caller gets its own parsers. */
export async function createParsers(): Promise<Parsers> {
  languages ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter');
    // Emscripten takes the runtime's bytes (`wasmBinary`) or a function that names its file.
    await Parser.init(typeof runtime === 'string' ? { locateFile: () => runtime } : { wasmBinary: runtime });
    const [python, toml] = await Promise.all([
      Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python')),
      Language.load(locate('tree-sitter-toml.wasm', '@tree-sitter-grammars/tree-sitter-toml')),
    ]);
    return { python, toml };
  })();
  const loaded = await languages;
  return {
    python: new SyntaxParser(loaded.python, ORDINARY_SAMPLES.python, cpuMs),
    toml: new SyntaxParser(loaded.toml, ORDINARY_SAMPLES.toml, cpuMs),
  };
}

/**
 * Loads the JavaScript and TypeScript grammars into `parsers`, once a project has a script to
 * parse: 1.8 MB of WebAssembly a Python-only workspace never loads.
 */
export async function ensureNodeParsers(parsers: Parsers): Promise<void> {
  if (parsers.node) return;
  nodeLanguages ??= (async () => {
    await languages;
    const [javascript, typescript] = await Promise.all([
      Language.load(locate('tree-sitter-javascript.wasm', 'tree-sitter-javascript')),
      Language.load(locate('tree-sitter-typescript.wasm', 'tree-sitter-typescript')),
    ]);
    return { javascript, typescript };
  })();
  const loaded = await nodeLanguages;
  parsers.node ??= {
    javascript: new SyntaxParser(loaded.javascript, ORDINARY_SAMPLES.javascript, cpuMs),
    typescript: new SyntaxParser(loaded.typescript, ORDINARY_SAMPLES.typescript, cpuMs),
  };
}
