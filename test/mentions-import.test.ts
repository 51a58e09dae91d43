// `truthdesk import mentions <file.csv>` as a user runs it, on the embedded database and on
// PostgreSQL: Greek and Arabic reviews stored with exact text, bad rows reported by line number
// while good rows are kept, and a second import of the same file storing nothing twice.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import type { Database } from '../src/db/connection.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import { cleanupCli, runCli, scratchDir } from './support/cli.ts';

afterAll(() => cleanupCli());

const GREEK_REVIEW = 'Εξαιρετική εξυπηρέτηση, ευχαριστώ! Η στιγμή της αλήθειας ήταν η παράδοση.';
const ARABIC_REVIEW = 'الخدمة سيئة جدا\nولم يرد أحد على الفاتورة';
const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

const CSV = [
  'platform,author,url,rating,text,published_at',
  `google,Μαρία Κ.,https://maps.example.com/r/1,5,${csvField(GREEK_REVIEW)},2026-10-01T10:00:00Z`,
  `trustpilot,أحمد,https://trustpilot.example.com/r/2,1,${csvField(ARABIC_REVIEW)},2026-10-02`, // lines 3–4
  'google,Bad Rating,https://maps.example.com/r/3,7,Too many stars,2026-10-03',
  'twitter,someone,,,"No url and no id",2026-10-04',
  'google,Bad date,https://maps.example.com/r/5,3,Fine,yesterday',
  `google,Μαρία Κ.,https://maps.example.com/r/1,5,${csvField(GREEK_REVIEW)},2026-10-01T10:00:00Z`, // same URL again
  'facebook,Νίκος,https://facebook.example.com/p/6,,"Πολύ κακή εμπειρία, δεν απάντησαν ποτέ",2026-10-05 12:30',
  'too,many,columns,here,x,y,z',
].join('\r\n');

describe.each(availableBackends())('truthdesk import mentions on %s', (kind) => {
  let postgres: (Database & { url?: string }) | undefined;
  afterAll(async () => postgres?.close());

  it('stores the good rows, reports the bad ones by line, and imports nothing twice', async () => {
    const cwd = scratchDir();
    let env: Record<string, string>;
    if (kind === 'postgres') {
      postgres = await freshDatabase('postgres');
      env = { DATABASE_URL: postgres.url as string };
    } else {
      env = { TRUTHDESK_DATA: join(cwd, 'data') };
    }
    const created = await runCli(['workspace', 'create', '--name', 'Κριτικές', '--owner-email', 'owner@reviews.example.com', '--owner-name', 'Owner'], env, cwd);
    expect(created.code, created.stderr).toBe(0);
    writeFileSync(join(cwd, 'reviews.csv'), `${CSV}\r\n`);

    const first = await runCli(['import', 'mentions', 'reviews.csv'], env, cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('Imported 8 mentions: 3 stored, 1 duplicate, 4 invalid\n');
    const reported = first.stderr.split('\n').filter((l) => l.startsWith('line '));
    expect(reported.map((l) => Number(/^line (\d+)/.exec(l)?.[1]))).toEqual([5, 6, 7, 10]);
    expect(reported[0]).toMatch(/rating/);
    expect(reported[1]).toMatch(/url or an id/);
    expect(reported[2]).toMatch(/publishedAt/);
    // The progress bar goes to stderr, never into the summary.
    expect(first.stderr).toMatch(/Importing mentions/);

    const again = await runCli(['import', 'mentions', 'reviews.csv'], env, cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('Imported 8 mentions: 0 stored, 4 duplicate, 4 invalid\n');

    const missing = await runCli(['import', 'mentions', 'nowhere.csv'], env, cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read nowhere\.csv: no such file/);

    const database = postgres ?? (await openDatabase({ kind: 'pglite', dataDir: join(cwd, 'data') }));
    try {
      const rows = await database.db
        .selectFrom('mentions')
        .select(['platform', 'kind', 'author', 'url', 'rating', 'text', 'published_at', 'valence'])
        .orderBy('published_at')
        .execute();
      expect(rows.map((r) => ({ ...r, rating: r.rating === null ? null : Number(r.rating), published_at: r.published_at.toISOString() }))).toEqual([
        { platform: 'google', kind: 'review', author: 'Μαρία Κ.', url: 'https://maps.example.com/r/1', rating: 5, text: GREEK_REVIEW, published_at: '2026-10-01T10:00:00.000Z', valence: 'positive' },
        { platform: 'trustpilot', kind: 'review', author: 'أحمد', url: 'https://trustpilot.example.com/r/2', rating: 1, text: ARABIC_REVIEW, published_at: '2026-10-02T00:00:00.000Z', valence: 'negative' },
        { platform: 'facebook', kind: 'social', author: 'Νίκος', url: 'https://facebook.example.com/p/6', rating: null, text: 'Πολύ κακή εμπειρία, δεν απάντησαν ποτέ', published_at: '2026-10-05T12:30:00.000Z', valence: 'negative' },
      ]);
      // Each stored mention is one ultimate-moment touchpoint, even after two imports.
      const touchpoints = await database.db.selectFrom('touchpoints').select(['event', 'stage']).where('stage', '=', 'umot').execute();
      expect(touchpoints.map((t) => t.event).sort()).toEqual(['Review Published', 'Review Published', 'Social Post Published']);
    } finally {
      if (!postgres) await database.close();
    }
  }, 240_000);
});
