import { createConnection, ProposedFeatures, StreamMessageReader } from 'vscode-languageserver/node';
import { startServer } from './server';
import { DirectStreamWriter } from './stdio-writer';

/**
 * `--stdio` (any editor) or `--node-ipc` (the VS Code client). Over stdio the reader is ours,
 * so a client that breaks the message framing ends the server with one line on stderr
 * saying so, instead of a silent exit.
 */
function connect() {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const reader = new StreamMessageReader(process.stdin);
  reader.onError((e) => {
    process.stderr.write(
      `sessionlint-lsp: the client sent a malformed message (${e.message.split('\n')[0]}); stopping.\n`,
    );
    process.exit(1);
  });
  return createConnection(ProposedFeatures.all, reader, new DirectStreamWriter(process.stdout));
}

startServer(connect());
