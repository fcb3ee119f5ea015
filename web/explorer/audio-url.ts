// A row's audio URL as this page can load it: from disk as written; when served, linked files above the page's
// folder (`../../a.ogg`) through the server's /_up/ prefix (a URL cannot climb above the site's root).
export function audioUrl(src: string | null | undefined): string | null {
  if (!src) return null;
  if (location.protocol === 'file:') return src;
  return src.replace(/^(\.\.\/)+/, (m) => '_up/'.repeat(m.length / 3));
}
