// The API's areas: every method of the contract has exactly one handler, registered by one area; a failure
// that is not a refusal reaches the user as one Chinese sentence and the developer's log with its stack.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, type ApiService } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { ApiRefusal, UNEXPECTED_ERROR_MESSAGE } from '../../api/errors.js';
import { defineArea, registerAreas } from '../../api/handlers.js';
import { AREAS } from '../../api/service.js';

afterEach(() => vi.restoreAllMocks());

describe('API areas', () => {
  it('register every method of the contract exactly once', () => {
    const owners = new Map<string, string[]>();
    for (const area of AREAS) for (const method of Object.keys(area.handlers)) owners.set(method, [...(owners.get(method) ?? []), area.name]);
    expect([...owners.keys()].sort()).toEqual(Object.keys(API).sort());
    for (const [method, areas] of owners) expect(areas, method).toHaveLength(1);
    expect(() => registerAreas(AREAS)).not.toThrow();
  });

  it('refuse at start-up a method registered twice, one missing, or one the contract lacks', () => {
    const twice = defineArea('twice', { 'budget.info': () => { throw new Error('not called'); } });
    expect(() => registerAreas([...AREAS, twice])).toThrow(/"budget.info" is registered by both files and twice/);
    expect(() => registerAreas(AREAS.filter((a) => a.name !== 'undo'))).toThrow(/"edit.undo" has no handler/);
    const stray = { name: 'stray', handlers: { 'nothing.here': () => null } };
    expect(() => registerAreas([...AREAS, stray])).toThrow(/stray: "nothing.here" is not in the contract/);
  });
});

describe('dispatch', () => {
  const service = (fail: () => never) => ({ 'budget.info': fail }) as unknown as ApiService;

  it('shows an unexpected failure as one Chinese sentence saying what to do, and logs its stack', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await dispatch(service(() => { throw new TypeError("Cannot read properties of undefined (reading 'code')"); }), 'budget.info', {});
    expect(response).toEqual({ error: { message: UNEXPECTED_ERROR_MESSAGE } });
    expect(UNEXPECTED_ERROR_MESSAGE).toMatch(/^[^A-Za-z]*请重试[^A-Za-z]*。$/);
    expect(log).toHaveBeenCalledTimes(1);
    const logged = String(log.mock.calls[0]![0]);
    expect(logged).toContain('budget.info');
    expect(logged).toContain("TypeError: Cannot read properties of undefined (reading 'code')");
    expect(logged).toMatch(/\n\s+at /);
  });

  it('passes a refusal through as it is, and logs nothing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await dispatch(service(() => { throw new ApiRefusal('预算行 #3 不存在', [{ path: '$.id', message: '不存在' }]); }), 'budget.info', {});
    expect(response).toEqual({ error: { message: '预算行 #3 不存在', issues: [{ path: '$.id', message: '不存在' }] } });
    expect(log).not.toHaveBeenCalled();
  });
});
