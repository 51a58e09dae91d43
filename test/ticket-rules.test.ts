// The ticket lifecycle and the role rules as pure functions: what an agent may do to a
// ticket's status, what each kind of message does to it, and who may do what.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { can, canGrantRole, PERMISSIONS, ROLES } from '../src/domain/roles.ts';
import type { Permission, Role } from '../src/domain/roles.ts';
import {
  allowedTransitions,
  applyMessage,
  canTransition,
  changeStatus,
  MESSAGE_KINDS,
  newTicketLifecycle,
  TICKET_STATUSES,
  TransitionError,
} from '../src/domain/tickets.ts';
import type { MessageKind, TicketLifecycle, TicketStatus } from '../src/domain/tickets.ts';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A ticket in a given status, as if it had got there by the usual route. */
function ticketIn(status: TicketStatus, overrides: Partial<TicketLifecycle> = {}): TicketLifecycle {
  return { ...newTicketLifecycle(at(0), 'customer'), status, ...overrides };
}

/**
 * The intended rules, written independently of the module: a ticket never goes back to
 * `new`; `closed` is final; only a solved ticket can be closed; a solved ticket is either
 * reopened (to open) or closed; the working statuses move freely among themselves and to
 * solved. Setting the status a ticket already has is a no-op, always accepted.
 */
function intended(from: TicketStatus, to: TicketStatus): boolean {
  if (from === to) return true;
  if (to === 'new' || from === 'closed') return false;
  if (to === 'closed') return from === 'solved';
  if (from === 'solved') return to === 'open';
  return true;
}

describe('status transitions', () => {
  it('follow the transition table, pair by pair', () => {
    const table = Object.fromEntries(TICKET_STATUSES.map((from) => [from, TICKET_STATUSES.filter((to) => to !== from && canTransition(from, to))]));
    expect(table).toEqual({
      new: ['open', 'pending', 'on_hold', 'solved'],
      open: ['pending', 'on_hold', 'solved'],
      pending: ['open', 'on_hold', 'solved'],
      on_hold: ['open', 'pending', 'solved'],
      solved: ['open', 'closed'],
      closed: [],
    });
    for (const from of TICKET_STATUSES) {
      for (const to of TICKET_STATUSES) expect(canTransition(from, to), `${from} → ${to}`).toBe(intended(from, to));
      expect([...allowedTransitions(from)].sort(), `allowed from ${from}`).toEqual(TICKET_STATUSES.filter((to) => to !== from && intended(from, to)).sort());
    }
  });

  it('never go back to new', () => {
    for (const from of TICKET_STATUSES.filter((s) => s !== 'new')) {
      expect(canTransition(from, 'new'), `${from} → new`).toBe(false);
      expect(() => changeStatus(ticketIn(from), 'new', at(5))).toThrow(TransitionError);
    }
  });

  it('treat closed as final', () => {
    for (const to of TICKET_STATUSES.filter((s) => s !== 'closed')) {
      expect(canTransition('closed', to), `closed → ${to}`).toBe(false);
      const closed = ticketIn('closed', { solvedAt: at(1), closedAt: at(2) });
      const error = (() => {
        try {
          changeStatus(closed, to, at(5));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(TransitionError);
      expect((error as TransitionError).message).toMatch(/closed tickets are final/);
      expect(error).toMatchObject({ from: 'closed', to });
    }
  });

  it('close only solved tickets', () => {
    for (const from of TICKET_STATUSES.filter((s) => s !== 'closed')) {
      expect(canTransition(from, 'closed'), `${from} → closed`).toBe(from === 'solved');
    }
    expect(() => changeStatus(ticketIn('open'), 'closed', at(5))).toThrow(/cannot go from open to closed; allowed: pending, on_hold, solved/);
  });

  it('a refused change leaves the ticket as it was', () => {
    const ticket = ticketIn('pending');
    const copy = structuredClone(ticket);
    expect(() => changeStatus(ticket, 'closed', at(5))).toThrow(TransitionError);
    expect(ticket).toEqual(copy);
  });
});

describe('changeStatus', () => {
  it('keeps the time of the final solve, and counts each reopening', () => {
    let t = newTicketLifecycle(at(0), 'customer');
    t = changeStatus(t, 'open', at(1));
    expect(t).toMatchObject({ status: 'open', solvedAt: null, reopenedAt: null, reopenCount: 0 });
    t = changeStatus(t, 'solved', at(10));
    expect(t).toMatchObject({ status: 'solved', solvedAt: at(10), reopenedAt: null, reopenCount: 0 });
    t = changeStatus(t, 'open', at(20));
    expect(t).toMatchObject({ status: 'open', solvedAt: at(10), reopenedAt: at(20), reopenCount: 1 });
    t = changeStatus(t, 'solved', at(30));
    expect(t.solvedAt).toEqual(at(30));
    t = changeStatus(t, 'open', at(40));
    expect(t).toMatchObject({ reopenedAt: at(40), reopenCount: 2 });
    t = changeStatus(t, 'pending', at(45));
    t = changeStatus(t, 'solved', at(50));
    expect(t).toMatchObject({ status: 'solved', solvedAt: at(50), reopenCount: 2 });
  });

  it('closing a solved ticket is not a reopening and records when it closed', () => {
    const solved = changeStatus(ticketIn('open'), 'solved', at(10));
    const closed = changeStatus(solved, 'closed', at(20));
    expect(closed).toMatchObject({ status: 'closed', solvedAt: at(10), closedAt: at(20), reopenCount: 0, reopenedAt: null });
  });

  it('setting the status a ticket already has changes nothing (a re-save does not move the solve time)', () => {
    const solved = changeStatus(ticketIn('open'), 'solved', at(10));
    expect(changeStatus(solved, 'solved', at(99))).toEqual(solved);
    const closed = changeStatus(solved, 'closed', at(20));
    expect(changeStatus(closed, 'closed', at(99))).toEqual(closed);
  });

  it('does not modify the ticket it is given', () => {
    const solved = changeStatus(ticketIn('open'), 'solved', at(10));
    const copy = structuredClone(solved);
    changeStatus(solved, 'open', at(20));
    expect(solved).toEqual(copy);
  });
});

describe('applyMessage', () => {
  it('a customer writing reopens a solved ticket', () => {
    const solved = changeStatus(ticketIn('open'), 'solved', at(10));
    const next = applyMessage(solved, 'customer', at(20));
    expect(next).toMatchObject({ status: 'open', reopenedAt: at(20), reopenCount: 1, lastCustomerMessageAt: at(20), solvedAt: at(10) });
    expect(next.firstCustomerMessageAt).toEqual(at(0));
  });

  it('a customer writing wakes a pending ticket, without counting a reopening', () => {
    const next = applyMessage(ticketIn('pending'), 'customer', at(20));
    expect(next).toMatchObject({ status: 'open', reopenCount: 0, reopenedAt: null, lastCustomerMessageAt: at(20) });
  });

  it('a customer writing leaves new, open and on-hold tickets where they are', () => {
    for (const status of ['new', 'open', 'on_hold'] as const) {
      expect(applyMessage(ticketIn(status), 'customer', at(20)).status, status).toBe(status);
    }
  });

  it('the first customer message is remembered once; the last one moves', () => {
    let t = newTicketLifecycle(at(0), 'none');
    expect(t.firstCustomerMessageAt).toBeNull();
    t = applyMessage(t, 'customer', at(5));
    t = applyMessage(t, 'customer', at(9));
    expect(t).toMatchObject({ firstCustomerMessageAt: at(5), lastCustomerMessageAt: at(9) });
  });

  it('a reply sets the first response once, counts public replies, and opens a new ticket', () => {
    let t = newTicketLifecycle(at(0), 'customer');
    expect(t).toMatchObject({ status: 'new', firstCustomerMessageAt: at(0), firstResponseAt: null, publicReplyCount: 0 });
    t = applyMessage(t, 'reply', at(12));
    expect(t).toMatchObject({ status: 'open', firstResponseAt: at(12), lastAgentReplyAt: at(12), publicReplyCount: 1 });
    t = applyMessage(t, 'customer', at(20));
    t = applyMessage(t, 'reply', at(30));
    expect(t).toMatchObject({ firstResponseAt: at(12), lastAgentReplyAt: at(30), publicReplyCount: 2 });
  });

  it('a reply with a chosen status takes that status (reply and solve in one step)', () => {
    const t = applyMessage(newTicketLifecycle(at(0), 'customer'), 'reply', at(12), 'solved');
    expect(t).toMatchObject({ status: 'solved', solvedAt: at(12), firstResponseAt: at(12), publicReplyCount: 1 });
    const waiting = applyMessage(newTicketLifecycle(at(0), 'customer'), 'reply', at(12), 'pending');
    expect(waiting.status).toBe('pending');
  });

  it('a reply before the customer has written anything is not a first response', () => {
    // An agent reaching out on a ticket logged without a message: first response time is
    // measured from the customer's first message, so it starts only once the customer writes.
    let t = applyMessage(newTicketLifecycle(at(0), 'none'), 'reply', at(5));
    expect(t).toMatchObject({ publicReplyCount: 1, lastAgentReplyAt: at(5), firstResponseAt: null });
    t = applyMessage(t, 'customer', at(60));
    t = applyMessage(t, 'reply', at(75));
    expect(t).toMatchObject({ firstCustomerMessageAt: at(60), firstResponseAt: at(75), publicReplyCount: 2 });
  });

  it('an internal note changes nothing', () => {
    for (const status of TICKET_STATUSES.filter((s) => s !== 'closed')) {
      const ticket = ticketIn(status, { firstResponseAt: at(3), publicReplyCount: 1 });
      expect(applyMessage(ticket, 'note', at(20)), status).toEqual(ticket);
    }
  });

  it('a closed ticket refuses every kind of message', () => {
    const closed = changeStatus(changeStatus(ticketIn('open'), 'solved', at(10)), 'closed', at(20));
    const copy = structuredClone(closed);
    for (const kind of MESSAGE_KINDS) {
      expect(() => applyMessage(closed, kind, at(30)), kind).toThrow(TransitionError);
      expect(() => applyMessage(closed, kind, at(30), 'open'), kind).toThrow(TransitionError);
    }
    expect(closed).toEqual(copy);
  });

  it('a message asking for a status the ticket cannot take is refused whole', () => {
    const ticket = ticketIn('open', { firstResponseAt: at(3), publicReplyCount: 1 });
    const copy = structuredClone(ticket);
    expect(() => applyMessage(ticket, 'reply', at(20), 'new')).toThrow(TransitionError);
    expect(() => applyMessage(ticket, 'reply', at(20), 'closed')).toThrow(TransitionError);
    expect(ticket).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------
// Random histories

type Op = { type: 'status'; to: TicketStatus } | { type: 'message'; kind: MessageKind; requested: TicketStatus | undefined };

const statusArb = fc.constantFrom(...TICKET_STATUSES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('status' as const), to: statusArb }),
  fc.record({
    type: fc.constant('message' as const),
    kind: fc.constantFrom(...MESSAGE_KINDS),
    requested: fc.option(statusArb, { nil: undefined, freq: 1 }),
  }),
);
// Each operation comes 1 ms to 3 days after the previous one.
const historyArb = fc.record({
  start: fc.constantFrom('customer' as const, 'none' as const),
  steps: fc.array(fc.tuple(opArb, fc.integer({ min: 1, max: 3 * 86_400_000 })), { maxLength: 60 }),
});

/** What the intended rules say the status, reopen count, reply count and solve time become. */
interface Model {
  status: TicketStatus;
  reopens: number;
  replies: number;
  solvedAt: number | null;
}

function moveTo(m: Model, to: TicketStatus, time: number): Model {
  return {
    ...m,
    status: to,
    reopens: m.reopens + (m.status === 'solved' && to !== 'closed' ? 1 : 0),
    solvedAt: to === 'solved' ? time : m.solvedAt,
  };
}

/** The model after an operation, or null when the rules refuse it. */
function modelStep(m: Model, op: Op, time: number): Model | null {
  if (op.type === 'status') {
    if (op.to === m.status) return m;
    return intended(m.status, op.to) ? moveTo(m, op.to, time) : null;
  }
  if (m.status === 'closed') return null;
  let s = m;
  if (op.kind === 'customer' && (s.status === 'solved' || s.status === 'pending')) s = moveTo(s, 'open', time);
  if (op.kind === 'reply' && !op.requested && s.status === 'new') s = moveTo(s, 'open', time);
  if (op.requested && op.requested !== s.status) {
    if (!intended(s.status, op.requested)) return null;
    s = moveTo(s, op.requested, time);
  }
  return op.kind === 'reply' ? { ...s, replies: s.replies + 1 } : s;
}

describe('random histories of status changes and messages', () => {
  it('keep every invariant of the lifecycle', () => {
    fc.assert(
      fc.property(historyArb, ({ start, steps }) => {
        let time = T0;
        let ticket = newTicketLifecycle(new Date(time), start);
        let model: Model = { status: 'new', reopens: 0, replies: 0, solvedAt: null };
        let firstResponse: Date | null = null;
        for (const [op, delay] of steps) {
          time += delay;
          const when = new Date(time);
          const before = structuredClone(ticket);
          let next: TicketLifecycle;
          let refused = false;
          try {
            next = op.type === 'status' ? changeStatus(ticket, op.to, when) : applyMessage(ticket, op.kind, when, op.requested);
          } catch (error) {
            expect(error).toBeInstanceOf(TransitionError);
            refused = true;
            next = ticket;
          }
          // The input is never modified, refused or not.
          expect(ticket).toEqual(before);

          const expected = modelStep(model, op, time);
          expect(refused, `${JSON.stringify(op)} from ${ticket.status}`).toBe(expected === null);
          if (expected) model = expected;

          // The status is always one of the six, and the one the rules give.
          expect(TICKET_STATUSES).toContain(next.status);
          expect(next.status).toBe(model.status);
          // Once closed, nothing changes any more.
          if (ticket.status === 'closed') expect(next).toEqual(ticket);
          // A note without a status request changes nothing.
          if (op.type === 'message' && op.kind === 'note' && !op.requested && !refused) expect(next).toEqual(ticket);
          // Reopenings are the solved → (not closed) transitions taken; replies are the replies applied.
          expect(next.reopenCount).toBe(model.reopens);
          expect(next.publicReplyCount).toBe(model.replies);
          // The solve time is the last solve's.
          expect(next.solvedAt?.getTime() ?? null).toBe(model.solvedAt);
          // Every closed ticket was solved first, and not after it closed.
          if (next.closedAt) {
            expect(next.solvedAt).not.toBeNull();
            expect(next.solvedAt!.getTime()).toBeLessThanOrEqual(next.closedAt.getTime());
          }
          // The first response never moves once set, and never precedes the first customer message.
          if (firstResponse) expect(next.firstResponseAt).toEqual(firstResponse);
          firstResponse = next.firstResponseAt;
          if (next.firstResponseAt) {
            expect(next.firstCustomerMessageAt).not.toBeNull();
            expect(next.firstResponseAt.getTime()).toBeGreaterThanOrEqual(next.firstCustomerMessageAt!.getTime());
          }
          // The last customer message and the last reply are never before the first ones.
          if (next.firstCustomerMessageAt) expect(next.lastCustomerMessageAt!.getTime()).toBeGreaterThanOrEqual(next.firstCustomerMessageAt.getTime());
          if (next.firstResponseAt) expect(next.lastAgentReplyAt!.getTime()).toBeGreaterThanOrEqual(next.firstResponseAt.getTime());
          ticket = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a ticket that starts with a customer message gets its first response from the first reply', () => {
    fc.assert(
      fc.property(historyArb, ({ steps }) => {
        let time = T0;
        let ticket = newTicketLifecycle(new Date(time), 'customer');
        let firstReplyAt: number | null = null;
        for (const [op, delay] of steps) {
          time += delay;
          try {
            ticket = op.type === 'status' ? changeStatus(ticket, op.to, new Date(time)) : applyMessage(ticket, op.kind, new Date(time), op.requested);
            if (op.type === 'message' && op.kind === 'reply') firstReplyAt ??= time;
          } catch (error) {
            if (!(error instanceof TransitionError)) throw error;
          }
        }
        expect(ticket.firstCustomerMessageAt).toEqual(new Date(T0));
        expect(ticket.firstResponseAt?.getTime() ?? null).toBe(firstReplyAt);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------

describe('roles', () => {
  it('grant exactly these permissions', () => {
    const granted = Object.fromEntries(ROLES.map((role) => [role, PERMISSIONS.filter((p) => can(role, p))]));
    expect(granted).toEqual({
      owner: [...PERMISSIONS],
      admin: [...PERMISSIONS],
      team_leader: ['tickets:work', 'reports:read', 'audit:read', 'kb:manage'],
      agent: ['tickets:work'],
    });
  });

  it('agents read the knowledge base; owners, admins and team leaders write it', () => {
    expect(ROLES.filter((r) => can(r, 'kb:manage'))).toEqual(['owner', 'admin', 'team_leader']);
  });

  it('only owners and admins erase a customer', () => {
    expect(ROLES.filter((r) => can(r, 'customers:erase'))).toEqual(['owner', 'admin']);
  });

  it('owners and admins manage settings; nobody else does', () => {
    const settings: Permission = 'settings:manage';
    expect(ROLES.filter((r) => can(r, settings))).toEqual(['owner', 'admin']);
  });

  it('team leaders read reports and the audit log but manage neither settings, agents nor teams', () => {
    expect(can('team_leader', 'reports:read')).toBe(true);
    expect(can('team_leader', 'audit:read')).toBe(true);
    expect(can('team_leader', 'settings:manage')).toBe(false);
    expect(can('team_leader', 'agents:manage')).toBe(false);
    expect(can('team_leader', 'team:manage')).toBe(false);
  });

  it('agents only work tickets', () => {
    expect(PERMISSIONS.filter((p) => can('agent', p))).toEqual(['tickets:work']);
  });

  it('every role can work tickets', () => {
    for (const role of ROLES) expect(can(role, 'tickets:work'), role).toBe(true);
  });

  it('owners grant any role, admins any but owner, the others none', () => {
    const grants = Object.fromEntries(ROLES.map((actor) => [actor, ROLES.filter((target: Role) => canGrantRole(actor, target))]));
    expect(grants).toEqual({
      owner: ['owner', 'admin', 'team_leader', 'agent'],
      admin: ['admin', 'team_leader', 'agent'],
      team_leader: [],
      agent: [],
    });
  });

  it('whoever may grant a role holds every permission that role has', () => {
    for (const actor of ROLES) {
      for (const target of ROLES) {
        if (!canGrantRole(actor, target)) continue;
        for (const p of PERMISSIONS) if (can(target, p)) expect(can(actor, p), `${actor} grants ${target} (${p})`).toBe(true);
      }
    }
  });
});
