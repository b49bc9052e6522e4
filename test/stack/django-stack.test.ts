import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyToTemp, lint, projectFromDisk } from '../helpers/lint';
import { EXAMPLES } from '../helpers/paths';
import { freePort, makeCertificate, NGINX, request, startNginx, stop, waitFor, type Response } from './harness';

// The real stack for Django: Debian's nginx ending TLS in front of Debian's python3-django,
// served by waitress as waitress 3 behaves (see stack.test.ts).
const PYTHON = '/usr/bin/python3';
const SERVE_AS_WAITRESS_3 = [
  'import runpy, waitress.adjustments as a',
  'a.Adjustments.clear_untrusted_proxy_headers = True',
  "runpy.run_path('serve.py', run_name='__main__')",
].join('\n');

class DjangoStack {
  private app?: ChildProcess;
  private nginx?: ChildProcess;
  httpsPort = 0;
  private log = '';

  constructor(
    readonly dir: string,
    private readonly certs: { cert: string; key: string },
  ) {}

  async start(): Promise<void> {
    const appPort = await freePort();
    this.httpsPort = await freePort();
    const env = {
      ...process.env,
      PORT: String(appPort),
      DJANGO_SECRET_KEY: 'a-key-generated-once-for-this-test-0123456789abcdef',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    this.app = spawn(PYTHON, ['-c', SERVE_AS_WAITRESS_3], {
      cwd: this.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.app.stderr!.on('data', (d) => (this.log += d));
    await waitFor(`waitress (${this.log})`, () => request(appPort, 'GET', '/', { tls: false }));
    const site = await fs.readFile(path.join(this.dir, 'nginx', 'shop.conf'), 'utf8');
    this.nginx = await startNginx(
      this.dir,
      site,
      { https: this.httpsPort, from: '127.0.0.1:8000', app: appPort },
      this.certs,
      (d) => (this.log += d),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([stop(this.app), stop(this.nginx)]);
  }
}

const cookies = (res: Response) => (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);

describe('the real stack: nginx (TLS) -> waitress -> Django', () => {
  const stacks: DjangoStack[] = [];
  let certs: { cert: string; key: string };

  before(async () => {
    assert.ok(existsSync(NGINX), `${NGINX} is missing: run scripts/setup.sh`);
    const check = spawnSync(PYTHON, ['-c', 'import django, waitress']);
    assert.equal(
      check.status,
      0,
      `python3-django and python3-waitress are missing: run scripts/setup.sh\n${check.stderr}`,
    );
    certs = makeCertificate(await copyToTemp(path.join(EXAMPLES, 'django-nginx', 'nginx')));
  });
  after(async () => {
    await Promise.all(stacks.map((s) => s.stop()));
  });

  it('broken example: the rules report it, and every HTTPS request is redirected to itself', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'django-nginx'));
    const codes = new Set(lint(await projectFromDisk(dir)).map((f) => f.ruleId));
    assert.ok(codes.has('SL401') && codes.has('SL101'), [...codes].join());
    const stack = new DjangoStack(dir, certs);
    stacks.push(stack);
    await stack.start();
    // SL401: Django sees nginx's plain HTTP and redirects to the very URL the browser asked for.
    const res = await request(stack.httpsPort, 'GET', '/', { tls: true });
    assert.equal(res.status, 301, res.body);
    assert.equal(res.headers.location, 'https://shop.example.com/', 'redirected to the same HTTPS URL: a loop');
    await stack.stop();
  });

  it('fixed twin: it lints clean, the page is served over HTTPS and a POST with its CSRF token keeps the session', async () => {
    const dir = await copyToTemp(path.join(EXAMPLES, 'django-nginx-fixed'));
    assert.deepEqual(
      lint(await projectFromDisk(dir)).map((f) => f.ruleId),
      [],
    );
    const stack = new DjangoStack(dir, certs);
    stacks.push(stack);
    await stack.start();
    const page = await request(stack.httpsPort, 'GET', '/', { tls: true });
    assert.equal(page.status, 200, page.body);
    const { secure, csrf } = JSON.parse(page.body);
    assert.equal(secure, true, 'Django knows the request was HTTPS');
    const csrfCookie = cookies(page).find((c) => c.startsWith('csrftoken='));
    assert.ok(csrfCookie, 'the CSRF cookie is set');
    const headers = { Origin: 'https://shop.example.com', Referer: 'https://shop.example.com/', 'X-CSRFToken': csrf };
    const post = await request(stack.httpsPort, 'POST', '/', {
      tls: true,
      cookie: csrfCookie,
      form: 'user=alice',
      headers,
    });
    assert.equal(post.status, 200, post.body);
    const session = cookies(post).find((c) => c.startsWith('sessionid='));
    assert.ok(session, 'the session cookie is set');
    const me = JSON.parse(
      (await request(stack.httpsPort, 'GET', '/', { tls: true, cookie: `${session}; ${csrfCookie}` })).body,
    );
    assert.equal(me.user, 'alice', 'the session keeps the user');
    await stack.stop();
  });
});
