import { COLUMN_TYPES, EXPORT_COLUMNS, type FocusRow } from "./focus-columns.js";

/** Writes FOCUS rows as CSV text in batches, header first. */
export interface FocusCsvWriter {
  add(row: FocusRow): void;
  /** Writes what is buffered; returns how many rows were written in all. */
  end(): number;
}

const BATCH = 2000;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell (RFC 4180): null is empty; text with a comma, quote or line break is quoted. */
function cell(v: string | null): string {
  if (v === null) return "";
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A FOCUS CSV writer: the header, then one line per row; a null is an empty cell (FOCUS's
 * null), and text with commas, quotes or newlines is quoted (RFC 4180).
 */
export function createFocusCsvWriter(write: (text: string) => void): FocusCsvWriter {
  let batch: string[] = [];
  let rows = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    write(batch.join(""));
    batch = [];
  };
  write(`${EXPORT_COLUMNS.join(",")}\n`);
  return {
    add(row) {
      batch.push(`${EXPORT_COLUMNS.map((c) => cell(row[c])).join(",")}\n`);
      rows++;
      if (batch.length >= BATCH) flush();
    },
    end() {
      flush();
      return rows;
    },
  };
}

/** The schema metadata FOCUS asks a dataset to ship beside it (never as a column). */
export function focusMetadata(generatorVersion: string, createdAt: string): unknown {
  return {
    DataGenerator: { DataGenerator: "failcost" },
    Schemas: [
      {
        SchemaId: `failcost-focus-1.3-${generatorVersion}`,
        FocusVersion: "1.3",
        CreationDate: createdAt,
        DataGeneratorVersion: generatorVersion,
        ColumnDefinition: EXPORT_COLUMNS.map((c) => ({ ColumnName: c, DataType: COLUMN_TYPES[c] })),
      },
    ],
  };
}
