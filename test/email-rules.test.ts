// Pure e-mail rules: quoted history, automatic mail, ticket references, Message-IDs, language.
import { describe, expect, it } from 'vitest';
import {
  automatedKind,
  guessLocale,
  messageIdList,
  replySubject,
  stripQuotedReply,
  ticketNumberInSubject,
} from '../src/domain/email.ts';

const signals = (headers: Record<string, string>, extra: { from?: string; contentType?: string; subject?: string } = {}) => ({
  headers: new Map(Object.entries(headers)),
  from: extra.from ?? 'someone@example.com',
  contentType: extra.contentType ?? 'text/plain',
  subject: extra.subject ?? 'Hello',
});

describe('e-mail rules', () => {
  it('cuts quoted history in English, Greek, Arabic and Outlook styles, and keeps unquoted text whole', () => {
    expect(stripQuotedReply('Thanks!\n\nOn Mon, 3 Nov 2026 at 10:00, Support <s@x> wrote:\n> old\n> older')).toBe('Thanks!');
    expect(stripQuotedReply('Ευχαριστώ.\n\nΣτις Δευ, 3 Νοε 2026, η Υποστήριξη έγραψε:\n> παλιό')).toBe('Ευχαριστώ.');
    expect(stripQuotedReply('شكراً\n\nفي الاثنين، 3 نوفمبر 2026، كتب الدعم:\n> قديم')).toBe('شكراً');
    expect(stripQuotedReply('Fine.\n\n-----Original Message-----\nFrom: a\nSent: b')).toBe('Fine.');
    expect(stripQuotedReply('Fine.\n\nFrom: Support <s@x>\nSent: Monday\nSubject: Re: x\n\nold')).toBe('Fine.');
    expect(stripQuotedReply('My answer\n> quoted\n> more\n')).toBe('My answer');
    // Inline answers between quotes are the customer's words: keep everything.
    expect(stripQuotedReply('> question 1\nanswer 1\n> question 2\nanswer 2')).toBe('> question 1\nanswer 1\n> question 2\nanswer 2');
    expect(stripQuotedReply('From: my address changed\nplease update')).toBe('From: my address changed\nplease update');
    expect(stripQuotedReply('> only a quote')).toBe('> only a quote');
  });

  it('recognises automatic mail by its headers, sender and report type', () => {
    expect(automatedKind(signals({ 'auto-submitted': 'auto-replied' }))).toBe('auto-reply');
    expect(automatedKind(signals({ 'auto-submitted': 'no' }))).toBeNull();
    expect(automatedKind(signals({ 'x-autoreply': 'yes' }))).toBe('auto-reply');
    expect(automatedKind(signals({ precedence: 'bulk' }))).toBe('bulk');
    expect(automatedKind(signals({ precedence: 'auto_reply' }))).toBe('auto-reply');
    expect(automatedKind(signals({}, { contentType: 'multipart/report' }))).toBe('bounce');
    expect(automatedKind(signals({}, { from: 'MAILER-DAEMON@mx.example.net' }))).toBe('bounce');
    expect(automatedKind(signals({}, { subject: 'Out of Office: back Monday' }))).toBe('auto-reply');
    expect(automatedKind(signals({}, { subject: 'Αυτόματη απάντηση: Re: παραγγελία' }))).toBe('auto-reply');
    expect(automatedKind(signals({}, { subject: 'My order is out of stock' }))).toBeNull();
  });

  it('reads ticket references and Message-ID lists', () => {
    expect(ticketNumberInSubject('Re: Τιμολόγιο [#123]')).toBe(123);
    expect(ticketNumberInSubject('Order #123')).toBeNull();
    expect(messageIdList('<a@x> <b@y>\r\n <c@z>')).toEqual(['a@x', 'b@y', 'c@z']);
    expect(messageIdList(['<a@x>', '<a@x>'])).toEqual(['a@x']);
    expect(replySubject('Re: RE: Τιμολόγιο [#12]', 12)).toBe('Re: Τιμολόγιο [#12]');
    expect(replySubject('رد: مشكلة', 7)).toBe('Re: مشكلة [#7]');
  });

  it('guesses Arabic and Greek customers from their script only when it is clear', () => {
    expect(guessLocale('مرحبا، لدي مشكلة في الفاتورة')).toBe('ar');
    expect(guessLocale('Καλημέρα, έχω πρόβλημα')).toBe('el');
    expect(guessLocale('Hello, order ΑΒ-12')).toBeNull();
    expect(guessLocale('12345')).toBeNull();
  });
});
