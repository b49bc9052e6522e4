import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyToTemp, lint, projectFromDisk } from '../helpers/lint';
import { EXAMPLES } from '../helpers/paths';

// The real stack: Debian's nginx, python3-waitress and python3-flask on loopback, driven over
// HTTPS, to show that what the rules say is what happens. scripts/setup.sh installs them.
const NGINX = '/usr/sbin/nginx';
const PYTHON = '/usr/bin/python3';

/**
 * Debian ships waitress 2.1.2, whose `clear_untrusted_proxy_headers` defaults to False; the
 * examples pin waitress 3.0.0, where it defaults to True (the change SL402 is about). Setting
 * the class default to True runs 2.1.2 exactly as 3.0 behaves there; nothing else differs.
 */
const SERVE_AS_WAITRESS_3 = [
  'import runpy, waitress.adjustments as a',
  'a.Adjustments.clear_untrusted_proxy_headers = True',
  "runpy.run_path('serve.py', run_name='__main__')",
].join('\n');

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function request(port: number, method: string, url: string, options: { cookie?: string; form?: string; tls: boolean }): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { Host: 'shop.example.com' };
    if (options.cookie) headers.Cookie = options.cookie;
    if (options.form) Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(options.form) });
    const send = options.tls ? https.request : http.request;
    const req = send({ host: '127.0.0.1', port, method, path: url, headers, rejectUnauthorized: false, servername: 'shop.example.com', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(options.form);
  });
}

async function waitFor(what: string, probe: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
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

/** One example running behind nginx: start, restart the app server, stop. */
class Stack {
  private waitress?: ChildProcess;
  private nginx?: ChildProcess;
  appPort = 0;
  httpsPort = 0;
  private log = '';

  constructor(
    readonly dir: string,
    private readonly certs: { cert: string; key: string },
  ) {}

  async start(): Promise<void> {
    this.appPort = await freePort();
    this.httpsPort = await freePort();
    await this.startWaitress();
    const site = (await fs.readFile(path.join(this.dir, 'nginx', 'shop.conf'), 'utf8'))
      .replace(/listen 443 ssl;/g, `listen 127.0.0.1:${this.httpsPort} ssl;`)
      .replace(/ssl_certificate .*;/, `ssl_certificate ${this.certs.cert};`)
      .replace(/ssl_certificate_key .*;/, `ssl_certificate_key ${this.certs.key};`)
      .replace(/127\.0\.0\.1:8080/g, `127.0.0.1:${this.appPort}`);
    const run = path.join(this.dir, '.nginx');
    await fs.mkdir(run, { recursive: true });
    await fs.writeFile(path.join(run, 'site.conf'), site);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${run}/${t};`).join('\n  ');
    await fs.writeFile(
      path.join(run, 'nginx.conf'),
      `worker_processes 1;\npid ${run}/nginx.pid;\nerror_log ${run}/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  ${temp}\n  include ${run}/site.conf;\n}\n`,
    );
    this.nginx = spawn(NGINX, ['-p', run, '-c', path.join(run, 'nginx.conf'), '-g', 'daemon off;'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.nginx.stderr!.on('data', (d) => (this.log += d));
    await waitFor(`nginx (${this.log})`, () => request(this.httpsPort, 'GET', '/', { tls: true }));
  }

  async startWaitress(): Promise<void> {
    const env = { ...process.env, PORT: String(this.appPort), SHOP_CONFIG: 'production', FLASK_SECRET_KEY: 'a-key-generated-once-for-this-test-0123456789abcdef', PYTHONDONTWRITEBYTECODE: '1' };
    this.waitress = spawn(PYTHON, ['-c', SERVE_AS_WAITRESS_3], { cwd: this.dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.waitress.stderr!.on('data', (d) => (this.log += d));
    await waitFor(`waitress (${this.log})`, () => request(this.appPort, 'GET', '/', { tls: false }));
  }

  async restartWaitress(): Promise<void> {
    await stop(this.waitress);
    await this.startWaitress();
  }

  async stop(): Promise<void> {
    await Promise.all([stop(this.waitress), stop(this.nginx)]);
  }
}

function stop(child: ChildProcess | undefined): Promise<void> {
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

/** Logs in, restarts waitress, and reads the session and the scheme the app believes in. */
async function scenario(stack: Stack) {
  const login = await request(stack.httpsPort, 'POST', '/login', { form: 'name=alice', tls: true });
  assert.equal(login.status, 302, login.body);
  const cookie = (login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('session='));
  assert.ok(cookie, 'the app sets a session cookie');
  const before = JSON.parse((await request(stack.httpsPort, 'GET', '/', { cookie, tls: true })).body);
  await stack.restartWaitress();
  const afterRestart = JSON.parse((await request(stack.httpsPort, 'GET', '/', { cookie, tls: true })).body);
  return { before, afterRestart };
}

describe('the real stack: nginx (TLS) -> waitress -> Flask', () => {
  const stacks: Stack[] = [];
  let certs: { cert: string; key: string };

  before(async () => {
    for (const tool of [NGINX, PYTHON]) assert.ok(existsSync(tool), `${tool} is missing: run scripts/setup.sh`);
    const check = spawnSync(PYTHON, ['-c', 'import flask, waitress']);
    assert.equal(check.status, 0, `python3-flask and python3-waitress are missing: run scripts/setup.sh\n${check.stderr}`);
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress', 'nginx'));
    certs = { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
    const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=shop.example.com', '-keyout', certs.key, '-out', certs.cert]);
    assert.equal(ssl.status, 0, String(ssl.stderr));
  });
  after(async () => {
    await Promise.all(stacks.map((s) => s.stop()));
  });

  it('broken example: the rules report it, and the session is lost on restart and the scheme is wrong', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
    const codes = new Set(lint(await projectFromDisk(dir)).map((f) => f.ruleId));
    assert.ok(codes.has('SL103') && codes.has('SL402'), [...codes].join());
    const stack = new Stack(dir, certs);
    stacks.push(stack);
    await stack.start();
    const { before, afterRestart } = await scenario(stack);
    assert.equal(before.user, 'alice', 'the session works until the restart');
    // SL103: the key was generated at start-up; the restarted process signs with another.
    assert.equal(afterRestart.user, null, 'the session is gone after the restart');
    // SL402: waitress deleted X-Forwarded-Proto before ProxyFix could read it.
    assert.equal(before.scheme, 'http', 'the app believes the HTTPS request was plain HTTP');
    await stack.stop();
  });

  it('fixed twin: it lints clean, the session survives the restart and the scheme is https', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress-fixed'));
    assert.deepEqual(lint(await projectFromDisk(dir)).map((f) => f.ruleId), []);
    const stack = new Stack(dir, certs);
    stacks.push(stack);
    await stack.start();
    const { before, afterRestart } = await scenario(stack);
    assert.equal(before.user, 'alice');
    assert.equal(afterRestart.user, 'alice', 'the same key after the restart: the session survives');
    assert.equal(before.scheme, 'https');
    assert.equal(before.client, '127.0.0.1');
    await stack.stop();
  });
});
