/**
 * schemaVersion upcasting: a test-only version 2 of `WorkLogged` (where `durationMinutes` replaces
 * `minutes`) shows that a decoder built with `createDecoder` reads old and new lines into the new
 * shape, refuses versions it does not know, and that the default v1 decoder refuses v2 lines.
 */
import { describe, expect, it } from 'vitest';
import {
  ServiceKind,
  InstantC,
  Minutes,
  TechnicianId,
  TicketId,
  WorkId,
  closed,
  createDecoder,
  decodeEvent,
  optional,
  type DecodeError,
} from '../src/index.js';

const WorkLoggedV2 = closed('WorkLogged', {
  workId: WorkId,
  ticketId: TicketId,
  technician: TechnicianId,
  startedAt: InstantC,
  durationMinutes: Minutes,
  service: optional(ServiceKind),
});

interface WorkLoggedV2Event {
  readonly id: string;
  readonly type: 'WorkLogged';
  readonly occurredAt: number;
  readonly data: { readonly durationMinutes: number; readonly startedAt: number; readonly workId: string };
}

const upcastWorkLoggedV1 = (data: unknown): unknown => {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const { minutes, description: _dropped, ...rest } = data as Record<string, unknown>;
  return { ...rest, durationMinutes: minutes };
};

const decodeV2 = createDecoder<WorkLoggedV2Event>({
  catalog: { WorkLogged: { version: 2, codec: WorkLoggedV2 } },
  upcasters: [{ type: 'WorkLogged', fromVersion: 1, upcast: upcastWorkLoggedV1 }],
});

const v1 = {
  id: 'e-1',
  type: 'WorkLogged',
  occurredAt: '2026-10-05T09:00:00+02:00',
  data: {
    workId: 'w-1',
    ticketId: 't-1',
    technician: 'tech-1',
    startedAt: '2026-10-05T09:00:00+02:00',
    minutes: 50,
    description: 'v2 has no description',
  },
};

const v2 = {
  id: 'e-2',
  type: 'WorkLogged',
  occurredAt: '2026-10-05T10:00:00+02:00',
  schemaVersion: 2,
  data: {
    workId: 'w-2',
    ticketId: 't-1',
    technician: 'tech-1',
    startedAt: '2026-10-05T10:00:00+02:00',
    durationMinutes: 30,
  },
};

const left = (r: { _tag: 'Left'; left: DecodeError } | { _tag: 'Right' }): DecodeError => {
  if (r._tag === 'Right') throw new Error('expected a refusal');
  return r.left;
};

describe('upcasting WorkLogged v1 → v2', () => {
  it('reads a v1 line (no schemaVersion) into the v2 shape', () => {
    const r = decodeV2(v1);
    expect(r._tag).toBe('Right');
    if (r._tag !== 'Right') return;
    expect(r.right.data).toEqual({
      workId: 'w-1',
      ticketId: 't-1',
      technician: 'tech-1',
      startedAt: Date.UTC(2026, 9, 5, 7, 0, 0),
      durationMinutes: 50,
    });
    expect(r.right.data).not.toHaveProperty('minutes');
  });

  it('reads an explicit schemaVersion 1 the same way', () => {
    const r = decodeV2({ ...v1, schemaVersion: 1 });
    expect(r._tag === 'Right' && r.right.data.durationMinutes).toBe(50);
  });

  it('reads a v2 line as it is', () => {
    const r = decodeV2(v2);
    expect(r._tag).toBe('Right');
    if (r._tag !== 'Right') return;
    expect(r.right.data.durationMinutes).toBe(30);
    expect(r.right.data.startedAt).toBe(Date.UTC(2026, 9, 5, 8, 0, 0));
  });

  it('checks the upcast data against v2: a bad v1 value is still refused with its v2 path', () => {
    const err = left(decodeV2({ ...v1, data: { ...v1.data, minutes: 0 } }));
    expect(err.path).toBe('data.durationMinutes');
    expect(left(decodeV2({ ...v2, data: { ...v2.data, minutes: 30 } })).message).toBe(
      'data.minutes: unknown field',
    );
  });

  it('refuses a v3 line', () => {
    const err = left(decodeV2({ ...v2, schemaVersion: 3 }));
    expect(err.path).toBe('schemaVersion');
    expect(err.reason).toBe('version 3 of WorkLogged is newer than this engine reads (2)');
  });

  it('leaves the other types at v1', () => {
    const r = decodeV2({
      id: 'e-3',
      type: 'ProvisioningCompleted',
      occurredAt: '2026-10-05T09:00:00Z',
      data: { contractId: 'c-1' },
    });
    expect(r._tag).toBe('Right');
  });

  it('refuses a v2 line with the default decoder', () => {
    const err = left(decodeEvent(v2));
    expect(err.path).toBe('schemaVersion');
    expect(err.reason).toBe('version 2 of WorkLogged is newer than this engine reads (1)');
  });

  it('refuses a version with no upcaster, and reports an upcaster that throws', () => {
    const noStep = createDecoder({ catalog: { WorkLogged: { version: 2, codec: WorkLoggedV2 } } });
    expect(left(noStep(v1)).message).toBe('schemaVersion: no upcaster from version 1 of WorkLogged');
    const throwing = createDecoder({
      catalog: { WorkLogged: { version: 2, codec: WorkLoggedV2 } },
      upcasters: [
        {
          type: 'WorkLogged',
          fromVersion: 1,
          upcast: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    expect(left(throwing(v1)).message).toBe('data: cannot upcast version 1 of WorkLogged: boom');
  });
});
