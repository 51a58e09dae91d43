// The follow-up of a reviewer: a ticket to thank them for a review (one that reached and helped
// convert prospects) or to recover them (a negative review), at most one per review. The ticket
// is opened by the team (no first-response clock), in the reviewer's language, with the review
// quoted as an internal note; reviewers without a customer record (an imported mention, a review
// submitted without one) get one, as a mention's ticket does.
import { recordAudit } from '../audit/store.ts';
import { createCustomer } from '../customers/service.ts';
import { addMessage, createTicket } from '../tickets/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { getReview } from './service.ts';
import type { PublishedReview } from './service.ts';

export type FollowUpKind = 'thank_you' | 'recovery';

const SUBJECTS: Record<FollowUpKind, Record<PublishedReview['lang'], string>> = {
  thank_you: { en: 'Thank you for your review', el: 'Ευχαριστούμε για την κριτική σας', ar: 'شكراً على مراجعتك' },
  recovery: { en: 'About your review: how can we make it right?', el: 'Σχετικά με την κριτική σας: πώς μπορούμε να το διορθώσουμε;', ar: 'بخصوص مراجعتك: كيف يمكننا تصحيح الأمر؟' },
};

export interface FollowUp {
  reviewId: string;
  kind: FollowUpKind;
  ticketId: string | null;
  created: boolean;
}

export async function followUpReview(ctx: WorkspaceContext, reviewId: string, requested?: FollowUpKind, at = new Date()): Promise<FollowUp> {
  const review = await getReview(ctx, reviewId);
  const kind: FollowUpKind = requested ?? (review.valence === 'negative' ? 'recovery' : 'thank_you');
  return ctx.db.transaction().execute(async (tx) => {
    const txCtx: WorkspaceContext = { ...ctx, db: tx };
    // The row is claimed first: a second request waits for this one and then finds it.
    const claimed = await tx
      .insertInto('review_followups')
      .values({ workspace_id: ctx.workspaceId, review_id: reviewId, kind, ticket_id: null, created_at: at })
      .onConflict((oc) => oc.columns(['workspace_id', 'review_id']).doNothing())
      .returning('review_id')
      .executeTakeFirst();
    if (!claimed) {
      const existing = await tx
        .selectFrom('review_followups')
        .select(['kind', 'ticket_id'])
        .where('workspace_id', '=', ctx.workspaceId)
        .where('review_id', '=', reviewId)
        .executeTakeFirstOrThrow();
      return { reviewId, kind: existing.kind as FollowUpKind, ticketId: existing.ticket_id, created: false };
    }
    const customerId =
      review.customerId ??
      (
        await createCustomer(txCtx, {
          name: review.author ?? null,
          locale: review.lang,
          attributes: { source: 'review', platform: review.platform, url: review.url },
        })
      ).id;
    const ticket = await createTicket(txCtx, {
      subject: SUBJECTS[kind][review.lang],
      customerId,
      channel: review.source === 'mention' ? 'social' : 'web',
      priority: kind === 'recovery' ? 'high' : 'low',
      status: 'open',
      tags: ['review', kind === 'recovery' ? 'review-recovery' : 'review-thanks'],
      createdAt: at,
    });
    const stars = review.rating === null ? '' : ` (${review.rating}/5)`;
    await addMessage(txCtx, ticket.id, { kind: 'note', text: `${review.platform ?? review.source}${stars}, ${review.publishedAt.slice(0, 10)}:\n\n${review.text}${review.url ? `\n\n${review.url}` : ''}`, at });
    await tx
      .updateTable('review_followups')
      .set({ ticket_id: ticket.id })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('review_id', '=', reviewId)
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'review.follow_up', entityType: 'review', entityId: reviewId, changes: { kind, ticketId: ticket.id, customerId } });
    return { reviewId, kind, ticketId: ticket.id, created: true };
  });
}
