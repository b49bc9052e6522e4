import type { RunReport } from './report';

/** Machine-readable findings. Fix edits are left out: they can carry a secret's value. */
export function formatJson(report: RunReport, version: string): string {
  return `${JSON.stringify(
    {
      tool: 'sessionlint',
      version,
      findings: report.findings.map((p) => ({
        code: p.finding.ruleId,
        name: p.finding.ruleName,
        severity: p.finding.severity,
        message: p.finding.message,
        path: p.display,
        start: p.start,
        end: p.end,
        related: p.related.map((r) => ({
          path: r.display,
          start: { line: r.line, column: r.column },
          end: { line: r.endLine, column: r.endColumn },
          message: r.message,
        })),
        fix: p.fix ?? null,
      })),
      skipped: report.skipped.map((s) => ({ path: s.display, reason: s.reason })),
      fixesApplied: report.applied,
    },
    null,
    2,
  )}\n`;
}
