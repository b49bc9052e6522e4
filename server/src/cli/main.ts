import path from 'node:path';
import { buildChains, type ChainReport } from '../core/chain';
import { lintProject } from '../core/lint';
import type { LineIndex } from '../core/text';
import { renderRuleDoc } from '../core/rules/docs';
import { RULES } from '../core/rules/index';
import { randomSecret } from '../core/fixes/random';
import { resolveSettings } from '../core/settings';
import type { Finding } from '../core/types';
import { findProjectRoot, loadProjectConfig } from '../node/config';
import { loadProject } from '../node/load-project';
import { createParsers } from '../node/parser';
import { toCorePath, toFsPath } from '../node/paths';
import { DEFAULT_MAX_FILE_SIZE } from '../node/read';
import { applyFixes } from './apply-fixes';
import { parseArgs, USAGE, type CliArgs } from './args';
import { formatChainJson, formatChainMermaid, formatChainText, placeChains } from './format-chain';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText, printable } from './format-text';
import { place, type RunReport } from './report';
import { VERSION } from '../version';
import { promises as fs } from 'node:fs';

/** Runs the CLI; resolves to the exit code (0 clean, 1 findings, 2 usage or internal error). */
export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`sessionlint: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`sessionlint ${VERSION}\n`);
    return 0;
  }
  if (args.explain) return explain(args.explain);
  const started = performance.now();
  const cwd = process.cwd();
  const targets = args.paths.length > 0 ? args.paths : ['.'];
  for (const t of targets) {
    try {
      await fs.stat(t);
    } catch {
      process.stderr.write(`sessionlint: ${t}: no such file or directory\n`);
      return 2;
    }
  }
  const roots = new Map<string, string[]>();
  for (const t of targets) {
    const abs = path.resolve(t);
    const isDir = (await fs.stat(abs)).isDirectory();
    const root = await findProjectRoot(isDir ? abs : path.dirname(abs));
    roots.set(root, [...(roots.get(root) ?? []), toCorePath(abs)]);
  }
  const parsers = await createParsers();
  const display = (p: string) => {
    const rel = path.relative(cwd, p);
    return (rel.startsWith('..') || path.isAbsolute(rel) ? p : rel).split(path.sep).join('/');
  };
  const report: RunReport = { findings: [], skipped: [], applied: 0, unsafeAvailable: 0, cwd: toCorePath(cwd) };
  const chains: { report: ChainReport; linesOf: (path: string) => LineIndex }[] = [];
  let files = 0;
  const hidden = new Map<string, number>();
  const ruleErrors = new Set<string>();
  for (const [root, wanted] of roots) {
    const explicit = args.config === undefined ? undefined : path.relative(root, path.resolve(cwd, args.config));
    const config = await loadProjectConfig(root, parsers.toml, explicit);
    if (config.errors.length > 0) {
      for (const err of config.errors) process.stderr.write(`sessionlint: ${path.join(display(root), err)}\n`);
      return 2;
    }
    const loaded = await loadProject(root, parsers, config, {
      respectIgnores: args.respectIgnores,
      maxFileSize: args.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      force: wanted.map(toFsPath),
    });
    files += loaded.read;
    for (const [reason, n] of loaded.hidden) hidden.set(reason, (hidden.get(reason) ?? 0) + n);
    const settings = resolveSettings(RULES, config.config, undefined, { select: args.select, ignore: args.ignore });
    if (settings.errors.length > 0) {
      for (const err of settings.errors) process.stderr.write(`sessionlint: ${err}\n`);
      return 2;
    }
    const inScope = (p: string) => wanted.some((w) => p === w || p.startsWith(w.endsWith('/') ? w : `${w}/`));
    const onRuleError = (rule: { id: string }, e: unknown) => {
      ruleErrors.add(`${rule.id}: ${(e as Error)?.message ?? String(e)}`);
    };
    const lint = (): Finding[] =>
      [...lintProject(loaded.project, settings, randomSecret, onRuleError).values()]
        .flat()
        .filter((f) => inScope(f.path));
    let findings: Finding[];
    if (args.fix) {
      const result = await applyFixes(loaded.project, loaded.encodings, lint, args.unsafeFixes);
      report.applied += result.applied;
      for (const r of result.refused)
        process.stderr.write(`sessionlint: fix not applied, no file changed: ${r.title}: ${r.reason}\n`);
      findings = result.findings;
    } else findings = lint();
    if (args.command === 'chain') {
      const project = loaded.project;
      chains.push({ report: buildChains(project, findings), linesOf: (p) => project.lines(p) });
    }
    report.unsafeAvailable += args.unsafeFixes ? 0 : findings.filter((f) => f.fixes()[0]?.safety === 'unsafe').length;
    report.findings.push(...findings.map((f) => place(f, (p) => loaded.project.lines(p), display)));
    report.skipped.push(
      ...loaded.skipped.filter((s) => inScope(s.path)).map((s) => ({ display: display(s.path), reason: s.reason })),
    );
    loaded.project.dispose();
  }
  report.findings.sort(
    (a, b) => a.display.localeCompare(b.display) || a.start.line - b.start.line || a.start.column - b.start.column,
  );
  // Nothing read is not a pass: say so, and what hid the files, instead of "All checks passed!".
  if (files === 0) {
    const reasons = [...hidden].sort((a, b) => b[1] - a[1]).map(([r]) => r);
    const why =
      reasons.length > 0
        ? `; left out by ${reasons.slice(0, 3).join(', ')} (--no-ignore reads them)`
        : '; no file there is one Session Lint reads';
    process.stderr.write(`sessionlint: no file was linted${why}\n`);
    report.nothingLinted = true;
  }
  if (args.command === 'chain') {
    const placed = placeChains(chains, display, VERSION);
    const write =
      args.format === 'json' ? formatChainJson : args.format === 'mermaid' ? formatChainMermaid : formatChainText;
    process.stdout.write(write(placed));
    for (const e of ruleErrors) process.stderr.write(`sessionlint: internal error in rule ${e}\n`);
    return ruleErrors.size > 0 ? 2 : 0;
  }
  if (args.format === 'json') process.stdout.write(formatJson(report, VERSION));
  else if (args.format === 'sarif') process.stdout.write(formatSarif(report, RULES, VERSION));
  else {
    for (const s of report.skipped) process.stderr.write(`sessionlint: skipped ${printable(s.display)}: ${s.reason}\n`);
    process.stdout.write(formatText(report, process.stdout.isTTY === true && !process.env.NO_COLOR));
  }
  if (args.stats) {
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`${JSON.stringify({ files, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
  }
  // A rule that failed is an internal error: say so, after everything else was reported.
  for (const e of ruleErrors) process.stderr.write(`sessionlint: internal error in rule ${e}\n`);
  if (ruleErrors.size > 0) return 2;
  return report.findings.length > 0 ? 1 : 0;
}

/** `--explain SL101` prints the rule's page; `--explain ALL` lists the rules. */
function explain(query: string): number {
  if (query.toUpperCase() === 'ALL') {
    for (const r of RULES) process.stdout.write(`${r.id}  ${r.name.padEnd(34)} ${r.summary}\n`);
    return 0;
  }
  const rule = RULES.find((r) => r.id === query.toUpperCase() || r.name === query);
  if (!rule) {
    process.stderr.write(`sessionlint: no rule ${query} (sessionlint --explain ALL lists them)\n`);
    return 2;
  }
  process.stdout.write(renderRuleDoc(rule));
  return 0;
}

// `sessionlint ... | head` closes the pipe early: stop quietly, as other command-line tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sessionlint: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
