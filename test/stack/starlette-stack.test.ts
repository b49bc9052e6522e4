import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyToTemp, lint, projectFromDisk } from '../helpers/lint';
import { REPO } from '../helpers/paths';
import { freePort, request, stop, waitFor } from './harness';

// Starlette's SessionMiddleware served by uvicorn, both from Debian's packages (python3-starlette,
// uvicorn), as the linter reads each project: a key generated per process loses every session
// at a restart (SL103); an unset key makes Starlette sign with the string "None", so a cookie
// forged with that word is accepted (SL104); the fixed twin lints clean and does neither.
const PYTHON = '/usr/bin/python3';
const PROJECTS = path.join(REPO, 'test', 'stack', 'projects');
const KEY = 'a-key-generated-once-for-this-test-0123456789abcdef';

/** A session cookie for `{"user": "admin"}` signed as Starlette does, with the key "None". */
function forgedCookie(): string {
  const forge = [
    'import base64, json, itsdangerous',
    'data = base64.b64encode(json.dumps({"user": "admin"}).encode())',
    'print(itsdangerous.TimestampSigner("None").sign(data).decode())',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', forge], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return `session=${r.stdout.trim()}`;
}

/** uvicorn serving the project's app.py; stopped and started again to show a restart. */
class Uvicorn {
  private child?: ChildProcess;
  private log = '';
  port = 0;

  constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(): Promise<void> {
    this.port ||= await freePort();
    const args = ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(this.port)];
    this.child = spawn(PYTHON, args, {
      cwd: this.dir,
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr?.on('data', (d) => (this.log += d));
    await waitFor(`uvicorn (${this.log})`, () => request(this.port, 'GET', '/', { tls: false }));
  }

  stop(): Promise<void> {
    return stop(this.child);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The user the app's session holds, sending `cookie`. */
  async user(cookie?: string): Promise<string | null> {
    const res = await request(this.port, 'GET', '/', { tls: false, cookie });
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body).user;
  }

  /** Logs in and returns the session cookie the app set. */
  async login(): Promise<string> {
    const res = await request(this.port, 'POST', '/login', { tls: false });
    assert.equal(res.status, 200, res.body);
    const set = res.headers['set-cookie']?.find((c) => c.startsWith('session='));
    assert.ok(set, `a session cookie: ${JSON.stringify(res.headers)}`);
    return set.split(';')[0];
  }
}

describe('real stack: Starlette sessions under uvicorn', () => {
  const servers: Uvicorn[] = [];
  const serve = async (name: string, env: NodeJS.ProcessEnv = {}) => {
    const dir = await copyToTemp(path.join(PROJECTS, name));
    const codes = lint(await projectFromDisk(dir)).map((f) => f.ruleId);
    const server = new Uvicorn(dir, { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env });
    servers.push(server);
    await server.start();
    return { codes, server };
  };

  before(() => {
    assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run scripts/setup.sh`);
    const r = spawnSync(PYTHON, ['-c', 'import starlette, uvicorn, itsdangerous'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `Debian's python3-starlette and uvicorn are missing: run scripts/setup.sh\n${r.stderr}`);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('a key generated at start-up (SL103): the session is gone after a restart', async () => {
    const { codes, server } = await serve('starlette-generated');
    assert.deepEqual(codes, ['SL103']);
    const cookie = await server.login();
    assert.equal(await server.user(cookie), 'alice');
    await server.restart();
    assert.equal(await server.user(cookie), null);
  });

  it('an unset key (SL104): a cookie forged with the key "None" is a valid session', async () => {
    const { codes, server } = await serve('starlette-unset');
    assert.deepEqual(codes, ['SL104']);
    assert.equal(await server.user(forgedCookie()), 'admin');
  });

  it('the fixed twin lints clean: the session survives a restart and the forged cookie is refused', async () => {
    const { codes, server } = await serve('starlette-fixed', { SESSION_SECRET: KEY });
    assert.deepEqual(codes, []);
    const cookie = await server.login();
    await server.restart();
    assert.equal(await server.user(cookie), 'alice');
    assert.equal(await server.user(forgedCookie()), null);
  });
});
