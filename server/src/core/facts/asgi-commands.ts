import { spliceAssignments, type SimpleCommand, type Word } from '../parse/shell-words';
import type { AsgiRun, Written } from './deploy-model';

/** uvicorn flags that take no value. */
const UVICORN_BOOLEANS = new Set([
  'reload',
  'proxy-headers',
  'no-proxy-headers',
  'access-log',
  'no-access-log',
  'use-colors',
  'no-use-colors',
  'factory',
  'server-header',
  'no-server-header',
  'date-header',
  'no-date-header',
  'h11-max-incomplete-event-size',
]);

/**
 * An ASGI server started by this command line: `uvicorn main:app --forwarded-allow-ips ...`,
 * `python -m uvicorn`, `fastapi run` (uvicorn inside). `env` holds the environment the command
 * runs with (`FORWARDED_ALLOW_IPS`, `UVICORN_FORWARDED_ALLOW_IPS` are uvicorn's own).
 */
export function asgiRunFromCommand(
  command: SimpleCommand,
  env: Record<string, Written> = {},
  service?: string,
  form: { array?: boolean; quote?: '"' | "'" } = {},
): AsgiRun | undefined {
  let words = command.words;
  const assignments: Word[] = [...command.assignments];
  while (words[0] && /^(exec|env|nohup|poetry|pipenv|uv|pdm|run)$/.test(words[0].text)) {
    words = words.slice(1);
    assignments.push(...spliceAssignments(words));
  }
  const program = words[0]?.text.split('/').pop() ?? '';
  let argsFrom = 1;
  let server: AsgiRun['server'] | undefined;
  if (program === 'uvicorn') server = 'uvicorn';
  else if (program === 'hypercorn') server = 'hypercorn';
  // `fastapi dev` is the development server (it reloads), never what a proxy fronts in production.
  else if (program === 'fastapi' && words[1]?.text === 'run') {
    server = 'fastapi';
    argsFrom = 2;
  } else if (
    /^python[\d.]*$/.test(program) &&
    words[1]?.text === '-m' &&
    (words[2]?.text === 'uvicorn' || words[2]?.text === 'hypercorn')
  ) {
    server = words[2].text as 'uvicorn' | 'hypercorn';
    argsFrom = 3;
  }
  if (!server) return undefined;
  const settings: Record<string, Written> = {};
  const args = words.slice(argsFrom);
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z][\w-]*)(?:=(.*))?$/.exec(args[i].text);
    if (!m) continue;
    const flag = m[1];
    if (m[2] !== undefined) settings[flag] = { value: m[2], span: args[i].span };
    else if (!UVICORN_BOOLEANS.has(flag) && args[i + 1])
      settings[flag] = { value: args[++i].text, span: { start: args[i - 1].span.start, end: args[i].span.end } };
    else settings[flag] = { value: 'true', span: args[i].span };
  }
  for (const a of assignments) {
    const [name, ...rest] = a.text.split('=');
    if (!settings['forwarded-allow-ips'] && (name === 'FORWARDED_ALLOW_IPS' || name === 'UVICORN_FORWARDED_ALLOW_IPS'))
      settings['forwarded-allow-ips'] = { value: rest.join('='), span: a.span };
  }
  // `--reload` is development: what it trusts is not a deployment's concern.
  if (settings.reload) return undefined;
  const fromEnv = env.UVICORN_FORWARDED_ALLOW_IPS ?? env.FORWARDED_ALLOW_IPS;
  if (server !== 'hypercorn' && !settings['forwarded-allow-ips'] && fromEnv) settings['forwarded-allow-ips'] = fromEnv;
  // hypercorn binds `--bind host:port` (`-b`), 127.0.0.1:8000 by default.
  const bind = server === 'hypercorn' ? (settings.bind ?? settings.b)?.value.split(':')[0] : undefined;
  const last = words[argsFrom - 1];
  return {
    server,
    settings,
    span: { start: words[0].span.start, end: last.span.end },
    insert: { style: 'flag', offset: last.span.end, ...form },
    host: bind ?? settings.host?.value.replace(/^['"]|['"]$/g, '') ?? (server === 'fastapi' ? '0.0.0.0' : '127.0.0.1'),
    service,
  };
}
