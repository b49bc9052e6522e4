import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { extractPythonFacts, type PartMemo } from '../../server/src/core/facts/python';
import { parseSuppressions } from '../../server/src/core/facts/suppressions';
import { ChunkedTree } from '../../server/src/core/parse/chunked-tree';
import { continuesJsStatement } from '../../server/src/core/parse/js-continuation';
import { Project } from '../../server/src/core/project';
import type { Parsers } from '../../server/src/core/parse/parsers';
import type { SyntaxParser } from '../../server/src/core/parse/tree-sitter';
import { LineIndex, PiecedText } from '../../server/src/core/text';
import type { TextChange } from '../../server/src/core/types';
import { createParsers, ensureNodeParsers } from '../../server/src/node/parser';
import { EXAMPLES, FIXTURES } from '../helpers/paths';

/** Facts without spans that shift, to compare an incremental reparse with a fresh parse. */
const factsOf = (p: Project, path: string) => JSON.stringify(p.get(path)!.python);

describe('incremental reparsing', () => {
  it('gives the same facts as a fresh parse after every keystroke, half-typed code included', async () => {
    const parsers = await createParsers();
    const live = new Project('/p', parsers);
    const fresh = new Project('/p', parsers);
    let text = 'import os\nfrom flask import Flask, session\n\napp = Flask(__name__)\n\n';
    live.setFile('/p/app.py', text, { keepTree: true });
    const typed = 'app.secret_key = os.environ.get("K", "dév-ключ")\nclass C:\n    SECRET_KEY = "x"\n';
    for (const ch of typed) {
      const at = text.length;
      text += ch;
      live.setFile('/p/app.py', text, { keepTree: true, changes: [{ start: at, oldEnd: at, newText: ch }] });
      fresh.setFile('/p/app.py', text);
      assert.equal(
        factsOf(live, '/p/app.py'),
        factsOf(fresh, '/p/app.py'),
        `after typing ${JSON.stringify(text.slice(-20))}`,
      );
    }
    // A deletion in the middle, spanning lines.
    const start = text.indexOf('from flask');
    const end = text.indexOf('app = ');
    text = text.slice(0, start) + text.slice(end);
    live.setFile('/p/app.py', text, { keepTree: true, changes: [{ start, oldEnd: end, newText: '' }] });
    fresh.setFile('/p/app.py', text);
    assert.equal(factsOf(live, '/p/app.py'), factsOf(fresh, '/p/app.py'));
    live.dispose();
  });
});

/** Every Python source of the bundled examples, one after another: a module of many chunks. */
function exampleModule(): string {
  const sources: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.py')) sources.push(readFileSync(full, 'utf8'));
    }
  };
  visit(EXAMPLES);
  return sources.join('\n\n');
}

/** Up to `count` modules of 12 to 150 KB under `dir`, spread over it (sorted, every k-th). */
function realModules(dir: string, count: number): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.py') && statSync(full).size > 12_000 && statSync(full).size < 150_000)
        found.push(full);
    }
  };
  visit(dir);
  found.sort();
  const step = Math.max(1, Math.floor(found.length / count));
  return found.filter((_, i) => i % step === 0).slice(0, count);
}

/** A seeded generator of integers below `n`: the same walk on every run. */
function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

/** At `start`, a deletion of up to `longest` characters (one time in three) or one of `inserts`. */
function randomEdit(
  random: (n: number) => number,
  text: string,
  start: number,
  inserts: readonly string[],
  longest: number,
): TextChange {
  return random(3) === 0
    ? { start, oldEnd: Math.min(text.length, start + 1 + random(longest)), newText: '' }
    : { start, oldEnd: start, newText: inserts[random(inserts.length)] };
}

/** Keystrokes and pastes that break and mend structure: brackets, quotes, indentation, blocks. */
const INSERTS = [
  '(',
  ')',
  '[',
  ']',
  '"',
  '"""',
  "'",
  ':',
  '\n',
  '    ',
  'x',
  '\\',
  '#',
  'if x:\n',
  'def f():\n    pass\n',
  '    SECRET_KEY = "k"\n',
  'else:\n',
  '@app.route("/")\n',
  '\r\n',
  '\r',
  'é',
  '\u{1f4a5}',
];

/** Asserts that a document's chunks give a whole parse's Python facts. */
function assertWholeFacts(parser: SyntaxParser, document: ChunkedTree<PartMemo>, text: string): void {
  const whole = parser.parse(text);
  try {
    const facts = (parts: Parameters<typeof extractPythonFacts>[0]) =>
      JSON.stringify(extractPythonFacts(parts, text, 'app', false, '/p/app.py'));
    assert.equal(facts(document.chunks), facts([{ tree: whole }]));
  } finally {
    whole.delete();
  }
}

describe('chunked parsing of open documents', () => {
  for (const [name, lineBreak] of [
    ['line feeds', '\n'],
    ['carriage returns and line feeds', '\r\n'],
  ])
    it(`wherever the chunks parse, they give a whole parse’s facts, through random edits (${name})`, async () => {
      const parsers = await createParsers();
      let text = exampleModule().replaceAll('\n', lineBreak);
      const first = parsers.python.parse(text);
      assert.equal(first.rootNode.hasError, false, 'the examples parse');
      first.delete();
      const document = ChunkedTree.parse<PartMemo>(parsers.python, text);
      assert.ok(document.chunks.length > 3, `${document.chunks.length} chunks`);
      const random = seeded(Number(process.env.CHUNK_SEED ?? 7));
      let clean = 0;
      const apply = (change: { start: number; oldEnd: number; newText: string }, step: number) => {
        text = text.slice(0, change.start) + change.newText + text.slice(change.oldEnd);
        document.update(parsers.python, [change], text.length);
        assert.equal(document.text, text, 'the chunks hold the text');
        // The chunks cover the text end to end, each from a line's start.
        assert.equal(document.chunks[0].start, 0);
        assert.equal(document.chunks[document.chunks.length - 1].end, text.length);
        for (const [i, chunk] of document.chunks.entries()) {
          if (i > 0) assert.equal(chunk.start, document.chunks[i - 1].end);
          assert.ok(chunk.start === 0 || text[chunk.start - 1] === '\n', `chunk ${i} starts mid-line`);
          assert.equal(chunk.startRow, text.slice(0, chunk.start).split('\n').length - 1);
        }
        if (document.hasError) return;
        clean++;
        const whole = parsers.python.parse(text);
        try {
          assert.equal(whole.rootNode.hasError, false, `the chunks parse but the whole does not, at step ${step}`);
          assert.equal(
            JSON.stringify(extractPythonFacts(document.chunks, text, 'shop.app', false, '/p/shop/app.py')),
            JSON.stringify(extractPythonFacts([{ tree: whole }], text, 'shop.app', false, '/p/shop/app.py')),
            `facts differ at step ${step}`,
          );
        } finally {
          whole.delete();
        }
      };
      for (let step = 0; step < 300; step++) {
        // Half the edits fall within a few characters of a chunk's start, where chunks meet.
        const near = document.chunks[1 + random(document.chunks.length - 1)].start + random(7) - 3;
        const start = random(2) === 0 ? Math.max(0, Math.min(text.length, near)) : random(text.length + 1);
        const change = randomEdit(random, text, start, INSERTS, 40);
        const removed = text.slice(change.start, change.oldEnd);
        apply(change, step);
        // Edits that break the file are taken back, and half the others: it keeps parsing.
        if (document.hasError || random(2) === 0)
          apply({ start, oldEnd: start + change.newText.length, newText: removed }, step);
      }
      assert.ok(clean > 20, `only ${clean} clean states`);
      document.delete();
    });

  it('an open document’s lines and suppression comments, read from its chunks, are the whole text’s', async () => {
    const parsers = await createParsers();
    const project = new Project('/p', parsers);
    const lines = Array.from({ length: 1500 }, (_, i) =>
      i % 97 === 0
        ? `X_${i} = 1  # sessionlint: disable=SL101`
        : i % 131 === 0
          ? '# sessionlint: disable-next-line'
          : `X_${i} = ${i}`,
    );
    let text = `${lines.join('\n')}\n`;
    project.setFile('/p/app.py', text, { keepTree: true });
    const random = seeded(5);
    const inserts = [...INSERTS, '# sessionlint: disable-file=SL102\n', '# sessionlint: disable\n'];
    for (let step = 0; step < 200; step++) {
      const change = randomEdit(random, text, random(text.length + 1), inserts, 200);
      text = text.slice(0, change.start) + change.newText + text.slice(change.oldEnd);
      project.setFile('/p/app.py', new PiecedText([text], text.length), { keepTree: true, changes: [change] });
      const expected = new LineIndex(text);
      const actual = project.lines('/p/app.py');
      assert.equal(actual.lineCount, expected.lineCount, `line count at step ${step}`);
      for (let line = 0; line < expected.lineCount; line += 1 + random(40)) {
        assert.equal(actual.lineStart(line), expected.lineStart(line));
        assert.equal(actual.lineEnd(line), expected.lineEnd(line));
      }
      const offset = random(text.length + 1);
      assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset));
      assert.deepEqual(project.get('/p/app.py')!.suppressions, parseSuppressions(text), `suppressions at step ${step}`);
    }
    project.dispose();
  });

  it('a block turned into one string across chunks reads as the whole parse reads it, once settled', async () => {
    const parsers = await createParsers();
    const project = new Project('/p', parsers);
    const filler = Array.from({ length: 1000 }, (_, i) => `LIMIT_${i} = ${i}`).join('\n');
    let text = `from flask import Flask\n\napp = Flask(__name__)\n${filler}\napp.secret_key = "hardcoded-in-the-middle"\n${filler}\n`;
    project.setFile('/p/app.py', text, { keepTree: true });
    assert.equal(project.get('/p/app.py')!.python!.sites.length, 1);
    // Quotes typed far apart around the middle: everything between them is now one string.
    const secret = text.indexOf('app.secret_key');
    const edits = [
      { at: text.lastIndexOf('LIMIT_100 ', secret), quotes: '"""' },
      { at: text.indexOf('LIMIT_900 ', secret), quotes: '"""\n' },
    ];
    for (const { at, quotes } of edits.reverse()) {
      const change = { start: at, oldEnd: at, newText: quotes };
      text = text.slice(0, at) + quotes + text.slice(at);
      project.setFile('/p/app.py', text, { keepTree: true, changes: [change] });
    }
    assert.equal(project.unsettled('/p/app.py'), true);
    assert.equal(project.settle('/p/app.py'), true);
    assert.equal(project.unsettled('/p/app.py'), false);
    assert.deepEqual(project.get('/p/app.py')!.python!.sites, []);
    project.dispose();
  });

  it('wherever the chunks parse, they give a whole parse’s facts on real modules (Debian’s Django)', async (t) => {
    const modules = realModules('/usr/lib/python3/dist-packages/django', 10);
    if (modules.length === 0) return t.skip('python3-django is not installed (scripts/setup.sh installs it)');
    const parsers = await createParsers();
    const random = seeded(11);
    let checks = 0;
    for (const file of modules) {
      let text = readFileSync(file, 'utf8');
      if (random(3) === 0) text = text.replaceAll('\n', '\r\n');
      const document = ChunkedTree.parse<PartMemo>(parsers.python, text);
      const apply = (change: { start: number; oldEnd: number; newText: string }) => {
        text = text.slice(0, change.start) + change.newText + text.slice(change.oldEnd);
        document.update(parsers.python, [change]);
        if (document.hasError) return;
        checks++;
        const whole = parsers.python.parse(text);
        try {
          assert.equal(whole.rootNode.hasError, false, `${file}: the chunks parse but the whole does not`);
          assert.equal(
            JSON.stringify(extractPythonFacts(document.chunks, text, 'm', false, '/p/m.py')),
            JSON.stringify(extractPythonFacts([{ tree: whole }], text, 'm', false, '/p/m.py')),
            `${file}: facts differ after ${JSON.stringify(change)}`,
          );
        } finally {
          whole.delete();
        }
      };
      for (let step = 0; step < 30; step++) {
        const boundary = document.chunks[random(document.chunks.length)].start + random(7) - 3;
        const start = random(2) === 0 ? Math.max(0, Math.min(text.length, boundary)) : random(text.length + 1);
        const from = random(text.length);
        const kind = random(4);
        const change =
          kind === 0
            ? { start, oldEnd: Math.min(text.length, start + 1 + random(400)), newText: '' }
            : kind === 1
              ? { start, oldEnd: start, newText: text.slice(from, from + random(6000)) }
              : { start, oldEnd: start, newText: INSERTS[random(INSERTS.length)] };
        const removed = text.slice(change.start, change.oldEnd);
        apply(change);
        if (document.hasError || random(2) === 0)
          apply({ start, oldEnd: start + change.newText.length, newText: removed });
      }
      document.delete();
    }
    assert.ok(checks > 100, `only ${checks} clean states`);
  });

  it('a chunk whose first line is indented joins the block above it, as in a whole parse', async () => {
    const parsers = await createParsers();
    // Each function ends a chunk often enough; tree-sitter-python accepts a module that starts
    // indented without an error, so only the chunk's first column tells.
    const functions = Array.from({ length: 200 }, (_, i) => `def view_${i}():\n    return ${i}\n`).join('\n');
    let text = `from flask import Flask\n\napp = Flask(__name__)\n${functions}`;
    const document = ChunkedTree.parse<PartMemo>(parsers.python, text);
    const second = document.chunks[1].start;
    assert.ok(text.startsWith('def ', second), 'the second chunk starts with a function');
    const statement = 'SECRET_KEY = "in-a-view"\n';
    text = text.slice(0, second) + statement + text.slice(second);
    document.update(parsers.python, [{ start: second, oldEnd: second, newText: statement }]);
    text = text.slice(0, second) + '    ' + text.slice(second);
    document.update(parsers.python, [{ start: second, oldEnd: second, newText: '    ' }]);
    assertWholeFacts(parsers.python, document, text);
    document.delete();
  });

  it('an unclosed bracket at a chunk’s end is not parsed again with a next chunk that parses alone', async () => {
    const parsers = await createParsers();
    const text = `${Array.from({ length: 600 }, (_, i) => `SETTING_${i} = ${i}`).join('\n')}\n`;
    const document = ChunkedTree.parse<PartMemo>(parsers.python, text);
    const end = document.chunks[1].end;
    const ranges: number[] = [];
    const parseRange = parsers.python.parseRange.bind(parsers.python);
    parsers.python.parseRange = (source, range, previous) => {
      ranges.push(range.endIndex - range.startIndex);
      return parseRange(source, range, previous);
    };
    try {
      // `X = int(` as typed without auto-closed brackets: the rest of the chunk is in the call.
      const line = text.lastIndexOf('\n', end - 2) + 1;
      document.update(parsers.python, [{ start: line, oldEnd: line, newText: 'X = int(\n' }]);
      assert.equal(document.hasError, true);
      assert.equal(ranges.length, 1, `parsed ${JSON.stringify(ranges)}`);
      document.update(parsers.python, [{ start: line + 8, oldEnd: line + 8, newText: ')' }]);
      assert.equal(document.hasError, false);
    } finally {
      parsers.python.parseRange = parseRange;
      document.delete();
    }
  });

  it('a chunk whose first line is commented out leaves its indented body to the block above', async () => {
    const parsers = await createParsers();
    const functions = Array.from(
      { length: 150 },
      (_, i) => `def view_${i}():\n    SECRET_KEY = "in-a-view"\n    return ${i}\n`,
    ).join('\n');
    let text = `from flask import Flask\n\napp = Flask(__name__)\n${functions}`;
    const document = ChunkedTree.parse<PartMemo>(parsers.python, text);
    const second = document.chunks[1].start;
    assert.ok(text.startsWith('def ', second), 'the second chunk starts with a function');
    // Found on setuptools' ccompiler.py: the first statement is now a comment at column 0.
    text = `${text.slice(0, second)}#${text.slice(second)}`;
    document.update(parsers.python, [{ start: second, oldEnd: second, newText: '#' }]);
    assertWholeFacts(parsers.python, document, text);
    document.delete();
  });
});

/** The JavaScript and TypeScript fixtures that parse as TypeScript, one after another. */
async function scriptModule(parsers: Parsers): Promise<string> {
  const sources: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(c|m)?[jt]s$/.test(entry.name)) sources.push(readFileSync(full, 'utf8'));
    }
  };
  visit(FIXTURES);
  const typescript = parsers.node?.typescript;
  assert.ok(typescript, 'the JavaScript grammars are loaded');
  return sources
    .filter((source) => {
      const tree = typescript.parse(source);
      const clean = !tree.rootNode.hasError;
      tree.delete();
      return clean;
    })
    .join('\n\n');
}

/** Parsers with the JavaScript grammars loaded, as a project with a script has them. */
async function javascriptParsers(): Promise<{ parsers: Parsers; javascript: SyntaxParser }> {
  const parsers = await createParsers();
  await ensureNodeParsers(parsers);
  const javascript = parsers.node?.javascript;
  assert.ok(javascript, 'the JavaScript grammars are loaded');
  return { parsers, javascript };
}

/** The change that replaces the first line of a document's second chunk with `newText`. */
function secondChunkFirstLine(document: ChunkedTree<PartMemo>, text: string, newText: string): TextChange {
  const start = document.chunks[1].start;
  return { start, oldEnd: text.indexOf('\n', start), newText };
}

const applied = (text: string, change: TextChange) =>
  text.slice(0, change.start) + change.newText + text.slice(change.oldEnd);

describe('chunked parsing of open scripts', () => {
  it('an open TypeScript document’s facts are a fresh parse’s wherever its chunks parse, through random edits', async () => {
    const parsers = await createParsers();
    await ensureNodeParsers(parsers);
    const live = new Project('/p', parsers);
    let text = await scriptModule(parsers);
    live.setFile('/p/app.ts', text, { keepTree: true });
    assert.ok(live.get('/p/app.ts')?.js, 'read as a script');
    const random = seeded(5);
    const inserts = ['(', ')', '{', '}', '[', "'", '`', ';', '\n', '(x)\n', '[1].map(f)\n', '/* ', ' */', '//', '+1\n'];
    let clean = 0;
    const apply = (change: { start: number; oldEnd: number; newText: string }, step: number) => {
      text = text.slice(0, change.start) + change.newText + text.slice(change.oldEnd);
      live.setFile('/p/app.ts', text, { keepTree: true, changes: [change] });
      if (live.unsettled('/p/app.ts')) return;
      clean++;
      const fresh = new Project('/p', parsers);
      fresh.setFile('/p/app.ts', text);
      assert.equal(
        JSON.stringify(live.get('/p/app.ts')?.js),
        JSON.stringify(fresh.get('/p/app.ts')?.js),
        `facts differ at step ${step} after ${JSON.stringify(change)}`,
      );
      fresh.dispose();
    };
    for (let step = 0; step < 150; step++) {
      const start = random(text.length + 1);
      const change = randomEdit(random, text, start, inserts, 60);
      const removed = text.slice(change.start, change.oldEnd);
      apply(change, step);
      if (live.unsettled('/p/app.ts') || random(2) === 0)
        apply({ start, oldEnd: start + change.newText.length, newText: removed }, step);
    }
    assert.ok(clean > 20, `only ${clean} clean states`);
    live.dispose();
  });

  it('a chunk that parses alone but not after the statement above it keeps the error a whole parse has', async () => {
    const { javascript } = await javascriptParsers();
    let text = `${Array.from({ length: 300 }, (_, i) => `track(${i})`).join('\n')}\n`;
    const document = ChunkedTree.parse<PartMemo>(javascript, text, continuesJsStatement);
    // Alone, `/re/.test(s)` is a regular expression; after `track(n)` it is a division that fails.
    const change = secondChunkFirstLine(document, text, '/re/.test(s)');
    text = applied(text, change);
    document.update(javascript, [change]);
    const whole = javascript.parse(text);
    assert.equal(whole.rootNode.hasError, true);
    whole.delete();
    assert.equal(document.hasError, true, 'the chunks report the error');
    document.delete();
  });

  it('a chunk that starts with a bracket continues a statement above it without a semicolon', async () => {
    const { parsers, javascript } = await javascriptParsers();
    // Every line makes an Express app, so whatever line ends the first chunk is one.
    const lines = Array.from({ length: 300 }, (_, i) => `const app${i} = express()`).join('\n');
    let text = `const express = require('express')\n${lines}\n`;
    const cut = ChunkedTree.parse<PartMemo>(javascript, text);
    // The second chunk's first statement becomes `(0)`: a whole parse reads `express()(0)` above.
    const change = secondChunkFirstLine(cut, text, '(0)');
    cut.delete();
    const live = new Project('/p', parsers);
    live.setFile('/p/app.js', text, { keepTree: true });
    text = applied(text, change);
    live.setFile('/p/app.js', text, { keepTree: true, changes: [change] });
    const fresh = new Project('/p', parsers);
    fresh.setFile('/p/app.js', text);
    assert.equal(JSON.stringify(live.get('/p/app.js')?.js), JSON.stringify(fresh.get('/p/app.js')?.js));
    fresh.dispose();
    live.dispose();
  });
});
