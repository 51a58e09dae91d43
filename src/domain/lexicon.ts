// Word lists for the moments-of-truth classifier: the default event catalogue, stage cues and
// sentiment words in English, Greek and Arabic, negators, and channel groups.
//
// Lexicon entries are written as people write (accents, hamza, any case): they are folded
// and stemmed by the same code as the text (src/domain/tokenize.ts). An entry is a word or a
// phrase; a word ending in `*` matches any word starting with it (on the folded word or on
// its stem, so Arabic clitics do not get in the way). Phrase words must come in order in
// one clause, with at most two other words between them. A tuple gives a weight (default 1).

import type { Stage, Valence } from './moments.ts';

export type LexEntry = string | readonly [phrase: string, weight: number];

export interface CatalogueEntry {
  stage: Stage;
  valence: Valence;
  /** The valence is a fact of the event (a cancellation is negative whatever the note says),
    or the text is not the customer's voice (an agent's reply); text sentiment is not used. */
  fixed?: boolean;
}

const lz = (valence: Valence = 'neutral', fixed = false): CatalogueEntry => ({ stage: 'lzmot', valence, fixed });
const z = (valence: Valence = 'neutral', fixed = false): CatalogueEntry => ({ stage: 'zmot', valence, fixed });
const f = (valence: Valence = 'neutral', fixed = false): CatalogueEntry => ({ stage: 'fmot', valence, fixed });
const s = (valence: Valence = 'neutral', fixed = false): CatalogueEntry => ({ stage: 'smot', valence, fixed });
const u = (valence: Valence = 'neutral', fixed = false): CatalogueEntry => ({ stage: 'umot', valence, fixed });

/**
 Common event names (Segment's spec names included), keyed by the normalised name: lower
 case, words separated by single spaces (see normalizeEventName in classifier.ts).
 */
export const EVENT_CATALOGUE: Readonly<Record<string, CatalogueEntry>> = {
  // less-than-zero: the person meets the brand before looking for anything
  'ad viewed': lz(), 'ad seen': lz(), 'ad impression': lz(), 'ad clicked': lz(), 'ad played': lz(),
  'promotion viewed': lz(), 'promotion clicked': lz(), 'tv ad aired': lz(), 'radio ad aired': lz(),
  'marketing email sent': lz(), 'marketing email delivered': lz(), 'marketing email opened': lz(),
  'marketing email clicked': lz(), 'email opened': lz(), 'email link clicked': lz(), 'newsletter opened': lz(),
  'social post seen': lz(), 'social post viewed': lz(), 'social post clicked': lz(),
  'email unsubscribed': lz('negative', true), 'unsubscribed': lz('negative', true),
  // zero: research before deciding
  'review read': z(), 'reviews read': z(), 'review viewed': z(), 'comparison viewed': z(),
  'comparison page viewed': z(), 'pricing viewed': z(), 'pricing page viewed': z(), 'plans viewed': z(),
  'kb article viewed': z(), 'article viewed': z(), 'help article viewed': z(), 'faq viewed': z(),
  'search performed': z(), 'products searched': z(), 'product list viewed': z(), 'product list filtered': z(),
  'quote requested': z(), 'brochure downloaded': z(), 'case study viewed': z(), 'webinar attended': z(),
  // first: first contact with the product, and the conversion
  'product page viewed': f(), 'product viewed': f(), 'product clicked': f(), 'product added': f(),
  'cart viewed': f(), 'demo requested': f(), 'demo started': f(), 'demo completed': f(), 'demo attended': f(),
  'sample tried': f(), 'sample requested': f(), 'store visited': f(), 'trial started': f(), 'signed up': f(),
  'checkout started': f(), 'checkout step completed': f(), 'payment info entered': f(),
  'checkout failed': f('negative', true), 'payment failed': f('negative', true),
  'order completed': f('positive'), 'order placed': f('positive'), 'purchase': f('positive'),
  'purchased': f('positive'), 'purchase completed': f('positive'), 'trial converted': f('positive', true),
  'subscription started': f('positive'),
  // second: after the purchase
  'onboarding started': s(), 'onboarding step completed': s(), 'onboarding completed': s('positive'),
  'onboarding abandoned': s('negative', true), 'ticket created': s(), 'ticket opened': s(),
  'ticket reopened': s('negative'), 'ticket solved': s('positive'), 'ticket closed': s(),
  'agent replied': s('neutral', true), 'message sent': s(), 'chat started': s(), 'chat ended': s(),
  'call started': s(), 'call completed': s(), 'call missed': s('negative', true),
  'subscription renewed': s('positive', true), 'subscription upgraded': s('positive', true),
  'subscription downgraded': s('negative', true), 'subscription cancelled': s('negative', true),
  'subscription canceled': s('negative', true), 'subscription expired': s('negative', true),
  'feature used': s(), 'application opened': s(), 'logged in': s(), 'invoice paid': s(),
  'sla breached': s('negative', true), 'sla warning': s('neutral', true), 'recovery offered': s(),
  'apology sent': s(), 'compensation offered': s(), 'recovery accepted': s('positive', true),
  'compensation accepted': s('positive', true), 'recovery declined': s('negative', true),
  'survey answered': s(), 'survey responded': s(), 'survey completed': s(), 'refund requested': s('negative'),
  'order refunded': s('negative', true), 'order cancelled': s('negative', true), 'product returned': s('negative', true),
  'order delivered': s(), 'order shipped': s(),
  // ultimate: the customer publishes
  'review published': u(), 'review posted': u(), 'review submitted': u(), 'product reviewed': u(),
  'social post published': u(), 'social post created': u(), 'blog post published': u(),
  'testimonial': u('positive'), 'testimonial published': u('positive'), 'testimonial given': u('positive'),
};

/** Stage cues for free text. */
export const STAGE_CUES: Readonly<Record<Stage, readonly LexEntry[]>> = {
  lzmot: [
    ['ad', 2], ['advert*', 2], ['advertis*', 2], ['commercial', 2], ['billboard', 2], ['banner', 2],
    ['sponsored', 2], 'promoted post', ['promotional', 2], 'promo', ['newsletter', 2], 'mailing list',
    ['marketing email*', 2], ['unsubscrib*', 2], 'flyer', 'leaflet', 'campaign', 'radio', 'tv',
    'never heard', 'first heard', 'heard of', 'did not know', 'realis*', 'realiz*', 'lead came',
    ['διαφήμιση', 2], ['διαφημ*', 2], ['χορηγούμεν*', 2], 'καμπάνια', ['newsletter', 1], 'φυλλάδι*',
    'προσφορ*', 'τηλεόραση', 'ραδιόφωνο', 'αφαιρέστε με', 'δεν ήξερα', 'δεν είχα ακούσει',
    'υποψήφιος πελάτης', 'χρειάζονται', 'χρειάζομαι', 'ήρθε η ώρα',
    ['إعلان*', 2], ['ممول*', 2], ['ترويج*', 2], ['حملة', 1], ['نشرة إخباري*', 2], ['نشرت* إخباري*', 2],
    ['قائمة بريدي*', 2], 'التلفزيون', 'تلفزيون', 'الراديو', 'سمعت عن', 'عميل محتمل',
    'بحاجة', 'يدرك*', 'أدرك*',
  ],
  zmot: [
    ['pricing', 2], 'price', 'prices', ['how much', 2], 'cost*', 'per agent', 'per user', 'per seat',
    'discount', 'tier', ['before buy*', 2], ['before purchas*', 2], ['compar*', 2], 'versus', 'vs',
    'alternative*', ['read* review*', 2], ['review* mixed', 1], ['faq', 2], 'docs', 'documentation',
    'knowledge base', ['research*', 2], 'considering', 'thinking of', 'worth it', ['anyone using', 2],
    ['anyone tried', 2], 'leaning toward*', 'shortlist*', 'do you support', 'does it support',
    'prospect', 'expensive', 'competitor*', 'move forward', ['difference between', 2], 'options', 'any good',
    ['τιμή', 2], ['τιμές', 2], ['πόσο κοστίζει', 2], 'κοστ*', 'κόστος', 'ανά χρήστη', ['σύγκρι*', 2],
    ['συγκρίν*', 2], ['διάβασα κριτικ*', 2], ['δούμε κριτικ*', 2], ['συχνές ερωτήσεις', 2],
    ['πριν αγοράσ*', 2], ['πριν αποφασ*', 2], 'αξίζει', 'ξέρει κανείς', 'ψάχνω', 'ψάχνουμε', 'έρευνα',
    'εναλλακτικ*', 'ακριβό', 'ανταγωνισμ*', 'υποστηρίζετε', 'προχωρήσ*', ['διαφορά', 2], ['πόσο κάνει', 2],
    ['πόσο κοστ*', 2],
    ['سعر', 2], ['أسعار', 2], ['كم سعر', 2], ['بكم', 2], 'تكلفة', ['مقارن*', 2], ['نقارن', 2],
    ['قارن*', 2], ['أقارن', 2], ['يقارن*', 2], ['الفرق بين', 2], ['ما الفرق', 2], ['قريت تقييم*', 2], ['قرأت تقييم*', 2], ['الأسئلة الشائعة', 2],
    ['قبل الشراء', 2], 'يستاهل', 'يستحق', ['أحد جرب', 2], ['حد جرب', 2], ['أحد عنده تجربة', 2], 'أبحث', 'نبحث عن', 'بدائل', 'هل تدعمون',
    'غالية', 'غالي', 'المنافسين', 'منافس*', ['عرض سعر', 2], 'يكمل',
  ],
  fmot: [
    ['demo', 2], ['trial', 2], ['sample', 2], ['in store', 2], 'store', 'shop', ['shelf', 2],
    'display', ['first impression*', 2], ['unbox*', 2], 'packaging', ['checkout', 2], 'place order',
    'placed order', 'bought', 'purchase*', 'signed up', 'signing up', 'sign up', 'picked up',
    'tried', 'setup wizard', 'first time', 'first look', 'showroom',
    ['επίδειξη', 2], ['δοκιμή', 2], ['δοκιμαστικ*', 2], ['δείγμα', 2], ['στο κατάστημα', 2], 'κατάστημα', ['βιτρίνα', 2],
    ['ράφι', 2], ['πρώτη εντύπωση', 2], 'πρώτη φορά', 'συσκευασία', 'κουτί', 'ολοκληρώσω παραγγελία',
    'πληρωμή', 'ταμείο', 'αγόρασα', 'αγόρασε', 'δοκίμασα', 'δοκίμασε', 'εγγραφή',
    ['عرض توضيحي', 2], ['توضيحي', 1], ['تجريبي*', 2], ['تجربة مجانية', 2], ['عينة', 2], ['المتجر', 2],
    'متجر', 'فرع', 'المعرض', ['الرف', 2], ['الانطباع الأول', 2], ['أول انطباع', 2], 'أول مرة', 'الصندوق', 'التغليف',
    'اشتريت', 'اشترت', 'اشترى', ['إتمام الطلب', 2], 'الدفع', 'البطاقة', 'جربت', 'جرّب', 'التسجيل',
  ],
  smot: [
    'support', 'agent*', 'ticket', ['invoice*', 2], 'billing', ['credit note', 2], 'refund*',
    ['renew*', 2], ['subscription', 2], 'cancel*', ['upgrad*', 2], ['downgrad*', 2], ['onboarding', 2],
    'log in', 'login', 'password', '2fa', 'reset*', 'account', 'export', 'broken', 'bug', 'crash*',
    'error', 'not working', 'customer called', 'called', 'walked through', 'third time', 'getting back',
    'routing', 'delivery', 'shipment', 'compensation', 'apolog*', 'customer service', 'seats', 'explained',
    'went live', 'were live', 'since this morning', 'outage', 'phone call', 'on the phone', 'representative',
    'υποστήριξη', ['τιμολόγιο', 2], ['πιστωτικό', 2], 'χρέωση', 'χρέωσης', 'επιστροφή χρημάτων',
    ['ανανε*', 2], ['συνδρομ*', 2], 'ακύρωση', ['αναβάθμιση', 2], ['αναβαθμ*', 2], ['ενσωμάτωση', 2],
    'εκπαίδευση', 'κωδικ*', 'λογαριασμ*', 'εξαγωγή', 'λειτουργεί', 'τηλεφώνησε', 'βοήθησα', 'παραπονέθηκε',
    'καθυστέρησε', 'καθυστέρηση', 'συγγνώμη', 'αποζημίωση', 'μεταφορικά', 'εκπρόσωπ*',
    ['κύκλο χρέωσης', 2], 'εργάσιμες', 'παράδοση', 'courier', 'συνομιλία',
    'الدعم', 'خدمة العملاء', ['فاتورة', 2], ['الفوترة', 2], ['إشعار دائن', 2], 'استرداد', ['تجديد', 2],
    ['نجدد', 2], ['يجدد*', 2], ['الاشتراك', 2], 'إلغاء', 'الإلغاء', 'ألغي*', ['ترقية', 2], ['تأهيل', 2], ['كلمة المرور', 2],
    'تسجيل الدخول', 'الدخول', 'حساب', 'التصدير', 'لا يعمل', 'اتصل*', 'ساعدت', 'تشتكي', 'شكوى', 'تأخر',
    'الشحنة', 'اعتذر*', 'تعويض', 'توصيل', 'ثالث مرة', 'تحديث', 'التطبيق', 'ممثل*', 'مكالمة',
    'محادثة',
  ],
  umot: [
    ['recommend*', 2], ['avoid', 2], ['stay away', 2], ['star', 2], ['stars', 2], ['my review', 2],
    ['wrote review', 2], ['left review', 2], ['posting this', 2], ['wrote up', 2], ['blog', 2],
    ['link in bio', 2], 'quoted', 'testimonial', 'others', 'everyone', 'never looked back', 'does the job',
    'shout out', 'warn*', 'public', 'publicly', ['do not buy', 2], 'psa',
    ['προτείνω', 2], ['συστήνω', 2], ['συνιστώ', 2], ['ανεπιφύλακτα', 2], ['μακριά', 2], ['αποφύγετε', 2],
    ['αστέρια', 2], ['αστέρι', 2], ['δημόσια', 2], ['γράφω', 1], ['έγραψα', 1], ['ιστολόγιο', 2],
    ['blog', 1], 'ανέβασα', 'βίντεο', ['μην πάρετε', 2], ['μην αγοράσετε', 2], ['μην ψωνίσετε', 2], 'σε όλους', 'πατήσει', 'συγχαρητήρια',
    'κάνει τη δουλειά',
    ['أنصح', 2], ['ابتعدوا', 2], ['تجنبوا', 2], ['نجوم', 2], ['نجمة', 2], ['نجمتين', 2], ['مدون*', 2],
    ['لا تشتروا', 2], ['لا تشتري', 2], 'نشرت', 'فيديو', 'كتبت', ['أكتب هذا', 2], 'غيري', 'الجميع', 'يؤدي الغرض', 'علنا',
  ],
};

/** Stage cues that come from where the text was found. */
export const REVIEW_CHANNELS = [
  'google_reviews', 'google reviews', 'trustpilot', 'g2', 'capterra', 'app_store', 'play_store', 'google_play',
  'skroutz', 'yelp', 'tripadvisor', 'reviews', 'review', 'blog',
];
export const SOCIAL_CHANNELS = [
  'social', 'twitter', 'x', 'facebook', 'instagram', 'tiktok', 'youtube', 'linkedin', 'reddit',
  'snapchat', 'threads', 'mastodon', 'pinterest',
];
export const STORE_CHANNELS = ['store', 'in_store', 'retail', 'pos', 'shop', 'branch'];
/** Channels where a conversation with the help desk happens. */
export const HELP_DESK_CHANNELS = [
  'email', 'chat', 'live_chat', 'livechat', 'phone', 'call', 'voice', 'sms', 'whatsapp', 'messenger',
  'helpdesk', 'ticket', 'support', 'survey',
];

export const POSITIVE: readonly LexEntry[] = [
  'good', 'great', 'excellent', 'amazing', 'awesome', 'love*', 'happy', 'satisfied', 'thank*',
  'helpful', 'fast', 'quick*', 'clear*', 'easy', 'friendly', 'fair', 'recommend*', 'best', 'perfect',
  'gorgeous', 'beautiful', 'hilarious', 'funny', 'interesting', 'wow', 'legend*', 'smooth*',
  'just works', 'exactly what', 'impressed', 'brilliant', 'nice', 'glad', 'well done', 'fine',
  'resolved', 'sorted', 'fixed', 'solved', 'thrilled', 'delighted', 'excited', 'positive', 'polite',
  'responsive', 'painless', 'solid', 'reliable', 'worth every', 'leaning toward*', 'in half', 'five stars', 'renew*', 'upgrad*',
  'καλό', 'καλή', 'καλύτερ*', 'ωραί*', 'τέλει*', 'εξαιρετικ*', 'υπέροχ*', 'φανταστικ*', 'άψογ*', 'ευχαριστ*', 'ικανοποιημέν*',
  'αρέσει', 'άρεσε', 'αγαπ*', 'έξυπν*', 'ενδιαφέρ*', 'κατατοπιστικ*', 'ξεκάθαρ*', 'γρήγορ*',
  'φιλικ*', 'λογική τιμή', 'πανέμορφ*', 'όμορφ*', 'συγχαρητήρια', 'μπράβο', 'προτείνω', 'συστήνω', 'συνιστώ',
  'έλυσ*', 'λύθηκε', 'ενθουσι*', 'θετικ*', 'ευγενικ*', 'αξιόπιστ*', 'αυτό ακριβώς', 'ακριβώς αυτό', 'εύκολ*', 'χρήσιμο', 'χρήσιμη', 'χρήσιμα', 'αναβάθμιση', 'ανανεώ*',
  'ممتاز*', 'رائع*', 'جيد*', 'حلو*', 'جميل*', 'شكر*', 'سريع*', 'سرعة', 'واضح*', 'الأوضح', 'أنيق*',
  'أعجب*', 'راضي*', 'راض', 'سعيد*', 'محترم*', 'معقول*', 'بسلاسة', 'مثير للاهتمام', 'أنصح', 'أفضل',
  'مفيد*', 'حل', 'حلوا', 'انحلت', 'متحمس*', 'إيجابي*', 'لطيف*', 'سهل*', 'بالضبط ما', 'بفضل', 'قبلت', 'الترقية', 'تجديد', 'نجدد', 'يجدد*',
  '😍', '😂', '👏', '👌', '❤', '🙏', '💯', '🔥', '👍', '😊', '🥰',
];

export const NEGATIVE: readonly LexEntry[] = [
  'bad', 'terrible', 'awful', 'horrible', 'worst', 'hate*', 'annoy*', 'creepy', 'slow', 'broken',
  'bug*', 'crash*', 'error', 'fail*', 'confus*', 'flimsy', 'cheap', ['too expensive', 1],
  'look* cheap', 'felt cheap', 'feel* cheap', 'disappoint*', 'frustrat*', 'unacceptable', 'ridiculous', 'useless', 'clunky', 'mistake', 'outdated', 'ugly', 'poor', 'worse', 'mess*',
  'complicated', 'difficult', 'painful', 'buggy', 'overpriced', 'rip off', 'ignor*', 'never arrived',
  'damaged', 'furious', 'angry', 'upset', 'waste', 'regret*', 'negative', 'locked out',
  'hung up', 'nobody', ['problem', 0.5], 'no one', 'stop sending', ['third time', 1], 'blocking', 'avoid', 'stay away',
  'unsubscrib*', 'spam', 'complain*', 'waited', 'not work*', 'charged twice', ['one star', 2],
  ['1 star', 2], 'cancel*', 'rude', 'never again', 'scam',
  'κακό', 'κακή', 'χειρότερ*', 'απαράδεκτ*', 'απαίσι*', 'χάλια', 'χαλασμέν*', 'αργό', 'αργή', 'αργά',
  'φτηνιάρικ*', 'βρώμικ*', 'απέτυχε', 'αποτυχ*', ['πρόβλημα', 0.5], 'καθυστέρ*', 'αρνητικ*', 'μπερδεμέν*', 'μπερδευ*', 'περίπλοκ*', 'δύσκολ*',
  'κοροιδ*', 'απάτη', 'σφάλμα', 'λάθος', 'κλειδωμέν*', 'θυμωμέν*', 'απογοητ*', 'σπασμέν*', 'κανείς δεν', 'παραπον*', 'ενοχλητικ*',
  'έλεος', 'δυστυχώς', 'απεγγραφ*', 'δεν λειτουργ*', 'δεν δουλεύ*', ['κανείς δεν απαντ*', 2], 'μακριά', 'αποφύγετε',
  'ακριβό', ['τρίτη φορά', 1], 'περίμενα', 'περιμένω', 'ακύρωση', 'χρέωσαν', 'έκλεισαν το τηλέφωνο',
  'سيء', 'سيئ*', 'مزعج*', 'إزعاج', 'غالية جدا', 'فشل', 'بطيء', 'تبدو رخيص*', ['مشكلة', 0.5], 'معقد*', 'صعب*', 'سلبي*', 'مكسور*', 'لا أحد',
  'غاضب*', 'محبط*', 'نصب', 'احتيال', 'غير مقبول', 'تأخر', 'تشتكي',
  'شكوى', 'ابتعدوا', 'تجنبوا', ['لا أحد يرد', 2], ['ولا أحد', 2], 'الخطأ', 'أغلقوا الخط', 'خصموا',
  'يتوقف', 'لا يعمل', 'للأسف', 'زفت', 'متأخر', ['ثالث مرة', 1], 'أنتظر', 'إلغاء', 'الإلغاء', 'ألغي*',
  '😡', '👎', '😠', '🤬', '😤', '💩',
];

/** Words that flip the sentiment of the next few words in the same clause. */
export const NEGATORS: readonly string[] = [
  'not', 'no', 'never', 'without', 'hardly', 'nothing', 'none',
  'δεν', 'δε', 'μην', 'μη', 'ούτε', 'ουδέποτε', 'χωρίς',
  'لا', 'ليس', 'ليست', 'لست', 'لسنا', 'لم', 'لن', 'مش', 'مو', 'غير', 'بدون', 'ولا', 'ما',
];

/** Number words for star ratings ("three stars", "τρία αστέρια", "ثلاث نجوم"). */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5,
  ένα: 1, ενα: 1, μία: 1, μια: 1, δύο: 2, τρία: 3, τέσσερα: 4, πέντε: 5,
  واحدة: 1, واحد: 1, اثنتين: 2, نجمتين: 2, ثلاث: 3, ثلاثة: 3, أربع: 4, أربعة: 4, خمس: 5, خمسة: 5,
};
export const STAR_WORDS: readonly string[] = ['star', 'stars', 'αστέρι', 'αστέρια', 'αστεράκια', 'نجمة', 'نجوم', 'نجمات', 'نجمتين'];
