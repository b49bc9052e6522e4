// Writes docs/rules/<id>.md and docs/rules/README.md from the rule files (compiled to out/).
// `--check` fails when the committed pages are stale (used by the tests).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { RULES } = require('../out/server/src/core/rules/index.js');
const { renderRuleDoc } = require('../out/server/src/core/rules/docs.js');

const pages = new Map();
for (const rule of RULES) pages.set(`docs/rules/${rule.id}.md`, renderRuleDoc(rule));
pages.set(
  'docs/rules/README.md',
  [
    '# Rules',
    '',
    '| Code | Name | Default severity | Summary |',
    '| --- | --- | --- | --- |',
    ...RULES.map((r) => `| [${r.id}](${r.id}.md) | ${r.name} | ${r.defaultSeverity} | ${r.summary} |`),
    '',
  ].join('\n'),
);

if (process.argv.includes('--check')) {
  const stale = [...pages].filter(([file, text]) => {
    try {
      return readFileSync(file, 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    console.error(`stale: ${stale.map(([f]) => f).join(', ')}; run npm run build`);
    process.exit(1);
  }
} else {
  mkdirSync('docs/rules', { recursive: true });
  for (const [file, text] of pages) writeFileSync(file, text);
}
