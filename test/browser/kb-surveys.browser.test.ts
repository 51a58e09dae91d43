/// <reference lib="dom" />
// The knowledge-base editor and the survey builder in Debian's Chromium against the real server
// on PGlite with the demo workspace. A Greek-speaking editor writes an article and its Arabic
// version, keeps it a draft (the portal does not show it), publishes it, finds it on the public
// portal and by a search without accents, edits it, meets another editor's save (409) without
// losing text, and restores the first revision; then builds an NPS survey with its own Greek and
// Arabic question, sees an invalid survey refused with nothing saved, and checks the Arabic
// screens right-to-left with nothing left in English. axe-core runs on each screen; screenshots
// (1280 px, en, el, ar) go to the folder printed at the start.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { catalogues, useDemoWebApp } from '../support/web-app.ts';

const { el, ar } = catalogues;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

const GREEK_TITLE = 'Ξεκλείδωμα λογαριασμού μετά από λάθος κωδικό';
const GREEK_BODY = '<p>Αν δώσατε λάθος κωδικό πέντε φορές, ο λογαριασμός κλειδώνει για δεκαπέντε λεπτά.</p>\n<p>Πατήστε «Ξέχασα τον κωδικό» για να ορίσετε νέο.</p>\n<script>document.title = "pwned"</script>';
const GREEK_EXTRA = '<p>Αν το πρόβλημα επιμένει, γράψτε μας από τη φόρμα επικοινωνίας.</p>';
const ARABIC_TITLE = 'فتح الحساب بعد إدخال كلمة مرور خاطئة';
const ARABIC_BODY = 'إذا أدخلت كلمة مرور خاطئة خمس مرات، يُقفل الحساب لمدة خمس عشرة دقيقة.\n\nاضغط «نسيت كلمة المرور» لتعيين كلمة جديدة.';

describe('knowledge base and surveys in Chromium', { timeout: 300_000 }, () => {
  const app = useDemoWebApp('kb-surveys', { locale: 'el-GR' });
  const { screenshot, expectAccessible, untranslated } = app;
  let server: RunningServer;
  let page: Page;
  let workspaceSlug: string;
  let articleUrl: string;
  beforeAll(() => {
    ({ server, page } = app);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  const get = async (path: string) => page.request.get(`${server.url}${path}`);

  it('writes a Greek article and its Arabic version as drafts the portal does not show', async () => {
    await page.goto(`${server.url}/kb?lang=el`);
    await app.signIn('el');
    await page.getByRole('heading', { name: el.kb.title, level: 1 }).waitFor();
    workspaceSlug = ((await (await get('/api/v1/workspace')).json()) as { slug: string }).slug;
    await page.locator('table.kb-articles tbody tr').first().waitFor();
    await expectAccessible('kb list (el)');
    await screenshot('kb-list-el');
    // Self-service figures for the owner, and a new category named in Greek and Arabic.
    await page.getByRole('heading', { name: el.kb.report.title }).waitFor();
    const nameIn = (language: string) => el.kb.nameIn.replace('{{language}}', language);
    await page.getByLabel(nameIn(el.languages.el)).fill('Ασφάλεια λογαριασμού');
    await page.getByLabel(nameIn(el.languages.ar)).fill('أمان الحساب');
    await page.getByRole('button', { name: el.kb.addCategory }).click();
    await poll(() => page.getByRole('status').filter({ hasText: el.kb.categoryAdded }).count()).toBe(1);
    await poll(() => page.locator('.kb-category-name[lang="ar"]').filter({ hasText: 'أمان الحساب' }).getAttribute('dir')).toBe('rtl');

    await page.getByRole('link', { name: el.kb.newArticle }).click();
    await page.getByRole('tab', { name: new RegExp(el.languages.el) }).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain(el.languages.el);
    await page.getByLabel(el.kb.category).selectOption({ label: 'Ασφάλεια λογαριασμού' });
    await page.getByLabel(el.kb.articleTitle, { exact: true }).fill(GREEK_TITLE);
    await page.getByLabel(el.kb.body).fill(GREEK_BODY);
    // The live preview draws the allowed tags and drops the script.
    const preview = page.locator('.kb-preview .message-body');
    await poll(() => preview.locator('p').count()).toBe(2);
    expect(await preview.locator('script').count()).toBe(0);
    await page.getByRole('button', { name: el.kb.saveDraft }).click();
    await page.waitForURL(/\/kb\/articles\/[0-9a-f-]{36}/);
    await poll(() => page.getByRole('status').filter({ hasText: el.kb.savedDraft }).count()).toBe(1);
    await poll(() => page.getByRole('tab', { name: `${el.languages.el} · ${el.kb.statuses.draft}` }).count()).toBe(1);
    // What the server stored: no script, and the preview now shows that.
    expect(await page.getByLabel(el.kb.body).inputValue()).not.toContain('<script');
    expect(await page.getByLabel(el.kb.slug).inputValue()).toBe('ξεκλείδωμα-λογαριασμού-μετά-από-λάθος-κωδικό');
    const saved = (await (await get(`/api/v1/kb/articles/${page.url().split('/').pop()}`)).json()) as { categoryId: string | null };
    const categories = (await (await get('/api/v1/kb/categories')).json()) as { data: { id: string; names: Record<string, string> }[] };
    expect(categories.data.find((c) => c.id === saved.categoryId)?.names).toEqual({ el: 'Ασφάλεια λογαριασμού', ar: 'أمان الحساب' });
    articleUrl = `/kb/${workspaceSlug}/el/${encodeURIComponent('ξεκλείδωμα-λογαριασμού-μετά-από-λάθος-κωδικό')}`;
    expect((await get(articleUrl)).status()).toBe(404);

    await page.getByRole('tab', { name: new RegExp(el.languages.ar) }).click();
    await poll(() => page.getByText(el.kb.addVersion.replace('{{language}}', el.languages.ar)).count()).toBe(1);
    const arabicTitle = page.getByLabel(el.kb.articleTitle, { exact: true });
    expect(await arabicTitle.getAttribute('dir')).toBe('rtl');
    expect(await page.getByLabel(el.kb.body).getAttribute('dir')).toBe('rtl');
    await arabicTitle.fill(ARABIC_TITLE);
    await page.getByLabel(el.kb.body).fill(ARABIC_BODY);
    await page.getByRole('button', { name: el.kb.saveDraft }).click();
    await poll(() => page.getByRole('tab', { name: new RegExp(`${el.languages.ar} · ${el.kb.statuses.draft}`) }).count()).toBe(1);
    await poll(() => page.locator('.kb-preview .message-body p').count()).toBe(2);
    await expectAccessible('kb editor, Arabic version (el)');
    await screenshot('kb-editor-ar-version-el');
  });

  it('publishes the Greek version and finds it on the portal and by a search without accents', async () => {
    await page.getByRole('tab', { name: new RegExp(el.languages.el) }).click();
    await page.getByRole('button', { name: el.kb.publish }).click();
    await poll(() => page.getByRole('status').filter({ hasText: el.kb.published }).count()).toBe(1);
    expect(await page.getByRole('link', { name: el.kb.viewOnPortal }).getAttribute('href')).toBe(articleUrl);
    const portal = await get(articleUrl);
    expect(portal.status()).toBe(200);
    expect(await portal.text()).toContain(GREEK_TITLE);
    const found = await get(`/kb/${workspaceSlug}/search?lang=el&q=${encodeURIComponent('ξεκλειδωμα λογαριασμου')}`);
    expect(await found.text()).toContain('Ξεκλείδωμα');
    // The Arabic version is still a draft.
    expect((await get(`/kb/${workspaceSlug}/ar/${encodeURIComponent('فتح-الحساب-بعد-إدخال-كلمة-مرور-خاطئة')}`)).status()).toBe(404);

    await page.getByRole('link', { name: el.kb.back }).click();
    await page.getByLabel(el.kb.search).fill('ξεκλειδωμα λογαριασμου');
    await page.getByRole('button', { name: el.kb.searchButton }).click();
    await poll(() => page.locator('.kb-results a').first().textContent()).toBe(GREEK_TITLE);
    await expectAccessible('kb search (el)');
    await page.locator('.kb-results a').first().click();
    await page.getByLabel(el.kb.articleTitle, { exact: true }).waitFor();
  });

  it('keeps the editor’s text when someone else saved meanwhile, then restores the first revision', async () => {
    const id = page.url().split('/').pop()!.split('?')[0]!;
    await poll(() => page.getByLabel(el.kb.body).inputValue()).toContain('δεκαπέντε');
    // Another editor saves first.
    const other = await page.request.patch(`${server.url}/api/v1/kb/articles/${id}`, { data: { title: `${GREEK_TITLE} (άλλος)`, version: 2 } });
    expect(other.status()).toBe(200);
    const body = page.getByLabel(el.kb.body);
    await body.fill(`${await body.inputValue()}\n${GREEK_EXTRA}`);
    await page.getByRole('button', { name: el.kb.update }).click();
    await poll(() => page.getByRole('alert').filter({ hasText: el.kb.conflict.split(' (')[0] }).count()).toBe(1);
    expect(await body.inputValue()).toContain('φόρμα επικοινωνίας');
    await screenshot('kb-conflict-el');
    await page.getByRole('button', { name: el.kb.saveOver }).click();
    await poll(() => page.getByRole('status').filter({ hasText: el.kb.published }).count()).toBe(1);
    expect((await (await get(`/api/v1/kb/articles/${id}`)).json()) as { version: number; body: string }).toMatchObject({ version: 4 });
    expect(await (await get(articleUrl)).text()).toContain('φόρμα επικοινωνίας');

    const revisions = page.locator('.kb-revisions li.kb-revision');
    await poll(() => revisions.count()).toBe(4);
    await page.getByRole('button', { name: `${el.kb.view} ${el.kb.revision.replace('{{revision}}', '1')}` }).click();
    await poll(() => page.locator('.kb-diff .diff-added').textContent()).toContain('φόρμα επικοινωνίας');
    await expectAccessible('kb revisions (el)');
    await screenshot('kb-revisions-el');
    await page.getByRole('button', { name: `${el.kb.restore} ${el.kb.revision.replace('{{revision}}', '1')}` }).click();
    await poll(() => page.getByRole('status').filter({ hasText: el.kb.restored.replace('{{revision}}', '1') }).count()).toBe(1);
    expect(await body.inputValue()).not.toContain('φόρμα επικοινωνίας');
    expect(await page.getByLabel(el.kb.articleTitle, { exact: true }).inputValue()).toBe(GREEK_TITLE);
    const portal = await (await get(articleUrl)).text();
    expect(portal).toContain(GREEK_TITLE);
    expect(portal).not.toContain('φόρμα επικοινωνίας');

    // Deleting its category keeps the article, uncategorised.
    await page.getByRole('link', { name: el.kb.back }).click();
    await page.getByRole('button', { name: `${el.kb.delete} Ασφάλεια λογαριασμού` }).click();
    await poll(() => page.getByRole('status').filter({ hasText: el.kb.categoryDeleted }).count()).toBe(1);
    expect(((await (await get(`/api/v1/kb/articles/${id}`)).json()) as { categoryId: string | null }).categoryId).toBeNull();
  });

  it('builds an NPS survey with its own Greek and Arabic question, listed after a reload', async () => {
    await page.getByRole('link', { name: el.nav.surveys }).click();
    await page.getByRole('heading', { name: el.surveys.title, level: 1 }).waitFor();
    await page.locator('table.surveys tbody tr').first().waitFor();
    await expectAccessible('survey list (el)');
    await page.getByRole('link', { name: el.surveys.new }).click();
    await page.getByLabel(el.surveys.name, { exact: true }).fill('Σύσταση μετά την εγκατάσταση');
    await page.getByLabel(el.surveys.kind, { exact: true }).selectOption('nps');
    const question = page.getByRole('group', { name: el.surveys.question, exact: true });
    await question.getByLabel(el.languages.el).fill('Θα προτείνατε τον έξυπνο θερμοστάτη μας σε έναν φίλο;');
    const arabic = question.getByLabel(el.languages.ar);
    expect(await arabic.getAttribute('dir')).toBe('rtl');
    await arabic.fill('هل توصي بمنظم الحرارة الذكي لصديق؟');
    await page.getByLabel(el.surveys.trigger).selectOption('ticket_solved');
    await page.getByLabel(el.surveys.delayMinutes).fill('120');
    await page.getByLabel(el.surveys.throttleDays).fill('60');
    await page.getByLabel(el.surveys.threshold.npsMax).fill('5');
    await expectAccessible('survey builder (el)');
    await screenshot('survey-builder-el');
    await page.getByRole('button', { name: el.surveys.save }).click();
    await page.waitForURL(/\/surveys$/);
    // A new page load (the language stays pinned by ?lang=): the survey comes from the server.
    await page.goto(`${server.url}/surveys?lang=el`);
    await poll(() => page.getByRole('link', { name: 'Σύσταση μετά την εγκατάσταση', exact: true }).count()).toBe(1);
    const surveys = (await (await get('/api/v1/surveys')).json()) as { data: { name: string; type: string; question: Record<string, string>; delayMinutes: number; throttleDays: number; negative: { npsMax: number } }[] };
    expect(surveys.data.find((x) => x.name === 'Σύσταση μετά την εγκατάσταση')).toMatchObject({
      type: 'nps',
      question: { el: 'Θα προτείνατε τον έξυπνο θερμοστάτη μας σε έναν φίλο;', ar: 'هل توصي بمنظم الحرارة الذكي لصديق؟' },
      delayMinutes: 120,
      throttleDays: 60,
      negative: { npsMax: 5 },
    });
    await screenshot('survey-list-el');

    // Opened again, its kind is fixed; switched off, the list says so.
    await page.getByRole('link', { name: 'Σύσταση μετά την εγκατάσταση', exact: true }).click();
    await poll(() => page.getByLabel(el.surveys.kind, { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('group', { name: el.surveys.question, exact: true }).getByLabel(el.languages.ar).inputValue()).toBe('هل توصي بمنظم الحرارة الذكي لصديق؟');
    await page.getByLabel(el.surveys.activeLabel).uncheck();
    await page.getByRole('button', { name: el.surveys.save }).click();
    await page.waitForURL(/\/surveys$/);
    const row = page.locator('table.surveys tbody tr').filter({ hasText: 'Σύσταση μετά την εγκατάσταση' });
    await poll(() => row.locator('td').nth(3).textContent()).toBe(el.surveys.inactive);
  });

  it('shows why an invalid survey is refused, next to the question, and saves nothing', async () => {
    const before = ((await (await get('/api/v1/surveys')).json()) as { data: unknown[] }).data.length;
    await page.getByRole('link', { name: el.surveys.new }).click();
    await page.getByLabel(el.surveys.name, { exact: true }).fill('Εμπειρία εγκατάστασης');
    await page.getByLabel(el.surveys.kind, { exact: true }).selectOption('custom');
    await page.getByRole('button', { name: el.surveys.addQuestion }).click();
    const q1 = page.getByRole('group', { name: el.surveys.questionN.replace('{{n}}', '1') });
    await q1.getByRole('group', { name: el.surveys.questionText }).getByLabel(el.languages.el).fill('Πώς ήταν ο τεχνικός;');
    await q1.getByRole('group', { name: el.surveys.questionText }).getByLabel(el.languages.ar).fill('كيف كان الفني؟');
    await q1.getByRole('group', { name: el.surveys.optionN.replace('{{n}}', '1') }).getByLabel(el.languages.el).fill('Άψογος');
    await q1.getByRole('button', { name: el.surveys.removeOption.replace('{{n}}', '2') }).click();
    await page.getByRole('button', { name: el.surveys.save }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain(el.surveys.refused);
    await poll(() => q1.locator('.form-error').allTextContents()).toEqual([el.surveys.errors.options]);
    expect(page.url()).toMatch(/\/surveys\/new$/);
    expect(((await (await get('/api/v1/surveys')).json()) as { data: unknown[] }).data).toHaveLength(before);
    await expectAccessible('survey builder with an error (el)');
    await screenshot('survey-invalid-el');
    // Fixed by a second choice, the same survey saves.
    await q1.getByRole('button', { name: el.surveys.addOption }).click();
    await q1.getByRole('group', { name: el.surveys.optionN.replace('{{n}}', '2') }).getByLabel(el.languages.el).fill('Θα μπορούσε καλύτερα');
    await page.getByRole('button', { name: el.surveys.save }).click();
    await page.waitForURL(/\/surveys$/);
    await poll(() => page.getByRole('link', { name: 'Εμπειρία εγκατάστασης', exact: true }).count()).toBe(1);
  });

  it('shows a survey’s answers with score summary, comments, customer and ticket', async () => {
    await page.locator('table.surveys tbody tr').first().getByRole('link', { name: new RegExp(el.surveys.seeAnswers) }).click();
    await page.getByRole('heading', { name: el.surveys.latest }).waitFor();
    await poll(() => page.locator('table.responses tbody tr').count()).toBeGreaterThan(0);
    // The survey's own figures, week by week, from the survey report.
    await poll(() => page.locator('table.weeks tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('heading', { name: el.surveys.invitations.title }).waitFor();
    await poll(() => page.locator('table.invitations tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible('survey answers (el)');
    await screenshot('survey-answers-el');
  });

  it('reads right-to-left in Arabic with nothing left in English, and in English at 1280 px', async () => {
    for (const path of ['/kb', '/surveys', '/surveys/new']) {
      await page.goto(`${server.url}${path}?lang=ar`);
      await poll(() => page.getAttribute('html', 'dir')).toBe('rtl');
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await untranslated(), path).toEqual([]);
      await expectAccessible(`${path} (ar)`);
      await screenshot(`${path.replaceAll('/', '-').slice(1)}-ar`);
    }
    await page.goto(`${server.url}/kb?lang=ar`);
    await page.getByRole('link', { name: ARABIC_TITLE }).click();
    await page.getByRole('tab', { selected: true }).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toContain(ar.languages.ar);
    expect(await page.getByLabel(ar.kb.articleTitle, { exact: true }).inputValue()).toBe(ARABIC_TITLE);
    // Written as text, it is edited as text (not as markup in a right-to-left box).
    expect(await page.getByLabel(ar.kb.body).inputValue()).toBe(ARABIC_BODY);
    await page.waitForLoadState('networkidle');
    expect(await untranslated()).toEqual([]);
    await expectAccessible('kb editor (ar)');
    await screenshot('kb-editor-ar');
    await page.goto(`${server.url}/surveys?lang=ar`);
    await page.locator('table.surveys tbody tr').first().getByRole('link', { name: new RegExp(ar.surveys.seeAnswers) }).click();
    await page.getByRole('heading', { name: ar.surveys.latest }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await untranslated()).toEqual([]);
    await screenshot('survey-answers-ar');

    for (const path of ['/kb', '/surveys/new']) {
      await page.goto(`${server.url}${path}?lang=en`);
      await poll(() => page.getAttribute('html', 'dir')).toBe('ltr');
      await page.locator('main h1').waitFor();
      await expectAccessible(`${path} (en)`);
      await screenshot(`${path.replaceAll('/', '-').slice(1)}-en`);
    }
  });
});
