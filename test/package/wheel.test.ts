import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { EXAMPLES, REPO } from '../helpers/paths';

// The standalone executable and the Python wheel that carries it, as a Python-only user gets
// them: installed with pip from the file into a fresh virtual environment, run with no `node`
// on PATH, and compared with the npm CLI. Debian's python3-venv, python3-build and
// python3-hatchling build and install it (scripts/setup.sh); PyPI is never contacted.
const PYTHON = '/usr/bin/python3';
const EXAMPLE_NAMES = readdirSync(EXAMPLES).sort();

describe('the standalone executable and the sessionlint wheel', () => {
  let venv: string;
  const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;

  before(() => {
    execFileSync(process.execPath, ['scripts/build-binary.mjs'], { cwd: REPO, stdio: 'pipe' });
    execFileSync(process.execPath, ['scripts/build-wheel.mjs'], { cwd: REPO, stdio: 'pipe' });
    venv = path.join(mkdtempSync(path.join(os.tmpdir(), 'sessionlint-venv-')), 'venv');
    execFileSync(PYTHON, ['-m', 'venv', venv]);
    const wheel = path.join(REPO, 'dist', 'wheel', `sessionlint-${version}-py3-none-manylinux_2_28_x86_64.whl`);
    assert.ok(existsSync(wheel), `${wheel} was not built`);
    execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--no-index', '--quiet', wheel]);
  });

  /** The environment a machine with only Python has: the venv's bin and no node anywhere. */
  const noNode = () => {
    const env: NodeJS.ProcessEnv = { HOME: os.tmpdir(), PATH: path.join(venv, 'bin'), LANG: 'C.UTF-8' };
    assert.equal(spawnSync('node', ['--version'], { env }).error?.message.includes('ENOENT'), true);
    return env;
  };

  it('installs sessionlint (the executable itself) and sessionlint-lsp, with the version from package.json', () => {
    const r = spawnSync(path.join(venv, 'bin', 'sessionlint'), ['--version'], { env: noNode(), encoding: 'utf8' });
    assert.equal(r.stdout, `sessionlint ${version}\n`, r.stderr);
    // The executable, not a Python shim: an ELF file.
    assert.equal(
      readFileSync(path.join(venv, 'bin', 'sessionlint'))
        .subarray(1, 4)
        .toString(),
      'ELF',
    );
  });

  it('gives the npm CLI output and exit code on every example, in text and JSON, with no node on PATH', () => {
    for (const example of EXAMPLE_NAMES) {
      for (const format of ['text', 'json']) {
        const args = ['--format', format, example];
        const npm = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ...args], {
          cwd: EXAMPLES,
          encoding: 'utf8',
        });
        const wheel = spawnSync(path.join(venv, 'bin', 'sessionlint'), args, {
          cwd: EXAMPLES,
          env: noNode(),
          encoding: 'utf8',
        });
        assert.equal(wheel.status, npm.status, `${example} ${format}: ${wheel.stderr}`);
        assert.equal(wheel.stdout, npm.stdout, `${example} ${format}`);
      }
    }
    // `python -m sessionlint` is the same program.
    const viaModule = spawnSync(path.join(venv, 'bin', 'python'), ['-m', 'sessionlint', 'chain', 'flask-waitress'], {
      cwd: EXAMPLES,
      env: noNode(),
      encoding: 'utf8',
    });
    assert.equal(viaModule.status, 0, viaModule.stderr);
    assert.match(viaModule.stdout, /^ x waitress: /m);
  });

  it('sessionlint-lsp --stdio answers initialize as the npm server does', async () => {
    const server = spawn(path.join(venv, 'bin', 'sessionlint-lsp'), ['--stdio'], { env: noNode() });
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {}, workspaceFolders: null },
    });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<{ result: { serverInfo: { name: string; version: string } } }>(
      (resolve, reject) => {
        // Messages come framed one after another; the server may log before it answers.
        let data = Buffer.alloc(0);
        server.stdout.on('data', (d: Buffer) => {
          data = Buffer.concat([data, d]);
          for (;;) {
            const head = data.indexOf('\r\n\r\n');
            const length = Number(/Content-Length: (\d+)/.exec(data.subarray(0, head).toString())?.[1]);
            if (head < 0 || data.length < head + 4 + length) return;
            const message = JSON.parse(data.subarray(head + 4, head + 4 + length).toString());
            data = data.subarray(head + 4 + length);
            if (message.id === 1) resolve(message);
          }
        });
        server.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
      },
    );
    server.kill();
    assert.equal(reply.result.serverInfo.name, 'sessionlint');
    assert.equal(reply.result.serverInfo.version, version);
  });
});
