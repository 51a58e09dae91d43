// The apology templates every new workspace starts with: a late answer, an outage, and a
// problem on the customer's side (said without blame). Greek and Arabic are written as a
// native agent would write them, not translated word for word.
import type { ApologyKind, CannedLocale } from '../domain/canned.ts';

export interface ApologyTemplate {
  name: string;
  apologyFor: ApologyKind;
  bodies: Record<CannedLocale, string>;
}

export const APOLOGY_TEMPLATES: readonly ApologyTemplate[] = [
  {
    name: 'Apology: late answer',
    apologyFor: 'late_answer',
    bodies: {
      en:
        'Hello {{customer.name}},\n\n' +
        'I am sorry that it took us longer than it should have to answer you about ticket #{{ticket.number}}. ' +
        'You deserved a quicker reply. I have taken on your request myself and will stay with it until it is resolved.\n\n' +
        'Kind regards,\n{{agent.name}}',
      el:
        'Γεια σας {{customer.name}},\n\n' +
        'Σας ζητώ συγγνώμη που αργήσαμε να σας απαντήσουμε για το αίτημα #{{ticket.number}}. ' +
        'Θα έπρεπε να είχατε λάβει απάντηση πολύ νωρίτερα. Ανέλαβα προσωπικά το αίτημά σας και θα το παρακολουθώ μέχρι να επιλυθεί.\n\n' +
        'Με εκτίμηση,\n{{agent.name}}',
      ar:
        'مرحباً {{customer.name}}،\n\n' +
        'نعتذر إليك عن تأخرنا في الرد على طلبك رقم #{{ticket.number}}، فقد كان من حقك أن تحصل على رد أسرع. ' +
        'لقد توليت متابعة طلبك بنفسي، وسأبقى معك حتى يتم حله.\n\n' +
        'مع خالص التحية،\n{{agent.name}}',
    },
  },
  {
    name: 'Apology: service outage',
    apologyFor: 'outage',
    bodies: {
      en:
        'Hello {{customer.name}},\n\n' +
        'I am sorry for the disruption you experienced. A fault on our side interrupted the service; it has now been fixed and everything works normally again. ' +
        'We are looking into what happened so that it does not happen again. Thank you for your patience.\n\n' +
        'Kind regards,\n{{agent.name}}',
      el:
        'Γεια σας {{customer.name}},\n\n' +
        'Λυπούμαστε ειλικρινά για την ταλαιπωρία που σας προκάλεσε η διακοπή της υπηρεσίας. ' +
        'Το πρόβλημα οφειλόταν σε βλάβη από τη δική μας πλευρά· έχει πλέον αποκατασταθεί και όλα λειτουργούν κανονικά. ' +
        'Εξετάζουμε τι συνέβη, ώστε να μην επαναληφθεί. Σας ευχαριστούμε για την υπομονή σας.\n\n' +
        'Με εκτίμηση,\n{{agent.name}}',
      ar:
        'مرحباً {{customer.name}}،\n\n' +
        'نأسف بشدة للإزعاج الذي سببه لك انقطاع الخدمة. كان الخلل من جهتنا، وقد تم إصلاحه الآن وعادت الخدمة إلى العمل بشكل طبيعي. ' +
        'نحن نراجع ما حدث حتى لا يتكرر. شكراً لصبرك وتفهمك.\n\n' +
        'مع خالص التحية،\n{{agent.name}}',
    },
  },
  {
    name: 'Apology: problem on the customer side',
    apologyFor: 'customer_caused',
    bodies: {
      en:
        'Hello {{customer.name}},\n\n' +
        'Thank you for your patience with ticket #{{ticket.number}}. We found that the problem comes from a setting on your side. ' +
        'This happens easily and takes only a few steps to fix, which you will find below. ' +
        'I am sorry for the trouble, and I am here if anything is unclear.\n\n' +
        'Kind regards,\n{{agent.name}}',
      el:
        'Γεια σας {{customer.name}},\n\n' +
        'Σας ευχαριστούμε για την υπομονή σας σχετικά με το αίτημα #{{ticket.number}}. ' +
        'Διαπιστώσαμε ότι το πρόβλημα προέρχεται από μια ρύθμιση στη δική σας πλευρά· συμβαίνει συχνά και διορθώνεται με λίγα βήματα, τα οποία θα βρείτε παρακάτω. ' +
        'Λυπούμαστε για την ταλαιπωρία και είμαστε στη διάθεσή σας για οτιδήποτε χρειαστείτε.\n\n' +
        'Με εκτίμηση,\n{{agent.name}}',
      ar:
        'مرحباً {{customer.name}}،\n\n' +
        'شكراً لصبرك بخصوص طلبك رقم #{{ticket.number}}. تبيّن لنا أن المشكلة ناتجة عن أحد الإعدادات لديك، ' +
        'وهذا أمر يحدث كثيراً ويمكن إصلاحه بخطوات بسيطة تجدها أدناه. ' +
        'نأسف للإزعاج، ونحن في خدمتك إن احتجت إلى أي مساعدة.\n\n' +
        'مع خالص التحية،\n{{agent.name}}',
    },
  },
];
