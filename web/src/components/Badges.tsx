import { useTranslation } from 'react-i18next';
import type { Priority, Stage, Status, Valence } from '../types.ts';

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return <span className={`badge priority-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function StageBadge({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return <span className={`badge stage stage-${stage}`}>{t(`stages.${stage}.short`)}</span>;
}

export function ValenceMark({ valence }: { valence: Valence }) {
  const { t } = useTranslation();
  const symbol = valence === 'positive' ? '+' : valence === 'negative' ? '−' : '•';
  return (
    <span className={`valence valence-${valence}`} title={t(`valence.${valence}`)}>
      <span aria-hidden="true">{symbol}</span>
      <span className="visually-hidden">{t(`valence.${valence}`)}</span>
    </span>
  );
}
