// The frame around every screen: sidebar navigation (on the right in Arabic), the workspace,
// language and theme, and who is signed in.
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { NotificationsBell } from '../components/NotificationsBell.tsx';
import { LanguageSwitcher, ThemeSwitcher } from '../components/Preferences.tsx';
import { useLiveStatus, useRealtimeConnection } from '../realtime.ts';
import { useSignOut, useWorkspace } from '../session.ts';
import type { Me } from '../types.ts';

export function Shell({ me }: { me: Me }) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const signOut = useSignOut();
  useRealtimeConnection(true);
  const live = useLiveStatus();
  const canReport = me.role !== 'agent';
  const canManage = me.role === 'owner' || me.role === 'admin';

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <aside className="sidebar" data-testid="sidebar">
        <div className="brand">
          <span className="brand-title">TruthDesk</span>
          <span className="workspace-name" dir="auto">
            {workspace.data?.name ?? ''}
          </span>
        </div>
        <nav aria-label={t('shell.navigation')}>
          <ul>
            <li>
              <NavLink to="/inbox">{t('nav.inbox')}</NavLink>
            </li>
            <li>
              <NavLink to="/kb">{t('nav.kb')}</NavLink>
            </li>
            {canReport && (
              <li>
                <NavLink to="/dashboard">{t('nav.dashboard')}</NavLink>
              </li>
            )}
            {canReport && (
              <li>
                <NavLink to="/reports">{t('nav.reports')}</NavLink>
              </li>
            )}
            {canReport && (
              <li>
                <NavLink to="/surveys">{t('nav.surveys')}</NavLink>
              </li>
            )}
            {canManage && (
              <li>
                <NavLink to="/settings">{t('nav.settings')}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {me.agent && <NotificationsBell />}
          <LanguageSwitcher remember={Boolean(me.agent)} />
          <ThemeSwitcher me={me} />
          {live === 'live' && (
            <p className="live" role="status">
              <span aria-hidden="true">● </span>
              {t('shell.live')}
            </p>
          )}
          <p className="who">
            <span dir="auto">{me.agent?.name ?? t('shell.apiToken')}</span>
            <span className="muted"> · {t(`roles.${me.role}`)}</span>
          </p>
          <button type="button" onClick={() => signOut.mutate()}>
            {t('shell.signOut')}
          </button>
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="main">
        <Outlet />
      </main>
    </div>
  );
}
