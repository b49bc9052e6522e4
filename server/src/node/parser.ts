import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { PythonParser } from '../core/parse/python';

/**
 * Finds a .wasm file: next to the bundle (dist/, the installed extension) or, when running
 * from compiled sources in tests, in its npm package.
 */
function locate(file: string, pkg: string): string {
  const beside = path.join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(`${pkg}/${file}`);
}

let language: Promise<Language> | undefined;

/** Loads the runtime and the Python grammar once per process; each caller gets its own parser. */
export async function createPythonParser(): Promise<PythonParser> {
  language ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    return Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
  })();
  return new PythonParser(await language);
}
