// The application form, for Add Application and for editing one: what the admin has entered so far, checked by the
// shared registration rules (the same messages the CLI and the Identity Server give), plus the problems main reported
// per field. When editing, it also knows the application as it was, to preview what saving will change.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { diffApp, type AppChanges } from '../../../shared/changes';
import type { Issue } from '../../../shared/errors';
import type { ExternalClient, ScopeRequest } from '../../../shared/model';
import {
  checkName,
  checkRedirectUri,
  checkScopes,
  hasUserScopes,
  uniqueScopes,
  type RegistrationDraft,
  type Verdict,
} from '../../../shared/rules';
import { useApplicationsStore } from './applications';
import { useCatalogueStore } from './catalogue';

/** One row of the form's Resources table: the scopes of one resource, by how they are used. */
export interface ResourceGrant {
  resource: string;
  userScopes: string[];
  applicationScopes: string[];
}

export type DraftField = 'name' | 'isConfidential' | 'redirectUri' | 'scopes';

export const useRegistrationDraftStore = defineStore('registrationDraft', () => {
  const applications = useApplicationsStore();
  const catalogue = useCatalogueStore();

  const name = ref('');
  // The portal preselects a confidential application.
  const isConfidential = ref(true);
  const redirectUri = ref('');
  const grants = ref<ResourceGrant[]>([]);
  /** Problems main reported for the last attempt, per field; a field's are dropped once it changes. */
  const serverIssues = ref<Issue[]>([]);
  /** The application being edited, as the Identity Server last returned it; null in Add Application. */
  const editing = shallowRef<ExternalClient | null>(null);

  const scopes = computed<ScopeRequest[]>(() =>
    uniqueScopes(
      grants.value.flatMap((g) => [
        ...g.userScopes.map((s) => ({ name: s, type: 'user' as const })),
        ...g.applicationScopes.map((s) => ({ name: s, type: 'application' as const })),
      ]),
    ),
  );
  const applicationScopes = computed(() => scopes.value.filter((s) => s.type === 'application').map((s) => s.name));
  const redirectRequired = computed(() => hasUserScopes(scopes.value));

  const request = computed<RegistrationDraft>(() => ({
    name: name.value,
    isConfidential: isConfidential.value,
    redirectUri: redirectUri.value.trim() === '' ? null : redirectUri.value.trim(),
    scopes: scopes.value,
  }));

  // An application being edited keeps its own name without a duplicate warning.
  const otherNames = computed(() => {
    const self = editing.value?.id;
    return self ? applications.rows.filter((row) => row.id !== self).map((row) => row.name) : applications.names;
  });
  const nameVerdict = computed<Verdict>(() => checkName(name.value, otherNames.value));
  const redirectVerdict = computed<Verdict>(() =>
    checkRedirectUri(request.value.redirectUri, { isConfidential: isConfidential.value, required: redirectRequired.value }),
  );
  const scopesVerdict = computed<Verdict>(() => checkScopes(scopes.value, catalogue.resources, isConfidential.value));

  const verdicts = computed<Record<DraftField, Verdict>>(() => ({
    name: nameVerdict.value,
    isConfidential: { errors: [], warnings: [] },
    redirectUri: redirectVerdict.value,
    scopes: scopesVerdict.value,
  }));

  /** The first message that refuses the field: the rules' verdict first, then what main said. */
  function errorOf(field: DraftField): string | null {
    return (
      verdicts.value[field].errors[0]?.message ?? serverIssues.value.find((i) => i.field === field)?.message ?? null
    );
  }

  function warningOf(field: DraftField): string | null {
    return verdicts.value[field].warnings[0]?.message ?? null;
  }

  function forgetServerIssues(field: DraftField): void {
    if (serverIssues.value.some((i) => i.field === field))
      serverIssues.value = serverIssues.value.filter((i) => i.field !== field);
  }

  function grantOf(resource: string): ResourceGrant | null {
    return grants.value.find((g) => g.resource === resource) ?? null;
  }

  /** Adds the resource's row, or replaces it; a resource with no scope left leaves the table. */
  function saveGrant(grant: ResourceGrant): void {
    const rest = grants.value.filter((g) => g.resource !== grant.resource);
    const index = grants.value.findIndex((g) => g.resource === grant.resource);
    if (grant.userScopes.length + grant.applicationScopes.length === 0) grants.value = rest;
    else if (index === -1) grants.value = [...grants.value, grant];
    else grants.value = grants.value.map((g, i) => (i === index ? grant : g));
    forgetServerIssues('scopes');
  }

  function removeGrant(resource: string): void {
    grants.value = grants.value.filter((g) => g.resource !== resource);
    forgetServerIssues('scopes');
  }

  /** Switches the application type; a non-confidential application keeps no application scope. */
  function setConfidential(value: boolean): void {
    isConfidential.value = value;
    if (!value)
      grants.value = grants.value
        .map((g) => ({ ...g, applicationScopes: [] }))
        .filter((g) => g.userScopes.length > 0);
    forgetServerIssues('isConfidential');
    forgetServerIssues('scopes');
  }

  /** What saving the edited application changes (scopes per type, name, redirect URL); null in Add Application. */
  const changes = computed<AppChanges | null>(() =>
    editing.value
      ? diffApp(editing.value, { name: name.value, redirectUri: request.value.redirectUri ?? null, scopes: scopes.value })
      : null,
  );

  function reset(): void {
    name.value = '';
    isConfidential.value = true;
    redirectUri.value = '';
    grants.value = [];
    serverIssues.value = [];
    editing.value = null;
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

  return {
    name,
    isConfidential,
    redirectUri,
    grants,
    serverIssues,
    scopes,
    applicationScopes,
    redirectRequired,
    request,
    verdicts,
    errorOf,
    warningOf,
    forgetServerIssues,
    grantOf,
    saveGrant,
    removeGrant,
    setConfidential,
    reset,
    editing,
    changes,
    startEdit,
  };
});
