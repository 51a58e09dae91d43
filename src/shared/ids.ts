import { v7 as uuidv7 } from 'uuid';

/**
 * UUIDv7: ordered by creation time, so "newest first" is an index scan on the primary key
 * and cursors need no timestamp. Rows imported with a past date get an id from that date.
 */
export function newId(at?: Date): string {
  return at ? uuidv7({ msecs: at.getTime() }) : uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
