// Runs in the page of a component test (test/e2e/components.ts bundles it with the
// component): mounts one element at a time, reads text and elements through shadow roots,
// records the app's events, and hands tests the real client core, session and local state.
import type { LitElement } from 'lit';
import * as shared from '#shared';
import * as core from '#client-core';
import { Session } from '#client-web/lib/session.ts';
import { LocalState } from '#client-web/lib/local.ts';

export interface SeenEvent {
  type: string;
  detail: unknown;
  bubbles: boolean;
  composed: boolean;
}

/** Every element matching `selector` under `root`, inside shadow roots too. */
function deepAll(selector: string, root: ParentNode = document): Element[] {
  const found: Element[] = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepAll(selector, el.shadowRoot));
  return found;
}

/** The text a reader gets: light and shadow trees alike, slots aside. */
function text(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof HTMLStyleElement || node instanceof HTMLScriptElement) return '';
  const el = node as Element;
  const children = el.shadowRoot ? [...el.shadowRoot.childNodes] : [...node.childNodes];
  return children.map(text).join('');
}

/** The element focus is on, through shadow roots. */
function focused(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

const events: SeenEvent[] = [];

export const kit = {
  shared,
  core,
  events,
  deepAll,
  text,
  focused,
  /** Replaces the page's content with one fresh element, these properties set, once it has rendered. */
  async mount<T extends LitElement>(tag: string, props: Record<string, unknown> = {}): Promise<T> {
    document.body.replaceChildren();
    const el = document.createElement(tag) as T;
    Object.assign(el, props);
    document.body.append(el);
    await el.updateComplete;
    return el;
  },
  /** The mounted element. */
  el<T extends LitElement = LitElement>(): T {
    return document.body.firstElementChild as T;
  },
  /** Sets properties on the mounted element and waits for it to render. */
  async set(props: Record<string, unknown>): Promise<void> {
    const el = document.body.firstElementChild as LitElement;
    Object.assign(el, props);
    await el.updateComplete;
  },
  /** Records these events as they reach the document. */
  listen(...types: string[]): void {
    for (const type of types) document.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail, bubbles: e.bubbles, composed: e.composed }));
  },
  /** Markup-looking text, an unbroken long word and right-to-left text with a bidi override. */
  hostile: {
    markup: '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script><b>bold</b>',
    long: 'W'.repeat(3000),
    rtl: 'ليلى \u202Eexe.live\u202C',
  },
  /** Whether hostile text became markup anywhere on the page. */
  markupFound(): string[] {
    const made = deepAll('img, script:not([src]), b').map((e) => e.tagName.toLowerCase());
    if ((window as unknown as { pwned?: number }).pwned) made.push('a handler ran');
    return made;
  },
  /** Whether an element lays out wider than its box (text that does not wrap). */
  overflows(el: Element): boolean {
    return el.scrollWidth > el.clientWidth + 1;
  },
  // The page comes from the test's own server, which is no relay: nothing dials it.
  session: () => Session.start({ servingRelay: null }),
  local: () => new LocalState(localStorage),
  /** A device with a store in memory that dials no relay. */
  offlineClient(name = 'Someone'): core.BatonClient {
    return new core.BatonClient({ store: new core.MemoryStore(), identity: shared.generateIdentity(), name, online: false });
  },
  /** Keeps anything for a later evaluate() in the same page. */
  keep: {} as Record<string, unknown>,
};

declare global {
  interface Window {
    kit: typeof kit;
  }
}

window.kit = kit;
await shared.initSodium();
document.documentElement.dataset.ready = 'yes';
