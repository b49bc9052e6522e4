import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Project } from '../../server/src/core/project';
import { createParsers } from '../../server/src/node/parser';

/** uvicorn.run()'s host in a module, as the extractor reads it (whole file, or as an open document). */
async function uvicornHost(text: string, keepTree: boolean): Promise<string | undefined> {
  const project = new Project('/p', await createParsers());
  try {
    project.setFile('/p/main.py', text, { keepTree });
    return project.get('/p/main.py')?.python?.deploy.asgiRuns[0]?.settings.host?.value;
  } finally {
    project.dispose();
  }
}

describe('module bindings', () => {
  it('a name looked up while a statement is read has the value bound above it, not one bound later', async () => {
    const text = 'import uvicorn\nHOST = "127.0.0.1"\nuvicorn.run("main:app", host=HOST)\nHOST = "0.0.0.0"\n';
    assert.equal(await uvicornHost(text, false), '127.0.0.1');
    assert.equal(await uvicornHost(text, true), '127.0.0.1');
  });

  it('and the last value bound above it when the name is bound twice before', async () => {
    const text = 'import uvicorn\nHOST = "0.0.0.0"\nHOST = "127.0.0.1"\nuvicorn.run("main:app", host=HOST)\n';
    assert.equal(await uvicornHost(text, false), '127.0.0.1');
  });

  it('a dict of configurations bound twice is the one bound last, whichever of the two names a keyword', async () => {
    const project = new Project('/p', await createParsers());
    const text = 'CONFIG = {"prod": FlaskConfig}\nCONFIG = {"dev": DevConfig}\n';
    for (const keepTree of [false, true]) {
      project.setFile('/p/config.py', text, { keepTree });
      assert.deepEqual(project.get('/p/config.py')?.python?.dicts, { CONFIG: ['DevConfig'] });
    }
    project.dispose();
  });
});
