import type { Deployment } from '../deployment';
import { deployOf } from '../project';
import { detectEol } from '../text';
import type { Fix } from '../types';

/**
 * For a plain-HTTP Caddy that a load balancer may stand in front of (the load balancer ending
 * TLS): Caddy ignores the X-Forwarded-* of peers it does not trust, so the app sees http.
 * `trusted_proxies static private_ranges` in the global options trusts proxies at private
 * addresses (Caddy's `private_ranges`), as cloud load balancers are. The global option is Caddy
 * 2.6.3's (Debian 12 ships 2.6.2, which takes it only inside `reverse_proxy`).
 */
export function caddyTrustFixes(dep: Deployment): Fix[] {
  const files = [...new Set(dep.proxies.filter((p) => p.block.kind === 'caddy').map((p) => p.file))];
  const fixes: Fix[] = [];
  for (const file of files) {
    const insert = deployOf(file)?.front?.optionsInsert;
    if (!insert) continue;
    const eol = detectEol(file.text);
    const servers = [`\tservers {`, `\t\ttrusted_proxies static private_ranges`, `\t}`];
    const newText = insert.global
      ? servers.map((l) => `${eol}${l}`).join('')
      : ['{', ...servers, '}', '', ''].join(eol);
    fixes.push({
      title: 'If a load balancer ends TLS in front of Caddy, trust it (trusted_proxies static private_ranges)',
      safety: 'unsafe',
      effect: 'Caddy then passes on the X-Forwarded-For and -Proto of proxies at private addresses',
      changes: [{ path: file.path, edits: [{ start: insert.offset, end: insert.offset, newText }] }],
    });
  }
  return fixes;
}
