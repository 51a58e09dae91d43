// The five moments of truth as a ribbon: how many touchpoints this customer had at each stage
// and how they went (share of positive and negative), in journey order.
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.ts';
import { STAGES } from '../types.ts';
import type { Touchpoint } from '../types.ts';

export function JourneyRibbon({ touchpoints }: { touchpoints: Touchpoint[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ol className="ribbon" aria-label={t('journey.ribbon')}>
      {STAGES.map((stage) => {
        const at = touchpoints.filter((tp) => tp.stage === stage);
        const positive = at.filter((tp) => tp.valence === 'positive').length;
        const negative = at.filter((tp) => tp.valence === 'negative').length;
        const mood = at.length === 0 ? 'none' : negative > positive ? 'negative' : positive > negative ? 'positive' : 'neutral';
        const last = at.at(-1);
        return (
          <li key={stage} className={`ribbon-stage stage-${stage} mood-${mood}`}>
            <span className="ribbon-name">{t(`stages.${stage}.name`)}</span>
            <span className="ribbon-count">
              {at.length === 0
                ? t('journey.notReached')
                : t('journey.touchpointCount', { count: at.length, formatted: format.number(at.length) })}
            </span>
            {at.length > 0 && (
              <span className="ribbon-mood">
                {t('journey.mood', { positive: format.number(positive), negative: format.number(negative) })}
              </span>
            )}
            {last && (
              <span className="ribbon-last muted">
                <time dateTime={last.occurredAt}>{format.date(last.occurredAt)}</time>
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
