import type { Finding, Fix } from '../types';

/** As in ruff: enough passes for many fixes in one file at one fix per file per pass. */
export const MAX_FIX_PASSES = 100;

/**
 * Picks at most one fix per finding (its first, preferred one) such that no two picked fixes
 * touch the same file; the rest wait for the next pass, after a re-lint. Fixes that share
 * files (two findings both appending to `.env`) can then never collide.
 */
export function selectFixes(
  findings: readonly Finding[],
  allowUnsafe: boolean,
): { fixes: Fix[]; skippedUnsafe: number; deferred: number } {
  const fixes: Fix[] = [];
  const touched = new Set<string>();
  let skippedUnsafe = 0;
  let deferred = 0;
  for (const finding of findings) {
    // A finding sits where its fix goes: once its file is taken this pass, wait without
    // building the fix (building one may mean trying it, see confirmFixes).
    if (touched.has(finding.path)) {
      deferred++;
      continue;
    }
    const fix = finding.fixes()[0];
    if (!fix) continue;
    if (fix.safety === 'unsafe' && !allowUnsafe) {
      skippedUnsafe++;
      continue;
    }
    if (fix.changes.some((c) => touched.has(c.path))) {
      deferred++;
      continue;
    }
    for (const c of fix.changes) touched.add(c.path);
    fixes.push(fix);
  }
  return { fixes, skippedUnsafe, deferred };
}
