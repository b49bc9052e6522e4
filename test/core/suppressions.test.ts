import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSuppressed, parseSuppressions } from '../../server/src/core/facts/suppressions';

describe('suppression comments', () => {
  const s = parseSuppressions(
    [
      'x = 1  # sessionlint: disable=SL101, SL102',
      '# sessionlint: disable-next-line=per-process-secret',
      'y = 2',
      '// sessionlint: disable-file=SL104',
      'z  # sessionlint: disable',
    ].join('\n'),
  );
  it('covers the line, the next line, the file and bare disables', () => {
    assert.ok(isSuppressed(s, 0, 'SL101', 'hardcoded-session-secret'));
    assert.ok(isSuppressed(s, 0, 'SL102', 'secret-fallback-literal'));
    assert.ok(!isSuppressed(s, 0, 'SL103', 'per-process-secret'));
    assert.ok(isSuppressed(s, 2, 'SL103', 'per-process-secret'));
    assert.ok(isSuppressed(s, 1000, 'SL104', 'missing-session-secret'));
    assert.ok(isSuppressed(s, 4, 'SL999', 'anything'));
  });
});
