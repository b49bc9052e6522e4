import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { type Message, StreamMessageReader } from 'vscode-languageserver/node';
import { DirectStreamWriter } from '../../server/src/lsp/stdio-writer';

describe('the stdio message writer', () => {
  it('frames each message by its length in bytes, in the order sent, as a reader reads them', async () => {
    const pipe = new PassThrough();
    const writer = new DirectStreamWriter(pipe);
    const reader = new StreamMessageReader(pipe);
    const received: Message[] = [];
    const all = new Promise<void>((resolve) =>
      reader.listen((m) => {
        received.push(m);
        if (received.length === 3) resolve();
      }),
    );
    const sent: Message[] = [
      { jsonrpc: '2.0', method: 'a', params: { text: 'plain' } } as Message,
      { jsonrpc: '2.0', method: 'b', params: { text: 'é — ключ \u{1f4a5}\r\n\u0000' } } as Message,
      { jsonrpc: '2.0', method: 'c', params: { text: 'x'.repeat(200_000) } } as Message,
    ];
    await Promise.all(sent.map((m) => writer.write(m)));
    await all;
    assert.deepEqual(received, sent);
    reader.dispose();
    writer.dispose();
  });

  it('reports a failed write as an error and rejects it', async () => {
    const pipe = new PassThrough();
    const writer = new DirectStreamWriter(pipe);
    const errors: unknown[] = [];
    writer.onError((e) => errors.push(e));
    pipe.destroy();
    await assert.rejects(writer.write({ jsonrpc: '2.0' } as Message));
    assert.ok(errors.length >= 1);
  });
});
