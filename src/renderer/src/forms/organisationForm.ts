// The Add Organisation form: the fields, the shared rules (the contract's too) as Naive UI rules, main's
// refusals on the fields they name (as the application form does), and the request it sends. No store, only options.
import { computed, reactive, ref, watch } from 'vue';
import type { FormInst, FormItemRule, FormRules } from 'naive-ui';
import type { AppError, Issue } from '../../../shared/errors';
import { checkBaseUrl, checkOrganisation, optionalText } from '../../../shared/rules';
import type { NewOrganisation } from '../stores/organisation';
import { useAction, type Notices } from '../useAction';

export type OrganisationField =
  'baseUrl' | 'orgName' | 'displayName' | 'id' | 'method' | 'clientId' | 'clientSecret' | 'partitionGlobalId';

const FIELDS: readonly OrganisationField[] = [
  'baseUrl',
  'orgName',
  'displayName',
  'id',
  'method',
  'clientId',
  'clientSecret',
  'partitionGlobalId',
];

/** The contract names the sign-in's fields under `signIn`; the form has them at its top level. */
export function formFieldOf(field: string | undefined): OrganisationField | null {
  const name = field === 'signIn' || field === 'signIn.method' ? 'method' : field?.replace(/^signIn\./, '');
  return (FIELDS as readonly (string | undefined)[]).includes(name) ? (name as OrganisationField) : null;
}

type OrganisationModel = Record<Exclude<OrganisationField, 'method'>, string> & { method: string };

/** A new organisation: on UiPath's cloud, signed in with an admin application. */
const EMPTY: OrganisationModel = {
  baseUrl: 'https://cloud.uipath.com',
  orgName: '',
  displayName: '',
  id: '',
  method: 'adminApp',
  clientId: '',
  clientSecret: '',
  partitionGlobalId: '',
};

/** The organisation as it is sent: trimmed, the base URL as the shared rule writes it, the sign-in by its method. */
function requestOf(model: OrganisationModel): NewOrganisation {
  return {
    id: model.id.trim(),
    displayName: model.displayName.trim(),
    baseUrl: checkBaseUrl(model.baseUrl).normalized ?? model.baseUrl.trim(),
    orgName: model.orgName.trim(),
    partitionGlobalId: optionalText(model.partitionGlobalId),
    signIn:
      model.method === 'adminApp'
        ? { method: 'adminApp', clientId: model.clientId.trim(), clientSecret: model.clientSecret }
        : { method: 'account', clientId: model.clientId.trim() },
  };
}

/** The organisation ID offered from the organisation name. */
function suggestedId(orgName: string): string {
  return orgName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40);
}

/** Naive UI rules that ask the form's verdict of each field. */
function rulesOf(errorOf: (field: OrganisationField) => string | null): FormRules {
  return Object.fromEntries(
    FIELDS.map((field): [string, FormItemRule] => [
      field,
      {
        key: field,
        trigger: ['input', 'blur', 'change'],
        validator: () => {
          const error = errorOf(field);
          return error ? new Error(error) : true;
        },
      },
    ]),
  );
}

export interface OrganisationFormOptions<T> {
  /** Sends the request to main; answers what the page wants back (the connection checks). */
  add: (request: NewOrganisation) => Promise<T>;
  /** Where a refusal that names no field of the form is shown (and a cancelled sign-in said). */
  notices: Notices;
}

export function useOrganisationForm<T>(options: OrganisationFormOptions<T>) {
  const model = reactive<OrganisationModel>({ ...EMPTY });
  const serverIssues = ref<Issue[]>([]);
  const busy = ref(false);
  const formRef = ref<FormInst | null>(null);

  /** The first reason the field is refused: the form's own checks first, then what main said. */
  function errorOf(field: OrganisationField): string | null {
    return localError(field) ?? serverIssues.value.find((i) => formFieldOf(i.field) === field)?.message ?? null;
  }

  /** The shared rule of a new organisation (checkOrganisation), as main and the contract judge it. */
  function localError(field: OrganisationField): string | null {
    const verdict = checkOrganisation({ ...model, method: model.method === 'account' ? 'account' : 'adminApp' });
    return verdict.errors.find((issue) => issue.field === field)?.message ?? null;
  }

  const rules = rulesOf(errorOf);

  // What main said about a field is dropped once the admin changes it.
  for (const field of FIELDS)
    watch(
      () => model[field],
      () => {
        if (!serverIssues.value.some((i) => formFieldOf(i.field) === field)) return;
        serverIssues.value = serverIssues.value.filter((i) => formFieldOf(i.field) !== field);
        // The field's own trigger ran before this: show its verdict again, without main's word.
        void formRef.value?.validate(undefined, (rule) => rule.key === field).catch(() => undefined);
      },
    );

  const request = computed(() => requestOf(model));

  /** The organisation ID offered from the organisation name, until the admin types their own. */
  let idTyped = false;
  watch(
    () => model.orgName,
    (name) => {
      if (!idTyped) model.id = suggestedId(name);
    },
  );
  function typeId(value: string): void {
    idTyped = true;
    model.id = value;
  }

  async function validate(): Promise<boolean> {
    const valid = FIELDS.every((f) => localError(f) === null);
    await formRef.value?.validate().catch(() => undefined);
    return valid;
  }

  /** Puts main's refusal on the fields it names (useAction's `fields`); answers those, the rest is a message. */
  function showOnFields(error: AppError): Issue[] {
    const onFields = (error.issues ?? []).filter((i) => formFieldOf(i.field) !== null);
    if (onFields.length > 0) {
      serverIssues.value = onFields;
      void formRef.value?.validate().catch(() => undefined);
    }
    return onFields;
  }
  const adding = useAction(options.add, { fields: showOnFields, busy, notices: options.notices });

  /** The form's checks, then main; a refusal lands on its fields. Answers main's answer, or null when refused. */
  async function submit(): Promise<T | null> {
    serverIssues.value = [];
    if (!(await validate())) return null;
    return (await adding.run(request.value)) ?? null;
  }

  return { model, rules, formRef, busy, serverIssues, request, errorOf, typeId, validate, showOnFields, submit };
}
