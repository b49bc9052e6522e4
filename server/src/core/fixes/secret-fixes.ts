import { flaskSecrets } from '../flask-secrets';
import type { ProjectFile } from '../project';
import type { RuleContext } from '../rules/rule';
import type { Fix, FileChange, Span } from '../types';
import { chooseEnvVar, dotenvCanHold, dotenvChanges, dotenvHas, readEnvChange } from './environment';

/** The variable that fixes read the key from, reusing the project's own name when it has one. */
export function secretVariable(ctx: RuleContext): string {
  return chooseEnvVar(flaskSecrets(ctx.project).envVarNames, ctx.options.secretEnvVar);
}

/**
 * SL101's fixes: the literal becomes an environment read and its value moves to `.env`;
 * a second fix writes a new random value instead, since a committed key must count as leaked.
 */
export function moveSecretFixes(ctx: RuleContext, file: ProjectFile, span: Span, secret: string | undefined): Fix[] {
  const variable = secretVariable(ctx);
  const fixes: Fix[] = [];
  if (dotenvHas(ctx.project, variable)) {
    fixes.push({
      title: `Read the secret from the environment variable ${variable} (already set in .env)`,
      safety: 'unsafe',
      changes: [readEnvChange(file, span, variable), ...dotenvChanges(ctx.project, variable, undefined)],
    });
    return fixes;
  }
  if (secret !== undefined && secret !== '' && dotenvCanHold(secret)) {
    fixes.push({
      title: `Move the secret to the environment variable ${variable}`,
      safety: 'unsafe',
      changes: [readEnvChange(file, span, variable), ...dotenvChanges(ctx.project, variable, secret)],
    });
  }
  fixes.push({
    title: `Move the secret to the environment variable ${variable} with a new random value`,
    safety: 'unsafe',
    changes: [readEnvChange(file, span, variable), ...dotenvChanges(ctx.project, variable, ctx.options.randomSecret())],
  });
  return fixes;
}

/** SL103/SL104: read the key from the environment; `.env` gets a value generated once, now. */
export function readSecretFix(ctx: RuleContext, code: FileChange, variable = secretVariable(ctx)): Fix {
  return {
    title: `Read the secret from the environment variable ${variable}`,
    safety: 'unsafe',
    changes: [code, ...dotenvChanges(ctx.project, variable, dotenvHas(ctx.project, variable) ? undefined : ctx.options.randomSecret())],
  };
}
