/**
 * CPU time of a PostgreSQL server running on this machine, for the PostgreSQL benchmark: the client
 * process's CPU time alone hides the work the server does for it (parsing, index maintenance, WAL).
 * Read from /proc: the postmaster (found as the parent of our backend) with the CPU of its children
 * that have exited, plus every live child — backends, WAL writer, checkpointer, autovacuum. So it is
 * the whole server's CPU, not only our connection's. Unavailable (undefined) when the server is on
 * another machine or in another PID namespace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const ticksPerSecond = (): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
};

/** The fields of /proc/<pid>/stat after the command name (field 3, `state`, is index 0). */
const statFields = (pid: number): string[] | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};

const commOf = (pid: number): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/**
 * A reader of the server's total CPU time in ms, given the pid of one of its backends
 * (`SELECT pg_backend_pid()`); undefined when that pid is not a local postgres process.
 */
export const serverCpuReader = (backendPid: number): (() => number) | undefined => {
  const backend = statFields(backendPid);
  if (backend === undefined || !(commOf(backendPid) ?? '').startsWith('postgres')) return undefined;
  const postmaster = Number(backend[1]);
  const tick = 1000 / ticksPerSecond();
  return () => {
    let ticks = 0;
    const own = statFields(postmaster);
    // utime, stime, cutime, cstime: fields 14–17, i.e. indices 11–14 here.
    if (own !== undefined) for (const i of [11, 12, 13, 14]) ticks += Number(own[i]);
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const f = statFields(Number(name));
      if (f !== undefined && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks * tick;
  };
};
