// The story so far, edited together: a textarea bound live to the thread's Y.Text. Local
// edits go in as one minimal splice each; remote edits move the caret with the text.
import { LitElement, html, nothing, type ReactiveController } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { styles } from './styles.ts';
import type * as Y from 'yjs';
import { summaryText } from '#shared';
import type { Space } from '#client-core';
import { diffSplice, moveCaret, type DeltaOp } from '../../lib/summary-edit.ts';
import { withoutOverrides } from '../../lib/text.ts';

const LOCAL_EDIT = Symbol('baton:summary-edit');

/** Observes the summary Y.Text while the host is on the page. */
class SummaryBinding implements ReactiveController {
  private text: Y.Text | null = null;
  private connected = false;
  private readonly observer = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin !== LOCAL_EDIT) this.host.remoteEdit(event.delta as DeltaOp[]);
  };

  constructor(private readonly host: BatonSummary) {
    host.addController(this);
  }

  bind(text: Y.Text | null): void {
    if (text === this.text) return;
    if (this.connected) this.text?.unobserve(this.observer);
    this.text = text;
    if (this.connected) this.text?.observe(this.observer);
  }

  hostConnected(): void {
    this.connected = true;
    this.text?.observe(this.observer);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.text?.unobserve(this.observer);
  }
}

export class BatonSummary extends LitElement {
  static override properties = { space: { attribute: false } };
  static override styles = styles;
  declare space: Space | null;
  private readonly binding = new SummaryBinding(this);

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.space = null;
  }

  private get text(): Y.Text | null {
    return this.space?.plain ? summaryText(this.space.plain) : null;
  }

  private get area(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  override willUpdate(): void {
    this.binding.bind(this.text);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('space') && this.area) this.area.value = this.text?.toString() ?? '';
  }

  /** A remote edit: new text, the caret carried along. The area always equals the Y.Text between events. */
  remoteEdit(delta: DeltaOp[]): void {
    const area = this.area;
    const text = this.text;
    if (!text) return;
    if (!area) return this.requestUpdate(); // read access: the text is shown as text
    const focused = this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement === area;
    const { selectionStart: start, selectionEnd: end, selectionDirection: dir } = area;
    area.value = text.toString();
    if (focused) area.setSelectionRange(moveCaret(start, delta), moveCaret(end, delta), dir ?? undefined);
  }

  private input(): void {
    const area = this.area;
    const text = this.text;
    const doc = this.space?.plain;
    if (!area || !text || !doc || this.space?.access !== 'write') return;
    const splice = diffSplice(text.toString(), area.value);
    if (!splice) return;
    doc.transact(() => {
      if (splice.remove > 0) text.delete(splice.index, splice.remove);
      if (splice.insert) text.insert(splice.index, splice.insert);
    }, LOCAL_EDIT);
  }

  override render() {
    if (!this.space?.plain) return nothing;
    if (this.space.access !== 'write') {
      // A reader cannot edit it, so it does not look like a field: text under a heading.
      const text = withoutOverrides(this.text?.toString() ?? ''); // shown as text: no bidi override reorders it
      return html`
        <h2 id="summary-title" class="label">${msg('Story so far', { id: 'summary.title' })}</h2>
        ${text ? html`<p class="story" dir="auto">${text}</p>` : html`<p class="muted">${msg('No summary yet.', { id: 'summary.none' })}</p>`}
      `;
    }
    return html`
      <label for="summary">${msg('Story so far', { id: 'summary.title' })}</label>
      <textarea
        id="summary"
        dir="auto"
        placeholder=${msg('What this thread has found so far, written together. Everyone who can write here can edit it.', { id: 'summary.placeholder' })}
        @input=${this.input}
      ></textarea>
    `;
  }
}

customElements.define('baton-summary', BatonSummary);

declare global {
  interface HTMLElementTagNameMap {
    'baton-summary': BatonSummary;
  }
}
