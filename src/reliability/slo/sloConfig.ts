/**
 * The SLO settings of `pave.yaml`: `reliability.prometheus.url` (or `PAVE_PROMETHEUS_URL`), the
 * Prometheus server `pave slo pull` reads SLI data from.
 */
import { z } from 'zod';
import { configSection, type PaveConfig } from '../../core/config.js';

const reliabilitySchema = z.looseObject({
  prometheus: z
    .looseObject({
      url: z
        .string()
        .regex(/^https?:\/\//, 'must be an http:// or https:// URL, e.g. http://prometheus:9090')
        .optional(),
    })
    .default({}),
});

/** The configured Prometheus base URL, if any. */
export function configuredPrometheusUrl(config: PaveConfig): string | undefined {
  return configSection(config, 'reliability', reliabilitySchema).prometheus.url;
}
