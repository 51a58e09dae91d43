// Survey links as a customer receives them: send the survey, read the link from the mail.
import { expect } from 'vitest';
import type { TestApi } from './api.ts';

const LINK = /\/s\/([^/\s]+)\/(sv_[A-Za-z0-9_-]+)/;

/** The workspace slug and token of the survey link in a mail's text; throws when the mail has none. */
export function surveyLinkFromMail(text: string): { slug: string; token: string } {
  const [, slug, token] = LINK.exec(text) ?? [];
  if (!slug || !token) throw new Error(`no survey link in the e-mail: ${text}`);
  return { slug, token };
}

/** The token of the survey link in a mail's text; throws when the mail has none. */
export const surveyTokenFromMail = (text: string): string => surveyLinkFromMail(text).token;

/** Sends the survey to the customer and returns the token of the link in that mail. */
export async function sendSurveyLink(api: TestApi, ownerToken: string, workspaceId: string, surveyId: string, customerId: string): Promise<string> {
  const sent = await api.request(ownerToken, 'POST', `/api/v1/surveys/${surveyId}/send`, { customerIds: [customerId] });
  expect(sent.statusCode, sent.body).toBe(200);
  const row = await api.database.db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return surveyTokenFromMail(row.body_text);
}
