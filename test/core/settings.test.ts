import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { SyntaxParser } from '../../server/src/core/parse/tree-sitter';
import { createParsers } from '../../server/src/node/parser';
import { RULES } from '../../server/src/core/rules/index';
import { emptyProjectConfig, parseProjectConfig as parseConfig, resolveSettings } from '../../server/src/core/settings';

describe('settings', () => {
  let toml: SyntaxParser;
  before(async () => {
    toml = (await createParsers()).toml;
  });
  const parseProjectConfig = (text: string, name: string) => parseConfig(text, name, toml);
  it('reads [tool.sessionlint] from pyproject.toml', () => {
    const { config, errors } = parseProjectConfig(
      '[project]\nname = "x"\n\n[tool.sessionlint]\nselect = ["SL1"]\nignore = ["per-process-secret"]\nexclude = ["legacy/"]\nsecret-env-var = "APP_KEY"\n[tool.sessionlint.severity]\nSL104 = "warning"\n',
      'pyproject.toml',
    );
    assert.deepEqual(errors, []);
    const s = resolveSettings(RULES, config!);
    assert.deepEqual([...s.enabled].sort(), ['SL101', 'SL102', 'SL104', 'SL106', 'SL107', 'SL108']);
    assert.equal(s.severity.get('SL104'), 'warning');
    assert.equal(s.secretEnvVar, 'APP_KEY');
    assert.deepEqual(config!.exclude, ['legacy/']);
  });
  it('reports bad config as messages, never exceptions', () => {
    assert.match(parseProjectConfig('select = [', 'sessionlint.toml').errors[0], /invalid TOML/);
    assert.deepEqual(
      parseProjectConfig('select = ["SL1", \'SL2\']\n"secret-env-var" = "A\\u0042"\n', 'sessionlint.toml'),
      {
        config: {
          select: ['SL1', 'SL2'],
          ignore: [],
          exclude: [],
          severity: {},
          secretEnvVar: 'AB',
          source: 'sessionlint.toml',
        },
        errors: [],
      },
    );
    assert.match(parseProjectConfig('select = "SL101"', 'sessionlint.toml').errors[0], /list of strings/);
    assert.match(parseProjectConfig('colour = 1', 'sessionlint.toml').errors[0], /unknown key/);
    assert.deepEqual(parseProjectConfig('[tool.black]\nline-length = 1\n', 'pyproject.toml'), { errors: [] });
    // 50,000 brackets: one line naming the problem, no RangeError.
    assert.deepEqual(parseProjectConfig(`select = ${'['.repeat(50_000)}`, 'sessionlint.toml').errors, [
      'sessionlint.toml: nesting deeper than 256 levels',
    ]);
  });
  it('an unknown or empty rule selector is an error wherever it is written, never rules silently off', () => {
    assert.deepEqual(resolveSettings(RULES, emptyProjectConfig(), undefined, { select: ['BOGUS'] }).errors, [
      '--select: no rule matches "BOGUS" (sessionlint --explain ALL lists them)',
    ]);
    assert.match(
      resolveSettings(RULES, emptyProjectConfig(), undefined, { ignore: [''] }).errors[0],
      /^--ignore: an empty rule selector/,
    );
    assert.match(
      resolveSettings(RULES, { ...emptyProjectConfig(), source: 'pyproject.toml', select: ['SL9'] }).errors[0],
      /^pyproject\.toml: `select`: no rule matches "SL9"/,
    );
    assert.match(
      resolveSettings(RULES, { ...emptyProjectConfig(), ignore: ['hardcoded-secret'] }).errors[0],
      /`ignore`: no rule matches "hardcoded-secret"/,
    );
    assert.match(
      resolveSettings(RULES, { ...emptyProjectConfig(), severity: { SL1: 'hint' } }).errors[0],
      /`severity`: no rule matches "SL1"/,
    );
    assert.match(
      resolveSettings(RULES, emptyProjectConfig(), { enable: true, rules: { SL999: 'off' } }).errors[0],
      /^sessionlint\.rules: no rule matches "SL999"/,
    );
    assert.deepEqual(
      resolveSettings(RULES, emptyProjectConfig(), undefined, {
        select: ['SL1', 'hardcoded-session-secret', 'ALL', 'sl4'],
      }).errors,
      [],
    );
  });
  it('editor settings turn rules off and override severities; CLI selections win over the file', () => {
    const s = resolveSettings(
      RULES,
      { ...emptyProjectConfig(), select: ['SL101'] },
      { enable: true, rules: { SL101: 'hint', SL102: 'off' } },
      { select: ['SL101', 'SL102'] },
    );
    assert.deepEqual([...s.enabled], ['SL101']);
    assert.equal(s.severity.get('SL101'), 'hint');
    assert.equal(resolveSettings(RULES, emptyProjectConfig()).secretEnvVar, 'FLASK_SECRET_KEY');
  });
});
