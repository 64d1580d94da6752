/**
 * Every domain the application is made of, in the order their commands are listed. The server
 * mounts their routes, the CLI their commands, and every store applies their migrations.
 */
import { catalogDomain } from './catalog/index.js';
import type { Domain } from './core/domain.js';
import { deliveryDomain } from './delivery/index.js';
import { reliabilityDomain } from './reliability/index.js';
import type { Migration } from './store/migrations.js';

export const domains: readonly Domain[] = [catalogDomain, deliveryDomain, reliabilityDomain];

/** The migrations of every domain. */
export function allMigrations(): Migration[] {
  return domains.flatMap((domain) => domain.migrations);
}
