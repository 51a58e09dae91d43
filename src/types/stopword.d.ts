// The stopword package ships no types; these are the lists TruthDesk reads.
declare module 'stopword' {
  export const eng: readonly string[];
  export const ell: readonly string[];
  export const ara: readonly string[];
}
