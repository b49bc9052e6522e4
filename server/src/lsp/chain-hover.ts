import type { Hover } from 'vscode-languageserver/node';
import { buildChains, type ChainHop } from '../core/chain';
import type { Workspace } from './workspace';

/** Hops shown either side of the hovered one: enough to see what comes in and what goes on. */
const AROUND = 1;

/**
 * Hover on a line the session chain is built from (the `SECRET_KEY` the session uses, a
 * `proxy_pass` or `reverse_proxy`, the `serve()` or server command, ProxyFix, `express()`):
 * the hops around it and what each does with TLS, the forwarded headers and the session.
 */
export function chainHover(ws: Workspace, path: string, offset: number): Hover | null {
  const file = ws.project.get(path);
  if (!file) return null;
  const lines = ws.project.lines(path);
  const line = lines.positionAt(offset).line;
  const report = buildChains(ws.project, [...ws.findings.values()].flat());
  for (const app of report.apps) {
    const onLine = (l: { path: string; span: { start: number } } | undefined) =>
      l?.path === path && lines.positionAt(l.span.start).line === line;
    const at = app.hops.findIndex((h) => onLine(h.location) || (h.anchors ?? []).some(onLine));
    if (at < 0) continue;
    const shown = app.hops.slice(Math.max(0, at - AROUND), at + AROUND + 1);
    const parts = [`**Session chain** of ${app.name}`, ''];
    for (const hop of shown) {
      const here = hop === app.hops[at];
      parts.push(`${here ? '**→ ' : ''}${hop.name}${here ? '**' : ''}: ${hop.summary}`, '');
      if (here) parts.push(...describe(hop));
    }
    const hop = app.hops[at];
    const anchor = [hop.location, ...(hop.anchors ?? [])].find(onLine);
    const span = anchor?.span ?? { start: offset, end: offset };
    return {
      contents: { kind: 'markdown', value: parts.join('\n') },
      range: { start: lines.positionAt(span.start), end: lines.positionAt(span.end) },
    };
  }
  return null;
}

function describe(hop: ChainHop): string[] {
  return [
    ...hop.details.map((d) => `- ${d.label}: ${d.value}`),
    ...hop.findings.map((f) => `- ${f.ruleId}: ${f.message}`),
    '',
  ];
}
