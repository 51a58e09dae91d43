// Canned responses as pure functions: which variables a template uses, whether they are all
// known, which language version suits a customer, and the rendered text.

export const TEMPLATE_VARIABLES = [
  'customer.name',
  'customer.email',
  'ticket.id',
  'ticket.number',
  'ticket.subject',
  'agent.name',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export const CANNED_LOCALES = ['en', 'el', 'ar'] as const;
export type CannedLocale = (typeof CANNED_LOCALES)[number];

export const APOLOGY_KINDS = ['late_answer', 'outage', 'customer_caused'] as const;
export type ApologyKind = (typeof APOLOGY_KINDS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variable names a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** What is wrong with a template: unknown variables and braces that open a placeholder but never close it. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const name of templateVariables(template)) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      problems.push(`unknown variable {{${name}}} (known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')})`);
    }
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('a "{{" or "}}" is not part of a {{variable}}');
  return problems;
}

/** The version for a customer: their language, else English, else the first there is. */
export function pickLocale(available: readonly string[], preferred: string | null | undefined): CannedLocale | null {
  const has = (l: string) => available.includes(l);
  if (preferred && has(preferred)) return preferred as CannedLocale;
  if (has('en')) return 'en';
  return (CANNED_LOCALES.find(has) ?? null) as CannedLocale | null;
}

export type TemplateValues = Partial<Record<TemplateVariable, string | number | null>>;

/**
 * Fills the placeholders. A value that is missing (a customer without a name) renders as
 * nothing, with the space before a following comma removed ("Hello ," → "Hello,"); the names
 * of such variables are returned so the agent can see what to fill in by hand.
 */
export function renderTemplate(template: string, values: TemplateValues): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template
    .replace(PLACEHOLDER, (_all, raw: string) => {
      const value = values[raw as TemplateVariable];
      if (value === undefined || value === null || value === '') {
        if (!missing.includes(raw)) missing.push(raw);
        return '';
      }
      return String(value);
    })
    .replace(/[ \t]+([,،])/g, '$1');
  return { text, missing };
}
