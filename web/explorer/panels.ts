// The overview tab (charts made in Node as SVG, tables) and the detections tab (one strip per tape: its
// spectrogram with the truth and detected boxes over it, coloured by how they matched).
import type { PageDetections, PageDoctor, PageOverview } from '../../src/explore/page-types';

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The SVG drawn on a canvas at twice its size, as PNG. */
function svgToPng(svg: string, name: string): void {
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = img.width * 2;
    c.height = img.height * 2;
    const g = c.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, 0, 0, c.width, c.height);
    c.toBlob((b) => b && download(name, b), 'image/png');
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function renderOverview(host: HTMLElement, overview: PageOverview | undefined): void {
  host.textContent = '';
  if (!overview || !overview.sections.length) {
    host.innerHTML = '<p class="hint">No overview: the table has no numeric statistics, flags or labels to summarise.</p>';
    return;
  }
  for (const s of overview.sections) {
    const section = document.createElement('section');
    section.className = 'overview-section';
    const h = document.createElement('h2');
    h.textContent = s.title;
    section.append(h);
    for (const note of s.notes) {
      const p = document.createElement('p');
      p.textContent = note;
      section.append(p);
    }
    for (const t of s.tables) {
      const table = document.createElement('table');
      table.className = 'report';
      const cap = table.createCaption();
      cap.textContent = t.title;
      const head = table.createTHead().insertRow();
      for (const x of t.header) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = x;
        head.append(th);
      }
      const body = table.createTBody();
      for (const r of t.rows) {
        const tr = body.insertRow();
        for (const v of r) {
          const td = tr.insertCell();
          td.textContent = v === null ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v;
          if (typeof v === 'number') td.className = 'num';
        }
      }
      section.append(table);
      if (t.caption) {
        const p = document.createElement('p');
        p.className = 'caption';
        p.textContent = t.caption;
        section.append(p);
      }
    }
    const figs = document.createElement('div');
    figs.className = 'figures';
    for (const f of s.figures) {
      const fig = document.createElement('figure');
      fig.dataset.figure = f.name;
      fig.innerHTML = f.svg;
      const cap = document.createElement('figcaption');
      cap.textContent = f.caption ? `${f.title}. ${f.caption}` : f.title;
      const svgButton = document.createElement('button');
      svgButton.type = 'button';
      svgButton.textContent = 'SVG';
      svgButton.addEventListener('click', () => download(`${f.name}.svg`, new Blob([f.svg], { type: 'image/svg+xml' })));
      const pngButton = document.createElement('button');
      pngButton.type = 'button';
      pngButton.textContent = 'PNG';
      pngButton.addEventListener('click', () => svgToPng(f.svg, `${f.name}.png`));
      cap.append(' ', svgButton, ' ', pngButton);
      fig.append(cap);
      figs.append(fig);
    }
    section.append(figs);
    host.append(section);
  }
}

const BOX_COLOURS: Record<string, string> = { matched: '#1a9850', missed: '#d73027', false: '#f46d43', truth: '#4575b4', detection: '#fdae61' };

export function renderDetections(host: HTMLElement, det: PageDetections | undefined): void {
  host.textContent = '';
  if (!det) {
    host.innerHTML = '<p class="hint">No detections: run with --detections (and --truth, --tapes) to see them here.</p>';
    return;
  }
  const legend = document.createElement('p');
  legend.className = 'legend';
  legend.innerHTML = Object.entries({ matched: 'matched (detection and truth)', missed: 'missed truth', false: 'false detection', truth: 'truth (unscored)', detection: 'detection (unscored)' })
    .map(([k, v]) => `<span class="swatch" style="border-color:${BOX_COLOURS[k]}"></span>${v}`)
    .join(' ');
  host.append(legend);
  for (const tape of det.tapes) {
    const block = document.createElement('section');
    block.className = 'tape';
    const h = document.createElement('h3');
    h.textContent = `${tape.name}: ${tape.counts.matched} matched, ${tape.counts.missed} missed, ${tape.counts.false} false (IoU ≥ ${det.iou})`;
    block.append(h);
    const scroller = document.createElement('div');
    scroller.className = 'strip-scroll';
    const strip = document.createElement('div');
    strip.className = 'strip';
    const width = Math.max(800, Math.round(tape.duration * 20));
    strip.style.width = `${width}px`;
    if (tape.image) {
      const img = document.createElement('img');
      img.src = tape.image;
      img.alt = `spectrogram of ${tape.name}`;
      strip.append(img);
    }
    const span = tape.fMax - tape.fMin || 1;
    for (const b of tape.boxes) {
      const el = document.createElement('div');
      el.className = `box ${b.kind}`;
      el.style.left = `${(100 * b.start) / tape.duration}%`;
      el.style.width = `${Math.max(0.05, (100 * (b.end - b.start)) / tape.duration)}%`;
      const hi = Math.min(tape.fMax, b.high || tape.fMax), lo = Math.max(tape.fMin, b.low || tape.fMin);
      el.style.top = `${(100 * (tape.fMax - hi)) / span}%`;
      el.style.height = `${Math.max(1, (100 * (hi - lo)) / span)}%`;
      el.style.borderColor = BOX_COLOURS[b.kind]!;
      el.title = `${b.kind}${b.label ? ` ${b.label}` : ''}: ${b.start.toFixed(2)}–${b.end.toFixed(2)} s, ${Math.round(lo)}–${Math.round(hi)} Hz`;
      strip.append(el);
    }
    const axis = document.createElement('div');
    axis.className = 'strip-axis';
    const step = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600].find((s) => (s / tape.duration) * width >= 80) ?? 3600;
    for (let t = 0; t <= tape.duration; t += step) {
      const tick = document.createElement('span');
      tick.style.left = `${(100 * t) / tape.duration}%`;
      if (t === 0) tick.style.transform = 'none';
      tick.textContent = `${t} s`;
      axis.append(tick);
    }
    strip.append(axis);
    scroller.append(strip);
    block.append(scroller);
    host.append(block);
  }
}

export interface DoctorEvents {
  open(row: number): void;
  group(id: number): void;
}

/** The doctor tab: duplicate groups (leaks first), label-issue candidates, outliers, band-limited recordings. */
export function renderDoctor(host: HTMLElement, doctor: PageDoctor | undefined, name: (row: number) => string, on: DoctorEvents): void {
  host.textContent = '';
  if (!doctor) {
    host.innerHTML = '<p class="hint">No doctor report: run <code>audiomill doctor manifest --out doctor/</code>, then explore <code>doctor/&lt;manifest&gt;.doctor.parquet</code> (or pass <code>--doctor doctor/doctor.json</code>).</p>';
    return;
  }
  const section = (title: string, note: string) => {
    const s = document.createElement('section');
    s.className = 'overview-section';
    const h = document.createElement('h2');
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = note;
    s.append(h, p);
    host.append(s);
    return s;
  };
  const link = (row: number) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'row-link';
    b.dataset.row = String(row);
    b.textContent = name(row);
    b.addEventListener('click', () => on.open(row));
    return b;
  };
  const table = (host: HTMLElement, header: string[], rows: (string | number | HTMLElement | HTMLElement[])[][]) => {
    const t = document.createElement('table');
    t.className = 'report';
    const head = t.createTHead().insertRow();
    for (const x of header) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = x;
      head.append(th);
    }
    const body = t.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      for (const v of r) {
        const td = tr.insertCell();
        if (Array.isArray(v)) v.forEach((e, k) => td.append(...(k ? ['; ', e] : [e])));
        else if (v instanceof HTMLElement) td.append(v);
        else {
          td.textContent = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v;
          if (typeof v === 'number') td.className = 'num';
        }
      }
    }
    host.append(t);
  };
  const d = doctor.duplicates;
  const dup = section('Duplicates and leakage', d.leakage.groups ? `${d.leakage.groups} duplicate groups span more than one split (${d.leakage.rows} rows, ${d.leakage.testRows} of them evaluation rows): scores on those rows can be inflated.` : `${d.groups.length} duplicate groups; none spans more than one split.`);
  dup.id = 'doctor-duplicates';
  const groups = [...d.groups].sort((a, b) => Number(b.leaks) - Number(a.leaks) || b.rows.length - a.rows.length).slice(0, 200);
  table(dup, ['group', 'rows', 'splits', 'members', ''], groups.map((g) => {
    const show = document.createElement('button');
    show.type = 'button';
    show.textContent = 'show in grid';
    show.addEventListener('click', () => on.group(g.id));
    return [g.id, g.rows.length, `${g.splits.join(', ')}${g.leaks ? ' (leak)' : ''}`, g.rows.slice(0, 6).map(link), show];
  }));
  const li = section('Label issues', 'Ranked by 1 − the out-of-fold probability of the given label.');
  li.id = 'doctor-labels';
  table(li, ['rank', 'clip', 'label', 'suggested', 'score'], doctor.labelIssues.slice(0, 100).map((r, k) => [k + 1, link(r.row), r.label ?? '', r.suggested ?? '', r.score]));
  const out = section('Outliers', "k-distance ÷ the median k-distance of the row's neighbours.");
  table(out, ['rank', 'clip', 'score'], doctor.outliers.slice(0, 50).map((r, k) => [k + 1, link(r.row), r.score]));
  const bl = section('Band-limited recordings', 'Content stops at a cliff well below the Nyquist frequency (upsampled, or low-passed by a codec).');
  table(bl, ['clip', 'bandwidth (Hz)', 'likely original rate (Hz)'], doctor.bandLimited.slice(0, 200).map((r) => [link(r.row), r.hz, r.likelyRate ?? '?']));
}
