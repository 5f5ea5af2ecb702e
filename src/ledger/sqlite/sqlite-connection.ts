import type Database from "better-sqlite3";

/**
 * Settings every connection to a ledger uses. WAL: readers (the dashboard) never block the
 * writer, nor the writer them. NORMAL sync is safe against a killed process; a power cut may
 * lose the last transactions, never corrupt. The journal mode is kept in the file; the rest is
 * per connection.
 */
export function tuneConnection(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = MEMORY");
}
