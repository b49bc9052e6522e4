import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/**
 * Writes each message to a stream whole and at once: header and body in one write, in the call
 * that sends it. vscode-jsonrpc's stream writer encodes a message a turn of the event loop later
 * and writes the header and the body separately, waiting for the first write to finish; on a
 * keystroke that sat between the re-lint and the diagnostics reaching the editor. The order of
 * messages is the order of the calls, as the stream keeps it.
 */
export class DirectStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (e: Error) => this.fireError(e));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const header = Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii');
    return new Promise((resolve, reject) => {
      this.stream.write(Buffer.concat([header, body]), (error) => {
        if (!error) return resolve();
        this.fireError(error, message, ++this.errors);
        reject(error);
      });
    });
  }

  end(): void {
    this.stream.end();
  }
}
