import assert from 'node:assert/strict';
import { buildChains } from '../../server/src/core/chain';
import { lintProject } from '../../server/src/core/lint';
import { fileParses, type Project } from '../../server/src/core/project';
import { RULES } from '../../server/src/core/rules/index';
import { emptyProjectConfig, resolveSettings } from '../../server/src/core/settings';
import { selectFixes, MAX_FIX_PASSES } from '../../server/src/core/fixes/select';
import type { Finding } from '../../server/src/core/types';
import { applyFix, TEST_RANDOM } from '../helpers/lint';
import { PLANTED } from './seeds';

const SETTINGS = resolveSettings(RULES, emptyProjectConfig());

/** Lints with every rule; a rule that throws fails the property. */
export function lintAll(project: Project): Finding[] {
  return [
    ...lintProject(
      project,
      SETTINGS,
      () => TEST_RANDOM,
      (rule, e) => {
        throw new Error(`rule ${rule.id} threw: ${(e as Error)?.stack ?? String(e)}`);
      },
    ).values(),
  ].flat();
}

/** The chain of every app builds, and neither it nor its findings show the planted secret. */
export function assertChainKeepsSecrets(project: Project, findings: readonly Finding[]): void {
  const shown = JSON.stringify(buildChains(project, findings));
  assert.ok(!shown.includes(PLANTED) && !shown.includes(PLANTED.slice(0, 12)), 'the chain shows a planted secret');
}

/** No message, related message or fix title holds the planted secret. */
export function assertNoPlantedSecret(findings: readonly Finding[]): void {
  for (const f of findings) {
    const texts = [f.message, ...f.related.map((r) => r.message), ...f.fixes().map((x) => x.title)];
    for (const t of texts)
      assert.ok(
        !t.includes(PLANTED) && !t.includes(PLANTED.slice(0, 12)),
        `${f.ruleId} shows a planted secret: ${JSON.stringify(t.slice(0, 200))}`,
      );
  }
}

/**
 * Applies fixes pass by pass as `--fix --unsafe-fixes` does: they must run out well before the
 * pass limit, never overlap, and leave every file that parsed still parsing.
 */
export function assertFixesConverge(project: Project): void {
  const parsedBefore = new Set([...project.all()].filter(fileParses).map((f) => f.path));
  const applied = new Set<string>();
  let findingsAtStart: number | undefined;
  let pass = 0;
  for (; pass < MAX_FIX_PASSES; pass++) {
    const findings = lintAll(project);
    findingsAtStart ??= findings.length;
    assertNoPlantedSecret(findings);
    const { fixes } = selectFixes(findings, true);
    if (fixes.length === 0) break;
    for (const fix of fixes) {
      // The same edit at the same place in the same text is a fix that repeats itself.
      const signature = JSON.stringify([
        fix.title,
        fix.changes.map((c) => [c.path, project.get(c.path)?.text.length, c.edits]),
      ]);
      assert.ok(!applied.has(signature), `fix applied twice: ${fix.title}`);
      applied.add(signature);
      applyFix(project, fix);
    }
  }
  assert.ok(pass <= findingsAtStart! + 10, `fixes did not converge: ${pass} passes for ${findingsAtStart} findings`);
  for (const path of parsedBefore) {
    const file = project.get(path);
    if (file) assert.ok(fileParses(file), `${project.relative(path)} no longer parses after its fixes`);
  }
}
