import { deployment, proxyRelated } from '../../deployment';
import { expressModel, nodeDeployment, nodeProxyInFront, secureSetting, trustValueFor } from '../../express';
import { jsString, trustProxyChange } from '../../fixes/js-fixes';
import type { Fix } from '../../types';
import type { RuleContext } from '../rule';
import { proxyOption } from './cookies';

/** Whether the package sets `trust proxy` to anything that trusts (not false or unset). */
export function trusted(ctx: RuleContext, pkg: string): boolean {
  return expressModel(ctx.project).trust.some(
    (t) =>
      t.pkg === pkg &&
      !(t.value.value.kind === 'boolean' && !t.value.value.value) &&
      t.value.value.kind !== 'undefined',
  );
}

/** `app.set("trust proxy", N)` after each app of the package that has a name. */
export function trustFixes(ctx: RuleContext, pkg: string): Fix[] {
  const value = trustValueFor(ctx.project);
  const changes = expressModel(ctx.project)
    .apps.filter((a) => a.pkg === pkg)
    .map((a) => trustProxyChange(a.file, a.app, value))
    .filter((c) => c !== undefined);
  if (changes.length !== 1) return [];
  const written = typeof value === 'number' ? String(value) : '"loopback"';
  return [
    {
      title: `Trust the proxy in front: app.set("trust proxy", ${written})`,
      safety: 'unsafe',
      effect: "req.protocol, req.secure, req.ip and req.hostname then come from the proxy's X-Forwarded-* headers",
      changes,
    },
  ];
}

/** SL401: a proxy in front, no `trust proxy`, and something that reads the scheme or client address. */
export function checkExpressMissingTrust(ctx: RuleContext): void {
  if (!nodeProxyInFront(ctx.project)) return;
  const model = expressModel(ctx.project);
  const dep = deployment(ctx.project);
  for (const { file, app, pkg } of model.apps) {
    if (trusted(ctx, pkg)) continue;
    const needs: string[] = [];
    for (const session of model.sessions) {
      if (session.pkg !== pkg || session.call.library === 'cookie-parser' || proxyOption(session)) continue;
      const secure = secureSetting(session);
      // `secure: true` is SL302's, where the consequence is worst.
      if (secure === 'auto') needs.push(`${session.call.library} with secure: "auto" (never secure behind the proxy)`);
    }
    for (const other of ctx.project.all()) {
      if (!other.js || other.isTest || !sameOrChild(pkg, other.path)) continue;
      for (const use of other.js.schemeUses) needs.push(use.what);
    }
    if (needs.length === 0) continue;
    const uses = [...new Set(needs)].slice(0, 3).join(', ');
    ctx.report({
      path: file.path,
      span: app.span,
      message: `No "trust proxy" behind the proxy in front: the app sees the proxy's address and plain HTTP, not the client's (used by ${uses}).`,
      related: proxyRelated(ctx.project, dep),
      fixes: () => trustFixes(ctx, pkg),
    });
  }
}

const sameOrChild = (pkg: string, path: string) => path.startsWith(`${pkg}/`);

/** SL404: `trust proxy` true on a reachable port, more hops than proxies, or a string read as an address. */
export function checkExpressOverTrust(ctx: RuleContext): void {
  const model = expressModel(ctx.project);
  if (model.trust.length === 0) return;
  const deploy = nodeDeployment(ctx.project);
  const dep = deployment(ctx.project);
  for (const t of model.trust) {
    const { value, file } = t.value;
    const related = proxyRelated(ctx.project, dep);
    if (value.kind === 'boolean' && value.value) {
      if (!directlyReachable(ctx, t.pkg)) continue;
      ctx.report({
        path: t.file.path,
        span: value.span,
        message: `"trust proxy" is true: any client that reaches the app's port directly chooses its own req.ip and req.protocol with X-Forwarded-* headers.`,
        related,
        // `app.enable("trust proxy")` has no value to replace.
        fixes: () => replaceTrust(ctx, file.path, value.span, t.file === file && value.span.start !== t.span.start),
      });
    } else if (value.kind === 'number' && value.value > 1 && nodeProxyInFront(ctx.project) && !deploy.platformRouted) {
      ctx.report({
        path: file.path,
        span: value.span,
        message: `"trust proxy" trusts ${value.value} hops but the project shows one proxy in front: a client can add addresses to X-Forwarded-For and choose req.ip.`,
        related,
        fixes: () => replaceTrust(ctx, file.path, value.span, true),
      });
    } else if (
      value.kind === 'env' ||
      (value.kind === 'string' && /^\s*\d+\s*$/.test(value.value)) ||
      (value.kind === 'string' && /^(true|false)$/i.test(value.value))
    ) {
      const what = value.kind === 'env' ? `${value.variable} (a string)` : `the string "${value.value.trim()}"`;
      ctx.report({
        path: file.path,
        span: value.span,
        message: `"trust proxy" is ${what}: Express reads a string as a list of addresses, so "1" trusts the address 0.0.0.1 rather than one hop, and "true" trusts nothing.`,
        fixes:
          value.kind === 'string' && /^\s*\d+\s*$/.test(value.value)
            ? () => [
                {
                  title: `Use the number ${value.value.trim()} (a hop count)`,
                  safety: 'unsafe',
                  effect: 'Express then trusts that many proxies in front',
                  changes: [{ path: file.path, edits: [{ ...value.span, newText: value.value.trim() }] }],
                },
              ]
            : undefined,
      });
    }
  }
}

/** Whether clients can reach the Node app's port without the proxy. */
function directlyReachable(ctx: RuleContext, pkg: string): boolean {
  const deploy = nodeDeployment(ctx.project);
  if (deploy.platformRouted) return false;
  const dep = deployment(ctx.project);
  // Inside a compose network whose only published ports are the proxy's, the app is private.
  if (
    dep.composeProxies.length > 0 &&
    dep.composeServices.every((c) => c.service.isProxy || c.service.ports.length === 0)
  )
    return false;
  const hosts = [...ctx.project.all()]
    .filter((f) => f.js && !f.isTest && sameOrChild(pkg, f.path))
    .flatMap((f) => f.js?.listenHosts ?? []);
  return hosts.length === 0 || hosts.some((h) => !/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(h));
}

function replaceTrust(ctx: RuleContext, path: string, span: { start: number; end: number }, inPlace: boolean): Fix[] {
  if (!inPlace) return [];
  const value = trustValueFor(ctx.project);
  const file = ctx.project.get(path);
  if (!file?.js) return [];
  const written = typeof value === 'number' ? String(value) : jsString(file.js.style, value);
  return [
    {
      title: `Trust only the proxy in front: ${written}`,
      safety: 'unsafe',
      effect: 'clients that bypass the proxy then get their own address and scheme',
      changes: [{ path, edits: [{ ...span, newText: written }] }],
    },
  ];
}
