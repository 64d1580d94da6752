/**
 * The `pave` command line: finds the command named by the leading words, parses its flags, gives
 * it a context (config, a lazily opened store, progress) and renders what it returns.
 * Exit codes: 0 ok, 1 findings or failures, 2 usage or input error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { CommandContext, CommandSpec, OptionSpec, OutputFormat } from '../core/command.js';
import { loadConfig } from '../core/config.js';
import { formatProblem, PaveError, type Problem } from '../core/errors.js';
import { plural } from '../core/plural.js';
import { createProgress } from '../core/progress.js';
import { PAVE_VERSION } from '../core/version.js';
import type { Migration } from '../store/migrations.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { renderResult } from './render.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts; the real CLI wires SIGINT and SIGTERM to it. */
  interrupted: Promise<void>;
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  db: {
    type: 'string',
    description: 'database: a .duckdb file (default .pave/pave.duckdb) or postgres:// URL',
    valueName: 'db',
  },
  config: { type: 'string', description: 'config file (default ./pave.yaml if present)', valueName: 'file' },
  format: { type: 'string', short: 'o', description: 'output format: table, json or csv', valueName: 'fmt' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress or summary lines' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

class UsageError extends PaveError {
  constructor(message: string) {
    super(message, { exitCode: 2, status: 400, code: 'usage' });
  }
}

/** Runs `pave` with `argv` (without the node and script paths) and returns the exit code. */
export async function runCli(
  written: readonly string[],
  io: CliIO,
  program: {
    commands: readonly CommandSpec[];
    migrations: readonly Migration[];
    /** The domains' `pave.yaml` sections, checked whenever the configuration is loaded. */
    configSections?: Record<string, z.ZodType>;
  },
): Promise<number> {
  const { commands } = program;
  const argv = globalOptionsLast(written);
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
    io.stdout.write(`${PAVE_VERSION}\n`);
    return 0;
  }
  const command = findCommand(argv, commands);
  if (!command) {
    // The command words: not flags, nor the values of global options (`pave --db x`).
    const words = argv.filter((word, i) => {
      const previous = argv[i - 1];
      const takesValue = Object.entries(GLOBAL_OPTIONS).some(
        ([name, option]) =>
          option.type === 'string' &&
          (previous === `--${name}` || (option.short !== undefined && previous === `-${option.short}`)),
      );
      return !word.startsWith('-') && !takesValue;
    });
    // `pave` alone is a usage error (exit 2, usage on stderr); `pave --help` and `pave help` are not.
    const asksHelp = argv.includes('--help') || argv.includes('-h') || words[0] === 'help';
    io[asksHelp ? 'stdout' : 'stderr'].write(generalHelp(commands, asksHelp ? [] : words));
    return asksHelp ? 0 : 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  let store: Store | undefined;
  try {
    const options = commandOptions(command);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: Object.fromEntries(
          Object.entries(options).map(([name, option]) => [
            name,
            {
              type: option.type,
              ...(option.short ? { short: option.short } : {}),
              ...(option.multiple ? { multiple: true } : {}),
              ...(option.default !== undefined ? { default: option.default } : {}),
            },
          ]),
        ) as never,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(parseArgsMessage(error as Error & { code?: string }, command));
    }
    const values = parsed.values as CommandContext['values'];
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const positionals = parsed.positionals;
    const { min = 0, max = Number.POSITIVE_INFINITY } = command.positionals ?? {};
    if (positionals.length < min || positionals.length > max) {
      const expected =
        min === max
          ? plural(min, 'argument')
          : max === Number.POSITIVE_INFINITY
            ? `at least ${plural(min, 'argument')}`
            : `${min} to ${max} arguments`;
      const usage = command.usage ? ` (${command.usage})` : '';
      throw new UsageError(
        `pave ${command.name} takes ${expected.replace(/^0 arguments/, 'no arguments')}${usage}, got ${positionals.length}; see pave ${command.name} --help`,
      );
    }
    const format = (values.format ?? 'table') as OutputFormat;
    const formats = command.formats ?? ['table', 'json', 'csv'];
    if (!['table', 'json', 'csv'].includes(format)) {
      throw new UsageError(`--format must be table, json or csv, not ${format}`);
    }
    if (!formats.includes(format)) {
      throw new UsageError(
        formats.length === 1 && command.output
          ? `pave ${command.name} writes ${command.output}; --format ${format} does not apply`
          : `--format must be one of ${formats.join(', ')} for pave ${command.name}`,
      );
    }
    const config = loadConfig({
      cwd: io.cwd,
      env: io.env,
      // Relative to the working folder the CLI was given, which in-process runs set apart from process.cwd().
      ...(typeof values.config === 'string' ? { file: path.resolve(io.cwd, values.config) } : {}),
      overrides: typeof values.db === 'string' ? { db: values.db } : {},
      overrideNames: { db: '--db' },
      ...(program.configSections ? { sections: program.configSections } : {}),
    });
    const quiet = Boolean(values.quiet);
    const context: CommandContext = {
      values,
      positionals,
      config,
      format,
      quiet,
      cwd: io.cwd,
      env: io.env,
      stdin: io.stdin,
      stderr: io.stderr,
      progress: createProgress(io.stderr, { quiet }),
      interrupted: io.interrupted,
      async openStore() {
        store ??= await openStore(resolveDb(config.db, io.cwd), { migrations: program.migrations });
        return store;
      },
    };
    const result = await command.run(context);
    io.stdout.write(renderResult(result, format));
    // In JSON the problems are part of the data; elsewhere they go to stderr, one per line.
    if (format !== 'json' || result.data === undefined) {
      for (const problem of result.problems ?? []) io.stderr.write(`${formatProblem(problem)}\n`);
    }
    if (result.summary && format === 'table' && !quiet) io.stderr.write(`${result.summary}\n`);
    const failed = (result.problems ?? []).some((problem) => problem.severity === 'error');
    return result.exitCode ?? (failed ? 1 : 0);
  } catch (error) {
    if (error instanceof PaveError) {
      io.stderr.write(errorText(error));
      return error.exitCode;
    }
    io.stderr.write(
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    await store?.close();
  }
}

/**
 * An error as stderr shows it: each problem once, located; the error's own message only when it
 * says more than its problems (`nothing was imported`), not when it restates them. Problems located
 * only by a pointer into an API request's parameters are left to the message, which names them.
 */
function errorText(error: PaveError): string {
  const forRequest = (problem: Problem) =>
    problem.location?.file === undefined && problem.location?.pointer !== undefined;
  if (error.problems.every(forRequest)) return `error: ${error.message}\n`;
  const lines = error.problems.map(formatProblem);
  const restates = (problem: Problem) => error.message.includes(problem.message);
  if (!error.problems.some(restates)) lines.push(`error: ${error.message}`);
  return `${lines.join('\n')}\n`;
}

/** Node's parseArgs errors in Pave's words, pointing at the command's help. */
function parseArgsMessage(error: Error & { code?: string }, command: CommandSpec): string {
  const see = `see pave ${command.name} --help`;
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    return `unknown option ${unknown[1]} for pave ${command.name}; ${see}`;
  }
  const option = /Option '(?:-\w, )?(--[\w-]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/argument missing/.test(error.message)) return `option ${option} needs a value; ${see}`;
    if (/ambiguous/.test(error.message)) {
      return `option ${option} needs a value (one starting with - is written ${option}=-value); ${see}`;
    }
    return `option ${option} takes no value; ${see}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `pave ${command.name} takes no arguments; ${see}`;
  }
  return `${error.message.split('\n')[0]}; ${see}`;
}

/** A DuckDB path relative to the working folder; URLs and `:memory:` as they are. */
function resolveDb(db: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(db) || db === ':memory:') return db;
  return db.startsWith('/') ? db : `${cwd}/${db}`;
}

/**
 * Moves global options written before the command (`pave --db x catalog list`) after it, where the
 * command's parser reads them.
 */
function globalOptionsLast(argv: readonly string[]): readonly string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--help' && argv[i] !== '-h') {
    const word = argv[i]!;
    const name = word.startsWith('--') ? word.slice(2).split('=')[0]! : undefined;
    const option = name
      ? GLOBAL_OPTIONS[name]
      : Object.values(GLOBAL_OPTIONS).find((candidate) => `-${candidate.short}` === word);
    if (!option) break;
    const takesValue = option.type === 'string' && !word.includes('=');
    leading.push(...argv.slice(i, i + (takesValue ? 2 : 1)));
    i += takesValue ? 2 : 1;
  }
  if (leading.length === 0) return argv;
  const rest = argv.slice(i);
  const words = rest.findIndex((word) => word.startsWith('-'));
  const end = words === -1 ? rest.length : words;
  return [...rest.slice(0, end), ...leading, ...rest.slice(end)];
}

/** The command whose name is the longest run of leading words. */
function findCommand(argv: readonly string[], commands: readonly CommandSpec[]): CommandSpec | undefined {
  let best: CommandSpec | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word) && (!best || words.length > best.name.split(' ').length)) {
      best = command;
    }
  }
  return best;
}

function generalHelp(commands: readonly CommandSpec[], words: string[]): string {
  const prefix = words.join(' ');
  const matching = commands.filter((command) => command.name.startsWith(prefix));
  const shown = matching.length > 0 ? matching : commands;
  const width = Math.max(...shown.map((command) => command.name.length));
  const lines = [
    ...(words.length > 0 && matching.length === 0 ? [`pave: unknown command "${prefix}"`, ''] : []),
    'Usage: pave <noun> <verb> [options]',
    '',
    'Commands:',
    ...shown.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Every command takes --db, --config, --format table|json|csv, --quiet and --help.',
    'Exit codes: 0 ok, 1 findings or failures, 2 usage or input error.',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * A command's options and the global ones. A command's own long name replaces a global one; the
 * global short letters (`-q` quiet, `-o` format, `-h` help) mean the same in every command, so a
 * command's option that claims one keeps only its long name.
 */
function commandOptions(command: CommandSpec): Record<string, OptionSpec> {
  const globalShorts = new Set(Object.values(GLOBAL_OPTIONS).map((option) => option.short));
  const own = Object.entries(command.options ?? {}).map(([name, option]): [string, OptionSpec] => {
    if (!option.short || !globalShorts.has(option.short)) return [name, option];
    const { short: _, ...rest } = option;
    return [name, rest];
  });
  const globals = Object.entries(GLOBAL_OPTIONS).filter(([name]) => !(name in (command.options ?? {})));
  return Object.fromEntries([...own, ...globals]);
}

function commandHelp(command: CommandSpec): string {
  const options = commandOptions(command);
  const flags = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ` <${option.valueName ?? 'value'}>` : ''}`;
    return [
      flag,
      option.description + (option.default !== undefined ? ` (default ${option.default})` : ''),
    ] as const;
  });
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return `${[
    `Usage: pave ${command.name}${command.usage ? ` ${command.usage}` : ''} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...flags.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
  ].join('\n')}\n`;
}
