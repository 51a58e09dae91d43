// One text in English, Greek and Arabic: three labelled inputs, the Arabic one right-to-left.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../types.ts';
import type { Localised } from './survey-api.ts';

interface Props {
  legend: string;
  value: Localised;
  onChange: (value: Localised) => void;
  /** What the server says when left empty (its built-in text), per language. */
  placeholder?: string;
  error?: string | undefined;
}

export function LocalisedFields({ legend, value, onChange, placeholder, error }: Props) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="localised" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {LANGUAGES.map((l) => (
        <div className="field" key={l}>
          <label htmlFor={`${id}-${l}`}>{t(`languages.${l}`)}</label>
          <input
            id={`${id}-${l}`}
            lang={l}
            dir={l === 'ar' ? 'rtl' : 'ltr'}
            value={value[l] ?? ''}
            placeholder={placeholder}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onChange({ ...value, [l]: e.target.value })}
          />
        </div>
      ))}
      {error && (
        <p className="form-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
