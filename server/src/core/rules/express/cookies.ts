import { DOMAIN_FAULTS, domainFault, domainMatches, servedHosts } from '../../cookies';
import { expressModel, secureSetting, type ExpressSession, type Located } from '../../express';
import { deployment, proxyRelated } from '../../deployment';
import type { RuleContext } from '../rule';
import { nodeProxyInFront } from '../../express';
import { trustFixes, trusted } from './proxy';
import { jsString } from '../../fixes/js-fixes';

/** Platform domains on the Public Suffix List: browsers refuse a cookie set for the whole suffix. */
const PUBLIC_SUFFIXES = new Set([
  'herokuapp.com',
  'vercel.app',
  'netlify.app',
  'onrender.com',
  'fly.dev',
  'github.io',
  'azurewebsites.net',
  'appspot.com',
  'pages.dev',
  'workers.dev',
  'up.railway.app',
  'glitch.me',
  'web.app',
  'firebaseapp.com',
  'cloudfront.net',
  'elasticbeanstalk.com',
  'ngrok.io',
  'ngrok-free.app',
]);

const cookieSessions = (ctx: RuleContext) =>
  expressModel(ctx.project).sessions.filter((s) => s.call.library !== 'cookie-parser');

/** The attribute's value when written as a literal (a located string or boolean). */
function literal(found: Located | 'unknown' | undefined): Located | undefined {
  return found && found !== 'unknown' && (found.value.kind === 'string' || found.value.kind === 'boolean')
    ? found
    : undefined;
}

/** SL201: `cookie: { domain: "localhost" }`, an IP, a public suffix, or a domain nginx's hosts are outside of. */
export function checkExpressCookieDomains(ctx: RuleContext): void {
  const hosts = servedHosts(ctx.project);
  for (const session of cookieSessions(ctx)) {
    const found = literal(session.cookie('domain'));
    if (found?.value.kind !== 'string' || found.value.value === '') continue;
    const domain = found.value.value.replace(/^\./, '').toLowerCase();
    const fault = domainFault(found.value.value);
    let problem = fault && DOMAIN_FAULTS[fault];
    if (!problem && PUBLIC_SUFFIXES.has(domain))
      problem = `is a public suffix (${domain} is on the Public Suffix List), so browsers never store the cookie`;
    if (!problem) {
      const uncovered = hosts.find((h) => !domainMatches(h.name, domain));
      if (uncovered)
        problem = `does not cover ${uncovered.name}, which ${uncovered.via} serves the app under, so browsers reject the cookie there`;
    }
    if (!problem) continue;
    ctx.report({
      path: found.file.path,
      span: found.value.span,
      message: `The session cookie domain ${problem}.`,
      related: hosts.slice(0, 5).map((h) => ({ path: h.path, span: h.span, message: `${h.via} serves ${h.name}` })),
    });
  }
}

/** SL301: `sameSite: "none"` on a cookie that is not `secure`. */
export function checkExpressSameSiteNone(ctx: RuleContext): void {
  for (const session of cookieSessions(ctx)) {
    const sameSite = literal(session.cookie('sameSite'));
    if (sameSite?.value.kind !== 'string' || sameSite.value.value.toLowerCase() !== 'none') continue;
    if (secureSetting(session) !== 'never') continue;
    ctx.report({
      path: sameSite.file.path,
      span: sameSite.value.span,
      message: `SameSite=None without Secure: browsers reject the session cookie, so no session survives a request.`,
    });
  }
}

/** SL303: `httpOnly: false` on the session cookie. */
export function checkExpressHttpOnly(ctx: RuleContext): void {
  for (const session of cookieSessions(ctx)) {
    const httpOnly = literal(session.cookie('httpOnly'));
    if (httpOnly?.value.kind !== 'boolean' || httpOnly.value.value) continue;
    const { file, value } = httpOnly;
    ctx.report({
      path: file.path,
      span: value.span,
      message: `The session cookie is readable by scripts (httpOnly: false): any XSS can steal sessions.`,
      fixes: () => [
        {
          title: 'Set httpOnly: true',
          safety: 'unsafe',
          effect: 'scripts in the page can no longer read the session cookie',
          changes: [{ path: file.path, edits: [{ ...value.span, newText: 'true' }] }],
        },
      ],
    });
  }
}

/**
 * SL302, Express's own trap: `secure: true` behind a proxy that Express does not trust. The
 * app sees plain HTTP from the proxy, so express-session silently never sends the cookie
 * (cookie-session's `cookies.set` throws and the error is swallowed): no one stays logged in.
 */
export function checkExpressSecureBehindProxy(ctx: RuleContext): void {
  if (!nodeProxyInFront(ctx.project)) {
    checkExpressSecureOverPlainHttp(ctx);
    return;
  }
  const dep = deployment(ctx.project);
  for (const session of cookieSessions(ctx)) {
    if (secureSetting(session) !== 'always' || trusted(ctx, session.pkg) || proxyOption(session)) continue;
    const secure = session.cookie('secure');
    if (!secure || secure === 'unknown') continue;
    const tls = dep.proxies.some((p) => p.block.tls) ? 'ends TLS and ' : '';
    ctx.report({
      path: secure.file.path,
      span: secure.at ?? secure.value.span,
      message: `${session.call.library} never sends this secure cookie behind the proxy: the proxy ${tls}forwards plain HTTP, and without "trust proxy" the app never sees HTTPS, so users are never logged in.`,
      related: proxyRelated(ctx.project, dep),
      fixes: () => trustFixes(ctx, session.pkg),
    });
  }
}

/**
 * SL302 with no proxy in the project: `secure: true` (always, not only in production) while
 * the app ends no TLS itself and trusts no proxy. Express's `req.secure` is then false on every
 * request, so express-session never sends the cookie, on `http://localhost` too, the most
 * asked-about express-session problem. `secure: "auto"` is the right answer there: Secure
 * over HTTPS, plain over HTTP.
 */
function checkExpressSecureOverPlainHttp(ctx: RuleContext): void {
  const https = [...ctx.project.all()].some((f) => f.js?.servesHttps);
  if (https) return;
  for (const session of cookieSessions(ctx)) {
    if (trusted(ctx, session.pkg) || proxyOption(session)) continue;
    const secure = session.cookie('secure');
    if (!secure || secure === 'unknown' || secure.value.kind !== 'boolean' || !secure.value.value) continue;
    const library = session.call.library;
    const style = secure.file.js?.style ?? { quote: '"', semicolons: true, module: 'commonjs' };
    ctx.report({
      path: secure.file.path,
      span: secure.at ?? secure.value.span,
      message: `${library} never sends this secure cookie: the app serves plain HTTP (no HTTPS server, no proxy it trusts), so users are never logged in, on http://localhost too.`,
      fixes:
        library === 'express-session'
          ? () => [
              {
                title: 'Set secure: "auto" (Secure over HTTPS, plain over HTTP)',
                safety: 'unsafe',
                effect: 'the cookie is then sent over plain HTTP too, without the Secure flag',
                changes: [
                  {
                    path: secure.file.path,
                    edits: [{ ...secure.value.span, newText: jsString(style, 'auto') }],
                  },
                ],
              },
            ]
          : undefined,
    });
  }
}

/** express-session's own `proxy: true`: it then reads X-Forwarded-Proto itself. */
export function proxyOption(session: ExpressSession): boolean {
  const proxy = session.option('proxy');
  return !!proxy && proxy !== 'unknown' && proxy.value.kind === 'boolean' && proxy.value.value;
}
