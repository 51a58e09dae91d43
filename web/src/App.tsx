import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { pinnedLanguage } from './i18n/index.ts';
import { CustomerScreen } from './screens/Customer.tsx';
import { Inbox } from './screens/Inbox.tsx';
import { NotFound } from './screens/NotFound.tsx';
import { Shell } from './screens/Shell.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { TicketScreen } from './screens/Ticket.tsx';
import { useMe } from './session.ts';
import { applyTheme } from './theme.ts';

// Charts and settings are not needed to answer customers: loaded when opened.
const Dashboard = lazy(() => import('./screens/Dashboard.tsx'));
const Settings = lazy(() => import('./screens/Settings.tsx'));
const Reports = lazy(() => import('./screens/Reports.tsx'));
const KbList = lazy(() => import('./screens/kb/KbList.tsx'));
const ArticleEditor = lazy(() => import('./screens/kb/ArticleEditor.tsx'));
const SurveyList = lazy(() => import('./screens/surveys/SurveyList.tsx'));
const SurveyBuilder = lazy(() => import('./screens/surveys/SurveyBuilder.tsx'));
const SurveyResponses = lazy(() => import('./screens/surveys/SurveyResponses.tsx'));

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function App() {
  const me = useMe();
  const { i18n, t } = useTranslation();
  const preferences = me.data?.preferences;

  // The agent's saved language and theme, unless this page was opened with ?lang=.
  useEffect(() => {
    if (!preferences) return;
    if (!pinnedLanguage() && preferences.locale !== i18n.language) void i18n.changeLanguage(preferences.locale);
    applyTheme(preferences.theme);
  }, [preferences, i18n]);

  if (me.isPending) return <Loading />;
  if (me.isError) {
    return (
      <p role="alert" className="error-page">
        {t('common.loadFailed')}
      </p>
    );
  }
  if (!me.data) return <SignIn />;
  return (
    <Routes>
      <Route element={<Shell me={me.data} />}>
        <Route index element={<Navigate to="/inbox" replace />} />
        <Route path="sign-in" element={<Navigate to="/inbox" replace />} />
        <Route path="inbox" element={<Inbox me={me.data} />} />
        <Route path="tickets/:id" element={<TicketScreen />} />
        <Route path="customers/:id" element={<CustomerScreen />} />
        <Route
          path="dashboard"
          element={
            <Suspense fallback={<Loading />}>
              <Dashboard />
            </Suspense>
          }
        />
        <Route
          path="reports"
          element={
            <Suspense fallback={<Loading />}>
              <Reports />
            </Suspense>
          }
        />
        <Route
          path="kb"
          element={
            <Suspense fallback={<Loading />}>
              <KbList me={me.data} />
            </Suspense>
          }
        />
        <Route
          path="kb/articles/:id"
          element={
            <Suspense fallback={<Loading />}>
              <ArticleEditor me={me.data} />
            </Suspense>
          }
        />
        <Route
          path="surveys"
          element={
            <Suspense fallback={<Loading />}>
              <SurveyList me={me.data} />
            </Suspense>
          }
        />
        <Route
          path="surveys/:id"
          element={
            <Suspense fallback={<Loading />}>
              <SurveyBuilder />
            </Suspense>
          }
        />
        <Route
          path="surveys/:id/responses"
          element={
            <Suspense fallback={<Loading />}>
              <SurveyResponses me={me.data} />
            </Suspense>
          }
        />
        <Route
          path="settings/*"
          element={
            <Suspense fallback={<Loading />}>
              <Settings me={me.data} />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
