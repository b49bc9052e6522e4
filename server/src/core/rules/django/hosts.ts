import { carriedHost, deployment, proxyName } from '../../deployment';
import { djangoSettings, effectiveSetting } from '../../django';
import type { RuleContext } from '../rule';

/** Django's host validation: `*`, a `.domain` pattern (the domain and its subdomains), or the exact name. */
function allowed(patterns: string[], host: string): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return patterns.some(
    (p) => p === '*' || (p.startsWith('.') ? name === p.slice(1) || name.endsWith(p) : name === p.toLowerCase()),
  );
}

/**
 * SL202 for Django: the Host requests carry through nginx (the `server_name` when nginx forwards
 * `Host $host`, the upstream's name when it forwards none) is not in ALLOWED_HOSTS, so every
 * such request answers 400 Bad Request (DisallowedHost).
 */
export function checkDjangoAllowedHosts(ctx: RuleContext): void {
  const dep = deployment(ctx.project);
  if (dep.proxies.length === 0) return;
  const seen = new Set<string>();
  for (const root of djangoSettings(ctx.project)) {
    if (root.role !== 'production') continue;
    const hosts = effectiveSetting(root, 'ALLOWED_HOSTS');
    if (!hosts) continue;
    const value = hosts.site.value;
    const items = value.kind === 'list' ? value.items : [value];
    // Hosts read from the environment or built at run time are not known here.
    const patterns = items.flatMap((i) => (i.kind === 'literal' && i.value !== undefined ? [i.value] : []));
    if (patterns.length < items.length) continue;
    for (const proxy of dep.proxies) {
      if (!proxy.known) continue;
      const host = carriedHost(proxy);
      const carried =
        host?.from === 'client'
          ? proxy.block.serverNames
              .map((n) => n.value.toLowerCase())
              .filter((n) => /^[a-z0-9.-]+$/.test(n) && n !== '_')
          : host?.name
            ? [host.name]
            : [];
      const front = proxyName(proxy);
      const forwards = host?.from === 'client';
      for (const name of carried) {
        if (allowed(patterns, name) || seen.has(`${hosts.file.path}:${name}`)) continue;
        seen.add(`${hosts.file.path}:${name}`);
        ctx.report({
          path: hosts.file.path,
          span: value.span,
          message: `Every request for ${name} answers 400 Bad Request: ALLOWED_HOSTS does not list the Host ${forwards ? `${front} forwards` : `${front} sends in place of the client's (the upstream's name)`} (DisallowedHost).`,
          related: [
            {
              path: proxy.file.path,
              span: host?.header?.span ?? proxy.block.proxyPass.span,
              message: forwards ? `${front} forwards this Host` : `${front} forwards the upstream's name as the Host`,
            },
          ],
          fixes:
            value.kind === 'list' && hosts.file.text[value.span.end - 1] === ']'
              ? () => {
                  const close = value.span.end - 1;
                  const before = hosts.file.text.slice(value.span.start + 1, close).trimEnd();
                  const separator = before === '' ? '' : before.endsWith(',') ? ' ' : ', ';
                  return [
                    {
                      title: `Allow ${name} in ALLOWED_HOSTS`,
                      safety: 'unsafe',
                      effect: `Django then answers requests for ${name}`,
                      changes: [
                        {
                          path: hosts.file.path,
                          edits: [
                            {
                              start: value.span.start + 1 + before.length,
                              end: value.span.start + 1 + before.length,
                              newText: `${separator}"${name}"`,
                            },
                          ],
                        },
                      ],
                    },
                  ];
                }
              : undefined,
        });
      }
    }
  }
}
