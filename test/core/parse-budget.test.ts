import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputRefusedError } from '../../server/src/core/parse/nesting';
import { Language, Parser, type Point } from 'web-tree-sitter';
import { ALLOWANCE, FLOOR_MS, ORDINARY_SAMPLES, overFloor, tooSlow } from '../../server/src/core/parse/parse-budget';
import { SyntaxParser } from '../../server/src/core/parse/tree-sitter';
import { createParsers, ensureNodeParsers } from '../../server/src/node/parser';

const MB = 1024 * 1024;
/** `unit` repeated to about `size` characters. */
const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));
/** The row and column of an offset. */
function pointAt(text: string, offset: number): Point {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

describe('parse budget', () => {
  it('judges stretches of FLOOR_MS by their pace against the allowance', () => {
    assert.equal(overFloor(FLOOR_MS - 1), false);
    assert.equal(overFloor(FLOOR_MS), true);
    const pace = 0.001;
    assert.equal(tooSlow(FLOOR_MS, FLOOR_MS / (ALLOWANCE * pace) + 1, pace), false);
    assert.equal(tooSlow(FLOOR_MS, FLOOR_MS / (ALLOWANCE * pace) - 1, pace), true);
  });

  it('a parse stopped at each stretch and resumed gives the tree of one uninterrupted parse', async () => {
    const { python } = await createParsers();
    const plain = new Parser();
    plain.setLanguage(await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
    const text = repeat(ORDINARY_SAMPLES.python, MB);
    const range = {
      startIndex: 4096,
      endIndex: text.length - 4096,
      startPosition: pointAt(text, 4096),
      endPosition: pointAt(text, text.length - 4096),
    };
    const pairs = [
      [python.parse(text), plain.parse(text)],
      [python.parseRange((i) => text.slice(i), range), plain.parse(text, null, { includedRanges: [range] })],
    ];
    for (const [bounded, uninterrupted] of pairs) {
      assert.ok(bounded && uninterrupted);
      assert.equal(bounded.rootNode.toString(), uninterrupted.rootNode.toString());
      assert.equal(bounded.rootNode.endIndex, uninterrupted.rootNode.endIndex);
      bounded.delete();
      uninterrupted.delete();
    }
    plain.delete();
  });

  // Without the bound, a line of 900 characters of labels costs the JavaScript grammar about
  // 20 µs a character (80 times ordinary code): 24 KB takes half a second and a megabyte 20 s.
  it('refuses JavaScript whose error recovery runs away, and the parser then parses afresh', async () => {
    const parsers = await createParsers();
    await ensureNodeParsers(parsers);
    const javascript = parsers.node!.javascript;
    assert.throws(() => javascript.parse(repeat(`${'a:b '.repeat(225)}\n`, MB)), InputRefusedError);
    // A stopped parse would resume on the next call: the next text must be parsed from its start.
    const tree = javascript.parse('app.listen(3000);\n');
    assert.equal(tree.rootNode.text, 'app.listen(3000);\n');
    assert.equal(tree.rootNode.hasError, false);
    tree.delete();
  });

  // 16 times an ordinary file's time without the bound.
  it('refuses a megabyte of Python that is a syntax error from end to end', async () => {
    const { python } = await createParsers();
    assert.throws(() => python.parse(repeat('a:b a:b a:b a:b\n', MB)), InputRefusedError);
  });

  // A stretch can be slow for the machine's reasons (a garbage collection, a stalled process)
  // while an ordinary syntax error sits under the probe; before strikes, that refused the file.
  it('one stalled stretch over syntax errors does not refuse a text', async () => {
    await createParsers();
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    // A syntax error on every line, parsed at an ordinary pace, long enough for several stretches.
    const text = repeat(')\n', MB);
    let readings = 0;
    // The process's CPU time, as the host gives it, jumping by ten stretches' time at its second
    // reading (the first check of the first stretch), as a garbage collection would spend it.
    // Not the wall's clock: on a machine busy with other work, every stretch would be slow by it.
    const stalling = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000 + (++readings >= 2 ? 10 * FLOOR_MS : 0);
    };
    const tree = new SyntaxParser(language, ORDINARY_SAMPLES.python, stalling).parse(text);
    assert.ok(readings > 2, 'the parse was judged at least once');
    assert.equal(tree.rootNode.endIndex, text.length);
    assert.equal(tree.rootNode.hasError, true);
    tree.delete();
  });

  it('parses a megabyte of ordinary code of every grammar without stopping', async () => {
    const parsers = await createParsers();
    await ensureNodeParsers(parsers);
    const grammars = { python: parsers.python, toml: parsers.toml, ...parsers.node! };
    for (const [name, parser] of Object.entries(grammars)) {
      const tree = parser.parse(repeat(ORDINARY_SAMPLES[name as keyof typeof ORDINARY_SAMPLES], MB));
      assert.equal(tree.rootNode.hasError, false, name);
      tree.delete();
    }
  });
});
