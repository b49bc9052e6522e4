import type { Rule } from './rules/rule';
import type { Severity } from './types';

/** A severity or `off`, as users write it in settings. */
export type SeverityOrOff = Severity | 'off';

/** `[tool.sessionlint]` in pyproject.toml, or the top level of sessionlint.toml. */
export interface ProjectConfig {
  /** Rule ids, id prefixes (`SL1`), names, or `ALL`; default all. */
  select?: string[];
  ignore: string[];
  /** Globs (gitignore syntax) of files and folders to leave out. */
  exclude: string[];
  severity: Record<string, SeverityOrOff>;
  secretEnvVar?: string;
}

/** Editor settings (`sessionlint.*`); absent values fall back to defaults. */
export interface EditorSettings {
  enable: boolean;
  rules: Record<string, SeverityOrOff>;
  secretEnvVar?: string;
}

/** What one lint run uses, after combining the project config, editor settings and CLI flags. */
export interface LintSettings {
  enabled: Set<string>;
  severity: Map<string, Severity>;
  secretEnvVar: string;
}

// smol-toml ships a CommonJS build, but its type declarations are ESM-only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml } = require('smol-toml') as typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });

export const DEFAULT_SECRET_ENV_VAR = 'FLASK_SECRET_KEY';
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function emptyProjectConfig(): ProjectConfig {
  return { ignore: [], exclude: [], severity: {} };
}

/** Parses a project config file; problems come back as messages, never as exceptions. */
export function parseProjectConfig(text: string, fileName: string): { config?: ProjectConfig; errors: string[] } {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    return { errors: [`${fileName}: invalid TOML: ${(e as Error).message.split('\n')[0]}`] };
  }
  const section = fileName.endsWith('pyproject.toml') ? (doc.tool as Record<string, unknown> | undefined)?.sessionlint : doc;
  if (section === undefined) return { errors: [] };
  if (typeof section !== 'object' || section === null) return { errors: [`${fileName}: [tool.sessionlint] must be a table`] };
  const errors: string[] = [];
  const table = section as Record<string, unknown>;
  const strings = (key: string): string[] | undefined => {
    const v = table[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    errors.push(`${fileName}: \`${key}\` must be a list of strings`);
    return undefined;
  };
  const config: ProjectConfig = { select: strings('select'), ignore: strings('ignore') ?? [], exclude: strings('exclude') ?? [], severity: {} };
  const severity = table.severity;
  if (severity !== undefined) {
    if (typeof severity !== 'object' || severity === null) errors.push(`${fileName}: \`severity\` must be a table`);
    else {
      for (const [code, level] of Object.entries(severity)) {
        if (typeof level === 'string' && SEVERITIES.has(level)) config.severity[code] = level as SeverityOrOff;
        else errors.push(`${fileName}: severity of ${code} must be one of error, warning, information, hint, off`);
      }
    }
  }
  const envVar = table['secret-env-var'];
  if (typeof envVar === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(envVar)) config.secretEnvVar = envVar;
  else if (envVar !== undefined) errors.push(`${fileName}: \`secret-env-var\` must be an environment variable name`);
  for (const key of Object.keys(table)) {
    if (!['select', 'ignore', 'exclude', 'severity', 'secret-env-var'].includes(key)) errors.push(`${fileName}: unknown key \`${key}\``);
  }
  return { config, errors };
}

/** Whether a selector (`ALL`, `SL1`, `SL101`, `hardcoded-session-secret`) picks a rule. */
export function selects(selector: string, rule: Rule): boolean {
  return selector === 'ALL' || selector === rule.name || rule.id.startsWith(selector.toUpperCase());
}

/** Combines project config, editor settings and CLI selections into one run's settings. */
export function resolveSettings(
  rules: readonly Rule[],
  config: ProjectConfig,
  editor?: Partial<EditorSettings>,
  cli?: { select?: string[]; ignore?: string[] },
): LintSettings {
  const select = cli?.select ?? config.select ?? ['ALL'];
  const ignore = [...config.ignore, ...(cli?.ignore ?? [])];
  const enabled = new Set<string>();
  const severity = new Map<string, Severity>();
  for (const rule of rules) {
    const level = lookup(editor?.rules, rule) ?? lookup(config.severity, rule) ?? rule.defaultSeverity;
    if (level === 'off' || !select.some((s) => selects(s, rule)) || ignore.some((s) => selects(s, rule))) continue;
    enabled.add(rule.id);
    severity.set(rule.id, level);
  }
  return { enabled, severity, secretEnvVar: editor?.secretEnvVar || config.secretEnvVar || DEFAULT_SECRET_ENV_VAR };
}

function lookup(map: Record<string, SeverityOrOff> | undefined, rule: Rule): SeverityOrOff | undefined {
  if (!map) return undefined;
  const v = map[rule.id] ?? map[rule.name];
  return v && SEVERITIES.has(v) ? v : undefined;
}
