// @mentions while writing an internal note, pure: the "@words" being typed before the cursor,
// the agents they may name (accents, case, final sigma and Arabic letter forms aside), and the
// text with the mention written out in the form the server's parser recognises: "@" and the
// agent's full display name (src/domain/at-mentions.ts).
import type { Agent } from './types.ts';

/** Folded for comparison: no accents or Arabic diacritics/tatweel, one form of alef/ya/ta marbuta, lower case, ς → σ. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\p{M}\u0640]/gu, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .toLocaleLowerCase()
    .replace(/ς/g, 'σ')
    .replace(/[._-]+/g, ' ');
}

const NAME_CHAR = '[\\p{L}\\p{M}\\p{N}._-]';
/** "@" not glued to a word or an e-mail address, then up to three words (a name may have spaces). */
const AT_QUERY = new RegExp(`(?:^|[^\\p{L}\\p{M}\\p{N}._@])@(${NAME_CHAR}*(?: ${NAME_CHAR}*){0,2})$`, 'u');

export interface MentionQuery {
  /** Index of the "@" in the text. */
  start: number;
  /** What follows the "@" up to the cursor. */
  query: string;
}

/** The mention being typed just before `caret`, if any. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = AT_QUERY.exec(before);
  if (!match) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Agents whose name (any word of it, or the whole) or e-mail name starts with the query; best first. */
export function matchAgents(agents: Agent[], query: string, limit = 8): Agent[] {
  // A trailing space stays: "δημητρα " still leads to a full name, a finished name leads nowhere.
  const q = fold(query).trimStart();
  const scored: { agent: Agent; score: number }[] = [];
  for (const agent of agents) {
    if (!agent.active) continue;
    const name = fold(agent.name);
    const local = fold(agent.email.split('@')[0] ?? '');
    let score = -1;
    if (!q) score = 0;
    else if (name.startsWith(q)) score = 3;
    else if (name.split(' ').some((w) => w.startsWith(q))) score = 2;
    else if (local.startsWith(q)) score = 1;
    if (score >= 0) scored.push({ agent, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.agent.name.localeCompare(b.agent.name))
    .slice(0, limit)
    .map((s) => s.agent);
}

/** The text with the mention being typed replaced by "@Full Name " and where the cursor goes. */
export function insertMention(text: string, mention: MentionQuery, caret: number, agent: Agent): { text: string; caret: number } {
  const inserted = `@${agent.name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}
