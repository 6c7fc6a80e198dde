// The Add Organisation form's own logic, without a page: the request as it is sent, the checks as the admin types,
// main's refusals onto the fields they name (the sign-in's fields included), and how long ago a sync was, in words.
import { effectScope, nextTick, type EffectScope } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import type { NewOrganisation } from '../../src/renderer/src/stores/organisation';
import { formFieldOf, useOrganisationForm } from '../../src/renderer/src/forms/organisationForm';
import { formatRelative } from '../../src/renderer/src/dates';

let scope: EffectScope | null = null;
afterEach(() => scope?.stop());

function form(add: (request: NewOrganisation) => Promise<string>, shown: string[] = []) {
  scope = effectScope();
  const made = scope.run(() =>
    useOrganisationForm({
      add,
      notices: { error: (text) => shown.push(text) },
    }),
  );
  if (!made) throw new Error('no form');
  return made;
}

function fill(f: ReturnType<typeof form>): void {
  f.model.baseUrl = 'https://cloud.uipath.com/';
  f.model.orgName = ' Acme Prod ';
  f.model.displayName = ' Acme ';
  f.model.clientId = ' app-id ';
  f.model.clientSecret = 's3cret';
}

describe('the Add Organisation form', () => {
  it('offers the Organisation ID from the name, and sends a normalised request', async () => {
    const sent: NewOrganisation[] = [];
    const f = form((request) => {
      sent.push(request);
      return Promise.resolve('added');
    });
    fill(f);
    await nextTick();
    expect(f.model.id).toBe('acme-prod');
    expect(await f.submit()).toBe('added');
    expect(sent).toEqual([
      {
        id: 'acme-prod',
        displayName: 'Acme',
        baseUrl: 'https://cloud.uipath.com',
        orgName: 'Acme Prod',
        partitionGlobalId: null,
        signIn: { method: 'adminApp', clientId: 'app-id', clientSecret: 's3cret' },
      },
    ]);
  });

  it('keeps an Organisation ID the admin typed, and sends no secret for account sign-in', async () => {
    const sent: NewOrganisation[] = [];
    const f = form((request) => {
      sent.push(request);
      return Promise.resolve('added');
    });
    f.typeId('mine');
    fill(f);
    f.model.method = 'account';
    await nextTick();
    expect(f.model.id).toBe('mine');
    await f.submit();
    expect(sent[0]?.signIn).toEqual({ method: 'account', clientId: 'app-id' });
  });

  it('refuses before main: the base URL rule, the ID pattern, the secret of an admin application', async () => {
    let calls = 0;
    const f = form(() => Promise.resolve(String(++calls)));
    fill(f);
    f.model.baseUrl = 'http://acme.example.com';
    f.typeId('Not An ID');
    f.model.clientSecret = '';
    expect(await f.submit()).toBeNull();
    expect(calls).toBe(0);
    expect(f.errorOf('baseUrl')).toMatch(/plain http is allowed only on a loopback address/);
    expect(f.errorOf('id')).toMatch(/lower-case letters, digits or -/);
    expect(f.errorOf('clientSecret')).toBe('App secret is required.');
  });

  it("puts main's refusals on the fields they name, sign-in fields included, and drops one when it changes", async () => {
    const shown: string[] = [];
    const f = form(
      () =>
        Promise.reject(
          AppError.invalid([
            { field: 'id', message: 'Taken.' },
            { field: 'signIn.clientId', message: 'Unknown App ID.' },
            { field: 'organisation', message: 'Something else.' },
          ]),
        ),
      shown,
    );
    fill(f);
    await nextTick();
    expect(await f.submit()).toBeNull();
    expect(f.errorOf('id')).toBe('Taken.');
    expect(f.errorOf('clientId')).toBe('Unknown App ID.');
    expect(shown).toEqual(['Something else.']);
    f.typeId('other');
    await nextTick();
    expect(f.errorOf('id')).toBeNull();
    expect(f.errorOf('clientId')).toBe('Unknown App ID.');
  });

  it('maps the contract fields to the form', () => {
    expect(formFieldOf('signIn.clientSecret')).toBe('clientSecret');
    expect(formFieldOf('signIn')).toBe('method');
    expect(formFieldOf('baseUrl')).toBe('baseUrl');
    expect(formFieldOf('organisation')).toBeNull();
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('says how long ago, or how soon, in words', () => {
    expect(formatRelative('2026-03-01T11:59:55Z', 'never', now)).toBe('just now');
    expect(formatRelative('2026-03-01T11:57:00Z', 'never', now)).toMatch(/3 minutes ago/);
    expect(formatRelative('2026-03-11T12:00:00Z', 'never', now)).toMatch(/in 10 days/);
    expect(formatRelative(null, 'never', now)).toBe('never');
  });
});
