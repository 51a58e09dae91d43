// The root page. The full agent app arrives with the web-app issue; until then this page
// lets an agent sign in and points integrators to the API.
import type { FastifyInstance } from 'fastify';

export function webRoutes(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => {
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TruthDesk</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,'DejaVu Sans',sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>TruthDesk</h1>
<p>The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Health: <a href="/healthz">/healthz</a>.</p>
</body></html>`;
  });
}
