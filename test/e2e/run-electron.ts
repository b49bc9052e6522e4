import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

// The same suite in VS Code desktop, for machines that can download it (this one cannot:
// scripts/e2e.mjs runs it in code-server instead).
async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const workspace = path.join(mkdtempSync(path.join(os.tmpdir(), 'sessionlint-e2e-')), 'workspace');
  cpSync(path.join(repo, 'examples', 'flask-waitress'), workspace, { recursive: true });
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
