// The SLA countdown of a ticket (due, at risk, breached) and its service-recovery state, as badges.
// The countdown ticks on the page's own clock: the time left (or how late it is) and the
// at-risk/breached styling follow the time passing, without asking the server again.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.ts';
import type { Ticket } from '../types.ts';

const TICK_MS = 30_000;

/** The current time, renewed every `everyMs` (and when the tab comes back into view). */
export function useNow(everyMs = TICK_MS): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const timer = setInterval(tick, everyMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [everyMs]);
  return now;
}

export type SlaView =
  | { state: 'due' | 'at_risk'; dueAt: string }
  | { state: 'overdue'; dueAt: string }
  | { state: 'breached' }
  | null;

/**
 * What the badge says at `now`, from the ticket's SLA clocks: a running clock past its due time
 * is overdue (since its due time), past its warning time at risk; a clock that stopped missed
 * stays breached. Without clocks (an older answer), the server's own view.
 */
export function slaView(sla: Ticket['sla'], now: number): SlaView {
  if (!sla) return null;
  const targets = sla.targets ?? [];
  if (targets.length === 0) {
    if (sla.breached) return { state: 'breached' };
    if (!sla.nextDueAt) return null;
    return { state: sla.atRisk || +new Date(sla.nextDueAt) - now <= 0 ? 'at_risk' : 'due', dueAt: sla.nextDueAt };
  }
  let overdue: string | null = null;
  let next: { dueAt: string; atRisk: boolean } | null = null;
  let missed = false;
  for (const target of targets) {
    if (target.clock !== 'running') {
      if (target.outcome === 'missed') missed = true;
      continue;
    }
    if (!target.dueAt) continue;
    const due = +new Date(target.dueAt);
    if (due <= now) {
      if (overdue === null || due < +new Date(overdue)) overdue = target.dueAt;
      continue;
    }
    const atRisk = target.warnAt !== null && +new Date(target.warnAt) <= now;
    if (next === null || due < +new Date(next.dueAt)) next = { dueAt: target.dueAt, atRisk };
  }
  if (overdue) return { state: 'overdue', dueAt: overdue };
  if (missed) return { state: 'breached' };
  if (next) return { state: next.atRisk ? 'at_risk' : 'due', dueAt: next.dueAt };
  return null;
}

export function SlaBadge({ sla }: { sla: Ticket['sla'] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const now = useNow();
  const view = slaView(sla, now);
  if (!sla || !view) return null;
  if (view.state === 'breached') {
    return (
      <span className="badge sla sla-breached" title={sla.policyName} data-sla="breached">
        {t('sla.breached')}
      </span>
    );
  }
  const when = format.relative(view.dueAt, now);
  const className = view.state === 'overdue' ? 'sla-breached' : view.state === 'at_risk' ? 'sla-at-risk' : 'sla-due';
  const label = view.state === 'overdue' ? t('sla.overdue', { when }) : view.state === 'at_risk' ? t('sla.atRisk', { when }) : t('sla.due', { when });
  return (
    <span className={`badge sla ${className}`} title={`${sla.policyName} · ${format.dateTime(view.dueAt)}`} data-sla={view.state}>
      <time dateTime={view.dueAt}>{label}</time>
    </span>
  );
}

export function RecoveryBadge({ recovery }: { recovery: Ticket['recovery'] }) {
  const { t } = useTranslation();
  if (!recovery) return null;
  return <span className={`badge recovery recovery-${recovery.status}`}>{t(`recovery.status.${recovery.status}`)}</span>;
}
