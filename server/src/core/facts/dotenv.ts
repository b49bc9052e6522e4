import type { Span } from '../types';

/** One `NAME=value` line of a dotenv file. The value itself is never kept. */
export interface DotenvEntry {
  name: string;
  nameSpan: Span;
  /** The whole line, without its line break. */
  line: Span;
  /** The value as written (quotes included, inline comment excluded); never its text. */
  valueSpan: Span;
  hasValue: boolean;
  /** The value is only a reference (`${OTHER}`). */
  isReference: boolean;
}

/** The entries of a `.env` / `.env.example` / `.flaskenv` file. */
export interface DotenvFacts {
  entries: DotenvEntry[];
  /** The file ends inside a quoted value: anything appended would become part of it. */
  unclosedQuote: boolean;
}

const ENTRY = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$/;

export function extractDotenvFacts(text: string): DotenvFacts {
  const entries: DotenvEntry[] = [];
  let offset = 0;
  let inQuoted: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const start = offset;
    offset += raw.length + 1;
    // A double- or single-quoted value may span lines; its continuation lines are not entries.
    if (inQuoted) {
      if (closesQuote(line, inQuoted)) inQuoted = undefined;
      continue;
    }
    const m = ENTRY.exec(line);
    if (!m) continue;
    const nameStart = start + line.indexOf(m[1]);
    const value = m[2];
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : undefined;
    if (quote && !closesQuote(value.slice(1), quote)) inQuoted = quote;
    const bare = quote ? value : value.replace(/\s+#.*$/, '');
    const valueStart = start + line.length - value.length;
    entries.push({
      name: m[1],
      nameSpan: { start: nameStart, end: nameStart + m[1].length },
      line: { start, end: start + line.length },
      valueSpan: { start: valueStart, end: valueStart + bare.trimEnd().length },
      hasValue: bare.trim() !== '' && !bare.trim().startsWith('#') && !/^(""|'')$/.test(bare.trim()),
      isReference: /^["']?\$\{?[A-Za-z_][A-Za-z0-9_]*\}?["']?$/.test(bare.trim()),
    });
  }
  return { entries, unclosedQuote: inQuoted !== undefined };
}

function closesQuote(rest: string, quote: string): boolean {
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\' && quote === '"') i++;
    else if (rest[i] === quote) return true;
  }
  return false;
}
