/**
 * `pave demo`: generates the deterministic demo organisation as real catalog files, imports them,
 * and serves the result. Running it again with the same options changes nothing.
 */
import path from 'node:path';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../catalog/index.js';
import type { CommandSpec } from '../core/command.js';
import type { Domain } from '../core/domain.js';
import { InputError } from '../core/errors.js';
import { listenAddress, serveApp, serveOptions } from '../server/commands.js';
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
      const seed = wholeNumber(context.values.seed, 'seed', DEFAULT_DEMO_SEED, 2 ** 31, 0);
      const asOf = demoDay(context.values['as-of']);
      const teams = wholeNumber(context.values.teams, 'teams', DEFAULT_DEMO_TEAMS, MAX_DEMO_TEAMS);
      const outDir = path.resolve(
        context.cwd,
        typeof context.values.out === 'string' ? context.values.out : DEFAULT_DEMO_DIR,
      );
      const { progress } = context;
      if (!context.values['no-serve']) listenAddress(context); // a bad --port fails before any work

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
      if (context.values['no-serve']) return { data, text: '', summary };
      if (!context.quiet) context.stderr.write(`${summary}\n`);
      return serveApp(context, store, domains, version);
    },
  };
}
