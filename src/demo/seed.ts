// Fills a new workspace with the demo catalogue: agents, teams, customers and tickets with
// their conversations, spread over the past weeks, through the same services the API uses.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Role } from '../domain/roles.ts';
import { createAgent, createTeam } from '../agents/service.ts';
import { createCustomer } from '../customers/service.ts';
import { addMessage, createTicket, updateTicket } from '../tickets/service.ts';
import { createWorkspace } from '../workspaces/service.ts';
import { ingestBatch } from '../journeys/ingest.ts';
import { demoJourney } from './journeys.ts';
import { answerDemoSurveys, createDemoSurveys } from './surveys.ts';
import { seedKnowledgeBase } from './kb.ts';
import { seedDemoLoops } from './loops.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { createPolicy, putBusinessHours, sweepSla } from '../sla/service.ts';
import { createCompensationOption, listCompensationOptions, recordRecoveryAction } from '../recovery/service.ts';
import { demoAgents, demoCustomers, demoTeams, demoTickets, demoWorkspace } from './catalogue.ts';
import type { DemoAgent, DemoTicket } from './catalogue.ts';

export const DEMO_PASSWORD = 'truthdesk-demo';
const DAY = 86_400_000;

export interface DemoResult {
  workspaceId: string;
  ownerEmail: string;
  password: string;
  agents: number;
  customers: number;
  tickets: number;
  messages: number;
  /** Touchpoints sent through ingestion (help-desk activity adds its own). */
  touchpoints: number;
  /** Survey answers (CSAT after solved tickets, a manual NPS). */
  surveyAnswers: number;
  /** Knowledge-base articles (language versions), and where the public portal is. */
  kbArticles: number;
  portalPath: string;
}

export type Progress = (done: number, total: number) => void;

/** Picks who answers a ticket: an agent of its team who speaks the customer's language, if any. */
function responderFor(ticket: DemoTicket, locale: string, agents: DemoAgent[], index: number): DemoAgent {
  const sameTeamAndLanguage = agents.filter((a) => a.team === ticket.team && a.locale === locale);
  const sameLanguage = agents.filter((a) => a.locale === locale);
  const pool = sameTeamAndLanguage.length ? sameTeamAndLanguage : sameLanguage.length ? sameLanguage : agents;
  return pool[index % pool.length] as DemoAgent;
}

export async function seedDemo(db: Kysely<DB>, options: { now?: Date; onProgress?: Progress } = {}): Promise<DemoResult> {
  const now = options.now ?? new Date();
  const owner = demoAgents.find((a) => a.role === 'owner') ?? demoAgents[0];
  if (!owner) throw new Error('the demo catalogue has no agents');
  const { workspace, ownerId } = await createWorkspace(db, {
    name: demoWorkspace.name,
    slug: demoWorkspace.slug,
    owner: { email: owner.email, name: owner.name, password: DEMO_PASSWORD, locale: owner.locale },
  });
  const system: WorkspaceContext = { db, workspaceId: workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
  const total = demoAgents.length + demoCustomers.length + demoTickets.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);

  // SLA: Athens office hours with Greek public holidays, targets per priority, and what the
  // team can offer when it lets a customer down. Applied to every demo ticket as it is opened.
  const nineToFive = [{ start: '09:00', end: '17:00' }];
  const year = now.getUTCFullYear();
  await putBusinessHours(system, {
    timeZone: 'Europe/Athens',
    week: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
    holidays: [year - 1, year, year + 1].flatMap((y) => [`${y}-01-01`, `${y}-01-06`, `${y}-03-25`, `${y}-05-01`, `${y}-08-15`, `${y}-10-28`, `${y}-12-25`, `${y}-12-26`]),
  });
  await createPolicy(system, {
    name: 'Aurora standard',
    description: 'Business hours in Athens; urgent tickets answered within the hour',
    warnPercent: 80,
    targets: {
      urgent: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 8 * 60 },
      high: { firstResponseMinutes: 4 * 60, nextResponseMinutes: 2 * 60, resolutionMinutes: 2 * 8 * 60 },
      normal: { firstResponseMinutes: 8 * 60, nextResponseMinutes: 4 * 60, resolutionMinutes: 5 * 8 * 60 },
      low: { firstResponseMinutes: 2 * 8 * 60, nextResponseMinutes: 8 * 60, resolutionMinutes: null },
    },
  });
  await createCompensationOption(system, { kind: 'credit', label: 'Πίστωση 10 € / €10 credit', amount: 10, unit: 'EUR' });
  await createCompensationOption(system, { kind: 'discount', label: '15% έκπτωση στην επόμενη ανανέωση / 15% off the next renewal', amount: 15, unit: 'percent' });
  await createCompensationOption(system, { kind: 'extension', label: 'Ένας μήνας δωρεάν / one month free', amount: 30, unit: 'days' });

  const agentIds = new Map<string, string>([[owner.email, ownerId]]);
  tick();
  for (const agent of demoAgents) {
    if (agent === owner) continue;
    const created = await createAgent(system, { ...agent, role: agent.role as Role, password: DEMO_PASSWORD });
    agentIds.set(agent.email, created.id);
    tick();
  }
  const teamIds = new Map<string, string>();
  for (const team of demoTeams) {
    const members = demoAgents.filter((a) => a.team === team.key).map((a) => agentIds.get(a.email) as string);
    teamIds.set(team.key, (await createTeam(system, { name: team.name, memberIds: members })).id);
  }

  const customerIds = new Map<string, { id: string; locale: string }>();
  let touchpoints = 0;
  for (const [i, c] of demoCustomers.entries()) {
    const joinedAt = new Date(now.getTime() - (90 - i) * DAY);
    const created = await createCustomer(
      system,
      { email: c.email, name: c.name, phone: c.phone ?? null, locale: c.locale, company: c.company ?? null },
      joinedAt,
    );
    customerIds.set(c.key, { id: created.id, locale: c.locale });
    const results = await ingestBatch(db, workspace.id, demoJourney(c, i, joinedAt, now));
    touchpoints += results.filter((r) => r.status === 'stored').length;
    tick();
  }

  const surveys = await createDemoSurveys(system, new Date(now.getTime() - 100 * DAY));
  let messages = 0;
  for (const [i, t] of demoTickets.entries()) {
    const customer = customerIds.get(t.customer);
    if (!customer) throw new Error(`demo ticket names unknown customer ${t.customer}`);
    // Older tickets first, one every ~18 hours, so the newest were opened in the last day.
    const openedAt = new Date(now.getTime() - (demoTickets.length - i) * 18 * 3_600_000);
    const responder = responderFor(t, customer.locale, demoAgents, i);
    const responderId = agentIds.get(responder.email) as string;
    const asAgent: WorkspaceContext = { ...system, actor: { type: 'agent', id: responderId, role: responder.role as Role } };
    const [first, ...rest] = t.messages;
    const hasReplies = rest.some((m) => m.kind !== 'customer');
    const ticket = await createTicket(system, {
      subject: t.subject,
      customerId: customer.id,
      channel: t.channel,
      priority: t.priority,
      tags: t.tags,
      teamId: teamIds.get(t.team) ?? null,
      assigneeId: hasReplies ? responderId : null,
      message: { text: first?.body ?? t.subject },
      createdAt: openedAt,
    });
    messages += 1;
    let lastAt = openedAt;
    for (const m of rest) {
      const at = new Date(Math.min(openedAt.getTime() + m.atMinute * 60_000, now.getTime()));
      // History, not a conversation happening now: nothing is mailed to the demo customers.
      await addMessage(asAgent, ticket.id, { kind: m.kind, text: m.body, at, deliver: false });
      lastAt = at;
      messages += 1;
    }
    if (t.status !== 'new') {
      const path = t.status === 'closed' ? (['solved', 'closed'] as const) : ([t.status] as const);
      for (const [step, status] of path.entries()) {
        const at = new Date(Math.min(lastAt.getTime() + (step + 1) * 30 * 60_000, now.getTime()));
        await updateTicket(asAgent, ticket.id, { status }, undefined, at);
      }
    }
    tick();
  }
  const surveyAnswers = await answerDemoSurveys(system, surveys.npsId, now);
  // The SLA timers of the past weeks, as if they had fired: breaches recorded, tickets flagged
  // for recovery. Two flagged tickets show a recovery carried through.
  await sweepSla(db, now, 10_000);
  const flagged = await db
    .selectFrom('recovery_cases')
    .select('ticket_id')
    .where('workspace_id', '=', workspace.id)
    .where('status', '=', 'needed')
    .orderBy('flagged_at')
    .limit(2)
    .execute();
  const [credit] = await listCompensationOptions(system, true);
  for (const [i, c] of flagged.entries()) {
    if (!credit) break;
    const at = new Date(now.getTime() - (2 - i) * 3_600_000);
    await recordRecoveryAction(system, c.ticket_id, { action: 'sent', at });
    await recordRecoveryAction(system, c.ticket_id, { action: 'offered', compensationOptionId: credit.id, at: new Date(at.getTime() + 60_000) });
    await recordRecoveryAction(system, c.ticket_id, { action: i === 0 ? 'accepted' : 'declined', at: new Date(at.getTime() + 30 * 60_000) });
  }
  const kbArticles = await seedKnowledgeBase(system, now);
  // Published reviews, their views and FMOT visits, so the loop reports have something to show.
  const loops = await seedDemoLoops(system, customerIds, now);
  touchpoints += loops.touchpoints;
  return {
    kbArticles,
    portalPath: `/kb/${workspace.slug}`,
    workspaceId: workspace.id,
    ownerEmail: owner.email,
    password: DEMO_PASSWORD,
    agents: demoAgents.length,
    customers: demoCustomers.length,
    tickets: demoTickets.length,
    messages,
    touchpoints,
    surveyAnswers,
  };
}
