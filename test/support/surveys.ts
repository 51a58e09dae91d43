// Survey links as a customer receives them: send the survey, read the token from the mail.
import { expect } from 'vitest';
import type { TestApi } from './api.ts';

/** Sends the survey to the customer and returns the token of the link in that mail. */
export async function sendSurveyLink(api: TestApi, ownerToken: string, workspaceId: string, surveyId: string, customerId: string): Promise<string> {
  const sent = await api.request(ownerToken, 'POST', `/api/v1/surveys/${surveyId}/send`, { customerIds: [customerId] });
  expect(sent.statusCode, sent.body).toBe(200);
  const row = await api.database.db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /\/s\/[^/]+\/(sv_[A-Za-z0-9_-]+)/.exec(row.body_text)?.[1] ?? 'sv_none';
}
