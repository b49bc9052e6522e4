import { indentAt } from '../text';
import type { NginxDirective } from '../parse/nginx';
import { parseNginx } from '../parse/nginx';
import type { NginxFacts, ProxyHeader, Written } from './deploy-model';

/**
 * Debian's and Ubuntu's /etc/nginx/proxy_params, which `include proxy_params;` pulls in when
 * the project does not ship its own copy.
 */
export const DEBIAN_PROXY_PARAMS = [
  'proxy_set_header Host $http_host;',
  'proxy_set_header X-Real-IP $remote_addr;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
].join('\n');

interface Level {
  headers: ProxyHeader[];
  params: ProxyHeader[];
  includes: Written[];
  serverNames: Written[];
  tls: boolean;
  serverSpan: { start: number; end: number };
}

export function extractNginxFacts(text: string): NginxFacts {
  const config = parseNginx(text);
  const facts: NginxFacts = { blocks: [], uwsgiBlocks: [], upstreams: {}, errors: config.errorCount };
  const visit = (directives: NginxDirective[], parent: Level, label: string) => {
    const own = headersOf(directives);
    const includes = directives
      .filter((d) => d.name === 'include')
      .map((d) => ({ value: d.args[0]?.text ?? '', span: d.span }));
    const ownParams = paramsOf(directives);
    const here: Level = {
      headers: own.length > 0 ? own : parent.headers,
      params: ownParams.length > 0 ? ownParams : parent.params,
      includes: [...parent.includes, ...includes],
      serverNames: parent.serverNames,
      tls: parent.tls,
      serverSpan: parent.serverSpan,
    };
    const proxyPass = directives.find((d) => d.name === 'proxy_pass');
    if (proxyPass?.args[0]) {
      const insertAfter = [...directives].reverse().find((d) => d.name === 'proxy_set_header') ?? proxyPass;
      facts.blocks.push({
        kind: 'nginx',
        label,
        proxyPass: { value: proxyPass.args[0].text, span: proxyPass.span },
        own,
        inherited: parent.headers,
        includes: here.includes,
        insertAt: insertAfter.span.end,
        indent: indentAt(text, proxyPass.span.start),
        serverNames: here.serverNames,
        tls: here.tls,
        serverSpan: here.serverSpan,
      });
    }
    const uwsgiPass = directives.find((d) => d.name === 'uwsgi_pass');
    if (uwsgiPass?.args[0]) {
      const insertAfter = [...directives].reverse().find((d) => d.name === 'uwsgi_param' || d.name === 'include');
      facts.uwsgiBlocks.push({
        label,
        uwsgiPass: { value: uwsgiPass.args[0].text, span: uwsgiPass.span },
        params: here.params,
        includes: here.includes,
        ownParams: ownParams.length > 0 || includes.length > 0,
        insertAt: (insertAfter && insertAfter.span.start > uwsgiPass.span.start ? insertAfter : uwsgiPass).span.end,
        indent: indentAt(text, uwsgiPass.span.start),
        tls: here.tls,
      });
    }
    for (const d of directives) {
      if (!d.block) continue;
      if (d.name === 'server' && label !== 'upstream') {
        const names = d.block
          .filter((x) => x.name === 'server_name')
          .flatMap((x) => x.args.map((a) => ({ value: a.text, span: a.span })));
        const tls = d.block.some(
          (x) =>
            (x.name === 'listen' && x.args.some((a) => a.text === 'ssl' || a.text === 'quic')) ||
            x.name === 'ssl_certificate',
        );
        visit(
          d.block,
          { ...here, serverNames: names, tls, serverSpan: { start: d.span.start, end: d.span.start + d.name.length } },
          'server',
        );
      } else if (d.name === 'upstream') {
        facts.upstreams[d.args[0]?.text ?? ''] = d.block
          .filter((x) => x.name === 'server')
          .map((x) => x.args[0]?.text ?? '');
      } else if (d.name === 'location' || d.name === 'http' || d.name === 'if' || d.name === 'limit_except') {
        visit(d.block, here, d.name === 'location' ? `location ${d.args.map((a) => a.text).join(' ')}` : label);
      }
    }
  };
  visit(
    config.directives,
    { headers: [], params: [], includes: [], serverNames: [], tls: false, serverSpan: { start: 0, end: 0 } },
    'http',
  );
  return facts;
}

/** The `proxy_set_header` directives of one level (the text of an included file, too). */
export function headersOf(directives: NginxDirective[]): ProxyHeader[] {
  return directives
    .filter((d) => d.name === 'proxy_set_header' && d.args.length >= 2)
    .map((d) => ({
      name: d.args[0].text.toLowerCase(),
      value: d.args
        .slice(1)
        .map((a) => a.text)
        .join(' '),
      span: d.span,
    }));
}

/** The `uwsgi_param` directives of one level, names as written (`HTTP_X_FORWARDED_PROTO`). */
export function paramsOf(directives: NginxDirective[]): ProxyHeader[] {
  return directives
    .filter((d) => d.name === 'uwsgi_param' && d.args.length >= 2)
    .map((d) => ({
      name: d.args[0].text,
      value: d.args
        .slice(1)
        .map((a) => a.text)
        .join(' '),
      span: d.span,
    }));
}
