// A region that scrolls is reachable with the keyboard and named for a screen reader: `v-scroll-region="'Results'"` on
// a Naive UI data table (or any element) gives its scrolling body tabindex=0, role=region and that name, so the arrow
// keys and Page Down scroll it. Naive UI renders the scrolling element itself (a scrollbar container, or a virtual
// list's), so it is found after each render.
import type { Directive } from 'vue';

const SCROLLING = '.n-data-table-base-table-body .n-scrollbar-container, .n-data-table-base-table-body .v-vl';

function mark(host: HTMLElement, label: string): void {
  const body = host.matches(SCROLLING) ? host : (host.querySelector<HTMLElement>(SCROLLING) ?? host);
  body.tabIndex = 0;
  body.setAttribute('role', 'region');
  body.setAttribute('aria-label', label);
}

export const vScrollRegion: Directive<HTMLElement, string> = {
  mounted: (el, binding) => mark(el, binding.value),
  updated: (el, binding) => mark(el, binding.value),
};
