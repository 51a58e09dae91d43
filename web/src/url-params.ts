// Filters kept in the URL's query string, changed one key at a time.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export type ParamChanges = Record<string, string | null | undefined>;

/**
 * The page's search params and a function that changes some of them. Changes start from the
 * address bar, not from the params of the last render: the router updates the URL at once but
 * re-renders later (in a transition), so two quick changes (a tab, then a filter) would
 * otherwise build on a stale copy and undo the first.
 */
export function useUrlParams(): [URLSearchParams, (changes: ParamChanges) => void] {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (changes: ParamChanges) => {
      setParams(
        () => {
          const next = new URLSearchParams(window.location.search);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [params, update];
}
