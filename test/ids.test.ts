import { describe, expect, it } from 'vitest';
import { isUuid, newId } from '../src/shared/ids.ts';

// The UUIDv7's first 48 bits are its milliseconds since the epoch.
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  it('gives an id from a past date that encodes that date, and never the same id twice', () => {
    const at = new Date('2026-01-15T10:20:30.456Z');
    // Enough ids to draw the random pool several times over.
    const ids = Array.from({ length: 2_000 }, () => newId(at));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect(msOf(id)).toBe(at.getTime());
    }
  });

  it('orders ids made now in creation order', () => {
    const ids = Array.from({ length: 1_000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(Math.abs(msOf(ids[0] as string) - Date.now())).toBeLessThan(5_000);
  });
});
