/**
 * Summary of a V8 CPU profile (`node --cpu-prof`): self time per function, summed over every node
 * of the call tree with the same name and script, so a hot function shows once however it was
 * reached.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One function's self time. */
export interface ProfileLine {
  readonly name: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** The `top` functions by self time. */
export const summarizeProfile = (p: CpuProfile, top: number): ProfileLine[] => {
  const perNode = new Map<number, number>();
  p.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const perName = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const us = perNode.get(n.id) ?? 0;
    total += us;
    const file = n.callFrame.url.split('/').slice(-2).join('/');
    const name = `${n.callFrame.functionName === '' ? '(anonymous)' : n.callFrame.functionName}${file === '' ? '' : ` ${file}`}`;
    perName.set(name, (perName.get(name) ?? 0) + us);
  }
  return [...perName]
    .toSorted((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: us / 1000, percent: total === 0 ? 0 : (100 * us) / total }));
};
