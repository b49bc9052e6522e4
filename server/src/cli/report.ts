import type { Finding } from '../core/types';
import type { LineIndex } from '../core/text';

/** A finding placed for output: 1-based lines and UTF-16 columns, paths relative to the cwd. */
export interface PlacedFinding {
  finding: Finding;
  /** Path for display, relative to the working directory, forward slashes. */
  display: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
  related: { display: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
  fix?: { title: string; safety: 'safe' | 'unsafe' };
}

export interface RunReport {
  findings: PlacedFinding[];
  skipped: { display: string; reason: string }[];
  /** Fixes applied by --fix. */
  applied: number;
  /** Findings whose fix needs --unsafe-fixes. */
  unsafeAvailable: number;
  /** Absolute working directory, as a core path. */
  cwd: string;
  /** No file at all was read: the text output must not claim that checks passed. */
  nothingLinted?: boolean;
}

export function place(
  finding: Finding,
  linesOf: (path: string) => LineIndex,
  display: (path: string) => string,
): PlacedFinding {
  const at = (path: string, offset: number) => {
    const p = linesOf(path).positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  };
  const fix = finding.fixes()[0];
  return {
    finding,
    display: display(finding.path),
    start: at(finding.path, finding.span.start),
    end: at(finding.path, finding.span.end),
    related: finding.related.map((r) => {
      const s = at(r.path, r.span.start);
      const e = at(r.path, r.span.end);
      return {
        display: display(r.path),
        line: s.line,
        column: s.column,
        endLine: e.line,
        endColumn: e.column,
        message: r.message,
      };
    }),
    fix: fix ? { title: fix.title, safety: fix.safety } : undefined,
  };
}
