/**
 * The whole `reliability` section of `pave.yaml`, as one strict schema. Its readers each take their
 * own part (`incidentsConfig`, `configuredPrometheusUrl`); this schema is what the CLI checks when it
 * loads the configuration, so a misspelt key anywhere in the section is reported.
 */
import { z } from 'zod';
import { incidentsConfigSchema } from './incidents/incidentsConfig.js';

export const reliabilityConfigSchema = z.strictObject({
  incidents: incidentsConfigSchema.optional(),
  pagerduty: z.strictObject({ webhookSecret: z.string().min(1).optional() }).optional(),
  prometheus: z
    .strictObject({
      url: z
        .string()
        .regex(/^https?:\/\//, 'must be an http:// or https:// URL, e.g. http://prometheus:9090')
        .optional(),
    })
    .optional(),
});
