// The application form, one per page that shows it (Add Application, an application's page): the draft, the shared
// registration rules as Naive UI rules, main's refusals on the fields they name, the Resources rows, and submitting.
// The page creates it and provides it; the form's components inject it. It knows no route and no store, only options.
import { computed, inject, provide, ref, shallowRef, watch, type InjectionKey } from 'vue';
import type { FormInst, FormItemRule, FormRules } from 'naive-ui';
import { describeChanges, diffApp, hasChanges, type AppChanges, type AppEdit } from '../../../shared/changes';
import type { AppError, Issue } from '../../../shared/errors';
import type { Catalogue, ExternalClient, ScopeRequest } from '../../../shared/model';
import {
  checkName,
  checkRedirectUri,
  checkScopeSet,
  checkScopes,
  hasUserScopes,
  normalizeDraft,
  scopeTypeAllows,
  uniqueScopes,
  type NormalizedDraft,
  type Verdict,
} from '../../../shared/rules';
import type { Registration } from '../stores/applications';
import { useAction } from '../useAction';

/** One row of the form's Resources table: the scopes of one resource, by how they are used. */
export interface ResourceGrant {
  resource: string;
  userScopes: string[];
  applicationScopes: string[];
}

/** A row Remove took out, with where it stood: Undo puts it back there until the form is saved, added or discarded. */
export interface RemovedGrant {
  grant: ResourceGrant;
  index: number;
}

export type DraftField = 'name' | 'isConfidential' | 'redirectUri' | 'scopes';

export const DRAFT_FIELDS: readonly DraftField[] = ['name', 'isConfidential', 'redirectUri', 'scopes'];

function isDraftField(field: string | undefined): field is DraftField {
  return (DRAFT_FIELDS as readonly (string | undefined)[]).includes(field);
}

/** A refusal from main split into the problems a form field shows and the rest, which a message shows. */
export function issuesByField(error: AppError): { onFields: Issue[]; elsewhere: Issue[] } {
  const issues = error.issues ?? [];
  return {
    onFields: issues.filter((i) => isDraftField(i.field)),
    elsewhere: issues.filter((i) => !isDraftField(i.field)),
  };
}

/** The row of scopes this organisation's catalogue does not know (a set made from another one's catalogue). */
export const NOT_IN_CATALOGUE = 'Not in this organisation’s catalogue';

/** The Resources rows of a list of scopes: each under the catalogue resource that grants it as its type asks. */
export function grantsOf(scopes: readonly ScopeRequest[], catalogue: Catalogue): ResourceGrant[] {
  const rows = new Map<string, ResourceGrant>();
  for (const scope of uniqueScopes(scopes)) {
    const resource =
      catalogue.find((r) => r.scopes.some((s) => s.name === scope.name && scopeTypeAllows(s.type, scope.type)))?.name ??
      catalogue.find((r) => r.scopes.some((s) => s.name === scope.name))?.name ??
      NOT_IN_CATALOGUE;
    const row = rows.get(resource) ?? { resource, userScopes: [], applicationScopes: [] };
    (scope.type === 'user' ? row.userScopes : row.applicationScopes).push(scope.name);
    rows.set(resource, row);
  }
  return [...rows.values()];
}

/**
 * registration: an application (name, type, resources, redirect URL). scopeSet: a scope set's editor, the same form
 * with a name and resources only; its scopes may be granted as either type, and one this organisation's catalogue
 * does not know is a warning, not an error, since a set is not tied to one organisation.
 */
export type ApplicationFormKind = 'registration' | 'scopeSet';

/** What the form needs from its page; given as functions so that the form stays free of stores and testable. */
export interface ApplicationFormOptions {
  /** registration when left out. */
  kind?: ApplicationFormKind;
  /** The tenant's resources and their scopes, which the scope rules check against. */
  catalogue: () => Catalogue;
  /**
   * The tenant's applications, for the duplicate-name warning (the one being edited is left out); for a scope set,
   * the other sets, whose names it must not take.
   */
  applications: () => readonly { id: string; name: string }[];
  /** Registers the application (Add Application). */
  register?: (request: NormalizedDraft) => Promise<Registration>;
  /** Applies a confirmed edit; answers the application as the server now has it (the edit page). */
  save?: (clientId: string, edit: AppEdit) => Promise<ExternalClient>;
  /** Shows a refusal that names no field of the form. */
  message: (text: string) => void;
}

const NO_VERDICT: Verdict = { errors: [], warnings: [] };

export function useApplicationForm(options: ApplicationFormOptions) {
  const name = ref('');
  // The portal preselects a confidential application.
  const isConfidential = ref(true);
  const redirectUri = ref('');
  const grants = ref<ResourceGrant[]>([]);
  /** Rows removed since the form was filled, latest last, each until its Undo. */
  const removedGrants = ref<RemovedGrant[]>([]);
  /** Problems main reported for the last attempt, per field; a field's are dropped once it changes. */
  const serverIssues = ref<Issue[]>([]);
  /** The application being edited, as the Identity Server last returned it; null in Add Application. */
  const editing = shallowRef<ExternalClient | null>(null);
  /** Whether the admin has submitted: from then on every field shows its verdict, not only those typed in. */
  const attempted = ref(false);
  /** True while the request is with main. */
  const busy = ref(false);
  /** The page's n-form, which shows each field's verdict. */
  const formRef = ref<FormInst | null>(null);

  // Apart from the request, so that typing a name does not count as the scopes changing.
  const scopes = computed<ScopeRequest[]>(() =>
    uniqueScopes(
      grants.value.flatMap((g) => [
        ...g.userScopes.map((s) => ({ name: s, type: 'user' as const })),
        ...g.applicationScopes.map((s) => ({ name: s, type: 'application' as const })),
      ]),
    ),
  );
  /** The draft as it is sent, and as the rules and the change preview read it. */
  const request = computed<NormalizedDraft>(() =>
    normalizeDraft({
      name: name.value,
      isConfidential: isConfidential.value,
      redirectUri: redirectUri.value,
      scopes: scopes.value,
    }),
  );
  const applicationScopes = computed(() => scopes.value.filter((s) => s.type === 'application').map((s) => s.name));
  const redirectRequired = computed(() => hasUserScopes(scopes.value));

  // An application being edited keeps its own name without a duplicate warning.
  const otherNames = computed(() => {
    const self = editing.value?.id;
    return options
      .applications()
      .filter((app) => app.id !== self)
      .map((app) => app.name);
  });

  const verdicts = computed<Record<DraftField, Verdict>>(() =>
    options.kind === 'scopeSet' ? scopeSetVerdicts() : registrationVerdicts(),
  );

  function scopeSetVerdicts(): Record<DraftField, Verdict> {
    const set = checkScopeSet({ name: name.value, description: '', scopes: scopes.value });
    const trimmed = name.value.trim().toLowerCase();
    const namesake = otherNames.value.find((n) => n.trim().toLowerCase() === trimmed);
    const nameErrors = set.errors.filter((e) => e.field === 'name');
    if (nameErrors.length === 0 && namesake !== undefined)
      nameErrors.push({ field: 'name', message: `A scope set named "${namesake}" already exists.` });
    // An empty set is the set rule's to refuse; the catalogue's only says which scopes it does not know.
    const unknown = scopes.value.length === 0 ? [] : checkScopes(scopes.value, options.catalogue(), true).errors;
    return {
      name: { errors: nameErrors, warnings: [] },
      isConfidential: NO_VERDICT,
      redirectUri: NO_VERDICT,
      scopes: { errors: set.errors.filter((e) => e.field === 'scopes'), warnings: unknown },
    };
  }

  function registrationVerdicts(): Record<DraftField, Verdict> {
    return {
      name: checkName(name.value, otherNames.value),
      isConfidential: NO_VERDICT,
      redirectUri: checkRedirectUri(request.value.redirectUri, {
        isConfidential: isConfidential.value,
        required: redirectRequired.value,
      }),
      scopes: checkScopes(scopes.value, options.catalogue(), isConfidential.value),
    };
  }

  /** The first message that refuses the field: the rules' verdict first, then what main said. */
  function errorOf(field: DraftField): string | null {
    return (
      verdicts.value[field].errors[0]?.message ?? serverIssues.value.find((i) => i.field === field)?.message ?? null
    );
  }

  function warningOf(field: DraftField): string | null {
    return verdicts.value[field].warnings[0]?.message ?? null;
  }

  /** Naive UI rules that ask the shared rules: an error blocks saving, a warning (level 'warning') does not. */
  function rulesOf(field: DraftField, trigger: string[]): FormItemRule[] {
    return [
      {
        key: field,
        trigger,
        validator: () => {
          const error = errorOf(field);
          return error ? new Error(error) : true;
        },
      },
      {
        key: field,
        trigger,
        level: 'warning',
        validator: () => {
          const warning = warningOf(field);
          return warning ? new Error(warning) : true;
        },
      },
    ];
  }

  // Checked as the admin types, never on blur: tabbing through an untouched field does not scold it ("Required" waits
  // for a submit attempt).
  const rules: FormRules = {
    name: rulesOf('name', ['input']),
    isConfidential: rulesOf('isConfidential', ['change']),
    redirectUri: rulesOf('redirectUri', ['input']),
    scopes: rulesOf('scopes', []),
  };
  // Naive UI's form reads field values by path; the rules themselves ask the verdicts.
  const model = computed(() => ({
    name: name.value,
    isConfidential: isConfidential.value,
    redirectUri: redirectUri.value,
    scopes: scopes.value,
  }));

  /**
   * Re-checks fields whose verdict depends on another field (scopes decide whether a redirect URL is required). A new
   * application's empty fields are not scolded before the admin submits; an edited application's fields are all in play.
   */
  function recheck(fields: DraftField[]): void {
    const due = fields.filter(
      (f) => attempted.value || editing.value !== null || (f === 'redirectUri' && redirectUri.value !== ''),
    );
    if (due.length === 0) return;
    void formRef.value?.validate(undefined, (rule) => due.some((f) => f === rule.key)).catch(() => undefined);
  }

  function forgetServerIssues(field: DraftField): void {
    if (serverIssues.value.some((i) => i.field === field))
      serverIssues.value = serverIssues.value.filter((i) => i.field !== field);
  }

  watch(scopes, () => recheck(['scopes', 'redirectUri']));
  watch(name, () => forgetServerIssues('name'));
  watch(redirectUri, () => forgetServerIssues('redirectUri'));

  /** Puts main's refusal on the form's fields it names (useAction's `fields`); answers those, the rest is a message. */
  function showOnFields(error: AppError): Issue[] {
    const { onFields } = issuesByField(error);
    if (onFields.length > 0) {
      serverIssues.value = onFields;
      recheck(onFields.map((i) => i.field as DraftField));
    }
    return onFields;
  }
  /** Submit's and save's refusals: on the fields they name, the rest as the page's message; one busy state for both. */
  const refusals = { fields: showOnFields, busy, notices: { error: options.message } };
  const registering = useAction(
    (draft: NormalizedDraft) => options.register?.(draft) ?? Promise.resolve(null),
    refusals,
  );
  const saving = useAction(async (current: ExternalClient) => {
    const { name: newName, redirectUri: newRedirectUri, scopes: newScopes } = request.value;
    const updated = await options.save?.(current.id, { name: newName, redirectUri: newRedirectUri, scopes: newScopes });
    if (updated) startEdit(updated);
    return updated ?? null;
  }, refusals);

  function grantOf(resource: string): ResourceGrant | null {
    return grants.value.find((g) => g.resource === resource) ?? null;
  }

  /** Adds the resource's row, or replaces it; a resource with no scope left leaves the table. */
  function saveGrant(grant: ResourceGrant): void {
    const index = grants.value.findIndex((g) => g.resource === grant.resource);
    if (grant.userScopes.length + grant.applicationScopes.length === 0)
      grants.value = grants.value.filter((g) => g.resource !== grant.resource);
    else if (index === -1) grants.value = [...grants.value, grant];
    else grants.value = grants.value.map((g, i) => (i === index ? grant : g));
    // Added again through the panel: the new scopes are the row now, and the removed ones are not offered back.
    removedGrants.value = removedGrants.value.filter((r) => r.grant.resource !== grant.resource);
    forgetServerIssues('scopes');
  }

  /** Takes the resource's row out; undoRemoveGrant puts it back until the form is saved, added or discarded. */
  function removeGrant(resource: string): void {
    const index = grants.value.findIndex((g) => g.resource === resource);
    const grant = grants.value[index];
    if (!grant) return;
    removedGrants.value = [...removedGrants.value, { grant, index }];
    grants.value = grants.value.filter((g) => g.resource !== resource);
    forgetServerIssues('scopes');
  }

  /** Puts a removed row back where it stood. */
  function undoRemoveGrant(resource: string): void {
    const removed = removedGrants.value.find((r) => r.grant.resource === resource);
    if (!removed) return;
    removedGrants.value = removedGrants.value.filter((r) => r !== removed);
    const at = Math.min(removed.index, grants.value.length);
    grants.value = [...grants.value.slice(0, at), removed.grant, ...grants.value.slice(at)];
    forgetServerIssues('scopes');
  }

  /** Switches the application type; a non-confidential application keeps no application scope. */
  function setConfidential(value: boolean): void {
    isConfidential.value = value;
    if (!value) {
      grants.value = grants.value.map((g) => ({ ...g, applicationScopes: [] })).filter((g) => g.userScopes.length > 0);
      // An Undo must not bring back what the type no longer allows.
      removedGrants.value = removedGrants.value
        .map((r) => ({ ...r, grant: { ...r.grant, applicationScopes: [] } }))
        .filter((r) => r.grant.userScopes.length > 0);
    }
    forgetServerIssues('isConfidential');
    forgetServerIssues('scopes');
    // The type decides which redirect URL schemes are allowed, even when no scope was dropped.
    recheck(['scopes', 'redirectUri']);
  }

  /** What saving the edited application changes (scopes per type, name, redirect URL); null in Add Application. */
  const changes = computed<AppChanges | null>(() =>
    editing.value
      ? diffApp(editing.value, {
          name: request.value.name,
          redirectUri: request.value.redirectUri,
          scopes: request.value.scopes,
        })
      : null,
  );
  const changed = computed(() => changes.value !== null && hasChanges(changes.value));
  const changeLines = computed(() => (changes.value ? describeChanges(changes.value) : []));

  function displayNameOf(resource: string): string {
    return options.catalogue().find((r) => r.name === resource)?.displayName ?? resource;
  }

  /**
   * What leaving now would lose, for the unsaved-changes guard: an edit in the words of the Save preview; a new
   * application's name and every resource with its scopes.
   */
  const unsavedLines = computed<string[]>(() => {
    if (editing.value) return changed.value ? changeLines.value : [];
    const { name: typed, redirectUri: url } = request.value;
    if (typed === '' && grants.value.length === 0) return [];
    const lines: string[] = [];
    if (typed !== '') lines.push(`Name: "${typed}"`);
    for (const grant of grants.value) {
      const parts = [
        grant.userScopes.length > 0 ? `user scopes ${grant.userScopes.join(', ')}` : '',
        grant.applicationScopes.length > 0 ? `application scopes ${grant.applicationScopes.join(', ')}` : '',
      ];
      lines.push(`${displayNameOf(grant.resource)}: ${parts.filter(Boolean).join('; ')}`);
    }
    if (url) lines.push(`Redirect URL: ${url}`);
    return lines;
  });

  function reset(): void {
    name.value = '';
    isConfidential.value = true;
    redirectUri.value = '';
    grants.value = [];
    removedGrants.value = [];
    serverIssues.value = [];
    editing.value = null;
    attempted.value = false;
  }

  /**
   * Puts these scopes in the Resources rows (Start from a scope set, a draft, a set being edited); a non-confidential
   * application takes only the user scopes.
   */
  function fillScopes(scopes: readonly ScopeRequest[]): void {
    const kept = isConfidential.value ? scopes : scopes.filter((s) => s.type === 'user');
    grants.value = grantsOf(kept, options.catalogue());
    removedGrants.value = [];
    forgetServerIssues('scopes');
  }

  /** Fills the form with an existing application, one Resources row per resource it has scopes of. */
  function startEdit(app: ExternalClient): void {
    reset();
    editing.value = app;
    name.value = app.name;
    isConfidential.value = app.isConfidential;
    redirectUri.value = app.redirectUri ?? '';
    grants.value = app.resources
      .map((r) => ({
        resource: r.name,
        userScopes: r.scopes.filter((s) => s.type === 'user').map((s) => s.name),
        applicationScopes: r.scopes.filter((s) => s.type === 'application').map((s) => s.name),
      }))
      .filter((g) => g.userScopes.length + g.applicationScopes.length > 0);
  }

  /** Puts the form back as the server last gave it (or empty), without the fields' feedback. */
  function discard(): void {
    if (editing.value) startEdit(editing.value);
    else reset();
    formRef.value?.restoreValidation();
  }

  /** Checks every field and shows each one's verdict; the answer is the rules', so it holds without a rendered form. */
  async function validate(): Promise<boolean> {
    attempted.value = true;
    const valid = DRAFT_FIELDS.every((field) => errorOf(field) === null);
    await formRef.value?.validate().catch(() => undefined);
    return valid;
  }

  /** Add Application: the rules first, then main; a refusal lands on its fields. Null when nothing was registered. */
  async function submit(): Promise<Registration | null> {
    if (!(await validate()) || !options.register) return null;
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

  return {
    /** What the form edits: an application, or a scope set. */
    kind: options.kind ?? 'registration',
    formRef,
    model,
    rules,
    name,
    isConfidential,
    redirectUri,
    grants,
    removedGrants,
    serverIssues,
    editing,
    attempted,
    busy,
    request,
    scopes,
    applicationScopes,
    redirectRequired,
    verdicts,
    changes,
    changed,
    changeLines,
    unsavedLines,
    errorOf,
    warningOf,
    recheck,
    forgetServerIssues,
    showOnFields,
    grantOf,
    saveGrant,
    removeGrant,
    undoRemoveGrant,
    setConfidential,
    reset,
    startEdit,
    fillScopes,
    discard,
    validate,
    submit,
    save,
  };
}

export type ApplicationForm = ReturnType<typeof useApplicationForm>;

export const applicationFormKey: InjectionKey<ApplicationForm> = Symbol('applicationForm');

export function provideApplicationForm(form: ApplicationForm): void {
  provide(applicationFormKey, form);
}

/** The form of the page this component sits in; a component of the form used outside one is a programming error. */
export function injectApplicationForm(): ApplicationForm {
  const form = inject(applicationFormKey, null);
  if (!form) throw new Error('The application form is not provided: the page must call provideApplicationForm.');
  return form;
}
