/** Parsed command line of `sessionlint`. */
export interface CliArgs {
  /** `lint` (the default), or `chain`: print each app's request path instead of the findings. */
  command: 'lint' | 'chain';
  paths: string[];
  /** `mermaid` is for `chain` only, `sarif` for `lint` only. */
  format: 'text' | 'json' | 'sarif' | 'mermaid';
  fix: boolean;
  unsafeFixes: boolean;
  select?: string[];
  ignore?: string[];
  respectIgnores: boolean;
  maxFileSize?: number;
  /** A configuration file instead of the project's own `sessionlint.toml`/`pyproject.toml`. */
  config?: string;
  stats: boolean;
  /** Print a rule's documentation (id or name) and exit. */
  explain?: string;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: sessionlint [paths...] [options]
       sessionlint chain [paths...] [--format text|json|mermaid]

Finds configuration mistakes that lose or expose web sessions. \`chain\` shows, for each app,
the request path from the browser to the session as Session Lint reads it, and where it breaks.

Options:
  --format text|json|sarif  Output format (default: text); chain: text, json or mermaid
  --fix                     Apply safe fixes
  --unsafe-fixes            With --fix, also apply unsafe fixes (they change what the app needs)
  --select RULES            Comma-separated rule ids, prefixes (SL1) or names to run
  --ignore RULES            Comma-separated rule ids, prefixes or names to skip
  --no-ignore               Also read files that .gitignore and the default excludes leave out
  --max-file-size BYTES     Skip larger files (default: 1048576)
  --config FILE             Read settings from FILE (inside the project) instead of its own
  --stats                   Print timing and memory figures to stderr
  --explain RULE            Print a rule's documentation (id or name), or list all rules with ALL
  --version                 Print the version
  -h, --help                Print this help

Exit status: 0 no findings, 1 findings, 2 usage or internal error.`;

/** Throws an Error with a user-facing message on bad usage. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    command: 'lint',
    paths: [],
    format: 'text',
    fix: false,
    unsafeFixes: false,
    respectIgnores: true,
    stats: false,
    help: false,
    version: false,
  };
  // A subcommand comes first; a path named `chain` can still be linted as `./chain`.
  const start = argv[0] === 'chain' ? 1 : 0;
  if (start === 1) args.command = 'chain';
  for (let i = start; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        const formats = args.command === 'chain' ? ['text', 'json', 'mermaid'] : ['text', 'json', 'sarif'];
        if (!formats.includes(f)) throw new Error(`unknown format '${f}' (${formats.join(', ')})`);
        args.format = f as CliArgs['format'];
        break;
      }
      case '--fix':
        args.fix = true;
        break;
      case '--unsafe-fixes':
        args.unsafeFixes = true;
        break;
      case '--select':
        args.select = list(value());
        break;
      case '--ignore':
        args.ignore = list(value());
        break;
      case '--no-ignore':
        args.respectIgnores = false;
        break;
      case '--max-file-size': {
        const n = Number(value());
        if (!Number.isInteger(n) || n <= 0) throw new Error('--max-file-size takes a positive number of bytes');
        args.maxFileSize = n;
        break;
      }
      case '--config':
        args.config = value();
        break;
      case '--stats':
        args.stats = true;
        break;
      case '--explain':
        args.explain = value();
        break;
      case '--version':
        args.version = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (raw.startsWith('-') && raw !== '-') throw new Error(`unknown option '${raw}'`);
        args.paths.push(raw);
    }
  }
  if (args.command === 'chain' && (args.fix || args.unsafeFixes))
    throw new Error('chain shows the request path; it applies no fixes (run sessionlint --fix)');
  return args;
}

/** A comma-separated list; empty items are kept so that settings can reject them by name. */
function list(v: string): string[] {
  return v.split(',').map((s) => s.trim());
}
