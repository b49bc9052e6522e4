import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { checkNesting } from '../parse/nesting';
import { splitCommands, type SimpleCommand } from '../parse/shell-words';
import type { Span } from '../types';
import { isSecretName, type ComposeService, type DeployFacts, type DeploySecret } from './deploy-model';
import { serverRunFromCommand } from './server-commands';
import { nodeRunFromCommand } from './node-commands';
import { asgiRunFromCommand } from './asgi-commands';

const PROXY_IMAGES = /(^|\/)(nginx|traefik|caddy|haproxy|envoy)(:|$|-)/;

/** Services, their commands (servers), published ports and literal secrets of a compose file. */
export function extractComposeFacts(text: string, facts: DeployFacts): void {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) return;
  const services = doc.get('services');
  if (!isMap(services)) return;
  facts.compose = [];
  for (const pair of (services as YAMLMap).items as Pair<YamlNode, YamlNode>[]) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const service = pair.value;
    if (!name || !isMap(service)) continue;
    const get = (key: string) => service.get(key, true) as YamlNode | undefined;
    const image = scalarText(get('image'));
    const ports = isSeq(get('ports'))
      ? (get('ports') as unknown as { items: YamlNode[] }).items
          .filter(isScalar)
          .map((s) => ({ value: String((s as Scalar).value), span: span(s) }))
      : [];
    const deploy = get('deploy');
    const replicas = isMap(deploy)
      ? Number(scalarText(deploy.get('replicas', true) as YamlNode)) || undefined
      : undefined;
    const env = environment(get('environment'));
    const commandWords = ['command', 'entrypoint'].flatMap((key) =>
      commandsOf(get(key)).commands.flatMap((c) => c.words.map((w) => w.text)),
    );
    facts.compose.push({
      name,
      nameSpan: span(pair.key as YamlNode),
      image,
      isProxy: !!image && PROXY_IMAGES.test(image),
      ports,
      replicas,
      devOnly: runsDevServer(commandWords, env),
    } satisfies ComposeService);
    for (const e of env) {
      if (isSecretName(e.name) && e.value && e.valueSpan && !/\$\{?[A-Za-z_]/.test(e.value)) {
        facts.secrets.push({
          name: e.name,
          nameSpan: e.nameSpan,
          valueSpan: e.valueSpan,
          holder: `environment: of service ${name}`,
          service: name,
          devOnly: runsDevServer(commandWords, env),
        } satisfies DeploySecret);
      }
    }
    const nodeEnv = env.find((e) => e.name === 'NODE_ENV');
    const djangoSettings = env.find((e) => e.name === 'DJANGO_SETTINGS_MODULE')?.value;
    if (djangoSettings && /^[\w.]+$/.test(djangoSettings)) facts.djangoSettingsModules.push(djangoSettings);
    if (nodeEnv?.value && /^prod/i.test(nodeEnv.value)) facts.nodeProduction ??= nodeEnv.valueSpan;
    for (const key of ['command', 'entrypoint']) {
      const { commands, form } = commandsOf(get(key));
      for (const cmd of commands) {
        const node = nodeRunFromCommand(cmd, nodeEnv?.value !== undefined ? { NODE_ENV: nodeEnv.value } : {});
        if (node) facts.nodeRuns.push(node);
        const written = Object.fromEntries(
          env.flatMap((e) =>
            e.value !== undefined && e.valueSpan ? [[e.name, { value: e.value, span: e.valueSpan }]] : [],
          ),
        );
        const asgi = asgiRunFromCommand(cmd, written, name, form);
        if (asgi) facts.asgiRuns.push(asgi);
        const run = serverRunFromCommand(cmd, name, form);
        if (!run) continue;
        const ips = env.find((e) => e.name === 'FORWARDED_ALLOW_IPS');
        if (run.server === 'gunicorn' && ips?.value !== undefined && ips.valueSpan && !run.settings.forwarded_allow_ips)
          run.settings.forwarded_allow_ips = { value: ips.value, span: ips.valueSpan };
        facts.servers.push(run);
      }
    }
  }
}

interface EnvEntry {
  name: string;
  nameSpan: Span;
  value?: string;
  valueSpan?: Span;
}

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`). */
function environment(node: YamlNode | undefined): EnvEntry[] {
  if (isMap(node)) {
    return (node.items as Pair<YamlNode, YamlNode>[]).flatMap((p) => {
      if (!isScalar(p.key)) return [];
      const value = isScalar(p.value) && p.value.value !== null ? String(p.value.value) : undefined;
      return [
        { name: String(p.key.value), nameSpan: span(p.key), value, valueSpan: p.value ? span(p.value) : undefined },
      ];
    });
  }
  if (isSeq(node)) {
    return (node.items as YamlNode[]).filter(isScalar).flatMap((s) => {
      const text = String((s as Scalar).value);
      const eq = text.indexOf('=');
      if (eq <= 0) return [];
      // The scalar's source may be quoted: locate the value inside it.
      const at = span(s);
      const quoted = (s as Scalar).type === 'QUOTE_DOUBLE' || (s as Scalar).type === 'QUOTE_SINGLE' ? 1 : 0;
      const nameStart = at.start + quoted;
      return [
        {
          name: text.slice(0, eq),
          nameSpan: { start: nameStart, end: nameStart + eq },
          value: text.slice(eq + 1),
          valueSpan: { start: nameStart + eq + 1, end: at.end - quoted },
        },
      ];
    });
  }
  return [];
}

type CommandForm = { array?: boolean; quote?: '"' | "'" };

/**
 * A `command:` string is shell words (with quote escapes only when it is plain or
 * single-quoted YAML, so spans map to the source); a flow list of double-quoted strings is
 * already split. Other shapes are read but get no fix.
 */
function commandsOf(node: YamlNode | undefined): { commands: SimpleCommand[]; form?: CommandForm } {
  if (isScalar(node) && typeof node.value === 'string') {
    const at = span(node);
    const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : undefined;
    return { commands: splitCommands(node.value, at.start + (quote ? 1 : 0)), form: { quote } };
  }
  if (isSeq(node)) {
    const items = (node.items as YamlNode[]).filter(isScalar) as Scalar[];
    const words = items.map((s) => {
      const at = span(s);
      const quoted = s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? 1 : 0;
      return { text: String(s.value), span: { start: at.start + quoted, end: at.end - quoted } };
    });
    // `["sh", "-c", "waitress-serve ..."]`: the last word is itself a command line.
    if (words.length === 3 && /(^|\/)(ba)?sh$/.test(words[0].text) && words[1].text === '-c') {
      return {
        commands: splitCommands(words[2].text, words[2].span.start),
        form: { quote: items[2].type === 'QUOTE_DOUBLE' ? '"' : "'" },
      };
    }
    const array = (node as { flow?: boolean }).flow === true && items.every((s) => s.type === 'QUOTE_DOUBLE');
    const commands =
      words.length > 0
        ? [{ assignments: [], words, span: { start: words[0].span.start, end: words[words.length - 1].span.end } }]
        : [];
    return { commands, form: array ? { array: true } : undefined };
  }
  return { commands: [] };
}

function scalarText(node: YamlNode | undefined): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

function span(node: YamlNode): Span {
  const range = node.range ?? [0, 0, 0];
  return { start: range[0], end: range[1] };
}

/**
 * Parses YAML in time linear in its size. The `yaml` library turns every syntax error into an
 * Error object: capturing a stack trace for each, and giving each a line and column computed
 * from the start ("pretty" errors), made a few hundred KB of quote characters take minutes.
 * Neither is needed here, since a file with errors yields no facts. Duplicate-key checks are
 * quadratic in a map's size and also unneeded (Compose itself rejects the file).
 */
function parseYaml(text: string): ReturnType<typeof parseDocument> {
  checkNesting(text);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(text, { keepSourceTokens: false, prettyErrors: false, uniqueKeys: false });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A service that runs only Flask's development server: `flask run`, a `--reload` or `--debug`
 * server, or FLASK_DEBUG=1 / FLASK_ENV=development in its environment. Its literal secret is a
 * development key, reported one severity lower, as SL101 does for development configuration.
 */
function runsDevServer(words: string[], env: EnvEntry[]): boolean {
  const flaskRun = words.some((w, i) => /(^|\/)flask$/.test(w) && words.slice(i + 1).includes('run'));
  const reload = words.some((w) => w === '--reload' || w === '--debug');
  const debugEnv = env.some(
    (e) =>
      (e.name === 'FLASK_DEBUG' && /^(1|true|yes)$/i.test(e.value ?? '')) ||
      (e.name === 'FLASK_ENV' && e.value === 'development'),
  );
  return flaskRun || reload || debugEnv;
}
