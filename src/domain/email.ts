// E-mail rules, pure: Message-ID handling, ticket references in subjects, recognising automatic
// mail (out-of-office, bounces, lists), and cutting quoted history from a reply.

/** `<abc@host>` → `abc@host`; null for anything that is not an id. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  if (!trimmed || /\s/.test(trimmed) || trimmed.length > 995) return null;
  return trimmed;
}

/** Every id in an In-Reply-To / References value (string or list), in order, without brackets. */
export function messageIdList(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  const parts = Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const part of parts) {
    const bracketed = part.match(/<[^<>\s]+>/g);
    const candidates = bracketed ?? part.split(/[\s,]+/);
    for (const c of candidates) {
      const id = normalizeMessageId(c);
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

export const formatMessageId = (id: string) => `<${id}>`;

/** The ticket number referenced in a subject as `[#123]`, if any. */
export function ticketNumberInSubject(subject: string | null | undefined): number | null {
  const match = /\[#(\d{1,9})\]/.exec(subject ?? '');
  return match?.[1] ? Number(match[1]) : null;
}

/** Subject of our reply: `Re: <subject> [#n]` with a single Re: and a single reference. */
export function replySubject(subject: string, ticketNumber: number): string {
  const base = subject
    .replace(/\s*\[#\d{1,9}\]\s*/g, ' ')
    .replace(/^\s*((re|aw|sv|fwd?|ΑΠ|ΣΧΕΤ|رد)\s*:\s*)+/iu, '')
    .trim();
  return `Re: ${base || '…'} [#${ticketNumber}]`;
}

export type AutomatedKind = 'auto-reply' | 'bounce' | 'bulk';

export interface AutomatedSignals {
  /** Header names lower-cased, values as text. */
  headers: ReadonlyMap<string, string>;
  from: string | null;
  /** The top-level content type, e.g. multipart/report. */
  contentType: string | null;
  subject: string | null;
}

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-delivery-subsystem|mail\.delivery\.subsystem)@/i;
const AUTOREPLY_SUBJECT = /^(auto(matic)?\s*(reply|response)|out of (the )?office|abwesenheitsnotiz|αυτόματη απάντηση|εκτός γραφείου|رد تلقائي|خارج المكتب)(?=[\s:,.!-]|$)/iu;

/**
 * Whether a message was sent by a machine (RFC 3834 Auto-Submitted, vendor X-Autoreply /
 * X-Autorespond, Precedence, DSN multipart/report, mailer-daemon). Such mail must never get an
 * automatic answer (no mail loops) and must not reopen a ticket.
 */
export function automatedKind(s: AutomatedSignals): AutomatedKind | null {
  const h = (name: string) => (s.headers.get(name) ?? '').trim().toLowerCase();
  const contentType = (s.contentType ?? '').toLowerCase();
  if (contentType.startsWith('multipart/report') && /report-type\s*=\s*"?delivery-status/.test(h('content-type') || contentType)) {
    return 'bounce';
  }
  if (contentType.startsWith('multipart/report')) return 'bounce';
  if (s.from && BOUNCE_SENDER.test(s.from.trim())) return 'bounce';
  if (s.headers.has('x-failed-recipients')) return 'bounce';
  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-reply';
  if (s.headers.has('x-autoreply') || s.headers.has('x-autorespond') || s.headers.has('x-autoresponse')) return 'auto-reply';
  if (h('x-auto-response-suppress') === 'all' && s.subject && AUTOREPLY_SUBJECT.test(s.subject)) return 'auto-reply';
  const precedence = h('precedence');
  if (precedence === 'auto_reply') return 'auto-reply';
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return 'bulk';
  if (s.headers.has('list-id') || s.headers.has('list-unsubscribe')) return 'bulk';
  if (s.subject && AUTOREPLY_SUBJECT.test(s.subject.trim())) return 'auto-reply';
  return null;
}

// Lines that start the quoted original in common clients, in English, Greek and Arabic.
const QUOTE_HEADERS: RegExp[] = [
  /^On .{1,300}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^Στις .{1,300}έγραψε:\s*$/iu, // Gmail in Greek
  /^Ο χρήστης .{1,300}έγραψε:\s*$/iu,
  /^في .{1,300}كتب.{0,80}:\s*$/u, // Gmail in Arabic
  /^.{1,300}\s(كتب|كتبت):\s*$/u,
  /^-{2,}\s*(Original Message|Αρχικό μήνυμα|الرسالة الأصلية)\s*-{2,}\s*$/iu, // Outlook
  /^_{10,}\s*$/, // Outlook's rule above From:
  /^(From|Από|من):\s.+$/u, // Outlook header block (checked with Sent/Date below)
];

/**
 * The new part of a reply: everything before the first quote header or block of `>` lines.
 * Returns the whole text when nothing looks quoted, or when stripping would leave nothing.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line.startsWith('>')) {
      // A quote block: from here on only quoted lines and blank lines (plus a signature).
      const rest = lines.slice(i).map((l) => l.trim());
      if (rest.every((l) => l === '' || l.startsWith('>') || l === '--' || l === '-- ')) {
        cut = i;
        break;
      }
      continue;
    }
    const header = QUOTE_HEADERS.findIndex((re) => re.test(line));
    if (header === -1) continue;
    if (header === QUOTE_HEADERS.length - 1) {
      // "From: …" only counts when a Sent/Date/Subject line follows shortly.
      const next = lines.slice(i + 1, i + 5).join('\n');
      if (!/^(Sent|Date|Subject|To|Στάλθηκε|Ημερομηνία|Θέμα|Προς|أرسل|التاريخ|الموضوع|إلى):/imu.test(next)) continue;
    }
    cut = i;
    break;
  }
  const kept = lines.slice(0, cut).join('\n').trim();
  return kept === '' ? text.trim() : kept;
}

/** A plain address, lower-cased, for routing; null when it does not look like one. */
export function normalizeAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const a = address.trim().replace(/^<|>$/g, '').toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(a) ? a : null;
}

/**
 * The customer's language from what they wrote, when the script says it plainly: mostly Arabic
 * letters → ar, mostly Greek → el; otherwise null (leave the customer's locale unset).
 */
export function guessLocale(text: string): 'ar' | 'el' | null {
  let arabic = 0;
  let greek = 0;
  let letters = 0;
  for (const ch of text.slice(0, 5000)) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (/[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/.test(ch)) arabic++;
    else if (/[\u0370-\u03FF\u1F00-\u1FFF]/.test(ch)) greek++;
  }
  if (letters === 0) return null;
  if (arabic / letters > 0.3) return 'ar';
  if (greek / letters > 0.3) return 'el';
  return null;
}

/** What a bounce (a delivery status notification, RFC 3464) says about the mail it returns. */
export interface DeliveryReport {
  /** failed, delayed, delivered, relayed, expanded — or null when the bounce has no DSN part. */
  action: string | null;
  /** The enhanced status code, e.g. 5.1.1 (permanent) or 4.4.1 (temporary). */
  status: string | null;
  diagnostic: string | null;
  recipient: string | null;
  /** Message-IDs of the returned original (from its attached headers), without brackets. */
  originalMessageIds: string[];
  /** The mail will not be delivered: a failure, or a 5.x.x status, or a bounce without a DSN part. */
  permanent: boolean;
  /** One line for people: status, diagnostic and recipient. */
  reason: string;
}

/**
 * Reads a bounce as text (the raw message and its report parts): the delivery-status fields
 * and the Message-IDs of the original it returns — every Message-ID header but the bounce's own.
 */
export function readDeliveryReport(text: string, ownMessageId: string | null): DeliveryReport {
  const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.+)$`, 'im').exec(unfolded)?.[1]?.trim() ?? null;
  const action = field('Action')?.toLowerCase().split(/\s/)[0] ?? null;
  const status = /^([245]\.\d{1,3}\.\d{1,3})/.exec(field('Status') ?? '')?.[1] ?? null;
  const diagnostic = field('Diagnostic-Code')?.replace(/^[\w-]+;\s*/, '') ?? null;
  const recipient = (field('Final-Recipient') ?? field('Original-Recipient'))?.replace(/^[\w-]+;\s*/, '') ?? null;
  const own = normalizeMessageId(ownMessageId);
  const ids = new Set<string>();
  for (const match of unfolded.matchAll(/^Message-ID:[ \t]*(<[^<>\s]+>|[^\s<>]+)/gim)) {
    const id = normalizeMessageId(match[1]);
    if (id && id !== own) ids.add(id);
  }
  const temporary = action === 'delayed' || action === 'delivered' || action === 'relayed' || action === 'expanded' || status?.startsWith('4') === true;
  const permanent = action === 'failed' || status?.startsWith('5') === true || (!temporary && action === null && status === null);
  const reason =
    [status, diagnostic ?? (permanent ? 'delivery failed' : `delivery ${action ?? 'delayed'}`)].filter(Boolean).join(' ') +
    (recipient ? ` (${recipient})` : '');
  return { action, status, diagnostic, recipient, originalMessageIds: [...ids], permanent: permanent && !temporary, reason: reason.slice(0, 1000) };
}
