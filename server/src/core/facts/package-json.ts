import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { checkNesting } from '../parse/nesting';
import { splitCommands } from '../parse/shell-words';
import type { DeployFacts, PinnedVersion } from './deploy-model';
import { nodeRunFromCommand } from './node-commands';

/** The npm packages whose versions change the advice. */
export const TRACKED_NPM_PACKAGES = ['express', 'express-session', 'cookie-session', 'cookie-parser', 'dotenv'];

/** `package.json`: the dependencies' ranges, the start script (how the app runs), and engines.node. */
export function extractPackageJsonFacts(text: string, facts: DeployFacts): void {
  checkNesting(text);
  const root = parseTree(text);
  if (!root) return;
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    for (const name of TRACKED_NPM_PACKAGES) {
      const node = findNodeAtLocation(root, [section, name]);
      if (node?.type === 'string')
        facts.versions.push({ name, specifier: npmSpecifier(node.value as string), span: spanOf(node), locked: false });
    }
  }
  const engine = findNodeAtLocation(root, ['engines', 'node']);
  if (engine?.type === 'string')
    facts.versions.push({
      name: 'node',
      specifier: npmSpecifier(engine.value as string),
      span: spanOf(engine),
      locked: false,
    });
  // Platforms and `npm start` run the start script; it says how many processes and NODE_ENV.
  for (const script of ['start', 'start:prod', 'start:production', 'serve', 'prod', 'production']) {
    const node = findNodeAtLocation(root, ['scripts', script]);
    if (node?.type !== 'string') continue;
    for (const command of splitCommands(node.value as string, node.offset + 1)) {
      const run = nodeRunFromCommand(command);
      if (!run) continue;
      if (run.production) facts.nodeProduction ??= run.span;
      facts.nodeRuns.push(run);
    }
  }
}

/** Locked versions of the tracked packages: package-lock.json (v1-v3), yarn.lock, pnpm-lock.yaml. */
export function extractNpmLockFacts(text: string, name: string, facts: DeployFacts): void {
  if (name.endsWith('.json')) {
    checkNesting(text);
    const root = parseTree(text);
    if (!root) return;
    for (const pkg of TRACKED_NPM_PACKAGES) {
      const node =
        findNodeAtLocation(root, ['packages', `node_modules/${pkg}`, 'version']) ??
        findNodeAtLocation(root, ['dependencies', pkg, 'version']);
      if (node?.type === 'string') facts.versions.push(locked(pkg, node.value as string, spanOf(node)));
    }
    return;
  }
  // yarn.lock: `express@^4.18.2:` then `  version "4.18.2"`; pnpm: `/express@4.18.2:` or `express@4.18.2:`.
  for (const pkg of TRACKED_NPM_PACKAGES) {
    const escaped = pkg.replace(/[-/]/g, '\\$&');
    const yarn = new RegExp(`^"?${escaped}@[^\\n]*:\\n\\s+version:? "?([\\d.]+)`, 'm').exec(text);
    const pnpm = yarn ? null : new RegExp(`^\\s+'?/?${escaped}@(\\d[\\w.-]*)'?:`, 'm').exec(text);
    const m = yarn ?? pnpm;
    if (m) {
      const start = m.index + m[0].lastIndexOf(m[1]);
      facts.versions.push(locked(pkg, m[1], { start, end: start + m[1].length }));
    }
  }
}

function locked(name: string, version: string, span: { start: number; end: number }): PinnedVersion {
  return { name, specifier: `==${version}`, span, locked: true };
}

/** npm's `4.18.2` is exact, like pip's `==`; `^`, `~`, `>=` read the same way in both. */
function npmSpecifier(range: string): string {
  // `20.x` and `4.X` are wildcards, as `20.*` in pip's syntax.
  const trimmed = range
    .trim()
    .replace(/\.[xX](?=\.|$)/g, '.*')
    .replace(/^\^?(\d+)$/, '$1.*');
  if (/^\d/.test(trimmed)) return `==${trimmed}`;
  if (/^(\*|latest|)$/.test(trimmed)) return '';
  return trimmed.replace(/\s+/g, ',');
}

function spanOf(node: JsonNode): { start: number; end: number } {
  return { start: node.offset, end: node.offset + node.length };
}
