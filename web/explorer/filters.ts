// The filter panel: one block per column: ticks with counts for categories, true / false / any for flags,
// minimum and maximum for numbers. Counts of a column's values ignore that column's own filter (faceted), so
// ticking a second label shows how many it would add.
import type { Column, Data } from './data';
import type { Filter, Selection, State } from './state';

export class FilterPanel {
  private readonly counters = new Map<string, HTMLElement[]>();

  constructor(private readonly host: HTMLElement, private readonly data: Data, private readonly change: (name: string, f: Filter | null) => void) {}

  /** Rebuilds the panel's inputs from the state (on load and when the URL changes). */
  build(state: State): void {
    this.host.textContent = '';
    this.counters.clear();
    this.active = new Set(state.filters.keys());
    for (const c of this.order()) {
      const box = document.createElement('details');
      box.className = 'filter';
      box.dataset.column = c.name;
      const f = state.filters.get(c.name);
      box.open = f !== undefined || c.name === this.data.raw.table.labelColumn;
      const summary = document.createElement('summary');
      summary.textContent = c.name;
      if (f) summary.classList.add('active');
      box.append(summary);
      if (c.kind === 'category') this.categories(box, c, f);
      else if (c.kind === 'boolean') this.boolean(box, c, f);
      else if (c.kind === 'number') this.range(box, c, f);
      this.host.append(box);
    }
  }

  /** The columns worth filtering (more than one value), the label, split and fold first, then flags, then numbers. */
  private order(): Column[] {
    const label = this.data.raw.table.labelColumn;
    const rank = (c: Column) => (c.name === label ? 0 : c.name === 'split' || c.name === 'fold' ? 1 : c.kind === 'category' ? 2 : c.kind === 'boolean' ? 3 : 4);
    const varied = (c: Column) => {
      if (c.kind === 'category') return c.values.length > 1;
      if (c.kind === 'number') return c.max > c.min;
      if (c.kind === 'boolean') return c.data.some((v) => v === 1) && c.data.some((v) => v !== 1);
      return false;
    };
    return this.data.columns.filter((c) => varied(c) || this.active.has(c.name)).sort((a, b) => rank(a) - rank(b));
  }

  private active = new Set<string>();

  private categories(box: HTMLElement, c: Extract<Column, { kind: 'category' }>, f: Filter | undefined): void {
    const chosen = f?.kind === 'category' ? f.values : new Set<string>();
    const list = document.createElement('div');
    list.className = 'choices';
    const counts: HTMLElement[] = [];
    c.values.forEach((v, k) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.value = v;
      input.checked = chosen.has(v);
      input.addEventListener('change', () => {
        const values = new Set([...list.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
        this.change(c.name, values.size ? { kind: 'category', values } : null);
      });
      const text = document.createElement('span');
      text.textContent = v;
      const count = document.createElement('span');
      count.className = 'count';
      count.dataset.code = String(k);
      counts.push(count);
      label.append(input, text, count);
      list.append(label);
    });
    this.counters.set(c.name, counts);
    box.append(list);
  }

  private boolean(box: HTMLElement, c: Column, f: Filter | undefined): void {
    const current = f?.kind === 'boolean' ? String(f.value) : 'any';
    const group = document.createElement('div');
    group.className = 'choices';
    const counts: HTMLElement[] = [];
    for (const v of ['any', 'true', 'false']) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = `flag-${c.name}`;
      input.value = v;
      input.checked = v === current;
      input.addEventListener('change', () => this.change(c.name, v === 'any' ? null : { kind: 'boolean', value: v === 'true' }));
      const text = document.createElement('span');
      text.textContent = v;
      const count = document.createElement('span');
      count.className = 'count';
      count.dataset.code = v === 'true' ? '1' : v === 'false' ? '0' : 'any';
      counts.push(count);
      label.append(input, text, count);
      group.append(label);
    }
    this.counters.set(c.name, counts);
    box.append(group);
  }

  private range(box: HTMLElement, c: Extract<Column, { kind: 'number' }>, f: Filter | undefined): void {
    const row = document.createElement('div');
    row.className = 'range';
    const make = (which: 'min' | 'max') => {
      const input = document.createElement('input');
      input.type = 'number';
      input.step = 'any';
      input.name = `${c.name}-${which}`;
      input.placeholder = (which === 'min' ? c.min : c.max).toPrecision(4);
      input.setAttribute('aria-label', `${c.name} ${which === 'min' ? 'minimum' : 'maximum'}`);
      const v = f?.kind === 'range' ? f[which] : null;
      if (v !== null) input.value = String(v);
      return input;
    };
    const lo = make('min'), hi = make('max');
    const update = () => {
      const min = lo.value.trim() === '' ? null : Number(lo.value), max = hi.value.trim() === '' ? null : Number(hi.value);
      this.change(c.name, min === null && max === null ? null : { kind: 'range', min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null });
    };
    lo.addEventListener('change', update);
    hi.addEventListener('change', update);
    const dash = document.createElement('span');
    dash.textContent = '–';
    row.append(lo, dash, hi);
    const count = document.createElement('span');
    count.className = 'count';
    count.dataset.code = 'range';
    this.counters.set(c.name, [count]);
    box.append(row, count);
  }

  /** Updates every count for the current selection. */
  counts(sel: Selection): void {
    const n = this.data.rows;
    for (const c of this.data.columns) {
      const counters = this.counters.get(c.name);
      if (!counters) continue;
      const own = sel.own.get(c.name);
      // Rows that pass every filter but this column's own.
      const free = (i: number) => sel.fails[i]! - (own ? own[i]! : 0) === 0;
      if (c.kind === 'category') {
        const counts = new Int32Array(c.values.length);
        for (let i = 0; i < n; i++) if (free(i) && c.codes[i]! >= 0) counts[c.codes[i]!] = counts[c.codes[i]!]! + 1;
        for (const el of counters) el.textContent = String(counts[Number(el.dataset.code)]);
      } else if (c.kind === 'boolean') {
        const counts = [0, 0, 0];
        for (let i = 0; i < n; i++) if (free(i)) counts[c.data[i]!]!++;
        for (const el of counters) el.textContent = String(el.dataset.code === 'any' ? counts[0]! + counts[1]! + counts[2]! : counts[Number(el.dataset.code)]);
      } else if (c.kind === 'number') {
        let k = 0;
        for (let i = 0; i < n; i++) if (sel.fails[i] === 0) k++;
        counters[0]!.textContent = own ? `${k} in range` : '';
      }
    }
  }
}
