import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

// What the real-stack tests share: ports, HTTP(S) requests, Debian's nginx in front.
export const NGINX = '/usr/sbin/nginx';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function request(
  port: number,
  method: string,
  url: string,
  options: { cookie?: string; form?: string; tls: boolean; headers?: http.OutgoingHttpHeaders },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { Host: 'shop.example.com' };
    if (options.cookie) headers.Cookie = options.cookie;
    Object.assign(headers, options.headers);
    if (options.form)
      Object.assign(headers, {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(options.form),
      });
    const send = options.tls ? https.request : http.request;
    const req = send(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        headers,
        rejectUnauthorized: false,
        servername: 'shop.example.com',
        // A connection per request: Node 20 keeps connections alive, and uWSGI's http-socket closes them.
        agent: false,
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(options.form);
  });
}

export async function waitFor(what: string, probe: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what} did not come up: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts nginx as the site file of an example says, on loopback: its `listen 443 ssl` on
 * `httpsPort`, the test's certificate, and `appPort` where the example proxies to `from`.
 */
export async function startNginx(
  dir: string,
  site: string,
  ports: { https: number; from: string; app: number },
  certs: { cert: string; key: string },
  log: (d: string) => void,
): Promise<ChildProcess> {
  const text = site
    .replace(/listen 443 ssl;/g, `listen 127.0.0.1:${ports.https} ssl;`)
    .replace(/ssl_certificate .*;/, `ssl_certificate ${certs.cert};`)
    .replace(/ssl_certificate_key .*;/, `ssl_certificate_key ${certs.key};`)
    .split(ports.from)
    .join(`127.0.0.1:${ports.app}`);
  return runNginx(dir, text, { port: ports.https, tls: true }, log);
}

/** Runs nginx with `site` as its only configuration, until `port` answers. */
export async function runNginx(
  dir: string,
  site: string,
  wait: { port: number; tls: boolean },
  log: (d: string) => void,
): Promise<ChildProcess> {
  const text = site;
  const run = path.join(dir, '.nginx');
  await fs.mkdir(run, { recursive: true });
  await fs.writeFile(path.join(run, 'site.conf'), text);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${run}/${t};`)
    .join('\n  ');
  await fs.writeFile(
    path.join(run, 'nginx.conf'),
    `worker_processes 1;\npid ${run}/nginx.pid;\nerror_log ${run}/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  ${temp}\n  include ${run}/site.conf;\n}\n`,
  );
  const nginx = spawn(NGINX, ['-p', run, '-c', path.join(run, 'nginx.conf'), '-g', 'daemon off;'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  nginx.stderr!.on('data', (d) => log(String(d)));
  await waitFor('nginx', () => request(wait.port, 'GET', '/', { tls: wait.tls }));
  return nginx;
}

/** A self-signed certificate for shop.example.com, in `dir`. */
export function makeCertificate(dir: string): { cert: string; key: string } {
  const certs = { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
  const ssl = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=shop.example.com',
    '-keyout',
    certs.key,
    '-out',
    certs.cert,
  ]);
  if (ssl.status !== 0) throw new Error(String(ssl.stderr));
  return certs;
}

export function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}
