import { parseCaddyfile } from '../parse/caddyfile';
import { allDirectives, type Directive } from '../parse/directives';
import { indentAt } from '../text';
import type { Span } from '../types';
import type { FrontFacts, ProxyBlock, ProxyHeader, Written } from './deploy-model';

/**
 * What a Caddyfile says about proxying. `reverse_proxy` keeps the client's Host and sets
 * X-Forwarded-For, -Proto and -Host itself (Caddy 2.5+; reverse_proxy "Defaults"), so the
 * headers start from those; `header_up` lines then set or remove them. A site serves HTTPS
 * unless its address says `http://` or port 80 (Automatic HTTPS), or a `tls` directive says so.
 */
export function extractCaddyFacts(text: string): FrontFacts {
  const top = parseCaddyfile(text);
  const facts: FrontFacts = { blocks: [] };
  // The global options block is a lone `{` at the top; snippets are `(name) { ... }`.
  const global = top[0]?.name === '' && top[0].block ? top[0] : undefined;
  if (global) {
    const trusted = [...allDirectives(global.block ?? [])].find((d) => d.name === 'trusted_proxies');
    if (trusted) facts.trustedProxies = { value: trusted.args.map((a) => a.text).join(' '), span: trusted.span };
    // A `servers` block of its own would need the option inside it: no fix is offered then.
    if (!global.block?.some((d) => d.name === 'servers'))
      facts.optionsInsert = { offset: lineEnd(text, global.span.start), global: true };
  } else facts.optionsInsert = { offset: 0, global: false };
  const sites = top.filter((d) => d !== global && d.block && !d.name.startsWith('('));
  // A Caddyfile with one site may leave out the braces: its first line is the address.
  if (sites.length === 0) {
    const first = top.find((d) => d !== global && !d.name.startsWith('('));
    if (first) sites.push({ ...first, block: top.filter((d) => d !== first && d !== global) });
  }
  for (const site of sites) {
    // Site addresses, each with the span of the word it is in (`a.example.com, b.example.com`).
    const words = [
      { text: site.name, span: { start: site.span.start, end: site.span.start + site.name.length } },
      ...site.args,
    ];
    // Only words shaped like site addresses (`example.com`, `:443`, `http://host:80/path`,
    // `{$DOMAIN}`): a line of anything else names no host, whatever it holds.
    const addresses = words.flatMap((w) =>
      w.text
        .split(',')
        .filter((a) => SITE_ADDRESS.test(a))
        .map((a) => ({ value: a, span: w.span })),
    );
    const directives = [...allDirectives(site.block ?? [])];
    const tls = directives.some((d) => d.name === 'tls') || addresses.some((a) => servesHttps(a.value));
    const serverNames = addresses.map((a) => ({ value: hostOf(a.value), span: a.span })).filter((n) => n.value !== '');
    for (const proxy of directives.filter((d) => d.name === 'reverse_proxy'))
      facts.blocks.push(
        proxyBlock(text, proxy, serverNames, tls, { start: site.span.start, end: site.span.start + site.name.length }),
      );
  }
  return facts;
}

function proxyBlock(
  text: string,
  proxy: Directive,
  serverNames: Written[],
  tls: boolean,
  serverSpan: Span,
): ProxyBlock {
  const inner = proxy.block ?? [];
  // Matchers (`@api`, `/api/*`, `*`) come before the upstreams; `to` lines add more.
  const upstreams = [
    ...proxy.args.filter((a) => !/^[@/*]/.test(a.text)),
    ...inner.filter((d) => d.name === 'to').flatMap((d) => d.args),
  ];
  const line = { start: proxy.span.start, end: lineEnd(text, proxy.span.start) };
  const headers = new Map<string, ProxyHeader>();
  const overrides: ProxyHeader[] = [];
  for (const name of ['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'])
    headers.set(name, { name, value: name === 'host' ? '{host}' : '(set by Caddy)', span: line, implicit: true });
  for (const d of inner.filter((x) => x.name === 'header_up')) {
    const field = d.args[0]?.text ?? '';
    const name = field.replace(/^[+-]/, '').toLowerCase();
    if (field.startsWith('-')) {
      headers.delete(name);
      overrides.push({ name, value: '', span: d.span });
    } else if (d.args.length === 2) {
      // `header_up Field find replace` edits the value; only a plain set replaces it.
      const header = { name, value: d.args[1].text, span: d.span };
      headers.set(name, header);
      overrides.push(header);
    }
  }
  return {
    kind: 'caddy',
    label: 'reverse_proxy',
    proxyPass: { value: upstreamUrl(upstreams[0]?.text ?? ''), span: line },
    own: [...headers.values()],
    overrides,
    inherited: [],
    includes: [],
    insertAt: line.end,
    indent: indentAt(text, proxy.span.start),
    serverNames,
    tls,
    serverSpan,
  };
}

const SITE_ADDRESS = /^([a-z][a-z0-9+]*:\/\/)?(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\]|\{\$?[\w.]+\})?(:\d{1,5})?(\/\S*)?$/i;

/** Automatic HTTPS: any site address but `http://...`, `:80` or `host:80` gets a certificate. */
function servesHttps(address: string): boolean {
  if (address.startsWith('http://')) return false;
  if (address.startsWith('https://')) return true;
  const port = /:(\d+)$/.exec(address)?.[1];
  if (address.startsWith(':')) return port === '443';
  return port !== '80';
}

function hostOf(address: string): string {
  return address
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[:/].*$/, '')
    .replace(/^\*$/, '');
}

/** `app:8000`, `localhost:8000`, `:8000`, `http://app:8000` as a URL the proxy targets are read from. */
function upstreamUrl(upstream: string): string {
  if (/^[a-z0-9+]+:\/\//.test(upstream)) return upstream.replace(/^h2c:/, 'http:');
  return `http://${upstream.startsWith(':') ? `localhost${upstream}` : upstream}`;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl === -1 ? text.length : nl;
  return text[end - 1] === '\r' ? end - 1 : end;
}
