import { expressModel, nodeDeployment, nodeProxyInFront } from '../express';
import type { Rule } from './rule';
import { checkDjangoLocalMemorySessions } from './django/sessions';

export const rule: Rule = {
  id: 'SL108',
  name: 'in-memory-session-store',
  summary: 'Sessions kept in the memory of one process in a production setup',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags an `express-session` middleware without a `store`, so it uses its default `MemoryStore`, in a project that runs in production: NODE_ENV=production in a run file (`package.json` start script, Dockerfile, compose, systemd), several processes (pm2 cluster mode, `-i max`, replicas), or any deployment file (Dockerfile, compose, Procfile, systemd, an nginx proxy, a pm2 ecosystem file). A project run only by development runners (nodemon, `node --watch`) and test code are not reported. In Django it flags `SESSION_ENGINE = "django.contrib.sessions.backends.cache"` with the local-memory cache (Django\'s default, or `LocMemCache`) while several processes run (gunicorn or uvicorn workers, replicas).',
    whyIsThisBad:
      'express-session\'s MemoryStore keeps sessions in the memory of one process. Every restart or deploy logs everyone out, each process of a pm2 cluster or each replica has its own sessions (a user is logged in on one request and not the next), and expired sessions are never removed, so memory grows until the process dies. express-session says so itself: it prints "MemoryStore is not designed for a production environment" when NODE_ENV is production.',
    example: {
      'app.js': `const express = require("express");
const session = require("express-session");

if (!process.env.SESSION_SECRET) throw new Error("SESSION_SECRET is not set");
const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
`,
      Procfile: 'web: node app.js\n',
    },
    useInstead: {
      'app.js': `const express = require("express");
const session = require("express-session");
const RedisStore = require("connect-redis").default;
const { createClient } = require("redis");

if (!process.env.SESSION_SECRET) throw new Error("SESSION_SECRET is not set");
const redis = createClient({ url: process.env.REDIS_URL });
redis.connect();
const app = express();
app.use(session({ store: new RedisStore({ client: redis }), secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
`,
      Procfile: 'web: node app.js\n',
    },
    fixSafety:
      'No automatic fix: choosing a store (Redis, a database, a signed-cookie session with cookie-session) is a deployment decision.',
    references: [
      'https://github.com/expressjs/session#compatible-session-stores',
      'https://github.com/expressjs/session#store',
      'https://github.com/Unitech/pm2/issues/286',
    ],
  },
  check(ctx) {
    checkDjangoLocalMemorySessions(ctx);
    if (expressModel(ctx.project).sessions.length === 0) return;
    const deploy = nodeDeployment(ctx.project);
    if (deploy.developmentOnly) return;
    const production =
      deploy.production ??
      (deploy.processes !== 1
        ? deploy.processesWhere
        : nodeProxyInFront(ctx.project)
          ? 'a proxy is in front'
          : undefined);
    if (!production) return;
    const several = deploy.processes === 'many' || deploy.processes > 1 ? ', each process has its own sessions' : '';
    for (const session of expressModel(ctx.project).sessions) {
      if (session.call.library !== 'express-session' || session.option('store') !== undefined) continue;
      ctx.report({
        path: session.file.path,
        span: session.call.span,
        message: `express-session keeps sessions in its MemoryStore: every restart logs everyone out${several}, and memory grows without bound (production: ${production}).`,
        related: deploy.related.slice(0, 3),
      });
    }
  },
};
