import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { namesNonProductionSettings } from './settings-names';
import { traefikRouters } from './traefik';
import { commandsOf, environment, type EnvEntry, parseYaml, scalarText, span } from './yaml-nodes';
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
  facts.front = traefikRouters(services as YAMLMap, text);
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
      build: buildOf(get('build')),
      hasCommand: get('command') !== undefined || get('entrypoint') !== undefined,
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

/**
 * A service that runs only Flask's development server: `flask run`, a `--reload` or `--debug`
 * server, or FLASK_DEBUG=1 / FLASK_ENV=development in its environment. Its literal secret is a
 * development key, reported one severity lower, as SL101 does for development configuration.
 */
function runsDevServer(words: string[], env: EnvEntry[]): boolean {
  const after = (name: RegExp, sub: string) => words.some((w, i) => name.test(w) && words.slice(i + 1).includes(sub));
  // `flask run`, `manage.py runserver`, `fastapi dev`, or any server reloading on changes.
  const devServer =
    after(/(^|\/)flask$/, 'run') ||
    words.includes('runserver') ||
    after(/(^|\/)fastapi$/, 'dev') ||
    words.some((w) => w === '--reload' || w === '--debug');
  const value = (name: string) => env.find((e) => e.name === name)?.value ?? '';
  const debugEnv =
    ['FLASK_DEBUG', 'DJANGO_DEBUG', 'DEBUG'].some((name) => /^(1|true|yes|on)$/i.test(value(name))) ||
    value('FLASK_ENV') === 'development' ||
    namesNonProductionSettings(value('DJANGO_SETTINGS_MODULE'));
  return devServer || debugEnv;
}

/** `build: ./backend` or `build: { context: ./backend, dockerfile: Dockerfile.prod }`. */
function buildOf(node: YamlNode | undefined): ComposeService['build'] {
  if (isScalar(node)) return { context: scalarText(node) ?? '.', dockerfile: 'Dockerfile' };
  if (!isMap(node)) return undefined;
  const get = (key: string) => scalarText(node.get(key, true) as YamlNode | undefined);
  return { context: get('context') ?? '.', dockerfile: get('dockerfile') ?? 'Dockerfile' };
}
