import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Project } from '../../server/src/core/project';
import type { Parsers } from '../../server/src/core/parse/parsers';
import { trackedDotenvFiles } from '../../server/src/node/git';
import { createParsers, ensureNodeParsers } from '../../server/src/node/parser';
import { assertFixesConverge, assertNoPlantedSecret, lintAll, assertChainKeepsSecrets } from './properties';
import { FRAGMENTS, seedProjects, type SeedProject } from './seeds';

/** FUZZ_RUNS and FUZZ_SEED make a longer or a replayed run; CI runs a fixed seed. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

const seeds = seedProjects();

/** One edit to one file: a fragment inserted, a slice replaced or deleted, or a truncation. */
const mutation = fc.record({
  file: fc.nat(),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat({ max: 40 }),
  op: fc.constantFrom('insert', 'replace', 'delete', 'truncate', 'repeat'),
  fragment: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 })),
  times: fc.integer({ min: 2, max: 2000 }),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(seed: SeedProject, edits: Mutation[]): SeedProject {
  const out = { ...seed };
  const names = Object.keys(out);
  for (const m of edits) {
    const name = names[m.file % names.length];
    const text = out[name];
    const at = Math.floor(m.at * text.length);
    if (m.op === 'insert') out[name] = text.slice(0, at) + m.fragment + text.slice(at);
    else if (m.op === 'replace') out[name] = text.slice(0, at) + m.fragment + text.slice(at + m.length);
    else if (m.op === 'delete') out[name] = text.slice(0, at) + text.slice(at + m.length);
    else if (m.op === 'truncate') out[name] = text.slice(0, at);
    else out[name] = text.slice(0, at) + m.fragment.repeat(m.times) + text.slice(at);
  }
  return out;
}

function projectOf(parsers: Parsers, files: SeedProject): Project {
  const project = new Project('/fuzz', parsers);
  for (const [rel, text] of Object.entries(files)) project.setFile(`/fuzz/${rel}`, text);
  return project;
}

describe('fuzz: mutated real project shapes', () => {
  it('lint ends, no rule throws, no planted secret is shown, fixes converge and keep files parsing', async () => {
    const parsers = await createParsers();
    await ensureNodeParsers(parsers);
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const project = projectOf(parsers, mutate(seeds[which], edits));
          try {
            const findings = lintAll(project);
            assertNoPlantedSecret(findings);
            assertChainKeepsSecrets(project, findings);
            assertFixesConverge(project);
          } finally {
            project.dispose();
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('every seed on its own: the same properties without mutation', async () => {
    const parsers = await createParsers();
    await ensureNodeParsers(parsers);
    for (const seed of seeds) {
      const project = projectOf(parsers, seed);
      try {
        assertChainKeepsSecrets(project, lintAll(project));
        assertFixesConverge(project);
      } finally {
        project.dispose();
      }
    }
  });
});

describe('fuzz: the git index reader', () => {
  it('any bytes after a valid header end in a list of paths, never an exception', () => {
    const header = (version: number, count: number) => {
      const b = Buffer.alloc(12);
      b.write('DIRC', 0, 'latin1');
      b.writeUInt32BE(version, 4);
      b.writeUInt32BE(count, 8);
      return b;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.nat({ max: 0xffffffff }),
        fc.uint8Array({ maxLength: 2000 }),
        (version, count, body) => {
          const paths = trackedDotenvFiles(Buffer.concat([header(version, count), Buffer.from(body)]));
          for (const p of paths) assert.match(p, /(^|\/)\.env(\.|$)/);
        },
      ),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });
});
