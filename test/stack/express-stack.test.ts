import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyToTemp, lint, projectFromDisk } from '../helpers/lint';
import { EXAMPLES } from '../helpers/paths';
import { freePort, makeCertificate, NGINX, request, startNginx, stop, waitFor, type Response } from './harness';

// The real stack for Express: Debian's nginx ending TLS in front of a real Express app with
// express-session, installed from npm into a copy of each example, and Debian's redis-server
// for the fixed twin's session store.
const REDIS = '/usr/bin/redis-server';

/** One Express example behind nginx, with its own redis when it uses one. */
class ExpressStack {
  private app?: ChildProcess;
  private nginx?: ChildProcess;
  private redis?: ChildProcess;
  private appPort = 0;
  private redisPort = 0;
  httpsPort = 0;
  private log = '';

  constructor(
    readonly dir: string,
    private readonly certs: { cert: string; key: string },
  ) {}

  async start(): Promise<void> {
    [this.appPort, this.httpsPort, this.redisPort] = await Promise.all([freePort(), freePort(), freePort()]);
    this.redis = spawn(
      REDIS,
      ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { detached: true, stdio: 'ignore' },
    );
    await this.startApp();
    const site = await fs.readFile(path.join(this.dir, 'nginx', 'shop.conf'), 'utf8');
    this.nginx = await startNginx(
      this.dir,
      site,
      { https: this.httpsPort, from: '127.0.0.1:3000', app: this.appPort },
      this.certs,
      (d) => (this.log += d),
    );
  }

  /** `npm start` as the example's package.json says: NODE_ENV=production node ./bin/www. */
  async startApp(): Promise<void> {
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(this.appPort),
      SESSION_SECRET: 'a-secret-generated-once-for-this-test-0123456789',
      SESSION_STORE_URL: `redis://127.0.0.1:${this.redisPort}`,
    };
    this.app = spawn(process.execPath, ['./bin/www'], {
      cwd: this.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.app.stderr!.on('data', (d) => (this.log += d));
    await waitFor(`the Express app (${this.log})`, () => request(this.appPort, 'GET', '/', { tls: false }));
  }

  async restartApp(): Promise<void> {
    await stop(this.app);
    await this.startApp();
  }

  async stop(): Promise<void> {
    await Promise.all([stop(this.app), stop(this.nginx), stop(this.redis)]);
  }
}

/** Copies an example and installs its npm dependencies there, as a deployment would. */
async function installed(example: string): Promise<string> {
  const dir = await copyToTemp(path.join(EXAMPLES, example));
  const npm = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(npm.status, 0, `npm install failed in ${example}: ${npm.stderr}`);
  return dir;
}

const sessionCookie = (res: Response) =>
  (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('connect.sid='));

/** Logs in over HTTPS through nginx, restarts the app, and reads who the session says. */
async function scenario(stack: ExpressStack) {
  const login = await request(stack.httpsPort, 'POST', '/login', { form: 'user=alice', tls: true });
  assert.equal(login.status, 302, login.body);
  const cookie = sessionCookie(login);
  if (!cookie) return { cookie };
  const before = JSON.parse((await request(stack.httpsPort, 'GET', '/', { cookie, tls: true })).body);
  await stack.restartApp();
  const afterRestart = JSON.parse((await request(stack.httpsPort, 'GET', '/', { cookie, tls: true })).body);
  return { cookie, before, afterRestart };
}

describe('the real stack: nginx (TLS) -> Express with express-session', () => {
  const stacks: ExpressStack[] = [];
  let certs: { cert: string; key: string };

  before(async () => {
    for (const tool of [NGINX, REDIS]) assert.ok(existsSync(tool), `${tool} is missing: run scripts/setup.sh`);
    certs = makeCertificate(await copyToTemp(path.join(EXAMPLES, 'express-nginx', 'nginx')));
  });
  after(async () => {
    await Promise.all(stacks.map((s) => s.stop()));
  });

  it('broken example: the rules report it, and behind nginx the secure session cookie is never sent', async () => {
    const dir = await installed('express-nginx');
    const codes = new Set(lint(await projectFromDisk(dir)).map((f) => f.ruleId));
    assert.ok(codes.has('SL302') && codes.has('SL108'), [...codes].join());
    const stack = new ExpressStack(dir, certs);
    stacks.push(stack);
    await stack.start();
    // SL302: without "trust proxy" the app sees nginx's plain HTTP, so express-session
    // silently drops the secure cookie: the login "succeeds" and no one is logged in.
    const { cookie } = await scenario(stack);
    assert.equal(cookie, undefined, 'express-session sends no session cookie behind the proxy');
    const me = JSON.parse((await request(stack.httpsPort, 'GET', '/', { tls: true })).body);
    assert.deepEqual([me.user, me.secure], [null, false], 'the app believes the HTTPS request was plain HTTP');
    await stack.stop();
  });

  it('fixed twin: it lints clean, the cookie is sent, and the session survives a restart', async () => {
    const dir = await installed('express-nginx-fixed');
    assert.deepEqual(
      lint(await projectFromDisk(dir)).map((f) => f.ruleId),
      [],
    );
    const stack = new ExpressStack(dir, certs);
    stacks.push(stack);
    await stack.start();
    const { cookie, before, afterRestart } = await scenario(stack);
    assert.ok(cookie, 'express-session sends the session cookie');
    assert.deepEqual([before.user, before.secure, before.ip], ['alice', true, '127.0.0.1']);
    // SL108: the store is redis, not one process's memory: a restart keeps the session.
    assert.equal(afterRestart.user, 'alice', 'the session survives the restart');
    await stack.stop();
  });
});
