/**
 * Folding an NDJSON log into a Ledger: the reader of @msp-billing/events decodes line by line
 * (applying the id rule), the Ledger applies each event; undecodable lines and integrity breaks are
 * both kept as invalid events with their line numbers. Memory is what the Ledger keeps, not the file.
 */
import { readNdjsonBatches } from '@msp-billing/events/internal';
import { createLedger, ledgerState, type Ledger, type LedgerOptions } from './ledger.js';

/** Counts of what a fold read. */
export interface FoldStats {
  readonly lines: number;
  readonly events: number;
  readonly duplicates: number;
  readonly invalid: number;
}

/** Fold an NDJSON byte stream into a new Ledger (or into `into`). */
export const foldNdjson = async (
  source: AsyncIterable<Uint8Array | string>,
  options: LedgerOptions & {
    into?: Ledger;
    onProgress?: (stats: FoldStats) => void;
    /** The number of the source's first line (default 1): it is the rest of a file read before. */
    firstLine?: number;
  } = {},
): Promise<{ ledger: Ledger; stats: FoldStats }> => {
  // The reader applies the id rule with line numbers; the Ledger need not do it again.
  const ledger = options.into ?? createLedger({ ...options, dedupe: false });
  // In the Ledger's own table when it keeps the reader's (snapshot.ts, `keepReaderIds`), so that a
  // snapshot holds them; from line `firstLine` when the source is the rest of a file read before.
  const state = ledgerState(ledger);
  const resume = {
    ...(state?.ids === 'reader' ? { ids: state.seen } : {}),
    ...(options.firstLine === undefined ? {} : { firstLine: options.firstLine }),
  };
  let lines = 0;
  let events = 0;
  let duplicates = 0;
  let invalid = 0;
  // Items come in batches (one per chunk read): one await per batch, not one per line.
  for await (const batch of readNdjsonBatches(source, {}, resume)) {
    for (const item of batch) {
      lines = item.line;
      if (item.kind === 'event') {
        events += 1;
        if (ledger.apply(item.event, { line: item.line })._tag === 'Invalid') invalid += 1;
      } else if (item.kind === 'duplicate') {
        duplicates += 1;
      } else {
        invalid += 1;
        ledger.recordUndecodable(item.error.message, {
          line: item.line,
          readerCode: item.error._tag,
          ...(item.error.eventId === undefined ? {} : { eventId: item.error.eventId }),
        });
      }
      if (options.onProgress !== undefined && (events & 0xffff) === 0)
        options.onProgress({ lines, events, duplicates, invalid });
    }
  }
  return { ledger, stats: { lines, events, duplicates, invalid } };
};
