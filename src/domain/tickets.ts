// The ticket lifecycle as pure rules: which status changes are allowed, and what a new
// message does to a ticket's status and response timestamps.

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CHANNELS = ['email', 'chat', 'phone', 'web', 'social', 'api'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const MESSAGE_KINDS = ['customer', 'reply', 'note'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * Allowed status changes. A ticket is never set back to `new`; `closed` is final (a customer
 * writing again about a closed ticket starts a follow-up ticket); only a solved ticket can
 * be closed, so every closed ticket was first solved.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** The timestamps and counters the lifecycle maintains on a ticket. */
export interface TicketLifecycle {
  status: TicketStatus;
  firstCustomerMessageAt: Date | null;
  firstResponseAt: Date | null;
  lastCustomerMessageAt: Date | null;
  lastAgentReplyAt: Date | null;
  publicReplyCount: number;
  solvedAt: Date | null;
  reopenedAt: Date | null;
  reopenCount: number;
  closedAt: Date | null;
}

export class TransitionError extends Error {
  constructor(
    readonly from: TicketStatus,
    readonly to: TicketStatus,
  ) {
    super(
      `A ticket cannot go from ${from} to ${to}` +
        (TRANSITIONS[from].length ? `; allowed: ${TRANSITIONS[from].join(', ')}` : '; closed tickets are final'),
    );
  }
}

/** Applies a status change, keeping solve/reopen/close facts. Throws TransitionError if not allowed. */
export function changeStatus(ticket: TicketLifecycle, to: TicketStatus, at: Date): TicketLifecycle {
  if (ticket.status === to) return ticket;
  if (!canTransition(ticket.status, to)) throw new TransitionError(ticket.status, to);
  const next: TicketLifecycle = { ...ticket, status: to };
  if (to === 'solved') next.solvedAt = at; // the last solve is the one resolution time counts
  if (to === 'closed') next.closedAt = at;
  if (ticket.status === 'solved' && to !== 'closed') {
    next.reopenedAt = at;
    next.reopenCount = ticket.reopenCount + 1;
  }
  return next;
}

/**
 * What a new message does. A customer writing reopens a solved ticket and wakes a pending
 * one; an agent's public reply answers (first response, reply count) and, unless the agent
 * chose a status, moves a new ticket to open. Internal notes change nothing customer-facing.
 */
export function applyMessage(
  ticket: TicketLifecycle,
  kind: MessageKind,
  at: Date,
  requestedStatus?: TicketStatus,
): TicketLifecycle {
  if (ticket.status === 'closed') throw new TransitionError('closed', requestedStatus ?? 'open');
  let next: TicketLifecycle = { ...ticket };
  if (kind === 'customer') {
    next.firstCustomerMessageAt ??= at;
    next.lastCustomerMessageAt = at;
    if (ticket.status === 'solved' || ticket.status === 'pending') next = changeStatus(next, 'open', at);
  } else if (kind === 'reply') {
    // First response time runs from the customer's first message: a reply before it (an
    // agent reaching out) is not a response to anything.
    if (next.firstCustomerMessageAt) next.firstResponseAt ??= at;
    next.lastAgentReplyAt = at;
    next.publicReplyCount = ticket.publicReplyCount + 1;
    if (!requestedStatus && ticket.status === 'new') next = changeStatus(next, 'open', at);
  }
  if (requestedStatus) next = changeStatus(next, requestedStatus, at);
  return next;
}

export function newTicketLifecycle(createdAt: Date, firstMessage: 'customer' | 'reply' | 'none'): TicketLifecycle {
  const base: TicketLifecycle = {
    status: 'new',
    firstCustomerMessageAt: null,
    firstResponseAt: null,
    lastCustomerMessageAt: null,
    lastAgentReplyAt: null,
    publicReplyCount: 0,
    solvedAt: null,
    reopenedAt: null,
    reopenCount: 0,
    closedAt: null,
  };
  return firstMessage === 'customer' ? applyMessage(base, 'customer', createdAt) : base;
}
