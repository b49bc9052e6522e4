import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { checkNesting } from '../parse/nesting';
import { parseDockerfile } from '../parse/dockerfile';
import { parseIni } from '../parse/ini';
import { splitCommands, type SimpleCommand } from '../parse/shell-words';
import { isSecretName, PLATFORM_PORT, type DeployFacts, type Written } from './deploy-model';
import { addressOf, serverRunFromCommand } from './server-commands';
import { nodeRunFromCommand } from './node-commands';
import { asgiRunFromCommand } from './asgi-commands';

/** The servers, ASGI servers and Node apps a list of command lines starts. */
export function addServers(
  facts: DeployFacts,
  commands: SimpleCommand[],
  env: Record<string, Written> = {},
  array = false,
): void {
  if (env.NODE_ENV && /^prod/i.test(env.NODE_ENV.value)) facts.nodeProduction ??= env.NODE_ENV.span;
  if (env.DJANGO_SETTINGS_MODULE && /^[\w.]+$/.test(env.DJANGO_SETTINGS_MODULE.value))
    facts.djangoSettingsModules.push(env.DJANGO_SETTINGS_MODULE.value);
  for (const cmd of commands) {
    const launch = pythonLaunch(cmd);
    if (launch) facts.pythonLaunches.push(launch);
    const node = nodeRunFromCommand(cmd, env.NODE_ENV ? { NODE_ENV: env.NODE_ENV.value } : {});
    if (node) facts.nodeRuns.push(node);
    const asgi = asgiRunFromCommand(cmd, env, undefined, { array });
    if (asgi) facts.asgiRuns.push(asgi);
    const run = serverRunFromCommand(cmd, undefined, { array });
    if (!run) continue;
    if (run.server === 'gunicorn' && env.FORWARDED_ALLOW_IPS && !run.settings.forwarded_allow_ips)
      run.settings.forwarded_allow_ips = env.FORWARDED_ALLOW_IPS;
    facts.servers.push(run);
  }
}

/** `python main.py`, `python3 -u app/server.py`, `python -m app.main` (not `-m uvicorn` and the like). */
function pythonLaunch(cmd: SimpleCommand): { script?: string; module?: string } | undefined {
  const words = cmd.words.map((w) => w.text);
  const at = words.findIndex((w) => /(^|\/)python[\d.]*$/.test(w));
  if (at < 0) return undefined;
  const args = words.slice(at + 1).filter((w) => !/^-[uBOS]+$/.test(w));
  if (args[0] === '-m')
    return args[1] && !/^(uvicorn|gunicorn|waitress|flask|hypercorn)$/.test(args[1]) ? { module: args[1] } : undefined;
  return args[0]?.endsWith('.py') ? { script: args[0] } : undefined;
}

/** `web: waitress-serve --port=$PORT app:app` */
export function extractProcfileFacts(text: string, facts: DeployFacts): void {
  // A process type is one process: where a name repeats, readers keep its last line (a map of
  // names) or refuse the file (honcho), so only the last is read; a thousand `web:` lines are one.
  const lines = new Map<string, RegExpMatchArray>();
  for (const m of text.matchAll(/^([\w-]+):[ \t]*(.*)$/gm)) {
    lines.delete(m[1]);
    lines.set(m[1], m);
  }
  for (const m of lines.values()) {
    if (m.index === undefined) continue;
    const before = facts.servers.length;
    const nodeBefore = facts.nodeRuns?.length ?? 0;
    const launchBefore = facts.pythonLaunches.length;
    addServers(facts, splitCommands(m[2], m.index + m[0].length - m[2].length));
    // Only the `web` process receives the router's traffic, on the port the platform assigns:
    // named on the command line, or read by gunicorn itself when nothing binds it (its default
    // bind is 0.0.0.0:$PORT when PORT is set, as on Heroku).
    if (m[1] === 'web')
      for (const run of facts.servers.slice(before))
        if (PLATFORM_PORT.test(m[2]) || (run.server === 'gunicorn' && run.settings.bind === undefined))
          run.platformRouted = true;
    // A Node app reads $PORT itself (`process.env.PORT`): its web process is the routed one.
    if (m[1] === 'web') for (const run of facts.nodeRuns?.slice(nodeBefore) ?? []) run.platformRouted = true;
    if (m[1] === 'web') for (const launch of facts.pythonLaunches.slice(launchBefore)) launch.platformRouted = true;
  }
}

/** Shell scripts that start the app. */
export function extractShellFacts(text: string, facts: DeployFacts): void {
  addServers(facts, splitCommands(text));
}

/** `CMD`/`ENTRYPOINT` (exec and shell form), `ENV` and `ARG` with literal secrets. */
export function extractDockerfileFacts(text: string, facts: DeployFacts): void {
  const env: Record<string, Written> = {};
  const commands: SimpleCommand[] = [];
  const execForm: SimpleCommand[] = [];
  for (const inst of parseDockerfile(text)) {
    if (inst.keyword === 'ENV' || inst.keyword === 'ARG') {
      for (const a of dockerAssignments(inst.args, inst.argsStart)) {
        env[a.name] = { value: a.value, span: a.valueSpan };
        if (isSecretName(a.name) && a.value !== '' && !/^\$\{?[A-Za-z_]/.test(a.value)) {
          facts.secrets.push({ name: a.name, nameSpan: a.nameSpan, valueSpan: a.valueSpan, holder: inst.keyword });
        }
      }
    } else if (inst.keyword === 'CMD' || inst.keyword === 'ENTRYPOINT') {
      const trimmed = inst.args.trimStart();
      const lead = inst.args.length - trimmed.length;
      if (isExecForm(trimmed)) {
        const array = parseTree(trimmed);
        const words = (array?.children ?? [])
          .filter((n: JsonNode) => typeof n.value === 'string')
          .map((n: JsonNode) => ({
            text: n.value as string,
            span: { start: inst.argsStart + lead + n.offset + 1, end: inst.argsStart + lead + n.offset + n.length - 1 },
          }));
        if (words.length === 3 && /(^|\/)(ba)?sh$/.test(words[0].text) && words[1].text === '-c')
          commands.push(...splitCommands(words[2].text, words[2].span.start));
        else if (words.length > 0)
          execForm.push({
            assignments: [],
            words,
            span: { start: words[0].span.start, end: words[words.length - 1].span.end },
          });
      } else commands.push(...splitCommands(inst.args, inst.argsStart));
    }
  }
  addServers(facts, commands, env);
  addServers(facts, execForm, env, true);
}

/**
 * Docker reads `CMD [...]` as the exec form only when it is a JSON array of strings; anything
 * else (`CMD ['gunicorn', 'app:app']`, a stray quote) runs through `/bin/sh -c` as written.
 * The native JSON parser decides that in linear time, before the positional parse.
 */
function isExecForm(args: string): boolean {
  if (!args.startsWith('[')) return false;
  checkNesting(args);
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((w) => typeof w === 'string');
  } catch {
    return false;
  }
}

/** `ENV KEY=value KEY2="v 2"` or the legacy `ENV KEY value`. */
function dockerAssignments(args: string, offset: number) {
  const command = splitCommands(args, offset)[0];
  const all = command ? [...command.assignments, ...command.words] : [];
  const out: {
    name: string;
    nameSpan: { start: number; end: number };
    value: string;
    valueSpan: { start: number; end: number };
  }[] = [];
  if (all.length >= 2 && !all[0].text.includes('=')) {
    const value = args.slice(all[1].span.start - offset).trim();
    out.push({
      name: all[0].text,
      nameSpan: all[0].span,
      value,
      valueSpan: { start: all[1].span.start, end: offset + args.trimEnd().length },
    });
    return out;
  }
  for (const w of all) {
    const eq = w.text.indexOf('=');
    if (eq <= 0) continue;
    const nameSpan = { start: w.span.start, end: w.span.start + eq };
    out.push({
      name: w.text.slice(0, eq),
      nameSpan,
      value: w.text.slice(eq + 1),
      valueSpan: { start: nameSpan.end + 1, end: w.span.end },
    });
  }
  return out;
}

/** systemd unit: `ExecStart=` command lines and `Environment=` secrets. */
export function extractSystemdFacts(text: string, facts: DeployFacts): void {
  const env: Record<string, Written> = {};
  const commands: SimpleCommand[] = [];
  for (const section of parseIni(text)) {
    if (section.name !== 'Service') continue;
    for (const e of section.entries) {
      if (e.key === 'Environment') {
        const command = splitCommands(e.value, e.valueSpan.start)[0];
        for (const w of command ? [...command.assignments, ...command.words] : []) {
          const eq = w.text.indexOf('=');
          if (eq <= 0) continue;
          const name = w.text.slice(0, eq);
          const value = w.text.slice(eq + 1);
          const quoted = text[w.span.start] === '"' || text[w.span.start] === "'" ? 1 : 0;
          const nameSpan = { start: w.span.start + quoted, end: w.span.start + quoted + eq };
          const valueSpan = { start: nameSpan.end + 1, end: w.span.end - quoted };
          env[name] = { value, span: valueSpan };
          if (isSecretName(name) && value !== '')
            facts.secrets.push({ name, nameSpan, valueSpan, holder: 'Environment=' });
        }
      } else if (e.key === 'ExecStart') {
        const prefix = /^[-@+!:]*/.exec(e.value)?.[0].length ?? 0;
        commands.push(...splitCommands(e.value.slice(prefix), e.valueSpan.start + prefix));
      }
    }
  }
  addServers(facts, commands, env);
}

/**
 * supervisor program files (`[program:web]` with `command=gunicorn -w 4 app:app`), often
 * named `*.conf` beside nginx's: each program's command is a server command line, and its
 * `environment=KEY="value",...` a place literal secrets hide.
 */
export function extractSupervisorFacts(text: string, facts: DeployFacts): void {
  for (const section of parseIni(text)) {
    if (!section.name.startsWith('program:')) continue;
    const env: Record<string, Written> = {};
    for (const e of section.entries) {
      if (e.key !== 'environment') continue;
      // KEY="value",KEY2=value2: split on commas outside quotes, as supervisor does.
      let start = 0;
      let quote = '';
      for (let i = 0; i <= e.value.length; i++) {
        const c = e.value[i];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === ',' || i === e.value.length) {
          const item = e.value.slice(start, i);
          const eq = item.indexOf('=');
          if (eq > 0) {
            const lead = item.length - item.trimStart().length;
            const name = item.slice(lead, eq).trim();
            const raw = item.slice(eq + 1);
            const quoted = /^["']/.test(raw) ? 1 : 0;
            const value = raw.slice(quoted, raw.length - (quoted && raw.length > 1 && raw.endsWith(raw[0]) ? 1 : 0));
            const nameStart = e.valueSpan.start + start + lead;
            const valueStart = e.valueSpan.start + start + eq + 1 + quoted;
            env[name] = { value, span: { start: valueStart, end: valueStart + value.length } };
            if (isSecretName(name) && value !== '' && !value.startsWith('%(ENV_')) {
              facts.secrets.push({
                name,
                nameSpan: { start: nameStart, end: nameStart + name.length },
                valueSpan: { start: valueStart, end: valueStart + value.length },
                holder: `environment= of [${section.name}]`,
              });
            }
          }
          start = i + 1;
        }
      }
    }
    const commands: SimpleCommand[] = [];
    for (const e of section.entries)
      if (e.key === 'command') commands.push(...splitCommands(e.value, e.valueSpan.start));
    addServers(facts, commands, env);
  }
}

/**
 * PasteDeploy: `[server:main]` with `use = egg:waitress#main` (or gunicorn's); and uWSGI's
 * `[uwsgi]` section, which the same `.ini` syntax holds (`uwsgi.ini`, `app.ini`).
 */
export function extractPasteFacts(text: string, facts: DeployFacts): void {
  for (const section of parseIni(text)) {
    if (section.name === 'uwsgi') {
      const settings: Record<string, Written> = {};
      // The value's own span: a fix rewrites the address, not the option's name.
      for (const e of section.entries) settings[e.key.replace(/-/g, '_')] = { value: e.value, span: e.valueSpan };
      facts.servers.push({
        server: 'uwsgi',
        via: 'ini',
        settings,
        span: section.nameSpan,
        insert: { style: 'ini', offset: section.end },
        ...addressOf('uwsgi', settings),
      });
      continue;
    }
    if (!/^server(:|$)/.test(section.name)) continue;
    const use = section.entries.find((e) => e.key === 'use')?.value ?? '';
    const server = /egg:waitress/.test(use) ? 'waitress' : /egg:gunicorn/.test(use) ? 'gunicorn' : undefined;
    if (!server) continue;
    const settings: Record<string, Written> = {};
    for (const e of section.entries) settings[e.key.replace(/-/g, '_')] = { value: e.value, span: e.span };
    facts.servers.push({
      server,
      via: 'paste',
      settings,
      span: section.nameSpan,
      insert: { style: 'ini', offset: section.end },
      ...addressOf(server, settings),
    });
  }
}
