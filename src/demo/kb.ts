// Demo knowledge base: a few real articles in English, Greek and Arabic (the moments-of-truth
// articles come from the seed texts), in categories with localised names, one left as a draft.
import { readFileSync } from 'node:fs';
import type { KbLang, KbStatus } from '../domain/kb.ts';
import { createArticle, createCategory } from '../kb/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';

interface DemoVersion {
  lang: KbLang;
  title: string;
  body: string;
  status?: KbStatus;
}

interface DemoArticle {
  category: string;
  versions: DemoVersion[];
}

const seedsDir = new URL('../../../shared/seeds/', import.meta.url);

/** Paragraphs of a seed text (lines from..to), or undefined when the seeds are not at hand. */
function seedParagraphs(file: string, from: number, to: number): string | undefined {
  try {
    const lines = readFileSync(new URL(file, seedsDir), 'utf8').split('\n').filter((l) => l.trim());
    return lines.slice(from, to).map((l) => `<p>${l.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</p>`).join('\n');
  } catch {
    return undefined;
  }
}

const CATEGORIES = [
  { key: 'thermostat', names: { en: 'Thermostat and app', el: 'Θερμοστάτης και εφαρμογή', ar: 'منظم الحرارة والتطبيق' } },
  { key: 'billing', names: { en: 'Billing and subscriptions', el: 'Χρεώσεις και συνδρομές', ar: 'الفواتير والاشتراكات' } },
  { key: 'account', names: { en: 'Account and sign-in', el: 'Λογαριασμός και σύνδεση', ar: 'الحساب وتسجيل الدخول' } },
  { key: 'customer-experience', names: { en: 'Customer experience', el: 'Εμπειρία πελάτη', ar: 'تجربة العميل' } },
];

function articles(): DemoArticle[] {
  const greekMot = seedParagraphs('000_872ed610193a76ff.txt', 1, 6);
  const arabicMot = seedParagraphs('003_d927bf57eeee527a.txt', 1, 6);
  return [
    {
      category: 'thermostat',
      versions: [
        {
          lang: 'en',
          title: 'Thermostat shows offline after a power cut',
          body: `<p>After a power cut the thermostat can take up to five minutes to rejoin your Wi-Fi.</p>
<ol><li>Check that the router is back on and other devices are online.</li>
<li>Hold the dial down for ten seconds until the screen shows <strong>Wi-Fi</strong>, then release.</li>
<li>In the app, open <em>Devices → Thermostat → Reconnect</em> and choose your network.</li></ol>
<p>Heating schedules are kept on the device, so your home stays warm while it reconnects.</p>`,
        },
        {
          lang: 'el',
          title: 'Ο θερμοστάτης εμφανίζεται εκτός σύνδεσης μετά από διακοπή ρεύματος',
          body: `<p>Μετά από διακοπή ρεύματος ο θερμοστάτης μπορεί να χρειαστεί έως πέντε λεπτά για να συνδεθεί ξανά στο Wi-Fi.</p>
<ol><li>Βεβαιωθείτε ότι ο δρομολογητής λειτουργεί και ότι οι άλλες συσκευές είναι συνδεδεμένες.</li>
<li>Κρατήστε πατημένο τον επιλογέα για δέκα δευτερόλεπτα μέχρι να εμφανιστεί η ένδειξη <strong>Wi-Fi</strong>.</li>
<li>Στην εφαρμογή, ανοίξτε <em>Συσκευές → Θερμοστάτης → Επανασύνδεση</em> και επιλέξτε το δίκτυό σας.</li></ol>
<p>Τα προγράμματα θέρμανσης αποθηκεύονται στη συσκευή, έτσι το σπίτι σας μένει ζεστό κατά την επανασύνδεση.</p>`,
        },
        {
          lang: 'ar',
          title: 'منظم الحرارة غير متصل بعد انقطاع الكهرباء',
          body: `<p>بعد انقطاع الكهرباء قد يحتاج منظم الحرارة إلى خمس دقائق للاتصال بشبكة الواي فاي من جديد.</p>
<ol><li>تأكد من أن جهاز التوجيه يعمل وأن الأجهزة الأخرى متصلة.</li>
<li>اضغط على القرص لمدة عشر ثوانٍ حتى تظهر كلمة <strong>Wi-Fi</strong> على الشاشة.</li>
<li>في التطبيق افتح <em>الأجهزة ← منظم الحرارة ← إعادة الاتصال</em> واختر شبكتك.</li></ol>
<p>جداول التدفئة محفوظة في الجهاز، لذلك يبقى منزلك دافئاً أثناء إعادة الاتصال.</p>`,
        },
      ],
    },
    {
      category: 'billing',
      versions: [
        {
          lang: 'en',
          title: 'Charged twice for your subscription',
          body: `<p>A second charge in the same month is usually a pending card authorisation that your bank releases within five working days.</p>
<p>If both charges are still on your statement after that, reply to your ticket with the last four digits of the card and we refund the duplicate the same day.</p>`,
        },
        {
          lang: 'el',
          title: 'Διπλή χρέωση της συνδρομής σας',
          body: `<p>Μια δεύτερη χρέωση μέσα στον ίδιο μήνα είναι συνήθως μια εκκρεμής δέσμευση της κάρτας, που η τράπεζά σας αποδεσμεύει μέσα σε πέντε εργάσιμες ημέρες.</p>
<p>Αν μετά από αυτό βλέπετε ακόμη και τις δύο χρεώσεις, απαντήστε στο αίτημά σας με τα τέσσερα τελευταία ψηφία της κάρτας και θα επιστρέψουμε τη διπλή χρέωση την ίδια μέρα.</p>`,
        },
        {
          lang: 'ar',
          title: 'خصم الاشتراك مرتين',
          body: `<p>الخصم الثاني في الشهر نفسه يكون عادةً تفويضاً معلّقاً على البطاقة يلغيه البنك خلال خمسة أيام عمل.</p>
<p>إذا بقي الخصمان في كشف حسابك بعد ذلك، ردّ على تذكرتك بآخر أربعة أرقام من البطاقة وسنعيد المبلغ المكرر في اليوم نفسه.</p>`,
        },
      ],
    },
    {
      category: 'account',
      versions: [
        {
          lang: 'en',
          title: 'The verification code never arrives',
          body: `<p>Codes are sent by text message and expire after ten minutes. Check that the phone number in <em>Account → Security</em> is right, including the country code.</p>
<p>Still nothing? Choose <strong>Send the code by e-mail</strong> on the sign-in page.</p>`,
        },
        {
          lang: 'el',
          title: 'Ο κωδικός επαλήθευσης δεν έρχεται ποτέ',
          body: `<p>Οι κωδικοί στέλνονται με SMS και λήγουν μετά από δέκα λεπτά. Ελέγξτε ότι ο αριθμός τηλεφώνου στο <em>Λογαριασμός → Ασφάλεια</em> είναι σωστός, μαζί με τον κωδικό χώρας.</p>
<p>Ακόμη τίποτα; Επιλέξτε <strong>Αποστολή του κωδικού με email</strong> στη σελίδα σύνδεσης.</p>`,
        },
        {
          lang: 'ar',
          title: 'رمز التحقق لا يصل أبداً',
          body: `<p>تُرسل الرموز برسالة نصية وتنتهي صلاحيتها بعد عشر دقائق. تأكد من صحة رقم الهاتف في <em>الحساب ← الأمان</em> مع رمز الدولة.</p>
<p>لم يصل شيء؟ اختر <strong>إرسال الرمز بالبريد الإلكتروني</strong> في صفحة تسجيل الدخول.</p>`,
        },
      ],
    },
    {
      category: 'customer-experience',
      versions: [
        {
          lang: 'en',
          title: 'What is a moment of truth?',
          body: `<p>A moment of truth is any interaction with a company that can form or change a customer's opinion of its products or services.</p>
<p>There are five: the less-than-zero moment (a need appears), the zero moment (research, reviews, help-centre visits), the first moment (first contact with the product), the second moment (the experience after purchase, support included) and the ultimate moment (the customer shares their experience publicly).</p>`,
        },
        ...(greekMot ? [{ lang: 'el' as const, title: 'Τι είναι μια στιγμή αλήθειας;', body: greekMot }] : []),
        ...(arabicMot ? [{ lang: 'ar' as const, title: 'ما هي لحظة الحقيقة؟', body: arabicMot }] : []),
      ],
    },
    {
      category: 'thermostat',
      versions: [
        {
          lang: 'en',
          title: 'Heat pump compatibility (draft)',
          body: '<p>Work in progress: which heat pumps Aurora Plus supports.</p>',
          status: 'draft',
        },
      ],
    },
  ];
}

/** Creates the demo categories and articles; returns how many language versions were written. */
export async function seedKnowledgeBase(ctx: WorkspaceContext, now: Date): Promise<number> {
  const categoryIds = new Map<string, string>();
  for (const [position, c] of CATEGORIES.entries()) {
    categoryIds.set(c.key, (await createCategory(ctx, { key: c.key, names: c.names, position })).id);
  }
  let written = 0;
  for (const [i, article] of articles().entries()) {
    let first: string | undefined;
    for (const v of article.versions) {
      const created = await createArticle(ctx, {
        title: v.title,
        body: v.body,
        lang: v.lang,
        status: v.status ?? 'published',
        categoryId: categoryIds.get(article.category) ?? null,
        ...(first ? { translationOf: first } : {}),
        at: new Date(now.getTime() - (30 - i) * 86_400_000),
      });
      first ??= created.id;
      written += 1;
    }
  }
  return written;
}
