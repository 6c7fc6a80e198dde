// What the CLI prints is inert in a terminal: an organisation's data, an error's text, a scope set's name or an import
// file may hold an escape sequence (OSC 52 writes the clipboard, OSC 8 forges a link, CSI clears the screen) or a
// text-direction override. Each such character is printed as its \u escape instead; line breaks and tabs stay.

/** C0 but line feed and tab, DEL and C1, the Unicode line and paragraph separators, bidi overrides and isolates. */
export function isUnsafeInTerminal(code: number): boolean {
  return (
    (code <= 0x1f && code !== 0x0a && code !== 0x09) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

export function inert(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += isUnsafeInTerminal(code) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
