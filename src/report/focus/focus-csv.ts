import { stringify } from "csv-stringify/sync";
import { COLUMN_TYPES, EXPORT_COLUMNS, type FocusRow } from "./focus-columns.js";

/** Writes FOCUS rows as CSV text in batches, header first. */
export interface FocusCsvWriter {
  add(row: FocusRow): void;
  /** Writes what is buffered; returns how many rows were written in all. */
  end(): number;
}

const BATCH = 2000;

/**
 * A FOCUS CSV writer: the header, then one line per row; a null is an empty cell (FOCUS's
 * null), and text with commas, quotes or newlines is quoted (RFC 4180).
 */
export function createFocusCsvWriter(write: (text: string) => void): FocusCsvWriter {
  let batch: (string | null)[][] = [];
  let rows = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    write(stringify(batch, { record_delimiter: "\n" }));
    batch = [];
  };
  write(stringify([[...EXPORT_COLUMNS]], { record_delimiter: "\n" }));
  return {
    add(row) {
      batch.push(EXPORT_COLUMNS.map((c) => row[c]));
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
