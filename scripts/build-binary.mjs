// Builds the standalone executable: the CLI and the language server in one file that runs on
// Linux x86-64 with no Node.js installed, from Node's single executable application support
// (`--experimental-sea-config`, then postject injects the blob into a copy of this node).
// The grammars travel as the application's assets. Output: dist/bin/sessionlint.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const out = path.resolve('dist', 'bin');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const { version } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));

// One CommonJS script, as single executable applications require.
const main = path.join(out, 'sea-main.js');
await build({
  entryPoints: ['server/src/sea/main.ts'],
  outfile: main,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  define: { SESSIONLINT_VERSION: JSON.stringify(version) },
  alias: {
    'web-tree-sitter': require.resolve('web-tree-sitter'),
    'jsonc-parser': require.resolve('jsonc-parser').replace(/umd[\\/]main\.js$/, 'esm/main.js'),
  },
  logLevel: 'warning',
});

const assets = Object.fromEntries(
  [
    'web-tree-sitter/web-tree-sitter.wasm',
    'tree-sitter-python/tree-sitter-python.wasm',
    '@tree-sitter-grammars/tree-sitter-toml/tree-sitter-toml.wasm',
    'tree-sitter-javascript/tree-sitter-javascript.wasm',
    'tree-sitter-typescript/tree-sitter-typescript.wasm',
  ].map((p) => [path.basename(p), require.resolve(p)]),
);
const blob = path.join(out, 'sea-prep.blob');
const config = path.join(out, 'sea-config.json');
writeFileSync(
  config,
  JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, assets }, null, 2),
);
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

const exe = path.join(out, 'sessionlint');
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
execFileSync(
  process.execPath,
  [
    require.resolve('postject/dist/cli.js'),
    exe,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  { stdio: 'inherit' },
);
for (const f of [main, blob, config]) rmSync(f);
console.log(`built ${path.relative(process.cwd(), exe)}`);
