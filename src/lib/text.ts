/** Lower-cases and strips diacritics so "Björk" matches "bjork". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();
}

/** The folded words of a search query; empty words are dropped. */
export function searchWords(query: string): string[] {
  return foldText(query).split(/\s+/).filter((w) => w.length > 0);
}

/** The text a track is searched by: its title, album and artist names. */
export function trackSearchText(title: string, album: string | undefined, artistNames: readonly string[]): string {
  return foldText([title, album ?? '', ...artistNames].join(' ')).replace(/\s+/g, ' ');
}
