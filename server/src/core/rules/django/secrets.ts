import { djangoSettings, effectiveSetting, type SettingsRole } from '../../django';
import type { ConfigSite, SettingValue } from '../../facts/python-model';
import { envReader, readEnvChange, removeDefaultChange } from '../../fixes/environment';
import { moveSecretFixes, readSecretFix } from '../../fixes/secret-fixes';
import type { ProjectFile } from '../../project';
import { DEFAULT_SECRET_ENV_VAR } from '../../settings';
import type { FileChange, Span } from '../../types';
import { coercedSecretMessage } from '../coerced-secret';
import type { RuleContext } from '../rule';

/**
 * Each SECRET_KEY (and SECRET_KEY_FALLBACKS) site that a settings module Django runs reaches,
 * once, with the most serious role that reaches it: production over development; test
 * settings never count.
 */
function reachedKeys(ctx: RuleContext): { file: ProjectFile; site: ConfigSite; role: SettingsRole; via: string[] }[] {
  const found = new Map<string, { file: ProjectFile; site: ConfigSite; role: SettingsRole; via: string[] }>();
  for (const root of djangoSettings(ctx.project)) {
    if (root.role === 'test') continue;
    for (const key of ['SECRET_KEY', 'SECRET_KEY_FALLBACKS'] as const) {
      const reached = effectiveSetting(root, key);
      if (!reached) continue;
      const id = `${reached.file.path}:${reached.site.value.span.start}`;
      const before = found.get(id);
      const via = reached.file === root.file ? [] : [ctx.project.relative(root.file.path)];
      if (!before) found.set(id, { ...reached, role: root.role, via });
      else {
        before.via.push(...via);
        if (root.role === 'production') before.role = 'production';
      }
    }
  }
  return [...found.values()];
}

/** The variable a fix reads the key from: the configured one, else DJANGO_SECRET_KEY. */
function variableFor(ctx: RuleContext): string {
  return ctx.options.secretEnvVar !== DEFAULT_SECRET_ENV_VAR ? ctx.options.secretEnvVar : 'DJANGO_SECRET_KEY';
}

const usedBy = (via: string[]) => (via.length > 0 ? ` (used by ${[...new Set(via)].sort().join(', ')})` : '');

function literals(value: SettingValue): Extract<SettingValue, { kind: 'literal' }>[] {
  if (value.kind === 'literal') return value.empty ? [] : [value];
  if (value.kind === 'list') return value.items.flatMap(literals);
  return [];
}

/**
 * The change that makes an environment read with a fallback fail fast when the variable is
 * unset, in the read's own style: `os.environ.get("K", x)` becomes `os.environ["K"]`, and
 * django-environ's or decouple's `env("K", default=x)` loses its default.
 */
function requiredReadChange(file: ProjectFile, read: SettingValue, fallback: Span): FileChange | undefined {
  if (read.kind !== 'env') return undefined;
  const written = file.text.slice(read.span.start, read.span.end);
  if (/^(os\.)?(environ\.get|getenv)\b/.test(written)) return readEnvChange(file, read.span, read.variable);
  return removeDefaultChange(file, read.span, fallback);
}

/** SL101: `SECRET_KEY = "django-insecure-..."` in settings Django runs. */
export function checkDjangoLiteralKeys(ctx: RuleContext): void {
  for (const { file, site, role, via } of reachedKeys(ctx)) {
    for (const literal of literals(site.value)) {
      const startproject = literal.value?.startsWith('django-insecure-') ? ' (the key startproject generated)' : '';
      const what = site.key === 'SECRET_KEY_FALLBACKS' ? 'An entry of SECRET_KEY_FALLBACKS' : 'SECRET_KEY';
      ctx.report({
        path: file.path,
        span: literal.span,
        message: `${what} is a hardcoded secret${startproject}: anyone who can read the code can forge sessions, password-reset links and signed cookies${usedBy(via)}${role === 'development' ? ', in development settings only' : ''}.`,
        lowered: role === 'development',
        fixes:
          site.key === 'SECRET_KEY' && site.value.kind === 'literal'
            ? () => moveSecretFixes(ctx, file, literal.span, literal.value, variableFor(ctx))
            : undefined,
      });
    }
  }
}

/** SL102: `os.environ.get("SECRET_KEY", "django-insecure-...")`, `env("SECRET_KEY", default=...)`. */
export function checkDjangoKeyFallbacks(ctx: RuleContext): void {
  for (const { file, site, role, via } of reachedKeys(ctx)) {
    const value = site.value;
    if (site.key !== 'SECRET_KEY' || value.kind !== 'env' || value.fallback?.kind !== 'literal' || value.fallback.empty)
      continue;
    // The fix removes a written fallback; str(...) has none to remove.
    const change = value.coerced ? undefined : requiredReadChange(file, value, value.fallback.span);
    ctx.report({
      path: file.path,
      span: value.fallback.span,
      message: value.coerced
        ? `${coercedSecretMessage('SECRET_KEY', value.variable, 'python')}${usedBy(via)}.`
        : `SECRET_KEY falls back to a hardcoded secret: without ${value.variable}, Django signs sessions with a key written in the code${usedBy(via)}.`,
      lowered: role === 'development',
      fixes: change
        ? () => [
            {
              title: `Remove the fallback so a missing ${value.variable} fails at start-up`,
              safety: 'unsafe',
              effect: `the app then needs ${value.variable} at run time`,
              changes: [change],
            },
          ]
        : undefined,
    });
  }
}

/** SL103: `SECRET_KEY = get_random_secret_key()` (or secrets/os.urandom), directly or as the fallback. */
export function checkDjangoGeneratedKeys(ctx: RuleContext, processes: string): void {
  for (const { file, site, role, via } of reachedKeys(ctx)) {
    const value = site.value;
    const generated =
      value.kind === 'generated'
        ? value
        : value.kind === 'env' && value.fallback?.kind === 'generated'
          ? value.fallback
          : undefined;
    if (site.key !== 'SECRET_KEY' || !generated || site.devBranch) continue;
    const span: Span = generated.call;
    ctx.report({
      path: file.path,
      span,
      message: `SECRET_KEY is generated at start-up: sessions, password-reset links and signed cookies break on every restart and differ per worker process${processes}${usedBy(via)}.`,
      lowered: role === 'development',
      fixes: () => {
        const variable = value.kind === 'env' ? value.variable : variableFor(ctx);
        const code =
          (value.kind === 'env' && requiredReadChange(file, value, generated.span)) ||
          readEnvChange(file, value.span, variable, envReader(ctx.project, file, value.span.start));
        return [readSecretFix(ctx, code, variable)];
      },
    });
  }
}
