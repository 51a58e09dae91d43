// Knowledge-base search benchmark on PostgreSQL: 100,000 articles (en/el/ar, built from the
// seed texts plus rare product words), a mixed set of queries (accent-less and upper-case
// Greek, Arabic letter variants, typos, common and rare words), p50/p95/p99 of the search
// service, and in the same run the first-stage full-text query as raw SQL through the same
// driver (node-postgres), so the ratio shows what the service adds. Writes its own section of
// BENCHMARKS.md.
//
//   npm run bench:kb                     # BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test
//   KB_BENCH_ARTICLES=20000 npm run bench:kb
//   KB_BENCH_DB=kb_scratch npm run bench:kb   # keep the database under that name (for EXPLAIN
//                                             # ANALYZE); a later run with the same name migrates
//                                             # it and reuses its articles instead of loading again
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryTerms, searchIndexText, slugify, stemsTsquery, vocabulary } from '../src/domain/kb.ts';
import { searchArticles } from '../src/kb/service.ts';
import { fullTextSearchSql } from '../src/kb/store.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { newId } from '../src/shared/ids.ts';
import { ADMIN_URL } from './moments-ingest.ts';

const FULL_ARTICLES = Number(process.env.KB_BENCH_ARTICLES) || 100_000;
const QUERIES = Number(process.env.KB_BENCH_QUERIES) || 600;
const WARMUP = 60;
const root = new URL('../', import.meta.url);
const seeds = new URL('../shared/seeds/', root);

// A small deterministic PRNG (mulberry32), so every run builds the same corpus and queries.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20_260_125);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.;؟?!])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 5);
}

const greek = sentences(readFileSync(new URL('000_872ed610193a76ff.txt', seeds), 'utf8'));
const arabic = sentences(readFileSync(new URL('003_d927bf57eeee527a.txt', seeds), 'utf8'));
const english = sentences(`A moment of truth is any interaction with a brand that can change what a customer thinks of it.
The zero moment of truth is when people research a product online before they buy, reading reviews and comparisons.
The first moment of truth happens in the first seconds of contact with the product, in a shop or on a website.
The second moment of truth is the experience after purchase: onboarding, daily use, and every call to support.
The ultimate moment of truth is when a customer shares their experience in a public review or a social post.
To reset your password, open the sign-in page, choose forgot password and follow the link we send by e-mail.
Invoices are issued on the first day of each month and can be downloaded from the billing page as PDF files.
If your thermostat shows offline, check the Wi-Fi network, restart the router and reconnect the device in the app.
Refunds are paid back to the original card within five to ten working days after we receive the returned item.
You can change your delivery address until the order is shipped; after that, contact the courier with the tracking number.
Our support team answers chat messages within two minutes during business hours and e-mails within one working day.
Two-factor authentication adds a code from your phone to every sign-in and protects your account from stolen passwords.
Subscriptions renew automatically at the end of each period unless you cancel them from the account settings.
Export your data at any time as CSV or JSON from the reports page; large exports are sent to you by e-mail.
Customer satisfaction surveys are sent after a ticket is solved and take less than a minute to answer.`);

// Rare words: product and feature names, so that some queries are selective as real ones are.
const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'tek', 'zen', 'vo', 'lux', 'pri', 'nor', 'sa', 'qu', 'fin', 'dor', 'el', 'tra'];
const rareWords = Array.from({ length: 20_000 }, (_, i) => `${pick(SYLLABLES)}${pick(SYLLABLES)}${pick(SYLLABLES)}${i % 97}`);
// Zipf-like: low indexes much more often.
const rareWord = () => rareWords[Math.floor(rareWords.length * random() ** 3)] as string;

type Lang = 'en' | 'el' | 'ar';
const POOLS: Record<Lang, string[]> = { en: english, el: greek, ar: arabic };

function makeArticle(lang: Lang, n: number) {
  const pool = POOLS[lang];
  const titleWords = pick(pool).split(/\s+/).slice(0, 4 + Math.floor(random() * 5));
  const title = `${titleWords.join(' ').replace(/[.,;:؟?!()]+$/u, '')} ${rareWord()}`;
  const body = Array.from({ length: 5 + Math.floor(random() * 6) }, () => `${pick(pool)} ${random() < 0.5 ? rareWord() : ''}`).join('\n\n');
  return { title, body, slug: `${slugify(title).slice(0, 60)}-${n}` };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function typo(word: string): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  const chars = [...word];
  chars[i] = chars[i + 1] ?? chars[i] ?? '';
  return chars.join('');
}

function makeQueries(): Array<{ q: string; lang: Lang | undefined; kind: string }> {
  const queries: Array<{ q: string; lang: Lang | undefined; kind: string }> = [];
  const wordsOf = (s: string) => s.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{M}\p{N}]/gu, '')).filter((w) => w.length >= 4);
  const greekFold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
  const fixed: Array<{ q: string; lang: Lang | undefined; kind: string }> = [
    { q: 'στιγμη αληθειας', lang: 'el', kind: 'greek-unaccented' },
    { q: 'ΣΤΙΓΜΗ ΑΛΗΘΕΙΑΣ', lang: 'el', kind: 'greek-upper' },
    { q: 'στιγμή αλήθειας', lang: 'el', kind: 'greek' },
    { q: 'لحظه الحقيقه', lang: 'ar', kind: 'arabic-variants' },
    { q: 'لَحْظَةُ الْحَقِيقَةِ', lang: 'ar', kind: 'arabic-diacritics' },
    { q: 'الاسئلة', lang: 'ar', kind: 'arabic-alef' },
    { q: 'reset password', lang: 'en', kind: 'english' },
  ];
  for (let i = 0; queries.length < QUERIES + WARMUP; i++) {
    const r = random();
    if (i < fixed.length * 4) {
      queries.push(fixed[i % fixed.length] as (typeof fixed)[number]);
    } else if (r < 0.35) {
      const lang = pick(['en', 'el', 'ar'] as const);
      const words = wordsOf(pick(POOLS[lang]));
      const start = Math.floor(random() * Math.max(1, words.length - 2));
      const phrase = words.slice(start, start + 1 + Math.floor(random() * 2)).join(' ');
      queries.push({ q: lang === 'el' && random() < 0.5 ? greekFold(phrase).toUpperCase() : phrase, lang: random() < 0.8 ? lang : undefined, kind: 'phrase' });
    } else if (r < 0.6) {
      queries.push({ q: rareWord(), lang: undefined, kind: 'rare' });
    } else if (r < 0.8) {
      const lang = pick(['en', 'el', 'ar'] as const);
      queries.push({ q: `${pick(wordsOf(pick(POOLS[lang])))} ${rareWord()}`, lang, kind: 'mixed' });
    } else {
      const lang = pick(['en', 'el', 'ar'] as const);
      queries.push({ q: typo(pick(wordsOf(pick(POOLS[lang])))), lang, kind: 'typo' });
    }
  }
  return queries;
}

export async function main(quick = false) {
  // --quick (npm run bench -- --quick): a fifth of the articles, unless KB_BENCH_ARTICLES says.
  const ARTICLES = quick && !process.env.KB_BENCH_ARTICLES ? 20_000 : FULL_ARTICLES;
  const keep = process.env.KB_BENCH_DB;
  if (keep && !/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error('KB_BENCH_DB: lower-case letters, digits and _ only');
  const dbName = keep ?? `truthdesk_bench_kb_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  try {
    await migrate(database.pool);
    const existing = await database.db.selectFrom('workspaces').select('id').where('name', '=', 'Bench KB').executeTakeFirst();
    const wsId = existing?.id ?? (await createWorkspace(database.db, { name: 'Bench KB', owner: { email: 'bench@example.com', name: 'Bench' } })).workspace.id;

    const loadStart = performance.now();
    const BATCH = 1_000;
    const words = new Set<string>();
    // A kept database is loaded once; the generator still runs, so the queries are the same.
    const loaded = existing ? Number((await sql<{ n: string }>`SELECT count(*) AS n FROM kb_translations WHERE workspace_id = ${wsId}`.execute(database.db)).rows[0]?.n) : 0;
    if (loaded && loaded !== ARTICLES) throw new Error(`${dbName} holds ${loaded} articles, not ${ARTICLES}`);
    for (let done = 0; done < ARTICLES; done += BATCH) {
      const articles: Array<Record<string, unknown>> = [];
      const translations: Array<Record<string, unknown>> = [];
      for (let i = done; i < Math.min(ARTICLES, done + BATCH); i++) {
        const lang = (['en', 'el', 'ar'] as const)[i % 3] as Lang;
        const a = makeArticle(lang, i);
        const articleId = newId();
        articles.push({ id: articleId, workspace_id: wsId, category_id: null });
        const published = random() < 0.9;
        translations.push({
          id: newId(),
          workspace_id: wsId,
          article_id: articleId,
          lang,
          slug: a.slug,
          title: a.title,
          body_html: a.body
            .split('\n\n')
            .map((p) => `<p>${p}</p>`)
            .join(''),
          body_text: a.body,
          status: published ? 'published' : 'draft',
          search_title: searchIndexText(a.title),
          search_body: searchIndexText(a.body),
          published_at: published ? new Date() : null,
        });
        for (const w of vocabulary(`${a.title}\n${a.body}`)) words.add(w);
      }
      if (loaded) continue;
      await database.db.insertInto('kb_articles').values(articles as never).execute();
      await database.db.insertInto('kb_translations').values(translations as never).execute();
      if ((done / BATCH) % 10 === 0) process.stderr.write(`\rloaded ${done + BATCH} / ${ARTICLES}`);
    }
    const wordList = [...words];
    for (let i = 0; !loaded && i < wordList.length; i += 5_000) {
      await sql`INSERT INTO kb_words (workspace_id, word) SELECT ${wsId}, unnest(${sql.val(wordList.slice(i, i + 5_000))}::text[]) ON CONFLICT DO NOTHING`.execute(database.db);
    }
    await sql`VACUUM ANALYZE kb_translations`.execute(database.db);
    await sql`VACUUM ANALYZE kb_words`.execute(database.db);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    process.stderr.write(`\rloaded ${ARTICLES} articles, ${wordList.length} distinct words in ${loadSeconds.toFixed(1)} s\n`);

    const loadBefore = loadavg()[0] ?? 0;
    const queries = makeQueries();
    // Raw SQL baseline: the first-stage full-text query (the service's own statement, compiled
    // once per query), sent through the same pool without the service around it.
    const service: number[] = [];
    const raw: number[] = [];
    const byKind = new Map<string, number[]>();
    let withResults = 0;
    for (const [i, query] of queries.entries()) {
      const stems = queryTerms(query.q).stems;
      const compiled = stems.length
        ? fullTextSearchSql({ workspaceId: wsId, tsquery: stemsTsquery(stems, '&', 'none'), lang: query.lang, publishedOnly: true, limit: 10 }).compile(database.db)
        : null;
      const t0 = performance.now();
      const outcome = await searchArticles(database.db, wsId, { q: query.q, lang: query.lang, limit: 10, publishedOnly: true });
      const t1 = performance.now();
      if (compiled) await database.pool.query(compiled.sql, compiled.parameters as unknown[]);
      const t2 = performance.now();
      if (i < WARMUP) continue;
      service.push(t1 - t0);
      raw.push(t2 - t1);
      byKind.set(query.kind, [...(byKind.get(query.kind) ?? []), t1 - t0]);
      if (outcome.results.length) withResults += 1;
    }
    const loadAfter = loadavg()[0] ?? 0;
    const s = stats(service);
    const r = stats(raw);
    const pgVersion = (await database.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    const cpu = cpus();
    const f = (n: number) => n.toFixed(2);
    const kinds = [...byKind.entries()]
      .sort()
      .map(([kind, ms]) => {
        const k = stats(ms);
        return `| ${kind} | ${ms.length} | ${f(k.p50)} | ${f(k.p95)} |`;
      })
      .join('\n');
    const section = `<!-- bench:kb -->
## Knowledge-base search (\`npm run bench:kb\`)

- Date: ${new Date().toISOString()}
- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}, PostgreSQL ${pgVersion} through node-postgres (\`pg\`) and Kysely (the machine is shared with other work, so figures are pessimistic); 1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the queries
- Dataset: ${ARTICLES.toLocaleString('en')} articles in one workspace, a third each in English, Greek and Arabic (sentences of the seed texts and a product-name vocabulary of 20,000 rare words; about 90% published), ${wordList.length.toLocaleString('en')} distinct words in the typo dictionary; ${loaded ? 'loaded by an earlier run (kept database, migrated to this version)' : `loaded in ${loadSeconds.toFixed(0)} s`}
- Queries: ${service.length} measured after ${WARMUP} warm-up, one at a time, limit 10: accent-less and upper-case Greek, Arabic with diacritics and letter variants, phrases of 1–2 common words, rare words, common + rare, one-letter typos (which take the correction path: up to five round trips); ${withResults} of ${service.length} found something

| what | p50 ms | p95 ms | p99 ms | mean ms |
| --- | --- | --- | --- | --- |
| \`searchArticles\` (service: folding, stemming, full text, typo correction, any-word fallback, highlighting) | ${f(s.p50)} | **${f(s.p95)}** | ${f(s.p99)} | ${f(s.mean)} |
| baseline: the first-stage full-text query as raw SQL, same driver | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.mean)} |
| ratio service / raw | ${f(s.p50 / r.p50)} | ${f(s.p95 / r.p95)} | ${f(s.p99 / r.p99)} | ${f(s.mean / r.mean)} |

Service latency by kind of query:

| kind | queries | p50 ms | p95 ms |
| --- | --- | --- | --- |
${kinds}

Target: p95 under 20 ms — ${s.p95 < 20 ? 'met' : 'NOT met'}.
<!-- /bench:kb -->`;
    const file = new URL('BENCHMARKS.md', root);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nFigures measured on this project\'s own machine; each section is written by its benchmark script.\n';
    const next = /<!-- bench:kb -->[\s\S]*<!-- \/bench:kb -->/.test(current)
      ? current.replace(/<!-- bench:kb -->[\s\S]*<!-- \/bench:kb -->/, section)
      : `${current.trimEnd()}\n\n${section}\n`;
    writeFileSync(file, next);
    console.log(section);
  } finally {
    await database.close();
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

// Run alone (npm run bench:kb), or as an area of npm run bench (bench/index.ts).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
