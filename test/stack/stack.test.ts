import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyToTemp, lint, projectFromDisk } from '../helpers/lint';
import { EXAMPLES } from '../helpers/paths';
import { freePort, makeCertificate, NGINX, request, startNginx, stop, waitFor } from './harness';

// The real stack: Debian's nginx, python3-waitress and python3-flask on loopback, driven over
// HTTPS, to show that what the rules say is what happens. scripts/setup.sh installs them.
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
    const site = await fs.readFile(path.join(this.dir, 'nginx', 'shop.conf'), 'utf8');
    this.nginx = await startNginx(
      this.dir,
      site,
      { https: this.httpsPort, from: '127.0.0.1:8080', app: this.appPort },
      this.certs,
      (d) => (this.log += d),
    );
  }

  async startWaitress(): Promise<void> {
    const env = {
      ...process.env,
      PORT: String(this.appPort),
      SHOP_CONFIG: 'production',
      FLASK_SECRET_KEY: 'a-key-generated-once-for-this-test-0123456789abcdef',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    this.waitress = spawn(PYTHON, ['-c', SERVE_AS_WAITRESS_3], {
      cwd: this.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    assert.equal(
      check.status,
      0,
      `python3-flask and python3-waitress are missing: run scripts/setup.sh\n${check.stderr}`,
    );
    certs = makeCertificate(await copyToTemp(path.join(EXAMPLES, 'flask-waitress', 'nginx')));
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
    assert.deepEqual(
      lint(await projectFromDisk(dir)).map((f) => f.ruleId),
      [],
    );
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
