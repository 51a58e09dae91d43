// npm run bench [-- --quick]: every benchmark area in turn. An area is a file under bench/
// exporting main(quick) that writes its own section of BENCHMARKS.md (bench/lib/benchmarks-md.ts).
import { main as momentsIngest } from './moments-ingest.ts';
import { main as momentsReport } from './moments-report.ts';
import { main as attribution } from './attribution.ts';
import { main as ticketsLoad } from './tickets-load.ts';
import { main as teamReport } from './team-report.ts';
import { main as kb } from './kb.ts';

const AREAS: Record<string, (quick: boolean) => Promise<void>> = {
  'moments-ingest': momentsIngest,
  'moments-report': momentsReport,
  attribution,
  'tickets-load': ticketsLoad,
  'team-report': teamReport,
  kb,
};

const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const [name, run] of Object.entries(AREAS)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench ${name}${quick ? ' (quick)' : ''}\n`);
  await run(quick);
}
