/**
 * Suppression comments, one syntax in every file kind (`#` or `//` comments):
 *   `sessionlint: disable=SL101,SL102`            this line
 *   `sessionlint: disable-next-line=SL101`        the next line
 *   `sessionlint: disable-file=SL101`             the whole file
 * Without `=codes` the comment covers every rule. Codes may be ids or rule names.
 */
export interface Suppressions {
  /** Zero-based line -> codes suppressed on it ('*' = all). */
  lines: Map<number, string[]>;
  file: string[];
}

const PATTERN =
  /(?:#|\/\/)\s*sessionlint:\s*(disable-next-line|disable-file|disable)\b(?:\s*=\s*([\w-]+(?:\s*,\s*[\w-]+)*))?/g;

export function parseSuppressions(text: string): Suppressions {
  const result: Suppressions = { lines: new Map(), file: [] };
  if (!text.includes('sessionlint:')) return result;
  // Lines are counted on from the previous match, so many comments cost one pass, not one each.
  let line = 0;
  let counted = 0;
  for (const match of text.matchAll(PATTERN)) {
    const codes = match[2] ? match[2].split(',').map((c) => c.trim()) : ['*'];
    if (match[1] === 'disable-file') {
      result.file.push(...codes);
      continue;
    }
    line += newlinesBetween(text, counted, match.index);
    counted = match.index;
    const target = line + (match[1] === 'disable-next-line' ? 1 : 0);
    result.lines.set(target, [...(result.lines.get(target) ?? []), ...codes]);
  }
  return result;
}

/** The disable comment on one line, with the span of each code in it, for hover. */
export function suppressionCodesOnLine(line: string): { code: string; start: number; end: number; scope: string }[] {
  const out: { code: string; start: number; end: number; scope: string }[] = [];
  for (const match of line.matchAll(PATTERN)) {
    if (!match[2]) {
      out.push({ code: '*', start: match.index, end: match.index + match[0].length, scope: match[1] });
      continue;
    }
    let at = match.index + match[0].length - match[2].length;
    for (const part of match[2].split(',')) {
      const code = part.trim();
      const start = at + part.indexOf(code);
      out.push({ code, start, end: start + code.length, scope: match[1] });
      at += part.length + 1;
    }
  }
  return out;
}

export function isSuppressed(s: Suppressions, line: number, ruleId: string, ruleName: string): boolean {
  const hit = (codes: string[] | undefined) =>
    !!codes && codes.some((c) => c === '*' || c === ruleId || c === ruleName);
  return hit(s.file) || hit(s.lines.get(line));
}

function newlinesBetween(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
