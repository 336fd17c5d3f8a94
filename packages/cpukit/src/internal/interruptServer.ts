/**
 * The interrupt server of RTEMS 6's Interrupt Manager Extension (cpukit/include/rtems/
 * irq-extension.h, bsps/shared/irq/irq-server.c): interrupt handlers that run in a task.
 *
 * A server is a Classic task ('IRQS' for the default server of
 * rtems_interrupt_server_initialize, the configured name for rtems_interrupt_server_create)
 * that waits for RTEMS_EVENT_SYSTEM_SERVER. A vector with server handlers has one ISR on
 * the ordinary handler table (bsp_interrupt_server_trigger): it disables the vector at the
 * BSP's controller (bsp_interrupt_vector_disable), queues the vector's entry on its server
 * and sends the server the event. The server takes its entries oldest first, runs each
 * entry's actions in order in task context, and enables the vector again
 * (bsp_interrupt_vector_enable). Management requests (install, remove, iterate, move,
 * suspend, resume, delete, entry destroy) are entries of the server too: their action runs
 * in the server task, which answers the caller with the transient event
 * (bsp_interrupt_server_call_helper), so they are generators.
 */
import { RTEMS_EVENT_29, RTEMS_EVENT_30 } from '../eventSet.js';
import { RTEMS_INTERRUPT_UNIQUE } from '../interruptOptions.js';
import { objectIdIndex } from '../objectId.js';
import { buildName } from '../objectName.js';
import { RTEMS_EVENT_ALL, RTEMS_NO_TIMEOUT, RTEMS_WAIT } from '../options.js';
import type { Directive } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { bits32 } from './arguments.js';
import type { EventManager } from './eventManager.js';
import type { InterruptManager } from './interruptManager.js';
import { type Score, isIterator } from './score.js';
import type { TaskManager } from './taskManager.js';

/** RTEMS_EVENT_SYSTEM_SERVER (rtems/rtems/event.h): wakes the server. */
const RTEMS_EVENT_SYSTEM_SERVER = RTEMS_EVENT_30;
/** RTEMS_EVENT_SYSTEM_SERVER_RESUME (rtems/rtems/event.h): ends a suspension. */
const RTEMS_EVENT_SYSTEM_SERVER_RESUME = RTEMS_EVENT_29;
/** The processors of this executive (rtems_scheduler_get_processor_maximum). */
const PROCESSOR_MAXIMUM = 1;

/** rtems_interrupt_server_config (irq-extension.h) in camelCase; `destroy` gets the index of the deleted server. */
export interface InterruptServerConfig {
  readonly name: number;
  readonly priority: number;
  readonly storageSize: number;
  readonly modes: number;
  readonly attributes: number;
  readonly destroy?: (serverIndex: number) => void;
}

/** rtems_interrupt_server_action: one handler of an entry. */
interface Action {
  readonly handler: unknown;
  readonly arg: unknown;
  readonly run: () => unknown;
}

/** rtems_interrupt_server_control. */
interface ServerControl {
  readonly index: number;
  readonly taskId: number;
  /** The entries chain, oldest first. */
  readonly entries: InterruptServerEntry[];
  /** s->errors: a trigger of an entry that was queued already. */
  errors: number;
  readonly destroy?: () => void;
}

/** rtems_interrupt_server_entry: a vector (or none) and its actions, run in order by its server. */
export class InterruptServerEntry {
  /** @internal */ server: ServerControl;
  /** @internal the vector; undefined for BSP_INTERRUPT_SERVER_MANAGEMENT_VECTOR (no vector). */ vector: number | undefined = undefined;
  /** @internal the actions in the order they run. */ readonly actions: Action[] = [];
  /** @internal on its server's chain (not rtems_chain_is_node_off_chain). */ queued = false;

  /** @internal */
  constructor(server: ServerControl) {
    this.server = server;
  }
}

/** rtems_interrupt_server_request: an entry with one action. */
export class InterruptServerRequest {
  /** @internal */
  constructor(readonly entry: InterruptServerEntry) {}
}

/** bsp_interrupt_server_trigger's identity on the handler table (found again by rtems_interrupt_handler_iterate). */
function serverTrigger(): void {}

export class InterruptServerManager {
  /** bsp_interrupt_server_chain. */
  private readonly servers: ServerControl[] = [];

  constructor(
    private readonly score: Score,
    private readonly tasks: TaskManager,
    private readonly events: EventManager,
    private readonly table: InterruptManager,
    /** Calls a handler with the Rtems object. */
    private readonly call: (handler: unknown, arg: unknown) => unknown,
  ) {}

  /** bsp_interrupt_server_get_context: the server with this index, or INVALID_ID. */
  private context(index: unknown): ServerControl | undefined {
    const wanted = bits32(index);
    return this.servers.find((s) => s.index === wanted);
  }

  /** The task of the server with this index (bsp_interrupt_server_get_context, then s->server); undefined for INVALID_ID. */
  serverTask(index: unknown): number | undefined {
    return this.context(index)?.taskId;
  }

  private isVector(vector: number | undefined): vector is number {
    return vector !== undefined && this.score.env.bsp.isInterruptVector(vector);
  }

  /**
   * bsp_interrupt_server_trigger: disable the vector, queue the entry (or count an error
   * when it is queued already), send the server RTEMS_EVENT_SYSTEM_SERVER.
   */
  private *trigger(entry: InterruptServerEntry): Directive<void> {
    const s = entry.server;
    if (this.isVector(entry.vector)) this.score.env.bsp.interruptController?.disable?.(entry.vector);
    this.score.directive(() => {
      if (!entry.queued) {
        entry.queued = true;
        s.entries.push(entry);
      } else {
        s.errors++;
      }
    });
    yield* this.events.systemSend(s.taskId, RTEMS_EVENT_SYSTEM_SERVER);
  }

  /** bsp_interrupt_server_task: wait for the event, then run the queued entries, re-enabling each vector. */
  private *body(s: ServerControl): Generator<number, void, unknown> {
    for (;;) {
      yield* this.events.systemReceive(RTEMS_EVENT_SYSTEM_SERVER, RTEMS_EVENT_ALL | RTEMS_WAIT, RTEMS_NO_TIMEOUT);
      for (let e = this.take(s); e !== undefined; e = this.take(s)) {
        const vector = e.vector;
        for (const action of [...e.actions]) {
          const result = action.run();
          if (isIterator(result)) yield* iterate(result);
        }
        if (this.isVector(vector)) this.score.env.bsp.interruptController?.enable?.(vector);
      }
    }
  }

  /** bsp_interrupt_server_get_entry. */
  private take(s: ServerControl): InterruptServerEntry | undefined {
    return this.score.directive(() => {
      const e = s.entries.shift();
      if (e !== undefined) e.queued = false;
      return e;
    });
  }

  /**
   * bsp_interrupt_server_call_helper: a management entry (no vector) whose action runs
   * `helper` in the server task and sends the caller the transient event; the caller waits for it.
   */
  private *callHelper<T>(s: ServerControl, helper: () => Generator<number, T, unknown> | T): Directive<T> {
    const caller = this.tasks.self();
    let result: T | undefined;
    yield* this.manage(s, () => this.runHelper(helper, caller, (value) => (result = value)));
    return result as T;
  }

  /** The server side of a helper: run it, keep its answer, send the caller the transient event. */
  private *runHelper<T>(helper: () => Generator<number, T, unknown> | T, caller: number, answer: (value: T) => void): Generator<number, void, unknown> {
    const value = helper();
    answer(isIterator(value) ? yield* iterate(value) : value);
    yield* this.events.transientSend(caller);
  }

  /** A management entry (BSP_INTERRUPT_SERVER_MANAGEMENT_VECTOR) whose one action is `run`, triggered; the caller then waits for the transient event. */
  private *manage(s: ServerControl, run: () => unknown): Directive<void> {
    const e = new InterruptServerEntry(s);
    e.actions.push({ handler: undefined, arg: undefined, run });
    yield* this.trigger(e);
    yield* this.events.transientReceive(RTEMS_WAIT, RTEMS_NO_TIMEOUT);
  }

  /** bsp_interrupt_server_create: the task, on the chain, started. */
  private *create(index: number | undefined, name: number, priority: unknown, stackSize: unknown, modes: unknown, attributes: unknown, destroy?: (index: number) => void): Directive<{ status: RtemsStatus; index: number }> {
    const created = this.tasks.create(name, priority, stackSize, modes, attributes);
    if (created.status !== RtemsStatus.SUCCESSFUL) return { status: created.status, index: 0 };
    const serverIndex = index ?? objectIdIndex(created.id) + PROCESSOR_MAXIMUM;
    const s: ServerControl = { index: serverIndex, taskId: created.id, entries: [], errors: 0, ...(destroy ? { destroy: () => destroy(serverIndex) } : {}) };
    this.servers.push(s);
    const status = yield* this.tasks.start(created.id, () => this.body(s), 0);
    return { status, index: serverIndex };
  }

  /** rtems_interrupt_server_initialize: INCORRECT_STATE when the default server exists, else the task's errors; the count of servers started. */
  *initialize(priority: unknown, stackSize: unknown, modes: unknown, attributes: unknown): Directive<{ status: RtemsStatus; serverCount: number }> {
    if (this.servers.some((s) => s.index === 0)) return { status: RtemsStatus.INCORRECT_STATE, serverCount: 0 };
    const { status } = yield* this.create(0, buildName('I', 'R', 'Q', 'S'), priority, stackSize, modes, attributes);
    return { status, serverCount: status === RtemsStatus.SUCCESSFUL ? 1 : 0 };
  }

  /** rtems_interrupt_server_create: the task's errors; index = the task's object index + the processor count. */
  *createServer(config: unknown): Directive<{ status: RtemsStatus; serverIndex: number }> {
    if (typeof config !== 'object' || config === null) return { status: RtemsStatus.INVALID_ADDRESS, serverIndex: 0 };
    const c = config as Partial<InterruptServerConfig>;
    const destroy = typeof c.destroy === 'function' ? c.destroy : undefined;
    const { status, index } = yield* this.create(undefined, c.name as number, c.priority, c.storageSize, c.modes, c.attributes, destroy);
    return { status, serverIndex: status === RtemsStatus.SUCCESSFUL ? index : 0 };
  }

  /** The vector's server entry: rtems_interrupt_handler_iterate for bsp_interrupt_server_trigger (bsp_interrupt_server_query_entry). */
  private query(vector: number): { entry: InterruptServerEntry | undefined; options: number } {
    const found: { entry: InterruptServerEntry | undefined; options: number } = { entry: undefined, options: 0 };
    this.table.iterate(vector, (_arg: unknown, _info: unknown, options: number, routine: unknown, handlerArg: unknown) => {
      if (routine === serverTrigger) {
        found.entry = handlerArg as InterruptServerEntry;
        found.options = options;
      }
    }, undefined);
    return found;
  }

  /**
   * rtems_interrupt_server_handler_install: INVALID_ID (server), then in the server
   * (bsp_interrupt_server_install_helper): a vector's first handler installs the trigger
   * (its errors: INVALID_ID, RESOURCE_IN_USE), a later one RESOURCE_IN_USE when either is
   * unique, TOO_MANY for the same handler and argument, else it is appended.
   */
  *handlerInstall(index: unknown, vector: unknown, info: unknown, options: unknown, handler: unknown, arg: unknown): Directive<RtemsStatus> {
    const s = this.context(index);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    if (typeof handler !== 'function') return RtemsStatus.INVALID_ADDRESS;
    const line = bits32(vector);
    const optionSet = bits32(options);
    const action: Action = { handler, arg, run: () => this.call(handler, arg) };
    return yield* this.callHelper(s, (): RtemsStatus => {
      const { entry, options: triggerOptions } = this.query(line);
      if (entry === undefined) {
        const e = new InterruptServerEntry(s);
        e.vector = line;
        e.actions.push(action);
        return this.table.install(line, 'IRQS', optionSet & RTEMS_INTERRUPT_UNIQUE, serverTrigger, e, () => this.trigger(e));
      }
      if ((optionSet & RTEMS_INTERRUPT_UNIQUE) !== 0 || (triggerOptions & RTEMS_INTERRUPT_UNIQUE) !== 0) return RtemsStatus.RESOURCE_IN_USE;
      if (entry.actions.some((a) => a.handler === handler && a.arg === arg)) return RtemsStatus.TOO_MANY;
      entry.actions.push(action);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_interrupt_server_handler_remove: INVALID_ID (server; no server entry on the vector), UNSATISFIED (not installed); the last one removes the trigger. */
  *handlerRemove(index: unknown, vector: unknown, handler: unknown, arg: unknown): Directive<RtemsStatus> {
    const s = this.context(index);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    const line = bits32(vector);
    return yield* this.callHelper(s, (): RtemsStatus => {
      const { entry } = this.query(line);
      if (entry === undefined) return RtemsStatus.INVALID_ID;
      const at = entry.actions.findIndex((a) => a.handler === handler && a.arg === arg);
      if (at < 0) return RtemsStatus.UNSATISFIED;
      if (entry.actions.length === 1) this.table.remove(line, serverTrigger, entry);
      entry.actions.splice(at, 1);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_interrupt_server_handler_iterate: INVALID_ID (server, vector), UNSATISFIED (no server entry); `routine(arg, undefined, options, handler, handlerArg)`. */
  *handlerIterate(index: unknown, vector: unknown, routine: unknown, arg: unknown): Directive<RtemsStatus> {
    const s = this.context(index);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    const line = bits32(vector);
    if (!this.isVector(line)) return RtemsStatus.INVALID_ID;
    if (typeof routine !== 'function') return RtemsStatus.INVALID_ADDRESS;
    return yield* this.callHelper(s, (): RtemsStatus => {
      const { entry, options } = this.query(line);
      if (entry === undefined) return RtemsStatus.UNSATISFIED;
      for (const a of [...entry.actions]) (routine as (...args: unknown[]) => unknown)(arg, undefined, options, a.handler, a.arg);
      return RtemsStatus.SUCCESSFUL;
    });
  }

  /** rtems_interrupt_server_move: INVALID_ID (source, destination, vector); the vector's entry (requeued on the destination if pending) belongs to the destination. */
  *move(sourceIndex: unknown, vector: unknown, destinationIndex: unknown): Directive<RtemsStatus> {
    const src = this.context(sourceIndex);
    if (src === undefined) return RtemsStatus.INVALID_ID;
    const dst = this.context(destinationIndex);
    if (dst === undefined) return RtemsStatus.INVALID_ID;
    const line = bits32(vector);
    if (!this.isVector(line)) return RtemsStatus.INVALID_ID;
    yield* this.callHelper(src, () => this.moveHelper(line, dst));
    return RtemsStatus.SUCCESSFUL;
  }

  /** bsp_interrupt_server_handler_move_helper: a pending entry is requeued on the destination. */
  private *moveHelper(line: number, dst: ServerControl): Generator<number, void, unknown> {
    const { entry } = this.query(line);
    if (entry === undefined) return;
    const pending = this.extract(entry);
    entry.server = dst;
    if (pending) yield* this.trigger(entry);
  }

  /** Off its server's chain; whether it was on it. */
  private extract(entry: InterruptServerEntry): boolean {
    return this.score.directive(() => {
      if (!entry.queued) return false;
      const chain = entry.server.entries;
      chain.splice(chain.indexOf(entry), 1);
      entry.queued = false;
      return true;
    });
  }

  /** rtems_interrupt_server_suspend: INVALID_ID; the server answers, then waits for RTEMS_EVENT_SYSTEM_SERVER_RESUME. */
  *suspend(index: unknown): Directive<RtemsStatus> {
    const s = this.context(index);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    const caller = this.tasks.self();
    yield* this.manage(s, () => this.suspendHelper(caller));
    return RtemsStatus.SUCCESSFUL;
  }

  /** rtems_interrupt_server_resume: INVALID_ID; RTEMS_EVENT_SYSTEM_SERVER_RESUME, then a synchronization with the server. */
  *resume(index: unknown): Directive<RtemsStatus> {
    const s = this.context(index);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    yield* this.events.systemSend(s.taskId, RTEMS_EVENT_SYSTEM_SERVER_RESUME);
    yield* this.callHelper(s, () => undefined);
    return RtemsStatus.SUCCESSFUL;
  }

  /** rtems_interrupt_server_delete: INVALID_ID; the server leaves the chain, calls its destroy routine, answers and exits. */
  *delete(index: unknown): Directive<RtemsStatus> {
    const s = this.context(index);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    const caller = this.tasks.self();
    yield* this.manage(s, () => this.destroyHelper(s, caller));
    return RtemsStatus.SUCCESSFUL;
  }

  /** bsp_interrupt_server_entry_suspend_helper: answer, then wait for RTEMS_EVENT_SYSTEM_SERVER_RESUME. */
  private *suspendHelper(caller: number): Generator<number, void, unknown> {
    yield* this.events.transientSend(caller);
    yield* this.events.systemReceive(RTEMS_EVENT_SYSTEM_SERVER_RESUME, RTEMS_WAIT, RTEMS_NO_TIMEOUT);
  }

  /** bsp_interrupt_server_destroy_helper: off the chain, the destroy routine, answer, rtems_task_exit. */
  private *destroyHelper(s: ServerControl, caller: number): Generator<number, void, unknown> {
    this.servers.splice(this.servers.indexOf(s), 1);
    s.destroy?.();
    yield* this.events.transientSend(caller);
    yield* this.tasks.exit();
  }

  /** rtems_interrupt_server_entry_initialize: INVALID_ID; an entry of the server, no vector, no action. */
  entryInitialize(index: unknown): { status: RtemsStatus; entry: InterruptServerEntry | undefined } {
    const s = this.context(index);
    if (s === undefined) return { status: RtemsStatus.INVALID_ID, entry: undefined };
    return { status: RtemsStatus.SUCCESSFUL, entry: new InterruptServerEntry(s) };
  }

  /** rtems_interrupt_server_action_prepend: the action runs before the entry's others. */
  actionPrepend(entry: InterruptServerEntry, handler: unknown, arg: unknown): void {
    entry.actions.unshift({ handler, arg, run: () => this.call(handler, arg) });
  }

  /** rtems_interrupt_server_entry_submit: bsp_interrupt_server_trigger (from a task or an ISR). */
  entrySubmit(entry: InterruptServerEntry): Directive<void> {
    return this.trigger(entry);
  }

  /** rtems_interrupt_server_entry_move: INVALID_ID; the entry's next submit goes to the destination. */
  entryMove(entry: InterruptServerEntry, destinationIndex: unknown): RtemsStatus {
    const s = this.context(destinationIndex);
    if (s === undefined) return RtemsStatus.INVALID_ID;
    entry.server = s;
    return RtemsStatus.SUCCESSFUL;
  }

  /** rtems_interrupt_server_entry_destroy: off the chain if queued, then a synchronization with its server. */
  *entryDestroy(entry: InterruptServerEntry): Directive<void> {
    const s = entry.server;
    this.extract(entry);
    yield* this.callHelper(s, () => undefined);
  }

  /** rtems_interrupt_server_request_initialize: INVALID_ID; an entry with one action and no vector. */
  requestInitialize(index: unknown, handler: unknown, arg: unknown): { status: RtemsStatus; request: InterruptServerRequest | undefined } {
    const { status, entry } = this.entryInitialize(index);
    if (entry === undefined) return { status, request: undefined };
    this.actionPrepend(entry, handler, arg);
    return { status, request: new InterruptServerRequest(entry) };
  }
}

/** Delegates to any iterator as a thread's steps; returns its value. */
function* iterate<T>(iterator: Iterator<unknown, T, unknown>): Generator<number, T, unknown> {
  for (;;) {
    const step = iterator.next();
    if (step.done === true) return step.value;
    yield step.value as number;
  }
}
