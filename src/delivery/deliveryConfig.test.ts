import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogConfigSchema } from '../catalog/catalogConfig.js';
import { loadConfig } from '../core/config.js';
import { formatProblem, InputError } from '../core/errors.js';
import { tempFolder, writeFiles } from '../core/testing/tempFiles.js';
import { deliveryConfig, deliveryConfigSchema } from './deliveryConfig.js';

let cwd: string;
beforeEach(() => {
  cwd = tempFolder({}, 'pave-delivery-config-');
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const sections = { catalog: catalogConfigSchema, delivery: deliveryConfigSchema };

describe('the delivery and catalog sections of pave.yaml', () => {
  it('reports every misspelt key at its line, so a typo never silently keeps a default', () => {
    writeFiles(cwd, {
      'pave.yaml': 'catalog:\n  strcit: true\ndelivery:\n  incidentWindw: 12h\n  github: { secret: x }\n',
    });
    let problems: string[] = [];
    try {
      loadConfig({ cwd, env: {}, sections });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems = error.problems.map(formatProblem);
    }
    expect(problems).toEqual([
      'pave.yaml:2:3: error: unknown key strcit in catalog; known keys: strict, maxDocumentBytes',
      expect.stringMatching(
        /^pave\.yaml:4:3: error: unknown key incidentWindw in delivery; known keys: .*incidentWindow/,
      ),
      'pave.yaml:5:13: error: unknown key secret in delivery.github; known keys: webhookSecret',
    ]);
  });

  it('reads the correctly spelt keys', () => {
    writeFiles(cwd, { 'pave.yaml': 'delivery:\n  incidentWindow: 12h\n  github: { webhookSecret: s }\n' });
    const config = deliveryConfig(loadConfig({ cwd, env: {}, sections }));
    expect(config).toMatchObject({ incidentWindow: '12h', github: { webhookSecret: 's' } });
  });
});
