import type { Span } from '../types';

/** A requirement as pip reads it: a normalized name and its version specifiers. */
export interface Requirement {
  /** PEP 503 normalized: lower case, runs of `-_.` as `-`. */
  name: string;
  /** `==3.0.3`, `>=2.2,<3`, or '' when unpinned. */
  specifier: string;
  span: Span;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** One PEP 508 requirement string (`flask[async]>=2.2,<3; python_version>"3.8"`). */
export function parseRequirement(text: string, offset = 0): Requirement | undefined {
  // Every quantifier here is followed by a character it cannot match, so matching is linear.
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*\(?\s*([^;@#)]*)/.exec(text);
  if (!m) return undefined;
  const hash = text.indexOf('#');
  return {
    name: normalizeName(m[1]),
    specifier: m[3].trim().replace(/\s+/g, ''),
    span: {
      start: offset + m.index + m[0].indexOf(m[1]),
      end: offset + trimEndLength(text, hash === -1 ? text.length : hash),
    },
  };
}

/** Length of `text.slice(0, end)` without trailing whitespace, in one backward pass. */
function trimEndLength(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  return i;
}

/** The requirements of a requirements*.txt file (options, URLs and `-r` includes skipped). */
export function parseRequirementsTxt(text: string): Requirement[] {
  const out: Requirement[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|-|$)/.test(line) || /:\/\//.test(line)) continue;
    // An inline comment starts at ` #`; cut there with indexOf rather than a backtracking regex.
    const comment = line.search(/\s#/);
    const r = parseRequirement(comment === -1 ? line : line.slice(0, comment), start);
    if (r) out.push(r);
  }
  return out;
}
