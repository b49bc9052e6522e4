import type { Span } from '../types';

/** `key = value` (or `key: value`, or systemd's `Key=value`) with where each part is. */
export interface IniEntry {
  key: string;
  keySpan: Span;
  /** The value with continuation lines joined by '\n', as configparser reads it. */
  value: string;
  valueSpan: Span;
  /** The whole entry, continuation lines included. */
  span: Span;
}

export interface IniSection {
  name: string;
  nameSpan: Span;
  entries: IniEntry[];
  /** End of the section's last line, where a new entry can be appended. */
  end: number;
}

/**
 * INI as configparser and systemd read it: `[section]` headers, `#`/`;` comment lines,
 * `key = value` or `key: value`, and indented continuation lines. Used for setup.cfg,
 * PasteDeploy `.ini` files and systemd units.
 */
export function parseIni(text: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  let last: IniEntry | undefined;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const end = start + line.length;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') last = undefined;
      continue;
    }
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      const nameStart = start + line.indexOf(header[1]);
      current = {
        name: header[1].trim(),
        nameSpan: { start: nameStart, end: nameStart + header[1].length },
        entries: [],
        end,
      };
      sections.push(current);
      last = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s/.test(line) && last) {
      last.value += `\n${trimmed}`;
      last.valueSpan = {
        start: last.valueSpan.start === last.valueSpan.end ? start + line.indexOf(trimmed) : last.valueSpan.start,
        end,
      };
      last.span = { start: last.span.start, end };
      current.end = end;
      continue;
    }
    // `key = value`: the first `=` or `:` splits, as configparser does. indexOf, not a lazy
    // regex, which backtracks quadratically on a long line without a delimiter.
    const body = line.trimStart();
    const delimiter = firstOf(body, '=', ':');
    if (delimiter <= 0) continue;
    const key = body.slice(0, delimiter).trim();
    if (key === '') continue;
    const keyStart = start + (line.length - body.length);
    const value = body.slice(delimiter + 1).trim();
    const valueStart = value ? start + line.lastIndexOf(value) : end;
    last = {
      key,
      keySpan: { start: keyStart, end: keyStart + key.length },
      value,
      valueSpan: { start: valueStart, end: valueStart + value.length },
      span: { start: keyStart, end },
    };
    current.entries.push(last);
    current.end = end;
  }
  return sections;
}

/** The first index of either character, or -1. */
function firstOf(text: string, a: string, b: string): number {
  const i = text.indexOf(a);
  const j = text.indexOf(b);
  return i === -1 ? j : j === -1 ? i : Math.min(i, j);
}
