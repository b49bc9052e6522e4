import { InputRefusedError } from './parse/nesting';
import { parseToml, tomlGet } from './parse/toml';
import type { SyntaxParser } from './parse/tree-sitter';
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
  /** The file it was read from, as errors name it (`pyproject.toml`). */
  source?: string;
}

/** Editor settings (`sessionlint.*`); absent values fall back to defaults. */
export interface EditorSettings {
  enable: boolean;
  rules: Record<string, SeverityOrOff>;
  secretEnvVar?: string;
  /** Lint while typing, or only when a file is saved (as ruff-vscode's `lint.run`). */
  run: 'onType' | 'onSave';
  /** A configuration file to use instead of the folder's own, relative to the folder. */
  configuration?: string;
}

/** What one lint run uses, after combining the project config, editor settings and CLI flags. */
export interface LintSettings {
  enabled: Set<string>;
  severity: Map<string, Severity>;
  secretEnvVar: string;
  /**
   * Selectors that name no rule, one line each (`--select: no rule matches "BOGUS"`). A typo
   * must never turn rules off silently: the CLI stops, the editor warns.
   */
  errors: string[];
}

export const DEFAULT_SECRET_ENV_VAR = 'FLASK_SECRET_KEY';
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function emptyProjectConfig(): ProjectConfig {
  return { ignore: [], exclude: [], severity: {} };
}

/** Parses a project config file; problems come back as messages, never as exceptions. */
export function parseProjectConfig(
  text: string,
  fileName: string,
  toml: SyntaxParser,
): { config?: ProjectConfig; errors: string[] } {
  let doc: ReturnType<typeof parseToml>;
  try {
    doc = parseToml(toml, text);
  } catch (e) {
    if (e instanceof InputRefusedError) return { errors: [`${fileName}: ${e.message}`] };
    throw e;
  }
  if (doc.hasErrors) return { errors: [`${fileName}: invalid TOML`] };
  const section = fileName.endsWith('pyproject.toml') ? tomlGet(doc.root, 'tool.sessionlint') : doc.root;
  if (section === undefined) return { errors: [] };
  if (section.kind !== 'table') return { errors: [`${fileName}: [tool.sessionlint] must be a table`] };
  const errors: string[] = [];
  const strings = (key: string): string[] | undefined => {
    const v = section.entries.get(key)?.value;
    if (v === undefined) return undefined;
    if (v.kind === 'array' && v.items.every((x) => x.kind === 'string'))
      return v.items.map((x) => (x as { value: string }).value);
    errors.push(`${fileName}: \`${key}\` must be a list of strings`);
    return undefined;
  };
  const config: ProjectConfig = {
    source: fileName,
    select: strings('select'),
    ignore: strings('ignore') ?? [],
    exclude: strings('exclude') ?? [],
    severity: {},
  };
  const severity = section.entries.get('severity')?.value;
  if (severity !== undefined) {
    if (severity.kind !== 'table') errors.push(`${fileName}: \`severity\` must be a table`);
    else {
      for (const [code, { value }] of severity.entries) {
        if (value.kind === 'string' && SEVERITIES.has(value.value))
          config.severity[code] = value.value as SeverityOrOff;
        else errors.push(`${fileName}: severity of ${code} must be one of error, warning, information, hint, off`);
      }
    }
  }
  const envVar = section.entries.get('secret-env-var')?.value;
  if (envVar?.kind === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(envVar.value)) config.secretEnvVar = envVar.value;
  else if (envVar !== undefined) errors.push(`${fileName}: \`secret-env-var\` must be an environment variable name`);
  for (const key of section.entries.keys()) {
    if (!['select', 'ignore', 'exclude', 'severity', 'secret-env-var'].includes(key))
      errors.push(`${fileName}: unknown key \`${key}\``);
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
  const errors = [
    ...selectorErrors(rules, cli?.select, '--select'),
    ...selectorErrors(rules, cli?.ignore, '--ignore'),
    ...selectorErrors(rules, config.select, `${config.source ?? 'configuration'}: \`select\``),
    ...selectorErrors(rules, config.ignore, `${config.source ?? 'configuration'}: \`ignore\``),
    ...selectorErrors(rules, Object.keys(config.severity), `${config.source ?? 'configuration'}: \`severity\``, true),
    ...selectorErrors(rules, Object.keys(editor?.rules ?? {}), 'sessionlint.rules', true),
  ];
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
  return {
    enabled,
    severity,
    secretEnvVar: editor?.secretEnvVar || config.secretEnvVar || DEFAULT_SECRET_ENV_VAR,
    errors,
  };
}

/**
 * Selectors that pick no rule: empty, or no id, prefix or name matches. Per-rule severities
 * (`exact`) take a full id or name only.
 */
function selectorErrors(
  rules: readonly Rule[],
  selectors: readonly string[] | undefined,
  where: string,
  exact = false,
): string[] {
  const errors: string[] = [];
  for (const s of selectors ?? []) {
    if (s.trim() === '') errors.push(`${where}: an empty rule selector selects nothing`);
    else if (exact ? !rules.some((r) => r.id === s || r.name === s) : !rules.some((r) => selects(s, r))) {
      errors.push(`${where}: no rule matches ${JSON.stringify(s)} (sessionlint --explain ALL lists them)`);
    }
  }
  return errors;
}

function lookup(map: Record<string, SeverityOrOff> | undefined, rule: Rule): SeverityOrOff | undefined {
  if (!map) return undefined;
  const v = map[rule.id] ?? map[rule.name];
  return v && SEVERITIES.has(v) ? v : undefined;
}
