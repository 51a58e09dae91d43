// The answer page at /s/{workspace}/{token}: GET shows the form (reading never uses the link
// up, so mail scanners that open links do no harm), POST (a plain form post) answers it. Errors
// are pages in the customer's language with the same 4xx statuses as the JSON route.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { SURVEY_LOCALES, type SurveyAnswer, type SurveyDefinition, type SurveyLocale } from '../domain/surveys.ts';
import { pageLanguage } from '../http/web.ts';
import { answerInvitation, openInvitation } from './service.ts';
import { messagePage, surveyPage } from './page.ts';
import { PUBLIC_RATE_LIMIT, answerBody, publicLinkParams } from './routes.ts';

const limited = { config: { rateLimit: { max: PUBLIC_RATE_LIMIT.max, timeWindow: PUBLIC_RATE_LIMIT.timeWindowMs } } };

const FORM_LIMIT = 64 * 1024;

function pageHeaders(reply: FastifyReply, status: number): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    // The token is in the path: never send it on to another site.
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
}

function errorKey(error: unknown): { status: number; key: 'expired' | 'answered' | 'invalid' | 'error'; locale?: SurveyLocale } {
  if (error instanceof AppError) {
    const known = (error.details as { locale?: unknown } | undefined)?.locale;
    const locale = isLocale(known) ? { locale: known } : {};
    if (error.status === 410) return { status: 410, key: 'expired', ...locale };
    if (error.status === 409) return { status: 409, key: 'answered', ...locale };
    if (error.status === 404) return { status: 404, key: 'invalid' };
    return { status: error.status, key: 'error', ...locale };
  }
  throw error;
}

const isLocale = (v: unknown): v is SurveyLocale => typeof v === 'string' && (SURVEY_LOCALES as readonly string[]).includes(v);

/**
 * Form fields → the JSON answer: score, comment, publishComment and q_<id> for custom questions.
 * Only a scale question's field is a number: a choice whose value is "1" or a text answer "42"
 * stays the text it is (the form sends everything as text).
 */
function formToAnswer(form: URLSearchParams, def: SurveyDefinition): unknown {
  const answer: Record<string, unknown> = {};
  const answers: Record<string, string | number> = {};
  const scales = new Set(def.questions.filter((q) => q.kind === 'scale').map((q) => q.id));
  for (const [key, value] of form) {
    if (key === 'score') answer.score = /^-?\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
    else if (key === 'comment') answer.comment = value;
    else if (key === 'publishComment') answer.publishComment = value === 'true';
    else if (key.startsWith('q_')) answers[key.slice(2)] = scales.has(key.slice(2)) && /^\d{1,3}$/.test(value) ? Number(value) : value;
  }
  if (Object.keys(answers).length) answer.answers = answers;
  return answer;
}

export function surveyPages(app: FastifyInstance): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    scope.get('/s/:workspace/:token', limited, async (request, reply) => {
      const params = publicLinkParams.safeParse(request.params);
      const asked = (request.query as { lang?: string }).lang;
      if (!params.success) return pageHeaders(reply, 404).send(messagePage(pageLanguage(request), 'invalid'));
      try {
        const open = await openInvitation(app.database.db, params.data.workspace, params.data.token, new Date());
        const locale = isLocale(asked) ? asked : (open.invitation.locale as SurveyLocale);
        return pageHeaders(reply, 200).send(surveyPage(locale, open.definition, request.url.split('?')[0] as string));
      } catch (error) {
        const { status, key, locale } = errorKey(error);
        return pageHeaders(reply, status).send(messagePage(isLocale(asked) ? asked : (locale ?? pageLanguage(request)), key));
      }
    });

    scope.post('/s/:workspace/:token', limited, async (request, reply) => {
      const params = publicLinkParams.safeParse(request.params);
      const lang = pageLanguage(request);
      if (!params.success) return pageHeaders(reply, 404).send(messagePage(lang, 'invalid'));
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      let open;
      try {
        open = await openInvitation(app.database.db, params.data.workspace, params.data.token, new Date());
      } catch (error) {
        const { status, key, locale } = errorKey(error);
        return pageHeaders(reply, status).send(messagePage(locale ?? lang, key));
      }
      const locale = open.invitation.locale as SurveyLocale;
      const parsed = answerBody.safeParse(formToAnswer(form, open.definition));
      const action = request.url.split('?')[0] as string;
      if (!parsed.success) return pageHeaders(reply, 400).send(surveyPage(locale, open.definition, action, 'required'));
      try {
        await answerInvitation(app.database.db, params.data.workspace, params.data.token, parsed.data as SurveyAnswer);
        return pageHeaders(reply, 200).send(messagePage(locale, 'thanks'));
      } catch (error) {
        const { status, key } = errorKey(error);
        if (status === 400) return pageHeaders(reply, 400).send(surveyPage(locale, open.definition, action, 'required'));
        return pageHeaders(reply, status).send(messagePage(locale, key));
      }
    });
  });
}
