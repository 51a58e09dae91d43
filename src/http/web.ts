// The web app: Vite's production build (web/dist) served at `/`. Hashed assets are cached for
// good; every app route (a deep link such as /tickets/…) gets index.html with the page's
// language and direction already set, so Arabic paints right-to-left from the first frame.
// /api, /kb/<workspace>… (the portal), /widget, /s (survey pages) and /healthz never fall back
// to the app; /kb itself and /kb/articles/<id> are the app's knowledge-base editor.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Lang = 'en' | 'el' | 'ar';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Scripts and styles only from TruthDesk itself; message images may come from https. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_APP = /^\/(api|kb|widget|healthz|assets|s)(\/|$|\?)/;
/** The app's own pages under /kb (the editor); every other /kb path is the public portal. */
const APP_UNDER_KB = /^\/kb(\/articles\/[^/]+)?\/?$/;

/** ?lang= wins, then Accept-Language, then English. (The app then applies the agent's saved language.) */
export function pageLanguage(request: FastifyRequest): Lang {
  const query = (request.query as { lang?: string }).lang;
  if (query === 'en' || query === 'el' || query === 'ar') return query;
  const accepted = String(request.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.trim().slice(0, 2).toLowerCase());
  return (accepted.find((l) => l === 'en' || l === 'el' || l === 'ar') as Lang | undefined) ?? 'en';
}

function htmlHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-cache');
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TruthDesk</title></head>
<body><h1>TruthDesk</h1><p>The web app is not built yet: run <code>npm run build</code> (npm start does it for you).
The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>`;

export async function webRoutes(app: FastifyInstance, options: { distDir?: string } = {}): Promise<void> {
  const dist = options.distDir ?? WEB_DIST;
  const indexFile = join(dist, 'index.html');
  const template = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;

  if (template) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      index: false,
      wildcard: false,
      cacheControl: false,
      // index.html is rendered per request below, with the page's language.
      allowedPath: (path) => path !== '/index.html' && !path.startsWith('/.'),
      setHeaders: (res, path) => {
        res.header('x-content-type-options', 'nosniff');
        res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    });
  }

  const page = (lang: Lang) =>
    template!.replace(/<html lang="en" dir="ltr">/, `<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);

  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if ((NOT_APP.test(path) && !APP_UNDER_KB.test(path)) || /\.[a-z0-9]{1,8}$/i.test(path)) {
      return reply.status(404).send({ error: { code: 'not_found', message: `No route GET ${path}` } });
    }
    if (!template) return htmlHeaders(reply).status(503).send(NOT_BUILT);
    return htmlHeaders(reply).send(page(pageLanguage(request)));
  });
}
