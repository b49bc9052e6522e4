import { deployment, proxyName } from './deployment';
import type { ConfigKey } from './facts/python-model';
import { flaskConfig, type ReachedSite } from './flask-config';
import type { Project } from './project';

/** Reached settings of one key, production first. */
export function settingSites(project: Project, key: ConfigKey): ReachedSite[] {
  return flaskConfig(project)
    .sites.filter((s) => s.site.key === key)
    .sort((a, b) => Number(b.envs.has('production')) - Number(a.envs.has('production')));
}

/** A host name a front-end serves the app under, and which front-end (`nginx`, `Caddy`, `Apache`). */
export interface ServedHost {
  name: string;
  path: string;
  span: { start: number; end: number };
  via: string;
}

/** Exact host names the proxies serve the app under (wildcards, regexes and `_` left out). */
export function servedHosts(project: Project): ServedHost[] {
  const out: ServedHost[] = [];
  for (const proxy of deployment(project).proxies) {
    for (const n of proxy.block.serverNames) {
      if (/^[a-z0-9.-]+$/i.test(n.value) && n.value.includes('.') && !isIpAddress(n.value))
        out.push({ name: n.value.toLowerCase(), path: proxy.file.path, span: n.span, via: proxyName(proxy) });
    }
  }
  return out;
}

export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-f:.[\]]+$/i.test(host));
}

/** Why browsers reject a cookie Domain whatever host serves the app. */
export type DomainFault = 'scheme' | 'port' | 'localhost' | 'ip';

/**
 * The fault of a cookie Domain as written (a leading dot is ignored, as browsers do): a scheme
 * or path, a port (no host matches either), `localhost`, or an IP address.
 */
export function domainFault(raw: string): DomainFault | undefined {
  const domain = raw.replace(/^\./, '').toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || domain.includes('/')) return 'scheme';
  if (/:\d+$/.test(domain) && !isIpAddress(domain)) return 'port';
  if (domain === 'localhost') return 'localhost';
  if (isIpAddress(domain)) return 'ip';
  return undefined;
}

/** How SL201 says each fault for a Flask or Express cookie. */
export const DOMAIN_FAULTS: Record<DomainFault, string> = {
  scheme: 'contains a scheme or path, so no host matches it and browsers reject the cookie',
  port: 'contains a port, so no host matches it and browsers reject the cookie',
  localhost: 'is localhost, so browsers reject the cookie whenever the app is reached under any other name or address',
  ip: 'is an IP address, so browsers reject the cookie whenever the app is reached by name or another address',
};

/** RFC 6265 domain-match: the host is the domain or a subdomain of it. */
export function domainMatches(host: string, domain: string): boolean {
  const d = domain.replace(/^\./, '').toLowerCase();
  return host === d || host.endsWith(`.${d}`);
}
