// Runs the compiled test files with node's test runner (Node 20 takes no globs).
// Usage: node scripts/run-tests.mjs [folder under out/test ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots =
  process.argv.slice(2).length > 0 ? process.argv.slice(2).map((d) => path.join('out/test', d)) : ['out/test'];
const files = [];
const collect = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'e2e') collect(full);
    } else if (name.endsWith('.test.js')) files.push(full);
  }
};
roots.forEach(collect);
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
