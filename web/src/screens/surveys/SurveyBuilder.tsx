// The survey builder: kind (CSAT, NPS, CES or custom questions), its wording in en/el/ar, when
// it is sent (ticket solved + delay, a stage or event reached, by hand), how often a customer
// may be asked, which answers ask for service recovery, and whether it is active. The server
// validates; what it refuses is shown beside the field it names, and nothing is saved.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, fieldIssues } from '../../api.ts';
import { STAGES } from '../../types.ts';
import type { Stage } from '../../types.ts';
import { LocalisedFields } from './LocalisedFields.tsx';
import { QuestionsEditor } from './QuestionsEditor.tsx';
import { DEFAULT_NEGATIVE, SURVEY_KINDS, SURVEY_TRIGGERS, written } from './survey-api.ts';
import type { Survey, SurveyKind, SurveyTrigger } from './survey-api.ts';

type Draft = Omit<Survey, 'id' | 'createdAt' | 'updatedAt'>;
const EMPTY: Draft = {
  name: '', type: 'csat', question: {}, commentPrompt: {}, questions: [], trigger: 'ticket_solved', delayMinutes: 60,
  event: null, stage: null, throttleDays: 30, linkTtlHours: 168, negative: DEFAULT_NEGATIVE, active: true,
};
const THRESHOLD = { csat: ['csatMax', 1, 5], nps: ['npsMax', 0, 10], ces: ['cesMin', 1, 7] } as const;

function requestBody(d: Draft, isNew: boolean) {
  const threshold = d.type === 'custom' ? null : THRESHOLD[d.type][0];
  return {
    name: d.name,
    ...(isNew ? { type: d.type } : {}),
    ...(d.type !== 'custom' && Object.keys(written(d.question)).length ? { question: written(d.question) } : {}),
    ...(Object.keys(written(d.commentPrompt)).length ? { commentPrompt: written(d.commentPrompt) } : {}),
    ...(d.type === 'custom' ? { questions: d.questions.map((q) => ({ ...q, text: written(q.text), ...(q.kind === 'choice' ? { options: q.options.map((o) => ({ ...o, text: written(o.text) })) } : {}) })) } : {}),
    trigger: d.trigger,
    ...(d.trigger === 'ticket_solved' ? { delayMinutes: d.delayMinutes } : {}),
    ...(d.trigger === 'stage_reached' && d.event?.trim() ? { event: d.event.trim() } : {}),
    ...(d.trigger === 'stage_reached' && d.stage ? { stage: d.stage } : {}),
    throttleDays: d.throttleDays,
    linkTtlHours: d.linkTtlHours,
    ...(threshold ? { negative: { [threshold]: d.negative[threshold] } } : {}),
    active: d.active,
  };
}

export default function SurveyBuilder() {
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const existing = useQuery({ queryKey: ['survey', id], queryFn: () => api<Survey>(`/api/v1/surveys/${id}`), enabled: !isNew });
  const { t } = useTranslation();
  if (!isNew && existing.isPending) return <p className="loading" role="status">{t('common.loading')}</p>;
  if (!isNew && existing.isError) return <p role="alert">{t('common.loadFailed')}</p>;
  return <Builder key={id} id={isNew ? null : id} initial={existing.data ?? EMPTY} />;
}

function Builder({ id, initial }: { id: string | null; initial: Draft }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const ids = { name: useId(), kind: useId(), trigger: useId(), delay: useId(), stage: useId(), event: useId(), throttle: useId(), ttl: useId(), threshold: useId(), errors: useId() };
  const [d, setD] = useState<Draft>(initial);
  const [failure, setFailure] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((old) => ({ ...old, [key]: value }));

  /** What is wrong with a field ("questions.0.text"), or with exactly it given a trailing "=", in the reader's language. */
  const error = (path: string) => {
    const exact = path.endsWith('=');
    const p = `body.${exact ? path.slice(0, -1) : path}`;
    const issue = failure?.issues.find((i) => i.path === p || (!exact && i.path.startsWith(`${p}.`)));
    if (!issue) return undefined;
    if (/\.options$/.test(issue.path)) return t('surveys.errors.options');
    if (/\.text(\.|$)/.test(issue.path)) return t('surveys.errors.text');
    if (issue.path === 'body.name') return t('surveys.errors.name');
    return t('surveys.errors.field');
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await api<Survey>(id ? `/api/v1/surveys/${id}` : '/api/v1/surveys', { method: id ? 'PATCH' : 'POST', body: requestBody(d, !id) });
      await client.invalidateQueries({ queryKey: ['surveys'] });
      await client.invalidateQueries({ queryKey: ['survey'] });
      void navigate('/surveys');
    } catch (err) {
      setFailure({ message: err instanceof ApiError ? err.message : t('common.saveFailed'), issues: fieldIssues(err) });
      document.getElementById(ids.errors)?.focus();
    } finally {
      setBusy(false);
    }
  }

  const threshold = d.type === 'custom' ? null : THRESHOLD[d.type];
  return (
    <section aria-labelledby="survey-builder-title">
      <p>
        <Link to="/surveys">{t('surveys.back')}</Link>
      </p>
      <h1 id="survey-builder-title">{id ? t('surveys.edit') : t('surveys.new')}</h1>
      <form className="survey-builder" onSubmit={submit} noValidate>
        <div id={ids.errors} tabIndex={-1} role="alert" className={failure ? 'form-errors' : undefined}>
          {failure && (
            <>
              <p className="form-error">{t('surveys.refused')}</p>
              <p lang="en" dir="ltr">
                {failure.message}
              </p>
            </>
          )}
        </div>
        <div className="card">
          <div className="field">
            <label htmlFor={ids.name}>{t('surveys.name')}</label>
            <input id={ids.name} dir="auto" value={d.name} onChange={(e) => set('name', e.target.value)} aria-invalid={error('name') ? true : undefined} aria-describedby={error('name') ? `${ids.name}-e` : undefined} />
            {error('name') && <p className="form-error" id={`${ids.name}-e`}>{error('name')}</p>}
          </div>
          <div className="field">
            <label htmlFor={ids.kind}>{t('surveys.kind')}</label>
            <select id={ids.kind} value={d.type} disabled={Boolean(id)} onChange={(e) => set('type', e.target.value as SurveyKind)}>
              {SURVEY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`surveys.kinds.${k}`)}
                </option>
              ))}
            </select>
            {id && <p className="muted">{t('surveys.kindFixed')}</p>}
          </div>
          {d.type !== 'custom' && (
            <LocalisedFields legend={t('surveys.question')} value={d.question} onChange={(v) => set('question', v)} placeholder={t('surveys.defaultQuestion')} error={error('question')} />
          )}
          <LocalisedFields legend={t('surveys.commentPrompt')} value={d.commentPrompt} onChange={(v) => set('commentPrompt', v)} placeholder={t('surveys.defaultPrompt')} error={error('commentPrompt')} />
        </div>
        {d.type === 'custom' && <QuestionsEditor questions={d.questions} onChange={(q) => set('questions', q)} error={error} />}
        <fieldset className="card">
          <legend>{t('surveys.when')}</legend>
          <div className="filters">
            <div className="field">
              <label htmlFor={ids.trigger}>{t('surveys.trigger')}</label>
              <select id={ids.trigger} value={d.trigger} onChange={(e) => set('trigger', e.target.value as SurveyTrigger)}>
                {SURVEY_TRIGGERS.map((k) => (
                  <option key={k} value={k}>
                    {t(`surveys.triggers.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            {d.trigger === 'ticket_solved' && (
              <div className="field">
                <label htmlFor={ids.delay}>{t('surveys.delayMinutes')}</label>
                <input id={ids.delay} type="number" min={0} value={d.delayMinutes} onChange={(e) => set('delayMinutes', Number(e.target.value))} />
              </div>
            )}
            {d.trigger === 'stage_reached' && (
              <>
                <div className="field">
                  <label htmlFor={ids.stage}>{t('surveys.stage')}</label>
                  <select id={ids.stage} value={d.stage ?? ''} onChange={(e) => set('stage', (e.target.value || null) as Stage | null)}>
                    <option value="">{t('surveys.anyStage')}</option>
                    {STAGES.map((s) => (
                      <option key={s} value={s}>
                        {t(`stages.${s}.name`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={ids.event}>{t('surveys.event')}</label>
                  <input id={ids.event} dir="auto" value={d.event ?? ''} onChange={(e) => set('event', e.target.value)} />
                </div>
              </>
            )}
          </div>
          {error('trigger') && <p className="form-error">{error('trigger')}</p>}
          <div className="filters">
            <div className="field">
              <label htmlFor={ids.throttle}>{t('surveys.throttleDays')}</label>
              <input id={ids.throttle} type="number" min={0} max={365} value={d.throttleDays} onChange={(e) => set('throttleDays', Number(e.target.value))} />
            </div>
            <div className="field">
              <label htmlFor={ids.ttl}>{t('surveys.linkTtlHours')}</label>
              <input id={ids.ttl} type="number" min={1} value={d.linkTtlHours} onChange={(e) => set('linkTtlHours', Number(e.target.value))} />
            </div>
            {threshold && (
              <div className="field">
                <label htmlFor={ids.threshold}>{t(`surveys.threshold.${threshold[0]}`)}</label>
                <input id={ids.threshold} type="number" min={threshold[1]} max={threshold[2]} value={d.negative[threshold[0]]} onChange={(e) => set('negative', { ...d.negative, [threshold[0]]: Number(e.target.value) })} />
              </div>
            )}
          </div>
          <label className="check-label">
            <input type="checkbox" checked={d.active} onChange={(e) => set('active', e.target.checked)} />
            {t('surveys.activeLabel')}
          </label>
        </fieldset>
        <div className="editor-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('surveys.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
