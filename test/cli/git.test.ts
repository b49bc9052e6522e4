import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/run';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: 'pipe' });

async function monorepo(): Promise<{ repo: string; web: string }> {
  const repo = await fs.mkdtemp(path.join(os.tmpdir(), 'sessionlint-git-'));
  const web = path.join(repo, 'services', 'web');
  await fs.mkdir(web, { recursive: true });
  await fs.writeFile(path.join(web, '.env'), 'SECRET_KEY=local-dev-key\n');
  await fs.writeFile(path.join(web, 'requirements.txt'), 'flask\n');
  await fs.writeFile(
    path.join(web, 'app.py'),
    'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
  );
  git(repo, 'init', '-q');
  return { repo, web };
}

describe('SL107 and git', () => {
  it('a .gitignore at the repository root above the project counts', async () => {
    const { repo, web } = await monorepo();
    assert.match((await runCli(['.'], web)).stdout, /SL107/);
    await fs.writeFile(path.join(repo, '.gitignore'), '.env\n');
    assert.equal((await runCli(['.'], web)).code, 0);
  });

  for (const version of ['2', '4']) {
    it(`a tracked .env is reported as committed, ignored or not (index v${version})`, async () => {
      const { repo, web } = await monorepo();
      git(repo, 'update-index', '--index-version', version);
      git(repo, 'add', '-A');
      await fs.writeFile(path.join(repo, '.gitignore'), '.env\n');
      const r = await runCli(['.'], web);
      assert.equal(r.code, 1);
      assert.match(
        r.stdout,
        /SECRET_KEY is committed: git tracks this file although \.gitignore ignores it\. Remove it from the index \(git rm --cached services\/web\/\.env\) and rotate the key\./,
      );
      assert.ok(!r.stdout.includes('local-dev-key'));
    });
  }

  it('templates are templates: .env.sample, .env.dev-sample, .env.template, .env.dist', async () => {
    const { web } = await monorepo();
    await fs.rm(path.join(web, '.env'));
    for (const name of ['.env.sample', '.env.dev-sample', '.env.template', '.env.dist', '.env.example'])
      await fs.writeFile(path.join(web, name), 'SECRET_KEY=change-me-please\n');
    assert.equal((await runCli(['--select', 'SL107', '.'], web)).code, 0);
  });
});
