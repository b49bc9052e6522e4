import type { Range } from 'vscode-languageserver/node';
import { buildChains, type ChainLocation, type LocatedChains, locateChains } from '../core/chain';
import { corePathToUri } from '../node/paths';
import { toRange } from './convert';
import type { Session } from './session';

/** A place in a file, as the editor opens it. */
export interface LspLocation {
  uri: string;
  range: Range;
}

/** The `sessionlint/chain` answer: every workspace folder's apps, hop by hop (see core/chain.ts). */
export type LspChains = Pick<LocatedChains<LspLocation>, 'apps'>;

/** The chains of every open workspace folder, from its current model and findings. */
export function chainsOf(session: Session): LspChains {
  const out: LspChains = { apps: [] };
  for (const ws of session.workspaces.values()) {
    if (ws.adHoc) continue;
    const report = buildChains(ws.project, [...ws.findings.values()].flat());
    const located = locateChains(report, (l: ChainLocation) => ({
      uri: corePathToUri(l.path),
      range: toRange(ws.project.lines(l.path), l.span),
    }));
    out.apps.push(...located.apps);
  }
  return out;
}
