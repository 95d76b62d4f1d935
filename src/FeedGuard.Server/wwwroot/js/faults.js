// Demo mode only: buttons that inject emulator faults through POST/DELETE /api/emulator/faults, and
// the list of faults in force.
import { el, byId, setText, formatClock } from './dom.js';
import { getJson, sendJson } from './api.js';

const FAULTS = [
  { kind: 'stall', label: 'Stall', hint: 'The socket stays open but sends nothing, not even heartbeats' },
  { kind: 'drop', label: 'Drop', hint: 'The connection drops' },
  { kind: 'mute', label: 'Mute', hint: 'Heartbeats only, no ticks' },
  { kind: 'malformed', label: 'Malformed', hint: 'Frames no decoder accepts' },
  // A rejection only shows at the next login, so this one also drops the connection (once).
  { kind: 'auth-reject', label: 'Auth reject', hint: 'The broker rejects the credentials and drops the connection', then: 'drop' },
];

async function inject(fault) {
  const result = await sendJson('POST', '/api/emulator/faults', { kind: fault.kind });
  return result.ok && fault.then ? sendJson('POST', '/api/emulator/faults', { kind: fault.then }) : result;
}

export class FaultPanel {
  #enabled = false;
  #busy = false;

  constructor() {
    const buttons = FAULTS.map((fault) => el('button', {
      type: 'button', class: 'fault', 'data-fault': fault.kind, title: fault.hint,
      onclick: () => this.#run(() => inject(fault), `${fault.label} injected`),
    }, fault.label));
    buttons.push(el('button', {
      type: 'button', class: 'fault clear', 'data-fault': 'clear', title: 'Clear every fault',
      onclick: () => this.#run(() => sendJson('DELETE', '/api/emulator/faults'), 'Faults cleared'),
    }, 'Clear'));
    byId('fault-buttons').replaceChildren(...buttons);
    setInterval(() => this.refresh(), 3000);
  }

  /** Shown only when the gateway says fault injection is available (demo mode). */
  enable(enabled) {
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    byId('faults').hidden = !enabled;
    if (enabled) this.refresh();
  }

  async refresh() {
    if (!this.#enabled) return;
    try {
      const { faults } = await getJson('/api/emulator/faults');
      const items = (faults ?? []).map((f) => el('li', {},
        el('strong', { text: f.kind }),
        ` since ${formatClock(f.startedAt)}`,
        f.expiresAt ? ` until ${formatClock(f.expiresAt)}` : ''));
      byId('fault-active').replaceChildren(...items);
      byId('fault-none').hidden = items.length > 0;
    } catch {
      // The status light already says when the gateway is out of reach.
    }
  }

  async #run(action, done) {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const result = await action();
      setText(byId('fault-result'), result.ok ? done : `Refused (HTTP ${result.status}): ${result.body?.error ?? 'no reason given'}`);
    } catch (error) {
      setText(byId('fault-result'), `Failed: ${error.message}`);
    } finally {
      this.#busy = false;
      this.refresh();
    }
  }
}
