// Survey invitations by e-mail: the `surveys.email` job sends a queued survey_deliveries row
// through the outbound mail path (nodemailer to TRUTHDESK_SMTP_URL, the same retry policy as
// replies: 5 retries with backoff from 30 s), in the customer's language, right-to-left HTML for
// Arabic. Each attempt is counted with its error; after the last retry the mail is 'failed'.
// Once sent, the stored copy loses its link: the single-use token then exists only in the
// customer's mailbox (the database keeps its hash).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { composeEmail, deliverMail, SEND_POLICY } from '../channels/email/outbound.ts';
import { senderAddress } from '../channels/email/addresses.ts';
import { formatMessageId } from '../domain/email.ts';
import { registerWorker } from '../jobs/index.ts';
import { textToHtml } from '../tickets/content.ts';

const TOKEN_IN_LINK = /sv_[A-Za-z0-9_-]{43}/g;
const REDACTED = 'sv_…';

export type SurveyEmailOutcome = 'sent' | 'skipped' | 'already';

export async function sendSurveyEmail(db: Kysely<DB>, workspaceId: string, deliveryId: string, smtpUrl: string | undefined): Promise<SurveyEmailOutcome> {
  const row = await db
    .selectFrom('survey_deliveries as d')
    .innerJoin('survey_invitations as i', (j) => j.onRef('i.id', '=', 'd.invitation_id').onRef('i.workspace_id', '=', 'd.workspace_id'))
    .select(['d.id', 'd.status', 'd.to_address', 'd.subject', 'd.body_text', 'd.body_html', 'd.locale', 'd.message_id', 'i.status as invitation_status'])
    .where('d.workspace_id', '=', workspaceId)
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row || row.status === 'sent' || row.status === 'skipped') return 'already';
  // Answered meanwhile (in the chat widget) or withdrawn: the mail would only confuse.
  if (row.invitation_status !== 'sent') {
    await db.updateTable('survey_deliveries').set({ status: 'skipped', body_text: row.body_text.replace(TOKEN_IN_LINK, REDACTED), body_html: row.body_html.replace(TOKEN_IN_LINK, REDACTED) })
      .where('workspace_id', '=', workspaceId).where('id', '=', deliveryId).execute();
    return 'skipped';
  }
  if (!smtpUrl) throw new Error('TRUTHDESK_SMTP_URL is not set: outgoing mail cannot be sent');
  const from = await senderAddress(db, workspaceId);
  const lang = row.locale;
  const composed = composeEmail({ bodyHtml: row.body_html || textToHtml(row.body_text), bodyText: row.body_text, quoted: null, rtl: lang === 'ar', lang });
  await deliverMail(smtpUrl, {
    from,
    to: row.to_address,
    subject: row.subject,
    ...(row.message_id ? { messageId: formatMessageId(row.message_id) } : {}),
    text: composed.text,
    html: composed.html,
    headers: {
      // Sent by a machine, not in answer to anything: auto-responders must not answer it (RFC 3834).
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'Content-Language': lang,
    },
  });
  await db
    .updateTable('survey_deliveries')
    .set((eb) => ({
      status: 'sent',
      sent_at: new Date(),
      attempts: eb('attempts', '+', 1),
      last_error: null,
      body_text: row.body_text.replace(TOKEN_IN_LINK, REDACTED),
      body_html: row.body_html.replace(TOKEN_IN_LINK, REDACTED),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', deliveryId)
    .execute();
  return 'sent';
}

registerWorker(
  'surveys.email',
  async (data, ctx) => {
    try {
      await sendSurveyEmail(ctx.db, data.workspaceId, data.deliveryId, ctx.settings.smtpUrl);
    } catch (error) {
      const final = ctx.job.retryCount >= ctx.job.retryLimit;
      await ctx.db
        .updateTable('survey_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: ((error as Error).message || String(error)).slice(0, 2000),
          ...(final ? { status: 'failed' } : {}),
        }))
        .where('workspace_id', '=', data.workspaceId)
        .where('id', '=', data.deliveryId)
        .execute();
      throw error;
    }
  },
  SEND_POLICY,
);
