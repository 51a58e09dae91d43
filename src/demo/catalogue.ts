/**
 * Demo catalogue: realistic help-desk data for the fictional company "Aurora Home",
 * which sells smart thermostats and home-energy subscriptions (hardware + monthly plan)
 * in the UK, Greece and the Gulf/Egypt.
 *
 * Pure data: no I/O and no imports. Text is written in the customer's language
 * (English, Greek, Arabic). All e-mail addresses use reserved example domains
 * (example.com / .org / .net and subdomains of example.com); agents use the
 * reserved TLD `.example`. UK phone numbers are in Ofcom's drama range.
 *
 * Ticket messages carry `atMinute`, the minutes elapsed since the ticket was opened.
 * Phone tickets hold call notes / summaries rather than verbatim speech.
 */

export type DemoLocale = 'en' | 'el' | 'ar';
export type DemoRole = 'owner' | 'admin' | 'team_leader' | 'agent';
export type DemoChannel = 'email' | 'chat' | 'phone' | 'web' | 'social';
export type DemoPriority = 'low' | 'normal' | 'high' | 'urgent';
export type DemoStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

export interface DemoAgent {
  name: string;
  email: string;
  role: DemoRole;
  locale: DemoLocale;
  /** key of a DemoTeam */
  team: string;
}

export interface DemoTeam {
  key: string;
  name: string;
}

export interface DemoCustomer {
  key: string;
  name: string;
  email: string;
  /** E.164 */
  phone?: string;
  locale: DemoLocale;
  /** set for business (B2B) customers */
  company?: string;
}

export interface DemoMessage {
  /** who wrote it: the customer, an agent's public reply, or an agent's internal note */
  kind: 'customer' | 'reply' | 'note';
  body: string;
  /** minutes after the ticket was opened */
  atMinute: number;
}

export interface DemoTicket {
  /** key of a DemoCustomer */
  customer: string;
  subject: string;
  channel: DemoChannel;
  priority: DemoPriority;
  /** the final status after the conversation */
  status: DemoStatus;
  /** key of a DemoTeam */
  team: string;
  /** lowercase ascii slugs like 'billing', 'refund' */
  tags: string[];
  /** first one is always kind 'customer'; atMinute increasing */
  messages: DemoMessage[];
}

export const demoWorkspace: { name: string; slug: string } = {
  name: 'Aurora Home',
  slug: 'aurora-home',
};

export const demoTeams: DemoTeam[] = [
  { key: 'support', name: 'Customer Support' },
  { key: 'billing', name: 'Billing & Accounts' },
  { key: 'onboarding', name: 'Installation & Onboarding' },
];

export const demoAgents: DemoAgent[] = [
  { name: 'Sarah Whitfield', email: 'sarah.whitfield@aurora-home.example', role: 'owner', locale: 'en', team: 'support' },
  { name: 'Νίκος Αντωνίου', email: 'nikos.antoniou@aurora-home.example', role: 'admin', locale: 'el', team: 'billing' },
  { name: 'Rachel Okafor', email: 'rachel.okafor@aurora-home.example', role: 'team_leader', locale: 'en', team: 'billing' },
  { name: 'ليلى منصور', email: 'layla.mansour@aurora-home.example', role: 'team_leader', locale: 'ar', team: 'billing' },
  { name: 'Tom Hargreaves', email: 'tom.hargreaves@aurora-home.example', role: 'agent', locale: 'en', team: 'onboarding' },
  { name: 'Δήμητρα Καραγιάννη', email: 'dimitra.karagianni@aurora-home.example', role: 'agent', locale: 'el', team: 'support' },
  { name: 'طارق الشمري', email: 'tariq.alshammari@aurora-home.example', role: 'agent', locale: 'ar', team: 'support' },
  { name: 'مريم فاروق', email: 'maryam.farouk@aurora-home.example', role: 'agent', locale: 'ar', team: 'onboarding' },
];

export const demoCustomers: DemoCustomer[] = [
  // ── English (UK) ──────────────────────────────────────────────────────────
  { key: 'en-olivia-bennett', name: 'Olivia Bennett', email: 'olivia.bennett@example.com', phone: '+447700900123', locale: 'en' },
  { key: 'en-james-whitaker', name: 'James Whitaker', email: 'jwhitaker@mail.example.com', locale: 'en' },
  { key: 'en-priya-shah', name: 'Priya Shah', email: 'priya.shah@example.org', phone: '+447700900456', locale: 'en' },
  { key: 'en-callum-reid', name: 'Callum Reid', email: 'callum.reid@example.net', locale: 'en' },
  {
    key: 'en-hannah-lewis',
    name: 'Hannah Lewis',
    email: 'hannah.lewis@hartley-lettings.example.com',
    phone: '+447700900789',
    locale: 'en',
    company: 'Hartley Lettings Ltd',
  },
  { key: 'en-mohammed-iqbal', name: 'Mohammed Iqbal', email: 'm.iqbal@uk.example.com', phone: '+447700900541', locale: 'en' },
  { key: 'en-sophie-turner', name: 'Sophie Turner', email: 'sophie.t@mail.example.com', locale: 'en' },
  {
    key: 'en-david-okonkwo',
    name: 'David Okonkwo',
    email: 'd.okonkwo@brookside-care.example.com',
    phone: '+447700900312',
    locale: 'en',
    company: 'Brookside Care Homes',
  },
  { key: 'en-emma-clarke', name: 'Emma Clarke', email: 'emma.clarke@example.net', locale: 'en' },
  { key: 'en-gareth-evans', name: 'Gareth Evans', email: 'gareth.evans@example.com', phone: '+447700900874', locale: 'en' },
  { key: 'en-aisling-murphy', name: 'Aisling Murphy', email: 'aisling.murphy@example.org', locale: 'en' },
  {
    key: 'en-peter-harrington',
    name: 'Peter Harrington',
    email: 'peter@harrington-co.example.com',
    phone: '+447700900265',
    locale: 'en',
    company: 'Harrington & Co Accountants Ltd',
  },

  // ── Greek (Greece) ────────────────────────────────────────────────────────
  { key: 'el-giorgos-papadakis', name: 'Γιώργος Παπαδάκης', email: 'g.papadakis@gr.example.com', phone: '+306944000101', locale: 'el' },
  { key: 'el-maria-konstantinou', name: 'Μαρία Κωνσταντίνου', email: 'maria.konst@example.com', locale: 'el' },
  { key: 'el-eleni-georgiou', name: 'Ελένη Γεωργίου', email: 'eleni.georgiou@mail.example.com', phone: '+306977000202', locale: 'el' },
  { key: 'el-kostas-nikolaidis', name: 'Κώστας Νικολαΐδης', email: 'k.nikolaidis@example.net', locale: 'el' },
  {
    key: 'el-sofia-alexiou',
    name: 'Σοφία Αλεξίου',
    email: 's.alexiou@aigaio-hotels.example.com',
    phone: '+302100000303',
    locale: 'el',
    company: 'Ξενοδοχεία Αιγαίο Α.Ε.',
  },
  { key: 'el-dimitris-vlachos', name: 'Δημήτρης Βλάχος', email: 'dvlachos@gr.example.com', locale: 'el' },
  { key: 'el-katerina-michailidou', name: 'Κατερίνα Μιχαηλίδου', email: 'katerina.m@example.org', phone: '+306932000404', locale: 'el' },
  {
    key: 'el-panagiotis-lambrakis',
    name: 'Παναγιώτης Λαμπράκης',
    email: 'p.lambrakis@lambrakis-pharmacy.example.com',
    locale: 'el',
    company: 'Φαρμακείο Λαμπράκη',
  },
  { key: 'el-anna-stavrou', name: 'Άννα Σταύρου', email: 'anna.stavrou@mail.example.com', locale: 'el' },
  { key: 'el-vasilis-christodoulou', name: 'Βασίλης Χριστοδούλου', email: 'v.christodoulou@example.net', phone: '+306981000505', locale: 'el' },
  { key: 'el-ioanna-pappa', name: 'Ιωάννα Παππά', email: 'ioanna.pappa@gr.example.com', locale: 'el' },
  {
    key: 'el-thanasis-rigas',
    name: 'Θανάσης Ρήγας',
    email: 'thanasis@rigas-construction.example.com',
    phone: '+302310000606',
    locale: 'el',
    company: 'Ρήγας Κατασκευαστική Ο.Ε.',
  },

  // ── Arabic (Gulf and Egypt) ───────────────────────────────────────────────
  { key: 'ar-ahmed-almansouri', name: 'أحمد المنصوري', email: 'ahmed.almansouri@ae.example.com', phone: '+971501000101', locale: 'ar' },
  { key: 'ar-fatima-alzahrani', name: 'فاطمة الزهراني', email: 'f.alzahrani@sa.example.com', phone: '+966551000202', locale: 'ar' },
  { key: 'ar-mohamed-abdelrahman', name: 'محمد عبد الرحمن', email: 'm.abdelrahman@eg.example.com', phone: '+201001000303', locale: 'ar' },
  { key: 'ar-noura-alqahtani', name: 'نورة القحطاني', email: 'noura.q@mail.example.com', locale: 'ar' },
  {
    key: 'ar-khaled-alsayed',
    name: 'خالد السيد',
    email: 'khaled@alnukhba-realestate.example.com',
    phone: '+97142000404',
    locale: 'ar',
    company: 'شركة النخبة للعقارات',
  },
  { key: 'ar-mona-hassan', name: 'منى حسن', email: 'mona.hassan@eg.example.com', locale: 'ar' },
  { key: 'ar-omar-alhashimi', name: 'عمر الهاشمي', email: 'omar.h@example.net', phone: '+971561000505', locale: 'ar' },
  { key: 'ar-salma-ibrahim', name: 'سلمى إبراهيم', email: 'salma.ibrahim@example.org', locale: 'ar' },
  { key: 'ar-yousef-alkuwari', name: 'يوسف الكواري', email: 'yousef.alkuwari@qa.example.com', phone: '+97455000606', locale: 'ar' },
  {
    key: 'ar-hala-mostafa',
    name: 'هالة مصطفى',
    email: 'hala.mostafa@alwaha-hotel.example.com',
    phone: '+20653000707',
    locale: 'ar',
    company: 'فندق الواحة',
  },
  { key: 'ar-abdullah-alotaibi', name: 'عبدالله العتيبي', email: 'a.alotaibi@mail.example.com', locale: 'ar' },
  { key: 'ar-reem-alali', name: 'ريم العلي', email: 'reem.alali@ae.example.com', phone: '+971502000808', locale: 'ar' },
];

// ─────────────────────────────────────────────────────────────────────────────
// English tickets (UK)
// ─────────────────────────────────────────────────────────────────────────────

const enTickets: DemoTicket[] = [
  {
    customer: 'en-olivia-bennett',
    subject: 'Heating not coming on — baby at home',
    channel: 'phone',
    priority: 'urgent',
    status: 'solved',
    team: 'support',
    tags: ['heating', 'firmware', 'outage'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Call from Olivia Bennett (Leeds). Heating hasn't come on since this morning: the thermostat shows 'Heating' and the flame icon, but the boiler isn't firing. It's about 1°C outside and she has a six-month-old at home, so understandably stressed. Has already tried switching the thermostat off and on again.",
      },
      {
        kind: 'reply',
        atMinute: 14,
        body: "Call summary: checked the device remotely. It updated to firmware 4.2.1 overnight, which has a known relay timing bug on some combi boilers. Rolled her back to 4.1.8 while she was on the line; the boiler fired within a couple of minutes and she confirmed the radiators were warming up. Apologised and told her we'll hold updates on her device until the fix ships. Resolved on the call.",
      },
      {
        kind: 'note',
        atMinute: 18,
        body: 'Third 4.2.1 relay case today, all Yorkshire, all combis. Added to FW-392. Can we pause the rollout for combi installs until the patch is out?',
      },
    ],
  },
  {
    customer: 'en-james-whitaker',
    subject: 'Charged twice for my subscription this month',
    channel: 'email',
    priority: 'urgent',
    status: 'open',
    team: 'billing',
    tags: ['billing', 'double-charge', 'refund'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi,\n\nI've just checked my bank and you've taken £7.99 TWICE for my Aurora Plus subscription this month, both on the 3rd. I didn't sign up for two plans, I've got one thermostat. Please refund the duplicate payment today. Money is tight this month and I'm now overdrawn because of it.\n\nJames",
      },
      {
        kind: 'reply',
        atMinute: 95,
        body: "Hi James,\n\nI'm really sorry about this. You're right: our payment provider retried a payment that had already gone through, so you were charged twice on 3 March. I've refunded the duplicate £7.99 just now (reference RF-44190). Refunds usually show within 3–5 working days, depending on your bank.\n\nIf your bank has charged you an overdraft fee because of our mistake, send us a copy of the statement and we'll cover it.\n\nRachel\nAurora Home Billing",
      },
      {
        kind: 'customer',
        atMinute: 8700,
        body: "Rachel, it's been six days and there is still nothing on my account. My bank says no refund has been initiated from your side at all. Statement with the £15 overdraft fee attached, as you asked. I'd like this sorted this week please, not another 'give it 3-5 days'.",
      },
      {
        kind: 'note',
        atMinute: 8760,
        body: "RF-44190 shows 'queued' in the processor dashboard and was never submitted. Escalated to finance for a manual push, plus £15 goodwill for the overdraft fee. Please don't send him another standard timeline; I'll call him once finance confirms.",
      },
    ],
  },
  {
    customer: 'en-priya-shah',
    subject: 'Wiring a second thermostat for the upstairs zone',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    team: 'onboarding',
    tags: ['installation', 'wiring', 'zones'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hello, I'm adding a second Aurora Thermostat for our upstairs zone and fitting it myself this time. The old zone thermostat has four wires (brown, blue, grey and a green/yellow earth) but your quick start guide only shows two terminals, COM and NO. Which ones go where, and do I need the earth at all? I'd rather not guess with mains wiring. Thanks, Priya",
      },
    ],
  },
  {
    customer: 'en-callum-reid',
    subject: 'Shoutout for the installation team',
    channel: 'social',
    priority: 'low',
    status: 'solved',
    team: 'support',
    tags: ['compliment', 'installation'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Proper shoutout to @AuroraHome. Engineer turned up 20 mins early, had the thermostat fitted in under an hour and actually explained the app to my dad instead of rushing off. First gas bill since and it is down about 18%. Chuffed.',
      },
      {
        kind: 'reply',
        atMinute: 42,
        body: "That's brilliant to hear, Callum, thank you! We'll make sure Dev and the whole installation team see this. Say hi to your dad from us.",
      },
    ],
  },
  {
    customer: 'en-hannah-lewis',
    subject: 'One consolidated invoice for 48 properties',
    channel: 'email',
    priority: 'high',
    status: 'on_hold',
    team: 'billing',
    tags: ['invoice', 'b2b', 'vat'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi there,\n\nWe manage 48 rental properties with Aurora thermostats on Aurora Plus, currently billed as 48 separate card payments. Our accountant has asked whether we can move to one consolidated monthly invoice, paid by BACS, with a line per property address and VAT shown separately. We'd need this in place before our quarter end on 31 March if at all possible.\n\nKind regards,\nHannah Lewis\nOperations Manager, Hartley Lettings Ltd",
      },
      {
        kind: 'reply',
        atMinute: 180,
        body: "Hi Hannah,\n\nThanks for getting in touch. Yes, we can do this: we'll move all 48 subscriptions onto a single business account with monthly invoicing on 30-day terms, one line per property and VAT itemised.\n\nOur finance team needs to set the account up on their side first, which usually takes 5–7 working days. I've put the request in and will keep this ticket on hold until they confirm. Your card payments carry on as normal until the switch, so nothing will lapse in the meantime.\n\nBest wishes,\nRachel Okafor\nAurora Home Billing",
      },
      {
        kind: 'note',
        atMinute: 190,
        body: 'Finance request FIN-212 raised for consolidated billing (48 subs, Hartley Lettings). On hold until finance confirms. If not done by 24 March, escalate to Sarah: the quarter-end deadline really matters to this account.',
      },
    ],
  },
  {
    customer: 'en-mohammed-iqbal',
    subject: 'Verification code never arrives',
    channel: 'chat',
    priority: 'normal',
    status: 'solved',
    team: 'support',
    tags: ['login', 'app', '2fa'],
    messages: [
      { kind: 'customer', atMinute: 0, body: 'hi, got a new phone and now the app wants a verification code but the code never comes' },
      { kind: 'reply', atMinute: 2, body: 'Hi Mohammed, sorry about that! Are you expecting the code by text or by email?' },
      { kind: 'customer', atMinute: 3, body: 'text. same number as before' },
      {
        kind: 'reply',
        atMinute: 5,
        body: "Thanks. I can see three codes went out in the last 10 minutes, so it's probably on the phone side: a new SIM sometimes blocks messages from short codes for the first day. I've switched your account to email codes for now. Could you tap 'Resend code' and check your inbox (and spam)?",
      },
      { kind: 'customer', atMinute: 8, body: 'got it, in now. cheers' },
      {
        kind: 'reply',
        atMinute: 9,
        body: 'Great! You can switch back to text codes under Settings > Security whenever you like. Have a good evening.',
      },
    ],
  },
  {
    customer: 'en-sophie-turner',
    subject: 'Order AH-10388 marked delivered but never arrived',
    channel: 'email',
    priority: 'normal',
    status: 'pending',
    team: 'support',
    tags: ['delivery', 'order'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hello,\n\nMy order AH-10388 says it was delivered yesterday at 14:12 but there's nothing here. Not in the porch, not with the neighbours on either side. I was home all afternoon and nobody knocked. Can you find out where it actually went?\n\nSophie",
      },
      {
        kind: 'reply',
        atMinute: 240,
        body: "Hi Sophie,\n\nSorry, that's really frustrating, especially when you were in. The courier's delivery photo shows the parcel left by a green front door with the number 14 on it, and the address on your order is Flat 4, 14 Elmwood Road.\n\nCould you check whether it might have been left inside the main entrance of the building, and let me know if the door in the photo is yours? If it isn't, I'll open a claim with the courier and send you a replacement straight away.\n\nSarah\nAurora Home Support",
      },
    ],
  },
  {
    customer: 'en-david-okonkwo',
    subject: 'Installer no-show at Ashgrove House',
    channel: 'phone',
    priority: 'high',
    status: 'open',
    team: 'onboarding',
    tags: ['installation', 'b2b', 'missed-appointment'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Call from David Okonkwo, Brookside Care Homes. Installer didn't turn up on Tuesday for the second home (Ashgrove House); staff waited all day and nobody called. Two residents' rooms are running cold because the old thermostats were already taken out at the survey. He's not happy and wants a firm date this week, morning slot.",
      },
      {
        kind: 'reply',
        atMinute: 12,
        body: 'Call notes: apologised properly, there is no excuse for a no-show without a call. Checked: the installer calendar was double-booked after a sick day and the reschedule message never went out. Offered Thursday 8–10am, David provisionally accepted; told him I would confirm by email within 2 hours. Also arranged two portable oil radiators to be couriered to Ashgrove today as a stop-gap.',
      },
      {
        kind: 'customer',
        atMinute: 1620,
        body: "Hi Tom, it's Wednesday afternoon and I still haven't had the confirmation for tomorrow, and the heaters haven't arrived either. I need to know whether to arrange staff cover for the visit. Please call me.\n\nDavid",
      },
    ],
  },
  {
    customer: 'en-emma-clarke',
    subject: 'Cancel Aurora Plus, moving abroad',
    channel: 'web',
    priority: 'normal',
    status: 'closed',
    team: 'billing',
    tags: ['cancellation', 'subscription'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi, I'm moving to Spain at the end of the month and need to cancel my Aurora Plus plan. Is there a cancellation fee? And will the thermostat still work for the new tenants or does it just become a brick? Thanks, Emma",
      },
      {
        kind: 'reply',
        atMinute: 300,
        body: "Hi Emma,\n\nGood luck with the move! There's no cancellation fee. I've cancelled your Aurora Plus plan so it ends on 28 June, the end of the period you've already paid for, and no further payments will be taken.\n\nThe thermostat definitely won't become a brick: it keeps its schedule and works fully from the dial. Your tenants can create their own Aurora account and add it with the code on the back. On the free tier they get app control and schedules, just not the Plus energy reports.\n\nBefore you go, it's worth doing a factory reset (Settings > Device > Reset) so it's unlinked from your account.\n\nRachel",
      },
      { kind: 'customer', atMinute: 420, body: "Perfect, that's really clear. Thanks Rachel!" },
    ],
  },
  {
    customer: 'en-gareth-evans',
    subject: 'Is Plus worth it with a heat pump?',
    channel: 'email',
    priority: 'low',
    status: 'open',
    team: 'onboarding',
    tags: ['upgrade', 'subscription', 'heat-pump'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Afternoon,\n\nWe've just had an air source heat pump put in and I'm wondering whether it's worth going from Essentials to Plus. The website says Plus has 'heat pump optimisation' but doesn't really say what that does. Is it just marketing or does it make a real difference to running costs?\n\nGareth",
      },
      {
        kind: 'reply',
        atMinute: 260,
        body: "Hi Gareth,\n\nFair question! With Plus, the thermostat learns how quickly your house warms up and runs the heat pump at low, steady flow temperatures instead of short bursts, which is where heat pumps are most efficient. Customers with heat pumps typically see 8–12% lower running costs over a winter compared with a fixed schedule, though it depends a lot on insulation.\n\nYou also get time-of-use tariff support, so it can pre-heat while electricity is cheap.\n\nPlus is £7.99 a month against £3.99 for Essentials, and you can switch back at any time.\n\nTom",
      },
      {
        kind: 'customer',
        atMinute: 1500,
        body: "Thanks Tom. Ours is an 8.5kW monobloc unit with a separate hot water cylinder. Does the optimisation work with that setup specifically? Don't want to pay extra for something that isn't compatible.",
      },
    ],
  },
  {
    customer: 'en-aisling-murphy',
    subject: 'Heating schedule keeps resetting since app update',
    channel: 'chat',
    priority: 'normal',
    status: 'open',
    team: 'support',
    tags: ['app', 'schedule', 'bug'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hiya, since the app updated last week my heating schedule keeps resetting back to the default one every night. I've set it up properly like 4 times now",
      },
      {
        kind: 'reply',
        atMinute: 3,
        body: "Hi Aisling, sorry, that sounds really annoying. Could you tell me which app version you're on (Settings > About) and whether you're on iPhone or Android?",
      },
      { kind: 'customer', atMinute: 5, body: '5.3.0, android, pixel 7' },
      {
        kind: 'reply',
        atMinute: 9,
        body: "Thank you. We've had a couple of similar reports on 5.3.0 for Android and I've passed your details to our app team. As a workaround, editing the schedule on the thermostat itself (Menu > Schedule) seems to stick. I'll come back to you here as soon as I hear more.",
      },
      { kind: 'note', atMinute: 12, body: "Linked to AND-1184 (Android 5.3.0 schedule sync overwrites local edits). Aisling's device ID added to the bug." },
      {
        kind: 'customer',
        atMinute: 4330,
        body: 'Any news? Still resetting, and the thermostat-menu workaround is a pain with 7 different days to set',
      },
    ],
  },
  {
    customer: 'en-peter-harrington',
    subject: 'Invoice INV-58213 issued to the wrong company name',
    channel: 'email',
    priority: 'normal',
    status: 'solved',
    team: 'billing',
    tags: ['invoice', 'b2b', 'vat'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Dear Aurora Home,\n\nInvoice INV-58213 has been issued to 'Harrington and Co'. Our registered name is Harrington & Co Accountants Ltd, and our VAT number (GB 123 4567 89) needs to appear on it as well. Please reissue it, as I cannot reclaim the VAT on the current version.\n\nRegards,\nPeter Harrington",
      },
      {
        kind: 'reply',
        atMinute: 130,
        body: "Dear Peter,\n\nApologies for the error. I've corrected the business name on your account and reissued the invoice as INV-58213-R1 with your registered name and VAT number shown. It's attached here and also available in the Billing section of your account. Future invoices will use the updated details automatically.\n\nKind regards,\nRachel Okafor\nAurora Home Billing",
      },
    ],
  },
  {
    customer: 'en-gareth-evans',
    subject: 'App down? Cannot reach my home',
    channel: 'social',
    priority: 'urgent',
    status: 'open',
    team: 'support',
    tags: ['outage', 'app', 'complaint'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "@AuroraHome is the app down? 'Can't reach your home' for the last 2 hours and I can't turn the heating down remotely. Paying monthly for a smart thermostat that isn't very smart this morning",
      },
      {
        kind: 'reply',
        atMinute: 25,
        body: "Hi Gareth, sorry. Yes, we're seeing a disruption to app connections in parts of the UK since 07:40 and our engineers are on it. Your thermostat is still running its schedule locally, so heating and setback times carry on as normal. Live updates at status.aurora-home.example, and we'll reply here as soon as it's fixed.",
      },
      { kind: 'customer', atMinute: 190, body: "Three hours now. Status page still says 'investigating'. Any ETA at all?" },
    ],
  },
  {
    customer: 'en-olivia-bennett',
    subject: 'Thermostat screen flickering, is it under warranty?',
    channel: 'email',
    priority: 'normal',
    status: 'closed',
    team: 'support',
    tags: ['warranty', 'hardware', 'replacement'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi, the screen on my thermostat has started flickering and sometimes goes completely blank, then comes back after a few minutes. It's about 14 months old. Is this covered by the warranty? Order was AH-08871 I think.\n\nOlivia",
      },
      {
        kind: 'reply',
        atMinute: 210,
        body: "Hi Olivia,\n\nThanks for the details. Your thermostat is covered by our 2-year warranty, and a flickering display is a known fault on a small batch of units, so there's nothing for you to troubleshoot: I've sent a replacement by next-day delivery, with a prepaid returns label in the box for the old one.\n\nYour settings and schedule are saved to your account, so they'll come across when you pair the new unit.\n\nSarah\nAurora Home Support",
      },
      {
        kind: 'customer',
        atMinute: 2950,
        body: 'New one arrived and is already up and running, schedule and all. Old one is going back today. Thanks for sorting it so quickly.',
      },
      { kind: 'reply', atMinute: 3010, body: "Great to hear, Olivia, and thanks for letting us know. I'll close this one now." },
    ],
  },
  {
    customer: 'en-mohammed-iqbal',
    subject: 'Refund for returned thermostat (AH-10127)',
    channel: 'phone',
    priority: 'high',
    status: 'pending',
    team: 'billing',
    tags: ['refund', 'return'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Call from Mohammed Iqbal: returned his second thermostat (order AH-10127, £179) within the 30-day window, posted it 3 weeks ago, and still no refund. Says he's been told 'it's being processed' twice on chat already. Frustrated, wants a date.",
      },
      {
        kind: 'reply',
        atMinute: 11,
        body: 'Call summary: the warehouse has no return logged against AH-10127, so the refund never started. Explained this honestly and apologised for the earlier vague answers. Asked him to email proof of postage or the tracking number so we can trace the parcel and refund on proof of postage without waiting for the warehouse.',
      },
      {
        kind: 'reply',
        atMinute: 16,
        body: "Hi Mohammed,\n\nAs discussed on the phone, could you reply with the tracking number or a photo of your proof of postage for AH-10127? As soon as we have it, I'll process the £179 refund myself.\n\nRachel\nAurora Home Billing",
      },
    ],
  },
  {
    customer: 'en-peter-harrington',
    subject: 'Office installation not finished, boiler needs a wiring centre',
    channel: 'web',
    priority: 'normal',
    status: 'on_hold',
    team: 'onboarding',
    tags: ['installation', 'parts', 'b2b'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi, your installer came to our office this morning but said the boiler needs a wiring centre before the thermostat can go in, and he didn't have one with him. He said someone would be in touch but we haven't heard anything. What happens next? Peter",
      },
      {
        kind: 'reply',
        atMinute: 200,
        body: "Hi Peter,\n\nSorry you were left without a clear next step. Our installer's notes confirm the boiler needs a wiring centre. We've ordered the part and our supplier has given us a delivery date of 12 November; as soon as it lands I'll book the installer back in and contact you to agree a time. I'll keep this ticket on hold until then.\n\nYour existing thermostat was left connected, so the heating will work as normal in the meantime.\n\nTom",
      },
      { kind: 'note', atMinute: 205, body: 'Part ordered, PO 7731, ETA 12 Nov. Re-book with the same installer (Dev) once it arrives; office is closed on Fridays.' },
    ],
  },
  {
    customer: 'en-priya-shah',
    subject: 'Annual renewal price went up from £59 to £79',
    channel: 'chat',
    priority: 'normal',
    status: 'solved',
    team: 'billing',
    tags: ['renewal', 'pricing', 'goodwill'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi, I just got an email saying my annual Essentials renewal is £79 next week. Last year it was £59?? I don't remember agreeing to a price rise",
      },
      {
        kind: 'reply',
        atMinute: 3,
        body: 'Hi Priya, thanks for flagging this. Annual Essentials did go up to £79 in February. We emailed all annual customers on 30 January, but I know that kind of email is easy to miss.',
      },
      { kind: 'customer', atMinute: 5, body: "That's a 34% increase, bit much. Honestly thinking of just going monthly or cancelling" },
      {
        kind: 'reply',
        atMinute: 9,
        body: "I understand. As you've been with us since the start, I can keep your renewal at £59 for one more year. I've applied that to your account now, so next week's payment will be £59. You're still free to switch to monthly or cancel at any time before the renewal date.",
      },
      { kind: 'customer', atMinute: 11, body: "Oh that's decent of you, thanks. I'll stick with annual then" },
    ],
  },
  {
    customer: 'en-hannah-lewis',
    subject: 'Limited thermostat access for tenants?',
    channel: 'web',
    priority: 'low',
    status: 'new',
    team: 'support',
    tags: ['feature-request', 'access', 'b2b'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Quick question: is there a way to give tenants limited access to the thermostat in their flat? Ideally they could change the temperature within a range (say 16–22°C) but not touch the schedule or see our other properties. Couldn't find anything about this in the help centre.",
      },
    ],
  },
  {
    customer: 'en-david-okonkwo',
    subject: "Thermostats at The Willows won't join our Wi-Fi",
    channel: 'email',
    priority: 'normal',
    status: 'pending',
    team: 'onboarding',
    tags: ['wifi', 'installation', 'b2b'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi Tom,\n\nThe thermostats at The Willows are installed now (thanks), but none of them will join our Wi-Fi. The network uses individual staff logins (username and password per person), and the setup screen only asks for a password. Our IT contractor says it's WPA2-Enterprise. Is there a workaround?\n\nDavid",
      },
      {
        kind: 'reply',
        atMinute: 320,
        body: "Hi David,\n\nGlad the installation is done. Unfortunately the Aurora Thermostat doesn't support WPA2-Enterprise logins. The usual fix is a separate 2.4 GHz network just for devices (WPA2-Personal, one shared password), which most business routers can run alongside the staff network in a few minutes.\n\nCould you let me know the make and model of the router or access points at The Willows, and whether your IT contractor is happy to add a devices network? If so, I'll send them step-by-step settings.\n\nTom",
      },
    ],
  },
  {
    customer: 'en-callum-reid',
    subject: "Plus features 'paused due to a payment issue'",
    channel: 'email',
    priority: 'normal',
    status: 'closed',
    team: 'billing',
    tags: ['payment', 'card', 'subscription'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: "Hi, app's telling me my Plus features are 'paused due to a payment issue'. Think my card expired last month. How do I update it? Can't see the option anywhere in the app.",
      },
      {
        kind: 'reply',
        atMinute: 150,
        body: "Hi Callum,\n\nYou're right, the payment on the 1st was declined because the card on file had expired. At the moment card details can only be changed on the web (it's coming to the app soon): sign in at account.aurora-home.example and go to Billing > Payment method. Once the new card is saved we'll retry the payment automatically and Plus will switch back on within a few minutes.\n\nRachel",
      },
      { kind: 'customer', atMinute: 290, body: 'Done, all working again. Might be worth putting that in the app!' },
      { kind: 'reply', atMinute: 330, body: "Glad it's sorted! And agreed, I've passed that on to the app team. Closing this one for now." },
    ],
  },
];

// ─────────────────────────────────────────────────────────────────────────────
// Greek tickets (Ελλάδα)
// ─────────────────────────────────────────────────────────────────────────────

const elTickets: DemoTicket[] = [
  {
    customer: 'el-giorgos-papadakis',
    subject: 'Δεν ανάβει η θέρμανση, ηλικιωμένη στο σπίτι',
    channel: 'phone',
    priority: 'urgent',
    status: 'solved',
    team: 'support',
    tags: ['heating', 'firmware', 'outage'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Τηλεφώνημα από τον κ. Γιώργο Παπαδάκη (Θεσσαλονίκη). Από το πρωί δεν ανάβει η θέρμανση· ο θερμοστάτης δείχνει «Θέρμανση», αλλά ο λέβητας δεν παίρνει εντολή. Έξω έχει -3 °C και στο σπίτι μένει η 82χρονη μητέρα του. Έχει ήδη κάνει επανεκκίνηση στη συσκευή χωρίς αποτέλεσμα. Ήταν πολύ ανήσυχος.',
      },
      {
        kind: 'reply',
        atMinute: 16,
        body: 'Σύνοψη κλήσης: Έλεγξα τη συσκευή απομακρυσμένα. Είχε ενημερωθεί τη νύχτα στο firmware 4.2.1, που έχει γνωστό πρόβλημα με το ρελέ σε ορισμένους λέβητες. Έκανα επαναφορά στην έκδοση 4.1.8 όσο ήταν στη γραμμή· ο λέβητας άναψε σε δύο λεπτά και ο πελάτης επιβεβαίωσε ότι ζεσταίνονται τα καλοριφέρ. Του ζήτησα συγγνώμη και τον ενημέρωσα ότι η συσκευή του εξαιρείται από τις ενημερώσεις μέχρι να βγει η διόρθωση. Επιλύθηκε στην πρώτη επαφή.',
      },
      {
        kind: 'note',
        atMinute: 20,
        body: 'Τρίτη περίπτωση με την 4.2.1 σήμερα στη Βόρεια Ελλάδα, όλες σε λέβητες πετρελαίου. Το πρόσθεσα στο FW-392. Μήπως να σταματήσει το rollout μέχρι να βγει το patch;',
      },
    ],
  },
  {
    customer: 'el-maria-konstantinou',
    subject: 'Διπλή χρέωση συνδρομής',
    channel: 'email',
    priority: 'urgent',
    status: 'open',
    team: 'billing',
    tags: ['billing', 'double-charge', 'refund'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλησπέρα σας,\n\nΣήμερα είδα στην κίνηση της κάρτας μου ότι με χρεώσατε δύο φορές 9,90 € για τη συνδρομή Aurora Plus, και οι δύο χρεώσεις στις 5 του μήνα. Έχω μία συσκευή και μία συνδρομή. Παρακαλώ να μου επιστρέψετε άμεσα το ποσό της διπλής χρέωσης.\n\nΜαρία Κωνσταντίνου',
      },
      {
        kind: 'reply',
        atMinute: 120,
        body: 'Καλησπέρα κυρία Κωνσταντίνου,\n\nΣας ζητώ συγγνώμη για την ταλαιπωρία. Έχετε απόλυτο δίκιο: ο πάροχος πληρωμών επανέλαβε μια συναλλαγή που είχε ήδη ολοκληρωθεί, με αποτέλεσμα τη διπλή χρέωση. Έχω ήδη ξεκινήσει την επιστροφή των 9,90 € (αριθμός αναφοράς RF-52018). Συνήθως το ποσό εμφανίζεται στον λογαριασμό σας μέσα σε 3 έως 5 εργάσιμες, ανάλογα με την τράπεζα.\n\nΜε εκτίμηση,\nΝίκος Αντωνίου\nΤμήμα Χρεώσεων, Aurora Home',
      },
      {
        kind: 'customer',
        atMinute: 10200,
        body: 'Κύριε Αντωνίου, έχει περάσει μία εβδομάδα και δεν έχει επιστραφεί τίποτα. Η τράπεζα μου λέει ότι δεν βλέπει καμία επιστροφή από εσάς. Και σήμερα ήρθε ΚΑΙ ΤΡΙΤΗ χρέωση! Αν δεν λυθεί μέχρι την Παρασκευή, θα αμφισβητήσω τις χρεώσεις στην τράπεζα και θα κάνω καταγγελία.',
      },
      {
        kind: 'note',
        atMinute: 10260,
        body: 'Η RF-52018 έχει κολλήσει σε «αναμονή» στον πάροχο, ίδιο πρόβλημα με την RF-44190 στο Ηνωμένο Βασίλειο. Η τρίτη χρέωση είναι από το αυτόματο retry. Ζήτησα από το οικονομικό χειροκίνητη επιστροφή και για τις δύο χρεώσεις και έναν μήνα δωρεάν ως αποζημίωση. Θα της τηλεφωνήσω εγώ σήμερα, όχι τυποποιημένη απάντηση.',
      },
    ],
  },
  {
    customer: 'el-eleni-georgiou',
    subject: 'Δεν μπορώ να συνδεθώ στην εφαρμογή',
    channel: 'chat',
    priority: 'normal',
    status: 'solved',
    team: 'support',
    tags: ['login', 'app', 'password'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Γεια σας, δεν μπορώ να μπω στην εφαρμογή, μου λέει συνέχεια «λάθος κωδικός» ενώ είμαι σίγουρη ότι είναι σωστός',
      },
      { kind: 'reply', atMinute: 2, body: 'Γεια σας κυρία Γεωργίου! Ας το δούμε μαζί. Με ποιο email συνδέεστε;' },
      { kind: 'customer', atMinute: 4, body: 'eleni.georgiou@mail.example.com' },
      {
        kind: 'reply',
        atMinute: 6,
        body: 'Ευχαριστώ. Βλέπω ότι μετά από πέντε αποτυχημένες προσπάθειες ο λογαριασμός κλειδώθηκε προσωρινά για λόγους ασφαλείας. Τον ξεκλείδωσα. Σας προτείνω να πατήσετε «Ξέχασα τον κωδικό» και να ορίσετε νέο· ο σύνδεσμος θα έρθει στο email σας σε λίγα δευτερόλεπτα.',
      },
      { kind: 'customer', atMinute: 11, body: 'Έγινε, μπήκα! Ευχαριστώ πολύ για τη βοήθεια 😊' },
      { kind: 'reply', atMinute: 12, body: 'Χαρά μου! Καλή συνέχεια και καλό βράδυ.' },
    ],
  },
  {
    customer: 'el-sofia-alexiou',
    subject: 'Εγκατάσταση σε 64 δωμάτια ξενοδοχείου στη Νάξο',
    channel: 'email',
    priority: 'high',
    status: 'on_hold',
    team: 'onboarding',
    tags: ['installation', 'b2b', 'stock'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλημέρα σας,\n\nΣας γράφω εκ μέρους των Ξενοδοχείων Αιγαίο. Θέλουμε να εγκαταστήσουμε θερμοστάτες Aurora στα 64 δωμάτια της μονάδας μας στη Νάξο, πριν ανοίξει η σεζόν στις 15 Απριλίου. Μπορείτε να μας δώσετε χρονοδιάγραμμα για την παράδοση και την εγκατάσταση; Θα χρειαστεί να έρθει και τεχνικός στο νησί.\n\nΜε εκτίμηση,\nΣοφία Αλεξίου\nΥπεύθυνη Τεχνικών Υπηρεσιών',
      },
      {
        kind: 'reply',
        atMinute: 300,
        body: 'Καλημέρα κυρία Αλεξίου,\n\nΣας ευχαριστούμε πολύ για την εμπιστοσύνη. Το έργο είναι απολύτως εφικτό μέσα στο χρονοδιάγραμμά σας. Το μόνο που μας καθυστερεί είναι το απόθεμα: οι 64 θερμοστάτες με την επιτοίχια βάση για ξενοδοχεία θα φτάσουν στην αποθήκη μας στην Αθήνα γύρω στις 10 Μαρτίου.\n\nΜόλις επιβεβαιωθεί η παραλαβή, θα σας στείλω πρόταση για δύο ημέρες εγκατάστασης στη Νάξο με δύο τεχνικούς μας. Μέχρι τότε το αίτημά σας παραμένει σε αναμονή, αλλά έχουμε ήδη δεσμεύσει τα τεμάχια στο όνομά σας.\n\nΜε εκτίμηση,\nΔήμητρα Καραγιάννη\nAurora Home',
      },
      {
        kind: 'note',
        atMinute: 310,
        body: 'Δεσμεύτηκαν 64 τεμ. (PO-GR-118). Σε αναμονή μέχρι την παραλαβή, περίπου 10/3. Πελάτης B2B με σφιχτή προθεσμία: να έχουμε κλείσει πρόγραμμα τεχνικών το αργότερο μέχρι 15/3.',
      },
    ],
  },
  {
    customer: 'el-kostas-nikolaidis',
    subject: 'Μπράβο στον τεχνικό σας',
    channel: 'social',
    priority: 'low',
    status: 'solved',
    team: 'support',
    tags: ['compliment', 'installation'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Θέλω να πω ένα μεγάλο μπράβο στην Aurora Home! Ο τεχνικός ήρθε στην ώρα του, έκανε την εγκατάσταση σε μία ώρα, μάζεψε και τα χαρτόκουτα και μου έδειξε με υπομονή όλη την εφαρμογή. Σπάνιο πράγμα στις μέρες μας. Ήδη από τον πρώτο μήνα βλέπω διαφορά στο πετρέλαιο.',
      },
      {
        kind: 'reply',
        atMinute: 60,
        body: 'Κύριε Νικολαΐδη, σας ευχαριστούμε θερμά για τα καλά σας λόγια! Θα τα μεταφέρουμε αυτούσια στον τεχνικό μας και σε όλη την ομάδα εγκαταστάσεων. Καλό και ζεστό χειμώνα!',
      },
    ],
  },
  {
    customer: 'el-dimitris-vlachos',
    subject: 'Η παραγγελία AH-20417 δεν έχει φτάσει',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    team: 'support',
    tags: ['delivery', 'order'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Γεια σας. Έκανα την παραγγελία AH-20417 πριν από 9 μέρες και ακόμα δεν έχει έρθει. Μένω στο Ηράκλειο Κρήτης. Το tracking γράφει «σε διαμετακόμιση» από την Τρίτη και δεν αλλάζει τίποτα. Πότε θα την παραλάβω; Ευχαριστώ, Δημήτρης Βλάχος',
      },
    ],
  },
  {
    customer: 'el-panagiotis-lambrakis',
    subject: 'Χρειάζομαι τιμολόγιο αντί για απόδειξη',
    channel: 'email',
    priority: 'normal',
    status: 'pending',
    team: 'billing',
    tags: ['invoice', 'b2b', 'tax'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλημέρα,\n\nΑγόρασα δύο θερμοστάτες και συνδρομή Aurora Plus για το φαρμακείο μου, αλλά μου εκδόθηκε απόδειξη λιανικής αντί για τιμολόγιο. Χρειάζομαι τιμολόγιο για να το περάσω στα έξοδα της επιχείρησης. Μπορείτε να το διορθώσετε;\n\nΠαναγιώτης Λαμπράκης\nΦαρμακείο Λαμπράκη',
      },
      {
        kind: 'reply',
        atMinute: 180,
        body: 'Καλημέρα κύριε Λαμπράκη,\n\nΦυσικά, μπορούμε να ακυρώσουμε την απόδειξη και να εκδώσουμε τιμολόγιο. Για να το κάνουμε, θα χρειαστούμε:\n\n• την επωνυμία της επιχείρησης όπως είναι δηλωμένη,\n• τον ΑΦΜ και τη ΔΟΥ,\n• τη διεύθυνση της έδρας και τη δραστηριότητα.\n\nΜόλις μας τα στείλετε, το τιμολόγιο θα είναι έτοιμο την ίδια μέρα, και όλες οι επόμενες χρεώσεις της συνδρομής θα εκδίδονται αυτόματα με τιμολόγιο.\n\nΜε εκτίμηση,\nΝίκος Αντωνίου\nΤμήμα Χρεώσεων',
      },
    ],
  },
  {
    customer: 'el-katerina-michailidou',
    subject: 'Ακύρωση συνδρομής λόγω ταξιδιού',
    channel: 'phone',
    priority: 'normal',
    status: 'closed',
    team: 'billing',
    tags: ['cancellation', 'subscription', 'retention'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Τηλεφώνημα από την κα Μιχαηλίδου. Θέλει να ακυρώσει τη συνδρομή Aurora Plus, γιατί θα λείπει για δουλειά στη Γερμανία από Νοέμβριο έως Μάρτιο και δεν θέλει να πληρώνει για ένα άδειο σπίτι. Δεν είναι δυσαρεστημένη με την υπηρεσία.',
      },
      {
        kind: 'reply',
        atMinute: 9,
        body: 'Σύνοψη κλήσης: Της εξήγησα ότι αντί για ακύρωση μπορεί να κάνει παύση της συνδρομής για έως 6 μήνες χωρίς χρέωση. Ο θερμοστάτης συνεχίζει να λειτουργεί με το πρόγραμμα και την αντιπαγετική προστασία, και τον Απρίλιο η συνδρομή ενεργοποιείται ξανά με τα ίδια δεδομένα και την ίδια τιμή. Δέχτηκε την παύση από 1/11 έως 31/3. Την ενεργοποίησα και της στάλθηκε επιβεβαίωση με email.',
      },
      {
        kind: 'customer',
        atMinute: 40,
        body: 'Έλαβα την επιβεβαίωση, ευχαριστώ πολύ για την εξυπηρέτηση. Πολύ καλύτερη λύση από την ακύρωση!',
      },
    ],
  },
  {
    customer: 'el-anna-stavrou',
    subject: 'Ο θερμοστάτης είναι εκτός σύνδεσης μετά από διακοπή ρεύματος',
    channel: 'chat',
    priority: 'high',
    status: 'open',
    team: 'support',
    tags: ['offline', 'wifi', 'outage'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλησπέρα. Ο θερμοστάτης μου φαίνεται εκτός σύνδεσης στην εφαρμογή από χθες το βράδυ, μετά από μια διακοπή ρεύματος στη γειτονιά. Δεν μπορώ να τον ελέγξω από το κινητό.',
      },
      {
        kind: 'reply',
        atMinute: 3,
        body: 'Καλησπέρα κυρία Σταύρου! Μετά από διακοπή ρεύματος συχνά ο θερμοστάτης ξεκινά πριν «σηκωθεί» το ρούτερ και δεν ξαναβρίσκει το δίκτυο. Δοκιμάστε παρακαλώ: Μενού > Ρυθμίσεις > Wi-Fi > Επανασύνδεση. Αν δεν πετύχει, κρατήστε πατημένο το κουμπί για 10 δευτερόλεπτα για επανεκκίνηση.',
      },
      {
        kind: 'customer',
        atMinute: 12,
        body: 'Τα έκανα και τα δύο. Στην οθόνη γράφει «Σύνδεση…» για λίγο και μετά πάλι «Χωρίς δίκτυο». Τα κινητά και η τηλεόραση έχουν κανονικά ίντερνετ.',
      },
      {
        kind: 'reply',
        atMinute: 16,
        body: 'Ευχαριστώ που το δοκιμάσατε. Βλέπω στο ιστορικό ότι η συσκευή προσπαθεί να συνδεθεί στο κανάλι 13 του ρούτερ. Ίσως μετά τη διακοπή ρεύματος άλλαξαν οι ρυθμίσεις του ρούτερ. Θα το ελέγξω με την τεχνική ομάδα και θα επανέλθω σύντομα.',
      },
      {
        kind: 'note',
        atMinute: 20,
        body: 'Πιθανότατα το ρούτερ επανήλθε με κανάλι 13 / εύρος 40 MHz. Ρώτησα το τεχνικό τμήμα αν η 4.1.8 υποστηρίζει το κανάλι 13 στη ρύθμιση χώρας GR.',
      },
      {
        kind: 'customer',
        atMinute: 190,
        body: 'Υπάρχει κάποια εξέλιξη; Αύριο φεύγω για Αθήνα και θέλω να μπορώ να τον κλείνω από μακριά.',
      },
    ],
  },
  {
    customer: 'el-vasilis-christodoulou',
    subject: 'Δεν εμφανίζεται το Wi-Fi μου στη λίστα',
    channel: 'email',
    priority: 'normal',
    status: 'solved',
    team: 'onboarding',
    tags: ['wifi', 'setup'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλησπέρα,\n\nΠροσπαθώ να συνδέσω τον καινούριο θερμοστάτη στο Wi-Fi, αλλά στη λίστα δεν εμφανίζεται το δίκτυό μου (Vasilis_5G). Τα άλλα δίκτυα της πολυκατοικίας τα βλέπει κανονικά. Τι κάνω λάθος;\n\nΒασίλης',
      },
      {
        kind: 'reply',
        atMinute: 150,
        body: 'Καλησπέρα κύριε Χριστοδούλου,\n\nΔεν κάνετε τίποτα λάθος! Ο θερμοστάτης συνδέεται μόνο σε δίκτυα 2,4 GHz, ενώ το «Vasilis_5G» είναι δίκτυο 5 GHz. Τα περισσότερα ρούτερ εκπέμπουν και τα δύο· δοκιμάστε το δίκτυο με το ίδιο όνομα χωρίς το «_5G» (συνήθως «Vasilis» ή «Vasilis_2.4G»). Ο κωδικός είναι συνήθως ο ίδιος.\n\nΑν δεν βλέπετε τέτοιο δίκτυο, στείλτε μας το μοντέλο του ρούτερ και θα σας πούμε πώς να το ενεργοποιήσετε.\n\nΚαλή συνέχεια,\nΔήμητρα',
      },
      { kind: 'customer', atMinute: 230, body: 'Αυτό ήταν! Συνδέθηκε αμέσως. Ευχαριστώ πολύ!' },
    ],
  },
  {
    customer: 'el-ioanna-pappa',
    subject: 'Δεν έχω λάβει την επιστροφή χρημάτων (AH-20288)',
    channel: 'web',
    priority: 'normal',
    status: 'open',
    team: 'billing',
    tags: ['refund', 'return'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλημέρα. Στις 2 του μήνα επέστρεψα τις τρεις θερμοστατικές κεφαλές καλοριφέρ (παραγγελία AH-20288) μέσα στις 14 ημέρες, όπως προβλέπεται. Μου είπατε ότι η επιστροφή των χρημάτων (87 €) θα γίνει σε 5 εργάσιμες. Έχουν περάσει σχεδόν τρεις εβδομάδες. Τι συμβαίνει;',
      },
      {
        kind: 'reply',
        atMinute: 400,
        body: 'Καλημέρα κυρία Παππά,\n\nΣας ζητώ συγγνώμη για την καθυστέρηση. Επιβεβαιώνω ότι η αποθήκη παρέλαβε τις κεφαλές στις 6 του μήνα. Βλέπω όμως ότι η επιστροφή χρημάτων δεν ολοκληρώθηκε, επειδή έμεινε ανοιχτός ένας έλεγχος ποιότητας. Το έχω προωθήσει κατεπειγόντως και θα σας ενημερώσω μέσα στη σημερινή μέρα.\n\nΝίκος Αντωνίου',
      },
      {
        kind: 'customer',
        atMinute: 2900,
        body: 'Δεν με ενημέρωσε κανείς ούτε χθες ούτε σήμερα. Θα ήθελα μια σαφή απάντηση: πότε θα πάρω πίσω τα χρήματά μου;',
      },
    ],
  },
  {
    customer: 'el-thanasis-rigas',
    subject: 'Προδιαγραφές καλωδίωσης για νέα πολυκατοικία 12 διαμερισμάτων',
    channel: 'email',
    priority: 'high',
    status: 'pending',
    team: 'onboarding',
    tags: ['b2b', 'installation', 'new-build', 'quote'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλησπέρα σας,\n\nΗ εταιρεία μας κατασκευάζει μια πολυκατοικία 12 διαμερισμάτων στην Καλαμαριά και θέλουμε να παραδώσουμε κάθε διαμέρισμα με θερμοστάτη Aurora. Ο ηλεκτρολόγος μας ρωτάει τι καλωδίωση πρέπει να προβλέψει τώρα, πριν κλείσουν οι τοίχοι. Θα θέλαμε επίσης προσφορά για 12 τεμάχια με εγκατάσταση.\n\nΘανάσης Ρήγας\nΡήγας Κατασκευαστική Ο.Ε.',
      },
      {
        kind: 'reply',
        atMinute: 260,
        body: 'Καλησπέρα κύριε Ρήγα,\n\nΣας ευχαριστούμε για το ενδιαφέρον! Χαιρόμαστε ιδιαίτερα να συνεργαζόμαστε σε νέες κατασκευές, γιατί η σωστή προετοιμασία γλιτώνει πολύ κόπο αργότερα.\n\nΓια να σας στείλουμε οδηγίες καλωδίωσης και προσφορά, χρειαζόμαστε:\n1. Τι σύστημα θέρμανσης θα έχει κάθε διαμέρισμα (αυτόνομο λέβητα αερίου, αντλία θερμότητας ή κεντρική θέρμανση με αυτονομία);\n2. Θα υπάρχει μία ζώνη ανά διαμέρισμα ή περισσότερες;\n3. Μπορείτε να μας στείλετε τα ηλεκτρολογικά σχέδια σε PDF;\n\nΜε αυτά, ο μηχανικός μας θα ετοιμάσει προδιαγραφές για τον ηλεκτρολόγο σας μέσα σε δύο εργάσιμες.\n\nΜε εκτίμηση,\nΔήμητρα Καραγιάννη',
      },
    ],
  },
  {
    customer: 'el-giorgos-papadakis',
    subject: 'Αναβάθμιση σε Aurora Plus για ειδοποιήσεις',
    channel: 'email',
    priority: 'low',
    status: 'closed',
    team: 'billing',
    tags: ['upgrade', 'subscription'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλημέρα. Μετά από εκείνη την περιπέτεια με το καλοριφέρ, ο γιος μου λέει να πάρουμε το Aurora Plus, για να έχουμε ειδοποιήσεις αν πέσει η θερμοκρασία στο σπίτι της μητέρας μου. Πώς γίνεται η αναβάθμιση και πόσο κοστίζει;',
      },
      {
        kind: 'reply',
        atMinute: 200,
        body: 'Καλημέρα κύριε Παπαδάκη,\n\nΤο Aurora Plus κοστίζει 9,90 € τον μήνα και περιλαμβάνει ειδοποιήσεις στο κινητό όταν η θερμοκρασία πέσει κάτω από ένα όριο που ορίζετε εσείς, καθώς και πρόσβαση για έως 5 μέλη της οικογένειας. Έτσι θα λαμβάνει ειδοποίηση και ο γιος σας.\n\nΤην αναβάθμιση μπορείτε να την κάνετε από την εφαρμογή (Λογαριασμός > Συνδρομή > Αναβάθμιση) ή, αν προτιμάτε, απαντήστε «ναι» σε αυτό το email και την ενεργοποιώ εγώ, με χρέωση στην ίδια κάρτα.\n\nΝίκος Αντωνίου',
      },
      { kind: 'customer', atMinute: 330, body: 'Ναι, ενεργοποιήστε τη παρακαλώ. Ευχαριστώ.' },
      {
        kind: 'reply',
        atMinute: 360,
        body: 'Έγινε! Το Aurora Plus είναι ενεργό. Για να προσθέσετε τον γιο σας, πηγαίνετε στο Σπίτι > Μέλη > Πρόσκληση. Καλή συνέχεια!',
      },
    ],
  },
  {
    customer: 'el-eleni-georgiou',
    subject: 'Απέτυχε η ανανέωση της ετήσιας συνδρομής',
    channel: 'chat',
    priority: 'normal',
    status: 'closed',
    team: 'billing',
    tags: ['renewal', 'payment', 'card'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλησπέρα, μου ήρθε email ότι απέτυχε η ανανέωση της ετήσιας συνδρομής. Τι πρέπει να κάνω;',
      },
      {
        kind: 'reply',
        atMinute: 2,
        body: 'Καλησπέρα! Η χρέωση απορρίφθηκε επειδή η κάρτα που έχουμε έληξε τον προηγούμενο μήνα. Μπορείτε να προσθέσετε νέα κάρτα από το site, στο Λογαριασμός > Πληρωμή. Μόλις την αποθηκεύσετε, η ανανέωση θα γίνει αυτόματα.',
      },
      { kind: 'customer', atMinute: 9, body: 'Την πρόσθεσα. Μου έφυγαν 89 €, σωστά;' },
      {
        kind: 'reply',
        atMinute: 10,
        body: 'Ακριβώς, 89 € για το Essentials για 12 μήνες. Η συνδρομή σας ανανεώθηκε μέχρι τις 14 Φεβρουαρίου του επόμενου έτους. Χρειάζεστε κάτι άλλο;',
      },
      { kind: 'customer', atMinute: 12, body: 'Όχι, αυτό ήταν. Ευχαριστώ!' },
    ],
  },
  {
    customer: 'el-ioanna-pappa',
    subject: 'Δημόσιο παράπονο για καθυστέρηση επιστροφής χρημάτων',
    channel: 'social',
    priority: 'normal',
    status: 'open',
    team: 'billing',
    tags: ['refund', 'complaint'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Τρεις εβδομάδες περιμένω να μου επιστρέψει η @AuroraHome 87 € για προϊόντα που επέστρεψα κανονικά. Κάθε φορά «το προωθήσαμε», «θα σας ενημερώσουμε σήμερα». Όποιος σκέφτεται να τους προτιμήσει, καλό είναι να το ξέρει.',
      },
      {
        kind: 'reply',
        atMinute: 35,
        body: 'Κυρία Παππά, έχετε κάθε δίκιο να είστε εκνευρισμένη και σας ζητάμε ειλικρινά συγγνώμη. Σας στείλαμε προσωπικό μήνυμα· ο υπεύθυνος του τμήματος χρεώσεων αναλαμβάνει προσωπικά την επιστροφή σας σήμερα.',
      },
      { kind: 'customer', atMinute: 80, body: 'Σας απάντησα στο μήνυμα. Θα περιμένω μέχρι αύριο.' },
    ],
  },
  {
    customer: 'el-vasilis-christodoulou',
    subject: 'Ο θερμοστάτης κάνει συνέχεια «κλικ»',
    channel: 'phone',
    priority: 'normal',
    status: 'on_hold',
    team: 'support',
    tags: ['warranty', 'hardware', 'diagnostics'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Τηλεφώνημα από τον κ. Χριστοδούλου. Ο θερμοστάτης (αγορά πριν από 4 μήνες) κάνει ένα δυνατό «κλικ» κάθε λίγα λεπτά, ακόμα και όταν η θέρμανση είναι κλειστή. Τον ενοχλεί ιδιαίτερα τη νύχτα, γιατί είναι στον διάδρομο δίπλα στο υπνοδωμάτιο.',
      },
      {
        kind: 'reply',
        atMinute: 14,
        body: 'Σύνοψη κλήσης: Ελέγξαμε μαζί τα logs· το ρελέ αλλάζει κατάσταση χωρίς εντολή, πιθανότατα πρόβλημα υλικού. Καλύπτεται από την εγγύηση. Συμφωνήσαμε να σταλεί η συσκευή στο εργαστήριο για διάγνωση: έρχεται courier να την παραλάβει αύριο και του αφήνει προσωρινό θερμοστάτη, για να μη μείνει χωρίς θέρμανση.',
      },
      {
        kind: 'note',
        atMinute: 20,
        body: 'Η συσκευή πάει στο εργαστήριο (RMA-GR-0931). Σε αναμονή μέχρι να βγει το πόρισμα, συνήθως 7–10 εργάσιμες. Αν αποδειχθεί ελαττωματική παρτίδα, να ενημερωθεί και ο Νίκος.',
      },
    ],
  },
  {
    customer: 'el-anna-stavrou',
    subject: 'Λάθος ένδειξη θερμοκρασίας, κρυώνουμε',
    channel: 'email',
    priority: 'high',
    status: 'solved',
    team: 'support',
    tags: ['sensor', 'calibration', 'heating'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλημέρα,\n\nΗ εφαρμογή δείχνει ότι στο σαλόνι έχει 22 βαθμούς, αλλά κρυώνουμε· ένα απλό θερμόμετρο δείχνει 18,5. Έτσι ο λέβητας σβήνει πολύ νωρίς. Έχουμε μωρό στο σπίτι και δεν μπορούμε να συνεχίσουμε έτσι.\n\nΆννα Σταύρου',
      },
      {
        kind: 'reply',
        atMinute: 95,
        body: 'Καλημέρα κυρία Σταύρου,\n\nΛυπάμαι πολύ· καταλαβαίνω ότι με μωρό στο σπίτι είναι διπλά δύσκολο. Μια διαφορά 3,5 βαθμών συνήθως οφείλεται στη θέση του θερμοστάτη: αν είναι κοντά σε πηγή θερμότητας (λάμπα, τηλεόραση, ήλιο από παράθυρο) ή πάνω από καλοριφέρ, «νομίζει» ότι το δωμάτιο είναι πιο ζεστό.\n\nΜπορείτε να μου πείτε πού ακριβώς είναι τοποθετημένος; Στο μεταξύ, μπορείτε να διορθώσετε την ένδειξη από Ρυθμίσεις > Αισθητήρας > Διόρθωση θερμοκρασίας, βάζοντας -3,5.\n\nΔήμητρα',
      },
      {
        kind: 'customer',
        atMinute: 180,
        body: 'Είναι ακριβώς πάνω από την τηλεόραση… δεν το είχαμε σκεφτεί καθόλου. Έβαλα τη διόρθωση και τώρα ο λέβητας δουλεύει κανονικά, έχουμε 21 βαθμούς. Ευχαριστώ!',
      },
      {
        kind: 'reply',
        atMinute: 240,
        body: 'Τέλεια! Μακροπρόθεσμα θα σας πρότεινα να τον μετακινήσετε σε έναν εσωτερικό τοίχο, μακριά από συσκευές· μπορούμε να στείλουμε τεχνικό δωρεάν, αν το θέλετε. Σας εύχομαι ζεστό χειμώνα!',
      },
    ],
  },
  {
    customer: 'el-katerina-michailidou',
    subject: 'Αντιπαγετική προστασία όσο λείπω',
    channel: 'web',
    priority: 'low',
    status: 'new',
    team: 'support',
    tags: ['frost-protection', 'app', 'question'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλησπέρα σας. Όπως είπαμε στο τηλέφωνο, από Νοέμβριο θα λείπω στη Γερμανία. Μπορώ να βάλω τον θερμοστάτη σε λειτουργία απουσίας, ώστε να ανάβει η θέρμανση μόνο αν η θερμοκρασία πέσει κάτω από 7 βαθμούς; Και θα βλέπω τη θερμοκρασία του σπιτιού στην εφαρμογή όσο η συνδρομή είναι σε παύση; Ευχαριστώ, Κατερίνα Μιχαηλίδου',
      },
    ],
  },
  {
    customer: 'el-sofia-alexiou',
    subject: 'Διπλό τιμολόγιο για τη μονάδα της Ρόδου',
    channel: 'email',
    priority: 'normal',
    status: 'open',
    team: 'billing',
    tags: ['invoice', 'b2b', 'credit-note'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Καλημέρα,\n\nΛάβαμε δύο τιμολόγια για τον ίδιο μήνα (INV-GR-4471 και INV-GR-4476) για τις συνδρομές της μονάδας μας στη Ρόδο, με το ίδιο ποσό, 594,00 €. Φαντάζομαι ότι πρόκειται για λάθος. Μπορείτε να ακυρώσετε το ένα;\n\nΣοφία Αλεξίου',
      },
      {
        kind: 'reply',
        atMinute: 170,
        body: 'Καλημέρα κυρία Αλεξίου,\n\nΣωστά, το INV-GR-4476 εκδόθηκε κατά λάθος λόγω διπλής καταχώρισης της μονάδας στο σύστημα. Επειδή εξοφλείτε με τραπεζική μεταφορά, δεν έχει γίνει καμία χρέωση· σας παρακαλώ απλώς να μην το πληρώσετε. Θα εκδώσουμε πιστωτικό τιμολόγιο για να ακυρωθεί λογιστικά.\n\nΜε εκτίμηση,\nΝίκος Αντωνίου',
      },
      {
        kind: 'customer',
        atMinute: 3000,
        body: 'Ευχαριστώ. Το λογιστήριό μας χρειάζεται το πιστωτικό μέχρι το τέλος της εβδομάδας για να κλείσει ο μήνας, και δεν το έχουμε λάβει ακόμα.',
      },
    ],
  },
  {
    customer: 'el-kostas-nikolaidis',
    subject: 'Χωριστή ρύθμιση για δύο ορόφους',
    channel: 'chat',
    priority: 'normal',
    status: 'pending',
    team: 'onboarding',
    tags: ['zones', 'setup'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'Γεια σας, το σπίτι είναι διώροφο και θέλω να ρυθμίζω χωριστά το πάνω και το κάτω πάτωμα. Γίνεται με έναν θερμοστάτη ή χρειάζομαι δεύτερο;',
      },
      {
        kind: 'reply',
        atMinute: 3,
        body: 'Γεια σας κύριε Νικολαΐδη! Εξαρτάται από την εγκατάσταση του λέβητα. Αν υπάρχουν ήδη δύο ζώνες (δηλαδή δύο ηλεκτροβάνες ζώνης, μία για κάθε όροφο), αρκεί ένας δεύτερος θερμοστάτης Aurora, και τους βάζετε στο ίδιο σπίτι στην εφαρμογή. Αν όλο το σπίτι είναι μία ζώνη, η λύση είναι οι θερμοστατικές κεφαλές Aurora στα καλοριφέρ του πάνω ορόφου.\n\nΜπορείτε να κοιτάξετε κοντά στον λέβητα αν υπάρχουν δύο βάνες με μοτεράκι πάνω στους σωλήνες, ή να μου στείλετε μια φωτογραφία;',
      },
    ],
  },
];

// ─────────────────────────────────────────────────────────────────────────────
// Arabic tickets (الخليج ومصر)
// ─────────────────────────────────────────────────────────────────────────────

const arTickets: DemoTicket[] = [
  {
    customer: 'ar-ahmed-almansouri',
    subject: 'التكييف متوقف والحرارة 46 درجة',
    channel: 'phone',
    priority: 'urgent',
    status: 'solved',
    team: 'support',
    tags: ['ac', 'cooling', 'outage'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'مكالمة من الأخ أحمد المنصوري (دبي). التكييف المركزي متوقف من الساعة 11 الظهر، والثرموستات يعرض رسالة «خطأ E4». الحرارة في الخارج 46 درجة وعنده أطفال صغار في البيت. حاول إطفاء الجهاز وتشغيله بدون فائدة، وكان منزعجًا جدًا.',
      },
      {
        kind: 'reply',
        atMinute: 13,
        body: 'ملخص المكالمة: فحصت الجهاز عن بُعد. الخطأ E4 سببه انقطاع الاتصال بين الثرموستات ووحدة التكييف بعد انقطاع قصير في الكهرباء. وجّهت العميل لإعادة تشغيل قاطع وحدة التكييف من اللوحة الكهربائية، ثم أعدت ربط الجهاز من جهتنا. اشتغل التكييف خلال دقائق وأكد العميل أن الهواء البارد رجع. اعتذرت له عن الإزعاج، وتم الحل خلال المكالمة.',
      },
    ],
  },
  {
    customer: 'ar-fatima-alzahrani',
    subject: 'خصم مبلغ الاشتراك مرتين',
    channel: 'chat',
    priority: 'urgent',
    status: 'open',
    team: 'billing',
    tags: ['billing', 'double-charge', 'refund'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السلام عليكم، انخصم مني مبلغ الاشتراك مرتين هالشهر! 49 ريال ومرة ثانية 49 ريال بنفس اليوم. وش السالفة؟',
      },
      { kind: 'reply', atMinute: 2, body: 'وعليكم السلام أستاذة فاطمة، أعتذر لك عن هذا الإزعاج. اسمحي لي أتحقق من حسابك لحظة لو سمحتِ.' },
      {
        kind: 'reply',
        atMinute: 6,
        body: 'تأكدت الآن: فعلًا تمت عملية الخصم مرتين بسبب خلل عند مزوّد الدفع. قدّمت طلب استرداد للمبلغ المكرر (49 ريالًا) برقم مرجعي RF-61207، وسيظهر في حسابك خلال 3 إلى 5 أيام عمل حسب البنك.',
      },
      {
        kind: 'customer',
        atMinute: 9,
        body: '3 إلى 5 أيام؟! هذي ثالث مرة أتواصل معكم بخصوص الفواتير. أبي المبلغ يرجع اليوم، وإلا بألغي الاشتراك كله.',
      },
      {
        kind: 'note',
        atMinute: 12,
        body: 'العميلة تواصلت معنا مرتين قبل كذا بخصوص الفواتير (راجعوا تذاكرها السابقة). طلبت من المالية استردادًا فوريًا + شهرًا مجانيًا كتعويض. لا ترسلوا لها ردًا جاهزًا، سأتصل بها بنفسي.',
      },
    ],
  },
  {
    customer: 'ar-mohamed-abdelrahman',
    subject: 'الطلب AH-30581 لم يصل حتى الآن',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    team: 'support',
    tags: ['delivery', 'order'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السلام عليكم، طلبت ثرموستات Aurora من أسبوعين، ورقم الطلب AH-30581، ولحد دلوقتي ما وصلش. التتبع بيقول «قيد الشحن» من يوم الأحد ومفيش أي تحديث. أنا في مدينة نصر، القاهرة. ياريت حد يرد عليّا بموعد واضح. شكرًا.',
      },
    ],
  },
  {
    customer: 'ar-noura-alqahtani',
    subject: 'رمز التحقق يصل إلى رقمي القديم',
    channel: 'email',
    priority: 'normal',
    status: 'solved',
    team: 'support',
    tags: ['login', 'app', 'phone-number'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'مرحبًا،\n\nغيّرت رقم جوالي الأسبوع الماضي، والحين التطبيق يطلب رمز التحقق ويرسله على الرقم القديم. ما أقدر أدخل حسابي أبدًا. كيف أحدّث الرقم وأنا ما أقدر أسجل دخول؟\n\nنورة',
      },
      {
        kind: 'reply',
        atMinute: 140,
        body: 'أهلًا أستاذة نورة،\n\nشكرًا لتواصلك، ونعتذر عن الإزعاج. لحماية حسابك نحتاج أن نتأكد من هويتك قبل تغيير الرقم، لذلك أرسلت لك رابط تحقق على بريدك الإلكتروني المسجّل لدينا. بعد فتحه تقدرين تُدخلين رقم الجوال الجديد، وسيصلك رمز التحقق عليه مباشرة.\n\nمع التحية،\nطارق الشمري\nفريق الدعم - Aurora Home',
      },
      { kind: 'customer', atMinute: 200, body: 'وصلني الرابط وحدّثت الرقم، ودخلت الحين. مشكورين على سرعة الرد 🌹' },
      { kind: 'reply', atMinute: 230, body: 'العفو، سعدنا بخدمتك! وإذا احتجتِ أي شيء فنحن في الخدمة.' },
    ],
  },
  {
    customer: 'ar-khaled-alsayed',
    subject: 'تركيب 120 وحدة في برج النخبة 2 بالشارقة',
    channel: 'email',
    priority: 'high',
    status: 'on_hold',
    team: 'onboarding',
    tags: ['installation', 'b2b', 'project'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السادة Aurora Home المحترمين،\n\nتحية طيبة وبعد،\n\nنحن في شركة النخبة للعقارات نرغب في تركيب ثرموستات Aurora في 120 شقة ببرج النخبة 2 في الشارقة، مع اشتراك Aurora Pro لإدارة استهلاك الطاقة في الوحدات الشاغرة. نرجو إفادتنا بالجدول الزمني والتكلفة التقديرية.\n\nمع خالص التحية،\nخالد السيد\nمدير العمليات',
      },
      {
        kind: 'reply',
        atMinute: 320,
        body: 'الأستاذ خالد السيد المحترم،\n\nشكرًا لاختياركم Aurora Home. تجدون مرفقًا عرض السعر المبدئي، ويشمل الأجهزة والتركيب واشتراك Aurora Pro لمدة 12 شهرًا.\n\nقبل تحديد موعد التركيب نحتاج إلى موافقة إدارة المبنى والمقاول الكهربائي على دخول فريقنا إلى غرف التحكم في كل طابق. وبناءً على طلبكم، سنُبقي هذا الطلب معلّقًا إلى حين وصول الموافقة من طرفكم.\n\nمع التحية،\nمريم فاروق\nفريق التركيب والتشغيل',
      },
      {
        kind: 'note',
        atMinute: 330,
        body: 'أُرسل عرض السعر Q-AE-2207. بانتظار موافقة إدارة المبنى (حسب كلام خالد تقريبًا أسبوعين). نتابع معهم يوم 20 إذا ما وصلنا شيء.',
      },
      {
        kind: 'customer',
        atMinute: 4400,
        body: 'تم استلام العرض، شكرًا لكم. الموافقة الآن لدى إدارة المبنى، وسنعود إليكم فور صدورها.',
      },
      { kind: 'note', atMinute: 4420, body: 'العميل أكّد استلام العرض؛ باقي موافقة إدارة المبنى فقط. يبقى الطلب معلّقًا.' },
    ],
  },
  {
    customer: 'ar-mona-hassan',
    subject: 'شكر لفريق خدمة العملاء',
    channel: 'social',
    priority: 'low',
    status: 'solved',
    team: 'support',
    tags: ['compliment', 'support'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'بجد لازم أشكر خدمة عملاء @AuroraHome 👏 الجهاز وقف عندي الساعة 11 بالليل، والبنت اللي ردّت عليّا في الشات فضلت معايا لحد ما اشتغل تاني، وكانت ذوق جدًا. أول مرة أحس إن فيه شركة بتحترم العميل بجد.',
      },
      {
        kind: 'reply',
        atMinute: 50,
        body: 'شكرًا جزيلًا يا أستاذة منى على كلامك الجميل! هنوصّل رسالتك لزميلتنا ولكل فريق الدعم، وده أكتر حاجة بتفرّحنا. إحنا في الخدمة دايمًا.',
      },
    ],
  },
  {
    customer: 'ar-omar-alhashimi',
    subject: 'الجهاز لا يتصل بشبكة Wi-Fi',
    channel: 'chat',
    priority: 'normal',
    status: 'pending',
    team: 'onboarding',
    tags: ['wifi', 'setup'],
    messages: [
      { kind: 'customer', atMinute: 0, body: 'هلا، ركبت الثرموستات بنفسي والحين ما يرضى يتصل بالـ Wi-Fi. كل مرة يطلع لي «فشل الاتصال بالشبكة»' },
      {
        kind: 'reply',
        atMinute: 3,
        body: 'هلا وغلا أستاذ عمر! عادةً السبب إن الشبكة 5 GHz فقط، والجهاز يحتاج شبكة 2.4 GHz. هل الراوتر عندك يبث الشبكتين؟',
      },
      { kind: 'customer', atMinute: 6, body: 'ما أدري والله، الراوتر من شركة الاتصالات وجديد' },
      {
        kind: 'reply',
        atMinute: 9,
        body: 'ولا يهمك. ممكن ترسل لي صورة للملصق اللي تحت الراوتر (فيه اسم الموديل) أو تكتب لي الموديل؟ وأيضًا: هل اسم الشبكة اللي تختارها في الجهاز ينتهي بـ 5G؟ بعدها أرسل لك خطوات التفعيل بالضبط.',
      },
    ],
  },
  {
    customer: 'ar-salma-ibrahim',
    subject: 'إلغاء اشتراك Aurora Essentials',
    channel: 'phone',
    priority: 'normal',
    status: 'closed',
    team: 'billing',
    tags: ['cancellation', 'subscription'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'مكالمة من الأستاذة سلمى إبراهيم (الإسكندرية). تريد إلغاء اشتراك Aurora Essentials لأنها باعت الشقة وانتقلت إلى شقة مؤجّرة فيها نظام تكييف مختلف. سألت عن رسوم الإلغاء وعن مصير الجهاز.',
      },
      {
        kind: 'reply',
        atMinute: 8,
        body: 'ملخص المكالمة: أوضحت لها أنه لا توجد رسوم إلغاء. ألغيت الاشتراك بنهاية الفترة المدفوعة في 30 من الشهر، ولن تُخصم أي مبالغ بعد ذلك. نصحتها بإعادة ضبط المصنع للجهاز قبل تسليم الشقة للمالك الجديد حتى يُفصل عن حسابها، وأرسلت لها الخطوات على البريد الإلكتروني.',
      },
      {
        kind: 'customer',
        atMinute: 60,
        body: 'وصلني الإيميل بتأكيد الإلغاء والخطوات، شكرًا على ذوقكم. ولو رجعت لنظام تكييف مناسب أكيد هرجع أتعامل معاكم.',
      },
    ],
  },
  {
    customer: 'ar-yousef-alkuwari',
    subject: 'التطبيق لا يتصل بالمنزل منذ الصباح',
    channel: 'social',
    priority: 'high',
    status: 'open',
    team: 'support',
    tags: ['outage', 'app', 'complaint'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: '@AuroraHome التطبيق عطلان من الصبح! «تعذّر الاتصال بمنزلك» وما أقدر أطفي المكيفات عن بُعد وأنا مسافر. أحد ثاني عنده نفس المشكلة في الدوحة؟',
      },
      {
        kind: 'reply',
        atMinute: 30,
        body: 'أهلًا أستاذ يوسف، نعتذر لك. نعم، يوجد حاليًا خلل في اتصال التطبيق لدى عدد من المستخدمين في قطر والإمارات منذ الساعة 8:15 صباحًا، وفريقنا الفني يعمل عليه. الثرموستات في بيتك يواصل العمل حسب الجدول المحفوظ فيه. التحديثات أولًا بأول على status.aurora-home.example، وسنرد عليك هنا فور الحل.',
      },
      {
        kind: 'customer',
        atMinute: 210,
        body: 'صار لها أكثر من ثلاث ساعات. البيت فاضي والمكيفات شغالة على 21 درجة، يعني الفاتورة بتطلع عليّ أنا. منو بيعوضني؟',
      },
    ],
  },
  {
    customer: 'ar-hala-mostafa',
    subject: 'إعادة إصدار الفاتورة INV-EG-7712 كفاتورة ضريبية',
    channel: 'email',
    priority: 'normal',
    status: 'solved',
    team: 'billing',
    tags: ['invoice', 'b2b', 'tax'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السادة خدمة العملاء،\n\nبالإشارة إلى الفاتورة رقم INV-EG-7712 الخاصة باشتراك فندق الواحة، نرجو إعادة إصدارها كفاتورة ضريبية تتضمن رقم التسجيل الضريبي للفندق 123-456-789، إذ لا تقبلها إدارة الحسابات بصيغتها الحالية.\n\nوتفضلوا بقبول فائق الاحترام،\nهالة مصطفى\nالمدير المالي - فندق الواحة',
      },
      {
        kind: 'reply',
        atMinute: 150,
        body: 'الأستاذة هالة مصطفى المحترمة،\n\nنعتذر عن هذا السهو. أعدنا إصدار الفاتورة كفاتورة ضريبية برقم INV-EG-7712-R1 متضمنةً رقم التسجيل الضريبي للفندق، وتجدونها مرفقة بهذا البريد وفي قسم الفواتير بحسابكم. كما حدّثنا بيانات الحساب بحيث تصدر جميع الفواتير القادمة بالصيغة الضريبية تلقائيًا.\n\nمع خالص التحية،\nليلى منصور\nفريق الفوترة - Aurora Home',
      },
    ],
  },
  {
    customer: 'ar-abdullah-alotaibi',
    subject: 'لم يصلني مبلغ الجهاز المرتجع (AH-30214)',
    channel: 'web',
    priority: 'normal',
    status: 'open',
    team: 'billing',
    tags: ['refund', 'return', 'cash-on-delivery'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السلام عليكم\nرجّعت الثرموستات (طلب رقم AH-30214) خلال فترة الـ 14 يوم لأنه ما يتوافق مع مكيفات الشباك عندي، وسلّمته للمندوب من عشرة أيام. إلى الآن ما وصلني المبلغ (749 ريال). متى يرجع؟',
      },
      {
        kind: 'reply',
        atMinute: 600,
        body: 'وعليكم السلام أستاذ عبدالله،\n\nشكرًا على صبرك. تأكدت أن المستودع استلم الجهاز، ورفعت طلب الاسترداد إلى الإدارة المالية بشكل عاجل. سأوافيك بالموعد الدقيق خلال يوم عمل واحد.\n\nليلى منصور',
      },
      { kind: 'customer', atMinute: 3100, body: 'مرّ يومين ولا أحد ردّ عليّ. أرجو التوضيح.' },
      {
        kind: 'note',
        atMinute: 3150,
        body: 'الطلب كان دفع عند الاستلام (COD)، فما فيه بطاقة نرجّع عليها المبلغ، وهذا سبب التعليق عند المالية. لازم نطلب من العميل رقم IBAN واسم صاحب الحساب اليوم ونعتذر عن التأخير.',
      },
    ],
  },
  {
    customer: 'ar-reem-alali',
    subject: 'إعادة جدولة توصيل الطلب AH-30662',
    channel: 'email',
    priority: 'normal',
    status: 'pending',
    team: 'support',
    tags: ['delivery', 'reschedule'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'مرحبا،\n\nالمندوب اتصل عليّ اليوم الساعة 10 الصبح وأنا في الدوام، وقال بيرجّع الطلب للمستودع. أبغى أعيد جدولة التوصيل لأي يوم بعد الساعة 5 العصر أو يوم السبت. رقم الطلب AH-30662.\n\nريم',
      },
      {
        kind: 'reply',
        atMinute: 180,
        body: 'أهلًا أستاذة ريم،\n\nأكيد، نقدر نرتب التوصيل في الوقت اللي يناسبك. تواصلت مع شركة الشحن وأوقفت إرجاع الطلب إلى المستودع.\n\nنحتاج منك فقط تأكيد أمرين:\n1. هل يناسبك يوم السبت بين 10 صباحًا و2 ظهرًا؟ (التوصيل المسائي غير متوفر في منطقتك حاليًا)\n2. هل العنوان المسجّل (فيلا 27، شارع 15، مردف) صحيح؟ وإذا فيه معلم قريب يسهّل على المندوب الوصول، ياليت تكتبينه.\n\nطارق الشمري',
      },
    ],
  },
  {
    customer: 'ar-ahmed-almansouri',
    subject: 'الترقية من Essentials إلى Plus',
    channel: 'chat',
    priority: 'low',
    status: 'closed',
    team: 'billing',
    tags: ['upgrade', 'subscription'],
    messages: [
      { kind: 'customer', atMinute: 0, body: 'مرحبا، أبغى أرقّي الاشتراك من Essentials إلى Plus. كم الفرق بالسعر؟' },
      {
        kind: 'reply',
        atMinute: 2,
        body: 'أهلًا أستاذ أحمد! اشتراك Plus بـ 35 درهمًا شهريًا بدلًا من 19 درهمًا، ويشمل تقارير استهلاك الطاقة الشهرية، وتنبيهات الأعطال، وجدولة ذكية للتكييف توفّر في الكهرباء. تحب أفعّله لك الآن؟',
      },
      { kind: 'customer', atMinute: 5, body: 'إيه فعّله، الله يعطيك العافية' },
      {
        kind: 'reply',
        atMinute: 6,
        body: 'الله يعافيك! تم تفعيل Plus، وستُحتسب الفترة المتبقية من هذا الشهر بالتناسب. إذا احتجت أي شيء ثاني أنا موجود.',
      },
    ],
  },
  {
    customer: 'ar-mona-hassan',
    subject: 'الشاشة مطفية بعد رجوع الكهرباء',
    channel: 'phone',
    priority: 'normal',
    status: 'solved',
    team: 'support',
    tags: ['warranty', 'hardware', 'power-surge'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'مكالمة من الأستاذة منى حسن (الجيزة). بعد ما الكهرباء رجعت امبارح بعد انقطاع، شاشة الثرموستات مطفية خالص ومفيش أي استجابة. الجهاز عمره 7 شهور. قلقانة إن الضمان ما يغطيش أعطال الكهرباء.',
      },
      {
        kind: 'reply',
        atMinute: 15,
        body: 'ملخص المكالمة: جرّبنا معها فصل القاطع وإعادته بعد دقيقة، ولم يعمل الجهاز. يبدو أن وحدة التغذية تلفت بسبب ارتفاع الجهد عند عودة التيار. ورغم أن أضرار التيار الكهربائي مستثناة عادةً من الضمان، وافقنا على استبدال الجهاز مجانًا كبادرة حسن نية، مع نصيحة بتركيب مثبّت جهد. سيصلها الجهاز الجديد خلال 3 أيام عمل، وسيركّبه الفني ويأخذ القديم.',
      },
      { kind: 'customer', atMinute: 5800, body: 'الجهاز الجديد اتركّب النهارده والحمد لله شغال تمام. متشكرة جدًا.' },
    ],
  },
  {
    customer: 'ar-hala-mostafa',
    subject: 'عاجل: 30 غرفة في الفندق بدون تحكم في التكييف',
    channel: 'email',
    priority: 'urgent',
    status: 'open',
    team: 'support',
    tags: ['outage', 'firmware', 'b2b'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'عاجل جدًا\n\nمنذ تحديث الأمس، تظهر أجهزة الثرموستات في 30 غرفة بفندق الواحة «غير متصل»، والتكييف في هذه الغرف لا يستجيب لأي تغيير. لدينا نزلاء يشتكون منذ الصباح، واضطررنا لنقل بعضهم إلى غرف أخرى. نحتاج فنيًا في الفندق اليوم.\n\nهالة مصطفى\nفندق الواحة - الغردقة',
      },
      {
        kind: 'reply',
        atMinute: 40,
        body: 'الأستاذة هالة،\n\nنعتذر بشدة عن هذا الموقف، ونُدرك تمامًا ما يعنيه لنزلائكم. تأكدنا أن تحديث 4.2.1 تسبّب في انقطاع الاتصال لدى بعض الأجهزة المرتبطة بنقطة الوصول نفسها. فريقنا الفني يُعيد الآن الأجهزة الثلاثين إلى الإصدار السابق عن بُعد، ونتوقع الانتهاء خلال ساعتين. كما أرسلنا فنيًا من فريقنا الميداني، وسيصل إلى الفندق قبل الساعة 3 عصرًا.\n\nسأبقى على تواصل معكِ حتى يعود كل شيء إلى العمل.\n\nطارق الشمري',
      },
      {
        kind: 'note',
        atMinute: 45,
        body: 'أبلغت ليلى. الغرف الثلاثين مضافة إلى قائمة الـ rollback في FW-392. بعد الحل لازم نعرض على الفندق تعويضًا (خصم شهر على Aurora Pro)، والقرار عند ليلى.',
      },
      { kind: 'customer', atMinute: 210, body: 'الفني وصل، لكن ما زالت 12 غرفة غير متصلة. ما الخطوة التالية؟' },
    ],
  },
  {
    customer: 'ar-yousef-alkuwari',
    subject: 'حساس الرطوبة يقرأ 99% طوال الوقت',
    channel: 'web',
    priority: 'normal',
    status: 'on_hold',
    team: 'support',
    tags: ['warranty', 'hardware', 'sensor'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السلام عليكم، الثرموستات في المجلس يعرض الرطوبة 99% طول الوقت، مع إن الجو جاف والمكيف شغال. وبسبب هذا يشغّل وضع إزالة الرطوبة ويصير صوت المكيف عالي. الجهاز عمره سنة تقريبًا.',
      },
      {
        kind: 'reply',
        atMinute: 300,
        body: 'وعليكم السلام أستاذ يوسف،\n\nشكرًا على التفاصيل. يبدو أن حساس الرطوبة معطّل، والجهاز ما زال ضمن فترة الضمان (سنتان). رتّبنا استلام الجهاز من منزلك يوم الأحد لفحصه في المختبر، وسيترك المندوب جهازًا بديلًا مؤقتًا. بعد صدور نتيجة الفحص (عادةً خلال 7 إلى 10 أيام عمل) سنرسل لك جهازًا جديدًا أو نُعيد جهازك بعد إصلاحه.\n\nطارق الشمري',
      },
      {
        kind: 'note',
        atMinute: 310,
        body: 'RMA-QA-0458. معلّق حتى يصل تقرير المختبر. ملاحظة: هذه ثاني حالة حساس رطوبة من نفس الدفعة هذا الشهر.',
      },
    ],
  },
  {
    customer: 'ar-noura-alqahtani',
    subject: 'سعر التجديد السنوي وهل يوجد خصم',
    channel: 'chat',
    priority: 'normal',
    status: 'closed',
    team: 'billing',
    tags: ['renewal', 'pricing', 'discount'],
    messages: [
      { kind: 'customer', atMinute: 0, body: 'هلا، اشتراكي السنوي بيتجدد الأسبوع الجاي. كم السعر؟ وفيه خصم لو جددت سنتين؟' },
      {
        kind: 'reply',
        atMinute: 2,
        body: 'هلا فيك أستاذة نورة! التجديد السنوي لاشتراك Essentials بـ 199 ريالًا. للأسف ما عندنا باقة سنتين، لكن بما إنك معنا من أكثر من سنة، تقدرين تستفيدين من خصم الولاء 15% على التجديد.',
      },
      { kind: 'customer', atMinute: 4, body: 'حلو، وكيف أطبّقه؟' },
      {
        kind: 'reply',
        atMinute: 6,
        body: 'طبّقته لك الحين، وبيكون مبلغ التجديد 169.15 ريال بدل 199. ما تحتاجين تسوين أي شيء، التجديد تلقائي على نفس البطاقة.',
      },
      { kind: 'customer', atMinute: 8, body: 'تمام، شكرًا لك' },
    ],
  },
  {
    customer: 'ar-reem-alali',
    subject: 'هل يدعم الجهاز Google Home وAlexa؟',
    channel: 'web',
    priority: 'low',
    status: 'new',
    team: 'onboarding',
    tags: ['integration', 'smart-home', 'question'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'مساء الخير، سؤال بسيط قبل ما يوصلني الجهاز: هل ثرموستات Aurora يدعم التحكم الصوتي عن طريق Google Home أو Alexa؟ وهل يشتغل مع المكيفات المخفية (Ducted split)؟ عندي في الفيلا أربع وحدات، وأبغى أعرف كم جهاز أحتاج.',
      },
    ],
  },
  {
    customer: 'ar-fatima-alzahrani',
    subject: 'المكيف يطفي ويشتغل بعد التركيب',
    channel: 'email',
    priority: 'normal',
    status: 'open',
    team: 'onboarding',
    tags: ['installation', 'ac', 'short-cycling'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السلام عليكم،\n\nالفني ركّب الثرموستات أمس، بس من بعدها المكيف يطفي ويشتغل كل خمس دقايق تقريبًا. قبل التركيب ما كان يسوي كذا. الغرفة ما تبرد زين وصوت الكمبروسر مزعج.\n\nفاطمة',
      },
      {
        kind: 'reply',
        atMinute: 260,
        body: 'وعليكم السلام أستاذة فاطمة،\n\nنأسف على ذلك. هذا السلوك يكون غالبًا بسبب إعداد «فرق التشغيل» في الجهاز، فإذا كان صغيرًا جدًا يتوقف المكيف ويعمل بكثرة. نرجو تجربة التالي:\nالإعدادات > التكييف > فرق التشغيل، وتغييره من 0.5 إلى 1.5 درجة.\n\nإذا استمرت المشكلة، سنرسل الفني مرة أخرى دون أي رسوم.\n\nمريم فاروق',
      },
      { kind: 'customer', atMinute: 1500, body: 'سويت اللي قلتوا عليه، ولسّه نفس الشي. أبي الفني يجي بكرة الصبح لو سمحتوا.' },
    ],
  },
  {
    customer: 'ar-khaled-alsayed',
    subject: 'دمج الفواتير في فاتورة شهرية واحدة',
    channel: 'email',
    priority: 'normal',
    status: 'pending',
    team: 'billing',
    tags: ['invoice', 'b2b', 'consolidated-billing'],
    messages: [
      {
        kind: 'customer',
        atMinute: 0,
        body: 'السادة فريق الفوترة،\n\nلدينا حاليًا 35 اشتراكًا في مشاريع مختلفة، وتصلنا 35 فاتورة منفصلة كل شهر. هل يمكن دمجها في فاتورة شهرية واحدة مع تفصيل لكل وحدة؟\n\nخالد السيد\nشركة النخبة للعقارات',
      },
      {
        kind: 'reply',
        atMinute: 280,
        body: 'الأستاذ خالد المحترم،\n\nنعم، يمكننا إصدار فاتورة شهرية موحّدة لجميع اشتراكاتكم. ولتجهيزها بالشكل الذي يناسب حساباتكم، نرجو تزويدنا بما يلي:\n- هل تفضّلون تجميع الوحدات حسب المشروع (مركز التكلفة) أم في قائمة واحدة؟\n- رقم التسجيل الضريبي (TRN) للشركة كما يجب أن يظهر في الفاتورة.\n- البريد الإلكتروني لقسم الحسابات الذي نرسل إليه الفواتير.\n\nبعد استلام هذه البيانات، ستصدر الفاتورة الموحّدة ابتداءً من الشهر القادم.\n\nليلى منصور\nفريق الفوترة',
      },
    ],
  },
];

/** 60 tickets: 20 per locale, each written in its customer's language. */
export const demoTickets: DemoTicket[] = [...enTickets, ...elTickets, ...arTickets];
