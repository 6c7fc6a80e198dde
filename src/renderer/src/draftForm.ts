// The application form's link between Naive UI's form and the shared rules, for Add Application and the Edit page:
// each field's rule asks the draft store, and the problems main reports land on the field they name.
import type { FormItemRule, FormRules } from 'naive-ui';
import type { AppError, Issue } from '../../shared/errors';
import type { DraftField } from './stores/registrationDraft';

export const DRAFT_FIELDS: readonly DraftField[] = ['name', 'isConfidential', 'redirectUri', 'scopes'];

interface DraftVerdicts {
  errorOf(field: DraftField): string | null;
  warningOf(field: DraftField): string | null;
}

/** Naive UI rules that ask the shared rules: an error blocks saving, a warning (level 'warning') does not. */
function rulesOf(draft: DraftVerdicts, field: DraftField, trigger: string[]): FormItemRule[] {
  return [
    {
      key: field,
      trigger,
      validator: () => {
        const error = draft.errorOf(field);
        return error ? new Error(error) : true;
      },
    },
    {
      key: field,
      trigger,
      level: 'warning',
      validator: () => {
        const warning = draft.warningOf(field);
        return warning ? new Error(warning) : true;
      },
    },
  ];
}

export function draftFormRules(draft: DraftVerdicts): FormRules {
  return {
    name: rulesOf(draft, 'name', ['input', 'blur']),
    isConfidential: rulesOf(draft, 'isConfidential', ['change']),
    redirectUri: rulesOf(draft, 'redirectUri', ['input', 'blur']),
    scopes: rulesOf(draft, 'scopes', []),
  };
}

/** A refusal from main split into the problems a form field shows and the rest, which a message shows. */
export function issuesByField(error: AppError): { onFields: Issue[]; elsewhere: Issue[] } {
  const issues = error.issues ?? [];
  return {
    onFields: issues.filter((i) => DRAFT_FIELDS.includes(i.field as DraftField)),
    elsewhere: issues.filter((i) => !DRAFT_FIELDS.includes(i.field as DraftField)),
  };
}

/**
 * Shows a refusal from main where the admin looks: issues about a form field on that field (through the draft's
 * `serverIssues` and a re-check), anything else in a message.
 */
export function showRefusal(
  error: AppError,
  form: { setServerIssues(issues: Issue[]): void; recheck(fields: DraftField[]): void; message(text: string): void },
): void {
  const { onFields, elsewhere } = issuesByField(error);
  if (onFields.length > 0) {
    form.setServerIssues(onFields);
    form.recheck(onFields.map((i) => i.field as DraftField));
  }
  if (onFields.length === 0 || elsewhere.length > 0)
    form.message(elsewhere.length > 0 ? elsewhere.map((i) => i.message).join(' ') : error.message);
}
