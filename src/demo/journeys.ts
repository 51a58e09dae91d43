// Demo journeys: what the demo customers did around their tickets, from the ad that first
// reached them to the review they published, sent through the same Segment-compatible
// ingestion a real site would use. Deterministic: customer i always gets the same path.
import type { DemoCustomer, DemoLocale } from './catalogue.ts';

const DAY = 86_400_000;

const REVIEWS: Record<DemoLocale, { positive: string[]; negative: string[] }> = {
  en: {
    positive: [
      'Five stars. The thermostat paid for itself in one winter and support answered within the hour.',
      'Installation was painless and the app is lovely. I recommend Aurora Home to everyone.',
    ],
    negative: [
      'Two stars. Billing charged me twice and it took three emails to get a refund.',
      'Disappointed: the device kept dropping off Wi-Fi and nobody called me back.',
    ],
  },
  el: {
    positive: [
      'Πέντε αστέρια! Εξαιρετική εξυπηρέτηση, ο τεχνικός ήρθε την ίδια μέρα. Το προτείνω ανεπιφύλακτα.',
      'Πολύ ευχαριστημένη με τον θερμοστάτη, μειώθηκε ο λογαριασμός ρεύματος από τον πρώτο μήνα.',
    ],
    negative: [
      'Απογοήτευση. Η επιστροφή χρημάτων άργησε έναν μήνα και κανείς δεν απαντούσε στο τηλέφωνο.',
      'Κακή εμπειρία: η συσκευή αποσυνδέεται συνέχεια και η υποστήριξη δεν βοήθησε.',
    ],
  },
  ar: {
    positive: [
      'خمس نجوم! خدمة ممتازة والفني وصل في نفس اليوم. أنصح الجميع بـ Aurora Home.',
      'تجربة رائعة، فاتورة الكهرباء انخفضت من أول شهر والتطبيق سهل جداً.',
    ],
    negative: [
      'تجربة سيئة، تم خصم المبلغ مرتين وانتظرت أسبوعين حتى استرجعت فلوسي.',
      'الجهاز ينفصل عن الواي فاي باستمرار ولم يتصل بي أحد من الدعم.',
    ],
  },
};

export interface DemoSegmentMessage {
  type: 'track' | 'identify';
  userId: string;
  event?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}

/** The journey of demo customer number i, who became a help-desk customer at `joinedAt`. */
export function demoJourney(customer: DemoCustomer, i: number, joinedAt: Date, now: Date): DemoSegmentMessage[] {
  const userId = `aurora-${customer.key}`;
  const at = (days: number) => new Date(Math.min(joinedAt.getTime() + days * DAY, now.getTime() - 60_000)).toISOString();
  const messages: DemoSegmentMessage[] = [];
  const track = (event: string, days: number, properties: Record<string, unknown> = {}) =>
    messages.push({ type: 'track', userId, event, properties, timestamp: at(days), messageId: `demo-${customer.key}-${messages.length}` });

  messages.push({
    type: 'identify',
    userId,
    traits: { email: customer.email, name: customer.name, locale: customer.locale },
    timestamp: at(-31),
    messageId: `demo-${customer.key}-identify`,
  });
  track('Ad Viewed', -30, { channel: i % 2 ? 'tv' : 'online', campaign: 'winter-savings' });
  const sawBadReview = i % 5 === 0;
  track('Review Read', -20, { valence: sawBadReview ? 'negative' : 'positive' });
  track('Pricing Viewed', -15);
  if (sawBadReview && i % 10 === 0) return messages; // put off by what they read: never bought
  if (i % 3 !== 0) track('Trial Started', -12);
  track('Order Completed', -10, { plan: i % 4 === 0 ? 'plus' : 'essentials', currency: customer.locale === 'en' ? 'GBP' : 'EUR' });
  const rocky = i % 4 === 0;
  track('Onboarding Step Completed', -8, { step: 'install', valence: rocky ? 'negative' : 'positive' });
  if (i % 7 === 0) track('Subscription Cancelled', 40, { reason: 'price' });
  else if (i % 5 === 1) track('Subscription Upgraded', 40, { to: 'plus' });
  else track('Subscription Renewed', 40);
  if (i % 3 === 0) {
    const tone = rocky || i % 7 === 0 ? 'negative' : 'positive';
    const texts = REVIEWS[customer.locale][tone];
    track('Review Published', 45, { channel: 'review_site', rating: tone === 'positive' ? 5 : 2, text: texts[i % texts.length] });
  }
  return messages;
}
