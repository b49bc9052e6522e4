import type { RunReport } from './report';

/** ruff-style lines: `path:line:col: SL101 [error] message`, then a summary. */
export function formatText(report: RunReport, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const p of report.findings) {
    const f = p.finding;
    const marker = p.fix?.safety === 'safe' ? ' [*]' : '';
    lines.push(
      `${c('1', printable(p.display))}:${p.start.line}:${p.start.column}: ${c('31;1', f.ruleId)}${marker} [${f.severity}] ${f.message}`,
    );
    for (const r of p.related) lines.push(`    ${printable(r.display)}:${r.line}:${r.column}: ${r.message}`);
  }
  const files = new Set(report.findings.map((p) => p.display)).size;
  const n = report.findings.length;
  if (n === 0) lines.push(report.nothingLinted ? 'No files were linted.' : 'All checks passed!');
  else lines.push(`Found ${n} problem${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.`);
  const safe = report.findings.filter((p) => p.fix?.safety === 'safe').length;
  if (safe > 0) lines.push(`[*] ${safe} fixable with the --fix option.`);
  if (report.unsafeAvailable > 0)
    lines.push(
      `${report.unsafeAvailable} fix${report.unsafeAvailable === 1 ? ' is' : 'es are'} available with --fix --unsafe-fixes.`,
    );
  if (report.applied > 0) lines.push(`Applied ${report.applied} fix${report.applied === 1 ? '' : 'es'}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * A file name as one line of a terminal: control characters (newlines, escape sequences that
 * could rewrite the screen) are shown escaped, as `\n` or `\x1b`.
 */
export function printable(name: string): string {
  // Control characters are exactly what this strips, so the regex must name them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return name.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
