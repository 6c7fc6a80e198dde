// One way for the page to run something main may refuse: busy while it runs (a second call meanwhile does nothing), and
// a refusal shown where it belongs. Problems about a field go on that field when the caller puts them there (a form),
// and are read out by the page's live region, since a form field's feedback is not announced; the rest is shown in the
// page (an alert the caller gives, `inline`) or as an error message that stays until closed. Naive UI's messages carry
// no role: their provider puts them in the `#notices` region (index.html, role=status), so each one is announced, and
// an error's text is an alert of its own, read out at once.
import { h, ref, shallowRef, type Ref } from 'vue';
import { useMessage } from 'naive-ui';
import { AppError, toAppError, type Issue } from '../../shared/errors';

/** Where the page shows a sentence as a message. */
export interface Notices {
  error: (text: string) => void;
  success?: (text: string, duration?: number) => void;
  /** Neither good nor bad news: what the admin stopped (a cancelled sign-in). */
  info?: (text: string) => void;
}

/** An error message's content: an alert, so it is read out at once, and it stays until the admin closes it. */
export function errorNotice(text: string) {
  return [
    () => h('span', { role: 'alert', 'data-testid': 'error-notice' }, text),
    { duration: 0, closable: true },
  ] as const;
}

/** Naive UI's messages: an error stays until the admin closes it, a success goes by itself. Call it in setup. */
export function useNotices(): Notices {
  const message = useMessage();
  return {
    error: (text) => void message.error(...errorNotice(text)),
    success: (text, duration) => void message.success(text, duration === undefined ? undefined : { duration }),
    info: (text) => void message.info(text),
  };
}

/** What the page's hidden live region (App.vue) reads out; `id` changes with each announcement, even of the same text. */
export const announcement = shallowRef<{ id: number; text: string }>({ id: 0, text: '' });

/** Reads a sentence out to a screen reader, without showing it. */
export function announce(text: string): void {
  announcement.value = { id: announcement.value.id + 1, text };
}

export interface ActionOptions<A extends unknown[], T> {
  /**
   * The words a refusal is shown with: "Could not export" gives "Could not export: <main's sentence>"; a function
   * words it itself (the refusal as left after its fields took theirs). Main's sentence alone when left out.
   */
  failure?: string | ((error: AppError, ...args: A) => string);
  /** Puts the refusal's problems on the fields they name (a form); answers the ones it put there. */
  fields?: (error: AppError) => readonly Issue[];
  /** Shows the refusal in the page instead of a message: an alert bound to this, cleared when the action runs again. */
  inline?: Ref<string | null>;
  /** The message when it worked; null or left out for none. */
  success?: string | ((value: T, ...args: A) => string | null);
  successDuration?: number;
  /** A busy state shared with other actions (one form's buttons), so none starts while another runs. */
  busy?: Ref<boolean>;
  /**
   * A call made while one runs runs too (a load a watch starts again, for another ID or organisation); by default it
   * is ignored, so a second click does not submit twice. Busy until the last one ends.
   */
  concurrent?: boolean;
  /** Where messages go; Naive UI's (useNotices) when left out and a message may be needed. */
  notices?: Notices;
}

export interface Action<A extends unknown[], T> {
  /** True while the action runs. */
  busy: Ref<boolean>;
  /** The last run's refusal, null once a run starts. */
  error: Readonly<Ref<AppError | null>>;
  /** Runs the action: its value, or undefined when it was refused (or already running). */
  run: (...args: A) => Promise<T | undefined>;
}

/** The text a refusal is shown with: the caller's words around main's sentence. */
function worded<A extends unknown[]>(failure: ActionOptions<A, unknown>['failure'], error: AppError, args: A): string {
  if (typeof failure === 'function') return failure(error, ...args);
  return failure ? `${failure}: ${error.message}` : error.message;
}

/** An action of a component (call it in setup, or in an effect scope with `notices` given). */
export function useAction<A extends unknown[], T>(
  action: (...args: A) => Promise<T>,
  options: ActionOptions<A, T> = {},
): Action<A, T> {
  const busy = options.busy ?? ref(false);
  const error = shallowRef<AppError | null>(null);
  let running = 0;
  const notices = options.notices ?? (options.inline && options.success === undefined ? null : useNotices());

  /** The refusal on its fields, then what is left in the page or a message. */
  function refuse(refusal: AppError, args: A): void {
    // What the admin stopped is said as it is, not as a failure.
    if (refusal.code === 'cancelled') {
      notices?.info?.(refusal.message);
      return;
    }
    const onFields = options.fields?.(refusal) ?? [];
    if (onFields.length > 0) announce(onFields.map((i) => i.message).join(' '));
    const rest = (refusal.issues ?? []).filter((i) => !onFields.includes(i));
    if (onFields.length > 0 && rest.length === 0) return;
    const text = worded(options.failure, onFields.length > 0 ? AppError.invalid(rest) : refusal, args);
    if (options.inline) options.inline.value = text;
    else notices?.error(text);
  }

  async function run(...args: A): Promise<T | undefined> {
    if (busy.value && !options.concurrent) return undefined;
    running += 1;
    busy.value = true;
    error.value = null;
    if (options.inline) options.inline.value = null;
    try {
      const value = await action(...args);
      const said = typeof options.success === 'function' ? options.success(value, ...args) : options.success;
      if (said) notices?.success?.(said, options.successDuration);
      return value;
    } catch (e) {
      error.value = toAppError(e);
      refuse(error.value, args);
      return undefined;
    } finally {
      running -= 1;
      if (running === 0) busy.value = false;
    }
  }

  return { busy, error, run };
}
