// Routing and assignment rules, pure: which queue a new ticket waits in, and which agent of a
// team gets it. The service reads the facts (queues, members, who is available, open tickets)
// under a lock on the team's row and writes the outcome; nothing here reads a clock or a table.

export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'load_balanced'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export interface TeamAssignmentSettings {
  mode: AssignmentMode;
  /** Only agents who are available (an open agent session and status "available") get tickets. */
  onlyAvailable: boolean;
  /** An agent with this many unsolved tickets or more gets no new ones (null: no limit). */
  maxOpenPerAgent: number | null;
}

export interface AssignmentCandidate {
  agentId: string;
  available: boolean;
  /** Unsolved tickets assigned to the agent now (new, open, pending, on hold). */
  openTickets: number;
}

/** The agents who may get a ticket now, by the team's settings. */
export function eligibleAgents(settings: TeamAssignmentSettings, candidates: AssignmentCandidate[]): AssignmentCandidate[] {
  return candidates.filter(
    (c) => (!settings.onlyAvailable || c.available) && (settings.maxOpenPerAgent === null || c.openTickets < settings.maxOpenPerAgent),
  );
}

/**
 * The members in turn order after the cursor (the agent who got the team's last ticket):
 * members are ordered by id, the one after the cursor first, wrapping round.
 */
export function turnOrder<T extends { agentId: string }>(members: T[], cursor: string | null): T[] {
  const sorted = [...members].sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  if (cursor === null) return sorted;
  const next = sorted.findIndex((m) => m.agentId > cursor);
  return next <= 0 ? sorted : [...sorted.slice(next), ...sorted.slice(0, next)];
}

/**
 * The agent who gets the next ticket of a team, or null (manual team, or nobody eligible).
 * Round robin: the next eligible member after the cursor. Load balanced: the eligible member
 * with the fewest unsolved tickets; ties go in round-robin order, so equal agents take turns.
 */
export function pickAgent(settings: TeamAssignmentSettings, candidates: AssignmentCandidate[], cursor: string | null): string | null {
  if (settings.mode === 'manual') return null;
  const order = turnOrder(eligibleAgents(settings, candidates), cursor);
  if (order.length === 0) return null;
  if (settings.mode === 'round_robin') return order[0]?.agentId ?? null;
  let best = order[0] as AssignmentCandidate;
  for (const c of order) if (c.openTickets < best.openTickets) best = c;
  return best.agentId;
}

export interface QueueRule {
  id: string;
  position: number;
  active: boolean;
  /** Empty: any. */
  channels: string[];
  locales: string[];
  tags: string[];
}

export interface TicketFacts {
  channel: string;
  /** The customer's language, when known. */
  locale: string | null;
  tags: string[];
}

/** Whether a ticket satisfies every condition of a queue (an empty condition matches anything). */
export function queueMatches(queue: QueueRule, ticket: TicketFacts): boolean {
  if (!queue.active) return false;
  if (queue.channels.length && !queue.channels.includes(ticket.channel)) return false;
  if (queue.locales.length && (ticket.locale === null || !queue.locales.includes(ticket.locale))) return false;
  if (queue.tags.length && !queue.tags.some((t) => ticket.tags.includes(t))) return false;
  return true;
}

/** The first matching queue by position (then id), or null. */
export function routeToQueue<Q extends QueueRule>(queues: Q[], ticket: TicketFacts): Q | null {
  const ordered = [...queues].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ordered.find((q) => queueMatches(q, ticket)) ?? null;
}
