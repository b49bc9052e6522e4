// The entry of the standalone executable (`npm run build:binary`): one file that is both the
// CLI and the language server. `sessionlint --lsp --stdio`, or the executable run under a name
// ending in `-lsp` (`sessionlint-lsp --stdio`, as the Python wheel installs it), starts the
// server; anything else is the CLI, with the same arguments, output and exit codes as npm's.
import path from 'node:path';

const name = path.basename(process.execPath).replace(/\.exe$/, '');
const asServer = process.argv.includes('--lsp') || name.endsWith('-lsp');
if (asServer) {
  process.argv = process.argv.filter((a) => a !== '--lsp');
  require('../lsp/main');
} else require('../cli/main');
