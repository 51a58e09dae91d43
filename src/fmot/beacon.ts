// The browser side of ingestion: GET /dwell.js (the FMOT dwell snippet) and
// POST /api/v1/public/beacon, Segment's browser convention — the write key in the body, not a
// header, because navigator.sendBeacon cannot set one, and text/plain accepted as JSON so the
// beacon stays a simple cross-origin request (no preflight). The messages then take the same
// path as POST /api/v1/batch.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseJsonStrict } from '../http/errors.ts';
import { defineRoute, registerRoutes, Reply } from '../http/route.ts';
import { ingestBatch } from '../journeys/ingest.ts';
import { AppError } from '../shared/errors.ts';

const dwellScript = readFileSync(new URL('./dwell.js', import.meta.url), 'utf8');
export const BEACON_MESSAGES = 20;

const result = z.object({
  index: z.number().int(),
  messageId: z.string().nullable(),
  status: z.enum(['stored', 'duplicate', 'invalid']),
  stage: z.string().nullable(),
  valence: z.string().nullable(),
  error: z.string().optional(),
});

export const beaconRoute = defineRoute({
  method: 'POST',
  url: '/api/v1/public/beacon',
  summary: `Browser ingestion (sendBeacon): { writeKey, batch: [up to ${BEACON_MESSAGES} track/identify messages] } as JSON or text/plain`,
  tag: 'journeys',
  access: 'public',
  body: z.strictObject({
    writeKey: z.string().min(1).max(200),
    batch: z.array(z.unknown()).min(1).max(BEACON_MESSAGES),
    sentAt: z.unknown().optional(),
    context: z.unknown().optional(),
  }),
  bodyLimit: 64 * 1024,
  rateLimit: { max: 600, timeWindowMs: 60_000 },
  responses: { 200: z.object({ results: z.array(result) }) },
  handler: async ({ body, request }) => {
    const db = request.server.database.db;
    const workspace = await db.selectFrom('workspaces').select('id').where('write_key', '=', body.writeKey).executeTakeFirst();
    if (!workspace) throw new AppError(401, 'unauthorized', 'Unknown write key');
    return new Reply(200, { results: await ingestBatch(db, workspace.id, body.batch) }, { 'access-control-allow-origin': '*' });
  },
});

export async function beaconRoutes(app: FastifyInstance): Promise<void> {
  app.get('/dwell.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(dwellScript),
  );
  // text/plain is JSON on this route only (an encapsulated plugin); everywhere else it is 415.
  await app.register(async (child) => {
    child.addContentTypeParser('text/plain', { parseAs: 'buffer' }, parseJsonStrict);
    registerRoutes(child, [beaconRoute]);
  });
}
