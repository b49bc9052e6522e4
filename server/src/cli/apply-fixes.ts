import { MAX_FIX_PASSES, selectFixes } from '../core/fixes/select';
import type { Project } from '../core/project';
import { applyEdits } from '../core/text';
import type { Finding, Fix } from '../core/types';
import type { Encoding } from '../node/read';
import { writeAllOrNothing, type PlannedWrite } from '../node/write-files';

/** A fix that was not applied, and why, in one sentence. */
export interface RefusedFix {
  title: string;
  reason: string;
}

/**
 * Applies fixes until none is left, re-linting after each pass so fixes never stack on stale
 * offsets. Each fix is written whole or not at all (see writeAllOrNothing), in the encoding
 * its files were read in; a refused fix is reported and not tried again.
 */
export async function applyFixes(
  project: Project,
  encodings: Map<string, Encoding>,
  lint: () => Finding[],
  allowUnsafe: boolean,
): Promise<{ applied: number; findings: Finding[]; refused: RefusedFix[] }> {
  let applied = 0;
  const refused: RefusedFix[] = [];
  const refusedKeys = new Set<string>();
  const key = (path: string, fix: Fix) => `${path}|${fix.title}`;
  let findings = lint();
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const usable = findings.filter((f) => {
      const fix = f.fixes()[0];
      return !fix || !refusedKeys.has(key(f.path, fix));
    });
    const { fixes } = selectFixes(usable, allowUnsafe);
    if (fixes.length === 0) break;
    for (const fix of fixes) {
      const outcome = await writeFix(project, encodings, fix);
      if (outcome.ok) applied++;
      else {
        refused.push({ title: fix.title, reason: outcome.reason });
        for (const f of usable) if (f.fixes()[0] === fix) refusedKeys.add(key(f.path, fix));
      }
    }
    findings = lint();
  }
  return { applied, findings, refused };
}

async function writeFix(project: Project, encodings: Map<string, Encoding>, fix: Fix) {
  const merged = new Map<string, PlannedWrite>();
  for (const change of fix.changes) {
    const prior = merged.get(change.path);
    const current = prior ? prior.text : change.create ? '' : project.get(change.path)?.text;
    if (current === undefined)
      return { ok: false as const, reason: `${project.relative(change.path)} is not part of the project` };
    merged.set(change.path, {
      path: change.path,
      text: applyEdits(current, change.edits),
      expected: prior ? prior.expected : change.create ? undefined : current,
      encoding: encodings.get(change.path) ?? 'utf8',
    });
  }
  const writes = [...merged.values()];
  const outcome = await writeAllOrNothing(project.root, writes);
  if (outcome.ok) {
    for (const w of writes) {
      encodings.set(w.path, w.encoding);
      project.setFile(w.path, w.text);
    }
  }
  return outcome;
}
