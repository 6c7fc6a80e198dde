// The application form's own logic, without a page: refusals onto fields, the Resources rows, the type switch, the
// request as it is sent, and the edit preview. Vue's reactivity runs in Node; the form lives in an effect scope.
import { effectScope, nextTick, type EffectScope } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import type { AppEdit } from '../../src/shared/changes';
import type { ExternalClient } from '../../src/shared/model';
import type { NormalizedDraft } from '../../src/shared/rules';
import { useApplicationForm, type ApplicationForm } from '../../src/renderer/src/forms/applicationForm';
import { catalogue } from './formCatalogue';

const existing: ExternalClient = {
  id: 'a1',
  name: 'Nightly jobs',
  isConfidential: true,
  redirectUri: null,
  resources: [
    {
      name: 'OrchestratorApiUserAccess',
      displayName: 'Orchestrator API Access',
      description: '',
      scopes: [{ name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'application' }],
    },
  ],
  secrets: [],
};

// Each form in its own effect scope, as each page has its own; stopping them ends the form's watchers.
const running: EffectScope[] = [];
afterEach(() => {
  for (const scope of running.splice(0)) scope.stop();
});

interface StandIns {
  messages: string[];
  registered: NormalizedDraft[];
  saved: { clientId: string; edit: AppEdit }[];
  form: ApplicationForm;
}

/** A form with stand-ins for the stores: register and save record what they get, or throw `refusal` when set. */
function makeForm(refusal?: AppError): StandIns {
  const messages: string[] = [];
  const registered: NormalizedDraft[] = [];
  const saved: { clientId: string; edit: AppEdit }[] = [];
  const scope = effectScope();
  running.push(scope);
  const form = scope.run(() =>
    useApplicationForm({
      catalogue: () => catalogue,
      applications: () => [{ id: 'a1', name: 'Nightly jobs' }],
      register: (request) => {
        if (refusal) return Promise.reject(refusal);
        registered.push(request);
        return Promise.resolve({ app: { ...existing, id: 'new' }, secret: null });
      },
      save: (clientId, edit) => {
        if (refusal) return Promise.reject(refusal);
        saved.push({ clientId, edit });
        return Promise.resolve({ ...existing, name: edit.name ?? existing.name });
      },
      message: (text) => messages.push(text),
    }),
  );
  if (!form) throw new Error('the effect scope did not run');
  return { messages, registered, saved, form };
}

/** A draft every rule accepts: a confidential application with one application scope. */
function fillValid(form: ApplicationForm): void {
  form.name.value = 'Invoice sync';
  form.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: [], applicationScopes: ['OR.Jobs'] });
}

describe('a refusal from main', () => {
  it('puts issues about a form field on that field, and the rest in one message', async () => {
    const refusal = AppError.invalid([
      { field: 'name', message: 'Taken on the server.' },
      { field: 'organisation', message: 'The organisation is read-only.' },
    ]);
    const { form, messages, registered } = makeForm(refusal);
    fillValid(form);

    expect(await form.submit()).toBeNull();
    expect(registered).toEqual([]);
    expect(form.serverIssues.value).toEqual([{ field: 'name', message: 'Taken on the server.' }]);
    expect(form.errorOf('name')).toBe('Taken on the server.');
    expect(form.errorOf('scopes')).toBeNull();
    expect(messages).toEqual(['The organisation is read-only.']);
  });

  it('shows the error itself when no issue names a field of the form', async () => {
    const { form, messages } = makeForm(new AppError('organisation_unreachable', 'The organisation did not answer.'));
    fillValid(form);

    expect(await form.submit()).toBeNull();
    expect(messages).toEqual(['The organisation did not answer.']);
    expect(form.serverIssues.value).toEqual([]);
  });

  it('forgets a field’s issues once the admin changes that field', async () => {
    const { form } = makeForm(AppError.invalid([{ field: 'name', message: 'Taken on the server.' }]));
    fillValid(form);
    await form.submit();
    expect(form.errorOf('name')).toBe('Taken on the server.');

    form.name.value = 'Invoice sync 2';
    await nextTick();
    expect(form.errorOf('name')).toBeNull();
  });
});

describe('submitting', () => {
  it('sends nothing while a rule refuses the draft', async () => {
    const { form, registered } = makeForm();
    form.name.value = 'Invoice sync';

    expect(await form.submit()).toBeNull();
    expect(registered).toEqual([]);
    expect(form.errorOf('scopes')).toBe('Add at least one scope.');
  });

  it('sends the draft normalised: name trimmed, an empty redirect URL as none, each scope once', async () => {
    const { form, registered } = makeForm();
    form.name.value = '  Invoice sync  ';
    form.redirectUri.value = '   ';
    form.saveGrant({
      resource: 'OrchestratorApiUserAccess',
      userScopes: [],
      applicationScopes: ['OR.Jobs', 'OR.Jobs'],
    });

    expect(await form.submit()).not.toBeNull();
    expect(registered).toEqual([
      {
        name: 'Invoice sync',
        isConfidential: true,
        redirectUri: null,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      },
    ]);
  });
});

describe('the Resources rows', () => {
  it('adds a resource’s row, then replaces it', () => {
    const { form } = makeForm();
    form.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: ['OR.Jobs'], applicationScopes: [] });
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    form.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: [], applicationScopes: ['OR.Queues'] });

    expect(form.grants.value).toEqual([
      { resource: 'OrchestratorApiUserAccess', userScopes: [], applicationScopes: ['OR.Queues'] },
      { resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] },
    ]);
    expect(form.grantOf('IdentityServerApi')?.userScopes).toEqual(['PM.User']);
  });

  it('drops a row saved with no scope left, and a removed one', () => {
    const { form } = makeForm();
    form.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: ['OR.Jobs'], applicationScopes: [] });
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });

    form.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: [], applicationScopes: [] });
    expect(form.grants.value.map((g) => g.resource)).toEqual(['IdentityServerApi']);
    expect(form.grantOf('OrchestratorApiUserAccess')).toBeNull();

    form.removeGrant('IdentityServerApi');
    expect(form.grants.value).toEqual([]);
  });

  it('a removed row comes back where it stood on Undo, until the form is saved or discarded', async () => {
    const { form, saved } = makeForm();
    form.startEdit({
      ...existing,
      resources: [
        ...existing.resources,
        {
          name: 'IdentityServerApi',
          displayName: 'Identity Server API',
          description: '',
          scopes: [{ name: 'PM.User', displayName: 'PM.User', description: '', type: 'user' }],
        },
      ],
    });
    form.removeGrant('OrchestratorApiUserAccess');
    expect(form.grants.value.map((g) => g.resource)).toEqual(['IdentityServerApi']);
    expect(form.changed.value).toBe(true);
    expect(form.removedGrants.value.map((r) => r.grant.resource)).toEqual(['OrchestratorApiUserAccess']);

    form.undoRemoveGrant('OrchestratorApiUserAccess');
    expect(form.grants.value.map((g) => g.resource)).toEqual(['OrchestratorApiUserAccess', 'IdentityServerApi']);
    expect(form.grants.value[0]?.applicationScopes).toEqual(['OR.Jobs']);
    expect(form.removedGrants.value).toEqual([]);
    expect(form.changed.value).toBe(false);

    // Saved: the removal is what the application is now, and there is nothing left to undo.
    form.removeGrant('IdentityServerApi');
    await form.save();
    expect(saved).toHaveLength(1);
    expect(form.removedGrants.value).toEqual([]);

    form.removeGrant('OrchestratorApiUserAccess');
    form.discard();
    expect(form.removedGrants.value).toEqual([]);
    expect(form.grants.value.map((g) => g.resource)).toEqual(['OrchestratorApiUserAccess']);
  });

  it('a row added again through the panel is not offered back; the type switch trims what Undo restores', () => {
    const { form } = makeForm();
    form.saveGrant({
      resource: 'OrchestratorApiUserAccess',
      userScopes: ['OR.Jobs'],
      applicationScopes: ['OR.Queues'],
    });
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    form.removeGrant('IdentityServerApi');
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    expect(form.removedGrants.value).toEqual([]);

    form.removeGrant('OrchestratorApiUserAccess');
    form.setConfidential(false);
    form.undoRemoveGrant('OrchestratorApiUserAccess');
    expect(form.grantOf('OrchestratorApiUserAccess')).toEqual({
      resource: 'OrchestratorApiUserAccess',
      userScopes: ['OR.Jobs'],
      applicationScopes: [],
    });
  });

  it('a redirect URL becomes required once a user scope is chosen', () => {
    const { form } = makeForm();
    expect(form.redirectRequired.value).toBe(false);
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    expect(form.redirectRequired.value).toBe(true);
    expect(form.errorOf('redirectUri')).toBe('Redirect URL is required when the application has user scopes.');
  });
});

describe('switching the type', () => {
  it('to non-confidential drops the application scopes, and rows left without a scope', () => {
    const { form } = makeForm();
    form.saveGrant({
      resource: 'OrchestratorApiUserAccess',
      userScopes: ['OR.Jobs'],
      applicationScopes: ['OR.Queues'],
    });
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: [], applicationScopes: [] });
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    expect(form.applicationScopes.value).toEqual(['OR.Queues']);

    form.setConfidential(false);
    expect(form.isConfidential.value).toBe(false);
    expect(form.applicationScopes.value).toEqual([]);
    expect(form.grants.value).toEqual([
      { resource: 'OrchestratorApiUserAccess', userScopes: ['OR.Jobs'], applicationScopes: [] },
      { resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] },
    ]);

    const { form: other } = makeForm();
    other.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: [], applicationScopes: ['OR.Queues'] });
    other.setConfidential(false);
    expect(other.grants.value).toEqual([]);
  });

  it('to confidential keeps every scope', () => {
    const { form } = makeForm();
    form.setConfidential(false);
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    form.setConfidential(true);
    expect(form.scopes.value).toEqual([{ name: 'PM.User', type: 'user' }]);
  });
});

describe('editing an application', () => {
  it('previews what saving changes, and has nothing unsaved until then', () => {
    const { form } = makeForm();
    form.startEdit(existing);
    expect(form.changed.value).toBe(false);
    expect(form.unsavedLines.value).toEqual([]);
    // Its own name is no duplicate.
    expect(form.warningOf('name')).toBeNull();

    form.name.value = ' Nightly jobs v2 ';
    form.saveGrant({ resource: 'OrchestratorApiUserAccess', userScopes: ['OR.Jobs'], applicationScopes: [] });
    expect(form.changes.value).toEqual({
      name: { from: 'Nightly jobs', to: 'Nightly jobs v2' },
      redirectUri: null,
      added: { user: ['OR.Jobs'], application: [] },
      removed: { user: [], application: ['OR.Jobs'] },
    });
    expect(form.changeLines.value).toEqual([
      'Name: "Nightly jobs" → "Nightly jobs v2"',
      'Add user scopes: OR.Jobs',
      'Remove application scopes: OR.Jobs',
    ]);
    expect(form.unsavedLines.value).toEqual(form.changeLines.value);

    form.discard();
    expect(form.changed.value).toBe(false);
    expect(form.name.value).toBe('Nightly jobs');
  });

  it('saves the edit normalised and takes the application as the server answers it', async () => {
    const { form, saved } = makeForm();
    form.startEdit(existing);
    form.name.value = 'Nightly jobs v2  ';
    form.redirectUri.value = ' ';

    expect(await form.validate()).toBe(true);
    const updated = await form.save();
    expect(saved).toEqual([
      {
        clientId: 'a1',
        edit: { name: 'Nightly jobs v2', redirectUri: null, scopes: [{ name: 'OR.Jobs', type: 'application' }] },
      },
    ]);
    expect(updated?.name).toBe('Nightly jobs v2');
    expect(form.editing.value).toBe(updated);
    expect(form.changed.value).toBe(false);
  });

  it('in Add Application, a new name is a duplicate of another application’s and leaving names what is lost', () => {
    const { form } = makeForm();
    form.name.value = 'nightly jobs';
    expect(form.warningOf('name')).toBe('Another application in this organization is already named "nightly jobs".');
    form.saveGrant({ resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] });
    expect(form.unsavedLines.value).toEqual(['Name: "nightly jobs"', 'Identity Server API: user scopes PM.User']);
    expect(form.changes.value).toBeNull();
  });
});
