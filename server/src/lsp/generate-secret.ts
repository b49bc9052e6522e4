import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { dotenvChanges, dotenvHas } from '../core/fixes/environment';
import { randomSecret } from '../core/fixes/random';
import { uriToCorePath } from '../node/paths';
import { toWorkspaceEdit } from './convert';
import type { Session } from './session';

/**
 * "Generate a secret key" into `.env`: a new random value under `variable`, with `.env`
 * git-ignored and `.env.example` given the name, exactly as the move-to-env fix does. An
 * existing entry is never overwritten. The value is in the edit only, never in a message or log.
 */
export function generateSecretEdit(
  session: Session,
  folderUri: string,
  variable?: string,
): { edit?: WorkspaceEdit; variable: string; existed: boolean } | null {
  const root = uriToCorePath(folderUri);
  if (!root) return null;
  const ws = session.workspaceFor(`${root}/.env`);
  const name = variable && /^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) ? variable : ws.settings.secretEnvVar;
  if (dotenvHas(ws.project, name)) return { variable: name, existed: true };
  // Appending after an unclosed quote would write the key into another value.
  if (ws.project.get(`${root}/.env`)?.dotenv?.unclosedQuote) return { variable: name, existed: false };
  const changes = dotenvChanges(ws.project, name, randomSecret());
  return {
    edit: toWorkspaceEdit(
      changes,
      (p) => ws.project.lines(p),
      (uri) => session.versionOf(uri),
      session.editSupport,
    ),
    variable: name,
    existed: false,
  };
}
