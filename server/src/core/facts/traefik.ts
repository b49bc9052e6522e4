import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { parseToml, tomlGet } from '../parse/toml';
import type { SyntaxParser } from '../parse/tree-sitter';
import type { Span } from '../types';
import type { FrontFacts, ProxyBlock, ProxyHeader, Written } from './deploy-model';
import { commandsOf, parseYaml, scalarText, span } from './yaml-nodes';

/**
 * Traefik routers declared with Docker labels in a compose file (`traefik.http.routers.<r>.rule`,
 * `.tls`, `traefik.http.services.<s>.loadbalancer.server.port`), in front of the service that
 * carries them. Traefik passes the client's Host and sets X-Forwarded-For, -Proto and -Host
 * itself, replacing any a client sent unless the entry point trusts it (forwardedHeaders).
 */
export function traefikRouters(services: YAMLMap, text: string): FrontFacts | undefined {
  const blocks: ProxyBlock[] = [];
  const insecure: NonNullable<FrontFacts['insecureEntryPoints']> = [];
  let trusted: Written | undefined;
  let insert: FrontFacts['commandInsert'];
  for (const pair of services.items as Pair<YamlNode, YamlNode>[]) {
    const service = scalarText(pair.key);
    if (!service || !isMap(pair.value)) continue;
    // Traefik's own service: entry points configured by command-line flags.
    const command = pair.value.get('command', true) as YamlNode | undefined;
    const isTraefik = /(^|\/)traefik(:|$)/.test(
      scalarText(pair.value.get('image', true) as YamlNode | undefined) ?? '',
    );
    if (isTraefik && isSeq(command) && !command.flow && command.items.length > 0) {
      const last = command.items[command.items.length - 1] as YamlNode;
      const entryPoints = (command.items as YamlNode[])
        .map((i) => /^--entrypoints\.([^.=]+)\.address=/i.exec(scalarText(i) ?? '')?.[1])
        .filter((e): e is string => !!e);
      insert = { offset: span(last).end, indent: indentBefore(text, span(last).start), entryPoints };
    }
    if (isTraefik)
      for (const word of commandWords(command)) {
        const m = /^--entrypoints\.([^.=]+)\.forwardedheaders\.insecure(?:=(\w+))?$/i.exec(word.text);
        if (m && (m[2] ?? 'true').toLowerCase() === 'true')
          insecure.push({ entryPoint: m[1], setting: { value: word.text, span: word.span }, service });
        if (/^--entrypoints\.[^.=]+\.forwardedheaders\.trustedips=/i.test(word.text))
          trusted = { value: word.text, span: word.span };
      }
    const labels = labelsOf(pair.value.get('labels', true) as YamlNode | undefined);
    if (labels.get('traefik.enable')?.value === 'false') continue;
    const port = [...labels].find(([k]) => /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(k))?.[1];
    for (const [key, rule] of labels) {
      const m = /^traefik\.http\.routers\.([^.]+)\.rule$/.exec(key);
      if (!m) continue;
      const router = m[1];
      const tls =
        labels.get(`traefik.http.routers.${router}.tls`)?.value === 'true' ||
        labels.has(`traefik.http.routers.${router}.tls.certresolver`);
      const headers: ProxyHeader[] = [
        { name: 'host', value: '{host}', span: rule.span, implicit: true },
        ...['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'].map((name) => ({
          name,
          value: '(set by Traefik)',
          span: rule.span,
          implicit: true,
        })),
      ];
      blocks.push({
        kind: 'traefik',
        label: `router ${router}`,
        proxyPass: { value: `http://${service}${port ? `:${port.value}` : ''}`, span: rule.span },
        own: headers,
        inherited: [],
        includes: [],
        insertAt: rule.span.end,
        indent: '',
        serverNames: hostsOf(rule),
        tls,
        serverSpan: rule.span,
      });
    }
  }
  if (blocks.length === 0 && insecure.length === 0) return undefined;
  return {
    blocks,
    ...(insecure.length > 0 ? { insecureEntryPoints: insecure } : {}),
    ...(trusted ? { trustedProxies: trusted } : {}),
    ...(insert ? { commandInsert: insert } : {}),
  };
}

/**
 * Traefik's static configuration file (traefik.yml): entry points with
 * `forwardedHeaders.insecure: true`.
 */
export function extractTraefikStaticFacts(text: string): FrontFacts | undefined {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) return undefined;
  const entryPoints = doc.get('entryPoints', true) as YamlNode | undefined;
  if (!isMap(entryPoints)) return undefined;
  const insecure: NonNullable<FrontFacts['insecureEntryPoints']> = [];
  for (const pair of entryPoints.items as Pair<YamlNode, YamlNode>[]) {
    const name = scalarText(pair.key);
    if (!name || !isMap(pair.value)) continue;
    const flag = pair.value.getIn(['forwardedHeaders', 'insecure'], true) as YamlNode | undefined;
    if (flag && scalarText(flag) === 'true')
      insecure.push({ entryPoint: name, setting: { value: 'insecure: true', span: span(flag) } });
  }
  return insecure.length > 0 ? { blocks: [], insecureEntryPoints: insecure } : undefined;
}

/** The `- ` of a block sequence item: the text between its line's start and the item. */
function indentBefore(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset);
}

/** The words of a compose `command:` (a list or one string). */
function commandWords(node: YamlNode | undefined) {
  return commandsOf(node).commands.flatMap((c) => c.words);
}

/** Labels as a list (`- key=value`) or a map (`key: value`), with each value's span. */
function labelsOf(node: YamlNode | undefined): Map<string, Written> {
  const out = new Map<string, Written>();
  if (isSeq(node)) {
    for (const item of node.items as YamlNode[]) {
      if (!isScalar(item)) continue;
      const text = String(item.value);
      const eq = text.indexOf('=');
      if (eq > 0) out.set(text.slice(0, eq).trim(), { value: text.slice(eq + 1).trim(), span: span(item) });
    }
  } else if (isMap(node)) {
    for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
      const key = scalarText(pair.key);
      if (key && pair.value) out.set(key, { value: scalarText(pair.value) ?? '', span: span(pair.value) });
    }
  }
  return out;
}

/** The names in a rule's `Host(`a`, `b`)` (and `Host(`a`) || Host(`b`)`). */
function hostsOf(rule: Written): { value: string; span: Span }[] {
  const names: { value: string; span: Span }[] = [];
  for (const call of rule.value.matchAll(/Host\(([^)]*)\)/g))
    for (const name of call[1].matchAll(/[`"']([^`"']+)[`"']/g)) names.push({ value: name[1], span: rule.span });
  return names;
}

/** traefik.toml: `[entryPoints.<name>.forwardedHeaders]` with `insecure = true`. */
export function extractTraefikTomlFacts(text: string, toml: SyntaxParser): FrontFacts | undefined {
  const entryPoints = tomlGet(parseToml(toml, text).root, 'entryPoints');
  if (entryPoints?.kind !== 'table') return undefined;
  const insecure: NonNullable<FrontFacts['insecureEntryPoints']> = [];
  for (const [name, entry] of entryPoints.entries) {
    if (entry.value.kind !== 'table') continue;
    const flag = tomlGet(entry.value, 'forwardedHeaders.insecure');
    if (flag?.kind === 'boolean' && flag.value)
      insecure.push({ entryPoint: name, setting: { value: 'insecure = true', span: flag.span } });
  }
  return insecure.length > 0 ? { blocks: [], insecureEntryPoints: insecure } : undefined;
}
