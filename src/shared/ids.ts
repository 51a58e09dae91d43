import { v7 as uuidv7 } from 'uuid';

/**
 * UUIDv7: ordered by creation time, so "newest first" is an index scan on the primary key
 * and cursors need no timestamp. Rows imported with a past date get an id from that date.
 */
export function newId(at?: Date): string {
  // uuid's own clock keeps ids made in the same millisecond in creation order; an explicit
  // msecs would give them a random order, so it is used only for dates really in the past.
  if (!at || Math.abs(at.getTime() - Date.now()) < 2_000) return uuidv7();
  return uuidv7({ msecs: at.getTime() });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
