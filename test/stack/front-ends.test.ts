import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyToTemp, lint, projectFromDisk } from '../helpers/lint';
import { REPO } from '../helpers/paths';
import { freePort, makeCertificate, NGINX, request, runNginx, stop, waitFor } from './harness';

// Caddy, Apache and uWSGI from Debian's packages in front of a Flask app that answers with the
// scheme, host and client address it believes, each as the linter reads its configuration:
// the broken project's finding is what happens, and its fixed twin lints clean and works.
const PYTHON = '/usr/bin/python3';
const CADDY = '/usr/bin/caddy';
const APACHE = '/usr/sbin/apache2';
const UWSGI = '/usr/bin/uwsgi';
const APACHE_MODULES = '/usr/lib/apache2/modules';
const PROJECTS = path.join(REPO, 'test', 'stack', 'projects');
const ENV = { ...process.env, SECRET_KEY: 'a-key-for-this-test-only-0123456789abcdef', PYTHONDONTWRITEBYTECODE: '1' };

interface Seen {
  scheme: string;
  host: string;
  client: string;
}

/** The processes of one run, stopped together. */
class Processes {
  private readonly children: ChildProcess[] = [];
  log = '';

  start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = ENV): ChildProcess {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (this.log += d));
    child.stderr?.on('data', (d) => (this.log += d));
    return this.track(child);
  }

  /** A process started elsewhere (runNginx) that this run must stop too. */
  track(child: ChildProcess): ChildProcess {
    this.children.push(child);
    return child;
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map(stop));
  }
}

/** Lints a copy of a project and returns its directory and the rule ids found. */
async function linted(name: string): Promise<{ dir: string; codes: string[] }> {
  const dir = await copyToTemp(path.join(PROJECTS, name));
  const codes = lint(await projectFromDisk(dir)).map((f) => f.ruleId);
  return { dir, codes };
}

/** waitress serving the project's app.py on `port`, as its `serve()` call says. */
async function startWaitress(run: Processes, dir: string, port: number): Promise<void> {
  run.start(PYTHON, ['app.py'], dir, { ...ENV, PORT: String(port) });
  await waitFor(`waitress (${run.log})`, () => request(port, 'GET', '/', { tls: false }));
}

async function seen(port: number, options: { tls: boolean; headers?: Record<string, string> }): Promise<Seen> {
  const r = await request(port, 'GET', '/', options);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as Seen;
}

/** Caddy with the project's Caddyfile: its site on `port` with Caddy's internal CA, as a test can run it. */
async function startCaddy(run: Processes, dir: string, ports: { https: number; app: number }): Promise<void> {
  const site = (await fs.readFile(path.join(dir, 'Caddyfile'), 'utf8'))
    .replace(/^shop\.example\.com \{$/m, `https://shop.example.com:${ports.https} {\n\ttls internal`)
    .split('127.0.0.1:8080')
    .join(`127.0.0.1:${ports.app}`);
  const data = path.join(dir, '.caddy');
  const global = `{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n\tstorage file_system ${data}\n}\n\n`;
  await fs.mkdir(data, { recursive: true });
  await fs.writeFile(path.join(data, 'Caddyfile'), global + site);
  run.start(CADDY, ['run', '--config', path.join(data, 'Caddyfile'), '--adapter', 'caddyfile'], dir, {
    ...ENV,
    HOME: data,
    XDG_DATA_HOME: data,
    XDG_CONFIG_HOME: data,
  });
  await waitFor(`caddy (${run.log.slice(-2000)})`, () => request(ports.https, 'GET', '/', { tls: true }), 30_000);
}

/** Apache with the project's virtual host, mod_proxy, mod_headers and mod_ssl, on `port`. */
async function startApache(
  run: Processes,
  dir: string,
  ports: { https: number; app: number },
  certs: { cert: string; key: string },
): Promise<void> {
  const site = (await fs.readFile(path.join(dir, 'apache', 'shop.conf'), 'utf8'))
    .replace('<VirtualHost *:443>', `<VirtualHost 127.0.0.1:${ports.https}>`)
    .replace(/SSLCertificateFile .*/, `SSLCertificateFile ${certs.cert}`)
    .replace(/SSLCertificateKeyFile .*/, `SSLCertificateKeyFile ${certs.key}`)
    .split('127.0.0.1:8080')
    .join(`127.0.0.1:${ports.app}`);
  const root = path.join(dir, '.apache');
  await fs.mkdir(root, { recursive: true });
  const modules = ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'headers', 'socache_shmcb', 'ssl'];
  const conf = [
    `ServerRoot ${root}`,
    ...modules.map((m) => `LoadModule ${m}_module ${APACHE_MODULES}/mod_${m}.so`),
    // Started as root (CI), httpd serves as an unprivileged user; otherwise these are ignored.
    'User nobody',
    'Group nogroup',
    'ServerName localhost',
    `PidFile ${root}/httpd.pid`,
    `ErrorLog ${root}/error.log`,
    `Mutex file:${root} default`,
    `Listen 127.0.0.1:${ports.https}`,
    site,
  ].join('\n');
  await fs.writeFile(path.join(root, 'httpd.conf'), conf);
  run.start(APACHE, ['-f', path.join(root, 'httpd.conf'), '-DFOREGROUND'], dir);
  await waitFor(`apache (${run.log})`, () => request(ports.https, 'GET', '/', { tls: true }));
}

/** uWSGI with the project's ini on `app`, and nginx's `uwsgi_pass` site in front on plain HTTP. */
async function startUwsgi(run: Processes, dir: string, ports: { http: number; app: number }): Promise<void> {
  const ini = (await fs.readFile(path.join(dir, 'uwsgi.ini'), 'utf8')).replace(
    '127.0.0.1:3031',
    `127.0.0.1:${ports.app}`,
  );
  await fs.writeFile(path.join(dir, 'uwsgi.ini'), ini);
  run.start(UWSGI, ['--ini', 'uwsgi.ini'], dir);
  const site = (await fs.readFile(path.join(dir, 'nginx', 'shop.conf'), 'utf8'))
    .replace('listen 80;', `listen 127.0.0.1:${ports.http};`)
    .replace('include uwsgi_params;', 'include /etc/nginx/uwsgi_params;')
    .replace('uwsgi_pass 127.0.0.1:3031;', `uwsgi_pass 127.0.0.1:${ports.app};`);
  run.track(await runNginx(dir, site, { port: ports.http, tls: false }, (d) => (run.log += d)));
}

describe('the real stack: Caddy, Apache and uWSGI in front of Flask', () => {
  const runs: Processes[] = [];
  let certs: { cert: string; key: string };
  const fresh = () => {
    const run = new Processes();
    runs.push(run);
    return run;
  };

  before(async () => {
    for (const tool of [PYTHON, CADDY, APACHE, UWSGI, NGINX])
      assert.ok(existsSync(tool), `${tool} is missing: run scripts/setup.sh`);
    certs = makeCertificate(await copyToTemp(path.join(PROJECTS, 'apache-broken', 'apache')));
  });
  after(async () => {
    await Promise.all(runs.map((r) => r.stop()));
  });

  it('Caddy (TLS from its internal CA): without trusted_proxy the app sees http (SL401); trusted, https', async () => {
    for (const [name, scheme, codes] of [
      ['caddy-broken', 'http', ['SL401']],
      ['caddy-fixed', 'https', []],
    ] as const) {
      const { dir, codes: found } = await linted(name);
      assert.deepEqual(found, codes, name);
      const run = fresh();
      const ports = { https: await freePort(), app: await freePort() };
      await startWaitress(run, dir, ports.app);
      await startCaddy(run, dir, ports);
      const app = await seen(ports.https, { tls: true });
      assert.equal(app.scheme, scheme, name);
      // Caddy keeps the client's Host by default, so both see it.
      assert.match(app.host, /^shop\.example\.com/, name);
      await run.stop();
    }
  });

  it('Apache (mod_proxy, mod_ssl): no X-Forwarded-Proto nor preserved Host (SL501); fixed, https and the Host', async () => {
    for (const [name, scheme, host, codes] of [
      ['apache-broken', 'http', /^127\.0\.0\.1:\d+$/, ['SL501']],
      ['apache-fixed', 'https', /^shop\.example\.com/, []],
    ] as const) {
      const { dir, codes: found } = await linted(name);
      assert.deepEqual(found, codes, name);
      const run = fresh();
      const ports = { https: await freePort(), app: await freePort() };
      await startWaitress(run, dir, ports.app);
      await startApache(run, dir, ports, certs);
      const app = await seen(ports.https, { tls: true });
      assert.equal(app.scheme, scheme, name);
      assert.match(app.host, host, name);
      await run.stop();
    }
  });

  it("uWSGI behind nginx's uwsgi_pass: a client's X-Forwarded-Proto is believed (SL503); the uwsgi_params fix replaces it", async () => {
    for (const [name, scheme, codes] of [
      ['uwsgi-broken', 'https', ['SL503']],
      ['uwsgi-fixed', 'http', []],
    ] as const) {
      const { dir, codes: found } = await linted(name);
      assert.deepEqual(found, codes, name);
      const run = fresh();
      const ports = { http: await freePort(), app: await freePort() };
      await startUwsgi(run, dir, ports);
      const app = await seen(ports.http, { tls: false, headers: { 'X-Forwarded-Proto': 'https' } });
      assert.equal(app.scheme, scheme, `${name}: plain HTTP with a client's X-Forwarded-Proto: https`);
      await run.stop();
    }
  });

  it('uWSGI with an HTTP port clients reach: any client that sends X-Forwarded-Proto: https is taken for HTTPS (SL404)', async () => {
    const dir = await copyToTemp(path.join(PROJECTS, 'uwsgi-broken'));
    const port = await freePort();
    // The project's ini with the `http-socket` the SL404 fixtures show (`http-socket = :8000`).
    const run = fresh();
    run.start(UWSGI, ['--ini', 'uwsgi.ini', '--http-socket', `127.0.0.1:${port}`], dir);
    await waitFor(`uwsgi (${run.log})`, () => request(port, 'GET', '/', { tls: false }));
    assert.equal((await seen(port, { tls: false })).scheme, 'http');
    assert.equal((await seen(port, { tls: false, headers: { 'X-Forwarded-Proto': 'https' } })).scheme, 'https');
    assert.equal((await seen(port, { tls: false, headers: { 'X-Forwarded-SSL': 'on' } })).scheme, 'https');
    await run.stop();
  });
});
