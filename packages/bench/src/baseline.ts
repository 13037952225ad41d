/**
 * Child process: the BASELINE a billing engine is measured against — a plain hand-written loop over
 * the same file with no validation and no rules: stream lines, `JSON.parse` each, `switch` on the
 * type, and sum minutes × rate with Numbers (latest rate per card, corrections and voids applied).
 * It is what "just parse it and add it up" costs, so the engine's overhead is the ratio to this.
 * Prints `{ ms, cpuMs, events, workEntries, total, maxRssKb }`; with `warm` as the second argument
 * also `warmCpuMs`, the CPU of a second pass in the same process (the JIT warm, as engine.ts does).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

interface Work {
  minutes: number;
  ticketId: string;
  voided: boolean;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: baseline.ts <file> [warm]');

/** One pass over the log at `path`. */
const pass = async (path: string): Promise<{ events: number; workEntries: number; total: number }> => {
  const rateOfCard = new Map<string, number>();
  const cardOfContract = new Map<string, string>();
  const contractOfTicket = new Map<string, string>();
  const work = new Map<string, Work>();
  let events = 0;
  const lines = createInterface({
    input: createReadStream(path, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line.length === 0) continue;
    events += 1;
    const e = JSON.parse(line) as { type: string; data: Record<string, string | number> };
    const d = e.data;
    switch (e.type) {
      case 'HourlyRateSet':
        rateOfCard.set(d['rateCardId'] as string, Number(d['hourlyRate']));
        break;
      case 'MSPBooked':
        cardOfContract.set(d['contractId'] as string, d['rateCardId'] as string);
        break;
      case 'TicketOpened':
      case 'UpdateRequested':
      case 'SafetyMeasureTaken':
        contractOfTicket.set(d['ticketId'] as string, d['contractId'] as string);
        break;
      case 'WorkLogged':
        work.set(d['workId'] as string, {
          minutes: d['minutes'] as number,
          ticketId: d['ticketId'] as string,
          voided: false,
        });
        break;
      case 'WorkLogCorrected': {
        const w = work.get(d['workId'] as string);
        if (w !== undefined && d['minutes'] !== undefined) w.minutes = d['minutes'] as number;
        break;
      }
      case 'WorkLogVoided': {
        const w = work.get(d['workId'] as string);
        if (w !== undefined) w.voided = true;
        break;
      }
      default:
        break;
    }
  }
  let total = 0;
  for (const w of work.values()) {
    if (w.voided) continue;
    const card = cardOfContract.get(contractOfTicket.get(w.ticketId) ?? '') ?? '';
    total += ((rateOfCard.get(card) ?? 0) * w.minutes) / 60;
  }
  return { events, workEntries: work.size, total };
};

const started = performance.now();
const cpu0 = process.cpuUsage();
const { events, workEntries, total } = await pass(file);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const maxRssKb = process.resourceUsage().maxRSS;
let warmCpuMs: number | null = null;
if (process.argv[3] === 'warm') {
  const c0 = process.cpuUsage();
  await pass(file);
  const c = process.cpuUsage(c0);
  warmCpuMs = (c.user + c.system) / 1000;
}
process.stdout.write(`${JSON.stringify({ ms, cpuMs, events, workEntries, total, maxRssKb, warmCpuMs })}\n`);
