import { isMap, type Node as YamlNode, type Pair } from 'yaml';
import type { DeployFacts, Written } from './deploy-model';
import { addressOf } from './server-commands';
import { parseYaml, scalarText, span } from './yaml-nodes';

/** uWSGI's YAML configuration (`uwsgi --yaml uwsgi.yml`): the `uwsgi:` map, read as its `[uwsgi]` ini section is. */
export function extractUwsgiYamlFacts(text: string, facts: DeployFacts): void {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) return;
  const section = doc.get('uwsgi', true) as YamlNode | undefined;
  if (!isMap(section)) return;
  const settings: Record<string, Written> = {};
  for (const pair of section.items as Pair<YamlNode, YamlNode>[]) {
    const key = scalarText(pair.key);
    const value = pair.value ? scalarText(pair.value) : undefined;
    if (key && value !== undefined && pair.value) settings[key.replace(/-/g, '_')] = { value, span: span(pair.value) };
  }
  const key = doc.contents && isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  facts.servers.push({
    server: 'uwsgi',
    via: 'ini',
    settings,
    span: key ? span(key as YamlNode) : { start: 0, end: 0 },
    ...addressOf('uwsgi', settings),
  });
}
