// CSV files with a header line, read row by row for the importers (touchpoints, mentions). A row
// csv-parse cannot read comes in its place, as the error at its line, so the importer counts and
// reports it and goes on with the next.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CsvError } from 'csv-parse';

/** A row: its cells by column, its text without the line breaks around it, and the line it starts on. */
export interface CsvRow {
  record: Record<string, string>;
  raw: string;
  line: number;
}

/** A row that could not be read, at its line. */
export interface CsvBadRow {
  line: number;
  error: string;
}

/** The rows of the stream in file order; an error of the stream itself is thrown. */
export async function* csvRows(input: Readable): AsyncGenerator<CsvRow | CsvBadRow> {
  const skipped: CsvBadRow[] = [];
  const parser = input.pipe(
    parse({
      columns: true,
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        skipped.push({ line: Number((error as { lines?: number } | undefined)?.lines ?? 0), error: error?.message ?? 'unreadable row' });
        return undefined;
      },
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; raw: string; info: { lines: number } }>) {
    yield* skipped.splice(0);
    const raw = item.raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
    // info.lines is the record's last line; a quoted field may span several.
    yield { record: item.record, raw, line: item.info.lines - (raw.match(/\n/g)?.length ?? 0) };
  }
  yield* skipped.splice(0);
}
