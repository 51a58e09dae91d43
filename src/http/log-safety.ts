// What the logs may show of a request: its method, its route and its URL with every secret
// masked. Secrets travel in URLs in a few places by design (survey answer links
// /s/:workspace/:token and /api/v1/public/surveys/:workspace/:token, review widget keys in
// /api/v1/public/reviews/:key, the chat widget key in /api/v1/widget/ws?key=…), and a client
// may put one in a query string anyway (?writeKey=…, ?access_token=…). Request bodies
// (passwords, write keys, tokens) are never logged; the redaction paths below are the second
// line, for a log call that one day passes a body or settings along.
import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

export const MASK = '[redacted]';

/** A path parameter or query parameter with such a name holds a secret. */
const SECRET_NAME = /token|key|secret|passw|signature|credential|auth|session/i;
/**
 * Every secret TruthDesk hands out has a prefix (src/auth/secrets.ts and the services): API
 * tokens td_, sessions tds_, write keys wk_, chat widget keys and visitor tokens cw_/cv_, review
 * widget keys rw_, webhook secrets whsec_, survey links sv_. Wherever one shows in a URL, mask it.
 */
const SECRET_VALUE = /(?<![A-Za-z0-9])(?:td|tds|wk|cw|cv|rw|whsec|sv)_[A-Za-z0-9_-]{8,}/g;
const SECRET_VALUE_ANYWHERE = new RegExp(SECRET_VALUE.source);

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The URL with secrets masked: path segments in the place of a route parameter named like a
 * secret (given the route's pattern), values of query parameters named like one, and anything
 * that looks like one of TruthDesk's secrets wherever it is (also on a path no route matched).
 */
export function maskUrl(url: string, routePattern?: string): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? undefined : url.slice(at + 1);
  const names = routePattern ? routePattern.split('/') : [];
  let masked = path
    .split('/')
    .map((segment, i) => {
      const name = names[i];
      return name?.startsWith(':') && SECRET_NAME.test(name) ? MASK : segment;
    })
    .join('/');
  if (query !== undefined) {
    masked +=
      '?' +
      query
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          const name = eq === -1 ? pair : pair.slice(0, eq);
          return SECRET_NAME.test(decoded(name)) ? `${name}=${MASK}` : pair;
        })
        .join('&');
  }
  // A secret's characters need no escaping, but a client may escape them anyway.
  return masked
    .replace(SECRET_VALUE, MASK)
    .replace(/[^/?&=]*%[^/?&=]*/g, (part) => (SECRET_VALUE_ANYWHERE.test(decoded(part)) ? MASK : part));
}

/** Fastify's request log fields, with the URL masked and the route the request matched. */
export function requestLogFields(request: FastifyRequest): Record<string, unknown> {
  const route = request.routeOptions?.url;
  return {
    method: request.method,
    url: maskUrl(request.url, route),
    ...(route ? { route } : {}),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export const LOG_SERIALIZERS = { req: requestLogFields };

/** Fields of anything logged that hold credentials, masked whatever logs them. */
const SECRET_FIELDS = ['password', 'newPassword', 'writeKey', 'token', 'apiKey', 'secret', 'smtpUrl', 'authorization', 'cookie'];

export const LOG_REDACTION: NonNullable<LoggerOptions['redact']> = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    'req.body',
    'body',
    ...SECRET_FIELDS,
    ...SECRET_FIELDS.map((field) => `*.${field}`),
  ],
  censor: MASK,
};
