import type { Range } from 'vscode-languageserver/node';
import { buildChains, type ChainLocation } from '../core/chain';
import { corePathToUri } from '../node/paths';
import { toRange } from './convert';
import type { Session } from './session';

/** A place in a file, as the editor opens it. */
export interface LspLocation {
  uri: string;
  range: Range;
}

/** The `sessionlint/chain` answer: every workspace folder's apps, hop by hop (see core/chain.ts). */
export interface LspChains {
  apps: {
    framework: string;
    name: string;
    hops: {
      kind: string;
      name: string;
      summary: string;
      location?: LspLocation;
      details: { label: string; value: string }[];
      findings: { ruleId: string; message: string; location: LspLocation }[];
    }[];
  }[];
}

/** The chains of every open workspace folder, from its current model and findings. */
export function chainsOf(session: Session): LspChains {
  const out: LspChains = { apps: [] };
  for (const ws of session.workspaces.values()) {
    if (ws.adHoc) continue;
    const findings = [...ws.findings.values()].flat();
    const report = buildChains(ws.project, findings);
    const at = (l: ChainLocation): LspLocation => ({
      uri: corePathToUri(l.path),
      range: toRange(ws.project.lines(l.path), l.span),
    });
    for (const app of report.apps)
      out.apps.push({
        framework: app.framework,
        name: app.name,
        hops: app.hops.map((h) => ({
          kind: h.kind,
          name: h.name,
          summary: h.summary,
          location: h.location ? at(h.location) : undefined,
          details: h.details,
          findings: h.findings.map((f) => ({ ruleId: f.ruleId, message: f.message, location: at(f.location) })),
        })),
      });
  }
  return out;
}
