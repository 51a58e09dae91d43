// One ticket: the conversation, the reply/note editor, its fields, and the customer's journey
// beside it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { PriorityBadge, StatusBadge } from '../components/Badges.tsx';
import { AssignmentFields } from '../components/Assignment.tsx';
import { CannedPicker } from '../components/CannedPicker.tsx';
import { JourneyRibbon } from '../components/JourneyRibbon.tsx';
import { MacroPicker } from '../components/MacroPicker.tsx';
import { LineageBanner, MergeDialog, SplitDialog } from '../components/MergeSplit.tsx';
import { RecoveryPanel } from '../components/RecoveryPanel.tsx';
import { SuggestedArticles } from '../components/SuggestedArticles.tsx';
import { RecoveryBadge, SlaBadge } from '../components/Sla.tsx';
import { useFormat } from '../format.ts';
import { markRead, setPresence, useRefetchInterval } from '../realtime.ts';
import { agentName, useAgents, useMe } from '../session.ts';
import { PRIORITIES, STATUSES } from '../types.ts';
import type { Agent, Journey, Message, Page, Priority, Status, Ticket } from '../types.ts';
import { insertMention, matchAgents, mentionAt } from '../mentions.ts';
import type { MentionQuery } from '../mentions.ts';

type Kind = 'reply' | 'note';

export function TicketScreen() {
  const { id = '' } = useParams();
  // A fresh screen per ticket: the editor, dialogs and notices never carry over to another one.
  return <TicketView key={id} id={id} />;
}

function TicketView({ id }: { id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const format = useFormat();
  const client = useQueryClient();
  const agents = useAgents();
  const [params] = useSearchParams();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const [kind, setKind] = useState<Kind>('reply');
  const [body, setBody] = useState('');
  const [sendStatus, setSendStatus] = useState<Status | ''>('');
  const [notice, setNotice] = useState<string | null>(null);
  const [tagsText, setTagsText] = useState<string | null>(null);
  const [merging, setMerging] = useState(false);
  const [splitting, setSplitting] = useState<Message | null>(null);
  const ids = { mentions: useId(), mentionHint: useId(), editor: useId(), sendStatus: useId(), status: useId(), priority: useId(), tags: useId() };

  // Live events refresh the ticket and its messages; without the socket they poll quietly.
  const refetchInterval = useRefetchInterval(20_000);
  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => api<Ticket>(`/api/v1/tickets/${id}`), refetchInterval });
  const messages = useQuery({
    queryKey: ['messages', id],
    queryFn: async () => (await api<Page<Message>>(`/api/v1/tickets/${id}/messages?limit=200`)).data,
    refetchInterval,
  });
  const customerId = ticket.data?.customer.id;
  const journey = useQuery({
    queryKey: ['journey', customerId],
    queryFn: () => api<Journey>(`/api/v1/customers/${customerId}/journey`),
    enabled: Boolean(customerId),
  });

  useEffect(() => {
    if (params.get('reply') && ticket.data) editorRef.current?.focus();
  }, [params, ticket.data]);

  // Collision detection: say that this ticket is open here (typing while the editor has text),
  // and show who else has it open.
  const me = useMe();
  const typing = body.trim().length > 0;
  useEffect(() => {
    setPresence(id, typing ? 'typing' : 'viewing');
  }, [id, typing]);
  useEffect(() => () => setPresence(null, null), []);
  useEffect(() => markRead(id), [id, messages.data]);
  const presence = useQuery({
    queryKey: ['presence', id],
    queryFn: async () => {
      try {
        return (await api<{ data: { agentId: string; name: string; activity: 'viewing' | 'typing' }[] }>(`/api/v1/tickets/${id}/presence`)).data;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }
    },
    refetchInterval: useRefetchInterval(15_000),
  });
  const others = (presence.data ?? []).filter((p) => p.agentId !== me.data?.agent?.id);
  const othersTyping = others.filter((p) => p.activity === 'typing');

  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['ticket', id] }),
      client.invalidateQueries({ queryKey: ['messages', id] }),
      client.invalidateQueries({ queryKey: ['tickets'] }),
      client.invalidateQueries({ queryKey: ['journey', customerId] }),
    ]);
  };

  const update = useMutation({
    mutationFn: (change: Partial<Pick<Ticket, 'status' | 'priority' | 'assigneeId' | 'tags'>>) =>
      api<Ticket>(`/api/v1/tickets/${id}`, { method: 'PATCH', body: change, headers: { 'if-match': `"${ticket.data?.version ?? 0}"` } }),
    onSuccess: (updated) => {
      client.setQueryData(['ticket', id], updated);
      setNotice(t('ticket.saved'));
      void client.invalidateQueries({ queryKey: ['tickets'] });
    },
    onError: (error) => {
      setNotice(
        error instanceof ApiError && error.status === 409
          ? t('ticket.conflict')
          : error instanceof ApiError && error.code === 'invalid_transition'
            ? t('ticket.invalidTransition')
            : t('common.saveFailed'),
      );
      void refresh();
    },
  });

  const send = useMutation({
    mutationFn: (input: { kind: Kind; body: string; status?: Status }) =>
      api<{ message: Message; ticket: Ticket }>(`/api/v1/tickets/${id}/messages`, { method: 'POST', body: input }),
    onSuccess: async (result) => {
      setBody('');
      setSendStatus('');
      client.setQueryData(['ticket', id], result.ticket);
      setNotice(result.message.kind === 'note' ? t('ticket.noteAdded') : t('ticket.replySent'));
      await refresh();
    },
    onError: (error) => setNotice(error instanceof ApiError && error.code === 'invalid_transition' ? t('ticket.invalidTransition') : t('common.saveFailed')),
  });

  // @mentions in a note: the name being typed before the cursor, and the agents it may be.
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [mentionIndex, setMentionIndex] = useState(0);
  const mentionOptions = kind === 'note' && mention ? matchAgents(agents.data ?? [], mention.query) : [];
  const mentionOpen = mentionOptions.length > 0;
  function trackMention(text: string, caret: number | null) {
    const next = kind === 'note' && caret !== null ? mentionAt(text, caret) : null;
    if (next?.start !== mention?.start || next?.query !== mention?.query) setMentionIndex(0);
    setMention(next);
  }
  function pickMention(agent: Agent) {
    const editor = editorRef.current;
    if (!mention || !editor) return;
    const result = insertMention(body, mention, editor.selectionStart, agent);
    setBody(result.text);
    setMention(null);
    requestAnimationFrame(() => {
      editor.focus();
      editor.setSelectionRange(result.caret, result.caret);
    });
  }

  /** Puts text at the editor's cursor (or at the end), on its own, and puts the cursor after it. */
  function insertIntoEditor(text: string) {
    const editor = editorRef.current;
    const start = editor?.selectionStart ?? body.length;
    const end = editor?.selectionEnd ?? body.length;
    const before = body.slice(0, start);
    const after = body.slice(end);
    const lead = before && !/\s$/.test(before) ? ' ' : '';
    const trail = after && !/^\s/.test(after) ? ' ' : '';
    const next = `${before}${lead}${text}${trail}${after}`;
    setBody(next);
    const caret = before.length + lead.length + text.length;
    requestAnimationFrame(() => {
      editor?.focus();
      editor?.setSelectionRange(caret, caret);
    });
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!body.trim()) return;
    send.mutate({ kind, body, ...(sendStatus ? { status: sendStatus } : {}) });
  }

  if (ticket.isPending) return <p role="status">{t('common.loading')}</p>;
  if (ticket.isError) {
    return (
      <p role="alert" className="form-error">
        {ticket.error instanceof ApiError && ticket.error.status === 404 ? t('ticket.notFound') : t('common.loadFailed')}
      </p>
    );
  }
  const tk = ticket.data;

  return (
    <div className="ticket-layout">
      <section className="page ticket" aria-labelledby="ticket-title">
        <header className="page-head">
          <p className="muted">
            <Link to="/inbox">{t('nav.inbox')}</Link> / #{format.number(tk.number)}
          </p>
          <h1 id="ticket-title" dir="auto">
            {tk.subject}
          </h1>
          <p className="ticket-meta">
            <StatusBadge status={tk.status} /> <PriorityBadge priority={tk.priority} /> <SlaBadge sla={tk.sla} /> <RecoveryBadge recovery={tk.recovery} />{' '}
            <span className="muted">{t(`channel.${tk.channel}`)}</span> ·{' '}
            <Link to={`/customers/${tk.customer.id}`} dir="auto">
              {tk.customer.name ?? tk.customer.email}
            </Link>
          </p>
          {tk.status !== 'closed' && !tk.mergedIntoId && (
            <div className="ticket-actions">
              <MacroPicker
                ticket={tk}
                onApplied={(updated, message) => {
                  client.setQueryData(['ticket', id], updated);
                  setNotice(message);
                  void refresh();
                }}
              />
              <button type="button" onClick={() => setMerging(true)}>
                {t('merge.open')}
              </button>
            </div>
          )}
        </header>
        <LineageBanner ticket={tk} />
        {merging && (
          <MergeDialog
            ticket={tk}
            messageCount={messages.data?.length ?? 0}
            onClose={() => setMerging(false)}
            onMerged={(result) => {
              setMerging(false);
              client.setQueryData(['ticket', id], result.merged);
              client.setQueryData(['ticket', result.ticket.id], result.ticket);
              setNotice(t('merge.done', { number: format.number(result.ticket.number) }));
              void refresh();
            }}
          />
        )}
        {splitting && messages.data && (
          <SplitDialog
            ticket={tk}
            message={splitting}
            messages={messages.data}
            onClose={() => setSplitting(null)}
            onSplit={(result) => {
              setSplitting(null);
              client.setQueryData(['ticket', result.ticket.id], result.ticket);
              void refresh();
              void navigate(`/tickets/${result.ticket.id}`);
            }}
          />
        )}

        {others.length > 0 && (
          <p className="collision" role="status" data-testid="collision">
            {othersTyping.length > 0
              ? t('ticket.othersTyping', { names: format.list(othersTyping.map((p) => p.name)), count: othersTyping.length })
              : t('ticket.othersViewing', { names: format.list(others.map((p) => p.name)), count: others.length })}
          </p>
        )}

        {tk.recovery && <RecoveryPanel ticketId={tk.id} flagged={tk.recovery} />}

        <ol className="conversation" aria-label={t('ticket.conversation')}>
          {messages.data?.map((m) => (
            <li key={m.id} className={`message message-${m.kind}`}>
              <div className="message-head">
                <strong dir="auto">
                  {m.kind === 'customer'
                    ? (tk.customer.name ?? tk.customer.email)
                    : (agentName(agents.data, m.authorAgentId) ?? t('ticket.agent'))}
                </strong>
                <span className="muted">
                  {m.kind === 'note' ? t('ticket.internalNote') : m.kind === 'reply' ? t('ticket.publicReply') : t('ticket.customerMessage')}
                  {' · '}
                  <time dateTime={m.createdAt}>{format.dateTime(m.createdAt)}</time>
                  {tk.status !== 'closed' && (messages.data?.length ?? 0) > 1 && (
                    <>
                      {' · '}
                      <button type="button" className="link-button" onClick={() => setSplitting(m)}>
                        {t('split.open')}
                      </button>
                    </>
                  )}
                </span>
              </div>
              {/* The server keeps every message as sanitised HTML (sanitize-html). */}
              <div className="message-body" dir="auto" dangerouslySetInnerHTML={{ __html: m.html }} />
              {m.attachments.length > 0 && (
                <ul className="attachments">
                  {m.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={`/api/v1/attachments/${a.id}`} dir="auto">
                        {a.filename}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>

        <form className="editor card" onSubmit={submit} aria-label={t('ticket.editor')}>
          <div role="radiogroup" aria-label={t('ticket.messageKind')} className="tabs">
            {(['reply', 'note'] as const).map((k) => (
              <label key={k} className={kind === k ? 'tab active' : 'tab'}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {k === 'reply' ? t('ticket.publicReply') : t('ticket.internalNote')}
              </label>
            ))}
          </div>
          <label htmlFor={ids.editor} className="visually-hidden">
            {kind === 'reply' ? t('ticket.replyLabel') : t('ticket.noteLabel')}
          </label>
          <div className="editor-field">
            <textarea
              id={ids.editor}
              ref={editorRef}
              rows={6}
              dir="auto"
              value={body}
              placeholder={kind === 'reply' ? t('ticket.replyPlaceholder') : t('ticket.notePlaceholder')}
              {...(kind === 'note'
                ? {
                    role: 'combobox',
                    'aria-autocomplete': 'list' as const,
                    'aria-expanded': mentionOpen,
                    'aria-controls': ids.mentions,
                    ...(mentionOpen ? { 'aria-activedescendant': `${ids.mentions}-${mentionIndex}` } : {}),
                    'aria-describedby': ids.mentionHint,
                  }
                : {})}
              onChange={(e) => {
                setBody(e.target.value);
                trackMention(e.target.value, e.target.selectionStart);
                // Repeated while typing, so the others keep seeing it.
                setPresence(id, e.target.value.trim() ? 'typing' : 'viewing');
              }}
              onSelect={(e) => trackMention(e.currentTarget.value, e.currentTarget.selectionStart)}
              onBlur={() => setMention(null)}
              onKeyDown={(e) => {
                if (mentionOpen && mention) {
                  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                    e.preventDefault();
                    const step = e.key === 'ArrowDown' ? 1 : -1;
                    setMentionIndex((i) => (i + step + mentionOptions.length) % mentionOptions.length);
                    return;
                  }
                  if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
                    const agent = mentionOptions[mentionIndex];
                    if (agent) {
                      e.preventDefault();
                      pickMention(agent);
                      return;
                    }
                  }
                  if (e.key === 'Escape') {
                    e.preventDefault();
                    setMention(null);
                    return;
                  }
                }
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
              }}
            />
            {kind === 'note' && (
              <>
                <p id={ids.mentionHint} className="visually-hidden">
                  {t('mention.hint')}
                </p>
                <ul id={ids.mentions} role="listbox" aria-label={t('mention.list')} className="mention-list card" hidden={!mentionOpen}>
                  {mentionOptions.map((agent, index) => (
                    <li
                      key={agent.id}
                      id={`${ids.mentions}-${index}`}
                      role="option"
                      aria-selected={index === mentionIndex}
                      className={index === mentionIndex ? 'active' : undefined}
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => pickMention(agent)}
                    >
                      <bdi>{agent.name}</bdi> <span className="muted">{agent.email}</span>
                    </li>
                  ))}
                </ul>
                <p className="visually-hidden" role="status">
                  {mentionOpen ? t('mention.count', { count: mentionOptions.length }) : ''}
                </p>
              </>
            )}
          </div>
          <div className="editor-actions">
            <CannedPicker
              ticketId={id}
              onInsert={(rendered) => {
                setBody((previous) => (previous.trim() ? `${previous.trimEnd()}\n\n${rendered.text}` : rendered.text));
                setNotice(rendered.missing.length > 0 ? t('canned.missing', { names: format.list(rendered.missing) }) : t('canned.inserted', { name: rendered.name }));
                editorRef.current?.focus();
              }}
            />
            <label htmlFor={ids.sendStatus}>{t('ticket.andSetStatus')}</label>
            <select id={ids.sendStatus} value={sendStatus} onChange={(e) => setSendStatus(e.target.value as Status | '')}>
              <option value="">{t('ticket.keepStatus')}</option>
              {STATUSES.filter((s) => s !== 'new' && s !== 'closed').map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="primary" disabled={send.isPending || !body.trim()}>
              {kind === 'reply' ? t('ticket.sendReply') : t('ticket.addNote')}
            </button>
          </div>
        </form>
        <p className="notice" role="status" aria-live="polite">
          {notice}
        </p>
      </section>

      <aside className="side" aria-label={t('ticket.details')}>
        <section className="card">
          <h2>{t('ticket.details')}</h2>
          <div className="field">
            <label htmlFor={ids.status}>{t('ticket.status')}</label>
            <select id={ids.status} value={tk.status} onChange={(e) => update.mutate({ status: e.target.value as Status })}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.priority}>{t('ticket.priority')}</label>
            <select id={ids.priority} value={tk.priority} onChange={(e) => update.mutate({ priority: e.target.value as Priority })}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <AssignmentFields
            ticket={tk}
            onChanged={(updated, message) => {
              client.setQueryData(['ticket', id], updated);
              setNotice(message);
              void client.invalidateQueries({ queryKey: ['tickets'] });
            }}
            onFailed={(message) => {
              setNotice(message);
              void refresh();
            }}
          />
          <form
            className="field"
            onSubmit={(e) => {
              e.preventDefault();
              const tags = (tagsText ?? tk.tags.join(', '))
                .split(/[,\s]+/)
                .map((s) => s.trim())
                .filter(Boolean);
              update.mutate({ tags });
              setTagsText(null);
            }}
          >
            <label htmlFor={ids.tags}>{t('ticket.tags')}</label>
            <input id={ids.tags} dir="auto" value={tagsText ?? tk.tags.join(', ')} onChange={(e) => setTagsText(e.target.value)} />
            <button type="submit">{t('ticket.saveTags')}</button>
          </form>
        </section>
        <SuggestedArticles
          ticketId={id}
          onInsert={(article) => {
            insertIntoEditor(`${article.title}: ${article.url}`);
            setNotice(t('suggest.inserted', { title: article.title }));
          }}
        />
        <section className="card" aria-labelledby="journey-title">
          <h2 id="journey-title">{t('journey.title')}</h2>
          {journey.data ? (
            <>
              <JourneyRibbon touchpoints={journey.data.touchpoints} />
              <p>
                <Link to={`/customers/${tk.customer.id}`}>{t('journey.open')}</Link>
              </p>
            </>
          ) : (
            <p className="muted">{journey.isError ? t('common.loadFailed') : t('common.loading')}</p>
          )}
        </section>
      </aside>
    </div>
  );
}
