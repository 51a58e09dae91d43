// The first moment of truth is decided in the first seconds of contact. This module turns
// first-contact touchpoints (a product page viewed, an app opened, a sample tried, a demo
// started) into visits with a dwell time, and visits into the FMOT window metrics. Pure.
//
// The rules, exactly:
// - A *visit* starts at a first-contact event (FIRST_CONTACT_EVENTS, compared normalised, or any
//   event whose properties say `firstContact: true`).
// - Its *dwell* is, in this order: the event's own `properties.dwellMs`; else the leave event
//   (LEAVE_EVENTS) that names it (`properties.visitId` = the visit's messageId), its
//   `dwellMs` or else its time minus the visit's start; else the person's first leave event
//   after the start and before their next visit, the same way. Otherwise the dwell is unknown.
//   Negative or non-finite dwell values are ignored (unknown).
// - *First-seconds bounce*: a known dwell of at most 7 s (BOUNCE_MS) — the visitor left
//   within 7 seconds. *Engaged*: a known dwell above 7 s. Visits of unknown dwell count in
//   the visit and conversion figures, not in bounce or engagement.
// - *Conversion in the same visit*: a conversion of the same person at or after the visit's
//   start, before their next visit starts, and no later than 30 minutes (VISIT_TIMEOUT_MS)
//   after the visit ended (start + dwell; the start when the dwell is unknown) — so a
//   checkout on the next page still counts. Each conversion belongs to at most one visit.
// - Rates are over the visits they apply to; no visits → null, never 0.
import { normalizeEventName } from './classifier.ts';

export const BOUNCE_MS = 7_000;
export const VISIT_TIMEOUT_MS = 30 * 60_000;

export const FIRST_CONTACT_EVENTS = [
  'Product Viewed',
  'Product Page Viewed',
  'Page Viewed',
  'App Opened',
  'Sample Tried',
  'Demo Started',
  'Store Visited',
] as const;
export const LEAVE_EVENTS = ['Page Left', 'Product Page Left', 'App Backgrounded', 'App Closed', 'Visit Ended', 'Store Left'] as const;

const FIRST = new Set(FIRST_CONTACT_EVENTS.map(normalizeEventName));
const LEAVE = new Set(LEAVE_EVENTS.map(normalizeEventName));

export interface FmotEvent {
  messageId: string;
  person: string;
  event: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
}

export function isFirstContact(e: Pick<FmotEvent, 'event' | 'properties'>): boolean {
  return FIRST.has(normalizeEventName(e.event)) || e.properties['firstContact'] === true;
}

export function isLeave(e: Pick<FmotEvent, 'event'>): boolean {
  return LEAVE.has(normalizeEventName(e.event));
}

/** A dwell value from properties, in ms, when it is a finite number ≥ 0 (numeric strings accepted). */
export function dwellOf(properties: Record<string, unknown>): number | null {
  const raw = properties['dwellMs'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export interface Visit {
  messageId: string;
  person: string;
  event: string;
  startedAt: Date;
  dwellMs: number | null;
  bounced: boolean | null;
  converted: boolean;
  properties: Record<string, unknown>;
}

const byTime = (a: FmotEvent, b: FmotEvent) =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

/**
 * Visits from a set of touchpoints (first-contact, leave and other events of any people) and
 * the conversions among them (`isConversion`, e.g. mattered.ts's outcomeOf = 'conversion').
 */
export function buildVisits(events: readonly FmotEvent[], isConversion: (e: FmotEvent) => boolean): Visit[] {
  const byPerson = new Map<string, FmotEvent[]>();
  for (const e of events) {
    const list = byPerson.get(e.person);
    if (list) list.push(e);
    else byPerson.set(e.person, [e]);
  }
  const leavesByVisit = new Map<string, FmotEvent>();
  for (const e of events) {
    const visitId = e.properties['visitId'];
    if (isLeave(e) && typeof visitId === 'string' && !leavesByVisit.has(`${e.person}\u0000${visitId}`)) {
      leavesByVisit.set(`${e.person}\u0000${visitId}`, e);
    }
  }
  const visits: Visit[] = [];
  for (const list of byPerson.values()) {
    list.sort(byTime);
    const starts = list.filter((e) => isFirstContact(e));
    const usedConversions = new Set<string>();
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      const from = start.occurredAt.getTime();
      const until = next ? next.occurredAt.getTime() : Infinity;
      const leaveDwell = (leave: FmotEvent) => {
        const own = dwellOf(leave.properties);
        return own ?? leave.occurredAt.getTime() - from;
      };
      let dwell = dwellOf(start.properties);
      if (dwell === null) {
        const named = leavesByVisit.get(`${start.person}\u0000${start.messageId}`);
        if (named) dwell = leaveDwell(named);
      }
      if (dwell === null) {
        const leave = list.find((e) => isLeave(e) && e.occurredAt.getTime() >= from && e.occurredAt.getTime() < until && typeof e.properties['visitId'] !== 'string');
        if (leave) dwell = leaveDwell(leave);
      }
      if (dwell !== null && (!Number.isFinite(dwell) || dwell < 0)) dwell = null;
      const end = from + (dwell ?? 0) + VISIT_TIMEOUT_MS;
      const conversion = list.find((e) => {
        const at = e.occurredAt.getTime();
        return !usedConversions.has(e.messageId) && isConversion(e) && at >= from && at < until && at <= end && e !== start;
      });
      if (conversion) usedConversions.add(conversion.messageId);
      visits.push({
        messageId: start.messageId,
        person: start.person,
        event: start.event,
        startedAt: start.occurredAt,
        dwellMs: dwell,
        bounced: dwell === null ? null : dwell <= BOUNCE_MS,
        converted: conversion !== undefined,
        properties: start.properties,
      });
    });
  }
  return visits.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.messageId < b.messageId ? -1 : 1));
}

export interface FmotCounts {
  visits: number;
  /** Visits whose dwell is known. */
  measured: number;
  bounced: number;
  converted: number;
  /** Sum of known dwell times (ms), for the mean. */
  dwellSumMs: number;
}

export interface FmotMetrics extends FmotCounts {
  engaged: number;
  /** bounced / measured, 0…1; null when nothing was measured. */
  bounceRate: number | null;
  /** engaged / measured. */
  engagementRate: number | null;
  /** converted / visits. */
  conversionRate: number | null;
  meanDwellMs: number | null;
}

export function countVisits(visits: readonly Visit[]): FmotCounts {
  const c: FmotCounts = { visits: 0, measured: 0, bounced: 0, converted: 0, dwellSumMs: 0 };
  for (const v of visits) {
    c.visits += 1;
    if (v.dwellMs !== null) {
      c.measured += 1;
      c.dwellSumMs += v.dwellMs;
      if (v.bounced) c.bounced += 1;
    }
    if (v.converted) c.converted += 1;
  }
  return c;
}

/** The metrics from counts (which a report may sum in SQL); rates rounded to 4 decimals. */
export function fmotMetrics(c: FmotCounts): FmotMetrics {
  const r = (x: number) => Math.round(x * 10_000) / 10_000;
  const engaged = c.measured - c.bounced;
  return {
    ...c,
    engaged,
    bounceRate: c.measured === 0 ? null : r(c.bounced / c.measured),
    engagementRate: c.measured === 0 ? null : r(engaged / c.measured),
    conversionRate: c.visits === 0 ? null : r(c.converted / c.visits),
    meanDwellMs: c.measured === 0 ? null : Math.round(c.dwellSumMs / c.measured),
  };
}

/** The dimensions an FMOT report groups by, read from a visit's properties. */
export const FMOT_DIMENSIONS = ['product', 'page', 'store', 'channel'] as const;
export type FmotDimension = (typeof FMOT_DIMENSIONS)[number];

const DIMENSION_KEYS: Record<FmotDimension, readonly string[]> = {
  product: ['product', 'productId', 'product_id', 'sku'],
  page: ['page', 'path', 'url'],
  store: ['store', 'storeId', 'store_id'],
  channel: ['channel'],
};

/** The visit's value for a dimension (first matching property that is a non-empty string or number), else null. */
export function dimensionValue(properties: Record<string, unknown>, dimension: FmotDimension): string | null {
  for (const key of DIMENSION_KEYS[dimension]) {
    const v = properties[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 200);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return null;
}
