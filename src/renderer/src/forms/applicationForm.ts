// The application form, one per page that shows it (Add Application, an application's page): the application's
// fields, the shared registration rules as Naive UI rules, main's refusals on the fields they name, the Resources rows
// (resourceGrants.ts), and submitting. The page creates it and provides it; the form's components inject it. It knows
// no route and no store, only options.
import { computed, ref, shallowRef, watch } from 'vue';
import { provided } from './provided';
import { describeChanges, diffApp, hasChanges, type AppChanges, type AppEdit } from '../../../shared/changes';
import type { Catalogue, ExternalClient } from '../../../shared/model';
import {
  checkName,
  checkRedirectUri,
  hasUserScopes,
  normalizeDraft,
  type NormalizedDraft,
  type Verdict,
} from '../../../shared/rules';
import type { Registration } from '../stores/applications';
import { useAction } from '../useAction';
import { NO_VERDICT, useFieldVerdicts } from './fieldVerdicts';
import { provideResourceGrants, useResourceGrants } from './resourceGrants';

/** The application as the form sends it: trimmed, an empty redirect URL as none, each scope once. */
export type RegistrationRequest = NormalizedDraft;

export type ApplicationField = 'name' | 'isConfidential' | 'redirectUri' | 'scopes';

export const APPLICATION_FIELDS: readonly ApplicationField[] = ['name', 'isConfidential', 'redirectUri', 'scopes'];

/** Checked as the admin types, never on blur: tabbing through an untouched field does not scold it. */
const TRIGGERS: Record<ApplicationField, string[]> = {
  name: ['input'],
  isConfidential: ['change'],
  redirectUri: ['input'],
  scopes: [],
};

/** What the form needs from its page; given as functions so that the form stays free of stores and testable. */
export interface ApplicationFormOptions {
  /** The organisation's resources and their scopes, which the scope rules check against. */
  catalogue: () => Catalogue;
  /** The organisation's applications, for the duplicate-name warning (the one being edited is left out). */
  applications: () => readonly { id: string; name: string }[];
  /** Registers the application (Add Application). */
  register?: (request: RegistrationRequest) => Promise<Registration>;
  /** Applies a confirmed edit; answers the application as the server now has it (the edit page). */
  save?: (clientId: string, edit: AppEdit) => Promise<ExternalClient>;
  /** Shows a refusal that names no field of the form. */
  message: (text: string) => void;
}

/** The application's fields and Resources rows, with the registration rules' verdict of each field. */
function useApplicationFields(options: ApplicationFormOptions) {
  const name = ref('');
  // The portal preselects a confidential application.
  const isConfidential = ref(true);
  const redirectUri = ref('');
  /** The application being edited, as the Identity Server last returned it; null in Add Application. */
  const editing = shallowRef<ExternalClient | null>(null);
  const resources = useResourceGrants({
    catalogue: options.catalogue,
    allowsApplicationScopes: () => isConfidential.value,
    onEdit: () => feedback.forgetServerIssues('scopes'),
  });
  const { scopes } = resources;
  /** The application as it is sent, and as the rules and the change preview read it. */
  const request = computed<RegistrationRequest>(() =>
    normalizeDraft({
      name: name.value,
      isConfidential: isConfidential.value,
      redirectUri: redirectUri.value,
      scopes: scopes.value,
    }),
  );
  const redirectRequired = computed(() => hasUserScopes(scopes.value));
  // An application being edited keeps its own name without a duplicate warning.
  const otherNames = computed(() =>
    options
      .applications()
      .filter((app) => app.id !== editing.value?.id)
      .map((app) => app.name),
  );
  const verdicts = computed<Record<ApplicationField, Verdict>>(() => ({
    name: checkName(name.value, otherNames.value),
    isConfidential: NO_VERDICT,
    redirectUri: checkRedirectUri(request.value.redirectUri, {
      isConfidential: isConfidential.value,
      required: redirectRequired.value,
    }),
    scopes: resources.verdict(isConfidential.value),
  }));
  const feedback = useFieldVerdicts({
    fields: APPLICATION_FIELDS,
    verdicts: () => verdicts.value,
    triggers: TRIGGERS,
    // A new application's empty fields wait for a submit; an edited application's fields are all in play.
    shownEarly: (field) => editing.value !== null || (field === 'redirectUri' && redirectUri.value !== ''),
  });
  // Naive UI's form reads field values by path; the rules themselves ask the verdicts.
  const model = computed(() => ({
    name: name.value,
    isConfidential: isConfidential.value,
    redirectUri: redirectUri.value,
    scopes: scopes.value,
  }));

  // Scopes decide whether a redirect URL is required.
  watch(scopes, () => feedback.recheck(['scopes', 'redirectUri']));
  watch(name, () => feedback.forgetServerIssues('name'));
  watch(redirectUri, () => feedback.forgetServerIssues('redirectUri'));

  return {
    name,
    isConfidential,
    redirectUri,
    editing,
    resources,
    request,
    redirectRequired,
    verdicts,
    model,
    feedback,
  };
}

type ApplicationFields = ReturnType<typeof useApplicationFields>;

/** Switching the type, emptying the form, and the application being edited with what saving it changes. */
function useApplicationEdit(fields: ApplicationFields) {
  const { name, isConfidential, redirectUri, editing, resources, request, feedback } = fields;

  /** Switches the application type; a non-confidential application keeps no application scope. */
  function setConfidential(value: boolean): void {
    isConfidential.value = value;
    if (!value) resources.dropApplicationScopes();
    feedback.forgetServerIssues('isConfidential');
    feedback.forgetServerIssues('scopes');
    // The type decides which redirect URL schemes are allowed, even when no scope was dropped.
    feedback.recheck(['scopes', 'redirectUri']);
  }

  function reset(): void {
    name.value = '';
    isConfidential.value = true;
    redirectUri.value = '';
    resources.clear();
    feedback.resetFeedback();
    editing.value = null;
  }

  /** Fills the form with an existing application, one Resources row per resource it has scopes of. */
  function startEdit(app: ExternalClient): void {
    reset();
    editing.value = app;
    name.value = app.name;
    isConfidential.value = app.isConfidential;
    redirectUri.value = app.redirectUri ?? '';
    resources.fillFromApp(app);
  }

  /** Puts the form back as the server last gave it (or empty), without the fields' feedback. */
  function discard(): void {
    if (editing.value) startEdit(editing.value);
    else reset();
    feedback.formRef.value?.restoreValidation();
  }

  /** What saving the edited application changes (scopes per type, name, redirect URL); null in Add Application. */
  const changes = computed<AppChanges | null>(() => {
    const { name: newName, redirectUri: newRedirectUri, scopes } = request.value;
    return editing.value ? diffApp(editing.value, { name: newName, redirectUri: newRedirectUri, scopes }) : null;
  });
  const changed = computed(() => changes.value !== null && hasChanges(changes.value));
  const changeLines = computed(() => (changes.value ? describeChanges(changes.value) : []));

  /**
   * What leaving now would lose, for the unsaved-changes guard: an edit in the words of the Save preview; a new
   * application's name and every resource with its scopes.
   */
  const unsavedLines = computed<string[]>(() => {
    if (editing.value) return changed.value ? changeLines.value : [];
    const { name: typed, redirectUri: url } = request.value;
    if (typed === '' && resources.grants.value.length === 0) return [];
    return [
      ...(typed !== '' ? [`Name: "${typed}"`] : []),
      ...resources.lines.value,
      ...(url ? [`Redirect URL: ${url}`] : []),
    ];
  });

  return { setConfidential, reset, startEdit, discard, changes, changed, changeLines, unsavedLines };
}

export function useApplicationForm(options: ApplicationFormOptions) {
  const fields = useApplicationFields(options);
  const { editing, resources, request, feedback } = fields;
  const edit = useApplicationEdit(fields);
  /** True while the request is with main. */
  const busy = ref(false);

  /** Submit's and save's refusals: on the fields they name, the rest as the page's message; one busy state for both. */
  const refusals = { fields: feedback.showOnFields, busy, notices: { error: options.message } };
  const registering = useAction(
    (registration: RegistrationRequest) => options.register?.(registration) ?? Promise.resolve(null),
    refusals,
  );
  const saving = useAction(async (current: ExternalClient) => {
    const { name, redirectUri, scopes } = request.value;
    const updated = await options.save?.(current.id, { name, redirectUri, scopes });
    if (updated) edit.startEdit(updated);
    return updated ?? null;
  }, refusals);

  /** Add Application: the rules first, then main; a refusal lands on its fields. Null when nothing was registered. */
  async function submit(): Promise<Registration | null> {
    if (!(await feedback.validate()) || !options.register) return null;
    return (await registering.run(request.value)) ?? null;
  }

  /**
   * The edit page's second step, once the admin confirmed the preview (validate() came before it): applies the edit
   * and takes the application as the server now has it. Null when nothing was saved.
   */
  async function save(): Promise<ExternalClient | null> {
    const current = editing.value;
    if (!current || !options.save) return null;
    return (await saving.run(current)) ?? null;
  }

  const { grants, removedGrants, scopes, applicationScopes, grantOf, saveGrant, removeGrant, undoRemoveGrant } =
    resources;
  return {
    ...fields,
    ...feedback,
    ...edit,
    busy,
    grants,
    removedGrants,
    scopes,
    applicationScopes,
    grantOf,
    saveGrant,
    removeGrant,
    undoRemoveGrant,
    fillScopes: resources.fillScopes,
    submit,
    save,
  };
}

export type ApplicationForm = ReturnType<typeof useApplicationForm>;

const applicationForm = provided<ApplicationForm>('provideApplicationForm');

/** Gives the page's parts the form, and the Resources table and Edit Resource panel its rows. */
export function provideApplicationForm(form: ApplicationForm): void {
  applicationForm.provide(form);
  provideResourceGrants(form.resources);
}

/** The form of the page this component sits in; a component of the form used outside one is a programming error. */
export const injectApplicationForm = applicationForm.inject;
