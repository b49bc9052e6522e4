import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// `--stdio` (any editor) or `--node-ipc` (the VS Code client); createConnection reads argv.
startServer(createConnection(ProposedFeatures.all));
