// Every module that registers a worker, imported once so that each process (serve, worker,
// CLI, tests through the server) knows every queue and its policy. Add yours here.
import '../surveys/jobs.ts';
import '../assignment/fill.ts';
import '../sla/timers.ts';
import '../channels/email/index.ts';
import '../health/jobs.ts';
import '../journeys/daily-fold.ts';
import '../performance/fold.ts';
import '../journeys/people-fold.ts';
import '../attribution/fold.ts';
import '../journeys/partitions.ts';
