// Light, dark, or the system's: remembered in this browser (so the first paint is right) and
// on the agent (so it follows them to another browser).
import type { Theme } from './types.ts';

const KEY = 'truthdesk.theme';

export function storedTheme(): Theme {
  const value = window.localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(theme: Theme): void {
  window.localStorage.setItem(KEY, theme);
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function applyStoredTheme(): void {
  applyTheme(storedTheme());
}
