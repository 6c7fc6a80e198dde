// Every destructive action is confirmed the same way: a warning dialog whose title asks the question, whose text says
// what stops working, and whose red button names the action (as DialogShell's `danger`), Cancel beside it.
import { h, type VNodeChild } from 'vue';
import { useDialog } from 'naive-ui';

export interface DestructiveConfirmation {
  /** The question, e.g. "Delete this secret?". */
  title: string;
  /** What the action does and what stops working: one paragraph each. */
  says: string | string[];
  /** The red button's words, e.g. "Delete", "Remove", "Close and lose the secret". */
  action: string;
  /** The other button's words; "Cancel" by default. */
  keep?: string;
  /** The test ID of the text, where a test reads it. */
  testId?: string;
  /** Runs on the red button; the dialog closes when it settles. */
  onConfirm: () => unknown;
}

/** A function that asks for one destructive confirmation; call it in a component's setup. */
export function useConfirmDestructive(): (confirmation: DestructiveConfirmation) => void {
  const dialog = useDialog();
  return (c) => {
    const paragraphs = typeof c.says === 'string' ? [c.says] : c.says;
    const content = (): VNodeChild =>
      h(
        'div',
        c.testId ? { 'data-testid': c.testId } : {},
        paragraphs.map((text) => h('p', { class: 'confirm-destructive__text' }, text)),
      );
    dialog.warning({
      title: c.title,
      content,
      positiveText: c.action,
      negativeText: c.keep ?? 'Cancel',
      // Destructive buttons are red everywhere, not the warning dialog's orange.
      positiveButtonProps: { type: 'error' },
      onPositiveClick: () => c.onConfirm(),
    });
  };
}
