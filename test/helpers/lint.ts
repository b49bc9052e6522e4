import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintProject } from '../../server/src/core/lint';
import { Project } from '../../server/src/core/project';
import { RULES } from '../../server/src/core/rules/index';
import { emptyProjectConfig, resolveSettings } from '../../server/src/core/settings';
import { applyEdits } from '../../server/src/core/text';
import type { Finding, Fix } from '../../server/src/core/types';
import { selectFixes } from '../../server/src/core/fixes/select';
import { loadProject } from '../../server/src/node/load-project';
import { createParsers, ensureNodeParsers } from '../../server/src/node/parser';
import { toCorePath } from '../../server/src/node/paths';
import { MAX_FIX_PASSES } from '../../server/src/core/fixes/select';

/** A fixed, recognisable "random" secret so tests can look for it. */
export const TEST_RANDOM = 'f'.repeat(64);

/** An in-memory project from `{ relativePath: text }`. */
export async function projectOf(files: Record<string, string>, root = '/proj'): Promise<Project> {
  const parsers = await createParsers();
  await ensureNodeParsers(parsers);
  const project = new Project(root, parsers);
  for (const [rel, text] of Object.entries(files)) project.setFile(`${root}/${rel}`, text);
  return project;
}

/** A project loaded from a real folder through the real walker. */
export async function projectFromDisk(folder: string): Promise<Project> {
  const loaded = await loadProject(
    folder,
    await createParsers(),
    { config: emptyProjectConfig(), errors: [] },
    { respectIgnores: true, maxFileSize: 1024 * 1024 },
  );
  return loaded.project;
}

export function lint(project: Project, only?: string[]): Finding[] {
  const settings = resolveSettings(RULES, emptyProjectConfig(), undefined, { select: only });
  return [...lintProject(project, settings, () => TEST_RANDOM).values()].flat();
}

/** Applies one fix to the in-memory project (creating files as needed). */
export function applyFix(project: Project, fix: Fix): void {
  for (const change of fix.changes) {
    const current = change.create ? '' : project.get(change.path)?.text;
    if (current === undefined) throw new Error(`fix edits ${change.path}, which the project does not hold`);
    project.setFile(change.path, applyEdits(current, change.edits));
  }
}

/** Applies first fixes pass by pass, as `--fix --unsafe-fixes` does; returns the passes used. */
export function applyAllFixes(project: Project, maxPasses = MAX_FIX_PASSES): number {
  for (let pass = 1; pass <= maxPasses; pass++) {
    const { fixes } = selectFixes(lint(project), true);
    if (fixes.length === 0) return pass - 1;
    for (const fix of fixes) applyFix(project, fix);
  }
  return maxPasses + 1;
}

/** Copies a folder into a fresh temporary one (CLI and LSP tests write into it). */
export async function copyToTemp(folder: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sessionlint-test-'));
  await fs.cp(folder, dir, { recursive: true });
  return toCorePath(dir);
}
