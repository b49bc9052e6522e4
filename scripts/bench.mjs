// Benchmark: reports numbers, asserts nothing. Needs Debian's python3-django
// (apt-get install python3-django) for the tree; pass another folder as the first argument.
//  1. the CLI linting the tree as a whole process (files/s, MB/s, wall time, peak memory);
//  2. the language server with that tree open, replaying typing into a 5,000-line Python
//     file: per-edit latency from didChange to publishDiagnostics, and the server's memory;
//  3. a Node tree: 3,000 .js files copied from the npm packages in node_modules into a folder
//     that is not node_modules, linted by the CLI, and typing into a 5,000-line TypeScript
//     Express app.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const tree = process.argv[2] ?? '/usr/lib/python3/dist-packages/django';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const edits = Number(process.env.BENCH_EDITS ?? 400);
try {
  statSync(tree);
} catch {
  console.error(`${tree} not found: apt-get install python3-django, or pass a folder`);
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

function pySize(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') {
      const sub = pySize(full);
      files += sub.files;
      bytes += sub.bytes;
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      files++;
      bytes += statSync(full).size;
    }
  }
  return { files, bytes };
}

/** The CLI over a folder as a whole process: median wall time and peak memory of `runs` runs. */
function scan(folder) {
  const walls = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['dist/cli.js', '--stats', '--format', 'json', folder], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (r.status === 2) {
      console.error(r.stderr);
      process.exit(2);
    }
    rss = Math.max(rss, JSON.parse(r.stderr.trim().split('\n').pop()).maxRssMB);
  }
  return { wall: median(walls), rss };
}

/**
 * Copies up to `count` .js files of the installed npm packages into `dest`, 100 per folder:
 * real third-party code, in a folder the walk reads (node_modules itself is skipped).
 */
function copyNpmTree(dest, count) {
  const files = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (files.length >= count) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) visit(full);
      else if (entry.isFile() && /\.(c|m)?js$/.test(entry.name) && !/\.min\.js$/.test(entry.name)) files.push(full);
    }
  };
  visit('node_modules');
  let bytes = 0;
  files.forEach((file, i) => {
    const folder = path.join(dest, `pkg${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    copyFileSync(file, path.join(folder, `${i}-${path.basename(file)}`));
    bytes += statSync(file).size;
  });
  return { files: files.length, bytes };
}

/**
 * The floor under any scan: Node walking the same tree and reading every file, as a whole
 * process (median of `runs`). The CLI's time over this is what parsing and linting cost.
 */
function walkAndRead(folder) {
  const script = `const fs = require('node:fs'), path = require('node:path');
const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
  const full = path.join(dir, e.name);
  if (e.isDirectory()) { if (e.name !== '__pycache__') walk(full); } else if (e.isFile()) fs.readFileSync(full, 'utf8');
} };
walk(process.argv[1]);`;
  const walls = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', script, folder]);
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return median(walls);
}

// 1. Whole-process CLI scan, and the floor under it.
const size = pySize(tree);
const { wall, rss } = scan(tree);
const floor = walkAndRead(tree);

// 2. The server, with the tree and a 5,000-line file open.
function bigFlaskApp(lines) {
  const out = [
    'import os',
    'from flask import Flask, session, request, redirect',
    '',
    'app = Flask(__name__)',
    'app.secret_key = os.environ["FLASK_SECRET_KEY"]',
    '',
  ];
  for (let i = 0; out.length < lines - 12; i++) {
    out.push(
      `@app.route("/items/${i}")`,
      `def item_${i}():`,
      `    basket = session.get("basket", [])`,
      `    if request.args.get("add"):`,
      `        basket.append(${i})`,
      `        session["basket"] = basket`,
      `        return redirect("/items/${i}")`,
      `    total = sum(x * ${(i % 7) + 1} for x in basket)`,
      `    return {"item": ${i}, "total": total, "count": len(basket)}`,
      '',
    );
  }
  while (out.length < lines) out.push(`CONSTANT_${out.length} = ${out.length}`);
  return `${out.join('\n')}\n`;
}
const scratch = mkdtempSync(path.join(os.tmpdir(), 'sessionlint-bench-'));
const bigFile = path.join(scratch, 'big_app.py');
const bigText = bigFlaskApp(5000);
writeFileSync(bigFile, bigText);
/** A Django settings module of `lines` lines that manage.py names, as split settings grow. */
function bigDjangoSettings(lines) {
  const out = [
    'import os',
    'from pathlib import Path',
    '',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
    'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    'DEBUG = False',
    'ALLOWED_HOSTS = ["shop.example.com"]',
    'INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth", "django.contrib.contenttypes"]',
    'SESSION_COOKIE_SECURE = True',
    'CSRF_COOKIE_SECURE = True',
    '',
  ];
  for (let i = 0; out.length < lines - 4; i++) {
    out.push(
      `FEATURE_FLAG_${i} = os.environ.get("FEATURE_FLAG_${i}", "off") == "on"`,
      `CACHE_TIMEOUT_${i} = 60 * ${(i % 60) + 1}`,
      `HANDLER_${i} = {"level": "INFO", "class": "logging.StreamHandler", "formatter": "plain"}`,
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
mkdirSync(path.join(scratch, 'shop'));
writeFileSync(path.join(scratch, 'shop', '__init__.py'), '');
writeFileSync(
  path.join(scratch, 'manage.py'),
  'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
);
const settingsFile = path.join(scratch, 'shop', 'settings.py');
const settingsText = bigDjangoSettings(5000);
writeFileSync(settingsFile, settingsText);

// Started as the VS Code client starts it, with the same V8 flags.
const { SERVER_NODE_FLAGS } = createRequire(import.meta.url)('../out/server/src/lsp/node-flags.js');
// BENCH_CPU_PROFILE=<folder> writes the server's CPU profile there, to see where typing goes.
const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...profile, 'dist/server.js', '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiters = [];
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  for (const w of [...waiters])
    if (w.uri === p.uri && w.version === p.version) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(p);
    }
});
let onReady;
const ready = new Promise((r) => (onReady = r));
conn.onNotification('sessionlint/status', (p) => p.state === 'ready' && onReady());
conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
conn.onRequest('client/registerCapability', () => null);
conn.listen();
const folders = [tree, scratch].map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) }));
const loadStart = performance.now();
await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: null,
  capabilities: { workspace: { configuration: true } },
  workspaceFolders: folders,
});
await conn.sendNotification('initialized', {});
await ready;
const loadMs = performance.now() - loadStart;
const afterLoad = await conn.sendRequest('sessionlint/stats');

function bigExpressApp(lines) {
  const out = [
    'import express, { type Request, type Response } from "express";',
    'import session from "express-session";',
    '',
    'if (!process.env.SESSION_SECRET) throw new Error("SESSION_SECRET is not set");',
    '',
    'export const app = express();',
    'app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));',
    '',
  ];
  for (let i = 0; out.length < lines - 12; i++) {
    out.push(
      `app.get("/items/${i}", (req: Request, res: Response) => {`,
      `  const basket: number[] = (req.session as any).basket ?? [];`,
      `  if (req.query.add) {`,
      `    basket.push(${i});`,
      `    (req.session as any).basket = basket;`,
      `    return res.redirect("/items/${i}");`,
      `  }`,
      `  const total = basket.reduce((sum, x) => sum + x * ${(i % 7) + 1}, 0);`,
      `  res.json({ item: ${i}, total, count: basket.length });`,
      `});`,
      '',
    );
  }
  while (out.length < lines) out.push(`export const CONSTANT_${out.length} = ${out.length};`);
  return `${out.join('\n')}\n`;
}

const bigTsFile = path.join(scratch, 'big_app.ts');
const bigTsText = bigExpressApp(5000);
writeFileSync(bigTsFile, bigTsText);

let version = 0;
/** An open document to type into: after `anchor`'s line, `typed` on a new line indented by `indent`. */
async function openDocument(file, text, languageId, anchorPattern, indent, typed) {
  const doc = { uri: pathToFileURL(file).href, lines: text.split('\n'), indent, typed };
  doc.anchor = doc.lines.findIndex((l, i) => i > 2500 && anchorPattern.test(l));
  version++;
  const wait = published(doc.uri, version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId, version, text } });
  await wait;
  return doc;
}
const published = (uri, v) => new Promise((resolve) => waiters.push({ uri, version: v, resolve }));

// Keystrokes as VS Code sends them: Enter (with auto-indent) after a statement in a route in
// the middle of the file, then a line typed character by character, then the line deleted.
// `autoClose` imitates VS Code's default auto-closing of brackets and quotes (typing a closer
// over an auto-inserted one sends no edit); without it, unclosed brackets make tree-sitter
// reparse the rest of the file on many keystrokes: the worst case.
const PAIRS = { '(': ')', '[': ']', '"': '"' };
function keystrokes(doc, autoClose) {
  const { lines, anchor, indent } = doc;
  const out = [
    {
      range: {
        start: { line: anchor, character: lines[anchor].length },
        end: { line: anchor, character: lines[anchor].length },
      },
      text: `\n${indent}`,
    },
  ];
  let line = indent;
  let col = indent.length;
  for (const ch of doc.typed) {
    if (autoClose && line[col] === ch && Object.values(PAIRS).includes(ch)) {
      col++; // overtype: the cursor moves, no edit is sent
      continue;
    }
    const text = autoClose && PAIRS[ch] && !(ch === '"' && line[col] === '"') ? ch + PAIRS[ch] : ch;
    out.push({
      range: { start: { line: anchor + 1, character: col }, end: { line: anchor + 1, character: col } },
      text,
    });
    line = line.slice(0, col) + text + line.slice(col);
    col++;
  }
  out.push({
    range: {
      start: { line: anchor, character: lines[anchor].length },
      end: { line: anchor + 1, character: line.length },
    },
    text: '',
  });
  return out;
}

async function replay(doc, autoClose) {
  const sequence = keystrokes(doc, autoClose);
  const latencies = [];
  const send = async (change) => {
    version++;
    const wait = published(doc.uri, version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: doc.uri, version },
      contentChanges: [change],
    });
    await wait;
    return performance.now() - t0;
  };
  for (let n = 0; n < edits; n++) latencies.push(await send(sequence[n % sequence.length]));
  // Leave the document as it was: finish the cycle.
  let sent = edits;
  for (let n = edits % sequence.length; n !== 0 && n < sequence.length; n++, sent++) await send(sequence[n]);
  // The server's own time for the same edits (change and re-lint, without JSON-RPC and the pipe).
  const { editMs } = await conn.sendRequest('sessionlint/stats');
  latencies.server = editMs.slice(-sent).slice(0, edits);
  return latencies;
}
const python = await openDocument(
  bigFile,
  bigText,
  'python',
  /^ {4}basket = session\.get\(/,
  '    ',
  'session["last_seen"] = request.args.get("ts", "never")',
);
const typing = await replay(python, true);
const worstCase = await replay(python, false);
const settingsModule = await openDocument(
  settingsFile,
  settingsText,
  'python',
  /^CACHE_TIMEOUT_\d+ = /,
  '',
  'SESSION_COOKIE_AGE = int(os.environ.get("SESSION_DAYS", "14")) * 86400',
);
const settingsTyping = await replay(settingsModule, true);
const settingsWorstCase = await replay(settingsModule, false);
const typescript = await openDocument(
  bigTsFile,
  bigTsText,
  'typescript',
  /^ {2}const basket: number\[\] =/,
  '  ',
  '(req.session as any).lastSeen = String(req.query["ts"] ?? "never");',
);
const tsTyping = await replay(typescript, true);
const tsWorstCase = await replay(typescript, false);
const stats = await conn.sendRequest('sessionlint/stats');
if (process.env.BENCH_VERBOSE) console.error(stats);
await conn.sendRequest('shutdown');
await conn.sendNotification('exit');

const summary = (xs) =>
  `median ${median(xs).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms` +
  ` (server alone: median ${median(xs.server).toFixed(2)}, p95 ${percentile(xs.server, 95).toFixed(2)})`;
const mb = size.bytes / 1024 / 1024;
const rows = [
  ['tree', `${tree} (${size.files} .py files, ${mb.toFixed(1)} MB)`],
  [`CLI full scan, whole process (median of ${runs})`, `${wall.toFixed(2)} s`],
  [
    'Node walking and reading the same files, whole process',
    `${floor.toFixed(2)} s (the scan is ${(wall / floor).toFixed(1)}x; target 2x)`,
  ],
  ['CLI throughput', `${Math.round(size.files / wall)} files/s, ${(mb / wall).toFixed(1)} MB/s`],
  ['CLI peak memory (max RSS)', `${Math.round(rss)} MB`],
  [
    'server: workspace load to first diagnostics',
    `${Math.round(loadMs)} ms (${(loadMs / 1000 / wall).toFixed(2)}x the CLI scan; target 1.5x)`,
  ],
  [`server: per-edit re-lint, 5,000-line file, typing (${edits} edits)`, summary(typing)],
  [`server: same without auto-closing brackets (worst case)`, summary(worstCase)],
  [`server: per-edit re-lint, 5,000-line Django settings module, typing`, summary(settingsTyping)],
  [`server: same without auto-closing brackets (worst case)`, summary(settingsWorstCase)],
  [`server: per-edit re-lint, 5,000-line TypeScript Express file, typing`, summary(tsTyping)],
  [`server: same without auto-closing brackets (worst case)`, summary(tsWorstCase)],
  ['server: memory (RSS) with the tree loaded', `${Math.round(afterLoad.rssMB)} MB`],
  ['server: peak memory (max RSS), tree and typing', `${Math.round(stats.maxRssMB)} MB`],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`Session Lint benchmark on ${os.cpus().length} cores, Node ${process.version}`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

// 3. A Node tree: npm packages' own code, outside node_modules.
const nodeTree = path.join(scratch, 'npm-tree');
const nodeSize = copyNpmTree(nodeTree, 3000);
const node = scan(nodeTree);
const nodeFloor = walkAndRead(nodeTree);
console.log('');
const nodeRows = [
  [
    'Node tree',
    `${nodeSize.files} .js files from node_modules (${(nodeSize.bytes / 1024 / 1024).toFixed(1)} MB), copied to a plain folder`,
  ],
  [`CLI full scan, whole process (median of ${runs})`, `${node.wall.toFixed(2)} s`],
  [
    'Node walking and reading the same files, whole process',
    `${nodeFloor.toFixed(2)} s (the scan is ${(node.wall / nodeFloor).toFixed(1)}x)`,
  ],
  ['CLI throughput', `${Math.round(nodeSize.files / node.wall)} files/s`],
  ['CLI peak memory (max RSS)', `${Math.round(node.rss)} MB`],
];
// secretlint's recommended preset on the same tree, when BENCH_SECRETLINT names its executable
// (npm i secretlint @secretlint/secretlint-rule-preset-recommend): one run, it takes minutes.
if (process.env.BENCH_SECRETLINT) {
  const rc = path.join(scratch, '.secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const started = process.hrtime.bigint();
  spawnSync(process.env.BENCH_SECRETLINT, ['--secretlintrc', rc, `${nodeTree}/**/*`], { stdio: 'ignore' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  nodeRows.push([
    "secretlint's recommended preset, same tree",
    `${seconds.toFixed(1)} s (Session Lint is ${Math.round(seconds / node.wall)}x faster; target 50x)`,
  ]);
}
const nodeWidth = Math.max(...nodeRows.map((r) => r[0].length));
for (const [k, v] of nodeRows) console.log(`${k.padEnd(nodeWidth)}  ${v}`);

// 4. Adversarial inputs: the worst hostile input of each parser against an ordinary file.
console.log('');
spawnSync(process.execPath, ['scripts/bench-adversarial.mjs'], { stdio: 'inherit' });
