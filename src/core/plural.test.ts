import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('uses the singular for 1 only, and the given plural otherwise', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(2, 'entity', 'entities')).toBe('2 entities');
    expect(plural(1, 'entity', 'entities')).toBe('1 entity');
  });
});
