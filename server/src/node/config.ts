import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILES } from '../core/files';
import type { SyntaxParser } from '../core/parse/tree-sitter';
import { DEFAULT_MAX_FILE_SIZE, readSourceFile } from './read';
import { emptyProjectConfig, parseProjectConfig, type ProjectConfig } from '../core/settings';

/** The project config in force for a folder, and problems found reading it. */
export interface LoadedConfig {
  config: ProjectConfig;
  /** The file it came from, if any. */
  source?: string;
  errors: string[];
}

/**
 * Reads `sessionlint.toml`, else `[tool.sessionlint]` in `pyproject.toml`, at the project root;
 * or the file the user named (`--config`, `sessionlint.configuration`), which must exist inside
 * the project: a configuration that cannot be read is an error, never a silent default.
 */
export async function loadProjectConfig(root: string, toml: SyntaxParser, explicit?: string): Promise<LoadedConfig> {
  const errors: string[] = [];
  if (explicit !== undefined) {
    const file = path.resolve(root, explicit);
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative))
      return {
        config: emptyProjectConfig(),
        errors: [`${explicit}: the configuration file must be inside the project`],
      };
    const read = readSourceFile(file, DEFAULT_MAX_FILE_SIZE);
    if (!('text' in read)) {
      const why =
        'unwanted' in read ? 'not a configuration file' : read.code === 'ENOENT' ? 'no such file' : read.skipped;
      return { config: emptyProjectConfig(), errors: [`${explicit}: ${why}`] };
    }
    const name = path.basename(file) === 'pyproject.toml' ? 'pyproject.toml' : 'sessionlint.toml';
    const parsed = parseProjectConfig(read.text, name, toml);
    if (parsed.config) return { config: parsed.config, source: file, errors: parsed.errors };
    return { config: emptyProjectConfig(), errors: [...parsed.errors, `${explicit}: no Session Lint settings in it`] };
  }
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    // Read as every project file is: never through a symlink, a FIFO or a device.
    const read = readSourceFile(file, DEFAULT_MAX_FILE_SIZE);
    if (!('text' in read)) {
      if ('unwanted' in read) continue;
      if (!('code' in read && (read.code === 'ENOENT' || read.code === 'ENOTDIR')))
        errors.push(`${name}: ${read.skipped}`);
      continue;
    }
    const text = read.text;
    const parsed = parseProjectConfig(text, name, toml);
    errors.push(...parsed.errors);
    if (parsed.config) return { config: parsed.config, source: file, errors };
  }
  return { config: emptyProjectConfig(), errors };
}

/** Files that mark the top of a Python project. */
const PROJECT_MARKERS = [
  ...CONFIG_FILES,
  'setup.py',
  'setup.cfg',
  'requirements.txt',
  'Pipfile',
  'package.json',
  '.git',
];

/** The nearest folder at or above `start` that holds a project marker; `start` itself if none. */
export async function findProjectRoot(start: string): Promise<string> {
  const markers = PROJECT_MARKERS;
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    for (const marker of markers) {
      try {
        await fs.access(path.join(dir, marker));
        return dir;
      } catch {
        // not here
      }
    }
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}
