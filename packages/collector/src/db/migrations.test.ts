// Protects migrations: drizzle silently skips entries whose journal timestamps go backwards, every entry has its SQL, and applying twice is a no-op on both drivers.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDrivers } from '../testing/databases.ts';
import { migrate, migrationsFolder } from './migrate.ts';
import { events } from './schema.ts';

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string }>;
}

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;

describe('migrations folder', () => {
  it('has journal timestamps that strictly increase', () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    journal.entries.forEach((entry, i) => {
      expect(entry.idx).toBe(i);
      if (i > 0) expect(entry.when).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });

  it('has one SQL file per journal entry and no stray SQL', () => {
    const files = fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort();
    expect(files).toEqual(journal.entries.map((e) => `${e.tag}.sql`).sort());
  });
});

describe.each(testDrivers())('migrate on $name', (driver) => {
  it('applies once; a second run changes nothing', async () => {
    const database = await driver.open();
    try {
      await migrate(database);
      expect(await database.db.$count(events)).toBe(0);
    } finally {
      await database.dispose();
    }
  });
});
