// Importing reviews and social posts from a CSV file (`truthdesk import mentions`): streamed,
// each row validated like the API's mentions and stored through storeMention, so the same
// platform + URL (or platform + id) twice is stored once and re-importing a file adds nothing.
// Bad rows are counted and reported by line number; good rows are kept.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { csvRows } from '../shared/csv.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { mentionInput, storeMention } from './service.ts';

export interface MentionImportSummary {
  total: number;
  stored: number;
  duplicate: number;
  invalid: number;
  /** The first invalid rows (at most MAX_REPORTED_INVALID), by line number. */
  invalidLines: Array<{ line: number; error: string }>;
}

export const MAX_REPORTED_INVALID = 20;

/** CSV header → field of a mention; headers are matched case-, space- and underscore-insensitively. */
const COLUMNS: Record<string, string> = {
  platform: 'platform',
  source: 'platform',
  kind: 'kind',
  type: 'kind',
  id: 'id',
  externalid: 'id',
  url: 'url',
  link: 'url',
  author: 'author',
  name: 'author',
  rating: 'rating',
  stars: 'rating',
  text: 'text',
  body: 'text',
  review: 'text',
  publishedat: 'publishedAt',
  published: 'publishedAt',
  date: 'publishedAt',
  customerid: 'customerId',
};

const headerKey = (header: string) => header.replace(/^\uFEFF/, '').toLowerCase().replace(/[\s_-]+/g, '');

/** A date without a zone is taken as UTC; a bare date as midnight UTC. */
function isoDate(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(value);
  if (local) return `${local[1]}T${local[2]}${local[3] ?? ':00'}Z`;
  return value.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
}

function rowToMention(row: Record<string, string>, defaults: { platform?: string }): { mention: Record<string, unknown>; unknown: string[] } {
  const mention: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [header, raw] of Object.entries(row)) {
    const field = COLUMNS[headerKey(header)];
    if (!field) {
      if (header.trim()) unknown.push(header);
      continue;
    }
    const value = raw.trim();
    if (value === '') continue;
    if (field === 'rating') mention.rating = /^\d+([.,]\d+)?$/.test(value) ? Number(value.replace(',', '.')) : value;
    else if (field === 'publishedAt') mention.publishedAt = isoDate(value);
    else if (field === 'text') mention.text = raw; // the text exactly as written (validation trims and NFCs)
    else mention[field] = value;
  }
  if (mention.platform === undefined && defaults.platform) mention.platform = defaults.platform;
  return { mention, unknown };
}

export async function importMentionsCsv(
  ctx: WorkspaceContext,
  file: string,
  options: { platform?: string; onProgress?: (bytesRead: number, totalBytes: number) => void } = {},
): Promise<MentionImportSummary> {
  const totalBytes = (await stat(file)).size;
  const input = createReadStream(file);
  let bytesRead = 0;
  input.on('data', (chunk: Buffer | string) => {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  });
  const summary: MentionImportSummary = { total: 0, stored: 0, duplicate: 0, invalid: 0, invalidLines: [] };
  const reportInvalid = (line: number, error: string) => {
    summary.invalid++;
    if (summary.invalidLines.length < MAX_REPORTED_INVALID) summary.invalidLines.push({ line, error });
  };
  let lastProgress = 0;
  for await (const row of csvRows(input)) {
    summary.total++;
    if ('error' in row) {
      reportInvalid(row.line, row.error);
      continue;
    }
    const { line } = row;
    const { mention } = rowToMention(row.record, options);
    const parsed = mentionInput.safeParse(mention);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      reportInvalid(line, issue ? `${issue.path.join('.') || 'row'}: ${issue.message}` : 'invalid row');
    } else {
      const result = await storeMention(ctx, parsed.data, summary.total - 1);
      if (result.status === 'stored') summary.stored++;
      else if (result.status === 'duplicate') summary.duplicate++;
      else reportInvalid(line, result.error ?? 'invalid row');
    }
    if (summary.total - lastProgress >= 50) {
      lastProgress = summary.total;
      options.onProgress?.(bytesRead, totalBytes);
    }
  }
  options.onProgress?.(totalBytes, totalBytes);
  summary.invalidLines.sort((a, b) => a.line - b.line);
  return summary;
}
