/**
 * The parts of the demo beyond the catalog: each domain adds its history (deployments, incidents,
 * SLIs, costs) for the generated organisation. Parts run in this order, after the catalog import;
 * each replaces the demo data it wrote before, so running `pave demo` again, on another day, leaves
 * one consistent organisation.
 */
import type { Progress } from '../core/progress.js';
import type { Store } from '../store/Store.js';
import { deliveryDemoPart } from './delivery.js';
import type { DemoOrganisation } from './model.js';
import { reliabilityDemoPart } from './reliability.js';
import { sloDemoPart } from './slos.js';

export interface DemoContext {
  store: Store;
  organisation: DemoOrganisation;
  seed: number;
  /** The end of the generated history: midnight UTC of the day `pave demo` runs, or `--as-of`. */
  asOf: Date;
  progress: Progress;
}

export interface DemoPart {
  name: string;
  /** Generates and stores this part's data; returns a few words for the summary (`48,213 deployments`). */
  run(context: DemoContext): Promise<string>;
}

/** Every demo part, in the order they run. */
export const demoParts: readonly DemoPart[] = [deliveryDemoPart, reliabilityDemoPart, sloDemoPart];
