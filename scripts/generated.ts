// Generated blocks of the documents (the bench's results in docs/performance.md, the fault
// campaign's in docs/reliability.md): what lies between two markers is replaced, the rest kept.

/** Markers around a generated block of a document. */
export interface Markers {
  begin: string;
  end: string;
}

/** Replaces what lies between the markers (both kept); appends them when the file has none. */
export function replaceBetweenMarkers(
  document: string,
  generated: string,
  markers: Markers,
): string {
  const begin = document.indexOf(markers.begin);
  const end = document.indexOf(markers.end);
  const block = `${markers.begin}\n\n${generated}\n\n${markers.end}`;
  if (begin === -1 || end === -1 || end < begin) return `${document.trimEnd()}\n\n${block}\n`;
  return document.slice(0, begin) + block + document.slice(end + markers.end.length);
}
