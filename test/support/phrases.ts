// The group key of a phrase as written, for tests to name expected phrases in plain words.
import { phraseKey, splitSentences } from '../../src/domain/keyphrases.ts';

export function keyOfPhrase(text: string): string {
  return phraseKey(splitSentences(text)[0]?.clauses.flat() ?? []);
}
