// Wires the panels to the gateway: a first load from /api/status, /api/instruments and /api/events,
// then the live stream; each reconnect of the stream reloads, so nothing missed while away is lost.
import { byId, setText, formatAge } from './dom.js';
import { getJson, LiveStream } from './api.js';
import { StatusPanel } from './status-panel.js';
import { InstrumentTable } from './instrument-table.js';
import { PriceChart } from './price-chart.js';
import { Timeline } from './timeline.js';
import { FaultPanel } from './faults.js';

const panel = new StatusPanel();
const chart = new PriceChart(byId('chart'));
const table = new InstrumentTable((instrument, name) => chart.select(instrument, name));
const timeline = new Timeline();
const faults = new FaultPanel();
let link = { state: 'connecting', attempt: 0, retryAt: null };

// The broker in words. In demo mode the built-in emulator stands in for it: the emulator broker
// speaks SmartAPI's protocol, and Kite without credentials is the Kite client against the emulator.
const BROKERS = { emulator: 'Emulator (SmartAPI protocol)', smartapi: 'Angel One SmartAPI', kite: 'Zerodha Kite' };

function brokerLabel(status) {
  const name = BROKERS[status.broker] ?? status.broker ?? '—';
  return status.demo === true && status.broker !== 'emulator' ? `${name} · emulated` : name;
}

function applyStatus(status) {
  panel.update(status);
  table.status(status.instruments);
  timeline.clock(status.as_of);
  faults.enable(status.demo === true && status.fault_injection === true);
  byId('demo-badge').hidden = status.demo !== true;
  byId('sim-banner').hidden = status.status !== 'simulation';
  document.body.dataset.state = status.status;
  const broker = byId('broker');
  setText(broker, brokerLabel(status));
  broker.dataset.broker = status.broker ?? '';
  setText(byId('feed-mode'), status.feed_mode ?? '—');
}

async function reload() {
  try {
    const [status, instruments, events] = await Promise.all([
      getJson('/api/status'), getJson('/api/instruments'), getJson('/api/events?limit=200'),
    ]);
    table.load(instruments);
    applyStatus(status);
    timeline.add(events);
  } catch (error) {
    setText(byId('link'), `gateway: ${error.message}`);
  }
}

function renderLink() {
  const node = byId('link');
  node.dataset.link = link.state;
  if (link.state === 'live') setText(node, 'live');
  else if (link.state === 'connecting') setText(node, 'connecting…');
  else if (link.retryAt != null) setText(node, `link lost · retry ${link.attempt} in ${formatAge(Math.max(0, (link.retryAt - performance.now()) / 1000))}`);
  else setText(node, `link lost · retry ${link.attempt}…`);
}

const stream = new LiveStream({
  open: reload,
  status: applyStatus,
  tick: (tick) => {
    table.tick(tick);
    chart.tick(tick.instrument, tick.ltp);
    panel.sawTick();
  },
  event: (event) => timeline.add([event]),
  link: (state) => {
    link = state;
    if (state.state === 'reconnecting') {
      panel.unreachable();
      document.body.dataset.state = 'unknown';
    }
    renderLink();
  },
});

// Ages and countdowns count between server updates; the chart's shading advances once a second.
setInterval(() => {
  panel.render();
  table.render();
  timeline.render();
  renderLink();
}, 250);
setInterval(() => chart.second(panel.state), 1000);
// The change basis (first price or previous close) comes only with /api/instruments.
setInterval(async () => {
  if (link.state !== 'live') return;
  try { table.load(await getJson('/api/instruments')); } catch { /* the stream's watchdog reports the link */ }
}, 10000);

stream.start();
