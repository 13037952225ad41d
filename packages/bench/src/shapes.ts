/**
 * The shapes of log `pnpm bench -- --shape NAME` generates: the seeded scenario of
 * @msp-billing/testing, bent so that one kind of event is frequent where its cost could depend on
 * the history, and the probes: which events a second run leaves out to measure what they cost.
 *
 * - `standard`: the scenario as it is (24 months, three rate cards, rare rate changes);
 * - `shared-card`: 9 000 contracts all on one rate card, and one rate change in 100 events,
 *   each effective at a random instant between the start of the log and when it is recorded;
 * - `long-contract`: one busy contract over years of monthly invoices, and one correction in 100
 *   events of a random entry logged before it, most of them invoiced long ago;
 * - `monthly-many`: 500 quiet contracts that each issue an invoice every month (an invoice in
 *   ~15 events), the history growing in months.
 *
 * Events added to a scenario have ids `x-<n>`; the scenario's own are renumbered `e-<n>` in order.
 */
import { generateScenario, generateScenarioNdjson, scenarioForEventCount } from './deps.js';

/** Events a second run leaves out: all of a type, or only those the shape added. */
export interface Probe {
  readonly type: string;
  readonly addedOnly: boolean;
}

/** A generated log: its lines, and what the sidecar records about it. */
export interface ShapeLog {
  readonly contracts: number;
  readonly months: number;
  readonly lines: Iterable<string>;
}

/** A shape of log: how a log of it is made, and the events its probes leave out. */
export interface Shape {
  readonly probes: readonly Probe[];
  readonly log: (events: number, seed: number) => ShapeLog;
}

/** Whether the NDJSON line `line` is one that `probe` leaves out. */
export const probed = (probe: Probe, line: string): boolean =>
  line.includes(`"type":"${probe.type}"`) && (!probe.addedOnly || line.startsWith('{"id":"x-'));

/** `YYYY-MM-DDTHH:MM:SSZ` of an instant. */
const utc = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;

interface Wire {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * The scenario's events, renumbered, each as `bend` leaves it (it may change the event's data) and
 * followed by the events `bend` returns, cut at exactly `limit`.
 */
function* bent(
  events: Iterable<Wire>,
  limit: number,
  bend: (e: Wire) => readonly Omit<Wire, 'id'>[],
): Generator<string> {
  let out = 0;
  let added = 0;
  for (const e of events) {
    if (out >= limit) return;
    const after = bend(e);
    yield `${JSON.stringify({ ...e, id: `e-${out}` })}\n`;
    out += 1;
    for (const x of after) {
      if (out >= limit) return;
      yield `${JSON.stringify({ id: `x-${added}`, ...x })}\n`;
      out += 1;
      added += 1;
    }
  }
}

/** A small deterministic generator (xorshift), so that the added events follow the seed. */
const random = (seed: number): (() => number) => {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
};

const EVERY = 100;

const sharedCard = (events: number, seed: number): ShapeLog => {
  const contracts = 9_000;
  const intensity = 0.2;
  // ~15 events per contract and month at this intensity.
  const months = Math.max(1, Math.ceil((events * 1.1) / (contracts * 15)));
  const from = '2025-01';
  const card = 'rc-standard-eur';
  const rnd = random(seed);
  const start = Date.parse(`${from}-01T00:00:00Z`);
  let n = 0;
  const scenario = generateScenario({ seed, contracts, months, intensity, from }) as Iterable<Wire>;
  const lines = bent(scenario, events, (e) => {
    if (e.type === 'MSPBooked') e.data['rateCardId'] = card;
    if (++n % EVERY !== 0) return [];
    const now = Date.parse(e.occurredAt);
    return [
      {
        type: 'HourlyRateSet',
        occurredAt: e.occurredAt,
        data: {
          rateCardId: card,
          effectiveFrom: utc(start + Math.floor(rnd() * Math.max(1, now - start))),
          hourlyRate: (90 + Math.floor(rnd() * 80) / 2).toFixed(2),
        },
      },
    ];
  });
  return { contracts, months, lines };
};

const longContract = (events: number, seed: number): ShapeLog => {
  const intensity = 25;
  // ~790 events a month at this intensity: 96k events are ten years.
  const months = Math.max(1, Math.ceil((events * 1.1) / 790));
  const from = '2016-01';
  const rnd = random(seed);
  const minutes = new Map<string, number>();
  const live: string[] = [];
  let n = 0;
  const scenario = generateScenario({
    seed,
    contracts: 1,
    months,
    intensity,
    from,
    allBookedAtStart: true,
  }) as Iterable<Wire>;
  const lines = bent(scenario, events, (e) => {
    const d = e.data;
    if (e.type === 'WorkLogged') {
      minutes.set(d['workId'] as string, d['minutes'] as number);
      live.push(d['workId'] as string);
    } else if (e.type === 'WorkLogVoided') minutes.delete(d['workId'] as string);
    else if (e.type === 'WorkLogCorrected' && d['minutes'] !== undefined)
      minutes.set(d['workId'] as string, d['minutes'] as number);
    if (++n % EVERY !== 0 || live.length === 0) return [];
    // A random earlier entry that is not voided (a voided one cannot be corrected).
    let workId = live[Math.floor(rnd() * live.length)] as string;
    for (let tries = 0; !minutes.has(workId) && tries < 20; tries++)
      workId = live[Math.floor(rnd() * live.length)] as string;
    const before = minutes.get(workId);
    if (before === undefined) return [];
    const after = before >= 225 ? before - 15 : before + 15;
    minutes.set(workId, after);
    return [
      {
        type: 'WorkLogCorrected',
        occurredAt: e.occurredAt,
        data: { workId, reason: 'late correction', minutes: after },
      },
    ];
  });
  return { contracts: 1, months, lines };
};

const monthlyMany = (events: number, seed: number): ShapeLog => {
  const contracts = 500;
  const intensity = 0.2;
  // ~15 events per contract and month at this intensity.
  const months = Math.max(1, Math.ceil((events * 1.1) / (contracts * 15)));
  const scenario = generateScenario({
    seed,
    contracts,
    months,
    intensity,
    from: '2021-01',
  }) as Iterable<Wire>;
  return { contracts, months, lines: bent(scenario, events, () => []) };
};

export const SHAPES: Readonly<Record<string, Shape>> = {
  standard: {
    probes: [],
    log: (events, seed) => {
      const options = scenarioForEventCount(events, seed);
      return { contracts: options.contracts, months: options.months, lines: generateScenarioNdjson(options) };
    },
  },
  'shared-card': { probes: [{ type: 'HourlyRateSet', addedOnly: true }], log: sharedCard },
  'long-contract': {
    probes: [
      { type: 'WorkLogCorrected', addedOnly: true },
      { type: 'InvoiceIssued', addedOnly: false },
    ],
    log: longContract,
  },
  'monthly-many': {
    probes: [
      { type: 'InvoiceIssued', addedOnly: false },
      { type: 'AlertAcknowledged', addedOnly: false },
    ],
    log: monthlyMany,
  },
};
