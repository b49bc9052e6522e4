import { parseTree, findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import { checkNesting } from '../parse/nesting';
import type { IniSection } from '../parse/ini';
import { normalizeName, parseRequirement, parseRequirementsTxt, type Requirement } from '../parse/requirements';
import { tomlGet, tomlTables, type TomlDocument, type TomlValue } from '../parse/toml';
import type { PinnedVersion } from './deploy-model';

/** The packages whose versions change the advice. */
export const TRACKED_PACKAGES = new Set(['flask', 'werkzeug', 'waitress', 'gunicorn', 'django', 'uvicorn']);

const tracked = (r: Requirement | undefined, locked = false): PinnedVersion[] =>
  r && TRACKED_PACKAGES.has(r.name) ? [{ name: r.name, specifier: r.specifier, span: r.span, locked }] : [];

export function versionsFromRequirements(text: string): PinnedVersion[] {
  return parseRequirementsTxt(text).flatMap((r) => tracked(r));
}

/** PEP 621 `[project] dependencies` and Poetry's `[tool.poetry.dependencies]`. */
export function versionsFromPyproject(doc: TomlDocument): PinnedVersion[] {
  const out: PinnedVersion[] = [];
  const deps = tomlGet(doc.root, 'project.dependencies');
  if (deps?.kind === 'array') {
    for (const item of deps.items)
      if (item.kind === 'string') out.push(...tracked(parseRequirement(item.value, item.span.start + 1)));
  }
  const poetry = tomlGet(doc.root, 'tool.poetry.dependencies');
  if (poetry?.kind === 'table') {
    for (const [name, entry] of poetry.entries) {
      const spec = poetrySpec(entry.value);
      if (spec !== undefined && TRACKED_PACKAGES.has(normalizeName(name)))
        out.push({ name: normalizeName(name), specifier: spec, span: entry.keySpan, locked: false });
    }
  }
  return out;
}

function poetrySpec(value: TomlValue): string | undefined {
  if (value.kind === 'string') return value.value === '*' ? '' : value.value.replace(/\s+/g, '');
  if (value.kind === 'table') {
    const v = value.entries.get('version')?.value;
    return v?.kind === 'string' ? v.value.replace(/\s+/g, '') : '';
  }
  return undefined;
}

/** `[[package]] name = "flask" version = "3.0.3"` */
export function versionsFromPoetryLock(doc: TomlDocument): PinnedVersion[] {
  const out: PinnedVersion[] = [];
  for (const pkg of tomlTables(tomlGet(doc.root, 'package'))) {
    const name = pkg.entries.get('name')?.value;
    const version = pkg.entries.get('version')?.value;
    if (name?.kind === 'string' && version?.kind === 'string' && TRACKED_PACKAGES.has(normalizeName(name.value))) {
      out.push({ name: normalizeName(name.value), specifier: `==${version.value}`, span: version.span, locked: true });
    }
  }
  return out;
}

/** `{"default": {"flask": {"version": "==3.0.3"}}}` */
export function versionsFromPipfileLock(text: string): PinnedVersion[] {
  checkNesting(text);
  const root = parseTree(text);
  if (!root) return [];
  const out: PinnedVersion[] = [];
  for (const section of ['default', 'develop']) {
    const table = findNodeAtLocation(root, [section]);
    for (const prop of table?.children ?? []) {
      const [key, value] = prop.children ?? [];
      const name = typeof key?.value === 'string' ? normalizeName(key.value) : '';
      const version = value ? findNodeAtLocation(value, ['version']) : undefined;
      if (TRACKED_PACKAGES.has(name) && typeof version?.value === 'string') {
        out.push({ name, specifier: version.value, span: spanOf(version), locked: true });
      }
    }
  }
  return out;
}

/** `[options] install_requires =` lines of setup.cfg. */
export function versionsFromSetupCfg(sections: IniSection[], text: string): PinnedVersion[] {
  const entry = sections.find((s) => s.name === 'options')?.entries.find((e) => e.key === 'install_requires');
  if (!entry) return [];
  const out: PinnedVersion[] = [];
  let offset = entry.valueSpan.start;
  for (const line of text.slice(entry.valueSpan.start, entry.valueSpan.end).split('\n')) {
    const lead = line.length - line.trimStart().length;
    out.push(...tracked(parseRequirement(line.trim(), offset + lead)));
    offset += line.length + 1;
  }
  return out;
}

function spanOf(node: JsonNode) {
  return { start: node.offset, end: node.offset + node.length };
}
