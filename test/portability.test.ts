// Data ownership: a workspace leaves as one JSON-lines file and comes back identical — on the
// other database kind too — and a damaged or clashing file changes nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionReport } from '../src/attribution/report.ts';
import { storeInbound } from '../src/channels/email/index.ts';
import type { DatabaseKind } from '../src/db/connection.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { saveHealthSettings } from '../src/health/service.ts';
import { dependencyOrder } from '../src/portability/catalog.ts';
import { performanceReport } from '../src/performance/report.ts';
import { exportWorkspace } from '../src/portability/export.ts';
import { importWorkspace } from '../src/portability/import.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { createTicket } from '../src/tickets/service.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { scratchDir } from './support/cli.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';
import { seedText } from './support/seeds.ts';

const greek = seedText('000_872ed610193a76ff.txt').split('\n')[1] ?? '';
const arabic = seedText('003_d927bf57eeee527a.txt').split('\n')[1] ?? '';

async function exportToFile(db: TestDatabase, workspaceId: string, file: string): Promise<string[]> {
  const lines: string[] = [];
  await exportWorkspace(db.db, workspaceId, async (line) => {
    lines.push(line);
  });
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return lines;
}

async function tableCounts(db: TestDatabase): Promise<Record<string, number>> {
  const r = await sql<{ t: string; n: string }>`
    SELECT 'tickets' AS t, count(*) AS n FROM tickets UNION ALL SELECT 'messages', count(*) FROM messages
    UNION ALL SELECT 'touchpoints', count(*) FROM touchpoints UNION ALL SELECT 'workspaces', count(*) FROM workspaces
    UNION ALL SELECT 'audit_log', count(*) FROM audit_log`.execute(db.db);
  return Object.fromEntries(r.rows.map((x) => [x.t, Number(x.n)]));
}

const withoutHeader = (lines: string[]) => lines.slice(1);

const trailerOf = (lines: string[]) => JSON.parse(lines[lines.length - 1] ?? '{}') as { rows: number; tables: Record<string, number> };

describe('dependency order of tables', () => {
  it('puts every referenced table first, breaks ties by name, and refuses a cycle', () => {
    const keys = [
      { table: 'messages', references: 'tickets', columns: ['ticket_id'] },
      { table: 'tickets', references: 'customers', columns: ['customer_id'] },
      { table: 'tickets', references: 'tickets', columns: ['merged_into_id'] },
      { table: 'customers', references: 'workspaces', columns: ['workspace_id'] },
      { table: 'tickets', references: 'workspaces', columns: ['workspace_id'] },
    ];
    expect(dependencyOrder(['tickets', 'messages', 'workspaces', 'customers', 'agents'], keys)).toEqual([
      'agents',
      'workspaces',
      'customers',
      'tickets',
      'messages',
    ]);
    expect(() =>
      dependencyOrder(['a', 'b'], [
        { table: 'a', references: 'b', columns: ['b_id'] },
        { table: 'b', references: 'a', columns: ['a_id'] },
      ]),
    ).toThrow(/cycle: a, b/);
  });
});

describe.each(availableBackends())('workspace export and import (%s)', (kind: DatabaseKind) => {
  let source: TestDatabase;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let file: string;
  let original: string[];
  const dir = scratchDir();

  beforeAll(async () => {
    source = await freshDatabase(kind);
    const demo = await seedDemo(source.db);
    workspaceId = demo.workspaceId;
    const ctx: WorkspaceContext = { db: source.db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
    // The stage health alert is on: its hourly check must keep running after an import.
    await saveHealthSettings(ctx, { dropPoints: 15, period: 'week', webhookUrl: null, active: true });
    // Binary content (attachment blobs, raw mail in Windows-1256) must come back byte for byte.
    await createTicket(ctx, {
      subject: 'Φωτογραφία της ζημιάς',
      customer: { email: 'eleni@example.gr', name: 'Ελένη Παπαδοπούλου', locale: 'el' },
      channel: 'email',
      priority: 'high',
      message: { text: greek },
      attachments: [{ filename: 'ζημιά.bin', contentType: 'application/octet-stream', content: Buffer.from([0, 1, 2, 255, 254, 0x5c, 0x78]) }],
    });
    await storeInbound(
      source.db,
      { from: 'khalid@example.sa', recipientsByWorkspace: new Map([[workspaceId, ['support@aurora-home.example']]]) },
      Buffer.concat([Buffer.from('From: khalid@example.sa\r\nSubject: =?windows-1256?B?x+HI3Q==?=\r\n\r\n'), Buffer.from([0xc7, 0xe1, 0xe3, 0xe4, 0xca, 0xcc])]),
    );
    const other = await createWorkspace(source.db, {
      name: 'Other Co',
      slug: 'other-co',
      owner: { email: 'owner@other.example', name: 'Other Owner', password: 'another-long-password', locale: 'en' },
    });
    otherWorkspaceId = other.workspace.id;
    await createTicket(
      { db: source.db, workspaceId: otherWorkspaceId, actor: { type: 'system', id: null, role: 'owner' } },
      { subject: 'Not yours', customer: { email: 'someone@other.example' }, channel: 'web', priority: 'normal', message: { text: arabic } },
    );
    file = join(dir, `${kind}.jsonl`);
    original = await exportToFile(source, workspaceId, file);
  }, 240_000);

  afterAll(async () => {
    await source?.close();
  });

  it('holds every row of the workspace and none of another', () => {
    const trailer = trailerOf(original);
    expect(trailer.rows).toBe(original.length - 2);
    expect(trailer.tables.tickets).toBe(61);
    expect(trailer.tables.touchpoints).toBeGreaterThan(100);
    expect(trailer.tables.blobs).toBe(1);
    expect(trailer.tables.inbound_emails).toBe(1);
    expect(trailer.tables.sessions).toBeUndefined();
    expect(original.some((l) => l.includes(otherWorkspaceId))).toBe(false);
    expect(original.some((l) => l.includes('Not yours'))).toBe(false);
  });

  it.each(availableBackends())('comes back identical in a new %s database, and works there', async (targetKind) => {
    const target = await freshDatabase(targetKind);
    try {
      const progress: number[] = [];
      const summary = await importWorkspace(target.db, file, { onProgress: (done) => progress.push(done) });
      expect(summary.workspaceId).toBe(workspaceId);
      expect(summary.renumbered).toEqual([]);
      // What waited in the old job queue waits here again: the unprocessed mail, the SLA clocks.
      expect(summary.rearmed.incomingMail).toBe(1);
      expect(summary.rearmed.slaTickets).toBeGreaterThan(0);
      const jobs = await sql<{ name: string; n: string }>`SELECT name, count(*) AS n FROM pgboss.job WHERE name IN ('email.inbound', 'sla.timer', 'loops.health.check') GROUP BY 1 ORDER BY 1`.execute(target.db);
      expect(jobs.rows.map((j) => j.name)).toEqual(['email.inbound', 'loops.health.check', 'sla.timer']);
      expect(progress[progress.length - 1]).toBe(summary.rows);
      const again = await exportToFile(target, workspaceId, join(dir, `${kind}-to-${targetKind}.jsonl`));
      expect(withoutHeader(again)).toEqual(withoutHeader(original));

      const message = await target.db.selectFrom('messages').select('body_text').where('body_text', '=', greek).executeTakeFirst();
      expect(message?.body_text).toBe(greek);
      const blob = await sql<{ content: Buffer }>`SELECT content FROM blobs WHERE workspace_id = ${workspaceId}`.execute(target.db);
      expect([...(blob.rows[0]?.content ?? [])]).toEqual([0, 1, 2, 255, 254, 0x5c, 0x78]);
      const raw = await sql<{ raw: Buffer }>`SELECT raw FROM inbound_emails WHERE workspace_id = ${workspaceId}`.execute(target.db);
      expect(raw.rows[0]?.raw.subarray(-6)).toEqual(Buffer.from([0xc7, 0xe1, 0xe3, 0xe4, 0xca, 0xcc]));
      // The generated search vectors are rebuilt, so the knowledge base answers there too.
      const found = await sql<{ n: string }>`SELECT count(*) AS n FROM kb_translations WHERE workspace_id = ${workspaceId} AND tsv IS NOT NULL`.execute(target.db);
      expect(Number(found.rows[0]?.n)).toBeGreaterThan(0);
      // The team report's rollups are not copied but rebuilt from the tickets: the same figures.
      expect(trailerOf(original).tables.ticket_performance_rollups).toBeUndefined();
      const year = [new Date(Date.now() - 400 * 86_400_000), new Date(Date.now() + 86_400_000)] as const;
      const as = (db: typeof source.db) => ({ db, workspaceId, actor: { type: 'system' as const, id: null, role: 'owner' as const } });
      expect(await performanceReport(as(target.db), ...year, 'agent')).toEqual(await performanceReport(as(source.db), ...year, 'agent'));
      // So are the attribution report's (migration 068), from the loop facts: the same report
      // from the monthly sums and row by row, and the one over loop_facts.
      expect(trailerOf(original).tables.attribution_views).toBeUndefined();
      const now = new Date();
      const months = { from: new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)), to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
      const attribution = { ...months, model: 'linear' as const, lookbackDays: 30, limit: 50, at: now };
      const reference = await attributionReport(as(source.db), { ...attribution, source: 'facts' });
      expect(reference.totals.views).toBeGreaterThan(0);
      for (const from of ['sums', 'rows'] as const) expect(await attributionReport(as(target.db), { ...attribution, source: from })).toEqual(reference);
      // Ticket numbers continue where the source's sequence stood (exported as the next number).
      const next = (await sql<{ n: number }>`SELECT ticket_number_peek(${workspaceId}::uuid) AS n`.execute(source.db)).rows[0]?.n;
      const made = await createTicket(as(target.db), { subject: 'Μετά την εισαγωγή', customer: { email: 'eleni@example.gr' }, channel: 'web', priority: 'normal' });
      expect(made.number).toBe(next);
    } finally {
      await target.close();
    }
  });

  it('refuses to load over an existing workspace and changes nothing', async () => {
    const before = await tableCounts(source);
    await expect(importWorkspace(source.db, file)).rejects.toMatchObject({ status: 409, message: expect.stringContaining(workspaceId) });
    expect(await tableCounts(source)).toEqual(before);
  });

  it('refuses a cut-off or altered file before writing anything', async () => {
    const target = await freshDatabase(kind);
    try {
      const cut = join(dir, `${kind}-cut.jsonl`);
      writeFileSync(cut, original.slice(0, -1).map((l) => `${l}\n`).join(''));
      await expect(importWorkspace(target.db, cut)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('cut off') });

      const missingRows = join(dir, `${kind}-missing.jsonl`);
      writeFileSync(missingRows, [...original.slice(0, 5), ...original.slice(6)].map((l) => `${l}\n`).join(''));
      await expect(importWorkspace(target.db, missingRows)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('incomplete') });

      // A row smuggled in for another workspace is refused by its line number.
      const smuggled = JSON.parse(original[3] ?? '{}') as { table: string; row: Record<string, unknown> };
      smuggled.row.workspace_id = otherWorkspaceId;
      const altered = join(dir, `${kind}-altered.jsonl`);
      writeFileSync(altered, [...original.slice(0, 3), JSON.stringify(smuggled), ...original.slice(4)].map((l) => `${l}\n`).join(''));
      await expect(importWorkspace(target.db, altered)).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^line 4: .*another workspace/) });

      expect(await tableCounts(target)).toEqual({ tickets: 0, messages: 0, touchpoints: 0, workspaces: 0, audit_log: 0 });
    } finally {
      await target.close();
    }
  });

  // Seeds a whole demo workspace into the target, then imports: minutes on a loaded machine.
  it('renumbers audit entries whose numbers are taken in the target, keeping their order', async () => {
    const target = await freshDatabase(kind);
    try {
      // A busy target: its own demo workspace has already used the audit numbers the file
      // carries, and its slug — which is refused until it is renamed.
      await seedDemo(target.db);
      await expect(importWorkspace(target.db, file)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('slug "aurora-home"') });
      await target.db.updateTable('workspaces').set({ slug: 'already-here' }).execute();
      const existing = await tableCounts(target);
      const summary = await importWorkspace(target.db, file);
      expect(summary.renumbered).toContain('audit_log');
      const entries = await target.db.selectFrom('audit_log').select(['id', 'action']).where('workspace_id', '=', workspaceId).orderBy('id').execute();
      const exported = original
        .map((l) => JSON.parse(l) as { table?: string; row?: { id: number; action: string } })
        .filter((l) => l.table === 'audit_log')
        .map((l) => l.row?.action);
      expect(entries.map((e) => e.action)).toEqual(exported);
      expect(entries.length).toBeGreaterThan(0);
      expect((await tableCounts(target)).workspaces).toBe((existing.workspaces ?? 0) + 1);
    } finally {
      await target.close();
    }
  }, 180_000);
});
