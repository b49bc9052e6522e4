import { isSuppressed } from './facts/suppressions';
import { confirmFixes } from './fixes/verify';
import type { Project } from './project';
import type { Report, Rule, RuleOptions } from './rules/rule';
import { RULES } from './rules/index';
import type { LintSettings } from './settings';
import type { Finding, Severity } from './types';

const LOWER: Record<Severity, Severity> = {
  error: 'warning',
  warning: 'information',
  information: 'hint',
  hint: 'hint',
};

/**
 * Runs every enabled rule over the project; findings come back grouped by file path. A rule
 * that throws is reported through `onRuleError` and the others still run.
 */
export function lintProject(
  project: Project,
  settings: LintSettings,
  randomSecret: () => string,
  onRuleError: (rule: Rule, error: unknown) => void = (_rule, error) => {
    throw error;
  },
  rules: readonly Rule[] = RULES,
): Map<string, Finding[]> {
  const byPath = new Map<string, Finding[]>();
  const options: RuleOptions = { secretEnvVar: settings.secretEnvVar, randomSecret };
  for (const rule of rules) {
    if (!settings.enabled.has(rule.id)) continue;
    const severity = settings.severity.get(rule.id) ?? rule.defaultSeverity;
    // The same finding reached twice (two commands that read one gunicorn.conf.py) is shown once.
    let reported: Set<string> | undefined;
    const report = (r: Report) => {
      const file = project.get(r.path);
      if (!file) return;
      if (isSuppressed(file.suppressions, project.lines(r.path).positionAt(r.span.start).line, rule.id, rule.name))
        return;
      const key = `${r.path}\0${r.span.start}\0${r.span.end}\0${r.message}`;
      reported ??= new Set();
      if (reported.has(key)) return;
      reported.add(key);
      const finding: Finding = {
        ruleId: rule.id,
        ruleName: rule.name,
        path: r.path,
        span: r.span,
        message: r.message,
        severity: r.note ? (severity === 'hint' ? 'hint' : 'information') : r.lowered ? LOWER[severity] : severity,
        // A finding points at a few other places, never at thousands.
        related: (r.related ?? []).slice(0, 20),
        fixes: r.fixes ? once(() => confirmFixes(project, rule, options, r, r.fixes?.() ?? [])) : () => [],
      };
      const list = byPath.get(r.path);
      if (list) list.push(finding);
      else byPath.set(r.path, [finding]);
    };
    try {
      rule.check({ project, options, report });
    } catch (e) {
      onRuleError(rule, e);
    }
  }
  for (const list of byPath.values())
    list.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return byPath;
}

/** Fixes are confirmed once per finding, however often a client asks for them. */
function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}
