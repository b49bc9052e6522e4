import type { Rule } from '../core/rules/rule';
import { renderRuleDoc } from '../core/rules/docs';
import type { Severity } from '../core/types';
import type { RunReport } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** SARIF 2.1.0, one run. Fixes are left out: their edits can carry a secret's value. */
export function formatSarif(report: RunReport, rules: readonly Rule[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const location = (display: string, line: number, column: number, endLine: number, endColumn: number) => ({
    physicalLocation: {
      artifactLocation: display.startsWith('/')
        ? { uri: `file://${uriPath(display)}` }
        : { uri: uriPath(display), uriBaseId: '%SRCROOT%' },
      region: { startLine: line, startColumn: column, endLine, endColumn },
    },
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Session Lint',
            semanticVersion: version,
            version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.docs.whatItDoes },
              help: { text: `${r.docs.whatItDoes}\n\n${r.docs.whyIsThisBad}`, markdown: renderRuleDoc(r) },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: `file://${uriPath(report.cwd.endsWith('/') ? report.cwd : `${report.cwd}/`)}` },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({
              level: 'note',
              message: { text: `Skipped ${s.display}: ${s.reason}` },
              locations: [
                { physicalLocation: { artifactLocation: { uri: uriPath(s.display), uriBaseId: '%SRCROOT%' } } },
              ],
            })),
          },
        ],
        results: report.findings.map((p) => ({
          ruleId: p.finding.ruleId,
          ruleIndex: index.get(p.finding.ruleId) ?? -1,
          level: LEVEL[p.finding.severity],
          message: { text: p.finding.message },
          locations: [location(p.display, p.start.line, p.start.column, p.end.line, p.end.column)],
          relatedLocations: p.related.map((r, i) => ({
            id: i,
            message: { text: r.message },
            ...location(r.display, r.line, r.column, r.endLine, r.endColumn),
          })),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/**
 * A path as a URI reference: each segment percent-encoded, so `#`, `?`, `:` and `%` in a file
 * name stay part of the path (encodeURI leaves `#` and `?`, which would start a fragment or a
 * query, and a `:` in a first segment would read as a scheme).
 */
export function uriPath(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
