// The Notifier port: how main raises an OS notification (Electron's Notification in the app; a recording stand-in in
// tests, where no OS notification can exist).
export interface Notifier {
  notify(title: string, body: string): void;
}
