// Outgoing webhook deliveries: a signed POST that never reaches loopback, private or link-local
// addresses unless the workspace allows it (src/domain/webhooks.ts decides which addresses). The
// address is checked when the URL is saved and again on every delivery, on the address the
// connection actually uses (a custom DNS lookup), so a name that later resolves inwards is refused.
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, signatureHeader, SIGNATURE_HEADER } from '../domain/webhooks.ts';
import { AppError } from './errors.ts';

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

async function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses: LookupAddress[]) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))),
  );
}

/** When a webhook URL is saved: 422 unless it resolves, and only to public addresses (or the workspace allows private ones). */
export async function checkWebhookTarget(raw: string, allowPrivate: boolean): Promise<void> {
  const url = new URL(raw);
  let addresses: string[];
  try {
    addresses = await resolveAll(hostOf(url));
  } catch {
    throw new AppError(422, 'unprocessable', `The webhook's host ${url.hostname} does not resolve`);
  }
  if (!allowPrivate && addresses.some(isPrivateAddress)) {
    throw new AppError(
      422,
      'unprocessable',
      `The webhook's host ${url.hostname} resolves to a loopback, private or link-local address; a workspace owner or admin can allow that with the workspace setting allowPrivateWebhookTargets`,
    );
  }
}

/** Connects only to addresses allowed (all of the name's addresses must be). */
const guardedLookup =
  (allowPrivate: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate) return callback(new Error(`refused: ${hostname} resolves to a private address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };

/**
 * POSTs a JSON body signed with the webhook's secret (`X-TruthDesk-Signature: t=…,v1=…`).
 * Resolves to null when answered 2xx, else to the reason (an HTTP status or the error). Redirects
 * are not followed (a 3xx is a failure).
 */
export async function deliverWebhook(
  raw: string,
  body: string,
  options: { secret: string; allowPrivate: boolean; userAgent: string; at?: Date; timeoutMs?: number },
): Promise<string | null> {
  const url = new URL(raw);
  const host = hostOf(url);
  if (isIP(host) && isPrivateAddress(host) && !options.allowPrivate) return 'refused: a private address';
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': options.userAgent,
          [SIGNATURE_HEADER]: signatureHeader(options.secret, body, options.at ?? new Date()),
        },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        res.on('end', () => resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`));
        res.on('error', (e) => resolve(e.message.slice(0, 500)));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve(e.message.slice(0, 500)));
    req.end(body);
  });
}
