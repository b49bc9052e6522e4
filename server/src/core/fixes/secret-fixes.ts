import { flaskConfig, keyVariableFor } from '../flask-config';
import type { ProjectFile } from '../project';
import type { RuleContext } from '../rules/rule';
import type { Fix, FileChange, Span } from '../types';
import { keyReadChanges } from './class-key-read';
import { dotenvCanHold, dotenvChanges, dotenvHas, envReader, readEnvChange } from './environment';

/** The variable a fix in `file` reads the key from, reusing the project's own name for it. */
export function secretVariable(ctx: RuleContext, file: ProjectFile): string {
  return keyVariableFor(flaskConfig(ctx.project), file.path, ctx.options.secretEnvVar);
}

/**
 * SL101's fixes: the literal becomes an environment read and its value moves to `.env`;
 * a second fix writes a new random value instead, since a committed key must count as leaked.
 */
export function moveSecretFixes(
  ctx: RuleContext,
  file: ProjectFile,
  span: Span,
  secret: string | undefined,
  variable = secretVariable(ctx, file),
  inClass = false,
): Fix[] {
  const fixes: Fix[] = [];
  const reader = envReader(ctx.project, file, span.start);
  const code = reader
    ? [readEnvChange(file, span, variable, reader)]
    : keyReadChanges(ctx, file, span, variable, inClass);
  if (dotenvHas(ctx.project, variable)) {
    fixes.push({
      title: `Read the secret from the environment variable ${variable}, already set in .env`,
      safety: 'unsafe',
      effect: `the app then needs ${variable} at run time`,
      changes: [...code, ...dotenvChanges(ctx.project, variable, undefined)],
    });
    return fixes;
  }
  if (secret !== undefined && secret !== '' && dotenvCanHold(secret)) {
    fixes.push({
      title: `Move the secret to the environment variable ${variable}`,
      safety: 'unsafe',
      effect: `the app then needs ${variable} at run time`,
      changes: [...code, ...dotenvChanges(ctx.project, variable, secret)],
    });
  }
  fixes.push({
    title: `Move the secret to the environment variable ${variable} with a new random value`,
    safety: 'unsafe',
    effect: `the app then needs ${variable} at run time, and existing sessions end`,
    changes: [...code, ...dotenvChanges(ctx.project, variable, ctx.options.randomSecret())],
  });
  return fixes;
}

/** SL103/SL104: read the key from the environment; `.env` gets a value generated once, now. */
export function readSecretFix(ctx: RuleContext, code: FileChange | FileChange[], variable: string): Fix {
  return {
    title: `Read the secret from the environment variable ${variable}`,
    safety: 'unsafe',
    effect: `the app then needs ${variable} at run time`,
    changes: [
      ...[code].flat(),
      ...dotenvChanges(
        ctx.project,
        variable,
        dotenvHas(ctx.project, variable) ? undefined : ctx.options.randomSecret(),
      ),
    ],
  };
}
