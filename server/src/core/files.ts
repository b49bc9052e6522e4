import { basename } from './paths';

/** The kinds of file the project model reads. */
export type FileKind = 'python' | 'dotenv' | 'gitignore';

/** Project configuration files, in order of precedence. */
export const CONFIG_FILES = ['sessionlint.toml', 'pyproject.toml'] as const;

export function fileKindOf(path: string): FileKind | undefined {
  const name = basename(path);
  if (name.endsWith('.py')) return 'python';
  if (name === '.env' || name === '.flaskenv' || name.startsWith('.env.')) return 'dotenv';
  if (name === '.gitignore') return 'gitignore';
  return undefined;
}

/**
 * Whether a Python file can matter to any rule. Most files in a real tree never mention a
 * session secret or Flask; skipping their parse is what makes a full scan fast.
 */
export function pythonMightMatter(text: string): boolean {
  return /flask|secret_key/i.test(text);
}
