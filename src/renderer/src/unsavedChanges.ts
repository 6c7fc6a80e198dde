// Leaving a form that holds unsaved work asks first: a route change through a dialog naming what would be lost, closing
// the window through the standard beforeunload (the page only refuses; whatever hosts it decides what to show).
import { h, onBeforeUnmount, onMounted } from 'vue';
import { onBeforeRouteLeave, onBeforeRouteUpdate, type RouteLocationNormalized } from 'vue-router';
import { useDialog } from 'naive-ui';
import ChangeLines from './components/ChangeLines.vue';

export interface UnsavedWork {
  /** What leaving now would lose, one line each; empty when there is nothing unsaved. */
  lines: () => string[];
  /** The sentence above the lines, e.g. which application's changes they are. */
  intro: () => string;
  /** Puts the form back as it was saved (or empty), once the admin chose Discard. */
  discard: () => void;
}

/** Guards the calling view's route (leaving it, or the same view for another record) and the window's close. */
export function useUnsavedChangesGuard(work: UnsavedWork): void {
  const dialog = useDialog();
  // One question at a time: a second navigation while the dialog is open waits for the same answer.
  let asking: Promise<boolean> | null = null;

  function ask(): Promise<boolean> {
    const lines = work.lines();
    if (lines.length === 0) return Promise.resolve(true);
    if (asking) return asking;
    asking = new Promise<boolean>((resolve) => {
      let answered = false;
      const answer = (leave: boolean) => {
        if (answered) return;
        answered = true;
        asking = null;
        if (leave) work.discard();
        resolve(leave);
      };
      dialog.warning({
        title: 'Discard unsaved changes?',
        content: () =>
          h('div', { 'data-testid': 'unsaved-changes' }, [
            h('p', { style: 'margin: 0 0 6px' }, work.intro()),
            h(ChangeLines, { lines, testid: 'unsaved-line' }),
          ]),
        positiveText: 'Discard',
        negativeText: 'Keep editing',
        // Enter on an autofocused Discard would throw the work away with one key; focus stays where the admin was.
        autoFocus: false,
        onPositiveClick: () => answer(true),
        onNegativeClick: () => answer(false),
        // Esc, the close button or a click beside the dialog keep the work.
        onAfterLeave: () => answer(false),
      });
    });
    return asking;
  }

  onBeforeRouteLeave(() => ask());
  // The same view for another record (another application's page) would load over the form.
  onBeforeRouteUpdate((to: RouteLocationNormalized, from: RouteLocationNormalized) =>
    to.path === from.path ? true : ask(),
  );

  // Closing the window: refusing is all a page can do; Chromium asks by itself, Electron leaves it to the main process.
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (work.lines().length > 0) event.preventDefault();
  };
  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload));
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload));
}
