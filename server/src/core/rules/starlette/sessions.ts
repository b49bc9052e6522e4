import { domainFault } from '../../cookies';
import type { SettingValue, StarletteSession } from '../../facts/python-model';
import { readEnvChange } from '../../fixes/environment';
import { guardedNames } from '../../guarded-names';
import { moveSecretFixes, readSecretFix } from '../../fixes/secret-fixes';
import type { ProjectFile } from '../../project';
import { DEFAULT_SECRET_ENV_VAR } from '../../settings';
import type { Fix } from '../../types';
import type { RuleContext } from '../rule';
import { type SecretSource, secretSource } from './secret-source';

/** Every SessionMiddleware outside test code, with its file and where its key comes from. */
function middlewares(ctx: RuleContext): { file: ProjectFile; session: StarletteSession; secret?: SecretSource }[] {
  return [...ctx.project.all()]
    .filter((f) => !f.isTest)
    .flatMap((file) =>
      (file.python?.starletteSessions ?? []).map((session) => ({
        file,
        session,
        secret: secretSource(ctx.project, file, session),
      })),
    );
}

/** How a message names the key: the middleware's option, and the settings field it reads. */
function subject(secret: SecretSource): string {
  if (secret.field) return `SessionMiddleware secret_key (${secret.field.className}.${secret.field.field.name})`;
  return secret.constant ? `SessionMiddleware secret_key (${secret.constant})` : 'SessionMiddleware secret_key';
}

/**
 * The fix that makes a missing variable fail at start-up: `os.environ[...]` in code (titled
 * `codeTitle`), or, for a settings field, no default (pydantic then refuses to start without it).
 */
function requireVariableFix(secret: SecretSource, variable: string, codeTitle: string): Fix[] {
  const requireEdit = secret.field?.field.requireEdit;
  if (secret.field && !requireEdit) return [];
  return [
    {
      title: secret.field ? `Remove the default so a missing ${variable} fails at start-up` : codeTitle,
      safety: 'unsafe',
      effect: `the app then needs ${variable} at run time`,
      changes: [
        requireEdit
          ? { path: secret.file.path, edits: [requireEdit] }
          : readEnvChange(secret.file, secret.value.span, variable),
      ],
    },
  ];
}

/** The variable a fix reads the key from: the configured one, else SESSION_SECRET_KEY. */
function variableFor(ctx: RuleContext): string {
  return ctx.options.secretEnvVar !== DEFAULT_SECRET_ENV_VAR ? ctx.options.secretEnvVar : 'SESSION_SECRET_KEY';
}

/** SL101: `SessionMiddleware(secret_key="...")`. */
export function checkStarletteLiteralSecrets(ctx: RuleContext): void {
  for (const { session, secret: source } of middlewares(ctx)) {
    const secret = source?.value;
    if (!source || source.field || secret?.kind !== 'literal' || secret.empty) continue;
    ctx.report({
      path: source.file.path,
      span: secret.span,
      message: `${subject(source)} is a hardcoded session secret: anyone who can read the code can forge session cookies.`,
      lowered: session.devBranch,
      fixes: () => moveSecretFixes(ctx, source.file, secret.span, secret.value, variableFor(ctx)),
    });
  }
}

/** SL102: `secret_key=os.getenv("SECRET_KEY", "dev")`. */
export function checkStarletteSecretFallbacks(ctx: RuleContext): void {
  for (const { session, secret: source } of middlewares(ctx)) {
    const secret = source?.value;
    // str(os.getenv(...)) signs with "None" exactly as the bare read does: SL104's.
    if (
      !source ||
      secret?.kind !== 'env' ||
      secret.coerced ||
      secret.fallback?.kind !== 'literal' ||
      secret.fallback.empty
    )
      continue;
    ctx.report({
      path: source.file.path,
      span: secret.fallback.span,
      message: `${subject(source)} falls back to a hardcoded secret: without ${secret.variable}, sessions are signed with a key written in the code.`,
      lowered: session.devBranch,
      fixes: () =>
        requireVariableFix(
          source,
          secret.variable,
          `Remove the fallback so a missing ${secret.variable} fails at start-up`,
        ),
    });
  }
}

/** SL103: `secret_key=secrets.token_hex(32)`, directly or as the fallback. */
export function checkStarletteGeneratedSecrets(ctx: RuleContext, processes: string): void {
  for (const { session, secret: source } of middlewares(ctx)) {
    const secret = source?.value;
    const generated =
      secret?.kind === 'generated'
        ? secret
        : secret?.kind === 'env' && secret.fallback?.kind === 'generated'
          ? secret.fallback
          : undefined;
    if (!source || !secret || !generated || session.devBranch) continue;
    const when = secret.kind === 'env' ? ` when ${secret.variable} is unset` : '';
    ctx.report({
      path: source.file.path,
      span: generated.span,
      message: `${subject(source)} is generated at start-up${when}: every restart logs everyone out${processes}, and Starlette silently starts an empty session.`,
      fixes: () => {
        const variable = secret.kind === 'env' ? secret.variable : variableFor(ctx);
        // A settings field is always an environment read: making it required is the whole fix.
        if (source.field) return requireVariableFix(source, variable, '');
        return [readSecretFix(ctx, readEnvChange(source.file, secret.span, variable), variable)];
      },
    });
  }
}

/**
 * SL104: `secret_key=os.getenv("X")` with no default (or wrapped in `str(...)`, which makes the
 * same "None"): Starlette signs with the string "None".
 */
export function checkStarletteMissingSecrets(ctx: RuleContext): void {
  const checks = guardedNames(ctx.project);
  for (const { secret: source } of middlewares(ctx)) {
    const secret = source?.value;
    if (!source) continue;
    if (secret?.kind === 'none') {
      ctx.report({
        path: source.file.path,
        span: secret.span,
        message:
          'SessionMiddleware secret_key is None: Starlette signs with the string "None", so anyone can forge session cookies.',
      });
      continue;
    }
    if (
      secret?.kind !== 'env' ||
      secret.required ||
      (secret.fallback && !secret.coerced) ||
      checks.has(secret.variable)
    )
      continue;
    ctx.report({
      path: source.file.path,
      span: secret.span,
      message: `${subject(source)} is None when ${secret.variable} is unset: Starlette then signs with the string "None", so anyone can forge session cookies, and nothing checks it at start-up.`,
      fixes: () =>
        requireVariableFix(
          source,
          secret.variable,
          `Read ${secret.variable} with os.environ[...] so a missing variable fails at start-up`,
        ),
    });
  }
}

const literalText = (v: SettingValue | undefined) => (v?.kind === 'literal' ? v.value : undefined);
const isTrue = (v: SettingValue | undefined) => v?.kind === 'boolean' && v.value;

/** SL301: `same_site="none"` without `https_only=True`. */
export function checkStarletteSameSiteNone(ctx: RuleContext): void {
  for (const { file, session } of middlewares(ctx)) {
    const sameSite = session.options.same_site;
    if (
      literalText(sameSite)?.toLowerCase() !== 'none' ||
      isTrue(session.options.https_only) ||
      session.options.https_only?.kind === 'other'
    )
      continue;
    ctx.report({
      path: file.path,
      span: sameSite.span,
      message:
        'SameSite=None without https_only=True: Starlette then sends no Secure flag and browsers reject the session cookie.',
    });
  }
}

/** SL201: a `domain` browsers reject. */
export function checkStarletteCookieDomain(ctx: RuleContext): void {
  for (const { file, session } of middlewares(ctx)) {
    const raw = literalText(session.options.domain);
    if (!raw) continue;
    const fault = domainFault(raw);
    if (!fault) continue;
    const problem = {
      scheme: 'contains a scheme or path',
      port: 'contains a port',
      localhost: 'is localhost',
      ip: 'is an IP address',
    }[fault];
    ctx.report({
      path: file.path,
      span: session.options.domain.span,
      message: `The SessionMiddleware cookie domain ${problem}, so browsers reject the session cookie${problem.startsWith('is') ? ' whenever the app is reached any other way' : ''}.`,
    });
  }
}
