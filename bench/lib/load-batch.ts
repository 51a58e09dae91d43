// Load generator, run as its own process: POSTs `total` messages to /api/v1/batch in batches
// over `connections` keep-alive connections and prints {"messages","seconds","errors"} and the
// batches' p50/p99 latency (ms, from sending to the whole answer) as JSON.
// Usage: tsx bench/lib/load-batch.ts <baseUrl> <writeKey> <run> <total> <connections> <batchSize>
import http from 'node:http';
import { benchMessage } from './touchpoint-data.ts';

const [baseUrl, writeKey, run, totalArg, connectionsArg, batchArg] = process.argv.slice(2);
if (!baseUrl || !writeKey || !run) throw new Error('usage: load-batch <baseUrl> <writeKey> <run> <total> <connections> <batchSize>');
const total = Number(totalArg);
const connections = Number(connectionsArg);
const batchSize = Number(batchArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
const url = new URL('/api/v1/batch', baseUrl);

function post(body: string): Promise<{ status: number; stored: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let stored = 0;
          try {
            stored = (JSON.parse(text) as { results: { status: string }[] }).results.filter((r) => r.status === 'stored').length;
          } catch {
            // an error answer: counted by status
          }
          resolve({ status: res.statusCode ?? 0, stored });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// Bodies are built before the clock starts: the load generator's own work is not measured.
const bodies: string[] = [];
for (let start = 0; start < total; start += batchSize) {
  const batch = [];
  for (let i = start; i < Math.min(total, start + batchSize); i++) batch.push(benchMessage(run, i, total));
  bodies.push(JSON.stringify({ batch }));
}
let next = 0;
let stored = 0;
let errors = 0;
const latenciesMs: number[] = [];
async function worker(): Promise<void> {
  for (;;) {
    const body = bodies[next++];
    if (body === undefined) return;
    const sent = process.hrtime.bigint();
    const res = await post(body);
    latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
    if (res.status !== 200) errors++;
    stored += res.stored;
  }
}

const began = process.hrtime.bigint();
await Promise.all(Array.from({ length: connections }, () => worker()));
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
agent.destroy();
latenciesMs.sort((a, b) => a - b);
const percentile = (p: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.ceil((p / 100) * latenciesMs.length) - 1)] ?? 0;
process.stdout.write(`${JSON.stringify({ messages: total, stored, seconds, errors, p50Ms: percentile(50), p99Ms: percentile(99) })}\n`);
