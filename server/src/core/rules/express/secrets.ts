import { expressModel, nodeDeployment, type ExpressSession, type Located } from '../../express';
import type { JsValue } from '../../facts/js/model';
import {
  moveSecretJsFixes,
  nodeSecretVariable,
  readEnvJsChange,
  readSecretJsFix,
  startupCheckEdits,
  envRead,
} from '../../fixes/js-fixes';
import type { ProjectFile } from '../../project';
import { coercedSecretMessage } from '../coerced-secret';
import { detectEol } from '../../text';
import type { Fix, Span, TextEdit } from '../../types';
import type { RuleContext } from '../rule';

/** The options that hold a session's signing secret, by library. */
const SECRET_OPTIONS = {
  'express-session': ['secret'],
  'cookie-session': ['keys', 'secret'],
  'cookie-parser': [],
} as const;

/** Each secret value of a session middleware call, with how the code names it. */
export function sessionSecrets(session: ExpressSession): { name: string; located: Located }[] {
  if (session.call.library === 'cookie-parser') {
    return session.call.options
      ? [{ name: 'the cookie-parser secret', located: { value: session.call.options, file: session.file } }]
      : [];
  }
  const out: { name: string; located: Located }[] = [];
  for (const key of SECRET_OPTIONS[session.call.library]) {
    const found = session.option(key);
    if (found && found !== 'unknown') out.push({ name: `the ${session.call.library} ${key}`, located: found });
  }
  return out;
}

/** The values a secret can take: each entry of a key list, each branch of a condition. */
function flatten(value: JsValue): JsValue[] {
  if (value.kind === 'array') return value.items.flatMap(flatten);
  if (value.kind === 'either') return value.options.flatMap(flatten);
  return [value];
}

/**
 * cookie-parser's secret signs the session only for an express-session without its own
 * secret (express-session then falls back to `req.secret`).
 */
function relevantSessions(ctx: RuleContext): ExpressSession[] {
  const sessions = expressModel(ctx.project).sessions;
  return sessions.filter(
    (s) =>
      s.call.library !== 'cookie-parser' ||
      sessions.some((e) => e.pkg === s.pkg && e.call.library === 'express-session' && e.option('secret') === undefined),
  );
}

/** Reports each literal, fallback or generated secret once, wherever several calls share it. */
function once(): (file: ProjectFile, span: Span) => boolean {
  const seen = new Set<string>();
  return (file, span) => {
    const key = `${file.path}:${span.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/** SL101: `secret: "keyboard cat"`, `keys: ["a", "b"]`, `cookieParser("x")`. */
export function checkHardcodedExpressSecrets(ctx: RuleContext): void {
  const first = once();
  for (const session of relevantSessions(ctx)) {
    for (const { name, located } of sessionSecrets(session)) {
      const single = located.value.kind === 'string';
      for (const value of flatten(located.value)) {
        if (value.kind !== 'string' || value.value === '' || !first(located.file, value.span)) continue;
        ctx.report({
          path: located.file.path,
          span: value.span,
          message: `${single ? capitalize(name) : `An entry of ${name}`} is hardcoded: anyone who can read the code can forge session cookies.`,
          // A setting in a node-config JSON file is reported there, without a code fix.
          fixes:
            single && located.file.js ? () => moveSecretJsFixes(ctx, located.file, value.span, value.value) : undefined,
        });
      }
    }
  }
}

/** SL102: `process.env.SESSION_SECRET || "keyboard cat"`. */
export function checkExpressSecretFallbacks(ctx: RuleContext): void {
  const first = once();
  for (const session of relevantSessions(ctx)) {
    for (const { name, located } of sessionSecrets(session)) {
      for (const value of flatten(located.value)) {
        if (
          value.kind !== 'env' ||
          value.fallback?.kind !== 'string' ||
          value.fallback.value === '' ||
          !first(located.file, value.fallback.span)
        )
          continue;
        ctx.report({
          path: located.file.path,
          span: value.fallback.span,
          message: value.coerced
            ? `${coercedSecretMessage(capitalize(name), value.variable, 'javascript')}.`
            : `${capitalize(name)} falls back to a hardcoded secret: without ${value.variable}, sessions are signed with a key written in the code.`,
          fixes: fallbackFix(
            located.file,
            value,
            `Remove the fallback so a missing ${value.variable} stops the app at start-up`,
          ),
        });
      }
    }
  }
}

/** SL103: `crypto.randomBytes(32).toString("hex")`, directly or as the fallback. */
export function checkGeneratedExpressSecrets(ctx: RuleContext): void {
  const sessions = relevantSessions(ctx);
  // A project without Express sessions (most Python ones) never pays for the deployment's reading.
  if (sessions.length === 0) return;
  const first = once();
  const deploy = nodeDeployment(ctx.project);
  const processes =
    deploy.processes === 'many'
      ? ` and each of the processes (${deploy.processesWhere}) signs with its own`
      : deploy.processes > 1
        ? ` and each of the ${deploy.processes} processes (${deploy.processesWhere}) signs with its own`
        : '';
  for (const session of sessions) {
    for (const { name, located } of sessionSecrets(session)) {
      for (const value of flatten(located.value)) {
        const generated =
          value.kind === 'generated'
            ? value
            : value.kind === 'env' && value.fallback?.kind === 'generated'
              ? value.fallback
              : undefined;
        if (!generated || !first(located.file, generated.span)) continue;
        ctx.report({
          path: located.file.path,
          span: generated.span,
          message: `${capitalize(name)} is generated at start-up: every restart logs everyone out${processes}.`,
          related: deploy.related.slice(0, 3),
          fixes: () => {
            const variable = value.kind === 'env' ? value.variable : nodeSecretVariable(ctx, located.file);
            if (value.kind === 'env')
              return (
                fallbackFix(
                  located.file,
                  value,
                  `Remove the generated fallback so a missing ${variable} stops the app at start-up`,
                )?.() ?? []
              );
            return [
              readSecretJsFix(ctx, readEnvJsChange(located.file, generated.span, variable), variable, located.file),
            ];
          },
        });
      }
    }
  }
}

/** SL104: a session middleware with no secret, or one that is undefined when the variable is unset. */
export function checkMissingExpressSecrets(ctx: RuleContext): void {
  const model = expressModel(ctx.project);
  const checked = new Set([...ctx.project.all()].flatMap((f) => (f.isTest ? [] : (f.js?.envChecks ?? []))));
  const first = once();
  for (const session of relevantSessions(ctx)) {
    const { library } = session.call;
    if (library === 'cookie-parser') continue;
    const consequence =
      library === 'express-session'
        ? 'every request then fails with "secret option required for sessions"'
        : 'cookie-session throws ".keys required." at start-up';
    const secrets = sessionSecrets(session);
    const unknown = SECRET_OPTIONS[library].some((key) => session.option(key) === 'unknown');
    const signed = session.option('signed');
    const unsigned = signed && signed !== 'unknown' && signed.value.kind === 'boolean' && !signed.value.value;
    const viaCookieParser =
      library === 'express-session' &&
      model.sessions.some((s) => s.pkg === session.pkg && s.call.library === 'cookie-parser' && s.call.options);
    if (secrets.length === 0 && !unknown && !unsigned && !viaCookieParser) {
      ctx.report({
        path: session.file.path,
        span: session.call.span,
        message: `No secret for ${library}: ${consequence}.`,
        fixes: () => addSecretFix(ctx, session),
      });
      continue;
    }
    for (const { name, located } of secrets) {
      const value = located.value;
      if (
        value.kind !== 'env' ||
        value.required ||
        (value.fallback && !(value.fallback.kind === 'string' && value.fallback.value === '')) ||
        checked.has(value.variable)
      )
        continue;
      if (!first(located.file, value.span)) continue;
      ctx.report({
        path: located.file.path,
        span: value.span,
        message: `${capitalize(name)} is undefined when ${value.variable} is unset: ${consequence}, and nothing checks it at start-up.`,
        lowered: true,
        fixes: () => [
          {
            title: `Stop at start-up when ${value.variable} is unset`,
            safety: 'unsafe',
            effect: `the app then needs ${value.variable} to start`,
            changes: [{ path: located.file.path, edits: startupCheckEdits(located.file, value.variable) }],
          },
        ],
      });
    }
  }
}

/** `process.env.X || "fallback"` becomes `process.env.X`, checked at start-up. */
function fallbackFix(
  file: ProjectFile,
  value: Extract<JsValue, { kind: 'env' }>,
  title: string,
): (() => Fix[]) | undefined {
  // Only the plain form is rewritten: a destructuring default (`{ X = "a" } = process.env`) or
  // an env-var chain keeps its shape, and is reported without a fix.
  if (
    !/^process\.env(\.\w+|\[\s*["'`]\w+["'`]\s*\])\s*(\|\||\?\?)/.test(
      file.text.slice(value.span.start, value.span.end),
    )
  )
    return undefined;
  return () => [
    {
      title,
      safety: 'unsafe',
      effect: `the app then needs ${value.variable} at run time`,
      changes: [readEnvJsChange(file, value.span, value.variable)],
    },
  ];
}

/** SL104's fix: `secret: process.env.SESSION_SECRET` in the options object literal. */
function addSecretFix(ctx: RuleContext, session: ExpressSession): Fix[] {
  const options = session.call.options;
  const file = session.file;
  const variable = nodeSecretVariable(ctx, file);
  const key = session.call.library === 'cookie-session' ? 'keys' : 'secret';
  const read = envRead(file, variable);
  const property = key === 'keys' ? `keys: [${read}]` : `secret: ${read}`;
  let edit: TextEdit;
  if (!options) {
    // `session()`: the call's parentheses are its last two characters.
    const close = session.call.span.end - 1;
    if (file.text[close] !== ')') return [];
    edit = { start: close, end: close, newText: `{ ${property} }` };
  } else if (options.kind === 'object' && options.close > 0 && file.text[options.span.start] === '{') {
    const firstEntry = options.entries.find((e) => 'key' in e) as { span: Span } | undefined;
    const between = file.text.slice(options.span.start + 1, firstEntry?.span.start ?? options.close);
    if (!firstEntry && options.entries.length > 0) return [];
    if (!firstEntry) edit = { start: options.span.start + 1, end: options.span.start + 1, newText: ` ${property} ` };
    // On its own line before the first property when the object is written one per line.
    else if (between.includes('\n'))
      edit = {
        start: firstEntry.span.start,
        end: firstEntry.span.start,
        newText: `${property},${detectEol(file.text)}${/[ \t]*$/.exec(between)?.[0] ?? ''}`,
      };
    else edit = { start: firstEntry.span.start, end: firstEntry.span.start, newText: `${property}, ` };
  } else return [];
  const code = { path: file.path, edits: [...startupCheckEdits(file, variable), edit] };
  return [readSecretJsFix(ctx, code, variable, file)];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
