// How an area of the API registers its handlers. Each area module (api/areas/*.ts) declares its handlers once,
// keyed by the contract's method names; service.ts lists the areas, and registerAreas() checks at start-up that
// every method of the contract has exactly one handler. See api/README.md, "Adding an area".
import { API, type ApiMethod, type ApiOutputs, type ApiParsedInput } from './contract.js';
import type { Session } from './session.js';

/** A handler: the session and the validated input in, the method's output (or a promise of it) out. */
export type Handler<M extends ApiMethod, S = Session> = (session: S, input: ApiParsedInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]>;

/** Handlers for some methods of the contract, each typed by its method. */
export type Handlers<M extends ApiMethod, S = Session> = { [K in M]: Handler<K, S> };

/** The handlers of every method. */
export type AllHandlers = Handlers<ApiMethod>;

/**
 * An area: its name and its handlers. `H` keeps each handler's own type (a handler that answers at once
 * stays synchronous for callers of the service, one that reads no input takes none).
 */
export interface Area<H = Partial<AllHandlers>> {
  /** For messages only (a method registered twice names both areas). */
  readonly name: string;
  readonly handlers: H;
}

/** Handlers as written, checked against the contract's method names, inputs and outputs. */
type Checked<H, S> = { [K in keyof H]: K extends ApiMethod ? Handler<K, S> : never };

/** An area whose handlers take the session itself. */
export function defineArea<const H extends Partial<AllHandlers>>(name: string, handlers: H & Checked<H, Session>): Area<H> {
  return { name, handlers };
}

/** The handlers of `H` (written over a view S) as the area registers them: over the session. */
type OverSession<H> = { [K in keyof H]: H[K] extends (view: never, ...input: infer P) => infer R ? (session: Session, ...input: P) => R : never };

/**
 * An area whose handlers are written against a narrower view of the session (what they need of it, so they
 * can be tested and reasoned about alone): `view` builds that view from the session on each call.
 */
export function defineAreaOver<S, const H extends Partial<Record<ApiMethod, unknown>>>(
  name: string,
  view: (session: Session) => S,
  handlers: H & Checked<H, S>,
): Area<OverSession<H>> {
  const bound: Record<string, (session: Session, input: unknown) => unknown> = {};
  for (const method of Object.keys(handlers)) {
    const handler = (handlers as Record<string, (s: S, input: unknown) => unknown>)[method]!;
    bound[method] = (session, input) => handler(view(session), input);
  }
  return { name, handlers: bound as OverSession<H> };
}

/** A service method as callers see it: the handler without its session argument. */
export type ServiceMethods<H> = { [K in keyof H]: H[K] extends (session: Session, ...input: infer P) => infer R ? (...input: P) => R : never };

/** Merges the areas' handlers; refuses (at start-up) a method registered twice, one the contract lacks, or one left out. */
export function registerAreas(areas: readonly Area<object>[]): AllHandlers {
  const all: Partial<Record<string, unknown>> = {};
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const area of areas) {
    for (const [method, handler] of Object.entries(area.handlers)) {
      if (!Object.prototype.hasOwnProperty.call(API, method)) problems.push(`${area.name}: "${method}" is not in the contract`);
      const before = owner.get(method);
      if (before !== undefined) problems.push(`"${method}" is registered by both ${before} and ${area.name}`);
      owner.set(method, area.name);
      all[method] = handler;
    }
  }
  for (const method of Object.keys(API)) if (!owner.has(method)) problems.push(`"${method}" has no handler`);
  if (problems.length > 0) throw new Error(`API handlers do not match the contract:\n${problems.join('\n')}`);
  return all as AllHandlers;
}
