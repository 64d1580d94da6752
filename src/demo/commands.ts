/**
 * `pave demo`: generates the deterministic demo organisation as real catalog files, imports them,
 * and serves the result. Running it again with the same options changes nothing.
 */
import path from 'node:path';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../catalog/index.js';
import type { CommandSpec } from '../core/command.js';
import type { Domain } from '../core/domain.js';
import { InputError } from '../core/errors.js';
import { serveApp, serveOptions } from '../server/commands.js';
import {
  DEFAULT_DEMO_SEED,
  DEFAULT_DEMO_TEAMS,
  generateOrganisation,
  MAX_DEMO_TEAMS,
} from './organisation.js';
import { writeCatalogFiles } from './writeCatalog.js';

export const DEFAULT_DEMO_DIR = '.pave/demo';

function wholeNumber(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    throw new InputError(`--${name} must be a whole number from 1 to ${max}, not ${String(value)}`);
  }
  return number;
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
      const seed = wholeNumber(context.values.seed, 'seed', DEFAULT_DEMO_SEED, 2 ** 31);
      const teams = wholeNumber(context.values.teams, 'teams', DEFAULT_DEMO_TEAMS, MAX_DEMO_TEAMS);
      const outDir = path.resolve(
        context.cwd,
        typeof context.values.out === 'string' ? context.values.out : DEFAULT_DEMO_DIR,
      );
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

      const summary =
        `demo organisation (seed ${seed}, ${teams} teams): ${written.entities} entities in ${written.files.length} files under ` +
        `${path.relative(context.cwd, outDir) || '.'}; catalog ${report.added} added, ${report.updated} updated, ` +
        `${report.removed} removed, ${report.unchanged} unchanged`;
      const data = {
        seed,
        teams,
        outDir,
        files: written.files.length,
        entities: written.entities,
        catalog: report,
      };
      if (context.values['no-serve']) return { data, summary };
      if (!context.quiet) context.stderr.write(`${summary}\n`);
      return serveApp(context, store, domains, version);
    },
  };
}
