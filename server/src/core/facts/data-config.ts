import { parseTree } from 'jsonc-parser';
import { checkNesting } from '../parse/nesting';
import { parseToml } from '../parse/toml';
import type { SyntaxParser } from '../parse/tree-sitter';
import { CONFIG_KEYS, type ConfigKey, type ConfigSite, type SettingValue } from './python-model';

const KEYS = new Set<string>(CONFIG_KEYS);

/** Top-level settings of a TOML or JSON file an app loads with `config.from_file()`. */
export function extractDataConfig(kind: 'toml-config' | 'json-config', text: string, toml: SyntaxParser): ConfigSite[] {
  const sites: ConfigSite[] = [];
  const add = (key: string, value: SettingValue) => {
    if (KEYS.has(key))
      sites.push({ key: key as ConfigKey, form: key, owner: { kind: 'module' }, value, devBranch: false, names: [] });
  };
  if (kind === 'toml-config') {
    const doc = parseToml(toml, text);
    for (const [key, { value }] of doc.root.entries) {
      if (value.kind === 'string')
        add(key, { kind: 'literal', span: value.span, empty: value.value === '', value: value.value });
      else if (value.kind === 'boolean') add(key, { kind: 'boolean', span: value.span, value: value.value });
      else if (value.kind === 'array')
        add(key, {
          kind: 'list',
          span: value.span,
          items: value.items.map((i) =>
            i.kind === 'string'
              ? { kind: 'literal', span: i.span, empty: i.value === '', value: i.value }
              : { kind: 'other', span: i.span },
          ),
        });
    }
    return sites;
  }
  checkNesting(text);
  const root = parseTree(text);
  for (const prop of root?.type === 'object' ? (root.children ?? []) : []) {
    const [k, v] = prop.children ?? [];
    if (typeof k?.value !== 'string' || !v) continue;
    const span = { start: v.offset, end: v.offset + v.length };
    if (v.type === 'string') add(k.value, { kind: 'literal', span, empty: v.value === '', value: v.value as string });
    else if (v.type === 'boolean') add(k.value, { kind: 'boolean', span, value: v.value as boolean });
  }
  return sites;
}
