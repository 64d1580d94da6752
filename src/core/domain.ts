/**
 * A domain as the application sees it: its migrations, CLI commands and HTTP routes.
 * Each domain's `index.ts` exports one; `src/domains.ts` lists them all.
 */
import type { z } from 'zod';
import type { Migration } from '../store/migrations.js';
import type { CommandSpec } from './command.js';
import type { RoutesFactory } from './http.js';

export interface Domain {
  name: string;
  migrations: readonly Migration[];
  commands: readonly CommandSpec[];
  routes?: RoutesFactory;
  /**
   * The `pave.yaml` sections the domain reads, by name, with the schema of each whole section: the
   * CLI checks them all when it loads the configuration, so every problem is reported at once.
   */
  config?: Record<string, z.ZodType>;
}
