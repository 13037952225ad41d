/**
 * Warnings (spec §6) are the refusals the deciders give: the Ledger warns about a recorded fact
 * with the refusal the command recording it would have got, judged over the facts before it. Each
 * case records the fact and also asks the contract decider the command, over the same log.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  decideContract,
  emptyRegistry,
  evolveContractFacts,
  evolveRegistry,
  type ContractCommand,
  type ContractState,
} from '@msp-billing/contracts/internal';
import { decodeEvent } from '@msp-billing/events';
import { DEFAULT_SLA_CATALOG } from '@msp-billing/sla';
import { C, VM, base, type TestLog } from './support/log.js';

/** The contract decider's answer to `command` over the events of `l` (decoded as the Ledger's). */
const decided = (l: TestLog, command: ContractCommand) => {
  const events = l.events.map((raw) => {
    const d = decodeEvent(raw);
    if (E.isLeft(d)) throw new Error(d.left.message);
    return d.right;
  });
  const state = events.reduce<ContractState>((s, e) => evolveContractFacts(s, e), undefined);
  const registry = events.reduce(evolveRegistry, emptyRegistry());
  return decideContract(command, state, { registry, catalog: DEFAULT_SLA_CATALOG });
};

const restart = (l: TestLog, minute: number, vmId = VM): TestLog =>
  l.add('VmRestartedByHa', `2026-09-10T08:0${minute}:00Z`, { contractId: C, vmId });

describe('warnings are the deciders’ refusals (spec §6)', () => {
  it('a 4th HA restart in a row: HaRestartLimitReached, as the decider refuses RecordHaRestart', () => {
    const l = restart(restart(restart(base(), 1), 2), 3);
    expect(l.ledger().warnings()).toEqual([]);
    const command = {
      type: 'RecordHaRestart',
      eventId: 'cmd-1',
      occurredAt: Date.parse('2026-09-10T08:04:00Z'),
      data: { contractId: C, vmId: VM },
    } as unknown as ContractCommand;
    const refused = decided(l, command);
    restart(l, 4);
    const [w, ...more] = l.ledger().warnings();
    expect(more).toEqual([]);
    // Three restarts before it (08:01–08:03) and no restored heartbeat: the 4th is one too many.
    expect(w).toMatchObject({
      type: 'VmRestartedByHa',
      code: 'HaRestartLimitReached',
      clause: '4.2',
      refusal: { _tag: 'HaRestartLimitReached', contractId: C, vmId: VM, restartsInRow: 3 },
      message: 'HA restart number 4 in a row; vSphere HA restarts at most 3 times',
    });
    expect(E.isLeft(refused) && refused.left._tag).toBe('HaRestartLimitReached');
    expect(E.isLeft(refused) && refused.left).toMatchObject(w?.refusal ?? {});
  });

  it('a restored heartbeat ends the run: no warning for the next restart', () => {
    const l = restart(restart(restart(base(), 1), 2), 3);
    l.add('VmHeartbeatRestored', '2026-09-10T08:05:00Z', { contractId: C, vmId: VM });
    restart(l, 6);
    expect(l.ledger().warnings()).toEqual([]);
  });

  it('an HA restart of another VM: VmNotOfContract (1)', () => {
    const l = restart(base(), 1, 'vm-9');
    expect(l.ledger().warnings()).toMatchObject([
      {
        code: 'VmNotOfContract',
        clause: '1',
        refusal: { contractId: C, vmId: 'vm-9', contractVmId: VM },
        message: `VM vm-9 is not the VM of contract ${C} (${VM})`,
      },
    ]);
  });

  it('cancelling a Professional MSP with the VM running: MspMandatoryForSla (1), as the decider refuses CancelMsp', () => {
    const l = base({ sla: 'Professional' });
    const command = {
      type: 'CancelMsp',
      eventId: 'cmd-2',
      occurredAt: Date.parse('2026-09-20T12:00:00+02:00'),
      data: { contractId: C, vmDecommissioned: false },
    } as unknown as ContractCommand;
    const refused = decided(l, command);
    l.add('MSPCancelled', '2026-09-20T12:00:00+02:00', { contractId: C, vmDecommissioned: false });
    const warnings = l.ledger().warnings();
    expect(warnings).toMatchObject([
      {
        code: 'MspMandatoryForSla',
        clause: '1',
        refusal: { _tag: 'MspMandatoryForSla', contractId: C, sla: 'Professional' },
        message: 'MSP of a Professional VM cancelled while the VM is not decommissioned',
      },
    ]);
    expect(E.isLeft(refused) && refused.left).toMatchObject(warnings[0]?.refusal ?? {});
  });

  it('cancelling a Standard MSP, or a Professional one with the VM decommissioned: no warning', () => {
    const standard = base().add('MSPCancelled', '2026-09-20T12:00:00+02:00', {
      contractId: C,
      vmDecommissioned: false,
    });
    const decommissioned = base({ sla: 'Professional' }).add('MSPCancelled', '2026-09-20T12:00:00+02:00', {
      contractId: C,
      vmDecommissioned: true,
    });
    expect(standard.ledger().warnings()).toEqual([]);
    expect(decommissioned.ledger().warnings()).toEqual([]);
  });
});
