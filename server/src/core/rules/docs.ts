import type { Rule } from './rule';

/** The rule's documentation page in Markdown: docs/rules/<id>.md, SARIF help, Explain rule. */
export function renderRuleDoc(rule: Rule): string {
  const d = rule.docs;
  const code = (files: string | Record<string, string>) =>
    typeof files === 'string'
      ? fence('app.py', files)
      : Object.entries(files)
          .map(([name, text]) => `\`${name}\`:\n\n${fence(name, text)}`)
          .join('\n\n');
  return [
    `# ${rule.name} (${rule.id})`,
    '',
    `Default severity: ${rule.defaultSeverity}. ${rule.summary}.`,
    '',
    '## What it does',
    '',
    d.whatItDoes,
    '',
    '## Why is this bad?',
    '',
    d.whyIsThisBad,
    '',
    '## Example',
    '',
    code(d.example),
    '',
    '## Use instead',
    '',
    code(d.useInstead),
    '',
    '## Fix safety',
    '',
    d.fixSafety,
    '',
    '## Suppression',
    '',
    `Add \`# sessionlint: disable=${rule.id}\` to the line, or \`# sessionlint: disable-file=${rule.id}\` anywhere in the file, or \`ignore = ["${rule.id}"]\` under \`[tool.sessionlint]\` in pyproject.toml.`,
    '',
    '## References',
    '',
    ...d.references.map((r) => `- <${r}>`),
    '',
  ].join('\n');
}

function fence(name: string, text: string): string {
  const lang = name.endsWith('.py')
    ? 'python'
    : name.endsWith('.conf')
      ? 'nginx'
      : name.endsWith('.toml')
        ? 'toml'
        : '';
  return `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\``;
}
