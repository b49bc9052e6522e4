import { spliceAssignments, type SimpleCommand, type Word } from '../parse/shell-words';
import type { NodeRun } from './deploy-model';

/** Runners that start a Node app, and whether they are for development (restart on change). */
const NODE_PROGRAMS: Record<string, 'production' | 'development' | 'either'> = {
  node: 'either',
  nodejs: 'either',
  bun: 'either',
  pm2: 'production',
  'pm2-runtime': 'production',
  'pm2-docker': 'production',
  forever: 'production',
  nodemon: 'development',
  'ts-node-dev': 'development',
  'node-dev': 'development',
  'ts-node': 'either',
  tsx: 'either',
  npm: 'either',
  yarn: 'either',
  pnpm: 'either',
};

/** A Node app started by this command line (`node server.js`, `pm2 start app.js -i max`, `npm start`), if any. */
export function nodeRunFromCommand(command: SimpleCommand, env: Record<string, string> = {}): NodeRun | undefined {
  let words = command.words;
  const assignments: Word[] = [...command.assignments];
  while (words[0] && /^(exec|env|nohup|npx|dumb-init|tini|--)$/.test(words[0].text)) {
    words = words.slice(1);
    assignments.push(...spliceAssignments(words));
  }
  // `cross-env NODE_ENV=production node app.js`
  if (words[0]?.text === 'cross-env') {
    words = words.slice(1);
    assignments.push(...spliceAssignments(words));
  }
  const program = words[0]?.text.split('/').pop() ?? '';
  const kind = NODE_PROGRAMS[program];
  if (!kind) return undefined;
  const args = words.slice(1).map((w) => w.text);
  // `npm install`, `yarn build`: only the start scripts run the app.
  if (
    (program === 'npm' || program === 'yarn' || program === 'pnpm') &&
    !(args[0] === 'start' || (args[0] === 'run' && /^start/.test(args[1] ?? '')) || /^start/.test(args[0] ?? ''))
  )
    return undefined;
  if (program === 'pm2' && args[0] !== 'start') return undefined;
  if (
    (program === 'node' || program === 'nodejs') &&
    (args.length === 0 || args[0] === '-e' || args[0] === '--eval' || args.includes('--test'))
  )
    return undefined;
  const nodeEnv = assignments.find((a) => a.text.startsWith('NODE_ENV='))?.text.slice(9) ?? env.NODE_ENV;
  const watching = args.includes('--watch') || args.includes('--watch-path');
  let processes: NodeRun['processes'] = 1;
  const instances = args.findIndex((a) => a === '-i' || a === '--instances');
  if (instances !== -1 && args[instances + 1]) {
    const n = args[instances + 1] === 'max' ? 0 : Number(args[instances + 1]);
    processes = Number.isNaN(n) ? 1 : n <= 0 ? 'many' : n;
  }
  return {
    runner: program,
    span: { start: words[0].span.start, end: words[words.length - 1].span.end },
    processes,
    production: nodeEnv !== undefined ? /^prod/i.test(nodeEnv) : kind === 'production',
    development:
      kind === 'development' || watching || (nodeEnv !== undefined && /^(dev|development|test)$/i.test(nodeEnv)),
    ecosystem:
      program.startsWith('pm2') &&
      args.some((a) => /^(ecosystem|pm2)[\w.-]*\.(c|m)?js(on)?$/.test(a.split('/').pop() ?? '')),
  };
}
