// Importing touchpoint history from a file (NDJSON of Segment messages, or CSV with one
// touchpoint per row), streamed and sent to ingestBatch in batches. A line without a
// messageId gets one derived from its content, so importing the same file twice stores
// nothing twice.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { csvRows } from '../shared/csv.ts';
import { ingestBatch, MAX_BATCH_MESSAGES } from './ingest.ts';
import { foldPendingPeople } from './store.ts';

export type ImportFormat = 'ndjson' | 'csv';

/** bytesRead so far, and the file's size (null when the source is not a file). */
export type ImportProgress = (bytesRead: number, totalBytes: number | null) => void;

export interface InvalidLine {
  line: number;
  error: string;
}

export interface ImportSummary {
  total: number;
  stored: number;
  duplicate: number;
  invalid: number;
  /** The first invalid lines (at most MAX_REPORTED_INVALID), by line number. */
  invalidLines: InvalidLine[];
}

export const MAX_REPORTED_INVALID = 20;

/** CSV columns that are fields of the Segment message; every other column is a property. */
const MESSAGE_COLUMNS = new Set(['type', 'userId', 'anonymousId', 'event', 'timestamp', 'messageId']);
/** Columns kept as text even when they look like numbers. */
const TEXT_COLUMNS = new Set(['channel', 'text', 'stage', 'valence']);

/** The format a file name suggests, or undefined. */
export function formatFromPath(path: string): ImportFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl') || lower.endsWith('.json')) return 'ndjson';
  return undefined;
}

function derivedMessageId(raw: string): string {
  return `import-${createHash('sha256').update(raw).digest('hex')}`;
}

interface Pending {
  line: number;
  message: unknown;
}

/** A CSV row as a Segment track message: empty cells are left out, numbers become numbers. */
function rowToMessage(row: Record<string, string>): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === '' || column === '') continue;
    if (MESSAGE_COLUMNS.has(column)) message[column] = value;
    else if (!TEXT_COLUMNS.has(column) && /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(value)) properties[column] = Number(value);
    else properties[column] = value;
  }
  message.type ??= 'track';
  message.properties = properties;
  return message;
}

/**
 * Imports touchpoints from a file path (streamed) or from an async iterable of lines.
 * Never throws for bad content (it is counted and reported); throws if the file cannot be read.
 */
export async function importTouchpoints(
  db: Kysely<DB>,
  workspaceId: string,
  source: string | AsyncIterable<string>,
  format: ImportFormat,
  onProgress?: ImportProgress,
): Promise<ImportSummary> {
  const totalBytes = typeof source === 'string' ? (await stat(source)).size : null;
  const input: Readable =
    typeof source === 'string'
      ? createReadStream(source)
      : Readable.from(
          (async function* () {
            for await (const line of source) yield `${line}\n`;
          })(),
        );
  let bytesRead = 0;
  input.on('data', (chunk: Buffer | string) => {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  });

  const summary: ImportSummary = { total: 0, stored: 0, duplicate: 0, invalid: 0, invalidLines: [] };
  const reportInvalid = (line: number, error: string) => {
    summary.invalid++;
    if (summary.invalidLines.length < MAX_REPORTED_INVALID) summary.invalidLines.push({ line, error });
  };
  let pending: Pending[] = [];
  const flush = async () => {
    if (pending.length) {
      const batch = pending;
      pending = [];
      const results = await ingestBatch(
        db,
        workspaceId,
        batch.map((p) => p.message),
      );
      for (const result of results) {
        if (result.status === 'stored') summary.stored++;
        else if (result.status === 'duplicate') summary.duplicate++;
        else reportInvalid(batch[result.index]?.line ?? 0, result.error ?? 'invalid message');
      }
    }
    onProgress?.(bytesRead, totalBytes);
  };
  const add = async (line: number, message: unknown) => {
    pending.push({ line, message });
    if (pending.length >= MAX_BATCH_MESSAGES) await flush();
  };

  if (format === 'ndjson') {
    let lineNumber = 0;
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!text.trim()) continue;
      summary.total++;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch (error) {
        reportInvalid(lineNumber, `not valid JSON: ${(error as Error).message}`);
        continue;
      }
      if (!message || typeof message !== 'object' || Array.isArray(message)) {
        reportInvalid(lineNumber, 'not a JSON object');
        continue;
      }
      const m = message as Record<string, unknown>;
      await add(lineNumber, { ...m, type: m.type ?? 'track', messageId: m.messageId ?? derivedMessageId(text) });
    }
  } else {
    for await (const row of csvRows(input)) {
      summary.total++;
      if ('error' in row) {
        reportInvalid(row.line, row.error);
        continue;
      }
      const message = rowToMessage(row.record);
      message.messageId ??= derivedMessageId(row.raw);
      await add(row.line, message);
    }
  }
  await flush();
  // The history's people recomputed once each, now, rather than once per batch (migration
  // 076): the import ends with the moments rollups complete.
  await foldPendingPeople(db, workspaceId);
  summary.invalidLines.sort((a, b) => a.line - b.line);
  return summary;
}
