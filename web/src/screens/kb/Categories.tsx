// Knowledge-base categories: names in English, Greek and Arabic; add, rename, delete (articles
// of a deleted category stay, uncategorised).
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { LANGUAGES } from '../../types.ts';
import type { Lang } from '../../types.ts';
import { categoryName, dirOf, useCategories } from './kb-api.ts';
import type { KbCategory } from './kb-api.ts';

type Names = Partial<Record<Lang, string>>;

function NameFields({ names, onChange, idPrefix }: { names: Names; onChange: (n: Names) => void; idPrefix: string }) {
  const { t } = useTranslation();
  return (
    <>
      {LANGUAGES.map((l) => (
        <div className="field" key={l}>
          <label htmlFor={`${idPrefix}-${l}`}>{t('kb.nameIn', { language: t(`languages.${l}`) })}</label>
          <input id={`${idPrefix}-${l}`} lang={l} dir={dirOf(l)} value={names[l] ?? ''} onChange={(e) => onChange({ ...names, [l]: e.target.value })} />
        </div>
      ))}
    </>
  );
}

const cleaned = (names: Names) => Object.fromEntries(Object.entries(names).filter(([, v]) => v?.trim())) as Names;

function CategoryRow({ category, canEdit, onNotice }: { category: KbCategory; canEdit: boolean; onNotice: (s: string) => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const id = useId();
  const [names, setNames] = useState<Names | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['kb-categories'] });

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!names) return;
    try {
      await api(`/api/v1/kb/categories/${category.id}`, { method: 'PATCH', body: { names: cleaned(names) } });
      setNames(null);
      onNotice(t('kb.categorySaved'));
      await refresh();
    } catch (error) {
      onNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }
  async function remove() {
    if (!window.confirm(t('kb.confirmDeleteCategory', { name: categoryName(category, i18n.language) }))) return;
    try {
      await api(`/api/v1/kb/categories/${category.id}`, { method: 'DELETE' });
      onNotice(t('kb.categoryDeleted'));
      await refresh();
      await client.invalidateQueries({ queryKey: ['kb-articles'] });
    } catch (error) {
      onNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }

  if (names) {
    return (
      <li>
        <form className="filters" onSubmit={save} aria-label={t('kb.renameCategory')}>
          <NameFields names={names} onChange={setNames} idPrefix={id} />
          <button type="submit" className="primary">
            {t('kb.save')}
          </button>
          <button type="button" onClick={() => setNames(null)}>
            {t('kb.cancel')}
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className="kb-category">
      <span className="kb-category-names">
        {LANGUAGES.filter((l) => category.names[l]).map((l) => (
          <span key={l} lang={l} dir={dirOf(l)} className="kb-category-name">
            {category.names[l]}
          </span>
        ))}
      </span>
      {canEdit && (
        <span className="kb-category-actions">
          <button type="button" onClick={() => setNames({ ...category.names })}>
            {t('kb.rename')}
            <span className="visually-hidden"> {categoryName(category, i18n.language)}</span>
          </button>
          <button type="button" onClick={() => void remove()}>
            {t('kb.delete')}
            <span className="visually-hidden"> {categoryName(category, i18n.language)}</span>
          </button>
        </span>
      )}
    </li>
  );
}

export function Categories({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const categories = useCategories();
  const id = useId();
  const [names, setNames] = useState<Names>({});
  const [notice, setNotice] = useState('');

  async function add(event: FormEvent) {
    event.preventDefault();
    try {
      await api('/api/v1/kb/categories', { method: 'POST', body: { names: cleaned(names) } });
      setNames({});
      setNotice(t('kb.categoryAdded'));
      await client.invalidateQueries({ queryKey: ['kb-categories'] });
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }

  return (
    <section className="card kb-categories" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('kb.categories')}</h2>
      <p className="notice" role="status">
        {notice}
      </p>
      {categories.data?.length === 0 && <p className="empty">{t('kb.noCategories')}</p>}
      <ul className="plain-list">
        {categories.data?.map((c) => <CategoryRow key={c.id} category={c} canEdit={canEdit} onNotice={setNotice} />)}
      </ul>
      {canEdit && (
        <form className="filters" onSubmit={add} aria-labelledby={`${id}-add`}>
          <h3 id={`${id}-add`} className="visually-hidden">
            {t('kb.addCategory')}
          </h3>
          <NameFields names={names} onChange={setNames} idPrefix={`${id}-new`} />
          <button type="submit">{t('kb.addCategory')}</button>
        </form>
      )}
    </section>
  );
}
