import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { suppressionCodesOnLine } from '../core/facts/suppressions';
import { RULES } from '../core/rules/index';
import { uriToCorePath } from '../node/paths';
import { chainHover } from './chain-hover';
import type { Session } from './session';
import type { Workspace } from './workspace';

const SCOPE: Record<string, string> = {
  disable: 'on this line',
  'disable-next-line': 'on the next line',
  'disable-file': 'in this file',
};

/** Hover on a disable comment, else on a line the session chain is built from. */
export function hover(session: Session, params: HoverParams): Hover | null {
  const path = uriToCorePath(params.textDocument.uri);
  if (!path) return null;
  const ws = session.workspaceFor(path);
  if (!ws.project.get(path)) return null;
  return suppressionHover(ws, path, params) ?? chainHover(ws, path, ws.project.lines(path).offsetAt(params.position));
}

/**
 * Hover on a disable comment (`# sessionlint: disable=SL101`): which rule a code names and
 * what it checks, so a reader need not look the id up; an unknown code says so.
 */
function suppressionHover(ws: Workspace, path: string, params: HoverParams): Hover | null {
  const file = ws.project.get(path);
  if (!file?.text.includes('sessionlint:')) return null;
  const lines = ws.project.lines(path);
  const start = lines.offsetAt({ line: params.position.line, character: 0 });
  const end = lines.offsetAt({ line: params.position.line + 1, character: 0 });
  const column = lines.offsetAt(params.position) - start;
  const hit = suppressionCodesOnLine(file.text.slice(start, end)).find((c) => column >= c.start && column <= c.end);
  if (!hit) return null;
  const scope = SCOPE[hit.scope] ?? '';
  const rule = RULES.find((r) => r.id === hit.code || r.name === hit.code);
  const value =
    hit.code === '*'
      ? `Session Lint: every rule is disabled ${scope}.`
      : rule
        ? `**${rule.id}** \`${rule.name}\` disabled ${scope}: ${rule.summary}`
        : `Session Lint: no rule is named \`${hit.code}\`; this comment disables nothing.`;
  return {
    contents: { kind: 'markdown', value },
    range: { start: lines.positionAt(start + hit.start), end: lines.positionAt(start + hit.end) },
  };
}
