// Panels and dialogs that open only on the admin's request are not part of the first view: their component is
// imported the first time one opens. It is mounted closed and opened on the next tick, so that it opens as it always
// does (Naive UI animates and moves the focus only into a panel that opens after it was mounted), and it stays
// mounted, closed, for the next time.
import { markRaw, nextTick, ref, shallowRef, watch, type Component, type Ref, type ShallowRef } from 'vue';

export interface LazyPanel {
  /** The component once loaded (render it with `<component :is>`); undefined until it is first opened. */
  component: Readonly<ShallowRef<Component | undefined>>;
  /** Whether the panel is to be shown now: `open()`, but only once the component is mounted. */
  shown: Readonly<Ref<boolean>>;
}

export function useLazyPanel(load: () => Promise<{ default: Component }>, open: () => boolean): LazyPanel {
  const component = shallowRef<Component>();
  const shown = ref(false);
  watch(open, async (now) => {
    if (now && component.value === undefined) {
      component.value = markRaw((await load()).default);
      await nextTick();
    }
    shown.value = open();
  });
  return { component, shown };
}
