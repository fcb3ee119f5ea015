// The clip grid: a thumbnail, name, label and QC badges per clip, virtualised (only the cells in view, plus a
// row above and below, exist in the DOM, recycled as it scrolls), so 50,000 clips scroll as smoothly as 50.
// Keyboard: arrows and Page Up/Down move the focus, Home/End jump, Enter opens the clip, Space plays it.
import { cellText, type Data } from './data';

export interface GridEvents {
  open(row: number): void;
  play(row: number, button: HTMLElement): void;
}

export class Grid {
  private rows: Int32Array = new Int32Array(0);
  private readonly space: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private readonly cellW: number;
  private readonly cellH: number;
  private focus = 0;
  private frame = 0;
  selected: number | null = null;

  constructor(private readonly scroller: HTMLElement, private readonly data: Data, private readonly on: GridEvents) {
    const t = data.raw.table.thumbSize;
    this.cellW = Math.max(150, t.width + 16);
    this.cellH = t.height + 74;
    this.space = document.createElement('div');
    this.space.className = 'grid-space';
    scroller.append(this.space);
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'listbox');
    scroller.setAttribute('aria-label', 'clips');
    scroller.addEventListener('scroll', () => this.request());
    new ResizeObserver(() => this.request()).observe(scroller);
    scroller.addEventListener('keydown', (e) => this.key(e));
  }

  setRows(rows: Int32Array): void {
    this.rows = rows;
    this.focus = Math.min(this.focus, Math.max(0, rows.length - 1));
    this.request();
  }

  private columns(): number {
    return Math.max(1, Math.floor(this.scroller.clientWidth / this.cellW));
  }

  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Lays out the cells in view now (the tests and the benchmark call it to avoid waiting for a frame). */
  render(): void {
    const cols = this.columns();
    const lines = Math.ceil(this.rows.length / cols);
    this.space.style.height = `${lines * this.cellH}px`;
    const top = this.scroller.scrollTop, height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.cellH) - 1);
    const last = Math.min(lines, Math.ceil((top + height) / this.cellH) + 1);
    const need = (last - first) * cols;
    while (this.pool.length < need) this.pool.push(this.makeCell());
    let used = 0;
    for (let line = first; line < last; line++) {
      for (let c = 0; c < cols; c++) {
        const k = line * cols + c;
        if (k >= this.rows.length) break;
        const cell = this.pool[used++]!;
        this.fill(cell, this.rows[k]!, k);
        cell.style.transform = `translate(${c * this.cellW}px, ${line * this.cellH}px)`;
        if (!cell.isConnected) this.space.append(cell);
      }
    }
    for (let k = used; k < this.pool.length; k++) this.pool[k]!.remove();
    if (this.rows.length) this.scroller.setAttribute('aria-activedescendant', `clip-${this.rows[this.focus]}`);
    else this.scroller.removeAttribute('aria-activedescendant');
  }

  private makeCell(): HTMLDivElement {
    const cell = document.createElement('div');
    cell.className = 'cell';
    cell.setAttribute('role', 'option');
    cell.style.width = `${this.cellW - 8}px`;
    cell.style.height = `${this.cellH - 8}px`;
    cell.innerHTML = '<div class="thumb"><img alt="" decoding="async"><button class="play" type="button" tabindex="-1" aria-label="play">▶</button></div><div class="name"></div><div class="label"></div><div class="flags"></div>';
    const t = this.data.raw.table.thumbSize;
    const img = cell.querySelector('img')!;
    img.width = t.width;
    img.height = t.height;
    cell.addEventListener('click', (e) => {
      const row = Number(cell.dataset.row);
      if ((e.target as HTMLElement).closest('.play')) this.on.play(row, cell.querySelector('.play')!);
      else {
        this.focus = Number(cell.dataset.k);
        this.on.open(row);
      }
    });
    return cell;
  }

  private fill(cell: HTMLDivElement, row: number, k: number): void {
    cell.dataset.k = String(k);
    if (cell.dataset.row === String(row) && cell.classList.contains('focused') === (k === this.focus) && cell.classList.contains('selected') === (row === this.selected)) return;
    cell.dataset.row = String(row);
    cell.id = `clip-${row}`;
    const t = this.data.raw.table;
    const img = cell.querySelector('img')!;
    const src = t.thumbs[row];
    if (src) img.src = src;
    else img.removeAttribute('src');
    img.alt = `spectrogram of ${t.names[row]}${t.spans[row] ? ` ${t.spans[row]}` : ''}`;
    cell.querySelector('.name')!.textContent = t.names[row]!;
    (cell.querySelector('.name') as HTMLElement).title = t.names[row]!;
    const label = t.labelColumn ? this.data.byName.get(t.labelColumn) : undefined;
    const span = t.spans[row];
    cell.querySelector('.label')!.textContent = [label ? cellText(label, row) : '', span ?? ''].filter(Boolean).join(' · ');
    const flags = cell.querySelector('.flags')!;
    flags.textContent = '';
    for (const f of t.flagColumns) {
      const c = this.data.byName.get(f);
      if (c?.kind === 'boolean' && c.data[row] === 1) {
        const b = document.createElement('span');
        b.className = 'flag';
        b.textContent = f.replace(/_/g, ' ');
        flags.append(b);
      }
    }
    (cell.querySelector('.play') as HTMLButtonElement).disabled = !t.audio[row];
    cell.classList.toggle('focused', k === this.focus);
    cell.classList.toggle('selected', row === this.selected);
    cell.setAttribute('aria-selected', String(row === this.selected));
  }

  private key(e: KeyboardEvent): void {
    if (!this.rows.length) return;
    const cols = this.columns();
    const page = cols * Math.max(1, Math.floor(this.scroller.clientHeight / this.cellH));
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, PageDown: page, PageUp: -page };
    let next = this.focus;
    if (e.key in moves) next += moves[e.key]!;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.rows.length - 1;
    else if (e.key === 'Enter') return void (e.preventDefault(), this.on.open(this.rows[this.focus]!));
    else if (e.key === ' ') {
      e.preventDefault();
      const cell = this.space.querySelector<HTMLElement>(`#clip-${this.rows[this.focus]}`);
      return this.on.play(this.rows[this.focus]!, cell?.querySelector('.play') ?? this.scroller);
    } else return;
    e.preventDefault();
    this.focus = Math.min(this.rows.length - 1, Math.max(0, next));
    const line = Math.floor(this.focus / cols);
    const top = line * this.cellH;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + this.cellH > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + this.cellH - this.scroller.clientHeight;
    this.render();
  }

  /** Scrolls so that row `row` is in view (when it is in the grid). */
  reveal(row: number): void {
    const k = this.rows.indexOf(row);
    if (k < 0) return;
    this.focus = k;
    const top = Math.floor(k / this.columns()) * this.cellH;
    if (top < this.scroller.scrollTop || top + this.cellH > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = Math.max(0, top - this.cellH);
    this.render();
  }
}
