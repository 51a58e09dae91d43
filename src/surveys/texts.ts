// What the customer reads: the invitation e-mail and the answer page's own words, in English,
// Greek and Arabic.
import { localise, questionText, type SurveyDefinition, type SurveyLocale } from '../domain/surveys.ts';

export const PAGE_STRINGS: Record<SurveyLocale, Record<string, string>> = {
  en: {
    title: 'Your opinion', send: 'Send', publish: 'You may publish my comment', thanks: 'Thank you for your answer.',
    expired: 'This survey link has expired.', answered: 'This survey has already been answered.',
    invalid: 'This survey link is not valid.', required: 'Please choose an answer.', error: 'Your answer could not be saved.',
    choose: 'Choose one',
  },
  el: {
    title: 'Η γνώμη σας', send: 'Αποστολή', publish: 'Επιτρέπω τη δημοσίευση του σχολίου μου',
    thanks: 'Σας ευχαριστούμε για την απάντησή σας.', expired: 'Ο σύνδεσμος της έρευνας έχει λήξει.',
    answered: 'Σε αυτή την έρευνα έχει ήδη δοθεί απάντηση.', invalid: 'Ο σύνδεσμος της έρευνας δεν είναι έγκυρος.',
    required: 'Παρακαλούμε επιλέξτε μια απάντηση.', error: 'Η απάντησή σας δεν αποθηκεύτηκε.', choose: 'Επιλέξτε ένα',
  },
  ar: {
    title: 'رأيك', send: 'إرسال', publish: 'أوافق على نشر تعليقي', thanks: 'شكرًا على إجابتك.',
    expired: 'انتهت صلاحية رابط الاستطلاع هذا.', answered: 'تمت الإجابة على هذا الاستطلاع بالفعل.',
    invalid: 'رابط الاستطلاع هذا غير صالح.', required: 'يُرجى اختيار إجابة.', error: 'تعذّر حفظ إجابتك.', choose: 'اختر واحدًا',
  },
};

const EMAIL: Record<SurveyLocale, { subject: string; hello: (name: string | null) => string; ask: string; answer: string; once: (date: string) => string; thanks: (ws: string) => string }> = {
  en: {
    subject: 'A quick question about your experience',
    hello: (n) => (n ? `Hello ${n},` : 'Hello,'),
    ask: 'Your answer takes a few seconds and helps us improve:',
    answer: 'Answer the survey',
    once: (d) => `The link works once and expires on ${d}.`,
    thanks: (ws) => `Thank you,\n${ws}`,
  },
  el: {
    subject: 'Μια σύντομη ερώτηση για την εμπειρία σας',
    hello: (n) => (n ? `Γεια σας ${n},` : 'Γεια σας,'),
    ask: 'Η απάντησή σας παίρνει λίγα δευτερόλεπτα και μας βοηθά να βελτιωθούμε:',
    answer: 'Απαντήστε στην έρευνα',
    once: (d) => `Ο σύνδεσμος λειτουργεί μία φορά και λήγει στις ${d}.`,
    thanks: (ws) => `Σας ευχαριστούμε,\n${ws}`,
  },
  ar: {
    subject: 'سؤال سريع عن تجربتك',
    hello: (n) => (n ? `مرحبًا ${n}،` : 'مرحبًا،'),
    ask: 'تستغرق إجابتك بضع ثوانٍ وتساعدنا على التحسن:',
    answer: 'أجب عن الاستطلاع',
    once: (d) => `يعمل الرابط مرة واحدة وتنتهي صلاحيته في ${d}.`,
    thanks: (ws) => `شكرًا لك،\n${ws}`,
  },
};

const DATE_LOCALE: Record<SurveyLocale, string> = { en: 'en-GB', el: 'el-GR', ar: 'ar' };

const escapeHtml = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The invitation e-mail in the customer's language: plain text, and an HTML body (paragraphs
 * and the link as a button-like anchor) that the outbound mail path lays out right-to-left for
 * Arabic.
 */
export function emailForInvitation(
  locale: SurveyLocale,
  v: { name: string | null; workspace: string; link: string; expires: Date; survey: SurveyDefinition },
): { subject: string; text: string; html: string } {
  const t = EMAIL[locale];
  const question = v.survey.type === 'custom' ? localise(v.survey.questions[0]?.text ?? {}, locale) : questionText(v.survey, locale);
  const date = v.expires.toLocaleDateString(DATE_LOCALE[locale], { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const p = (text: string) => `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
  return {
    subject: t.subject,
    text: [t.hello(v.name), '', question, t.ask, v.link, '', t.once(date), '', t.thanks(v.workspace), ''].join('\n'),
    html: [
      p(t.hello(v.name)),
      `<p><strong>${escapeHtml(question)}</strong></p>`,
      p(t.ask),
      `<p><a href="${escapeHtml(v.link)}">${escapeHtml(t.answer)}</a></p>`,
      p(t.once(date)),
      p(t.thanks(v.workspace)),
    ].join(''),
  };
}
