// Bundles the client, the language server and the CLI into dist/. tsc type-checks separately.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

// web-tree-sitter's ESM build reads import.meta.url, which is empty in a CJS bundle:
// bundle its CJS build instead and ship the .wasm files next to the bundles.
const wasmFiles = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  require.resolve('@tree-sitter-grammars/tree-sitter-toml/tree-sitter-toml.wasm'),
  require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm'),
  require.resolve('tree-sitter-typescript/tree-sitter-typescript.wasm'),
];
for (const file of wasmFiles) copyFileSync(file, path.join(outdir, path.basename(file)));

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  define: { SESSIONLINT_VERSION: JSON.stringify(version) },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // Smaller bundles load faster; the source maps keep stack traces readable. BUILD_MINIFY=0
  // keeps the names, for CPU profiles (see scripts/bench.mjs).
  minify: process.env.BUILD_MINIFY !== '0',
  alias: {
    'web-tree-sitter': require.resolve('web-tree-sitter'),
    // Its UMD build requires modules dynamically, which a bundle cannot follow.
    'jsonc-parser': require.resolve('jsonc-parser').replace(/umd[\\/]main\.js$/, 'esm/main.js'),
  },
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir, external: ['vscode'] }),
  build({
    ...common,
    entryPoints: { server: 'server/src/lsp/main.ts' },
    outdir,
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({ ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir, banner: { js: '#!/usr/bin/env node' } }),
]);
