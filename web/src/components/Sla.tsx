// The SLA countdown of a ticket (due, at risk, breached) and its service-recovery state, as badges.
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.ts';
import type { Ticket } from '../types.ts';

export function SlaBadge({ sla }: { sla: Ticket['sla'] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!sla) return null;
  if (sla.breached) {
    return (
      <span className="badge sla sla-breached" title={sla.policyName}>
        {t('sla.breached')}
      </span>
    );
  }
  if (!sla.nextDueAt) return null;
  const when = format.relative(sla.nextDueAt);
  return (
    <span className={sla.atRisk ? 'badge sla sla-at-risk' : 'badge sla sla-due'} title={`${sla.policyName} · ${format.dateTime(sla.nextDueAt)}`}>
      <time dateTime={sla.nextDueAt}>{sla.atRisk ? t('sla.atRisk', { when }) : t('sla.due', { when })}</time>
    </span>
  );
}

export function RecoveryBadge({ recovery }: { recovery: Ticket['recovery'] }) {
  const { t } = useTranslation();
  if (!recovery) return null;
  return <span className={`badge recovery recovery-${recovery.status}`}>{t(`recovery.status.${recovery.status}`)}</span>;
}
