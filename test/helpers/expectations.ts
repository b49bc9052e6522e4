/**
 * Inline expectations in a fixture's own comment syntax:
 *   `# expect: SL101` (or `// expect: SL101`) - a finding starts on this line;
 *   `# expect@+1: SL101,SL103` - on the next line (for lines that cannot carry a comment).
 */
export function expectedFindings(text: string): Set<string> {
  const expected = new Set<string>();
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/(?:#|\/\/)\s*expect(?:@([+-]\d+))?:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)/g)) {
      const target = i + 1 + (m[1] ? Number(m[1]) : 0);
      for (const code of m[2].split(',')) expected.add(`${target}:${code.trim()}`);
    }
  });
  return expected;
}
