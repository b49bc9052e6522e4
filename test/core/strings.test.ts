import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateString } from '../../server/src/core/parse/python-strings';
import { createParsers } from '../../server/src/node/parser';

async function evaluate(literal: string) {
  const parser = (await createParsers()).python;
  const tree = parser.parse(`x = ${literal}\n`);
  const node = tree.rootNode.descendantsOfType(['concatenated_string', 'string'])[0]!;
  const top = node.parent?.type === 'concatenated_string' ? node.parent : node;
  const result = evaluateString(top);
  tree.delete();
  return result;
}

describe('Python string evaluation', () => {
  it('decodes escapes, prefixes and concatenation', async () => {
    assert.equal((await evaluate(`"a\\tb\\x41\\u00e9"`)).value, 'a\tbAé');
    assert.equal((await evaluate(`r"a\\tb"`)).value, 'a\\tb');
    assert.equal((await evaluate(`"ab" 'cd' """ef"""`)).value, 'abcdef');
    assert.equal((await evaluate(`f"{{braces}}"`)).value, '{braces}');
    assert.equal((await evaluate(`"\\101\\n"`)).value, 'A\n');
  });
  it('marks f-strings with fields as not constant', async () => {
    assert.equal((await evaluate(`f"x{y}"`)).interpolated, true);
  });
  it('decodes bytes as UTF-8 and refuses bytes that are not', async () => {
    const ok = await evaluate(`b"caf\\xc3\\xa9"`);
    assert.equal(ok.value, 'café');
    assert.equal(ok.bytes, true);
    assert.equal((await evaluate(`b"\\xec\\xff"`)).value, undefined);
  });
  it('refuses named escapes it cannot resolve', async () => {
    assert.equal((await evaluate(`"\\N{BULLET}"`)).value, undefined);
  });
});
