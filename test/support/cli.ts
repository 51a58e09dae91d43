// The `truthdesk` command as a child process, for tests that run it as a user would.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/truthdesk.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();
const scratchDirs: string[] = [];

export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'truthdesk-cli-'));
  scratchDirs.push(dir);
  return dir;
}

export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // SMTP on a free port too, so parallel servers never fight over 2525.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', TRUTHDESK_SMTP_PORT: '0', ...extra };
  // The run's own DATABASE_URL (if any) must not leak into a child meant for PGlite.
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  delete env.TRUTHDESK_ADMIN_TOKEN;
  return env;
}

export function spawnCli(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function runCli(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`truthdesk ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Served {
  url: string;
  stdout: string;
  stop(): Promise<number | null>;
  /** Sends a signal (a crash test's SIGKILL); `exited` resolves with the exit code. */
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

/** Starts `truthdesk serve` and resolves once it has printed its whole welcome. */
export function startServe(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 180_000): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['serve', ...args], env, cwd);
    let stdout = '';
    let stderr = '';
    let settled = false;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`serve did not start within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`)), timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /TruthDesk is running at (http:\/\/\S+)/.exec(stdout);
      if (match && /^API: .*\n/m.test(stdout) && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({
          url: match[1] as string,
          stdout,
          kill: (signal) => child.kill(signal),
          exited,
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            const code = await exited;
            clearTimeout(killer);
            return code;
          },
        });
      }
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code} before it was ready; stderr: ${stderr}`)));
  });
}

/** Kills what a test file left running and removes its scratch directories (call in afterAll). */
export function cleanupCli(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
}

/** Where a server started by `serve` says it receives mail. */
export function smtpPortOf(served: Served): number {
  const match = /Receiving mail on smtp:\/\/[^:]+:(\d+)/.exec(served.stdout);
  if (!match?.[1]) throw new Error(`serve did not say where it receives mail: ${served.stdout}`);
  return Number(match[1]);
}

/** PGlite's directory lock outlives a SIGKILLed owner until it goes stale: retry a moment. */
export async function startServeRetrying(env: Record<string, string>, cwd: string): Promise<Served> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startServe([], env, cwd);
    } catch (error) {
      if (attempt > 15 || !/in use by another TruthDesk process/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/** Starts `truthdesk worker` and resolves once it is running (killed by cleanupCli like the rest). */
export function startWorker(env: Record<string, string>, cwd: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['worker'], env, cwd);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 120_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('TruthDesk worker is running')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
  });
}
