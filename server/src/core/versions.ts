/** A release as numbers (`3.0.3` -> [3, 0, 3]). */
export type Version = number[];

/**
 * What we assume when a project pins nothing: the releases current when this was written, read
 * as "this or later" (the rules only compare against the versions where behaviour changed).
 * Messages say so whenever they rely on it.
 */
export const CURRENT_RELEASES: Record<string, string> = {
  flask: '3.1',
  werkzeug: '3.1',
  waitress: '3.0',
  gunicorn: '23.0',
  django: '5.2',
  uvicorn: '0.35',
  express: '5.1',
  'express-session': '1.19',
  'cookie-session': '2.1',
  node: '22.0',
};

export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(text.trim());
  return m ? m[1].split('.').map(Number) : undefined;
}

/** A version written in this code (a threshold, a current release): malformed is a bug here. */
export function knownVersion(text: string): Version {
  const version = parseVersion(text);
  if (!version) throw new Error(`not a version: ${text}`);
  return version;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function formatVersion(v: Version): string {
  return v.join('.');
}

/**
 * The newest version a specifier allows, as pip would install it, capped by the current
 * release: `==3.0.3` -> 3.0.3; `>=2.2,<3` -> just below 3; Poetry `^2.2` and `~=2.2` likewise;
 * no upper bound -> the current release.
 */
export function highestAllowed(specifier: string, current: Version): Version {
  let highest = current;
  for (const raw of specifier
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(===|==|~=|!=|<=|>=|<|>|\^|~)?\s*v?([\d.*]+)/.exec(raw);
    if (!m) continue;
    const op = m[1] ?? '==';
    const v = parseVersion(m[2].replace(/\.\*$/, ''));
    if (!v) continue;
    if ((op === '==' || op === '===') && !m[2].includes('*')) return v;
    if (op === '==' && m[2].includes('*')) highest = min(highest, justBelow([...v.slice(0, -1), v[v.length - 1] + 1]));
    else if (op === '<') highest = min(highest, justBelow(v));
    else if (op === '<=') highest = min(highest, v);
    else if (op === '~=')
      highest = min(highest, justBelow(v.length > 1 ? [...v.slice(0, -2), v[v.length - 2] + 1] : [v[0] + 1]));
    else if (op === '^') highest = min(highest, justBelow(caretUpper(v)));
    else if (op === '~') highest = min(highest, justBelow(v.length > 1 ? [v[0], v[1] + 1] : [v[0] + 1]));
    else if ((op === '>=' || op === '>') && compareVersions(highest, v) < 0) highest = v;
  }
  return highest;
}

function caretUpper(v: Version): Version {
  const i = v.findIndex((n) => n !== 0);
  if (i === -1) return [0, 0, 1];
  return [...v.slice(0, i), v[i] + 1];
}

/** The greatest version below `v` we need to tell apart: `3.0` -> 2.999999. */
function justBelow(v: Version): Version {
  const out = [...v];
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] > 0) {
      out[i]--;
      return [...out.slice(0, i + 1), 999999];
    }
    out[i] = 999999;
  }
  return [0];
}

function min(a: Version, b: Version): Version {
  return compareVersions(a, b) <= 0 ? a : b;
}
