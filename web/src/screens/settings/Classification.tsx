// Classification rules (JSON, versioned: a stale save is refused and reloaded) and a tester
// that places an event with free text on the moments of truth without storing anything.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { StageBadge, ValenceMark } from '../../components/Badges.tsx';
import { useFormat } from '../../format.ts';
import type { Stage, Valence } from '../../types.ts';

interface Tested {
  index: number;
  stage: Stage;
  valence: Valence;
  decidedBy: string;
  confidence: number;
}

export default function Classification() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const ids = { event: useId(), text: useId(), rules: useId() };
  const [notice, setNotice] = useState<string | null>(null);
  const [sample, setSample] = useState('');
  const [tested, setTested] = useState<Tested | null>(null);
  const rules = useQuery({
    queryKey: ['classification-rules'],
    queryFn: () => api<{ version: number; rules: unknown[] }>('/api/v1/classification/rules'),
  });
  const [rulesText, setRulesText] = useState<string | null>(null);
  const shownRules = rulesText ?? (rules.data ? JSON.stringify(rules.data.rules, null, 2) : '');

  /** The draft rules as JSON, or null (and a notice) when they do not parse. */
  function draftRules(): unknown[] | null {
    try {
      const parsed: unknown = JSON.parse(shownRules || '[]');
      if (!Array.isArray(parsed)) throw new Error('not a list');
      return parsed;
    } catch {
      setNotice(t('settings.rulesNotJson'));
      return null;
    }
  }

  async function saveRules() {
    const draft = draftRules();
    if (!draft || !rules.data) return;
    try {
      await api('/api/v1/classification/rules', { method: 'PUT', body: { rules: draft, version: rules.data.version } });
      setRulesText(null);
      setNotice(t('settings.rulesSaved'));
      await client.invalidateQueries({ queryKey: ['classification-rules'] });
    } catch (error) {
      setNotice(
        error instanceof ApiError && error.status === 409
          ? t('settings.rulesConflict')
          : error instanceof ApiError
            ? t('settings.rulesInvalid', { reason: error.message })
            : t('common.saveFailed'),
      );
    }
  }

  async function test(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('event') ?? '').trim() || 'Feedback';
    try {
      const result = await api<{ results: Tested[] }>('/api/v1/classification/test', {
        method: 'POST',
        body: {
          ...(rulesText !== null ? { rules: draftRules() ?? [] } : {}),
          events: [{ event: name, properties: sample.trim() ? { text: sample.trim() } : {} }],
        },
      });
      setTested(result.results[0] ?? null);
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.loadFailed'));
    }
  }

  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">{t('settings.classifier')}</h2>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <p className="muted">{t('settings.rulesHelp', { version: format.number(rules.data?.version ?? 0) })}</p>
      <div className="field">
        <label htmlFor={ids.rules}>{t('settings.rules')}</label>
        <textarea id={ids.rules} rows={8} dir="ltr" className="code" value={shownRules} onChange={(e) => setRulesText(e.target.value)} spellCheck={false} />
      </div>
      <p>
        <button type="button" onClick={() => void saveRules()} disabled={rulesText === null}>
          {t('settings.saveRules')}
        </button>
      </p>
      <p className="muted">{t('settings.classifierHelp')}</p>
      <form onSubmit={test} className="stack">
        <div className="field">
          <label htmlFor={ids.event}>{t('settings.eventName')}</label>
          <input id={ids.event} name="event" dir="ltr" />
        </div>
        <div className="field">
          <label htmlFor={ids.text}>{t('settings.sampleText')}</label>
          <textarea id={ids.text} rows={3} dir="auto" value={sample} onChange={(e) => setSample(e.target.value)} />
        </div>
        <button type="submit">{t('settings.classify')}</button>
      </form>
      {tested && (
        <p role="status" className="tested">
          <StageBadge stage={tested.stage} /> {t(`stages.${tested.stage}.name`)} · <ValenceMark valence={tested.valence} /> {t(`valence.${tested.valence}`)} ·{' '}
          {t('settings.confidence', { value: format.percent(tested.confidence) })}
        </p>
      )}
    </section>
  );
}
