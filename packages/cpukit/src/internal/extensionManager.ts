/**
 * User Extensions Manager (RTEMS C User's Guide, "User Extensions Manager"): extension
 * sets created and deleted at run time (rtems_extension_create / delete / ident,
 * cpukit/sapi/src/extension*.c) and the initial extension sets of the configuration
 * (CONFIGURE_INITIAL_EXTENSIONS), and the invocation of their extensions where RTEMS 6
 * invokes them (the _User_extensions_* inlines of rtems/score/userextimpl.h over
 * _User_extensions_Iterate, score/src/userextiterate.c).
 *
 * Extensions are guest code. Those RTEMS runs with thread dispatching disabled or
 * inside a directive (create, start, delete, switch, fatal, and terminate of another
 * task) run here to completion like a timer service routine: dispatching disabled, a
 * generator driven to its end with its cycles charged. Those RTEMS runs in the thread's
 * own context with dispatching enabled (begin, exitted, restart, and terminate of the
 * calling task) run on the thread as a ThreadFrame or inside the directive's generator,
 * where they may block. Whatever an extension throws is the fatal error GUEST_EXCEPTION,
 * as for any guest code.
 */
import { describeGuestValue, isExecutionAbandoned } from '@paravirt/machine';
import { type ExtensionsTable, readExtensionsTable } from '../extensions.js';
import { FatalSource, InternalError } from '../fatalSource.js';
import { ClassicObjectClass, OBJECTS_CLASSIC_API } from '../objectId.js';
import { packName } from '../objectName.js';
import { RTEMS_SEARCH_LOCAL_NODE } from '../options.js';
import type { IdResult } from '../results.js';
import { RtemsStatus } from '../rtemsStatus.js';
import { identify } from './identify.js';
import { ObjectTable } from './objectTable.js';
import { type Score, isIterator } from './score.js';
import type { Thread, ThreadBody } from './thread.js';

type ExtensionName = keyof ExtensionsTable;
type Callout = (...args: unknown[]) => unknown;

/** Steps an extension written as a generator may yield where it cannot block (as an ISR routine). */
const MAX_EXTENSION_STEPS = 100_000;

/** An extension set created by rtems_extension_create (Extension_Control). */
interface ExtensionSet {
  readonly id: number;
  name: number;
  /** The table as it was when the set was created (RTEMS copies it: _User_extensions_Add_set_with_table). */
  readonly callouts: ExtensionsTable;
  /** Creation order: the position in _User_extensions_List.Active. */
  readonly order: number;
}

export class ExtensionManager {
  /** The extension set objects (OBJECTS_RTEMS_EXTENSIONS: ids 0x4a01xxxx). */
  readonly table: ObjectTable<ExtensionSet>;
  /** The executing thread for extensions called before multitasking: IDLE once it exists (_Thread_Create_idle makes it the executing thread). */
  bootExecuting: Thread | undefined = undefined;
  private readonly initial: readonly ExtensionsTable[];
  /** The dynamic sets in creation order (_User_extensions_List.Active). */
  private readonly active: ExtensionSet[] = [];
  private created = 0;

  constructor(private readonly score: Score) {
    const config = score.config;
    this.table = new ObjectTable<ExtensionSet>(OBJECTS_CLASSIC_API, ClassicObjectClass.EXTENSIONS, config.maximumUserExtensions);
    this.initial = config.initialExtensions;
    this.updateScoreHooks();
  }

  // ------------------------------------------------------------ directives

  /**
   * rtems_extension_create (sapi/src/extensioncreate.c; spec:/rtems/userext/req/create):
   * INVALID_NAME, INVALID_ADDRESS (no table: C's NULL), TOO_MANY (no inactive object:
   * maximumUserExtensions). The table is copied; its extensions take part from the next
   * event on, after those of every set created before.
   */
  create(name: unknown, table: unknown): IdResult {
    const packed = packName(name);
    // Read outside the critical section: a getter is guest code.
    const read = packed === undefined ? undefined : readExtensionsTable(table, false);
    const result = this.score.directive((): IdResult => {
      if (packed === undefined) return { status: RtemsStatus.INVALID_NAME, id: 0 };
      if (read === undefined || !('table' in read)) return { status: RtemsStatus.INVALID_ADDRESS, id: 0 };
      const set = this.table.allocate((id) => ({ id, name: packed, callouts: read.table, order: this.created++ }));
      if (set === undefined) return { status: RtemsStatus.TOO_MANY, id: 0 };
      this.active.push(set);
      return { status: RtemsStatus.SUCCESSFUL, id: set.id };
    });
    this.updateScoreHooks();
    return result;
  }

  /** rtems_extension_delete (extensiondelete.c): INVALID_ID; the set's extensions are no longer invoked, even by an iteration under way. */
  delete(id: unknown): RtemsStatus {
    const status = this.score.directive((): RtemsStatus => {
      const set = this.table.get(id);
      if (set === undefined) return RtemsStatus.INVALID_ID;
      this.active.splice(this.active.indexOf(set), 1);
      this.table.release(set);
      return RtemsStatus.SUCCESSFUL;
    });
    this.updateScoreHooks();
    return status;
  }

  /** rtems_extension_ident (extensionident.c): the local node only; INVALID_NAME (0, or no set of that name). */
  ident(name: unknown): IdResult {
    return this.score.directive(() => identify(this.table, name, RTEMS_SEARCH_LOCAL_NODE));
  }

  // ------------------------------------------------------------ invocation points

  /**
   * _User_extensions_Thread_create (_Thread_Initialize, threadinitialize.c): forward;
   * `ctx->ok = ctx->ok && (*callout)( executing, created )`, so after one returns false the
   * later ones are not called. The result is C's bool: any truthy value is true.
   */
  threadCreate(created: Thread): boolean {
    let ok = true;
    const executing = this.executingId();
    for (const table of this.sets(true)) {
      const callout = table.threadCreate;
      if (callout !== undefined && ok) ok = Boolean(this.run(callout, [executing, created.id]));
    }
    return ok;
  }

  /** _User_extensions_Thread_start (_Thread_Start, threadstart.c): forward, dispatching disabled. */
  threadStart(started: Thread): void {
    this.runAll('threadStart', true, [this.executingId(), started.id]);
  }

  /** _User_extensions_Thread_delete (_Thread_Free, threadinitialize.c): reverse; `executing` is the thread that frees `deleted`. */
  threadDelete(deleted: Thread): void {
    this.runAll('threadDelete', false, [this.executingId(), deleted.id]);
  }

  /**
   * _User_extensions_Thread_terminate (_Thread_Life_action_handler, threadrestart.c): reverse.
   * For a task deleted by another this runs in the deleting task's context at the
   * deletion (RTEMS runs it in the deleted task, which it dispatches for that).
   */
  threadTerminate(terminated: Thread): void {
    this.runAll('threadTerminate', false, [terminated.id]);
  }

  /** Whether a task delete or exit has terminate extensions to run. */
  hasTerminate(): boolean {
    return this.any('threadTerminate');
  }

  /** The terminate extensions of the calling task, run in its context (it may block in them): reverse. */
  *threadTerminateSelf(executing: Thread): Generator<number, void, unknown> {
    yield* this.inThread('threadTerminate', false, [executing.id]);
  }

  /**
   * What _Thread_Handler (threadhandler.c) runs in a thread before its entry point: after a
   * restart, the restart extensions (_Thread_Life_action_handler: both arguments the
   * restarted thread), then the begin extensions; forward. Undefined when there is none.
   */
  handler(thread: Thread): ThreadBody | undefined {
    const restart = thread.restartPending && this.any('threadRestart');
    thread.restartPending = false;
    if (!restart && !this.any('threadBegin')) return undefined;
    return this.handlerCode(thread, restart);
  }

  /** _User_extensions_Thread_exitted (_Thread_Handler): forward, in the thread. Undefined when there is none. */
  exitted(thread: Thread): ThreadBody | undefined {
    return this.any('threadExitted') ? this.inThread('threadExitted', true, [thread.id]) : undefined;
  }

  /**
   * _User_extensions_Fatal (_Terminate, interr.c): forward, `( source, false, code )`. The
   * executive has ended already: an extension that throws, or ends the system again, ends
   * only itself, and the next one runs.
   */
  fatal(source: number, code: number): void {
    for (const table of this.sets(true)) {
      const callout = table.fatal;
      if (callout === undefined) continue;
      try {
        this.run(callout, [source, false, code]);
      } catch (error) {
        if (!this.score.isOwnAbandon(error)) throw error;
      }
    }
  }

  // ------------------------------------------------------------ helpers

  /** The executing thread as extensions see it: 0 (NULL) before the IDLE thread exists. */
  private executingId(): number {
    return (this.score.executing ?? this.bootExecuting)?.id ?? 0;
  }

  /**
   * _User_extensions_Iterate: forward, the initial sets by table index and then the dynamic
   * sets in creation order; reverse, the opposite. Like its chain iterator, a dynamic set
   * deleted during the iteration before its turn is skipped, and one created during a
   * forward iteration is visited.
   */
  private *sets(forward: boolean): Generator<ExtensionsTable, void, unknown> {
    if (forward) {
      yield* this.initial;
      for (let last = -1; ; ) {
        const next = this.active.find((set) => set.order > last);
        if (next === undefined) return;
        last = next.order;
        yield next.callouts;
      }
    }
    for (let last = Infinity; ; ) {
      let next: ExtensionSet | undefined;
      for (let i = this.active.length - 1; i >= 0 && next === undefined; i--) if (this.active[i]!.order < last) next = this.active[i];
      if (next === undefined) break;
      last = next.order;
      yield next.callouts;
    }
    for (let i = this.initial.length - 1; i >= 0; i--) yield this.initial[i]!;
  }

  /** Whether any set has this extension. */
  private any(name: ExtensionName): boolean {
    return this.initial.some((table) => table[name] !== undefined) || this.active.some((set) => set.callouts[name] !== undefined);
  }

  /** The thread switch extensions cost nothing while there are none: the score calls them only when some set has one. */
  private updateScoreHooks(): void {
    const hooks = this.score.hooks;
    if (this.any('threadSwitch')) hooks.threadSwitch ??= (executing, heir) => this.runAll('threadSwitch', true, [executing.id, heir.id]);
    else delete hooks.threadSwitch;
    hooks.fatal ??= (source, code) => this.fatal(source, code);
  }

  private runAll(name: ExtensionName, forward: boolean, args: readonly unknown[]): void {
    for (const table of this.sets(forward)) {
      const callout = table[name];
      if (callout !== undefined) this.run(callout, args);
    }
  }

  /**
   * Runs one extension where it cannot block, as Score.runRoutine runs a timer routine:
   * dispatching disabled, a generator driven to its end (its cycles charged), a throw the
   * fatal error GUEST_EXCEPTION. Returns what the extension returned.
   */
  private run(callout: unknown, args: readonly unknown[]): unknown {
    const score = this.score;
    score.dispatchDisableLevel++;
    try {
      const result = (callout as Callout)(score.rtems, ...args);
      if (!isIterator(result)) return result;
      for (let steps = 0; ; steps++) {
        if (steps >= MAX_EXTENSION_STEPS) return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.RUNAWAY_ISR, `an extension yielded more than ${MAX_EXTENSION_STEPS} times`);
        const step = result.next();
        if (step.done === true) return step.value;
        const cycles = step.value;
        if (typeof cycles !== 'number' || !Number.isSafeInteger(cycles) || cycles < 0) {
          return score.fatal(FatalSource.INTERNAL_ERROR_CORE, InternalError.INVALID_YIELD, `an extension yielded ${describeGuestValue(cycles)}`);
        }
        if (cycles > 0) score.cpuPort.charge(cycles);
      }
    } catch (error) {
      if (isExecutionAbandoned(error)) throw error;
      return score.guestException(error);
    } finally {
      score.dispatchDisableLevel--;
    }
  }

  /** The extensions `name` as thread code: each one's steps are the thread's (validated by the executive). */
  private *inThread(name: ExtensionName, forward: boolean, args: readonly unknown[]): Generator<number, void, unknown> {
    for (const table of this.sets(forward)) {
      const callout = table[name];
      if (callout === undefined) continue;
      const result = (callout as Callout)(this.score.rtems, ...args);
      // The executive checks each step (a cycle count), as it checks a task body's.
      if (isIterator(result)) for (let step = result.next(); step.done !== true; step = result.next()) yield step.value as number;
    }
  }

  private *handlerCode(thread: Thread, restart: boolean): Generator<number, void, unknown> {
    if (restart) yield* this.inThread('threadRestart', true, [thread.id, thread.id]);
    yield* this.inThread('threadBegin', true, [thread.id]);
  }
}
