import { spawn } from 'node:child_process';
import path from 'node:path';
import { DIST } from './paths';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI as users do: a separate node process. */
export function runCli(args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(DIST, 'cli.js'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
