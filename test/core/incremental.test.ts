import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Project } from '../../server/src/core/project';
import { createParsers } from '../../server/src/node/parser';

/** Facts without spans that shift, to compare an incremental reparse with a fresh parse. */
const factsOf = (p: Project, path: string) => JSON.stringify(p.get(path)!.python);

describe('incremental reparsing', () => {
  it('gives the same facts as a fresh parse after every keystroke, half-typed code included', async () => {
    const parsers = await createParsers();
    const live = new Project('/p', parsers);
    const fresh = new Project('/p', parsers);
    let text = 'import os\nfrom flask import Flask, session\n\napp = Flask(__name__)\n\n';
    live.setFile('/p/app.py', text, { keepTree: true });
    const typed = 'app.secret_key = os.environ.get("K", "dév-ключ")\nclass C:\n    SECRET_KEY = "x"\n';
    for (const ch of typed) {
      const at = text.length;
      text += ch;
      live.setFile('/p/app.py', text, { keepTree: true, changes: [{ start: at, oldEnd: at, newText: ch }] });
      fresh.setFile('/p/app.py', text);
      assert.equal(
        factsOf(live, '/p/app.py'),
        factsOf(fresh, '/p/app.py'),
        `after typing ${JSON.stringify(text.slice(-20))}`,
      );
    }
    // A deletion in the middle, spanning lines.
    const start = text.indexOf('from flask');
    const end = text.indexOf('app = ');
    text = text.slice(0, start) + text.slice(end);
    live.setFile('/p/app.py', text, { keepTree: true, changes: [{ start, oldEnd: end, newText: '' }] });
    fresh.setFile('/p/app.py', text);
    assert.equal(factsOf(live, '/p/app.py'), factsOf(fresh, '/p/app.py'));
    live.dispose();
  });
});
