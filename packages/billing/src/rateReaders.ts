/**
 * Which work entries read which stretch of a rate card's rates. An entry is priced at the rate in
 * force when it started (spec §5, rule 17), so a rate effective from E changes the result only of
 * the entries on that card that started from E up to the next change of the card's rates: the
 * Ledger asks this index for them, and a rate change costs the entries it affects, not a walk over
 * every contract on the card or every entry since E.
 *
 * Entries are kept per card in buckets of one UTC day of their start. A corrected entry is added
 * again under its new start; the copy under the old one is a candidate that the caller's range test
 * drops, as it drops the other entries of a bucket at the edges of the range.
 */

const DAY = 86_400_000;

interface CardBuckets {
  readonly byDay: Map<number, number[]>;
  first: number;
  last: number;
}

/** Work entries by rate card and day of their start. */
export class RateReaders {
  private readonly cards = new Map<string, CardBuckets>();

  /** Record that entry `i` on a contract of card `cardId` starts at `startedAt`. */
  add(cardId: string, i: number, startedAt: number): void {
    const day = Math.floor(startedAt / DAY);
    let card = this.cards.get(cardId);
    if (card === undefined) this.cards.set(cardId, (card = { byDay: new Map(), first: day, last: day }));
    const bucket = card.byDay.get(day);
    if (bucket === undefined) card.byDay.set(day, [i]);
    else if (bucket.at(-1) !== i) bucket.push(i);
    if (day < card.first) card.first = day;
    if (day > card.last) card.last = day;
  }

  /**
   * Call `f` with every entry of card `cardId` that may have started in [from, to): every entry
   * that did, possibly some that did not (the caller tests), each possibly more than once.
   */
  forEachBetween(cardId: string, from: number, to: number, f: (i: number) => void): void {
    const card = this.cards.get(cardId);
    if (card === undefined || !(from < to)) return;
    const lo = Math.max(card.first, Math.floor(from / DAY));
    const hi = Math.min(card.last, to === Number.POSITIVE_INFINITY ? card.last : Math.floor(to / DAY));
    if (lo > hi) return;
    if (hi - lo + 1 <= card.byDay.size) {
      for (let d = lo; d <= hi; d++) {
        const bucket = card.byDay.get(d);
        if (bucket !== undefined) for (const i of bucket) f(i);
      }
    } else {
      for (const [d, bucket] of card.byDay) if (d >= lo && d <= hi) for (const i of bucket) f(i);
    }
  }
}
