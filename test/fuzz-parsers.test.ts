// Property-based bad input on the parsers behind the routes: raw mail (MIME), CSV and NDJSON
// imports. Random bytes and damaged real input never crash the process or hang; mail is kept and
// flagged, never dropped; an import counts every line as stored, duplicate or invalid.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInbound, storeInbound } from '../src/channels/email/index.ts';
import { importTouchpoints } from '../src/journeys/import.ts';
import { importMentionsCsv } from '../src/mentions/import.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { scratchDir } from './support/cli.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';
import { rawMail } from './support/mail.ts';

const greekMail = rawMail({
  from: 'sofia@example.gr',
  to: 'support@fuzz.example',
  subject: 'Η παραγγελία δεν έφτασε',
  text: 'Καλησπέρα, η παραγγελία μου δεν έφτασε ακόμα.',
  charset: 'ISO-8859-7',
  messageId: 'fuzz-base@client.example',
  attachment: { filename: 'απόδειξη.txt', contentType: 'text/plain', content: Buffer.from('receipt') },
});

/** Damaged copies of a real mail: bytes flipped, cut short, lines duplicated or dropped. */
const damagedMail = fc
  .tuple(fc.array(fc.tuple(fc.nat(greekMail.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), fc.nat(greekMail.length), fc.boolean())
  .map(([flips, cut, doubleHeaders]) => {
    const b = Buffer.from(greekMail);
    for (const [at, byte] of flips) b[at] = byte;
    const body = b.subarray(0, Math.max(1, cut));
    return doubleHeaders ? Buffer.concat([body.subarray(0, 200), body]) : body;
  });
const anyMail = fc.oneof(damagedMail, fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)), fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)));

const csvCell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('"', '""', '"unterminated', 'στιγμή, αλήθειας', 'لحظة الحقيقة', '\r\n', '=cmd|\' /C calc\'!A0', '2026-13-45', '-1', '5'),
);
const csvFile = (header: string[]) =>
  fc
    .tuple(fc.boolean(), fc.array(fc.array(csvCell, { maxLength: header.length + 2 }), { maxLength: 15 }), fc.string({ unit: 'binary', maxLength: 40 }))
    .map(([withHeader, rows, junk]) => [...(withHeader ? [header.join(',')] : []), ...rows.map((r) => r.join(',')), junk].join('\n'));

describe.each(availableBackends())('parsers under random input on %s', (kind) => {
  let database: TestDatabase;
  let ctx: WorkspaceContext;
  const dir = scratchDir();
  let n = 0;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    const { workspace } = await createWorkspace(database.db, { name: 'Fuzz', owner: { email: 'owner@fuzz.example', name: 'Owner', password: 'correct horse battery' } });
    ctx = { db: database.db, workspaceId: workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
  });
  afterAll(async () => database?.close());

  it('keeps every accepted mail, processed or flagged with a reason, whatever its bytes', async () => {
    await fc.assert(
      fc.asyncProperty(anyMail, async (raw) => {
        const [id] = await storeInbound(database.db, { from: 'sofia@example.gr', recipientsByWorkspace: new Map([[ctx.workspaceId, ['support@fuzz.example']]]) }, raw);
        expect(id).toBeTruthy();
        await processInbound(database.db, id as string);
        const row = await database.db.selectFrom('inbound_emails').select(['status', 'reason', 'size']).where('id', '=', id as string).executeTakeFirstOrThrow();
        expect(['processed', 'failed', 'ignored']).toContain(row.status);
        if (row.status === 'failed') expect(row.reason).toBeTruthy();
        expect(row.size).toBe(raw.length);
      }),
      { numRuns: kind === 'pglite' ? 60 : 25 },
    );
  }, 300_000);

  it('imports touchpoint CSV and NDJSON of any shape, accounting for every line', async () => {
    const ndjsonLine = fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.record({ type: fc.constantFrom('track', 'identify', 'page', 'bogus'), userId: fc.option(fc.string({ maxLength: 10 })), event: fc.option(fc.string({ maxLength: 20 })), messageId: fc.string({ maxLength: 12 }) }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          csvFile(['userId', 'anonymousId', 'event', 'timestamp', 'messageId', 'channel', 'text', 'stage', 'valence']).map((body) => ({ body, format: 'csv' as const })),
          fc.array(ndjsonLine, { maxLength: 15 }).map((lines) => ({ body: lines.join('\n'), format: 'ndjson' as const })),
        ),
        async ({ body, format }) => {
          const file = join(dir, `import-${n++}.${format}`);
          writeFileSync(file, body);
          const summary = await importTouchpoints(database.db, ctx.workspaceId, file, format);
          expect(summary.stored + summary.duplicate + summary.invalid).toBe(summary.total);
          expect(summary.invalidLines.length).toBeLessThanOrEqual(summary.invalid);
        },
      ),
      { numRuns: kind === 'pglite' ? 60 : 25 },
    );
  }, 300_000);

  it('imports mention CSV of any shape, keeping good rows and naming bad lines', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile(['platform', 'author', 'url', 'rating', 'text', 'published_at']), async (body) => {
        const file = join(dir, `mentions-${n++}.csv`);
        writeFileSync(file, body);
        try {
          const summary = await importMentionsCsv(ctx, file, { platform: 'google' });
          expect(summary.stored + summary.duplicate + summary.invalid).toBe(summary.total);
        } catch (error) {
          // A file that is not CSV at all (no header row to read) is refused as a whole, clearly.
          expect((error as { status?: number }).status, String(error)).toBeGreaterThanOrEqual(400);
          expect((error as { status?: number }).status).toBeLessThan(500);
        }
      }),
      { numRuns: kind === 'pglite' ? 60 : 25 },
    );
  }, 300_000);
});
