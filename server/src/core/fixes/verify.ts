import { fileParses, type Project } from '../project';
import type { Report, Rule, RuleOptions } from '../rules/rule';
import type { Fix } from '../types';

/**
 * Keeps the fixes whose result the project model confirms. Each is applied, in the model only,
 * to the files it touches; it is dropped when a file that parsed no longer parses, or when the
 * rule then reports the same problem with the same fix again. A fix the parser cannot see
 * take effect (a keyword inserted into an unterminated call, a header into a truncated nginx
 * block) would otherwise be applied on every pass, a hundred times.
 */
export function confirmFixes(project: Project, rule: Rule, options: RuleOptions, message: string, fixes: readonly Fix[]): Fix[] {
  return fixes.filter((fix) => {
    const parsedBefore = new Map(fix.changes.map((c) => [c.path, (() => {
      const file = project.get(c.path);
      return file ? fileParses(file) : true;
    })()]));
    const confirmed = project.trial(fix.changes, () => {
      for (const c of fix.changes) {
        const file = project.get(c.path);
        if (parsedBefore.get(c.path) && file && !fileParses(file)) return false;
      }
      const again: Report[] = [];
      rule.check({ project, options, report: (r) => again.push(r) });
      const signature = fixSignature(fix);
      return !again.some((r) => r.message === message && (r.fixes?.() ?? []).some((f) => fixSignature(f) === signature));
    });
    return confirmed === true;
  });
}

/** What a fix writes, whatever the offsets: the same text inserted again is the same fix. */
function fixSignature(fix: Fix): string {
  return JSON.stringify([fix.title, fix.changes.map((c) => [c.path, c.edits.map((e) => e.newText)])]);
}
