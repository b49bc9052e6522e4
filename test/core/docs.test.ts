import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { lintProject } from '../../server/src/core/lint';
import { RULES } from '../../server/src/core/rules/index';
import { emptyProjectConfig, resolveSettings } from '../../server/src/core/settings';
import { lint, projectOf } from '../helpers/lint';
import { REPO } from '../helpers/paths';

const asFiles = (code: string | Record<string, string>) => (typeof code === 'string' ? { 'app.py': code } : code);

describe('rule docs', () => {
  for (const rule of RULES) {
    it(`${rule.id}: the Example triggers the rule and Use instead does not`, async () => {
      const bad = lint(await projectOf(asFiles(rule.docs.example)));
      assert.ok(
        bad.some((f) => f.ruleId === rule.id),
        `${rule.id} example is not flagged`,
      );
      const good = lint(await projectOf(asFiles(rule.docs.useInstead)));
      assert.deepEqual(
        good.map((f) => f.ruleId),
        [],
        `${rule.id} "use instead" is flagged`,
      );
    });
    it(`${rule.id}: id, name and docs follow the house style`, () => {
      assert.match(rule.id, /^SL\d{3}$/);
      assert.match(rule.name, /^[a-z]+(-[a-z]+)+$/);
      for (const part of [rule.docs.whatItDoes, rule.docs.whyIsThisBad, rule.docs.fixSafety])
        assert.ok(part.length > 40);
      assert.ok(rule.docs.references.length > 0);
    });
  }
  it('ids and names are unique', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
    assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
  });
  it('the registry and docs/rules are generated from the rule files and up to date', () => {
    execFileSync(process.execPath, ['scripts/generate.mjs', '--check'], { cwd: REPO });
    execFileSync(process.execPath, ['scripts/docs.mjs', '--check'], { cwd: REPO });
  });
});

describe('a rule that throws', () => {
  it('is reported, and every other rule still runs', async () => {
    const broken = {
      ...RULES[0],
      id: 'SL999',
      name: 'always-throws',
      check: () => {
        throw new Error('boom');
      },
    };
    const rules = [broken, ...RULES];
    const project = await projectOf({
      'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.secret_key = "abcd-key"\n',
    });
    const errors: string[] = [];
    const found = lintProject(
      project,
      resolveSettings(rules, emptyProjectConfig()),
      () => 'x',
      (rule, e) => errors.push(`${rule.id}: ${(e as Error).message}`),
      rules,
    );
    assert.deepEqual(errors, ['SL999: boom']);
    assert.deepEqual(
      [...found.values()].flat().map((f) => f.ruleId),
      ['SL101'],
    );
  });
});
