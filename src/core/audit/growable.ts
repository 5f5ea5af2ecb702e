/**
 * Columns that grow in place: typed arrays over resizable ArrayBuffers (ES2024), so a bigger
 * column commits more pages of one reservation instead of copying into a new allocation. That
 * keeps a ten-million-event audit from leaving freed copies behind in the process's memory.
 */

type Column = Float64Array | Int32Array | Uint16Array | Uint8Array;
type ColumnClass<T extends Column> = { new (buffer: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number };

/** The most bytes one column may reserve (the engine's limit for a resizable buffer). */
const MAX_BYTES = 2 ** 31;

/** An empty growable column of `type`. */
export function growable<T extends Column>(type: ColumnClass<T>): T {
  return new type(new ArrayBuffer(0, { maxByteLength: MAX_BYTES - (MAX_BYTES % type.BYTES_PER_ELEMENT) }));
}

/**
 * `column` with room for at least `length` elements, new elements set to `fill` (when given).
 * Grows in place where it can; a fixed column (one taken over from another thread) is copied
 * once into a growable one.
 */
export function growTo<T extends Column>(column: T, length: number, fill?: number): T {
  const old = column.length;
  if (length <= old) return column;
  const buffer = column.buffer as ArrayBuffer;
  const bytes = length * column.BYTES_PER_ELEMENT;
  let grown: T;
  if (buffer.resizable && bytes <= buffer.maxByteLength && column.byteOffset === 0) {
    buffer.resize(bytes);
    grown = column; // a length-tracking view: it sees the new length
  } else {
    const type = column.constructor as ColumnClass<T>;
    grown = growable(type);
    (grown.buffer as ArrayBuffer).resize(bytes);
    grown.set(column);
  }
  if (fill !== undefined && fill !== 0) grown.fill(fill, old);
  return grown;
}
