/**
 * Every domain the application is made of, in the order their commands are listed. The server
 * mounts their routes, the CLI their commands, and every store applies their migrations.
 */
import { catalogDomain } from './catalog/index.js';
import type { Domain } from './core/domain.js';
import type { Migration } from './store/migrations.js';

export const domains: readonly Domain[] = [catalogDomain];

/** The migrations of every domain. */
export function allMigrations(): Migration[] {
  return domains.flatMap((domain) => domain.migrations);
}
