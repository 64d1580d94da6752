/**
 * A track: the set of deployments that count as production for a computation, and the key its
 * derived attribution is stored under. The default track follows the configuration (the source's
 * own production flag where it gives one, else the environment name); `--env` names environments
 * explicitly and ignores the flag.
 */
import { type DeliveryConfig, normaliseEnvironments, productionEnvironments } from './deliveryConfig.js';

export interface Track {
  /** `prod:<envs>` (configured) or `env:<envs>` (explicit), envs lower-cased and sorted. */
  key: string;
  environments: string[];
  /** Whether a source's `production` flag decides before the environment name. */
  sourceFlag: boolean;
}

/** The track for the configuration, or for the environments `--env` names. */
export function resolveTrack(config: DeliveryConfig, environments?: readonly string[]): Track {
  const configured = productionEnvironments(config);
  const asked = environments === undefined ? undefined : normaliseEnvironments(environments);
  if (asked === undefined || asked.length === 0 || asked.join(',') === configured.join(',')) {
    return { key: `prod:${configured.join(',')}`, environments: configured, sourceFlag: true };
  }
  return { key: `env:${asked.join(',')}`, environments: asked, sourceFlag: false };
}

/**
 * SQL that is true for a deployment row (alias `d`) in the track; `param` is the placeholder
 * bound to `track.environments`.
 */
export function trackPredicate(track: Track, param: string, alias = 'd'): string {
  const byName = `lower(${alias}.environment) = ANY(${param})`;
  return track.sourceFlag
    ? `(${alias}.production = true OR (${alias}.production IS NULL AND ${byName}))`
    : byName;
}

/** Whether one deployment is in the track, as `trackPredicate` decides it in SQL. */
export function inTrack(track: Track, deployment: { environment: string; production?: boolean }): boolean {
  const byName = track.environments.includes(deployment.environment.toLowerCase());
  if (!track.sourceFlag) return byName;
  return deployment.production ?? byName;
}
