// Who has the ticket: team, queue and assignee side by side, as a help-desk agent expects. Team
// and queue go through the assignment API (a queue brings its team); "Assign from team" lets the
// team's own rule (round robin or least loaded) pick an agent.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { useAgents, useMe, useQueues, useTeams } from '../session.ts';
import type { Agent, Assignment, Ticket } from '../types.ts';

interface Props {
  ticket: Ticket;
  onChanged: (ticket: Ticket, notice: string) => void;
  onFailed: (notice: string) => void;
}

type Change = { agentId?: string | null; teamId?: string | null; queueId?: string | null };

export function AssignmentFields({ ticket, onChanged, onFailed }: Props) {
  const { t } = useTranslation();
  const cached = useAgents();
  // Availability changes from minute to minute (agents come online, step away): its own, fresh
  // copy of the agent list, asked for again every 15 s while the ticket is open.
  const live = useQuery({
    queryKey: ['agents', 'availability'],
    queryFn: async () => (await api<{ data: Agent[] }>('/api/v1/agents')).data,
    refetchInterval: 15_000,
  });
  const agents = live.data ? live : cached;
  const label = (a: Agent) => (a.availability ? `${a.name} · ${t(`availability.${a.availability}`)}` : a.name);
  const teams = useTeams();
  const queues = useQueues();
  const me = useMe();
  const ids = { team: useId(), queue: useId(), assignee: useId() };
  const closed = ticket.status === 'closed';

  const assign = useMutation({
    mutationFn: (change: Change) =>
      api<{ ticket: Ticket; assignment: Assignment }>(`/api/v1/tickets/${ticket.id}/assign`, {
        method: 'POST',
        body: { ...change, version: ticket.version },
      }),
    onSuccess: ({ ticket: updated, assignment }, change) => {
      const name = agents.data?.find((a) => a.id === assignment.assigneeId)?.name;
      // Without an agentId the team's rule picked (or found nobody eligible).
      const notice =
        change.agentId === undefined
          ? name
            ? t('assign.picked', { name })
            : t('assign.nobodyEligible')
          : t('ticket.saved');
      onChanged(updated, notice);
    },
    onError: (error) =>
      onFailed(
        error instanceof ApiError && error.status === 409
          ? t('ticket.conflict')
          : error instanceof ApiError && error.status === 422 && /manually/.test(error.message)
            ? t('assign.manualTeam')
            : t('common.saveFailed'),
      ),
  });

  // Changing team or queue keeps the assignee (an agentId given means "not the team's pick").
  const keep = { agentId: ticket.assigneeId };
  const team = teams.data?.find((tm) => tm.id === ticket.teamId);
  const activeAgents = agents.data?.filter((a) => a.active || a.id === ticket.assigneeId) ?? [];
  const inTeam = team ? activeAgents.filter((a) => team.memberIds.includes(a.id)) : [];
  const assignee = agents.data?.find((a) => a.id === ticket.assigneeId);
  const others = team ? activeAgents.filter((a) => !team.memberIds.includes(a.id)) : activeAgents;

  return (
    <fieldset className="assignment" disabled={closed || assign.isPending}>
      <legend className="visually-hidden">{t('assign.legend')}</legend>
      <div className="field">
        <label htmlFor={ids.team}>{t('assign.team')}</label>
        <select id={ids.team} value={ticket.teamId ?? ''} onChange={(e) => assign.mutate({ ...keep, teamId: e.target.value || null })}>
          <option value="">{t('assign.noTeam')}</option>
          {teams.data?.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.queue}>{t('assign.queue')}</label>
        <select id={ids.queue} value={ticket.queueId ?? ''} onChange={(e) => assign.mutate({ ...keep, queueId: e.target.value || null })}>
          <option value="">{t('assign.noQueue')}</option>
          {queues.data
            ?.filter((q) => q.active || q.id === ticket.queueId)
            .map((q) => (
              <option key={q.id} value={q.id}>
                {t('assign.queueOption', { name: q.name, count: q.counts.unassigned })}
              </option>
            ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.assignee}>{t('ticket.assignee')}</label>
        <select id={ids.assignee} value={ticket.assigneeId ?? ''} onChange={(e) => assign.mutate({ agentId: e.target.value || null })}>
          <option value="">{t('ticket.unassigned')}</option>
          {team && inTeam.length > 0 ? (
            <>
              <optgroup label={t('assign.inTeam', { team: team.name })}>
                {inTeam.map((a) => (
                  <option key={a.id} value={a.id}>
                    {label(a)}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('assign.otherAgents')}>
                {others.map((a) => (
                  <option key={a.id} value={a.id}>
                    {label(a)}
                  </option>
                ))}
              </optgroup>
            </>
          ) : (
            others.map((a) => (
              <option key={a.id} value={a.id}>
                {label(a)}
              </option>
            ))
          )}
        </select>
        {assignee?.availability && (
          <p className={`availability availability-${assignee.availability}`} data-testid="assignee-availability">
            {t('assign.assigneeIs', { name: assignee.name, availability: t(`availability.${assignee.availability}`) })}
          </p>
        )}
        <div className="assign-actions">
          {me.data?.agent && ticket.assigneeId !== me.data.agent.id && (
            <button type="button" onClick={() => assign.mutate({ agentId: me.data?.agent?.id ?? null })}>
              {t('ticket.assignToMe')}
            </button>
          )}
          {team?.assignment && team.assignment.mode !== 'manual' && (
            <button type="button" onClick={() => assign.mutate({})}>
              {t('assign.fromTeam')}
            </button>
          )}
        </div>
      </div>
    </fieldset>
  );
}
