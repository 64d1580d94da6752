/**
 * `pave demo`: generates the deterministic demo organisation as real catalog files, imports them,
 * and serves the result. Running it again with the same options changes nothing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../catalog/index.js';
import type { CommandContext, CommandResult, CommandSpec } from '../core/command.js';
import type { Domain } from '../core/domain.js';
import { InputError, PaveError } from '../core/errors.js';
import { listen, serveApp, serveOptions, startingResponse } from '../server/commands.js';
import { demoParts } from './demoParts.js';
import {
  DEFAULT_DEMO_SEED,
  DEFAULT_DEMO_TEAMS,
  generateOrganisation,
  MAX_DEMO_TEAMS,
} from './organisation.js';
import { writeCatalogFiles } from './writeCatalog.js';

export const DEFAULT_DEMO_DIR = '.pave/demo';

function wholeNumber(value: unknown, name: string, fallback: number, max: number, min = 1): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new InputError(`--${name} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
  return number;
}

/** Midnight UTC of the given day, or of today. */
function demoDay(value: unknown): Date {
  if (value === undefined) {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  const day =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T00:00:00Z`)
      : undefined;
  if (!day || Number.isNaN(day.getTime()))
    throw new InputError(`--as-of must be a date like 2026-01-31, not ${String(value)}`);
  return day;
}

/** `pave demo`, given the domains `serve` mounts afterwards. */
export function demoCommand(domains: readonly Domain[], version: string): CommandSpec {
  return {
    name: 'demo',
    summary: 'generate the demo organisation, import it and serve it',
    positionals: { max: 0 },
    formats: ['table', 'json'],
    options: {
      seed: { type: 'string', description: `random seed (default ${DEFAULT_DEMO_SEED})`, valueName: 'n' },
      'as-of': {
        type: 'string',
        description: 'last day of the generated history, YYYY-MM-DD (default today, UTC)',
        valueName: 'date',
      },
      teams: {
        type: 'string',
        description: `number of teams (default ${DEFAULT_DEMO_TEAMS})`,
        valueName: 'n',
      },
      out: {
        type: 'string',
        description: `folder for the catalog files (default ${DEFAULT_DEMO_DIR})`,
        valueName: 'dir',
      },
      'no-serve': { type: 'boolean', description: 'generate and import, then exit' },
      ...serveOptions,
    },
    async run(context) {
      const options: DemoOptions = {
        seed: wholeNumber(context.values.seed, 'seed', DEFAULT_DEMO_SEED, 2 ** 31, 0),
        asOf: demoDay(context.values['as-of']),
        teams: wholeNumber(context.values.teams, 'teams', DEFAULT_DEMO_TEAMS, MAX_DEMO_TEAMS),
        outDir: path.resolve(
          context.cwd,
          typeof context.values.out === 'string' ? context.values.out : DEFAULT_DEMO_DIR,
        ),
      };
      if (context.values['no-serve']) return generateDemo(context, options);
      // Take the port first (a busy one fails before any work), then generate in a child process:
      // generation holds a lot in memory that the server, a long-lived process, must not keep.
      const listener = await listen(context, startingResponse('generating the demo organisation'));
      try {
        const code = await generateInChildProcess(context, options);
        if (code === 'interrupted') {
          await listener.close();
          return { exitCode: 130 };
        }
        return await serveApp(context, await context.openStore(), domains, version, listener);
      } catch (error) {
        await listener.close();
        throw error;
      }
    },
  };
}

interface DemoOptions {
  seed: number;
  asOf: Date;
  teams: number;
  outDir: string;
}

/** Generates the demo organisation into the store: catalog files, the catalog, and every part. */
async function generateDemo(context: CommandContext, options: DemoOptions): Promise<CommandResult> {
  const { seed, asOf, teams, outDir } = options;
  const { progress } = context;
  progress.start('generating the demo organisation');
  const organisation = generateOrganisation({ seed, teams });
  const written = await writeCatalogFiles(organisation, outDir);
  progress.done();

  const read = readCatalogFiles([written.root], { cwd: context.cwd, progress });
  const store = await context.openStore();
  progress.start('importing the catalog');
  const report = await importCatalog(store, read, { rootKey: fileLocationKey(written.root) });
  progress.done();

  const parts: string[] = [];
  for (const part of demoParts) {
    progress.start(`generating ${part.name}`);
    parts.push(await part.run({ store, organisation, seed, asOf, progress }));
    progress.done();
  }

  const summary =
    `demo organisation (seed ${seed}, ${teams} teams): ${written.entities} entities in ${written.files.length} files under ` +
    `${path.relative(context.cwd, outDir) || '.'}; catalog ${report.added} added, ${report.updated} updated, ` +
    `${report.removed} removed, ${report.unchanged} unchanged${parts.length > 0 ? `; ${parts.join('; ')}` : ''}`;
  const data = {
    seed,
    teams,
    outDir,
    files: written.files.length,
    entities: written.entities,
    catalog: report,
  };
  return { data, text: '', summary };
}

/** The database the command would open, as the child process must be told it. */
function databaseOf(context: CommandContext): string {
  const db = context.config.db;
  return /^[a-z]+:\/\//i.test(db) || db === ':memory:' ? db : path.resolve(context.cwd, db);
}

/**
 * Runs `pave demo --no-serve` with the same options in a child process, its progress and summary
 * going to this one's stderr. Resolves with 'interrupted' if the user stopped it.
 */
function generateInChildProcess(
  context: CommandContext,
  options: DemoOptions,
): Promise<'done' | 'interrupted'> {
  const bin = fileURLToPath(new URL('../../bin/pave.js', import.meta.url));
  const args = [
    bin,
    'demo',
    '--no-serve',
    ...['--seed', String(options.seed), '--teams', String(options.teams), '--out', options.outDir],
    ...['--as-of', options.asOf.toISOString().slice(0, 10)],
  ];
  if (typeof context.values.config === 'string') {
    args.push('--config', path.resolve(context.cwd, context.values.config));
  }
  if (context.quiet) args.push('--quiet');
  const inherit = context.stderr === process.stderr;
  // The database goes by environment, not argument, so a password in its URL stays out of `ps`.
  const child = spawn(process.execPath, args, {
    cwd: context.cwd,
    env: { ...context.env, PAVE_DB: databaseOf(context) },
    stdio: ['ignore', 'ignore', inherit ? 'inherit' : 'pipe'],
  });
  if (!inherit) child.stderr?.pipe(context.stderr, { end: false });
  let interrupted = false;
  void context.interrupted.then(() => {
    interrupted = true;
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (interrupted) resolve('interrupted');
      else if (code === 0) resolve('done');
      else {
        reject(
          new PaveError(`generating the demo organisation failed (${signal ?? `exit ${code}`})`, {
            exitCode: code ?? 1,
          }),
        );
      }
    });
  });
}
