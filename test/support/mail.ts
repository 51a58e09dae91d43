// Real mail on loopback for tests: raw MIME in the charsets customers really use, a nodemailer
// client that sends it, and an smtp-server sink that keeps what TruthDesk sends out.
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface RawMailInput {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  charset: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachment?: { filename: string; contentType: string; content: Buffer };
}

const b64lines = (buf: Buffer) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');
const encodedWord = (text: string, charset: string) => `=?${charset}?B?${iconv.encode(text, charset).toString('base64')}?=`;

/** A message as a mail client in that locale writes it: headers and body in `charset`. */
export function rawMail(m: RawMailInput): Buffer {
  const boundary = `----=_truthdesk_test_${Math.random().toString(36).slice(2)}`;
  const headers = [
    `From: ${m.fromName ? `${encodedWord(m.fromName, m.charset)} ` : ''}<${m.from}>`,
    `To: <${m.to}>`,
    `Subject: ${encodedWord(m.subject, m.charset)}`,
    `Message-ID: <${m.messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references?.length ? [`References: ${m.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  const textPart = [
    `Content-Type: text/plain; charset=${m.charset}`,
    'Content-Transfer-Encoding: base64',
    '',
    b64lines(iconv.encode(m.text, m.charset)),
  ].join('\r\n');
  if (!m.attachment) {
    return Buffer.from([...headers, textPart].join('\r\n') + '\r\n');
  }
  const a = m.attachment;
  const body = [
    `--${boundary}`,
    textPart,
    `--${boundary}`,
    `Content-Type: ${a.contentType}; name="${encodedWord(a.filename, m.charset)}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${encodedWord(a.filename, m.charset)}"`,
    '',
    b64lines(a.content),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from([...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', body].join('\r\n'));
}

/** Sends raw bytes with nodemailer to an SMTP server on loopback; resolves with its answer. */
export async function sendRaw(port: number, envelope: { from: string; to: string[] }, raw: Buffer): Promise<{ response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { response: info.response };
  } finally {
    transport.close();
  }
}

export interface Sink {
  port: number;
  url: string;
  messages: { envelopeTo: string[]; raw: Buffer; parsed: ParsedMail }[];
  /** Fail the next n deliveries with a 451. */
  failNext(n: number): void;
  close(): Promise<void>;
}

/** An SMTP server that keeps every message it is given (stands in for the mail provider). */
export async function startSink(): Promise<Sink> {
  const messages: Sink['messages'] = [];
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          const error = new Error('mailbox busy, try later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    messages,
    failNext: (n) => {
      failures = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function seedParagraphs(text: string, count: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, count)
    .join('\n');
}
