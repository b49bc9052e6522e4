import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { isMap, isSeq, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { checkNesting } from '../parse/nesting';
import { splitCommands } from '../parse/shell-words';
import { parseToml } from '../parse/toml';
import type { SyntaxParser } from '../parse/tree-sitter';
import type { Span } from '../types';
import { addServers } from './command-files';
import { type DeployFacts, isSecretName, type PlatformName, type ProxyBlock, type ProxyHeader } from './deploy-model';
import { commandsOf, parseYaml, parseYamlDocuments, scalarText, span } from './yaml-nodes';

/**
 * Hosting platforms' own files. Each platform ends TLS at its edge and sends the app
 * X-Forwarded-For and X-Forwarded-Proto (FACTS-FRAMEWORKS.md section 6): the web process they
 * start is one hop behind a proxy that no client can bypass. A secret written in these files
 * is committed with the repository (SL106).
 */

/** Runs started since `before`: the platform routes requests to them. */
function markRouted(facts: DeployFacts, before: { servers: number; asgi: number; node: number }, replicas?: number) {
  for (const run of facts.servers.slice(before.servers)) {
    run.platformRouted = true;
    if (replicas !== undefined) run.replicas = replicas;
  }
  for (const run of facts.nodeRuns.slice(before.node)) run.platformRouted = true;
  for (const run of facts.asgiRuns.slice(before.asgi)) run.platformRouted = true;
}

function counts(facts: DeployFacts) {
  return { servers: facts.servers.length, asgi: facts.asgiRuns.length, node: facts.nodeRuns.length };
}

function literalSecret(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/\$\{?[A-Za-z_]/.test(value);
}

/** render.yaml (a Render Blueprint): `services[].startCommand`, `numInstances`, `envVars[].value`. */
export function extractRenderFacts(text: string, facts: DeployFacts): void {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) return;
  const services = doc.get('services', true) as YamlNode | undefined;
  if (!isSeq(services)) return;
  facts.platform = platform('render', text);
  for (const service of services.items as YamlNode[]) {
    if (!isMap(service)) continue;
    const get = (key: string) => service.get(key, true) as YamlNode | undefined;
    const before = counts(facts);
    addServers(facts, commandsOf(get('startCommand')).commands);
    if (scalarText(get('type')) === 'web')
      markRouted(facts, before, Number(scalarText(get('numInstances'))) || undefined);
    const envVars = get('envVars');
    if (!isSeq(envVars)) continue;
    for (const item of envVars.items as YamlNode[]) {
      if (!isMap(item)) continue;
      const key = item.get('key', true) as YamlNode | undefined;
      const value = item.get('value', true) as YamlNode | undefined;
      const name = scalarText(key);
      if (key && value && name && isSecretName(name) && literalSecret(scalarText(value)))
        facts.secrets.push({ name, nameSpan: span(key), valueSpan: span(value), holder: 'render.yaml envVars' });
    }
  }
}

/** fly.toml: `[env]` values, `[processes]` command lines; the Dockerfile's command is the app. */
export function extractFlyFacts(text: string, facts: DeployFacts, toml: SyntaxParser): void {
  const doc = parseToml(toml, text);
  facts.platform = platform('fly', text);
  const env = doc.root.entries.get('env')?.value;
  if (env?.kind === 'table')
    for (const [name, entry] of env.entries)
      if (isSecretName(name) && entry.value.kind === 'string' && literalSecret(entry.value.value))
        facts.secrets.push({ name, nameSpan: entry.keySpan, valueSpan: entry.value.span, holder: 'fly.toml [env]' });
  const processes = doc.root.entries.get('processes')?.value;
  if (processes?.kind === 'table')
    for (const [, entry] of processes.entries) {
      if (entry.value.kind !== 'string') continue;
      const before = counts(facts);
      // The string's span includes its quotes; the command starts one character in.
      addServers(facts, splitCommands(entry.value.value, entry.value.span.start + 1));
      markRouted(facts, before);
    }
}

/** app.json (Heroku's app manifest): `env.NAME` as a string or `{ "value": ... }`; `generator` is fine. */
export function extractAppJsonFacts(text: string, facts: DeployFacts): void {
  checkNesting(text);
  const root = parseTree(text);
  if (root?.type !== 'object') return;
  facts.platform = platform('heroku', text);
  const env = property(root, 'env');
  if (env?.type !== 'object') return;
  for (const entry of env.children ?? []) {
    const [key, value] = entry.children ?? [];
    if (!key || !value || typeof key.value !== 'string' || !isSecretName(key.value)) continue;
    const literal = value.type === 'string' ? value : value.type === 'object' ? property(value, 'value') : undefined;
    if (value.type === 'object' && property(value, 'generator')) continue;
    if (literal?.type === 'string' && literalSecret(String(literal.value)))
      facts.secrets.push({
        name: key.value,
        nameSpan: jsonSpan(key),
        valueSpan: jsonSpan(literal),
        holder: 'app.json env',
      });
  }
}

/**
 * Kubernetes manifests (and Cloud Run's Knative services): containers' `command`/`args` with the
 * workload's `replicas`, literal secrets in container `env`, and `Secret` objects committed with
 * `stringData` or `data` (base64 is an encoding, not encryption).
 */
export function extractKubernetesFacts(text: string, facts: DeployFacts): void {
  for (const doc of parseYamlDocuments(text)) {
    if (doc.errors.length > 0) continue;
    const kind = scalarText(doc.get('kind', true) as YamlNode | undefined);
    const apiVersion = scalarText(doc.get('apiVersion', true) as YamlNode | undefined) ?? '';
    if (!kind) continue;
    const knative = kind === 'Service' && apiVersion.startsWith('serving.knative.dev');
    if (kind === 'Ingress') {
      const blocks = ingressBlocks(doc);
      facts.front ??= { blocks: [] };
      facts.front.blocks.push(...blocks);
      continue;
    }
    if (kind === 'Secret') {
      for (const field of ['stringData', 'data']) {
        const map = doc.getIn([field], true) as YamlNode | undefined;
        if (!isMap(map)) continue;
        for (const pair of (map as YAMLMap).items as Pair<YamlNode, YamlNode>[]) {
          const name = scalarText(pair.key);
          if (name && isSecretName(name) && pair.value && literalSecret(scalarText(pair.value)))
            facts.secrets.push({
              name,
              nameSpan: span(pair.key),
              valueSpan: span(pair.value),
              holder: field === 'data' ? 'a Kubernetes Secret, base64 being no encryption' : 'a Kubernetes Secret',
            });
        }
      }
      continue;
    }
    const podSpec = ['spec', 'template', 'spec'];
    const path =
      kind === 'Pod' ? ['spec'] : kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : podSpec;
    const containers = doc.getIn([...path, 'containers'], true) as YamlNode | undefined;
    if (!isSeq(containers)) continue;
    facts.platform ??= platform(knative ? 'cloud-run' : 'kubernetes', text);
    const replicas = Number(scalarText(doc.getIn(['spec', 'replicas'], true) as YamlNode | undefined)) || undefined;
    for (const container of containers.items as YamlNode[]) {
      if (!isMap(container)) continue;
      const get = (key: string) => container.get(key, true) as YamlNode | undefined;
      const words = [...commandsOf(get('command')).commands, ...commandsOf(get('args')).commands].flatMap(
        (c) => c.words,
      );
      if (words.length > 0) {
        const before = counts(facts);
        const command = {
          assignments: [],
          words,
          span: { start: words[0].span.start, end: words[words.length - 1].span.end },
        };
        addServers(facts, [command]);
        // Cloud Run's front end is in front of the container; a Deployment's Ingress is a proxy of its own.
        if (knative) markRouted(facts, before, replicas);
        else
          for (const run of facts.servers.slice(before.servers)) {
            run.replicas = replicas ?? 1;
            run.cluster = true;
          }
      }
      const env = get('env');
      if (!isSeq(env)) continue;
      for (const item of env.items as YamlNode[]) {
        if (!isMap(item)) continue;
        const key = item.get('name', true) as YamlNode | undefined;
        const value = item.get('value', true) as YamlNode | undefined;
        const name = scalarText(key);
        if (key && value && name && isSecretName(name) && literalSecret(scalarText(value)))
          facts.secrets.push({
            name,
            nameSpan: span(key),
            valueSpan: span(value),
            holder: `a ${kind}'s container env`,
          });
      }
    }
  }
}

/**
 * An Ingress as ingress-nginx (the usual controller) runs it: it passes the client's Host and
 * sets X-Forwarded-For, -Proto and -Host itself; `upstream-vhost` rewrites the Host; TLS ends
 * there when `spec.tls` lists hosts.
 */
function ingressBlocks(doc: ReturnType<typeof parseYamlDocuments>[number]): ProxyBlock[] {
  const rules = doc.getIn(['spec', 'rules'], true) as YamlNode | undefined;
  if (!isSeq(rules)) return [];
  const tls = isSeq(doc.getIn(['spec', 'tls'], true) as YamlNode | undefined);
  const vhost = doc.getIn(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/upstream-vhost'], true) as
    | YamlNode
    | undefined;
  const blocks: ProxyBlock[] = [];
  for (const rule of rules.items as YamlNode[]) {
    if (!isMap(rule)) continue;
    const host = rule.get('host', true) as YamlNode | undefined;
    const paths = rule.getIn(['http', 'paths'], true) as YamlNode | undefined;
    if (!isSeq(paths)) continue;
    for (const item of paths.items as YamlNode[]) {
      if (!isMap(item)) continue;
      const service = item.getIn(['backend', 'service'], true) as YamlNode | undefined;
      if (!isMap(service)) continue;
      const name = scalarText(service.get('name', true) as YamlNode | undefined) ?? 'service';
      const port = scalarText(service.getIn(['port', 'number'], true) as YamlNode | undefined) ?? '80';
      const at = span(item);
      const headers: ProxyHeader[] = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'].map((h) => ({
        name: h,
        value: '(set by the Ingress)',
        span: at,
        implicit: true,
      }));
      headers.push(
        vhost
          ? { name: 'host', value: scalarText(vhost) ?? '', span: span(vhost) }
          : { name: 'host', value: '{host}', span: at, implicit: true },
      );
      blocks.push({
        kind: 'ingress',
        label: `Ingress ${scalarText(item.get('path', true) as YamlNode | undefined) ?? '/'}`,
        proxyPass: { value: `http://${name}:${port}`, span: at },
        own: headers,
        inherited: [],
        includes: [],
        insertAt: at.end,
        indent: '',
        serverNames: host ? [{ value: scalarText(host) ?? '', span: span(host) }] : [],
        tls,
        serverSpan: host ? span(host) : at,
      });
    }
  }
  return blocks;
}

function platform(name: PlatformName, text: string): { name: PlatformName; span: Span } {
  return { name, span: { start: 0, end: Math.min(text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'), 200) } };
}

function property(node: JsonNode, name: string): JsonNode | undefined {
  const pair = node.children?.find((p) => p.children?.[0]?.value === name);
  return pair?.children?.[1];
}

function jsonSpan(node: JsonNode): Span {
  return { start: node.offset, end: node.offset + node.length };
}
