#!/usr/bin/env node
/**
 * Adds lock entries for optional platform packages the registry mirror here does not serve
 * (biome's and DuckDB's macOS, Windows, Android and musl binaries). npm leaves them out of
 * package-lock.json when it cannot fetch them, and `npm ci` then refuses the lock as out of sync.
 * The entries carry the package's os/cpu/libc, so npm skips them on other platforms and fetches
 * them normally where they apply. Run after every `npm install`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const OSES = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'sunos', 'aix', 'netbsd'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64'];
const added = [];

for (const [key, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const top = `node_modules/${name}`;
    if (packages[top] || packages[`${key}/node_modules/${name}`]) continue;
    const base = name.split('/').pop();
    const os = OSES.find((candidate) => base.includes(candidate));
    if (!os) continue;
    const cpu = CPUS.find((candidate) => base.includes(`-${candidate}`));
    packages[top] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      os: [os],
      ...(base.includes('musl') ? { libc: ['musl'] } : {}),
    };
    added.push(name);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length > 0 ? `added ${added.join(', ')}` : 'the lock file is complete');
