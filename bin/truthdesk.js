#!/usr/bin/env node
// The CLI is TypeScript. Long-running commands (serve, worker) run from a bundle built from the
// sources when they changed (bin/bundle.js); everything else runs the sources through tsx, so a
// clone works without a build step.
import { serverBundle } from './bundle.js';

const command = process.argv[2];
const bundle = await serverBundle({ buildIfStale: command === 'serve' || command === 'worker' || command === 'build' });
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
