// Live price chart of the selected instrument (TradingView Lightweight Charts, vendored). One point
// per second per instrument, kept for every instrument from page load so switching is instant. The
// feed's mode shades the background: one full-height stepped area per failover mode on a hidden
// scale, with a point each second that mode was in force (the status history as the page saw it)
// and a gap otherwise, so the bands are solid and start and end on the mode changes.
import { createChart, LineSeries, AreaSeries, ColorType, LineType } from '../lib/lightweight-charts.standalone.production.mjs';
import { byId, setText } from './dom.js';

const KEEP_SECONDS = 1800;
// Trimmed in batches: setData redraws everything, so not once a second.
const TRIM_SLACK = 300;
const BAR_SPACING = 4;
const SHADES = {
  polling: 'rgba(227, 179, 65, 0.20)',
  simulation: 'rgba(88, 166, 255, 0.24)',
  error: 'rgba(248, 81, 73, 0.24)',
  other: 'rgba(139, 148, 158, 0.16)',
};
// Streaming is the normal case: not shaded. Connecting, stopped and "no contact" share grey.
const bandOf = (state) => (state === 'streaming' ? null : SHADES[state] ? state : 'other');

// The time axis shows the browser's local time: shift UTC seconds by the zone offset.
const localSecond = () => {
  const now = Date.now();
  return Math.floor(now / 1000) - new Date(now).getTimezoneOffset() * 60;
};

export class PriceChart {
  #chart;
  #container;
  #line;
  #bands = new Map();
  #history = new Map();
  #bandData = [];
  #selected = null;
  #lastSecond = 0;

  constructor(container) {
    this.#container = container;
    const styles = getComputedStyle(document.documentElement);
    const text = styles.getPropertyValue('--muted').trim() || '#8b949e';
    const grid = styles.getPropertyValue('--grid').trim() || '#21262d';
    this.#chart = createChart(container, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: text, fontSize: 11, attributionLogo: true },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false, timeVisible: true, secondsVisible: true, rightOffset: 2, barSpacing: BAR_SPACING },
      handleScroll: false,
      handleScale: false,
    });
    for (const [band, colour] of Object.entries(SHADES)) {
      this.#bands.set(band, this.#chart.addSeries(AreaSeries, {
        priceScaleId: 'bands', lineVisible: false, lineType: LineType.WithSteps, topColor: colour, bottomColor: colour,
        priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false,
        // 0..1 whatever the data, so a value of 1 fills the whole height.
        autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 1 } }),
      }));
    }
    this.#chart.priceScale('bands').applyOptions({ visible: false, scaleMargins: { top: 0, bottom: 0 } });
    this.#line = this.#chart.addSeries(LineSeries, {
      color: styles.getPropertyValue('--text').trim() || '#e6edf3', lineWidth: 2, lineType: LineType.WithSteps,
      priceFormat: { type: 'price', precision: 2, minMove: 0.05 },
    });
  }

  /** Records a tick's price for its instrument (the last tick of a second wins). */
  tick(instrument, price) {
    if (price == null) return;
    const time = Math.max(localSecond(), this.#lastSecond);
    let points = this.#history.get(instrument);
    if (!points) this.#history.set(instrument, (points = []));
    const point = { time, value: price };
    if (points.length > 0 && points[points.length - 1].time === time) points[points.length - 1] = point;
    else points.push(point);
    const trimmed = points.length > KEEP_SECONDS + TRIM_SLACK;
    if (trimmed) points.splice(0, points.length - KEEP_SECONDS);
    if (instrument !== this.#selected) return;
    if (trimmed) this.#line.setData(points);
    else this.#line.update(point);
  }

  /** Called once a second with the feed's state: extends the shaded band. */
  second(state) {
    const time = localSecond();
    if (time <= this.#lastSecond) return;
    this.#lastSecond = time;
    const shaded = bandOf(state);
    this.#bandData.push({ time, band: shaded });
    this.#container.dataset.seconds = String(this.#bandData.length);
    const trimmed = this.#bandData.length > KEEP_SECONDS + TRIM_SLACK;
    if (trimmed) this.#bandData.splice(0, this.#bandData.length - KEEP_SECONDS);
    for (const [band, series] of this.#bands) {
      if (trimmed) series.setData(this.#bandData.map((p) => (p.band === band ? { time: p.time, value: 1 } : { time: p.time })));
      else series.update(shaded === band ? { time, value: 1 } : { time });
    }
    // Scrolling and zoom are off, so the view always follows the live edge (without this it stops
    // following when a bar fills a time the bands had already added); until the history fills the
    // width at the normal spacing, it spreads over the whole chart instead of huddling on the right.
    const timeScale = this.#chart.timeScale();
    if (this.#bandData.length * BAR_SPACING < timeScale.width()) timeScale.fitContent();
    else timeScale.scrollToRealTime();
  }

  select(instrument, name) {
    this.#selected = instrument;
    setText(byId('chart-title'), name);
    this.#line.setData(this.#history.get(instrument) ?? []);
    this.#chart.timeScale().scrollToRealTime();
  }
}
