/**
 * The people of the demo organisation: executives, department heads, and 4 to 9 people per team,
 * with invented names, `@demo.pave.dev` e-mail addresses and the time zone they work in.
 */

import type { DemoGroup, DemoTeam, DemoUser, UserRole } from './model.js';
import { type NameRegistry, slugify } from './naming.js';
import type { Random } from './random.js';
import { ENGINEER_TITLES, FIRST_NAMES, LAST_NAMES } from './vocabulary.js';

/** Where people are drawn from: the organisation's groups and the mail domain. */
export interface PeopleInput {
  root: DemoGroup;
  departments: readonly {
    group: DemoGroup;
    teams: readonly DemoTeam[];
    timezones: readonly (readonly [string, number])[];
  }[];
  emailDomain: string;
}

/** Creates the users; User names are `first.last` in ASCII, unique case-insensitively. */
export function generatePeople(random: Random, input: PeopleInput, names: NameRegistry): DemoUser[] {
  const users: DemoUser[] = [];
  const person = (memberOf: string[], role: UserRole, title: string, timezone: string): DemoUser => {
    const { name, displayName } = inventName(random, names);
    const user: DemoUser = {
      ref: `user:default/${name}`,
      name,
      displayName,
      email: `${name}@${input.emailDomain}`,
      memberOf,
      role,
      title,
      timezone,
    };
    users.push(user);
    return user;
  };

  const headquarters = input.departments[0]?.timezones[0]?.[0] ?? 'Europe/London';
  person([input.root.ref], 'executive', 'Chief Technology Officer', headquarters);
  person([input.root.ref], 'executive', 'VP of Engineering', headquarters);
  for (const department of input.departments) {
    const office = random.weighted(department.timezones);
    person(
      [department.group.ref],
      'manager',
      `Director of Engineering, ${department.group.displayName}`,
      office,
    );
    for (const team of department.teams) {
      const size = random.int(4, 9);
      for (let i = 0; i < size; i++) {
        const remote = random.chance(0.15);
        const timezone = remote ? random.weighted(department.timezones) : team.timezone;
        const memberOf = [team.ref];
        // A few people also belong to a second team of their department (a shared specialist).
        if (i > 0 && department.teams.length > 1 && random.chance(0.05)) {
          const other = random.pick(department.teams.filter((t) => t.ref !== team.ref));
          memberOf.push(other.ref);
        }
        if (i === 0) person(memberOf, 'manager', `Engineering Manager, ${team.displayName}`, timezone);
        else person(memberOf, 'engineer', random.weighted(ENGINEER_TITLES), timezone);
      }
    }
  }
  return users;
}

function inventName(random: Random, names: NameRegistry): { name: string; displayName: string } {
  for (let attempt = 0; attempt < 8; attempt++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const name = `${slugify(first)}.${slugify(last)}`;
    if (names.reserve(name)) return { name, displayName: `${first} ${last}` };
  }
  // Crowded: keep the last pair and number it (`ana.silva-2`).
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { name: names.claim(`${slugify(first)}.${slugify(last)}`), displayName: `${first} ${last}` };
}
