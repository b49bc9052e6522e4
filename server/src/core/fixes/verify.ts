import { fileParses, type Project } from '../project';
import type { Rule, RuleOptions } from '../rules/rule';
import type { Fix, Span, TextEdit } from '../types';

/**
 * Characters re-parsed by fix trials per version of a broken file (see confirmFixes): sixteen
 * trials of a 64 KB file, or one of a 1 MB file.
 */
export const TRIAL_BUDGET = 1024 * 1024;

/**
 * Keeps the fixes whose result the project model confirms. A fix that touches a file with
 * syntax errors is applied, in the model only, and dropped when the rule then reports the same
 * problem at the same place with the same fix again: a keyword inserted into an unterminated
 * call, or a header into a truncated nginx block, is invisible to the parser and would
 * otherwise be applied on every pass, a hundred times. Fixes to files that parse are built by
 * the rules for code the parser reads, and the fixture suite checks that they converge and
 * keep the files parsing; trying each of them here would make every lint quadratic.
 */
export function confirmFixes(
  project: Project,
  rule: Rule,
  options: RuleOptions,
  finding: { path: string; span: Span; message: string },
  fixes: readonly Fix[],
): Fix[] {
  return fixes.filter((fix) => {
    // A line appended to a dotenv file that ends inside an open quote would join that value,
    // and the entries after the quote cannot be seen, so a key could be written twice.
    if (fix.changes.some((c) => project.get(c.path)?.dotenv?.unclosedQuote)) return false;
    const touchesBroken = fix.changes.some((c) => {
      const file = project.get(c.path);
      return file !== undefined && !fileParses(file);
    });
    if (!touchesBroken) return true;
    // Each trial costs a parse of the files it changes: a broken file with thousands of
    // findings would make asking for every fix quadratic, so each version of a file gets a
    // budget of re-parsed text, and the fixes past it, unconfirmed, are not offered.
    const home = project.get(finding.path);
    if (!home) return false;
    const spent = project.trialsSpent.get(home) ?? 0;
    const cost = Math.max(
      1,
      fix.changes.reduce((n, c) => n + (project.get(c.path)?.text.length ?? 0), 0),
    );
    if (spent + cost > TRIAL_BUDGET) return false;
    project.trialsSpent.set(home, spent + cost);
    const at = mapOffset(
      finding.span.start,
      fix.changes.filter((c) => c.path === finding.path).flatMap((c) => c.edits),
    );
    const signature = fixSignature(fix);
    const confirmed = project.trial(fix.changes, () => {
      let repeated = false;
      rule.check({
        project,
        options,
        report: (r) => {
          if (repeated || r.path !== finding.path || r.message !== finding.message || r.span.start !== at) return;
          repeated = (r.fixes?.() ?? []).some((f) => fixSignature(f) === signature);
        },
      });
      return !repeated;
    });
    return confirmed === true;
  });
}

/** Where an offset lands once edits before it are applied. */
function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let shift = 0;
  for (const e of edits) if (e.end <= offset) shift += e.newText.length - (e.end - e.start);
  return offset + shift;
}

/** What a fix writes, whatever the offsets: the same text inserted again is the same fix. */
function fixSignature(fix: Fix): string {
  return JSON.stringify([fix.title, fix.changes.map((c) => [c.path, c.edits.map((e) => e.newText)])]);
}
