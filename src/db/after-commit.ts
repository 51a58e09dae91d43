// Realtime NOTIFYs sent after a transaction commits instead of inside it.
//
// A NOTIFY inside a transaction makes its commit take PostgreSQL's one notification-queue lock
// and hold it until the commit record is flushed to disk (async.c: entries must enter the queue
// in commit order). Every writing transaction that publishes an event — every ticket created or
// answered — then commits one after another, each waiting for its own WAL flush: measured here
// with pgbench and 16 clients, an INSERT + NOTIFY transaction made 781 commits/s against 8,245/s
// without the NOTIFY.
//
// So within a Kysely transaction the driver keeps the notifications that `publishOnCommit`
// queues (the statement AFTER_COMMIT_NOTIFY, recognised by its text), sends them on the same
// connection right after COMMIT succeeds, and drops them on ROLLBACK: a listener still never
// hears of a change that was rolled back, and hears of a committed one once the change is
// visible. The notifications go in one statement of their own, with asynchronous commit (it
// writes nothing but the notifications, so there is nothing to wait for on disk), which holds
// the queue lock for microseconds. Outside a transaction the statement runs as it is.
//
// What this gives up: a process that dies between the COMMIT and the NOTIFY (or loses its
// connection there) commits the change without announcing it — as a listener that was
// disconnected at that moment would miss it; clients resynchronise on reconnect (realtime/hub.ts).
import { CompiledQuery, PostgresDialect } from 'kysely';
import type { DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';

/** The statement publishOnCommit runs: channel and payload as $1 and $2. */
export const AFTER_COMMIT_NOTIFY = 'SELECT pg_notify($1, $2) /* after commit */';

/** Errors of a NOTIFY sent after its transaction committed: the change stands, so they are only reported. */
export type AfterCommitErrorHandler = (error: unknown) => void;

class DeferringConnection implements DatabaseConnection {
  /** Notifications ([channel, payload]) queued by the open transaction; undefined outside one. */
  pending: Array<readonly unknown[]> | undefined;

  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.pending && compiledQuery.sql === AFTER_COMMIT_NOTIFY) {
      this.pending.push(compiledQuery.parameters);
      return Promise.resolve({ rows: [] });
    }
    return this.inner.executeQuery<R>(compiledQuery);
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

/** All of a transaction's notifications, in the order they were queued, in one statement. */
export function afterCommitStatement(pending: ReadonlyArray<readonly unknown[]>): CompiledQuery {
  const channels = pending.map((p) => String(p[0]));
  const payloads = pending.map((p) => String(p[1]));
  return CompiledQuery.raw(
    `SELECT set_config('synchronous_commit', 'off', true),
            (SELECT count(pg_notify(n.channel, n.payload)) FROM unnest($1::text[], $2::text[]) AS n(channel, payload))`,
    [channels, payloads],
  );
}

class AfterCommitDriver implements Driver {
  private readonly wrappers = new WeakMap<DatabaseConnection, DeferringConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly onError: AfterCommitErrorHandler,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapper = this.wrappers.get(connection);
    if (!wrapper) {
      wrapper = new DeferringConnection(connection);
      this.wrappers.set(connection, wrapper);
    }
    wrapper.pending = undefined;
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as DeferringConnection;
    await this.inner.beginTransaction(c.inner, settings);
    c.pending = [];
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as DeferringConnection;
    const pending = c.pending ?? [];
    c.pending = undefined;
    await this.inner.commitTransaction(c.inner);
    if (pending.length === 0) return;
    try {
      await c.inner.executeQuery(afterCommitStatement(pending));
    } catch (error) {
      this.onError(error);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as DeferringConnection;
    c.pending = undefined;
    await this.inner.rollbackTransaction(c.inner);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as DeferringConnection;
    c.pending = undefined;
    return this.inner.releaseConnection(c.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function reportToStderr(error: unknown): void {
  process.stderr.write(`realtime: a notification after commit was not sent: ${error instanceof Error ? error.message : String(error)}\n`);
}

/** PostgreSQL through node-postgres, with NOTIFYs of a transaction sent after its COMMIT. */
export class AfterCommitPostgresDialect extends PostgresDialect {
  private readonly onAfterCommitError: AfterCommitErrorHandler;

  constructor(config: ConstructorParameters<typeof PostgresDialect>[0], onError: AfterCommitErrorHandler = reportToStderr) {
    super(config);
    this.onAfterCommitError = onError;
  }

  override createDriver(): Driver {
    return new AfterCommitDriver(super.createDriver(), this.onAfterCommitError);
  }
}
