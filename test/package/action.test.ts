import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { parse } from 'yaml';
import { EXAMPLES, REPO } from '../helpers/paths';

// The GitHub Action (action.yml, composite), its steps' own shell commands run here as the
// runner would run them: `${{ ... }}` expressions filled in, GITHUB_OUTPUT a file, each `if:`
// evaluated. The npm install step and the two `uses:` steps (setup-node, the SARIF upload)
// are GitHub's; the build they need is this checkout's. The SARIF is validated.
interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
};
const sarifSchema = JSON.parse(readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
const validateSarif = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, logger: false }).compile(
  sarifSchema,
);

/** Runs the action's steps in `cwd` with `inputs`; returns what each step did. */
function runAction(cwd: string, given: Record<string, string>) {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default]));
  const outputs: Record<string, Record<string, string>> = {};
  const outcomes: Record<string, string> = {};
  const expr = (text: string) => text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, e: string) => String(evaluate(e)));
  const value = (ref: string): string | boolean => {
    if (ref === 'always()') return true;
    if (ref === 'github.action_path') return REPO;
    if (/^'.*'$/.test(ref)) return ref.slice(1, -1);
    let m = /^inputs\.([\w-]+)$/.exec(ref);
    if (m) return inputs[m[1]];
    m = /^steps\.(\w+)\.outputs\.(\w+)$/.exec(ref);
    if (m) return outputs[m[1]]?.[m[2]] ?? '';
    m = /^steps\.(\w+)\.outcome$/.exec(ref);
    if (m) return outcomes[m[1]] ?? '';
    throw new Error(`an expression this test does not know: ${ref}`);
  };
  // The subset action.yml uses: `a == 'x'`, `a != 'x'`, `&&`, always().
  const evaluate = (e: string): string | boolean =>
    e
      .split('&&')
      .map((part) => {
        const m = /^\s*(.+?)\s*(==|!=)\s*(.+?)\s*$/.exec(part);
        if (!m) return value(part.trim());
        return m[2] === '==' ? value(m[1]) === value(m[3]) : value(m[1]) !== value(m[3]);
      })
      .reduce((a, b) => (a === true || a === 'true') && b);
  const ran: { name: string; status: number; stdout: string }[] = [];
  for (const step of action.runs.steps) {
    if (step.if && evaluate(step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, '')) !== true) continue;
    if (!step.run || step.id === 'install') continue;
    const githubOutput = path.join(mkdtempSync(path.join(os.tmpdir(), 'sessionlint-gh-')), 'output');
    writeFileSync(githubOutput, '');
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(v)]));
    const r = spawnSync('bash', ['-e', '-c', step.run], {
      cwd,
      env: { ...process.env, ...env, GITHUB_OUTPUT: githubOutput },
      encoding: 'utf8',
    });
    if (step.id) {
      outcomes[step.id] = r.status === 0 ? 'success' : 'failure';
      outputs[step.id] = Object.fromEntries(
        readFileSync(githubOutput, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
    }
    ran.push({ name: step.name ?? step.id ?? '', status: r.status ?? -1, stdout: r.stdout + r.stderr });
    if (r.status !== 0) break;
  }
  return { ran, outputs, sarif: path.resolve(cwd, inputs['sarif-file']) };
}

describe('the GitHub Action', () => {
  it('is a composite action: setup-node, npm ci, the CLI with SARIF, the code scanning upload', () => {
    assert.equal(action.runs.using, 'composite');
    const steps = action.runs.steps;
    assert.ok(steps.some((s) => s.uses?.startsWith('actions/setup-node@')));
    assert.match(steps.find((s) => s.id === 'install')?.run ?? '', /^npm ci\b/);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.equal(upload?.with?.sarif_file, '${{ inputs.sarif-file }}');
  });

  it('on the broken example: valid SARIF with every finding, and the job fails unless told not to', () => {
    const cwd = EXAMPLES;
    const run = runAction(cwd, { paths: 'flask-waitress', 'sarif-file': path.join(os.tmpdir(), 'sl-action.sarif') });
    assert.deepEqual(
      run.ran.map((s) => [s.name, s.status]),
      [
        ['Run Session Lint', 0],
        ['Fail on findings', 1],
      ],
    );
    assert.equal(run.outputs.lint.findings, '6');
    const sarif = JSON.parse(readFileSync(run.sarif, 'utf8')) as { runs: { results: unknown[] }[] };
    assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors, null, 2));
    assert.equal(sarif.runs[0].results.length, 6);
    const lenient = runAction(cwd, {
      paths: 'flask-waitress',
      'fail-on-findings': 'false',
      'sarif-file': path.join(os.tmpdir(), 'sl-action-2.sarif'),
    });
    assert.deepEqual(
      lenient.ran.map((s) => s.status),
      [0],
    );
  });

  it('select and ignore reach the CLI; a clean project passes; a bad selector fails the job', () => {
    const sarif = path.join(os.tmpdir(), 'sl-action-3.sarif');
    const only = runAction(EXAMPLES, { paths: 'flask-waitress', select: 'SL1', 'sarif-file': sarif });
    const results = JSON.parse(readFileSync(only.sarif, 'utf8')).runs[0].results as { ruleId: string }[];
    assert.ok(results.length > 0 && results.every((r) => r.ruleId.startsWith('SL1')));
    const clean = runAction(EXAMPLES, { paths: 'flask-waitress-fixed django-nginx-fixed', 'sarif-file': sarif });
    assert.deepEqual(
      clean.ran.map((s) => s.status),
      [0],
    );
    assert.equal(clean.outputs.lint.findings, '0');
    const bad = runAction(EXAMPLES, { paths: 'flask-waitress', ignore: 'SL999', 'sarif-file': sarif });
    assert.deepEqual(
      bad.ran.map((s) => s.status),
      [2],
    );
  });
});
