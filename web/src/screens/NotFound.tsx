import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/inbox">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}
