/**
 * A seeded, deterministic generator of realistic event logs for a hosting provider that sells the
 * Managed Service Package (seed: managed-service-paket.de.txt). It streams: events are produced month
 * by month and kept only until their recording time has passed, so a 3-million-event log never sits
 * in memory (what is held is one month of events plus the few recorded late).
 *
 * What a log contains: rate cards whose rates change on the 1st of a month (announced ahead, or
 * recorded late and so retroactive); contracts over every SLA, mostly in Europe/Berlin, some in other
 * zones and currencies; provisioning (2.1) then operation (2.2) with NAS shares, alerting switched on
 * and off, authorised requesters named and removed; tickets of every ServiceKind in the proportions
 * a helpdesk sees, with German and English subjects; work by named technicians in local working
 * hours; corrections, voids, reclassifications, orders held for confirmation, update requests in and
 * out of maintenance windows, alerts and safety measures (justified and not), HA restarts, entries
 * recorded late, and one `InvoiceIssued` per contract at the start of each following month.
 *
 * Every event is valid (spec §2, integrity included): the generator only ever refers to what it has
 * recorded before, never touches a voided entry, and issues each contract's periods in increasing
 * order. Randomness comes from a small seeded PRNG (mulberry32), never from Math.random or the clock:
 * the same options give the same bytes.
 */
import {
  DEFAULT_SLA_CATALOG,
  localMs,
  nextMaintenanceWindow,
  utcOffsetMs,
  type WeeklyWindow,
} from '@msp-billing/sla';
import type { EventType, ServiceKind, SlaLevel, WireEvent } from '@msp-billing/events';

// ------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32 (public domain, Tommy Ettinger): a 32-bit PRNG, fast enough for millions of draws. */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Draws of a seeded PRNG, with the few shapes a log needs. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
  /** One key of a weight table, proportionally to its weight. */
  weighted<K extends string>(table: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [k, w] of table) {
      r -= w;
      if (r < 0) return k;
    }
    return (table[table.length - 1] as readonly [K, number])[0];
  }
  /** A Poisson-distributed count with mean `lambda` (Knuth; lambda is small here). */
  poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k += 1;
      p *= this.next();
    }
    return k;
  }
}

// ------------------------------------------------------------------------------------------------
// Options

/** Options of {@link generateScenario}. */
export interface ScenarioOptions {
  /** Seed of the PRNG: the same options give the same log. */
  readonly seed: number;
  /** Number of contracts (one VM each). */
  readonly contracts: number;
  /** First month, `YYYY-MM` (local months of each contract). */
  readonly from: string;
  /** Number of months of activity. */
  readonly months: number;
  /** Scale of customer tickets per contract and month (1 = a typical helpdesk load). Default 1. */
  readonly intensity?: number;
  /** Stop after this many events (the log stays valid: it is a prefix in recording order). */
  readonly limit?: number;
  /** Issue the invoice of the last month too (default true); false leaves it a draft. */
  readonly invoiceLastMonth?: boolean;
  /** Contracts all booked in the first month (default: most, the rest join during the first half). */
  readonly allBookedAtStart?: boolean;
  /** SLA of each contract, cycled (default: a realistic mix over all four levels). */
  readonly slas?: readonly SlaLevel[];
}

/** Roughly how many events a contract produces per month at intensity 1 (for sizing). */
export const EVENTS_PER_CONTRACT_MONTH = 30;

/** Options that produce about `events` events (then cut exactly by `limit`). */
export const scenarioForEventCount = (
  events: number,
  seed: number,
  months = 24,
  from = '2025-01',
): ScenarioOptions => ({
  seed,
  from,
  months,
  // 25 % headroom: contracts join during the first months and some cancel.
  contracts: Math.max(1, Math.ceil((events * 1.25) / (months * EVENTS_PER_CONTRACT_MONTH))),
  limit: events,
});

// ------------------------------------------------------------------------------------------------
// Local time without the machine's zone

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The instant of a local wall time (epoch ms of the wall time read as UTC) in `tz`. */
const fromLocal = (wall: number, tz: string): number => {
  const guess = wall - utcOffsetMs(wall, tz);
  return wall - utcOffsetMs(guess, tz);
};

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `YYYY-MM-DDTHH:MM:SS` of a wall time (epoch ms read as UTC), by arithmetic: Date#toISOString was
 * the generator's top cost at millions of events. Civil-from-days after Howard Hinnant.
 */
const wallText = (wall: number): string => {
  const days = Math.floor(wall / DAY);
  const ofDay = wall - days * DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  const h = Math.floor(ofDay / HOUR);
  const mi = Math.floor((ofDay - h * HOUR) / MINUTE);
  const se = Math.floor((ofDay - h * HOUR - mi * MINUTE) / 1000);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(se)}`;
};

/** RFC 3339 with the zone's offset, as a person or a helpdesk would write it. */
const stampLocal = (t: number, tz: string): string => {
  const off = utcOffsetMs(t, tz);
  const wall = wallText(t + off);
  if (off === 0) return `${wall}+00:00`;
  const abs = Math.abs(off) / MINUTE;
  return `${wall}${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};

/** RFC 3339 in UTC, as monitoring and billing systems write it. */
const stampUtc = (t: number): string => `${wallText(t)}Z`;

const monthStartWall = (y: number, m: number): number => Date.UTC(y, m - 1, 1);
const periodText = (y: number, m: number): string => `${y}-${pad(m)}`;

// ------------------------------------------------------------------------------------------------
// Vocabulary

const SERVICE_WEIGHTS: readonly (readonly [ServiceKind, number])[] = [
  ['support-request', 24],
  ['change-request', 20],
  ['incident', 10],
  ['customer-caused-fault', 7],
  ['software-installation', 6],
  ['certificate-renewal', 5],
  ['monitoring', 3],
  ['backup-run', 3],
  ['security-review', 2.5],
  ['alerting', 2],
  ['network-setup', 2],
  ['certificate-installation', 2],
  ['malware-cleanup', 1.5],
  ['source-build', 1.2],
  ['ddos-mitigation', 1],
  ['update-installation', 1],
  ['backup-setup', 0.8],
  ['os-setup', 0.5],
  ['safety-measure', 0.5],
];

const SUBJECTS: Readonly<Record<ServiceKind, readonly string[]>> = {
  'os-setup': ['Grundinstallation Debian 12', 'OS installation Ubuntu 24.04 LTS', 'Rocky Linux 9 einrichten'],
  'network-setup': [
    'Netzwerkkonfiguration: zweite IP und VLAN',
    'Configure private network',
    'IPv6 einrichten',
  ],
  'certificate-installation': [
    "Let's Encrypt Zertifikat für shop.{d} einrichten",
    'Install wildcard certificate *.{d}',
  ],
  'backup-setup': ['Datensicherung auf Backup-NAS einrichten', 'Set up nightly MariaDB dump to NAS'],
  monitoring: [
    'Monitoring für Redis aktivieren',
    'Grafana-Dashboard zeigt keine Werte',
    'Add HTTP check for api.{d}',
  ],
  alerting: ['SMS-Alarmierung an zweite Rufnummer', 'RAM alert too noisy, please adjust threshold'],
  'certificate-renewal': ['Zertifikat erneuern', 'Certificate for api.{d} expires in 7 days'],
  'backup-run': [
    'Backup-Job fehlgeschlagen',
    'Restore-Test der Datenbank',
    'Gelöschte Datei aus Sicherung holen',
  ],
  'update-installation': ['Bitte Kernel-Update einspielen', 'Update PHP to the latest patch release'],
  'safety-measure': ['Festplatte läuft voll, bitte prüfen', 'OOM killer keeps stopping MySQL'],
  incident: [
    'Server nicht erreichbar',
    'Host down since 03:12',
    'Paketverlust zum Rechenzentrum',
    'Storage latency very high',
  ],
  'support-request': [
    'nginx returns 502 after deploy',
    'Wie richte ich einen SFTP-Zugang ein?',
    'Cronjob läuft nicht',
    'Help with DNS records for new subdomain',
    'Mails von {d} landen im Spam',
    'Slow queries on PostgreSQL since Monday',
  ],
  'change-request': [
    'PHP memory_limit auf 512M erhöhen',
    'Add vhost for staging.{d}',
    'Firewall: Port 8443 freigeben',
    'Increase max_connections in PostgreSQL',
    'Neuen SSH-Key für Agentur hinterlegen',
    'Redirect www.{d} to {d}',
  ],
  'customer-caused-fault': [
    'Nach Änderung an .htaccess nur noch Fehler 500',
    'Locked out after editing sshd_config',
    'Eigenes Deployment hat /etc/hosts überschrieben',
  ],
  'ddos-mitigation': ['DDoS auf Webshop, bitte Gegenmaßnahmen', 'Traffic spike from a botnet on /login'],
  'security-review': ['Sicherheitsüberprüfung vor Go-Live', 'Pentest findings: please review TLS config'],
  'malware-cleanup': ['WordPress gehackt, Schadcode entfernen', 'Crypto miner found in /tmp'],
  'software-installation': [
    'Bitte Redis installieren',
    'Install ImageMagick from the repository',
    'Elasticsearch 8 installieren',
  ],
  'source-build': [
    'nginx mit Brotli-Modul selbst kompilieren',
    'Build ffmpeg from source with nonfree codecs',
  ],
};

/** Worked minutes per entry: [min, max] by service; drawn skewed towards the short end. */
const MINUTES: Readonly<Record<ServiceKind, readonly [number, number]>> = {
  'os-setup': [30, 180],
  'network-setup': [15, 120],
  'certificate-installation': [10, 60],
  'backup-setup': [20, 120],
  monitoring: [5, 60],
  alerting: [5, 45],
  'certificate-renewal': [5, 40],
  'backup-run': [10, 90],
  'update-installation': [15, 120],
  'safety-measure': [10, 90],
  incident: [15, 180],
  'support-request': [10, 90],
  'change-request': [15, 180],
  'customer-caused-fault': [20, 200],
  'ddos-mitigation': [30, 240],
  'security-review': [60, 240],
  'malware-cleanup': [60, 240],
  'software-installation': [15, 120],
  'source-build': [30, 180],
};

const TECHNICIANS = [
  'j.weber',
  'a.yilmaz',
  'm.schneider',
  'l.novak',
  's.fischer',
  'k.owusu',
  't.becker',
  'p.kowalski',
  'e.hoffmann',
  'd.rossi',
] as const;

const COMPANY_STEMS = [
  'mueller-logistik',
  'schmidt-medien',
  'bergmann-dental',
  'nordlicht-events',
  'kaiser-bau',
  'alpen-reisen',
  'hansa-handel',
  'weiss-consulting',
  'rheintal-software',
  'brandt-moebel',
  'sonnenhof-hotels',
  'fuchs-feinkost',
  'atlas-analytics',
  'blue-harbor',
  'lindqvist-design',
  'vega-fintech',
] as const;
const COMPANY_FORMS = ['gmbh', 'ag', 'kg', 'gmbh-co-kg', 'ug', 'ltd', 'inc'] as const;

const STAFF = [
  'it-lead',
  'cto',
  'admin',
  'anna.schmidt',
  'm.mueller',
  'dev',
  'webagentur',
  'buchhaltung',
  'praktikant',
];

const SOFTWARE: readonly (readonly [string, 'os' | 'preinstalled' | 'customer-installed', boolean])[] = [
  ['Debian 12 security updates', 'os', true],
  ['Ubuntu 22.04 kernel', 'os', true],
  ['Rocky Linux 9 errata', 'os', true],
  ['CentOS 7', 'os', false],
  ['nginx', 'preinstalled', true],
  ['OpenSSL', 'preinstalled', true],
  ['PostgreSQL 15', 'preinstalled', true],
  ['MariaDB 10.11', 'preinstalled', true],
  ['PHP 8.2', 'preinstalled', true],
  ['PHP 7.4', 'preinstalled', false],
  ['Magento 2.4', 'customer-installed', true],
  ['Nextcloud 28', 'customer-installed', true],
  ['WordPress plugins', 'customer-installed', true],
];

interface Zone {
  readonly tz: string;
  readonly weight: number;
  /** VAT rate written on MSPBooked; undefined leaves the default (19). */
  readonly vat?: string;
  readonly rateCard: 'standard' | 'business' | 'chf';
  /** Whether the booking names the zone (Berlin contracts often rely on the default). */
  readonly explicit: boolean;
}

const ZONES: readonly Zone[] = [
  { tz: 'Europe/Berlin', weight: 74, rateCard: 'standard', explicit: false },
  { tz: 'Europe/Vienna', weight: 8, vat: '20', rateCard: 'standard', explicit: true },
  { tz: 'Europe/Zurich', weight: 6, vat: '8.1', rateCard: 'chf', explicit: true },
  { tz: 'Europe/London', weight: 4, vat: '0', rateCard: 'business', explicit: true },
  { tz: 'America/New_York', weight: 4, vat: '0', rateCard: 'business', explicit: true },
  { tz: 'Asia/Singapore', weight: 4, vat: '0', rateCard: 'business', explicit: true },
];

const SLA_MIX: readonly (readonly [SlaLevel, number])[] = [
  ['Basic', 25],
  ['Standard', 35],
  ['Professional', 25],
  ['Premium', 15],
];
/** Mean customer tickets per month by SLA: bigger contracts ask more. */
const TICKETS_PER_MONTH: Readonly<Record<SlaLevel, number>> = {
  Basic: 5,
  Standard: 7,
  Professional: 10,
  Premium: 13,
};

interface RateCardPlan {
  readonly id: string;
  readonly currency: string;
  readonly increment: number;
  rate: number;
  /** Months (0-based index from `from`) in which the rate changes on the 1st. */
  readonly changeEvery: number;
  readonly changeOffset: number;
}

// ------------------------------------------------------------------------------------------------
// The recording queue: events ordered by recording time, then by creation

interface Pending {
  readonly recordAt: number;
  readonly seq: number;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

/** A binary min-heap on (recordAt, seq): what makes recording order mostly, not strictly, by time. */
class Queue {
  private readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(a: Pending, b: Pending): boolean {
    return a.recordAt < b.recordAt || (a.recordAt === b.recordAt && a.seq < b.seq);
  }
  push(p: Pending): void {
    const xs = this.items;
    xs.push(p);
    let i = xs.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(xs[i] as Pending, xs[parent] as Pending)) break;
      [xs[i], xs[parent]] = [xs[parent] as Pending, xs[i] as Pending];
      i = parent;
    }
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  pop(): Pending | undefined {
    const xs = this.items;
    const top = xs[0];
    const last = xs.pop();
    if (xs.length > 0 && last !== undefined) {
      xs[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < xs.length && this.less(xs[l] as Pending, xs[m] as Pending)) m = l;
        if (r < xs.length && this.less(xs[r] as Pending, xs[m] as Pending)) m = r;
        if (m === i) break;
        [xs[i], xs[m]] = [xs[m] as Pending, xs[i] as Pending];
        i = m;
      }
    }
    return top;
  }
}

// ------------------------------------------------------------------------------------------------
// Contracts as the generator sees them

interface Person {
  readonly email: string;
  namedAt?: number;
  removedAt?: number;
}

interface GenContract {
  readonly id: string;
  readonly customer: string;
  readonly domain: string;
  readonly vmId: string;
  sla: SlaLevel;
  readonly zone: Zone;
  readonly rateCard: RateCardPlan;
  readonly bookMonth: number;
  bookedAt?: number;
  provisionedAt?: number;
  cancelledAt?: number;
  cancelMonth?: number;
  alerting: boolean;
  nas?: string;
  agreedWindows?: readonly WeeklyWindow[];
  readonly people: Person[];
  /** The requester who confirms held orders: authorised from the moment named, never removed. */
  lead?: Person;
}

const authorisedAt = (p: Person, t: number): boolean =>
  p.namedAt !== undefined && p.namedAt <= t && (p.removedAt === undefined || t < p.removedAt);

// ------------------------------------------------------------------------------------------------
// The generator

/**
 * Generate a realistic, valid event log in recording order. Streaming: pull as many events as you
 * need; memory stays at about one month of events whatever the length of the log.
 */
export function* generateScenario(options: ScenarioOptions): Generator<WireEvent> {
  const m = /^(\d{4})-(\d{2})$/.exec(options.from);
  if (m === null) throw new RangeError(`from must be YYYY-MM (got ${JSON.stringify(options.from)})`);
  const startY = Number(m[1]);
  const startM = Number(m[2]);
  const rng = new Rng(options.seed);
  const intensity = options.intensity ?? 1;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const invoiceLastMonth = options.invoiceLastMonth ?? true;
  const queue = new Queue();
  let seq = 0;
  let emitted = 0;
  let ticketNo = 0;
  let workNo = 0;
  let alertNo = 0;
  let invoiceNo = 0;

  const push = (
    recordAt: number,
    type: EventType,
    occurredAt: string,
    data: Record<string, unknown>,
  ): void => {
    queue.push({ recordAt, seq: seq++, type, occurredAt, data });
  };
  const toWire = (p: Pending): WireEvent => ({
    id: `e-${emitted}`,
    type: p.type,
    occurredAt: p.occurredAt,
    data: p.data,
  });
  const monthOf = (i: number): { y: number; mo: number } => {
    const k = startM - 1 + i;
    return { y: startY + Math.floor(k / 12), mo: (k % 12) + 1 };
  };

  // Rate cards: a standard EUR card in quarter hours, a business card billed by 5 minutes, a CHF card.
  const cards: Record<Zone['rateCard'], RateCardPlan> = {
    standard: {
      id: 'rc-standard-eur',
      currency: 'EUR',
      increment: 15,
      rate: 95,
      changeEvery: 12,
      changeOffset: 1,
    },
    business: {
      id: 'rc-business-eur',
      currency: 'EUR',
      increment: 5,
      rate: 120,
      changeEvery: 6,
      changeOffset: 2,
    },
    chf: {
      id: 'rc-standard-chf',
      currency: 'CHF',
      increment: 30,
      rate: 140,
      changeEvery: 9,
      changeOffset: 3,
    },
  };
  const origin = fromLocal(monthStartWall(startY, startM), 'Europe/Berlin');
  {
    const setupAt = origin - 40 * DAY;
    for (const card of Object.values(cards)) {
      push(setupAt, 'RateCardPublished', stampUtc(setupAt), {
        rateCardId: card.id,
        currency: card.currency,
        billingIncrementMinutes: card.increment,
      });
      const from = origin - 31 * DAY;
      push(setupAt, 'HourlyRateSet', stampUtc(setupAt), {
        rateCardId: card.id,
        effectiveFrom: stampLocal(from, 'Europe/Berlin'),
        hourlyRate: card.rate.toFixed(2),
      });
    }
  }

  // Contracts: most booked in the first month, the rest joining over the first half of the log.
  const contracts: GenContract[] = [];
  for (let i = 0; i < options.contracts; i++) {
    const zone = rng.weighted(ZONES.map((z) => [z.tz, z.weight] as const));
    const z = ZONES.find((x) => x.tz === zone) as Zone;
    const stem = COMPANY_STEMS[i % COMPANY_STEMS.length] as string;
    const n = Math.floor(i / COMPANY_STEMS.length);
    const customer = `${stem}${n === 0 ? '' : `-${n + 1}`}-${rng.pick(COMPANY_FORMS)}`;
    const sla =
      options.slas !== undefined
        ? (options.slas[i % options.slas.length] as SlaLevel)
        : rng.weighted(SLA_MIX);
    const late = options.allBookedAtStart !== true && !rng.chance(0.65);
    const bookMonth = late ? rng.int(1, Math.max(1, Math.floor(options.months / 2))) : 0;
    const c: GenContract = {
      id: `msp-${10001 + i}`,
      customer,
      domain: `${stem}${n === 0 ? '' : n + 1}.example`,
      vmId: `vm-${stem.slice(0, 6)}-${pad((i % 97) + 1)}-${1000 + i}`,
      sla,
      zone: z,
      rateCard: cards[z.rateCard],
      bookMonth: Math.min(bookMonth, options.months - 1),
      alerting: false,
      people: [],
    };
    if (rng.chance(0.08) && options.months > 3)
      c.cancelMonth = rng.int(Math.min(c.bookMonth + 2, options.months - 1), options.months - 1);
    contracts.push(c);
  }

  const emailOf = (c: GenContract, who: string): string => `${who}@${c.domain}`;

  /** A local working time at or after `t`: weekdays 08:00–18:00 (Premium and Professional also Saturdays). */
  const workingTime = (c: GenContract, t: number): number => {
    const tz = c.zone.tz;
    let wall = localMs(t, tz);
    wall = Math.ceil(wall / (5 * MINUTE)) * 5 * MINUTE;
    for (let guard = 0; guard < 10; guard++) {
      const day = Math.floor(wall / DAY);
      const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
      const ofDay = wall - day * DAY;
      const saturdayOk = c.sla === 'Premium' || c.sla === 'Professional';
      if (weekday === 6 || (weekday === 5 && !saturdayOk)) {
        wall = (day + 1) * DAY + 8 * HOUR + rng.int(0, 11) * 5 * MINUTE;
        continue;
      }
      if (ofDay < 8 * HOUR) wall = day * DAY + 8 * HOUR + rng.int(0, 11) * 5 * MINUTE;
      else if (ofDay >= 18 * HOUR) {
        wall = (day + 1) * DAY + 8 * HOUR + rng.int(0, 11) * 5 * MINUTE;
        continue;
      }
      break;
    }
    return Math.max(fromLocal(wall, tz), t);
  };

  const minutesFor = (s: ServiceKind): number => {
    const [lo, hi] = MINUTES[s];
    const r = rng.float();
    const raw = lo + (hi - lo) * r * r;
    const v = rng.chance(0.85) ? Math.max(5, Math.round(raw / 5) * 5) : Math.round(raw);
    return Math.min(240, Math.max(5, v));
  };

  const subjectFor = (c: GenContract, s: ServiceKind): string =>
    rng.pick(SUBJECTS[s]).replaceAll('{d}', c.domain);

  /**
   * Log a work entry on a ticket: its WorkLogged (now or, now and then, days late) and what later
   * happens to it (a correction, a void), each recorded after the entry itself.
   */
  const logWork = (
    c: GenContract,
    ticketId: string,
    service: ServiceKind,
    startedAt: number,
    opts: { own?: ServiceKind; minutes?: number; tech?: string } = {},
  ): number => {
    const workId = `W-${++workNo}`;
    const minutes = opts.minutes ?? minutesFor(opts.own ?? service);
    const lateRecording = rng.chance(0.03);
    const recordAt = lateRecording
      ? startedAt + rng.int(2, 25) * DAY + rng.int(0, 8) * HOUR
      : startedAt + minutes * MINUTE + rng.int(0, 30) * MINUTE;
    const data: Record<string, unknown> = {
      workId,
      ticketId,
      technician: opts.tech ?? rng.pick(TECHNICIANS),
      startedAt: stampLocal(startedAt, c.zone.tz),
      minutes,
    };
    if (opts.own !== undefined) data['service'] = opts.own;
    if (rng.chance(0.4)) data['description'] = rng.pick(WORK_NOTES);
    push(recordAt, 'WorkLogged', stampLocal(recordAt, c.zone.tz), data);
    const fate = rng.float();
    if (fate < 0.04) {
      const at = recordAt + rng.int(1, 20) * DAY + rng.int(0, 8) * HOUR;
      const fix: Record<string, unknown> = { workId, reason: rng.pick(CORRECTION_REASONS) };
      const what = rng.float();
      if (what < 0.75)
        fix['minutes'] = Math.max(5, Math.min(240, minutes + rng.pick([-30, -15, -10, 10, 15, 30, 45])));
      else if (what < 0.9) fix['startedAt'] = stampLocal(startedAt + rng.pick([-1, 1]) * DAY, c.zone.tz);
      else fix['service'] = rng.pick(['change-request', 'support-request', 'customer-caused-fault'] as const);
      push(at, 'WorkLogCorrected', stampLocal(at, c.zone.tz), fix);
    } else if (fate < 0.055) {
      const at = recordAt + rng.int(1, 15) * DAY + rng.int(0, 8) * HOUR;
      push(at, 'WorkLogVoided', stampLocal(at, c.zone.tz), { workId, reason: rng.pick(VOID_REASONS) });
    }
    return startedAt + minutes * MINUTE;
  };

  /** A requester for a ticket opened at `t`: mostly someone authorised, sometimes not. */
  const requesterFor = (c: GenContract, t: number): { email: string; authorised: boolean } => {
    const authorised = c.people.filter((p) => authorisedAt(p, t));
    if (authorised.length > 0 && !rng.chance(0.15)) {
      const p = rng.pick(authorised);
      return { email: rng.chance(0.1) ? p.email.toUpperCase() : p.email, authorised: true };
    }
    const others = c.people.filter((p) => !authorisedAt(p, t));
    const email = others.length > 0 && rng.chance(0.7) ? rng.pick(others).email : emailOf(c, rng.pick(STAFF));
    const isAuth = authorised.some((p) => p.email.toLowerCase() === email.toLowerCase());
    return { email, authorised: authorised.length === 0 || isAuth };
  };

  /** Open a customer ticket at `t` and log its work; returns the ticket id. */
  const customerTicket = (c: GenContract, t: number, service: ServiceKind, entries?: number): string => {
    const ticketId = `T-${++ticketNo}`;
    const req = requesterFor(c, t);
    const channels = DEFAULT_SLA_CATALOG[c.sla].supportChannels;
    const channel = rng.chance(0.03) ? 'other' : rng.pick(channels);
    const data: Record<string, unknown> = {
      ticketId,
      contractId: c.id,
      channel,
      requester: req.email,
      subject: subjectFor(c, service),
      service,
    };
    if (rng.chance(0.3)) data['vmId'] = rng.chance(0.02) ? `vm-other-${rng.int(100, 999)}` : c.vmId;
    push(t, 'TicketOpened', stampLocal(t, c.zone.tz), data);
    const n =
      entries ??
      rng.weighted([
        ['1', 60],
        ['2', 28],
        ['3', 9],
        ['4', 3],
      ] as const);
    let at = t;
    let lastStart = t;
    for (let k = 0; k < Number(n); k++) {
      const start =
        service === 'incident' && k === 0
          ? t + rng.int(5, 40) * MINUTE
          : workingTime(c, at + rng.int(10, 60 * 30) * MINUTE);
      const own = rng.chance(0.05)
        ? rng.pick(['change-request', 'support-request', 'incident'] as const)
        : undefined;
      at = logWork(c, ticketId, service, start, own === undefined ? {} : { own });
      lastStart = start;
    }
    // A different view of the ticket after the fact: root cause found, or it was a plain question.
    if (rng.chance(0.03)) {
      const at2 = lastStart + rng.int(1, 10) * DAY;
      const to: ServiceKind =
        service === 'incident'
          ? 'customer-caused-fault'
          : service === 'change-request'
            ? 'support-request'
            : 'change-request';
      push(at2, 'TicketReclassified', stampLocal(at2, c.zone.tz), {
        ticketId,
        service: to,
        reason: rng.pick(RECLASSIFY_REASONS),
      });
    }
    // An order by someone not authorised waits for the authorised requester's answer (3).
    if (!req.authorised && c.lead !== undefined) {
      const r = rng.float();
      if (r < 0.8) {
        const at3 = Math.max(at, t) + rng.int(1, 12) * DAY + rng.int(0, 6) * HOUR;
        const by = c.lead.email;
        if (r < 0.6) push(at3, 'OrderConfirmed', stampLocal(at3, c.zone.tz), { ticketId, confirmedBy: by });
        else push(at3, 'OrderDeclined', stampLocal(at3, c.zone.tz), { ticketId, declinedBy: by });
      }
    }
    return ticketId;
  };

  /** MSPBooked, provisioning (2.1) and handover. */
  const book = (c: GenContract, monthStart: number): void => {
    const tz = c.zone.tz;
    const t0 = workingTime(
      c,
      monthStart + (c.bookMonth === 0 ? rng.int(0, 4) : rng.int(0, 20)) * DAY + rng.int(0, 9) * HOUR,
    );
    c.bookedAt = t0;
    const data: Record<string, unknown> = {
      contractId: c.id,
      customerId: c.customer,
      vmId: c.vmId,
      sla: c.sla,
      rateCardId: c.rateCard.id,
    };
    if (c.zone.explicit || rng.chance(0.2)) data['timeZone'] = tz;
    if (c.zone.vat !== undefined) data['vatRatePercent'] = c.zone.vat;
    push(t0, 'MSPBooked', stampLocal(t0, tz), data);
    // Most customers name who may order billable work; some never do (every ticket is an order).
    const nAuth = rng.weighted([
      ['0', 25],
      ['1', 40],
      ['2', 25],
      ['3', 10],
    ] as const);
    const picks = ['it-lead', 'cto', 'admin', 'anna.schmidt'].slice(0, Number(nAuth));
    for (const who of picks) {
      const p: Person = { email: emailOf(c, who), namedAt: t0 + 30 * MINUTE };
      c.people.push(p);
      const d: Record<string, unknown> = { contractId: c.id, email: p.email };
      if (rng.chance(0.6))
        d['name'] = rng.pick(['Leitung IT', 'Geschäftsführung', 'Systemadministration', 'Head of IT']);
      push(t0 + 30 * MINUTE, 'AuthorizedRequesterNamed', stampLocal(t0 + 30 * MINUTE, tz), d);
    }
    c.lead = c.people[0];
    for (const who of ['dev', 'webagentur', 'm.mueller']) c.people.push({ email: emailOf(c, who) });
    if (rng.chance(0.85)) {
      c.alerting = true;
      const at = t0 + 40 * MINUTE;
      push(at, 'AlertingActivated', stampLocal(at, tz), {
        contractId: c.id,
        channels: rng.pick([['email'], ['email', 'sms'], ['sms']]),
      });
    }
    if (rng.chance(0.6)) {
      c.nas = `nas-${c.vmId.slice(3)}`;
      // Sometimes the share was attached at booking but recorded days later (a retroactive fact).
      const at = t0 + 45 * MINUTE;
      const rec = rng.chance(0.15) ? at + rng.int(2, 6) * DAY : at;
      push(rec, 'BackupNasShareAttached', stampLocal(at, tz), { contractId: c.id, shareId: c.nas });
    }
    if (rng.chance(0.1)) {
      c.agreedWindows = [{ day: 'SAT', start: '02:00', end: '06:00' }] as unknown as readonly WeeklyWindow[];
      const at = t0 + 50 * MINUTE;
      push(at, 'MaintenanceWindowsAgreed', stampLocal(at, tz), {
        contractId: c.id,
        windows: [{ day: 'SAT', start: '02:00', end: '06:00' }],
      });
    }
    let t = t0 + 2 * HOUR;
    const setup: ServiceKind[] = ['os-setup', 'network-setup', 'certificate-installation'];
    if (c.nas !== undefined || rng.chance(0.15)) setup.push('backup-setup');
    if (rng.chance(0.4)) setup.push('change-request');
    if (rng.chance(0.5)) setup.push('software-installation');
    if (rng.chance(0.03)) setup.push('source-build');
    for (const s of setup) {
      customerTicket(c, t, s, s === 'os-setup' ? 2 : 1);
      t += rng.int(1, 6) * HOUR;
    }
    const handover = workingTime(c, t0 + rng.int(3, 8) * DAY);
    c.provisionedAt = handover;
    push(handover, 'ProvisioningCompleted', stampLocal(handover, tz), { contractId: c.id });
  };

  /** Alerts raised by monitoring, and what the customer and the provider did about them (4.2). */
  const alertStory = (c: GenContract, t: number): void => {
    const tz = c.zone.tz;
    const alertId = `AL-${++alertNo}`;
    const metric = rng.weighted([
      ['filesystem', 35],
      ['ram', 25],
      ['cpu-load', 30],
      ['host-down', 10],
    ] as const);
    push(t, 'AlertRaised', stampUtc(t), { alertId, contractId: c.id, metric });
    const r = rng.float();
    const measure = (at: number, justification: string, withAlert: boolean): void => {
      const ticketId = `T-${++ticketNo}`;
      const d: Record<string, unknown> = {
        ticketId,
        contractId: c.id,
        justification,
        description: rng.pick(MEASURES[metric]),
      };
      if (withAlert) d['alertId'] = alertId;
      push(at, 'SafetyMeasureTaken', stampLocal(at, tz), d);
      logWork(c, ticketId, 'safety-measure', at + rng.int(1, 10) * MINUTE);
    };
    if (r < 0.45) {
      const ack = t + rng.int(10, 600) * MINUTE;
      push(ack, 'AlertAcknowledged', stampLocal(ack, tz), {
        alertId,
        by: c.lead?.email ?? emailOf(c, 'admin'),
      });
      if (rng.chance(0.12)) measure(ack + rng.int(1, 24) * HOUR, 'customer-instructed', true);
    } else if (r < 0.62) {
      measure(t + rng.int(5, 50) * MINUTE, 'imminent-danger', rng.chance(0.7));
    } else if (r < 0.72) {
      // More than three days without an answer (4.2): justified; sometimes the technician acts too early.
      const early = rng.chance(0.25);
      measure(t + (early ? rng.int(30, 70) : rng.int(73, 110)) * HOUR, 'no-response', true);
    } else if (r < 0.74) {
      // "customer-instructed" before any answer was recorded: not justified.
      measure(t + rng.int(2, 20) * HOUR, 'customer-instructed', true);
    }
  };

  /** An update ordered by the customer (4.1): request, schedule, work in (mostly) the window. */
  const updateStory = (c: GenContract, t: number): void => {
    const tz = c.zone.tz;
    const ticketId = `T-${++ticketNo}`;
    const [software, scope, supported] = rng.pick(SOFTWARE);
    const req = requesterFor(c, t);
    const d: Record<string, unknown> = {
      ticketId,
      contractId: c.id,
      channel: rng.pick(DEFAULT_SLA_CATALOG[c.sla].supportChannels),
      requester: req.email,
      software,
      scope,
      vendorSupported: supported,
    };
    if (rng.chance(0.3)) d['vmId'] = c.vmId;
    push(t, 'UpdateRequested', stampLocal(t, tz), d);
    const windows = c.agreedWindows ?? DEFAULT_SLA_CATALOG[c.sla].maintenanceWindows;
    const sAt = t + rng.int(10, 120) * MINUTE;
    const r = rng.float();
    let when: number;
    let agreed = false;
    // The next occurrence that starts after the request (not one already running), so that the work
    // is never recorded before the ticket it belongs to.
    const base = sAt + 6 * HOUR;
    let next = nextMaintenanceWindow(base, windows, tz);
    if (next !== undefined && next.start < base) next = nextMaintenanceWindow(next.end, windows, tz);
    if (r < 0.78 && next !== undefined) {
      const span = Math.max(1, Math.floor((next.end - next.start) / MINUTE) - 60);
      when = next.start + Math.min(span, rng.int(0, 8) * 15) * MINUTE;
    } else {
      // An appointment outside every window: agreed with the customer, or (rarely) not.
      agreed = r < 0.93;
      when = workingTime(c, sAt + rng.int(1, 5) * DAY);
      if (next !== undefined && when >= next.start && when < next.end) when = next.end + 2 * HOUR;
    }
    push(sAt, 'UpdateScheduled', stampLocal(sAt, tz), {
      ticketId,
      scheduledFor: stampLocal(when, tz),
      agreedWithCustomer: agreed,
    });
    logWork(c, ticketId, 'update-installation', when);
    const done = when + rng.int(20, 120) * MINUTE + 4 * HOUR;
    if (rng.chance(0.92)) push(done, 'UpdateApplied', stampLocal(done, tz), { ticketId });
    else push(done, 'UpdateFailed', stampLocal(done, tz), { ticketId, rolledBack: true });
  };

  /** One month of one contract's life. */
  const contractMonth = (c: GenContract, i: number, monthStart: number, monthEnd: number): void => {
    const tz = c.zone.tz;
    if (i === c.bookMonth) book(c, monthStart);
    if (c.bookedAt === undefined || (c.cancelledAt !== undefined && c.cancelledAt < monthStart)) return;
    const from = Math.max(monthStart, (c.provisionedAt ?? c.bookedAt) + HOUR);
    const span = monthEnd - from;
    if (span > DAY) {
      const cancelAt = i === c.cancelMonth ? from + Math.floor(span * (0.3 + 0.6 * rng.float())) : undefined;
      const until = cancelAt ?? monthEnd;
      const when = (): number => from + Math.floor(rng.float() * (until - from));
      // Contract facts that change what later work is entitled to.
      if (rng.chance(0.02)) {
        const at = workingTime(c, when());
        const to: SlaLevel =
          c.sla === 'Basic' ? 'Standard' : c.sla === 'Standard' ? 'Professional' : 'Premium';
        if (to !== c.sla) {
          c.sla = to;
          push(at, 'SlaChanged', stampLocal(at, tz), { contractId: c.id, sla: to });
        }
      }
      if (rng.chance(0.015)) {
        const at = workingTime(c, when());
        c.alerting = !c.alerting;
        if (c.alerting)
          push(at, 'AlertingActivated', stampLocal(at, tz), { contractId: c.id, channels: ['email'] });
        else push(at, 'AlertingDeactivated', stampLocal(at, tz), { contractId: c.id });
      }
      if (rng.chance(0.03)) {
        const at = workingTime(c, when());
        const p = c.people.find((x) => x.namedAt === undefined);
        if (p !== undefined) {
          p.namedAt = at;
          c.lead ??= p;
          push(at, 'AuthorizedRequesterNamed', stampLocal(at, tz), { contractId: c.id, email: p.email });
        }
      } else if (rng.chance(0.01)) {
        const at = workingTime(c, when());
        const p = c.people.find((x) => x !== c.lead && x.namedAt !== undefined && x.removedAt === undefined);
        if (p !== undefined && (p.namedAt as number) < at) {
          p.removedAt = at;
          push(at, 'AuthorizedRequesterRemoved', stampLocal(at, tz), { contractId: c.id, email: p.email });
        }
      }
      if (c.nas !== undefined && rng.chance(0.005)) {
        const at = workingTime(c, when());
        push(at, 'BackupNasShareDetached', stampLocal(at, tz), { contractId: c.id, shareId: c.nas });
        c.nas = undefined;
      }
      // Customer tickets.
      const n = rng.poisson(
        (TICKETS_PER_MONTH[c.sla] * intensity * (until - from)) / (monthEnd - monthStart),
      );
      for (let k = 0; k < n; k++) {
        let service = rng.weighted(SERVICE_WEIGHTS);
        // Backups run only with a NAS share; a customer without one asks less often, but asks.
        if (service === 'backup-run' && c.nas === undefined && rng.chance(0.7)) service = 'support-request';
        const t = service === 'incident' ? when() : workingTime(c, when());
        if (t < until) customerTicket(c, t, service);
      }
      // Routine included work the provider logs on its own monitoring/renewal tickets.
      if (rng.chance(0.35)) customerTicket(c, workingTime(c, when()), 'certificate-renewal', 1);
      if (c.nas !== undefined && rng.chance(0.4)) customerTicket(c, workingTime(c, when()), 'backup-run', 1);
      const alerts = rng.poisson(1.6);
      for (let k = 0; k < alerts; k++) alertStory(c, when());
      const updates = rng.poisson(0.9);
      for (let k = 0; k < updates; k++) updateStory(c, workingTime(c, when()));
      if (rng.chance(0.08)) {
        let at = when();
        const restarts = rng.int(1, 3);
        for (let k = 0; k < restarts; k++) {
          at += rng.int(3, 15) * MINUTE;
          push(at, 'VmRestartedByHa', stampUtc(at), { contractId: c.id, vmId: c.vmId });
        }
        at += rng.int(2, 10) * MINUTE;
        push(at, 'VmHeartbeatRestored', stampUtc(at), { contractId: c.id, vmId: c.vmId });
      }
      if (cancelAt !== undefined) {
        c.cancelledAt = cancelAt;
        push(cancelAt, 'MSPCancelled', stampLocal(cancelAt, tz), {
          contractId: c.id,
          vmDecommissioned: DEFAULT_SLA_CATALOG[c.sla].mspMandatory ? true : rng.chance(0.6),
        });
      }
    }
    // The month's invoice, issued on the 1st of the next month; now and then one is skipped.
    const last = i === options.months - 1;
    if (last && !invoiceLastMonth) return;
    if (!last && rng.chance(0.02)) return;
    const at = monthEnd + 6 * HOUR + rng.int(0, 90) * MINUTE;
    const { y, mo } = monthOf(i);
    invoiceNo += 1;
    push(at, 'InvoiceIssued', stampLocal(at, tz), {
      contractId: c.id,
      period: periodText(y, mo),
      invoiceNumber: `RE-${y}-${String(invoiceNo).padStart(6, '0')}`,
    });
  };

  /** Rates change on the 1st of a month: announced ahead, or recorded late (retroactive). */
  const rateChanges = (i: number): void => {
    const { y, mo } = monthOf(i);
    const effective = fromLocal(monthStartWall(y, mo), 'Europe/Berlin');
    for (const card of Object.values(cards)) {
      if (i === 0 || (i - card.changeOffset) % card.changeEvery !== 0) continue;
      card.rate = Math.round(card.rate * (1 + rng.int(2, 6) / 100) * 2) / 2;
      const r = rng.float();
      const recordAt =
        r < 0.6
          ? effective - rng.int(5, 15) * DAY
          : r < 0.9
            ? effective + rng.int(2, 9) * DAY
            : effective + rng.int(33, 45) * DAY;
      push(recordAt, 'HourlyRateSet', stampUtc(recordAt), {
        rateCardId: card.id,
        effectiveFrom: stampLocal(effective, 'Europe/Berlin'),
        hourlyRate: card.rate.toFixed(2),
      });
    }
  };

  for (let i = 0; i < options.months; i++) {
    const { y, mo } = monthOf(i);
    const next = monthOf(i + 1);
    rateChanges(i);
    for (const c of contracts) {
      const start = fromLocal(monthStartWall(y, mo), c.zone.tz);
      const end = fromLocal(monthStartWall(next.y, next.mo), c.zone.tz);
      contractMonth(c, i, start, end);
    }
    // Everything generated from now on is recorded after the start of next month in some zone
    // (UTC+14 at the earliest) minus the rate announcements made up to 15 days ahead.
    const horizon = Date.UTC(next.y, next.mo - 1, 1) - 16 * DAY;
    for (let p = queue.peek(); p !== undefined && p.recordAt < horizon; p = queue.peek()) {
      queue.pop();
      if (emitted >= limit) return;
      emitted += 1;
      yield toWire(p);
    }
  }
  for (let p = queue.pop(); p !== undefined; p = queue.pop()) {
    if (emitted >= limit) return;
    emitted += 1;
    yield toWire(p);
  }
}

/** The same log as NDJSON lines, each ending with `\n`. */
export function* generateScenarioNdjson(options: ScenarioOptions): Generator<string> {
  for (const e of generateScenario(options)) yield `${JSON.stringify(e)}\n`;
}

const WORK_NOTES = [
  'Analyse, Logs geprüft',
  'checked nginx error log, restarted php-fpm',
  'Rücksprache mit Kunde per Telefon',
  'config change tested on staging first',
  'Dokumentation im Ticket ergänzt',
  'root cause analysis',
];
const CORRECTION_REASONS = [
  'Tippfehler bei der Zeiterfassung',
  'double-counted lunch break',
  'falsches Datum erfasst',
  'timer left running',
];
const VOID_REASONS = ['doppelt erfasst', 'logged on the wrong ticket', 'Test-Eintrag'];
const RECLASSIFY_REASONS = [
  'Ursache: Konfigurationsänderung durch den Kunden',
  'turned out to be a how-to question',
  'actually a change of the configuration',
];
const MEASURES: Readonly<Record<'filesystem' | 'ram' | 'cpu-load' | 'host-down', readonly string[]>> = {
  filesystem: [
    '/var/log zu 100 % voll, Logrotation angepasst',
    'disk 100 % full, removed old backups in /tmp',
  ],
  ram: [
    'OOM killer stopped MariaDB, restarted and limited buffer pool',
    'Swap erschöpft, PHP-FPM-Worker reduziert',
  ],
  'cpu-load': ['runaway cron job killed', 'Endlosschleife in Worker-Prozess beendet'],
  'host-down': [
    'VM hing nach HA-Neustart im fsck, manuell fortgesetzt',
    'network interface down, brought back up',
  ],
};

/**
 * The scenario `pnpm demo` prints: four contracts, one per SLA, booked early in September 2026;
 * September is invoiced on 1 October, October is still a draft (late work, corrections).
 */
export const demoScenarioOptions = (seed: number): ScenarioOptions => ({
  seed,
  contracts: 4,
  from: '2026-09',
  months: 2,
  slas: ['Basic', 'Standard', 'Professional', 'Premium'],
  allBookedAtStart: true,
  invoiceLastMonth: false,
  intensity: 2,
});
