// The activity list keeps a bounded history: an entry goes once it is older than 2 years and not among the newest
// 50 000 (whichever keeps more), pruned when the workspace opens and as entries are written. Before they go, every
// entry kept can be exported with `oauth-desk activity export`. Real SQLite, the CLI as processes, its background owner.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliOf, freePort, stopBackgroundOwner, useDeskHome } from './support';

const desk = useDeskHome();
const cli = cliOf(desk, await freePort());
const DAY = 86_400_000;

/** Writes `count` entries dated `daysAgo` straight into the workspace, as years of use would have. */
function addEntries(count: number, daysAgo: number, label: string): void {
  const db = new Database(join(desk.home, 'workspace.db'));
  const insert = db.prepare(
    "INSERT INTO activity (at, tenant_id, action, target, subject, headline, detail) VALUES (?, 'local', 'app.create', 'x', NULL, ?, '')",
  );
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(at, `${label} ${i}`);
  })();
  db.close();
}

function countWhere(sql = '1 = 1', ...args: string[]): number {
  const db = new Database(join(desk.home, 'workspace.db'), { readonly: true });
  const n = db
    .prepare(`SELECT count(*) FROM activity WHERE ${sql}`)
    .pluck()
    .get(...args) as number;
  db.close();
  return n;
}

describe('the activity history', { timeout: 180_000 }, () => {
  it('keeps 50 000 entries or 2 years, whichever is more, and exports every entry kept first', async () => {
    // A first command makes the workspace.
    expect((await cli(['activity', '--limit', '1'])).code).toBe(0);
    await stopBackgroundOwner(desk.home);
    addEntries(49_950, 3 * 365, 'three years ago');

    const file = join(desk.tempDir(), 'activity.json');
    const exported = await cli(['activity', 'export', '--output', file]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { entries: { at: string; headline: string }[] };
    const kept = document.entries.filter((e) => e.headline.startsWith('three years ago'));
    expect(kept).toHaveLength(49_950);
    expect(kept[0]?.headline).toBe('three years ago 0');
    expect(exported.stdout).toMatch(/^Wrote \d+ entries to /);
    await stopBackgroundOwner(desk.home);

    // A year of newer work past the 50 000: the oldest entries older than 2 years go at the next start.
    addEntries(100, 365, 'a year ago');
    expect(countWhere()).toBeGreaterThan(50_000);
    expect((await cli(['activity', '--limit', '1'])).code).toBe(0);
    // 50 000 kept at the start, and what the start itself recorded after (the embedded organisation's sync).
    expect(countWhere()).toBeGreaterThanOrEqual(50_000);
    expect(countWhere()).toBeLessThan(50_010);
    expect(countWhere("headline LIKE 'a year ago%'")).toBe(100);
    expect(countWhere("headline = 'three years ago 0'")).toBe(0);
    expect(countWhere("headline LIKE 'three years ago%'")).toBeLessThan(49_950);
    await stopBackgroundOwner(desk.home);

    // Two years of heavy use: every entry younger than 2 years stays, however many.
    addEntries(60_000, 100, 'recent');
    expect((await cli(['activity', '--limit', '1'])).code).toBe(0);
    expect(countWhere("headline LIKE 'recent%'")).toBe(60_000);
    expect(countWhere("headline LIKE 'a year ago%'")).toBe(100);
    expect(countWhere("headline LIKE 'three years ago%'")).toBe(0);
  });
});
