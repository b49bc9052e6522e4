import { deployment, directlyReachable, proxyInFront } from '../../deployment';
import { deployOf } from '../../project';
import { detectEol } from '../../text';
import type { RuleContext } from '../rule';

/**
 * SL404 for uWSGI: it sets the request's scheme from X-Forwarded-Proto (and HTTPS from
 * X-Forwarded-SSL) whoever sends them, with no setting to limit it (core/protocol.c). With its
 * HTTP port reachable around the proxy, or published by compose, any client claims https.
 */
export function checkUwsgiReachable(ctx: RuleContext): void {
  const dep = deployment(ctx.project);
  for (const { file, run } of dep.servers) {
    if (run.server !== 'uwsgi' || !directlyReachable(dep, run)) continue;
    // With no proxy and no published port the server is the deployment, reached as it is meant to be.
    if (!run.service && !proxyInFront(dep, run)) continue;
    const listener = run.settings.http_socket ?? run.settings.http ?? run.settings.https;
    if (!listener) continue;
    const where = run.service
      ? `compose publishes the port of service ${run.service}`
      : `it listens on ${run.host ?? 'every interface'} beside the proxy`;
    // On the proxy's host the port can be closed to others by binding loopback.
    const loopback = dep.proxies.length > 0 && dep.proxies.every((p) => p.loopback);
    const fixable = run.via === 'ini' && !run.service && loopback && run.port !== undefined;
    ctx.report({
      path: file.path,
      span: listener.span,
      message: `uWSGI takes the scheme from X-Forwarded-Proto (and HTTPS from X-Forwarded-SSL) from any client, and ${where}: a client that skips the proxy can claim https.`,
      fixes: fixable
        ? () => [
            {
              title: `Listen on 127.0.0.1:${run.port} only`,
              safety: 'unsafe',
              effect: 'clients can then reach uWSGI only through the proxy on this host',
              changes: [{ path: file.path, edits: [{ ...listener.span, newText: `127.0.0.1:${run.port}` }] }],
            },
          ]
        : undefined,
    });
  }
}

/**
 * SL503 for nginx's `uwsgi_pass`: nginx hands uWSGI every request header as an `HTTP_*`
 * variable, so a plain-HTTP server passes the client's own X-Forwarded-Proto and -SSL on,
 * and uWSGI believes them. A `uwsgi_param` with the same name replaces the client's header.
 */
export function checkUwsgiPassProto(ctx: RuleContext): void {
  for (const file of ctx.project.all()) {
    if (file.isTest) continue;
    for (const block of deployOf(file)?.nginx?.uwsgiBlocks ?? []) {
      if (block.tls) continue;
      const set = new Set(block.params.map((p) => p.name.toUpperCase()));
      const missing = ['HTTP_X_FORWARDED_PROTO', 'HTTP_X_FORWARDED_SSL'].filter((n) => !set.has(n));
      if (!missing.includes('HTTP_X_FORWARDED_PROTO')) continue;
      const eol = detectEol(file.text);
      const lines = missing.map(
        (n) => `${eol}${block.indent}uwsgi_param ${n} ${n === 'HTTP_X_FORWARDED_PROTO' ? '$scheme' : '""'};`,
      );
      ctx.report({
        path: file.path,
        span: block.uwsgiPass.span,
        message: `${block.label} passes the client's own X-Forwarded-Proto to uWSGI (nginx sends request headers as HTTP_* variables), and uWSGI takes it for the scheme: any client of this plain-HTTP server can claim https.`,
        // Adding the first param of a block drops those it inherited: only where it has its own.
        fixes: block.ownParams
          ? () => [
              {
                title: 'Set HTTP_X_FORWARDED_PROTO (and _SSL) with uwsgi_param',
                safety: 'safe',
                changes: [
                  {
                    path: file.path,
                    edits: [{ start: block.insertAt, end: block.insertAt, newText: lines.join('') }],
                  },
                ],
              },
            ]
          : undefined,
      });
    }
  }
}
