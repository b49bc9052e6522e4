import { DOMAIN_FAULTS, domainFault, domainMatches, servedHosts, settingSites } from '../cookies';
import { describeVersion, projectVersion, versionAtLeast } from '../deployment';
import { replaceValueChange } from '../fixes/settings';
import type { Rule } from './rule';
import { checkExpressCookieDomains } from './express/cookies';
import { checkStarletteCookieDomain } from './starlette/sessions';
import { checkDjangoCookieDomains } from './django/cookies';

export const rule: Rule = {
  id: 'SL201',
  name: 'invalid-cookie-domain',
  summary: "A session cookie domain browsers reject or that cannot match the app's hosts",
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Flags a `SESSION_COOKIE_DOMAIN` that is `localhost`, an IP address, or has a port, scheme or path in it, or that does not cover a host nginx serves the app under. It also checks `SERVER_NAME` on Flask before 2.3, which derived the cookie domain from it. In Express apps it checks `cookie.domain` of express-session and the flat `domain` of cookie-session the same way, and also flags a public suffix such as `herokuapp.com`, for which browsers never store a cookie.',
    whyIsThisBad:
      'Browsers reject a cookie whose Domain does not domain-match the host of the request. The session cookie is then never stored and every request starts a new, empty session, silently. A value with a port or scheme matches no host at all. `localhost` or an IP matches only itself, so the app breaks when reached any other way (`127.0.0.1`, a LAN address, the real name), and on that one host a host-only cookie does the same. An unset domain means a host-only cookie, the safe default. Since Flask 2.3, `SERVER_NAME` no longer sets the cookie domain.',
    example:
      'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_COOKIE_DOMAIN"] = "localhost:5000"\n',
    useInstead: 'from flask import Flask\n\napp = Flask(__name__)\n',
    fixSafety:
      'Unsafe: the fix sets the domain to `None` (host-only). Browsers that already hold a cookie for the old domain then send two session cookies, in an undefined order, until the old one expires.',
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_DOMAIN',
      'https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-domain-attribute',
    ],
  },
  check(ctx) {
    checkDjangoCookieDomains(ctx);
    checkStarletteCookieDomain(ctx);
    checkExpressCookieDomains(ctx);
    const flask = projectVersion(ctx.project, 'flask');
    const hosts = servedHosts(ctx.project);
    const domains = settingSites(ctx.project, 'SESSION_COOKIE_DOMAIN');
    const candidates =
      domains.length > 0 || versionAtLeast(flask, '2.3') ? domains : settingSites(ctx.project, 'SERVER_NAME');
    const viaServerName = domains.length === 0 && candidates.length > 0;
    for (const { file, site } of candidates) {
      if (site.value.kind !== 'literal' || !site.value.value) continue;
      const raw = site.value.value;
      const host = viaServerName ? raw.replace(/:\d+$/, '') : raw;
      const domain = host.replace(/^\./, '').toLowerCase();
      const fault = domainFault(host);
      let problem = fault && DOMAIN_FAULTS[fault];
      if (!problem) {
        const uncovered = hosts.find((h) => !domainMatches(h.name, domain));
        if (uncovered)
          problem = `does not cover ${uncovered.name}, which ${uncovered.via} serves the app under, so browsers reject the cookie there`;
      }
      if (!problem) continue;
      const setting = viaServerName
        ? `SERVER_NAME (the cookie domain on ${describeVersion(ctx.project, flask)})`
        : 'SESSION_COOKIE_DOMAIN';
      ctx.report({
        path: file.path,
        span: site.value.span,
        message: `${setting} ${problem}.`,
        related: hosts.map((h) => ({ path: h.path, span: h.span, message: `${h.via} serves ${h.name}` })),
        fixes: viaServerName
          ? undefined
          : () => {
              const change = replaceValueChange(file, site.value.span, 'None');
              return change
                ? [
                    {
                      title: 'Leave the cookie domain unset (host-only cookie)',
                      safety: 'unsafe',
                      effect: 'the cookie then goes to the host that set it only',
                      changes: [change],
                    },
                  ]
                : [];
            },
      });
    }
  },
};
