import { promises as fs } from 'node:fs';
import { MAX_FIX_PASSES, selectFixes } from '../core/fixes/select';
import type { Project } from '../core/project';
import { applyEdits } from '../core/text';
import type { Finding, Fix } from '../core/types';
import { toFsPath } from '../node/paths';


/**
 * Applies fixes until none is left, re-linting after each pass so fixes never stack on stale
 * offsets. Files are written in the encoding they were read in; a file a fix would create
 * but that now exists is left alone.
 */
export async function applyFixes(
  project: Project,
  encodings: Map<string, 'utf8' | 'latin1'>,
  lint: () => Finding[],
  allowUnsafe: boolean,
): Promise<{ applied: number; findings: Finding[] }> {
  let applied = 0;
  let findings = lint();
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const { fixes } = selectFixes(findings, allowUnsafe);
    let changed = 0;
    for (const fix of fixes) if (await writeFix(project, encodings, fix)) changed++;
    applied += changed;
    if (changed === 0) break;
    findings = lint();
  }
  return { applied, findings };
}

async function writeFix(project: Project, encodings: Map<string, 'utf8' | 'latin1'>, fix: Fix): Promise<boolean> {
  // Compute every new text first: a fix is applied whole or not at all.
  const writes: { path: string; text: string; create: boolean }[] = [];
  for (const change of fix.changes) {
    const current = change.create ? '' : project.get(change.path)?.text;
    if (current === undefined) return false;
    writes.push({ path: change.path, text: applyEdits(current, change.edits), create: !!change.create });
  }
  for (const w of writes) {
    const encoding = encodings.get(w.path) ?? 'utf8';
    try {
      await fs.writeFile(toFsPath(w.path), w.text, { encoding, flag: w.create ? 'wx' : 'w' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    encodings.set(w.path, encoding);
    project.setFile(w.path, w.text);
  }
  return true;
}
