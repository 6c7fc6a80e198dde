// useAction without a page: busy while an action runs, a second call meanwhile ignored, and a refusal shown where it
// belongs (on the fields it names, in the page, or as a message) and read out. Messages go to stand-in notices.
import { effectScope, ref, type EffectScope } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type Issue } from '../../src/shared/errors';
import { announcement, useAction, type ActionOptions } from '../../src/renderer/src/useAction';

const running: EffectScope[] = [];
afterEach(() => {
  for (const scope of running.splice(0)) scope.stop();
});

/** A promise the test settles when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An action with notices that record what they were told, in an effect scope as a component's setup would be. */
function make<A extends unknown[], T>(action: (...args: A) => Promise<T>, options: ActionOptions<A, T> = {}) {
  const errors: string[] = [];
  const successes: string[] = [];
  const infos: string[] = [];
  const scope = effectScope();
  running.push(scope);
  const made = scope.run(() =>
    useAction(action, {
      notices: {
        error: (text) => errors.push(text),
        success: (text) => successes.push(text),
        info: (text) => infos.push(text),
      },
      ...options,
    }),
  );
  if (!made) throw new Error('the effect scope did not run');
  return { ...made, errors, successes, infos };
}

describe('busy', () => {
  it('is true while the action runs, and the run answers its value', async () => {
    const answer = deferred<string>();
    const action = make(() => answer.promise, { success: (value) => `Saved ${value}.` });

    const run = action.run();
    expect(action.busy.value).toBe(true);
    answer.resolve('it');
    expect(await run).toBe('it');
    expect(action.busy.value).toBe(false);
    expect(action.successes).toEqual(['Saved it.']);
    expect(action.errors).toEqual([]);
  });

  it('ignores a second call while the first runs: one submit, however many clicks', async () => {
    const answer = deferred<string>();
    let calls = 0;
    const action = make(() => {
      calls += 1;
      return answer.promise;
    });

    const first = action.run();
    expect(await action.run()).toBeUndefined();
    answer.resolve('once');
    expect(await first).toBe('once');
    expect(calls).toBe(1);
    // Once it has ended, it runs again.
    await action.run();
    expect(calls).toBe(2);
  });

  it('is shared by actions given the same busy state: none starts while another runs', async () => {
    const busy = ref(false);
    const answer = deferred<string>();
    const submit = make(() => answer.promise, { busy });
    let saved = 0;
    const save = make(() => Promise.resolve(++saved), { busy });

    const submitting = submit.run();
    expect(busy.value).toBe(true);
    expect(await save.run()).toBeUndefined();
    answer.resolve('submitted');
    await submitting;
    expect(await save.run()).toBe(1);
  });

  it('lets a concurrent action run again while it runs, and stays busy until the last run ends', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const answers = [first, second];
    const action = make((id: string) => answers[Number(id)]!.promise, { concurrent: true });

    const one = action.run('0');
    const two = action.run('1');
    first.resolve('a');
    expect(await one).toBe('a');
    expect(action.busy.value).toBe(true);
    second.resolve('b');
    expect(await two).toBe('b');
    expect(action.busy.value).toBe(false);
  });
});

describe('a refusal', () => {
  it('is a message in the caller’s words around main’s sentence, and stays on the action', async () => {
    const refusal = new AppError('organisation_unreachable', 'Acme cannot be reached.');
    const action = make((): Promise<string> => Promise.reject(refusal), { failure: 'Could not export' });

    expect(await action.run()).toBeUndefined();
    expect(action.busy.value).toBe(false);
    expect(action.errors).toEqual(['Could not export: Acme cannot be reached.']);
    expect(action.error.value).toBe(refusal);
  });

  it('is said as it is when the admin cancelled: no error, none of the caller’s failure words', async () => {
    const cancelled = new AppError('cancelled', 'Sign-in cancelled; nothing was changed.');
    const action = make((): Promise<string> => Promise.reject(cancelled), { failure: 'Could not change the sign-in' });

    expect(await action.run()).toBeUndefined();
    expect(action.errors).toEqual([]);
    expect(action.infos).toEqual(['Sign-in cancelled; nothing was changed.']);
  });

  it('is worded by a function of the refusal and the call’s arguments', async () => {
    const action = make((_name: string) => Promise.reject(new AppError('not_found', 'It is gone.')), {
      failure: (error, name) => `Could not open ${name}: ${error.message}`,
    });

    await action.run('Invoice sync');
    expect(action.errors).toEqual(['Could not open Invoice sync: It is gone.']);
  });

  it('is main’s sentence alone when the caller gives no words; anything thrown is an internal error', async () => {
    const action = make(() => Promise.reject(new Error('disk on fire')));

    await action.run();
    expect(action.errors).toEqual(['disk on fire']);
    expect(action.error.value?.code).toBe('internal');
  });

  it('goes on the fields it names, read out, with no message when every problem has its field', async () => {
    const onFields: Issue[] = [];
    const refusal = AppError.invalid([{ field: 'name', message: 'Taken on the server.' }]);
    const before = announcement.value.id;
    const action = make(() => Promise.reject(refusal), {
      failure: 'Could not save',
      fields: (error) => {
        onFields.push(...(error.issues ?? []));
        return error.issues ?? [];
      },
    });

    await action.run();
    expect(onFields).toEqual([{ field: 'name', message: 'Taken on the server.' }]);
    expect(action.errors).toEqual([]);
    expect(announcement.value).toEqual({ id: before + 1, text: 'Taken on the server.' });
  });

  it('puts the problems no field takes in the message', async () => {
    const refusal = AppError.invalid([
      { field: 'name', message: 'Taken on the server.' },
      { field: 'organisation', message: 'The organisation is read-only.' },
    ]);
    const action = make(() => Promise.reject(refusal), {
      fields: (error) => (error.issues ?? []).filter((i) => i.field === 'name'),
    });

    await action.run();
    expect(action.errors).toEqual(['The organisation is read-only.']);
  });

  it('is a message when the fields take none of it', async () => {
    const action = make(() => Promise.reject(new AppError('forbidden', 'The admin application lacks a scope.')), {
      fields: () => [],
    });

    await action.run();
    expect(action.errors).toEqual(['The admin application lacks a scope.']);
  });

  it('is shown in the page instead of a message when the caller gives a place, cleared when it runs again', async () => {
    const shown = ref<string | null>(null);
    let refuse = true;
    const action = make(
      () => (refuse ? Promise.reject(new AppError('not_found', 'No such organisation.')) : Promise.resolve('ok')),
      { inline: shown },
    );

    await action.run();
    expect(shown.value).toBe('No such organisation.');
    expect(action.errors).toEqual([]);

    refuse = false;
    expect(await action.run()).toBe('ok');
    expect(shown.value).toBeNull();
    expect(action.error.value).toBeNull();
  });
});
