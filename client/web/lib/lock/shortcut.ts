// The panic wipe's keyboard shortcut: three modifiers, so it is not pressed by accident.
export const PANIC_SHORTCUT = 'Ctrl+Alt+Shift+X';

export function isPanicShortcut(e: KeyboardEvent): boolean {
  return e.ctrlKey && e.altKey && e.shiftKey && e.code === 'KeyX';
}
