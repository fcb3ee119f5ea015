// The explorer page: reads window.AUDIOMILL_DATA (the data/*.js files), builds the tabs (clips: filters, grid,
// map and the selected clip; overview; detections) and keeps the view in the URL's hash.
import type { PageData } from '../../src/explore/page-types';
import { audioUrl } from './audio-url';
import { colourRows } from './colours';
import { loadData, type Data } from './data';
import { neighboursOf, renderDetail } from './detail';
import { FilterPanel } from './filters';
import { Grid } from './grid';
import { renderDetections, renderDoctor, renderOverview } from './panels';
import { Scatter } from './scatter';
import { formatHash, parseHash, select, type Filter, type Selection, type State } from './state';

declare global {
  interface Window {
    AUDIOMILL_DATA?: PageData;
    audiomillExplorer?: { ready: boolean; readyMs: number; readyAt: number; renderer: string; state(): State; visible(): number[]; render(): void };
  }
}

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

function layout(data: Data): void {
  const t = data.raw.table;
  document.title = `${t.title} · audiomill explorer`;
  document.body.innerHTML = `
<header>
  <h1></h1>
  <nav role="tablist">
    <button role="tab" data-tab="clips">Clips</button>
    <button role="tab" data-tab="overview">Overview</button>
    <button role="tab" data-tab="detections">Detections</button>
    <button role="tab" data-tab="doctor">Doctor</button>
  </nav>
  <span id="count" aria-live="polite"></span>
</header>
<main>
  <section id="tab-clips" class="tab">
    <aside id="filters" aria-label="filters">
      <label class="search">Name contains <input id="search" type="search"></label>
      <button id="clear" type="button">Clear filters</button>
      <div id="filter-list"></div>
    </aside>
    <div id="grid" class="grid"></div>
    <div id="side">
      <div id="map-controls">
        <label>Map <select id="map-select"></select></label>
        <label>Colour <select id="colour-select"></select></label>
        <span role="group" aria-label="drag mode"><button type="button" id="mode-lasso" aria-pressed="true">Lasso</button><button type="button" id="mode-pan" aria-pressed="false">Pan</button></span>
        <button type="button" id="clear-lasso">Clear lasso</button>
        <label><input type="checkbox" id="hover-play"> Play on hover</label>
      </div>
      <div id="map" role="img" aria-label="map of the embeddings"></div>
      <div id="map-info"></div>
      <div id="legend"></div>
      <div id="detail"></div>
    </div>
  </section>
  <section id="tab-overview" class="tab"></section>
  <section id="tab-detections" class="tab"></section>
  <section id="tab-doctor" class="tab"></section>
</main>
<footer></footer>
<audio id="player" preload="none"></audio>`;
  $('h1').textContent = t.title;
  $('footer').textContent = `${t.rows} clips · ${t.thumbCaption} · audio ${t.audioMode === 'link' ? 'linked to the source files' : t.audioMode === 'copy' ? 'copied beside the page' : t.audioMode === 'wav' ? 'cut to WAV clips' : 'not included'} · made by audiomill ${t.audiomillVersion} on ${t.generated.slice(0, 10)}`;
}

function start(): void {
  const t0 = performance.now();
  const raw = window.AUDIOMILL_DATA;
  if (!raw?.table) {
    document.body.textContent = 'The explorer data (data/table.js) did not load: keep index.html beside its data/ and assets/ folders.';
    return;
  }
  const data = loadData(raw);
  layout(data);
  let state = parseHash(location.hash, data);
  let sel: Selection = select(data, state);
  const player = $<HTMLAudioElement>('#player');
  let playing: HTMLElement | null = null;

  const play = (row: number, button: HTMLElement) => {
    const src = audioUrl(data.raw.table.audio[row]);
    if (!src) return;
    if (playing === button && !player.paused) {
      player.pause();
      return;
    }
    playing?.classList.remove('playing');
    playing = button;
    button.classList.add('playing');
    player.src = src;
    player.dataset.row = String(row);
    void player.play().catch(() => undefined);
  };
  player.addEventListener('pause', () => playing?.classList.remove('playing'));
  player.addEventListener('ended', () => playing?.classList.remove('playing'));

  const commit = (next: State, rebuildFilters = false) => {
    state = next;
    const hash = formatHash(state);
    if (hash !== location.hash) history.replaceState(null, '', hash);
    refresh(rebuildFilters);
  };
  const open = (row: number) => commit({ ...state, clip: row });

  const filters = new FilterPanel($('#filter-list'), data, (name: string, f: Filter | null) => {
    const next = new Map(state.filters);
    if (f) next.set(name, f);
    else next.delete(name);
    commit({ ...state, filters: next });
  });
  const grid = new Grid($('#grid'), data, { open, play });
  let hoverTimer = 0;
  const scatter = new Scatter($('#map'), {
    lasso: (points) => commit({ ...state, lasso: points ? { map: state.map, points } : null }),
    hover: (row) => {
      clearTimeout(hoverTimer);
      const info = $('#map-info');
      const t = data.raw.table;
      info.textContent = row === null ? '' : `${t.names[row]}${t.spans[row] ? ` (${t.spans[row]})` : ''}`;
      if (row !== null && $<HTMLInputElement>('#hover-play').checked) hoverTimer = window.setTimeout(() => play(row, $('#map')), 150);
    },
    click: open,
  });

  const mapSelect = $<HTMLSelectElement>('#map-select');
  for (const m of data.maps) mapSelect.add(new Option(m.title, m.name));
  mapSelect.disabled = data.maps.length === 0;
  mapSelect.addEventListener('change', () => commit({ ...state, map: mapSelect.value }));
  const colourSelect = $<HTMLSelectElement>('#colour-select');
  colourSelect.add(new Option('(none)', ''));
  for (const c of data.columns) if (c.kind !== 'text') colourSelect.add(new Option(c.name, c.name));
  colourSelect.addEventListener('change', () => commit({ ...state, color: colourSelect.value }));
  const setMode = (mode: 'lasso' | 'pan') => {
    scatter.mode = mode;
    $('#mode-lasso').setAttribute('aria-pressed', String(mode === 'lasso'));
    $('#mode-pan').setAttribute('aria-pressed', String(mode === 'pan'));
  };
  $('#mode-lasso').addEventListener('click', () => setMode('lasso'));
  $('#mode-pan').addEventListener('click', () => setMode('pan'));
  $('#clear-lasso').addEventListener('click', () => commit({ ...state, lasso: null }));
  $('#clear').addEventListener('click', () => commit({ ...state, filters: new Map(), lasso: null, text: '' }, true));
  const search = $<HTMLInputElement>('#search');
  search.addEventListener('input', () => commit({ ...state, text: search.value }));
  for (const b of document.querySelectorAll<HTMLElement>('nav [data-tab]')) b.addEventListener('click', () => commit({ ...state, tab: b.dataset.tab! }));
  window.addEventListener('hashchange', () => {
    state = parseHash(location.hash, data);
    refresh(true);
  });

  let shownMap: string | null = null;
  const rendered = { overview: false, detections: false, doctor: false };
  const showGroup = (id: number) => {
    const c = data.byName.get('duplicate_group');
    const f: Filter | null = c?.kind === 'category' ? { kind: 'category', values: new Set([String(id)]) } : c?.kind === 'number' ? { kind: 'range', min: id, max: id } : null;
    commit({ ...state, tab: 'clips', lasso: null, filters: f ? new Map([['duplicate_group', f]]) : new Map() }, true);
  };
  function refresh(rebuildFilters: boolean): void {
    sel = select(data, state);
    if (rebuildFilters) filters.build(state);
    filters.counts(sel);
    search.value = state.text;
    $('#count').textContent = `${sel.visible.length} of ${data.rows} clips`;
    $('#count').dataset.count = String(sel.visible.length);
    for (const b of document.querySelectorAll<HTMLElement>('nav [data-tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === state.tab));
    for (const s of document.querySelectorAll<HTMLElement>('.tab')) s.hidden = s.id !== `tab-${state.tab}`;
    if (state.tab === 'overview' && !rendered.overview) (renderOverview($('#tab-overview'), data.raw.overview), (rendered.overview = true));
    if (state.tab === 'detections' && !rendered.detections) (renderDetections($('#tab-detections'), data.raw.detections), (rendered.detections = true));
    if (state.tab === 'doctor' && !rendered.doctor) {
      const t = data.raw.table;
      renderDoctor($('#tab-doctor'), data.raw.doctor, (r) => (t.spans[r] ? `${t.names[r]} (${t.spans[r]})` : t.names[r]!), { open: (row) => commit({ ...state, tab: 'clips', clip: row }), group: showGroup });
      rendered.doctor = true;
    }
    grid.selected = state.clip;
    grid.setRows(sel.visible);
    const map = data.maps.find((m) => m.name === state.map) ?? null;
    if (shownMap !== state.map) {
      scatter.setMap(map);
      shownMap = state.map;
    }
    mapSelect.value = state.map;
    colourSelect.value = state.color;
    const { rgb, legend } = colourRows(data.byName.get(state.color), data.rows);
    scatter.setStyle(rgb, sel.fails);
    scatter.setLasso(state.lasso && state.lasso.map === state.map ? state.lasso.points : null);
    scatter.setMarks(state.clip, state.clip === null ? [] : neighboursOf(data, state.clip).map((n) => n.row));
    const lg = $('#legend');
    lg.textContent = '';
    for (const e of legend.entries.slice(0, 40)) {
      const item = document.createElement('span');
      item.className = 'legend-item';
      item.innerHTML = `<span class="dot" style="background:${e.colour}"></span>`;
      item.append(e.text);
      lg.append(item);
    }
    if (legend.entries.length > 40) lg.append(` … ${legend.entries.length - 40} more`);
    $('#map-info').textContent = map ? `${map.title}: ${map.params}${map.trust ? ` · trustworthiness ${map.trust.value.toFixed(3)} (k ${map.trust.k}, ${map.trust.rows} rows)` : ''}` : '';
    renderDetail($('#detail'), data, state.clip, { open, play });
  }
  refresh(true);
  grid.render();
  const readyMs = performance.now() - t0;
  window.audiomillExplorer = {
    ready: true,
    readyMs,
    readyAt: performance.now(),
    renderer: scatter.renderer,
    state: () => state,
    visible: () => [...sel.visible],
    render: () => grid.render(),
  };
  document.body.dataset.ready = 'true';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
