// The scope set form (the Scope Sets editor: a name and resources, no type, no redirect URL) beside the application
// form, filling the Resources rows from a list of scopes (a set, a draft), and the apply estimate said before a run.
import { effectScope, type EffectScope } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { useApplicationForm } from '../../src/renderer/src/forms/applicationForm';
import { NOT_IN_CATALOGUE, grantsOf } from '../../src/renderer/src/forms/resourceGrants';
import { useScopeSetForm } from '../../src/renderer/src/forms/scopeSetForm';
import { describeDuration, describeEstimate } from '../../src/renderer/src/applyText';
import { estimateOf } from '../../src/main/services/bulkApply';
import { UIPATH_RATE_LIMITS } from '../../src/identity-server/http/rateLimit';
import { catalogue } from './formCatalogue';

const running: EffectScope[] = [];
afterEach(() => {
  for (const scope of running.splice(0)) scope.stop();
});

/** Runs a form in an effect scope of its own, as each page has its own. */
function inScope<T>(make: () => T): T {
  const scope = effectScope();
  running.push(scope);
  const form = scope.run(make);
  if (!form) throw new Error('no form');
  return form;
}

function makeSetForm(otherSets: { name: string }[] = []) {
  return inScope(() => useScopeSetForm({ catalogue: () => catalogue, otherSets: () => otherSets }));
}

function makeApplicationForm() {
  return inScope(() =>
    useApplicationForm({ catalogue: () => catalogue, applications: () => [], message: () => undefined }),
  );
}

describe('grantsOf', () => {
  it('puts each scope under the resource that grants it as its type, and unknown ones in a row of their own', () => {
    expect(
      grantsOf(
        [
          { name: 'OR.Jobs', type: 'user' },
          { name: 'OR.Queues', type: 'application' },
          { name: 'PM.User', type: 'user' },
          { name: 'DU.Nothing', type: 'user' },
          { name: 'OR.Jobs', type: 'user' },
        ],
        catalogue,
      ),
    ).toEqual([
      { resource: 'OrchestratorApiUserAccess', userScopes: ['OR.Jobs'], applicationScopes: ['OR.Queues'] },
      { resource: 'IdentityServerApi', userScopes: ['PM.User'], applicationScopes: [] },
      { resource: NOT_IN_CATALOGUE, userScopes: ['DU.Nothing'], applicationScopes: [] },
    ]);
  });
});

describe('the scope set form', () => {
  it('asks only for a name and a scope: no type, no redirect URL, even with user scopes', async () => {
    const form = makeSetForm();
    expect(await form.validate()).toBe(false);
    expect(form.errorOf('name')).toBe('Scope set name is required.');
    expect(form.errorOf('scopes')).toBe('Add at least one scope.');

    form.name.value = 'Monitoring';
    form.fillScopes([
      { name: 'PM.User', type: 'user' },
      { name: 'OR.Queues', type: 'application' },
    ]);
    expect(await form.validate()).toBe(true);
    expect(form.scopes.value).toEqual([
      { name: 'PM.User', type: 'user' },
      { name: 'OR.Queues', type: 'application' },
    ]);
  });

  it('refuses the name of another set, without case', async () => {
    const form = makeSetForm([{ name: 'Queue worker' }]);
    form.name.value = '  queue WORKER ';
    form.fillScopes([{ name: 'OR.Queues', type: 'application' }]);
    expect(await form.validate()).toBe(false);
    expect(form.errorOf('name')).toBe('A scope set named "Queue worker" already exists.');
  });

  it('warns, without refusing, about a scope this organisation’s catalogue does not know', async () => {
    const form = makeSetForm();
    form.name.value = 'Elsewhere';
    form.fillScopes([{ name: 'DU.Nothing', type: 'user' }]);
    expect(form.warningOf('scopes')).toBe('Scope DU.Nothing does not exist in the resource catalogue.');
    expect(await form.validate()).toBe(true);
  });

  it('a registration still refuses the same unknown scope, and a non-confidential one keeps only user scopes', async () => {
    const form = makeApplicationForm();
    form.name.value = 'App';
    form.fillScopes([{ name: 'DU.Nothing', type: 'user' }]);
    expect(form.errorOf('scopes')).toBe('Scope DU.Nothing does not exist in the resource catalogue.');

    form.setConfidential(false);
    form.fillScopes([
      { name: 'OR.Jobs', type: 'user' },
      { name: 'OR.Queues', type: 'application' },
    ]);
    expect(form.scopes.value).toEqual([{ name: 'OR.Jobs', type: 'user' }]);
    expect(await form.validate()).toBe(false);
    expect(form.errorOf('redirectUri')).not.toBeNull();
  });
});

describe('the apply estimate', () => {
  it('says 1 000 applications take about 30 minutes under UiPath’s 160 PUTs per 5 minutes (six whole windows waited, the rest at once)', () => {
    const text = describeEstimate(estimateOf(1000, UIPATH_RATE_LIMITS, 'uipath'));
    expect(text).toContain('1000 applications to write');
    expect(text).toContain('UiPath allows 160 PUTs and 300 GETs per 5 minutes');
    expect(text).toContain('about 30 minutes');
  });

  it('says a run within the limits goes at once, and one with nothing to write says so', () => {
    expect(describeEstimate(estimateOf(12, UIPATH_RATE_LIMITS, 'embedded'))).toContain('goes at once');
    expect(describeEstimate(estimateOf(0, UIPATH_RATE_LIMITS, 'uipath'))).toMatch(/^Nothing to write/);
  });

  it('words durations as people say them', () => {
    expect(describeDuration(1)).toBe('1 second');
    expect(describeDuration(90)).toBe('90 seconds');
    expect(describeDuration(1875)).toBe('31 minutes');
    expect(describeDuration(3 * 3600 + 5 * 60)).toBe('3 hours 5 minutes');
  });
});
