// A real WebSocket client (the `ws` package) that records what it receives and waits for it.
import WebSocket from 'ws';

export interface WsMessage {
  type: string;
  [key: string]: unknown;
}

export interface TestSocket {
  socket: WebSocket;
  messages: WsMessage[];
  send(message: unknown): void;
  /** Resolves with the first message (already received or future) that matches. */
  waitFor(match: (m: WsMessage) => boolean, timeoutMs?: number): Promise<WsMessage>;
  /** Events (type "event") in arrival order, leaving out agents coming and going (agent.*). */
  events(): { type: string; workspaceId: string; data: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** An event about the work itself, not an agent's socket opening or closing (agent.online…). */
export function workEvent(m: WsMessage): boolean {
  return m.type === 'event' && !(m.event as { type: string }).type.startsWith('agent.');
}

export function wsUrl(httpUrl: string, path: string): string {
  return httpUrl.replace(/^http/, 'ws') + path;
}

export async function connectWs(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const socket = new WebSocket(url, { headers });
  const messages: WsMessage[] = [];
  const waiters = new Set<{ match: (m: WsMessage) => boolean; resolve: (m: WsMessage) => void }>();
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as WsMessage;
    messages.push(message);
    for (const w of [...waiters]) {
      if (w.match(message)) {
        waiters.delete(w);
        w.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return {
    socket,
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    waitFor(match, timeoutMs = 5000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (m: WsMessage) => { clearTimeout(timer); resolve(m); } };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 2000)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    events: () =>
      messages
        .filter(workEvent)
        .map((m) => m.event as { type: string; workspaceId: string; data: Record<string, unknown> }),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

/** The HTTP status with which an upgrade was refused (or 101 if it was accepted). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve({ status: 101, body: '' });
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

/** Creates an agent in a workspace (through the API) and signs them in: their session cookie. */
export async function signedInAgent(
  request: (token: string | undefined, method: 'POST', url: string, body?: unknown) => Promise<{ statusCode: number; json(): unknown; headers: Record<string, unknown> }>,
  ownerToken: string,
  agent: { email: string; name: string },
): Promise<{ id: string; cookie: string }> {
  const password = 'correct horse battery staple';
  const created = await request(ownerToken, 'POST', '/api/v1/agents', { ...agent, password });
  if (created.statusCode !== 201) throw new Error(`agent create: ${created.statusCode}`);
  const login = await request(undefined, 'POST', '/api/v1/auth/login', { email: agent.email, password });
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  return { id: (created.json() as { id: string }).id, cookie };
}
