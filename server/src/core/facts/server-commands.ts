import { spliceAssignments, type SimpleCommand, type Word } from '../parse/shell-words';
import type { ServerRun, Written } from './deploy-model';

// Flags that take no value; every other flag takes one (`--flag=v` or `--flag v`).
const WAITRESS_BOOLEANS = new Set([
  'ipv4',
  'no-ipv4',
  'ipv6',
  'no-ipv6',
  'expose-tracebacks',
  'no-expose-tracebacks',
  'clear-untrusted-proxy-headers',
  'no-clear-untrusted-proxy-headers',
  'log-untrusted-proxy-headers',
  'no-log-untrusted-proxy-headers',
  'call',
  'help',
]);
const GUNICORN_VALUES = new Set([
  'w',
  'workers',
  'b',
  'bind',
  'forwarded-allow-ips',
  'c',
  'config',
  'k',
  'worker-class',
  'threads',
  'timeout',
  't',
  'proxy-allow-from',
  'log-level',
  'access-logfile',
  'error-logfile',
  'chdir',
  'name',
  'n',
  'user',
  'u',
  'group',
  'g',
  'pythonpath',
  'e',
  'env',
  'max-requests',
  'graceful-timeout',
  'keep-alive',
  'worker-connections',
  'backlog',
  'limit-request-line',
]);
/** uWSGI options that take no value (every other one takes one). */
const UWSGI_BOOLEANS = new Set([
  'master',
  'M',
  'enable-threads',
  'T',
  'die-on-term',
  'lazy-apps',
  'vacuum',
  'single-interpreter',
  'need-app',
  'strict',
  'harakiri-verbose',
  'no-orphans',
  'thunder-lock',
  'log-x-forwarded-for',
  'honour-stdin',
  'http-keepalive',
]);
const UWSGI_SHORT: Record<string, string> = { p: 'processes', w: 'module', s: 'socket', M: 'master' };
const GUNICORN_SHORT: Record<string, string> = {
  w: 'workers',
  b: 'bind',
  c: 'config',
  k: 'worker_class',
  t: 'timeout',
  e: 'env',
  n: 'name',
  u: 'user',
  g: 'group',
};
/** Wrappers that run the next words as the command. */
const WRAPPERS = [['exec'], ['poetry', 'run'], ['pipenv', 'run'], ['uv', 'run'], ['pdm', 'run'], ['nohup'], ['env']];

/** A server started by this command line (waitress-serve, gunicorn, `python -m waitress`), if any. */
export function serverRunFromCommand(
  command: SimpleCommand,
  service?: string,
  form: { array?: boolean; quote?: '"' | "'" } = {},
): ServerRun | undefined {
  let words = command.words;
  const env: Word[] = [...command.assignments];
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of WRAPPERS) {
      if (w.every((part, i) => words[i]?.text === part)) {
        words = words.slice(w.length);
        env.push(...spliceAssignments(words));
        changed = true;
      }
    }
  }
  const program = words[0]?.text.split('/').pop() ?? '';
  let server: ServerRun['server'] | undefined;
  let argsFrom = 1;
  if (program === 'waitress-serve') server = 'waitress';
  else if (program === 'gunicorn') server = 'gunicorn';
  else if (program === 'uwsgi') server = 'uwsgi';
  else if (
    /^python[\d.]*$/.test(program) &&
    words[1]?.text === '-m' &&
    (words[2]?.text === 'waitress' || words[2]?.text === 'gunicorn')
  ) {
    server = words[2].text as ServerRun['server'];
    argsFrom = 3;
  }
  if (!server) return undefined;
  const settings: Record<string, Written> = {};
  const args = words.slice(argsFrom);
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(w.text);
    if (!m) continue;
    const flag = m[1];
    const takesValue =
      server === 'waitress'
        ? !WAITRESS_BOOLEANS.has(flag)
        : server === 'uwsgi'
          ? !UWSGI_BOOLEANS.has(flag)
          : GUNICORN_VALUES.has(flag);
    let value: Written;
    if (m[2] !== undefined) value = { value: m[2], span: w.span };
    else if (takesValue && args[i + 1])
      value = { value: args[++i].text, span: { start: w.span.start, end: args[i].span.end } };
    else value = { value: 'true', span: w.span };
    const short = server === 'gunicorn' ? GUNICORN_SHORT[flag] : server === 'uwsgi' ? UWSGI_SHORT[flag] : undefined;
    const name = short ?? flag.replace(/^no-/, '').replace(/-/g, '_');
    settings[name] = flag.startsWith('no-') ? { ...value, value: 'false' } : value;
  }
  for (const a of env) {
    const [name, ...rest] = a.text.split('=');
    if (server === 'gunicorn' && name === 'FORWARDED_ALLOW_IPS' && !settings.forwarded_allow_ips)
      settings.forwarded_allow_ips = { value: rest.join('='), span: a.span };
  }
  const listen = addressOf(server, settings);
  return {
    server,
    via: 'command',
    settings,
    span: { start: words[0].span.start, end: words[argsFrom - 1].span.end },
    insert: { style: 'flag', offset: words[argsFrom - 1].span.end, ...form },
    ...listen,
    service,
  };
}

/** A port written as a number, or as the default of an environment read (`int(os.environ.get("PORT", "8080"))`). */
function portIn(text: string): number | undefined {
  const numbers = text.match(/\b\d{2,5}\b/g);
  return numbers ? Number(numbers[numbers.length - 1]) : undefined;
}

/** Host and port a server binds, from its settings and the servers' defaults. */
export function addressOf(
  server: ServerRun['server'],
  settings: Record<string, Written>,
): { host?: string; port?: number } {
  const parse = (hostPort: string) => {
    const m = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(hostPort.trim());
    return m ? { host: m[1] || undefined, port: Number(m[2]) } : {};
  };
  if (server === 'waitress') {
    const listen = settings.listen?.value.split(/\s+/)[0];
    if (listen) return parse(listen);
    // A host written as an expression that could not be resolved is unknown (undefined), so it
    // is never taken for a loopback address.
    const host = settings.host
      ? settings.host.unresolved
        ? undefined
        : settings.host.value.replace(/^['"]|['"]$/g, '')
      : '0.0.0.0';
    return { host, port: settings.port ? portIn(settings.port.value) : 8080 };
  }
  if (server === 'uwsgi') {
    // Only an HTTP listener (`http`, `http-socket`, `https`) is one a browser can reach; a
    // `socket` speaks the uwsgi protocol to nginx's `uwsgi_pass`.
    const http = settings.http_socket ?? settings.http ?? settings.https;
    const first = http?.value.split(/[\s,]+/)[0];
    return first && !first.startsWith('/') && !first.startsWith('unix:') ? parse(first) : {};
  }
  const bind = settings.bind?.value.replace(/^['"]|['"]$/g, '');
  if (bind?.startsWith('unix:')) return {};
  if (bind) return parse(bind);
  return { host: '127.0.0.1', port: 8000 };
}
