import { isSecretName } from '../facts/deploy-model';
import { ignoreChange, isGitIgnored } from '../fixes/environment';
import { basename } from '../paths';
import type { Rule } from './rule';

/**
 * Dotenv files meant to be committed: templates (`.env.example`, `.env.sample`,
 * `.env.dev-sample`, `.env.template`, `.env.dist`) and Flask's `.flaskenv`.
 */
const COMMITTED = /^\.flaskenv$|[.\-_](example|sample|template|tmpl|tpl|dist|defaults)$/;

export const rule: Rule = {
  id: 'SL107',
  name: 'dotenv-not-ignored',
  summary: 'A .env file holding a secret is not git-ignored',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Flags a `.env` file (or `.env.production` and the like) that holds a session secret when no `.gitignore` of the project ignores it. Templates such as `.env.example` and Flask's `.flaskenv` are meant to be committed and are not flagged, and so are `.env.sample`, `.env.dev-sample`, `.env.template` and `.env.dist`. `.gitignore` files up to the repository root count. A `.env` the git index already tracks is reported as committed, ignored or not.",
    whyIsThisBad:
      '`.env` exists to keep secrets out of the repository. One `git add .` without an ignore rule commits the session key, and anyone with read access to the repository can then forge session cookies. If the file was already committed, ignoring it is not enough: remove it from the index (`git rm --cached .env`) and rotate the key.',
    example: {
      '.env': 'SECRET_KEY=3f9c1a-local-key\n',
      'app.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
    },
    useInstead: {
      '.env': 'SECRET_KEY=3f9c1a-local-key\n',
      '.gitignore': '.env\n',
      'app.py':
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ["SECRET_KEY"]\n',
    },
    fixSafety:
      'Safe: adding the file to `.gitignore` changes nothing the app does. It does not remove a copy that is already committed.',
    references: [
      'https://git-scm.com/docs/gitignore',
      'https://flask.palletsprojects.com/en/stable/cli/#environment-variables-from-dotenv',
    ],
  },
  check(ctx) {
    for (const file of ctx.project.all()) {
      if (file.kind !== 'dotenv' || COMMITTED.test(basename(file.path)) || file.isTest) continue;
      const secret = file.dotenv?.entries.find((e) => isSecretName(e.name) && e.hasValue && !e.isReference);
      const relative = ctx.project.relative(file.path);
      if (!secret) continue;
      const ignored = isGitIgnored(ctx.project, relative);
      const git = ctx.project.git;
      if (git?.tracked.has(file.path)) {
        // Ignoring a tracked file changes nothing: git keeps committing it.
        ctx.report({
          path: file.path,
          span: secret.nameSpan,
          message: `${secret.name} is committed: git tracks this file${ignored ? ' although .gitignore ignores it' : ''}. Remove it from the index (git rm --cached ${file.path.slice(git.repoRoot.length + 1)}) and rotate the key.`,
          fixes: ignored
            ? undefined
            : () => {
                const change = ignoreChange(ctx.project, relative);
                return change ? [{ title: `Add ${relative} to .gitignore`, safety: 'safe', changes: [change] }] : [];
              },
        });
        continue;
      }
      if (ignored) continue;
      ctx.report({
        path: file.path,
        span: secret.nameSpan,
        message: `${secret.name} is in a file git does not ignore: the secret is one \`git add\` away from the repository.`,
        fixes: () => {
          const change = ignoreChange(ctx.project, relative);
          return change ? [{ title: `Add ${relative} to .gitignore`, safety: 'safe', changes: [change] }] : [];
        },
      });
    }
  },
};
