// Settings for owners and admins: a navigation of sub-pages (one file each under settings/),
// so every day-to-day configuration has a screen and a link of its own (/settings/sla, …).
// /settings opens the general page.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import type { Me } from '../types.ts';
import { NotFound } from './NotFound.tsx';
import Agents from './settings/Agents.tsx';
import Alerts from './settings/Alerts.tsx';
import Canned from './settings/Canned.tsx';
import Channels from './settings/Channels.tsx';
import Classification from './settings/Classification.tsx';
import Compensation from './settings/Compensation.tsx';
import General from './settings/General.tsx';
import Macros from './settings/Macros.tsx';
import Queues from './settings/Queues.tsx';
import Sla from './settings/Sla.tsx';
import Teams from './settings/Teams.tsx';
import Tokens from './settings/Tokens.tsx';

const PAGES = ['general', 'agents', 'teams', 'queues', 'sla', 'canned', 'macros', 'channels', 'compensation', 'alerts', 'tokens', 'classification'] as const;

export default function Settings({ me }: { me: Me }) {
  const { t } = useTranslation();
  const pages: Record<(typeof PAGES)[number], ReactNode> = {
    general: <General />,
    agents: <Agents me={me} />,
    teams: <Teams />,
    queues: <Queues />,
    sla: <Sla />,
    canned: <Canned />,
    macros: <Macros />,
    channels: <Channels />,
    compensation: <Compensation />,
    alerts: <Alerts />,
    tokens: <Tokens me={me} />,
    classification: <Classification />,
  };
  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <div className="settings-layout">
        <nav aria-label={t('settings.navLabel')} className="settings-nav">
          <ul>
            {PAGES.map((p) => (
              <li key={p}>
                <NavLink to={`/settings/${p}`}>{t(`settings.pages.${p}`)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-body">
          <Routes>
            <Route index element={<Navigate to="general" replace />} />
            {PAGES.map((p) => (
              <Route key={p} path={p} element={pages[p]} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </div>
      </div>
    </section>
  );
}
