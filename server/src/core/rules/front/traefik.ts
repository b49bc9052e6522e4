import { deployOf } from '../../project';
import type { RuleContext } from '../rule';

/**
 * SL404 for Traefik: an entry point with `forwardedHeaders.insecure` passes on the
 * X-Forwarded-* a client sends instead of replacing them (traefik pkg/middlewares/
 * forwardedheaders), so with its port published any client claims https or another address.
 */
export function checkTraefikInsecure(ctx: RuleContext): void {
  const files = [...ctx.project.all()].filter((f) => !f.isTest);
  const published = (service?: string) =>
    files.some((f) =>
      (deployOf(f)?.compose ?? []).some(
        (c) => c.ports.length > 0 && (service ? c.name === service : /traefik/.test(c.image ?? '')),
      ),
    );
  for (const file of files) {
    for (const { entryPoint, setting, service } of deployOf(file)?.front?.insecureEntryPoints ?? []) {
      if (!published(service)) continue;
      ctx.report({
        path: file.path,
        span: setting.span,
        message: `Traefik passes on the X-Forwarded-* headers any client sends on entry point ${entryPoint} (forwardedHeaders.insecure), and its port is published: a client can claim https or another address. Behind a load balancer, trust only its addresses (forwardedHeaders.trustedIPs).`,
      });
    }
  }
}
