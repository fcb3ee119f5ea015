// The selected clip: its spectrogram, a player, every column's value and its k nearest neighbours (cosine
// similarity of the embeddings, computed in Node with VectorIndex), each with its own player.
import { cellText, type Data } from './data';
import { audioUrl } from './audio-url';

export interface DetailEvents {
  open(row: number): void;
  play(row: number, button: HTMLElement): void;
}

export function neighboursOf(data: Data, row: number): { row: number; score: number }[] {
  const nb = data.neighbours;
  if (!nb) return [];
  const out: { row: number; score: number }[] = [];
  for (let j = 0; j < nb.k; j++) {
    const r = nb.rows[row * nb.k + j]!;
    if (r >= 0) out.push({ row: r, score: nb.scores[row * nb.k + j]! });
  }
  return out;
}

export function renderDetail(host: HTMLElement, data: Data, row: number | null, on: DetailEvents): void {
  host.textContent = '';
  if (row === null) {
    host.innerHTML = '<p class="hint">Click a clip in the grid or a point on the map to see it here with its nearest neighbours. Keyboard: arrows move through the grid, Enter opens, Space plays.</p>';
    return;
  }
  const t = data.raw.table;
  const head = document.createElement('h2');
  head.textContent = t.spans[row] ? `${t.names[row]} (${t.spans[row]})` : t.names[row]!;
  host.append(head);
  if (t.thumbs[row]) {
    const img = document.createElement('img');
    img.className = 'detail-thumb';
    img.src = t.thumbs[row]!;
    img.alt = `spectrogram of ${t.names[row]}`;
    host.append(img);
  }
  if (t.audio[row]) {
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'none';
    audio.src = audioUrl(t.audio[row])!;
    audio.id = 'detail-audio';
    host.append(audio);
  }
  const table = document.createElement('table');
  table.className = 'values';
  for (const c of data.columns) {
    const tr = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = c.name;
    tr.append(th);
    tr.insertCell().textContent = cellText(c, row);
  }
  host.append(table);
  const nbs = neighboursOf(data, row);
  if (!data.neighbours) return;
  const h3 = document.createElement('h3');
  h3.textContent = `${data.neighbours.k} nearest neighbours (cosine similarity)`;
  host.append(h3);
  const list = document.createElement('ol');
  list.id = 'neighbours';
  const label = t.labelColumn ? data.byName.get(t.labelColumn) : undefined;
  for (const { row: r, score } of nbs) {
    const li = document.createElement('li');
    li.dataset.row = String(r);
    li.tabIndex = 0;
    li.innerHTML = '<img alt=""><div><div class="name"></div><div class="label"></div><div class="score"></div></div><button type="button" class="play" aria-label="play">▶</button>';
    const img = li.querySelector('img')!;
    if (t.thumbs[r]) img.src = t.thumbs[r]!;
    img.alt = `spectrogram of ${t.names[r]}`;
    li.querySelector('.name')!.textContent = t.spans[r] ? `${t.names[r]} (${t.spans[r]})` : t.names[r]!;
    li.querySelector('.label')!.textContent = label ? cellText(label, r) : '';
    li.querySelector('.score')!.textContent = score.toFixed(4);
    const play = li.querySelector<HTMLButtonElement>('.play')!;
    play.disabled = !t.audio[r];
    play.addEventListener('click', (e) => {
      e.stopPropagation();
      on.play(r, play);
    });
    li.addEventListener('click', () => on.open(r));
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') on.open(r);
    });
    list.append(li);
  }
  if (!nbs.length) list.innerHTML = '<li class="hint">This clip has no embedding.</li>';
  host.append(list);
}
