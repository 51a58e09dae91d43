// The questions of a custom survey: choice, scale or free text, each worded in en/el/ar; add,
// move up and down, remove; choices have their own localised options.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LocalisedFields } from './LocalisedFields.tsx';
import type { CustomQuestion } from './survey-api.ts';

type Kind = CustomQuestion['kind'];
const KINDS: Kind[] = ['choice', 'scale', 'text'];

const nextId = (prefix: string, taken: string[]) => {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
};

function withKind(q: CustomQuestion, kind: Kind): CustomQuestion {
  const base = { id: q.id, text: q.text, ...(q.required ? { required: true } : {}) };
  if (kind === 'choice') return { ...base, kind, options: q.kind === 'choice' ? q.options : [{ value: 'o1', text: {} }, { value: 'o2', text: {} }] };
  if (kind === 'scale') return { ...base, kind, min: q.kind === 'scale' ? q.min : 1, max: q.kind === 'scale' ? q.max : 5 };
  return { ...base, kind };
}

function QuestionEditor({ q, index, count, error, onChange, onMove, onRemove }: {
  q: CustomQuestion; index: number; count: number; error: (path: string) => string | undefined;
  onChange: (q: CustomQuestion) => void; onMove: (step: number) => void; onRemove: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const n = index + 1;
  return (
    <fieldset className="question card">
      <legend>{t('surveys.questionN', { n })}</legend>
      <div className="filters">
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('surveys.questionKind')}</label>
          <select id={`${id}-kind`} value={q.kind} onChange={(e) => onChange(withKind(q, e.target.value as Kind))}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`surveys.questionKinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="check-label">
          <input type="checkbox" checked={Boolean(q.required)} onChange={(e) => onChange({ ...q, required: e.target.checked })} />
          {t('surveys.required')}
        </label>
        <span className="question-actions">
          <button type="button" disabled={index === 0} onClick={() => onMove(-1)}>
            {t('surveys.moveUp')}
            <span className="visually-hidden"> {t('surveys.questionN', { n })}</span>
          </button>
          <button type="button" disabled={index === count - 1} onClick={() => onMove(1)}>
            {t('surveys.moveDown')}
            <span className="visually-hidden"> {t('surveys.questionN', { n })}</span>
          </button>
          <button type="button" onClick={onRemove}>
            {t('surveys.remove')}
            <span className="visually-hidden"> {t('surveys.questionN', { n })}</span>
          </button>
        </span>
      </div>
      <LocalisedFields legend={t('surveys.questionText')} value={q.text} onChange={(text) => onChange({ ...q, text })} error={error(`${index}.text`)} />
      {q.kind === 'scale' && (
        <div className="filters">
          {(['min', 'max'] as const).map((end) => (
            <div className="field" key={end}>
              <label htmlFor={`${id}-${end}`}>{t(`surveys.scale.${end}`)}</label>
              <input id={`${id}-${end}`} type="number" min={0} max={10} value={q[end]} onChange={(e) => onChange({ ...q, [end]: Number(e.target.value) })} />
            </div>
          ))}
        </div>
      )}
      {q.kind === 'choice' && (
        <ol className="options">
          {q.options.map((o, i) => (
            <li key={o.value}>
              <LocalisedFields
                legend={t('surveys.optionN', { n: i + 1 })}
                value={o.text}
                onChange={(text) => onChange({ ...q, options: q.options.map((x, j) => (j === i ? { ...x, text } : x)) })}
              />
              <button type="button" onClick={() => onChange({ ...q, options: q.options.filter((_, j) => j !== i) })}>
                {t('surveys.removeOption', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      {q.kind === 'choice' && (
        <button type="button" onClick={() => onChange({ ...q, options: [...q.options, { value: nextId('o', q.options.map((o) => o.value)), text: {} }] })}>
          {t('surveys.addOption')}
        </button>
      )}
      {(error(`${index}.options`) ?? error(`${index}=`)) && <p className="form-error">{error(`${index}.options`) ?? error(`${index}=`)}</p>}
    </fieldset>
  );
}

export function QuestionsEditor({ questions, onChange, error }: {
  questions: CustomQuestion[]; onChange: (q: CustomQuestion[]) => void; error: (path: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const move = (i: number, step: number) => {
    const next = [...questions];
    const [q] = next.splice(i, 1);
    next.splice(i + step, 0, q!);
    onChange(next);
  };
  return (
    <section className="questions" aria-label={t('surveys.questions')}>
      <h2>{t('surveys.questions')}</h2>
      {questions.map((q, i) => (
        <QuestionEditor
          key={q.id}
          q={q}
          index={i}
          count={questions.length}
          error={(path) => error(`questions.${path}`)}
          onChange={(changed) => onChange(questions.map((x, j) => (j === i ? changed : x)))}
          onMove={(step) => move(i, step)}
          onRemove={() => onChange(questions.filter((_, j) => j !== i))}
        />
      ))}
      <button type="button" onClick={() => onChange([...questions, { id: nextId('q', questions.map((q) => q.id)), kind: 'choice', text: {}, options: [{ value: 'o1', text: {} }, { value: 'o2', text: {} }] }])}>
        {t('surveys.addQuestion')}
      </button>
    </section>
  );
}
