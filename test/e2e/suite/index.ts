import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/**
 * The entry point VS Code calls in the extension host (`extensionTestsPath`), the contract of
 * @vscode/test-electron. Results also go to $SESSIONLINT_E2E_RESULT, for the code-server launcher.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures };
      if (process.env.SESSIONLINT_E2E_RESULT)
        writeFileSync(
          process.env.SESSIONLINT_E2E_RESULT,
          JSON.stringify({ passed: stats.passes, failed: stats.failures }),
        );
      if (failures > 0) reject(new Error(`${failures} VS Code test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => console.log(`  ✔ ${t.fullTitle()}`));
    runner.on('fail', (t, e) => console.log(`  ✖ ${t.fullTitle()}: ${(e as Error).message}`));
  });
}
