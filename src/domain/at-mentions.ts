// @mentions in internal notes, pure. `@name` names an agent by their display name (whole, or
// its first word when no other agent shares it), or by their e-mail's local part — in any
// script, case and accent: `@Μαρία`, `@μαρια`, `@Μαρία Παπαδοπούλου`, `@كريم`, `@maria.p`.
// Names are compared folded (Greek accents and final sigma, Arabic diacritics and letter
// variants, case), with dots, dashes and underscores as spaces. A name that matches nobody, or
// more than one agent, is left as plain text.
import { normalizeForSearch } from './text.ts';

export interface MentionableAgent {
  id: string;
  name: string;
  email: string;
}

export interface AtMention {
  agentId: string;
  /** The words as written after the @, e.g. "Μαρία Παπαδοπούλου". */
  written: string;
  /** Index of the @ in the text. */
  index: number;
}

/** How many words after the @ may form a name. */
const MAX_NAME_WORDS = 4;
const WORD = /[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}._-]*/u;
const NAME_AFTER_AT = new RegExp(`^${WORD.source}(?:[ \\u00A0]${WORD.source}){0,${MAX_NAME_WORDS - 1}}`, 'u');

/** The comparison form of a name: folded, with . _ - and runs of spaces as one space. */
export function mentionKey(name: string): string {
  return normalizeForSearch(name.replace(/[._-]+/g, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * Every key that names exactly one agent. Full names and e-mail local parts come first; a
 * first name counts only when it is nobody else's key of either kind.
 */
export function mentionDirectory(agents: MentionableAgent[]): Map<string, string> {
  const strong = new Map<string, Set<string>>();
  const weak = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, id: string) => {
    if (!key) return;
    const set = map.get(key) ?? new Set<string>();
    set.add(id);
    map.set(key, set);
  };
  for (const agent of agents) {
    const full = mentionKey(agent.name);
    add(strong, full, agent.id);
    add(strong, mentionKey(agent.email.split('@')[0] ?? ''), agent.id);
    add(weak, full.split(' ')[0] ?? '', agent.id);
  }
  const directory = new Map<string, string>();
  for (const [key, ids] of strong) if (ids.size === 1) directory.set(key, [...ids][0] as string);
  for (const [key, ids] of weak) if (ids.size === 1 && !strong.has(key)) directory.set(key, [...ids][0] as string);
  return directory;
}

/**
 * The agents an internal note mentions, once each, in order of first mention. An @ right after
 * a letter, digit or dot (an e-mail address such as maria@example.com) is not a mention.
 */
export function findAtMentions(text: string, agents: MentionableAgent[]): AtMention[] {
  const directory = mentionDirectory(agents);
  const found: AtMention[] = [];
  const seen = new Set<string>();
  for (let index = text.indexOf('@'); index !== -1; index = text.indexOf('@', index + 1)) {
    const before = index > 0 ? text[index - 1] ?? '' : '';
    if (before && /[\p{L}\p{M}\p{N}._@]/u.test(before)) continue;
    const words = NAME_AFTER_AT.exec(text.slice(index + 1))?.[0].split(/[ \u00A0]/) ?? [];
    for (let n = words.length; n > 0; n--) {
      const written = words.slice(0, n).join(' ').replace(/[._-]+$/u, '');
      const agentId = directory.get(mentionKey(written));
      if (agentId) {
        if (!seen.has(agentId)) {
          seen.add(agentId);
          found.push({ agentId, written, index });
        }
        break;
      }
    }
  }
  return found;
}
