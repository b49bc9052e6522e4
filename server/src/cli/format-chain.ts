import { type ChainLocation, type ChainReport, type LocatedChains, locateChains, MAX_CHAIN_APPS } from '../core/chain';
import type { LineIndex } from '../core/text';

/** A location for output: the display path and 1-based line and column. */
export interface PlacedLocation {
  path: string;
  line: number;
  column: number;
}

/** The chain report as `--format json` writes it (schema: schemas/chain.schema.json). */
export interface PlacedChains extends LocatedChains<PlacedLocation> {
  version: string;
}

export function placeChains(
  reports: { report: ChainReport; linesOf: (path: string) => LineIndex }[],
  display: (path: string) => string,
  version: string,
): PlacedChains {
  const out: PlacedChains = { version, apps: [], unplaced: [] };
  for (const { report, linesOf } of reports) {
    const located = locateChains(report, (l: ChainLocation): PlacedLocation => {
      const p = linesOf(l.path).positionAt(l.span.start);
      return { path: display(l.path), line: p.line + 1, column: p.character + 1 };
    });
    out.apps.push(...located.apps);
    out.unplaced.push(...located.unplaced);
    if (located.omittedApps) out.omittedApps = (out.omittedApps ?? 0) + located.omittedApps;
  }
  return out;
}

export function formatChainJson(chains: PlacedChains): string {
  return `${JSON.stringify(chains, null, 2)}\n`;
}

/** For a terminal: each app, its hops top to bottom, what each does, and where the chain breaks. */
export function formatChainText(chains: PlacedChains): string {
  if (chains.apps.length === 0)
    return 'No app found: Session Lint found no Flask, Django, Starlette or Express app here.\n';
  const lines: string[] = [];
  for (const app of chains.apps) {
    lines.push(`${app.name} (${app.framework})`);
    app.hops.forEach((hop, i) => {
      if (i > 0) lines.push('   |');
      const where = hop.location ? `  ${hop.location.path}:${hop.location.line}` : '';
      lines.push(`${hop.broken ? ' x ' : ' - '}${hop.name}: ${hop.summary}${where}`);
      for (const d of hop.details) lines.push(`      ${d.label}: ${d.value}`);
      for (const f of hop.findings) lines.push(`      ${f.ruleId} ${f.message}`);
    });
    lines.push('');
  }
  if (chains.omittedApps)
    lines.push(`${chains.omittedApps} more apps not drawn (the first ${MAX_CHAIN_APPS} of each folder are)`, '');
  if (chains.unplaced.length > 0) {
    lines.push('Elsewhere in the project:');
    for (const f of chains.unplaced) lines.push(`  ${f.location.path}:${f.location.line} ${f.ruleId} ${f.message}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** A Mermaid flowchart for a README or a pull request: broken hops in red, with their rule ids. */
export function formatChainMermaid(chains: PlacedChains): string {
  const lines = ['flowchart TD'];
  chains.apps.forEach((app, a) => {
    lines.push(`  subgraph app${a}["${mermaidText(`${app.name} (${app.framework})`)}"]`);
    app.hops.forEach((hop, h) => {
      const parts = [`<b>${mermaidText(hop.name)}</b>`, mermaidText(hop.summary)];
      if (hop.location) parts.push(mermaidText(`${hop.location.path}:${hop.location.line}`));
      if (hop.broken) parts.push(mermaidText([...new Set(hop.findings.map((f) => f.ruleId))].join(' ')));
      lines.push(`    a${a}h${h}["${parts.join('<br/>')}"]${hop.broken ? ':::broken' : ''}`);
      if (h > 0) lines.push(`    a${a}h${h - 1} --> a${a}h${h}`);
    });
    lines.push('  end');
  });
  lines.push('  classDef broken fill:#ffe5e5,stroke:#c62828,color:#000');
  return `${lines.join('\n')}\n`;
}

/** Mermaid labels: quotes and angle brackets as its entity codes, so no label ends early. */
function mermaidText(text: string): string {
  return text
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/[\r\n]+/g, ' ');
}
