// The note editor's @mention autocomplete (web/src/mentions.ts) against the server's parser
// (src/domain/at-mentions.ts): whatever the list inserts, the server recognises as that agent.
import { describe, expect, it } from 'vitest';
import { findAtMentions } from '../src/domain/at-mentions.ts';
import { insertMention, matchAgents, mentionAt } from '../web/src/mentions.ts';
import type { Agent } from '../web/src/types.ts';

const agent = (id: string, name: string, email: string, active = true): Agent => ({
  id,
  name,
  email,
  role: 'agent',
  locale: 'en',
  active,
  teamIds: [],
  createdAt: '2026-01-01T00:00:00Z',
});
const AGENTS = [
  agent('00000000-0000-4000-8000-000000000001', 'Δήμητρα Καραγιάννη', 'dimitra.karagianni@aurora.example'),
  agent('00000000-0000-4000-8000-000000000002', 'Δημήτρης Παπαδάκης', 'dimitris.papadakis@aurora.example'),
  agent('00000000-0000-4000-8000-000000000003', 'طارق الشمري', 'tariq.alshammari@aurora.example'),
  agent('00000000-0000-4000-8000-000000000004', 'Rachel Okafor', 'rachel.okafor@aurora.example'),
  agent('00000000-0000-4000-8000-000000000005', 'Νίκος Αντωνίου', 'nikos.antoniou@aurora.example', false),
];

/** Types `typed`, picks the agent named `pick` from the list, and returns the server's reading of the text. */
function typeAndPick(typed: string, pick: string) {
  const mention = mentionAt(typed, typed.length);
  expect(mention, typed).not.toBeNull();
  const options = matchAgents(AGENTS, mention!.query);
  const chosen = options.find((a) => a.name === pick);
  expect(chosen, `${pick} among ${options.map((a) => a.name).join(', ')}`).toBeDefined();
  const { text, caret } = insertMention(typed, mention!, typed.length, chosen!);
  return { text, caret, options: options.map((a) => a.name), found: findAtMentions(text, AGENTS) };
}

describe('@mention autocomplete', () => {
  it('lists agents by any word of their name, accents, case and final sigma aside', () => {
    expect(matchAgents(AGENTS, 'δημ').map((a) => a.name)).toEqual(['Δήμητρα Καραγιάννη', 'Δημήτρης Παπαδάκης']);
    expect(matchAgents(AGENTS, 'ΔΗΜΗΤΡΗΣ').map((a) => a.name)).toEqual(['Δημήτρης Παπαδάκης']);
    expect(matchAgents(AGENTS, 'καραγ').map((a) => a.name)).toEqual(['Δήμητρα Καραγιάννη']);
    expect(matchAgents(AGENTS, 'الشمر').map((a) => a.name)).toEqual(['طارق الشمري']);
    expect(matchAgents(AGENTS, 'okaf').map((a) => a.name)).toEqual(['Rachel Okafor']);
    // By e-mail name too; deactivated agents are not offered.
    expect(matchAgents(AGENTS, 'tariq').map((a) => a.name)).toEqual(['طارق الشمري']);
    expect(matchAgents(AGENTS, 'νικ')).toEqual([]);
  });

  it('finds the name being typed before the cursor, not an e-mail address', () => {
    expect(mentionAt('Ρίξε μια ματιά @Δημ', 19)).toEqual({ start: 15, query: 'Δημ' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('γράψε στο maria@example.com', 27)).toBeNull();
    // Words after a name lead to nobody, so the list closes once a name is written out.
    expect(matchAgents(AGENTS, mentionAt('@Δήμητρα και μετά', 17)!.query)).toEqual([]);
    expect(matchAgents(AGENTS, mentionAt('@Δήμητρα Καραγιάννη ', 20)!.query)).toEqual([]);
    expect(matchAgents(AGENTS, mentionAt('@Δήμητρα ', 9)!.query).map((a) => a.name)).toEqual(['Δήμητρα Καραγιάννη']);
  });

  it('inserts the full name, which the server recognises as that agent (Greek, Arabic, Latin)', () => {
    const greek = typeAndPick('Ρίξε μια ματιά @δημ', 'Δήμητρα Καραγιάννη');
    expect(greek.text).toBe('Ρίξε μια ματιά @Δήμητρα Καραγιάννη ');
    expect(greek.caret).toBe(greek.text.length);
    expect(greek.found.map((m) => m.agentId)).toEqual([AGENTS[0]!.id]);
    const arabic = typeAndPick('يرجى المتابعة @طار', 'طارق الشمري');
    expect(arabic.found.map((m) => m.agentId)).toEqual([AGENTS[2]!.id]);
    const latin = typeAndPick('cc @rach', 'Rachel Okafor');
    expect(latin.found.map((m) => m.agentId)).toEqual([AGENTS[3]!.id]);
  });

  it('keeps the text after the cursor', () => {
    const text = 'Πες στον @Δημ για την επιστροφή';
    const mention = mentionAt(text, 13)!;
    const result = insertMention(text, mention, 13, AGENTS[1]!);
    expect(result.text).toBe('Πες στον @Δημήτρης Παπαδάκης για την επιστροφή');
    expect(findAtMentions(result.text, AGENTS).map((m) => m.agentId)).toEqual([AGENTS[1]!.id]);
  });
});
