import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { copyToTemp } from '../helpers/lint';
import { LspClient, uri } from '../helpers/lsp';
import { EXAMPLES } from '../helpers/paths';
import { FRAGMENTS, PLANTED } from './seeds';

const SEQUENCES = Number(process.env.FUZZ_LSP_SEQUENCES ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

/** Files of the example every operation picks from, as the editor would see them. */
const FILES = [
  'serve.py',
  'shop/config.py',
  'shop/__init__.py',
  'nginx/shop.conf',
  'requirements.txt',
  'Procfile',
  '.env',
  'pyproject.toml',
  'new.py',
  'api/session.ts',
  'big.py',
  'api/big.ts',
];

/**
 * Documents of many chunks within the lines the operations reach (about ten 200-character lines
 * make a chunk), so random edits fall where chunks meet. Each plants a secret, as FRAGMENTS do.
 */
const FILLER = 'x'.repeat(180);
const BIG_FILES: Record<string, string> = {
  'big.py': `from flask import Flask\napp = Flask(__name__)\n${Array.from({ length: 80 }, (_, i) => (i === 40 ? `app.secret_key = "${PLANTED}"` : `NOTE_${i} = "${FILLER}"`)).join('\n')}\n`,
  'api/big.ts': `import session from 'express-session';\n${Array.from({ length: 80 }, (_, i) => (i === 40 ? `app.use(session({ secret: '${PLANTED}' }))` : `const note${i} = '${FILLER}'`)).join('\n')}\n`,
};

const position = fc.record({ line: fc.integer({ min: -2, max: 60 }), character: fc.integer({ min: -2, max: 200 }) });
const operation = fc.oneof(
  fc.record({ op: fc.constant('open' as const), file: fc.nat() }),
  fc.record({
    op: fc.constant('change' as const),
    file: fc.nat(),
    start: position,
    end: position,
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 30 })),
  }),
  fc.record({
    op: fc.constant('replace' as const),
    file: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 200 })),
  }),
  fc.record({ op: fc.constant('close' as const), file: fc.nat() }),
  fc.record({
    op: fc.constant('disk' as const),
    file: fc.nat(),
    text: fc.constantFrom(...FRAGMENTS),
    type: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ op: fc.constant('actions' as const), file: fc.nat(), start: position, end: position }),
  // The whole document: the first fix offered anywhere in it.
  fc.record({
    op: fc.constant('actions' as const),
    file: fc.nat(),
    start: fc.constant({ line: 0, character: 0 }),
    end: fc.constant({ line: 10_000, character: 0 }),
  }),
);

describe('fuzz: the language server under random message sequences', () => {
  it('answers every request, no handler fails, and no planted secret reaches a diagnostic or an action title', async () => {
    const samples = fc.sample(fc.array(operation, { minLength: 5, maxLength: 40 }), { numRuns: SEQUENCES, seed: SEED });
    for (const ops of samples) {
      const dir = await copyToTemp(path.join(EXAMPLES, 'flask-waitress'));
      for (const [rel, text] of Object.entries(BIG_FILES)) {
        await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await fs.writeFile(path.join(dir, rel), text);
      }
      const client = new LspClient();
      const open = new Map<string, { version: number; text: string }>();
      const titles: string[] = [];
      try {
        await client.initialize([dir]);
        for (const o of ops) {
          const rel = FILES[o.file % FILES.length];
          const file = path.join(dir, rel);
          const doc = open.get(rel);
          if (o.op === 'open' && !doc) {
            const text = await fs.readFile(file, 'utf8').catch(() => '');
            open.set(rel, { version: 1, text });
            await client.open(file, text);
          } else if (o.op === 'change' && doc) {
            doc.version++;
            await client.change(file, doc.version, [{ range: { start: o.start, end: o.end }, text: o.text }]);
          } else if (o.op === 'replace' && doc) {
            doc.version++;
            await client.change(file, doc.version, [{ text: o.text }]);
          } else if (o.op === 'close' && doc) {
            open.delete(rel);
            await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
          } else if (o.op === 'disk') {
            if (o.type === 3) await fs.rm(file, { force: true });
            else await fs.mkdir(path.dirname(file), { recursive: true }).then(() => fs.appendFile(file, o.text));
            await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
              changes: [{ uri: uri(file), type: o.type }],
            });
          } else if (o.op === 'actions') {
            // The editor asks for actions in an open document: open it first.
            if (!doc) {
              const text = await fs.readFile(file, 'utf8').catch(() => '');
              open.set(rel, { version: 1, text });
              await client.open(file, text);
            }
            const actions = await client.codeActions(file, { start: o.start, end: o.end });
            titles.push(...actions.map((a) => a.title));
            // Apply the first fix to the documents the editor holds open, as VS Code would.
            const fix = actions.find((a) => a.edit?.documentChanges);
            const changes = fix?.edit?.documentChanges ?? [];
            const targetOf = (u: string) => [...open.entries()].find(([r]) => uri(path.join(dir, r)) === u);
            // Only a fix applied whole can be asked to converge: one that also writes a file the
            // editor has not open (a new .env) is applied here in part.
            const whole =
              changes.length > 0 && changes.every((c) => 'textDocument' in c && targetOf(c.textDocument.uri));
            for (const change of changes) {
              if (!('textDocument' in change)) continue;
              const target = targetOf(change.textDocument.uri);
              if (!target) continue;
              target[1].version++;
              // Edits are relative to the original text: sent last first, they never shift.
              const sorted = [...change.edits].sort(
                (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
              );
              await client.change(
                path.join(dir, target[0]),
                target[1].version,
                sorted.map((e) => ({ range: e.range, text: 'newText' in e ? e.newText : '' })),
              );
            }
            if (fix && whole) {
              // Converged: the finding is gone, or this fix is not offered for it again.
              const again = await client.codeActions(file, { start: o.start, end: o.end });
              const key = (a: typeof fix) => JSON.stringify([a.title, a.diagnostics?.map((d) => [d.code, d.message])]);
              assert.ok(
                !again.some((a) => key(a) === key(fix)),
                `"${fix.title}" is offered again after it was applied, for ${JSON.stringify(ops)}`,
              );
            }
          }
        }
        const stats = await client.connection.sendRequest('sessionlint/stats');
        assert.ok(stats, 'the server answers after the sequence');
        const failures = client.logs.filter((l) => / failed: /.test(l));
        assert.deepEqual(failures, [], `handlers failed for ${JSON.stringify(ops)}`);
        const shown = [...client.diagnostics.values()].flatMap((p) =>
          p.diagnostics.flatMap((d) => [String(d.message), ...(d.relatedInformation ?? []).map((r) => r.message)]),
        );
        for (const t of [...shown, ...titles])
          assert.ok(!t.includes(PLANTED), `a planted secret is shown: ${t.slice(0, 120)}`);
      } finally {
        client.kill();
      }
    }
  });
});
