// An in-process TruthDesk for API tests: real database, real Fastify, requests via inject().
import { expect } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { createToken } from '../../src/auth/service.ts';
import type { Database, DatabaseKind } from '../../src/db/connection.ts';
import type { Role } from '../../src/domain/roles.ts';
import { buildApp } from '../../src/http/app.ts';
import { createWorkspace } from '../../src/workspaces/service.ts';
import { freshDatabase } from './db.ts';

export interface TestWorkspace {
  id: string;
  ownerId: string;
  ownerEmail: string;
  ownerPassword: string;
  /** An API token per role. */
  tokens: Record<Role, string>;
}

export interface TestApi {
  app: FastifyInstance;
  database: Database;
  createWorkspace(name: string): Promise<TestWorkspace>;
  request(
    token: string | undefined,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let workspaceCounter = 0;

/** `logger`: the app logs there (by default it logs nothing). */
export async function startTestApi(kind: DatabaseKind, options: { logger?: Logger } = {}): Promise<TestApi> {
  const database = await freshDatabase(kind);
  const app = await buildApp({ database, logger: options.logger ?? false });
  await app.ready();
  return {
    app,
    database,
    async createWorkspace(name) {
      const n = ++workspaceCounter;
      const ownerEmail = `owner${n}@${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.example.com`;
      const ownerPassword = 'correct horse battery';
      const { workspace, ownerId } = await createWorkspace(database.db, {
        name,
        owner: { email: ownerEmail, name: `Owner of ${name}`, password: ownerPassword },
      });
      const ctx = { db: database.db, workspaceId: workspace.id, actor: { type: 'agent' as const, id: ownerId, role: 'owner' as const } };
      const tokens = {} as Record<Role, string>;
      for (const role of ['owner', 'admin', 'team_leader', 'agent'] as const) {
        tokens[role] = (await createToken(ctx, { name: `${role} token`, role })).token;
      }
      return { id: workspace.id, ownerId, ownerEmail, ownerPassword, tokens };
    },
    request(token, method, url, body, headers = {}) {
      return app.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body === undefined ? {} : typeof body === 'string' || Buffer.isBuffer(body) ? { payload: body } : { payload: body as object }),
      });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Asserts the answer's status and returns its JSON body. */
export async function ok(res: LightMyRequestResponse, status: number): Promise<Record<string, unknown> & { id: string }> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as Record<string, unknown> & { id: string };
}
