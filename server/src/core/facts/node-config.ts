import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { checkNesting } from '../parse/nesting';
import type { Span } from '../types';

/**
 * A file of the `config` package (node-config) in a `config/` folder: `default.json`, the
 * `production.json` that overrides it, and `custom-environment-variables.json`, which maps a
 * setting to the environment variable that overrides both. Only string leaves matter here.
 */
export interface NodeConfigFacts {
  /** Dotted setting (`session.secret`) -> its string value and where it is written. */
  strings: Record<string, { value: string; span: Span }>;
}

/** The files of a `config/` folder the `config` package reads, by role. */
export const NODE_CONFIG_FILES = /^(default|production|local|local-production|custom-environment-variables)\.json$/;

export function extractNodeConfig(text: string): NodeConfigFacts {
  checkNesting(text);
  const strings: NodeConfigFacts['strings'] = {};
  const visit = (node: JsonNode | undefined, path: string[]) => {
    if (!node) return;
    if (node.type === 'string' && path.length > 0)
      strings[path.join('.')] = {
        value: node.value as string,
        span: { start: node.offset, end: node.offset + node.length },
      };
    if (node.type !== 'object') return;
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key?.type === 'string') visit(value, [...path, key.value as string]);
    }
  };
  visit(parseTree(text), []);
  return { strings };
}
