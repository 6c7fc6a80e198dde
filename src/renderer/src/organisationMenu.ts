// The organisation switcher as a menu (OrganisationHeader.vue): each organisation a menu item that says whether it is
// the current one, with the host it lives at beside its name (two organisations of the same name are told apart by
// it), then Add organisation and Organisation settings.
import { h, type HTMLAttributes } from 'vue';
import type { DropdownOption } from 'naive-ui';
import type { OrganisationSummary } from '../../shared/model';
import { organisationLabel } from './stores/organisation';

/** The host an organisation lives at: "cloud.uipath.com", "127.0.0.1:8080". */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export const SWITCHER_MENU_PROPS = (): Record<string, string> => ({ role: 'menu', 'aria-label': 'Organisations' });

export function switcherOptions(
  organisations: readonly OrganisationSummary[],
  currentId: string | null,
  keys: { add: string; settings: string },
): DropdownOption[] {
  return [
    ...organisations.map((t): DropdownOption => {
      const current = t.id === currentId;
      return {
        key: `organisation:${t.id}`,
        label: () => [
          h('span', { 'aria-hidden': 'true' }, current ? '✓ ' : ''),
          organisationLabel(t),
          h('span', { class: 'organisation-option-host' }, ` ${hostOf(t.baseUrl)}`),
        ],
        props: {
          role: 'menuitemradio',
          'aria-checked': current,
          'data-testid': 'organisation-option',
          'data-organisation': t.id,
        } as HTMLAttributes,
      };
    }),
    { type: 'divider', key: 'divider', props: { role: 'separator' } },
    {
      key: keys.add,
      label: 'Add organisation…',
      props: { role: 'menuitem', 'data-testid': 'add-organisation' } as HTMLAttributes,
    },
    {
      key: keys.settings,
      label: 'Organisation settings',
      props: { role: 'menuitem', 'data-testid': 'organisation-settings' } as HTMLAttributes,
    },
  ];
}
