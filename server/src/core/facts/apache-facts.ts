import { parseApache } from '../parse/apache';
import { indentAt } from '../text';
import type { Directive } from '../parse/directives';
import type { FrontFacts, ProxyBlock, ProxyHeader, Written } from './deploy-model';

/**
 * What an Apache httpd configuration says about proxying (mod_proxy "Reverse Proxy Request
 * Headers"). `ProxyPass` sends X-Forwarded-For, -Host and -Server itself (`ProxyAddHeaders On`,
 * the default) but never X-Forwarded-Proto: that takes `RequestHeader set`. The backend gets
 * the client's Host only with `ProxyPreserveHost On`; by default it gets the upstream's name.
 */
export function extractApacheFacts(text: string): FrontFacts {
  const top = parseApache(text);
  const facts: FrontFacts = { blocks: [] };
  const global = settingsOf(top, undefined);
  const hosts = top.filter((d) => /^virtualhost$/i.test(d.name));
  for (const vhost of hosts) {
    const own = vhost.block ?? [];
    const settings = settingsOf(own, global);
    const names = own
      .filter((d) => /^server(name|alias)$/i.test(d.name))
      .flatMap((d) => d.args.map((a) => ({ value: a.text.replace(/:\d+$/, ''), span: a.span })));
    const tls = own.some((d) => /^sslengine$/i.test(d.name) && /^on$/i.test(d.args[0]?.text ?? ''));
    const label = `<VirtualHost ${vhost.args.map((a) => a.text).join(' ')}>`;
    const serverSpan = { start: vhost.span.start, end: vhost.span.start + 1 + vhost.name.length };
    for (const pass of proxyPasses(own, settings)) facts.blocks.push(block(text, pass, names, tls, label, serverSpan));
  }
  // A ProxyPass outside any virtual host applies to the main server.
  const mainServer = top.filter((d) => !/^virtualhost$/i.test(d.name));
  for (const pass of proxyPasses(mainServer, global))
    facts.blocks.push(
      block(text, pass, [], false, 'the main server', { start: pass.span.start, end: pass.span.start }),
    );
  return facts;
}

interface Settings {
  preserveHost?: Directive;
  addHeaders: boolean;
  requestHeaders: Directive[];
}

function settingsOf(directives: Directive[], parent: Settings | undefined): Settings {
  const last = (name: RegExp) => directives.filter((d) => name.test(d.name)).pop();
  const preserve = last(/^proxypreservehost$/i);
  const add = last(/^proxyaddheaders$/i);
  return {
    preserveHost: preserve ? (/^on$/i.test(preserve.args[0]?.text ?? '') ? preserve : undefined) : parent?.preserveHost,
    addHeaders: add ? !/^off$/i.test(add.args[0]?.text ?? '') : (parent?.addHeaders ?? true),
    requestHeaders: [...(parent?.requestHeaders ?? []), ...directives.filter((d) => /^requestheader$/i.test(d.name))],
  };
}

interface Pass {
  url: string;
  span: Directive['span'];
  /** The settings where the `ProxyPass` stands: a `<Location>`'s own over its virtual host's. */
  settings: Settings;
}

/** `ProxyPass /path url` at this level, and `ProxyPass url` inside `<Location /path>`; `!` excludes. */
function proxyPasses(directives: Directive[], settings: Settings): Pass[] {
  const out: Pass[] = [];
  for (const d of directives) {
    if (/^proxypass$/i.test(d.name)) {
      const url = d.args.find((a) => /^[a-z0-9+]+:\/\//i.test(a.text));
      if (url) out.push({ url: url.text, span: d.span, settings });
    } else if (/^(location|locationmatch|ifmodule|if)$/i.test(d.name) && d.block)
      out.push(...proxyPasses(d.block, settingsOf(d.block, settings)));
  }
  return out;
}

function block(
  text: string,
  pass: Pass,
  serverNames: Written[],
  tls: boolean,
  label: string,
  serverSpan: Directive['span'],
): ProxyBlock {
  const { settings } = pass;
  const headers = new Map<string, ProxyHeader>();
  const implicit = (name: string) =>
    headers.set(name, { name, value: '(set by Apache)', span: pass.span, implicit: true });
  if (settings.addHeaders)
    for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-server']) implicit(name);
  if (settings.preserveHost)
    headers.set('host', { name: 'host', value: "(the client's Host)", span: settings.preserveHost.span });
  for (const d of settings.requestHeaders) {
    const action = d.args[0]?.text.toLowerCase();
    const name = d.args[1]?.text.toLowerCase();
    if (!name) continue;
    if (action === 'unset') headers.delete(name);
    else if (action === 'set' || action === 'setifempty' || action === 'add' || action === 'append')
      headers.set(name, {
        name,
        value: d.args
          .slice(2)
          .map((a) => a.text)
          .join(' '),
        span: d.span,
      });
  }
  return {
    kind: 'apache',
    label,
    proxyPass: { value: pass.url, span: pass.span },
    own: [...headers.values()],
    inherited: [],
    includes: [],
    insertAt: pass.span.end,
    indent: indentAt(text, pass.span.start),
    serverNames,
    tls,
    serverSpan,
  };
}
