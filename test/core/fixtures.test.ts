import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isSecretName } from '../../server/src/core/facts/deploy-model';
import { isSecretKey, type SettingValue } from '../../server/src/core/facts/python-model';
import { fileParses, type Project } from '../../server/src/core/project';
import { expressModel } from '../../server/src/core/express';
import type { JsValue } from '../../server/src/core/facts/js/model';
import { sessionSecrets } from '../../server/src/core/rules/express/secrets';
import { applyEdits } from '../../server/src/core/text';
import { expectedFindings } from '../helpers/expectations';
import { disableForLine } from '../../server/src/core/fixes/suppress';
import type { Finding } from '../../server/src/core/types';
import { applyAllFixes, applyFix, lint, projectFromDisk, projectOf } from '../helpers/lint';
import { FIXTURES } from '../helpers/paths';
import { MAX_FIX_PASSES } from '../../server/src/core/fixes/select';

/** Every fixture: a `.py` file or a folder (a multi-file project), grouped by rule. */
function fixtures(): { rule: string; name: string; full: string }[] {
  const out: { rule: string; name: string; full: string }[] = [];
  for (const rule of readdirSync(FIXTURES).sort()) {
    if (!/^SL\d{3}$/.test(rule)) continue;
    for (const name of readdirSync(path.join(FIXTURES, rule)).sort())
      out.push({ rule, name, full: path.join(FIXTURES, rule, name) });
  }
  return out;
}

async function load(full: string): Promise<Project> {
  if (statSync(full).isDirectory()) return projectFromDisk(full);
  return projectOf({ [path.basename(full)]: readFileSync(full, 'utf8') });
}

function secretsIn(project: Project): string[] {
  const out: string[] = [];
  const walk = (v: SettingValue) => {
    if (v.kind === 'literal' && v.value && v.value.length >= 4) out.push(v.value);
    if (v.kind === 'list') v.items.forEach(walk);
    // The "None" of str(os.environ.get(...)) is Python's word, not a secret written in the code.
    if (v.kind === 'env' && v.fallback && !v.coerced) walk(v.fallback);
  };
  const walkJs = (v: JsValue) => {
    if (v.kind === 'string' && v.value.length >= 4) out.push(v.value);
    if (v.kind === 'array') v.items.forEach(walkJs);
    if (v.kind === 'either') v.options.forEach(walkJs);
    if (v.kind === 'env' && v.fallback && !v.coerced) walkJs(v.fallback);
  };
  for (const session of expressModel(project).sessions)
    for (const { located } of sessionSecrets(session)) walkJs(located.value);
  for (const file of project.all()) {
    for (const site of [...(file.python?.sites ?? []), ...(file.dataSettings ?? [])])
      if (isSecretKey(site.key)) walk(site.value);
    // Literal secrets in compose, Dockerfiles, systemd units and dotenv files, as written.
    const spans = [
      ...(file.deploy?.secrets ?? []).map((s) => s.valueSpan),
      ...(file.dotenv?.entries ?? []).filter((e) => isSecretName(e.name) && e.hasValue).map((e) => e.valueSpan),
    ];
    for (const span of spans) {
      const value = file.text.slice(span.start, span.end).replace(/^(["'])(.*)\1$/s, '$2');
      if (value.length >= 4) out.push(value);
    }
  }
  return out;
}

describe('fixtures', () => {
  const all = fixtures();
  it('exist for every rule', () => {
    const rules = new Set(all.map((f) => f.rule));
    for (const id of ['SL101', 'SL102', 'SL103', 'SL104']) assert.ok(rules.has(id), `no fixtures for ${id}`);
  });

  for (const { rule, name, full } of all) {
    describe(`${rule}/${name}`, () => {
      it('reports exactly the expected (line, rule) pairs', async () => {
        const project = await load(full);
        const actual = new Set<string>();
        for (const f of lint(project)) {
          const line = project.get(f.path)!.text.slice(0, f.span.start).split('\n').length;
          actual.add(`${project.relative(f.path)}:${line}:${f.ruleId}`);
        }
        const expected = new Set<string>();
        for (const file of project.all()) {
          for (const e of expectedFindings(file.text)) expected.add(`${project.relative(file.path)}:${e}`);
        }
        if (name.startsWith('ok-')) assert.equal(expected.size, 0, 'an ok- fixture must expect nothing');
        else
          assert.ok(
            [...expected].some((e) => e.endsWith(`:${rule}`)),
            `fixture expects no ${rule}`,
          );
        assert.deepEqual([...actual].sort(), [...expected].sort());
        project.dispose();
      });

      it('never puts a secret value in a message, related note or fix title', async () => {
        const project = await load(full);
        const secrets = secretsIn(project);
        for (const f of lint(project)) {
          const texts = [f.message, ...f.related.map((r) => r.message), ...f.fixes().map((x) => x.title)];
          for (const s of secrets)
            for (const t of texts) assert.ok(!t.includes(s), `${f.ruleId} text contains a secret: ${t}`);
        }
      });

      it('has disable comments that silence exactly their finding and change nothing else', async () => {
        const base = await load(full);
        const before = lint(base);
        const lineOf = (p: Project, f: Finding) => p.get(f.path)!.text.slice(0, f.span.start).split('\n').length;
        const key = (f: Finding) => `${f.path}|${f.ruleId}|${f.message}`;
        for (const finding of before) {
          const project = await load(full);
          const fix = disableForLine(project.get(finding.path)!, finding);
          if (!fix) {
            assert.ok(/\.json$|\.lock$/.test(finding.path), `no disable comment for ${finding.path}`);
            continue;
          }
          applyFix(project, fix);
          const silenced = before.filter(
            (f) => f.path === finding.path && f.ruleId === finding.ruleId && lineOf(base, f) === lineOf(base, finding),
          );
          const expected = before
            .filter((f) => !silenced.includes(f))
            .map(key)
            .sort();
          assert.deepEqual(
            lint(project).map(key).sort(),
            expected,
            `disabling ${finding.ruleId} at ${project.relative(finding.path)}:${lineOf(base, finding)}`,
          );
          const file = project.get(finding.path)!;
          if (base.get(finding.path) && fileParses(base.get(finding.path)!))
            assert.ok(fileParses(file), `${file.path} no longer parses`);
        }
        base.dispose();
      });

      it('offers fixes whose edits never overlap and that converge, leaving files that parse', async () => {
        const project = await load(full);
        const brokenBefore = new Set([...project.all()].filter((f) => !fileParses(f)).map((f) => f.path));
        for (const f of lint(project)) {
          for (const fix of f.fixes()) {
            const paths = fix.changes.map((c) => c.path);
            assert.equal(new Set(paths).size, paths.length, `${fix.title}: one change per file`);
            for (const c of fix.changes) applyEdits(c.create ? '' : project.get(c.path)!.text, c.edits);
          }
        }
        const passes = applyAllFixes(project);
        assert.ok(passes <= MAX_FIX_PASSES, 'fixes did not converge');
        for (const file of project.all()) {
          if (!brokenBefore.has(file.path)) assert.ok(fileParses(file), `${file.path} no longer parses`);
        }
        for (const f of lint(project)) {
          assert.equal(
            f.fixes().length,
            0,
            `after fixing, ${f.ruleId} still offers a fix at ${project.relative(f.path)}`,
          );
        }
      });
    });
  }
});
