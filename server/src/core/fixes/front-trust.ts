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
  return [...fixes, ...traefikTrustFixes(dep)];
}

/**
 * The same for Traefik started by compose: without `forwardedHeaders.trustedIPs` on its entry
 * point it replaces a load balancer's X-Forwarded-Proto with its own, http. The fix adds the
 * flag with the private address ranges to the traefik service's `command:` list.
 */
function traefikTrustFixes(dep: Deployment): Fix[] {
  const files = [...new Set(dep.proxies.filter((p) => p.block.kind === 'traefik').map((p) => p.file))];
  const fixes: Fix[] = [];
  for (const file of files) {
    const insert = deployOf(file)?.front?.commandInsert;
    if (!insert || insert.entryPoints.length === 0 || !/^\s*- $/.test(insert.indent)) continue;
    const eol = detectEol(file.text);
    const newText = insert.entryPoints
      .map((ep) => `${eol}${insert.indent}--entrypoints.${ep}.forwardedheaders.trustedips=${PRIVATE_RANGES}`)
      .join('');
    fixes.push({
      title: 'If a load balancer ends TLS in front of Traefik, trust it (forwardedHeaders.trustedIPs, private ranges)',
      safety: 'unsafe',
      effect: 'Traefik then passes on the X-Forwarded-For and -Proto of proxies at private addresses',
      changes: [{ path: file.path, edits: [{ start: insert.offset, end: insert.offset, newText }] }],
    });
  }
  return fixes;
}

/** The private IPv4 ranges a cloud load balancer's addresses come from. */
const PRIVATE_RANGES = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16';
