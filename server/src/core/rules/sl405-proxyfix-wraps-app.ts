import { deployment } from '../deployment';
import type { Rule } from './rule';

export const rule: Rule = {
  id: 'SL405',
  name: 'proxyfix-wraps-app',
  summary: '`app = ProxyFix(app)` replaces the Flask app instead of its WSGI callable',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Flags `app = ProxyFix(app, ...)`, which rebinds the name of the Flask app to the middleware, instead of `app.wsgi_app = ProxyFix(app.wsgi_app, ...)`.',
    whyIsThisBad:
      "After `app = ProxyFix(app)` the name `app` is no longer the Flask application: `app.config`, `app.route`, `flask run`, test clients and extensions that import `app` get the middleware or fail. Werkzeug's documentation wraps `app.wsgi_app`, which applies the same middleware to every request and keeps `app` the Flask object.",
    example:
      'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp = ProxyFix(app, x_for=1, x_proto=1)\n',
    useInstead:
      'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n',
    fixSafety:
      'Safe: a WSGI server calling the app still goes through ProxyFix (Flask calls `wsgi_app`), and `app` stays the Flask object.',
    references: [
      'https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/',
      'https://flask.palletsprojects.com/en/stable/deploying/proxy_fix/',
    ],
  },
  check(ctx) {
    for (const { file, use } of deployment(ctx.project).proxyFixes) {
      const target = use.target;
      if (!target || target.value !== use.wrapped.value || use.wrapped.value.endsWith('.wsgi_app')) continue;
      const name = use.wrapped.value;
      ctx.report({
        path: file.path,
        span: use.span,
        message: `${name} = ProxyFix(${name}) replaces the Flask app with the middleware: wrap ${name}.wsgi_app instead.`,
        fixes: () => [
          {
            title: `Wrap ${name}.wsgi_app instead`,
            safety: 'safe',
            changes: [
              {
                path: file.path,
                edits: [
                  { ...target.span, newText: `${name}.wsgi_app` },
                  { ...use.wrapped.span, newText: `${name}.wsgi_app` },
                ],
              },
            ],
          },
        ],
      });
    }
  },
};
