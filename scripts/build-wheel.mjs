// Builds the `sessionlint` Python wheel around the standalone executable (dist/bin/sessionlint,
// from npm run build:binary): python/ staged with package.json (the version's one source) and
// the executable, built with Debian's python3-build and python3-hatchling without build
// isolation, since PyPI is not reachable (Debian's hatchling has no metadata `build` can check). Output: dist/wheel/sessionlint-<version>-py3-none-manylinux_2_28_x86_64.whl.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PYTHON = process.env.SESSIONLINT_PYTHON ?? '/usr/bin/python3';
const binary = path.resolve('dist', 'bin', 'sessionlint');
if (!existsSync(binary)) {
  console.error('dist/bin/sessionlint is missing: run npm run build:binary first');
  process.exit(1);
}
const stage = mkdtempSync(path.join(os.tmpdir(), 'sessionlint-wheel-'));
try {
  cpSync('python', stage, { recursive: true });
  copyFileSync('package.json', path.join(stage, 'package.json'));
  mkdirSync(path.join(stage, 'bin'));
  copyFileSync(binary, path.join(stage, 'bin', 'sessionlint'));
  const out = path.resolve('dist', 'wheel');
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    PYTHON,
    ['-m', 'build', '--wheel', '--no-isolation', '--skip-dependency-check', '--outdir', out, stage],
    { stdio: 'inherit' },
  );
  for (const f of readdirSync(out)) console.log(`built ${path.join('dist', 'wheel', f)}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
