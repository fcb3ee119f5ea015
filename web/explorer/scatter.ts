// The map: every row a point, drawn with WebGL (a Canvas 2D fallback where WebGL is unavailable), coloured by a
// column, the rows the filters leave out drawn faint. Wheel zooms, a drag pans (or draws a lasso in lasso mode),
// hovering finds the nearest point, a click selects it. Axes, the lasso and the selected clip's ring are drawn
// on a 2-D canvas above the points.
import { ticks } from '../../src/explore/scales';
import type { MapData } from './data';

const M = { left: 56, right: 12, top: 10, bottom: 40 };

export interface ScatterEvents {
  lasso(points: [number, number][] | null): void;
  hover(row: number | null): void;
  click(row: number): void;
}

const VERT = `attribute vec2 a_pos; attribute vec4 a_col; uniform vec2 u_c; uniform vec2 u_k; uniform float u_size;
varying vec4 v_col; void main() { gl_Position = vec4((a_pos - u_c) * u_k, 0.0, 1.0); gl_PointSize = u_size; v_col = a_col; }`;
const FRAG = `precision mediump float; varying vec4 v_col; void main() { vec2 d = gl_PointCoord - vec2(0.5);
if (dot(d, d) > 0.25) discard; gl_FragColor = vec4(v_col.rgb * v_col.a, v_col.a); }`;

export class Scatter {
  readonly canvas: HTMLCanvasElement;
  readonly overlay: HTMLCanvasElement;
  mode: 'lasso' | 'pan' = 'lasso';
  renderer: 'webgl' | 'canvas2d' = 'canvas2d';
  private gl: WebGLRenderingContext | null = null;
  private ctx2d: CanvasRenderingContext2D | null = null;
  private buffers: { pos: WebGLBuffer; col: WebGLBuffer; prog: WebGLProgram } | null = null;
  private map: MapData | null = null;
  private rgb: Uint8Array = new Uint8Array(0);
  private fails: ArrayLike<number> = new Uint16Array(0);
  private order = new Int32Array(0);
  private view = { cx: 0, cy: 0, zoom: 1 };
  private lasso: [number, number][] | null = null;
  private drawing: [number, number][] | null = null;
  private selected: number | null = null;
  private marked: number[] = [];
  private hovered: number | null = null;
  private frame = 0;

  constructor(private readonly host: HTMLElement, private readonly on: ScatterEvents) {
    this.canvas = document.createElement('canvas');
    this.overlay = document.createElement('canvas');
    this.canvas.className = 'map-points';
    this.overlay.className = 'map-overlay';
    host.append(this.canvas, this.overlay);
    const gl = this.canvas.getContext('webgl', { antialias: false, premultipliedAlpha: true, preserveDrawingBuffer: true });
    if (gl && this.initGl(gl)) this.renderer = 'webgl';
    else this.ctx2d = this.canvas.getContext('2d');
    host.dataset.renderer = this.renderer;
    this.listen();
    new ResizeObserver(() => this.requestDraw()).observe(host);
  }

  private initGl(gl: WebGLRenderingContext): boolean {
    const shader = (type: number, src: string) => {
      const s = gl.createShader(type)!;
      gl.shaderSource(s, src);
      gl.compileShader(s);
      return gl.getShaderParameter(s, gl.COMPILE_STATUS) ? s : null;
    };
    const v = shader(gl.VERTEX_SHADER, VERT), f = shader(gl.FRAGMENT_SHADER, FRAG);
    if (!v || !f) return false;
    const prog = gl.createProgram()!;
    gl.attachShader(prog, v);
    gl.attachShader(prog, f);
    gl.linkProgram(prog);
    if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) return false;
    this.gl = gl;
    this.buffers = { pos: gl.createBuffer()!, col: gl.createBuffer()!, prog };
    return true;
  }

  setMap(map: MapData | null): void {
    this.map = map;
    this.view = map ? { cx: (map.bounds.x0 + map.bounds.x1) / 2, cy: (map.bounds.y0 + map.bounds.y1) / 2, zoom: 1 } : { cx: 0, cy: 0, zoom: 1 };
    this.upload();
  }

  /** Colours per row (RGB bytes) and, per row, how many filters it fails (0: drawn in colour). */
  setStyle(rgb: Uint8Array, fails: ArrayLike<number>): void {
    this.rgb = rgb;
    this.fails = fails;
    this.upload();
  }

  setLasso(points: [number, number][] | null): void {
    this.lasso = points;
    this.requestDraw();
  }

  setMarks(selected: number | null, neighbours: number[]): void {
    this.selected = selected;
    this.marked = neighbours;
    this.requestDraw();
  }

  /** Points in drawing order: faint ones first, so the rows that pass the filters are on top. */
  private upload(): void {
    const m = this.map;
    if (!m) return this.requestDraw();
    const n = m.x.length;
    const order = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) if (this.fails[i]) order[k++] = i;
    for (let i = 0; i < n; i++) if (!this.fails[i]) order[k++] = i;
    this.order = order;
    if (this.gl && this.buffers) {
      const gl = this.gl;
      const pos = new Float32Array(2 * n), col = new Uint8Array(4 * n);
      for (let j = 0; j < n; j++) {
        const i = order[j]!;
        pos[2 * j] = m.x[i]!;
        pos[2 * j + 1] = m.y[i]!;
        const faint = this.fails[i] !== 0;
        col[4 * j] = faint ? 190 : (this.rgb[3 * i] ?? 60);
        col[4 * j + 1] = faint ? 190 : (this.rgb[3 * i + 1] ?? 110);
        col[4 * j + 2] = faint ? 190 : (this.rgb[3 * i + 2] ?? 165);
        col[4 * j + 3] = faint ? 70 : 225;
      }
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.pos);
      gl.bufferData(gl.ARRAY_BUFFER, pos, gl.STATIC_DRAW);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.col);
      gl.bufferData(gl.ARRAY_BUFFER, col, gl.STATIC_DRAW);
    }
    this.requestDraw();
  }

  private size(): { w: number; h: number; dpr: number } {
    return { w: Math.max(50, this.host.clientWidth), h: Math.max(50, this.host.clientHeight), dpr: window.devicePixelRatio || 1 };
  }

  /** Data units to CSS pixels inside the canvas. */
  private scale(): { kx: number; ky: number; ox: number; oy: number } {
    const { w, h } = this.size();
    const b = this.map!.bounds;
    const pw = w - M.left - M.right, ph = h - M.top - M.bottom;
    return { kx: (this.view.zoom * pw) / (b.x1 - b.x0), ky: (this.view.zoom * ph) / (b.y1 - b.y0), ox: M.left + pw / 2, oy: M.top + ph / 2 };
  }

  toScreen(x: number, y: number): [number, number] {
    const s = this.scale();
    return [s.ox + (x - this.view.cx) * s.kx, s.oy - (y - this.view.cy) * s.ky];
  }

  toData(px: number, py: number): [number, number] {
    const s = this.scale();
    return [this.view.cx + (px - s.ox) / s.kx, this.view.cy - (py - s.oy) / s.ky];
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private pointSize(): number {
    const n = this.map?.x.length ?? 0;
    return n > 20000 ? 3 : n > 3000 ? 4 : 6;
  }

  draw(): void {
    // A hidden map (another tab) has no size: it is drawn when it shows (the ResizeObserver asks).
    if (!this.host.clientWidth || !this.host.clientHeight) return;
    const { w, h, dpr } = this.size();
    for (const c of [this.canvas, this.overlay]) {
      if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(w * dpr);
        c.height = Math.round(h * dpr);
      }
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
    const o = this.overlay.getContext('2d')!;
    o.setTransform(dpr, 0, 0, dpr, 0, 0);
    o.clearRect(0, 0, w, h);
    const m = this.map;
    if (!m) {
      if (this.gl) this.gl.clear(this.gl.COLOR_BUFFER_BIT);
      o.fillStyle = '#444';
      o.font = '14px system-ui, sans-serif';
      o.fillText('No map: run with --embeddings (or a manifest with numeric statistics) to get one.', 16, 30);
      return;
    }
    const s = this.scale();
    const size = this.pointSize();
    if (this.gl && this.buffers) {
      const gl = this.gl;
      const { prog, pos, col } = this.buffers;
      gl.viewport(0, 0, this.canvas.width, this.canvas.height);
      gl.clearColor(1, 1, 1, 1);
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.enable(gl.SCISSOR_TEST);
      gl.scissor(M.left * dpr, M.bottom * dpr, (w - M.left - M.right) * dpr, (h - M.top - M.bottom) * dpr);
      gl.enable(gl.BLEND);
      gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
      gl.useProgram(prog);
      // Clip space: the plot area's centre at (ox, oy) CSS pixels.
      const cxClip = ((s.ox / w) * 2 - 1), cyClip = 1 - (s.oy / h) * 2;
      gl.uniform2f(gl.getUniformLocation(prog, 'u_c'), this.view.cx - cxClip / ((2 * s.kx) / w), this.view.cy - cyClip / ((2 * s.ky) / h));
      gl.uniform2f(gl.getUniformLocation(prog, 'u_k'), (2 * s.kx) / w, (2 * s.ky) / h);
      gl.uniform1f(gl.getUniformLocation(prog, 'u_size'), size * dpr);
      const aPos = gl.getAttribLocation(prog, 'a_pos'), aCol = gl.getAttribLocation(prog, 'a_col');
      gl.bindBuffer(gl.ARRAY_BUFFER, pos);
      gl.enableVertexAttribArray(aPos);
      gl.vertexAttribPointer(aPos, 2, gl.FLOAT, false, 0, 0);
      gl.bindBuffer(gl.ARRAY_BUFFER, col);
      gl.enableVertexAttribArray(aCol);
      gl.vertexAttribPointer(aCol, 4, gl.UNSIGNED_BYTE, true, 0, 0);
      gl.drawArrays(gl.POINTS, 0, m.x.length);
      gl.disable(gl.SCISSOR_TEST);
    } else if (this.ctx2d) {
      const c = this.ctx2d;
      c.setTransform(dpr, 0, 0, dpr, 0, 0);
      c.fillStyle = '#fff';
      c.fillRect(0, 0, w, h);
      c.save();
      c.beginPath();
      c.rect(M.left, M.top, w - M.left - M.right, h - M.top - M.bottom);
      c.clip();
      for (const i of this.order) {
        const [px, py] = this.toScreen(m.x[i]!, m.y[i]!);
        c.fillStyle = this.fails[i] ? 'rgba(190,190,190,0.3)' : `rgb(${this.rgb[3 * i] ?? 60},${this.rgb[3 * i + 1] ?? 110},${this.rgb[3 * i + 2] ?? 165})`;
        c.fillRect(px - size / 2, py - size / 2, size, size);
      }
      c.restore();
    }
    this.drawAxes(o, w, h, m);
    o.save();
    o.beginPath();
    o.rect(M.left, M.top, w - M.left - M.right, h - M.top - M.bottom);
    o.clip();
    const ring = (row: number, colour: string, r: number, width: number) => {
      const [px, py] = this.toScreen(m.x[row]!, m.y[row]!);
      o.strokeStyle = colour;
      o.lineWidth = width;
      o.beginPath();
      o.arc(px, py, r, 0, 2 * Math.PI);
      o.stroke();
    };
    for (const r of this.marked) ring(r, '#d4a017', size / 2 + 3, 2);
    if (this.selected !== null) ring(this.selected, '#000', size / 2 + 5, 2.5);
    if (this.hovered !== null) ring(this.hovered, '#000', size / 2 + 2, 1);
    for (const [pts, dashed] of [[this.lasso, false], [this.drawing, true]] as const) {
      if (!pts || pts.length < 2) continue;
      o.strokeStyle = '#111';
      o.fillStyle = 'rgba(30, 90, 200, 0.08)';
      o.lineWidth = 1.5;
      o.setLineDash(dashed ? [4, 3] : []);
      o.beginPath();
      pts.forEach(([x, y], k) => {
        const [px, py] = this.toScreen(x, y);
        if (k === 0) o.moveTo(px, py);
        else o.lineTo(px, py);
      });
      o.closePath();
      o.fill();
      o.stroke();
    }
    o.restore();
  }

  private drawAxes(o: CanvasRenderingContext2D, w: number, h: number, m: MapData): void {
    const [x0, y1] = this.toData(M.left, M.top), [x1, y0] = this.toData(w - M.right, h - M.bottom);
    o.strokeStyle = '#555';
    o.fillStyle = '#222';
    o.lineWidth = 1;
    o.font = '11px system-ui, sans-serif';
    o.beginPath();
    o.moveTo(M.left, M.top);
    o.lineTo(M.left, h - M.bottom);
    o.lineTo(w - M.right, h - M.bottom);
    o.stroke();
    o.textAlign = 'center';
    o.textBaseline = 'top';
    for (const t of ticks(x0, x1, Math.max(2, Math.floor((w - M.left) / 90)))) {
      const [px] = this.toScreen(t, 0);
      o.beginPath();
      o.moveTo(px, h - M.bottom);
      o.lineTo(px, h - M.bottom + 4);
      o.stroke();
      o.fillText(String(+t.toPrecision(4)), px, h - M.bottom + 6);
    }
    o.textAlign = 'right';
    o.textBaseline = 'middle';
    for (const t of ticks(y0, y1, Math.max(2, Math.floor((h - M.bottom) / 60)))) {
      const [, py] = this.toScreen(0, t);
      o.beginPath();
      o.moveTo(M.left - 4, py);
      o.lineTo(M.left, py);
      o.stroke();
      o.fillText(String(+t.toPrecision(4)), M.left - 6, py);
    }
    o.textAlign = 'center';
    o.textBaseline = 'bottom';
    o.font = '12px system-ui, sans-serif';
    o.fillText(m.xLabel, M.left + (w - M.left - M.right) / 2, h - 2);
    o.save();
    o.translate(12, M.top + (h - M.top - M.bottom) / 2);
    o.rotate(-Math.PI / 2);
    o.textBaseline = 'top';
    o.fillText(m.yLabel, 0, -8);
    o.restore();
  }

  /** The row drawn in colour nearest to (px, py) within 10 CSS pixels. */
  nearest(px: number, py: number): number | null {
    const m = this.map;
    if (!m) return null;
    const s = this.scale();
    let best = 100, row: number | null = null;
    for (let i = 0; i < m.x.length; i++) {
      if (this.fails[i]) continue;
      const dx = s.ox + (m.x[i]! - this.view.cx) * s.kx - px, dy = s.oy - (m.y[i]! - this.view.cy) * s.ky - py;
      const d = dx * dx + dy * dy;
      if (d < best) (best = d), (row = i);
    }
    return row;
  }

  resetView(): void {
    this.setMap(this.map);
  }

  private listen(): void {
    const el = this.overlay;
    let down: { x: number; y: number; cx: number; cy: number; moved: boolean } | null = null;
    const at = (e: MouseEvent): [number, number] => {
      const r = el.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    el.addEventListener('mousedown', (e) => {
      if (!this.map || e.button !== 0) return;
      const [px, py] = at(e);
      down = { x: px, y: py, cx: this.view.cx, cy: this.view.cy, moved: false };
      if (this.mode === 'lasso' && !e.altKey) this.drawing = [this.toData(px, py)];
      e.preventDefault();
    });
    window.addEventListener('mousemove', (e) => {
      if (!this.map) return;
      const [px, py] = at(e);
      if (down) {
        if (Math.hypot(px - down.x, py - down.y) > 3) down.moved = true;
        if (this.drawing) {
          this.drawing.push(this.toData(px, py));
        } else {
          const s = this.scale();
          this.view.cx = down.cx - (px - down.x) / s.kx;
          this.view.cy = down.cy + (py - down.y) / s.ky;
        }
        this.requestDraw();
        return;
      }
      if (e.target !== el) return;
      const row = this.nearest(px, py);
      if (row !== this.hovered) {
        this.hovered = row;
        this.on.hover(row);
        this.requestDraw();
      }
    });
    window.addEventListener('mouseup', (e) => {
      if (!down) return;
      const d = down;
      down = null;
      const pts = this.drawing;
      this.drawing = null;
      if (!d.moved) {
        const [px, py] = at(e);
        const row = this.nearest(px, py);
        if (row !== null) this.on.click(row);
      } else if (pts && pts.length >= 3) {
        this.on.lasso(pts.length > 200 ? pts.filter((_, k) => k % Math.ceil(pts.length / 200) === 0) : pts);
      }
      this.requestDraw();
    });
    el.addEventListener('mouseleave', () => {
      if (this.hovered !== null) {
        this.hovered = null;
        this.on.hover(null);
        this.requestDraw();
      }
    });
    el.addEventListener(
      'wheel',
      (e) => {
        if (!this.map) return;
        e.preventDefault();
        const [px, py] = at(e);
        const [dx, dy] = this.toData(px, py);
        const f = Math.exp(-e.deltaY * 0.0015);
        this.view.zoom = Math.min(500, Math.max(0.2, this.view.zoom * f));
        const [nx, ny] = this.toData(px, py);
        this.view.cx += dx - nx;
        this.view.cy += dy - ny;
        this.requestDraw();
      },
      { passive: false },
    );
    el.addEventListener('dblclick', () => this.resetView());
  }
}
