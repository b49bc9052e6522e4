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
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*\(?\s*([^;@#)]*)/.exec(text);
  if (!m) return undefined;
  return { name: normalizeName(m[1]), specifier: m[3].trim().replace(/\s+/g, ''), span: { start: offset + m.index + m[0].indexOf(m[1]), end: offset + text.replace(/\s*(#.*)?$/, '').length } };
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
    const r = parseRequirement(line.replace(/\s+#.*$/, ''), start);
    if (r) out.push(r);
  }
  return out;
}
