// Importing touchpoint history from NDJSON and CSV files: counts, classification, idempotent
// re-imports, broken lines reported by number; and `truthdesk import touchpoints` as a user runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { importTouchpoints } from '../src/journeys/import.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const scratch = mkdtempSync(join(tmpdir(), 'truthdesk-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let fileCounter = 0;
function writeScratch(extension: string, content: string): string {
  const path = join(scratch, `file-${fileCounter++}.${extension}`);
  writeFileSync(path, content);
  return path;
}

const greekReview = 'Η παράδοση άργησε, αλλά το προϊόν είναι "εξαιρετικό", 5 αστέρια';
const arabicComplaint = 'المنتج لا يعمل وأريد استرداد أموالي';
const arabicQuestion = 'كم سعر الاشتراك؟ أريد مقارنة الأسعار قبل الشراء';

describe.each(availableBackends())('importTouchpoints on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });

  async function newWorkspace(name: string): Promise<string> {
    const { workspace } = await createWorkspace(database.db, { name, owner: { email: `owner@${name.toLowerCase()}.example`, name: 'Owner' } });
    return workspace.id;
  }

  async function touchpoints(workspaceId: string) {
    return database.db
      .selectFrom('touchpoints')
      .select(['message_id', 'event', 'stage', 'valence', 'channel', 'properties', 'decided_by', 'anonymous_id'])
      .where('workspace_id', '=', workspaceId)
      .execute();
  }

  it('imports an NDJSON file in English, Greek and Arabic, reports the broken line, and stores nothing twice on a re-import', async () => {
    const workspaceId = await newWorkspace('Ndjson');
    const lines = [
      JSON.stringify({ userId: 'u-en', event: 'Order Completed', timestamp: '2024-03-01T10:00:00Z', properties: { total: 49 } }),
      JSON.stringify({ type: 'track', userId: 'u-el', event: 'Feedback', messageId: 'el-1', properties: { channel: 'review', text: greekReview } }),
      '{"userId": "u-broken", "event": ',
      '',
      JSON.stringify({ anonymousId: 'anon-ar', event: 'Message', properties: { channel: 'chat', text: arabicComplaint } }),
      JSON.stringify({ anonymousId: 'anon-ar2', event: 'Message', channel: 'web', properties: { text: arabicQuestion } }),
      JSON.stringify({ event: 'No One' }),
      JSON.stringify(['not', 'an', 'object']),
    ];
    const file = writeScratch('ndjson', `${lines.join('\n')}\n`);
    const progress: Array<[number, number | null]> = [];
    const first = await importTouchpoints(database.db, workspaceId, file, 'ndjson', (read, total) => progress.push([read, total]));
    expect(first).toMatchObject({ total: 7, stored: 4, duplicate: 0, invalid: 3 });
    expect(first.invalidLines.map((l) => l.line)).toEqual([3, 7, 8]);
    expect(first.invalidLines[0]?.error).toMatch(/JSON/);
    expect(first.invalidLines[1]?.error).toMatch(/userId or anonymousId/);
    expect(progress.at(-1)).toEqual([Buffer.byteLength(`${lines.join('\n')}\n`), Buffer.byteLength(`${lines.join('\n')}\n`)]);

    const rows = await touchpoints(workspaceId);
    expect(rows).toHaveLength(4);
    const byEvent = (event: string, anonymousId?: string) => rows.find((r) => r.event === event && (anonymousId === undefined || r.anonymous_id === anonymousId));
    expect(byEvent('Order Completed')).toMatchObject({ stage: 'fmot', decided_by: 'catalogue' });
    expect(rows.find((r) => r.message_id === 'el-1')).toMatchObject({ stage: 'umot', valence: 'positive', decided_by: 'text', channel: 'review' });
    expect(byEvent('Message', 'anon-ar')).toMatchObject({ stage: 'smot', valence: 'negative', decided_by: 'text', channel: 'chat' });
    expect(byEvent('Message', 'anon-ar2')).toMatchObject({ stage: 'zmot', decided_by: 'text' });
    // A messageId missing in the file is derived from the line, the same on every import.
    expect(rows.filter((r) => r.message_id !== 'el-1').every((r) => /^import-[0-9a-f]{64}$/.test(r.message_id))).toBe(true);

    const again = await importTouchpoints(database.db, workspaceId, file, 'ndjson');
    expect(again).toMatchObject({ total: 7, stored: 0, duplicate: 4, invalid: 3 });
    expect(await touchpoints(workspaceId)).toHaveLength(4);
  });

  it('imports a CSV file with quoted commas, quotes and newlines, extra columns as properties, and numbers bad rows by line', async () => {
    const workspaceId = await newWorkspace('Csv');
    const greekWithNewline = `${greekReview}\nΘα ξαναγοράσω.`;
    const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const csv = [
      'userId,anonymousId,event,timestamp,messageId,channel,text,stage,valence,rating,sku',
      `u-el,,Feedback,2024-05-02T09:30:00+03:00,,review,${csvField(greekWithNewline)},,,5,00123`,
      `,anon-ar,Message,,,chat,${csvField(arabicComplaint)},,,,`,
      'u-en,,Pricing Viewed,2024-05-01T08:00:00Z,csv-en-1,web,"Looked at plans, then left",,,,',
      'u-en,,,,,,missing its event,,,,',
      'u-en,,Call,,,phone,"Told us: ""fine""",fmot,positive,,',
      'u-x,,Too,Many,Columns,here,a,b,c,d,e,f',
    ].join('\r\n');
    const file = writeScratch('csv', `${csv}\r\n`);
    const first = await importTouchpoints(database.db, workspaceId, file, 'csv');
    expect(first).toMatchObject({ total: 6, stored: 4, duplicate: 0, invalid: 2 });
    // The Greek row spans lines 2–3, so the row without an event is line 6 and the last is 8.
    expect(first.invalidLines.map((l) => l.line)).toEqual([6, 8]);
    expect(first.invalidLines[0]?.error).toMatch(/event/);

    const rows = await touchpoints(workspaceId);
    expect(rows).toHaveLength(4);
    const greek = rows.find((r) => r.event === 'Feedback');
    expect(greek).toMatchObject({ stage: 'umot', valence: 'positive', channel: 'review' });
    const properties = (typeof greek?.properties === 'string' ? JSON.parse(greek.properties) : greek?.properties) as Record<string, unknown>;
    // Numbers become numbers; a code with a leading zero stays text.
    expect(properties).toMatchObject({ text: greekWithNewline, rating: 5, sku: '00123' });
    expect(rows.find((r) => r.event === 'Message')).toMatchObject({ stage: 'smot', valence: 'negative', anonymous_id: 'anon-ar' });
    expect(rows.find((r) => r.message_id === 'csv-en-1')).toMatchObject({ stage: 'zmot', decided_by: 'catalogue' });
    expect(rows.find((r) => r.event === 'Call')).toMatchObject({ stage: 'fmot', valence: 'positive', decided_by: 'explicit' });

    const again = await importTouchpoints(database.db, workspaceId, file, 'csv');
    expect(again).toMatchObject({ total: 6, stored: 0, duplicate: 4, invalid: 2 });
  });

  it('takes lines from an async iterable and sends more than one batch', async () => {
    const workspaceId = await newWorkspace('Iterable');
    async function* lines() {
      for (let i = 0; i < 1_100; i++) yield JSON.stringify({ userId: `u-${i % 7}`, event: 'Pricing Viewed', messageId: `it-${i}` });
      yield 'oops';
    }
    const summary = await importTouchpoints(database.db, workspaceId, lines(), 'ndjson');
    expect(summary).toMatchObject({ total: 1_101, stored: 1_100, duplicate: 0, invalid: 1, invalidLines: [{ line: 1_101 }] });
    expect(await touchpoints(workspaceId)).toHaveLength(1_100);
  }, 120_000);

  it('throws for a file that does not exist', async () => {
    const workspaceId = await newWorkspace('Missing');
    await expect(importTouchpoints(database.db, workspaceId, join(scratch, 'nope.ndjson'), 'ndjson')).rejects.toThrow(/ENOENT/);
  });
});

describe('truthdesk import touchpoints', () => {
  const bin = fileURLToPath(new URL('../bin/truthdesk.js', import.meta.url));

  function runCli(args: string[], cwd: string, dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', TRUTHDESK_DATA: dataDir };
    // The run's own DATABASE_URL must not leak into a child meant for PGlite.
    delete env.DATABASE_URL;
    delete env.TRUTHDESK_ADMIN_TOKEN;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('imports an NDJSON file into the demo workspace, prints the summary, and the touchpoints are in the database', async () => {
    const cwd = mkdtempSync(join(scratch, 'cli-'));
    const dataDir = join(cwd, 'data');
    const demo = await runCli(['demo'], cwd, dataDir);
    expect(demo.code, demo.stderr).toBe(0);

    const lines = [
      JSON.stringify({ userId: 'cli-el', event: 'Feedback', messageId: 'cli-el-1', properties: { channel: 'review', text: greekReview } }),
      JSON.stringify({ anonymousId: 'cli-ar', event: 'Message', messageId: 'cli-ar-1', properties: { channel: 'chat', text: arabicComplaint } }),
      'not json at all',
      JSON.stringify({ userId: 'cli-en', event: 'Order Completed', messageId: 'cli-en-1' }),
    ];
    writeFileSync(join(cwd, 'history.ndjson'), `${lines.join('\n')}\n`);
    const res = await runCli(['import', 'touchpoints', 'history.ndjson'], cwd, dataDir);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('Imported 4 touchpoints: 3 stored, 0 duplicate, 1 invalid\n');
    expect(res.stderr).toMatch(/line 3: not valid JSON/);

    const missing = await runCli(['import', 'touchpoints', 'nowhere.csv'], cwd, dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read nowhere\.csv: no such file/);
    expect(missing.stdout).toBe('');

    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const rows = (
        await database.pool.query<{ message_id: string; stage: string }>(
          "SELECT message_id, stage FROM touchpoints WHERE message_id LIKE 'cli-%' ORDER BY message_id",
        )
      ).rows;
      expect(rows).toEqual([
        { message_id: 'cli-ar-1', stage: 'smot' },
        { message_id: 'cli-el-1', stage: 'umot' },
        { message_id: 'cli-en-1', stage: 'fmot' },
      ]);
    } finally {
      await database.close();
    }
  }, 240_000);
});
