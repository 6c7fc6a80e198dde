// The ports: what main's services need of the machine they run on, as types only. Each door plugs in its adapters
// (Electron's clipboard, Notification, shell and save dialog in the app; keytar everywhere; the CLI's browser opener;
// stand-ins in tests), so no service imports electron or a keychain library.

/** Where secrets live at rest (keychain/keytar.ts in every door; an in-memory one in tests). */
export interface Keychain {
  set(service: string, account: string, value: string): Promise<void>;
  /** The stored value, or null when there is none. */
  get(service: string, account: string): Promise<string | null>;
  /** True when an entry was removed. */
  delete(service: string, account: string): Promise<boolean>;
}

/** What main needs of a clipboard; Electron's `clipboard` module fits it as it is (its text calls are async). */
export interface Clipboard {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
  clear(): void;
}

/**
 * How main raises an OS notification (Electron's Notification in the app; a recording stand-in in tests, where no OS
 * notification can exist).
 */
export interface Notifier {
  notify(title: string, body: string): void;
}

/** Opens a URL in the user's own browser: never a window of the app, whose page could read what the user types. */
export interface BrowserOpener {
  open(url: string): Promise<void>;
  /** False when no browser can be opened for the running call (the owner's door: a caller without one); default true. */
  canOpen?(): boolean;
}

/** A question main asks the user itself, never drawn by the page: what is at stake, in words. */
export interface ConfirmRequest {
  title: string;
  message: string;
  detail: string;
  /** The host a new organisation is at, when that is the question: the CLI's `orgs add` typed it, which confirms it. */
  host?: string;
}

/**
 * Main's own confirmation of what a page must not decide alone (granting organisation-admin scopes, a new host):
 * Electron's message box in the app, the CLI's terminal prompt (or --yes), a recording stand-in in tests. True only
 * when the user said yes.
 */
export interface ConfirmByMain {
  confirm(request: ConfirmRequest): Promise<boolean>;
}

/** Asks the user where to save a file (Electron's save dialog); null when they cancelled. */
export type ChooseSavePath = (suggestedFileName: string) => Promise<string | null>;
