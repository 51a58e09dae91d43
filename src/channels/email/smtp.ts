// The SMTP listener: accepts mail for the workspaces' support addresses (550 at RCPT for any
// other), stores each message raw in the database, and only then answers 250.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import type { Database } from '../../db/connection.ts';
import { workspaceForRecipient } from './addresses.ts';
import { storeInbound } from './inbound.ts';

export const MAX_MESSAGE_BYTES = 35 * 1024 * 1024;

export interface SmtpListener {
  port: number;
  host: string;
  close(): Promise<void>;
}

interface SessionState {
  recipientsByWorkspace: Map<string, string[]>;
}

function stateOf(session: SMTPServerSession): SessionState {
  const holder = session as SMTPServerSession & { truthdesk?: SessionState };
  holder.truthdesk ??= { recipientsByWorkspace: new Map() };
  return holder.truthdesk;
}

export async function startSmtpListener(options: {
  database: Database;
  logger: Logger;
  port: number;
  host: string;
  /** Called after a message is stored (wakes the job poller). */
  onStored?: () => void;
}): Promise<SmtpListener> {
  const { database, logger } = options;
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    name: 'truthdesk',
    banner: 'TruthDesk',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onMailFrom(_address, session, callback) {
      stateOf(session).recipientsByWorkspace = new Map();
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session, callback) {
      workspaceForRecipient(database.db, address.address)
        .then((workspaceId) => {
          if (!workspaceId) {
            const error = new Error(`<${address.address}>: no such mailbox here`) as Error & { responseCode: number };
            error.responseCode = 550;
            callback(error);
            return;
          }
          const byWorkspace = stateOf(session).recipientsByWorkspace;
          byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), address.address]);
          callback();
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'smtp: recipient lookup failed');
          const temporary = new Error('temporary failure, try again later') as Error & { responseCode: number };
          temporary.responseCode = 451;
          callback(temporary);
        });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const streamWithSize = stream as typeof stream & { sizeExceeded?: boolean };
        if (streamWithSize.sizeExceeded) {
          const error = new Error('message too large') as Error & { responseCode: number };
          error.responseCode = 552;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
        storeInbound(database.db, { from, recipientsByWorkspace: stateOf(session).recipientsByWorkspace }, raw)
          .then((ids) => {
            logger.info({ inbound: ids, bytes: raw.length }, 'smtp: message stored');
            options.onStored?.();
            callback(null, `stored as ${ids.join(', ')}`);
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, 'smtp: could not store a message');
            const temporary = new Error('could not store the message, try again later') as Error & { responseCode: number };
            temporary.responseCode = 451;
            callback(temporary);
          });
      });
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    host: options.host,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
