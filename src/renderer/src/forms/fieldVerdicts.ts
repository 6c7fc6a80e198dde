// What a form shows on its fields, whatever it edits (an application, a scope set): the rules' verdict of each field
// as Naive UI rules (an error blocks, a warning does not), then main's refusals on the fields they name, each dropped
// once its field changes, and the re-checks of fields whose verdict depends on another field.
import { ref } from 'vue';
import type { FormInst, FormItemRule, FormRules } from 'naive-ui';
import type { AppError, Issue } from '../../../shared/errors';
import type { Verdict } from '../../../shared/rules';

export const NO_VERDICT: Verdict = { errors: [], warnings: [] };

export interface FieldVerdictsOptions<F extends string> {
  /** The form's fields, by the names main's refusals use. */
  fields: readonly F[];
  /** Each field's verdict now, by the shared rules. */
  verdicts: () => Record<F, Verdict>;
  /** Each field's Naive UI triggers: checked as the admin types, never on blur ("Required" waits for a submit). */
  triggers: Record<F, string[]>;
  /** Whether a field's verdict is shown before the admin submits (an edited application's fields all are). */
  shownEarly?: (field: F) => boolean;
}

/** Naive UI rules that ask the verdicts: an error blocks saving, a warning (level 'warning') does not. */
function rulesOf<F extends string>(
  fields: readonly F[],
  triggers: Record<F, string[]>,
  errorOf: (field: F) => string | null,
  warningOf: (field: F) => string | null,
): FormRules {
  const ruleOf = (field: F, messageOf: (field: F) => string | null): FormItemRule => ({
    key: field,
    trigger: triggers[field],
    validator: () => {
      const message = messageOf(field);
      return message ? new Error(message) : true;
    },
  });
  // Naive UI's form reads field values by path; the rules themselves ask the verdicts.
  return Object.fromEntries(
    fields.map((f) => [f, [ruleOf(f, errorOf), { ...ruleOf(f, warningOf), level: 'warning' }]]),
  );
}

export function useFieldVerdicts<F extends string>(options: FieldVerdictsOptions<F>) {
  /** Problems main reported for the last attempt, per field; a field's are dropped once it changes. */
  const serverIssues = ref<Issue[]>([]);
  /** Whether the admin has submitted: from then on every field shows its verdict, not only those typed in. */
  const attempted = ref(false);
  /** The page's n-form, which shows each field's verdict. */
  const formRef = ref<FormInst | null>(null);

  /** The first message that refuses the field: the rules' verdict first, then what main said. */
  function errorOf(field: F): string | null {
    const verdict = options.verdicts()[field];
    return verdict.errors[0]?.message ?? serverIssues.value.find((i) => i.field === field)?.message ?? null;
  }

  function warningOf(field: F): string | null {
    return options.verdicts()[field].warnings[0]?.message ?? null;
  }

  const rules = rulesOf(options.fields, options.triggers, errorOf, warningOf);

  /** Shows again the verdicts of fields that depend on another one; before a submit, only those shown early. */
  function recheck(fields: F[]): void {
    const due = fields.filter((f) => attempted.value || (options.shownEarly?.(f) ?? false));
    if (due.length === 0) return;
    void formRef.value?.validate(undefined, (rule) => due.some((f) => f === rule.key)).catch(() => undefined);
  }

  function forgetServerIssues(field: F): void {
    if (serverIssues.value.some((i) => i.field === field))
      serverIssues.value = serverIssues.value.filter((i) => i.field !== field);
  }

  /** Puts main's refusal on the form's fields it names (useAction's `fields`); answers those, the rest is a message. */
  function showOnFields(error: AppError): Issue[] {
    const onFields = (error.issues ?? []).filter((i) => (options.fields as readonly string[]).includes(i.field));
    if (onFields.length > 0) {
      serverIssues.value = onFields;
      recheck(onFields.map((i) => i.field as F));
    }
    return onFields;
  }

  /** Checks every field and shows each one's verdict; the answer is the rules', so it holds without a rendered form. */
  async function validate(): Promise<boolean> {
    attempted.value = true;
    const valid = options.fields.every((field) => errorOf(field) === null);
    await formRef.value?.validate().catch(() => undefined);
    return valid;
  }

  /** The form as new: no verdict shown, nothing from main. */
  function resetFeedback(): void {
    serverIssues.value = [];
    attempted.value = false;
  }

  return {
    formRef,
    rules,
    serverIssues,
    attempted,
    errorOf,
    warningOf,
    recheck,
    forgetServerIssues,
    showOnFields,
    validate,
    resetFeedback,
  };
}
