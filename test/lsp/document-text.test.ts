import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/core/text';
import { DocumentText } from '../../server/src/lsp/document-text';

/** Text with every kind of line break, in lines long enough to make several pieces. */
const lines = fc.array(
  fc.tuple(
    fc.string({ unit: fc.constantFrom('a', 'é', '\u{1f4a5}', ' ', '#'), maxLength: 120 }),
    fc.constantFrom('\n', '\r\n', '\r'),
  ),
  { maxLength: 400, size: 'medium' },
);
const documentText = lines.map((ls) => ls.map(([line, eol]) => line + eol).join(''));

/**
 * An edit as the editor sends it: a range by positions (possibly past a line's end) and new
 * text. Columns are often 0, so that ranges take whole lines and the line breaks between them.
 */
const position = fc.record({
  line: fc.oneof(fc.nat(40), fc.nat(420)),
  character: fc.oneof(fc.constant(0), fc.nat(3), fc.nat(140)),
});
const edit = fc.record({
  start: position,
  end: position,
  text: fc.string({ unit: fc.constantFrom('x', '\n', '\r', '\r\n', 'é'), maxLength: 30 }),
});

describe("the editor's copy of a document", () => {
  it('finds positions and applies edits as the whole string would, in pieces', () => {
    fc.assert(
      fc.property(
        documentText,
        fc.array(edit, { maxLength: 20 }),
        fc.integer({ min: 1, max: 80 }),
        (initial, edits, size) => {
          // Small pieces: edits within one, across several, and at their seams.
          const document = new DocumentText(initial, size);
          let text = initial;
          for (const e of edits) {
            const index = new LineIndex(text);
            const [start, end] = [e.start, e.end].map((p) => document.offsetAt(p));
            assert.equal(start, index.offsetAt(e.start));
            assert.equal(end, index.offsetAt(e.end));
            const [from, to] = [start, end].sort((a, b) => a - b);
            document.apply(from, to, e.text);
            text = text.slice(0, from) + e.text + text.slice(to);
            assert.equal(document.length, text.length);
            // Every line's start and end, where pieces meet too.
            const after = new LineIndex(text);
            for (let line = 0; line <= after.lineCount; line++)
              for (const character of [0, 1, 1000])
                assert.equal(document.offsetAt({ line, character }), after.offsetAt({ line, character }));
          }
          assert.equal(document.snapshot().toString(), text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps each version it gave out as it was', () => {
    const document = new DocumentText('a = 1\n'.repeat(5000));
    const before = document.snapshot();
    document.apply(6, 6, 'b = 2\n');
    assert.equal(before.toString(), 'a = 1\n'.repeat(5000));
    assert.equal(document.snapshot().toString(), `a = 1\nb = 2\n${'a = 1\n'.repeat(4999)}`);
  });

  it('refuses a change outside the text', () => {
    const document = new DocumentText('abc');
    assert.throws(() => document.apply(2, 4, ''), /out of range/);
    assert.throws(() => document.apply(2, 1, ''), /out of range/);
  });
});
