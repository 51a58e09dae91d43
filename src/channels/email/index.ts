// The e-mail channel: SMTP in (smtp.ts → inbound.ts), nodemailer out (outbound.ts), and its API.
// Importing this module registers its job workers and the reply hook on the tickets service.
import './inbound.ts';
import './outbound.ts';

export { emailRoutes } from './routes.ts';
export { startSmtpListener } from './smtp.ts';
export type { SmtpListener } from './smtp.ts';
export { processInbound, storeInbound } from './inbound.ts';
export { composeEmail } from './outbound.ts';
