// The dark theme holds only the components the page uses (src/renderer/src/darkTheme.ts), so that the first view does
// not carry every component's. A component left out would be drawn in its light colours in the dark: each one the
// page imports from naive-ui must have its entry, and that entry must be Naive UI's dark one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { darkTheme as naiveDarkTheme } from 'naive-ui';
import { describe, expect, it } from 'vitest';
import { darkTheme } from '../../src/renderer/src/darkTheme';

const RENDERER = join(import.meta.dirname, '..', '..', 'src', 'renderer', 'src');

/** The theme entry a component is drawn with where its name does not say it; null: it has no theme of its own. */
const THEME_OF: Record<string, string | null> = {
  ConfigProvider: null,
  GlobalStyle: null,
  A: 'Typography',
  H1: 'Typography',
  H2: 'Typography',
  H3: 'Typography',
  P: 'Typography',
  Text: 'Typography',
  CheckboxGroup: 'Checkbox',
  DescriptionsItem: 'Descriptions',
  DialogProvider: 'Dialog',
  DrawerContent: 'Drawer',
  FormItem: 'Form',
  InputGroup: 'Input',
  LayoutContent: 'Layout',
  LayoutHeader: 'Layout',
  MessageProvider: 'Message',
  RadioButton: 'Radio',
  RadioGroup: 'Radio',
};

/** Every Naive UI component (NButton, NDataTable, …) imported in the page's sources. */
function componentsImported(): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(RENDERER, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|vue)$/.test(entry.name)) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const [, names] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'naive-ui'/g))
      for (const name of names?.split(',') ?? []) {
        const component = /^\s*(N[A-Z]\w*)\s*$/.exec(name)?.[1];
        if (component) found.add(component.slice(1));
      }
  }
  return [...found].sort();
}

type Entry = { name?: string; common?: unknown } | undefined;
const entryOf = (theme: object, key: string) => (theme as Record<string, Entry>)[key];

describe('the dark theme', () => {
  const components = componentsImported();

  it('finds the components the page imports', () => {
    expect(components).toEqual(expect.arrayContaining(['Button', 'DataTable', 'Input', 'Menu', 'Text']));
  });

  it.each(components)('draws N%s in the dark', (component) => {
    const key = component in THEME_OF ? THEME_OF[component] : component;
    if (key === null || key === undefined) return;
    // The key is one of Naive UI's own; a component it cannot name needs its line in THEME_OF.
    expect(entryOf(naiveDarkTheme, key), `Naive UI has no theme entry ${key}`).toBeDefined();
    const entry = entryOf(darkTheme, key);
    expect(entry, `darkTheme.ts has no ${key}`).toBeDefined();
    // Its own colours are worked out from the dark common ones (a light entry has the light ones).
    expect(entry?.name).toBe(entryOf(naiveDarkTheme, key)?.name);
    expect(entry?.common).toEqual(entryOf(naiveDarkTheme, key)?.common);
  });

  it('has the dark common colours', () => {
    expect(darkTheme.common).toEqual(naiveDarkTheme.common);
  });
});
