/**
 * A domain as the application sees it: its migrations, CLI commands and HTTP routes.
 * Each domain's `index.ts` exports one; `src/domains.ts` lists them all.
 */
import type { Migration } from '../store/migrations.js';
import type { CommandSpec } from './command.js';
import type { RoutesFactory } from './http.js';

export interface Domain {
  name: string;
  migrations: readonly Migration[];
  commands: readonly CommandSpec[];
  routes?: RoutesFactory;
}
