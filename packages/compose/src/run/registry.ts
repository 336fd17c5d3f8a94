/**
 * A registry of named entries (architectures, kernels): the one place the runner looks a
 * name from a config file or the command line up. The config reader and the CLI take the
 * names they accept from the registries, so a new entry is accepted everywhere at once.
 * Registrations are per process (a sandbox child has the built-in entries only).
 */
export class Registry<E extends { readonly name: string }> {
  private readonly entries = new Map<string, E>();

  constructor(
    /** What an entry is, for messages: 'architecture', 'kernel'. */
    readonly what: string,
    initial: readonly E[],
  ) {
    for (const entry of initial) this.register(entry);
  }

  /** Every name, in registration order. */
  get names(): readonly string[] {
    return [...this.entries.keys()];
  }

  get(name: string): E | undefined {
    return this.entries.get(name);
  }

  /** The entry named `name`, which the caller has checked exists (a missing one is a bug in paravirt). */
  require(name: string): E {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`no ${this.what} named ${JSON.stringify(name)} is registered`);
    return entry;
  }

  /** Adds `entry` under its name and returns what removes it again; a name already taken is a RangeError. */
  register(entry: E): () => void {
    if (this.entries.has(entry.name)) throw new RangeError(`a ${this.what} named ${JSON.stringify(entry.name)} is already registered`);
    this.entries.set(entry.name, entry);
    return () => {
      if (this.entries.get(entry.name) === entry) this.entries.delete(entry.name);
    };
  }
}
