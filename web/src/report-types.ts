// Shapes of the team leader and voice-of-the-customer reports, as the API answers them: the
// server's own definitions (src/contracts/reports.ts), so the two cannot drift apart.
export type {
  PainPoint,
  PainPointReport,
  PainTrend,
  PerformanceFigure,
  PerformanceFigures,
  PerformanceReport,
  PerformanceTicket,
  PerformanceTickets,
  RecoveryFigures,
  RecoveryReport,
  SurveyFigures,
  SurveyReport,
} from '../../src/contracts/reports.ts';
