import { describeVersion, projectVersion, versionAtLeast } from '../deployment';
import { packageOf } from '../express';
import { isSecretName } from '../facts/deploy-model';
import type { ExpressApp, JsStyle } from '../facts/js/model';
import { joinPath } from '../paths';
import type { Project, ProjectFile } from '../project';
import type { RuleContext } from '../rules/rule';
import { DEFAULT_SECRET_ENV_VAR } from '../settings';
import { detectEol } from '../text';
import type { Fix, FileChange, Span, TextEdit } from '../types';
import { headerEnd } from './edits';
import { dotenvCanHold, dotenvChanges, dotenvHas } from './environment';

/** A string literal in the file's own quote style. */
export function jsString(style: JsStyle, value: string): string {
  const q = style.quote;
  return (
    q +
    value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r') +
    q
  );
}

const semi = (style: JsStyle) => (style.semicolons ? ';' : '');

/**
 * The variable a Node fix reads the secret from: one the package already reads for a secret
 * (`SESSION_SECRET`, `COOKIE_SECRET`), the configured name, or SESSION_SECRET.
 */
export function nodeSecretVariable(ctx: RuleContext, file: ProjectFile): string {
  const pkg = packageOf(ctx.project, file.path);
  for (const other of ctx.project.all()) {
    if (!other.js || packageOf(ctx.project, other.path) !== pkg) continue;
    for (const session of other.js.sessions) {
      const secret =
        session.options?.kind === 'object'
          ? session.options.entries.find((e) => 'key' in e && (e.key === 'secret' || e.key === 'keys'))
          : undefined;
      const value = secret && 'key' in secret ? secret.value : undefined;
      if (value?.kind === 'env' && isSecretName(value.variable)) return value.variable;
    }
  }
  return ctx.options.secretEnvVar !== DEFAULT_SECRET_ENV_VAR ? ctx.options.secretEnvVar : 'SESSION_SECRET';
}

/**
 * Reads `variable` where `span` was, failing fast at start-up: a check after the file's imports
 * (unless the file checks it already) and, in TypeScript, a non-null assertion the check makes true.
 */
export function readEnvJsChange(file: ProjectFile, span: Span, variable: string): FileChange {
  return {
    path: file.path,
    edits: [...startupCheckEdits(file, variable), { ...span, newText: envRead(file, variable) }],
  };
}

/** `process.env.X`, with TypeScript's non-null assertion that the startup check makes true. */
export function envRead(file: ProjectFile, variable: string): string {
  return `process.env.${variable}${file.js?.language === 'typescript' ? '!' : ''}`;
}

/** `if (!process.env.X) throw new Error("X is not set");` after the imports, unless already checked. */
export function startupCheckEdits(file: ProjectFile, variable: string): TextEdit[] {
  const js = file.js;
  if (!js || js.envChecks.includes(variable)) return [];
  const eol = detectEol(file.text);
  const check = `if (!process.env.${variable}) throw new Error(${jsString(js.style, `${variable} is not set`)})${semi(js.style)}`;
  if (js.importsEnd > 0) return [{ start: js.importsEnd, end: js.importsEnd, newText: `${eol}${eol}${check}` }];
  const at = headerEnd(file.text);
  return [{ start: at, end: at, newText: `${check}${eol}${eol}` }];
}

/** Whether the package loads `.env` at all: dotenv, `node --env-file`, `process.loadEnvFile()`. */
export function loadsDotenv(project: Project, file: ProjectFile): boolean {
  const pkg = packageOf(project, file.path);
  const manifest = project.get(joinPath(pkg, 'package.json'));
  if (manifest && /--env-file|dotenv/.test(manifest.text)) return true;
  for (const other of project.all()) if (other.js?.loadsDotenv && packageOf(project, other.path) === pkg) return true;
  return false;
}

/**
 * What a fix title says when nothing loads `.env`: Node 20.6 and later read it with
 * `--env-file`; an older Node pinned in `engines` needs dotenv.
 */
function dotenvNote(project: Project, file: ProjectFile): string {
  if (loadsDotenv(project, file)) return '';
  const node = projectVersion(project, 'node');
  return versionAtLeast(node, '20.6')
    ? ' (nothing loads .env yet: run node --env-file=.env, Node 20.6+, or load dotenv)'
    : ` (nothing loads .env yet: load dotenv; ${describeVersion(project, node)} has no --env-file)`;
}

/** SL101's fixes for a literal in a script: the literal becomes `process.env.X`, its value moves to `.env`. */
export function moveSecretJsFixes(ctx: RuleContext, file: ProjectFile, span: Span, secret: string | undefined): Fix[] {
  const variable = nodeSecretVariable(ctx, file);
  const code = readEnvJsChange(file, span, variable);
  const note = dotenvNote(ctx.project, file);
  const effect = `the app then needs ${variable} at run time and stops at start-up without it`;
  if (dotenvHas(ctx.project, variable)) {
    return [
      {
        title: `Read the secret from the environment variable ${variable}, already set in .env${note}`,
        safety: 'unsafe',
        effect,
        changes: [code, ...dotenvChanges(ctx.project, variable, undefined)],
      },
    ];
  }
  const fixes: Fix[] = [];
  if (secret !== undefined && secret !== '' && dotenvCanHold(secret)) {
    fixes.push({
      title: `Move the secret to the environment variable ${variable}${note}`,
      safety: 'unsafe',
      effect,
      changes: [code, ...dotenvChanges(ctx.project, variable, secret)],
    });
  }
  fixes.push({
    title: `Move the secret to the environment variable ${variable} with a new random value${note}`,
    safety: 'unsafe',
    effect: `${effect}, and existing sessions end`,
    changes: [code, ...dotenvChanges(ctx.project, variable, ctx.options.randomSecret())],
  });
  return fixes;
}

/** SL103/SL104: read the secret from the environment, `.env` getting a value generated now. */
export function readSecretJsFix(ctx: RuleContext, code: FileChange, variable: string, file: ProjectFile): Fix {
  const note = dotenvNote(ctx.project, file);
  return {
    title: `Read the secret from the environment variable ${variable}${note}`,
    safety: 'unsafe',
    effect: `the app then needs ${variable} at run time and stops at start-up without it`,
    changes: [
      code,
      ...dotenvChanges(
        ctx.project,
        variable,
        dotenvHas(ctx.project, variable) ? undefined : ctx.options.randomSecret(),
      ),
    ],
  };
}

/** `app.set("trust proxy", value)` on the line after the statement that creates the app. */
export function trustProxyChange(file: ProjectFile, app: ExpressApp, value: 'loopback' | 1): FileChange | undefined {
  if (!app.name || !/^[A-Za-z_$][\w$.]*$/.test(app.name)) return undefined;
  const style = file.js?.style;
  if (!style) return undefined;
  const written = typeof value === 'number' ? String(value) : jsString(style, value);
  const statement = `${app.name}.set(${jsString(style, 'trust proxy')}, ${written})${semi(style)}`;
  return {
    path: file.path,
    edits: [
      { start: app.statementEnd, end: app.statementEnd, newText: `${detectEol(file.text)}${app.indent}${statement}` },
    ],
  };
}
