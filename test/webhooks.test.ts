// Outgoing webhooks: the addresses a delivery may never reach, and the signature a receiver checks.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, signatureHeader, verifySignature } from '../src/domain/webhooks.ts';

describe('webhook targets', () => {
  it('refuses loopback, private, link-local and other inward addresses, in IPv4 and IPv6 spellings', () => {
    for (const ip of [
      '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.20', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd12:3456::1', 'fc00::1', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.1.2.3', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '2002:c0a8:101::1', 'not-an-ip',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
  });

  it('allows public addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });
});

describe('webhook signatures', () => {
  const at = new Date('2026-11-25T18:00:00Z');
  const body = JSON.stringify({ type: 'stage_health.dropped', note: 'Η υγεία του σταδίου έπεσε — انخفضت' });

  it('is HMAC-SHA256 of "<t>.<body>" in hex, with the unix time', () => {
    const header = signatureHeader('whsec_test', body, at);
    const t = at.getTime() / 1000;
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', 'whsec_test').update(`${t}.${body}`).digest('hex')}`);
  });

  it('verifies only the same secret, body and a recent time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.integer({ min: 0, max: 300 }), (secret, text, lateS) => {
        const header = signatureHeader(secret, text, at);
        const later = new Date(at.getTime() + lateS * 1000);
        expect(verifySignature(secret, text, header, later)).toBe(true);
        expect(verifySignature(`${secret}x`, text, header, later)).toBe(false);
        expect(verifySignature(secret, `${text} `, header, later)).toBe(false);
      }),
    );
    expect(verifySignature('s', body, signatureHeader('s', body, at), new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifySignature('s', body, 'v1=abc', at)).toBe(false);
  });
});
